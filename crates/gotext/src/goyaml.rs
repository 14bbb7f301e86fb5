//! YAML as kubectl (`-o yaml`, `edit`) and kustomize print it: sigs.k8s.io/yaml's `JSONToYAML`, i.e. Go's yaml.v2 emitter (keys in yaml.v2's
//! order, sequences level with their key, quoting chosen by what a plain scalar would read back as, long
//! lines folded at 80 columns, multi-line strings as `|` blocks).

use serde_json::Value;

/// One document, ending in a newline.
pub fn document(v: &Value) -> String {
    let mut e = Emitter::default();
    match v {
        Value::Object(m) if !m.is_empty() => e.mapping(m, 0, false),
        Value::Array(a) if !a.is_empty() => e.sequence(a, 0, false),
        Value::Object(_) => e.put("{}"),
        Value::Array(_) => e.put("[]"),
        scalar => e.scalar(scalar, 0),
    }
    if !e.out.ends_with('\n') {
        e.out.push('\n');
    }
    e.out
}

const BEST_WIDTH: usize = 80;

#[derive(Default)]
struct Emitter {
    out: String,
    column: usize,
}

impl Emitter {
    fn put(&mut self, s: &str) {
        for c in s.chars() {
            self.out.push(c);
            if c == '\n' {
                self.column = 0;
            } else {
                self.column += 1;
            }
        }
    }

    /// A new line at `indent` (yaml.v2's `write_indent`), unless already there.
    fn indent(&mut self, indent: usize) {
        if self.column != 0 {
            self.put("\n");
        }
        while self.column < indent {
            self.put(" ");
        }
    }

    fn mapping(&mut self, m: &serde_json::Map<String, Value>, indent: usize, inline_first: bool) {
        let mut keys: Vec<&String> = m.keys().collect();
        // This crate sits below ordinal_api::sort; its few sorts stay the standard ones.
        #[allow(clippy::disallowed_methods)]
        keys.sort_by(|a, b| key_order(a, b));
        for (i, k) in keys.into_iter().enumerate() {
            if !(inline_first && i == 0) {
                self.indent(indent);
            }
            self.key(k);
            self.put(":");
            match &m[k] {
                Value::Object(child) if !child.is_empty() => self.mapping(child, indent + 2, false),
                Value::Array(items) if !items.is_empty() => self.sequence(items, indent, false),
                Value::Object(_) => self.put(" {}"),
                Value::Array(_) => self.put(" []"),
                scalar => {
                    self.put(" ");
                    self.scalar(scalar, indent + 2);
                }
            }
        }
    }

    fn sequence(&mut self, items: &[Value], indent: usize, inline_first: bool) {
        for (i, item) in items.iter().enumerate() {
            if !(inline_first && i == 0) {
                self.indent(indent);
            }
            self.put("-");
            match item {
                Value::Object(m) if !m.is_empty() => {
                    self.put(" ");
                    self.mapping(m, indent + 2, true);
                }
                Value::Array(a) if !a.is_empty() => {
                    self.put(" ");
                    self.sequence(a, indent + 2, true);
                }
                Value::Object(_) => self.put(" {}"),
                Value::Array(_) => self.put(" []"),
                scalar => {
                    self.put(" ");
                    self.scalar(scalar, indent + 2);
                }
            }
        }
    }

    fn key(&mut self, k: &str) {
        let style = choose_style(k, true);
        self.write(k, style, 0, false);
    }

    fn scalar(&mut self, v: &Value, indent: usize) {
        match v {
            Value::Null => self.put("null"),
            Value::Bool(b) => self.put(if *b { "true" } else { "false" }),
            Value::Number(n) => self.put(&number(n)),
            Value::String(s) => {
                let style = choose_style(s, false);
                self.write(s, style, indent, true);
            }
            _ => {}
        }
    }

    fn write(&mut self, s: &str, style: Style, indent: usize, breaks: bool) {
        match style {
            Style::Plain => self.plain(s, indent, breaks),
            Style::Single => self.single(s, indent, breaks),
            Style::Double => self.double(s, indent, breaks),
            Style::Literal => self.literal(s, indent),
        }
    }

    /// Continues a folded scalar on a new line at `indent`.
    fn fold(&mut self, indent: usize) {
        self.put("\n");
        while self.column < indent {
            self.put(" ");
        }
    }

    fn plain(&mut self, s: &str, indent: usize, breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if breaks && !spaces && self.column > BEST_WIDTH && chars.get(i + 1) != Some(&' ') {
                    self.fold(indent);
                } else {
                    self.put(" ");
                }
                spaces = true;
            } else {
                self.put(&c.to_string());
                spaces = false;
            }
        }
    }

    fn single(&mut self, s: &str, indent: usize, breaks: bool) {
        self.put("'");
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.fold(indent);
                } else {
                    self.put(" ");
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put("'");
                }
                self.put(&c.to_string());
                spaces = false;
            }
        }
        self.put("'");
    }

    fn double(&mut self, s: &str, indent: usize, breaks: bool) {
        self.put("\"");
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put("\\");
                let esc = match c {
                    '\0' => "0".to_string(),
                    '\u{7}' => "a".into(),
                    '\u{8}' => "b".into(),
                    '\t' => "t".into(),
                    '\n' => "n".into(),
                    '\u{b}' => "v".into(),
                    '\u{c}' => "f".into(),
                    '\r' => "r".into(),
                    '\u{1b}' => "e".into(),
                    '"' => "\"".into(),
                    '\\' => "\\".into(),
                    '\u{85}' => "N".into(),
                    '\u{a0}' => "_".into(),
                    '\u{2028}' => "L".into(),
                    '\u{2029}' => "P".into(),
                    c if (c as u32) <= 0xff => format!("x{:02X}", c as u32),
                    c if (c as u32) <= 0xffff => format!("u{:04X}", c as u32),
                    c => format!("U{:08X}", c as u32),
                };
                self.put(&esc);
                spaces = false;
            } else if c == ' ' {
                if breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < chars.len() {
                    self.fold(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put("\\");
                    }
                } else {
                    self.put(" ");
                }
                spaces = true;
            } else {
                self.put(&c.to_string());
                spaces = false;
            }
        }
        self.put("\"");
    }

    fn literal(&mut self, s: &str, indent: usize) {
        self.put("|");
        if s.starts_with(' ') || s.starts_with(is_break) {
            self.put("2");
        }
        let chars: Vec<char> = s.chars().collect();
        let chomp = match chars.as_slice() {
            [] => "-",
            [.., last] if !is_break(*last) => "-",
            [_] => "+",
            [.., before, _] if is_break(*before) => "+",
            _ => "",
        };
        self.put(chomp);
        self.put("\n");
        let mut at_break = true;
        for &c in &chars {
            if is_break(c) {
                self.put("\n");
                at_break = true;
            } else {
                if at_break {
                    while self.column < indent {
                        self.put(" ");
                    }
                }
                self.put(&c.to_string());
                at_break = false;
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `is_printable` (with unicode output on).
fn printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0a
        || (0x20..=0x7e).contains(&u)
        || u == 0x85
        || ((0xa0..=0xd7ff).contains(&u))
        || ((0xe000..=0xfffd).contains(&u) && u != 0xfeff)
        || (0x10000..=0x10ffff).contains(&u)
}

/// yaml.v2's `stringv` then the emitter's `select_scalar_style`.
fn choose_style(s: &str, key: bool) -> Style {
    let can_use_plain = resolves_to_string(s) && !base60_float(s);
    let a = analyze(s);
    let mut style = if s.contains('\n') {
        Style::Literal
    } else if can_use_plain {
        Style::Plain
    } else {
        Style::Double
    };
    if key && a.multiline {
        style = Style::Double;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (s.is_empty() && key)) {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || key) {
        style = Style::Double;
    }
    style
}

struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// libyaml's `yaml_emitter_analyze_scalar`, for block context.
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let blank = |c: Option<&char>| matches!(c, None | Some(' ') | Some('\t'));
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = blank(chars.get(i + 1));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    block_indicators = true;
                }
                '?' | ':' if followed_by_whitespace => block_indicators = true,
                '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == chars.len() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == chars.len() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// yaml.v2's `resolve`: whether `s`, written plain, would read back as a string (not a bool, null,
/// number, timestamp or merge key).
fn resolves_to_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    let Some(first) = s.chars().next() else {
        return false;
    };
    match first {
        '.' => !go_parse_float(s),
        '0'..='9' | '+' | '-' => {
            if timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            !(go_parse_int(&plain) || float_syntax(&plain) || binary(&plain))
        }
        _ => true,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` or `ParseUint` syntax (sign, 0x/0o/0b prefixes, leading-0 octal).
fn go_parse_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, radix) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (r, 16)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (r, 8)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (r, 2)
        } else if body.len() > 1 && body.starts_with('0') {
            (&body[1..], 8)
        } else {
            (body, 10)
        };
    !digits.is_empty()
        && digits.chars().all(|c| c.is_digit(radix))
        && u128::from_str_radix(digits, radix).is_ok_and(|n| n <= u128::from(u64::MAX))
}

/// yaml.v2's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn float_syntax(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mant_ok = match mant.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit()),
        Some((int, frac)) => {
            !int.is_empty()
                && int.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
        }
        None => !mant.is_empty() && mant.chars().all(|c| c.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mant_ok && exp_ok
}

fn binary(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    body.strip_prefix("0b")
        .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c == '0' || c == '1'))
}

/// Go's `strconv.ParseFloat` for text starting with `.`.
fn go_parse_float(s: &str) -> bool {
    float_syntax(s)
}

/// yaml.v2's `parseTimestamp`: `YYYY-M-D`, optionally with a time.
fn timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let rest = &s[5..];
    let (date, time) = match rest.find(['T', 't', ' ']) {
        Some(i) => (&rest[..i], Some((rest.as_bytes()[i], &rest[i + 1..]))),
        None => (rest, None),
    };
    let Some((m, d)) = date.split_once('-') else {
        return false;
    };
    let small = |x: &str, max: u32| {
        (1..=2).contains(&x.len())
            && x.chars().all(|c| c.is_ascii_digit())
            && x.parse::<u32>().is_ok_and(|v| v >= 1 && v <= max)
    };
    if !small(m, 12) || !small(d, 31) {
        return false;
    }
    let Some((sep, time)) = time else {
        return true;
    };
    // With a space: no zone; with T: a zone (Z or ±hh:mm) is required.
    let (clock, zone) = if sep == b' ' {
        (time, "")
    } else {
        match time.find(['Z', '+', '-']) {
            Some(i) => (&time[..i], &time[i..]),
            None => return false,
        }
    };
    let clock = clock.split_once('.').map_or(clock, |(c, frac)| {
        if frac.chars().all(|x| x.is_ascii_digit()) {
            c
        } else {
            "x"
        }
    });
    let parts: Vec<&str> = clock.split(':').collect();
    let clock_ok = parts.len() == 3
        && parts
            .iter()
            .zip([23, 59, 59])
            .all(|(p, max)| (1..=2).contains(&p.len()) && p.parse::<u32>().is_ok_and(|v| v <= max));
    let zone_ok = sep == b' ' && zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && zone.as_bytes()[3] == b':'
            && zone[1..3]
                .chars()
                .chain(zone[4..].chars())
                .all(|c| c.is_ascii_digit()));
    clock_ok && zone_ok
}

/// yaml.v2 quotes `1:20` (a YAML 1.1 base-60 float).
fn base60_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if !body.starts_with(|c: char| c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let (int_part, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let mut groups = int_part.split(':');
    let head = groups.next().unwrap_or("");
    let head_ok = !head.is_empty()
        && head.starts_with(|c: char| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '_');
    let tail: Vec<&str> = groups.collect();
    let tail_ok = !tail.is_empty()
        && tail.iter().all(|g| {
            let b = g.as_bytes();
            match b.len() {
                1 => b[0].is_ascii_digit(),
                2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
                _ => false,
            }
        });
    head_ok && tail_ok && frac.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit() || c == '_'))
}

/// yaml.v2's key order (`keyList.Less`): digit runs compare as numbers, letters after other characters.
pub(super) fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// A number as yaml.v2 writes what JSON decoding gave it: integers as they are, floats in Go's `%g`
/// shortest form (`1`, `0.5`, `1e+06`).
fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    // JSON decoding turned integral floats into integers before yaml.v2 saw them.
    if f == f.trunc() && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    // Go's %g with the shortest digits: exponent form below 1e-4 and from 1e6.
    let e = format!("{:e}", f.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        return format!(
            "{sign}{mant}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        );
    }
    format!("{sign}{}", f.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quotes_like_go_yaml_v2() {
        let doc = serde_json::json!({
            "a": "1", "b": "true", "c": "yes", "d": "", "e": "2024-01-02T03:04:05Z", "f": "1:20",
            "g": "-", "h": "app: web", "i": "#x", "j": "it's", "k": " lead", "l": "line1\nline2\n",
            "m": "tab\there", "n": "no-trailing\nnewline", "o": 0.5, "p": 3, "q": null, "r": [], "s": {},
            "t": "1.5", "u": "0x1F", "v": "~", "w": "plain text", "x": "a\n\nb\n\n", "y": "*star", "z": "x #y",
        });
        assert_eq!(
            document(&doc),
            "a: \"1\"\nb: \"true\"\nc: \"yes\"\nd: \"\"\ne: \"2024-01-02T03:04:05Z\"\nf: \"1:20\"\ng: '-'\nh: 'app: web'\ni: '#x'\nj: it's\nk: ' lead'\nl: |\n  line1\n  line2\nm: \"tab\\there\"\n\"n\": |-\n  no-trailing\n  newline\no: 0.5\np: 3\nq: null\nr: []\ns: {}\nt: \"1.5\"\nu: \"0x1F\"\nv: \"~\"\nw: plain text\nx: |+\n  a\n\n  b\n\n\"y\": '*star'\nz: 'x #y'\n"
        );
        let nested = serde_json::json!({"spec": {"containers": [{"name": "a", "args": ["-c", "echo hi"]}], "list": [[1, 2]]}});
        assert_eq!(
            document(&nested),
            "spec:\n  containers:\n  - args:\n    - -c\n    - echo hi\n    name: a\n  list:\n  - - 1\n    - 2\n"
        );
        // yaml.v2 sorts keys with digit runs as numbers.
        let mut keys = vec!["a10", "a9", "b", "A", "_x", "a"];
        // This crate sits below ordinal_api::sort; its few sorts stay the standard ones.
        #[allow(clippy::disallowed_methods)]
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, ["_x", "A", "a", "a9", "a10", "b"]);
    }
}
