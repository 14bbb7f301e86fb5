//! A measurement of the page's work at a scale no class should reach, natively: the longest single unit of
//! the cluster's work (which no slice can cut) and how long reading the view takes, while a StatefulSet scales
//! to N pods with Parallel management on the default two workers.
//! `cargo run --profile speed --example slice_probe -- 100000 30` (N, then seconds of real time to watch).
#![allow(clippy::disallowed_methods, clippy::expect_used)]

use std::time::{Duration, Instant};

use ordinal_engine::model::Kind;
use ordinal_engine::{Cluster, ClusterConfig, Progress};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: i32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let yaml = include_str!("../crates/kubectl/catalogue/application/web/web.yaml").replace(
        "  serviceName: \"nginx\"\n",
        "  serviceName: \"nginx\"\n  podManagementPolicy: Parallel\n",
    );
    let mut c = Cluster::new(ClusterConfig::default());
    c.defer_work(true);
    c.apply_manifest(&yaml, "web.yaml", "default")
        .expect("applies");
    while c.work(0, 1_000) == Progress::Busy {}
    c.scale(Kind::StatefulSet, "default", "web", n)
        .expect("scales");
    // Wall-clock timing is this example's job; the engine itself never reads the clock.
    let start = Instant::now();
    let (mut worst, mut units) = (Duration::ZERO, 0u64);
    let (mut reads, mut read_time, mut worst_read) = (0u32, Duration::ZERO, Duration::ZERO);
    let mut last_read = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        let t = Instant::now();
        let progress = c.work(250 * 16, 1);
        if t.elapsed() > worst && std::env::var_os("WORST").is_some() {
            eprintln!(
                "unit {units}: {:?} at {} ms, {} objects",
                t.elapsed(),
                c.now().millis(),
                c.store().len()
            );
        }
        worst = worst.max(t.elapsed());
        units += 1;
        if last_read.elapsed() > Duration::from_millis(250) {
            let t = Instant::now();
            std::hint::black_box(ordinal_web::snapshot::Snapshot::read(&c, "default"));
            let took = t.elapsed();
            (reads, read_time, worst_read) = (reads + 1, read_time + took, worst_read.max(took));
            last_read = Instant::now();
        }
        if progress == Progress::Reached && !c.busy() && c.now().millis() > 600_000 {
            break;
        }
    }
    if std::env::var_os("DIAGNOSE").is_some() {
        // What the objects are: by kind, and the Events by reason.
        let mut by: std::collections::BTreeMap<String, usize> = Default::default();
        for kind in ordinal_engine::model::Kind::ALL {
            let n = c.store().list_kind(*kind, None).count();
            if n > 0 {
                by.insert(format!("{kind:?}"), n);
            }
        }
        for e in c.store().list::<ordinal_engine::model::Event>(None) {
            *by.entry(format!("Event {}", e.reason)).or_default() += 1;
        }
        println!("{by:?}");
    }
    println!(
        "Parallel 0->{n}: {units} units in {:?}, longest unit {worst:?}; {} objects, virtual {}s; view read {reads} times, mean {:?}, longest {worst_read:?}",
        start.elapsed(),
        c.store().len(),
        c.now().millis() / 1000,
        read_time / reads.max(1),
    );
}
