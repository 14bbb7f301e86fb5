//! Command-line flags as kubectl (cobra/pflag) reads them: `--name=value`, `--name value`, `-n value`,
//! `-nvalue`, `-n=value`, boolean flags, and positional arguments in between. Unknown flags are errors worded
//! as kubectl words them.

use std::collections::BTreeMap;

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes_value: bool,
}

pub const fn flag(long: &'static str, short: Option<char>, takes_value: bool) -> Spec {
    Spec {
        long,
        short,
        takes_value,
    }
}

/// Parsed arguments: flag values by long name (repeatable flags keep every value), and positionals.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub values: BTreeMap<&'static str, Vec<String>>,
    pub args: Vec<String>,
}

impl Parsed {
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    pub fn all(&self, long: &str) -> &[String] {
        self.values.get(long).map_or(&[], Vec::as_slice)
    }

    /// A boolean flag: present without a value, or `--flag=true`.
    pub fn is_set(&self, long: &str) -> bool {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .is_some_and(|v| v != "false")
    }
}

/// Go's `strconv.ParseBool`, which kubectl uses for flag values that may be booleans: `1 t T TRUE true True`
/// are true, `0 f F FALSE false False` false, anything else is not a boolean.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Reads `args` against `specs`. `command` names the command for the usage hint in errors.
pub fn parse(args: &[String], specs: &[Spec], command: &str) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let usage = format!("See 'kubectl {command} --help' for usage.");
    let mut i = 0;
    let mut only_positional = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_positional || a == "-" || !a.starts_with('-') {
            out.args.push(a.clone());
            continue;
        }
        if a == "--" {
            only_positional = true;
            continue;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(spec) = specs.iter().find(|s| s.long == name) else {
                return Err(format!("error: unknown flag: --{name}\n{usage}"));
            };
            let value = match (spec.takes_value, inline) {
                (_, Some(v)) => v,
                (true, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => {
                        return Err(format!("error: flag needs an argument: --{name}\n{usage}"))
                    }
                },
                (false, None) => "true".to_string(),
            };
            out.values.entry(spec.long).or_default().push(value);
            continue;
        }
        // Shorthand: `-n x`, `-nx`, `-n=x`, or bundled booleans `-it`.
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let ch = chars[j];
            let Some(spec) = specs.iter().find(|s| s.short == Some(ch)) else {
                return Err(format!(
                    "error: unknown shorthand flag: '{ch}' in {a}\n{usage}"
                ));
            };
            if spec.takes_value {
                let rest: String = chars[j + 1..].iter().collect();
                let value = if !rest.is_empty() {
                    rest.strip_prefix('=').unwrap_or(&rest).to_string()
                } else {
                    match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return Err(format!(
                                "error: flag needs an argument: '{ch}' in -{ch}\n{usage}"
                            ))
                        }
                    }
                };
                out.values.entry(spec.long).or_default().push(value);
                break;
            }
            out.values
                .entry(spec.long)
                .or_default()
                .push("true".to_string());
            j += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    const SPECS: &[Spec] = &[
        flag("namespace", Some('n'), true),
        flag("output", Some('o'), true),
        flag("watch", Some('w'), false),
    ];

    #[test]
    fn every_flag_form() {
        let p = parse(&argv("pods -n default -owide --watch web-0"), SPECS, "get").unwrap();
        assert_eq!(p.get("namespace"), Some("default"));
        assert_eq!(p.get("output"), Some("wide"));
        assert!(p.is_set("watch"));
        assert_eq!(p.args, ["pods", "web-0"]);
        let p = parse(&argv("pods --namespace=x -o=yaml -w"), SPECS, "get").unwrap();
        assert_eq!(
            (p.get("namespace"), p.get("output")),
            (Some("x"), Some("yaml"))
        );
    }

    #[test]
    fn unknown_flags_are_reported_like_kubectl() {
        assert_eq!(
            parse(&argv("sts web --replica=3"), SPECS, "scale").unwrap_err(),
            "error: unknown flag: --replica\nSee 'kubectl scale --help' for usage."
        );
        assert!(parse(&argv("-x"), SPECS, "get")
            .unwrap_err()
            .starts_with("error: unknown shorthand flag: 'x' in -x"));
    }
}
