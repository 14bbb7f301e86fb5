//! Events that recur count up one Event, as client-go's event recorders make them: a probe that keeps failing
//! is an `Unhealthy` event at every probe (kubelet `pkg/kubelet/prober/prober.go` `probe`), counted into one
//! Event while source, object, type, reason and message stay the same (client-go
//! `tools/record/events_cache.go` `getEventKey`, `eventObserve`), so `kubectl describe` shows
//! `Warning  Unhealthy  3s (x12 over 58s)  kubelet  Readiness probe failed: …`. A new message is a new Event;
//! the tenth distinct message of one reason within ten minutes becomes `(combined from similar events): …`
//! (`EventAggregate`); and one source may write 25 events of a type about an object, then one every five
//! minutes (`EventSourceObjectSpamFilter`), while the count goes on.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
use common::Lab;

use ordinal_engine::clock::Time;
use ordinal_engine::model::{Event, Pod};
use ordinal_kubectl::printers::human_duration;
use ordinal_term::terminal::Terminal;

impl Lab {
    fn pod(&self, name: &str) -> Pod {
        self.c
            .store()
            .get_typed::<Pod>("default", name)
            .cloned()
            .expect("the pod exists")
    }

    /// When the pod's first container started its current run (its probes tick from there).
    fn started(&self, name: &str) -> Time {
        self.pod(name)
            .status
            .container_statuses
            .first()
            .and_then(|s| s.state.running.clone())
            .and_then(|r| r.started_at)
            .expect("the container runs")
    }

    /// `(reason, message, count)` of the pod's events whose reason is `reason`, oldest first.
    fn events(&self, pod: &str, reason: &str) -> Vec<(String, i32)> {
        let uid = self.pod(pod).metadata.uid;
        self.c
            .events_for(&uid)
            .into_iter()
            .filter(|e| e.reason == reason)
            .map(|e| (e.message.clone(), e.count))
            .collect()
    }

    fn event(&self, pod: &str, reason: &str) -> Event {
        let uid = self.pod(pod).metadata.uid;
        let mut found: Vec<Event> = self
            .c
            .events_for(&uid)
            .into_iter()
            .filter(|e| e.reason == reason)
            .cloned()
            .collect();
        assert_eq!(found.len(), 1, "one {reason} event: {found:?}");
        found.remove(0)
    }
}

/// A pod whose container runs `command` with a readiness probe `probe` every `period` seconds.
fn probed(name: &str, command: &str, probe: &str, period: u32) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"{command}\"]\n    readinessProbe:\n      exec:\n        command: [\"sh\", \"-c\", \"{probe}\"]\n      periodSeconds: {period}\n"
    )
}

/// The probe ticks of a container started at `started`, every `period` ms, from `from` (a tick) up to `now`.
fn ticks(started: Time, period: u64, from: Time, now: Time) -> (i32, Time) {
    let last = started.plus(now.since(started) / period * period);
    let n = last.since(from) / period + 1;
    (n as i32, last)
}

#[test]
fn a_readiness_probe_that_keeps_failing_counts_one_unhealthy_event_up_every_period() {
    let mut lab = Lab::new();
    lab.apply(
        "pod.yaml",
        &probed("app", "sleep 3600", "cat /tmp/ready", 5),
    );
    lab.sh("sleep 58");
    let started = lab.started("app");
    let now = lab.c.now();
    let (count, last) = ticks(started, 5_000, started, now);
    assert!(count >= 9, "{count}");
    let message = "Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory";
    let line = format!(
        "  Warning  Unhealthy  {} (x{count} over {})  kubelet  {message}",
        human_duration(now.since(last)),
        human_duration(now.since(started))
    );
    let describe = lab.sh("kubectl describe pod app");
    let shown: Vec<&str> = describe
        .lines()
        .filter(|l| l.contains("Unhealthy"))
        .collect();
    assert_eq!(
        shown.iter().map(|l| squeeze(l)).collect::<Vec<_>>(),
        [squeeze(&line)],
        "{describe}"
    );
    // The Event is about the container (its reference carries `spec.containers{app}`).
    let e = lab.event("app", "Unhealthy");
    assert_eq!(
        e.involved_object.field_path.as_deref(),
        Some("spec.containers{app}")
    );
    assert_eq!(e.first_timestamp, Some(started));
    assert_eq!(e.last_timestamp, Some(last));
    let wide = lab.sh("kubectl get events --field-selector reason=Unhealthy -o wide --no-headers");
    assert!(
        wide.split_whitespace().any(|c| c == "spec.containers{app}"),
        "SUBOBJECT: {wide}"
    );

    // Once the probe passes no more failures are counted.
    lab.sh("kubectl exec app -- touch /tmp/ready");
    let fixed = lab.c.now();
    lab.sh("sleep 2m");
    let (count, last) = ticks(started, 5_000, started, fixed);
    let e = lab.event("app", "Unhealthy");
    assert_eq!((e.count, e.last_timestamp), (count, Some(last)));

    // The same failure again counts the same Event on, from the first probe after the file went.
    lab.sh("kubectl exec app -- rm /tmp/ready");
    let removed = lab.c.now();
    lab.sh("sleep 30");
    let first_again = started.plus((removed.since(started) / 5_000 + 1) * 5_000);
    let (again, last) = ticks(started, 5_000, first_again, lab.c.now());
    let e = lab.event("app", "Unhealthy");
    assert_eq!((e.count, e.last_timestamp), (count + again, Some(last)));
    // Failing on needs nothing on the clock: the next thing due is the end of the container's `sleep 3600`.
    assert_eq!(lab.c.next_timer(), Some(started.plus(3_600_000)));
}

/// Cells of a describe row, without the padding (tabwriter widths differ with the other rows).
fn squeeze(line: &str) -> String {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn a_probe_failing_with_another_message_is_another_event_and_the_tenth_is_combined() {
    let mut lab = Lab::new();
    // The probe prints what /tmp/why holds and fails.
    lab.apply(
        "pod.yaml",
        &probed(
            "app",
            "echo m0 > /tmp/why; sleep 3600",
            "cat /tmp/why; exit 1",
            5,
        ),
    );
    lab.sh("sleep 20");
    // Half-way between two probes, then a message a period: one probe sees each.
    let since = lab.c.now().since(lab.started("app")) % 5_000;
    lab.c.advance(5_000 - since + 2_500);
    for n in 1..=10 {
        lab.sh(&format!("kubectl exec app -- sh -c 'echo m{n} > /tmp/why'"));
        lab.c.advance(5_000);
    }
    let unhealthy = lab.events("app", "Unhealthy");
    let messages: Vec<&str> = unhealthy.iter().map(|(m, _)| m.as_str()).collect();
    // m0 … m8 are Events of their own; from the tenth distinct message on (m9, m10) the aggregator writes one
    // Event keyed without the message, which takes the latest message and counts them both.
    let expected: Vec<String> = (0..=8)
        .map(|n| format!("Readiness probe failed: m{n}"))
        .chain(["(combined from similar events): Readiness probe failed: m10".to_string()])
        .collect();
    assert_eq!(messages, expected);
    let counts: Vec<i32> = unhealthy[1..].iter().map(|(_, n)| *n).collect();
    assert_eq!(counts, [1, 1, 1, 1, 1, 1, 1, 1, 2]);
}

#[test]
fn past_25_events_a_source_writes_one_every_five_minutes_and_the_count_jumps() {
    let mut lab = Lab::new();
    lab.apply("pod.yaml", &probed("app", "sleep 3600", "exit 1", 1));
    lab.sh("sleep 2m");
    let started = lab.started("app");
    // 25 probes (one a second) went through; the rest are counted but not written.
    let e = lab.event("app", "Unhealthy");
    assert_eq!(e.count, 25);
    assert_eq!(e.last_timestamp, Some(started.plus(24_000)));
    let get = lab.sh(
        "kubectl get events --field-selector reason=Unhealthy -o custom-columns=COUNT:.count --no-headers",
    );
    assert_eq!(get, "25\n");
    // The bucket holds one event's credit again 300s after the first: the write then carries the whole count.
    lab.sh("sleep 4m");
    let e = lab.event("app", "Unhealthy");
    assert_eq!(e.count, 301);
    assert_eq!(e.last_timestamp, Some(started.plus(300_000)));
}

#[test]
fn a_watch_on_events_shows_the_counted_event_again_each_time_it_is_written() {
    let mut lab = Lab::new();
    lab.apply("pod.yaml", &probed("app", "sleep 3600", "exit 1", 10));
    lab.sh("sleep 30");
    let mut t = Terminal::interactive();
    let first = t
        .run(
            &mut lab.c,
            "kubectl get events --field-selector reason=Unhealthy -w",
            &[],
        )
        .text;
    assert_eq!(first.lines().count(), 2, "{first}");
    lab.c.advance(30_000);
    let rows = t.poll(&mut lab.c);
    // Three more probes failed, and each update of the Event is a row of the watch.
    let rows: Vec<&str> = rows.lines().collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| r.contains("Readiness probe failed")));
    t.interrupt(&mut lab.c);
}

#[test]
fn a_failing_liveness_probe_counts_its_failures_and_kills_once_per_failure_threshold() {
    let mut lab = Lab::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n      periodSeconds: 5\n";
    lab.apply("pod.yaml", pod);
    lab.sh("kubectl wait --for=jsonpath='{.status.containerStatuses[0].restartCount}'=2 pod/web --timeout=5m");
    lab.sh("sleep 7");
    // Three failed probes (failureThreshold) before each kill, and those of the run going on now, in one
    // counted Event.
    let (now_probes, _) = ticks(lab.started("web"), 5_000, lab.started("web"), lab.c.now());
    assert_eq!(
        lab.events("web", "Unhealthy"),
        [(
            "Liveness probe failed: HTTP probe failed with statuscode: 404".to_string(),
            6 + now_probes
        )]
    );
    assert_eq!(
        lab.events("web", "Killing"),
        [(
            "Container nginx failed liveness probe, will be restarted".to_string(),
            2
        )]
    );
}

#[test]
fn a_container_in_a_long_back_off_counts_its_back_off_event_at_every_resync() {
    let mut lab = Lab::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"exit 1\"]\n";
    lab.apply("pod.yaml", pod);
    let out = lab.sh(
        "kubectl wait --for=jsonpath='{.status.containerStatuses[0].restartCount}'=8 pod/crash --timeout=30m",
    );
    assert_eq!(out, "pod/crash condition met\n");
    // Each exit while backing off records BackOff, and so does every resync (a minute) of a back-off longer
    // than that (pod_workers.go `completeWork` requeues at the back-off's end or the resync interval,
    // kuberuntime_manager.go `doBackOff` records the event at each sync). Every exit after the first (which
    // is restarted at once) backs off: eight so far, the last one just now. The seven back-offs behind the
    // eighth restart ran 10s, 20s, 40s, 80s, 160s, 300s and 300s: 0+0+0+1+2+4+4 resyncs.
    let backoff = lab.events("crash", "BackOff");
    assert_eq!(backoff.len(), 1, "{backoff:?}");
    assert_eq!(backoff[0].1, 8 + 11);
}

#[test]
fn a_failing_startup_probe_counts_its_failures_and_the_kill_waits_for_the_grace_period() {
    let mut lab = Lab::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: slow\nspec:\n  terminationGracePeriodSeconds: 5\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    startupProbe:\n      exec:\n        command: [\"cat\", \"/tmp/started\"]\n      periodSeconds: 2\n      failureThreshold: 3\n";
    lab.apply("pod.yaml", pod);
    lab.sh("kubectl wait --for=jsonpath='{.status.containerStatuses[0].restartCount}'=1 pod/slow --timeout=2m");
    // Failures at 0s, 2s and 4s of the run: the third kills it. `sleep` ignores SIGTERM as PID 1, so the kill
    // takes the pod's whole grace period (kuberuntime_container.go `killContainer`).
    let status = lab.pod("slow").status.container_statuses[0].clone();
    let last = status.last_state.terminated.expect("it ran before");
    assert_eq!(last.exit_code, 137);
    assert_eq!(
        last.finished_at.unwrap().since(last.started_at.unwrap()),
        9_000
    );
    let (now_probes, _) = ticks(lab.started("slow"), 2_000, lab.started("slow"), lab.c.now());
    assert_eq!(
        lab.events("slow", "Unhealthy"),
        [(
            "Startup probe failed: cat: can't open '/tmp/started': No such file or directory"
                .to_string(),
            3 + now_probes
        )]
    );
    assert_eq!(
        lab.events("slow", "Killing"),
        [(
            "Container app failed startup probe, will be restarted".to_string(),
            1
        )]
    );
}
