//! `spec.activeDeadlineSeconds` on a pod: which updates the API server takes, the kubelet failing the pod when
//! the deadline passes, and what each owner does with the Failed pod.
//!
//! Upstream:
//! - kubernetes pkg/apis/core/validation/validation.go `ValidatePodUpdate`: the field may be added, or lowered
//!   to 0 or more (`must be between 0 and 2147483647, inclusive`, `must be less than or equal to previous
//!   value`, `must not update from a positive integer to nil value`); `ValidatePodSpec` wants 1 or more
//!   (`must be between 1 and 2147483647, inclusive`). The deadline is left out of the "may not change" diff.
//! - pkg/kubelet/active_deadline.go: the deadline counts from `status.startTime`; past it the kubelet records a
//!   Normal `DeadlineExceeded` event, "Pod was active on the node longer than the specified deadline", and
//!   kubelet_pods.go `generateAPIPodStatus` writes phase Failed with that reason and message; the pod's
//!   containers are then stopped with its termination grace period.
//! - pkg/printers/internalversion/printers.go `printPod`: STATUS starts from `status.reason`; a terminated
//!   container's reason (`Error`, `Completed`) replaces it once the containers have stopped.
//! - pkg/controller/statefulset/stateful_set_control.go `processReplica`: a Failed pod is deleted (at once: a
//!   terminal pod has no grace period, pkg/registry/core/pod/strategy.go `CheckGracefulDelete`) and made
//!   again on the next sync; the `RecreatingFailedPod` event was removed in 1.31 (kubernetes#123809).
//! - pkg/controller/replicaset: a Failed pod is not active (controller_utils.go `FilterActivePods`), so the
//!   ReplicaSet makes a replacement and leaves the Failed pod for the pod GC.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::model::Pod;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn setup() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    (Cluster::new(ClusterConfig::default()), t)
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

fn pod(c: &Cluster, name: &str) -> Option<Pod> {
    c.store().get_typed::<Pod>("default", name).cloned()
}

#[test]
fn the_deadline_may_be_added_or_lowered_but_not_raised_or_removed() {
    let (mut c, mut t) = setup();
    sh(
        &mut c,
        &mut t,
        "kubectl run bare --image=busybox:1.28 -- sleep 3600; sleep 20",
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            r#"kubectl patch pod bare -p '{"spec":{"activeDeadlineSeconds":600}}'"#
        ),
        "pod/bare patched\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            r#"kubectl patch pod bare -p '{"spec":{"activeDeadlineSeconds":500}}'"#
        ),
        "pod/bare patched\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, r#"kubectl patch pod bare -p '{"spec":{"activeDeadlineSeconds":501}}'"#),
        "The Pod \"bare\" is invalid: spec.activeDeadlineSeconds: Invalid value: 501: must be less than or equal to previous value\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, r#"kubectl patch pod bare --type=json -p '[{"op":"remove","path":"/spec/activeDeadlineSeconds"}]'"#),
        "The Pod \"bare\" is invalid: spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, r#"kubectl patch pod bare -p '{"spec":{"activeDeadlineSeconds":0}}'"#),
        "The Pod \"bare\" is invalid: spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, r#"kubectl patch pod bare -p '{"spec":{"activeDeadlineSeconds":-3}}'"#),
        "The Pod \"bare\" is invalid: \n* spec.activeDeadlineSeconds: Invalid value: -3: must be between 1 and 2147483647, inclusive\n* spec.activeDeadlineSeconds: Invalid value: -3: must be between 0 and 2147483647, inclusive\n"
    );
    assert_eq!(
        pod(&c, "bare").and_then(|p| p.spec.active_deadline_seconds),
        Some(500)
    );
}

#[test]
fn a_bare_pod_past_its_deadline_is_failed_by_the_kubelet_and_stays() {
    let (mut c, mut t) = setup();
    sh(
        &mut c,
        &mut t,
        "kubectl run bare --image=busybox:1.28 -- sleep 3600; sleep 30",
    );
    let started = pod(&c, "bare")
        .and_then(|p| p.status.start_time)
        .expect("the kubelet set startTime");
    sh(
        &mut c,
        &mut t,
        r#"kubectl patch pod bare -p '{"spec":{"activeDeadlineSeconds":45}}'"#,
    );
    // Not yet: the deadline counts from startTime, not from the patch.
    sh(&mut c, &mut t, "sleep 14");
    assert_eq!(
        pod(&c, "bare").map(|p| p.status.phase),
        Some("Running".into())
    );
    sh(&mut c, &mut t, "sleep 2");
    let failed = pod(&c, "bare").expect("a bare pod is not deleted");
    assert_eq!(failed.status.phase, "Failed");
    assert_eq!(failed.status.reason.as_deref(), Some("DeadlineExceeded"));
    assert_eq!(
        failed.status.message.as_deref(),
        Some("Pod was active on the node longer than the specified deadline")
    );
    assert_eq!(failed.status.start_time, Some(started));
    let out = sh(&mut c, &mut t, "kubectl get pod bare");
    assert!(
        out.ends_with("bare   0/1     DeadlineExceeded   0          46s\n"),
        "{out}"
    );
    let events = sh(
        &mut c,
        &mut t,
        "kubectl get events --field-selector involvedObject.name=bare",
    );
    assert!(
        events.contains("Normal   DeadlineExceeded   pod/bare   Pod was active on the node longer than the specified deadline\n"),
        "{events}"
    );
    assert!(
        events.contains("Normal   Killing            pod/bare   Stopping container bare\n"),
        "{events}"
    );
    // `sleep` ignores SIGTERM: after the 30s grace period it is killed (137), and printPod shows the
    // container's reason.
    sh(&mut c, &mut t, "sleep 31");
    let out = sh(&mut c, &mut t, "kubectl get pod bare");
    assert!(out.contains("bare   0/1     Error    0          "), "{out}");
    let done = pod(&c, "bare").expect("still there");
    assert_eq!(done.status.phase, "Failed");
    assert_eq!(done.status.reason.as_deref(), Some("DeadlineExceeded"));
    let exit = done.status.container_statuses[0]
        .state
        .terminated
        .as_ref()
        .map(|t| t.exit_code);
    assert_eq!(exit, Some(137));
}

#[test]
fn the_statefulset_controller_deletes_a_failed_pod_and_makes_it_again() {
    let (mut c, mut t) = setup();
    sh(&mut c, &mut t, "kubectl apply -f web.yaml; sleep 60");
    let uid = pod(&c, "web-0").map(|p| p.metadata.uid).unwrap_or_default();
    let p = t.run(
        &mut c,
        r#"kubectl patch pod web-0 -p '{"spec":{"activeDeadlineSeconds":65}}'"#,
        &[],
    );
    assert_eq!(p.text, "pod/web-0 patched\n");
    sh(&mut c, &mut t, "sleep 10");
    let again = pod(&c, "web-0").expect("web-0 was made again");
    assert_ne!(again.metadata.uid, uid);
    assert!(again.status.reason.is_none());
    assert_eq!(again.spec.active_deadline_seconds, None);
    let events = sh(&mut c, &mut t, "kubectl describe sts web");
    assert!(
        events.contains("statefulset-controller  delete Pod web-0 in StatefulSet web successful"),
        "{events}"
    );
    assert!(events.contains("SuccessfulCreate  "), "{events}");
    assert!(events.contains(" (x2 over 70s)"), "{events}");
    assert!(!events.contains("Recreating"), "{events}");
    let all = sh(&mut c, &mut t, "kubectl get events");
    assert!(all.contains("DeadlineExceeded        pod/web-0"), "{all}");
}

#[test]
fn a_replicaset_replaces_a_failed_pod_and_leaves_it() {
    let (mut c, mut t) = setup();
    sh(
        &mut c,
        &mut t,
        "kubectl create deployment hello --image=registry.k8s.io/nginx-slim:0.24; sleep 30",
    );
    let first = c
        .store()
        .list::<Pod>(Some("default"))
        .next()
        .map(|p| p.metadata.name.clone())
        .expect("one pod");
    sh(
        &mut c,
        &mut t,
        &format!(r#"kubectl patch pod {first} -p '{{"spec":{{"activeDeadlineSeconds":31}}}}'"#),
    );
    sh(&mut c, &mut t, "sleep 5");
    let pods: Vec<Pod> = c.store().list::<Pod>(Some("default")).cloned().collect();
    assert_eq!(
        pods.len(),
        2,
        "the Failed pod stays next to its replacement"
    );
    let failed = pods
        .iter()
        .find(|p| p.metadata.name == first)
        .expect("the failed pod");
    assert_eq!(failed.status.phase, "Failed");
    // nginx exits 0 on SIGTERM, so once stopped the row shows its container's `Completed`.
    let out = sh(&mut c, &mut t, &format!("kubectl get pod {first}"));
    assert!(out.contains("0/1     Completed   0"), "{out}");
    assert!(pods
        .iter()
        .any(|p| p.metadata.name != first && p.status.phase == "Running"));
}

#[test]
fn a_deadline_set_at_creation_counts_from_the_start() {
    let (mut c, mut t) = setup();
    t.ctx.files.insert(
        "job.yaml".into(),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: job\nspec:\n  activeDeadlineSeconds: 10\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox:1.28\n    command: [\"sleep\", \"3600\"]\n".into(),
    );
    sh(&mut c, &mut t, "kubectl apply -f job.yaml; sleep 9");
    assert_eq!(
        pod(&c, "job").map(|p| p.status.phase),
        Some("Running".into())
    );
    sh(&mut c, &mut t, "sleep 1");
    assert_eq!(
        pod(&c, "job").and_then(|p| p.status.reason),
        Some("DeadlineExceeded".into())
    );
}
