//! What a cluster is made with: its seed, DNS domain, nodes, add-ons, and how long its machinery takes.

/// How long the simulated machinery takes. Virtual milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timings {
    /// Creating the pod sandbox (network namespace, IP) after the pod lands on a node.
    pub sandbox_ms: u64,
    /// Pulling an image a node does not have yet.
    pub image_pull_ms: u64,
    /// Creating and starting a container once its image is present.
    pub container_start_ms: u64,
    /// The external provisioner creating a volume.
    pub provision_ms: u64,
    /// A container that handles SIGTERM shutting down.
    pub container_stop_ms: u64,
    /// A database server (mysqld) shutting down cleanly after SIGTERM: it flushes before it exits.
    pub database_stop_ms: u64,
    /// The cloud making a load balancer for a LoadBalancer Service.
    pub load_balancer_ms: u64,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            sandbox_ms: 1_000,
            image_pull_ms: 6_000,
            container_start_ms: 1_000,
            provision_ms: 2_000,
            container_stop_ms: 1_000,
            database_stop_ms: 2_000,
            load_balancer_ms: 3_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClusterConfig {
    pub seed: u64,
    pub cluster_domain: String,
    pub timings: Timings,
    /// Worker node names; a control-plane node (tainted NoSchedule) is always added, as in kind.
    pub workers: Vec<String>,
    /// The kubelet's `maxPods`: how many pods one node runs.
    pub max_pods_per_node: usize,
    /// CSI drivers installed besides what kind ships (its local-path provisioner): each runs an external
    /// provisioner and resizer, so classes naming it provision and expand volumes. None on a fresh kind cluster.
    pub csi_drivers: Vec<String>,
}

impl ClusterConfig {
    /// A cluster with `n` workers named `kind-worker`, `kind-worker2`, … (for large scenarios).
    pub fn with_workers(n: usize) -> ClusterConfig {
        let workers = (1..=n)
            .map(|i| {
                if i == 1 {
                    "kind-worker".to_string()
                } else {
                    format!("kind-worker{i}")
                }
            })
            .collect();
        ClusterConfig {
            workers,
            ..ClusterConfig::default()
        }
    }
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            seed: 1,
            cluster_domain: "cluster.local".to_string(),
            timings: Timings::default(),
            workers: vec!["kind-worker".to_string(), "kind-worker2".to_string()],
            max_pods_per_node: 110,
            csi_drivers: Vec::new(),
        }
    }
}
