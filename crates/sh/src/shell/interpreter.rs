//! The interpreter walks the AST the way bash would run it: expansion (variables, command substitution with
//! trailing newlines removed, splitting of unquoted expansions on blanks, pathname globbing through
//! [`Host::list_dir`]), then aliases, then a builtin or the [`Host`]. It is separate from the parser so the
//! same [`Script`] can run against different hosts, and so every I/O decision (what `kubectl` does, whether
//! `> file` may write) belongs to the host.
//! Output flows through a callback rather than being collected, so a terminal can show stdout and stderr in the
//! order they happened; pipes and `$(…)` capture stdout by swapping that callback.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use super::ast::{
    AndOrList, CaseCommand, CaseEnd, Command, CondExpr, Connector, ForLoop, IfCommand, LoopCommand,
    Pipeline, Redirect, Script, SimpleCommand, Word,
};
use super::builtins::{compare, is_file_test, unary_test};
use super::host::{drive, Boxed, FileKind, Host, Link, Output, Stream};
use super::{parse, ShellError, MAX_COMMANDS, MAX_DEPTH};
use crate::regex;

/// Where a redirected output goes.
#[derive(Debug, Clone, Copy)]
enum Dest {
    Stdout,
    Stderr,
    Null,
    File(usize),
}

/// What the file tests need to know of one path.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Facts {
    pub(super) kind: Option<FileKind>,
    pub(super) executable: bool,
}

/// Looks a path up for the file tests; whether it is executable only when `-x` asks.
pub(super) async fn file_facts(link: &Link, op: &str, path: &str) -> Facts {
    let kind = link.file_kind(path).await;
    let executable = kind == Some(FileKind::Dir)
        || (op == "-x"
            && link
                .read_file(path)
                .await
                .is_ok_and(|t| t.starts_with("\u{7f}ELF") || t.starts_with("#!")));
    Facts { kind, executable }
}

/// The variables, exports and aliases a subshell gets back when it ends.
type Subshell = (
    BTreeMap<String, String>,
    BTreeSet<String>,
    BTreeMap<String, String>,
);

/// A simple command after alias expansion.
enum Aliased {
    Unchanged,
    Simple(SimpleCommand),
    /// The alias value was more than one command (`alias k='a; b'`); the rest of the line joined its last one.
    Script(Script),
}

/// The shell's state between lines: variables, aliases, exports and `$?`.
#[derive(Debug, Clone)]
pub struct Shell {
    pub vars: BTreeMap<String, String>,
    /// Alias values as stored, after the expansion the `alias` command's argument went through.
    pub aliases: BTreeMap<String, String>,
    /// What `hostname` and `$HOSTNAME` print.
    pub hostname: String,
    /// What `hostname -f` prints, when it differs from the short name (a pod with a subdomain).
    pub fqdn: Option<String>,
    /// What `id -un`, `whoami` and `$USER` print; `$HOME` is `/home/<user>`.
    pub user: String,
    pub(super) exported: BTreeSet<String>,
    pub(super) last_status: i32,
    /// The status of the last `$(…)`, which is the status of a command made only of assignments.
    pub(super) last_subst_status: i32,
    /// Aliases being expanded: bash does not expand an alias again inside its own value.
    alias_guard: Vec<String>,
    pub(super) depth: usize,
    pub(super) commands_run: usize,
    pub(super) aborted: bool,
    /// The script was stopped from outside (the command limit, a process that waits for good): unlike
    /// `exit` or `set -e`, this ends the enclosing shell too, not only a subshell.
    pub(super) halted: bool,
    /// Arrays: only `BASH_REMATCH`, which `[[ =~ ]]` sets.
    pub(super) arrays: BTreeMap<String, Vec<String>>,
    /// `set -e`, `set -x`, `set -o pipefail`.
    pub(super) errexit: bool,
    pub(super) xtrace: bool,
    pub(super) pipefail: bool,
    /// Inside an `if`/`while` condition, a `!` pipeline or a non-final `&&`/`||` operand: `set -e` does not
    /// apply there.
    errexit_suppressed: usize,
    /// Loop levels a `break N` / `continue N` still has to leave.
    pub(super) breaking: usize,
    pub(super) continuing: usize,
    pub(super) loop_depth: usize,
}

impl Default for Shell {
    fn default() -> Self {
        Shell {
            vars: BTreeMap::new(),
            aliases: BTreeMap::new(),
            hostname: "ordinal-terminal".to_owned(),
            fqdn: None,
            user: "student".to_owned(),
            exported: BTreeSet::new(),
            last_status: 0,
            last_subst_status: 0,
            alias_guard: Vec::new(),
            depth: 0,
            commands_run: 0,
            aborted: false,
            halted: false,
            arrays: BTreeMap::new(),
            errexit: false,
            xtrace: false,
            pipefail: false,
            errexit_suppressed: 0,
            breaking: 0,
            continuing: 0,
            loop_depth: 0,
        }
    }
}

/// An argument as `set -x` shows it: bare when nothing in it is special, else single-quoted.
fn xtrace_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+^".contains(c) || !c.is_ascii());
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

fn report(error: &ShellError, out: &mut dyn FnMut(Stream, &str)) -> i32 {
    out(Stream::Stderr, &format!("{error}\n"));
    match error {
        ShellError::TooDeep | ShellError::Expansion(_) => 1,
        _ => 2,
    }
}

/// The index of `fd`'s destination: 0 for stdout, 1 for stderr.
fn slot(fd: u32) -> usize {
    usize::from(fd == 2)
}

/// The parsed alias value as one simple command when it is one (the usual case), so the rest of the line can
/// be spliced in; otherwise the script back.
fn single_simple(script: Script) -> Result<SimpleCommand, Script> {
    if script.lists.is_empty() {
        return Ok(SimpleCommand::default());
    }
    if let [AndOrList { first, rest }] = script.lists.as_slice() {
        if let (true, false, [Command::Simple(command)]) =
            (rest.is_empty(), first.negated, first.commands.as_slice())
        {
            return Ok(command.clone());
        }
    }
    Err(script)
}

/// Gives the words and redirections after an alias to the last command of its expansion, and the
/// assignments before it to the first, as textual substitution would.
fn splice_into_script(script: &mut Script, original: &SimpleCommand) {
    if let Some(list) = script.lists.last_mut() {
        let pipeline = match list.rest.last_mut() {
            Some((_, pipeline)) => pipeline,
            None => &mut list.first,
        };
        match pipeline.commands.last_mut() {
            Some(Command::Simple(command)) => {
                command.words.extend(original.words.iter().skip(1).cloned());
                command.redirects.extend(original.redirects.iter().cloned());
            }
            Some(Command::For(for_loop)) => {
                for_loop
                    .redirects
                    .extend(original.redirects.iter().cloned());
            }
            Some(Command::If(c)) => c.redirects.extend(original.redirects.iter().cloned()),
            Some(Command::Loop(c)) => c.redirects.extend(original.redirects.iter().cloned()),
            Some(Command::Group(c) | Command::Subshell(c)) => {
                c.redirects.extend(original.redirects.iter().cloned())
            }
            Some(Command::Case(c)) => c.redirects.extend(original.redirects.iter().cloned()),
            Some(Command::Cond(_)) | None => {}
        }
    }
    if let Some(Command::Simple(command)) = script
        .lists
        .first_mut()
        .and_then(|list| list.first.commands.first_mut())
    {
        let mut assignments = original.assignments.clone();
        assignments.append(&mut command.assignments);
        command.assignments = assignments;
    }
}

/// A command's standard input: text and how much of it `read` has consumed, shared by every command that
/// reads the same stream (the condition and body of `while read …; do …; done < file` read on line by
/// line). Other commands are offered what is left without consuming it: whether a host command reads its
/// stdin is the command's own business.
pub(super) struct Input {
    text: String,
    consumed: Cell<usize>,
}

impl Input {
    pub(super) fn new(text: String) -> Input {
        Input {
            text,
            consumed: Cell::new(0),
        }
    }

    /// What has not been read yet.
    pub(super) fn rest(&self) -> &str {
        self.text.get(self.consumed.get()..).unwrap_or("")
    }

    /// Reads up to and including `delim` (the rest when it never comes); `None` at the end of the input.
    pub(super) fn read_until(&self, delim: char) -> Option<(&str, bool)> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        match rest.find(delim) {
            Some(i) => {
                self.consumed
                    .set(self.consumed.get() + i + delim.len_utf8());
                Some((&rest[..i], true))
            }
            None => {
                self.consumed.set(self.text.len());
                Some((rest, false))
            }
        }
    }

    /// Reads at most `n` characters, stopping after `delim` (if any).
    pub(super) fn read_chars(&self, n: usize, delim: Option<char>) -> Option<(&str, bool)> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        let mut ended = false;
        for (count, (i, c)) in rest.char_indices().enumerate() {
            if Some(c) == delim {
                self.consumed.set(self.consumed.get() + i + c.len_utf8());
                return Some((&rest[..i], true));
            }
            if count == n {
                end = i;
                ended = true;
                break;
            }
        }
        self.consumed.set(self.consumed.get() + end);
        Some((&rest[..end], ended || end < rest.len()))
    }
}

/// What runs inside a command's redirections.
enum Body<'a> {
    For(&'a ForLoop),
    If(&'a IfCommand),
    Loop(&'a LoopCommand),
    Group(&'a Script),
    Subshell(&'a Script),
    Case(&'a CaseCommand),
    /// A simple command, after expansion.
    Dispatch {
        argv: &'a [String],
        env: &'a [(String, String)],
    },
    /// Nothing but redirections (`> file`): the status of the last `$(…)`.
    Status(i32),
}

/// The redirections of one command, opened: where each output goes and what its input is.
struct Redirected {
    dest: [Dest; 2],
    files: Vec<String>,
    buffers: Vec<String>,
    input: Option<String>,
}

impl Redirected {
    fn route(&mut self, out: &mut dyn FnMut(Stream, &str), stream: Stream, text: &str) {
        let to = match stream {
            Stream::Stdout => self.dest[0],
            Stream::Stderr => self.dest[1],
        };
        match to {
            Dest::Stdout => out(Stream::Stdout, text),
            Dest::Stderr => out(Stream::Stderr, text),
            Dest::Null => {}
            Dest::File(i) => {
                if let Some(buffer) = self.buffers.get_mut(i) {
                    buffer.push_str(text);
                }
            }
        }
    }
}

impl Shell {
    /// A fresh login: no variables, aliases or exports; user `student` on host `ordinal-terminal`.
    pub fn new() -> Self {
        Self::default()
    }

    /// `$?`: the status of the last pipeline.
    pub fn last_status(&self) -> i32 {
        self.last_status
    }

    /// Runs `script`, collecting its output.
    pub fn execute(&mut self, script: &Script, host: &mut dyn Host) -> Output {
        let mut output = Output::default();
        output.status =
            self.execute_streaming(script, host, &mut |stream, text| output.print(stream, text));
        output
    }

    /// Runs `script`, handing each piece of output to `out` as it is produced, and returns the status.
    pub fn execute_streaming(
        &mut self,
        script: &Script,
        host: &mut dyn Host,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        self.commands_run = 0;
        self.aborted = false;
        self.halted = false;
        let link = Link::default();
        drive(self.run_script(script, &link, None, out), &link, host)
    }

    /// Parses and runs one line; a syntax error is printed as bash prints it, with status 2.
    pub fn run_line(&mut self, input: &str, host: &mut dyn Host) -> Output {
        match parse(input) {
            Ok(script) => self.execute(&script, host),
            Err(error) => {
                let mut output = Output::default();
                output.status = report(&error, &mut |_, text| output.push_stderr(text));
                self.last_status = output.status;
                output
            }
        }
    }

    /// Ctrl+C stopped a script part-way: bash drops back to its prompt with `$?` 130 and no loop, alias or
    /// substitution still open.
    pub(super) fn interrupted(&mut self) {
        self.alias_guard.clear();
        self.depth = 0;
        self.aborted = false;
        self.halted = false;
        self.errexit_suppressed = 0;
        self.breaking = 0;
        self.continuing = 0;
        self.loop_depth = 0;
        self.last_status = 130;
    }

    pub(super) fn run_script<'a>(
        &'a mut self,
        script: &'a Script,
        link: &'a Link,
        stdin: Option<&'a Input>,
        out: &'a mut dyn FnMut(Stream, &str),
    ) -> Boxed<'a, i32> {
        Box::pin(async move {
            let mut status = 0;
            for list in &script.lists {
                if self.aborted || self.breaking > 0 || self.continuing > 0 {
                    break;
                }
                let (s, exits) = self.run_and_or_checked(list, link, stdin, out).await;
                status = s;
                if exits && status != 0 && self.errexit && self.errexit_suppressed == 0 {
                    self.aborted = true;
                }
            }
            status
        })
    }

    /// Runs an and-or list; also says whether its status came from the last pipeline of the list run
    /// unnegated, which is when `set -e` exits on failure.
    async fn run_and_or_checked(
        &mut self,
        list: &AndOrList,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> (i32, bool) {
        let count = list.rest.len();
        if count == 0 {
            if list.first.negated {
                self.errexit_suppressed += 1;
            }
            let status = self.run_pipeline(&list.first, link, stdin, out).await;
            if list.first.negated {
                self.errexit_suppressed -= 1;
            }
            return (status, !list.first.negated);
        }
        self.errexit_suppressed += 1;
        let mut status = self.run_pipeline(&list.first, link, stdin, out).await;
        let mut exits = false;
        for (i, (connector, pipeline)) in list.rest.iter().enumerate() {
            if self.aborted {
                break;
            }
            let run = match connector {
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if !run {
                continue;
            }
            let last = i + 1 == count;
            if last {
                self.errexit_suppressed -= 1;
            }
            status = self.run_pipeline(pipeline, link, stdin, out).await;
            if last {
                self.errexit_suppressed += 1;
                exits = !pipeline.negated;
            }
        }
        self.errexit_suppressed -= 1;
        (status, exits)
    }

    /// Runs the commands one after another, each one's stdout becoming the next one's stdin. In a pipeline of
    /// several commands each runs in a subshell, as in bash: `x=1 | true` leaves `x` unset.
    async fn run_pipeline(
        &mut self,
        pipeline: &Pipeline,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        // The first command reads the pipeline's stdin; each later one what the one before it printed.
        let mut piped: Option<Input> = None;
        let mut status = 0;
        let mut statuses = Vec::new();
        let last = pipeline.commands.len().saturating_sub(1);
        for (i, command) in pipeline.commands.iter().enumerate() {
            if self.aborted {
                break;
            }
            let input = if i == 0 { stdin } else { piped.as_ref() };
            if i < last {
                let mut printed = String::new();
                let saved = self.enter_subshell();
                status = self
                    .run_command(command, link, input, &mut |stream, text| match stream {
                        Stream::Stdout => printed.push_str(text),
                        Stream::Stderr => out(Stream::Stderr, text),
                    })
                    .await;
                self.leave_subshell(saved);
                piped = Some(Input::new(printed));
            } else if last > 0 {
                let saved = self.enter_subshell();
                status = self.run_command(command, link, input, out).await;
                self.leave_subshell(saved);
            } else {
                status = self.run_command(command, link, input, out).await;
            }
            statuses.push(status);
        }
        if self.pipefail {
            status = statuses
                .iter()
                .rev()
                .copied()
                .find(|s| *s != 0)
                .unwrap_or(status);
        }
        if pipeline.negated {
            status = i32::from(status == 0);
        }
        self.last_status = status;
        status
    }

    /// What a subshell gives back when it ends: the variables, exports and aliases from before it.
    pub(super) fn enter_subshell(&self) -> Subshell {
        (
            self.vars.clone(),
            self.exported.clone(),
            self.aliases.clone(),
        )
    }

    /// Also ends an `exit` or `set -e` that stopped the subshell: only a halt reaches past it.
    pub(super) fn leave_subshell(&mut self, saved: Subshell) {
        (self.vars, self.exported, self.aliases) = saved;
        if !self.halted {
            self.aborted = false;
        }
    }

    async fn run_command(
        &mut self,
        command: &Command,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        match command {
            Command::Simple(simple) => self.run_simple(simple, link, stdin, out).await,
            Command::For(c) => {
                self.with_redirects(&c.redirects, link, stdin, out, Body::For(c))
                    .await
            }
            Command::If(c) => {
                self.with_redirects(&c.redirects, link, stdin, out, Body::If(c))
                    .await
            }
            Command::Loop(c) => {
                self.with_redirects(&c.redirects, link, stdin, out, Body::Loop(c))
                    .await
            }
            Command::Group(g) => {
                self.with_redirects(&g.redirects, link, stdin, out, Body::Group(&g.body))
                    .await
            }
            Command::Subshell(g) => {
                self.with_redirects(&g.redirects, link, stdin, out, Body::Subshell(&g.body))
                    .await
            }
            Command::Case(c) => {
                self.with_redirects(&c.redirects, link, stdin, out, Body::Case(c))
                    .await
            }
            Command::Cond(expr) => {
                let mut trace = Vec::new();
                let result = self.eval_cond(expr, link, out, &mut trace).await;
                if self.xtrace {
                    out(
                        Stream::Stderr,
                        &format!("{} [[ {} ]]\n", self.xtrace_prefix(), trace.join(" ")),
                    );
                }
                match result {
                    Ok(true) => 0,
                    Ok(false) => 1,
                    Err(status) => status,
                }
            }
        }
    }

    /// Runs what is inside a command's redirections.
    async fn run_body(
        &mut self,
        body: Body<'_>,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        match body {
            Body::For(c) => self.run_for(c, link, stdin, out).await,
            Body::If(c) => self.run_if(c, link, stdin, out).await,
            Body::Loop(c) => self.run_loop(c, link, stdin, out).await,
            Body::Group(script) => self.run_script(script, link, stdin, out).await,
            Body::Subshell(script) => {
                let saved = self.enter_subshell();
                let status = self.run_script(script, link, stdin, out).await;
                self.leave_subshell(saved);
                status
            }
            Body::Case(c) => self.run_case(c, link, stdin, out).await,
            Body::Dispatch { argv, env } => self.dispatch(argv, env, link, stdin, out).await,
            Body::Status(status) => status,
        }
    }

    /// `if`/`elif`/`else`: each condition runs with `set -e` suspended.
    async fn run_if(
        &mut self,
        c: &IfCommand,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        for (condition, body) in &c.branches {
            self.errexit_suppressed += 1;
            let test = self.run_script(condition, link, stdin, out).await;
            self.errexit_suppressed -= 1;
            if self.aborted || self.breaking > 0 || self.continuing > 0 {
                return test;
            }
            if test == 0 {
                return self.run_script(body, link, stdin, out).await;
            }
        }
        match &c.otherwise {
            Some(body) => self.run_script(body, link, stdin, out).await,
            None => 0,
        }
    }

    /// `case`: the word, expanded without splitting, against each item's patterns in turn; the first that
    /// matches runs its list, and its end says whether to stop (`;;`), run the next list too (`;&`) or test
    /// the next patterns (`;;&`). No match is status 0.
    async fn run_case(
        &mut self,
        c: &CaseCommand,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        let word = match self.expand_string(&c.word, link, out).await {
            Ok(w) => w,
            Err(e) => return report(&e, out),
        };
        let mut status = 0;
        let mut run_next = false;
        for item in &c.items {
            if self.aborted || self.breaking > 0 || self.continuing > 0 {
                break;
            }
            let mut matched = run_next;
            for pattern in &item.patterns {
                if matched {
                    break;
                }
                match self.glob_pattern(pattern, link, out).await {
                    Ok(p) => matched = regex::glob_match(&p, &word),
                    Err(e) => return report(&e, out),
                }
            }
            if !matched {
                continue;
            }
            status = self.run_script(&item.body, link, stdin, out).await;
            match item.end {
                CaseEnd::Break => break,
                CaseEnd::FallThrough => run_next = true,
                CaseEnd::TestNext => run_next = false,
            }
        }
        status
    }

    /// `while`/`until`: the condition runs with `set -e` suspended; `break` and `continue` end the body.
    async fn run_loop(
        &mut self,
        c: &LoopCommand,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        let mut status = 0;
        self.loop_depth += 1;
        loop {
            if self.aborted {
                break;
            }
            self.errexit_suppressed += 1;
            let test = self.run_script(&c.condition, link, stdin, out).await;
            self.errexit_suppressed -= 1;
            if self.aborted || (test == 0) == c.until || self.leave_iteration() {
                break;
            }
            status = self.run_script(&c.body, link, stdin, out).await;
            if self.leave_iteration() {
                break;
            }
        }
        self.loop_depth -= 1;
        status
    }

    /// After a loop body: whether the loop ends (`break`), taking one level off `break N`/`continue N`.
    fn leave_iteration(&mut self) -> bool {
        if self.breaking > 0 {
            self.breaking -= 1;
            return true;
        }
        if self.continuing > 0 {
            self.continuing -= 1;
            return self.continuing > 0;
        }
        false
    }

    /// A loop's stdin (from a pipe or a here-document) is offered to every command in its body.
    async fn run_for(
        &mut self,
        for_loop: &ForLoop,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        let mut items = Vec::new();
        for word in for_loop.words.iter().flatten() {
            match self.expand_fields(word, link, out).await {
                Ok(fields) => items.extend(fields),
                Err(error) => return report(&error, out),
            }
        }
        let mut status = 0;
        self.loop_depth += 1;
        for item in items {
            if self.aborted {
                break;
            }
            self.vars.insert(for_loop.name.clone(), item);
            status = self.run_script(&for_loop.body, link, stdin, out).await;
            if self.leave_iteration() {
                break;
            }
        }
        self.loop_depth -= 1;
        status
    }

    async fn run_simple(
        &mut self,
        command: &SimpleCommand,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        // A job that waited since the last command is not a runaway loop.
        if link.waited.take() {
            self.commands_run = 0;
        }
        if self.commands_run >= MAX_COMMANDS {
            if !self.halted {
                self.aborted = true;
                self.halted = true;
                out(
                    Stream::Stderr,
                    &format!(
                        "bash: stopped after {MAX_COMMANDS} commands, this terminal's limit\n"
                    ),
                );
            }
            return 1;
        }
        self.commands_run += 1;
        if link.should_stop().await {
            self.aborted = true;
            self.halted = true;
            return 0;
        }
        let guard = self.alias_guard.len();
        let status = match self.expand_aliases(command) {
            Err(error) => report(&error, out),
            // The words now come from the learner's text again, so a `$(kubectl …)` among them sees the
            // `kubectl` alias even while the outer `kubectl` is being expanded.
            Ok(Aliased::Unchanged) => {
                self.alias_guard.truncate(guard);
                self.run_expanded(command, link, stdin, out).await
            }
            Ok(Aliased::Simple(expanded)) => {
                self.alias_guard.truncate(guard);
                self.run_expanded(&expanded, link, stdin, out).await
            }
            Ok(Aliased::Script(_)) if self.depth >= MAX_DEPTH => report(&ShellError::TooDeep, out),
            Ok(Aliased::Script(script)) => {
                self.depth += 1;
                let status = self.run_script(&script, link, stdin, out).await;
                self.depth -= 1;
                status
            }
        };
        self.alias_guard.truncate(guard);
        status
    }

    /// Replaces an unquoted first word that names an alias by the alias's value, re-parsed, until the first
    /// word is not an alias or is one already being expanded. The names expanded are pushed on `alias_guard`;
    /// when the value was several commands they stay there while those run (bash does not expand `ls` in
    /// `alias ls='ls; ls'` either). An alias that reaches itself through `$(…)` recurses, as in bash, until
    /// the depth limit stops it.
    fn expand_aliases(&mut self, command: &SimpleCommand) -> Result<Aliased, ShellError> {
        let mut current: Option<SimpleCommand> = None;
        loop {
            let command_now = current.as_ref().unwrap_or(command);
            let Some(name) = command_now.words.first().and_then(Word::plain) else {
                break;
            };
            if self.alias_guard.iter().any(|g| g == name) {
                break;
            }
            let Some(value) = self.aliases.get(name) else {
                break;
            };
            let script = parse(value)?;
            self.alias_guard.push(name.to_owned());
            match single_simple(script) {
                Ok(mut expanded) => {
                    let mut assignments = command_now.assignments.clone();
                    assignments.append(&mut expanded.assignments);
                    expanded.assignments = assignments;
                    expanded
                        .words
                        .extend(command_now.words.iter().skip(1).cloned());
                    expanded
                        .redirects
                        .extend(command_now.redirects.iter().cloned());
                    current = Some(expanded);
                }
                Err(mut script) => {
                    splice_into_script(&mut script, command_now);
                    return Ok(Aliased::Script(script));
                }
            }
        }
        Ok(current.map_or(Aliased::Unchanged, Aliased::Simple))
    }

    async fn run_expanded(
        &mut self,
        command: &SimpleCommand,
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        self.last_subst_status = 0;
        let mut argv = Vec::new();
        for word in &command.words {
            match self.expand_fields(word, link, out).await {
                Ok(fields) => argv.extend(fields),
                Err(error) => return report(&error, out),
            }
        }
        // Assignments take effect left to right, so `A=1 B=$A` gives B the new A; before a command they are
        // undone afterwards and only its environment keeps them.
        let mut env = Vec::new();
        let mut previous = Vec::new();
        let mut failed = None;
        for assignment in &command.assignments {
            match self.expand_string(&assignment.value, link, out).await {
                Ok(value) => {
                    let name = assignment.name.clone();
                    previous.push((name.clone(), self.vars.insert(name.clone(), value.clone())));
                    env.push((name, value));
                }
                Err(error) => {
                    failed = Some(error);
                    break;
                }
            }
        }
        if !argv.is_empty() {
            for (name, value) in previous.into_iter().rev() {
                match value {
                    Some(value) => self.vars.insert(name, value),
                    None => self.vars.remove(&name),
                };
            }
        }
        if let Some(error) = failed {
            return report(&error, out);
        }
        if self.xtrace {
            let mut traced: Vec<String> = env
                .iter()
                .map(|(k, v)| format!("{k}={}", xtrace_quote(v)))
                .collect();
            traced.extend(argv.iter().map(|a| xtrace_quote(a)));
            out(
                Stream::Stderr,
                &format!("{} {}\n", self.xtrace_prefix(), traced.join(" ")),
            );
        }
        let body = if argv.is_empty() {
            Body::Status(self.last_subst_status)
        } else {
            Body::Dispatch {
                argv: &argv,
                env: &env,
            }
        };
        self.with_redirects(&command.redirects, link, stdin, out, body)
            .await
    }

    /// Sets up the redirections, runs `body` with the resulting stdin and outputs, then writes what went to
    /// files. A redirection that fails prints bash's message and the command does not run (status 1).
    async fn with_redirects(
        &mut self,
        redirects: &[Redirect],
        link: &Link,
        stdin: Option<&Input>,
        out: &mut dyn FnMut(Stream, &str),
        body: Body<'_>,
    ) -> i32 {
        if redirects.is_empty() {
            return self.run_body(body, link, stdin, out).await;
        }
        let mut opened = Redirected {
            dest: [Dest::Stdout, Dest::Stderr],
            files: Vec::new(),
            buffers: Vec::new(),
            input: None,
        };
        for redirect in redirects {
            if let Err(status) = self.open_redirect(redirect, link, out, &mut opened).await {
                return status;
            }
        }
        opened.buffers = vec![String::new(); opened.files.len()];
        // A redirected input is the body's own (one `read` after another consumes it); otherwise the body
        // reads on from the stdin it was given.
        let own = opened.input.take().map(Input::new);
        let input = own.as_ref().or(stdin);
        let status = self
            .run_body(body, link, input, &mut |stream, text| {
                opened.route(out, stream, text)
            })
            .await;
        for (path, text) in opened.files.iter().zip(&opened.buffers) {
            if text.is_empty() {
                continue;
            }
            if let Err(message) = link.write_file(path, text, true).await {
                out(Stream::Stderr, &format!("bash: {path}: {message}\n"));
            }
        }
        status
    }

    async fn open_redirect(
        &mut self,
        redirect: &Redirect,
        link: &Link,
        out: &mut dyn FnMut(Stream, &str),
        opened: &mut Redirected,
    ) -> Result<(), i32> {
        match redirect {
            Redirect::Output { fd, target, append } => {
                let path = match self.expand_string(target, link, out).await {
                    Ok(path) => path,
                    Err(e) => return Err(report(&e, out)),
                };
                opened.dest[slot(*fd)] = match path.as_str() {
                    "/dev/null" => Dest::Null,
                    "/dev/stdout" => Dest::Stdout,
                    "/dev/stderr" => Dest::Stderr,
                    _ => {
                        if let Err(message) = link.write_file(&path, "", *append).await {
                            out(Stream::Stderr, &format!("bash: {path}: {message}\n"));
                            return Err(1);
                        }
                        let files = &mut opened.files;
                        let i = files.iter().position(|f| *f == path).unwrap_or(files.len());
                        if i == files.len() {
                            files.push(path);
                        }
                        Dest::File(i)
                    }
                };
            }
            Redirect::Duplicate { fd, to } => opened.dest[slot(*fd)] = opened.dest[slot(*to)],
            Redirect::Input { target } => {
                let path = match self.expand_string(target, link, out).await {
                    Ok(path) => path,
                    Err(e) => return Err(report(&e, out)),
                };
                if path == "/dev/null" {
                    opened.input = Some(String::new());
                } else {
                    match link.read_file(&path).await {
                        Ok(contents) => opened.input = Some(contents),
                        Err(message) => {
                            out(Stream::Stderr, &format!("bash: {path}: {message}\n"));
                            return Err(1);
                        }
                    }
                }
            }
            Redirect::HereDoc { body, .. } => match self.expand_string(body, link, out).await {
                Ok(text) => opened.input = Some(text),
                Err(e) => return Err(report(&e, out)),
            },
            Redirect::HereString { target } => match self.expand_string(target, link, out).await {
                Ok(mut text) => {
                    text.push('\n');
                    opened.input = Some(text);
                }
                Err(e) => return Err(report(&e, out)),
            },
        }
        Ok(())
    }

    /// `+` for each level of command substitution, as bash's `PS4` repeats its first character.
    fn xtrace_prefix(&self) -> String {
        "+".repeat(self.depth + 1)
    }

    /// Evaluates `[[ … ]]`; `Err` carries the status after an error was printed.
    fn eval_cond<'a>(
        &'a mut self,
        expr: &'a CondExpr,
        link: &'a Link,
        out: &'a mut dyn FnMut(Stream, &str),
        trace: &'a mut Vec<String>,
    ) -> Boxed<'a, Result<bool, i32>> {
        Box::pin(async move {
            match expr {
                CondExpr::Not(inner) => {
                    trace.push("!".into());
                    Ok(!self.eval_cond(inner, link, out, trace).await?)
                }
                CondExpr::And(a, b) => {
                    if !self.eval_cond(a, link, out, trace).await? {
                        return Ok(false);
                    }
                    trace.push("&&".into());
                    self.eval_cond(b, link, out, trace).await
                }
                CondExpr::Or(a, b) => {
                    if self.eval_cond(a, link, out, trace).await? {
                        return Ok(true);
                    }
                    trace.push("||".into());
                    self.eval_cond(b, link, out, trace).await
                }
                CondExpr::Single(w) => {
                    let v = self.cond_operand(w, link, out).await?;
                    trace.push(xtrace_quote(&v));
                    Ok(!v.is_empty())
                }
                CondExpr::Unary(op, w) => {
                    let v = self.cond_operand(w, link, out).await?;
                    trace.push(op.clone());
                    trace.push(xtrace_quote(&v));
                    let facts = if is_file_test(op) {
                        file_facts(link, op, &v).await
                    } else {
                        Facts::default()
                    };
                    Ok(unary_test(op, &v, facts))
                }
                CondExpr::Binary(l, op, r) => {
                    let left = self.cond_operand(l, link, out).await?;
                    trace.push(xtrace_quote(&left));
                    trace.push(op.clone());
                    match op.as_str() {
                        "=~" => {
                            let pattern = self.pattern(r, link, out).await?;
                            trace.push(pattern.clone());
                            match regex::compile(&pattern, regex::Syntax::Extended, false) {
                                Ok(re) => match re.captures(&left) {
                                    Some(groups) => {
                                        self.arrays.insert(
                                            "BASH_REMATCH".into(),
                                            groups
                                                .iter()
                                                .map(|g| {
                                                    g.map_or(String::new(), |g| {
                                                        g.as_str().to_string()
                                                    })
                                                })
                                                .collect(),
                                        );
                                        Ok(true)
                                    }
                                    None => {
                                        self.arrays.insert("BASH_REMATCH".into(), Vec::new());
                                        Ok(false)
                                    }
                                },
                                // bash treats a pattern regcomp refuses as a failed match (status 2).
                                Err(_) => Err(2),
                            }
                        }
                        "==" | "=" | "!=" => {
                            let pattern = self.pattern(r, link, out).await?;
                            trace.push(pattern.clone());
                            let hit = regex::glob_match(&pattern, &left);
                            Ok(hit == (op != "!="))
                        }
                        "<" | ">" => {
                            let right = self.cond_operand(r, link, out).await?;
                            trace.push(xtrace_quote(&right));
                            Ok(if op == "<" {
                                left < right
                            } else {
                                left > right
                            })
                        }
                        _ => {
                            let right = self.cond_operand(r, link, out).await?;
                            trace.push(xtrace_quote(&right));
                            let a = self.arithmetic(&left).map_err(|m| {
                                out(Stream::Stderr, &format!("bash: {m}\n"));
                                1
                            })?;
                            let b = self.arithmetic(&right).map_err(|m| {
                                out(Stream::Stderr, &format!("bash: {m}\n"));
                                1
                            })?;
                            Ok(compare(op, a, b))
                        }
                    }
                }
            }
        })
    }

    /// An operand of `[[ … ]]`, expanded without splitting; an expansion error is printed.
    async fn cond_operand(
        &mut self,
        word: &Word,
        link: &Link,
        out: &mut dyn FnMut(Stream, &str),
    ) -> Result<String, i32> {
        match self.expand_string(word, link, out).await {
            Ok(value) => Ok(value),
            Err(e) => Err(report(&e, out)),
        }
    }

    /// The right side of `==` or `=~`: unquoted text is pattern, quoted text and quoted expansions are
    /// literal.
    async fn pattern(
        &mut self,
        word: &Word,
        link: &Link,
        out: &mut dyn FnMut(Stream, &str),
    ) -> Result<String, i32> {
        match self.glob_pattern(word, link, out).await {
            Ok(pattern) => Ok(pattern),
            Err(e) => Err(report(&e, out)),
        }
    }
}
