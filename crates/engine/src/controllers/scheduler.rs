//! The scheduler: puts each pending pod on a node. It honours cordoned and NotReady nodes, NoSchedule taints,
//! `nodeSelector`, and the VolumeBinding plugin (k8s-behaviour.md 2.6; upstream
//! `pkg/scheduler/framework/plugins/volumebinding/volume_binding.go` and `binder.go`): a missing, terminating,
//! lost or Immediate-unbound claim stops scheduling; bound local volumes narrow the nodes looked at; a
//! WaitForFirstConsumer claim needs, on the node, a static volume of its class that fits or a class that can
//! provision there (its provisioner, its `allowedTopologies`). The chosen node is written on claims to
//! provision and static volumes are pre-bound, then the pod waits in PreBind, counted on its node, until its
//! claims are bound — or ten minutes pass and it is tried again.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::cluster::{Cluster, Timer};
use crate::controllers::volume;
use crate::events::{EventType, Source};
use crate::model::cluster::Taint;
use crate::model::{Kind, Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass};
use crate::store::{ObjectKey, WatchEventType};

const SOURCE: Source = Source::events_api("default-scheduler");
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

#[derive(Debug, Default)]
pub struct State {
    /// Pods without a node and not being deleted: the ones worth retrying when something changes.
    pending: BTreeSet<ObjectKey>,
    /// Pods bound to each node, by uid, for spreading without listing every pod.
    on_node: BTreeMap<String, BTreeSet<String>>,
    /// Where each bound pod is, by uid, to keep `on_node` right when it goes.
    node_of: BTreeMap<String, String>,
    /// Pods the scheduler has placed but not bound yet (waiting for their volumes), by uid, with their node
    /// and when: they count against their node like the real scheduler's assumed pods.
    assumed: BTreeMap<String, (String, crate::clock::Time)>,
    /// The PreBind timeout timer of each assumed pod, by uid, to cancel when the wait ends early.
    bind_timeouts: BTreeMap<String, u64>,
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
        if st.assumed.remove(uid).is_some() {
            cancel_bind_timeout(c, uid);
        }
        return;
    }
    if pod.spec.node_name.is_some() {
        st.assumed.remove(uid);
    }
    let node = pod
        .spec
        .node_name
        .as_ref()
        .or_else(|| st.assumed.get(uid).map(|(n, _)| n));
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
    if let Some((node, _)) = c.scheduler.assumed.get(&pod.metadata.uid).cloned() {
        return pre_bind(c, &pod, &node);
    }
    let total = c.store.list::<Node>(None).count();
    let claims = match pre_filter(c, &pod) {
        Err(reason) => {
            let message = format!("0/{total} nodes are available: {reason}.");
            return fail(c, &pod, &message, total);
        }
        Ok(claims) => claims,
    };
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut feasible = Vec::new();
    let nodes: Vec<Node> = c.store.list::<Node>(None).cloned().collect();
    for node in &nodes {
        // Nodes the bound volumes rule out are not filtered at all (VolumeBinding's PreFilterResult).
        if claims
            .eligible
            .as_ref()
            .is_some_and(|e| !e.contains(&node.metadata.name))
        {
            *reasons
                .entry("node(s) didn't satisfy plugin(s) [VolumeBinding]".into())
                .or_default() += 1;
            continue;
        }
        match filter(c, &pod, node, &claims) {
            Ok(()) => feasible.push(node.metadata.name.clone()),
            Err(why) => {
                for r in why {
                    *reasons.entry(r).or_default() += 1;
                }
            }
        }
    }
    if feasible.is_empty() {
        // FitError.Error: "<count> <reason>" strings, sorted as strings.
        let mut list: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        list.sort();
        let message = format!("0/{total} nodes are available: {}.", list.join(", "));
        return fail(c, &pod, &message, total);
    }
    let node = choose(c, &feasible);
    let Some(chosen) = nodes.iter().find(|n| n.metadata.name == node) else {
        return;
    };
    let plan = find_pod_volumes(c, chosen, &claims).unwrap_or_default();
    if plan.bindings.is_empty() && plan.provisions.is_empty() {
        return bind(c, &pod, &node);
    }
    // Reserve, then PreBind: pre-bind the chosen volumes, tell the provisioner where the pod goes, and wait
    // for the PV controller to finish (binder.go `BindPodVolumes`), counting the pod against its node.
    let now = c.now;
    assume(c, &pod, &node);
    for (claim, pv) in &plan.bindings {
        let Some(pvc) = c
            .store
            .get_typed::<PersistentVolumeClaim>(&pod.metadata.namespace, claim)
            .cloned()
        else {
            continue;
        };
        c.store.modify::<PersistentVolume>("", pv, now, |v| {
            volume::pre_bind(v, &pvc);
        });
    }
    for claim in &plan.provisions {
        c.store
            .modify::<PersistentVolumeClaim>(&pod.metadata.namespace, claim, now, |pvc| {
                pvc.metadata
                    .annotations
                    .entry(SELECTED_NODE.to_string())
                    .or_insert_with(|| node.clone());
            });
    }
    let timer = c.schedule(
        BIND_TIMEOUT_MS,
        Timer::BindTimeout {
            pod: key.clone(),
            uid: pod.metadata.uid.clone(),
            since: now,
        },
    );
    c.scheduler
        .bind_timeouts
        .insert(pod.metadata.uid.clone(), timer);
}

/// `bindTimeoutSeconds` of the VolumeBinding plugin: how long PreBind waits for the volumes.
const BIND_TIMEOUT_MS: u64 = 600_000;

/// PreBind's wait (binder.go `checkBindings`): the pod is bound to its node once every claim is fully bound; a
/// claim whose provisioner gave the node back (it removed `selected-node`) fails the attempt.
fn pre_bind(c: &mut Cluster, pod: &Pod, node: &str) {
    let ns = &pod.metadata.namespace;
    for claim in pod.claim_names() {
        let Some(pvc) = c.store.get_typed::<PersistentVolumeClaim>(ns, claim) else {
            return;
        };
        if fully_bound(pvc) {
            continue;
        }
        let delayed = pvc.spec.volume_name.as_deref().is_none_or(str::is_empty);
        if delayed
            && pvc
                .metadata
                .annotations
                .get(SELECTED_NODE)
                .map(String::as_str)
                != Some(node)
        {
            let message = format!(
                "running PreBind plugin \"VolumeBinding\": binding volumes: provisioning failed for PVC \"{claim}\""
            );
            cancel_bind_timeout(c, &pod.metadata.uid);
            return pre_bind_failed(c, pod, &message);
        }
        return;
    }
    bind(c, pod, node);
}

/// PreBind ran out of time, or failed: the pod is no longer counted on its node and goes back to the queue
/// (its claims keep what was written, so it is placed the same way again).
fn pre_bind_failed(c: &mut Cluster, pod: &Pod, message: &str) {
    let uid = &pod.metadata.uid;
    if let Some((node, _)) = c.scheduler.assumed.remove(uid) {
        if let Some(set) = c.scheduler.on_node.get_mut(&node) {
            set.remove(uid);
        }
        c.scheduler.node_of.remove(uid);
    }
    let now = c.now;
    c.store
        .modify::<Pod>(&pod.metadata.namespace, &pod.metadata.name, now, |p| {
            p.set_condition("PodScheduled", false, now);
            if let Some(cond) = p
                .status
                .conditions
                .iter_mut()
                .find(|c| c.type_ == "PodScheduled")
            {
                cond.reason = Some("SchedulerError".into());
                cond.message = Some(message.to_string());
            }
        });
    c.record_event(pod, EventType::Warning, "FailedScheduling", message, SOURCE);
    c.queues.scheduler.add(ObjectKey::new(
        Kind::Pod,
        &pod.metadata.namespace,
        &pod.metadata.name,
    ));
}

/// The bind timeout of a pod assumed at `since` fell due.
pub(crate) fn on_bind_timeout(
    c: &mut Cluster,
    key: &ObjectKey,
    uid: &str,
    since: crate::clock::Time,
) {
    if c.scheduler.assumed.get(uid).map(|(_, t)| *t) != Some(since) {
        return;
    }
    c.scheduler.bind_timeouts.remove(uid);
    let Some(pod) = c
        .store
        .get_typed::<Pod>(&key.namespace, &key.name)
        .filter(|p| p.metadata.uid == uid)
        .cloned()
    else {
        return;
    };
    pre_bind_failed(
        c,
        &pod,
        "running PreBind plugin \"VolumeBinding\": binding volumes: context deadline exceeded",
    );
}

/// A pod's wait in PreBind ended (bound, failed, or the pod is gone): its timeout must not keep the clock
/// running.
fn cancel_bind_timeout(c: &mut Cluster, uid: &str) {
    if let Some(timer) = c.scheduler.bind_timeouts.remove(uid) {
        c.timers.cancel(timer);
    }
}

/// `isPVCFullyBound`: a volume name and the controller's bind-completed annotation.
fn fully_bound(pvc: &PersistentVolumeClaim) -> bool {
    pvc.spec
        .volume_name
        .as_deref()
        .is_some_and(|v| !v.is_empty())
        && pvc
            .metadata
            .annotations
            .contains_key(volume::BIND_COMPLETED)
}

/// A pod's claims as the VolumeBinding plugin's PreFilter sorts them (binder.go `GetPodVolumeClaims`).
struct PodClaims {
    /// Bound claims' volumes (`None`: the volume is gone).
    bound: Vec<Option<PersistentVolume>>,
    /// Unbound claims of WaitForFirstConsumer classes, smallest request first (`byPVCSize`).
    delayed: Vec<PersistentVolumeClaim>,
    /// The nodes local volumes of bound claims allow (`GetEligibleNodes`); `None`: any node.
    eligible: Option<BTreeSet<String>>,
}

/// PreFilter: a missing, terminating or lost claim, or an unbound claim of an Immediate class, stops
/// scheduling for every node.
fn pre_filter(c: &Cluster, pod: &Pod) -> Result<PodClaims, String> {
    let ns = &pod.metadata.namespace;
    let mut claims = PodClaims {
        bound: Vec::new(),
        delayed: Vec::new(),
        eligible: None,
    };
    let mut immediate = false;
    for claim in pod.claim_names() {
        let Some(pvc) = c.store.get_typed::<PersistentVolumeClaim>(ns, claim) else {
            return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
        };
        if pvc.metadata.is_terminating() {
            return Err(format!(
                "persistentvolumeclaim \"{claim}\" is being deleted"
            ));
        }
        if pvc.status.phase == "Lost" {
            return Err(format!(
                "persistentvolumeclaim \"{claim}\" bound to non-existent persistentvolume \"{}\"",
                pvc.spec.volume_name.as_deref().unwrap_or("")
            ));
        }
        if fully_bound(pvc) {
            let name = pvc.spec.volume_name.clone().unwrap_or_default();
            claims
                .bound
                .push(c.store.get_typed::<PersistentVolume>("", &name).cloned());
            continue;
        }
        let class = volume::claim_class(pvc);
        let delay = !class.is_empty()
            && c.store
                .get_typed::<StorageClass>("", &class)
                .is_some_and(StorageClass::waits_for_first_consumer);
        // A claim naming its volume is bound as an immediate one, by the PV controller.
        if delay && pvc.spec.volume_name.as_deref().is_none_or(str::is_empty) {
            claims.delayed.push(pvc.clone());
        } else {
            immediate = true;
        }
    }
    if immediate {
        return Err("pod has unbound immediate PersistentVolumeClaims".to_string());
    }
    claims.delayed.sort_by_key(volume::request);
    for pv in claims.bound.iter().flatten() {
        if let Some(hosts) = local_volume_nodes(pv) {
            let eligible = claims.eligible.get_or_insert_with(|| hosts.clone());
            eligible.retain(|h| hosts.contains(h));
        }
    }
    Ok(claims)
}

/// `GetLocalPersistentVolumeNodeNames`: the node names a volume's required node affinity lists under
/// `kubernetes.io/hostname In`, when it has any.
fn local_volume_nodes(pv: &PersistentVolume) -> Option<BTreeSet<String>> {
    let terms = pv
        .spec
        .node_affinity
        .as_ref()?
        .pointer("/required/nodeSelectorTerms")?
        .as_array()?;
    let mut names = BTreeSet::new();
    for term in terms {
        let mut in_term: Option<BTreeSet<String>> = None;
        for expr in term
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if expr.get("key").and_then(Value::as_str) == Some("kubernetes.io/hostname")
                && expr.get("operator").and_then(Value::as_str) == Some("In")
            {
                let values: BTreeSet<String> = strings(expr.get("values")).collect();
                in_term = Some(match in_term {
                    None => values,
                    Some(prev) => prev.intersection(&values).cloned().collect(),
                });
            }
        }
        names.extend(in_term.unwrap_or_default());
    }
    (!names.is_empty()).then_some(names)
}

fn strings(v: Option<&Value>) -> impl Iterator<Item = String> + '_ {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
}

/// Whether a node satisfies a `nodeSelectorTerms` list: some term whose every expression holds for its labels
/// (and `matchFields` for its name), as component-helpers' `nodeaffinity.NodeSelector` decides. A term with
/// no requirement matches nothing.
pub fn node_selector_matches(terms: &Value, node: &Node) -> bool {
    let labels = &node.metadata.labels;
    let holds = |expr: &Value, value: Option<&str>| {
        let values: Vec<String> = strings(expr.get("values")).collect();
        let number = |s: &str| s.parse::<i64>().ok();
        let bound = values.first().and_then(|v| number(v));
        match expr.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
            "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            "Gt" => matches!((value.and_then(number), bound), (Some(a), Some(b)) if a > b),
            "Lt" => matches!((value.and_then(number), bound), (Some(a), Some(b)) if a < b),
            _ => false,
        }
    };
    let list = |term: &Value, key: &str| -> Vec<Value> {
        term.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    terms.as_array().into_iter().flatten().any(|term| {
        let exprs = list(term, "matchExpressions");
        let fields = list(term, "matchFields");
        (!exprs.is_empty() || !fields.is_empty())
            && exprs.iter().all(|e| {
                let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                holds(e, labels.get(key).map(String::as_str))
            })
            && fields.iter().all(|f| {
                f.get("key").and_then(Value::as_str) == Some("metadata.name")
                    && holds(f, Some(node.metadata.name.as_str()))
            })
    })
}

/// `CheckNodeAffinity`: a volume without required node affinity fits every node.
pub fn volume_fits_node(pv: &PersistentVolume, node: &Node) -> bool {
    match pv
        .spec
        .node_affinity
        .as_ref()
        .and_then(|a| a.pointer("/required/nodeSelectorTerms"))
    {
        None => true,
        Some(terms) => node_selector_matches(terms, node),
    }
}

/// `MatchTopologySelectorTerms`: a class's `allowedTopologies` allow a node when some term's every label
/// expression names a label the node has, with one of the values listed. No terms: every node.
fn topology_allows(allowed: Option<&Value>, node: &Node) -> bool {
    let Some(terms) = allowed.and_then(Value::as_array).filter(|t| !t.is_empty()) else {
        return true;
    };
    terms.iter().any(|term| {
        term.get("matchLabelExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .all(|e| {
                let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                node.metadata
                    .labels
                    .get(key)
                    .is_some_and(|v| strings(e.get("values")).any(|x| x == *v))
            })
    })
}

/// What binding a pod's delayed claims on one node takes: static volumes to pre-bind, claims to provision.
#[derive(Debug, Default)]
struct PodVolumes {
    /// (claim, volume) pairs.
    bindings: Vec<(String, String)>,
    provisions: Vec<String>,
}

/// Why a node cannot hold the pod's volumes, as binder.go words it.
const NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
const BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
const PV_NOT_EXIST: &str =
    "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

/// binder.go `FindPodVolumes` for one node: bound volumes must allow the node; each delayed claim needs a
/// static volume of its class that fits the node, or a class that can provision there — a provisioner other
/// than `kubernetes.io/no-provisioner`, and `allowedTopologies` the node's labels meet. A claim whose
/// provisioning already started on another node rules this one out. The reasons come in binder.go's order.
fn find_pod_volumes(
    c: &Cluster,
    node: &Node,
    claims: &PodClaims,
) -> Result<PodVolumes, Vec<&'static str>> {
    let mut node_conflict = false;
    let mut pv_missing = false;
    for pv in &claims.bound {
        match pv {
            None => pv_missing = true,
            Some(pv) if !volume_fits_node(pv, node) => node_conflict = true,
            Some(_) => {}
        }
    }
    let mut plan = PodVolumes::default();
    let mut bind_conflict = false;
    let mut chosen: BTreeSet<String> = BTreeSet::new();
    for pvc in &claims.delayed {
        let name = pvc.metadata.name.clone();
        match pvc.metadata.annotations.get(SELECTED_NODE) {
            Some(selected) if *selected != node.metadata.name => {
                bind_conflict = true;
                break;
            }
            Some(_) => {}
            None => {
                if let Some(pv) = volume::find_volume_for_node(c, pvc, node, &chosen) {
                    chosen.insert(pv.clone());
                    plan.bindings.push((name, pv));
                    continue;
                }
            }
        }
        let class = c
            .store
            .get_typed::<StorageClass>("", &volume::claim_class(pvc));
        let can_provision = class.is_some_and(|sc| {
            !sc.provisioner.is_empty()
                && sc.provisioner != volume::NO_PROVISIONER
                && topology_allows(sc.allowed_topologies.as_ref(), node)
        });
        if can_provision {
            plan.provisions.push(name);
        } else {
            bind_conflict = true;
        }
    }
    let mut reasons = Vec::new();
    if node_conflict {
        reasons.push(NODE_CONFLICT);
    }
    if bind_conflict {
        reasons.push(BIND_CONFLICT);
    }
    if pv_missing {
        reasons.push(PV_NOT_EXIST);
    }
    if reasons.is_empty() {
        Ok(plan)
    } else {
        Err(reasons)
    }
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

/// The Filter phase for one node: Ok, or the reasons as FitError words them. The first plugin that rejects the
/// node ends its filtering, in the default profile's order (NodeUnschedulable, TaintToleration, NodeAffinity,
/// NodeResourcesFit, VolumeBinding).
fn filter(c: &Cluster, pod: &Pod, node: &Node, claims: &PodClaims) -> Result<(), Vec<String>> {
    if node.is_unschedulable() {
        return Err(vec!["node(s) were unschedulable".into()]);
    }
    for taint in &node.spec.taints {
        if matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute") && !tolerates(pod, taint) {
            return Err(vec![format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key,
                taint.value.as_deref().unwrap_or("")
            )]);
        }
    }
    if !pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
    {
        return Err(vec![
            "node(s) didn't match Pod's node affinity/selector".into()
        ]);
    }
    let here = c.scheduler.on_node.get(&node.metadata.name);
    let running = here.map_or(0, |pods| {
        pods.len() - usize::from(pods.contains(&pod.metadata.uid))
    });
    if running >= c.config.max_pods_per_node {
        return Err(vec!["Too many pods".into()]);
    }
    find_pod_volumes(c, node, claims)
        .map(|_| ())
        .map_err(|why| why.into_iter().map(str::to_string).collect())
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
    let now = c.now;
    let st = &mut c.scheduler;
    if st.assumed.get(uid).is_some_and(|(n, _)| n == node) {
        return;
    }
    if let Some(old) = st.node_of.remove(uid) {
        if let Some(set) = st.on_node.get_mut(&old) {
            set.remove(uid);
        }
    }
    st.assumed.insert(uid.clone(), (node.to_string(), now));
    st.on_node
        .entry(node.to_string())
        .or_default()
        .insert(uid.clone());
    st.node_of.insert(uid.clone(), node.to_string());
}

fn bind(c: &mut Cluster, pod: &Pod, node: &str) {
    cancel_bind_timeout(c, &pod.metadata.uid);
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
