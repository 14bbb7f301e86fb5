//! The control loops, and the one shape they share.
//!
//! A controller reacts to watch events through a de-duplicating work queue, as kube-controller-manager's do:
//! [`Controller::route`] says which keys a watch event queues, [`Controller::reconcile`] looks at one key, and
//! [`Controller::wake`] handles a timer it set. Each reads the cluster only through a read-only [`View`] — the
//! store, the time, the configuration — keeps what it must remember (caches, back-offs) in itself, and returns
//! a [`Decision`]: the writes, Events, requeues and timers it wants, in order. The cluster loop applies them
//! (kube-rs' `reconcile(obj, ctx) -> Action`; upstream's `stateful_set_control.go` deciding what
//! `stateful_pod_control.go` does).
//!
//! [`Controllers`] registers them: the order of its list is the order in which the cluster loop routes each
//! watch event and drains the work queues, one item per controller per round, so that the interleaving — and
//! with it every uid, name and resourceVersion — is the same on every run.

use std::sync::Arc;

use crate::clock::Time;
use crate::config::ClusterConfig;
use crate::model::{Kind, Object};
use crate::store::{ObjectKey, Store, WatchEventType};

pub mod daemonset;
pub(crate) mod decision;
pub mod deployment;
pub mod endpoints;
pub mod gc;
pub mod kubelet;
pub mod publishers;
pub mod replicaset;
pub mod scheduler;
pub mod service;
pub mod statefulset;
pub mod volume;

pub(crate) use decision::{Action, Decision};

/// What a controller may read of the cluster: the objects, the time and the configuration. Nothing in it can
/// be written; what a controller wants changed it returns as a [`Decision`].
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub store: &'a Store,
    pub now: Time,
    pub config: &'a ClusterConfig,
}

/// A control loop (see the module documentation).
pub(crate) trait Controller {
    /// Reacts to a watch event: the keys it queues ([`Action::Queue`]) and, for the few loops that act on
    /// the event itself (the namespace publishers), what they write.
    fn route(&mut self, view: &View, type_: WatchEventType, obj: &Arc<Object>) -> Decision;

    /// Reconciles one queued key.
    fn reconcile(&mut self, view: &View, key: &ObjectKey) -> Decision;

    /// A timer this controller set is due. The controllers without timers never see one.
    fn wake(&mut self, _view: &View, _wake: Wake) -> Decision {
        Decision::none()
    }

    /// Something another controller (or this one, resuming a sync) tells it ([`Action::Hint`]).
    fn hint(&mut self, _view: &View, _hint: Hint) -> Decision {
        Decision::none()
    }
}

/// What one controller tells another at once, as upstream's queueing hints move pods when a cluster event
/// may make them schedulable; or what a controller tells itself to resume a sync after a draw or a write.
#[derive(Debug)]
pub(crate) enum Hint {
    Scheduler(scheduler::Hint),
    Volume(volume::Hint),
    Kubelet(kubelet::Hint),
}

/// A controller's timer: which controller it is for, and what that controller wants to be reminded of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// Look at a StatefulSet again: a retry, or a pod about to become available after `minReadySeconds`.
    StatefulSet(ObjectKey),
    /// The cloud behind the service controller has finished a load balancer.
    Service(service::Wake),
    /// The scheduling queue moves a pod, or a pod's wait in PreBind is over.
    Scheduler(scheduler::Wake),
    /// The storage machinery's own clocks: provisioning, resync, provisioner retries, recycling, resizing.
    Volume(volume::Wake),
    /// A stage of a pod on its node is due: a sandbox, a pull, a container's start or exit, a probe.
    Kubelet(kubelet::Wake),
}

/// Every controller of the cluster, in the order the cluster loop runs them: the node-side loops (garbage
/// collector, volumes, scheduler, kubelets) drain before the workload controllers, so a burst of pod changes at
/// one instant coalesces into one sync of their owner, as a real workqueue coalesces events that arrive while a
/// sync is pending.
#[derive(Default)]
pub(crate) struct Controllers {
    pub gc: gc::GarbageCollector,
    pub volume: volume::VolumeController,
    pub scheduler: scheduler::Scheduler,
    pub kubelet: kubelet::Kubelet,
    pub replicaset: replicaset::ReplicaSetController,
    pub daemonset: daemonset::DaemonSetController,
    pub endpoints: endpoints::EndpointSliceController,
    pub service: service::ServiceController,
    pub deployment: deployment::DeploymentController,
    pub statefulset: statefulset::StatefulSetController,
    pub publishers: publishers::Publishers,
}

impl Controllers {
    /// How many places the registry has.
    pub const COUNT: usize = 11;
    pub const GC: usize = 0;
    pub const VOLUME: usize = 1;
    pub const SCHEDULER: usize = 2;
    pub const KUBELET: usize = 3;
    pub const STATEFULSET: usize = 5;
    pub const DEPLOYMENT: usize = 6;
    pub const DAEMONSET: usize = 7;
    pub const ENDPOINTS: usize = 8;
    pub const SERVICE: usize = 9;

    /// The controller at place `i` of the order.
    pub fn at(&mut self, i: usize) -> &mut dyn Controller {
        match i {
            Self::GC => &mut self.gc,
            Self::VOLUME => &mut self.volume,
            Self::SCHEDULER => &mut self.scheduler,
            Self::KUBELET => &mut self.kubelet,
            4 => &mut self.replicaset,
            Self::STATEFULSET => &mut self.statefulset,
            Self::DEPLOYMENT => &mut self.deployment,
            Self::DAEMONSET => &mut self.daemonset,
            Self::ENDPOINTS => &mut self.endpoints,
            Self::SERVICE => &mut self.service,
            _ => &mut self.publishers,
        }
    }

    /// The place of the controller `wake` is for, and that controller.
    pub fn woken(&mut self, wake: &Wake) -> (usize, &mut dyn Controller) {
        match wake {
            Wake::StatefulSet(_) => (Self::STATEFULSET, &mut self.statefulset),
            Wake::Service(_) => (Self::SERVICE, &mut self.service),
            Wake::Scheduler(_) => (Self::SCHEDULER, &mut self.scheduler),
            Wake::Volume(_) => (Self::VOLUME, &mut self.volume),
            Wake::Kubelet(_) => (Self::KUBELET, &mut self.kubelet),
        }
    }

    /// The place of the controller `hint` is for, and that controller.
    pub fn hinted(&mut self, hint: &Hint) -> (usize, &mut dyn Controller) {
        match hint {
            Hint::Scheduler(_) => (Self::SCHEDULER, &mut self.scheduler),
            Hint::Volume(_) => (Self::VOLUME, &mut self.volume),
            Hint::Kubelet(_) => (Self::KUBELET, &mut self.kubelet),
        }
    }
}

/// The work-queue key of the `kind` object that controls `meta`'s object through its controller owner
/// reference (same namespace), if one does: how a controller hears of changes to what it owns.
pub(crate) fn controller_key(meta: &crate::model::ObjectMeta, kind: Kind) -> Option<ObjectKey> {
    meta.controller_ref()
        .filter(|o| o.kind == kind.info().kind)
        .map(|o| ObjectKey::new(kind, &meta.namespace, &o.name))
}
