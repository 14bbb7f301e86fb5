use crate::admission;
use crate::api::*;
use crate::cluster::Cluster;
use crate::manifest::{self, ManifestError, ManifestObject};
use crate::model::{Kind, Object, Pod, StatefulSet};
use crate::store::ObjectKey;
use serde_json::Value;

impl Cluster {
    /// Admission's view of the cluster: the store to read, the RNG and the address book to draw from.
    fn admit(&mut self) -> admission::Admit<'_> {
        admission::Admit {
            store: &self.store,
            rng: &mut self.rng,
            ipam: &mut self.ipam,
        }
    }

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
        self.finish_pending();
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
        // kubectl's GetModifiedConfiguration: the manifest with its annotations minus this one (an empty map
        // when it had none), encoded as Go's JSON encoder writes an object, which ends the line.
        if let Some(meta) = raw.get_mut("metadata").and_then(Value::as_object_mut) {
            let annotations = meta
                .entry("annotations")
                .or_insert_with(|| Value::Object(Default::default()));
            if let Some(a) = annotations.as_object_mut() {
                a.remove(LAST_APPLIED);
            }
        }
        let last_applied = format!("{}\n", crate::gojson::go_json(&raw));
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
        // The API server reads at most 3 MiB of a request body (apiserver `MaxRequestBodyBytes`): a bigger
        // object never reaches decoding or validation.
        let sends = match (how, &existing) {
            (ManifestVerb::Replace { .. }, Some(_)) => Some("replacing"),
            (_, None) => Some("creating"),
            _ => None,
        };
        if let Some(verb) = sends {
            if serde_json::to_string(&body).map_or(0, |b| b.len()) > MAX_REQUEST_BODY_BYTES {
                return Err(ApiError::RequestEntityTooLarge(format!(
                    "error when {verb} \"{source_name}\": Request entity too large: limit is {MAX_REQUEST_BODY_BYTES}"
                )));
            }
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
                let patch = apply_patch(&live_json, previous.as_ref(), &body);
                // kubectl apply names the patch it sent and the object it sent it to (apply.go `applyOneObject`,
                // then patcher.go `Patch`).
                let context = || {
                    format!(
                        "error when applying patch:\n{patch}\nto:\n{}\nfor: {source_name:?}: error when patching {source_name:?}",
                        resource_info(m.kind, &m.name, namespace),
                    )
                };
                // The server converts the patched map to an object (apiserver patch.go `applyPatchToObject`).
                let obj = Object::from_patched(m.kind, merged).map_err(|detail| {
                    ApiError::InvalidPatch {
                        patch: serde_json::from_str(&patch)
                            .map(|p| crate::model::go_value(&p))
                            .unwrap_or_default(),
                        detail,
                        context: Some(context()),
                    }
                })?;
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
        self.finish_pending();
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
        admission::admit_create(&mut self.admit(), &mut obj)?;
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
        self.finish_pending();
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
        admission::admit_update(&mut self.admit(), &old, &mut obj)?;
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
        self.finish_pending();
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
        self.finish_pending();
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
