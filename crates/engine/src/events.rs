//! Kubernetes Events, as controllers and kubelets record them: one Event object per (object, reason, message,
//! source), whose `count` and `lastTimestamp` grow when the same thing happens again — the correlation that
//! makes `describe` print `3s (x24 over 5m34s)`.

use std::collections::BTreeMap;

use crate::cluster::Cluster;
use crate::model::cluster::EventSource;
use crate::model::storage::ObjectReference;
use crate::model::{Event, Kind, Object, ObjectMeta};
use crate::store::ObjectKey;

#[derive(Debug, Default)]
pub(crate) struct EventRecorder {
    /// (involved uid, reason, message, component) -> the Event object that counts it.
    seen: BTreeMap<(String, String, String, String), ObjectKey>,
}

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Who reports an event: a component, and for the kubelet its node.
#[derive(Debug, Clone)]
pub struct Source {
    pub component: &'static str,
    pub host: Option<String>,
}

impl Source {
    pub const fn component(component: &'static str) -> Source {
        Source {
            component,
            host: None,
        }
    }
}

/// Anything an event can be about: an [`Object`] or a typed one, read without copying.
pub(crate) trait Involved {
    fn kind_and_meta(&self) -> (Kind, &ObjectMeta);
}

impl Involved for Object {
    fn kind_and_meta(&self) -> (Kind, &ObjectMeta) {
        (self.kind(), self.meta())
    }
}

impl<T: crate::model::Resource> Involved for T {
    fn kind_and_meta(&self) -> (Kind, &ObjectMeta) {
        (T::KIND, self.meta())
    }
}

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
        let (kind, meta) = involved.kind_and_meta();
        let info = kind.info();
        let dedup = (
            meta.uid.clone(),
            reason.to_string(),
            message.to_string(),
            source.component.to_string(),
        );
        let now = self.now;
        if let Some(key) = self.recorder.seen.get(&dedup).cloned() {
            if self
                .store
                .modify::<Event>(&key.namespace, &key.name, now, |e| {
                    e.count += 1;
                    e.last_timestamp = Some(now);
                })
            {
                return;
            }
        }
        let namespace = if meta.namespace.is_empty() {
            "default".to_string()
        } else {
            meta.namespace.clone()
        };
        let name = format!("{}.{:016x}", meta.name, self.rng.next_u64() >> 4);
        let uid = self.rng.uuid();
        let event = Event {
            metadata: ObjectMeta {
                name: name.clone(),
                namespace: namespace.clone(),
                uid,
                ..Default::default()
            },
            involved_object: ObjectReference {
                api_version: Some(info.api_version.to_string()),
                kind: Some(info.kind.to_string()),
                namespace: meta.namespace.clone(),
                name: meta.name.clone(),
                uid: meta.uid.clone(),
                resource_version: Some(meta.resource_version.clone()),
            },
            reason: reason.to_string(),
            message: message.to_string(),
            type_: type_.as_str().to_string(),
            source: EventSource {
                component: source.component.to_string(),
                host: source.host,
            },
            first_timestamp: Some(now),
            last_timestamp: Some(now),
            count: 1,
        };
        if self.store.create(Object::Event(event), now).is_ok() {
            self.recorder
                .seen
                .insert(dedup, ObjectKey::new(Kind::Event, &namespace, &name));
        }
    }

    /// Events about the object with `uid`, oldest first.
    pub fn events_for(&self, uid: &str) -> Vec<&Event> {
        let mut out: Vec<&Event> = self
            .store
            .list::<Event>(None)
            .filter(|e| e.involved_object.uid == uid)
            .collect();
        out.sort_by_key(|e| {
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
        out.sort_by_key(|e| {
            (
                e.last_timestamp,
                e.metadata.resource_version.parse::<u64>().unwrap_or(0),
            )
        });
        out
    }
}
