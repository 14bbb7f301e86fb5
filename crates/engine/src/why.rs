//! Why something waits: the answers a learner would otherwise dig out of `describe` and the Events, read from
//! the engine's own state — what the StatefulSet controller would plan now (`statefulset::plan_now` and where
//! its plan holds), the conditions and container states the scheduler and the kubelet wrote, the claim's class and
//! the volume controller's Events. Each answer is a [`Why`]: data, so the screen, the terminal's `why` command
//! and lessons can word it in the learner's language; `Display` words it in English.

use std::fmt;

use crate::admission::PVC_PROTECTION;
use crate::clock::Time;
use crate::cluster::Cluster;
use crate::controllers::scheduler::SELECTED_NODE;
use crate::controllers::statefulset::{self, claim_name, pod_name, Hold, Plan};
use crate::model::statefulset::PodManagementPolicy;
use crate::model::{
    Event, Node, PersistentVolume, PersistentVolumeClaim, Pod, StatefulSet, StorageClass,
};

/// How a pod that something waits for stands, in the terms the controller waits on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodState {
    /// There is no such pod yet.
    Missing,
    /// Pending, with what its STATUS column would say (`Pending`, `ContainerCreating`, `Init:0/1`,
    /// `ImagePullBackOff`…).
    Pending(String),
    /// Running, but its Ready condition is False.
    NotReady,
    /// Ready, but not for `minReadySeconds` yet: available in `left_ms`.
    NotAvailable {
        left_ms: u64,
        min_ready_seconds: i64,
    },
    /// Being deleted.
    Terminating,
    /// Running, Ready and available: nothing to wait for.
    Ready,
    /// Failed or Succeeded: it will not run again, and the controller replaces it.
    Finished(String),
}

/// One reason something waits (or is as it is), with the names it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    // ---- a StatefulSet's ordering ----
    /// OrderedReady: `pod` is created only once `blocker`, the pod before it, is Running and Ready.
    WaitsForPredecessor {
        pod: String,
        blocker: String,
        state: PodState,
    },
    /// OrderedReady: `blocker` failed and is deleted to be created again; `pod` waits for it.
    WaitsForRecreate { pod: String, blocker: String },
    /// `pod` is not created while its claim still belongs to the earlier pod of that name, which is being
    /// deleted with it (`whenScaled: Delete`).
    WaitsForStaleClaim { pod: String, claims: Vec<String> },
    /// The set is being deleted: the controller creates and replaces nothing more.
    SetDeleting { set: String },
    /// Scale-down, OrderedReady: `pod` is deleted next, after `blocker` (the pod above it) has terminated.
    ScaleDownAfterTerminating { pod: String, blocker: String },
    /// Scale-down, OrderedReady: `pod` is deleted next, once `blocker` is Running and Ready again.
    ScaleDownWaitsForHealthy {
        pod: String,
        blocker: String,
        state: PodState,
    },
    /// Rolling update: `pod` is replaced next; with `blocker`, once that pod is Running and Ready
    /// (`maxUnavailable` pods may be unavailable at a time).
    UpdateNext {
        pod: String,
        revision: String,
        blocker: Option<(String, PodState)>,
        max_unavailable: i32,
    },
    /// Rolling update with a partition: `kept` pods below ordinal `partition` keep the old revision.
    PartitionKeeps {
        partition: i32,
        kept: Vec<String>,
        revision: String,
    },
    /// `updateStrategy: OnDelete`: these pods run an old revision until someone deletes them.
    OnDeleteWaits { pods: Vec<String>, revision: String },

    // ---- a pod ----
    /// Not placed on a node: what the scheduler said in the PodScheduled condition.
    Unschedulable { message: String },
    /// Pending and not placed yet: the scheduler has not tried it.
    NotScheduledYet,
    /// The scheduler picked `node` and waits for `claims` (WaitForFirstConsumer) to get volumes there before it
    /// binds the pod (its PreBind step).
    WaitsForVolumes { node: String, claims: Vec<String> },
    /// Placed on `node`; a container is waiting (`ContainerCreating`, `ErrImagePull`, `CrashLoopBackOff`…).
    ContainerWaiting {
        node: String,
        container: String,
        reason: String,
        message: Option<String>,
    },
    /// An init container runs first: the app's containers start when it has succeeded.
    InitRunning { container: String },
    /// Running, not Ready: these containers are not ready; `probe` is the last failed probe's message.
    NotReady {
        containers: Vec<String>,
        probe: Option<String>,
    },
    /// Ready, but the set counts it available only after `minReadySeconds`.
    NotAvailableYet {
        left_ms: u64,
        min_ready_seconds: i64,
    },
    /// Being deleted: the containers got SIGTERM and have `left_ms` of the grace period left.
    Terminating {
        left_ms: u64,
        grace_seconds: i64,
        /// Its node no longer answers: the pod stays Terminating until the node is back.
        node_down: Option<String>,
    },
    /// Failed or Succeeded: its containers will not run again.
    Finished {
        phase: String,
        reason: Option<String>,
    },

    // ---- a claim ----
    /// The claim names a StorageClass that does not exist: nothing can provision its volume.
    ClassMissing { class: String },
    /// The class binds `WaitForFirstConsumer`: the volume is made only once a pod using the claim is
    /// scheduled; `pods` are the pods that mount it and are not scheduled yet.
    WaitsForConsumer { class: String, pods: Vec<String> },
    /// Waiting for `provisioner` to create the volume.
    Provisioning { provisioner: String },
    /// No class and no PersistentVolume that fits: someone must create one.
    NoVolume,
    /// The volume controller's newest word on the claim, when none of the above says more.
    ControllerSays { reason: String, message: String },
    /// Being deleted, but kept by `kubernetes.io/pvc-protection` while these pods use it.
    ClaimInUse { pods: Vec<String> },
    /// Its pod is gone and the claim stays, with its data: the next pod of that name mounts it again.
    ClaimKept { pod: String, set: String },
    /// Its volume is gone.
    ClaimLost { volume: String },

    // ---- a volume ----
    /// Its claim is gone; `policy` (Retain) keeps the volume and its data until someone deletes it.
    VolumeReleased { claim: String, policy: String },
    /// Not bound: a claim that fits can bind it.
    VolumeAvailable,
}

fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn seconds(ms: u64) -> String {
    format!("{} s", ms.div_ceil(1000))
}

impl fmt::Display for PodState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PodState::Missing => f.write_str("does not exist yet"),
            PodState::Pending(status) if status == "Pending" => f.write_str("is Pending"),
            PodState::Pending(status) => write!(f, "is Pending ({status})"),
            PodState::NotReady => f.write_str("is Running but not Ready"),
            PodState::NotAvailable {
                left_ms,
                min_ready_seconds,
            } => write!(
                f,
                "is Ready but not available yet: minReadySeconds {min_ready_seconds}, {} left",
                seconds(*left_ms)
            ),
            PodState::Terminating => f.write_str("is Terminating"),
            PodState::Ready => f.write_str("is Running and Ready"),
            PodState::Finished(phase) => write!(f, "has {phase}"),
        }
    }
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::WaitsForPredecessor {
                pod,
                blocker,
                state,
            } => write!(
                f,
                "{pod} waits: {blocker} {state}. OrderedReady creates each pod only when the one before it is Running and Ready."
            ),
            Why::WaitsForRecreate { pod, blocker } => write!(
                f,
                "{pod} waits: {blocker} has stopped for good and is being deleted, to be created again (OrderedReady)."
            ),
            Why::WaitsForStaleClaim { pod, claims } => write!(
                f,
                "{pod} waits: its claim {} still belongs to the earlier {pod}, and goes with it (whenScaled: Delete).",
                list(claims)
            ),
            Why::SetDeleting { set } => write!(
                f,
                "statefulset {set} is being deleted: the controller creates and replaces no more pods."
            ),
            Why::ScaleDownAfterTerminating { pod, blocker } => write!(
                f,
                "{pod} is removed next, once {blocker} has terminated: OrderedReady scales down from the highest ordinal, one pod at a time."
            ),
            Why::ScaleDownWaitsForHealthy {
                pod,
                blocker,
                state,
            } => write!(
                f,
                "{pod} is removed next, but {blocker} {state}: OrderedReady removes a pod only while the others are Running and Ready."
            ),
            Why::UpdateNext {
                pod,
                revision,
                blocker,
                max_unavailable,
            } => match blocker {
                Some((b, state)) => write!(
                    f,
                    "Rolling update to {revision}: {pod} is replaced next, once {b} {}: at most {max_unavailable} pod{} may be unavailable (maxUnavailable).",
                    match state {
                        PodState::Missing => "exists and is Ready".to_string(),
                        _ => format!("(which {state}) is Running and Ready"),
                    },
                    if *max_unavailable == 1 { "" } else { "s" }
                ),
                None => write!(f, "Rolling update to {revision}: {pod} is replaced next."),
            },
            Why::PartitionKeeps {
                partition,
                kept,
                revision,
            } => write!(
                f,
                "partition: {partition}: {} keep{} the old revision; only ordinals {partition} and up get {revision}. Lower the partition to go on.",
                list(kept),
                if kept.len() == 1 { "s" } else { "" }
            ),
            Why::OnDeleteWaits { pods, revision } => write!(
                f,
                "updateStrategy OnDelete: {} run{} the old revision until you delete {}; a pod created again gets {revision}.",
                list(pods),
                if pods.len() == 1 { "s" } else { "" },
                if pods.len() == 1 { "it" } else { "them" }
            ),
            Why::Unschedulable { message } => {
                write!(f, "Not scheduled. The scheduler says: {message}")
            }
            Why::NotScheduledYet => f.write_str("Pending: the scheduler has not placed it on a node yet."),
            Why::WaitsForVolumes { node, claims } => write!(
                f,
                "Pending: the scheduler picked {node} and waits for claim {} to get a volume there before it binds the pod.",
                list(claims)
            ),
            Why::ContainerWaiting {
                node,
                container,
                reason,
                message,
            } => {
                match reason.as_str() {
                    "ContainerCreating" => write!(
                        f,
                        "On {node}: the kubelet is mounting the volumes and starting container {container}."
                    )?,
                    "PodInitializing" => write!(
                        f,
                        "On {node}: the init containers have finished; container {container} is starting."
                    )?,
                    "ErrImagePull" | "ImagePullBackOff" => write!(
                        f,
                        "On {node}: the image of container {container} cannot be pulled ({reason}); the kubelet tries again with a growing back-off."
                    )?,
                    "CrashLoopBackOff" => write!(
                        f,
                        "On {node}: container {container} keeps exiting; the kubelet waits longer before each restart (CrashLoopBackOff)."
                    )?,
                    _ => write!(f, "On {node}: container {container} is waiting: {reason}.")?,
                }
                match message {
                    Some(m) if !m.is_empty() => write!(f, " {m}"),
                    _ => Ok(()),
                }
            }
            Why::InitRunning { container } => write!(
                f,
                "Init container {container} runs first; the app's containers start when it has succeeded."
            ),
            // No container named: they are ready, and the pod's Ready condition has not caught up yet.
            Why::NotReady { containers, probe } if containers.is_empty() => match probe {
                Some(p) => write!(f, "Running, not Ready. {p}"),
                None => f.write_str("Running, not Ready."),
            },
            Why::NotReady { containers, probe } => {
                write!(
                    f,
                    "Running, not Ready: container{} {} not ready",
                    if containers.len() == 1 { "" } else { "s" },
                    list(containers)
                )?;
                match probe {
                    Some(p) => write!(f, ". {p}"),
                    None => f.write_str("."),
                }
            }
            Why::NotAvailableYet {
                left_ms,
                min_ready_seconds,
            } => write!(
                f,
                "Ready, but counted available only after minReadySeconds ({min_ready_seconds} s): {} left.",
                seconds(*left_ms)
            ),
            Why::Terminating {
                left_ms,
                grace_seconds,
                node_down,
            } => match node_down {
                Some(node) => write!(
                    f,
                    "Terminating: its node {node} does not answer, so nothing confirms the containers stopped; it stays until the node is back or the pod is force-deleted."
                ),
                None if *left_ms > 0 => write!(
                    f,
                    "Terminating: the containers got SIGTERM; {} of the {grace_seconds} s grace period left, then the kubelet kills what still runs.",
                    seconds(*left_ms)
                ),
                None => f.write_str("Terminating: the grace period is over; the kubelet is removing it."),
            },
            Why::Finished { phase, reason } => {
                write!(f, "{phase}: its containers will not run again")?;
                match reason {
                    Some(r) => write!(f, " ({r})."),
                    None => f.write_str("."),
                }
            }
            Why::ClassMissing { class } => write!(
                f,
                "Pending: StorageClass \"{class}\" does not exist, so no volume can be made for it. Create the class, or re-create the claim with a class that exists (kubectl get storageclass)."
            ),
            Why::WaitsForConsumer { class, pods } => match pods.as_slice() {
                [] => write!(
                    f,
                    "Pending: class {class} binds WaitForFirstConsumer, so the volume is made only once a pod that uses the claim is scheduled."
                ),
                _ => write!(
                    f,
                    "Pending: class {class} binds WaitForFirstConsumer: the volume is made on the node the scheduler picks for {}.",
                    list(pods)
                ),
            },
            Why::Provisioning { provisioner } => write!(
                f,
                "Pending: the provisioner {provisioner} is creating a volume for it."
            ),
            Why::NoVolume => f.write_str(
                "Pending: no PersistentVolume fits it and it names no StorageClass, so nothing will make one. Create a matching PV, or set storageClassName.",
            ),
            Why::ControllerSays { reason, message } => {
                write!(f, "Pending. The volume controller says: {reason}: {message}")
            }
            Why::ClaimInUse { pods } => write!(
                f,
                "Terminating, but kept while {} still use{} it ({PVC_PROTECTION}).",
                list(pods),
                if pods.len() == 1 { "s" } else { "" }
            ),
            Why::ClaimKept { pod, set } => write!(
                f,
                "Kept: {pod} is gone, its claim and data stay. When {set} has {pod} again, the new pod mounts this same claim."
            ),
            Why::ClaimLost { volume } => write!(
                f,
                "Lost: its volume {volume} is gone; the data cannot come back."
            ),
            Why::VolumeReleased { claim, policy } => write!(
                f,
                "Released: its claim {claim} was deleted. reclaimPolicy {policy} keeps the volume and its data until you delete the PV yourself."
            ),
            Why::VolumeAvailable => f.write_str("Available: no claim is bound to it; a claim that fits can bind it."),
        }
    }
}

/// What a StatefulSet waits for, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetWhy {
    /// The next ordinal to be created, when it waits for something, and why.
    pub next: Option<(i32, Why)>,
    /// What the set as a whole waits for: a scale-down's next pod, a rolling update's, a partition.
    pub notes: Vec<Why>,
}

/// How the pod that something waits for stands; `min_ready_seconds` is its set's.
pub fn pod_state(pod: Option<&Pod>, min_ready_seconds: i64, now: Time) -> PodState {
    let Some(pod) = pod else {
        return PodState::Missing;
    };
    if pod.metadata.is_terminating() {
        return PodState::Terminating;
    }
    if pod.is_terminal() {
        return PodState::Finished(pod.status.phase.clone());
    }
    if pod.status.phase != "Running" {
        return PodState::Pending(pending_status(pod));
    }
    if !pod.is_ready() {
        return PodState::NotReady;
    }
    match not_available_for(pod, min_ready_seconds, now) {
        Some(left_ms) => PodState::NotAvailable {
            left_ms,
            min_ready_seconds,
        },
        None => PodState::Ready,
    }
}

/// How long a Ready pod still has to be Ready before it counts as available; `None` when it does.
fn not_available_for(pod: &Pod, min_ready_seconds: i64, now: Time) -> Option<u64> {
    if pod.is_available(min_ready_seconds, now) {
        return None;
    }
    let since = pod
        .condition("Ready")
        .and_then(|c| c.last_transition_time)?;
    let due = since.plus(min_ready_seconds.max(0) as u64 * 1000);
    Some(due.millis().saturating_sub(now.millis()))
}

/// The STATUS column's word for a Pending pod: a waiting init container's `Init:…`, a waiting container's
/// reason, else `Pending`.
fn pending_status(pod: &Pod) -> String {
    let inits = &pod.status.init_container_statuses;
    if let Some(i) = inits.iter().position(|s| s.state.terminated.is_none()) {
        return match inits[i]
            .state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.clone())
        {
            Some(r) if r != "PodInitializing" => format!("Init:{r}"),
            _ => format!("Init:{i}/{}", pod.spec.init_containers.len()),
        };
    }
    pod.status
        .container_statuses
        .iter()
        .find_map(|s| s.state.waiting.as_ref().and_then(|w| w.reason.clone()))
        .unwrap_or_else(|| "Pending".to_string())
}

/// Events about the object named `name` with `uid`, newest last.
fn events_about<'a>(c: &'a Cluster, ns: &str, name: &str, uid: &str) -> Vec<&'a Event> {
    let mut out: Vec<&Event> = c
        .store()
        .list_prefix::<Event>(ns, &format!("{name}."))
        .filter(|e| e.involved_object.uid == uid)
        .collect();
    crate::sort::by_key(&mut out, |e| e.recency());
    out
}

/// Why the pod `name` is as it is; empty when it is Running and Ready.
pub fn pod(c: &Cluster, ns: &str, name: &str) -> Vec<Why> {
    let Some(pod) = c.store().get_typed::<Pod>(ns, name) else {
        return Vec::new();
    };
    let now = c.now();
    let mut out = Vec::new();
    if pod.metadata.is_terminating() {
        let left_ms = pod
            .metadata
            .deletion_timestamp
            .map_or(0, |t| t.millis().saturating_sub(now.millis()));
        let node_down = pod
            .spec
            .node_name
            .as_deref()
            .filter(|n| {
                c.store()
                    .get_typed::<Node>("", n)
                    .is_some_and(|node| !node.is_ready())
            })
            .map(str::to_string);
        out.push(Why::Terminating {
            left_ms,
            grace_seconds: pod.metadata.deletion_grace_period_seconds.unwrap_or(0),
            node_down,
        });
        return out;
    }
    if pod.is_terminal() {
        out.push(Why::Finished {
            phase: pod.status.phase.clone(),
            reason: pod.status.reason.clone(),
        });
        return out;
    }
    let Some(node) = pod.spec.node_name.clone() else {
        match pod.condition("PodScheduled") {
            Some(cond) if cond.status == "False" => out.push(Why::Unschedulable {
                message: cond.message.clone().unwrap_or_default(),
            }),
            _ => {
                // WaitForFirstConsumer: the scheduler names its node on the claims, then waits for them to bind.
                let mut node = None;
                let mut claims = Vec::new();
                for claim in pod.claim_names() {
                    let Some(pvc) = c.store().get_typed::<PersistentVolumeClaim>(ns, claim) else {
                        continue;
                    };
                    if let Some(n) = pvc.metadata.annotations.get(SELECTED_NODE) {
                        if pvc.status.phase != "Bound" {
                            node = Some(n.clone());
                            claims.push(claim.to_string());
                        }
                    }
                }
                out.push(match node {
                    Some(node) => Why::WaitsForVolumes { node, claims },
                    None => Why::NotScheduledYet,
                });
            }
        }
        return out;
    };
    // Init containers run one after another before the app's containers.
    for (spec, status) in pod
        .spec
        .init_containers
        .iter()
        .zip(pod.status.init_container_statuses.iter())
    {
        if status
            .state
            .terminated
            .as_ref()
            .is_some_and(|t| t.exit_code == 0)
        {
            continue;
        }
        match status.state.waiting.as_ref() {
            Some(w) if w.reason.as_deref() != Some("PodInitializing") => {
                out.push(Why::ContainerWaiting {
                    node: node.clone(),
                    container: spec.name.clone(),
                    reason: w.reason.clone().unwrap_or_default(),
                    message: w.message.clone(),
                });
            }
            _ => out.push(Why::InitRunning {
                container: spec.name.clone(),
            }),
        }
        return out;
    }
    for status in &pod.status.container_statuses {
        if let Some(w) = &status.state.waiting {
            out.push(Why::ContainerWaiting {
                node: node.clone(),
                container: status.name.clone(),
                reason: w.reason.clone().unwrap_or_default(),
                message: w.message.clone(),
            });
            return out;
        }
    }
    if pod.status.phase == "Pending" && pod.status.container_statuses.is_empty() {
        out.push(Why::ContainerWaiting {
            node,
            container: pod
                .spec
                .containers
                .first()
                .map(|ct| ct.name.clone())
                .unwrap_or_default(),
            reason: "ContainerCreating".to_string(),
            message: None,
        });
        return out;
    }
    if pod.status.phase == "Running" && !pod.is_ready() {
        let containers: Vec<String> = pod
            .status
            .container_statuses
            .iter()
            .filter(|s| !s.ready)
            .map(|s| s.name.clone())
            .collect();
        let probe = events_about(c, ns, name, &pod.metadata.uid)
            .into_iter()
            .rev()
            .find(|e| e.reason == "Unhealthy" && e.message.starts_with("Readiness"))
            .map(|e| e.message.clone());
        out.push(Why::NotReady { containers, probe });
        return out;
    }
    // Ready: an owning StatefulSet may still wait for minReadySeconds.
    if let Some(set) = owning_set(c, pod) {
        let min_ready = set.min_ready_seconds();
        if min_ready > 0 {
            if let Some(left_ms) = not_available_for(pod, min_ready, now) {
                out.push(Why::NotAvailableYet {
                    left_ms,
                    min_ready_seconds: min_ready,
                });
            }
        }
    }
    out
}

/// The StatefulSet that controls `pod`, if one does.
fn owning_set<'a>(c: &'a Cluster, pod: &Pod) -> Option<&'a StatefulSet> {
    let owner = pod.metadata.controller_ref()?;
    if owner.kind != "StatefulSet" {
        return None;
    }
    c.store()
        .get_typed::<StatefulSet>(&pod.metadata.namespace, &owner.name)
        .filter(|s| s.metadata.uid == owner.uid)
}

/// Why the claim `name` is as it is; empty when it is Bound and its pod is there.
pub fn claim(c: &Cluster, ns: &str, name: &str) -> Vec<Why> {
    let store = c.store();
    let Some(pvc) = store.get_typed::<PersistentVolumeClaim>(ns, name) else {
        return Vec::new();
    };
    let owner = template_claim_owner(c, pvc);
    let users = || claim_users(c, pvc, owner.as_ref().map(|(pod, _)| pod.as_str()));
    if pvc.metadata.is_terminating() {
        // Any pod at all that mounts it keeps it.
        let users = claim_users(c, pvc, None);
        if pvc.metadata.finalizers.iter().any(|f| f == PVC_PROTECTION) && !users.is_empty() {
            return vec![Why::ClaimInUse { pods: users }];
        }
        return Vec::new();
    }
    match pvc.status.phase.as_str() {
        "Bound" => match owner {
            Some((pod, set)) if users().is_empty() => vec![Why::ClaimKept { pod, set }],
            _ => Vec::new(),
        },
        "Lost" => vec![Why::ClaimLost {
            volume: pvc.spec.volume_name.clone().unwrap_or_default(),
        }],
        _ => pending_claim(c, pvc, &users()),
    }
}

/// The pods that mount `pvc`. With `template_pod` (the claim is of a set's template) only that pod is read: the
/// screen asks this of every claim it shows, and a walk over the namespace's pods for each would not scale;
/// without it, every pod of the namespace is looked at.
fn claim_users(
    c: &Cluster,
    pvc: &PersistentVolumeClaim,
    template_pod: Option<&str>,
) -> Vec<String> {
    let ns = &pvc.metadata.namespace;
    let name = pvc.metadata.name.as_str();
    let mounts = |p: &&Pod| p.claim_names().any(|n| n == name);
    match template_pod {
        Some(pod) => c
            .store()
            .get_typed::<Pod>(ns, pod)
            .filter(mounts)
            .map(|p| p.metadata.name.clone())
            .into_iter()
            .collect(),
        None => c
            .store()
            .list::<Pod>(Some(ns))
            .filter(mounts)
            .map(|p| p.metadata.name.clone())
            .collect(),
    }
}

/// Whether a claim made from a StatefulSet's template lost its pod: the pod's name and the set's.
fn template_claim_owner(c: &Cluster, pvc: &PersistentVolumeClaim) -> Option<(String, String)> {
    let ns = &pvc.metadata.namespace;
    c.store().list::<StatefulSet>(Some(ns)).find_map(|set| {
        let set_name = &set.metadata.name;
        set.spec.volume_claim_templates.iter().find_map(|t| {
            let rest = pvc
                .metadata
                .name
                .strip_prefix(&format!("{}-{set_name}-", t.metadata.name))?;
            let ordinal: i32 = rest.parse().ok()?;
            (claim_name(&t.metadata.name, set_name, ordinal) == pvc.metadata.name)
                .then(|| (pod_name(set_name, ordinal), set_name.clone()))
        })
    })
}

fn pending_claim(c: &Cluster, pvc: &PersistentVolumeClaim, users: &[String]) -> Vec<Why> {
    let store = c.store();
    let class_name = pvc.class_name();
    let said = events_about(
        c,
        &pvc.metadata.namespace,
        &pvc.metadata.name,
        &pvc.metadata.uid,
    )
    .last()
    .map(|e| (e.reason.clone(), e.message.clone()));
    if pvc
        .spec
        .volume_name
        .as_deref()
        .is_some_and(|v| !v.is_empty())
    {
        // Asked for one volume by name: the controller says why it cannot bind it.
        return said
            .map(|(reason, message)| Why::ControllerSays { reason, message })
            .into_iter()
            .collect();
    }
    if class_name.is_empty() {
        return vec![Why::NoVolume];
    }
    let Some(class) = store.get_typed::<StorageClass>("", class_name) else {
        return vec![Why::ClassMissing {
            class: class_name.to_string(),
        }];
    };
    let selected = pvc.metadata.annotations.contains_key(SELECTED_NODE);
    if class.waits_for_first_consumer() && !selected {
        let pods = users
            .iter()
            .filter(|n| {
                store
                    .get_typed::<Pod>(&pvc.metadata.namespace, n)
                    .is_some_and(|p| p.spec.node_name.is_none())
            })
            .cloned()
            .collect();
        return vec![Why::WaitsForConsumer {
            class: class_name.to_string(),
            pods,
        }];
    }
    match said {
        Some((reason, message)) if reason == "ProvisioningFailed" || reason == "FailedBinding" => {
            vec![Why::ControllerSays { reason, message }]
        }
        _ => vec![Why::Provisioning {
            provisioner: class.provisioner.clone(),
        }],
    }
}

/// Why the PersistentVolume `name` is as it is; empty when it is Bound.
pub fn volume(c: &Cluster, name: &str) -> Vec<Why> {
    let Some(pv) = c.store().get_typed::<PersistentVolume>("", name) else {
        return Vec::new();
    };
    match pv.status.phase.as_str() {
        "Released" => vec![Why::VolumeReleased {
            claim: pv.claim().unwrap_or_default(),
            policy: pv
                .spec
                .persistent_volume_reclaim_policy
                .clone()
                .unwrap_or_default(),
        }],
        "Available" => vec![Why::VolumeAvailable],
        _ => Vec::new(),
    }
}

/// The largest set whose plan the screen works out on every read; a larger one is explained on request
/// (`why statefulset/NAME`), so reading the screen stays quick.
pub const SET_PLAN_LIMIT: usize = 1_000;

/// What the StatefulSet `name` waits for: what its controller would plan now, and where that stops.
pub fn set(c: &Cluster, ns: &str, name: &str) -> Option<SetWhy> {
    let set = c.store().get_typed::<StatefulSet>(ns, name)?;
    let plan = statefulset::plan_now(c.store(), set, c.now())?;
    Some(explain_plan(c, set, &plan))
}

/// [`set`], unless the set has more than [`SET_PLAN_LIMIT`] pods.
pub fn set_if_small(c: &Cluster, ns: &str, name: &str) -> Option<SetWhy> {
    let pods = c
        .store()
        .list_prefix::<Pod>(ns, &format!("{name}-"))
        .take(SET_PLAN_LIMIT + 1)
        .count();
    if pods > SET_PLAN_LIMIT {
        return None;
    }
    self::set(c, ns, name)
}

fn explain_plan(c: &Cluster, set: &StatefulSet, plan: &Plan) -> SetWhy {
    let store = c.store();
    let ns = &set.metadata.namespace;
    let name = &set.metadata.name;
    let now = c.now();
    let min_ready = set.min_ready_seconds();
    let pod_at = |ordinal: i32| store.get_typed::<Pod>(ns, &pod_name(name, ordinal));
    let state_of = |ordinal: i32| pod_state(pod_at(ordinal), min_ready, now);
    let start = set.start_ordinal();
    let end = start.saturating_add(set.replicas().max(0));
    // The first ordinal of the range that has no pod: the one the next creation is for.
    let next_missing = |from: i32| (from..end).find(|&o| pod_at(o).is_none());
    let revision = set.status.update_revision.clone();
    let mut out = SetWhy::default();
    for hold in &plan.holds {
        match hold {
            Hold::SetDeleting => out.notes.push(Why::SetDeleting { set: name.clone() }),
            Hold::Recreating { ordinal } => {
                if let Some(next) = next_missing(ordinal + 1) {
                    out.next = Some((
                        next,
                        Why::WaitsForRecreate {
                            pod: pod_name(name, next),
                            blocker: pod_name(name, *ordinal),
                        },
                    ));
                }
            }
            Hold::StaleClaim { ordinal } => {
                let pod = pod_name(name, *ordinal);
                let claims = set
                    .spec
                    .volume_claim_templates
                    .iter()
                    .map(|t| claim_name(&t.metadata.name, name, *ordinal))
                    .collect();
                if out.next.is_none() {
                    out.next = Some((*ordinal, Why::WaitsForStaleClaim { pod, claims }));
                }
            }
            Hold::Unhealthy { ordinal } => {
                if let Some(next) = next_missing(ordinal + 1) {
                    out.next = Some((
                        next,
                        Why::WaitsForPredecessor {
                            pod: pod_name(name, next),
                            blocker: pod_name(name, *ordinal),
                            state: state_of(*ordinal),
                        },
                    ));
                }
                // A scale-down waits for the same pod: the highest condemned pod goes next.
                if let Some(condemned) = highest_condemned(c, set, end) {
                    out.notes.push(Why::ScaleDownWaitsForHealthy {
                        pod: pod_name(name, condemned),
                        blocker: pod_name(name, *ordinal),
                        state: state_of(*ordinal),
                    });
                }
            }
            Hold::Terminating { ordinal } => {
                if let Some(next) = highest_condemned_below(c, set, end, *ordinal) {
                    out.notes.push(Why::ScaleDownAfterTerminating {
                        pod: pod_name(name, next),
                        blocker: pod_name(name, *ordinal),
                    });
                }
            }
            Hold::ScaleDownWaits { ordinal, unhealthy } => {
                let ord =
                    crate::controllers::statefulset::parent_and_ordinal(unhealthy).map(|(_, o)| o);
                out.notes.push(Why::ScaleDownWaitsForHealthy {
                    pod: pod_name(name, *ordinal),
                    blocker: unhealthy.clone(),
                    state: ord.map_or(PodState::Missing, state_of),
                });
            }
            Hold::UpdateWaits { .. } => {}
        }
    }
    if let Some(update) = &plan.update {
        if update.on_delete {
            let pods = outdated_pods(c, set, start, end, &revision);
            if !pods.is_empty() {
                out.notes.push(Why::OnDeleteWaits {
                    pods,
                    revision: revision.clone(),
                });
            }
        } else {
            if let Some(next) = update.next {
                // What the next replacement waits for: an unavailable pod of the range, highest first (the
                // pod just replaced, as a rolling update goes down the ordinals).
                let blocker = update_blocker(plan, start..end, |o| {
                    pod_at(o).is_some_and(|p| {
                        p.is_available(min_ready, now) && !p.metadata.is_terminating()
                    })
                });
                out.notes.push(Why::UpdateNext {
                    pod: pod_name(name, next),
                    revision: revision.clone(),
                    blocker: blocker.map(|o| (pod_name(name, o), state_of(o))),
                    max_unavailable: plan_max_unavailable(plan),
                });
            }
            if update.kept > 0 {
                let kept = outdated_pods(c, set, start, start + update.partition, &revision);
                out.notes.push(Why::PartitionKeeps {
                    partition: update.partition,
                    kept,
                    revision: revision.clone(),
                });
            }
        }
    }
    // Parallel creates every pod at once: nothing waits its turn.
    if set.pod_management_policy() == PodManagementPolicy::Parallel {
        out.next = out
            .next
            .filter(|(_, w)| matches!(w, Why::WaitsForStaleClaim { .. }));
    }
    out
}

/// What the next replacement of a rolling update waits for: the pod where an OrderedReady sync stopped, or,
/// with `maxUnavailable` reached, the highest unavailable pod of the range (the one just replaced, as an
/// update goes down the ordinals).
fn update_blocker(
    plan: &Plan,
    range: std::ops::Range<i32>,
    available: impl Fn(i32) -> bool,
) -> Option<i32> {
    let stopped = plan.holds.iter().find_map(|h| match h {
        Hold::Unhealthy { ordinal } => Some(*ordinal),
        _ => None,
    });
    let full = plan
        .holds
        .iter()
        .any(|h| matches!(h, Hold::UpdateWaits { .. }));
    stopped.or_else(|| full.then(|| range.rev().find(|&o| !available(o))).flatten())
}

fn plan_max_unavailable(plan: &Plan) -> i32 {
    plan.holds
        .iter()
        .find_map(|h| match h {
            Hold::UpdateWaits { max, .. } => Some(*max),
            _ => None,
        })
        .unwrap_or(1)
}

/// The set's pods in `from..to` not at `revision`, highest first (the order an update takes them).
fn outdated_pods(
    c: &Cluster,
    set: &StatefulSet,
    from: i32,
    to: i32,
    revision: &str,
) -> Vec<String> {
    let ns = &set.metadata.namespace;
    (from..to)
        .rev()
        .filter_map(|o| {
            c.store()
                .get_typed::<Pod>(ns, &pod_name(&set.metadata.name, o))
        })
        .filter(|p| {
            p.metadata
                .labels
                .get(statefulset::REVISION_LABEL)
                .is_some_and(|r| r != revision)
        })
        .map(|p| p.metadata.name.clone())
        .collect()
}

/// The highest ordinal at or past `end` that still has a pod not being deleted: the next a scale-down removes.
fn highest_condemned(c: &Cluster, set: &StatefulSet, end: i32) -> Option<i32> {
    highest_condemned_below(c, set, end, i32::MAX)
}

fn highest_condemned_below(c: &Cluster, set: &StatefulSet, end: i32, below: i32) -> Option<i32> {
    let name = &set.metadata.name;
    c.store()
        .list_prefix::<Pod>(&set.metadata.namespace, &format!("{name}-"))
        .filter(|p| !p.metadata.is_terminating())
        .filter(|p| {
            p.metadata
                .controller_ref()
                .is_some_and(|r| r.uid == set.metadata.uid)
        })
        .filter_map(|p| statefulset::parent_and_ordinal(&p.metadata.name))
        .filter(|(parent, o)| parent == name && *o >= end && *o < below)
        .map(|(_, o)| o)
        .max()
}
