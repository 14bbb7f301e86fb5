//! The simulated node side: image pulls and their failures, init containers, readiness probes, crashes and
//! back-off, graceful termination, node failure and cordoning (k8s-behaviour.md 1.15, 4.2).

mod common;

use common::*;
use ordinal_engine::api::DeleteOptions;
use ordinal_engine::model::{Kind, Pod};
use ordinal_engine::{Cluster, ObjectKey};
use ordinal_kubectl::printers::pod_cells;

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: app
  labels:
    app: demo
spec:
  containers:
  - name: app
    image: IMAGE
";

fn pod(c: &Cluster, name: &str) -> Pod {
    c.store()
        .get_typed::<Pod>("default", name)
        .cloned()
        .unwrap_or_else(|| panic!("pod {name} exists"))
}

fn status(c: &Cluster, name: &str) -> String {
    pod_cells(&pod(c, name), c.now()).status
}

fn ready(c: &Cluster, name: &str) -> bool {
    pod(c, name).is_ready()
}

fn reasons(c: &Cluster, name: &str) -> Vec<String> {
    let uid = pod(c, name).metadata.uid;
    c.events_for(&uid)
        .iter()
        .map(|e| format!("{} {}", e.reason, e.message))
        .collect()
}

#[test]
fn a_pod_goes_pending_container_creating_running() {
    let mut c = cluster();
    let from = c.store().cursor();
    apply(
        &mut c,
        &POD.replace("IMAGE", "registry.k8s.io/nginx-slim:0.24"),
    );
    c.run_until_idle();
    assert_eq!(
        status_history(&c, from, "app"),
        ["Pending", "ContainerCreating", "Running"]
    );
    let r = reasons(&c, "app");
    let order: Vec<&str> = r
        .iter()
        .map(|s| s.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        order,
        ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    );
    assert!(r[0].starts_with("Scheduled Successfully assigned default/app to kind-worker"));
    assert!(r[2].contains("Successfully pulled image \"registry.k8s.io/nginx-slim:0.24\" in 6s (6s including waiting)"));
}

#[test]
fn an_unknown_tag_gives_err_image_pull_then_image_pull_back_off() {
    let mut c = cluster();
    let from = c.store().cursor();
    apply(&mut c, &POD.replace("IMAGE", "nginx:1.99"));
    c.advance(60_000);
    let history = status_history(&c, from, "app");
    assert_eq!(
        &history[..4],
        [
            "Pending",
            "ContainerCreating",
            "ErrImagePull",
            "ImagePullBackOff"
        ]
    );
    assert!(reasons(&c, "app").iter().any(|r| r.contains(
        "Failed to pull image \"nginx:1.99\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:1.99\""
    )));
    assert!(
        reasons(&c, "app").contains(&"BackOff Back-off pulling image \"nginx:1.99\"".to_string())
    );
    assert!(!ready(&c, "app"));
}

#[test]
fn init_containers_show_their_progress() {
    let mut c = cluster();
    let from = c.store().cursor();
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  initContainers:\n  - name: init-a\n    image: busybox:1.28\n    command: [sh, -c, 'true']\n  - name: init-b\n    image: busybox:1.28\n    command: [sh, -c, 'true']\n  containers:\n  - name: app\n    image: registry.k8s.io/nginx-slim:0.24\n";
    apply(&mut c, yaml);
    c.run_until_idle();
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
}

#[test]
fn a_readiness_probe_delays_ready_by_its_initial_delay() {
    let mut c = cluster();
    let yaml = format!(
        "{}    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n      initialDelaySeconds: 15\n      periodSeconds: 5\n",
        POD.replace("IMAGE", "registry.k8s.io/nginx-slim:0.24")
    );
    apply(&mut c, &yaml);
    while status(&c, "app") != "Running" {
        assert!(c.step());
    }
    let running_at = c.now();
    assert!(!ready(&c, "app"), "Running but not yet Ready");
    assert_eq!(pod_cells(&pod(&c, "app"), c.now()).ready, "0/1");
    c.run_until_idle();
    let ready_at = pod(&c, "app")
        .condition("Ready")
        .unwrap()
        .last_transition_time
        .unwrap();
    assert_eq!(ready_at.since(running_at), 15_000);
}

#[test]
fn breaking_readiness_takes_failure_threshold_periods_and_restoring_comes_back() {
    let mut c = cluster();
    let yaml = format!(
        "{}    readinessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      periodSeconds: 10\n      failureThreshold: 3\n",
        POD.replace(
            "IMAGE",
            "busybox:1.28\n    command: [sh, -c, 'touch /tmp/healthy && sleep infinity']"
        )
    );
    apply(&mut c, &yaml);
    c.run_until_idle();
    // The probe runs in the container: the file the command created makes it pass.
    assert!(ready(&c, "app"));
    c.set_readiness_broken("default", "app", true).unwrap();
    c.advance(15_000);
    assert!(ready(&c, "app"), "one failed probe is not enough");
    c.advance(20_000);
    assert!(!ready(&c, "app"), "three failed probes make it unready");
    assert_eq!(status(&c, "app"), "Running");
    assert!(reasons(&c, "app")
        .iter()
        .any(|r| r.starts_with("Unhealthy Readiness probe failed")));
    c.set_readiness_broken("default", "app", false).unwrap();
    c.advance(10_000);
    assert!(ready(&c, "app"));
}

#[test]
fn a_crashing_container_goes_into_crash_loop_back_off_with_growing_delays() {
    let mut c = cluster();
    let from = c.store().cursor();
    apply(
        &mut c,
        &POD.replace("IMAGE", "registry.k8s.io/nginx-slim:0.24"),
    );
    c.run_until_idle();
    c.crash_container("default", "app", None, true).unwrap();
    c.advance(120_000);
    let history = status_history(&c, from, "app");
    assert!(history.contains(&"Error".to_string()), "{history:?}");
    assert!(
        history.contains(&"CrashLoopBackOff".to_string()),
        "{history:?}"
    );
    let restarts = pod(&c, "app").status.container_statuses[0].restart_count;
    // Restarts at about 0s, 10s, 20s, 40s after successive crashes: four or five in two minutes, not dozens.
    assert!((3..=6).contains(&restarts), "{restarts} restarts");
    assert!(pod_cells(&pod(&c, "app"), c.now())
        .restarts
        .contains("ago)"));
    c.stop_crashing("default", "app").unwrap();
    c.advance(400_000);
    assert_eq!(status(&c, "app"), "Running");
    assert!(ready(&c, "app"));
}

#[test]
fn a_shell_that_ignores_sigterm_is_killed_after_the_grace_period() {
    let mut c = cluster();
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: sleeper\nspec:\n  terminationGracePeriodSeconds: 20\n  containers:\n  - name: c\n    image: busybox:1.28\n    command: [sleep, infinity]\n";
    apply(&mut c, yaml);
    c.run_until_idle();
    let key = ObjectKey::new(Kind::Pod, "default", "sleeper");
    let deleted_at = c.now();
    c.delete(&key, DeleteOptions::default()).unwrap();
    assert_eq!(status(&c, "sleeper"), "Terminating");
    c.advance(19_000);
    assert!(
        c.store().get(&key).is_some(),
        "still terminating before the grace period ends"
    );
    c.run_until_idle();
    assert!(c.store().get(&key).is_none());
    assert_eq!(c.now().since(deleted_at), 20_000);
}

#[test]
fn nginx_stops_quickly_on_sigterm() {
    let mut c = cluster();
    apply(
        &mut c,
        &POD.replace("IMAGE", "registry.k8s.io/nginx-slim:0.24"),
    );
    c.run_until_idle();
    let key = ObjectKey::new(Kind::Pod, "default", "app");
    let t0 = c.now();
    c.delete(&key, DeleteOptions::default()).unwrap();
    c.run_until_idle();
    assert!(c.store().get(&key).is_none());
    assert!(c.now().since(t0) < 5_000);
}

#[test]
fn a_failed_statefulset_pod_is_deleted_and_recreated_with_its_name() {
    let mut c = cluster();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    let uid = pod(&c, "web-1").metadata.uid;
    c.fail_pod("default", "web-1").unwrap();
    c.run_until_idle();
    let new = pod(&c, "web-1");
    assert_ne!(new.metadata.uid, uid);
    assert_eq!(status(&c, "web-1"), "Running");
    assert_eq!(new.claim_names().collect::<Vec<_>>(), ["www-web-1"]);
}

#[test]
fn a_cordoned_node_gets_no_new_pods() {
    let mut c = cluster();
    c.cordon("kind-worker", true).unwrap();
    c.cordon("kind-worker2", true).unwrap();
    apply(
        &mut c,
        &POD.replace("IMAGE", "registry.k8s.io/nginx-slim:0.24"),
    );
    c.run_until_idle();
    assert_eq!(status(&c, "app"), "Pending");
    assert!(reasons(&c, "app").contains(&"FailedScheduling 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.".to_string()), "{:?}", reasons(&c, "app"));
    c.cordon("kind-worker2", false).unwrap();
    c.run_until_idle();
    assert_eq!(status(&c, "app"), "Running");
    assert_eq!(
        pod(&c, "app").spec.node_name.as_deref(),
        Some("kind-worker2")
    );
}

#[test]
fn a_node_that_stops_answering_leaves_its_pods_terminating_until_it_returns() {
    let mut c = cluster();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    let node = pod(&c, "web-0").spec.node_name.clone().unwrap();
    c.set_node_ready(&node, false).unwrap();
    assert!(!ready(&c, "web-0"));
    c.advance(299_000);
    assert!(
        !pod(&c, "web-0").metadata.is_terminating(),
        "tolerated for 300s"
    );
    c.advance(60_000);
    assert_eq!(status(&c, "web-0"), "Terminating");
    // No kubelet confirms the deletion: it stays, and blocks the set.
    c.advance(600_000);
    assert_eq!(status(&c, "web-0"), "Terminating");
    c.set_node_ready(&node, true).unwrap();
    c.run_until_idle();
    assert_eq!(status(&c, "web-0"), "Running");
    assert!(ready(&c, "web-0"));
}

#[test]
fn force_deleting_a_pod_on_a_lost_node_frees_its_name() {
    let mut c = cluster();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    let node = pod(&c, "web-1").spec.node_name.clone().unwrap();
    let uid = pod(&c, "web-1").metadata.uid;
    c.set_node_ready(&node, false).unwrap();
    c.advance(400_000);
    assert_eq!(status(&c, "web-1"), "Terminating");
    let key = ObjectKey::new(Kind::Pod, "default", "web-1");
    c.delete(
        &key,
        DeleteOptions {
            grace_period_seconds: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    c.advance(1);
    // Recreated at once with the same name; its volume is pinned to the lost node, so it cannot run yet. The
    // VolumeBinding PreFilter narrows the nodes to the volume's (volume_binding.go `PreFilter`,
    // binder.go `GetEligibleNodes`); the others are "didn't satisfy plugin(s)" (schedule_one.go
    // `findNodesThatFitPod`), and the lost node is tainted unreachable.
    let new = pod(&c, "web-1");
    assert_ne!(new.metadata.uid, uid);
    c.advance(60_000);
    assert_eq!(status(&c, "web-1"), "Pending");
    assert!(
        reasons(&c, "web-1").iter().any(|r| r.contains(
            "FailedScheduling 0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 node(s) didn't satisfy plugin(s) [VolumeBinding]."
        )),
        "{:?}",
        reasons(&c, "web-1")
    );
}
