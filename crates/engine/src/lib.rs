//! Ordinal's engine: a small, deterministic Kubernetes. It holds the API store, a virtual clock, the
//! StatefulSet controller, the volume binder and provisioner, the scheduler and the kubelet, and knows nothing
//! about browsers. The web app and the native tests drive it through [`Cluster`].

pub mod admission;
pub mod api;
pub mod bootstrap;
pub mod clock;
pub mod cluster;
pub mod controllers;
pub mod dns;
pub mod events;
pub mod faults;
pub mod images;
mod ipam;
pub mod portallocator;
pub mod rng;
pub mod runtime;
pub mod sha256;
pub mod store;
pub mod system;

pub use ordinal_api::{manifest, model, quantity, yamlv2};
pub use ordinal_gotext::{base64, gojson};

pub use api::{ApiError, ApplyAction, ApplyOutcome, DeleteOptions, Propagation};
pub use cluster::{Cluster, ClusterConfig, Timings};
pub use store::ObjectKey;
