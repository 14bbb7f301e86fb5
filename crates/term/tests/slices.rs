//! The browser's way of running the cluster: a request returns before the controllers react
//! (`Cluster::defer_work`), their work is carried out in slices of any size (`Cluster::work`), and the
//! terminal's next command waits for it. What a learner sees must not depend on any of that: the same
//! transcript, the same cluster, only seen in stages.

#![cfg(not(target_arch = "wasm32"))]

use ordinal_engine::model::{Kind, Object, Pod};
use ordinal_engine::{Cluster, ClusterConfig, Progress};
use ordinal_term::terminal::Terminal;

mod common;
use common::fingerprint;

const WEB: &str = include_str!("fixtures/web.yaml");

fn pods(c: &Cluster) -> usize {
    c.store().list::<Pod>(Some("default")).count()
}

#[test]
fn a_deferred_request_returns_before_the_controllers_and_slices_finish_it_at_the_same_instant() {
    let mut c = Cluster::new(ClusterConfig::default());
    c.defer_work(true);
    let before = c.now();
    c.apply_manifest(WEB, "web.yaml", "default")
        .expect("applies");
    assert!(c.pending(), "the controllers have not reacted yet");
    assert_eq!(pods(&c), 0, "no pod before the StatefulSet controller runs");
    let mut slices = 0;
    loop {
        slices += 1;
        match c.work(10_000, 3) {
            Progress::Busy => assert!(c.busy()),
            Progress::Settled => break,
            Progress::Reached => panic!("the clock moved before the request's work was done"),
        }
    }
    assert!(slices > 10, "three units at a time took {slices} slices");
    assert_eq!(c.now(), before, "settling does not move the clock");
    assert!(!c.pending());
    assert_eq!(pods(&c), 1, "web-0 exists once the controllers have run");

    // The same request run at once, natively, leaves the very same cluster.
    let mut native = Cluster::new(ClusterConfig::default());
    native
        .apply_manifest(WEB, "web.yaml", "default")
        .expect("applies");
    assert_eq!(fingerprint(&c), fingerprint(&native));

    // And so does a minute of the clock, in slices of one unit or all at once.
    while c.work(60_000, 1) != Progress::Reached {}
    native.advance(60_000);
    assert_eq!(c.now(), native.now());
    assert_eq!(fingerprint(&c), fingerprint(&native));
    assert_eq!(
        c.all_events().len(),
        native.all_events().len(),
        "the same Events"
    );
}

#[test]
fn a_slice_stops_inside_a_large_parallel_scale_up_and_a_request_finishes_it_first() {
    let parallel = WEB.replace(
        "  minReadySeconds: 10\n",
        "  podManagementPolicy: Parallel\n",
    );
    let mut c = Cluster::new(ClusterConfig::default());
    c.defer_work(true);
    c.apply_manifest(&parallel, "web.yaml", "default")
        .expect("applies");
    while c.work(0, 1_000) == Progress::Busy {}
    c.scale(Kind::StatefulSet, "default", "web", 300)
        .expect("scales");
    assert_eq!(c.work(0, 200), Progress::Busy);
    let part = pods(&c);
    assert!(
        part < 300,
        "one slice of 200 units made {part} of 300 pods: the work is cut between pods"
    );
    // A request meets the cluster as it would natively: the work at this instant is finished first.
    c.scale(Kind::StatefulSet, "default", "web", 300)
        .expect("scales");
    assert_eq!(pods(&c), 300);
}

#[test]
fn the_terminals_next_command_waits_for_the_cluster_and_prints_what_it_would_natively() {
    let line = "kubectl apply -f web.yaml; kubectl get pods; kubectl get pvc -o name";
    let mut native = Cluster::new(ClusterConfig::default());
    let mut plain = Terminal::default();
    plain.ctx.files.insert("web.yaml".into(), WEB.into());
    let expected = plain.run(&mut native, line, &[]).text;
    assert!(expected.contains("web-0   0/1     Pending"), "{expected}");

    for units in [1, 7, 1_000] {
        let mut c = Cluster::new(ClusterConfig::default());
        c.defer_work(true);
        let mut t = Terminal::interactive();
        t.ctx.files.insert("web.yaml".into(), WEB.into());
        let first = t.run(&mut c, line, &[]).text;
        assert!(t.busy(), "`kubectl get pods` waits for the controllers");
        assert_eq!(
            first, "service/nginx created\nstatefulset.apps/web created\n",
            "only the apply has run"
        );
        let mut out = first;
        while t.busy() {
            let _ = c.work(0, units);
            out.push_str(&t.poll(&mut c));
        }
        assert_eq!(out, expected, "slices of {units}");
        assert!(matches!(
            c.store().list_kind(Kind::Pod, Some("default")).next(),
            Some(Object::Pod(_))
        ));
    }
}

/// A set far larger than one chunk of a sync's reading (the controller reads 500 pods or claims per unit of
/// work and pushes its actions 500 at a time): it comes up whole, its status counts every pod, a scale-down
/// removes exactly the highest ordinals and keeps their claims, and after an orphaning delete the re-created
/// set adopts every pod back without making or deleting one.
#[test]
fn a_set_of_many_reading_chunks_scales_counts_and_adopts_every_pod() {
    let parallel = WEB.replace(
        "  minReadySeconds: 10\n",
        "  podManagementPolicy: Parallel\n",
    );
    let mut c = Cluster::new(ClusterConfig::with_workers(12));
    c.apply_manifest(&parallel, "web.yaml", "default")
        .expect("applies");
    c.scale(Kind::StatefulSet, "default", "web", 1_200)
        .expect("scales");
    c.run_until_idle();
    let set = c.stateful_set("default", "web").expect("exists");
    assert_eq!(
        (
            set.status.replicas,
            set.status.ready_replicas,
            set.status.available_replicas
        ),
        (1_200, 1_200, 1_200)
    );
    assert_eq!(pods(&c), 1_200);

    c.scale(Kind::StatefulSet, "default", "web", 700)
        .expect("scales");
    c.run_until_idle();
    let mut ordinals: Vec<i32> = c
        .store()
        .list::<Pod>(Some("default"))
        .filter_map(|p| p.metadata.name.strip_prefix("web-")?.parse().ok())
        .collect();
    ordinal_engine::sort::sort(&mut ordinals);
    assert_eq!(ordinals, (0..700).collect::<Vec<_>>());
    let claims = c
        .store()
        .list::<ordinal_engine::model::PersistentVolumeClaim>(Some("default"))
        .count();
    assert_eq!(claims, 1_200, "the claims of scaled-down pods stay");

    let uids = |c: &Cluster| -> Vec<String> {
        c.store()
            .list::<Pod>(Some("default"))
            .map(|p| p.metadata.uid.clone())
            .collect()
    };
    let before = uids(&c);
    c.delete(
        &ordinal_engine::ObjectKey::new(Kind::StatefulSet, "default", "web"),
        ordinal_engine::DeleteOptions {
            propagation: ordinal_engine::Propagation::Orphan,
            ..Default::default()
        },
    )
    .expect("deletes");
    c.run_until_idle();
    c.apply_manifest(
        &parallel.replace("replicas: 2", "replicas: 700"),
        "web.yaml",
        "default",
    )
    .expect("applies");
    c.run_until_idle();
    assert_eq!(uids(&c), before, "the same pods, adopted");
    let set = c.stateful_set("default", "web").expect("exists");
    let owned = c
        .store()
        .list::<Pod>(Some("default"))
        .filter(|p| {
            p.metadata
                .controller_ref()
                .is_some_and(|r| r.uid == set.metadata.uid)
        })
        .count();
    assert_eq!(owned, 700);
    assert_eq!(set.status.ready_replicas, 700);
}
