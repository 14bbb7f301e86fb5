//! `kubectl patch --subresource=status|scale` (GA in kubectl 1.33): the patch goes to the subresource's path
//! and the API server applies it with that subresource's rules.
//!
//! Upstream:
//! - kubernetes/kubectl pkg/cmd/patch/patch.go `RunPatch`: the builder fetches and the helper patches
//!   `WithSubresource(o.Subresource)`; the answer is printed as `NAME patched` or `NAME patched (no change)`
//!   (`patchOperation`), named after the object the server returned (a Scale for `scale`).
//! - kubernetes/kubectl pkg/cmd/util/helpers.go `AddSubresourceFlags`: completion offers status, scale,
//!   resize; any other name is sent as is and the API server has no route for it (404).
//! - kubernetes/kubernetes pkg/registry/core/pod/strategy.go `podStatusStrategy.PrepareForUpdate`: the
//!   stored spec and owner references are kept; pkg/registry/apps/statefulset/strategy.go and
//!   apps/deployment/strategy.go `...StatusStrategy.PrepareForUpdate`: the spec (and a Deployment's labels)
//!   are kept. The main endpoint's `PrepareForUpdate` keeps the stored status instead.
//! - pkg/apis/apps/validation/validation.go `ValidateStatefulSetStatus`: counts non-negative and not above
//!   `status.replicas`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::model::{Deployment, Pod};
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn setup() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -f web.yaml && sleep 1m", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

fn web_0(c: &Cluster) -> Pod {
    c.store()
        .get_typed::<Pod>("default", "web-0")
        .expect("web-0 exists")
        .clone()
}

#[test]
fn a_status_patch_writes_the_status_and_drops_a_spec_change_sent_with_it() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl patch pod web-0 --subresource=status -p '{"spec":{"containers":[{"name":"nginx","image":"nginx:9"}]},"status":{"conditions":[{"type":"example.com/gate","status":"True"}]}}'"#,
    );
    assert_eq!(out, "pod/web-0 patched\n");
    let pod = web_0(&c);
    assert_eq!(
        pod.spec.containers[0].image, "registry.k8s.io/nginx-slim:0.24",
        "the status endpoint keeps the stored spec"
    );
    let out = sh(
        &mut c,
        &mut t,
        "kubectl get pod web-0 -o jsonpath='{.status.conditions[?(@.type==\"example.com/gate\")].status}'",
    );
    assert_eq!(out, "True");
}

#[test]
fn a_spec_only_patch_to_status_changes_nothing_and_a_status_patch_to_the_object_neither() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl patch sts web --subresource=status --type=merge -p '{"spec":{"replicas":5}}'"#,
    );
    assert_eq!(out, "statefulset.apps/web patched (no change)\n");
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl get sts web -o jsonpath='{.spec.replicas}'"
        ),
        "2"
    );
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl patch pod web-0 -p '{"status":{"conditions":[{"type":"example.com/gate","status":"True"}]}}'"#,
    );
    assert_eq!(out, "pod/web-0 patched (no change)\n");
}

#[test]
fn the_status_endpoint_keeps_owner_references_and_a_deployments_labels() {
    let (mut c, mut t) = setup();
    let owners = web_0(&c).metadata.owner_references.clone();
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl patch pod web-0 --subresource=status --type=merge -p '{"metadata":{"ownerReferences":null,"labels":{"tier":"web"}}}'"#,
    );
    assert_eq!(out, "pod/web-0 patched\n");
    let pod = web_0(&c);
    assert_eq!(pod.metadata.owner_references, owners);
    assert_eq!(
        pod.metadata.labels.get("tier").map(String::as_str),
        Some("web"),
        "a pod's labels may change through status"
    );
    sh(
        &mut c,
        &mut t,
        "kubectl create deployment hello --image=registry.k8s.io/nginx-slim:0.24 && sleep 30",
    );
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl patch deploy hello --subresource=status --type=merge -p '{"metadata":{"labels":{"tier":"web"}}}'"#,
    );
    assert_eq!(out, "deployment.apps/hello patched (no change)\n");
    let d = c
        .store()
        .get_typed::<Deployment>("default", "hello")
        .expect("the deployment exists");
    assert!(!d.metadata.labels.contains_key("tier"));
}

#[test]
fn status_counts_are_validated() {
    let (mut c, mut t) = setup();
    let p = t.run(
        &mut c,
        r#"kubectl patch sts web --subresource=status --type=merge -p '{"status":{"readyReplicas":7,"currentReplicas":-1}}'"#,
        &[],
    );
    assert_eq!(
        p.text,
        "The StatefulSet \"web\" is invalid: \n* status.currentReplicas: Invalid value: -1: must be greater than or equal to 0\n* status.readyReplicas: Invalid value: 7: cannot be greater than status.replicas\n"
    );
    assert_eq!(p.status, 1);
}

#[test]
fn a_scale_patch_sets_the_workloads_replicas_and_answers_as_a_scale() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl patch sts web --subresource=scale --type=merge -p '{"spec":{"replicas":3}}'"#,
    );
    assert_eq!(out, "scale.autoscaling/web patched\n");
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl patch sts web --subresource=scale -p '{"spec":{"replicas":3}}'"#,
    );
    assert_eq!(out, "scale.autoscaling/web patched (no change)\n");
    sh(&mut c, &mut t, "sleep 1m");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl get sts web"),
        "NAME   READY   AGE\nweb    3/3     2m\n"
    );
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl patch sts web --subresource=scale --type=merge -p '{"spec":{"replicas":-2}}'"#,
    );
    assert_eq!(
        out,
        "The Scale \"web\" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0\n"
    );
}

#[test]
fn a_subresource_the_kind_does_not_have_is_a_404_for_the_path() {
    let (mut c, mut t) = setup();
    let none = "Error from server (NotFound): the server could not find the requested resource\n";
    for line in [
        r#"kubectl patch pod web-0 --subresource=scale -p '{"spec":{"replicas":3}}'"#,
        r#"kubectl patch sts web --subresource=foo -p '{"spec":{"replicas":3}}'"#,
        r#"kubectl patch cm kube-root-ca.crt --subresource=status -p '{"status":{}}'"#,
    ] {
        let p = t.run(&mut c, line, &[]);
        assert_eq!(p.text, none, "{line}");
        assert_eq!(p.status, 1);
    }
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            r#"kubectl patch pod nope --subresource=status -p '{"status":{}}'"#
        ),
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
}
