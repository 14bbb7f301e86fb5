//! The life of a StatefulSet around its pods: minReadySeconds and availability, the three ways of deleting
//! the set, the Events the controller records, and a determinism check (k8s-behaviour.md 1.6–1.8, 1.10, 1.13,
//! 1.14).

mod common;

use common::*;
use ordinal_engine::model::{ControllerRevision, Kind, Object, Service};
use ordinal_engine::store::WatchEventType;
use ordinal_engine::{Cluster, ClusterConfig, Propagation};

fn running(web: &Web) -> Cluster {
    let mut c = cluster();
    apply(&mut c, &web.yaml());
    c.run_until_idle();
    assert_eq!(sts_ready(&c), format!("{0}/{0}", web.replicas));
    c
}

fn ready_since(c: &Cluster, name: &str) -> ordinal_engine::clock::Time {
    pod(c, name)
        .and_then(|p| p.condition("Ready").and_then(|r| r.last_transition_time))
        .unwrap_or_else(|| panic!("{name} has a Ready condition"))
}

#[test]
fn min_ready_seconds_holds_available_replicas_back() {
    // k8s-behaviour.md 1.6 "available" and 1.10 availableReplicas; 1.7: the set is looked at again when a pod
    // becomes available, without any other event.
    let mut c = cluster();
    apply(
        &mut c,
        &Web {
            replicas: 1,
            min_ready_seconds: 10,
            ..Web::default()
        }
        .yaml(),
    );
    // The sync that follows the pod turning Ready runs at the same instant.
    step_until(&mut c, "web-0 is ready", |c| is_ready(c, "web-0"));
    let s = &sts(&c, "web").status;
    assert_eq!((s.ready_replicas, s.available_replicas), (1, 0));
    let ready_at = ready_since(&c, "web-0");
    c.advance(9_000);
    assert_eq!(sts(&c, "web").status.available_replicas, 0);
    c.advance(1_000);
    assert_eq!(c.now().since(ready_at), 10_000);
    assert_eq!(sts(&c, "web").status.available_replicas, 1);
}

#[test]
fn scale_down_waits_for_remaining_pods_to_be_available() {
    // k8s-behaviour.md 1.8: "pods ready for 10 s with minReadySeconds=30 block a 3→1 scale-down"
    // (TestStatefulSetScaleDownRespectsMinReadySeconds); 1.7 step A.6.
    let mut c = running(&Web {
        min_ready_seconds: 30,
        ..Web::default()
    });
    delete_pod(&mut c, "web-0");
    let old = c.store().cursor();
    step_until(&mut c, "the new web-0 is ready", |c| {
        is_ready(c, "web-0") && pod_lifecycle(c, old).contains(&"+web-0".to_string())
    });
    let ready_at = ready_since(&c, "web-0");
    c.advance(10_000);
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    step_until(&mut c, "web-2 is marked for deletion", |c| {
        pod(c, "web-2").is_some_and(|p| p.metadata.deletion_timestamp.is_some())
    });
    assert!(c.now().since(ready_at) >= 30_000);
    c.run_until_idle();
    assert_eq!(
        pod_deletions(&c, from),
        ["~web-2", "-web-2", "~web-1", "-web-1"]
    );
}

#[test]
fn an_unready_condemned_pod_is_deleted_only_when_it_is_the_first_unavailable() {
    // k8s-behaviour.md 1.8: 5→3 with web-3 and web-4 both unready: web-4 is looked at first, is unhealthy and
    // not firstUnavailable (web-3 is), so nothing happens until one of them is ready.
    let mut c = running(&Web {
        replicas: 5,
        readiness_delay: Some(1),
        ..Web::default()
    });
    for n in ["web-3", "web-4"] {
        c.set_readiness_broken("default", n, true).unwrap();
    }
    step_until(&mut c, "web-3 and web-4 turn unready", |c| {
        !is_ready(c, "web-3") && !is_ready(c, "web-4")
    });
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 3).unwrap();
    c.advance(120_000);
    assert_eq!(pod_deletions(&c, from), Vec::<String>::new());
    // web-4 ready again: it goes, then web-3 goes although unready, being the first unavailable pod.
    c.set_readiness_broken("default", "web-4", false).unwrap();
    c.advance(120_000);
    assert_eq!(
        pod_deletions(&c, from),
        ["~web-4", "-web-4", "~web-3", "-web-3"]
    );
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2"]);
}

#[test]
fn background_delete_removes_every_pod_at_once_and_keeps_claims_and_service() {
    // k8s-behaviour.md 1.13: the set disappears; the GC deletes pods and revisions all at once; claims stay
    // (Retain); the headless Service is never deleted by the StatefulSet.
    let mut c = running(&Web::default());
    let from = c.store().cursor();
    delete_set(&mut c, Propagation::Background);
    assert!(c.stateful_set("default", "web").is_none());
    for n in ["web-0", "web-1", "web-2"] {
        assert_eq!(status_of(&c, n), "Terminating", "{n}");
    }
    c.run_until_idle();
    assert!(pods(&c).is_empty());
    assert!(revisions(&c).is_empty());
    assert_eq!(
        claims(&c),
        [
            ("www-web-0".into(), "Bound".into()),
            ("www-web-1".into(), "Bound".into()),
            ("www-web-2".into(), "Bound".into())
        ]
    );
    assert!(c.store().get_typed::<Service>("default", "nginx").is_some());
    // Deleted by the garbage collector, not the StatefulSet controller: no SuccessfulDelete events.
    assert!(
        sts_events(&c, from).is_empty(),
        "{:?}",
        sts_events(&c, from)
    );
}

#[test]
fn orphan_delete_leaves_pods_running_without_an_owner() {
    // k8s-behaviour.md 1.13 `--cascade=orphan`: pods, claims and revisions lose their ownerRef and keep running.
    let mut c = running(&Web::default());
    let uids: Vec<String> = (0..3)
        .map(|i| uid_of_pod(&c, &format!("web-{i}")))
        .collect();
    delete_set(&mut c, Propagation::Orphan);
    c.run_until_idle();
    assert!(c.stateful_set("default", "web").is_none());
    assert_eq!(
        pods(&c),
        [
            ("web-0".into(), "Running".into()),
            ("web-1".into(), "Running".into()),
            ("web-2".into(), "Running".into())
        ]
    );
    for (i, uid) in uids.iter().enumerate() {
        let n = format!("web-{i}");
        assert_eq!(&uid_of_pod(&c, &n), uid);
        assert!(pod_owners(&c, &n).is_empty(), "{n}");
    }
    for r in c.store().list::<ControllerRevision>(Some("default")) {
        assert!(r.metadata.owner_references.is_empty());
    }
    // A deleted pod now stays deleted: nothing owns it.
    delete_pod(&mut c, "web-2");
    c.run_until_idle();
    assert_eq!(pod_names(&c), ["web-0", "web-1"]);
}

#[test]
fn recreating_the_set_adopts_orphaned_pods_and_revisions_and_condemns_the_rest() {
    // k8s-behaviour.md 1.13 and 1.7 steps 1-2: the new set adopts the pods and revisions that match; pods
    // outside its range are deleted as condemned.
    let web = Web::default();
    let mut c = running(&web);
    let revision = revisions(&c);
    let keep = (uid_of_pod(&c, "web-0"), uid_of_pod(&c, "web-1"));
    delete_set(&mut c, Propagation::Orphan);
    c.run_until_idle();
    let from = c.store().cursor();
    apply(
        &mut c,
        &Web {
            replicas: 2,
            ..web.clone()
        }
        .yaml(),
    );
    c.run_until_idle();
    let set_uid = sts(&c, "web").metadata.uid.clone();
    assert_eq!(pod_names(&c), ["web-0", "web-1"]);
    assert_eq!((uid_of_pod(&c, "web-0"), uid_of_pod(&c, "web-1")), keep);
    for n in ["web-0", "web-1"] {
        let owners = pod_owners(&c, n);
        assert_eq!(owners.len(), 1);
        assert_eq!(owners[0].uid, set_uid);
        assert_eq!(owners[0].controller, Some(true));
    }
    assert_eq!(revisions(&c), revision);
    let rev = c
        .store()
        .get_typed::<ControllerRevision>("default", &revision[0].0)
        .unwrap();
    assert_eq!(rev.metadata.controller_ref().unwrap().uid, set_uid);
    assert_eq!(sts(&c, "web").status.current_revision, revision[0].0);
    assert_eq!(
        sts_events(&c, from),
        ["SuccessfulDelete: delete Pod web-2 in StatefulSet web successful"]
    );
    assert_eq!(pod_lifecycle(&c, from), ["-web-2"]);
}

#[test]
fn foreground_delete_keeps_the_set_until_its_pods_are_gone() {
    // k8s-behaviour.md 1.13 `--cascade=foreground`: the set keeps a deletionTimestamp until its dependents are
    // gone; meanwhile the controller only writes status (1.7 step 6) and recreates nothing.
    let mut c = running(&Web::default());
    let from = c.store().cursor();
    delete_set(&mut c, Propagation::Foreground);
    let set = sts(&c, "web");
    assert!(set.metadata.deletion_timestamp.is_some());
    assert!(set
        .metadata
        .finalizers
        .contains(&"foregroundDeletion".to_string()));
    step_until_checking(
        &mut c,
        "the set is gone",
        |c| c.stateful_set("default", "web").is_none(),
        |c| {
            // While any of its pods exists, the set is still there, marked for deletion.
            if !pods(c).is_empty() {
                let set = c.stateful_set("default", "web");
                assert!(set.is_some_and(|s| s.metadata.deletion_timestamp.is_some()));
            }
        },
    );
    c.run_until_idle();
    assert!(pods(&c).is_empty());
    // No pod was recreated while the set was being deleted.
    assert!(pod_lifecycle(&c, from).iter().all(|e| e.starts_with('-')));
    // The set went last, after the last of its pods.
    let order: Vec<String> = c
        .store()
        .events_since(from)
        .filter(|e| e.type_ == WatchEventType::Deleted)
        .filter(|e| matches!(e.object.kind(), Kind::Pod | Kind::StatefulSet))
        .map(|e| e.object.meta().name.clone())
        .collect();
    assert_eq!(order.last().map(String::as_str), Some("web"));
    assert_eq!(order.len(), 4);
    assert_eq!(claim_names(&c), ["www-web-0", "www-web-1", "www-web-2"]);
}

#[test]
fn controller_events_use_the_real_wording_with_each_claim_before_its_pod() {
    // k8s-behaviour.md 1.14: messages, reasons, source component; "claim event(s) first, then the pod event".
    let mut c = cluster();
    let from = c.store().cursor();
    apply(
        &mut c,
        &Web {
            replicas: 2,
            ..Web::default()
        }
        .yaml(),
    );
    c.run_until_idle();
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.run_until_idle();
    assert_eq!(
        sts_events(&c, from),
        [
            "SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success",
            "SuccessfulCreate: create Pod web-0 in StatefulSet web successful",
            "SuccessfulCreate: create Claim www-web-1 Pod web-1 in StatefulSet web success",
            "SuccessfulCreate: create Pod web-1 in StatefulSet web successful",
            "SuccessfulDelete: delete Pod web-1 in StatefulSet web successful"
        ]
    );
    let set_uid = sts(&c, "web").metadata.uid.clone();
    for e in sts_event_objects(&c) {
        assert_eq!(e.type_, "Normal");
        assert_eq!(e.involved_object.kind.as_deref(), Some("StatefulSet"));
        assert_eq!(e.involved_object.name, "web");
        assert_eq!(e.involved_object.uid, set_uid);
        assert_eq!(e.count, 1);
    }
}

#[test]
fn a_claim_being_deleted_stops_its_pod_with_failed_create() {
    // k8s-behaviour.md 1.5 "If an existing PVC has a deletionTimestamp, creating the pod fails with the error
    // `pvc www-web-0 is being deleted`" and 1.14 Warning FailedCreate; the controller retries.
    let mut c = running(&Web::default());
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: inspect\nspec:\n  containers:\n  - name: sh\n    image: registry.k8s.io/nginx-slim:0.24\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: www-web-1\n",
    );
    c.run_until_idle();
    let old_claim = claim(&c, "www-web-1").unwrap().metadata.uid;
    let key = ordinal_engine::ObjectKey::new(Kind::PersistentVolumeClaim, "default", "www-web-1");
    c.delete(&key, Default::default()).unwrap();
    let from = c.store().cursor();
    delete_pod(&mut c, "web-1");
    c.advance(60_000);
    assert_eq!(pod_names(&c), ["inspect", "web-0", "web-2"]);
    let warnings: Vec<_> = sts_event_objects(&c)
        .into_iter()
        .filter(|e| e.reason == "FailedCreate")
        .collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].type_, "Warning");
    assert_eq!(
        warnings[0].message,
        "create Pod web-1 in StatefulSet web failed error: pvc www-web-1 is being deleted"
    );
    assert!(warnings[0].count > 1, "the controller keeps retrying");
    // Once nothing uses the old claim it goes, and web-1 comes back on a new one.
    delete_pod(&mut c, "inspect");
    c.advance(30_000);
    c.run_until_idle();
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2"]);
    assert_ne!(claim(&c, "www-web-1").unwrap().metadata.uid, old_claim);
    assert!(sts_events(&c, from).contains(
        &"SuccessfulCreate: create Claim www-web-1 Pod web-1 in StatefulSet web success"
            .to_string()
    ));
}

/// Everything a scenario leaves in the watch log (type, time, kind, name, resourceVersion), the messages of
/// the Events in the order they were recorded, and every uid handed out.
type Run = (
    Vec<(String, u64, String, String, String)>,
    Vec<String>,
    Vec<String>,
);

fn scenario(seed: u64) -> Run {
    let mut c = Cluster::new(ClusterConfig {
        seed,
        ..ClusterConfig::default()
    });
    let web = Web {
        policy: "Parallel",
        retention: Some(("Delete", "Delete")),
        ..Web::default()
    };
    apply(&mut c, &web.yaml());
    c.run_until_idle();
    assert_eq!(
        c.scale(Kind::StatefulSet, "default", "web", 5).map(drop),
        Ok(())
    );
    c.advance(5_000);
    apply(
        &mut c,
        &Web {
            replicas: 5,
            image: "registry.k8s.io/nginx-slim:0.25".into(),
            ..web.clone()
        }
        .yaml(),
    );
    c.run_until_idle();
    assert_eq!(c.fail_pod("default", "web-3"), Ok(()));
    assert_eq!(
        c.scale(Kind::StatefulSet, "default", "web", 2).map(drop),
        Ok(())
    );
    c.run_until_idle();
    delete_set(&mut c, Propagation::Background);
    c.run_until_idle();
    let log: Vec<_> = c
        .store()
        .events_since(0)
        .map(|e| {
            let m = e.object.meta();
            (
                format!("{:?}", e.type_),
                e.time.millis(),
                format!("{:?}", e.object.kind()),
                m.name.clone(),
                m.resource_version.clone(),
            )
        })
        .collect();
    let messages: Vec<String> = c
        .store()
        .events_since(0)
        .filter_map(|e| match &*e.object {
            Object::Event(ev) => Some(format!("{} {}: {}", ev.count, ev.reason, ev.message)),
            _ => None,
        })
        .collect();
    let mut uids: Vec<String> = c
        .store()
        .events_since(0)
        .filter(|e| e.type_ == WatchEventType::Added)
        .map(|e| e.object.meta().uid.clone())
        .collect();
    ordinal_engine::sort::sort(&mut uids);
    uids.dedup();
    (log, messages, uids)
}

#[test]
fn the_same_seed_replays_the_same_history_and_another_seed_changes_the_uids() {
    // STYLE.md "a determinism check runs the same seed twice"; k8s-behaviour.md 1.14 for the messages.
    for seed in [7, 1234] {
        let (a, b) = (scenario(seed), scenario(seed));
        assert!(!a.0.is_empty() && !a.1.is_empty());
        assert_eq!(a.0.len(), b.0.len(), "seed {seed}: logs differ in length");
        for (i, (x, y)) in a.0.iter().zip(&b.0).enumerate() {
            assert_eq!(x, y, "seed {seed}: watch event {i} differs");
        }
        assert_eq!(a.1, b.1, "seed {seed}: event messages differ");
        assert_eq!(a.2, b.2, "seed {seed}: uids differ");
    }
    let (one, other) = (scenario(7), scenario(8));
    assert!(
        one.2.iter().all(|u| !other.2.contains(u)),
        "seeds 7 and 8 share uids"
    );
    // The StatefulSet controller's part of the story does not depend on the seed.
    let sts_messages = |r: &Run| -> Vec<String> {
        r.1.iter()
            .filter(|m| m.contains("in StatefulSet web"))
            .cloned()
            .collect()
    };
    assert_eq!(sts_messages(&one), sts_messages(&other));
}

#[test]
fn a_pod_whose_labels_stop_matching_is_released_and_keeps_its_name_taken() {
    // k8s-behaviour.md 1.7 step 2: an owned pod whose labels no longer match is released; its slot looks
    // empty, but the name is taken, so creating the replacement fails (1.14 FailedCreate) until the pod is
    // relabelled and adopted back.
    let mut c = running(&Web::default());
    let uid = uid_of_pod(&c, "web-1");
    let mut p = pod(&c, "web-1").unwrap();
    p.metadata.labels.insert("app".into(), "debug".into());
    let from = c.store().cursor();
    c.update(Object::Pod(p)).unwrap();
    assert!(pod_owners(&c, "web-1").is_empty());
    c.advance(20_000);
    assert_eq!(uid_of_pod(&c, "web-1"), uid);
    assert_eq!(sts(&c, "web").status.replicas, 2);
    let failed: Vec<_> = sts_event_objects(&c)
        .into_iter()
        .filter(|e| e.reason == "FailedCreate")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].message,
        "create Pod web-1 in StatefulSet web failed error: pods \"web-1\" already exists"
    );
    // web-2 is not touched: OrderedReady stops at the slot it cannot fill.
    assert_eq!(pod_lifecycle(&c, from), Vec::<String>::new());
    let mut p = pod(&c, "web-1").unwrap();
    p.metadata.labels.insert("app".into(), "nginx".into());
    c.update(Object::Pod(p)).unwrap();
    assert_eq!(pod_owners(&c, "web-1")[0].uid, sts(&c, "web").metadata.uid);
    c.advance(10_000);
    assert_eq!(sts(&c, "web").status.replicas, 3);
    assert_eq!(uid_of_pod(&c, "web-1"), uid);
}

#[test]
fn a_terminating_orphan_is_not_adopted() {
    // k8s-behaviour.md 1.7 step 2 (the ControllerRef manager ignores orphans being deleted): a pod orphaned
    // and then deleted is left to finish; the recreated set makes a new one under its name.
    let web = Web::default();
    let mut c = running(&web);
    delete_set(&mut c, Propagation::Orphan);
    c.run_until_idle();
    let old = uid_of_pod(&c, "web-2");
    delete_pod(&mut c, "web-2");
    apply(&mut c, &web.yaml());
    assert_eq!(status_of(&c, "web-2"), "Terminating");
    assert!(pod_owners(&c, "web-2").is_empty());
    assert_eq!(sts(&c, "web").status.replicas, 2);
    c.run_until_idle();
    assert_ne!(uid_of_pod(&c, "web-2"), old);
    assert_eq!(pod_owners(&c, "web-2")[0].uid, sts(&c, "web").metadata.uid);
    assert_eq!(sts_ready(&c), "3/3");
}
