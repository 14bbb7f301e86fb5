//! The garbage collector: cascading deletion through ownerReferences. It keeps an index from owner uid to
//! dependents, built from watch events, so finding what an object owns never scans the store.
//!
//! * Background: when an owner is gone, dependents whose owners are all gone are deleted. A dependent that
//!   still has a live owner is kept, and its references to the owners that are gone (or that are waiting in
//!   foreground deletion) are removed instead, as `attemptToDeleteItem` does for objects with a solid owner.
//! * Foreground: an owner carrying the `foregroundDeletion` finalizer waits until its dependents are gone.
//! * Orphan: an owner carrying the `orphan` finalizer has its ownerReferences removed from its dependents first.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::DeleteOptions;
use crate::cluster::Cluster;
use crate::model::Object;
use crate::store::{ObjectKey, WatchEventType};

#[derive(Debug, Default)]
pub struct State {
    /// owner uid -> dependents' keys.
    dependents: BTreeMap<String, BTreeSet<ObjectKey>>,
    /// object key -> the owner uids it points at, to undo the index when references change.
    owners: BTreeMap<ObjectKey, Vec<String>>,
    /// uid -> key of every live object.
    uids: BTreeMap<String, ObjectKey>,
}

impl State {
    pub fn has_dependents(&self, uid: &str) -> bool {
        self.dependents.get(uid).is_some_and(|d| !d.is_empty())
    }
}

/// Keeps the index current and queues the work a change implies.
pub(crate) fn observe(c: &mut Cluster, type_: WatchEventType, obj: &Object) {
    let key = ObjectKey::of(obj);
    let meta = obj.meta();
    let st = &mut c.gc;
    let mut unlinked = Vec::new();
    if let Some(old) = st.owners.remove(&key) {
        for uid in old {
            if let Some(set) = st.dependents.get_mut(&uid) {
                set.remove(&key);
                if set.is_empty() {
                    st.dependents.remove(&uid);
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
        if let Some(owner) = c.gc.uids.get(&uid).cloned() {
            c.queues[crate::controllers::Controllers::GC].add(owner);
        }
    }
    let st = &mut c.gc;
    if type_ == WatchEventType::Deleted {
        st.uids.remove(&meta.uid);
        // Its dependents may now be orphans to collect.
        for dep in st.dependents.get(&meta.uid).cloned().unwrap_or_default() {
            c.queues[crate::controllers::Controllers::GC].add(dep);
        }
        // A foreground-deleting owner waits on this one.
        for r in &meta.owner_references {
            if let Some(owner) = c.gc.uids.get(&r.uid).cloned() {
                c.queues[crate::controllers::Controllers::GC].add(owner);
            }
        }
        return;
    }
    st.uids.insert(meta.uid.clone(), key.clone());
    let uids: Vec<String> = meta
        .owner_references
        .iter()
        .map(|r| r.uid.clone())
        .collect();
    for uid in &uids {
        st.dependents
            .entry(uid.clone())
            .or_default()
            .insert(key.clone());
    }
    if !uids.is_empty() {
        st.owners.insert(key.clone(), uids);
        // An owner may be gone already (created after it was deleted, or adopted stale references).
        c.queues[crate::controllers::Controllers::GC].add(key.clone());
    }
    if meta.deletion_timestamp.is_some()
        && meta
            .finalizers
            .iter()
            .any(|f| f == "orphan" || f == "foregroundDeletion")
    {
        c.queues[crate::controllers::Controllers::GC].add(key);
    }
}

pub(crate) fn sync(c: &mut Cluster, key: &ObjectKey) {
    let Some(obj) = c.store.get(key).cloned() else {
        return;
    };
    let meta = obj.meta();
    if meta.deletion_timestamp.is_some() {
        if meta.finalizers.iter().any(|f| f == "orphan") {
            orphan_dependents(c, &meta.uid);
            c.remove_finalizer(key, "orphan");
            return;
        }
        if meta.finalizers.iter().any(|f| f == "foregroundDeletion") {
            let deps: Vec<ObjectKey> =
                c.gc.dependents
                    .get(&meta.uid)
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .collect();
            if deps.is_empty() {
                c.remove_finalizer(key, "foregroundDeletion");
            } else {
                for dep in deps {
                    let opts = DeleteOptions {
                        propagation: crate::api::Propagation::Foreground,
                        ..Default::default()
                    };
                    let _ = c.api_delete(&dep, opts);
                }
            }
            return;
        }
    }
    if meta.owner_references.is_empty() {
        return;
    }
    // Background collection. Owners are solid (live, not waiting for their dependents), dangling (gone) or
    // waiting (in foreground deletion: their own sync deletes this object).
    let mut solid = false;
    let mut unlink: Vec<String> = Vec::new();
    for r in &meta.owner_references {
        match c.gc.uids.get(&r.uid).and_then(|k| c.store.get(k)) {
            None => unlink.push(r.uid.clone()),
            Some(owner) if waits_for_dependents(owner.meta()) => unlink.push(r.uid.clone()),
            Some(_) => solid = true,
        }
    }
    if !solid {
        if meta
            .owner_references
            .iter()
            .all(|r| !c.gc.uids.contains_key(&r.uid))
        {
            let _ = c.api_delete(key, DeleteOptions::default());
        }
        return;
    }
    if !unlink.is_empty() {
        let mut obj = obj.clone();
        obj.meta_mut()
            .owner_references
            .retain(|r| !unlink.contains(&r.uid));
        let now = c.now;
        let _ = c.store.update(obj, now);
    }
}

/// An owner in foreground deletion: deleted, and held by the `foregroundDeletion` finalizer.
fn waits_for_dependents(meta: &crate::model::ObjectMeta) -> bool {
    meta.deletion_timestamp.is_some() && meta.finalizers.iter().any(|f| f == "foregroundDeletion")
}

fn orphan_dependents(c: &mut Cluster, uid: &str) {
    let deps: Vec<ObjectKey> =
        c.gc.dependents
            .get(uid)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
    for dep in deps {
        if let Some(mut obj) = c.store.get(&dep).cloned() {
            obj.meta_mut().owner_references.retain(|r| r.uid != uid);
            let now = c.now;
            let _ = c.store.update(obj, now);
        }
    }
}

/// Routes a watch event (until this controller returns decisions).
pub(crate) fn route_event(c: &mut Cluster, type_: WatchEventType, obj: &Object) {
    observe(c, type_, obj);
}
