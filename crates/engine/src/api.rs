//! The API server's front door: create, apply, update, scale and delete, each passing through admission
//! (defaulting and validation) before the store. Answers and errors are worded as `kubectl` prints them.

use std::fmt;

use serde_json::Value;

use crate::manifest::{self, ManifestError};
use crate::model::{Kind, Object, Pod};
use crate::store::StoreError;

/// An error answer from the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 404.
    NotFound { resource: String, name: String },
    /// 409 on create.
    AlreadyExists { resource: String, name: String },
    /// 422: validation failed; one entry per field error (`spec.replicas: Invalid value: -1: ...`).
    Invalid {
        kind: Kind,
        name: String,
        causes: Vec<String>,
        /// What kubectl was doing, as `AddSourceToErr` words it (`error when creating "web.yaml"`). kubectl
        /// prints it only when it reports this error among others.
        context: Option<String>,
    },
    /// 422 naming no object: a patch the API server could not apply to the object (apiserver patch.go
    /// `applyPatchToObject`: the patch as Go prints the map, then why the patched object could not be read).
    InvalidPatch {
        /// The patch as Go's `%+v` prints it ([`crate::model::go_value`]).
        patch: String,
        detail: String,
        context: Option<String>,
    },
    /// 400: the request body could not be decoded.
    BadRequest(String),
    /// 403: refused by admission (for example a resize the class does not allow).
    Forbidden(String),
    /// 413: the request body is over [`MAX_REQUEST_BODY_BYTES`]; the message carries kubectl's context.
    RequestEntityTooLarge(String),
    /// kubectl's own error, before or instead of a request (`resource name may not be empty`).
    Request(String),
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError::NotFound {
            resource: kind.qualified_plural(),
            name: name.to_string(),
        }
    }

    /// The message part, without kubectl's `Error from server (Reason): ` prefix.
    pub fn message(&self) -> String {
        match self {
            ApiError::NotFound { resource, name } => format!("{resource} \"{name}\" not found"),
            ApiError::AlreadyExists { resource, name } => {
                format!("{resource} \"{name}\" already exists")
            }
            ApiError::Invalid {
                kind, name, causes, ..
            } => {
                let kind = kind.info().kind;
                if causes.len() == 1 {
                    format!("The {kind} \"{name}\" is invalid: {}", causes[0])
                } else {
                    let list: String = causes.iter().map(|c| format!("\n* {c}")).collect();
                    format!("The {kind} \"{name}\" is invalid: {list}")
                }
            }
            // kubectl's `checkErr`: an invalid request with no kind and no name is "the request".
            ApiError::InvalidPatch { .. } => format!("The request is invalid: {}", self.cause()),
            ApiError::BadRequest(m)
            | ApiError::Forbidden(m)
            | ApiError::RequestEntityTooLarge(m)
            | ApiError::Request(m) => m.clone(),
        }
    }

    /// The one field error of an invalid patch: `patch: Invalid value: "map[…]": detail`.
    fn cause(&self) -> String {
        match self {
            ApiError::InvalidPatch { patch, detail, .. } => {
                format!("patch: Invalid value: {patch:?}: {detail}")
            }
            other => other.message(),
        }
    }

    /// The message of the API status behind this error, as a Go client's `err.Error()` gives it (what a
    /// command that wraps the error prints, create_deployment.go `failed to create deployment: %v`): an
    /// invalid object's is apimachinery `NewInvalid`'s `Deployment.apps "x" is invalid: [a, b]`.
    pub fn status_message(&self) -> String {
        match self {
            ApiError::Invalid {
                kind, name, causes, ..
            } => {
                let info = kind.info();
                let qualified = if info.group.is_empty() {
                    info.kind.to_string()
                } else {
                    format!("{}.{}", info.kind, info.group)
                };
                format!(
                    "{qualified} \"{name}\" is invalid: {}",
                    manifest::go_aggregate(causes)
                )
            }
            // NewInvalid with an empty group-kind and name.
            ApiError::InvalidPatch { .. } => format!(" \"\" is invalid: {}", self.cause()),
            other => other.message(),
        }
    }

    /// The line kubectl prints for this error when it reports several (cmd/util `MultipleErrors` through
    /// `StandardErrorMessage`): a server error keeps `Error from server (Reason): ` and, for an invalid object,
    /// the status message (`StatefulSet.apps "web" is invalid: [a, b]`, apimachinery `NewInvalid`) in place of
    /// the one-error form; kubectl's own errors lose their `error: ` prefix.
    pub fn line_among_several(&self) -> String {
        match self {
            ApiError::Invalid {
                kind,
                name,
                causes,
                context,
            } => {
                let info = kind.info();
                let qualified = if info.group.is_empty() {
                    info.kind.to_string()
                } else {
                    format!("{}.{}", info.kind, info.group)
                };
                let context = context
                    .as_ref()
                    .map(|c| format!("{c}: "))
                    .unwrap_or_default();
                format!(
                    "Error from server (Invalid): {context}{qualified} \"{name}\" is invalid: {}",
                    manifest::go_aggregate(causes)
                )
            }
            ApiError::InvalidPatch { context, .. } => {
                let context = context
                    .as_ref()
                    .map(|c| format!("{c}: "))
                    .unwrap_or_default();
                format!(
                    "Error from server (Invalid): {context}{}",
                    self.status_message()
                )
            }
            ApiError::Request(m) => m.clone(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound { .. } => {
                write!(f, "Error from server (NotFound): {}", self.message())
            }
            ApiError::AlreadyExists { .. } => {
                write!(f, "Error from server (AlreadyExists): {}", self.message())
            }
            // kubectl prints validation errors without the "Error from server" prefix.
            ApiError::Invalid { .. } | ApiError::InvalidPatch { .. } => {
                f.write_str(&self.message())
            }
            ApiError::BadRequest(m) => write!(f, "Error from server (BadRequest): {m}"),
            ApiError::Forbidden(m) => write!(f, "Error from server (Forbidden): {m}"),
            ApiError::RequestEntityTooLarge(m) => {
                write!(f, "Error from server (RequestEntityTooLarge): {m}")
            }
            ApiError::Request(m) => write!(f, "error: {m}"),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::AlreadyExists { resource, name } => {
                ApiError::AlreadyExists { resource, name }
            }
            StoreError::NotFound { resource, name } => ApiError::NotFound { resource, name },
        }
    }
}

/// What `kubectl apply` did to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyAction {
    Created,
    Configured,
    Unchanged,
    Replaced,
}

/// What a manifest asks of each object in it: `kubectl apply` (create or three-way merge), `kubectl create`
/// (create only, without the last-applied annotation), or `kubectl replace` (swap an existing object's
/// content for the manifest's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestVerb {
    Apply,
    Create { save_config: bool },
    Replace { save_config: bool },
}

impl fmt::Display for ApplyAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApplyAction::Created => "created",
            ApplyAction::Configured => "configured",
            ApplyAction::Unchanged => "unchanged",
            ApplyAction::Replaced => "replaced",
        })
    }
}

/// The result of applying one document: `statefulset.apps/web created`, or the error kubectl prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyOutcome {
    pub kind: Kind,
    pub name: String,
    pub namespace: String,
    pub result: Result<ApplyAction, ApiError>,
}

impl fmt::Display for ApplyOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.result {
            Ok(action) => write!(
                f,
                "{}/{} {action}",
                self.kind.qualified_singular(),
                self.name
            ),
            Err(e) => write!(f, "{e}"),
        }
    }
}

/// How dependents are treated when their owner is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Overrides the pod's `terminationGracePeriodSeconds`.
    pub grace_period_seconds: Option<i64>,
    pub propagation: Propagation,
}

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The kinds whose Go type says it is deprecated (`APILifecycleDeprecated`, with the replacement of
/// `APILifecycleReplacement`): the API server answers every request on them (get, list, watch, create,
/// update, patch, delete) with a `Warning` header. kubernetes/api `core/v1` marks Endpoints deprecated in
/// 1.33 for discovery.k8s.io/v1 EndpointSlice (KEP-4974).
pub(crate) const DEPRECATED: &[(Kind, (u32, u32), &str)] = &[(
    Kind::Endpoints,
    (1, 33),
    "discovery.k8s.io/v1 EndpointSlice",
)];

/// The API server's deprecation warning for requests on `kind` (apiserver `deprecation.WarningMessage`:
/// `v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice`), if it has one.
pub fn deprecation_warning(kind: Kind) -> Option<String> {
    let (_, (major, minor), replacement) = DEPRECATED.iter().find(|(k, _, _)| *k == kind)?;
    let info = kind.info();
    Some(format!(
        "{} {} is deprecated in v{major}.{minor}+; use {replacement}",
        info.api_version, info.kind
    ))
}

/// What `kubectl apply|create|replace -f FILE` did with one file: each readable document's outcome, in order,
/// and the documents kubectl could not read (cli-runtime `StreamVisitor`); those do not stop the others.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestRun {
    pub outcomes: Vec<ApplyOutcome>,
    pub unread: Vec<ManifestError>,
}

/// Pods that never reached a node, or already finished, are deleted at once; others get their grace period.
pub(crate) fn pod_grace_seconds(pod: &Pod, requested: Option<i64>) -> i64 {
    if pod.spec.node_name.is_none() || pod.is_terminal() {
        return 0;
    }
    requested
        .unwrap_or_else(|| pod.spec.termination_grace_period_seconds.unwrap_or(30))
        .max(0)
}

pub(crate) fn add_finalizer(meta: &mut crate::model::ObjectMeta, f: &str) {
    if !meta.finalizers.iter().any(|x| x == f) {
        meta.finalizers.push(f.to_string());
    }
}

pub(crate) fn decode(
    kind: Kind,
    body: Value,
    source_name: &str,
    verb: &str,
) -> Result<Object, ApiError> {
    Object::from_json(kind, body).map_err(|e| {
        let k = kind.info();
        let version = k.api_version.rsplit('/').next().unwrap_or(k.api_version);
        ApiError::BadRequest(format!(
            "error when {verb} \"{source_name}\": {} in version \"{version}\" cannot be handled as a {}: {e}",
            k.kind, k.kind
        ))
    })
}

/// The patch `kubectl apply` sends: what the new configuration sets differently from the live object, and
/// `null` for what the last applied configuration had and the new one drops. Lists are sent whole.
pub(crate) fn apply_patch(live: &Value, last: Option<&Value>, new: &Value) -> String {
    fn diff(live: Option<&Value>, last: Option<&Value>, new: &Value) -> Option<Value> {
        let Value::Object(new_map) = new else {
            return (live != Some(new)).then(|| new.clone());
        };
        let live_map = live.and_then(Value::as_object);
        let mut out = serde_json::Map::new();
        for (k, v) in new_map {
            let current = live_map.and_then(|m| m.get(k));
            let previous = last.and_then(|l| l.get(k));
            let changed = match (current, v) {
                (Some(c @ Value::Object(_)), Value::Object(_)) => diff(Some(c), previous, v),
                _ => (current != Some(v)).then(|| v.clone()),
            };
            if let Some(change) = changed {
                out.insert(k.clone(), change);
            }
        }
        if let Some(Value::Object(last_map)) = last {
            for k in last_map.keys() {
                if !new_map.contains_key(k) && live_map.is_some_and(|m| m.contains_key(k)) {
                    out.insert(k.clone(), Value::Null);
                }
            }
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }
    let patch = diff(Some(live), last, new).unwrap_or_else(|| Value::Object(Default::default()));
    serde_json::to_string(&patch).unwrap_or_default()
}

/// `resource.Info.String()`: the mapping and the object a kubectl error is about.
pub(crate) fn resource_info(kind: Kind, name: &str, namespace: &str) -> String {
    let info = kind.info();
    let version = info
        .api_version
        .rsplit('/')
        .next()
        .unwrap_or(info.api_version);
    format!(
        "Resource: \"{group}/{version}, Resource={plural}\", GroupVersionKind: \"{group}/{version}, Kind={kind}\"\nName: {name:?}, Namespace: {namespace:?}",
        group = info.group,
        plural = info.plural,
        kind = info.kind,
    )
}

/// The fields a write never sets: the API server keeps the stored identity, generation and deletion state.
pub(crate) fn keep_server_fields(
    new: &mut crate::model::ObjectMeta,
    old: &crate::model::ObjectMeta,
) {
    new.uid = old.uid.clone();
    new.creation_timestamp = old.creation_timestamp;
    new.deletion_timestamp = old.deletion_timestamp;
    new.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
    new.generation = old.generation;
    new.resource_version = old.resource_version.clone();
}

/// The most the API server reads of a request body (apiserver `MaxRequestBodyBytes`, 3 MiB).
pub const MAX_REQUEST_BODY_BYTES: usize = 3 * 1024 * 1024;

/// kubectl adds `error when creating "web.yaml": ` before server errors during apply.
pub(crate) fn wrap_context(e: ApiError, verb: &str, source_name: &str) -> ApiError {
    match e {
        ApiError::NotFound { resource, name } => ApiError::NotFound {
            resource: format!("error when {verb} \"{source_name}\": {resource}"),
            name,
        },
        ApiError::Invalid {
            kind,
            name,
            causes,
            context: None,
        } => ApiError::Invalid {
            kind,
            name,
            causes,
            context: Some(format!("error when {verb} \"{source_name}\"")),
        },
        other => other,
    }
}

pub(crate) fn set_annotation(body: &mut Value, key: &str, value: &str) {
    let Some(obj) = body.as_object_mut() else {
        return;
    };
    let meta = obj
        .entry("metadata")
        .or_insert_with(|| Value::Object(Default::default()));
    let Some(meta) = meta.as_object_mut() else {
        return;
    };
    let ann = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Default::default()));
    if let Some(ann) = ann.as_object_mut() {
        ann.insert(key.to_string(), Value::String(value.to_string()));
    }
}

pub(crate) fn strip_type_meta(v: &mut Value) {
    if let Some(o) = v.as_object_mut() {
        o.remove("apiVersion");
        o.remove("kind");
    }
}

/// kubectl's three-way apply, as a JSON merge: fields in `new` overwrite `live` (maps merge key by key,
/// lists and scalars are replaced); fields that were in the last applied configuration and are gone from `new`
/// are removed from `live`. Fields only the server or controllers set survive.
pub fn three_way_merge(mut live: Value, last: Option<&Value>, new: &Value) -> Value {
    merge_into(&mut live, last, new, false);
    live
}

pub(crate) fn merge_into(live: &mut Value, last: Option<&Value>, new: &Value, in_container: bool) {
    let (Some(live_map), Some(new_map)) = (live.as_object_mut(), new.as_object()) else {
        *live = new.clone();
        return;
    };
    if let Some(last_map) = last.and_then(Value::as_object) {
        for k in last_map.keys() {
            if !new_map.contains_key(k) {
                live_map.remove(k);
            }
        }
    }
    for (k, v) in new_map {
        let prev = last.and_then(|l| l.get(k));
        let nested = in_container
            || matches!(
                k.as_str(),
                "containers" | "initContainers" | "ephemeralContainers"
            );
        match (
            live_map.get_mut(k),
            crate::model::merge_key(k, in_container),
        ) {
            (Some(existing), _) if existing.is_object() && v.is_object() => {
                merge_into(existing, prev, v, nested)
            }
            // Lists the API merges by key (containers by name, Service ports by port, …) keep what the
            // server filled in for each element, such as an allocated nodePort.
            (Some(existing), Some(key)) if existing.is_array() && v.is_array() => {
                merge_list(existing, prev, v, key, nested)
            }
            _ => {
                live_map.insert(k.clone(), v.clone());
            }
        }
    }
}

pub(crate) fn merge_list(
    live: &mut Value,
    last: Option<&Value>,
    new: &Value,
    key: &str,
    in_container: bool,
) {
    let find = |list: Option<&Value>, id: &Value| -> Option<Value> {
        list?
            .as_array()?
            .iter()
            .find(|e| e.get(key) == Some(id))
            .cloned()
    };
    let Some(items) = new.as_array() else {
        return;
    };
    let old = live.clone();
    let mut merged = Vec::new();
    for item in items {
        let Some(id) = item.get(key) else {
            merged.push(item.clone());
            continue;
        };
        match find(Some(&old), id) {
            Some(mut e) => {
                merge_into(&mut e, find(last, id).as_ref(), item, in_container);
                merged.push(e);
            }
            None => merged.push(item.clone()),
        }
    }
    // Elements only the server added stay; ones the learner removed from the manifest go.
    if let Some(old_items) = old.as_array() {
        for e in old_items {
            let Some(id) = e.get(key) else { continue };
            let in_new = items.iter().any(|i| i.get(key) == Some(id));
            if !in_new && find(last, id).is_none() {
                merged.push(e.clone());
            }
        }
    }
    *live = Value::Array(merged);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_keeps_server_fields_and_drops_removed_ones() {
        let live = json!({"spec": {"replicas": 2, "clusterIP": "10.96.1.2", "old": 1}, "status": {"x": 1}});
        let last = json!({"spec": {"replicas": 2, "old": 1}});
        let new = json!({"spec": {"replicas": 3}});
        let merged = three_way_merge(live, Some(&last), &new);
        assert_eq!(
            merged,
            json!({"spec": {"replicas": 3, "clusterIP": "10.96.1.2"}, "status": {"x": 1}})
        );
    }

    #[test]
    fn merge_keeps_server_filled_fields_of_keyed_list_elements() {
        let live = json!({"spec": {"ports": [{"port": 80, "nodePort": 31504, "protocol": "TCP"}]}});
        let last = json!({"spec": {"ports": [{"port": 80}]}});
        let new = json!({"spec": {"ports": [{"port": 80}, {"port": 443}]}});
        let merged = three_way_merge(live, Some(&last), &new);
        assert_eq!(
            merged,
            json!({"spec": {"ports": [{"port": 80, "nodePort": 31504, "protocol": "TCP"}, {"port": 443}]}})
        );
    }

    #[test]
    fn reapplying_a_node_port_service_is_unchanged() {
        let mut c = crate::Cluster::new(crate::ClusterConfig::default());
        let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
        let first = c.apply_manifest(svc, "svc.yaml", "default").unwrap();
        assert_eq!(first[0].to_string(), "service/web created");
        let again = c.apply_manifest(svc, "svc.yaml", "default").unwrap();
        assert_eq!(again[0].to_string(), "service/web unchanged");
    }

    #[test]
    fn invalid_error_lists_several_causes() {
        let e = ApiError::Invalid {
            kind: Kind::StatefulSet,
            name: "web".into(),
            causes: vec!["a".into(), "b".into()],
            context: None,
        };
        assert_eq!(
            e.to_string(),
            "The StatefulSet \"web\" is invalid: \n* a\n* b"
        );
    }
}
