//! A container's file system: its own writable layer (the image's files) with volumes, projections and the
//! kubelet's files mounted over it, and the files the kubelet writes for a pod.

use std::collections::BTreeMap;

use ordinal_sh::fs::{normalize, Entry, FileSystem, FileTree, FsError};

use crate::model::Pod;
use crate::{volume_id_of, ContainerRef, Node};

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
            let data = node
                .config_map(&pod.metadata.namespace, name)
                .map(|c| c.data.clone())
                .unwrap_or_default();
            Backing::Generated(data)
        } else if let Some(sec) = &vol.secret {
            let name = sec.get("secretName").and_then(|n| n.as_str()).unwrap_or("");
            let data = node
                .secret(&pod.metadata.namespace, name)
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
        let read_only = read_only || matches!(backing, Backing::Generated(_) | Backing::File(_));
        out.push(Mount {
            path,
            backing,
            read_only,
        });
    }
    ordinal_api::sort::by_key(&mut out, |m| std::cmp::Reverse(m.path.len()));
    out
}

/// The files of a projected volume, source by source: the service-account token, ConfigMap and Secret keys
/// (all of them, or the listed `items` under their paths), and downward-API fields.
fn projection(
    node: &dyn Node,
    pod: &Pod,
    projected: &serde_json::Value,
) -> BTreeMap<String, String> {
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
        let keyed: Option<BTreeMap<String, String>> = if let Some(cm) = source.get("configMap") {
            let name = cm.get("name").and_then(|n| n.as_str()).unwrap_or("");
            node.config_map(ns, name).map(|c| c.data.clone())
        } else if let Some(sec) = source.get("secret") {
            let name = sec.get("name").and_then(|n| n.as_str()).unwrap_or("");
            node.secret(ns, name).map(|s| {
                let mut keyed = BTreeMap::new();
                keyed.extend(
                    s.data
                        .iter()
                        .map(|(k, v)| {
                            (k.clone(), crate::base64::decode_text(v).unwrap_or_default())
                        })
                        .chain(s.string_data.clone()),
                );
                keyed
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

fn generated(path: &str, text: String) -> Mount {
    Mount {
        path: path.to_string(),
        backing: Backing::File(text),
        read_only: true,
    }
}

pub(crate) fn fs_parent(path: &str) -> &str {
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
        ordinal_api::sort::sort(&mut names);
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
