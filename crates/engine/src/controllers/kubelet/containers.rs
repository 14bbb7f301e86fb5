//! A pod's containers through their lives: the sandbox's successors — image pulls (with their back-off),
//! init containers, container start, a process's exit, crashes and CrashLoopBackOff — and stopping them: the
//! preStop hook, SIGTERM, the grace period and SIGKILL, and the pod's `activeDeadlineSeconds`.

use super::*;

/// When a pod's `activeDeadlineSeconds` runs out: that long after its `status.startTime` (kubelet
/// active_deadline.go `pastActiveDeadline`). `None` without a deadline or before the kubelet started it.
pub(super) fn active_deadline(pod: &Pod) -> Option<Time> {
    let seconds = u64::try_from(pod.spec.active_deadline_seconds?).ok()?;
    Some(pod.status.start_time?.plus(seconds.saturating_mul(1000)))
}

/// Sets a timer for the pod's active deadline, once per deadline: the kubelet looks at every pod's deadline
/// on its one-second sync tick (kubelet.go `getPodsToSync`, `ShouldSync`), so a deadline set or lowered on a
/// running pod is acted on as soon as it has passed.
pub(super) fn time_active_deadline(cx: &mut Cx, key: &ObjectKey) {
    let Some(pod) = cx.pod(key) else {
        return;
    };
    let Some(at) = active_deadline(pod) else {
        return;
    };
    let uid = pod.metadata.uid.clone();
    let rt = cx.k.pods.entry(uid.clone()).or_default();
    if rt.deadline == Some(at) {
        return;
    }
    rt.deadline = Some(at);
    let now = cx.now();
    cx.wake(at.since(now), key, &uid, Step::ActiveDeadline);
}

/// The deadline has passed: the kubelet's active deadline handler evicts the pod (`ShouldEvict`, with a Normal
/// `DeadlineExceeded` event), so the status it writes is phase Failed with that reason and message
/// (kubelet_pods.go `generateAPIPodStatus`), and the pod's containers are then stopped as on deletion, with
/// the pod's termination grace period.
pub(super) fn deadline_exceeded(cx: &mut Cx, key: &ObjectKey, pod: &Pod) {
    const REASON: &str = "DeadlineExceeded";
    const MESSAGE: &str = "Pod was active on the node longer than the specified deadline";
    let now = cx.now();
    let node = pod.spec.node_name.clone().unwrap_or_default();
    cx.d.event(pod, EventType::Normal, REASON, MESSAGE, source(&node));
    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
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
    // The containers stop as the pod now reads, failed.
    let key = key.clone();
    cx.then(move |cx| {
        let Some(failed) = cx.pod(&key).cloned() else {
            return;
        };
        if let Some(rt) = cx.k.pods.get_mut(&failed.metadata.uid) {
            rt.stopping = true;
        }
        begin_stop(cx, &key, &failed);
    });
}

pub(super) fn waiting_status(name: &str, image: &str, reason: &str) -> ContainerStatus {
    ContainerStatus {
        name: name.to_string(),
        image: image.to_string(),
        started: Some(false),
        state: ContainerState::waiting(reason),
        ..Default::default()
    }
}

pub(super) fn waiting_with(reason: &str, message: String) -> ContainerState {
    ContainerState {
        waiting: Some(StateWaiting {
            reason: Some(reason.to_string()),
            message: Some(message),
        }),
        ..Default::default()
    }
}

/// Acts on where container `i`'s process (init container `i`'s, if `init`) stands after it started or was
/// resumed: its exit is reported, its wait is timed, a process that runs until stopped needs nothing.
pub(super) fn follow_process(
    cx: &mut Cx,
    key: &ObjectKey,
    pod: &Pod,
    i: usize,
    init: bool,
    progress: crate::runtime::Progress,
) {
    use crate::runtime::Progress;
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
            let started = cx
                .pod(key)
                .and_then(|p| p.status.init_container_statuses.get(i))
                .and_then(|s| s.state.running.as_ref())
                .and_then(|r| r.started_at);
            let now = cx.now();
            let ran = started.map_or(0, |t| now.since(t));
            let step = if code == 0 {
                Step::InitDone(i)
            } else {
                Step::InitFailed { index: i, code }
            };
            (INIT_RUN_MS.saturating_sub(ran), step)
        }
        Progress::Exited(code) => {
            let epoch = cx.ctr(&uid, i).epoch;
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
    cx.wake(after, key, &uid, step);
}

pub(super) fn terminated(
    code: i32,
    reason: &str,
    started_at: Option<Time>,
    now: Time,
) -> ContainerState {
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
pub(super) fn refresh_pod_conditions(p: &mut Pod, now: Time) {
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

/// A duration as Go's `time.Duration.String` prints whole-millisecond spans under a minute: `6s`, `2.5s`.
pub(super) fn go_duration(ms: u64) -> String {
    let (s, rem) = (ms / 1000, ms % 1000);
    if rem == 0 {
        format!("{s}s")
    } else {
        let frac = format!("{rem:03}");
        format!("{s}.{}s", frac.trim_end_matches('0'))
    }
}

/// A stable, plausible compressed image size, so the Pulled event reads like a real one.
pub(super) fn image_size(image: &str) -> u64 {
    let h = image.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    40_000_000 + h % 60_000_000
}

/// Init container `i` exited with `code`: the pod fails under `restartPolicy: Never`; otherwise the init
/// container runs again after the kubelet's back-off (`Init:Error`, then `Init:CrashLoopBackOff`).
pub(super) fn init_failed(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize, code: i32) {
    let Some(ct) = pod.spec.init_containers.get(i) else {
        return;
    };
    let now = cx.now();
    let uid = pod.metadata.uid.clone();
    let never = pod.spec.restart_policy.as_deref() == Some("Never");
    let restarts = pod
        .status
        .init_container_statuses
        .get(i)
        .map_or(0, |s| s.restart_count);
    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
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
        let st = cx.ctr(&uid, INIT_INDEX_BASE + i);
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
        crash_loop_back_off(cx, key, pod, Statuses::Init, i, &ct.name, backoff);
    }
    cx.wake(backoff.max(500), key, &uid, Step::InitRestart(i));
}

/// Which of a pod's container status lists a container's status is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Statuses {
    Init,
    Regular,
}

/// Container `i` (named `name`) of the `which` list failed and waits `backoff_ms` before it runs again: its
/// terminated state moves to lastState, it shows `CrashLoopBackOff` with the kubelet's back-off message, and the
/// kubelet records its `BackOff` event. The waiting state is written a millisecond after the terminated one, a
/// later sync of the kubelet, so watchers see the exit before the back-off.
pub(super) fn crash_loop_back_off(
    cx: &mut Cx,
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
    let at = cx.now().plus(1);
    cx.d.patch_at::<Pod>(at, &key.namespace, &key.name, move |p| {
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
    cx.container_event(pod, name, EventType::Warning, "BackOff", &msg);
    let event = (EventType::Warning, "BackOff", msg.as_str());
    let slot = match which {
        Statuses::Init => INIT_INDEX_BASE + i,
        Statuses::Regular => i,
    };
    resyncs_in_back_off(cx, pod, name, slot, event, backoff_ms);
}

/// Every sync of a pod whose container is in back-off records the back-off event again
/// (kuberuntime_manager.go `doBackOff`, images/image_manager.go for pulls): the pod worker syncs it when the
/// back-off ends, or after its resync interval if that comes first, so a long back-off counts its event up
/// once a minute until the retry.
pub(super) fn resyncs_in_back_off(
    cx: &mut Cx,
    pod: &Pod,
    container: &str,
    index: usize,
    event: (EventType, &str, &str),
    backoff_ms: u64,
) {
    if backoff_ms <= RESYNC_MS {
        return;
    }
    let now = cx.now();
    let handle = cx.start_repeating(pod, container, event, now.plus(RESYNC_MS), RESYNC_MS);
    // Stopped for now; the pod going stops it earlier if it goes first.
    cx.d.pause_repeating(handle, now.plus(backoff_ms - 1));
    cx.ctr(&pod.metadata.uid, index).resync_events.push(handle);
}

/// Where init containers' back-off state is kept in a pod's container table.
pub(super) const INIT_INDEX_BASE: usize = 1_000;

/// Pulls (or finds) an init container's image; init images are the tutorials' own and always exist.
pub(super) fn start_init(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.init_containers.get(i) else {
        return;
    };
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let delay = match pull_time(cx, &node, &ct.image, ct.image_pull_policy.as_deref()) {
        None => {
            let msg = format!(
                "Container image \"{}\" already present on machine",
                ct.image
            );
            cx.container_event(pod, &ct.name, EventType::Normal, "Pulled", &msg);
            0
        }
        Some(took) => {
            pulled_events(cx, pod, &ct.name, &ct.image, took);
            took
        }
    };
    cx.k.images.insert((node.clone(), ct.image.clone()));
    let name = ct.name.clone();
    created_and_started(cx, pod, &name);
    let uid = pod.metadata.uid.clone();
    let start = delay + cx.view.config.timings.container_start_ms;
    cx.wake(start, key, &uid, Step::InitStarted(i));
}

/// The runtime created and started container `name`.
pub(super) fn created_and_started(cx: &mut Cx, pod: &Pod, name: &str) {
    let msg = format!("Created container: {name}");
    cx.container_event(pod, name, EventType::Normal, "Created", &msg);
    let msg = format!("Started container {name}");
    cx.container_event(pod, name, EventType::Normal, "Started", &msg);
}

/// How long pulling `image` takes on `node`, or `None` when it is present and the policy allows using it.
pub(super) fn pull_time(cx: &Cx, node: &str, image: &str, policy: Option<&str>) -> Option<u64> {
    let present = cx.k.images.contains(&(node.to_string(), image.to_string()));
    let pull_ms = cx.view.config.timings.image_pull_ms;
    match (present, policy) {
        (true, Some("Always")) => Some(pull_ms / 6),
        (true, _) => None,
        (false, _) => Some(pull_ms),
    }
}

pub(super) fn pulled_events(cx: &mut Cx, pod: &Pod, container: &str, image: &str, took: u64) {
    let msg = format!("Pulling image \"{image}\"");
    cx.container_event(pod, container, EventType::Normal, "Pulling", &msg);
    pulled(cx, pod, container, image, took);
}

/// The `Pulled` event of a finished pull, worded as the kubelet words it.
pub(super) fn pulled(cx: &mut Cx, pod: &Pod, container: &str, image: &str, took: u64) {
    let d = go_duration(took);
    let msg = format!(
        "Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {} bytes.",
        image_size(image)
    );
    cx.container_event(pod, container, EventType::Normal, "Pulled", &msg);
}

/// The runtime creates and starts container `i` once its image is present.
pub(super) fn schedule_start(cx: &mut Cx, key: &ObjectKey, uid: String, i: usize) {
    let epoch = cx.ctr(&uid, i).epoch;
    let ms = cx.view.config.timings.container_start_ms;
    let step = Step::ContainerStarted {
        container: i,
        epoch,
    };
    cx.wake(ms, key, &uid, step);
}

/// Starts getting container `i`'s image: present, pulled after a delay, or refused by the registry.
pub(super) fn begin_pull(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let uid = pod.metadata.uid.clone();
    let exists = images::check_pull(&ct.image).is_ok();
    match pull_time(cx, &node, &ct.image, ct.image_pull_policy.as_deref()).filter(|_| exists) {
        None if exists => {
            let msg = format!(
                "Container image \"{}\" already present on machine",
                ct.image
            );
            cx.container_event(pod, &ct.name, EventType::Normal, "Pulled", &msg);
            schedule_start(cx, key, uid, i);
        }
        _ => {
            let msg = format!("Pulling image \"{}\"", ct.image);
            cx.container_event(pod, &ct.name, EventType::Normal, "Pulling", &msg);
            // A missing tag is refused after the registry round trip, quicker than a whole pull.
            let pull_ms = cx.view.config.timings.image_pull_ms;
            let ms = if exists { pull_ms } else { pull_ms / 4 };
            cx.wake(ms, key, &uid, Step::PullDone { container: i });
        }
    }
}

pub(super) fn pull_done(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let uid = pod.metadata.uid.clone();
    let image = ct.image.clone();
    match images::check_pull(&image) {
        Ok(()) => {
            let took = cx.view.config.timings.image_pull_ms;
            pulled(cx, pod, &ct.name, &image, took);
            cx.k.images.insert((node, image));
            schedule_start(cx, key, uid, i);
        }
        Err(why) => {
            let failed = format!("Failed to pull image \"{image}\": {why}");
            cx.container_event(pod, &ct.name, EventType::Warning, "Failed", &failed);
            cx.container_event(
                pod,
                &ct.name,
                EventType::Warning,
                "Failed",
                "Error: ErrImagePull",
            );
            let backoff = {
                let st = cx.ctr(&uid, i);
                st.pull_backoff_ms = next_backoff(st.pull_backoff_ms);
                st.pull_backoff_ms
            };
            // ErrImagePull first; the kubelet's next sync shows the back-off.
            let state = waiting_with("ErrImagePull", failed);
            cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
                if let Some(s) = p.status.container_statuses.get_mut(i) {
                    s.state = state;
                }
            });
            cx.wake(1_000, key, &uid, Step::PullBackOff { container: i });
            cx.wake(backoff, key, &uid, Step::PullRetry { container: i });
        }
    }
}

/// Starts (or restarts) container `i`: running, ready unless it has a readiness probe.
pub(super) fn run_container(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize, restart: bool) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let uid = pod.metadata.uid.clone();
    let now = cx.now();
    let probe = ct.readiness_probe.clone();
    let has_startup = ct.startup_probe.is_some();
    let name = ct.name.clone();
    let image = ct.image.clone();
    if restart {
        let msg = format!(
            "Container image \"{}\" already present on machine",
            ct.image
        );
        cx.container_event(pod, &name, EventType::Normal, "Pulled", &msg);
    }
    let (epoch, crash) = {
        let st = cx.ctr(&uid, i);
        st.started_at = Some(now);
        st.exited = None;
        st.killing = None;
        st.runs.clear();
        (st.epoch, st.behaviour.crash)
    };
    cx.d.runtime(Call::CreateContainer {
        pod: Box::new(pod.clone()),
        container: name.clone(),
        image: ct.image.clone(),
    });
    let (id_uid, id_name) = (uid.clone(), name.clone());
    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
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
                crate::sha256::hex_digest(&format!("{id_uid}/{id_name}/{}", s.restart_count))
            );
        }
        refresh_pod_conditions(p, now);
    });
    created_and_started(cx, pod, &name);
    if crash != Crash::No {
        let step = Step::Crashed {
            container: i,
            epoch,
        };
        cx.wake(CRASH_AFTER_MS, key, &uid, step);
        return;
    }
    let call = Call::StartMain {
        pod: Box::new(pod.clone()),
        index: i,
    };
    let (key, pod, ct) = (key.clone(), pod.clone(), ct.clone());
    cx.runtime(call, move |cx, answer| {
        let plan = answer.plan();
        if let Some(err) = &plan.start_error {
            cx.container_event(
                &pod,
                &name,
                EventType::Warning,
                "Failed",
                &format!("Error: {err}"),
            );
        }
        follow_process(cx, &key, &pod, i, false, plan.progress);
        match ct.startup_probe.clone() {
            Some(startup) => schedule_startup(cx, &key, &uid, i, &startup, Seen::AtTick),
            None => begin_probing(cx, &key, &uid, &ct, i),
        }
    });
}

/// Container `i`'s process ended with `code`. The pod's restart policy decides what follows: `Always` restarts
/// it (backing off 10s, 20s, … 5m: CrashLoopBackOff), `OnFailure` only after a failure, `Never` leaves it
/// terminated and, once every container has ended, the pod Succeeded or Failed.
pub(super) fn exited(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize, code: i32, reason: &str) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    let uid = pod.metadata.uid.clone();
    let now = cx.now();
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
    stop_unhealthy(cx, &uid, i, &ProbeKind::ALL, now.just_before());
    let (epoch, backoff) = {
        let st = cx.ctr(&uid, i);
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
    let reason = reason.to_string();
    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
        if let Some(s) = p.status.container_statuses.get_mut(i) {
            let started_at = s.state.running.as_ref().and_then(|r| r.started_at);
            s.state = terminated(code, &reason, started_at, now);
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
        crash_loop_back_off(cx, key, pod, Statuses::Regular, i, &name, backoff);
    }
    let step = Step::Restart {
        container: i,
        epoch,
    };
    cx.wake(backoff.max(500), key, &uid, step);
}

/// The kubelet stops every running container of the pod at once (kuberuntime_container.go
/// `killContainersWithSyncResult`, a goroutine per container): each gets its `Killing` event, its preStop hook
/// and SIGTERM, and is done when its own process exits — or is killed when what is left of the grace period
/// runs out. Liveness and startup probing stop now; readiness probing goes on (kubelet.go `SyncTerminatingPod`
/// calls `StopLivenessAndStartup`), so a container whose server has gone can unready the pod meanwhile.
pub(super) fn begin_stop(cx: &mut Cx, key: &ObjectKey, pod: &Pod) {
    let grace_ms = stop_grace_ms(pod);
    let uid = pod.metadata.uid.clone();
    let last = cx.now().just_before();
    for i in 0..pod.spec.containers.len() {
        stop_unhealthy(
            cx,
            &uid,
            i,
            &[ProbeKind::Liveness, ProbeKind::Startup],
            last,
        );
    }
    let running: Vec<usize> = pod
        .status
        .container_statuses
        .iter()
        .enumerate()
        .filter(|(i, s)| s.state.running.is_some() && *i < pod.spec.containers.len())
        .map(|(i, _)| i)
        .collect();
    let rt = cx.k.pods.entry(uid.clone()).or_default();
    rt.stopping_containers = running.iter().copied().collect();
    if running.is_empty() {
        cx.wake(0, key, &uid, Step::Stopped);
        return;
    }
    for i in running {
        let Some(name) = pod.spec.containers.get(i).map(|ct| ct.name.clone()) else {
            continue;
        };
        kill_container(
            cx,
            key,
            pod,
            i,
            grace_ms,
            &format!("Stopping container {name}"),
        );
    }
}

/// `minimumGracePeriodInSeconds`: whatever the preStop hook took, a container gets this long after SIGTERM.
pub(super) const MIN_GRACE_MS: u64 = 2_000;

/// kuberuntime_container.go `killContainer` for container `i`: the `Killing` event (`message`), the preStop hook
/// (within the grace period; one that fails records `FailedPreStopHook`, without its output, which may hold
/// secrets), then SIGTERM with the grace period left, at least 2s. What the process does with the signal
/// decides when it exits and how (see [`images::on_sigterm`]); [`Step::ProcessExited`] reports it.
pub(super) fn kill_container(
    cx: &mut Cx,
    key: &ObjectKey,
    pod: &Pod,
    i: usize,
    grace_ms: u64,
    message: &str,
) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    cx.container_event(pod, &ct.name, EventType::Normal, "Killing", message);
    let call = Call::PreStop {
        pod: Box::new(pod.clone()),
        container: i,
        grace_ms,
    };
    let (key, pod, ct) = (key.clone(), pod.clone(), ct.clone());
    cx.runtime(call, move |cx, answer| {
        let (hook_ms, ok) = answer.pre_stop();
        if !ok {
            cx.container_event(
                &pod,
                &ct.name,
                EventType::Warning,
                "FailedPreStopHook",
                "PreStopHook failed",
            );
        }
        // The hook's time is taken off in whole seconds, as `executePreStopHook` reports it.
        let left = grace_ms
            .saturating_sub(hook_ms / 1000 * 1000)
            .max(MIN_GRACE_MS);
        let pid1 = pod.spec.share_process_namespace != Some(true);
        let program = crate::runtime::main_program(&ct);
        let timings = &cx.view.config.timings;
        let (after, code) = match images::on_sigterm(&program, pid1) {
            images::OnSigterm::ShutsDown => (timings.container_stop_ms, 0),
            images::OnSigterm::ShutsDownSlowly => (timings.database_stop_ms, 0),
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
            let st = cx.ctr(&uid, i);
            st.epoch += 1;
            st.killing = Some(st.epoch);
            st.epoch
        };
        let step = Step::ProcessExited {
            container: i,
            kill,
            code,
        };
        cx.wake(hook_ms + after, &key, &uid, step);
    });
}

/// The process of container `i` has exited with `code` after SIGTERM (or SIGKILL): its servers stop serving at
/// once. In a pod being stopped, the container is done, and the pod once all of them are; a container killed
/// for a failed probe is restarted as its pod's restart policy says.
pub(super) fn process_exited(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize, code: i32) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return;
    };
    cx.d.runtime(Call::ProcessStopped {
        pod: Box::new(pod.clone()),
        container: ct.name.clone(),
    });
    let stopping = pod.metadata.is_terminating() || pod.is_terminal();
    if !stopping {
        let reason = if code == 0 { "Completed" } else { "Error" };
        return exited(cx, key, pod, i, code, reason);
    }
    let now = cx.now();
    let uid = pod.metadata.uid.clone();
    cx.ctr(&uid, i).exited = Some((code, now));
    let rt = cx.k.pods.entry(uid).or_default();
    rt.stopping_containers.remove(&i);
    if rt.stopping_containers.is_empty() {
        finish_stop(cx, key, pod);
    }
}

/// Every container has exited: the kubelet reports each one's end (its exit code and time) and the pod's
/// terminal phase, and the pod object goes for good. Readiness probing ends with it.
pub(super) fn finish_stop(cx: &mut Cx, key: &ObjectKey, pod: &Pod) {
    let now = cx.now();
    let deleting = pod.metadata.is_terminating();
    let uid = pod.metadata.uid.clone();
    for i in 0..pod.spec.containers.len() {
        stop_unhealthy(cx, &uid, i, &ProbeKind::ALL, now);
    }
    let ends: Vec<Option<(i32, Time)>> = (0..pod.spec.containers.len())
        .map(|i| {
            cx.k.pods
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
    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
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
        cx.d.push(crate::controllers::Action::FinishDeletion(key.clone()));
    }
}

/// How long the kubelet waits after SIGTERM: the grace period of the deletion, else the pod's own
/// `terminationGracePeriodSeconds` (30 when unset).
pub(super) fn stop_grace_ms(pod: &Pod) -> u64 {
    let seconds = pod
        .metadata
        .deletion_grace_period_seconds
        .or(pod.spec.termination_grace_period_seconds)
        .unwrap_or(30);
    u64::try_from(seconds).unwrap_or(0) * 1000
}

// ---- faults a learner can inject, and the node coming back ----
