//! Admission: the defaulting and validation the API server applies before anything reaches the store, with
//! the API server's own messages (k8s-behaviour.md 1.1–1.3, 2.1): field validation first, then the validating
//! admission plugins (the claim resize check), in the API server's order.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::api::ApiError;
use crate::ipam::Ipam;
use crate::model::meta::IntOrString;
use crate::model::pod::{PodSpec, Volume, VolumeMount};
use crate::model::statefulset::{RetentionPolicy, RollingUpdate, StatefulSetUpdateStrategy};
use crate::model::storage::{PersistentVolumeClaim, PvSpec, PvcSpec};
use crate::model::{
    ConfigMap, Kind, Object, PersistentVolume, Pod, PodTemplateSpec, Secret, ServiceAccount,
    StatefulSet, StorageClass,
};
use crate::quantity::{self, Quantity};
use crate::rng::Rng;
use crate::store::Store;

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
            context: None,
        })
    }
}

/// What admission reads and draws from: the objects already stored (quota-like checks, defaults that depend
/// on other objects), the cluster's RNG (service IPs, node ports) and its address book.
pub(crate) struct Admit<'a> {
    pub store: &'a Store,
    pub rng: &'a mut Rng,
    pub ipam: &'a mut Ipam,
}

pub(crate) fn admit_create(c: &mut Admit<'_>, obj: &mut Object) -> Result<(), ApiError> {
    default(obj);
    let name = obj.meta().name.clone();
    let kind = obj.kind();
    let mut causes = validate_name(kind, &name);
    causes.extend(validate_annotations_size(&obj.meta().annotations));
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
        Object::DaemonSet(ds) => {
            ds.status = Default::default();
            causes.extend(validate_daemon_set(&ds.spec));
        }
        Object::Pod(pod) => {
            let account = pod
                .spec
                .service_account_name
                .clone()
                .or_else(|| pod.spec.service_account.clone())
                .filter(|a| !a.is_empty())
                .unwrap_or_else(|| "default".to_string());
            let ns = pod.metadata.namespace.clone();
            let Some(sa) = c.store.get_typed::<ServiceAccount>(&ns, &account) else {
                return Err(ApiError::Forbidden(format!(
                    "pods {:?} is forbidden: error looking up service account {ns}/{account}: serviceaccount {account:?} not found",
                    pod.metadata.name
                )));
            };
            let automount = sa.automount_service_account_token;
            causes.extend(validate_pod_spec(&pod.spec, "spec"));
            validate_restart_policy(&pod.spec, "spec", &mut causes);
            let unique = c.store.resource_version();
            admit_pod(pod, &account, automount, unique);
        }
        Object::PersistentVolumeClaim(pvc) => {
            // DefaultStorageClass admission: only a claim with no class at all gets the default.
            if pvc.spec.storage_class_name.is_none() {
                pvc.spec_mut().storage_class_name =
                    default_class(c.store).map(|sc| sc.metadata.name.clone());
            }
            causes.extend(validate_claim_spec(&pvc.spec, "spec"));
            pvc.status = Default::default();
            pvc.status.phase = "Pending".to_string();
            add_finalizer(&mut pvc.metadata.finalizers, PVC_PROTECTION);
        }
        Object::PersistentVolume(pv) => {
            causes.extend(validate_pv_spec(&pv.spec));
            add_finalizer(&mut pv.metadata.finalizers, PV_PROTECTION);
            // The status is the controller's: a manifest's `status:` is dropped.
            pv.status = Default::default();
            pv.status.phase = "Pending".to_string();
        }
        Object::StorageClass(sc) => causes.extend(validate_storage_class(sc)),
        Object::ConfigMap(cm) => causes.extend(validate_config_map_size(cm)),
        Object::Secret(secret) => causes.extend(validate_secret_size(secret)),
        Object::Service(svc) => {
            // The status belongs to the controllers (the load balancer's address).
            svc.status = None;
            causes.extend(validate_service(svc));
            if causes.is_empty() {
                // The allocators run after validation, cluster IP first, and stop at their first refusal.
                let ips_before = c.ipam.used_service_ips.clone();
                allocate_service_ip(c, svc);
                if let Err(cause) = crate::portallocator::allocate_for_create(c.store, c.rng, svc) {
                    c.ipam.used_service_ips = ips_before;
                    causes.push(cause);
                }
            }
        }
        _ => {}
    }
    invalid(kind, &name, causes)
}

/// apimachinery `TotalAnnotationSizeLimitB`: all of an object's annotations, keys and values, in bytes.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// `ValidateAnnotationsSize`: a manifest of a few hundred kilobytes fails here under `kubectl apply`, whose
/// last-applied-configuration annotation holds the whole object again.
fn validate_annotations_size(annotations: &BTreeMap<String, String>) -> Vec<String> {
    let total: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        vec![format!(
            "metadata.annotations: Too long: may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes"
        )]
    } else {
        Vec::new()
    }
}

/// `core.MaxSecretSize`: what a ConfigMap's or a Secret's data may hold, in bytes.
pub const MAX_SECRET_SIZE: usize = 1024 * 1024;

/// How many bytes base64 `text` stands for (Go decodes `binaryData` and a Secret's `data` to `[]byte`).
fn decoded_len(text: &str) -> usize {
    crate::base64::decode(text).map_or(text.len(), |b| b.len())
}

/// `ValidateConfigMap`'s size check: `data` and `binaryData` together; the error names the whole object
/// (`field.NewPath("")`, which prints as `[]`).
fn validate_config_map_size(cm: &ConfigMap) -> Vec<String> {
    let binary: usize = cm
        .binary_data
        .as_ref()
        .and_then(serde_json::Value::as_object)
        .map_or(0, |m| {
            m.values()
                .filter_map(serde_json::Value::as_str)
                .map(decoded_len)
                .sum()
        });
    let total = cm.data.values().map(String::len).sum::<usize>() + binary;
    if total > MAX_SECRET_SIZE {
        vec![format!(
            "[]: Too long: may not be more than {MAX_SECRET_SIZE} bytes"
        )]
    } else {
        Vec::new()
    }
}

/// `ValidateSecret`'s size check, over `data` once `stringData` is merged into it.
fn validate_secret_size(secret: &Secret) -> Vec<String> {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    sizes.extend(
        secret
            .data
            .iter()
            .map(|(k, v)| (k.as_str(), decoded_len(v))),
    );
    for (k, v) in &secret.string_data {
        sizes.insert(k, v.len());
    }
    if sizes.values().sum::<usize>() > MAX_SECRET_SIZE {
        vec![format!(
            "data: Too long: may not be more than {MAX_SECRET_SIZE} bytes"
        )]
    } else {
        Vec::new()
    }
}

/// Where the ServiceAccount admission plugin mounts the API credentials in every container.
pub const SA_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// What the API server writes into a new pod beyond defaulting: the `default` service account and its projected
/// `kube-api-access-*` volume mounted in every container (ServiceAccount plugin), the two 300 s NoExecute
/// tolerations (DefaultTolerationSeconds), priority 0 (Priority), service links, and the QoS class in the
/// status. `unique` makes the volume's five-letter suffix differ between pods, as the real random one does.
pub(crate) fn admit_pod(
    pod: &mut Pod,
    account: &str,
    account_automount: Option<bool>,
    unique: u64,
) {
    let spec = std::sync::Arc::make_mut(&mut pod.spec);
    spec.service_account_name = Some(account.to_string());
    spec.service_account = Some(account.to_string());
    spec.enable_service_links.get_or_insert(true);
    spec.priority.get_or_insert(0);
    spec.preemption_policy
        .get_or_insert_with(|| "PreemptLowerPriority".to_string());
    add_default_tolerations(spec);
    // The pod's own setting wins over its account's.
    let automount = spec
        .automount_service_account_token
        .or(account_automount)
        .unwrap_or(true);
    if automount {
        let already = spec
            .containers
            .iter()
            .chain(&spec.init_containers)
            .flat_map(|c| &c.volume_mounts)
            .any(|m| m.mount_path == SA_MOUNT_PATH);
        if !already {
            let key = format!("{}/{}/{unique}", pod.metadata.namespace, pod.metadata.name);
            let name = format!("kube-api-access-{}", random_suffix(&key));
            spec.volumes.push(token_volume(&name));
            for c in spec
                .init_containers
                .iter_mut()
                .chain(spec.containers.iter_mut())
            {
                c.volume_mounts.push(VolumeMount {
                    name: name.clone(),
                    mount_path: SA_MOUNT_PATH.to_string(),
                    sub_path: None,
                    read_only: Some(true),
                });
            }
        }
    }
    pod.status = Default::default();
    pod.status.phase = "Pending".to_string();
    pod.status.qos_class = Some(pod.qos_class().to_string());
}

/// Five characters from `utilrand.String`'s alphabet (no vowels, no look-alike digits), derived from `key`.
fn random_suffix(key: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (0..5)
        .map(|_| {
            let c = char::from(ALPHABET[(h % ALPHABET.len() as u64) as usize]);
            h /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

/// The projected volume with the service-account token, the cluster's CA and the namespace.
fn token_volume(name: &str) -> Volume {
    Volume {
        name: name.to_string(),
        projected: Some(serde_json::json!({
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
            ]
        })),
        ..Default::default()
    }
}

/// DefaultTolerationSeconds: tolerate `not-ready` and `unreachable` NoExecute taints for 300 s unless the pod
/// already tolerates them.
fn add_default_tolerations(spec: &mut PodSpec) {
    let mut list = match spec.tolerations.take() {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let covered = list.iter().any(|t| {
            let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
            let k = t.get("key").and_then(Value::as_str).unwrap_or("");
            let op = t.get("operator").and_then(Value::as_str).unwrap_or("Equal");
            (k == key || (k.is_empty() && op == "Exists"))
                && (effect.is_empty() || effect == "NoExecute")
        });
        if !covered {
            list.push(serde_json::json!({
                "effect": "NoExecute",
                "key": key,
                "operator": "Exists",
                "tolerationSeconds": 300,
            }));
        }
    }
    spec.tolerations = Some(Value::Array(list));
}

pub(crate) fn admit_update(
    c: &mut Admit<'_>,
    old: &Object,
    obj: &mut Object,
) -> Result<(), ApiError> {
    // The object as sent, before defaulting rewrites its quantities: a refused claim update shows them so.
    let raw = matches!(obj, Object::PersistentVolumeClaim(_)).then(|| obj.clone());
    default(obj);
    let name = obj.meta().name.clone();
    let kind = obj.kind();
    let mut causes = validate_annotations_size(&obj.meta().annotations);
    match (old, &mut *obj) {
        (Object::StatefulSet(old), Object::StatefulSet(new)) => {
            new.status = old.status.clone();
            // ValidateStatefulSetUpdate validates the new spec, then adds the Forbidden error for any change to
            // an immutable field: a selector patch gets both (pkg/apis/apps/validation/validation.go).
            causes.extend(validate_stateful_set(new));
            causes.extend(validate_stateful_set_update(old, new));
            next_generation(old.spec != new.spec, &old.metadata, &mut new.metadata);
        }
        (Object::Deployment(old), Object::Deployment(new)) => {
            new.status = old.status.clone();
            causes.extend(validate_workload(
                new.spec.replicas,
                new.spec.selector.as_ref(),
                &new.spec.template,
            ));
            immutable_selector(
                old.spec.selector.as_ref(),
                new.spec.selector.as_ref(),
                &mut causes,
            );
            next_generation(old.spec != new.spec, &old.metadata, &mut new.metadata);
        }
        (Object::ReplicaSet(old), Object::ReplicaSet(new)) => {
            new.status = old.status.clone();
            causes.extend(validate_workload(
                new.spec.replicas,
                new.spec.selector.as_ref(),
                &new.spec.template,
            ));
            next_generation(old.spec != new.spec, &old.metadata, &mut new.metadata);
        }
        // The daemonset strategy's ValidateUpdate: the spec as on create, and (in apps/v1) a selector that
        // stays as it was.
        (Object::DaemonSet(old), Object::DaemonSet(new)) => {
            new.status = old.status.clone();
            causes.extend(validate_daemon_set(&new.spec));
            immutable_selector(
                old.spec.selector.as_ref(),
                new.spec.selector.as_ref(),
                &mut causes,
            );
            next_generation(old.spec != new.spec, &old.metadata, &mut new.metadata);
        }
        (Object::Pod(old), Object::Pod(new)) => {
            new.status = old.status.clone();
            causes.extend(validate_pod_spec(&new.spec, "spec"));
            validate_restart_policy(&new.spec, "spec", &mut causes);
            // ValidatePodUpdate (pkg/apis/core/validation): activeDeadlineSeconds may be added, or lowered
            // (to 0 or more), never raised or removed; a bad value ends the checks there.
            let stop = match (
                old.spec.active_deadline_seconds,
                new.spec.active_deadline_seconds,
            ) {
                (_, Some(n)) if !(0..=i64::from(i32::MAX)).contains(&n) => {
                    causes.push(format!("spec.activeDeadlineSeconds: Invalid value: {n}: must be between 0 and 2147483647, inclusive"));
                    true
                }
                (Some(o), Some(n)) if n > o => {
                    causes.push(format!("spec.activeDeadlineSeconds: Invalid value: {n}: must be less than or equal to previous value"));
                    true
                }
                (Some(_), None) => {
                    causes.push("spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value".into());
                    false
                }
                _ => false,
            };
            let mut a = PodSpec::clone(&old.spec);
            let b = &new.spec;
            // Only images, the deadline (and a few scheduling fields) of a pod may change.
            for (ca, cb) in a.containers.iter_mut().zip(&b.containers) {
                ca.image = cb.image.clone();
            }
            for (ca, cb) in a.init_containers.iter_mut().zip(&b.init_containers) {
                ca.image = cb.image.clone();
            }
            a.active_deadline_seconds = b.active_deadline_seconds;
            if !stop && a != **b {
                causes.push(("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)").to_string());
            }
        }
        (Object::PersistentVolumeClaim(old), Object::PersistentVolumeClaim(new)) => {
            new.status = old.status.clone();
            let raw = match raw {
                Some(Object::PersistentVolumeClaim(r)) => r.spec,
                _ => new.spec.clone(),
            };
            causes.extend(validate_claim_spec(&new.spec, "spec"));
            causes.extend(validate_claim_update(old, new, &raw));
            if causes.is_empty() {
                // The PersistentVolumeClaimResize admission plugin runs after validation.
                resize_admission(c.store, old, new)?;
            }
        }
        (Object::PersistentVolume(old), Object::PersistentVolume(new)) => {
            new.status = old.status.clone();
            causes.extend(validate_pv_spec(&new.spec));
            causes.extend(validate_pv_update(old, new));
        }
        (Object::StorageClass(old), Object::StorageClass(new)) => {
            causes.extend(validate_storage_class(new));
            causes.extend(validate_storage_class_update(old, new));
        }
        (Object::Service(old), Object::Service(new)) => {
            new.status = old.status.clone();
            if new.spec.cluster_ip.is_none() {
                new.spec.cluster_ip = old.spec.cluster_ip.clone();
                new.spec.cluster_ips = old.spec.cluster_ips.clone();
            }
            crate::portallocator::patch_for_update(old, new);
            causes.extend(validate_service(new));
            if causes.is_empty() {
                if let Err(cause) =
                    crate::portallocator::allocate_for_update(c.store, c.rng, old, new)
                {
                    causes.push(cause);
                }
            }
        }
        (Object::ConfigMap(_), Object::ConfigMap(new)) => {
            causes.extend(validate_config_map_size(new))
        }
        (Object::Secret(_), Object::Secret(new)) => causes.extend(validate_secret_size(new)),
        _ => {}
    }
    invalid(kind, &name, causes)
}

/// Validation of a write through the status subresource. A StatefulSet's counts are checked as
/// apps/validation `ValidateStatefulSetStatus` checks them; other kinds' status is taken as sent.
pub(crate) fn validate_status(obj: &Object, old: &Object) -> Result<(), ApiError> {
    let (Object::StatefulSet(set), Object::StatefulSet(old)) = (obj, old) else {
        return Ok(());
    };
    let s = &set.status;
    let mut causes = Vec::new();
    for (field, n) in [
        ("replicas", s.replicas),
        ("readyReplicas", s.ready_replicas),
        ("currentReplicas", s.current_replicas),
        ("updatedReplicas", s.updated_replicas),
        ("availableReplicas", s.available_replicas),
    ] {
        non_negative(&format!("status.{field}"), Some(n), &mut causes);
    }
    if let Some(g) = s.observed_generation.filter(|g| *g < 0) {
        causes.push(format!(
            "status.observedGeneration: Invalid value: {g}: must be greater than or equal to 0"
        ));
    }
    non_negative(
        "status.collisionCount",
        Some(s.collision_count),
        &mut causes,
    );
    for (field, n) in [
        ("readyReplicas", s.ready_replicas),
        ("currentReplicas", s.current_replicas),
        ("updatedReplicas", s.updated_replicas),
        ("availableReplicas", s.available_replicas),
    ] {
        if n > s.replicas {
            causes.push(format!(
                "status.{field}: Invalid value: {n}: cannot be greater than status.replicas"
            ));
        }
    }
    if s.available_replicas > s.ready_replicas {
        causes.push(format!(
            "status.availableReplicas: Invalid value: {}: cannot be greater than status.readyReplicas",
            s.available_replicas
        ));
    }
    if s.collision_count < old.status.collision_count {
        causes.push(format!(
            "status.collisionCount: Invalid value: {}: cannot be decremented",
            s.collision_count
        ));
    }
    invalid(Kind::StatefulSet, &set.metadata.name, causes)
}

fn add_finalizer(list: &mut Vec<String>, f: &str) {
    if !list.iter().any(|x| x == f) {
        list.push(f.to_string());
    }
}

/// The default StorageClass: the newest one annotated as default, ties broken by name.
pub(crate) fn default_class(store: &crate::store::Store) -> Option<&StorageClass> {
    store
        .list::<StorageClass>(None)
        .filter(|sc| sc.is_default())
        .max_by(|a, b| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
                .then_with(|| b.metadata.name.cmp(&a.metadata.name))
        })
}

fn allocate_service_ip(c: &mut Admit<'_>, svc: &mut crate::model::Service) {
    // The service registry's needsClusterIP: an ExternalName service is only a DNS alias.
    if svc.spec.type_.as_deref() == Some("ExternalName") {
        return;
    }
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
        Object::DaemonSet(ds) => {
            ds.spec.revision_history_limit.get_or_insert(10);
            default_daemon_set_strategy(&mut ds.spec.update_strategy);
            default_pod_spec(&mut ds.spec.template.spec);
        }
        Object::Pod(pod) => default_pod_spec(pod.spec_mut()),
        // core/v1 defaults.go SetDefaults_Secret.
        Object::Secret(s) => {
            s.type_.get_or_insert_with(|| "Opaque".to_string());
        }
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
            if spec.type_.as_deref() == Some("LoadBalancer") {
                spec.allocate_load_balancer_node_ports.get_or_insert(true);
            }
            for p in &mut spec.ports {
                p.protocol.get_or_insert_with(|| "TCP".to_string());
                p.target_port.get_or_insert(IntOrString::Int(p.port));
            }
        }
        Object::PersistentVolumeClaim(pvc) => {
            let spec = pvc.spec_mut();
            spec.volume_mode
                .get_or_insert_with(|| "Filesystem".to_string());
            store_quantities(&mut spec.resources.requests);
            store_quantities(&mut spec.resources.limits);
        }
        Object::PersistentVolume(pv) => {
            let spec = pv.spec_mut();
            spec.persistent_volume_reclaim_policy
                .get_or_insert_with(|| "Retain".to_string());
            spec.volume_mode
                .get_or_insert_with(|| "Filesystem".to_string());
            store_quantities(&mut spec.capacity);
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
        let spec = claim.spec_mut();
        spec.volume_mode
            .get_or_insert_with(|| "Filesystem".to_string());
        store_quantities(&mut spec.resources.requests);
        store_quantities(&mut spec.resources.limits);
    }
}

/// Quantities are stored as the API server writes them back: the text as sent when it was canonical, the
/// canonical text otherwise (`1.5Gi` becomes `1536Mi`).
fn store_quantities(map: &mut BTreeMap<String, Value>) {
    for v in map.values_mut() {
        if let Some(text) = quantity::stored_text(v) {
            *v = Value::String(text);
        }
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
    // Go serializes these defaulted structs even when empty: `securityContext: {}`, `resources: {}`.
    spec.security_context
        .get_or_insert_with(|| Value::Object(Default::default()));
    for c in spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut())
    {
        c.resources
            .get_or_insert_with(|| Value::Object(Default::default()));
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
    // apimachinery ValidateObjectMeta: no name (and no generateName) is reported alone.
    if name.is_empty() {
        return vec!["metadata.name: Required value: name or generateName is required".into()];
    }
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

/// A `rollingUpdate` block as these errors print it. The validator hands `field.Invalid` the internal
/// `apps.RollingUpdateStatefulSetStrategy`, and apimachinery's `ErrorBody` renders a struct with `json.Marshal`;
/// internal types have no json tags, so the keys are Go's field names in declaration order, a missing partition
/// is the int32 zero, and a missing maxUnavailable is `null` (`pkg/apis/apps/types.go`,
/// `pkg/util/validation/field/errors.go`).
fn internal_rolling_update_json(ru: Option<&crate::model::statefulset::RollingUpdate>) -> String {
    let Some(ru) = ru else {
        return "null".into();
    };
    let max_unavailable = ru
        .max_unavailable
        .as_ref()
        .map_or_else(|| "null".to_string(), int_or_string_json);
    format!(
        "{{\"Partition\":{},\"MaxUnavailable\":{max_unavailable}}}",
        ru.partition.unwrap_or(0)
    )
}

/// A `map[string]string` as these errors print it: `json.Marshal`, keys sorted.
fn render_labels(labels: &crate::model::Labels) -> String {
    let map = labels
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    crate::gojson::go_json(&serde_json::Value::Object(map))
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
                    non_negative(
                        "spec.updateStrategy.rollingUpdate.partition",
                        ru.partition,
                        &mut out,
                    );
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
                            Some(p) if p > 100 => out.push(over_100_percent(
                                "spec.updateStrategy.rollingUpdate.maxUnavailable",
                                &format!("\"{s}\""),
                            )),
                            Some(_) => {}
                            None => out.push(not_a_percent(
                                "spec.updateStrategy.rollingUpdate.maxUnavailable",
                                &format!("\"{s}\""),
                            )),
                        },
                        _ => {}
                    }
                }
            }
            Some("OnDelete") => {
                if let Some(ru) = &strategy.rolling_update {
                    out.push(format!(
                        "spec.updateStrategy.rollingUpdate: Invalid value: {}: only allowed for updateStrategy 'RollingUpdate'",
                        internal_rolling_update_json(Some(ru))
                    ));
                }
            }
            Some(other) => {
                let mut type_ = String::new();
                crate::gojson::go_json_string(other, &mut type_);
                out.push(format!(
                    "spec.updateStrategy: Invalid value: {{\"Type\":{type_},\"RollingUpdate\":{}}}: must be 'RollingUpdate' or 'OnDelete'",
                    internal_rolling_update_json(strategy.rolling_update.as_ref())
                ));
            }
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
        Some(sel) if sel.is_empty() => out.push(format!(
            "spec.selector: Invalid value: {}: empty selector is invalid for statefulset",
            selector_value(Some(sel))
        )),
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

/// The workload strategies' `PrepareForUpdate`: any change to the spec moves the generation on (the status
/// subresource's writes never do).
fn next_generation(
    spec_changed: bool,
    old: &crate::model::ObjectMeta,
    new: &mut crate::model::ObjectMeta,
) {
    if spec_changed {
        new.generation = old.generation + 1;
    }
}

/// ValidateImmutableField on an apps/v1 workload's selector (a Deployment's, a DaemonSet's).
fn immutable_selector(
    old: Option<&crate::model::LabelSelector>,
    new: Option<&crate::model::LabelSelector>,
    out: &mut Vec<String>,
) {
    if old != new {
        out.push(format!(
            "spec.selector: Invalid value: {}: field is immutable",
            selector_value(new)
        ));
    }
}

/// A `*metav1.LabelSelector` as these errors print it: `json.Marshal` of the external type (json tags,
/// `omitempty`, `matchLabels` before `matchExpressions`), `null` when absent.
fn selector_value(sel: Option<&crate::model::LabelSelector>) -> String {
    let Some(sel) = sel else {
        return "null".to_string();
    };
    let mut fields = Vec::new();
    if !sel.match_labels.is_empty() {
        fields.push(format!(
            "\"matchLabels\":{}",
            render_labels(&sel.match_labels)
        ));
    }
    if !sel.match_expressions.is_empty() {
        let expressions = serde_json::to_value(&sel.match_expressions).unwrap_or_default();
        // Each requirement's keys sort into Go's field order (key, operator, values).
        fields.push(format!(
            "\"matchExpressions\":{}",
            crate::gojson::go_json(&expressions)
        ));
    }
    format!("{{{}}}", fields.join(","))
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
        Some(sel) if sel.is_empty() => out.push(format!(
            "spec.selector: Invalid value: {}: empty selector is invalid for deployment",
            selector_value(Some(sel))
        )),
        Some(sel) if !sel.matches(&template.metadata.labels) => out.push(format!(
            "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
            render_labels(&template.metadata.labels)
        )),
        Some(_) => {}
    }
    validate_workload_pods(template, "ReplicaSet", &mut out);
    out
}

/// The pod template of a workload that keeps its pods running: ValidatePodTemplateSpec, then (as
/// ValidatePodTemplateSpecForReplicaSet and ValidateDaemonSetSpec add) pods that always restart and have no
/// deadline. `kind` is the word the deadline's message uses.
fn validate_workload_pods(template: &PodTemplateSpec, kind: &str, out: &mut Vec<String>) {
    out.extend(validate_pod_spec(&template.spec, "spec.template.spec"));
    validate_restart_policy(&template.spec, "spec.template.spec", out);
    if let Some(other) = template
        .spec
        .restart_policy
        .as_deref()
        .filter(|p| *p != "Always")
    {
        out.push(not_supported(
            "spec.template.spec.restartPolicy",
            other,
            &["Always"],
        ));
    }
    if template.spec.active_deadline_seconds.is_some() {
        out.push(format!("spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in {kind} is not Supported"));
    }
}

/// SetDefaults_DaemonSet's update strategy: RollingUpdate, one pod unavailable at a time and none surging.
fn default_daemon_set_strategy(strategy: &mut Option<Value>) {
    let strategy = strategy.get_or_insert_with(|| Value::Object(Default::default()));
    let Some(fields) = strategy.as_object_mut() else {
        return;
    };
    let type_ = fields
        .entry("type")
        .or_insert_with(|| Value::from("RollingUpdate"));
    if type_.as_str() == Some("") {
        *type_ = Value::from("RollingUpdate");
    }
    if type_.as_str() != Some("RollingUpdate") {
        return;
    }
    let rolling = fields
        .entry("rollingUpdate")
        .or_insert_with(|| Value::Object(Default::default()));
    if rolling.is_null() {
        *rolling = Value::Object(Default::default());
    }
    if let Some(rolling) = rolling.as_object_mut() {
        rolling
            .entry("maxUnavailable")
            .or_insert_with(|| Value::from(1));
        rolling.entry("maxSurge").or_insert_with(|| Value::from(0));
    }
}

/// ValidateDaemonSetSpec (pkg/apis/apps/validation): the template's labels must match the selector (a missing
/// selector matches nothing), an empty selector is refused, the pod template as a workload's, and the numbers
/// and update strategy as defaulting left them.
fn validate_daemon_set(spec: &crate::model::workloads::DaemonSetSpec) -> Vec<String> {
    let mut out = Vec::new();
    let labels = &spec.template.metadata.labels;
    if !spec.selector.as_ref().is_some_and(|s| s.matches(labels)) {
        out.push(format!(
            "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
            render_labels(labels)
        ));
    }
    if spec.selector.as_ref().is_some_and(|s| s.is_empty()) {
        out.push(format!(
            "spec.selector: Invalid value: {}: empty selector is invalid for daemonset",
            selector_value(spec.selector.as_ref())
        ));
    }
    validate_workload_pods(&spec.template, "DaemonSet", &mut out);
    non_negative("spec.minReadySeconds", spec.min_ready_seconds, &mut out);
    if let Some(strategy) = &spec.update_strategy {
        validate_daemon_set_strategy(strategy, &mut out);
    }
    non_negative(
        "spec.revisionHistoryLimit",
        spec.revision_history_limit,
        &mut out,
    );
    out
}

/// An intstr field of the strategy as the internal type holds it: a number, a string, or (absent) the int 0.
fn int_or_string(value: Option<&Value>) -> IntOrString {
    match value {
        Some(Value::String(s)) => IntOrString::String(s.clone()),
        Some(v) => IntOrString::Int(v.as_i64().unwrap_or(0)),
        None => IntOrString::Int(0),
    }
}

/// An intstr as `ErrorBody` prints it: its JSON.
fn int_or_string_json(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => {
            let mut quoted = String::new();
            crate::gojson::go_json_string(s, &mut quoted);
            quoted
        }
    }
}

/// IsValidPercent's refusal of `shown` (the value as the error prints it) at `path`.
fn not_a_percent(path: &str, shown: &str) -> String {
    format!(
        "{path}: Invalid value: {shown}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
    )
}

/// IsNotMoreThan100Percent's refusal of `shown` at `path`.
fn over_100_percent(path: &str, shown: &str) -> String {
    format!("{path}: Invalid value: {shown}: must not be greater than 100%")
}

/// getIntOrPercentValue: a valid percent's number, else the value as an int (a string that is not one is 0).
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match v {
        IntOrString::Int(n) => *n,
        IntOrString::String(s) => parse_percent(s).or_else(|| s.parse().ok()).unwrap_or(0),
    }
}

/// ValidateDaemonSetUpdateStrategy with ValidateRollingUpdateDaemonSet.
fn validate_daemon_set_strategy(strategy: &Value, out: &mut Vec<String>) {
    let type_ = strategy.get("type").and_then(Value::as_str).unwrap_or("");
    let rolling = strategy.get("rollingUpdate").filter(|v| !v.is_null());
    let at = "spec.updateStrategy.rollingUpdate";
    match (type_, rolling) {
        ("OnDelete", _) => {}
        ("RollingUpdate", None) => out.push(format!("{at}: Required value")),
        ("RollingUpdate", Some(rolling)) => {
            let unavailable = int_or_string(rolling.get("maxUnavailable"));
            let surge = int_or_string(rolling.get("maxSurge"));
            let fields = [("maxUnavailable", &unavailable), ("maxSurge", &surge)];
            for (name, v) in fields {
                match v {
                    IntOrString::String(s) if parse_percent(s).is_none() => out.push(
                        not_a_percent(&format!("{at}.{name}"), &int_or_string_json(v)),
                    ),
                    IntOrString::Int(n) if *n < 0 => out.push(format!(
                        "{at}.{name}: Invalid value: {n}: must be greater than or equal to 0"
                    )),
                    _ => {}
                }
            }
            for (name, v) in fields {
                if let IntOrString::String(s) = v {
                    if parse_percent(s).is_some_and(|p| p > 100) {
                        out.push(over_100_percent(
                            &format!("{at}.{name}"),
                            &int_or_string_json(v),
                        ));
                    }
                }
            }
            match (
                int_or_percent_value(&unavailable) != 0,
                int_or_percent_value(&surge) != 0,
            ) {
                (true, true) => out.push(format!(
                    "{at}.maxSurge: Invalid value: {}: may not be set when maxUnavailable is non-zero",
                    int_or_string_json(&surge)
                )),
                (false, false) => out.push(format!(
                    "{at}.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
                )),
                _ => {}
            }
        }
        _ => {
            // The internal strategy as json.Marshal prints it: Go's field names, no tags.
            let rolling = match rolling {
                None => "null".to_string(),
                Some(r) => format!(
                    "{{\"MaxUnavailable\":{},\"MaxSurge\":{}}}",
                    int_or_string_json(&int_or_string(r.get("maxUnavailable"))),
                    int_or_string_json(&int_or_string(r.get("maxSurge")))
                ),
            };
            let mut quoted = String::new();
            crate::gojson::go_json_string(type_, &mut quoted);
            out.push(format!(
                "spec.updateStrategy: Unsupported value: {{\"Type\":{quoted},\"RollingUpdate\":{rolling}}}: supported values: \"RollingUpdate\", \"OnDelete\""
            ));
        }
    }
}

/// validateRestartPolicy (a pod's, and a pod template's): one of the three, in the order the API lists them.
fn validate_restart_policy(spec: &PodSpec, path: &str, out: &mut Vec<String>) {
    if let Some(other) = spec
        .restart_policy
        .as_deref()
        .filter(|p| !["Always", "OnFailure", "Never"].contains(p))
    {
        out.push(not_supported(
            &format!("{path}.restartPolicy"),
            other,
            &["Always", "OnFailure", "Never"],
        ));
    }
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
    // ValidateVolumes comes first: the source's errors, then the name's.
    for (i, v) in spec.volumes.iter().enumerate() {
        if v.persistent_volume_claim
            .as_ref()
            .is_some_and(|c| c.claim_name.is_empty())
        {
            out.push(format!(
                "{path}.volumes[{i}].persistentVolumeClaim.claimName: Required value"
            ));
        }
        if v.name.is_empty() {
            out.push(format!("{path}.volumes[{i}].name: Required value"));
        }
    }
    if spec.containers.is_empty() {
        out.push(format!("{path}.containers: Required value"));
    }
    for (list, field) in [
        (&spec.init_containers, "initContainers"),
        (&spec.containers, "containers"),
    ] {
        for (i, c) in list.iter().enumerate() {
            let at = format!("{path}.{field}[{i}]");
            if c.name.is_empty() {
                out.push(format!("{at}.name: Required value"));
            } else if !is_dns_label(&c.name) {
                out.push(format!(
                    "{at}.name: Invalid value: \"{}\": {LABEL_MSG}",
                    c.name
                ));
            }
            if c.image.trim().is_empty() {
                out.push(format!("{at}.image: Required value"));
            }
            validate_container_ports(&c.ports, &at, &mut out);
            for (j, e) in c.env.iter().enumerate() {
                if e.name.is_empty() {
                    out.push(format!("{at}.env[{j}].name: Required value"));
                }
            }
            for (j, m) in c.volume_mounts.iter().enumerate() {
                if m.name.is_empty() {
                    out.push(format!("{at}.volumeMounts[{j}].name: Required value"));
                }
                if m.mount_path.is_empty() {
                    out.push(format!("{at}.volumeMounts[{j}].mountPath: Required value"));
                }
            }
            for (probe, name) in [
                (&c.liveness_probe, "livenessProbe"),
                (&c.readiness_probe, "readinessProbe"),
                (&c.startup_probe, "startupProbe"),
            ] {
                let Some(probe) = probe else { continue };
                if let Some(h) = &probe.http_get {
                    validate_port_num_or_name(
                        &h.port,
                        &format!("{at}.{name}.httpGet.port"),
                        &mut out,
                    );
                }
                if let Some(t) = &probe.tcp_socket {
                    validate_port_num_or_name(
                        &t.port,
                        &format!("{at}.{name}.tcpSocket.port"),
                        &mut out,
                    );
                }
            }
        }
    }
    if let Some(n) = spec
        .active_deadline_seconds
        .filter(|n| !(1..=i64::from(i32::MAX)).contains(n))
    {
        out.push(format!(
            "{path}.activeDeadlineSeconds: Invalid value: {n}: must be between 1 and 2147483647, inclusive"
        ));
    }
    out
}

/// validateContainerPorts: each port's name (`IsValidPortName`, once per container), its number (required,
/// 1–65535) and its host port (when set). The protocol is defaulted to TCP before this.
fn validate_container_ports(
    ports: &[crate::model::pod::ContainerPort],
    at: &str,
    out: &mut Vec<String>,
) {
    let mut names = std::collections::BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let here = format!("{at}.ports[{i}]");
        if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
            let errors = port_name_errors(name);
            if !errors.is_empty() {
                for e in errors {
                    out.push(format!("{here}.name: Invalid value: {name:?}: {e}"));
                }
            } else if !names.insert(name) {
                out.push(format!("{here}.name: Duplicate value: {name:?}"));
            }
        }
        if p.container_port == 0 {
            out.push(format!("{here}.containerPort: Required value"));
        } else if !(1..=65535).contains(&p.container_port) {
            out.push(format!(
                "{here}.containerPort: Invalid value: {}: {PORT_RANGE}",
                p.container_port
            ));
        }
        if let Some(h) = p.host_port.filter(|h| *h != 0 && !(1..=65535).contains(h)) {
            out.push(format!("{here}.hostPort: Invalid value: {h}: {PORT_RANGE}"));
        }
    }
}

/// `IsValidPortNum`'s message.
const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

/// `IsValidPortName`: an IANA service name.
fn port_name_errors(name: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if name.len() > 15 {
        errors.push("must be no more than 15 bytes");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errors.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        errors.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        errors.push("must not begin or end with a hyphen");
    }
    errors
}

/// `ValidatePortNumOrName`: a probe's port, as a number or as a port's name.
fn validate_port_num_or_name(port: &IntOrString, at: &str, out: &mut Vec<String>) {
    match port {
        IntOrString::Int(n) if !(1..=65535).contains(n) => {
            out.push(format!("{at}: Invalid value: {n}: {PORT_RANGE}"));
        }
        IntOrString::Int(_) => {}
        IntOrString::String(name) => {
            for e in port_name_errors(name) {
                out.push(format!("{at}: Invalid value: {name:?}: {e}"));
            }
        }
    }
}

const ACCESS_MODES: [&str; 4] = [
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

/// `field.NotSupported`: `path: Unsupported value: "x": supported values: "a", "b"`.
fn not_supported(path: &str, value: &str, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
    format!(
        "{path}: Unsupported value: {value:?}: supported values: {}",
        list.join(", ")
    )
}

/// The access-mode checks claims and volumes share.
fn validate_access_modes(modes: &[String], path: &str, out: &mut Vec<String>) {
    let (mut once_pod, mut other) = (false, false);
    for mode in modes {
        if !ACCESS_MODES.contains(&mode.as_str()) {
            out.push(not_supported(path, mode, &ACCESS_MODES));
        } else if mode == "ReadWriteOncePod" {
            once_pod = true;
        } else {
            other = true;
        }
    }
    if once_pod && other {
        out.push(format!(
            "{path}: Forbidden: may not use ReadWriteOncePod with other access modes"
        ));
    }
}

/// `ValidatePositiveQuantityValue` for one quantity field; the value is quoted as the API server prints it.
fn validate_positive_quantity(value: &Value, path: &str, out: &mut Vec<String>) {
    match quantity::from_json(value) {
        Ok(q) if q.is_zero() || q.is_negative() => out.push(format!(
            "{path}: Invalid value: {:?}: must be greater than zero",
            q.to_string()
        )),
        Ok(_) => {}
        // Decoding refuses these before validation; only objects built in code get here.
        Err(e) => out.push(format!("{path}: Invalid value: {value}: {e}")),
    }
}

/// `ValidatePersistentVolumeClaimSpec` (pkg/apis/core/validation), in its order.
fn validate_claim_spec(spec: &PvcSpec, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    if spec.access_modes.is_empty() {
        out.push(format!(
            "{path}.accessModes: Required value: at least 1 access mode is required"
        ));
    }
    validate_access_modes(&spec.access_modes, &format!("{path}.accessModes"), &mut out);
    match spec.resources.requests.get("storage") {
        None => out.push(format!("{path}.resources[storage]: Required value")),
        Some(v) => validate_positive_quantity(v, &format!("{path}.resources[storage]"), &mut out),
    }
    if let Some(class) = spec.storage_class_name.as_deref().filter(|c| !c.is_empty()) {
        if !is_dns_subdomain(class) {
            out.push(format!(
                "{path}.storageClassName: Invalid value: {class:?}: {SUBDOMAIN_MSG}"
            ));
        }
    }
    if let Some(mode) = spec.volume_mode.as_deref() {
        if !matches!(mode, "Block" | "Filesystem") {
            out.push(not_supported(
                &format!("{path}.volumeMode"),
                mode,
                &["Block", "Filesystem"],
            ));
        }
    }
    if let Some(vac) = spec
        .volume_attributes_class_name
        .as_deref()
        .filter(|c| !c.is_empty())
    {
        if !is_dns_subdomain(vac) {
            out.push(format!(
                "{path}.volumeAttributesClassName: Invalid value: {vac:?}: {SUBDOMAIN_MSG}"
            ));
        }
    }
    out
}

/// The claim's storage request as a quantity.
fn requested(spec: &PvcSpec) -> Option<Quantity> {
    spec.resources
        .requests
        .get("storage")
        .and_then(|v| quantity::from_json(v).ok())
}

/// `ValidatePersistentVolumeClaimUpdate`: a claim's spec is immutable except that `volumeName` may be set
/// once, a missing class may be filled in, and a Bound claim's storage request may change (the resize
/// admission plugin then decides). `raw` is the new spec as sent, for the diff the error carries.
fn validate_claim_update(
    old: &PersistentVolumeClaim,
    new: &PersistentVolumeClaim,
    raw: &PvcSpec,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut a = PvcSpec::clone(&old.spec);
    let mut b = raw.clone();
    if old.spec.volume_name.as_deref().unwrap_or("").is_empty() {
        a.volume_name = b.volume_name.clone();
    }
    if a.storage_class_name.is_none() && b.storage_class_name.is_some() {
        b.storage_class_name = None;
    }
    let bound = new.status.phase == "Bound";
    if bound && !b.resources.requests.is_empty() {
        match old.spec.resources.requests.get("storage") {
            Some(v) => b.resources.requests.insert("storage".into(), v.clone()),
            None => b.resources.requests.remove("storage"),
        };
    }
    b.volume_attributes_class_name = a.volume_attributes_class_name.clone();
    // The defaulted volumeMode is what the API server compares.
    b.volume_mode = new.spec.volume_mode.clone();
    if !claim_specs_equal(&a, &b) {
        out.push(format!(
            "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n{}",
            spec_diff::claim_spec(&a, &b)
        ));
    }
    let (old_size, new_size) = (requested(&old.spec), requested(&new.spec));
    if let (Some(o), Some(n)) = (&old_size, &new_size) {
        let status = old
            .status
            .capacity
            .get("storage")
            .and_then(|s| Quantity::parse(s).ok())
            .unwrap_or_else(|| Quantity::parse("0").unwrap_or_else(|_| o.clone()));
        // RecoverVolumeExpansionFailure (GA): a request may come back down, but not to the capacity.
        if n < o && n <= &status {
            out.push(
                "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"
                    .into(),
            );
        }
    }
    if old.spec.volume_mode != new.spec.volume_mode {
        out.push(format!(
            "volumeMode: Invalid value: {}: field is immutable",
            go_value(new.spec.volume_mode.as_deref())
        ));
    }
    out
}

/// Two claim specs compared as `apiequality.Semantic` does: quantities by amount.
fn claim_specs_equal(a: &PvcSpec, b: &PvcSpec) -> bool {
    let amounts = |m: &BTreeMap<String, Value>| -> BTreeMap<String, Option<Quantity>> {
        let mut out = BTreeMap::new();
        out.extend(
            m.iter()
                .map(|(k, v)| (k.clone(), quantity::from_json(v).ok())),
        );
        out
    };
    let same_amounts = |x: &BTreeMap<String, Value>, y: &BTreeMap<String, Value>| {
        let (x, y) = (amounts(x), amounts(y));
        x.len() == y.len()
            && x.iter().zip(&y).all(|((ka, qa), (kb, qb))| {
                ka == kb
                    && match (qa, qb) {
                        (Some(p), Some(q)) => p.cmp(q).is_eq(),
                        _ => false,
                    }
            })
    };
    let strip = |s: &PvcSpec| {
        let mut s = s.clone();
        s.resources = Default::default();
        s
    };
    strip(a) == strip(b)
        && same_amounts(&a.resources.requests, &b.resources.requests)
        && same_amounts(&a.resources.limits, &b.resources.limits)
}

/// How a field error quotes a `*string` value: `"x"`, or `null`.
fn go_value(v: Option<&str>) -> String {
    v.map_or_else(|| "null".to_string(), |s| format!("{s:?}"))
}

/// The PersistentVolumeClaimResize admission plugin (plugin/pkg/admission/storage/persistentvolume/resize):
/// growing a claim needs a Bound claim whose class exists and allows expansion.
fn resize_admission(
    store: &Store,
    old: &PersistentVolumeClaim,
    new: &PersistentVolumeClaim,
) -> Result<(), ApiError> {
    let (Some(old_size), Some(new_size)) = (requested(&old.spec), requested(&new.spec)) else {
        return Ok(());
    };
    if new_size <= old_size {
        return Ok(());
    }
    let forbid = |msg: &str| {
        Err(ApiError::Forbidden(format!(
            "persistentvolumeclaims {:?} is forbidden: {msg}",
            new.metadata.name
        )))
    };
    if old.status.phase != "Bound" {
        return forbid("Only bound persistent volume claims can be expanded");
    }
    let class = new.spec.storage_class_name.as_deref().unwrap_or("");
    let allowed = !class.is_empty()
        && old.spec.storage_class_name.as_deref() == Some(class)
        && store
            .get_typed::<StorageClass>("", class)
            .and_then(|sc| sc.allow_volume_expansion)
            .unwrap_or(false);
    if !allowed {
        return forbid("only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
    }
    Ok(())
}

/// The volume sources the simulator knows, in `PersistentVolumeSource` field order.
fn pv_sources(spec: &PvSpec) -> [(&'static str, Option<&Value>); 4] {
    [
        ("hostPath", spec.host_path.as_ref()),
        ("nfs", spec.nfs.as_ref()),
        ("local", spec.local.as_ref()),
        ("csi", spec.csi.as_ref()),
    ]
}

/// `ValidatePersistentVolumeSpec`, in its order.
fn validate_pv_spec(spec: &PvSpec) -> Vec<String> {
    let mut out = Vec::new();
    if spec.access_modes.is_empty() {
        out.push("spec.accessModes: Required value".into());
    }
    validate_access_modes(&spec.access_modes, "spec.accessModes", &mut out);
    if spec.capacity.is_empty() {
        out.push("spec.capacity: Required value".into());
        out.push(
            "spec.capacity: Unsupported value: core.ResourceList(nil): supported values: \"storage\""
                .into(),
        );
    }
    for (key, v) in &spec.capacity {
        let path = format!("spec.capacity[{key}]");
        if let Ok(q) = quantity::from_json(v) {
            if q.is_negative() {
                out.push(format!(
                    "{path}: Invalid value: {}: must be a valid resource quantity",
                    q.value()
                ));
            }
        }
        validate_positive_quantity(v, &path, &mut out);
    }
    if let Some(policy) = spec
        .persistent_volume_reclaim_policy
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        if !matches!(policy, "Delete" | "Recycle" | "Retain") {
            out.push(not_supported(
                "spec.persistentVolumeReclaimPolicy",
                policy,
                &["Delete", "Recycle", "Retain"],
            ));
        }
    }
    let mut count = 0;
    for (field, source) in pv_sources(spec) {
        let Some(source) = source else { continue };
        if count > 0 {
            out.push(format!(
                "spec.{field}: Forbidden: may not specify more than 1 volume type"
            ));
            continue;
        }
        count += 1;
        let path_missing = source
            .get("path")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        match field {
            "hostPath" | "local" if path_missing => {
                out.push(format!("spec.{field}.path: Required value"));
            }
            _ => {}
        }
        if field == "local" && spec.node_affinity.is_none() {
            out.push(
                "spec.nodeAffinity: Required value: Local volume requires node affinity".into(),
            );
        }
    }
    if count == 0 {
        out.push("spec: Required value: must specify a volume type".into());
    }
    if let Some(class) = spec.storage_class_name.as_deref().filter(|c| !c.is_empty()) {
        if !is_dns_subdomain(class) {
            out.push(format!(
                "spec.storageClassName: Invalid value: {class:?}: {SUBDOMAIN_MSG}"
            ));
        }
    }
    if let Some(mode) = spec.volume_mode.as_deref() {
        if !matches!(mode, "Block" | "Filesystem") {
            out.push(not_supported(
                "spec.volumeMode",
                mode,
                &["Block", "Filesystem"],
            ));
        }
    }
    out
}

/// `ValidatePersistentVolumeUpdate`: the volume source and the volume mode are fixed at creation.
fn validate_pv_update(old: &PersistentVolume, new: &PersistentVolume) -> Vec<String> {
    let mut out = Vec::new();
    if pv_sources(&old.spec) != pv_sources(&new.spec) {
        out.push(format!(
            "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n{}",
            spec_diff::volume_source(&old.spec, &new.spec)
        ));
    }
    if old.spec.volume_mode != new.spec.volume_mode {
        out.push(format!(
            "volumeMode: Invalid value: {}: field is immutable",
            go_value(new.spec.volume_mode.as_deref())
        ));
    }
    out
}

/// `name part must consist of …`: the message `validation.IsQualifiedName` gives a provisioner name.
fn qualified_name_errors(name: &str) -> Vec<String> {
    const NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    const NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    let examples = "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is";
    let parts: Vec<&str> = name.split('/').collect();
    let (prefix, short) = match parts.as_slice() {
        [n] => (None, *n),
        [p, n] => (Some(*p), *n),
        _ => {
            return vec![format!(
                "a qualified name {NAME_MSG} {examples} '{NAME_FMT}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )]
        }
    };
    let mut out = Vec::new();
    if let Some(p) = prefix {
        if p.is_empty() {
            out.push("prefix part must be non-empty".to_string());
        } else if !is_dns_subdomain(p) {
            out.push(format!("prefix part {SUBDOMAIN_MSG}"));
        }
    }
    let b = short.as_bytes();
    let valid = !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
    if short.is_empty() {
        out.push("name part must be non-empty".to_string());
    } else if short.len() > 63 {
        out.push("name part must be no more than 63 characters".to_string());
    } else if !valid {
        out.push(format!("name part {NAME_MSG} {examples} '{NAME_FMT}')"));
    }
    out
}

/// `ValidateStorageClass` (pkg/apis/storage/validation).
fn validate_storage_class(sc: &StorageClass) -> Vec<String> {
    let mut out = Vec::new();
    if sc.provisioner.is_empty() {
        out.push("provisioner: Required value".into());
    } else {
        for msg in qualified_name_errors(&sc.provisioner.to_lowercase()) {
            out.push(format!(
                "provisioner: Invalid value: {:?}: {msg}",
                sc.provisioner
            ));
        }
    }
    if sc.parameters.keys().any(String::is_empty) {
        out.push("parameters: Invalid value: \"\": field can not be empty.".into());
    }
    if let Some(policy) = sc.reclaim_policy.as_deref().filter(|p| !p.is_empty()) {
        if !matches!(policy, "Delete" | "Retain") {
            out.push(not_supported(
                "reclaimPolicy",
                policy,
                &["Delete", "Retain"],
            ));
        }
    }
    match sc.volume_binding_mode.as_deref() {
        None => out.push("volumeBindingMode: Required value".into()),
        Some("Immediate" | "WaitForFirstConsumer") => {}
        Some(mode) => out.push(not_supported(
            "volumeBindingMode",
            mode,
            &["Immediate", "WaitForFirstConsumer"],
        )),
    }
    out
}

/// `ValidateStorageClassUpdate`: everything but `allowVolumeExpansion` (and metadata) is fixed.
fn validate_storage_class_update(old: &StorageClass, new: &StorageClass) -> Vec<String> {
    let mut out = Vec::new();
    if old.parameters != new.parameters {
        out.push("parameters: Forbidden: updates to parameters are forbidden.".into());
    }
    if old.provisioner != new.provisioner {
        out.push("provisioner: Forbidden: updates to provisioner are forbidden.".into());
    }
    if old.reclaim_policy != new.reclaim_policy {
        out.push("reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.".into());
    }
    if old.volume_binding_mode != new.volume_binding_mode {
        out.push(format!(
            "volumeBindingMode: Invalid value: {}: field is immutable",
            go_value(new.volume_binding_mode.as_deref())
        ));
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
    // validateServicePort: the name (required when there are several, a DNS label, once), the port, the
    // target port (defaulted to the port before this).
    let mut names = std::collections::BTreeSet::new();
    for (i, p) in svc.spec.ports.iter().enumerate() {
        let name = p.name.as_deref().unwrap_or("");
        if name.is_empty() {
            if svc.spec.ports.len() > 1 {
                out.push(format!("spec.ports[{i}].name: Required value"));
            }
        } else {
            if !is_dns_label(name) {
                out.push(format!(
                    "spec.ports[{i}].name: Invalid value: {name:?}: {LABEL_MSG}"
                ));
            }
            if !names.insert(name) {
                out.push(format!("spec.ports[{i}].name: Duplicate value: {name:?}"));
            }
        }
        if !(1..=65535).contains(&p.port) {
            out.push(format!(
                "spec.ports[{i}].port: Invalid value: {}: {PORT_RANGE}",
                p.port
            ));
        }
        if let Some(target) = &p.target_port {
            validate_port_num_or_name(target, &format!("spec.ports[{i}].targetPort"), &mut out);
        }
    }
    // The range is the allocator's to check (after validation).
    if t == "ClusterIP" {
        for (i, p) in svc.spec.ports.iter().enumerate() {
            if p.node_port.is_some_and(|n| n != 0) {
                out.push(format!(
                    "spec.ports[{i}].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
                ));
            }
        }
    }
    out.extend(crate::portallocator::duplicates(&svc.spec.ports));
    if svc.spec.allocate_load_balancer_node_ports.is_some() && t != "LoadBalancer" {
        out.push("spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'".into());
    }
    if let Some(n) = svc.spec.health_check_node_port.filter(|n| *n != 0) {
        if !crate::portallocator::needs_health_check_port(svc) {
            out.push(format!("spec.healthCheckNodePort: Invalid value: {n}: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
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

/// The `cmp.Diff` text the API server appends to "spec is immutable" errors (claims, and volume sources), as
/// go-cmp's reporter lays it out: one record per field, runs of identical fields cut to two on each side of a
/// change (`... // 4 identical fields`), keys of adjacent one-line records aligned, values on one line unless a
/// record is removed or inserted and its text passes 80 columns. Identical values are printed tersely
/// (`{i: {...}, s: "1Gi", Format: "BinarySI"}`), removed and inserted ones in full. go-cmp randomly indents
/// with non-breaking spaces to stop callers relying on its output; this always uses plain spaces.
mod spec_diff {
    use serde_json::Value;

    use crate::model::storage::{PvSpec, PvcSpec};
    use crate::quantity::{self, Repr};

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Mark {
        Same,
        Removed,
        Inserted,
    }

    impl Mark {
        fn within(self, parent: Mark) -> Mark {
            if self == Mark::Same {
                parent
            } else {
                self
            }
        }

        fn indent(self) -> &'static str {
            match self {
                Mark::Same => "  ",
                Mark::Removed => "- ",
                Mark::Inserted => "+ ",
            }
        }
    }

    #[derive(Debug, Clone)]
    enum Node {
        Line(String),
        /// `prefix` then the records then `}`.
        Wrap {
            prefix: String,
            list: Vec<Rec>,
        },
    }

    #[derive(Debug, Clone)]
    struct Rec {
        mark: Mark,
        key: Option<String>,
        value: Node,
        /// `... // N identical fields`: no comma, breaks alignment.
        ellipsis: Option<String>,
    }

    fn rec(mark: Mark, key: &str, value: Node) -> Rec {
        Rec {
            mark,
            key: Some(key.to_string()),
            value,
            ellipsis: None,
        }
    }

    fn line(s: impl Into<String>) -> Node {
        Node::Line(s.into())
    }

    const MAX_COLUMNS: usize = 80;

    /// The one-line form, if the node has one in this mode.
    fn compact(node: &Node, mode: Mark) -> Option<String> {
        match node {
            Node::Line(s) => Some(s.clone()),
            Node::Wrap { prefix, list } => {
                let mut parts = Vec::new();
                for r in list {
                    if r.mark != Mark::Same || r.ellipsis.is_some() {
                        return None;
                    }
                    let v = compact(&r.value, r.mark.within(mode))?;
                    parts.push(match &r.key {
                        Some(k) => format!("{k}: {v}"),
                        None => v,
                    });
                }
                let content = parts.join(", ");
                if mode != Mark::Same && content.len() > MAX_COLUMNS {
                    return None;
                }
                Some(format!("{prefix}{content}}}"))
            }
        }
    }

    fn expanded(node: &Node, mode: Mark, depth: usize, out: &mut String) {
        let (prefix, list) = match node {
            Node::Line(s) => {
                out.push_str(s);
                return;
            }
            Node::Wrap { prefix, list } => (prefix, list),
        };
        out.push_str(prefix);
        let forms: Vec<Option<String>> = list
            .iter()
            .map(|r| compact(&r.value, r.mark.within(mode)))
            .collect();
        // Keys of adjacent one-line records line up.
        let mut pads = vec![0usize; list.len()];
        let mut i = 0;
        while i < list.len() {
            let alignable = |j: usize| {
                list[j].key.is_some() && list[j].ellipsis.is_none() && forms[j].is_some()
            };
            if !alignable(i) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < list.len() && alignable(j) {
                j += 1;
            }
            let width = (i..j)
                .map(|k| list[k].key.as_ref().map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0);
            for (k, pad) in pads.iter_mut().enumerate().take(j).skip(i) {
                *pad = width - list[k].key.as_ref().map_or(0, |s| s.chars().count());
            }
            i = j;
        }
        for (i, r) in list.iter().enumerate() {
            let m = r.mark.within(mode);
            out.push('\n');
            out.push_str(m.indent());
            out.push_str(&"\t".repeat(depth + 1));
            if let Some(comment) = &r.ellipsis {
                out.push_str("... // ");
                out.push_str(comment);
                continue;
            }
            if let Some(k) = &r.key {
                out.push_str(k);
                out.push_str(": ");
                out.push_str(&" ".repeat(pads[i]));
            }
            match &forms[i] {
                Some(s) => out.push_str(s),
                None => expanded(&r.value, m, depth + 1, out),
            }
            out.push(',');
        }
        out.push('\n');
        out.push_str(mode.indent());
        out.push_str(&"\t".repeat(depth));
        out.push('}');
    }

    /// One struct field: unchanged (its terse text) or changed (its records).
    enum Field {
        Same(String),
        Changed(Vec<Rec>),
    }

    /// go-cmp's `formatDiffList` for a struct: identical runs keep two records of context next to a change.
    fn struct_records(fields: Vec<(&str, Field)>) -> Vec<Rec> {
        let mut groups: Vec<(bool, Vec<(&str, Field)>)> = Vec::new();
        for f in fields {
            let same = matches!(f.1, Field::Same(_));
            match groups.last_mut() {
                Some((s, g)) if *s == same => g.push(f),
                _ => groups.push((same, vec![f])),
            }
        }
        let last = groups.len().saturating_sub(1);
        let mut out = Vec::new();
        for (gi, (same, group)) in groups.into_iter().enumerate() {
            if !same {
                for (_, f) in group {
                    if let Field::Changed(recs) = f {
                        out.extend(recs);
                    }
                }
                continue;
            }
            let n = group.len();
            let mut lo = if gi != 0 { n.min(2) } else { 0 };
            let mut hi = if gi != last { (n - lo).min(2) } else { 0 };
            if n - (lo + hi) == 1 {
                hi += 1;
            }
            if lo + hi > n {
                lo = n - hi;
            }
            let elided = n - lo - hi;
            for (i, (key, f)) in group.into_iter().enumerate() {
                if i == lo && elided > 0 {
                    out.push(Rec {
                        mark: Mark::Same,
                        key: None,
                        value: line("..."),
                        ellipsis: Some(format!(
                            "{elided} identical field{}",
                            if elided == 1 { "" } else { "s" }
                        )),
                    });
                }
                if i >= lo && i < lo + elided {
                    continue;
                }
                if let Field::Same(text) = f {
                    out.push(rec(Mark::Same, key, line(text)));
                }
            }
        }
        out
    }

    /// A field changed as a whole: the old value removed, the new one inserted.
    fn replaced(key: &str, old: Node, new: Node) -> Field {
        Field::Changed(vec![
            rec(Mark::Removed, key, old),
            rec(Mark::Inserted, key, new),
        ])
    }

    fn render(root: Node) -> String {
        let mut out = String::from("  ");
        expanded(&root, Mark::Same, 0, &mut out);
        out.push('\n');
        out
    }

    fn quoted(s: &str) -> String {
        format!("{s:?}")
    }

    fn ptr_str(v: Option<&str>) -> String {
        v.map_or_else(|| "nil".into(), |s| format!("&{}", quoted(s)))
    }

    fn string_field(key: &str, old: &str, new: &str) -> Field {
        if old == new {
            Field::Same(quoted(new))
        } else {
            replaced(key, line(quoted(old)), line(quoted(new)))
        }
    }

    fn ptr_field(key: &str, old: Option<&str>, new: Option<&str>) -> Field {
        if old == new {
            Field::Same(ptr_str(new))
        } else {
            replaced(key, line(ptr_str(old)), line(ptr_str(new)))
        }
    }

    /// A quantity as go-cmp prints the struct: terse for identical values, with types otherwise.
    fn quantity_node(v: &Value, full: bool) -> Node {
        let Ok(q) = quantity::from_json(v) else {
            return line("{}");
        };
        let mut list = Vec::new();
        match q.repr() {
            Repr::Int { value: 0, scale: 0 } => {}
            Repr::Int { value, scale } => {
                let i = if full {
                    let mut fields = vec![rec(Mark::Same, "value", line(value.to_string()))];
                    if scale != 0 {
                        fields.push(rec(Mark::Same, "scale", line(scale.to_string())));
                    }
                    Node::Wrap {
                        prefix: "resource.int64Amount{".into(),
                        list: fields,
                    }
                } else {
                    line("{...}")
                };
                list.push(rec(Mark::Same, "i", i));
            }
            Repr::Dec => {
                let d = if full {
                    line(format!(
                        "resource.infDecAmount{{Dec: s{}}}",
                        quoted(&q.canonical())
                    ))
                } else {
                    line("{...}")
                };
                list.push(rec(Mark::Same, "d", d));
            }
        }
        if let Some(s) = q.cached() {
            list.push(rec(Mark::Same, "s", line(quoted(s))));
        }
        list.push(rec(Mark::Same, "Format", line(quoted(q.format().as_str()))));
        Node::Wrap {
            prefix: "{".into(),
            list,
        }
    }

    fn resource_list(map: &std::collections::BTreeMap<String, Value>, full: bool) -> Node {
        if map.is_empty() {
            return line("nil");
        }
        let list = map
            .iter()
            .map(|(k, v)| {
                rec(
                    Mark::Same,
                    &format!("s{}", quoted(k)),
                    quantity_node(v, full),
                )
            })
            .collect();
        Node::Wrap {
            prefix: if full { "core.ResourceList{" } else { "{" }.into(),
            list,
        }
    }

    fn terse(node: &Node) -> String {
        compact(node, Mark::Same).unwrap_or_default()
    }

    fn access_modes(old: &[String], new: &[String]) -> Field {
        let terse_modes = |m: &[String]| {
            if m.is_empty() {
                "nil".to_string()
            } else {
                let items: Vec<String> = m.iter().map(|s| quoted(s)).collect();
                format!("{{{}}}", items.join(", "))
            }
        };
        if old == new {
            return Field::Same(terse_modes(new));
        }
        let full = |m: &[String]| {
            if m.is_empty() {
                line("nil")
            } else {
                line(format!(
                    "[]core.PersistentVolumeAccessMode{}",
                    terse_modes(m)
                ))
            }
        };
        // Element records from a longest-common-subsequence edit script; a lone changed element is a
        // change of the whole field.
        let script = edit_script(old, new);
        if script.len() == 1 || old.is_empty() || new.is_empty() {
            return replaced("AccessModes", full(old), full(new));
        }
        let mut list = Vec::new();
        for step in script {
            match step {
                Step::Same(s) => list.push(element(Mark::Same, s)),
                Step::Modified(a, b) => {
                    list.push(element(Mark::Removed, a));
                    list.push(element(Mark::Inserted, b));
                }
                Step::Removed(a) => list.push(element(Mark::Removed, a)),
                Step::Inserted(b) => list.push(element(Mark::Inserted, b)),
            }
        }
        Field::Changed(vec![rec(
            Mark::Same,
            "AccessModes",
            Node::Wrap {
                prefix: "[]core.PersistentVolumeAccessMode{".into(),
                list,
            },
        )])
    }

    fn element(mark: Mark, s: &str) -> Rec {
        Rec {
            mark,
            key: None,
            value: line(quoted(s)),
            ellipsis: None,
        }
    }

    enum Step<'a> {
        Same(&'a str),
        Modified(&'a str, &'a str),
        Removed(&'a str),
        Inserted(&'a str),
    }

    fn edit_script<'a>(x: &'a [String], y: &'a [String]) -> Vec<Step<'a>> {
        let (n, m) = (x.len(), y.len());
        let mut lcs = vec![vec![0usize; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if x[i] == y[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        let (mut xs, mut ys): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        let flush = |xs: &mut Vec<&'a str>, ys: &mut Vec<&'a str>, out: &mut Vec<Step<'a>>| {
            let paired = xs.len().min(ys.len());
            for k in 0..paired {
                out.push(Step::Modified(xs[k], ys[k]));
            }
            out.extend(xs[paired..].iter().map(|s| Step::Removed(s)));
            out.extend(ys[paired..].iter().map(|s| Step::Inserted(s)));
            xs.clear();
            ys.clear();
        };
        while i < n || j < m {
            if i < n && j < m && x[i] == y[j] {
                flush(&mut xs, &mut ys, &mut out);
                out.push(Step::Same(&x[i]));
                i += 1;
                j += 1;
            } else if j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
                xs.push(&x[i]);
                i += 1;
            } else {
                ys.push(&y[j]);
                j += 1;
            }
        }
        flush(&mut xs, &mut ys, &mut out);
        out
    }

    fn selector_text(sel: Option<&crate::model::LabelSelector>, full: bool) -> String {
        let Some(sel) = sel else {
            return "nil".into();
        };
        let mut fields = Vec::new();
        if !sel.match_labels.is_empty() {
            let pairs: Vec<String> = sel
                .match_labels
                .iter()
                .map(|(k, v)| format!("{}: {}", quoted(k), quoted(v)))
                .collect();
            let map = if full { "map[string]string" } else { "" };
            fields.push(format!("MatchLabels: {map}{{{}}}", pairs.join(", ")));
        }
        if !sel.match_expressions.is_empty() {
            fields.push("MatchExpressions: {...}".into());
        }
        let ty = if full { "v1.LabelSelector" } else { "" };
        format!("&{ty}{{{}}}", fields.join(", "))
    }

    fn data_source_text(v: Option<&Value>, full: bool) -> String {
        let Some(v) = v else {
            return "nil".into();
        };
        let field = |k: &str| v.get(k).and_then(Value::as_str);
        let mut fields = Vec::new();
        if let Some(g) = field("apiGroup") {
            fields.push(format!("APIGroup: &{}", quoted(g)));
        }
        for (key, json) in [("Kind", "kind"), ("Name", "name")] {
            if let Some(s) = field(json).filter(|s| !s.is_empty()) {
                fields.push(format!("{key}: {}", quoted(s)));
            }
        }
        let ty = if full {
            "core.TypedLocalObjectReference"
        } else {
            ""
        };
        format!("&{ty}{{{}}}", fields.join(", "))
    }

    /// `cmp.Diff(oldClaim.Spec, newClaim.Spec)` over `core.PersistentVolumeClaimSpec`.
    pub(super) fn claim_spec(old: &PvcSpec, new: &PvcSpec) -> String {
        let resources = {
            let (a, b) = (&old.resources, &new.resources);
            let sub = |key: &str, x, y| -> Field {
                let (xs, ys) = (resource_list(x, false), resource_list(y, false));
                if terse(&xs) == terse(&ys) {
                    Field::Same(terse(&ys))
                } else {
                    replaced(key, resource_list(x, true), resource_list(y, true))
                }
            };
            let limits = sub("Limits", &a.limits, &b.limits);
            let requests = sub("Requests", &a.requests, &b.requests);
            match (limits, requests) {
                (Field::Same(_), Field::Same(_)) => {
                    let mut parts = Vec::new();
                    if !b.limits.is_empty() {
                        parts.push(format!(
                            "Limits: {}",
                            terse(&resource_list(&b.limits, false))
                        ));
                    }
                    if !b.requests.is_empty() {
                        parts.push(format!(
                            "Requests: {}",
                            terse(&resource_list(&b.requests, false))
                        ));
                    }
                    Field::Same(format!("{{{}}}", parts.join(", ")))
                }
                (limits, requests) => Field::Changed(vec![rec(
                    Mark::Same,
                    "Resources",
                    Node::Wrap {
                        prefix: "core.VolumeResourceRequirements{".into(),
                        list: struct_records(vec![("Limits", limits), ("Requests", requests)]),
                    },
                )]),
            }
        };
        let selector = {
            let (a, b) = (old.selector.as_ref(), new.selector.as_ref());
            if a == b {
                Field::Same(selector_text(b, false))
            } else {
                replaced(
                    "Selector",
                    line(selector_text(a, true)),
                    line(selector_text(b, true)),
                )
            }
        };
        let data_source = {
            let (a, b) = (old.data_source.as_ref(), new.data_source.as_ref());
            if a == b {
                Field::Same(data_source_text(b, false))
            } else {
                replaced(
                    "DataSource",
                    line(data_source_text(a, true)),
                    line(data_source_text(b, true)),
                )
            }
        };
        let fields = vec![
            (
                "AccessModes",
                access_modes(&old.access_modes, &new.access_modes),
            ),
            ("Selector", selector),
            ("Resources", resources),
            (
                "VolumeName",
                string_field(
                    "VolumeName",
                    old.volume_name.as_deref().unwrap_or(""),
                    new.volume_name.as_deref().unwrap_or(""),
                ),
            ),
            (
                "StorageClassName",
                ptr_field(
                    "StorageClassName",
                    old.storage_class_name.as_deref(),
                    new.storage_class_name.as_deref(),
                ),
            ),
            (
                "VolumeMode",
                ptr_field(
                    "VolumeMode",
                    old.volume_mode.as_deref(),
                    new.volume_mode.as_deref(),
                ),
            ),
            ("DataSource", data_source),
            ("DataSourceRef", Field::Same("nil".into())),
            (
                "VolumeAttributesClassName",
                ptr_field(
                    "VolumeAttributesClassName",
                    old.volume_attributes_class_name.as_deref(),
                    new.volume_attributes_class_name.as_deref(),
                ),
            ),
        ];
        render(Node::Wrap {
            prefix: "core.PersistentVolumeClaimSpec{".into(),
            list: struct_records(fields),
        })
    }

    /// The Go type and fields of a volume source the simulator models.
    fn source_fields(field: &str, v: &Value) -> (&'static str, Vec<(String, String)>) {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let b = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
        match field {
            "hostPath" => (
                "core.HostPathVolumeSource",
                vec![
                    ("Path".into(), quoted(&s("path"))),
                    ("Type".into(), format!("&{}", quoted(&s("type")))),
                ],
            ),
            "nfs" => {
                let mut f = vec![
                    ("Server".into(), quoted(&s("server"))),
                    ("Path".into(), quoted(&s("path"))),
                ];
                if b("readOnly") {
                    f.push(("ReadOnly".into(), "true".into()));
                }
                ("core.NFSVolumeSource", f)
            }
            "local" => {
                let mut f = vec![("Path".into(), quoted(&s("path")))];
                if !s("fsType").is_empty() {
                    f.push(("FSType".into(), format!("&{}", quoted(&s("fsType")))));
                }
                ("core.LocalVolumeSource", f)
            }
            _ => (
                "core.CSIPersistentVolumeSource",
                vec![
                    ("Driver".into(), quoted(&s("driver"))),
                    ("VolumeHandle".into(), quoted(&s("volumeHandle"))),
                ],
            ),
        }
    }

    fn source_text(field: &str, v: Option<&Value>, full: bool) -> String {
        let Some(v) = v else {
            return "nil".into();
        };
        let (ty, fields) = source_fields(field, v);
        let body: Vec<String> = fields.iter().map(|(k, x)| format!("{k}: {x}")).collect();
        let ty = if full { ty } else { "" };
        format!("&{ty}{{{}}}", body.join(", "))
    }

    /// `cmp.Diff(oldPV.Spec.PersistentVolumeSource, newPV.Spec.PersistentVolumeSource)`.
    pub(super) fn volume_source(old: &PvSpec, new: &PvSpec) -> String {
        const FIELDS: [(&str, &str); 22] = [
            ("GCEPersistentDisk", ""),
            ("AWSElasticBlockStore", ""),
            ("HostPath", "hostPath"),
            ("Glusterfs", ""),
            ("NFS", "nfs"),
            ("RBD", ""),
            ("Quobyte", ""),
            ("ISCSI", ""),
            ("FlexVolume", ""),
            ("Cinder", ""),
            ("CephFS", ""),
            ("FC", ""),
            ("Flocker", ""),
            ("AzureFile", ""),
            ("VsphereVolume", ""),
            ("AzureDisk", ""),
            ("PhotonPersistentDisk", ""),
            ("PortworxVolume", ""),
            ("ScaleIO", ""),
            ("Local", "local"),
            ("StorageOS", ""),
            ("CSI", "csi"),
        ];
        let get = |spec: &PvSpec, json: &str| -> Option<Value> {
            match json {
                "hostPath" => spec.host_path.clone(),
                "nfs" => spec.nfs.clone(),
                "local" => spec.local.clone(),
                "csi" => spec.csi.clone(),
                _ => None,
            }
        };
        let fields = FIELDS
            .iter()
            .map(|(key, json)| {
                let (a, b) = (get(old, json), get(new, json));
                let field = if a == b {
                    Field::Same(source_text(json, b.as_ref(), false))
                } else if let (Some(x), Some(y)) = (&a, &b) {
                    // Both set: the pointed-to structs are compared field by field.
                    let (ty, fx) = source_fields(json, x);
                    let (_, fy) = source_fields(json, y);
                    let inner = fx
                        .into_iter()
                        .zip(fy)
                        .map(|((k, vx), (_, vy))| {
                            let f = if vx == vy {
                                Field::Same(vy)
                            } else {
                                Field::Changed(vec![
                                    rec(Mark::Removed, &k, line(vx)),
                                    rec(Mark::Inserted, &k, line(vy)),
                                ])
                            };
                            (k, f)
                        })
                        .collect::<Vec<_>>();
                    let inner: Vec<(&str, Field)> = inner
                        .iter()
                        .map(|(k, f)| (k.as_str(), clone_field(f)))
                        .collect();
                    Field::Changed(vec![rec(
                        Mark::Same,
                        key,
                        Node::Wrap {
                            prefix: format!("&{ty}{{"),
                            list: struct_records(inner),
                        },
                    )])
                } else {
                    replaced(
                        key,
                        line(source_text(json, a.as_ref(), true)),
                        line(source_text(json, b.as_ref(), true)),
                    )
                };
                (*key, field)
            })
            .collect();
        render(Node::Wrap {
            prefix: "core.PersistentVolumeSource{".into(),
            list: struct_records(fields),
        })
    }

    fn clone_field(f: &Field) -> Field {
        match f {
            Field::Same(s) => Field::Same(s.clone()),
            Field::Changed(r) => Field::Changed(r.clone()),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn spec(storage: &str, class: Option<&str>) -> PvcSpec {
            let mut s = PvcSpec {
                access_modes: vec!["ReadWriteOnce".into()],
                storage_class_name: class.map(str::to_string),
                volume_mode: Some("Filesystem".into()),
                ..Default::default()
            };
            s.resources
                .requests
                .insert("storage".into(), Value::String(storage.into()));
            s
        }

        #[test]
        fn a_changed_request_shows_the_requests_map_replaced() {
            let got = claim_spec(
                &spec("1Gi", Some("standard")),
                &spec("2Gi", Some("standard")),
            );
            let want = "  core.PersistentVolumeClaimSpec{
  \tAccessModes: {\"ReadWriteOnce\"},
  \tSelector:    nil,
  \tResources: core.VolumeResourceRequirements{
  \t\tLimits: nil,
- \t\tRequests: core.ResourceList{
- \t\t\ts\"storage\": {i: resource.int64Amount{value: 1073741824}, s: \"1Gi\", Format: \"BinarySI\"},
- \t\t},
+ \t\tRequests: core.ResourceList{
+ \t\t\ts\"storage\": {i: resource.int64Amount{value: 2147483648}, s: \"2Gi\", Format: \"BinarySI\"},
+ \t\t},
  \t},
  \tVolumeName:       \"\",
  \tStorageClassName: &\"standard\",
  \t... // 4 identical fields
  }
";
            assert_eq!(got, want);
        }

        #[test]
        fn a_changed_class_is_replaced_with_context_around_it() {
            let got = claim_spec(&spec("1Gi", Some("standard")), &spec("1Gi", Some("fast")));
            let want = "  core.PersistentVolumeClaimSpec{
  \t... // 2 identical fields
  \tResources:        {Requests: {s\"storage\": {i: {...}, s: \"1Gi\", Format: \"BinarySI\"}}},
  \tVolumeName:       \"\",
- \tStorageClassName: &\"standard\",
+ \tStorageClassName: &\"fast\",
  \tVolumeMode:       &\"Filesystem\",
  \tDataSource:       nil,
  \t... // 2 identical fields
  }
";
            assert_eq!(got, want);
        }
    }
}
