//! What the view shows, read from the engine after every action: plain data the components compare cheaply.
//! Nothing here decides anything; it only reads the cluster through the engine's printers.

use std::collections::BTreeMap;

use ordinal_engine::model::{
    DaemonSet, Deployment, Event, Kind, Node, Object, PersistentVolume, PersistentVolumeClaim, Pod,
    ReplicaSet, Service, StatefulSet,
};
use ordinal_engine::parent_and_ordinal;
use ordinal_engine::store::Index;
use ordinal_engine::why::{self, Why};
use ordinal_engine::Cluster;
use ordinal_engine::ObjectKey;
use ordinal_kubectl::columns;
use ordinal_kubectl::printers::{age, human_duration, pod_cells};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub now_ms: u64,
    /// The namespace the view shows: the one `kubectl` typed in the terminal works in.
    pub namespace: String,
    pub sets: Vec<SetView>,
    /// Deployments with their ReplicaSets and pods, and DaemonSets with theirs.
    pub workloads: Vec<WorkloadView>,
    /// Every namespace, for the switcher.
    pub namespaces: Vec<String>,
    /// Pods no StatefulSet owns (a `kubectl run` pod, an orphan), the first [`SHOWN`] of them.
    pub other_pods: Vec<PodView>,
    /// How many more there are.
    pub more_pods: usize,
    pub services: Vec<ServiceView>,
    pub volumes: Vec<VolumeView>,
    /// How many volumes are not in `volumes` (past the first [`SHOWN`]).
    pub more_volumes: usize,
    pub nodes: Vec<NodeView>,
    pub events: Vec<EventView>,
    /// The namespace's Events along virtual time for the timeline (the newest [`MARKED`]): when, whether a
    /// Warning, and `reason object: message`.
    pub event_marks: Vec<(u64, bool, String)>,
    /// The most recent name lookups made in pods, newest first.
    pub dns: Vec<DnsLookupView>,
    /// What CoreDNS's log plugin printed for the most recent queries, oldest first.
    pub coredns_log: Vec<String>,
}

/// One lookup by a pod's resolver: who asked, what, every candidate of the search list with its answer code,
/// and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct DnsLookupView {
    /// How long ago, as kubectl prints ages.
    pub age: String,
    /// `namespace/pod`.
    pub client: String,
    pub name: String,
    /// (candidate name, NOERROR / NXDOMAIN / NODATA), in the order tried.
    pub tried: Vec<(String, String)>,
    /// The addresses it ended with; empty when the name was not found.
    pub answer: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    pub name: String,
    /// STATUS as `kubectl get nodes` prints it: `Ready`, `NotReady`, `Ready,SchedulingDisabled`.
    pub status: String,
    pub roles: String,
    pub pods: usize,
    pub ready: bool,
    pub cordoned: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SetView {
    pub name: String,
    pub namespace: String,
    /// READY as `kubectl get sts` prints it.
    pub ready: String,
    pub replicas: i32,
    pub policy: String,
    pub service: String,
    pub terminating: bool,
    /// One slot per ordinal that has a pod or a claim, in ordinal order: the first [`SHOWN`].
    pub slots: Vec<SlotView>,
    /// How many ordinals with a pod or a claim come after those.
    pub more: usize,
    /// The first container's name and image, for the image control.
    pub container: (String, String),
    /// `RollingUpdate` or `OnDelete`, and the partition when one is set.
    pub strategy: String,
    pub partition: Option<i32>,
    /// The next ordinal to be created, when it waits, and why (a slot of its own when it has no pod or claim).
    pub next: Option<(i32, Why)>,
    /// What the set as a whole waits for: the next pod a scale-down or an update takes, a partition.
    pub notes: Vec<Why>,
}

/// A Deployment (with a group per ReplicaSet) or a DaemonSet (one group), as `kubectl get` prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadView {
    /// `deployment.apps` or `daemonset.apps`.
    pub kind: String,
    pub name: String,
    /// The columns `kubectl get` prints after NAME, with their headers: READY 2/3, UP-TO-DATE 3 …
    pub facts: Vec<(String, String)>,
    pub groups: Vec<PodGroup>,
}

/// The pods of one ReplicaSet (or of a DaemonSet).
#[derive(Debug, Clone, PartialEq)]
pub struct PodGroup {
    /// `replicaset.apps/web-7d4b9c` with its READY column; empty for a DaemonSet.
    pub title: String,
    pub pods: Vec<PodView>,
    /// How many more pods than the first [`SHOWN`].
    pub more: usize,
}

/// The most Events the timeline marks.
pub const MARKED: usize = 300;

/// The most cards or rows of one kind the view draws: a set scaled to thousands shows its first ordinals and
/// how many more there are (the terminal lists them all), so reading and drawing the view stays quick.
pub const SHOWN: usize = 60;

#[derive(Debug, Clone, PartialEq)]
pub struct SlotView {
    pub ordinal: i32,
    pub pod: Option<PodView>,
    pub claims: Vec<ClaimView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodView {
    pub uid: String,
    pub name: String,
    pub ready: String,
    pub status: String,
    pub restarts: String,
    pub age: String,
    pub node: String,
    pub ip: String,
    /// Whether any container has a readiness probe (breaking readiness only means something then).
    pub has_probe: bool,
    pub readiness_broken: bool,
    pub crashing: bool,
    pub terminating: bool,
    /// Why it is not Running and Ready (or is going): empty when it is.
    pub why: Vec<Why>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimView {
    pub uid: String,
    pub name: String,
    pub status: String,
    pub volume: String,
    pub capacity: String,
    pub class: String,
    /// Why it is Pending, kept or going; empty when it is Bound and in use.
    pub why: Vec<Why>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceView {
    pub name: String,
    pub type_: String,
    pub cluster_ip: String,
    /// EXTERNAL-IP: a load balancer's address, `<pending>` until it has one, `<none>` otherwise.
    pub external_ip: String,
    pub ports: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VolumeView {
    pub name: String,
    /// STORAGECLASS: the class the volume was made for.
    pub class: String,
    pub capacity: String,
    pub reclaim: String,
    pub status: String,
    pub claim: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub last_seen: String,
    pub type_: String,
    pub reason: String,
    pub object: String,
    pub message: String,
}

/// kubectl's default namespace, where the terminal's `kubectl` works until an alias (the seminar's
/// `alias kubectl="kubectl -n $(id -un)"`) or a kubeconfig says otherwise; the view follows the terminal.
pub const NAMESPACE: &str = "default";

fn pod_view(pod: &Pod, c: &Cluster) -> PodView {
    let cells = pod_cells(pod, c.now());
    let faults = c.pod_faults(&pod.metadata.uid);
    PodView {
        uid: pod.metadata.uid.clone(),
        name: pod.metadata.name.clone(),
        ready: cells.ready,
        status: cells.status,
        restarts: cells.restarts,
        age: age(pod.metadata.creation_timestamp, c.now()),
        node: pod.spec.node_name.clone().unwrap_or_default(),
        ip: pod.status.pod_ip.clone().unwrap_or_default(),
        has_probe: pod
            .spec
            .containers
            .iter()
            .any(|ct| ct.readiness_probe.is_some()),
        readiness_broken: faults.0,
        crashing: faults.1,
        terminating: pod.metadata.is_terminating(),
        why: why::pod(c, &pod.metadata.namespace, &pod.metadata.name),
    }
}

/// `pod/web-0`: the OBJECT column of `kubectl get events`.
fn event_object(e: &Event) -> String {
    format!(
        "{}/{}",
        e.involved_object
            .kind
            .as_deref()
            .map(str::to_lowercase)
            .unwrap_or_default(),
        e.involved_object.name
    )
}

fn claim_view(pvc: &PersistentVolumeClaim, c: &Cluster) -> ClaimView {
    let status = if pvc.metadata.is_terminating() {
        "Terminating".to_string()
    } else {
        pvc.status.phase.clone()
    };
    ClaimView {
        uid: pvc.metadata.uid.clone(),
        name: pvc.metadata.name.clone(),
        status,
        volume: pvc.spec.volume_name.clone().unwrap_or_default(),
        capacity: pvc
            .status
            .capacity
            .get("storage")
            .cloned()
            .unwrap_or_default(),
        class: pvc.spec.storage_class_name.clone().unwrap_or_default(),
        why: why::claim(c, &pvc.metadata.namespace, &pvc.metadata.name),
    }
}

/// A set's ordinals as the store's indexes keep them, each list ordered: its pods', and each claim
/// template's claims'.
fn set_ordinals<'a>(
    store: &'a ordinal_engine::store::Store,
    set: &StatefulSet,
    templates: &[String],
) -> Vec<&'a BTreeMap<i32, usize>> {
    let mut lists: Vec<&BTreeMap<i32, usize>> = store
        .pod_ordinals(&set.metadata.uid, &set.metadata.name)
        .into_iter()
        .collect();
    for prefix in templates {
        let stem = prefix.strip_suffix('-').unwrap_or(prefix);
        lists.extend(store.claim_ordinals(&set.metadata.namespace, stem));
    }
    lists
}

/// The first `shown` of the ordinals in `lists` (the keys of each), each once, in order, and how many different
/// ones there are. A set scaled up and down has its pods and its claims each at 0..n with no gap: such lists are
/// counted from their ends, without a walk (at 100,000 pods, walking 200,000 keys was most of a read). Lists
/// with gaps are merged in one pass.
fn first_ordinals(lists: &[&BTreeMap<i32, usize>], shown: usize) -> (Vec<i32>, usize) {
    let runs: Option<Vec<(i64, i64)>> = lists
        .iter()
        .filter(|m| !m.is_empty())
        .map(|m| {
            let lo = i64::from(*m.keys().next()?);
            let hi = i64::from(*m.keys().next_back()?);
            (usize::try_from(hi - lo + 1).ok()? == m.len()).then_some((lo, hi))
        })
        .collect();
    if let Some(mut runs) = runs {
        ordinal_engine::sort::sort(&mut runs);
        let (mut first, mut count) = (Vec::new(), 0usize);
        let mut next = i64::MIN;
        for (lo, hi) in runs {
            let lo = lo.max(next);
            if lo > hi {
                continue;
            }
            count += usize::try_from(hi - lo + 1).unwrap_or(0);
            let mut o = lo;
            while o <= hi && first.len() < shown {
                first.push(i32::try_from(o).unwrap_or(i32::MAX));
                o += 1;
            }
            next = hi + 1;
        }
        return (first, count);
    }
    let mut heads: Vec<_> = lists.iter().map(|m| m.keys().copied().peekable()).collect();
    let (mut first, mut count) = (Vec::new(), 0usize);
    while let Some(least) = heads.iter_mut().filter_map(|h| h.peek().copied()).min() {
        for h in &mut heads {
            if h.peek() == Some(&least) {
                h.next();
            }
        }
        count += 1;
        if first.len() < shown {
            first.push(least);
        }
    }
    (first, count)
}

impl Snapshot {
    /// Reads what the view shows of `namespace` (nodes and volumes have none and are shown whole).
    pub fn read(c: &Cluster, namespace: &str) -> Snapshot {
        let store = c.store();
        let mut sets = Vec::new();
        let set_list: Vec<&StatefulSet> = store.list::<StatefulSet>(Some(namespace)).collect();
        // Whether a pod fills a slot of one of these sets: its controller, with its name.
        let owned = |pod: &Pod| {
            let Some(owner) = pod.metadata.controller_ref() else {
                return false;
            };
            set_list.iter().any(|set| {
                owner.uid == set.metadata.uid
                    && parent_and_ordinal(&pod.metadata.name)
                        .is_some_and(|(parent, _)| parent == set.metadata.name)
            })
        };
        for set in &set_list {
            // Every ordinal with a pod or a claim, from the store's ordinal indexes (the set's pods by its uid
            // and name, its claims by each template's stem), then views of the first few: at 100,000 pods
            // reading each object, and then each name, was most of a read's time.
            let templates: Vec<String> = set
                .spec
                .volume_claim_templates
                .iter()
                .map(|t| format!("{}-{}-", t.metadata.name, set.metadata.name))
                .collect();
            let (first, count) = first_ordinals(&set_ordinals(store, set, &templates), SHOWN);
            let slots = first
                .iter()
                .map(|&ordinal| {
                    let name = format!("{}-{ordinal}", set.metadata.name);
                    let pod = store
                        .get_typed::<Pod>(namespace, &name)
                        .filter(|p| owned(p))
                        .map(|p| pod_view(p, c));
                    let claims = templates
                        .iter()
                        .filter_map(|prefix| {
                            store.get_typed::<PersistentVolumeClaim>(
                                namespace,
                                &format!("{prefix}{ordinal}"),
                            )
                        })
                        .map(|pvc| claim_view(pvc, c))
                        .collect();
                    SlotView {
                        ordinal,
                        pod,
                        claims,
                    }
                })
                .collect();
            let explained = why::set_if_small(c, namespace, &set.metadata.name).unwrap_or_default();
            sets.push(SetView {
                name: set.metadata.name.clone(),
                namespace: set.metadata.namespace.clone(),
                ready: format!("{}/{}", set.status.ready_replicas, set.replicas()),
                replicas: set.replicas(),
                policy: set.spec.pod_management_policy.clone().unwrap_or_default(),
                service: set.service_name().to_string(),
                terminating: set.metadata.is_terminating(),
                slots,
                more: count.saturating_sub(SHOWN),
                next: explained.next,
                notes: explained.notes,
                container: set
                    .spec
                    .template
                    .spec
                    .containers
                    .first()
                    .map(|ct| (ct.name.clone(), ct.image.clone()))
                    .unwrap_or_default(),
                strategy: set
                    .spec
                    .update_strategy
                    .as_ref()
                    .and_then(|u| u.type_.clone())
                    .unwrap_or_else(|| "RollingUpdate".to_string()),
                partition: set
                    .spec
                    .update_strategy
                    .as_ref()
                    .and_then(|u| u.rolling_update.as_ref())
                    .and_then(|r| r.partition),
            });
        }
        // Deployments, each with its ReplicaSets (newest first, as a rollout makes them) and their pods; DaemonSets
        // with theirs. Their pods are not "other pods".
        let headers = |kind: Kind, cells: Vec<String>| -> Vec<(String, String)> {
            let names: &[&str] = match kind {
                Kind::Deployment => &["READY", "UP-TO-DATE", "AVAILABLE"],
                Kind::ReplicaSet => &["DESIRED", "CURRENT", "READY"],
                _ => &["DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE"],
            };
            names
                .iter()
                .zip(cells.into_iter().skip(1))
                .map(|(h, v)| (h.to_string(), v))
                .collect()
        };
        let group_of = |owner: &ordinal_engine::model::ObjectMeta, title: String| {
            let mut pods = Vec::new();
            let mut more = 0;
            for p in store.controlled_by::<Pod>(owner) {
                if pods.len() < SHOWN {
                    pods.push(pod_view(p, c));
                } else {
                    more += 1;
                }
            }
            PodGroup { title, pods, more }
        };
        let mut workloads = Vec::new();
        for d in store.list::<Deployment>(Some(namespace)) {
            let cells = columns::row(
                &Object::Deployment(Box::new(d.clone())),
                store,
                c.now(),
                false,
            );
            let mut sets: Vec<&ReplicaSet> =
                store.controlled_by::<ReplicaSet>(&d.metadata).collect();
            ordinal_engine::sort::by_key(&mut sets, |r| {
                std::cmp::Reverse(r.metadata.creation_timestamp)
            });
            let groups = sets
                .iter()
                .map(|r| {
                    let cells = columns::row(
                        &Object::ReplicaSet(Box::new((*r).clone())),
                        store,
                        c.now(),
                        false,
                    );
                    let ready = cells.get(3).cloned().unwrap_or_default();
                    let desired = cells.get(1).cloned().unwrap_or_default();
                    group_of(
                        &r.metadata,
                        format!(
                            "replicaset.apps/{} · {ready}/{desired} ready",
                            r.metadata.name
                        ),
                    )
                })
                .collect();
            workloads.push(WorkloadView {
                kind: "deployment.apps".into(),
                name: d.metadata.name.clone(),
                facts: headers(Kind::Deployment, cells),
                groups,
            });
        }
        for ds in store.list::<DaemonSet>(Some(namespace)) {
            let cells = columns::row(
                &Object::DaemonSet(Box::new(ds.clone())),
                store,
                c.now(),
                false,
            );
            workloads.push(WorkloadView {
                kind: "daemonset.apps".into(),
                name: ds.metadata.name.clone(),
                facts: headers(Kind::DaemonSet, cells),
                groups: vec![group_of(&ds.metadata, String::new())],
            });
        }
        let in_workload = |pod: &Pod| {
            pod.metadata.controller_ref().is_some_and(|r| {
                (r.kind == "ReplicaSet"
                    && store
                        .get_typed::<ReplicaSet>(namespace, &r.name)
                        .is_some_and(|rs| {
                            rs.metadata.uid == r.uid
                                && rs
                                    .metadata
                                    .controller_ref()
                                    .is_some_and(|o| o.kind == "Deployment")
                        }))
                    || r.kind == "DaemonSet"
            })
        };
        // The namespace's pods that fill no slot and belong to no workload shown: taken a controller at a time
        // (a controller's kind read from one of its pods), so the members of a set of 100,000 are not each
        // read. A set's pods are its members: the controller releases a pod it controls that is not.
        let mut other_keys: Vec<&ObjectKey> = Vec::new();
        for (uid, keys) in store.index_values(Index::PodByController) {
            if set_list.iter().any(|s| s.metadata.uid == uid) {
                continue;
            }
            let here = keys.iter().filter(|k| k.namespace == namespace);
            let mut here = here.peekable();
            let Some(first) = here
                .peek()
                .and_then(|k| store.get_typed::<Pod>(&k.namespace, &k.name))
            else {
                continue;
            };
            if uid.is_empty() || !in_workload(first) {
                other_keys.extend(here);
            }
        }
        ordinal_engine::sort::sort(&mut other_keys);
        let other_pods = other_keys
            .iter()
            .take(SHOWN)
            .filter_map(|k| store.get_typed::<Pod>(&k.namespace, &k.name))
            .map(|p| pod_view(p, c))
            .collect();
        let more_pods = other_keys.len().saturating_sub(SHOWN);
        // The cells `kubectl get svc` prints: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE.
        let services = store
            .list::<Service>(Some(namespace))
            .map(|s| {
                let cells =
                    columns::row(&Object::Service(Box::new(s.clone())), store, c.now(), false);
                let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
                ServiceView {
                    name: s.metadata.name.clone(),
                    type_: cell(1),
                    cluster_ip: cell(2),
                    external_ip: cell(3),
                    ports: cell(4),
                }
            })
            .collect();
        let more_volumes = store.count(Kind::PersistentVolume).saturating_sub(SHOWN);
        let volumes = store
            .list::<PersistentVolume>(None)
            .take(SHOWN)
            .map(|pv| VolumeView {
                name: pv.metadata.name.clone(),
                class: pv.class_name().to_string(),
                capacity: pv.capacity(),
                reclaim: pv
                    .spec
                    .persistent_volume_reclaim_policy
                    .clone()
                    .unwrap_or_default(),
                status: if pv.metadata.is_terminating() {
                    "Terminating".into()
                } else {
                    pv.status.phase.clone()
                },
                claim: pv.claim().unwrap_or_default(),
            })
            .collect();
        let nodes = store
            .list::<Node>(None)
            .map(|n| {
                let ready = n.is_ready();
                let cordoned = n.is_unschedulable();
                let mut status = if ready {
                    "Ready".to_string()
                } else {
                    "NotReady".to_string()
                };
                if cordoned {
                    status.push_str(",SchedulingDisabled");
                }
                let control_plane = n
                    .metadata
                    .labels
                    .contains_key("node-role.kubernetes.io/control-plane");
                NodeView {
                    name: n.metadata.name.clone(),
                    status,
                    roles: if control_plane {
                        "control-plane".into()
                    } else {
                        "<none>".into()
                    },
                    pods: store.indexed_len(Index::PodByNode, &n.metadata.name),
                    ready,
                    cordoned,
                }
            })
            .collect();
        // The newest twelve, newest first, as the end of `kubectl get events` shows them: from the store's
        // order of Events by time, without reading them all.
        let recent: Vec<&Event> = store.newest_events(namespace).take(12).collect();
        let events = recent
            .iter()
            .map(|e| EventView {
                last_seen: e
                    .last_timestamp
                    .map(|t| human_duration(c.now().since(t)))
                    .unwrap_or_default(),
                type_: e.type_.clone(),
                reason: e.reason.clone(),
                object: event_object(e),
                message: e.message.clone(),
            })
            .collect();
        let event_marks = store
            .newest_events(namespace)
            .take(MARKED)
            .filter_map(|e| {
                let at = e.last_timestamp?.millis();
                let object = event_object(e);
                Some((
                    at,
                    e.type_ == "Warning",
                    format!("{} {object}: {}", e.reason, e.message),
                ))
            })
            .collect();
        let dns = c
            .dns_log()
            .rev()
            .filter(|e| e.client.is_some())
            .take(8)
            .map(|e| DnsLookupView {
                age: human_duration(c.now().since(e.at)),
                client: format!("{}/{}", e.namespace, e.client.clone().unwrap_or_default()),
                name: e.name.clone(),
                tried: e
                    .tried
                    .iter()
                    .map(|(n, code)| (n.clone(), (*code).to_string()))
                    .collect(),
                answer: e.answer.clone(),
            })
            .collect();
        let log = c.coredns_log();
        let skip = log.len().saturating_sub(40);
        let coredns_log = log.skip(skip).map(|l| l.text.clone()).collect();
        let namespaces = store
            .list::<ordinal_engine::model::Namespace>(None)
            .map(|n| n.metadata.name.clone())
            .collect();
        Snapshot {
            now_ms: c.now().millis(),
            namespace: namespace.to_string(),
            sets,
            workloads,
            namespaces,
            other_pods,
            more_pods,
            services,
            volumes,
            more_volumes,
            nodes,
            events,
            event_marks,
            dns,
            coredns_log,
        }
    }
}

/// `statefulset.apps/web`: the name kubectl prints for a StatefulSet.
pub fn sts_ref(name: &str) -> String {
    format!("{}/{name}", Kind::StatefulSet.qualified_singular())
}

#[cfg(test)]
mod tests {
    use super::{first_ordinals, set_ordinals};
    use ordinal_engine::model::{Kind, StatefulSet};
    use ordinal_engine::store::Index;
    use ordinal_engine::{parent_and_ordinal, Cluster, ClusterConfig};
    use std::collections::BTreeMap;

    /// What the store's ordinal indexes answer for a set equals what reading every key gives (the pods its
    /// uid controls named after it, and every claim named after a template), through scaling, a retained
    /// claim, a pod renamed by hand, deletion with orphaning, and adoption back.
    #[test]
    fn set_ordinals_from_the_indexes_match_reading_every_key() {
        let keys_way = |c: &Cluster, set: &StatefulSet, templates: &[String]| {
            let store = c.store();
            let mut v: Vec<i32> = store
                .indexed_keys(Index::PodByController, &set.metadata.uid)
                .filter_map(|k| parent_and_ordinal(&k.name))
                .filter(|(parent, _)| *parent == set.metadata.name)
                .map(|(_, o)| o)
                .collect();
            for prefix in templates {
                v.extend(
                    store
                        .names_with_prefix(Kind::PersistentVolumeClaim, "default", prefix)
                        .filter_map(|n| n.strip_prefix(prefix.as_str()))
                        .filter_map(|rest| rest.parse::<i32>().ok()),
                );
            }
            ordinal_engine::sort::sort(&mut v);
            v
        };
        let check = |c: &Cluster, when: &str| {
            let set = c.stateful_set("default", "web").cloned();
            let Some(set) = set else { return };
            let templates = ["www-web-".to_string()];
            let mut ours = keys_of(&set_ordinals(c.store(), &set, &templates));
            ordinal_engine::sort::sort(&mut ours);
            assert_eq!(ours, keys_way(c, &set, &templates), "{when}");
        };
        let mut c = Cluster::new(ClusterConfig::default());
        let yaml = include_str!("../crates/kubectl/catalogue/application/web/web.yaml");
        c.apply_manifest(yaml, "web.yaml", "default")
            .expect("applies");
        c.run_until_idle();
        check(&c, "two pods, two claims");
        c.scale(Kind::StatefulSet, "default", "web", 5)
            .expect("scales");
        c.run_until_idle();
        check(&c, "five");
        c.scale(Kind::StatefulSet, "default", "web", 1)
            .expect("scales");
        c.run_until_idle();
        check(&c, "one pod, five claims kept");
        assert_eq!(
            keys_of(&set_ordinals(
                c.store(),
                c.stateful_set("default", "web").expect("set"),
                &["www-web-".into()]
            ))
            .len(),
            6
        );
        c.delete(
            &ordinal_engine::ObjectKey::new(Kind::StatefulSet, "default", "web"),
            ordinal_engine::DeleteOptions {
                grace_period_seconds: None,
                propagation: ordinal_engine::Propagation::Orphan,
            },
        )
        .expect("deletes");
        c.run_until_idle();
        c.apply_manifest(yaml, "web.yaml", "default")
            .expect("applies");
        c.run_until_idle();
        check(&c, "adopted back");
    }

    /// The first ordinals and their count, as sorting and removing repeats gives them.
    fn by_sorting(mut v: Vec<i32>, shown: usize) -> (Vec<i32>, usize) {
        ordinal_engine::sort::sort(&mut v);
        v.dedup();
        let n = v.len();
        v.truncate(shown);
        (v, n)
    }

    /// Every key of every list, repeats kept.
    fn keys_of(lists: &[&BTreeMap<i32, usize>]) -> Vec<i32> {
        lists.iter().flat_map(|m| m.keys().copied()).collect()
    }

    #[test]
    fn the_first_ordinals_are_those_sorting_gives_with_or_without_gaps() {
        let mut seed = 7u64;
        let mut next = move |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let list =
            |v: Vec<i32>| -> BTreeMap<i32, usize> { v.into_iter().map(|o| (o, 1)).collect() };
        let random = (0..500)
            .map(|_| i32::try_from(next(700)).unwrap_or(0))
            .collect::<Vec<_>>();
        // Each case: the lists of one set (its pods', its claims'), with and without gaps, overlapping or not.
        let cases: Vec<Vec<BTreeMap<i32, usize>>> = vec![
            vec![],
            vec![list(vec![])],
            vec![list(vec![0])],
            vec![list(vec![5]), list(vec![5]), list(vec![5])],
            vec![list((0..100_000).collect()), list((0..90_000).collect())],
            vec![list((0..3).collect()), list((5..9).collect())],
            vec![list((4..10).collect()), list((0..5).collect())],
            vec![list(vec![2_000_000_000, 3, 1])],
            vec![list(vec![i32::MIN, i32::MAX]), list(vec![0])],
            vec![list(vec![-1, 4, 0]), list((0..5).collect())],
            vec![list(random[..250].to_vec()), list(random[250..].to_vec())],
            vec![list((0..64).collect()), list((64..130).collect())],
            vec![
                list((0..1000).filter(|o| o % 7 != 3).collect()),
                list((0..990).collect()),
            ],
        ];
        for lists in cases {
            let refs: Vec<&BTreeMap<i32, usize>> = lists.iter().collect();
            for shown in [0, 1, 60, 1_000] {
                assert_eq!(
                    first_ordinals(&refs, shown),
                    by_sorting(keys_of(&refs), shown),
                    "{shown} of {:?}",
                    refs.iter().map(|m| m.len()).collect::<Vec<_>>()
                );
            }
        }
    }
}
