//! `kubectl wait` and `kubectl drain`: commands that block until the cluster reaches a state. Both answer with
//! a [`Wait`] that the terminal runs the clock for.

use serde_json::Value;

use crate::api::{ApiError, DeleteOptions};
use crate::cluster::Cluster;
use crate::kubectl::flags::{self, flag, Spec};
use crate::kubectl::patch::object_keys;
use crate::kubectl::{jsonpath, Context, Output, Wait};
use crate::model::{Kind, Node, Pod};
use crate::store::{ObjectKey, Store};

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
            // `{.status.phase}=Running`: the value follows the closing brace.
            let (path, value) = match rest.rfind('}') {
                Some(i) => (&rest[..=i], rest[i + 1..].strip_prefix('=')),
                None => (rest, None),
            };
            let path = if path.starts_with('{') {
                path.to_string()
            } else {
                format!("{{{path}}}")
            };
            return Ok(Condition::JsonPath {
                path,
                value: value.map(str::to_string),
            });
        }
        Err(format!("error: unrecognized condition: \"{s}\""))
    }

    /// Whether `obj` (absent: `None`) meets the condition.
    pub fn met(&self, obj: Option<&crate::model::Object>) -> bool {
        match (self, obj) {
            (Condition::Delete, None) => true,
            (Condition::Delete, Some(_)) | (_, None) => false,
            (Condition::Create, Some(_)) => true,
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

const WAIT_FLAGS: &[Spec] = &[
    flag("for", None, true),
    flag("timeout", None, true),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("all-namespaces", Some('A'), false),
    flag("filename", Some('f'), true),
];

/// `kubectl wait (TYPE NAME | TYPE/NAME | TYPE -l SEL | TYPE --all) --for=… [--timeout=30s]`.
pub fn wait(c: &mut Cluster, ctx: &Context, args: &[String]) -> Output {
    let p = match flags::parse(args, WAIT_FLAGS, "wait") {
        Ok(p) => p,
        Err(e) => return Output::err(e),
    };
    let Some(spec) = p.get("for") else {
        return Output::err("error: --for must be specified");
    };
    let condition = match Condition::parse(spec) {
        Ok(cond) => cond,
        Err(e) => return Output::err(e),
    };
    let timeout_ms = match p.get("timeout") {
        None => 30_000,
        Some(t) => match crate::kubectl::terminal::parse_duration_ms(t) {
            Some(ms) => ms,
            None => {
                return Output::err(format!(
                    "error: invalid argument \"{t}\" for \"--timeout\" flag: time: missing unit in duration \"{t}\""
                ))
            }
        },
    };
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let keys = match object_keys(c, &p.args, &ns, p.get("selector"), p.is_set("all")) {
        Ok(k) => k,
        Err(e) => return Output::err(e),
    };
    if keys.is_empty() {
        return Output::err("error: no matching resources found");
    }
    let mut out = Output::default();
    let mut targets = Vec::new();
    for key in keys {
        let obj = c.store().get(&key);
        match (obj, &condition) {
            (None, Condition::Delete) => {
                out.stdout
                    .push_str(&format!("{} condition met\n", name_of(&key)));
            }
            (None, Condition::Create) => targets.push((key, String::new())),
            (None, _) => {
                out.stderr
                    .push_str(&format!("{}\n", ApiError::not_found(key.kind, &key.name)));
                out.status = 1;
            }
            (Some(o), _) => {
                let uid = o.meta().uid.clone();
                targets.push((key, uid));
            }
        }
    }
    if !targets.is_empty() {
        out.wait = Some(Wait::Condition {
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

const DRAIN_FLAGS: &[Spec] = &[
    flag("ignore-daemonsets", None, false),
    flag("delete-emptydir-data", None, false),
    flag("delete-local-data", None, false),
    flag("force", None, false),
    flag("grace-period", None, true),
    flag("timeout", None, true),
    flag("pod-selector", None, true),
    flag("disable-eviction", None, false),
    flag("dry-run", None, true),
    flag("selector", Some('l'), true),
];

/// `kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]`: cordon, then evict every
/// pod on the node (StatefulSet pods come back with the same names elsewhere, when their volumes allow).
pub fn drain(c: &mut Cluster, args: &[String]) -> Output {
    let p = match flags::parse(args, DRAIN_FLAGS, "drain") {
        Ok(p) => p,
        Err(e) => return Output::err(e),
    };
    let Some(node) = p.args.first().cloned() else {
        return Output::err(
            "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples",
        );
    };
    let mut out = Output::default();
    if p.is_set("delete-local-data") {
        out.warnings.push_str("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n");
    }
    if c.store().get_typed::<Node>("", &node).is_none() {
        return Output {
            warnings: out.warnings,
            stderr: format!("{}\n", ApiError::not_found(Kind::Node, &node)),
            status: 1,
            ..Output::default()
        };
    }
    let cordon = crate::kubectl::run(
        c,
        &Context::default(),
        &["cordon".to_string(), node.clone()],
        None,
    );
    out.stdout.push_str(&cordon.stdout);
    let pods: Vec<Pod> = c
        .store()
        .list::<Pod>(None)
        .filter(|pod| pod.spec.node_name.as_deref() == Some(node.as_str()) && !pod.is_terminal())
        .cloned()
        .collect();
    let emptydir = p.is_set("delete-emptydir-data") || p.is_set("delete-local-data");
    let ignore_daemonsets = p.is_set("ignore-daemonsets");
    // `pkg/drain/filters.go`, in its order: DaemonSet pods, mirror pods, local storage, unreplicated pods.
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
    let pods = evict;
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
        // utilerrors' aggregate: one error as it is, several in brackets.
        let list = if problems.len() == 1 {
            problems[0].clone()
        } else {
            format!("[{}]", problems.join(", "))
        };
        out.stderr.push_str(&format!(
            "error: unable to drain node \"{node}\" due to error: {list}, continuing command...\nThere are pending nodes to be drained:\n {node}\n{}\n",
            problems.join("\n")
        ));
        out.status = 1;
        return out;
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
        out.warnings
            .push_str(&format!("Warning: {}\n", warnings.join("; ")));
    }
    let grace = p
        .get("grace-period")
        .and_then(|g| g.parse::<i64>().ok())
        .filter(|g| *g >= 0);
    let mut gone = Vec::new();
    let mut after = String::new();
    for pod in &pods {
        out.stdout.push_str(&format!(
            "evicting pod {}/{}\n",
            pod.metadata.namespace, pod.metadata.name
        ));
        let key = ObjectKey::new(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name);
        let opts = DeleteOptions {
            grace_period_seconds: grace,
            ..DeleteOptions::default()
        };
        if c.delete(&key, opts).is_ok() {
            gone.push((key, pod.metadata.uid.clone()));
            after.push_str(&format!("pod/{} evicted\n", pod.metadata.name));
        }
    }
    after.push_str(&format!("node/{node} drained\n"));
    out.wait = Some(Wait::Then { gone, then: after });
    out
}
