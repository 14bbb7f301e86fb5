//! The DaemonSet controller: one pod on every node whose taints its template tolerates and whose labels match
//! its nodeSelector. As the real controller does since 1.12, each pod it creates names its node in a
//! `nodeAffinity` term on `metadata.name`; the simulated scheduler does not read affinity, so the pod also
//! carries `nodeName` (what the controller set itself before 1.12), which lands it on that node directly.

use serde_json::json;

use std::sync::Arc;

use crate::controllers::{Controller, Decision, View};
use crate::events::{EventType, Source};
use crate::model::workloads::DaemonSetStatus;
use crate::model::{
    ControllerRevision, DaemonSet, Kind, Node, Object, ObjectMeta, OwnerReference, Pod,
    PodTemplateSpec,
};
use crate::store::{ObjectKey, WatchEventType};

const SOURCE: Source = Source::component("daemonset-controller");

/// Whether a pod from `template` should run on `node`: its nodeSelector matches and it tolerates every
/// NoSchedule and NoExecute taint. Cordoning does not matter: daemon pods tolerate `unschedulable`.
pub(crate) fn should_run(template: &PodTemplateSpec, node: &Node) -> bool {
    let probe = Pod {
        spec: template.spec.clone().into(),
        ..Default::default()
    };
    template
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
        && node.spec.taints.iter().all(|t| {
            !matches!(t.effect.as_str(), "NoSchedule" | "NoExecute")
                || crate::controllers::scheduler::tolerates(&probe, t)
        })
}

/// The label naming the ControllerRevision a daemon pod was made from.
pub const REVISION_LABEL: &str = "controller-revision-hash";

/// The DaemonSet's current ControllerRevision, as `Match`/`getPatch` build it: the template under
/// `spec.template` with `$patch: replace`, named `<set>-<hash of that data>`.
pub(crate) fn revision(ds_meta: &ObjectMeta, template: &PodTemplateSpec) -> ControllerRevision {
    let mut t = serde_json::to_value(template).unwrap_or_default();
    if let Some(obj) = t.as_object_mut() {
        obj.insert("$patch".into(), json!("replace"));
    }
    let data = json!({"spec": {"template": t}});
    let hash = crate::controllers::statefulset::revision_hash(&data, 0);
    let mut labels = template.metadata.labels.clone();
    labels.insert(REVISION_LABEL.into(), hash.clone());
    ControllerRevision {
        metadata: ObjectMeta {
            name: format!("{}-{hash}", ds_meta.name),
            namespace: ds_meta.namespace.clone(),
            labels,
            annotations: ds_meta.annotations.clone(),
            owner_references: vec![OwnerReference::controller("apps/v1", "DaemonSet", ds_meta)],
            ..Default::default()
        },
        data,
        revision: 1,
    }
}

/// The pod a DaemonSet runs on `node`, before the API server names and admits it.
pub(crate) fn new_pod(
    ds_meta: &ObjectMeta,
    template: &PodTemplateSpec,
    node: &str,
    revision_hash: &str,
) -> Pod {
    let mut spec = template.spec.clone();
    spec.affinity = Some(
        json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [
                {"key": "metadata.name", "operator": "In", "values": [node]}
            ]}]
        }}}),
    );
    // `AddOrUpdateDaemonPodTolerations`: daemon pods stay through node trouble and cordons.
    let mut tolerations = spec
        .tolerations
        .take()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    for (key, effect) in [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ] {
        if !tolerations
            .iter()
            .any(|t| t.get("key").and_then(|k| k.as_str()) == Some(key))
        {
            tolerations.push(json!({"key": key, "operator": "Exists", "effect": effect}));
        }
    }
    if spec.host_network == Some(true) {
        tolerations.push(json!({"key": "node.kubernetes.io/network-unavailable", "operator": "Exists", "effect": "NoSchedule"}));
    }
    spec.tolerations = Some(serde_json::Value::Array(tolerations));
    spec.node_name = Some(node.to_string());
    let mut labels = template.metadata.labels.clone();
    labels.insert(REVISION_LABEL.into(), revision_hash.to_string());
    labels.insert(
        "pod-template-generation".into(),
        ds_meta.generation.max(1).to_string(),
    );
    Pod {
        metadata: ObjectMeta {
            generate_name: format!("{}-", ds_meta.name),
            namespace: ds_meta.namespace.clone(),
            labels,
            annotations: template.metadata.annotations.clone(),
            owner_references: vec![OwnerReference::controller("apps/v1", "DaemonSet", ds_meta)],
            ..Default::default()
        },
        spec: spec.into(),
        status: Default::default(),
    }
}

/// The DaemonSet controller. It remembers nothing between syncs.
#[derive(Debug, Default)]
pub struct DaemonSetController;

impl Controller for DaemonSetController {
    /// A DaemonSet's own changes, those of the pods it controls, and every DaemonSet when a node came, went or
    /// changed its labels or taints.
    fn route(&mut self, v: &View, _: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        match &**obj {
            Object::DaemonSet(_) => d.queue(ObjectKey::of(obj)),
            Object::Pod(pod) => {
                if let Some(key) = super::controller_key(&pod.metadata, Kind::DaemonSet) {
                    d.queue(key);
                }
            }
            Object::Node(_) => {
                for ds in v.store.list::<DaemonSet>(None) {
                    d.queue(ObjectKey::new(
                        Kind::DaemonSet,
                        &ds.metadata.namespace,
                        &ds.metadata.name,
                    ));
                }
            }
            _ => {}
        }
        d
    }

    fn reconcile(&mut self, v: &View, key: &ObjectKey) -> Decision {
        let mut d = Decision::none();
        let Some(ds) = v.store.get_typed::<DaemonSet>(&key.namespace, &key.name) else {
            return d;
        };
        if ds.metadata.is_terminating() {
            return d;
        }
        let rev = revision(&ds.metadata, &ds.spec.template);
        let hash = rev.metadata.labels[REVISION_LABEL].clone();
        if v.store
            .get_typed::<ControllerRevision>(&key.namespace, &rev.metadata.name)
            .is_none()
        {
            d.create(Object::ControllerRevision(rev));
        }
        let wanted: Vec<String> = v
            .store
            .list::<Node>(None)
            .filter(|n| should_run(&ds.spec.template, n))
            .map(|n| n.metadata.name.clone())
            .collect();
        let pods: Vec<&Pod> = v
            .store
            .controlled_by::<Pod>(&ds.metadata)
            .filter(|p| !p.metadata.is_terminating() && !p.is_terminal())
            .collect();
        let on = |node: &str| {
            pods.iter()
                .filter(|p| p.spec.node_name.as_deref() == Some(node))
                .count()
        };
        let about = crate::events::reference(ds, None);
        for node in &wanted {
            if on(node) == 0 {
                let pod = new_pod(&ds.metadata, &ds.spec.template, node, &hash);
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
        }
        let scheduled: Vec<&&Pod> = pods
            .iter()
            .filter(|p| {
                p.spec
                    .node_name
                    .as_ref()
                    .is_some_and(|n| wanted.contains(n))
            })
            .collect();
        let ready = scheduled.iter().filter(|p| p.is_ready()).count() as i32;
        let current = scheduled.len() as i32;
        let status = DaemonSetStatus {
            current_number_scheduled: current,
            number_misscheduled: (pods.len() - scheduled.len()) as i32,
            desired_number_scheduled: wanted.len() as i32,
            number_ready: ready,
            observed_generation: Some(ds.metadata.generation),
            updated_number_scheduled: current,
            number_available: ready,
        };
        if status != ds.status {
            d.patch::<DaemonSet>(&key.namespace, &key.name, |x| x.status = status);
        }
        d
    }
}
