//! The pattern languages of `[[ … ]]`, `grep`, `sed` and `awk`, rewritten for `regex-lite` (linear time, so a
//! pathological pattern cannot hang the page). POSIX extended regular expressions as glibc's `regcomp` reads
//! them (groups, alternation, anchors, `* + ? {n,m}`, bracket expressions with `[:class:]`, the GNU escapes
//! `\w \W \s \S \b \B \< \>`), basic ones through [`basic_to_extended`], and the globs of `==`, `case` and
//! `${a#…}` (`*`, `?`, `[…]`). Both engines prefer the leftmost match and, within it, what a backtracking
//! matcher would try first, so groups capture what they captured before. Word characters are ASCII.

pub use regex_lite::Regex;

/// Which pattern language a `grep` or `sed` pattern is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// BRE: `\(`, `\)`, `\{`, `\}`, `\+`, `\?`, `\|` are the operators, their bare forms literal.
    Basic,
    /// ERE.
    Extended,
    /// Every character is itself (`grep -F`).
    Fixed,
}

/// The most copies `{n,m}` may make of its operand; a larger interval is literal text, as before.
const MAX_REPEAT: u32 = 255;

/// Compiles a POSIX pattern, matching letters of either case when `icase` is set (REG_ICASE). The error is
/// what glibc's `regerror` says, as bash prints it.
pub fn compile(pattern: &str, syntax: Syntax, icase: bool) -> Result<Regex, String> {
    build(&translate(pattern, syntax)?, icase)
}

/// Compiles a pattern already in `regex-lite`'s syntax (pieces from [`translate`] joined by the caller).
pub fn build(translated: &str, icase: bool) -> Result<Regex, String> {
    regex_lite::RegexBuilder::new(translated)
        .case_insensitive(icase)
        .dot_matches_new_line(true)
        .build()
        .map_err(|_| "regular expression too big".to_string())
}

/// A POSIX basic regular expression rewritten as an extended one: `\(`, `\)`, `\{`, `\}`, `\+`, `\?`, `\|`
/// are the operators and their bare forms are literal.
pub fn basic_to_extended(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('(' | ')' | '{' | '}' | '+' | '?' | '|')) => out.push(e),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push_str("\\\\"),
            },
            '(' | ')' | '{' | '}' | '+' | '?' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// What the last atom written was, for the quantifier that may follow it: where it starts in the output, and
/// whether it must be wrapped in `(?:…)` first (it is already quantified, or it is an anchor: POSIX stacks
/// `a*?` as `(a*)?`, where `regex-lite` would read a lazy star).
type Atom = Option<(usize, bool)>;

/// A POSIX pattern in `regex-lite`'s syntax. One left-to-right pass; `\X` for any other `X` is `X` itself
/// (so a back-reference in a pattern is a literal digit, as it was).
pub fn translate(pattern: &str, syntax: Syntax) -> Result<String, String> {
    let pattern = match syntax {
        Syntax::Fixed => return Ok(regex_lite::escape(pattern)),
        Syntax::Basic => basic_to_extended(pattern),
        Syntax::Extended => pattern.to_string(),
    };
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    // Where each open group starts in `out`.
    let mut open: Vec<usize> = Vec::new();
    let mut last: Atom = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        let start = out.len();
        let quantifier = match c {
            '*' | '+' | '?' => Some(c.to_string()),
            '{' if last.is_some() => bounds(&chars, &mut i),
            _ => None,
        };
        if let Some(q) = quantifier {
            let Some((at, wrap)) = last else {
                return Err("invalid preceding regular expression".into());
            };
            if wrap {
                out.insert_str(at, "(?:");
                out.push(')');
            }
            out.push_str(&q);
            last = Some((at, true));
            continue;
        }
        last = Some((start, false));
        match c {
            '(' => {
                open.push(start);
                out.push('(');
                last = None;
            }
            ')' => {
                let Some(at) = open.pop() else {
                    return Err("parentheses not balanced".into());
                };
                out.push(')');
                last = Some((at, false));
            }
            '|' => {
                out.push('|');
                last = None;
            }
            '.' => out.push('.'),
            '^' | '$' => {
                out.push(c);
                last = Some((start, true));
            }
            '[' => {
                let (class, next) = bracket(&chars, i, false)?;
                out.push_str(&class);
                i = next;
            }
            '\\' => {
                let Some(&e) = chars.get(i) else {
                    return Err("trailing backslash (\\)".into());
                };
                i += 1;
                match e {
                    'w' | 'W' | 's' | 'S' => {
                        out.push('\\');
                        out.push(e);
                    }
                    'b' | 'B' | '<' | '>' => {
                        out.push_str(match e {
                            'b' => "\\b",
                            'B' => "\\B",
                            '<' => "\\b{start}",
                            _ => "\\b{end}",
                        });
                        last = Some((start, true));
                    }
                    other => literal(&mut out, other),
                }
            }
            other => literal(&mut out, other),
        }
    }
    if !open.is_empty() {
        return Err("parentheses not balanced".into());
    }
    Ok(out)
}

/// `{n}`, `{n,}`, `{n,m}` after the `{` at `i - 1`, as `regex-lite` writes it; `None` (and nothing consumed)
/// when the brace starts no interval and is a literal `{`.
fn bounds(chars: &[char], i: &mut usize) -> Option<String> {
    let close = chars[*i..].iter().position(|&c| c == '}')?;
    let inner: String = chars[*i..*i + close].iter().collect();
    let (lo, hi): (u32, Option<u32>) = match inner.split_once(',') {
        Some((lo, "")) => (lo.parse().ok()?, None),
        Some((lo, hi)) => (lo.parse().ok()?, Some(hi.parse().ok()?)),
        None => {
            let n = inner.parse().ok()?;
            (n, Some(n))
        }
    };
    if lo > MAX_REPEAT || hi.is_some_and(|h| h > MAX_REPEAT || h < lo) {
        return None;
    }
    *i += close + 1;
    Some(match hi {
        Some(hi) if hi == lo => format!("{{{lo}}}"),
        Some(hi) => format!("{{{lo},{hi}}}"),
        None => format!("{{{lo},}}"),
    })
}

/// `c` matching itself. `regex-lite` accepts a backslash before any ASCII punctuation except `<` and `>`.
fn literal(out: &mut String, c: char) {
    if c.is_ascii_punctuation() && c != '<' && c != '>' {
        out.push('\\');
    }
    out.push(c);
}

/// A bracket expression starting after its `[` at `i`, as a `regex-lite` class, and the index after its `]`:
/// `^` (in a glob also `!`) negates, `]` first is literal, `a-z` ranges, `[:name:]` classes; a backslash is
/// itself.
fn bracket(chars: &[char], mut i: usize, glob: bool) -> Result<(String, usize), String> {
    let negated = chars.get(i) == Some(&'^') || (glob && chars.get(i) == Some(&'!'));
    if negated {
        i += 1;
    }
    let mut members = String::new();
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("brackets ([ ]) not balanced".into());
        };
        if c == ']' && !first {
            let class = match (members.is_empty(), negated) {
                // Nothing in the class: it matches nothing, or (negated) everything.
                (true, false) => "[^\\x00-\\x{10FFFF}]".to_string(),
                (true, true) => "[\\x00-\\x{10FFFF}]".to_string(),
                (false, false) => format!("[{members}]"),
                (false, true) => format!("[^{members}]"),
            };
            return Ok((class, i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = &rest[..end];
                // `[:print:]` and `[:graph:]` take in every non-ASCII character, as they did; an unknown
                // name adds nothing.
                match name {
                    "alpha" | "digit" | "alnum" | "upper" | "lower" | "space" | "blank"
                    | "punct" | "xdigit" | "cntrl" => members.push_str(&format!("[:{name}:]")),
                    "print" | "graph" => {
                        members.push_str(&format!("[:{name}:]\\x{{80}}-\\x{{10FFFF}}"));
                    }
                    _ => {}
                }
                i += 2 + name.chars().count() + 2;
                continue;
            }
        }
        i += 1;
        let (lo, hi) = if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']')
        {
            i += 2;
            (c, chars[i - 1])
        } else {
            (c, c)
        };
        // A reversed range is empty.
        if lo <= hi {
            literal(&mut members, lo);
            if hi != lo {
                members.push('-');
                literal(&mut members, hi);
            }
        }
    }
}

/// A glob as a `regex-lite` pattern matching whole text: `*` any run, `?` one character, `[…]` a class (`!`
/// or `^` negates; a `[` that opens no class is literal), `\` makes the next character literal. `None` when
/// the pattern is too big to compile.
pub fn glob(pattern: &str) -> Option<Regex> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::from("^");
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            '[' => match bracket(&chars, i, true) {
                Ok((class, next)) => {
                    out.push_str(&class);
                    i = next;
                }
                Err(_) => literal(&mut out, '['),
            },
            '\\' if i < chars.len() => {
                literal(&mut out, chars[i]);
                i += 1;
            }
            other => literal(&mut out, other),
        }
    }
    out.push('$');
    build(&out, false).ok()
}

/// Whether `text` matches the glob `pattern` as a whole.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    glob(pattern).is_some_and(|re| re.is_match(text))
}

/// Where the next search starts after an empty match at byte `at`: past the character there (past the end
/// of `text` when there is none).
pub fn next_char(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at + 1, |c| at + c.len_utf8())
}

/// `text` with every character a regex or glob would read specially escaped, for quoted parts of a pattern.
pub fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.^$*+?()[]{}|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(pattern: &str, text: &str) -> Option<Vec<String>> {
        compile(pattern, Syntax::Extended, false)
            .unwrap()
            .captures(text)
            .map(|c| {
                c.iter()
                    .map(|g| g.map_or(String::new(), |g| g.as_str().to_string()))
                    .collect()
            })
    }

    #[test]
    fn the_tutorials_patterns() {
        assert_eq!(
            groups("-([0-9]+)$", "mysql-12"),
            Some(vec!["-12".into(), "12".into()])
        );
        assert_eq!(groups("-([0-9]+)$", "mysql"), None);
        assert_eq!(
            groups("^(.*?)[[:space:]]+(.*?)$", "mysql-0-bin.000003\t154"),
            Some(vec![
                "mysql-0-bin.000003\t154".into(),
                "mysql-0-bin.000003".into(),
                "154".into()
            ])
        );
    }

    #[test]
    fn alternation_classes_intervals_and_anchors() {
        assert!(groups("^(ab|cd)+$", "abcdab").is_some());
        assert!(groups("^[^0-9]{2,3}$", "abc").is_some());
        assert!(groups("^[^0-9]{2,3}$", "abcd").is_none());
        assert!(groups("^a.c$", "abc").is_some());
        assert!(groups("x\\.y", "x.y").is_some());
        assert!(groups("x\\.y", "xzy").is_none());
        assert_eq!(
            groups("(a)|(b)", "b"),
            Some(vec!["b".into(), "".into(), "b".into()])
        );
        assert!(compile("(a", Syntax::Extended, false).is_err());
        assert!(compile("[a", Syntax::Extended, false).is_err());
    }

    #[test]
    fn posix_quirks_keep_their_meaning() {
        // Stacked quantifiers are greedy (`(a*)?`), not lazy.
        assert_eq!(groups("a*?", "aaa"), Some(vec!["aaa".into()]));
        // A brace that opens no interval, and an interval too large, are literal text.
        assert!(groups("^a{x}$", "a{x}").is_some());
        assert!(groups("^a{256}$", "a{256}").is_some());
        // `]` first in a class, a trailing `-`, backslash and `[` inside one are members.
        assert!(groups("^[]a-]+$", "]-a").is_some());
        assert!(groups("^[\\[]+$", "\\[").is_some());
        // Unknown escapes are the character itself; `.` crosses newlines.
        assert!(groups("^\\d\\1$", "d1").is_some());
        assert!(groups("^a.b$", "a\nb").is_some());
        assert!(groups("\\<web\\>", "a web b").is_some());
        assert!(groups("\\<web\\>", "cobweb").is_none());
        assert!(groups("^[[:print:]]+$", "héllo").is_some());
        assert!(groups("^[z-a]", "z").is_none());
        assert!(groups("^[^z-a]$", "z").is_some());
        // Anchors may be quantified; groups and branches may be empty.
        assert!(groups("^*a", "a").is_some());
        assert!(groups("()a|", "b").is_some());
        assert!(groups("(|x)y", "y").is_some());
        assert!(groups("^x{2,}$", "xxx").is_some());
        assert_eq!(
            compile("*a", Syntax::Extended, false).err().as_deref(),
            Some("invalid preceding regular expression")
        );
        assert_eq!(
            compile("a)", Syntax::Extended, false).err().as_deref(),
            Some("parentheses not balanced")
        );
        assert_eq!(
            compile("a\\", Syntax::Extended, false).err().as_deref(),
            Some("trailing backslash (\\)")
        );
    }

    #[test]
    fn basic_and_fixed_syntax_and_case() {
        let re = compile("^\\(ab\\)\\{2\\}+$", Syntax::Basic, false).unwrap();
        assert!(re.is_match("abab+"));
        assert!(compile("a.b", Syntax::Fixed, false)
            .unwrap()
            .is_match("xa.by"));
        assert!(!compile("a.b", Syntax::Fixed, false)
            .unwrap()
            .is_match("axb"));
        assert!(compile("[[:upper:]]x", Syntax::Extended, true)
            .unwrap()
            .is_match("aX"));
    }

    #[test]
    fn pathological_patterns_finish() {
        let text = "a".repeat(40);
        assert!(groups("(a*)*b", &text).is_none());
        assert!(groups("(a*)*b", &format!("{text}b")).is_some());
    }

    #[test]
    fn globs() {
        assert!(glob_match("web-*", "web-0"));
        assert!(!glob_match("web-*", "db-0"));
        assert!(glob_match("web-?", "web-1"));
        assert!(glob_match("web-[0-9]", "web-7"));
        assert!(!glob_match("web-[!0-9]", "web-7"));
        assert!(glob_match("a\\*b", "a*b"));
        assert!(!glob_match("a\\*b", "axb"));
        assert!(glob_match("*", ""));
        assert!(glob_match("[[:alpha:]]*", "web"));
        assert!(glob_match("a[b", "a[b"));
        assert!(glob_match("!*", "!x"));
        assert!(glob_match("*.yaml", "a\nb.yaml"));
    }
}
