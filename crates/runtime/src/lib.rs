//! Ordinal's container runtime: what runs on a node once the kubelet has decided to run it.
//!
//! - Each container's file system ([`ContainerFs`]): its own writable layer (the image's files, gone when the
//!   container is replaced) with volumes mounted over it. A volume's contents live with the volume, not the
//!   pod: a PersistentVolume's files outlive every pod that mounts it and go with the volume; an emptyDir lives
//!   as long as its pod; ConfigMaps, Secrets and the service-account token are projected read-only;
//!   `/etc/hosts`, `/etc/resolv.conf` and `/etc/hostname` are the kubelet's files (k8s-behaviour.md 3.6).
//! - What runs in a container — its main process, `kubectl exec`, probes — ([`ContainerHost`]): shells, the
//!   file and text tools of `ordinal_sh`, and the images' own programs (nginx, mysqld and its replication,
//!   `curl`, `wget`, `dig`, `nslookup`, `ncat`, …), by [`images`].
//! - The kubelet's calls into it ([`cri`]).
//!
//! The runtime knows the cluster only through [`Node`]: the objects a container can see, the clock, kube-proxy,
//! CoreDNS and IPAM. The cluster implements it and keeps the runtime's [`State`].

pub mod cri;
pub mod dns;
mod fs;
pub mod images;
mod node;
mod programs;
pub mod sha256;

pub use fs::{etc_hosts, pod_fqdn, pod_hostname, resolv_conf, ContainerFs};
pub use node::{Node, Wake};

pub use programs::mysql;
pub use programs::mysql::replication::pod_changed;
pub use programs::net::{load_balancer_ips, Http};
pub use programs::{
    main_program, process_run, ContainerHost, ExecRun, MainPlan, Mode, Process, Progress, PATH,
};

use ordinal_api::model;
use ordinal_gotext::base64;

use std::collections::BTreeMap;

use crate::model::{PersistentVolume, Pod};
use fs::fs_parent;
use ordinal_sh::fs::{normalize, Entry, FileTree};

/// Everything the runtime keeps: volume contents by volume id, and each container's own layer and logs by
/// (pod uid, container name).
#[derive(Debug, Default)]
pub struct State {
    pub(crate) volumes: BTreeMap<String, FileTree>,
    pub(crate) layers: BTreeMap<(String, String), FileTree>,
    /// The files each image starts a container with, built once per image: every layer starts as a copy.
    images: BTreeMap<String, FileTree>,
    pub(crate) logs: BTreeMap<(String, String), Logs>,
    /// What `kubectl run -i` feeds a pod's command, by (namespace, pod name), until the pod starts.
    pub(crate) pending_stdin: BTreeMap<(String, String), String>,
    /// The MySQL servers started, by (pod uid, container name).
    pub(crate) mysqld: BTreeMap<(String, String), mysql::Server>,
    /// A reaction to a change in the containers is queued (`runtime_changed`).
    pub(crate) change_queued: bool,
    /// How deep inside `runtime_quietly` the runtime is: what a probe does is no change.
    pub(crate) quiet: u32,
    /// What the programs run since `runtime_observing` began looked at beyond their container.
    pub(crate) observed: Observed,
    /// `ncat --listen PORT -c CMD` processes, by (pod uid, container name): the port and the command each
    /// connection runs.
    pub(crate) listeners: BTreeMap<(String, String), (i64, String)>,
    /// The main processes (and init containers' processes) still running a script, by (pod uid, container
    /// name): the kubelet resumes each when its wait is over.
    pub(crate) processes: BTreeMap<(String, String), programs::Process>,
    /// Numbers each process started, so a resume meant for an earlier run of a container is ignored.
    pub(crate) runs: u64,
    /// Containers whose process has exited while their pod's status still shows them running (a pod being
    /// stopped reports its containers' ends once they all have), by (pod uid, container name).
    pub(crate) stopped: std::collections::BTreeSet<(String, String)>,
}

/// What a program looked at that can change with no change in its own container: an answer it may give
/// differently later.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Observed {
    /// The cluster beyond its pod: a DNS query, or a connection routed to a Service or another pod.
    pub cluster: bool,
    /// The clock (`date`).
    pub clock: bool,
}

/// A container's output: the current run and the one before it (`kubectl logs --previous`).
#[derive(Debug, Default, Clone)]
pub struct Logs {
    pub current: Vec<LogLine>,
    pub previous: Option<Vec<LogLine>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub time: ordinal_api::time::Time,
    pub text: String,
}

/// One container of one pod, as the runtime sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRef {
    pub namespace: String,
    pub pod: String,
    pub uid: String,
    pub container: String,
}

impl ContainerRef {
    pub(crate) fn key(&self) -> (String, String) {
        (self.uid.clone(), self.container.clone())
    }
}

impl State {
    /// Hands `text` to the pod's first container as its standard input when it starts (`kubectl run -i` with
    /// input already piped in); `None` takes back what was left for a pod that was never created.
    pub fn set_pending_stdin(&mut self, namespace: &str, pod: &str, text: Option<String>) {
        let key = (namespace.to_string(), pod.to_string());
        match text {
            Some(text) => {
                self.pending_stdin.insert(key, text);
            }
            None => {
                self.pending_stdin.remove(&key);
            }
        }
    }

    /// The queued look at the probes is being taken.
    pub fn change_taken(&mut self) {
        self.change_queued = false;
    }

    /// A program looked at the cluster beyond its own pod (see `runtime_observing`).
    pub fn observed_cluster(&mut self) {
        self.observed.cluster = true;
    }

    /// A program read the clock (see `runtime_observing`).
    pub fn observed_clock(&mut self) {
        self.observed.clock = true;
    }

    /// Whether container `container` of the pod with `uid` has a process running (its status may still say
    /// running while its pod is being stopped).
    pub fn process_running(&self, uid: &str, container: &str) -> bool {
        !self
            .stopped
            .contains(&(uid.to_string(), container.to_string()))
    }

    /// The pod is gone: its containers' layers, logs and emptyDir volumes go with it.
    pub fn forget_pod(&mut self, uid: &str) {
        self.layers.retain(|(u, _), _| u != uid);
        self.logs.retain(|(u, _), _| u != uid);
        self.mysqld.retain(|(u, _), _| u != uid);
        self.listeners.retain(|(u, _), _| u != uid);
        self.processes.retain(|(u, _), _| u != uid);
        self.stopped.retain(|(u, _)| u != uid);
        let prefix = format!("emptydir/{uid}/");
        self.volumes.retain(|id, _| !id.starts_with(&prefix));
    }

    /// A PersistentVolume was deleted: a dynamically provisioned volume's directory is deleted with it.
    pub fn forget_volume(&mut self, pv: &PersistentVolume) {
        if pv.spec.host_path.is_none() {
            self.volumes.remove(&format!("pv/{}", pv.metadata.uid));
        }
    }

    /// A container's log, this run's or (`previous`) the last run's.
    pub fn container_logs(&self, uid: &str, container: &str, previous: bool) -> Option<&[LogLine]> {
        let logs = self.logs.get(&(uid.to_string(), container.to_string()))?;
        if previous {
            logs.previous.as_deref()
        } else {
            Some(&logs.current)
        }
    }

    /// The files in a PersistentVolume (for the view and tests): path -> contents.
    pub fn volume_files(&self, pv: &PersistentVolume) -> BTreeMap<String, String> {
        let id = volume_id_of(pv, &pv_node(pv));
        self.volumes.get(&id).map_or_else(BTreeMap::new, |t| {
            t.subtree("/")
                .into_iter()
                .filter_map(|(p, e)| match e {
                    Entry::File(s) => Some((p, s)),
                    Entry::Dir => None,
                })
                .collect()
        })
    }

    /// Whether a MySQL server runs in the container `key` names.
    pub fn serves_mysql(&self, key: &(String, String)) -> bool {
        self.mysqld.contains_key(key)
    }
}

/// Where a PV's files live: the provisioned directory (by the PV's uid, so a new volume with the same name
/// starts empty), or the node path of a hostPath volume.
pub(crate) fn volume_id_of(pv: &PersistentVolume, node: &str) -> String {
    match pv
        .spec
        .host_path
        .as_ref()
        .and_then(|h| h.get("path")?.as_str())
    {
        Some(p) => format!("hostpath/{node}{}", normalize("/", p)),
        None => format!("pv/{}", pv.metadata.uid),
    }
}

/// The node a PV is pinned to by its node affinity (local-path volumes), or "".
fn pv_node(pv: &PersistentVolume) -> String {
    pv.spec
        .node_affinity
        .as_ref()
        .and_then(|a| {
            a.pointer("/required/nodeSelectorTerms/0/matchExpressions/0/values/0")?
                .as_str()
                .map(str::to_string)
        })
        .unwrap_or_default()
}

/// The runtime's part of a [`Wake`]: a replica's reconnect. (`ContainersChanged` is the kubelet's to act on.)
pub fn on_wake(node: &mut dyn Node, wake: &Wake) {
    match wake {
        Wake::ContainersChanged => node.runtime_mut().change_taken(),
        Wake::Replication { server, run } => {
            programs::mysql::replication::on_retry(node, server, *run)
        }
    }
}

impl dyn Node + '_ {
    /// What the containers hold changed outside the API — a file, a server's state, a socket opened — so a
    /// probe may now answer differently. (Changes that come with an API write, such as a container starting or
    /// a pod going, reach the kubelet through that write.) The kubelet's look at its probes is
    /// queued here, where the change happens, as work due now: whatever runs the clock next (`kubectl wait`,
    /// `rollout status`, a watch, the page's timer) runs it first, then the probe at which the change shows.
    /// Nothing is queued for what a probe itself does (`runtime_quietly`).
    pub fn runtime_changed(&mut self) {
        let state = self.runtime_mut();
        if state.quiet > 0 || state.change_queued {
            return;
        }
        state.change_queued = true;
        let now = self.now();
        self.wake_at(now, Wake::ContainersChanged);
    }

    /// Runs `f` (a probe) against the runtime without counting what it does as a change.
    pub fn runtime_quietly<T>(&mut self, f: impl FnOnce(&mut dyn Node) -> T) -> T {
        self.runtime_mut().quiet += 1;
        let out = f(self);
        self.runtime_mut().quiet -= 1;
        out
    }

    /// Runs `f` (a probe) and says what it looked at beyond its container: a probe that asked the cluster (DNS,
    /// a Service, another pod) may answer differently whenever the API objects behind those change, and one
    /// that read the clock at any moment.
    pub fn runtime_observing<T>(&mut self, f: impl FnOnce(&mut dyn Node) -> T) -> (T, Observed) {
        let before = std::mem::take(&mut self.runtime_mut().observed);
        let out = f(self);
        let state = self.runtime_mut();
        let observed = state.observed;
        state.observed = Observed {
            cluster: before.cluster || observed.cluster,
            clock: before.clock || observed.clock,
        };
        (out, observed)
    }

    /// A fresh container: its layer starts as the image's files (the previous run's layer is gone), and its log
    /// starts over, keeping the last run's for `--previous`.
    pub fn runtime_container_started(&mut self, pod: &Pod, container: &str, image: &str) {
        let key = (pod.metadata.uid.clone(), container.to_string());
        let state = self.runtime_mut();
        // Containers of one image share its files until one writes to its layer (a copy-on-write tree).
        let layer = state
            .images
            .entry(image.to_string())
            .or_insert_with(|| image_layer(image))
            .clone();
        state.layers.insert(key.clone(), layer);
        state.stopped.remove(&key);
        state.mysqld.remove(&key);
        state.listeners.remove(&key);
        state.processes.remove(&key);
        let logs = state.logs.entry(key).or_default();
        if !logs.current.is_empty() || logs.previous.is_some() {
            logs.previous = Some(std::mem::take(&mut logs.current));
        }
    }

    /// Container `container`'s process has exited: what it served (a web server, mysqld, an `ncat --listen`)
    /// refuses connections from now on, a script it ran stops, and MySQL replicas reading from it lose their
    /// connection. Probes and replicas look again.
    pub fn runtime_process_stopped(&mut self, pod: &Pod, container: &str) {
        let key = (pod.metadata.uid.clone(), container.to_string());
        let state = self.runtime_mut();
        state.stopped.insert(key.clone());
        state.processes.remove(&key);
        state.listeners.remove(&key);
        if state.mysqld.contains_key(&key) {
            mysql::stop_server(self, &key);
        }
        programs::mysql::replication::pod_changed(self, &pod.metadata.uid);
        self.runtime_changed();
    }

    /// Appends a line to a container's log.
    pub fn runtime_log(&mut self, r: &ContainerRef, text: &str) {
        let now = self.now();
        let logs = self.runtime_mut().logs.entry(r.key()).or_default();
        for line in text.lines() {
            logs.current.push(LogLine {
                time: now,
                text: line.to_string(),
            });
        }
    }
}

/// The files a fresh container of `image` starts with, as a tree.
fn image_layer(image: &str) -> FileTree {
    let mut layer = FileTree::new();
    for (path, e) in images::base_files(image) {
        match e {
            Entry::Dir => {
                let _ = layer.mkdir(&path, true);
            }
            Entry::File(text) => {
                let _ = layer.mkdir(fs_parent(&path), true);
                let _ = layer.write(&path, &text, false);
            }
        }
    }
    layer
}
