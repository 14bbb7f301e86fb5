//! The builtins: commands the shell runs itself because they change its state (`export`, `alias`, `set`,
//! `read`, `break`) or because bash has them built in (`echo`, `printf`, `test`/`[`, `id`, `hostname`, `seq`).
//! [`Shell::dispatch`] picks one by name; everything else goes to the [`Host`](super::Host).

use std::collections::{BTreeMap, BTreeSet};

use super::host::{FileKind, Link, Stream};
use super::interpreter::{file_facts, Facts, Input, Shell};
use super::{is_name, MAX_SEQ};

/// A one-operand file or string test, the path's facts looked up beforehand.
pub(super) fn unary_test(op: &str, value: &str, facts: Facts) -> bool {
    let kind = facts.kind;
    match op {
        "-z" => value.is_empty(),
        "-n" => !value.is_empty(),
        "-e" | "-a" | "-r" | "-w" => kind.is_some(),
        "-f" => matches!(kind, Some(FileKind::File { .. })),
        "-d" => kind == Some(FileKind::Dir),
        "-s" => {
            matches!(kind, Some(FileKind::File { size }) if size > 0) || kind == Some(FileKind::Dir)
        }
        "-x" => facts.executable,
        _ => false,
    }
}

/// Whether `op` is a test operator that looks at a file.
pub(super) fn is_file_test(op: &str) -> bool {
    matches!(op, "-e" | "-a" | "-r" | "-w" | "-f" | "-d" | "-s" | "-x")
}

pub(super) fn compare(op: &str, a: i64, b: i64) -> bool {
    match op {
        "-eq" => a == b,
        "-ne" => a != b,
        "-lt" => a < b,
        "-le" => a <= b,
        "-gt" => a > b,
        "-ge" => a >= b,
        _ => false,
    }
}

/// The facts of the paths a file test operator is followed by, keyed by (operator, path).
type FactsOf = BTreeMap<(String, String), Facts>;

/// `test`'s grammar over its words: `!`, `-a`/`-o` are not supported beyond one level; the common forms are.
fn test_expr(words: &[&str], facts: &FactsOf) -> Result<bool, String> {
    let int = |w: &str| {
        w.trim()
            .parse::<i64>()
            .map_err(|_| format!("{w}: integer expression expected"))
    };
    match words {
        [] => Ok(false),
        ["!", rest @ ..] => test_expr(rest, facts).map(|v| !v),
        ["(", inner @ .., ")"] => test_expr(inner, facts),
        [one] => Ok(!one.is_empty()),
        [op, value] if op.starts_with('-') && op.len() == 2 => {
            let key = ((*op).to_owned(), (*value).to_owned());
            Ok(unary_test(
                op,
                value,
                facts.get(&key).copied().unwrap_or_default(),
            ))
        }
        [op, _] => Err(format!("{op}: unary operator expected")),
        [a, "=" | "==", b] => Ok(a == b),
        [a, "!=", b] => Ok(a != b),
        [a, "<", b] => Ok(a < b),
        [a, ">", b] => Ok(a > b),
        [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
            Ok(compare(op, int(a)?, int(b)?))
        }
        [_, op, _] if !matches!(*op, "-a" | "-o") => Err(format!("{op}: binary operator expected")),
        _ => {
            // `-o` binds looser than `-a`; split at the first of each.
            if let Some(i) = words.iter().position(|w| *w == "-o").filter(|&i| i > 0) {
                return Ok(test_expr(&words[..i], facts)? || test_expr(&words[i + 1..], facts)?);
            }
            if let Some(i) = words.iter().position(|w| *w == "-a").filter(|&i| i > 0) {
                return Ok(test_expr(&words[..i], facts)? && test_expr(&words[i + 1..], facts)?);
            }
            Err("too many arguments".to_owned())
        }
    }
}

/// `'value'` with embedded quotes written as `'\''`, as `alias` prints it.
fn single_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

fn valid_alias_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains([
            '/', '$', '`', '=', '\'', '"', '\\', ' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')',
        ])
}

/// `echo`'s `-e` escapes. The flag is whether `\c` asked to stop (and so to drop the final newline).
fn echo_escapes(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('e' | 'E') => out.push('\u{1b}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut value = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.extend(char::from_u32(value));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// `echo` with `-n`, `-e` and `-E` (combinable, as in `-ne`); any other argument starting with `-` is text.
fn echo(args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut first_text = 0;
    for arg in args {
        let Some(flags) = arg.strip_prefix('-') else {
            break;
        };
        if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for flag in flags.chars() {
            match flag {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        first_text += 1;
    }
    let mut text = args.get(first_text..).unwrap_or_default().join(" ");
    if escapes {
        let (unescaped, stop) = echo_escapes(&text);
        text = unescaped;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    out(Stream::Stdout, &text);
    0
}

/// `seq LAST`, `seq FIRST LAST`, `seq FIRST INCREMENT LAST`, whole numbers only.
fn seq(args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
    let mut fail = |message: String| {
        out(
            Stream::Stderr,
            &format!("seq: {message}\nTry 'seq --help' for more information.\n"),
        );
        1
    };
    if args.is_empty() {
        return fail("missing operand".to_owned());
    }
    if let Some(extra) = args.get(3) {
        return fail(format!("extra operand ‘{extra}’"));
    }
    let mut numbers = Vec::new();
    for arg in args {
        match arg.parse::<i64>() {
            Ok(n) => numbers.push(i128::from(n)),
            Err(_) => return fail(format!("invalid floating point argument: ‘{arg}’")),
        }
    }
    let (first, step, last) = match numbers.as_slice() {
        [last] => (1, 1, *last),
        [first, last] => (*first, 1, *last),
        [first, step, last] => (*first, *step, *last),
        _ => return fail("missing operand".to_owned()),
    };
    if step == 0 {
        return fail(format!(
            "invalid Zero increment value: ‘{}’",
            args.get(1).map_or("0", String::as_str)
        ));
    }
    let count = if (step > 0 && first > last) || (step < 0 && first < last) {
        0
    } else {
        (last - first) / step + 1
    };
    if count > MAX_SEQ {
        out(
            Stream::Stderr,
            &format!("seq: this terminal prints at most {MAX_SEQ} numbers\n"),
        );
        return 1;
    }
    let mut text = String::new();
    let mut n = first;
    for _ in 0..count {
        text.push_str(&n.to_string());
        text.push('\n');
        n += step;
    }
    out(Stream::Stdout, &text);
    0
}

impl Shell {
    pub(super) async fn dispatch(
        &mut self,
        argv: &[String],
        env: &[(String, String)],
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        let Some((name, args)) = argv.split_first() else {
            return 0;
        };
        let handled = match name.as_str() {
            "echo" => Some(echo(args, out)),
            // Signals never reach a script here, so there is nothing for a trap to catch.
            "true" | ":" | "trap" => Some(0),
            "cd" => Some(
                match link.change_dir(args.first().map(String::as_str)).await {
                    Ok(()) => 0,
                    Err(e) => {
                        out(Stream::Stderr, &e);
                        1
                    }
                },
            ),
            "false" => Some(1),
            // `exit [N]`: the rest of the script does not run.
            "exit" => {
                self.aborted = true;
                Some(
                    args.first()
                        .and_then(|a| a.parse::<i32>().ok())
                        .map_or(self.last_status, |n| n & 0xff),
                )
            }
            "set" => Some(self.set(args, out)),
            "test" => Some(self.test(args, false, link, out).await),
            "[" => Some(self.test(args, true, link, out).await),
            "break" | "continue" => Some(self.break_continue(name, args, out)),
            "alias" => Some(self.alias(args, out)),
            "unalias" => Some(self.unalias(args, out)),
            "export" => Some(self.export(args, out)),
            "unset" => Some(self.unset(args)),
            "seq" => Some(seq(args, out)),
            "printf" => Some(self.printf(args, out)),
            "id" => Some(self.id(args, out)),
            "whoami" if args.is_empty() => {
                out(Stream::Stdout, &format!("{}\n", self.user));
                Some(0)
            }
            "hostname" => self.hostname(args, out),
            "read" => Some(self.read(args, env, stdin, out)),
            _ => None,
        };
        if let Some(status) = handled {
            return status;
        }
        let env = self.command_env(env);
        link.run(argv, stdin.map(Input::rest), &env, out).await
    }

    /// bash's `read [-ers] [-a array] [-d delim] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd]
    /// [name …]`: one line (up to `delim`) of stdin, consumed, split on `IFS` (the command's `IFS=…` prefix,
    /// else the variable, else blank, tab and newline) into the names, the last taking the rest of the
    /// line; without `-r` a backslash escapes the next character and a backslash-newline joins lines. Status
    /// 1 at the end of the input (the variables still get what was read).
    fn read(
        &mut self,
        args: &[String],
        env: &[(String, String)],
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        const USAGE: &str = "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n";
        let (mut raw, mut array, mut delim, mut count, mut prompt) = (
            false,
            None::<String>,
            '\n',
            None::<(usize, bool)>,
            None::<String>,
        );
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            let Some(opts) = arg.strip_prefix('-').filter(|o| !o.is_empty()) else {
                break;
            };
            i += 1;
            if arg == "--" {
                break;
            }
            let chars: Vec<char> = opts.chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let opt = chars[j];
                j += 1;
                if matches!(opt, 'r' | 's' | 'e') {
                    raw |= opt == 'r';
                    continue;
                }
                if !matches!(opt, 'a' | 'd' | 'i' | 'n' | 'N' | 'p' | 't' | 'u') {
                    out(
                        Stream::Stderr,
                        &format!("bash: read: -{opt}: invalid option\n{USAGE}"),
                    );
                    return 2;
                }
                let value: String = if j < chars.len() {
                    let v = chars[j..].iter().collect();
                    j = chars.len();
                    v
                } else if let Some(v) = args.get(i) {
                    i += 1;
                    v.clone()
                } else {
                    out(
                        Stream::Stderr,
                        &format!("bash: read: -{opt}: option requires an argument\n{USAGE}"),
                    );
                    return 2;
                };
                match opt {
                    'a' => array = Some(value),
                    'd' => delim = value.chars().next().unwrap_or('\0'),
                    'n' | 'N' => match value.parse::<usize>() {
                        Ok(n) => count = Some((n, opt == 'N')),
                        Err(_) => {
                            out(
                                Stream::Stderr,
                                &format!("bash: read: {value}: invalid number\n"),
                            );
                            return 1;
                        }
                    },
                    'p' => prompt = Some(value),
                    'u' if value != "0" => {
                        out(
                            Stream::Stderr,
                            &format!(
                                "bash: read: {value}: invalid file descriptor: Bad file descriptor\n"
                            ),
                        );
                        return 1;
                    }
                    _ => {}
                }
            }
        }
        let names: Vec<&String> = args[i..].iter().collect();
        for name in names.iter().copied().chain(array.as_ref()) {
            if !is_name(name) {
                out(
                    Stream::Stderr,
                    &format!("bash: read: `{name}': not a valid identifier\n"),
                );
                return 1;
            }
        }
        let Some(input) = stdin else {
            // The terminal's keyboard: the prompt shows, and nothing more comes (as after Ctrl+D).
            if let Some(p) = prompt {
                out(Stream::Stderr, &p);
            }
            return 1;
        };
        // The characters read, each with whether a backslash protected it from splitting.
        let mut line: Vec<(char, bool)> = Vec::new();
        let mut complete = false;
        loop {
            let piece = match count {
                Some((n, exact)) => {
                    input.read_chars(n.saturating_sub(line.len()), (!exact).then_some(delim))
                }
                None => input.read_until(delim),
            };
            let Some((text, ended)) = piece else { break };
            complete = ended;
            let mut chars = text.chars().peekable();
            let mut continued = false;
            while let Some(c) = chars.next() {
                if c == '\\' && !raw {
                    match chars.next() {
                        Some(e) => line.push((e, true)),
                        // A backslash at the end of the line joins the next one.
                        None => continued = ended && delim == '\n',
                    }
                } else {
                    line.push((c, false));
                }
            }
            if !continued || count.is_some() {
                break;
            }
        }
        if line.is_empty() && !complete {
            return 1;
        }
        let ifs = env
            .iter()
            .rev()
            .find(|(k, _)| k == "IFS")
            .map(|(_, v)| v.clone())
            .or_else(|| self.vars.get("IFS").cloned())
            .unwrap_or_else(|| " \t\n".to_owned());
        let white = |c: (char, bool)| !c.1 && matches!(c.0, ' ' | '\t' | '\n') && ifs.contains(c.0);
        let delimiter = |c: (char, bool)| !c.1 && ifs.contains(c.0);
        let text = |cs: &[(char, bool)]| cs.iter().map(|c| c.0).collect::<String>();
        let mut fields: Vec<String> = Vec::new();
        let mut at = 0;
        while at < line.len() && white(line[at]) {
            at += 1;
        }
        let wanted = match &array {
            Some(_) => usize::MAX,
            None => names.len().max(1),
        };
        while at < line.len() && fields.len() + 1 < wanted {
            let start = at;
            while at < line.len() && !delimiter(line[at]) {
                at += 1;
            }
            fields.push(text(&line[start..at]));
            while at < line.len() && white(line[at]) {
                at += 1;
            }
            if at < line.len() && delimiter(line[at]) {
                at += 1;
                while at < line.len() && white(line[at]) {
                    at += 1;
                }
            }
        }
        let mut end = line.len();
        while end > at && white(line[end - 1]) {
            end -= 1;
        }
        if at < end || (array.is_none() && !names.is_empty()) {
            fields.push(text(&line[at.min(end)..end]));
        }
        match (&array, names.is_empty()) {
            (Some(name), _) => {
                self.arrays.insert(name.clone(), fields);
            }
            // No names: REPLY gets the whole line, blanks and all.
            (None, true) => {
                self.vars.insert("REPLY".to_owned(), text(&line));
            }
            (None, false) => {
                for (k, name) in names.iter().enumerate() {
                    let value = fields.get(k).cloned().unwrap_or_default();
                    self.vars.insert((*name).clone(), value);
                }
            }
        }
        i32::from(!complete)
    }

    /// bash's `printf [-v var] format [arguments]` (builtins/printf.def): the conversions are
    /// [`printf`](crate::printf); `-v` puts the output in a variable instead. Each conversion
    /// error is printed as `bash: printf: …` before the output, which bash holds until the end.
    fn printf(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
        const USAGE: &str = "printf: usage: printf [-v var] format [arguments]\n";
        let mut rest = args;
        let mut var: Option<String> = None;
        while let Some(first) = rest.first() {
            if first == "--" {
                rest = &rest[1..];
                break;
            }
            if first == "-v" || (first.starts_with("-v") && first.len() > 2) {
                let name = if first == "-v" {
                    match rest.get(1) {
                        Some(n) => {
                            rest = &rest[1..];
                            n.clone()
                        }
                        None => {
                            out(
                                Stream::Stderr,
                                &format!("bash: printf: -v: option requires an argument\n{USAGE}"),
                            );
                            return 2;
                        }
                    }
                } else {
                    first[2..].to_string()
                };
                if !is_name(&name) {
                    out(
                        Stream::Stderr,
                        &format!("bash: printf: `{name}': not a valid identifier\n"),
                    );
                    return 2;
                }
                var = Some(name);
                rest = &rest[1..];
                continue;
            }
            if first.len() > 1 && first.starts_with('-') {
                out(
                    Stream::Stderr,
                    &format!("bash: printf: {}: invalid option\n{USAGE}", &first[..2]),
                );
                return 2;
            }
            break;
        }
        let Some((format, arguments)) = rest.split_first() else {
            out(Stream::Stderr, USAGE);
            return 2;
        };
        let printed = crate::printf::printf(format, arguments);
        match var {
            Some(name) => {
                for (_, e) in &printed.errors {
                    out(Stream::Stderr, &format!("bash: printf: {e}\n"));
                }
                self.vars.insert(name, printed.out);
            }
            None => {
                for (stream, text) in printed.output("bash: printf: ", true).printed() {
                    out(*stream, text);
                }
            }
        }
        printed.status
    }

    /// `set -e`, `set -x`, `set -o pipefail` and their `+` forms.
    fn set(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let (on, flags) = match arg.strip_prefix('-') {
                Some(f) => (true, f),
                None => match arg.strip_prefix('+') {
                    Some(f) => (false, f),
                    None => continue,
                },
            };
            if flags == "o" {
                match args.next().map(String::as_str) {
                    Some("pipefail") => self.pipefail = on,
                    Some("errexit") => self.errexit = on,
                    Some("xtrace") => self.xtrace = on,
                    Some(other) => {
                        out(
                            Stream::Stderr,
                            &format!("bash: set: {other}: invalid option name\n"),
                        );
                        return 1;
                    }
                    None => {}
                }
                continue;
            }
            for f in flags.chars() {
                match f {
                    'e' => self.errexit = on,
                    'x' => self.xtrace = on,
                    'u' | 'v' | 'h' | 'B' | 'C' | 'f' | 'a' | 'b' | 'm' | 'n' | 'H' | 'P' | 'T'
                    | 'E' | 'k' | 't' => {}
                    other => {
                        out(
                            Stream::Stderr,
                            &format!(
                                "bash: set: -{other}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n"
                            ),
                        );
                        return 2;
                    }
                }
            }
        }
        0
    }

    /// `break [N]` / `continue [N]`: leave (or restart) the N innermost loops.
    fn break_continue(
        &mut self,
        name: &str,
        args: &[String],
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        let n = match args.first().map(|a| a.parse::<usize>()) {
            None => 1,
            Some(Ok(n)) if n > 0 => n,
            Some(_) => {
                let a = args.first().cloned().unwrap_or_default();
                out(
                    Stream::Stderr,
                    &format!("bash: {name}: {a}: loop count out of range\n"),
                );
                return 1;
            }
        };
        if self.loop_depth == 0 {
            // Outside a loop bash says nothing and does nothing.
            return 0;
        }
        let n = n.min(self.loop_depth);
        if name == "break" {
            self.breaking = n;
        } else {
            self.continuing = n;
        }
        0
    }

    /// `test EXPR` and `[ EXPR ]`: the POSIX operators, with file tests through the host.
    async fn test(
        &mut self,
        args: &[String],
        bracket: bool,
        link: &Link,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        let args: &[String] = if bracket {
            match args.split_last() {
                Some((last, rest)) if last == "]" => rest,
                _ => {
                    out(Stream::Stderr, "bash: [: missing `]'\n");
                    return 2;
                }
            }
        } else {
            args
        };
        let name = if bracket { "[" } else { "test" };
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut facts = FactsOf::new();
        for pair in words.windows(2) {
            if is_file_test(pair[0]) {
                let found = file_facts(link, pair[0], pair[1]).await;
                facts.insert((pair[0].to_owned(), pair[1].to_owned()), found);
            }
        }
        match test_expr(&words, &facts) {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(message) => {
                out(Stream::Stderr, &format!("bash: {name}: {message}\n"));
                2
            }
        }
    }

    /// `alias`, `alias -p`: list; `alias NAME`: show one; `alias NAME=VALUE`: define.
    fn alias(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
        if args.is_empty() || args.iter().any(|a| a == "-p") {
            for (name, value) in &self.aliases {
                out(
                    Stream::Stdout,
                    &format!("alias {name}={}\n", single_quote(value)),
                );
            }
        }
        let mut status = 0;
        for arg in args.iter().filter(|a| *a != "-p") {
            match arg.split_once('=') {
                Some((name, value)) if valid_alias_name(name) => {
                    self.aliases.insert(name.to_owned(), value.to_owned());
                }
                Some((name, _)) => {
                    out(
                        Stream::Stderr,
                        &format!("bash: alias: `{name}': invalid alias name\n"),
                    );
                    status = 1;
                }
                None => match self.aliases.get(arg) {
                    Some(value) => out(
                        Stream::Stdout,
                        &format!("alias {arg}={}\n", single_quote(value)),
                    ),
                    None => {
                        out(Stream::Stderr, &format!("bash: alias: {arg}: not found\n"));
                        status = 1;
                    }
                },
            }
        }
        status
    }

    fn unalias(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
        if args.is_empty() {
            out(
                Stream::Stderr,
                "unalias: usage: unalias [-a] name [name ...]\n",
            );
            return 2;
        }
        let mut status = 0;
        for arg in args {
            if arg == "-a" {
                self.aliases.clear();
            } else if self.aliases.remove(arg).is_none() {
                out(
                    Stream::Stderr,
                    &format!("bash: unalias: {arg}: not found\n"),
                );
                status = 1;
            }
        }
        status
    }

    /// `export NAME=value`, `export NAME`; with no names (or `-p`), lists the exports.
    fn export(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if names.is_empty() {
            for name in &self.exported {
                let line = match self.lookup(name) {
                    Some(value) => {
                        let escaped: String = value
                            .chars()
                            .flat_map(|c| {
                                let escape = matches!(c, '"' | '\\' | '$' | '`').then_some('\\');
                                escape.into_iter().chain(std::iter::once(c))
                            })
                            .collect();
                        format!("declare -x {name}=\"{escaped}\"\n")
                    }
                    None => format!("declare -x {name}\n"),
                };
                out(Stream::Stdout, &line);
            }
            return 0;
        }
        let mut status = 0;
        for arg in names {
            let (name, value) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (arg.as_str(), None),
            };
            if !is_name(name) {
                out(
                    Stream::Stderr,
                    &format!("bash: export: `{arg}': not a valid identifier\n"),
                );
                status = 1;
                continue;
            }
            if let Some(value) = value {
                self.vars.insert(name.to_owned(), value.to_owned());
            }
            self.exported.insert(name.to_owned());
        }
        status
    }

    fn unset(&mut self, args: &[String]) -> i32 {
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            self.vars.remove(name);
            self.exported.remove(name);
        }
        0
    }

    /// `id`, `id -u`, `id -un`, `id -g`, `id -gn`, `id -G`, `id -Gn` for the one user there is (uid 1000).
    fn id(&self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
        let mut fail = |message: String| {
            out(
                Stream::Stderr,
                &format!("id: {message}\nTry 'id --help' for more information.\n"),
            );
            1
        };
        let mut flags = BTreeSet::new();
        let mut users = Vec::new();
        for arg in args {
            let long = match arg.as_str() {
                "--user" => Some('u'),
                "--group" => Some('g'),
                "--groups" => Some('G'),
                "--name" => Some('n'),
                "--real" => Some('r'),
                _ => None,
            };
            if let Some(flag) = long {
                flags.insert(flag);
            } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
                for flag in short.chars() {
                    if !matches!(flag, 'u' | 'g' | 'G' | 'n' | 'r') {
                        return fail(format!("invalid option -- '{flag}'"));
                    }
                    flags.insert(flag);
                }
            } else {
                users.push(arg);
            }
        }
        if let Some(extra) = users.get(1) {
            return fail(format!("extra operand ‘{extra}’"));
        }
        if let Some(user) = users.first() {
            if **user != self.user {
                out(Stream::Stderr, &format!("id: ‘{user}’: no such user\n"));
                return 1;
            }
        }
        let names = flags.contains(&'n');
        let chosen: Vec<char> = ['u', 'g', 'G']
            .into_iter()
            .filter(|f| flags.contains(f))
            .collect();
        let line = match chosen.as_slice() {
            [] if names || flags.contains(&'r') => {
                out(
                    Stream::Stderr,
                    "id: cannot print only names or real IDs in default format\n",
                );
                return 1;
            }
            [] => format!(
                "uid=1000({u}) gid=1000({u}) groups=1000({u})",
                u = self.user
            ),
            [_] if names => self.user.clone(),
            [_] => "1000".to_owned(),
            _ => {
                out(
                    Stream::Stderr,
                    "id: cannot print \"only\" of more than one choice\n",
                );
                return 1;
            }
        };
        out(Stream::Stdout, &format!("{line}\n"));
        0
    }

    /// `hostname` (also `-s`, `-f`) prints the name; other options go to the host. Setting a name fails as it
    /// does for a non-root user.
    fn hostname(&self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> Option<i32> {
        if args
            .iter()
            .all(|a| matches!(a.as_str(), "-s" | "-f" | "--short" | "--fqdn" | "--long"))
        {
            let long = args
                .iter()
                .any(|a| matches!(a.as_str(), "-f" | "--fqdn" | "--long"));
            let name = match (&self.fqdn, long) {
                (Some(fqdn), true) => fqdn,
                _ => &self.hostname,
            };
            out(Stream::Stdout, &format!("{name}\n"));
            return Some(0);
        }
        if args.iter().any(|a| a.starts_with('-')) {
            return None;
        }
        out(
            Stream::Stderr,
            "hostname: you must be root to change the host name\n",
        );
        Some(1)
    }
}
