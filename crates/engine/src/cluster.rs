//! The simulated cluster: the store, the virtual clock and the controllers that react to it.
//!
//! Every change enters through the store. After each user action or timer, `Cluster::settle` reads the new
//! watch events, routes each to the work queues of the controllers that care, and drains the queues one item
//! per controller per round (a fixed order, so the interleaving is deterministic) until nothing is left. All of
//! that happens at a single virtual instant; anything that takes time — pulling an image, provisioning a
//! volume, a grace period — is a timer that fires later.

// The cluster's own methods, kept beside the subsystems' data but here, so that those subsystems do not
// depend on the cluster that holds them.
mod api;
mod bootstrap;
mod dns;
mod events;
mod faults;
mod net;
mod node;
mod system;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::clock::{Time, TimerQueue};
pub use crate::config::{ClusterConfig, Timings};
use crate::controllers::{kubelet, Action, Controllers, Decision, Hint, View, Wake};
use crate::events::EventRecorder;
use crate::ipam::Ipam;
use crate::model::{Node, Object};
use crate::rng::Rng;
use crate::store::{ObjectKey, Store, WatchEventType};
pub use system::logs as system_pod_logs;

/// Work that waits for a moment on the virtual clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timer {
    /// A controller's own timer (a controller's `wake`).
    Controller(Wake),
    /// The taint manager's check on a node that went NotReady at `since`.
    NodeEviction { node: String, since: Time },
    /// The container runtime's own call back ([`crate::runtime::Node::wake_at`]).
    Runtime(crate::runtime::Wake),
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

pub struct Cluster {
    pub(crate) store: Store,
    pub(crate) now: Time,
    pub(crate) timers: TimerQueue<Timer>,
    pub(crate) rng: Rng,
    pub(crate) config: ClusterConfig,
    cursor: u64,
    /// The work queue of each controller, by its place in [`Controllers`].
    pub(crate) queues: [WorkQueue; Controllers::COUNT],
    pub(crate) controllers: Controllers,
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
    /// The timers controllers may cancel, by (place, the controller's handle): their sequence numbers.
    wake_handles: BTreeMap<(usize, crate::controllers::decision::Handle), u64>,
    /// The repeating Events controllers may stop, by (place, the controller's handle): the recorder's number.
    repeating_handles: BTreeMap<(usize, crate::controllers::decision::Handle), u64>,
    /// Decisions being applied, the innermost last: each frame is the deciding controller's place and the
    /// actions it has left. A continuation's decision is pushed as a new frame, so the actions run depth
    /// first, each decision's before the next action of the one that led to it — and the work in progress is
    /// state that can be left between two actions and taken up again.
    work: Vec<(usize, std::vec::IntoIter<Action>)>,
    /// Watch events being handed on, by batch (a settle nested in a controller's work routes its own batch
    /// first): each event with the next step of handing it on ([`Cluster::route_step`]).
    routing: Vec<VecDeque<(WatchEventType, std::sync::Arc<Object>, usize)>>,
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
            queues: std::array::from_fn(|_| WorkQueue::default()),
            controllers: Controllers::default(),
            recorder: EventRecorder::default(),
            dns_log: VecDeque::new(),
            query_log: VecDeque::new(),
            dns_watch: crate::dns::Watch::default(),
            query_log_rng: Rng::new(query_log_seed),
            ipam: Ipam::default(),
            runtime: Default::default(),
            wake_handles: BTreeMap::new(),
            repeating_handles: BTreeMap::new(),
            work: Vec::new(),
            routing: Vec::new(),
        };
        bootstrap::install_defaults(&mut c);
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

    /// A random suffix for a generated name (`kubectl create job --from`), from the cluster's seeded RNG.
    pub fn name_suffix(&mut self, n: usize) -> String {
        self.rng.safe_suffix(n)
    }

    /// Queues `timer` for `after_ms` from now; answers the number that cancels it.
    pub(crate) fn schedule(&mut self, after_ms: u64, timer: Timer) -> u64 {
        self.timers.push(self.now.plus(after_ms), timer)
    }

    /// The learner left the shell attached to a container's main process (`exit` after `kubectl run -it`,
    /// Ctrl-C, a closed terminal): the process ends with `code` now, and its kubelet reports the exit.
    pub fn end_main_process(&mut self, target: &crate::runtime::ContainerRef, code: i32) {
        self.tell(Hint::Kubelet(kubelet::Hint::MainProcessEnded {
            target: target.clone(),
            code,
        }));
    }

    /// Tells a controller something from outside the control loops (a fault the learner injects, a node coming
    /// back) and applies what it decides.
    pub(crate) fn tell(&mut self, hint: Hint) {
        self.apply(
            Controllers::KUBELET,
            Decision::from(vec![Action::Hint(hint)]),
        );
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
            Timer::Controller(wake) => {
                let view = View {
                    store: &self.store,
                    now: self.now,
                    config: &self.config,
                };
                let (place, controller) = self.controllers.woken(&wake);
                let decision = controller.wake(&view, wake);
                self.apply(place, decision);
            }
            Timer::NodeEviction { node, since } => {
                faults::evict_from_unreachable_node(self, &node, since)
            }
            Timer::Runtime(wake) => {
                crate::runtime::on_wake(self, &wake);
                if wake == crate::runtime::Wake::ContainersChanged {
                    self.tell(Hint::Kubelet(kubelet::Hint::ContainersChanged));
                }
            }
        }
    }

    fn has_queued_work(&self) -> bool {
        self.queues.iter().any(|q| !q.is_empty()) || self.cursor != self.store.cursor()
    }

    /// Delivers new watch events to the controllers and runs them until all their queues are empty: each round
    /// routes what the last one wrote, then takes one key from the first controller in [`Controllers`]' order
    /// that has work.
    pub(crate) fn settle(&mut self) {
        'round: for _ in 0..MAX_ROUNDS_PER_SETTLE {
            self.route_new_events();
            for place in 0..Controllers::COUNT {
                if let Some(key) = self.queues[place].pop() {
                    self.reconcile(place, &key);
                    continue 'round;
                }
            }
            return;
        }
    }

    /// Runs the controller at `place` on `key` and applies what it decided.
    fn reconcile(&mut self, place: usize, key: &ObjectKey) {
        let view = View {
            store: &self.store,
            now: self.now,
            config: &self.config,
        };
        let decision = self.controllers.at(place).reconcile(&view, key);
        self.apply(place, decision);
    }

    /// Hands every watch event since the last call to CoreDNS, the runtime and each controller in turn.
    fn route_new_events(&mut self) {
        let batch: VecDeque<(WatchEventType, std::sync::Arc<Object>, usize)> = self
            .store
            .events_since(self.cursor)
            .map(|e| (e.type_, std::sync::Arc::clone(&e.object), 0))
            .collect();
        self.cursor = self.store.cursor();
        self.store.compact(self.cursor);
        if batch.is_empty() {
            return;
        }
        let depth = self.routing.len();
        self.routing.push(batch);
        while self.routing.len() > depth {
            self.route_step();
        }
    }

    /// One step of handing on the first event of the innermost batch: CoreDNS and the runtime see it (step
    /// 0), then each controller in [`Controllers`]' order, then a deleted pod's leftovers go. Steps are taken
    /// one at a time so routing can stop between any two and take up again where it was.
    fn route_step(&mut self) {
        let Some(batch) = self.routing.last_mut() else {
            return;
        };
        let Some(entry) = batch.front_mut() else {
            self.routing.pop();
            return;
        };
        let (type_, obj, step) = (entry.0, std::sync::Arc::clone(&entry.1), entry.2);
        entry.2 += 1;
        if step > Controllers::COUNT {
            batch.pop_front();
        }
        match step {
            0 => {
                dns::observe(self, type_, &obj);
                match (type_, &*obj) {
                    (WatchEventType::Deleted, Object::PersistentVolume(pv)) => {
                        self.runtime.forget_volume(pv)
                    }
                    // MySQL replicas reading from a server in this pod notice when it stops.
                    (_, Object::Pod(pod)) => crate::runtime::pod_changed(self, &pod.metadata.uid),
                    _ => {}
                }
            }
            s if s <= Controllers::COUNT => self.route_to(s - 1, type_, &obj),
            _ => {
                if let (WatchEventType::Deleted, Object::Pod(pod)) = (type_, &*obj) {
                    self.runtime.forget_pod(&pod.metadata.uid);
                    system::observe_deleted(self, pod);
                }
            }
        }
    }

    /// Hands a watch event to the controller at `place`.
    fn route_to(&mut self, place: usize, type_: WatchEventType, obj: &std::sync::Arc<Object>) {
        let view = View {
            store: &self.store,
            now: self.now,
            config: &self.config,
        };
        let decision = self.controllers.at(place).route(&view, type_, obj);
        if !decision.is_empty() {
            self.apply(place, decision);
        }
    }

    /// Carries out what the controller at `place` decided, one action after the other, each through the write
    /// path it names; a continuation decides from the outcome, and its actions are applied before the next.
    pub(crate) fn apply(&mut self, place: usize, decision: Decision) {
        let depth = self.work.len();
        self.push(place, decision);
        while self.work.len() > depth {
            let Some((place, next)) = self
                .work
                .last_mut()
                .map(|(p, actions)| (*p, actions.next()))
            else {
                break;
            };
            match next {
                Some(action) => self.apply_action(place, action),
                None => {
                    self.work.pop();
                }
            }
        }
    }

    /// What a continuation decided goes on before the rest of the decision that led to it.
    fn push(&mut self, place: usize, decision: Decision) {
        if !decision.actions.is_empty() {
            self.work.push((place, decision.actions.into_iter()));
        }
    }

    fn apply_action(&mut self, place: usize, action: Action) {
        let now = self.now;
        match action {
            Action::Queue(key) => self.queues[place].add(key),
            Action::Create { object, then } => {
                let outcome = self.api_create_named(object);
                if let Some(then) = then {
                    let next = then(outcome.as_deref());
                    self.push(place, next);
                }
            }
            Action::Insert(object) => {
                let _ = self.store.create(object, now);
            }
            Action::Update(object) => {
                let _ = self.store.update(object, now);
            }
            Action::Patch { key, change, at } => {
                if let Some(mut object) = self.store.get(&key).cloned() {
                    change(&mut object);
                    let _ = self.store.update(object, at.unwrap_or(now));
                }
            }
            Action::Delete { key, options, then } => {
                let outcome = self.api_delete(&key, options);
                if let Some(then) = then {
                    let next = then(outcome.as_ref().map(|_| ()));
                    self.push(place, next);
                }
            }
            Action::RemoveFinalizer { key, finalizer } => self.remove_finalizer(&key, finalizer),
            Action::Event(e) => self.record_reference(e),
            Action::Wake { at, wake, handle } => {
                let seq = self.timers.push(at, Timer::Controller(wake));
                if let Some(handle) = handle {
                    self.wake_handles.insert((place, handle), seq);
                }
            }
            Action::CancelWake(handle) => {
                if let Some(seq) = self.wake_handles.remove(&(place, handle)) {
                    self.timers.cancel(seq);
                }
            }
            Action::ForgetWake(handle) => {
                self.wake_handles.remove(&(place, handle));
            }
            Action::StartRepeating {
                handle,
                event,
                first,
                period_ms,
            } => {
                let id = self.start_repeating_record(event, first, period_ms);
                self.repeating_handles.insert((place, handle), id);
            }
            Action::StopRepeating { handle, last } => {
                if let Some(id) = self.repeating_handles.remove(&(place, handle)) {
                    self.stop_repeating(id, last);
                }
            }
            Action::PauseRepeating { handle, last } => {
                if let Some(id) = self.repeating_handles.get(&(place, handle)).copied() {
                    self.stop_repeating(id, last);
                }
            }
            Action::ResumeRepeating { handle, then } => {
                let going = match self.repeating_handles.get(&(place, handle)).copied() {
                    Some(id) => self.resume_repeating(id),
                    None => false,
                };
                self.push(place, then(going));
            }
            Action::Runtime { call, then } => {
                let answer = self.cri(call);
                if let Some(then) = then {
                    self.push(place, then(answer));
                }
            }
            Action::FinishDeletion(key) => self.finish_deletion_if_done(&key),
            Action::Draw { below, then } => {
                let drawn = self.rng.below(below);
                self.push(place, then(drawn));
            }
            Action::Uuid(then) => {
                let uuid = self.rng.uuid();
                self.push(place, then(uuid));
            }
            Action::Hint(hint) => {
                let view = View {
                    store: &self.store,
                    now,
                    config: &self.config,
                };
                let (to, controller) = self.controllers.hinted(&hint);
                let next = controller.hint(&view, hint);
                self.push(to, next);
            }
            Action::Then(stage) => {
                let view = View {
                    store: &self.store,
                    now,
                    config: &self.config,
                };
                let next = stage(&view);
                self.push(place, next);
            }
        }
    }
}
