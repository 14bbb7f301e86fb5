//! The kubernetes.io StatefulSet Basics page as a learner types it
//! (kubernetes/website `content/en/docs/tutorials/stateful-application/basic-stateful-set.md` @ 80cb213c): the
//! manifests come from `https://k8s.io/examples/…` (so they must be the page's own files, `catalogue/`), and
//! the steps whose outcome depends on them or on kubectl's exact words are checked one behaviour at a time.

mod common;

use common::*;
use ordinal_engine::Cluster;
use ordinal_term::terminal::Terminal;

const WEB: &str = "https://k8s.io/examples/application/web/web.yaml";
const WEB_PARALLEL: &str = "https://k8s.io/examples/application/web/web-parallel.yaml";

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

fn image_patch(tag: &str) -> String {
    format!(
        "kubectl patch statefulset web --type='json' -p='[{{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\", \"value\":\"registry.k8s.io/nginx-slim:{tag}\"}}]'"
    )
}

/// The page's web.yaml running, two pods Ready.
fn web() -> (Cluster, Terminal) {
    let mut c = cluster();
    let mut t = Terminal::default();
    assert_eq!(
        sh(&mut c, &mut t, &format!("kubectl apply -f {WEB}")),
        "service/nginx created\nstatefulset.apps/web created\n"
    );
    c.run_until_idle();
    assert_eq!(sts_ready(&c), "2/2");
    (c, t)
}

#[test]
fn the_rolling_update_section_image_patch_rolls_every_pod() {
    // The page patches the template to nginx-slim:0.24 and expects each pod to be replaced, highest ordinal
    // first; that only happens when web.yaml starts from another tag (it uses 0.21 since
    // kubernetes/website#46639).
    let (mut c, mut t) = web();
    let before = [uid_of_pod(&c, "web-0"), uid_of_pod(&c, "web-1")];
    let from = c.store().cursor();
    assert_eq!(
        sh(&mut c, &mut t, &image_patch("0.24")),
        "statefulset.apps/web patched\n"
    );
    c.run_until_idle();
    assert_eq!(
        pod_lifecycle(&c, from),
        ["-web-1", "+web-1", "-web-0", "+web-0"]
    );
    for (i, uid) in before.iter().enumerate() {
        let name = format!("web-{i}");
        assert_ne!(&uid_of_pod(&c, &name), uid, "{name} was replaced");
        assert_eq!(image_of(&c, &name), "registry.k8s.io/nginx-slim:0.24");
    }
}

#[test]
fn the_pages_pods_start_without_a_min_ready_delay() {
    // The page's file has no minReadySeconds (that is the concept page's manifest): web-1 is created as soon
    // as web-0 is Running and Ready.
    let mut c = cluster();
    let mut t = Terminal::default();
    sh(&mut c, &mut t, &format!("kubectl apply -f {WEB}"));
    c.run_until_idle();
    let web0_ready = pod(&c, "web-0")
        .and_then(|p| p.condition("Ready").and_then(|r| r.last_transition_time))
        .expect("web-0 is ready");
    let web1_created = pod(&c, "web-1")
        .and_then(|p| p.metadata.creation_timestamp)
        .expect("web-1 exists");
    assert_eq!(web1_created.since(web0_ready), 0);
    assert_eq!(sts(&c, "web").spec.min_ready_seconds, None);
}

#[test]
fn reapplying_web_yaml_after_an_orphaning_delete_adopts_the_pods_without_restarting_them() {
    // Rolling update to 0.24, then the staged change back to 0.21 rolled out with the partition at 0 (the
    // page's phased roll-out): the pods run web.yaml's own template again, so when the set is deleted with
    // --cascade=orphan and web.yaml applied again, the new set adopts web-1 as it is and only recreates the
    // web-0 the learner deleted.
    let (mut c, mut t) = web();
    for line in [
        image_patch("0.24"),
        r#"kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}}}'"#.to_string(),
        image_patch("0.21"),
    ] {
        sh(&mut c, &mut t, &line);
        c.run_until_idle();
    }
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl delete statefulset web --cascade=orphan"
        ),
        "statefulset.apps \"web\" deleted from default namespace\n"
    );
    sh(&mut c, &mut t, "kubectl delete pod web-0");
    let web1 = uid_of_pod(&c, "web-1");
    let from = c.store().cursor();
    assert_eq!(
        sh(&mut c, &mut t, &format!("kubectl apply -f {WEB}")),
        "service/nginx unchanged\nstatefulset.apps/web created\n"
    );
    c.run_until_idle();
    assert_eq!(pod_lifecycle(&c, from), ["+web-0"]);
    assert_eq!(uid_of_pod(&c, "web-1"), web1);
    assert_eq!(sts_ready(&c), "2/2");
}

#[test]
fn web_parallel_yaml_is_served_and_scales_in_parallel() {
    // "Parallel Pod management" applies web-parallel.yaml by URL, then scales to 5: the three new pods are
    // created together, before any of them is Ready.
    let mut c = cluster();
    let mut t = Terminal::default();
    assert_eq!(
        sh(&mut c, &mut t, &format!("kubectl apply -f {WEB_PARALLEL}")),
        "service/nginx created\nstatefulset.apps/web created\n"
    );
    c.run_until_idle();
    assert_eq!(
        sts(&c, "web").spec.pod_management_policy.as_deref(),
        Some("Parallel")
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl scale statefulset/web --replicas=5"),
        "statefulset.apps/web scaled\n"
    );
    step_until(&mut c, "web-4 exists", |c| pod(c, "web-4").is_some());
    for name in ["web-2", "web-3", "web-4"] {
        assert!(pod(&c, name).is_some(), "{name} exists");
        assert!(!is_ready(&c, name), "{name} is not ready yet");
    }
    // The pods select with the page's `-l app=nginx`.
    c.run_until_idle();
    assert_eq!(
        sh(&mut c, &mut t, "kubectl get pods -l app=nginx -o name")
            .lines()
            .count(),
        5
    );
}

#[test]
fn an_on_delete_patch_over_a_rolling_update_block_is_rejected_with_the_block_as_the_api_server_prints_it(
) {
    // The page's OnDelete patch is a strategic merge patch: StatefulSet's updateStrategy has no retainKeys
    // strategy (kubernetes/api apps/v1/types.go), so the stored rollingUpdate (partition 0, and
    // maxUnavailable 1 that defaulting adds, pkg/apis/apps/v1/defaults.go) stays, and
    // ValidateStatefulSetSpec (pkg/apis/apps/validation/validation.go) rejects it with field.Invalid on the
    // internal RollingUpdateStatefulSetStrategy, which apimachinery's ErrorBody
    // (pkg/util/validation/field/errors.go) renders with json.Marshal: Go field names, no json tags.
    let (mut c, mut t) = web();
    sh(
        &mut c,
        &mut t,
        r#"kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'"#,
    );
    let p = t.run(
        &mut c,
        r#"kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"OnDelete"}}}'"#,
        &[],
    );
    assert_eq!(
        p.text,
        "The StatefulSet \"web\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: {\"Partition\":2,\"MaxUnavailable\":1}: only allowed for updateStrategy 'RollingUpdate'\n"
    );
    assert_ne!(p.status, 0);
    // Removing the block in the same patch is what works.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            r#"kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}'"#
        ),
        "statefulset.apps/web patched\n"
    );
}

#[test]
fn update_strategy_errors_render_the_internal_structs() {
    // On create nothing is defaulted for OnDelete or an unknown type: a maxUnavailable left out is null, a
    // percentage is a JSON string, and an unknown type prints the whole internal StatefulSetUpdateStrategy.
    let mut c = cluster();
    let mut t = Terminal::default();
    let manifest = |strategy: &str| {
        format!(
            "kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n  updateStrategy:\n{strategy}\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: c\n        image: registry.k8s.io/nginx-slim:0.24\nEOF"
        )
    };
    let run = |c: &mut Cluster, t: &mut Terminal, strategy: &str| {
        let full = manifest(strategy);
        let (line, body) = full.split_once('\n').expect("a heredoc");
        let body = body.strip_suffix("EOF").expect("ends with EOF");
        t.run(c, line, &[body.to_string()]).text
    };
    assert_eq!(
        run(&mut c, &mut t, "    type: OnDelete\n    rollingUpdate:\n      partition: 3"),
        "The StatefulSet \"db\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: {\"Partition\":3,\"MaxUnavailable\":null}: only allowed for updateStrategy 'RollingUpdate'\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "    type: OnDelete\n    rollingUpdate:\n      maxUnavailable: 50%"),
        "The StatefulSet \"db\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: {\"Partition\":0,\"MaxUnavailable\":\"50%\"}: only allowed for updateStrategy 'RollingUpdate'\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "    type: Recreate"),
        "The StatefulSet \"db\" is invalid: spec.updateStrategy: Invalid value: {\"Type\":\"Recreate\",\"RollingUpdate\":null}: must be 'RollingUpdate' or 'OnDelete'\n"
    );
    assert!(c.stateful_set("default", "db").is_none());
}

#[test]
fn a_boolean_cascade_still_works_but_kubectl_warns_first() {
    // kubectl pkg/cmd/delete/delete_flags.go, parseCascadingFlag: strconv.ParseBool accepts the value, the
    // warning repeats it as typed, false orphans and true deletes in the background.
    let (mut c, mut t) = web();
    assert_eq!(
        sh(&mut c, &mut t, "kubectl delete statefulset web --cascade=false"),
        "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\nstatefulset.apps \"web\" deleted from default namespace\n"
    );
    c.run_until_idle();
    assert_eq!(pod_names(&c), ["web-0", "web-1"]);
    sh(&mut c, &mut t, &format!("kubectl apply -f {WEB}"));
    c.run_until_idle();
    assert_eq!(
        sh(&mut c, &mut t, "kubectl delete sts web --cascade=T"),
        "warning: --cascade=T is deprecated (boolean value) and can be replaced with --cascade=background.\nstatefulset.apps \"web\" deleted from default namespace\n"
    );
    c.run_until_idle();
    assert!(pod_names(&c).is_empty());
    // A value that is neither a boolean nor a propagation is an error, without the warning.
    assert_eq!(
        sh(&mut c, &mut t, "kubectl delete sts web --cascade=no"),
        "error: invalid cascade value (no). Must be \"background\", \"foreground\", or \"orphan\"\n"
    );
}
