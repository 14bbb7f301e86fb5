//! Admission: the defaulting and validation the API server applies before anything reaches the store, with
//! the API server's own messages (k8s-behaviour.md 1.1–1.3).

use crate::api::ApiError;
use crate::cluster::Cluster;
use crate::model::meta::IntOrString;
use crate::model::pod::PodSpec;
use crate::model::statefulset::{RetentionPolicy, RollingUpdate, StatefulSetUpdateStrategy};
use crate::model::{Kind, Object, PodTemplateSpec, StatefulSet, StorageClass};
use crate::quantity;

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn is_dns1035_label(s: &str) -> bool {
    is_dns_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

fn invalid(kind: Kind, name: &str, causes: Vec<String>) -> Result<(), ApiError> {
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid {
            kind,
            name: name.to_string(),
            causes,
        })
    }
}

pub(crate) fn admit_create(c: &mut Cluster, obj: &mut Object) -> Result<(), ApiError> {
    default(obj);
    let name = obj.meta().name.clone();
    let kind = obj.kind();
    let mut causes = validate_name(kind, &name);
    match obj {
        Object::StatefulSet(set) => {
            set.status = Default::default();
            causes.extend(validate_stateful_set(set));
        }
        Object::Deployment(d) => {
            d.status = Default::default();
            causes.extend(validate_workload(
                d.spec.replicas,
                d.spec.selector.as_ref(),
                &d.spec.template,
            ));
        }
        Object::ReplicaSet(rs) => {
            rs.status = Default::default();
            causes.extend(validate_workload(
                rs.spec.replicas,
                rs.spec.selector.as_ref(),
                &rs.spec.template,
            ));
        }
        Object::Pod(pod) => {
            causes.extend(validate_pod_spec(&pod.spec, "spec"));
            pod.status = Default::default();
            pod.status.phase = "Pending".to_string();
            pod.status.qos_class = Some("BestEffort".to_string());
        }
        Object::PersistentVolumeClaim(pvc) => {
            // DefaultStorageClass admission: only a claim with no class at all gets the default.
            if pvc.spec.storage_class_name.is_none() {
                pvc.spec.storage_class_name = default_class(c).map(|sc| sc.metadata.name.clone());
            }
            causes.extend(validate_claim_spec(&pvc.spec, "spec"));
            pvc.status = Default::default();
            pvc.status.phase = "Pending".to_string();
            add_finalizer(&mut pvc.metadata.finalizers, PVC_PROTECTION);
        }
        Object::PersistentVolume(pv) => {
            add_finalizer(&mut pv.metadata.finalizers, PV_PROTECTION);
            if pv.status.phase.is_empty() {
                pv.status.phase = "Pending".to_string();
            }
        }
        Object::Service(svc) => {
            causes.extend(validate_service(svc));
            if causes.is_empty() {
                allocate_service_ip(c, svc);
            }
        }
        _ => {}
    }
    invalid(kind, &name, causes)
}

pub(crate) fn admit_update(
    c: &mut Cluster,
    old: &Object,
    obj: &mut Object,
) -> Result<(), ApiError> {
    default(obj);
    let name = obj.meta().name.clone();
    let kind = obj.kind();
    let mut causes = Vec::new();
    match (old, &mut *obj) {
        (Object::StatefulSet(old), Object::StatefulSet(new)) => {
            new.status = old.status.clone();
            causes.extend(validate_stateful_set(new));
            if causes.is_empty() {
                causes.extend(validate_stateful_set_update(old, new));
            }
            if old.spec != new.spec {
                new.metadata.generation = old.metadata.generation + 1;
            }
        }
        (Object::Deployment(old), Object::Deployment(new)) => {
            new.status = old.status.clone();
            causes.extend(validate_workload(
                new.spec.replicas,
                new.spec.selector.as_ref(),
                &new.spec.template,
            ));
            if old.spec.selector != new.spec.selector {
                causes.push(format!(
                    "spec.selector: Invalid value: {}: field is immutable",
                    selector_value(new.spec.selector.as_ref())
                ));
            }
            if old.spec != new.spec {
                new.metadata.generation = old.metadata.generation + 1;
            }
        }
        (Object::ReplicaSet(old), Object::ReplicaSet(new)) => {
            new.status = old.status.clone();
            causes.extend(validate_workload(
                new.spec.replicas,
                new.spec.selector.as_ref(),
                &new.spec.template,
            ));
            if old.spec != new.spec {
                new.metadata.generation = old.metadata.generation + 1;
            }
        }
        (Object::Pod(old), Object::Pod(new)) => {
            new.status = old.status.clone();
            let mut a = old.spec.clone();
            let b = &new.spec;
            // Only images (and a few scheduling fields) of a pod may change.
            for (ca, cb) in a.containers.iter_mut().zip(&b.containers) {
                ca.image = cb.image.clone();
            }
            if a != *b {
                causes.push(("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)").to_string());
            }
        }
        (Object::PersistentVolumeClaim(old), Object::PersistentVolumeClaim(new)) => {
            new.status = old.status.clone();
            if new.spec.storage_class_name.is_none() {
                new.spec.storage_class_name = old.spec.storage_class_name.clone();
            }
            if new.spec.volume_name.is_none() {
                new.spec.volume_name = old.spec.volume_name.clone();
            }
            let mut a = old.spec.clone();
            a.resources = new.spec.resources.clone();
            if a != new.spec {
                causes.push("spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims".to_string());
            }
        }
        (Object::Service(old), Object::Service(new)) => {
            if new.spec.cluster_ip.is_none() {
                new.spec.cluster_ip = old.spec.cluster_ip.clone();
                new.spec.cluster_ips = old.spec.cluster_ips.clone();
            }
            causes.extend(validate_service(new));
            let _ = c;
        }
        (Object::PersistentVolume(old), Object::PersistentVolume(new))
            if new.status.phase.is_empty() =>
        {
            new.status = old.status.clone();
        }
        _ => {}
    }
    invalid(kind, &name, causes)
}

fn add_finalizer(list: &mut Vec<String>, f: &str) {
    if !list.iter().any(|x| x == f) {
        list.push(f.to_string());
    }
}

/// The default StorageClass: the newest one annotated as default, ties broken by name.
pub(crate) fn default_class(c: &Cluster) -> Option<&StorageClass> {
    c.store
        .list::<StorageClass>(None)
        .filter(|sc| sc.is_default())
        .max_by(|a, b| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
                .then_with(|| b.metadata.name.cmp(&a.metadata.name))
        })
}

fn allocate_service_ip(c: &mut Cluster, svc: &mut crate::model::Service) {
    match svc.spec.cluster_ip.as_deref() {
        Some("None") => svc.spec.cluster_ips = vec!["None".to_string()],
        Some(ip) if !ip.is_empty() => {
            svc.spec.cluster_ips = vec![ip.to_string()];
            c.ipam.used_service_ips.insert(ip.to_string());
        }
        _ => {
            let ip = loop {
                let n = c.rng.below(65_000) + 20;
                let ip = format!("10.96.{}.{}", n / 256, n % 256);
                if !ip.ends_with(".0")
                    && !ip.ends_with(".255")
                    && c.ipam.used_service_ips.insert(ip.clone())
                {
                    break ip;
                }
            };
            svc.spec.cluster_ip = Some(ip.clone());
            svc.spec.cluster_ips = vec![ip];
        }
    }
    if matches!(svc.type_(), "NodePort" | "LoadBalancer") {
        for port in &mut svc.spec.ports {
            if port.node_port.is_none() {
                port.node_port = Some(30_000 + c.rng.below(2_768) as i64);
            }
        }
    }
}

/// Server-side defaulting, applied on every create and update.
fn default(obj: &mut Object) {
    match obj {
        Object::StatefulSet(set) => default_stateful_set(set),
        Object::Deployment(d) => {
            d.spec.replicas.get_or_insert(1);
            d.spec.revision_history_limit.get_or_insert(10);
            d.spec.progress_deadline_seconds.get_or_insert(600);
            let strategy = d.spec.strategy.get_or_insert_with(Default::default);
            let t = strategy
                .type_
                .get_or_insert_with(|| "RollingUpdate".to_string());
            if t == "RollingUpdate" {
                let ru = strategy.rolling_update.get_or_insert_with(Default::default);
                ru.max_surge
                    .get_or_insert(IntOrString::String("25%".into()));
                ru.max_unavailable
                    .get_or_insert(IntOrString::String("25%".into()));
            }
            default_pod_spec(&mut d.spec.template.spec);
        }
        Object::ReplicaSet(rs) => {
            rs.spec.replicas.get_or_insert(1);
            default_pod_spec(&mut rs.spec.template.spec);
        }
        Object::Pod(pod) => default_pod_spec(&mut pod.spec),
        Object::Service(svc) => {
            let spec = &mut svc.spec;
            spec.type_.get_or_insert_with(|| "ClusterIP".to_string());
            if spec.type_.as_deref() != Some("ExternalName") {
                spec.session_affinity
                    .get_or_insert_with(|| "None".to_string());
                spec.internal_traffic_policy
                    .get_or_insert_with(|| "Cluster".to_string());
                spec.ip_family_policy
                    .get_or_insert_with(|| "SingleStack".to_string());
                spec.ip_families
                    .get_or_insert_with(|| serde_json::json!(["IPv4"]));
            }
            if matches!(spec.type_.as_deref(), Some("NodePort" | "LoadBalancer")) {
                spec.external_traffic_policy
                    .get_or_insert_with(|| "Cluster".to_string());
            }
            for p in &mut spec.ports {
                p.protocol.get_or_insert_with(|| "TCP".to_string());
                p.target_port.get_or_insert(IntOrString::Int(p.port));
            }
        }
        Object::PersistentVolumeClaim(pvc) => {
            pvc.spec
                .volume_mode
                .get_or_insert_with(|| "Filesystem".to_string());
        }
        Object::PersistentVolume(pv) => {
            pv.spec
                .persistent_volume_reclaim_policy
                .get_or_insert_with(|| "Retain".to_string());
            pv.spec
                .volume_mode
                .get_or_insert_with(|| "Filesystem".to_string());
        }
        Object::StorageClass(sc) => {
            sc.reclaim_policy
                .get_or_insert_with(|| "Delete".to_string());
            sc.volume_binding_mode
                .get_or_insert_with(|| "Immediate".to_string());
        }
        _ => {}
    }
}

/// `pkg/apis/apps/v1/defaults.go` for StatefulSets, plus the pod template defaults.
fn default_stateful_set(set: &mut StatefulSet) {
    let spec = &mut set.spec;
    spec.pod_management_policy
        .get_or_insert_with(|| "OrderedReady".to_string());
    let strategy = spec
        .update_strategy
        .get_or_insert_with(StatefulSetUpdateStrategy::default);
    if strategy.type_.is_none() {
        strategy.type_ = Some("RollingUpdate".to_string());
        strategy
            .rolling_update
            .get_or_insert_with(RollingUpdate::default);
    }
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        if let Some(ru) = strategy.rolling_update.as_mut() {
            ru.partition.get_or_insert(0);
            ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        }
    }
    let policy = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(RetentionPolicy::default);
    policy
        .when_deleted
        .get_or_insert_with(|| "Retain".to_string());
    policy
        .when_scaled
        .get_or_insert_with(|| "Retain".to_string());
    spec.replicas.get_or_insert(1);
    spec.revision_history_limit.get_or_insert(10);
    default_pod_spec(&mut spec.template.spec);
    for claim in &mut spec.volume_claim_templates {
        claim
            .spec
            .volume_mode
            .get_or_insert_with(|| "Filesystem".to_string());
    }
}

fn default_pod_spec(spec: &mut PodSpec) {
    spec.restart_policy
        .get_or_insert_with(|| "Always".to_string());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.dns_policy
        .get_or_insert_with(|| "ClusterFirst".to_string());
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".to_string());
    for c in spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut())
    {
        let latest = !c.image.contains(':') || c.image.ends_with(":latest");
        c.image_pull_policy
            .get_or_insert_with(|| if latest { "Always" } else { "IfNotPresent" }.to_string());
        c.termination_message_path
            .get_or_insert_with(|| "/dev/termination-log".to_string());
        c.termination_message_policy
            .get_or_insert_with(|| "File".to_string());
        for p in &mut c.ports {
            p.protocol.get_or_insert_with(|| "TCP".to_string());
        }
        for probe in [
            &mut c.readiness_probe,
            &mut c.liveness_probe,
            &mut c.startup_probe,
        ]
        .into_iter()
        .flatten()
        {
            probe.timeout_seconds.get_or_insert(1);
            probe.period_seconds.get_or_insert(10);
            probe.success_threshold.get_or_insert(1);
            probe.failure_threshold.get_or_insert(3);
        }
    }
}

fn validate_name(kind: Kind, name: &str) -> Vec<String> {
    let (ok, msg) = match kind {
        Kind::StatefulSet | Kind::Namespace => (is_dns_label(name), LABEL_MSG),
        Kind::Service => (is_dns1035_label(name), DNS1035_MSG),
        _ => (is_dns_subdomain(name), SUBDOMAIN_MSG),
    };
    if ok {
        Vec::new()
    } else {
        vec![format!("metadata.name: Invalid value: \"{name}\": {msg}")]
    }
}

fn non_negative(path: &str, v: Option<i32>, out: &mut Vec<String>) {
    if let Some(n) = v.filter(|n| *n < 0) {
        out.push(format!(
            "{path}: Invalid value: {n}: must be greater than or equal to 0"
        ));
    }
}

fn render_labels(labels: &crate::model::Labels) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

/// `ValidateStatefulSetSpec` (k8s-behaviour.md 1.2).
fn validate_stateful_set(set: &StatefulSet) -> Vec<String> {
    let spec = &set.spec;
    let mut out = Vec::new();
    match spec.pod_management_policy.as_deref() {
        Some("OrderedReady" | "Parallel") | None => {}
        Some(other) => {
            out.push(format!("spec.podManagementPolicy: Invalid value: \"{other}\": must be 'OrderedReady' or 'Parallel'"))
        }
    }
    if let Some(strategy) = &spec.update_strategy {
        match strategy.type_.as_deref() {
            Some("RollingUpdate") | None => {
                if let Some(ru) = &strategy.rolling_update {
                    non_negative("spec.updateStrategy.rollingUpdate.partition", ru.partition, &mut out);
                    match &ru.max_unavailable {
                        Some(IntOrString::Int(0)) => {
                            out.push("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0".into())
                        }
                        Some(IntOrString::Int(n)) if *n < 0 => out.push(format!(
                            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: {n}: must be greater than or equal to 0"
                        )),
                        Some(IntOrString::String(s)) => match parse_percent(s) {
                            Some(0) => out.push(format!(
                                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"{s}\": cannot be 0"
                            )),
                            Some(p) if p > 100 => out.push(format!(
                                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"{s}\": must not be greater than 100%"
                            )),
                            Some(_) => {}
                            None => out.push(format!(
                                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"{s}\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
                            )),
                        },
                        _ => {}
                    }
                }
            }
            Some("OnDelete") => {
                if strategy.rolling_update.is_some() {
                    out.push("spec.updateStrategy.rollingUpdate: Invalid value: \"OnDelete\": only allowed for updateStrategy 'RollingUpdate'".into());
                }
            }
            Some(other) => out.push(format!(
                "spec.updateStrategy: Invalid value: \"{other}\": must be 'RollingUpdate' or 'OnDelete'"
            )),
        }
    }
    if let Some(policy) = &spec.persistent_volume_claim_retention_policy {
        for (field, v) in [
            ("whenDeleted", &policy.when_deleted),
            ("whenScaled", &policy.when_scaled),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !matches!(*v, "Retain" | "Delete")) {
                out.push(format!(
                    "spec.persistentVolumeClaimRetentionPolicy.{field}: Unsupported value: \"{v}\": supported values: \"Retain\", \"Delete\""
                ));
            }
        }
    }
    non_negative("spec.replicas", spec.replicas, &mut out);
    non_negative("spec.minReadySeconds", spec.min_ready_seconds, &mut out);
    non_negative(
        "spec.ordinals.start",
        spec.ordinals.as_ref().map(|o| o.start),
        &mut out,
    );
    match &spec.selector {
        None => out.push("spec.selector: Required value".into()),
        Some(sel) if sel.is_empty() => out.push(
            "spec.selector: Invalid value: \"null\": empty selector is invalid for statefulset"
                .into(),
        ),
        Some(sel) => {
            if !sel.matches(&spec.template.metadata.labels) {
                out.push(format!(
                    "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
                    render_labels(&spec.template.metadata.labels)
                ));
            }
        }
    }
    out.extend(validate_template(&spec.template));
    for (i, claim) in spec.volume_claim_templates.iter().enumerate() {
        out.extend(validate_claim_spec(
            &claim.spec,
            &format!("spec.volumeClaimTemplates[{i}].spec"),
        ));
    }
    out
}

/// How the API server renders a selector value in an error.
fn selector_value(sel: Option<&crate::model::LabelSelector>) -> String {
    match sel {
        None => "null".to_string(),
        Some(s) => format!("v1.LabelSelector{{MatchLabels:{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}", render_labels(&s.match_labels)),
    }
}

/// Deployment and ReplicaSet: replicas, a selector that matches the template, a valid pod template.
fn validate_workload(
    replicas: Option<i32>,
    selector: Option<&crate::model::LabelSelector>,
    template: &PodTemplateSpec,
) -> Vec<String> {
    let mut out = Vec::new();
    non_negative("spec.replicas", replicas, &mut out);
    match selector {
        None => out.push("spec.selector: Required value".into()),
        Some(sel) if sel.is_empty() => out.push("spec.selector: Invalid value: \"{}\": empty selector is invalid for deployment".into()),
        Some(sel) if !sel.matches(&template.metadata.labels) => out.push(format!(
            "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
            render_labels(&template.metadata.labels)
        )),
        Some(_) => {}
    }
    out.extend(validate_pod_spec(&template.spec, "spec.template.spec"));
    out
}

fn parse_percent(s: &str) -> Option<i64> {
    s.strip_suffix('%')
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()
}

fn validate_template(t: &PodTemplateSpec) -> Vec<String> {
    let mut out = validate_pod_spec(&t.spec, "spec.template.spec");
    match t.spec.restart_policy.as_deref() {
        Some("Always") | None => {}
        Some(other) => out.push(format!(
            "spec.template.spec.restartPolicy: Unsupported value: \"{other}\": supported values: \"Always\""
        )),
    }
    if t.spec.active_deadline_seconds.is_some() {
        out.push("spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported".into());
    }
    out
}

fn validate_pod_spec(spec: &PodSpec, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    if spec.containers.is_empty() {
        out.push(format!("{path}.containers: Required value"));
    }
    for (list, field) in [
        (&spec.init_containers, "initContainers"),
        (&spec.containers, "containers"),
    ] {
        for (i, c) in list.iter().enumerate() {
            if c.name.is_empty() {
                out.push(format!("{path}.{field}[{i}].name: Required value"));
            } else if !is_dns_label(&c.name) {
                out.push(format!(
                    "{path}.{field}[{i}].name: Invalid value: \"{}\": {LABEL_MSG}",
                    c.name
                ));
            }
            if c.image.trim().is_empty() {
                out.push(format!("{path}.{field}[{i}].image: Required value"));
            }
        }
    }
    out
}

fn validate_claim_spec(spec: &crate::model::storage::PvcSpec, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    if spec.access_modes.is_empty() {
        out.push(format!(
            "{path}.accessModes: Required value: at least 1 access mode is required"
        ));
    }
    for mode in &spec.access_modes {
        if !matches!(
            mode.as_str(),
            "ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany" | "ReadWriteOncePod"
        ) {
            out.push(format!(
                "{path}.accessModes: Unsupported value: \"{mode}\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""
            ));
        }
    }
    match spec.resources.requests.get("storage") {
        None => out.push(format!("{path}.resources[storage]: Required value")),
        Some(v) => {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match quantity::parse_bytes(&text) {
                None => out.push(format!(
                    "{path}.resources.requests[storage]: Invalid value: \"{text}\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
                )),
                Some(0) => out.push(format!("{path}.resources[storage]: Invalid value: \"{text}\": must be greater than zero")),
                Some(_) => {}
            }
        }
    }
    out
}

fn validate_service(svc: &crate::model::Service) -> Vec<String> {
    let mut out = Vec::new();
    let t = svc.type_();
    if !matches!(
        t,
        "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName"
    ) {
        out.push(format!(
            "spec.type: Unsupported value: \"{t}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""
        ));
    }
    if svc.spec.ports.is_empty() && !svc.is_headless() && t != "ExternalName" {
        out.push("spec.ports: Required value".into());
    }
    for (i, p) in svc.spec.ports.iter().enumerate() {
        if !(1..=65535).contains(&p.port) {
            out.push(format!(
                "spec.ports[{i}].port: Invalid value: {}: must be between 1 and 65535, inclusive",
                p.port
            ));
        }
        if let Some(np) = p.node_port {
            if t == "ClusterIP" {
                out.push(format!("spec.ports[{i}].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"));
            } else if !(30000..=32767).contains(&np) {
                out.push(format!(
                    "spec.ports[{i}].nodePort: Invalid value: {np}: provided port is not in the valid range. The range of valid ports is 30000-32767"
                ));
            }
        }
        if svc.spec.ports.len() > 1 && p.name.as_deref().unwrap_or("").is_empty() {
            out.push(format!("spec.ports[{i}].name: Required value"));
        }
    }
    out
}

/// `ValidateStatefulSetUpdate` (k8s-behaviour.md 1.3): everything but the mutable fields must stay.
fn validate_stateful_set_update(old: &StatefulSet, new: &StatefulSet) -> Vec<String> {
    let mut a = old.spec.clone();
    let b = &new.spec;
    a.replicas = b.replicas;
    a.ordinals = b.ordinals.clone();
    a.template = b.template.clone();
    a.update_strategy = b.update_strategy.clone();
    a.revision_history_limit = b.revision_history_limit;
    a.persistent_volume_claim_retention_policy = b.persistent_volume_claim_retention_policy.clone();
    a.min_ready_seconds = b.min_ready_seconds;
    if a == *b {
        Vec::new()
    } else {
        vec!["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden".into()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_label_rules() {
        assert!(is_dns_label("web"));
        assert!(is_dns_label("web-0"));
        assert!(!is_dns_label("web.v1"));
        assert!(!is_dns_label("-web"));
        assert!(!is_dns_label("Web"));
        assert!(!is_dns_label(&"a".repeat(64)));
        assert!(is_dns_subdomain("www-web-0"));
        assert!(!is_dns1035_label("0web"));
    }
}
