//! The text tools learners pipe kubectl's output through — `grep`, `sed`, `tr`, `head`, `tail`, `wc`, `sort` —
//! written once for the learner's terminal and for the shells inside containers. Each reads and writes its
//! files through the shell's [`Host`] (`read_file`, `write_file`), so the same code runs against the home
//! directory or a container's file system; a container finds the tool by `PATH` first, as its shell would.
//! Options and messages are GNU's (grep 3, sed 4, coreutils 9, as Debian images and the terminal have them);
//! BusyBox's wording is used where the container runs BusyBox and it differs.

use crate::kubectl::regex::{self, Regex};
use crate::kubectl::shell::{Host, Output};

/// Whose wording a tool's messages follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Gnu,
    Busybox,
}

/// The tools this module runs.
pub const TOOLS: &[&str] = &[
    "grep", "egrep", "fgrep", "sed", "tr", "head", "tail", "wc", "sort",
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
        _ => return None,
    })
}

/// The lines of `text`, without their newlines.
fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

// ---- grep ----

/// How grep reads its patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Basic,
    Extended,
    Fixed,
}

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
    let alternatives: Vec<String> = patterns
        .iter()
        .flat_map(|p| p.split('\n'))
        .map(|p| match syntax {
            Syntax::Fixed => regex::escape(p),
            Syntax::Basic => regex::basic_to_extended(p),
            Syntax::Extended => p.to_string(),
        })
        .map(|p| format!("({p})"))
        .collect();
    let joined = alternatives.join("|");
    // -x: the whole line; -w: a match with no word character on either side.
    let pattern = if o.whole_line {
        format!("^({joined})$")
    } else if o.word {
        format!("(^|[^[:alnum:]_])({joined})([^[:alnum:]_]|$)")
    } else {
        joined
    };
    let group = if o.word && !o.whole_line { 2 } else { 0 };
    let re = match Regex::with_case(&pattern, o.ignore_case) {
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
    let matches = |line: &str| {
        let chars: Vec<char> = line.chars().collect();
        re.captures_at(&chars, 0).is_some()
    };
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
                    let chars: Vec<char> = line.chars().collect();
                    let mut at = 0;
                    while let Some(m) = re.captures_at(&chars, at) {
                        let part = m.groups.get(group).cloned().flatten().unwrap_or_default();
                        if !part.is_empty() {
                            out.push_str(&prefix(i, ':'));
                            out.push_str(&part);
                            out.push('\n');
                        }
                        at = if m.end > m.start { m.end } else { m.end + 1 };
                        if at > chars.len() {
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
                    Some(Address::Pattern(re)) => {
                        let chars: Vec<char> = body.chars().collect();
                        re.captures_at(&chars, 0).is_some()
                    }
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
    let chars: Vec<char> = body.chars().collect();
    let mut result = String::new();
    let mut at = 0;
    let mut seen = 0;
    let mut changed = false;
    while let Some(m) = re.captures_at(&chars, at) {
        seen += 1;
        result.extend(&chars[at..m.start]);
        if seen >= nth {
            let mut rc = replacement.chars();
            while let Some(c) = rc.next() {
                match c {
                    '&' => result.push_str(m.groups[0].as_deref().unwrap_or("")),
                    '\\' => match rc.next() {
                        Some(d) if d.is_ascii_digit() => {
                            let g = d.to_digit(10).unwrap_or(0) as usize;
                            result
                                .push_str(m.groups.get(g).and_then(|x| x.as_deref()).unwrap_or(""));
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
            result.extend(&chars[m.start..m.end]);
        }
        at = if m.end == m.start {
            if m.end < chars.len() {
                result.push(chars[m.end]);
            }
            m.end + 1
        } else {
            m.end
        };
        if (changed && !global) || at > chars.len() {
            break;
        }
    }
    if at <= chars.len() {
        result.extend(&chars[at.min(chars.len())..]);
    }
    changed.then_some(result)
}

/// Parses a sed script; `Err` is GNU's "N: message" (the character position first).
fn parse_sed(script: &str, extended: bool) -> Result<Vec<(Option<Address>, SedCmd)>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut cmds = Vec::new();
    let mut i = 0;
    let compile = |pattern: &str, icase: bool, at: usize| -> Result<Regex, String> {
        let pattern = if extended {
            pattern.to_string()
        } else {
            regex::basic_to_extended(pattern)
        };
        Regex::with_case(&pattern, icase).map_err(|e| format!("{at}: {e}"))
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
        let argv = crate::kubectl::shell::split_words(line).unwrap();
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
