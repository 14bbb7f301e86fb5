//! Helpers for scenario tests: a cluster with the tutorial's objects, and the views a learner would read.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::model::{Kind, PersistentVolumeClaim, Pod, StatefulSet};
use ordinal_engine::store::WatchEventType;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_kubectl::printers::pod_cells;
use ordinal_term::terminal::Terminal;

pub const WEB_YAML: &str = include_str!("../fixtures/web.yaml");

/// A learner at a terminal on a cluster; each scenario adds the views it reads.
pub struct Lab {
    pub c: Cluster,
    pub t: Terminal,
}

impl Lab {
    pub fn new() -> Lab {
        Lab::with(ClusterConfig::default())
    }

    pub fn with(config: ClusterConfig) -> Lab {
        Lab {
            c: Cluster::new(config),
            t: Terminal::default(),
        }
    }

    /// Puts a file in the learner's home directory.
    pub fn file(&mut self, name: &str, text: &str) {
        self.t.ctx.files.insert(name.into(), text.into());
    }

    /// Runs a command line as typed, answering what the terminal printed.
    pub fn sh(&mut self, line: &str) -> String {
        self.t.run(&mut self.c, line, &[]).text
    }

    /// `kubectl apply -f NAME` of `text`, saved as NAME.
    pub fn apply(&mut self, name: &str, text: &str) -> String {
        self.file(name, text);
        self.sh(&format!("kubectl apply -f {name}"))
    }
}

pub fn cluster() -> Cluster {
    Cluster::new(ClusterConfig::default())
}

/// Applies `text` into `default`, panicking on any error, and returns kubectl's output lines.
pub fn apply(c: &mut Cluster, text: &str) -> Vec<String> {
    let outcomes = c
        .apply_manifest(text, "web.yaml", "default")
        .unwrap_or_else(|e| panic!("{e:?}"));
    outcomes.iter().map(ToString::to_string).collect()
}

/// `(name, STATUS)` for every pod in `default`, as `kubectl get pods` lists them.
pub fn pods(c: &Cluster) -> Vec<(String, String)> {
    c.store()
        .list::<Pod>(Some("default"))
        .map(|p| (p.metadata.name.clone(), pod_cells(p, c.now()).status))
        .collect()
}

pub fn pod_names(c: &Cluster) -> Vec<String> {
    pods(c).into_iter().map(|(n, _)| n).collect()
}

/// `(name, STATUS)` of every claim in `default`.
pub fn claims(c: &Cluster) -> Vec<(String, String)> {
    c.store()
        .list::<PersistentVolumeClaim>(Some("default"))
        .map(|p| (p.metadata.name.clone(), p.status.phase.clone()))
        .collect()
}

pub fn sts<'a>(c: &'a Cluster, name: &str) -> &'a StatefulSet {
    c.stateful_set("default", name)
        .expect("the StatefulSet exists")
}

/// The order in which pods were ADDED and DELETED, from the watch log: `+web-0`, `-web-1`.
pub fn pod_lifecycle(c: &Cluster, from: u64) -> Vec<String> {
    c.store()
        .events_since(from)
        .filter(|e| e.object.kind() == Kind::Pod)
        .filter_map(|e| match e.type_ {
            WatchEventType::Added => Some(format!("+{}", e.object.meta().name)),
            WatchEventType::Deleted => Some(format!("-{}", e.object.meta().name)),
            WatchEventType::Modified => None,
        })
        .collect()
}

/// Every STATUS a pod showed, in order, collapsing repeats: what `kubectl get pod -w` prints for it.
pub fn status_history(c: &Cluster, from: u64, pod: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in c.store().events_since(from) {
        if let ordinal_engine::model::Object::Pod(p) = &*e.object {
            if p.metadata.name == pod && e.type_ != WatchEventType::Deleted {
                let s = pod_cells(p, e.time).status;
                if out.last() != Some(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

// ---- StatefulSet scenario helpers (tests/sts_*.rs) ----

use ordinal_engine::model::{ControllerRevision, Event, Object, OwnerReference};
use ordinal_engine::{DeleteOptions, ObjectKey, Propagation};

/// The knobs the StatefulSet scenarios turn on the tutorial's `web` set. `yaml()` renders the headless Service
/// and the set as one file, the way a learner would edit web.yaml.
#[derive(Debug, Clone)]
pub struct Web {
    pub replicas: i32,
    pub image: String,
    /// `OrderedReady` or `Parallel`.
    pub policy: &'static str,
    pub min_ready_seconds: u32,
    /// Lines placed under `updateStrategy:` (already indented by four spaces), or `None` to omit it.
    pub update_strategy: Option<String>,
    /// `(whenDeleted, whenScaled)`.
    pub retention: Option<(&'static str, &'static str)>,
    pub ordinals_start: Option<i32>,
    /// A readiness probe whose first check passes after this many seconds.
    pub readiness_delay: Option<u32>,
    pub annotations: Vec<(String, String)>,
    pub revision_history_limit: Option<i32>,
    /// An environment variable, to make a template change that is not an image change.
    pub env: Option<String>,
}

impl Default for Web {
    fn default() -> Self {
        Web {
            replicas: 3,
            image: "registry.k8s.io/nginx-slim:0.24".into(),
            policy: "OrderedReady",
            min_ready_seconds: 0,
            update_strategy: None,
            retention: None,
            ordinals_start: None,
            readiness_delay: None,
            annotations: Vec::new(),
            revision_history_limit: None,
            env: None,
        }
    }
}

impl Web {
    pub fn yaml(&self) -> String {
        let mut s = String::from(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\n  labels:\n    app: nginx\nspec:\n  ports:\n  - port: 80\n    name: web\n  clusterIP: None\n  selector:\n    app: nginx\n---\n",
        );
        s.push_str("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n");
        if !self.annotations.is_empty() {
            s.push_str("  annotations:\n");
            for (k, v) in &self.annotations {
                s.push_str(&format!("    {k}: \"{v}\"\n"));
            }
        }
        s.push_str("spec:\n  serviceName: \"nginx\"\n");
        s.push_str(&format!("  replicas: {}\n", self.replicas));
        s.push_str(&format!("  podManagementPolicy: {}\n", self.policy));
        if self.min_ready_seconds > 0 {
            s.push_str(&format!("  minReadySeconds: {}\n", self.min_ready_seconds));
        }
        if let Some(limit) = self.revision_history_limit {
            s.push_str(&format!("  revisionHistoryLimit: {limit}\n"));
        }
        if let Some(start) = self.ordinals_start {
            s.push_str(&format!("  ordinals:\n    start: {start}\n"));
        }
        if let Some(strategy) = &self.update_strategy {
            s.push_str("  updateStrategy:\n");
            s.push_str(strategy);
            if !strategy.ends_with('\n') {
                s.push('\n');
            }
        }
        if let Some((deleted, scaled)) = self.retention {
            s.push_str(&format!(
                "  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: {deleted}\n    whenScaled: {scaled}\n"
            ));
        }
        s.push_str(
            "  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      terminationGracePeriodSeconds: 10\n      containers:\n      - name: nginx\n",
        );
        s.push_str(&format!("        image: {}\n", self.image));
        s.push_str("        ports:\n        - containerPort: 80\n          name: web\n");
        if let Some(env) = &self.env {
            s.push_str(&format!(
                "        env:\n        - name: FLAVOUR\n          value: \"{env}\"\n"
            ));
        }
        if let Some(delay) = self.readiness_delay {
            s.push_str(&format!(
                "        readinessProbe:\n          tcpSocket:\n            port: 80\n          initialDelaySeconds: {delay}\n          periodSeconds: 5\n"
            ));
        }
        s.push_str(
            "        volumeMounts:\n        - name: www\n          mountPath: /usr/share/nginx/html\n  volumeClaimTemplates:\n  - metadata:\n      name: www\n    spec:\n      accessModes: [ \"ReadWriteOnce\" ]\n      resources:\n        requests:\n          storage: 1Gi\n",
        );
        s
    }
}

/// A copy of pod `name` in `default`, if it exists.
pub fn pod(c: &Cluster, name: &str) -> Option<Pod> {
    c.store().get_typed::<Pod>("default", name).cloned()
}

/// The pod's STATUS column.
pub fn status_of(c: &Cluster, name: &str) -> String {
    let p = pod(c, name).unwrap_or_else(|| panic!("pod {name} exists"));
    pod_cells(&p, c.now()).status
}

/// Whether the pod is Running with Ready=True (what the controller waits for).
pub fn is_ready(c: &Cluster, name: &str) -> bool {
    pod(c, name).is_some_and(|p| p.is_running_and_ready())
}

pub fn uid_of_pod(c: &Cluster, name: &str) -> String {
    pod(c, name)
        .unwrap_or_else(|| panic!("pod {name} exists"))
        .metadata
        .uid
}

pub fn claim(c: &Cluster, name: &str) -> Option<PersistentVolumeClaim> {
    c.store()
        .get_typed::<PersistentVolumeClaim>("default", name)
        .cloned()
}

pub fn claim_names(c: &Cluster) -> Vec<String> {
    claims(c).into_iter().map(|(n, _)| n).collect()
}

/// A claim's ownerReferences as `Kind/name`.
pub fn claim_owners(c: &Cluster, name: &str) -> Vec<String> {
    claim(c, name)
        .unwrap_or_else(|| panic!("claim {name} exists"))
        .metadata
        .owner_references
        .iter()
        .map(|r| format!("{}/{}", r.kind, r.name))
        .collect()
}

/// The READY column of `kubectl get sts web`: readyReplicas/spec.replicas.
pub fn sts_ready(c: &Cluster) -> String {
    let s = sts(c, "web");
    format!(
        "{}/{}",
        s.status.ready_replicas,
        s.spec.replicas.unwrap_or(1)
    )
}

/// The image of the pod's first container.
pub fn image_of(c: &Cluster, name: &str) -> String {
    pod(c, name)
        .unwrap_or_else(|| panic!("pod {name} exists"))
        .spec
        .containers[0]
        .image
        .clone()
}

pub fn revision_label(c: &Cluster, name: &str) -> String {
    pod(c, name)
        .unwrap_or_else(|| panic!("pod {name} exists"))
        .metadata
        .labels
        .get("controller-revision-hash")
        .cloned()
        .unwrap_or_default()
}

/// The set's ControllerRevisions as `(name, revision)`, oldest revision number first.
pub fn revisions(c: &Cluster) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = c
        .store()
        .list::<ControllerRevision>(Some("default"))
        .filter(|r| r.metadata.name.starts_with("web-"))
        .map(|r| (r.metadata.name.clone(), r.revision))
        .collect();
    ordinal_engine::sort::by_key(&mut out, |(_, n)| *n);
    out
}

/// Steps the cluster until `done` holds, failing if the cluster goes idle first or `max_steps` pass.
pub fn step_until(c: &mut Cluster, what: &str, done: impl Fn(&Cluster) -> bool) {
    for _ in 0..100_000 {
        if done(c) {
            return;
        }
        assert!(c.step(), "the cluster went idle before {what}");
    }
    panic!("{what} did not happen within 100000 steps");
}

/// Like [`step_until`], checking `invariant` after every step.
pub fn step_until_checking(
    c: &mut Cluster,
    what: &str,
    done: impl Fn(&Cluster) -> bool,
    invariant: impl Fn(&Cluster),
) {
    for _ in 0..100_000 {
        invariant(c);
        if done(c) {
            return;
        }
        assert!(c.step(), "the cluster went idle before {what}");
    }
    panic!("{what} did not happen within 100000 steps");
}

/// Runs the clock for `ms`, checking `invariant` after every step on the way.
pub fn advance_checking(c: &mut Cluster, ms: u64, invariant: impl Fn(&Cluster)) {
    let end = c.now().plus(ms);
    while c.next_timer().is_some_and(|t| t <= end) {
        c.step();
        invariant(c);
    }
    c.advance(end.since(c.now()));
    invariant(c);
}

/// `reason: message` of every Event the StatefulSet controller recorded since `from`, each occurrence in order
/// (a repeated Event counts again, as `kubectl get events -w` would print it).
pub fn sts_events(c: &Cluster, from: u64) -> Vec<String> {
    c.store()
        .events_since(from)
        .filter(|e| e.type_ != WatchEventType::Deleted)
        .filter_map(|e| match &*e.object {
            Object::Event(ev) if ev.source.component == "statefulset-controller" => {
                Some(format!("{}: {}", ev.reason, ev.message))
            }
            _ => None,
        })
        .collect()
}

/// Every Event object the StatefulSet controller recorded, with its type.
pub fn sts_event_objects(c: &Cluster) -> Vec<Event> {
    c.store()
        .list::<Event>(Some("default"))
        .filter(|e| e.source.component == "statefulset-controller")
        .cloned()
        .collect()
}

/// The pods whose deletion was requested since `from`, in order: the first write that set a
/// deletionTimestamp (`~web-2`), and the removal (`-web-2`), and creations (`+web-2`).
pub fn pod_deletions(c: &Cluster, from: u64) -> Vec<String> {
    let mut terminating: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for e in c.store().events_since(from) {
        let Object::Pod(p) = &*e.object else { continue };
        let name = &p.metadata.name;
        match e.type_ {
            WatchEventType::Added => {
                terminating.retain(|n| n != name);
                out.push(format!("+{name}"));
            }
            WatchEventType::Deleted => {
                if !terminating.contains(name) {
                    out.push(format!("~{name}"));
                }
                terminating.retain(|n| n != name);
                out.push(format!("-{name}"));
            }
            WatchEventType::Modified => {
                if p.metadata.deletion_timestamp.is_some() && !terminating.contains(name) {
                    terminating.push(name.clone());
                    out.push(format!("~{name}"));
                }
            }
        }
    }
    out
}

/// `kubectl delete sts web --cascade=<propagation>`.
pub fn delete_set(c: &mut Cluster, propagation: Propagation) {
    let key = ObjectKey::new(Kind::StatefulSet, "default", "web");
    c.delete(
        &key,
        DeleteOptions {
            propagation,
            ..Default::default()
        },
    )
    .expect("the set exists");
}

/// `kubectl delete pod <name>`.
pub fn delete_pod(c: &mut Cluster, name: &str) {
    let key = ObjectKey::new(Kind::Pod, "default", name);
    c.delete(&key, DeleteOptions::default())
        .expect("the pod exists");
}

/// The pod's ownerReferences.
pub fn pod_owners(c: &Cluster, name: &str) -> Vec<OwnerReference> {
    pod(c, name)
        .unwrap_or_else(|| panic!("pod {name} exists"))
        .metadata
        .owner_references
}

/// Everything stored, in the store's order, as the API would serve it: two runs that must end in the same
/// cluster (a replay, the same actions run in slices) must give the same text.
pub fn fingerprint(c: &Cluster) -> String {
    Kind::ALL
        .iter()
        .flat_map(|k| c.store().list_kind(*k, None))
        .map(|o| o.to_json().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
