//! Bad input changes only what kubectl would send: a document kubectl cannot read is reported and not sent
//! (the documents before it are, as cli-runtime's `StreamVisitor` reads them), and an object the API server
//! rejects leaves the stored one as it was (k8s-behaviour.md 1.2, 1.3).

mod common;

use common::*;
use ordinal_engine::manifest::ManifestErrorKind;
use ordinal_engine::model::Kind;

fn apply_err(
    c: &mut ordinal_engine::Cluster,
    text: &str,
) -> Vec<ordinal_engine::manifest::ManifestError> {
    match c.apply_manifest(text, "web.yaml", "default") {
        Ok(out) => panic!("the manifest must be refused, but applied: {out:?}"),
        Err(errs) => errs,
    }
}

/// kubectl reads documents one by one (cli-runtime resource/visitor.go `StreamVisitor.Visit`): the Service in
/// document 1 is read and applied before the syntax error in document 2 ends the file.
#[test]
fn a_syntax_error_ends_the_file_but_the_documents_before_it_are_applied() {
    let mut c = cluster();
    let rv = c.store().resource_version();
    let broken = WEB_YAML.replace("  replicas: 2", "  replicas: 2\n   bad: indent");
    let errs = apply_err(&mut c, &broken);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].position.document, 2);
    let ManifestErrorKind::Syntax { line, .. } = errs[0].kind else {
        panic!("{:?}", errs[0])
    };
    assert_eq!(
        line, 22,
        "the error points at the mis-indented line of the whole file"
    );
    assert_eq!(errs[0].location(), "document 2, line 22");
    assert!(c.store().resource_version() > rv);
    assert!(c
        .store()
        .get_typed::<ordinal_engine::model::Service>("default", "nginx")
        .is_some());
    assert!(c.stateful_set("default", "web").is_none());
}

#[test]
fn an_unknown_kind_is_named_with_its_document_and_a_missing_name_fails_its_request() {
    let mut c = cluster();
    let typo = WEB_YAML.replace("kind: StatefulSet", "kind: StatefulSett");
    let errs = apply_err(&mut c, &typo);
    assert!(errs[0]
        .to_string()
        .contains("no matches for kind \"StatefulSett\" in version \"apps/v1\""));
    assert_eq!((errs[0].position.document, errs[0].position.line), (2, 15));
    assert!(c.stateful_set("default", "web").is_none());
    // A nameless document is read; apply's GET for it fails in client-go before any request
    // (kubectl apply.go `applyOneObject`).
    let nameless = WEB_YAML.replace("metadata:\n  name: web\n", "metadata:\n  labels: {}\n");
    let out = apply(&mut c, &nameless);
    assert!(
        out[1].ends_with("from server for: \"web.yaml\": resource name may not be empty"),
        "{}",
        out[1]
    );
    assert_eq!(
        ordinal_engine::manifest::parse(&nameless, "web.yaml").unwrap_err()[0].location(),
        "document 2, line 15",
        "the editor still points at the nameless document"
    );
}

#[test]
fn an_unknown_field_is_rejected_by_strict_decoding() {
    let mut c = cluster();
    let text = WEB_YAML.replace("  replicas: 2", "  replica: 2");
    let out = apply(&mut c, &text);
    assert_eq!(out[0], "service/nginx created");
    assert_eq!(
        out[1],
        "Error from server (BadRequest): error when creating \"web.yaml\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet: strict decoding error: unknown field \"spec.replica\""
    );
    assert!(c.stateful_set("default", "web").is_none());
}

#[test]
fn invalid_statefulsets_get_the_api_servers_messages() {
    let mut c = cluster();
    let out = apply(&mut c, &WEB_YAML.replace("replicas: 2", "replicas: -1"));
    assert_eq!(
        out[1],
        "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
    let out = apply(
        &mut c,
        &WEB_YAML.replace("metadata:\n  name: web\n", "metadata:\n  name: web.v1\n"),
    );
    assert!(out[1].starts_with("The StatefulSet \"web.v1\" is invalid: metadata.name: Invalid value: \"web.v1\": a lowercase RFC 1123 label"));
    let out = apply(
        &mut c,
        &WEB_YAML.replace(
            "      app: nginx\n  template",
            "      app: nginx2\n  template",
        ),
    );
    assert!(out[1].contains("spec.template.metadata.labels: Invalid value: {\"app\":\"nginx\"}: `selector` does not match template `labels`"), "{}", out[1]);
    assert!(c.stateful_set("default", "web").is_none());
}

#[test]
fn a_forbidden_update_changes_nothing() {
    let mut c = cluster();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    let before = sts(&c, "web").clone();
    let out = apply(
        &mut c,
        &WEB_YAML.replace("serviceName: \"nginx\"", "serviceName: \"other\""),
    );
    assert_eq!(
        out[1],
        "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    );
    assert_eq!(sts(&c, "web"), &before);
}

#[test]
fn scaling_a_missing_set_is_not_found() {
    let mut c = cluster();
    let err = c.scale(Kind::StatefulSet, "default", "web", 3).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Error from server (NotFound): statefulsets.apps \"web\" not found"
    );
}

#[test]
fn an_empty_statefulset_selector_prints_as_an_empty_json_object() {
    // ValidateStatefulSetSpec (pkg/apis/apps/validation) passes the *metav1.LabelSelector to field.Invalid;
    // apimachinery's ErrorBody renders it with json.Marshal, so `selector: {}` is `{}`, not "null".
    let mut c = cluster();
    let out = apply(
        &mut c,
        &WEB_YAML.replace(
            "  selector:\n    matchLabels:\n      app: nginx\n",
            "  selector: {}\n",
        ),
    );
    assert_eq!(
        out[1],
        "The StatefulSet \"web\" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for statefulset"
    );
}

/// A manifest of a few hundred kilobytes: `kubectl apply` keeps the whole object again in its
/// last-applied-configuration annotation, and the API server caps annotations at 256 KiB (apimachinery
/// `ValidateAnnotationsSize`); `kubectl create` sends no such annotation, so the same file is created.
#[test]
fn a_manifest_too_big_for_the_annotation_limit_is_refused_by_apply_but_not_by_create() {
    let big = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  page: \"{}\"\n",
        "x".repeat(300 * 1024)
    );
    let mut lab = Lab::new();
    assert_eq!(
        lab.apply("big.yaml", &big),
        "The ConfigMap \"big\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n"
    );
    assert!(lab
        .c
        .store()
        .get_typed::<ordinal_engine::model::ConfigMap>("default", "big")
        .is_none());
    assert_eq!(
        lab.sh("kubectl create -f big.yaml"),
        "configmap/big created\n"
    );
}

/// A pasted file of several megabytes never reaches validation: the API server reads at most 3 MiB of a request
/// (apiserver `MaxRequestBodyBytes`) and answers 413, which kubectl reports with what it was doing.
#[test]
fn a_request_over_three_mebibytes_is_too_large_for_the_api_server() {
    let huge = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  page: \"{}\"\n",
        "x".repeat(4 * 1024 * 1024)
    );
    let mut lab = Lab::new();
    let refused = "Error from server (RequestEntityTooLarge): error when creating \"huge.yaml\": Request entity too large: limit is 3145728\n";
    assert_eq!(lab.apply("huge.yaml", &huge), refused);
    assert_eq!(lab.sh("kubectl create -f huge.yaml"), refused);
    assert!(lab
        .c
        .store()
        .get_typed::<ordinal_engine::model::ConfigMap>("default", "huge")
        .is_none());
}

/// A ConfigMap or Secret holds at most 1 MiB of data (`core.MaxSecretSize`): past it the API server refuses
/// the object, naming the whole ConfigMap (`[]`) or the Secret's `data`.
#[test]
fn config_maps_and_secrets_over_a_mebibyte_are_refused() {
    let mut lab = Lab::new();
    let page = "x".repeat(1024 * 1024 + 1);
    let cm = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  page: \"{page}\"\n"
    );
    lab.file("cm.yaml", &cm);
    assert_eq!(
        lab.sh("kubectl create -f cm.yaml"),
        "The ConfigMap \"cm\" is invalid: []: Too long: may not be more than 1048576 bytes\n"
    );
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  page: \"{page}\"\n"
    );
    lab.file("secret.yaml", &secret);
    assert_eq!(
        lab.sh("kubectl create -f secret.yaml"),
        "The Secret \"s\" is invalid: data: Too long: may not be more than 1048576 bytes\n"
    );
    // Exactly a mebibyte is allowed.
    let fits = cm.replace(&page, &page[1..]);
    lab.file("fits.yaml", &fits);
    assert_eq!(
        lab.sh("kubectl create -f fits.yaml"),
        "configmap/cm created\n"
    );
}

/// "Billion laughs": nine levels of aliases, each nine times the one before. go-yaml v2 refuses such a
/// document (decode.go `document contains excessive aliasing`) instead of expanding it, and so does Ordinal,
/// at once.
#[test]
fn an_alias_bomb_is_refused_as_go_yaml_refuses_it() {
    let mut lines =
        vec![r#"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#.to_string()];
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        lines.push(format!("a{i}: &a{i} [{refs}]"));
    }
    let bomb = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  annotations:\n{}\ndata: {{}}\n",
        lines
            .iter()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut lab = Lab::new();
    assert_eq!(
        lab.apply("bomb.yaml", &bomb),
        "error: error parsing bomb.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing\n"
    );
    let errs = apply_err(&mut lab.c, &bomb);
    assert!(
        matches!(errs[0].kind, ManifestErrorKind::Syntax { .. }),
        "{errs:?}"
    );
}
