//! The kubelet of every node: takes a pod bound to its node through sandbox creation, image pulls (and pull
//! failures with back-off), init containers and container start to Running; runs startup, readiness and
//! liveness probes (exec, httpGet and tcpSocket, against the simulated container runtime); restarts crashed
//! containers with CrashLoopBackOff; and takes a deleted pod through graceful termination to removal.
//! Each stage that takes time is a timer ([`Wake`], one [`Step`] of one pod), and the pod's status is
//! rewritten at each stage, so `kubectl get pods -w` shows the lines a real cluster prints (k8s-behaviour.md
//! 4.2).
//!
//! Like every controller it returns decisions: it reads the store through a [`View`], and what it does on its
//! node — create and start a container, run its process on, run a probe or a preStop hook, take a pod address
//! — is a runtime call ([`Call`]) the cluster loop makes (`runtime/cri.rs`). Where what follows depends on the
//! answer, or on a status it has just written, the decision goes on in a continuation ([`Cx::then`],
//! [`Cx::runtime`]) that the loop hands back to the kubelet as a [`Hint::Resume`] once everything before it
//! has been applied, so writes, Events and timers come in the order a kubelet acting directly would make them.
//!
//! Stopping a container (the pod deleted, or a liveness or startup probe failed) is `killContainer`'s: the
//! preStop hook, then SIGTERM, and the container ends when its own process does — a server at once, a shell
//! or `sleep` as PID 1 only at SIGKILL when the grace period is over ([`images::on_sigterm`]). A deleted pod's
//! containers stop each on its own, and the pod's status reports their ends once all are done.
//!
//! A probe that keeps failing, and a container waiting in a long back-off, record their event again at every
//! probe or resync: each is one repeating event ([`Cx::start_repeating`]), counted up as the clock
//! passes its occurrences.
//!
//! Probes are event-driven: a probe's outcome only changes when something it looks at changes (a fault, a file
//! in a container, a server started or stopped, or — for a probe that looks beyond its pod — the Pods, Services
//! and endpoints behind a name), so instead of ticking forever the kubelet looks again when such a change is
//! made (the runtime queues that look where the change happens, as [`crate::runtime::Wake::ContainersChanged`]) and schedules the probe
//! period at which the run of equal answers reaches its threshold, counted as `prober/worker.go` counts it.
//! That keeps `run_until_idle` finite while readiness is still lost and regained on the real probe schedule.
//! Only a probe that reads the clock (`date`) runs at every tick, since time alone may change its answer.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::clock::Time;
use crate::controllers::decision::Handle;
use crate::controllers::{Controller, Decision, View};
use crate::events::{EventType, Source};
use crate::images;
use crate::model::pod::{
    ContainerState, ContainerStatus, Probe, StateRunning, StateTerminated, StateWaiting,
};
use crate::model::{Node, Object, Pod};
use crate::runtime::cri::{Answer, Call};
use crate::store::{ObjectKey, WatchEventType};

mod containers;
mod node;
mod probes;

use containers::*;
use node::*;
use probes::*;

pub(crate) use probes::ProbeKind;

/// A stage that completes after a delay. `epoch` ties a timer to one run of a container, so timers of a run
/// that was restarted or reconfigured are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The sandbox is up: the pod has its IP.
    SandboxReady,
    /// Init container `i` has pulled and started.
    InitStarted(usize),
    /// Init container `i` exited 0.
    InitDone(usize),
    /// Init container `index` exited with a non-zero `code`.
    InitFailed { index: usize, code: i32 },
    /// The back-off after a failed init container is over: run it again.
    InitRestart(usize),
    /// The pull of regular container `c`'s image finished (successfully or not).
    PullDone { container: usize },
    /// The kubelet reports the back-off after a failed pull.
    PullBackOff { container: usize },
    /// The kubelet retries a failed pull after its back-off.
    PullRetry { container: usize },
    /// Container `c` is created and started.
    ContainerStarted { container: usize, epoch: u32 },
    /// Container `c`'s readiness probe outcome flips at this probe.
    Probe { container: usize, epoch: u32 },
    /// Container `c`'s startup probe runs: the container has started if it passes, and is restarted if it has
    /// failed `failureThreshold` times in a row.
    Startup { container: usize, epoch: u32 },
    /// Container `c`'s process exits with an error.
    Crashed { container: usize, epoch: u32 },
    /// Container `c`'s liveness probe has failed `failureThreshold` times by now, if it still fails.
    Liveness { container: usize, epoch: u32 },
    /// Container `c`'s main process finished by itself with this status.
    Exited {
        container: usize,
        epoch: u32,
        code: i32,
    },
    /// The back-off after a crash is over: start container `c` again.
    Restart { container: usize, epoch: u32 },
    /// Container `container`'s process (an init container's, if `init`) has waited long enough: run it on.
    /// `run` names the start of the process the wait belongs to.
    Resume {
        container: usize,
        init: bool,
        run: u64,
    },
    /// Container `container`'s process, sent SIGTERM (by a deletion or a failed liveness or startup probe), has
    /// exited with `code`: by itself after its shutdown, or by SIGKILL when the grace period ran out.
    ProcessExited {
        container: usize,
        kill: u32,
        code: i32,
    },
    /// The pod being stopped had no container running: it is done.
    Stopped,
    /// The pod's `activeDeadlineSeconds` may have run out.
    ActiveDeadline,
}

/// How a container misbehaves, as the learner asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Crash {
    #[default]
    No,
    /// Exit once, then run normally after the restart.
    Once,
    /// Exit a second after every start: CrashLoopBackOff.
    Always,
}

/// The kubelets of all nodes: what each remembers about the pods it runs (by pod uid), and the images its node
/// holds. It reads the cluster through a [`View`] and acts on its node through the runtime calls of its
/// decisions ([`Call`]); a runtime's answer, or a write it must see, resumes it through a [`Hint::Resume`].
#[derive(Debug, Default)]
pub struct Kubelet {
    pods: BTreeMap<String, PodRuntime>,
    /// (node, image) pairs already pulled.
    images: BTreeSet<(String, String)>,
    /// Timers that fell due while their node was down, replayed when it comes back.
    deferred: BTreeMap<String, Vec<(ObjectKey, String, Step)>>,
    /// Probes (pod uid, container, kind) whose last run looked beyond their pod — a DNS name, a Service,
    /// another pod — and so may answer differently whenever those API objects change.
    watching_cluster: BTreeSet<(String, usize, ProbeKind)>,
    /// The last name given to a repeating Event.
    last_handle: Handle,
}

/// A kubelet's timer: stage `step` of the pod `pod` with uid `uid` is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wake {
    pub pod: ObjectKey,
    pub uid: String,
    pub step: Step,
}

/// The rest of a decision, made when the actions before it have been applied.
pub(crate) type Resumed = Box<dyn FnOnce(&mut Kubelet, &View) -> Decision>;

/// What the kubelet is told: a sync resumed with the store and its state as the actions before left them (a
/// runtime's answer, a write it reads back), or what the learner and the node do to it.
pub(crate) enum Hint {
    /// Carries on where a decision left off.
    Resume(Resumed),
    /// The learner changed how a pod's containers (container `which`, or all) behave.
    SetBehaviour {
        pod: Box<Pod>,
        which: Option<usize>,
        change: Box<dyn Fn(&mut Behaviour)>,
    },
    /// The pod fails on its node.
    Fail(Box<Pod>),
    /// The node came back after it was unreachable.
    NodeReturned(String),
    /// A pod that was running when the simulation began.
    AdoptRunning(Box<Pod>),
    /// Something in the containers changed outside the API: the probes look again.
    ContainersChanged,
    /// The learner ended a container's attached main process with `code`.
    MainProcessEnded {
        target: crate::runtime::ContainerRef,
        code: i32,
    },
}

impl std::fmt::Debug for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Hint::Resume(_) => f.write_str("Resume(..)"),
            Hint::SetBehaviour { pod, which, .. } => f
                .debug_tuple("SetBehaviour")
                .field(&pod.metadata.name)
                .field(which)
                .finish(),
            Hint::Fail(pod) => f.debug_tuple("Fail").field(&pod.metadata.name).finish(),
            Hint::NodeReturned(node) => f.debug_tuple("NodeReturned").field(node).finish(),
            Hint::AdoptRunning(pod) => f
                .debug_tuple("AdoptRunning")
                .field(&pod.metadata.name)
                .finish(),
            Hint::ContainersChanged => f.write_str("ContainersChanged"),
            Hint::MainProcessEnded { target, code } => f
                .debug_tuple("MainProcessEnded")
                .field(target)
                .field(code)
                .finish(),
        }
    }
}

/// One decision being made: the kubelet's state, what it reads, and what it has decided so far.
pub(super) struct Cx<'a, 'v> {
    k: &'a mut Kubelet,
    view: &'a View<'v>,
    d: Decision,
}

/// Tells the kubelet to decide the rest with `f`.
fn resume(f: impl FnOnce(&mut Cx) + 'static) -> super::Hint {
    super::Hint::Kubelet(Hint::Resume(Box::new(
        move |k: &mut Kubelet, view: &View| decide(k, view, f),
    )))
}

/// Decides with `f`, from the kubelet's state and `view`.
fn decide(k: &mut Kubelet, view: &View, f: impl FnOnce(&mut Cx)) -> Decision {
    let mut cx = Cx {
        k,
        view,
        d: Decision::none(),
    };
    f(&mut cx);
    cx.d
}

impl Cx<'_, '_> {
    fn now(&self) -> Time {
        self.view.now
    }

    /// Decides the rest with `f` once everything decided so far has been applied: what reads back a write, or
    /// runs after a runtime call whose answer decides more.
    fn then(&mut self, f: impl FnOnce(&mut Cx) + 'static) {
        self.d.hint(resume(f));
    }

    /// Makes a runtime call, and decides the rest with `f` from its answer.
    fn runtime(&mut self, call: Call, f: impl FnOnce(&mut Cx, Answer) + 'static) {
        self.d.runtime_then(call, move |answer| {
            let mut d = Decision::none();
            d.hint(resume(move |cx| f(cx, answer)));
            d
        });
    }

    /// Wakes the kubelet for `step` of the pod `key` (uid `uid`) `after_ms` from now.
    fn wake(&mut self, after_ms: u64, key: &ObjectKey, uid: &str, step: Step) {
        let at = self.now().plus(after_ms);
        self.wake_at(at, key, uid, step);
    }

    fn wake_at(&mut self, at: Time, key: &ObjectKey, uid: &str, step: Step) {
        self.d.wake_at(
            at,
            super::Wake::Kubelet(Wake {
                pod: key.clone(),
                uid: uid.to_string(),
                step,
            }),
        );
    }

    /// Records an event about container `container` of `pod` from its node's kubelet (its reference carries
    /// the container's field path, as `recordContainerEvent` makes it).
    fn container_event(
        &mut self,
        pod: &Pod,
        container: &str,
        type_: EventType,
        reason: &str,
        message: &str,
    ) {
        let node = pod.spec.node_name.clone().unwrap_or_default();
        self.d
            .container_event(pod, container, type_, reason, message, source(&node));
    }

    /// Records `event` about container `container` of `pod` every `period_ms` from `first` on; answers the
    /// handle that pauses, resumes or stops it.
    fn start_repeating(
        &mut self,
        pod: &Pod,
        container: &str,
        (type_, reason, message): (EventType, &str, &str),
        first: Time,
        period_ms: u64,
    ) -> Handle {
        self.k.last_handle += 1;
        let handle = self.k.last_handle;
        let node = pod.spec.node_name.clone().unwrap_or_default();
        let event = crate::controllers::decision::EventRecord::about_container(
            pod,
            container,
            type_,
            reason,
            message,
            source(&node),
        );
        self.d.start_repeating(handle, event, first, period_ms);
        handle
    }

    fn ctr(&mut self, uid: &str, i: usize) -> &mut Ctr {
        self.k.ctr(uid, i)
    }

    fn pod(&self, key: &ObjectKey) -> Option<&Pod> {
        self.view.store.get_typed::<Pod>(&key.namespace, &key.name)
    }
}

#[derive(Debug, Default)]
struct PodRuntime {
    started: bool,
    stopping: bool,
    /// The containers being stopped whose process has not exited yet.
    stopping_containers: BTreeSet<usize>,
    /// When the pod's active deadline falls, as last timed (the learner may lower it).
    deadline: Option<Time>,
    containers: BTreeMap<usize, Ctr>,
}

#[derive(Debug, Default, Clone)]
struct Ctr {
    epoch: u32,
    started_at: Option<Time>,
    behaviour: Behaviour,
    restart_backoff_ms: u64,
    pull_backoff_ms: u64,
    /// Each failing probe's `Unhealthy` event, recorded at every probe while it fails.
    unhealthy: BTreeMap<ProbeKind, Unhealthy>,
    /// The events the pod's resyncs repeat while the container waits in back-off.
    resync_events: Vec<Handle>,
    /// How the process of a stopping pod's container ended, and when: reported once they all have.
    exited: Option<(i32, Time)>,
    /// The kill under way (numbered by the epoch it began), whose end [`Step::ProcessExited`] reports.
    killing: Option<u32>,
    /// Probe ticks already queued, so a second look at an unchanged outcome queues nothing more.
    queued_probes: Vec<(Time, Step)>,
    /// Each probe's current run of equal answers, since this run of the container started.
    runs: BTreeMap<ProbeKind, Run>,
}

/// The run of equal answers the prober counts (`prober/worker.go`: `lastResult` and `resultRun`): whether the
/// probe fails, the first tick that saw it, and the run it cut short, which carries on if no tick ever saw
/// this one (a file removed and put back between two probes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    failing: bool,
    since: Time,
    before: Option<(bool, Time)>,
}

/// A probe's failures being recorded: the repeating event, its message and its first tick.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unhealthy {
    id: Handle,
    message: String,
    first: Time,
}

/// What the learner made of a container: the knobs the fault actions turn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Behaviour {
    /// Its readiness probe fails.
    pub readiness_broken: bool,
    pub crash: Crash,
}

/// How long an init container runs before it exits successfully.
const INIT_RUN_MS: u64 = 2_000;
/// How long a crashing container runs before it exits.
const CRASH_AFTER_MS: u64 = 1_000;
/// The pod worker's resync interval (`syncFrequency`): a pod waiting in back-off longer than this is synced
/// again meanwhile (pod_workers.go `completeWork` caps the requeue at it).
const RESYNC_MS: u64 = 60_000;
/// The kubelet's back-off: 10s, doubling, capped at 5 minutes.
const BACKOFF_START_MS: u64 = 10_000;
const BACKOFF_MAX_MS: u64 = 300_000;

fn source(node: &str) -> Source {
    Source::on_node("kubelet", node)
}

fn next_backoff(current: u64) -> u64 {
    if current == 0 {
        BACKOFF_START_MS
    } else {
        (current * 2).min(BACKOFF_MAX_MS)
    }
}

fn node_is_up(view: &View, node: &str) -> bool {
    view.store
        .get_typed::<Node>("", node)
        .is_some_and(Node::is_ready)
}

impl Kubelet {
    fn ctr(&mut self, uid: &str, i: usize) -> &mut Ctr {
        self.pods
            .entry(uid.to_string())
            .or_default()
            .containers
            .entry(i)
            .or_default()
    }

    /// The learner-set behaviour of a pod's containers, by container index (empty for a pod the kubelet has
    /// not seen).
    pub(crate) fn behaviour_of(&self, pod_uid: &str) -> Vec<Behaviour> {
        self.pods.get(pod_uid).map_or_else(Vec::new, |rt| {
            rt.containers
                .range(..INIT_INDEX_BASE)
                .map(|(_, ct)| ct.behaviour)
                .collect()
        })
    }
}

impl Controller for Kubelet {
    fn route(&mut self, view: &View, type_: WatchEventType, obj: &Arc<Object>) -> Decision {
        decide(self, view, |cx| {
            observe_api(cx, obj);
            if let Object::Pod(pod) = &**obj {
                if type_ == WatchEventType::Deleted {
                    forget(cx, pod);
                } else if pod.spec.node_name.is_some() {
                    cx.d.queue(ObjectKey::new(
                        crate::model::Kind::Pod,
                        &pod.metadata.namespace,
                        &pod.metadata.name,
                    ));
                }
            }
        })
    }

    fn reconcile(&mut self, view: &View, key: &ObjectKey) -> Decision {
        decide(self, view, |cx| sync(cx, key))
    }

    fn wake(&mut self, view: &View, wake: super::Wake) -> Decision {
        let super::Wake::Kubelet(Wake { pod, uid, step }) = wake else {
            return Decision::none();
        };
        decide(self, view, |cx| on_timer(cx, &pod, &uid, step))
    }

    fn hint(&mut self, view: &View, hint: super::Hint) -> Decision {
        let super::Hint::Kubelet(hint) = hint else {
            return Decision::none();
        };
        match hint {
            Hint::Resume(f) => f(self, view),
            Hint::SetBehaviour { pod, which, change } => {
                decide(self, view, |cx| set_behaviour(cx, &pod, which, &*change))
            }
            Hint::Fail(pod) => decide(self, view, |cx| fail(cx, &pod)),
            Hint::NodeReturned(node) => decide(self, view, |cx| node_returned(cx, &node)),
            Hint::AdoptRunning(pod) => {
                adopt_running(self, &pod);
                Decision::none()
            }
            Hint::ContainersChanged => decide(self, view, |cx| reprobe(cx, None)),
            Hint::MainProcessEnded { target, code } => {
                decide(self, view, |cx| end_main_process(cx, &target, code))
            }
        }
    }
}

/// The pod is gone: its probes and back-off events stop with it, and its address is free again.
fn forget(cx: &mut Cx, pod: &Pod) {
    let handles: Vec<Handle> =
        cx.k.pods
            .get(&pod.metadata.uid)
            .into_iter()
            .flat_map(|rt| rt.containers.values())
            .flat_map(|ct| {
                ct.unhealthy
                    .values()
                    .map(|u| u.id)
                    .chain(ct.resync_events.iter().copied())
            })
            .collect();
    let last = cx.now().just_before();
    for handle in handles {
        cx.d.stop_repeating(handle, last);
    }
    cx.k.pods.remove(&pod.metadata.uid);
    cx.k.watching_cluster
        .retain(|(uid, _, _)| *uid != pod.metadata.uid);
    if let Some(ip) = pod
        .status
        .pod_ip
        .as_ref()
        .filter(|_| pod.spec.host_network != Some(true))
    {
        cx.d.runtime(Call::ReleasePodIp(ip.clone()));
    }
}

fn sync(cx: &mut Cx, key: &ObjectKey) {
    // Most pod updates need nothing from the kubelet: look before copying anything.
    let view = cx.view;
    let Some(seen) = view.store.get_typed::<Pod>(&key.namespace, &key.name) else {
        return;
    };
    let Some(node) = seen.spec.node_name.clone() else {
        return;
    };
    if !node_is_up(cx.view, &node) {
        // A kubelet that cannot reach the API server does nothing; it catches up when its node returns.
        return;
    }
    let uid = seen.metadata.uid.clone();
    let terminating = seen.metadata.is_terminating();
    let terminal = seen.is_terminal();
    let rt = cx.k.pods.entry(uid.clone()).or_default();
    if terminating {
        if !rt.stopping {
            rt.stopping = true;
            let pod = seen.clone();
            begin_stop(cx, key, &pod);
        }
        return;
    }
    if terminal {
        return;
    }
    if rt.started {
        // A container of the pod started or ended: its siblings share its network and volumes, so what their
        // probes see may have changed with it.
        let siblings_probed = seen.spec.containers.len() > 1
            && seen.spec.containers.iter().any(|ct| {
                ct.readiness_probe.is_some()
                    || ct.liveness_probe.is_some()
                    || ct.startup_probe.is_some()
            });
        time_active_deadline(cx, key);
        if siblings_probed {
            reprobe(cx, Some(&uid));
        }
        return;
    }
    rt.started = true;
    let pod = seen.clone();
    let now = cx.now();
    let host_ip = cx
        .view
        .store
        .get_typed::<Node>("", &node)
        .and_then(|n| n.internal_ip().map(str::to_string));
    let has_init = !pod.spec.init_containers.is_empty();
    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
        p.status.phase = "Pending".into();
        p.status.host_ip = host_ip;
        p.status.start_time = Some(now);
        p.set_condition("PodReadyToStartContainers", false, now);
        p.set_condition("Initialized", !has_init, now);
        p.set_condition("Ready", false, now);
        p.set_condition("ContainersReady", false, now);
        p.status.init_container_statuses = p
            .spec
            .init_containers
            .iter()
            .map(|ct| waiting_status(&ct.name, &ct.image, "PodInitializing"))
            .collect();
        let main_reason = if has_init {
            "PodInitializing"
        } else {
            "ContainerCreating"
        };
        p.status.container_statuses = p
            .spec
            .containers
            .iter()
            .map(|ct| waiting_status(&ct.name, &ct.image, main_reason))
            .collect();
    });
    let ms = cx.view.config.timings.sandbox_ms;
    cx.wake(ms, key, &uid, Step::SandboxReady);
    // The deadline counts from the start time just written.
    let key = key.clone();
    cx.then(move |cx| time_active_deadline(cx, &key));
}

/// The sandbox is up with address `ip`: the init containers run, or the containers' images are pulled.
fn sandbox_ready(cx: &mut Cx, key: &ObjectKey, pod: &Pod, ip: String) {
    let now = cx.now();
    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
        p.status.pod_ip = Some(ip);
        p.set_condition("PodReadyToStartContainers", true, now);
    });
    if pod.spec.init_containers.is_empty() {
        for i in 0..pod.spec.containers.len() {
            begin_pull(cx, key, pod, i);
        }
    } else {
        start_init(cx, key, pod, 0);
    }
}

/// The kubelet's timer for `step` of the pod `key` (uid `uid`) is due.
fn on_timer(cx: &mut Cx, key: &ObjectKey, uid: &str, step: Step) {
    if let Step::Probe { container, .. }
    | Step::Startup { container, .. }
    | Step::Liveness { container, .. } = step
    {
        // This tick is no longer queued, whatever it finds.
        let now = cx.now();
        if let Some(ct) =
            cx.k.pods
                .get_mut(uid)
                .and_then(|p| p.containers.get_mut(&container))
        {
            ct.queued_probes.retain(|e| *e != (now, step));
        }
    }
    let Some(pod) = cx.pod(key).cloned() else {
        return;
    };
    if pod.metadata.uid != uid {
        return;
    }
    let node = pod.spec.node_name.clone().unwrap_or_default();
    if !node_is_up(cx.view, &node) {
        cx.k.deferred
            .entry(node)
            .or_default()
            .push((key.clone(), uid.to_string(), step));
        return;
    }
    if pod.metadata.is_terminating() || pod.is_terminal() {
        // A pod being stopped: its containers exit, and its readiness probes go on until it is gone
        // (SyncTerminatingPod stops only liveness and startup probing).
        let goes_on = match step {
            Step::Stopped | Step::ProcessExited { .. } => true,
            Step::Probe { .. } => !pod.is_terminal(),
            _ => false,
        };
        if !goes_on {
            return;
        }
    }
    let now = cx.now();
    let ns = key.namespace.clone();
    match step {
        Step::SandboxReady => {
            // A hostNetwork pod shares its node's network namespace, and so its address.
            let host_ip = (pod.spec.host_network == Some(true))
                .then(|| {
                    cx.view
                        .store
                        .get_typed::<Node>("", &node)
                        .and_then(|n| n.internal_ip().map(str::to_string))
                })
                .flatten();
            match host_ip {
                Some(ip) => sandbox_ready(cx, key, &pod, ip),
                None => {
                    let key = key.clone();
                    cx.runtime(Call::AllocatePodIp { node }, move |cx, answer| {
                        sandbox_ready(cx, &key, &pod, answer.ip());
                    });
                }
            }
        }
        Step::InitStarted(i) => {
            cx.d.patch::<Pod>(&ns, &key.name, move |p| {
                if let Some(s) = p.status.init_container_statuses.get_mut(i) {
                    if s.state.terminated.is_some()
                        || s.state.waiting.as_ref().and_then(|w| w.reason.as_deref())
                            == Some("CrashLoopBackOff")
                    {
                        if s.state.terminated.is_some() {
                            s.last_state = std::mem::take(&mut s.state);
                        }
                        s.restart_count += 1;
                    }
                    s.state = ContainerState {
                        running: Some(StateRunning {
                            started_at: Some(now),
                        }),
                        ..Default::default()
                    };
                    s.started = Some(true);
                }
            });
            let Some(ct) = pod.spec.init_containers.get(i) else {
                return;
            };
            cx.d.runtime(Call::CreateContainer {
                pod: Box::new(pod.clone()),
                container: ct.name.clone(),
                image: ct.image.clone(),
            });
            let call = Call::StartInit {
                pod: Box::new(pod.clone()),
                index: i,
            };
            let key = key.clone();
            cx.runtime(call, move |cx, answer| {
                follow_process(cx, &key, &pod, i, true, answer.plan().progress);
            });
        }
        Step::InitFailed { index, code } => init_failed(cx, key, &pod, index, code),
        Step::InitRestart(i) => start_init(cx, key, &pod, i),
        Step::InitDone(i) => {
            cx.d.patch::<Pod>(&ns, &key.name, move |p| {
                if let Some(s) = p.status.init_container_statuses.get_mut(i) {
                    let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
                    s.state = terminated(0, "Completed", started_at, now);
                    s.started = Some(false);
                    s.ready = true;
                }
            });
            if i + 1 < pod.spec.init_containers.len() {
                start_init(cx, key, &pod, i + 1);
            } else {
                cx.d.patch::<Pod>(&ns, &key.name, move |p| {
                    p.set_condition("Initialized", true, now);
                    for s in &mut p.status.container_statuses {
                        s.state = ContainerState::waiting("PodInitializing");
                    }
                });
                for i in 0..pod.spec.containers.len() {
                    begin_pull(cx, key, &pod, i);
                }
            }
        }
        Step::PullDone { container } => pull_done(cx, key, &pod, container),
        Step::PullRetry { container } => begin_pull(cx, key, &pod, container),
        Step::PullBackOff { container } => {
            let Some(ct) = pod.spec.containers.get(container) else {
                return;
            };
            let msg = format!("Back-off pulling image \"{}\"", ct.image);
            let state = waiting_with("ImagePullBackOff", msg.clone());
            cx.d.patch::<Pod>(&ns, &key.name, move |p| {
                if let Some(s) = p.status.container_statuses.get_mut(container) {
                    s.state = state;
                }
            });
            let name = ct.name.clone();
            cx.container_event(&pod, &name, EventType::Normal, "BackOff", &msg);
            let failed = (EventType::Warning, "Failed", "Error: ImagePullBackOff");
            cx.container_event(&pod, &name, failed.0, failed.1, failed.2);
            // The retry comes when the back-off the failed pull set, counted from then, is over.
            let left = cx.ctr(uid, container).pull_backoff_ms.saturating_sub(1_000);
            let event = (EventType::Normal, "BackOff", msg.as_str());
            resyncs_in_back_off(cx, &pod, &name, container, event, left);
            resyncs_in_back_off(cx, &pod, &name, container, failed, left);
        }
        Step::ContainerStarted { container, epoch } | Step::Restart { container, epoch } => {
            if cx.ctr(uid, container).epoch != epoch {
                return;
            }
            run_container(
                cx,
                key,
                &pod,
                container,
                matches!(step, Step::Restart { .. }),
            );
        }
        Step::Probe { container, epoch } => {
            if cx.ctr(uid, container).epoch != epoch {
                return;
            }
            probe_flip(cx, key, &pod, container);
        }
        Step::Startup { container, epoch } => {
            if cx.ctr(uid, container).epoch != epoch {
                return;
            }
            startup_tick(cx, key, &pod, container);
        }
        Step::Liveness { container, epoch } => {
            if cx.ctr(uid, container).epoch != epoch {
                return;
            }
            liveness_tick(cx, key, &pod, container, step);
        }
        Step::Crashed { container, epoch } => {
            if cx.ctr(uid, container).epoch != epoch {
                return;
            }
            exited(cx, key, &pod, container, 1, "Error");
        }
        Step::Exited {
            container,
            epoch,
            code,
        } => {
            if cx.ctr(uid, container).epoch != epoch {
                return;
            }
            let reason = match code {
                0 => "Completed",
                128 => "StartError",
                _ => "Error",
            };
            exited(cx, key, &pod, container, code, reason);
        }
        Step::Resume {
            container,
            init,
            run,
        } => {
            let (cts, statuses) = if init {
                (
                    &pod.spec.init_containers,
                    &pod.status.init_container_statuses,
                )
            } else {
                (&pod.spec.containers, &pod.status.container_statuses)
            };
            let running = statuses
                .get(container)
                .is_some_and(|s| s.state.running.is_some());
            let Some(ct) = cts.get(container).filter(|_| running) else {
                return;
            };
            let target = crate::runtime::ContainerRef {
                namespace: ns,
                pod: key.name.clone(),
                uid: uid.to_string(),
                container: ct.name.clone(),
            };
            let key = key.clone();
            cx.runtime(Call::ResumeProcess { target, run }, move |cx, answer| {
                if let Some(progress) = answer.resumed() {
                    follow_process(cx, &key, &pod, container, init, progress);
                }
            });
        }
        Step::ProcessExited {
            container,
            kill,
            code,
        } => {
            let st = cx.ctr(uid, container);
            if st.killing != Some(kill) {
                return;
            }
            st.killing = None;
            process_exited(cx, key, &pod, container, code);
        }
        Step::Stopped => finish_stop(cx, key, &pod),
        Step::ActiveDeadline => {
            if active_deadline(&pod).is_some_and(|at| at <= now) {
                deadline_exceeded(cx, key, &pod);
            }
        }
    }
}
