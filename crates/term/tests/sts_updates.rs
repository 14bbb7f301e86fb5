//! Update strategies: RollingUpdate with partitions and maxUnavailable, the `rollingUpdate: null` path, and
//! OnDelete, with the status fields a learner reads while they run (k8s-behaviour.md 1.9, 1.10).

mod common;

use common::*;
use ordinal_engine::model::Kind;
use ordinal_engine::Cluster;

const OLD: &str = "registry.k8s.io/nginx-slim:0.24";
const NEW: &str = "registry.k8s.io/nginx-slim:0.25";

fn running(web: &Web) -> Cluster {
    let mut c = cluster();
    apply(&mut c, &web.yaml());
    c.run_until_idle();
    assert_eq!(sts_ready(&c), format!("{0}/{0}", web.replicas));
    c
}

fn with_new_image(web: &Web) -> Web {
    Web {
        image: NEW.into(),
        ..web.clone()
    }
}

fn rolling(partition: Option<i32>, max_unavailable: Option<&str>) -> Option<String> {
    let mut s = String::from("    type: RollingUpdate\n    rollingUpdate:\n");
    if let Some(p) = partition {
        s.push_str(&format!("      partition: {p}\n"));
    }
    if let Some(m) = max_unavailable {
        s.push_str(&format!("      maxUnavailable: {m}\n"));
    }
    Some(s)
}

fn images(c: &Cluster, n: i32) -> Vec<String> {
    (0..n).map(|i| image_of(c, &format!("web-{i}"))).collect()
}

/// How many of web-0..web-(n-1) are missing, terminating or not Running and Ready.
fn unavailable(c: &Cluster, n: i32) -> usize {
    (0..n)
        .filter(|i| {
            pod(c, &format!("web-{i}")).is_none_or(|p| {
                p.metadata.deletion_timestamp.is_some() || !p.is_running_and_ready()
            })
        })
        .count()
}

fn uids(c: &Cluster, ordinals: std::ops::Range<i32>) -> Vec<String> {
    ordinals
        .map(|i| uid_of_pod(c, &format!("web-{i}")))
        .collect()
}

#[test]
fn rolling_update_replaces_pods_highest_ordinal_first_one_at_a_time() {
    // k8s-behaviour.md 1.9.1: one at a time, from the highest ordinal down, each waiting for the replacement
    // to be Running and Ready.
    let web = Web::default();
    let mut c = running(&web);
    let from = c.store().cursor();
    apply(&mut c, &with_new_image(&web).yaml());
    let update = sts(&c, "web").status.update_revision.clone();
    step_until_checking(
        &mut c,
        "the update completes",
        |c| sts(c, "web").status.current_revision == update && sts_ready(c) == "3/3",
        |c| assert!(unavailable(c, 3) <= 1, "{:?}", pods(c)),
    );
    assert_eq!(
        pod_deletions(&c, from),
        [
            "~web-2", "-web-2", "+web-2", "~web-1", "-web-1", "+web-1", "~web-0", "-web-0",
            "+web-0"
        ]
    );
    assert_eq!(images(&c, 3), [NEW, NEW, NEW]);
    let deleted: Vec<String> = sts_events(&c, from)
        .into_iter()
        .filter(|e| e.starts_with("SuccessfulDelete"))
        .collect();
    assert_eq!(
        deleted,
        [
            "SuccessfulDelete: delete Pod web-2 in StatefulSet web successful",
            "SuccessfulDelete: delete Pod web-1 in StatefulSet web successful",
            "SuccessfulDelete: delete Pod web-0 in StatefulSet web successful"
        ]
    );
}

#[test]
fn status_fields_during_and_after_a_rolling_update() {
    // k8s-behaviour.md 1.10 (status fields) and 1.9.6 (completion).
    let web = Web::default();
    let mut c = running(&web);
    let old = sts(&c, "web").status.current_revision.clone();
    assert_eq!(sts(&c, "web").status.update_revision, old);
    apply(&mut c, &with_new_image(&web).yaml());
    let set = sts(&c, "web");
    let update = set.status.update_revision.clone();
    assert_ne!(update, old);
    assert_eq!(set.metadata.generation, 2);
    assert_eq!(set.status.observed_generation, Some(2));
    // While the update runs the current revision stays the old one.
    let (o, u) = (old.clone(), update.clone());
    step_until_checking(
        &mut c,
        "web-1 is being replaced",
        |c| pod(c, "web-1").is_some_and(|p| p.metadata.deletion_timestamp.is_some()),
        move |c| {
            let s = &sts(c, "web").status;
            assert_eq!(
                (s.current_revision.as_str(), s.update_revision.as_str()),
                (o.as_str(), u.as_str())
            );
            assert!(s.current_replicas + s.updated_replicas <= s.replicas);
        },
    );
    // web-2 runs the new revision and is ready; web-1 was just deleted for the update (still Ready while it
    // stops) and no longer counts as current.
    let s = sts(&c, "web").status.clone();
    assert_eq!(
        (
            s.replicas,
            s.ready_replicas,
            s.available_replicas,
            s.current_replicas,
            s.updated_replicas
        ),
        (3, 3, 3, 1, 1)
    );
    assert_eq!(revision_label(&c, "web-2"), update);
    assert_eq!(revision_label(&c, "web-0"), old);
    c.run_until_idle();
    let s = sts(&c, "web").status.clone();
    assert_eq!(
        (
            s.replicas,
            s.ready_replicas,
            s.available_replicas,
            s.current_replicas,
            s.updated_replicas
        ),
        (3, 3, 3, 3, 3)
    );
    assert_eq!(s.current_revision, update);
    assert_eq!(s.update_revision, update);
    assert_eq!(s.observed_generation, Some(2));
}

#[test]
fn partition_updates_only_ordinals_at_or_above_it() {
    // k8s-behaviour.md 1.9.3: "Only ordinals ≥ partition are updated"; 1.9.6: currentRevision stays old.
    let web = Web {
        update_strategy: rolling(Some(2), None),
        ..Web::default()
    };
    let mut c = running(&web);
    let keep = uids(&c, 0..2);
    let old = sts(&c, "web").status.current_revision.clone();
    apply(&mut c, &with_new_image(&web).yaml());
    c.run_until_idle();
    assert_eq!(images(&c, 3), [OLD, OLD, NEW]);
    assert_eq!(uids(&c, 0..2), keep);
    let s = sts(&c, "web").status.clone();
    assert_eq!(s.current_revision, old);
    assert_ne!(s.update_revision, old);
    assert_eq!((s.current_replicas, s.updated_replicas), (2, 1));
}

#[test]
fn a_pod_below_the_partition_is_recreated_at_the_old_revision() {
    // k8s-behaviour.md 1.9.3: "If deleted they are recreated at the old (current) revision"; 1.9.4.
    let web = Web {
        update_strategy: rolling(Some(2), None),
        ..Web::default()
    };
    let mut c = running(&web);
    apply(&mut c, &with_new_image(&web).yaml());
    c.run_until_idle();
    let old = sts(&c, "web").status.current_revision.clone();
    delete_pod(&mut c, "web-0");
    c.run_until_idle();
    assert_eq!(images(&c, 3), [OLD, OLD, NEW]);
    assert_eq!(revision_label(&c, "web-0"), old);
}

#[test]
fn lowering_the_partition_continues_the_update_downwards() {
    // k8s-behaviour.md 1.9.3 "Lowering the partition lets the update continue downward"; 1.9.6 completion.
    let web = Web {
        update_strategy: rolling(Some(2), None),
        ..Web::default()
    };
    let mut c = running(&web);
    apply(&mut c, &with_new_image(&web).yaml());
    c.run_until_idle();
    let from = c.store().cursor();
    apply(
        &mut c,
        &Web {
            update_strategy: rolling(Some(0), None),
            ..with_new_image(&web)
        }
        .yaml(),
    );
    c.run_until_idle();
    assert_eq!(
        pod_deletions(&c, from),
        ["~web-1", "-web-1", "+web-1", "~web-0", "-web-0", "+web-0"]
    );
    assert_eq!(images(&c, 3), [NEW, NEW, NEW]);
    let s = &sts(&c, "web").status;
    assert_eq!(s.current_revision, s.update_revision);
    assert_eq!((s.current_replicas, s.updated_replicas), (3, 3));
}

#[test]
fn a_partition_above_replicas_updates_nothing() {
    // k8s-behaviour.md 1.9.3: "partition > replicas: template changes reach no pod".
    let web = Web {
        update_strategy: rolling(Some(5), None),
        ..Web::default()
    };
    let mut c = running(&web);
    let keep = uids(&c, 0..3);
    apply(&mut c, &with_new_image(&web).yaml());
    c.run_until_idle();
    assert_eq!(uids(&c, 0..3), keep);
    let s = &sts(&c, "web").status;
    assert_eq!((s.current_replicas, s.updated_replicas), (3, 0));
}

#[test]
fn max_unavailable_two_under_ordered_ready_recreates_the_pair_in_order() {
    // k8s-behaviour.md 1.9.2, ordered case: 6 replicas, partition 3, maxUnavailable 2: "pods 5 and 4 deleted
    // together; 4 is recreated and becomes ready; then 5; only then is 3 deleted; 0–2 never change".
    let web = Web {
        replicas: 6,
        update_strategy: rolling(Some(3), Some("2")),
        ..Web::default()
    };
    let mut c = running(&web);
    let keep = uids(&c, 0..3);
    let from = c.store().cursor();
    apply(&mut c, &with_new_image(&web).yaml());
    step_until_checking(
        &mut c,
        "web-3 is updated",
        |c| image_of_opt(c, "web-3") == Some(NEW.to_string()) && is_ready(c, "web-3"),
        |c| assert!(unavailable(c, 6) <= 2),
    );
    c.run_until_idle();
    assert_eq!(
        pod_deletions(&c, from),
        [
            "~web-5", "~web-4", "-web-5", "-web-4", "+web-4", "+web-5", "~web-3", "-web-3",
            "+web-3"
        ]
    );
    let web5 = pod(&c, "web-5")
        .unwrap()
        .metadata
        .creation_timestamp
        .unwrap();
    let web4_ready = pod(&c, "web-4")
        .unwrap()
        .condition("Ready")
        .unwrap()
        .last_transition_time
        .unwrap();
    assert!(web5 >= web4_ready);
    assert_eq!(uids(&c, 0..3), keep);
    assert_eq!(images(&c, 6), [OLD, OLD, OLD, NEW, NEW, NEW]);
}

fn image_of_opt(c: &Cluster, name: &str) -> Option<String> {
    pod(c, name).map(|p| p.spec.containers[0].image.clone())
}

#[test]
fn max_unavailable_two_under_parallel_replaces_the_next_pod_as_soon_as_one_is_back() {
    // k8s-behaviour.md 1.9.2, parallel case: 5 and 4 are deleted and recreated together; "as soon as
    // unavailable < maxUnavailable (say 4 is ready while 5 is not), pod 3 is deleted", so the order may break.
    let web = Web {
        replicas: 6,
        policy: "Parallel",
        readiness_delay: Some(1),
        update_strategy: rolling(Some(3), Some("2")),
        ..Web::default()
    };
    let mut c = running(&web);
    let keep = uids(&c, 0..3);
    let old5 = uid_of_pod(&c, "web-5");
    let from = c.store().cursor();
    apply(&mut c, &with_new_image(&web).yaml());
    step_until(&mut c, "the new web-5 exists", |c| {
        pod(c, "web-5").is_some_and(|p| p.metadata.uid != old5)
    });
    // Both came back in the same sync.
    let (t4, t5) = (
        pod(&c, "web-4").unwrap().metadata.creation_timestamp,
        pod(&c, "web-5").unwrap().metadata.creation_timestamp,
    );
    assert_eq!(t4, t5);
    // The new web-5 will never pass its probe; web-4 will.
    c.set_readiness_broken("default", "web-5", true).unwrap();
    advance_checking(&mut c, 120_000, |c| assert!(unavailable(c, 6) <= 2));
    assert_eq!(
        pod_deletions(&c, from),
        [
            "~web-5", "~web-4", "-web-5", "-web-4", "+web-4", "+web-5", "~web-3", "-web-3",
            "+web-3"
        ]
    );
    assert!(is_ready(&c, "web-3") && is_ready(&c, "web-4"));
    assert!(!is_ready(&c, "web-5"));
    assert_eq!(images(&c, 6), [OLD, OLD, OLD, NEW, NEW, NEW]);
    assert_eq!(uids(&c, 0..3), keep);
}

#[test]
fn percent_max_unavailable_rounds_down() {
    // k8s-behaviour.md 1.9.2: "The code rounds percentages down": 60% of 3 is 1, so one pod at a time.
    let web = Web {
        update_strategy: rolling(None, Some("60%")),
        ..Web::default()
    };
    let mut c = running(&web);
    let from = c.store().cursor();
    apply(&mut c, &with_new_image(&web).yaml());
    advance_checking(&mut c, 600_000, |c| assert!(unavailable(c, 3) <= 1));
    assert_eq!(
        &pod_deletions(&c, from)[..3],
        ["~web-2", "-web-2", "+web-2"]
    );
    assert_eq!(images(&c, 3), [NEW, NEW, NEW]);
}

#[test]
fn percent_max_unavailable_never_goes_below_one() {
    // k8s-behaviour.md 1.9.2: "with a minimum of 1": 10% of 3 rounds to 0, and the update still proceeds.
    let web = Web {
        update_strategy: rolling(None, Some("10%")),
        ..Web::default()
    };
    let mut c = running(&web);
    apply(&mut c, &with_new_image(&web).yaml());
    c.run_until_idle();
    assert_eq!(images(&c, 3), [NEW, NEW, NEW]);
}

#[test]
fn fifty_percent_of_four_replaces_two_pods_at_once() {
    // k8s-behaviour.md 1.9.2: maxUnavailable as a percent of spec.replicas (50% of 4 = 2).
    let web = Web {
        replicas: 4,
        update_strategy: rolling(None, Some("50%")),
        ..Web::default()
    };
    let mut c = running(&web);
    let from = c.store().cursor();
    apply(&mut c, &with_new_image(&web).yaml());
    c.run_until_idle();
    assert_eq!(&pod_deletions(&c, from)[..2], ["~web-3", "~web-2"]);
    assert_eq!(images(&c, 4), [NEW, NEW, NEW, NEW]);
}

#[test]
fn rolling_update_without_a_rolling_update_block_keeps_it_null() {
    // k8s-behaviour.md 1.1 item 2-3: `updateStrategy: {type: RollingUpdate}` keeps `rollingUpdate: null`.
    let c = running(&Web {
        update_strategy: Some("    type: RollingUpdate\n".into()),
        ..Web::default()
    });
    let strategy = sts(&c, "web").spec.update_strategy.clone().unwrap();
    assert_eq!(strategy.type_.as_deref(), Some("RollingUpdate"));
    assert!(strategy.rolling_update.is_none());
}

/// Starts an update, and while the new web-2 is still starting deletes web-0 by hand; returns the image the
/// recreated web-0 gets.
fn image_of_web0_deleted_during_update(web: &Web) -> (String, Cluster) {
    let mut c = running(web);
    let old2 = uid_of_pod(&c, "web-2");
    apply(&mut c, &with_new_image(web).yaml());
    step_until(&mut c, "the new web-2 exists", |c| {
        pod(c, "web-2").is_some_and(|p| p.metadata.uid != old2)
    });
    assert!(!is_ready(&c, "web-2"));
    let old0 = uid_of_pod(&c, "web-0");
    delete_pod(&mut c, "web-0");
    step_until(&mut c, "web-0 is recreated", |c| {
        pod(c, "web-0").is_some_and(|p| p.metadata.uid != old0)
    });
    (image_of(&c, "web-0"), c)
}

#[test]
fn with_rolling_update_null_a_low_pod_is_recreated_at_the_current_revision() {
    // k8s-behaviour.md 1.9.4: with `rollingUpdate: null`, "ordinal < start + status.currentReplicas → current
    // revision". web-1 still runs the old revision, so currentReplicas is 1 when web-0 comes back.
    let web = Web {
        update_strategy: Some("    type: RollingUpdate\n".into()),
        ..Web::default()
    };
    let (image, mut c) = image_of_web0_deleted_during_update(&web);
    assert_eq!(image, OLD);
    assert_eq!(
        revision_label(&c, "web-0"),
        sts(&c, "web").status.current_revision
    );
    // The update still finishes: web-0 is replaced again when its turn comes.
    c.run_until_idle();
    assert_eq!(images(&c, 3), [NEW, NEW, NEW]);
}

#[test]
fn with_a_rolling_update_block_a_low_pod_is_recreated_at_the_update_revision() {
    // k8s-behaviour.md 1.9.4: with `rollingUpdate` present, only ordinals below the partition (0 here) keep the
    // current revision.
    let web = Web {
        update_strategy: rolling(Some(0), None),
        ..Web::default()
    };
    let (image, c) = image_of_web0_deleted_during_update(&web);
    assert_eq!(image, NEW);
    assert_eq!(
        revision_label(&c, "web-0"),
        sts(&c, "web").status.update_revision
    );
}

#[test]
fn on_delete_replaces_nothing_until_a_pod_is_deleted_by_hand() {
    // k8s-behaviour.md 1.9.5: the controller never deletes for a revision mismatch; replacements use the update
    // revision; currentRevision is not advanced (1.35 behaviour).
    let web = Web {
        update_strategy: Some("    type: OnDelete\n".into()),
        ..Web::default()
    };
    let mut c = running(&web);
    let keep = uids(&c, 0..3);
    let old = sts(&c, "web").status.current_revision.clone();
    apply(&mut c, &with_new_image(&web).yaml());
    c.advance(600_000);
    assert_eq!(uids(&c, 0..3), keep);
    assert_eq!(images(&c, 3), [OLD, OLD, OLD]);
    let s = sts(&c, "web").status.clone();
    assert_ne!(s.update_revision, old);
    assert_eq!((s.current_replicas, s.updated_replicas), (3, 0));
    delete_pod(&mut c, "web-1");
    c.run_until_idle();
    assert_eq!(images(&c, 3), [OLD, NEW, OLD]);
    for n in ["web-0", "web-2"] {
        delete_pod(&mut c, n);
    }
    c.run_until_idle();
    assert_eq!(images(&c, 3), [NEW, NEW, NEW]);
    let s = sts(&c, "web").status.clone();
    assert_eq!(
        s.current_revision, old,
        "OnDelete never completes the update"
    );
    assert_eq!(
        (
            s.replicas,
            s.ready_replicas,
            s.current_replicas,
            s.updated_replicas
        ),
        (3, 3, 0, 3)
    );
}

#[test]
fn on_delete_scale_up_uses_the_update_revision() {
    // k8s-behaviour.md 1.9.4: "OnDelete: always the update revision", for new pods from scale-up too.
    let web = Web {
        update_strategy: Some("    type: OnDelete\n".into()),
        ..Web::default()
    };
    let mut c = running(&web);
    apply(
        &mut c,
        &Web {
            replicas: 5,
            ..with_new_image(&web)
        }
        .yaml(),
    );
    c.run_until_idle();
    assert_eq!(images(&c, 5), [OLD, OLD, OLD, NEW, NEW]);
}

#[test]
fn an_unavailable_pod_below_the_partition_holds_a_parallel_update() {
    // k8s-behaviour.md 1.9.1: "Unavailable pods anywhere in 0..replicas-1 (including below the partition) count
    // against maxUnavailable"; in Parallel mode nothing else blocks.
    let web = Web {
        policy: "Parallel",
        readiness_delay: Some(1),
        update_strategy: rolling(Some(2), None),
        ..Web::default()
    };
    let mut c = running(&web);
    c.set_readiness_broken("default", "web-0", true).unwrap();
    step_until(&mut c, "web-0 turns unready", |c| !is_ready(c, "web-0"));
    let from = c.store().cursor();
    apply(&mut c, &with_new_image(&web).yaml());
    c.advance(120_000);
    assert_eq!(pod_deletions(&c, from), Vec::<String>::new());
    assert_eq!(images(&c, 3), [OLD, OLD, OLD]);
    c.set_readiness_broken("default", "web-0", false).unwrap();
    c.run_until_idle();
    assert_eq!(images(&c, 3), [OLD, OLD, NEW]);
}

#[test]
fn a_rolling_update_waits_for_min_ready_seconds_between_pods() {
    // k8s-behaviour.md 1.9.1: "The next pod is deleted only when every replica is healthy again (and Available
    // when minReadySeconds is set)".
    let web = Web {
        min_ready_seconds: 20,
        ..Web::default()
    };
    let mut c = running(&web);
    apply(&mut c, &with_new_image(&web).yaml());
    step_until(&mut c, "web-1 is deleted for the update", |c| {
        pod(c, "web-1").is_none_or(|p| p.metadata.deletion_timestamp.is_some())
    });
    let web2_ready = pod(&c, "web-2")
        .unwrap()
        .condition("Ready")
        .unwrap()
        .last_transition_time
        .unwrap();
    assert!(c.now().since(web2_ready) >= 20_000);
    assert_eq!(image_of(&c, "web-2"), NEW);
    c.run_until_idle();
    assert_eq!(images(&c, 3), [NEW, NEW, NEW]);
    assert_eq!(sts(&c, "web").status.available_replicas, 3);
}

#[test]
fn scaling_takes_precedence_over_the_update() {
    // k8s-behaviour.md 1.8: "the rolling-update step runs only after all condemned pods are gone".
    let web = Web {
        replicas: 4,
        ..Web::default()
    };
    let mut c = running(&web);
    let from = c.store().cursor();
    apply(
        &mut c,
        &Web {
            replicas: 2,
            ..with_new_image(&web)
        }
        .yaml(),
    );
    c.run_until_idle();
    assert_eq!(
        pod_deletions(&c, from),
        [
            "~web-3", "-web-3", "~web-2", "-web-2", "~web-1", "-web-1", "+web-1", "~web-0",
            "-web-0", "+web-0"
        ]
    );
    let _ = Kind::StatefulSet;
}
