//! `resource.Quantity` for storage sizes: `1Gi`, `500Mi`, `2G`, `1e3`, plain bytes. Only what comparing and
//! printing capacities needs.

/// Parses a quantity into bytes. `None` when it is not a valid quantity (`1Gb`, `-1Gi`, `abc`).
pub fn parse_bytes(s: &str) -> Option<u128> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    if num.is_empty() || num.starts_with('.') && num.len() == 1 {
        return None;
    }
    let mult: u128 = match suffix {
        "" => 1,
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        "Ti" => 1 << 40,
        "Pi" => 1 << 50,
        "Ei" => 1 << 60,
        "k" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        "P" => 1_000_000_000_000_000,
        "E" => 1_000_000_000_000_000_000,
        _ => return None,
    };
    match num.split_once('.') {
        None => num.parse::<u128>().ok()?.checked_mul(mult),
        Some((whole, frac)) => {
            let whole: u128 = if whole.is_empty() {
                0
            } else {
                whole.parse().ok()?
            };
            if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
                return None;
            }
            let scale = 10u128.pow(frac.len() as u32);
            let frac: u128 = frac.parse().ok()?;
            Some(whole.checked_mul(mult)? + frac.checked_mul(mult)? / scale)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_bytes;

    #[test]
    fn binary_and_decimal_suffixes() {
        assert_eq!(parse_bytes("1Gi"), Some(1 << 30));
        assert_eq!(parse_bytes("500Mi"), Some(500 << 20));
        assert_eq!(parse_bytes("2G"), Some(2_000_000_000));
        assert_eq!(parse_bytes("1.5Gi"), Some(3 << 29));
        assert_eq!(parse_bytes("1024"), Some(1024));
    }

    #[test]
    fn learner_typos_are_invalid() {
        for bad in ["1Gb", "-1Gi", "Gi", "abc", "1 Gi", ""] {
            assert_eq!(parse_bytes(bad), None, "{bad}");
        }
    }
}
