//! What a probe sees can change without a write to the API: a file removed with `kubectl exec`, copied in with
//! `kubectl cp` or written from a shell attached to the container, a file another pod writes into a volume
//! both mount, a Service a probe looks up by name. The real kubelet runs every probe each `periodSeconds` and
//! changes readiness once `failureThreshold` failures (or `successThreshold` successes) come in a row
//! (kubernetes/kubernetes `pkg/kubelet/prober/worker.go`, `doProbe`: `lastResult`/`resultRun`, and the
//! `resultsManager.Set` only past the threshold). So whatever waits on the clock — `kubectl wait`,
//! `kubectl rollout status`, `kubectl get -w` — sees the flip at that probe: not at once, and not only when
//! its timeout runs out.

#![allow(clippy::expect_used)]

mod common;
use common::Lab;

use ordinal_engine::clock::Time;
use ordinal_engine::model::Pod;

impl Lab {
    fn secs(&self) -> u64 {
        self.c.now().millis() / 1000
    }

    fn ready(&self, pod: &str) -> bool {
        self.c
            .store()
            .get_typed::<Pod>("default", pod)
            .and_then(|p| p.status.container_statuses.first().map(|s| s.ready))
            .unwrap_or(false)
    }

    fn restarts(&self, pod: &str) -> i64 {
        self.c
            .store()
            .get_typed::<Pod>("default", pod)
            .and_then(|p| p.status.container_statuses.first().map(|s| s.restart_count))
            .unwrap_or(-1)
    }

    /// When the pod's container started (its probes tick from there).
    fn started(&self, pod: &str) -> Time {
        self.c
            .store()
            .get_typed::<Pod>("default", pod)
            .and_then(|p| p.status.container_statuses.first().cloned())
            .and_then(|s| s.state.running.and_then(|r| r.started_at))
            .expect("the container runs")
    }
}

/// A busybox pod whose readiness (or liveness) probe is `cat /tmp/healthy`, probed every 5 seconds, and whose
/// main process creates the file when `healthy`.
fn probed_pod(name: &str, kind: &str, healthy: bool) -> String {
    let start = if healthy {
        "touch /tmp/healthy; sleep 3600"
    } else {
        "sleep 3600"
    };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"{start}\"]\n    {kind}:\n      exec:\n        command: [\"cat\", \"/tmp/healthy\"]\n      periodSeconds: 5\n"
    )
}

/// The probe tick after `at` for a container started at `started` with period 5s: a change made at a tick
/// came after that tick's probe.
fn next_tick_after(started: Time, at: Time) -> u64 {
    let since = at.since(started) / 1000;
    started.millis() / 1000 + (since / 5 + 1) * 5
}

#[test]
fn kubectl_wait_returns_at_the_third_failing_probe_after_exec_removes_the_file() {
    let mut lab = Lab::new();
    lab.apply("pod.yaml", &probed_pod("x", "readinessProbe", true));
    let out = lab.sh("kubectl wait --for=condition=Ready pod/x --timeout=60s");
    assert_eq!(out, "pod/x condition met\n");
    let started = lab.started("x");
    let removed = lab.c.now();
    assert_eq!(lab.sh("kubectl exec x -- rm /tmp/healthy"), "");
    let out = lab.sh("kubectl wait --for=condition=Ready=false pod/x --timeout=60s");
    assert_eq!(out, "pod/x condition met\n");
    // Three failures in a row (failureThreshold 3), the first at the tick after the removal.
    let first = next_tick_after(started, removed);
    assert_eq!(lab.secs(), first + 10, "not at once, not at the timeout");
    assert!(!lab.ready("x"));
    let events = lab.sh("kubectl get events --field-selector reason=Unhealthy -o custom-columns=MSG:.message --no-headers");
    assert_eq!(
        events,
        "Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"
    );
    // Put back, the next probe (successThreshold 1) makes it ready again.
    let put_back = lab.c.now();
    lab.sh("kubectl exec x -- touch /tmp/healthy");
    let out = lab.sh("kubectl wait --for=condition=Ready pod/x --timeout=60s");
    assert_eq!(out, "pod/x condition met\n");
    assert_eq!(lab.secs(), next_tick_after(started, put_back));
}

#[test]
fn a_watch_started_right_after_the_change_shows_the_flip_at_its_probe() {
    let mut lab = Lab::new();
    lab.apply("pod.yaml", &probed_pod("x", "readinessProbe", false));
    lab.sh("sleep 30");
    assert!(!lab.ready("x"));
    let started = lab.started("x");
    let touched = lab.c.now();
    lab.sh("kubectl exec x -- touch /tmp/healthy");
    let out = lab.sh("kubectl get pod x -w");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[1].starts_with("x      0/1     Running   0          30s"),
        "{out}"
    );
    let age = next_tick_after(started, touched);
    assert_eq!(
        lines[2],
        format!("x      1/1     Running   0          {age}s"),
        "{out}"
    );
}

#[test]
fn only_failures_in_a_row_count_from_the_probe_that_saw_the_first() {
    let mut lab = Lab::new();
    lab.apply("pod.yaml", &probed_pod("x", "readinessProbe", true));
    lab.sh("kubectl wait --for=condition=Ready pod/x --timeout=60s");
    let start = lab.started("x").millis() / 1000;
    assert_eq!(lab.secs(), start, "ready at its first probe");
    // Removed, then put back two probes later: two failures are fewer than failureThreshold (3).
    lab.sh("kubectl exec x -- rm /tmp/healthy");
    lab.sh("sleep 10");
    lab.sh("kubectl exec x -- touch /tmp/healthy");
    let out = lab.sh("kubectl get pod x -w");
    assert_eq!(out.lines().count(), 2, "the table, and no change: {out}");
    assert!(lab.ready("x"));
    // Removed and put back before any probe saw it, then removed again after the next probe passed: the
    // failures run from the probe after that.
    let tick = lab.secs() + 5 - (lab.secs() - start) % 5;
    lab.sh("kubectl exec x -- rm /tmp/healthy");
    lab.sh("sleep 1");
    lab.sh("kubectl exec x -- touch /tmp/healthy");
    lab.sh(&format!("sleep {}", tick + 1 - lab.secs()));
    lab.sh("kubectl exec x -- rm /tmp/healthy");
    let out = lab.sh("kubectl wait --for=condition=Ready=false pod/x --timeout=60s");
    assert_eq!(out, "pod/x condition met\n");
    assert_eq!(
        lab.secs(),
        tick + 15,
        "failures at +5, +10, +15 after the passing probe"
    );
}

#[test]
fn rollout_status_waits_for_the_probe_that_sees_the_learners_fix() {
    let mut lab = Lab::new();
    // The set's pod is unready while /tmp/unready exists; the learner removes it.
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"touch /tmp/unready; sleep 3600\"]\n        readinessProbe:\n          exec:\n            command: [\"sh\", \"-c\", \"test ! -e /tmp/unready\"]\n          periodSeconds: 5\n";
    lab.apply("sts.yaml", sts);
    lab.sh("sleep 30");
    assert!(!lab.ready("web-0"));
    let started = lab.started("web-0");
    let fixed = lab.c.now();
    lab.sh("kubectl exec web-0 -- rm /tmp/unready");
    let out = lab.sh("kubectl rollout status sts/web");
    assert!(
        out.starts_with("Waiting for 1 pods to be ready...\n"),
        "{out}"
    );
    // RollingUpdate's partition defaults to 0, so kubectl reports the partitioned form (k8s-behaviour.md 4.6).
    assert!(
        out.ends_with("\npartitioned roll out complete: 1 new pods have been updated...\n"),
        "{out}"
    );
    assert_eq!(lab.secs(), next_tick_after(started, fixed));
}

#[test]
fn kubectl_cp_and_an_attached_shell_change_what_the_probe_sees() {
    let mut lab = Lab::new();
    lab.apply("pod.yaml", &probed_pod("x", "readinessProbe", false));
    lab.sh("sleep 30");
    let started = lab.started("x");
    lab.t.ctx.files.insert("healthy".into(), "ok\n".into());
    let copied = lab.c.now();
    assert_eq!(lab.sh("kubectl cp healthy x:/tmp/healthy"), "");
    let out = lab.sh("kubectl wait --for=condition=Ready pod/x --timeout=60s");
    assert_eq!(out, "pod/x condition met\n");
    assert_eq!(lab.secs(), next_tick_after(started, copied));

    // From a shell in the container: the removal counts when it is made, not when the shell exits.
    lab.sh("kubectl exec -it x -- sh");
    let removed = lab.c.now();
    lab.sh("rm /tmp/healthy");
    lab.sh("sleep 30");
    assert!(
        !lab.ready("x"),
        "the shell's sleep ran the clock past three failures"
    );
    lab.sh("exit");
    // Every failing probe is an Unhealthy event (kubelet prober.go `probe`), counted into one Event while its
    // message stays the same (client-go events_cache.go `getEventKey`): the probes before the copy, and those
    // from the first one after the removal until now.
    let s = started.millis() / 1000;
    let last_tick = s + (lab.secs() - s) / 5 * 5;
    let failed_before = (next_tick_after(started, copied) - s) / 5;
    let failed_after = (last_tick - next_tick_after(started, removed)) / 5 + 1;
    let unhealthy: Vec<(i32, Option<u64>)> = lab
        .c
        .store()
        .list::<ordinal_engine::model::Event>(None)
        .filter(|e| e.reason == "Unhealthy")
        .map(|e| (e.count, e.last_timestamp.map(|t| t.millis() / 1000)))
        .collect();
    assert_eq!(
        unhealthy,
        [((failed_before + failed_after) as i32, Some(last_tick))]
    );
}

#[test]
fn a_file_written_into_a_shared_volume_by_one_pod_readies_the_other() {
    let mut lab = Lab::new();
    let objects = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: shared\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  hostPath:\n    path: /tmp/shared\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: shared\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  resources:\n    requests:\n      storage: 1Gi\n";
    lab.apply("pv.yaml", objects);
    let pod = |name: &str, probe: bool| {
        let probe = if probe {
            "    readinessProbe:\n      exec:\n        command: [\"cat\", \"/data/ready\"]\n      periodSeconds: 5\n"
        } else {
            ""
        };
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  nodeName: kind-worker\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n{probe}    volumeMounts:\n    - name: d\n      mountPath: /data\n  volumes:\n  - name: d\n    persistentVolumeClaim:\n      claimName: shared\n")
    };
    lab.apply("reader.yaml", &pod("reader", true));
    lab.apply("writer.yaml", &pod("writer", false));
    lab.sh("sleep 30");
    assert!(!lab.ready("reader"));
    let started = lab.started("reader");
    let written = lab.c.now();
    lab.sh("kubectl exec writer -- sh -c 'echo yes > /data/ready'");
    let out = lab.sh("kubectl wait --for=condition=Ready pod/reader --timeout=60s");
    assert_eq!(out, "pod/reader condition met\n");
    assert_eq!(lab.secs(), next_tick_after(started, written));
}

#[test]
fn a_probe_that_looks_up_a_service_sees_it_created_and_deleted() {
    let mut lab = Lab::new();
    // busybox 1.36's nslookup exits 1 if any query it sent failed, and it sends a bare name under every search
    // domain (networking/nslookup.c `add_query_with_search`), so the probe asks for the full name.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    readinessProbe:\n      exec:\n        command: [\"nslookup\", \"backend.default.svc.cluster.local\"]\n      periodSeconds: 5\n";
    lab.apply("pod.yaml", pod);
    lab.sh("sleep 30");
    assert!(!lab.ready("client"), "no such name yet");
    let started = lab.started("client");
    let created = lab.c.now();
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\nspec:\n  selector:\n    app: backend\n  ports:\n  - port: 80\n";
    lab.apply("svc.yaml", svc);
    let out = lab.sh("kubectl wait --for=condition=Ready pod/client --timeout=60s");
    assert_eq!(out, "pod/client condition met\n");
    assert_eq!(lab.secs(), next_tick_after(started, created));
    let deleted = lab.c.now();
    lab.sh("kubectl delete svc backend");
    let out = lab.sh("kubectl wait --for=condition=Ready=false pod/client --timeout=60s");
    assert_eq!(out, "pod/client condition met\n");
    assert_eq!(lab.secs(), next_tick_after(started, deleted) + 10);
}

#[test]
fn a_liveness_probe_restarts_the_container_at_its_third_failure_after_exec() {
    let mut lab = Lab::new();
    lab.apply("pod.yaml", &probed_pod("x", "livenessProbe", true));
    lab.sh("kubectl wait --for=condition=Ready pod/x --timeout=60s");
    let started = lab.started("x");
    let removed = lab.c.now();
    lab.sh("kubectl exec x -- rm /tmp/healthy");
    let out = lab.sh(
        "kubectl wait --for=jsonpath='{.status.containerStatuses[0].restartCount}'=1 pod/x --timeout=2m",
    );
    assert_eq!(out, "pod/x condition met\n");
    assert_eq!(lab.restarts("x"), 1);
    // Killed at the third failure; the restart follows when the container has stopped.
    let killing = lab
        .c
        .store()
        .list::<ordinal_engine::model::Event>(None)
        .find(|e| e.reason == "Killing")
        .and_then(|e| e.first_timestamp)
        .map(|t| t.millis() / 1000);
    assert_eq!(killing, Some(next_tick_after(started, removed) + 10));
    assert!(lab.secs() < 60, "well before the timeout: {}", lab.secs());
}

/// Containers of a pod share its network: a probe on a port a sibling serves fails when the sibling stops, at
/// the probe after it stopped.
#[test]
fn a_sibling_container_that_stops_fails_the_probe_on_its_port() {
    let mut lab = Lab::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pair\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n  - name: side\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    readinessProbe:\n      tcpSocket:\n        port: 80\n      periodSeconds: 2\n      failureThreshold: 1\n";
    lab.apply("pod.yaml", pod);
    lab.sh("kubectl wait --for=condition=Ready pod/pair --timeout=60s");
    let side_ready = |lab: &Lab| {
        lab.c
            .store()
            .get_typed::<Pod>("default", "pair")
            .and_then(|p| {
                p.status
                    .container_statuses
                    .iter()
                    .find(|s| s.name == "side")
                    .map(|s| s.ready)
            })
            .unwrap_or(false)
    };
    assert!(side_ready(&lab));
    lab.c
        .crash_container("default", "pair", Some("web"), true)
        .expect("the pod runs");
    let out = lab.sh(
        "kubectl wait --for=jsonpath='{.status.containerStatuses[1].ready}'=false pod/pair --timeout=60s",
    );
    assert_eq!(out, "pod/pair condition met\n");
    let web_stopped = lab
        .c
        .store()
        .get_typed::<Pod>("default", "pair")
        .and_then(|p| {
            p.status
                .container_statuses
                .iter()
                .find(|s| s.name == "web")
                .cloned()
        })
        .and_then(|s| s.last_state.terminated.or(s.state.terminated))
        .and_then(|t| t.finished_at)
        .expect("web stopped");
    assert!(!side_ready(&lab));
    assert!(
        lab.c.now().since(web_stopped) <= 2_000,
        "at the probe after web stopped: {:?} vs {:?}",
        lab.c.now(),
        web_stopped
    );
}

/// A probe that reads the clock can change its answer with nothing else changing: it is run at every period,
/// as the prober runs every probe, and the flip comes at the first probe past the minute.
#[test]
fn a_probe_that_reads_the_clock_is_run_at_every_period() {
    let mut lab = Lab::new();
    // Ready during the cluster's first minute (09:00), not after.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: clock\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    readinessProbe:\n      exec:\n        command: [\"sh\", \"-c\", \"test $(date +%M) -lt 1\"]\n      periodSeconds: 5\n      failureThreshold: 1\n";
    lab.apply("pod.yaml", pod);
    let out = lab.sh("kubectl wait --for=condition=Ready pod/clock --timeout=60s");
    assert_eq!(out, "pod/clock condition met\n");
    let started = lab.started("clock");
    let out = lab.sh("kubectl wait --for=condition=Ready=false pod/clock --timeout=2m");
    assert_eq!(out, "pod/clock condition met\n");
    // The first probe at or after 09:01:00.
    let first = started.millis() / 1000 + (60 - started.millis() / 1000).div_ceil(5) * 5;
    assert_eq!(lab.secs(), first);
}
