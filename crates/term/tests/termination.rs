//! A pod being deleted stops its containers independently: the kubelet kills them all at once, one goroutine
//! each (kubernetes `pkg/kubelet/kuberuntime/kuberuntime_container.go` `killContainersWithSyncResult`), and each
//! `killContainer` runs the container's preStop hook, then has the runtime send SIGTERM and SIGKILL when what is
//! left of the grace period (at least `minimumGracePeriodInSeconds`, 2s) is over. So a server that handles
//! SIGTERM stops serving within a second while a sidecar whose PID 1 ignores it (a shell, `sleep`, `ncat`) runs
//! on until the grace period ends. The pod's status shows the containers running until all have exited
//! (`kubelet.go` `SyncTerminatingPod` writes the status before and after `killPod`), each then with its own exit
//! code and time; readiness probing goes on meanwhile (`StopLivenessAndStartup`), so a failing httpGet probe
//! unreadies the pod (`1/2  Terminating`) and an exec probe into an exited container errors without changing
//! anything (`prober/worker.go` `doProbe` throws errored results away).

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
use common::Lab;

use ordinal_engine::clock::Time;
use ordinal_engine::model::pod::ContainerStatus;
use ordinal_engine::model::{Event, Object, Pod};
use ordinal_engine::store::WatchEventType;

impl Lab {
    fn pod(&self, name: &str) -> Option<Pod> {
        self.c.store().get_typed::<Pod>("default", name).cloned()
    }

    fn ip(&self, name: &str) -> String {
        self.pod(name)
            .and_then(|p| p.status.pod_ip)
            .expect("the pod has an IP")
    }

    /// The pod's row in `kubectl get pods`: READY and STATUS.
    fn row(&mut self, name: &str) -> (String, String) {
        let out = self.sh(&format!("kubectl get pod {name} --no-headers"));
        let cells: Vec<&str> = out.split_whitespace().collect();
        (
            cells.get(1).unwrap_or(&"").to_string(),
            cells.get(2).unwrap_or(&"").to_string(),
        )
    }

    /// The container statuses of the pod's last version before it was deleted, from the watch log.
    fn final_statuses(&self, name: &str, from: u64) -> Vec<ContainerStatus> {
        let mut last = None;
        for e in self.c.store().events_since(from) {
            if let Object::Pod(p) = &*e.object {
                if p.metadata.name == name && e.type_ == WatchEventType::Modified {
                    last = Some(p.status.container_statuses.clone());
                }
            }
        }
        last.expect("the pod was updated")
    }

    /// When the pod was deleted for good, from the watch log.
    fn deleted_at(&self, name: &str, from: u64) -> Option<Time> {
        self.c
            .store()
            .events_since(from)
            .find(|e| e.type_ == WatchEventType::Deleted && e.object.meta().name == name)
            .map(|e| e.time)
    }

    fn events(&self, reason: &str) -> Vec<(String, i32)> {
        self.c
            .store()
            .list::<Event>(Some("default"))
            .filter(|e| e.reason == reason)
            .map(|e| (e.message.clone(), e.count))
            .collect()
    }
}

/// `(name, exit code, reason, seconds from `since` to its finish)` of each container status.
fn ends(statuses: &[ContainerStatus], since: Time) -> Vec<(String, i32, String, u64)> {
    statuses
        .iter()
        .map(|s| {
            let t = s
                .state
                .terminated
                .clone()
                .expect("the container terminated");
            (
                s.name.clone(),
                t.exit_code,
                t.reason.unwrap_or_default(),
                t.finished_at.expect("finished").since(since) / 1000,
            )
        })
        .collect()
}

/// A pod of an nginx and a `sleep` sidecar, with `extra` YAML lines under the nginx container, and a client pod
/// to reach it from.
fn web_and_sidecar(extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n{extra}  - name: sidecar\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"sleep 3600\"]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n"
    )
}

#[test]
fn the_server_stops_at_sigterm_while_the_sidecar_that_ignores_it_runs_out_the_grace_period() {
    let mut lab = Lab::new();
    lab.apply("web.yaml", &web_and_sidecar(""));
    lab.sh("kubectl wait --for=condition=Ready pod/web pod/client --timeout=2m");
    let ip = lab.ip("web");
    let get = format!("kubectl exec client -- wget -qO- http://{ip}/");
    assert!(lab.sh(&get).contains("Welcome to nginx!"));
    let from = lab.c.store().cursor();
    let deleted = lab.c.now();
    lab.sh("kubectl delete pod web --wait=false");
    lab.sh("sleep 3");
    // nginx has exited: its port refuses, though the pod is still there and its status unchanged.
    let out = lab.sh(&get);
    assert!(out.contains("Connection refused"), "{out}");
    assert_eq!(
        lab.row("web"),
        ("2/2".to_string(), "Terminating".to_string())
    );
    assert_eq!(
        lab.ip("web"),
        ip,
        "the sandbox keeps its IP until the pod goes"
    );
    lab.sh("sleep 26");
    assert!(
        lab.pod("web").is_some(),
        "the sidecar runs out the grace period"
    );
    lab.sh("sleep 2");
    assert_eq!(lab.deleted_at("web", from), Some(deleted.plus(30_000)));
    // Each container's end, as the kubelet reported it once both had exited: nginx shut down cleanly a second
    // after SIGTERM, `sh` as PID 1 ignored it and was killed at the end of the 30s.
    assert_eq!(
        ends(&lab.final_statuses("web", from), deleted),
        [
            ("nginx".to_string(), 0, "Completed".to_string(), 1),
            ("sidecar".to_string(), 137, "Error".to_string(), 30),
        ]
    );
    assert_eq!(
        lab.events("Killing"),
        [
            ("Stopping container nginx".to_string(), 1),
            ("Stopping container sidecar".to_string(), 1)
        ]
    );
}

#[test]
fn a_readiness_probe_that_fails_once_the_server_has_stopped_unreadies_the_terminating_pod() {
    let mut lab = Lab::new();
    let probe = "    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n      periodSeconds: 2\n      failureThreshold: 2\n";
    lab.apply("web.yaml", &web_and_sidecar(probe));
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: none\n  ports:\n  - port: 80\n";
    lab.apply("svc.yaml", svc);
    lab.sh("kubectl label pod web app=none");
    lab.sh("kubectl wait --for=condition=Ready pod/web --timeout=2m");
    let ip = lab.ip("web");
    lab.sh("kubectl delete pod web --wait=false");
    lab.sh("sleep 8");
    // Two failed probes after nginx stopped: the container is unready, the sidecar still counts.
    assert_eq!(
        lab.row("web"),
        ("1/2".to_string(), "Terminating".to_string())
    );
    let refused = format!(
        "Readiness probe failed: Get \"http://{ip}:80/\": dial tcp {ip}:80: connect: connection refused"
    );
    let unhealthy = lab.events("Unhealthy");
    assert_eq!(unhealthy.len(), 1, "{unhealthy:?}");
    assert_eq!(unhealthy[0].0, refused);
    assert!(unhealthy[0].1 >= 3, "{unhealthy:?}");
    // The EndpointSlice keeps the terminating endpoint, no longer serving (endpointslice util
    // `podToEndpoint`: serving is the pod's Ready condition, terminating its deletion).
    let slice = lab.sh(
        "kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[0].endpoints[0].conditions}'",
    );
    assert_eq!(
        slice,
        "{\"ready\":false,\"serving\":false,\"terminating\":true}"
    );
}

#[test]
fn an_exec_readiness_probe_into_an_exited_container_errors_and_leaves_readiness_as_it_was() {
    let mut lab = Lab::new();
    let probe = "    readinessProbe:\n      exec:\n        command: [\"cat\", \"/usr/share/nginx/html/index.html\"]\n      periodSeconds: 2\n";
    lab.apply("web.yaml", &web_and_sidecar(probe));
    lab.sh("kubectl wait --for=condition=Ready pod/web --timeout=2m");
    lab.sh("kubectl delete pod web --wait=false");
    lab.sh("sleep 20");
    assert_eq!(
        lab.row("web"),
        ("2/2".to_string(), "Terminating".to_string())
    );
    let errored = lab.events("Unhealthy");
    assert_eq!(errored.len(), 1, "{errored:?}");
    assert_eq!(
        errored[0].0,
        "Readiness probe errored and resulted in unknown state: rpc error: code = Unknown desc = failed to exec in container: container is in CONTAINER_EXITED state"
    );
    // Every 2s from the first probe after nginx exited (1s after the deletion) to now (20s after it).
    assert_eq!(errored[0].1, 10, "{errored:?}");
}

#[test]
fn in_a_shared_process_namespace_a_process_without_a_handler_dies_of_sigterm() {
    let mut lab = Lab::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: shared\nspec:\n  shareProcessNamespace: true\n  containers:\n  - name: sleeper\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n";
    lab.apply("pod.yaml", pod);
    lab.sh("kubectl wait --for=condition=Ready pod/shared --timeout=2m");
    let from = lab.c.store().cursor();
    let deleted = lab.c.now();
    lab.sh("kubectl delete pod shared");
    // `sleep` is not PID 1 here (the pause process is), so SIGTERM's default action ends it: 128 + 15.
    assert_eq!(lab.deleted_at("shared", from), Some(deleted));
    assert_eq!(
        ends(&lab.final_statuses("shared", from), deleted),
        [("sleeper".to_string(), 143, "Error".to_string(), 0)]
    );
}

#[test]
fn a_pre_stop_hook_runs_before_sigterm_and_counts_against_the_grace_period() {
    let mut lab = Lab::new();
    let hook = "    lifecycle:\n      preStop:\n        exec:\n          command: [\"sh\", \"-c\", \"sleep 5\"]\n";
    lab.apply("web.yaml", &web_and_sidecar(hook));
    lab.sh("kubectl wait --for=condition=Ready pod/web pod/client --timeout=2m");
    let ip = lab.ip("web");
    let get = format!("kubectl exec client -- wget -qO- http://{ip}/");
    let from = lab.c.store().cursor();
    let deleted = lab.c.now();
    lab.sh("kubectl delete pod web --wait=false");
    lab.sh("sleep 4");
    assert!(
        lab.sh(&get).contains("Welcome to nginx!"),
        "still serving during the hook"
    );
    lab.sh("sleep 30");
    assert_eq!(
        ends(&lab.final_statuses("web", from), deleted),
        [
            ("nginx".to_string(), 0, "Completed".to_string(), 6),
            ("sidecar".to_string(), 137, "Error".to_string(), 30),
        ]
    );
}

#[test]
fn a_failing_pre_stop_hook_is_reported_and_the_container_is_stopped_all_the_same() {
    let mut lab = Lab::new();
    let hook =
        "    lifecycle:\n      preStop:\n        exec:\n          command: [\"/bin/false\"]\n";
    lab.apply("web.yaml", &web_and_sidecar(hook));
    lab.sh("kubectl wait --for=condition=Ready pod/web --timeout=2m");
    lab.sh("kubectl delete pod web --wait=false");
    lab.sh("sleep 2");
    assert_eq!(
        lab.events("FailedPreStopHook"),
        [("PreStopHook failed".to_string(), 1)]
    );
}

#[test]
fn a_container_killed_for_its_liveness_probe_ends_as_its_process_ends_sigterm() {
    let mut lab = Lab::new();
    // nginx answers 404 for /healthz: killed after three failures, it shuts down cleanly (exit 0); a `sleep`
    // with a failing exec probe ignores SIGTERM and is killed when the probe's grace period (5s) ends.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: live\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n      periodSeconds: 5\n  - name: sleeper\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    livenessProbe:\n      exec:\n        command: [\"false\"]\n      periodSeconds: 5\n      terminationGracePeriodSeconds: 5\n";
    lab.apply("pod.yaml", pod);
    lab.sh("kubectl wait --for=jsonpath='{.status.containerStatuses[1].restartCount}'=1 pod/live --timeout=2m");
    let pod = lab.pod("live").expect("the pod runs");
    let last = |i: usize| {
        let s = &pod.status.container_statuses[i];
        let t = s.last_state.terminated.clone().expect("it ran before");
        (
            t.exit_code,
            t.reason.unwrap_or_default(),
            t.finished_at.unwrap().since(t.started_at.unwrap()) / 1000,
        )
    };
    // Third failure at 10s, then a second for nginx to stop, or 5s for SIGKILL to stop `sleep`.
    assert_eq!(last(0), (0, "Completed".to_string(), 11));
    assert_eq!(last(1), (137, "Error".to_string(), 15));
}
