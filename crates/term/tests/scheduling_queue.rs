//! The scheduler retries a pod as its scheduling queue says (kubernetes `pkg/scheduler/backend/queue/
//! scheduling_queue.go`, `backoff_queue.go`): a pod its plugins rejected waits among the unschedulable pods until
//! a cluster event those plugins register for moves it (a node changed, a claim changed, an assigned pod
//! deleted), or until it has waited five minutes (`flushUnschedulablePodsLeftover`, every 30s); a pod whose
//! attempt failed with an error waits out a back-off of 1s doubling per attempt up to 10s, ending on whole
//! seconds. Every failed attempt records `FailedScheduling`, through the events.k8s.io recorder (client-go
//! `tools/events/event_broadcaster.go`): the second one makes a series written at once, later ones are written
//! when the series is refreshed, every 30 minutes.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
use common::Lab;

use ordinal_engine::clock::Time;
use ordinal_engine::model::{Event, Pod};
use ordinal_engine::ClusterConfig;

impl Lab {
    fn pod(&self, name: &str) -> Pod {
        self.c
            .store()
            .get_typed::<Pod>("default", name)
            .cloned()
            .expect("the pod exists")
    }

    fn failed_scheduling(&self, pod: &str) -> Vec<Event> {
        let uid = self.pod(pod).metadata.uid;
        self.c
            .events_for(&uid)
            .into_iter()
            .filter(|e| e.reason == "FailedScheduling")
            .cloned()
            .collect()
    }
}

fn pod(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n"
    )
}

/// The first 30s tick more than five minutes after `t`.
fn flush_after(t: Time) -> Time {
    Time(((t.millis() + 300_000) / 30_000 + 1) * 30_000)
}

#[test]
fn an_unschedulable_pod_is_tried_again_every_five_minutes_and_its_event_series_counts_up() {
    let mut lab = Lab::with(ClusterConfig::default());
    lab.sh("kubectl cordon kind-worker");
    lab.sh("kubectl cordon kind-worker2");
    lab.apply("pod.yaml", &pod("app"));
    lab.sh("sleep 2");
    let events = lab.failed_scheduling("app");
    assert_eq!(events.len(), 1);
    let first = events[0].first_timestamp.unwrap();
    // Nothing changes for five minutes: no new attempt.
    lab.c.advance(flush_after(first).since(lab.c.now()) - 1);
    assert_eq!(lab.failed_scheduling("app")[0].count, 1);
    // The flush tries it again: the second event makes the series, written at once.
    lab.c.advance(1);
    let e = lab.failed_scheduling("app")[0].clone();
    assert_eq!((e.count, e.last_timestamp), (2, Some(flush_after(first))));
    // Later attempts (every 5m30s) are counted by the recorder and written at the 30-minute refresh.
    lab.c.advance(Time(1_800_000).since(lab.c.now()) - 1);
    assert_eq!(lab.failed_scheduling("app")[0].count, 2);
    lab.c.advance(1);
    let mut flushes = vec![flush_after(first)];
    while flushes.last().unwrap().plus(330_000) <= Time(1_800_000) {
        let next = flushes.last().unwrap().plus(330_000);
        flushes.push(next);
    }
    let e = lab.failed_scheduling("app")[0].clone();
    assert_eq!(
        (e.count, e.last_timestamp),
        (1 + flushes.len() as i32, flushes.last().copied())
    );
    let describe = lab.sh("kubectl describe pod app");
    assert!(
        describe.contains(&format!("(x{} over 30m)", 1 + flushes.len())),
        "{describe}"
    );
    // A node made schedulable is an event the pod waits for: it is placed at once.
    lab.sh("kubectl uncordon kind-worker");
    assert!(lab.pod("app").spec.node_name.is_some());
}

#[test]
fn an_assigned_pod_deleted_frees_room_and_the_pod_waiting_for_it_is_placed_at_once() {
    // Each worker runs kindnet and kube-proxy: with room for three pods, one more fits on each.
    let mut lab = Lab::with(ClusterConfig {
        max_pods_per_node: 3,
        ..ClusterConfig::default()
    });
    lab.apply("a.yaml", &pod("a"));
    lab.apply("b.yaml", &pod("b"));
    lab.sh("sleep 2");
    lab.apply("c.yaml", &pod("c"));
    lab.sh("sleep 2");
    let events = lab.failed_scheduling("c");
    assert_eq!(events.len(), 1);
    assert!(events[0].message.contains("Too many pods"), "{events:?}");
    lab.sh("kubectl delete pod a --wait=false");
    lab.sh("sleep 40");
    // NodeResourcesFit registers for assigned pods' deletion: c is tried the moment a is gone.
    let c = lab.pod("c");
    assert!(c.spec.node_name.is_some(), "{:?}", c.status.conditions);
}

#[test]
fn a_pre_bind_failure_is_retried_after_its_back_off_on_a_whole_second() {
    let mut lab = Lab::with(ClusterConfig::default());
    // A class whose CSI driver kind does not run: PreBind waits ten minutes for the volume and fails.
    let objects = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: pd\nprovisioner: kubernetes.io/gce-pd\nvolumeBindingMode: WaitForFirstConsumer\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: pd\n  resources:\n    requests:\n      storage: 1Gi\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    volumeMounts:\n    - name: data\n      mountPath: /data\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: data\n";
    lab.apply("app.yaml", objects);
    lab.sh("sleep 21m");
    let events = lab.failed_scheduling("app");
    assert_eq!(events.len(), 2, "{events:?}");
    let first = events[0].first_timestamp.unwrap();
    let second = events[1].first_timestamp.unwrap();
    // The first attempt's back-off (1s) ends on the next whole second, when the back-off queue is flushed;
    // the pod is tried then and waits ten minutes more in PreBind.
    let retried = Time((first.millis() + 1_000) / 1_000 * 1_000 + 1_000);
    assert_eq!(second, retried.plus(600_000));
}

#[test]
fn more_pods_than_the_nodes_hold_settle_with_the_rest_pending_and_their_claims_waiting() {
    // Two kind workers take 110 pods each, their system pods included: of 250 only 216 fit. The cluster must
    // still come to rest (run_until_idle returns), with the rest Pending for the scheduler's real reason and
    // their claims waiting for them — and those waits keep being reported as the clock runs.
    let mut lab = Lab::new();
    let yaml = common::WEB_YAML
        .replace("replicas: 2", "replicas: 250")
        .replace(
            "  serviceName: \"nginx\"",
            "  serviceName: \"nginx\"\n  podManagementPolicy: Parallel",
        );
    lab.apply("web.yaml", &yaml);
    lab.c.run_until_idle();
    let pods: Vec<Pod> = lab
        .c
        .store()
        .list::<Pod>(Some("default"))
        .cloned()
        .collect();
    let pending: Vec<&Pod> = pods
        .iter()
        .filter(|p| p.status.phase == "Pending")
        .collect();
    assert_eq!(pods.len() - pending.len(), 216);
    assert_eq!(pending.len(), 34);
    let events = lab.failed_scheduling(&pending[0].metadata.name);
    assert!(
        events[0].message.starts_with(
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Too many pods."
        ),
        "{}",
        events[0].message
    );
    let claim = format!("www-{}", pending[0].metadata.name);
    let describe = lab.sh(&format!("kubectl describe pvc {claim}"));
    assert!(describe.contains("Status:        Pending"), "{describe}");
    assert!(
        describe.contains(&format!(
            "waiting for pod {} to be scheduled",
            pending[0].metadata.name
        )),
        "{describe}"
    );
    // The persistent volume controller's resync says it again every 15 seconds.
    let count = |lab: &Lab| {
        let uid = lab
            .c
            .store()
            .get_typed::<ordinal_engine::model::PersistentVolumeClaim>("default", &claim)
            .expect("claim")
            .metadata
            .uid
            .clone();
        lab.c
            .events_for(&uid)
            .iter()
            .find(|e| e.reason == "WaitForPodScheduled")
            .map_or(0, |e| e.count)
    };
    let before = count(&lab);
    lab.sh("sleep 60");
    assert_eq!(count(&lab), before + 4);
}
