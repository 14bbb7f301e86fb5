//! Why things wait (issue #15): what the engine's explanations say at each moment of the tutorial's stories —
//! the next ordinal waiting for the one before it, a claim whose class does not exist, a scale-down and a
//! rolling update going one pod at a time — and the terminal's `why` command that words them.

mod common;

use common::*;
use ordinal_engine::why::{self, PodState, Why};
use ordinal_engine::Cluster;

/// The set's next waiting ordinal and its reason.
fn next(c: &Cluster) -> Option<(i32, Why)> {
    why::set(c, "default", "web").and_then(|w| w.next)
}

fn notes(c: &Cluster) -> Vec<Why> {
    why::set(c, "default", "web")
        .map(|w| w.notes)
        .unwrap_or_default()
}

#[test]
fn the_next_ordinal_says_it_waits_for_the_one_before_until_that_one_is_ready() {
    let mut lab = Lab::new();
    lab.apply("web.yaml", &Web::default().yaml());
    // Natively an apply settles the instant: web-0 exists and is not Ready yet.
    assert!(pod(&lab.c, "web-0").is_some() && !is_ready(&lab.c, "web-0"));
    let (ordinal, w) = next(&lab.c).expect("web-1 waits");
    assert_eq!(ordinal, 1);
    match &w {
        Why::WaitsForPredecessor {
            pod,
            blocker,
            state,
        } => {
            assert_eq!((pod.as_str(), blocker.as_str()), ("web-1", "web-0"));
            assert!(matches!(state, PodState::Pending(_)), "{state:?}");
        }
        other => panic!("web-1 should wait for web-0, not {other:?}"),
    }
    let text = lab.sh("why web-1");
    assert!(
        text.starts_with("pod/web-1: web-1 waits: web-0 is Pending"),
        "{text}"
    );
    assert!(text.contains("OrderedReady"), "{text}");
    // The chain goes on to what web-0 itself waits for.
    assert!(text.contains("\npod/web-0: "), "{text}");

    step_until(&mut lab.c, "web-0 is Ready", |c| is_ready(c, "web-0"));
    // The moment web-0 is Ready the controller creates web-1: nothing says web-1 waits any more.
    lab.c.finish_pending();
    let after = next(&lab.c);
    assert!(
        after.as_ref().is_none_or(|(o, _)| *o != 1),
        "web-1 no longer waits: {after:?}"
    );
    assert!(pod(&lab.c, "web-1").is_some());
    lab.c.run_until_idle();
    assert_eq!(next(&lab.c), None);
    assert_eq!(
        lab.sh("why sts/web"),
        "statefulset.apps/web: nothing waits: 3 of 3 pods ready.\n"
    );
    assert_eq!(lab.sh("why web-0"), "pod/web-0: Running and Ready.\n");
}

#[test]
fn min_ready_seconds_shows_the_seconds_left() {
    let mut c = cluster();
    apply(
        &mut c,
        &Web {
            min_ready_seconds: 10,
            ..Web::default()
        }
        .yaml(),
    );
    step_until(&mut c, "web-0 is Ready", |c| is_ready(c, "web-0"));
    let Some((1, Why::WaitsForPredecessor { state, .. })) = next(&c) else {
        panic!("web-1 waits for web-0: {:?}", next(&c));
    };
    let PodState::NotAvailable {
        left_ms,
        min_ready_seconds: 10,
    } = state
    else {
        panic!("web-0 is Ready and not available yet: {state:?}");
    };
    assert!(left_ms > 0 && left_ms <= 10_000, "{left_ms}");
    c.advance(4_000);
    let Some((1, Why::WaitsForPredecessor { state, .. })) = next(&c) else {
        panic!("web-1 still waits: {:?}", next(&c));
    };
    assert_eq!(
        state,
        PodState::NotAvailable {
            left_ms: left_ms - 4_000,
            min_ready_seconds: 10
        }
    );
    assert!(why::pod(&c, "default", "web-0")
        .iter()
        .any(|w| matches!(w, Why::NotAvailableYet { .. })));
}

const MISSING_CLASS: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      storageClassName: fast
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
";

#[test]
fn a_claim_with_a_missing_class_says_so_and_the_chain_leads_there() {
    let mut lab = Lab::new();
    lab.apply("web.yaml", MISSING_CLASS);
    lab.c.advance(30_000);
    assert_eq!(
        why::claim(&lab.c, "default", "www-web-0"),
        vec![Why::ClassMissing {
            class: "fast".into()
        }]
    );
    let pod_whys = why::pod(&lab.c, "default", "web-0");
    assert!(
        matches!(pod_whys.as_slice(), [Why::Unschedulable { message }] if message.contains("unbound immediate PersistentVolumeClaims")),
        "{pod_whys:?}"
    );
    let text = lab.sh("why web-1");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("pod/web-1: web-1 waits: web-0 is Pending."),
        "{text}"
    );
    assert!(
        lines[1].starts_with("pod/web-0: Not scheduled. The scheduler says: 0/"),
        "{text}"
    );
    assert!(
        lines[2].starts_with(
            "persistentvolumeclaim/www-web-0: Pending: StorageClass \"fast\" does not exist"
        ),
        "{text}"
    );
    // Creating the class is the fix: the claim binds and the explanation goes.
    lab.apply(
        "fast.yaml",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: rancher.io/local-path\nvolumeBindingMode: WaitForFirstConsumer\nreclaimPolicy: Delete\n",
    );
    lab.c.advance(60_000);
    lab.c.run_until_idle();
    assert_eq!(why::claim(&lab.c, "default", "www-web-0"), vec![]);
    assert!(is_ready(&lab.c, "web-1"));
}

#[test]
fn a_scale_down_names_the_next_pod_and_whom_it_waits_for() {
    let mut c = cluster();
    apply(&mut c, &Web::default().yaml());
    c.run_until_idle();
    let mut lab = Lab {
        c,
        t: Default::default(),
    };
    lab.sh("kubectl scale sts web --replicas=1");
    // web-2 is terminating; web-1 goes once it is gone.
    assert!(pod(&lab.c, "web-2").is_some_and(|p| p.metadata.is_terminating()));
    assert_eq!(
        notes(&lab.c),
        vec![Why::ScaleDownAfterTerminating {
            pod: "web-1".into(),
            blocker: "web-2".into()
        }]
    );
    let whys = why::pod(&lab.c, "default", "web-2");
    let [Why::Terminating {
        left_ms,
        grace_seconds: 10,
        node_down: None,
    }] = whys.as_slice()
    else {
        panic!("web-2 is terminating with a 10 s grace period: {whys:?}");
    };
    assert!(*left_ms <= 10_000);
    lab.c.run_until_idle();
    assert_eq!(notes(&lab.c), vec![]);
    // The claims of web-1 and web-2 stay, and say so.
    assert_eq!(
        why::claim(&lab.c, "default", "www-web-2"),
        vec![Why::ClaimKept {
            pod: "web-2".into(),
            set: "web".into()
        }]
    );
    assert!(lab
        .sh("why pvc/www-web-1")
        .contains("the new pod mounts this same claim"));
}

#[test]
fn a_rolling_update_names_the_pod_it_replaces_next_and_a_partition_what_it_keeps() {
    let mut c = cluster();
    let web = Web {
        update_strategy: Some(
            "    type: RollingUpdate\n    rollingUpdate:\n      partition: 1\n".into(),
        ),
        ..Web::default()
    };
    apply(&mut c, &web.yaml());
    c.run_until_idle();
    apply(
        &mut c,
        &Web {
            image: "registry.k8s.io/nginx-slim:0.21".into(),
            ..web.clone()
        }
        .yaml(),
    );
    // web-2 is replaced first; web-1 is next and waits for the new web-2.
    let saw_next = |c: &Cluster| {
        notes(c).iter().any(|w| {
            matches!(w, Why::UpdateNext { pod, blocker: Some((b, _)), .. } if pod == "web-1" && b == "web-2")
        })
    };
    step_until(&mut c, "web-1 is next, after web-2", saw_next);
    c.run_until_idle();
    let kept = notes(&c);
    assert!(
        matches!(kept.as_slice(), [Why::PartitionKeeps { partition: 1, kept, .. }] if kept == &["web-0".to_string()]),
        "{kept:?}"
    );
    assert!(kept[0]
        .to_string()
        .starts_with("partition: 1: web-0 keeps the old revision"));
}

#[test]
fn on_delete_lists_the_pods_that_keep_the_old_revision() {
    let mut c = cluster();
    let web = Web {
        replicas: 2,
        update_strategy: Some("    type: OnDelete\n".into()),
        ..Web::default()
    };
    apply(&mut c, &web.yaml());
    c.run_until_idle();
    apply(
        &mut c,
        &Web {
            image: "registry.k8s.io/nginx-slim:0.21".into(),
            ..web
        }
        .yaml(),
    );
    c.run_until_idle();
    let n = notes(&c);
    assert!(
        matches!(n.as_slice(), [Why::OnDeleteWaits { pods, .. }] if pods == &["web-1".to_string(), "web-0".to_string()]),
        "{n:?}"
    );
}

#[test]
fn parallel_sets_do_not_wait_their_turn() {
    let mut c = cluster();
    apply(
        &mut c,
        &Web {
            policy: "Parallel",
            ..Web::default()
        }
        .yaml(),
    );
    assert_eq!(next(&c), None);
}

#[test]
fn a_released_volume_says_it_keeps_the_data() {
    let mut lab = Lab::new();
    lab.apply("web.yaml", &Web::default().yaml());
    lab.c.run_until_idle();
    let volume = claim(&lab.c, "www-web-0")
        .and_then(|p| p.spec.volume_name.clone())
        .expect("bound");
    lab.sh(&format!(
        "kubectl patch pv {volume} -p '{{\"spec\":{{\"persistentVolumeReclaimPolicy\":\"Retain\"}}}}'"
    ));
    lab.sh("kubectl delete sts web");
    lab.c.run_until_idle();
    lab.sh("kubectl delete pvc www-web-0");
    lab.c.run_until_idle();
    let text = lab.sh(&format!("why pv/{volume}"));
    assert!(
        text.starts_with(&format!(
            "persistentvolume/{volume}: Released: its claim default/www-web-0 was deleted. reclaimPolicy Retain keeps"
        )),
        "{text}"
    );
}

#[test]
fn why_answers_bad_input_with_usage_and_unknown_objects_with_not_found() {
    let mut lab = Lab::new();
    let out = lab.t.run(&mut lab.c, "why", &[]);
    assert_eq!(out.status, 2);
    assert!(out.text.starts_with("usage: why"), "{}", out.text);
    let out = lab.t.run(&mut lab.c, "why pod/nope", &[]);
    assert_eq!(
        (out.status, out.text.as_str()),
        (1, "why: pods \"nope\" not found in namespace default\n")
    );
    let out = lab.t.run(&mut lab.c, "why frobs/x", &[]);
    assert_eq!(out.status, 2);
    assert!(
        out.text.starts_with("why: unknown type \"frobs\""),
        "{}",
        out.text
    );
    let out = lab.t.run(&mut lab.c, "why web-9 -n", &[]);
    assert_eq!(out.status, 2);
}
