//! The scheduler: puts each pending pod on a node. It honours cordoned and NotReady nodes, NoSchedule taints,
//! `nodeSelector`, and the volume rules of the VolumeBinding plugin (k8s-behaviour.md 2.6): a missing or
//! terminating claim stops scheduling; an unbound claim of a WaitForFirstConsumer class gets the chosen node
//! written on it and the pod waits for the volume; a bound volume with node affinity limits the nodes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::cluster::Cluster;
use crate::events::{EventType, Source};
use crate::model::cluster::Taint;
use crate::model::{Kind, Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass};
use crate::store::{ObjectKey, WatchEventType};

const SOURCE: Source = Source::component("default-scheduler");
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

#[derive(Debug, Default)]
pub struct State {
    /// Pods without a node and not being deleted: the ones worth retrying when something changes.
    pending: BTreeSet<ObjectKey>,
    /// Pods bound to each node, by uid, for spreading without listing every pod.
    on_node: BTreeMap<String, BTreeSet<String>>,
    /// Where each bound pod is, by uid, to keep `on_node` right when it goes.
    node_of: BTreeMap<String, String>,
    /// Pods the scheduler has placed but not bound yet (waiting for their volumes), by uid: they count
    /// against their node like the real scheduler's assumed pods.
    assumed: BTreeMap<String, String>,
}

/// Retries every pending pod; called when nodes change.
pub(crate) fn requeue_pending(c: &mut Cluster) {
    for key in c.scheduler.pending.clone() {
        c.queues.scheduler.add(key);
    }
}

/// Keeps the per-node pod index current. Finished pods do not count against a node.
pub(crate) fn observe_pod(c: &mut Cluster, type_: WatchEventType, pod: &Pod) {
    let uid = &pod.metadata.uid;
    let st = &mut c.scheduler;
    if let Some(old) = st.node_of.remove(uid) {
        if let Some(set) = st.on_node.get_mut(&old) {
            set.remove(uid);
        }
    }
    if type_ == WatchEventType::Deleted {
        st.pending.remove(&ObjectKey::new(
            Kind::Pod,
            &pod.metadata.namespace,
            &pod.metadata.name,
        ));
        st.assumed.remove(uid);
        return;
    }
    if pod.spec.node_name.is_some() {
        st.assumed.remove(uid);
    }
    let node = pod.spec.node_name.as_ref().or_else(|| st.assumed.get(uid));
    if let Some(node) = node.cloned().filter(|_| !pod.is_terminal()) {
        st.on_node
            .entry(node.clone())
            .or_default()
            .insert(uid.clone());
        st.node_of.insert(uid.clone(), node);
    }
}

pub(crate) fn sync(c: &mut Cluster, key: &ObjectKey) {
    let Some(pod) = c.store.get_typed::<Pod>(&key.namespace, &key.name).cloned() else {
        c.scheduler.pending.remove(key);
        return;
    };
    if pod.spec.node_name.is_some() || pod.metadata.is_terminating() {
        c.scheduler.pending.remove(key);
        return;
    }
    c.scheduler.pending.insert(key.clone());
    let total = c.store.list::<Node>(None).count();
    match check_volumes(c, &pod) {
        Err(reason) => {
            fail(
                c,
                &pod,
                &format!("0/{total} nodes are available: {reason}."),
                total,
            );
        }
        Ok(vols) => {
            let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
            let mut feasible = Vec::new();
            for node in c.store.list::<Node>(None) {
                match filter(c, &pod, node, &vols) {
                    Ok(()) => feasible.push(node.metadata.name.clone()),
                    Err(r) => *reasons.entry(r).or_default() += 1,
                }
            }
            if feasible.is_empty() {
                let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
                return fail(
                    c,
                    &pod,
                    &format!("0/{total} nodes are available: {}.", list.join(", ")),
                    total,
                );
            }
            let node = choose(c, &feasible);
            if !vols.delayed.is_empty() {
                // WaitForFirstConsumer: tell the provisioner where the pod goes, and wait for the volume.
                let now = c.now;
                assume(c, &pod, &node);
                for claim in &vols.delayed {
                    c.store.modify::<PersistentVolumeClaim>(
                        &pod.metadata.namespace,
                        claim,
                        now,
                        |pvc| {
                            pvc.metadata
                                .annotations
                                .entry(SELECTED_NODE.to_string())
                                .or_insert_with(|| node.clone());
                        },
                    );
                }
                return;
            }
            bind(c, &pod, &node);
        }
    }
}

struct VolumeFacts {
    /// Unbound claims of WaitForFirstConsumer classes.
    delayed: Vec<String>,
    /// Nodes allowed by bound volumes' node affinity (None: any node).
    allowed_nodes: Option<BTreeSet<String>>,
    /// Nodes already chosen for delayed claims.
    selected: Option<String>,
}

fn check_volumes(c: &Cluster, pod: &Pod) -> Result<VolumeFacts, String> {
    let ns = &pod.metadata.namespace;
    let mut facts = VolumeFacts {
        delayed: Vec::new(),
        allowed_nodes: None,
        selected: None,
    };
    for claim in pod.claim_names() {
        let Some(pvc) = c.store.get_typed::<PersistentVolumeClaim>(ns, claim) else {
            return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
        };
        if pvc.status.phase == "Lost" {
            return Err(format!(
                "persistentvolumeclaim \"{claim}\" bound to non-existent persistentvolume \"{}\"",
                pvc.spec.volume_name.as_deref().unwrap_or("")
            ));
        }
        if pvc.metadata.is_terminating() {
            return Err(format!(
                "persistentvolumeclaim \"{claim}\" is being deleted"
            ));
        }
        match pvc
            .spec
            .volume_name
            .as_deref()
            .filter(|_| pvc.status.phase == "Bound")
        {
            Some(pv_name) => {
                let Some(pv) = c.store.get_typed::<PersistentVolume>("", pv_name) else {
                    return Err(format!(
                        "persistentvolumeclaim \"{claim}\" bound to non-existent persistentvolume \"{pv_name}\""
                    ));
                };
                if let Some(hosts) = node_affinity_hosts(pv) {
                    let allowed = facts.allowed_nodes.get_or_insert_with(|| hosts.clone());
                    allowed.retain(|h| hosts.contains(h));
                }
            }
            None => {
                let class = pvc
                    .spec
                    .storage_class_name
                    .as_deref()
                    .filter(|s| !s.is_empty());
                let wffc = class
                    .and_then(|name| c.store.get_typed::<StorageClass>("", name))
                    .is_some_and(StorageClass::waits_for_first_consumer);
                if !wffc {
                    return Err("pod has unbound immediate PersistentVolumeClaims".to_string());
                }
                if let Some(n) = pvc.metadata.annotations.get(SELECTED_NODE) {
                    facts.selected = Some(n.clone());
                }
                facts.delayed.push(claim.to_string());
            }
        }
    }
    Ok(facts)
}

/// The hostnames a PV's `nodeAffinity.required` allows, when it is the hostname form local volumes use.
pub fn node_affinity_hosts(pv: &PersistentVolume) -> Option<BTreeSet<String>> {
    let terms = pv
        .spec
        .node_affinity
        .as_ref()?
        .get("required")?
        .get("nodeSelectorTerms")?
        .as_array()?;
    let mut hosts = BTreeSet::new();
    for term in terms {
        for expr in term
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if expr.get("key").and_then(Value::as_str) == Some("kubernetes.io/hostname") {
                for v in expr
                    .get("values")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(s) = v.as_str() {
                        hosts.insert(s.to_string());
                    }
                }
            }
        }
    }
    Some(hosts)
}

pub(crate) fn tolerates(pod: &Pod, taint: &Taint) -> bool {
    let Some(list) = pod.spec.tolerations.as_ref().and_then(Value::as_array) else {
        return false;
    };
    list.iter().any(|t| {
        let field = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("");
        let key_ok =
            field("key").is_empty() && field("operator") == "Exists" || field("key") == taint.key;
        let value_ok =
            field("operator") == "Exists" || field("value") == taint.value.as_deref().unwrap_or("");
        let effect_ok = field("effect").is_empty() || field("effect") == taint.effect;
        key_ok && value_ok && effect_ok
    })
}

/// The Filter phase for one node: Ok, or the reason as FitError words it.
fn filter(c: &Cluster, pod: &Pod, node: &Node, vols: &VolumeFacts) -> Result<(), String> {
    if node.is_unschedulable() {
        return Err("node(s) were unschedulable".into());
    }
    for taint in &node.spec.taints {
        if matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute") && !tolerates(pod, taint) {
            return Err(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key,
                taint.value.as_deref().unwrap_or("")
            ));
        }
    }
    let here = c.scheduler.on_node.get(&node.metadata.name);
    let running = here.map_or(0, |pods| {
        pods.len() - usize::from(pods.contains(&pod.metadata.uid))
    });
    if running >= c.config.max_pods_per_node {
        return Err("Too many pods".into());
    }
    if !pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
    {
        return Err("node(s) didn't match Pod's node affinity/selector".into());
    }
    if let Some(allowed) = &vols.allowed_nodes {
        if !allowed.contains(&node.metadata.name) {
            return Err("node(s) had volume node affinity conflict".into());
        }
    }
    if let Some(sel) = &vols.selected {
        if *sel != node.metadata.name {
            return Err("node(s) didn't find available persistent volumes to bind".into());
        }
    }
    Ok(())
}

/// Spreads pods: the feasible node running the fewest pods; ties are broken by the seeded RNG.
fn choose(c: &mut Cluster, feasible: &[String]) -> String {
    let load: BTreeMap<&str, usize> = feasible
        .iter()
        .map(|n| {
            (
                n.as_str(),
                c.scheduler.on_node.get(n).map_or(0, BTreeSet::len),
            )
        })
        .collect();
    let least = load.values().copied().min().unwrap_or(0);
    let tied: Vec<&str> = load
        .iter()
        .filter(|(_, n)| **n == least)
        .map(|(name, _)| *name)
        .collect();
    let pick = c.rng.below(tied.len() as u64) as usize;
    tied.get(pick)
        .map_or_else(|| feasible[0].clone(), |s| s.to_string())
}

/// Counts a pod against `node` before it is bound.
fn assume(c: &mut Cluster, pod: &Pod, node: &str) {
    let uid = &pod.metadata.uid;
    let st = &mut c.scheduler;
    if st.assumed.get(uid).is_some_and(|n| n == node) {
        return;
    }
    if let Some(old) = st.node_of.remove(uid) {
        if let Some(set) = st.on_node.get_mut(&old) {
            set.remove(uid);
        }
    }
    st.assumed.insert(uid.clone(), node.to_string());
    st.on_node
        .entry(node.to_string())
        .or_default()
        .insert(uid.clone());
    st.node_of.insert(uid.clone(), node.to_string());
}

fn bind(c: &mut Cluster, pod: &Pod, node: &str) {
    let now = c.now;
    let ns = pod.metadata.namespace.clone();
    c.store.modify::<Pod>(&ns, &pod.metadata.name, now, |p| {
        p.spec.node_name = Some(node.to_string());
        p.set_condition("PodScheduled", true, now);
    });
    c.scheduler
        .pending
        .remove(&ObjectKey::new(Kind::Pod, &ns, &pod.metadata.name));
    let msg = format!("Successfully assigned {ns}/{} to {node}", pod.metadata.name);
    c.record_event(pod, EventType::Normal, "Scheduled", &msg, SOURCE);
}

fn fail(c: &mut Cluster, pod: &Pod, message: &str, total: usize) {
    let message = format!(
        "{message} preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
    );
    let now = c.now;
    let mut changed = false;
    c.store
        .modify::<Pod>(&pod.metadata.namespace, &pod.metadata.name, now, |p| {
            let before = p.condition("PodScheduled").cloned();
            p.set_condition("PodScheduled", false, now);
            if let Some(cond) = p
                .status
                .conditions
                .iter_mut()
                .find(|c| c.type_ == "PodScheduled")
            {
                cond.reason = Some("Unschedulable".into());
                cond.message = Some(message.clone());
            }
            changed = before.as_ref() != p.condition("PodScheduled");
        });
    if changed {
        c.record_event(
            pod,
            EventType::Warning,
            "FailedScheduling",
            &message,
            SOURCE,
        );
    }
}
