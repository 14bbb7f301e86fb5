//! The Kubernetes API as Ordinal's cluster and kubectl see it: typed objects with Kubernetes' own field names
//! ([`model`]), YAML manifests decoded into them with the errors kubectl and the API server give
//! ([`manifest`], [`yamlv2`]), resource quantities ([`quantity`]) and virtual time ([`time`]). It knows nothing
//! of the store, the controllers or the shell: everything else in the workspace sits on top of it.

pub mod hash;
pub mod manifest;
pub mod model;
pub mod quantity;
pub mod sort;
pub mod time;
pub mod yamlv2;

pub use time::Time;
