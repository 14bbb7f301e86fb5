//! The StatefulSet controller (`pkg/controller/statefulset`), k8s-behaviour.md 1.4–1.14.
//!
//! A sync reads the set, claims its pods and revisions, works out the current and update revisions, and then
//! asks the pure [`plan`] what to do — which pods to create, delete or repair, which claims need the owners
//! their retention policy asks for, and the status to write — before [`execute`] carries the plan out and
//! records the controller's Events. `plan` is `stateful_set_control.go`;
//! `execute` is `stateful_pod_control.go`; the identity helpers below are `stateful_set_utils.go`.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::api::DeleteOptions;
use crate::clock::Time;
use crate::controllers::{Controller, Decision, View as ClusterView, Wake};
use crate::events::{EventType, Source};
use crate::model::meta::IntOrString;
use crate::model::pod::{PvcVolumeSource, Volume};
use crate::model::statefulset::{PodManagementPolicy, StatefulSetStatus};
use crate::model::storage::ObjectReference;
use crate::model::{
    ControllerRevision, Kind, Object, ObjectMeta, OwnerReference, PersistentVolumeClaim, Pod,
    PodTemplateSpec, StatefulSet,
};
use crate::store::{ObjectKey, WatchEventType};

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
    set_claim_volumes(set, &mut pod.spec_mut().volumes, ordinal);
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
        spec: spec.into(),
        status: Default::default(),
    }
}

/// The claims `getPersistentVolumeClaims` builds for `ordinal` from the templates at `which`: template copies
/// with the selector labels. Only the missing ones are built (a claim copies its template): a sync that finds
/// every claim in place builds none.
fn claims_from(
    set: &StatefulSet,
    ordinal: i32,
    which: impl Iterator<Item = usize>,
) -> Vec<PersistentVolumeClaim> {
    let match_labels = set.spec.selector.as_ref().map(|s| &s.match_labels);
    which
        .filter_map(|i| set.spec.volume_claim_templates.get(i))
        .map(|t| {
            let mut labels = t.metadata.labels.clone();
            labels.extend(
                match_labels
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            PersistentVolumeClaim {
                metadata: ObjectMeta {
                    name: claim_name(&t.metadata.name, &set.metadata.name, ordinal),
                    namespace: set.metadata.namespace.clone(),
                    labels,
                    annotations: t.metadata.annotations.clone(),
                    ..Default::default()
                },
                spec: t.spec.clone(),
                status: Default::default(),
            }
        })
        .collect()
}

// ---- claim retention (persistentVolumeClaimRetentionPolicy, k8s-behaviour.md 1.12) ----

/// The retention policy after defaulting: which of the two events deletes a pod's claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Retention {
    /// `whenDeleted: Delete`: the claims go with the set.
    when_deleted: bool,
    /// `whenScaled: Delete`: a condemned pod's claims go with the pod.
    when_scaled: bool,
}

impl Retention {
    /// The table in 1.12: the set owns the claims of pods in range when whenDeleted=Delete, and keeps owning
    /// those of condemned pods unless whenScaled=Delete hands them to the pod.
    fn wants_set_owner(self, in_range: bool) -> bool {
        self.when_deleted && (in_range || !self.when_scaled)
    }

    fn wants_pod_owner(self, in_range: bool) -> bool {
        self.when_scaled && !in_range
    }
}

fn retention(set: &StatefulSet) -> Retention {
    let policy = set.spec.persistent_volume_claim_retention_policy.as_ref();
    let deletes = |v: Option<&String>| v.is_some_and(|v| v == "Delete");
    Retention {
        when_deleted: deletes(policy.and_then(|p| p.when_deleted.as_ref())),
        when_scaled: deletes(policy.and_then(|p| p.when_scaled.as_ref())),
    }
}

/// `podInOrdinalRange`: the ordinal is one of `start .. start + replicas`.
fn in_ordinal_range(set: &StatefulSet, ordinal: i32) -> bool {
    let start = set.start_ordinal();
    (start..start.saturating_add(set.replicas().max(0))).contains(&ordinal)
}

/// `claimOwnerMatchesSetAndPod` and `updateClaimOwnerRefForSetAndPod` in one: the ownerReferences a claim of
/// `pod` must carry under the set's policy, or `None` when it already carries them or is not the set's to
/// change. Only references to this set or this pod are added or removed; a claim that names an earlier set or
/// pod of the same name (a stale reference), or that another controller owns, is left alone.
fn retention_owner_refs(
    set: &StatefulSet,
    claim: &PersistentVolumeClaim,
    pod: &ObjectMeta,
    in_range: bool,
) -> Option<Vec<OwnerReference>> {
    let policy = retention(set);
    let refs = &claim.metadata.owner_references;
    let want_set = policy.wants_set_owner(in_range);
    let want_pod = policy.wants_pod_owner(in_range);
    if refs.is_empty() && !want_set && !want_pod {
        return None;
    }
    let names_set = |r: &OwnerReference| r.kind == "StatefulSet" && r.name == set.metadata.name;
    let names_pod = |r: &OwnerReference| r.kind == "Pod" && r.name == pod.name;
    if refs
        .iter()
        .any(|r| (names_set(r) && r.uid != set.metadata.uid) || (names_pod(r) && r.uid != pod.uid))
    {
        return None;
    }
    let retains_all = !policy.when_deleted && !policy.when_scaled;
    let foreign_controller = refs
        .iter()
        .any(|r| r.controller == Some(true) && !names_set(r) && !names_pod(r));
    if foreign_controller && !retains_all {
        return None;
    }
    let has_set = refs.iter().any(names_set);
    let has_pod = refs.iter().any(names_pod);
    if has_set == want_set && has_pod == want_pod {
        return None;
    }
    let mut out: Vec<OwnerReference> = refs
        .iter()
        .filter(|r| (want_set || !names_set(r)) && (want_pod || !names_pod(r)))
        .cloned()
        .collect();
    if want_set && !has_set {
        out.push(OwnerReference::controller(
            "apps/v1",
            "StatefulSet",
            &set.metadata,
        ));
    }
    if want_pod && !has_pod {
        out.push(OwnerReference::controller("v1", "Pod", pod));
    }
    Some(out)
}

/// `hasStaleOwnerRef` as `PodClaimIsStale` uses it: the claim of a pod that does not exist yet still names a
/// pod of that name as its owner, so it belongs to the earlier pod and is about to be collected with it.
fn claim_is_stale(claim: &PersistentVolumeClaim, pod_name: &str) -> bool {
    claim
        .metadata
        .owner_references
        .iter()
        .any(|r| r.kind == "Pod" && r.name == pod_name)
}

/// Names of the claims the set's templates give `ordinal`.
fn claim_names_for(set: &StatefulSet, ordinal: i32) -> impl Iterator<Item = String> + '_ {
    set.spec
        .volume_claim_templates
        .iter()
        .map(move |t| claim_name(&t.metadata.name, &set.metadata.name, ordinal))
}

/// The template claims of a set that exist, by ordinal: what one sync knows about claims. It is gathered with
/// one range scan per template (`<template>-<set>-*`); claims of ordinals in range go straight into a slot per
/// ordinal and template, the few others into a sorted list. Checking every pod's claims on every sync then
/// builds no names, sorts nothing big and allocates nothing per pod. It holds the store's shared handles, not
/// borrows, so a large set's claims can be read a chunk per unit of the cluster's work.
#[derive(Debug, Default)]
pub struct Claims {
    start: i32,
    templates: usize,
    /// `templates` slots per ordinal of `start .. start + replicas`.
    in_range: Vec<Option<Arc<Object>>>,
    /// `(ordinal, template index, claim)` for ordinals outside the range, sorted once reading is done.
    others: Vec<(i32, usize, Arc<Object>)>,
}

/// The claim a handle from [`Claims`] holds (only claims are put there).
fn as_claim(o: &Arc<Object>) -> Option<&PersistentVolumeClaim> {
    match &**o {
        Object::PersistentVolumeClaim(c) => Some(c),
        _ => None,
    }
}

impl Claims {
    fn new(set: &StatefulSet) -> Claims {
        let templates = set.spec.volume_claim_templates.len();
        Claims {
            start: set.start_ordinal(),
            templates,
            in_range: vec![None; set.replicas().max(0) as usize * templates],
            others: Vec::new(),
        }
    }

    /// The slot of `(ordinal, template)` when the ordinal is in range.
    fn slot(&self, ordinal: i32, template: usize) -> Option<usize> {
        let offset = usize::try_from(i64::from(ordinal) - i64::from(self.start)).ok()?;
        let i = offset.checked_mul(self.templates)?.checked_add(template)?;
        (template < self.templates && i < self.in_range.len()).then_some(i)
    }

    /// Files a claim of template `template` under the ordinal its name carries, if it is one of the set's.
    fn file(&mut self, set: &StatefulSet, template: usize, claim: &Arc<Object>) {
        let Some(t) = set.spec.volume_claim_templates.get(template) else {
            return;
        };
        let prefix_len = t.metadata.name.len() + set.metadata.name.len() + 2;
        let suffix = claim.meta().name.get(prefix_len..).unwrap_or("");
        if let Some(ordinal) = canonical_ordinal(suffix) {
            match self.slot(ordinal, template) {
                Some(i) => self.in_range[i] = Some(Arc::clone(claim)),
                None => self.others.push((ordinal, template, Arc::clone(claim))),
            }
        }
    }

    /// Sorts the claims of ordinals out of range, once every claim is filed.
    fn finish(&mut self) {
        crate::sort::by_key(&mut self.others, |(ordinal, t, _)| (*ordinal, *t));
    }

    /// Builds the index from claims in hand (for planning without a store).
    #[cfg(test)]
    pub fn from_claims(set: &StatefulSet, claims: &[&PersistentVolumeClaim]) -> Claims {
        let mut out = Claims::new(set);
        for t in 0..set.spec.volume_claim_templates.len() {
            let prefix = claim_prefix(set, t);
            for claim in claims
                .iter()
                .filter(|c| c.metadata.name.starts_with(&prefix))
            {
                out.file(
                    set,
                    t,
                    &Arc::new(Object::PersistentVolumeClaim(Box::new((*claim).clone()))),
                );
            }
        }
        out.finish();
        out
    }

    /// The claim of template `template` for `ordinal`, if it exists.
    pub fn get(&self, ordinal: i32, template: usize) -> Option<&PersistentVolumeClaim> {
        match self.slot(ordinal, template) {
            Some(i) => self.in_range[i].as_ref().and_then(as_claim),
            None => self
                .others
                .binary_search_by_key(&(ordinal, template), |(o, t, _)| (*o, *t))
                .ok()
                .and_then(|i| as_claim(&self.others[i].2)),
        }
    }

    /// Every existing claim of `ordinal`.
    pub fn of(&self, ordinal: i32) -> impl Iterator<Item = &PersistentVolumeClaim> + '_ {
        let (slots, others) = match self.slot(ordinal, 0) {
            Some(i) => (&self.in_range[i..i + self.templates], &self.others[..0]),
            None => {
                let from = self.others.partition_point(|(o, _, _)| *o < ordinal);
                let to = from + self.others[from..].partition_point(|(o, _, _)| *o == ordinal);
                (&self.in_range[..0], &self.others[from..to])
            }
        };
        slots
            .iter()
            .flatten()
            .chain(others.iter().map(|(_, _, claim)| claim))
            .filter_map(as_claim)
    }
}

/// `<template>-<set>-`: what the names of a template's claims start with.
fn claim_prefix(set: &StatefulSet, template: usize) -> String {
    let t = set
        .spec
        .volume_claim_templates
        .get(template)
        .map_or("", |t| t.metadata.name.as_str());
    format!("{t}-{}-", set.metadata.name)
}

/// A claim name's ordinal suffix, written as [`claim_name`] writes it (no sign, no leading zeros).
fn canonical_ordinal(digits: &str) -> Option<i32> {
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
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
    crate::model::decode(t).ok()
}

/// `HashControllerRevision`: FNV-32 of the data plus the collision count, printed in decimal and each digit
/// mapped through apimachinery's safe alphabet.
pub fn revision_hash(data: &Value, collision_count: i32) -> String {
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
    crate::rng::safe_encode_hash(h)
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

/// `getStatefulSetRevisions`: finds or creates the update revision (renumbering an equal older one); what
/// follows, from the current revision named in the status on, is decided once that is written. Revisions are
/// compared in place, never copied.
fn revisions(v: &ClusterView, set: Rc<StatefulSet>) -> Decision {
    let mut out = Decision::none();
    let ns = set.metadata.namespace.clone();
    let data = revision_data(&set.spec.template);
    let (found, next) = {
        let mut owned: Vec<&ControllerRevision> = v
            .store
            .controlled_by::<ControllerRevision>(&set.metadata)
            .collect();
        crate::sort::by_key(&mut owned, |r| (r.revision, r.metadata.creation_timestamp));
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
    match found {
        Found::Newest(name) => return act(v, set, name, collision_count),
        Found::Older(name) => {
            out.patch::<ControllerRevision>(&ns, &name, move |r| r.revision = next);
            out.then(move |v| act(v, set, name, collision_count));
        }
        Found::Missing => loop {
            let hash = revision_hash(&data, collision_count);
            let name = format!("{}-{hash}", set.metadata.name);
            if let Some(existing) = v.store.get_typed::<ControllerRevision>(&ns, &name) {
                if existing.data == data {
                    return act(v, set, name, collision_count);
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
            // A revision that cannot be written ends the sync.
            out.create_then(Object::ControllerRevision(rev), move |outcome| {
                let mut out = Decision::none();
                if outcome.is_ok() {
                    out.then(move |v| act(v, set, name, collision_count));
                }
                out
            });
            break;
        },
    }
    out
}

// ---- planning (stateful_set_control.go) ----

/// One thing the controller decided to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Create the missing claims, then the pod, then give the claims the owners the retention policy wants.
    CreatePod(NewPod),
    /// Create claims missing for a pod that is still Pending.
    CreateClaims {
        pod: String,
        claims: Vec<PersistentVolumeClaim>,
    },
    /// Rewrite the ownerReferences of a pod's claims to match the retention policy (no Event).
    UpdateClaimOwners {
        pod: String,
    },
    DeletePod {
        name: String,
    },
    /// Rewrite a pod's identity labels and claim volumes, and its claims' ownerReferences (`UpdateStatefulPod`,
    /// which records `SuccessfulUpdate` even when only the claims needed fixing).
    UpdatePod {
        pod: Box<Pod>,
    },
}

/// A pod to create, and which of its claims are missing: built only when its turn comes, so a sync that
/// creates thousands of pods (Parallel, `replicas: 100000`) decides in a moment and builds them one by one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPod {
    pub ordinal: i32,
    /// The template of the revision it gets, and that revision's name.
    pub template: Rc<PodTemplateSpec>,
    pub revision: Rc<str>,
    /// The indexes of the claim templates whose claims do not exist yet.
    pub missing_claims: Vec<usize>,
}

impl NewPod {
    /// The pod and its missing claims, as `newVersionedStatefulSetPod` and `getPersistentVolumeClaims` make them.
    pub fn build(&self, set: &StatefulSet) -> (Pod, Vec<PersistentVolumeClaim>) {
        let pod = new_pod(set, &self.template, self.ordinal, &self.revision);
        let claims = claims_from(set, self.ordinal, self.missing_claims.iter().copied());
        (pod, claims)
    }
}

/// What a sync will do and the status it will write.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub status: StatefulSetStatus,
    /// Whether the controller stops at the first failed action (OrderedReady) or goes on (Parallel).
    pub monotonic: bool,
    /// A slot waits for a stale claim (1.12.4) to be collected: nothing failed, but the set must be looked at
    /// again, because the controller does not watch claims.
    pub waits_for_stale_claim: bool,
    /// What this sync left undone, and for what: where an OrderedReady sync stopped, what a rolling update
    /// waits for. Nothing acts on these; the screen and the terminal's `why` explain them.
    pub holds: Vec<Hold>,
    /// Pods not at the update revision, when there are any.
    pub update: Option<UpdateProgress>,
}

/// Something a sync did not do yet, and the reason, in the controller's own terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hold {
    /// The set is being deleted: the controller creates, repairs and replaces nothing.
    SetDeleting,
    /// OrderedReady: the pod of `ordinal` failed (or completed) and is deleted to be created again; nothing
    /// after it happens meanwhile.
    Recreating { ordinal: i32 },
    /// The slot of `ordinal` waits for the claim an earlier pod of that name owned to be collected
    /// (`whenScaled: Delete`).
    StaleClaim { ordinal: i32 },
    /// OrderedReady: nothing after the pod of `ordinal` happens until it is Running and Ready (and available
    /// for `minReadySeconds`), or, when it is being deleted, until it is gone.
    Unhealthy { ordinal: i32 },
    /// OrderedReady scale-down: the condemned pod of `ordinal` is terminating; the next one goes once it is
    /// gone.
    Terminating { ordinal: i32 },
    /// OrderedReady scale-down: the pod of `ordinal` would be deleted next, but `unhealthy` (the first
    /// unavailable pod) must become Running and Ready first.
    ScaleDownWaits { ordinal: i32, unhealthy: String },
    /// Rolling update: `unavailable` pods are unavailable already and `maxUnavailable` is `max`, so the next
    /// pod to replace waits.
    UpdateWaits { unavailable: i32, max: i32 },
}

/// How far a rolling update (or an OnDelete change) has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateProgress {
    /// The ordinal the controller replaces next (highest first, down to the partition); none when the pods left
    /// at the old revision are all below the partition, or the strategy is OnDelete.
    pub next: Option<i32>,
    /// Pods at or above the partition not at the update revision yet.
    pub outdated: usize,
    /// Pods below the partition, which keep their revision.
    pub kept: usize,
    /// The partition (0 without one).
    pub partition: i32,
    /// `updateStrategy: OnDelete`: a pod gets the new revision only when it is deleted.
    pub on_delete: bool,
}

/// What [`plan`] reads besides the members: the set, the claims that exist and the revisions.
pub struct SetView<'a> {
    pub set: &'a StatefulSet,
    /// The set's template claims that exist.
    pub claims: &'a Claims,
    pub current_revision: &'a str,
    pub update_revision: &'a str,
    pub current_template: &'a PodTemplateSpec,
    pub collision_count: i32,
}

fn revision_of(pod: &Pod) -> &str {
    pod.metadata
        .labels
        .get(REVISION_LABEL)
        .map_or("", String::as_str)
}

/// What one sync asks of one of the set's pods, read in one go: deciding never looks into the pod again, so a
/// large set's pods can be read a chunk per unit of the cluster's work and the plan made from these alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    terminal: bool,
    terminating: bool,
    running_and_ready: bool,
    /// Ready for `minReadySeconds` (`IsPodAvailable`).
    available: bool,
    pending: bool,
    /// Its revision label names the current / the update revision.
    current: bool,
    updated: bool,
    /// `identityMatches` and `storageMatches`.
    identity_ok: bool,
    /// Its existing claims have the owners the retention policy wants for a pod in (or out of) range.
    claims_ok: bool,
}

impl Facts {
    /// `isHealthy` and `IsPodAvailable`: what the first-unavailable search and `maxUnavailable` count.
    fn unavailable(self) -> bool {
        !self.running_and_ready || self.terminating || !self.available
    }
}

/// A missing slot counts as unavailable.
fn is_unavailable(slot: Option<Facts>) -> bool {
    slot.is_none_or(Facts::unavailable)
}

/// Everything the [`Facts`] of a pod depend on besides the pod: fixed for one sync.
pub struct FactReader<'a> {
    set: &'a StatefulSet,
    claims: &'a Claims,
    policy: Retention,
    current_revision: &'a str,
    update_revision: &'a str,
    min_ready: i64,
    now: Time,
    range: std::ops::Range<i32>,
}

impl<'a> FactReader<'a> {
    pub fn new(
        set: &'a StatefulSet,
        claims: &'a Claims,
        current_revision: &'a str,
        update_revision: &'a str,
        now: Time,
    ) -> Self {
        let start = set.start_ordinal();
        FactReader {
            set,
            claims,
            policy: retention(set),
            current_revision,
            update_revision,
            min_ready: set.min_ready_seconds(),
            now,
            range: start..start.saturating_add(set.replicas().max(0)),
        }
    }

    /// The facts of `pod`, the set's pod of `ordinal`.
    pub fn read(&self, ordinal: i32, pod: &Pod) -> Facts {
        let revision = revision_of(pod);
        Facts {
            terminal: pod.is_terminal(),
            terminating: pod.metadata.is_terminating(),
            running_and_ready: pod.is_running_and_ready(),
            available: pod.is_available(self.min_ready, self.now),
            pending: pod.status.phase == "Pending",
            current: revision == self.current_revision,
            updated: revision == self.update_revision,
            identity_ok: identity_matches(self.set, pod) && storage_matches(self.set, pod, ordinal),
            claims_ok: claims_match_policy(
                self.set,
                self.claims,
                self.policy,
                pod,
                ordinal,
                self.range.contains(&ordinal),
            ),
        }
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
        Some(IntOrString::Int(n)) => n.clamp(0, i64::from(i32::MAX)) as i32,
        Some(IntOrString::String(s)) => {
            let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            (i64::from(replicas) * pct / 100).clamp(0, i64::from(i32::MAX)) as i32
        }
    };
    n.max(1)
}

/// Whether the update strategy is `RollingUpdate` (the default) rather than `OnDelete`.
fn is_rolling_update(set: &StatefulSet) -> bool {
    set.spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        != Some("OnDelete")
}

/// `computeReplicaStatus` over the pods at the start of the sync.
fn compute_status(v: &SetView, members: &[Member]) -> StatefulSetStatus {
    let mut s = StatefulSetStatus {
        observed_generation: Some(v.set.metadata.generation),
        current_revision: v.current_revision.to_string(),
        update_revision: v.update_revision.to_string(),
        collision_count: v.collision_count,
        ..Default::default()
    };
    for (_, _, f) in members {
        s.replicas += 1;
        if f.running_and_ready {
            s.ready_replicas += 1;
            if f.available {
                s.available_replicas += 1;
            }
        }
        if !f.terminating {
            if f.current {
                s.current_replicas += 1;
            }
            if f.updated {
                s.updated_replicas += 1;
            }
        }
    }
    s
}

/// `completeRollingUpdate` (1.9.6): once every pod runs the update revision and is ready, it becomes the
/// current one. It applies to every status the controller writes, however far the sync got, and only to
/// RollingUpdate: an OnDelete set keeps its old currentRevision (1.9.5).
fn complete_rolling_update(set: &StatefulSet, s: &mut StatefulSetStatus) {
    if is_rolling_update(set)
        && s.updated_replicas == s.ready_replicas
        && s.ready_replicas == s.replicas
        && s.replicas == set.replicas()
    {
        s.current_revision = s.update_revision.clone();
        s.current_replicas = s.updated_replicas;
    }
}

/// Whether every existing claim of `pod` already has the owners the retention policy wants. The common case,
/// a policy that wants no owner and a claim with none, is answered without looking further.
fn claims_match_policy(
    set: &StatefulSet,
    claims: &Claims,
    policy: Retention,
    pod: &Pod,
    ordinal: i32,
    in_range: bool,
) -> bool {
    let wants_owner = policy.wants_set_owner(in_range) || policy.wants_pod_owner(in_range);
    claims.of(ordinal).all(|claim| {
        (!wants_owner && claim.metadata.owner_references.is_empty())
            || retention_owner_refs(set, claim, &pod.metadata, in_range).is_none()
    })
}

/// A pod of the set with its ordinal and what the sync read of it.
pub type Member<'a> = (i32, &'a Pod, Facts);

/// Decides one sync of `updateStatefulSet` (k8s-behaviour.md 1.7–1.9) from the set's pods and what was read
/// of them ([`FactReader`]), without touching the store.
pub fn plan(v: &SetView, members: &[Member]) -> Plan {
    let mut out = Plan {
        actions: Vec::new(),
        status: compute_status(v, members),
        monotonic: v.set.pod_management_policy() != PodManagementPolicy::Parallel,
        waits_for_stale_claim: false,
        holds: Vec::new(),
        update: None,
    };
    decide(v, members, &mut out);
    complete_rolling_update(v.set, &mut out.status);
    out
}

/// The body of [`plan`]: returns as soon as the sync is blocked.
fn decide(v: &SetView, members: &[Member], out: &mut Plan) {
    let set = v.set;
    let monotonic = out.monotonic;
    let start = set.start_ordinal();
    let replicas = set.replicas().max(0);
    let end = start.saturating_add(replicas);
    let policy = retention(set);

    let mut slots: Vec<Option<(&Pod, Facts)>> = vec![None; replicas as usize];
    // Condemned pods with their ordinals, highest first.
    let mut condemned: Vec<Member> = Vec::new();
    for &(ord, pod, facts) in members {
        if (start..end).contains(&ord) {
            slots[(ord - start) as usize] = Some((pod, facts));
        } else {
            condemned.push((ord, pod, facts));
        }
    }
    crate::sort::by_key(&mut condemned, |(ord, _, _)| std::cmp::Reverse(*ord));

    // The first unavailable pod: replicas ascending, then condemned ascending. A missing slot counts.
    let first_unavailable: Option<String> = slots
        .iter()
        .enumerate()
        .find(|(_, p)| is_unavailable(p.map(|(_, f)| f)))
        .map(|(i, _)| pod_name(&set.metadata.name, start + i as i32))
        .or_else(|| {
            condemned
                .iter()
                .rev()
                .find(|(_, _, f)| f.unavailable())
                .map(|(_, p, _)| p.metadata.name.clone())
        });

    if set.metadata.is_terminating() {
        out.holds.push(Hold::SetDeleting);
        return;
    }

    let partition = set
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .map(|r| r.partition.unwrap_or(0));
    let on_delete = !is_rolling_update(set);
    out.update = update_progress(&slots, start, partition.unwrap_or(0), on_delete);

    // The templates and revision names pods are created from, shared by every pod of this sync.
    let mut current: Option<Rc<PodTemplateSpec>> = None;
    let mut update: Option<Rc<PodTemplateSpec>> = None;
    let mut revision_names: std::collections::BTreeMap<&str, Rc<str>> = Default::default();
    // Step A: replicas in ascending order.
    for (i, slot) in slots.iter().enumerate() {
        let ordinal = start + i as i32;
        match *slot {
            Some((pod, f)) if f.terminal => {
                if !f.terminating {
                    out.actions.push(Action::DeletePod {
                        name: pod.metadata.name.clone(),
                    });
                }
                if monotonic {
                    out.holds.push(Hold::Recreating { ordinal });
                    return;
                }
                continue;
            }
            None => {
                // whenScaled=Delete: a claim still owned by an earlier pod of this name goes with that pod, so
                // this slot waits for it to be collected (PodClaimIsStale).
                let name = pod_name(&set.metadata.name, ordinal);
                if policy.when_scaled && v.claims.of(ordinal).any(|c| claim_is_stale(c, &name)) {
                    out.waits_for_stale_claim = true;
                    out.holds.push(Hold::StaleClaim { ordinal });
                    if monotonic {
                        return;
                    }
                    continue;
                }
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
                    let t = current
                        .get_or_insert_with(|| Rc::new(v.current_template.clone()))
                        .clone();
                    (t, v.current_revision)
                } else {
                    let t = update
                        .get_or_insert_with(|| Rc::new(set.spec.template.clone()))
                        .clone();
                    (t, v.update_revision)
                };
                let missing_claims = (0..set.spec.volume_claim_templates.len())
                    .filter(|t| v.claims.get(ordinal, *t).is_none())
                    .collect();
                out.actions.push(Action::CreatePod(NewPod {
                    ordinal,
                    template,
                    revision: revision_names
                        .entry(revision)
                        .or_insert_with(|| Rc::from(revision))
                        .clone(),
                    missing_claims,
                }));
                if monotonic {
                    return;
                }
                continue;
            }
            Some((pod, f)) => {
                // A Pending pod gets its missing claims back, and its claims' owners set (1.5).
                let mut claims_fixed = false;
                if f.pending {
                    let missing = claims_from(
                        set,
                        ordinal,
                        (0..set.spec.volume_claim_templates.len())
                            .filter(|t| v.claims.get(ordinal, *t).is_none()),
                    );
                    let created = !missing.is_empty();
                    if created {
                        out.actions.push(Action::CreateClaims {
                            pod: pod.metadata.name.clone(),
                            claims: missing,
                        });
                    }
                    if created || !f.claims_ok {
                        out.actions.push(Action::UpdateClaimOwners {
                            pod: pod.metadata.name.clone(),
                        });
                    }
                    claims_fixed = true;
                }
                if monotonic && (f.terminating || !f.running_and_ready || !f.available) {
                    out.holds.push(Hold::Unhealthy { ordinal });
                    return;
                }
                if !f.identity_ok || !(claims_fixed || f.claims_ok) {
                    let mut fixed = pod.clone();
                    if !f.identity_ok {
                        repair_identity(set, &mut fixed, ordinal);
                    }
                    out.actions.push(Action::UpdatePod {
                        pod: Box::new(fixed),
                    });
                }
            }
        }
    }

    // Step 9: every condemned pod's claims get their owners before any condemned pod is deleted, so that with
    // whenScaled=Delete a claim follows its pod out (1.12.2).
    for &(_, pod, f) in &condemned {
        if !f.claims_ok {
            out.actions.push(Action::UpdateClaimOwners {
                pod: pod.metadata.name.clone(),
            });
        }
    }

    // Step B: condemned pods, highest ordinal first.
    for &(ordinal, pod, f) in &condemned {
        if f.terminating {
            if monotonic {
                out.holds.push(Hold::Terminating { ordinal });
                return;
            }
            continue;
        }
        let is_first = first_unavailable.as_deref() == Some(pod.metadata.name.as_str());
        if monotonic && !is_first && (!f.running_and_ready || !f.available) {
            out.holds.push(Hold::ScaleDownWaits {
                ordinal,
                unhealthy: first_unavailable.clone().unwrap_or_default(),
            });
            return;
        }
        out.actions.push(Action::DeletePod {
            name: pod.metadata.name.clone(),
        });
        if monotonic {
            return;
        }
    }

    if on_delete {
        return;
    }

    // Rolling update: replace pods not at the update revision, highest ordinal first, down to the partition.
    // Unavailable pods anywhere in the range, below the partition too, count against maxUnavailable.
    let max_unavailable = max_unavailable(set);
    let unavailable = slots
        .iter()
        .filter(|p| is_unavailable(p.map(|(_, f)| f)))
        .count() as i32;
    if unavailable >= max_unavailable && out.update.as_ref().is_some_and(|u| u.next.is_some()) {
        out.holds.push(Hold::UpdateWaits {
            unavailable,
            max: max_unavailable,
        });
    }
    if unavailable < max_unavailable {
        let mut to_delete = max_unavailable - unavailable;
        let floor = partition.unwrap_or(0).max(0) as usize;
        for slot in slots.iter().rev().take(slots.len().saturating_sub(floor)) {
            if to_delete <= 0 {
                break;
            }
            let Some((pod, f)) = slot else { continue };
            if !f.updated && !f.terminating {
                out.actions.push(Action::DeletePod {
                    name: pod.metadata.name.clone(),
                });
                out.status.current_replicas -= 1;
                to_delete -= 1;
            }
        }
    }
}

/// The pods of the range not at the update revision: which the rolling update replaces next, how many are
/// left above the partition and how many it keeps below. `None` when every pod is at the update revision.
fn update_progress(
    slots: &[Option<(&Pod, Facts)>],
    start: i32,
    partition: i32,
    on_delete: bool,
) -> Option<UpdateProgress> {
    let floor = partition.max(0) as usize;
    let mut progress = UpdateProgress {
        next: None,
        outdated: 0,
        kept: 0,
        partition: partition.max(0),
        on_delete,
    };
    for (i, slot) in slots.iter().enumerate().rev() {
        let Some((_, f)) = slot else { continue };
        if f.updated {
            continue;
        }
        if i < floor {
            progress.kept += 1;
        } else {
            progress.outdated += 1;
            if progress.next.is_none() && !on_delete && !f.terminating {
                progress.next = Some(start + i as i32);
            }
        }
    }
    (progress.outdated + progress.kept > 0).then_some(progress)
}

// ---- acting (stateful_pod_control.go) ----

/// The StatefulSet controller. It remembers nothing between syncs.
#[derive(Debug, Default)]
pub struct StatefulSetController;

impl Controller for StatefulSetController {
    /// A set's own changes; a pod's go to the set that owns it, or for an orphan to the set of its name that
    /// could adopt it.
    fn route(&mut self, v: &ClusterView, _: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        let pod = match &**obj {
            Object::StatefulSet(_) => {
                d.queue(ObjectKey::of(obj));
                return d;
            }
            Object::Pod(pod) => pod,
            _ => return d,
        };
        let ns = &pod.metadata.namespace;
        if let Some(owner) = pod.metadata.controller_ref() {
            if owner.kind == "StatefulSet" {
                d.queue(ObjectKey::new(Kind::StatefulSet, ns, &owner.name));
            }
            return d;
        }
        if let Some((parent, _)) = parent_and_ordinal(&pod.metadata.name) {
            if v.store.get_typed::<StatefulSet>(ns, parent).is_some() {
                d.queue(ObjectKey::new(Kind::StatefulSet, ns, parent));
            }
        }
        d
    }

    /// Claims revisions and pods, then (once those writes are made) finds the revisions, plans and acts.
    fn reconcile(&mut self, v: &ClusterView, key: &ObjectKey) -> Decision {
        let mut d = Decision::none();
        let Some(set) = v.store.get_typed::<StatefulSet>(&key.namespace, &key.name) else {
            return d;
        };
        adopt_revisions(v, set, &mut d);
        let claiming = PodClaiming {
            set: Rc::new(set.clone()),
            after: None,
            changes: Vec::new(),
        };
        d.extend(claim_pods(v, claiming));
        d
    }

    fn wake(&mut self, _: &ClusterView, wake: Wake) -> Decision {
        let mut d = Decision::none();
        if let Wake::StatefulSet(key) = wake {
            d.queue(key);
        }
        d
    }
}

/// How many pods or claims one unit of a sync reads. Reading is a chain of one decision's continuations, so
/// nothing runs between two chunks and the sync sees what one read would; a set of 100,000 pods is read over
/// a few hundred short units instead of one that holds the page for a quarter of a second.
const READ_CHUNK: usize = 500;

/// What a pod named `<set>-<ordinal>` is to the set, as the ControllerRef manager sees it.
enum Membership {
    Member,
    /// Owned but no longer matching the selector.
    Release,
    /// An orphan that matches.
    Adopt,
    Other,
}

fn membership(
    set: &StatefulSet,
    selector: &crate::model::meta::LabelSelector,
    pod: &Pod,
) -> Membership {
    let uid = &set.metadata.uid;
    let matches = || selector.matches(&pod.metadata.labels);
    // A set being deleted neither adopts nor releases, and a pod being deleted is not adopted.
    match pod.metadata.controller_ref() {
        Some(r) if r.uid == *uid => {
            if matches() {
                Membership::Member
            } else if !set.metadata.is_terminating() {
                Membership::Release
            } else {
                Membership::Other
            }
        }
        None if !set.metadata.is_terminating() && !pod.metadata.is_terminating() && matches() => {
            Membership::Adopt
        }
        _ => Membership::Other,
    }
}

/// Reads up to [`READ_CHUNK`] objects of `kind` named `<prefix>…` in the set's namespace after the name
/// `after`, moving `after` on; answers whether the last one is read.
fn scan_chunk(
    store: &crate::store::Store,
    kind: Kind,
    set: &StatefulSet,
    prefix: &str,
    after: &mut Option<String>,
    each: &mut dyn FnMut(&Arc<Object>),
) -> bool {
    let mut last = None;
    let scan = store.scan_prefix(kind, &set.metadata.namespace, prefix, after.as_deref());
    for (n, obj) in scan.enumerate() {
        if n == READ_CHUNK {
            *after = last;
            return false;
        }
        last = Some(obj.meta().name.clone());
        each(obj);
    }
    true
}

/// [`scan_chunk`] over the set's pods (`<set>-<ordinal>`), each with its ordinal.
fn scan_pods(
    store: &crate::store::Store,
    set: &StatefulSet,
    after: &mut Option<String>,
    each: &mut dyn FnMut(i32, &Arc<Object>, &Pod),
) -> bool {
    let prefix = format!("{}-", set.metadata.name);
    scan_chunk(store, Kind::Pod, set, &prefix, after, &mut |obj| {
        let Object::Pod(pod) = &**obj else { return };
        if let Some((_, ord)) =
            parent_and_ordinal(&pod.metadata.name).filter(|(p, _)| *p == set.metadata.name)
        {
            each(ord, obj, pod);
        }
    })
}

/// The ControllerRef manager's pass over the set's pods: orphans that match are adopted, owned pods that no
/// longer match released. Then the sync goes on to the revisions.
struct PodClaiming {
    set: Rc<StatefulSet>,
    after: Option<String>,
    changes: Vec<Pod>,
}

fn claim_pods(v: &ClusterView, mut c: PodClaiming) -> Decision {
    let mut d = Decision::none();
    let set = Rc::clone(&c.set);
    let selector = set.selector();
    let changes = &mut c.changes;
    let done = scan_pods(
        v.store,
        &set,
        &mut c.after,
        &mut |_, _, pod| match membership(&set, &selector, pod) {
            Membership::Release => {
                let mut released = pod.clone();
                released
                    .metadata
                    .owner_references
                    .retain(|r| r.uid != set.metadata.uid);
                changes.push(released);
            }
            Membership::Adopt => {
                let mut adopted = pod.clone();
                let owner = OwnerReference::controller("apps/v1", "StatefulSet", &set.metadata);
                adopted.metadata.owner_references.push(owner);
                changes.push(adopted);
            }
            Membership::Member | Membership::Other => {}
        },
    );
    if !done {
        d.then(move |v| claim_pods(v, c));
        return d;
    }
    for pod in c.changes {
        d.update(Object::Pod(pod));
    }
    d.then(move |v| revisions(v, set));
    d
}

/// One sync's reading of the set's template claims, then of its pods with their [`Facts`], a chunk per unit.
struct SyncReading {
    set: Rc<StatefulSet>,
    revs: Revisions,
    current_template: PodTemplateSpec,
    now: Time,
    claims: Claims,
    members: Vec<(i32, Arc<Object>, Facts)>,
    /// minReadySeconds: when the next ready pod becomes available.
    next_available: Option<Time>,
    step: ReadStep,
}

enum ReadStep {
    Claims {
        template: usize,
        after: Option<String>,
    },
    Pods {
        after: Option<String>,
    },
}

impl SyncReading {
    /// The reading of a sync whose update revision is `update`: the current revision is the one the status
    /// names, if it still exists.
    fn new(
        store: &crate::store::Store,
        set: Rc<StatefulSet>,
        update: String,
        collision_count: i32,
        now: Time,
    ) -> SyncReading {
        let ns = &set.metadata.namespace;
        let current = Some(&set.status.current_revision)
            .filter(|n| !n.is_empty() && store.get_typed::<ControllerRevision>(ns, n).is_some())
            .cloned()
            .unwrap_or_else(|| update.clone());
        let revs = Revisions {
            current,
            update,
            collision_count,
        };
        // The template of the current revision, needed only while an update is in progress.
        let current_template = if revs.current == revs.update {
            set.spec.template.clone()
        } else {
            store
                .get_typed::<ControllerRevision>(ns, &revs.current)
                .and_then(revision_template)
                .unwrap_or_else(|| set.spec.template.clone())
        };
        SyncReading {
            claims: Claims::new(&set),
            set,
            revs,
            current_template,
            now,
            members: Vec::new(),
            next_available: None,
            step: ReadStep::Claims {
                template: 0,
                after: None,
            },
        }
    }

    /// The pods read, with their ordinals and facts.
    fn members(&self) -> Vec<Member<'_>> {
        self.members
            .iter()
            .filter_map(|(ordinal, obj, facts)| match &**obj {
                Object::Pod(pod) => Some((*ordinal, pod, *facts)),
                _ => None,
            })
            .collect()
    }

    /// What [`plan`] reads besides the members.
    fn view(&self) -> SetView<'_> {
        SetView {
            set: &self.set,
            claims: &self.claims,
            current_revision: &self.revs.current,
            update_revision: &self.revs.update,
            current_template: &self.current_template,
            collision_count: self.revs.collision_count,
        }
    }

    /// Reads the next chunk; answers whether everything is read.
    fn read(&mut self, store: &crate::store::Store) -> bool {
        let set = Rc::clone(&self.set);
        match &mut self.step {
            ReadStep::Claims { template, after } => {
                if *template >= set.spec.volume_claim_templates.len() {
                    self.claims.finish();
                    self.step = ReadStep::Pods { after: None };
                    return false;
                }
                let prefix = claim_prefix(&set, *template);
                let t = *template;
                let claims = &mut self.claims;
                let kind = Kind::PersistentVolumeClaim;
                if !scan_chunk(store, kind, &set, &prefix, after, &mut |c| {
                    claims.file(&set, t, c)
                }) {
                    return false;
                }
                *template += 1;
                *after = None;
                false
            }
            ReadStep::Pods { after } => {
                let selector = set.selector();
                let reader = FactReader::new(
                    &set,
                    &self.claims,
                    &self.revs.current,
                    &self.revs.update,
                    self.now,
                );
                let min_ready = set.min_ready_seconds();
                let (members, next_available) = (&mut self.members, &mut self.next_available);
                scan_pods(store, &set, after, &mut |ordinal, obj, pod| {
                    if !matches!(membership(&set, &selector, pod), Membership::Member) {
                        return;
                    }
                    let facts = reader.read(ordinal, pod);
                    if min_ready > 0 && facts.running_and_ready && !facts.available {
                        let ready = pod.condition("Ready").and_then(|r| r.last_transition_time);
                        if let Some(due) = ready.map(|t| t.plus(min_ready as u64 * 1000)) {
                            *next_available = Some(next_available.map_or(due, |n| n.min(due)));
                        }
                    }
                    members.push((ordinal, Arc::clone(obj), facts));
                })
            }
        }
    }
}

/// How long a sync waits before it looks again at something that failed or is blocked on a claim.
const RETRY_MS: u64 = 5_000;

/// The next 5-second mark after `now`. Retries land on a shared grid, so however many syncs ask for one, the
/// requests due at a mark coalesce into one sync and one new request: a set stuck for a long time keeps one
/// retry going, not one per sync that saw it stuck.
fn next_retry(now: Time) -> u64 {
    RETRY_MS - now.millis() % RETRY_MS
}

/// With the revisions written: plans the sync over the store as it now is, carries the plan out, writes the
/// status, drops old history and sets the timers that look at the set again.
fn act(v: &ClusterView, set: Rc<StatefulSet>, update: String, collision_count: i32) -> Decision {
    read_and_act(
        v,
        SyncReading::new(v.store, set, update, collision_count, v.now),
    )
}

/// What a sync of `set` would plan now, from the revisions its status names, read all at once: for
/// explaining what the set waits for, not for acting. `None` before the controller has synced the set.
pub fn plan_now(store: &crate::store::Store, set: &StatefulSet, now: Time) -> Option<Plan> {
    let update = set.status.update_revision.clone();
    if update.is_empty() {
        return None;
    }
    let collision_count = set.status.collision_count;
    let mut r = SyncReading::new(store, Rc::new(set.clone()), update, collision_count, now);
    while !r.read(store) {}
    let members = r.members();
    Some(plan(&r.view(), &members))
}

/// Reads the next chunk of the sync; once everything is read, plans the sync and acts on it.
fn read_and_act(v: &ClusterView, mut r: SyncReading) -> Decision {
    let mut out = Decision::none();
    if !r.read(v.store) {
        out.then(move |v| read_and_act(v, r));
        return out;
    }
    let members = r.members();
    let plan = plan(&r.view(), &members);
    drop(members);
    let SyncReading {
        set,
        revs,
        now,
        next_available,
        ..
    } = r;
    let ns = &set.metadata.namespace;
    let failed = execute(&mut out, &set, plan.actions, plan.monotonic);
    write_status(&mut out, &set, plan.status);
    let waits = plan.waits_for_stale_claim;
    let key = ObjectKey::new(Kind::StatefulSet, ns, &set.metadata.name);
    out.then(move |v| {
        let mut out = truncate_history(v, &set, &revs);
        if failed.get() || waits {
            out.wake_at(now.plus(next_retry(now)), Wake::StatefulSet(key.clone()));
        }
        if let Some(due) = next_available {
            out.wake_at(due, Wake::StatefulSet(key));
        }
        out
    });
    out
}

/// Step 1 (`ClaimControllerRevisions`): orphan revisions whose labels match the selector are adopted, so a set
/// recreated after `--cascade=orphan` takes its history back. Revisions are named `<set>-<hash>`, so only that
/// name range is read.
fn adopt_revisions(v: &ClusterView, set: &StatefulSet, d: &mut Decision) {
    if set.metadata.is_terminating() {
        return;
    }
    let ns = &set.metadata.namespace;
    let selector = set.selector();
    if selector.is_empty() {
        return;
    }
    let orphans = v
        .store
        .list_prefix::<ControllerRevision>(ns, &format!("{}-", set.metadata.name))
        .filter(|r| r.metadata.controller_ref().is_none())
        .filter(|r| selector.matches(&r.metadata.labels));
    for rev in orphans {
        let owner = OwnerReference::controller("apps/v1", "StatefulSet", &set.metadata);
        d.patch::<ControllerRevision>(ns, &rev.metadata.name, move |r| {
            r.metadata.owner_references.push(owner);
        });
    }
}

/// Carries out the plan, one action after the other, each decided over the store as the ones before left it;
/// answers the flag that says whether something failed and the sync should be retried. An OrderedReady set
/// (`monotonic`) stops at the first failure.
fn execute(
    out: &mut Decision,
    set: &Rc<StatefulSet>,
    actions: Vec<Action>,
    monotonic: bool,
) -> Rc<Cell<bool>> {
    let failed = Rc::new(Cell::new(false));
    let about = Rc::new(crate::events::reference(&**set, None));
    push_actions(
        out,
        Pending {
            set: Rc::clone(set),
            about,
            failed: Rc::clone(&failed),
            monotonic,
        },
        actions.into_iter(),
    );
    failed
}

/// What every action of one sync shares.
#[derive(Clone)]
struct Pending {
    set: Rc<StatefulSet>,
    about: Rc<ObjectReference>,
    failed: Rc<Cell<bool>>,
    monotonic: bool,
}

/// Pushes the next [`READ_CHUNK`] actions, then a continuation that pushes the rest once those are done: the
/// order of pushing them all at once, without building 100,000 continuations in one unit of work.
fn push_actions(out: &mut Decision, p: Pending, mut rest: std::vec::IntoIter<Action>) {
    for action in rest.by_ref().take(READ_CHUNK) {
        let p = p.clone();
        out.then(move |v| carry_out(v, p, action));
    }
    if rest.len() > 0 {
        out.then(move |_| {
            let mut out = Decision::none();
            push_actions(&mut out, p, rest);
            out
        });
    }
}

/// One action of the plan, decided over the store as the ones before left it.
fn carry_out(v: &ClusterView, p: Pending, action: Action) -> Decision {
    let Pending {
        set,
        about,
        failed,
        monotonic,
    } = p;
    let mut out = Decision::none();
    if monotonic && failed.get() {
        return out;
    }
    let set_name = &set.metadata.name;
    match action {
        Action::CreatePod(new) => {
            let (pod, claims) = new.build(&set);
            let ok = Rc::new(Cell::new(true));
            create_claims(&mut out, &about, set_name, &pod.metadata.name, claims, &ok);
            let created = Rc::clone(&ok);
            out.then(move |v| {
                if created.get() {
                    create_pod(v, set, about, pod, created)
                } else {
                    Decision::none()
                }
            });
            out.then(move |_| {
                failed.set(failed.get() || !ok.get());
                Decision::none()
            });
        }
        Action::CreateClaims { pod, claims } => {
            let ok = Rc::new(Cell::new(true));
            create_claims(&mut out, &about, set_name, &pod, claims, &ok);
            out.then(move |_| {
                failed.set(failed.get() || !ok.get());
                Decision::none()
            });
        }
        Action::UpdateClaimOwners { pod } => {
            out.extend(update_claim_owners(v, &set, &pod));
        }
        Action::DeletePod { name } => {
            let key = ObjectKey::new(Kind::Pod, &set.metadata.namespace, &name);
            let set_name = set_name.clone();
            out.delete_then(key, DeleteOptions::default(), move |outcome| {
                let mut out = Decision::none();
                match outcome {
                    Ok(()) => {
                        let msg = format!("delete Pod {name} in StatefulSet {set_name} successful");
                        out.event_on(
                            (*about).clone(),
                            EventType::Normal,
                            "SuccessfulDelete",
                            &msg,
                            SOURCE,
                        );
                    }
                    Err(e) => {
                        let msg = format!(
                            "delete Pod {name} in StatefulSet {set_name} failed error: {}",
                            e.message()
                        );
                        out.event_on(
                            (*about).clone(),
                            EventType::Warning,
                            "FailedDelete",
                            &msg,
                            SOURCE,
                        );
                        failed.set(true);
                    }
                }
                out
            });
        }
        Action::UpdatePod { pod } => {
            let name = pod.metadata.name.clone();
            // The claims first, as UpdateStatefulPod does; a pod whose only fault was its claims'
            // owners is written unchanged, and the update still counts as one. Writing the claims
            // cannot make the pod go, so whether the write finds it is known now.
            out.extend(update_claim_owners(v, &set, &name));
            let ok = v
                .store
                .get_typed::<Pod>(&pod.metadata.namespace, &name)
                .is_some();
            out.update(Object::Pod(*pod));
            let (t, reason, word) = if ok {
                (EventType::Normal, "SuccessfulUpdate", "successful")
            } else {
                (EventType::Warning, "FailedUpdate", "failed")
            };
            out.event_on(
                (*about).clone(),
                t,
                reason,
                &format!("update Pod {name} in StatefulSet {set_name} {word}"),
                SOURCE,
            );
            if !ok {
                failed.set(true);
            }
        }
    }
    out
}

/// `UpdatePodClaimForRetentionPolicy`: gives each existing claim of the pod the owners the retention policy
/// wants for a pod in range or a condemned one (1.12). Missing claims are picked up by a later sync.
fn update_claim_owners(v: &ClusterView, set: &StatefulSet, pod_name: &str) -> Decision {
    let mut out = Decision::none();
    let ns = &set.metadata.namespace;
    let Some(owner) = v.store.get_typed::<Pod>(ns, pod_name).map(|p| ObjectMeta {
        name: p.metadata.name.clone(),
        uid: p.metadata.uid.clone(),
        ..Default::default()
    }) else {
        return out;
    };
    let Some((_, ordinal)) = parent_and_ordinal(pod_name) else {
        return out;
    };
    let in_range = in_ordinal_range(set, ordinal);
    for name in claim_names_for(set, ordinal) {
        let refs = v
            .store
            .get_typed::<PersistentVolumeClaim>(ns, &name)
            .and_then(|claim| retention_owner_refs(set, claim, &owner, in_range));
        if let Some(refs) = refs {
            out.patch::<PersistentVolumeClaim>(ns, &name, move |claim| {
                claim.metadata.owner_references = refs;
            });
        }
    }
    out
}

/// `createPersistentVolumeClaims`: creates each missing claim, with its Event, until one fails (`ok` turns
/// false). A failure is also reported against the pod, as `CreateStatefulPod` does.
fn create_claims(
    out: &mut Decision,
    about: &Rc<ObjectReference>,
    set_name: &str,
    pod: &str,
    claims: Vec<PersistentVolumeClaim>,
    ok: &Rc<Cell<bool>>,
) {
    for claim in claims {
        let (about, ok) = (Rc::clone(about), Rc::clone(ok));
        let (set_name, pod) = (set_name.to_string(), pod.to_string());
        out.then(move |_| {
            let mut out = Decision::none();
            if !ok.get() {
                return out;
            }
            let name = claim.metadata.name.clone();
            out.create_then(Object::PersistentVolumeClaim(claim.into()), move |outcome| {
                let mut out = Decision::none();
                match outcome {
                    Ok(_) => {
                        let msg = format!(
                            "create Claim {name} Pod {pod} in StatefulSet {set_name} success"
                        );
                        out.event_on(
                            (*about).clone(),
                            EventType::Normal,
                            "SuccessfulCreate",
                            &msg,
                            SOURCE,
                        );
                    }
                    Err(e) => {
                        let err = e.message();
                        let msg = format!(
                            "create Claim {name} for Pod {pod} in StatefulSet {set_name} failed error: {err}"
                        );
                        out.event_on((*about).clone(), EventType::Warning, "FailedCreate", &msg, SOURCE);
                        let msg =
                            format!("create Pod {pod} in StatefulSet {set_name} failed error: {err}");
                        out.event_on((*about).clone(), EventType::Warning, "FailedCreate", &msg, SOURCE);
                        ok.set(false);
                    }
                }
                out
            });
            out
        });
    }
}

/// `CreateStatefulPod` after the claims: refuses while a claim is being deleted, creates the pod, sets the
/// claims' owners for the retention policy, and only then records the Event.
fn create_pod(
    v: &ClusterView,
    set: Rc<StatefulSet>,
    about: Rc<ObjectReference>,
    pod: Pod,
    ok: Rc<Cell<bool>>,
) -> Decision {
    let mut out = Decision::none();
    let name = pod.metadata.name.clone();
    let set_name = set.metadata.name.clone();
    let ns = &pod.metadata.namespace;
    let terminating = pod
        .claim_names()
        .find(|claim| {
            v.store
                .get_typed::<PersistentVolumeClaim>(ns, claim)
                .is_some_and(|p| p.metadata.is_terminating())
        })
        .map(str::to_string);
    let failed = move |out: &mut Decision, about: &ObjectReference, e: String| {
        let msg = format!("create Pod {name} in StatefulSet {set_name} failed error: {e}");
        out.event_on(
            about.clone(),
            EventType::Warning,
            "FailedCreate",
            &msg,
            SOURCE,
        );
    };
    if let Some(claim) = terminating {
        failed(&mut out, &about, format!("pvc {claim} is being deleted"));
        ok.set(false);
        return out;
    }
    out.create_then(Object::Pod(pod), move |outcome| {
        let mut out = Decision::none();
        match outcome {
            Ok(name) => {
                let msg = format!(
                    "create Pod {name} in StatefulSet {} successful",
                    set.metadata.name
                );
                let pod_name = name.to_string();
                out.then(move |v| update_claim_owners(v, &set, &pod_name));
                out.event_on(
                    (*about).clone(),
                    EventType::Normal,
                    "SuccessfulCreate",
                    &msg,
                    SOURCE,
                );
            }
            Err(e) => {
                failed(&mut out, &about, e.message());
                ok.set(false);
            }
        }
        out
    });
    out
}

fn write_status(out: &mut Decision, set: &StatefulSet, status: StatefulSetStatus) {
    out.patch::<StatefulSet>(&set.metadata.namespace, &set.metadata.name, move |s| {
        // Status fields outside the controller's computation (conditions) are kept.
        let conditions = s.status.conditions.take();
        s.status = StatefulSetStatus {
            conditions,
            ..status
        };
    });
}

/// `truncateHistory`: keeps the live revisions and at most `revisionHistoryLimit` others, dropping the oldest.
fn truncate_history(v: &ClusterView, set: &StatefulSet, revs: &Revisions) -> Decision {
    let mut out = Decision::none();
    let limit = set.spec.revision_history_limit.unwrap_or(10);
    if limit < 0 {
        return out;
    }
    let ns = set.metadata.namespace.clone();
    let owned = v
        .store
        .controlled_by::<ControllerRevision>(&set.metadata)
        .count();
    // Current and update are always live: with no more than limit + (how many of them there are)
    // revisions there is nothing to drop, and the pods need not be looked at.
    let always_live = if revs.current == revs.update { 1 } else { 2 };
    if owned <= limit as usize + always_live {
        return out;
    }
    let mut live = std::collections::BTreeSet::new();
    live.extend(
        v.store
            .controlled_by::<Pod>(&set.metadata)
            .filter_map(|p| p.metadata.labels.get(REVISION_LABEL).cloned())
            .chain([revs.current.clone(), revs.update.clone()]),
    );
    let mut old: Vec<&ControllerRevision> = v
        .store
        .controlled_by::<ControllerRevision>(&set.metadata)
        .filter(|r| !live.contains(&r.metadata.name))
        .collect();
    crate::sort::by_key(&mut old, |r| r.revision);
    let excess = old.len().saturating_sub(limit as usize);
    for rev in old.into_iter().take(excess) {
        let key = ObjectKey::new(Kind::ControllerRevision, &ns, &rev.metadata.name);
        out.delete(key, DeleteOptions::default());
    }
    out
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

    use crate::model::statefulset::{RetentionPolicy, StatefulSetSpec};
    use crate::model::PersistentVolumeClaim;

    fn set(when_deleted: &str, when_scaled: &str, replicas: i32) -> StatefulSet {
        let mut template = PersistentVolumeClaim::default();
        template.metadata.name = "www".into();
        StatefulSet {
            metadata: ObjectMeta {
                name: "web".into(),
                namespace: "default".into(),
                uid: "set-uid".into(),
                ..Default::default()
            },
            spec: StatefulSetSpec {
                replicas: Some(replicas),
                volume_claim_templates: vec![template],
                persistent_volume_claim_retention_policy: Some(RetentionPolicy {
                    when_deleted: Some(when_deleted.into()),
                    when_scaled: Some(when_scaled.into()),
                }),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn pod_meta(name: &str, uid: &str) -> ObjectMeta {
        ObjectMeta {
            name: name.into(),
            uid: uid.into(),
            ..Default::default()
        }
    }

    fn claim_with(name: &str, owners: Vec<OwnerReference>) -> PersistentVolumeClaim {
        let mut c = PersistentVolumeClaim::default();
        c.metadata.name = name.into();
        c.metadata.namespace = "default".into();
        c.metadata.owner_references = owners;
        c
    }

    fn owners(refs: Option<Vec<OwnerReference>>) -> Option<Vec<String>> {
        refs.map(|r| r.iter().map(|o| format!("{}/{}", o.kind, o.name)).collect())
    }

    #[test]
    fn retention_owners_follow_the_policy_table() {
        // k8s-behaviour.md 1.12: (whenDeleted, whenScaled) -> owners in range, owners when condemned.
        let cases = [
            ("Retain", "Retain", vec![], vec![]),
            (
                "Delete",
                "Retain",
                vec!["StatefulSet/web"],
                vec!["StatefulSet/web"],
            ),
            ("Retain", "Delete", vec![], vec!["Pod/web-1"]),
            (
                "Delete",
                "Delete",
                vec!["StatefulSet/web"],
                vec!["Pod/web-1"],
            ),
        ];
        let pod = pod_meta("web-1", "pod-uid");
        for (deleted, scaled, in_range, condemned) in cases {
            let s = set(deleted, scaled, 3);
            for (range, want) in [(true, in_range), (false, condemned)] {
                let fresh = claim_with("www-web-1", vec![]);
                let got = retention_owner_refs(&s, &fresh, &pod, range).unwrap_or_default();
                let got: Vec<String> = got
                    .iter()
                    .map(|o| format!("{}/{}", o.kind, o.name))
                    .collect();
                assert_eq!(got, want, "{deleted}/{scaled} in range: {range}");
                // Once set, the claim matches and nothing more changes.
                let done = claim_with(
                    "www-web-1",
                    retention_owner_refs(&s, &fresh, &pod, range).unwrap_or_default(),
                );
                assert_eq!(retention_owner_refs(&s, &done, &pod, range), None);
            }
        }
    }

    #[test]
    fn retention_swaps_the_set_for_the_pod_and_keeps_other_owners() {
        let s = set("Delete", "Delete", 1);
        let pod = pod_meta("web-1", "pod-uid");
        let other = OwnerReference {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            name: "keeper".into(),
            uid: "cm-uid".into(),
            controller: None,
            block_owner_deletion: None,
        };
        let set_ref = OwnerReference::controller("apps/v1", "StatefulSet", &s.metadata);
        let claim = claim_with("www-web-1", vec![other, set_ref]);
        assert_eq!(
            owners(retention_owner_refs(&s, &claim, &pod, false)),
            Some(vec!["ConfigMap/keeper".into(), "Pod/web-1".into()])
        );
        let pod_ref = &retention_owner_refs(&s, &claim, &pod, false).unwrap_or_default()[1];
        assert_eq!(pod_ref.uid, "pod-uid");
        assert_eq!(
            (pod_ref.controller, pod_ref.block_owner_deletion),
            (Some(true), Some(true))
        );
    }

    #[test]
    fn retention_leaves_stale_and_foreign_claims_alone() {
        let s = set("Delete", "Delete", 3);
        let pod = pod_meta("web-1", "pod-uid");
        // A ref to an earlier pod of the same name.
        let stale = claim_with(
            "www-web-1",
            vec![OwnerReference::controller(
                "v1",
                "Pod",
                &pod_meta("web-1", "old-uid"),
            )],
        );
        assert_eq!(retention_owner_refs(&s, &stale, &pod, true), None);
        // A ref to an earlier set of the same name.
        let mut old_set = s.metadata.clone();
        old_set.uid = "old-set".into();
        let stale = claim_with(
            "www-web-1",
            vec![OwnerReference::controller(
                "apps/v1",
                "StatefulSet",
                &old_set,
            )],
        );
        assert_eq!(retention_owner_refs(&s, &stale, &pod, true), None);
        // Another controller.
        let foreign = claim_with(
            "www-web-1",
            vec![OwnerReference::controller(
                "v1",
                "ConfigMap",
                &pod_meta("keeper", "cm"),
            )],
        );
        assert_eq!(retention_owner_refs(&s, &foreign, &pod, true), None);
        // Under Retain/Retain only this set's and pod's refs are removed; another controller's stays.
        let s = set("Retain", "Retain", 3);
        let mine = OwnerReference::controller("apps/v1", "StatefulSet", &s.metadata);
        let theirs = OwnerReference::controller("v1", "ConfigMap", &pod_meta("keeper", "cm"));
        let both = claim_with("www-web-1", vec![theirs, mine]);
        assert_eq!(
            owners(retention_owner_refs(&s, &both, &pod, true)),
            Some(vec!["ConfigMap/keeper".into()])
        );
    }

    #[test]
    fn a_claim_is_stale_when_it_names_a_pod_of_that_name() {
        let c = claim_with(
            "www-web-2",
            vec![OwnerReference::controller(
                "v1",
                "Pod",
                &pod_meta("web-2", "u"),
            )],
        );
        assert!(claim_is_stale(&c, "web-2"));
        assert!(!claim_is_stale(&c, "web-1"));
        assert!(!claim_is_stale(&claim_with("www-web-2", vec![]), "web-2"));
    }

    #[test]
    fn the_claims_index_finds_claims_by_ordinal_and_ignores_other_names() {
        let s = set("Retain", "Retain", 2);
        let claims = [
            claim_with("www-web-0", vec![]),
            claim_with("www-web-1", vec![]),
            claim_with("www-web-7", vec![]),
            claim_with("www-web-01", vec![]),
            claim_with("www-web-db-0", vec![]),
            claim_with("data-web-0", vec![]),
        ];
        let refs: Vec<&PersistentVolumeClaim> = claims.iter().collect();
        let index = Claims::from_claims(&s, &refs);
        let name = |c: Option<&PersistentVolumeClaim>| c.map(|c| c.metadata.name.clone());
        assert_eq!(name(index.get(0, 0)).as_deref(), Some("www-web-0"));
        assert_eq!(name(index.get(7, 0)).as_deref(), Some("www-web-7"));
        assert_eq!(name(index.get(2, 0)), None);
        assert_eq!(name(index.get(0, 1)), None);
        let of = |o: i32| {
            index
                .of(o)
                .map(|c| c.metadata.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(of(1), ["www-web-1"]);
        assert_eq!(of(7), ["www-web-7"]);
        assert!(of(3).is_empty());
        assert!(of(-1).is_empty());
    }

    #[test]
    fn plan_creates_nothing_while_a_stale_claim_waits_and_then_creates_the_pod() {
        // k8s-behaviour.md 1.12 item 4, monotonic: nothing at all is created.
        let s = set("Retain", "Delete", 2);
        let stale = claim_with(
            "www-web-0",
            vec![OwnerReference::controller(
                "v1",
                "Pod",
                &pod_meta("web-0", "gone"),
            )],
        );
        let refs = [&stale];
        let claims = Claims::from_claims(&s, &refs);
        let template = PodTemplateSpec::default();
        let view = SetView {
            set: &s,
            claims: &claims,
            current_revision: "web-1",
            update_revision: "web-1",
            current_template: &template,
            collision_count: 0,
        };
        let p = plan(&view, &[]);
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        assert!(p.waits_for_stale_claim);
        let none = Claims::from_claims(&s, &[]);
        let p = plan(
            &SetView {
                claims: &none,
                ..view
            },
            &[],
        );
        assert!(!p.waits_for_stale_claim);
        assert!(matches!(
            p.actions.as_slice(),
            [Action::CreatePod(new)] if new.ordinal == 0 && new.missing_claims.len() == 1
        ));
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
