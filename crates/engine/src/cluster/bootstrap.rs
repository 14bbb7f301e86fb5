//! The objects a fresh kind cluster has before the learner does anything.

use std::collections::BTreeMap;

use super::system::CONTROL_PLANE;
use crate::cluster::Cluster;
use crate::model::cluster::{NodeAddress, NodeCondition, NodeSpec, NodeStatus, Taint};
use crate::model::service::{ServicePort, ServiceSpec};
use crate::model::storage::DEFAULT_CLASS_ANNOTATION;
use crate::model::{Namespace, Node, Object, ObjectMeta, Service, StorageClass};

/// Namespaces every cluster has, plus `student`, the terminal user's own (the seeds run `-n $(id -un)`).
pub const NAMESPACES: &[&str] = &[
    "default",
    "kube-node-lease",
    "kube-public",
    "kube-system",
    "local-path-storage",
    "student",
];

pub(crate) fn install_defaults(c: &mut Cluster) {
    for ns in NAMESPACES {
        let meta = ObjectMeta {
            name: ns.to_string(),
            labels: [("kubernetes.io/metadata.name".to_string(), ns.to_string())].into(),
            ..Default::default()
        };
        create(
            c,
            Object::Namespace(Namespace {
                metadata: meta,
                ..Default::default()
            }),
        );
    }
    let mut nodes = vec![(CONTROL_PLANE.to_string(), true)];
    nodes.extend(c.config.workers.iter().map(|w| (w.clone(), false)));
    for (i, (name, control_plane)) in nodes.into_iter().enumerate() {
        let mut labels: BTreeMap<String, String> = [
            ("kubernetes.io/hostname".to_string(), name.clone()),
            ("kubernetes.io/os".to_string(), "linux".to_string()),
            ("kubernetes.io/arch".to_string(), "amd64".to_string()),
        ]
        .into();
        let mut taints = Vec::new();
        if control_plane {
            labels.insert(
                "node-role.kubernetes.io/control-plane".to_string(),
                String::new(),
            );
            taints.push(Taint {
                key: "node-role.kubernetes.io/control-plane".to_string(),
                value: None,
                effect: "NoSchedule".to_string(),
            });
        }
        let node = Node {
            metadata: ObjectMeta {
                name: name.clone(),
                labels,
                ..Default::default()
            },
            spec: NodeSpec {
                taints,
                pod_cidr: Some(format!("10.244.{i}.0/24")),
                provider_id: Some(format!("kind://docker/kind/{name}")),
                ..Default::default()
            },
            status: NodeStatus {
                conditions: vec![NodeCondition {
                    type_: "Ready".to_string(),
                    status: "True".to_string(),
                    reason: Some("KubeletReady".to_string()),
                    last_transition_time: Some(c.now),
                }],
                addresses: vec![
                    NodeAddress {
                        type_: "InternalIP".to_string(),
                        address: format!("172.18.0.{}", i + 2),
                    },
                    NodeAddress {
                        type_: "Hostname".to_string(),
                        address: name.clone(),
                    },
                ],
                node_info: None,
            },
        };
        create(c, Object::Node(node));
    }
    let class = StorageClass {
        metadata: ObjectMeta {
            name: "standard".to_string(),
            annotations: [(DEFAULT_CLASS_ANNOTATION.to_string(), "true".to_string())].into(),
            ..Default::default()
        },
        provisioner: "rancher.io/local-path".to_string(),
        reclaim_policy: Some("Delete".to_string()),
        volume_binding_mode: Some("WaitForFirstConsumer".to_string()),
        ..Default::default()
    };
    create(c, Object::StorageClass(class));
    let service =
        |name: &str, ns: &str, ip: &str, ports: Vec<ServicePort>, selector: &[(&str, &str)]| {
            Service {
                metadata: ObjectMeta {
                    name: name.to_string(),
                    namespace: ns.to_string(),
                    ..Default::default()
                },
                spec: ServiceSpec {
                    type_: Some("ClusterIP".to_string()),
                    cluster_ip: Some(ip.to_string()),
                    cluster_ips: vec![ip.to_string()],
                    ports,
                    selector: selector
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    session_affinity: Some("None".to_string()),
                    ..Default::default()
                },
                status: None,
            }
        };
    let port = |name: &str, port: i64, proto: &str| ServicePort {
        name: Some(name.to_string()),
        protocol: Some(proto.to_string()),
        port,
        target_port: Some(crate::model::IntOrString::Int(if port == 443 {
            6443
        } else {
            port
        })),
        ..Default::default()
    };
    create(
        c,
        Object::Service(
            service(
                "kubernetes",
                "default",
                "10.96.0.1",
                vec![port("https", 443, "TCP")],
                &[],
            )
            .into(),
        ),
    );
    // kubeadm's CoreDNS Service carries the cluster-service labels `kubectl cluster-info` lists.
    let mut kube_dns = service(
        "kube-dns",
        "kube-system",
        "10.96.0.10",
        vec![
            port("dns", 53, "UDP"),
            port("dns-tcp", 53, "TCP"),
            port("metrics", 9153, "TCP"),
        ],
        &[("k8s-app", "kube-dns")],
    );
    kube_dns.metadata.labels = [
        ("k8s-app", "kube-dns"),
        ("kubernetes.io/cluster-service", "true"),
        ("kubernetes.io/name", "CoreDNS"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    create(c, Object::Service(kube_dns.into()));
    c.ipam
        .used_service_ips
        .extend(["10.96.0.1".to_string(), "10.96.0.10".to_string()]);
    super::system::install(c);
}

fn create(c: &mut Cluster, mut obj: Object) {
    obj.meta_mut().uid = c.rng.uuid();
    let now = c.now;
    // Names are fixed and distinct, so this cannot collide.
    let _ = c.store.create(obj, now);
}
