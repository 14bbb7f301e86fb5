//! The cluster's address book: pod IPs per node and Service cluster IPs handed out.

use std::collections::{BTreeMap, BTreeSet};

/// Addresses handed out to pods and Services.
#[derive(Debug, Default)]
pub(crate) struct Ipam {
    /// Next host number to try per node's pod CIDR.
    pub next_pod_host: BTreeMap<String, u32>,
    /// Pod IPs held by pods that still exist.
    pub pod_ips_in_use: BTreeSet<String>,
    pub used_service_ips: BTreeSet<String>,
}

impl Ipam {
    /// host-local IPAM: the next free address of the /24 `cidr` (a node's pod CIDR) after the last one handed
    /// out on `node`, wrapping around.
    pub fn allocate_pod_ip(&mut self, node: &str, cidr: &str) -> String {
        let prefix = cidr
            .rsplit_once('.')
            .map_or("10.244.9", |(p, _)| p)
            .to_string();
        for _ in 0..253 {
            let host = self.next_pod_host.entry(node.to_string()).or_insert(2);
            let ip = format!("{prefix}.{host}");
            *host = if *host >= 254 { 2 } else { *host + 1 };
            if self.pod_ips_in_use.insert(ip.clone()) {
                return ip;
            }
        }
        // maxPods keeps a node far below 253 pods, so the range cannot be exhausted.
        format!("{prefix}.255")
    }
}
