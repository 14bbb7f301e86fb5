//! The API store: the one place objects change. Every write bumps the global resourceVersion and appends a watch
//! event carrying the virtual time and a copy of the object, which controllers, `kubectl get -w` and the view
//! all read through cursors. Objects are kept in one ordered map keyed by (kind, namespace, name), so listing a
//! kind in a namespace, or the members of a StatefulSet by name prefix, is a range scan and never a full scan;
//! and in a hashed map by the same key, so that reading or writing one object is a hash lookup instead of a
//! search comparing strings at every level of the ordered map (the most frequent operation of all).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ops::Bound;
use std::sync::Arc;

use crate::clock::Time;
use crate::hash::PartedMap;
pub use crate::model::ObjectKey;
use crate::model::{KeyParts, Kind, Object, ObjectMeta, Resource};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

#[derive(Debug, Clone)]
pub struct WatchEvent {
    /// Position in the log; cursors compare against it.
    pub seq: u64,
    pub time: Time,
    pub type_: WatchEventType,
    /// The object as written; shared with the store, so logging a write copies nothing.
    pub object: Arc<Object>,
}

/// Errors of the storage layer, each with the status the API server would answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The name is taken (409 AlreadyExists).
    #[error("{resource} \"{name}\" already exists")]
    AlreadyExists { resource: String, name: String },
    /// No such object (404 NotFound).
    #[error("{resource} \"{name}\" not found")]
    NotFound { resource: String, name: String },
}

impl StoreError {
    pub fn not_found(kind: Kind, name: &str) -> StoreError {
        StoreError::NotFound {
            resource: kind.qualified_plural(),
            name: name.to_string(),
        }
    }
}

/// How many already-delivered watch events are kept for late readers.
const LOG_KEEP: usize = 20_000;
/// Older ones are dropped at least this many and at most four times as many at a time, so that no one call
/// drops a burst of old object versions (dropping 20,000 at once took 33 ms natively at 100,000 pods, and a
/// burst of 100,000 writes 100 ms): after a burst the log shrinks back over the next rounds of routing.
const LOG_DROP: usize = 1_000;

/// A field the store indexes, as client-go's informers index their caches (`cache.Indexers`): looking objects
/// up by it is a map lookup, not a walk over every object of the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Index {
    /// PersistentVolumes by the claim their `spec.claimRef` names, as `namespace/name`.
    VolumeByClaim,
    /// PersistentVolumeClaims by `spec.volumeName`.
    ClaimByVolume,
    /// PersistentVolumes no claim has taken (no `spec.claimRef`), by their class.
    UnclaimedVolumeByClass,
    /// Pods by the uid of their controller (the owner reference with `controller: true`); `""` for a pod
    /// without one. What the view reads a StatefulSet's members from, and the pods no controller it shows owns.
    PodByController,
    /// Pods by `spec.nodeName`, once scheduled: how many pods each node runs.
    PodByNode,
}

impl Index {
    const ALL: [Index; 5] = [
        Index::VolumeByClaim,
        Index::ClaimByVolume,
        Index::UnclaimedVolumeByClass,
        Index::PodByController,
        Index::PodByNode,
    ];

    /// The value of this index for `obj` (none when the object is not of the indexed kind or lacks the field),
    /// borrowed where it can be: this runs twice for every index on every write.
    fn value(self, obj: &Object) -> Option<Cow<'_, str>> {
        match (self, obj) {
            (Index::VolumeByClaim, Object::PersistentVolume(pv)) => pv.claim().map(Cow::Owned),
            (Index::ClaimByVolume, Object::PersistentVolumeClaim(pvc)) => pvc
                .spec
                .volume_name
                .as_deref()
                .filter(|n| !n.is_empty())
                .map(Cow::Borrowed),
            (Index::UnclaimedVolumeByClass, Object::PersistentVolume(pv)) => pv
                .spec
                .claim_ref
                .is_none()
                .then(|| Cow::Borrowed(pv.class_name())),
            (Index::PodByController, Object::Pod(pod)) => Some(Cow::Borrowed(
                pod.metadata.controller_ref().map_or("", |r| r.uid.as_str()),
            )),
            (Index::PodByNode, Object::Pod(pod)) => pod
                .spec
                .node_name
                .as_deref()
                .filter(|n| !n.is_empty())
                .map(Cow::Borrowed),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct Store {
    /// Every object in key order: what scans and lists walk.
    objects: BTreeMap<ObjectKey, Arc<Object>>,
    /// The same objects by key, hashed: what a read or write of one object looks up. Never iterated.
    by_key: PartedMap<ObjectKey, Arc<Object>>,
    /// (index, value) -> the keys of the objects with that value, in the store's own order.
    indexes: BTreeMap<(Index, String), BTreeSet<ObjectKey>>,
    resource_version: u64,
    log: VecDeque<WatchEvent>,
    next_seq: u64,
    /// Every Event by namespace, then by when it last happened and its resourceVersion: a namespace's newest
    /// are the end of its range (what the page shows on every tick, without reading every Event).
    events_by_time: BTreeSet<EventOrder>,
    /// How many objects of each kind there are, in every namespace.
    counts: BTreeMap<Kind, usize>,
    /// The ordinals of pods named `<stem>-<n>`, by their controller's uid (`""` for none) and stem, each with
    /// how many pods have it: a StatefulSet's slots without reading 100,000 names.
    pod_ordinals: BTreeMap<(String, String), BTreeMap<i32, usize>>,
    /// The same for claims, by namespace and stem (`www-web` for `www-web-3`).
    claim_ordinals: BTreeMap<(String, String), BTreeMap<i32, usize>>,
}

/// Where an object's ordinal is kept: pods by controller uid, claims by namespace; then the name's stem.
/// Borrowed: this runs twice on every write of a pod.
fn ordinal_place(obj: &Object) -> Option<(bool, &str, &str, i32)> {
    let (is_pod, group) = match obj {
        Object::Pod(p) => (
            true,
            p.metadata.controller_ref().map_or("", |r| r.uid.as_str()),
        ),
        Object::PersistentVolumeClaim(c) => (false, c.metadata.namespace.as_str()),
        _ => return None,
    };
    let (stem, ordinal) = crate::controllers::statefulset::parent_and_ordinal(&obj.meta().name)?;
    Some((is_pod, group, stem, ordinal))
}

/// Where an Event sorts among its namespace's: `(namespace, lastTimestamp, resourceVersion, name)`.
type EventOrder = (String, Option<Time>, u64, String);

fn event_order(obj: &Object) -> Option<EventOrder> {
    let Object::Event(e) = obj else {
        return None;
    };
    let (at, version) = e.recency();
    Some((
        e.metadata.namespace.clone(),
        at,
        version,
        e.metadata.name.clone(),
    ))
}

impl Store {
    pub fn get(&self, key: &ObjectKey) -> Option<&Object> {
        self.by_key.get(key).map(|o| &**o)
    }

    pub fn get_typed<T: Resource>(&self, namespace: &str, name: &str) -> Option<&T> {
        self.get_parts(T::KIND, namespace, name)
            .and_then(|o| T::from_object(o))
    }

    /// [`Store::get`] by the key's parts, without building a key.
    pub fn get_parts(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        let parts = ObjectKey::parts(kind, namespace, name);
        self.by_key.get(&parts as &dyn KeyParts).map(|o| &**o)
    }

    /// Objects of one kind: in `namespace`, or in every namespace when `None`, sorted by namespace then name.
    pub fn list<T: Resource>(&self, namespace: Option<&str>) -> impl Iterator<Item = &T> + '_ {
        self.list_kind(T::KIND, namespace)
            .filter_map(|o| T::from_object(o))
    }

    /// [`Store::list`] for a kind known only at run time (kubectl's `get TYPE`, completion): a range scan.
    pub fn list_kind(
        &self,
        kind: Kind,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = &Object> + '_ {
        let start = |ns: &str| ObjectKey {
            kind,
            namespace: ns.to_string(),
            name: String::new(),
        };
        let (lo, hi) = match namespace {
            Some(ns) => {
                let ns = if kind.info().namespaced { ns } else { "" };
                (
                    Bound::Included(start(ns)),
                    Bound::Excluded(start(&format!("{ns}\0"))),
                )
            }
            None => (
                Bound::Included(start("")),
                match Kind::ALL
                    .iter()
                    .position(|k| *k == kind)
                    .and_then(|i| Kind::ALL.get(i + 1))
                {
                    Some(next) => Bound::Excluded(ObjectKey {
                        kind: *next,
                        namespace: String::new(),
                        name: String::new(),
                    }),
                    None => Bound::Unbounded,
                },
            ),
        };
        self.objects.range((lo, hi)).map(|(_, o)| &**o)
    }

    /// Objects of one kind in `namespace` whose name starts with `prefix`: a range scan.
    pub fn list_prefix<'a, T: Resource>(
        &'a self,
        namespace: &str,
        prefix: &str,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.scan_prefix(T::KIND, namespace, prefix, None)
            .filter_map(|o| T::from_object(o))
    }

    /// Objects of one kind in every namespace, as [`Store::list`] orders them, from `from` on (or from the
    /// first): a walk that can stop at any object and go on from it later.
    pub fn list_from<'a, T: Resource>(
        &'a self,
        from: Option<&ObjectKey>,
    ) -> impl Iterator<Item = &'a T> + 'a {
        let lo = from
            .cloned()
            .unwrap_or_else(|| ObjectKey::new(T::KIND, "", ""));
        self.objects
            .range(lo..)
            .take_while(|(k, _)| k.kind == T::KIND)
            .filter_map(|(_, o)| T::from_object(o))
    }

    /// The objects of `kind` in `namespace` whose name starts with `prefix` and comes after `after` (from the
    /// first when `None`), as the store holds them: a range scan that can stop anywhere and go on later.
    pub fn scan_prefix<'a>(
        &'a self,
        kind: Kind,
        namespace: &str,
        prefix: &str,
        after: Option<&str>,
    ) -> impl Iterator<Item = &'a Arc<Object>> + 'a {
        let lo = match after {
            Some(name) => Bound::Excluded(ObjectKey::new(kind, namespace, name)),
            None => Bound::Included(ObjectKey::new(kind, namespace, prefix)),
        };
        let namespace = ObjectKey::new(kind, namespace, "").namespace;
        let prefix = prefix.to_string();
        // The same names in the next namespace are not this one's.
        self.objects
            .range((lo, Bound::Unbounded))
            .take_while(move |(k, _)| {
                k.kind == kind && k.namespace == namespace && k.name.starts_with(&prefix)
            })
            .map(|(_, o)| o)
    }

    /// The objects of one kind that `owner` controls (their controller reference carries its uid). The
    /// controllers name what they make `<owner>-…` (pods, ReplicaSets, ControllerRevisions), so this is a range
    /// scan over that prefix rather than a walk over the namespace.
    pub fn controlled_by<'a, T: Resource>(
        &'a self,
        owner: &ObjectMeta,
    ) -> impl Iterator<Item = &'a T> + 'a {
        let uid = owner.uid.clone();
        self.list_prefix::<T>(&owner.namespace, &format!("{}-", owner.name))
            .filter(move |o| o.meta().controller_ref().is_some_and(|r| r.uid == uid))
    }

    /// The objects of kind `T` whose field `index` has `value`, in the order [`Store::list`] gives them.
    pub fn indexed<'a, T: Resource>(
        &'a self,
        index: Index,
        value: &str,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.indexed_keys(index, value)
            .filter_map(|key| self.by_key.get(key))
            .filter_map(|o| T::from_object(o))
    }

    /// The keys of the objects whose field `index` has `value`, in the store's order: what [`Store::indexed`]
    /// reads, for a caller that needs only the names.
    pub fn indexed_keys<'a>(
        &'a self,
        index: Index,
        value: &str,
    ) -> impl Iterator<Item = &'a ObjectKey> + 'a {
        self.indexes
            .get(&(index, value.to_string()))
            .into_iter()
            .flatten()
    }

    /// How many objects have `value` in `index`.
    pub fn indexed_len(&self, index: Index, value: &str) -> usize {
        self.indexes
            .get(&(index, value.to_string()))
            .map_or(0, BTreeSet::len)
    }

    /// Every value `index` has, in order, with the keys of the objects that have it.
    pub fn index_values(
        &self,
        index: Index,
    ) -> impl Iterator<Item = (&str, &BTreeSet<ObjectKey>)> + '_ {
        self.indexes
            .range((index, String::new())..)
            .take_while(move |((i, _), _)| *i == index)
            .map(|((_, value), keys)| (value.as_str(), keys))
    }

    /// How many objects of `kind` there are, in every namespace.
    pub fn count(&self, kind: Kind) -> usize {
        self.counts.get(&kind).copied().unwrap_or(0)
    }

    /// The names of the objects of `kind` in `namespace` that start with `prefix`, in order, without reading
    /// the objects (a walk over the keys alone).
    pub fn names_with_prefix<'a>(
        &'a self,
        kind: Kind,
        namespace: &str,
        prefix: &str,
    ) -> impl Iterator<Item = &'a str> + 'a {
        let lo = ObjectKey::new(kind, namespace, prefix);
        let prefix = prefix.to_string();
        self.objects
            .range(lo.clone()..)
            .take_while(move |(k, _)| {
                k.kind == kind && k.namespace == lo.namespace && k.name.starts_with(&prefix)
            })
            .map(|(k, _)| k.name.as_str())
    }

    /// The ordinals of the pods whose controller has `uid` and whose names are `<stem>-<n>`: the keys, in
    /// order, each once (the values count the names that parse to the same ordinal).
    pub fn pod_ordinals(&self, uid: &str, stem: &str) -> Option<&BTreeMap<i32, usize>> {
        self.pod_ordinals.get(&(uid.to_string(), stem.to_string()))
    }

    /// The ordinals of the claims in `namespace` named `<stem>-<n>`, as [`Store::pod_ordinals`] keeps them.
    pub fn claim_ordinals(&self, namespace: &str, stem: &str) -> Option<&BTreeMap<i32, usize>> {
        self.claim_ordinals
            .get(&(namespace.to_string(), stem.to_string()))
    }

    /// Where pods' (or else claims') ordinals are kept.
    fn ordinals_of(
        &mut self,
        is_pod: bool,
    ) -> &mut BTreeMap<(String, String), BTreeMap<i32, usize>> {
        if is_pod {
            &mut self.pod_ordinals
        } else {
            &mut self.claim_ordinals
        }
    }

    /// Moves an object's ordinal from where `old` kept it to where `new` does (a pod's controller can change).
    fn reindex_ordinal(&mut self, old: Option<&Object>, new: Option<&Object>) {
        let before = old.and_then(ordinal_place);
        let after = new.and_then(ordinal_place);
        if before == after {
            return;
        }
        if let Some((is_pod, group, stem, ordinal)) = before {
            let map = self.ordinals_of(is_pod);
            let place = (group.to_string(), stem.to_string());
            if let Some(counts) = map.get_mut(&place) {
                if let Some(n) = counts.get_mut(&ordinal) {
                    *n -= 1;
                    if *n == 0 {
                        counts.remove(&ordinal);
                    }
                }
                if counts.is_empty() {
                    map.remove(&place);
                }
            }
        }
        if let Some((is_pod, group, stem, ordinal)) = after {
            let place = (group.to_string(), stem.to_string());
            *self
                .ordinals_of(is_pod)
                .entry(place)
                .or_default()
                .entry(ordinal)
                .or_default() += 1;
        }
    }

    /// Moves `key` in every index from what `old` had to what `new` has.
    fn reindex(&mut self, key: &ObjectKey, old: Option<&Object>, new: Option<&Object>) {
        if matches!(key.kind, Kind::Pod | Kind::PersistentVolumeClaim) {
            self.reindex_ordinal(old, new);
        }
        match (old.is_some(), new.is_some()) {
            (false, true) => *self.counts.entry(key.kind).or_default() += 1,
            (true, false) => {
                if let Some(n) = self.counts.get_mut(&key.kind) {
                    *n = n.saturating_sub(1);
                }
            }
            _ => {}
        }
        if key.kind == Kind::Event {
            if let Some(entry) = old.and_then(event_order) {
                self.events_by_time.remove(&entry);
            }
            if let Some(entry) = new.and_then(event_order) {
                self.events_by_time.insert(entry);
            }
        }
        for index in Index::ALL {
            let before = old.and_then(|o| index.value(o));
            let after = new.and_then(|o| index.value(o));
            if before == after {
                continue;
            }
            if let Some(value) = before {
                let entry = (index, value.into_owned());
                if let Some(keys) = self.indexes.get_mut(&entry) {
                    keys.remove(key);
                    if keys.is_empty() {
                        self.indexes.remove(&entry);
                    }
                }
            }
            if let Some(value) = after {
                self.indexes
                    .entry((index, value.into_owned()))
                    .or_default()
                    .insert(key.clone());
            }
        }
    }

    /// The Events of `namespace`, the newest first ([`Event::recency`](crate::model::Event::recency)): the end
    /// of what `kubectl get events` lists, without reading every Event.
    pub fn newest_events<'a>(
        &'a self,
        namespace: &str,
    ) -> impl Iterator<Item = &'a crate::model::Event> + 'a {
        let from = (namespace.to_string(), None, 0, String::new());
        // Every key of this namespace sorts before the namespace followed by the smallest character.
        let to = (format!("{namespace}\0"), None, 0, String::new());
        self.events_by_time
            .range((Bound::Included(from), Bound::Excluded(to)))
            .rev()
            .filter_map(|(ns, _, _, name)| self.get_typed::<crate::model::Event>(ns, name))
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Stores a new object. The caller has set name, namespace and uid; the store sets resourceVersion and, if
    /// absent, creationTimestamp.
    pub fn create(&mut self, mut obj: Object, now: Time) -> Result<(), StoreError> {
        let key = ObjectKey::of(&obj);
        if self.by_key.contains_key(&key) {
            return Err(StoreError::AlreadyExists {
                resource: key.kind.qualified_plural(),
                name: key.name,
            });
        }
        self.resource_version += 1;
        let meta = obj.meta_mut();
        meta.resource_version = self.resource_version.to_string();
        meta.creation_timestamp.get_or_insert(now);
        let obj = Arc::new(obj);
        self.reindex(&key, None, Some(&obj));
        self.record(now, WatchEventType::Added, Arc::clone(&obj));
        self.by_key.insert(key.clone(), Arc::clone(&obj));
        self.objects.insert(key, obj);
        Ok(())
    }

    /// Replaces an existing object (same key). Writes nothing and returns `Ok(false)` when the new object equals
    /// the stored one apart from resourceVersion, so controllers can write unconditionally without noise.
    pub fn update(&mut self, mut obj: Object, now: Time) -> Result<bool, StoreError> {
        let key = ObjectKey::of(&obj);
        let Some(slot) = self.by_key.get_mut(&key) else {
            return Err(StoreError::not_found(key.kind, &key.name));
        };
        obj.meta_mut().resource_version = slot.meta().resource_version.clone();
        if **slot == obj {
            return Ok(false);
        }
        self.resource_version += 1;
        obj.meta_mut().resource_version = self.resource_version.to_string();
        let obj = Arc::new(obj);
        let old = std::mem::replace(slot, Arc::clone(&obj));
        if let Some(ordered) = self.objects.get_mut(&key) {
            *ordered = Arc::clone(&obj);
        }
        self.reindex(&key, Some(&old), Some(&obj));
        self.record(now, WatchEventType::Modified, obj);
        Ok(true)
    }

    /// Applies `change` to a copy of the typed object and writes it if anything changed. Returns whether the
    /// object exists.
    pub fn modify<T: Resource>(
        &mut self,
        namespace: &str,
        name: &str,
        now: Time,
        change: impl FnOnce(&mut T),
    ) -> bool {
        let Some(mut obj) = self.get_parts(T::KIND, namespace, name).cloned() else {
            return false;
        };
        if let Some(t) = T::from_object_mut(&mut obj) {
            change(t);
        }
        // The key cannot change through `change` in a way that misses: update reports NotFound then.
        self.update(obj, now).is_ok()
    }

    /// Removes the object for good (after finalizers and grace). Returns it.
    pub fn remove(&mut self, key: &ObjectKey, now: Time) -> Option<Object> {
        let obj = self.by_key.remove(key)?;
        self.objects.remove(key);
        self.reindex(key, Some(&obj), None);
        self.resource_version += 1;
        let mut last = Object::clone(&obj);
        last.meta_mut().resource_version = self.resource_version.to_string();
        self.record(now, WatchEventType::Deleted, Arc::new(last));
        Some(Arc::unwrap_or_clone(obj))
    }

    fn record(&mut self, time: Time, type_: WatchEventType, object: Arc<Object>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.log.push_back(WatchEvent {
            seq,
            time,
            type_,
            object,
        });
    }

    /// Forgets watch events older than `LOG_KEEP` before `cursor`. The cluster calls this once its controllers
    /// have read up to `cursor`, so no reader that matters ever misses an event; a late watcher (a view, a test)
    /// still sees the last `LOG_KEEP`.
    pub fn compact(&mut self, cursor: u64) {
        let keep_from = cursor.saturating_sub(LOG_KEEP as u64);
        let first = self.log.front().map_or(self.next_seq, |e| e.seq);
        if keep_from > first + LOG_DROP as u64 {
            let n = usize::try_from(keep_from - first)
                .unwrap_or(usize::MAX)
                .min(4 * LOG_DROP)
                .min(self.log.len());
            self.log.drain(..n);
        }
    }

    /// The sequence number the next watch event will get: a cursor that sees only what happens from now on.
    pub fn cursor(&self) -> u64 {
        self.next_seq
    }

    /// Watch events with `seq >= cursor`, oldest first (those still kept).
    pub fn events_since(&self, cursor: u64) -> impl Iterator<Item = &WatchEvent> {
        let first = self.log.front().map_or(self.next_seq, |e| e.seq);
        let skip = usize::try_from(cursor.saturating_sub(first)).unwrap_or(usize::MAX);
        self.log.iter().skip(skip)
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ObjectMeta, Pod};

    fn pod(ns: &str, name: &str) -> Object {
        Object::Pod(Pod {
            metadata: ObjectMeta {
                name: name.into(),
                namespace: ns.into(),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    #[test]
    fn pods_are_indexed_by_controller_and_node_and_kinds_counted() {
        let mut s = Store::default();
        let owned = |name: &str, uid: &str| {
            let mut o = pod("default", name);
            if let Object::Pod(p) = &mut o {
                p.metadata
                    .owner_references
                    .push(crate::model::meta::OwnerReference {
                        api_version: "apps/v1".into(),
                        kind: "StatefulSet".into(),
                        name: "web".into(),
                        uid: uid.into(),
                        controller: Some(true),
                        block_owner_deletion: Some(true),
                    });
            }
            o
        };
        s.create(owned("web-0", "u1"), Time::ZERO).unwrap();
        s.create(owned("web-1", "u1"), Time::ZERO).unwrap();
        s.create(pod("default", "lone"), Time::ZERO).unwrap();
        assert_eq!(s.indexed_len(Index::PodByController, "u1"), 2);
        let values: Vec<(&str, usize)> = s
            .index_values(Index::PodByController)
            .map(|(v, keys)| (v, keys.len()))
            .collect();
        assert_eq!(values, [("", 1), ("u1", 2)]);
        assert_eq!(s.count(Kind::Pod), 3);
        // Bound to a node, then moved (a test's liberty), then gone.
        let mut bound = owned("web-0", "u1");
        if let Object::Pod(p) = &mut bound {
            p.spec_mut().node_name = Some("kind-worker".into());
        }
        s.update(bound.clone(), Time::ZERO).unwrap();
        assert_eq!(s.indexed_len(Index::PodByNode, "kind-worker"), 1);
        if let Object::Pod(p) = &mut bound {
            p.spec_mut().node_name = Some("kind-worker2".into());
        }
        s.update(bound, Time::ZERO).unwrap();
        assert_eq!(s.indexed_len(Index::PodByNode, "kind-worker"), 0);
        assert_eq!(s.indexed_len(Index::PodByNode, "kind-worker2"), 1);
        s.remove(&ObjectKey::new(Kind::Pod, "default", "web-0"), Time::ZERO);
        assert_eq!(s.indexed_len(Index::PodByNode, "kind-worker2"), 0);
        assert_eq!(s.indexed_len(Index::PodByController, "u1"), 1);
        assert_eq!(s.count(Kind::Pod), 2);
        let names: Vec<&str> = s.names_with_prefix(Kind::Pod, "default", "web-").collect();
        assert_eq!(names, ["web-1"]);
    }

    #[test]
    fn list_is_scoped_to_kind_and_namespace() {
        let mut s = Store::default();
        for (ns, n) in [
            ("default", "web-0"),
            ("default", "web-1"),
            ("other", "web-0"),
            ("default", "webx-0"),
        ] {
            s.create(pod(ns, n), Time::ZERO).unwrap();
        }
        let names: Vec<_> = s
            .list::<Pod>(Some("default"))
            .map(|p| p.metadata.name.clone())
            .collect();
        assert_eq!(names, ["web-0", "web-1", "webx-0"]);
        assert_eq!(s.list::<Pod>(None).count(), 4);
        let members: Vec<_> = s
            .list_prefix::<Pod>("default", "web-")
            .map(|p| p.metadata.name.clone())
            .collect();
        assert_eq!(members, ["web-0", "web-1"]);
        // With nothing after the prefix in its own namespace, the scan stops there: the same names in the
        // next namespace are not members.
        let mut s = Store::default();
        for (ns, n) in [("default", "web-0"), ("other", "web-1")] {
            s.create(pod(ns, n), Time::ZERO).unwrap();
        }
        assert_eq!(s.list_prefix::<Pod>("default", "web-").count(), 1);
        // A scan resumes after the name it stopped at.
        let mut s = Store::default();
        for n in ["web-0", "web-1", "web-2"] {
            s.create(pod("default", n), Time::ZERO).unwrap();
        }
        let rest: Vec<_> = s
            .scan_prefix(Kind::Pod, "default", "web-", Some("web-0"))
            .map(|o| o.meta().name.clone())
            .collect();
        assert_eq!(rest, ["web-1", "web-2"]);
    }

    #[test]
    fn events_come_newest_first_by_time_then_by_write() {
        use crate::model::Event;
        let event = |ns: &str, name: &str, at: u64| {
            Object::Event(Event {
                metadata: ObjectMeta {
                    name: name.into(),
                    namespace: ns.into(),
                    ..Default::default()
                },
                last_timestamp: Some(Time(at)),
                ..Default::default()
            })
        };
        let mut s = Store::default();
        s.create(event("default", "a", 5), Time(5)).unwrap();
        s.create(event("default", "b", 9), Time(9)).unwrap();
        s.create(event("default", "c", 9), Time(9)).unwrap();
        s.create(event("default-x", "d", 20), Time(20)).unwrap();
        s.create(event("kube-system", "e", 30), Time(30)).unwrap();
        let names = |s: &Store| -> Vec<String> {
            s.newest_events("default")
                .map(|e| e.metadata.name.clone())
                .collect()
        };
        // The same time: the later write first. Other namespaces, even one named like this one, are not read.
        assert_eq!(names(&s), ["c", "b", "a"]);
        // Written again, later: an Event's count going up moves it to the front.
        s.modify::<Event>("default", "a", Time(12), |e| {
            e.last_timestamp = Some(Time(12))
        });
        assert_eq!(names(&s), ["a", "c", "b"]);
        s.remove(&ObjectKey::new(Kind::Event, "default", "c"), Time(13));
        assert_eq!(names(&s), ["a", "b"]);
    }

    #[test]
    fn writes_bump_resource_version_and_log_events() {
        let mut s = Store::default();
        let cursor = s.cursor();
        s.create(pod("default", "a"), Time(5)).unwrap();
        assert!(
            s.modify::<Pod>("default", "a", Time(6), |p| p.status.phase =
                "Running".into())
        );
        // An update that changes nothing is not written.
        assert_eq!(
            s.update(
                s.get(&ObjectKey::new(Kind::Pod, "default", "a"))
                    .unwrap()
                    .clone(),
                Time(7)
            ),
            Ok(false)
        );
        s.remove(&ObjectKey::new(Kind::Pod, "default", "a"), Time(8));
        let types: Vec<_> = s.events_since(cursor).map(|e| (e.type_, e.time)).collect();
        assert_eq!(
            types,
            [
                (WatchEventType::Added, Time(5)),
                (WatchEventType::Modified, Time(6)),
                (WatchEventType::Deleted, Time(8))
            ]
        );
        assert_eq!(s.resource_version(), 3);
    }

    #[test]
    fn create_refuses_a_taken_name() {
        let mut s = Store::default();
        s.create(pod("default", "a"), Time::ZERO).unwrap();
        assert_eq!(
            s.create(pod("default", "a"), Time::ZERO),
            Err(StoreError::AlreadyExists {
                resource: "pods".into(),
                name: "a".into()
            })
        );
    }
}
