//! The simulated cluster: the store, the virtual clock and the controllers that react to it.
//!
//! Every change enters through the store. After each user action or timer, [`Cluster::settle`] reads the new
//! watch events, routes each to the work queues of the controllers that care, and drains the queues one item
//! per controller per round (a fixed order, so the interleaving is deterministic) until nothing is left. All of
//! that happens at a single virtual instant; anything that takes time — pulling an image, provisioning a
//! volume, a grace period — is a timer that fires later.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::clock::{Time, TimerQueue};
use crate::controllers::{
    daemonset, deployment, endpoints, gc, kubelet, replicaset, scheduler, service, statefulset,
    volume,
};
use crate::events::EventRecorder;
use crate::model::{Kind, Node, Object, Pod};
use crate::rng::Rng;
use crate::store::{ObjectKey, Store, WatchEventType};

/// How long the simulated machinery takes. Virtual milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timings {
    /// Creating the pod sandbox (network namespace, IP) after the pod lands on a node.
    pub sandbox_ms: u64,
    /// Pulling an image a node does not have yet.
    pub image_pull_ms: u64,
    /// Creating and starting a container once its image is present.
    pub container_start_ms: u64,
    /// The external provisioner creating a volume.
    pub provision_ms: u64,
    /// A container that handles SIGTERM shutting down.
    pub container_stop_ms: u64,
    /// A database server (mysqld) shutting down cleanly after SIGTERM: it flushes before it exits.
    pub database_stop_ms: u64,
    /// The cloud making a load balancer for a LoadBalancer Service.
    pub load_balancer_ms: u64,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            sandbox_ms: 1_000,
            image_pull_ms: 6_000,
            container_start_ms: 1_000,
            provision_ms: 2_000,
            container_stop_ms: 1_000,
            database_stop_ms: 2_000,
            load_balancer_ms: 3_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClusterConfig {
    pub seed: u64,
    pub cluster_domain: String,
    pub timings: Timings,
    /// Worker node names; a control-plane node (tainted NoSchedule) is always added, as in kind.
    pub workers: Vec<String>,
    /// The kubelet's `maxPods`: how many pods one node runs.
    pub max_pods_per_node: usize,
    /// CSI drivers installed besides what kind ships (its local-path provisioner): each runs an external
    /// provisioner and resizer, so classes naming it provision and expand volumes. None on a fresh kind cluster.
    pub csi_drivers: Vec<String>,
}

impl ClusterConfig {
    /// A cluster with `n` workers named `kind-worker`, `kind-worker2`, … (for large scenarios).
    pub fn with_workers(n: usize) -> ClusterConfig {
        let workers = (1..=n)
            .map(|i| {
                if i == 1 {
                    "kind-worker".to_string()
                } else {
                    format!("kind-worker{i}")
                }
            })
            .collect();
        ClusterConfig {
            workers,
            ..ClusterConfig::default()
        }
    }
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            seed: 1,
            cluster_domain: "cluster.local".to_string(),
            timings: Timings::default(),
            workers: vec!["kind-worker".to_string(), "kind-worker2".to_string()],
            max_pods_per_node: 110,
            csi_drivers: Vec::new(),
        }
    }
}

/// Work that waits for a moment on the virtual clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timer {
    Kubelet {
        pod: ObjectKey,
        uid: String,
        step: kubelet::Step,
    },
    Provision {
        claim: ObjectKey,
        uid: String,
    },
    SyncStatefulSet(ObjectKey),
    /// The storage machinery's own clocks: resync, provisioner retries, recycling, resizing.
    Volume(volume::Wake),
    /// The taint manager's check on a node that went NotReady at `since`.
    NodeEviction {
        node: String,
        since: Time,
    },
    /// The cloud has made the load balancer of a Service.
    LoadBalancer {
        service: ObjectKey,
        uid: String,
    },
    /// A MySQL replica's IO thread tries to connect to its primary again (`run` names the thread's start).
    Replication {
        server: (String, String),
        run: u64,
    },
    /// The scheduling queue moves a pod: its back-off is over, or it was unschedulable for five minutes.
    Scheduler(scheduler::Wake),
    /// The scheduler's wait in PreBind for the volumes of a pod it placed at `since` is over.
    BindTimeout {
        pod: ObjectKey,
        uid: String,
        since: Time,
    },
    /// Something in the containers changed outside the API ([`Cluster::runtime_changed`]): the kubelet looks at
    /// its probes again.
    ContainersChanged,
}

/// A de-duplicating FIFO of object keys, like client-go's workqueue: a key queued twice runs once.
#[derive(Debug, Default)]
pub struct WorkQueue {
    order: VecDeque<ObjectKey>,
    queued: BTreeSet<ObjectKey>,
}

impl WorkQueue {
    pub fn add(&mut self, key: ObjectKey) {
        if self.queued.insert(key.clone()) {
            self.order.push_back(key);
        }
    }

    pub fn pop(&mut self) -> Option<ObjectKey> {
        let key = self.order.pop_front()?;
        self.queued.remove(&key);
        Some(key)
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[derive(Debug, Default)]
pub(crate) struct Queues {
    pub statefulset: WorkQueue,
    pub replicaset: WorkQueue,
    pub deployment: WorkQueue,
    pub daemonset: WorkQueue,
    pub endpoints: WorkQueue,
    pub service: WorkQueue,
    pub scheduler: WorkQueue,
    pub kubelet: WorkQueue,
    pub volume: WorkQueue,
    pub gc: WorkQueue,
}

/// Addresses handed out to pods and Services.
#[derive(Debug, Default)]
pub(crate) struct Ipam {
    /// Next host number to try per node's pod CIDR.
    pub next_pod_host: BTreeMap<String, u32>,
    /// Pod IPs held by pods that still exist.
    pub pod_ips_in_use: BTreeSet<String>,
    pub used_service_ips: BTreeSet<String>,
}

pub struct Cluster {
    pub(crate) store: Store,
    pub(crate) now: Time,
    pub(crate) timers: TimerQueue<Timer>,
    pub(crate) rng: Rng,
    pub(crate) config: ClusterConfig,
    cursor: u64,
    pub(crate) queues: Queues,
    pub(crate) kubelet: kubelet::State,
    pub(crate) scheduler: scheduler::State,
    pub(crate) endpoints: endpoints::State,
    pub(crate) service: service::State,
    pub(crate) volume: volume::State,
    pub(crate) gc: gc::State,
    pub(crate) recorder: EventRecorder,
    /// The recent lookups of pods' resolvers ([`Cluster::dns_log`]).
    pub(crate) dns_log: VecDeque<crate::dns::DnsLogEntry>,
    /// What CoreDNS's `log` plugin printed for recent queries ([`Cluster::coredns_log`]).
    pub(crate) query_log: VecDeque<crate::dns::QueryLogLine>,
    /// What CoreDNS's kubernetes plugin last saw of each Service and EndpointSlice, as far as its answers go,
    /// and when that last changed (its SOA serial).
    pub(crate) dns_watch: crate::dns::Watch,
    /// The source of query ids, client ports and durations for those lines: a stream of its own, seeded from
    /// the cluster's seed, so logging never shifts the draws everything else makes.
    pub(crate) query_log_rng: Rng,
    pub(crate) ipam: Ipam,
    pub(crate) runtime: crate::runtime::State,
}

/// A bound on controller rounds in one call to `settle`, so a controller bug that loops cannot hang the app.
/// Work left over stays queued, and the next [`Cluster::step`] carries on with it before moving the clock.
const MAX_ROUNDS_PER_SETTLE: usize = 5_000_000;

impl Cluster {
    /// A fresh cluster like `kind create cluster` with two workers: namespaces, nodes, the default
    /// StorageClass `standard` (local-path, WaitForFirstConsumer) and the `kubernetes` and `kube-dns` Services.
    pub fn new(config: ClusterConfig) -> Cluster {
        let query_log_seed = config.seed ^ 0xC0DE_D115_0000_0053;
        let mut c = Cluster {
            store: Store::default(),
            now: Time::ZERO,
            timers: TimerQueue::default(),
            rng: Rng::new(config.seed),
            config,
            cursor: 0,
            queues: Queues::default(),
            kubelet: kubelet::State::default(),
            scheduler: scheduler::State::default(),
            endpoints: endpoints::State::default(),
            service: service::State::default(),
            volume: volume::State::default(),
            gc: gc::State::default(),
            recorder: EventRecorder::default(),
            dns_log: VecDeque::new(),
            query_log: VecDeque::new(),
            dns_watch: crate::dns::Watch::default(),
            query_log_rng: Rng::new(query_log_seed),
            ipam: Ipam::default(),
            runtime: Default::default(),
        };
        crate::bootstrap::install_defaults(&mut c);
        c.settle();
        c
    }

    pub fn now(&self) -> Time {
        self.now
    }

    /// Read-only access to every object.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.store.list::<Node>(None)
    }

    /// Queues `timer` for `after_ms` from now; answers the number that cancels it.
    pub(crate) fn schedule(&mut self, after_ms: u64, timer: Timer) -> u64 {
        self.timers.push(self.now.plus(after_ms), timer)
    }

    /// When the next timed entry is due, if any.
    pub fn next_timer(&self) -> Option<Time> {
        self.timers.next_due()
    }

    /// Runs the next timed entry (moving the clock to it) and everything it triggers. False when nothing is
    /// queued.
    pub fn step(&mut self) -> bool {
        if self.has_queued_work() {
            self.settle();
            return true;
        }
        let Some(due) = self.timers.next_due() else {
            return false;
        };
        self.now = self.now.max(due);
        // Everything due at this instant fires before the controllers react, like events arriving together.
        while let Some((_, timer)) = self.timers.pop_due(self.now) {
            self.fire(timer);
        }
        self.settle();
        self.catch_up_events(self.now);
        true
    }

    /// Moves the clock forward by `ms`, running every entry that falls due on the way, each at its own time.
    pub fn advance(&mut self, ms: u64) {
        let end = self.now.plus(ms);
        while self.has_queued_work() || self.timers.next_due().is_some_and(|t| t <= end) {
            self.step();
        }
        self.now = end;
        // What recurs without a timer (a probe that keeps failing) is brought up to the new time.
        self.catch_up_events(end);
    }

    /// Runs until nothing is queued. Returns the number of timer steps taken. Stops after `max_steps` in case a
    /// scenario never settles.
    pub fn run_until_idle(&mut self) -> usize {
        const MAX_STEPS: usize = 10_000_000;
        let mut steps = 0;
        while steps < MAX_STEPS && self.step() {
            steps += 1;
        }
        steps
    }

    fn fire(&mut self, timer: Timer) {
        match timer {
            Timer::Kubelet { pod, uid, step } => kubelet::on_timer(self, &pod, &uid, step),
            Timer::Provision { claim, uid } => volume::on_provisioned(self, &claim, &uid),
            Timer::SyncStatefulSet(key) => self.queues.statefulset.add(key),
            Timer::Volume(wake) => volume::on_wake(self, wake),
            Timer::NodeEviction { node, since } => {
                crate::faults::evict_from_unreachable_node(self, &node, since)
            }
            Timer::LoadBalancer { service, uid } => service::on_ensured(self, &service, &uid),
            Timer::Replication { server, run } => {
                crate::runtime::replication::on_retry(self, &server, run)
            }
            Timer::Scheduler(wake) => scheduler::on_wake(self, wake),
            Timer::BindTimeout { pod, uid, since } => {
                scheduler::on_bind_timeout(self, &pod, &uid, since)
            }
            Timer::ContainersChanged => {
                self.runtime_change_taken();
                kubelet::containers_changed(self);
            }
        }
    }

    /// Delivers new watch events to the controllers and runs them until all their queues are empty.
    ///
    /// The node-side loops (garbage collector, volumes, scheduler, kubelets) drain before the StatefulSet
    /// controller runs, so a burst of pod changes at one instant coalesces into one sync of their set, as a
    /// real workqueue coalesces events that arrive while a sync is pending.
    fn has_queued_work(&self) -> bool {
        let q = &self.queues;
        !(q.gc.is_empty()
            && q.volume.is_empty()
            && q.scheduler.is_empty()
            && q.kubelet.is_empty()
            && q.statefulset.is_empty()
            && q.replicaset.is_empty()
            && q.deployment.is_empty()
            && q.daemonset.is_empty()
            && q.endpoints.is_empty()
            && q.service.is_empty())
            || self.cursor != self.store.cursor()
    }

    pub(crate) fn settle(&mut self) {
        for _ in 0..MAX_ROUNDS_PER_SETTLE {
            self.route_new_events();
            if let Some(k) = self.queues.gc.pop() {
                gc::sync(self, &k);
            } else if let Some(k) = self.queues.volume.pop() {
                volume::sync(self, &k);
            } else if let Some(k) = self.queues.scheduler.pop() {
                scheduler::sync(self, &k);
            } else if let Some(k) = self.queues.kubelet.pop() {
                kubelet::sync(self, &k);
            } else if let Some(k) = self.queues.replicaset.pop() {
                replicaset::sync(self, &k);
            } else if let Some(k) = self.queues.statefulset.pop() {
                statefulset::sync(self, &k);
            } else if let Some(k) = self.queues.deployment.pop() {
                deployment::sync(self, &k);
            } else if let Some(k) = self.queues.daemonset.pop() {
                daemonset::sync(self, &k);
            } else if let Some(k) = self.queues.endpoints.pop() {
                endpoints::sync(self, &k);
            } else if let Some(k) = self.queues.service.pop() {
                service::sync(self, &k);
            } else {
                return;
            }
        }
    }

    fn route_new_events(&mut self) {
        let events: Vec<(WatchEventType, std::sync::Arc<Object>)> = self
            .store
            .events_since(self.cursor)
            .map(|e| (e.type_, std::sync::Arc::clone(&e.object)))
            .collect();
        self.cursor = self.store.cursor();
        self.store.compact(self.cursor);
        for (type_, obj) in events {
            gc::observe(self, type_, &obj);
            kubelet::observe_api(self, &obj);
            crate::controllers::publishers::observe(self, type_, &obj);
            crate::dns::observe(self, type_, &obj);
            if let (WatchEventType::Deleted, Object::PersistentVolume(pv)) = (type_, &*obj) {
                self.runtime_forget_volume(pv);
            }
            match &*obj {
                Object::StatefulSet(_) => self.queues.statefulset.add(ObjectKey::of(&obj)),
                Object::ReplicaSet(rs) => {
                    self.queues.replicaset.add(ObjectKey::of(&obj));
                    deployment::route_replica_set(self, rs);
                }
                Object::Deployment(_) => self.queues.deployment.add(ObjectKey::of(&obj)),
                Object::DaemonSet(_) => self.queues.daemonset.add(ObjectKey::of(&obj)),
                Object::Service(svc) => {
                    self.queues.endpoints.add(ObjectKey::of(&obj));
                    service::route(self, type_, svc);
                }
                Object::Pod(pod) => self.route_pod(type_, pod),
                Object::PersistentVolumeClaim(_)
                | Object::PersistentVolume(_)
                | Object::StorageClass(_) => volume::route(self, type_, &obj),
                Object::Node(_) => {
                    scheduler::requeue_pending(self);
                    daemonset::requeue_all(self);
                }
                _ => {}
            }
        }
    }

    fn route_pod(&mut self, type_: WatchEventType, pod: &Pod) {
        let key = ObjectKey::new(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name);
        // MySQL replicas reading from a server in this pod notice when it stops.
        crate::runtime::replication::pod_changed(self, &pod.metadata.uid);
        statefulset::route_pod(self, pod);
        // The ReplicaSet or DaemonSet that controls the pod hears of it.
        if let Some(owner) = pod.metadata.controller_ref() {
            let ns = &pod.metadata.namespace;
            match owner.kind.as_str() {
                "ReplicaSet" => {
                    self.queues
                        .replicaset
                        .add(ObjectKey::new(Kind::ReplicaSet, ns, &owner.name))
                }
                "DaemonSet" => {
                    self.queues
                        .daemonset
                        .add(ObjectKey::new(Kind::DaemonSet, ns, &owner.name))
                }
                _ => {}
            }
        }
        endpoints::route_pod(self, pod, type_ == WatchEventType::Deleted);
        volume::observe_pod(self, type_, pod);
        scheduler::observe_pod(self, type_, pod);
        if type_ == WatchEventType::Deleted {
            kubelet::forget(self, pod);
            self.runtime_forget_pod(&pod.metadata.uid);
            crate::system::observe_deleted(self, pod);
            return;
        }
        if pod.spec.node_name.is_none() {
            self.queues.scheduler.add(key);
        } else {
            self.queues.kubelet.add(key);
        }
    }
}
