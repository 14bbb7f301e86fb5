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
