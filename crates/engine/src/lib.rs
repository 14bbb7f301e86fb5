//! Ordinal's engine: a small, deterministic Kubernetes. It holds the API store, a virtual clock, the
//! StatefulSet controller, the volume binder and provisioner, the scheduler and the kubelet, and knows nothing
//! about browsers. The web app and the native tests drive it through [`Cluster`].

mod admission;
pub mod api;
pub mod clock;
pub mod cluster;
mod config;
mod controllers;
pub mod dns;
mod events;
mod ipam;
mod portallocator;
mod rng;
pub mod store;
pub mod why;

pub use ordinal_api::{hash, manifest, model, quantity, sort, yamlv2};
pub use ordinal_gotext::{base64, gojson};
pub use ordinal_runtime::{self as runtime, images, sha256};

pub use api::{ApiError, ApplyAction, ApplyOutcome, DeleteOptions, Propagation};
pub use cluster::{Cluster, ClusterConfig, Progress, Timings};
pub use store::ObjectKey;

// What kubectl reads of the controllers' and system pods' bookkeeping.
pub use cluster::system_pod_logs;
pub use controllers::deployment::{POD_TEMPLATE_HASH, REVISION_ANNOTATION};
pub use controllers::scheduler::volume_fits_node;
pub use controllers::statefulset::parent_and_ordinal;
