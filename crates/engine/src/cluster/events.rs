use crate::clock::Time;
use crate::cluster::Cluster;
use crate::events::*;
use crate::model::cluster::EventSource;
use crate::model::storage::ObjectReference;
use crate::model::{Event, Object, ObjectMeta};

impl Cluster {
    /// Records an event about `involved` (which must have a uid).
    pub(crate) fn record_event(
        &mut self,
        involved: &impl Involved,
        type_: EventType,
        reason: &str,
        message: &str,
        source: Source,
    ) {
        let object = reference(involved, None);
        self.record(object, type_, reason, message, source);
    }

    /// Records an Event a controller decided on ([`crate::controllers::Action::Event`]).
    pub(crate) fn record_reference(&mut self, e: crate::controllers::decision::EventRecord) {
        self.record(e.object, e.type_, &e.reason, &e.message, e.source);
    }

    fn record(
        &mut self,
        object: ObjectReference,
        type_: EventType,
        reason: &str,
        message: &str,
        source: Source,
    ) {
        let now = self.now;
        // What recurred before now happened before this event.
        if !self.recorder.repeating.is_empty() {
            self.catch_up_events(now.just_before());
        }
        let o = Occurrence {
            object,
            type_,
            reason: reason.to_string(),
            message: message.to_string(),
            source,
        };
        match o.source.recorder {
            Recorder::Core => {
                if let Some(w) = self.recorder.correlate(&mut self.rng, o, now) {
                    self.write_event(w);
                }
            }
            Recorder::EventsApi => {
                let mut ticks = Vec::new();
                self.recorder.tick_series(now, &mut ticks);
                for w in ticks {
                    self.write_event(w);
                }
                if let Some(w) = self.recorder.observe_series(&mut self.rng, &o, now) {
                    self.write_event(w);
                }
            }
        }
    }

    /// Records an Event again and again: every `period_ms` from `first` on, until stopped; an occurrence due
    /// now is recorded now. Answers the number that stops it.
    pub(crate) fn start_repeating_record(
        &mut self,
        event: crate::controllers::decision::EventRecord,
        first: Time,
        period_ms: u64,
    ) -> u64 {
        let id = self.recorder.next_repeating;
        self.recorder.next_repeating += 1;
        self.recorder.add_repeating(
            id,
            Repeating {
                occurrence: Occurrence {
                    object: event.object,
                    type_: event.type_,
                    reason: event.reason,
                    message: event.message,
                    source: event.source,
                },
                next: first,
                period: period_ms.max(1),
                until: None,
            },
        );
        // An occurrence due now is recorded now, before whatever else happens at this instant.
        if first <= self.now {
            let now = self.now;
            self.feed_repeating(now.just_before(), None);
            self.feed_repeating(now, Some(id));
        }
        id
    }

    /// The repeating event `id` last occurs at or before `last` (nothing more when `last` is before its next
    /// occurrence). Occurrences up to now are recorded at once.
    pub(crate) fn stop_repeating(&mut self, id: u64, last: Time) {
        let Some(r) = self.recorder.repeating.get_mut(&id) else {
            return;
        };
        r.until = Some(r.until.map_or(last, |u| u.min(last)));
        let now = self.now;
        self.feed_repeating(now.just_before(), None);
        self.feed_repeating(now, Some(id));
    }

    /// The repeating event `id` goes on after all (what stopped it was undone before it showed). False when it
    /// has already ended for good.
    pub(crate) fn resume_repeating(&mut self, id: u64) -> bool {
        match self.recorder.repeating.get_mut(&id) {
            Some(r) => {
                r.until = None;
                true
            }
            None => false,
        }
    }

    /// Brings the Events of repeating occurrences (and the scheduler's series ticks) up to `limit`: every
    /// occurrence at or before it goes through the correlator at its own time, in time order across the
    /// repeating events.
    pub(crate) fn catch_up_events(&mut self, limit: Time) {
        self.feed_repeating(limit, None);
    }

    /// [`Cluster::catch_up_events`], for the repeating event `only` alone when given: one starting or stopping
    /// now has what is due of it recorded at once, while the others wait for their own moment's work.
    fn feed_repeating(&mut self, limit: Time, only: Option<u64>) {
        let mut run = self.begin_catch_up(limit, only);
        while self.catch_up_some(&mut run, usize::MAX) {}
    }

    /// A catch-up up to `limit` about to start: the due occurrences in time order (ties by id). Taking the
    /// earliest and putting its next one back keeps the order without looking at every repeating event again,
    /// which made a catch-up over thousands of waiting pods quadratic; only the one taken changes each turn.
    pub(crate) fn begin_catch_up(&self, limit: Time, only: Option<u64>) -> CatchUp {
        let recorder = &self.recorder;
        let first: std::collections::VecDeque<(Time, u64)> = match only {
            // One event: its own entry, not a walk of everything due before it (at an instant when 100,000
            // pods start waiting, each start walked all the others).
            Some(id) => recorder
                .repeating
                .get(&id)
                .filter(|r| r.due(limit))
                .map(|r| (r.next, id))
                .into_iter()
                .collect(),
            // The index is in time order already: a plain list of it, not a set built by 100,000 inserts.
            None => recorder
                .by_next
                .range(..=(limit, u64::MAX))
                .filter(|(_, id)| recorder.repeating.get(id).is_some_and(|r| r.due(limit)))
                .copied()
                .collect(),
        };
        let due = Due {
            first,
            again: Default::default(),
        };
        CatchUp {
            limit,
            due,
            // Only the events taken (and `only`) can have ended: the others are as the last call left them.
            touched: only.into_iter().collect(),
            writes: Vec::new(),
            writing: None,
        }
    }

    /// Goes on with a catch-up for at most `budget` occurrences or Event writes: every occurrence goes through
    /// the correlator first, in time order, and only then are the Events written, in that order (the
    /// correlator and the writes draw from the same random stream, so the order is kept whatever the budget).
    /// False when it is done.
    pub(crate) fn catch_up_some(&mut self, run: &mut CatchUp, budget: usize) -> bool {
        let limit = run.limit;
        let mut left = budget;
        while run.writing.is_none() {
            if left == 0 {
                return true;
            }
            left -= 1;
            let Some((at, id)) = run.due.pop_first() else {
                for id in std::mem::take(&mut run.touched) {
                    self.recorder.drop_if_ended(id);
                }
                if !self.recorder.series.is_empty() {
                    self.recorder.tick_series(limit, &mut run.writes);
                }
                run.writing = Some(std::mem::take(&mut run.writes).into_iter());
                break;
            };
            run.touched.push(id);
            let other = run.due.first().map(|(t, _)| *t);
            let Some(r) = self.recorder.repeating.get(&id) else {
                continue;
            };
            let core = r.occurrence.source.recorder == Recorder::Core;
            if core && self.recorder.skip_dropped(id, limit, other) {
                if let Some(r) = self.recorder.repeating.get(&id).filter(|r| r.due(limit)) {
                    run.due.insert((r.next, id));
                }
                continue;
            }
            let Some(r) = self.recorder.repeating.get(&id) else {
                continue;
            };
            let next = r.next.plus(r.period);
            let o = r.occurrence.clone();
            self.recorder.set_next(id, next);
            if self
                .recorder
                .repeating
                .get(&id)
                .is_some_and(|r| r.due(limit))
            {
                run.due.insert((next, id));
            }
            // Each update that passes the spam filter is written, as the recorder patches each: at most 25
            // and then one per five minutes per object, however long the clock jumped.
            let write = if core {
                self.recorder.correlate(&mut self.rng, o, at)
            } else {
                self.recorder.tick_series(at, &mut run.writes);
                self.recorder.observe_series(&mut self.rng, &o, at)
            };
            run.writes.extend(write);
        }
        let Some(writing) = run.writing.as_mut() else {
            return true;
        };
        while left > 0 {
            let Some(w) = writing.next() else {
                return false;
            };
            self.write_event(w);
            left -= 1;
        }
        writing.len() > 0
    }

    /// Creates the Event, or brings the existing one to the count, last time and message given.
    fn write_event(&mut self, w: Write) {
        let now = self.now;
        let exists = self.store.modify::<Event>(&w.namespace, &w.name, now, |e| {
            e.count = w.count;
            e.last_timestamp = Some(w.last);
            if !w.message.is_empty() {
                e.message = w.message.clone();
            }
        });
        let Some(o) = w.create.filter(|_| !exists) else {
            return;
        };
        let event = Event {
            metadata: ObjectMeta {
                name: w.name,
                namespace: w.namespace,
                uid: self.rng.uuid(),
                ..Default::default()
            },
            involved_object: o.object,
            reason: o.reason,
            message: w.message,
            type_: o.type_.as_str().to_string(),
            source: EventSource {
                component: o.source.component.to_string(),
                host: o.source.host,
            },
            first_timestamp: Some(w.first),
            last_timestamp: Some(w.last),
            count: w.count,
        };
        let _ = self.store.create(Object::Event(event), now);
    }

    /// Events about the object with `uid`, oldest first.
    pub fn events_for(&self, uid: &str) -> Vec<&Event> {
        let mut out: Vec<&Event> = self
            .store
            .list::<Event>(None)
            .filter(|e| e.involved_object.uid == uid)
            .collect();
        crate::sort::by_key(&mut out, |e| {
            (
                e.first_timestamp,
                e.metadata.resource_version.parse::<u64>().unwrap_or(0),
            )
        });
        out
    }

    /// Every event in the cluster in the order it was first recorded.
    pub fn all_events(&self) -> Vec<&Event> {
        let mut out: Vec<&Event> = self.store.list::<Event>(None).collect();
        crate::sort::by_key(&mut out, |e| {
            (
                e.last_timestamp,
                e.metadata.resource_version.parse::<u64>().unwrap_or(0),
            )
        });
        out
    }
}

/// The occurrences a catch-up has still to take, earliest first (ties by id): those due when it started, in
/// the order the recorder's index gave them, merged with the next occurrences of the ones taken, put back as
/// they are taken.
#[derive(Debug, Clone)]
pub(crate) struct Due {
    first: std::collections::VecDeque<(Time, u64)>,
    again: std::collections::BTreeSet<(Time, u64)>,
}

impl Due {
    fn first(&self) -> Option<&(Time, u64)> {
        match (self.first.front(), self.again.first()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn pop_first(&mut self) -> Option<(Time, u64)> {
        match (self.first.front(), self.again.first()) {
            (Some(a), Some(b)) if b < a => self.again.pop_first(),
            (Some(_), _) => self.first.pop_front(),
            (None, _) => self.again.pop_first(),
        }
    }

    fn insert(&mut self, entry: (Time, u64)) {
        self.again.insert(entry);
    }
}

/// A catch-up of repeating Events in progress ([`Cluster::begin_catch_up`]): a large one (thousands of waiting
/// pods at a resync) runs in the page's slices like any other work.
#[derive(Debug, Clone)]
pub(crate) struct CatchUp {
    limit: Time,
    due: Due,
    touched: Vec<u64>,
    writes: Vec<Write>,
    /// The writes still to make, once every occurrence has gone through the correlator.
    writing: Option<std::vec::IntoIter<Write>>,
}
