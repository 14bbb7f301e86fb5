use crate::cluster::Cluster;
use crate::model::Node;
use crate::runtime::cri::*;
use crate::runtime::programs;

impl Cluster {
    /// Makes the kubelet's call `call` on the simulated node.
    pub(crate) fn cri(&mut self, call: Call) -> Answer {
        match call {
            Call::AllocatePodIp { node } => Answer::Ip(allocate_pod_ip(self, &node)),
            Call::ReleasePodIp(ip) => {
                self.ipam.pod_ips_in_use.remove(&ip);
                Answer::Done
            }
            Call::CreateContainer {
                pod,
                container,
                image,
            } => {
                self.node().runtime_container_started(&pod, &container, &image);
                Answer::Done
            }
            Call::StartInit { pod, index } => {
                Answer::Started(programs::start_init(self, &pod, index))
            }
            Call::StartMain { pod, index } => {
                Answer::Started(programs::start_main(self, &pod, index))
            }
            Call::ResumeProcess { target, run } => {
                if programs::process_run(self, &target) != Some(run) {
                    return Answer::Resumed(None);
                }
                Answer::Resumed(Some(programs::resume_process(self, &target)))
            }
            Call::DropProcess(target) => {
                self.runtime
                    .processes
                    .remove(&(target.uid.clone(), target.container.clone()));
                Answer::Done
            }
            Call::Probe {
                pod,
                container,
                kind,
                errors,
            } => {
                if let Some(why) = errors
                    .then(|| probe_error(self, &pod, container, kind))
                    .flatten()
                {
                    return Answer::Probe(ProbeAnswer::Errored(why));
                }
                let (failure, observed) =
                    self.node().runtime_observing(|c| probe_outcome(c, &pod, container, kind));
                Answer::Probe(ProbeAnswer::Ran { failure, observed })
            }
            Call::PreStop {
                pod,
                container,
                grace_ms,
            } => {
                let (took_ms, ok) = pre_stop(self, &pod, container, grace_ms);
                Answer::PreStop { took_ms, ok }
            }
            Call::ProcessStopped { pod, container } => {
                self.node().runtime_process_stopped(&pod, &container);
                Answer::Done
            }
            Call::Changed => {
                self.node().runtime_changed();
                Answer::Done
            }
        }
    }
}

/// The next free address of `node`'s pod CIDR.
fn allocate_pod_ip(c: &mut Cluster, node: &str) -> String {
    let cidr = c
        .store
        .get_typed::<Node>("", node)
        .and_then(|n| n.spec.pod_cidr.clone())
        .unwrap_or_else(|| "10.244.9.0/24".to_string());
    c.ipam.allocate_pod_ip(node, &cidr)
}
