//! What kubectl writes, on which stream and in which order, as a terminal shows it (issue #12): stdout and
//! stderr interleave in the order kubectl writes them; the API server's deprecation warnings, klog's
//! deprecation lines and kubectl's own warnings come where kubectl prints them; the `create` generators and
//! YAML errors word things as kubectl 1.34/1.35 does. Each test names the upstream source it follows
//! (kubernetes/kubectl at v0.34/v0.35, cli-runtime, apimachinery, sigs.k8s.io/yaml).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ordinal_engine::model::Pod;
use ordinal_engine::Cluster;
use ordinal_kubectl::exec::ATTACH_NOTES;
use ordinal_sh::Stream;
use ordinal_term::terminal::Terminal;

/// A terminal as the transcript runner has it, with web.yaml in the home directory and the set running.
fn running() -> (Cluster, Terminal) {
    let mut c = cluster();
    let mut t = Terminal::default();
    t.ctx.files.insert("web.yaml".into(), WEB_YAML.into());
    let p = t.run(&mut c, "kubectl apply -f web.yaml && sleep 60", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

/// What one line printed, as (stream, text) pieces, neighbours on one stream joined.
fn streams(c: &mut Cluster, t: &mut Terminal, line: &str) -> Vec<(Stream, String)> {
    let mut out: Vec<(Stream, String)> = Vec::new();
    t.run_streaming(c, line, &[], &mut |stream, text| match out.last_mut() {
        Some((s, last)) if *s == stream => last.push_str(text),
        _ if text.is_empty() => {}
        _ => out.push((stream, text.to_string())),
    });
    out
}

fn text(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

fn node_of(c: &Cluster, pod: &str) -> String {
    c.store()
        .get_typed::<Pod>("default", pod)
        .and_then(|p| p.spec.node_name.clone())
        .expect("the pod is scheduled")
}

// ---- 1. the order of stdout and stderr ----

/// kubectl pkg/cmd/drain/drain.go `RunDrain`: every node is cordoned first (stdout), then for each node
/// `deleteOrEvictPodsSimple` prints the pod list's warnings (stderr, WarningPrinter), pkg/drain prints
/// `evicting pod …` and, as each pod goes, `pod/… evicted`, then `node/… drained`.
#[test]
fn drain_cordons_then_warns_then_evicts() {
    let (mut c, mut t) = running();
    let node = node_of(&c, "web-0");
    let printed = streams(
        &mut c,
        &mut t,
        &format!("kubectl drain {node} --ignore-daemonsets"),
    );
    assert_eq!(printed.len(), 3, "{printed:?}");
    assert_eq!(
        printed[0],
        (Stream::Stdout, format!("node/{node} cordoned\n"))
    );
    assert_eq!(printed[1].0, Stream::Stderr);
    assert!(
        printed[1]
            .1
            .starts_with("Warning: ignoring DaemonSet-managed Pods: kube-system/kindnet-"),
        "{printed:?}"
    );
    assert_eq!(
        printed[2],
        (
            Stream::Stdout,
            format!("evicting pod default/web-0\npod/web-0 evicted\nnode/{node} drained\n")
        )
    );
    // A pipe takes kubectl's stdout alone; its stderr goes straight to the terminal, before what the next
    // command in the pipe prints.
    let other = node_of(&c, "web-1");
    let printed = streams(
        &mut c,
        &mut t,
        &format!("kubectl drain {other} --ignore-daemonsets | grep evict"),
    );
    assert_eq!(printed.len(), 2, "{printed:?}");
    assert_eq!(printed[0].0, Stream::Stderr);
    assert!(printed[0]
        .1
        .starts_with("Warning: ignoring DaemonSet-managed Pods"));
    assert_eq!(printed[1].0, Stream::Stdout);
    assert!(
        printed[1].1.contains("evicting pod default/web-1\n"),
        "{printed:?}"
    );
    assert!(
        printed[1].1.lines().all(|l| l.contains("evict")),
        "{printed:?}"
    );
}

/// What a command in a container writes reaches kubectl exec's stdout and stderr as it writes it.
#[test]
fn exec_interleaves_the_commands_streams() {
    let (mut c, mut t) = running();
    let printed = streams(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo a; echo b >&2; echo c; ls /nope; echo d'",
    );
    assert_eq!(
        printed,
        [
            (Stream::Stdout, "a\n".to_string()),
            (Stream::Stderr, "b\n".to_string()),
            (Stream::Stdout, "c\n".to_string()),
            (
                Stream::Stderr,
                "ls: cannot access '/nope': No such file or directory\n".to_string()
            ),
            (Stream::Stdout, "d\n".to_string()),
        ]
    );
}

/// The text tools inside a container write their messages where they meet the trouble, between what they
/// print before and after: GNU `error()` flushes stdout before it writes (printf, cut), xargs's commands
/// write as they run, awk's `system()` runs its command in the middle of the program (mawk's `bi_system`
/// calls `flush_all_output` first), tee opens every file before it copies (tee.c `tee_files`), and ls looks
/// every operand up before it lists any (ls.c `main`: `gobble_file` for each argument, then `sort_files`,
/// the files, and `print_dir` for each directory, a blank line before all but the first thing printed).
#[test]
fn the_text_tools_write_their_messages_where_they_happen() {
    let (mut c, mut t) = running();
    let out = |s: &str| (Stream::Stdout, s.to_string());
    let err = |s: &str| (Stream::Stderr, s.to_string());
    let missing = "ls: cannot access '/nope': No such file or directory\n";
    assert_eq!(
        streams(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- printf '%d %d\\n' 1 x"
        ),
        [
            out("1 "),
            err("printf: x: invalid number\n"),
            out("0\n"),
            err("command terminated with exit code 1\n"),
        ]
    );
    assert_eq!(
        streams(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- sh -c 'cut -f1 /etc/hostname /nope /etc/hostname'"
        ),
        [
            out("web-0\n"),
            err("cut: /nope: No such file or directory\n"),
            out("web-0\n"),
            err("command terminated with exit code 1\n"),
        ]
    );
    assert_eq!(
        streams(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- sh -c 'echo /etc/hostname /nope /etc/hostname | xargs -n1 ls'"
        ),
        [
            out("/etc/hostname\n"),
            err(missing),
            out("/etc/hostname\n"),
            err("command terminated with exit code 123\n"),
        ]
    );
    assert_eq!(
        streams(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- awk 'BEGIN { print \"a\"; system(\"ls /nope\"); print \"b\" }'"
        ),
        [out("a\n"), err(missing), out("b\n")]
    );
    assert_eq!(
        streams(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- sh -c 'echo hi | tee /nope/f'"
        ),
        [
            err("tee: /nope/f: No such file or directory\n"),
            out("hi\n"),
            err("command terminated with exit code 1\n"),
        ]
    );
    assert_eq!(
        streams(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- ls /usr/share/nginx /nope /etc/hostname"
        ),
        [
            err(missing),
            out("/etc/hostname\n\n/usr/share/nginx:\nhtml\n"),
            err("command terminated with exit code 2\n"),
        ]
    );
    assert_eq!(
        streams(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- ls /nope /usr/share/nginx"
        ),
        [
            err(missing),
            out("/usr/share/nginx:\nhtml\n"),
            err("command terminated with exit code 2\n"),
        ]
    );
}

/// kubectl pkg/cmd/get/get.go `Run`/`printGeneric`: what was found is printed, then the builder's errors
/// (CheckErr on the aggregate). With --ignore-not-found and nothing found, a generic printer prints
/// nothing at all (no empty List); a single missing name prints only its error.
#[test]
fn get_prints_what_it_found_before_what_it_did_not() {
    let (mut c, mut t) = running();
    let printed = streams(&mut c, &mut t, "kubectl get sts nope web -o name");
    assert_eq!(
        printed,
        [
            (Stream::Stdout, "statefulset.apps/web\n".to_string()),
            (
                Stream::Stderr,
                "Error from server (NotFound): statefulsets.apps \"nope\" not found\n".to_string()
            ),
        ]
    );
    for format in ["yaml", "json", "jsonpath={.items}", "name"] {
        let p = t.run(
            &mut c,
            &format!("kubectl get sts nope1 nope2 --ignore-not-found -o {format}"),
            &[],
        );
        assert_eq!((p.text.as_str(), p.status), ("", 0), "-o {format}");
    }
    for format in [
        "jsonpath={.spec.replicas}",
        "go-template={{.spec.replicas}}",
        "yaml",
        "custom-columns=N:.metadata.name",
    ] {
        assert_eq!(
            text(&mut c, &mut t, &format!("kubectl get sts nope -o {format}")),
            "Error from server (NotFound): statefulsets.apps \"nope\" not found\n",
            "-o {format}"
        );
    }
}

/// kubectl pkg/cmd/delete/delete.go: `DeleteResult` says `No resources found` on stdout when the selection
/// is empty, and warns once (WarningPrinter) before the first cluster-scoped object when a namespace was
/// given with -n (`WarnClusterScope`); `PrintObj` adds the dry-run suffix.
#[test]
fn delete_says_what_it_deletes_where_kubectl_does() {
    let (mut c, mut t) = running();
    let printed = streams(&mut c, &mut t, "kubectl delete pods -l app=nothing");
    assert_eq!(
        printed,
        [(Stream::Stdout, "No resources found\n".to_string())]
    );
    let pv = text(
        &mut c,
        &mut t,
        "kubectl get pv -o jsonpath='{.items[0].metadata.name}'",
    );
    let printed = streams(
        &mut c,
        &mut t,
        &format!("kubectl delete pv {pv} -n default --dry-run=client"),
    );
    assert_eq!(
        printed,
        [
            (
                Stream::Stderr,
                "Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n"
                    .to_string()
            ),
            (
                Stream::Stdout,
                format!("persistentvolume \"{pv}\" deleted (dry run)\n")
            ),
        ]
    );
    assert_eq!(
        text(&mut c, &mut t, "kubectl delete pod web-0 --dry-run=client"),
        "pod \"web-0\" deleted from default namespace (dry run)\n"
    );
    assert!(c.store().get_typed::<Pod>("default", "web-0").is_some());
}

// ---- 2. the API server's warnings ----

/// apiserver deprecation.WarningMessage for core/v1 Endpoints (APILifecycleDeprecated 1.33, replaced by
/// discovery.k8s.io/v1 EndpointSlice, KEP-4974): every request on endpoints is answered with the warning,
/// which kubectl's deduplicating warning writer (cmd.go `rest.NewWarningWriter`) prints once, on stderr,
/// before what it lists. `--warnings-as-errors` then fails the command (cmd.go PersistentPostRunE).
#[test]
fn endpoints_are_deprecated_for_every_command_that_touches_them() {
    let (mut c, mut t) = running();
    const WARNING: &str =
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";
    for line in [
        "kubectl get endpoints",
        "kubectl get svc,ep",
        "kubectl get ep nginx -o name",
        "kubectl describe endpoints nginx",
        "kubectl label ep nginx tier=web",
        "kubectl delete ep nope",
    ] {
        let printed = streams(&mut c, &mut t, line);
        assert_eq!(printed[0].0, Stream::Stderr, "{line}: {printed:?}");
        assert!(printed[0].1.starts_with(WARNING), "{line}: {printed:?}");
        assert_eq!(
            printed
                .iter()
                .filter(|(_, s)| s.contains("deprecated"))
                .count(),
            1,
            "{line}: once"
        );
    }
    // A Service (through EndpointSlices, since kubectl 1.28) warns of nothing.
    assert!(!text(&mut c, &mut t, "kubectl describe svc nginx").contains("Warning"));
    let p = t.run(&mut c, "kubectl get ep --warnings-as-errors", &[]);
    assert!(
        p.text.ends_with("error: 1 warning received\n"),
        "{}",
        p.text
    );
    assert_eq!(p.status, 1);
}

/// kubectl pkg/cmd/apply/apply.go `applyOneObject`: a live object without the last-applied annotation
/// (made by `create` without --save-config) is warned about (`warningNoLastAppliedConfigAnnotation`, named
/// by cli-runtime's `Info.ObjectName`: resource plural/name) before it is patched; the patch adds the
/// annotation, so the next apply is quiet.
#[test]
fn apply_after_create_warns_about_the_missing_annotation() {
    let mut c = cluster();
    let mut t = Terminal::default();
    t.ctx.files.insert(
        "svc.yaml".into(),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-svc\nspec:\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n"
            .into(),
    );
    assert_eq!(
        text(&mut c, &mut t, "kubectl create -f svc.yaml"),
        "service/nginx-svc created\n"
    );
    let printed = streams(&mut c, &mut t, "kubectl apply -f svc.yaml");
    assert_eq!(
        printed,
        [
            (Stream::Stderr, "Warning: resource services/nginx-svc is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n".to_string()),
            (Stream::Stdout, "service/nginx-svc configured\n".to_string()),
        ]
    );
    assert_eq!(
        text(&mut c, &mut t, "kubectl apply -f svc.yaml"),
        "service/nginx-svc unchanged\n"
    );
    // A generator with --save-config records the annotation, so apply finds it.
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create deployment hello --image=nginx --save-config"
        ),
        "deployment.apps/hello created\n"
    );
    let annotated = text(
        &mut c,
        &mut t,
        "kubectl get deploy hello -o jsonpath='{.metadata.annotations}'",
    );
    assert!(
        annotated.contains("kubectl.kubernetes.io/last-applied-configuration"),
        "{annotated}"
    );
}

// ---- 3. klog: a bare --dry-run ----

/// kubectl pkg/cmd/util/helpers.go `GetDryRunStrategy`: `--dry-run` alone (NoOptDefVal `unchanged`) and a
/// boolean still work, and klog warns that they are deprecated (its text header: severity, MMDD, time with
/// microseconds, pid in seven columns, file:line of v1.34.1's helpers.go).
#[test]
fn a_bare_or_boolean_dry_run_is_logged_as_deprecated() {
    let (mut c, mut t) = running();
    let printed = streams(
        &mut c,
        &mut t,
        "kubectl scale sts web --replicas=3 --dry-run",
    );
    assert_eq!(printed.len(), 2, "{printed:?}");
    assert_eq!(printed[0].0, Stream::Stderr);
    let log = &printed[0].1;
    assert!(log.starts_with("W0105 09:01:00.000000 "), "{log}");
    assert!(
        log.ends_with(
            " helpers.go:731] --dry-run is deprecated and can be replaced with --dry-run=client.\n"
        ),
        "{log}"
    );
    assert_eq!(
        printed[1],
        (
            Stream::Stdout,
            "statefulset.apps/web scaled (dry run)\n".to_string()
        )
    );
    let out = text(&mut c, &mut t, "kubectl apply -f web.yaml --dry-run=false");
    assert!(out.contains("helpers.go:748] --dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.\n"), "{out}");
    assert!(out.ends_with("statefulset.apps/web unchanged\n"), "{out}");
    let out = text(&mut c, &mut t, "kubectl delete pod web-0 --dry-run=true");
    assert!(out.contains("helpers.go:745] --dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.\n"), "{out}");
    assert!(out.ends_with("(dry run)\n"), "{out}");
}

// ---- 4. kubectl attach ----

/// kubectl pkg/cmd/attach/attach.go `Run` (v0.34+): unless -q, both notes whether or not -i/-t were given;
/// -t on a container without a terminal is refused first ("Unable to use a TTY - container … did not
/// allocate one"); podcmd refuses a -c that names no container, before anything is sent.
#[test]
fn attach_notes_follow_attach_go() {
    let (mut c, mut t) = running();
    assert_eq!(text(&mut c, &mut t, "kubectl attach web-0"), ATTACH_NOTES);
    assert_eq!(
        text(&mut c, &mut t, "kubectl attach web-0 -i"),
        ATTACH_NOTES
    );
    assert_eq!(text(&mut c, &mut t, "kubectl attach web-0 -q"), "");
    let printed = streams(&mut c, &mut t, "kubectl attach web-0 -it");
    assert_eq!(
        printed,
        [(
            Stream::Stderr,
            format!(
                "error: Unable to use a TTY - container nginx did not allocate one\n{ATTACH_NOTES}"
            )
        )]
    );
    assert_eq!(
        text(&mut c, &mut t, "kubectl attach web-0 -c nope"),
        "error: cannot attach to the container: container nope not found in pod web-0\n"
    );
}

// ---- 5. kubectl create service and the other generators ----

/// kubectl pkg/cmd/create/create_service.go: `--tcp PORT[:TARGET]` ports named after themselves, the
/// `app: NAME` label and selector, the service type; what `--dry-run=client -o yaml` prints.
#[test]
fn create_service_builds_what_create_service_go_builds() {
    let mut c = cluster();
    let mut t = Terminal::default();
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create service clusterip my-cs --tcp=5678:8080 --dry-run=client -o yaml"
        ),
        "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: my-cs\n  name: my-cs\nspec:\n  ports:\n  - name: 5678-8080\n    port: 5678\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: my-cs\n  type: ClusterIP\nstatus:\n  loadBalancer: {}\n"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create service clusterip headless --clusterip=None --dry-run=client -o jsonpath='{.spec.clusterIP} {.spec.ports}'"
        ),
        "None "
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create service nodeport web --tcp=80:http --node-port=30080 -o jsonpath='{range .spec.ports[*]}{.name}/{.port}/{.targetPort}/{.nodePort} {end}{.spec.type}'"
        ),
        "80-http/80/http/30080 NodePort"
    );
    // --node-port goes on every port, which the API server refuses for a second one; the generator wraps
    // the status message.
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create service nodeport two --tcp=80,443 --node-port=30081"
        ),
        "error: failed to create NodePort service: Service \"two\" is invalid: spec.ports[1].nodePort: Duplicate value: 30081\n"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create svc loadbalancer lb --tcp=80"
        ),
        "service/lb created\n"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create service externalname ext --external-name=db.example.com"
        ),
        "service/ext created\n"
    );
    let row = text(&mut c, &mut t, "kubectl get svc ext --no-headers");
    assert!(
        row.starts_with("ext   ExternalName   <none>   db.example.com   <none>"),
        "an ExternalName service has no cluster IP: {row}"
    );
    // Validate, parsePorts and cobra's flag checks.
    for (line, error) in [
        ("kubectl create service clusterip x", "error: at least one tcp port specifier must be provided\n"),
        ("kubectl create service nodeport x --tcp=80 --clusterip=None", "error: unknown flag: --clusterip\nSee 'kubectl create service nodeport --help' for usage.\n"),
        ("kubectl create service externalname x", "error: required flag(s) \"external-name\" not set\n"),
        ("kubectl create service externalname x --external-name=Bad_Name", "error: invalid service external name Bad_Name\n"),
        ("kubectl create service clusterip x --tcp=80:Http", "error: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)\n"),
        ("kubectl create service clusterip x --tcp=99999", "error: strconv.ParseUint: parsing \"99999\": value out of range\n"),
        ("kubectl create service clusterip", "error: exactly one NAME is required, got 0\nSee 'kubectl create service clusterip -h' for help and examples\n"),
        ("kubectl create service clusterip lb --tcp=80", "error: failed to create ClusterIP service: services \"lb\" already exists\n"),
        ("kubectl create service foo", "error: unknown command \"foo\"\nSee 'kubectl create service -h' for help and examples\n"),
    ] {
        let p = t.run(&mut c, line, &[]);
        assert_eq!((p.text.as_str(), p.status), (error, 1), "{line}");
    }
    assert!(text(&mut c, &mut t, "kubectl create service")
        .contains("Available Commands:\n  clusterip      Create a ClusterIP service\n"));
}

/// Each generator has its own flags (create_configmap.go has no --image) and wraps a failed create as it
/// does (`failed to create deployment: …`; create_secret.go without a colon); create_deployment.go puts
/// --port on the first container only and runs the command after `--`; a generic secret's type is left to
/// the API server (core/v1 SetDefaults_Secret: Opaque).
#[test]
fn each_generator_takes_its_own_flags() {
    let mut c = cluster();
    let mut t = Terminal::default();
    assert_eq!(
        text(&mut c, &mut t, "kubectl create configmap cm --image=nginx"),
        "error: unknown flag: --image\nSee 'kubectl create configmap --help' for usage.\n"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create deployment d --image=nginx --image=busybox --port=80 --dry-run=client -o jsonpath='{range .spec.template.spec.containers[*]}{.name}:{.ports} {end}'"
        ),
        "nginx:[{\"containerPort\":80}] busybox: "
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create deployment sleeper --image=busybox -- sleep 3600"
        ),
        "deployment.apps/sleeper created\n"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl get deploy sleeper -o jsonpath='{.spec.template.spec.containers[0].command}'"
        ),
        "[\"sleep\",\"3600\"]"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create deployment sleeper --image=busybox"
        ),
        "error: failed to create deployment: deployments.apps \"sleeper\" already exists\n"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create secret generic s --from-literal=a=b --dry-run=client -o yaml"
        ),
        "apiVersion: v1\ndata:\n  a: Yg==\nkind: Secret\nmetadata:\n  name: s\n"
    );
    text(
        &mut c,
        &mut t,
        "kubectl create secret generic s --from-literal=a=b",
    );
    assert_eq!(
        text(&mut c, &mut t, "kubectl get secret s -o jsonpath='{.type}'"),
        "Opaque"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl create secret generic s --from-literal=a=b"
        ),
        "error: failed to create secret secrets \"s\" already exists\n"
    );
    assert_eq!(
        text(&mut c, &mut t, "kubectl create job j --image=busybox"),
        "error: \"kubectl create job\" is not available in this playground yet\n"
    );
}

// ---- 6. YAML errors ----

/// apimachinery pkg/util/yaml decoder.go `YAMLToJSONDecoder.Decode` hands each `---` document to
/// sigs.k8s.io/yaml (go-yaml v2) on its own, so the line is counted within the document; go-yaml's words
/// for a tab, a missing colon, bad indentation and an unclosed quote. cli-runtime visitor.go
/// `StreamVisitor.Visit` wraps it as `error parsing FILE: …`.
#[test]
fn yaml_errors_count_lines_within_their_document() {
    let mut c = cluster();
    let mut t = Terminal::default();
    let first = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n";
    for (second, error) in [
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: b\n",
            "yaml: line 4: found character that cannot start any token",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata\n  name: b\n",
            "yaml: line 4: could not find expected ':'",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n   labels: {}\n",
            "yaml: line 5: mapping values are not allowed in this context",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: b\n  labels: {}\n",
            "yaml: line 4: did not find expected key",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"b\ndata:\n  x: y\n",
            "yaml: line 7: found unexpected end of stream",
        ),
    ] {
        t.ctx
            .files
            .insert("two.yaml".into(), format!("{first}{second}"));
        let p = t.run(&mut c, "kubectl apply -f two.yaml", &[]);
        assert_eq!(
            p.text.lines().last(),
            Some(
                format!("error: error parsing two.yaml: error converting YAML to JSON: {error}")
                    .as_str()
            ),
            "{second}"
        );
        assert_eq!(p.status, 1);
    }
    assert!(c
        .store()
        .list::<ordinal_engine::model::ConfigMap>(Some("default"))
        .any(|m| m.metadata.name == "a"));
}

/// kubectl pkg/validation `getObjectKind` (client-side validation, on by default): a document that is not
/// a mapping is "invalid object to validate", reported by cli-runtime as `error validating "FILE": …`.
#[test]
fn a_document_that_is_not_an_object_fails_validation() {
    let mut c = cluster();
    let mut t = Terminal::default();
    for (name, body) in [("str.yaml", "just a string\n"), ("list.yaml", "- a\n- b\n")] {
        t.ctx.files.insert(name.into(), body.into());
        for verb in ["apply", "create"] {
            assert_eq!(
                text(&mut c, &mut t, &format!("kubectl {verb} -f {name}")),
                format!("error: error validating \"{name}\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false\n")
            );
        }
    }
}

/// client-go's jsonpath takes slices as Go does (parser.go `sliceOperatorRex`, jsonpath.go `evalArray`):
/// negative start and end count from the list's length, a third number is the step, and an index past the
/// end is an error kubectl reports.
#[test]
fn jsonpath_slices_count_from_the_end_and_step() {
    let (mut c, mut t) = running();
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl get pods -o jsonpath='{.items[-1:].metadata.name}'"
        ),
        "web-1"
    );
    assert_eq!(
        text(
            &mut c,
            &mut t,
            "kubectl get pods -o jsonpath='{.items[-1].metadata.name} {.items[:2].metadata.name} {.items[::2].metadata.name}'"
        ),
        "web-1 web-0 web-1 web-0"
    );
    let p = t.run(
        &mut c,
        "kubectl get pods -o jsonpath='{.items[2].metadata.name}'",
        &[],
    );
    assert_eq!(p.status, 1);
    assert!(
        p.text
            .ends_with("array index out of bounds: index 2, length 2\n"),
        "{}",
        p.text
    );
}

/// `kubectl apply` records the manifest as GetModifiedConfiguration makes it: its annotations less this one
/// (an empty map when it had none), in Go's JSON encoding, ending with a newline, so `-o yaml` shows a
/// literal block.
#[test]
fn the_last_applied_configuration_is_kubectls_json_with_its_newline() {
    let (mut c, mut t) = running();
    let yaml = text(&mut c, &mut t, "kubectl get sts web -o yaml");
    assert!(
        yaml.contains("    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"annotations\":{},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{"),
        "{yaml}"
    );
    let raw = text(
        &mut c,
        &mut t,
        r"kubectl get sts web -o jsonpath='{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}'",
    );
    assert!(raw.ends_with("}}]}}\n"), "{raw:?}");
    // A manifest's own annotations stay in it; a pasted last-applied one does not.
    t.ctx.files.insert(
        "cm.yaml".into(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\n  annotations:\n    team: a&b\n    kubectl.kubernetes.io/last-applied-configuration: old\ndata:\n  k: <v>\n".into(),
    );
    text(&mut c, &mut t, "kubectl apply -f cm.yaml");
    let raw = text(
        &mut c,
        &mut t,
        r"kubectl get cm conf -o jsonpath='{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}'",
    );
    assert_eq!(
        raw,
        "{\"apiVersion\":\"v1\",\"data\":{\"k\":\"\\u003cv\\u003e\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{\"team\":\"a\\u0026b\"},\"name\":\"conf\",\"namespace\":\"default\"}}\n"
    );
}
