//! `kubectl wait`, and the node commands `cordon`, `uncordon` and `drain`: commands that block until the
//! cluster reaches a state, or that act on nodes picked by name or `--selector`. The waiting ones answer with a
//! [`Block`] that the terminal runs the clock for.

use serde_json::Value;

use crate::flags::{self, duration, flag, int, optional, Spec};
use crate::{jsonpath, Block, Context, DryRun, Outcome, Output};
use ordinal_engine::api::{ApiError, DeleteOptions};
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::{Kind, Node, Pod};
use ordinal_engine::store::{ObjectKey, Store};

/// What `kubectl wait --for=…` waits for.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `--for=condition=Ready` (`=false` and other values: that status).
    Condition { type_: String, status: String },
    /// `--for=delete`.
    Delete,
    /// `--for=jsonpath='{.status.phase}'=Running` (no value: the path exists).
    JsonPath { path: String, value: Option<String> },
    /// `--for=create`.
    Create,
    /// `scale --timeout`: `spec.replicas` and `status.replicas` are both this (scale.go's
    /// `scaleHasDesiredReplicas`); no `--for` names it.
    Replicas(i32),
}

impl Condition {
    fn parse(s: &str) -> Result<Condition, String> {
        if s == "delete" {
            return Ok(Condition::Delete);
        }
        if s == "create" {
            return Ok(Condition::Create);
        }
        if let Some(rest) = s.strip_prefix("condition=") {
            let (type_, status) = rest.split_once('=').unwrap_or((rest, "true"));
            return Ok(Condition::Condition {
                type_: type_.to_string(),
                status: status.to_string(),
            });
        }
        if let Some(rest) = s.strip_prefix("jsonpath=") {
            // wait.go processJSONPathInput: split on single `=` (`==` stays), relax the path as get does.
            let mut parts: Vec<String> = vec![String::new()];
            let chars: Vec<char> = rest.chars().collect();
            let mut k = 0;
            while k < chars.len() {
                if chars[k] == '=' && chars.get(k + 1) == Some(&'=') {
                    if let Some(last) = parts.last_mut() {
                        last.push_str("==");
                    }
                    k += 2;
                    continue;
                }
                if chars[k] == '=' {
                    parts.push(String::new());
                } else if let Some(last) = parts.last_mut() {
                    last.push(chars[k]);
                }
                k += 1;
            }
            if parts.len() > 2 {
                return Err("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'".into());
            }
            if parts[0].is_empty() {
                return Err("error: jsonpath expression cannot be empty".into());
            }
            let path = crate::printer::relaxed(&parts[0])?;
            let value = match parts.get(1) {
                None => None,
                Some(v) => {
                    let v = v.trim_matches(|c| c == '\'' || c == '"');
                    if v.is_empty() {
                        return Err("error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into());
                    }
                    Some(v.to_string())
                }
            };
            return Ok(Condition::JsonPath { path, value });
        }
        Err(format!("error: unrecognized condition: \"{s}\""))
    }

    /// Whether `obj` (absent: `None`) meets the condition.
    pub fn met(&self, obj: Option<&ordinal_engine::model::Object>) -> bool {
        match (self, obj) {
            (Condition::Delete, None) => true,
            (Condition::Delete, Some(_)) | (_, None) => false,
            (Condition::Create, Some(_)) => true,
            (Condition::Replicas(n), Some(o)) => {
                let v = o.to_json();
                let count = |p: &str| v.pointer(p).and_then(Value::as_i64).unwrap_or(0);
                count("/spec/replicas") == i64::from(*n)
                    && count("/status/replicas") == i64::from(*n)
            }
            (Condition::Condition { type_, status }, Some(o)) => {
                let v = o.to_json();
                v.pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .is_some_and(|cs| {
                        cs.iter().any(|c| {
                            c["type"]
                                .as_str()
                                .is_some_and(|t| t.eq_ignore_ascii_case(type_))
                                && c["status"]
                                    .as_str()
                                    .is_some_and(|s| s.eq_ignore_ascii_case(status))
                        })
                    })
            }
            (Condition::JsonPath { path, value }, Some(o)) => {
                match jsonpath::render(path, &o.to_json()) {
                    Ok(got) => match value {
                        Some(want) => got == *want,
                        None => !got.is_empty(),
                    },
                    Err(_) => false,
                }
            }
        }
    }
}

pub(crate) const WAIT_FLAGS: &[Spec] = &[
    flag("for", None, true),
    duration("timeout"),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("all-namespaces", Some('A'), false),
    flag("filename", Some('f'), true),
];

/// `kubectl wait (TYPE NAME | TYPE/NAME | TYPE -l SEL | TYPE --all) --for=… [--timeout=30s]`.
pub fn wait(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, WAIT_FLAGS, "wait") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let Some(spec) = p.get("for") else {
        return Outcome::err("error: --for must be specified");
    };
    let condition = match Condition::parse(spec) {
        Ok(cond) => cond,
        Err(e) => return Outcome::err(e),
    };
    let timeout_ms = p.duration_ms("timeout").unwrap_or(30_000);
    let ns = p.namespace(&ctx.namespace).to_string();
    let keys = if p.all("filename").is_empty() {
        crate::patch::object_keys_in(
            c,
            &p.args,
            &ns,
            p.is_set("all-namespaces"),
            p.get("selector"),
            p.is_set("all"),
        )
    } else {
        crate::keys_from_files(ctx, p.all("filename"), &ns, None)
    };
    let keys = match keys {
        Ok(k) => k,
        Err(e) => return Outcome::err(e),
    };
    if keys.is_empty() {
        return Outcome::err("error: no matching resources found");
    }
    let mut out = Outcome::default();
    let mut targets = Vec::new();
    for key in keys {
        let obj = c.store().get(&key);
        match (obj, &condition) {
            (None, Condition::Delete) => {
                out.push_stdout(&format!("{} condition met\n", name_of(&key)));
            }
            (None, Condition::Create) => targets.push((key, String::new())),
            (None, _) => {
                out.push_stderr(&format!("{}\n", ApiError::not_found(key.kind, &key.name)));
                out.status = 1;
            }
            (Some(o), _) => {
                let uid = o.meta().uid.clone();
                targets.push((key, uid));
            }
        }
    }
    if !targets.is_empty() {
        out.wait = Some(Block::Condition {
            targets,
            condition,
            timeout_ms,
        });
    }
    out
}

/// `pod/web-0`, as kubectl names objects in its answers.
pub fn name_of(key: &ObjectKey) -> String {
    format!("{}/{}", key.kind.qualified_singular(), key.name)
}

/// Whether `key` (with `uid`, when known) meets `condition` now. A replacement with another uid counts as the
/// original being deleted.
pub fn check(store: &Store, key: &ObjectKey, uid: &str, condition: &Condition) -> bool {
    let obj = store
        .get(key)
        .filter(|o| uid.is_empty() || o.meta().uid == uid);
    condition.met(obj)
}

pub(crate) const CORDON_FLAGS: &[Spec] = &[
    flag("selector", Some('l'), true),
    optional("dry-run", "unchanged"),
];

pub(crate) const DRAIN_FLAGS: &[Spec] = &[
    flag("ignore-daemonsets", None, false),
    flag("delete-emptydir-data", None, false),
    flag("force", None, false),
    int("grace-period", None),
    duration("timeout"),
    flag("pod-selector", None, true),
    flag("disable-eviction", None, false),
    int("skip-wait-for-delete-timeout", None),
    int("chunk-size", None),
    optional("dry-run", "unchanged"),
    flag("selector", Some('l'), true),
];

/// The nodes `cordon`, `uncordon` and `drain` act on (drain.go's `Complete`): the names given, or with
/// `--selector` every node whose labels match, never both.
fn nodes_for(c: &Cluster, p: &flags::Parsed, verb: &str) -> Result<Vec<String>, String> {
    let usage = format!("See 'kubectl {verb} -h' for help and examples");
    let selector = p.get("selector").filter(|s| !s.is_empty());
    if p.args.is_empty() && !p.given("selector") {
        return Err(format!("error: USAGE: {verb} NODE [flags]\n{usage}"));
    }
    if !p.args.is_empty() && selector.is_some() {
        return Err(format!(
            "error: error: cannot specify both a node name and a --selector option\n{usage}"
        ));
    }
    if p.args.is_empty() {
        let Some(selector) = selector else {
            // An empty --selector names nothing: the builder has no names and no selector.
            return Err("error: resource(s) were provided, but no name was specified".into());
        };
        let sel = crate::parse_selector(selector)?;
        return Ok(c
            .store()
            .list::<Node>(None)
            .filter(|n| sel.matches(&n.metadata.labels))
            .map(|n| n.metadata.name.clone())
            .collect());
    }
    let mut nodes = Vec::new();
    for arg in &p.args {
        let name = arg
            .strip_prefix("node/")
            .or_else(|| arg.strip_prefix("nodes/"))
            .unwrap_or(arg);
        if c.store().get_typed::<Node>("", name).is_none() {
            return Err(ApiError::not_found(Kind::Node, name).to_string());
        }
        nodes.push(name.to_string());
    }
    Ok(nodes)
}

/// Marks `nodes` (un)schedulable as `RunCordonOrUncordon` does: `node/N cordoned`, or `already cordoned` when
/// nothing changes; a client dry run changes nothing.
fn cordon_nodes(c: &mut Cluster, nodes: &[String], on: bool, dry_run: DryRun) -> Outcome {
    let verb = if on { "cordon" } else { "uncordon" };
    let mut out = Outcome::default();
    for node in nodes {
        let was = c
            .store()
            .get_typed::<Node>("", node)
            .map(Node::is_unschedulable);
        let line = if was == Some(on) {
            format!("node/{node} already {verb}ed{}\n", dry_run.suffix())
        } else {
            if dry_run == DryRun::None {
                if let Err(e) = c.cordon(node, on) {
                    out.push_stderr(&format!("error: unable to {verb} node \"{node}\": {e}\n"));
                    continue;
                }
            }
            format!("node/{node} {verb}ed{}\n", dry_run.suffix())
        };
        out.push_stdout(&line);
    }
    out
}

/// `kubectl cordon|uncordon NODE` or `-l SELECTOR`.
pub fn cordon(c: &mut Cluster, ctx: &Context, args: &[String], on: bool) -> Outcome {
    let verb = if on { "cordon" } else { "uncordon" };
    let p = match flags::parse(args, CORDON_FLAGS, verb) {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let dry_run = match crate::dry_run(&p, ctx) {
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    match nodes_for(c, &p, verb) {
        Ok(nodes) => cordon_nodes(c, &nodes, on, dry_run),
        Err(e) => Outcome::err(e),
    }
}

/// One node of a drain (drain.go `RunDrain`, node after node): what kubectl prints before its pods are gone
/// (the node's warnings on stderr, `evicting pod …` on stdout), the pods it waits for (printing
/// [`DrainStep::finished`] as each goes), what it prints once they are all gone (`node/… drained`). A node
/// whose pods cannot be drained prints its error instead and is `failed`.
#[derive(Debug, Clone, PartialEq)]
pub struct DrainStep {
    pub node: String,
    pub before: Output,
    pub gone: Vec<(ObjectKey, String)>,
    pub after: Output,
    /// Evicted (the default) rather than deleted (`--disable-eviction`), for the messages.
    pub eviction: bool,
    pub failed: Option<DrainFailure>,
}

impl DrainStep {
    /// drain.go `onPodDeletionOrEvictionFinished`: the line for a pod the node waited for, once it is gone.
    pub fn finished(&self, pod: &ObjectKey) -> String {
        let verb = if self.eviction { "evicted" } else { "deleted" };
        format!("pod/{} {verb}\n", pod.name)
    }
}

/// Why a node could not be drained: its error as `%v` prints it (an aggregate in brackets), and as CheckErr
/// prints it when it is the only one (an aggregate's errors each on a line).
#[derive(Debug, Clone, PartialEq)]
pub struct DrainFailure {
    pub node: String,
    pub aggregate: String,
    pub lines: String,
}

/// What a drain prints for a node when `--timeout` passes before its pods are gone (drain.go's
/// `deleteOrEvictPodsSimple` with the wait's `context deadline exceeded`: evictions fail pod by pod, in an
/// aggregate; deletions with the one wait), and the node's failure.
pub fn drain_timed_out(step: &DrainStep, pending: &[&ObjectKey]) -> (String, DrainFailure) {
    let errors: Vec<String> = pending
        .iter()
        .map(|k| {
            if step.eviction {
                format!(
                    "error when waiting for pod \"{}\" in namespace \"{}\" to terminate: context deadline exceeded",
                    k.name, k.namespace
                )
            } else {
                "context deadline exceeded".to_string()
            }
        })
        .collect();
    let err = if step.eviction && errors.len() > 1 {
        format!("[{}]", errors.join(", "))
    } else {
        errors.first().cloned().unwrap_or_default()
    };
    let mut text = format!(
        "There are pending pods in node \"{}\" when an error occurred: {err}\n",
        step.node
    );
    for k in pending {
        text.push_str(&format!("pod/{}\n", k.name));
    }
    text.push_str(&drain_node_error(&step.node, &err));
    let lines = if step.eviction {
        errors.join("\n")
    } else {
        format!("error: {err}")
    };
    let failure = DrainFailure {
        node: step.node.clone(),
        aggregate: err,
        lines,
    };
    (text, failure)
}

/// `RunDrain`'s line for a node it could not drain; it goes on with the next one.
fn drain_node_error(node: &str, err: &str) -> String {
    format!("error: unable to drain node \"{node}\" due to error: {err}, continuing command...\n")
}

/// What `RunDrain` prints once every node was tried, when some could not be drained: the nodes, then
/// CheckErr on the aggregate of their aggregates (one node's errors each on a line; several nodes' each as
/// its aggregate reads). Exit status 1.
pub fn drain_end(failed: &[DrainFailure]) -> Output {
    let mut out = Output::default();
    if failed.is_empty() {
        return out;
    }
    out.push_stderr("There are pending nodes to be drained:\n");
    for f in failed {
        out.push_stderr(&format!(" {}\n", f.node));
    }
    let errs: Vec<&str> = match failed {
        [one] => vec![one.lines.as_str()],
        many => many.iter().map(|f| f.aggregate.as_str()).collect(),
    };
    out.push_stderr(&format!("{}\n", errs.join("\n")));
    out.status = 1;
    out
}

/// `kubectl drain NODE|-l SELECTOR [--ignore-daemonsets] [--delete-emptydir-data] [--force] …` (drain.go and
/// pkg/drain): cordon, then evict (or with `--disable-eviction` delete) every pod on each node that the
/// filters let go, waiting for them to be gone, at most `--timeout`. StatefulSet pods come back with the same
/// names elsewhere, when their volumes allow.
pub fn drain(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, DRAIN_FLAGS, "drain") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let nodes = match nodes_for(c, &p, "drain") {
        Ok(n) => n,
        Err(e) => return Outcome::err(e),
    };
    let dry_run = match crate::dry_run(&p, ctx) {
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    let pod_selector = match p.get("pod-selector").filter(|s| !s.is_empty()) {
        Some(s) => match crate::parse_selector(s) {
            Ok(sel) => Some(sel),
            Err(_) => {
                return Outcome::err(
                    "error: --pod-selector=<pod_selector> must be a valid label selector",
                )
            }
        },
        None => None,
    };
    // Every node is cordoned first, then drained one by one.
    let mut out = cordon_nodes(c, &nodes, true, dry_run);
    let eviction = !p.is_set("disable-eviction");
    let grace = p.int("grace-period").filter(|g| *g >= 0);
    let steps: Vec<DrainStep> = nodes
        .iter()
        .map(|node| drain_node(c, &p, node, pod_selector.as_ref(), dry_run, eviction, grace))
        .collect();
    if steps.iter().all(|s| s.gone.is_empty()) {
        let mut failed = Vec::new();
        for step in steps {
            out.append(step.before);
            out.append(step.after);
            failed.extend(step.failed);
        }
        out.append(drain_end(&failed));
        return out;
    }
    out.wait = Some(Block::Drain {
        steps,
        timeout_ms: p.duration_ms("timeout").filter(|t| *t > 0),
    });
    out
}

/// One node's pods through pkg/drain's filters (`GetPodsForDeletion`), in its order: DaemonSet pods, mirror
/// pods, local storage, unreplicated pods; then the evictions, or why the node cannot be drained.
fn drain_node(
    c: &mut Cluster,
    p: &flags::Parsed,
    node: &str,
    pod_selector: Option<&ordinal_engine::model::LabelSelector>,
    dry_run: DryRun,
    eviction: bool,
    grace: Option<i64>,
) -> DrainStep {
    let mut step = DrainStep {
        node: node.to_string(),
        before: Output::default(),
        gone: Vec::new(),
        after: Output::default(),
        eviction,
        failed: None,
    };
    let pods: Vec<Pod> = c
        .store()
        .list::<Pod>(None)
        .filter(|pod| pod.spec.node_name.as_deref() == Some(node) && !pod.is_terminal())
        .filter(|pod| pod_selector.is_none_or(|s| s.matches(&pod.metadata.labels)))
        .cloned()
        .collect();
    let emptydir = p.is_set("delete-emptydir-data");
    let ignore_daemonsets = p.is_set("ignore-daemonsets");
    let skip_after = p.int("skip-wait-for-delete-timeout").filter(|s| *s > 0);
    let now = c.now();
    // A pod the first failing filter stops is not evicted; one a filter skips is left on the node.
    let mut daemon = Vec::new();
    let mut ignored = Vec::new();
    let mut unmanaged = Vec::new();
    let mut unmanaged_forced = Vec::new();
    let mut local = Vec::new();
    let mut evict = Vec::new();
    for pod in pods {
        let id = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
        let owner = pod.metadata.controller_ref();
        if owner.is_some_and(|o| o.kind == "DaemonSet") {
            if ignore_daemonsets {
                ignored.push(id);
            } else {
                daemon.push(id);
            }
            continue;
        }
        if pod
            .metadata
            .annotations
            .contains_key("kubernetes.io/config.mirror")
        {
            continue;
        }
        if pod.spec.volumes.iter().any(|v| v.empty_dir.is_some()) && !emptydir {
            local.push(id);
            continue;
        }
        if owner.is_none() {
            if p.is_set("force") {
                unmanaged_forced.push(id);
            } else {
                unmanaged.push(id);
                continue;
            }
        }
        evict.push(pod);
    }
    let mut problems = Vec::new();
    if !daemon.is_empty() {
        problems.push(format!(
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}",
            daemon.join(", ")
        ));
    }
    if !unmanaged.is_empty() {
        problems.push(format!(
            "cannot delete Pods that declare no controller (use --force to override): {}",
            unmanaged.join(", ")
        ));
    }
    if !local.is_empty() {
        problems.push(format!(
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): {}",
            local.join(", ")
        ));
    }
    if !problems.is_empty() {
        // utilerrors' aggregate: one error as it is, several in brackets; then each on its own line.
        let list = if problems.len() == 1 {
            problems[0].clone()
        } else {
            format!("[{}]", problems.join(", "))
        };
        step.before.push_stderr(&drain_node_error(node, &list));
        step.failed = Some(DrainFailure {
            node: node.to_string(),
            aggregate: list,
            lines: problems.join("\n"),
        });
        return step;
    }
    let mut warnings = Vec::new();
    if !unmanaged_forced.is_empty() {
        warnings.push(format!(
            "deleting Pods that declare no controller: {}",
            unmanaged_forced.join(", ")
        ));
    }
    if !ignored.is_empty() {
        warnings.push(format!(
            "ignoring DaemonSet-managed Pods: {}",
            ignored.join(", ")
        ));
    }
    if !warnings.is_empty() {
        step.before
            .push_stderr(&format!("Warning: {}\n", warnings.join("; ")));
    }
    for pod in &evict {
        let key = ObjectKey::new(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name);
        match dry_run {
            DryRun::Client => {
                step.before.push_stdout(&format!(
                    "evicting pod {}/{} (dry run)\n",
                    pod.metadata.namespace, pod.metadata.name
                ));
                continue;
            }
            DryRun::Server if eviction => {
                step.before.push_stdout(&format!(
                    "evicting pod {}/{} (server dry run)\n",
                    pod.metadata.namespace, pod.metadata.name
                ));
                continue;
            }
            DryRun::Server => continue,
            DryRun::None => {}
        }
        if eviction {
            step.before.push_stdout(&format!(
                "evicting pod {}/{}\n",
                pod.metadata.namespace, pod.metadata.name
            ));
        }
        // --skip-wait-for-delete-timeout: a pod already terminating for longer is not waited for.
        let stale = skip_after.is_some_and(|s| {
            pod.metadata
                .deletion_timestamp
                .is_some_and(|t| now.since(t) > u64::try_from(s).unwrap_or(0) * 1_000)
        });
        let opts = DeleteOptions {
            grace_period_seconds: grace,
            ..DeleteOptions::default()
        };
        if c.delete(&key, opts).is_ok() {
            if stale {
                step.before.push_stdout(&format!(
                    "pod \"{}\" has DeletionTimestamp older than {} seconds, skipping\n",
                    pod.metadata.name,
                    skip_after.unwrap_or(0)
                ));
                continue;
            }
            step.gone.push((key, pod.metadata.uid.clone()));
        }
    }
    step.after
        .push_stdout(&format!("node/{node} drained{}\n", dry_run.suffix()));
    step
}
