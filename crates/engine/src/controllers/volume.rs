//! The PersistentVolume controller, the external provisioner of the default class, and PVC/PV protection
//! (k8s-behaviour.md 2.1–2.5): claims bind to the smallest fitting static volume or get a dynamically
//! provisioned one; WaitForFirstConsumer classes wait for the scheduler to pick a node; volumes whose claim is
//! gone are Released and reclaimed; a claim in use by a scheduled pod is not removed until the pod is gone.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::admission::{self, PVC_PROTECTION, PV_PROTECTION};
use crate::api::DeleteOptions;
use crate::cluster::{Cluster, Timer};
use crate::controllers::scheduler::SELECTED_NODE;
use crate::events::{EventType, Source};
use crate::model::storage::ObjectReference;
use crate::model::{
    Kind, Object, ObjectMeta, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass,
};
use crate::quantity;
use crate::store::{ObjectKey, WatchEventType};

const SOURCE: Source = Source::component("persistentvolume-controller");
pub const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
pub const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
pub const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";

#[derive(Debug, Default)]
pub struct State {
    /// Claims (by uid) whose volume is being provisioned.
    provisioning: BTreeSet<String>,
    /// (namespace, claim) -> pods that mount it, with whether each is scheduled.
    users: BTreeMap<(String, String), BTreeMap<String, bool>>,
    /// Volumes whose claimRef names a claim: (namespace, claim) -> volume names.
    by_claim: BTreeMap<(String, String), BTreeSet<String>>,
    /// volume -> the claim its claimRef names, to keep `by_claim` right.
    claim_of: BTreeMap<String, (String, String)>,
    /// Volumes free for static binding (phase Available, no claimRef).
    available: BTreeSet<String>,
}

/// Keeps the volume indexes current.
fn observe_volume(c: &mut Cluster, type_: WatchEventType, pv: &PersistentVolume) {
    let st = &mut c.volume;
    let name = &pv.metadata.name;
    if let Some(old) = st.claim_of.remove(name) {
        if let Some(set) = st.by_claim.get_mut(&old) {
            set.remove(name);
            if set.is_empty() {
                st.by_claim.remove(&old);
            }
        }
    }
    st.available.remove(name);
    if type_ == WatchEventType::Deleted {
        return;
    }
    match &pv.spec.claim_ref {
        Some(r) => {
            let claim = (r.namespace.clone(), r.name.clone());
            st.by_claim
                .entry(claim.clone())
                .or_default()
                .insert(name.clone());
            st.claim_of.insert(name.clone(), claim);
        }
        None if pv.status.phase == "Available" => {
            st.available.insert(name.clone());
        }
        None => {}
    }
}

/// Keeps the claim -> pods index current, and queues what a pod's change concerns: a pod that leaves may
/// release a terminating claim (pvc-protection); a pod waiting for its claims is retried when they change.
pub(crate) fn observe_pod(c: &mut Cluster, type_: WatchEventType, pod: &Pod) {
    let ns = &pod.metadata.namespace;
    for claim in pod.claim_names() {
        let users = c
            .volume
            .users
            .entry((ns.clone(), claim.to_string()))
            .or_default();
        if type_ == WatchEventType::Deleted {
            users.remove(&pod.metadata.name);
            c.queues
                .volume
                .add(ObjectKey::new(Kind::PersistentVolumeClaim, ns, claim));
        } else {
            users.insert(pod.metadata.name.clone(), pod.spec.node_name.is_some());
        }
    }
}

/// Pods that mount `claim`, with whether each is scheduled.
fn users<'a>(
    c: &'a Cluster,
    ns: &str,
    claim: &str,
) -> impl Iterator<Item = (&'a String, bool)> + 'a {
    c.volume
        .users
        .get(&(ns.to_string(), claim.to_string()))
        .into_iter()
        .flatten()
        .map(|(n, s)| (n, *s))
}

/// Retries the pending pods that mount `claim`.
fn requeue_users(c: &mut Cluster, ns: &str, claim: &str) {
    let pods: Vec<String> = users(c, ns, claim)
        .filter(|(_, scheduled)| !scheduled)
        .map(|(n, _)| n.clone())
        .collect();
    for p in pods {
        c.queues.scheduler.add(ObjectKey::new(Kind::Pod, ns, &p));
    }
}

/// The component name the local-path provisioner reports events under.
fn provisioner_source(provisioner: &str) -> Source {
    let component: &'static str = match provisioner {
        "rancher.io/local-path" => "rancher.io/local-path_local-path-provisioner-7dc846544d-x8k9z",
        _ => "external-provisioner",
    };
    Source::component(component)
}

pub(crate) fn route(c: &mut Cluster, type_: WatchEventType, obj: &Object) {
    match obj {
        Object::PersistentVolumeClaim(pvc) => {
            c.queues.volume.add(ObjectKey::of(obj));
            if type_ == WatchEventType::Deleted {
                // Its volume may now be Released.
                if let Some(pv) = &pvc.spec.volume_name {
                    c.queues
                        .volume
                        .add(ObjectKey::new(Kind::PersistentVolume, "", pv));
                }
            }
            requeue_users(c, &pvc.metadata.namespace, &pvc.metadata.name);
        }
        Object::PersistentVolume(pv) => {
            observe_volume(c, type_, pv);
            if type_ != WatchEventType::Deleted {
                c.queues.volume.add(ObjectKey::of(obj));
            }
            if let Some(r) = &pv.spec.claim_ref {
                c.queues.volume.add(ObjectKey::new(
                    Kind::PersistentVolumeClaim,
                    &r.namespace,
                    &r.name,
                ));
                requeue_users(c, &r.namespace, &r.name);
            }
        }
        Object::StorageClass(_) => {
            let pending: Vec<ObjectKey> = c
                .store
                .list::<PersistentVolumeClaim>(None)
                .filter(|p| p.status.phase != "Bound")
                .map(|p| {
                    ObjectKey::new(
                        Kind::PersistentVolumeClaim,
                        &p.metadata.namespace,
                        &p.metadata.name,
                    )
                })
                .collect();
            for k in pending {
                c.queues.volume.add(k);
            }
        }
        _ => {}
    }
}

pub(crate) fn sync(c: &mut Cluster, key: &ObjectKey) {
    match key.kind {
        Kind::PersistentVolumeClaim => sync_claim(c, key),
        Kind::PersistentVolume => sync_volume(c, key),
        _ => {}
    }
}

fn sync_claim(c: &mut Cluster, key: &ObjectKey) {
    let Some(pvc) = c
        .store
        .get_typed::<PersistentVolumeClaim>(&key.namespace, &key.name)
        .cloned()
    else {
        return;
    };
    if pvc.metadata.is_terminating() {
        // pvc-protection: only a pod that is scheduled (has a node) keeps the claim.
        let in_use = users(c, &key.namespace, &key.name).any(|(_, scheduled)| scheduled);
        if !in_use && pvc.metadata.finalizers.iter().any(|f| f == PVC_PROTECTION) {
            c.remove_finalizer(key, PVC_PROTECTION);
        }
        return;
    }
    let now = c.now;
    if let Some(pv_name) = pvc
        .spec
        .volume_name
        .clone()
        .filter(|_| pvc.metadata.annotations.contains_key(BIND_COMPLETED))
    {
        if c.store
            .get_typed::<PersistentVolume>("", &pv_name)
            .is_none()
            && pvc.status.phase != "Lost"
        {
            c.store
                .modify::<PersistentVolumeClaim>(&key.namespace, &key.name, now, |p| {
                    p.status.phase = "Lost".into()
                });
            let msg = "Bound claim has lost its PersistentVolume. Data on the volume is lost!";
            c.record_event(&pvc, EventType::Warning, "ClaimLost", msg, SOURCE);
        }
        return;
    }
    // Retroactive default class.
    if pvc.spec.storage_class_name.is_none() {
        if let Some(default) = admission::default_class(c).map(|sc| sc.metadata.name.clone()) {
            c.store
                .modify::<PersistentVolumeClaim>(&key.namespace, &key.name, now, |p| {
                    p.spec.storage_class_name = Some(default);
                });
            return;
        }
    }
    let class_name = pvc.spec.storage_class_name.clone().unwrap_or_default();
    let class = c.store.get_typed::<StorageClass>("", &class_name).cloned();
    let delay_binding = class
        .as_ref()
        .is_some_and(StorageClass::waits_for_first_consumer);
    if let Some(pv) = find_matching_volume(c, &pvc, delay_binding) {
        bind(c, &pv, &pvc);
        return;
    }
    if delay_binding && !pvc.metadata.annotations.contains_key(SELECTED_NODE) {
        let waiting: Vec<String> = users(c, &key.namespace, &key.name)
            .filter(|(_, s)| !s)
            .map(|(n, _)| n.clone())
            .collect();
        let (reason, msg) = if waiting.is_empty() {
            (
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".to_string(),
            )
        } else if waiting.len() == 1 {
            (
                "WaitForPodScheduled",
                format!("waiting for pod {} to be scheduled", waiting[0]),
            )
        } else {
            (
                "WaitForPodScheduled",
                format!("waiting for pods {} to be scheduled", waiting.join(",")),
            )
        };
        c.record_event(&pvc, EventType::Normal, reason, &msg, SOURCE);
        return;
    }
    if class_name.is_empty() {
        let msg = "no persistent volumes available for this claim and no storage class is set";
        c.record_event(&pvc, EventType::Normal, "FailedBinding", msg, SOURCE);
        return;
    }
    let Some(class) = class else {
        let msg = format!("storageclass.storage.k8s.io \"{class_name}\" not found");
        c.record_event(&pvc, EventType::Warning, "ProvisioningFailed", &msg, SOURCE);
        return;
    };
    if c.volume.provisioning.insert(pvc.metadata.uid.clone()) {
        let msg = format!(
            "Waiting for a volume to be created either by the external provisioner '{}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
            class.provisioner
        );
        c.record_event(
            &pvc,
            EventType::Normal,
            "ExternalProvisioning",
            &msg,
            SOURCE,
        );
        let msg = format!(
            "External provisioner is provisioning volume for claim \"{}/{}\"",
            key.namespace, key.name
        );
        c.record_event(
            &pvc,
            EventType::Normal,
            "Provisioning",
            &msg,
            provisioner_source(&class.provisioner),
        );
        c.store
            .modify::<PersistentVolumeClaim>(&key.namespace, &key.name, now, |p| {
                p.metadata.annotations.insert(
                    "volume.kubernetes.io/storage-provisioner".into(),
                    class.provisioner.clone(),
                );
                p.metadata.annotations.insert(
                    "volume.beta.kubernetes.io/storage-provisioner".into(),
                    class.provisioner.clone(),
                );
            });
        let ms = c.config.timings.provision_ms;
        c.schedule(
            ms,
            Timer::Provision {
                claim: key.clone(),
                uid: pvc.metadata.uid.clone(),
            },
        );
    }
}

/// The external provisioner finished: create `pvc-<uid>`, pre-bound to the claim.
pub(crate) fn on_provisioned(c: &mut Cluster, key: &ObjectKey, uid: &str) {
    c.volume.provisioning.remove(uid);
    let Some(pvc) = c
        .store
        .get_typed::<PersistentVolumeClaim>(&key.namespace, &key.name)
        .cloned()
    else {
        return;
    };
    if pvc.metadata.uid != uid || pvc.spec.volume_name.is_some() || pvc.metadata.is_terminating() {
        return;
    }
    let class_name = pvc.spec.storage_class_name.clone().unwrap_or_default();
    let Some(class) = c.store.get_typed::<StorageClass>("", &class_name).cloned() else {
        c.queues.volume.add(key.clone());
        return;
    };
    let name = format!("pvc-{uid}");
    let node = pvc.metadata.annotations.get(SELECTED_NODE).cloned();
    let local = class.provisioner == "rancher.io/local-path";
    let mut annotations = BTreeMap::from([(PROVISIONED_BY.to_string(), class.provisioner.clone())]);
    if let (true, Some(n)) = (local, &node) {
        annotations.insert("local.path.provisioner/selected-node".into(), n.clone());
    }
    let pv = PersistentVolume {
        metadata: ObjectMeta {
            name: name.clone(),
            annotations,
            finalizers: vec![PV_PROTECTION.to_string()],
            ..Default::default()
        },
        spec: crate::model::storage::PvSpec {
            capacity: BTreeMap::from([("storage".to_string(), json!(pvc.requested_storage()))]),
            access_modes: pvc.spec.access_modes.clone(),
            persistent_volume_reclaim_policy: class.reclaim_policy.clone(),
            storage_class_name: Some(class_name),
            claim_ref: Some(claim_reference(&pvc)),
            volume_mode: pvc.spec.volume_mode.clone(),
            node_affinity: node.as_ref().filter(|_| local).map(|n| {
                json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "kubernetes.io/hostname", "operator": "In", "values": [n]}
                ]}]}})
            }),
            host_path: local.then(|| {
                json!({"path": format!("/var/local-path-provisioner/{name}_{}_{}", key.namespace, key.name), "type": "DirectoryOrCreate"})
            }),
            ..Default::default()
        },
        status: Default::default(),
    };
    if c.api_create(Object::PersistentVolume(pv)).is_ok() {
        let msg = format!("Successfully provisioned volume {name}");
        c.record_event(
            &pvc,
            EventType::Normal,
            "ProvisioningSucceeded",
            &msg,
            provisioner_source(&class.provisioner),
        );
    }
}

fn claim_reference(pvc: &PersistentVolumeClaim) -> ObjectReference {
    ObjectReference {
        api_version: Some("v1".into()),
        kind: Some("PersistentVolumeClaim".into()),
        namespace: pvc.metadata.namespace.clone(),
        name: pvc.metadata.name.clone(),
        uid: pvc.metadata.uid.clone(),
        resource_version: Some(pvc.metadata.resource_version.clone()),
    }
}

fn capacity_bytes(pv: &PersistentVolume) -> u128 {
    quantity::parse_bytes(&pv.capacity()).unwrap_or(0)
}

/// `FindMatchingVolume` (k8s-behaviour.md 2.3): a volume pre-bound to this claim wins; otherwise the smallest
/// Available volume of the same class, modes and selector that is big enough. With delayed binding only
/// pre-bound volumes are considered.
fn find_matching_volume(
    c: &Cluster,
    pvc: &PersistentVolumeClaim,
    delay_binding: bool,
) -> Option<PersistentVolume> {
    let request = quantity::parse_bytes(&pvc.requested_storage()).unwrap_or(0);
    let class = pvc.spec.storage_class_name.clone().unwrap_or_default();
    let mode = pvc
        .spec
        .volume_mode
        .clone()
        .unwrap_or_else(|| "Filesystem".into());
    let mut best: Option<&PersistentVolume> = None;
    let claim = (pvc.metadata.namespace.clone(), pvc.metadata.name.clone());
    let candidates = c
        .volume
        .by_claim
        .get(&claim)
        .into_iter()
        .flatten()
        .chain(c.volume.available.iter().filter(|_| !delay_binding))
        .filter_map(|name| c.store.get_typed::<PersistentVolume>("", name));
    for pv in candidates {
        if pv.metadata.is_terminating()
            || pv
                .spec
                .volume_mode
                .clone()
                .unwrap_or_else(|| "Filesystem".into())
                != mode
        {
            continue;
        }
        let cap = capacity_bytes(pv);
        if let Some(r) = &pv.spec.claim_ref {
            if r.namespace == pvc.metadata.namespace
                && r.name == pvc.metadata.name
                && (r.uid.is_empty() || r.uid == pvc.metadata.uid)
            {
                if cap >= request {
                    return Some(pv.clone());
                }
                continue;
            }
        }
        if delay_binding || pv.status.phase != "Available" || pv.spec.claim_ref.is_some() {
            continue;
        }
        if let Some(sel) = &pvc.spec.selector {
            if !sel.matches(&pv.metadata.labels) {
                continue;
            }
        }
        if pv.spec.storage_class_name.clone().unwrap_or_default() != class {
            continue;
        }
        if !pvc
            .spec
            .access_modes
            .iter()
            .all(|m| pv.spec.access_modes.contains(m))
            || cap < request
        {
            continue;
        }
        if best.is_none_or(|b| cap < capacity_bytes(b)) {
            best = Some(pv);
        }
    }
    best.cloned()
}

fn bind(c: &mut Cluster, pv: &PersistentVolume, pvc: &PersistentVolumeClaim) {
    let now = c.now;
    let claim_ref = claim_reference(pvc);
    let by_controller = pv.spec.claim_ref.as_ref().is_none_or(|r| r.uid.is_empty());
    c.store
        .modify::<PersistentVolume>("", &pv.metadata.name, now, |v| {
            v.spec.claim_ref = Some(claim_ref);
            if by_controller {
                v.metadata
                    .annotations
                    .insert(BOUND_BY_CONTROLLER.into(), "yes".into());
            }
            v.status.phase = "Bound".into();
        });
    let capacity = pv.capacity();
    let modes = pv.spec.access_modes.clone();
    c.store.modify::<PersistentVolumeClaim>(
        &pvc.metadata.namespace,
        &pvc.metadata.name,
        now,
        |p| {
            p.spec.volume_name = Some(pv.metadata.name.clone());
            p.metadata
                .annotations
                .insert(BIND_COMPLETED.into(), "yes".into());
            p.metadata
                .annotations
                .insert(BOUND_BY_CONTROLLER.into(), "yes".into());
            p.status.phase = "Bound".into();
            p.status.access_modes = modes;
            p.status.capacity = BTreeMap::from([("storage".to_string(), capacity)]);
        },
    );
}

fn sync_volume(c: &mut Cluster, key: &ObjectKey) {
    let Some(pv) = c
        .store
        .get_typed::<PersistentVolume>("", &key.name)
        .cloned()
    else {
        return;
    };
    let now = c.now;
    let phase = match &pv.spec.claim_ref {
        None => "Available",
        Some(r) if r.uid.is_empty() => "Available",
        Some(r) => {
            let live = c
                .store
                .get_typed::<PersistentVolumeClaim>(&r.namespace, &r.name);
            if live.is_some_and(|p| p.metadata.uid == r.uid) {
                if pv.status.phase == "Bound"
                    || live
                        .is_some_and(|p| p.spec.volume_name.as_deref() == Some(&pv.metadata.name))
                {
                    "Bound"
                } else {
                    // Pre-bound by the provisioner, not yet bound by the controller.
                    pv.status.phase.as_str()
                }
            } else {
                "Released"
            }
        }
    };
    let phase = if phase.is_empty() || phase == "Pending" && pv.spec.claim_ref.is_none() {
        "Available"
    } else {
        phase
    };
    if pv.status.phase != phase {
        c.store
            .modify::<PersistentVolume>("", &key.name, now, |v| v.status.phase = phase.to_string());
    }
    if phase == "Released" && !pv.metadata.is_terminating() {
        match pv.spec.persistent_volume_reclaim_policy.as_deref() {
            Some("Delete") => {
                let _ = c.api_delete(key, DeleteOptions::default());
            }
            Some("Retain") | None => {}
            Some(_) => {
                let msg = "Volume has unrecognized PersistentVolumeReclaimPolicy";
                c.record_event(
                    &pv,
                    EventType::Warning,
                    "VolumeUnknownReclaimPolicy",
                    msg,
                    SOURCE,
                );
            }
        }
    }
    // pv-protection: a volume is removed only once nothing is bound to it.
    let pv = c
        .store
        .get_typed::<PersistentVolume>("", &key.name)
        .cloned();
    if let Some(pv) = pv.filter(|v| v.metadata.is_terminating() && v.status.phase != "Bound") {
        if pv.metadata.finalizers.iter().any(|f| f == PV_PROTECTION) {
            c.remove_finalizer(key, PV_PROTECTION);
        }
    }
}
