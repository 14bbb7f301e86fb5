//! Helpers for scenario tests: a cluster with the tutorial's objects, and the views a learner would read.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::model::{Kind, PersistentVolumeClaim, Pod, StatefulSet};
use ordinal_engine::printers::pod_cells;
use ordinal_engine::store::WatchEventType;
use ordinal_engine::{Cluster, ClusterConfig};

pub const WEB_YAML: &str = include_str!("../fixtures/web.yaml");

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
