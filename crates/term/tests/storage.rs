//! Storage as a learner meets it (k8s-behaviour.md 1.5, 2.1–2.6): StorageClasses and the API server's refusals,
//! claim resizing, quantities, the static binding rules, volume and claim phases, the default class, the
//! seminar-room failure of a template naming a missing class, and Immediate versus WaitForFirstConsumer. Each
//! scenario drives the cluster through the terminal, as a learner would, and reads objects and `kubectl get`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Lab;

use ordinal_engine::model::{Event, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass};
use ordinal_engine::ClusterConfig;

const WEB_YAML: &str = include_str!("fixtures/web.yaml");

impl Lab {
    /// A kind cluster on which these CSI drivers were installed besides local-path.
    fn with_drivers(drivers: &[&str]) -> Lab {
        Lab::with(ClusterConfig {
            csi_drivers: drivers.iter().map(|d| d.to_string()).collect(),
            ..ClusterConfig::default()
        })
    }

    fn pvc(&self, name: &str) -> Option<PersistentVolumeClaim> {
        self.c
            .store()
            .get_typed::<PersistentVolumeClaim>("default", name)
            .cloned()
    }

    fn pv(&self, name: &str) -> Option<PersistentVolume> {
        self.c
            .store()
            .get_typed::<PersistentVolume>("", name)
            .cloned()
    }

    fn phase(&self, claim: &str) -> String {
        self.pvc(claim)
            .unwrap_or_else(|| panic!("claim {claim} exists"))
            .status
            .phase
    }

    fn pv_phase(&self, name: &str) -> String {
        self.pv(name)
            .unwrap_or_else(|| panic!("volume {name} exists"))
            .status
            .phase
    }

    fn volume_of(&self, claim: &str) -> String {
        self.pvc(claim)
            .and_then(|p| p.spec.volume_name.clone())
            .unwrap_or_default()
    }

    /// The cells of the row for `name` in `kubectl get KIND`, split on whitespace (blank cells vanish).
    fn row(&mut self, kind: &str, name: &str) -> Vec<String> {
        let out = self.sh(&format!("kubectl get {kind} {name}"));
        out.lines()
            .nth(1)
            .unwrap_or_else(|| panic!("no row for {kind} {name}: {out}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    /// `reason: message (count)` of every event about the object named `name`, oldest first.
    fn events(&self, name: &str) -> Vec<String> {
        let mut evs: Vec<&Event> = self
            .c
            .store()
            .list::<Event>(None)
            .filter(|e| e.involved_object.name == name)
            .collect();
        ordinal_engine::sort::by_key(&mut evs, |e| {
            (
                e.first_timestamp,
                e.metadata.resource_version.parse::<u64>().unwrap_or(0),
            )
        });
        evs.iter()
            .map(|e| format!("{}: {} ({})", e.reason, e.message, e.count))
            .collect()
    }

    fn event_count(&self, name: &str, reason: &str) -> i64 {
        self.c
            .store()
            .list::<Event>(None)
            .filter(|e| e.involved_object.name == name && e.reason == reason)
            .map(|e| e.count as i64)
            .sum()
    }

    fn pv_names(&self) -> Vec<String> {
        self.c
            .store()
            .list::<PersistentVolume>(None)
            .map(|v| v.metadata.name.clone())
            .collect()
    }

    fn rv(&self) -> String {
        self.c.store().resource_version().to_string()
    }
}

fn class(name: &str, provisioner: &str, mode: &str, extra: &str) -> String {
    format!(
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: {name}\nprovisioner: {provisioner}\nvolumeBindingMode: {mode}\n{extra}"
    )
}

/// A claim; `extra` lines go under `spec:` (two-space indented).
fn claim(name: &str, size: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {name}\nspec:\n  accessModes: [\"ReadWriteOnce\"]\n  resources:\n    requests:\n      storage: {size}\n{extra}"
    )
}

/// A static hostPath volume; `extra` lines go under `spec:`.
fn volume(name: &str, size: &str, modes: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: {name}\nspec:\n  capacity:\n    storage: {size}\n  accessModes: [{modes}]\n  hostPath:\n    path: /mnt/{name}\n{extra}"
    )
}

fn pod_using(name: &str, claim: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: nginx\n    volumeMounts:\n    - name: data\n      mountPath: /data\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: {claim}\n"
    )
}

// ---- 2.1 StorageClass ----

#[test]
fn a_class_with_an_unknown_binding_mode_is_refused_and_nothing_is_created() {
    let mut lab = Lab::new();
    let rv = lab.rv();
    let out = lab.apply(
        "weird.yaml",
        &class("weird", "example.com/weird", "Sometimes", ""),
    );
    assert_eq!(
        out,
        "The StorageClass \"weird\" is invalid: volumeBindingMode: Unsupported value: \"Sometimes\": supported values: \"Immediate\", \"WaitForFirstConsumer\"\n"
    );
    assert_eq!(lab.rv(), rv, "bad input changes nothing");
    assert_eq!(
        lab.sh("kubectl get sc weird"),
        "Error from server (NotFound): storageclasses.storage.k8s.io \"weird\" not found\n"
    );
    let out = lab.apply(
        "nameless.yaml",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: nameless\nreclaimPolicy: Recycle\n",
    );
    assert_eq!(
        out,
        "The StorageClass \"nameless\" is invalid: \n* provisioner: Required value\n* reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"\n"
    );
    assert_eq!(lab.rv(), rv);
}

#[test]
fn a_class_is_immutable_except_volume_expansion() {
    let mut lab = Lab::new();
    let fast = class(
        "fast",
        "example.com/fast",
        "Immediate",
        "parameters:\n  type: ssd\n",
    );
    assert_eq!(
        lab.apply("fast.yaml", &fast),
        "storageclass.storage.k8s.io/fast created\n"
    );
    let rv = lab.rv();
    let changed = class(
        "fast",
        "example.com/faster",
        "WaitForFirstConsumer",
        "reclaimPolicy: Retain\nparameters:\n  type: nvme\n",
    );
    assert_eq!(
        lab.apply("fast.yaml", &changed),
        "The StorageClass \"fast\" is invalid: \n* parameters: Forbidden: updates to parameters are forbidden.\n* provisioner: Forbidden: updates to provisioner are forbidden.\n* reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.\n* volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable\n"
    );
    assert_eq!(lab.rv(), rv, "a refused update changes nothing");
    let expandable = format!("{fast}allowVolumeExpansion: true\n");
    assert_eq!(
        lab.apply("fast.yaml", &expandable),
        "storageclass.storage.k8s.io/fast configured\n"
    );
    let sc = lab
        .c
        .store()
        .get_typed::<StorageClass>("", "fast")
        .cloned()
        .unwrap();
    assert_eq!(sc.allow_volume_expansion, Some(true));
    assert_eq!(sc.reclaim_policy.as_deref(), Some("Delete"), "defaulted");
    let row = lab.row("sc", "fast");
    assert_eq!(
        row[..5],
        ["fast", "example.com/fast", "Delete", "Immediate", "true"]
    );
}

// ---- Resizing (2.1, RESIZE admission plugin) ----

/// A claim of `class` bound to a volume, used by a running pod.
fn bound_claim(lab: &mut Lab, class_name: &str) {
    let text = claim(
        "claim",
        "1Gi",
        &format!("  storageClassName: {class_name}\n"),
    );
    lab.apply("claim.yaml", &text);
    lab.apply("pod.yaml", &pod_using("user", "claim"));
    lab.sh("sleep 30");
    assert_eq!(lab.phase("claim"), "Bound");
}

#[test]
fn growing_a_claim_of_a_class_without_expansion_is_forbidden() {
    let mut lab = Lab::new();
    bound_claim(&mut lab, "standard");
    let rv = lab.rv();
    let out = lab.sh(
        r#"kubectl patch pvc claim -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'"#,
    );
    assert_eq!(
        out,
        "Error from server (Forbidden): persistentvolumeclaims \"claim\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize\n"
    );
    assert_eq!(lab.rv(), rv);
    // Through apply, kubectl names the patch it sent and the object.
    let bigger = claim("claim", "2Gi", "  storageClassName: standard\n");
    let out = lab.apply("claim.yaml", &bigger);
    assert!(
        out.starts_with("Error from server (Forbidden): error when applying patch:\n{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":"),
        "{out}"
    );
    assert!(
        out.ends_with("\"spec\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}\nto:\nResource: \"/v1, Resource=persistentvolumeclaims\", GroupVersionKind: \"/v1, Kind=PersistentVolumeClaim\"\nName: \"claim\", Namespace: \"default\"\nfor: \"claim.yaml\": error when patching \"claim.yaml\": persistentvolumeclaims \"claim\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize\n"),
        "{out}"
    );
    assert_eq!(lab.rv(), rv);
    // Shrinking is a validation error, before any admission plugin.
    let out = lab.sh(
        r#"kubectl patch pvc claim -p '{"spec":{"resources":{"requests":{"storage":"500Mi"}}}}'"#,
    );
    assert_eq!(
        out,
        "The PersistentVolumeClaim \"claim\" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity\n"
    );
}

#[test]
fn an_unbound_claim_or_another_field_cannot_change_and_the_error_carries_the_diff() {
    let mut lab = Lab::new();
    lab.apply("claim.yaml", &claim("claim", "1Gi", ""));
    let rv = lab.rv();
    let out = lab.sh(
        r#"kubectl patch pvc claim -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'"#,
    );
    assert_eq!(
        out,
        "The PersistentVolumeClaim \"claim\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims
  core.PersistentVolumeClaimSpec{
  \tAccessModes: {\"ReadWriteOnce\"},
  \tSelector:    nil,
  \tResources: core.VolumeResourceRequirements{
  \t\tLimits: nil,
- \t\tRequests: core.ResourceList{
- \t\t\ts\"storage\": {i: resource.int64Amount{value: 1073741824}, s: \"1Gi\", Format: \"BinarySI\"},
- \t\t},
+ \t\tRequests: core.ResourceList{
+ \t\t\ts\"storage\": {i: resource.int64Amount{value: 2147483648}, s: \"2Gi\", Format: \"BinarySI\"},
+ \t\t},
  \t},
  \tVolumeName:       \"\",
  \tStorageClassName: &\"standard\",
  \t... // 4 identical fields
  }

"
    );
    assert_eq!(lab.rv(), rv);
    let out = lab.sh(r#"kubectl patch pvc claim -p '{"spec":{"storageClassName":"fast"}}'"#);
    assert!(
        out.contains("- \tStorageClassName: &\"standard\",\n+ \tStorageClassName: &\"fast\",\n"),
        "{out}"
    );
    assert_eq!(lab.rv(), rv);
}

#[test]
fn local_path_accepts_a_resize_but_nothing_expands_it() {
    let mut lab = Lab::new();
    lab.apply(
        "sc.yaml",
        &class(
            "local-expand",
            "rancher.io/local-path",
            "WaitForFirstConsumer",
            "allowVolumeExpansion: true\n",
        ),
    );
    bound_claim(&mut lab, "local-expand");
    let out = lab.sh(
        r#"kubectl patch pvc claim -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'"#,
    );
    assert_eq!(out, "persistentvolumeclaim/claim patched\n");
    lab.sh("sleep 30");
    let pvc = lab.pvc("claim").unwrap();
    assert_eq!(pvc.requested_storage(), "2Gi");
    assert_eq!(
        pvc.status.capacity["storage"], "1Gi",
        "no resizer for local-path"
    );
    assert_eq!(lab.pv(&lab.volume_of("claim")).unwrap().capacity(), "1Gi");
    assert_eq!(
        lab.event_count("claim", "ExternalExpanding"),
        1,
        "{:?}",
        lab.events("claim")
    );
    assert!(lab.events("claim").contains(
        &"ExternalExpanding: waiting for an external controller to expand this PVC (1)".to_string()
    ));
}

#[test]
fn a_csi_class_with_expansion_grows_the_volume_then_the_file_system() {
    // Only where the driver is installed: kind has none but local-path.
    let mut lab = Lab::with_drivers(&["hostpath.csi.k8s.io"]);
    lab.apply(
        "sc.yaml",
        &class(
            "csi-hostpath",
            "hostpath.csi.k8s.io",
            "Immediate",
            "allowVolumeExpansion: true\n",
        ),
    );
    bound_claim(&mut lab, "csi-hostpath");
    let pv = lab.volume_of("claim");
    let out = lab.sh(
        r#"kubectl patch pvc claim -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'"#,
    );
    assert_eq!(out, "persistentvolumeclaim/claim patched\n");
    // The resizer has started: the condition is set, capacity is still the old one.
    let pvc = lab.pvc("claim").unwrap();
    assert_eq!(pvc.status.conditions[0].type_, "Resizing");
    assert_eq!(lab.row("pvc", "claim")[3], "1Gi");
    lab.sh("sleep 3");
    let pvc = lab.pvc("claim").unwrap();
    assert_eq!(pvc.status.conditions[0].type_, "FileSystemResizePending");
    assert_eq!(lab.pv(&pv).unwrap().capacity(), "2Gi");
    assert_eq!(pvc.status.capacity["storage"], "1Gi");
    lab.sh("sleep 10");
    let pvc = lab.pvc("claim").unwrap();
    assert!(pvc.status.conditions.is_empty());
    assert_eq!(pvc.status.capacity["storage"], "2Gi");
    assert_eq!(pvc.status.allocated_resources["storage"], "2Gi");
    assert_eq!(lab.row("pvc", "claim")[3], "2Gi");
    let node = lab
        .c
        .store()
        .get_typed::<Pod>("default", "user")
        .and_then(|p| p.spec.node_name.clone())
        .unwrap();
    let evs = lab.events("claim");
    let tail: Vec<&String> = evs.iter().rev().take(4).rev().collect();
    assert_eq!(
        tail,
        [
            "ExternalExpanding: waiting for an external controller to expand this PVC (1)",
            &format!("Resizing: External resizer is resizing volume {pv} (1)"),
            "FileSystemResizeRequired: Require file system resize of volume on node (1)",
            &format!(
                "FileSystemResizeSuccessful: MountVolume.NodeExpandVolume succeeded for volume \"{pv}\" {node} (1)"
            ),
        ]
    );
}

// ---- Quantities ----

#[test]
fn a_malformed_quantity_fails_while_decoding_and_a_negative_one_fails_validation() {
    let mut lab = Lab::new();
    let rv = lab.rv();
    let out = lab.apply("bad.yaml", &claim("bad", "1Gb", ""));
    assert_eq!(
        out,
        "Error from server (BadRequest): error when creating \"bad.yaml\": PersistentVolumeClaim in version \"v1\" cannot be handled as a PersistentVolumeClaim: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"
    );
    // Decoding stops at the quantity: the unknown access mode is not reported alongside.
    let both = claim("bad", "1Gb", "").replace("ReadWriteOnce", "ReadWriteSometimes");
    assert_eq!(lab.apply("bad.yaml", &both), out);
    let out = lab.apply("bad.yaml", &claim("bad", "1ki", ""));
    assert!(
        out.ends_with(
            "cannot be handled as a PersistentVolumeClaim: unable to parse quantity's suffix\n"
        ),
        "{out}"
    );
    let out = lab.apply("bad.yaml", &claim("bad", "-1Gi", ""));
    assert_eq!(
        out,
        "The PersistentVolumeClaim \"bad\" is invalid: spec.resources[storage]: Invalid value: \"-1Gi\": must be greater than zero\n"
    );
    // The value is quoted as the API server prints it back.
    let out = lab.apply("bad.yaml", &claim("bad", "-1024Mi", ""));
    assert!(
        out.contains("Invalid value: \"-1Gi\": must be greater than zero"),
        "{out}"
    );
    let out = lab.apply("bad.yaml", &claim("bad", "0", ""));
    assert!(
        out.contains("Invalid value: \"0\": must be greater than zero"),
        "{out}"
    );
    let out = lab.apply(
        "bad.yaml",
        &claim("bad", "-1Gi", "").replace("ReadWriteOnce", "ReadWriteSometimes"),
    );
    assert_eq!(
        out,
        "The PersistentVolumeClaim \"bad\" is invalid: \n* spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"\n* spec.resources[storage]: Invalid value: \"-1Gi\": must be greater than zero\n"
    );
    // A claim template is decoded with its set.
    let web = WEB_YAML.replace("storage: 1Gi", "storage: 1Gb");
    let out = lab.apply("web.yaml", &web);
    assert!(
        out.ends_with("Error from server (BadRequest): error when creating \"web.yaml\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"),
        "{out}"
    );
    assert!(lab.pvc("bad").is_none());
    assert!(lab.c.stateful_set("default", "web").is_none());
    let _ = rv;
}

#[test]
fn quantities_are_stored_in_canonical_form() {
    let mut lab = Lab::new();
    lab.apply("a.yaml", &claim("a", "1.5Gi", ""));
    lab.apply("b.yaml", &claim("b", "1024Mi", ""));
    assert_eq!(lab.pvc("a").unwrap().requested_storage(), "1536Mi");
    assert_eq!(
        lab.sh("kubectl get pvc b -o jsonpath='{.spec.resources.requests.storage}'"),
        "1Gi"
    );
}

// ---- 2.3 Static matching ----

#[test]
fn a_claim_takes_the_smallest_fit_in_the_smallest_access_mode_group() {
    let mut lab = Lab::new();
    lab.apply(
        "pvs.yaml",
        &[
            volume(
                "big-rwo",
                "10Gi",
                "ReadWriteOnce",
                "  storageClassName: manual\n",
            ),
            volume(
                "mid-rwo",
                "5Gi",
                "ReadWriteOnce",
                "  storageClassName: manual\n",
            ),
            volume(
                "small-rwo-rox",
                "1Gi",
                "ReadWriteOnce, ReadOnlyMany",
                "  storageClassName: manual\n",
            ),
            volume(
                "tiny-rwo",
                "500Mi",
                "ReadWriteOnce",
                "  storageClassName: manual\n",
            ),
        ]
        .join("---\n"),
    );
    lab.sh("sleep 1");
    assert_eq!(
        lab.row("pv", "mid-rwo"),
        [
            "mid-rwo",
            "5Gi",
            "RWO",
            "Retain",
            "Available",
            "manual",
            "<unset>",
            "1s"
        ]
    );
    // RWO, 1Gi: the RWO group has a fit (5Gi); the smaller RWO+ROX volume is in a larger group.
    lab.apply(
        "c1.yaml",
        &claim("c1", "1Gi", "  storageClassName: manual\n"),
    );
    assert_eq!(lab.volume_of("c1"), "mid-rwo");
    // ROX: only the RWO+ROX group offers it.
    lab.apply(
        "c2.yaml",
        &claim("c2", "1Gi", "  storageClassName: manual\n")
            .replace("ReadWriteOnce", "ReadOnlyMany"),
    );
    assert_eq!(lab.volume_of("c2"), "small-rwo-rox");
    assert_eq!(lab.phase("c2"), "Bound");
    lab.sh("sleep 1");
    assert_eq!(
        lab.row("pvc", "c2"),
        [
            "c2",
            "Bound",
            "small-rwo-rox",
            "1Gi",
            "RWO,ROX",
            "manual",
            "<unset>",
            "1s"
        ]
    );
    assert_eq!(
        lab.row("pv", "small-rwo-rox"),
        [
            "small-rwo-rox",
            "1Gi",
            "RWO,ROX",
            "Retain",
            "Bound",
            "default/c2",
            "manual",
            "<unset>",
            "2s"
        ]
    );
    // A bigger request skips what is too small and takes the next fit.
    lab.apply(
        "c3.yaml",
        &claim("c3", "6Gi", "  storageClassName: manual\n"),
    );
    assert_eq!(lab.volume_of("c3"), "big-rwo");
    assert_eq!(lab.pvc("c3").unwrap().status.capacity["storage"], "10Gi");
    // Nothing fits 20Gi and "manual" has no provisioner: Pending, and the controller keeps looking.
    lab.apply(
        "c4.yaml",
        &claim("c4", "20Gi", "  storageClassName: manual\n"),
    );
    assert_eq!(lab.phase("c4"), "Pending");
    assert!(
        lab.events("c4")[0]
            .starts_with("ProvisioningFailed: storageclass.storage.k8s.io \"manual\" not found"),
        "{:?}",
        lab.events("c4")
    );
}

#[test]
fn class_selector_and_volume_mode_must_match() {
    let mut lab = Lab::new();
    lab.apply(
        "pvs.yaml",
        &[
            volume("classless", "1Gi", "ReadWriteOnce", ""),
            volume(
                "manual",
                "1Gi",
                "ReadWriteOnce",
                "  storageClassName: manual\n",
            ),
            volume(
                "gold",
                "2Gi",
                "ReadWriteOnce",
                "  storageClassName: manual\n",
            )
            .replace(
                "metadata:\n  name: gold\n",
                "metadata:\n  name: gold\n  labels:\n    tier: gold\n",
            ),
            volume(
                "block",
                "1Gi",
                "ReadWriteOnce",
                "  storageClassName: manual\n  volumeMode: Block\n",
            ),
        ]
        .join("---\n"),
    );
    // "" means no class: only the class-less volume, even with a default class around.
    lab.apply(
        "none.yaml",
        &claim("none", "1Gi", "  storageClassName: \"\"\n"),
    );
    assert_eq!(lab.volume_of("none"), "classless");
    assert_eq!(
        lab.pvc("none").unwrap().spec.storage_class_name.as_deref(),
        Some("")
    );
    lab.apply(
        "picky.yaml",
        &claim(
            "picky",
            "1Gi",
            "  storageClassName: manual\n  selector:\n    matchLabels:\n      tier: gold\n",
        ),
    );
    assert_eq!(lab.volume_of("picky"), "gold");
    lab.apply(
        "raw.yaml",
        &claim(
            "raw",
            "1Gi",
            "  storageClassName: manual\n  volumeMode: Block\n",
        ),
    );
    assert_eq!(lab.volume_of("raw"), "block");
    lab.apply(
        "fs.yaml",
        &claim("fs", "1Gi", "  storageClassName: manual\n"),
    );
    assert_eq!(lab.volume_of("fs"), "manual");
    assert_eq!(lab.pv_phase("manual"), "Bound");
    let pv = lab.pv("manual").unwrap();
    assert_eq!(
        pv.metadata
            .annotations
            .get("pv.kubernetes.io/bound-by-controller")
            .map(String::as_str),
        Some("yes")
    );
    let pvc = lab.pvc("fs").unwrap();
    assert_eq!(
        pvc.metadata.annotations["pv.kubernetes.io/bind-completed"],
        "yes"
    );
    assert_eq!(
        pvc.metadata.annotations["pv.kubernetes.io/bound-by-controller"],
        "yes"
    );
}

#[test]
fn claim_ref_pre_binding_and_volume_name_reserve_a_volume() {
    let mut lab = Lab::new();
    lab.apply(
        "pvs.yaml",
        &[
            volume(
                "reserved",
                "1Gi",
                "ReadWriteOnce",
                "  storageClassName: manual\n  claimRef:\n    namespace: default\n    name: mine\n",
            ),
            volume(
                "wanted",
                "5Gi",
                "ReadWriteOnce",
                "  storageClassName: manual\n",
            ),
            volume(
                "small",
                "100Mi",
                "ReadWriteOnce",
                "  storageClassName: manual\n",
            ),
        ]
        .join("---\n"),
    );
    lab.sh("sleep 1");
    assert_eq!(
        lab.pv_phase("reserved"),
        "Available",
        "pre-bound and waiting"
    );
    assert_eq!(
        lab.row("pv", "reserved"),
        [
            "reserved",
            "1Gi",
            "RWO",
            "Retain",
            "Available",
            "default/mine",
            "manual",
            "<unset>",
            "1s"
        ]
    );
    // Another claim that the reserved volume would fit best does not get it.
    lab.apply(
        "other.yaml",
        &claim("other", "1Gi", "  storageClassName: manual\n"),
    );
    assert_eq!(lab.volume_of("other"), "wanted");
    lab.apply(
        "mine.yaml",
        &claim("mine", "1Gi", "  storageClassName: manual\n"),
    );
    assert_eq!(lab.volume_of("mine"), "reserved");
    let pv = lab.pv("reserved").unwrap();
    assert!(
        !pv.metadata
            .annotations
            .contains_key("pv.kubernetes.io/bound-by-controller"),
        "the user bound it"
    );
    // volumeName: that volume or an event saying why not.
    lab.apply(
        "named.yaml",
        &claim(
            "named",
            "1Gi",
            "  storageClassName: manual\n  volumeName: small\n",
        ),
    );
    assert_eq!(lab.phase("named"), "Pending");
    assert_eq!(
        lab.events("named"),
        ["VolumeMismatch: Cannot bind to requested volume \"small\": requested PV is too small (1)"]
    );
    lab.apply(
        "taken.yaml",
        &claim(
            "taken",
            "1Gi",
            "  storageClassName: manual\n  volumeName: wanted\n",
        ),
    );
    assert_eq!(
        lab.events("taken"),
        ["FailedBinding: volume \"wanted\" already bound to a different claim. (1)"]
    );
    lab.apply(
        "fits.yaml",
        &claim(
            "fits",
            "50Mi",
            "  storageClassName: manual\n  volumeName: small\n",
        ),
    );
    assert_eq!(lab.phase("fits"), "Bound");
    let pvc = lab.pvc("fits").unwrap();
    assert!(
        !pvc.metadata
            .annotations
            .contains_key("pv.kubernetes.io/bound-by-controller"),
        "the user chose the volume"
    );
    assert_eq!(
        lab.row("pvc", "fits")[..5],
        ["fits", "Bound", "small", "100Mi", "RWO"]
    );
}

// ---- 2.2 / 2.4 Phases ----

#[test]
fn a_released_volume_rebinds_only_after_its_claim_ref_is_cleared() {
    let mut lab = Lab::new();
    lab.apply(
        "pv.yaml",
        &volume(
            "pv1",
            "1Gi",
            "ReadWriteOnce",
            "  storageClassName: manual\n",
        ),
    );
    lab.apply("c.yaml", &claim("c", "1Gi", "  storageClassName: manual\n"));
    assert_eq!(lab.pv_phase("pv1"), "Bound");
    lab.sh("kubectl delete pvc c");
    assert_eq!(lab.pv_phase("pv1"), "Released");
    lab.apply("c.yaml", &claim("c", "1Gi", "  storageClassName: manual\n"));
    lab.sh("sleep 30");
    assert_eq!(
        lab.phase("c"),
        "Pending",
        "a Released volume is not matched"
    );
    assert_eq!(lab.row("pv", "pv1")[4..6], ["Released", "default/c"]);
    let out = lab.sh(r#"kubectl patch pv pv1 -p '{"spec":{"claimRef":null}}'"#);
    assert_eq!(out, "persistentvolume/pv1 patched\n");
    lab.sh("sleep 15");
    assert_eq!(lab.pv_phase("pv1"), "Bound");
    assert_eq!(lab.phase("c"), "Bound");
}

#[test]
fn a_claim_whose_volume_is_removed_is_lost() {
    let mut lab = Lab::new();
    lab.apply(
        "pv.yaml",
        &volume(
            "pv1",
            "1Gi",
            "ReadWriteOnce",
            "  storageClassName: manual\n",
        ),
    );
    lab.apply("c.yaml", &claim("c", "1Gi", "  storageClassName: manual\n"));
    // pv-protection holds a bound volume.
    assert_eq!(
        lab.sh("kubectl delete pv pv1 --wait=false"),
        "persistentvolume \"pv1\" deleted\n"
    );
    lab.sh("sleep 1");
    assert_eq!(lab.row("pv", "pv1")[4], "Terminating");
    assert_eq!(lab.phase("c"), "Bound");
    lab.sh(r#"kubectl patch pv pv1 -p '{"metadata":{"finalizers":null}}'"#);
    assert!(lab.pv("pv1").is_none());
    assert_eq!(lab.phase("c"), "Lost");
    let out = lab.sh("kubectl get pvc c");
    assert_eq!(
        out.lines().nth(1).unwrap(),
        "c      Lost     pv1      0                         manual         <unset>                 1s"
    );
    assert_eq!(
        lab.events("c"),
        ["ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost! (1)"]
    );
    // A pod using the claim cannot be scheduled.
    lab.apply("pod.yaml", &pod_using("user", "c"));
    let out = lab.sh("kubectl get events --field-selector involvedObject.name=user");
    assert!(
        out.contains("0/3 nodes are available: persistentvolumeclaim \"c\" bound to non-existent persistentvolume \"pv1\"."),
        "{out}"
    );
}

#[test]
fn reclaim_failures_leave_the_volume_failed() {
    let mut lab = Lab::new();
    lab.apply(
        "pvs.yaml",
        &[
            volume(
                "mnt",
                "1Gi",
                "ReadWriteOnce",
                "  storageClassName: a\n  persistentVolumeReclaimPolicy: Delete\n",
            ),
            volume(
                "tmp",
                "1Gi",
                "ReadWriteOnce",
                "  storageClassName: b\n  persistentVolumeReclaimPolicy: Delete\n",
            )
            .replace("path: /mnt/tmp", "path: /tmp/tmp"),
            "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: local\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  storageClassName: c\n  persistentVolumeReclaimPolicy: Recycle\n  local:\n    path: /mnt/disks/1\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: kubernetes.io/hostname\n          operator: In\n          values: [kind-worker]\n".to_string(),
            volume(
                "scrub",
                "1Gi",
                "ReadWriteOnce",
                "  storageClassName: d\n  persistentVolumeReclaimPolicy: Recycle\n",
            ),
        ]
        .join("---\n"),
    );
    for (claim_name, class_name) in [("ca", "a"), ("cb", "b"), ("cc", "c"), ("cd", "d")] {
        lab.apply(
            &format!("{claim_name}.yaml"),
            &claim(
                claim_name,
                "1Gi",
                &format!("  storageClassName: {class_name}\n"),
            ),
        );
        assert_eq!(lab.phase(claim_name), "Bound", "{claim_name}");
    }
    lab.sh("kubectl delete pvc ca cb cc cd");
    lab.sh("sleep 1");
    // A static host path outside /tmp cannot be deleted by the host path deleter.
    assert_eq!(lab.pv_phase("mnt"), "Failed");
    let row = lab.row("pv", "mnt");
    assert_eq!(
        row,
        [
            "mnt",
            "1Gi",
            "RWO",
            "Delete",
            "Failed",
            "default/ca",
            "a",
            "<unset>",
            "1s"
        ]
    );
    assert_eq!(
        lab.pv("mnt").unwrap().status.message.as_deref(),
        Some("host_path deleter only supports /tmp/.+ but received provided /mnt/mnt")
    );
    assert_eq!(
        lab.events("mnt"),
        ["VolumeFailedDelete: host_path deleter only supports /tmp/.+ but received provided /mnt/mnt (1)"]
    );
    assert!(lab.pv("tmp").is_none(), "a path under /tmp is deleted");
    assert_eq!(lab.pv_phase("local"), "Failed");
    assert_eq!(
        lab.events("local"),
        ["VolumeFailedRecycle: No recycler plugin found for the volume! (1)"]
    );
    // A host path is scrubbed by the recycler pod and offered again.
    assert_eq!(lab.pv_phase("scrub"), "Released");
    lab.sh("sleep 10");
    assert_eq!(lab.pv_phase("scrub"), "Available");
    assert!(lab.pv("scrub").unwrap().spec.claim_ref.is_none());
    assert_eq!(lab.events("scrub"), ["VolumeRecycled: Volume recycled (1)"]);
    // An unknown policy never gets this far: the API server refuses it.
    let rv = lab.rv();
    let out = lab.apply(
        "keep.yaml",
        &volume(
            "keep",
            "1Gi",
            "ReadWriteOnce",
            "  persistentVolumeReclaimPolicy: Keep\n",
        ),
    );
    assert_eq!(
        out,
        "The PersistentVolume \"keep\" is invalid: spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\"\n"
    );
    assert_eq!(lab.rv(), rv);
}

#[test]
fn a_claim_in_use_shows_terminating_until_its_pod_is_gone() {
    let mut lab = Lab::new();
    bound_claim(&mut lab, "standard");
    let pv = lab.volume_of("claim");
    lab.sh("kubectl delete pvc claim --wait=false");
    assert_eq!(lab.row("pvc", "claim")[1], "Terminating");
    assert_eq!(lab.pv_phase(&pv), "Bound");
    lab.sh("kubectl delete pod user");
    lab.sh("sleep 5");
    assert!(lab.pvc("claim").is_none());
    assert!(lab.pv(&pv).is_none(), "reclaim policy Delete");
}

// ---- 2.1 Default class ----

#[test]
fn a_default_class_is_given_later_to_claims_that_have_none() {
    let mut lab = Lab::new();
    lab.sh(
        r#"kubectl annotate sc standard storageclass.kubernetes.io/is-default-class=false --overwrite"#,
    );
    lab.apply("c.yaml", &claim("c", "1Gi", ""));
    lab.apply(
        "none.yaml",
        &claim("none", "1Gi", "  storageClassName: \"\"\n"),
    );
    assert_eq!(lab.pvc("c").unwrap().spec.storage_class_name, None);
    assert_eq!(
        lab.row("pvc", "c"),
        ["c", "Pending", "<unset>", "0s"],
        "no class, no volume"
    );
    assert_eq!(
        lab.events("c"),
        ["FailedBinding: no persistent volumes available for this claim and no storage class is set (1)"]
    );
    lab.sh("sleep 20");
    assert_eq!(
        lab.event_count("c", "FailedBinding"),
        2,
        "retried at the resync"
    );
    lab.sh(
        r#"kubectl annotate sc standard storageclass.kubernetes.io/is-default-class=true --overwrite"#,
    );
    lab.sh("sleep 15");
    assert_eq!(
        lab.pvc("c").unwrap().spec.storage_class_name.as_deref(),
        Some("standard"),
        "assigned at the next resync"
    );
    assert_eq!(
        lab.pvc("none").unwrap().spec.storage_class_name.as_deref(),
        Some(""),
        "an explicit \"\" is no class, for good"
    );
    assert_eq!(lab.row("pvc", "c")[..3], ["c", "Pending", "standard"]);
}

// ---- 2.2 / 2.6 The seminar-room failure ----

fn seminar_web() -> String {
    WEB_YAML.replace(
        "          storage: 1Gi\n",
        "          storage: 1Gi\n      storageClassName: rook-ceph-block\n",
    )
}

const ROOK_CLASS: &str = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: rook-ceph-block\nprovisioner: rook-ceph.rbd.csi.ceph.com\nreclaimPolicy: Delete\nallowVolumeExpansion: true\n";

/// The seminar's class made for kind: the name the template asks for, served by kind's local-path provisioner.
const ROOK_NAMED_LOCAL_PATH: &str = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: rook-ceph-block\nprovisioner: rancher.io/local-path\nreclaimPolicy: Delete\nvolumeBindingMode: WaitForFirstConsumer\n";

/// The seminar room on kind: the template names a class that does not exist; creating it as the seminar did
/// (Rook's CSI provisioner) leaves the claim waiting for a provisioner kind does not run
/// (pv_controller.go `provisionClaimOperationExternal`: annotate, then `ExternalProvisioning` at every sync);
/// making the class one kind serves binds the claims and starts the pods.
#[test]
fn a_template_naming_a_missing_class_waits_until_a_class_kind_serves_exists() {
    let mut lab = Lab::new();
    lab.apply("web.yaml", &seminar_web());
    lab.sh("sleep 1m");
    assert_eq!(lab.phase("www-web-0"), "Pending");
    assert_eq!(
        lab.row("pvc", "www-web-0"),
        ["www-web-0", "Pending", "rook-ceph-block", "<unset>", "60s"]
    );
    let pod = lab
        .c
        .store()
        .get_typed::<Pod>("default", "web-0")
        .cloned()
        .unwrap();
    assert!(pod.spec.node_name.is_none());
    assert!(
        lab.c.store().get_typed::<Pod>("default", "web-1").is_none(),
        "OrderedReady"
    );
    let evs = lab.events("www-web-0");
    assert_eq!(
        evs,
        ["ProvisioningFailed: storageclass.storage.k8s.io \"rook-ceph-block\" not found (5)"],
        "once at creation, then at each 15-second resync"
    );
    assert_eq!(
        lab.events("web-0"),
        ["FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling. (1)"]
    );
    // The seminar's class: an Immediate class of Rook's CSI driver, which kind does not run.
    lab.apply("rook.yaml", ROOK_CLASS);
    lab.sh("sleep 1m");
    assert_eq!(lab.phase("www-web-0"), "Pending");
    assert!(lab.pv_names().is_empty(), "nothing provisions");
    let pvc = lab.pvc("www-web-0").unwrap();
    assert_eq!(
        pvc.metadata.annotations["volume.kubernetes.io/storage-provisioner"],
        "rook-ceph.rbd.csi.ceph.com"
    );
    let waiting = "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'rook-ceph.rbd.csi.ceph.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.";
    let evs = lab.events("www-web-0");
    assert!(evs.iter().any(|e| e.starts_with(waiting)), "{evs:?}");
    assert!(
        !evs.iter().any(|e| e.starts_with("Provisioning:")),
        "no provisioner picks the claim up: {evs:?}"
    );
    assert!(
        lab.event_count("www-web-0", "ExternalProvisioning") >= 4,
        "{evs:?}"
    );
    let out = lab.sh("kubectl get pods");
    assert!(out.contains("web-0   0/1     Pending"), "{out}");
    // The class kind can serve, under the name the template asks for.
    lab.sh("kubectl delete storageclass rook-ceph-block");
    lab.apply("rook.yaml", ROOK_NAMED_LOCAL_PATH);
    lab.sh("sleep 1m");
    assert_eq!(lab.phase("www-web-0"), "Bound");
    assert_eq!(lab.phase("www-web-1"), "Bound");
    let pvc = lab.pvc("www-web-0").unwrap();
    assert_eq!(
        pvc.metadata.annotations["volume.kubernetes.io/storage-provisioner"],
        "rancher.io/local-path"
    );
    let out = lab.sh("kubectl get pods");
    assert!(out.contains("web-0   1/1     Running"), "{out}");
    assert!(out.contains("web-1   1/1     Running"), "{out}");
}

/// The missing class created as kind's own kind of class (local-path, WaitForFirstConsumer): the scheduler
/// retries the pod (VolumeBinding watches StorageClasses), picks a node, and the claim goes through the
/// controller's `ExternalProvisioning` to local-path's `Provisioning` and `ProvisioningSucceeded`.
#[test]
fn a_missing_class_created_for_local_path_provisions_and_the_pod_starts() {
    let mut lab = Lab::new();
    let web = seminar_web().replace("replicas: 2", "replicas: 1");
    lab.apply("web.yaml", &web);
    lab.sh("sleep 20");
    lab.apply("rook.yaml", ROOK_NAMED_LOCAL_PATH);
    lab.sh("sleep 30");
    assert_eq!(lab.phase("www-web-0"), "Bound");
    let evs = lab.events("www-web-0");
    let mut reasons: Vec<&str> = evs.iter().map(|e| e.split(':').next().unwrap()).collect();
    assert_eq!(reasons.first(), Some(&"ProvisioningFailed"), "{evs:?}");
    assert_eq!(reasons.last(), Some(&"ProvisioningSucceeded"), "{evs:?}");
    ordinal_engine::sort::sort(&mut reasons);
    assert_eq!(
        reasons,
        [
            "ExternalProvisioning",
            "Provisioning",
            "ProvisioningFailed",
            "ProvisioningSucceeded"
        ],
        "{evs:?}"
    );
    assert!(
        evs.contains(
            &"ProvisioningFailed: storageclass.storage.k8s.io \"rook-ceph-block\" not found (2)"
                .to_string()
        ),
        "{evs:?}"
    );
    let out = lab.sh("kubectl get pods");
    assert!(out.contains("web-0   1/1     Running"), "{out}");
}

/// An Immediate class created later for a provisioner the cluster runs: the PV controller does not watch
/// classes (pv_controller_base.go `NewController` adds handlers for volumes and claims only; classes are read
/// through a lister), so the claim is provisioned at its next 15-second resync.
#[test]
fn an_immediate_class_created_later_is_noticed_at_the_next_resync() {
    let mut lab = Lab::with_drivers(&["rook-ceph.rbd.csi.ceph.com"]);
    lab.apply("web.yaml", &seminar_web());
    lab.sh("sleep 50");
    lab.apply("rook.yaml", ROOK_CLASS);
    lab.sh("sleep 9");
    assert_eq!(
        lab.phase("www-web-0"),
        "Pending",
        "not before the resync at 60s"
    );
    assert_eq!(lab.event_count("www-web-0", "ExternalProvisioning"), 0);
    lab.sh("sleep 1");
    // The resync's sync, then the one its own annotation of the claim brings.
    assert_eq!(lab.event_count("www-web-0", "ExternalProvisioning"), 2);
    lab.sh("sleep 1m");
    assert_eq!(lab.phase("www-web-0"), "Bound");
    let pvc = lab.pvc("www-web-0").unwrap();
    assert!(
        !pvc.metadata
            .annotations
            .contains_key("volume.kubernetes.io/selected-node"),
        "an Immediate class does not wait for the scheduler"
    );
    let out = lab.sh("kubectl get pods");
    assert!(out.contains("web-0   1/1     Running"), "{out}");
}

#[test]
fn fixing_the_template_needs_the_pending_claims_deleted_too() {
    let mut lab = Lab::new();
    lab.apply("web.yaml", &seminar_web());
    lab.sh("sleep 10");
    // The template is immutable; the set is recreated from the fixed file.
    let out = lab.apply("web.yaml", WEB_YAML);
    assert!(
        out.contains("spec: Forbidden: updates to statefulset spec for fields other than"),
        "{out}"
    );
    lab.sh("kubectl delete sts web");
    lab.apply("web.yaml", WEB_YAML);
    lab.sh("sleep 30");
    // The old claim is reused as it is: still the missing class.
    assert_eq!(lab.phase("www-web-0"), "Pending");
    assert_eq!(
        lab.pvc("www-web-0")
            .unwrap()
            .spec
            .storage_class_name
            .as_deref(),
        Some("rook-ceph-block")
    );
    // Deleting it lets the controller make a fresh one from the fixed template.
    lab.sh("kubectl delete pvc www-web-0");
    lab.sh("sleep 1m");
    assert_eq!(lab.phase("www-web-0"), "Bound");
    assert_eq!(
        lab.pvc("www-web-0")
            .unwrap()
            .spec
            .storage_class_name
            .as_deref(),
        Some("standard")
    );
    let out = lab.sh("kubectl get pods");
    assert!(out.contains("web-0   1/1     Running"), "{out}");
}

// ---- 2.1 / 2.6 Immediate versus WaitForFirstConsumer ----

#[test]
fn wait_for_first_consumer_pins_the_volume_to_the_pods_node() {
    let mut lab = Lab::new();
    lab.apply("c.yaml", &claim("claim", "1Gi", ""));
    lab.sh("sleep 30");
    assert_eq!(lab.phase("claim"), "Pending");
    assert_eq!(
        lab.events("claim"),
        ["WaitForFirstConsumer: waiting for first consumer to be created before binding (3)"]
    );
    lab.apply("pod.yaml", &pod_using("user", "claim"));
    lab.sh("sleep 30");
    let pod = lab
        .c
        .store()
        .get_typed::<Pod>("default", "user")
        .cloned()
        .unwrap();
    let node = pod.spec.node_name.clone().unwrap();
    let pvc = lab.pvc("claim").unwrap();
    assert_eq!(
        pvc.metadata.annotations["volume.kubernetes.io/selected-node"],
        node
    );
    assert_eq!(
        pvc.metadata.annotations["volume.kubernetes.io/storage-provisioner"],
        "rancher.io/local-path"
    );
    let pv = lab.pv(&lab.volume_of("claim")).unwrap();
    assert_eq!(pv.metadata.name, format!("pvc-{}", pvc.metadata.uid));
    assert_eq!(
        pv.spec
            .node_affinity
            .as_ref()
            .unwrap()
            .pointer("/required/nodeSelectorTerms/0/matchExpressions/0/values/0"),
        Some(&serde_json::json!(node))
    );
    assert_eq!(
        pv.spec.host_path.as_ref().unwrap()["path"],
        format!(
            "/var/local-path-provisioner/{}_default_claim",
            pv.metadata.name
        )
    );
    let evs = lab.events("claim");
    let mut reasons: Vec<&str> = evs.iter().map(|e| e.split(':').next().unwrap()).collect();
    ordinal_engine::sort::sort(&mut reasons);
    assert_eq!(
        reasons,
        [
            "ExternalProvisioning",
            "Provisioning",
            "ProvisioningSucceeded",
            "WaitForFirstConsumer",
        ],
        "{evs:?}"
    );
}

#[test]
fn immediate_binding_provisions_without_a_pod_and_local_path_cannot() {
    let mut lab = Lab::with_drivers(&["example.com/fast"]);
    lab.apply(
        "sc.yaml",
        &[
            class("fast", "example.com/fast", "Immediate", ""),
            class("local-immediate", "rancher.io/local-path", "Immediate", ""),
        ]
        .join("---\n"),
    );
    lab.apply("c.yaml", &claim("now", "1Gi", "  storageClassName: fast\n"));
    lab.sh("sleep 5");
    assert_eq!(lab.phase("now"), "Bound", "no pod needed");
    let pvc = lab.pvc("now").unwrap();
    assert!(!pvc
        .metadata
        .annotations
        .contains_key("volume.kubernetes.io/selected-node"));
    let pv = lab.pv(&lab.volume_of("now")).unwrap();
    assert!(pv.spec.node_affinity.is_none());
    assert_eq!(pv.spec.csi.as_ref().unwrap()["driver"], "example.com/fast");
    lab.apply(
        "l.yaml",
        &claim("local", "1Gi", "  storageClassName: local-immediate\n"),
    );
    lab.apply("pod.yaml", &pod_using("user", "local"));
    lab.sh("sleep 1m");
    assert_eq!(lab.phase("local"), "Pending");
    let evs = lab.events("local");
    assert!(
        evs.iter().any(|e| e.starts_with(
            "ProvisioningFailed: failed to provision volume with StorageClass \"local-immediate\": configuration error, no node was specified"
        )),
        "{evs:?}"
    );
    assert!(
        lab.event_count("local", "ExternalProvisioning") >= 5,
        "the controller keeps waiting for the provisioner: {evs:?}"
    );
    assert_eq!(
        lab.events("user"),
        ["FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling. (1)"]
    );
}
