//! Which provisioners serve claims on a kind cluster, and how the scheduler places pods whose claims wait for
//! their first consumer (k8s-behaviour.md 2.2, 2.6).
//!
//! kind runs one provisioner, local-path (`rancher.io/local-path`, its default class `standard`). Every other
//! provisioner a class names is handed its claims by the PV controller and never answers: the claim keeps the
//! `volume.kubernetes.io/storage-provisioner` annotation and an `ExternalProvisioning` event at each sync
//! (kubernetes/kubernetes `pkg/controller/volume/persistentvolume/pv_controller.go`,
//! `provisionClaimOperationExternal`). In-tree names such as `kubernetes.io/gce-pd` are migrated to their CSI
//! driver (`findProvisionablePlugin`, `pkg/volume/csimigration` `IsMigrationEnabledForPlugin`, csi-translation-lib
//! `plugins/gce_pd.go`); other `kubernetes.io/` names have no plugin left.
//!
//! The scheduler's VolumeBinding plugin (`pkg/scheduler/framework/plugins/volumebinding/binder.go`,
//! `FindPodVolumes`/`checkVolumeProvisions`) keeps a WaitForFirstConsumer claim off nodes whose labels miss the
//! class's `allowedTopologies` and off nodes without a static volume when the class cannot provision; it
//! pre-binds a static volume it chose, and waits in PreBind (`BindPodVolumes`, `bindTimeoutSeconds` 600) for
//! the volume. FitError lists "<count> <reason>" strings sorted as strings (`pkg/scheduler/framework/types.go`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Lab;

use ordinal_engine::model::{Event, PersistentVolume, PersistentVolumeClaim, Pod};

const GKE_YAML: &str = include_str!("fixtures/gke-statefulset.yaml");

impl Lab {
    fn pvc(&self, name: &str) -> PersistentVolumeClaim {
        self.c
            .store()
            .get_typed::<PersistentVolumeClaim>("default", name)
            .cloned()
            .unwrap_or_else(|| panic!("claim {name}"))
    }

    fn pod(&self, name: &str) -> Pod {
        self.c
            .store()
            .get_typed::<Pod>("default", name)
            .cloned()
            .unwrap_or_else(|| panic!("pod {name}"))
    }

    fn volumes(&self) -> Vec<PersistentVolume> {
        self.c
            .store()
            .list::<PersistentVolume>(None)
            .cloned()
            .collect()
    }

    /// `reason: message (count)` of each event about `name`.
    fn events(&self, name: &str) -> Vec<String> {
        let mut evs: Vec<&Event> = self
            .c
            .store()
            .list::<Event>(None)
            .filter(|e| e.involved_object.name == name)
            .collect();
        ordinal_engine::sort::by_key(&mut evs, |e| e.first_timestamp);
        evs.iter()
            .map(|e| format!("{}: {} ({})", e.reason, e.message, e.count))
            .collect()
    }
}

fn class(name: &str, provisioner: &str, mode: &str, extra: &str) -> String {
    format!(
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: {name}\nprovisioner: {provisioner}\nvolumeBindingMode: {mode}\n{extra}"
    )
}

fn claim_and_pod(name: &str, class: &str) -> String {
    format!(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {name}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: {class}\n  resources:\n    requests:\n      storage: 1Gi\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    volumeMounts:\n    - name: d\n      mountPath: /data\n  volumes:\n  - name: d\n    persistentVolumeClaim:\n      claimName: {name}\n"
    )
}

const GKE_WAITING: &str = "Waiting for a volume to be created either by the external provisioner 'pd.csi.storage.gke.io' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.";

/// The Taiwanese GKE tutorial's StorageClass and StatefulSet, typed on kind: no node carries the zone label
/// the class allows, so the first pod cannot be placed; the claim waits for it; nothing is provisioned.
/// Recreating the set on the cluster's class `standard` runs it.
#[test]
fn the_gke_seed_waits_on_kind_until_it_uses_the_clusters_class() {
    let mut lab = Lab::new();
    let out = lab.apply("sts.yaml", GKE_YAML);
    assert_eq!(
        out,
        "storageclass.storage.k8s.io/standard-us-centrall-a-b-c created\nservice/sts-svc created\nstatefulset.apps/nginx-sts created\n"
    );
    lab.sh("sleep 1m");
    let pods = lab.sh("kubectl get pods");
    assert_eq!(
        pods,
        "NAME          READY   STATUS    RESTARTS   AGE\nnginx-sts-0   0/1     Pending   0          60s\n"
    );
    assert_eq!(
        lab.events("nginx-sts-0"),
        ["FailedScheduling: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling. (1)"]
    );
    let claim = "nginx-persistent-storage-nginx-sts-0";
    assert_eq!(
        lab.events(claim),
        ["WaitForPodScheduled: waiting for pod nginx-sts-0 to be scheduled (5)"]
    );
    let pvc = lab.pvc(claim);
    assert_eq!(pvc.status.phase, "Pending");
    assert!(!pvc
        .metadata
        .annotations
        .contains_key("volume.kubernetes.io/selected-node"));
    assert!(lab.volumes().is_empty());

    // "Use the cluster's class": the template cannot change, so the set and its claim are recreated.
    lab.sh("kubectl delete sts nginx-sts");
    lab.sh(&format!("kubectl delete pvc {claim}"));
    let fixed = GKE_YAML.split_once("---\n").unwrap().1.replace(
        "storageClassName: standard-us-centrall-a-b-c",
        "storageClassName: standard",
    );
    lab.apply("sts.yaml", &fixed);
    lab.sh("sleep 2m");
    let pods = lab.sh("kubectl get pods --no-headers");
    for i in 0..3 {
        assert!(
            pods.lines().any(|l| l.split_whitespace().take(3).eq([
                format!("nginx-sts-{i}").as_str(),
                "1/1",
                "Running"
            ])),
            "{pods}"
        );
        let pvc = lab.pvc(&format!("nginx-persistent-storage-nginx-sts-{i}"));
        assert_eq!(pvc.status.phase, "Bound");
        assert_eq!(pvc.spec.storage_class_name.as_deref(), Some("standard"));
    }
}

/// Without `allowedTopologies` the scheduler places the pod and writes the node on the claim; the controller
/// hands the claim to the GCE PD CSI driver, which kind does not run. PreBind waits 10 minutes, gives up,
/// and tries again on the same node.
#[test]
fn a_gce_pd_class_hands_claims_to_its_csi_driver_which_kind_lacks() {
    let mut lab = Lab::new();
    let gce = class(
        "pd",
        "kubernetes.io/gce-pd",
        "WaitForFirstConsumer",
        "parameters:\n  type: pd-standard\n",
    );
    lab.apply("sc.yaml", &gce);
    lab.apply("app.yaml", &claim_and_pod("app", "pd"));
    lab.sh("sleep 1m");
    let pvc = lab.pvc("app");
    assert_eq!(pvc.status.phase, "Pending");
    assert_eq!(
        pvc.metadata.annotations["volume.kubernetes.io/storage-provisioner"],
        "pd.csi.storage.gke.io"
    );
    let node = pvc.metadata.annotations["volume.kubernetes.io/selected-node"].clone();
    assert!(node.starts_with("kind-worker"), "{node}");
    let describe = lab.sh("kubectl describe pvc app");
    assert!(describe.contains(GKE_WAITING), "{describe}");
    assert!(
        !describe.contains("ProvisioningSucceeded") && !describe.contains("  Provisioning  "),
        "{describe}"
    );
    assert!(lab.volumes().is_empty());
    let pod = lab.pod("app");
    assert!(
        pod.spec.node_name.is_none(),
        "bound only once its volume is"
    );
    assert!(
        lab.events("app")
            .iter()
            .all(|e| !e.starts_with("FailedScheduling") && !e.starts_with("Scheduled")),
        "{:?}",
        lab.events("app")
    );
    lab.sh("sleep 9m");
    let failed = "FailedScheduling: running PreBind plugin \"VolumeBinding\": binding volumes: context deadline exceeded";
    assert!(
        lab.events("app").iter().any(|e| e.starts_with(failed)),
        "{:?}",
        lab.events("app")
    );
    // A PreBind failure is an error: the pod is tried again once its back-off (1s for a first attempt, ended on
    // the next whole second, scheduler backend/queue backoff_queue.go) is over, and waits ten minutes more.
    lab.sh("sleep 11m");
    // The scheduler records through events.k8s.io: its recorder forgets a lone event six minutes after it
    // (client-go tools/events/event_broadcaster.go `finishSeries`), so the second timeout, ten minutes on, is
    // an Event of its own rather than a count of the first.
    assert_eq!(
        lab.events("app")
            .iter()
            .filter(|e| **e == format!("{failed} (1)"))
            .count(),
        2,
        "{:?}",
        lab.events("app")
    );
    assert_eq!(
        lab.pvc("app").metadata.annotations["volume.kubernetes.io/selected-node"],
        node
    );
    assert_eq!(
        lab.sh("kubectl get pod app --no-headers")
            .split_whitespace()
            .nth(2),
        Some("Pending")
    );
}

/// An Immediate class of a provisioner nothing runs: the claim is handed over at once and at every resync;
/// the pod waits for it to be bound.
#[test]
fn an_immediate_class_of_an_absent_provisioner_keeps_its_claim_pending() {
    let mut lab = Lab::new();
    lab.apply(
        "sc.yaml",
        &class("ebs", "kubernetes.io/aws-ebs", "Immediate", ""),
    );
    lab.apply("app.yaml", &claim_and_pod("app", "ebs"));
    lab.sh("sleep 1m");
    let pvc = lab.pvc("app");
    assert_eq!(pvc.status.phase, "Pending");
    assert_eq!(
        pvc.metadata.annotations["volume.kubernetes.io/storage-provisioner"],
        "ebs.csi.aws.com"
    );
    let evs = lab.events("app");
    assert!(
        evs.iter().any(|e| e.starts_with("ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com'")),
        "{evs:?}"
    );
    assert!(
        evs.contains(&"FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling. (1)".to_string()),
        "{evs:?}"
    );
    assert!(lab.volumes().is_empty());
}

/// `kubernetes.io/` names with no plugin left are the controller's own error; the host-path plugin exists but
/// provisions only with `--enable-hostpath-provisioner`, which kind does not pass.
#[test]
fn in_tree_names_without_a_plugin_fail_in_the_controller() {
    let mut lab = Lab::new();
    lab.apply(
        "sc.yaml",
        &[
            class("gluster", "kubernetes.io/glusterfs", "Immediate", ""),
            class("hostpath", "kubernetes.io/host-path", "Immediate", ""),
        ]
        .join("---\n"),
    );
    lab.apply(
        "a.yaml",
        claim_and_pod("a", "gluster").split("---\n").next().unwrap(),
    );
    lab.apply(
        "b.yaml",
        claim_and_pod("b", "hostpath")
            .split("---\n")
            .next()
            .unwrap(),
    );
    lab.sh("sleep 31");
    assert_eq!(
        lab.events("a"),
        ["ProvisioningFailed: no volume plugin matched name: kubernetes.io/glusterfs (3)"]
    );
    assert!(!lab
        .pvc("a")
        .metadata
        .annotations
        .contains_key("volume.kubernetes.io/storage-provisioner"));
    assert_eq!(
        lab.events("b"),
        ["ProvisioningFailed: Failed to create provisioner: provisioning in volume plugin \"kubernetes.io/host-path\" is disabled (3)"]
    );
    assert_eq!(
        lab.pvc("b").metadata.annotations["volume.kubernetes.io/storage-provisioner"],
        "kubernetes.io/host-path"
    );
}

/// `allowedTopologies` on a label the nodes do have: every pod of the class lands where the class allows.
#[test]
fn allowed_topologies_keep_delayed_claims_on_the_nodes_they_name() {
    let mut lab = Lab::new();
    lab.apply(
        "sc.yaml",
        &class(
            "second",
            "rancher.io/local-path",
            "WaitForFirstConsumer",
            "allowedTopologies:\n- matchLabelExpressions:\n  - key: kubernetes.io/hostname\n    values: [kind-worker2]\n",
        ),
    );
    for name in ["a", "b", "c"] {
        lab.apply(&format!("{name}.yaml"), &claim_and_pod(name, "second"));
    }
    lab.sh("sleep 1m");
    for name in ["a", "b", "c"] {
        assert_eq!(
            lab.pod(name).spec.node_name.as_deref(),
            Some("kind-worker2"),
            "{name}"
        );
        assert_eq!(lab.pvc(name).status.phase, "Bound");
    }
}

/// Local volumes of a class that cannot provision (`kubernetes.io/no-provisioner`): the scheduler only
/// places a pod where a volume of the class fits it, and pre-binds that volume; with none left, no node
/// will do.
#[test]
fn static_local_volumes_decide_where_their_pods_go() {
    let mut lab = Lab::new();
    let local = class(
        "local-storage",
        "kubernetes.io/no-provisioner",
        "WaitForFirstConsumer",
        "",
    );
    let pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: local-pv\nspec:\n  capacity:\n    storage: 5Gi\n  accessModes: [ReadWriteOnce]\n  storageClassName: local-storage\n  local:\n    path: /mnt/disks/ssd1\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: kubernetes.io/hostname\n          operator: In\n          values: [kind-worker2]\n";
    lab.apply("local.yaml", &format!("{local}---\n{pv}"));
    lab.apply("a.yaml", &claim_and_pod("a", "local-storage"));
    lab.sh("sleep 30");
    assert_eq!(lab.pod("a").spec.node_name.as_deref(), Some("kind-worker2"));
    let pvc = lab.pvc("a");
    assert_eq!(pvc.status.phase, "Bound");
    assert_eq!(pvc.spec.volume_name.as_deref(), Some("local-pv"));
    assert!(
        !pvc.metadata
            .annotations
            .contains_key("volume.kubernetes.io/selected-node"),
        "a static volume is pre-bound, not provisioned"
    );
    let bound = lab.sh("kubectl get pv local-pv -o jsonpath='{.metadata.annotations}'");
    assert!(
        bound.contains("\"pv.kubernetes.io/bound-by-controller\":\"yes\""),
        "{bound}"
    );
    lab.apply("b.yaml", &claim_and_pod("b", "local-storage"));
    lab.sh("sleep 30");
    assert!(lab.pod("b").spec.node_name.is_none());
    assert_eq!(
        lab.events("b"),
        [
            "FailedScheduling: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling. (1)",
            "WaitForPodScheduled: waiting for pod b to be scheduled (3)"
        ]
    );
    assert!(
        !lab.events("b")
            .iter()
            .any(|e| e.contains("ProvisioningFailed")),
        "{:?}",
        lab.events("b")
    );
}

/// A pod whose claim has no volume it could use yet waits unscheduled; the scheduler retries it when a
/// volume appears (VolumeBinding registers for PersistentVolume events) and places it where that volume is.
#[test]
fn a_local_volume_created_later_places_the_waiting_pod_on_its_node() {
    let mut lab = Lab::new();
    lab.apply(
        "sc.yaml",
        &class(
            "local-storage",
            "kubernetes.io/no-provisioner",
            "WaitForFirstConsumer",
            "",
        ),
    );
    lab.apply("a.yaml", &claim_and_pod("a", "local-storage"));
    lab.sh("sleep 20");
    assert!(lab.pod("a").spec.node_name.is_none());
    assert!(!lab
        .pvc("a")
        .metadata
        .annotations
        .contains_key("volume.kubernetes.io/selected-node"));
    let pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: late\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  storageClassName: local-storage\n  local:\n    path: /mnt/disks/late\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: kubernetes.io/hostname\n          operator: In\n          values: [kind-worker]\n";
    lab.apply("pv.yaml", pv);
    lab.sh("sleep 20");
    assert_eq!(lab.pod("a").spec.node_name.as_deref(), Some("kind-worker"));
    assert_eq!(lab.pvc("a").spec.volume_name.as_deref(), Some("late"));
    let out = lab.sh("kubectl get pod a --no-headers");
    assert!(
        out.split_whitespace().take(3).eq(["a", "1/1", "Running"]),
        "{out}"
    );
}

/// The controller's resync looks at every unbound claim on each tick, however many: past the 2,000 it takes
/// per unit of work it goes on at the same instant, so each of 4,500 claims that cannot be provisioned says so
/// again on every tick, as the one claim above does.
#[test]
fn every_claim_of_thousands_is_resynced_on_each_tick() {
    let mut c = ordinal_engine::Cluster::new(ordinal_engine::ClusterConfig::default());
    let claims: Vec<String> = (0..4_500)
        .map(|i| {
            claim_and_pod(&format!("c{i}"), "gluster")
                .split("---\n")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let manifest = format!(
        "{}\n---\n{}",
        class("gluster", "kubernetes.io/glusterfs", "Immediate", ""),
        claims.join("---\n")
    );
    c.apply_manifest(&manifest, "claims.yaml", "default")
        .expect("applies");
    c.advance(31_000);
    let counts: Vec<i32> = c
        .store()
        .list::<Event>(Some("default"))
        .filter(|e| e.reason == "ProvisioningFailed")
        .map(|e| e.count)
        .collect();
    assert_eq!(counts.len(), 4_500, "one Event per claim");
    assert!(
        counts.iter().all(|n| *n == 3),
        "first sync and two resyncs each: {:?}",
        counts
            .iter()
            .filter(|n| **n != 3)
            .take(5)
            .collect::<Vec<_>>()
    );
}
