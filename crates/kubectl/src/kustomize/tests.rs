//! Tests of the whole build (kustomize's own test cases, the WordPress tutorial) and of the pieces that need
//! pinning on their own (hashes, decoding errors, field specs).

use super::*;
use super::{generators::*, hash::*, transformers::*};
use serde_json::Map;

const MYSQL: &str = include_str!("../../../term/tests/fixtures/wordpress/mysql-deployment.yaml");
const WORDPRESS: &str =
    include_str!("../../../term/tests/fixtures/wordpress/wordpress-deployment.yaml");
/// The tutorial's kustomization, `password=YOUR_PASSWORD`.
const TUTORIAL: &str = include_str!("../../../term/tests/fixtures/wordpress/kustomization.yaml");

/// The build's YAML alone, the way most cases check it.
fn build(ctx: &Context, dir: &str) -> Result<String, String> {
    build_with_warnings(ctx, dir).map(|b| b.yaml)
}

fn ctx(files: &[(&str, &str)]) -> Context {
    let mut c = Context::default();
    for (k, v) in files {
        c.files.insert((*k).to_string(), (*v).to_string());
    }
    c
}

/// kustomize's test harness (`th.WriteK`) writes this header above each kustomization.
fn k(body: &str) -> String {
    format!("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n{body}")
}

fn wordpress(password: &str) -> Context {
    let k = format!(
        "secretGenerator:\n- name: mysql-pass\n  literals:\n  - password={password}\nresources:\n  - mysql-deployment.yaml\n  - wordpress-deployment.yaml\n"
    );
    ctx(&[
        ("kustomization.yaml", &k),
        ("mysql-deployment.yaml", MYSQL),
        ("wordpress-deployment.yaml", WORDPRESS),
    ])
}

fn yaml_obj(text: &str) -> Map<String, Value> {
    match serde_saphyr::from_str::<Value>(text).unwrap() {
        Value::Object(m) => m,
        other => panic!("{other}"),
    }
}

#[test]
fn config_map_hashes_match_kustomizes_test_vectors() {
    // api/hasher/hasher_test.go: TestEncodeConfigMap and TestConfigMapHash.
    let cases = [
        (
            "apiVersion: v1\nkind: ConfigMap",
            r#"{"data":"","kind":"ConfigMap","name":""}"#,
            "6ct58987ht",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"",
            r#"{"data":{"one":""},"kind":"ConfigMap","name":""}"#,
            "9g67k2htb6",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  two: 2\n  one: \"\"\n  three: 3",
            r#"{"data":{"one":"","three":3,"two":2},"kind":"ConfigMap","name":""}"#,
            "7757f9kkct",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  one: \"\"",
            r#"{"binaryData":{"one":""},"data":"","kind":"ConfigMap","name":""}"#,
            "6mtk2m274t",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  two: 2\n  one: \"\"\n  three: 3",
            r#"{"binaryData":{"one":"","three":3,"two":2},"data":"","kind":"ConfigMap","name":""}"#,
            "9th7kc28dg",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"\nbinaryData:\n  two: \"\"",
            r#"{"binaryData":{"two":""},"data":{"one":""},"kind":"ConfigMap","name":""}"#,
            "698h7c7t9m",
        ),
    ];
    for (yaml, encoded, hash) in cases {
        let obj = yaml_obj(yaml);
        assert_eq!(hash_input(&obj), encoded, "{yaml}");
        assert_eq!(content_hash(&obj), hash, "{yaml}");
    }
}

#[test]
fn secret_hashes_match_kustomizes_test_vectors() {
    // api/hasher/hasher_test.go: TestEncodeSecret and TestSecretHash.
    let cases = [
        (
            "kind: Secret\ntype: my-type",
            r#"{"data":"","kind":"Secret","name":"","type":"my-type"}"#,
            "5gmgkf8578",
        ),
        (
            "kind: Secret\ntype: my-type\ndata:\n  one: \"\"",
            r#"{"data":{"one":""},"kind":"Secret","name":"","type":"my-type"}"#,
            "74bd68bm66",
        ),
        (
            "kind: Secret\ntype: my-type\ndata:\n  two: 2\n  one: \"\"\n  three: 3",
            r#"{"data":{"one":"","three":3,"two":2},"kind":"Secret","name":"","type":"my-type"}"#,
            "4gf75c7476",
        ),
        (
            "kind: Secret\ntype: my-type\ndata:\n  one: \"\"\nstringData:\n  two: 2",
            r#"{"data":{"one":""},"kind":"Secret","name":"","stringData":{"two":2},"type":"my-type"}"#,
            "c4h4264gdb",
        ),
    ];
    for (yaml, encoded, hash) in cases {
        let obj = yaml_obj(&format!("apiVersion: v1\n{yaml}"));
        assert_eq!(hash_input(&obj), encoded, "{yaml}");
        assert_eq!(content_hash(&obj), hash, "{yaml}");
    }
}

#[test]
fn hash_json_escapes_like_go() {
    let v = serde_json::json!({"b": "<a href=\"x\">&\u{2028}\t\u{1}", "a": 1.5, "c": 2});
    assert_eq!(
        ordinal_engine::gojson::go_json(&v),
        r#"{"a":1.5,"b":"\u003ca href=\"x\"\u003e\u0026\u2028\t\u0001","c":2}"#
    );
}

#[test]
fn the_wordpress_secret_gets_the_name_a_real_cluster_prints() {
    // The seminar-room seed's Deployment shows `mysql-pass-m4d885dchh` for `password=secret`.
    let out = build(&wordpress("secret"), "./").unwrap();
    assert!(out.starts_with(
        "apiVersion: v1\ndata:\n  password: c2VjcmV0\nkind: Secret\nmetadata:\n  name: mysql-pass-m4d885dchh\ntype: Opaque\n---\n"
    ), "{out}");
    // The three secretKeyRefs in the two Deployments follow the new name.
    assert_eq!(
        out.matches("name: mysql-pass-m4d885dchh").count(),
        4,
        "{out}"
    );
    assert!(!out.contains("name: mysql-pass\n"), "{out}");
    // The tutorial's own password; kubernetes.io still shows `mysql-pass-c57bb4t7mf`, from kustomize
    // before it stopped hashing the name.
    let mut tutorial = wordpress("secret");
    tutorial
        .files
        .insert("kustomization.yaml".into(), TUTORIAL.into());
    let out = build(&tutorial, ".").unwrap();
    assert!(out.contains("  name: mysql-pass-5m26tmdb5k\n"), "{out}");
    let mut named = yaml_obj(out.split("---\n").next().unwrap());
    assert_eq!(content_hash(&named), "5m26tmdb5k");
    named["metadata"]["name"] = Value::String("another-name".into());
    assert_eq!(content_hash(&named), "5m26tmdb5k");
}

#[test]
fn apply_order_is_kustomizes_legacy_order() {
    let out = build(&wordpress("YOUR_PASSWORD"), ".").unwrap();
    let ids: Vec<String> = out
        .split("---\n")
        .map(|doc| {
            let obj = yaml_obj(doc);
            format!(
                "{}/{}",
                obj["kind"].as_str().unwrap(),
                obj["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect();
    // Kinds by the legacy list (Secret, Service, PersistentVolumeClaim, Deployment), then by name:
    // `wordpress` sorts before `wordpress-mysql` since kustomize 4.5 (issue 4388).
    assert_eq!(
        ids,
        [
            "Secret/mysql-pass-5m26tmdb5k",
            "Service/wordpress",
            "Service/wordpress-mysql",
            "PersistentVolumeClaim/mysql-pv-claim",
            "PersistentVolumeClaim/wp-pv-claim",
            "Deployment/wordpress",
            "Deployment/wordpress-mysql",
        ]
    );
}

#[test]
fn legacy_order_sorts_by_name_within_a_kind_and_puts_unlisted_kinds_between() {
    // api/krusty/legacy_order_test.go (TestIssue4388), plus a Namespace first, a Job and a Pod between
    // the listed kinds and the webhook configurations.
    let c = ctx(&[
        ("kustomization.yaml", "resources:\n- r.yaml\n"),
        (
            "r.yaml",
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: testing-two\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: testing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: testing-one\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
        ),
    ]);
    let out = build(&c, ".").unwrap();
    let names: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  name: "))
        .collect();
    assert_eq!(
        names,
        ["ns", "testing", "testing-one", "testing-two", "j", "p", "w"]
    );
    // `sortOptions: {order: fifo}` keeps the order the resources were read in.
    let mut c = c;
    c.files.insert(
        "kustomization.yaml".into(),
        "resources:\n- r.yaml\nsortOptions:\n  order: fifo\n".into(),
    );
    let out = build(&c, ".").unwrap();
    let names: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  name: "))
        .collect();
    assert_eq!(
        names,
        ["w", "testing-two", "p", "j", "testing", "testing-one", "ns"]
    );
}

#[test]
fn generators_match_kustomizes_own_outputs() {
    // api/krusty/configmaps_test.go, TestGeneratorBasics: envs, env, files with and without keys,
    // literals, a prefix, `|2` blocks, a folded single-quoted line and 70-column base64.
    let kust = k(r#"
namePrefix: blah-
configMapGenerator:
- name: bob
  literals:
  - fruit=apple
  - vegetable=broccoli
  envs:
  - foo.env
  env: bar.env
  files:
  - passphrase=phrase.dat
  - forces.txt
- name: json
  literals:
  - 'v2=[{"path": "var/druid/segment-cache"}]'
  - >-
    druid_segmentCache_locations=[{"path":
    "var/druid/segment-cache",
    "maxSize": 32000000000,
    "freeSpacePercent": 1.0}]
secretGenerator:
- name: bob
  literals:
  - fruit=apple
  - vegetable=broccoli
  envs:
  - foo.env
  files:
  - passphrase=phrase.dat
  - forces.txt
  env: bar.env
sortOptions:
  order: fifo
"#);
    let c = ctx(&[
        ("kustomization.yaml", &kust),
        ("foo.env", "\nMOUNTAIN=everest\nOCEAN=pacific\n"),
        ("bar.env", "\nBIRD=falcon\n"),
        (
            "phrase.dat",
            "\nLife is short.\nBut the years are long.\nNot while the evil days come not.\n",
        ),
        (
            "forces.txt",
            "\ngravitational\nelectromagnetic\nstrong nuclear\nweak nuclear\n",
        ),
    ]);
    let expected = r#"apiVersion: v1
data:
  BIRD: falcon
  MOUNTAIN: everest
  OCEAN: pacific
  forces.txt: |2

    gravitational
    electromagnetic
    strong nuclear
    weak nuclear
  fruit: apple
  passphrase: |2

    Life is short.
    But the years are long.
    Not while the evil days come not.
  vegetable: broccoli
kind: ConfigMap
metadata:
  name: blah-bob-g9df72cd5b
---
apiVersion: v1
data:
  druid_segmentCache_locations: '[{"path": "var/druid/segment-cache", "maxSize": 32000000000,
    "freeSpacePercent": 1.0}]'
  v2: '[{"path": "var/druid/segment-cache"}]'
kind: ConfigMap
metadata:
  name: blah-json-m8529t979f
---
apiVersion: v1
data:
  BIRD: ZmFsY29u
  MOUNTAIN: ZXZlcmVzdA==
  OCEAN: cGFjaWZpYw==
  forces.txt: |
    CmdyYXZpdGF0aW9uYWwKZWxlY3Ryb21hZ25ldGljCnN0cm9uZyBudWNsZWFyCndlYWsgbn
    VjbGVhcgo=
  fruit: YXBwbGU=
  passphrase: |
    CkxpZmUgaXMgc2hvcnQuCkJ1dCB0aGUgeWVhcnMgYXJlIGxvbmcuCk5vdCB3aGlsZSB0aG
    UgZXZpbCBkYXlzIGNvbWUgbm90Lgo=
  vegetable: YnJvY2NvbGk=
kind: Secret
metadata:
  name: blah-bob-58g62h555c
type: Opaque
"#;
    assert_eq!(build(&c, ".").unwrap(), expected);
}

#[test]
fn numbers_and_booleans_from_literals_stay_quoted_strings() {
    // api/krusty/configmaps_test.go, TestGeneratorIntVsStringNoMerge.
    let c = ctx(&[
        (
            "kustomization.yaml",
            &k("resources:\n- service.yaml\nconfigMapGenerator:\n- name: bob\n  literals:\n  - fruit=Indian Gooseberry\n  - year=2020\n  - crisis=true\nsortOptions:\n  order: fifo\n"),
        ),
        ("service.yaml", "\napiVersion: v1\nkind: Service\nmetadata:\n  name: demo\nspec:\n  clusterIP: None\n"),
    ]);
    assert_eq!(
        build(&c, ".").unwrap(),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: demo\nspec:\n  clusterIP: None\n---\napiVersion: v1\ndata:\n  crisis: \"true\"\n  fruit: Indian Gooseberry\n  year: \"2020\"\nkind: ConfigMap\nmetadata:\n  name: bob-79t79mt227\n"
    );
}

#[test]
fn overlays_merge_into_generated_objects_of_their_bases() {
    // api/krusty/configmaps_test.go, TestGeneratorIntVsStringWithMerge and TestGeneratorFromProperties.
    let c = ctx(&[
        ("base/kustomization.yaml", &k("configMapGenerator:\n- name: bob\n  literals:\n  - fruit=Indian Gooseberry\n  - year=2020\n  - crisis=true\n")),
        ("overlay/kustomization.yaml", &k("resources:\n- ../base\nconfigMapGenerator:\n- name: bob\n  behavior: merge\n  literals:\n  - month=12\n")),
    ]);
    assert_eq!(
        build(&c, "overlay").unwrap(),
        "apiVersion: v1\ndata:\n  crisis: \"true\"\n  fruit: Indian Gooseberry\n  month: \"12\"\n  year: \"2020\"\nkind: ConfigMap\nmetadata:\n  name: bob-bk46gm59c6\n"
    );
    let c = ctx(&[
        ("base/kustomization.yaml", &k("configMapGenerator:\n  - name: test-configmap\n    behavior: create\n    envs:\n    - properties\n")),
        ("base/properties", "\nVAR1=100\n"),
        ("overlay/kustomization.yaml", &k("resources:\n- ../base\nconfigMapGenerator:\n- name: test-configmap\n  behavior: \"merge\"\n  envs:\n  - properties\n")),
        ("overlay/properties", "\nVAR2=200\n"),
    ]);
    assert_eq!(
        build(&c, "./overlay/").unwrap(),
        "apiVersion: v1\ndata:\n  VAR1: \"100\"\n  VAR2: \"200\"\nkind: ConfigMap\nmetadata:\n  name: test-configmap-hdghb5ddkg\n"
    );
}

#[test]
fn secret_generator_and_generator_options() {
    // api/krusty/generatoroptions_test.go: TestSecretGenerator, TestGeneratorOptionsWithBases and
    // TestGeneratorOptionsOverlayDisableNameSuffixHash.
    let c = ctx(&[
        ("kustomization.yaml", &k("secretGenerator:\n- name: bob\n  literals:\n  - FRUIT=apple\n  - VEGETABLE=carrot\n  files:\n  - foo.env\n  - passphrase=phrase.dat\n  envs:\n  - foo.env\n")),
        ("foo.env", "\nMOUNTAIN=everest\nOCEAN=pacific\n"),
        ("phrase.dat", "dat phrase"),
    ]);
    assert_eq!(
        build(&c, ".").unwrap(),
        "apiVersion: v1\ndata:\n  FRUIT: YXBwbGU=\n  MOUNTAIN: ZXZlcmVzdA==\n  OCEAN: cGFjaWZpYw==\n  VEGETABLE: Y2Fycm90\n  foo.env: Ck1PVU5UQUlOPWV2ZXJlc3QKT0NFQU49cGFjaWZpYwo=\n  passphrase: ZGF0IHBocmFzZQ==\nkind: Secret\nmetadata:\n  name: bob-bh645k7tmg\ntype: Opaque\n"
    );
    let c = ctx(&[
        ("base/kustomization.yaml", &k("generatorOptions:\n  disableNameSuffixHash: true\n  labels:\n    foo: bar\nconfigMapGenerator:\n- name: shouldNotHaveHash\n  literals:\n  - foo=bar\n")),
        ("overlay/kustomization.yaml", &k("resources:\n- ../base\ngeneratorOptions:\n  disableNameSuffixHash: false\n  labels:\n    fruit: apple\nconfigMapGenerator:\n- name: shouldHaveHash\n  literals:\n  - fruit=apple\nsortOptions:\n  order: fifo\n")),
    ]);
    assert_eq!(
        build(&c, "overlay").unwrap(),
        "apiVersion: v1\ndata:\n  foo: bar\nkind: ConfigMap\nmetadata:\n  labels:\n    foo: bar\n  name: shouldNotHaveHash\n---\napiVersion: v1\ndata:\n  fruit: apple\nkind: ConfigMap\nmetadata:\n  labels:\n    fruit: apple\n  name: shouldHaveHash-c9867f8446\n"
    );
    let c = ctx(&[
        ("base/kustomization.yaml", &k("generatorOptions:\n  disableNameSuffixHash: false\n  labels:\n    foo: bar\nconfigMapGenerator:\n- name: baseShouldHaveHashButOverlayShouldNot\n  literals:\n  - foo=bar\n")),
        ("overlay/kustomization.yaml", &k("resources:\n- ../base\ngeneratorOptions:\n  disableNameSuffixHash: true\n  labels:\n    fruit: apple\nconfigMapGenerator:\n- name: baseShouldHaveHashButOverlayShouldNot\n  behavior: merge\n  literals:\n  - fruit=apple\n")),
    ]);
    assert_eq!(
        build(&c, "overlay").unwrap(),
        "apiVersion: v1\ndata:\n  foo: bar\n  fruit: apple\nkind: ConfigMap\nmetadata:\n  labels:\n    foo: bar\n    fruit: apple\n  name: baseShouldHaveHashButOverlayShouldNot\n"
    );
}

#[test]
fn secret_type_immutable_and_annotations() {
    let c = ctx(&[(
        "kustomization.yaml",
        "secretGenerator:\n- name: tls\n  type: kubernetes.io/tls\n  literals:\n  - tls.crt=c\n  - tls.key=k\n  options:\n    annotations:\n      note: \"1\"\n    immutable: true\n",
    )]);
    let out = build(&c, ".").unwrap();
    let obj = yaml_obj(&out);
    assert_eq!(obj["type"], "kubernetes.io/tls");
    assert_eq!(obj["immutable"], true);
    assert_eq!(obj["metadata"]["annotations"]["note"], "1");
    assert!(out.contains("    note: \"1\"\n"), "{out}");
    // The hash covers the type.
    let name = obj["metadata"]["name"].as_str().unwrap();
    let mut plain = obj.clone();
    plain.insert("type".into(), Value::String("Opaque".into()));
    plain["metadata"]["name"] = Value::String("tls".into());
    assert_ne!(name, format!("tls-{}", content_hash(&plain)));
}

#[test]
fn common_labels_reach_selectors_and_templates_but_labels_only_metadata() {
    // api/krusty/baseandoverlaysmall_test.go, TestSmallBase: a prefix and commonLabels, which also
    // create the Deployment's selector and the Service's selector entries.
    let c = ctx(&[
        ("base/kustomization.yaml", &k("namePrefix: a-\ncommonLabels:\n  app: myApp\nresources:\n- deployment.yaml\n- service.yaml\nsortOptions:\n  order: fifo\n")),
        ("base/service.yaml", "\napiVersion: v1\nkind: Service\nmetadata:\n  name: myService\nspec:\n  selector:\n    backend: bungie\n  ports:\n    - port: 7002\n"),
        ("base/deployment.yaml", "\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: myDeployment\nspec:\n  template:\n    metadata:\n      labels:\n        backend: awesome\n    spec:\n      containers:\n      - name: whatever\n        image: whatever\n"),
    ]);
    let built = build_with_warnings(&c, "base").unwrap();
    assert_eq!(
        built.yaml,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: myApp\n  name: a-myDeployment\nspec:\n  selector:\n    matchLabels:\n      app: myApp\n  template:\n    metadata:\n      labels:\n        app: myApp\n        backend: awesome\n    spec:\n      containers:\n      - image: whatever\n        name: whatever\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: myApp\n  name: a-myService\nspec:\n  ports:\n  - port: 7002\n  selector:\n    app: myApp\n    backend: bungie\n"
    );
    assert_eq!(
        built.warnings,
        ["# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically."]
    );
    // `labels` without includeSelectors: metadata only; with includeTemplates: the pod template too.
    let mut c = c;
    c.files.insert(
        "base/kustomization.yaml".into(),
        "labels:\n- pairs:\n    env: prod\n- pairs:\n    team: web\n  includeTemplates: true\nresources:\n- deployment.yaml\n- service.yaml\n".into(),
    );
    let built = build_with_warnings(&c, "base").unwrap();
    assert!(built.warnings.is_empty());
    let docs: Vec<Map<String, Value>> = built.yaml.split("---\n").map(yaml_obj).collect();
    let (svc, deploy) = (&docs[0], &docs[1]);
    assert_eq!(
        svc["metadata"]["labels"],
        serde_json::json!({"env": "prod", "team": "web"})
    );
    assert_eq!(
        svc["spec"]["selector"],
        serde_json::json!({"backend": "bungie"})
    );
    assert!(deploy["spec"].get("selector").is_none());
    assert_eq!(
        deploy["spec"]["template"]["metadata"]["labels"],
        serde_json::json!({"backend": "awesome", "team": "web"})
    );
}

#[test]
fn a_service_without_a_selector_gets_one_from_common_labels() {
    let c = ctx(&[
        (
            "kustomization.yaml",
            "commonLabels:\n  app: web\nresources:\n- s.yaml\n",
        ),
        (
            "s.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  clusterIP: None\n",
        ),
    ]);
    let obj = yaml_obj(&build(&c, ".").unwrap());
    assert_eq!(obj["spec"]["selector"], serde_json::json!({"app": "web"}));
}

#[test]
fn prefixes_suffixes_and_namespaces_follow_every_reference() {
    let c = ctx(&[
        (
            "kustomization.yaml",
            "namespace: shop\nnamePrefix: dev-\nnameSuffix: -v2\nresources:\n- app.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - color=blue\n",
        ),
        (
            "app.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  template:\n    spec:\n      serviceAccountName: builder\n      containers:\n      - name: nginx\n        image: nginx\n        envFrom:\n        - configMapRef:\n            name: settings\n        - secretRef:\n            name: not-in-this-build\n      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: data\n      - name: cfg\n        configMap:\n          name: settings\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n",
        ),
    ]);
    let out = build(&c, ".").unwrap();
    let docs: Vec<Map<String, Value>> = out.split("---\n").map(yaml_obj).collect();
    let names: Vec<&str> = docs
        .iter()
        .map(|d| d["metadata"]["name"].as_str().unwrap())
        .collect();
    let cm = names
        .iter()
        .find(|n| n.starts_with("dev-settings-v2-"))
        .unwrap()
        .to_string();
    assert_eq!(cm.len(), "dev-settings-v2-".len() + 10);
    assert_eq!(
        names,
        [
            "dev-builder-v2",
            &cm,
            "dev-nginx-v2",
            "dev-data-v2",
            "dev-web-v2"
        ]
    );
    assert!(docs.iter().all(|d| d["metadata"]["namespace"] == "shop"));
    let sts = &docs[4]["spec"];
    assert_eq!(sts["serviceName"], "dev-nginx-v2");
    let pod = &sts["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], "dev-builder-v2");
    assert_eq!(
        pod["containers"][0]["envFrom"][0]["configMapRef"]["name"],
        cm.as_str()
    );
    // A reference to something the build does not make is left alone.
    assert_eq!(
        pod["containers"][0]["envFrom"][1]["secretRef"]["name"],
        "not-in-this-build"
    );
    assert_eq!(
        pod["volumes"][0]["persistentVolumeClaim"]["claimName"],
        "dev-data-v2"
    );
    assert_eq!(pod["volumes"][1]["configMap"]["name"], cm.as_str());
}

#[test]
fn overlay_prefixes_stack_on_base_prefixes() {
    // api/krusty/baseandoverlaysmall_test.go, TestTinyOverlay (without its patch).
    let c = ctx(&[
        ("base/kustomization.yaml", &k("namePrefix: a-\nresources:\n- deployment.yaml\n")),
        ("base/deployment.yaml", "\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: myDeployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: whatever\n"),
        ("overlay/kustomization.yaml", &k("namePrefix: b-\nresources:\n- ../base\n")),
    ]);
    assert_eq!(
        build(&c, "overlay").unwrap(),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b-a-myDeployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: whatever\n"
    );
}

#[test]
fn images_replicas_and_annotations() {
    let c = ctx(&[
        (
            "kustomization.yaml",
            "resources:\n- d.yaml\nimages:\n- name: nginx\n  newTag: 1.27.0\n- name: busybox\n  newName: registry.example.com/busybox\n  digest: sha256:24b4\nreplicas:\n- name: web\n  count: 3\ncommonAnnotations:\n  owner: team-a\n",
        ),
        (
            "d.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: init\n        image: busybox:1.36\n      containers:\n      - name: web\n        image: nginx:1.14.2\n      - name: sidecar\n        image: nginx-exporter\n",
        ),
    ]);
    let obj = yaml_obj(&build(&c, ".").unwrap());
    let pod = &obj["spec"]["template"]["spec"];
    assert_eq!(pod["containers"][0]["image"], "nginx:1.27.0");
    assert_eq!(pod["containers"][1]["image"], "nginx-exporter");
    assert_eq!(
        pod["initContainers"][0]["image"],
        "registry.example.com/busybox@sha256:24b4"
    );
    assert_eq!(obj["spec"]["replicas"], 3);
    assert_eq!(obj["metadata"]["annotations"]["owner"], "team-a");
    assert_eq!(
        obj["spec"]["template"]["metadata"]["annotations"]["owner"],
        "team-a"
    );
    assert_eq!(
        split_image("localhost:5000/app:v1"),
        ("localhost:5000/app".into(), "v1".into(), String::new())
    );
    assert!(image_matches("nginx@sha256:abc", "nginx"));
    assert!(!image_matches("nginx-exporter:1", "nginx"));
    let c = ctx(&[
        (
            "kustomization.yaml",
            "resources:\n- d.yaml\nreplicas:\n- name: nope\n  count: 3\n",
        ),
        (
            "d.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        ),
    ]);
    assert_eq!(
        build(&c, ".").unwrap_err(),
        "error: resource with name nope does not match a config with the following GVK [Deployment.[noVer].[noGrp] ReplicationController.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] StatefulSet.[noVer].[noGrp]]"
    );
}

#[test]
fn a_missing_kustomization_names_the_absolute_directory() {
    let c = ctx(&[("app/web.yaml", "kind: x\n")]);
    let e = "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/home/student/app'";
    assert_eq!(build(&c, "app").unwrap_err(), e);
    assert_eq!(build(&c, "./app/").unwrap_err(), e);
    let mut c = c;
    c.cwd = "app".into();
    assert_eq!(build(&c, ".").unwrap_err(), e);
    assert_eq!(
        build(&c, "nowhere").unwrap_err(),
        "error: must build at directory: not a valid directory: evalsymlink failure on 'nowhere' : lstat /home/student/app/nowhere: no such file or directory"
    );
    assert_eq!(
        build(&c, "web.yaml").unwrap_err(),
        "error: must build at directory: 'web.yaml': file is not directory"
    );
    let c = ctx(&[
        ("kustomization.yaml", "resources: []\n"),
        ("Kustomization", "resources: []\n"),
    ]);
    assert_eq!(
        build(&c, ".").unwrap_err(),
        "error: Found multiple kustomization files under: /home/student\n"
    );
}

#[test]
fn a_missing_resource_file_is_reported_as_kustomize_reports_it() {
    let c = ctx(&[(
        "kustomization.yaml",
        "resources:\n- mysql-deployment.yaml\n",
    )]);
    assert_eq!(
        build(&c, ".").unwrap_err(),
        "error: accumulating resources: accumulation err='accumulating resources from 'mysql-deployment.yaml': evalsymlink failure on '/home/student/mysql-deployment.yaml' : lstat /home/student/mysql-deployment.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/home/student/mysql-deployment.yaml' : lstat /home/student/mysql-deployment.yaml: no such file or directory"
    );
    // A sub-directory without a kustomization.
    let c = ctx(&[
        ("kustomization.yaml", "resources:\n- base\n"),
        ("base/a.yaml", "x: 1\n"),
    ]);
    assert_eq!(
        build(&c, ".").unwrap_err(),
        "error: accumulating resources: accumulation err='accumulating resources from 'base': '/home/student/base' must resolve to a file': couldn't make target for path '/home/student/base': unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/home/student/base'"
    );
    // A generator file outside the kustomization's directory.
    let c = ctx(&[
        (
            "app/kustomization.yaml",
            "configMapGenerator:\n- name: c\n  files:\n  - ../secret.txt\n",
        ),
        ("secret.txt", "x"),
    ]);
    assert_eq!(
        build(&c, "app").unwrap_err(),
        "error: loading KV pairs: file sources: [../secret.txt]: security; file '/home/student/secret.txt' is not in or below '/home/student/app'"
    );
    // The same object twice.
    let c = ctx(&[
        ("kustomization.yaml", "resources:\n- a.yaml\n- b.yaml\n"),
        (
            "a.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        ),
        (
            "b.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        ),
    ]);
    assert_eq!(
        build(&c, ".").unwrap_err(),
        "error: accumulating resources: accumulation err='merging resources from 'b.yaml': may not add resource with an already registered id: ConfigMap.v1.[noGrp]/c.[noNs]': must build at directory: '/home/student/b.yaml': file is not directory"
    );
    // A base that includes its overlay.
    let c = ctx(&[
        ("overlay/kustomization.yaml", "resources:\n- ../base\n"),
        ("base/kustomization.yaml", "resources:\n- ../overlay\n"),
    ]);
    assert!(build(&c, "overlay")
        .unwrap_err()
        .ends_with("cycle detected: candidate root '/home/student/overlay' contains visited root '/home/student/overlay'"));
}

#[test]
fn bad_yaml_names_the_file_and_the_line_go_yaml_names() {
    // Each expectation was printed by kubectl 1.32 (kustomize v5.5) for the same files.
    let err = |resource: &str| {
        build(
            &ctx(&[
                ("kustomization.yaml", "resources:\n- r.yaml\n"),
                ("r.yaml", resource),
            ]),
            ".",
        )
        .unwrap_err()
    };
    let malformed = |line: usize, problem: &str| {
        format!("error: accumulating resources: accumulating resources from 'r.yaml': MalformedYAMLError: yaml: line {line}: {problem} in File: r.yaml")
    };
    // A scanner error: the line itself.
    assert_eq!(
        err("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n   labels: x\n"),
        malformed(5, "mapping values are not allowed in this context")
    );
    assert_eq!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n\tk: v\n"),
        malformed(6, "found character that cannot start any token")
    );
    // Parser errors: go-yaml v3 names the mapping being parsed (0-based), or the line before.
    assert_eq!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n bad: y\n"),
        malformed(4, "did not find expected key")
    );
    assert_eq!(
        err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n   ports:\n    - containerPort: 80\n"),
        malformed(5, "did not find expected key")
    );
    assert_eq!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"x\ndata:\n  k: v\n"),
        malformed(4, "found unexpected end of stream")
    );
    assert_eq!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: [a, b\n"),
        malformed(5, "did not find expected ',' or ']'")
    );
    // In a later document, lines count from the top of the file.
    assert_eq!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n   labels: x\n"),
        malformed(10, "mapping values are not allowed in this context")
    );
    // A repeated key is reported bare.
    assert_eq!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n"),
        "error: map[string]interface {}(nil): yaml: unmarshal errors:\n  line 5: mapping key \"name\" already defined at line 4"
    );
    assert_eq!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    app: x\n"),
        "error: accumulating resources: accumulation err='accumulating resources from 'r.yaml': missing metadata.name in object {{v1 ConfigMap} {{ } map[app:x] map[]}}': must build at directory: '/home/student/r.yaml': file is not directory"
    );
    assert_eq!(
        err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n- a\n- b\n"),
        "error: accumulating resources: accumulation err='accumulating resources from 'r.yaml': missing Resource metadata': must build at directory: '/home/student/r.yaml': file is not directory"
    );
    // The kustomization itself is read by go-yaml v2, which counts parser errors from 0.
    let c = ctx(&[("kustomization.yaml", "resources:\n  - a.yaml\n bad: [\n")]);
    assert_eq!(
        build(&c, ".").unwrap_err(),
        "error: invalid Kustomization: yaml: line 2: did not find expected key"
    );
    // go-yaml v3 reads `yes` in a resource as a string; it comes out quoted.
    let c = ctx(&[
        ("kustomization.yaml", "resources:\n- r.yaml\n"),
        (
            "r.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  on: yes\n",
        ),
    ]);
    assert!(build(&c, ".").unwrap().contains("  \"on\": \"yes\"\n"));
}

#[test]
fn components_build_alone_but_not_as_resources() {
    let c = ctx(&[
        ("kustomization.yaml", "resources:\n- comp\n"),
        ("comp/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n- name: c\n"),
    ]);
    assert_eq!(
        build(&c, "comp").unwrap(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-6ct58987ht\n"
    );
    assert_eq!(
        build(&c, ".").unwrap_err(),
        "error: accumulating resources: accumulation err='accumulating resources from 'comp': '/home/student/comp' must resolve to a file': expected kind != 'Component' for path '/home/student/comp'"
    );
}

#[test]
fn unknown_and_mistyped_fields_are_kustomizes_errors() {
    let err = |text: &str| build(&ctx(&[("kustomization.yaml", text)]), ".").unwrap_err();
    assert_eq!(
        err("resource:\n- a.yaml\n"),
        "error: invalid Kustomization: json: unknown field \"resource\""
    );
    assert_eq!(
        err("secretGenerator:\n- name: s\n  literal:\n  - a=b\n"),
        "error: invalid Kustomization: json: unknown field \"literal\""
    );
    assert_eq!(
        err("resources: a.yaml\n"),
        "error: invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.resources of type []string"
    );
    assert_eq!(
        err("commonLabels:\n  version: 1\n"),
        "error: invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.commonLabels of type string"
    );
    assert_eq!(
        err("secretGenerator:\n- name: s\n  literals: a=b\n"),
        "error: invalid Kustomization: json: cannot unmarshal string into Go struct field SecretArgs.secretGenerator.literals of type []string"
    );
    assert_eq!(err("# nothing yet\n"), "error: kustomization.yaml is empty");
    assert_eq!(
        err("kind: Deployment\nresources: []\n"),
        "error: Failed to read kustomization file under /home/student:\nkind should be Kustomization or Component"
    );
    assert_eq!(
        err("secretGenerator:\n- name: s\n  literals:\n  - password\n"),
        "error: loading KV pairs: literal sources [password]: invalid literal source password, expected key=value"
    );
    assert_eq!(
        err("configMapGenerator:\n- name: c\n  literals:\n  - a=1\n  - a=2\n"),
        "error: configmap c illegally repeats the key `a`"
    );
    assert_eq!(
        err("patches:\n- path: p.yaml\n"),
        "error: the kustomization field 'patches' is not available in this playground yet"
    );
    // Go matches field names without regard to case.
    let c = ctx(&[
        ("kustomization.yaml", "Resources:\n- a.yaml\n"),
        (
            "a.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        ),
    ]);
    assert!(build(&c, ".").is_ok());
}

#[test]
fn literal_and_env_parsing() {
    assert_eq!(
        parse_literal("a=\"b c\"").unwrap(),
        ("a".into(), "b c".into())
    );
    assert_eq!(
        parse_literal("a='x=y'").unwrap(),
        ("a".into(), "x=y".into())
    );
    assert_eq!(
        parse_literal("a=\"b'").unwrap(),
        ("a".into(), "\"b'".into())
    );
    assert!(parse_literal("=b").is_err());
    assert_eq!(
        parse_file_source("conf/app.properties").unwrap(),
        ("app.properties".into(), "conf/app.properties".into())
    );
    assert_eq!(
        parse_file_source("k=conf/a").unwrap(),
        ("k".into(), "conf/a".into())
    );
    assert!(parse_file_source("a=b=c").is_err());
    assert_eq!(
        env_pairs("\u{feff}A=1\r\n# c\n  B=x=y\nC\n\n"),
        [
            ("A".into(), "1".into()),
            ("B".into(), "x=y".into()),
            ("C".into(), String::new())
        ]
    );
    let long = base64_lines(&[b'x'; 60]);
    assert_eq!(long.lines().map(str::len).collect::<Vec<_>>(), [70, 10]);
    assert!(long.ends_with('\n'));
    assert!(!base64_lines(b"short").contains('\n'));
}
