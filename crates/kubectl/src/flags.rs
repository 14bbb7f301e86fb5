//! Command-line flags as kubectl (cobra/pflag) reads them: `--name=value`, `--name value`, `-n value`,
//! `-nvalue`, `-n=value`, boolean flags (`-it`, `--watch=false`), flags whose value is optional (`--dry-run`
//! alone means its NoOptDefVal), and positional arguments in between. kubectl's global flags (its root
//! command's persistent flags: `-n`, `--context`, `-v`, …) are accepted by every command, before or after its
//! words; a command's own flag of the same name shadows the global one, as cobra's local flags do. Values of
//! typed flags (integers, Go durations, booleans) are checked as pflag checks them, and every error is worded as
//! kubectl words it, with its usage hint.

use std::collections::BTreeMap;

/// What a flag's value is, which decides how pflag reads and checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// `--watch`, `--watch=false`: never takes the next word.
    Bool,
    /// Takes a value (`--name=v` or `--name v`).
    String,
    /// A Go `int`, checked with strconv.ParseInt.
    Int,
    /// A Go `time.Duration` (`30s`, `1m30s`, `0`).
    Duration,
    /// A value only in the `--name=v` form; alone it means this NoOptDefVal (`--dry-run`, `--cascade`).
    Optional(&'static str),
}

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Type,
}

impl Spec {
    /// Whether `--long WORD` takes WORD as its value.
    pub fn takes_next(&self) -> bool {
        matches!(self.kind, Type::String | Type::Int | Type::Duration)
    }

    /// How pflag names the flag in its errors: `--long`, or `-s, --long` when it has a shorthand.
    fn display(&self) -> String {
        match self.short {
            Some(s) => format!("-{s}, --{}", self.long),
            None => format!("--{}", self.long),
        }
    }
}

/// A boolean flag (`takes_value` false) or a string flag.
pub(crate) const fn flag(long: &'static str, short: Option<char>, takes_value: bool) -> Spec {
    Spec {
        long,
        short,
        kind: if takes_value {
            Type::String
        } else {
            Type::Bool
        },
    }
}

/// An integer flag.
pub(crate) const fn int(long: &'static str, short: Option<char>) -> Spec {
    Spec {
        long,
        short,
        kind: Type::Int,
    }
}

/// A Go duration flag.
pub(crate) const fn duration(long: &'static str) -> Spec {
    Spec {
        long,
        short: None,
        kind: Type::Duration,
    }
}

/// A flag whose value is optional: alone it stands for `default` (pflag's NoOptDefVal).
pub(crate) const fn optional(long: &'static str, default: &'static str) -> Spec {
    Spec {
        long,
        short: None,
        kind: Type::Optional(default),
    }
}

/// kubectl's global flags: the persistent flags of its root command (cli-runtime's ConfigFlags, the
/// match-version, profiling and warnings flags of kubectl's cmd.go, klog's `-v`/`--vmodule`, and component-base's
/// `--log-flush-frequency`). Every command accepts them; [`crate::run`] checks the values.
pub const GLOBAL: &[Spec] = &[
    flag("as", None, true),
    flag("as-group", None, true),
    flag("as-uid", None, true),
    flag("cache-dir", None, true),
    flag("certificate-authority", None, true),
    flag("client-certificate", None, true),
    flag("client-key", None, true),
    flag("cluster", None, true),
    flag("context", None, true),
    flag("disable-compression", None, false),
    flag("insecure-skip-tls-verify", None, false),
    flag("kubeconfig", None, true),
    flag("kuberc", None, true),
    duration("log-flush-frequency"),
    flag("match-server-version", None, false),
    flag("namespace", Some('n'), true),
    flag("password", None, true),
    flag("profile", None, true),
    flag("profile-output", None, true),
    flag("request-timeout", None, true),
    flag("server", Some('s'), true),
    flag("tls-server-name", None, true),
    flag("token", None, true),
    flag("user", None, true),
    flag("username", None, true),
    int("v", Some('v')),
    flag("vmodule", None, true),
    flag("warnings-as-errors", None, false),
];

/// Parsed arguments: flag values by long name (repeatable flags keep every value), and positionals.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
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

    /// Whether the flag was given at all (with any value).
    pub fn given(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// A boolean flag: present without a value, or `--flag=true` (values are normalised when parsed).
    pub fn is_set(&self, long: &str) -> bool {
        self.get(long).is_some_and(|v| v != "false")
    }

    /// An integer flag's value (checked when parsed).
    pub fn int(&self, long: &str) -> Option<i64> {
        self.get(long).and_then(|v| v.parse().ok())
    }

    /// A duration flag's value in milliseconds (checked when parsed; a negative duration is 0).
    pub fn duration_ms(&self, long: &str) -> Option<u64> {
        self.get(long)
            .and_then(|v| go_duration_ms(v).ok())
            .map(|ms| u64::try_from(ms).unwrap_or(0))
    }

    /// The namespace a command works in: `-n`, else the kubeconfig context's.
    pub fn namespace<'a>(&'a self, default: &'a str) -> &'a str {
        self.get("namespace").unwrap_or(default)
    }
}

/// Go's `strconv.ParseBool`, which kubectl uses for flag values that may be booleans: `1 t T TRUE true True`
/// are true, `0 f F FALSE false False` false, anything else is not a boolean.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The spec for `--long`: the command's own first, then the global one.
pub fn find_long<'s>(specs: &'s [Spec], long: &str) -> Option<&'s Spec> {
    specs.iter().chain(GLOBAL).find(|s| s.long == long)
}

/// The spec for `-c`: the command's own first, then the global one.
pub fn find_short(specs: &[Spec], short: char) -> Option<&Spec> {
    specs.iter().chain(GLOBAL).find(|s| s.short == Some(short))
}

/// Reads `args` against `specs` and the global flags. `command` names the command for the usage hint in
/// errors (`See 'kubectl scale --help' for usage.`).
pub(crate) fn parse(args: &[String], specs: &[Spec], command: &str) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let usage = usage(command);
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
            let Some(spec) = find_long(specs, name) else {
                return Err(format!("error: unknown flag: --{name}\n{usage}"));
            };
            let value = match (spec.kind, inline) {
                (_, Some(v)) => v,
                (Type::Bool, None) => "true".to_string(),
                (Type::Optional(default), None) => default.to_string(),
                (_, None) => next_value(args, &mut i, &format!("--{name}"), &usage)?,
            };
            let value = checked(spec, value).map_err(|e| format!("error: {e}\n{usage}"))?;
            out.values.entry(spec.long).or_default().push(value);
            continue;
        }
        // Shorthand: `-n x`, `-nx`, `-n=x`, bundled booleans `-it`, `-w=false`.
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let ch = chars[j];
            let Some(spec) = find_short(specs, ch) else {
                return Err(format!(
                    "error: unknown shorthand flag: '{ch}' in {a}\n{usage}"
                ));
            };
            let rest: String = chars[j + 1..].iter().collect();
            let value = if spec.kind == Type::Bool {
                match rest.strip_prefix('=') {
                    Some(v) => {
                        j = chars.len();
                        v.to_string()
                    }
                    None => {
                        j += 1;
                        "true".to_string()
                    }
                }
            } else {
                j = chars.len();
                if !rest.is_empty() {
                    rest.strip_prefix('=').unwrap_or(&rest).to_string()
                } else if let Type::Optional(default) = spec.kind {
                    default.to_string()
                } else {
                    next_value(args, &mut i, &format!("'{ch}' in -{ch}"), &usage)?
                }
            };
            let value = checked(spec, value).map_err(|e| format!("error: {e}\n{usage}"))?;
            out.values.entry(spec.long).or_default().push(value);
        }
    }
    Ok(out)
}

/// The value of a flag written without one attached: the next argument, which `i` then steps past. With none
/// left, pflag's error naming the flag as written (`--name`, or `'n' in -n`).
fn next_value(args: &[String], i: &mut usize, flag: &str, usage: &str) -> Result<String, String> {
    let value = args
        .get(*i)
        .ok_or_else(|| format!("error: flag needs an argument: {flag}\n{usage}"))?;
    *i += 1;
    Ok(value.clone())
}

/// kubectl's usage hint after a flag error.
pub(crate) fn usage(command: &str) -> String {
    if command.is_empty() {
        "See 'kubectl --help' for usage.".to_string()
    } else {
        format!("See 'kubectl {command} --help' for usage.")
    }
}

/// A value as pflag stores it: booleans normalised to `true`/`false`, numbers and durations checked.
fn checked(spec: &Spec, value: String) -> Result<String, String> {
    let invalid = |why: String| {
        format!(
            "invalid argument \"{value}\" for \"{}\" flag: {why}",
            spec.display()
        )
    };
    match spec.kind {
        Type::Bool => match parse_bool(&value) {
            Some(b) => Ok(b.to_string()),
            None => Err(invalid(format!(
                "strconv.ParseBool: parsing \"{value}\": invalid syntax"
            ))),
        },
        Type::Int => match value.parse::<i64>() {
            Ok(_) => Ok(value),
            Err(e) => {
                let why = if matches!(
                    e.kind(),
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
                ) {
                    "value out of range"
                } else {
                    "invalid syntax"
                };
                Err(invalid(format!(
                    "strconv.ParseInt: parsing \"{value}\": {why}"
                )))
            }
        },
        Type::Duration => match go_duration_ms(&value) {
            Ok(_) => Ok(value),
            Err(e) => Err(invalid(e)),
        },
        Type::String | Type::Optional(_) => Ok(value),
    }
}

/// Go's time.ParseDuration, in whole milliseconds: `300ms`, `1.5h`, `2h45m`, `-1s`, `0`; its error messages.
pub(crate) fn go_duration_ms(s: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration \"{s}\"");
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration \"{s}\"")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            other => {
                return Err(format!(
                    "time: unknown unit \"{other}\" in duration \"{s}\""
                ))
            }
        };
        total_ns += value * scale;
    }
    if total_ns > 9.223_372_036_854_775e18 {
        return Err(invalid());
    }
    let ms = (total_ns / 1e6) as i64;
    Ok(if negative { -ms } else { ms })
}

/// Where the command words start: skips the global flags (and their values) written before the first word, as
/// cobra does when it finds the command (`kubectl -n ns get pods`). `Err` for a flag there that is not global.
pub(crate) fn first_word(args: &[String]) -> Result<Option<usize>, String> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            return Ok(args.get(i + 1).map(|_| i + 1));
        }
        if a == "-" || !a.starts_with('-') {
            return Ok(Some(i));
        }
        i += 1;
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, _)) => (n, true),
                None => (body, false),
            };
            if matches!(name, "help" | "h") {
                continue;
            }
            let Some(spec) = find_long(&[], name) else {
                return Err(format!("error: unknown flag: --{name}\n{}", usage("")));
            };
            if spec.takes_next() && !inline {
                next_value(args, &mut i, &format!("--{name}"), &usage(""))?;
            }
            continue;
        }
        let mut chars = a[1..].chars();
        while let Some(ch) = chars.next() {
            if ch == 'h' {
                continue;
            }
            let Some(spec) = find_short(&[], ch) else {
                return Err(format!(
                    "error: unknown shorthand flag: '{ch}' in {a}\n{}",
                    usage("")
                ));
            };
            if spec.kind != Type::Bool {
                if chars.as_str().is_empty() && spec.takes_next() {
                    next_value(args, &mut i, &format!("'{ch}' in -{ch}"), &usage(""))?;
                }
                break;
            }
        }
    }
    Ok(None)
}

/// The index of the first positional word among `args` (a subcommand, as `rollout -n ns status` writes it),
/// stepping over flags of `specs` (or global ones) and the values they take.
pub(crate) fn first_positional(args: &[String], specs: &[&[Spec]]) -> Option<usize> {
    let find_long = |name: &str| {
        specs
            .iter()
            .flat_map(|s| s.iter())
            .chain(GLOBAL)
            .find(|s| s.long == name)
    };
    let find_short = |c: char| {
        specs
            .iter()
            .flat_map(|s| s.iter())
            .chain(GLOBAL)
            .find(|s| s.short == Some(c))
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            return None;
        }
        if a == "-" || !a.starts_with('-') {
            return Some(i);
        }
        i += 1;
        if let Some(body) = a.strip_prefix("--") {
            if !body.contains('=') && find_long(body).is_some_and(Spec::takes_next) {
                i += 1;
            }
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        for (j, c) in chars.iter().enumerate() {
            match find_short(*c) {
                Some(spec) if spec.kind == Type::Bool => continue,
                Some(spec) => {
                    if j + 1 == chars.len() && spec.takes_next() {
                        i += 1;
                    }
                    break;
                }
                None => break,
            }
        }
    }
    None
}

/// The global flags anywhere in a command's words (before a `--`), apart from the rest: what
/// [`crate::run`] checks once for every command, and the words left for commands that read no flags of
/// their own. A name in `local` is the command's own flag (it shadows the global one) and stays with the rest.
/// The words are not checked against any command's flags here: the command's own [`parse`] does that.
pub(crate) fn split_globals(
    args: &[String],
    local: &[Spec],
) -> Result<(Parsed, Vec<String>), String> {
    let mut globals = Parsed::default();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            rest.extend(args[i - 1..].iter().cloned());
            break;
        }
        let global = if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            match GLOBAL.iter().find(|s| s.long == name) {
                Some(spec) if !local.iter().any(|l| l.long == name) => {
                    let value = match (inline, spec.kind) {
                        (Some(v), _) => v.to_string(),
                        (None, Type::Bool) => "true".to_string(),
                        (None, _) => next_value(args, &mut i, &format!("--{name}"), &usage(""))?,
                    };
                    Some((spec, value))
                }
                _ => None,
            }
        } else if let Some(short) = a.strip_prefix('-').and_then(|s| s.chars().next()) {
            match GLOBAL.iter().find(|s| s.short == Some(short)) {
                Some(spec) if !local.iter().any(|l| l.short == Some(short)) => {
                    let attached = &a[1 + short.len_utf8()..];
                    let value = if !attached.is_empty() {
                        attached.strip_prefix('=').unwrap_or(attached).to_string()
                    } else {
                        next_value(args, &mut i, &format!("'{short}' in -{short}"), &usage(""))?
                    };
                    Some((spec, value))
                }
                _ => None,
            }
        } else {
            None
        };
        match global {
            Some((spec, value)) => {
                let value =
                    checked(spec, value).map_err(|e| format!("error: {e}\n{}", usage("")))?;
                globals.values.entry(spec.long).or_default().push(value);
            }
            None => rest.push(a.clone()),
        }
    }
    Ok((globals, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    const SPECS: &[Spec] = &[
        flag("output", Some('o'), true),
        flag("watch", Some('w'), false),
        int("replicas", None),
        duration("timeout"),
        optional("dry-run", "unchanged"),
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
        // A bool never takes the next word; `-w=false` and `--watch=0` turn it off.
        let p = parse(&argv("-w false"), SPECS, "get").unwrap();
        assert!(p.is_set("watch"));
        assert_eq!(p.args, ["false"]);
        assert!(!parse(&argv("-w=false"), SPECS, "get")
            .unwrap()
            .is_set("watch"));
        assert!(!parse(&argv("--watch=0"), SPECS, "get")
            .unwrap()
            .is_set("watch"));
        // An optional value is only ever attached.
        let p = parse(&argv("deploy --dry-run -o yaml"), SPECS, "create").unwrap();
        assert_eq!(p.get("dry-run"), Some("unchanged"));
        assert_eq!(p.get("output"), Some("yaml"));
        assert_eq!(
            parse(&argv("--dry-run=client"), SPECS, "create")
                .unwrap()
                .get("dry-run"),
            Some("client")
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

    /// pflag's typed flags: strconv.ParseInt, strconv.ParseBool and time.ParseDuration messages.
    #[test]
    fn typed_values_are_checked_as_pflag_checks_them() {
        assert_eq!(
            parse(&argv("--replicas=x"), SPECS, "scale").unwrap_err(),
            "error: invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl scale --help' for usage."
        );
        assert_eq!(
            parse(&argv("--watch=maybe"), SPECS, "get").unwrap_err(),
            "error: invalid argument \"maybe\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            parse(&argv("--timeout=20"), SPECS, "wait").unwrap_err(),
            "error: invalid argument \"20\" for \"--timeout\" flag: time: missing unit in duration \"20\"\nSee 'kubectl wait --help' for usage."
        );
        let p = parse(&argv("--timeout 1m30s --replicas -2"), SPECS, "scale").unwrap();
        assert_eq!(p.duration_ms("timeout"), Some(90_000));
        assert_eq!(p.int("replicas"), Some(-2));
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration_ms("0"), Ok(0));
        assert_eq!(go_duration_ms("20s"), Ok(20_000));
        assert_eq!(go_duration_ms("1.5h"), Ok(5_400_000));
        assert_eq!(go_duration_ms("2h45m"), Ok(9_900_000));
        assert_eq!(go_duration_ms("300ms"), Ok(300));
        assert_eq!(go_duration_ms("-1s"), Ok(-1_000));
        assert_eq!(
            go_duration_ms("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".into())
        );
        assert_eq!(
            go_duration_ms("x"),
            Err("time: invalid duration \"x\"".into())
        );
        assert_eq!(
            go_duration_ms(""),
            Err("time: invalid duration \"\"".into())
        );
    }

    /// cobra finds the command after the root's persistent flags: `kubectl -n ns get`, `kubectl -v=6 get`.
    #[test]
    fn the_first_word_comes_after_global_flags() {
        assert_eq!(first_word(&argv("get pods")), Ok(Some(0)));
        assert_eq!(first_word(&argv("-n yasu-abe rollout status")), Ok(Some(2)));
        assert_eq!(first_word(&argv("--namespace=x get")), Ok(Some(1)));
        assert_eq!(
            first_word(&argv("-nx --context kind-kind get")),
            Ok(Some(3))
        );
        assert_eq!(
            first_word(&argv("-v 6 --insecure-skip-tls-verify get")),
            Ok(Some(3))
        );
        assert_eq!(first_word(&argv("-nx")), Ok(None));
        assert!(first_word(&argv("-n"))
            .unwrap_err()
            .starts_with("error: flag needs an argument: 'n' in -n"));
        assert!(first_word(&argv("--replicas=3 scale"))
            .unwrap_err()
            .starts_with("error: unknown flag: --replicas\nSee 'kubectl --help' for usage."));
    }
}
