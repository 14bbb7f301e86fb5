//! Resources and their identities: kustomize's `ResId`, a resource with its build bookkeeping, and reading
//! multi-document YAML into resources.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::errors::{KError, KResult};
use super::kustomization::{duplicate_key_error, yaml_error, GoYaml};

/// kustomize's `ResId`: what names an object in a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Id {
    pub(super) group: String,
    pub(super) version: String,
    pub(super) kind: String,
    pub(super) name: String,
    pub(super) namespace: String,
}

impl Id {
    pub(super) fn cluster_scoped(&self) -> bool {
        is_cluster_scoped(&self.kind)
    }

    pub(super) fn effective_namespace(&self) -> &str {
        if self.cluster_scoped() {
            ""
        } else if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// `IsNsEquals`: the same namespace, counting no namespace as `default`.
    pub(super) fn ns_equals(&self, o: &Id) -> bool {
        (self.cluster_scoped() && o.cluster_scoped())
            || self.effective_namespace() == o.effective_namespace()
    }

    pub(super) fn same_gvk(&self, o: &Id) -> bool {
        self.group == o.group && self.version == o.version && self.kind == o.kind
    }

    pub(super) fn equals(&self, o: &Id) -> bool {
        self.same_gvk(o) && self.name == o.name && self.ns_equals(o)
    }

    /// `Gvk.IsSelected`: the selector's non-empty parts match.
    pub(super) fn selected_by(&self, group: &str, version: &str, kind: &str) -> bool {
        (group.is_empty() || group == self.group)
            && (version.is_empty() || version == self.version)
            && (kind.is_empty() || kind == self.kind)
    }
}

/// A part of an id, or kustomize's placeholder for it when it is empty (`[noNs]` in `ResId.String()`, `~G` in
/// the legacy sort key).
pub(super) fn part_or<'a>(part: &'a str, placeholder: &'a str) -> &'a str {
    if part.is_empty() {
        placeholder
    } else {
        part
    }
}

impl std::fmt::Display for Id {
    /// `ResId.String()`: `Deployment.v1.apps/wordpress.[noNs]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{}.{}/{}.{}",
            part_or(&self.kind, "[noKind]"),
            part_or(&self.version, "[noVer]"),
            part_or(&self.group, "[noGrp]"),
            part_or(&self.name, "[noName]"),
            part_or(&self.namespace, "[noNs]")
        )
    }
}

/// Kinds the API serves without a namespace (kustomize learns this from its built-in OpenAPI schema).
pub(super) fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "StorageClass"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "PriorityClass"
            | "PodSecurityPolicy"
            | "APIService"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "CSIDriver"
            | "CSINode"
            | "VolumeAttachment"
            | "RuntimeClass"
            | "IngressClass"
            | "ComponentStatus"
            | "CertificateSigningRequest"
            | "TokenReview"
            | "SelfSubjectAccessReview"
            | "SubjectAccessReview"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
            | "VolumeAttributesClass"
    )
}

/// `ParseGroupVersion`: `apps/v1` is (apps, v1); `v1` is the core group.
pub(super) fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

/// How a generated object joins what an earlier level (a base) generated under the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Behavior {
    Unspecified,
    Create,
    Replace,
    Merge,
}

impl Behavior {
    pub(super) fn parse(s: &str) -> Behavior {
        match s {
            "create" => Behavior::Create,
            "replace" => Behavior::Replace,
            "merge" => Behavior::Merge,
            _ => Behavior::Unspecified,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Behavior::Unspecified => "unspecified",
            Behavior::Create => "create",
            Behavior::Replace => "replace",
            Behavior::Merge => "merge",
        }
    }
}

/// One object in a build, with what kustomize tracks in its build annotations.
#[derive(Debug, Clone)]
pub(super) struct Res {
    pub(super) obj: Map<String, Value>,
    /// The identities it had before each rename (name, namespace, kind), oldest first: kustomize's
    /// `previousNames`/`previousNamespaces`/`previousKinds`.
    pub(super) prev: Vec<(String, String, String)>,
    pub(super) prefixes: Vec<String>,
    pub(super) suffixes: Vec<String>,
    /// Generated with a content-hash name suffix to come.
    pub(super) hash: bool,
    pub(super) behavior: Behavior,
}

impl Res {
    pub(super) fn new(obj: Map<String, Value>) -> Res {
        Res {
            obj,
            prev: Vec::new(),
            prefixes: Vec::new(),
            suffixes: Vec::new(),
            hash: false,
            behavior: Behavior::Unspecified,
        }
    }

    fn str_at(&self, path: &[&str]) -> &str {
        let mut v = self.obj.get(path[0]);
        for p in &path[1..] {
            v = v.and_then(|x| x.get(p));
        }
        v.and_then(Value::as_str).unwrap_or("")
    }

    pub(super) fn kind(&self) -> &str {
        self.str_at(&["kind"])
    }

    pub(super) fn api_version(&self) -> &str {
        self.str_at(&["apiVersion"])
    }

    pub(super) fn name(&self) -> &str {
        self.str_at(&["metadata", "name"])
    }

    fn namespace(&self) -> &str {
        self.str_at(&["metadata", "namespace"])
    }

    pub(super) fn metadata(&mut self) -> &mut Map<String, Value> {
        let meta = self
            .obj
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if !meta.is_object() {
            *meta = Value::Object(Map::new());
        }
        match meta {
            Value::Object(m) => m,
            _ => unreachable!("made an object above"),
        }
    }

    pub(super) fn set_name(&mut self, name: String) {
        self.metadata().insert("name".into(), Value::String(name));
    }

    fn id_with(&self, kind: &str, name: &str, namespace: &str) -> Id {
        let (group, version) = split_api_version(self.api_version());
        Id {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
            name: name.into(),
            namespace: namespace.into(),
        }
    }

    pub(super) fn cur_id(&self) -> Id {
        self.id_with(self.kind(), self.name(), self.namespace())
    }

    pub(super) fn prev_ids(&self) -> Vec<Id> {
        self.prev
            .iter()
            .map(|(n, ns, k)| self.id_with(k, n, ns))
            .collect()
    }

    /// The identity it was read or generated with.
    pub(super) fn org_id(&self) -> Id {
        self.prev_ids()
            .into_iter()
            .next()
            .unwrap_or_else(|| self.cur_id())
    }

    /// Every identity it has had, for the lookups kustomize does "by any id".
    pub(super) fn any_ids(&self) -> Vec<Id> {
        let mut ids = vec![self.org_id()];
        ids.extend(self.prev_ids());
        ids.push(self.cur_id());
        ids
    }

    /// `StorePreviousId`: remember the current identity before a rename.
    pub(super) fn store_previous_id(&mut self) {
        let id = self.cur_id();
        let ns = id.effective_namespace().to_string();
        self.prev.push((id.name, ns, id.kind));
    }

    pub(super) fn labels_map(&self, key: &str) -> BTreeMap<String, String> {
        self.obj
            .get("metadata")
            .and_then(|m| m.get(key))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// kyaml's `ResourceMeta` printed with Go's `%v`, as kustomize's missing-field errors show it.
fn go_meta(obj: &Map<String, Value>) -> String {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let meta = obj.get("metadata");
    let map = |key: &str| {
        let pairs: Vec<String> = meta
            .and_then(|m| m.get(key))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}:{}", v.as_str().unwrap_or("")))
                    .collect()
            })
            .unwrap_or_default();
        format!("map[{}]", pairs.join(" "))
    };
    format!(
        "{{{{{} {}}} {{{{{} {}}} {} {}}}}}",
        s(obj.get("apiVersion")),
        s(obj.get("kind")),
        s(meta.and_then(|m| m.get("name"))),
        s(meta.and_then(|m| m.get("namespace"))),
        map("labels"),
        map("annotations")
    )
}

/// Splits a YAML stream into documents, each with the number of lines before it.
fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        let marker = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if marker || line == "..." {
            docs.push((start, std::mem::take(&mut current)));
            start = i + 1;
            if let Some(rest) = line
                .strip_prefix("---")
                .map(str::trim_start)
                .filter(|r| !r.is_empty())
            {
                current.push_str(rest);
                current.push('\n');
                start = i;
            }
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    docs.push((start, current));
    docs
}

/// The objects in a resource file (kustomize's `RNodesFromBytes`): empty documents dropped, `…List` kinds
/// unpacked, every object checked for a kind and a name.
pub(super) fn read_resources(text: &str, path: &str) -> KResult<Vec<Res>> {
    let mut out = Vec::new();
    for (offset, doc) in split_documents(text) {
        if doc
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            continue;
        }
        // kyaml reads resources with go-yaml v3: YAML 1.2, where `yes` and `on` are strings.
        let options = serde_saphyr::options! { strict_booleans: true };
        let value: Value = serde_saphyr::from_str_with_options(&doc, options).map_err(|e| {
            match duplicate_key_error(&e, &doc, offset) {
                Some(message) => KError {
                    message,
                    malformed_yaml: false,
                    http: false,
                    bare: true,
                },
                None => KError {
                    message: format!(
                        "MalformedYAMLError: {} in File: {path}",
                        yaml_error(&e, &doc, offset, GoYaml::V3)
                    ),
                    malformed_yaml: true,
                    http: false,
                    bare: false,
                },
            }
        })?;
        let obj = match value {
            Value::Null => continue,
            Value::Object(o) if o.is_empty() => continue,
            Value::Array(a) if a.is_empty() => continue,
            Value::Object(o) => o,
            _ => return Err(KError::new("missing Resource metadata")),
        };
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
        if kind.is_empty() {
            return Err(KError::new(format!(
                "missing kind in object {}",
                go_meta(&obj)
            )));
        }
        if kind.ends_with("List") {
            for item in obj
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Value::Object(o) = item {
                    out.push(checked(o.clone())?);
                }
            }
            continue;
        }
        out.push(checked(obj)?);
    }
    Ok(out)
}

fn checked(obj: Map<String, Value>) -> KResult<Res> {
    let res = Res::new(obj);
    if res.kind().is_empty() {
        return Err(KError::new(format!(
            "missing kind in object {}",
            go_meta(&res.obj)
        )));
    }
    if res.name().is_empty() {
        return Err(KError::new(format!(
            "missing metadata.name in object {}",
            go_meta(&res.obj)
        )));
    }
    Ok(res)
}

/// `resWrangler.Append`: one object per identity.
pub(super) fn append(list: &mut Vec<Res>, res: Res) -> Result<(), String> {
    let id = res.cur_id();
    if list.iter().any(|r| r.cur_id().equals(&id)) {
        return Err(format!(
            "may not add resource with an already registered id: {id}"
        ));
    }
    list.push(res);
    Ok(())
}
