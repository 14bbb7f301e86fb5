//! The RESTARTS (and READY) cells of `kubectl get pods`, as kubernetes
//! pkg/printers/internalversion/printers.go `printPod` computes them:
//! - while the pod initializes, RESTARTS adds up the restarts of the init containers it walked (it stops at the
//!   first one not finished), and "ago" is the latest `lastState.terminated.finishedAt` among them;
//! - once it has initialized (no init container pending, or condition Initialized=True), RESTARTS is the
//!   restartable (sidecar, `restartPolicy: Always`) init containers' restarts plus the regular containers',
//!   and "ago" the latest of their last terminations; plain init containers' restarts no longer count;
//! - a sidecar counts in READY's total, and as ready once started and ready;
//! - the cell is `N (AGE ago)` when N is not 0 and a last termination is known, AGE as `translateTimestampSince`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::clock::Time;
use ordinal_engine::model::{Kind, Object, Pod};
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_kubectl::printers::{human_duration, pod_cells};
use ordinal_term::terminal::Terminal;
use serde_json::{json, Value};

#[test]
fn a_failing_init_container_shows_its_restarts_with_the_time_of_the_last() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    t.ctx.files.insert(
        "init.yaml".into(),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: initfail\nspec:\n  initContainers:\n  - name: init\n    image: busybox:1.28\n    command: [\"sh\", \"-c\", \"exit 1\"]\n  containers:\n  - name: main\n    image: busybox:1.28\n    command: [\"sleep\", \"3600\"]\n".into(),
    );
    let out = t
        .run(&mut c, "kubectl apply -f init.yaml; sleep 200", &[])
        .text;
    assert_eq!(out, "pod/initfail created\n");
    let pod = c
        .store()
        .get_typed::<Pod>("default", "initfail")
        .expect("the pod")
        .clone();
    let init = &pod.status.init_container_statuses[0];
    assert!(init.restart_count >= 3, "{init:?}");
    let last = init
        .last_state
        .terminated
        .as_ref()
        .and_then(|t| t.finished_at)
        .expect("the last run's end");
    let out = t.run(&mut c, "kubectl get pods", &[]).text;
    let want = format!(
        "{} ({} ago)",
        init.restart_count,
        human_duration(c.now().since(last))
    );
    let row = out.lines().nth(1).unwrap_or_default();
    assert!(row.contains(&format!("   {want}   ")), "{want}\n{out}");
}

/// A pod with one plain init container, one sidecar and one app container, with `status` as given.
fn pod(status: Value) -> Pod {
    let body = json!({
        "metadata": {"name": "p", "namespace": "default", "creationTimestamp": "2026-01-05T09:00:00Z"},
        "spec": {
            "initContainers": [
                {"name": "setup", "image": "busybox:1.28"},
                {"name": "proxy", "image": "nginx", "restartPolicy": "Always"}
            ],
            "containers": [{"name": "app", "image": "nginx"}]
        },
        "status": status,
    });
    match Object::from_json(Kind::Pod, body) {
        Ok(Object::Pod(p)) => p,
        other => panic!("{other:?}"),
    }
}

fn at(s: &str) -> Time {
    Time::parse_rfc3339(s).expect("a time")
}

fn terminated(code: i32, finished: &str) -> Value {
    json!({"terminated": {"exitCode": code, "reason": if code == 0 {"Completed"} else {"Error"}, "finishedAt": finished}})
}

#[test]
fn once_initialized_only_sidecar_and_app_restarts_count() {
    let p = pod(json!({
        "phase": "Running",
        "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
        "initContainerStatuses": [
            {"name": "setup", "restartCount": 4, "ready": false,
             "state": terminated(0, "2026-01-05T09:01:00Z"),
             "lastState": terminated(1, "2026-01-05T09:00:50Z")},
            {"name": "proxy", "restartCount": 2, "ready": true, "started": true,
             "state": {"running": {"startedAt": "2026-01-05T09:02:00Z"}},
             "lastState": terminated(1, "2026-01-05T09:01:55Z")}
        ],
        "containerStatuses": [
            {"name": "app", "restartCount": 1, "ready": true, "started": true,
             "state": {"running": {"startedAt": "2026-01-05T09:03:00Z"}},
             "lastState": terminated(137, "2026-01-05T09:02:58Z")}
        ]
    }));
    let cells = pod_cells(&p, at("2026-01-05T09:10:00Z"));
    assert_eq!(cells.ready, "2/2", "the sidecar counts in READY");
    assert_eq!(cells.status, "Running");
    assert_eq!(
        cells.restarts, "3 (7m2s ago)",
        "setup's 4 restarts no longer count"
    );
}

#[test]
fn a_sidecars_last_restart_is_the_ago_when_it_is_the_latest() {
    let p = pod(json!({
        "phase": "Running",
        "conditions": [{"type": "Initialized", "status": "True"}],
        "initContainerStatuses": [
            {"name": "setup", "restartCount": 0, "state": terminated(0, "2026-01-05T09:01:00Z")},
            {"name": "proxy", "restartCount": 5, "ready": false, "started": true,
             "state": {"running": {"startedAt": "2026-01-05T09:09:00Z"}},
             "lastState": terminated(1, "2026-01-05T09:08:30Z")}
        ],
        "containerStatuses": [
            {"name": "app", "restartCount": 0, "ready": true, "started": true,
             "state": {"running": {"startedAt": "2026-01-05T09:03:00Z"}}}
        ]
    }));
    let cells = pod_cells(&p, at("2026-01-05T09:10:00Z"));
    assert_eq!(
        cells.ready, "1/2",
        "a started sidecar that is not ready is not counted"
    );
    assert_eq!(cells.restarts, "5 (90s ago)");
}

#[test]
fn while_initializing_every_walked_init_containers_restarts_count() {
    let p = pod(json!({
        "phase": "Pending",
        "conditions": [{"type": "Initialized", "status": "False"}],
        "initContainerStatuses": [
            {"name": "setup", "restartCount": 3, "ready": false,
             "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": terminated(1, "2026-01-05T09:09:18Z")},
            {"name": "proxy", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}
        ],
        "containerStatuses": [
            {"name": "app", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}
        ]
    }));
    let cells = pod_cells(&p, at("2026-01-05T09:10:00Z"));
    assert_eq!(cells.status, "Init:CrashLoopBackOff");
    assert_eq!(cells.ready, "0/2");
    assert_eq!(cells.restarts, "3 (42s ago)");
}
