//! The API server's front door: create, apply, update, scale and delete, each passing through admission
//! (defaulting and validation) before the store. Answers and errors are worded as `kubectl` prints them.

use std::fmt;

use serde_json::Value;

use crate::admission;
use crate::cluster::Cluster;
use crate::manifest::{self, ManifestError, ManifestObject};
use crate::model::{Kind, Object, Pod, StatefulSet};
use crate::store::{ObjectKey, StoreError};

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
    /// 400: the request body could not be decoded.
    BadRequest(String),
    /// 403: refused by admission (for example a resize the class does not allow).
    Forbidden(String),
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
            ApiError::BadRequest(m) | ApiError::Forbidden(m) | ApiError::Request(m) => m.clone(),
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
            ApiError::Invalid { .. } => f.write_str(&self.message()),
            ApiError::BadRequest(m) => write!(f, "Error from server (BadRequest): {m}"),
            ApiError::Forbidden(m) => write!(f, "Error from server (Forbidden): {m}"),
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
const DEPRECATED: &[(Kind, (u32, u32), &str)] = &[(
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

impl Cluster {
    /// `kubectl apply -f` for a whole file. Every document kubectl can read is applied, as kubectl does; when
    /// some could not be read their errors come back (and the outcomes of the others are in the cluster).
    pub fn apply_manifest(
        &mut self,
        text: &str,
        source_name: &str,
        namespace: &str,
    ) -> Result<Vec<ApplyOutcome>, Vec<ManifestError>> {
        let run = self.manifest_as(ManifestVerb::Apply, text, source_name, namespace);
        if run.unread.is_empty() {
            Ok(run.outcomes)
        } else {
            Err(run.unread)
        }
    }

    /// Like [`Cluster::apply_manifest`], for `create` and `replace` too.
    pub fn manifest_as(
        &mut self,
        verb: ManifestVerb,
        text: &str,
        source_name: &str,
        namespace: &str,
    ) -> ManifestRun {
        let read = manifest::read(text, source_name);
        let outcomes = read
            .objects
            .into_iter()
            .map(|o| self.apply_one(verb, o, source_name, namespace))
            .collect();
        self.settle();
        ManifestRun {
            outcomes,
            unread: read.errors,
        }
    }

    fn apply_one(
        &mut self,
        verb: ManifestVerb,
        m: ManifestObject,
        source_name: &str,
        default_ns: &str,
    ) -> ApplyOutcome {
        let namespace = if m.kind.info().namespaced {
            m.namespace
                .clone()
                .unwrap_or_else(|| default_ns.to_string())
        } else {
            String::new()
        };
        let result = self.apply_object(verb, &m, &namespace, source_name);
        ApplyOutcome {
            kind: m.kind,
            name: m.name.clone(),
            namespace,
            result,
        }
    }

    fn apply_object(
        &mut self,
        how: ManifestVerb,
        m: &ManifestObject,
        namespace: &str,
        source_name: &str,
    ) -> Result<ApplyAction, ApiError> {
        // client-go refuses a request for an empty name before sending it (rest `Request.Name`); apply meets it
        // in its first GET (apply.go `applyOneObject`), replace in its PUT. create sends no name and the API
        // server answers (admission).
        if m.name.is_empty() {
            let why = "resource name may not be empty";
            match how {
                ManifestVerb::Apply => {
                    return Err(ApiError::Request(format!(
                        "error when retrieving current configuration of:\n{}\nfrom server for: {source_name:?}: {why}",
                        resource_info(m.kind, &m.name, namespace)
                    )))
                }
                ManifestVerb::Replace { .. } => {
                    return Err(ApiError::Request(format!(
                        "error when replacing {source_name:?}: {why}"
                    )))
                }
                ManifestVerb::Create { .. } => {}
            }
        }
        let key = ObjectKey::new(m.kind, namespace, &m.name);
        let existing = self.store.get(&key).cloned();
        let verb = match (how, existing.is_some()) {
            (ManifestVerb::Replace { .. }, _) => "replacing",
            (ManifestVerb::Create { .. }, _) | (ManifestVerb::Apply, false) => "creating",
            (ManifestVerb::Apply, true) => "patching",
        };
        if m.kind.info().namespaced
            && self
                .store
                .get(&ObjectKey::new(Kind::Namespace, "", namespace))
                .is_none()
        {
            return Err(ApiError::NotFound {
                resource: "namespaces".into(),
                name: namespace.to_string(),
            })
            .map_err(|e| wrap_context(e, verb, source_name));
        }
        let mut raw = m.raw.clone();
        if m.kind.info().namespaced {
            if let Some(meta) = raw.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.insert("namespace".into(), Value::String(namespace.to_string()));
            }
        }
        let last_applied = serde_json::to_string(&raw).unwrap_or_default();
        let mut body = m.body.clone();
        // Only apply (or --save-config) records the manifest in the last-applied annotation.
        if matches!(
            how,
            ManifestVerb::Apply
                | ManifestVerb::Create { save_config: true }
                | ManifestVerb::Replace { save_config: true }
        ) {
            set_annotation(&mut body, LAST_APPLIED, &last_applied);
        }
        if let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("namespace".into(), Value::String(namespace.to_string()));
        }
        match (how, existing) {
            (ManifestVerb::Create { .. }, Some(_)) => Err(ApiError::AlreadyExists {
                resource: format!(
                    "error when creating \"{source_name}\": {}",
                    m.kind.qualified_plural()
                ),
                name: m.name.clone(),
            }),
            (ManifestVerb::Replace { .. }, None) => Err(wrap_context(
                ApiError::not_found(m.kind, &m.name),
                "replacing",
                source_name,
            )),
            (ManifestVerb::Replace { .. }, Some(_)) => {
                let obj = decode(m.kind, body, source_name, "replacing")?;
                self.api_update(obj)
                    .map_err(|e| wrap_context(e, "replacing", source_name))?;
                Ok(ApplyAction::Replaced)
            }
            (_, existing) => self.apply_existing(m, namespace, source_name, body, existing),
        }
    }

    fn apply_existing(
        &mut self,
        m: &ManifestObject,
        namespace: &str,
        source_name: &str,
        body: Value,
        existing: Option<Object>,
    ) -> Result<ApplyAction, ApiError> {
        match existing {
            None => {
                let obj = decode(m.kind, body, source_name, "creating")?;
                self.api_create(obj)
                    .map_err(|e| wrap_context(e, "creating", source_name))?;
                Ok(ApplyAction::Created)
            }
            Some(live) => {
                let previous = live
                    .meta()
                    .annotations
                    .get(LAST_APPLIED)
                    .and_then(|s| serde_json::from_str::<Value>(s).ok())
                    .map(|mut v| {
                        strip_type_meta(&mut v);
                        v
                    });
                let mut live_json = live.to_json();
                strip_type_meta(&mut live_json);
                let merged = three_way_merge(live_json.clone(), previous.as_ref(), &body);
                let obj = decode(m.kind, merged, source_name, "patching")?;
                // kubectl apply names the patch it sent and the object it sent it to (apply.go `applyOneObject`,
                // then patcher.go `Patch`).
                let context = || {
                    format!(
                        "error when applying patch:\n{}\nto:\n{}\nfor: {source_name:?}: error when patching {source_name:?}",
                        apply_patch(&live_json, previous.as_ref(), &body),
                        resource_info(m.kind, &m.name, namespace),
                    )
                };
                let changed = self.api_update(obj).map_err(|e| match e {
                    ApiError::Forbidden(msg) => {
                        ApiError::Forbidden(format!("{}: {msg}", context()))
                    }
                    ApiError::Invalid {
                        kind, name, causes, ..
                    } => ApiError::Invalid {
                        kind,
                        name,
                        causes,
                        context: Some(context()),
                    },
                    other => wrap_context(other, "patching", source_name),
                })?;
                Ok(if changed {
                    ApplyAction::Configured
                } else {
                    ApplyAction::Unchanged
                })
            }
        }
    }

    /// Creates an object through admission. The uid, resourceVersion and creation time are assigned here.
    pub fn create(&mut self, obj: Object) -> Result<(), ApiError> {
        let r = self.api_create(obj);
        self.settle();
        r
    }

    /// [`Cluster::create`] without running the controllers afterwards: what controllers call.
    pub(crate) fn api_create(&mut self, obj: Object) -> Result<(), ApiError> {
        self.api_create_named(obj).map(|_| ())
    }

    /// Creates an object and returns its name, generating one from `metadata.generateName` (five characters
    /// from the safe alphabet, as the API server does) when the name is empty.
    pub(crate) fn api_create_named(&mut self, mut obj: Object) -> Result<String, ApiError> {
        if obj.meta().name.is_empty() && !obj.meta().generate_name.is_empty() {
            let key_of = |o: &Object| ObjectKey::of(o);
            loop {
                let name = format!("{}{}", obj.meta().generate_name, self.rng.safe_suffix(5));
                obj.meta_mut().name = name;
                if self.store.get(&key_of(&obj)).is_none() {
                    break;
                }
            }
        }
        let name = obj.meta().name.clone();
        self.admit_and_store(obj)?;
        Ok(name)
    }

    fn admit_and_store(&mut self, mut obj: Object) -> Result<(), ApiError> {
        let kind = obj.kind();
        if kind.info().namespaced && obj.meta().namespace.is_empty() {
            obj.meta_mut().namespace = "default".to_string();
        }
        admission::admit_create(self, &mut obj)?;
        let meta = obj.meta_mut();
        meta.uid = self.rng.uuid();
        meta.generation = 1;
        meta.resource_version.clear();
        meta.creation_timestamp = None;
        meta.deletion_timestamp = None;
        let now = self.now;
        self.store.create(obj, now)?;
        Ok(())
    }

    /// Replaces an object through admission (`kubectl replace`, and what apply and patch end in). Server-owned
    /// metadata and the status are kept from the stored object. Returns whether anything changed.
    pub fn update(&mut self, obj: Object) -> Result<bool, ApiError> {
        let r = self.api_update(obj);
        self.settle();
        r
    }

    pub(crate) fn api_update(&mut self, mut obj: Object) -> Result<bool, ApiError> {
        let key = ObjectKey::of(&obj);
        let Some(old) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(key.kind, &key.name));
        };
        keep_server_fields(obj.meta_mut(), old.meta());
        admission::admit_update(self, &old, &mut obj)?;
        let now = self.now;
        let changed = self.store.update(obj, now)?;
        // Removing the last finalizer of an object being deleted lets the deletion finish.
        self.finish_deletion_if_done(&key);
        Ok(changed)
    }

    /// A write through the status subresource (`PUT .../status`), as the registry's status strategies take
    /// it (pkg/registry/core/pod/strategy.go `podStatusStrategy.PrepareForUpdate`, apps/statefulset and
    /// apps/deployment `...StatusStrategy.PrepareForUpdate`): the stored spec is kept whatever the request
    /// says, and so are a pod's owner references and a Deployment's labels; the status and the rest of the
    /// metadata are written. Only kinds that have a status ([`Kind::has_status`]) reach here.
    pub fn update_status(&mut self, obj: Object) -> Result<bool, ApiError> {
        let key = ObjectKey::of(&obj);
        let Some(old) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(key.kind, &key.name));
        };
        let mut json = obj.to_json();
        let old_json = old.to_json();
        if let Some(o) = json.as_object_mut() {
            match old_json.get("spec") {
                Some(spec) => o.insert("spec".into(), spec.clone()),
                None => o.remove("spec"),
            };
            o.remove("apiVersion");
            o.remove("kind");
        }
        let mut new = Object::from_json(key.kind, json).map_err(ApiError::BadRequest)?;
        keep_server_fields(new.meta_mut(), old.meta());
        match (&mut new, &old) {
            (Object::Pod(p), Object::Pod(o)) => {
                p.metadata.owner_references = o.metadata.owner_references.clone();
            }
            (Object::Deployment(d), Object::Deployment(o)) => {
                d.metadata.labels = o.metadata.labels.clone();
            }
            _ => {}
        }
        admission::validate_status(&new, &old)?;
        let now = self.now;
        let changed = self.store.update(new, now)?;
        self.settle();
        Ok(changed)
    }

    /// `kubectl scale`: sets `spec.replicas` (StatefulSets). Answers `statefulset.apps/web scaled`.
    pub fn scale(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        replicas: i32,
    ) -> Result<String, ApiError> {
        let key = ObjectKey::new(kind, namespace, name);
        let Some(Object::StatefulSet(set)) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(kind, name));
        };
        let mut new = set.clone();
        new.spec.replicas = Some(replicas);
        self.update(Object::StatefulSet(new))?;
        Ok(format!("{}/{name} scaled", kind.qualified_singular()))
    }

    /// Deletes an object the way the API server does: pods on a node get a grace period and are removed by
    /// their kubelet; objects with finalizers wait for them; everything else goes at once. Dependents follow
    /// per `propagation` (the garbage collector acts on them).
    pub fn delete(&mut self, key: &ObjectKey, opts: DeleteOptions) -> Result<(), ApiError> {
        let r = self.api_delete(key, opts);
        self.settle();
        r
    }

    pub(crate) fn api_delete(
        &mut self,
        key: &ObjectKey,
        opts: DeleteOptions,
    ) -> Result<(), ApiError> {
        let Some(mut obj) = self.store.get(key).cloned() else {
            return Err(ApiError::not_found(key.kind, &key.name));
        };
        let now = self.now;
        let grace = match &obj {
            Object::Pod(pod) => pod_grace_seconds(pod, opts.grace_period_seconds),
            _ => 0,
        };
        let meta = obj.meta_mut();
        if meta.deletion_timestamp.is_some() {
            // Already terminating: a shorter grace period may still speed it up.
            if let (Object::Pod(_), Some(g)) = (&obj, opts.grace_period_seconds) {
                self.shorten_grace(key, g);
            }
            return Ok(());
        }
        match opts.propagation {
            Propagation::Orphan => add_finalizer(meta, "orphan"),
            Propagation::Foreground if self.controllers.gc.has_dependents(&meta.uid) => {
                add_finalizer(meta, "foregroundDeletion")
            }
            _ => {}
        }
        if grace == 0 && meta.finalizers.is_empty() {
            self.store.remove(key, now);
        } else {
            meta.deletion_timestamp = Some(now.plus(grace as u64 * 1000));
            meta.deletion_grace_period_seconds = Some(grace);
            self.store.update(obj, now)?;
            self.finish_deletion_if_done(key);
        }
        Ok(())
    }

    fn shorten_grace(&mut self, key: &ObjectKey, grace: i64) {
        let now = self.now;
        let mut remove = false;
        self.store
            .modify::<Pod>(&key.namespace, &key.name, now, |p| {
                if p.metadata
                    .deletion_grace_period_seconds
                    .is_none_or(|g| grace < g)
                {
                    p.metadata.deletion_grace_period_seconds = Some(grace);
                    p.metadata.deletion_timestamp = Some(now.plus(grace.max(0) as u64 * 1000));
                    remove = grace == 0;
                }
            });
        if remove {
            self.finish_deletion_if_done(key);
        }
    }

    /// Removes a terminating object whose finalizers are all gone (and, for a pod, whose grace is over).
    pub(crate) fn finish_deletion_if_done(&mut self, key: &ObjectKey) {
        let Some(obj) = self.store.get(key) else {
            return;
        };
        let meta = obj.meta();
        let pod_done =
            !matches!(obj, Object::Pod(_)) || meta.deletion_grace_period_seconds == Some(0);
        if meta.deletion_timestamp.is_some() && meta.finalizers.is_empty() && pod_done {
            let now = self.now;
            self.store.remove(key, now);
        }
    }

    /// Removes one finalizer and finishes the deletion if it was the last.
    pub(crate) fn remove_finalizer(&mut self, key: &ObjectKey, finalizer: &str) {
        let Some(mut obj) = self.store.get(key).cloned() else {
            return;
        };
        obj.meta_mut().finalizers.retain(|f| f != finalizer);
        let now = self.now;
        let _ = self.store.update(obj, now);
        self.finish_deletion_if_done(key);
    }

    /// Convenience for tests and the view: the StatefulSet `namespace/name`.
    pub fn stateful_set(&self, namespace: &str, name: &str) -> Option<&StatefulSet> {
        self.store.get_typed(namespace, name)
    }
}

/// Pods that never reached a node, or already finished, are deleted at once; others get their grace period.
fn pod_grace_seconds(pod: &Pod, requested: Option<i64>) -> i64 {
    if pod.spec.node_name.is_none() || pod.is_terminal() {
        return 0;
    }
    requested
        .unwrap_or_else(|| pod.spec.termination_grace_period_seconds.unwrap_or(30))
        .max(0)
}

fn add_finalizer(meta: &mut crate::model::ObjectMeta, f: &str) {
    if !meta.finalizers.iter().any(|x| x == f) {
        meta.finalizers.push(f.to_string());
    }
}

fn decode(kind: Kind, body: Value, source_name: &str, verb: &str) -> Result<Object, ApiError> {
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
fn apply_patch(live: &Value, last: Option<&Value>, new: &Value) -> String {
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
fn resource_info(kind: Kind, name: &str, namespace: &str) -> String {
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
fn keep_server_fields(new: &mut crate::model::ObjectMeta, old: &crate::model::ObjectMeta) {
    new.uid = old.uid.clone();
    new.creation_timestamp = old.creation_timestamp;
    new.deletion_timestamp = old.deletion_timestamp;
    new.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
    new.generation = old.generation;
    new.resource_version = old.resource_version.clone();
}

/// kubectl adds `error when creating "web.yaml": ` before server errors during apply.
fn wrap_context(e: ApiError, verb: &str, source_name: &str) -> ApiError {
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

fn set_annotation(body: &mut Value, key: &str, value: &str) {
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

fn strip_type_meta(v: &mut Value) {
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

fn merge_into(live: &mut Value, last: Option<&Value>, new: &Value, in_container: bool) {
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

fn merge_list(live: &mut Value, last: Option<&Value>, new: &Value, key: &str, in_container: bool) {
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
