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
        // An add that finds the key queued already copies nothing.
        if !self.queued.contains(&key) {
            self.queued.insert(key.clone());
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
    /// Requests leave their controllers' work for [`Cluster::work`] ([`Cluster::defer_work`]).
    deferred: bool,
    /// A deferred request left work that has not been carried out yet.
    owed: bool,
    /// Where [`Cluster::work`] stopped, when it stopped before its goal.
    slice: Option<Slice>,
}

/// How far [`Cluster::work`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The slice's budget ran out first; call again to go on.
    Busy,
    /// What the last requests left is done, at the same instant: the cluster is as they would have left it.
    Settled,
    /// The clock has moved all the way, with nothing left due on the way.
    Reached,
}

/// Where a run of the cluster's work stands between two units ([`Cluster::unit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between steps: next, the controllers' queued work, or the next timer within the goal.
    Idle,
    /// Running the timers due at this instant, one after the other.
    Firing,
    /// A round of the controllers begins: the watch events written since the last round go out.
    Route,
    /// Then one key from the first controller with work.
    Reconcile,
    /// The controllers are done at this instant: the repeating Events are brought up to now, a share at a
    /// time (thousands of waiting pods make thousands of occurrences at a resync).
    CatchUp,
}

/// Repeating-Event occurrences (or Event writes) per unit of a catch-up.
const CATCH_UP_SHARE: usize = 256;

/// What a run is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Goal {
    /// The controllers have no work left at this instant.
    Settled,
    /// The clock has reached this time with nothing due before it.
    Time(Time),
}

/// A run of the cluster's work: where it stands and what it is for. Work it finds below its bases belongs to a
/// run further out (an `exec`'s `sleep` runs the clock from inside a controller's decision).
#[derive(Debug, Clone)]
struct Slice {
    phase: Phase,
    goal: Goal,
    work_base: usize,
    routing_base: usize,
    /// Timers fired in this step: their repeating Events are brought up to now once the controllers settle.
    catch_up: bool,
    /// Rounds of the controllers in this step, against [`MAX_ROUNDS_PER_SETTLE`].
    rounds: usize,
    /// The catch-up under way in [`Phase::CatchUp`].
    catching: Option<events::CatchUp>,
    /// That catch-up is the last thing before the goal time is reached.
    ending: bool,
    /// That catch-up brings the repeating Events up to the instant the clock just moved to, before its timers
    /// fire.
    then_fire: bool,
}

impl Slice {
    fn new(c: &Cluster, phase: Phase, goal: Goal) -> Slice {
        Slice {
            phase,
            goal,
            work_base: c.work.len(),
            routing_base: c.routing.len(),
            catch_up: false,
            rounds: 0,
            catching: None,
            ending: false,
            then_fire: false,
        }
    }

    /// The clock has just moved to an instant with timers due: what recurred before it happened before
    /// anything at it, so the repeating Events are brought up to just before it first, a share per unit, and
    /// then its timers fire. (Left to the instant's first Event, that catch-up was one unit: at a resync with
    /// 100,000 pods waiting, 100,000 occurrences at once.)
    fn arrive(&mut self, c: &Cluster) {
        self.rounds = 0;
        if c.recorder.repeating.is_empty() {
            self.phase = Phase::Firing;
        } else {
            self.catching = Some(c.begin_catch_up(c.now.just_before(), None));
            self.phase = Phase::CatchUp;
            self.then_fire = true;
        }
    }
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
            deferred: false,
            owed: false,
            slice: None,
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
        self.finish_pending();
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
        self.finish_pending();
        if self.has_queued_work() {
            self.settle_now();
            return true;
        }
        let Some(due) = self.timers.next_due() else {
            return false;
        };
        self.now = self.now.max(due);
        let mut slice = Slice::new(self, Phase::Firing, Goal::Settled);
        slice.arrive(self);
        while self.unit(&mut slice) {}
        true
    }

    /// Moves the clock forward by `ms`, running every entry that falls due on the way, each at its own time.
    pub fn advance(&mut self, ms: u64) {
        self.finish_pending();
        let end = self.now.plus(ms);
        self.run(Phase::Idle, Goal::Time(end));
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

    /// Leaves the controllers' reactions to a learner's request (an apply, a scale, a delete) for
    /// [`Cluster::work`] to carry out in slices, instead of running them before the request returns. This is
    /// how the browser keeps the page answering whatever the learner asks for: the work runs a slice per frame,
    /// in the same order it would run at once, so every outcome is the same — only seen in stages.
    pub fn defer_work(&mut self, deferred: bool) {
        self.deferred = deferred;
    }

    /// Whether work remains at the current instant: controllers still reacting to what happened, a decision
    /// half carried out, timers due now not yet run. A command that reads the cluster waits until this is
    /// false, as it would see a settled cluster natively.
    pub fn pending(&self) -> bool {
        self.owed
            || !self.work.is_empty()
            || !self.routing.is_empty()
            || self.slice.as_ref().is_some_and(|s| s.phase != Phase::Idle)
    }

    /// Whether [`Cluster::work`] has anything left: work at this instant, or the rest of a move of the clock.
    pub fn busy(&self) -> bool {
        self.slice.is_some() || self.pending()
    }

    /// One slice of at most `budget` units of work (one action of a decision, one watch event handed to one
    /// controller, one reconcile, one timer), taking up where the last slice stopped. Work a request left
    /// ([`Cluster::defer_work`]) comes first and ends in [`Progress::Settled`] without moving the clock, just as
    /// the request would have returned natively; otherwise the clock moves `ms` from now, every timer firing on
    /// the way. While earlier work is unfinished `ms` is not added: the clock runs slower rather than jumping
    /// when the work is heavy.
    pub fn work(&mut self, ms: u64, budget: usize) -> Progress {
        let mut slice = match self.take_slice() {
            Some(slice) => slice,
            None => Slice::new(self, Phase::Idle, Goal::Time(self.now.plus(ms))),
        };
        for _ in 0..budget {
            if !self.unit(&mut slice) {
                return match slice.goal {
                    Goal::Settled => Progress::Settled,
                    Goal::Time(_) => Progress::Reached,
                };
            }
        }
        self.slice = Some(slice);
        Progress::Busy
    }

    /// Ends a move of the clock that [`Cluster::work`] has under way here, at the current time, instead of at the
    /// time it was going to: answers how many milliseconds of it are left undone (0 when none was under way).
    /// The browser does this when the learner acts in the middle of a long move, so a recorded session can move
    /// the clock in exactly the same steps when it is replayed.
    pub fn cut_advance(&mut self) -> u64 {
        let Some(slice) = self.slice.as_mut() else {
            return 0;
        };
        match slice.goal {
            Goal::Time(end) if end > self.now => {
                slice.goal = Goal::Time(self.now);
                end.since(self.now)
            }
            _ => 0,
        }
    }

    /// Finishes the work left at the current instant — what deferred requests left, or what a slice stopped in
    /// the middle of — but not the rest of a slice's move of the clock. Every request does this first, so it
    /// meets the cluster as it would natively; a command that reads the cluster outside the browser's waiting
    /// line calls it too.
    pub fn finish_pending(&mut self) {
        let Some(mut slice) = self.take_slice() else {
            return;
        };
        while slice.phase != Phase::Idle
            || self.work.len() > slice.work_base
            || self.routing.len() > slice.routing_base
            || self.has_queued_work()
        {
            if !self.unit(&mut slice) {
                return;
            }
        }
        self.slice = Some(slice);
    }

    /// The work to carry on: the slice a budget stopped, else the settling that deferred requests left.
    fn take_slice(&mut self) -> Option<Slice> {
        if let Some(slice) = self.slice.take() {
            return Some(slice);
        }
        self.owed
            .then(|| Slice::new(self, Phase::Route, Goal::Settled))
    }

    /// Runs from `phase` until `goal`, all at once.
    fn run(&mut self, phase: Phase, goal: Goal) {
        let mut slice = Slice::new(self, phase, goal);
        while self.unit(&mut slice) {}
    }

    /// One unit of work toward the slice's goal, in the order the cluster always works: the innermost
    /// decision's next action, then the next step of handing on a watch event, then timers due at this
    /// instant, then a round of the controllers (new watch events first, then one key from the first
    /// controller with work), then the next timer within the goal. False when the goal is reached.
    fn unit(&mut self, slice: &mut Slice) -> bool {
        if self.work.len() > slice.work_base {
            self.apply_next();
            return true;
        }
        if self.routing.len() > slice.routing_base {
            self.route_step();
            return true;
        }
        match slice.phase {
            Phase::Firing => match self.timers.pop_due(self.now) {
                // Everything due at this instant fires before the controllers react, like events arriving
                // together.
                Some((_, timer)) => self.fire(timer),
                None => {
                    slice.phase = Phase::Route;
                    slice.catch_up = true;
                }
            },
            Phase::Route => {
                slice.rounds += 1;
                slice.phase = Phase::Reconcile;
                self.route_new_events();
            }
            Phase::Reconcile => {
                let next = (0..Controllers::COUNT)
                    .find_map(|place| self.queues[place].pop().map(|key| (place, key)));
                match next {
                    Some((place, key)) if slice.rounds < MAX_ROUNDS_PER_SETTLE => {
                        slice.phase = Phase::Route;
                        self.reconcile(place, &key);
                    }
                    Some((place, key)) => {
                        // Work left over stays queued for the next step.
                        self.queues[place].add(key);
                        return self.settled(slice);
                    }
                    None => return self.settled(slice),
                }
            }
            Phase::Idle => {
                let Goal::Time(end) = slice.goal else {
                    return false;
                };
                if self.owed || self.has_queued_work() {
                    slice.phase = Phase::Route;
                    slice.rounds = 0;
                } else if let Some(due) = self.timers.next_due().filter(|t| *t <= end) {
                    self.now = self.now.max(due);
                    slice.arrive(self);
                } else {
                    self.now = self.now.max(end);
                    // What recurs without a timer (a probe that keeps failing) is brought up to the new time.
                    slice.catching = Some(self.begin_catch_up(self.now, None));
                    slice.phase = Phase::CatchUp;
                    slice.ending = true;
                }
            }
            Phase::CatchUp => {
                let Some(mut run) = slice.catching.take() else {
                    slice.phase = Phase::Idle;
                    return true;
                };
                if self.catch_up_some(&mut run, CATCH_UP_SHARE) {
                    slice.catching = Some(run);
                } else if std::mem::take(&mut slice.then_fire) {
                    slice.phase = Phase::Firing;
                } else {
                    slice.phase = Phase::Idle;
                    if std::mem::take(&mut slice.ending) {
                        return false;
                    }
                    return slice.goal != Goal::Settled;
                }
            }
        }
        true
    }

    /// The controllers have run out of work at this instant: timers that fired have their repeating Events
    /// brought up to now. False when that was the slice's goal.
    fn settled(&mut self, slice: &mut Slice) -> bool {
        self.owed = false;
        if std::mem::take(&mut slice.catch_up) {
            slice.catching = Some(self.begin_catch_up(self.now, None));
            slice.phase = Phase::CatchUp;
            return true;
        }
        slice.phase = Phase::Idle;
        slice.goal != Goal::Settled
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
                self.push(place, decision);
            }
            Timer::NodeEviction { node, since } => {
                faults::evict_from_unreachable_node(self, &node, since)
            }
            Timer::Runtime(wake) => {
                crate::runtime::on_wake(self, &wake);
                if wake == crate::runtime::Wake::ContainersChanged {
                    self.push(
                        Controllers::KUBELET,
                        Decision::from(vec![Action::Hint(Hint::Kubelet(
                            kubelet::Hint::ContainersChanged,
                        ))]),
                    );
                }
            }
        }
    }

    fn has_queued_work(&self) -> bool {
        self.queues.iter().any(|q| !q.is_empty()) || self.cursor != self.store.cursor()
    }

    /// Delivers new watch events to the controllers and runs them until all their queues are empty: each round
    /// routes what the last one wrote, then takes one key from the first controller in [`Controllers`]' order
    /// that has work. While work is deferred ([`Cluster::defer_work`]) this leaves it for [`Cluster::work`].
    pub(crate) fn settle(&mut self) {
        if self.deferred {
            self.owed = true;
        } else {
            self.settle_now();
        }
    }

    fn settle_now(&mut self) {
        self.run(Phase::Route, Goal::Settled);
    }

    /// Runs the controller at `place` on `key` and applies what it decided.
    fn reconcile(&mut self, place: usize, key: &ObjectKey) {
        let view = View {
            store: &self.store,
            now: self.now,
            config: &self.config,
        };
        let decision = self.controllers.at(place).reconcile(&view, key);
        self.push(place, decision);
    }

    /// Takes every watch event since the last call, to be handed to CoreDNS, the runtime and each controller
    /// in turn ([`Cluster::route_step`]).
    fn route_new_events(&mut self) {
        let batch: VecDeque<(WatchEventType, std::sync::Arc<Object>, usize)> = self
            .store
            .events_since(self.cursor)
            .map(|e| (e.type_, std::sync::Arc::clone(&e.object), 0))
            .collect();
        self.cursor = self.store.cursor();
        self.store.compact(self.cursor);
        if !batch.is_empty() {
            self.routing.push(batch);
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
        self.push(place, decision);
    }

    /// Carries out what the controller at `place` decided, one action after the other, each through the write
    /// path it names; a continuation decides from the outcome, and its actions are applied before the next.
    pub(crate) fn apply(&mut self, place: usize, decision: Decision) {
        let depth = self.work.len();
        self.push(place, decision);
        while self.work.len() > depth {
            self.apply_next();
        }
    }

    /// Applies the next action of the innermost decision, or closes that decision when it has none left.
    fn apply_next(&mut self) {
        let Some((place, next)) = self
            .work
            .last_mut()
            .map(|(p, actions)| (*p, actions.next()))
        else {
            return;
        };
        match next {
            Some(action) => self.apply_action(place, action),
            None => {
                self.work.pop();
            }
        }
    }

    /// What a continuation decided goes on before the rest of the decision that led to it.
    fn push(&mut self, place: usize, decision: Decision) {
        if !decision.is_empty() {
            self.work.push((place, decision.actions.into_iter()));
        }
    }

    // Called from the whole-run loop and the sliced one: one copy of this large match, not one inlined in each.
    #[inline(never)]
    fn apply_action(&mut self, place: usize, action: Action) {
        let now = self.now;
        match action {
            Action::Queue(key) => self.queues[place].add(key),
            Action::Create { object, then } => {
                let outcome = self.api_create_named(*object);
                if let Some(then) = then {
                    let next = then(outcome.as_deref());
                    self.push(place, next);
                }
            }
            Action::Insert(object) => {
                let _ = self.store.create(*object, now);
            }
            Action::Update(object) => {
                let _ = self.store.update(*object, now);
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
            Action::Event(e) => self.record_reference(*e),
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
                let id = self.start_repeating_record(*event, first, period_ms);
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
