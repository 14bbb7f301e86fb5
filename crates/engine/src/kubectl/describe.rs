//! `kubectl describe`: the multi-line, tab-aligned report of one object and its events
//! (k8s-behaviour.md 4.8).

use crate::cluster::Cluster;
use crate::kubectl::{Context, Output};

/// `kubectl describe TYPE [NAME…] [-l selector]`.
pub fn describe(_c: &Cluster, _ctx: &Context, _args: &[String]) -> Output {
    Output::err("error: \"kubectl describe\" is not available in this playground yet")
}
