//! The PersistentVolume controller (`persistentvolume-controller`), the external provisioners and resizers it
//! hands work to, and PVC/PV protection (k8s-behaviour.md 2.1–2.5; upstream
//! `pkg/controller/volume/persistentvolume/pv_controller.go` and `index.go`, `component-helpers/storage/volume`
//! `FindMatchingVolume`). Claims bind to the best static volume — searched by access-mode group, fewest modes
//! first, smallest fit within a group — or get a provisioned one; a claim naming a volume gets that volume or an
//! event saying why not; WaitForFirstConsumer claims wait for the scheduler's node. A claim to provision is
//! handed to its class's provisioner — in-tree names migrated to their CSI driver — and only the provisioners
//! the cluster runs act on it: kind's local-path, and any CSI driver `ClusterConfig::csi_drivers` installs.
//! Every other claim waits, as it does on kind, for a provisioner that never comes. Volumes whose claim is gone
//! are Released and reclaimed by their policy. Like the real controller it resyncs every 15 seconds while a
//! claim is waiting, so its events repeat (`x5 over 60s`) and a default class or a missing class created later
//! is noticed at the next tick.
//!
//! The controller returns its decisions. Where a sync reads back what it has just written (a bound claim's
//! expansion after its binding, a volume's reclaim after its phase) it resumes through a hint to itself
//! ([`Hint`]); the scheduler hears of changed claims through a hint to it; a CSI volume's handle is a UUID the
//! cluster loop draws ([`Decision::uuid`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::admission::{self, PVC_PROTECTION, PV_PROTECTION};
use crate::api::DeleteOptions;
use crate::clock::Time;
use crate::config::ClusterConfig;
use crate::controllers::decision::{EventRecord, Handle};
use crate::controllers::scheduler::{volume_fits_node, SELECTED_NODE};
use crate::controllers::{Controller, Decision, View};
use crate::events::{EventType, Source};
use crate::model::pod::PodCondition;
use crate::model::storage::{ObjectReference, BETA_STORAGE_CLASS};
use crate::model::{
    Kind, Node, Object, ObjectMeta, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass,
};
use crate::quantity::{self, Quantity};
use crate::store::{Index, ObjectKey, Store, WatchEventType};

const SOURCE: Source = Source::component("persistentvolume-controller");
const EXPAND_SOURCE: Source = Source::component("volume_expand");
pub const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
pub const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
pub const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";
const STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
const BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
const LOCAL_PATH: &str = "rancher.io/local-path";
pub(crate) const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";
const HOST_PATH_PLUGIN: &str = "kubernetes.io/host-path";

/// In-tree provisioners migrated to CSI, and the driver each hands its claims to (csi-translation-lib
/// `plugins/*.go`; pkg/volume/csimigration `IsMigrationEnabledForPlugin` turns every one on, Portworx by
/// default since 1.31). The in-tree code is gone: only that driver, if installed, can provision.
const MIGRATED_TO_CSI: &[(&str, &str)] = &[
    ("kubernetes.io/aws-ebs", "ebs.csi.aws.com"),
    ("kubernetes.io/azure-disk", "disk.csi.azure.com"),
    ("kubernetes.io/azure-file", "file.csi.azure.com"),
    ("kubernetes.io/cinder", "cinder.csi.openstack.org"),
    ("kubernetes.io/gce-pd", "pd.csi.storage.gke.io"),
    ("kubernetes.io/portworx-volume", "pxd.portworx.com"),
    ("kubernetes.io/vsphere-volume", "csi.vsphere.vmware.com"),
];

/// Whose turn a class's provisioner makes a claim (pv_controller.go `findProvisionablePlugin`).
enum Provisioner {
    /// An external provisioner (or the CSI driver an in-tree name migrated to), by name.
    External(String),
    /// No in-tree plugin by that `kubernetes.io/` name: the controller's error, before it touches the claim.
    Unknown(String),
    /// An in-tree plugin that cannot provision here: `provisionClaimOperation` annotates the claim with it,
    /// then fails to make its provisioner.
    Disabled(String),
}

fn provisioner_of(class: &StorageClass) -> Provisioner {
    let name = class.provisioner.as_str();
    if let Some((_, csi)) = MIGRATED_TO_CSI.iter().find(|(in_tree, _)| *in_tree == name) {
        return Provisioner::External((*csi).to_string());
    }
    if name == HOST_PATH_PLUGIN {
        // kube-controller-manager's host-path plugin provisions only with --enable-hostpath-provisioner,
        // which kind does not set.
        return Provisioner::Disabled(format!(
            "Failed to create provisioner: provisioning in volume plugin \"{name}\" is disabled"
        ));
    }
    if name.starts_with("kubernetes.io/") {
        return Provisioner::Unknown(format!("no volume plugin matched name: {name}"));
    }
    Provisioner::External(name.to_string())
}

/// The provisioner a class hands its claims to, when one runs in this cluster.
fn running_provisioner(config: &ClusterConfig, class: &StorageClass) -> Option<String> {
    match provisioner_of(class) {
        Provisioner::External(name) if serves(config, &name) => Some(name),
        _ => None,
    }
}

/// Whether something in the cluster acts on claims handed to `provisioner`: kind's local-path provisioner,
/// and the CSI drivers installed (`ClusterConfig::csi_drivers`). Nothing else on kind serves a claim: it
/// waits for an external provisioner that never comes.
fn serves(config: &ClusterConfig, provisioner: &str) -> bool {
    provisioner == LOCAL_PATH || config.csi_drivers.iter().any(|d| d == provisioner)
}

/// `--pvclaimbinder-sync-period`: how often the controller looks at every claim again.
const RESYNC_MS: u64 = 15_000;
/// The external provisioner's first retry after a failure; it doubles up to `RETRY_MAX_MS`.
const RETRY_START_MS: u64 = 15_000;
const RETRY_MAX_MS: u64 = 1_000_000;
/// The recycler pod scrubbing a volume.
const RECYCLE_MS: u64 = 5_000;
/// The CSI resizer growing the volume, then the kubelet growing the file system.
const CONTROLLER_RESIZE_MS: u64 = 2_000;
const NODE_RESIZE_MS: u64 = 5_000;

/// Work the storage machinery does later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// The controller's periodic resync.
    Resync,
    /// The same resync going on from the claim it stopped at (a chunk of claims per timer, at one instant).
    ResyncFrom(ObjectKey),
    /// The external provisioner has made the volume of a claim.
    Provisioned { claim: ObjectKey, uid: String },
    /// The external provisioner retries a claim it failed to provision.
    ProvisionRetry { claim: ObjectKey, uid: String },
    /// The recycler pod finished scrubbing a volume.
    Recycled { volume: String, uid: String },
    /// The CSI resizer expanded the volume behind a claim.
    ControllerExpanded { claim: ObjectKey, uid: String },
    /// The kubelet grew the file system of a mounted claim.
    NodeExpanded { claim: ObjectKey, uid: String },
}

/// What the controller tells itself to go on with once the writes before have been made.
#[derive(Debug)]
pub(crate) enum Hint {
    /// A bound claim's expansion, after its binding was looked at.
    Expansion(ObjectKey),
    /// A volume's reclaim, after its phase was set.
    Reclaim(ObjectKey),
}

/// The PersistentVolume controller, with the provisioners', resizers' and recycler's work in progress.
#[derive(Debug, Default)]
pub struct VolumeController {
    /// Claims (by uid) whose volume is being provisioned.
    provisioning: BTreeSet<String>,
    /// Claims (by uid) the external provisioner failed: failures so far, and whether a retry is pending.
    failures: BTreeMap<String, (u32, bool)>,
    /// Claims (by uid) whose change the external provisioner has yet to look at.
    provisioner_kick: BTreeSet<String>,
    /// When the controller's own provisioning of a claim (by uid) last failed: the operation backs off, so
    /// the sync its annotation of the claim brings at that instant does not fail again.
    failed_at: BTreeMap<String, Time>,
    /// (namespace, claim) -> pods that mount it, with whether each is scheduled.
    users: BTreeMap<(String, String), BTreeMap<String, bool>>,
    /// Whether a resync tick is due.
    resync_armed: bool,
    /// Claims (by uid) being expanded, with the size asked for.
    expanding: BTreeMap<String, String>,
    /// Claims (by uid) whose file system the kubelet is growing.
    node_expanding: BTreeSet<String>,
    /// Volumes (by uid) being recycled.
    recycling: BTreeSet<String>,
    /// Event sources named after a provisioner or driver (`external-resizer <driver>`), made once each.
    sources: BTreeMap<String, &'static str>,
    /// (namespace, claim) of claims waiting for their first consumer to be scheduled: what each resync would
    /// say again, kept as a repeating Event on the resync ticks instead of a timer, so a pod the scheduler
    /// cannot place does not keep the clock busy.
    waiting: BTreeMap<(String, String), Waiting>,
    /// The last handle given to a repeating Event.
    handles: Handle,
}

/// A claim's wait for its first consumer, as the resync would report it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Waiting {
    reason: &'static str,
    message: String,
    /// The repeating Event on the resync ticks (none until the sync that found the wait has ended).
    handle: Option<Handle>,
}

/// How many claims one unit of a resync looks at.
const RESYNC_CHUNK: usize = 2_000;

/// The resync tick after `now` (the controller's timer runs from its start, every 15 seconds).
fn next_tick(now: Time) -> Time {
    now.plus(RESYNC_MS - now.millis() % RESYNC_MS)
}

fn wake(w: Wake) -> crate::controllers::Wake {
    crate::controllers::Wake::Volume(w)
}

fn hint_self(d: &mut Decision, h: Hint) {
    d.hint(crate::controllers::Hint::Volume(h));
}

impl Controller for VolumeController {
    fn route(&mut self, v: &View, type_: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        match &**obj {
            Object::Pod(pod) => self.observe_pod(v, type_, pod, &mut d),
            Object::PersistentVolumeClaim(_)
            | Object::PersistentVolume(_)
            | Object::StorageClass(_) => self.route_storage(v, type_, obj, &mut d),
            _ => {}
        }
        d
    }

    fn reconcile(&mut self, v: &View, key: &ObjectKey) -> Decision {
        let mut d = Decision::none();
        match key.kind {
            Kind::PersistentVolumeClaim => self.sync_claim(v, key, &mut d),
            Kind::PersistentVolume => self.sync_volume(v, key, &mut d),
            _ => {}
        }
        d
    }

    /// Timers of the storage machinery.
    fn wake(&mut self, v: &View, wake: crate::controllers::Wake) -> Decision {
        let mut d = Decision::none();
        let crate::controllers::Wake::Volume(wake) = wake else {
            return d;
        };
        match wake {
            Wake::Resync => {
                self.resync_armed = false;
                self.resync(v, None, &mut d);
            }
            Wake::ResyncFrom(key) => self.resync(v, Some(&key), &mut d),
            Wake::Provisioned { claim, uid } => self.on_provisioned(v, &claim, &uid, &mut d),
            Wake::ProvisionRetry { claim, uid } => {
                if let Some(f) = self.failures.get_mut(&uid) {
                    f.1 = false;
                }
                // The provisioner's own retry: the controller is not involved.
                let pvc = v
                    .store
                    .get_typed::<PersistentVolumeClaim>(&claim.namespace, &claim.name)
                    .filter(|p| p.metadata.uid == uid && !p.metadata.is_terminating())
                    .filter(|p| p.spec.volume_name.is_none())
                    .filter(|p| p.metadata.annotations.contains_key(STORAGE_PROVISIONER))
                    .cloned();
                let class = pvc.as_ref().and_then(|p| {
                    v.store
                        .get_typed::<StorageClass>("", claim_class(p))
                        .cloned()
                });
                if let (Some(pvc), Some(class)) = (pvc, class) {
                    if let Some(provisioner) = running_provisioner(v.config, &class) {
                        self.external_provision(v, &pvc, &class, &provisioner, &mut d);
                    }
                }
            }
            Wake::Recycled { volume, uid } => self.finish_recycle(v, &volume, &uid, &mut d),
            Wake::ControllerExpanded { claim, uid } => {
                self.controller_expanded(v, &claim, &uid, &mut d)
            }
            Wake::NodeExpanded { claim, uid } => self.node_expanded(v, &claim, &uid, &mut d),
        }
        d
    }

    fn hint(&mut self, v: &View, hint: crate::controllers::Hint) -> Decision {
        let mut d = Decision::none();
        let crate::controllers::Hint::Volume(hint) = hint else {
            return d;
        };
        match hint {
            Hint::Expansion(key) => {
                if let Some(pvc) = v
                    .store
                    .get_typed::<PersistentVolumeClaim>(&key.namespace, &key.name)
                    .cloned()
                {
                    self.sync_expansion(v, &pvc, &mut d);
                }
            }
            Hint::Reclaim(key) => self.reclaim(v, &key, &mut d),
        }
        d
    }
}

impl VolumeController {
    /// Keeps the claim -> pods index current, and queues what a pod's change concerns: a pod that leaves may
    /// release a terminating claim (pvc-protection); a pod that lands on a node may finish a file system
    /// resize.
    fn observe_pod(&mut self, v: &View, type_: WatchEventType, pod: &Pod, d: &mut Decision) {
        let ns = &pod.metadata.namespace;
        for claim in pod.claim_names() {
            let key = (ns.clone(), claim.to_string());
            let waiting_key = key.clone();
            let scheduled = pod.spec.node_name.is_some();
            let users = self.users.entry(key).or_default();
            let before = users.get(&pod.metadata.name).copied();
            if type_ == WatchEventType::Deleted {
                users.remove(&pod.metadata.name);
            } else {
                users.insert(pod.metadata.name.clone(), scheduled);
            }
            // A pod gone may free a terminating claim; a pod landing on a node may finish a resize.
            if type_ == WatchEventType::Deleted || (scheduled && before != Some(true)) {
                d.queue(ObjectKey::new(Kind::PersistentVolumeClaim, ns, claim));
            }
            self.rewaiting(v, &waiting_key, d);
        }
    }

    /// Why a claim waiting for its first consumer waits, as the controller words it: the pods that mount it
    /// and are not scheduled yet.
    fn wait_reason(&self, ns: &str, claim: &str) -> (&'static str, String) {
        let waiting: Vec<String> = self
            .users(ns, claim)
            .filter(|(_, s)| !s)
            .map(|(n, _)| n.clone())
            .collect();
        match waiting.as_slice() {
            [] => (
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".to_string(),
            ),
            [one] => (
                "WaitForPodScheduled",
                format!("waiting for pod {one} to be scheduled"),
            ),
            many => (
                "WaitForPodScheduled",
                format!("waiting for pods {} to be scheduled", many.join(",")),
            ),
        }
    }

    /// The pods that mount a waiting claim changed: from the next resync tick on, the repeating Event says
    /// what the resync would then say.
    fn rewaiting(&mut self, v: &View, key: &(String, String), d: &mut Decision) {
        let Some(w) = self.waiting.get(key) else {
            return;
        };
        let (reason, message) = self.wait_reason(&key.0, &key.1);
        if w.reason == reason && w.message == message {
            return;
        }
        let Some(pvc) = v
            .store
            .get_typed::<PersistentVolumeClaim>(&key.0, &key.1)
            .cloned()
        else {
            return;
        };
        if let Some(old) = w.handle {
            d.stop_repeating(old, v.now);
        }
        let handle = self.repeat_wait(v.now, &pvc, reason, &message, d);
        self.waiting.insert(
            key.clone(),
            Waiting {
                reason,
                message,
                handle: Some(handle),
            },
        );
    }

    /// Starts the repeating Event of a claim's wait on the resync ticks after `now`.
    fn repeat_wait(
        &mut self,
        now: Time,
        pvc: &PersistentVolumeClaim,
        reason: &'static str,
        message: &str,
        d: &mut Decision,
    ) -> Handle {
        self.handles += 1;
        let handle = self.handles;
        d.start_repeating(
            handle,
            EventRecord::about(pvc, EventType::Normal, reason, message, SOURCE),
            next_tick(now),
            RESYNC_MS,
        );
        handle
    }

    /// Pods that mount `claim`, with whether each is scheduled.
    fn users<'a>(&'a self, ns: &str, claim: &str) -> impl Iterator<Item = (&'a String, bool)> + 'a {
        self.users
            .get(&(ns.to_string(), claim.to_string()))
            .into_iter()
            .flatten()
            .map(|(n, s)| (n, *s))
    }

    /// Retries the pending pods that mount `claim` (the scheduler watches claims and volumes).
    fn requeue_users(&self, ns: &str, claim: &str, d: &mut Decision) {
        let pods: Vec<ObjectKey> = self
            .users(ns, claim)
            .filter(|(_, scheduled)| !scheduled)
            .map(|(n, _)| ObjectKey::new(Kind::Pod, ns, n))
            .collect();
        if !pods.is_empty() {
            d.hint(crate::controllers::Hint::Scheduler(
                crate::controllers::scheduler::Hint::VolumesChanged(pods),
            ));
        }
    }

    /// An event source with a name known only at run time, made once and kept for the cluster's life.
    fn named_source(&mut self, name: String) -> Source {
        let leaked = *self
            .sources
            .entry(name)
            .or_insert_with_key(|n| Box::leak(n.clone().into_boxed_str()));
        Source::component(leaked)
    }

    /// The component the external provisioner reports events under: `<provisioner>_<pod>_<uuid>`.
    fn provisioner_source(&mut self, provisioner: &str) -> Source {
        if provisioner == LOCAL_PATH {
            return Source::component(
                "rancher.io/local-path_local-path-provisioner-7dc846544d-x8k9z_4e6b0d5c-2a1f-4c8e-9b7d-3f5a6c2e1d09",
            );
        }
        self.named_source(format!(
            "{provisioner}_csi-provisioner-0_8c1d3f2a-5b6e-4f70-a9d8-1e2c3b4a5f60"
        ))
    }

    fn route_storage(&mut self, v: &View, type_: WatchEventType, obj: &Object, d: &mut Decision) {
        match obj {
            Object::PersistentVolumeClaim(pvc) => {
                d.queue(ObjectKey::of(obj));
                if type_ == WatchEventType::Deleted {
                    let key = (pvc.metadata.namespace.clone(), pvc.metadata.name.clone());
                    if let Some(Waiting {
                        handle: Some(h), ..
                    }) = self.waiting.remove(&key)
                    {
                        d.stop_repeating(h, v.now.just_before());
                    }
                    let uid = &pvc.metadata.uid;
                    self.provisioner_kick.remove(uid);
                    self.failures.remove(uid);
                    self.failed_at.remove(uid);
                    self.expanding.remove(uid);
                    // Its volume may now be Released.
                    if let Some(pv) = &pvc.spec.volume_name {
                        d.queue(ObjectKey::new(Kind::PersistentVolume, "", pv));
                    }
                } else if !pvc.metadata.annotations.contains_key(BIND_COMPLETED) {
                    // The external provisioner watches claims: a change is its cue to try again.
                    self.provisioner_kick.insert(pvc.metadata.uid.clone());
                }
                self.requeue_users(&pvc.metadata.namespace, &pvc.metadata.name, d);
            }
            Object::PersistentVolume(pv) => {
                if type_ != WatchEventType::Deleted {
                    d.queue(ObjectKey::of(obj));
                    if pv.spec.claim_ref.is_none() {
                        self.requeue_waiting(v, d);
                    }
                }
                if let Some(r) = &pv.spec.claim_ref {
                    d.queue(ObjectKey::new(
                        Kind::PersistentVolumeClaim,
                        &r.namespace,
                        &r.name,
                    ));
                    self.requeue_users(&r.namespace, &r.name, d);
                }
                // A bound claim whose volume went away is Lost.
                for p in v
                    .store
                    .indexed::<PersistentVolumeClaim>(Index::ClaimByVolume, &pv.metadata.name)
                {
                    d.queue(claim_key(p));
                }
            }
            // The controller does not watch classes (it notices them at its next resync); the scheduler does.
            Object::StorageClass(_) => self.requeue_waiting(v, d),
            _ => {}
        }
    }

    /// A class or a volume came or changed: the scheduler retries the pods whose claims are unbound, which
    /// may now find a volume or a class to provision (the VolumeBinding plugin's events).
    fn requeue_waiting(&self, v: &View, d: &mut Decision) {
        for p in v
            .store
            .list::<PersistentVolumeClaim>(None)
            .filter(|p| p.spec.volume_name.is_none())
        {
            self.requeue_users(&p.metadata.namespace, &p.metadata.name, d);
        }
    }

    /// The next resync tick, if none is due: the controller's timer runs from its start, every 15 seconds.
    fn arm_resync(&mut self, v: &View, d: &mut Decision) {
        if self.resync_armed {
            return;
        }
        self.resync_armed = true;
        let ms = RESYNC_MS - v.now.millis() % RESYNC_MS;
        d.wake_at(v.now.plus(ms), wake(Wake::Resync));
    }

    /// `resync`: every claim and volume is looked at again. Only claims still waiting re-arm the timer, so a
    /// cluster with nothing pending goes quiet.
    /// Queues every claim not bound yet, [`RESYNC_CHUNK`] at a time: with more, the rest goes on in a timer at
    /// the same instant, from the claim it stopped at (every one of them fires before the controllers react,
    /// as one resync would), so 100,000 waiting claims are not one long unit of work.
    fn resync(&mut self, v: &View, from: Option<&ObjectKey>, d: &mut Decision) {
        for (n, p) in v.store.list_from::<PersistentVolumeClaim>(from).enumerate() {
            if n == RESYNC_CHUNK {
                d.wake_at(v.now, wake(Wake::ResyncFrom(claim_key(p))));
                return;
            }
            if p.metadata.annotations.contains_key(BIND_COMPLETED) {
                continue;
            }
            // A claim waiting for its first consumer says so again on this tick by its repeating Event.
            let key = (p.metadata.namespace.clone(), p.metadata.name.clone());
            if self.waiting.get(&key).is_some_and(|w| w.handle.is_some()) {
                continue;
            }
            d.queue(claim_key(p));
        }
    }

    /// Syncs a claim, and keeps its wait for a first consumer (if it has one now) repeating on the resync
    /// ticks: the same wait goes on, a new wording starts over from the next tick, an ended wait stops.
    fn sync_claim(&mut self, v: &View, key: &ObjectKey, d: &mut Decision) {
        let k = (key.namespace.clone(), key.name.clone());
        let before = self.waiting.remove(&k);
        self.sync_claim_once(v, key, d);
        let Some(now_waiting) = self.waiting.get(&k).cloned() else {
            if let Some(Waiting {
                handle: Some(h), ..
            }) = before
            {
                d.stop_repeating(h, v.now.just_before());
            }
            return;
        };
        let handle = match before {
            Some(b) if b.reason == now_waiting.reason && b.message == now_waiting.message => {
                b.handle
            }
            other => {
                if let Some(Waiting {
                    handle: Some(h), ..
                }) = other
                {
                    d.stop_repeating(h, v.now.just_before());
                }
                v.store
                    .get_typed::<PersistentVolumeClaim>(&key.namespace, &key.name)
                    .cloned()
                    .map(|pvc| {
                        self.repeat_wait(v.now, &pvc, now_waiting.reason, &now_waiting.message, d)
                    })
            }
        };
        if let Some(w) = self.waiting.get_mut(&k) {
            w.handle = handle;
        }
    }

    fn sync_claim_once(&mut self, v: &View, key: &ObjectKey, d: &mut Decision) {
        let Some(pvc) = v
            .store
            .get_typed::<PersistentVolumeClaim>(&key.namespace, &key.name)
        else {
            return;
        };
        if pvc.metadata.is_terminating() {
            // pvc-protection: only a pod that is scheduled (has a node) keeps the claim.
            let in_use = self
                .users(&key.namespace, &key.name)
                .any(|(_, scheduled)| scheduled);
            if !in_use && pvc.metadata.finalizers.iter().any(|f| f == PVC_PROTECTION) {
                d.remove_finalizer(key.clone(), PVC_PROTECTION);
            }
            return;
        }
        if pvc.metadata.annotations.contains_key(BIND_COMPLETED) {
            sync_bound_claim(v, pvc, d);
            hint_self(d, Hint::Expansion(key.clone()));
        } else {
            self.sync_unbound_claim(v, pvc, d);
        }
    }

    fn sync_unbound_claim(&mut self, v: &View, pvc: &PersistentVolumeClaim, d: &mut Decision) {
        let key = claim_key(pvc);
        if let Some(name) = pvc.spec.volume_name.clone().filter(|n| !n.is_empty()) {
            // The user asked for one volume.
            let Some(pv) = v.store.get_typed::<PersistentVolume>("", &name).cloned() else {
                self.arm_resync(v, d);
                return;
            };
            if pv.spec.claim_ref.is_none() {
                match check_volume_satisfies_claim(&pv, pvc) {
                    Ok(()) => bind(&pv, pvc, d),
                    Err(why) => {
                        let msg = format!("Cannot bind to requested volume \"{name}\": {why}");
                        d.event(pvc, EventType::Warning, "VolumeMismatch", &msg, SOURCE);
                        self.arm_resync(v, d);
                    }
                }
            } else if is_volume_bound_to_claim(&pv, pvc) {
                bind(&pv, pvc, d);
            } else {
                let msg = format!("volume \"{name}\" already bound to a different claim.");
                d.event(pvc, EventType::Warning, "FailedBinding", &msg, SOURCE);
                self.arm_resync(v, d);
            }
            return;
        }
        let class_name = claim_class(pvc);
        let class = (!class_name.is_empty())
            .then(|| v.store.get_typed::<StorageClass>("", class_name).cloned())
            .flatten();
        let delay_binding = class
            .as_ref()
            .is_some_and(StorageClass::waits_for_first_consumer);
        if let Some(pv) = find_best_match(v.store, pvc, delay_binding) {
            bind(pv, pvc, d);
            return;
        }
        // Retroactive default class: a claim with no class at all gets the default once one exists.
        if pvc.spec.storage_class_name.is_none()
            && !pvc.metadata.annotations.contains_key(BETA_STORAGE_CLASS)
        {
            if let Some(default) =
                admission::default_class(v.store).map(|sc| sc.metadata.name.clone())
            {
                d.patch::<PersistentVolumeClaim>(&key.namespace, &key.name, move |p| {
                    p.spec_mut().storage_class_name = Some(default);
                });
                return;
            }
        }
        let selected = pvc.metadata.annotations.get(SELECTED_NODE).cloned();
        match (delay_binding, selected) {
            (true, None) => {
                let (reason, message) = self.wait_reason(&key.namespace, &key.name);
                d.event(pvc, EventType::Normal, reason, &message, SOURCE);
                // The resync ticks say it again by a repeating Event (see `sync_claim`), not a timer.
                self.waiting.insert(
                    (key.namespace.clone(), key.name.clone()),
                    Waiting {
                        reason,
                        message,
                        handle: None,
                    },
                );
                return;
            }
            // The scheduler chose the node (and would have pre-bound a static volume instead): provision
            // there.
            (true, Some(_)) => self.provision_claim(v, pvc, class_name, d),
            (false, _) if !class_name.is_empty() => self.provision_claim(v, pvc, class_name, d),
            (false, _) => {
                let msg =
                    "no persistent volumes available for this claim and no storage class is set";
                d.event(pvc, EventType::Normal, "FailedBinding", msg, SOURCE);
            }
        }
        self.arm_resync(v, d);
    }

    /// `provisionClaim`: the class must exist and name a provisioner the controller can hand the claim to;
    /// the claim is annotated with it and an event says so on every sync (`provisionClaimOperationExternal`).
    /// The provisioner, when one runs, takes it from there.
    fn provision_claim(
        &mut self,
        v: &View,
        pvc: &PersistentVolumeClaim,
        class_name: &str,
        d: &mut Decision,
    ) {
        let Some(class) = v.store.get_typed::<StorageClass>("", class_name).cloned() else {
            let msg = format!("storageclass.storage.k8s.io \"{class_name}\" not found");
            d.event(pvc, EventType::Warning, "ProvisioningFailed", &msg, SOURCE);
            return;
        };
        let provisioner = match provisioner_of(&class) {
            Provisioner::External(name) => name,
            Provisioner::Unknown(msg) => {
                d.event(pvc, EventType::Warning, "ProvisioningFailed", &msg, SOURCE);
                return;
            }
            Provisioner::Disabled(msg) => {
                let now = v.now;
                if self.failed_at.insert(pvc.metadata.uid.clone(), now) != Some(now) {
                    set_claim_provisioner(pvc, &class.provisioner, d);
                    d.event(pvc, EventType::Warning, "ProvisioningFailed", &msg, SOURCE);
                }
                return;
            }
        };
        set_claim_provisioner(pvc, &provisioner, d);
        let msg = format!(
            "Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
        );
        d.event(pvc, EventType::Normal, "ExternalProvisioning", &msg, SOURCE);
        let uid = pvc.metadata.uid.clone();
        if self.provisioner_kick.remove(&uid) && serves(v.config, &provisioner) {
            self.external_provision(v, pvc, &class, &provisioner, d);
        }
    }

    /// The external provisioner's turn on a claim: local-path refuses selectors, modes other than RWO/RWOP
    /// and claims with no node (an Immediate class); a refusal is retried with a doubling delay. Otherwise the
    /// volume is created a moment later.
    fn external_provision(
        &mut self,
        v: &View,
        pvc: &PersistentVolumeClaim,
        class: &StorageClass,
        provisioner: &str,
        d: &mut Decision,
    ) {
        let uid = pvc.metadata.uid.clone();
        if self.provisioning.contains(&uid) || self.failures.get(&uid).is_some_and(|f| f.1) {
            return;
        }
        let source = self.provisioner_source(provisioner);
        let key = claim_key(pvc);
        let msg = format!(
            "External provisioner is provisioning volume for claim \"{}/{}\"",
            key.namespace, key.name
        );
        d.event(pvc, EventType::Normal, "Provisioning", &msg, source.clone());
        let refusal = if provisioner != LOCAL_PATH {
            None
        } else if pvc.spec.selector.as_ref().is_some_and(|s| !s.is_empty()) {
            Some("claim.Spec.Selector is not supported")
        } else if pvc
            .spec
            .access_modes
            .iter()
            .any(|m| m != "ReadWriteOnce" && m != "ReadWriteOncePod")
        {
            Some("NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes")
        } else if !pvc.metadata.annotations.contains_key(SELECTED_NODE) {
            Some("configuration error, no node was specified")
        } else {
            None
        };
        if let Some(why) = refusal {
            let msg = format!(
                "failed to provision volume with StorageClass \"{}\": {why}",
                class.metadata.name
            );
            d.event(pvc, EventType::Warning, "ProvisioningFailed", &msg, source);
            let failures = self.failures.entry(uid.clone()).or_insert((0, false));
            failures.0 += 1;
            let delay = (RETRY_START_MS << (failures.0 - 1).min(20)).min(RETRY_MAX_MS);
            failures.1 = true;
            d.wake_at(
                v.now.plus(delay),
                wake(Wake::ProvisionRetry { claim: key, uid }),
            );
            return;
        }
        self.failures.remove(&uid);
        self.provisioning.insert(uid.clone());
        let ms = v.config.timings.provision_ms;
        d.wake_at(v.now.plus(ms), wake(Wake::Provisioned { claim: key, uid }));
    }

    /// The external provisioner finished: create `pvc-<uid>`, pre-bound to the claim. local-path makes a host
    /// directory pinned to the chosen node; other provisioners a CSI volume of their driver.
    fn on_provisioned(&mut self, v: &View, key: &ObjectKey, uid: &str, d: &mut Decision) {
        self.provisioning.remove(uid);
        let Some(pvc) = v
            .store
            .get_typed::<PersistentVolumeClaim>(&key.namespace, &key.name)
            .cloned()
        else {
            return;
        };
        if pvc.metadata.uid != uid
            || pvc.spec.volume_name.is_some()
            || pvc.metadata.is_terminating()
        {
            return;
        }
        let class_name = claim_class(&pvc);
        let Some(class) = v.store.get_typed::<StorageClass>("", class_name).cloned() else {
            d.queue(key.clone());
            return;
        };
        let Some(provisioner) = running_provisioner(v.config, &class) else {
            return;
        };
        let source = self.provisioner_source(&provisioner);
        let local = provisioner == LOCAL_PATH;
        let key = key.clone();
        let create = move |handle: Option<String>| {
            let name = format!("pvc-{}", pvc.metadata.uid);
            let pv = provisioned_volume(&pvc, &class, &key, &provisioner, handle);
            let mut d = Decision::none();
            d.create_then(Object::PersistentVolume(pv.into()), move |created| {
                let mut d = Decision::none();
                if created.is_ok() {
                    let msg = format!("Successfully provisioned volume {name}");
                    d.event(
                        &pvc,
                        EventType::Normal,
                        "ProvisioningSucceeded",
                        &msg,
                        source,
                    );
                }
                d
            });
            d
        };
        // A CSI driver names its volume; local-path needs no handle (and draws nothing from the RNG).
        if local {
            d.extend(create(None));
        } else {
            d.uuid(move |handle| create(Some(handle)));
        }
    }

    /// `syncVolume`: a volume's phase follows its claimRef and the claim it names; a volume whose claim is
    /// gone is Released and reclaimed; a Failed volume stays Failed while the controller retries.
    fn sync_volume(&mut self, v: &View, key: &ObjectKey, d: &mut Decision) {
        let Some(pv) = v.store.get_typed::<PersistentVolume>("", &key.name) else {
            return;
        };
        match &pv.spec.claim_ref {
            None => set_volume_phase(pv, "Available", None, d),
            Some(r) if r.uid.is_empty() => set_volume_phase(pv, "Available", None, d),
            Some(r) => {
                let claim = v
                    .store
                    .get_typed::<PersistentVolumeClaim>(&r.namespace, &r.name)
                    .filter(|p| p.metadata.uid == r.uid);
                match claim {
                    None => {
                        if !matches!(pv.status.phase.as_str(), "Released" | "Failed") {
                            set_volume_phase(pv, "Released", None, d);
                        }
                        hint_self(d, Hint::Reclaim(key.clone()));
                    }
                    Some(claim) => match claim.spec.volume_name.as_deref() {
                        None | Some("") => {
                            // Pre-bound (by the provisioner or a user): the claim's sync finishes the
                            // binding.
                            d.queue(claim_key(claim));
                        }
                        Some(n) if n == pv.metadata.name => set_volume_phase(pv, "Bound", None, d),
                        Some(_) => {
                            let provisioned = pv.metadata.annotations.contains_key(PROVISIONED_BY);
                            if provisioned
                                && pv.spec.persistent_volume_reclaim_policy.as_deref()
                                    == Some("Delete")
                            {
                                if !matches!(pv.status.phase.as_str(), "Released" | "Failed") {
                                    set_volume_phase(pv, "Released", None, d);
                                }
                                hint_self(d, Hint::Reclaim(key.clone()));
                            } else {
                                unbind(pv, d);
                            }
                        }
                    },
                }
            }
        }
        // pv-protection: a volume is removed only once nothing is bound to it.
        let key = key.clone();
        d.then(move |v| {
            let mut d = Decision::none();
            let pv = v.store.get_typed::<PersistentVolume>("", &key.name);
            if let Some(pv) =
                pv.filter(|p| p.metadata.is_terminating() && p.status.phase != "Bound")
            {
                if pv.metadata.finalizers.iter().any(|f| f == PV_PROTECTION) {
                    d.remove_finalizer(key, PV_PROTECTION);
                }
            }
            d
        });
    }

    /// `reclaimVolume`: Retain keeps the volume Released; Delete hands it to its provisioner, or deletes a
    /// host path under /tmp, and fails otherwise; Recycle scrubs host paths and NFS exports and fails
    /// otherwise.
    fn reclaim(&mut self, v: &View, key: &ObjectKey, d: &mut Decision) {
        let Some(pv) = v
            .store
            .get_typed::<PersistentVolume>("", &key.name)
            .cloned()
        else {
            return;
        };
        match pv.spec.persistent_volume_reclaim_policy.as_deref() {
            Some("Retain") => {}
            Some("Delete") => {
                if pv.metadata.is_terminating() {
                    return;
                }
                let external = pv
                    .metadata
                    .annotations
                    .get(PROVISIONED_BY)
                    .is_some_and(|p| !p.starts_with("kubernetes.io/"));
                let host_path = pv.spec.host_path.as_ref().map(|h| {
                    h.get("path")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                });
                match (external, host_path) {
                    (true, _) => d.delete(key.clone(), DeleteOptions::default()),
                    (false, Some(path)) if under_tmp(&path) => {
                        d.delete(key.clone(), DeleteOptions::default())
                    }
                    (false, Some(path)) => {
                        let msg = format!(
                            "host_path deleter only supports /tmp/.+ but received provided {path}"
                        );
                        volume_failed(&pv, "VolumeFailedDelete", &msg, d);
                    }
                    (false, None) => {
                        let msg = format!(
                            "error getting deleter volume plugin for volume \"{}\": no deletable volume plugin matched",
                            pv.metadata.name
                        );
                        volume_failed(&pv, "VolumeFailedDelete", &msg, d);
                    }
                }
            }
            Some("Recycle") => {
                if pv.spec.host_path.is_none() && pv.spec.nfs.is_none() {
                    volume_failed(
                        &pv,
                        "VolumeFailedRecycle",
                        "No recycler plugin found for the volume!",
                        d,
                    );
                } else if self.recycling.insert(pv.metadata.uid.clone()) {
                    d.wake_at(
                        v.now.plus(RECYCLE_MS),
                        wake(Wake::Recycled {
                            volume: pv.metadata.name.clone(),
                            uid: pv.metadata.uid.clone(),
                        }),
                    );
                }
            }
            _ => volume_failed(
                &pv,
                "VolumeUnknownReclaimPolicy",
                "Volume has unrecognized PersistentVolumeReclaimPolicy",
                d,
            ),
        }
    }

    /// The recycler pod is done: the volume is Available again.
    fn finish_recycle(&mut self, v: &View, name: &str, uid: &str, d: &mut Decision) {
        self.recycling.remove(uid);
        let Some(pv) = v.store.get_typed::<PersistentVolume>("", name).cloned() else {
            return;
        };
        if pv.metadata.uid != uid || pv.status.phase != "Released" {
            return;
        }
        d.event(
            &pv,
            EventType::Normal,
            "VolumeRecycled",
            "Volume recycled",
            SOURCE,
        );
        unbind(&pv, d);
    }

    /// The expand controller and the resizers: a Bound claim asking for more than its capacity. The in-tree
    /// controller finds no plugin and says an external one must act; an installed CSI driver's resizer grows
    /// the volume, then the kubelet of a node that mounts it grows the file system. local-path has no
    /// resizer, and a driver that is not installed none either, so their claims keep their capacity.
    fn sync_expansion(&mut self, v: &View, pvc: &PersistentVolumeClaim, d: &mut Decision) {
        if pvc.status.phase != "Bound" {
            return;
        }
        let (Some(want), Some(name)) = (request(pvc), pvc.spec.volume_name.clone()) else {
            return;
        };
        let have = pvc
            .status
            .capacity
            .get("storage")
            .and_then(|s| Quantity::parse(s).ok());
        let uid = pvc.metadata.uid.clone();
        if pending_node_expansion(pvc) {
            self.maybe_expand_on_node(v, pvc, d);
        }
        if have.is_some_and(|h| want <= h) {
            return;
        }
        let want_text = want.to_string();
        if self.expanding.get(&uid) == Some(&want_text) {
            return;
        }
        self.expanding.insert(uid.clone(), want_text.clone());
        d.event(
            pvc,
            EventType::Warning,
            "ExternalExpanding",
            "waiting for an external controller to expand this PVC",
            EXPAND_SOURCE,
        );
        let Some(pv) = v.store.get_typed::<PersistentVolume>("", &name) else {
            return;
        };
        let Some(driver) = pv
            .spec
            .csi
            .as_ref()
            .and_then(|d| d.get("driver"))
            .and_then(Value::as_str)
            .map(str::to_string)
            // Only a driver that is installed runs a resizer.
            .filter(|d| serves(v.config, d))
        else {
            return;
        };
        let now = v.now;
        d.patch::<PersistentVolumeClaim>(&pvc.metadata.namespace, &pvc.metadata.name, move |p| {
            p.status
                .allocated_resources
                .insert("storage".into(), want_text);
            p.status
                .allocated_resource_statuses
                .insert("storage".into(), "ControllerResizeInProgress".into());
            set_claim_condition(p, "Resizing", None, now);
        });
        let source = self.named_source(format!("external-resizer {driver}"));
        let msg = format!("External resizer is resizing volume {name}");
        d.event(pvc, EventType::Normal, "Resizing", &msg, source);
        d.wake_at(
            now.plus(CONTROLLER_RESIZE_MS),
            wake(Wake::ControllerExpanded {
                claim: claim_key(pvc),
                uid,
            }),
        );
    }

    /// The resizer grew the volume: the PV has the new capacity; the file system waits for a node.
    fn controller_expanded(&mut self, v: &View, key: &ObjectKey, uid: &str, d: &mut Decision) {
        let Some(pvc) = v
            .store
            .get_typed::<PersistentVolumeClaim>(&key.namespace, &key.name)
            .cloned()
            .filter(|p| p.metadata.uid == uid)
        else {
            return;
        };
        let (Some(want), Some(name)) = (
            self.expanding.get(uid).cloned(),
            pvc.spec.volume_name.clone(),
        ) else {
            return;
        };
        let Some(driver) = v
            .store
            .get_typed::<PersistentVolume>("", &name)
            .and_then(|pv| {
                pv.spec
                    .csi
                    .as_ref()?
                    .get("driver")?
                    .as_str()
                    .map(str::to_string)
            })
        else {
            return;
        };
        let now = v.now;
        d.patch::<PersistentVolume>("", &name, move |v| {
            v.spec_mut()
                .capacity
                .insert("storage".into(), Value::String(want));
        });
        d.patch::<PersistentVolumeClaim>(&key.namespace, &key.name, move |p| {
            p.status
                .allocated_resource_statuses
                .insert("storage".into(), "NodeResizePending".into());
            set_claim_condition(
                p,
                "FileSystemResizePending",
                Some("Waiting for user to (re-)start a pod to finish file system resize of volume on node."),
                now,
            );
        });
        let source = self.named_source(format!("external-resizer {driver}"));
        d.event(
            &pvc,
            EventType::Normal,
            "FileSystemResizeRequired",
            "Require file system resize of volume on node",
            source,
        );
        // What the kubelet's turn needs of the claim (its name and uid) the writes above leave as it was.
        self.maybe_expand_on_node(v, &pvc, d);
    }

    /// A pod on a node mounts the claim: its kubelet will grow the file system.
    fn maybe_expand_on_node(&mut self, v: &View, pvc: &PersistentVolumeClaim, d: &mut Decision) {
        let ns = &pvc.metadata.namespace;
        let mounted = self
            .users(ns, &pvc.metadata.name)
            .any(|(_, scheduled)| scheduled);
        if mounted && self.node_expanding.insert(pvc.metadata.uid.clone()) {
            d.wake_at(
                v.now.plus(NODE_RESIZE_MS),
                wake(Wake::NodeExpanded {
                    claim: claim_key(pvc),
                    uid: pvc.metadata.uid.clone(),
                }),
            );
        }
    }

    /// The kubelet grew the file system: the claim reports the new capacity.
    fn node_expanded(&mut self, v: &View, key: &ObjectKey, uid: &str, d: &mut Decision) {
        self.node_expanding.remove(uid);
        let Some(pvc) = v
            .store
            .get_typed::<PersistentVolumeClaim>(&key.namespace, &key.name)
            .cloned()
            .filter(|p| p.metadata.uid == uid)
        else {
            return;
        };
        let Some(name) = pvc.spec.volume_name.clone() else {
            return;
        };
        let node = self
            .users(&key.namespace, &key.name)
            .filter(|(_, scheduled)| *scheduled)
            .find_map(|(pod, _)| {
                v.store
                    .get_typed::<Pod>(&key.namespace, pod)
                    .and_then(|p| p.spec.node_name.clone())
            });
        let Some(node) = node else {
            return;
        };
        let cap = v
            .store
            .get_typed::<PersistentVolume>("", &name)
            .and_then(|pv| {
                pv.spec
                    .capacity
                    .get("storage")
                    .and_then(quantity::stored_text)
            });
        d.patch::<PersistentVolumeClaim>(&key.namespace, &key.name, move |p| {
            if let Some(cap) = cap {
                p.status.capacity.insert("storage".into(), cap);
            }
            p.status.allocated_resource_statuses.clear();
            p.status
                .conditions
                .retain(|c| c.type_ != "Resizing" && c.type_ != "FileSystemResizePending");
        });
        let msg = format!("MountVolume.NodeExpandVolume succeeded for volume \"{name}\" {node}");
        let source = Source::on_node("kubelet", &node);
        d.event(
            &pvc,
            EventType::Normal,
            "FileSystemResizeSuccessful",
            &msg,
            source,
        );
    }
}

/// `syncBoundClaim`: a claim that was bound stays bound to its volume, or is Lost.
fn sync_bound_claim(v: &View, pvc: &PersistentVolumeClaim, d: &mut Decision) {
    let Some(name) = pvc.spec.volume_name.clone().filter(|n| !n.is_empty()) else {
        let msg = "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!";
        claim_lost(pvc, "ClaimLost", msg, d);
        return;
    };
    let Some(pv) = v.store.get_typed::<PersistentVolume>("", &name) else {
        let msg = "Bound claim has lost its PersistentVolume. Data on the volume is lost!";
        claim_lost(pvc, "ClaimLost", msg, d);
        return;
    };
    match &pv.spec.claim_ref {
        None => bind(pv, pvc, d),
        Some(r) if r.uid == pvc.metadata.uid => bind(pv, pvc, d),
        Some(_) => {
            let msg = "Two claims are bound to the same volume, this one is bound incorrectly";
            claim_lost(pvc, "ClaimMisbound", msg, d);
        }
    }
}

/// `updateClaimStatusWithEvent(Lost)`: the phase, no capacity or access modes, and the event once.
fn claim_lost(pvc: &PersistentVolumeClaim, reason: &str, msg: &str, d: &mut Decision) {
    if pvc.status.phase == "Lost" {
        return;
    }
    d.patch::<PersistentVolumeClaim>(&pvc.metadata.namespace, &pvc.metadata.name, |p| {
        p.status.phase = "Lost".into();
        p.status.access_modes.clear();
        p.status.capacity.clear();
    });
    d.event(pvc, EventType::Warning, reason, msg, SOURCE);
}

/// `bind`: the volume's claimRef first (marked bound-by-controller unless the user pre-bound it), the volume
/// Bound, then the claim's volumeName (marked bound-by-controller when the controller chose), bind-completed,
/// and the claim Bound with the volume's access modes and capacity.
fn bind(pv: &PersistentVolume, pvc: &PersistentVolumeClaim, d: &mut Decision) {
    let pre_bound = is_volume_bound_to_claim(pv, pvc);
    let ours = pv.spec.claim_ref.as_ref().is_some_and(|r| {
        r.namespace == pvc.metadata.namespace
            && r.name == pvc.metadata.name
            && r.uid == pvc.metadata.uid
    });
    let claim_ref = claim_reference(pvc);
    d.patch::<PersistentVolume>("", &pv.metadata.name, move |v| {
        if !ours {
            v.spec_mut().claim_ref = Some(claim_ref);
        }
        if !pre_bound {
            v.metadata
                .annotations
                .entry(BOUND_BY_CONTROLLER.into())
                .or_insert_with(|| "yes".into());
        }
        if v.status.phase != "Bound" {
            v.status.phase = "Bound".into();
            v.status.message = None;
            v.status.reason = None;
        }
    });
    let modes = pv.spec.access_modes.clone();
    let cap = pv
        .spec
        .capacity
        .get("storage")
        .and_then(quantity::stored_text);
    let volume = pv.metadata.name.clone();
    d.patch::<PersistentVolumeClaim>(&pvc.metadata.namespace, &pvc.metadata.name, move |p| {
        if p.spec.volume_name.as_deref() != Some(volume.as_str()) {
            p.spec_mut().volume_name = Some(volume);
            p.metadata
                .annotations
                .entry(BOUND_BY_CONTROLLER.into())
                .or_insert_with(|| "yes".into());
        }
        p.metadata
            .annotations
            .entry(BIND_COMPLETED.into())
            .or_insert_with(|| "yes".into());
        p.status.access_modes = modes;
        // Capacity is copied when the claim becomes Bound, not after: a resize changes it later.
        if p.status.phase != "Bound" {
            p.status.phase = "Bound".into();
            if let Some(cap) = cap {
                p.status.capacity = BTreeMap::from([("storage".to_string(), cap)]);
            }
        }
    });
}

/// `setClaimProvisioner`: the annotations that tell provisioners whose claim it is.
fn set_claim_provisioner(pvc: &PersistentVolumeClaim, provisioner: &str, d: &mut Decision) {
    let provisioner = provisioner.to_string();
    d.patch::<PersistentVolumeClaim>(&pvc.metadata.namespace, &pvc.metadata.name, move |p| {
        for a in [STORAGE_PROVISIONER, BETA_STORAGE_PROVISIONER] {
            p.metadata
                .annotations
                .insert(a.to_string(), provisioner.clone());
        }
    });
}

/// The volume the external provisioner makes for a claim: `pvc-<uid>`, pre-bound to it; a host directory
/// pinned to the chosen node for local-path, a CSI volume with `handle` for a driver.
fn provisioned_volume(
    pvc: &PersistentVolumeClaim,
    class: &StorageClass,
    key: &ObjectKey,
    provisioner: &str,
    handle: Option<String>,
) -> PersistentVolume {
    let name = format!("pvc-{}", pvc.metadata.uid);
    let node = pvc.metadata.annotations.get(SELECTED_NODE).cloned();
    let local = provisioner == LOCAL_PATH;
    let mut annotations = BTreeMap::from([(PROVISIONED_BY.to_string(), provisioner.to_string())]);
    if let (true, Some(n)) = (local, &node) {
        annotations.insert("local.path.provisioner/selected-node".into(), n.clone());
    }
    PersistentVolume {
        metadata: ObjectMeta {
            name: name.clone(),
            annotations,
            finalizers: vec![PV_PROTECTION.to_string()],
            ..Default::default()
        },
        spec: crate::model::storage::PvSpec {
            capacity: BTreeMap::from([(
                "storage".to_string(),
                json!(pvc.requested_storage()),
            )]),
            access_modes: pvc.spec.access_modes.clone(),
            persistent_volume_reclaim_policy: class.reclaim_policy.clone(),
            storage_class_name: Some(claim_class(pvc).to_string()),
            claim_ref: Some(claim_reference(pvc)),
            volume_mode: pvc.spec.volume_mode.clone(),
            mount_options: class.mount_options.clone(),
            node_affinity: node.as_ref().filter(|_| local).map(|n| {
                json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "kubernetes.io/hostname", "operator": "In", "values": [n]}
                ]}]}})
            }),
            host_path: local.then(|| {
                json!({"path": format!("/var/local-path-provisioner/{name}_{}_{}", key.namespace, key.name), "type": "DirectoryOrCreate"})
            }),
            csi: handle.map(|h| {
                json!({"driver": provisioner, "volumeHandle": h, "fsType": "ext4"})
            }),
            ..Default::default()
        }
        .into(),
        status: Default::default(),
    }
}

/// `updateVolumePhase`: the phase, and the message that goes with it (only a Failed volume has one).
fn set_volume_phase(pv: &PersistentVolume, phase: &str, message: Option<&str>, d: &mut Decision) {
    let phase = phase.to_string();
    let message = message.map(str::to_string);
    d.patch::<PersistentVolume>("", &pv.metadata.name, move |v| {
        if v.status.phase != phase {
            v.status.phase = phase;
            v.status.message = message;
        }
    });
}

/// `updateVolumePhaseWithEvent(Failed)`: the event comes with the change of phase, not with each retry.
fn volume_failed(pv: &PersistentVolume, reason: &str, message: &str, d: &mut Decision) {
    if pv.status.phase == "Failed" {
        return;
    }
    set_volume_phase(pv, "Failed", Some(message), d);
    d.event(pv, EventType::Warning, reason, message, SOURCE);
}

/// `unbindVolume`: a volume the controller bound goes back to the pool; one a user pre-bound keeps its
/// claimRef without the uid.
fn unbind(pv: &PersistentVolume, d: &mut Decision) {
    d.patch::<PersistentVolume>("", &pv.metadata.name, |v| {
        if v.metadata.annotations.remove(BOUND_BY_CONTROLLER).is_some() {
            v.spec_mut().claim_ref = None;
        } else if let Some(r) = v.spec_mut().claim_ref.as_mut() {
            r.uid.clear();
        }
        v.status.phase = "Available".into();
        v.status.message = None;
    });
}

fn claim_key(pvc: &PersistentVolumeClaim) -> ObjectKey {
    ObjectKey::new(
        Kind::PersistentVolumeClaim,
        &pvc.metadata.namespace,
        &pvc.metadata.name,
    )
}

/// `GetPersistentVolumeClaimClass`: the beta annotation wins over the field; no class is "".
pub(crate) fn claim_class(pvc: &PersistentVolumeClaim) -> &str {
    pvc.class_name()
}

fn volume_class(pv: &PersistentVolume) -> &str {
    pv.class_name()
}

/// The volumes that can match a claim of class `class`: those already bound to it (any class) and the
/// unclaimed ones of its class, from the store's indexes, in the store's order. Every other volume is bound to
/// another claim or of another class, which `find_matching_volume` passes over anyway.
fn candidate_volumes<'a>(
    store: &'a Store,
    pvc: &PersistentVolumeClaim,
    class: &str,
) -> Vec<&'a PersistentVolume> {
    let claim = format!("{}/{}", pvc.metadata.namespace, pvc.metadata.name);
    let mut vols: Vec<&PersistentVolume> = store
        .indexed(Index::VolumeByClaim, &claim)
        .chain(store.indexed(Index::UnclaimedVolumeByClass, class))
        .collect();
    crate::sort::by(&mut vols, |a, b| a.metadata.name.cmp(&b.metadata.name));
    vols
}

/// `IsVolumeBoundToClaim`: the volume's claimRef names this claim (and its uid, if it has one).
fn is_volume_bound_to_claim(pv: &PersistentVolume, pvc: &PersistentVolumeClaim) -> bool {
    pv.spec.claim_ref.as_ref().is_some_and(|r| {
        r.namespace == pvc.metadata.namespace
            && r.name == pvc.metadata.name
            && (r.uid.is_empty() || r.uid == pvc.metadata.uid)
    })
}

fn capacity(pv: &PersistentVolume) -> Option<Quantity> {
    pv.spec
        .capacity
        .get("storage")
        .and_then(|v| quantity::from_json(v).ok())
}

pub(crate) fn request(pvc: &PersistentVolumeClaim) -> Option<Quantity> {
    pvc.spec
        .resources
        .requests
        .get("storage")
        .and_then(|v| quantity::from_json(v).ok())
}

fn is_large_enough(pv: &PersistentVolume, pvc: &PersistentVolumeClaim) -> bool {
    match (capacity(pv), request(pvc)) {
        (Some(have), Some(want)) => have >= want,
        (Some(_), None) => true,
        (None, want) => want.is_none_or(|w| w.is_zero()),
    }
}

fn mode_of(mode: &Option<String>) -> &str {
    mode.as_deref().unwrap_or("Filesystem")
}

/// `CheckAccessModes`: the volume offers every mode the claim asks for.
fn has_access_modes(pv: &PersistentVolume, pvc: &PersistentVolumeClaim) -> bool {
    pvc.spec
        .access_modes
        .iter()
        .all(|m| pv.spec.access_modes.contains(m))
}

/// `checkVolumeSatisfyClaim`: why a volume the claim names cannot be its volume.
fn check_volume_satisfies_claim(
    pv: &PersistentVolume,
    pvc: &PersistentVolumeClaim,
) -> Result<(), String> {
    if pv.metadata.is_terminating() {
        return Err(format!(
            "the volume is marked for deletion \"{}\"",
            pv.metadata.name
        ));
    }
    if !is_large_enough(pv, pvc) {
        return Err("requested PV is too small".into());
    }
    if volume_class(pv) != claim_class(pvc) {
        return Err("storageClassName does not match".into());
    }
    if mode_of(&pv.spec.volume_mode) != mode_of(&pvc.spec.volume_mode) {
        return Err("incompatible volumeMode".into());
    }
    if !has_access_modes(pv, pvc) {
        return Err("incompatible accessMode".into());
    }
    Ok(())
}

/// The set of access modes a volume offers, as the index groups volumes (`RWO,ROX`).
fn mode_group(pv: &PersistentVolume) -> Vec<&'static str> {
    [
        "ReadWriteOnce",
        "ReadOnlyMany",
        "ReadWriteMany",
        "ReadWriteOncePod",
    ]
    .into_iter()
    .filter(|m| pv.spec.access_modes.iter().any(|x| x == m))
    .collect()
}

/// `findByClaim` (index.go): volumes are grouped by their exact set of access modes; groups holding every
/// requested mode are searched from the fewest modes up, and the first group with a match wins — so a claim
/// for RWO takes a large RWO volume before a small RWO+ROX one.
fn find_best_match<'a>(
    store: &'a Store,
    pvc: &PersistentVolumeClaim,
    delay_binding: bool,
) -> Option<&'a PersistentVolume> {
    // With delayed binding the controller only takes a volume already bound to the claim, so only those need
    // looking at: the index gives them without a walk over every volume.
    let claim = format!("{}/{}", pvc.metadata.namespace, pvc.metadata.name);
    let volumes: Vec<&PersistentVolume> = if delay_binding {
        store.indexed(Index::VolumeByClaim, &claim).collect()
    } else {
        candidate_volumes(store, pvc, claim_class(pvc))
    };
    let mut groups: BTreeMap<Vec<&'static str>, Vec<&PersistentVolume>> = BTreeMap::new();
    for pv in volumes {
        groups.entry(mode_group(pv)).or_default().push(pv);
    }
    let mut possible: Vec<(Vec<&'static str>, Vec<&PersistentVolume>)> = groups
        .into_iter()
        .filter(|(modes, _)| {
            pvc.spec
                .access_modes
                .iter()
                .all(|m| modes.contains(&m.as_str()))
        })
        .collect();
    crate::sort::by_key(&mut possible, |(modes, _)| modes.len());
    possible
        .into_iter()
        .find_map(|(_, vols)| find_matching_volume(pvc, &vols, None, delay_binding))
}

/// The volumes the scheduler's search for a WaitForFirstConsumer claim looks at (binder.go
/// `findMatchingVolumes`): those of its class that can match it, by name. They do not depend on the node,
/// so the scheduler gathers them once per attempt and [`find_volume_for_node`] filters them for each node.
pub(crate) fn volumes_for_claim(store: &Store, pvc: &PersistentVolumeClaim) -> Vec<String> {
    let class = claim_class(pvc);
    candidate_volumes(store, pvc, class)
        .into_iter()
        .filter(|pv| volume_class(pv) == class)
        .map(|pv| pv.metadata.name.clone())
        .collect()
}

/// The volume among `candidates` ([`volumes_for_claim`]) the claim would bind to on `node`, leaving out
/// those already chosen for the pod's other claims.
pub(crate) fn find_volume_for_node<'a>(
    store: &'a Store,
    pvc: &PersistentVolumeClaim,
    candidates: &[String],
    node: &Node,
    excluded: &BTreeSet<&str>,
) -> Option<&'a str> {
    if candidates.is_empty() {
        return None;
    }
    let vols: Vec<&PersistentVolume> = candidates
        .iter()
        .filter(|name| !excluded.contains(name.as_str()))
        .filter_map(|name| store.get_typed::<PersistentVolume>("", name))
        .collect();
    find_matching_volume(pvc, &vols, Some(node), true).map(|pv| pv.metadata.name.as_str())
}

/// `GetBindVolumeToClaim`, as the scheduler pre-binds a volume it chose: the claim's reference, marked as
/// the controller's doing unless the volume was already reserved for the claim. The PV controller finishes.
pub(crate) fn pre_bind(pv: &mut PersistentVolume, pvc: &PersistentVolumeClaim) {
    if !is_volume_bound_to_claim(pv, pvc) {
        pv.metadata
            .annotations
            .entry(BOUND_BY_CONTROLLER.into())
            .or_insert_with(|| "yes".into());
    }
    let ours = pv.spec.claim_ref.as_ref().is_some_and(|r| {
        r.namespace == pvc.metadata.namespace
            && r.name == pvc.metadata.name
            && r.uid == pvc.metadata.uid
    });
    if !ours {
        pv.spec_mut().claim_ref = Some(claim_reference(pvc));
    }
}

/// `FindMatchingVolume`: a volume pre-bound to this claim (if big enough, of the same volume mode, not being
/// deleted) wins at once; otherwise the smallest Available volume of the claim's class and selector that is big
/// enough. The controller path (no node) with delayed binding only takes pre-bound volumes.
fn find_matching_volume<'a>(
    pvc: &PersistentVolumeClaim,
    vols: &[&'a PersistentVolume],
    node: Option<&Node>,
    delay_binding: bool,
) -> Option<&'a PersistentVolume> {
    let class = claim_class(pvc);
    let mut best: Option<(&'a PersistentVolume, Option<Quantity>)> = None;
    for pv in vols {
        if pv.spec.claim_ref.is_some() && !is_volume_bound_to_claim(pv, pvc) {
            continue;
        }
        if !is_large_enough(pv, pvc)
            || mode_of(&pv.spec.volume_mode) != mode_of(&pvc.spec.volume_mode)
            || pvc
                .spec
                .volume_attributes_class_name
                .as_deref()
                .is_some_and(|v| !v.is_empty())
            || pv.metadata.is_terminating()
        {
            continue;
        }
        let node_ok = node.is_none_or(|n| volume_fits_node(pv, n));
        if is_volume_bound_to_claim(pv, pvc) {
            return node_ok.then_some(*pv);
        }
        if node.is_none() && delay_binding {
            continue;
        }
        if pv.status.phase != "Available" {
            continue;
        }
        if let Some(sel) = &pvc.spec.selector {
            if !sel.matches(&pv.metadata.labels) {
                continue;
            }
        }
        if volume_class(pv) != class || !node_ok {
            continue;
        }
        if node.is_some() && !has_access_modes(pv, pvc) {
            continue;
        }
        let cap = capacity(pv);
        if best.as_ref().is_none_or(|(_, b)| *b > cap) {
            best = Some((pv, cap));
        }
    }
    best.map(|(pv, _)| pv)
}

fn claim_reference(pvc: &PersistentVolumeClaim) -> ObjectReference {
    ObjectReference {
        api_version: Some("v1".into()),
        kind: Some("PersistentVolumeClaim".into()),
        namespace: pvc.metadata.namespace.clone(),
        name: pvc.metadata.name.clone(),
        uid: pvc.metadata.uid.clone(),
        resource_version: Some(pvc.metadata.resource_version.clone()),
        field_path: None,
    }
}

/// The host path deleter's rule: the path must match `/tmp/.+`.
fn under_tmp(path: &str) -> bool {
    path.match_indices("/tmp/")
        .any(|(i, m)| path.len() > i + m.len())
}

/// Replaces the claim's resize conditions with `type_`.
fn set_claim_condition(
    p: &mut PersistentVolumeClaim,
    type_: &str,
    message: Option<&str>,
    now: crate::clock::Time,
) {
    p.status
        .conditions
        .retain(|c| c.type_ != "Resizing" && c.type_ != "FileSystemResizePending");
    p.status.conditions.push(PodCondition {
        type_: type_.to_string(),
        status: "True".into(),
        last_transition_time: Some(now),
        last_probe_time: None,
        reason: None,
        message: message.map(str::to_string),
    });
}

fn pending_node_expansion(pvc: &PersistentVolumeClaim) -> bool {
    pvc.status
        .conditions
        .iter()
        .any(|c| c.type_ == "FileSystemResizePending")
}

#[cfg(test)]
mod tests {
    use super::under_tmp;

    #[test]
    fn the_host_path_deleter_only_takes_tmp() {
        assert!(under_tmp("/tmp/data"));
        assert!(under_tmp("/var/tmp/x"));
        assert!(!under_tmp("/tmp/"));
        assert!(!under_tmp("/mnt/data"));
    }
}
