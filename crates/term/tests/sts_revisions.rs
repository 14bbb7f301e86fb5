//! ControllerRevisions: what makes a revision, how they are named and numbered, how many are kept, what a
//! rollback does to them, and the forced-rollback trap (k8s-behaviour.md 1.9, 1.11; DOC-STS "Forced rollback").

mod common;

use common::*;
use ordinal_engine::model::{ControllerRevision, Kind};
use ordinal_engine::{Cluster, ClusterConfig};

const OLD: &str = "registry.k8s.io/nginx-slim:0.24";
const NEW: &str = "registry.k8s.io/nginx-slim:0.25";
/// A tag the registry does not have: the pod never gets past ErrImagePull / ImagePullBackOff.
const BROKEN: &str = "registry.k8s.io/nginx-slim:0.99";

fn running(web: &Web) -> Cluster {
    let mut c = cluster();
    apply(&mut c, &web.yaml());
    c.run_until_idle();
    assert_eq!(sts_ready(&c), format!("{0}/{0}", web.replicas));
    c
}

fn revision(c: &Cluster, name: &str) -> ControllerRevision {
    c.store()
        .get_typed::<ControllerRevision>("default", name)
        .cloned()
        .unwrap_or_else(|| panic!("revision {name} exists"))
}

fn numbers(c: &Cluster) -> Vec<i64> {
    revisions(c).into_iter().map(|(_, n)| n).collect()
}

#[test]
fn revision_names_are_template_hashes_from_the_safe_alphabet() {
    // k8s-behaviour.md 1.11 "Name" and "Labels": `<set>-<hash>`, digits mapped to {4..9,b,c,d,f}; stable for
    // a template whatever the seed; labels are the template's plus controller.kubernetes.io/hash; owned by
    // the set.
    let c = running(&Web::default());
    let revs = revisions(&c);
    assert_eq!(revs.len(), 1);
    let (name, number) = revs[0].clone();
    assert_eq!(number, 1);
    let hash = name.strip_prefix("web-").unwrap();
    assert!(!hash.is_empty() && hash.len() <= 10, "{hash}");
    assert!(hash.chars().all(|ch| "456789bcdf".contains(ch)), "{hash}");
    let rev = revision(&c, &name);
    assert_eq!(
        rev.metadata
            .labels
            .get("controller.kubernetes.io/hash")
            .map(String::as_str),
        Some(hash)
    );
    assert_eq!(
        rev.metadata.labels.get("app").map(String::as_str),
        Some("nginx")
    );
    let owner = rev.metadata.controller_ref().unwrap();
    assert_eq!(
        (owner.kind.as_str(), owner.uid.as_str()),
        ("StatefulSet", sts(&c, "web").metadata.uid.as_str())
    );
    // Another cluster, another seed (so other uids): the same template gets the same name.
    let mut other = Cluster::new(ClusterConfig {
        seed: 99,
        ..ClusterConfig::default()
    });
    apply(&mut other, &Web::default().yaml());
    assert_eq!(revisions(&other)[0].0, name);
    assert_ne!(sts(&other, "web").metadata.uid, sts(&c, "web").metadata.uid);
}

#[test]
fn each_template_change_makes_a_revision_with_the_next_number() {
    // k8s-behaviour.md 1.11 "Revision numbering": next = highest + 1.
    let web = Web::default();
    let mut c = running(&web);
    apply(
        &mut c,
        &Web {
            image: NEW.into(),
            ..web.clone()
        }
        .yaml(),
    );
    apply(
        &mut c,
        &Web {
            image: NEW.into(),
            env: Some("blue".into()),
            ..web.clone()
        }
        .yaml(),
    );
    assert_eq!(numbers(&c), [1, 2, 3]);
    let names: Vec<String> = revisions(&c).into_iter().map(|(n, _)| n).collect();
    assert_eq!(sts(&c, "web").status.update_revision, names[2]);
    c.run_until_idle();
    for i in 0..3 {
        assert_eq!(revision_label(&c, &format!("web-{i}")), names[2]);
    }
}

#[test]
fn changes_outside_the_template_make_no_revision() {
    // k8s-behaviour.md 1.11: "Changes to replicas, strategy, minReadySeconds and so on do not create
    // revisions".
    let web = Web::default();
    let mut c = running(&web);
    let out = apply(
        &mut c,
        &Web {
            replicas: 4,
            min_ready_seconds: 5,
            update_strategy: Some(
                "    type: RollingUpdate\n    rollingUpdate:\n      partition: 1\n".into(),
            ),
            revision_history_limit: Some(3),
            ..web.clone()
        }
        .yaml(),
    );
    assert_eq!(out[1], "statefulset.apps/web configured");
    c.run_until_idle();
    assert_eq!(numbers(&c), [1]);
    assert_eq!(sts(&c, "web").metadata.generation, 2);
}

#[test]
fn history_keeps_at_most_revision_history_limit_old_revisions() {
    // k8s-behaviour.md 1.11 "History limit": non-live revisions beyond the limit go, oldest first; with the
    // current and update revisions live, at most limit + 2 exist.
    let web = Web {
        revision_history_limit: Some(2),
        ..Web::default()
    };
    let mut c = running(&web);
    for i in 1..=5 {
        apply(
            &mut c,
            &Web {
                env: Some(format!("v{i}")),
                ..web.clone()
            }
            .yaml(),
        );
        advance_checking(&mut c, 0, |c| assert!(revisions(c).len() <= 4));
        loop {
            assert!(revisions(&c).len() <= 4, "{:?}", revisions(&c));
            if !c.step() {
                break;
            }
        }
    }
    // Rolled out: only the update revision is live, plus the two newest old ones.
    assert_eq!(numbers(&c), [4, 5, 6]);
    let s = &sts(&c, "web").status;
    assert_eq!(s.current_revision, s.update_revision);
    assert_eq!(revisions(&c)[2].0, s.update_revision);
}

#[test]
fn rollback_renumbers_the_old_revision_instead_of_making_a_new_one() {
    // k8s-behaviour.md 1.11: re-applying an older template reuses that revision object with the next number:
    // revisions 1 and 2 become 2 and 3.
    let web = Web::default();
    let mut c = running(&web);
    let first = revisions(&c)[0].0.clone();
    apply(
        &mut c,
        &Web {
            image: NEW.into(),
            ..web.clone()
        }
        .yaml(),
    );
    c.run_until_idle();
    let second = revisions(&c)[1].0.clone();
    assert_eq!(revisions(&c), [(first.clone(), 1), (second.clone(), 2)]);
    let first_uid = revision(&c, &first).metadata.uid;
    apply(&mut c, &web.yaml());
    assert_eq!(revisions(&c), [(second, 2), (first.clone(), 3)]);
    assert_eq!(revision(&c, &first).metadata.uid, first_uid);
    c.run_until_idle();
    assert_eq!(sts(&c, "web").status.current_revision, first);
    for i in 0..3 {
        assert_eq!(image_of(&c, &format!("web-{i}")), OLD);
    }
}

#[test]
fn change_cause_is_copied_from_the_set_to_its_new_revision() {
    // k8s-behaviour.md 1.11 "Annotations: copied from the set's annotations" (CHANGE-CAUSE in rollout history).
    let web = Web::default();
    let mut c = running(&web);
    apply(
        &mut c,
        &Web {
            image: NEW.into(),
            annotations: vec![(
                "kubernetes.io/change-cause".into(),
                "kubectl set image sts/web nginx=nginx-slim:0.25".into(),
            )],
            ..web.clone()
        }
        .yaml(),
    );
    let revs = revisions(&c);
    let cause = |name: &str| {
        revision(&c, name)
            .metadata
            .annotations
            .get("kubernetes.io/change-cause")
            .cloned()
    };
    assert_eq!(cause(&revs[0].0), None);
    assert_eq!(
        cause(&revs[1].0).as_deref(),
        Some("kubectl set image sts/web nginx=nginx-slim:0.25")
    );
}

#[test]
fn forced_rollback_waits_on_the_broken_pod_until_it_is_deleted() {
    // DOC-STS "Forced rollback", k8s-behaviour.md 1.7 step A.5 and 1.11: after a template whose pod never
    // becomes Ready, reverting the template is not enough — the controller waits for the broken pod to become
    // Ready before doing anything else. Deleting that pod by hand un-sticks it.
    let web = Web::default();
    let mut c = running(&web);
    let keep = (uid_of_pod(&c, "web-0"), uid_of_pod(&c, "web-1"));
    apply(
        &mut c,
        &Web {
            image: BROKEN.into(),
            ..web.clone()
        }
        .yaml(),
    );
    c.advance(600_000);
    assert!(
        ["ErrImagePull", "ImagePullBackOff"].contains(&status_of(&c, "web-2").as_str()),
        "{}",
        status_of(&c, "web-2")
    );
    assert_eq!(image_of(&c, "web-2"), BROKEN);
    assert_eq!(sts_ready(&c), "2/3");

    // Revert: the first revision becomes the update revision again (renumbered to 3).
    apply(&mut c, &web.yaml());
    assert_eq!(numbers(&c), [2, 3]);
    let broken_uid = uid_of_pod(&c, "web-2");
    c.advance(600_000);
    assert_eq!(
        uid_of_pod(&c, "web-2"),
        broken_uid,
        "the broken pod is never replaced"
    );
    assert_eq!(image_of(&c, "web-2"), BROKEN);
    assert_eq!((uid_of_pod(&c, "web-0"), uid_of_pod(&c, "web-1")), keep);
    assert_eq!(sts_ready(&c), "2/3");

    delete_pod(&mut c, "web-2");
    c.run_until_idle();
    assert_eq!(image_of(&c, "web-2"), OLD);
    assert_eq!(sts_ready(&c), "3/3");
    let s = &sts(&c, "web").status;
    assert_eq!(s.current_revision, s.update_revision);
    assert_eq!((uid_of_pod(&c, "web-0"), uid_of_pod(&c, "web-1")), keep);
    let _ = Kind::Pod;
}
