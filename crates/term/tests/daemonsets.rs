//! What the API server refuses in a DaemonSet and what it fills in, as apps/v1 does
//! (pkg/apis/apps/validation `ValidateDaemonSetSpec`, `ValidateDaemonSetUpdateStrategy`,
//! `ValidateRollingUpdateDaemonSet`; pkg/apis/apps/v1 `SetDefaults_DaemonSet`; the daemonset strategy's
//! `ValidateUpdate`, which keeps the selector as it was).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::model::Kind;
use ordinal_engine::store::ObjectKey;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn run(c: &mut Cluster, t: &mut Terminal, yaml: &str, line: &str) -> String {
    t.ctx.files.insert("ds.yaml".into(), yaml.into());
    t.run(c, line, &[]).text
}

fn create(c: &mut Cluster, yaml: &str) -> String {
    run(
        c,
        &mut Terminal::default(),
        yaml,
        "kubectl create -f ds.yaml",
    )
}

/// A DaemonSet `d` with `spec` indented under `spec:`.
fn daemon_set(spec: &str) -> String {
    format!("apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n{spec}")
}

const TEMPLATE: &str = "  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";
const SELECTOR: &str = "  selector:\n    matchLabels: {app: d}\n";

fn exists(c: &Cluster) -> bool {
    c.store()
        .get(&ObjectKey::new(Kind::DaemonSet, "default", "d"))
        .is_some()
}

fn refused(c: &mut Cluster, spec: &str) -> String {
    let out = create(c, &daemon_set(spec));
    assert!(!exists(c), "created: {spec}");
    out
}

/// Before, a DaemonSet was stored whatever it held: a container without an image made pods that never ran.
#[test]
fn a_daemon_set_s_pods_are_checked_as_any_workload_s() {
    let mut c = Cluster::new(ClusterConfig::default());
    let no_image = format!(
        "{SELECTOR}{}",
        TEMPLATE.replace("        image: nginx\n", "")
    );
    assert_eq!(
        refused(&mut c, &no_image),
        "The DaemonSet \"d\" is invalid: spec.template.spec.containers[0].image: Required value\n"
    );
    let on_failure = TEMPLATE.replace("    spec:\n", "    spec:\n      restartPolicy: OnFailure\n");
    assert_eq!(
        refused(&mut c, &format!("{SELECTOR}{on_failure}")),
        "The DaemonSet \"d\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"\n"
    );
    let deadline = TEMPLATE.replace("    spec:\n", "    spec:\n      activeDeadlineSeconds: 5\n");
    assert_eq!(
        refused(&mut c, &format!("{SELECTOR}{deadline}")),
        "The DaemonSet \"d\" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported\n"
    );
    assert_eq!(
        refused(
            &mut c,
            &format!("{SELECTOR}  minReadySeconds: -1\n  revisionHistoryLimit: -2\n{TEMPLATE}")
        ),
        "The DaemonSet \"d\" is invalid: \n\
         * spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0\n\
         * spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0\n"
    );
}

/// A missing selector matches nothing (`LabelSelectorAsSelector(nil)`), so the template's labels do not match
/// it; an empty one would match every pod in the namespace and is refused by name.
#[test]
fn the_selector_must_pick_the_template_s_pods_and_not_every_pod() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mismatch = "The DaemonSet \"d\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"d\"}: `selector` does not match template `labels`\n";
    assert_eq!(refused(&mut c, TEMPLATE), mismatch);
    assert_eq!(
        refused(
            &mut c,
            &format!("  selector:\n    matchLabels: {{app: x}}\n{TEMPLATE}")
        ),
        mismatch
    );
    assert_eq!(
        refused(&mut c, &format!("  selector: {{}}\n{TEMPLATE}")),
        "The DaemonSet \"d\" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for daemonset\n"
    );
}

#[test]
fn an_update_strategy_is_one_of_two_and_rolls_one_way() {
    let mut c = Cluster::new(ClusterConfig::default());
    let strategy = |s: &str| format!("{SELECTOR}  updateStrategy:\n{s}{TEMPLATE}");
    assert_eq!(
        refused(&mut c, &strategy("    type: Rolling\n")),
        "The DaemonSet \"d\" is invalid: spec.updateStrategy: Unsupported value: {\"Type\":\"Rolling\",\"RollingUpdate\":null}: supported values: \"RollingUpdate\", \"OnDelete\"\n"
    );
    // Defaulting fills maxSurge with 0, so a maxUnavailable of 0 leaves nothing to roll with.
    assert_eq!(
        refused(&mut c, &strategy("    rollingUpdate: {maxUnavailable: 0}\n")),
        "The DaemonSet \"d\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0\n"
    );
    assert_eq!(
        refused(
            &mut c,
            &strategy("    rollingUpdate: {maxUnavailable: 2, maxSurge: \"150%\"}\n")
        ),
        "The DaemonSet \"d\" is invalid: \n\
         * spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: \"150%\": must not be greater than 100%\n\
         * spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: \"150%\": may not be set when maxUnavailable is non-zero\n"
    );
    assert_eq!(
        refused(
            &mut c,
            &strategy("    rollingUpdate: {maxUnavailable: 10x, maxSurge: -1}\n")
        ),
        "The DaemonSet \"d\" is invalid: \n\
         * spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"10x\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')\n\
         * spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0\n"
    );
    assert_eq!(
        create(&mut c, &daemon_set(&strategy("    type: OnDelete\n"))),
        "daemonset.apps/d created\n"
    );
}

/// What the API server fills in shows in `-o yaml`; the pods come up on both workers; the selector cannot
/// change afterwards.
#[test]
fn a_daemon_set_gets_apps_v1_defaults_and_keeps_its_selector() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    let yaml = daemon_set(&format!("{SELECTOR}{TEMPLATE}"));
    assert_eq!(
        run(&mut c, &mut t, &yaml, "kubectl apply -f ds.yaml"),
        "daemonset.apps/d created\n"
    );
    c.advance(30_000);
    let got = run(
        &mut c,
        &mut t,
        &yaml,
        "kubectl get ds d -o jsonpath='{.spec.updateStrategy}{\"\\n\"}{.spec.revisionHistoryLimit}{\"\\n\"}{.spec.template.spec.restartPolicy}{\"\\n\"}{.status.numberReady}'",
    );
    assert_eq!(
        got,
        "{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1},\"type\":\"RollingUpdate\"}\n10\nAlways\n2"
    );
    let relabelled = daemon_set(&format!(
        "  selector:\n    matchLabels: {{app: d, tier: x}}\n{}",
        TEMPLATE.replace("{app: d}", "{app: d, tier: x}")
    ));
    assert_eq!(
        run(&mut c, &mut t, &relabelled, "kubectl apply -f ds.yaml"),
        "The DaemonSet \"d\" is invalid: spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"d\",\"tier\":\"x\"}}: field is immutable\n"
    );
}
