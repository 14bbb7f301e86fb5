//! Transformers: namespace, name prefix and suffix, labels, annotations, replicas and images, each applied
//! through kustomize's field specs.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::errors::{KError, KResult};
use super::kustomization::{ImageArgs, Kustomization};
use super::resources::{is_cluster_scoped, split_api_version, Res};

/// kustomize's `FieldSpec`: a path in objects of a kind (empty parts match anything), created when missing
/// if `create`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct FieldSpec {
    pub(super) group: String,
    pub(super) version: String,
    pub(super) kind: String,
    pub(super) path: String,
    pub(super) create: bool,
}

/// A field-spec table row: (kind, group, version, path, create).
type SpecRow = (&'static str, &'static str, &'static str, &'static str, bool);

fn specs(rows: &[SpecRow]) -> Vec<FieldSpec> {
    rows.iter()
        .map(|(kind, group, version, path, create)| FieldSpec {
            group: (*group).into(),
            version: (*version).into(),
            kind: (*kind).into(),
            path: (*path).into(),
            create: *create,
        })
        .collect()
}

/// builtinpluginconsts `metadataLabelsFieldSpecs`: labels on objects and on the pod templates they carry.
const METADATA_LABELS: &[SpecRow] = &[
    ("", "", "", "metadata/labels", true),
    (
        "ReplicationController",
        "",
        "v1",
        "spec/template/metadata/labels",
        true,
    ),
    ("Deployment", "", "", "spec/template/metadata/labels", true),
    ("ReplicaSet", "", "", "spec/template/metadata/labels", true),
    ("DaemonSet", "", "", "spec/template/metadata/labels", true),
    (
        "StatefulSet",
        "apps",
        "",
        "spec/template/metadata/labels",
        true,
    ),
    ("Job", "batch", "", "spec/template/metadata/labels", true),
    (
        "CronJob",
        "batch",
        "",
        "spec/jobTemplate/metadata/labels",
        true,
    ),
    (
        "CronJob",
        "batch",
        "",
        "spec/jobTemplate/spec/template/metadata/labels",
        true,
    ),
];

const VOLUME_CLAIM_TEMPLATE_LABELS: &[SpecRow] = &[(
    "StatefulSet",
    "apps",
    "",
    "spec/volumeClaimTemplates[]/metadata/labels",
    true,
)];

/// builtinpluginconsts `commonLabelFieldSpecs` before the metadata ones: selectors.
const SELECTOR_LABELS: &[SpecRow] = &[
    ("Service", "", "v1", "spec/selector", true),
    ("ReplicationController", "", "v1", "spec/selector", true),
    ("Deployment", "", "", "spec/selector/matchLabels", true),
    ("Deployment", "apps", "", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false),
    ("Deployment", "apps", "", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false),
    ("Deployment", "apps", "", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false),
    ("Deployment", "apps", "", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false),
    ("Deployment", "apps", "", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false),
    ("ReplicaSet", "", "", "spec/selector/matchLabels", true),
    ("DaemonSet", "", "", "spec/selector/matchLabels", true),
    ("StatefulSet", "apps", "", "spec/selector/matchLabels", true),
    ("StatefulSet", "apps", "", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false),
    ("StatefulSet", "apps", "", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false),
    ("StatefulSet", "apps", "", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false),
    ("StatefulSet", "apps", "", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false),
    ("StatefulSet", "apps", "", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false),
    ("Job", "batch", "", "spec/selector/matchLabels", false),
    ("CronJob", "batch", "", "spec/jobTemplate/spec/selector/matchLabels", false),
    ("PodDisruptionBudget", "policy", "", "spec/selector/matchLabels", false),
    ("NetworkPolicy", "networking.k8s.io", "", "spec/podSelector/matchLabels", false),
    ("NetworkPolicy", "networking.k8s.io", "", "spec/ingress/from/podSelector/matchLabels", false),
    ("NetworkPolicy", "networking.k8s.io", "", "spec/egress/to/podSelector/matchLabels", false),
];

/// builtinpluginconsts `commonAnnotationFieldSpecs`.
const ANNOTATIONS: &[SpecRow] = &[
    ("", "", "", "metadata/annotations", true),
    (
        "ReplicationController",
        "",
        "v1",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "Deployment",
        "",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "ReplicaSet",
        "",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "DaemonSet",
        "",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "StatefulSet",
        "",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "Job",
        "batch",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "CronJob",
        "batch",
        "",
        "spec/jobTemplate/metadata/annotations",
        true,
    ),
    (
        "CronJob",
        "batch",
        "",
        "spec/jobTemplate/spec/template/metadata/annotations",
        true,
    ),
];

/// builtinpluginconsts `namespaceFieldSpecs` (besides every namespaced object's `metadata/namespace`).
const NAMESPACE_FIELDS: &[SpecRow] = &[
    ("Namespace", "", "", "metadata/name", true),
    (
        "APIService",
        "apiregistration.k8s.io",
        "",
        "spec/service/namespace",
        true,
    ),
    (
        "CustomResourceDefinition",
        "apiextensions.k8s.io",
        "",
        "spec/conversion/webhook/clientConfig/service/namespace",
        false,
    ),
];

/// builtinpluginconsts `replicasFieldSpecs`.
const REPLICAS: &[SpecRow] = &[
    ("Deployment", "", "", "spec/replicas", true),
    ("ReplicationController", "", "", "spec/replicas", true),
    ("ReplicaSet", "", "", "spec/replicas", true),
    ("StatefulSet", "", "", "spec/replicas", true),
];

/// What a field spec creates at the end of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leaf {
    Map,
    Scalar,
}

/// `isMatchGVK`: the spec applies to this object.
fn spec_matches(fs: &FieldSpec, obj: &Map<String, Value>) -> bool {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let (group, version) =
        split_api_version(obj.get("apiVersion").and_then(Value::as_str).unwrap_or(""));
    (fs.kind.is_empty() || fs.kind == kind)
        && (fs.group.is_empty() || fs.group == group)
        && (fs.version.is_empty() || fs.version == version)
}

/// kyaml's `PathSplitter`: `/`-separated, `\/` keeping a slash inside a key.
fn split_path(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                chars.next();
                if let Some(last) = parts.last_mut() {
                    last.push('/');
                }
            }
            '/' => parts.push(String::new()),
            other => {
                if let Some(last) = parts.last_mut() {
                    last.push(other);
                }
            }
        }
    }
    parts
}

/// Applies `set` at the end of `fs`'s path in `obj` (kustomize's `fieldspec.Filter`): sequences on the way are
/// walked element by element; missing fields are created only when the spec says so (never through `[]`).
pub(super) fn apply_spec(
    obj: &mut Map<String, Value>,
    fs: &FieldSpec,
    leaf: Leaf,
    set: &mut dyn FnMut(&mut Value),
) {
    if !spec_matches(fs, obj) {
        return;
    }
    let path = split_path(&fs.path);
    let mut root = Value::Object(std::mem::take(obj));
    walk(&mut root, &path, fs.create, leaf, set);
    if let Value::Object(m) = root {
        *obj = m;
    }
}

fn walk(v: &mut Value, path: &[String], create: bool, leaf: Leaf, set: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = path.split_first() else {
        set(v);
        return;
    };
    match v {
        Value::Array(items) => {
            for item in items {
                walk(item, path, create, leaf, set);
            }
        }
        Value::Object(map) => {
            let (name, seq) = match first.strip_suffix("[]") {
                Some(n) => (n, true),
                None => (first.as_str(), false),
            };
            if name.is_empty() {
                return;
            }
            let creating = create && !seq;
            let made = |last: bool| {
                if last && leaf == Leaf::Scalar {
                    Value::String(String::new())
                } else {
                    Value::Object(Map::new())
                }
            };
            let field = if creating {
                Some(map.entry(name).or_insert_with(|| made(rest.is_empty())))
            } else {
                map.get_mut(name)
            };
            let Some(field) = field else {
                return;
            };
            if field.is_null() && creating {
                *field = made(rest.is_empty());
            }
            if field.is_null() && !rest.is_empty() {
                return;
            }
            walk(field, rest, create, leaf, set);
        }
        _ => {}
    }
}

/// Sets `pairs` in the map a label or annotation spec leads to.
fn set_pairs(pairs: &BTreeMap<String, String>) -> impl FnMut(&mut Value) + '_ {
    move |v: &mut Value| {
        if v.is_null() {
            *v = Value::Object(Map::new());
        }
        if let Value::Object(m) = v {
            for (k, val) in pairs {
                m.insert(k.clone(), Value::String(val.clone()));
            }
        }
    }
}

/// Runs one level's transformers in kustomize's order.
pub(super) fn transform(list: &mut [Res], k: &Kustomization) -> KResult<()> {
    if !k.namespace.is_empty() {
        for r in list.iter_mut() {
            set_namespace(r, &k.namespace);
        }
        for i in 0..list.len() {
            let id = list[i].cur_id();
            if list.iter().filter(|r| r.cur_id().equals(&id)).count() != 1 {
                return Err(KError::new(format!(
                    "namespace transformation produces ID conflict: {id}"
                )));
            }
        }
    }
    for (affix, is_prefix) in [(&k.name_prefix, true), (&k.name_suffix, false)] {
        if affix.is_empty() {
            continue;
        }
        for r in list.iter_mut() {
            let org = r.org_id();
            let skip = org.kind == "CustomResourceDefinition"
                || org.kind == "Namespace"
                || (org.kind == "APIService" && org.group == "apiregistration.k8s.io");
            if skip {
                continue;
            }
            r.store_previous_id();
            let name = r.name().to_string();
            if is_prefix {
                r.prefixes.push(affix.clone());
                r.set_name(format!("{affix}{name}"));
            } else {
                r.suffixes.push(affix.clone());
                r.set_name(format!("{name}{affix}"));
            }
        }
    }
    for label in &k.labels {
        let mut fields = label.fields.clone();
        if label.include_selectors {
            fields.extend(specs(SELECTOR_LABELS));
            fields.extend(specs(METADATA_LABELS));
            fields.extend(specs(VOLUME_CLAIM_TEMPLATE_LABELS));
        } else {
            if label.include_templates {
                fields.extend(specs(METADATA_LABELS));
            }
            if label.include_volume_claim_templates {
                fields.extend(specs(VOLUME_CLAIM_TEMPLATE_LABELS));
            }
            fields.push(FieldSpec {
                path: "metadata/labels".into(),
                create: true,
                ..FieldSpec::default()
            });
        }
        apply_all(list, &fields, Leaf::Map, &label.pairs);
    }
    if !k.common_labels.is_empty() {
        let mut fields = specs(SELECTOR_LABELS);
        fields.extend(specs(METADATA_LABELS));
        fields.extend(specs(VOLUME_CLAIM_TEMPLATE_LABELS));
        apply_all(list, &fields, Leaf::Map, &k.common_labels);
    }
    if !k.common_annotations.is_empty() {
        apply_all(list, &specs(ANNOTATIONS), Leaf::Map, &k.common_annotations);
    }
    for (name, count) in &k.replicas {
        set_replicas(list, name, *count)?;
    }
    for image in &k.images {
        for r in list.iter_mut() {
            if r.kind() != "CustomResourceDefinition" {
                set_images(&mut r.obj, image);
            }
        }
    }
    Ok(())
}

fn apply_all(list: &mut [Res], fields: &[FieldSpec], leaf: Leaf, pairs: &BTreeMap<String, String>) {
    for r in list.iter_mut() {
        for fs in fields {
            apply_spec(&mut r.obj, fs, leaf, &mut set_pairs(pairs));
        }
    }
}

/// The namespace transformer: every namespaced object's `metadata.namespace`, a Namespace object's own name,
/// and role binding subjects named `default`.
fn set_namespace(r: &mut Res, ns: &str) {
    if r.obj.is_empty() {
        return;
    }
    r.store_previous_id();
    let mut set = |v: &mut Value| *v = Value::String(ns.to_string());
    if !is_cluster_scoped(r.kind()) {
        let fs = FieldSpec {
            path: "metadata/namespace".into(),
            create: true,
            ..FieldSpec::default()
        };
        apply_spec(&mut r.obj, &fs, Leaf::Scalar, &mut set);
    }
    let v1 = r.api_version() == "v1";
    for fs in specs(NAMESPACE_FIELDS) {
        if fs.path == "metadata/name" && !v1 {
            continue;
        }
        apply_spec(&mut r.obj, &fs, Leaf::Scalar, &mut set);
    }
    if matches!(r.kind(), "RoleBinding" | "ClusterRoleBinding") {
        if let Some(Value::Array(subjects)) = r.obj.get_mut("subjects") {
            for s in subjects.iter_mut() {
                if let Value::Object(m) = s {
                    if m.get("name").and_then(Value::as_str) == Some("default") {
                        m.insert("namespace".into(), Value::String(ns.to_string()));
                    }
                }
            }
        }
    }
}

/// The replicas transformer: `spec.replicas` of the workloads that have (or had) this name.
fn set_replicas(list: &mut [Res], name: &str, count: i64) -> KResult<()> {
    let mut found = false;
    for fs in specs(REPLICAS) {
        for r in list.iter_mut() {
            let hit = r
                .any_ids()
                .iter()
                .any(|id| id.name == name && id.selected_by(&fs.group, &fs.version, &fs.kind));
            if hit {
                found = true;
                apply_spec(&mut r.obj, &fs, Leaf::Scalar, &mut |v: &mut Value| {
                    *v = Value::from(count);
                });
            }
        }
    }
    if found {
        Ok(())
    } else {
        Err(KError::new(format!(
            "resource with name {name} does not match a config with the following GVK [Deployment.[noVer].[noGrp] ReplicationController.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] StatefulSet.[noVer].[noGrp]]"
        )))
    }
}

/// `IsImageMatched`: `image` is `name`, optionally with a tag and/or a digest.
pub(super) fn image_matches(image: &str, name: &str) -> bool {
    let Some(mut rest) = image.strip_prefix(name) else {
        return false;
    };
    let tag_char = |c: char| c.is_ascii_alphanumeric() || "_.{}-".contains(c);
    if let Some(r) = rest.strip_prefix(':') {
        rest = r.trim_start_matches(tag_char);
    }
    if rest.is_empty() {
        return true;
    }
    // `@algorithm:hex`: the algorithm is alphanumeric words joined by `.+_-`.
    let Some(digest) = rest.strip_prefix('@') else {
        return false;
    };
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let words_ok = !algorithm.is_empty()
        && algorithm
            .split(['.', '+', '_', '-'])
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric()));
    words_ok && hex.chars().all(tag_char)
}

/// `image.Split`: name, tag and digest of an image reference (a registry port is not a tag).
pub(super) fn split_image(image: &str) -> (String, String, String) {
    let slash = image.find('/').filter(|i| *i > 0).unwrap_or(0);
    let search = &image[slash..];
    let at = search.find('@').map(|i| i + slash);
    let colon = search.find(':').map(|i| i + slash);
    match (colon, at) {
        (None, None) => (image.into(), String::new(), String::new()),
        (Some(c), Some(a)) if c < a => (
            image[..c].into(),
            image[c + 1..a].into(),
            image[a + 1..].into(),
        ),
        (_, Some(a)) => (image[..a].into(), String::new(), image[a + 1..].into()),
        (Some(c), None) => (image[..c].into(), image[c + 1..].into(), String::new()),
    }
}

fn new_image(value: &str, args: &ImageArgs) -> Option<String> {
    if !image_matches(value, &args.name) {
        return None;
    }
    let (mut name, mut tag, mut digest) = split_image(value);
    if !args.new_name.is_empty() {
        name = args.new_name.clone();
    }
    if !args.new_tag.is_empty() && !args.digest.is_empty() {
        tag = args.new_tag.clone();
        digest = args.digest.clone();
    } else if !args.new_tag.is_empty() {
        tag = args.new_tag.clone();
        digest.clear();
    } else if !args.digest.is_empty() {
        tag.clear();
        digest = args.digest.clone();
    } else if !args.tag_suffix.is_empty() {
        tag.push_str(&args.tag_suffix);
        digest.clear();
    }
    if !tag.is_empty() {
        name = format!("{name}:{tag}");
    }
    if !digest.is_empty() {
        name = format!("{name}@{digest}");
    }
    Some(name)
}

/// The images transformer: every `containers[]`/`initContainers[]` image anywhere in the object, and image
/// volumes in pod specs.
fn set_images(obj: &mut Map<String, Value>, args: &ImageArgs) {
    for (key, v) in obj.iter_mut() {
        if let Value::Object(m) = v {
            set_images(m, args);
        } else if let Value::Array(items) = v {
            let containers = key == "containers" || key == "initContainers";
            for item in items.iter_mut() {
                if let Value::Object(m) = item {
                    set_images(m, args);
                    if containers {
                        if let Some(Value::String(image)) = m.get_mut("image") {
                            if let Some(n) = new_image(image, args) {
                                *image = n;
                            }
                        }
                    }
                }
            }
        }
    }
    for path in [
        "spec/volumes[]/image/reference",
        "spec/template/spec/volumes[]/image/reference",
    ] {
        let fs = FieldSpec {
            path: path.into(),
            ..FieldSpec::default()
        };
        apply_spec(obj, &fs, Leaf::Scalar, &mut |v: &mut Value| {
            if let Value::String(image) = v {
                if let Some(n) = new_image(image, args) {
                    *image = n;
                }
            }
        });
    }
}
