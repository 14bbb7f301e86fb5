//! `kubectl rollout status|history|undo|restart` for StatefulSets and Deployments (k8s-behaviour.md 4.6, 4.7,
//! 1.11). `status` waits: it answers with [`Block::Rollout`] and the terminal re-evaluates it on every change
//! of the object, printing a line each time, as kubectl's watch does.

use serde_json::Value;

use crate::flags::{self, duration, flag, int, optional, Spec};
use crate::patch::{modify_json, object_keys, strategic_merge};
use crate::{Block, Context, Outcome};
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::{ControllerRevision, Kind, Object, ReplicaSet};
use ordinal_engine::store::{ObjectKey, Store};
use ordinal_engine::{POD_TEMPLATE_HASH, REVISION_ANNOTATION};

/// Each subcommand's flags (kubectl's rollout_*.go): one subcommand's flag is unknown to another.
pub(crate) const STATUS_FLAGS: &[Spec] = &[
    flag("watch", Some('w'), false),
    int("revision", None),
    duration("timeout"),
    flag("selector", Some('l'), true),
];
pub(crate) const HISTORY_FLAGS: &[Spec] =
    &[int("revision", None), flag("selector", Some('l'), true)];
pub(crate) const UNDO_FLAGS: &[Spec] = &[
    int("to-revision", None),
    optional("dry-run", "unchanged"),
    flag("selector", Some('l'), true),
];
pub(crate) const OTHER_FLAGS: &[Spec] = &[flag("selector", Some('l'), true)];

/// The flags of `kubectl rollout SUB`.
pub(crate) fn flags_of(sub: &str) -> &'static [Spec] {
    match sub {
        "status" => STATUS_FLAGS,
        "history" => HISTORY_FLAGS,
        "undo" => UNDO_FLAGS,
        _ => OTHER_FLAGS,
    }
}

/// `kubectl rollout SUBCOMMAND TYPE NAME`; flags may come before the subcommand (`rollout -n ns status …`).
pub(crate) fn rollout(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let all = [STATUS_FLAGS, HISTORY_FLAGS, UNDO_FLAGS, OTHER_FLAGS];
    let sub = flags::first_positional(args, &all).map(|i| (i, args[i].clone()));
    let Some((at, sub)) = sub else {
        return Outcome::err("error: Required resource not specified.\nSee 'kubectl rollout -h' for help and examples");
    };
    if !matches!(
        sub.as_str(),
        "status" | "history" | "undo" | "restart" | "pause" | "resume"
    ) {
        return Outcome::err(format!(
            "error: unknown command \"{sub}\" for \"kubectl rollout\"\nSee 'kubectl rollout -h' for help and examples"
        ));
    }
    let mut rest = args[..at].to_vec();
    rest.extend_from_slice(&args[at + 1..]);
    let p = match flags::parse(&rest, flags_of(&sub), &format!("rollout {sub}")) {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let ns = p.namespace(&ctx.namespace).to_string();
    if sub == "status" && p.int("revision").is_some_and(|r| r < 0) {
        return Outcome::err(format!(
            "error: revision must be a positive integer: {}",
            p.int("revision").unwrap_or(0)
        ));
    }
    let dry_run = match super::dry_run(&p, ctx) {
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    if p.args.is_empty() {
        return Outcome::err(
            "error: required resource not specified\nSee 'kubectl rollout -h' for help and examples",
        );
    }
    let keys = match object_keys(c, &p.args, &ns, p.get("selector"), false) {
        Ok(k) if k.is_empty() => {
            return Outcome::err(
                "error: required resource not specified\nSee 'kubectl rollout -h' for help and examples",
            )
        }
        Ok(k) => k,
        Err(e) => return Outcome::err(e),
    };
    let mut out = Outcome::default();
    for key in keys {
        if !matches!(key.kind, Kind::StatefulSet | Kind::Deployment) {
            out.push_stderr(&format!(
                "error: no {} found for {}\n",
                if sub == "status" {
                    "status viewer"
                } else {
                    "history viewer"
                },
                key.kind.info().kind
            ));
            out.status = 1;
            continue;
        }
        if c.store().get(&key).is_none() {
            out.push_stderr(&format!(
                "{}\n",
                ordinal_engine::api::ApiError::not_found(key.kind, &key.name)
            ));
            out.status = 1;
            continue;
        }
        let r = match sub.as_str() {
            "status" => status_command(
                c.store(),
                &key,
                !p.given("watch") || p.is_set("watch"),
                p.duration_ms("timeout").filter(|t| *t > 0),
                p.int("revision").unwrap_or(0),
            ),
            "history" => history(c.store(), &key, p.get("revision")),
            "undo" => undo(c, &key, p.int("to-revision").unwrap_or(0), dry_run),
            "restart" => restart(c, &key),
            _ => pause(c, &key, sub == "pause"),
        };
        let status = out.status.max(r.status);
        out.append(r.output);
        out.status = status;
        if r.wait.is_some() {
            out.wait = r.wait;
        }
    }
    out
}

/// One evaluation of `rollout status` (polymorphichelpers' status viewers): the line it prints and whether the
/// rollout is done. `revision` (`--revision`, 0 for any) pins a Deployment's revision.
pub fn status_line(obj: &Object, revision: i64) -> Result<(String, bool), String> {
    match obj {
        Object::StatefulSet(set) => {
            let strategy = set.spec.update_strategy.as_ref();
            if strategy
                .and_then(|s| s.type_.as_deref())
                .unwrap_or("RollingUpdate")
                != "RollingUpdate"
            {
                return Err(
                    "error: rollout status is only available for RollingUpdate strategy type"
                        .into(),
                );
            }
            let st = &set.status;
            let observed = st.observed_generation.unwrap_or(0);
            if observed == 0 || set.metadata.generation > observed {
                return Ok((
                    "Waiting for statefulset spec update to be observed...".into(),
                    false,
                ));
            }
            let replicas = set.spec.replicas.unwrap_or(1);
            if st.ready_replicas < replicas {
                return Ok((
                    format!(
                        "Waiting for {} pods to be ready...",
                        replicas - st.ready_replicas
                    ),
                    false,
                ));
            }
            match strategy.and_then(|s| s.rolling_update.as_ref()) {
                Some(ru) => {
                    let partition = ru.partition.unwrap_or(0);
                    let want = replicas - partition;
                    if st.updated_replicas < want {
                        Ok((format!("Waiting for partitioned roll out to finish: {} out of {want} new pods have been updated...", st.updated_replicas), false))
                    } else {
                        Ok((
                            format!(
                                "partitioned roll out complete: {} new pods have been updated...",
                                st.updated_replicas
                            ),
                            true,
                        ))
                    }
                }
                None if st.update_revision != st.current_revision => Ok((
                    format!(
                        "waiting for statefulset rolling update to complete {} pods at revision {}...",
                        st.updated_replicas, st.update_revision
                    ),
                    false,
                )),
                None => Ok((
                    format!(
                        "statefulset rolling update complete {} pods at revision {}...",
                        st.current_replicas, st.current_revision
                    ),
                    true,
                )),
            }
        }
        Object::Deployment(d) => {
            let name = &d.metadata.name;
            let st = &d.status;
            if revision > 0 {
                let running = d
                    .metadata
                    .annotations
                    .get(REVISION_ANNOTATION)
                    .map_or(Ok(0), |r| r.parse::<i64>());
                match running {
                    Ok(running) if running != revision => {
                        return Err(format!("error: desired revision ({revision}) is different from the running revision ({running})"))
                    }
                    Ok(_) => {}
                    Err(_) => {
                        return Err(format!(
                            "error: cannot get the revision of deployment \"{name}\""
                        ))
                    }
                }
            }
            if d.metadata.generation > st.observed_generation.unwrap_or(0) {
                return Ok((
                    "Waiting for deployment spec update to be observed...".into(),
                    false,
                ));
            }
            let replicas = d.spec.replicas.unwrap_or(1);
            let line = if st.updated_replicas < replicas {
                format!("Waiting for deployment \"{name}\" rollout to finish: {} out of {replicas} new replicas have been updated...", st.updated_replicas)
            } else if st.replicas > st.updated_replicas {
                format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...", st.replicas - st.updated_replicas)
            } else if st.available_replicas < st.updated_replicas {
                format!("Waiting for deployment \"{name}\" rollout to finish: {} of {} updated replicas are available...", st.available_replicas, st.updated_replicas)
            } else {
                return Ok((
                    format!("deployment \"{name}\" successfully rolled out"),
                    true,
                ));
            };
            Ok((line, false))
        }
        other => Err(format!(
            "error: no status viewer has been implemented for {}",
            other.kind().info().kind
        )),
    }
}

/// `rollout status`: the status line now, and with `--watch` (the default) a wait for the next ones, ended by
/// `--timeout` (kubectl's watch context: `error: timed out waiting for the condition`).
fn status_command(
    store: &Store,
    key: &ObjectKey,
    watch: bool,
    timeout_ms: Option<u64>,
    revision: i64,
) -> Outcome {
    let Some(obj) = store.get(key) else {
        return Outcome::err(
            ordinal_engine::api::ApiError::not_found(key.kind, &key.name).to_string(),
        );
    };
    match status_line(obj, revision) {
        Err(e) => Outcome::err(e),
        Ok((line, done)) => {
            let mut out = Outcome::ok(format!("{line}\n"));
            if watch && !done {
                out.wait = Some(Block::Rollout {
                    key: key.clone(),
                    revision,
                    timeout_ms,
                });
            }
            out
        }
    }
}

/// The set's revisions, oldest first.
fn set_revisions<'a>(store: &'a Store, key: &ObjectKey) -> Vec<&'a ControllerRevision> {
    let Some(owner) = store.get(key).map(Object::meta) else {
        return Vec::new();
    };
    let mut revs: Vec<&ControllerRevision> = store.controlled_by(owner).collect();
    ordinal_api::sort::by_key(&mut revs, |r| r.revision);
    revs
}

/// The Deployment's ReplicaSets with their revision numbers, oldest first.
fn deployment_revisions<'a>(store: &'a Store, key: &ObjectKey) -> Vec<(i64, &'a ReplicaSet)> {
    let Some(owner) = store.get(key).map(Object::meta) else {
        return Vec::new();
    };
    let mut revs: Vec<(i64, &ReplicaSet)> = store
        .controlled_by::<ReplicaSet>(owner)
        .filter_map(|r| {
            let n = r
                .metadata
                .annotations
                .get(REVISION_ANNOTATION)?
                .parse()
                .ok()?;
            Some((n, r))
        })
        .collect();
    ordinal_api::sort::by_key(&mut revs, |(n, _)| *n);
    revs
}

fn prefix(key: &ObjectKey) -> String {
    format!("{}/{}", key.kind.qualified_singular(), key.name)
}

/// Every revision's number, change cause and pod template (as JSON).
fn revisions_of(store: &Store, key: &ObjectKey) -> Vec<(i64, Option<String>, Value)> {
    const CAUSE: &str = "kubernetes.io/change-cause";
    if key.kind == Kind::StatefulSet {
        set_revisions(store, key)
            .into_iter()
            .map(|r| {
                let mut t = r
                    .data
                    .pointer("/spec/template")
                    .cloned()
                    .unwrap_or(Value::Null);
                if let Some(o) = t.as_object_mut() {
                    o.remove("$patch");
                }
                (r.revision, r.metadata.annotations.get(CAUSE).cloned(), t)
            })
            .collect()
    } else {
        deployment_revisions(store, key)
            .into_iter()
            .map(|(n, r)| {
                let mut t = serde_json::to_value(&r.spec.template).unwrap_or(Value::Null);
                if let Some(labels) = t
                    .pointer_mut("/metadata/labels")
                    .and_then(Value::as_object_mut)
                {
                    labels.remove(POD_TEMPLATE_HASH);
                }
                (n, r.metadata.annotations.get(CAUSE).cloned(), t)
            })
            .collect()
    }
}

fn history(store: &Store, key: &ObjectKey, revision: Option<&str>) -> Outcome {
    let revs = revisions_of(store, key);
    if let Some(n) = revision.filter(|r| *r != "0") {
        let Some((n, _, template)) = revs.iter().find(|(r, _, _)| r.to_string() == n) else {
            return Outcome::err("error: unable to find the specified revision");
        };
        let Ok(template) = ordinal_engine::model::decode(template.clone()) else {
            return Outcome::err("error: unable to find the specified revision");
        };
        return Outcome::ok(format!(
            "{} with revision #{n}\n{}",
            prefix(key),
            crate::describe::pod_template(&template)
        ));
    }
    if revs.is_empty() {
        return Outcome::ok("No rollout history found.\n".into());
    }
    let rows: Vec<Vec<String>> = revs
        .iter()
        .map(|(n, cause, _)| vec![n.to_string(), cause.clone().unwrap_or("<none>".into())])
        .collect();
    let mut text = format!("{} \n", prefix(key));
    text.push_str(&crate::table::render_tabbed(
        &["REVISION", "CHANGE-CAUSE"],
        &rows,
    ));
    text.push('\n');
    Outcome::ok(text)
}

fn undo(c: &mut Cluster, key: &ObjectKey, to: i64, dry_run: super::DryRun) -> Outcome {
    let revs = revisions_of(c.store(), key);
    let target = if to == 0 {
        if revs.len() <= 1 {
            return Outcome::err("error: no last revision to roll back to");
        }
        &revs[revs.len() - 2]
    } else {
        match revs.iter().find(|(n, _, _)| *n == to) {
            Some(r) => r,
            None => {
                return Outcome::err(format!(
                    "error: unable to find specified revision {to} in history"
                ))
            }
        }
    };
    let (n, _, template) = target;
    // A client dry run prints the template it would restore (rollback.go's printPodTemplate for a StatefulSet,
    // printTemplate, with the ReplicaSet's pod-template-hash, for a Deployment).
    if dry_run == super::DryRun::Client {
        let (lead, shown) = match key.kind {
            Kind::Deployment => (
                "",
                deployment_revisions(c.store(), key)
                    .into_iter()
                    .find(|(r, _)| r == n)
                    .and_then(|(_, rs)| serde_json::to_value(&rs.spec.template).ok())
                    .unwrap_or_else(|| template.clone()),
            ),
            _ => ("will roll back to ", template.clone()),
        };
        let Ok(shown) = ordinal_engine::model::decode(shown) else {
            return Outcome::err(format!(
                "error: unable to find specified revision {n} in history"
            ));
        };
        return Outcome::ok(format!(
            "{} {lead}{}{}\n",
            prefix(key),
            crate::describe::pod_template(&shown),
            dry_run.suffix()
        ));
    }
    if is_paused(c.store(), key) {
        return Outcome::err(
            "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
        );
    }
    let current = c
        .store()
        .get(key)
        .map(|o| o.to_json())
        .and_then(|v| v.pointer("/spec/template").cloned())
        .unwrap_or(Value::Null);
    let mut wanted = template.clone();
    if key.kind == Kind::Deployment {
        // The Deployment's own template carries no pod-template-hash; compare like with like.
        if let Some(labels) = wanted
            .pointer_mut("/metadata/labels")
            .and_then(Value::as_object_mut)
        {
            labels.remove(POD_TEMPLATE_HASH);
        }
    }
    if normalized(&current) == normalized(&wanted) {
        return Outcome::ok(format!(
            "{} skipped rollback (current template already matches revision {to}){}\n",
            prefix(key),
            dry_run.suffix()
        ));
    }
    if dry_run == super::DryRun::Server {
        return Outcome::ok(format!("{} rolled back{}\n", prefix(key), dry_run.suffix()));
    }
    let mut patch_template = wanted;
    if let Some(o) = patch_template.as_object_mut() {
        o.insert("$patch".into(), Value::String("replace".into()));
    }
    let patch = serde_json::json!({ "spec": { "template": patch_template } });
    match modify_json(c, key, |v| strategic_merge(v, &patch)) {
        Ok(_) => Outcome::ok(format!("{} rolled back\n", prefix(key))),
        Err(e) => Outcome::err(e),
    }
}

/// A template as JSON without the fields serialization may or may not write (empty maps).
fn normalized(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !matches!(x, Value::Object(o) if o.is_empty()) && !x.is_null())
                .map(|(k, x)| (k.clone(), normalized(x)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

fn restart(c: &mut Cluster, key: &ObjectKey) -> Outcome {
    if is_paused(c.store(), key) {
        return Outcome::err(format!(
            "error: {} \"{}\" can't restart paused deployment (run rollout resume first)",
            key.kind.qualified_plural(),
            key.name
        ));
    }
    let now = c.now().rfc3339();
    let r = modify_json(c, key, |v| {
        let patch = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {
            "kubectl.kubernetes.io/restartedAt": now
        }}}}});
        strategic_merge(v, &patch)
    });
    match r {
        Ok(_) => Outcome::ok(format!("{} restarted\n", prefix(key))),
        Err(e) => Outcome::err(e),
    }
}

/// Whether `key` is a Deployment with `spec.paused` set.
fn is_paused(store: &Store, key: &ObjectKey) -> bool {
    match store.get(key) {
        Some(Object::Deployment(d)) => d.spec.paused == Some(true),
        _ => false,
    }
}

/// `rollout pause` / `rollout resume`: only Deployments can be paused (kubectl's `defaultObjectPauser`); the
/// controller then leaves template changes alone until the Deployment is resumed.
fn pause(c: &mut Cluster, key: &ObjectKey, on: bool) -> Outcome {
    let verb = if on { "pause" } else { "resume" };
    let whose = format!("{} \"{}\"", key.kind.qualified_plural(), key.name);
    if key.kind != Kind::Deployment {
        return Outcome::err(format!("error: {whose} {verb}ing is not supported"));
    }
    if is_paused(c.store(), key) == on {
        let why = if on {
            "is already paused"
        } else {
            "is not paused"
        };
        return Outcome::err(format!("error: {whose} {why}"));
    }
    let patch = serde_json::json!({ "spec": { "paused": if on { Value::Bool(true) } else { Value::Null } } });
    match modify_json(c, key, |v| strategic_merge(v, &patch)) {
        Ok(_) => Outcome::ok(format!("{} {verb}d\n", prefix(key))),
        Err(e) => Outcome::err(e),
    }
}
