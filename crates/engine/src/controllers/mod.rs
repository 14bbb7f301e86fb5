//! The control loops. Each is a pair of functions: `route` decides which keys a watch event queues, `sync`
//! reconciles one key. They read the store, decide, and write back through the cluster's API methods.

pub mod daemonset;
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
