//! `printf` as bash's builtin runs it (builtins/printf.def, bash 5.2): the format is reused while arguments
//! remain, a missing argument is an empty string or zero, `%b` expands escapes in its argument and `\c` there
//! ends all output, `%q` quotes for the shell, and a number that does not parse is reported (`printf: abc:
//! invalid number`) while the part that did parse is printed and the status becomes 1. The conversions
//! themselves (flags, width, precision, `%d %i %o %u %x %X %c %s %f %F %e %E %g %G`) are C's printf's, and
//! awk's `printf` and `sprintf` use the same ones through [`Spec`].

use crate::shell::Output;

/// One conversion specification: `%[flags][width][.precision]conv`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    pub left: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub zero: bool,
    pub width: Option<usize>,
    pub precision: Option<usize>,
    pub conv: char,
}

impl Spec {
    /// Pads `body` (with its sign or prefix `lead` kept in front of zero padding) to the field width.
    fn pad(&self, lead: &str, body: &str, zero_ok: bool) -> String {
        let len = lead.chars().count() + body.chars().count();
        let width = self.width.unwrap_or(0);
        if len >= width {
            return format!("{lead}{body}");
        }
        let fill = width - len;
        if self.left {
            format!("{lead}{body}{}", " ".repeat(fill))
        } else if self.zero && zero_ok {
            format!("{lead}{}{body}", "0".repeat(fill))
        } else {
            format!("{}{lead}{body}", " ".repeat(fill))
        }
    }

    /// `%s` (and `%c`, `%b`, `%q` once their text is ready): precision cuts, width pads.
    pub fn string(&self, s: &str) -> String {
        let cut: String = match self.precision {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        };
        self.pad("", &cut, false)
    }

    /// `%d`/`%i` of a signed value.
    pub fn signed(&self, v: i128) -> String {
        let digits = v.unsigned_abs().to_string();
        let sign = if v < 0 {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        self.integer(sign, digits, v == 0)
    }

    /// `%o`, `%u`, `%x`, `%X` of an unsigned value.
    pub fn unsigned(&self, v: u128) -> String {
        let (digits, prefix) = match self.conv {
            'o' => {
                let d = format!("{v:o}");
                let p = if self.alt && !d.starts_with('0') {
                    "0"
                } else {
                    ""
                };
                (d, p)
            }
            'x' => (format!("{v:x}"), if self.alt && v != 0 { "0x" } else { "" }),
            'X' => (format!("{v:X}"), if self.alt && v != 0 { "0X" } else { "" }),
            _ => (v.to_string(), ""),
        };
        self.integer(prefix, digits, v == 0)
    }

    /// Precision is a minimum number of digits (and `.0` prints nothing for zero); with a precision the `0`
    /// flag is ignored.
    fn integer(&self, lead: &str, digits: String, zero: bool) -> String {
        let digits = match self.precision {
            Some(0) if zero => String::new(),
            Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
            _ => digits,
        };
        self.pad(lead, &digits, self.precision.is_none())
    }

    /// `%f %F %e %E %g %G` of a double.
    pub fn float(&self, v: f64) -> String {
        let sign = if v.is_sign_negative() && !v.is_nan() {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let a = v.abs();
        let upper = self.conv.is_ascii_uppercase();
        if !a.is_finite() {
            let text = if a.is_nan() { "nan" } else { "inf" };
            let text = if upper {
                text.to_ascii_uppercase()
            } else {
                text.to_string()
            };
            return self.pad(sign, &text, false);
        }
        let p = self.precision.unwrap_or(6);
        let body = match self.conv.to_ascii_lowercase() {
            'e' => exponent(a, p, self.alt),
            'g' => {
                let p = p.max(1);
                // The exponent %e would print decides between %e and %f.
                let x = if a == 0.0 {
                    0
                } else {
                    exponent(a, p - 1, false)
                        .rsplit('e')
                        .next()
                        .and_then(|e| e.parse::<i32>().ok())
                        .unwrap_or(0)
                };
                let text = if x < -4 || x >= p as i32 {
                    exponent(a, p - 1, self.alt)
                } else {
                    fixed(a, (p as i32 - 1 - x).max(0) as usize, self.alt)
                };
                if self.alt {
                    text
                } else {
                    strip_zeros(&text)
                }
            }
            _ => fixed(a, p, self.alt),
        };
        let body = if upper {
            body.to_ascii_uppercase()
        } else {
            body
        };
        self.pad(sign, &body, true)
    }
}

/// `a` with `p` decimals.
fn fixed(a: f64, p: usize, alt: bool) -> String {
    let s = format!("{a:.p$}");
    if alt && p == 0 {
        format!("{s}.")
    } else {
        s
    }
}

/// `a` as C's `%e`: one digit, `p` decimals, an exponent of at least two digits with its sign.
fn exponent(a: f64, p: usize, alt: bool) -> String {
    let s = format!("{a:.p$e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mantissa = if alt && p == 0 {
        format!("{mantissa}.")
    } else {
        mantissa.to_string()
    };
    format!(
        "{mantissa}e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

/// `%g` drops trailing zeros of the fraction (and the point when nothing is left of it).
fn strip_zeros(s: &str) -> String {
    let (mantissa, exp) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{mantissa}{exp}")
}

/// Reads a conversion at `chars[i]` (just after the `%`): the spec and where it ends; the `*` width and
/// precision are taken from `star` (in the order they appear). `Err` carries the text of an incomplete spec.
pub fn parse_spec(
    chars: &[char],
    mut i: usize,
    star: &mut dyn FnMut() -> i64,
) -> Result<(Spec, usize), usize> {
    let mut spec = Spec::default();
    while let Some(&c) = chars.get(i) {
        match c {
            '-' => spec.left = true,
            '+' => spec.plus = true,
            ' ' => spec.space = true,
            '#' => spec.alt = true,
            '0' => spec.zero = true,
            '\'' => {}
            _ => break,
        }
        i += 1;
    }
    if chars.get(i) == Some(&'*') {
        i += 1;
        let w = star();
        if w < 0 {
            spec.left = true;
        }
        spec.width = Some(w.unsigned_abs() as usize);
    } else {
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        if i > start {
            spec.width = chars[start..i]
                .iter()
                .collect::<String>()
                .parse()
                .ok()
                .map(|w: usize| w.min(1 << 16));
        }
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        if chars.get(i) == Some(&'*') {
            i += 1;
            let p = star();
            // "A negative precision is taken as if the precision were omitted."
            spec.precision = (p >= 0).then_some(p as usize);
        } else {
            let negative = chars.get(i) == Some(&'-');
            if negative {
                i += 1;
            }
            let start = i;
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            let p: usize = chars[start..i]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(0);
            spec.precision = (!negative).then_some(p.min(1 << 16));
        }
    }
    // Length modifiers are accepted and mean nothing here.
    while chars
        .get(i)
        .is_some_and(|c| matches!(c, 'h' | 'l' | 'L' | 'j' | 'z' | 't'))
    {
        i += 1;
    }
    match chars.get(i) {
        Some(&c) => {
            spec.conv = c;
            Ok((spec, i + 1))
        }
        None => Err(i),
    }
}

/// What `printf` produced: its output, its error messages (each after `printf: `), and its status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printed {
    pub out: String,
    /// Each message, with how much of `out` had been written when it was reported.
    pub errors: Vec<(usize, String)>,
    pub status: i32,
}

impl Printed {
    fn report(&mut self, message: String) {
        self.errors.push((self.out.len(), message));
    }

    /// Output and messages (each after `prefix`) in the order they reach the terminal. Messages go out at
    /// once; with `line_buffered` (bash's own stdout: `shell_initialize` calls `sh_setlinebuf`) the output goes
    /// out a line at a time, so a message overtakes an unfinished line; without it (GNU's `error()` flushes
    /// stdout first) a message comes exactly where it was reported.
    pub fn output(&self, prefix: &str, line_buffered: bool) -> Output {
        let mut output = Output::default();
        let mut flushed = 0;
        for (at, message) in &self.errors {
            let upto = if line_buffered {
                self.out[..*at].rfind('\n').map_or(0, |i| i + 1)
            } else {
                *at
            };
            if upto > flushed {
                output.push_stdout(&self.out[flushed..upto]);
                flushed = upto;
            }
            output.push_stderr(&format!("{prefix}{message}\n"));
        }
        output.push_stdout(&self.out[flushed..]);
        output.status = self.status;
        output
    }
}

/// Expands one backslash escape at `chars[i]` (the character after the backslash), as bash's `tescape` does:
/// in the format (`in_b` false) `\NNN` is octal and `\c` is not special; in a `%b` argument (`in_b`) `\0NNN`
/// is octal too and `\c` ends the output. Answers the text, how many characters were used, and whether `\c`
/// was seen. An unknown escape keeps its backslash.
fn escape(chars: &[char], i: usize, in_b: bool, errors: &mut Vec<String>) -> (String, usize, bool) {
    let Some(&c) = chars.get(i) else {
        return ("\\".into(), 0, false);
    };
    let one = |ch: char| (ch.to_string(), 1, false);
    match c {
        'a' => one('\x07'),
        'b' => one('\x08'),
        'e' | 'E' => one('\x1b'),
        'f' => one('\x0c'),
        'n' => one('\n'),
        'r' => one('\r'),
        't' => one('\t'),
        'v' => one('\x0b'),
        '\\' => one('\\'),
        '\'' | '"' | '?' if !in_b => one(c),
        'c' if in_b => (String::new(), 1, true),
        '0'..='7' => {
            let mut value = c.to_digit(8).unwrap_or(0);
            let mut more = if value == 0 && in_b { 3 } else { 2 };
            let mut used = 1;
            while more > 0 {
                match chars.get(i + used).and_then(|d| d.to_digit(8)) {
                    Some(d) => value = value * 8 + d,
                    None => break,
                }
                used += 1;
                more -= 1;
            }
            (byte_char(value & 0xff), used, false)
        }
        'x' => {
            let mut value = 0;
            let mut used = 1;
            while used <= 2 {
                match chars.get(i + used).and_then(|d| d.to_digit(16)) {
                    Some(d) => value = value * 16 + d,
                    None => break,
                }
                used += 1;
            }
            if used == 1 {
                errors.push("missing hex digit for \\x".into());
                return ("\\".into(), 0, false);
            }
            (byte_char(value), used, false)
        }
        'u' | 'U' => {
            let max = if c == 'u' { 4 } else { 8 };
            let mut value: u32 = 0;
            let mut used = 1;
            while used <= max {
                match chars.get(i + used).and_then(|d| d.to_digit(16)) {
                    Some(d) => value = value.saturating_mul(16).saturating_add(d),
                    None => break,
                }
                used += 1;
            }
            if used == 1 {
                errors.push(format!("missing unicode digit for \\{c}"));
                return ("\\".into(), 0, false);
            }
            (
                char::from_u32(value).unwrap_or('\u{fffd}').to_string(),
                used,
                false,
            )
        }
        _ => ("\\".into(), 0, false),
    }
}

/// A byte value as the character the terminal shows for it (text here is Unicode: bytes above 0x7f map to
/// the Latin-1 characters).
fn byte_char(b: u32) -> String {
    char::from_u32(b).map(String::from).unwrap_or_default()
}

/// `%b`: the argument with its escapes expanded; `true` when `\c` asked to stop.
pub fn expand_b(arg: &str, errors: &mut Vec<String>) -> (String, bool) {
    let chars: Vec<char> = arg.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (text, used, stop) = escape(&chars, i + 1, true, errors);
        out.push_str(&text);
        if stop {
            return (out, true);
        }
        i += 1 + used;
    }
    (out, false)
}

/// `%q`: the argument quoted so the shell reads it back as it is (lib/sh/shquote.c `sh_backslash_quote`; `''`
/// for an empty one, `$'…'` when it holds control characters).
pub fn shell_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    if s.chars().any(|c| c.is_control()) {
        let mut out = String::from("$'");
        for c in s.chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\x07' => out.push_str("\\a"),
                '\x08' => out.push_str("\\b"),
                '\x0b' => out.push_str("\\v"),
                '\x0c' => out.push_str("\\f"),
                '\x1b' => out.push_str("\\E"),
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\{:03o}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('\'');
        return out;
    }
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for (i, c) in s.chars().enumerate() {
        let special = matches!(
            c,
            ' ' | '\t'
                | '\n'
                | '!'
                | '"'
                | '$'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | ';'
                | '<'
                | '>'
                | '?'
                | '['
                | '\\'
                | ']'
                | '^'
                | '`'
                | '{'
                | '|'
                | '}'
        ) || (c == '#' && i == 0)
            || (c == '~' && (i == 0 || matches!(prev, Some(':' | '='))));
        if special {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// A number argument as `strtoimax(arg, &end, 0)` reads it: blanks, a sign, `0x` hex or `0` octal or
/// decimal. `'c` or `"c` is the character's code. Answers the value and whether all of the argument was used
/// (bash prints `invalid number` otherwise, and uses the value read so far); an overflow saturates.
pub fn parse_integer(arg: &str) -> (i128, bool, bool) {
    if let Some(rest) = arg.strip_prefix('\'').or_else(|| arg.strip_prefix('"')) {
        return (rest.chars().next().map_or(0, |c| c as i128), true, false);
    }
    if arg.is_empty() {
        return (0, true, false);
    }
    let blanks = arg.len() - arg.trim_start_matches([' ', '\t', '\n']).len();
    let s = &arg[blanks..];
    let (negative, sign) = match s.as_bytes().first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let body = &s[sign..];
    let hex = (body.starts_with("0x") || body.starts_with("0X"))
        && body[2..].starts_with(|c: char| c.is_ascii_hexdigit());
    let (radix, skip) = if hex {
        (16, 2)
    } else if body.starts_with('0') {
        (8, 0)
    } else {
        (10, 0)
    };
    let mut value: i128 = 0;
    let mut digits = 0;
    let mut overflow = false;
    for c in body[skip..].chars() {
        let Some(d) = c.to_digit(radix) else { break };
        value = value * i128::from(radix) + i128::from(d);
        if value > i128::from(u64::MAX) {
            overflow = true;
            value = i128::from(u64::MAX);
        }
        digits += 1;
    }
    // With no digits strtoimax reads nothing at all, and the whole argument is left over.
    let end = if digits == 0 {
        0
    } else {
        blanks + sign + skip + digits
    };
    (
        if negative { -value } else { value },
        end == arg.len(),
        overflow,
    )
}

/// A floating argument as `strtod` reads it: the value and whether all of it was used.
pub fn parse_float(arg: &str) -> (f64, bool) {
    if let Some(rest) = arg.strip_prefix('\'').or_else(|| arg.strip_prefix('"')) {
        return (
            rest.chars().next().map_or(0.0, |c| f64::from(c as u32)),
            true,
        );
    }
    let s = arg.trim_start_matches([' ', '\t', '\n']);
    if s.is_empty() {
        return (0.0, true);
    }
    // The longest prefix that is a number.
    let mut best = (0.0, 0);
    for end in (1..=s.len()).filter(|e| s.is_char_boundary(*e)) {
        let candidate = &s[..end];
        if candidate.ends_with(['e', 'E', '+', '-', '.']) && end < s.len() {
            continue;
        }
        let lower = candidate.to_ascii_lowercase();
        let named = matches!(
            lower.trim_start_matches(['+', '-']),
            "inf" | "infinity" | "nan"
        );
        if let Ok(v) = candidate.parse::<f64>() {
            if named || !lower.contains(['i', 'n']) {
                best = (v, end);
            }
        }
    }
    (best.0, best.1 == s.len())
}

/// Runs `printf FORMAT [ARGUMENTS…]` (the arguments after any `-v VAR`, which the caller handles).
pub fn printf(format: &str, args: &[String]) -> Printed {
    let mut p = Printed::default();
    let chars: Vec<char> = format.chars().collect();
    let mut next = 0usize;
    loop {
        let before = next;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' {
                let mut errors = Vec::new();
                let (text, used, _) = escape(&chars, i + 1, false, &mut errors);
                errors.into_iter().for_each(|e| p.report(e));
                p.out.push_str(&text);
                i += 1 + used;
                continue;
            }
            if c != '%' {
                p.out.push(c);
                i += 1;
                continue;
            }
            if chars.get(i + 1) == Some(&'%') {
                p.out.push('%');
                i += 2;
                continue;
            }
            let mut star = || {
                let arg = args.get(next).cloned();
                next += 1;
                match arg {
                    Some(a) => {
                        let (v, complete, _) = parse_integer(&a);
                        if !complete {
                            p.report(invalid_number(&a));
                            p.status = 1;
                        }
                        v.clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i64
                    }
                    None => 0,
                }
            };
            let (spec, end) = match parse_spec(&chars, i + 1, &mut star) {
                Ok(r) => r,
                Err(_) => {
                    let text: String = chars[i..].iter().collect();
                    p.report(format!("`{text}': missing format character"));
                    p.status = 1;
                    return p;
                }
            };
            i = end;
            let arg = args.get(next).cloned();
            let consumes = !matches!(spec.conv, '%');
            if consumes && arg.is_some() {
                next += 1;
            }
            let arg_text = arg.clone().unwrap_or_default();
            match spec.conv {
                's' => p.out.push_str(&spec.string(&arg_text)),
                'c' => {
                    let first: String = arg_text.chars().take(1).collect();
                    p.out.push_str(&spec.string(&first));
                }
                'b' => {
                    let mut errors = Vec::new();
                    let (text, stop) = expand_b(&arg_text, &mut errors);
                    errors.into_iter().for_each(|e| p.report(e));
                    p.out.push_str(&spec.string(&text));
                    if stop {
                        return p;
                    }
                }
                'q' | 'Q' => p.out.push_str(&spec.string(&shell_quote(&arg_text))),
                'd' | 'i' | 'o' | 'u' | 'x' | 'X' => {
                    let (v, complete, overflow) = match &arg {
                        Some(a) => parse_integer(a),
                        None => (0, true, false),
                    };
                    if !complete {
                        p.report(invalid_number(&arg_text));
                        p.status = 1;
                    } else if overflow || v > i128::from(i64::MAX) && matches!(spec.conv, 'd' | 'i')
                    {
                        p.report(format!("{arg_text}: Numerical result out of range"));
                    }
                    if matches!(spec.conv, 'd' | 'i') {
                        let v = v.clamp(i128::from(i64::MIN), i128::from(i64::MAX));
                        p.out.push_str(&spec.signed(v));
                    } else {
                        // strtoumax: a negative value wraps around 2^64.
                        let u = if v < 0 {
                            (i128::from(u64::MAX) + 1 + v.max(-i128::from(u64::MAX))) as u128
                        } else {
                            v as u128
                        };
                        p.out.push_str(&spec.unsigned(u));
                    }
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                    let (v, complete) = match &arg {
                        Some(a) => parse_float(a),
                        None => (0.0, true),
                    };
                    if !complete {
                        p.report(invalid_number(&arg_text));
                        p.status = 1;
                    }
                    p.out.push_str(&spec.float(v));
                }
                other => {
                    p.report(format!("`{other}': invalid format character"));
                    p.status = 1;
                    return p;
                }
            }
        }
        // The format is used again while arguments remain, if it used any.
        if next == before || next >= args.len() {
            break;
        }
    }
    p
}

/// bash's `sh_invalidnum`: which kind of number the argument looked like.
fn invalid_number(arg: &str) -> String {
    let mut c = arg.chars();
    let kind = match (c.next(), c.next()) {
        (Some('0'), Some(d)) if d.is_ascii_digit() => "invalid octal number",
        (Some('0'), Some('x')) => "invalid hex number",
        _ => "invalid number",
    };
    format!("{arg}: {kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: &str, args: &[&str]) -> Printed {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        printf(format, &args)
    }

    fn out(format: &str, args: &[&str]) -> String {
        run(format, args).out
    }

    fn errors(format: &str, args: &[&str]) -> Vec<String> {
        run(format, args)
            .errors
            .into_iter()
            .map(|(_, e)| e)
            .collect()
    }

    /// C's printf for the conversions bash passes through (`mklong` + `printf`).
    #[test]
    fn conversions_follow_c_printf() {
        assert_eq!(out("%5s|%-5s|%.2s", &["ab", "cd", "xyz"]), "   ab|cd   |xy");
        assert_eq!(
            out("%05d|%-5d|%+d|% d", &["42", "42", "42", "42"]),
            "00042|42   |+42| 42"
        );
        assert_eq!(
            out(
                "%.3d|%5.3d|%x|%X|%#x|%o|%#o",
                &["7", "7", "255", "255", "255", "8", "8"]
            ),
            "007|  007|ff|FF|0xff|10|010"
        );
        assert_eq!(out("%u", &["-1"]), "18446744073709551615");
        assert_eq!(out("%c%c", &["hello", "w"]), "hw");
        assert_eq!(
            out("%f|%.2f|%8.3f|%-8.1f|", &["3.14159", "2.5", "1", "-1.25"]),
            "3.141590|2.50|   1.000|-1.2    |"
        );
        assert_eq!(
            out("%e|%E|%.0e", &["12345.678", "0.000123", "5"]),
            "1.234568e+04|1.230000E-04|5e+00"
        );
        assert_eq!(
            out(
                "%g|%g|%g|%g|%G",
                &["100000", "1000000", "0.0001", "0.00001", "1e-10"]
            ),
            "100000|1e+06|0.0001|1e-05|1E-10"
        );
        assert_eq!(
            out("%g|%.3g|%#g", &["3.14159", "3.14159", "1"]),
            "3.14159|3.14|1.00000"
        );
        assert_eq!(out("%d %d", &["0x1f", "010"]), "31 8");
        assert_eq!(out("%d", &["'A"]), "65");
        assert_eq!(
            out("%*d|%-*d|%.*f", &["4", "1", "3", "2", "2", "3.14159"]),
            "   1|2  |3.14"
        );
        assert_eq!(out("100%%", &[]), "100%");
    }

    /// printf.def: the format is reused while arguments remain; missing ones are "" and 0.
    #[test]
    fn the_format_is_reused_for_extra_arguments() {
        assert_eq!(out("%s\n", &["a", "b", "c"]), "a\nb\nc\n");
        assert_eq!(out("%s=%s\n", &["a", "1", "b"]), "a=1\nb=\n");
        assert_eq!(out("%s %d|", &[]), " 0|");
        assert_eq!(out("hello\n", &["ignored"]), "hello\n");
    }

    /// `tescape`: `\n \t \\ \0NNN \NNN \xHH` in the format; `%b` expands its argument and `\c` stops everything.
    #[test]
    fn escapes_in_the_format_and_in_percent_b() {
        // In the format `\0NN` takes two more digits: `\010` is a backspace, then `1`.
        // In the format `\\0NN` takes two more digits: `\\010` is a backspace, then `1`.
        assert_eq!(out("a\\tb\\n\\\\\\101\\x41\\0101", &[]), "a\tb\n\\AA\u{8}1");
        assert_eq!(out("\\q\\c", &[]), "\\q\\c");
        assert_eq!(out("%b|", &["x\\ty\\0101"]), "x\tyA|");
        assert_eq!(out("%b|%s", &["stop\\chere", "never"]), "stop");
        assert_eq!(errors("\\x", &[]), vec!["missing hex digit for \\x"]);
    }

    #[test]
    fn percent_q_quotes_for_the_shell() {
        assert_eq!(
            out("%q ", &["a b", "it's", "", "$HOME", "~x", "a~b", "plain"]),
            "a\\ b it\\'s '' \\$HOME \\~x a~b plain "
        );
        assert_eq!(out("%q", &["a\nb"]), "$'a\\nb'");
    }

    /// `sh_invalidnum`: the message names the argument; what was read is printed; the status is 1.
    #[test]
    fn bad_numbers_are_reported_as_bash_reports_them() {
        let p = run("%d|%d|%d\n", &["abc", "12abc", "09"]);
        assert_eq!(p.out, "0|12|0\n");
        assert_eq!(
            errors("%d|%d|%d\n", &["abc", "12abc", "09"]),
            vec![
                "abc: invalid number",
                "12abc: invalid number",
                "09: invalid octal number"
            ]
        );
        assert_eq!(p.status, 1);
        assert_eq!(run("%d", &[""]).status, 0);
        assert_eq!(errors("%f", &["1.5x"]), vec!["1.5x: invalid number"]);
        let p = run("%d", &["99999999999999999999"]);
        assert_eq!(p.out, "9223372036854775807");
        assert_eq!(
            errors("%d", &["99999999999999999999"]),
            vec!["99999999999999999999: Numerical result out of range"]
        );
        assert_eq!(p.status, 0);
        assert_eq!(errors("%k", &[]), vec!["`k': invalid format character"]);
        assert_eq!(errors("%5", &[]), vec!["`%5': missing format character"]);
    }

    /// Each message goes out when it is reported (bash's `builtin_error` writes to stderr straight away). Bash's
    /// stdout is line buffered (shell.c `shell_initialize`: `sh_setlinebuf (stdout)`), so the lines finished
    /// before it come first and an unfinished one after it; GNU's `error()` flushes stdout first, so a
    /// message comes exactly where it was reported.
    #[test]
    fn messages_reach_the_terminal_where_they_were_reported() {
        let p = run("%d %d\n", &["1", "x", "3", "4"]);
        let shown = |o: Output| -> Vec<(crate::shell::Stream, String)> { o.printed().to_vec() };
        use crate::shell::Stream::{Stderr, Stdout};
        assert_eq!(
            shown(p.output("bash: printf: ", true)),
            vec![
                (Stderr, "bash: printf: x: invalid number\n".to_string()),
                (Stdout, "1 0\n3 4\n".to_string()),
            ]
        );
        let p = run("%d\n", &["1", "x", "3"]);
        assert_eq!(
            shown(p.output("bash: printf: ", true)),
            vec![
                (Stdout, "1\n".to_string()),
                (Stderr, "bash: printf: x: invalid number\n".to_string()),
                (Stdout, "0\n3\n".to_string()),
            ]
        );
        let p = run("%d %d\n", &["1", "x"]);
        assert_eq!(
            shown(p.output("printf: ", false)),
            vec![
                (Stdout, "1 ".to_string()),
                (Stderr, "printf: x: invalid number\n".to_string()),
                (Stdout, "0\n".to_string()),
            ]
        );
        assert_eq!(p.output("printf: ", false).status, 1);
    }
}
