//! The prober: startup, readiness and liveness probes (exec, httpGet, tcpSocket) run against the simulated
//! runtime, counted in runs of equal answers as `prober/worker.go` counts them, with their `Unhealthy` Events;
//! event-driven, so a probe is looked at again when what it sees may have changed.

use super::*;

/// Container `i` has started (no startup probe, or it passed): its readiness and liveness probes begin.
pub(super) fn begin_probing(
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
pub(super) fn queue_probe(
    c: &mut Cluster,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    at: Time,
    step: Step,
) {
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
pub(super) fn next_tick(now: Time, started: Time, probe: &Probe, seen: Seen) -> (Time, u64) {
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
pub(super) enum Seen {
    /// It was: a probe due now sees it (a container just started, a probe chain carrying on).
    AtTick,
    /// It came after: the learner's command, or a change made at this instant.
    AfterTick,
}

/// How many answers in a row change what a probe reports: `failureThreshold` (default 3) failures, or
/// `successThreshold` (default 1) successes.
pub(super) fn threshold(probe: &Probe, failing: bool) -> u64 {
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
pub(super) fn note_outcome(
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
pub(super) fn probe_period_ms(probe: &Probe) -> u64 {
    probe.period_seconds.unwrap_or(10).max(1) as u64 * 1000
}

/// The prober records a Warning `Unhealthy` event at every probe that fails (prober.go `probe`), so a probe that
/// keeps failing counts its event up every period (`(x12 over 2m)`). Its failures are one repeating event from
/// the first failing probe (`since`) until the probe passes (`message` `None` for a run of passes from `since`);
/// a new wording (another status code) is another event from the probe at `tick` on.
#[allow(clippy::too_many_arguments)]
pub(super) fn track_unhealthy(
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
pub(super) fn stop_unhealthy(
    c: &mut Cluster,
    uid: &str,
    i: usize,
    kinds: &[ProbeKind],
    last: Time,
) {
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
pub(super) fn schedule_startup(
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
pub(super) fn startup_tick(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize) {
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
pub(super) fn schedule_probe_flip(
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
pub(super) fn readiness_errors(
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
pub(super) fn readiness_answer(
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
pub(super) fn probe_flip(c: &mut Cluster, key: &ObjectKey, pod: &Pod, i: usize) {
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
pub(super) enum ProbeKind {
    Readiness,
    Liveness,
    Startup,
}

impl ProbeKind {
    pub(super) const ALL: [ProbeKind; 3] = [
        ProbeKind::Readiness,
        ProbeKind::Liveness,
        ProbeKind::Startup,
    ];

    /// As the prober's messages name it (`probeType.String()`).
    pub(super) fn title(self) -> &'static str {
        match self {
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Startup => "Startup",
        }
    }

    pub(super) fn of(self, ct: &crate::model::pod::Container) -> Option<&Probe> {
        match self {
            ProbeKind::Readiness => ct.readiness_probe.as_ref(),
            ProbeKind::Liveness => ct.liveness_probe.as_ref(),
            ProbeKind::Startup => ct.startup_probe.as_ref(),
        }
    }
}

/// Runs container `i`'s readiness probe against the runtime now: `Some(why)` when it fails.
pub(super) fn readiness_failure(c: &mut Cluster, key: &ObjectKey, i: usize) -> Option<String> {
    probe_failure(c, key, i, ProbeKind::Readiness)
}

/// Runs container `i`'s probe of `kind` against the container runtime now, as the kubelet's prober does:
/// `exec` runs the command in the container, `httpGet` asks the server listening on the pod's IP, `tcpSocket`
/// connects to it. `Some(why)` when it fails, worded as the `Unhealthy` event words it after "probe failed: ".
/// Containers that do not run, and gRPC probes, answer `None` (their outcome follows the learner's faults).
pub(super) fn probe_failure(
    c: &mut Cluster,
    key: &ObjectKey,
    i: usize,
    kind: ProbeKind,
) -> Option<String> {
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
pub(super) fn poll(c: &mut Cluster, key: &ObjectKey, uid: &str, i: usize, kind: ProbeKind) {
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
pub(super) fn probe_outcome(
    c: &mut Cluster,
    key: &ObjectKey,
    i: usize,
    kind: ProbeKind,
) -> Option<String> {
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
pub(super) fn probe_error(
    c: &Cluster,
    key: &ObjectKey,
    i: usize,
    kind: ProbeKind,
) -> Option<String> {
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
pub(super) fn container_port(
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
pub(super) fn exec_failure(
    c: &mut Cluster,
    pod: &Pod,
    name: &str,
    command: &[String],
) -> Option<String> {
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
pub(super) fn reprobe(c: &mut Cluster, only: Option<&str>) {
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
pub(super) fn schedule_liveness(
    c: &mut Cluster,
    key: &ObjectKey,
    i: usize,
    probe: &Probe,
    seen: Seen,
) {
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
pub(super) fn probe_failure_message(ct: &crate::model::pod::Container, ip: &str) -> String {
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

/// The grace period of a kill for a failed liveness or startup probe: the probe's own
/// `terminationGracePeriodSeconds`, else the pod's (kuberuntime_container.go `setTerminationGracePeriod`).
pub(super) fn probe_kill_grace_ms(pod: &Pod, probe: &Probe) -> u64 {
    let seconds = probe
        .termination_grace_period_seconds
        .or(pod.spec.termination_grace_period_seconds)
        .unwrap_or(30);
    u64::try_from(seconds).unwrap_or(0) * 1000
}
