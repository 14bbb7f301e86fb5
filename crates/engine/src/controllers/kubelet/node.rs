//! What concerns the node as a whole: the pods' addresses (host-local IPAM), the faults a learner injects into
//! its containers, the node coming back after it was unreachable, the end of an attached main process, and
//! the pods kind's node image already runs.

use super::*;

pub(super) fn allocate_pod_ip(c: &mut Cluster, node: &str) -> String {
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
pub(super) type ProbedPod = (ObjectKey, Vec<(usize, Probe)>, String);

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
pub(crate) fn end_main_process(c: &mut Cluster, target: &crate::runtime::ContainerRef, code: i32) {
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
