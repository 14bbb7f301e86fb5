//! Typed API objects, one file per group of kinds, and the tables that tie a Rust type to its Kubernetes kind,
//! API version and resource names.

pub mod cluster;
mod decode;
pub mod discovery;
mod go_error;
mod go_types;
pub mod meta;
pub mod pod;
pub mod service;
pub mod statefulset;
pub mod storage;
pub mod workloads;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use cluster::{ConfigMap, Event, Namespace, Node, Secret, ServiceAccount};
pub use discovery::{EndpointSlice, Endpoints};
pub use meta::{IntOrString, LabelSelector, Labels, ObjectMeta, OwnerReference};
pub use pod::{Pod, PodSpec, PodTemplateSpec};
pub use service::Service;
pub use statefulset::{ControllerRevision, StatefulSet};
pub use storage::{PersistentVolume, PersistentVolumeClaim, StorageClass};
pub use workloads::{DaemonSet, Deployment, ReplicaSet};

/// What the API knows about one kind: how manifests name it and how kubectl prints it.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: &'static str,
    /// `group/version`, or just `v1` for the core group.
    pub api_version: &'static str,
    /// The API group (`""` for core), used in `statefulset.apps/web`.
    pub group: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
}

macro_rules! kinds {
    ($( $variant:ident : $ty:ty as $held:ty = $api:literal, $group:literal, $plural:literal, $singular:literal,
        [$($short:literal),*], $namespaced:literal; )*) => {
        /// Every kind the simulated API server serves.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            pub fn info(self) -> &'static KindInfo {
                match self {
                    $(Kind::$variant => &KindInfo {
                        kind: stringify!($variant),
                        api_version: $api,
                        group: $group,
                        plural: $plural,
                        singular: $singular,
                        short_names: &[$($short),*],
                        namespaced: $namespaced,
                    }),*
                }
            }
        }

        /// One API object of any kind. The kinds that hold a pod template or a volume source are boxed: an
        /// enum is as large as its largest variant, and without the boxes every object (a pod, an Event) was
        /// 1.6 KB, copied whole on every move and allocated past the allocator's small-chunk sizes.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Object { $($variant($held)),* }

        impl Object {
            pub fn kind(&self) -> Kind {
                match self { $(Object::$variant(_) => Kind::$variant),* }
            }

            pub fn meta(&self) -> &ObjectMeta {
                match self { $(Object::$variant(o) => &o.metadata),* }
            }

            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$variant(o) => &mut o.metadata),* }
            }

            /// The object as JSON, with `apiVersion` and `kind` first, as `kubectl get -o json` shows it.
            pub fn to_json(&self) -> serde_json::Value {
                let body = match self { $(Object::$variant(o) => serde_json::to_value(o)),* };
                let mut out = serde_json::Map::new();
                out.insert("apiVersion".into(), self.kind().info().api_version.into());
                out.insert("kind".into(), self.kind().info().kind.into());
                if let Ok(serde_json::Value::Object(fields)) = body {
                    out.extend(fields);
                }
                serde_json::Value::Object(out)
            }

            /// Decodes `value` (without `apiVersion`/`kind`) as `kind`, strictly: an unknown field is an error
            /// naming its path, as the API server's strict field validation reports it.
            pub fn from_json(kind: Kind, value: serde_json::Value) -> Result<Object, String> {
                Object::read(kind, value, go_error::describe)
            }

            /// Reads `value`, the object a strategic merge patch made, as the API server converts a patched
            /// map to an object: an unknown field in strict decoding's words, a value of the wrong type in the
            /// converter's (`unrecognized type: int32`).
            pub fn from_patched(kind: Kind, value: serde_json::Value) -> Result<Object, String> {
                Object::read(kind, value, go_error::describe_converted)
            }

            /// Both readings in one place, so each kind's decoder is built once.
            #[inline(never)]
            fn read(
                kind: Kind,
                mut value: serde_json::Value,
                words: fn(&str, &decode::Failure) -> Option<String>,
            ) -> Result<Object, String> {
                drop_nulls(&mut value);
                let obj = match kind { $(Kind::$variant => Object::$variant(decode_with::<$ty>(kind, value, words)?.into())),* };
                storage::check_quantities(&obj)?;
                Ok(obj)
            }
        }

        $(
            impl Resource for $ty {
                const KIND: Kind = Kind::$variant;
                fn meta(&self) -> &ObjectMeta { &self.metadata }
                fn meta_mut(&mut self) -> &mut ObjectMeta { &mut self.metadata }
                fn into_object(self) -> Object { Object::$variant(self.into()) }
                fn from_object(o: &Object) -> Option<&Self> {
                    match o {
                        Object::$variant(x) => Some(std::borrow::Borrow::borrow(x)),
                        #[allow(unreachable_patterns)] _ => None,
                    }
                }
                fn from_object_mut(o: &mut Object) -> Option<&mut Self> {
                    match o {
                        Object::$variant(x) => Some(std::borrow::BorrowMut::borrow_mut(x)),
                        #[allow(unreachable_patterns)] _ => None,
                    }
                }
            }
        )*
    };
}

kinds! {
    Namespace: Namespace as Namespace = "v1", "", "namespaces", "namespace", ["ns"], false;
    Node: Node as Node = "v1", "", "nodes", "node", ["no"], false;
    Pod: Pod as Pod = "v1", "", "pods", "pod", ["po"], true;
    Service: Service as Box<Service> = "v1", "", "services", "service", ["svc"], true;
    ConfigMap: ConfigMap as ConfigMap = "v1", "", "configmaps", "configmap", ["cm"], true;
    Secret: Secret as Secret = "v1", "", "secrets", "secret", [], true;
    ServiceAccount: ServiceAccount as ServiceAccount = "v1", "", "serviceaccounts", "serviceaccount", ["sa"], true;
    Event: Event as Event = "v1", "", "events", "event", ["ev"], true;
    Endpoints: Endpoints as Endpoints = "v1", "", "endpoints", "endpoints", ["ep"], true;
    PersistentVolumeClaim: PersistentVolumeClaim as Box<PersistentVolumeClaim> = "v1", "", "persistentvolumeclaims", "persistentvolumeclaim", ["pvc"], true;
    PersistentVolume: PersistentVolume as Box<PersistentVolume> = "v1", "", "persistentvolumes", "persistentvolume", ["pv"], false;
    StatefulSet: StatefulSet as Box<StatefulSet> = "apps/v1", "apps", "statefulsets", "statefulset", ["sts"], true;
    ControllerRevision: ControllerRevision as ControllerRevision = "apps/v1", "apps", "controllerrevisions", "controllerrevision", [], true;
    Deployment: Deployment as Box<Deployment> = "apps/v1", "apps", "deployments", "deployment", ["deploy"], true;
    ReplicaSet: ReplicaSet as Box<ReplicaSet> = "apps/v1", "apps", "replicasets", "replicaset", ["rs"], true;
    DaemonSet: DaemonSet as Box<DaemonSet> = "apps/v1", "apps", "daemonsets", "daemonset", ["ds"], true;
    EndpointSlice: EndpointSlice as EndpointSlice = "discovery.k8s.io/v1", "discovery.k8s.io", "endpointslices", "endpointslice", [], true;
    StorageClass: StorageClass as StorageClass = "storage.k8s.io/v1", "storage.k8s.io", "storageclasses", "storageclass", ["sc"], false;
}

impl Object {
    /// The selector that picks this object's pods, as kubectl's `SelectorsForObject` reads it: a workload's
    /// `spec.selector`, or a Service's label map. `None` for kinds that select no pods (or a selector-less
    /// Service).
    pub fn pod_selector(&self) -> Option<LabelSelector> {
        match self {
            Object::StatefulSet(s) => s.spec.selector.clone(),
            Object::Deployment(d) => d.spec.selector.clone(),
            Object::ReplicaSet(r) => r.spec.selector.clone(),
            Object::DaemonSet(d) => d.spec.selector.clone(),
            Object::Service(s) if !s.spec.selector.is_empty() => Some(LabelSelector {
                match_labels: s.spec.selector.clone(),
                match_expressions: Vec::new(),
            }),
            _ => None,
        }
    }
}

/// A Rust type that is one Kubernetes kind.
pub trait Resource: Clone + Serialize + DeserializeOwned + 'static {
    const KIND: Kind;
    fn meta(&self) -> &ObjectMeta;
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    fn into_object(self) -> Object;
    fn from_object(o: &Object) -> Option<&Self>;
    fn from_object_mut(o: &mut Object) -> Option<&mut Self>;
}

impl Kind {
    /// Whether the API serves a `status` subresource for this kind (the registries that install a StatusREST,
    /// kubernetes pkg/registry/*/storage). ConfigMaps, Secrets, Events and the like have none.
    pub fn has_status(self) -> bool {
        matches!(
            self,
            Kind::Namespace
                | Kind::Node
                | Kind::Pod
                | Kind::Service
                | Kind::PersistentVolumeClaim
                | Kind::PersistentVolume
                | Kind::StatefulSet
                | Kind::Deployment
                | Kind::ReplicaSet
                | Kind::DaemonSet
        )
    }

    /// Whether the API serves a `scale` subresource (an `autoscaling/v1` Scale) for this kind.
    pub fn has_scale(self) -> bool {
        matches!(
            self,
            Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet
        )
    }

    /// The kind a manifest's `kind:` names, if the API serves it at `api_version`.
    pub fn from_manifest(kind: &str, api_version: &str) -> Option<Kind> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.info().kind == kind && k.info().api_version == api_version)
    }

    /// `statefulset.apps`, `service`: the resource prefix kubectl prints before `/name`.
    pub fn qualified_singular(self) -> String {
        let info = self.info();
        if info.group.is_empty() {
            info.singular.to_string()
        } else {
            format!("{}.{}", info.singular, info.group)
        }
    }

    /// `statefulsets.apps`: the name used in API error messages.
    pub fn qualified_plural(self) -> String {
        let info = self.info();
        if info.group.is_empty() {
            info.plural.to_string()
        } else {
            format!("{}.{}", info.plural, info.group)
        }
    }
}

/// The merge key of a list, from the field's name and whether it sits in a container (`ports` of a container
/// merge on `containerPort`, a Service's on `port`). `None`: the list is replaced.
pub fn merge_key(field: &str, in_container: bool) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "ports" if in_container => "containerPort",
        "ports" => "port",
        "ownerReferences" => "uid",
        "conditions" => "type",
        "hostAliases" => "ip",
        _ => return None,
    })
}

/// Anything that has a kind and object metadata: an [`Object`] or a typed one, read without copying (what an
/// Event's involved object or an owner reference is made from).
pub trait KindAndMeta {
    fn kind_and_meta(&self) -> (Kind, &ObjectMeta);
}

impl KindAndMeta for Object {
    fn kind_and_meta(&self) -> (Kind, &ObjectMeta) {
        (self.kind(), self.meta())
    }
}

impl<T: Resource> KindAndMeta for T {
    fn kind_and_meta(&self) -> (Kind, &ObjectMeta) {
        (T::KIND, self.meta())
    }
}

/// Decodes `value` as `T` strictly, an unknown field being an error that names its path. Every typed decoding
/// from JSON goes through here, so each model type's decoder is compiled once (for this one deserializer) and
/// not again for `serde_json::from_value`: the model's decoders are the largest code in the wasm.
pub fn decode<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    decode::decode_at(value)
        .map_err(|f| describe_decode_error(&decode::path_text(&f.segments), &f.error))
}

/// Decodes an object of `kind` as the API server does: a value of the wrong type is refused in its JSON
/// decoder's words (naming the Go struct and type), the rest as [`decode`] words it.
/// Decodes an object of `kind`, a mismatch worded by `words` when it can, the rest as [`decode`] words it.
fn decode_with<T: DeserializeOwned>(
    kind: Kind,
    value: serde_json::Value,
    words: fn(&str, &decode::Failure) -> Option<String>,
) -> Result<T, String> {
    decode::decode_at(value).map_err(|f| {
        words(kind.info().kind, &f)
            .unwrap_or_else(|| describe_decode_error(&decode::path_text(&f.segments), &f.error))
    })
}

/// A JSON value as Go's `fmt` prints it with `%+v` once decoded into `interface{}` (the patch the API server
/// names when it cannot apply one): `map[spec:map[replica:3 replicas:<nil>]]`, keys sorted, strings bare.
pub fn go_value(v: &serde_json::Value) -> String {
    use std::fmt::Write as _;
    fn write(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::Null => out.push_str("<nil>"),
            serde_json::Value::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => {
                    let _ = write!(out, "{i}");
                }
                (None, Some(f)) => out.push_str(&go_float(f)),
                (None, None) => {
                    let _ = write!(out, "{n}");
                }
            },
            serde_json::Value::String(s) => out.push_str(s),
            serde_json::Value::Array(a) => {
                out.push('[');
                for (i, item) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            serde_json::Value::Object(m) => {
                // Go prints a map's keys sorted.
                let sorted: std::collections::BTreeMap<&str, &serde_json::Value> =
                    m.iter().map(|(k, item)| (k.as_str(), item)).collect();
                out.push_str("map[");
                for (i, (k, item)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    write(item, out);
                }
                out.push(']');
            }
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// A float64 as Go's `%v` prints it: the shortest form, with an exponent (`1e+21`) from 1e21 up and below 1e-4.
fn go_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e21).contains(&abs) {
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((mantissa, exp)) => {
                let (sign, digits) = match exp.strip_prefix('-') {
                    Some(d) => ('-', d),
                    None => ('+', exp),
                };
                format!("{mantissa}e{sign}{digits:0>2}")
            }
            None => s,
        }
    } else {
        format!("{f}")
    }
}

/// A field set to `null` is as good as absent, as the API server's decoder reads it. (A map's entry set to
/// `null` it keeps, with an empty value; here it goes too.)
fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Words a typed-decoding failure at `path` (`.` for the whole value) the way strict field validation does:
/// `unknown field "spec.replica"`.
pub fn describe_decode_error(path: &str, e: &serde_json::Error) -> String {
    let inner = e.to_string();
    if let Some(rest) = inner.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        // The path of an unknown field is normally the field's own; when the field was read from a buffered
        // value (an untagged enum's), it is the container's.
        let full = if path.is_empty() || path == "." {
            field.to_string()
        } else if path.rsplit(['.', ']']).next() == Some(field) {
            path.to_string()
        } else {
            format!("{path}.{field}")
        };
        return format!("strict decoding error: unknown field \"{full}\"");
    }
    let inner = inner.split(" at line ").next().unwrap_or(&inner);
    if path.is_empty() || path == "." {
        inner.to_string()
    } else {
        format!("json: cannot unmarshal {path}: {inner}")
    }
}

/// Identifies one object. Cluster-scoped kinds use an empty namespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> ObjectKey {
        let namespace = if kind.info().namespaced {
            namespace
        } else {
            ""
        };
        ObjectKey {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    pub fn of(obj: &Object) -> ObjectKey {
        ObjectKey::new(obj.kind(), &obj.meta().namespace, &obj.meta().name)
    }
}

/// An [`ObjectKey`] as borrowed parts, so a map keyed by `ObjectKey` is searched without building one (two
/// strings) first: `map.get(&ObjectKey::parts(kind, ns, name) as &dyn KeyParts)`. Orders as `ObjectKey` does.
pub trait KeyParts {
    fn key_parts(&self) -> (Kind, &str, &str);
}

impl KeyParts for ObjectKey {
    fn key_parts(&self) -> (Kind, &str, &str) {
        (self.kind, &self.namespace, &self.name)
    }
}

impl KeyParts for (Kind, &str, &str) {
    fn key_parts(&self) -> (Kind, &str, &str) {
        *self
    }
}

impl ObjectKey {
    /// The parts [`ObjectKey::new`] would own: a cluster-scoped kind drops the namespace.
    pub fn parts<'a>(kind: Kind, namespace: &'a str, name: &'a str) -> (Kind, &'a str, &'a str) {
        let namespace = if kind.info().namespaced {
            namespace
        } else {
            ""
        };
        (kind, namespace, name)
    }
}

impl<'a> std::borrow::Borrow<dyn KeyParts + 'a> for ObjectKey {
    fn borrow(&self) -> &(dyn KeyParts + 'a) {
        self
    }
}

impl PartialEq for dyn KeyParts + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.key_parts() == other.key_parts()
    }
}

impl Eq for dyn KeyParts + '_ {}

/// Hashes as `ObjectKey`'s derived `Hash` does (the kind, then each string), so a hashed map keyed by
/// `ObjectKey` is searched by parts too.
impl std::hash::Hash for dyn KeyParts + '_ {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let (kind, namespace, name) = self.key_parts();
        kind.hash(state);
        namespace.hash(state);
        name.hash(state);
    }
}

impl PartialOrd for dyn KeyParts + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn KeyParts + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key_parts().cmp(&other.key_parts())
    }
}
