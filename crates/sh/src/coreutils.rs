//! The text tools learners pipe kubectl's output through — `grep`, `sed`, `tr`, `head`, `tail`, `wc`, `sort`,
//! `cut`, `uniq`, `xargs`, `tee`, `base64`, `basename`, `dirname`, `awk` (in the `awk` module),
//! and `echo`/`printf` as programs — written once for the learner's terminal and for the shells inside
//! containers. Each reads and writes its
//! files through the shell's [`Host`] (`read_file`, `write_file`), so the same code runs against the home
//! directory or a container's file system; a container finds the tool by `PATH` first, as its shell would.
//! Options and messages are GNU's (grep 3, sed 4, coreutils 9, as Debian images and the terminal have them);
//! BusyBox's wording is used where the container runs BusyBox and it differs.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

use crate::regex::{self, Regex, Syntax};
use crate::shell::{Host, Output, Stream};

pub use crate::Flavor;

/// The tools this module runs.
pub const TOOLS: &[&str] = &[
    "grep", "egrep", "fgrep", "sed", "tr", "head", "tail", "wc", "sort", "cut", "uniq", "xargs",
    "basename", "dirname", "tee", "base64", "awk", "printf", "echo",
];

/// Runs `program` (one of [`TOOLS`]) with `args`; `None` for any other program.
pub fn run(
    host: &mut dyn Host,
    program: &str,
    args: &[String],
    stdin: Option<&str>,
    flavor: Flavor,
) -> Option<Output> {
    Some(match program {
        "grep" => grep(host, args, stdin, Syntax::Basic),
        "egrep" => grep(host, args, stdin, Syntax::Extended),
        "fgrep" => grep(host, args, stdin, Syntax::Fixed),
        "sed" => sed(host, args, stdin, flavor),
        "tr" => tr(args, stdin),
        "head" | "tail" => head_tail(host, program, args, stdin, flavor),
        "wc" => wc(host, args, stdin),
        "sort" => sort(host, args, stdin),
        "cut" => cut(host, args, stdin),
        "uniq" => uniq(host, args, stdin),
        "xargs" => xargs(host, args, stdin),
        "basename" => basename(args),
        "dirname" => dirname(args),
        "tee" => tee(host, args, stdin),
        "base64" => base64(host, args, stdin),
        "awk" => crate::awk::run(host, args, stdin, flavor),
        // /usr/bin/printf (coreutils) and busybox's applet format as bash's builtin does.
        "printf" => printf_program(args),
        "echo" => echo_program(args),
        _ => return None,
    })
}

/// The lines of `text`, without their newlines.
fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

// ---- grep ----

const GREP_USAGE: &str =
    "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";

#[derive(Debug, Default)]
struct GrepOptions {
    ignore_case: bool,
    invert: bool,
    count: bool,
    line_numbers: bool,
    only_matching: bool,
    word: bool,
    whole_line: bool,
    quiet: bool,
    silent: bool,
    files_with_matches: bool,
    files_without_match: bool,
    with_filename: Option<bool>,
    after: usize,
    before: usize,
    max_count: Option<usize>,
}

/// GNU grep: `-E`, `-F`, `-G`, `-i`, `-v`, `-c`, `-n`, `-o`, `-w`, `-x`, `-q`, `-s`, `-l`, `-L`, `-h`, `-H`,
/// `-m N`, `-e PATTERN`, context with `-A N`, `-B N`, `-C N` (`-NUM`) and `--` between groups that are not
/// adjacent, anchors and the rest of the regex syntax. Exit status 0 when a line was selected, 1 when none,
/// 2 on an error.
fn grep(host: &mut dyn Host, args: &[String], stdin: Option<&str>, syntax: Syntax) -> Output {
    let mut o = GrepOptions::default();
    let mut syntax = syntax;
    let mut patterns: Vec<String> = Vec::new();
    let mut operands: Vec<String> = Vec::new();
    let usage_error = |message: String| Output::failed(format!("{message}{GREP_USAGE}"), 2);
    let number = |flag: &str, value: &str| -> Result<usize, Output> {
        value
            .parse::<usize>()
            .map_err(|_| Output::failed(format!("grep: {value}: invalid {flag} argument\n"), 2))
    };
    let mut i = 0;
    let mut options_done = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if options_done || a == "-" || !a.starts_with('-') {
            operands.push(a.clone());
            continue;
        }
        if a == "--" {
            options_done = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let mut value = || -> Result<String, Output> {
                match inline.clone() {
                    Some(v) => Ok(v),
                    None => match args.get(i) {
                        Some(v) => {
                            i += 1;
                            Ok(v.clone())
                        }
                        None => Err(usage_error(format!(
                            "grep: option '--{name}' requires an argument\n"
                        ))),
                    },
                }
            };
            let result: Result<(), Output> = (|| {
                match name {
                    "ignore-case" => o.ignore_case = true,
                    "no-ignore-case" => o.ignore_case = false,
                    "invert-match" => o.invert = true,
                    "count" => o.count = true,
                    "line-number" => o.line_numbers = true,
                    "only-matching" => o.only_matching = true,
                    "word-regexp" => o.word = true,
                    "line-regexp" => o.whole_line = true,
                    "quiet" | "silent" => o.quiet = true,
                    "no-messages" => o.silent = true,
                    "files-with-matches" => o.files_with_matches = true,
                    "files-without-match" => o.files_without_match = true,
                    "with-filename" => o.with_filename = Some(true),
                    "no-filename" => o.with_filename = Some(false),
                    "extended-regexp" => syntax = Syntax::Extended,
                    "fixed-strings" => syntax = Syntax::Fixed,
                    "basic-regexp" => syntax = Syntax::Basic,
                    "after-context" => o.after = number("context length", &value()?)?,
                    "before-context" => o.before = number("context length", &value()?)?,
                    "context" => {
                        let n = number("context length", &value()?)?;
                        o.after = n;
                        o.before = n;
                    }
                    "max-count" => o.max_count = Some(number("max count", &value()?)?),
                    "regexp" => patterns.push(value()?),
                    "color" | "colour" => {}
                    _ => {
                        return Err(usage_error(format!(
                            "grep: unrecognized option '--{name}'\n"
                        )))
                    }
                }
                Ok(())
            })();
            if let Err(e) = result {
                return e;
            }
            continue;
        }
        // Short options, bundled; `-A4`, `-e PAT`, `-5` (context).
        let chars: Vec<char> = a[1..].chars().collect();
        if chars.iter().all(char::is_ascii_digit) {
            let n = chars.iter().collect::<String>().parse().unwrap_or(0);
            o.after = n;
            o.before = n;
            continue;
        }
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            match c {
                'i' | 'y' => o.ignore_case = true,
                'v' => o.invert = true,
                'c' => o.count = true,
                'n' => o.line_numbers = true,
                'o' => o.only_matching = true,
                'w' => o.word = true,
                'x' => o.whole_line = true,
                'q' => o.quiet = true,
                's' => o.silent = true,
                'l' => o.files_with_matches = true,
                'L' => o.files_without_match = true,
                'h' => o.with_filename = Some(false),
                'H' => o.with_filename = Some(true),
                'E' => syntax = Syntax::Extended,
                'F' => syntax = Syntax::Fixed,
                'G' => syntax = Syntax::Basic,
                'r' | 'R' => {
                    return Output::failed(
                        "grep: -r is not available in this playground: name the files\n".into(),
                        2,
                    )
                }
                'A' | 'B' | 'C' | 'e' | 'm' => {
                    let value: String = if j < chars.len() {
                        let v = chars[j..].iter().collect();
                        j = chars.len();
                        v
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        return usage_error(format!(
                            "grep: option requires an argument -- '{c}'\n"
                        ));
                    };
                    match c {
                        'e' => patterns.push(value),
                        'm' => match number("max count", &value) {
                            Ok(n) => o.max_count = Some(n),
                            Err(e) => return e,
                        },
                        _ => match number("context length", &value) {
                            Ok(n) => {
                                if c != 'B' {
                                    o.after = n;
                                }
                                if c != 'A' {
                                    o.before = n;
                                }
                            }
                            Err(e) => return e,
                        },
                    }
                }
                other => return usage_error(format!("grep: invalid option -- '{other}'\n")),
            }
        }
    }
    if patterns.is_empty() {
        if operands.is_empty() {
            return Output::failed(GREP_USAGE.into(), 2);
        }
        patterns.push(operands.remove(0));
    }
    // Each line of each pattern is a pattern; a line matches when any of them does.
    let alternatives: Result<Vec<String>, String> = patterns
        .iter()
        .flat_map(|p| p.split('\n'))
        .map(|p| regex::translate(p, syntax).map(|p| format!("(?:{p})")))
        .collect();
    let re = alternatives.and_then(|alternatives| {
        let joined = alternatives.join("|");
        // -x: the whole line; -w: a match with no word character on either side.
        let pattern = if o.whole_line {
            format!("^(?:{joined})$")
        } else if o.word {
            format!("(?:^|[^[:alnum:]_])({joined})(?:[^[:alnum:]_]|$)")
        } else {
            joined
        };
        regex::build(&pattern, o.ignore_case)
    });
    let group = if o.word && !o.whole_line { 1 } else { 0 };
    let re = match re {
        Ok(re) => re,
        Err(e) => return Output::failed(format!("grep: {}\n", capitalize(&e)), 2),
    };
    if operands.is_empty() {
        operands.push("-".into());
    }
    let show_names = o.with_filename.unwrap_or(operands.len() > 1);
    let mut out = Output::ok(String::new());
    let mut selected_any = false;
    let mut error = false;
    for file in &operands {
        let (label, text) = if file == "-" {
            (
                "(standard input)".to_string(),
                stdin.unwrap_or("").to_string(),
            )
        } else {
            match host.read_file(file) {
                Ok(t) => (file.clone(), t),
                Err(e) => {
                    if !o.silent {
                        out.push_stderr(&format!("grep: {file}: {e}\n"));
                    }
                    error = true;
                    continue;
                }
            }
        };
        let (printed, count) = grep_text(&re, group, &o, &text, show_names.then_some(&label));
        selected_any |= count > 0;
        if o.quiet {
            if count > 0 {
                return Output::ok(String::new());
            }
            continue;
        }
        if o.files_with_matches {
            if count > 0 {
                out.push_stdout(&format!("{label}\n"));
            }
        } else if o.files_without_match {
            if count == 0 {
                out.push_stdout(&format!("{label}\n"));
            }
        } else if o.count {
            if show_names {
                out.push_stdout(&format!("{label}:{count}\n"));
            } else {
                out.push_stdout(&format!("{count}\n"));
            }
        } else {
            out.push_stdout(&printed);
        }
    }
    out.status = if error && !(o.quiet && selected_any) {
        2
    } else if selected_any {
        0
    } else {
        1
    };
    out
}

/// "Unmatched ( or \\(": glibc's messages start with a capital in grep's.
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One input through grep: what it prints and how many lines it selected.
fn grep_text(
    re: &Regex,
    group: usize,
    o: &GrepOptions,
    text: &str,
    name: Option<&String>,
) -> (String, usize) {
    let lines = lines(text);
    let matches = |line: &str| re.is_match(line);
    let mut out = String::new();
    let mut count = 0;
    // The last line printed (index), for context and the `--` between groups.
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0;
    let context = o.after > 0 || o.before > 0;
    let prefix = |i: usize, sep: char| {
        let mut p = String::new();
        if let Some(n) = name {
            p.push_str(n);
            p.push(sep);
        }
        if o.line_numbers {
            p.push_str(&(i + 1).to_string());
            p.push(sep);
        }
        p
    };
    for (i, line) in lines.iter().enumerate() {
        let selected = matches(line) != o.invert;
        if selected && o.max_count.is_none_or(|m| count < m) {
            count += 1;
            if o.only_matching {
                if !o.invert {
                    let mut at = 0;
                    while let Some(m) = re.captures_at(line, at) {
                        let part = m.get(group).map_or("", |g| g.as_str());
                        if !part.is_empty() {
                            out.push_str(&prefix(i, ':'));
                            out.push_str(part);
                            out.push('\n');
                        }
                        let (start, end) = m.get(0).map_or((at, at), |w| (w.start(), w.end()));
                        at = if end > start {
                            end
                        } else {
                            regex::next_char(line, end)
                        };
                        if at > line.len() {
                            break;
                        }
                    }
                }
                continue;
            }
            if context {
                let from = i.saturating_sub(o.before);
                let from = match last_printed {
                    Some(l) if l + 1 >= from => l + 1,
                    Some(_) => {
                        out.push_str("--\n");
                        from
                    }
                    None => from,
                };
                for (k, before) in lines.iter().enumerate().take(i).skip(from) {
                    out.push_str(&prefix(k, '-'));
                    out.push_str(before);
                    out.push('\n');
                }
            }
            out.push_str(&prefix(i, ':'));
            out.push_str(line);
            out.push('\n');
            last_printed = Some(i);
            after_left = o.after;
        } else if after_left > 0 {
            after_left -= 1;
            out.push_str(&prefix(i, '-'));
            out.push_str(line);
            out.push('\n');
            last_printed = Some(i);
        } else if o.max_count.is_some_and(|m| count >= m) {
            break;
        }
    }
    (out, count)
}

// ---- tr ----

/// The characters of a `tr` set: escapes (`\n`, `\t`, `\\`, `\NNN`), ranges (`a-z`), classes (`[:alpha:]`),
/// repeats (`[x*N]`, `[x*]` in the second set) and equivalence classes (`[=c=]`), expanded in order.
/// `Err` is tr's message. Also says where a `[:lower:]`/`[:upper:]` class begins, for case conversion.
/// A set's characters, and where each class (or `[c*]`) in it begins.
type TrSet = (Vec<char>, Vec<(usize, &'static str)>);

fn tr_set(spec: &str, second: bool) -> Result<TrSet, String> {
    // First the escapes, so `\-` is a plain `-`.
    let mut items: Vec<(char, bool)> = Vec::new();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            items.push((c, false));
            continue;
        }
        let e = match chars.next() {
            None => {
                items.push(('\\', true));
                continue;
            }
            Some(e) => e,
        };
        let v = match e {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\x07',
            'b' => '\x08',
            'f' => '\x0c',
            'v' => '\x0b',
            '0'..='7' => {
                let mut n = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) if n * 8 + d <= 0o377 => {
                            n = n * 8 + d;
                            chars.next();
                        }
                        _ => break,
                    }
                }
                char::from_u32(n).unwrap_or('\0')
            }
            other => other,
        };
        items.push((v, true));
    }
    let mut out = Vec::new();
    let mut classes = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let (c, escaped) = items[i];
        if c == '[' && !escaped {
            let rest: String = items[i + 1..].iter().map(|x| x.0).collect();
            if let Some(body) = rest.strip_prefix(':') {
                if let Some(end) = body.find(":]") {
                    let name = &body[..end];
                    let Some((label, members)) = tr_class(name) else {
                        return Err(format!("invalid character class ‘{name}’"));
                    };
                    if second && !matches!(name, "lower" | "upper") {
                        return Err("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'".into());
                    }
                    classes.push((out.len(), label));
                    out.extend(members);
                    i += 1 + 1 + end + 2;
                    continue;
                }
            }
            if let Some(body) = rest.strip_prefix('=') {
                if let Some(end) = body.find("=]") {
                    out.extend(body[..end].chars().take(1));
                    i += 1 + 1 + end + 2;
                    continue;
                }
            }
            // `[c*n]`: c repeated n times (`[c*]`: as often as needed, second set only).
            let mut rc = rest.chars();
            if let (Some(ch), Some('*')) = (rc.next(), rc.next()) {
                let tail: String = rc.collect();
                if let Some(end) = tail.find(']') {
                    let n = &tail[..end];
                    let times = if n.is_empty() {
                        if !second {
                            return Err(
                                "the [c*] repeat construct may not appear in string1".to_string()
                            );
                        }
                        usize::MAX
                    } else if let Some(octal) = n.strip_prefix('0') {
                        usize::from_str_radix(if octal.is_empty() { "0" } else { octal }, 8)
                            .map_err(|_| format!("invalid repeat count ‘{n}’ in [c*n] construct"))?
                    } else {
                        n.parse()
                            .map_err(|_| format!("invalid repeat count ‘{n}’ in [c*n] construct"))?
                    };
                    if times == usize::MAX {
                        out.push(ch);
                        classes.push((out.len() - 1, "*"));
                    } else {
                        out.extend(std::iter::repeat_n(ch, times.min(1 << 16)));
                    }
                    i += 1 + 2 + end + 1;
                    continue;
                }
            }
        }
        if let Some(&(hi, _)) = items
            .get(i + 2)
            .filter(|_| items.get(i + 1) == Some(&('-', false)))
        {
            if hi < c {
                return Err(format!(
                    "range-endpoints of ‘{}-{}’ are in reverse collating sequence order",
                    c, hi
                ));
            }
            out.extend(c..=hi);
            i += 3;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Ok((out, classes))
}

/// A character class's members, in the order tr lists them.
fn tr_class(name: &str) -> Option<(&'static str, Vec<char>)> {
    let ascii = || (0u8..=127).map(char::from);
    Some(match name {
        "alpha" => ("alpha", ascii().filter(char::is_ascii_alphabetic).collect()),
        "upper" => ("upper", ('A'..='Z').collect()),
        "lower" => ("lower", ('a'..='z').collect()),
        "digit" => ("digit", ('0'..='9').collect()),
        "alnum" => (
            "alnum",
            ascii().filter(char::is_ascii_alphanumeric).collect(),
        ),
        "xdigit" => ("xdigit", ascii().filter(char::is_ascii_hexdigit).collect()),
        "space" => ("space", vec!['\t', '\n', '\x0b', '\x0c', '\r', ' ']),
        "blank" => ("blank", vec!['\t', ' ']),
        "punct" => (
            "punct",
            ascii().filter(char::is_ascii_punctuation).collect(),
        ),
        "cntrl" => ("cntrl", ascii().filter(char::is_ascii_control).collect()),
        "print" => ("print", ascii().filter(|c| !c.is_ascii_control()).collect()),
        "graph" => (
            "graph",
            ascii()
                .filter(|c| !c.is_ascii_control() && *c != ' ')
                .collect(),
        ),
        _ => return None,
    })
}

const TR_TRY: &str = "Try 'tr --help' for more information.\n";

/// GNU tr: `tr [-c] [-d] [-s] [-t] SET1 [SET2]` over standard input — translate, delete, squeeze repeats,
/// complement SET1, truncate SET1; `tr '[:lower:]' '[:upper:]'` converts case.
fn tr(args: &[String], stdin: Option<&str>) -> Output {
    let fail = |message: String| Output::failed(format!("tr: {message}\n{TR_TRY}"), 1);
    let (mut complement, mut delete, mut squeeze, mut truncate) = (false, false, false, false);
    let mut sets: Vec<&String> = Vec::new();
    let mut options_done = false;
    for a in args {
        match a.as_str() {
            "--" if !options_done => options_done = true,
            "--complement" if !options_done => complement = true,
            "--delete" if !options_done => delete = true,
            "--squeeze-repeats" if !options_done => squeeze = true,
            "--truncate-set1" if !options_done => truncate = true,
            s if !options_done && s.starts_with('-') && s.len() > 1 => {
                for c in s[1..].chars() {
                    match c {
                        'c' | 'C' => complement = true,
                        'd' => delete = true,
                        's' => squeeze = true,
                        't' => truncate = true,
                        other => return fail(format!("invalid option -- '{other}'")),
                    }
                }
            }
            _ => sets.push(a),
        }
    }
    let wanted = if delete && squeeze || !delete && !squeeze {
        2
    } else {
        1
    };
    match (sets.len(), wanted) {
        (0, _) => return fail("missing operand".into()),
        (1, 2) if !delete && !squeeze => {
            return fail(format!(
                "missing operand after ‘{}’\nTwo strings must be given when translating.",
                sets[0]
            ))
        }
        (1, 2) if delete => {
            return fail(format!(
                "missing operand after ‘{}’\nTwo strings must be given when both deleting and squeezing repeats.",
                sets[0]
            ))
        }
        (n, 1) if n > 1 && delete => {
            return fail(format!(
                "extra operand ‘{}’\nOnly one string may be given when deleting without squeezing repeats.",
                sets[1]
            ))
        }
        (n, _) if n > 2 => return fail(format!("extra operand ‘{}’", sets[2])),
        _ => {}
    }
    let (mut set1, classes1) = match tr_set(sets[0], false) {
        Ok(s) => s,
        Err(e) => return Output::failed(format!("tr: {e}\n"), 1),
    };
    let (mut set2, classes2) = match sets.get(1).map(|s| tr_set(s, true)).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => return Output::failed(format!("tr: {e}\n"), 1),
    };
    if complement {
        // Every character not in SET1, in ascending order (GNU tr works on bytes: 0..=255).
        let not_in: Vec<char> = (0u32..=255)
            .filter_map(char::from_u32)
            .filter(|c| !set1.contains(c))
            .collect();
        set1 = not_in;
    }
    let translating = sets.len() == 2 && !delete;
    if translating {
        // `[c*]` fills SET2 up to SET1's length.
        if let Some(&(at, _)) = classes2.iter().find(|(_, l)| *l == "*") {
            let fill = set1.len().saturating_sub(set2.len() - 1);
            let c = set2[at];
            set2.splice(at..=at, std::iter::repeat_n(c, fill));
        }
        // Case conversion pairs a class with the other case's class at the same place.
        for (at, label) in classes2.iter().filter(|(_, l)| *l != "*") {
            let paired = classes1.iter().any(|(a, l)| a == at && l != label);
            if !paired && !classes1.iter().any(|(a, l)| a == at && l == label) {
                return Output::failed(
                    "tr: misaligned [:upper:] and/or [:lower:] construct\n".into(),
                    1,
                );
            }
        }
        if set2.is_empty() && !set1.is_empty() {
            return Output::failed(
                "tr: when not truncating set1, string2 must be non-empty\n".into(),
                1,
            );
        }
        if truncate {
            set1.truncate(set2.len());
        } else if let Some(&last) = set2.last() {
            while set2.len() < set1.len() {
                set2.push(last);
            }
        }
    }
    let input = stdin.unwrap_or("");
    let mut out = String::with_capacity(input.len());
    let squeeze_set: &[char] = if sets.len() == 2 { &set2 } else { &set1 };
    let mut last: Option<char> = None;
    for c in input.chars() {
        let c = if delete {
            if set1.contains(&c) {
                continue;
            }
            c
        } else if translating {
            // The last occurrence in SET1 decides, as in GNU tr.
            match set1.iter().rposition(|x| *x == c) {
                Some(k) => set2[k],
                None => c,
            }
        } else {
            c
        };
        if squeeze && last == Some(c) && squeeze_set.contains(&c) {
            continue;
        }
        last = Some(c);
        out.push(c);
    }
    Output::ok(out)
}

// ---- sed ----

/// One sed command: `s/RE/REPLACEMENT/FLAGS`, `p`, `d`, `q`, optionally after an address (`N`, `$`,
/// `/RE/`).
enum SedCmd {
    Sub {
        re: Regex,
        replacement: String,
        global: bool,
        print: bool,
        nth: usize,
    },
    Print,
    Delete,
    Quit,
}

enum Address {
    Line(usize),
    Last,
    Pattern(Regex),
}

/// GNU sed for the scripts manifests and tutorials use: `sed [-n] [-E|-r] [-i] [-e SCRIPT]… [SCRIPT] [FILE…]`
/// with `s/RE/REPLACEMENT/[g][p][I][N]` (`&`, `\1`…`\9`, `\n`, any delimiter), `p`, `d`, `q`, each
/// optionally after a line number, `$` or `/RE/`, separated by newlines or `;`.
fn sed(host: &mut dyn Host, args: &[String], stdin: Option<&str>, flavor: Flavor) -> Output {
    let mut extended = false;
    let mut quiet = false;
    let mut in_place = false;
    let mut scripts = Vec::new();
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-i" | "--in-place" => in_place = true,
            "-e" | "--expression" => scripts.extend(it.next().cloned()),
            _ if a.starts_with("--expression=") => {
                scripts.push(a["--expression=".len()..].to_string())
            }
            _ if a.starts_with("-i") && a.len() > 2 => in_place = true,
            _ if a.starts_with('-')
                && a.len() > 1
                && a[1..].chars().all(|c| "nErsi".contains(c)) =>
            {
                for c in a[1..].chars() {
                    match c {
                        'n' => quiet = true,
                        'E' | 'r' => extended = true,
                        'i' => in_place = true,
                        _ => {}
                    }
                }
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                return Output::failed(format!("sed: invalid option -- '{}'\n", &a[1..]), 1)
            }
            _ if scripts.is_empty() => scripts.push(a.clone()),
            _ => files.push(a.clone()),
        }
    }
    let Some(script) = (!scripts.is_empty()).then(|| scripts.join("\n")) else {
        return Output::failed(
            "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n".into(),
            1,
        );
    };
    let cmds = match parse_sed(&script, extended) {
        Ok(c) => c,
        Err(e) => return Output::failed(format!("sed: -e expression #1, char {e}\n"), 1),
    };
    let apply = |text: &str| -> String {
        let all: Vec<&str> = text.split_inclusive('\n').collect();
        let mut out = String::new();
        for (n, line) in all.iter().enumerate() {
            let (mut body, newline) = match line.strip_suffix('\n') {
                Some(b) => (b.to_owned(), "\n"),
                None => ((*line).to_owned(), ""),
            };
            let is_last = n + 1 == all.len();
            let mut deleted = false;
            let mut quit = false;
            for (address, cmd) in &cmds {
                let hit = match address {
                    None => true,
                    Some(Address::Line(l)) => *l == n + 1,
                    Some(Address::Last) => is_last,
                    Some(Address::Pattern(re)) => re.is_match(&body),
                };
                if !hit {
                    continue;
                }
                match cmd {
                    SedCmd::Print => {
                        out.push_str(&body);
                        out.push('\n');
                    }
                    SedCmd::Delete => {
                        deleted = true;
                        break;
                    }
                    SedCmd::Quit => {
                        quit = true;
                        break;
                    }
                    SedCmd::Sub {
                        re,
                        replacement,
                        global,
                        print,
                        nth,
                    } => {
                        if let Some(changed) = substitute(re, replacement, *global, *nth, &body) {
                            body = changed;
                            if *print {
                                out.push_str(&body);
                                out.push('\n');
                            }
                        }
                    }
                }
            }
            if !deleted && !quiet {
                out.push_str(&body);
                out.push_str(newline);
            }
            if quit {
                break;
            }
        }
        out
    };
    if files.is_empty() {
        return Output::ok(apply(stdin.unwrap_or("")));
    }
    let mut out = String::new();
    for f in &files {
        match host.read_file(f) {
            Ok(text) => {
                let edited = apply(&text);
                if in_place {
                    let written = host
                        .write_file(f, "", false)
                        .and_then(|()| host.write_file(f, &edited, true));
                    if let Err(e) = written {
                        let message = match flavor {
                            Flavor::Gnu => format!("sed: couldn't edit {f}: {e}\n"),
                            Flavor::Busybox => format!("sed: can't create '{f}': {e}\n"),
                        };
                        return Output::failed(message, 4);
                    }
                } else {
                    out.push_str(&edited);
                }
            }
            Err(e) => {
                let message = match flavor {
                    Flavor::Gnu => format!("sed: can't read {f}: {e}\n"),
                    Flavor::Busybox => format!("sed: {f}: {e}\n"),
                };
                return Output::both(out, message, 2);
            }
        }
    }
    Output::ok(out)
}

/// `s` with its replacement: the `nth` match (1 by default), or every one from there with `g`. `None` when
/// nothing matched.
fn substitute(
    re: &Regex,
    replacement: &str,
    global: bool,
    nth: usize,
    body: &str,
) -> Option<String> {
    let mut result = String::new();
    let mut at = 0;
    let mut seen = 0;
    let mut changed = false;
    while let Some(m) = re.captures_at(body, at) {
        let Some(whole) = m.get(0) else { break };
        let (start, end) = (whole.start(), whole.end());
        seen += 1;
        result.push_str(&body[at..start]);
        if seen >= nth {
            let mut rc = replacement.chars();
            while let Some(c) = rc.next() {
                match c {
                    '&' => result.push_str(whole.as_str()),
                    '\\' => match rc.next() {
                        Some(d) if d.is_ascii_digit() => {
                            let g = d.to_digit(10).unwrap_or(0) as usize;
                            result.push_str(m.get(g).map_or("", |x| x.as_str()));
                        }
                        Some('n') => result.push('\n'),
                        Some('t') => result.push('\t'),
                        Some(o) => result.push(o),
                        None => result.push('\\'),
                    },
                    other => result.push(other),
                }
            }
            changed = true;
        } else {
            result.push_str(whole.as_str());
        }
        at = if end == start {
            let next = regex::next_char(body, end);
            result.push_str(body.get(end..next).unwrap_or(""));
            next
        } else {
            end
        };
        if (changed && !global) || at > body.len() {
            break;
        }
    }
    if at <= body.len() {
        result.push_str(&body[at..]);
    }
    changed.then_some(result)
}

/// Parses a sed script; `Err` is GNU's "N: message" (the character position first).
fn parse_sed(script: &str, extended: bool) -> Result<Vec<(Option<Address>, SedCmd)>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut cmds = Vec::new();
    let mut i = 0;
    let syntax = if extended {
        Syntax::Extended
    } else {
        Syntax::Basic
    };
    let compile = |pattern: &str, icase: bool, at: usize| -> Result<Regex, String> {
        regex::compile(pattern, syntax, icase).map_err(|e| format!("{at}: {e}"))
    };
    // The text up to an unescaped `delim` (an escaped delimiter is the delimiter itself).
    let delimited = |i: &mut usize, delim: char| -> Option<String> {
        let mut text = String::new();
        while let Some(&c) = chars.get(*i) {
            *i += 1;
            if c == '\\' {
                match chars.get(*i) {
                    Some(&n) if n == delim => text.push(n),
                    Some(&n) => {
                        text.push('\\');
                        text.push(n);
                    }
                    None => text.push('\\'),
                }
                *i += 1;
            } else if c == delim {
                return Some(text);
            } else {
                text.push(c);
            }
        }
        None
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ';' {
            i += 1;
            continue;
        }
        let address = if c.is_ascii_digit() {
            let digits: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            i += digits.len();
            Some(Address::Line(digits.parse().unwrap_or(0)))
        } else if c == '$' {
            i += 1;
            Some(Address::Last)
        } else if c == '/' {
            i += 1;
            let Some(p) = delimited(&mut i, '/') else {
                return Err(format!("{}: unterminated address regex", chars.len()));
            };
            Some(Address::Pattern(compile(&p, false, i)?))
        } else {
            None
        };
        while chars.get(i).is_some_and(|c| *c == ' ') {
            i += 1;
        }
        let Some(&command) = chars.get(i) else {
            return Err(format!("{}: missing command", chars.len()));
        };
        i += 1;
        let cmd = match command {
            'p' => SedCmd::Print,
            'd' => SedCmd::Delete,
            'q' => SedCmd::Quit,
            's' => {
                let Some(&delim) = chars.get(i) else {
                    return Err(format!("{}: unterminated `s' command", chars.len()));
                };
                i += 1;
                let (Some(pattern), Some(replacement)) =
                    (delimited(&mut i, delim), delimited(&mut i, delim))
                else {
                    return Err(format!("{}: unterminated `s' command", chars.len()));
                };
                let (mut global, mut print, mut icase, mut nth) = (false, false, false, 1);
                while let Some(&f) = chars.get(i) {
                    match f {
                        'g' => global = true,
                        'p' => print = true,
                        'I' | 'i' => icase = true,
                        '0'..='9' => nth = f.to_digit(10).unwrap_or(1) as usize,
                        ';' | '\n' | ' ' | '}' => break,
                        other => return Err(format!("{}: unknown option to `s' ({other})", i + 1)),
                    }
                    i += 1;
                }
                SedCmd::Sub {
                    re: compile(&pattern, icase, i)?,
                    replacement,
                    global,
                    print,
                    nth: nth.max(1),
                }
            }
            other => return Err(format!("{i}: unknown command: `{other}'")),
        };
        cmds.push((address, cmd));
    }
    Ok(cmds)
}

// ---- head, tail, wc, sort ----

/// `head`/`tail [-n N | -N] [FILE…]` (`tail -n +N` from line N): with several files each under a `==> F <==`
/// heading.
fn head_tail(
    host: &mut dyn Host,
    program: &str,
    args: &[String],
    stdin: Option<&str>,
    flavor: Flavor,
) -> Output {
    let mut count: usize = 10;
    let mut from_start = false;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let value = if a == "-n" || a == "--lines" {
            let v = args.get(i).cloned();
            i += 1;
            v
        } else if let Some(v) = a.strip_prefix("--lines=") {
            Some(v.to_string())
        } else if let Some(v) = a.strip_prefix("-n") {
            Some(v.to_string())
        } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            Some(a[1..].to_string())
        } else if a != "-" && a.starts_with('-') {
            return Output::failed(
                format!(
                    "{program}: invalid option -- '{}'\nTry '{program} --help' for more information.\n",
                    a.trim_start_matches('-')
                ),
                1,
            );
        } else {
            files.push(a.clone());
            continue;
        };
        let Some(v) = value else {
            return Output::failed(
                format!("{program}: option requires an argument -- 'n'\n"),
                1,
            );
        };
        from_start = program == "tail" && v.starts_with('+');
        match v.trim_start_matches('+').parse::<usize>() {
            Ok(n) => count = n,
            Err(_) => {
                return Output::failed(format!("{program}: invalid number of lines: ‘{v}’\n"), 1)
            }
        }
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let several = files.len() > 1;
    let mut out = Output::ok(String::new());
    for (n, f) in files.iter().enumerate() {
        let text = if f == "-" {
            stdin.unwrap_or("").to_string()
        } else {
            match host.read_file(f) {
                Ok(t) => t,
                Err(e) => {
                    out.push_stderr(&match flavor {
                        Flavor::Gnu if program == "head" => {
                            format!("head: cannot open '{f}' for reading: {e}\n")
                        }
                        Flavor::Gnu => format!("tail: cannot open '{f}' for reading: {e}\n"),
                        Flavor::Busybox => format!("{program}: can't open '{f}': {e}\n"),
                    });
                    out.status = 1;
                    continue;
                }
            }
        };
        if several {
            if n > 0 {
                out.push_stdout("\n");
            }
            let name = if f == "-" { "standard input" } else { f };
            out.push_stdout(&format!("==> {name} <==\n"));
        }
        let all: Vec<&str> = text.split_inclusive('\n').collect();
        let picked: &[&str] = if program == "head" {
            &all[..count.min(all.len())]
        } else if from_start {
            &all[count.saturating_sub(1).min(all.len())..]
        } else {
            &all[all.len().saturating_sub(count)..]
        };
        out.push_stdout(&picked.iter().copied().collect::<String>());
    }
    out
}

/// `wc [-l] [-w] [-c|-m] [FILE…]`: lines, words and bytes, right-aligned as coreutils aligns them.
fn wc(host: &mut dyn Host, args: &[String], stdin: Option<&str>) -> Output {
    let mut which = [false; 3];
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "--lines" => which[0] = true,
            "--words" => which[1] = true,
            "--bytes" | "--chars" => which[2] = true,
            s if s.starts_with('-') && s.len() > 1 => {
                for c in s[1..].chars() {
                    match c {
                        'l' => which[0] = true,
                        'w' => which[1] = true,
                        'c' | 'm' => which[2] = true,
                        other => {
                            return Output::failed(
                                format!("wc: invalid option -- '{other}'\nTry 'wc --help' for more information.\n"),
                                1,
                            )
                        }
                    }
                }
            }
            _ => files.push(a.clone()),
        }
    }
    if which == [false; 3] {
        which = [true; 3];
    }
    let counts = |t: &str| {
        [
            t.matches('\n').count(),
            t.split_whitespace().count(),
            t.len(),
        ]
    };
    let mut rows: Vec<([usize; 3], Option<String>)> = Vec::new();
    let mut out = Output::ok(String::new());
    if files.is_empty() {
        rows.push((counts(stdin.unwrap_or("")), None));
    }
    for f in &files {
        match host.read_file(f) {
            Ok(t) => rows.push((counts(&t), Some(f.clone()))),
            Err(e) => {
                out.push_stderr(&format!("wc: {f}: {e}\n"));
                out.status = 1;
            }
        }
    }
    if rows.len() > 1 {
        let mut total = [0; 3];
        for (c, _) in &rows {
            for k in 0..3 {
                total[k] += c[k];
            }
        }
        rows.push((total, Some("total".into())));
    }
    let shown = which.iter().filter(|w| **w).count();
    // One number from standard input stands alone; otherwise every column is as wide as the largest count
    // (at least 7 for standard input).
    let width = if shown == 1 && rows.len() == 1 {
        0
    } else {
        let widest = rows
            .iter()
            .flat_map(|(c, _)| c.iter())
            .max()
            .map_or(1, |m| m.to_string().len());
        if files.is_empty() {
            widest.max(7)
        } else {
            widest
        }
    };
    for (c, name) in rows {
        let cells: Vec<String> = (0..3)
            .filter(|k| which[*k])
            .map(|k| format!("{:>width$}", c[k]))
            .collect();
        out.push_stdout(&cells.join(" "));
        if let Some(n) = name {
            out.push_stdout(" ");
            out.push_stdout(&n);
        }
        out.push_stdout("\n");
    }
    out
}

/// `sort [-r] [-n] [-u] [-k N] [-t SEP] [FILE…]`.
fn sort(host: &mut dyn Host, args: &[String], stdin: Option<&str>) -> Output {
    let (mut reverse, mut numeric, mut unique) = (false, false, false);
    let mut key: Option<usize> = None;
    let mut sep: Option<char> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "-" || !a.starts_with('-') {
            files.push(a.clone());
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            match c {
                'r' => reverse = true,
                'n' => numeric = true,
                'u' => unique = true,
                'k' | 't' => {
                    let value: String = if j < chars.len() {
                        let v = chars[j..].iter().collect();
                        j = chars.len();
                        v
                    } else {
                        let v = args.get(i).cloned().unwrap_or_default();
                        i += 1;
                        v
                    };
                    if c == 'k' {
                        key = value
                            .split(|ch: char| !ch.is_ascii_digit())
                            .next()
                            .and_then(|n| n.parse().ok());
                    } else {
                        sep = value.chars().next();
                    }
                }
                other => {
                    return Output::failed(
                        format!("sort: invalid option -- '{other}'\nTry 'sort --help' for more information.\n"),
                        2,
                    )
                }
            }
        }
    }
    let mut text = String::new();
    if files.is_empty() {
        text.push_str(stdin.unwrap_or(""));
    }
    for f in &files {
        if f == "-" {
            text.push_str(stdin.unwrap_or(""));
            continue;
        }
        match host.read_file(f) {
            Ok(t) => text.push_str(&t),
            Err(e) => return Output::failed(format!("sort: cannot read: {f}: {e}\n"), 2),
        }
    }
    let field = |line: &str| -> String {
        match key {
            None => line.to_string(),
            Some(k) => {
                let parts: Vec<&str> = match sep {
                    Some(s) => line.split(s).collect(),
                    None => line.split_whitespace().collect(),
                };
                parts
                    .get(k.saturating_sub(1)..)
                    .map(|p| p.join(" "))
                    .unwrap_or_default()
            }
        }
    };
    let number = |s: &str| -> f64 {
        let t = s.trim_start();
        let end = t
            .char_indices()
            .take_while(|(k, c)| c.is_ascii_digit() || *c == '.' || (*k == 0 && *c == '-'))
            .count();
        t[..end].parse().unwrap_or(0.0)
    };
    let mut all = lines(&text);
    // This crate sits below ordinal_api::sort; its few sorts stay the standard ones.
    #[allow(clippy::disallowed_methods)]
    all.sort_by(|a, b| {
        let (ka, kb) = (field(a), field(b));
        let ord = if numeric {
            number(&ka)
                .partial_cmp(&number(&kb))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            ka.cmp(&kb)
        };
        ord.then_with(|| a.cmp(b))
    });
    if reverse {
        all.reverse();
    }
    if unique {
        all.dedup_by(|a, b| field(a) == field(b));
    }
    Output::ok(all.iter().map(|l| format!("{l}\n")).collect())
}

/// Hands `each` the text of each operand in turn (`-` or none: standard input); for one it cannot read, the
/// tool's message goes to `out` there, between what the operands before and after it print.
fn each_input(
    host: &mut dyn Host,
    tool: &str,
    files: &[String],
    stdin: Option<&str>,
    out: &mut Output,
    mut each: impl FnMut(&mut Output, &str),
) {
    if files.is_empty() {
        each(out, stdin.unwrap_or(""));
        return;
    }
    for f in files {
        if f == "-" {
            each(out, stdin.unwrap_or(""));
            continue;
        }
        match host.read_file(f) {
            Ok(t) => each(out, &t),
            Err(e) => {
                out.push_stderr(&format!("{tool}: {f}: {e}\n"));
                out.status = 1;
            }
        }
    }
}

/// GNU's usage error: the message, then where help is.
fn usage_error(tool: &str, message: &str) -> Output {
    Output::failed(
        format!("{tool}: {message}\nTry '{tool} --help' for more information.\n"),
        1,
    )
}

// ---- cut ----

/// A `cut` list (`1,3-5,7-`): ranges from 1, an open end as `usize::MAX`.
fn cut_list(spec: &str, what: &str) -> Result<Vec<(usize, usize)>, Output> {
    let mut ranges = Vec::new();
    for item in spec.split(',') {
        let bad = || Output::failed(format!("cut: invalid {what} value ‘{item}’\n"), 1);
        let number = |s: &str| -> Result<usize, Output> {
            match s.parse::<usize>() {
                Ok(0) => Err(usage_error(
                    "cut",
                    &format!(
                        "{} are numbered from 1",
                        if what == "field" {
                            "fields"
                        } else {
                            "byte/character positions"
                        }
                    ),
                )),
                Ok(n) => Ok(n),
                Err(_) => Err(bad()),
            }
        };
        let (from, to) = match item.split_once('-') {
            Some(("", "")) => return Err(usage_error("cut", "invalid range with no endpoint: -")),
            Some(("", hi)) => (1, number(hi)?),
            Some((lo, "")) => (number(lo)?, usize::MAX),
            Some((lo, hi)) => (number(lo)?, number(hi)?),
            None => {
                let n = number(item)?;
                (n, n)
            }
        };
        if to < from {
            return Err(usage_error("cut", "invalid decreasing range"));
        }
        ranges.push((from, to));
    }
    Ok(ranges)
}

/// GNU cut: `-f LIST` with `-d DELIM` (tab by default; `-s` leaves out lines without it, `--output-delimiter`),
/// `-c LIST` and `-b LIST` (characters here), `--complement`.
fn cut(host: &mut dyn Host, args: &[String], stdin: Option<&str>) -> Output {
    let mut fields: Option<String> = None;
    let mut chars: Option<String> = None;
    let mut delim: Option<String> = None;
    let mut output_delim: Option<String> = None;
    let (mut only_delimited, mut complement) = (false, false);
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].clone();
        i += 1;
        let mut value = |inline: &str| -> Result<String, Output> {
            if !inline.is_empty() {
                return Ok(inline.to_string());
            }
            let v = args.get(i).cloned().ok_or_else(|| {
                usage_error(
                    "cut",
                    &format!(
                        "option requires an argument -- '{}'",
                        a.chars().nth(1).unwrap_or('?')
                    ),
                )
            })?;
            i += 1;
            Ok(v)
        };
        let result: Result<(), Output> = (|| {
            if let Some(long) = a.strip_prefix("--") {
                let (name, inline) = long.split_once('=').unwrap_or((long, ""));
                match name {
                    "fields" => fields = Some(value(inline)?),
                    "characters" | "bytes" => chars = Some(value(inline)?),
                    "delimiter" => delim = Some(value(inline)?),
                    "output-delimiter" => output_delim = Some(value(inline)?),
                    "only-delimited" => only_delimited = true,
                    "complement" => complement = true,
                    _ => {
                        return Err(usage_error(
                            "cut",
                            &format!("unrecognized option '--{name}'"),
                        ))
                    }
                }
            } else if a.len() > 1 && a.starts_with('-') {
                let flag = &a[1..2];
                let rest = &a[2..];
                match flag {
                    "f" => fields = Some(value(rest)?),
                    "c" | "b" => chars = Some(value(rest)?),
                    "d" => delim = Some(value(rest)?),
                    "s" => only_delimited = true,
                    "n" => {}
                    other => {
                        return Err(usage_error("cut", &format!("invalid option -- '{other}'")))
                    }
                }
            } else {
                files.push(a.clone());
            }
            Ok(())
        })();
        if let Err(e) = result {
            return e;
        }
    }
    let (spec, what) = match (&fields, &chars) {
        (Some(_), Some(_)) => return usage_error("cut", "only one type of list may be specified"),
        (Some(f), None) => (f.clone(), "field"),
        (None, Some(c)) => (c.clone(), "byte/character position"),
        (None, None) => {
            return usage_error(
                "cut",
                "you must specify a list of bytes, characters, or fields",
            )
        }
    };
    if delim.is_some() && fields.is_none() {
        return usage_error(
            "cut",
            "an input delimiter may be specified only when operating on fields",
        );
    }
    let delim = delim.unwrap_or_else(|| "\t".into());
    let Some(d) = delim.chars().next().filter(|_| delim.chars().count() == 1) else {
        return usage_error("cut", "the delimiter must be a single character");
    };
    let ranges = match cut_list(&spec, what) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let picked = |n: usize| ranges.iter().any(|&(a, b)| n >= a && n <= b) != complement;
    let mut out = Output::ok(String::new());
    each_input(host, "cut", &files, stdin, &mut out, |out, text| {
        for line in text.lines() {
            if fields.is_some() {
                if !line.contains(d) {
                    if !only_delimited {
                        out.push_stdout(line);
                        out.push_stdout("\n");
                    }
                    continue;
                }
                let joiner = output_delim.clone().unwrap_or_else(|| d.to_string());
                let kept: Vec<&str> = line
                    .split(d)
                    .enumerate()
                    .filter(|(k, _)| picked(k + 1))
                    .map(|(_, f)| f)
                    .collect();
                out.push_stdout(&kept.join(&joiner));
            } else {
                let kept: String = line
                    .chars()
                    .enumerate()
                    .filter(|(k, _)| picked(k + 1))
                    .map(|(_, c)| c)
                    .collect();
                out.push_stdout(&kept);
            }
            out.push_stdout("\n");
        }
    });
    out
}

// ---- uniq ----

/// `uniq [-c] [-d] [-u] [-i] [FILE]`: adjacent equal lines once; `-c` counts them as `%7d ` does.
fn uniq(host: &mut dyn Host, args: &[String], stdin: Option<&str>) -> Output {
    let (mut count, mut repeated, mut unique, mut ignore_case) = (false, false, false, false);
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "--count" => count = true,
            "--repeated" => repeated = true,
            "--unique" => unique = true,
            "--ignore-case" => ignore_case = true,
            s if s.len() > 1 && s.starts_with('-') => {
                for c in s[1..].chars() {
                    match c {
                        'c' => count = true,
                        'd' => repeated = true,
                        'u' => unique = true,
                        'i' => ignore_case = true,
                        other => {
                            return usage_error("uniq", &format!("invalid option -- '{other}'"))
                        }
                    }
                }
            }
            _ => files.push(a.clone()),
        }
    }
    if let Some(extra) = files.get(2) {
        return usage_error("uniq", &format!("extra operand ‘{extra}’"));
    }
    let mut out = Output::ok(String::new());
    let mut text = String::new();
    each_input(
        host,
        "uniq",
        &files[..files.len().min(1)],
        stdin,
        &mut out,
        |_, t| text.push_str(t),
    );
    let same = |a: &str, b: &str| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for line in text.lines() {
        match groups.last_mut() {
            Some((first, n)) if same(first, line) => *n += 1,
            _ => groups.push((line, 1)),
        }
    }
    for (line, n) in groups {
        if (repeated && n < 2) || (unique && n > 1) {
            continue;
        }
        if count {
            out.push_stdout(&format!("{n:>7} "));
        }
        out.push_stdout(line);
        out.push_stdout("\n");
    }
    out
}

// ---- xargs ----

/// xargs's items from its input: blank-separated words where quotes and backslashes group (GNU's default),
/// or every `delim`-terminated piece with `-0`/`-d`.
fn xargs_items(input: &str, delim: Option<char>) -> Result<Vec<String>, String> {
    if let Some(d) = delim {
        let mut items: Vec<String> = input.split(d).map(str::to_string).collect();
        if items.last().is_some_and(String::is_empty) {
            items.pop();
        }
        return Ok(items);
    }
    let mut items = Vec::new();
    let mut current: Option<String> = None;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => items.extend(current.take()),
            '\'' | '"' => {
                let word = current.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\n') | None => {
                            let kind = if c == '\'' { "single" } else { "double" };
                            return Err(format!("unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option"));
                        }
                        Some(other) => word.push(other),
                    }
                }
            }
            '\\' => {
                if let Some(e) = chars.next() {
                    current.get_or_insert_with(String::new).push(e);
                }
            }
            other => current.get_or_insert_with(String::new).push(other),
        }
    }
    items.extend(current);
    Ok(items)
}

/// GNU xargs: builds command lines from its input and runs them through the host (`echo` by default):
/// `-n N` items per command, `-I R` one line per command with R replaced in the arguments, `-L N` lines per
/// command, `-0`/`-d` delimiters, `-r` not to run on empty input (GNU runs once otherwise), `-t` to show each
/// command on stderr. The status is 123 when a command failed, 127 when it was not found.
fn xargs(host: &mut dyn Host, args: &[String], stdin: Option<&str>) -> Output {
    let mut per: Option<usize> = None;
    let mut lines_per: Option<usize> = None;
    let mut replace: Option<String> = None;
    let mut delim: Option<char> = None;
    let (mut no_empty, mut trace) = (false, false);
    let mut i = 0;
    let number = |flag: &str, v: &str| -> Result<usize, Output> {
        v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
            Output::failed(
                format!("xargs: invalid number \"{v}\" for -{flag} option\n"),
                1,
            )
        })
    };
    while i < args.len() {
        let a = args[i].as_str();
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        if a == "--" {
            break;
        }
        let (flag, inline) = if let Some(long) = a.strip_prefix("--") {
            let (name, v) = long.split_once('=').unwrap_or((long, ""));
            let short = match name {
                "max-args" => "n",
                "max-lines" => "L",
                "replace" => "I",
                "null" => "0",
                "delimiter" => "d",
                "no-run-if-empty" => "r",
                "verbose" => "t",
                "max-procs" => "P",
                _ => {
                    return usage_error("xargs", &format!("unrecognized option '--{name}'"));
                }
            };
            (short.to_string(), v.to_string())
        } else {
            (a[1..2].to_string(), a[2..].to_string())
        };
        let mut value = || -> Result<String, Output> {
            if !inline.is_empty() {
                return Ok(inline.clone());
            }
            let v = args.get(i).cloned().ok_or_else(|| {
                usage_error("xargs", &format!("option requires an argument -- '{flag}'"))
            })?;
            i += 1;
            Ok(v)
        };
        let result: Result<(), Output> = (|| {
            match flag.as_str() {
                "n" => per = Some(number("n", &value()?)?),
                "L" => lines_per = Some(number("L", &value()?)?),
                "I" => replace = Some(value()?),
                "i" => {
                    replace = Some(if inline.is_empty() {
                        "{}".into()
                    } else {
                        inline.clone()
                    })
                }
                "0" => delim = Some('\0'),
                "d" => delim = value()?.chars().next(),
                "r" => no_empty = true,
                "t" => trace = true,
                "P" | "s" => {
                    value()?;
                }
                "x" | "p" => {}
                other => {
                    return Err(usage_error(
                        "xargs",
                        &format!("invalid option -- '{other}'"),
                    ))
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            return e;
        }
    }
    let mut command: Vec<String> = args[i..].to_vec();
    if command.is_empty() {
        command.push("echo".into());
    }
    let input = stdin.unwrap_or("");
    // Each command's arguments.
    let batches: Vec<Vec<String>> = if let Some(r) = &replace {
        input
            .lines()
            .map(|l| l.trim_start())
            .filter(|l| !l.is_empty())
            .map(|line| {
                command
                    .iter()
                    .map(|a| a.replace(r.as_str(), line))
                    .collect()
            })
            .collect()
    } else {
        let groups: Vec<Vec<String>> = if let Some(n) = lines_per {
            let lines: Vec<Vec<String>> = input
                .lines()
                .filter_map(|l| xargs_items(l, None).ok())
                .filter(|items| !items.is_empty())
                .collect();
            lines.chunks(n).map(|c| c.concat()).collect()
        } else {
            let items = match xargs_items(input, delim) {
                Ok(items) => items,
                Err(e) => return Output::failed(format!("xargs: {e}\n"), 1),
            };
            match per {
                Some(n) => items.chunks(n).map(<[String]>::to_vec).collect(),
                None if items.is_empty() => Vec::new(),
                None => vec![items],
            }
        };
        let mut batches: Vec<Vec<String>> = groups
            .into_iter()
            .map(|g| command.iter().cloned().chain(g).collect())
            .collect();
        if batches.is_empty() && !no_empty {
            batches.push(command.clone());
        }
        batches
    };
    let mut out = Output::ok(String::new());
    for argv in batches {
        if trace {
            out.push_stderr(&format!("{}\n", argv.join(" ")));
        }
        let ran = host.run(&argv, None, &[]);
        for (stream, text) in ran.printed() {
            // A command that is not there: xargs's own message, not the shell's.
            if ran.status != 127 || *stream == Stream::Stdout {
                out.print(*stream, text);
            }
        }
        match ran.status {
            0 => {}
            127 => {
                out.push_stderr(&format!("xargs: {}: No such file or directory\n", argv[0]));
                out.status = 127;
                return out;
            }
            126 => {
                out.status = 126;
                return out;
            }
            255 => {
                out.push_stderr(&format!(
                    "xargs: {}: exited with status 255; aborting\n",
                    argv[0]
                ));
                out.status = 124;
                return out;
            }
            _ => out.status = 123,
        }
    }
    out
}

// ---- basename, dirname ----

/// `basename NAME [SUFFIX]`, `basename -a NAME…`, `-s SUFFIX`: the last component, trailing slashes and the
/// suffix (unless it is all that is left) removed.
fn basename(args: &[String]) -> Output {
    let mut all = false;
    let mut suffix: Option<String> = None;
    let mut names = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        match a.as_str() {
            "-a" | "--multiple" => all = true,
            "-s" => {
                suffix = args.get(i).cloned();
                i += 1;
                all = true;
            }
            s if s.starts_with("--suffix=") => {
                suffix = Some(s["--suffix=".len()..].to_string());
                all = true;
            }
            s if s.len() > 1 && s.starts_with('-') => {
                return usage_error("basename", &format!("invalid option -- '{}'", &s[1..2]))
            }
            _ => names.push(a.clone()),
        }
    }
    if names.is_empty() {
        return usage_error("basename", "missing operand");
    }
    if !all {
        if let Some(extra) = names.get(2) {
            return usage_error("basename", &format!("extra operand ‘{extra}’"));
        }
        if names.len() == 2 {
            suffix = names.pop();
        }
    }
    let base = |name: &str| -> String {
        let trimmed = name.trim_end_matches('/');
        if trimmed.is_empty() {
            return if name.is_empty() {
                String::new()
            } else {
                "/".into()
            };
        }
        let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
        match &suffix {
            Some(s) if !s.is_empty() && last != s => {
                last.strip_suffix(s.as_str()).unwrap_or(last).to_string()
            }
            _ => last.to_string(),
        }
    };
    Output::ok(names.iter().map(|n| format!("{}\n", base(n))).collect())
}

/// `dirname NAME…`: each name without its last component (`.` when there is none).
fn dirname(args: &[String]) -> Output {
    let names: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
    if names.is_empty() {
        return usage_error("dirname", "missing operand");
    }
    let dir = |name: &str| -> String {
        let trimmed = name.trim_end_matches('/');
        if trimmed.is_empty() {
            return if name.starts_with('/') {
                "/".into()
            } else {
                ".".into()
            };
        }
        match trimmed.rfind('/') {
            None => ".".into(),
            Some(i) => {
                let parent = trimmed[..i].trim_end_matches('/');
                if parent.is_empty() {
                    "/".into()
                } else {
                    parent.to_string()
                }
            }
        }
    };
    Output::ok(names.iter().map(|n| format!("{}\n", dir(n))).collect())
}

// ---- tee ----

/// `tee [-a] [FILE…]`: standard input to standard output and to each file (appended with `-a`).
fn tee(host: &mut dyn Host, args: &[String], stdin: Option<&str>) -> Output {
    let mut append = false;
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "-a" | "--append" => append = true,
            "-i" | "--ignore-interrupts" | "-p" => {}
            s if s.len() > 1 && s.starts_with('-') => {
                return usage_error("tee", &format!("invalid option -- '{}'", &s[1..2]))
            }
            _ => files.push(a.clone()),
        }
    }
    let text = stdin.unwrap_or("");
    // tee opens every file before it copies anything, so what it cannot open is reported first.
    let mut out = Output::default();
    for f in &files {
        if let Err(e) = host.write_file(f, text, append) {
            out.push_stderr(&format!("tee: {f}: {e}\n"));
            out.status = 1;
        }
    }
    out.push_stdout(text);
    out
}

// ---- base64 ----

/// Standard base64 as coreutils reads it: padding may be left off, and stray low bits in the last character
/// are ignored.
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// `base64 [-d] [-w COLS] [FILE]`: encodes, wrapping lines at 76 characters (`-w 0`: never), or decodes,
/// ignoring newlines; bad input prints what decoded so far and `base64: invalid input`.
fn base64(host: &mut dyn Host, args: &[String], stdin: Option<&str>) -> Output {
    let mut decode = false;
    let mut ignore_garbage = false;
    let mut wrap = 76usize;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].clone();
        i += 1;
        match a.as_str() {
            "-d" | "--decode" | "-D" => decode = true,
            "-i" | "--ignore-garbage" => ignore_garbage = true,
            "-w" | "--wrap" => {
                let v = args.get(i).cloned().unwrap_or_default();
                i += 1;
                match v.parse() {
                    Ok(n) => wrap = n,
                    Err(_) => {
                        return Output::failed(format!("base64: invalid wrap size: ‘{v}’\n"), 1)
                    }
                }
            }
            s if s.starts_with("--wrap=") || (s.starts_with("-w") && s.len() > 2) => {
                let v = s.trim_start_matches("--wrap=").trim_start_matches("-w");
                match v.parse() {
                    Ok(n) => wrap = n,
                    Err(_) => {
                        return Output::failed(format!("base64: invalid wrap size: ‘{v}’\n"), 1)
                    }
                }
            }
            s if s.len() > 1 && s.starts_with('-') => {
                return usage_error("base64", &format!("invalid option -- '{}'", &s[1..2]))
            }
            _ => files.push(a),
        }
    }
    if let Some(extra) = files.get(1) {
        return usage_error("base64", &format!("extra operand ‘{extra}’"));
    }
    let mut out = Output::ok(String::new());
    let mut read = None;
    each_input(host, "base64", &files, stdin, &mut out, |_, t| {
        read = Some(t.to_string());
    });
    let Some(text) = read else {
        return out;
    };
    if decode {
        let clean: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .filter(|c| {
                !ignore_garbage || c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')
            })
            .collect();
        // Decode what is valid, four characters at a time.
        let mut good = clean.len() - clean.len() % 4;
        let mut bytes = Vec::new();
        while good > 0 {
            if let Ok(b) = B64.decode(&clean[..good]) {
                bytes = b;
                break;
            }
            good -= 4;
        }
        out.push_stdout(&String::from_utf8_lossy(&bytes));
        if good != clean.len() {
            out.push_stderr("base64: invalid input\n");
            out.status = 1;
        }
        return out;
    }
    let encoded = B64.encode(text.as_bytes());
    if encoded.is_empty() {
        return out;
    }
    if wrap == 0 {
        out.push_stdout(&encoded);
    } else {
        let chars: Vec<char> = encoded.chars().collect();
        for line in chars.chunks(wrap) {
            out.push_stdout(&line.iter().collect::<String>());
            out.push_stdout("\n");
        }
    }
    out
}

// ---- printf ----

/// `/bin/echo [-neE] [STRING…]`, what `xargs` and `env` run: the strings joined by spaces, `-n` without the
/// newline, `-e` with backslash escapes (`\c` ends the output).
fn echo_program(args: &[String]) -> Output {
    let mut newline = true;
    let mut escapes = false;
    let mut first = 0;
    for a in args {
        let Some(flags) = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')))
        else {
            break;
        };
        for f in flags.chars() {
            match f {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        first += 1;
    }
    let mut text = args[first..].join(" ");
    if escapes {
        let (expanded, stop) = crate::printf::expand_b(&text, &mut Vec::new());
        text = expanded;
        if stop {
            return Output::ok(text);
        }
    }
    if newline {
        text.push('\n');
    }
    Output::ok(text)
}

/// `/usr/bin/printf FORMAT [ARGUMENT…]`, run by `env`, `xargs` or `kubectl exec` without a shell: the same
/// conversions as the shell builtin, its messages after `printf: `.
fn printf_program(args: &[String]) -> Output {
    let args = match args.first().map(String::as_str) {
        Some("--") => &args[1..],
        _ => args,
    };
    let Some((format, rest)) = args.split_first() else {
        return usage_error("printf", "missing operand");
    };
    // GNU's `error()` flushes stdout before each message.
    crate::printf::printf(format, rest).output("printf: ", false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A host whose only file is `f.txt`.
    struct OneFile(String);

    impl Host for OneFile {
        fn run(&mut self, _: &[String], _: Option<&str>, _: &[(String, String)]) -> Output {
            Output::failed(String::new(), 127)
        }
        fn read_file(&mut self, path: &str) -> Result<String, String> {
            if path == "f.txt" {
                Ok(self.0.clone())
            } else {
                Err("No such file or directory".into())
            }
        }
        fn write_file(&mut self, path: &str, contents: &str, append: bool) -> Result<(), String> {
            if path != "f.txt" {
                return Err("Permission denied".into());
            }
            if !append {
                self.0.clear();
            }
            self.0.push_str(contents);
            Ok(())
        }
    }

    fn tool(line: &str, stdin: &str) -> Output {
        let argv = crate::shell::split_words(line).unwrap();
        let mut host = OneFile("alpha\nbeta\ngamma\n".into());
        run(&mut host, &argv[0], &argv[1..], Some(stdin), Flavor::Gnu).unwrap()
    }

    const DESCRIBE: &str = "Name:   web-0\nVolumes:\n  www:\n    Type:  PersistentVolumeClaim\n    ClaimName:  www-web-0\n    ReadOnly:   false\nQoS Class:  BestEffort\n";

    /// GNU grep: anchors, -A with its `--` separators, and the common flags.
    #[test]
    fn grep_follows_gnu_grep() {
        assert_eq!(
            tool("grep -A4 '^Volumes:'", DESCRIBE).stdout(),
            "Volumes:\n  www:\n    Type:  PersistentVolumeClaim\n    ClaimName:  www-web-0\n    ReadOnly:   false\n"
        );
        let text = "a\nx1\nb\nc\nd\nx2\ne\nf\ng\nh\nx3\n";
        assert_eq!(
            tool("grep -A1 x", text).stdout(),
            "x1\nb\n--\nx2\ne\n--\nx3\n"
        );
        assert_eq!(tool("grep -B1 -n x2", text).stdout(), "5-d\n6:x2\n");
        assert_eq!(tool("grep -C1 x1", text).stdout(), "a\nx1\nb\n");
        // Adjacent groups merge without a separator.
        assert_eq!(
            tool("grep -A2 -e x1 -e c", text).stdout(),
            "x1\nb\nc\nd\nx2\n"
        );
        assert_eq!(tool("grep -c x", text).stdout(), "3\n");
        assert_eq!(tool("grep -vc x", text).stdout(), "8\n");
        assert_eq!(tool("grep -i X2", text).stdout(), "x2\n");
        assert_eq!(tool("grep -n '^x' f.txt", text).status, 1);
        assert_eq!(tool("grep -o 'x[0-9]'", "x1 x2\ny\n").stdout(), "x1\nx2\n");
        assert_eq!(
            tool("grep -E 'a|g' f.txt", "").stdout(),
            "alpha\nbeta\ngamma\n"
        );
        assert_eq!(tool("grep -w eta f.txt", "").status, 1);
        assert_eq!(tool("grep -w beta f.txt", "").stdout(), "beta\n");
        assert_eq!(tool("grep -x 'gam' f.txt", "").status, 1);
        assert_eq!(tool("grep -F 'a.' f.txt", "").status, 1);
        assert_eq!(tool("grep 'a.' f.txt", "").stdout(), "alpha\ngamma\n");
        let q = tool("grep -q beta f.txt", "");
        assert_eq!((q.stdout().as_str(), q.status), ("", 0));
        let missing = tool("grep x nope.txt", "");
        assert_eq!(
            (missing.stderr().as_str(), missing.status),
            ("grep: nope.txt: No such file or directory\n", 2)
        );
        assert_eq!(
            tool("grep beta f.txt -", "beta too\n").stdout(),
            "f.txt:beta\n(standard input):beta too\n"
        );
        assert_eq!(tool("grep", "").status, 2);
        assert_eq!(
            tool("grep -Z x", "").stderr(),
            "grep: invalid option -- 'Z'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
        );
    }

    /// GNU tr: sets with ranges, classes and escapes; -d, -s, -c; SET2 extended with its last character.
    #[test]
    fn tr_follows_gnu_tr() {
        assert_eq!(tool("tr ' ' '\\n'", "a b c\n").stdout(), "a\nb\nc\n");
        assert_eq!(tool("tr a-z A-Z", "web-0\n").stdout(), "WEB-0\n");
        assert_eq!(
            tool("tr '[:lower:]' '[:upper:]'", "Web\n").stdout(),
            "WEB\n"
        );
        assert_eq!(tool("tr -d '[:digit:]'", "web-10\n").stdout(), "web-\n");
        assert_eq!(tool("tr -s ' '", "a   b  c\n").stdout(), "a b c\n");
        assert_eq!(tool("tr -cd 'a-z\\n'", "We b-0\n").stdout(), "eb\n");
        assert_eq!(tool("tr -c 'a-z' '_'", "ab1c\n").stdout(), "ab_c_");
        assert_eq!(tool("tr abc x", "abcd\n").stdout(), "xxxd\n");
        assert_eq!(tool("tr -t abc xy", "abcd\n").stdout(), "xycd\n");
        assert_eq!(tool("tr -s 'a-z' 'A-Z'", "aabbc\n").stdout(), "ABC\n");
        assert_eq!(tool("tr '\\101' x", "ABA\n").stdout(), "xBx\n");
        let missing = tool("tr a", "");
        assert_eq!(
            missing.stderr(),
            "tr: missing operand after ‘a’\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n"
        );
        assert_eq!(
            tool("tr", "").stderr(),
            "tr: missing operand\nTry 'tr --help' for more information.\n"
        );
        assert_eq!(
            tool("tr -d a b", "").stderr(),
            "tr: extra operand ‘b’\nOnly one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.\n"
        );
        assert_eq!(tool("tr z-a x", "").status, 1);
    }

    const TABLE: &str =
        "NAME    READY   STATUS\nweb-0   1/1     Running\nweb-1   0/1     Pending\n";

    /// GNU cut: fields by a one-character delimiter (every space counts, so kubectl's padded columns give
    /// empty fields), ranges, characters, `-s`, `--complement`, and its errors.
    #[test]
    fn cut_follows_gnu_cut() {
        assert_eq!(
            tool("cut -d' ' -f1", TABLE).stdout(),
            "NAME\nweb-0\nweb-1\n"
        );
        assert_eq!(tool("cut -d' ' -f2", TABLE).stdout(), "\n\n\n");
        assert_eq!(tool("cut -d: -f1,3", "a:b:c:d\n").stdout(), "a:c\n");
        assert_eq!(tool("cut -d: -f2-", "a:b:c:d\n").stdout(), "b:c:d\n");
        assert_eq!(
            tool("cut -d: -f-2 --output-delimiter=,", "a:b:c\n").stdout(),
            "a,b\n"
        );
        assert_eq!(tool("cut -f2", "a\tb\nno tab\n").stdout(), "b\nno tab\n");
        assert_eq!(tool("cut -s -f2", "a\tb\nno tab\n").stdout(), "b\n");
        assert_eq!(tool("cut -c1-3", "web-0\n").stdout(), "web\n");
        assert_eq!(tool("cut -c2 --complement", "abc\n").stdout(), "ac\n");
        assert_eq!(
            tool("cut", "").stderr(),
            "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n"
        );
        assert_eq!(
            tool("cut -f0", "").stderr(),
            "cut: fields are numbered from 1\nTry 'cut --help' for more information.\n"
        );
        assert_eq!(
            tool("cut -d ab -f1", "").stderr(),
            "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n"
        );
        assert_eq!(
            tool("cut -f x", "").stderr(),
            "cut: invalid field value ‘x’\n"
        );
        assert_eq!(tool("cut -f1 nope.txt", "").status, 1);
    }

    /// GNU uniq: adjacent lines; `-c` as `%7d `, `-d`, `-u`, `-i`.
    #[test]
    fn uniq_follows_gnu_uniq() {
        let text = "a\na\nb\na\n";
        assert_eq!(tool("uniq", text).stdout(), "a\nb\na\n");
        assert_eq!(
            tool("uniq -c", text).stdout(),
            "      2 a\n      1 b\n      1 a\n"
        );
        assert_eq!(tool("uniq -d", text).stdout(), "a\n");
        assert_eq!(tool("uniq -u", text).stdout(), "b\na\n");
        assert_eq!(tool("uniq -ci", "A\na\n").stdout(), "      2 A\n");
    }

    /// basename and dirname as coreutils strip names; `/usr/bin/echo` and `printf` as programs.
    #[test]
    fn basename_dirname_echo_printf() {
        assert_eq!(tool("basename /a/b/c.yaml .yaml", "").stdout(), "c\n");
        assert_eq!(tool("basename /a/b/", "").stdout(), "b\n");
        assert_eq!(tool("basename .yaml .yaml", "").stdout(), ".yaml\n");
        assert_eq!(tool("basename -a /x/y /z", "").stdout(), "y\nz\n");
        assert_eq!(
            tool("basename -s .yaml a.yaml b.yaml", "").stdout(),
            "a\nb\n"
        );
        assert_eq!(tool("basename /", "").stdout(), "/\n");
        assert_eq!(
            tool("basename", "").stderr(),
            "basename: missing operand\nTry 'basename --help' for more information.\n"
        );
        assert_eq!(
            tool("basename a b c", "").stderr(),
            "basename: extra operand ‘c’\nTry 'basename --help' for more information.\n"
        );
        assert_eq!(
            tool("dirname /a/b/c.yaml a /x a/", "").stdout(),
            "/a/b\n.\n/\n.\n"
        );
        assert_eq!(tool("dirname //", "").stdout(), "/\n");
        assert_eq!(tool("echo -n a b", "").stdout(), "a b");
        assert_eq!(tool("echo -e 'a\\tb'", "").stdout(), "a\tb\n");
        assert_eq!(tool("printf '%s-%d\\n' a 1 b x", "").stdout(), "a-1\nb-0\n");
        assert_eq!(
            tool("printf '%s-%d\\n' a 1 b x", "").stderr(),
            "printf: x: invalid number\n"
        );
    }

    /// tee writes what it reads to the file and to stdout; base64 encodes (76-character lines) and decodes.
    #[test]
    fn tee_and_base64() {
        let argv = crate::shell::split_words("tee f.txt").unwrap();
        let mut host = OneFile(String::new());
        let out = run(&mut host, &argv[0], &argv[1..], Some("x\n"), Flavor::Gnu).unwrap();
        assert_eq!((out.stdout().as_str(), host.0.as_str()), ("x\n", "x\n"));
        let out = run(
            &mut host,
            "tee",
            &["-a".into(), "f.txt".into()],
            Some("y\n"),
            Flavor::Gnu,
        )
        .unwrap();
        assert_eq!((out.stdout().as_str(), host.0.as_str()), ("y\n", "x\ny\n"));
        let out = run(
            &mut host,
            "tee",
            &["other".into()],
            Some("z\n"),
            Flavor::Gnu,
        )
        .unwrap();
        assert_eq!(
            (out.stderr().as_str(), out.status),
            ("tee: other: Permission denied\n", 1)
        );
        assert_eq!(tool("base64", "hello\n").stdout(), "aGVsbG8K\n");
        assert_eq!(tool("base64 -d", "aGVsbG8K\n").stdout(), "hello\n");
        assert_eq!(tool("base64 -w 4", "hello").stdout(), "aGVs\nbG8=\n");
        let long = "x".repeat(60);
        assert_eq!(
            tool("base64", &long)
                .stdout()
                .lines()
                .map(str::len)
                .collect::<Vec<_>>(),
            [76, 4]
        );
        let bad = tool("base64 -d", "aGVsbG8K!!!!");
        assert_eq!(
            (bad.stdout().as_str(), bad.stderr().as_str(), bad.status),
            ("hello\n", "base64: invalid input\n", 1)
        );
        assert_eq!(tool("base64", "").stdout(), "");
    }

    /// A host that runs `echo` and `false` for xargs, and says which commands it ran.
    struct Runner(Vec<Vec<String>>);

    impl Host for Runner {
        fn run(&mut self, argv: &[String], _: Option<&str>, _: &[(String, String)]) -> Output {
            self.0.push(argv.to_vec());
            match argv[0].as_str() {
                "echo" => Output::ok(format!("{}\n", argv[1..].join(" "))),
                "false" => Output::failed(String::new(), 1),
                _ => Output::failed(format!("bash: {}: command not found\n", argv[0]), 127),
            }
        }
    }

    fn xargs_with(line: &str, input: &str) -> (Output, Vec<Vec<String>>) {
        let argv = crate::shell::split_words(line).unwrap();
        let mut host = Runner(Vec::new());
        let out = run(&mut host, &argv[0], &argv[1..], Some(input), Flavor::Gnu).unwrap();
        (out, host.0)
    }

    /// GNU xargs: blank-separated items (quotes group), `echo` by default, `-n`, `-I`, `-L`, `-0`, `-r`, and
    /// the statuses 123 (a command failed) and 127 (not found).
    #[test]
    fn xargs_follows_gnu_xargs() {
        assert_eq!(
            xargs_with("xargs", "pod/web-0\npod/web-1\n").0.stdout(),
            "pod/web-0 pod/web-1\n"
        );
        assert_eq!(
            xargs_with("xargs -n1 echo p:", "a b c").0.stdout(),
            "p: a\np: b\np: c\n"
        );
        assert_eq!(xargs_with("xargs -n 2", "a b c").0.stdout(), "a b\nc\n");
        assert_eq!(
            xargs_with("xargs echo", "'a b' \"c d\" e\\ f").1,
            [["echo", "a b", "c d", "e f"]]
        );
        assert_eq!(
            xargs_with("xargs -I{} echo [{}]", "web-0\n  web-1\n")
                .0
                .stdout(),
            "[web-0]\n[web-1]\n"
        );
        assert_eq!(
            xargs_with("xargs -L1 echo", "a b\nc\n").0.stdout(),
            "a b\nc\n"
        );
        assert_eq!(
            xargs_with("xargs -0 echo", "a b\0c\0").1,
            [["echo", "a b", "c"]]
        );
        // GNU runs the command once on empty input, unless -r.
        assert_eq!(xargs_with("xargs echo x", "").0.stdout(), "x\n");
        assert_eq!(xargs_with("xargs -r echo x", "").1.len(), 0);
        assert_eq!(xargs_with("xargs false", "a").0.status, 123);
        let (out, _) = xargs_with("xargs nosuch", "a");
        assert_eq!(
            (out.stderr().as_str(), out.status),
            ("xargs: nosuch: No such file or directory\n", 127)
        );
        let (out, _) = xargs_with("xargs -t echo", "a");
        assert_eq!(out.stderr(), "echo a\n");
        assert_eq!(xargs_with("xargs", "'open").0.stderr(), "xargs: unmatched single quote; by default quotes are special to xargs unless you use the -0 option\n");
    }

    #[test]
    fn sed_head_tail_wc_sort() {
        assert_eq!(tool("sed -n '2p' f.txt", "").stdout(), "beta\n");
        assert_eq!(
            tool("sed 's/a/A/g;2d' f.txt", "").stdout(),
            "AlphA\ngAmmA\n"
        );
        assert_eq!(
            tool("sed -E 's/(b)(e)/\\2\\1/' f.txt", "").stdout(),
            "alpha\nebta\ngamma\n"
        );
        assert_eq!(tool("sed '/^g/d' f.txt", "").stdout(), "alpha\nbeta\n");
        assert_eq!(tool("head -n 2 f.txt", "").stdout(), "alpha\nbeta\n");
        assert_eq!(tool("tail -1 f.txt", "").stdout(), "gamma\n");
        assert_eq!(tool("tail -n +2 f.txt", "").stdout(), "beta\ngamma\n");
        assert_eq!(tool("wc -l", "a\nb\n").stdout(), "2\n");
        assert_eq!(tool("wc -l f.txt", "").stdout(), "3 f.txt\n");
        assert_eq!(tool("wc", "a b\nc\n").stdout(), "      2       3       6\n");
        assert_eq!(tool("sort -r f.txt", "").stdout(), "gamma\nbeta\nalpha\n");
        assert_eq!(tool("sort -n", "10\n9\n100\n").stdout(), "9\n10\n100\n");
        assert_eq!(tool("sort -u", "b\na\nb\n").stdout(), "a\nb\n");
        assert_eq!(tool("sort -k2 -t:", "x:2\ny:1\n").stdout(), "y:1\nx:2\n");
    }
}
