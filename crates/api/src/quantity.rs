//! `resource.Quantity` as apimachinery's `api/resource/quantity.go` reads and writes it: the scanner and its
//! three errors (so `1Gb` fails while decoding, with the API server's words), the amount rounded up to nano
//! units, and the text the API server stores and prints — the string as written when it was already canonical,
//! the canonical form otherwise (`1.5Gi` is stored as `1536Mi`, `-1024Mi` reads back as `-1Gi`).

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

/// The splitting expression the API server quotes in its format error.
pub const SPLIT_RE: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// Why a string is not a quantity, worded as `ErrFormatWrong`, `ErrNumeric` and `ErrSuffix` are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// The text is not a number followed by suffix characters (`1Gb`, `abc`, `1 Gi`, ``).
    #[error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
    Format,
    /// The digits do not make a number the API server can hold.
    #[error("unable to parse numeric part of quantity")]
    Numeric,
    /// Suffix characters that are no suffix (`1ki`, `1e`).
    #[error("unable to parse quantity's suffix")]
    Suffix,
}

impl QuantityError {
    /// Whether `message` is one of these errors' texts: a decoder that met a bad quantity reports it bare.
    pub fn is_message(message: &str) -> bool {
        [
            QuantityError::Format,
            QuantityError::Numeric,
            QuantityError::Suffix,
        ]
        .iter()
        .any(|e| message.starts_with(&e.to_string()))
    }
}

/// The suffix family a quantity was written in; its canonical text keeps the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::DecimalExponent => "DecimalExponent",
            Format::BinarySI => "BinarySI",
            Format::DecimalSI => "DecimalSI",
        }
    }
}

/// How the API server holds the amount in memory: a scaled int64 (`i`) or an arbitrary-precision decimal
/// (`d`). It shows in the diff of a refused claim update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    Int { value: i64, scale: i32 },
    Dec,
}

/// A parsed quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// The amount is `unscaled × 10^scale`, already rounded (away from zero) to nano units.
    unscaled: i128,
    scale: i32,
    format: Format,
    /// The text as written, kept when the parser judged it canonical (`s` upstream).
    cached: Option<String>,
    repr: Repr,
}

const MAX_INT64: i128 = i64::MAX as i128;

impl Quantity {
    /// `ParseQuantity`.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::Format);
        }
        if s == "0" {
            return Ok(Quantity {
                unscaled: 0,
                scale: 0,
                format: Format::DecimalSI,
                cached: Some("0".into()),
                repr: Repr::Int { value: 0, scale: 0 },
            });
        }
        let parts = scan(s)?;
        let (base, exponent, format) = interpret(parts.suffix).ok_or(QuantityError::Suffix)?;
        // The fast path: the amount fits a scaled int64.
        let (mut scale, precision, mantissa): (i32, i32, i64) = match format {
            Format::DecimalExponent | Format::DecimalSI => (
                exponent,
                18 - (parts.num.len() + parts.denom.len()) as i32,
                1,
            ),
            Format::BinarySI if exponent >= 0 && parts.denom.is_empty() => (
                0,
                15 - parts.num.len() as i32 - (exponent as f32 * 3.0 / 10.0) as i32 - 1,
                1i64 << exponent,
            ),
            Format::BinarySI => (0, -1, 1),
        };
        if precision >= 0 {
            scale -= parts.denom.len() as i32;
            if scale >= -9 {
                let shifted = format!("{}{}", parts.num, parts.denom);
                let value: i64 = shifted.parse().map_err(|_| QuantityError::Numeric)?;
                if let Some(result) = value.checked_mul(mantissa) {
                    let result = if parts.positive { result } else { -result };
                    let canonical = match format {
                        Format::BinarySI => exponent % 10 == 0 && value & 0x07 != 0,
                        _ => {
                            scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
                        }
                    };
                    return Ok(Quantity {
                        unscaled: result as i128,
                        scale,
                        format,
                        cached: canonical.then(|| s.to_string()),
                        repr: Repr::Int {
                            value: result,
                            scale,
                        },
                    });
                }
            }
        }
        // The slow path: an exact decimal, rounded up to nano units; binary amounts are capped at 2^63-1.
        let digits: i128 = format!("{}{}", parts.num, parts.denom)
            .parse()
            .map_err(|_| QuantityError::Numeric)?;
        let (mut unscaled, mut scale) = if base == 2 {
            let factor = 1i128
                .checked_shl(exponent.max(0) as u32)
                .ok_or(QuantityError::Numeric)?;
            (digits.saturating_mul(factor), -(parts.denom.len() as i32))
        } else {
            (digits, exponent - parts.denom.len() as i32)
        };
        if scale < -9 && unscaled != 0 {
            let drop = 10i128.pow((-9 - scale) as u32);
            unscaled = unscaled / drop + i128::from(unscaled % drop != 0);
            scale = -9;
        }
        let mut format = format;
        let mut q = Quantity {
            unscaled,
            scale,
            format,
            cached: None,
            repr: Repr::Dec,
        };
        if format == Format::BinarySI && q.cmp_int(MAX_INT64) == Ordering::Greater {
            q.unscaled = MAX_INT64;
            q.scale = 0;
        }
        if format == Format::BinarySI && q.unscaled != 0 && q.cmp_int(1) == Ordering::Less {
            format = Format::DecimalSI;
        }
        q.format = format;
        if !parts.positive {
            q.unscaled = -q.unscaled;
        }
        Ok(q)
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn repr(&self) -> Repr {
        self.repr
    }

    /// The text kept as written, if the parser kept it.
    pub fn cached(&self) -> Option<&str> {
        self.cached.as_deref()
    }

    pub fn is_zero(&self) -> bool {
        self.unscaled == 0
    }

    pub fn is_negative(&self) -> bool {
        self.unscaled < 0
    }

    /// The amount rounded up to a whole number (`Value()`), saturating far outside the int64 range.
    pub fn value(&self) -> i128 {
        if self.scale >= 0 {
            10i128
                .checked_pow(self.scale as u32)
                .and_then(|f| self.unscaled.checked_mul(f))
                .unwrap_or(if self.unscaled < 0 {
                    i128::MIN
                } else {
                    i128::MAX
                })
        } else {
            let f = 10i128.pow((-self.scale) as u32);
            let q = self.unscaled / f;
            if self.unscaled % f > 0 {
                q + 1
            } else {
                q
            }
        }
    }

    /// The amount in thousandths, rounded up (`MilliValue()`): how cpu and memory requests compare.
    pub fn millis(&self) -> i128 {
        Quantity {
            scale: self.scale + 3,
            cached: None,
            ..self.clone()
        }
        .value()
    }

    /// Compares the magnitude-and-sign of the amount with the integer `n`.
    fn cmp_int(&self, n: i128) -> Ordering {
        self.cmp(&Quantity {
            unscaled: n,
            scale: 0,
            format: Format::DecimalSI,
            cached: None,
            repr: Repr::Dec,
        })
    }

    /// The canonical text (`CanonicalizeBytes`), ignoring the kept text.
    pub fn canonical(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut format = self.format;
        if format == Format::BinarySI
            && (self.cmp_int(-1024) == Ordering::Greater && self.cmp_int(1024) == Ordering::Less
                || self.scale < 0 && self.unscaled % 10i128.pow((-self.scale) as u32) != 0)
        {
            format = Format::DecimalSI;
        }
        match format {
            Format::BinarySI => {
                let mut amount = self.value();
                let mut exp = 0;
                while exp < 6 && amount != 0 && amount % 1024 == 0 {
                    amount /= 1024;
                    exp += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exp];
                format!("{amount}{suffix}")
            }
            Format::DecimalSI | Format::DecimalExponent => {
                let (mut amount, mut exp) = (self.unscaled, self.scale);
                while amount % 10 == 0 {
                    amount /= 10;
                    exp += 1;
                }
                while exp.rem_euclid(3) != 0 {
                    amount = amount.saturating_mul(10);
                    exp -= 1;
                }
                if format == Format::DecimalExponent {
                    if exp == 0 {
                        amount.to_string()
                    } else {
                        format!("{amount}e{exp}")
                    }
                } else {
                    let suffix = match exp {
                        -9 => "n",
                        -6 => "u",
                        -3 => "m",
                        3 => "k",
                        6 => "M",
                        9 => "G",
                        12 => "T",
                        15 => "P",
                        18 => "E",
                        // Upstream prints no suffix beyond E; the number is then wrong, as it is there.
                        _ => "",
                    };
                    format!("{amount}{suffix}")
                }
            }
        }
    }
}

impl fmt::Display for Quantity {
    /// `String()`: the kept text, else the canonical one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cached {
            Some(s) => f.write_str(s),
            None => f.write_str(&self.canonical()),
        }
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    /// `Cmp`: by amount only.
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self, other);
        match (a.unscaled.signum(), b.unscaled.signum()) {
            (x, y) if x != y => return x.cmp(&y),
            (0, 0) => return Ordering::Equal,
            _ => {}
        }
        // Same sign: bring both to the smaller scale; a factor that overflows means the larger magnitude.
        let negative = a.unscaled < 0;
        let (hi, lo, swapped) = if a.scale >= b.scale {
            (a, b, false)
        } else {
            (b, a, true)
        };
        let diff = (hi.scale - lo.scale) as u32;
        let magnitude = match 10i128
            .checked_pow(diff)
            .and_then(|f| hi.unscaled.checked_mul(f))
        {
            Some(scaled) => scaled.abs().cmp(&lo.unscaled.abs()),
            None => Ordering::Greater,
        };
        let magnitude = if swapped {
            magnitude.reverse()
        } else {
            magnitude
        };
        if negative {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

struct Parts<'a> {
    positive: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// `parseQuantityString`: sign, leading zeros, numerator, denominator, then suffix characters optionally
/// followed by a signed exponent. Anything else is the format error.
fn scan(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    let done = |num, denom, suffix| {
        Ok(Parts {
            positive,
            num,
            denom,
            suffix,
        })
    };
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return done("0", "", "");
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        return done(&s[start..], "", "");
    }
    let num = if pos == start { "0" } else { &s[start..pos] };
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let d = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos >= end {
            return done(num, &s[d..], "");
        }
        denom = &s[d..pos];
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::Format);
    }
    done(num, denom, &s[suffix_start..])
}

/// `quantitySuffixer.interpret`: base, exponent and format of a suffix.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let decimal = match suffix {
        "n" => Some(-9),
        "u" => Some(-6),
        "m" => Some(-3),
        "" => Some(0),
        "k" => Some(3),
        "M" => Some(6),
        "G" => Some(9),
        "T" => Some(12),
        "P" => Some(15),
        "E" => Some(18),
        _ => None,
    };
    if let Some(e) = decimal {
        return Some((10, e, Format::DecimalSI));
    }
    let binary = match suffix {
        "Ki" => Some(10),
        "Mi" => Some(20),
        "Gi" => Some(30),
        "Ti" => Some(40),
        "Pi" => Some(50),
        "Ei" => Some(60),
        _ => None,
    };
    if let Some(e) = binary {
        return Some((2, e, Format::BinarySI));
    }
    let rest = suffix
        .strip_prefix('e')
        .or_else(|| suffix.strip_prefix('E'))?;
    if rest.is_empty() {
        return None;
    }
    let exp: i64 = rest.parse().ok()?;
    Some((10, exp as i32, Format::DecimalExponent))
}

/// The text a JSON value gives the quantity decoder: strings as they are, numbers as written, `null` as the
/// zero quantity; anything else is the format error.
pub fn from_json(v: &Value) -> Result<Quantity, QuantityError> {
    match v {
        Value::String(s) => Quantity::parse(s.trim()),
        Value::Number(n) => Quantity::parse(&number_text(n)),
        Value::Null => Quantity::parse("0"),
        _ => Err(QuantityError::Format),
    }
}

fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        n.as_f64().map(|f| f.to_string()).unwrap_or_default()
    }
}

/// The text the API server stores for a quantity field (`String()` of the decoded value).
pub fn stored_text(v: &Value) -> Option<String> {
    from_json(v).ok().map(|q| q.to_string())
}

/// Parses a quantity into bytes (rounded up). `None` when it is not a valid quantity or is negative.
pub fn parse_bytes(s: &str) -> Option<u128> {
    let q = Quantity::parse(s.trim()).ok()?;
    u128::try_from(q.value()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        Quantity::parse(s).unwrap().to_string()
    }

    #[test]
    fn binary_and_decimal_suffixes() {
        assert_eq!(parse_bytes("1Gi"), Some(1 << 30));
        assert_eq!(parse_bytes("500Mi"), Some(500 << 20));
        assert_eq!(parse_bytes("2G"), Some(2_000_000_000));
        assert_eq!(parse_bytes("1.5Gi"), Some(3 << 29));
        assert_eq!(parse_bytes("1024"), Some(1024));
        assert_eq!(parse_bytes("1e3"), Some(1000));
        assert_eq!(parse_bytes("1m"), Some(1), "a milli-byte rounds up");
    }

    #[test]
    fn the_three_parse_errors() {
        for bad in ["1Gb", "abc", "1 Gi", "", "1.5.5", "1GB", "10gi"] {
            assert_eq!(Quantity::parse(bad), Err(QuantityError::Format), "{bad}");
        }
        for bad in ["1ki", "1e", "1Ki5", "1GG"] {
            assert_eq!(Quantity::parse(bad), Err(QuantityError::Suffix), "{bad}");
        }
        assert_eq!(parse_bytes("-1Gi"), None, "negative");
    }

    #[test]
    fn canonical_text_keeps_what_was_canonical() {
        assert_eq!(text("1Gi"), "1Gi");
        assert_eq!(text("-1Gi"), "-1Gi");
        assert_eq!(text("1.5Gi"), "1536Mi");
        assert_eq!(text("1024Mi"), "1Gi");
        assert_eq!(text("-1024Mi"), "-1Gi");
        assert_eq!(text("8Gi"), "8Gi");
        assert_eq!(text("0Gi"), "0");
        assert_eq!(text("Gi"), "0");
        assert_eq!(text("1000M"), "1G");
        assert_eq!(text("0.5"), "500m");
        assert_eq!(text("1e3"), "1e3");
        assert_eq!(text("1000e0"), "1e3");
        assert_eq!(text("1073741824"), "1073741824");
        assert_eq!(text("512"), "512");
        assert_eq!(text("0.5Gi"), "512Mi");
        assert_eq!(text("+2G"), "+2G", "kept as written, sign and all");
    }

    #[test]
    fn compares_by_amount() {
        let q = |s| Quantity::parse(s).unwrap();
        assert!(q("1Gi") > q("1G"));
        assert_eq!(q("1024Mi").cmp(&q("1Gi")), Ordering::Equal);
        assert!(q("-1Gi") < q("0"));
        assert!(q("1e30") > q("8Ei"));
        assert!(q("500m") < q("1"));
    }

    #[test]
    fn json_values() {
        assert_eq!(
            stored_text(&serde_json::json!(1073741824)).unwrap(),
            "1073741824"
        );
        assert_eq!(stored_text(&serde_json::json!(null)).unwrap(), "0");
        assert!(from_json(&serde_json::json!(true)).is_err());
    }
}
