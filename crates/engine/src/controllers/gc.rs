//! The garbage collector: cascading deletion through ownerReferences. It keeps an index from owner uid to
//! dependents, built from watch events, so finding what an object owns never scans the store.
//!
//! * Background: when an owner is gone, dependents whose owners are all gone are deleted. A dependent that
//!   still has a live owner is kept, and its references to the owners that are gone (or that are waiting in
//!   foreground deletion) are removed instead, as `attemptToDeleteItem` does for objects with a solid owner.
//! * Foreground: an owner carrying the `foregroundDeletion` finalizer waits until its dependents are gone.
//! * Orphan: an owner carrying the `orphan` finalizer has its ownerReferences removed from its dependents first.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::api::DeleteOptions;
use crate::controllers::{Controller, Decision, View};
use crate::hash::PartedMap;
use crate::model::Object;
use crate::store::{ObjectKey, WatchEventType};

/// The garbage collector, with its index of owners and dependents (the graph builder's `uidToNode`). Every
/// write looks its object up here and nothing walks these maps, so they are hashed (deterministically, and in
/// parts, so that no one write rehashes every live object; the dependents of one owner stay ordered, as they
/// are queued in that order).
#[derive(Debug, Default)]
pub struct GarbageCollector {
    /// owner uid -> dependents' keys.
    dependents: PartedMap<String, BTreeSet<ObjectKey>>,
    /// object key -> the owner uids it points at, to undo the index when references change.
    owners: PartedMap<ObjectKey, Vec<String>>,
    /// uid -> key of every live object.
    uids: PartedMap<String, ObjectKey>,
}

impl GarbageCollector {
    /// Whether anything names the object with `uid` among its owners: the API server asks before it gives a
    /// foreground deletion its finalizer.
    pub fn has_dependents(&self, uid: &str) -> bool {
        self.dependents.get(uid).is_some_and(|d| !d.is_empty())
    }

    /// The keys of everything that names `uid` among its owners.
    fn dependents_of(&self, uid: &str) -> Vec<ObjectKey> {
        self.dependents
            .get(uid)
            .map(|d| d.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl Controller for GarbageCollector {
    /// Keeps the index current and queues the work a change implies.
    fn route(&mut self, _: &View, type_: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        let meta = obj.meta();
        // Most writes are status updates that leave the references as they were: they change nothing in the
        // graph (the graph builder acts on changed references, a deletion, or a deletion starting).
        if type_ == WatchEventType::Modified && meta.deletion_timestamp.is_none() {
            if let Some(known) = self.uids.get(&meta.uid) {
                let same = match self.owners.get(known) {
                    Some(old) => {
                        old.len() == meta.owner_references.len()
                            && old
                                .iter()
                                .zip(&meta.owner_references)
                                .all(|(uid, r)| *uid == r.uid)
                    }
                    None => meta.owner_references.is_empty(),
                };
                if same {
                    return d;
                }
            }
        }
        let key = ObjectKey::of(obj);
        let mut unlinked = Vec::new();
        if let Some(old) = self.owners.remove(&key) {
            for uid in old {
                if let Some(set) = self.dependents.get_mut(&uid) {
                    set.remove(&key);
                    if set.is_empty() {
                        self.dependents.remove(&uid);
                    }
                }
                if type_ != WatchEventType::Deleted
                    && !meta.owner_references.iter().any(|r| r.uid == uid)
                {
                    unlinked.push(uid);
                }
            }
        }
        // An owner in foreground deletion that just lost this dependent by unlinking may have none left.
        for uid in unlinked {
            if let Some(owner) = self.uids.get(&uid) {
                d.queue(owner.clone());
            }
        }
        if type_ == WatchEventType::Deleted {
            self.uids.remove(&meta.uid);
            // Its dependents may now be orphans to collect.
            for dep in self.dependents_of(&meta.uid) {
                d.queue(dep);
            }
            // A foreground-deleting owner waits on this one.
            for r in &meta.owner_references {
                if let Some(owner) = self.uids.get(&r.uid) {
                    d.queue(owner.clone());
                }
            }
            return d;
        }
        self.uids.insert(meta.uid.clone(), key.clone());
        let uids: Vec<String> = meta
            .owner_references
            .iter()
            .map(|r| r.uid.clone())
            .collect();
        for uid in &uids {
            self.dependents
                .entry(uid.clone())
                .or_default()
                .insert(key.clone());
        }
        if !uids.is_empty() {
            self.owners.insert(key.clone(), uids);
            // An owner may be gone already (created after it was deleted, or adopted stale references).
            d.queue(key.clone());
        }
        if meta.deletion_timestamp.is_some()
            && meta
                .finalizers
                .iter()
                .any(|f| f == "orphan" || f == "foregroundDeletion")
        {
            d.queue(key);
        }
        d
    }

    fn reconcile(&mut self, v: &View, key: &ObjectKey) -> Decision {
        let mut d = Decision::none();
        let Some(obj) = v.store.get(key) else {
            return d;
        };
        let meta = obj.meta();
        if meta.deletion_timestamp.is_some() {
            if meta.finalizers.iter().any(|f| f == "orphan") {
                // Each dependent loses its reference to this owner, then the owner its finalizer.
                for dep in self.dependents_of(&meta.uid) {
                    if let Some(mut obj) = v.store.get(&dep).cloned() {
                        obj.meta_mut()
                            .owner_references
                            .retain(|r| r.uid != meta.uid);
                        d.update(obj);
                    }
                }
                d.remove_finalizer(key.clone(), "orphan");
                return d;
            }
            if meta.finalizers.iter().any(|f| f == "foregroundDeletion") {
                let deps = self.dependents_of(&meta.uid);
                if deps.is_empty() {
                    d.remove_finalizer(key.clone(), "foregroundDeletion");
                } else {
                    for dep in deps {
                        let opts = DeleteOptions {
                            propagation: crate::api::Propagation::Foreground,
                            ..Default::default()
                        };
                        d.delete(dep, opts);
                    }
                }
                return d;
            }
        }
        if meta.owner_references.is_empty() {
            return d;
        }
        // Background collection. Owners are solid (live, not waiting for their dependents), dangling (gone) or
        // waiting (in foreground deletion: their own sync deletes this object).
        let mut solid = false;
        let mut unlink: Vec<String> = Vec::new();
        for r in &meta.owner_references {
            match self.uids.get(&r.uid).and_then(|k| v.store.get(k)) {
                None => unlink.push(r.uid.clone()),
                Some(owner) if waits_for_dependents(owner.meta()) => unlink.push(r.uid.clone()),
                Some(_) => solid = true,
            }
        }
        if !solid {
            if meta
                .owner_references
                .iter()
                .all(|r| !self.uids.contains_key(&r.uid))
            {
                d.delete(key.clone(), DeleteOptions::default());
            }
            return d;
        }
        if !unlink.is_empty() {
            let mut obj = obj.clone();
            obj.meta_mut()
                .owner_references
                .retain(|r| !unlink.contains(&r.uid));
            d.update(obj);
        }
        d
    }
}

/// An owner in foreground deletion: deleted, and held by the `foregroundDeletion` finalizer.
fn waits_for_dependents(meta: &crate::model::ObjectMeta) -> bool {
    meta.deletion_timestamp.is_some() && meta.finalizers.iter().any(|f| f == "foregroundDeletion")
}
