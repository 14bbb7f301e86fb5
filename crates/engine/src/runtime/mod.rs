//! The container runtime's view of a pod: each container's file system, made of its own writable layer (the
//! image's files, gone when the container is replaced) with volumes mounted over it. A volume's contents live
//! with the volume, not the pod: a PersistentVolume's files outlive every pod that mounts it and go with the
//! volume; an emptyDir lives as long as its pod; ConfigMaps, Secrets and the service-account token are
//! projected read-only; `/etc/hosts`, `/etc/resolv.conf` and `/etc/hostname` are the kubelet's files
//! (k8s-behaviour.md 3.6).
//!
//! What runs in a container — its main process, `kubectl exec`, probes — is in [`programs`].

pub(crate) mod cri;
pub mod mysql;
pub mod net;
pub mod programs;
pub mod replication;

use std::collections::BTreeMap;

use crate::clock::Time;
use crate::dns::{Libc, Lookup, QType, Record, Reply};
use crate::images;
use crate::model::{ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret};
use ordinal_sh::fs::{normalize, Entry, FileSystem, FileTree, FsError};

/// Everything the runtime keeps: volume contents by volume id, and each container's own layer and logs by
/// (pod uid, container name).
#[derive(Debug, Default)]
pub struct State {
    volumes: BTreeMap<String, FileTree>,
    layers: BTreeMap<(String, String), FileTree>,
    logs: BTreeMap<(String, String), Logs>,
    /// What `kubectl run -i` feeds a pod's command, by (namespace, pod name), until the pod starts.
    pub(crate) pending_stdin: BTreeMap<(String, String), String>,
    /// The MySQL servers started, by (pod uid, container name).
    pub(crate) mysqld: BTreeMap<(String, String), mysql::Server>,
    /// A reaction to a change in the containers is queued (`runtime_changed`).
    change_queued: bool,
    /// How deep inside `runtime_quietly` the runtime is: what a probe does is no change.
    quiet: u32,
    /// What the programs run since `runtime_observing` began looked at beyond their container.
    observed: Observed,
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
    pub time: crate::clock::Time,
    pub text: String,
}

/// Where a path inside a container is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Backing {
    /// A volume's tree, under `root` (a subPath, or `/`).
    Volume { id: String, root: String },
    /// A file the kubelet writes and bind-mounts (`/etc/hosts`).
    File(String),
    /// A read-only projection (ConfigMap, Secret, service-account token): file name -> contents.
    Generated(BTreeMap<String, String>),
}

#[derive(Debug, Clone)]
struct Mount {
    path: String,
    backing: Backing,
    read_only: bool,
}

/// A path resolved to its mount: the backing store and the path within it.
struct Resolved<'m> {
    mount: Option<&'m Mount>,
    inner: String,
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
    fn key(&self) -> (String, String) {
        (self.uid.clone(), self.container.clone())
    }
}

/// The pod's kubelet-managed `/etc/hosts` (3.6).
pub fn etc_hosts(pod: &Pod, zone: &str) -> String {
    let mut s = String::from(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
    );
    let host = pod_hostname(pod);
    if let Some(ip) = &pod.status.pod_ip {
        match pod.spec.subdomain.as_deref().filter(|s| !s.is_empty()) {
            Some(sub) => s.push_str(&format!(
                "{ip}\t{host}.{sub}.{}.svc.{zone}\t{host}\n",
                pod.metadata.namespace
            )),
            None => s.push_str(&format!("{ip}\t{host}\n")),
        }
    }
    s
}

/// The pod's `/etc/resolv.conf` for `dnsPolicy: ClusterFirst` (3.6).
pub fn resolv_conf(pod: &Pod, zone: &str, nameserver: &str) -> String {
    let ns = &pod.metadata.namespace;
    format!("search {ns}.svc.{zone} svc.{zone} {zone}\nnameserver {nameserver}\noptions ndots:5\n")
}

/// The pod's hostname: `spec.hostname`, else its name, cut to 63 characters without a trailing `-`/`.`.
pub fn pod_hostname(pod: &Pod) -> String {
    let h = pod
        .spec
        .hostname
        .clone()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| pod.metadata.name.clone());
    let cut: String = h.chars().take(63).collect();
    cut.trim_end_matches(['-', '.']).to_string()
}

/// The pod's fully qualified name, as `hostname -f` prints it.
pub fn pod_fqdn(pod: &Pod, zone: &str) -> String {
    let host = pod_hostname(pod);
    match pod.spec.subdomain.as_deref().filter(|s| !s.is_empty()) {
        Some(sub) => format!("{host}.{sub}.{}.svc.{zone}", pod.metadata.namespace),
        None => host,
    }
}

/// What the container runtime asks of the cluster it runs in. The runtime keeps its own [`State`] there, and
/// reaches everything else — the API objects a container sees, the clock, kube-proxy's routing and CoreDNS —
/// only through this trait. Every method is a call into the cluster: the runtime never holds its state across
/// one, because a call can come back into the runtime (an HTTP request served by another pod, a MySQL client
/// talking to another pod's server, a `sleep` that runs the whole clock).
pub trait Node {
    /// The runtime's own state, which the cluster keeps for it.
    fn runtime(&self) -> &State;
    fn runtime_mut(&mut self) -> &mut State;

    /// The cluster's clock.
    fn now(&self) -> Time;
    /// Runs the cluster `ms` on, as a `sleep` in an exec does while the learner waits for it.
    fn advance(&mut self, ms: u64);
    /// Calls the runtime back at `at` with `wake` ([`on_wake`]).
    fn wake_at(&mut self, at: Time, wake: Wake);

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

/// The runtime's part of a [`Wake`]: a replica's reconnect. (`ContainersChanged` is the kubelet's to act on.)
pub fn on_wake(node: &mut dyn Node, wake: &Wake) {
    match wake {
        Wake::ContainersChanged => node.runtime_mut().change_taken(),
        Wake::Replication { server, run } => replication::on_retry(node, server, *run),
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
        let state = self.runtime_mut();
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
        replication::pod_changed(self, &pod.metadata.uid);
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


/// The mounts of `container` in `pod`, longest path first so the innermost mount wins.
fn mounts(node: &dyn Node, pod: &Pod, container: &str) -> Vec<Mount> {
    let zone = node.cluster_domain().to_string();
    let mut out = vec![
        generated("/etc/hosts", etc_hosts(pod, &zone)),
        generated("/etc/resolv.conf", resolv_conf(pod, &zone, &node.dns_ip())),
        generated("/etc/hostname", format!("{}\n", pod_hostname(pod))),
    ];
    let Some(ct) = pod
        .spec
        .containers
        .iter()
        .chain(&pod.spec.init_containers)
        .find(|c| c.name == container)
    else {
        return out;
    };
    for vm in &ct.volume_mounts {
        let Some(vol) = pod.spec.volumes.iter().find(|v| v.name == vm.name) else {
            continue;
        };
        let read_only = vm.read_only.unwrap_or(false);
        let sub = vm.sub_path.clone().unwrap_or_default();
        let root = normalize("/", &sub);
        let path = normalize("/", &vm.mount_path);
        let backing = if let Some(claim) = &vol.persistent_volume_claim {
            match claim_volume_id(node, pod, &claim.claim_name) {
                Some(id) => Backing::Volume { id, root },
                None => continue,
            }
        } else if vol.empty_dir.is_some() {
            Backing::Volume {
                id: format!("emptydir/{}/{}", pod.metadata.uid, vol.name),
                root,
            }
        } else if let Some(hp) = &vol.host_path {
            let p = hp.get("path").and_then(|p| p.as_str()).unwrap_or("/");
            Backing::Volume {
                id: format!(
                    "hostpath/{}{}",
                    pod.spec.node_name.clone().unwrap_or_default(),
                    normalize("/", p)
                ),
                root,
            }
        } else if let Some(cm) = &vol.config_map {
            let name = cm.get("name").and_then(|n| n.as_str()).unwrap_or("");
            let data = node.config_map(&pod.metadata.namespace, name)
                .map(|c| c.data.clone())
                .unwrap_or_default();
            Backing::Generated(data)
        } else if let Some(sec) = &vol.secret {
            let name = sec.get("secretName").and_then(|n| n.as_str()).unwrap_or("");
            let data = node.secret(&pod.metadata.namespace, name)
                .map(|s| {
                    s.data
                        .iter()
                        .map(|(k, v)| {
                            (k.clone(), crate::base64::decode_text(v).unwrap_or_default())
                        })
                        .chain(s.string_data.clone())
                        .collect()
                })
                .unwrap_or_default();
            Backing::Generated(data)
        } else if let Some(projected) = &vol.projected {
            Backing::Generated(projection(node, pod, projected))
        } else {
            continue;
        };
        let read_only =
            read_only || matches!(backing, Backing::Generated(_) | Backing::File(_));
        out.push(Mount {
            path,
            backing,
            read_only,
        });
    }
    out.sort_by_key(|m| std::cmp::Reverse(m.path.len()));
    out
}


/// The files of a projected volume, source by source: the service-account token, ConfigMap and Secret keys
/// (all of them, or the listed `items` under their paths), and downward-API fields.
fn projection(node: &dyn Node, pod: &Pod, projected: &serde_json::Value) -> BTreeMap<String, String> {
    let ns = &pod.metadata.namespace;
    let mut files = BTreeMap::new();
    let sources = projected.get("sources").and_then(|s| s.as_array());
    for source in sources.into_iter().flatten() {
        if let Some(t) = source.get("serviceAccountToken") {
            let path = t.get("path").and_then(|p| p.as_str()).unwrap_or("token");
            // A JWT's shape: header.claims.signature, the claims naming the pod and its account.
            let claims = format!(
                "{{\"kubernetes.io\":{{\"namespace\":\"{ns}\",\"pod\":{{\"name\":\"{}\",\"uid\":\"{}\"}},\"serviceaccount\":{{\"name\":\"{}\"}}}}}}",
                pod.metadata.name,
                pod.metadata.uid,
                pod.spec.service_account_name.as_deref().unwrap_or("default"),
            );
            let token = format!(
                "eyJhbGciOiJSUzI1NiJ9.{}.{}",
                crate::base64::encode(claims.as_bytes()).trim_end_matches('='),
                crate::base64::encode(pod.metadata.uid.as_bytes()).trim_end_matches('='),
            );
            files.insert(path.to_string(), token);
        }
        let keyed: Option<BTreeMap<String, String>> = if let Some(cm) = source.get("configMap")
        {
            let name = cm.get("name").and_then(|n| n.as_str()).unwrap_or("");
            node.config_map(ns, name)
                .map(|c| c.data.clone().into_iter().collect())
        } else if let Some(sec) = source.get("secret") {
            let name = sec.get("name").and_then(|n| n.as_str()).unwrap_or("");
            node.secret(ns, name).map(|s| {
                s.data
                    .iter()
                    .map(|(k, v)| {
                        (k.clone(), crate::base64::decode_text(v).unwrap_or_default())
                    })
                    .chain(s.string_data.clone())
                    .collect()
            })
        } else {
            None
        };
        let spec = source.get("configMap").or_else(|| source.get("secret"));
        if let (Some(data), Some(spec)) = (keyed, spec) {
            match spec.get("items").and_then(|i| i.as_array()) {
                Some(items) => {
                    for item in items {
                        let key = item.get("key").and_then(|k| k.as_str()).unwrap_or("");
                        let path = item.get("path").and_then(|p| p.as_str()).unwrap_or(key);
                        if let Some(v) = data.get(key) {
                            files.insert(path.to_string(), v.clone());
                        }
                    }
                }
                None => files.extend(data),
            }
        }
        let items = source
            .pointer("/downwardAPI/items")
            .and_then(|i| i.as_array());
        for item in items.into_iter().flatten() {
            let path = item.get("path").and_then(|p| p.as_str()).unwrap_or("");
            let field = item
                .pointer("/fieldRef/fieldPath")
                .and_then(|f| f.as_str())
                .unwrap_or("");
            let value = match field {
                "metadata.namespace" => ns.clone(),
                "metadata.name" => pod.metadata.name.clone(),
                "metadata.uid" => pod.metadata.uid.clone(),
                "spec.nodeName" => pod.spec.node_name.clone().unwrap_or_default(),
                "spec.serviceAccountName" => {
                    pod.spec.service_account_name.clone().unwrap_or_default()
                }
                "status.podIP" => pod.status.pod_ip.clone().unwrap_or_default(),
                _ => continue,
            };
            if !path.is_empty() {
                files.insert(path.to_string(), value);
            }
        }
    }
    files
}


/// The id of the volume behind a pod's claim: the bound PV (its host path for hostPath PVs), or `None`
/// while the claim is unbound.
fn claim_volume_id(node: &dyn Node, pod: &Pod, claim: &str) -> Option<String> {
    let pvc = node.claim(&pod.metadata.namespace, claim)?;
    let pv_name = pvc.spec.volume_name.as_deref().filter(|n| !n.is_empty())?;
    let pv = node.volume(pv_name)?;
    Some(volume_id_of(
        pv,
        pod.spec.node_name.as_deref().unwrap_or(""),
    ))
}


fn container_pod(node: &dyn Node, r: &ContainerRef) -> Option<Pod> {
    node.pod(&r.namespace, &r.pod)
        .filter(|p| p.metadata.uid == r.uid)
        .cloned()
}


/// Where a PV's files live: the provisioned directory (by the PV's uid, so a new volume with the same name
/// starts empty), or the node path of a hostPath volume.
fn volume_id_of(pv: &PersistentVolume, node: &str) -> String {
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

fn generated(path: &str, text: String) -> Mount {
    Mount {
        path: path.to_string(),
        backing: Backing::File(text),
        read_only: true,
    }
}

fn fs_parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// A container's whole file system, for the commands that run in it.
pub struct ContainerFs<'c> {
    node: &'c mut dyn Node,
    pub target: ContainerRef,
    mounts: Vec<Mount>,
}

impl<'c> ContainerFs<'c> {
    /// `None` when the pod is gone or was replaced.
    pub fn open(node: &'c mut dyn Node, target: ContainerRef) -> Option<ContainerFs<'c>> {
        let pod = container_pod(node, &target)?;
        let mounts = mounts(node, &pod, &target.container);
        Some(ContainerFs {
            node,
            target,
            mounts,
        })
    }

    /// The node the container runs on.
    pub fn node(&mut self) -> &mut dyn Node {
        self.node
    }

    pub fn node_ref(&self) -> &dyn Node {
        self.node
    }

    fn resolve(&self, path: &str) -> Resolved<'_> {
        for m in &self.mounts {
            if path == m.path {
                return Resolved {
                    mount: Some(m),
                    inner: "/".into(),
                };
            }
            if let Some(rest) = path.strip_prefix(&m.path) {
                if rest.starts_with('/') || m.path == "/" {
                    return Resolved {
                        mount: Some(m),
                        inner: normalize("/", rest),
                    };
                }
            }
        }
        Resolved {
            mount: None,
            inner: path.to_string(),
        }
    }

    fn tree(&mut self, path: &str) -> Result<(&mut FileTree, String, bool), FsError> {
        let r = self.resolve(path);
        let inner = r.inner.clone();
        match r.mount.map(|m| (m.backing.clone(), m.read_only)) {
            None => {
                let key = self.target.key();
                Ok((
                    self.node.runtime_mut().layers.entry(key).or_default(),
                    inner,
                    false,
                ))
            }
            Some((Backing::Volume { id, root }, ro)) => {
                let tree = self.node.runtime_mut().volumes.entry(id).or_default();
                let full = if root == "/" {
                    inner
                } else {
                    // A subPath is created on first use, as the kubelet does.
                    let _ = tree.mkdir(&root, true);
                    normalize(&root, inner.trim_start_matches('/'))
                };
                Ok((tree, full, ro))
            }
            Some((Backing::Generated(_) | Backing::File(_), _)) => Err(FsError::ReadOnly),
        }
    }

    /// For a path on a kubelet file or a projection: `Some(Some(text))` for a file, `Some(None)` for the
    /// projection's directory itself or a name it does not have.
    fn generated(&self, path: &str) -> Option<Option<String>> {
        let r = self.resolve(path);
        match &r.mount?.backing {
            Backing::File(text) => Some((r.inner == "/").then(|| text.clone())),
            Backing::Generated(files) => Some(files.get(r.inner.trim_start_matches('/')).cloned()),
            Backing::Volume { .. } => None,
        }
    }

    pub fn read(&mut self, path: &str) -> Result<String, FsError> {
        if let Some(g) = self.generated(path) {
            return match g {
                Some(text) => Ok(text),
                None if self.resolve(path).inner == "/" => Err(FsError::IsADirectory),
                None => Err(FsError::NotFound),
            };
        }
        let (tree, inner, _) = self.tree(path)?;
        FileTree::read(tree, &inner).map(str::to_string)
    }

    pub fn is_dir(&mut self, path: &str) -> bool {
        if let Some(g) = self.generated(path) {
            return g.is_none() && self.resolve(path).inner == "/";
        }
        if self.mounts.iter().any(|m| m.path == path) {
            return true;
        }
        match self.tree(path) {
            Ok((tree, inner, _)) => tree.is_dir(&inner),
            Err(_) => false,
        }
    }

    pub fn exists(&mut self, path: &str) -> bool {
        self.is_dir(path) || self.read(path).is_ok()
    }

    pub fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        let (tree, inner, ro) = self.tree(path)?;
        if ro {
            return Err(FsError::ReadOnly);
        }
        tree.write(&inner, text, append)?;
        self.node.runtime_changed();
        Ok(())
    }

    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        if self.mounts.iter().any(|m| m.path == path) {
            return if parents {
                Ok(())
            } else {
                Err(FsError::Exists)
            };
        }
        let (tree, inner, ro) = self.tree(path)?;
        if ro {
            return Err(FsError::ReadOnly);
        }
        tree.mkdir(&inner, parents)?;
        self.node.runtime_changed();
        Ok(())
    }

    /// Names in a directory, with the mount points directly inside it.
    pub fn list(&mut self, path: &str) -> Result<Vec<String>, FsError> {
        if let Some(g) = self.generated(path) {
            if g.is_some() {
                return Err(FsError::NotADirectory);
            }
            let r = self.resolve(path);
            if let Some(Mount {
                backing: Backing::Generated(files),
                ..
            }) = r.mount
            {
                return Ok(files.keys().filter(|k| !k.is_empty()).cloned().collect());
            }
        }
        let mut names = match self.tree(path) {
            Ok((tree, inner, _)) => match tree.list(&inner) {
                Ok(n) => n,
                Err(FsError::NotFound) if self.mounts.iter().any(|m| m.path == path) => Vec::new(),
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        };
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        for m in &self.mounts {
            if let Some(rest) = m.path.strip_prefix(&prefix) {
                if !rest.is_empty() && !rest.contains('/') && !names.iter().any(|n| n == rest) {
                    names.push(rest.to_string());
                }
            }
        }
        names.sort();
        Ok(names)
    }

    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        if self.mounts.iter().any(|m| m.path == path) {
            return Err(FsError::ReadOnly);
        }
        let (tree, inner, ro) = self.tree(path)?;
        if ro {
            return Err(FsError::ReadOnly);
        }
        tree.remove(&inner, recursive)?;
        self.node.runtime_changed();
        Ok(())
    }

    /// `mv`/`cp -r`: copies everything at `from` to `to` (across mounts too), removing the source for a move.
    pub fn transfer(&mut self, from: &str, to: &str, remove_source: bool) -> Result<(), FsError> {
        let entries = {
            if let Some(g) = self.generated(from) {
                match g {
                    Some(text) => vec![(String::new(), Entry::File(text))],
                    None => return Err(FsError::NotFound),
                }
            } else {
                let (tree, inner, _) = self.tree(from)?;
                let e = tree.subtree(&inner);
                if e.is_empty() {
                    return Err(FsError::NotFound);
                }
                e
            }
        };
        if !self.is_dir(fs_parent(to)) {
            return Err(FsError::NotFound);
        }
        let (tree, inner, ro) = self.tree(to)?;
        if ro {
            return Err(FsError::ReadOnly);
        }
        if tree.is_dir(&inner) && matches!(entries.first(), Some((_, Entry::File(_)))) {
            return Err(FsError::IsADirectory);
        }
        tree.graft(&inner, entries);
        self.node.runtime_changed();
        if remove_source {
            self.remove(from, true)?;
        }
        Ok(())
    }
}

impl FileSystem for ContainerFs<'_> {
    fn read(&mut self, path: &str) -> Result<String, FsError> {
        ContainerFs::read(self, path)
    }
    fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        ContainerFs::write(self, path, text, append)
    }
    fn is_dir(&mut self, path: &str) -> bool {
        ContainerFs::is_dir(self, path)
    }
    fn exists(&mut self, path: &str) -> bool {
        ContainerFs::exists(self, path)
    }
    fn list(&mut self, path: &str) -> Result<Vec<String>, FsError> {
        ContainerFs::list(self, path)
    }
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        ContainerFs::mkdir(self, path, parents)
    }
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        ContainerFs::remove(self, path, recursive)
    }
    fn transfer(&mut self, from: &str, to: &str, remove_source: bool) -> Result<(), FsError> {
        ContainerFs::transfer(self, from, to, remove_source)
    }
}
