//! The prober: startup, readiness and liveness probes (exec, httpGet, tcpSocket), run by the container runtime
//! ([`Call::Probe`]), counted in runs of equal answers as `prober/worker.go` counts them, with their
//! `Unhealthy` Events; event-driven, so a probe is looked at again when what it sees may have changed.

use super::*;

use crate::runtime::cri::{container_port, ProbeAnswer};

/// Container `i` has started (no startup probe, or it passed): its readiness and liveness probes begin.
pub(super) fn begin_probing(
    cx: &mut Cx,
    key: &ObjectKey,
    uid: &str,
    ct: &crate::model::pod::Container,
    i: usize,
) {
    if let Some(probe) = ct.readiness_probe.clone() {
        schedule_probe_flip(cx, key, uid, i, &probe, Seen::AtTick);
    } else if ct.startup_probe.is_some() {
        // Without a readiness probe a container is ready once started.
        let now = cx.now();
        cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
            if let Some(s) = p.status.container_statuses.get_mut(i) {
                s.ready = true;
            }
            refresh_pod_conditions(p, now);
        });
    }
    if let Some(live) = ct.liveness_probe.clone() {
        let key = key.clone();
        cx.then(move |cx| schedule_liveness(cx, &key, i, &live, Seen::AtTick));
    }
}

/// Queues a probe tick (`Probe`, `Startup` or `Liveness` of container `i`) unless the same tick is queued.
pub(super) fn queue_probe(cx: &mut Cx, key: &ObjectKey, uid: &str, i: usize, at: Time, step: Step) {
    let now = cx.now();
    let queued = &mut cx.ctr(uid, i).queued_probes;
    queued.retain(|(t, _)| *t >= now);
    if queued.contains(&(at, step)) {
        return;
    }
    queued.push((at, step));
    cx.wake_at(at, key, uid, step);
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
/// prober acts on it. A failing run is recorded as an `Unhealthy` event at each of its probes — which may
/// take a look at the recorder, so what follows is decided after it ([`Cx::then`]).
#[allow(clippy::too_many_arguments)]
pub(super) fn note_outcome(
    cx: &mut Cx,
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
    let runs = &mut cx.ctr(uid, i).runs;
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
    track_unhealthy(cx, key, uid, i, kind, period, message, run.since, tick);
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
    cx: &mut Cx,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    kind: ProbeKind,
    period: u64,
    message: Option<String>,
    since: Time,
    tick: Time,
) {
    let current = cx.ctr(uid, i).unhealthy.get(&kind).cloned();
    let Some(message) = message else {
        if let Some(u) = current {
            cx.d.stop_repeating(u.id, since.just_before());
            cx.ctr(uid, i).unhealthy.remove(&kind);
        }
        return;
    };
    let (key, uid) = (key.clone(), uid.to_string());
    match current {
        Some(u) if u.message == message && u.first <= since => {
            // The same failures going on, or resumed before any probe saw them pass.
            cx.d.resume_repeating(u.id, move |going| {
                let mut d = Decision::none();
                if !going {
                    // Its occurrences so far are recorded: it goes on from the first probe after now.
                    d.hint(resume(move |cx| {
                        let now = cx.now();
                        let first = if now < since {
                            since
                        } else {
                            since.plus((now.since(since) / period + 1) * period)
                        };
                        start_unhealthy(cx, &key, &uid, i, kind, period, message, first);
                    }));
                }
                d
            });
        }
        Some(u) => {
            let last = if u.message == message { since } else { tick };
            // Paused rather than stopped: the entry stays if the pod has gone meanwhile.
            cx.d.pause_repeating(u.id, last.just_before());
            start_unhealthy(cx, &key, &uid, i, kind, period, message, last);
        }
        None => start_unhealthy(cx, &key, &uid, i, kind, period, message, since),
    }
}

/// Records probe `kind` of container `i` failing with `message` at every probe from `first` on.
#[allow(clippy::too_many_arguments)]
fn start_unhealthy(
    cx: &mut Cx,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    kind: ProbeKind,
    period: u64,
    message: String,
    first: Time,
) {
    let Some(pod) = cx.pod(key).filter(|p| p.metadata.uid == uid).cloned() else {
        return;
    };
    let Some(name) = pod.spec.containers.get(i).map(|ct| ct.name.clone()) else {
        return;
    };
    let event = (EventType::Warning, "Unhealthy", message.as_str());
    let id = cx.start_repeating(&pod, &name, event, first, period);
    cx.ctr(uid, i)
        .unhealthy
        .insert(kind, Unhealthy { id, message, first });
}

/// The container's probes stop (it exited, or its pod is going): their failures are recorded up to `last`.
pub(super) fn stop_unhealthy(cx: &mut Cx, uid: &str, i: usize, kinds: &[ProbeKind], last: Time) {
    let Some(st) =
        cx.k.pods
            .get_mut(uid)
            .and_then(|p| p.containers.get_mut(&i))
    else {
        return;
    };
    let ids: Vec<Handle> = kinds
        .iter()
        .filter_map(|k| st.unhealthy.remove(k))
        .map(|u| u.id)
        .collect();
    for id in ids {
        cx.d.stop_repeating(id, last);
    }
}

/// Plans container `i`'s startup probe: its next tick when it passes now, else the tick at which it has failed
/// `failureThreshold` times in a row and the container is killed if it still fails.
pub(super) fn schedule_startup(
    cx: &mut Cx,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    probe: &Probe,
    seen: Seen,
) {
    let now = cx.now();
    let st = cx.ctr(uid, i).clone();
    let Some(started) = st.started_at else { return };
    let (tick, _) = next_tick(now, started, probe, seen);
    let (key, uid, probe) = (key.clone(), uid.to_string(), probe.clone());
    run_probe(
        cx,
        &key.clone(),
        i,
        ProbeKind::Startup,
        false,
        move |cx, failure| {
            let failure = failure.unwrap_or_default();
            let failing = failure.is_some();
            let due = note_outcome(
                cx,
                &key,
                &uid,
                i,
                ProbeKind::Startup,
                &probe,
                failure.as_deref(),
                tick,
            );
            cx.then(move |cx| {
                let at = if failing { due.max(tick) } else { tick };
                let step = Step::Startup {
                    container: i,
                    epoch: st.epoch,
                };
                queue_probe(cx, &key, &uid, i, at, step);
            });
        },
    );
}

/// A startup probe tick: the container has started when the probe passes; when it has failed
/// `failureThreshold` times in a row, the kubelet kills the container to restart it.
pub(super) fn startup_tick(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize) {
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
    let now = cx.now();
    let (key, pod, ct) = (key.clone(), pod.clone(), ct.clone());
    run_probe(
        cx,
        &key.clone(),
        i,
        ProbeKind::Startup,
        false,
        move |cx, failure| {
            let failure = failure.unwrap_or_default();
            let due = note_outcome(
                cx,
                &key,
                &uid,
                i,
                ProbeKind::Startup,
                &probe,
                failure.as_deref(),
                now,
            );
            cx.then(move |cx| match failure {
                None => {
                    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
                        if let Some(s) = p.status.container_statuses.get_mut(i) {
                            s.started = Some(true);
                        }
                    });
                    begin_probing(cx, &key, &uid, &ct, i);
                }
                Some(_) if now < due => schedule_startup(cx, &key, &uid, i, &probe, Seen::AtTick),
                Some(_) => {
                    // This probe's failure is the last one recorded before the kill.
                    stop_unhealthy(cx, &uid, i, &[ProbeKind::Startup], now);
                    let message = format!(
                        "Container {} failed startup probe, will be restarted",
                        ct.name
                    );
                    let grace = probe_kill_grace_ms(&pod, &probe);
                    kill_container(cx, &key, &pod, i, grace, &message);
                }
            });
        },
    );
}

/// A liveness probe tick (`step`): when the probe has failed `failureThreshold` times in a row by now, the
/// kubelet kills the container to restart it.
pub(super) fn liveness_tick(cx: &mut Cx, key: &ObjectKey, pod: &Pod, container: usize, step: Step) {
    let Some(probe) = pod
        .spec
        .containers
        .get(container)
        .and_then(|ct| ct.liveness_probe.clone())
    else {
        return;
    };
    let uid = pod.metadata.uid.clone();
    let now = cx.now();
    let (key, pod) = (key.clone(), pod.clone());
    let kind = ProbeKind::Liveness;
    run_probe(
        cx,
        &key.clone(),
        container,
        kind,
        false,
        move |cx, failure| {
            let failure = failure.unwrap_or_default();
            let due = note_outcome(
                cx,
                &key,
                &uid,
                container,
                kind,
                &probe,
                failure.as_deref(),
                now,
            );
            if failure.is_none() {
                return;
            }
            cx.then(move |cx| {
                if now < due {
                    // An earlier plan; this run of failures is not long enough yet.
                    queue_probe(cx, &key, &uid, container, due, step);
                    return;
                }
                let Some(name) = pod.spec.containers.get(container).map(|ct| ct.name.clone())
                else {
                    return;
                };
                // This probe's failure is the last one recorded before the kill.
                stop_unhealthy(cx, &uid, container, &[kind], now);
                let message = format!("Container {name} failed liveness probe, will be restarted");
                let grace = probe_kill_grace_ms(&pod, &probe);
                kill_container(cx, &key, &pod, container, grace, &message);
            });
        },
    );
}

/// Looks at container `i`'s readiness probe: when what it answers now disagrees with the readiness the status
/// shows, queues the probe at which the run of answers reaches its threshold and readiness flips; a failure
/// never reported yet is reported at the next probe.
pub(super) fn schedule_probe_flip(
    cx: &mut Cx,
    key: &ObjectKey,
    uid: &str,
    i: usize,
    probe: &Probe,
    seen: Seen,
) {
    let now = cx.now();
    let st = cx.ctr(uid, i).clone();
    let Some(started) = st.started_at else { return };
    let (tick, _) = next_tick(now, started, probe, seen);
    let (key, uid, probe) = (key.clone(), uid.to_string(), probe.clone());
    let kind = ProbeKind::Readiness;
    run_probe(cx, &key.clone(), i, kind, true, move |cx, answer| {
        let failure = match answer {
            Err(err) => return readiness_errors(cx, &key, &uid, i, &probe, &err, tick),
            Ok(failure) => readiness_answer(cx, &key, i, st.behaviour, failure),
        };
        let failing = failure.is_some();
        let due = note_outcome(cx, &key, &uid, i, kind, &probe, failure.as_deref(), tick);
        cx.then(move |cx| {
            let ready = cx
                .pod(&key)
                .and_then(|p| p.status.container_statuses.get(i))
                .is_some_and(|s| s.ready);
            if failing == ready {
                let step = Step::Probe {
                    container: i,
                    epoch: st.epoch,
                };
                queue_probe(cx, &key, &uid, i, due.max(tick), step);
            }
        });
    });
}

/// Container `i`'s readiness probe errors from the probe at `tick` on: each probe records
/// `Readiness probe errored and resulted in unknown state: …` (prober.go `probe`), and readiness is left as
/// it was.
pub(super) fn readiness_errors(
    cx: &mut Cx,
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
        cx,
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

/// What container `i`'s readiness probe answers, given what the runtime answered (`failure`): a readiness the
/// learner broke fails whatever the runtime would answer, worded as a typical failure of that kind of probe.
pub(super) fn readiness_answer(
    cx: &Cx,
    key: &ObjectKey,
    i: usize,
    behaviour: Behaviour,
    failure: Option<String>,
) -> Option<String> {
    if failure.is_some() || !behaviour.readiness_broken {
        return failure;
    }
    let pod = cx.pod(key)?;
    let ct = pod.spec.containers.get(i)?;
    Some(probe_failure_message(
        ct,
        pod.status.pod_ip.as_deref().unwrap_or_default(),
    ))
}

/// A readiness probe tick: readiness flips when the run of answers that disagrees with it has reached its
/// threshold; a run still short of it waits for the tick at which it will.
pub(super) fn probe_flip(cx: &mut Cx, key: &ObjectKey, pod: &Pod, i: usize) {
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
    let was_ready = pod
        .status
        .container_statuses
        .get(i)
        .is_some_and(|s| s.ready);
    let key = key.clone();
    run_probe(
        cx,
        &key.clone(),
        i,
        ProbeKind::Readiness,
        true,
        move |cx, answer| {
            let now = cx.now();
            let failure = match answer {
                Err(err) => return readiness_errors(cx, &key, &uid, i, &probe, &err, now),
                Ok(failure) => {
                    let behaviour = cx.ctr(&uid, i).behaviour;
                    readiness_answer(cx, &key, i, behaviour, failure)
                }
            };
            let broken = failure.is_some();
            let due = note_outcome(
                cx,
                &key,
                &uid,
                i,
                ProbeKind::Readiness,
                &probe,
                failure.as_deref(),
                now,
            );
            cx.then(move |cx| {
                let flips = was_ready == broken && now >= due;
                if flips {
                    cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
                        if let Some(s) = p.status.container_statuses.get_mut(i) {
                            s.ready = !broken;
                        }
                        refresh_pod_conditions(p, now);
                    });
                } else if was_ready == broken {
                    let step = Step::Probe {
                        container: i,
                        epoch: cx.ctr(&uid, i).epoch,
                    };
                    queue_probe(cx, &key, &uid, i, due, step);
                }
            });
        },
    );
}

pub(crate) use crate::runtime::cri::ProbeKind;

/// Has the runtime run container `i`'s probe of `kind` now, as the kubelet's prober does, and decides the rest
/// with `then` from its answer: `Ok(Some(why))` when it fails, `Ok(None)` when it passes, and — with
/// `errors` — `Err(why)` when it could not run. A probe that looked beyond its pod is watched for changes of
/// the API objects behind what it saw; one that read the clock runs again at its next tick.
pub(super) fn run_probe(
    cx: &mut Cx,
    key: &ObjectKey,
    i: usize,
    kind: ProbeKind,
    errors: bool,
    then: impl FnOnce(&mut Cx, Result<Option<String>, String>) + 'static,
) {
    let call = Call::Probe {
        pod: key.clone(),
        container: i,
        kind,
        errors,
    };
    let key = key.clone();
    cx.runtime(call, move |cx, answer| {
        let (failure, observed) = match answer.probe() {
            ProbeAnswer::Errored(why) => return then(cx, Err(why)),
            ProbeAnswer::Ran { failure, observed } => (failure, observed),
        };
        if let Some(uid) = cx.pod(&key).map(|p| p.metadata.uid.clone()) {
            let entry = (uid.clone(), i, kind);
            if observed.cluster {
                cx.k.watching_cluster.insert(entry);
            } else {
                cx.k.watching_cluster.remove(&entry);
            }
            if observed.clock {
                poll(cx, &key, &uid, i, kind);
            }
        }
        then(cx, Ok(failure));
    });
}

/// A probe that read the clock may answer differently at any tick, with nothing else changing: it runs again
/// at its next one, as the prober runs every probe each period.
pub(super) fn poll(cx: &mut Cx, key: &ObjectKey, uid: &str, i: usize, kind: ProbeKind) {
    let Some(probe) = cx
        .pod(key)
        .and_then(|p| p.spec.containers.get(i))
        .and_then(|ct| kind.of(ct))
        .cloned()
    else {
        return;
    };
    let st = cx.ctr(uid, i).clone();
    let Some(started) = st.started_at else { return };
    let (tick, _) = next_tick(cx.now(), started, &probe, Seen::AfterTick);
    let (container, epoch) = (i, st.epoch);
    let step = match kind {
        ProbeKind::Readiness => Step::Probe { container, epoch },
        ProbeKind::Liveness => Step::Liveness { container, epoch },
        ProbeKind::Startup => Step::Startup { container, epoch },
    };
    queue_probe(cx, key, uid, i, tick, step);
}

/// An API object changed that a probe which looks beyond its pod may depend on (the DNS records and routes
/// that Pods, Services and their endpoints make): those probes are looked at again.
pub(super) fn observe_api(cx: &mut Cx, obj: &Object) {
    if cx.k.watching_cluster.is_empty() {
        return;
    }
    if matches!(
        obj,
        Object::Pod(_) | Object::Service(_) | Object::Endpoints(_) | Object::EndpointSlice(_)
    ) {
        cx.d.runtime(Call::Changed);
    }
}

/// What some probe sees may have changed (a file, a server, a socket; or an API object a probe looked at), or
/// a pod's container started or ended (`only`: that pod's uid). The real prober runs every probe each period;
/// here each running container whose readiness probe, of whatever kind, now disagrees with its reported
/// readiness gets the probe at which the change shows (after `failureThreshold` or `successThreshold`
/// periods, as `prober/worker.go` counts them), each whose liveness probe now fails gets the probe that
/// restarts it, and each not yet started its next startup probe.
pub(super) fn reprobe(cx: &mut Cx, only: Option<&str>) {
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
    let running: Vec<Running> = cx
        .view
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
    // Each look decides after the one before it has been applied, as the prober's workers take turns.
    for (key, _, i, ct, started, stopping) in running.clone() {
        if let Some(probe) = ct.liveness_probe.filter(|_| started && !stopping) {
            cx.then(move |cx| schedule_liveness(cx, &key, i, &probe, Seen::AfterTick));
        }
    }
    for (key, uid, i, ct, started, _) in running.clone() {
        if let Some(probe) = ct.readiness_probe.filter(|_| started) {
            cx.then(move |cx| schedule_probe_flip(cx, &key, &uid, i, &probe, Seen::AfterTick));
        }
    }
    for (key, uid, i, ct, started, stopping) in running {
        if let Some(probe) = ct.startup_probe.filter(|_| !started && !stopping) {
            cx.then(move |cx| schedule_startup(cx, &key, &uid, i, &probe, Seen::AfterTick));
        }
    }
}

/// Looks at container `i`'s liveness probe: when it fails now, queues the probe at which it has failed
/// `failureThreshold` times in a row (not before `initialDelaySeconds`); that probe restarts the container if
/// it still fails.
pub(super) fn schedule_liveness(cx: &mut Cx, key: &ObjectKey, i: usize, probe: &Probe, seen: Seen) {
    let Some(uid) = cx.pod(key).map(|p| p.metadata.uid.clone()) else {
        return;
    };
    let now = cx.now();
    let st = cx.ctr(&uid, i).clone();
    let Some(started) = st.started_at else { return };
    let (tick, _) = next_tick(now, started, probe, seen);
    let (key, probe) = (key.clone(), probe.clone());
    let kind = ProbeKind::Liveness;
    run_probe(cx, &key.clone(), i, kind, false, move |cx, failure| {
        let failure = failure.unwrap_or_default();
        let due = note_outcome(cx, &key, &uid, i, kind, &probe, failure.as_deref(), tick);
        if failure.is_some() {
            cx.then(move |cx| {
                let step = Step::Liveness {
                    container: i,
                    epoch: st.epoch,
                };
                queue_probe(cx, &key, &uid, i, due.max(tick), step);
            });
        }
    });
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
