//! Kubernetes Events, as the components' event recorders write them. Two client-go recorders exist and the
//! components use one each:
//!
//! * the core/v1 recorder (`tools/record`, used by the kubelet and the controllers) passes every event through
//!   the `EventCorrelator` of `events_cache.go`: an event equal to an earlier one in source, object (field path
//!   included), type, reason and message counts up that Event (`count`, `lastTimestamp`: describe's
//!   `3s (x24 over 5m34s)`); the tenth distinct message of one reason about one object within ten minutes turns
//!   into `(combined from similar events): …`, which counts up from then on; and a token bucket per source,
//!   object and type (25 events, then one every five minutes) drops what exceeds it, while the counting goes on,
//!   so the next update that passes carries the whole count;
//! * the events.k8s.io recorder (`tools/events`, used by the scheduler) folds an event equal to one in its cache
//!   in type, action, reason, reporter and object (the message is not compared) into an `EventSeries`: the
//!   second occurrence is written at once, later ones only when the series is refreshed (every 30 minutes) or
//!   finished (every 6 minutes, once it has been quiet that long). Such Events are kept here in the core/v1
//!   fields kubectl reads them from (`count`, `firstTimestamp`, `lastTimestamp`).
//!
//! What recurs on a period (a probe that keeps failing, a container waiting in back-off) is not recorded period
//! by period: it is registered once as [`Repeating`], and its occurrences are fed to the correlator whenever the
//! clock has moved past them ([`Cluster::catch_up_events`]), each at its own time; a stretch the spam filter
//! drops is counted in one step.
//! Nothing is queued on the clock for them, so `run_until_idle` still ends when nothing but such repeats remain.

use std::collections::{BTreeMap, BTreeSet};

use crate::clock::Time;
use crate::model::storage::ObjectReference;
use crate::model::Pod;
use crate::rng::Rng;

/// Limits of the core/v1 correlator (`events_cache.go`).
pub(crate) const AGGREGATE_MAX_EVENTS: usize = 10;
pub(crate) const AGGREGATE_WINDOW_MS: u64 = 600_000;
pub(crate) const AGGREGATE_PREFIX: &str = "(combined from similar events): ";
/// The spam filter's token bucket, in milliseconds of refill: one event per 300 s (`defaultSpamQPS`), at most
/// 25 at once (`defaultSpamBurst`).
pub(crate) const SPAM_COST: u64 = 300_000;
pub(crate) const SPAM_CAPACITY: u64 = 25 * SPAM_COST;
/// `tools/events` event_broadcaster.go: `finishTime` and `refreshTime`. Both tickers start with the recorder,
/// which here is the cluster's start.
pub(crate) const SERIES_FINISH_MS: u64 = 360_000;
/// The correlator's caches, by key. client-go keeps each in a least-recently-used cache of 4,096 keys
/// (events_cache.go `maxLruCacheEntries`), so with more keys recurring than that it forgets them and writes a
/// new Event at every recurrence; the real API server drops Events after an hour (`--event-ttl`), this one
/// keeps them, and 100,000 claims waiting for their pods then made 2.2 million Events in five virtual
/// minutes. So every key is kept: a simplification that only shows past 4,096 keys, where an Event's count
/// goes on rising instead of starting again. Never iterated, so the hashing order cannot leak into what the
/// cluster does; the hasher has no random state, so it is the same on every run and machine.
type Cache<V> = crate::hash::PartedMap<String, V>;
pub(crate) const SERIES_REFRESH_MS: u64 = 1_800_000;

#[derive(Debug, Default)]
pub(crate) struct EventRecorder {
    /// `eventLogger`: what each event key (or aggregate key) has counted, and the Event that shows it.
    logs: Cache<Log>,
    /// `EventAggregator`: the distinct messages seen per (source, object, type, reason) and when last.
    aggregates: Cache<Aggregate>,
    /// `EventSourceObjectSpamFilter`: the token bucket per (source, object, type).
    buckets: Cache<Bucket>,
    /// The events.k8s.io recorder's cache, by isomorphic key.
    pub(crate) series: BTreeMap<String, Series>,
    /// Events that recur on a period, by the number [`Cluster::start_repeating_record`] gave them.
    /// Looked up by id, never iterated (its order is the hash's).
    pub(crate) repeating: crate::hash::PartedMap<u64, Repeating>,
    /// The same events by when each next occurs (ties by number): what is due is a range, not a scan of
    /// thousands of waiting pods' events on every Event recorded. Kept in step by [`EventRecorder::set_next`].
    pub(crate) by_next: std::collections::BTreeSet<(Time, u64)>,
    pub(crate) next_repeating: u64,
    /// How many series ticks (multiples of `finishTime` since the start) have been applied.
    series_ticks: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Log {
    count: i32,
    first: Time,
    namespace: String,
    name: String,
    /// An update of it has passed the spam filter: the Event exists.
    written: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Aggregate {
    messages: BTreeSet<String>,
    last: Option<Time>,
}

/// A token bucket kept as the credit it held at `at`, in milliseconds of refill.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bucket {
    credit: u64,
    at: Time,
}

impl Bucket {
    fn credit_at(self, t: Time) -> u64 {
        self.credit
            .saturating_add(t.since(self.at))
            .min(SPAM_CAPACITY)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Series {
    namespace: String,
    name: String,
    first: Time,
    /// Occurrences so far (1 until a second one makes it a series).
    count: i32,
    last_observed: Time,
}

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Which client-go recorder a component uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorder {
    /// `tools/record`, through the `EventCorrelator`.
    Core,
    /// `tools/events`, with event series.
    EventsApi,
}

/// Who reports an event: a component, and for the kubelet its node.
#[derive(Debug, Clone)]
pub struct Source {
    pub component: &'static str,
    pub host: Option<String>,
    pub recorder: Recorder,
}

impl Source {
    pub const fn component(component: &'static str) -> Source {
        Source {
            component,
            host: None,
            recorder: Recorder::Core,
        }
    }

    /// A component that records through the events.k8s.io API (the scheduler).
    pub const fn events_api(component: &'static str) -> Source {
        Source {
            component,
            host: None,
            recorder: Recorder::EventsApi,
        }
    }

    pub fn on_node(component: &'static str, node: &str) -> Source {
        Source {
            component,
            host: Some(node.to_string()),
            recorder: Recorder::Core,
        }
    }
}

/// Anything an event can be about: an [`Object`] or a typed one, read without copying.
pub(crate) use crate::model::KindAndMeta as Involved;

/// A new Event's name: the object's name and a unique suffix (the recorders use the time in nanoseconds).
pub(crate) fn event_name(rng: &mut Rng, object: &str) -> String {
    format!("{object}.{:016x}", rng.next_u64() >> 4)
}

/// What `reference.GetReference` makes of an object, with the field path of a container (`spec.containers{x}`)
/// for events about one.
pub(crate) fn reference(involved: &impl Involved, field_path: Option<String>) -> ObjectReference {
    let (kind, meta) = involved.kind_and_meta();
    let info = kind.info();
    ObjectReference {
        api_version: Some(info.api_version.to_string()),
        kind: Some(info.kind.to_string()),
        namespace: meta.namespace.clone(),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        resource_version: Some(meta.resource_version.clone()),
        field_path,
    }
}

/// The field path the kubelet's container references carry (`container.GenerateContainerRef`).
pub(crate) fn container_field_path(pod: &Pod, container: &str) -> Option<String> {
    if pod.spec.containers.iter().any(|c| c.name == container) {
        Some(format!("spec.containers{{{container}}}"))
    } else if pod.spec.init_containers.iter().any(|c| c.name == container) {
        Some(format!("spec.initContainers{{{container}}}"))
    } else {
        None
    }
}

/// One event as a component hands it to its recorder.
#[derive(Debug, Clone)]
pub(crate) struct Occurrence {
    pub(crate) object: ObjectReference,
    pub(crate) type_: EventType,
    pub(crate) reason: String,
    pub(crate) message: String,
    pub(crate) source: Source,
}

impl Occurrence {
    fn host(&self) -> &str {
        self.source.host.as_deref().unwrap_or("")
    }

    /// `getEventKey` (its fields in another order: the uid first makes keys differ early).
    fn event_key(&self) -> String {
        [
            &self.object.uid,
            self.source.component,
            self.host(),
            self.object.kind.as_deref().unwrap_or(""),
            &self.object.namespace,
            &self.object.name,
            self.object.field_path.as_deref().unwrap_or(""),
            self.object.api_version.as_deref().unwrap_or(""),
            self.type_.as_str(),
            &self.reason,
            &self.message,
        ]
        .join("\u{0}")
    }

    /// `EventAggregatorByReasonFunc`'s aggregate key (the field path is not part of it).
    fn aggregate_key(&self) -> String {
        [
            &self.object.uid,
            self.source.component,
            self.host(),
            self.object.kind.as_deref().unwrap_or(""),
            &self.object.namespace,
            &self.object.name,
            self.object.api_version.as_deref().unwrap_or(""),
            self.type_.as_str(),
            &self.reason,
        ]
        .join("\u{0}")
    }

    /// `getSpamKey`.
    fn spam_key(&self) -> String {
        [
            &self.object.uid,
            self.source.component,
            self.host(),
            self.object.kind.as_deref().unwrap_or(""),
            &self.object.namespace,
            &self.object.name,
            self.object.api_version.as_deref().unwrap_or(""),
            self.type_.as_str(),
        ]
        .join("\u{0}")
    }

    /// The events.k8s.io recorder's isomorphic key (`getKey`): the message is not part of it.
    fn series_key(&self) -> String {
        [
            self.source.component,
            &self.object.uid,
            self.object.field_path.as_deref().unwrap_or(""),
            self.type_.as_str(),
            &self.reason,
        ]
        .join("\u{0}")
    }
}

/// What the API server should hold for one Event after some occurrences: written once per batch.
#[derive(Debug, Clone)]
pub(crate) struct Write {
    /// The occurrence to create the Event from if it does not exist; `None` only updates.
    pub(crate) create: Option<Occurrence>,
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) message: String,
    pub(crate) count: i32,
    pub(crate) first: Time,
    pub(crate) last: Time,
}

/// An event that recurs every `period` from `next` on, until `until` (inclusive) once that is known.
#[derive(Debug, Clone)]
pub(crate) struct Repeating {
    pub(crate) occurrence: Occurrence,
    pub(crate) next: Time,
    pub(crate) period: u64,
    pub(crate) until: Option<Time>,
}

impl Repeating {
    pub(crate) fn due(&self, limit: Time) -> bool {
        self.next <= limit && self.until.is_none_or(|u| self.next <= u)
    }
}

impl EventRecorder {
    /// The core/v1 correlator's view of one occurrence at `at`: the Event to write if the spam filter lets it
    /// through (`EventCorrelate`).
    pub(crate) fn correlate(&mut self, rng: &mut Rng, o: Occurrence, at: Time) -> Option<Write> {
        // EventAggregate.
        let aggregate_key = o.aggregate_key();
        let record = match self.aggregates.get_mut(&aggregate_key) {
            Some(r) => r,
            None => self.aggregates.entry(aggregate_key.clone()).or_default(),
        };
        if record
            .last
            .is_none_or(|last| at.since(last) > AGGREGATE_WINDOW_MS)
        {
            record.messages.clear();
        }
        if !record.messages.contains(&o.message) {
            record.messages.insert(o.message.clone());
        }
        record.last = Some(at);
        let (key, message) = if record.messages.len() < AGGREGATE_MAX_EVENTS {
            (o.event_key(), o.message.clone())
        } else {
            // `PopAny` keeps the set below the limit; which one goes is Go's map order, here the smallest.
            record.messages.pop_first();
            (aggregate_key, format!("{AGGREGATE_PREFIX}{}", o.message))
        };
        // eventObserve.
        let log = match self.logs.get_mut(&key) {
            Some(log) => {
                log.count += 1;
                log
            }
            None => {
                let namespace = if o.object.namespace.is_empty() {
                    "default".to_string()
                } else {
                    o.object.namespace.clone()
                };
                let log = Log {
                    count: 1,
                    first: at,
                    namespace,
                    name: event_name(rng, &o.object.name),
                    written: false,
                };
                self.logs.entry(key).or_insert(log)
            }
        };
        // The spam filter sees the event after it was counted: a dropped one still counts.
        let spam_key = o.spam_key();
        let fresh = Bucket {
            credit: SPAM_CAPACITY,
            at,
        };
        let bucket = match self.buckets.get_mut(&spam_key) {
            Some(b) => b,
            None => self.buckets.entry(spam_key).or_insert(fresh),
        };
        let credit = bucket.credit_at(at);
        if credit < SPAM_COST {
            return None;
        }
        *bucket = Bucket {
            credit: credit - SPAM_COST,
            at,
        };
        // The Event is created by the first update that passes, patched by the later ones.
        let create = (!log.written).then_some(o);
        log.written = true;
        Some(Write {
            create,
            namespace: log.namespace.clone(),
            name: log.name.clone(),
            message,
            count: log.count,
            first: log.first,
            last: at,
        })
    }

    /// Occurrences of the repeating event `id` the correlator cannot let through before its bucket refills:
    /// counted in one step instead of one by one. Only while the event is counted as itself (its message known
    /// to the aggregator, which has fewer than ten) and nothing else draws on its bucket before then (`other`).
    pub(crate) fn skip_dropped(&mut self, id: u64, limit: Time, other: Option<Time>) -> bool {
        let Some(r) = self.repeating.get(&id) else {
            return false;
        };
        let o = &r.occurrence;
        let Some(bucket) = self.buckets.get(&o.spam_key()).copied() else {
            return false;
        };
        let credit = bucket.credit_at(r.next);
        if credit >= SPAM_COST || r.period > AGGREGATE_WINDOW_MS {
            return false;
        }
        let steady = self.aggregates.get(&o.aggregate_key()).is_some_and(|a| {
            a.messages.contains(&o.message) && a.messages.len() < AGGREGATE_MAX_EVENTS
        });
        let key = o.event_key();
        if !steady || !self.logs.contains_key(&key) {
            return false;
        }
        // Everything before the bucket holds one event's credit again is dropped.
        let mut end = r.next.plus(SPAM_COST - credit);
        if let Some(u) = r.until {
            end = end.min(u.plus(1));
        }
        end = end.min(limit.plus(1));
        if let Some(o) = other {
            end = end.min(o);
        }
        if end <= r.next {
            return false;
        }
        let n = end.since(r.next).div_ceil(r.period);
        let last = r.next.plus((n - 1) * r.period);
        let next = r.next.plus(n * r.period);
        if let Some(log) = self.logs.get_mut(&key) {
            log.count = log
                .count
                .saturating_add(i32::try_from(n).unwrap_or(i32::MAX));
        }
        if let Some(a) = self.aggregates.get_mut(&o.aggregate_key()) {
            a.last = Some(last);
        }
        self.set_next(id, next);
        true
    }

    /// Moves the next occurrence of the repeating event `id` to `next`, in both of its indexes.
    pub(crate) fn set_next(&mut self, id: u64, next: Time) {
        if let Some(r) = self.repeating.get_mut(&id) {
            self.by_next.remove(&(r.next, id));
            r.next = next;
            self.by_next.insert((next, id));
        }
    }

    /// Adds a repeating event under `id`.
    pub(crate) fn add_repeating(&mut self, id: u64, r: Repeating) {
        self.by_next.insert((r.next, id));
        self.repeating.insert(id, r);
    }

    /// Drops the repeating event `id` if it has ended (its next occurrence is past its last).
    pub(crate) fn drop_if_ended(&mut self, id: u64) {
        if let Some(r) = self.repeating.get(&id) {
            if r.until.is_some_and(|u| r.next > u) {
                self.by_next.remove(&(r.next, id));
                self.repeating.remove(&id);
            }
        }
    }

    /// The events.k8s.io recorder's view of one occurrence at `at` (`recordToSink`), once the series ticks up
    /// to then are applied: the Event to write now, if any. An isomorphic event keeps the first one's message.
    pub(crate) fn observe_series(
        &mut self,
        rng: &mut Rng,
        o: &Occurrence,
        at: Time,
    ) -> Option<Write> {
        let key = o.series_key();
        if let Some(s) = self.series.get_mut(&key) {
            s.count += 1;
            s.last_observed = at;
            // The second occurrence makes the series and is written at once; later ones wait for a tick.
            return (s.count == 2).then(|| s.write());
        }
        let namespace = if o.object.namespace.is_empty() {
            "default".to_string()
        } else {
            o.object.namespace.clone()
        };
        let name = event_name(rng, &o.object.name);
        self.series.insert(
            key,
            Series {
                namespace: namespace.clone(),
                name: name.clone(),
                first: at,
                count: 1,
                last_observed: at,
            },
        );
        Some(Write {
            create: Some(o.clone()),
            namespace,
            name,
            message: o.message.clone(),
            count: 1,
            first: at,
            last: at,
        })
    }

    /// Applies the series ticks up to `now`: `finishSeries` every 6 minutes writes a series quiet for that long
    /// and forgets it (and forgets a lone event that old), so the next equal event starts a new Event;
    /// `refreshExistingEventSeries` every 30 minutes writes every series.
    pub(crate) fn tick_series(&mut self, now: Time, writes: &mut Vec<Write>) {
        let last_tick = now.millis() / SERIES_FINISH_MS;
        if self.series.is_empty() {
            self.series_ticks = self.series_ticks.max(last_tick);
        }
        while self.series_ticks < last_tick {
            self.series_ticks += 1;
            let tick = self.series_ticks * SERIES_FINISH_MS;
            let cutoff = Time(tick - SERIES_FINISH_MS);
            let refresh = tick.is_multiple_of(SERIES_REFRESH_MS);
            self.series.retain(|_, s| {
                let is_series = s.count > 1;
                let quiet = if is_series { s.last_observed } else { s.first } < cutoff;
                if is_series && (refresh || quiet) {
                    writes.push(s.write());
                }
                !quiet
            });
        }
    }
}

impl Series {
    /// The patch that brings the Event to this series.
    fn write(&self) -> Write {
        Write {
            create: None,
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            message: String::new(),
            count: self.count,
            first: self.first,
            last: self.last_observed,
        }
    }
}
