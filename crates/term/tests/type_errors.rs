//! A manifest with a value of the wrong type, as learners write them (a port in quotes, a port as a list, a
//! number where a string belongs): the API server refuses it in its JSON decoder's words, which name the Go
//! struct, the field's path by JSON names and the Go type. The messages below are the ones real clusters
//! print for the same mistakes (reported in public issues of projects that made them).
//!
//! Upstream: apiserver's `transformDecodeError` (`… cannot be handled as a Pod: …`) around encoding/json's
//! `UnmarshalTypeError` (`json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.
//! ports.containerPort of type int32`); a `null` is read as an absent field.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::model::Kind;
use ordinal_engine::store::ObjectKey;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

/// Writes `yaml` as `f.yaml`, runs `kubectl create -f f.yaml` and returns what it printed.
fn create(c: &mut Cluster, yaml: &str) -> String {
    let mut t = Terminal::default();
    t.ctx.files.insert("f.yaml".into(), yaml.into());
    t.run(c, "kubectl create -f f.yaml", &[]).text
}

fn pod(ports: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:{ports}\n"
    )
}

const HANDLED_AS_POD: &str =
    "Error from server (BadRequest): error when creating \"f.yaml\": Pod in version \"v1\" cannot be handled as a Pod: ";

#[test]
fn a_port_in_quotes_names_the_struct_the_path_and_int32() {
    let mut c = Cluster::new(ClusterConfig::default());
    let out = create(&mut c, &pod("\n    - containerPort: \"8080\""));
    assert_eq!(
        out,
        format!("{HANDLED_AS_POD}json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32\n")
    );
    assert!(c
        .store()
        .get(&ObjectKey::new(Kind::Pod, "default", "p"))
        .is_none());
}

#[test]
fn a_number_that_is_not_an_int32_is_named_with_its_value() {
    let mut c = Cluster::new(ClusterConfig::default());
    for (value, word) in [
        ("80.5", "number 80.5"),
        ("99999999999", "number 99999999999"),
        ("true", "bool"),
        ("[80]", "array"),
        ("{port: 80}", "object"),
    ] {
        let out = create(&mut c, &pod(&format!("\n    - containerPort: {value}")));
        assert_eq!(
            out,
            format!("{HANDLED_AS_POD}json: cannot unmarshal {word} into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32\n"),
            "containerPort: {value}"
        );
    }
}

#[test]
fn a_list_of_numbers_for_ports_names_the_element_type() {
    let mut c = Cluster::new(ClusterConfig::default());
    assert_eq!(
        create(&mut c, &pod(" [80]")),
        format!("{HANDLED_AS_POD}json: cannot unmarshal number into Go struct field Container.spec.containers.ports of type v1.ContainerPort\n")
    );
    assert_eq!(
        create(&mut c, &pod(" 80")),
        format!("{HANDLED_AS_POD}json: cannot unmarshal number into Go struct field Container.spec.containers.ports of type []v1.ContainerPort\n")
    );
}

#[test]
fn a_template_s_fields_carry_the_whole_path_and_map_values_their_own_type() {
    let mut c = Cluster::new(ClusterConfig::default());
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        ports:\n        - containerPort: \"${PORT}\"\n";
    assert_eq!(
        create(&mut c, ds),
        "Error from server (BadRequest): error when creating \"f.yaml\": DaemonSet in version \"v1\" cannot be handled as a DaemonSet: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32\n"
    );
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  PORT: 8080\n";
    assert_eq!(
        create(&mut c, cm),
        "Error from server (BadRequest): error when creating \"f.yaml\": ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string\n"
    );
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: \"30080\"\n";
    assert_eq!(
        create(&mut c, svc),
        "Error from server (BadRequest): error when creating \"f.yaml\": Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.nodePort of type int32\n"
    );
    // An int-or-string reads anything but a string as an int32, in a decoder of its own.
    let target = svc.replace("nodePort: \"30080\"", "targetPort: true");
    assert_eq!(
        create(&mut c, &target),
        "Error from server (BadRequest): error when creating \"f.yaml\": Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal bool into Go value of type int32\n"
    );
}

#[test]
fn a_field_left_empty_is_absent() {
    let mut c = Cluster::new(ClusterConfig::default());
    // `ports:` with its entries commented out is null: no ports, as if the line were not there.
    let out = create(&mut c, &pod("\n    # - containerPort: 80"));
    assert_eq!(out, "pod/p created\n");
    let p = c.store().get(&ObjectKey::new(Kind::Pod, "default", "p"));
    assert!(p.is_some());
}

/// What the decoder leaves empty, validation names: the API server's `Required value` and range checks
/// (validateContainerPorts, ValidateEnv, ValidateVolumeMounts, ValidateVolumes, validateRestartPolicy).
#[test]
fn a_missing_or_out_of_range_field_is_named_by_validation() {
    let mut c = Cluster::new(ClusterConfig::default());
    let cases = [
        (
            pod("\n    - containerPort: 80").replace("  - name: c\n    image", "  - image"),
            "The Pod \"p\" is invalid: spec.containers[0].name: Required value",
        ),
        (
            pod("\n    - name: http"),
            "The Pod \"p\" is invalid: spec.containers[0].ports[0].containerPort: Required value",
        ),
        (
            pod("\n    - containerPort: 99999"),
            "The Pod \"p\" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive",
        ),
        (
            pod("\n    - containerPort: 80\n      hostPort: 70000"),
            "The Pod \"p\" is invalid: spec.containers[0].ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        ),
        (
            pod("\n    - containerPort: 80\n      name: my_port"),
            "The Pod \"p\" is invalid: spec.containers[0].ports[0].name: Invalid value: \"my_port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        ),
        (
            pod("\n    - containerPort: 80\n      name: web\n    - containerPort: 81\n      name: web"),
            "The Pod \"p\" is invalid: spec.containers[0].ports[1].name: Duplicate value: \"web\"",
        ),
        (
            pod("\n    - containerPort: 80\n    env:\n    - value: x"),
            "The Pod \"p\" is invalid: spec.containers[0].env[0].name: Required value",
        ),
        (
            pod("\n    - containerPort: 80\n    readinessProbe:\n      httpGet:\n        path: /"),
            "The Pod \"p\" is invalid: spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
        ),
        (
            pod("\n    - containerPort: 80").replace("spec:\n", "spec:\n  restartPolicy: Sometimes\n"),
            "The Pod \"p\" is invalid: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
        ),
        (
            pod("\n    - containerPort: 80").replace("spec:\n", "spec:\n  volumes:\n  - persistentVolumeClaim: {}\n"),
            "The Pod \"p\" is invalid: \n* spec.volumes[0].persistentVolumeClaim.claimName: Required value\n* spec.volumes[0].name: Required value",
        ),
    ];
    for (yaml, expected) in cases {
        assert_eq!(create(&mut c, &yaml), format!("{expected}\n"), "{yaml}");
    }
    assert!(c
        .store()
        .get(&ObjectKey::new(Kind::Pod, "default", "p"))
        .is_none());
}

#[test]
fn a_workload_s_pods_always_restart() {
    let mut c = Cluster::new(ClusterConfig::default());
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: nginx\n";
    assert_eq!(
        create(&mut c, deploy),
        "The Deployment \"d\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"\n"
    );
    // A Deployment's pods run until replaced: a deadline is refused by the ReplicaSet check (in its words).
    let deadline = deploy.replace("restartPolicy: Never", "activeDeadlineSeconds: 60");
    assert_eq!(
        create(&mut c, &deadline),
        "The Deployment \"d\" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported\n"
    );
}

/// validateServicePort: the name (a DNS label, once), the port, the target port as a number or a port name.
#[test]
fn a_service_port_is_checked_name_first() {
    let mut c = Cluster::new(ClusterConfig::default());
    let svc = |ports: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {{app: x}}\n  ports:\n{ports}")
    };
    let cases = [
        (
            svc("  - name: web.v1\n    port: 80\n"),
            "spec.ports[0].name: Invalid value: \"web.v1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
        (
            svc("  - name: web\n    port: 80\n  - name: web\n    port: 81\n"),
            "spec.ports[1].name: Duplicate value: \"web\"",
        ),
        (
            svc("  - name: web\n    targetPort: 8080\n"),
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        ),
        (
            svc("  - port: 80\n    targetPort: http_port\n"),
            "spec.ports[0].targetPort: Invalid value: \"http_port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        ),
    ];
    for (yaml, expected) in cases {
        assert_eq!(
            create(&mut c, &yaml),
            format!("The Service \"s\" is invalid: {expected}\n"),
            "{yaml}"
        );
    }
}

/// A strategic merge patch (what `kubectl patch` sends by default, and `kubectl apply` to an object that
/// exists) is applied by the API server to the object's map, which it then converts to an object: what it
/// cannot read it refuses as an invalid request naming the patch as Go prints it (apiserver patch.go
/// `applyPatchToObject`), with the converter's words for a wrong type (runtime/converter.go).
#[test]
fn a_patch_that_cannot_be_read_is_an_invalid_request_naming_the_patch() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    t.ctx.files.insert("web.yaml".into(), WEB.into());
    assert!(t
        .run(&mut c, "kubectl apply -f web.yaml", &[])
        .text
        .contains("statefulset.apps/web created"));
    let cases = [
        (
            r#"{"spec":{"replicas":"3"}}"#,
            "map[spec:map[replicas:3]]",
            "unrecognized type: int32",
        ),
        (
            r#"{"spec":{"replicas":2.5}}"#,
            "map[spec:map[replicas:2.5]]",
            "cannot convert float64 to int32",
        ),
        (
            r#"{"spec":{"replica":3}}"#,
            "map[spec:map[replica:3]]",
            "strict decoding error: unknown field \"spec.replica\"",
        ),
        (
            r#"{"spec":{"serviceName":5}}"#,
            "map[spec:map[serviceName:5]]",
            "cannot convert int64 to string",
        ),
        (
            r#"{"spec":{"podManagementPolicy":true}}"#,
            "map[spec:map[podManagementPolicy:true]]",
            "unrecognized type: string",
        ),
        (
            r#"{"spec":{"template":"x"}}"#,
            "map[spec:map[template:x]]",
            "cannot restore struct from: string",
        ),
        (
            r#"{"spec":{"volumeClaimTemplates":{"a":1}}}"#,
            "map[spec:map[volumeClaimTemplates:map[a:1]]]",
            "cannot restore slice from map",
        ),
        (
            r#"{"metadata":{"labels":[1]}}"#,
            "map[metadata:map[labels:[1]]]",
            "cannot restore map from slice",
        ),
    ];
    for (patch, shown, detail) in cases {
        let out = t.run(&mut c, &format!("kubectl patch sts web -p '{patch}'"), &[]);
        assert_eq!(
            out.text,
            format!("The request is invalid: patch: Invalid value: \"{shown}\": {detail}\n"),
            "{patch}"
        );
        assert_eq!(out.status, 1);
    }
    // `kubectl apply` of an edited file sends such a patch too: the unknown field is named at the end.
    t.ctx
        .files
        .insert("web.yaml".into(), WEB.replace("replicas: 2", "replica: 3"));
    let out = t.run(&mut c, "kubectl apply -f web.yaml", &[]).text;
    assert!(out.starts_with("service/nginx unchanged\nThe request is invalid: patch: Invalid value: \"map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:"), "{out}");
    assert!(out.contains(" spec:map[replica:3 replicas:<nil>"), "{out}");
    assert!(
        out.ends_with("]]\": strict decoding error: unknown field \"spec.replica\"\n"),
        "{out}"
    );
}

const WEB: &str = include_str!("fixtures/web.yaml");
