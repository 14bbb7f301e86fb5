//! The columns `kubectl get` prints for each kind, computed as the API server's table printers do
//! (k8s-behaviour.md 4.1): the default set, and the extra columns of `-o wide`.

use crate::printers::{age, human_duration, pod_cells};
use ordinal_engine::clock::Time;
use ordinal_engine::model::{Kind, Object, Pod};
use ordinal_engine::store::Store;

/// The header of a kind's table.
pub(crate) fn header(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::StatefulSet => (&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"]),
        Kind::PersistentVolumeClaim => (
            &[
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        Kind::PersistentVolume => (
            &[
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        Kind::Service => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            &["SELECTOR"],
        ),
        Kind::StorageClass => (
            &[
                "NAME",
                "PROVISIONER",
                "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION",
                "AGE",
            ],
            &[],
        ),
        Kind::ControllerRevision => (&["NAME", "CONTROLLER", "REVISION", "AGE"], &[]),
        Kind::Event => (
            &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            &["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"],
        ),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::DaemonSet => (
            &[
                "NAME",
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::Secret => (&["NAME", "TYPE", "DATA", "AGE"], &[]),
        Kind::ServiceAccount => (&["NAME", "SECRETS", "AGE"], &[]),
    };
    let mut h = base.to_vec();
    if wide {
        h.extend_from_slice(extra);
    }
    h
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

/// `RWO,RWX`: access modes abbreviated and comma-joined.
pub(crate) fn access_modes(modes: &[String]) -> String {
    modes
        .iter()
        .map(|m| match m.as_str() {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn selector_string(labels: &std::collections::BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn containers_and_images(spec: &ordinal_engine::model::PodSpec) -> (String, String) {
    let names = spec
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let images = spec
        .containers
        .iter()
        .map(|c| c.image.as_str())
        .collect::<Vec<_>>()
        .join(",");
    (names, images)
}

/// One row of a kind's table.
pub fn row(obj: &Object, store: &Store, now: Time, wide: bool) -> Vec<String> {
    let meta = obj.meta();
    let name = meta.name.clone();
    let age_cell = age(meta.creation_timestamp, now);
    let mut r = match obj {
        Object::Pod(p) => pod_row(p, now),
        Object::StatefulSet(s) => vec![
            name,
            format!("{}/{}", s.status.ready_replicas, s.replicas()),
            age_cell,
        ],
        Object::PersistentVolumeClaim(p) => {
            let bound = p.spec.volume_name.is_some();
            let status = if meta.is_terminating() {
                "Terminating".to_string()
            } else {
                p.status.phase.clone()
            };
            vec![
                name,
                status,
                p.spec.volume_name.clone().unwrap_or_default(),
                if bound {
                    // A zero quantity prints "0": a Lost claim has a volume name and no capacity.
                    p.status
                        .capacity
                        .get("storage")
                        .cloned()
                        .unwrap_or_else(|| "0".into())
                } else {
                    String::new()
                },
                if bound {
                    access_modes(&p.status.access_modes)
                } else {
                    String::new()
                },
                p.spec.storage_class_name.clone().unwrap_or_default(),
                p.spec
                    .volume_attributes_class_name
                    .clone()
                    .unwrap_or_else(|| "<unset>".into()),
                age_cell,
            ]
        }
        Object::PersistentVolume(p) => {
            let status = if meta.is_terminating() {
                "Terminating".to_string()
            } else {
                p.status.phase.clone()
            };
            vec![
                name,
                p.capacity(),
                access_modes(&p.spec.access_modes),
                p.spec
                    .persistent_volume_reclaim_policy
                    .clone()
                    .unwrap_or_default(),
                status,
                p.claim().unwrap_or_default(),
                p.spec.storage_class_name.clone().unwrap_or_default(),
                "<unset>".into(),
                p.status.reason.clone().unwrap_or_default(),
                age_cell,
            ]
        }
        Object::Service(s) => {
            let ports = if s.spec.ports.is_empty() {
                "<none>".to_string()
            } else {
                s.spec
                    .ports
                    .iter()
                    .map(|p| {
                        let proto = p.protocol.as_deref().unwrap_or("TCP");
                        match p.node_port {
                            Some(np) => format!("{}:{np}/{proto}", p.port),
                            None => format!("{}/{proto}", p.port),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let external = service_external_ip(s, wide);
            vec![
                name,
                s.type_().to_string(),
                or_none(s.spec.cluster_ip.as_deref().unwrap_or("")),
                external,
                ports,
                age_cell,
            ]
        }
        Object::StorageClass(sc) => vec![
            if sc.is_default() {
                format!("{name} (default)")
            } else {
                name
            },
            sc.provisioner.clone(),
            sc.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
            sc.volume_binding_mode
                .clone()
                .unwrap_or_else(|| "Immediate".into()),
            sc.allow_volume_expansion.unwrap_or(false).to_string(),
            age_cell,
        ],
        Object::ControllerRevision(r) => {
            let controller = meta
                .controller_ref()
                .map(|o| {
                    format!(
                        "{}/{}",
                        o.kind.to_lowercase() + &group_suffix(&o.api_version),
                        o.name
                    )
                })
                .unwrap_or_else(|| "<none>".into());
            vec![name, controller, r.revision.to_string(), age_cell]
        }
        Object::Event(e) => {
            let last = e
                .last_timestamp
                .map(|t| human_duration(now.since(t)))
                .unwrap_or_default();
            let object = format!(
                "{}/{}",
                e.involved_object
                    .kind
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase(),
                e.involved_object.name
            );
            vec![
                last,
                e.type_.clone(),
                e.reason.clone(),
                object,
                e.message.clone(),
            ]
        }
        Object::Node(n) => {
            let mut status = if n.is_ready() {
                "Ready".to_string()
            } else {
                "NotReady".to_string()
            };
            if n.is_unschedulable() {
                status.push_str(",SchedulingDisabled");
            }
            let roles: Vec<&str> = n
                .metadata
                .labels
                .keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                .collect();
            vec![
                name,
                status,
                if roles.is_empty() {
                    "<none>".into()
                } else {
                    roles.join(",")
                },
                age_cell,
                "v1.35.0".into(),
            ]
        }
        Object::Namespace(_) => {
            vec![
                name,
                if meta.is_terminating() {
                    "Terminating"
                } else {
                    "Active"
                }
                .into(),
                age_cell,
            ]
        }
        Object::Deployment(d) => {
            let want = d.spec.replicas.unwrap_or(1);
            vec![
                name,
                format!("{}/{want}", d.status.ready_replicas),
                d.status.updated_replicas.to_string(),
                d.status.available_replicas.to_string(),
                age_cell,
            ]
        }
        Object::ReplicaSet(rs) => vec![
            name,
            rs.spec.replicas.unwrap_or(1).to_string(),
            rs.status.replicas.to_string(),
            rs.status.ready_replicas.to_string(),
            age_cell,
        ],
        Object::DaemonSet(ds) => {
            vec![
                name,
                ds.status.desired_number_scheduled.to_string(),
                ds.status.current_number_scheduled.to_string(),
                ds.status.number_ready.to_string(),
                ds.status.updated_number_scheduled.to_string(),
                ds.status.number_available.to_string(),
                or_none(&ds.spec.template.spec.node_selector_text()),
                age_cell,
            ]
        }
        Object::Endpoints(e) => {
            let mut addrs: Vec<String> = Vec::new();
            // `formatEndpoints`: port by port, every address under each.
            for sub in &e.subsets {
                if sub.ports.is_empty() {
                    addrs.extend(sub.addresses.iter().map(|a| a.ip.clone()));
                }
                for p in &sub.ports {
                    for a in &sub.addresses {
                        addrs.push(format!("{}:{}", a.ip, p.port.unwrap_or(0)));
                    }
                }
            }
            let cell = if addrs.is_empty() {
                "<none>".to_string()
            } else if addrs.len() > 3 {
                format!("{} + {} more...", addrs[..3].join(","), addrs.len() - 3)
            } else {
                addrs.join(",")
            };
            vec![name, cell, age_cell]
        }
        Object::EndpointSlice(s) => {
            let ports = s
                .ports
                .iter()
                .filter_map(|p| p.port)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let addrs: Vec<String> = s
                .endpoints
                .iter()
                .flat_map(|e| e.addresses.clone())
                .collect();
            let cell = if addrs.is_empty() {
                "<unset>".to_string()
            } else if addrs.len() > 3 {
                format!("{} + {} more...", addrs[..3].join(","), addrs.len() - 3)
            } else {
                addrs.join(",")
            };
            vec![
                name,
                s.address_type.clone(),
                or_none(&ports),
                cell,
                age_cell,
            ]
        }
        Object::ConfigMap(cm) => vec![name, cm.data.len().to_string(), age_cell],
        Object::ServiceAccount(sa) => vec![name, sa.secrets.len().to_string(), age_cell],
        Object::Secret(s) => vec![
            name,
            s.type_.clone().unwrap_or_else(|| "Opaque".into()),
            (s.data.len() + s.string_data.len()).to_string(),
            age_cell,
        ],
    };
    if wide {
        r.extend(wide_cells(obj, store));
    }
    r
}

fn group_suffix(api_version: &str) -> String {
    match api_version.split_once('/') {
        Some((group, _)) => format!(".{group}"),
        None => String::new(),
    }
}

fn pod_row(p: &Pod, now: Time) -> Vec<String> {
    let cells = pod_cells(p, now);
    vec![
        p.metadata.name.clone(),
        cells.ready,
        cells.status,
        cells.restarts,
        age(p.metadata.creation_timestamp, now),
    ]
}

/// CONTAINERS, IMAGES and SELECTOR of a Deployment or ReplicaSet.
fn workload_wide(
    spec: &ordinal_engine::model::PodSpec,
    selector: Option<&ordinal_engine::model::LabelSelector>,
) -> Vec<String> {
    let (c, i) = containers_and_images(spec);
    vec![
        c,
        i,
        selector
            .map(|s| selector_string(&s.match_labels))
            .unwrap_or_default(),
    ]
}

fn wide_cells(obj: &Object, store: &Store) -> Vec<String> {
    match obj {
        Object::Pod(p) => vec![
            or_none(p.status.pod_ip.as_deref().unwrap_or("")),
            or_none(p.spec.node_name.as_deref().unwrap_or("")),
            "<none>".into(),
            "<none>".into(),
        ],
        Object::StatefulSet(s) => {
            let (c, i) = containers_and_images(&s.spec.template.spec);
            vec![c, i]
        }
        Object::PersistentVolumeClaim(p) => vec![p
            .spec
            .volume_mode
            .clone()
            .unwrap_or_else(|| "Filesystem".into())],
        Object::PersistentVolume(p) => vec![p
            .spec
            .volume_mode
            .clone()
            .unwrap_or_else(|| "Filesystem".into())],
        Object::Service(s) => vec![selector_string(&s.spec.selector)],
        Object::Event(e) => vec![
            e.involved_object.field_path.clone().unwrap_or_default(),
            match &e.source.host {
                Some(h) => format!("{}, {h}", e.source.component),
                None => e.source.component.clone(),
            },
            String::new(),
            e.count.to_string(),
            e.metadata.name.clone(),
        ],
        Object::Node(n) => vec![
            n.internal_ip().unwrap_or("<none>").to_string(),
            "<none>".into(),
            "Debian GNU/Linux 12 (bookworm)".into(),
            "6.8.0-1017-gcp".into(),
            "containerd://2.1.1".into(),
        ],
        Object::Deployment(d) => workload_wide(&d.spec.template.spec, d.spec.selector.as_ref()),
        Object::ReplicaSet(rs) => workload_wide(&rs.spec.template.spec, rs.spec.selector.as_ref()),
        Object::DaemonSet(ds) => workload_wide(&ds.spec.template.spec, ds.spec.selector.as_ref()),
        _ => {
            let _ = store;
            Vec::new()
        }
    }
}

/// The EXTERNAL-IP cell (`getServiceExternalIP`): `spec.externalIPs`, and for a LoadBalancer its ingress
/// addresses first (sorted, clipped to 16 characters unless wide) or `<pending>`.
fn service_external_ip(s: &ordinal_engine::model::Service, wide: bool) -> String {
    let external = s.external_ips();
    match s.type_() {
        "ClusterIP" | "NodePort" if !external.is_empty() => external.join(","),
        "ClusterIP" | "NodePort" => "<none>".to_string(),
        "LoadBalancer" => {
            let mut ingress: Vec<String> = s.ingress_ips();
            ordinal_api::sort::sort(&mut ingress);
            ingress.dedup();
            let mut lb = ingress.join(",");
            if !wide && lb.len() > 16 {
                lb = format!("{}...", &lb[..13]);
            }
            match (lb.is_empty(), external.is_empty()) {
                (_, false) => lb
                    .split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .chain(external)
                    .collect::<Vec<_>>()
                    .join(","),
                (false, true) => lb,
                (true, true) => "<pending>".to_string(),
            }
        }
        "ExternalName" => s.spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".to_string(),
    }
}
