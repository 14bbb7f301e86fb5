//! How long the engine takes to bring a StatefulSet from 0 to N replicas, all Running and Ready, with a claim
//! per pod provisioned and bound: 1,000 under OrderedReady and 10,000 under Parallel.

// A benchmark that cannot set up its scenario has nothing to measure: failing loudly is right.
#![allow(clippy::expect_used)]
#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(not(target_arch = "wasm32"))]
use criterion::{criterion_group, criterion_main, Criterion};
use ordinal_engine::model::Kind;
use ordinal_engine::{Cluster, ClusterConfig};

const SET: &str = include_str!("../../term/tests/fixtures/web.yaml");

fn scale_to(policy: &str, replicas: i32, workers: usize) -> Cluster {
    let yaml = SET.replace("replicas: 2", "replicas: 0").replace(
        "  minReadySeconds: 10\n",
        &format!("  podManagementPolicy: {policy}\n"),
    );
    let mut c = Cluster::new(ClusterConfig::with_workers(workers));
    c.apply_manifest(&yaml, "web.yaml", "default")
        .expect("web.yaml parses");
    c.scale(Kind::StatefulSet, "default", "web", replicas)
        .expect("the set exists");
    c.run_until_idle();
    let set = c.stateful_set("default", "web").expect("the set exists");
    assert_eq!(set.status.ready_replicas, replicas, "all pods Ready");
    c
}

#[cfg(not(target_arch = "wasm32"))]
fn bench(crit: &mut Criterion) {
    let mut g = crit.benchmark_group("scale");
    g.sample_size(10);
    g.bench_function("ordered_ready_0_to_1000", |b| {
        b.iter(|| scale_to("OrderedReady", 1_000, 10))
    });
    g.bench_function("parallel_0_to_10000", |b| {
        b.iter(|| scale_to("Parallel", 10_000, 100))
    });
    g.finish();
}

#[cfg(not(target_arch = "wasm32"))]
criterion_group!(benches, bench);
#[cfg(not(target_arch = "wasm32"))]
criterion_main!(benches);

/// Benchmarks run natively; on wasm32 this target only has to build.
#[cfg(target_arch = "wasm32")]
fn main() {}
