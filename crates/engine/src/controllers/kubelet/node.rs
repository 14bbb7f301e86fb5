//! What concerns the node as a whole: the faults a learner injects into its containers, the node coming back
//! after it was unreachable, the end of an attached main process, and the pods kind's node image already runs.

use super::*;

/// The learner changed how the pod's containers (container `which`, or all) behave: a container made to crash
/// exits now, one whose readiness was broken or mended has its readiness probe looked at again.
pub(super) fn set_behaviour(
    cx: &mut Cx,
    pod: &Pod,
    which: Option<usize>,
    change: &dyn Fn(&mut Behaviour),
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
        let running = pod.container_running(i);
        let (before, after) = {
            let st = cx.ctr(&uid, i);
            let before = st.behaviour;
            change(&mut st.behaviour);
            (before, st.behaviour)
        };
        if before == after || !running {
            continue;
        }
        if after.crash != Crash::No && before.crash == Crash::No {
            let epoch = {
                let st = cx.ctr(&uid, i);
                st.epoch += 1;
                st.epoch
            };
            let step = Step::Crashed {
                container: i,
                epoch,
            };
            cx.wake(0, &key, &uid, step);
            continue;
        }
        // Without a readiness probe a container is ready while it runs: breaking readiness then changes
        // nothing, exactly as on a real cluster.
        if let (true, Some(probe)) = (
            before.readiness_broken != after.readiness_broken,
            &ct.readiness_probe,
        ) {
            cx.ctr(&uid, i).epoch += 1;
            schedule_probe_flip(cx, &key, &uid, i, probe, Seen::AfterTick);
        }
    }
}

/// The pod fails: every container exits with an error and the phase becomes Failed (a node-side failure such as
/// an eviction for memory pressure).
pub(super) fn fail(cx: &mut Cx, pod: &Pod) {
    let now = cx.now();
    for i in 0..pod.spec.containers.len() {
        stop_unhealthy(cx, &pod.metadata.uid, i, &ProbeKind::ALL, now.just_before());
    }
    if let Some(rt) = cx.k.pods.get_mut(&pod.metadata.uid) {
        for st in rt.containers.values_mut() {
            st.epoch += 1;
        }
    }
    cx.d.patch::<Pod>(&pod.metadata.namespace, &pod.metadata.name, move |p| {
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
pub(super) type ProbedPod = (ObjectKey, Vec<(usize, Probe)>, String);

/// A node came back: replay what its kubelet missed and look at every pod bound to it.
pub(super) fn node_returned(cx: &mut Cx, node: &str) {
    let now = cx.now();
    for (key, uid, step) in cx.k.deferred.remove(node).unwrap_or_default() {
        cx.wake_at(now, &key, &uid, step);
    }
    let pods: Vec<ProbedPod> = cx
        .view
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
        cx.d.queue(key.clone());
        // Readiness is reported again by the returning kubelet.
        let probed: Vec<usize> = probes.iter().map(|(j, _)| *j).collect();
        cx.d.patch::<Pod>(&key.namespace, &key.name, move |p| {
            if !p.metadata.is_terminating() && !p.is_terminal() {
                for (i, s) in p.status.container_statuses.iter_mut().enumerate() {
                    if s.state.running.is_some() && s.started != Some(false) && !probed.contains(&i)
                    {
                        s.ready = true;
                    }
                }
                refresh_pod_conditions(p, now);
            }
        });
        // Its probes look at the readiness just written.
        for (i, probe) in probes {
            let (key, uid) = (key.clone(), uid.clone());
            cx.then(move |cx| schedule_probe_flip(cx, &key, &uid, i, &probe, Seen::AtTick));
        }
    }
}

/// The learner left the shell attached to a container's main process (`exit` after `kubectl run -it`): the
/// process ends with `code` now.
pub(super) fn end_main_process(cx: &mut Cx, target: &crate::runtime::ContainerRef, code: i32) {
    let Some(pod) = cx
        .view
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
    let running = pod.container_running(i);
    if !running {
        return;
    }
    // What the script would have run next never runs.
    cx.d.runtime(Call::DropProcess(target.clone()));
    let epoch = cx.ctr(&target.uid, i).epoch;
    let key = ObjectKey::new(crate::model::Kind::Pod, &target.namespace, &target.pod);
    let step = Step::Exited {
        container: i,
        epoch,
        code,
    };
    cx.wake(0, &key, &target.uid, step);
}

/// Takes on a pod that was already running when the simulation began (kind's own pods): the kubelet does not
/// start it again, and its node holds its images, as kind's node image ships them preloaded.
pub(super) fn adopt_running(k: &mut Kubelet, pod: &Pod) {
    k.pods.entry(pod.metadata.uid.clone()).or_default().started = true;
    if let Some(node) = &pod.spec.node_name {
        for ct in pod.spec.containers.iter().chain(&pod.spec.init_containers) {
            k.images.insert((node.clone(), ct.image.clone()));
        }
    }
}
