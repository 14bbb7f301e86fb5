//! Name references (api/filters/nameref): when an object is renamed, the fields of other objects that name it
//! follow.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::errors::{KError, KResult};
use super::resources::{Id, Res};
use super::transformers::{apply_spec, FieldSpec, Leaf};

/// A kind that can be renamed, as (kind, group, version), and the fields of other objects that name it.
type NameReference = ((&'static str, &'static str, &'static str), Vec<FieldSpec>);

/// builtinpluginconsts `nameReferenceFieldSpecs`.
fn name_references() -> Vec<NameReference> {
    // Where each workload keeps its pod spec.
    const POD_SPECS: &[(&str, &str, &str)] = &[
        ("Pod", "v1", "spec"),
        ("PodTemplate", "", "template/spec"),
        ("Deployment", "", "spec/template/spec"),
        ("ReplicaSet", "", "spec/template/spec"),
        ("DaemonSet", "", "spec/template/spec"),
        ("StatefulSet", "", "spec/template/spec"),
        ("Job", "", "spec/template/spec"),
        ("CronJob", "", "spec/jobTemplate/spec/template/spec"),
    ];
    // Workloads kustomize lists for service accounts, claims and priority classes.
    const WORKLOADS: &[(&str, &str)] = &[
        ("Pod", "spec"),
        ("StatefulSet", "spec/template/spec"),
        ("Deployment", "spec/template/spec"),
        ("ReplicationController", "spec/template/spec"),
        ("CronJob", "spec/jobTemplate/spec/template/spec"),
        ("Job", "spec/template/spec"),
        ("DaemonSet", "spec/template/spec"),
    ];
    let in_pods = |fields: &[&str]| -> Vec<FieldSpec> {
        let mut out = Vec::new();
        for (kind, version, prefix) in POD_SPECS {
            for f in fields {
                out.push(spec(kind, "", version, &format!("{prefix}/{f}")));
            }
        }
        out
    };
    let in_workloads = |field: &str| -> Vec<FieldSpec> {
        WORKLOADS
            .iter()
            .map(|(kind, prefix)| spec(kind, "", "", &format!("{prefix}/{field}")))
            .collect()
    };
    let mut config_maps = in_pods(&[
        "volumes/configMap/name",
        "containers/env/valueFrom/configMapKeyRef/name",
        "initContainers/env/valueFrom/configMapKeyRef/name",
        "containers/envFrom/configMapRef/name",
        "initContainers/envFrom/configMapRef/name",
        "volumes/projected/sources/configMap/name",
    ]);
    config_maps.extend([
        spec("Node", "", "", "spec/configSource/configMap"),
        spec("Role", "", "", "rules/resourceNames"),
        spec("ClusterRole", "", "", "rules/resourceNames"),
        spec(
            "Ingress",
            "",
            "",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap",
        ),
    ]);
    let mut secrets = in_pods(&[
        "volumes/secret/secretName",
        "containers/env/valueFrom/secretKeyRef/name",
        "initContainers/env/valueFrom/secretKeyRef/name",
        "containers/envFrom/secretRef/name",
        "initContainers/envFrom/secretRef/name",
        "imagePullSecrets/name",
        "volumes/projected/sources/secret/name",
    ]);
    secrets.extend([
        spec("Ingress", "", "", "spec/tls/secretName"),
        spec(
            "Ingress",
            "",
            "",
            "metadata/annotations/ingress.kubernetes.io\\/auth-secret",
        ),
        spec(
            "Ingress",
            "",
            "",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret",
        ),
        spec(
            "Ingress",
            "",
            "",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret",
        ),
        spec("ServiceAccount", "", "", "imagePullSecrets/name"),
        spec("StorageClass", "", "", "parameters/secretName"),
        spec("StorageClass", "", "", "parameters/adminSecretName"),
        spec("StorageClass", "", "", "parameters/userSecretName"),
        spec("StorageClass", "", "", "parameters/secretRef"),
        spec("Role", "", "", "rules/resourceNames"),
        spec("ClusterRole", "", "", "rules/resourceNames"),
        spec(
            "Service",
            "serving.knative.dev",
            "v1",
            "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
        ),
        spec("PersistentVolume", "", "", "spec/azureFile/secretName"),
    ]);
    let hpa = vec![spec(
        "HorizontalPodAutoscaler",
        "",
        "",
        "spec/scaleTargetRef/name",
    )];
    let mut service_accounts = vec![
        spec("RoleBinding", "rbac.authorization.k8s.io", "", "subjects"),
        spec(
            "ClusterRoleBinding",
            "rbac.authorization.k8s.io",
            "",
            "subjects",
        ),
    ];
    service_accounts.extend(in_workloads("serviceAccountName"));
    vec![
        (("Deployment", "", ""), hpa.clone()),
        (("ReplicationController", "", ""), hpa.clone()),
        (("ReplicaSet", "", ""), hpa.clone()),
        (("StatefulSet", "", ""), hpa),
        (("ConfigMap", "", "v1"), config_maps),
        (("Secret", "", "v1"), secrets),
        (
            ("Service", "", "v1"),
            vec![
                spec("StatefulSet", "apps", "", "spec/serviceName"),
                spec(
                    "Ingress",
                    "",
                    "",
                    "spec/rules/http/paths/backend/serviceName",
                ),
                spec("Ingress", "", "", "spec/backend/serviceName"),
                spec(
                    "Ingress",
                    "",
                    "",
                    "spec/rules/http/paths/backend/service/name",
                ),
                spec("Ingress", "", "", "spec/defaultBackend/service/name"),
                spec(
                    "APIService",
                    "apiregistration.k8s.io",
                    "",
                    "spec/service/name",
                ),
                spec(
                    "ValidatingWebhookConfiguration",
                    "admissionregistration.k8s.io",
                    "",
                    "webhooks/clientConfig/service",
                ),
                spec(
                    "MutatingWebhookConfiguration",
                    "admissionregistration.k8s.io",
                    "",
                    "webhooks/clientConfig/service",
                ),
            ],
        ),
        (
            ("Role", "rbac.authorization.k8s.io", ""),
            vec![spec(
                "RoleBinding",
                "rbac.authorization.k8s.io",
                "",
                "roleRef/name",
            )],
        ),
        (
            ("ClusterRole", "rbac.authorization.k8s.io", ""),
            vec![
                spec(
                    "RoleBinding",
                    "rbac.authorization.k8s.io",
                    "",
                    "roleRef/name",
                ),
                spec(
                    "ClusterRoleBinding",
                    "rbac.authorization.k8s.io",
                    "",
                    "roleRef/name",
                ),
            ],
        ),
        (("ServiceAccount", "", "v1"), service_accounts),
        (
            ("PersistentVolumeClaim", "", "v1"),
            in_workloads("volumes/persistentVolumeClaim/claimName"),
        ),
        (
            ("PersistentVolume", "", "v1"),
            vec![
                spec("PersistentVolumeClaim", "", "", "spec/volumeName"),
                spec("ClusterRole", "", "", "rules/resourceNames"),
            ],
        ),
        (
            ("StorageClass", "storage.k8s.io", "v1"),
            vec![
                spec("PersistentVolume", "", "", "spec/storageClassName"),
                spec("PersistentVolumeClaim", "", "", "spec/storageClassName"),
                spec(
                    "StatefulSet",
                    "",
                    "",
                    "spec/volumeClaimTemplates/spec/storageClassName",
                ),
            ],
        ),
        (
            ("PriorityClass", "scheduling.k8s.io", "v1"),
            in_workloads("priorityClassName"),
        ),
        (
            (
                "ValidatingAdmissionPolicy",
                "admissionregistration.k8s.io",
                "",
            ),
            vec![spec(
                "ValidatingAdmissionPolicyBinding",
                "admissionregistration.k8s.io",
                "",
                "spec/policyName",
            )],
        ),
    ]
}

pub(super) fn spec(kind: &str, group: &str, version: &str, path: &str) -> FieldSpec {
    FieldSpec {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        path: path.into(),
        create: false,
    }
}

/// What name-reference matching needs to know about each object; names do not change while references are
/// fixed, so this is taken once.
struct Candidate {
    cur: Id,
    prev: Vec<Id>,
    org_namespace: String,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

/// `SameEndingSubSlice`: the shorter list is the end of the longer one (both empty counts).
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long[long.len() - short.len()..] == *short
}

fn affixes_equal(c: &Candidate, referrer: &Candidate, allow_empty: bool) -> bool {
    let check = |x: &[String], y: &[String]| {
        (allow_empty && (x.is_empty() || y.is_empty())) || same_ending(x, y)
    };
    check(&c.prefixes, &referrer.prefixes) && check(&c.suffixes, &referrer.suffixes)
}

/// FixBackReferences: fields that name a ConfigMap, Secret, Service, claim… that the build renamed (prefix,
/// suffix, hash, namespace) are rewritten to its new name.
pub(super) fn fix_name_references(list: &mut [Res]) -> KResult<()> {
    let all: Vec<Candidate> = list
        .iter()
        .map(|r| Candidate {
            cur: r.cur_id(),
            prev: r.prev_ids(),
            org_namespace: r.org_id().effective_namespace().to_string(),
            prefixes: r.prefixes.clone(),
            suffixes: r.suffixes.clone(),
        })
        .collect();
    let table = name_references();
    for i in 0..list.len() {
        let referrer = &all[i];
        let org = list[i].org_id();
        // `SubsetThatCouldBeReferencedByResource`.
        let mut rb_namespaces: BTreeSet<String> = BTreeSet::new();
        if matches!(org.kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            for s in list[i]
                .obj
                .get("subjects")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if s.get("kind").and_then(Value::as_str) == Some("ServiceAccount") {
                    if let Some(ns) = s.get("namespace").and_then(Value::as_str) {
                        rb_namespaces.insert(ns.to_string());
                    }
                }
            }
        }
        let reachable: Vec<usize> = (0..all.len())
            .filter(|j| {
                let c = &all[*j].cur;
                referrer.cur.cluster_scoped()
                    || c.cluster_scoped()
                    || c.ns_equals(&referrer.cur)
                    || rb_namespaces.contains(&c.namespace)
            })
            .collect();
        let role_ref = list[i].obj.get("roleRef").map(|r| {
            (
                r.get("apiGroup")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                r.get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            )
        });
        for ((kind, group, version), fields) in &table {
            for fs in fields {
                if !org.selected_by(&fs.group, &fs.version, &fs.kind) {
                    continue;
                }
                let mut error = None;
                let ctx = RefContext {
                    all: &all,
                    reachable: &reachable,
                    referrer,
                    target: (group, version, kind),
                    role_ref: if fs.path.ends_with("roleRef/name") {
                        role_ref.as_ref()
                    } else {
                        None
                    },
                };
                let mut spec_all = fs.clone();
                // The filter runs on the referrer it was chosen for, whatever its current kind.
                spec_all.kind.clear();
                spec_all.group.clear();
                spec_all.version.clear();
                apply_spec(
                    &mut list[i].obj,
                    &spec_all,
                    Leaf::Scalar,
                    &mut |v: &mut Value| {
                        if let Err(e) = ctx.set(v) {
                            error.get_or_insert(e);
                        }
                    },
                );
                if let Some(e) = error {
                    return Err(KError::new(format!(
                        "updating name reference in '{}' field of '{}': {e}",
                        fs.path, referrer.cur
                    )));
                }
            }
        }
    }
    Ok(())
}

/// One referrer field being fixed.
struct RefContext<'a> {
    all: &'a [Candidate],
    reachable: &'a [usize],
    referrer: &'a Candidate,
    target: (&'a str, &'a str, &'a str),
    role_ref: Option<&'a (String, String)>,
}

impl RefContext<'_> {
    fn set(&self, v: &mut Value) -> Result<(), String> {
        match v {
            Value::String(name) => {
                if let Some(j) = self.select(name, self.reachable, false)? {
                    *name = self.all[j].cur.name.clone();
                }
                Ok(())
            }
            Value::Object(m) => self.set_mapping(m),
            Value::Array(items) => {
                for item in items {
                    self.set(item)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn set_mapping(&self, m: &mut Map<String, Value>) -> Result<(), String> {
        let Some(old) = m.get("name").and_then(Value::as_str).map(str::to_string) else {
            return Err("path config error; no 'name' field in node".into());
        };
        let candidates: Vec<usize> = match m.get("namespace").and_then(Value::as_str) {
            None => self.reachable.to_vec(),
            Some(ns) => {
                let by_org: Vec<usize> = self
                    .reachable
                    .iter()
                    .copied()
                    .filter(|j| self.all[*j].org_namespace == ns)
                    .collect();
                if by_org.is_empty() {
                    self.reachable
                        .iter()
                        .copied()
                        .filter(|j| self.all[*j].cur.effective_namespace() == ns)
                        .collect()
                } else {
                    by_org
                }
            }
        };
        let Some(j) = self.select(&old, &candidates, true)? else {
            return Ok(());
        };
        let referral = &self.all[j].cur;
        if referral.name == old && referral.namespace.is_empty() {
            return Ok(());
        }
        m.insert("name".into(), Value::String(referral.name.clone()));
        if !referral.namespace.is_empty() {
            m.insert(
                "namespace".into(),
                Value::String(referral.namespace.clone()),
            );
        }
        Ok(())
    }

    /// `selectReferral`: the one object that had this name and is of the referenced kind, preferring the
    /// referrer's namespace and name prefixes/suffixes.
    fn select(
        &self,
        old: &str,
        candidates: &[usize],
        with_namespace: bool,
    ) -> Result<Option<usize>, String> {
        let (group, version, kind) = self.target;
        let mut c: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|j| {
                let prev = &self.all[*j].prev;
                prev.iter().any(|id| id.name == old)
                    && prev.iter().any(|id| id.selected_by(group, version, kind))
                    && self
                        .role_ref
                        .is_none_or(|(g, k)| prev.iter().any(|id| id.selected_by(g, "", k)))
            })
            .collect();
        let referrer = &self.referrer.cur;
        if !referrer.cluster_scoped() {
            c.retain(|j| {
                let cur = &self.all[*j].cur;
                cur.cluster_scoped() || cur.kind == "ServiceAccount" || referrer.ns_equals(cur)
            });
        }
        if c.len() == 1 {
            return Ok(Some(c[0]));
        }
        c.retain(|j| affixes_equal(&self.all[*j], self.referrer, true));
        if c.len() > 1 {
            c.retain(|j| affixes_equal(&self.all[*j], self.referrer, false));
        }
        match c.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            [first, rest @ ..] => {
                let f = &self.all[*first].cur;
                let identical = rest.iter().all(|j| {
                    let o = &self.all[*j].cur;
                    o.name == f.name && (!with_namespace || o.namespace == f.namespace)
                });
                if identical {
                    Ok(Some(*first))
                } else {
                    let ids: Vec<String> = c.iter().map(|j| self.all[*j].cur.to_string()).collect();
                    Err(format!(
                        "found multiple possible referrals: {}",
                        ids.join(", ")
                    ))
                }
            }
        }
    }
}
