//! kubectl: one implementation for the browser terminal and the native transcript runner. A command line,
//! already split into words by the shell, runs against the [`Cluster`] and answers with what kubectl prints
//! (k8s-behaviour.md section 4). Commands that wait in real kubectl (`delete`, `wait`, `rollout status`, `-w`)
//! say so in [`Outcome::wait`]; the caller advances the virtual clock while they wait.
//!
//! - [`run`] runs a command in a [`Context`] and answers with an [`Outcome`]: the [`Output`], what it waits
//!   for ([`Block`]; [`run_clock`] moves the clock until it holds), a shell to attach to ([`exec::Attach`]) or an
//!   object open in the editor ([`edit::Edit`], written back by [`edit::save`]).
//! - What the terminal needs while a command waits: [`wait`] (conditions, `drain` steps),
//!   [`printer::WatchPrinter`] (`get -w`), [`rollout::status_line`], [`exec::is_mysql_monitor`].
//! - What tab completion needs: [`command_flags`], [`resolve_kind`] and the flag tables in [`flags`].
//! - What the browser's views print: [`columns::row`] (a `get` row) and [`printers`] (ages, durations, a pod's
//!   READY/STATUS/RESTARTS cells).
//! - [`home`]: the learner's home directory; [`shell`] and [`coreutils`]: `ordinal-sh`, for the terminal.
//!
//! Inside, and not exported: a module per command family (`create`, `describe`, `explain`, `patch`, `config`,
//! `cp`, `events`), `kustomize` (`apply -k`), and `catalogue` (the tutorial manifests fetched by URL).

mod catalogue;
pub mod columns;
mod config;
mod cp;
mod create;
mod describe;
pub mod edit;
mod events;
pub mod exec;
mod explain;
pub mod flags;
pub mod home;
mod kustomize;
mod patch;
pub mod printer;
pub mod printers;
pub mod rollout;
pub mod wait;

pub use ordinal_sh as shell;
pub use ordinal_sh::coreutils;

use serde_json::Value;

use flags::{duration, flag, int, optional, Spec};
use ordinal_engine::api::{ApiError, DeleteOptions, Propagation};
use ordinal_engine::clock::MAX_WAIT_MS;
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::{Kind, LabelSelector, Object};
use ordinal_engine::store::ObjectKey;
use ordinal_gotext::{gotemplate, goyaml, jsonpath, table};

/// Where kubectl runs: its default namespace and the files `-f` can name.
#[derive(Debug, Clone)]
pub struct Context {
    pub namespace: String,
    /// The kubeconfig's context names its namespace (`config set-context --current --namespace=default`
    /// writes `namespace: default`), even when that is `default`; otherwise a namespace other than `default`
    /// is taken to be named there and `default` not (a fresh kind kubeconfig names none).
    pub namespace_named: bool,
    /// The learner's machine, whose home directory holds their files (for the transcript runner: the
    /// script's folder's files), named by paths relative to it.
    pub files: home::Home,
    /// The working directory, relative to the home directory (`""`: home).
    pub cwd: String,
    /// The terminal runs `kubectl exec` commands with the page's clock (in the browser): `exec` hands them
    /// back as [`Block::Exec`] instead of running them through, so a `sleep` in them waits.
    pub steps_with_clock: bool,
    /// What the running command logged through klog (kubectl's process-wide logger, which writes to stderr
    /// wherever it is called from, as GetDryRunStrategy does for a bare `--dry-run`); [`run`] prints it
    /// before the command's own output, unless the command printed it where it came (`take_klog`).
    pub klog: std::cell::RefCell<Vec<Klog>>,
    /// The API server's warnings the running command has printed: kubectl's warning handler (cmd.go,
    /// `rest.NewWarningWriter` with `Deduplicate`) prints each only once.
    pub warned: std::cell::RefCell<std::collections::BTreeSet<String>>,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            namespace: "default".to_string(),
            namespace_named: false,
            files: Default::default(),
            cwd: String::new(),
            steps_with_clock: false,
            klog: Default::default(),
            warned: Default::default(),
        }
    }
}

/// What a kubectl command printed (its [`Output`], stdout and stderr in the order kubectl writes them, and its
/// exit status), and what it leaves for the terminal to do: wait, attach, open an editor, change the context.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub output: Output,
    pub wait: Option<Block>,
    /// `exec -it POD -- sh`: the terminal now talks to this shell until `exit`.
    pub attach: Option<exec::Attach>,
    /// `edit`: this object is open in the editor until it is saved.
    pub edit: Option<edit::Edit>,
    /// `config set-context --current --namespace=NS`: the kubeconfig's context now names this namespace (`""`:
    /// none, so kubectl works in `default`).
    pub namespace: Option<String>,
    /// `cp POD:PATH LOCAL`: files to write into the learner's home directory (keys of [`Context::files`]).
    pub files: Vec<(String, String)>,
}

pub use shell::Output;

/// Something real kubectl blocks on until a condition holds; the caller runs the clock until it does. (A
/// process's timed wait — `sleep`, a server — is the shell's [`shell::Wait`].)
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `delete` waits until these objects (key and uid: a replacement with the same name does not count) are
    /// gone.
    Gone(Vec<(ObjectKey, String)>),
    /// `get -w`: print changes to objects of these kinds in this namespace (None: all) matching the selector.
    Watch {
        kinds: Vec<Kind>,
        namespace: Option<String>,
        selector: Option<LabelSelector>,
        names: Vec<String>,
        /// The printer the listing used, for every change.
        printer: Box<printer::WatchPrinter>,
    },
    /// `rollout status`: print the status line on every change of this object until the rollout is done, or
    /// `timeout_ms` (`--timeout`) passes; `revision` is `--revision`.
    Rollout {
        key: ObjectKey,
        revision: i64,
        timeout_ms: Option<u64>,
    },
    /// `run -i`: wait for the pod to run, then attach (an interactive shell) or show what it prints until it
    /// ends; `remove` (`--rm`) deletes it afterwards. `quiet` (`-q`) leaves out kubectl's notes on attaching;
    /// `stdin_fed`: kubectl sends its standard input, which the command waits for.
    Attached {
        namespace: String,
        pod: String,
        remove: bool,
        interactive: bool,
        quiet: bool,
        stdin_fed: bool,
        /// `--pod-running-timeout`: how long kubectl waits for the pod to run.
        timeout_ms: u64,
    },
    /// `wait --for=…`: until every target (key, uid) meets the condition, or the timeout passes.
    Condition {
        targets: Vec<(ObjectKey, String)>,
        condition: wait::Condition,
        timeout_ms: u64,
    },
    /// `logs -f`, `attach`: the container's log as it grows, from line `from` on, until the container stops.
    /// `signals`: Ctrl+C reaches the process (`attach -t`, when the container has a terminal).
    Follow {
        target: ordinal_engine::runtime::ContainerRef,
        from: usize,
        timestamps: bool,
        signals: bool,
    },
    /// `exec` in the browser: the terminal runs `command` in the container with the page's clock, until it
    /// ends or Ctrl+C.
    Exec {
        target: ordinal_engine::runtime::ContainerRef,
        command: Vec<String>,
        stdin: Option<String>,
        tty: bool,
    },
    /// Until `key` (with `uid`) meets `condition`, then print `then`; after `timeout_ms`, `timed_out` on stderr
    /// (exit 1). `scale --timeout`.
    Until {
        key: ObjectKey,
        uid: String,
        condition: wait::Condition,
        timeout_ms: u64,
        then: String,
        timed_out: String,
    },
    /// `drain`: node by node, print `before`, wait until the pods are gone (at most `timeout_ms` in all), then
    /// print `after`.
    Drain {
        steps: Vec<wait::DrainStep>,
        timeout_ms: Option<u64>,
    },
}

impl Outcome {
    pub(crate) fn ok(stdout: String) -> Outcome {
        Outcome {
            output: Output::ok(stdout),
            ..Default::default()
        }
    }

    /// kubectl's error (a newline is added when it has none) and exit status 1.
    pub(crate) fn err(stderr: impl Into<String>) -> Outcome {
        let mut s: String = stderr.into();
        if !s.ends_with('\n') {
            s.push('\n');
        }
        Outcome {
            output: Output::failed(s, 1),
            ..Default::default()
        }
    }
}

impl Outcome {
    /// A command that has so far printed `stderr`: kubectl's notes and warnings before anything else.
    pub(crate) fn warned(stderr: &str) -> Outcome {
        let mut out = Outcome::default();
        out.push_stderr(stderr);
        out
    }
}

/// An outcome is what it printed, plus what follows: commands write to it as to their output.
impl std::ops::Deref for Outcome {
    type Target = Output;

    fn deref(&self) -> &Output {
        &self.output
    }
}

impl std::ops::DerefMut for Outcome {
    fn deref_mut(&mut self) -> &mut Output {
        &mut self.output
    }
}

/// `--dry-run`: whether a command that changes objects really does (cmdutil's DryRunStrategy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DryRun {
    None,
    /// Nothing is sent; kubectl prints what it would send.
    Client,
    /// The server checks the change (admission and validation) and does not store it.
    Server,
}

impl DryRun {
    /// What kubectl appends to the operation it reports (`PrintFlagsWithDryRunStrategy`).
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// The `--dry-run` flag as cmdutil's GetDryRunStrategy (kubernetes/kubectl `pkg/cmd/util/helpers.go`) reads
/// it: `client`, `server`, `none`; alone (the flag's NoOptDefVal, `unchanged`) or a boolean, the old forms,
/// which still work and are logged as deprecated through klog (see [`Context::klog`]).
pub(crate) fn dry_run(p: &flags::Parsed, ctx: &Context) -> Result<DryRun, String> {
    let Some(value) = p.get("dry-run") else {
        return Ok(DryRun::None);
    };
    // helpers.go's klog.Warning calls, at their lines in kubectl v1.34.1 (CLIENT_VERSION).
    let (strategy, deprecated) = match (flags::parse_bool(value), value) {
        (Some(b), _) => {
            let (strategy, instead) = if b {
                (DryRun::Client, "client")
            } else {
                (DryRun::None, "none")
            };
            let line = if b { 745 } else { 748 };
            let message = format!("--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run={instead}.");
            (strategy, Some((line, message)))
        }
        (None, "unchanged") => (
            DryRun::Client,
            Some((
                731,
                "--dry-run is deprecated and can be replaced with --dry-run=client.".to_string(),
            )),
        ),
        (None, "client") => (DryRun::Client, None),
        (None, "server") => (DryRun::Server, None),
        (None, "none") => (DryRun::None, None),
        (None, other) => {
            return Err(format!(
            "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
        ))
        }
    };
    if let Some((line, message)) = deprecated {
        ctx.klog.borrow_mut().push(Klog {
            severity: 'W',
            source: format!("helpers.go:{line}"),
            message,
        });
    }
    Ok(strategy)
}

/// A line kubectl logs through klog, which writes it to stderr at once, behind its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Klog {
    /// `I`, `W`, `E`.
    pub severity: char,
    /// The Go file and line that logged it: `helpers.go:731`.
    pub source: String,
    pub message: String,
}

/// The process id klog's header shows for kubectl (it varies with every run of a real kubectl).
const KUBECTL_PID: u32 = 48213;

impl Klog {
    /// klog's text format (`formatHeader`): `Lmmdd hh:mm:ss.uuuuuu threadid file:line] message`, the id
    /// right-aligned in seven columns.
    pub fn line(&self, now: ordinal_engine::clock::Time) -> String {
        format!(
            "{}{}.{:03}000 {KUBECTL_PID:>7} {}] {}\n",
            self.severity,
            now.strftime("%m%d %T"),
            now.millis() % 1000,
            self.source,
            self.message
        )
    }
}

/// A request on `kind` reached the API server: its warning, if it answers with one, goes to stderr now as
/// kubectl's warning handler prints it (`Warning: …`), once per command.
pub(crate) fn server_warnings(ctx: &Context, out: &mut Output, kind: Kind) {
    if let Some(warning) = ordinal_engine::api::deprecation_warning(kind) {
        if ctx.warned.borrow_mut().insert(warning.clone()) {
            out.push_stderr(&format!("Warning: {warning}\n"));
        }
    }
}

/// The klog lines logged so far, taken from `ctx`, as stderr shows them: a command prints them where it
/// logged them, before anything that came after.
pub(crate) fn take_klog(ctx: &Context, now: ordinal_engine::clock::Time) -> String {
    ctx.klog
        .borrow_mut()
        .drain(..)
        .map(|k| k.line(now))
        .collect()
}

/// What a command whose server-side dry run is not modelled answers for `--dry-run=server`: the API server
/// here has no request path that admits and validates without storing.
pub(crate) fn server_dry_run_unavailable(verb: &str) -> Outcome {
    Outcome::err(format!(
        "error: \"kubectl {verb} --dry-run=server\" is not available in this playground yet; --dry-run=client is"
    ))
}

const CLIENT_VERSION: &str = "v1.34.1";
const SERVER_VERSION: &str = "v1.35.0";

/// Runs `kubectl ARGS…` (`args` without the leading `kubectl`).
pub fn run(c: &mut Cluster, ctx: &Context, args: &[String], stdin: Option<&str>) -> Outcome {
    // The command is the first word after the global flags written before it (`kubectl -n ns get pods`); those
    // flags belong to the command as much as the ones after it.
    let at = match flags::first_word(args) {
        Ok(Some(at)) => at,
        Ok(None) => return Outcome::ok(HELP.to_string()),
        Err(e) => return Outcome::err(e),
    };
    let verb = (at, args[at].as_str());
    ctx.warned.borrow_mut().clear();
    ctx.klog.borrow_mut().clear();
    let mut rest: Vec<String> = args[..at].to_vec();
    rest.extend_from_slice(&args[at + 1..]);
    // `config set-context` has its own --namespace, --cluster and --user.
    let local: &[Spec] = if verb.1 == "config" {
        config::CONFIG_FLAGS
    } else {
        &[]
    };
    let (globals, bare) = match flags::split_globals(&rest, local) {
        Ok((globals, bare)) => match config::check_globals(c, ctx, &globals) {
            Ok(()) => (globals, bare),
            Err(e) => return Outcome::err(e),
        },
        Err(e) => return Outcome::err(e),
    };
    let out = match verb.1 {
        "get" => get(c, ctx, &rest),
        "apply" => apply(c, ctx, &rest, stdin, "apply"),
        "create"
            if bare
                .iter()
                .find(|a| !a.starts_with('-'))
                .is_some_and(|w| create::SUBCOMMANDS.contains(&w.as_str())) =>
        {
            create::create(c, ctx, &rest)
        }
        "create" => apply(c, ctx, &rest, stdin, "create"),
        "replace" => apply(c, ctx, &rest, stdin, "replace"),
        "delete" => delete(c, ctx, &rest, stdin),
        "scale" => scale(c, ctx, &rest, stdin),
        "cordon" | "uncordon" => wait::cordon(c, ctx, &rest, verb.1 == "cordon"),
        "version" => Outcome::ok(format!(
            "Client Version: {CLIENT_VERSION}\nKustomize Version: v5.7.1\nServer Version: {SERVER_VERSION}\n"
        )),
        "api-resources" => api_resources(),
        "describe" => describe::describe(c, ctx, &rest),
        "patch" => patch::patch(c, ctx, &rest),
        "label" => patch::label(c, ctx, &rest, false),
        "annotate" => patch::label(c, ctx, &rest, true),
        "set" => patch::set(c, ctx, &rest),
        "rollout" => rollout::rollout(c, ctx, &rest),
        "exec" => exec::exec(c, ctx, &rest, stdin),
        "run" => exec::run(c, ctx, &rest, stdin),
        "logs" => exec::logs(c, ctx, &rest),
        "explain" => explain::explain(&rest),
        "wait" => wait::wait(c, ctx, &rest),
        "edit" => match edit::open(c, ctx, &rest) {
            Ok(e) => {
                let mut out = Outcome::default();
                server_warnings(ctx, &mut out, e.key.kind);
                out.edit = Some(e);
                out
            }
            Err(e) => Outcome::err(e),
        },
        "drain" => wait::drain(c, ctx, &rest),
        "kustomize" => {
            let dir = bare
                .iter()
                .find(|a| !a.starts_with('-'))
                .map_or(".", String::as_str);
            match kustomize::build_with_warnings(ctx, dir) {
                Ok(built) => {
                    // kustomize logs its warnings as it builds, before kubectl prints the result.
                    let mut out = Outcome::warned(&built.warnings_text());
                    out.push_stdout(&built.yaml);
                    out
                }
                Err(e) => Outcome::err(e),
            }
        }
        "config" => config::config(c, ctx, &rest),
        "cluster-info" => config::cluster_info(c, &bare),
        "auth" => config::auth(&bare),
        "top" => config::top(),
        "events" => events::events(c, ctx, &rest),
        "expose" => create::expose(c, ctx, &rest),
        "cp" => cp::cp(c, ctx, &rest),
        "attach" => exec::attach(c, ctx, &rest),
        known @ ("port-forward" | "autoscale" | "diff" | "debug") => {
            Outcome::err(format!("error: \"kubectl {known}\" is not available in this playground yet"))
        }
        other => Outcome::err(format!("error: unknown command \"{other}\" for \"kubectl\"\n\nDid you mean this?\n\t{}\n", suggest(other))),
    };
    let mut out = out;
    // cmd.go's PersistentPostRunE, after a command that succeeded; one that streams until Ctrl+C never gets
    // there, and one that prints as it waits would print this after that (not modelled: only a delete's
    // silent wait is let through).
    let warned = ctx.warned.borrow().len();
    let ends_here = matches!(out.wait, None | Some(Block::Gone(_)));
    if globals.is_set("warnings-as-errors") && warned > 0 && out.status == 0 && ends_here {
        let plural = if warned == 1 { "warning" } else { "warnings" };
        out.push_stderr(&format!("error: {warned} {plural} received\n"));
        out.status = 1;
    }
    // klog wrote what is still logged as it came: before the command's output.
    let logged = take_klog(ctx, c.now());
    if logged.is_empty() {
        return out;
    }
    let mut printed = Output::default();
    printed.push_stderr(&logged);
    printed.append(out.output);
    Outcome {
        output: printed,
        ..out
    }
}

/// The flags `kubectl VERB` declares (every subcommand's, for commands that have them), besides the global
/// ones: what completion offers and how it reads a line.
pub fn command_flags(verb: &str) -> Vec<Spec> {
    let tables: &[&[Spec]] = match verb {
        "get" => &[GET_FLAGS],
        "apply" => &[APPLY_FLAGS],
        "replace" => &[REPLACE_FLAGS],
        "create" => &[CREATE_FILE_FLAGS, create::FLAGS],
        "delete" => &[DELETE_FLAGS],
        "scale" => &[SCALE_FLAGS],
        "cordon" | "uncordon" => &[wait::CORDON_FLAGS],
        "drain" => &[wait::DRAIN_FLAGS],
        "describe" => &[describe::DESCRIBE_FLAGS],
        "patch" => &[patch::PATCH_FLAGS],
        "label" | "annotate" => &[patch::LABEL_FLAGS],
        "set" => &[patch::SET_FLAGS],
        "rollout" => &[
            rollout::STATUS_FLAGS,
            rollout::HISTORY_FLAGS,
            rollout::UNDO_FLAGS,
            rollout::OTHER_FLAGS,
        ],
        "exec" => &[exec::EXEC_FLAGS],
        "run" => &[exec::RUN_FLAGS],
        "attach" => &[exec::ATTACH_FLAGS],
        "logs" => &[exec::LOGS_FLAGS],
        "explain" => &[explain::EXPLAIN_FLAGS],
        "wait" => &[wait::WAIT_FLAGS],
        "config" => &[config::CONFIG_FLAGS],
        "events" => &[events::FLAGS],
        "expose" => &[create::EXPOSE_FLAGS],
        "cp" => &[cp::FLAGS],
        "edit" => &[edit::EDIT_FLAGS],
        _ => &[],
    };
    let mut out: Vec<Spec> = Vec::new();
    for spec in tables.iter().flat_map(|t| t.iter()) {
        if !out.iter().any(|s| s.long == spec.long) {
            out.push(*spec);
        }
    }
    out
}

const HELP: &str = "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n";

fn suggest(word: &str) -> &'static str {
    const VERBS: &[&str] = &[
        "get", "apply", "create", "delete", "describe", "scale", "logs", "exec", "rollout", "edit",
        "patch",
    ];
    VERBS
        .iter()
        .min_by_key(|v| strsim(word, v))
        .copied()
        .unwrap_or("get")
}

/// Edit distance, for "Did you mean this?".
fn strsim(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Resolves what kubectl accepts for a resource type: plural, singular, short name, `Kind`, with an optional
/// `.group` suffix.
pub fn resolve_kind(word: &str) -> Option<Kind> {
    let w = word.to_lowercase();
    Kind::ALL.iter().copied().find(|k| {
        let i = k.info();
        let kind_lower = i.kind.to_lowercase();
        let mut names = [i.plural, i.singular, kind_lower.as_str()]
            .into_iter()
            .chain(i.short_names.iter().copied());
        let hit = names.any(|n| {
            w == n
                || (!i.group.is_empty()
                    && (w == format!("{n}.{}", i.group)
                        || w == format!("{n}.{}", i.api_version.replace('/', "."))))
        });
        hit
    })
}

fn unknown_type(word: &str) -> String {
    format!("error: the server doesn't have a resource type \"{word}\"")
}

/// The kinds `kubectl get all` lists, in its order.
const ALL: &[Kind] = &[
    Kind::Pod,
    Kind::Service,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
];

/// A label selector as apimachinery's labels.Parse reads `-l`: requirements separated by commas (outside the
/// parentheses of a set), each `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)` or
/// `key notin (a,b)`.
pub(crate) fn parse_selector(s: &str) -> Result<LabelSelector, String> {
    use ordinal_engine::model::meta::LabelSelectorRequirement;
    let mut sel = LabelSelector::default();
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, ch) in s.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    let requirement = |key: &str, operator: &str, values: Vec<String>| LabelSelectorRequirement {
        key: key.trim().into(),
        operator: operator.into(),
        values,
    };
    // The lexer's identifiers: what a label key may hold.
    let identifier = |key: &str| -> Result<(), String> {
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        {
            return Err(format!(
                "error: unable to parse requirement: found '{key}', expected: identifier"
            ));
        }
        Ok(())
    };
    for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        let set = part
            .find(" in ")
            .map(|i| (i, "In", 4))
            .or_else(|| part.find(" notin ").map(|i| (i, "NotIn", 7)));
        if let Some((at, operator, len)) = set {
            let list = part[at + len..].trim();
            let Some(inner) = list.strip_prefix('(').and_then(|l| l.strip_suffix(')')) else {
                return Err(format!(
                    "error: unable to parse requirement: found '{list}', expected: '('"
                ));
            };
            let values = inner
                .split(',')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            sel.match_expressions
                .push(requirement(&part[..at], operator, values));
        } else if let Some((k, v)) = part.split_once("!=") {
            sel.match_expressions
                .push(requirement(k, "NotIn", vec![v.trim().into()]));
        } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            sel.match_labels.insert(k.trim().into(), v.trim().into());
        } else if let Some(k) = part.strip_prefix('!') {
            identifier(k)?;
            sel.match_expressions
                .push(requirement(k, "DoesNotExist", Vec::new()));
        } else if part.contains(' ') {
            return Err(format!("error: unable to parse requirement: found '{part}', expected: '=', '!=', '==', 'in', notin'"));
        } else {
            identifier(part)?;
            sel.match_expressions
                .push(requirement(part, "Exists", Vec::new()));
        }
    }
    Ok(sel)
}

/// cli-runtime's resource builder when a command is given neither resources nor files.
pub(crate) const MISSING_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// `TYPE NAME…`, `TYPE/NAME…` or `TYPE1,TYPE2` into (kind, names) requests.
fn targets(args: &[String]) -> Result<Vec<(Kind, Vec<String>)>, String> {
    let Some(first) = args.first() else {
        return Err(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples"
                .to_string(),
        );
    };
    if first.contains('/') {
        let mut out: Vec<(Kind, Vec<String>)> = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string());
            };
            let kind = resolve_kind(t).ok_or_else(|| unknown_type(t))?;
            match out.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, names)) => names.push(n.to_string()),
                None => out.push((kind, vec![n.to_string()])),
            }
        }
        return Ok(out);
    }
    let mut kinds = Vec::new();
    for t in first.split(',') {
        if t == "all" {
            kinds.extend_from_slice(ALL);
        } else {
            kinds.push(resolve_kind(t).ok_or_else(|| unknown_type(t))?);
        }
    }
    Ok(kinds.into_iter().map(|k| (k, args[1..].to_vec())).collect())
}

pub(crate) const GET_FLAGS: &[Spec] = &[
    flag("all-namespaces", Some('A'), false),
    flag("selector", Some('l'), true),
    flag("output", Some('o'), true),
    flag("show-labels", None, false),
    flag("label-columns", Some('L'), true),
    flag("show-kind", None, false),
    flag("watch", Some('w'), false),
    flag("watch-only", None, false),
    flag("no-headers", None, false),
    flag("field-selector", None, true),
    flag("sort-by", None, true),
    flag("template", None, true),
    flag("ignore-not-found", None, false),
];

fn get(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, GET_FLAGS, "get") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let requests = match targets(&p.args) {
        Ok(r) => r,
        Err(e) => return Outcome::err(e),
    };
    let watching = p.is_set("watch") || p.is_set("watch-only");
    // kubectl's watch builds its request with `SingleResourceType()`, so a second type (a comma list, `all`,
    // or TYPE/NAME pairs of two types) fails in the resource builder before anything is listed.
    if watching && requests.len() > 1 {
        return Outcome::err("error: you may only specify a single resource type");
    }
    let printer = match printer::Printer::from_get_flags(&p, ctx) {
        Ok(printer) => printer,
        Err(e) => return Outcome::err(e),
    };
    let all_ns = p.is_set("all-namespaces");
    let ns = p.namespace(&ctx.namespace).to_string();
    let selector = match p.get("selector").map(parse_selector).transpose() {
        Ok(s) => s,
        Err(e) => return Outcome::err(e),
    };
    let now = c.now();
    let store = c.store();
    let mut out = Outcome::default();
    // get.go Complete warns before anything is listed.
    if watching && p.given("sort-by") {
        out.push_stderr(if p.is_set("watch") {
            "warning: --watch requested, --sort-by will be ignored for watch events received\n"
        } else {
            "warning: --watch-only requested, --sort-by will be ignored\n"
        });
    }
    // Every type is requested before anything is printed.
    for (kind, _) in &requests {
        server_warnings(ctx, &mut out, *kind);
    }
    let mut sections: Vec<(Kind, Vec<Object>)> = Vec::new();
    // The builder's errors: get.go returns them after printing what it found (CheckErr on the aggregate).
    let mut missing = String::new();
    for (kind, names) in &requests {
        let namespaced = kind.info().namespaced;
        let mut objs: Vec<Object> = Vec::new();
        if names.is_empty() {
            objs.extend(
                list_kind(
                    store,
                    *kind,
                    if all_ns || !namespaced {
                        None
                    } else {
                        Some(&ns)
                    },
                )
                .into_iter()
                .filter(|o| {
                    selector
                        .as_ref()
                        .is_none_or(|s| s.matches(&o.meta().labels))
                }),
            );
        } else {
            for n in names {
                match store.get(&ObjectKey::new(*kind, &ns, n)) {
                    Some(o) => objs.push(o.clone()),
                    None if p.is_set("ignore-not-found") => {}
                    None => missing.push_str(&format!("{}\n", ApiError::not_found(*kind, n))),
                }
            }
        }
        if let Some(fs) = p.get("field-selector") {
            match field_filter(*kind, fs) {
                Ok(keep) => objs.retain(|o| keep(o)),
                Err(e) => return Outcome::err(e),
            }
        }
        sections.push((*kind, objs));
    }
    let found = sections.iter().map(|(_, o)| o.len()).sum::<usize>();
    if !missing.is_empty() {
        out.status = 1;
    }
    if watching {
        // get.go `watch` stops at the builder's error before listing anything.
        if !missing.is_empty() {
            out.push_stderr(&missing);
            return out;
        }
        // The watch prints what it lists, then every change, through the one printer.
        let mut watch = printer.watch();
        if !p.is_set("watch-only") {
            let listed: Vec<&Object> = sections.iter().flat_map(|(_, o)| o).collect();
            match watch.print(&listed, store, now) {
                Ok(text) => out.push_stdout(&text),
                Err(e) => return Outcome::err(e),
            }
        }
        out.wait = Some(Block::Watch {
            kinds: requests.iter().map(|(k, _)| *k).collect(),
            namespace: if all_ns { None } else { Some(ns.clone()) },
            selector: selector.clone(),
            names: requests.iter().flat_map(|(_, n)| n.clone()).collect(),
            printer: Box::new(watch),
        });
        return out;
    }
    let single = requests.len() == 1 && requests[0].1.len() == 1;
    let table = matches!(printer.format, printer::Format::Table { .. });
    // get.go printGeneric: a single named object that is not there prints only the error (the builder's
    // error returns before the printer runs); nothing found with --ignore-not-found prints nothing at all.
    if found == 0 && !table && (single || p.is_set("ignore-not-found")) {
        out.push_stderr(&missing);
        return out;
    }
    match printer.list(&sections, store, now, single) {
        Ok(text) => out.push_stdout(&text),
        Err(e) if missing.is_empty() => return Outcome::err(e),
        Err(e) => {
            out.push_stderr(&missing);
            out.append(Outcome::err(e).output);
            return out;
        }
    }
    out.push_stderr(&missing);
    if found == 0
        && out.status == 0
        && matches!(printer.format, printer::Format::Table { .. })
        && !p.is_set("ignore-not-found")
    {
        let scope = requests.iter().all(|(k, _)| k.info().namespaced) && !all_ns;
        out.push_stderr(&if scope {
            format!("No resources found in {ns} namespace.\n")
        } else {
            "No resources found\n".to_string()
        });
    }
    out
}

/// `--field-selector a=b,c!=d`: the fields the API server indexes for each kind. Another field is refused as
/// the server refuses it.
type ObjectFilter = Box<dyn Fn(&Object) -> bool>;

fn field_filter(kind: Kind, selector: &str) -> Result<ObjectFilter, String> {
    let mut terms: Vec<(String, bool, String)> = Vec::new();
    for term in selector.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let (field, equal, value) = if let Some((f, v)) = term.split_once("!=") {
            (f, false, v)
        } else if let Some((f, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            (f, true, v)
        } else {
            return Err(format!(
                "error: invalid selector: '{selector}'; can't understand '{term}'"
            ));
        };
        let common = ["metadata.name", "metadata.namespace"];
        let specific: &[&str] = match kind {
            Kind::Pod => &[
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "status.phase",
                "status.podIP",
                "status.nominatedNodeName",
            ],
            Kind::Event => &[
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type",
            ],
            Kind::Node => &["spec.unschedulable"],
            Kind::Secret => &["type"],
            Kind::Namespace => &["status.phase"],
            Kind::ReplicaSet => &["status.replicas"],
            _ => &[],
        };
        if !common.contains(&field) && !specific.contains(&field) {
            return Err(format!(
                "Error from server (BadRequest): Unable to find \"{}/{}, Resource={}\" that match label selector \"\", field selector \"{selector}\": field label not supported: {field}",
                kind.info().group,
                kind.info().api_version.rsplit('/').next().unwrap_or(""),
                kind.info().plural
            ));
        }
        terms.push((field.to_string(), equal, value.to_string()));
    }
    Ok(Box::new(move |o: &Object| {
        let v = o.to_json();
        terms.iter().all(|(field, equal, want)| {
            let pointer = if field == "source" {
                "/source/component".to_string()
            } else {
                format!("/{}", field.replace('.', "/"))
            };
            let got = match v.pointer(&pointer) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            (got == *want) == *equal
        })
    }))
}

/// Objects of `kind` in `namespace` (all when `None`), in the API's list order: by namespace, then name.
fn list_kind(
    store: &ordinal_engine::store::Store,
    kind: Kind,
    namespace: Option<&str>,
) -> Vec<Object> {
    store.list_kind(kind, namespace).cloned().collect()
}

/// YAML as kubectl prints it: the object through sigs.k8s.io/yaml, i.e. Go's yaml.v2 emitter.
pub(crate) fn to_yaml_text(v: &Value) -> String {
    goyaml::document(v)
}

pub(crate) const APPLY_FLAGS: &[Spec] = &[
    flag("filename", Some('f'), true),
    flag("recursive", Some('R'), false),
    flag("kustomize", Some('k'), true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    optional("dry-run", "unchanged"),
    optional("validate", "strict"),
    flag("server-side", None, false),
    flag("force", None, false),
    flag("field-manager", None, true),
];

pub(crate) const CREATE_FILE_FLAGS: &[Spec] = &[
    flag("filename", Some('f'), true),
    flag("recursive", Some('R'), false),
    flag("kustomize", Some('k'), true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    optional("dry-run", "unchanged"),
    optional("validate", "strict"),
    flag("save-config", None, false),
    flag("field-manager", None, true),
];

pub(crate) const REPLACE_FLAGS: &[Spec] = &[
    flag("filename", Some('f'), true),
    flag("recursive", Some('R'), false),
    flag("kustomize", Some('k'), true),
    flag("output", Some('o'), true),
    flag("template", None, true),
    optional("dry-run", "unchanged"),
    optional("validate", "strict"),
    flag("save-config", None, false),
    flag("force", None, false),
    flag("field-manager", None, true),
];

/// `--validate` as cmdutil's GetValidationDirective reads it. The API server here validates strictly, as it
/// does by default; the directives that would drop or only warn about unknown fields are refused.
fn check_validate(p: &flags::Parsed) -> Result<(), String> {
    let Some(v) = p.get("validate") else {
        return Ok(());
    };
    match v {
        "strict" => Ok(()),
        "warn" | "ignore" => Err(format!(
            "error: \"--validate={v}\" is not available in this playground yet: its API server validates strictly"
        )),
        other => match flags::parse_bool(other) {
            Some(true) => Ok(()),
            Some(false) => Err(format!(
                "error: \"--validate={other}\" is not available in this playground yet: its API server validates strictly"
            )),
            None => Err(format!("error: invalid - validate option \"{other}\"; must be one of: strict (or true), warn, ignore (or false)")),
        },
    }
}

/// The documents `-f` names: a file, the `.yaml`/`.yml`/`.json` files in a folder (and in its folders too with
/// `-R`, cli-runtime's FilenameOptions.Recursive), a URL of the offline catalogue, or standard input.
fn read_files(
    ctx: &Context,
    names: &[String],
    stdin: Option<&str>,
    recursive: bool,
) -> Result<Vec<(String, String)>, String> {
    let mut docs = Vec::new();
    for name in names {
        if name == "-" {
            docs.push(("STDIN".to_string(), stdin.unwrap_or("").to_string()));
            continue;
        }
        if crate::catalogue::is_url(name) {
            match crate::catalogue::fetch(name) {
                crate::catalogue::Fetched::File(text) => docs.push((name.clone(), text.to_string())),
                crate::catalogue::Fetched::NotFound => {
                    return Err(format!("error: unable to read URL \"{name}\", server reported 404 Not Found, status code=404"))
                }
                crate::catalogue::Fetched::NoSuchHost(host) => {
                    return Err(format!("error: Get \"{name}\": dial tcp: lookup {host}: no such host"))
                }
            }
            continue;
        }
        let key = home::resolve(ctx, name).unwrap_or_else(|abs| abs);
        if let Some(text) = ctx.files.get(&key) {
            docs.push((name.clone(), text.to_string()));
            continue;
        }
        let dir = if key.is_empty() {
            String::new()
        } else {
            format!("{key}/")
        };
        let in_dir: Vec<(String, String)> = ctx
            .files
            .iter()
            .filter(|(f, _)| {
                f.strip_prefix(&dir)
                    .is_some_and(|rest| recursive || !rest.contains('/'))
                    && [".yaml", ".yml", ".json"].iter().any(|e| f.ends_with(e))
            })
            .map(|(f, t)| (f, t.to_string()))
            .collect();
        if in_dir.is_empty() && !ctx.files.is_dir(&key) {
            return Err(format!("error: the path \"{name}\" does not exist"));
        }
        docs.extend(in_dir);
    }
    Ok(docs)
}

fn apply(
    c: &mut Cluster,
    ctx: &Context,
    args: &[String],
    stdin: Option<&str>,
    verb: &str,
) -> Outcome {
    let specs = match verb {
        "create" => CREATE_FILE_FLAGS,
        "replace" => REPLACE_FLAGS,
        _ => APPLY_FLAGS,
    };
    let p = match flags::parse(args, specs, verb) {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    if let Err(e) = check_validate(&p) {
        return Outcome::err(e);
    }
    let dry_run = match dry_run(&p, ctx) {
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    if dry_run == DryRun::Server {
        return server_dry_run_unavailable(verb);
    }
    if verb == "apply" && p.is_set("force") {
        return Outcome::err(
            "error: \"kubectl apply --force\" is not available in this playground yet; kubectl replace --force is",
        );
    }
    let mut printer = match printer::ChangePrinter::from_flags(&p, ctx) {
        Ok(printer) => printer,
        Err(e) => return Outcome::err(e),
    };
    let server_side = p.is_set("server-side");
    let files = p.all("filename");
    let kustomization = p.get("kustomize");
    if files.is_empty() && kustomization.is_none() {
        return Outcome::err(format!(
            "error: must specify one of -f and -k\n\nSee 'kubectl {verb} -h' for help and examples"
        ));
    }
    if !files.is_empty() && kustomization.is_some() {
        return Outcome::err("error: only one of -f or -k can be specified");
    }
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let mut warnings = String::new();
    let docs = match kustomization {
        Some(dir) => match kustomize::build_with_warnings(ctx, dir) {
            Ok(built) => {
                warnings = built.warnings_text();
                vec![(dir.to_string(), built.yaml)]
            }
            Err(e) => return Outcome::err(e),
        },
        None => match read_files(ctx, files, stdin, p.is_set("recursive")) {
            Ok(d) => d,
            Err(e) => return Outcome::err(e),
        },
    };
    let mut out = Outcome::warned(&warnings);
    let save_config = p.is_set("save-config");
    let how = match verb {
        "create" => ordinal_engine::api::ManifestVerb::Create { save_config },
        "replace" => ordinal_engine::api::ManifestVerb::Replace { save_config },
        _ => ordinal_engine::api::ManifestVerb::Apply,
    };
    if dry_run == DryRun::Client {
        return apply_dry_run(c, ctx, &docs, &ns, verb, &mut printer, out);
    }
    // apply prints the objects (any -o but name) at the end, as one object or a List (apply.go
    // printObjects); create and replace print each as it goes.
    let mut applied: Vec<Value> = Vec::new();
    let mut unread = Vec::new();
    let mut failed = Vec::new();
    for (name, text) in docs {
        if verb == "replace" && p.is_set("force") {
            // --force: delete what the manifest names, wait for it to go, and create it again.
            for m in ordinal_engine::manifest::read(&text, &name).objects {
                let obj_ns = if m.kind.info().namespaced {
                    m.namespace.clone().unwrap_or_else(|| ns.clone())
                } else {
                    String::new()
                };
                let key = ObjectKey::new(m.kind, &obj_ns, &m.name);
                if c.store().get(&key).is_some() {
                    let _ = c.delete(&key, Default::default());
                    run_clock_until_gone(c, &key);
                    let what = format!("{} \"{}\" deleted", m.kind.qualified_singular(), m.name);
                    out.push_stdout(&if obj_ns.is_empty() {
                        format!("{what}\n")
                    } else {
                        format!("{what} from {obj_ns} namespace\n")
                    });
                }
            }
        }
        let how = if verb == "replace" && p.is_set("force") {
            ordinal_engine::api::ManifestVerb::Create { save_config }
        } else {
            how
        };
        // apply.go applyOneObject warns before it patches a live object that was not made by apply (or
        // create --save-config), then patches the annotation in with the rest.
        let mut unannotated: std::collections::BTreeSet<ObjectKey> = Default::default();
        if verb == "apply" && !server_side {
            for m in ordinal_engine::manifest::read(&text, &name).objects {
                let key = ObjectKey::new(m.kind, m.namespace.as_deref().unwrap_or(&ns), &m.name);
                let live = c.store().get(&key);
                if live.is_some_and(|o| {
                    !o.meta()
                        .annotations
                        .contains_key(ordinal_engine::api::LAST_APPLIED)
                }) {
                    unannotated.insert(key);
                }
            }
        }
        let run = c.manifest_as(how, &text, &name, &ns);
        for o in run.outcomes {
            let key = ObjectKey::new(o.kind, &o.namespace, &o.name);
            server_warnings(ctx, &mut out, o.kind);
            if unannotated.remove(&key) {
                out.push_stderr(&format!(
                    "Warning: resource {}/{} is missing the {} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
                    o.kind.info().plural,
                    o.name,
                    ordinal_engine::api::LAST_APPLIED
                ));
            }
            let operation = match o.result {
                Ok(ordinal_engine::api::ApplyAction::Created) if verb == "replace" => {
                    "replaced".to_string()
                }
                // Server-side apply reports one word for whatever it did.
                Ok(_) if server_side => "serverside-applied".to_string(),
                Ok(action) => action.to_string(),
                Err(e) => {
                    failed.push(e);
                    continue;
                }
            };
            let shown = c
                .store()
                .get(&key)
                .map(Object::to_json)
                .unwrap_or(Value::Null);
            if verb == "apply" && printer.prints_objects() {
                applied.push(shown);
                continue;
            }
            match printer.print(&shown, &operation) {
                Ok(text) => out.push_stdout(&text),
                Err(e) => {
                    out.push_stderr(&format!("{e}\n"));
                    out.status = 1;
                }
            }
        }
        unread.extend(run.unread);
    }
    // apply reads every file before sending anything, so what it could not read is reported first
    // (apply.go `Run`); create and replace send as they read and hear of unreadable documents last.
    let unread_first = verb == "apply";
    report_failures(&mut out, &unread, &failed, unread_first);
    if !applied.is_empty() {
        let shown = match applied.as_slice() {
            [one] => one.clone(),
            many => {
                serde_json::json!({"apiVersion": "v1", "items": many, "kind": "List", "metadata": {}})
            }
        };
        match printer.print(&shown, "") {
            Ok(text) => out.push_stdout(&text),
            Err(e) => return Outcome::err(e),
        }
    }
    out
}

/// Prints what a command that reads manifests returns to `CheckErr` (kubectl cmd/util/helpers.go `checkErr`):
/// the documents it could not read form one error aggregate (cli-runtime `EagerVisitorList`), each object the
/// server refused is one more error. A single error prints in its one-error form (`error: ...`,
/// `The StatefulSet "web" is invalid: ...`); several print one line each (`MultipleErrors`), where a nested
/// aggregate of several prints as `[a, b]`.
fn report_failures(
    out: &mut Outcome,
    unread: &[ordinal_engine::manifest::ManifestError],
    failed: &[ApiError],
    unread_first: bool,
) {
    if unread.is_empty() && failed.is_empty() {
        return;
    }
    out.status = 1;
    let text = match (unread, failed) {
        ([], [one]) => format!("{one}\n"),
        ([one], []) => format!("{one}\n"),
        (many, []) => many.iter().map(|e| format!("{}\n", e.message())).collect(),
        _ => {
            let messages: Vec<String> = unread.iter().map(|e| e.message()).collect();
            let nested =
                (!unread.is_empty()).then(|| ordinal_engine::manifest::go_aggregate(&messages));
            let lines = failed.iter().map(ApiError::line_among_several);
            let all: Vec<String> = if unread_first {
                nested.into_iter().chain(lines).collect()
            } else {
                lines.chain(nested).collect()
            };
            all.iter().map(|l| format!("{l}\n")).collect()
        }
    };
    out.push_stderr(&text);
}

/// `apply|create|replace --dry-run=client`: nothing is sent. apply says `created` for an object that is not
/// there and `configured` for one that is (it computes no patch), create says `created`, replace `replaced`;
/// `-o` prints the objects as the manifest has them.
fn apply_dry_run(
    c: &Cluster,
    ctx: &Context,
    docs: &[(String, String)],
    ns: &str,
    verb: &str,
    printer: &mut printer::ChangePrinter,
    mut out: Outcome,
) -> Outcome {
    let mut shown = Vec::new();
    for (name, text) in docs {
        let objects = match ordinal_engine::manifest::parse(text, name) {
            Ok(o) => o,
            Err(errors) => {
                for e in errors {
                    out.push_stderr(&format!("{e}\n"));
                }
                out.status = 1;
                continue;
            }
        };
        for m in objects {
            let namespace = if m.kind.info().namespaced {
                m.namespace.clone().unwrap_or_else(|| ns.to_string())
            } else {
                String::new()
            };
            // apply reads the live object even in a client dry run (create and replace send nothing).
            if verb == "apply" {
                server_warnings(ctx, &mut out, m.kind);
            }
            let exists = c
                .store()
                .get(&ObjectKey::new(m.kind, &namespace, &m.name))
                .is_some();
            let operation = match verb {
                "create" => "created",
                "replace" => "replaced",
                _ if exists => "configured",
                _ => "created",
            };
            let mut object = m.raw.clone();
            if m.kind.info().namespaced {
                if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.insert("namespace".into(), Value::String(namespace.clone()));
                }
            }
            if verb == "apply" && printer.prints_objects() {
                shown.push(object);
                continue;
            }
            match printer.print(&object, &format!("{operation} (dry run)")) {
                Ok(text) => out.push_stdout(&text),
                Err(e) => return Outcome::err(e),
            }
        }
    }
    if !shown.is_empty() {
        let value = match shown.as_slice() {
            [one] => one.clone(),
            many => {
                serde_json::json!({"apiVersion": "v1", "items": many, "kind": "List", "metadata": {}})
            }
        };
        match printer.print(&value, "") {
            Ok(text) => out.push_stdout(&text),
            Err(e) => return Outcome::err(e),
        }
    }
    out
}

pub(crate) const DELETE_FLAGS: &[Spec] = &[
    flag("filename", Some('f'), true),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("all-namespaces", Some('A'), false),
    optional("cascade", "background"),
    int("grace-period", None),
    flag("force", None, false),
    flag("now", None, false),
    flag("wait", None, false),
    flag("ignore-not-found", None, false),
    flag("recursive", Some('R'), false),
    flag("kustomize", Some('k'), true),
    optional("dry-run", "unchanged"),
];

fn delete(c: &mut Cluster, ctx: &Context, args: &[String], stdin: Option<&str>) -> Outcome {
    let p = match flags::parse(args, DELETE_FLAGS, "delete") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let (propagation, warning) = match cascading_strategy(p.get("cascade").unwrap_or("background"))
    {
        Ok(parsed) => parsed,
        Err(e) => return Outcome::err(e),
    };
    // Printed while the flags are read, so before anything else, whatever happens next; then Complete reads
    // --dry-run.
    let mut out = Outcome::warned(&warning);
    let dry_run = dry_run(&p, ctx);
    out.push_stderr(&take_klog(ctx, c.now()));
    let dry_run = match dry_run {
        Ok(d) => d,
        Err(e) => {
            out.append(Outcome::err(e).output);
            return out;
        }
    };
    let rest = delete_parsed(c, ctx, &p, propagation, dry_run, stdin);
    out.append(rest.output);
    out.wait = rest.wait;
    out
}

/// kubectl's `parseCascadingFlag`: the propagation `--cascade` asks for, and the warning it prints first. A
/// boolean still works (true is background, false orphan) but is deprecated.
fn cascading_strategy(cascade: &str) -> Result<(Propagation, String), String> {
    if let Some(boolean) = flags::parse_bool(cascade) {
        let (propagation, name) = if boolean {
            (Propagation::Background, "background")
        } else {
            (Propagation::Orphan, "orphan")
        };
        return Ok((
            propagation,
            format!("warning: --cascade={cascade} is deprecated (boolean value) and can be replaced with --cascade={name}.\n"),
        ));
    }
    let propagation = match cascade {
        "background" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" => Propagation::Orphan,
        other => {
            return Err(format!(
                "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            ))
        }
    };
    Ok((propagation, String::new()))
}

fn delete_parsed(
    c: &mut Cluster,
    ctx: &Context,
    p: &flags::Parsed,
    propagation: Propagation,
    dry_run: DryRun,
    stdin: Option<&str>,
) -> Outcome {
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let mut out = Outcome::default();
    let force = p.is_set("force");
    let mut grace = p.int("grace-period").filter(|g| *g >= 0);
    if p.is_set("now") {
        grace = Some(1);
    }
    if force && grace.is_none() {
        grace = Some(0);
    }
    // What to delete, and for each the file that named it (kubectl's `error when deleting "FILE"`).
    let mut keys: Vec<ObjectKey> = Vec::new();
    let mut sources: Vec<Option<String>> = Vec::new();
    let mut unread = Vec::new();
    let kustomization = p.get("kustomize");
    if !p.all("filename").is_empty() && kustomization.is_some() {
        return Outcome::err("error: only one of -f or -k can be specified");
    }
    if !p.all("filename").is_empty() || kustomization.is_some() {
        // `-k DIR` deletes what `apply -k DIR` made: the same build, hashed names and all.
        let docs = match kustomization {
            Some(dir) => match kustomize::build_with_warnings(ctx, dir) {
                Ok(built) => {
                    out.push_stderr(&built.warnings_text());
                    vec![(dir.to_string(), built.yaml)]
                }
                Err(e) => return Outcome::err(e),
            },
            None => match read_files(ctx, p.all("filename"), stdin, p.is_set("recursive")) {
                Ok(d) => d,
                Err(e) => return Outcome::err(e),
            },
        };
        // Like create, delete sends each readable document as it reads it; what it could not read does not
        // stop the others (cli-runtime `ContinueOnErrorVisitor`).
        for (name, text) in docs {
            let read = ordinal_engine::manifest::read(&text, &name);
            keys.extend(read.objects.iter().map(|o| {
                let ns = if o.kind.info().namespaced {
                    o.namespace.as_deref().unwrap_or(&ns)
                } else {
                    ""
                };
                ObjectKey::new(o.kind, ns, &o.name)
            }));
            sources.extend(read.objects.iter().map(|_| Some(name.clone())));
            unread.extend(read.errors);
        }
    } else {
        let requests = match targets(&p.args) {
            Ok(r) => r,
            Err(_) if p.args.is_empty() => return Outcome::err(MISSING_RESOURCES),
            Err(e) => return Outcome::err(e),
        };
        let selector = match p.get("selector").map(parse_selector).transpose() {
            Ok(s) => s,
            Err(e) => return Outcome::err(e),
        };
        for (kind, names) in requests {
            if names.is_empty() {
                if selector.is_none() && !p.is_set("all") {
                    return Outcome::err(
                        "error: resource(s) were provided, but no name was specified",
                    );
                }
                let scope = if kind.info().namespaced && !p.is_set("all-namespaces") {
                    Some(ns.as_str())
                } else {
                    None
                };
                keys.extend(
                    list_kind(c.store(), kind, scope)
                        .iter()
                        .filter(|o| {
                            selector
                                .as_ref()
                                .is_none_or(|s| s.matches(&o.meta().labels))
                        })
                        .map(ObjectKey::of),
                );
            } else {
                keys.extend(names.iter().map(|n| ObjectKey::new(kind, &ns, n)));
            }
        }
    }
    // delete.go Validate warns once the builder is made, before anything is deleted.
    if force && grace == Some(0) {
        out.push_stderr("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    if keys.is_empty() && unread.is_empty() {
        // DeleteResult found nothing to visit.
        out.push_stdout("No resources found\n");
        return out;
    }
    // Only a namespace given on the command line is "provided" (clientcmd's Namespace() override); kubectl
    // says so once, before the first cluster-scoped object it deletes.
    let mut warn_cluster_scope = p.get("namespace").is_some() && !p.is_set("all-namespaces");
    let mut waiting = Vec::new();
    let mut failed = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        let source = sources.get(i).cloned().flatten();
        if key.name.is_empty() {
            if let Some(source) = &source {
                failed.push(ApiError::Request(format!(
                    "error when deleting {source:?}: resource name may not be empty"
                )));
                continue;
            }
        }
        if dry_run != DryRun::Client {
            server_warnings(ctx, &mut out, key.kind);
        }
        if warn_cluster_scope && !key.kind.info().namespaced {
            out.push_stderr(
                "Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n",
            );
            warn_cluster_scope = false;
        }
        let opts = DeleteOptions {
            grace_period_seconds: grace,
            propagation,
        };
        let uid = c
            .store()
            .get(&key)
            .map(|o| o.meta().uid.clone())
            .unwrap_or_default();
        // A client dry run sends nothing (the named object is not even read); a server dry run is answered
        // as the delete would be, and nothing changes.
        let deleted = match dry_run {
            DryRun::None => c.delete(&key, opts),
            DryRun::Client => Ok(()),
            DryRun::Server => match c.store().get(&key) {
                Some(_) => Ok(()),
                None => Err(ApiError::not_found(key.kind, &key.name)),
            },
        };
        match deleted {
            Ok(()) => {
                // delete.go PrintObj.
                let what = format!("{} \"{}\"", key.kind.qualified_singular(), key.name);
                let mut operation = if force && grace == Some(0) {
                    "force deleted".to_string()
                } else {
                    "deleted".to_string()
                };
                if key.kind.info().namespaced {
                    operation.push_str(&format!(" from {} namespace", key.namespace));
                }
                out.push_stdout(&format!("{what} {operation}{}\n", dry_run.suffix()));
                if dry_run == DryRun::None {
                    waiting.push((key, uid));
                }
            }
            Err(ApiError::NotFound { .. }) if p.is_set("ignore-not-found") => {}
            Err(ApiError::NotFound { resource, name }) if source.is_some() => {
                let source = source.unwrap_or_default();
                failed.push(ApiError::NotFound {
                    resource: format!("error when deleting {source:?}: {resource}"),
                    name,
                });
            }
            Err(e) => failed.push(e),
        }
    }
    let clean = unread.is_empty() && failed.is_empty();
    report_failures(&mut out, &unread, &failed, false);
    // delete.go `DeleteResult` returns the visit's error before it waits for anything to go.
    if clean && (!p.given("wait") || p.is_set("wait")) && !waiting.is_empty() {
        out.wait = Some(Block::Gone(waiting));
    }
    out
}

pub(crate) const SCALE_FLAGS: &[Spec] = &[
    int("replicas", None),
    int("current-replicas", None),
    flag("resource-version", None, true),
    duration("timeout"),
    flag("filename", Some('f'), true),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    optional("dry-run", "unchanged"),
    flag("output", Some('o'), true),
    flag("template", None, true),
];

/// The objects `-f FILE…` names (read as `apply -f` reads them), in `ns` unless a document says otherwise.
pub(crate) fn keys_from_files(
    ctx: &Context,
    files: &[String],
    ns: &str,
    stdin: Option<&str>,
) -> Result<Vec<ObjectKey>, String> {
    let mut keys = Vec::new();
    for (name, text) in read_files(ctx, files, stdin, false)? {
        let objs = ordinal_engine::manifest::parse(&text, &name).map_err(|errs| {
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        for o in objs {
            let namespace = if o.kind.info().namespaced {
                o.namespace.as_deref().unwrap_or(ns)
            } else {
                ""
            };
            keys.push(ObjectKey::new(o.kind, namespace, &o.name));
        }
    }
    Ok(keys)
}

/// `kubectl scale` (scale.go and pkg/scale): `--current-replicas` and `--resource-version` are preconditions
/// checked against the object before anything changes (`Expected replicas to be 3, was 2`); `--timeout` waits
/// until the status has as many replicas as asked; a client dry run changes nothing and prints the object.
fn scale(c: &mut Cluster, ctx: &Context, args: &[String], stdin: Option<&str>) -> Outcome {
    let p = match flags::parse(args, SCALE_FLAGS, "scale") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let Some(replicas) = p.int("replicas") else {
        return Outcome::err("error: required flag(s) \"replicas\" not set");
    };
    let dry_run = match dry_run(&p, ctx) {
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    let mut printer = match printer::ChangePrinter::from_flags(&p, ctx) {
        Ok(printer) => printer,
        Err(e) => return Outcome::err(e),
    };
    let Ok(replicas) =
        i32::try_from(replicas)
            .map_err(|_| ())
            .and_then(|r| if r < 0 { Err(()) } else { Ok(r) })
    else {
        return Outcome::err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    };
    let current = p.int("current-replicas").unwrap_or(-1);
    if current < -1 {
        return Outcome::err(
            "error: The --current-replicas must specify an integer of -1 or greater",
        );
    }
    let ns = p.namespace(&ctx.namespace).to_string();
    let keys = if p.all("filename").is_empty() {
        patch::object_keys(c, &p.args, &ns, p.get("selector"), p.is_set("all"))
    } else {
        keys_from_files(ctx, p.all("filename"), &ns, stdin)
    };
    let keys = match keys {
        Ok(k) => k,
        Err(e) => return Outcome::err(e),
    };
    if keys.is_empty() {
        return Outcome::err("error: no objects passed to scale");
    }
    let resource_version = p.get("resource-version").filter(|v| !v.is_empty());
    if resource_version.is_some() && keys.len() > 1 {
        return Outcome::err("error: cannot use --resource-version with multiple resources");
    }
    let mut out = Outcome::default();
    let mut scaled = Vec::new();
    for key in keys {
        let Some(obj) = c.store().get(&key).cloned() else {
            out.push_stderr(&format!("{}\n", ApiError::not_found(key.kind, &key.name)));
            out.status = 1;
            continue;
        };
        let spec_replicas = match &obj {
            Object::StatefulSet(s) => s.spec.replicas.unwrap_or(1),
            Object::Deployment(d) => d.spec.replicas.unwrap_or(1),
            Object::ReplicaSet(r) => r.spec.replicas.unwrap_or(1),
            // No scale subresource: the request fails, and the command with it.
            _ => {
                out.push_stderr(
                    "Error from server (NotFound): the server could not find the requested resource\n",
                );
                out.status = 1;
                return out;
            }
        };
        // kubectl prints the object as it read it, before the scale.
        let shown = obj.to_json();
        if dry_run == DryRun::Client {
            match printer.print(&shown, &format!("scaled{}", dry_run.suffix())) {
                Ok(text) => out.push_stdout(&text),
                Err(e) => return Outcome::err(e),
            }
            continue;
        }
        // ScalePrecondition.validate: the first failure ends the command.
        if current != -1 && i64::from(spec_replicas) != current {
            out.push_stderr(&format!(
                "error: Expected replicas to be {current}, was {spec_replicas}\n"
            ));
            out.status = 1;
            return out;
        }
        if let Some(rv) = resource_version {
            if obj.meta().resource_version != rv {
                out.push_stderr(&format!(
                    "error: Expected resource version to be {rv}, was {}\n",
                    obj.meta().resource_version
                ));
                out.status = 1;
                return out;
            }
        }
        if dry_run == DryRun::None {
            if let Err(e) = scale_one(c, key.kind, &key.namespace, &key.name, replicas) {
                out.push_stderr(&format!("{e}\n"));
                out.status = 1;
                return out;
            }
        }
        match printer.print(&shown, &format!("scaled{}", dry_run.suffix())) {
            Ok(text) => scaled.push((key, text)),
            Err(e) => return Outcome::err(e),
        }
    }
    match p.duration_ms("timeout").filter(|t| *t > 0) {
        // scale.go waits (WaitForScaleHasDesiredReplicas) only for a real scale, and prints after it.
        Some(timeout_ms) if dry_run == DryRun::None && !scaled.is_empty() => {
            let (key, then) = scaled.remove(0);
            out.push_stdout(&scaled.into_iter().map(|(_, t)| t).collect::<String>());
            out.wait = Some(Block::Until {
                uid: c
                    .store()
                    .get(&key)
                    .map(|o| o.meta().uid.clone())
                    .unwrap_or_default(),
                timed_out: format!(
                    "error: timed out waiting for \"{}\" to be synced\n",
                    key.name
                ),
                key,
                condition: wait::Condition::Replicas(replicas),
                timeout_ms,
                then,
            });
        }
        _ => out.push_stdout(&scaled.into_iter().map(|(_, t)| t).collect::<String>()),
    }
    out
}

fn scale_one(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    replicas: i32,
) -> Result<String, ApiError> {
    if kind == Kind::StatefulSet {
        return c.scale(kind, ns, name, replicas);
    }
    let key = ObjectKey::new(kind, ns, name);
    let mut obj = c
        .store()
        .get(&key)
        .cloned()
        .ok_or_else(|| ApiError::not_found(kind, name))?;
    match &mut obj {
        Object::Deployment(d) => d.spec.replicas = Some(replicas),
        Object::ReplicaSet(r) => r.spec.replicas = Some(replicas),
        _ => {}
    }
    c.update(obj)?;
    Ok(format!("{}/{name} scaled", kind.qualified_singular()))
}

fn api_resources() -> Outcome {
    let mut rows: Vec<Vec<String>> = Kind::ALL
        .iter()
        .map(|k| {
            let i = k.info();
            vec![
                i.plural.to_string(),
                i.short_names.join(","),
                i.api_version.to_string(),
                i.namespaced.to_string(),
                i.kind.to_string(),
            ]
        })
        .collect();
    ordinal_api::sort::sort(&mut rows);
    Outcome::ok(table::render(
        &["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"],
        &rows,
    ))
}

/// Runs the clock one timer at a time while something is due within `limit_ms`, calling `each` after every
/// step until it answers true: how every command that waits in real kubectl waits here.
pub fn run_clock(cluster: &mut Cluster, limit_ms: u64, mut each: impl FnMut(&Cluster) -> bool) {
    // What the command's own requests set going comes first (in the browser it is left for later).
    cluster.finish_pending();
    let start = cluster.now();
    while cluster
        .next_timer()
        .is_some_and(|t| t.since(start) <= limit_ms)
        && cluster.step()
    {
        if each(cluster) {
            break;
        }
    }
}

/// Runs the clock until the object behind `key` is gone (finalizers, graceful termination), at most the time
/// a waiting kubectl command waits.
fn run_clock_until_gone(c: &mut Cluster, key: &ObjectKey) {
    if c.store().get(key).is_some() {
        run_clock(c, MAX_WAIT_MS, |c| c.store().get(key).is_none());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordinal_engine::ClusterConfig;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn setup() -> (Cluster, Context) {
        let mut ctx = Context::default();
        ctx.files.insert(
            "web.yaml".into(),
            include_str!("../../term/tests/fixtures/web.yaml").into(),
        );
        (Cluster::new(ClusterConfig::default()), ctx)
    }

    #[test]
    fn resource_names_resolve_like_kubectl() {
        for w in [
            "po",
            "pods",
            "pod",
            "Pod",
            "sts",
            "statefulset.apps",
            "statefulsets.apps",
            "pvc",
            "pv",
            "sc",
            "svc",
            "ep",
            "no",
            "ns",
            "cm",
        ] {
            assert!(resolve_kind(w).is_some(), "{w}");
        }
        assert!(resolve_kind("statefulsett").is_none());
    }

    #[test]
    fn apply_then_get_prints_real_columns() {
        let (mut c, ctx) = setup();
        let out = run(&mut c, &ctx, &argv("apply -f web.yaml"), None);
        assert_eq!(
            out.stdout(),
            "service/nginx created\nstatefulset.apps/web created\n"
        );
        c.run_until_idle();
        let out = run(&mut c, &ctx, &argv("get pods"), None).stdout();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "NAME    READY   STATUS    RESTARTS   AGE");
        assert!(
            lines[1].starts_with("web-0   1/1     Running   0          "),
            "{}",
            lines[1]
        );
        let out = run(&mut c, &ctx, &argv("get pvc"), None);
        assert!(out.stdout().starts_with("NAME        STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\nwww-web-0   Bound    pvc-"), "{}", out.stdout());
        let out = run(
            &mut c,
            &ctx,
            &argv("get sts web -o jsonpath={.status.readyReplicas}"),
            None,
        );
        assert_eq!(out.stdout(), "2");
        let out = run(&mut c, &ctx, &argv("get all"), None);
        assert!(out.stdout().contains("pod/web-0"));
        let text = out.stdout();
        let svc = text
            .lines()
            .find(|l| l.starts_with("service/nginx "))
            .unwrap();
        assert_eq!(
            svc.split_whitespace().take(5).collect::<Vec<_>>(),
            ["service/nginx", "ClusterIP", "None", "<none>", "80/TCP"]
        );
        // Groups are separated by a blank line, each with its own header.
        assert_eq!(
            out.stdout().matches("\n\nNAME").count(),
            2,
            "{}",
            out.stdout()
        );
        assert!(out.stdout().contains("statefulset.apps/web   2/2"));
    }

    #[test]
    fn field_selectors_filter_on_the_fields_the_server_indexes() {
        let (mut c, ctx) = setup();
        run(&mut c, &ctx, &argv("apply -f web.yaml"), None);
        c.advance(60_000);
        let out = run(
            &mut c,
            &ctx,
            &argv(
                "get pods --field-selector spec.nodeName=kind-worker,status.phase=Running -o name",
            ),
            None,
        );
        assert_eq!(out.stdout(), "pod/web-0\n");
        let out = run(
            &mut c,
            &ctx,
            &argv("get pods --field-selector metadata.name!=web-0 -o name"),
            None,
        );
        assert_eq!(out.stdout(), "pod/web-1\n");
        let out = run(
            &mut c,
            &ctx,
            &argv("get pods --field-selector foo=bar"),
            None,
        );
        assert!(
            out.stderr().ends_with("field label not supported: foo\n"),
            "{}",
            out.stderr()
        );
    }

    #[test]
    fn errors_are_kubectl_errors() {
        let (mut c, ctx) = setup();
        assert_eq!(
            run(&mut c, &ctx, &argv("get pods web-9"), None).stderr(),
            "Error from server (NotFound): pods \"web-9\" not found\n"
        );
        assert_eq!(
            run(&mut c, &ctx, &argv("get statefulsett"), None).stderr(),
            "error: the server doesn't have a resource type \"statefulsett\"\n"
        );
        assert_eq!(
            run(&mut c, &ctx, &argv("scale sts web --replica=3"), None).stderr(),
            "error: unknown flag: --replica\nSee 'kubectl scale --help' for usage.\n"
        );
        assert_eq!(
            run(&mut c, &ctx, &argv("get pods"), None).stderr(),
            "No resources found in default namespace.\n"
        );
    }

    #[test]
    fn scale_and_delete_print_their_lines_and_say_what_they_wait_for() {
        let (mut c, ctx) = setup();
        run(&mut c, &ctx, &argv("apply -f web.yaml"), None);
        c.run_until_idle();
        assert_eq!(
            run(&mut c, &ctx, &argv("scale sts web --replicas=3"), None).stdout(),
            "statefulset.apps/web scaled\n"
        );
        let out = run(&mut c, &ctx, &argv("delete pod web-0"), None);
        assert_eq!(
            out.stdout(),
            "pod \"web-0\" deleted from default namespace\n"
        );
        let key = ObjectKey::new(Kind::Pod, "default", "web-0");
        assert!(matches!(&out.wait, Some(Block::Gone(v)) if v.len() == 1 && v[0].0 == key));
        let out = run(
            &mut c,
            &ctx,
            &argv("delete pod web-1 --grace-period=0 --force"),
            None,
        );
        assert_eq!(
            out.printed(),
            [
                (shell::Stream::Stderr, "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n".to_string()),
                (shell::Stream::Stdout, "pod \"web-1\" force deleted from default namespace\n".to_string()),
            ]
        );
    }

    #[test]
    fn yaml_output_round_trips_through_apply() {
        let (mut c, ctx) = setup();
        run(&mut c, &ctx, &argv("apply -f web.yaml"), None);
        c.run_until_idle();
        let yaml = run(&mut c, &ctx, &argv("get sts web -o yaml"), None).stdout();
        assert!(
            yaml.starts_with("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n"),
            "{yaml}"
        );
        // Strings that would read back as numbers or timestamps are double-quoted, as yaml.v2 writes them.
        let rv = c
            .store()
            .get(&ObjectKey::new(Kind::StatefulSet, "default", "web"))
            .map(|o| o.meta().resource_version.clone());
        assert!(
            yaml.contains(&format!(
                "  resourceVersion: \"{}\"\n",
                rv.unwrap_or_default()
            )),
            "{yaml}"
        );
        assert!(yaml.contains("  creationTimestamp: \"2026-"), "{yaml}");
        let mut ctx2 = ctx.clone();
        ctx2.files.insert("saved.yaml".into(), yaml);
        let out = run(&mut c, &ctx2, &argv("apply -f saved.yaml"), None);
        assert_eq!(out.stderr(), "");
        assert!(
            out.stdout().starts_with("statefulset.apps/web "),
            "{}",
            out.stdout()
        );
    }
}
