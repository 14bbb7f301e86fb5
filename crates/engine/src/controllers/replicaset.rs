//! The ReplicaSet controller, the basic version a learner needs for contrast: pods get random name suffixes
//! (`generateName`), any pod can go when scaling down, and there is no order, no identity and no claim per
//! pod (`pkg/controller/replicaset`).

use std::sync::Arc;

use crate::api::DeleteOptions;
use crate::controllers::{Controller, Decision, View};
use crate::events::{EventType, Source};
use crate::model::workloads::ReplicaSetStatus;
use crate::model::{Kind, Object, ObjectMeta, OwnerReference, Pod, ReplicaSet};
use crate::store::{ObjectKey, WatchEventType};

const SOURCE: Source = Source::component("replicaset-controller");

/// The ReplicaSet controller. It remembers nothing between syncs.
#[derive(Debug, Default)]
pub struct ReplicaSetController;

/// Which pod goes first when scaling down (`ActivePodsWithRanks`): not yet scheduled, then pending, then not
/// ready, then the most recently created.
fn deletion_rank(p: &Pod) -> (u8, u8, u8, std::cmp::Reverse<Option<crate::clock::Time>>) {
    (
        u8::from(p.spec.node_name.is_some()),
        u8::from(p.status.phase != "Pending"),
        u8::from(p.is_ready()),
        std::cmp::Reverse(p.metadata.creation_timestamp),
    )
}

impl Controller for ReplicaSetController {
    /// A ReplicaSet's own changes, and those of the pods it controls.
    fn route(&mut self, _: &View, _: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        match &**obj {
            Object::ReplicaSet(_) => d.queue(ObjectKey::of(obj)),
            Object::Pod(pod) => {
                if let Some(key) = super::controller_key(&pod.metadata, Kind::ReplicaSet) {
                    d.queue(key);
                }
            }
            _ => {}
        }
        d
    }

    fn reconcile(&mut self, v: &View, key: &ObjectKey) -> Decision {
        let mut d = Decision::none();
        let Some(rs) = v.store.get_typed::<ReplicaSet>(&key.namespace, &key.name) else {
            return d;
        };
        let min_ready = i64::from(rs.spec.min_ready_seconds.unwrap_or(0));
        let now = v.now;
        let mut active: Vec<&Pod> = v
            .store
            .controlled_by::<Pod>(&rs.metadata)
            .filter(|p| !p.metadata.is_terminating() && !p.is_terminal())
            .collect();
        let want = rs.spec.replicas.unwrap_or(1).max(0) as usize;
        crate::sort::by_key(&mut active, |p| deletion_rank(p));
        let victims: Vec<String> = if active.len() > want && !rs.metadata.is_terminating() {
            active[..active.len() - want]
                .iter()
                .map(|p| p.metadata.name.clone())
                .collect()
        } else {
            Vec::new()
        };
        let status = ReplicaSetStatus {
            replicas: active.len() as i32,
            fully_labeled_replicas: active.len() as i32,
            ready_replicas: active.iter().filter(|p| p.is_ready()).count() as i32,
            available_replicas: active
                .iter()
                .filter(|p| p.is_available(min_ready, now))
                .count() as i32,
            observed_generation: Some(rs.metadata.generation),
        };
        let about = crate::events::reference(rs, None);
        if !rs.metadata.is_terminating() {
            for _ in active.len()..want {
                create_pod(&mut d, rs, &about);
            }
        }
        for name in victims {
            let key = ObjectKey::new(Kind::Pod, &rs.metadata.namespace, &name);
            let about = about.clone();
            d.delete_then(key, DeleteOptions::default(), move |outcome| {
                let mut d = Decision::none();
                if outcome.is_ok() {
                    let msg = format!("Deleted pod: {name}");
                    d.event_on(about, EventType::Normal, "SuccessfulDelete", &msg, SOURCE);
                }
                d
            });
        }
        d.patch::<ReplicaSet>(&key.namespace, &key.name, |r| r.status = status);
        d
    }
}

/// Creates one pod from the template, named `<rs>-<random>` by the API server.
fn create_pod(d: &mut Decision, rs: &ReplicaSet, about: &crate::model::storage::ObjectReference) {
    let template = &rs.spec.template;
    let pod = Pod {
        metadata: ObjectMeta {
            generate_name: format!("{}-", rs.metadata.name),
            namespace: rs.metadata.namespace.clone(),
            labels: template.metadata.labels.clone(),
            annotations: template.metadata.annotations.clone(),
            owner_references: vec![OwnerReference::controller(
                "apps/v1",
                "ReplicaSet",
                &rs.metadata,
            )],
            ..Default::default()
        },
        spec: template.spec.clone().into(),
        status: Default::default(),
    };
    let about = about.clone();
    d.create_then(Object::Pod(pod), move |outcome| {
        let mut d = Decision::none();
        match outcome {
            Ok(name) => {
                let msg = format!("Created pod: {name}");
                d.event_on(about, EventType::Normal, "SuccessfulCreate", &msg, SOURCE);
            }
            Err(e) => {
                let msg = format!("Error creating: {}", e.message());
                d.event_on(about, EventType::Warning, "FailedCreate", &msg, SOURCE);
            }
        }
        d
    });
}
