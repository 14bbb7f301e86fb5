//! Standard base64 (RFC 4648), as Secrets store their `data` and kubectl's templates decode it. The codec is
//! the `base64` crate's; this module fixes the one configuration the cluster uses everywhere.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

/// Encodes with padding; decodes padded or unpadded text, ignoring stray low bits in the last character.
const STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes padded or unpadded base64; `None` for anything else.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

/// Decodes to text (invalid UTF-8 is replaced, as a terminal would show it).
pub fn decode_text(text: &str) -> Option<String> {
    decode(text).map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_with_padding() {
        for (plain, coded) in [
            ("", ""),
            ("a", "YQ=="),
            ("ab", "YWI="),
            ("abc", "YWJj"),
            ("password", "cGFzc3dvcmQ="),
        ] {
            assert_eq!(super::encode(plain.as_bytes()), coded);
            assert_eq!(super::decode_text(coded).as_deref(), Some(plain));
        }
        assert_eq!(super::decode("!!"), None);
    }
}
