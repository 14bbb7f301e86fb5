//! `persistentVolumeClaimRetentionPolicy`: which claims outlive their pods and their set, through owner
//! references the StatefulSet controller sets and the garbage collector follows (k8s-behaviour.md 1.5, 1.12,
//! 1.13, 2.4).

mod common;

use common::*;
use ordinal_engine::model::{Kind, Object, OwnerReference, PersistentVolume, Pod};
use ordinal_engine::store::WatchEventType;
use ordinal_engine::{Cluster, Propagation};

fn with_policy(when_deleted: &'static str, when_scaled: &'static str) -> Web {
    Web {
        retention: Some((when_deleted, when_scaled)),
        ..Web::default()
    }
}

fn running(web: &Web) -> Cluster {
    let mut c = cluster();
    apply(&mut c, &web.yaml());
    c.run_until_idle();
    assert_eq!(sts_ready(&c), format!("{0}/{0}", web.replicas));
    c
}

fn claim_uid(c: &Cluster, name: &str) -> String {
    claim(c, name)
        .unwrap_or_else(|| panic!("claim {name} exists"))
        .metadata
        .uid
}

fn volumes(c: &Cluster) -> Vec<String> {
    c.store()
        .list::<PersistentVolume>(None)
        .map(|v| v.metadata.name.clone())
        .collect()
}

/// The first time each claim's ownerReferences changed since `from`, as `name:Kind/owner,...`, in order.
fn claim_owner_changes(c: &Cluster, from: u64) -> Vec<String> {
    c.store()
        .events_since(from)
        .filter(|e| e.type_ == WatchEventType::Modified)
        .filter_map(|e| match &*e.object {
            Object::PersistentVolumeClaim(p) => Some(format!(
                "{}:{}",
                p.metadata.name,
                p.metadata
                    .owner_references
                    .iter()
                    .map(|r| format!("{}/{}", r.kind, r.name))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
            _ => None,
        })
        .fold(Vec::new(), |mut acc: Vec<String>, s| {
            if acc.last() != Some(&s) {
                acc.push(s);
            }
            acc
        })
}

#[test]
fn retain_is_the_default_and_keeps_every_claim() {
    // k8s-behaviour.md 1.1 item 4 (defaults) and 1.12 Retain/Retain: no refs, claims outlive pods and set.
    let mut c = running(&Web::default());
    let policy = sts(&c, "web")
        .spec
        .persistent_volume_claim_retention_policy
        .clone()
        .unwrap();
    assert_eq!(
        (
            policy.when_deleted.as_deref(),
            policy.when_scaled.as_deref()
        ),
        (Some("Retain"), Some("Retain"))
    );
    for n in ["www-web-0", "www-web-1", "www-web-2"] {
        assert_eq!(claim_owners(&c, n), Vec::<String>::new());
    }
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.run_until_idle();
    delete_set(&mut c, Propagation::Background);
    c.run_until_idle();
    assert!(pods(&c).is_empty());
    assert_eq!(
        claims(&c),
        [
            ("www-web-0".into(), "Bound".into()),
            ("www-web-1".into(), "Bound".into()),
            ("www-web-2".into(), "Bound".into())
        ]
    );
}

#[test]
fn when_deleted_delete_makes_the_set_own_each_claim_as_a_controller() {
    // k8s-behaviour.md 1.12 table (Retain/Delete: ref → StatefulSet) and item 7 (NewControllerRef).
    let c = running(&with_policy("Delete", "Retain"));
    let set_uid = sts(&c, "web").metadata.uid.clone();
    for n in ["www-web-0", "www-web-1", "www-web-2"] {
        let refs = claim(&c, n).unwrap().metadata.owner_references;
        assert_eq!(
            refs,
            [OwnerReference {
                api_version: "apps/v1".into(),
                kind: "StatefulSet".into(),
                name: "web".into(),
                uid: set_uid.clone(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }],
            "{n}"
        );
    }
}

#[test]
fn the_owner_is_set_right_after_the_pod_is_created() {
    // k8s-behaviour.md 1.5 "After creating a pod, the controller immediately sets the PVC owner references".
    let mut c = cluster();
    let from = c.store().cursor();
    apply(&mut c, &with_policy("Delete", "Retain").yaml());
    // Before the clock moves, web-0 exists and its claim already names the set.
    assert_eq!(pod_names(&c), ["web-0"]);
    assert_eq!(claim_owners(&c, "www-web-0"), ["StatefulSet/web"]);
    let order: Vec<String> = c
        .store()
        .events_since(from)
        .filter(|e| matches!(e.object.kind(), Kind::Pod | Kind::PersistentVolumeClaim))
        .map(|e| format!("{:?} {}", e.type_, e.object.meta().name))
        .take(3)
        .collect();
    assert_eq!(
        order,
        ["Added www-web-0", "Added web-0", "Modified www-web-0"]
    );
}

#[test]
fn when_scaled_delete_removes_the_claims_of_condemned_pods() {
    // k8s-behaviour.md 1.12 item 2: condemned pods' claims get a pod ref and go with the pod.
    let mut c = running(&with_policy("Retain", "Delete"));
    let keep = claim_uid(&c, "www-web-0");
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.run_until_idle();
    assert_eq!(pod_names(&c), ["web-0"]);
    assert_eq!(claim_names(&c), ["www-web-0"]);
    assert_eq!(claim_uid(&c, "www-web-0"), keep);
    // Each claim went after its pod, never before.
    let gone: Vec<String> = c
        .store()
        .events_since(from)
        .filter(|e| e.type_ == WatchEventType::Deleted)
        .filter(|e| matches!(e.object.kind(), Kind::Pod | Kind::PersistentVolumeClaim))
        .map(|e| e.object.meta().name.clone())
        .collect();
    assert_eq!(gone, ["web-2", "www-web-2", "web-1", "www-web-1"]);
}

#[test]
fn every_condemned_claim_gets_its_pod_owner_before_any_condemned_pod_is_deleted() {
    // k8s-behaviour.md 1.7 step 9 and 1.12 item 2: "The fixPodClaim pass runs over all condemned pods before
    // any of them is deleted".
    let mut c = running(&with_policy("Retain", "Delete"));
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    // The scale's own sync did both: both claims handed to their pods, and web-2 marked for deletion.
    assert_eq!(claim_owners(&c, "www-web-2"), ["Pod/web-2"]);
    assert_eq!(claim_owners(&c, "www-web-1"), ["Pod/web-1"]);
    assert_eq!(claim_owners(&c, "www-web-0"), Vec::<String>::new());
    assert_eq!(status_of(&c, "web-2"), "Terminating");
    let first_deletion = c
        .store()
        .events_since(from)
        .position(|e| e.object.kind() == Kind::Pod && e.object.meta().deletion_timestamp.is_some())
        .unwrap();
    let last_claim_write = c
        .store()
        .events_since(from)
        .enumerate()
        .filter(|(_, e)| e.object.kind() == Kind::PersistentVolumeClaim)
        .map(|(i, _)| i)
        .max()
        .unwrap();
    assert!(last_claim_write < first_deletion);
    let owner = &claim(&c, "www-web-1").unwrap().metadata.owner_references[0];
    assert_eq!(owner.uid, uid_of_pod(&c, "web-1"));
    assert_eq!(
        (
            owner.api_version.as_str(),
            owner.controller,
            owner.block_owner_deletion
        ),
        ("v1", Some(true), Some(true))
    );
}

#[test]
fn scaling_back_up_after_when_scaled_delete_creates_new_empty_claims() {
    // k8s-behaviour.md 1.12 item 2 and 1.5: the old claims are gone, so fresh ones (new uids, new volumes) are
    // made; the old volumes were reclaimed (2.4, class `standard` reclaims with Delete).
    let mut c = running(&with_policy("Retain", "Delete"));
    let old = (claim_uid(&c, "www-web-1"), claim_uid(&c, "www-web-2"));
    let old_volumes = volumes(&c);
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.run_until_idle();
    assert_eq!(volumes(&c).len(), 1);
    c.scale(Kind::StatefulSet, "default", "web", 3).unwrap();
    c.run_until_idle();
    assert_eq!(claim_names(&c), ["www-web-0", "www-web-1", "www-web-2"]);
    assert_ne!(claim_uid(&c, "www-web-1"), old.0);
    assert_ne!(claim_uid(&c, "www-web-2"), old.1);
    assert_eq!(claims(&c).iter().filter(|(_, s)| s == "Bound").count(), 3);
    let now_volumes = volumes(&c);
    assert_eq!(
        now_volumes
            .iter()
            .filter(|v| old_volumes.contains(v))
            .count(),
        1,
        "only www-web-0's volume survives: {now_volumes:?}"
    );
}

#[test]
fn a_pod_deleted_for_another_reason_keeps_its_claim_under_when_scaled_delete() {
    // k8s-behaviour.md 1.12 item 2: "Pods deleted for any other reason ... keep their PVCs".
    let mut c = running(&with_policy("Delete", "Delete"));
    let uid = claim_uid(&c, "www-web-1");
    delete_pod(&mut c, "web-1");
    c.fail_pod("default", "web-2").unwrap();
    c.run_until_idle();
    assert_eq!(claim_uid(&c, "www-web-1"), uid);
    assert_eq!(claim_names(&c), ["www-web-0", "www-web-1", "www-web-2"]);
    for n in ["www-web-0", "www-web-1", "www-web-2"] {
        assert_eq!(claim_owners(&c, n), ["StatefulSet/web"], "{n}");
    }
}

#[test]
fn delete_delete_moves_a_condemned_claim_from_the_set_to_the_pod() {
    // k8s-behaviour.md 1.12 table, Delete/Delete: in range → set, condemned → pod (the set ref is removed).
    let mut c = running(&with_policy("Delete", "Delete"));
    assert_eq!(claim_owners(&c, "www-web-2"), ["StatefulSet/web"]);
    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 2).unwrap();
    // One write: never two controllers at once.
    assert_eq!(claim_owner_changes(&c, from), ["www-web-2:Pod/web-2"]);
    c.run_until_idle();
    assert_eq!(claim_names(&c), ["www-web-0", "www-web-1"]);
}

#[test]
fn when_deleted_delete_removes_claims_and_their_volumes_with_the_set() {
    // k8s-behaviour.md 1.12 item 1 and 1.13: the GC deletes the claims; PVC protection holds each until its pod
    // is gone; the volumes follow their reclaim policy (Delete for `standard`).
    let mut c = running(&with_policy("Delete", "Retain"));
    assert_eq!(volumes(&c).len(), 3);
    let from = c.store().cursor();
    delete_set(&mut c, Propagation::Background);
    // The claims are Terminating while their pods still run.
    for n in ["www-web-0", "www-web-1", "www-web-2"] {
        assert!(
            claim(&c, n).unwrap().metadata.deletion_timestamp.is_some(),
            "{n}"
        );
    }
    c.run_until_idle();
    assert!(pods(&c).is_empty());
    assert!(claims(&c).is_empty());
    assert!(volumes(&c).is_empty());
    // No claim went before its pod.
    let gone: Vec<String> = c
        .store()
        .events_since(from)
        .filter(|e| e.type_ == WatchEventType::Deleted)
        .filter(|e| matches!(e.object.kind(), Kind::Pod | Kind::PersistentVolumeClaim))
        .map(|e| e.object.meta().name.clone())
        .collect();
    for i in 0..3 {
        let p = gone.iter().position(|n| *n == format!("web-{i}")).unwrap();
        let v = gone
            .iter()
            .position(|n| *n == format!("www-web-{i}"))
            .unwrap();
        assert!(p < v, "{gone:?}");
    }
}

#[test]
fn orphan_deletion_keeps_claims_even_under_when_deleted_delete() {
    // k8s-behaviour.md 1.12 item 1: "Non-cascading deletion (--cascade=orphan) deletes no PVCs".
    let mut c = running(&with_policy("Delete", "Retain"));
    delete_set(&mut c, Propagation::Orphan);
    c.run_until_idle();
    assert!(c.stateful_set("default", "web").is_none());
    assert_eq!(claim_names(&c), ["www-web-0", "www-web-1", "www-web-2"]);
    for n in ["www-web-0", "www-web-1", "www-web-2"] {
        assert_eq!(claim_owners(&c, n), Vec::<String>::new());
    }
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2"]);
}

#[test]
fn changing_the_policy_takes_effect_at_the_next_sync() {
    // k8s-behaviour.md 1.12 item 3: the refs are reconciled; changing back to Retain removes them.
    let mut c = running(&Web::default());
    let from = c.store().cursor();
    apply(&mut c, &with_policy("Delete", "Retain").yaml());
    for n in ["www-web-0", "www-web-1", "www-web-2"] {
        assert_eq!(claim_owners(&c, n), ["StatefulSet/web"], "{n}");
    }
    // Each pod whose claims were out of step counts as updated (UpdateStatefulPod), in ordinal order.
    assert_eq!(
        sts_events(&c, from),
        [
            "SuccessfulUpdate: update Pod web-0 in StatefulSet web successful",
            "SuccessfulUpdate: update Pod web-1 in StatefulSet web successful",
            "SuccessfulUpdate: update Pod web-2 in StatefulSet web successful"
        ]
    );
    apply(&mut c, &Web::default().yaml());
    for n in ["www-web-0", "www-web-1", "www-web-2"] {
        assert_eq!(claim_owners(&c, n), Vec::<String>::new(), "{n}");
    }
    // Now deleting the set keeps the claims.
    delete_set(&mut c, Propagation::Background);
    c.run_until_idle();
    assert_eq!(claim_names(&c), ["www-web-0", "www-web-1", "www-web-2"]);
}

#[test]
fn a_claim_owned_by_another_controller_is_left_alone() {
    // k8s-behaviour.md 1.12 item 5: "If another controller already owns the PVC, the set adds no refs".
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keeper\ndata:\n  a: b\n",
    );
    let keeper = c
        .store()
        .get_typed::<ordinal_engine::model::ConfigMap>("default", "keeper")
        .unwrap()
        .metadata
        .clone();
    apply(&mut c, &Web::default().yaml());
    c.run_until_idle();
    let mut pvc = claim(&c, "www-web-1").unwrap();
    pvc.metadata.owner_references = vec![OwnerReference::controller("v1", "ConfigMap", &keeper)];
    c.update(Object::PersistentVolumeClaim(pvc.into())).unwrap();
    apply(&mut c, &with_policy("Delete", "Delete").yaml());
    c.run_until_idle();
    assert_eq!(claim_owners(&c, "www-web-1"), ["ConfigMap/keeper"]);
    assert_eq!(claim_owners(&c, "www-web-0"), ["StatefulSet/web"]);
    // Scale-down leaves it too, and it outlives its pod.
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.run_until_idle();
    assert_eq!(claim_names(&c), ["www-web-0", "www-web-1"]);
    assert_eq!(claim_owners(&c, "www-web-1"), ["ConfigMap/keeper"]);
}

#[test]
fn stale_claim_blocks_scale_up_until_the_old_claim_is_gone() {
    // k8s-behaviour.md 1.12 item 4 (PodClaimIsStale): under whenScaled=Delete a claim still owned by an earlier
    // web-2 blocks creating web-2 (and, OrderedReady, everything) until it is gone; then a fresh claim and pod
    // are made. Here a debug pod mounting www-web-2 keeps the claim Terminating (PVC protection, 2.5).
    let mut c = running(&with_policy("Retain", "Delete"));
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: inspect\nspec:\n  containers:\n  - name: sh\n    image: registry.k8s.io/nginx-slim:0.24\n    volumeMounts:\n    - name: data\n      mountPath: /data\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: www-web-2\n",
    );
    c.run_until_idle();
    assert_eq!(status_of(&c, "inspect"), "Running");
    let stale_uid = claim_uid(&c, "www-web-2");
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.run_until_idle();
    assert_eq!(pod_names(&c), ["inspect", "web-0"]);
    let stale = claim(&c, "www-web-2").unwrap();
    assert!(stale.metadata.deletion_timestamp.is_some());
    assert_eq!(claim_owners(&c, "www-web-2"), ["Pod/web-2"]);

    let from = c.store().cursor();
    c.scale(Kind::StatefulSet, "default", "web", 4).unwrap();
    c.advance(120_000);
    // web-1 came back with a new claim; web-2 waits for the stale one, and web-3 waits behind it.
    assert_eq!(pod_names(&c), ["inspect", "web-0", "web-1"]);
    assert_eq!(claim_uid(&c, "www-web-2"), stale_uid);
    // Silently: the stale claim is not a failed create.
    assert!(
        sts_events(&c, from)
            .iter()
            .all(|e| !e.starts_with("FailedCreate")),
        "{:?}",
        sts_events(&c, from)
    );

    delete_pod(&mut c, "inspect");
    c.advance(30_000);
    c.run_until_idle();
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2", "web-3"]);
    assert_ne!(claim_uid(&c, "www-web-2"), stale_uid);
    assert_eq!(claim_owners(&c, "www-web-2"), Vec::<String>::new());
    assert_eq!(sts_ready(&c), "4/4");
}

#[test]
fn a_stale_claim_under_parallel_blocks_only_its_own_slot() {
    // k8s-behaviour.md 1.12 item 4: "the controller creates nothing for that slot"; only monotonic mode stops
    // everything.
    let mut c = running(&Web {
        policy: "Parallel",
        retention: Some(("Retain", "Delete")),
        ..Web::default()
    });
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: inspect\nspec:\n  containers:\n  - name: sh\n    image: registry.k8s.io/nginx-slim:0.24\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: www-web-1\n",
    );
    c.run_until_idle();
    c.scale(Kind::StatefulSet, "default", "web", 1).unwrap();
    c.run_until_idle();
    c.scale(Kind::StatefulSet, "default", "web", 3).unwrap();
    c.advance(60_000);
    assert_eq!(pod_names(&c), ["inspect", "web-0", "web-2"]);
    delete_pod(&mut c, "inspect");
    c.advance(60_000);
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2"]);
}

#[test]
fn a_pod_that_lost_its_claim_while_pending_gets_it_back() {
    // k8s-behaviour.md 1.5: "If a created pod is still in phase Pending and one of its PVCs has disappeared,
    // the controller creates the PVC again" — with the owner the policy wants.
    let mut c = cluster();
    apply(
        &mut c,
        &Web {
            replicas: 1,
            retention: Some(("Delete", "Retain")),
            ..Web::default()
        }
        .yaml(),
    );
    assert_eq!(status_of(&c, "web-0"), "Pending");
    let key = ordinal_engine::ObjectKey::new(Kind::PersistentVolumeClaim, "default", "www-web-0");
    let old = claim_uid(&c, "www-web-0");
    // The learner deletes the claim before the scheduler looked at the pod; nothing uses it yet.
    c.delete(&key, Default::default()).unwrap();
    let p: Pod = pod(&c, "web-0").unwrap();
    assert_eq!(p.status.phase, "Pending");
    c.run_until_idle();
    assert_ne!(claim_uid(&c, "www-web-0"), old);
    assert_eq!(claim_owners(&c, "www-web-0"), ["StatefulSet/web"]);
    assert_eq!(status_of(&c, "web-0"), "Running");
}

#[test]
fn a_claim_with_another_owner_outlives_its_condemned_pod_and_is_reused() {
    // k8s-behaviour.md 1.12 item 2 with the garbage collector's rule for objects that keep a live owner: the
    // claim is not deleted, only its reference to the pod that went is removed, so it is no longer stale (1.12
    // item 4) and the pod that comes back mounts it again.
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keeper\ndata:\n  a: b\n",
    );
    let keeper = c
        .store()
        .get_typed::<ordinal_engine::model::ConfigMap>("default", "keeper")
        .unwrap()
        .metadata
        .clone();
    apply(&mut c, &with_policy("Retain", "Delete").yaml());
    c.run_until_idle();
    let mut pvc = claim(&c, "www-web-2").unwrap();
    let uid = pvc.metadata.uid.clone();
    let mut extra = OwnerReference::controller("v1", "ConfigMap", &keeper);
    extra.controller = None;
    extra.block_owner_deletion = None;
    pvc.metadata.owner_references = vec![extra];
    c.update(Object::PersistentVolumeClaim(pvc.into())).unwrap();
    c.scale(Kind::StatefulSet, "default", "web", 2).unwrap();
    assert_eq!(
        claim_owners(&c, "www-web-2"),
        ["ConfigMap/keeper", "Pod/web-2"]
    );
    c.run_until_idle();
    assert_eq!(pod_names(&c), ["web-0", "web-1"]);
    assert_eq!(claim_owners(&c, "www-web-2"), ["ConfigMap/keeper"]);
    c.scale(Kind::StatefulSet, "default", "web", 3).unwrap();
    c.run_until_idle();
    assert_eq!(sts_ready(&c), "3/3");
    assert_eq!(claim_uid(&c, "www-web-2"), uid);
}

#[test]
fn a_stale_claim_held_by_a_finalizer_goes_when_the_finalizer_is_removed() {
    // k8s-behaviour.md 1.12 item 4 and 2.5: a learner's finalizer keeps the condemned pod's claim Terminating
    // (and stale); removing the finalizer lets it go, and web-2 comes back on a fresh claim.
    let mut c = running(&with_policy("Retain", "Delete"));
    let mut pvc = claim(&c, "www-web-2").unwrap();
    pvc.metadata.finalizers.push("example.com/backup".into());
    c.update(Object::PersistentVolumeClaim(pvc.into())).unwrap();
    c.scale(Kind::StatefulSet, "default", "web", 2).unwrap();
    c.run_until_idle();
    let held = claim(&c, "www-web-2").unwrap();
    assert!(held.metadata.deletion_timestamp.is_some());
    c.scale(Kind::StatefulSet, "default", "web", 3).unwrap();
    c.advance(60_000);
    assert_eq!(pod_names(&c), ["web-0", "web-1"]);
    let mut pvc = claim(&c, "www-web-2").unwrap();
    pvc.metadata
        .finalizers
        .retain(|f| f != "example.com/backup");
    c.update(Object::PersistentVolumeClaim(pvc.into())).unwrap();
    c.advance(30_000);
    assert_eq!(pod_names(&c), ["web-0", "web-1", "web-2"]);
    assert_ne!(claim_uid(&c, "www-web-2"), held.metadata.uid);
}
