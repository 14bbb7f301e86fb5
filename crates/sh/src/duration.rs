//! Durations as `sleep` reads them.

use crate::Flavor;
use crate::{Output, Wait};

/// `5`, `30s`, `2m`, `1h`, `0.5` as `sleep` reads them, in milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<u64> {
    let (num, unit) = match s.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: f64 = num
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let mult = match unit {
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    Some((n * mult) as u64)
}

/// What `sleep ARG…` asks for, read as GNU coreutils or BusyBox read it: the arguments' total
/// ([`Wait::For`]), or [`Wait::Forever`] for `infinity`; else the message and status `sleep` fails with.
/// `name` is the program as invoked (`sleep`, `/bin/sleep`).
pub fn sleep(name: &str, args: &[String], flavor: Flavor) -> Result<Wait, Output> {
    let try_help = match flavor {
        Flavor::Gnu => format!("Try '{name} --help' for more information.\n"),
        Flavor::Busybox => String::new(),
    };
    if args.is_empty() {
        return Err(Output::failed(
            match flavor {
                Flavor::Gnu => format!("{name}: missing operand\n{try_help}"),
                Flavor::Busybox => "Usage: sleep [N]...\n".to_string(),
            },
            1,
        ));
    }
    let mut total: u64 = 0;
    for arg in args {
        if matches!(arg.as_str(), "infinity" | "inf") {
            return Ok(Wait::Forever);
        }
        match parse_duration_ms(arg) {
            Some(ms) => total = total.saturating_add(ms),
            None => {
                return Err(Output::failed(
                    match flavor {
                        Flavor::Gnu => {
                            format!("{name}: invalid time interval '{arg}'\n{try_help}")
                        }
                        Flavor::Busybox => format!("{name}: invalid number '{arg}'\n"),
                    },
                    1,
                ))
            }
        }
    }
    Ok(Wait::For(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn sleep_adds_its_arguments_and_words_errors_as_its_flavour() {
        assert_eq!(
            sleep("sleep", &args("1m 30s 0.5"), Flavor::Gnu),
            Ok(Wait::For(90_500))
        );
        assert_eq!(
            sleep("sleep", &args("infinity"), Flavor::Gnu),
            Ok(Wait::Forever)
        );
        let e = sleep("sleep", &args("1x"), Flavor::Gnu)
            .err()
            .unwrap_or_default();
        assert_eq!(
            e.stderr(),
            "sleep: invalid time interval '1x'\nTry 'sleep --help' for more information.\n"
        );
        let e = sleep("sleep", &[], Flavor::Gnu).err().unwrap_or_default();
        assert_eq!(
            e.stderr(),
            "sleep: missing operand\nTry 'sleep --help' for more information.\n"
        );
        let e = sleep("sleep", &args("x"), Flavor::Busybox)
            .err()
            .unwrap_or_default();
        assert_eq!(e.stderr(), "sleep: invalid number 'x'\n");
        assert_eq!(e.status, 1);
    }
}
