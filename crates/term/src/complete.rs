//! Tab completion for the terminal: kubectl verbs, resource types and object names, as kubectl's shell
//! completion offers them. The line is read the way bash finds the word to complete: the text before the cursor,
//! the simple command it ends in (after the last `;`, `|`, `&&`, `$(`, `do` …), with aliases of that command's
//! first word expanded, so `alias kubectl="kubectl -n $(id -un)"` and `alias k=kubectl` complete object names in
//! the namespace kubectl will really use. Nothing here runs a command or changes the cluster: the few
//! substitutions an alias may hold (`$(id -un)`, `$USER`, shell variables) are resolved from the shell's state,
//! and anything else falls back to kubectl's default namespace.

use crate::terminal::Terminal;
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::Kind;
use ordinal_kubectl::{flags, shell};

/// What Tab does to the word before the cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// The word being completed, as typed (possibly empty).
    pub word: String,
    /// Text to insert after the word: the rest of the candidates' common prefix, then a space when exactly one
    /// candidate is left (none after a `TYPE/` or `--flag=`, where more follows), as bash inserts it.
    pub insert: String,
    /// Every candidate for the word, sorted and without duplicates: what bash lists on a second Tab when the
    /// word is ambiguous.
    pub candidates: Vec<String>,
}

impl Completion {
    /// Whether more than one candidate is left, so bash would list them instead of finishing the word.
    pub fn is_ambiguous(&self) -> bool {
        self.candidates.len() > 1
    }
}

/// kubectl's commands, as `kubectl <Tab><Tab>` lists them.
pub(crate) const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "help",
    "kustomize",
    "label",
    "logs",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

/// `kubectl rollout` subcommands.
pub(crate) const ROLLOUT_SUBCOMMANDS: &[&str] =
    &["history", "pause", "restart", "resume", "status", "undo"];

const SET_SUBCOMMANDS: &[&str] = &[
    "env",
    "image",
    "resources",
    "selector",
    "serviceaccount",
    "subject",
];

const CREATE_SUBCOMMANDS: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cronjob",
    "deployment",
    "ingress",
    "job",
    "namespace",
    "poddisruptionbudget",
    "priorityclass",
    "quota",
    "role",
    "rolebinding",
    "secret",
    "service",
    "serviceaccount",
    "token",
];

const CONFIG_SUBCOMMANDS: &[&str] = &[
    "current-context",
    "delete-cluster",
    "delete-context",
    "delete-user",
    "get-clusters",
    "get-contexts",
    "get-users",
    "rename-context",
    "set",
    "set-cluster",
    "set-context",
    "set-credentials",
    "unset",
    "use-context",
    "view",
];

const OUTPUT_FORMATS: &[&str] = &[
    "custom-columns-file=",
    "custom-columns=",
    "go-template-file=",
    "go-template=",
    "json",
    "jsonpath-file=",
    "jsonpath=",
    "name",
    "template=",
    "templatefile=",
    "wide",
    "yaml",
];

/// What the terminal runs besides kubectl (its builtins and host commands), for the first word of a command.
const COMMANDS: &[&str] = &[
    "alias", "cat", "cd", "clear", "date", "echo", "export", "false", "for", "history", "hostname",
    "id", "kubectl", "ls", "seq", "sleep", "true", "unalias", "unset", "whoami", "why",
];

/// The flags offered when the word starts with `-`: the command's own and kubectl's global ones, as cobra's
/// completion lists them (`--flag=` for a flag that takes a value).
fn flags_for(verb: &str) -> Vec<String> {
    ordinal_kubectl::command_flags(verb)
        .iter()
        .chain(flags::GLOBAL)
        .map(|spec| match spec.kind {
            flags::Type::Bool => format!("--{}", spec.long),
            _ => format!("--{}=", spec.long),
        })
        .collect()
}

/// The words of the simple command the line ends in, and the word being typed.
#[derive(Debug, Default)]
struct Words {
    words: Vec<String>,
    partial: String,
    /// The quote left open in the partial word, closed again when a completion finishes it.
    open_quote: Option<char>,
    /// The partial word follows `<`, `>` or `<<`: a file or a delimiter, nothing to complete.
    redirect_target: bool,
}

/// One level of the line: the top level, or the inside of an unclosed `$(…)` or backquote.
#[derive(Debug, Default)]
struct Level {
    words: Vec<String>,
    current: String,
    started: bool,
    quote: Option<char>,
    escaped: bool,
    /// The next word ends up as a redirection's target and is not an argument.
    redirect: bool,
    redirect_current: bool,
    /// Where this level's `$(` or backquote opened, so a closed one is kept as text of the word around it.
    start: usize,
    backquote: bool,
}

impl Level {
    fn finish_word(&mut self) {
        if self.started {
            let word = std::mem::take(&mut self.current);
            if self.redirect_current {
                self.redirect_current = false;
            } else if self.words.is_empty()
                && matches!(word.as_str(), "do" | "then" | "else" | "!" | "{" | "time")
            {
                // A reserved word: the command starts after it.
            } else {
                self.words.push(word);
            }
        }
        self.started = false;
    }

    fn new_command(&mut self) {
        self.finish_word();
        self.words.clear();
    }

    fn push(&mut self, c: char) {
        if !self.started && self.redirect {
            self.redirect = false;
            self.redirect_current = true;
        }
        self.started = true;
        self.current.push(c);
    }
}

/// Splits the text before the cursor the way bash finds the word to complete.
fn split_line(line: &str) -> Words {
    let mut stack = vec![Level::default()];
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let depth = stack.len();
        let Some(level) = stack.last_mut() else { break };
        if level.escaped {
            level.escaped = false;
            if c != '\n' {
                level.push(c);
            }
            continue;
        }
        match (level.quote, c) {
            (Some('\''), '\'') => {
                level.quote = None;
                continue;
            }
            (Some('\''), _) => {
                level.push(c);
                continue;
            }
            (_, '\\') => {
                level.escaped = true;
                level.started = true;
                continue;
            }
            (Some('"'), '"') => {
                level.quote = None;
                continue;
            }
            _ => {}
        }
        let in_double = level.quote == Some('"');
        if c == '$' && chars.peek().is_some_and(|(_, n)| *n == '(') {
            chars.next();
            level.started = true;
            stack.push(Level {
                start: i,
                ..Level::default()
            });
            continue;
        }
        if c == '`' {
            if level.backquote && depth > 1 {
                close_level(&mut stack, line, i + 1);
            } else {
                level.started = true;
                stack.push(Level {
                    start: i,
                    backquote: true,
                    ..Level::default()
                });
            }
            continue;
        }
        if in_double {
            level.push(c);
            continue;
        }
        match c {
            '\'' | '"' => {
                level.quote = Some(c);
                level.started = true;
            }
            ')' if depth > 1 && !level.backquote => close_level(&mut stack, line, i + 1),
            ' ' | '\t' => level.finish_word(),
            ';' | '|' | '&' | '(' | ')' | '\n' => level.new_command(),
            '<' | '>' => {
                level.finish_word();
                level.redirect = true;
            }
            _ => level.push(c),
        }
    }
    let mut top = stack.pop().unwrap_or_default();
    let redirect_target = top.redirect || top.redirect_current;
    Words {
        words: top.words,
        partial: std::mem::take(&mut top.current),
        open_quote: top.quote,
        redirect_target,
    }
}

/// Ends a closed `$(…)` or backquote: its source becomes part of the word it sits in.
fn close_level(stack: &mut Vec<Level>, line: &str, end: usize) {
    let Some(inner) = stack.pop() else { return };
    if let Some(outer) = stack.last_mut() {
        outer.started = true;
        outer
            .current
            .push_str(line.get(inner.start..end).unwrap_or(""));
    }
}

/// A word with the substitutions completion may resolve without running anything: `$(id -un)`, `$(whoami)`
/// and their backquoted forms, `$USER`, `$HOME` and shell variables. `None` when something else is left.
fn expand_simple(word: &str, terminal: &Terminal) -> Option<String> {
    let user = &terminal.shell.user;
    let mut s = word.to_string();
    for (pattern, value) in [
        ("$(id -un)", user.clone()),
        ("$(id -u -n)", user.clone()),
        ("$(whoami)", user.clone()),
        ("`id -un`", user.clone()),
        ("`whoami`", user.clone()),
        ("${USER}", user.clone()),
        ("${HOME}", format!("/home/{user}")),
    ] {
        s = s.replace(pattern, &value);
    }
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, tail) = match after.strip_prefix('{') {
            Some(braced) => {
                let end = braced.find('}')?;
                (&braced[..end], &braced[end + 1..])
            }
            None => {
                let end = after
                    .find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        let value = match name {
            "USER" => user.clone(),
            "HOME" => format!("/home/{user}"),
            "" => return None,
            other => terminal.shell.vars.get(other)?.clone(),
        };
        out.push_str(&value);
        rest = tail;
    }
    out.push_str(rest);
    (!out.contains('`')).then_some(out)
}

/// Replaces an alias in the first word by its value's words, as the shell will when the line runs.
fn expand_aliases(mut words: Vec<String>, terminal: &Terminal) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    while let Some(first) = words.first() {
        if seen.contains(first) {
            break;
        }
        let Some(value) = terminal.shell.aliases.get(first) else {
            break;
        };
        let Ok(split) = shell::split_words(value) else {
            break;
        };
        // Of an alias like `a; b`, the line's words go to the last command.
        let last_command: Vec<String> = split
            .rsplit(|w| matches!(w.as_str(), ";" | "|" | "&&" | "||" | "&"))
            .next()
            .unwrap_or(&[])
            .to_vec();
        seen.push(first.clone());
        let rest = words.split_off(1);
        words = last_command;
        words.extend(rest);
    }
    words
}

/// Leading `NAME=value` words are the command's environment, not the command.
fn skip_assignments(words: &[String]) -> &[String] {
    let n = words
        .iter()
        .take_while(|w| {
            w.split_once('=').is_some_and(|(name, _)| {
                let mut chars = name.chars();
                chars
                    .next()
                    .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
                    && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
            })
        })
        .count();
    &words[n..]
}

/// The namespace a bare `kubectl` typed in this terminal works in: the one an alias named `kubectl` passes with
/// `-n` (as the seminar's `alias kubectl="kubectl -n $(id -un)"` does), else kubectl's default namespace.
pub fn kubectl_namespace(terminal: &Terminal) -> String {
    let words = expand_aliases(vec!["kubectl".to_string()], terminal);
    match words.split_first() {
        Some((cmd, args)) if cmd == "kubectl" => scan(args, terminal).namespace,
        _ => terminal.ctx.namespace.clone(),
    }
}

/// What the words after `kubectl` say so far.
#[derive(Debug, Default)]
struct Scan {
    positionals: Vec<String>,
    namespace: String,
    /// The flag the word being typed is the value of (`-n <Tab>`), in its long form.
    pending_flag: Option<String>,
    /// After `--`: the words are a command for the container.
    after_dashdash: bool,
}

/// Reads the words after `kubectl` as kubectl's flag parser would: global flags anywhere, the command's own
/// flags once the command is known, each taking the next word when it needs a value.
fn scan(args: &[String], terminal: &Terminal) -> Scan {
    let mut s = Scan {
        namespace: terminal.ctx.namespace.clone(),
        ..Scan::default()
    };
    let set_namespace = |s: &mut Scan, value: &str| {
        if let Some(ns) = expand_simple(value, terminal).filter(|n| !n.is_empty()) {
            s.namespace = ns;
        }
    };
    let mut local: Vec<flags::Spec> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        if s.after_dashdash {
            s.positionals.push(a.to_string());
            continue;
        }
        if a == "--" {
            s.after_dashdash = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let takes_next = flags::find_long(&local, name).is_some_and(flags::Spec::takes_next);
            let value = match value {
                Some(v) => Some(v),
                None if takes_next => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        Some(v.clone())
                    }
                    None => {
                        s.pending_flag = Some(format!("--{name}"));
                        None
                    }
                },
                None => None,
            };
            if name == "namespace" {
                if let Some(v) = value {
                    set_namespace(&mut s, &v);
                }
            }
            continue;
        }
        if let Some(shorts) = a.strip_prefix('-').filter(|r| !r.is_empty()) {
            // `-it`, `-n ns`, `-nns`: the first short flag that takes a value takes the rest or the next word.
            for (pos, c) in shorts.char_indices() {
                let Some(spec) = flags::find_short(&local, c) else {
                    break;
                };
                if spec.kind == flags::Type::Bool {
                    continue;
                }
                let attached = &shorts[pos + c.len_utf8()..];
                let attached = attached.strip_prefix('=').unwrap_or(attached);
                let value = if !attached.is_empty() {
                    Some(attached.to_string())
                } else if spec.takes_next() {
                    match args.get(i) {
                        Some(v) => {
                            i += 1;
                            Some(v.clone())
                        }
                        None => {
                            s.pending_flag = Some(format!("--{}", spec.long));
                            None
                        }
                    }
                } else {
                    None
                };
                if spec.long == "namespace" {
                    if let Some(v) = value {
                        set_namespace(&mut s, &v);
                    }
                }
                break;
            }
            continue;
        }
        if s.positionals.is_empty() {
            local = ordinal_kubectl::command_flags(a);
        }
        s.positionals.push(a.to_string());
    }
    s
}

/// Completes the word at the end of `line` (the text before the cursor) as bash with kubectl's completion
/// would, against the objects in `cluster`.
pub fn complete(cluster: &Cluster, terminal: &Terminal, line: &str) -> Completion {
    let split = split_line(line);
    let word = split.partial.clone();
    if split.redirect_target {
        return finish(word, Vec::new(), split.open_quote);
    }
    let words = skip_assignments(&split.words).to_vec();
    let candidates = if words.is_empty() {
        let mut names: Vec<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
        names.extend(terminal.shell.aliases.keys().cloned());
        names
    } else {
        let words = expand_aliases(words, terminal);
        match words.split_first() {
            Some((cmd, args)) if cmd == "kubectl" => {
                kubectl_candidates(cluster, terminal, args, &word)
            }
            _ => Vec::new(),
        }
    };
    let candidates = candidates
        .into_iter()
        .filter(|c| c.starts_with(word.as_str()))
        .collect();
    finish(word, candidates, split.open_quote)
}

fn finish(word: String, mut candidates: Vec<String>, open_quote: Option<char>) -> Completion {
    ordinal_engine::sort::sort(&mut candidates);
    candidates.dedup();
    let mut insert = match candidates.split_first() {
        None => String::new(),
        Some((first, rest)) => {
            let mut common = first.as_str();
            for c in rest {
                let len = common
                    .char_indices()
                    .zip(c.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(common.len().min(c.len()), |((i, _), _)| i);
                common = &common[..len];
            }
            common.get(word.len()..).unwrap_or("").to_string()
        }
    };
    if let [only] = candidates.as_slice() {
        if !only.ends_with('/') && !only.ends_with('=') {
            insert.extend(open_quote);
            insert.push(' ');
        }
    }
    Completion {
        word,
        insert,
        candidates,
    }
}

/// Candidates for the word after `kubectl ARGS…` (not yet filtered by what is typed).
fn kubectl_candidates(
    cluster: &Cluster,
    terminal: &Terminal,
    args: &[String],
    word: &str,
) -> Vec<String> {
    let s = scan(args, terminal);
    if let Some(flag) = &s.pending_flag {
        return flag_values(cluster, terminal, &s, flag, "");
    }
    if let Some((name, value)) = word.split_once('=').filter(|(n, _)| n.starts_with("--")) {
        let _ = value;
        return flag_values(cluster, terminal, &s, name, &format!("{name}="));
    }
    if s.after_dashdash {
        return Vec::new();
    }
    let Some(verb) = s.positionals.first().map(String::as_str) else {
        if word.starts_with('-') {
            return flags_for("");
        }
        return strings(VERBS);
    };
    if word.starts_with('-') {
        return flags_for(verb);
    }
    let args = &s.positionals[1..];
    let ns = s.namespace.as_str();
    match verb {
        "get" | "describe" | "delete" | "edit" | "label" | "annotate" | "patch" | "wait" => {
            type_then_names(cluster, ns, args, word, &all_kinds())
        }
        "explain" if args.is_empty() => all_types(),
        "scale" => type_then_names(
            cluster,
            ns,
            args,
            word,
            &[Kind::Deployment, Kind::ReplicaSet, Kind::StatefulSet],
        ),
        "expose" => type_then_names(
            cluster,
            ns,
            args,
            word,
            &[Kind::Deployment, Kind::Pod, Kind::ReplicaSet, Kind::Service],
        ),
        "rollout" => match args.split_first() {
            None => strings(ROLLOUT_SUBCOMMANDS),
            Some((_, rest)) => type_then_names(
                cluster,
                ns,
                rest,
                word,
                &[Kind::Deployment, Kind::StatefulSet],
            ),
        },
        "set" => match args.split_first() {
            None => strings(SET_SUBCOMMANDS),
            Some((_, rest)) => type_then_names(cluster, ns, rest, word, &all_kinds()),
        },
        "exec" | "attach" | "port-forward" | "cp" if args.is_empty() => {
            if word.contains('/') {
                type_slash_names(cluster, ns, word, &all_kinds())
            } else {
                names(cluster, Kind::Pod, ns)
            }
        }
        "logs" => match args {
            [] if word.contains('/') => type_slash_names(cluster, ns, word, &all_kinds()),
            [] => names(cluster, Kind::Pod, ns),
            [pod] => containers(cluster, ns, pod),
            _ => Vec::new(),
        },
        "cordon" | "uncordon" | "drain" => names(cluster, Kind::Node, ns),
        "taint" => match args {
            [] => vec!["nodes".to_string()],
            _ => names(cluster, Kind::Node, ns),
        },
        "top" => match args {
            [] => vec!["node".to_string(), "pod".to_string()],
            [kind, ..] if kind.starts_with("no") => names(cluster, Kind::Node, ns),
            _ => names(cluster, Kind::Pod, ns),
        },
        "create" if args.is_empty() => strings(CREATE_SUBCOMMANDS),
        "config" if args.is_empty() => strings(CONFIG_SUBCOMMANDS),
        "help" if args.is_empty() => strings(VERBS),
        _ => Vec::new(),
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn all_kinds() -> Vec<Kind> {
    Kind::ALL.to_vec()
}

/// The resource types as `kubectl get <Tab>` offers them: plural names.
fn all_types() -> Vec<String> {
    Kind::ALL
        .iter()
        .map(|k| k.info().plural.to_string())
        .collect()
}

/// `TYPE` (or `TYPE/NAME`) first, then names of that type not already given.
fn type_then_names(
    cluster: &Cluster,
    ns: &str,
    args: &[String],
    word: &str,
    kinds: &[Kind],
) -> Vec<String> {
    let Some(first) = args.first() else {
        if word.contains('/') {
            return type_slash_names(cluster, ns, word, kinds);
        }
        return type_words(word, kinds);
    };
    if first.contains('/') {
        // Every argument is `TYPE/NAME` once the first one is.
        return if word.contains('/') {
            type_slash_names(cluster, ns, word, kinds)
        } else {
            type_words(word, kinds)
                .into_iter()
                .map(|t| format!("{t}/"))
                .collect()
        };
    }
    let mut types = first.split(',');
    let (Some(only), None) = (types.next(), types.next()) else {
        return Vec::new();
    };
    let Some(kind) = ordinal_kubectl::resolve_kind(only) else {
        return Vec::new();
    };
    names(cluster, kind, ns)
        .into_iter()
        .filter(|n| !args[1..].contains(n))
        .collect()
}

/// Resource type words for `word`: the plural names, or the word itself when it is already a short name,
/// singular or kind (`sts`, `pvc`, `pod`) that no plural continues. After a comma (`pods,s`), the types for the
/// last item, with the list before it kept.
fn type_words(word: &str, kinds: &[Kind]) -> Vec<String> {
    let (before, item) = match word.rsplit_once(',') {
        Some((b, i)) => (format!("{b},"), i),
        None => (String::new(), word),
    };
    let mut out: Vec<String> = kinds
        .iter()
        .map(|k| k.info().plural)
        .filter(|p| p.starts_with(item))
        .map(|p| format!("{before}{p}"))
        .collect();
    if out.is_empty() && ordinal_kubectl::resolve_kind(item).is_some_and(|k| kinds.contains(&k)) {
        out.push(word.to_string());
    }
    out
}

/// `TYPE/NAME` candidates for a word that already holds `TYPE/`.
fn type_slash_names(cluster: &Cluster, ns: &str, word: &str, kinds: &[Kind]) -> Vec<String> {
    let Some((t, _)) = word.split_once('/') else {
        return Vec::new();
    };
    match ordinal_kubectl::resolve_kind(t) {
        Some(kind) if kinds.contains(&kind) => names(cluster, kind, ns)
            .into_iter()
            .map(|n| format!("{t}/{n}"))
            .collect(),
        _ => Vec::new(),
    }
}

/// Names of the objects of `kind` in `ns` (every object, for a kind without namespaces).
fn names(cluster: &Cluster, kind: Kind, ns: &str) -> Vec<String> {
    cluster
        .store()
        .list_kind(kind, Some(ns))
        .map(|o| o.meta().name.clone())
        .collect()
}

/// The containers of pod `pod` (`pod/NAME` accepted), for `logs POD <Tab>` and `-c <Tab>`.
fn containers(cluster: &Cluster, ns: &str, pod: &str) -> Vec<String> {
    let name = pod
        .strip_prefix("pod/")
        .or_else(|| pod.strip_prefix("pods/"))
        .unwrap_or(pod);
    cluster
        .store()
        .get_typed::<ordinal_engine::model::Pod>(ns, name)
        .map(|p| {
            p.spec
                .init_containers
                .iter()
                .chain(&p.spec.containers)
                .map(|c| c.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Values for a flag, each with `prefix` (`--namespace=`) in front when the value is typed attached.
fn flag_values(
    cluster: &Cluster,
    terminal: &Terminal,
    s: &Scan,
    flag: &str,
    prefix: &str,
) -> Vec<String> {
    let values = match flag {
        "--namespace" => names(cluster, Kind::Namespace, ""),
        "--output" => strings(OUTPUT_FORMATS),
        "--filename" => terminal.ctx.files.keys().collect(),
        "--container" => match s.positionals.get(1) {
            Some(pod) => containers(cluster, &s.namespace, pod),
            None => Vec::new(),
        },
        "--cascade" => strings(&["background", "foreground", "orphan"]),
        "--dry-run" => strings(&["client", "none", "server"]),
        _ => Vec::new(),
    };
    values.into_iter().map(|v| format!("{prefix}{v}")).collect()
}

/// The candidates laid out as bash lists them: sorted down the columns, each column as wide as the longest
/// candidate plus two spaces, as many columns as fit in `width` characters.
pub fn format_list(candidates: &[String], width: usize) -> String {
    let widest = candidates
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let columns = (width / widest).max(1);
    let rows = candidates.len().div_ceil(columns);
    let mut out = String::new();
    for row in 0..rows {
        let mut line = String::new();
        for col in 0..columns {
            let Some(c) = candidates.get(col * rows + row) else {
                break;
            };
            line.push_str(c);
            line.extend(std::iter::repeat_n(' ', widest - c.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordinal_engine::ClusterConfig;

    fn setup() -> (Cluster, Terminal) {
        let mut c = Cluster::new(ClusterConfig::default());
        let mut t = Terminal::interactive();
        t.ctx.files.insert(
            "web.yaml".into(),
            include_str!("../tests/fixtures/web.yaml").into(),
        );
        t.run(&mut c, "kubectl apply -f web.yaml", &[]);
        c.advance(60_000);
        (c, t)
    }

    fn insert(c: &Cluster, t: &Terminal, line: &str) -> String {
        complete(c, t, line).insert
    }

    fn candidates(c: &Cluster, t: &Terminal, line: &str) -> Vec<String> {
        complete(c, t, line).candidates
    }

    #[test]
    fn verbs_after_kubectl() {
        let (c, t) = setup();
        assert_eq!(insert(&c, &t, "kubectl ge"), "t ");
        assert_eq!(insert(&c, &t, "kubectl desc"), "ribe ");
        assert_eq!(
            candidates(&c, &t, "kubectl de"),
            ["debug", "delete", "describe"]
        );
        assert_eq!(insert(&c, &t, "kubectl de"), "");
        assert_eq!(insert(&c, &t, "kubectl roll"), "out ");
        assert!(candidates(&c, &t, "kubectl ").len() > 30);
    }

    #[test]
    fn resource_types_after_a_verb() {
        let (c, t) = setup();
        assert_eq!(insert(&c, &t, "kubectl get statef"), "ulsets ");
        assert_eq!(insert(&c, &t, "kubectl get po"), "ds ");
        assert_eq!(
            candidates(&c, &t, "kubectl get pe"),
            ["persistentvolumeclaims", "persistentvolumes"]
        );
        assert_eq!(insert(&c, &t, "kubectl get pe"), "rsistentvolume");
        // A short name no plural continues is finished as typed.
        assert_eq!(insert(&c, &t, "kubectl get sts"), " ");
        assert_eq!(insert(&c, &t, "kubectl get pvc"), " ");
        assert_eq!(insert(&c, &t, "kubectl describe svc"), " ");
        assert_eq!(insert(&c, &t, "kubectl get pods,se"), "");
        assert_eq!(
            candidates(&c, &t, "kubectl get pods,se"),
            ["pods,secrets", "pods,serviceaccounts", "pods,services"]
        );
        assert_eq!(insert(&c, &t, "kubectl scale st"), "atefulsets ");
    }

    #[test]
    fn object_names_in_the_namespace() {
        let (c, t) = setup();
        assert_eq!(insert(&c, &t, "kubectl get statefulsets w"), "eb ");
        assert_eq!(insert(&c, &t, "kubectl get sts "), "web ");
        assert_eq!(candidates(&c, &t, "kubectl get pods "), ["web-0", "web-1"]);
        assert_eq!(insert(&c, &t, "kubectl get pods "), "web-");
        assert_eq!(candidates(&c, &t, "kubectl delete pod web-0 "), ["web-1"]);
        assert_eq!(
            candidates(&c, &t, "kubectl get pvc "),
            ["www-web-0", "www-web-1"]
        );
        assert_eq!(
            candidates(&c, &t, "kubectl get svc "),
            ["kubernetes", "nginx"]
        );
        assert_eq!(
            candidates(&c, &t, "kubectl get nodes "),
            ["kind-control-plane", "kind-worker", "kind-worker2"]
        );
        // Another namespace has other objects.
        assert_eq!(
            candidates(&c, &t, "kubectl -n kube-system get svc "),
            ["kube-dns"]
        );
        assert_eq!(
            candidates(&c, &t, "kubectl get svc --namespace=kube-system "),
            ["kube-dns"]
        );
        assert_eq!(
            candidates(&c, &t, "kubectl get pods -n student "),
            Vec::<String>::new()
        );
    }

    #[test]
    fn type_slash_name() {
        let (c, t) = setup();
        assert_eq!(insert(&c, &t, "kubectl get sts/w"), "eb ");
        assert_eq!(
            candidates(&c, &t, "kubectl describe pod/"),
            ["pod/web-0", "pod/web-1"]
        );
        assert_eq!(insert(&c, &t, "kubectl rollout status sts/"), "web ");
        assert_eq!(insert(&c, &t, "kubectl get pod/web-0 sts"), "/");
    }

    #[test]
    fn pods_after_exec_and_logs_and_rollout_subcommands() {
        let (c, t) = setup();
        assert_eq!(candidates(&c, &t, "kubectl exec "), ["web-0", "web-1"]);
        assert_eq!(insert(&c, &t, "kubectl exec -it web-1"), " ");
        assert_eq!(
            candidates(&c, &t, "kubectl exec web-0 -- "),
            Vec::<String>::new()
        );
        assert_eq!(insert(&c, &t, "kubectl logs web-1 "), "nginx ");
        assert_eq!(candidates(&c, &t, "kubectl rollout "), ROLLOUT_SUBCOMMANDS);
        assert_eq!(insert(&c, &t, "kubectl rollout st"), "atus ");
        assert_eq!(
            insert(&c, &t, "kubectl rollout history statefulset "),
            "web "
        );
        assert_eq!(insert(&c, &t, "kubectl cordon kind-worker2"), " ");
    }

    #[test]
    fn the_seminar_alias_completes_in_the_users_namespace() {
        let (mut c, mut t) = setup();
        t.run(&mut c, r#"alias kubectl="kubectl -n $(id -un)""#, &[]);
        assert_eq!(kubectl_namespace(&t), "student");
        assert_eq!(
            candidates(&c, &t, "kubectl get pods "),
            Vec::<String>::new()
        );
        // In the browser the sleep waits for the page's clock.
        t.run(&mut c, "kubectl apply -f web.yaml && sleep 1m", &[]);
        assert!(t.busy());
        c.advance(60_000);
        t.poll(&mut c);
        assert!(!t.busy());
        assert_eq!(candidates(&c, &t, "kubectl get pods "), ["web-0", "web-1"]);
        // A single-quoted alias keeps `$(id -un)` until it runs; completion resolves it the same way.
        t.run(&mut c, "alias k='kubectl -n $(id -un)'", &[]);
        assert_eq!(candidates(&c, &t, "k get pods "), ["web-0", "web-1"]);
        // An explicit -n on the line wins, as it does for kubectl.
        assert_eq!(
            candidates(&c, &t, "k get pods -n default w"),
            ["web-0", "web-1"]
        );
        t.run(&mut c, "unalias kubectl k", &[]);
        assert_eq!(kubectl_namespace(&t), "default");
        t.run(
            &mut c,
            "NS=kube-system; alias kubectl='kubectl -n $NS'",
            &[],
        );
        assert_eq!(kubectl_namespace(&t), "kube-system");
    }

    #[test]
    fn the_command_being_completed_is_the_last_one_on_the_line() {
        let (c, t) = setup();
        assert_eq!(insert(&c, &t, "echo hi; kubectl get sts w"), "eb ");
        assert_eq!(insert(&c, &t, "for i in 0 1; do kubectl get pod web-"), "");
        assert_eq!(insert(&c, &t, "echo $(kubectl get st"), "");
        assert_eq!(
            candidates(&c, &t, "echo $(kubectl get st"),
            ["statefulsets", "storageclasses"]
        );
        assert_eq!(insert(&c, &t, "kubectl -n $(id -un) get sts "), "");
        assert_eq!(
            insert(&c, &t, "kubectl get pods | kubectl get sts w"),
            "eb "
        );
        assert_eq!(insert(&c, &t, "kube"), "ctl ");
        assert_eq!(insert(&c, &t, "echo kube"), "");
        assert_eq!(insert(&c, &t, "kubectl get pods > we"), "");
    }

    #[test]
    fn flag_values() {
        let (c, t) = setup();
        assert_eq!(insert(&c, &t, "kubectl get pods -o ya"), "ml ");
        assert_eq!(insert(&c, &t, "kubectl get pods -o jsonp"), "ath");
        assert_eq!(insert(&c, &t, "kubectl get pods -n kube-s"), "ystem ");
        assert_eq!(
            insert(&c, &t, "kubectl get pods --namespace=kube-s"),
            "ystem "
        );
        assert_eq!(insert(&c, &t, "kubectl apply -f w"), "eb.yaml ");
        assert_eq!(insert(&c, &t, "kubectl get pods --wat"), "ch");
        assert_eq!(insert(&c, &t, "kubectl logs web-0 -c "), "nginx ");
    }

    #[test]
    fn open_quotes_are_closed_and_nothing_odd_panics() {
        let (c, t) = setup();
        assert_eq!(insert(&c, &t, "kubectl get sts \"w"), "eb\" ");
        for line in [
            "",
            " ",
            "\\",
            "'",
            "\"",
            "$(",
            "`",
            "$((",
            ")",
            "kubectl \\",
            "kubectl get 'po",
            "kubectl -n",
            "kubectl --namespace",
            "kubectl -",
            "kubectl get -o=",
            "kubectl get sts/",
            "kubectl get /",
            "ｋｕｂｅ",
            "kubectl get ポッド",
            "kubectl -n $(",
            "kubectl get pods ,",
            "<<",
            "kubectl logs a b c ",
        ] {
            let _ = complete(&c, &t, line);
        }
    }

    #[test]
    fn aliases_are_expanded_once_and_loops_stop() {
        let (mut c, mut t) = setup();
        t.run(&mut c, "alias a=b b=a k=kubectl", &[]);
        assert_eq!(insert(&c, &t, "a x"), "");
        assert_eq!(insert(&c, &t, "k get sts w"), "eb ");
        assert!(candidates(&c, &t, "").contains(&"k".to_string()));
    }

    #[test]
    fn lists_are_laid_out_in_columns_like_bash() {
        let list: Vec<String> = ["debug", "delete", "describe", "diff", "drain"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            format_list(&list, 30),
            "debug     describe  drain\ndelete    diff\n"
        );
        assert_eq!(
            format_list(&list, 19),
            "debug\ndelete\ndescribe\ndiff\ndrain\n"
        );
        assert_eq!(format_list(&[], 80), "");
    }
}
