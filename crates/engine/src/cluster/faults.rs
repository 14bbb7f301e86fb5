//! What a learner can break, and mend: a pod's readiness, a container that crashes, a pod that fails, a node
//! that stops answering, a node cordoned off. Each acts on the simulated machinery (the kubelet, the node) and
//! lets the controllers react as they would on a real cluster.

use crate::api::{ApiError, DeleteOptions};
use crate::clock::Time;
use crate::cluster::{Cluster, Timer};
use crate::controllers::kubelet::{self, Crash};
use crate::controllers::Hint;
use crate::events::{EventType, Source};
use crate::model::cluster::Taint;
use crate::model::{Kind, Node, Pod};
use crate::store::ObjectKey;

/// How long pods tolerate an unreachable node before the taint manager evicts them (DefaultTolerationSeconds).
pub const NOT_READY_TOLERATION_MS: u64 = 300_000;
const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

impl Cluster {
    /// Whether the learner broke this pod's readiness, and whether one of its containers is made to crash.
    pub fn pod_faults(&self, pod_uid: &str) -> (bool, bool) {
        let b = self.controllers.kubelet.behaviour_of(pod_uid);
        (
            b.iter().any(|x| x.readiness_broken),
            b.iter().any(|x| x.crash != Crash::No),
        )
    }

    /// Tells the pod's kubelet how its containers (container `which`, or all) now behave.
    fn set_behaviour(
        &mut self,
        pod: Pod,
        which: Option<usize>,
        change: impl Fn(&mut kubelet::Behaviour) + 'static,
    ) {
        self.tell(Hint::Kubelet(kubelet::Hint::SetBehaviour {
            pod: Box::new(pod),
            which,
            change: Box::new(change),
        }));
    }

    fn pod_for_fault(&self, namespace: &str, name: &str) -> Result<Pod, ApiError> {
        self.store
            .get_typed::<Pod>(namespace, name)
            .cloned()
            .ok_or_else(|| ApiError::not_found(Kind::Pod, name))
    }

    fn container_index(pod: &Pod, container: Option<&str>) -> Result<Option<usize>, ApiError> {
        match container {
            None => Ok(None),
            Some(name) => pod
                .spec
                .containers
                .iter()
                .position(|c| c.name == name)
                .map(Some)
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "container {name} is not valid for pod {}",
                        pod.metadata.name
                    ))
                }),
        }
    }

    /// Makes the pod's readiness probes fail (`broken`) or pass again. The pod turns unready (or ready) at the
    /// probe period where the failure (or success) threshold is reached.
    pub fn set_readiness_broken(
        &mut self,
        namespace: &str,
        pod: &str,
        broken: bool,
    ) -> Result<(), ApiError> {
        self.finish_pending();
        let p = self.pod_for_fault(namespace, pod)?;
        self.set_behaviour(p, None, move |b| b.readiness_broken = broken);
        self.settle();
        Ok(())
    }

    /// Makes a container (the first when `None`) exit with an error: once, or at every start (CrashLoopBackOff)
    /// until [`Cluster::stop_crashing`].
    pub fn crash_container(
        &mut self,
        namespace: &str,
        pod: &str,
        container: Option<&str>,
        keep_crashing: bool,
    ) -> Result<(), ApiError> {
        self.finish_pending();
        let p = self.pod_for_fault(namespace, pod)?;
        let which = Self::container_index(&p, container)?.or(Some(0));
        let mode = if keep_crashing {
            Crash::Always
        } else {
            Crash::Once
        };
        self.set_behaviour(p, which, move |b| b.crash = mode);
        self.settle();
        Ok(())
    }

    /// A crash-looping container runs normally from its next restart.
    pub fn stop_crashing(&mut self, namespace: &str, pod: &str) -> Result<(), ApiError> {
        self.finish_pending();
        let p = self.pod_for_fault(namespace, pod)?;
        self.set_behaviour(p, None, |b| b.crash = Crash::No);
        self.settle();
        Ok(())
    }

    /// The pod fails on its node (phase Failed, containers exited with an error).
    pub fn fail_pod(&mut self, namespace: &str, pod: &str) -> Result<(), ApiError> {
        self.finish_pending();
        let p = self.pod_for_fault(namespace, pod)?;
        if p.spec.node_name.is_none() {
            return Err(ApiError::BadRequest(format!(
                "pod {pod} is not running on a node"
            )));
        }
        self.tell(Hint::Kubelet(kubelet::Hint::Fail(Box::new(p))));
        self.settle();
        Ok(())
    }

    /// `kubectl cordon` / `uncordon`: marks the node (un)schedulable. Running pods are untouched.
    pub fn cordon(&mut self, node: &str, unschedulable: bool) -> Result<(), ApiError> {
        self.finish_pending();
        if self.store.get_typed::<Node>("", node).is_none() {
            return Err(ApiError::not_found(Kind::Node, node));
        }
        let now = self.now;
        self.store.modify::<Node>("", node, now, |n| {
            n.spec.unschedulable = unschedulable.then_some(true);
            n.spec.taints.retain(|t| t.key != UNSCHEDULABLE);
            if unschedulable {
                n.spec.taints.push(Taint {
                    key: UNSCHEDULABLE.into(),
                    value: None,
                    effect: "NoSchedule".into(),
                });
            }
        });
        self.settle();
        Ok(())
    }

    /// The node's kubelet stops answering (`ready = false`) or comes back. While it is gone the node is
    /// NotReady and tainted unreachable, its pods turn unready, and after the default toleration (300s) they are
    /// deleted; with no kubelet to confirm, they stay Terminating until the node returns or a learner
    /// force-deletes them.
    pub fn set_node_ready(&mut self, node: &str, ready: bool) -> Result<(), ApiError> {
        self.finish_pending();
        let Some(n) = self.store.get_typed::<Node>("", node) else {
            return Err(ApiError::not_found(Kind::Node, node));
        };
        if n.is_ready() == ready {
            return Ok(());
        }
        let now = self.now;
        self.store.modify::<Node>("", node, now, |n| {
            for cond in n
                .status
                .conditions
                .iter_mut()
                .filter(|c| c.type_ == "Ready")
            {
                cond.status = if ready { "True" } else { "Unknown" }.into();
                cond.reason = Some(
                    if ready {
                        "KubeletReady"
                    } else {
                        "NodeStatusUnknown"
                    }
                    .into(),
                );
                cond.last_transition_time = Some(now);
            }
            n.spec.taints.retain(|t| t.key != UNREACHABLE);
            if !ready {
                for effect in ["NoSchedule", "NoExecute"] {
                    n.spec.taints.push(Taint {
                        key: UNREACHABLE.into(),
                        value: None,
                        effect: effect.into(),
                    });
                }
            }
        });
        if ready {
            self.tell(Hint::Kubelet(kubelet::Hint::NodeReturned(node.to_string())));
        } else {
            let pods: Vec<Pod> = self
                .store
                .list::<Pod>(None)
                .filter(|p| p.spec.node_name.as_deref() == Some(node))
                .cloned()
                .collect();
            for pod in pods {
                // The node lifecycle controller marks the pods not ready.
                self.store
                    .modify::<Pod>(&pod.metadata.namespace, &pod.metadata.name, now, |p| {
                        p.set_condition("Ready", false, now);
                    });
                let src = Source::component("node-controller");
                self.record_event(
                    &pod,
                    EventType::Warning,
                    "NodeNotReady",
                    "Node is not ready",
                    src,
                );
            }
            self.schedule(
                NOT_READY_TOLERATION_MS,
                Timer::NodeEviction {
                    node: node.to_string(),
                    since: now,
                },
            );
        }
        self.settle();
        Ok(())
    }
}

/// The taint manager: pods on a node unreachable since `since` are deleted once their toleration runs out.
pub(crate) fn evict_from_unreachable_node(c: &mut Cluster, node: &str, since: Time) {
    let still_down = c.store.get_typed::<Node>("", node).is_some_and(|n| {
        !n.is_ready()
            && n.status
                .conditions
                .iter()
                .any(|cond| cond.type_ == "Ready" && cond.last_transition_time == Some(since))
    });
    if !still_down {
        return;
    }
    let pods: Vec<Pod> = c
        .store
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name.as_deref() == Some(node) && !p.metadata.is_terminating())
        .cloned()
        .collect();
    for pod in pods {
        let msg = format!(
            "Marking for deletion Pod {}/{}",
            pod.metadata.namespace, pod.metadata.name
        );
        let src = Source::component("taint-eviction-controller");
        c.record_event(&pod, EventType::Normal, "TaintManagerEviction", &msg, src);
        let key = ObjectKey::new(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name);
        let _ = c.api_delete(&key, DeleteOptions::default());
    }
}
