//! The cluster as its container runtime sees it ([`crate::runtime::Node`]): the API objects a container can
//! see, the clock, kube-proxy and CoreDNS. The runtime's own state lives here too, in `Cluster::runtime`.

use crate::clock::Time;
use crate::cluster::{Cluster, Timer};
use crate::dns::{Libc, Lookup, QType, Record, Reply};
use crate::model::{ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret};
use crate::runtime::{self, ContainerRef, LogLine, Node, Wake};

impl Node for Cluster {
    fn runtime(&self) -> &runtime::State {
        &self.runtime
    }

    fn runtime_mut(&mut self) -> &mut runtime::State {
        &mut self.runtime
    }

    fn now(&self) -> Time {
        self.now
    }

    fn advance(&mut self, ms: u64) {
        Cluster::advance(self, ms);
    }

    fn wake_at(&mut self, at: Time, wake: Wake) {
        self.timers.push(at, Timer::Runtime(wake));
    }

    fn allocate_pod_ip(&mut self, node: &str) -> String {
        let cidr = self
            .store
            .get_typed::<crate::model::Node>("", node)
            .and_then(|n| n.spec.pod_cidr.clone())
            .unwrap_or_else(|| "10.244.9.0/24".to_string());
        self.ipam.allocate_pod_ip(node, &cidr)
    }

    fn release_pod_ip(&mut self, ip: &str) {
        self.ipam.pod_ips_in_use.remove(ip);
    }

    fn cluster_domain(&self) -> &str {
        &self.config.cluster_domain
    }

    fn pod(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.store.get_typed(namespace, name)
    }

    fn config_map(&self, namespace: &str, name: &str) -> Option<&ConfigMap> {
        self.store.get_typed(namespace, name)
    }

    fn secret(&self, namespace: &str, name: &str) -> Option<&Secret> {
        self.store.get_typed(namespace, name)
    }

    fn claim(&self, namespace: &str, name: &str) -> Option<&PersistentVolumeClaim> {
        self.store.get_typed(namespace, name)
    }

    fn volume(&self, name: &str) -> Option<&PersistentVolume> {
        self.store.get_typed("", name)
    }

    fn route(&mut self, ip: &str, port: i64) -> Option<(ContainerRef, i64)> {
        Cluster::route(self, ip, port)
    }

    fn dns_ip(&self) -> String {
        Cluster::dns_ip(self)
    }

    fn is_cluster_dns(&self, server: &str) -> bool {
        Cluster::is_cluster_dns(self, server)
    }

    fn resolve_for(
        &mut self,
        namespace: &str,
        client: Option<&str>,
        name: &str,
        libc: Libc,
    ) -> Lookup {
        Cluster::resolve_for(self, namespace, client, name, libc)
    }

    fn query_from_pod(
        &mut self,
        client: (&str, &str),
        qname: &str,
        qtype: QType,
        edns: Option<u16>,
        shows_id: bool,
    ) -> (Reply, Option<u16>) {
        Cluster::query_from_pod(self, client, qname, qtype, edns, shows_id)
    }

    fn reverse_name(&mut self, ip: &str) -> Option<String> {
        Cluster::reverse_name(self, ip)
    }

    fn negative_authority(&self, reply: &Reply) -> Vec<Record> {
        Cluster::negative_authority(self, reply)
    }
}

impl Cluster {
    /// Makes the kubelet's call `call` on the simulated node (its container runtime and IPAM).
    pub(crate) fn cri(&mut self, call: runtime::cri::Call) -> runtime::cri::Answer {
        runtime::cri::serve(self, call)
    }

    /// The cluster as its container runtime sees it.
    pub fn node(&mut self) -> &mut dyn Node {
        self
    }

    /// Hands `text` to the pod's first container as its standard input when it starts (`kubectl run -i` with
    /// input already piped in); `None` takes back what was left for a pod that was never created.
    pub fn set_pending_stdin(&mut self, namespace: &str, pod: &str, text: Option<String>) {
        self.runtime.set_pending_stdin(namespace, pod, text);
    }

    /// A container's log, this run's or (`previous`) the last run's.
    pub fn container_logs(&self, uid: &str, container: &str, previous: bool) -> Option<&[LogLine]> {
        self.runtime.container_logs(uid, container, previous)
    }

    /// The files in a PersistentVolume (for the view and tests): path -> contents.
    pub fn volume_files(
        &self,
        pv: &PersistentVolume,
    ) -> std::collections::BTreeMap<String, String> {
        self.runtime.volume_files(pv)
    }
}
