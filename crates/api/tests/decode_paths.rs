//! The strict decoder finds the failing field's path and error exactly as `serde_path_to_error` (what it
//! replaced, kept here as the reference) over serde_json's own value deserializer: every manifest of the
//! catalogue, and a few objects it lacks, broken at every field in every way a learner's YAML can break it.

use ordinal_api::manifest;
use ordinal_api::model::{self, Kind};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// What the decoder said before: serde_path_to_error's path, worded by the same function as ours.
fn reference<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| model::describe_decode_error(&e.path().to_string(), e.inner()))
}

/// Decodes `body` as `kind`'s type both ways; the two must agree on the object or on the message.
fn same(kind: Kind, body: &Value) -> Option<String> {
    fn both<T: DeserializeOwned + PartialEq + std::fmt::Debug>(body: &Value) -> Option<String> {
        let ours = model::decode::<T>(body.clone());
        let theirs = reference::<T>(body.clone());
        // One difference on purpose: serde takes a struct's fields in order from an array, the API server's
        // decoder (and ours) refuses an array where an object belongs.
        let array_for_struct = |r: &Result<T, String>| {
            r.as_ref()
                .err()
                .is_some_and(|e| e.contains("invalid type: sequence, expected struct "))
        };
        if array_for_struct(&ours) {
            return ours.err();
        }
        if ours != theirs {
            panic!("decoding {body}\n  ours:   {ours:?}\n  theirs: {theirs:?}");
        }
        ours.err()
    }
    use model::*;
    match kind {
        Kind::Namespace => both::<Namespace>(body),
        Kind::Node => both::<Node>(body),
        Kind::Pod => both::<Pod>(body),
        Kind::Service => both::<Service>(body),
        Kind::ConfigMap => both::<ConfigMap>(body),
        Kind::Secret => both::<Secret>(body),
        Kind::ServiceAccount => both::<ServiceAccount>(body),
        Kind::Event => both::<Event>(body),
        Kind::Endpoints => both::<Endpoints>(body),
        Kind::PersistentVolumeClaim => both::<PersistentVolumeClaim>(body),
        Kind::PersistentVolume => both::<PersistentVolume>(body),
        Kind::StatefulSet => both::<StatefulSet>(body),
        Kind::ControllerRevision => both::<ControllerRevision>(body),
        Kind::Deployment => both::<Deployment>(body),
        Kind::ReplicaSet => both::<ReplicaSet>(body),
        Kind::DaemonSet => both::<DaemonSet>(body),
        Kind::EndpointSlice => both::<EndpointSlice>(body),
        Kind::StorageClass => both::<StorageClass>(body),
    }
}

/// Every way a field can be wrong: each kind of JSON value in its place.
fn breakages() -> Vec<Value> {
    vec![
        json!("x"),
        json!(""),
        json!(3_000_000_000u64),
        json!(-1),
        json!(1.5),
        json!(true),
        json!(null),
        json!([]),
        json!([1, "x"]),
        json!({}),
        json!({ "bogus": 1 }),
        json!({ "a": 1, "b": 2 }),
    ]
}

/// Calls `f` with `v` broken once at each place: every value replaced by each breakage, and an unknown key
/// added to every object.
fn each_breakage(v: &Value, f: &mut dyn FnMut(Value)) {
    let mut paths = Vec::new();
    collect(v, &mut Vec::new(), &mut paths);
    for path in paths {
        for b in breakages() {
            let mut broken = v.clone();
            *at(&mut broken, &path) = b;
            f(broken);
        }
        let mut broken = v.clone();
        if let Value::Object(m) = at(&mut broken, &path) {
            m.insert("replica".into(), json!(1));
            f(broken);
        }
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn collect(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(Step::Key(k.clone()));
                collect(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(Step::Index(i));
                collect(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(v: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

const EXTRA: &str = r#"
apiVersion: v1
kind: Pod
metadata: { name: probe, labels: { app: x }, annotations: { a: b } }
spec:
  nodeName: kind-worker
  tolerations: [{ key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 5 }]
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm: { topologyKey: kubernetes.io/hostname, labelSelector: { matchExpressions: [{ key: app, operator: In, values: [x] }] } }
  containers:
  - name: c
    image: nginx
    ports: [{ containerPort: 80, name: web, protocol: TCP }]
    readinessProbe: { httpGet: { path: /, port: web }, periodSeconds: 2 }
    lifecycle: { preStop: { exec: { command: [sh, -c, sleep 1] } } }
    resources: { requests: { cpu: 100m, memory: 1Gi } }
    env: [{ name: A, valueFrom: { fieldRef: { fieldPath: metadata.name } } }]
  volumes: [{ name: v, persistentVolumeClaim: { claimName: c } }, { name: e, emptyDir: {} }]
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: pv }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: /data }
  claimRef: { namespace: default, name: c }
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: fast }
provisioner: rancher.io/local-path
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
parameters: { a: b }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: s }
addressType: IPv4
endpoints: [{ addresses: [10.0.0.1], conditions: { ready: true }, targetRef: { kind: Pod, name: p } }]
ports: [{ name: web, port: 80, protocol: TCP }]
"#;

/// Every object of the catalogue's manifests and of [`EXTRA`].
#[allow(clippy::expect_used)]
fn catalogue() -> Vec<manifest::ManifestObject> {
    let sources = [
        include_str!("../../kubectl/catalogue/application/web/web.yaml"),
        include_str!("../../kubectl/catalogue/application/web/web-parallel.yaml"),
        include_str!("../../kubectl/catalogue/application/mysql/mysql-configmap.yaml"),
        include_str!("../../kubectl/catalogue/application/mysql/mysql-services.yaml"),
        include_str!("../../kubectl/catalogue/application/mysql/mysql-statefulset.yaml"),
        include_str!("../../kubectl/catalogue/application/wordpress/mysql-deployment.yaml"),
        include_str!("../../kubectl/catalogue/application/wordpress/wordpress-deployment.yaml"),
        EXTRA,
    ];
    sources
        .iter()
        .flat_map(|text| manifest::parse(text, "test.yaml").expect("the catalogue parses"))
        .collect()
}

#[test]
fn every_breakage_of_every_manifest_names_the_same_path_as_before() {
    let (mut decoded, mut refused, mut kinds) = (0, 0, std::collections::BTreeSet::new());
    let mut messages = std::collections::BTreeSet::new();
    {
        for o in catalogue() {
            kinds.insert(format!("{:?}", o.kind));
            assert!(same(o.kind, &o.body).is_none(), "{:?} decodes", o.kind);
            each_breakage(&o.body, &mut |broken| match same(o.kind, &broken) {
                Some(m) => {
                    refused += 1;
                    messages.insert(m);
                }
                None => decoded += 1,
            });
        }
    }
    // The breakages reach every kind of message: unknown fields deep in a template, wrong types at indexes.
    assert!(kinds.len() >= 8, "{kinds:?}");
    assert!(
        refused > 4_000 && decoded > 1_000,
        "{refused} refused, {decoded} decoded"
    );
    for expected in [
        "strict decoding error: unknown field \"spec.template.spec.containers[0].replica\"",
        "json: cannot unmarshal spec.replicas: invalid type: string \"x\", expected i32",
        "json: cannot unmarshal spec.volumeClaimTemplates[0].spec.accessModes[0]: invalid type: integer `-1`, expected a string",
    ] {
        assert!(
            messages.contains(expected),
            "no message {expected:?} among {} (e.g. {:?})",
            messages.len(),
            messages.iter().take(5).collect::<Vec<_>>()
        );
    }
}

/// A value of the wrong type anywhere in an object is refused in the API server's words, which name the Go
/// struct and the Go type (`json: cannot unmarshal bool into Go struct field ContainerPort.spec.containers.
/// ports.containerPort of type int32`), never in serde's (`invalid type: boolean `true`, expected i64`).
#[test]
fn every_type_mismatch_is_worded_as_the_api_server_words_it() {
    let mut worded = std::collections::BTreeSet::new();
    for o in catalogue() {
        each_breakage(&o.body, &mut |broken| {
            let Err(e) = model::Object::from_json(o.kind, broken.clone()) else {
                return;
            };
            // `null` in a list is the one mismatch left in serde's words (the API server takes it as an
            // empty element, then validation refuses that).
            let serde_words = e.contains("invalid type: ") || e.contains("invalid value: integer");
            assert!(
                !serde_words || e.contains("invalid type: null"),
                "{:?} {broken}: {e}",
                o.kind
            );
            if let Some(go) = e.strip_prefix("json: cannot unmarshal ") {
                worded.insert(go.to_string());
            }
        });
    }
    for expected in [
        "string into Go struct field StatefulSetSpec.spec.replicas of type int32",
        "number 3000000000 into Go struct field StatefulSetSpec.spec.replicas of type int32",
        "number 1.5 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32",
        "bool into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
        "array into Go struct field Container.spec.containers.ports of type v1.ContainerPort",
        "number into Go struct field ObjectMeta.metadata.labels of type string",
        "number into Go struct field ConfigMap.data of type string",
        "string into Go struct field PodSpec.spec.template.spec.volumes of type []v1.Volume",
        "bool into Go value of type int32",
        "object into Go struct field ServicePort.spec.ports.port of type int32",
        "number into Go struct field StatefulSetSpec.spec.podManagementPolicy of type v1.PodManagementPolicyType",
    ] {
        assert!(
            worded.contains(expected),
            "no {expected:?} among {} messages, e.g. {:?}",
            worded.len(),
            worded.iter().filter(|m| m.contains(expected.split(' ').next().unwrap_or(""))).take(8).collect::<Vec<_>>()
        );
    }
}
