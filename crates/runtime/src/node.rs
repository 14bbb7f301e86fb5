//! The runtime's one way into the cluster it runs in.

use ordinal_api::time::Time;

use crate::dns::{Libc, Lookup, QType, Record, Reply};
use crate::model::{ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret};
use crate::{ContainerRef, State};

/// What the container runtime asks of the cluster it runs in. The runtime keeps its own [`State`] there, and
/// reaches everything else — the API objects a container sees, the clock, kube-proxy's routing, CoreDNS and the
/// node's IPAM — only through this trait. Every method is a call into the cluster: the runtime never holds its
/// state across one, because a call can come back into the runtime (an HTTP request served by another pod, a
/// MySQL client talking to another pod's server, a `sleep` that runs the whole clock).
pub trait Node {
    /// The runtime's own state, which the cluster keeps for it.
    fn runtime(&self) -> &State;
    fn runtime_mut(&mut self) -> &mut State;

    /// The cluster's clock.
    fn now(&self) -> Time;
    /// Runs the cluster `ms` on, as a `sleep` in an exec does while the learner waits for it.
    fn advance(&mut self, ms: u64);
    /// Calls the runtime back at `at` with `wake` ([`crate::on_wake`]).
    fn wake_at(&mut self, at: Time, wake: Wake);

    /// host-local IPAM: the next free address of node `node`'s pod CIDR, for a new sandbox.
    fn allocate_pod_ip(&mut self, node: &str) -> String;
    /// A pod that is gone gives its address back.
    fn release_pod_ip(&mut self, ip: &str);

    /// The cluster's DNS domain (`cluster.local`).
    fn cluster_domain(&self) -> &str;
    fn pod(&self, namespace: &str, name: &str) -> Option<&Pod>;
    fn config_map(&self, namespace: &str, name: &str) -> Option<&ConfigMap>;
    fn secret(&self, namespace: &str, name: &str) -> Option<&Secret>;
    fn claim(&self, namespace: &str, name: &str) -> Option<&PersistentVolumeClaim>;
    fn volume(&self, name: &str) -> Option<&PersistentVolume>;

    /// kube-proxy: where a connection to `ip:port` lands, as the container serving it and the port it listens
    /// on.
    fn route(&mut self, ip: &str, port: i64) -> Option<(ContainerRef, i64)>;

    /// The cluster DNS Service's address (`kube-system/kube-dns`).
    fn dns_ip(&self) -> String;
    /// Whether `server` is the cluster's DNS (its Service address or a CoreDNS pod).
    fn is_cluster_dns(&self, server: &str) -> bool;
    /// The stub resolver of pod `client` in `namespace`: each candidate of the search list tried in turn.
    fn resolve_for(
        &mut self,
        namespace: &str,
        client: Option<&str>,
        name: &str,
        libc: Libc,
    ) -> Lookup;
    /// One query from pod `(namespace, pod)` to CoreDNS, logged as its `log` plugin does; the query id when
    /// `shows_id`.
    fn query_from_pod(
        &mut self,
        client: (&str, &str),
        qname: &str,
        qtype: QType,
        edns: Option<u16>,
        shows_id: bool,
    ) -> (Reply, Option<u16>);
    /// The name a reverse lookup of `ip` answers.
    fn reverse_name(&mut self, ip: &str) -> Option<String>;
    /// The SOA record a negative answer carries.
    fn negative_authority(&self, reply: &Reply) -> Vec<Record>;
}

/// Why the cluster calls the runtime back ([`Node::wake_at`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// Something in the containers changed outside the API (`runtime_changed`): the kubelet looks at
    /// its probes again. The cluster tells its kubelet after [`State::change_taken`].
    ContainersChanged,
    /// A MySQL replica's IO thread tries to connect to its primary again (`run` names the thread's start).
    Replication { server: (String, String), run: u64 },
}
