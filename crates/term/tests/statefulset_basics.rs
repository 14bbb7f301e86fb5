//! The StatefulSet Basics tutorial's first steps (k8s-behaviour.md 1.5, 1.7, 1.8): ordered creation, claims
//! before pods, ordered scale-down that keeps claims, and scale-up that reuses them.

mod common;

use common::*;
use ordinal_engine::model::Kind;

#[test]
fn applying_web_yaml_creates_the_service_and_the_statefulset() {
    let mut c = cluster();
    let out = apply(&mut c, WEB_YAML);
    assert_eq!(
        out,
        ["service/nginx created", "statefulset.apps/web created"]
    );
    assert!(c
        .store()
        .get_typed::<ordinal_engine::model::Service>("default", "nginx")
        .is_some());
    assert_eq!(sts(&c, "web").spec.replicas, Some(2));
    // Applying the same file again changes nothing.
    assert_eq!(
        apply(&mut c, WEB_YAML),
        ["service/nginx unchanged", "statefulset.apps/web unchanged"]
    );
}

#[test]
fn ordered_ready_creates_web_1_only_after_web_0_is_running_and_ready() {
    let mut c = cluster();
    let from = c.store().cursor();
    apply(&mut c, WEB_YAML);
    // At first only web-0 exists, Pending.
    assert_eq!(pods(&c), [("web-0".to_string(), "Pending".to_string())]);
    // Until web-0 is Running and Ready (and available for minReadySeconds), there is no web-1.
    while !c
        .store()
        .get_typed::<ordinal_engine::model::Pod>("default", "web-0")
        .unwrap()
        .is_running_and_ready()
    {
        assert_eq!(pod_names(&c), ["web-0"]);
        assert!(c.step(), "the cluster went idle before web-0 was ready");
    }
    c.run_until_idle();
    assert_eq!(
        pods(&c),
        [
            ("web-0".into(), "Running".into()),
            ("web-1".into(), "Running".into())
        ]
    );
    assert_eq!(pod_lifecycle(&c, from), ["+web-0", "+web-1"]);
    assert_eq!(
        status_history(&c, from, "web-0"),
        ["Pending", "ContainerCreating", "Running"]
    );
    let web1_created = c
        .store()
        .get_typed::<ordinal_engine::model::Pod>("default", "web-1")
        .unwrap()
        .metadata
        .creation_timestamp;
    let web0_ready = c
        .store()
        .get_typed::<ordinal_engine::model::Pod>("default", "web-0")
        .unwrap()
        .condition("Ready")
        .unwrap()
        .last_transition_time;
    // minReadySeconds: 10 in the fixture: web-1 waits until web-0 has been ready for 10s.
    assert!(web1_created.unwrap().since(web0_ready.unwrap()) >= 10_000);
    let status = &sts(&c, "web").status;
    assert_eq!(
        (
            status.replicas,
            status.ready_replicas,
            status.available_replicas
        ),
        (2, 2, 2)
    );
}

#[test]
fn each_claim_exists_before_its_pod_and_ends_up_bound() {
    let mut c = cluster();
    let from = c.store().cursor();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    let order: Vec<String> = c
        .store()
        .events_since(from)
        .filter(|e| e.type_ == ordinal_engine::store::WatchEventType::Added)
        .filter(|e| matches!(e.object.kind(), Kind::Pod | Kind::PersistentVolumeClaim))
        .map(|e| e.object.meta().name.clone())
        .collect();
    assert_eq!(order, ["www-web-0", "web-0", "www-web-1", "web-1"]);
    assert_eq!(
        claims(&c),
        [
            ("www-web-0".into(), "Bound".into()),
            ("www-web-1".into(), "Bound".into())
        ]
    );
    // Each claim's volume is pinned to the node its pod runs on (local-path, WaitForFirstConsumer).
    for ord in 0..2 {
        let pod = c
            .store()
            .get_typed::<ordinal_engine::model::Pod>("default", &format!("web-{ord}"))
            .unwrap();
        let pvc = c
            .store()
            .get_typed::<ordinal_engine::model::PersistentVolumeClaim>(
                "default",
                &format!("www-web-{ord}"),
            )
            .unwrap();
        let pv = c
            .store()
            .get_typed::<ordinal_engine::model::PersistentVolume>(
                "",
                pvc.spec.volume_name.as_deref().unwrap(),
            )
            .unwrap();
        let node = c
            .store()
            .get_typed::<ordinal_engine::model::Node>("", pod.spec.node_name.as_deref().unwrap())
            .unwrap();
        assert!(ordinal_engine::volume_fits_node(pv, node));
        assert!(pv.spec.node_affinity.is_some());
        assert_eq!(pv.metadata.name, format!("pvc-{}", pvc.metadata.uid));
    }
}

#[test]
fn scale_to_zero_removes_web_1_first_and_keeps_both_claims() {
    let mut c = cluster();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    let from = c.store().cursor();
    assert_eq!(
        c.scale(Kind::StatefulSet, "default", "web", 0).unwrap(),
        "statefulset.apps/web scaled"
    );
    // web-0 is not touched while web-1 still exists, even as Terminating.
    let get = |c: &ordinal_engine::Cluster, n: &str| {
        c.store()
            .get_typed::<ordinal_engine::model::Pod>("default", n)
            .cloned()
    };
    while get(&c, "web-1").is_some() {
        assert!(get(&c, "web-1").unwrap().metadata.is_terminating());
        assert!(!get(&c, "web-0").unwrap().metadata.is_terminating());
        assert!(c.step());
    }
    c.run_until_idle();
    assert_eq!(pod_lifecycle(&c, from), ["-web-1", "-web-0"]);
    assert!(pods(&c).is_empty());
    assert_eq!(
        claims(&c),
        [
            ("www-web-0".into(), "Bound".into()),
            ("www-web-1".into(), "Bound".into())
        ]
    );
}

#[test]
fn scaling_back_up_reuses_the_same_claims() {
    let mut c = cluster();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    let uid = |c: &ordinal_engine::Cluster, n: &str| {
        c.store()
            .get_typed::<ordinal_engine::model::PersistentVolumeClaim>("default", n)
            .unwrap()
            .metadata
            .uid
            .clone()
    };
    let before = (uid(&c, "www-web-0"), uid(&c, "www-web-1"));
    c.scale(Kind::StatefulSet, "default", "web", 0).unwrap();
    c.run_until_idle();
    c.scale(Kind::StatefulSet, "default", "web", 3).unwrap();
    c.run_until_idle();
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2"]);
    assert_eq!((uid(&c, "www-web-0"), uid(&c, "www-web-1")), before);
    assert_eq!(claims(&c).len(), 3);
    let pod = c
        .store()
        .get_typed::<ordinal_engine::model::Pod>("default", "web-1")
        .unwrap();
    assert_eq!(pod.claim_names().collect::<Vec<_>>(), ["www-web-1"]);
}
