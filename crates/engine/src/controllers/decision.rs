//! What a controller decided: the writes it wants made, in order, and the work it wants queued. A controller
//! returns a [`Decision`] instead of writing the store itself, as kube-rs' `reconcile` returns an `Action` and
//! the StatefulSet controller's `stateful_set_control.go` decides what `stateful_pod_control.go` then does; the
//! cluster loop applies the actions one after the other through the API server's and the store's write paths,
//! so uids, names, resourceVersions and Events come out in the order they were decided.
//!
//! Where what comes next depends on how a write went (a generated pod name in the `SuccessfulCreate` Event, a
//! `FailedCreate` instead) the action carries a continuation that decides from the outcome; where a controller
//! reads back what it has just written, [`Action::Then`] decides the rest once everything before it has been
//! applied. Neither sees anything but the outcome and a read-only view.

use crate::api::{ApiError, DeleteOptions};
use crate::clock::Time;
use crate::events::{EventType, Involved, Source};
use crate::model::storage::ObjectReference;
use crate::model::{Object, Pod, Resource};
use crate::runtime::cri::{Answer, Call};
use crate::store::ObjectKey;

use super::{Hint, View, Wake};

/// Decides what follows a create from its outcome: the name the object got, or why it was refused.
pub(crate) type AfterCreate = Box<dyn FnOnce(Result<&str, &ApiError>) -> Decision>;
/// Decides what follows a delete from its outcome.
pub(crate) type AfterDelete = Box<dyn FnOnce(Result<(), &ApiError>) -> Decision>;
/// Decides the rest of a sync from the store as the actions before it left it.
pub(crate) type Stage = Box<dyn FnOnce(&View) -> Decision>;
/// A change made to an object as it is stored when the change is applied, as a PATCH request is.
pub(crate) type Change = Box<dyn FnOnce(&mut Object)>;
/// Decides what follows a draw from the cluster's random stream.
pub(crate) type AfterDraw = Box<dyn FnOnce(u64) -> Decision>;
/// Decides what follows a fresh UUID from the cluster's random stream.
pub(crate) type AfterUuid = Box<dyn FnOnce(String) -> Decision>;
/// Decides what follows a call into the container runtime from what it answered.
pub(crate) type AfterRuntime = Box<dyn FnOnce(Answer) -> Decision>;
/// Decides what follows an attempt to resume a repeating Event: whether it was still going.
pub(crate) type AfterResume = Box<dyn FnOnce(bool) -> Decision>;

/// A controller's own name for a timer or a repeating Event it may cancel or stop later; the cluster loop
/// keeps which of its entries each name stands for, so a controller never sees the clock's sequence numbers.
pub(crate) type Handle = u64;

/// An Event a component records, with the reference to the object it is about taken when it was decided.
#[derive(Debug, Clone)]
pub(crate) struct EventRecord {
    pub object: ObjectReference,
    pub type_: EventType,
    pub reason: String,
    pub message: String,
    pub source: Source,
}

impl EventRecord {
    /// An Event about `involved` (which must have a uid), referring to it as it is now.
    pub fn about(
        involved: &impl Involved,
        type_: EventType,
        reason: &str,
        message: &str,
        source: Source,
    ) -> EventRecord {
        EventRecord {
            object: crate::events::reference(involved, None),
            type_,
            reason: reason.to_string(),
            message: message.to_string(),
            source,
        }
    }

    /// An Event about container `container` of `pod`, referring to it by field path as `recordContainerEvent`
    /// does, which keeps apart equal events of two containers.
    pub fn about_container(
        pod: &Pod,
        container: &str,
        type_: EventType,
        reason: &str,
        message: &str,
        source: Source,
    ) -> EventRecord {
        EventRecord {
            object: crate::events::reference(
                pod,
                crate::events::container_field_path(pod, container),
            ),
            type_,
            reason: reason.to_string(),
            message: message.to_string(),
            source,
        }
    }
}

/// One write, or one piece of bookkeeping, a controller asks the cluster loop for.
pub(crate) enum Action {
    /// Adds a key to the deciding controller's own work queue: a requeue, or a watch event routed to it.
    Queue(ObjectKey),
    /// Creates an object through admission (`POST`), generating its name from `metadata.generateName` when it
    /// has none.
    Create {
        object: Box<Object>,
        then: Option<AfterCreate>,
    },
    /// Stores a new object as it is, bypassing admission: what the control plane makes with a uid of its own.
    Insert(Box<Object>),
    /// Replaces a stored object as it is (`PUT` of an object whose resourceVersion is ignored), writing nothing
    /// when nothing changed.
    Update(Box<Object>),
    /// Changes the stored object `key` as it is when applied; nothing when it is gone. The write is stamped
    /// `at` when given (a later sync at the same instant), else now.
    Patch {
        key: ObjectKey,
        change: Change,
        at: Option<Time>,
    },
    /// Deletes an object through the API server (grace periods, finalizers, propagation).
    Delete {
        key: ObjectKey,
        options: DeleteOptions,
        then: Option<AfterDelete>,
    },
    /// Removes one finalizer, which finishes a deletion it was the last to hold.
    RemoveFinalizer {
        key: ObjectKey,
        finalizer: &'static str,
    },
    /// Records an Event through the component's recorder.
    Event(Box<EventRecord>),
    /// Wakes the deciding controller at `at` with `wake`; a timer with a handle can be cancelled.
    Wake {
        at: Time,
        wake: Wake,
        handle: Option<Handle>,
    },
    /// Cancels the deciding controller's timer `handle` (nothing when it is gone).
    CancelWake(Handle),
    /// Forgets the handle of a timer that has fired.
    ForgetWake(Handle),
    /// Records an Event again and again: every `period_ms` from `first` on, until stopped.
    StartRepeating {
        handle: Handle,
        event: Box<EventRecord>,
        first: Time,
        period_ms: u64,
    },
    /// The repeating Event `handle` occurs for the last time at or before `last`; its handle is free.
    StopRepeating { handle: Handle, last: Time },
    /// The repeating Event `handle` occurs for the last time at or before `last`, for now: the handle stays, so
    /// that it can be resumed, or stopped earlier still.
    PauseRepeating { handle: Handle, last: Time },
    /// The repeating Event `handle` goes on after all, if it has not ended yet; what follows is decided from
    /// whether it had.
    ResumeRepeating { handle: Handle, then: AfterResume },
    /// A call into the node's container runtime (the kubelet's CRI): what it answers decides what follows.
    Runtime {
        call: Call,
        then: Option<AfterRuntime>,
    },
    /// Removes a terminating pod whose containers have all stopped (the kubelet's status manager deleting it
    /// with grace 0), when nothing else holds it.
    FinishDeletion(ObjectKey),
    /// Draws a number below `below` from the cluster's random stream, and decides from it what follows.
    Draw { below: u64, then: AfterDraw },
    /// Draws a UUID from the cluster's random stream, and decides from it what follows.
    Uuid(AfterUuid),
    /// Tells a controller (the deciding one, or another) something it reacts to at once, as a queueing hint
    /// or a resumed sync does; its decision is applied before the next action.
    Hint(Hint),
    /// Decides the rest once every action before it has been applied.
    Then(Stage),
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Queue(k) => f.debug_tuple("Queue").field(k).finish(),
            Action::Create { object, .. } => f
                .debug_tuple("Create")
                .field(&ObjectKey::of(object))
                .finish(),
            Action::Insert(o) => f.debug_tuple("Insert").field(&ObjectKey::of(o)).finish(),
            Action::Update(o) => f.debug_tuple("Update").field(&ObjectKey::of(o)).finish(),
            Action::Patch { key, .. } => f.debug_tuple("Patch").field(key).finish(),
            Action::Delete { key, .. } => f.debug_tuple("Delete").field(key).finish(),
            Action::RemoveFinalizer { key, finalizer } => f
                .debug_tuple("RemoveFinalizer")
                .field(key)
                .field(finalizer)
                .finish(),
            Action::Event(e) => f
                .debug_tuple("Event")
                .field(&e.reason)
                .field(&e.message)
                .finish(),
            Action::Wake { at, wake, handle } => f
                .debug_tuple("Wake")
                .field(at)
                .field(wake)
                .field(handle)
                .finish(),
            Action::CancelWake(h) => f.debug_tuple("CancelWake").field(h).finish(),
            Action::ForgetWake(h) => f.debug_tuple("ForgetWake").field(h).finish(),
            Action::StartRepeating { handle, event, .. } => f
                .debug_tuple("StartRepeating")
                .field(handle)
                .field(&event.reason)
                .finish(),
            Action::StopRepeating { handle, last } => f
                .debug_tuple("StopRepeating")
                .field(handle)
                .field(last)
                .finish(),
            Action::PauseRepeating { handle, last } => f
                .debug_tuple("PauseRepeating")
                .field(handle)
                .field(last)
                .finish(),
            Action::ResumeRepeating { handle, .. } => {
                f.debug_tuple("ResumeRepeating").field(handle).finish()
            }
            Action::Runtime { call, .. } => f.debug_tuple("Runtime").field(call).finish(),
            Action::FinishDeletion(k) => f.debug_tuple("FinishDeletion").field(k).finish(),
            Action::Draw { below, .. } => f.debug_tuple("Draw").field(below).finish(),
            Action::Uuid(_) => f.write_str("Uuid(..)"),
            Action::Hint(h) => f.debug_tuple("Hint").field(h).finish(),
            Action::Then(_) => f.write_str("Then(..)"),
        }
    }
}

/// The actions of one routing, sync or wake-up, in the order they are to be applied.
#[derive(Debug, Default)]
#[must_use = "a decision does nothing until the cluster loop applies it"]
pub(crate) struct Decision {
    pub actions: Vec<Action>,
}

impl Decision {
    /// Nothing to do.
    pub fn none() -> Decision {
        Decision::default()
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Appends everything `other` decided, after what is decided already.
    pub fn extend(&mut self, other: Decision) {
        self.actions.extend(other.actions);
    }

    pub fn queue(&mut self, key: ObjectKey) {
        self.push(Action::Queue(key));
    }

    pub fn create(&mut self, object: Object) {
        self.push(Action::Create {
            object: Box::new(object),
            then: None,
        });
    }

    /// Creates `object` and decides from the outcome what follows.
    pub fn create_then(
        &mut self,
        object: Object,
        then: impl FnOnce(Result<&str, &ApiError>) -> Decision + 'static,
    ) {
        self.push(Action::Create {
            object: Box::new(object),
            then: Some(Box::new(then)),
        });
    }

    pub fn insert(&mut self, object: Object) {
        self.push(Action::Insert(Box::new(object)));
    }

    pub fn update(&mut self, object: Object) {
        self.push(Action::Update(Box::new(object)));
    }

    /// Changes the typed object `namespace/name` as it is stored when this is applied.
    pub fn patch<T: Resource>(
        &mut self,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut T) + 'static,
    ) {
        self.patch_at_time::<T>(None, namespace, name, change);
    }

    /// [`Decision::patch`], the write stamped `at` (a later sync at the same instant) instead of now.
    pub fn patch_at<T: Resource>(
        &mut self,
        at: Time,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut T) + 'static,
    ) {
        self.patch_at_time::<T>(Some(at), namespace, name, change);
    }

    fn patch_at_time<T: Resource>(
        &mut self,
        at: Option<Time>,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut T) + 'static,
    ) {
        self.push(Action::Patch {
            key: ObjectKey::new(T::KIND, namespace, name),
            change: Box::new(move |obj: &mut Object| {
                if let Some(t) = T::from_object_mut(obj) {
                    change(t);
                }
            }),
            at,
        });
    }

    pub fn delete(&mut self, key: ObjectKey, options: DeleteOptions) {
        self.push(Action::Delete {
            key,
            options,
            then: None,
        });
    }

    /// Deletes `key` and decides from the outcome what follows.
    pub fn delete_then(
        &mut self,
        key: ObjectKey,
        options: DeleteOptions,
        then: impl FnOnce(Result<(), &ApiError>) -> Decision + 'static,
    ) {
        self.push(Action::Delete {
            key,
            options,
            then: Some(Box::new(then)),
        });
    }

    pub fn remove_finalizer(&mut self, key: ObjectKey, finalizer: &'static str) {
        self.push(Action::RemoveFinalizer { key, finalizer });
    }

    /// Records an Event about `involved` (which must have a uid), referring to it as it is now.
    pub fn event(
        &mut self,
        involved: &impl Involved,
        type_: EventType,
        reason: &str,
        message: &str,
        source: Source,
    ) {
        self.push(Action::Event(Box::new(EventRecord::about(
            involved, type_, reason, message, source,
        ))));
    }

    /// Records an Event about the object `about` refers to.
    pub fn event_on(
        &mut self,
        about: ObjectReference,
        type_: EventType,
        reason: &str,
        message: &str,
        source: Source,
    ) {
        self.push(Action::Event(Box::new(EventRecord {
            object: about,
            type_,
            reason: reason.to_string(),
            message: message.to_string(),
            source,
        })));
    }

    /// Records an Event about container `container` of `pod`, as the kubelet does: its reference names the
    /// container by field path.
    pub fn container_event(
        &mut self,
        pod: &Pod,
        container: &str,
        type_: EventType,
        reason: &str,
        message: &str,
        source: Source,
    ) {
        self.push(Action::Event(Box::new(EventRecord::about_container(
            pod, container, type_, reason, message, source,
        ))));
    }

    /// Wakes the deciding controller at `at`.
    pub fn wake_at(&mut self, at: Time, wake: Wake) {
        self.push(Action::Wake {
            at,
            wake,
            handle: None,
        });
    }

    /// Wakes the deciding controller at `at`, unless [`Decision::cancel_wake`] cancels `handle` before.
    pub fn wake_at_cancellable(&mut self, at: Time, wake: Wake, handle: Handle) {
        self.push(Action::Wake {
            at,
            wake,
            handle: Some(handle),
        });
    }

    /// Cancels the timer `handle`: work that no longer needs doing must not keep the clock busy.
    pub fn cancel_wake(&mut self, handle: Handle) {
        self.push(Action::CancelWake(handle));
    }

    /// The timer `handle` has fired: its name is free.
    pub fn forget_wake(&mut self, handle: Handle) {
        self.push(Action::ForgetWake(handle));
    }

    /// Records `event` every `period_ms` from `first` on, until [`Decision::stop_repeating`] stops `handle`;
    /// an occurrence due now is recorded now.
    pub fn start_repeating(
        &mut self,
        handle: Handle,
        event: EventRecord,
        first: Time,
        period_ms: u64,
    ) {
        self.push(Action::StartRepeating {
            handle,
            event: Box::new(event),
            first,
            period_ms,
        });
    }

    /// The repeating Event `handle` last occurs at or before `last`.
    pub fn stop_repeating(&mut self, handle: Handle, last: Time) {
        self.push(Action::StopRepeating { handle, last });
    }

    /// The repeating Event `handle` last occurs at or before `last`, unless it is resumed; its handle stays.
    pub fn pause_repeating(&mut self, handle: Handle, last: Time) {
        self.push(Action::PauseRepeating { handle, last });
    }

    /// Resumes the repeating Event `handle`, and decides from whether it was still going what follows.
    pub fn resume_repeating(
        &mut self,
        handle: Handle,
        then: impl FnOnce(bool) -> Decision + 'static,
    ) {
        self.push(Action::ResumeRepeating {
            handle,
            then: Box::new(then),
        });
    }

    /// Calls the container runtime, and decides from its answer what follows.
    pub fn runtime_then(&mut self, call: Call, then: impl FnOnce(Answer) -> Decision + 'static) {
        self.push(Action::Runtime {
            call,
            then: Some(Box::new(then)),
        });
    }

    /// Calls the container runtime for what it does, not for an answer.
    pub fn runtime(&mut self, call: Call) {
        self.push(Action::Runtime { call, then: None });
    }

    /// Draws a number below `below` (at least 1) and decides from it what follows.
    pub fn draw(&mut self, below: u64, then: impl FnOnce(u64) -> Decision + 'static) {
        self.push(Action::Draw {
            below,
            then: Box::new(then),
        });
    }

    /// Draws a UUID and decides from it what follows.
    pub fn uuid(&mut self, then: impl FnOnce(String) -> Decision + 'static) {
        self.push(Action::Uuid(Box::new(then)));
    }

    /// Tells the controller `hint` is for something, now.
    pub fn hint(&mut self, hint: Hint) {
        self.push(Action::Hint(hint));
    }

    /// Decides the rest once everything decided so far has been applied.
    pub fn then(&mut self, stage: impl FnOnce(&View) -> Decision + 'static) {
        self.push(Action::Then(Box::new(stage)));
    }
}

impl From<Vec<Action>> for Decision {
    fn from(actions: Vec<Action>) -> Decision {
        Decision { actions }
    }
}
