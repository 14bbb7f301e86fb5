//! Word expansion, as bash's manual orders it: parameters and their operators (`${a:-b}`, `${a#*.}`,
//! `${a/x/y}` …), command substitution, arithmetic, splitting of unquoted results on blanks, then pathname
//! expansion of the fields of commands and `for` lists against the host's files ([`Host::list_dir`]): `*`,
//! `?` and `[…]` outside quotes, matches sorted byte-wise as sh in the C locale sorts them, a pattern that
//! matches nothing kept as typed.
//!
//! [`Host::list_dir`]: super::Host::list_dir

use std::collections::BTreeMap;

use super::ast::{AndOrList, Command, ParamOp, Redirect, Script, Word, WordPart};
use super::host::{Boxed, FileKind, Link, Stream};
use super::interpreter::Shell;
use super::{is_name, ShellError, MAX_DEPTH};
use crate::regex;

/// `${NAME/PATTERN/STRING}`: the longest match of the glob at the leftmost place it matches (only at the
/// start with `#`, only at the end with `%`) replaced, and every later one too with `all`. An empty pattern
/// changes nothing.
fn replace_matches(
    value: &str,
    pattern: &str,
    with: &str,
    all: bool,
    anchor: Option<char>,
) -> String {
    if pattern.is_empty() {
        return value.to_owned();
    }
    let Some(glob) = regex::glob(pattern) else {
        return value.to_owned();
    };
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    match anchor {
        Some('#') => {
            return match (0..=n).rev().find(|&e| glob.is_match(&piece(0, e))) {
                Some(e) => format!("{with}{}", piece(e, n)),
                None => value.to_owned(),
            }
        }
        Some(_) => {
            return match (0..=n).find(|&b| glob.is_match(&piece(b, n))) {
                Some(b) => format!("{}{with}", piece(0, b)),
                None => value.to_owned(),
            }
        }
        None => {}
    }
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < n {
        let end = if replaced && !all {
            None
        } else {
            (i + 1..=n).rev().find(|&e| glob.is_match(&piece(i, e)))
        };
        match end {
            Some(e) => {
                out.push_str(with);
                i = e;
                replaced = true;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// A field being built: its text, and the same text as a glob pattern (quoted characters escaped), with
/// whether an unquoted `*`, `?` or `[` makes it one.
#[derive(Default)]
struct Field {
    text: String,
    pattern: String,
    magic: bool,
}

impl Field {
    /// Text from outside quotes: a pattern as it is.
    fn unquoted(&mut self, text: &str) {
        self.text.push_str(text);
        self.pattern.push_str(text);
        self.magic |= text.contains(['*', '?', '[']);
    }

    /// Quoted text: matches itself.
    fn quoted(&mut self, text: &str) {
        self.text.push_str(text);
        self.pattern.push_str(&regex::escape(text));
    }
}

/// Splits an unquoted expansion on blanks into `fields`, joining its first and last pieces to the text
/// around it (`pre$x` with `x="a b"` gives `prea` and `b`).
fn split_into(value: &str, current: &mut Option<Field>, fields: &mut Vec<Field>) {
    const BLANKS: [char; 3] = [' ', '\t', '\n'];
    if value.starts_with(BLANKS) {
        fields.extend(current.take());
    }
    for (i, piece) in value.split(BLANKS).filter(|p| !p.is_empty()).enumerate() {
        if i > 0 {
            fields.extend(current.take());
        }
        current.get_or_insert_with(Field::default).unquoted(piece);
    }
    if value.ends_with(BLANKS) {
        fields.extend(current.take());
    }
}

/// Whether a glob pattern has a `*`, `?` or `[` that is not escaped.
fn has_magic(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

/// A pattern without magic as the text it matches: its escapes removed.
fn unescape(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next().unwrap_or('\\')),
            c => out.push(c),
        }
    }
    out
}

/// `dir` and `name` as one path, as the pattern wrote them (`""` is the working directory).
fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

impl Shell {
    /// A word's fields: unquoted expansions split on blanks, an unquoted expansion that is empty disappears,
    /// and anything quoted (even `""`) makes a field; then each field with an unquoted pattern character
    /// becomes the paths it matches, if any.
    pub(super) async fn expand_fields(
        &mut self,
        word: &Word,
        link: &Link,
        out: &mut dyn FnMut(Stream, &str),
    ) -> Result<Vec<String>, ShellError> {
        let mut fields: Vec<Field> = Vec::new();
        let mut current: Option<Field> = None;
        for part in &word.parts {
            match part {
                WordPart::Literal(text) => {
                    current.get_or_insert_with(Field::default).unquoted(text);
                }
                WordPart::Quoted(text) => {
                    current.get_or_insert_with(Field::default).quoted(text);
                }
                WordPart::Param { quoted: true, .. }
                | WordPart::CommandSubst { quoted: true, .. }
                | WordPart::Arith { quoted: true, .. }
                | WordPart::ParamOp { quoted: true, .. } => {
                    let value = self.part_value(part, link, out).await?;
                    current.get_or_insert_with(Field::default).quoted(&value);
                }
                WordPart::ParamOp {
                    name,
                    op,
                    arg,
                    arg2,
                    quoted: false,
                    ..
                } => {
                    // A word that came from quoted text stays one field.
                    let (value, quoted_word) = self
                        .param_op(name, *op, arg, arg2.as_ref(), link, out)
                        .await?;
                    if quoted_word {
                        current.get_or_insert_with(Field::default).quoted(&value);
                    } else {
                        split_into(&value, &mut current, &mut fields);
                    }
                }
                WordPart::Param {
                    name,
                    quoted: false,
                    ..
                } if !name.starts_with('#') && (name.ends_with("[@]") || name.ends_with("[*]")) => {
                    // `${A[@]}` unquoted: each element is split on its own.
                    let base = name.split('[').next().unwrap_or("");
                    for element in self.arrays.get(base).cloned().unwrap_or_default() {
                        split_into(&element, &mut current, &mut fields);
                        fields.extend(current.take());
                    }
                }
                WordPart::Param { .. } | WordPart::CommandSubst { .. } | WordPart::Arith { .. } => {
                    let value = self.part_value(part, link, out).await?;
                    split_into(&value, &mut current, &mut fields);
                }
            }
        }
        fields.extend(current);
        let mut expanded = Vec::new();
        for field in fields {
            let paths = if field.magic && has_magic(&field.pattern) {
                // Boxed: the future of a word's expansion nests in `$(…)` and aliases, and stays small.
                Box::pin(self.pathnames(&field.pattern, link)).await
            } else {
                Vec::new()
            };
            if paths.is_empty() {
                expanded.push(field.text);
            } else {
                expanded.extend(paths);
            }
        }
        Ok(expanded)
    }

    /// The paths `pattern` matches, sorted byte-wise (sh's order in the C locale), one `/`-separated
    /// component at a time: a component with a pattern character is matched against the names in the
    /// directories so far, where a leading `.` must be matched by a `.` written out; a plain one is followed
    /// as it is. A pattern ending in `/` matches directories only.
    async fn pathnames(&mut self, pattern: &str, link: &Link) -> Vec<String> {
        let (mut paths, rest) = match pattern.strip_prefix('/') {
            Some(rest) => (vec!["/".to_owned()], rest),
            None => (vec![String::new()], pattern),
        };
        let dirs_only = rest.ends_with('/');
        let mut last_plain = false;
        for component in rest.split('/').filter(|c| !c.is_empty()) {
            if !has_magic(component) {
                let name = unescape(component);
                paths = paths.iter().map(|p| join(p, &name)).collect();
                last_plain = true;
                continue;
            }
            last_plain = false;
            let Some(glob) = regex::glob(component) else {
                return Vec::new();
            };
            let dot = component.starts_with('.') || component.starts_with("\\.");
            let mut next = Vec::new();
            for path in &paths {
                let dir = if path.is_empty() { "." } else { path.as_str() };
                let Some(names) = link.list_dir(dir).await else {
                    continue;
                };
                next.extend(
                    names
                        .iter()
                        .filter(|n| (dot || !n.starts_with('.')) && glob.is_match(n))
                        .map(|n| join(path, n)),
                );
            }
            paths = next;
            if paths.is_empty() {
                return paths;
            }
        }
        let mut found = Vec::new();
        for path in paths {
            let kind = if last_plain || dirs_only {
                link.file_kind(&path).await
            } else {
                Some(FileKind::File { size: 0 })
            };
            match kind {
                Some(FileKind::Dir) if dirs_only => found.push(format!("{path}/")),
                Some(_) if !dirs_only => found.push(path),
                _ => {}
            }
        }
        // This crate sits below ordinal_api::sort; its few sorts stay the standard ones.
        #[allow(clippy::disallowed_methods)]
        found.sort();
        found
    }

    /// A word expanded without splitting: assignment values, redirection targets, here-document bodies.
    pub(super) async fn expand_string(
        &mut self,
        word: &Word,
        link: &Link,
        out: &mut dyn FnMut(Stream, &str),
    ) -> Result<String, ShellError> {
        let mut text = String::new();
        for part in &word.parts {
            text.push_str(&self.part_value(part, link, out).await?);
        }
        Ok(text)
    }

    /// Whether `$name` is set (`${name-…}` tells unset from empty).
    fn is_set(&self, name: &str) -> bool {
        if let Some((base, index)) = name.split_once('[') {
            let index = index.trim_end_matches(']');
            return match (self.arrays.get(base), index) {
                (Some(a), "@" | "*") => !a.is_empty(),
                (Some(a), i) => i.parse::<usize>().is_ok_and(|n| n < a.len()),
                (None, "0" | "@" | "*") => self.lookup(base).is_some(),
                (None, _) => false,
            };
        }
        match name {
            "?" | "$" | "#" | "0" | "-" => true,
            "@" | "*" | "!" => false,
            n if n.chars().all(|c| c.is_ascii_digit()) => false,
            n => self.lookup(n).is_some(),
        }
    }

    /// `${NAME OP WORD}` (bash's manual, "Shell Parameter Expansion"). Also says whether the value is
    /// the word and that word was all quoted, so that unquoted it is still one field.
    fn param_op<'a>(
        &'a mut self,
        name: &'a str,
        op: ParamOp,
        arg: &'a Word,
        arg2: Option<&'a Word>,
        link: &'a Link,
        out: &'a mut dyn FnMut(Stream, &str),
    ) -> Boxed<'a, Result<(String, bool), ShellError>> {
        Box::pin(async move {
            let set = self.is_set(name);
            let value = self.param(name);
            let all_quoted = !arg.parts.is_empty()
                && arg.parts.iter().all(|p| {
                    matches!(
                        p,
                        WordPart::Quoted(_)
                            | WordPart::Param { quoted: true, .. }
                            | WordPart::CommandSubst { quoted: true, .. }
                            | WordPart::Arith { quoted: true, .. }
                            | WordPart::ParamOp { quoted: true, .. }
                    )
                });
            let missing = |colon: bool| !set || (colon && value.is_empty());
            Ok(match op {
                ParamOp::Default { colon } if missing(colon) => {
                    (self.expand_string(arg, link, out).await?, all_quoted)
                }
                ParamOp::Assign { colon } if missing(colon) => {
                    let word = self.expand_string(arg, link, out).await?;
                    if !is_name(name) {
                        return Err(ShellError::Expansion(format!(
                            "${name}: cannot assign in this way"
                        )));
                    }
                    self.vars.insert(name.to_owned(), word.clone());
                    (word, all_quoted)
                }
                ParamOp::Alternative { colon } => {
                    if missing(colon) {
                        (String::new(), false)
                    } else {
                        (self.expand_string(arg, link, out).await?, all_quoted)
                    }
                }
                ParamOp::Error { colon } if missing(colon) => {
                    let word = self.expand_string(arg, link, out).await?;
                    let message = match (word.is_empty(), colon) {
                        (false, _) => word,
                        (true, true) => "parameter null or not set".to_owned(),
                        (true, false) => "parameter not set".to_owned(),
                    };
                    return Err(ShellError::Expansion(format!("{name}: {message}")));
                }
                ParamOp::Default { .. } | ParamOp::Assign { .. } | ParamOp::Error { .. } => {
                    (value, false)
                }
                ParamOp::RemovePrefix { longest } | ParamOp::RemoveSuffix { longest } => {
                    let pattern = self.glob_pattern(arg, link, out).await?;
                    let glob = regex::glob(&pattern);
                    let chars: Vec<char> = value.chars().collect();
                    let n = chars.len();
                    let prefix = matches!(op, ParamOp::RemovePrefix { .. });
                    let lengths: Vec<usize> = if longest {
                        (0..=n).rev().collect()
                    } else {
                        (0..=n).collect()
                    };
                    let cut = lengths.into_iter().find(|&k| {
                        let piece: String = if prefix {
                            chars[..k].iter().collect()
                        } else {
                            chars[n - k..].iter().collect()
                        };
                        glob.as_ref().is_some_and(|g| g.is_match(&piece))
                    });
                    let kept: String = match cut {
                        Some(k) if prefix => chars[k..].iter().collect(),
                        Some(k) => chars[..n - k].iter().collect(),
                        None => value,
                    };
                    (kept, false)
                }
                ParamOp::Replace { all, anchor } => {
                    let pattern = self.glob_pattern(arg, link, out).await?;
                    let with = match arg2 {
                        Some(w) => self.expand_string(w, link, out).await?,
                        None => String::new(),
                    };
                    (replace_matches(&value, &pattern, &with, all, anchor), false)
                }
                ParamOp::Substring => {
                    let chars: Vec<char> = value.chars().collect();
                    let n = chars.len() as i64;
                    let offset_text = self.expand_string(arg, link, out).await?;
                    let offset = self
                        .arithmetic(&offset_text)
                        .map_err(ShellError::Arithmetic)?;
                    let start = if offset < 0 { n + offset } else { offset };
                    if start < 0 || start > n {
                        return Ok((String::new(), false));
                    }
                    let end = match arg2 {
                        None => n,
                        Some(w) => {
                            let text = self.expand_string(w, link, out).await?;
                            let length = self.arithmetic(&text).map_err(ShellError::Arithmetic)?;
                            let end = if length < 0 {
                                n + length
                            } else {
                                start + length
                            };
                            if end < start {
                                return Err(ShellError::Expansion(format!(
                                    "{length}: substring expression < 0"
                                )));
                            }
                            end.min(n)
                        }
                    };
                    (chars[start as usize..end as usize].iter().collect(), false)
                }
                ParamOp::Case { upper, all } => {
                    let convert = |c: char| -> String {
                        if upper {
                            c.to_uppercase().collect()
                        } else {
                            c.to_lowercase().collect()
                        }
                    };
                    let mut chars = value.chars();
                    let text = if all {
                        chars.map(convert).collect()
                    } else {
                        match chars.next() {
                            Some(first) => format!("{}{}", convert(first), chars.as_str()),
                            None => String::new(),
                        }
                    };
                    (text, false)
                }
            })
        })
    }

    /// A word as a glob pattern: its unquoted text and unquoted expansions are pattern, anything quoted
    /// matches itself.
    pub(super) async fn glob_pattern(
        &mut self,
        word: &Word,
        link: &Link,
        out: &mut dyn FnMut(Stream, &str),
    ) -> Result<String, ShellError> {
        let mut pattern = String::new();
        for part in &word.parts {
            let literal = matches!(
                part,
                WordPart::Quoted(_)
                    | WordPart::Param { quoted: true, .. }
                    | WordPart::CommandSubst { quoted: true, .. }
                    | WordPart::Arith { quoted: true, .. }
                    | WordPart::ParamOp { quoted: true, .. }
            );
            let value = self.part_value(part, link, out).await?;
            if literal {
                pattern.push_str(&regex::escape(&value));
            } else {
                pattern.push_str(&value);
            }
        }
        Ok(pattern)
    }

    fn part_value<'a>(
        &'a mut self,
        part: &'a WordPart,
        link: &'a Link,
        out: &'a mut dyn FnMut(Stream, &str),
    ) -> Boxed<'a, Result<String, ShellError>> {
        Box::pin(async move {
            match part {
                WordPart::Literal(text) | WordPart::Quoted(text) => Ok(text.clone()),
                WordPart::Param { name, .. } => Ok(self.param(name)),
                WordPart::ParamOp {
                    name,
                    op,
                    arg,
                    arg2,
                    ..
                } => Ok(self
                    .param_op(name, *op, arg, arg2.as_ref(), link, out)
                    .await?
                    .0),
                WordPart::CommandSubst { script, .. } => self.substitute(script, link, out).await,
                WordPart::Arith { expr, .. } => {
                    let text = self.expand_string(expr, link, out).await?;
                    match self.arithmetic(&text) {
                        Ok(n) => Ok(n.to_string()),
                        Err(message) => Err(ShellError::Arithmetic(message)),
                    }
                }
            }
        })
    }

    /// `$(…)`: runs in a subshell; its stdout, without trailing newlines, is the value; its stderr passes
    /// through.
    async fn substitute(
        &mut self,
        script: &Script,
        link: &Link,
        out: &mut dyn FnMut(Stream, &str),
    ) -> Result<String, ShellError> {
        if self.depth >= MAX_DEPTH {
            return Err(ShellError::TooDeep);
        }
        // `$(<file)`: the file's contents, without running anything.
        if let [AndOrList { first, rest }] = script.lists.as_slice() {
            if let (true, [Command::Simple(c)]) = (rest.is_empty(), first.commands.as_slice()) {
                if let ([], [], [Redirect::Input { target }]) = (
                    c.words.as_slice(),
                    c.assignments.as_slice(),
                    c.redirects.as_slice(),
                ) {
                    let path = self.expand_string(target, link, out).await?;
                    return match link.read_file(&path).await {
                        Ok(text) => {
                            self.last_subst_status = 0;
                            Ok(text.trim_end_matches('\n').to_owned())
                        }
                        Err(message) => {
                            out(Stream::Stderr, &format!("bash: {path}: {message}\n"));
                            self.last_subst_status = 1;
                            Ok(String::new())
                        }
                    };
                }
            }
        }
        self.depth += 1;
        let mut captured = String::new();
        let saved = self.enter_subshell();
        let status = self
            .run_script(script, link, None, &mut |stream, text| match stream {
                Stream::Stdout => captured.push_str(text),
                Stream::Stderr => out(Stream::Stderr, text),
            })
            .await;
        self.leave_subshell(saved);
        self.depth -= 1;
        self.last_subst_status = status;
        Ok(captured.trim_end_matches('\n').to_owned())
    }

    /// A variable's value, with the login defaults a terminal would have.
    pub(super) fn lookup(&self, name: &str) -> Option<String> {
        if let Some(value) = self.vars.get(name) {
            return Some(value.clone());
        }
        match name {
            "USER" | "LOGNAME" => Some(self.user.clone()),
            "HOME" => Some(format!("/home/{}", self.user)),
            "HOSTNAME" => Some(self.hostname.clone()),
            _ => None,
        }
    }

    /// `$name`, including the special parameters. There are no positional parameters.
    fn param(&self, name: &str) -> String {
        if let Some(inner) = name.strip_prefix('#').filter(|n| !n.is_empty()) {
            return match inner.split_once('[') {
                Some((base, _)) => self.arrays.get(base).map_or(0, Vec::len).to_string(),
                None => self.param(inner).chars().count().to_string(),
            };
        }
        if let Some((base, index)) = name.split_once('[') {
            let index = index.trim_end_matches(']');
            let array = self.arrays.get(base);
            return match index {
                "@" | "*" => array.map(|a| a.join(" ")).unwrap_or_default(),
                i => match (array, i.parse::<usize>()) {
                    (Some(a), Ok(n)) => a.get(n).cloned().unwrap_or_default(),
                    (None, Ok(0)) => self.lookup(base).unwrap_or_default(),
                    _ => String::new(),
                },
            };
        }
        match name {
            "?" => self.last_status.to_string(),
            "$" => "4242".to_owned(),
            "#" => "0".to_owned(),
            "0" => "bash".to_owned(),
            _ => self.lookup(name).unwrap_or_default(),
        }
    }

    /// Exported variables overridden by the command's own `NAME=value` prefixes, sorted by name.
    pub(super) fn command_env(&self, prefixes: &[(String, String)]) -> Vec<(String, String)> {
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        env.extend(
            self.exported
                .iter()
                .filter_map(|name| Some((name.clone(), self.lookup(name)?))),
        );
        env.extend(prefixes.iter().cloned());
        env.into_iter().collect()
    }
}
