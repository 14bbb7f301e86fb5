//! One timed run of the benchmark scenario, optimised for speed (the release profile optimises the wasm for size):
//! `cargo run --profile speed -p ordinal-engine --example scale_once -- Parallel 10000 100`.
#![allow(clippy::disallowed_methods, clippy::expect_used)]

use ordinal_engine::model::Kind;
use ordinal_engine::{Cluster, ClusterConfig};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let policy = args.get(1).map_or("OrderedReady", String::as_str);
    let replicas: i32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let workers: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let yaml = include_str!("../../term/tests/fixtures/web.yaml")
        .replace("replicas: 2", "replicas: 0")
        .replace(
            "  minReadySeconds: 10\n",
            &format!("  podManagementPolicy: {policy}\n"),
        );
    // Wall-clock timing is this example's job; the engine itself never reads the clock.
    let started = std::time::Instant::now();
    let mut c = Cluster::new(ClusterConfig::with_workers(workers));
    c.apply_manifest(&yaml, "web.yaml", "default")
        .expect("parses");
    c.scale(Kind::StatefulSet, "default", "web", replicas)
        .expect("exists");
    let steps = c.run_until_idle();
    if std::env::var_os("DIAGNOSE").is_some() {
        diagnose(&c);
    }
    let set = c.stateful_set("default", "web").expect("exists");
    let real = started.elapsed();
    println!(
        "{policy} 0->{replicas} on {workers} workers: {} ready, {steps} timer steps, virtual {}s, {} objects, {} writes, real {real:?}",
        set.status.ready_replicas,
        c.now().millis() / 1000,
        c.store().len(),
        c.store().resource_version(),
    );
}

/// Prints how many pods show each STATUS, and one scheduling failure if any: what went wrong in a run.
#[allow(dead_code)]
fn diagnose(c: &Cluster) {
    // The writes still in the watch log, by kind and type: where the engine's work per pod goes.
    let mut writes: std::collections::BTreeMap<String, usize> = Default::default();
    for e in c.store().events_since(0) {
        *writes
            .entry(format!("{:?} {:?}", e.object.kind(), e.type_))
            .or_default() += 1;
    }
    println!("{writes:?}");
    let mut by: std::collections::BTreeMap<String, usize> = Default::default();
    for p in c
        .store()
        .list::<ordinal_engine::model::Pod>(Some("default"))
    {
        *by.entry(p.status.phase.clone()).or_default() += 1;
    }
    println!("{by:?}");
    if let Some(p) = c
        .store()
        .list::<ordinal_engine::model::Pod>(Some("default"))
        .find(|p| p.status.phase == "Pending")
    {
        let claim = p.claim_names().next().unwrap_or_default();
        let pvc = c
            .store()
            .get_typed::<ordinal_engine::model::PersistentVolumeClaim>("default", claim);
        println!(
            "{} node={:?} claim={claim} pvc={:?}",
            p.metadata.name,
            p.spec.node_name,
            pvc.map(|v| (
                &v.status.phase,
                &v.metadata.annotations,
                &v.spec.volume_name
            ))
        );
        for e in c.events_for(&p.metadata.uid) {
            println!("  {} {}", e.reason, e.message);
        }
        if let Some(v) = pvc {
            for e in c.events_for(&v.metadata.uid) {
                println!("  pvc {} {}", e.reason, e.message);
            }
        }
    }
    if let Some(e) = c
        .all_events()
        .iter()
        .find(|e| e.reason == "FailedScheduling")
    {
        println!("{}: {}", e.involved_object.name, e.message);
    }
}
