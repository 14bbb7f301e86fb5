//! Init containers run their commands in their own containers, in order: what they write to the pod's volumes
//! is there for the app containers; a failing one shows `Init:Error`, then backs off (`Init:CrashLoopBackOff`)
//! or, under `restartPolicy: Never`, fails the pod (k8s-behaviour.md 4.2).

mod common;

use common::*;
use ordinal_engine::model::Pod;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_kubectl::printers::pod_cells;
use ordinal_term::terminal::Terminal;

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  restartPolicy: POLICY
  initContainers:
  - name: write
    image: busybox:1.28
    command: [sh, -c, 'echo written by $(hostname) > /work/msg; echo done']
    volumeMounts:
    - name: work
      mountPath: /work
  - name: check
    image: busybox:1.28
    command: [sh, -c, 'cat /work/msg && SECOND']
    volumeMounts:
    - name: work
      mountPath: /work
  containers:
  - name: app
    image: busybox:1.28
    command: [sleep, '3600']
    volumeMounts:
    - name: work
      mountPath: /work
  volumes:
  - name: work
    emptyDir: {}
";

fn status(c: &Cluster) -> String {
    c.store()
        .get_typed::<Pod>("default", "app")
        .map(|p| pod_cells(p, c.now()).status)
        .unwrap_or_default()
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

#[test]
fn what_an_init_container_writes_to_an_empty_dir_is_there_for_the_app() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    let from = c.store().cursor();
    apply(
        &mut c,
        &POD.replace("POLICY", "Always").replace("SECOND", "true"),
    );
    c.advance(60_000);
    assert_eq!(
        status_history(&c, from, "app"),
        [
            "Pending",
            "Init:0/2",
            "Init:1/2",
            "PodInitializing",
            "Running"
        ]
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec app -c app -- cat /work/msg"),
        "written by app\n"
    );
    assert_eq!(sh(&mut c, &mut t, "kubectl logs app -c write"), "done\n");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl logs app -c check"),
        "written by app\n"
    );
}

#[test]
fn a_failing_init_container_backs_off_and_holds_the_app() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    let from = c.store().cursor();
    apply(
        &mut c,
        &POD.replace("POLICY", "Always").replace("SECOND", "exit 3"),
    );
    c.advance(120_000);
    let history = status_history(&c, from, "app");
    assert!(history.contains(&"Init:Error".to_string()), "{history:?}");
    assert!(
        history.contains(&"Init:CrashLoopBackOff".to_string()),
        "{history:?}"
    );
    assert!(!history.contains(&"Running".to_string()), "{history:?}");
    let get = sh(&mut c, &mut t, "kubectl get pod app");
    let row = get.lines().nth(1).unwrap_or_default().to_string();
    let restarts: u32 = row
        .split_whitespace()
        .nth(3)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    assert!(restarts >= 2, "{get}");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl logs app -c app"),
        "Error from server (BadRequest): container \"app\" in pod \"app\" is waiting to start: PodInitializing\n"
    );
}

#[test]
fn under_restart_policy_never_a_failing_init_container_fails_the_pod() {
    let mut c = Cluster::new(ClusterConfig::default());
    apply(
        &mut c,
        &POD.replace("POLICY", "Never").replace("SECOND", "exit 3"),
    );
    c.run_until_idle();
    assert_eq!(status(&c), "Init:Error");
    let phase = c
        .store()
        .get_typed::<Pod>("default", "app")
        .map(|p| p.status.phase.clone());
    assert_eq!(phase.as_deref(), Some("Failed"));
}
