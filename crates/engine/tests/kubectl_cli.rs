//! kubectl's command line as a learner following the seeds and kubernetes.io types it: printers and their
//! paths, watches, global flags anywhere on the line, flag checks, label changes, node commands. Each test
//! names the upstream source (kubernetes/kubectl, pkg/cmd/…, v1.34) whose behaviour it pins.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ordinal_engine::kubectl::terminal::{Printed, Terminal};
use ordinal_engine::Cluster;

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
