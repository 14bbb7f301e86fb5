//! The Deployment controller, basic: one ReplicaSet per pod template (named by the template's hash, so
//! pods are `<deployment>-<hash>-<random>`), rolling updates within maxSurge / maxUnavailable, and Recreate
//! (`pkg/controller/deployment`).

use crate::cluster::Cluster;
use crate::events::{EventType, Source};
use crate::model::meta::IntOrString;
use crate::model::workloads::{DeploymentStatus, ReplicaSetSpec};
use crate::model::{Deployment, Kind, Object, ObjectMeta, OwnerReference, ReplicaSet};
use crate::store::ObjectKey;

const SOURCE: Source = Source::component("deployment-controller");
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";

/// Queues the Deployment that owns `rs`.
pub(crate) fn route_replica_set(c: &mut Cluster, rs: &ReplicaSet) {
    if let Some(owner) = rs
        .metadata
        .controller_ref()
        .filter(|o| o.kind == "Deployment")
    {
        c.queues[crate::controllers::Controllers::DEPLOYMENT].add(ObjectKey::new(
            Kind::Deployment,
            &rs.metadata.namespace,
            &owner.name,
        ));
    }
}

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
fn owned_replica_sets(c: &Cluster, d: &Deployment) -> Vec<ReplicaSet> {
    c.store
        .controlled_by::<ReplicaSet>(&d.metadata)
        .cloned()
        .collect()
}

pub(crate) fn sync(c: &mut Cluster, key: &ObjectKey) {
    let Some(d) = c
        .store
        .get_typed::<Deployment>(&key.namespace, &key.name)
        .cloned()
    else {
        return;
    };
    if d.metadata.is_terminating() {
        return;
    }
    let ns = d.metadata.namespace.clone();
    let hash = template_hash(&d);
    let new_name = format!("{}-{hash}", d.metadata.name);
    let mut sets: Vec<ReplicaSet> = owned_replica_sets(c, &d);
    sets.sort_by_key(|r| r.metadata.creation_timestamp);
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
        scale_paused(c, &d, &sets, replicas);
        update_status(c, &d, &new_name);
        return;
    }
    let new = match sets.iter().find(|r| r.metadata.name == new_name) {
        // A rollback to an older template reuses its ReplicaSet, which becomes the newest revision.
        Some(r) if revision_of(r) < revision => {
            let next = (revision + 1).to_string();
            let now = c.now;
            c.store.modify::<ReplicaSet>(&ns, &new_name, now, |r| {
                r.metadata
                    .annotations
                    .insert(REVISION_ANNOTATION.into(), next);
            });
            match c.store.get_typed::<ReplicaSet>(&ns, &new_name) {
                Some(r) => r.clone(),
                None => return,
            }
        }
        Some(r) => r.clone(),
        None => {
            let mut template = d.spec.template.clone();
            template
                .metadata
                .labels
                .insert(POD_TEMPLATE_HASH.into(), hash.clone());
            let mut selector = d.spec.selector.clone().unwrap_or_default();
            selector
                .match_labels
                .insert(POD_TEMPLATE_HASH.into(), hash.clone());
            let initial = if old.iter().all(|r| r.spec.replicas.unwrap_or(0) == 0) && !recreate {
                replicas
            } else {
                0
            };
            let mut labels = template.metadata.labels.clone();
            labels.insert(POD_TEMPLATE_HASH.into(), hash.clone());
            let rs = ReplicaSet {
                metadata: ObjectMeta {
                    name: new_name.clone(),
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
            if c.api_create(Object::ReplicaSet(rs.clone())).is_err() {
                return;
            }
            if initial > 0 {
                scaled_event(c, &d, &new_name, 0, initial, true);
            }
            match c.store.get_typed::<ReplicaSet>(&ns, &new_name) {
                Some(r) => r.clone(),
                None => return,
            }
        }
    };
    let new_replicas = new.spec.replicas.unwrap_or(0);
    if recreate {
        let old_pods: i32 = old.iter().map(|r| r.status.replicas).sum();
        for r in &old {
            scale(c, &d, r, 0);
        }
        if old_pods == 0 && new_replicas != replicas {
            scale(c, &d, &new, replicas);
        }
    } else {
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
        let total: i32 = sets.iter().map(|r| r.spec.replicas.unwrap_or(0)).sum();
        if new_replicas > replicas {
            scale(c, &d, &new, replicas);
        } else if new_replicas < replicas {
            let room = (replicas + surge - total).min(replicas - new_replicas);
            if room > 0 {
                scale(c, &d, &new, new_replicas + room);
            }
        }
        // Scale old ReplicaSets down as far as availability allows, oldest first.
        let all_pods: i32 = sets.iter().map(|r| r.status.replicas).sum();
        let min_available = replicas - unavailable;
        let new_unavailable = new.spec.replicas.unwrap_or(0) - new.status.available_replicas;
        let mut budget = all_pods - min_available - new_unavailable.max(0);
        for r in &old {
            let have = r.spec.replicas.unwrap_or(0);
            if budget <= 0 || have == 0 {
                continue;
            }
            let down = have.min(budget);
            scale(c, &d, r, have - down);
            budget -= down;
        }
    }
    update_status(c, &d, &new_name);
}

/// Scaling while paused (`dc.scale`): with one active ReplicaSet (or none) the newest one takes the whole count;
/// with several, the newest active one absorbs the difference, and a scale-down that takes it to zero goes on
/// to the next newest.
fn scale_paused(c: &mut Cluster, d: &Deployment, sets: &[ReplicaSet], replicas: i32) {
    let active: Vec<&ReplicaSet> = sets
        .iter()
        .filter(|r| r.spec.replicas.unwrap_or(0) > 0)
        .collect();
    if active.len() <= 1 {
        if let Some(r) = active.first().copied().or(sets.last()) {
            scale(c, d, r, replicas);
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
        scale(c, d, r, to);
    }
}

/// Writes the Deployment's status and revision annotation from its ReplicaSets as they are now.
fn update_status(c: &mut Cluster, d: &Deployment, new_name: &str) {
    let ns = d.metadata.namespace.clone();
    let replicas = d.spec.replicas.unwrap_or(1).max(0);
    let now = c.now;
    let sets: Vec<ReplicaSet> = owned_replica_sets(c, d);
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
    c.store
        .modify::<Deployment>(&ns, &d.metadata.name, now, |x| {
            x.status = status;
            if new_revision > 0 {
                x.metadata
                    .annotations
                    .insert(REVISION_ANNOTATION.into(), new_revision.to_string());
            }
        });
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

fn scale(c: &mut Cluster, d: &Deployment, rs: &ReplicaSet, to: i32) {
    let from = rs.spec.replicas.unwrap_or(0);
    if from == to {
        return;
    }
    let now = c.now;
    c.store
        .modify::<ReplicaSet>(&rs.metadata.namespace, &rs.metadata.name, now, |r| {
            r.spec.replicas = Some(to);
            r.metadata.generation += 1;
        });
    scaled_event(c, d, &rs.metadata.name, from, to, to > from);
}

fn scaled_event(c: &mut Cluster, d: &Deployment, rs: &str, from: i32, to: i32, up: bool) {
    let dir = if up { "up" } else { "down" };
    let msg = format!("Scaled {dir} replica set {rs} from {from} to {to}");
    c.record_event(d, EventType::Normal, "ScalingReplicaSet", &msg, SOURCE);
}

/// A ReplicaSet's `deployment.kubernetes.io/revision`, 0 when absent.
fn revision_of(r: &ReplicaSet) -> i64 {
    r.metadata
        .annotations
        .get(REVISION_ANNOTATION)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Routes a watch event (until this controller returns decisions).
pub(crate) fn route_event(c: &mut Cluster, _: crate::store::WatchEventType, obj: &Object) {
    match obj {
        Object::Deployment(_) => {
            c.queues[crate::controllers::Controllers::DEPLOYMENT].add(ObjectKey::of(obj))
        }
        Object::ReplicaSet(rs) => route_replica_set(c, rs),
        _ => {}
    }
}
