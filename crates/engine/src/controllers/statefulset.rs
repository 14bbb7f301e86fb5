//! The StatefulSet controller (`pkg/controller/statefulset`), k8s-behaviour.md 1.4–1.14.
//!
//! A sync reads the set, claims its pods, works out the current and update revisions, and then asks the pure
//! [`plan`] what to do — which pods to create, delete or repair, and the status to write — before
//! [`execute`] carries the plan out and records the controller's Events. `plan` is `stateful_set_control.go`;
//! `execute` is `stateful_pod_control.go`; the identity helpers below are `stateful_set_utils.go`.

use serde_json::{json, Value};

use crate::api::DeleteOptions;
use crate::clock::Time;
use crate::cluster::{Cluster, Timer};
use crate::events::{EventType, Source};
use crate::model::meta::IntOrString;
use crate::model::pod::{PvcVolumeSource, Volume};
use crate::model::statefulset::{PodManagementPolicy, StatefulSetStatus};
use crate::model::{
    ControllerRevision, Kind, Object, ObjectMeta, OwnerReference, PersistentVolumeClaim, Pod,
    PodTemplateSpec, StatefulSet,
};
use crate::store::ObjectKey;

const SOURCE: Source = Source::component("statefulset-controller");
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
pub const REVISION_LABEL: &str = "controller-revision-hash";
pub const REVISION_HASH_LABEL: &str = "controller.kubernetes.io/hash";

// ---- identity helpers (stateful_set_utils.go) ----

/// `getParentNameAndOrdinal`: a pod name is `<parent>-<decimal ordinal>`; anything else has no ordinal.
pub fn parent_and_ordinal(pod_name: &str) -> Option<(&str, i32)> {
    let (parent, digits) = pod_name.rsplit_once('-')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((parent, digits.parse().ok()?))
}

/// `getPodName`: the pod for `ordinal` of `set`.
pub fn pod_name(set: &str, ordinal: i32) -> String {
    format!("{set}-{ordinal}")
}

/// `getPersistentVolumeClaimName`: `<template>-<set>-<ordinal>`, e.g. `www-web-0`.
pub fn claim_name(template: &str, set: &str, ordinal: i32) -> String {
    format!("{template}-{set}-{ordinal}")
}

/// `identityMatches`: name, namespace and the pod-name label belong to this set and ordinal.
fn identity_matches(set: &StatefulSet, pod: &Pod) -> bool {
    parent_and_ordinal(&pod.metadata.name).is_some_and(|(p, _)| p == set.metadata.name)
        && pod.metadata.namespace == set.metadata.namespace
        && pod.metadata.labels.get(POD_NAME_LABEL) == Some(&pod.metadata.name)
}

/// `storageMatches`: every claim template is mounted with the right claim name.
fn storage_matches(set: &StatefulSet, pod: &Pod, ordinal: i32) -> bool {
    set.spec.volume_claim_templates.iter().all(|t| {
        pod.spec.volumes.iter().any(|v| {
            v.name == t.metadata.name
                && v.persistent_volume_claim.as_ref().is_some_and(|c| {
                    is_claim_name(&c.claim_name, &t.metadata.name, &set.metadata.name, ordinal)
                })
        })
    })
}

/// Whether `name` is [`claim_name`]`(template, set, ordinal)`, without building it (this runs for every pod
/// on every sync).
fn is_claim_name(name: &str, template: &str, set: &str, ordinal: i32) -> bool {
    let rest = name
        .strip_prefix(template)
        .and_then(|r| r.strip_prefix('-'))
        .and_then(|r| r.strip_prefix(set))
        .and_then(|r| r.strip_prefix('-'));
    rest.is_some_and(|r| {
        (r == "0" || !r.starts_with('0')) && r.parse::<i32>().ok() == Some(ordinal)
    })
}

/// `updateIdentity` + `updateStorage`: repairs the labels and claim volumes of an existing pod.
fn repair_identity(set: &StatefulSet, pod: &mut Pod, ordinal: i32) {
    let name = pod.metadata.name.clone();
    pod.metadata.labels.insert(POD_NAME_LABEL.into(), name);
    pod.metadata
        .labels
        .insert(POD_INDEX_LABEL.into(), ordinal.to_string());
    set_claim_volumes(set, &mut pod.spec.volumes, ordinal);
}

fn set_claim_volumes(set: &StatefulSet, volumes: &mut Vec<Volume>, ordinal: i32) {
    for t in &set.spec.volume_claim_templates {
        volumes.retain(|v| v.name != t.metadata.name);
        volumes.push(Volume {
            name: t.metadata.name.clone(),
            persistent_volume_claim: Some(PvcVolumeSource {
                claim_name: claim_name(&t.metadata.name, &set.metadata.name, ordinal),
                read_only: Some(false),
            }),
            ..Default::default()
        });
    }
}

/// `newVersionedStatefulSetPod` minus the revision choice: a pod for `ordinal` from `template`.
fn new_pod(set: &StatefulSet, template: &PodTemplateSpec, ordinal: i32, revision: &str) -> Pod {
    let name = pod_name(&set.metadata.name, ordinal);
    let mut labels = template.metadata.labels.clone();
    labels.insert(POD_NAME_LABEL.into(), name.clone());
    labels.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
    labels.insert(REVISION_LABEL.into(), revision.to_string());
    let mut spec = template.spec.clone();
    spec.hostname = Some(name.clone());
    if !set.service_name().is_empty() {
        spec.subdomain = Some(set.service_name().to_string());
    }
    set_claim_volumes(set, &mut spec.volumes, ordinal);
    Pod {
        metadata: ObjectMeta {
            name,
            namespace: set.metadata.namespace.clone(),
            labels,
            annotations: template.metadata.annotations.clone(),
            owner_references: vec![OwnerReference::controller(
                "apps/v1",
                "StatefulSet",
                &set.metadata,
            )],
            ..Default::default()
        },
        spec,
        status: Default::default(),
    }
}

/// The claims `getPersistentVolumeClaims` builds for `ordinal`: template copies with the selector labels.
fn claims_for(set: &StatefulSet, ordinal: i32) -> Vec<PersistentVolumeClaim> {
    let match_labels = set.selector().match_labels;
    set.spec
        .volume_claim_templates
        .iter()
        .map(|t| {
            let mut claim = t.clone();
            claim.metadata = ObjectMeta {
                name: claim_name(&t.metadata.name, &set.metadata.name, ordinal),
                namespace: set.metadata.namespace.clone(),
                labels: t.metadata.labels.clone(),
                annotations: t.metadata.annotations.clone(),
                ..Default::default()
            };
            claim.metadata.labels.extend(match_labels.clone());
            claim.status = Default::default();
            claim
        })
        .collect()
}

// ---- revisions (controller_history.go) ----

/// The revision patch: the pod template only, replacing the whole template.
fn revision_data(template: &PodTemplateSpec) -> Value {
    let mut t = serde_json::to_value(template).unwrap_or(Value::Null);
    if let Some(o) = t.as_object_mut() {
        o.insert("$patch".into(), Value::String("replace".into()));
    }
    json!({ "spec": { "template": t } })
}

/// The template a revision holds.
fn revision_template(rev: &ControllerRevision) -> Option<PodTemplateSpec> {
    let mut t = rev.data.get("spec")?.get("template")?.clone();
    t.as_object_mut()?.remove("$patch");
    serde_json::from_value(t).ok()
}

/// `HashControllerRevision`: FNV-32 of the data plus the collision count, printed in decimal and each digit
/// mapped through apimachinery's safe alphabet.
pub fn revision_hash(data: &Value, collision_count: i32) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h: u32 = 0x811c_9dc5;
    let bytes = data.to_string().into_bytes();
    let probe = if collision_count > 0 {
        collision_count.to_string().into_bytes()
    } else {
        Vec::new()
    };
    for b in bytes.iter().chain(probe.iter()) {
        h = h.wrapping_mul(0x0100_0193);
        h ^= u32::from(*b);
    }
    h.to_string()
        .bytes()
        .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
        .collect()
}

struct Revisions {
    current: String,
    update: String,
    collision_count: i32,
}

enum Found {
    /// The newest revision already holds this template.
    Newest(String),
    /// An older revision holds it: it is renumbered to become the newest (a rollback).
    Older(String),
    /// No revision holds it yet.
    Missing,
}

/// `getStatefulSetRevisions`: finds or creates the update revision (renumbering an equal older one), and the
/// current revision named in the status. Revisions are compared in place, never copied.
fn revisions(c: &mut Cluster, set: &StatefulSet) -> Option<Revisions> {
    let ns = set.metadata.namespace.clone();
    let data = revision_data(&set.spec.template);
    let (found, next) = {
        let mut owned: Vec<&ControllerRevision> = c
            .store
            .list_prefix::<ControllerRevision>(&ns, &format!("{}-", set.metadata.name))
            .filter(|r| {
                r.metadata
                    .controller_ref()
                    .is_some_and(|o| o.uid == set.metadata.uid)
            })
            .collect();
        owned.sort_by_key(|r| (r.revision, r.metadata.creation_timestamp));
        let next = owned.last().map_or(1, |r| r.revision + 1);
        let found = match owned.last() {
            Some(last) if last.data == data => Found::Newest(last.metadata.name.clone()),
            _ => match owned.iter().find(|r| r.data == data) {
                Some(equal) => Found::Older(equal.metadata.name.clone()),
                None => Found::Missing,
            },
        };
        (found, next)
    };
    let mut collision_count = set.status.collision_count;
    let now = c.now;
    let update = match found {
        Found::Newest(name) => name,
        Found::Older(name) => {
            c.store
                .modify::<ControllerRevision>(&ns, &name, now, |r| r.revision = next);
            name
        }
        Found::Missing => loop {
            let hash = revision_hash(&data, collision_count);
            let name = format!("{}-{hash}", set.metadata.name);
            if let Some(existing) = c.store.get_typed::<ControllerRevision>(&ns, &name) {
                if existing.data == data {
                    break name;
                }
                collision_count += 1;
                continue;
            }
            let mut labels = set.spec.template.metadata.labels.clone();
            labels.insert(REVISION_HASH_LABEL.into(), hash);
            let rev = ControllerRevision {
                metadata: ObjectMeta {
                    name: name.clone(),
                    namespace: ns.clone(),
                    labels,
                    annotations: set.metadata.annotations.clone(),
                    owner_references: vec![OwnerReference::controller(
                        "apps/v1",
                        "StatefulSet",
                        &set.metadata,
                    )],
                    ..Default::default()
                },
                data: data.clone(),
                revision: next,
            };
            c.api_create(Object::ControllerRevision(rev)).ok()?;
            break name;
        },
    };
    let current = Some(&set.status.current_revision)
        .filter(|n| !n.is_empty() && c.store.get_typed::<ControllerRevision>(&ns, n).is_some())
        .cloned()
        .unwrap_or_else(|| update.clone());
    Some(Revisions {
        current,
        update,
        collision_count,
    })
}

// ---- planning (stateful_set_control.go) ----

/// One thing the controller decided to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Create the missing claims, then the pod.
    CreatePod {
        pod: Pod,
        claims: Vec<PersistentVolumeClaim>,
    },
    /// Create claims missing for a pod that is still Pending.
    CreateClaims {
        pod: String,
        claims: Vec<PersistentVolumeClaim>,
    },
    DeletePod {
        name: String,
    },
    /// Rewrite a pod's identity labels and claim volumes.
    UpdatePod {
        pod: Pod,
    },
}

/// What a sync will do and the status it will write.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub status: StatefulSetStatus,
    /// Whether the controller stops at the first failed action (OrderedReady) or goes on (Parallel).
    pub monotonic: bool,
}

/// Everything [`plan`] reads: the set, its pods, the claims that exist, the revisions, and the time.
pub struct View<'a> {
    pub set: &'a StatefulSet,
    /// The set's pods with their ordinals.
    pub pods: &'a [(i32, &'a Pod)],
    /// Whether a claim of this name exists in the set's namespace.
    pub claim_exists: &'a dyn Fn(&str) -> bool,
    pub current_revision: &'a str,
    pub update_revision: &'a str,
    pub current_template: &'a PodTemplateSpec,
    pub collision_count: i32,
    pub now: Time,
}

fn revision_of(pod: &Pod) -> &str {
    pod.metadata
        .labels
        .get(REVISION_LABEL)
        .map_or("", String::as_str)
}

fn is_healthy(pod: &Pod) -> bool {
    pod.is_running_and_ready() && !pod.metadata.is_terminating()
}

fn is_unavailable(pod: Option<&Pod>, min_ready: i64, now: Time) -> bool {
    match pod {
        None => true,
        Some(p) => !is_healthy(p) || !p.is_available(min_ready, now),
    }
}

/// `maxUnavailable` resolved against `replicas`: percentages round down, never below 1.
fn max_unavailable(set: &StatefulSet) -> i32 {
    let replicas = set.replicas();
    let value = set
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.max_unavailable.clone());
    let n = match value {
        None => 1,
        Some(IntOrString::Int(n)) => n as i32,
        Some(IntOrString::String(s)) => {
            let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            (i64::from(replicas) * pct / 100) as i32
        }
    };
    n.max(1)
}

/// `computeReplicaStatus` over the pods at the start of the sync.
fn compute_status(v: &View) -> StatefulSetStatus {
    let min_ready = v.set.min_ready_seconds();
    let mut s = StatefulSetStatus {
        observed_generation: Some(v.set.metadata.generation),
        current_revision: v.current_revision.to_string(),
        update_revision: v.update_revision.to_string(),
        collision_count: v.collision_count,
        ..Default::default()
    };
    for &(_, pod) in v.pods {
        s.replicas += 1;
        if pod.is_running_and_ready() {
            s.ready_replicas += 1;
            if pod.is_available(min_ready, v.now) {
                s.available_replicas += 1;
            }
        }
        if !pod.metadata.is_terminating() {
            if revision_of(pod) == v.current_revision {
                s.current_replicas += 1;
            }
            if revision_of(pod) == v.update_revision {
                s.updated_replicas += 1;
            }
        }
    }
    s
}

/// Decides one sync of `updateStatefulSet` (k8s-behaviour.md 1.7–1.9) without touching the store.
pub fn plan(v: &View) -> Plan {
    let set = v.set;
    let monotonic = set.pod_management_policy() != PodManagementPolicy::Parallel;
    let mut out = Plan {
        actions: Vec::new(),
        status: compute_status(v),
        monotonic,
    };
    let start = set.start_ordinal();
    let replicas = set.replicas().max(0);
    let end = start + replicas;
    let min_ready = set.min_ready_seconds();
    let now = v.now;

    let mut slots: Vec<Option<&Pod>> = vec![None; replicas as usize];
    let mut condemned: Vec<&Pod> = Vec::new();
    let mut out_of_range: Vec<(i32, &Pod)> = Vec::new();
    for &(ord, pod) in v.pods {
        if (start..end).contains(&ord) {
            slots[(ord - start) as usize] = Some(pod);
        } else {
            out_of_range.push((ord, pod));
        }
    }
    out_of_range.sort_by_key(|(ord, _)| std::cmp::Reverse(*ord));
    condemned.extend(out_of_range.into_iter().map(|(_, p)| p));

    // The first unavailable pod: replicas ascending, then condemned ascending. A missing slot counts.
    let first_unavailable: Option<String> = slots
        .iter()
        .enumerate()
        .find(|(_, p)| is_unavailable(**p, min_ready, now))
        .map(|(i, _)| pod_name(&set.metadata.name, start + i as i32))
        .or_else(|| {
            condemned
                .iter()
                .rev()
                .find(|p| is_unavailable(Some(p), min_ready, now))
                .map(|p| p.metadata.name.clone())
        });

    if set.metadata.is_terminating() {
        return out;
    }

    let partition = set
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .map(|r| r.partition.unwrap_or(0));
    let on_delete = set
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        == Some("OnDelete");

    // Step A: replicas in ascending order.
    for (i, slot) in slots.iter().enumerate() {
        let ordinal = start + i as i32;
        match slot {
            Some(pod) if pod.is_terminal() => {
                if !pod.metadata.is_terminating() {
                    out.actions.push(Action::DeletePod {
                        name: pod.metadata.name.clone(),
                    });
                }
                if monotonic {
                    return out;
                }
                continue;
            }
            None => {
                // 1.9.4: which revision a (re)created pod gets.
                let use_current = if on_delete {
                    false
                } else {
                    match partition {
                        Some(p) => ordinal < start + p,
                        None => ordinal < start + v.set.status.current_replicas,
                    }
                };
                let (template, revision) = if use_current && v.current_revision != v.update_revision
                {
                    (v.current_template, v.current_revision)
                } else {
                    (&set.spec.template, v.update_revision)
                };
                let pod = new_pod(set, template, ordinal, revision);
                let claims = claims_for(set, ordinal)
                    .into_iter()
                    .filter(|c| !(v.claim_exists)(&c.metadata.name))
                    .collect();
                out.actions.push(Action::CreatePod { pod, claims });
                if monotonic {
                    return out;
                }
                continue;
            }
            Some(pod) => {
                if pod.status.phase == "Pending" {
                    let missing: Vec<_> = claims_for(set, ordinal)
                        .into_iter()
                        .filter(|c| !(v.claim_exists)(&c.metadata.name))
                        .collect();
                    if !missing.is_empty() {
                        out.actions.push(Action::CreateClaims {
                            pod: pod.metadata.name.clone(),
                            claims: missing,
                        });
                    }
                }
                if monotonic
                    && (pod.metadata.is_terminating()
                        || !pod.is_running_and_ready()
                        || !pod.is_available(min_ready, now))
                {
                    return out;
                }
                if !identity_matches(set, pod) || !storage_matches(set, pod, ordinal) {
                    let mut fixed = (*pod).clone();
                    repair_identity(set, &mut fixed, ordinal);
                    out.actions.push(Action::UpdatePod { pod: fixed });
                }
            }
        }
    }

    // Step B: condemned pods, highest ordinal first.
    for pod in &condemned {
        if pod.metadata.is_terminating() {
            if monotonic {
                return out;
            }
            continue;
        }
        let is_first = first_unavailable.as_deref() == Some(pod.metadata.name.as_str());
        if monotonic
            && !is_first
            && (!pod.is_running_and_ready() || !pod.is_available(min_ready, now))
        {
            return out;
        }
        out.actions.push(Action::DeletePod {
            name: pod.metadata.name.clone(),
        });
        if monotonic {
            return out;
        }
    }

    if on_delete {
        return out;
    }

    // Rolling update: replace pods not at the update revision, highest ordinal first, down to the partition.
    let max_unavailable = max_unavailable(set);
    let unavailable = slots
        .iter()
        .filter(|p| is_unavailable(**p, min_ready, now))
        .count() as i32;
    if unavailable <= max_unavailable {
        let mut to_delete = max_unavailable - unavailable;
        let floor = partition.unwrap_or(0).max(0) as usize;
        for slot in slots.iter().rev().take(slots.len().saturating_sub(floor)) {
            if to_delete <= 0 {
                break;
            }
            let Some(pod) = slot else { continue };
            if revision_of(pod) != v.update_revision && !pod.metadata.is_terminating() {
                out.actions.push(Action::DeletePod {
                    name: pod.metadata.name.clone(),
                });
                out.status.current_replicas -= 1;
                to_delete -= 1;
            }
        }
    }

    // completeRollingUpdate.
    let s = &mut out.status;
    if s.updated_replicas == s.ready_replicas
        && s.ready_replicas == s.replicas
        && s.replicas == set.replicas()
    {
        s.current_revision = s.update_revision.clone();
        s.current_replicas = s.updated_replicas;
    }
    out
}

// ---- acting (stateful_pod_control.go) ----

/// Queues the owning set of a pod, or for an orphan every set in its namespace that could adopt it.
pub(crate) fn route_pod(c: &mut Cluster, pod: &Pod) {
    let ns = &pod.metadata.namespace;
    if let Some(owner) = pod.metadata.controller_ref() {
        if owner.kind == "StatefulSet" {
            c.queues
                .statefulset
                .add(ObjectKey::new(Kind::StatefulSet, ns, &owner.name));
        }
        return;
    }
    if let Some((parent, _)) = parent_and_ordinal(&pod.metadata.name) {
        if c.store.get_typed::<StatefulSet>(ns, parent).is_some() {
            c.queues
                .statefulset
                .add(ObjectKey::new(Kind::StatefulSet, ns, parent));
        }
    }
}

/// The set's pods with their ordinals, by reference into the store (one range scan over `<set>-*`), and the
/// ControllerRef manager's writes: orphans that match are adopted, owned pods that no longer match released.
fn member_pods<'a>(
    store: &'a crate::store::Store,
    set: &StatefulSet,
) -> (Vec<(i32, &'a Pod)>, Vec<Pod>) {
    let selector = set.selector();
    let uid = &set.metadata.uid;
    let mut members = Vec::new();
    let mut changes = Vec::new();
    let prefix = format!("{}-", set.metadata.name);
    for pod in store.list_prefix::<Pod>(&set.metadata.namespace, &prefix) {
        let Some((_, ord)) =
            parent_and_ordinal(&pod.metadata.name).filter(|(p, _)| *p == set.metadata.name)
        else {
            continue;
        };
        let owner = pod.metadata.controller_ref();
        let matches = || selector.matches(&pod.metadata.labels);
        match owner {
            Some(r) if r.uid == *uid => {
                if matches() {
                    members.push((ord, pod));
                } else {
                    let mut released = pod.clone();
                    released.metadata.owner_references.retain(|r| r.uid != *uid);
                    changes.push(released);
                }
            }
            None if !set.metadata.is_terminating() && matches() => {
                let mut adopted = pod.clone();
                let owner = OwnerReference::controller("apps/v1", "StatefulSet", &set.metadata);
                adopted.metadata.owner_references.push(owner);
                changes.push(adopted);
            }
            _ => {}
        }
    }
    (members, changes)
}

pub(crate) fn sync(c: &mut Cluster, key: &ObjectKey) {
    let Some(set) = c
        .store
        .get_typed::<StatefulSet>(&key.namespace, &key.name)
        .cloned()
    else {
        return;
    };
    let (_, changes) = member_pods(&c.store, &set);
    let now = c.now;
    for pod in changes {
        let _ = c.store.update(Object::Pod(pod), now);
    }
    let Some(revs) = revisions(c, &set) else {
        return;
    };
    // The template of the current revision, needed only while an update is in progress.
    let current_template = if revs.current == revs.update {
        set.spec.template.clone()
    } else {
        c.store
            .get_typed::<ControllerRevision>(&set.metadata.namespace, &revs.current)
            .and_then(revision_template)
            .unwrap_or_else(|| set.spec.template.clone())
    };
    let now = c.now;
    let min_ready = set.min_ready_seconds();
    let (plan, next_available) = {
        let store = &c.store;
        let (pods, _) = member_pods(store, &set);
        let ns = set.metadata.namespace.as_str();
        let claim_exists =
            |name: &str| store.get_typed::<PersistentVolumeClaim>(ns, name).is_some();
        let plan = plan(&View {
            set: &set,
            pods: &pods,
            claim_exists: &claim_exists,
            current_revision: &revs.current,
            update_revision: &revs.update,
            current_template: &current_template,
            collision_count: revs.collision_count,
            now,
        });
        // minReadySeconds: when the next ready pod becomes available, look again.
        let next_available = (min_ready > 0)
            .then(|| {
                pods.iter()
                    .map(|(_, p)| p)
                    .filter(|p| p.is_running_and_ready() && !p.is_available(min_ready, now))
                    .filter_map(|p| p.condition("Ready").and_then(|r| r.last_transition_time))
                    .map(|t| t.plus(min_ready as u64 * 1000))
                    .min()
            })
            .flatten();
        (plan, next_available)
    };
    let retry = execute(c, &set, &plan);
    write_status(c, &set, plan.status);
    truncate_history(c, &set, &revs);
    if retry {
        c.schedule(5_000, Timer::SyncStatefulSet(key.clone()));
    }
    if let Some(due) = next_available {
        c.schedule(due.since(now), Timer::SyncStatefulSet(key.clone()));
    }
}

/// Carries out the plan; returns whether something failed and the sync should be retried.
fn execute(c: &mut Cluster, set: &StatefulSet, plan: &Plan) -> bool {
    let set_obj = Object::StatefulSet(set.clone());
    let set_name = &set.metadata.name;
    let mut failed = false;
    for action in &plan.actions {
        let ok = match action {
            Action::CreatePod { pod, claims } => {
                let mut ok = create_claims(c, &set_obj, set_name, &pod.metadata.name, claims);
                if ok {
                    ok = create_pod(c, &set_obj, set_name, pod);
                }
                ok
            }
            Action::CreateClaims { pod, claims } => {
                create_claims(c, &set_obj, set_name, pod, claims)
            }
            Action::DeletePod { name } => {
                let key = ObjectKey::new(Kind::Pod, &set.metadata.namespace, name);
                match c.api_delete(&key, DeleteOptions::default()) {
                    Ok(()) => {
                        let msg = format!("delete Pod {name} in StatefulSet {set_name} successful");
                        c.record_event(
                            &set_obj,
                            EventType::Normal,
                            "SuccessfulDelete",
                            &msg,
                            SOURCE,
                        );
                        true
                    }
                    Err(e) => {
                        let msg = format!(
                            "delete Pod {name} in StatefulSet {set_name} failed error: {}",
                            e.message()
                        );
                        c.record_event(&set_obj, EventType::Warning, "FailedDelete", &msg, SOURCE);
                        false
                    }
                }
            }
            Action::UpdatePod { pod } => {
                let now = c.now;
                let name = &pod.metadata.name;
                let ok = c.store.update(Object::Pod(pod.clone()), now).is_ok();
                let (t, reason, word) = if ok {
                    (EventType::Normal, "SuccessfulUpdate", "successful")
                } else {
                    (EventType::Warning, "FailedUpdate", "failed")
                };
                c.record_event(
                    &set_obj,
                    t,
                    reason,
                    &format!("update Pod {name} in StatefulSet {set_name} {word}"),
                    SOURCE,
                );
                ok
            }
        };
        if !ok {
            failed = true;
            if plan.monotonic {
                break;
            }
        }
    }
    failed
}

fn create_claims(
    c: &mut Cluster,
    set_obj: &Object,
    set_name: &str,
    pod: &str,
    claims: &[PersistentVolumeClaim],
) -> bool {
    for claim in claims {
        let name = claim.metadata.name.clone();
        match c.api_create(Object::PersistentVolumeClaim(claim.clone())) {
            Ok(()) => {
                let msg =
                    format!("create Claim {name} Pod {pod} in StatefulSet {set_name} success");
                c.record_event(set_obj, EventType::Normal, "SuccessfulCreate", &msg, SOURCE);
            }
            Err(e) => {
                let msg = format!(
                    "create Claim {name} for Pod {pod} in StatefulSet {set_name} failed error: {}",
                    e.message()
                );
                c.record_event(set_obj, EventType::Warning, "FailedCreate", &msg, SOURCE);
                return false;
            }
        }
    }
    true
}

fn create_pod(c: &mut Cluster, set_obj: &Object, set_name: &str, pod: &Pod) -> bool {
    let name = pod.metadata.name.clone();
    // A claim that is being deleted cannot back a new pod (CreateStatefulPod).
    let ns = &pod.metadata.namespace;
    let terminating = pod
        .claim_names()
        .find(|claim| {
            c.store
                .get_typed::<PersistentVolumeClaim>(ns, claim)
                .is_some_and(|p| p.metadata.is_terminating())
        })
        .map(str::to_string);
    let result = match terminating {
        Some(claim) => Err(format!("pvc {claim} is being deleted")),
        None => c
            .api_create(Object::Pod(pod.clone()))
            .map_err(|e| e.message()),
    };
    match result {
        Ok(()) => {
            let msg = format!("create Pod {name} in StatefulSet {set_name} successful");
            c.record_event(set_obj, EventType::Normal, "SuccessfulCreate", &msg, SOURCE);
            true
        }
        Err(e) => {
            let msg = format!("create Pod {name} in StatefulSet {set_name} failed error: {e}");
            c.record_event(set_obj, EventType::Warning, "FailedCreate", &msg, SOURCE);
            false
        }
    }
}

fn write_status(c: &mut Cluster, set: &StatefulSet, status: StatefulSetStatus) {
    let now = c.now;
    c.store
        .modify::<StatefulSet>(&set.metadata.namespace, &set.metadata.name, now, |s| {
            // Status fields outside the controller's computation (conditions) are kept.
            let conditions = s.status.conditions.take();
            s.status = StatefulSetStatus {
                conditions,
                ..status
            };
        });
}

/// `truncateHistory`: keeps the live revisions and at most `revisionHistoryLimit` others, dropping the oldest.
fn truncate_history(c: &mut Cluster, set: &StatefulSet, revs: &Revisions) {
    let limit = set.spec.revision_history_limit.unwrap_or(10);
    if limit < 0 {
        return;
    }
    let ns = set.metadata.namespace.clone();
    let owned = c
        .store
        .list_prefix::<ControllerRevision>(&ns, &format!("{}-", set.metadata.name))
        .filter(|r| {
            r.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == set.metadata.uid)
        })
        .count();
    // Current and update are always live: with no more than limit + 2 revisions there is nothing to drop,
    // and the pods need not be looked at.
    if owned <= limit as usize + 2 {
        return;
    }
    let live: std::collections::BTreeSet<String> = c
        .store
        .list_prefix::<Pod>(&ns, &format!("{}-", set.metadata.name))
        .filter(|p| {
            p.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == set.metadata.uid)
        })
        .filter_map(|p| p.metadata.labels.get(REVISION_LABEL).cloned())
        .chain([revs.current.clone(), revs.update.clone()])
        .collect();
    let mut old: Vec<ControllerRevision> = c
        .store
        .list_prefix::<ControllerRevision>(&ns, &format!("{}-", set.metadata.name))
        .filter(|r| {
            r.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == set.metadata.uid)
        })
        .filter(|r| !live.contains(&r.metadata.name))
        .cloned()
        .collect();
    old.sort_by_key(|r| r.revision);
    let excess = old.len().saturating_sub(limit as usize);
    for rev in old.into_iter().take(excess) {
        let key = ObjectKey::new(Kind::ControllerRevision, &ns, &rev.metadata.name);
        let _ = c.api_delete(&key, DeleteOptions::default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_only_with_a_numeric_suffix() {
        assert_eq!(parent_and_ordinal("web-0"), Some(("web", 0)));
        assert_eq!(parent_and_ordinal("my-web-12"), Some(("my-web", 12)));
        assert_eq!(parent_and_ordinal("web"), None);
        assert_eq!(parent_and_ordinal("web-x"), None);
        assert_eq!(parent_and_ordinal("web-"), None);
    }

    #[test]
    fn revision_hash_uses_the_safe_digit_alphabet() {
        let h = revision_hash(&json!({"a": 1}), 0);
        assert!(!h.is_empty() && h.len() <= 10);
        assert!(h.chars().all(|ch| "456789bcdf".contains(ch)), "{h}");
        assert_ne!(h, revision_hash(&json!({"a": 1}), 1));
        assert_eq!(h, revision_hash(&json!({"a": 1}), 0));
    }
}
