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

mod containers;
mod node;
mod probes;

use containers::*;
use node::*;
use probes::*;

pub(crate) use node::{
    adopt_running, behaviour_of, end_main_process, fail, node_returned, set_behaviour,
};
pub(crate) use probes::{containers_changed, observe_api};

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
