//! Pod management: the order in which a StatefulSet creates, replaces and removes its pods under OrderedReady
//! and Parallel, and the identity each pod carries (k8s-behaviour.md 1.4, 1.7, 1.8).

mod common;

use common::*;
use ordinal_engine::model::{Kind, Object, StatefulSet};
use ordinal_engine::store::WatchEventType;
use ordinal_engine::Cluster;
use ordinal_kubectl::printers::pod_cells;

fn ready_since(c: &Cluster, name: &str) -> ordinal_engine::clock::Time {
    pod(c, name)
        .and_then(|p| p.condition("Ready").and_then(|r| r.last_transition_time))
        .unwrap_or_else(|| panic!("{name} has a Ready condition"))
}

fn created_at(c: &Cluster, name: &str) -> ordinal_engine::clock::Time {
    pod(c, name)
        .and_then(|p| p.metadata.creation_timestamp)
        .unwrap_or_else(|| panic!("{name} exists"))
}

/// The set's READY column each time its status changed since `from`, repeats collapsed: what
/// `kubectl get sts web -w` prints.
fn sts_ready_history(c: &Cluster, from: u64) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in c.store().events_since(from) {
        if let Object::StatefulSet(s) = &*e.object {
            let cell = format!(
                "{}/{}",
                s.status.ready_replicas,
                s.spec.replicas.unwrap_or(1)
            );
            if out.last() != Some(&cell) {
                out.push(cell);
            }
        }
    }
    out
}

fn running_set(web: &Web) -> Cluster {
    let mut c = cluster();
    apply(&mut c, &web.yaml());
    c.run_until_idle();
    assert_eq!(sts_ready(&c), format!("{0}/{0}", web.replicas));
    c
}

#[test]
fn ordered_ready_creates_one_pod_at_a_time_lowest_ordinal_first() {
    // k8s-behaviour.md 1.8 "Creation order, OrderedReady"; 1.7 step A.2.
    let mut c = cluster();
    let from = c.store().cursor();
    apply(&mut c, &Web::default().yaml());
    step_until_checking(
        &mut c,
        "web-0..web-2 are ready",
        |c| (0..3).all(|i| is_ready(c, &format!("web-{i}"))),
        |c| {
            // The pods always form a prefix web-0..web-k, and at most one of them is not yet Ready.
            let names = pod_names(c);
            let prefix: Vec<String> = (0..names.len()).map(|i| format!("web-{i}")).collect();
            assert_eq!(names, prefix);
            let waiting = names.iter().filter(|n| !is_ready(c, n)).count();
            assert!(waiting <= 1, "{waiting} pods not ready at once: {names:?}");
        },
    );
    assert_eq!(pod_lifecycle(&c, from), ["+web-0", "+web-1", "+web-2"]);
    for i in 1..3 {
        let lower = format!("web-{}", i - 1);
        let this = format!("web-{i}");
        assert!(created_at(&c, &this) >= ready_since(&c, &lower));
    }
}

#[test]
fn creation_pauses_while_a_lower_pod_is_running_but_not_ready() {
    // k8s-behaviour.md 1.8: "A pod is created only when every lower ordinal pod ... is Running+Ready".
    let mut c = cluster();
    apply(
        &mut c,
        &Web {
            readiness_delay: Some(30),
            ..Web::default()
        }
        .yaml(),
    );
    step_until(&mut c, "web-0 runs", |c| status_of(c, "web-0") == "Running");
    let web0 = pod(&c, "web-0").unwrap();
    assert_eq!(pod_cells(&web0, c.now()).ready, "0/1");
    assert_eq!(sts_ready(&c), "0/3");
    // Twenty seconds later web-0 still waits for its probe, and still nobody else exists.
    c.advance(20_000);
    assert!(!is_ready(&c, "web-0"));
    assert_eq!(pod_names(&c), ["web-0"]);
    step_until(&mut c, "web-1 exists", |c| pod(c, "web-1").is_some());
    assert!(created_at(&c, "web-1") >= ready_since(&c, "web-0"));
    assert_eq!(sts_ready(&c), "1/3");
}

#[test]
fn scale_up_waits_while_a_lower_pod_is_unready_and_resumes_by_itself() {
    // k8s-behaviour.md 1.8: "Creation stops while a lower pod is unready ...; it starts again by itself".
    let web = Web {
        readiness_delay: Some(1),
        ..Web::default()
    };
    let mut c = running_set(&web);
    c.set_readiness_broken("default", "web-1", true).unwrap();
    step_until(&mut c, "web-1 turns unready", |c| !is_ready(c, "web-1"));
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 5).unwrap();
    c.advance(120_000);
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2"]);
    // The pods already running are left alone: web-2 above the unready pod keeps running.
    assert_eq!(status_of(&c, "web-1"), "Running");
    assert!(is_ready(&c, "web-2"));
    assert_eq!(sts_ready(&c), "2/5");
    c.set_readiness_broken("default", "web-1", false).unwrap();
    c.run_until_idle();
    assert_eq!(pod_lifecycle(&c, from), ["+web-3", "+web-4"]);
    assert!(created_at(&c, "web-3") >= ready_since(&c, "web-1"));
    assert_eq!(sts_ready(&c), "5/5");
}

#[test]
fn scale_down_waits_for_terminating_pod() {
    // k8s-behaviour.md 1.8 "Scale-down order": highest first, the next only once the previous is gone;
    // 1.10 READY shows 4/1, 3/1, 2/1, 1/1 on the way.
    let mut c = running_set(&Web {
        replicas: 4,
        ..Web::default()
    });
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.run_until_idle();
    assert_eq!(
        pod_deletions(&c, from),
        ["~web-3", "-web-3", "~web-2", "-web-2", "~web-1", "-web-1"]
    );
    assert_eq!(sts_ready_history(&c, from), ["4/1", "3/1", "2/1", "1/1"]);
    assert_eq!(pod_names(&c), ["web-0"]);
}

#[test]
fn scale_down_is_blocked_while_a_remaining_pod_is_unready() {
    // k8s-behaviour.md 1.8: "Scale-down does nothing while any pod in the remaining range is unhealthy".
    let mut c = running_set(&Web {
        readiness_delay: Some(1),
        ..Web::default()
    });
    c.set_readiness_broken("default", "web-0", true).unwrap();
    step_until(&mut c, "web-0 turns unready", |c| !is_ready(c, "web-0"));
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.advance(120_000);
    assert_eq!(pod_deletions(&c, from), Vec::<String>::new());
    assert_eq!(sts_ready(&c), "2/1");
    c.set_readiness_broken("default", "web-0", false).unwrap();
    c.run_until_idle();
    assert_eq!(
        pod_deletions(&c, from),
        ["~web-2", "-web-2", "~web-1", "-web-1"]
    );
}

#[test]
fn terminating_pod_in_range_blocks_higher_ordinals_and_returns_with_its_name() {
    // k8s-behaviour.md 1.8 "Terminating pod in range": OrderedReady waits for it to disappear, then recreates
    // it with the same name (and the same claim, 1.5).
    let mut c = running_set(&Web::default());
    let old_uid = uid_of_pod(&c, "web-1");
    let claim_uid = claim(&c, "www-web-1").unwrap().metadata.uid;
    let from = c.store().cursor();
    delete_pod(&mut c, "web-1");
    c.scale(Kind::StatefulSet, "default", "web", 4).unwrap();
    assert_eq!(status_of(&c, "web-1"), "Terminating");
    step_until_checking(
        &mut c,
        "web-3 is ready",
        |c| is_ready(c, "web-3"),
        |c| {
            if pod(c, "web-3").is_some() {
                assert!(is_ready(c, "web-1"), "web-3 exists before web-1 is back");
            }
        },
    );
    assert_eq!(pod_lifecycle(&c, from), ["-web-1", "+web-1", "+web-3"]);
    assert_ne!(uid_of_pod(&c, "web-1"), old_uid);
    assert_eq!(claim(&c, "www-web-1").unwrap().metadata.uid, claim_uid);
    assert_eq!(
        pod(&c, "web-1").unwrap().claim_names().collect::<Vec<_>>(),
        ["www-web-1"]
    );
}

#[test]
fn recreation_starts_with_the_lowest_missing_ordinal() {
    // k8s-behaviour.md 1.8: "always the lowest missing ordinal".
    let mut c = running_set(&Web::default());
    let from = c.store().cursor();
    delete_pod(&mut c, "web-1");
    delete_pod(&mut c, "web-0");
    c.run_until_idle();
    let created: Vec<String> = pod_lifecycle(&c, from)
        .into_iter()
        .filter(|e| e.starts_with('+'))
        .collect();
    assert_eq!(created, ["+web-0", "+web-1"]);
    assert!(created_at(&c, "web-1") >= ready_since(&c, "web-0"));
}

#[test]
fn parallel_creates_every_missing_pod_in_one_sync() {
    // k8s-behaviour.md 1.8 "Parallel: all missing pods are created in the same sync without waiting".
    let mut c = cluster();
    let from = c.store().cursor();
    apply(
        &mut c,
        &Web {
            policy: "Parallel",
            readiness_delay: Some(60),
            ..Web::default()
        }
        .yaml(),
    );
    // Right after the apply, before the clock moves: every pod and claim exists, none ready.
    assert_eq!(
        pods(&c),
        [
            ("web-0".to_string(), "Pending".to_string()),
            ("web-1".to_string(), "Pending".to_string()),
            ("web-2".to_string(), "Pending".to_string())
        ]
    );
    assert_eq!(claim_names(&c), ["www-web-0", "www-web-1", "www-web-2"]);
    let times: Vec<_> = c
        .store()
        .events_since(from)
        .filter(|e| e.type_ == WatchEventType::Added && e.object.kind() == Kind::Pod)
        .map(|e| e.time)
        .collect();
    assert_eq!(times.len(), 3);
    assert!(times.iter().all(|t| *t == times[0]));
    c.run_until_idle();
    assert_eq!(sts_ready(&c), "3/3");
}

#[test]
fn parallel_scale_down_deletes_every_condemned_pod_at_once() {
    // k8s-behaviour.md 1.8 "All condemned pods are deleted in the same sync".
    let mut c = running_set(&Web {
        policy: "Parallel",
        replicas: 4,
        ..Web::default()
    });
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    let at = c.now();
    for n in ["web-1", "web-2", "web-3"] {
        assert_eq!(status_of(&c, n), "Terminating", "{n}");
    }
    assert_eq!(status_of(&c, "web-0"), "Running");
    c.run_until_idle();
    let marks: Vec<String> = pod_deletions(&c, from)
        .into_iter()
        .filter(|e| e.starts_with('~'))
        .collect();
    assert_eq!(marks, ["~web-3", "~web-2", "~web-1"]);
    assert_eq!(pod_names(&c), ["web-0"]);
    assert!(c.now() > at);
}

#[test]
fn parallel_scale_up_does_not_wait_for_an_unready_pod() {
    // k8s-behaviour.md 1.8: Parallel creates "without waiting for readiness".
    let mut c = running_set(&Web {
        policy: "Parallel",
        readiness_delay: Some(1),
        ..Web::default()
    });
    c.set_readiness_broken("default", "web-0", true).unwrap();
    step_until(&mut c, "web-0 turns unready", |c| !is_ready(c, "web-0"));
    c.scale(Kind::StatefulSet, "default", "web", 5).unwrap();
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2", "web-3", "web-4"]);
}

#[test]
fn ordinals_start_numbers_pods_and_claims_from_the_start() {
    // k8s-behaviour.md 1.4 "Ordinal range": s … s+replicas-1; 1.5 claim names.
    let c = running_set(&Web {
        replicas: 2,
        ordinals_start: Some(5),
        ..Web::default()
    });
    assert_eq!(pod_names(&c), ["web-5", "web-6"]);
    assert_eq!(claim_names(&c), ["www-web-5", "www-web-6"]);
    for (name, index) in [("web-5", "5"), ("web-6", "6")] {
        let p = pod(&c, name).unwrap();
        assert_eq!(
            p.metadata
                .labels
                .get("apps.kubernetes.io/pod-index")
                .map(String::as_str),
            Some(index)
        );
        assert_eq!(p.claim_names().collect::<Vec<_>>(), [format!("www-{name}")]);
    }
}

#[test]
fn changing_ordinals_start_creates_the_new_range_before_removing_the_old() {
    // k8s-behaviour.md 1.3 (ordinals is mutable), 1.7 steps 4, 8 and 10: the new range is created first (step
    // A), then the pods now outside it are condemned, highest first (step B).
    let mut c = running_set(&Web {
        replicas: 2,
        ..Web::default()
    });
    let from = c.store().cursor();
    apply(
        &mut c,
        &Web {
            replicas: 2,
            ordinals_start: Some(5),
            ..Web::default()
        }
        .yaml(),
    );
    c.run_until_idle();
    assert_eq!(
        pod_lifecycle(&c, from),
        ["+web-5", "+web-6", "-web-1", "-web-0"]
    );
    assert_eq!(pod_names(&c), ["web-5", "web-6"]);
}

#[test]
fn each_pod_carries_its_identity() {
    // k8s-behaviour.md 1.4 "Created pod contents".
    let c = running_set(&Web::default());
    let set: &StatefulSet = sts(&c, "web");
    let p = pod(&c, "web-1").unwrap();
    let label = |k: &str| p.metadata.labels.get(k).cloned();
    assert_eq!(
        label("statefulset.kubernetes.io/pod-name").as_deref(),
        Some("web-1")
    );
    assert_eq!(label("apps.kubernetes.io/pod-index").as_deref(), Some("1"));
    assert_eq!(label("app").as_deref(), Some("nginx"));
    // The revision label is the full ControllerRevision name, not only the hash.
    let revision = label("controller-revision-hash").unwrap();
    assert_eq!(revision, set.status.update_revision);
    assert!(revision.starts_with("web-"));
    assert_eq!(revisions(&c), [(revision.clone(), 1)]);
    assert_eq!(p.spec.hostname.as_deref(), Some("web-1"));
    assert_eq!(p.spec.subdomain.as_deref(), Some("nginx"));
    let vol = p.spec.volumes.iter().find(|v| v.name == "www").unwrap();
    let source = vol.persistent_volume_claim.as_ref().unwrap();
    assert_eq!(source.claim_name, "www-web-1");
    assert_eq!(source.read_only, Some(false));
    let owners = pod_owners(&c, "web-1");
    assert_eq!(owners.len(), 1);
    assert_eq!(
        (owners[0].kind.as_str(), owners[0].name.as_str()),
        ("StatefulSet", "web")
    );
    assert_eq!(owners[0].uid, set.metadata.uid);
    assert_eq!(
        (owners[0].controller, owners[0].block_owner_deletion),
        (Some(true), Some(true))
    );
    // The claim carries the selector's labels.
    let pvc = claim(&c, "www-web-1").unwrap();
    assert_eq!(
        pvc.metadata.labels.get("app").map(String::as_str),
        Some("nginx")
    );
}

#[test]
fn removing_the_pod_name_label_is_repaired_with_successful_update() {
    // k8s-behaviour.md 1.4 "Identity repair" and 1.14 SuccessfulUpdate.
    let mut c = running_set(&Web::default());
    let mut p = pod(&c, "web-0").unwrap();
    p.metadata
        .labels
        .remove("statefulset.kubernetes.io/pod-name");
    p.metadata.labels.remove("apps.kubernetes.io/pod-index");
    let from = c.store().cursor();
    c.update(Object::Pod(p)).unwrap();
    let repaired = pod(&c, "web-0").unwrap();
    assert_eq!(
        repaired
            .metadata
            .labels
            .get("statefulset.kubernetes.io/pod-name")
            .map(String::as_str),
        Some("web-0")
    );
    assert_eq!(
        repaired
            .metadata
            .labels
            .get("apps.kubernetes.io/pod-index")
            .map(String::as_str),
        Some("0")
    );
    assert_eq!(
        sts_events(&c, from),
        ["SuccessfulUpdate: update Pod web-0 in StatefulSet web successful"]
    );
    // The pod was repaired in place, not replaced.
    assert_eq!(pod_lifecycle(&c, from), Vec::<String>::new());
}

#[test]
fn a_failed_pod_is_deleted_and_recreated_under_its_name() {
    // k8s-behaviour.md 1.7 step A.1 and 1.14 (no RecreatingFailedPod in current releases).
    let mut c = running_set(&Web::default());
    let old = uid_of_pod(&c, "web-1");
    let web2 = uid_of_pod(&c, "web-2");
    let claim_uid = claim(&c, "www-web-1").unwrap().metadata.uid;
    let from = c.store().cursor();
    c.fail_pod("default", "web-1").unwrap();
    c.run_until_idle();
    assert!(status_history(&c, from, "web-1").contains(&"Error".to_string()));
    assert_eq!(
        sts_events(&c, from),
        [
            "SuccessfulDelete: delete Pod web-1 in StatefulSet web successful",
            "SuccessfulCreate: create Pod web-1 in StatefulSet web successful"
        ]
    );
    assert_ne!(uid_of_pod(&c, "web-1"), old);
    assert_eq!(uid_of_pod(&c, "web-2"), web2);
    assert_eq!(claim(&c, "www-web-1").unwrap().metadata.uid, claim_uid);
    assert_eq!(status_of(&c, "web-1"), "Running");
}

#[test]
fn a_failed_low_pod_holds_back_scale_up_until_it_is_replaced() {
    // k8s-behaviour.md 1.7 step A.1: a failed pod returns "block"; nothing above it is looked at.
    let mut c = running_set(&Web::default());
    let from = c.store().cursor();
    c.fail_pod("default", "web-0").unwrap();
    c.scale(Kind::StatefulSet, "default", "web", 4).unwrap();
    c.run_until_idle();
    assert_eq!(pod_lifecycle(&c, from), ["-web-0", "+web-0", "+web-3"]);
    assert!(created_at(&c, "web-3") >= ready_since(&c, "web-0"));
}
