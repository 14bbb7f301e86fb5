//! Timed work: a queue of entries ordered by (due time, sequence number), so that two entries due at the same
//! instant always run in the order they were scheduled. Virtual time itself ([`Time`]) lives in `ordinal_api`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub use ordinal_api::time::{Time, MAX_WAIT_MS};

/// Timed work waiting for its moment. Entries due at the same time come out in insertion order. An entry can
/// be cancelled by the number `push` gave it; a cancelled entry never comes out and never counts as due.
#[derive(Debug)]
pub struct TimerQueue<T> {
    heap: BinaryHeap<Reverse<(Time, u64, Slot<T>)>>,
    seq: u64,
    /// Cancelled entries still in the heap. The heap's top is never one of them.
    cancelled: std::collections::BTreeSet<u64>,
}

/// Wrapper that keeps the payload out of the ordering: (time, seq) is already unique.
#[derive(Debug)]
struct Slot<T>(T);

impl<T> PartialEq for Slot<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<T> Eq for Slot<T> {}
impl<T> PartialOrd for Slot<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Slot<T> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl<T> Default for TimerQueue<T> {
    fn default() -> Self {
        TimerQueue {
            heap: BinaryHeap::new(),
            seq: 0,
            cancelled: std::collections::BTreeSet::new(),
        }
    }
}

impl<T> TimerQueue<T> {
    /// Queues `item` for `at`; answers the number that cancels it.
    pub fn push(&mut self, at: Time, item: T) -> u64 {
        self.seq += 1;
        self.heap.push(Reverse((at, self.seq, Slot(item))));
        self.seq
    }

    /// Drops the entry `push` numbered `seq`, which must still be queued: work that no longer needs doing must
    /// not keep the clock busy.
    pub fn cancel(&mut self, seq: u64) {
        if seq <= self.seq {
            self.cancelled.insert(seq);
            self.drop_cancelled_top();
        }
    }

    fn drop_cancelled_top(&mut self) {
        while let Some(Reverse((_, seq, _))) = self.heap.peek() {
            if !self.cancelled.remove(seq) {
                break;
            }
            self.heap.pop();
        }
    }

    /// When the earliest entry is due.
    pub fn next_due(&self) -> Option<Time> {
        self.heap.peek().map(|Reverse((t, _, _))| *t)
    }

    /// Removes and returns the earliest entry if it is due at or before `now`.
    pub fn pop_due(&mut self, now: Time) -> Option<(Time, T)> {
        if self.next_due()? <= now {
            let entry = self.heap.pop().map(|Reverse((t, _, Slot(item)))| (t, item));
            self.drop_cancelled_top();
            entry
        } else {
            None
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len().saturating_sub(self.cancelled.len())
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_time_entries_keep_insertion_order() {
        let mut q = TimerQueue::default();
        q.push(Time(5), "b");
        q.push(Time(1), "a");
        q.push(Time(5), "c");
        assert_eq!(q.pop_due(Time(10)), Some((Time(1), "a")));
        assert_eq!(q.pop_due(Time(10)), Some((Time(5), "b")));
        assert_eq!(q.pop_due(Time(10)), Some((Time(5), "c")));
        assert_eq!(q.pop_due(Time(10)), None);
    }

    #[test]
    fn a_cancelled_entry_never_comes_out_nor_counts_as_due() {
        let mut q = TimerQueue::default();
        let a = q.push(Time(5), "a");
        let b = q.push(Time(9), "b");
        q.push(Time(7), "c");
        q.cancel(b);
        q.cancel(a);
        assert_eq!(q.next_due(), Some(Time(7)));
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop_due(Time(10)), Some((Time(7), "c")));
        assert_eq!(q.next_due(), None);
        assert!(q.is_empty());
    }

    #[test]
    fn nothing_comes_out_before_it_is_due() {
        let mut q = TimerQueue::default();
        q.push(Time(100), 1);
        assert_eq!(q.pop_due(Time(99)), None);
        assert_eq!(q.next_due(), Some(Time(100)));
    }
}
