//! The kubelet of every node: takes a pod bound to its node through sandbox creation, image pulls, init
//! containers and container start to Running and Ready, and through graceful termination to removal. Each
//! stage that takes time is a timer; the pod's status is rewritten at each stage, so `kubectl get pods -w`
//! shows the same sequence of lines a real cluster prints (k8s-behaviour.md 4.2).

use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::{Cluster, Timer};
use crate::events::{EventType, Source};
use crate::model::pod::{ContainerState, ContainerStatus, StateRunning, StateTerminated};
use crate::model::{Node, Pod};
use crate::store::ObjectKey;

/// A stage that completes after a delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The sandbox is up: the pod has its IP.
    SandboxReady,
    /// Init container `i` has pulled and started.
    InitStarted(usize),
    /// Init container `i` exited 0.
    InitDone(usize),
    /// Regular container `i` has pulled and started.
    ContainerStarted(usize),
    /// Container `i`'s readiness probe first succeeds.
    ReadinessPassed(usize),
    /// Every container has stopped after SIGTERM (or the grace period ran out).
    Stopped,
}

/// What the kubelet remembers about each pod it runs, by pod uid.
#[derive(Debug, Default)]
pub struct State {
    pods: BTreeMap<String, PodRuntime>,
    /// (node, image) pairs already pulled.
    images: BTreeSet<(String, String)>,
}

#[derive(Debug, Default)]
struct PodRuntime {
    started: bool,
    stopping: bool,
}

/// How long an init container runs before it exits successfully.
const INIT_RUN_MS: u64 = 2_000;

fn source(node: &str) -> Source {
    Source {
        component: "kubelet",
        host: Some(node.to_string()),
    }
}

pub(crate) fn forget(c: &mut Cluster, pod: &Pod) {
    c.kubelet.pods.remove(&pod.metadata.uid);
    if let Some(ip) = &pod.status.pod_ip {
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
    let uid = seen.metadata.uid.clone();
    let terminating = seen.metadata.is_terminating();
    let rt = c.kubelet.pods.entry(uid.clone()).or_default();
    if terminating {
        if !rt.stopping {
            rt.stopping = true;
            let pod = seen.clone();
            begin_stop(c, key, &pod);
        }
        return;
    }
    if rt.started {
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
        // The pod's status lists init containers as waiting only once they are tried.
        for s in &mut p.status.init_container_statuses {
            s.state = ContainerState::waiting("PodInitializing");
        }
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

pub(crate) fn on_timer(c: &mut Cluster, key: &ObjectKey, uid: &str, step: Step) {
    let Some(pod) = c.store.get_typed::<Pod>(&key.namespace, &key.name).cloned() else {
        return;
    };
    if pod.metadata.uid != uid {
        return;
    }
    if pod.metadata.is_terminating() && step != Step::Stopped {
        return;
    }
    let now = c.now;
    let node = pod.spec.node_name.clone().unwrap_or_default();
    match step {
        Step::SandboxReady => {
            let ip = allocate_pod_ip(c, &node);
            c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
                p.status.pod_ip = Some(ip);
                p.set_condition("PodReadyToStartContainers", true, now);
            });
            if pod.spec.init_containers.is_empty() {
                start_containers(c, key, &pod);
            } else {
                start_init(c, key, &pod, 0);
            }
        }
        Step::InitStarted(i) => {
            c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
                if let Some(s) = p.status.init_container_statuses.get_mut(i) {
                    s.state = ContainerState {
                        running: Some(StateRunning {
                            started_at: Some(now),
                        }),
                        ..Default::default()
                    };
                    s.started = Some(true);
                }
            });
            let uid = uid.to_string();
            c.schedule(
                INIT_RUN_MS,
                Timer::Kubelet {
                    pod: key.clone(),
                    uid,
                    step: Step::InitDone(i),
                },
            );
        }
        Step::InitDone(i) => {
            c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
                if let Some(s) = p.status.init_container_statuses.get_mut(i) {
                    let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
                    s.state = ContainerState {
                        terminated: Some(StateTerminated {
                            exit_code: 0,
                            reason: Some("Completed".into()),
                            started_at,
                            finished_at: Some(now),
                        }),
                        ..Default::default()
                    };
                    s.started = Some(false);
                    s.ready = true;
                }
            });
            if i + 1 < pod.spec.init_containers.len() {
                start_init(c, key, &pod, i + 1);
            } else {
                c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
                    p.set_condition("Initialized", true, now);
                    for s in &mut p.status.container_statuses {
                        s.state = ContainerState::waiting("PodInitializing");
                    }
                });
                start_containers(c, key, &pod);
            }
        }
        Step::ContainerStarted(i) => {
            let probe_delay = pod
                .spec
                .containers
                .get(i)
                .and_then(|ct| ct.readiness_probe.as_ref())
                .map(|p| {
                    // The first probe runs after initialDelaySeconds; a probe with no delay runs right away.
                    p.initial_delay_seconds.unwrap_or(0).max(0) as u64 * 1000
                });
            let name = pod
                .spec
                .containers
                .get(i)
                .map(|ct| ct.name.clone())
                .unwrap_or_default();
            c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
                if let Some(s) = p.status.container_statuses.get_mut(i) {
                    s.state = ContainerState {
                        running: Some(StateRunning {
                            started_at: Some(now),
                        }),
                        ..Default::default()
                    };
                    s.started = Some(true);
                    s.ready = probe_delay.is_none();
                }
                refresh_pod_conditions(p, now);
            });
            let src = source(&node);
            c.record_event(
                &pod,
                EventType::Normal,
                "Created",
                &format!("Created container: {name}"),
                src.clone(),
            );
            c.record_event(
                &pod,
                EventType::Normal,
                "Started",
                &format!("Started container {name}"),
                src,
            );
            if let Some(delay) = probe_delay {
                let uid = uid.to_string();
                c.schedule(
                    delay.max(1),
                    Timer::Kubelet {
                        pod: key.clone(),
                        uid,
                        step: Step::ReadinessPassed(i),
                    },
                );
            }
        }
        Step::ReadinessPassed(i) => {
            c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
                if let Some(s) = p.status.container_statuses.get_mut(i) {
                    s.ready = true;
                }
                refresh_pod_conditions(p, now);
            });
        }
        Step::Stopped => finish_stop(c, key, &pod),
    }
}

/// Running when every container runs; Ready when every container is ready.
fn refresh_pod_conditions(p: &mut Pod, now: crate::clock::Time) {
    let all_running = p
        .status
        .container_statuses
        .iter()
        .all(|s| s.state.running.is_some());
    let all_ready = !p.status.container_statuses.is_empty()
        && p.status.container_statuses.iter().all(|s| s.ready);
    if all_running {
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
    let host = c.ipam.next_pod_host.entry(node.to_string()).or_insert(2);
    let ip = format!("{prefix}.{host}");
    *host = if *host >= 254 { 2 } else { *host + 1 };
    ip
}

/// Pulls (if needed) and schedules the start of one image; returns the delay until the container runs.
fn pull(c: &mut Cluster, pod: &Pod, image: &str, policy: Option<&str>) -> u64 {
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let present = c
        .kubelet
        .images
        .contains(&(node.clone(), image.to_string()));
    let src = source(&node);
    let t = c.config.timings.clone();
    if present && policy != Some("Always") {
        let msg = format!("Container image \"{image}\" already present on machine");
        c.record_event(pod, EventType::Normal, "Pulled", &msg, src);
        return t.container_start_ms;
    }
    c.record_event(
        pod,
        EventType::Normal,
        "Pulling",
        &format!("Pulling image \"{image}\""),
        src.clone(),
    );
    let took = if present {
        t.image_pull_ms / 6
    } else {
        t.image_pull_ms
    };
    let d = go_duration(took);
    let msg = format!(
        "Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {} bytes.",
        image_size(image)
    );
    c.record_event(pod, EventType::Normal, "Pulled", &msg, src);
    c.kubelet.images.insert((node, image.to_string()));
    took + t.container_start_ms
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

fn start_init(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.init_containers.get(i) else {
        return;
    };
    let delay = pull(
        c,
        pod,
        &ct.image.clone(),
        ct.image_pull_policy.clone().as_deref(),
    );
    let uid = pod.metadata.uid.clone();
    c.schedule(
        delay,
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step: Step::InitStarted(i),
        },
    );
}

fn start_containers(c: &mut Cluster, key: &ObjectKey, pod: &Pod) {
    for (i, ct) in pod.spec.containers.iter().enumerate() {
        let delay = pull(c, pod, &ct.image, ct.image_pull_policy.as_deref());
        let uid = pod.metadata.uid.clone();
        c.schedule(
            delay,
            Timer::Kubelet {
                pod: key.clone(),
                uid,
                step: Step::ContainerStarted(i),
            },
        );
    }
}

/// SIGTERM: containers that handle it stop quickly; the grace period caps the wait either way.
fn begin_stop(c: &mut Cluster, key: &ObjectKey, pod: &Pod) {
    let grace_ms = pod
        .metadata
        .deletion_grace_period_seconds
        .unwrap_or(30)
        .max(0) as u64
        * 1000;
    let running = pod
        .status
        .container_statuses
        .iter()
        .any(|s| s.state.running.is_some());
    let node = pod.spec.node_name.clone().unwrap_or_default();
    if running {
        for ct in &pod.spec.containers {
            let msg = format!("Stopping container {}", ct.name);
            c.record_event(pod, EventType::Normal, "Killing", &msg, source(&node));
        }
    }
    let stop = if running {
        c.config.timings.container_stop_ms.min(grace_ms)
    } else {
        0
    };
    let uid = pod.metadata.uid.clone();
    c.schedule(
        stop,
        Timer::Kubelet {
            pod: key.clone(),
            uid,
            step: Step::Stopped,
        },
    );
}

/// The containers have exited: report the final state, then delete the pod object for good.
fn finish_stop(c: &mut Cluster, key: &ObjectKey, pod: &Pod) {
    let now = c.now;
    let was_running = pod
        .status
        .container_statuses
        .iter()
        .any(|s| s.state.running.is_some());
    c.store.modify::<Pod>(&key.namespace, &key.name, now, |p| {
        for s in &mut p.status.container_statuses {
            let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
            if started_at.is_some() {
                s.state = ContainerState {
                    terminated: Some(StateTerminated {
                        exit_code: 0,
                        reason: Some("Completed".into()),
                        started_at,
                        finished_at: Some(now),
                    }),
                    ..Default::default()
                };
            }
            s.ready = false;
            s.started = Some(false);
        }
        if was_running {
            p.status.phase = "Succeeded".into();
        }
        p.set_condition("Ready", false, now);
        p.set_condition("ContainersReady", false, now);
        p.metadata.deletion_grace_period_seconds = Some(0);
    });
    c.finish_deletion_if_done(key);
}
