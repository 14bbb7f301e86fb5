//! What `kubectl apply|create|delete -f` (and `-k`) do with a file in which some documents cannot be read or
//! are refused: kubectl sends every document it could read and reports the rest at the end, exit status 1.
//!
//! Upstream (kubernetes/kubernetes staging/src/k8s.io/cli-runtime/pkg/resource):
//! - visitor.go `StreamVisitor.Visit`: a YAML syntax error or a failed client validation (no `apiVersion` or
//!   `kind`) returns from the visit, so nothing after it in that file is read; a kind that cannot be mapped
//!   (mapper.go `infoForData`: `resource mapping not found for name: ... ensure CRDs are installed first`) is
//!   handed on as that document's error and the next document is read.
//! - visitor.go `EagerVisitorList` gathers those errors into one aggregate, returned after every file;
//!   `ContinueOnErrorVisitor` adds it after the errors of the objects the command sent.
//! - kubectl pkg/cmd/apply/apply.go `Run` reads every document first (`GetObjects`) and reports the unread ones
//!   before the errors of its requests; pkg/cmd/create/create.go `RunCreate` and pkg/cmd/delete/delete.go
//!   `DeleteResult` send as they read, so theirs come last, and delete does not wait after an error.
//! - kubectl pkg/cmd/util/helpers.go `checkErr`: one error prints in its own form (`error: ...`,
//!   `The StatefulSet "web" is invalid: ...`); several print one per line through `StandardErrorMessage`
//!   (`Error from server (Invalid): error when creating "FILE": StatefulSet.apps "web" is invalid: ...`),
//!   kubectl's own errors without `error: `.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::model::Kind;
use ordinal_engine::store::ObjectKey;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

/// The Korean seed's nginx-statefulset-test.yaml: two Services and an `apps/v1beta1` StatefulSet, which no
/// current API server serves.
const KO_SEED: &str = "\
# Service/endpoint for load balancing the client connection from outside
# By NodePort
---
apiVersion: v1
kind: Service
metadata:
  namespace: ns-statefulset
  name: nginx-svc
  labels:
    role: nginx
spec:
  type: NodePort
  ports:
    - port: 80
      name: client
      nodePort: 30080
  selector:
    role: nginxrs

# A headless service to create DNS records
---
apiVersion: v1
kind: Service
metadata:
  namespace: ns-statefulset
  name: nginx-hs
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
    targetPort: 80
  clusterIP: None
  selector:
    role: nginxrs

# StatefulSet for nginx cluster
---
apiVersion: apps/v1beta1
kind: StatefulSet
metadata:
  namespace: ns-statefulset
  name: nginx-ss
spec:
  serviceName: nginx-hs
  replicas: 3
  template:
    metadata:
      labels:
        role: nginxrs
    spec:
      containers:
      - name: nginx
        image: gcr.io/google_containers/nginx-slim:0.8
";

const KO_MAPPING_ERROR: &str = "resource mapping not found for name: \"nginx-ss\" namespace: \"ns-statefulset\" from \"nginx-statefulset-test.yaml\": no matches for kind \"StatefulSet\" in version \"apps/v1beta1\"\nensure CRDs are installed first";

fn setup(files: &[(&str, &str)]) -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    for (name, text) in files {
        t.ctx.files.insert((*name).into(), (*text).into());
    }
    (Cluster::new(ClusterConfig::default()), t)
}

/// Runs `line`, returning (stdout+stderr as the terminal shows it, exit status).
fn run(c: &mut Cluster, t: &mut Terminal, line: &str) -> (String, i32) {
    let p = t.run(c, line, &[]);
    (p.text, p.status)
}

fn service_exists(c: &Cluster, ns: &str, name: &str) -> bool {
    c.store()
        .get(&ObjectKey::new(Kind::Service, ns, name))
        .is_some()
}

#[test]
fn create_sends_the_services_and_reports_the_unmappable_statefulset_last() {
    let (mut c, mut t) = setup(&[("nginx-statefulset-test.yaml", KO_SEED)]);
    run(&mut c, &mut t, "kubectl create namespace ns-statefulset");
    let (out, status) = run(
        &mut c,
        &mut t,
        "kubectl create -f nginx-statefulset-test.yaml",
    );
    assert_eq!(
        out,
        format!("service/nginx-svc created\nservice/nginx-hs created\nerror: {KO_MAPPING_ERROR}\n")
    );
    assert_eq!(status, 1);
    assert!(service_exists(&c, "ns-statefulset", "nginx-svc"));
    assert!(service_exists(&c, "ns-statefulset", "nginx-hs"));
    assert!(c.stateful_set("ns-statefulset", "nginx-ss").is_none());
}

#[test]
fn apply_and_delete_do_the_same_with_the_documents_they_can_read() {
    let (mut c, mut t) = setup(&[("nginx-statefulset-test.yaml", KO_SEED)]);
    run(&mut c, &mut t, "kubectl create namespace ns-statefulset");
    let (out, status) = run(
        &mut c,
        &mut t,
        "kubectl apply -f nginx-statefulset-test.yaml",
    );
    assert_eq!(
        out,
        format!("service/nginx-svc created\nservice/nginx-hs created\nerror: {KO_MAPPING_ERROR}\n")
    );
    assert_eq!(status, 1);
    let (out, status) = run(
        &mut c,
        &mut t,
        "kubectl delete -f nginx-statefulset-test.yaml",
    );
    assert_eq!(
        out,
        format!(
            "service \"nginx-svc\" deleted from ns-statefulset namespace\nservice \"nginx-hs\" deleted from ns-statefulset namespace\nerror: {KO_MAPPING_ERROR}\n"
        )
    );
    assert_eq!(status, 1);
    assert!(!service_exists(&c, "ns-statefulset", "nginx-svc"));
}

#[test]
fn apply_k_names_the_directory_as_the_source() {
    let manifest = KO_SEED.replace("  namespace: ns-statefulset\n", "");
    let (mut c, mut t) = setup(&[
        ("k/kustomization.yaml", "resources:\n- nginx.yaml\n"),
        ("k/nginx.yaml", &manifest),
    ]);
    let (out, status) = run(&mut c, &mut t, "kubectl apply -k k");
    assert_eq!(
        out,
        "service/nginx-hs created\nservice/nginx-svc created\nerror: resource mapping not found for name: \"nginx-ss\" namespace: \"\" from \"k\": no matches for kind \"StatefulSet\" in version \"apps/v1beta1\"\nensure CRDs are installed first\n"
    );
    assert_eq!(status, 1);
    assert!(service_exists(&c, "default", "nginx-hs"));
}

const SVC: &str =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: NAME\nspec:\n  ports:\n  - port: 80\n";

fn svc(name: &str) -> String {
    SVC.replace("NAME", name)
}

/// A valid Service, a StatefulSet the API server refuses, a valid Service, a syntax error, then a Service that
/// is never read.
fn mixed() -> String {
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: -1\n  serviceName: one\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: c\n        image: registry.k8s.io/nginx-slim:0.24\n";
    let broken = "apiVersion: v1\nkind: Service\nmetadata:\n  name: three\n   bad: indent\n";
    [
        svc("one"),
        sts.to_string(),
        svc("two"),
        broken.to_string(),
        svc("four"),
    ]
    .join("---\n")
}

const INVALID_AMONG_SEVERAL: &str = "Error from server (Invalid): error when creating \"mixed.yaml\": StatefulSet.apps \"db\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0";

#[test]
fn apply_reports_what_it_could_not_read_before_what_the_server_refused() {
    let (mut c, mut t) = setup(&[("mixed.yaml", &mixed())]);
    let (out, status) = run(&mut c, &mut t, "kubectl apply -f mixed.yaml");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..2],
        ["service/one created", "service/two created"],
        "{out}"
    );
    assert!(
        lines[2].starts_with("error parsing mixed.yaml: error converting YAML to JSON: yaml: "),
        "several errors: no `error: ` prefix\n{out}"
    );
    assert_eq!(lines[3], INVALID_AMONG_SEVERAL, "{out}");
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(status, 1);
    assert!(service_exists(&c, "default", "two"));
    assert!(
        !service_exists(&c, "default", "four"),
        "the file ends at the syntax error"
    );
    assert!(c.stateful_set("default", "db").is_none());
}

#[test]
fn create_reports_the_refused_objects_first_and_the_unread_documents_last() {
    let (mut c, mut t) = setup(&[("mixed.yaml", &mixed())]);
    run(&mut c, &mut t, "kubectl create -f mixed.yaml");
    let (out, status) = run(&mut c, &mut t, "kubectl create -f mixed.yaml");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "Error from server (AlreadyExists): error when creating \"mixed.yaml\": services \"one\" already exists",
            INVALID_AMONG_SEVERAL,
            "Error from server (AlreadyExists): error when creating \"mixed.yaml\": services \"two\" already exists",
        ],
        "{out}"
    );
    assert!(lines[3].starts_with("error parsing mixed.yaml: "), "{out}");
    assert_eq!(status, 1);
}

#[test]
fn delete_f_after_an_error_returns_without_waiting() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: registry.k8s.io/nginx-slim:0.24\n";
    let typo = svc("x").replace("kind: Service", "kind: Servic");
    let file = [pod.to_string(), typo].join("---\n");
    let (mut c, mut t) = setup(&[("pod.yaml", &file)]);
    run(&mut c, &mut t, "kubectl apply -f pod.yaml; sleep 30");
    let (out, status) = run(&mut c, &mut t, "kubectl delete -f pod.yaml");
    assert_eq!(
        out,
        "pod \"p\" deleted from default namespace\nerror: resource mapping not found for name: \"x\" namespace: \"\" from \"pod.yaml\": no matches for kind \"Servic\" in version \"v1\"\nensure CRDs are installed first\n"
    );
    assert_eq!(status, 1);
    let pod = c
        .store()
        .get(&ObjectKey::new(Kind::Pod, "default", "p"))
        .expect("kubectl did not wait for the pod to go");
    assert!(pod.meta().deletion_timestamp.is_some());
}

#[test]
fn a_document_without_kind_ends_the_file_and_several_unread_print_one_per_line() {
    let no_kind = "apiVersion: v1\nmetadata:\n  name: k\n";
    let typo = svc("why").replace("apiVersion: v1", "apiVersion: v2");
    let file = [svc("a"), typo, no_kind.to_string(), svc("b")].join("---\n");
    let (mut c, mut t) = setup(&[("f.yaml", &file)]);
    let (out, status) = run(&mut c, &mut t, "kubectl apply -f f.yaml");
    assert_eq!(
        out,
        "service/a created\nresource mapping not found for name: \"why\" namespace: \"\" from \"f.yaml\": no matches for kind \"Service\" in version \"v2\"\nensure CRDs are installed first\nerror validating \"f.yaml\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n"
    );
    assert_eq!(status, 1);
    assert!(!service_exists(&c, "default", "b"));
}

#[test]
fn a_nameless_document_fails_in_each_verbs_own_words() {
    let nameless =
        "apiVersion: v1\nkind: Service\nmetadata:\n  labels: {}\nspec:\n  ports:\n  - port: 80\n";
    let (mut c, mut t) = setup(&[("s.yaml", nameless)]);
    let (out, _) = run(&mut c, &mut t, "kubectl apply -f s.yaml");
    assert_eq!(
        out,
        "error: error when retrieving current configuration of:\nResource: \"/v1, Resource=services\", GroupVersionKind: \"/v1, Kind=Service\"\nName: \"\", Namespace: \"default\"\nfrom server for: \"s.yaml\": resource name may not be empty\n"
    );
    let (out, _) = run(&mut c, &mut t, "kubectl create -f s.yaml");
    assert_eq!(
        out,
        "The Service \"\" is invalid: metadata.name: Required value: name or generateName is required\n"
    );
    let (out, status) = run(&mut c, &mut t, "kubectl delete -f s.yaml");
    assert_eq!(
        out,
        "error: error when deleting \"s.yaml\": resource name may not be empty\n"
    );
    assert_eq!(status, 1);
}
