//! The Deployment controller, basic: one ReplicaSet per pod template (named by the template's hash, so
//! pods are `<deployment>-<hash>-<random>`), rolling updates within maxSurge / maxUnavailable, and Recreate
//! (`pkg/controller/deployment`).

use std::sync::Arc;

use crate::controllers::{Controller, Decision, View};
use crate::events::{EventType, Source};
use crate::model::meta::IntOrString;
use crate::model::storage::ObjectReference;
use crate::model::workloads::{DeploymentStatus, ReplicaSetSpec};
use crate::model::{Deployment, Kind, Object, ObjectMeta, OwnerReference, ReplicaSet};
use crate::store::{ObjectKey, WatchEventType};

const SOURCE: Source = Source::component("deployment-controller");
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";

/// `ComputeHash`: FNV-32a of the template plus the collision count, safe-encoded.
pub(crate) fn template_hash(d: &Deployment) -> String {
    let data = serde_json::to_string(&d.spec.template).unwrap_or_default();
    let mut h: u32 = 0x811c_9dc5;
    for b in data.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    crate::rng::safe_encode_hash(h)
}

/// A percentage of `total`, rounded up (surge) or down (unavailable), or the absolute value.
fn resolve(v: Option<&IntOrString>, total: i32, round_up: bool, default_pct: i64) -> i32 {
    let pct = |p: i64| {
        let x = i64::from(total) * p;
        (if round_up { (x + 99) / 100 } else { x / 100 }) as i32
    };
    match v {
        None => pct(default_pct),
        Some(IntOrString::Int(n)) => *n as i32,
        Some(IntOrString::String(s)) => pct(s.trim_end_matches('%').parse().unwrap_or(default_pct)),
    }
}

/// The ReplicaSets `d` owns: a range scan over `<deployment>-*`.
fn owned_replica_sets(v: &View, d: &Deployment) -> Vec<ReplicaSet> {
    v.store
        .controlled_by::<ReplicaSet>(&d.metadata)
        .cloned()
        .collect()
}

/// The Deployment controller. It remembers nothing between syncs.
#[derive(Debug, Default)]
pub struct DeploymentController;

impl Controller for DeploymentController {
    /// A Deployment's own changes, and those of the ReplicaSets it controls.
    fn route(&mut self, _: &View, _: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        match &**obj {
            Object::Deployment(_) => d.queue(ObjectKey::of(obj)),
            Object::ReplicaSet(rs) => {
                if let Some(key) = super::controller_key(&rs.metadata, Kind::Deployment) {
                    d.queue(key);
                }
            }
            _ => {}
        }
        d
    }

    fn reconcile(&mut self, v: &View, key: &ObjectKey) -> Decision {
        sync(v, key)
    }
}

/// What one sync knows before it has the new ReplicaSet in hand: the Deployment and its ReplicaSets as the
/// sync found them.
struct Sync {
    d: Deployment,
    about: ObjectReference,
    sets: Vec<ReplicaSet>,
    old: Vec<ReplicaSet>,
    replicas: i32,
    recreate: bool,
    new_name: String,
}

fn sync(v: &View, key: &ObjectKey) -> Decision {
    let mut out = Decision::none();
    let Some(d) = v.store.get_typed::<Deployment>(&key.namespace, &key.name) else {
        return out;
    };
    if d.metadata.is_terminating() {
        return out;
    }
    let d = d.clone();
    let about = crate::events::reference(&d, None);
    let ns = d.metadata.namespace.clone();
    let hash = template_hash(&d);
    let new_name = format!("{}-{hash}", d.metadata.name);
    let mut sets: Vec<ReplicaSet> = owned_replica_sets(v, &d);
    crate::sort::by_key(&mut sets, |r| r.metadata.creation_timestamp);
    let replicas = d.spec.replicas.unwrap_or(1).max(0);
    let revision = sets.iter().map(revision_of).max().unwrap_or(0);
    let old: Vec<ReplicaSet> = sets
        .iter()
        .filter(|r| r.metadata.name != new_name)
        .cloned()
        .collect();
    let recreate = d.spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("Recreate");
    if d.spec.paused == Some(true) {
        // A paused Deployment only scales: no new ReplicaSet for a changed template, no rollout.
        scale_paused(&mut out, &about, &sets, replicas);
        out.then(move |v| update_status(v, &d, &new_name));
        return out;
    }
    let found = sets
        .iter()
        .find(|r| r.metadata.name == new_name)
        .map(revision_of);
    let sync = Sync {
        d,
        about,
        sets,
        old,
        replicas,
        recreate,
        new_name,
    };
    // The rest reads the new ReplicaSet as the writes below leave it.
    let rest = |sync: Sync| {
        move |v: &View| {
            let mut out = Decision::none();
            if let Some(new) = v
                .store
                .get_typed::<ReplicaSet>(&sync.d.metadata.namespace, &sync.new_name)
            {
                roll(&mut out, &sync, new);
                let (d, new_name) = (sync.d, sync.new_name);
                out.then(move |v| update_status(v, &d, &new_name));
            }
            out
        }
    };
    match found {
        // A rollback to an older template reuses its ReplicaSet, which becomes the newest revision.
        Some(r) if r < revision => {
            let next = (revision + 1).to_string();
            out.patch::<ReplicaSet>(&ns, &sync.new_name, move |r| {
                r.metadata
                    .annotations
                    .insert(REVISION_ANNOTATION.into(), next);
            });
            out.then(rest(sync));
        }
        Some(_) => out.then(rest(sync)),
        None => {
            let d = &sync.d;
            let mut template = d.spec.template.clone();
            template
                .metadata
                .labels
                .insert(POD_TEMPLATE_HASH.into(), hash.clone());
            let mut selector = d.spec.selector.clone().unwrap_or_default();
            selector
                .match_labels
                .insert(POD_TEMPLATE_HASH.into(), hash.clone());
            let initial =
                if sync.old.iter().all(|r| r.spec.replicas.unwrap_or(0) == 0) && !sync.recreate {
                    sync.replicas
                } else {
                    0
                };
            let mut labels = template.metadata.labels.clone();
            labels.insert(POD_TEMPLATE_HASH.into(), hash.clone());
            let rs = ReplicaSet {
                metadata: ObjectMeta {
                    name: sync.new_name.clone(),
                    namespace: ns.clone(),
                    labels,
                    annotations: [(REVISION_ANNOTATION.to_string(), (revision + 1).to_string())]
                        .into(),
                    owner_references: vec![OwnerReference::controller(
                        "apps/v1",
                        "Deployment",
                        &d.metadata,
                    )],
                    ..Default::default()
                },
                spec: ReplicaSetSpec {
                    replicas: Some(initial),
                    selector: Some(selector),
                    template,
                    min_ready_seconds: d.spec.min_ready_seconds,
                },
                status: Default::default(),
            };
            out.create_then(Object::ReplicaSet(rs.into()), move |outcome| {
                let mut out = Decision::none();
                if outcome.is_err() {
                    return out;
                }
                if initial > 0 {
                    scaled_event(&mut out, &sync.about, &sync.new_name, 0, initial, true);
                }
                out.then(rest(sync));
                out
            });
        }
    }
    out
}

/// Scales the ReplicaSets towards the new one, as the strategy allows.
fn roll(out: &mut Decision, s: &Sync, new: &ReplicaSet) {
    let (d, replicas) = (&s.d, s.replicas);
    let new_replicas = new.spec.replicas.unwrap_or(0);
    if s.recreate {
        let old_pods: i32 = s.old.iter().map(|r| r.status.replicas).sum();
        for r in &s.old {
            scale(out, &s.about, r, 0);
        }
        if old_pods == 0 && new_replicas != replicas {
            scale(out, &s.about, new, replicas);
        }
        return;
    }
    let surge = resolve(
        d.spec
            .strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
            .and_then(|r| r.max_surge.as_ref()),
        replicas,
        true,
        25,
    );
    let mut unavailable = resolve(
        d.spec
            .strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
            .and_then(|r| r.max_unavailable.as_ref()),
        replicas,
        false,
        25,
    );
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    // Scale the new ReplicaSet up within the surge.
    let total: i32 = s.sets.iter().map(|r| r.spec.replicas.unwrap_or(0)).sum();
    if new_replicas > replicas {
        scale(out, &s.about, new, replicas);
    } else if new_replicas < replicas {
        let room = (replicas + surge - total).min(replicas - new_replicas);
        if room > 0 {
            scale(out, &s.about, new, new_replicas + room);
        }
    }
    // Scale old ReplicaSets down as far as availability allows, oldest first.
    let all_pods: i32 = s.sets.iter().map(|r| r.status.replicas).sum();
    let min_available = replicas - unavailable;
    let new_unavailable = new.spec.replicas.unwrap_or(0) - new.status.available_replicas;
    let mut budget = all_pods - min_available - new_unavailable.max(0);
    for r in &s.old {
        let have = r.spec.replicas.unwrap_or(0);
        if budget <= 0 || have == 0 {
            continue;
        }
        let down = have.min(budget);
        scale(out, &s.about, r, have - down);
        budget -= down;
    }
}

/// Scaling while paused (`dc.scale`): with one active ReplicaSet (or none) the newest one takes the whole count;
/// with several, the newest active one absorbs the difference, and a scale-down that takes it to zero goes on
/// to the next newest.
fn scale_paused(out: &mut Decision, about: &ObjectReference, sets: &[ReplicaSet], replicas: i32) {
    let active: Vec<&ReplicaSet> = sets
        .iter()
        .filter(|r| r.spec.replicas.unwrap_or(0) > 0)
        .collect();
    if active.len() <= 1 {
        if let Some(r) = active.first().copied().or(sets.last()) {
            scale(out, about, r, replicas);
        }
        return;
    }
    let total: i32 = active.iter().map(|r| r.spec.replicas.unwrap_or(0)).sum();
    let mut diff = replicas - total;
    for r in active.iter().rev() {
        if diff == 0 {
            break;
        }
        let have = r.spec.replicas.unwrap_or(0);
        let to = (have + diff).max(0);
        diff -= to - have;
        scale(out, about, r, to);
    }
}

/// Writes the Deployment's status and revision annotation from its ReplicaSets as they are now.
fn update_status(v: &View, d: &Deployment, new_name: &str) -> Decision {
    let mut out = Decision::none();
    let ns = d.metadata.namespace.clone();
    let replicas = d.spec.replicas.unwrap_or(1).max(0);
    let now = v.now;
    let sets: Vec<ReplicaSet> = owned_replica_sets(v, d);
    let sum = |f: fn(&ReplicaSet) -> i32| sets.iter().map(f).sum::<i32>();
    let available = sum(|r| r.status.available_replicas);
    let status = DeploymentStatus {
        observed_generation: Some(d.metadata.generation),
        replicas: sum(|r| r.status.replicas),
        updated_replicas: sets
            .iter()
            .filter(|r| r.metadata.name == new_name)
            .map(|r| r.status.replicas)
            .sum(),
        ready_replicas: sum(|r| r.status.ready_replicas),
        available_replicas: available,
        unavailable_replicas: (replicas - available).max(0),
        conditions: d.status.conditions.clone(),
    };
    let conditions = conditions(d, &status, new_name, &sets, now);
    let status = DeploymentStatus {
        conditions: Some(conditions),
        ..status
    };
    let new_revision = sets
        .iter()
        .find(|r| r.metadata.name == new_name)
        .map(revision_of)
        .unwrap_or(0);
    out.patch::<Deployment>(&ns, &d.metadata.name, move |x| {
        x.status = status;
        if new_revision > 0 {
            x.metadata
                .annotations
                .insert(REVISION_ANNOTATION.into(), new_revision.to_string());
        }
    });
    out
}

/// The Available and Progressing conditions (`deployment_util.go`), keeping each one's transition time while
/// its status stays the same.
fn conditions(
    d: &Deployment,
    status: &DeploymentStatus,
    new_name: &str,
    sets: &[ReplicaSet],
    now: crate::clock::Time,
) -> serde_json::Value {
    let replicas = d.spec.replicas.unwrap_or(1).max(0);
    let max_unavailable = resolve(
        d.spec
            .strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
            .and_then(|r| r.max_unavailable.as_ref()),
        replicas,
        false,
        25,
    );
    let available = status.available_replicas >= replicas - max_unavailable;
    let complete = status.updated_replicas == replicas
        && status.replicas == replicas
        && status.available_replicas == replicas;
    let new_rs = sets.iter().find(|r| r.metadata.name == new_name);
    let (avail_reason, avail_msg) = if available {
        (
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.".to_string(),
        )
    } else {
        (
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.".to_string(),
        )
    };
    let (prog_status, prog_reason, prog_msg) = match new_rs {
        _ if d.spec.paused == Some(true) => (
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused".to_string(),
        ),
        Some(r) if complete => (
            "True",
            "NewReplicaSetAvailable",
            format!(
                "ReplicaSet \"{}\" has successfully progressed.",
                r.metadata.name
            ),
        ),
        Some(r) => (
            "True",
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{}\" is progressing.", r.metadata.name),
        ),
        None => (
            "True",
            "NewReplicaSetCreated",
            format!("Created new replica set \"{new_name}\""),
        ),
    };
    let old = d
        .status
        .conditions
        .clone()
        .unwrap_or(serde_json::Value::Null);
    let make = |type_: &str, status_word: &str, reason: &str, message: &str| {
        let previous = old
            .as_array()
            .and_then(|a| a.iter().find(|c| c["type"] == type_))
            .cloned();
        if let Some(p) = previous.as_ref().filter(|p| {
            p["status"] == status_word && p["reason"] == reason && p["message"] == message
        }) {
            return p.clone();
        }
        let since = match &previous {
            Some(p) if p["status"] == status_word => p["lastTransitionTime"].clone(),
            _ => serde_json::Value::String(now.rfc3339()),
        };
        serde_json::json!({
            "type": type_,
            "status": status_word,
            "lastUpdateTime": now.rfc3339(),
            "lastTransitionTime": since,
            "reason": reason,
            "message": message,
        })
    };
    serde_json::json!([
        make(
            "Available",
            if available { "True" } else { "False" },
            avail_reason,
            &avail_msg
        ),
        make("Progressing", prog_status, prog_reason, &prog_msg),
    ])
}

/// Sets a ReplicaSet's replicas, with the Deployment's `ScalingReplicaSet` Event.
fn scale(out: &mut Decision, about: &ObjectReference, rs: &ReplicaSet, to: i32) {
    let from = rs.spec.replicas.unwrap_or(0);
    if from == to {
        return;
    }
    out.patch::<ReplicaSet>(&rs.metadata.namespace, &rs.metadata.name, move |r| {
        r.spec.replicas = Some(to);
        r.metadata.generation += 1;
    });
    scaled_event(out, about, &rs.metadata.name, from, to, to > from);
}

fn scaled_event(
    out: &mut Decision,
    about: &ObjectReference,
    rs: &str,
    from: i32,
    to: i32,
    up: bool,
) {
    let dir = if up { "up" } else { "down" };
    let msg = format!("Scaled {dir} replica set {rs} from {from} to {to}");
    out.event_on(
        about.clone(),
        EventType::Normal,
        "ScalingReplicaSet",
        &msg,
        SOURCE,
    );
}

/// A ReplicaSet's `deployment.kubernetes.io/revision`, 0 when absent.
fn revision_of(r: &ReplicaSet) -> i64 {
    r.metadata
        .annotations
        .get(REVISION_ANNOTATION)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
