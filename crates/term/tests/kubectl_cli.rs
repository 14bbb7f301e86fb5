//! kubectl's command line as a learner following the seeds and kubernetes.io types it: printers and their
//! paths, watches, global flags anywhere on the line, flag checks, label changes, node commands. Each test
//! names the upstream source (kubernetes/kubectl, pkg/cmd/…, v1.34) whose behaviour it pins.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ordinal_engine::Cluster;
use ordinal_term::terminal::{Printed, Terminal};

/// A terminal as the transcript runner has it, with web.yaml in the home directory, and the set running.
fn running() -> (Cluster, Terminal) {
    let mut c = cluster();
    let mut t = Terminal::default();
    t.ctx.files.insert("web.yaml".into(), WEB_YAML.into());
    let p = t.run(&mut c, "kubectl apply -f web.yaml && sleep 60", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn run(c: &mut Cluster, t: &mut Terminal, line: &str) -> Printed {
    t.run(c, line, &[])
}

/// Cells of a table line (cells are padded with at least three spaces; `NOMINATED NODE` keeps its one).
fn cells(line: &str) -> Vec<String> {
    line.split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

// ---- 1. custom columns and the paths kubectl relaxes ----

/// get/customcolumn.go `RelaxedJSONPathExpression` and `NewCustomColumnsPrinterFromSpec`: `metadata.name`,
/// `.metadata.name`, `{metadata.name}` and `{.metadata.name}` are the same column; `[*]` values are joined
/// with commas, maps print as Go prints them, and a path that finds nothing is `<none>`. The zh-TW seed types
/// the first form.
#[test]
fn custom_columns_take_the_paths_kubectl_relaxes() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods -l app=nginx -o custom-columns=NAME:metadata.name,IMAGE:spec.containers[0].image",
    );
    assert_eq!(
        p.text,
        "NAME    IMAGE\nweb-0   registry.k8s.io/nginx-slim:0.24\nweb-1   registry.k8s.io/nginx-slim:0.24\n"
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pod web-1 -o custom-columns='A:{.metadata.name},B:{metadata.name},C:.metadata.name,PORTS:spec.containers[*].ports[*].containerPort,X:.status.nope,SEL:.metadata.labels'",
    );
    let lines: Vec<&str> = p.text.lines().collect();
    assert_eq!(cells(lines[0]), ["A", "B", "C", "PORTS", "X", "SEL"]);
    let row = cells(lines[1]);
    assert_eq!(row[..5], ["web-1", "web-1", "web-1", "80", "<none>"]);
    assert!(row[5].starts_with("map[app:nginx "), "{}", p.text);
    // --no-headers drops the header; a spec without a path is refused as kubectl refuses it.
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods -o custom-columns=N:metadata.name --no-headers",
    );
    assert_eq!(p.text, "web-0\nweb-1\n");
    let p = run(&mut c, &mut t, "kubectl get pods -o custom-columns=NAME");
    assert_eq!(
        p.text,
        "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"
    );
    assert_eq!(p.status, 1);
}

/// customcolumn_flags.go: `custom-columns-file=FILE` holds a line of headers and a line of (relaxed) paths.
#[test]
fn custom_columns_can_come_from_a_file() {
    let (mut c, mut t) = running();
    t.ctx.files.insert(
        "cols.txt".into(),
        "NAME          NODE\nmetadata.name {.spec.nodeName}\n".into(),
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods -o custom-columns-file=cols.txt",
    );
    assert_eq!(
        p.text,
        "NAME    NODE\nweb-0   kind-worker\nweb-1   kind-worker2\n"
    );
}

/// get.go's `NewRuntimeSorter` and sorter.go: `--sort-by` relaxes its path too, compares numbers as numbers,
/// and fails when no object has the field.
#[test]
fn sort_by_relaxes_its_path_and_orders_the_rows() {
    let (mut c, mut t) = running();
    run(
        &mut c,
        &mut t,
        "kubectl scale sts web --replicas=3 && sleep 60",
    );
    run(
        &mut c,
        &mut t,
        "kubectl label pod web-0 rank=30 && kubectl label pod web-1 rank=4 && kubectl label pod web-2 rank=200",
    );
    // Creation order, with every spelling of the path.
    for path in [
        "metadata.creationTimestamp",
        ".metadata.creationTimestamp",
        "{.metadata.creationTimestamp}",
    ] {
        let p = run(
            &mut c,
            &mut t,
            &format!("kubectl get pods --sort-by={path} -o name"),
        );
        assert_eq!(p.text, "pod/web-0\npod/web-1\npod/web-2\n", "{path}");
    }
    // Strings that read as quantities compare as quantities (isLess): 4 < 30 < 200.
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods --sort-by=.metadata.labels.rank --no-headers -o custom-columns=N:metadata.name",
    );
    assert_eq!(p.text, "web-1\nweb-0\nweb-2\n");
    // The table is sorted too: by node, web-0 (kind-worker) before web-1 (kind-worker2).
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods --sort-by=.spec.nodeName --no-headers -l 'statefulset.kubernetes.io/pod-name in (web-0,web-1)'",
    );
    let names: Vec<String> = p.text.lines().map(|l| cells(l)[0].clone()).collect();
    assert_eq!(names, ["web-0", "web-1"], "{}", p.text);
    let p = run(&mut c, &mut t, "kubectl get pods --sort-by=.spec.nope");
    assert_eq!(
        p.text,
        "error: couldn't find any field with path \"{.spec.nope}\" in the list of objects\n"
    );
}

// ---- 2. a watch prints every row with the listing's printer ----

/// get.go `watch`: the printer is built once (`o.ToPrinter(mapping, outputObjects, …)`) and prints the listed
/// objects and then every event, so `-o wide -w` rows keep IP and NODE (the MySQL tutorial watches NODE change
/// during a drain).
#[test]
fn a_wide_watch_keeps_the_wide_columns_on_every_row() {
    let (mut c, _) = running();
    let mut t = Terminal::interactive();
    let p = t.run(&mut c, "kubectl get pod web-1 -o wide --watch", &[]);
    let header = cells(p.text.lines().next().unwrap());
    assert_eq!(
        header,
        [
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES"
        ]
    );
    assert!(t.busy());
    // The drain evicts web-1's pod from its node; the watch shows it go and come back.
    let mut other = Terminal::default();
    other.run(&mut c, "kubectl delete pod web-1 --wait=false", &[]);
    c.advance(60_000);
    let rows = t.poll(&mut c);
    let rows: Vec<Vec<String>> = rows.lines().map(cells).collect();
    assert!(rows.len() >= 3, "{rows:?}");
    for row in &rows {
        assert_eq!(row.len(), 9, "every row has the wide columns: {row:?}");
        assert_eq!(row[0], "web-1");
    }
    assert!(rows.iter().any(|r| r[2] == "Terminating"), "{rows:?}");
    assert!(rows
        .iter()
        .any(|r| r[2] == "Running" && r[6].starts_with("kind-worker")));
    t.interrupt(&mut c);
}

/// The same printer for the other formats: `-o name` prints a name per event, custom columns their header once
/// and a row per event, YAML documents after the first start with `---` (cli-runtime's YAMLPrinter).
#[test]
fn a_watch_keeps_every_other_output_format_too() {
    let (mut c, _) = running();
    let mut t = Terminal::interactive();
    let p = t.run(&mut c, "kubectl get pods -o name -w", &[]);
    assert_eq!(p.text, "pod/web-0\npod/web-1\n");
    Terminal::default().run(&mut c, "kubectl delete pod web-0 --wait=false", &[]);
    c.advance(60_000);
    let rows = t.poll(&mut c);
    assert!(!rows.is_empty());
    assert!(rows.lines().all(|l| l == "pod/web-0"), "{rows}");
    t.interrupt(&mut c);

    let p = t.run(
        &mut c,
        "kubectl get pods -o custom-columns=POD:metadata.name,NODE:spec.nodeName --watch",
        &[],
    );
    assert_eq!(
        p.text.lines().next().map(cells),
        Some(vec!["POD".to_string(), "NODE".to_string()])
    );
    Terminal::default().run(&mut c, "kubectl delete pod web-1 --wait=false", &[]);
    c.advance(60_000);
    let rows = t.poll(&mut c);
    assert!(!rows.contains("POD"), "the header is printed once: {rows}");
    assert!(
        rows.lines()
            .all(|l| cells(l)[0] == "web-1" && cells(l).len() == 2),
        "{rows}"
    );
    t.interrupt(&mut c);

    let p = t.run(&mut c, "kubectl get pod web-0 -o yaml -w", &[]);
    assert!(
        p.text.starts_with("apiVersion: v1\nkind: Pod\n"),
        "{}",
        p.text
    );
    Terminal::default().run(&mut c, "kubectl label pod web-0 seen=yes", &[]);
    c.advance(1_000);
    let rows = t.poll(&mut c);
    assert!(
        rows.starts_with("---\napiVersion: v1\nkind: Pod\n"),
        "{rows}"
    );
    assert!(rows.contains("    seen: \"yes\"\n"), "{rows}");
    t.interrupt(&mut c);
}

/// The transcript runner's watch runs the clock itself: its rows are wide too.
#[test]
fn a_wide_watch_in_a_script_is_wide_throughout() {
    let (mut c, mut t) = running();
    run(&mut c, &mut t, "kubectl delete pod web-0 --wait=false");
    let p = run(&mut c, &mut t, "kubectl get pods -o wide -w -l app=nginx");
    let rows: Vec<Vec<String>> = p.text.lines().skip(1).map(cells).collect();
    assert!(rows.len() > 3, "{}", p.text);
    assert!(rows.iter().all(|r| r.len() == 9), "{}", p.text);
}

// ---- 3. rollout status --timeout ----

/// rollout_status.go `Run`: the watch runs under `watchtools.ContextWithOptionalTimeout(…, o.Timeout)`; when it
/// expires UntilWithSync returns `wait.ErrorInterrupted(nil)`, "timed out waiting for the condition", and
/// kubectl exits 1.
#[test]
fn rollout_status_gives_up_at_its_timeout() {
    let (mut c, mut t) = running();
    // An image tag that does not exist: the update never finishes.
    run(
        &mut c,
        &mut t,
        "kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.999",
    );
    let before = c.now();
    let p = run(
        &mut c,
        &mut t,
        "kubectl rollout status sts/web --timeout=20s",
    );
    assert_eq!(p.status, 1, "{}", p.text);
    assert!(
        p.text
            .ends_with("error: timed out waiting for the condition\n"),
        "{}",
        p.text
    );
    assert!(p.text.starts_with("Waiting for "), "{}", p.text);
    assert_eq!(
        c.now().since(before),
        20_000,
        "kubectl waits out its timeout"
    );
    // The status of the last command is what the shell sees.
    let p = run(
        &mut c,
        &mut t,
        "kubectl rollout status sts/web --timeout=5s || echo failed",
    );
    assert!(p.text.ends_with("failed\n"), "{}", p.text);
    // --watch=false prints the status once and ends (exit 0).
    let p = run(
        &mut c,
        &mut t,
        "kubectl rollout status sts/web --watch=false; echo $?",
    );
    assert!(p.text.ends_with("\n0\n"), "{}", p.text);
    assert_eq!(p.text.lines().count(), 2, "{}", p.text);
}

/// The same timeout in the browser: the watch ends when the page's clock passes it, with the error.
#[test]
fn an_interactive_rollout_status_ends_at_its_timeout() {
    let (mut c, mut t) = running();
    run(
        &mut c,
        &mut t,
        "kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.999",
    );
    let mut t = Terminal::interactive();
    t.run(&mut c, "kubectl rollout status sts/web --timeout=30s", &[]);
    assert!(t.busy());
    c.advance(10_000);
    assert!(!t.poll(&mut c).contains("timed out"));
    assert!(t.busy());
    c.advance(25_000);
    let rest = t.poll(&mut c);
    assert!(
        rest.ends_with("error: timed out waiting for the condition\n"),
        "{rest}"
    );
    assert!(!t.busy());
}

// ---- 4. scale's preconditions and the flags it declares ----

/// scale.go `RunScale` and pkg/scale `ScalePrecondition.validate`: `--current-replicas` is checked against
/// the object before anything changes (`Expected replicas to be 3, was 2`, exit 1).
#[test]
fn scale_refuses_when_the_current_replicas_differ() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl scale sts web --current-replicas=3 --replicas=4",
    );
    assert_eq!(
        (p.text.as_str(), p.status),
        ("error: Expected replicas to be 3, was 2\n", 1)
    );
    assert_eq!(sts(&c, "web").spec.replicas, Some(2), "nothing changed");
    let p = run(
        &mut c,
        &mut t,
        "kubectl scale sts web --current-replicas=2 --replicas=3",
    );
    assert_eq!(p.text, "statefulset.apps/web scaled\n");
    assert_eq!(sts(&c, "web").spec.replicas, Some(3));
    // The other preconditions and checks.
    let rv = sts(&c, "web").metadata.resource_version.clone();
    let p = run(
        &mut c,
        &mut t,
        "kubectl scale sts web --resource-version=1 --replicas=1",
    );
    assert_eq!(
        p.text,
        format!("error: Expected resource version to be 1, was {rv}\n")
    );
    assert_eq!(
        run(
            &mut c,
            &mut t,
            "kubectl scale sts web --current-replicas=-2 --replicas=1"
        )
        .text,
        "error: The --current-replicas must specify an integer of -1 or greater\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl scale sts web --replicas=x").text,
        "error: invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl scale --help' for usage.\n"
    );
}

/// scale.go: `--dry-run=client` prints the object it read with `scaled (dry run)` and changes nothing; `-o
/// name` prints only the name; `-l` picks the objects; `-f` reads them from a manifest; `--timeout` waits for
/// the status to reach the size (`WaitForScaleHasDesiredReplicas`) before it prints.
#[test]
fn scale_honours_dry_run_output_selector_file_and_timeout() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl scale sts web --replicas=5 --dry-run=client",
    );
    assert_eq!(p.text, "statefulset.apps/web scaled (dry run)\n");
    assert_eq!(sts(&c, "web").spec.replicas, Some(2));
    let p = run(
        &mut c,
        &mut t,
        "kubectl scale sts -l app=nginx --replicas=1 -o name",
    );
    // web.yaml's set carries no labels, so the selector picks nothing.
    assert_eq!(p.text, "error: no objects passed to scale\n");
    // A Service has no scale subresource: the first object that cannot scale ends the command.
    let p = run(&mut c, &mut t, "kubectl scale -f web.yaml --replicas=1");
    assert_eq!(
        p.text,
        "Error from server (NotFound): the server could not find the requested resource\n"
    );
    assert_eq!(sts(&c, "web").spec.replicas, Some(2));
    run(&mut c, &mut t, "kubectl get sts web -o yaml > sts.yaml");
    let p = run(
        &mut c,
        &mut t,
        "kubectl scale -f sts.yaml --replicas=1 -o name",
    );
    assert_eq!(p.text, "statefulset.apps/web\n");
    assert_eq!(sts(&c, "web").spec.replicas, Some(1));
    let before = c.now();
    let p = run(
        &mut c,
        &mut t,
        "kubectl scale sts web --replicas=3 --timeout=1m",
    );
    assert_eq!(p.text, "statefulset.apps/web scaled\n");
    assert_eq!(
        sts(&c, "web").status.replicas,
        3,
        "printed once the status caught up"
    );
    assert!(c.now() > before);
    // A size the set cannot reach in time.
    run(
        &mut c,
        &mut t,
        "kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.999",
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl scale sts web --replicas=6 --timeout=5s",
    );
    assert_eq!(
        (p.text.as_str(), p.status),
        ("error: timed out waiting for \"web\" to be synced\n", 1)
    );
}

// ---- 5. label and annotate ----

/// label.go / cmdutil `GetResourcesAndPairs`: a word ending in `-` is a removal whatever its key holds (`/`,
/// `.`); `updateDataChangeMsg` says `unlabeled` for a removal without --overwrite; a removed key that is not
/// there prints `label "K" not found.`.
#[test]
fn label_removes_prefixed_keys_and_says_unlabeled() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl label pod web-0 statefulset.kubernetes.io/pod-name-",
    );
    assert_eq!((p.text.as_str(), p.status), ("pod/web-0 unlabeled\n", 0));
    let labels = |c: &Cluster| {
        c.store()
            .get_typed::<ordinal_engine::model::Pod>("default", "web-0")
            .unwrap()
            .metadata
            .labels
            .clone()
    };
    // The StatefulSet controller gives the pod its identity label back (stateful_set_utils.go
    // `identityMatches` / `updateIdentity`).
    assert_eq!(
        labels(&c)
            .get("statefulset.kubernetes.io/pod-name")
            .map(String::as_str),
        Some("web-0")
    );
    run(&mut c, &mut t, "kubectl label pod web-0 example.com/team=a");
    let p = run(&mut c, &mut t, "kubectl label pod web-0 example.com/team-");
    assert_eq!(p.text, "pod/web-0 unlabeled\n");
    assert!(!labels(&c).contains_key("example.com/team"));
    let p = run(&mut c, &mut t, "kubectl label pod web-0 nope-");
    assert_eq!(p.text, "label \"nope\" not found.\npod/web-0 not labeled\n");
    let p = run(&mut c, &mut t, "kubectl label pod web-0 app- --overwrite");
    assert_eq!(p.text, "pod/web-0 labeled\n");
    let p = run(&mut c, &mut t, "kubectl label pod web-0 a=1 a-");
    assert_eq!(
        p.text,
        "error: can not both modify and remove a label in the same command\n"
    );
    let p = run(&mut c, &mut t, "kubectl label pod web-0 x=1 web-1");
    assert_eq!(
        p.text,
        "error: all resources must be specified before label changes: web-1\n"
    );
    let p = run(&mut c, &mut t, "kubectl label pod web-1 tier=db");
    assert_eq!(p.text, "pod/web-1 labeled\n");
    let p = run(&mut c, &mut t, "kubectl label pod web-1 tier=web");
    assert_eq!(
        p.text,
        "error: 'tier' already has a value (db), and --overwrite is false\n"
    );
    // --dry-run and --list change nothing; --list shows the labels after the changes.
    let p = run(
        &mut c,
        &mut t,
        "kubectl label pod web-1 tier- --dry-run=client",
    );
    assert_eq!(p.text, "pod/web-1 unlabeled (dry run)\n");
    let p = run(
        &mut c,
        &mut t,
        "kubectl label pod web-1 --list tier=cache --overwrite",
    );
    assert!(p.text.contains("\ntier=cache\n"), "{}", p.text);
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pod web-1 -o jsonpath={.metadata.labels.tier}",
    );
    assert_eq!(p.text, "db");
}

/// annotate.go: the same pairs, always `annotated`, and its own overwrite message.
#[test]
fn annotate_removes_prefixed_keys_too() {
    let (mut c, mut t) = running();
    run(
        &mut c,
        &mut t,
        "kubectl annotate sts web example.com/owner=team-a",
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl annotate sts web example.com/owner-",
    );
    assert_eq!(p.text, "statefulset.apps/web annotated\n");
    assert!(!sts(&c, "web")
        .metadata
        .annotations
        .contains_key("example.com/owner"));
    run(&mut c, &mut t, "kubectl annotate sts web note=a");
    let p = run(&mut c, &mut t, "kubectl annotate sts web note=b");
    assert_eq!(
        p.text,
        "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (a)\n"
    );
    let p = run(&mut c, &mut t, "kubectl annotate sts web note=b note-");
    assert_eq!(
        p.text,
        "error: can not both modify and remove the following annotation(s) in the same command: note\n"
    );
}

// ---- 6, 7. drain's flags; cordon, uncordon and drain by selector ----

/// drain.go (since kubernetes/kubectl commit 5eeba3a, "Remove deprecated kubectl drain flag", in 1.31):
/// `--delete-local-data` is an unknown flag, and nothing is cordoned.
#[test]
fn drain_no_longer_knows_delete_local_data() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl drain kind-worker --force --delete-local-data --ignore-daemonsets",
    );
    assert_eq!(
        (p.text.as_str(), p.status),
        (
            "error: unknown flag: --delete-local-data\nSee 'kubectl drain --help' for usage.\n",
            1
        )
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl get node kind-worker -o jsonpath={.spec.unschedulable}",
    );
    assert_eq!(p.text, "");
}

/// drain.go `NewCmdCordon`/`NewCmdUncordon`/`NewCmdDrain` all add `cmdutil.AddLabelSelectorFlagVar` and
/// `AddDryRunFlag`; `Complete` refuses a name together with a selector.
#[test]
fn cordon_uncordon_and_drain_take_a_selector() {
    let (mut c, mut t) = running();
    run(
        &mut c,
        &mut t,
        "kubectl label node kind-worker kind-worker2 pool=apps",
    );
    let p = run(&mut c, &mut t, "kubectl cordon -l pool=apps");
    assert_eq!(
        p.text,
        "node/kind-worker cordoned\nnode/kind-worker2 cordoned\n"
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl uncordon --selector pool=apps --dry-run=client",
    );
    assert_eq!(
        p.text,
        "node/kind-worker uncordoned (dry run)\nnode/kind-worker2 uncordoned (dry run)\n"
    );
    let p = run(&mut c, &mut t, "kubectl get nodes -l pool=apps -o custom-columns=N:.metadata.name,U:.spec.unschedulable --no-headers");
    assert_eq!(p.text, "kind-worker    true\nkind-worker2   true\n");
    let p = run(&mut c, &mut t, "kubectl uncordon -l pool=apps");
    assert_eq!(
        p.text,
        "node/kind-worker uncordoned\nnode/kind-worker2 uncordoned\n"
    );
    let p = run(&mut c, &mut t, "kubectl cordon kind-worker -l pool=apps");
    assert_eq!(
        p.text,
        "error: error: cannot specify both a node name and a --selector option\nSee 'kubectl cordon -h' for help and examples\n"
    );
    // A drain by selector drains each node in turn.
    run(&mut c, &mut t, "kubectl label node kind-worker2 pool-");
    let p = run(
        &mut c,
        &mut t,
        "kubectl drain -l pool=apps --ignore-daemonsets --pod-selector=app=nginx",
    );
    assert!(
        p.text.ends_with(
            "node/kind-worker cordoned\nevicting pod default/web-0\npod/web-0 evicted\nnode/kind-worker drained\n"
        ),
        "{}",
        p.text
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl drain kind-worker2 --ignore-daemonsets --dry-run=client",
    );
    // drain.go RunDrain: the node is cordoned (stdout) before its pods are listed, and the list's warnings
    // (stderr) come before the evictions.
    let lines: Vec<&str> = p.text.lines().collect();
    assert_eq!(lines.len(), 4, "{}", p.text);
    assert_eq!(lines[0], "node/kind-worker2 cordoned (dry run)");
    assert!(
        lines[1].starts_with("Warning: ignoring DaemonSet-managed Pods: kube-system/kindnet-"),
        "{}",
        p.text
    );
    assert_eq!(
        lines[2..],
        [
            "evicting pod default/web-1 (dry run)",
            "node/kind-worker2 drained (dry run)"
        ]
    );
}

// ---- 8. global flags anywhere on the line ----

/// kubectl's global flags are its root command's persistent flags (cmd.go, cli-runtime's ConfigFlags): cobra
/// takes them before the command, after it, or between subcommand words. The seminar seed prefixes every
/// command with `kubectl -n $(id -un)`.
#[test]
fn global_flags_go_before_after_or_between_command_words() {
    let (mut c, mut t) = running();
    run(&mut c, &mut t, "kubectl create namespace yasu-abe");
    run(
        &mut c,
        &mut t,
        "kubectl -n yasu-abe apply -f web.yaml && sleep 60",
    );
    for line in [
        "kubectl -n yasu-abe rollout status sts/web",
        "kubectl rollout -n yasu-abe status sts/web",
        "kubectl rollout status -n yasu-abe sts/web",
        "kubectl --namespace=yasu-abe rollout status sts/web",
        "kubectl -nyasu-abe --context kind-kind -v=6 --request-timeout=5s rollout status sts/web",
        "kubectl --kubeconfig ~/.kube/config -n yasu-abe rollout status sts/web",
    ] {
        let p = run(&mut c, &mut t, line);
        assert_eq!(
            p.text, "partitioned roll out complete: 2 new pods have been updated...\n",
            "{line}"
        );
    }
    let p = run(
        &mut c,
        &mut t,
        "kubectl -n yasu-abe set image sts/web nginx=registry.k8s.io/nginx-slim:0.24",
    );
    assert_eq!(p.status, 0, "{}", p.text);
    let p = run(
        &mut c,
        &mut t,
        "kubectl -n yasu-abe create deployment hi --image=nginx:1.27",
    );
    assert_eq!(p.text, "deployment.apps/hi created\n");
    // Wrong values fail as clientcmd and the connection make kubectl fail.
    assert_eq!(
        run(&mut c, &mut t, "kubectl --context prod get pods").text,
        "Error in configuration: \n* context was not found for specified context: prod\n* cluster has no server defined\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl get pods --request-timeout=soon").text,
        "error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl -s https://127.0.0.1:1 get pods").text,
        "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl --kubeconfig=nope.yaml get pods").text,
        "error: stat nope.yaml: no such file or directory\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl --replicas=3 scale sts web").text,
        "error: unknown flag: --replicas\nSee 'kubectl --help' for usage.\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl -v x get pods").text,
        "error: invalid argument \"x\" for \"-v, --v\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl --help' for usage.\n"
    );
}

/// Tab completion reads the same flags: global flags and their values before the command do not hide it.
#[test]
fn completion_steps_over_global_flags() {
    use ordinal_term::complete::complete;
    let (mut c, mut t) = running();
    run(&mut c, &mut t, "kubectl create namespace yasu-abe");
    run(
        &mut c,
        &mut t,
        "kubectl -n yasu-abe apply -f web.yaml && sleep 60",
    );
    let cands = |line: &str| complete(&c, &t, line).candidates;
    assert_eq!(cands("kubectl -v 6 -n kube-system get svc "), ["kube-dns"]);
    assert_eq!(
        cands("kubectl --request-timeout 5s rollout -n yasu-abe status sts/"),
        ["sts/web"]
    );
    assert_eq!(cands("kubectl --context kind-kind ge"), ["get"]);
    assert!(cands("kubectl get pods --sort").contains(&"--sort-by=".to_string()));
    assert!(cands("kubectl drain --delete-").contains(&"--delete-emptydir-data".to_string()));
    assert!(!cands("kubectl drain --delete-").contains(&"--delete-local-data".to_string()));
    assert!(cands("kubectl --kube").contains(&"--kubeconfig=".to_string()));
}

// ---- 9, 10. tr, read and grep in the terminal and in containers ----

/// GNU tr and bash's read, as tutorials' one-liners use them; the same tools inside a container.
#[test]
fn tr_and_read_work_in_the_terminal_and_in_containers() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods -o jsonpath='{.items[*].metadata.name}' | tr ' ' '\\n'",
    );
    assert_eq!(p.text, "web-0\nweb-1");
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods -o name > pods.txt; while read line; do echo \"got $line\"; done < pods.txt",
    );
    assert_eq!(p.text, "got pod/web-0\ngot pod/web-1\n");
    let p = run(
        &mut c,
        &mut t,
        "x='web-0 kind-worker'; read -r pod node <<< \"$x\"; echo \"$node/$pod\"",
    );
    assert_eq!(p.text, "kind-worker/web-0\n");
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods -o wide --no-headers | while read name ready status rest; do echo \"$name is $status\"; done",
    );
    assert_eq!(p.text, "web-0 is Running\nweb-1 is Running\n");
    let p = run(&mut c, &mut t, "read a b < /dev/null; echo $?");
    assert_eq!(p.text, "1\n");
    // Inside a container (busybox's sh and nginx's Debian bash) the same tools answer.
    let p = run(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo a:b:c | tr : \"\\n\" | while read x; do echo \"<$x>\"; done'",
    );
    assert_eq!(p.text, "<a>\n<b>\n<c>\n");
    let p = run(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'hostname | tr a-z A-Z; IFS=- read n i <<EOF\nweb-7\nEOF\necho $i'",
    );
    assert_eq!(p.text, "WEB-0\n7\n");
}

/// GNU grep: `kubectl describe … | grep -A4 '^Volumes:'` prints the volumes (anchors, context), with the
/// common flags; and the same grep runs in a container.
#[test]
fn grep_honours_anchors_context_and_flags() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl describe pod web-0 | grep -A4 '^Volumes:'",
    );
    let lines: Vec<&str> = p.text.lines().collect();
    assert_eq!(lines.len(), 5, "{}", p.text);
    assert_eq!(lines[0], "Volumes:");
    assert_eq!(lines[1], "  www:");
    assert!(lines[2].contains("PersistentVolumeClaim"), "{}", p.text);
    let p = run(&mut c, &mut t, "kubectl get pods | grep -c Running");
    assert_eq!(p.text, "2\n");
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods | grep -v NAME | grep -n -i 'WEB-1'",
    );
    assert!(p.text.starts_with("2:web-1 "), "{}", p.text);
    let p = run(&mut c, &mut t, "kubectl get pods | grep -q web-9; echo $?");
    assert_eq!(p.text, "1\n");
    let p = run(
        &mut c,
        &mut t,
        "kubectl get pods -o yaml | grep -E -o 'image: [^ ]+' | head -1",
    );
    assert_eq!(p.text, "image: registry.k8s.io/nginx-slim:0.24\n");
    let p = run(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'grep -w -c nginx /etc/hostname; grep -A1 \"^<h1>\" /usr/share/nginx/html/index.html'",
    );
    assert!(p.text.starts_with("0\n"), "{}", p.text);
}

// ---- the other flags the commands declare: each works as kubectl's or fails as kubectl does ----

/// create_deployment.go, run.go, expose.go with `--dry-run=client -o yaml`: the object kubectl built, never
/// sent (since apimachinery 1.33, without `creationTimestamp: null`); `-o name` after a real create.
#[test]
fn generators_print_what_they_would_send() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl create deployment hello --image=nginx:1.27 --replicas=2 --dry-run=client -o yaml",
    );
    assert_eq!(
        p.text,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: hello\n  name: hello\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: hello\n  strategy: {}\n  template:\n    metadata:\n      labels:\n        app: hello\n    spec:\n      containers:\n      - image: nginx:1.27\n        name: nginx\n        resources: {}\nstatus: {}\n"
    );
    assert!(run(&mut c, &mut t, "kubectl get deploy hello").status != 0);
    let p = run(
        &mut c,
        &mut t,
        "kubectl run tmp --image=busybox:1.36 --restart=Never --dry-run=client -o yaml -- sleep 60",
    );
    assert_eq!(
        p.text,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: tmp\n  name: tmp\nspec:\n  containers:\n  - args:\n    - sleep\n    - \"60\"\n    image: busybox:1.36\n    name: tmp\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Never\nstatus: {}\n"
    );
    assert_eq!(
        run(
            &mut c,
            &mut t,
            "kubectl run tmp --image=busybox --dry-run=client"
        )
        .text,
        "pod/tmp created (dry run)\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl run tmp --image=busybox -it --dry-run=client").text,
        "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n"
    );
    assert_eq!(
        run(
            &mut c,
            &mut t,
            "kubectl create deployment hello --image=nginx:1.27 -o name"
        )
        .text,
        "deployment.apps/hello\n"
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl expose deployment hello --port=80 --dry-run=client -o jsonpath='{.spec.ports[0].targetPort}'",
    );
    assert_eq!(p.text, "80");
    let p = run(
        &mut c,
        &mut t,
        "kubectl run ann --image=nginx:1.27 --annotations=team=a --annotations=tier=web -o jsonpath='{.metadata.annotations}'",
    );
    assert_eq!(p.text, r#"{"team":"a","tier":"web"}"#);
    assert_eq!(
        run(
            &mut c,
            &mut t,
            "kubectl run bad --image=nginx --image-pull-policy=Sometimes"
        )
        .text,
        "error: invalid image pull policy: Sometimes\nSee 'kubectl run -h' for help and examples\n"
    );
    // The server's dry run is not modelled: said, not ignored.
    let p = run(&mut c, &mut t, "kubectl create ns x --dry-run=server");
    assert_eq!(p.status, 1);
    assert!(p.text.contains("--dry-run=server"), "{}", p.text);
    assert_eq!(
        run(&mut c, &mut t, "kubectl create ns x --dry-run=maybe").text,
        "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n"
    );
}

/// apply.go: `--dry-run=client` says created or configured without sending; `-o name`; `--server-side`
/// reports `serverside-applied`; `-R` reads folders below the one named; `--validate` takes kubectl's values.
#[test]
fn apply_flags() {
    let mut c = cluster();
    let mut t = Terminal::default();
    t.ctx.files.insert("app/web.yaml".into(), WEB_YAML.into());
    t.ctx.files.insert(
        "app/more/cm.yaml".into(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n".into(),
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl apply -f app --dry-run=client").text,
        "service/nginx created (dry run)\nstatefulset.apps/web created (dry run)\n"
    );
    assert!(c.stateful_set("default", "web").is_none());
    assert_eq!(
        run(&mut c, &mut t, "kubectl apply -f app -o name").text,
        "service/nginx\nstatefulset.apps/web\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl apply -f app --dry-run=client").text,
        "service/nginx configured (dry run)\nstatefulset.apps/web configured (dry run)\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl apply -R -f app --server-side").text,
        "configmap/extra serverside-applied\nservice/nginx serverside-applied\nstatefulset.apps/web serverside-applied\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl apply -f app --validate=maybe").text,
        "error: invalid - validate option \"maybe\"; must be one of: strict (or true), warn, ignore (or false)\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl apply -f app --validate").status,
        0
    );
    let p = run(&mut c, &mut t, "kubectl apply -f app -o jsonpath='{.kind}'");
    assert_eq!(p.text, "List");
    assert_eq!(
        run(
            &mut c,
            &mut t,
            "kubectl create -f app --save-config --server-side"
        )
        .text,
        "error: unknown flag: --server-side\nSee 'kubectl create --help' for usage.\n"
    );
}

/// delete.go: `-A` with `--all` reaches every namespace; `--wait` is a boolean; `--cascade` alone is
/// background.
#[test]
fn delete_flags() {
    let (mut c, mut t) = running();
    run(
        &mut c,
        &mut t,
        "kubectl create ns other && kubectl create cm a -n other && kubectl create cm a",
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl delete cm a --all-namespaces --field-selector=metadata.name=a",
    );
    assert!(
        p.text.starts_with("error: unknown flag: --field-selector"),
        "{}",
        p.text
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl delete cm -A -l '!nope' --wait --cascade",
    );
    assert!(
        p.text
            .contains("configmap \"a\" deleted from default namespace\n"),
        "{}",
        p.text
    );
    assert!(
        p.text
            .contains("configmap \"a\" deleted from other namespace\n"),
        "{}",
        p.text
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl delete pod web-0 --grace-period=soon").text,
        "error: invalid argument \"soon\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"soon\": invalid syntax\nSee 'kubectl delete --help' for usage.\n"
    );
}

/// logs.go: `--since` keeps the lines of the last while, `--all-containers` prints each container's log in
/// turn (init containers first) and refuses a container name.
#[test]
fn logs_since_and_all_containers() {
    let (mut c, mut t) = running();
    t.ctx.files.insert(
        "two.yaml".into(),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: a\n    image: busybox:1.36\n    command: [sh, -c, 'echo from-a; sleep 3600']\n  - name: b\n    image: busybox:1.36\n    command: [sh, -c, 'while true; do echo tick; sleep 10; done']\n".into(),
    );
    run(&mut c, &mut t, "kubectl apply -f two.yaml && sleep 95");
    let all = run(&mut c, &mut t, "kubectl logs two -c b");
    let recent = run(&mut c, &mut t, "kubectl logs two -c b --since=25s");
    assert!(
        all.text.lines().count() > recent.text.lines().count(),
        "{}\n{}",
        all.text,
        recent.text
    );
    assert!(!recent.text.is_empty());
    let p = run(
        &mut c,
        &mut t,
        "kubectl logs two --all-containers --tail=1 --prefix",
    );
    assert_eq!(p.text, "[pod/two/a] from-a\n[pod/two/b] tick\n");
    assert_eq!(
        run(&mut c, &mut t, "kubectl logs two -c a --all-containers").text,
        "error: --all-containers=true should not be specified with container name a\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl logs two -c a --since=-1s").text,
        "error: --since must be greater than 0\n"
    );
}

/// patch.go: `--local -f FILE` patches the file's object without the server; `--dry-run=client` the server's
/// object without sending; `-o` prints the result. set_image.go: the same dry run.
#[test]
fn patch_and_set_image_dry_runs() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "kubectl patch --local -f web.yaml -p '{\"spec\":{\"replicas\":5}}' --type=merge -o jsonpath='{.kind}={.spec.replicas} '",
    );
    // A merge patch knows no schema: the Service gets the field too, locally.
    assert_eq!(p.text, "Service=5 StatefulSet=5 ");
    let p = run(
        &mut c,
        &mut t,
        "kubectl patch sts web -p '{\"spec\":{\"replicas\":5}}' --dry-run=client",
    );
    assert_eq!(p.text, "statefulset.apps/web patched (dry run)\n");
    assert_eq!(sts(&c, "web").spec.replicas, Some(2));
    let p = run(
        &mut c,
        &mut t,
        "kubectl patch -f web.yaml -p '{\"metadata\":{\"labels\":{\"x\":\"y\"}}}' -o name",
    );
    assert_eq!(p.text, "service/nginx\nstatefulset.apps/web\n");
    assert_eq!(
        run(&mut c, &mut t, "kubectl patch sts web --local -p '{}'").text,
        "error: cannot specify --local and server resources\n"
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.21 --dry-run=client",
    );
    assert_eq!(p.text, "statefulset.apps/web image updated (dry run)\n");
    assert!(sts(&c, "web").spec.template.spec.containers[0]
        .image
        .ends_with(":0.24"));
}

/// editoptions.go: `-o json` shows JSON without the commented header and prints the saved object as JSON;
/// `--save-config` records it in the last-applied annotation.
#[test]
fn edit_output_and_save_config() {
    let (mut c, mut t) = running();
    let p = run(
        &mut c,
        &mut t,
        "KUBE_EDITOR='sed -i s/:.2,/:3,/' kubectl edit sts web -o json --save-config",
    );
    assert!(
        p.text.starts_with("{\n    \"apiVersion\": \"apps/v1\","),
        "{}",
        p.text
    );
    assert_eq!(sts(&c, "web").spec.replicas, Some(3));
    let recorded = sts(&c, "web")
        .metadata
        .annotations
        .get("kubectl.kubernetes.io/last-applied-configuration")
        .cloned()
        .unwrap_or_default();
    assert!(recorded.contains("\"replicas\":3"), "{recorded}");
    let p = run(&mut c, &mut t, "kubectl edit sts web --record");
    assert_eq!(p.status, 1);
}

/// The editor gets the temporary file by its absolute path under /tmp, as kubectl's LaunchTempFile gives it:
/// an edit from a subdirectory works, and the learner's home directory is left as it was.
#[test]
fn edit_from_a_subdirectory_leaves_home_alone() {
    let (mut c, mut t) = running();
    run(&mut c, &mut t, "mkdir -p work/site && cd work/site");
    let p = run(
        &mut c,
        &mut t,
        "KUBE_EDITOR='sed -i s/replicas:.2/replicas:\\ 3/' kubectl edit sts web",
    );
    assert_eq!(p.text, "statefulset.apps/web edited\n", "{}", p.text);
    assert_eq!(sts(&c, "web").spec.replicas, Some(3));
    assert_eq!(
        run(&mut c, &mut t, "ls -a ~").text,
        ".\n..\nweb.yaml\nwork\n"
    );
    assert_eq!(run(&mut c, &mut t, "ls /tmp").text, "");
    assert_eq!(t.prompt(), "student@ordinal:~/work/site$ ");
    run(&mut c, &mut t, "cd /tmp");
    assert_eq!(t.prompt(), "student@ordinal:/tmp$ ");
    assert_eq!(run(&mut c, &mut t, "pwd").text, "/tmp\n");
}

/// wait.go: `-f FILE`, `-A`, and `--for=jsonpath=` relaxed as get's paths are.
#[test]
fn wait_file_all_namespaces_and_relaxed_jsonpath() {
    let (mut c, mut t) = running();
    assert_eq!(
        run(&mut c, &mut t, "kubectl wait -f web.yaml --for=create").text,
        "service/nginx condition met\nstatefulset.apps/web condition met\n"
    );
    assert_eq!(
        run(
            &mut c,
            &mut t,
            "kubectl wait sts/web --for=jsonpath=status.readyReplicas=2"
        )
        .text,
        "statefulset.apps/web condition met\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl wait sts/web --for=jsonpath='{.status.readyReplicas}'=").text,
        "error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3\n"
    );
    let p = run(
        &mut c,
        &mut t,
        "kubectl wait pods -A -l k8s-app=kube-dns --for=condition=Ready --timeout=5s",
    );
    assert_eq!(p.text.lines().count(), 2, "{}", p.text);
    assert!(
        p.text.lines().all(|l| l.starts_with("pod/coredns-")),
        "{}",
        p.text
    );
}

/// exec.go `-f`: the pod the manifest names.
#[test]
fn exec_takes_its_pod_from_a_file() {
    let (mut c, mut t) = running();
    run(&mut c, &mut t, "kubectl get pod web-1 -o yaml > pod.yaml");
    assert_eq!(
        run(&mut c, &mut t, "kubectl exec -f pod.yaml -- hostname").text,
        "web-1\n"
    );
}
