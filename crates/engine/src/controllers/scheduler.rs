//! The scheduler: puts each pending pod on a node. It honours cordoned and NotReady nodes, NoSchedule taints,
//! `nodeSelector`, and the VolumeBinding plugin (k8s-behaviour.md 2.6; upstream
//! `pkg/scheduler/framework/plugins/volumebinding/volume_binding.go` and `binder.go`): a missing, terminating,
//! lost or Immediate-unbound claim stops scheduling; bound local volumes narrow the nodes looked at; a
//! WaitForFirstConsumer claim needs, on the node, a static volume of its class that fits or a class that can
//! provision there (its provisioner, its `allowedTopologies`). The chosen node is written on claims to
//! provision and static volumes are pre-bound, then the pod waits in PreBind, counted on its node, until its
//! claims are bound — or ten minutes pass and it is tried again.
//!
//! Pods wait in the scheduling queue as `pkg/scheduler/backend/queue/scheduling_queue.go` keeps them: a pod
//! its plugins rejected goes to the unschedulable pods, which a cluster event one of those plugins registers
//! for moves back (a node added or changed, a claim, volume or class changed, an assigned pod deleted), and
//! which every pod leaves after five minutes there (`flushUnschedulablePodsLeftover`, every 30s) to be tried
//! again — and, nothing having changed, rejected again: that round is a `FailedScheduling` repeating every
//! 5m30s rather than a timer, so a pod that cannot be placed never keeps the clock busy; a pod whose
//! attempt failed with an error (PreBind) waits out its back-off — 1s doubling per attempt up to 10s, counted
//! in whole-second windows (`backoff_queue.go`). A pod moved back is tried at once: with `PopFromBackoffQ` an
//! idle scheduler takes pods from the back-off queue too. Every failed attempt records `FailedScheduling`.
//!
//! The scheduler returns its decisions: the placement's tie-break is a draw the cluster loop makes
//! ([`Decision::draw`]), after which the sync resumes with the node drawn ([`Hint::Chosen`]); the PreBind
//! timeout is a timer of its own it cancels by its handle, the five-minute flushes a repeating Event it stops
//! by its handle; the volume controller tells it when claims change ([`Hint::VolumesChanged`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::Value;

use crate::clock::Time;
use crate::controllers::decision::{EventRecord, Handle};
use crate::controllers::volume;
use crate::controllers::{Controller, Decision, View};
use crate::events::{EventType, Source};
use crate::hash::FastMap;
use crate::model::cluster::Taint;
use crate::model::{
    Kind, Node, Object, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass,
};
use crate::store::{ObjectKey, WatchEventType};

const SOURCE: Source = Source::events_api("default-scheduler");
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

/// The scheduler, with its scheduling queue and its view of where pods are.
#[derive(Debug, Default)]
pub struct Scheduler {
    /// Pods without a node and not being deleted: the ones worth retrying when something changes.
    pending: BTreeSet<ObjectKey>,
    /// Where each pod waiting to be scheduled is in the scheduling queue, by uid.
    queued: BTreeMap<String, Queued>,
    /// Pods bound to each node, by uid, for spreading without listing every pod. Looked up once per node
    /// per attempt and never walked, so hashed (deterministically).
    on_node: FastMap<String, BTreeSet<String>>,
    /// Where each bound pod is, by uid, to keep `on_node` right when it goes.
    node_of: BTreeMap<String, String>,
    /// Pods the scheduler has placed but not bound yet (waiting for their volumes), by uid, with their node
    /// and when: they count against their node like the real scheduler's assumed pods.
    assumed: BTreeMap<String, (String, Time)>,
    /// The PreBind timeout timer of each assumed pod, by uid, to cancel when the wait ends early.
    bind_timeouts: BTreeMap<String, Handle>,
    /// The last handle given to a timer or a repeating Event.
    handles: Handle,
    /// Each node's name, shared: an attempt hands its tied nodes to the draw without copying every name.
    /// Only looked up, so hashed.
    names: FastMap<String, std::sync::Arc<str>>,
}

/// A pod in the scheduling queue (`QueuedPodInfo`): how often it was tried, when last, and where it waits.
#[derive(Debug, Clone)]
struct Queued {
    attempts: u32,
    /// When its last attempt ended (`Timestamp`).
    tried: Time,
    place: Place,
    /// The plugins that rejected it last (`UnschedulablePlugins`): the cluster events they register for move it.
    rejected_by: BTreeSet<&'static str>,
    /// While unschedulable: the `FailedScheduling` of its attempts at the five-minute flushes.
    flushes: Option<Handle>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Up for an attempt.
    Active,
    /// Rejected: waits for a cluster event, or five minutes.
    Unschedulable,
    /// Failed with an error: waits out its back-off (`podErrorBackoffQ`).
    Backoff,
}

/// The scheduler's timers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// A pod's back-off after attempt `attempts` is over.
    BackoffDone {
        pod: ObjectKey,
        uid: String,
        attempts: u32,
    },
    /// The wait in PreBind for the volumes of a pod placed at `since` is over.
    BindTimeout {
        pod: ObjectKey,
        uid: String,
        since: Time,
    },
}

/// What the scheduler is told at once.
#[derive(Debug)]
pub(crate) enum Hint {
    /// Claims the pods `users` mount changed (the VolumeBinding plugin registers for claims, volumes and
    /// classes).
    VolumesChanged(Vec<ObjectKey>),
    /// The draw among the least loaded feasible nodes chose one: the attempt goes on there.
    Chosen(Box<Chosen>),
}

/// An attempt waiting for its node to be drawn: the pod, the node drawn and the claims its PreFilter sorted.
#[derive(Debug)]
pub(crate) struct Chosen {
    pod: Pod,
    node: String,
    claims: PodClaims,
}

/// `DefaultPodInitialBackoffDuration` and `DefaultPodMaxBackoffDuration`.
const INITIAL_BACKOFF_MS: u64 = 1_000;
const MAX_BACKOFF_MS: u64 = 10_000;
/// `DefaultPodMaxInUnschedulablePodsDuration`, and how often `flushUnschedulablePodsLeftover` runs.
const MAX_UNSCHEDULABLE_MS: u64 = 300_000;
const LEFTOVER_FLUSH_MS: u64 = 30_000;
/// `backoffQOrderingWindowDuration`: back-offs end on whole seconds, when the back-off queue is flushed.
const BACKOFF_WINDOW_MS: u64 = 1_000;

/// `calculateBackoffDuration`: 1s, doubled for every attempt after the first, at most 10s.
fn backoff_ms(attempts: u32) -> u64 {
    let mut d = INITIAL_BACKOFF_MS;
    for _ in 1..attempts {
        if d > MAX_BACKOFF_MS - d {
            return MAX_BACKOFF_MS;
        }
        d += d;
    }
    d
}

/// When a pod tried `attempts` times, last at `tried`, leaves the back-off queue: its back-off's end truncated
/// to its window (`getBackoffTime`), at the first flush after that window (`isPodBackingoff`).
fn backoff_done(attempts: u32, tried: Time) -> Time {
    let end = tried.plus(backoff_ms(attempts));
    Time(end.millis() / BACKOFF_WINDOW_MS * BACKOFF_WINDOW_MS + BACKOFF_WINDOW_MS)
}

/// The flush that moves a pod unschedulable since `tried`: the first 30s tick more than five minutes later.
fn leftover_flush(tried: Time) -> Time {
    let due = tried.millis() + MAX_UNSCHEDULABLE_MS;
    Time((due / LEFTOVER_FLUSH_MS + 1) * LEFTOVER_FLUSH_MS)
}

/// A pod tried at a flush tick is flushed again five and a half minutes on (the tick five minutes on is not
/// *more* than five minutes).
const FLUSH_PERIOD_MS: u64 = MAX_UNSCHEDULABLE_MS + LEFTOVER_FLUSH_MS;

/// `bindTimeoutSeconds` of the VolumeBinding plugin: how long PreBind waits for the volumes.
const BIND_TIMEOUT_MS: u64 = 600_000;

impl Controller for Scheduler {
    /// Pods without a node are queued; the per-node index follows every pod; a node added or changed moves
    /// every unschedulable pod (every plugin the scheduler runs registers for node events).
    fn route(&mut self, v: &View, type_: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        match &**obj {
            Object::Pod(pod) => {
                self.observe_pod(v, type_, pod, &mut d);
                if type_ != WatchEventType::Deleted && pod.spec.node_name.is_none() {
                    d.queue(ObjectKey::new(
                        Kind::Pod,
                        &pod.metadata.namespace,
                        &pod.metadata.name,
                    ));
                }
            }
            Object::Node(_) => self.move_pods(v, |_| true, &mut d),
            _ => {}
        }
        d
    }

    fn reconcile(&mut self, v: &View, key: &ObjectKey) -> Decision {
        let mut d = Decision::none();
        self.sync(v, key, &mut d);
        d
    }

    fn wake(&mut self, v: &View, wake: crate::controllers::Wake) -> Decision {
        let mut d = Decision::none();
        match wake {
            crate::controllers::Wake::Scheduler(Wake::BackoffDone { pod, uid, attempts }) => {
                let due = self
                    .queued
                    .get(&uid)
                    .is_some_and(|q| q.place == Place::Backoff && q.attempts == attempts);
                if due {
                    if let Some(q) = self.queued.get_mut(&uid) {
                        q.place = Place::Active;
                    }
                    d.queue(pod);
                }
            }
            crate::controllers::Wake::Scheduler(Wake::BindTimeout { pod, uid, since }) => {
                self.on_bind_timeout(v, &pod, &uid, since, &mut d);
            }
            _ => {}
        }
        d
    }

    fn hint(&mut self, v: &View, hint: crate::controllers::Hint) -> Decision {
        let mut d = Decision::none();
        let crate::controllers::Hint::Scheduler(hint) = hint else {
            return d;
        };
        match hint {
            Hint::VolumesChanged(users) => self.volumes_changed(v, &users, &mut d),
            Hint::Chosen(chosen) => self.place(v, *chosen, &mut d),
        }
        d
    }
}

impl Scheduler {
    /// A name for a new timer or repeating Event.
    fn handle(&mut self) -> Handle {
        self.handles += 1;
        self.handles
    }

    /// The pod leaves the unschedulable pods now: the flushes since it was rejected were attempts too.
    fn leave_unschedulable(&mut self, now: Time, uid: &str, d: &mut Decision) {
        let Some(q) = self.queued.get_mut(uid) else {
            return;
        };
        let Some(handle) = q.flushes.take() else {
            return;
        };
        let first = leftover_flush(q.tried);
        if now > first {
            let flushed = (now.since(first) - 1) / FLUSH_PERIOD_MS + 1;
            q.attempts = q
                .attempts
                .saturating_add(u32::try_from(flushed).unwrap_or(u32::MAX));
        }
        d.stop_repeating(handle, now.just_before());
    }

    /// A cluster event moves the unschedulable pods `which` selects back to be tried
    /// (`movePodsToActiveOrBackoffQueue`).
    fn move_pods(&mut self, v: &View, which: impl Fn(&Queued) -> bool, d: &mut Decision) {
        let keys: Vec<ObjectKey> = self
            .pending
            .iter()
            .filter(|k| {
                v.store
                    .get_typed::<Pod>(&k.namespace, &k.name)
                    .and_then(|p| self.queued.get(&p.metadata.uid))
                    .is_some_and(|q| q.place == Place::Unschedulable && which(q))
            })
            .cloned()
            .collect();
        for key in keys {
            self.activate(v, &key, d);
        }
    }

    /// Puts a pod back up for an attempt.
    fn activate(&mut self, v: &View, key: &ObjectKey, d: &mut Decision) {
        let Some(uid) = v
            .store
            .get_typed::<Pod>(&key.namespace, &key.name)
            .map(|p| p.metadata.uid.clone())
        else {
            return;
        };
        self.leave_unschedulable(v.now, &uid, d);
        if let Some(q) = self.queued.get_mut(&uid) {
            q.place = Place::Active;
        }
        d.queue(key.clone());
    }

    /// A claim the pods `users` mount changed: those it rejected are tried again, and those waiting in PreBind
    /// look at their claims again.
    fn volumes_changed(&mut self, v: &View, users: &[ObjectKey], d: &mut Decision) {
        for key in users {
            let Some(uid) = v
                .store
                .get_typed::<Pod>(&key.namespace, &key.name)
                .map(|p| p.metadata.uid.clone())
            else {
                continue;
            };
            let place = self.queued.get(&uid).map(|q| q.place);
            if self.assumed.contains_key(&uid) {
                d.queue(key.clone());
            } else if place.is_none_or(|p| p == Place::Unschedulable) {
                self.activate(v, key, d);
            }
        }
    }

    /// Keeps the per-node pod index current. Finished pods do not count against a node.
    fn observe_pod(&mut self, v: &View, type_: WatchEventType, pod: &Pod, d: &mut Decision) {
        let uid = &pod.metadata.uid;
        if let Some(old) = self.node_of.remove(uid) {
            if let Some(set) = self.on_node.get_mut(&old) {
                set.remove(uid);
            }
        }
        if type_ == WatchEventType::Deleted {
            self.pending.remove(&ObjectKey::new(
                Kind::Pod,
                &pod.metadata.namespace,
                &pod.metadata.name,
            ));
            self.leave_unschedulable(v.now, uid, d);
            self.queued.remove(uid);
            if self.assumed.remove(uid).is_some() {
                self.cancel_bind_timeout(uid, d);
            }
            // An assigned pod gone frees room on its node (NodeResourcesFit's queueing hint).
            if pod.spec.node_name.is_some() {
                self.move_pods(v, |q| q.rejected_by.contains(NODE_RESOURCES_FIT), d);
            }
            return;
        }
        if pod.spec.node_name.is_some() {
            self.assumed.remove(uid);
            self.leave_unschedulable(v.now, uid, d);
            self.queued.remove(uid);
        }
        let node = pod
            .spec
            .node_name
            .as_ref()
            .or_else(|| self.assumed.get(uid).map(|(n, _)| n));
        if let Some(node) = node.cloned().filter(|_| !pod.is_terminal()) {
            self.on_node
                .entry(node.clone())
                .or_default()
                .insert(uid.clone());
            self.node_of.insert(uid.clone(), node);
        }
    }

    /// One scheduling attempt of the pod `key` (or, for a pod waiting in PreBind, a look at its claims). The
    /// node among the least loaded is drawn; [`Scheduler::place`] goes on from there.
    fn sync(&mut self, v: &View, key: &ObjectKey, d: &mut Decision) {
        let Some(pod) = v.store.get_typed::<Pod>(&key.namespace, &key.name).cloned() else {
            self.pending.remove(key);
            return;
        };
        if pod.spec.node_name.is_some() || pod.metadata.is_terminating() {
            self.pending.remove(key);
            self.leave_unschedulable(v.now, &pod.metadata.uid, d);
            self.queued.remove(&pod.metadata.uid);
            return;
        }
        self.pending.insert(key.clone());
        if let Some((node, _)) = self.assumed.get(&pod.metadata.uid).cloned() {
            return self.pre_bind(v, &pod, &node, d);
        }
        // Only a pod up for an attempt is tried: one waiting in the queue is not, whatever changed in it.
        let queued = self
            .queued
            .entry(pod.metadata.uid.clone())
            .or_insert(Queued {
                attempts: 0,
                tried: Time::ZERO,
                place: Place::Active,
                rejected_by: BTreeSet::new(),
                flushes: None,
            });
        if queued.place != Place::Active {
            return;
        }
        queued.attempts += 1;
        let total = v.store.list::<Node>(None).count();
        let claims = match pre_filter(v, &pod) {
            Err(reason) => {
                let message = format!("0/{total} nodes are available: {reason}.");
                return self.fail(v, &pod, &message, total, [VOLUME_BINDING].into(), d);
            }
            Ok(claims) => claims,
        };
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        let mut feasible = Vec::new();
        // Where the pod itself is already counted (assumed earlier), looked up once rather than per node.
        let counted_on = self.node_of.get(&pod.metadata.uid).map(String::as_str);
        // One plan's room for every node's check: filtering only asks whether a plan exists.
        let mut scratch = PodVolumes::default();
        for node in v.store.list::<Node>(None) {
            // Nodes the bound volumes rule out are not filtered at all (VolumeBinding's PreFilterResult).
            if claims
                .eligible
                .as_ref()
                .is_some_and(|e| !e.contains(&node.metadata.name))
            {
                *reasons
                    .entry("node(s) didn't satisfy plugin(s) [VolumeBinding]".into())
                    .or_default() += 1;
                continue;
            }
            match self.filter(v, &pod, node, &claims, counted_on, &mut scratch) {
                Ok(load) => feasible.push((node.metadata.name.as_str(), load)),
                Err(why) => {
                    for r in why {
                        *reasons.entry(r).or_default() += 1;
                    }
                }
            }
        }
        if feasible.is_empty() {
            // FitError.Error: "<count> <reason>" strings, sorted as strings.
            let mut list: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
            crate::sort::sort(&mut list);
            let message = format!("0/{total} nodes are available: {}.", list.join(", "));
            let plugins = reasons.keys().map(|r| plugin_of(r)).collect();
            return self.fail(v, &pod, &message, total, plugins, d);
        }
        // Spreads pods: the feasible node running the fewest pods; ties are broken by the seeded RNG.
        let tied = self.least_loaded(&feasible);
        d.draw(tied.len() as u64, move |pick| {
            // The draw is below the count, and at least one node ties.
            let node = usize::try_from(pick)
                .ok()
                .and_then(|i| tied.get(i))
                .or(tied.first())
                .map(|n| n.to_string())
                .unwrap_or_default();
            let mut next = Decision::none();
            next.hint(crate::controllers::Hint::Scheduler(Hint::Chosen(Box::new(
                Chosen { pod, node, claims },
            ))));
            next
        });
    }

    /// The attempt goes on on the node drawn: bound at once, or — with volumes to bind — Reserve, then
    /// PreBind: pre-bind the chosen volumes, tell the provisioner where the pod goes, and wait for the PV
    /// controller to finish (binder.go `BindPodVolumes`), counting the pod against its node.
    fn place(&mut self, v: &View, chosen: Chosen, d: &mut Decision) {
        let Chosen { pod, node, claims } = chosen;
        let Some(target) = v.store.get_typed::<Node>("", &node) else {
            return;
        };
        let mut plan = PodVolumes::default();
        if find_pod_volumes(v, target, &claims, &mut plan).is_err() {
            plan = PodVolumes::default();
        }
        if plan.bindings.is_empty() && plan.provisions.is_empty() {
            return self.bind(v, &pod, &node, d);
        }
        let now = v.now;
        self.assume(&pod, &node, now);
        for (claim, pv) in &plan.bindings {
            let Some(pvc) = v
                .store
                .get_typed::<PersistentVolumeClaim>(&pod.metadata.namespace, claim)
                .cloned()
            else {
                continue;
            };
            d.patch::<PersistentVolume>("", pv, move |v| volume::pre_bind(v, &pvc));
        }
        for claim in &plan.provisions {
            let node = node.clone();
            d.patch::<PersistentVolumeClaim>(&pod.metadata.namespace, claim, move |pvc| {
                pvc.metadata
                    .annotations
                    .entry(SELECTED_NODE.to_string())
                    .or_insert(node);
            });
        }
        let handle = self.handle();
        d.wake_at_cancellable(
            now.plus(BIND_TIMEOUT_MS),
            crate::controllers::Wake::Scheduler(Wake::BindTimeout {
                pod: ObjectKey::new(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name),
                uid: pod.metadata.uid.clone(),
                since: now,
            }),
            handle,
        );
        self.bind_timeouts.insert(pod.metadata.uid.clone(), handle);
    }

    /// PreBind's wait (binder.go `checkBindings`): the pod is bound to its node once every claim is fully
    /// bound; a claim whose provisioner gave the node back (it removed `selected-node`) fails the attempt.
    fn pre_bind(&mut self, v: &View, pod: &Pod, node: &str, d: &mut Decision) {
        let ns = &pod.metadata.namespace;
        for claim in pod.claim_names() {
            let Some(pvc) = v.store.get_typed::<PersistentVolumeClaim>(ns, claim) else {
                return;
            };
            if fully_bound(pvc) {
                continue;
            }
            let delayed = pvc.spec.volume_name.as_deref().is_none_or(str::is_empty);
            if delayed
                && pvc
                    .metadata
                    .annotations
                    .get(SELECTED_NODE)
                    .map(String::as_str)
                    != Some(node)
            {
                let message = format!(
                    "running PreBind plugin \"VolumeBinding\": binding volumes: provisioning failed for PVC \"{claim}\""
                );
                self.cancel_bind_timeout(&pod.metadata.uid, d);
                return self.pre_bind_failed(v, pod, &message, d);
            }
            return;
        }
        self.bind(v, pod, node, d);
    }

    /// PreBind ran out of time, or failed: the pod is no longer counted on its node and goes back to the
    /// queue (its claims keep what was written, so it is placed the same way again).
    fn pre_bind_failed(&mut self, v: &View, pod: &Pod, message: &str, d: &mut Decision) {
        let uid = &pod.metadata.uid;
        if let Some((node, _)) = self.assumed.remove(uid) {
            if let Some(set) = self.on_node.get_mut(&node) {
                set.remove(uid);
            }
            self.node_of.remove(uid);
        }
        let now = v.now;
        not_scheduled(pod, "SchedulerError", message, now, d);
        d.event(pod, EventType::Warning, "FailedScheduling", message, SOURCE);
        // An error, not a rejection: the pod waits out its back-off (podErrorBackoffQ), events or not.
        let Some(q) = self.queued.get_mut(uid) else {
            return;
        };
        q.place = Place::Backoff;
        q.tried = now;
        q.rejected_by.clear();
        let attempts = q.attempts;
        let key = ObjectKey::new(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name);
        d.wake_at(
            now.plus(backoff_done(attempts, now).since(now)),
            crate::controllers::Wake::Scheduler(Wake::BackoffDone {
                pod: key,
                uid: uid.clone(),
                attempts,
            }),
        );
    }

    /// The bind timeout of a pod assumed at `since` fell due.
    fn on_bind_timeout(
        &mut self,
        v: &View,
        key: &ObjectKey,
        uid: &str,
        since: Time,
        d: &mut Decision,
    ) {
        if self.assumed.get(uid).map(|(_, t)| *t) != Some(since) {
            return;
        }
        if let Some(handle) = self.bind_timeouts.remove(uid) {
            d.forget_wake(handle);
        }
        let Some(pod) = v
            .store
            .get_typed::<Pod>(&key.namespace, &key.name)
            .filter(|p| p.metadata.uid == uid)
            .cloned()
        else {
            return;
        };
        self.pre_bind_failed(
            v,
            &pod,
            "running PreBind plugin \"VolumeBinding\": binding volumes: context deadline exceeded",
            d,
        );
    }

    /// A pod's wait in PreBind ended (bound, failed, or the pod is gone): its timeout must not keep the clock
    /// running.
    fn cancel_bind_timeout(&mut self, uid: &str, d: &mut Decision) {
        if let Some(handle) = self.bind_timeouts.remove(uid) {
            d.cancel_wake(handle);
        }
    }

    /// The Filter phase for one node: Ok, or the reasons as FitError words them. The first plugin that rejects
    /// the node ends its filtering, in the default profile's order (NodeUnschedulable, TaintToleration,
    /// NodeAffinity, NodeResourcesFit, VolumeBinding).
    /// Ok carries the pods counted on the node, for spreading; `counted_on` is where the pod itself is counted.
    /// `scratch` is room for the volumes' plan, reused from node to node.
    fn filter<'a>(
        &self,
        v: &View<'a>,
        pod: &Pod,
        node: &Node,
        claims: &'a PodClaims,
        counted_on: Option<&str>,
        scratch: &mut PodVolumes<'a>,
    ) -> Result<usize, Vec<String>> {
        if node.is_unschedulable() {
            return Err(vec!["node(s) were unschedulable".into()]);
        }
        for taint in &node.spec.taints {
            if matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute") && !tolerates(pod, taint)
            {
                return Err(vec![format!(
                    "node(s) had untolerated taint {{{}: {}}}",
                    taint.key,
                    taint.value.as_deref().unwrap_or("")
                )]);
            }
        }
        if !pod
            .spec
            .node_selector
            .iter()
            .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
        {
            return Err(vec![
                "node(s) didn't match Pod's node affinity/selector".into()
            ]);
        }
        let name = node.metadata.name.as_str();
        let load = self.on_node.get(name).map_or(0, BTreeSet::len);
        let running = load - usize::from(load > 0 && counted_on == Some(name));
        if running >= v.config.max_pods_per_node {
            return Err(vec!["Too many pods".into()]);
        }
        find_pod_volumes(v, node, claims, scratch)
            .map(|()| load)
            .map_err(|why| why.into_iter().map(str::to_string).collect())
    }

    /// The feasible nodes (in name order, as the store lists them, each with the pods counted on it) running
    /// the fewest pods: the draw chooses among them.
    fn least_loaded(&mut self, feasible: &[(&str, usize)]) -> Vec<std::sync::Arc<str>> {
        let least = feasible.iter().map(|(_, load)| *load).min().unwrap_or(0);
        let mut tied = Vec::new();
        for (name, _) in feasible.iter().filter(|(_, load)| *load == least) {
            let shared = match self.names.get(*name) {
                Some(shared) => std::sync::Arc::clone(shared),
                None => {
                    let shared: std::sync::Arc<str> = std::sync::Arc::from(*name);
                    self.names
                        .insert((*name).to_string(), std::sync::Arc::clone(&shared));
                    shared
                }
            };
            tied.push(shared);
        }
        tied
    }

    /// Counts a pod against `node` before it is bound.
    fn assume(&mut self, pod: &Pod, node: &str, now: Time) {
        let uid = &pod.metadata.uid;
        if self.assumed.get(uid).is_some_and(|(n, _)| n == node) {
            return;
        }
        if let Some(old) = self.node_of.remove(uid) {
            if let Some(set) = self.on_node.get_mut(&old) {
                set.remove(uid);
            }
        }
        self.assumed.insert(uid.clone(), (node.to_string(), now));
        self.on_node
            .entry(node.to_string())
            .or_default()
            .insert(uid.clone());
        self.node_of.insert(uid.clone(), node.to_string());
    }

    fn bind(&mut self, v: &View, pod: &Pod, node: &str, d: &mut Decision) {
        self.cancel_bind_timeout(&pod.metadata.uid, d);
        let now = v.now;
        let ns = pod.metadata.namespace.clone();
        let name = node.to_string();
        d.patch::<Pod>(&ns, &pod.metadata.name, move |p| {
            p.spec_mut().node_name = Some(name);
            p.set_condition("PodScheduled", true, now);
        });
        self.pending
            .remove(&ObjectKey::new(Kind::Pod, &ns, &pod.metadata.name));
        let msg = format!("Successfully assigned {ns}/{} to {node}", pod.metadata.name);
        d.event(pod, EventType::Normal, "Scheduled", &msg, SOURCE);
    }

    /// The attempt found no node: the pod waits among the unschedulable pods (`handleSchedulingFailure`,
    /// `AddUnschedulableIfNotPresent`), its PodScheduled condition says why, and every attempt records
    /// FailedScheduling.
    fn fail(
        &mut self,
        v: &View,
        pod: &Pod,
        message: &str,
        total: usize,
        rejected_by: BTreeSet<&'static str>,
        d: &mut Decision,
    ) {
        let now = v.now;
        let uid = pod.metadata.uid.clone();
        let message = format!(
            "{message} preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
        );
        not_scheduled(pod, "Unschedulable", &message, now, d);
        d.event(
            pod,
            EventType::Warning,
            "FailedScheduling",
            &message,
            SOURCE,
        );
        let flushes = self.handle();
        d.start_repeating(
            flushes,
            EventRecord::about(
                pod,
                EventType::Warning,
                "FailedScheduling",
                &message,
                SOURCE,
            ),
            leftover_flush(now),
            FLUSH_PERIOD_MS,
        );
        if let Some(q) = self.queued.get_mut(&uid) {
            q.place = Place::Unschedulable;
            q.tried = now;
            q.rejected_by = rejected_by;
            if let Some(old) = q.flushes.replace(flushes) {
                d.stop_repeating(old, now.just_before());
            }
        }
    }
}

/// The pod's `PodScheduled` condition turns False with the attempt's reason and message.
fn not_scheduled(pod: &Pod, reason: &'static str, message: &str, now: Time, d: &mut Decision) {
    let text = message.to_string();
    d.patch::<Pod>(&pod.metadata.namespace, &pod.metadata.name, move |p| {
        p.set_condition("PodScheduled", false, now);
        if let Some(cond) = p
            .status
            .conditions
            .iter_mut()
            .find(|c| c.type_ == "PodScheduled")
        {
            cond.reason = Some(reason.into());
            cond.message = Some(text);
        }
    });
}

/// `isPVCFullyBound`: a volume name and the controller's bind-completed annotation.
fn fully_bound(pvc: &PersistentVolumeClaim) -> bool {
    pvc.spec
        .volume_name
        .as_deref()
        .is_some_and(|v| !v.is_empty())
        && pvc
            .metadata
            .annotations
            .contains_key(volume::BIND_COMPLETED)
}

/// A pod's claims as the VolumeBinding plugin's PreFilter sorts them (binder.go `GetPodVolumeClaims`).
#[derive(Debug)]
struct PodClaims {
    /// Bound claims' volumes (`None`: the volume is gone).
    bound: Vec<Option<PersistentVolume>>,
    /// Unbound claims of WaitForFirstConsumer classes, smallest request first (`byPVCSize`).
    delayed: Vec<DelayedClaim>,
    /// The nodes local volumes of bound claims allow (`GetEligibleNodes`); `None`: any node.
    eligible: Option<BTreeSet<String>>,
}

/// An unbound WaitForFirstConsumer claim with what every node's Filter needs of the store, gathered once per
/// attempt: the volumes that could match it and its class.
#[derive(Debug)]
struct DelayedClaim {
    pvc: PersistentVolumeClaim,
    /// [`volume::volumes_for_claim`]: by name, looked up again on each node so a later change counts.
    candidates: Vec<String>,
    class: Option<StorageClass>,
}

impl DelayedClaim {
    fn new(v: &View, pvc: &PersistentVolumeClaim) -> Self {
        DelayedClaim {
            pvc: pvc.clone(),
            candidates: volume::volumes_for_claim(v.store, pvc),
            class: v
                .store
                .get_typed::<StorageClass>("", volume::claim_class(pvc))
                .cloned(),
        }
    }
}

/// PreFilter: a missing, terminating or lost claim, or an unbound claim of an Immediate class, stops
/// scheduling for every node.
fn pre_filter(v: &View, pod: &Pod) -> Result<PodClaims, String> {
    let ns = &pod.metadata.namespace;
    let mut claims = PodClaims {
        bound: Vec::new(),
        delayed: Vec::new(),
        eligible: None,
    };
    let mut immediate = false;
    for claim in pod.claim_names() {
        let Some(pvc) = v.store.get_typed::<PersistentVolumeClaim>(ns, claim) else {
            return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
        };
        if pvc.metadata.is_terminating() {
            return Err(format!(
                "persistentvolumeclaim \"{claim}\" is being deleted"
            ));
        }
        if pvc.status.phase == "Lost" {
            return Err(format!(
                "persistentvolumeclaim \"{claim}\" bound to non-existent persistentvolume \"{}\"",
                pvc.spec.volume_name.as_deref().unwrap_or("")
            ));
        }
        if fully_bound(pvc) {
            let name = pvc.spec.volume_name.clone().unwrap_or_default();
            claims
                .bound
                .push(v.store.get_typed::<PersistentVolume>("", &name).cloned());
            continue;
        }
        let class = volume::claim_class(pvc);
        let delay = !class.is_empty()
            && v.store
                .get_typed::<StorageClass>("", class)
                .is_some_and(StorageClass::waits_for_first_consumer);
        // A claim naming its volume is bound as an immediate one, by the PV controller.
        if delay && pvc.spec.volume_name.as_deref().is_none_or(str::is_empty) {
            claims.delayed.push(DelayedClaim::new(v, pvc));
        } else {
            immediate = true;
        }
    }
    if immediate {
        return Err("pod has unbound immediate PersistentVolumeClaims".to_string());
    }
    crate::sort::by_key(&mut claims.delayed, |c| volume::request(&c.pvc));
    for pv in claims.bound.iter().flatten() {
        if let Some(hosts) = local_volume_nodes(pv) {
            let eligible = claims.eligible.get_or_insert_with(|| hosts.clone());
            eligible.retain(|h| hosts.contains(h));
        }
    }
    Ok(claims)
}

/// `GetLocalPersistentVolumeNodeNames`: the node names a volume's required node affinity lists under
/// `kubernetes.io/hostname In`, when it has any.
fn local_volume_nodes(pv: &PersistentVolume) -> Option<BTreeSet<String>> {
    let terms = pv
        .spec
        .node_affinity
        .as_ref()?
        .pointer("/required/nodeSelectorTerms")?
        .as_array()?;
    let mut names = BTreeSet::new();
    for term in terms {
        let mut in_term: Option<BTreeSet<String>> = None;
        for expr in term
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if expr.get("key").and_then(Value::as_str) == Some("kubernetes.io/hostname")
                && expr.get("operator").and_then(Value::as_str) == Some("In")
            {
                // Built by inserting: collecting into a set sorts, and each sort is code in the wasm.
                let mut values = BTreeSet::new();
                values.extend(strings(expr.get("values")));
                in_term = Some(match in_term {
                    None => values,
                    Some(mut prev) => {
                        prev.retain(|v| values.contains(v));
                        prev
                    }
                });
            }
        }
        names.extend(in_term.unwrap_or_default());
    }
    (!names.is_empty()).then_some(names)
}

fn strings(v: Option<&Value>) -> impl Iterator<Item = String> + '_ {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
}

/// Whether a node satisfies a `nodeSelectorTerms` list: some term whose every expression holds for its labels
/// (and `matchFields` for its name), as component-helpers' `nodeaffinity.NodeSelector` decides. A term with
/// no requirement matches nothing.
pub fn node_selector_matches(terms: &Value, node: &Node) -> bool {
    let labels = &node.metadata.labels;
    let holds = |expr: &Value, value: Option<&str>| {
        let values: Vec<String> = strings(expr.get("values")).collect();
        let number = |s: &str| s.parse::<i64>().ok();
        let bound = values.first().and_then(|v| number(v));
        match expr.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
            "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            "Gt" => matches!((value.and_then(number), bound), (Some(a), Some(b)) if a > b),
            "Lt" => matches!((value.and_then(number), bound), (Some(a), Some(b)) if a < b),
            _ => false,
        }
    };
    let list = |term: &Value, key: &str| -> Vec<Value> {
        term.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    terms.as_array().into_iter().flatten().any(|term| {
        let exprs = list(term, "matchExpressions");
        let fields = list(term, "matchFields");
        (!exprs.is_empty() || !fields.is_empty())
            && exprs.iter().all(|e| {
                let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                holds(e, labels.get(key).map(String::as_str))
            })
            && fields.iter().all(|f| {
                f.get("key").and_then(Value::as_str) == Some("metadata.name")
                    && holds(f, Some(node.metadata.name.as_str()))
            })
    })
}

/// `CheckNodeAffinity`: a volume without required node affinity fits every node.
pub fn volume_fits_node(pv: &PersistentVolume, node: &Node) -> bool {
    match pv
        .spec
        .node_affinity
        .as_ref()
        .and_then(|a| a.pointer("/required/nodeSelectorTerms"))
    {
        None => true,
        Some(terms) => node_selector_matches(terms, node),
    }
}

/// `MatchTopologySelectorTerms`: a class's `allowedTopologies` allow a node when some term's every label
/// expression names a label the node has, with one of the values listed. No terms: every node.
fn topology_allows(allowed: Option<&Value>, node: &Node) -> bool {
    let Some(terms) = allowed.and_then(Value::as_array).filter(|t| !t.is_empty()) else {
        return true;
    };
    terms.iter().any(|term| {
        term.get("matchLabelExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .all(|e| {
                let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                node.metadata
                    .labels
                    .get(key)
                    .is_some_and(|v| strings(e.get("values")).any(|x| x == *v))
            })
    })
}

/// What binding a pod's delayed claims on one node takes: static volumes to pre-bind, claims to provision.
#[derive(Debug, Default)]
struct PodVolumes<'a> {
    /// (claim, volume) pairs.
    bindings: Vec<(&'a str, &'a str)>,
    provisions: Vec<&'a str>,
}

/// Why a node cannot hold the pod's volumes, as binder.go words it.
const NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
const BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
const PV_NOT_EXIST: &str =
    "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

/// binder.go `FindPodVolumes` for one node: bound volumes must allow the node; each delayed claim needs a
/// static volume of its class that fits the node, or a class that can provision there — a provisioner other
/// than `kubernetes.io/no-provisioner`, and `allowedTopologies` the node's labels meet. A claim whose
/// provisioning already started on another node rules this one out. The reasons come in binder.go's order.
/// The plan is written into `plan` (emptied first), so a caller checking node after node reuses one.
fn find_pod_volumes<'a>(
    v: &View<'a>,
    node: &Node,
    claims: &'a PodClaims,
    plan: &mut PodVolumes<'a>,
) -> Result<(), Vec<&'static str>> {
    let mut node_conflict = false;
    let mut pv_missing = false;
    for pv in &claims.bound {
        match pv {
            None => pv_missing = true,
            Some(pv) if !volume_fits_node(pv, node) => node_conflict = true,
            Some(_) => {}
        }
    }
    plan.bindings.clear();
    plan.provisions.clear();
    let mut bind_conflict = false;
    let mut chosen: BTreeSet<&str> = BTreeSet::new();
    for claim in &claims.delayed {
        let pvc = &claim.pvc;
        match pvc.metadata.annotations.get(SELECTED_NODE) {
            Some(selected) if *selected != node.metadata.name => {
                bind_conflict = true;
                break;
            }
            Some(_) => {}
            None => {
                if let Some(pv) =
                    volume::find_volume_for_node(v.store, pvc, &claim.candidates, node, &chosen)
                {
                    chosen.insert(pv);
                    plan.bindings.push((&pvc.metadata.name, pv));
                    continue;
                }
            }
        }
        let can_provision = claim.class.as_ref().is_some_and(|sc| {
            !sc.provisioner.is_empty()
                && sc.provisioner != volume::NO_PROVISIONER
                && topology_allows(sc.allowed_topologies.as_ref(), node)
        });
        if can_provision {
            plan.provisions.push(&pvc.metadata.name);
        } else {
            bind_conflict = true;
        }
    }
    let mut reasons = Vec::new();
    if node_conflict {
        reasons.push(NODE_CONFLICT);
    }
    if bind_conflict {
        reasons.push(BIND_CONFLICT);
    }
    if pv_missing {
        reasons.push(PV_NOT_EXIST);
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(reasons)
    }
}

pub(crate) fn tolerates(pod: &Pod, taint: &Taint) -> bool {
    let Some(list) = pod.spec.tolerations.as_ref().and_then(Value::as_array) else {
        return false;
    };
    list.iter().any(|t| {
        let field = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("");
        let key_ok =
            field("key").is_empty() && field("operator") == "Exists" || field("key") == taint.key;
        let value_ok =
            field("operator") == "Exists" || field("value") == taint.value.as_deref().unwrap_or("");
        let effect_ok = field("effect").is_empty() || field("effect") == taint.effect;
        key_ok && value_ok && effect_ok
    })
}

/// The plugin behind a Filter failure reason, for the cluster events that may resolve it.
fn plugin_of(reason: &str) -> &'static str {
    if reason.contains("unschedulable") {
        "NodeUnschedulable"
    } else if reason.contains("taint") {
        "TaintToleration"
    } else if reason.contains("affinity/selector") {
        "NodeAffinity"
    } else if reason == "Too many pods" {
        NODE_RESOURCES_FIT
    } else {
        VOLUME_BINDING
    }
}

const VOLUME_BINDING: &str = "VolumeBinding";
const NODE_RESOURCES_FIT: &str = "NodeResourcesFit";
