//! The ReplicaSet controller, the basic version a learner needs for contrast: pods get random name suffixes
//! (`generateName`), any pod can go when scaling down, and there is no order, no identity and no claim per
//! pod (`pkg/controller/replicaset`).

use crate::api::DeleteOptions;
use crate::cluster::Cluster;
use crate::events::{EventType, Source};
use crate::model::workloads::ReplicaSetStatus;
use crate::model::{Kind, Object, ObjectMeta, OwnerReference, Pod, ReplicaSet};
use crate::store::ObjectKey;

const SOURCE: Source = Source::component("replicaset-controller");

/// The pods `rs` owns, by a range scan over `<rs>-*`.
fn owned_pods<'a>(c: &'a Cluster, rs: &ReplicaSet) -> Vec<&'a Pod> {
    c.store.controlled_by::<Pod>(&rs.metadata).collect()
}

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

pub(crate) fn sync(c: &mut Cluster, key: &ObjectKey) {
    let Some(rs) = c
        .store
        .get_typed::<ReplicaSet>(&key.namespace, &key.name)
        .cloned()
    else {
        return;
    };
    let min_ready = i64::from(rs.spec.min_ready_seconds.unwrap_or(0));
    let now = c.now;
    let (active, status, victims): (usize, ReplicaSetStatus, Vec<String>) = {
        let pods = owned_pods(c, &rs);
        let mut active: Vec<&Pod> = pods
            .iter()
            .copied()
            .filter(|p| !p.metadata.is_terminating() && !p.is_terminal())
            .collect();
        let want = rs.spec.replicas.unwrap_or(1).max(0) as usize;
        active.sort_by_key(|p| deletion_rank(p));
        let victims = if active.len() > want && !rs.metadata.is_terminating() {
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
        (active.len(), status, victims)
    };
    let want = rs.spec.replicas.unwrap_or(1).max(0) as usize;
    if !rs.metadata.is_terminating() {
        for _ in active..want {
            create_pod(c, &rs);
        }
    }
    for name in victims {
        let key = ObjectKey::new(Kind::Pod, &rs.metadata.namespace, &name);
        if c.api_delete(&key, DeleteOptions::default()).is_ok() {
            c.record_event(
                &rs,
                EventType::Normal,
                "SuccessfulDelete",
                &format!("Deleted pod: {name}"),
                SOURCE,
            );
        }
    }
    c.store
        .modify::<ReplicaSet>(&key.namespace, &key.name, now, |r| r.status = status);
}

fn create_pod(c: &mut Cluster, rs: &ReplicaSet) {
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
        spec: template.spec.clone(),
        status: Default::default(),
    };
    match c.api_create_named(Object::Pod(pod)) {
        Ok(name) => c.record_event(
            rs,
            EventType::Normal,
            "SuccessfulCreate",
            &format!("Created pod: {name}"),
            SOURCE,
        ),
        Err(e) => {
            let msg = format!("Error creating: {}", e.message());
            c.record_event(rs, EventType::Warning, "FailedCreate", &msg, SOURCE);
        }
    }
}
