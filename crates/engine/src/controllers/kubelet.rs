//! The kubelet of every node: takes a pod bound to its node through sandbox creation, image pulls (and pull
//! failures with back-off), init containers and container start to Running; runs startup, readiness and
//! liveness probes (exec, httpGet and tcpSocket, against the simulated container runtime); restarts crashed
//! containers with CrashLoopBackOff; and takes a deleted pod through graceful termination to removal.
//! Each stage that takes time is a timer, and the pod's status is rewritten at each stage, so
//! `kubectl get pods -w` shows the lines a real cluster prints (k8s-behaviour.md 4.2).
//!
//! Stopping a container (the pod deleted, or a liveness or startup probe failed) is `killContainer`'s: the
//! preStop hook, then SIGTERM, and the container ends when its own process does — a server at once, a shell
//! or `sleep` as PID 1 only at SIGKILL when the grace period is over ([`images::on_sigterm`]). A deleted pod's
//! containers stop each on its own, and the pod's status reports their ends once all are done.
//!
//! A probe that keeps failing, and a container waiting in a long back-off, record their event again at every
//! probe or resync: each is one repeating event ([`Cluster::start_repeating`]), counted up as the clock
//! passes its occurrences.
//!
//! Probes are event-driven: a probe's outcome only changes when something it looks at changes (a fault, a file
//! in a container, a server started or stopped, or — for a probe that looks beyond its pod — the Pods, Services
//! and endpoints behind a name), so instead of ticking forever the kubelet looks again when such a change is
//! made ([`Cluster::runtime_changed`] queues that look where the change happens) and schedules the probe
//! period at which the run of equal answers reaches its threshold, counted as `prober/worker.go` counts it.
//! That keeps `run_until_idle` finite while readiness is still lost and regained on the real probe schedule.
//! Only a probe that reads the clock (`date`) runs at every tick, since time alone may change its answer.

use std::collections::{BTreeMap, BTreeSet};

use crate::clock::Time;
use crate::cluster::{Cluster, Timer};
use crate::events::{EventType, Source};
use crate::images;
use crate::model::pod::{
    ContainerState, ContainerStatus, Probe, StateRunning, StateTerminated, StateWaiting,
};
use crate::model::{Node, Pod};
use crate::store::ObjectKey;

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

/// What the kubelet remembers about each pod it runs, by pod uid.
#[derive(Debug, Default)]
pub struct State {
    pods: BTreeMap<String, PodRuntime>,
    /// (node, image) pairs already pulled.
    images: BTreeSet<(String, String)>,
    /// Timers that fell due while their node was down, replayed when it comes back.
    deferred: BTreeMap<String, Vec<(ObjectKey, String, Step)>>,
    /// Probes (pod uid, container, kind) whose last run looked beyond their pod — a DNS name, a Service,
    /// another pod — and so may answer differently whenever those API objects change.
    watching_cluster: BTreeSet<(String, usize, ProbeKind)>,
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
    resync_events: Vec<u64>,
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
    id: u64,
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

/// Records an event about container `container` of `pod` from its node's kubelet (its reference carries the
/// container's field path, as `recordContainerEvent` makes it).
fn container_event(
    c: &mut Cluster,
    pod: &Pod,
    container: &str,
    type_: EventType,
    reason: &str,
    message: &str,
) {
    let node = pod.spec.node_name.clone().unwrap_or_default();
    c.record_container_event(pod, container, type_, reason, message, source(&node));
}

fn next_backoff(current: u64) -> u64 {
    if current == 0 {
        BACKOFF_START_MS
    } else {
        (current * 2).min(BACKOFF_MAX_MS)
    }
}

fn ctr<'a>(c: &'a mut Cluster, uid: &str, i: usize) -> &'a mut Ctr {
    c.kubelet
        .pods
        .entry(uid.to_string())
        .or_default()
        .containers
        .entry(i)
        .or_default()
}

fn node_is_up(c: &Cluster, node: &str) -> bool {
    c.store
        .get_typed::<Node>("", node)
        .is_some_and(Node::is_ready)
}

pub(crate) fn forget(c: &mut Cluster, pod: &Pod) {
    // Its probes stop with it.
    let ids: Vec<u64> = c
        .kubelet
        .pods
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
    let last = Time(c.now.millis().saturating_sub(1));
    for id in ids {
        c.stop_repeating(id, last);
    }
    c.kubelet.pods.remove(&pod.metadata.uid);
    c.kubelet
        .watching_cluster
        .retain(|(uid, _, _)| *uid != pod.metadata.uid);
    if let Some(ip) = pod
        .status
        .pod_ip
        .as_ref()
        .filter(|_| pod.spec.host_network != Some(true))
    {
        c.ipam.pod_ips_in_use.remove(ip);
    }
}

pub(crate) fn sync(c: &mut Cluster, key: &ObjectKey) {
    // Most pod updates need nothing from the kubelet: look before copying anything.
    let Some(seen) = c.store.get_typed::<Pod>(&key.namespace, &key.name) else {
        return;
    };
    let Some(node) = seen.spec.node_name.clone() else {
        return;
    };
    if !node_is_up(c, &node) {
        // A kubelet that cannot reach the API server does nothing; it catches up when its node returns.
        return;
    }
    let uid = seen.metadata.uid.clone();
    let terminating = seen.metadata.is_terminating();
    let terminal = seen.is_terminal();
    let rt = c.kubelet.pods.entry(uid.clone()).or_default();
    if terminating {
        if !rt.stopping {
            rt.stopping = true;
            let pod = seen.clone();
            begin_stop(c, key, &pod);
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
        time_active_deadline(c, key);
        if siblings_probed {
            reprobe(c, Some(&uid));
        }
        return;
    }
    rt.started = true;
    let pod = seen.clone();
    let now = c.now;
    let host_ip = c
        .store
        .get_typed::<Node>("", &node)
        .and_then(|n| n.internal_ip().map(str::to_string));
    let has_init = !pod.spec.init_containers.is_empty();
    c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
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
    let ms = c.config.timings.sandbox_ms;
    c.schedule(
        ms,
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step: Step::SandboxReady,
        },
    );
    time_active_deadline(c, key);
}

/// When a pod's `activeDeadlineSeconds` runs out: that long after its `status.startTime` (kubelet
/// active_deadline.go `pastActiveDeadline`). `None` without a deadline or before the kubelet started it.
fn active_deadline(pod: &Pod) -> Option<Time> {
    let seconds = u64::try_from(pod.spec.active_deadline_seconds?).ok()?;
    Some(pod.status.start_time?.plus(seconds.saturating_mul(1000)))
}

/// Sets a timer for the pod's active deadline, once per deadline: the kubelet looks at every pod's deadline
/// on its one-second sync tick (kubelet.go `getPodsToSync`, `ShouldSync`), so a deadline set or lowered on a
/// running pod is acted on as soon as it has passed.
fn time_active_deadline(c: &mut Cluster, key: &ObjectKey) {
    let Some(pod) = c.store.get_typed::<Pod>(&key.namespace, &key.name) else {
        return;
    };
    let Some(at) = active_deadline(pod) else {
        return;
    };
    let uid = pod.metadata.uid.clone();
    let rt = c.kubelet.pods.entry(uid.clone()).or_default();
    if rt.deadline == Some(at) {
        return;
    }
    rt.deadline = Some(at);
    let now = c.now;
    c.schedule(
        at.since(now),
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step: Step::ActiveDeadline,
        },
    );
}

/// The deadline has passed: the kubelet's active deadline handler evicts the pod (`ShouldEvict`, with a Normal
/// `DeadlineExceeded` event), so the status it writes is phase Failed with that reason and message
/// (kubelet_pods.go `generateAPIPodStatus`), and the pod's containers are then stopped as on deletion, with
/// the pod's termination grace period.
fn deadline_exceeded(c: &mut Cluster, key: &ObjectKey, pod: &Pod) {
    const REASON: &str = "DeadlineExceeded";
    const MESSAGE: &str = "Pod was active on the node longer than the specified deadline";
    let now = c.now;
    let node = pod.spec.node_name.clone().unwrap_or_default();
    c.record_event(pod, EventType::Normal, REASON, MESSAGE, source(&node));
    c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
        p.status.phase = "Failed".into();
        p.status.reason = Some(REASON.into());
        p.status.message = Some(MESSAGE.into());
        for s in p
            .status
            .container_statuses
            .iter_mut()
            .chain(&mut p.status.init_container_statuses)
        {
            s.ready = false;
        }
        p.set_condition("Ready", false, now);
        p.set_condition("ContainersReady", false, now);
    });
    let Some(failed) = c.store.get_typed::<Pod>(&key.namespace, &key.name).cloned() else {
        return;
    };
    if let Some(rt) = c.kubelet.pods.get_mut(&failed.metadata.uid) {
        rt.stopping = true;
    }
    begin_stop(c, key, &failed);
}

fn waiting_status(name: &str, image: &str, reason: &str) -> ContainerStatus {
    ContainerStatus {
        name: name.to_string(),
        image: image.to_string(),
        started: Some(false),
        state: ContainerState::waiting(reason),
        ..Default::default()
    }
}

fn waiting_with(reason: &str, message: String) -> ContainerState {
    ContainerState {
        waiting: Some(StateWaiting {
            reason: Some(reason.to_string()),
            message: Some(message),
        }),
        ..Default::default()
    }
}

pub(crate) fn on_timer(c: &mut Cluster, key: &ObjectKey, uid: &str, step: Step) {
    if let Step::Probe { container, .. }
    | Step::Startup { container, .. }
    | Step::Liveness { container, .. } = step
    {
        // This tick is no longer queued, whatever it finds.
        let now = c.now;
        if let Some(ct) = c
            .kubelet
            .pods
            .get_mut(uid)
            .and_then(|p| p.containers.get_mut(&container))
        {
            ct.queued_probes.retain(|e| *e != (now, step));
        }
    }
    let Some(pod) = c.store.get_typed::<Pod>(&key.namespace, &key.name).cloned() else {
        return;
    };
    if pod.metadata.uid != uid {
        return;
    }
    let node = pod.spec.node_name.clone().unwrap_or_default();
    if !node_is_up(c, &node) {
        c.kubelet
            .deferred
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
    let now = c.now;
    let ns = key.namespace.clone();
    match step {
        Step::SandboxReady => {
            // A hostNetwork pod shares its node's network namespace, and so its address.
            let host_ip = (pod.spec.host_network == Some(true))
                .then(|| {
                    c.store
                        .get_typed::<Node>("", &node)
                        .and_then(|n| n.internal_ip().map(str::to_string))
                })
                .flatten();
            let ip = match host_ip {
                Some(ip) => ip,
                None => allocate_pod_ip(c, &node),
            };
            c.store.modify::<Pod>(&ns, &key.name, now, |p| {
                p.status.pod_ip = Some(ip);
                p.set_condition("PodReadyToStartContainers", true, now);
            });
            if pod.spec.init_containers.is_empty() {
                for i in 0..pod.spec.containers.len() {
                    begin_pull(c, key, &pod, i);
                }
            } else {
                start_init(c, key, &pod, 0);
            }
        }
        Step::InitStarted(i) => {
            c.store.modify::<Pod>(&ns, &key.name, now, |p| {
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
            c.runtime_container_started(&pod, &ct.name, &ct.image);
            let plan = crate::runtime::programs::start_init(c, &pod, i);
            follow_process(c, key, &pod, i, true, plan.progress);
        }
        Step::InitFailed { index, code } => init_failed(c, key, &pod, index, code),
        Step::InitRestart(i) => start_init(c, key, &pod, i),
        Step::InitDone(i) => {
            c.store.modify::<Pod>(&ns, &key.name, now, |p| {
                if let Some(s) = p.status.init_container_statuses.get_mut(i) {
                    let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
                    s.state = terminated(0, "Completed", started_at, now);
                    s.started = Some(false);
                    s.ready = true;
                }
            });
            if i + 1 < pod.spec.init_containers.len() {
                start_init(c, key, &pod, i + 1);
            } else {
                c.store.modify::<Pod>(&ns, &key.name, now, |p| {
                    p.set_condition("Initialized", true, now);
                    for s in &mut p.status.container_statuses {
                        s.state = ContainerState::waiting("PodInitializing");
                    }
                });
                for i in 0..pod.spec.containers.len() {
                    begin_pull(c, key, &pod, i);
                }
            }
        }
        Step::PullDone { container } => pull_done(c, key, &pod, container),
        Step::PullRetry { container } => begin_pull(c, key, &pod, container),
        Step::PullBackOff { container } => {
            let Some(ct) = pod.spec.containers.get(container) else {
                return;
            };
            let msg = format!("Back-off pulling image \"{}\"", ct.image);
            c.store.modify::<Pod>(&ns, &key.name, now, |p| {
                if let Some(s) = p.status.container_statuses.get_mut(container) {
                    s.state = waiting_with("ImagePullBackOff", msg.clone());
                }
            });
            let name = ct.name.clone();
            container_event(c, &pod, &name, EventType::Normal, "BackOff", &msg);
            let failed = (EventType::Warning, "Failed", "Error: ImagePullBackOff");
            container_event(c, &pod, &name, failed.0, failed.1, failed.2);
            // The retry comes when the back-off the failed pull set, counted from then, is over.
            let left = ctr(c, uid, container).pull_backoff_ms.saturating_sub(1_000);
            let event = (EventType::Normal, "BackOff", msg.as_str());
            resyncs_in_back_off(c, &pod, &name, container, event, left);
            resyncs_in_back_off(c, &pod, &name, container, failed, left);
        }
        Step::ContainerStarted { container, epoch } | Step::Restart { container, epoch } => {
            if ctr(c, uid, container).epoch != epoch {
                return;
            }
            run_container(
                c,
                key,
                &pod,
                container,
                matches!(step, Step::Restart { .. }),
            );
        }
        Step::Probe { container, epoch } => {
            if ctr(c, uid, container).epoch != epoch {
                return;
            }
            probe_flip(c, key, &pod, container);
        }
        Step::Startup { container, epoch } => {
            if ctr(c, uid, container).epoch != epoch {
                return;
            }
            startup_tick(c, key, &pod, container);
        }
        Step::Liveness { container, epoch } => {
            if ctr(c, uid, container).epoch != epoch {
                return;
            }
            let Some(probe) = pod
                .spec
                .containers
                .get(container)
                .and_then(|ct| ct.liveness_probe.clone())
            else {
                return;
            };
            let failure = probe_failure(c, key, container, ProbeKind::Liveness);
            let due = note_outcome(
                c,
                key,
                uid,
                container,
                ProbeKind::Liveness,
                &probe,
                failure.as_deref(),
                now,
            );
            if failure.is_none() {
                return;
            }
            if now < due {
                // An earlier plan; this run of failures is not long enough yet.
                queue_probe(c, key, uid, container, due, step);
                return;
            }
            let Some(name) = pod.spec.containers.get(container).map(|ct| ct.name.clone()) else {
                return;
            };
            // This probe's failure is the last one recorded before the kill.
            stop_unhealthy(c, uid, container, &[ProbeKind::Liveness], now);
            let message = format!("Container {name} failed liveness probe, will be restarted");
            let grace = probe_kill_grace_ms(&pod, &probe);
            kill_container(c, key, &pod, container, grace, &message);
        }
        Step::Crashed { container, epoch } => {
            if ctr(c, uid, container).epoch != epoch {
                return;
            }
            exited(c, key, &pod, container, 1, "Error");
        }
        Step::Exited {
            container,
            epoch,
            code,
        } => {
            if ctr(c, uid, container).epoch != epoch {
                return;
            }
            let reason = match code {
                0 => "Completed",
                128 => "StartError",
                _ => "Error",
            };
            exited(c, key, &pod, container, code, reason);
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
            if crate::runtime::programs::process_run(c, &target) != Some(run) {
                return;
            }
            let progress = crate::runtime::programs::resume_process(c, &target);
            follow_process(c, key, &pod, container, init, progress);
        }
        Step::ProcessExited {
            container,
            kill,
            code,
        } => {
            let st = ctr(c, uid, container);
            if st.killing != Some(kill) {
                return;
            }
            st.killing = None;
            process_exited(c, key, &pod, container, code);
        }
        Step::Stopped => finish_stop(c, key, &pod),
        Step::ActiveDeadline => {
            if active_deadline(&pod).is_some_and(|at| at <= now) {
                deadline_exceeded(c, key, &pod);
            }
        }
    }
}

/// Acts on where container `i`'s process (init container `i`'s, if `init`) stands after it started or was
/// resumed: its exit is reported, its wait is timed, a process that runs until stopped needs nothing.
fn follow_process(
    c: &mut Cluster,
    key: &ObjectKey,
    pod: &Pod,
    i: usize,
    init: bool,
    progress: crate::runtime::programs::Progress,
) {
    use crate::runtime::programs::Progress;
    let uid = pod.metadata.uid.clone();
    let (after, step) = match progress {
        // An init container that never exits holds the pod at Init:i/n, as on a real node.
        Progress::Forever => return,
        Progress::Sleeps { ms, run } => (
            ms,
            Step::Resume {
                container: i,
                init,
                run,
            },
        ),
        Progress::Exited(code) if init => {
            // Even a command that returns at once takes the runtime a moment to start and reap.
            let started = c
                .store
                .get_typed::<Pod>(&key.namespace, &key.name)
                .and_then(|p| p.status.init_container_statuses.get(i))
                .and_then(|s| s.state.running.as_ref())
                .and_then(|r| r.started_at);
            let ran = started.map_or(0, |t| c.now.since(t));
            let step = if code == 0 {
                Step::InitDone(i)
            } else {
                Step::InitFailed { index: i, code }
            };
            (INIT_RUN_MS.saturating_sub(ran), step)
        }
        Progress::Exited(code) => {
            let epoch = ctr(c, &uid, i).epoch;
            (
                0,
                Step::Exited {
                    container: i,
                    epoch,
                    code,
                },
            )
        }
    };
    c.schedule(
        after,
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step,
        },
    );
}

fn terminated(code: i32, reason: &str, started_at: Option<Time>, now: Time) -> ContainerState {
    ContainerState {
        terminated: Some(StateTerminated {
            exit_code: code,
            reason: Some(reason.to_string()),
            started_at,
            finished_at: Some(now),
        }),
        ..Default::default()
    }
}

/// Running when every container has started; Ready when every container is ready.
fn refresh_pod_conditions(p: &mut Pod, now: Time) {
    let all_started = p
        .status
        .container_statuses
        .iter()
        .all(|s| s.state.running.is_some() || s.restart_count > 0);
    let all_ready = !p.status.container_statuses.is_empty()
        && p.status.container_statuses.iter().all(|s| s.ready);
    if all_started && p.status.phase == "Pending" {
        p.status.phase = "Running".into();
    }
    p.set_condition("ContainersReady", all_ready, now);
    p.set_condition("Ready", all_ready, now);
}

fn allocate_pod_ip(c: &mut Cluster, node: &str) -> String {
    let cidr = c
        .store
        .get_typed::<Node>("", node)
        .and_then(|n| n.spec.pod_cidr.clone())
        .unwrap_or_else(|| "10.244.9.0/24".to_string());
    let prefix = cidr
        .rsplit_once('.')
        .map_or("10.244.9", |(p, _)| p)
        .to_string();
    // host-local IPAM: the next free address after the last one handed out, wrapping around the /24.
    for _ in 0..253 {
        let host = c.ipam.next_pod_host.entry(node.to_string()).or_insert(2);
        let ip = format!("{prefix}.{host}");
        *host = if *host >= 254 { 2 } else { *host + 1 };
        if c.ipam.pod_ips_in_use.insert(ip.clone()) {
            return ip;
        }
    }
    // maxPods keeps a node far below 253 pods, so the range cannot be exhausted.
    format!("{prefix}.255")
}

/// A duration as Go's `time.Duration.String` prints whole-millisecond spans under a minute: `6s`, `2.5s`.
fn go_duration(ms: u64) -> String {
    let (s, rem) = (ms / 1000, ms % 1000);
    if rem == 0 {
        format!("{s}s")
    } else {
        let frac = format!("{rem:03}");
        format!("{s}.{}s", frac.trim_end_matches('0'))
    }
}

/// A stable, plausible compressed image size, so the Pulled event reads like a real one.
fn image_size(image: &str) -> u64 {
    let h = image.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    40_000_000 + h % 60_000_000
}

/// Init container `i` exited with `code`: the pod fails under `restartPolicy: Never`; otherwise the init
/// container runs again after the kubelet's back-off (`Init:Error`, then `Init:CrashLoopBackOff`).
fn init_failed(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize, code: i32) {
    let Some(ct) = pod.spec.init_containers.get(i) else {
        return;
    };
    let now = c.now;
    let uid = pod.metadata.uid.clone();
    let never = pod.spec.restart_policy.as_deref() == Some("Never");
    let restarts = pod
        .status
        .init_container_statuses
        .get(i)
        .map_or(0, |s| s.restart_count);
    c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
        if let Some(s) = p.status.init_container_statuses.get_mut(i) {
            let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
            s.state = terminated(code, "Error", started_at, now);
            s.started = Some(false);
            s.ready = false;
        }
        if never {
            p.status.phase = "Failed".into();
            p.set_condition("Ready", false, now);
            p.set_condition("ContainersReady", false, now);
        }
    });
    if never {
        return;
    }
    // The back-off state of init container i, kept apart from the regular containers' indices.
    let backoff = {
        let st = ctr(c, &uid, INIT_INDEX_BASE + i);
        if restarts > 0 {
            st.restart_backoff_ms = next_backoff(st.restart_backoff_ms);
        }
        if restarts > 0 {
            st.restart_backoff_ms
        } else {
            0
        }
    };
    if backoff > 0 {
        crash_loop_back_off(c, key, pod, Statuses::Init, i, &ct.name, backoff);
    }
    c.schedule(
        backoff.max(500),
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step: Step::InitRestart(i),
        },
    );
}

/// Which of a pod's container status lists a container's status is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Statuses {
    Init,
    Regular,
}

/// Container `i` (named `name`) of the `which` list failed and waits `backoff_ms` before it runs again: its
/// terminated state moves to lastState, it shows `CrashLoopBackOff` with the kubelet's back-off message, and the
/// kubelet records its `BackOff` event. The waiting state is written a millisecond after the terminated one, a
/// later sync of the kubelet, so watchers see the exit before the back-off.
fn crash_loop_back_off(
    c: &mut Cluster,
    key: &ObjectKey,
    pod: &Pod,
    which: Statuses,
    i: usize,
    name: &str,
    backoff_ms: u64,
) {
    let pod_ref = format!(
        "{}_{}({})",
        pod.metadata.name, pod.metadata.namespace, pod.metadata.uid
    );
    let waiting = format!(
        "back-off {} restarting failed container={name} pod={pod_ref}",
        go_duration(backoff_ms).replace("300s", "5m0s")
    );
    let at = c.now.plus(1);
    c.store.modify::<Pod>(&key.namespace, &key.name, at, |p| {
        let list = match which {
            Statuses::Init => &mut p.status.init_container_statuses,
            Statuses::Regular => &mut p.status.container_statuses,
        };
        if let Some(s) = list.get_mut(i) {
            s.last_state = std::mem::take(&mut s.state);
            s.state = waiting_with("CrashLoopBackOff", waiting.clone());
        }
    });
    let msg = format!("Back-off restarting failed container {name} in pod {pod_ref}");
    container_event(c, pod, name, EventType::Warning, "BackOff", &msg);
    let event = (EventType::Warning, "BackOff", msg.as_str());
    let slot = match which {
        Statuses::Init => INIT_INDEX_BASE + i,
        Statuses::Regular => i,
    };
    resyncs_in_back_off(c, pod, name, slot, event, backoff_ms);
}

/// Every sync of a pod whose container is in back-off records the back-off event again
/// (kuberuntime_manager.go `doBackOff`, images/image_manager.go for pulls): the pod worker syncs it when the
/// back-off ends, or after its resync interval if that comes first, so a long back-off counts its event up
/// once a minute until the retry.
fn resyncs_in_back_off(
    c: &mut Cluster,
    pod: &Pod,
    container: &str,
    index: usize,
    event: (EventType, &str, &str),
    backoff_ms: u64,
) {
    if backoff_ms <= RESYNC_MS {
        return;
    }
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let now = c.now;
    let id = c.start_repeating(
        pod,
        Some(container),
        event,
        source(&node),
        now.plus(RESYNC_MS),
        RESYNC_MS,
    );
    c.stop_repeating(id, now.plus(backoff_ms - 1));
    ctr(c, &pod.metadata.uid, index).resync_events.push(id);
}

/// Where init containers' back-off state is kept in a pod's container table.
const INIT_INDEX_BASE: usize = 1_000;

/// Pulls (or finds) an init container's image; init images are the tutorials' own and always exist.
fn start_init(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.init_containers.get(i) else {
        return;
    };
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let delay = match pull_time(c, &node, &ct.image, ct.image_pull_policy.as_deref()) {
        None => {
            let msg = format!(
                "Container image \"{}\" already present on machine",
                ct.image
            );
            container_event(c, pod, &ct.name, EventType::Normal, "Pulled", &msg);
            0
        }
        Some(took) => {
            pulled_events(c, pod, &ct.name, &ct.image, took);
            took
        }
    };
    c.kubelet.images.insert((node.clone(), ct.image.clone()));
    let name = ct.name.clone();
    created_and_started(c, pod, &name);
    let uid = pod.metadata.uid.clone();
    let start = delay + c.config.timings.container_start_ms;
    c.schedule(
        start,
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step: Step::InitStarted(i),
        },
    );
}

/// The runtime created and started container `name`.
fn created_and_started(c: &mut Cluster, pod: &Pod, name: &str) {
    let msg = format!("Created container: {name}");
    container_event(c, pod, name, EventType::Normal, "Created", &msg);
    let msg = format!("Started container {name}");
    container_event(c, pod, name, EventType::Normal, "Started", &msg);
}

/// How long pulling `image` takes on `node`, or `None` when it is present and the policy allows using it.
fn pull_time(c: &Cluster, node: &str, image: &str, policy: Option<&str>) -> Option<u64> {
    let present = c
        .kubelet
        .images
        .contains(&(node.to_string(), image.to_string()));
    match (present, policy) {
        (true, Some("Always")) => Some(c.config.timings.image_pull_ms / 6),
        (true, _) => None,
        (false, _) => Some(c.config.timings.image_pull_ms),
    }
}

fn pulled_events(c: &mut Cluster, pod: &Pod, container: &str, image: &str, took: u64) {
    let msg = format!("Pulling image \"{image}\"");
    container_event(c, pod, container, EventType::Normal, "Pulling", &msg);
    pulled(c, pod, container, image, took);
}

/// The `Pulled` event of a finished pull, worded as the kubelet words it.
fn pulled(c: &mut Cluster, pod: &Pod, container: &str, image: &str, took: u64) {
    let d = go_duration(took);
    let msg = format!(
        "Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {} bytes.",
        image_size(image)
    );
    container_event(c, pod, container, EventType::Normal, "Pulled", &msg);
}

/// The runtime creates and starts container `i` once its image is present.
fn schedule_start(c: &mut Cluster, key: &ObjectKey, uid: String, i: usize) {
    let epoch = ctr(c, &uid, i).epoch;
    let ms = c.config.timings.container_start_ms;
    let step = Step::ContainerStarted {
        container: i,
        epoch,
    };
    c.schedule(
        ms,
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step,
        },
    );
}

/// Starts getting container `i`'s image: present, pulled after a delay, or refused by the registry.
fn begin_pull(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let uid = pod.metadata.uid.clone();
    let exists = images::check_pull(&ct.image).is_ok();
    match pull_time(c, &node, &ct.image, ct.image_pull_policy.as_deref()).filter(|_| exists) {
        None if exists => {
            let msg = format!(
                "Container image \"{}\" already present on machine",
                ct.image
            );
            container_event(c, pod, &ct.name, EventType::Normal, "Pulled", &msg);
            schedule_start(c, key, uid, i);
        }
        _ => {
            let msg = format!("Pulling image \"{}\"", ct.image);
            container_event(c, pod, &ct.name, EventType::Normal, "Pulling", &msg);
            // A missing tag is refused after the registry round trip, quicker than a whole pull.
            let ms = if exists {
                c.config.timings.image_pull_ms
            } else {
                c.config.timings.image_pull_ms / 4
            };
            c.schedule(
                ms,
                Timer::Kubelet {
                    pod: key.clone(),
                    uid,
                    step: Step::PullDone { container: i },
                },
            );
        }
    }
}

fn pull_done(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let uid = pod.metadata.uid.clone();
    let image = ct.image.clone();
    let now = c.now;
    match images::check_pull(&image) {
        Ok(()) => {
            let took = c.config.timings.image_pull_ms;
            pulled(c, pod, &ct.name, &image, took);
            c.kubelet.images.insert((node, image));
            schedule_start(c, key, uid, i);
        }
        Err(why) => {
            let failed = format!("Failed to pull image \"{image}\": {why}");
            container_event(c, pod, &ct.name, EventType::Warning, "Failed", &failed);
            container_event(
                c,
                pod,
                &ct.name,
                EventType::Warning,
                "Failed",
                "Error: ErrImagePull",
            );
            let backoff = {
                let st = ctr(c, &uid, i);
                st.pull_backoff_ms = next_backoff(st.pull_backoff_ms);
                st.pull_backoff_ms
            };
            // ErrImagePull first; the kubelet's next sync shows the back-off.
            c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
                if let Some(s) = p.status.container_statuses.get_mut(i) {
                    s.state = waiting_with("ErrImagePull", failed.clone());
                }
            });
            c.schedule(
                1_000,
                Timer::Kubelet {
                    pod: key.clone(),
                    uid: uid.clone(),
                    step: Step::PullBackOff { container: i },
                },
            );
            c.schedule(
                backoff,
                Timer::Kubelet {
                    pod: key.clone(),
                    uid,
                    step: Step::PullRetry { container: i },
                },
            );
        }
    }
}

/// Starts (or restarts) container `i`: running, ready unless it has a readiness probe.
fn run_container(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize, restart: bool) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let uid = pod.metadata.uid.clone();
    let now = c.now;
    let probe = ct.readiness_probe.clone();
    let has_startup = ct.startup_probe.is_some();
    let name = ct.name.clone();
    let image = ct.image.clone();
    if restart {
        let msg = format!(
            "Container image \"{}\" already present on machine",
            ct.image
        );
        container_event(c, pod, &name, EventType::Normal, "Pulled", &msg);
    }
    let (epoch, crash) = {
        let st = ctr(c, &uid, i);
        st.started_at = Some(now);
        st.exited = None;
        st.killing = None;
        st.runs.clear();
        (st.epoch, st.behaviour.crash)
    };
    c.runtime_container_started(pod, &name, &ct.image);
    c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
        if let Some(s) = p.status.container_statuses.get_mut(i) {
            if restart {
                s.last_state = std::mem::take(&mut s.state);
                if s.last_state.waiting.is_some() {
                    s.last_state = ContainerState::default();
                }
                s.restart_count += 1;
            }
            s.state = ContainerState {
                running: Some(StateRunning {
                    started_at: Some(now),
                }),
                ..Default::default()
            };
            // A startup probe holds `started` (and with it readiness and liveness probing) until it passes.
            s.started = Some(!has_startup);
            s.ready = probe.is_none() && !has_startup;
            // containerd names the pulled image in full and gives each start a new container id.
            s.image = images::full_name(&image);
            s.image_id = images::image_id(&image);
            s.container_id = format!(
                "containerd://{}",
                crate::sha256::hex_digest(&format!("{uid}/{name}/{}", s.restart_count))
            );
        }
        refresh_pod_conditions(p, now);
    });
    created_and_started(c, pod, &name);
    if crash != Crash::No {
        c.schedule(
            CRASH_AFTER_MS,
            Timer::Kubelet {
                pod: key.clone(),
                uid,
                step: Step::Crashed {
                    container: i,
                    epoch,
                },
            },
        );
        return;
    }
    let plan = crate::runtime::programs::start_main(c, pod, i);
    if let Some(err) = &plan.start_error {
        container_event(
            c,
            pod,
            &name,
            EventType::Warning,
            "Failed",
            &format!("Error: {err}"),
        );
    }
    follow_process(c, key, pod, i, false, plan.progress);
    match ct.startup_probe.clone() {
        Some(startup) => schedule_startup(c, key, &uid, i, &startup, Seen::AtTick),
        None => begin_probing(c, key, &uid, ct, i),
    }
}

/// Container `i` has started (no startup probe, or it passed): its readiness and liveness probes begin.
fn begin_probing(
    c: &mut Cluster,
    key: &ObjectKey,
    uid: &str,
    ct: &crate::model::pod::Container,
    i: usize,
) {
    if let Some(probe) = ct.readiness_probe.clone() {
        schedule_probe_flip(c, key, uid, i, &probe, Seen::AtTick);
    } else if ct.startup_probe.is_some() {
        // Without a readiness probe a container is ready once started.
        let now = c.now;
        c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
            if let Some(s) = p.status.container_statuses.get_mut(i) {
                s.ready = true;
            }
            refresh_pod_conditions(p, now);
        });
    }
    if let Some(live) = ct.liveness_probe.clone() {
        schedule_liveness(c, key, i, &live, Seen::AtTick);
    }
}

/// Queues a probe tick (`Probe`, `Startup` or `Liveness` of container `i`) unless the same tick is queued.
fn queue_probe(c: &mut Cluster, key: &ObjectKey, uid: &str, i: usize, at: Time, step: Step) {
    let now = c.now;
    let queued = &mut ctr(c, uid, i).queued_probes;
    queued.retain(|(t, _)| *t >= now);
    if queued.contains(&(at, step)) {
        return;
    }
    queued.push((at, step));
    c.timers.push(
        at,
        Timer::Kubelet {
            pod: key.clone(),
            uid: uid.to_string(),
            step,
        },
    );
}

/// The first probe tick of `probe` at or after now, for a container started at `started`: the probe period at
/// which a probe next runs. `seen` says when to count from: a container's start is probed at its first tick,
/// but a change made at a tick came after that tick's probe, so the first probe to see it is the next one.
fn next_tick(now: Time, started: Time, probe: &Probe, seen: Seen) -> (Time, u64) {
    let delay = probe.initial_delay_seconds.unwrap_or(0).max(0) as u64 * 1000;
    let period = probe.period_seconds.unwrap_or(10).max(1) as u64 * 1000;
    let first = started.plus(delay);
    let tick = if now < first || (now == first && seen == Seen::AtTick) {
        first
    } else {
        let periods = now.since(first).div_ceil(period);
        let on_tick = now.since(first).is_multiple_of(period);
        first.plus((periods + u64::from(on_tick && seen == Seen::AfterTick)) * period)
    };
    (tick, period)
}

/// Whether the state a probe is to see was there when the probe at the current instant ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// It was: a probe due now sees it (a container just started, a probe chain carrying on).
    AtTick,
    /// It came after: the learner's command, or a change made at this instant.
    AfterTick,
}

/// How many answers in a row change what a probe reports: `failureThreshold` (default 3) failures, or
/// `successThreshold` (default 1) successes.
fn threshold(probe: &Probe, failing: bool) -> u64 {
    let n = if failing {
        probe.failure_threshold.unwrap_or(3)
    } else {
        probe.success_threshold.unwrap_or(1)
    };
    n.max(1) as u64
}

/// Records that probe `kind` of container `i` answers `failure` (`None`: it passes), first seen by the probe at
/// `tick`, and answers the tick at which the run of equal answers it belongs to reaches its threshold: when the
/// prober acts on it. A failing run is recorded as an `Unhealthy` event at each of its probes.
#[allow(clippy::too_many_arguments)]
fn note_outcome(
    c: &mut Cluster,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    kind: ProbeKind,
    probe: &Probe,
    failure: Option<&str>,
    tick: Time,
) -> Time {
    let failing = failure.is_some();
    let period = probe_period_ms(probe);
    let runs = &mut ctr(c, uid, i).runs;
    let run = match runs.get(&kind).copied() {
        Some(r) if r.failing == failing => Run {
            since: r.since.min(tick),
            ..r
        },
        // The last change was undone before any probe saw it: the run before it goes on.
        Some(Run {
            since,
            before: Some((f, s)),
            ..
        }) if since >= tick && f == failing => Run {
            failing,
            since: s,
            before: None,
        },
        Some(r) => Run {
            failing,
            since: tick,
            before: Some((r.failing, r.since)),
        },
        None => Run {
            failing,
            since: tick,
            before: None,
        },
    };
    runs.insert(kind, run);
    let message = failure.map(|why| format!("{} probe failed: {why}", kind.title()));
    track_unhealthy(c, key, uid, i, kind, period, message, run.since, tick);
    run.since.plus((threshold(probe, failing) - 1) * period)
}

/// A probe's period in milliseconds (`periodSeconds`, 10 by default).
fn probe_period_ms(probe: &Probe) -> u64 {
    probe.period_seconds.unwrap_or(10).max(1) as u64 * 1000
}

/// The prober records a Warning `Unhealthy` event at every probe that fails (prober.go `probe`), so a probe that
/// keeps failing counts its event up every period (`(x12 over 2m)`). Its failures are one repeating event from
/// the first failing probe (`since`) until the probe passes (`message` `None` for a run of passes from `since`);
/// a new wording (another status code) is another event from the probe at `tick` on.
#[allow(clippy::too_many_arguments)]
fn track_unhealthy(
    c: &mut Cluster,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    kind: ProbeKind,
    period: u64,
    message: Option<String>,
    since: Time,
    tick: Time,
) {
    let current = ctr(c, uid, i).unhealthy.get(&kind).cloned();
    let Some(message) = message else {
        if let Some(u) = current {
            c.stop_repeating(u.id, Time(since.millis().saturating_sub(1)));
            ctr(c, uid, i).unhealthy.remove(&kind);
        }
        return;
    };
    let first = match current {
        Some(u) if u.message == message && u.first <= since => {
            // The same failures going on, or resumed before any probe saw them pass.
            if c.resume_repeating(u.id) {
                return;
            }
            // Its occurrences so far are recorded: it goes on from the first probe after now.
            let now = c.now;
            if now < since {
                since
            } else {
                since.plus((now.since(since) / period + 1) * period)
            }
        }
        Some(u) => {
            let last = if u.message == message { since } else { tick };
            c.stop_repeating(u.id, Time(last.millis().saturating_sub(1)));
            last
        }
        None => since,
    };
    let Some(pod) = c
        .store
        .get_typed::<Pod>(&key.namespace, &key.name)
        .filter(|p| p.metadata.uid == uid)
        .cloned()
    else {
        return;
    };
    let Some(name) = pod.spec.containers.get(i).map(|ct| ct.name.clone()) else {
        return;
    };
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let id = c.start_repeating(
        &pod,
        Some(&name),
        (EventType::Warning, "Unhealthy", &message),
        source(&node),
        first,
        period,
    );
    ctr(c, uid, i)
        .unhealthy
        .insert(kind, Unhealthy { id, message, first });
}

/// The container's probes stop (it exited, or its pod is going): their failures are recorded up to `last`.
fn stop_unhealthy(c: &mut Cluster, uid: &str, i: usize, kinds: &[ProbeKind], last: Time) {
    let Some(st) = c
        .kubelet
        .pods
        .get_mut(uid)
        .and_then(|p| p.containers.get_mut(&i))
    else {
        return;
    };
    let ids: Vec<u64> = kinds
        .iter()
        .filter_map(|k| st.unhealthy.remove(k))
        .map(|u| u.id)
        .collect();
    for id in ids {
        c.stop_repeating(id, last);
    }
}

/// Plans container `i`'s startup probe: its next tick when it passes now, else the tick at which it has failed
/// `failureThreshold` times in a row and the container is killed if it still fails.
fn schedule_startup(
    c: &mut Cluster,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    probe: &Probe,
    seen: Seen,
) {
    let now = c.now;
    let st = ctr(c, uid, i).clone();
    let Some(started) = st.started_at else { return };
    let (tick, _) = next_tick(now, started, probe, seen);
    let failure = probe_failure(c, key, i, ProbeKind::Startup);
    let failing = failure.is_some();
    let due = note_outcome(
        c,
        key,
        uid,
        i,
        ProbeKind::Startup,
        probe,
        failure.as_deref(),
        tick,
    );
    let at = if failing { due.max(tick) } else { tick };
    let step = Step::Startup {
        container: i,
        epoch: st.epoch,
    };
    queue_probe(c, key, uid, i, at, step);
}

/// A startup probe tick: the container has started when the probe passes; when it has failed
/// `failureThreshold` times in a row, the kubelet kills the container to restart it.
fn startup_tick(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let Some(probe) = ct.startup_probe.clone() else {
        return;
    };
    let started = pod
        .status
        .container_statuses
        .get(i)
        .is_some_and(|s| s.started == Some(true) || s.state.running.is_none());
    if started {
        return;
    }
    let uid = pod.metadata.uid.clone();
    let now = c.now;
    let failure = probe_failure(c, key, i, ProbeKind::Startup);
    let due = note_outcome(
        c,
        key,
        &uid,
        i,
        ProbeKind::Startup,
        &probe,
        failure.as_deref(),
        now,
    );
    match failure {
        None => {
            c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
                if let Some(s) = p.status.container_statuses.get_mut(i) {
                    s.started = Some(true);
                }
            });
            begin_probing(c, key, &uid, ct, i);
        }
        Some(_) if now < due => schedule_startup(c, key, &uid, i, &probe, Seen::AtTick),
        Some(_) => {
            // This probe's failure is the last one recorded before the kill.
            stop_unhealthy(c, &uid, i, &[ProbeKind::Startup], now);
            let message = format!(
                "Container {} failed startup probe, will be restarted",
                ct.name
            );
            let grace = probe_kill_grace_ms(pod, &probe);
            kill_container(c, key, pod, i, grace, &message);
        }
    }
}

/// Looks at container `i`'s readiness probe: when what it answers now disagrees with the readiness the status
/// shows, queues the probe at which the run of answers reaches its threshold and readiness flips; a failure
/// never reported yet is reported at the next probe.
fn schedule_probe_flip(
    c: &mut Cluster,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    probe: &Probe,
    seen: Seen,
) {
    let now = c.now;
    let st = ctr(c, uid, i).clone();
    let Some(started) = st.started_at else { return };
    let (tick, _) = next_tick(now, started, probe, seen);
    if let Some(err) = probe_error(c, key, i, ProbeKind::Readiness) {
        return readiness_errors(c, key, uid, i, probe, &err, tick);
    }
    let failure = readiness_answer(c, key, i, st.behaviour);
    let failing = failure.is_some();
    let due = note_outcome(
        c,
        key,
        uid,
        i,
        ProbeKind::Readiness,
        probe,
        failure.as_deref(),
        tick,
    );
    let ready = c
        .store
        .get_typed::<Pod>(&key.namespace, &key.name)
        .and_then(|p| p.status.container_statuses.get(i))
        .is_some_and(|s| s.ready);
    if failing == ready {
        let step = Step::Probe {
            container: i,
            epoch: st.epoch,
        };
        queue_probe(c, key, uid, i, due.max(tick), step);
    }
}

/// Container `i`'s readiness probe errors from the probe at `tick` on: each probe records
/// `Readiness probe errored and resulted in unknown state: …` (prober.go `probe`), and readiness is left as
/// it was.
fn readiness_errors(
    c: &mut Cluster,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    probe: &Probe,
    err: &str,
    tick: Time,
) {
    let message = format!(
        "{} probe errored and resulted in unknown state: {err}",
        ProbeKind::Readiness.title()
    );
    let period = probe_period_ms(probe);
    track_unhealthy(
        c,
        key,
        uid,
        i,
        ProbeKind::Readiness,
        period,
        Some(message),
        tick,
        tick,
    );
}

/// What container `i`'s readiness probe answers now: why it fails, if it does. A readiness the learner broke
/// fails whatever the runtime would answer, worded as a typical failure of that kind of probe.
fn readiness_answer(
    c: &mut Cluster,
    key: &ObjectKey,
    i: usize,
    behaviour: Behaviour,
) -> Option<String> {
    let failure = readiness_failure(c, key, i);
    if failure.is_some() || !behaviour.readiness_broken {
        return failure;
    }
    let pod = c.store.get_typed::<Pod>(&key.namespace, &key.name)?;
    let ct = pod.spec.containers.get(i)?;
    Some(probe_failure_message(
        ct,
        pod.status.pod_ip.as_deref().unwrap_or_default(),
    ))
}

/// A readiness probe tick: readiness flips when the run of answers that disagrees with it has reached its
/// threshold; a run still short of it waits for the tick at which it will.
fn probe_flip(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let Some(probe) = ct.readiness_probe.clone() else {
        return;
    };
    let not_started = pod
        .status
        .container_statuses
        .get(i)
        .is_some_and(|s| s.started == Some(false));
    if not_started {
        // Readiness is not probed before the startup probe has passed.
        return;
    }
    let uid = pod.metadata.uid.clone();
    if let Some(err) = probe_error(c, key, i, ProbeKind::Readiness) {
        let now = c.now;
        return readiness_errors(c, key, &uid, i, &probe, &err, now);
    }
    let behaviour = ctr(c, &uid, i).behaviour;
    let failure = readiness_answer(c, key, i, behaviour);
    let broken = failure.is_some();
    let now = c.now;
    let due = note_outcome(
        c,
        key,
        &uid,
        i,
        ProbeKind::Readiness,
        &probe,
        failure.as_deref(),
        now,
    );
    let was_ready = pod
        .status
        .container_statuses
        .get(i)
        .is_some_and(|s| s.ready);
    let flips = was_ready == broken && now >= due;
    if flips {
        c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
            if let Some(s) = p.status.container_statuses.get_mut(i) {
                s.ready = !broken;
            }
            refresh_pod_conditions(p, now);
        });
    } else if was_ready == broken {
        let step = Step::Probe {
            container: i,
            epoch: ctr(c, &uid, i).epoch,
        };
        queue_probe(c, key, &uid, i, due, step);
    }
}

/// Which of a container's probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ProbeKind {
    Readiness,
    Liveness,
    Startup,
}

impl ProbeKind {
    const ALL: [ProbeKind; 3] = [
        ProbeKind::Readiness,
        ProbeKind::Liveness,
        ProbeKind::Startup,
    ];

    /// As the prober's messages name it (`probeType.String()`).
    fn title(self) -> &'static str {
        match self {
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Startup => "Startup",
        }
    }

    fn of(self, ct: &crate::model::pod::Container) -> Option<&Probe> {
        match self {
            ProbeKind::Readiness => ct.readiness_probe.as_ref(),
            ProbeKind::Liveness => ct.liveness_probe.as_ref(),
            ProbeKind::Startup => ct.startup_probe.as_ref(),
        }
    }
}

/// Runs container `i`'s readiness probe against the runtime now: `Some(why)` when it fails.
fn readiness_failure(c: &mut Cluster, key: &ObjectKey, i: usize) -> Option<String> {
    probe_failure(c, key, i, ProbeKind::Readiness)
}

/// Runs container `i`'s probe of `kind` against the container runtime now, as the kubelet's prober does:
/// `exec` runs the command in the container, `httpGet` asks the server listening on the pod's IP, `tcpSocket`
/// connects to it. `Some(why)` when it fails, worded as the `Unhealthy` event words it after "probe failed: ".
/// Containers that do not run, and gRPC probes, answer `None` (their outcome follows the learner's faults).
fn probe_failure(c: &mut Cluster, key: &ObjectKey, i: usize, kind: ProbeKind) -> Option<String> {
    let (failure, observed) = c.runtime_observing(|c| probe_outcome(c, key, i, kind));
    if let Some(uid) = c
        .store
        .get_typed::<Pod>(&key.namespace, &key.name)
        .map(|p| p.metadata.uid.clone())
    {
        let entry = (uid.clone(), i, kind);
        if observed.cluster {
            c.kubelet.watching_cluster.insert(entry);
        } else {
            c.kubelet.watching_cluster.remove(&entry);
        }
        if observed.clock {
            poll(c, key, &uid, i, kind);
        }
    }
    failure
}

/// A probe that read the clock may answer differently at any tick, with nothing else changing: it runs again
/// at its next one, as the prober runs every probe each period.
fn poll(c: &mut Cluster, key: &ObjectKey, uid: &str, i: usize, kind: ProbeKind) {
    let Some(probe) = c
        .store
        .get_typed::<Pod>(&key.namespace, &key.name)
        .and_then(|p| p.spec.containers.get(i))
        .and_then(|ct| kind.of(ct))
        .cloned()
    else {
        return;
    };
    let st = ctr(c, uid, i).clone();
    let Some(started) = st.started_at else { return };
    let (tick, _) = next_tick(c.now, started, &probe, Seen::AfterTick);
    let (container, epoch) = (i, st.epoch);
    let step = match kind {
        ProbeKind::Readiness => Step::Probe { container, epoch },
        ProbeKind::Liveness => Step::Liveness { container, epoch },
        ProbeKind::Startup => Step::Startup { container, epoch },
    };
    queue_probe(c, key, uid, i, tick, step);
}

/// One run of a probe (see [`probe_failure`]).
fn probe_outcome(c: &mut Cluster, key: &ObjectKey, i: usize, kind: ProbeKind) -> Option<String> {
    let pod = c.store.get_typed::<Pod>(&key.namespace, &key.name)?.clone();
    let ct = pod.spec.containers.get(i)?;
    let probe = kind.of(ct)?;
    let running = pod
        .status
        .container_statuses
        .get(i)
        .is_some_and(|s| s.state.running.is_some());
    if !running {
        return None;
    }
    if let Some(exec) = &probe.exec {
        if !c.process_running(&pod.metadata.uid, &ct.name) {
            // No exec into an exited container: the probe errors (`probe_error`) rather than fails.
            return None;
        }
        return exec_failure(c, &pod, &ct.name, &exec.command);
    }
    let ip = pod.status.pod_ip.clone()?;
    if let Some(get) = &probe.http_get {
        let host = get.host.clone().unwrap_or_else(|| ip.clone());
        let port = match container_port(ct, &get.port) {
            Ok(p) => p,
            Err(why) => return Some(why),
        };
        let mut path = get.path.clone().unwrap_or_default();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let scheme = get.scheme.as_deref().unwrap_or("HTTP").to_ascii_lowercase();
        let url = format!("{scheme}://{host}:{port}{path}");
        // The probe goes to the pod's own address; another host is outside what the simulation serves.
        let unsimulated = |target: &crate::runtime::ContainerRef| {
            pod.spec
                .containers
                .iter()
                .find(|ct| ct.name == target.container)
                .is_some_and(|ct| !crate::runtime::programs::simulated(&ct.image))
        };
        let answer = match c.listener_on(&pod, port).filter(|_| host == ip) {
            // An application the playground does not simulate is taken to answer its probes.
            Some(target) if unsimulated(&target) => return None,
            Some(target) => c.runtime_quietly(|c| c.http_to(target, port, &path)),
            None => crate::runtime::net::Http::Refused,
        };
        return match answer {
            crate::runtime::net::Http::Response(code, _) if (200..400).contains(&code) => None,
            crate::runtime::net::Http::Response(code, _) => {
                Some(format!("HTTP probe failed with statuscode: {code}"))
            }
            _ => Some(format!(
                "Get \"{url}\": dial tcp {host}:{port}: connect: connection refused"
            )),
        };
    }
    if let Some(tcp) = &probe.tcp_socket {
        let host = tcp.host.clone().unwrap_or_else(|| ip.clone());
        let port = match container_port(ct, &tcp.port) {
            Ok(p) => p,
            Err(why) => return Some(why),
        };
        let listening = host == ip && c.listener_on(&pod, port).is_some();
        return (!listening)
            .then(|| format!("dial tcp {host}:{port}: connect: connection refused"));
    }
    None
}

/// Why container `i`'s probe of `kind` errors instead of answering: an `exec` probe into a container whose
/// process has exited while its pod is being stopped (the status still shows it running) gets the runtime's
/// refusal. The prober records it as `errored` and throws the result away (worker.go `doProbe`), so readiness
/// stays as it was.
fn probe_error(c: &Cluster, key: &ObjectKey, i: usize, kind: ProbeKind) -> Option<String> {
    let pod = c.store.get_typed::<Pod>(&key.namespace, &key.name)?;
    let ct = pod.spec.containers.get(i)?;
    kind.of(ct)?.exec.as_ref()?;
    let exited = pod
        .status
        .container_statuses
        .get(i)
        .is_some_and(|s| s.state.running.is_some())
        && !c.process_running(&pod.metadata.uid, &ct.name);
    exited.then(|| {
        "rpc error: code = Unknown desc = failed to exec in container: container is in CONTAINER_EXITED state"
            .to_string()
    })
}

/// A probe's port: a number as it is, a name looked up among the container's ports (the kubelet's
/// `ResolveContainerPort`).
fn container_port(
    ct: &crate::model::pod::Container,
    port: &crate::model::meta::IntOrString,
) -> Result<i64, String> {
    use crate::model::meta::IntOrString;
    match port {
        IntOrString::Int(n) => Ok(*n),
        IntOrString::String(name) => ct
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port)
            .ok_or_else(|| format!("couldn't find port: {name} in {}", ct.name)),
    }
}

/// Runs an exec probe's `command` in container `name` of `pod`: `Some(why)` when it fails.
fn exec_failure(c: &mut Cluster, pod: &Pod, name: &str, command: &[String]) -> Option<String> {
    if command.is_empty() {
        return None;
    }
    let target = crate::runtime::ContainerRef {
        namespace: pod.metadata.namespace.clone(),
        pod: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        container: name.to_string(),
    };
    // A probe is no change the kubelet reacts to, even when, like a replica recording its position, it writes.
    let result = c.runtime_quietly(|c| {
        let mut host = crate::runtime::programs::ContainerHost::open(
            c,
            target,
            crate::runtime::programs::Mode::Main,
        )?;
        Some(host.exec(command, None))
    })?;
    match result {
        Err(e) => Some(format!(
            "OCI runtime exec failed: exec failed: unable to start container process: {e}: unknown"
        )),
        Ok(out) if out.status != 0 => {
            let text = out.text();
            Some(if text.trim().is_empty() {
                format!(
                    "command terminated with non-zero exit code: exit status {}",
                    out.status
                )
            } else {
                text.trim_end().to_string()
            })
        }
        Ok(_) => None,
    }
}

/// An API object changed that a probe which looks beyond its pod may depend on (the DNS records and routes
/// that Pods, Services and their endpoints make): those probes are looked at again.
pub(crate) fn observe_api(c: &mut Cluster, obj: &crate::model::Object) {
    use crate::model::Object;
    if c.kubelet.watching_cluster.is_empty() {
        return;
    }
    if matches!(
        obj,
        Object::Pod(_) | Object::Service(_) | Object::Endpoints(_) | Object::EndpointSlice(_)
    ) {
        c.runtime_changed();
    }
}

/// What some probe sees may have changed ([`Cluster::runtime_changed`]: a file, a server, a socket; or an API
/// object a probe looked at). The real prober runs every probe each period; here each running container whose
/// readiness probe, of whatever kind, now disagrees with its reported readiness gets the probe at which the
/// change shows (after `failureThreshold` or `successThreshold` periods, as `prober/worker.go` counts them),
/// each whose liveness probe now fails gets the probe that restarts it, and each not yet started its next
/// startup probe.
pub(crate) fn containers_changed(c: &mut Cluster) {
    reprobe(c, None);
}

/// [`containers_changed`] for the containers of one pod (by uid), or of all pods.
fn reprobe(c: &mut Cluster, only: Option<&str>) {
    // Every running container of a pod not yet finished: its key, pod uid, index, spec, whether it has started
    // and whether its pod is being stopped (then only readiness is probed).
    type Running = (
        ObjectKey,
        String,
        usize,
        crate::model::pod::Container,
        bool,
        bool,
    );
    let running: Vec<Running> = c
        .store
        .list::<Pod>(None)
        .filter(|p| !p.is_terminal())
        .filter(|p| only.is_none_or(|uid| p.metadata.uid == uid))
        .flat_map(|p| {
            p.spec
                .containers
                .iter()
                .enumerate()
                .filter_map(|(i, ct)| {
                    let s = p.status.container_statuses.get(i)?;
                    s.state.running.as_ref()?;
                    Some((
                        ObjectKey::new(
                            crate::model::Kind::Pod,
                            &p.metadata.namespace,
                            &p.metadata.name,
                        ),
                        p.metadata.uid.clone(),
                        i,
                        ct.clone(),
                        s.started != Some(false),
                        p.metadata.is_terminating(),
                    ))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (key, _, i, ct, started, stopping) in &running {
        if let Some(probe) = ct.liveness_probe.as_ref().filter(|_| *started && !stopping) {
            schedule_liveness(c, key, *i, probe, Seen::AfterTick);
        }
    }
    for (key, uid, i, ct, started, _) in &running {
        if let Some(probe) = ct.readiness_probe.as_ref().filter(|_| *started) {
            schedule_probe_flip(c, key, uid, *i, probe, Seen::AfterTick);
        }
    }
    for (key, uid, i, ct, started, stopping) in &running {
        if let Some(probe) = ct.startup_probe.as_ref().filter(|_| !*started && !stopping) {
            schedule_startup(c, key, uid, *i, probe, Seen::AfterTick);
        }
    }
}

/// Looks at container `i`'s liveness probe: when it fails now, queues the probe at which it has failed
/// `failureThreshold` times in a row (not before `initialDelaySeconds`); that probe restarts the container if
/// it still fails.
fn schedule_liveness(c: &mut Cluster, key: &ObjectKey, i: usize, probe: &Probe, seen: Seen) {
    let Some(uid) = c
        .store
        .get_typed::<Pod>(&key.namespace, &key.name)
        .map(|p| p.metadata.uid.clone())
    else {
        return;
    };
    let now = c.now;
    let st = ctr(c, &uid, i).clone();
    let Some(started) = st.started_at else { return };
    let (tick, _) = next_tick(now, started, probe, seen);
    let failure = probe_failure(c, key, i, ProbeKind::Liveness);
    let due = note_outcome(
        c,
        key,
        &uid,
        i,
        ProbeKind::Liveness,
        probe,
        failure.as_deref(),
        tick,
    );
    if failure.is_some() {
        let step = Step::Liveness {
            container: i,
            epoch: st.epoch,
        };
        queue_probe(c, key, &uid, i, due.max(tick), step);
    }
}

/// Why a readiness probe the learner broke fails, by probe kind: the runtime would pass it, so the wording is
/// that of a typical failure (a server answering 503, a closed port, a check exiting 1).
fn probe_failure_message(ct: &crate::model::pod::Container, ip: &str) -> String {
    let probe = ct.readiness_probe.as_ref();
    match probe.and_then(|p| p.tcp_socket.as_ref()) {
        Some(tcp) => {
            let host = tcp.host.as_deref().unwrap_or(ip);
            let port = container_port(ct, &tcp.port)
                .map_or_else(|_| tcp.port.to_string(), |p| p.to_string());
            format!("dial tcp {host}:{port}: connect: connection refused")
        }
        None if probe.is_some_and(|p| p.http_get.is_some()) => {
            "HTTP probe failed with statuscode: 503".to_string()
        }
        None => "command terminated with non-zero exit code: exit status 1".to_string(),
    }
}

/// Container `i`'s process ended with `code`. The pod's restart policy decides what follows: `Always` restarts
/// it (backing off 10s, 20s, … 5m: CrashLoopBackOff), `OnFailure` only after a failure, `Never` leaves it
/// terminated and, once every container has ended, the pod Succeeded or Failed.
fn exited(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize, code: i32, reason: &str) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let uid = pod.metadata.uid.clone();
    let now = c.now;
    let policy = pod.spec.restart_policy.as_deref().unwrap_or("Always");
    let restart = match policy {
        "Never" => false,
        "OnFailure" => code != 0,
        _ => true,
    };
    let restarts = pod
        .status
        .container_statuses
        .get(i)
        .map_or(0, |s| s.restart_count);
    // A container that is not running is not probed.
    stop_unhealthy(
        c,
        &uid,
        i,
        &ProbeKind::ALL,
        Time(now.millis().saturating_sub(1)),
    );
    let (epoch, backoff) = {
        let st = ctr(c, &uid, i);
        st.epoch += 1;
        if st.behaviour.crash == Crash::Once {
            st.behaviour.crash = Crash::No;
        }
        // The first restart is immediate; later ones back off 10s, 20s, … 5m.
        if restarts > 0 && restart {
            st.restart_backoff_ms = next_backoff(st.restart_backoff_ms);
        }
        (
            st.epoch,
            if restarts > 0 {
                st.restart_backoff_ms
            } else {
                0
            },
        )
    };
    let name = ct.name.clone();
    c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
        if let Some(s) = p.status.container_statuses.get_mut(i) {
            let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
            s.state = terminated(code, reason, started_at, now);
            s.ready = false;
            s.started = Some(false);
        }
        if !restart {
            let states: Vec<Option<i32>> = p
                .status
                .container_statuses
                .iter()
                .map(|s| s.state.terminated.as_ref().map(|t| t.exit_code))
                .collect();
            if states.iter().all(Option::is_some) {
                let failed = states.iter().any(|c| *c != Some(0));
                p.status.phase = if failed { "Failed" } else { "Succeeded" }.into();
            }
        }
        refresh_pod_conditions(p, now);
    });
    if !restart {
        return;
    }
    if backoff > 0 {
        crash_loop_back_off(c, key, pod, Statuses::Regular, i, &name, backoff);
    }
    c.schedule(
        backoff.max(500),
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step: Step::Restart {
                container: i,
                epoch,
            },
        },
    );
}

/// The kubelet stops every running container of the pod at once (kuberuntime_container.go
/// `killContainersWithSyncResult`, a goroutine per container): each gets its `Killing` event, its preStop hook
/// and SIGTERM, and is done when its own process exits — or is killed when what is left of the grace period
/// runs out. Liveness and startup probing stop now; readiness probing goes on (kubelet.go `SyncTerminatingPod`
/// calls `StopLivenessAndStartup`), so a container whose server has gone can unready the pod meanwhile.
fn begin_stop(c: &mut Cluster, key: &ObjectKey, pod: &Pod) {
    let grace_ms = stop_grace_ms(pod);
    let uid = pod.metadata.uid.clone();
    let last = Time(c.now.millis().saturating_sub(1));
    for i in 0..pod.spec.containers.len() {
        stop_unhealthy(c, &uid, i, &[ProbeKind::Liveness, ProbeKind::Startup], last);
    }
    let running: Vec<usize> = pod
        .status
        .container_statuses
        .iter()
        .enumerate()
        .filter(|(i, s)| s.state.running.is_some() && *i < pod.spec.containers.len())
        .map(|(i, _)| i)
        .collect();
    let rt = c.kubelet.pods.entry(uid.clone()).or_default();
    rt.stopping_containers = running.iter().copied().collect();
    if running.is_empty() {
        c.schedule(
            0,
            Timer::Kubelet {
                pod: key.clone(),
                uid,
                step: Step::Stopped,
            },
        );
        return;
    }
    for i in running {
        let Some(name) = pod.spec.containers.get(i).map(|ct| ct.name.clone()) else {
            continue;
        };
        kill_container(
            c,
            key,
            pod,
            i,
            grace_ms,
            &format!("Stopping container {name}"),
        );
    }
}

/// `minimumGracePeriodInSeconds`: whatever the preStop hook took, a container gets this long after SIGTERM.
const MIN_GRACE_MS: u64 = 2_000;

/// kuberuntime_container.go `killContainer` for container `i`: the `Killing` event (`message`), the preStop hook
/// (within the grace period), then SIGTERM with the grace period left, at least 2s. What the process does with
/// the signal decides when it exits and how (see [`images::on_sigterm`]); [`Step::ProcessExited`] reports it.
fn kill_container(
    c: &mut Cluster,
    key: &ObjectKey,
    pod: &Pod,
    i: usize,
    grace_ms: u64,
    message: &str,
) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    container_event(c, pod, &ct.name, EventType::Normal, "Killing", message);
    let hook_ms = pre_stop(c, pod, i, grace_ms);
    // The hook's time is taken off in whole seconds, as `executePreStopHook` reports it.
    let left = grace_ms
        .saturating_sub(hook_ms / 1000 * 1000)
        .max(MIN_GRACE_MS);
    let pid1 = pod.spec.share_process_namespace != Some(true);
    let program = crate::runtime::programs::main_program(ct);
    let (after, code) = match images::on_sigterm(&program, pid1) {
        images::OnSigterm::ShutsDown => (c.config.timings.container_stop_ms, 0),
        images::OnSigterm::ShutsDownSlowly => (c.config.timings.database_stop_ms, 0),
        images::OnSigterm::Ignores => (u64::MAX, 137),
        images::OnSigterm::Dies => (0, 143),
    };
    let (after, code) = if after > left {
        (left, 137)
    } else {
        (after, code)
    };
    let uid = pod.metadata.uid.clone();
    // What was planned for the container's run is void; only its exit is awaited.
    let kill = {
        let st = ctr(c, &uid, i);
        st.epoch += 1;
        st.killing = Some(st.epoch);
        st.epoch
    };
    c.schedule(
        hook_ms + after,
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step: Step::ProcessExited {
                container: i,
                kill,
                code,
            },
        },
    );
}

/// Runs container `i`'s preStop hook, if it has one, and answers how long it took (at most `grace_ms`): an
/// `exec` command runs in the container (a `sleep` in it is time the hook takes), `sleep` waits its seconds,
/// `httpGet` asks the pod's server. A hook that fails records `FailedPreStopHook` (without its output, which
/// may hold secrets).
fn pre_stop(c: &mut Cluster, pod: &Pod, i: usize, grace_ms: u64) -> u64 {
    let Some(ct) = pod.spec.containers.get(i) else {
        return 0;
    };
    let Some(hook) = ct
        .lifecycle
        .as_ref()
        .and_then(|l| l.get("preStop"))
        .cloned()
    else {
        return 0;
    };
    if grace_ms == 0 {
        return 0;
    }
    let (took, ok) = if let Some(seconds) = hook.pointer("/sleep/seconds").and_then(|v| v.as_u64())
    {
        (seconds.saturating_mul(1000), true)
    } else if let Some(command) = hook.pointer("/exec/command").and_then(|v| v.as_array()) {
        let argv: Vec<String> = command
            .iter()
            .filter_map(|w| w.as_str().map(str::to_string))
            .collect();
        let target = crate::runtime::ContainerRef {
            namespace: pod.metadata.namespace.clone(),
            pod: pod.metadata.name.clone(),
            uid: pod.metadata.uid.clone(),
            container: ct.name.clone(),
        };
        let ran = crate::runtime::programs::ContainerHost::open(
            c,
            target,
            crate::runtime::programs::Mode::Main,
        )
        .map(|mut host| {
            let out = host.exec(&argv, None);
            let waited = match host.wait.take() {
                Some(ordinal_sh::Wait::For(ms)) => ms,
                Some(_) => u64::MAX,
                None => 0,
            };
            (waited, out.is_ok_and(|o| o.status == 0))
        });
        ran.unwrap_or((0, false))
    } else if hook.get("httpGet").is_some() {
        let ip = pod.status.pod_ip.clone().unwrap_or_default();
        let path = hook
            .pointer("/httpGet/path")
            .and_then(|v| v.as_str())
            .unwrap_or("/")
            .to_string();
        let port = hook
            .pointer("/httpGet/port")
            .and_then(|v| serde_json::from_value::<crate::model::meta::IntOrString>(v.clone()).ok())
            .and_then(|p| container_port(ct, &p).ok())
            .unwrap_or(80);
        let answer = match c.listener_on(pod, port).filter(|_| !ip.is_empty()) {
            Some(target) => c.runtime_quietly(|c| c.http_to(target, port, &path)),
            None => crate::runtime::net::Http::Refused,
        };
        let ok = matches!(answer, crate::runtime::net::Http::Response(code, _) if (200..400).contains(&code));
        (0, ok)
    } else {
        (0, true)
    };
    if !ok {
        container_event(
            c,
            pod,
            &ct.name,
            EventType::Warning,
            "FailedPreStopHook",
            "PreStopHook failed",
        );
    }
    took.min(grace_ms)
}

/// The grace period of a kill for a failed liveness or startup probe: the probe's own
/// `terminationGracePeriodSeconds`, else the pod's (kuberuntime_container.go `setTerminationGracePeriod`).
fn probe_kill_grace_ms(pod: &Pod, probe: &Probe) -> u64 {
    let seconds = probe
        .termination_grace_period_seconds
        .or(pod.spec.termination_grace_period_seconds)
        .unwrap_or(30);
    u64::try_from(seconds).unwrap_or(0) * 1000
}

/// The process of container `i` has exited with `code` after SIGTERM (or SIGKILL): its servers stop serving at
/// once. In a pod being stopped, the container is done, and the pod once all of them are; a container killed
/// for a failed probe is restarted as its pod's restart policy says.
fn process_exited(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize, code: i32) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    c.runtime_process_stopped(pod, &ct.name);
    let stopping = pod.metadata.is_terminating() || pod.is_terminal();
    if !stopping {
        let reason = if code == 0 { "Completed" } else { "Error" };
        return exited(c, key, pod, i, code, reason);
    }
    let now = c.now;
    let uid = pod.metadata.uid.clone();
    ctr(c, &uid, i).exited = Some((code, now));
    let rt = c.kubelet.pods.entry(uid).or_default();
    rt.stopping_containers.remove(&i);
    if rt.stopping_containers.is_empty() {
        finish_stop(c, key, pod);
    }
}

/// Every container has exited: the kubelet reports each one's end (its exit code and time) and the pod's
/// terminal phase, and the pod object goes for good. Readiness probing ends with it.
fn finish_stop(c: &mut Cluster, key: &ObjectKey, pod: &Pod) {
    let now = c.now;
    let deleting = pod.metadata.is_terminating();
    let uid = pod.metadata.uid.clone();
    for i in 0..pod.spec.containers.len() {
        stop_unhealthy(c, &uid, i, &ProbeKind::ALL, now);
    }
    let ends: Vec<Option<(i32, Time)>> = (0..pod.spec.containers.len())
        .map(|i| {
            c.kubelet
                .pods
                .get(&uid)
                .and_then(|rt| rt.containers.get(&i))
                .and_then(|st| st.exited)
        })
        .collect();
    let was_running = pod
        .status
        .container_statuses
        .iter()
        .any(|s| s.state.running.is_some());
    c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
        let mut any_error = false;
        for (i, s) in p.status.container_statuses.iter_mut().enumerate() {
            let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
            if started_at.is_some() {
                let (code, at) = ends.get(i).copied().flatten().unwrap_or((0, now));
                let reason = if code == 0 { "Completed" } else { "Error" };
                s.state = terminated(code, reason, started_at, at);
                any_error |= code != 0;
            }
            s.ready = false;
            s.started = Some(false);
        }
        // A pod the kubelet already failed (its deadline passed) keeps that phase and reason.
        if was_running && !p.is_terminal() {
            p.status.phase = if any_error { "Failed" } else { "Succeeded" }.into();
        }
        p.set_condition("Ready", false, now);
        p.set_condition("ContainersReady", false, now);
        if deleting {
            p.metadata.deletion_grace_period_seconds = Some(0);
        }
    });
    if deleting {
        c.finish_deletion_if_done(key);
    }
}

/// How long the kubelet waits after SIGTERM: the grace period of the deletion, else the pod's own
/// `terminationGracePeriodSeconds` (30 when unset).
fn stop_grace_ms(pod: &Pod) -> u64 {
    let seconds = pod
        .metadata
        .deletion_grace_period_seconds
        .or(pod.spec.termination_grace_period_seconds)
        .unwrap_or(30);
    u64::try_from(seconds).unwrap_or(0) * 1000
}

// ---- faults a learner can inject, and the node coming back ----

/// Changes containers' behaviour (`which`: one container, or all when `None`) and re-plans their timers.
/// The learner-set behaviour of a pod's containers, by container index (empty for a pod the kubelet has not
/// seen).
pub(crate) fn behaviour_of(c: &Cluster, pod_uid: &str) -> Vec<Behaviour> {
    c.kubelet.pods.get(pod_uid).map_or_else(Vec::new, |rt| {
        rt.containers
            .range(..INIT_INDEX_BASE)
            .map(|(_, ct)| ct.behaviour)
            .collect()
    })
}

pub(crate) fn set_behaviour(
    c: &mut Cluster,
    pod: &Pod,
    which: Option<usize>,
    change: impl Fn(&mut Behaviour),
) {
    let key = ObjectKey::new(
        crate::model::Kind::Pod,
        &pod.metadata.namespace,
        &pod.metadata.name,
    );
    let uid = pod.metadata.uid.clone();
    for (i, ct) in pod.spec.containers.iter().enumerate() {
        if which.is_some_and(|w| w != i) {
            continue;
        }
        let running = pod
            .status
            .container_statuses
            .get(i)
            .is_some_and(|s| s.state.running.is_some());
        let (before, after) = {
            let st = ctr(c, &uid, i);
            let before = st.behaviour;
            change(&mut st.behaviour);
            (before, st.behaviour)
        };
        if before == after || !running {
            continue;
        }
        if after.crash != Crash::No && before.crash == Crash::No {
            let epoch = {
                let st = ctr(c, &uid, i);
                st.epoch += 1;
                st.epoch
            };
            let step = Step::Crashed {
                container: i,
                epoch,
            };
            c.schedule(
                0,
                Timer::Kubelet {
                    pod: key.clone(),
                    uid: uid.clone(),
                    step,
                },
            );
            continue;
        }
        // Without a readiness probe a container is ready while it runs: breaking readiness then changes
        // nothing, exactly as on a real cluster.
        if let (true, Some(probe)) = (
            before.readiness_broken != after.readiness_broken,
            &ct.readiness_probe,
        ) {
            ctr(c, &uid, i).epoch += 1;
            schedule_probe_flip(c, &key, &uid, i, probe, Seen::AfterTick);
        }
    }
}

/// The pod fails: every container exits with an error and the phase becomes Failed (a node-side failure such as
/// an eviction for memory pressure).
pub(crate) fn fail(c: &mut Cluster, pod: &Pod) {
    let now = c.now;
    for i in 0..pod.spec.containers.len() {
        stop_unhealthy(
            c,
            &pod.metadata.uid,
            i,
            &ProbeKind::ALL,
            Time(now.millis().saturating_sub(1)),
        );
    }
    if let Some(rt) = c.kubelet.pods.get_mut(&pod.metadata.uid) {
        for st in rt.containers.values_mut() {
            st.epoch += 1;
        }
    }
    c.store
        .modify::<Pod>(&pod.metadata.namespace, &pod.metadata.name, now, |p| {
            for s in &mut p.status.container_statuses {
                let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
                s.state = terminated(1, "Error", started_at, now);
                s.ready = false;
                s.started = Some(false);
            }
            p.status.phase = "Failed".into();
            p.set_condition("Ready", false, now);
            p.set_condition("ContainersReady", false, now);
        });
}

/// A pod on a returning node: its key, its readiness probes by container, its uid.
type ProbedPod = (ObjectKey, Vec<(usize, Probe)>, String);

/// A node came back: replay what its kubelet missed and look at every pod bound to it.
pub(crate) fn node_returned(c: &mut Cluster, node: &str) {
    let now = c.now;
    for (key, uid, step) in c.kubelet.deferred.remove(node).unwrap_or_default() {
        c.timers.push(
            now,
            Timer::Kubelet {
                pod: key,
                uid,
                step,
            },
        );
    }
    let pods: Vec<ProbedPod> = c
        .store
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name.as_deref() == Some(node))
        .map(|p| {
            let probes = p
                .spec
                .containers
                .iter()
                .enumerate()
                .filter_map(|(i, ct)| ct.readiness_probe.clone().map(|pr| (i, pr)))
                .collect();
            (
                ObjectKey::new(
                    crate::model::Kind::Pod,
                    &p.metadata.namespace,
                    &p.metadata.name,
                ),
                probes,
                p.metadata.uid.clone(),
            )
        })
        .collect();
    for (key, probes, uid) in pods {
        c.queues[crate::controllers::Controllers::KUBELET].add(key.clone());
        // Readiness is reported again by the returning kubelet.
        c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
            if !p.metadata.is_terminating() && !p.is_terminal() {
                for (i, s) in p.status.container_statuses.iter_mut().enumerate() {
                    if s.state.running.is_some()
                        && s.started != Some(false)
                        && !probes.iter().any(|(j, _)| *j == i)
                    {
                        s.ready = true;
                    }
                }
                refresh_pod_conditions(p, now);
            }
        });
        for (i, probe) in probes {
            schedule_probe_flip(c, &key, &uid, i, &probe, Seen::AtTick);
        }
    }
}

/// The learner left the shell attached to a container's main process (`exit` after `kubectl run -it`): the
/// process ends with `code` now.
pub fn end_main_process(c: &mut Cluster, target: &crate::runtime::ContainerRef, code: i32) {
    let Some(pod) = c
        .store
        .get_typed::<Pod>(&target.namespace, &target.pod)
        .filter(|p| p.metadata.uid == target.uid)
        .cloned()
    else {
        return;
    };
    let Some(i) = pod
        .spec
        .containers
        .iter()
        .position(|ct| ct.name == target.container)
    else {
        return;
    };
    let running = pod
        .status
        .container_statuses
        .get(i)
        .is_some_and(|s| s.state.running.is_some());
    if !running {
        return;
    }
    // What the script would have run next never runs.
    c.runtime
        .processes
        .remove(&(target.uid.clone(), target.container.clone()));
    let epoch = ctr(c, &target.uid, i).epoch;
    let key = ObjectKey::new(crate::model::Kind::Pod, &target.namespace, &target.pod);
    c.schedule(
        0,
        Timer::Kubelet {
            pod: key,
            uid: target.uid.clone(),
            step: Step::Exited {
                container: i,
                epoch,
                code,
            },
        },
    );
}

/// Takes on a pod that was already running when the simulation began (kind's own pods): the kubelet does not
/// start it again, and its node holds its images, as kind's node image ships them preloaded.
pub(crate) fn adopt_running(c: &mut Cluster, pod: &Pod) {
    c.kubelet
        .pods
        .entry(pod.metadata.uid.clone())
        .or_default()
        .started = true;
    if let Some(node) = &pod.spec.node_name {
        for ct in pod.spec.containers.iter().chain(&pod.spec.init_containers) {
            c.kubelet.images.insert((node.clone(), ct.image.clone()));
        }
    }
}

/// Routes a watch event (until this controller returns decisions).
pub(crate) fn route_event(
    c: &mut Cluster,
    type_: crate::store::WatchEventType,
    obj: &crate::model::Object,
) {
    observe_api(c, obj);
    if let crate::model::Object::Pod(pod) = obj {
        if type_ == crate::store::WatchEventType::Deleted {
            forget(c, pod);
        } else if pod.spec.node_name.is_some() {
            let key = ObjectKey::new(
                crate::model::Kind::Pod,
                &pod.metadata.namespace,
                &pod.metadata.name,
            );
            c.queues[crate::controllers::Controllers::KUBELET].add(key);
        }
    }
}
