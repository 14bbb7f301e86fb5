//! kind's own workloads: CoreDNS and local-path-provisioner (Deployments), kindnet and kube-proxy
//! (DaemonSets), and the control plane's static pods, all already running when the simulation begins.
//!
//! They are made here rather than by the controllers so that the cluster's random sequence — the uids, name
//! suffixes and node choices of everything the learner makes — is the same as without them: their uids and
//! suffixes come from a generator of their own. Once made they are ordinary objects: deleting a CoreDNS pod
//! makes its ReplicaSet create another, deleting a kube-proxy pod makes its DaemonSet create another.

use std::collections::BTreeMap;

use serde_json::json;

use crate::clock::Time;
use crate::cluster::Cluster;
use crate::controllers::deployment::{template_hash, POD_TEMPLATE_HASH, REVISION_ANNOTATION};
use crate::model::meta::IntOrString;
use crate::model::meta::LabelSelector;
use crate::model::pod::{Container, ContainerPort, ContainerState, ContainerStatus, StateRunning};
use crate::model::workloads::{
    DaemonSetSpec, DeploymentSpec, DeploymentStrategy, ReplicaSetSpec, RollingUpdateDeployment,
};
use crate::model::{ConfigMap, ServiceAccount};
use crate::model::{
    DaemonSet, Deployment, Node, Object, ObjectMeta, OwnerReference, Pod, PodSpec, PodTemplateSpec,
    ReplicaSet,
};
use crate::rng::Rng;
use crate::runtime::LogLine;

/// The node kind names for its control plane.
pub const CONTROL_PLANE: &str = "kind-control-plane";

pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.11.3";
const VERSION: &str = "v1.35.0";

/// (Built by `extend`, which inserts: `collect` into a map sorts first, and compiles a sort of its own for
/// every iterator type it is given.)
fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    labels.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    labels
}

fn container(name: &str, image: &str, command: &[&str]) -> Container {
    Container {
        name: name.to_string(),
        image: image.to_string(),
        image_pull_policy: Some("IfNotPresent".into()),
        command: command.iter().map(|s| s.to_string()).collect(),
        termination_message_path: Some("/dev/termination-log".into()),
        termination_message_policy: Some("File".into()),
        ..Default::default()
    }
}

fn control_plane_tolerations() -> serde_json::Value {
    json!([
        {"key": "CriticalAddonsOnly", "operator": "Exists"},
        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
    ])
}

fn coredns_template() -> PodTemplateSpec {
    let mut ct = container("coredns", COREDNS_IMAGE, &[]);
    ct.args = vec!["-conf".into(), "/etc/coredns/Corefile".into()];
    ct.volume_mounts = vec![crate::model::pod::VolumeMount {
        name: "config-volume".into(),
        mount_path: "/etc/coredns".into(),
        sub_path: None,
        read_only: Some(true),
    }];
    ct.ports = vec![
        port("dns", 53, "UDP"),
        port("dns-tcp", 53, "TCP"),
        port("metrics", 9153, "TCP"),
    ];
    ct.resources =
        Some(json!({"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}}));
    PodTemplateSpec {
        metadata: ObjectMeta {
            labels: labels(&[("k8s-app", "kube-dns")]),
            ..Default::default()
        },
        spec: PodSpec {
            containers: vec![ct],
            volumes: vec![crate::model::pod::Volume {
                name: "config-volume".into(),
                config_map: Some(json!({
                    "name": "coredns",
                    "items": [{"key": "Corefile", "path": "Corefile"}],
                    "defaultMode": 420
                })),
                ..Default::default()
            }],
            dns_policy: Some("Default".into()),
            node_selector: labels(&[("kubernetes.io/os", "linux")]),
            priority_class_name: Some("system-cluster-critical".into()),
            priority: Some(2_000_000_000),
            service_account_name: Some("coredns".into()),
            restart_policy: Some("Always".into()),
            scheduler_name: Some("default-scheduler".into()),
            termination_grace_period_seconds: Some(30),
            tolerations: Some(control_plane_tolerations()),
            ..Default::default()
        },
    }
}

fn local_path_template() -> PodTemplateSpec {
    let mut ct = container(
        "local-path-provisioner",
        "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a",
        &[
            "local-path-provisioner",
            "--debug",
            "start",
            "--helper-image",
            "docker.io/kindest/local-path-helper:v20241212-8ac705d0",
            "--config",
            "/etc/config/config.json",
        ],
    );
    ct.env = vec![crate::model::pod::EnvVar {
        name: "POD_NAMESPACE".into(),
        value: None,
        value_from: Some(
            json!({"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}),
        ),
    }];
    PodTemplateSpec {
        metadata: ObjectMeta {
            labels: labels(&[("app", "local-path-provisioner")]),
            ..Default::default()
        },
        spec: PodSpec {
            containers: vec![ct],
            dns_policy: Some("ClusterFirst".into()),
            node_selector: labels(&[("kubernetes.io/os", "linux")]),
            priority_class_name: Some("system-node-critical".into()),
            priority: Some(2_000_001_000),
            service_account_name: Some("local-path-provisioner-service-account".into()),
            restart_policy: Some("Always".into()),
            scheduler_name: Some("default-scheduler".into()),
            termination_grace_period_seconds: Some(30),
            tolerations: Some(json!([
                {"key": "node-role.kubernetes.io/control-plane", "operator": "Equal", "effect": "NoSchedule"},
                {"key": "node-role.kubernetes.io/master", "operator": "Equal", "effect": "NoSchedule"}
            ])),
            ..Default::default()
        },
    }
}

fn port(name: &str, n: i64, proto: &str) -> ContainerPort {
    ContainerPort {
        name: Some(name.to_string()),
        container_port: n,
        protocol: Some(proto.to_string()),
        host_port: None,
    }
}

fn daemon_template(app: (&str, &str), ct: Container, account: &str) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: ObjectMeta {
            labels: labels(&[app]),
            ..Default::default()
        },
        spec: PodSpec {
            containers: vec![ct],
            host_network: Some(true),
            dns_policy: Some("ClusterFirst".into()),
            node_selector: labels(&[("kubernetes.io/os", "linux")]),
            priority_class_name: Some("system-node-critical".into()),
            priority: Some(2_000_001_000),
            service_account_name: Some(account.into()),
            restart_policy: Some("Always".into()),
            scheduler_name: Some("default-scheduler".into()),
            termination_grace_period_seconds: Some(30),
            tolerations: Some(json!([{"operator": "Exists"}])),
            ..Default::default()
        },
    }
}

fn kindnet_template() -> PodTemplateSpec {
    let mut ct = container(
        "kindnet-cni",
        "docker.io/kindest/kindnetd:v20250512-df8de77b",
        &["/bin/kindnetd"],
    );
    ct.resources = Some(
        json!({"limits": {"cpu": "100m", "memory": "50Mi"}, "requests": {"cpu": "100m", "memory": "50Mi"}}),
    );
    ct.security_context =
        Some(json!({"capabilities": {"add": ["NET_RAW", "NET_ADMIN"]}, "privileged": false}));
    daemon_template(("app", "kindnet"), ct, "kindnet")
}

fn kube_proxy_template() -> PodTemplateSpec {
    let ct = container(
        "kube-proxy",
        &format!("registry.k8s.io/kube-proxy:{VERSION}"),
        &[
            "/usr/local/bin/kube-proxy",
            "--config=/var/lib/kube-proxy/config.conf",
            "--hostname-override=$(NODE_NAME)",
        ],
    );
    let mut t = daemon_template(("k8s-app", "kube-proxy"), ct, "kube-proxy");
    t.spec.containers[0].security_context = Some(json!({"privileged": true}));
    t
}

/// The running status of a pod that started at `now` on `node` with `ip`.
fn running(pod: &mut Pod, node: &Node, ip: &str, now: Time) {
    pod.status.phase = "Running".into();
    pod.status.host_ip = node.internal_ip().map(str::to_string);
    pod.status.pod_ip = Some(ip.to_string());
    pod.status.start_time = Some(now);
    for cond in [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ] {
        pod.set_condition(cond, true, now);
    }
    let uid = pod.metadata.uid.clone();
    pod.status.container_statuses = pod
        .spec
        .containers
        .iter()
        .map(|ct| ContainerStatus {
            name: ct.name.clone(),
            ready: true,
            image: crate::images::full_name(&ct.image),
            image_id: crate::images::image_id(&ct.image),
            container_id: format!(
                "containerd://{}",
                crate::sha256::hex_digest(&format!("{uid}/{}/0", ct.name))
            ),
            started: Some(true),
            state: ContainerState {
                running: Some(StateRunning {
                    started_at: Some(now),
                }),
                ..Default::default()
            },
            ..Default::default()
        })
        .collect();
    pod.status.qos_class = Some(pod.qos_class().to_string());
}

struct Maker {
    rng: Rng,
}

impl Maker {
    fn meta(&mut self, ns: &str, name: &str, labels: BTreeMap<String, String>) -> ObjectMeta {
        ObjectMeta {
            name: name.to_string(),
            namespace: ns.to_string(),
            uid: self.rng.uuid(),
            generation: 1,
            labels,
            ..Default::default()
        }
    }
}

fn store(c: &mut Cluster, obj: Object) {
    let now = c.now;
    // Names are fixed or drawn from a stream of their own in namespaces nobody else has written to yet.
    let _ = c.store.create(obj, now);
}

fn node(c: &Cluster, name: &str) -> Option<Node> {
    c.store.get_typed::<Node>("", name).cloned()
}

fn store_pod(c: &mut Cluster, mut pod: Pod, ip: &str) {
    let Some(n) = pod.spec.node_name.clone().and_then(|n| node(c, &n)) else {
        return;
    };
    let now = c.now;
    running(&mut pod, &n, ip, now);
    c.tell(crate::controllers::Hint::Kubelet(
        crate::controllers::kubelet::Hint::AdoptRunning(Box::new(pod.clone())),
    ));
    store(c, Object::Pod(pod));
}

/// A pod IP from the control-plane node's pod CIDR, taken as its host-local IPAM would.
fn control_plane_ip(c: &mut Cluster) -> String {
    let cidr = node(c, CONTROL_PLANE)
        .and_then(|n| n.spec.pod_cidr.clone())
        .unwrap_or_else(|| "10.244.0.0/24".into());
    let prefix = cidr
        .rsplit_once('.')
        .map_or("10.244.0", |(p, _)| p)
        .to_string();
    let host = c
        .ipam
        .next_pod_host
        .entry(CONTROL_PLANE.to_string())
        .or_insert(2);
    let ip = format!("{prefix}.{host}");
    *host += 1;
    c.ipam.pod_ips_in_use.insert(ip.clone());
    ip
}

fn deployment(
    c: &mut Cluster,
    m: &mut Maker,
    ns: &str,
    name: &str,
    template: PodTemplateSpec,
    replicas: i32,
) {
    let selector = LabelSelector {
        match_labels: template.metadata.labels.clone(),
        match_expressions: Vec::new(),
    };
    let mut d = Deployment {
        metadata: m.meta(ns, name, template.metadata.labels.clone()),
        spec: DeploymentSpec {
            replicas: Some(replicas),
            selector: Some(selector.clone()),
            template,
            revision_history_limit: Some(10),
            progress_deadline_seconds: Some(600),
            strategy: Some(DeploymentStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDeployment {
                    max_surge: Some(IntOrString::String("25%".into())),
                    max_unavailable: Some(IntOrString::Int(1)),
                }),
            }),
            ..Default::default()
        },
        status: Default::default(),
    };
    d.metadata
        .annotations
        .insert(REVISION_ANNOTATION.into(), "1".into());
    let hash = template_hash(&d);
    let rs_name = format!("{name}-{hash}");
    let mut rs_template = d.spec.template.clone();
    rs_template
        .metadata
        .labels
        .insert(POD_TEMPLATE_HASH.into(), hash.clone());
    let mut rs_selector = selector;
    rs_selector
        .match_labels
        .insert(POD_TEMPLATE_HASH.into(), hash.clone());
    let mut rs_meta = m.meta(ns, &rs_name, rs_template.metadata.labels.clone());
    rs_meta.annotations = [
        (REVISION_ANNOTATION.to_string(), "1".to_string()),
        (
            "deployment.kubernetes.io/desired-replicas".into(),
            replicas.to_string(),
        ),
        (
            "deployment.kubernetes.io/max-replicas".into(),
            (replicas + 1).to_string(),
        ),
    ]
    .into();
    rs_meta.owner_references = vec![OwnerReference::controller(
        "apps/v1",
        "Deployment",
        &d.metadata,
    )];
    let rs = ReplicaSet {
        metadata: rs_meta,
        spec: ReplicaSetSpec {
            replicas: Some(replicas),
            selector: Some(rs_selector),
            template: rs_template.clone(),
            min_ready_seconds: None,
        },
        status: Default::default(),
    };
    d.metadata.annotations.clear();
    d.metadata
        .annotations
        .insert(REVISION_ANNOTATION.into(), "1".into());
    let rs_meta_copy = rs.metadata.clone();
    store(c, Object::Deployment(d.into()));
    store(c, Object::ReplicaSet(rs.into()));
    for _ in 0..replicas {
        let pod_name = format!("{rs_name}-{}", m.rng.safe_suffix(5));
        let mut meta = m.meta(ns, &pod_name, rs_template.metadata.labels.clone());
        meta.generate_name = format!("{rs_name}-");
        meta.owner_references = vec![OwnerReference::controller(
            "apps/v1",
            "ReplicaSet",
            &rs_meta_copy,
        )];
        let mut pod = Pod {
            metadata: meta,
            spec: rs_template.spec.clone().into(),
            status: Default::default(),
        };
        let account = pod.spec.service_account_name.clone().unwrap_or_default();
        crate::admission::admit_pod(&mut pod, &account, None, 0);
        pod.spec_mut().node_name = Some(CONTROL_PLANE.to_string());
        let ip = control_plane_ip(c);
        store_pod(c, pod, &ip);
    }
}

fn daemon_set(c: &mut Cluster, m: &mut Maker, name: &str, template: PodTemplateSpec) {
    let mut meta = m.meta("kube-system", name, template.metadata.labels.clone());
    meta.annotations.insert(
        "deprecated.daemonset.template.generation".into(),
        "1".into(),
    );
    let ds = DaemonSet {
        metadata: meta,
        spec: DaemonSetSpec {
            selector: Some(LabelSelector {
                match_labels: template.metadata.labels.clone(),
                match_expressions: Vec::new(),
            }),
            template,
            update_strategy: Some(
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}),
            ),
            revision_history_limit: Some(10),
            min_ready_seconds: None,
        },
        status: Default::default(),
    };
    let ds_meta = ds.metadata.clone();
    let template = ds.spec.template.clone();
    store(c, Object::DaemonSet(ds.into()));
    let mut rev = crate::controllers::daemonset::revision(&ds_meta, &template);
    rev.metadata.uid = m.rng.uuid();
    let hash = rev.metadata.labels[crate::controllers::daemonset::REVISION_LABEL].clone();
    store(c, Object::ControllerRevision(rev));
    let nodes: Vec<Node> = c.store.list::<Node>(None).cloned().collect();
    for n in nodes {
        if !crate::controllers::daemonset::should_run(&template, &n) {
            continue;
        }
        let mut pod =
            crate::controllers::daemonset::new_pod(&ds_meta, &template, &n.metadata.name, &hash);
        pod.metadata.name = format!("{name}-{}", m.rng.safe_suffix(5));
        pod.metadata.uid = m.rng.uuid();
        let account = pod.spec.service_account_name.clone().unwrap_or_default();
        crate::admission::admit_pod(&mut pod, &account, None, 0);
        let ip = n.internal_ip().unwrap_or_default().to_string();
        store_pod(c, pod, &ip);
    }
}

/// A control-plane component's mirror pod: the kubelet runs it from a manifest in /etc/kubernetes/manifests
/// and shows it to the API server under `<component>-<node>`, owned by the Node.
fn static_pod(
    c: &mut Cluster,
    m: &mut Maker,
    component: &str,
    image: String,
    command: Vec<String>,
) {
    let Some(n) = node(c, CONTROL_PLANE) else {
        return;
    };
    let name = format!("{component}-{CONTROL_PLANE}");
    let mut meta = m.meta(
        "kube-system",
        &name,
        labels(&[("component", component), ("tier", "control-plane")]),
    );
    let hash = crate::sha256::hex_digest(&format!("{component}/{}", m.rng.next_u64()));
    let hash = &hash[..32];
    meta.annotations = [
        ("kubernetes.io/config.hash".to_string(), hash.to_string()),
        ("kubernetes.io/config.mirror".to_string(), hash.to_string()),
        (
            "kubernetes.io/config.seen".to_string(),
            c.now.rfc3339_nanos(),
        ),
        (
            "kubernetes.io/config.source".to_string(),
            "file".to_string(),
        ),
    ]
    .into();
    meta.owner_references = vec![OwnerReference {
        api_version: "v1".into(),
        kind: "Node".into(),
        name: n.metadata.name.clone(),
        uid: n.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: None,
    }];
    let mut ct = container(component, &image, &[]);
    ct.command = command;
    ct.resources = Some(json!({"requests": {"cpu": match component {
        "kube-apiserver" => "250m",
        "kube-controller-manager" => "200m",
        "etcd" => "100m",
        _ => "100m",
    }}}));
    let pod = Pod {
        metadata: meta,
        spec: std::sync::Arc::new(PodSpec {
            containers: vec![ct],
            host_network: Some(true),
            dns_policy: Some("ClusterFirst".into()),
            node_name: Some(CONTROL_PLANE.into()),
            priority_class_name: Some("system-node-critical".into()),
            priority: Some(2_000_001_000),
            restart_policy: Some("Always".into()),
            scheduler_name: Some("default-scheduler".into()),
            termination_grace_period_seconds: Some(30),
            enable_service_links: Some(true),
            preemption_policy: Some("PreemptLowerPriority".into()),
            tolerations: Some(json!([{"operator": "Exists", "effect": "NoExecute"}])),
            ..Default::default()
        }),
        status: Default::default(),
    };
    let ip = n.internal_ip().unwrap_or_default().to_string();
    store_pod(c, pod, &ip);
}

/// Makes kind's system workloads. Runs once, after the nodes exist and before the first settle.
pub(crate) fn install(c: &mut Cluster) {
    let mut m = Maker {
        rng: Rng::new(c.config.seed ^ 0x5157_E300_0000_0001),
    };
    let ip = node(c, CONTROL_PLANE)
        .and_then(|n| n.internal_ip().map(str::to_string))
        .unwrap_or_default();
    // The accounts the pods run as; without them a replacement pod would fail admission.
    for (ns, name) in [
        ("kube-system", "coredns"),
        ("kube-system", "kindnet"),
        ("kube-system", "kube-proxy"),
        (
            "local-path-storage",
            "local-path-provisioner-service-account",
        ),
    ] {
        let sa = ServiceAccount {
            metadata: m.meta(ns, name, BTreeMap::new()),
            ..Default::default()
        };
        store(c, Object::ServiceAccount(sa));
    }
    // kubeadm's Corefile, with the `log` plugin the playground assumes so that CoreDNS's logs show queries
    // (kind's default Corefile has no `log`; `kubectl logs` would then show only the banner).
    let mut corefile = ConfigMap {
        metadata: m.meta("kube-system", "coredns", BTreeMap::new()),
        ..Default::default()
    };
    corefile.data.insert("Corefile".into(), COREFILE.into());
    store(c, Object::ConfigMap(corefile));
    let v = VERSION;
    let flags = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    static_pod(
        c,
        &mut m,
        "etcd",
        "registry.k8s.io/etcd:3.6.5-0".into(),
        flags(&[
            "etcd",
            &format!("--advertise-client-urls=https://{ip}:2379"),
            "--data-dir=/var/lib/etcd",
            &format!("--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379"),
            &format!("--name={CONTROL_PLANE}"),
        ]),
    );
    static_pod(
        c,
        &mut m,
        "kube-apiserver",
        format!("registry.k8s.io/kube-apiserver:{v}"),
        flags(&[
            "kube-apiserver",
            &format!("--advertise-address={ip}"),
            "--authorization-mode=Node,RBAC",
            "--secure-port=6443",
            "--service-cluster-ip-range=10.96.0.0/16",
        ]),
    );
    static_pod(
        c,
        &mut m,
        "kube-controller-manager",
        format!("registry.k8s.io/kube-controller-manager:{v}"),
        flags(&[
            "kube-controller-manager",
            "--allocate-node-cidrs=true",
            "--cluster-cidr=10.244.0.0/16",
            "--leader-elect=true",
            "--service-cluster-ip-range=10.96.0.0/16",
        ]),
    );
    static_pod(
        c,
        &mut m,
        "kube-scheduler",
        format!("registry.k8s.io/kube-scheduler:{v}"),
        flags(&[
            "kube-scheduler",
            "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
            "--bind-address=127.0.0.1",
            "--leader-elect=true",
        ]),
    );
    deployment(c, &mut m, "kube-system", "coredns", coredns_template(), 2);
    deployment(
        c,
        &mut m,
        "local-path-storage",
        "local-path-provisioner",
        local_path_template(),
        1,
    );
    daemon_set(c, &mut m, "kindnet", kindnet_template());
    daemon_set(c, &mut m, "kube-proxy", kube_proxy_template());
}

const COREFILE: &str = ".:53 {
    errors
    log
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
";

const COREDNS_STARTUP: &[&str] = &[
    ".:53",
    "[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
    "CoreDNS-1.11.3",
    "linux/amd64, go1.21.11, a6338e9",
];

/// Which of `n` CoreDNS pods answered a logged query: a hash of its line, so the choice is fixed by the
/// seed and every line lands in exactly one pod's log.
fn answering_pod(text: &str, n: usize) -> usize {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (h % n.max(1) as u64) as usize
}

/// What `kubectl logs` prints for one of kind's own pods; `None` for any other pod.
pub fn logs(c: &Cluster, pod: &Pod) -> Option<Vec<LogLine>> {
    let meta = &pod.metadata;
    if !matches!(
        meta.namespace.as_str(),
        "kube-system" | "local-path-storage"
    ) {
        return None;
    }
    let started = pod.status.start_time?;
    let is_coredns = meta.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
        && pod
            .spec
            .containers
            .iter()
            .any(|ct| ct.image == COREDNS_IMAGE);
    let line = |text: &str| LogLine {
        time: started,
        text: text.to_string(),
    };
    if !is_coredns {
        let rfc = started.rfc3339();
        // klog's header: `I` + MMDD, then the time with microseconds, then the thread id.
        let klog = format!(
            "I{}{} {}.000000       1",
            &rfc[5..7],
            &rfc[8..10],
            &rfc[11..19]
        );
        let text: Vec<String> = match meta
            .labels
            .get("app")
            .or_else(|| meta.labels.get("k8s-app"))
            .or_else(|| meta.labels.get("component"))
            .map(String::as_str)
        {
            Some("kindnet") => vec![
                "INFO: kindnetd starting".into(),
                format!("{klog} main.go:139] setting mtu 1500 for CNI "),
                format!("{klog} main.go:109] connected to apiserver: https://kind-control-plane:6443"),
            ],
            Some("kube-proxy") => vec![
                format!("{klog} server_linux.go:66] \"Using iptables proxy\""),
                format!("{klog} server.go:524] \"Version info\" version=\"{VERSION}\""),
            ],
            Some("local-path-provisioner") => vec![format!(
                "time=\"{rfc}\" level=debug msg=\"Applied config: {{\\\"nodePathMap\\\":[{{\\\"node\\\":\\\"DEFAULT_PATH_FOR_NON_LISTED_NODES\\\",\\\"paths\\\":[\\\"/var/local-path-provisioner\\\"]}}]}}\""
            )],
            _ => Vec::new(),
        };
        return Some(text.iter().map(|t| line(t)).collect());
    }
    let mut peers: Vec<&Pod> = c
        .store
        .list::<Pod>(Some("kube-system"))
        .filter(|p| {
            p.metadata.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
                && p.status.pod_ip.is_some()
                && !p.metadata.is_terminating()
        })
        .collect();
    crate::sort::by(&mut peers, |a, b| a.metadata.name.cmp(&b.metadata.name));
    let me = peers.iter().position(|p| p.metadata.uid == meta.uid);
    let mut out: Vec<LogLine> = COREDNS_STARTUP.iter().map(|t| line(t)).collect();
    if let Some(me) = me {
        out.extend(
            c.coredns_log()
                .filter(|l| l.at >= started && answering_pod(&l.text, peers.len()) == me)
                .map(|l| LogLine {
                    time: l.at,
                    text: l.text.clone(),
                }),
        );
    }
    Some(out)
}

/// The kubelet's mirror-pod sync: a static pod runs from its manifest whatever the API server holds, so when
/// its mirror pod is deleted the kubelet posts it again (same name, new uid) while its node lives.
pub(crate) fn observe_deleted(c: &mut Cluster, pod: &Pod) {
    if !pod
        .metadata
        .annotations
        .contains_key("kubernetes.io/config.mirror")
    {
        return;
    }
    let Some(node) = pod.spec.node_name.as_deref().and_then(|n| node(c, n)) else {
        return;
    };
    if node.metadata.is_terminating() {
        return;
    }
    let mut again = pod.clone();
    // A uid of its own, derived rather than drawn, so the cluster's random sequence does not move.
    let salt = format!("{}/{}", pod.metadata.uid, c.store.resource_version())
        .bytes()
        .fold(c.config.seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    again.metadata.uid = Rng::new(salt).uuid();
    again.metadata.resource_version.clear();
    again.metadata.deletion_timestamp = None;
    again.metadata.deletion_grace_period_seconds = None;
    again.metadata.finalizers.clear();
    again.metadata.creation_timestamp = None;
    if let Some(owner) = again.metadata.owner_references.first_mut() {
        owner.uid = node.metadata.uid.clone();
    }
    again.status = Default::default();
    let ip = node.internal_ip().unwrap_or_default().to_string();
    store_pod(c, again, &ip);
}
