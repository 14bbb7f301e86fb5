//! What runs in a container runs on the cluster's clock: a script's `sleep` makes its process wait, the
//! kubelet carries it on when the wait is over, and every command sees the cluster as it is at that moment.
//! In the browser the learner's own command lines wait the same way, until they end or Ctrl+C.

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_kubectl::exec::ATTACH_NOTES;
use ordinal_term::terminal::Terminal;

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

/// The second column of each `--timestamps` log line, as seconds since the first.
fn seconds_apart(log: &str) -> Vec<i64> {
    let secs: Vec<i64> = log
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|stamp| {
            let time = stamp.split('T').nth(1)?;
            let mut hms = time.trim_end_matches('Z').split(':');
            let h: i64 = hms.next()?.parse().ok()?;
            let m: i64 = hms.next()?.parse().ok()?;
            let s: f64 = hms.next()?.parse().ok()?;
            Some(h * 3600 + m * 60 + s as i64)
        })
        .collect();
    secs.iter().map(|s| s - secs[0]).collect()
}

#[test]
fn a_loop_in_a_container_logs_on_the_clock_and_never_ends() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    sh(
        &mut c,
        &mut t,
        r#"kubectl run ticker --image=busybox --restart=Never -- sh -c 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 5; done'"#,
    );
    sh(&mut c, &mut t, "sleep 30");
    let log = sh(&mut c, &mut t, "kubectl logs ticker --timestamps");
    let ticks: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(_, text)| text))
        .collect();
    assert!(ticks.len() >= 4, "{log}");
    for (i, tick) in ticks.iter().enumerate() {
        assert_eq!(*tick, format!("tick {i}"));
    }
    // Each line was written when the process woke, five seconds after the one before.
    let apart = seconds_apart(&log);
    assert_eq!(
        apart,
        (0..ticks.len() as i64).map(|i| i * 5).collect::<Vec<_>>()
    );
    // Later lines come only as the clock moves on.
    assert_eq!(
        sh(&mut c, &mut t, "kubectl logs ticker"),
        sh(&mut c, &mut t, "kubectl logs ticker")
    );
    sh(&mut c, &mut t, "sleep 10");
    let later = sh(&mut c, &mut t, "kubectl logs ticker");
    assert_eq!(later.lines().count(), ticks.len() + 2, "{later}");
    assert!(sh(&mut c, &mut t, "kubectl get pod ticker").contains("Running"));
}

#[test]
fn a_script_runs_until_its_last_command_then_the_container_exits_with_its_status() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    sh(
        &mut c,
        &mut t,
        "kubectl run once --image=busybox --restart=Never -- sh -c 'echo start; sleep 30; echo done; exit 3'",
    );
    sh(&mut c, &mut t, "sleep 15");
    assert!(sh(&mut c, &mut t, "kubectl get pod once").contains("Running"));
    assert_eq!(sh(&mut c, &mut t, "kubectl logs once"), "start\n");
    sh(&mut c, &mut t, "sleep 30");
    let status = sh(&mut c, &mut t, "kubectl get pod once");
    assert!(status.contains("Error"), "{status}");
    assert_eq!(sh(&mut c, &mut t, "kubectl logs once"), "start\ndone\n");
    let exit = sh(
        &mut c,
        &mut t,
        "kubectl get pod once -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}'",
    );
    assert_eq!(exit, "3");
}

#[test]
fn a_plain_sleep_command_keeps_its_container_running_for_that_long() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    sh(
        &mut c,
        &mut t,
        "kubectl run nap --image=busybox --restart=Never -- sleep 60",
    );
    sh(&mut c, &mut t, "sleep 40");
    assert!(sh(&mut c, &mut t, "kubectl get pod nap").contains("Running"));
    sh(&mut c, &mut t, "sleep 40");
    assert!(sh(&mut c, &mut t, "kubectl get pod nap").contains("Completed"));
}

#[test]
fn an_init_container_that_sleeps_holds_the_pod_at_init_until_it_is_done() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    t.ctx.files.insert(
        "pod.yaml".into(),
        "apiVersion: v1
kind: Pod
metadata:
  name: waits
spec:
  initContainers:
  - name: wait
    image: busybox:1.28
    command: [sh, -c, 'echo waiting; sleep 40; echo ready']
  containers:
  - name: app
    image: busybox:1.28
    command: [sleep, '3600']
"
        .into(),
    );
    sh(&mut c, &mut t, "kubectl apply -f pod.yaml");
    sh(&mut c, &mut t, "sleep 30");
    let early = sh(&mut c, &mut t, "kubectl get pod waits");
    assert!(early.contains("Init:0/1"), "{early}");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl logs waits -c wait"),
        "waiting\n"
    );
    sh(&mut c, &mut t, "sleep 30");
    let later = sh(&mut c, &mut t, "kubectl get pod waits");
    assert!(later.contains("Running"), "{later}");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl logs waits -c wait"),
        "waiting\nready\n"
    );
}

#[test]
fn a_loop_sees_the_cluster_as_it_is_when_each_command_runs() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    sh(&mut c, &mut t, "kubectl apply -f web.yaml");
    sh(&mut c, &mut t, "sleep 1m");
    sh(
        &mut c,
        &mut t,
        "kubectl run probe --image=busybox:1.28 --restart=Never -- sh -c 'while true; do nslookup web-1.nginx >/dev/null 2>&1 && echo found || echo missing; sleep 2; done'",
    );
    sh(&mut c, &mut t, "sleep 20");
    assert!(
        sh(&mut c, &mut t, "kubectl logs probe --tail 1").contains("found"),
        "web-1 resolves while it runs"
    );
    sh(&mut c, &mut t, "kubectl scale sts web --replicas=1");
    sh(&mut c, &mut t, "sleep 1m");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl logs probe --tail 1"),
        "missing\n",
        "the same loop now finds web-1 gone"
    );
}

#[test]
fn logs_follow_prints_what_comes_until_the_container_ends() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    sh(
        &mut c,
        &mut t,
        "kubectl run count --image=busybox --restart=Never -- sh -c 'for i in 1 2 3; do echo $i; sleep 10; done'",
    );
    sh(&mut c, &mut t, "sleep 10");
    assert_eq!(sh(&mut c, &mut t, "kubectl logs -f count"), "1\n2\n3\n");
    assert!(sh(&mut c, &mut t, "kubectl get pod count").contains("Completed"));
}

#[test]
fn in_the_browser_a_loop_waits_for_the_pages_clock_and_stops_at_ctrl_c() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    let start = c.now();
    let p = t.run(
        &mut c,
        "i=0; while true; do echo $i; i=$((i+1)); sleep 2; done",
        &[],
    );
    assert_eq!(p.text, "0\n");
    assert!(t.busy());
    assert_eq!(c.now(), start, "the loop does not run the clock itself");
    c.advance(5_000);
    assert_eq!(t.poll(&mut c), "1\n2\n");
    assert_eq!(t.poll(&mut c), "", "nothing more until the clock moves");
    assert_eq!(t.interrupt(&mut c), Some(String::new()));
    assert!(!t.busy());
    c.advance(10_000);
    assert_eq!(t.poll(&mut c), "");
    // The shell keeps what the loop set, and `$?` is 130 after Ctrl+C.
    assert_eq!(t.run(&mut c, "echo $i $?", &[]).text, "3 130\n");
    assert_eq!(t.interrupt(&mut c), None, "nothing runs any more");
}

#[test]
fn in_the_browser_a_waiting_line_goes_on_with_its_next_command() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    let p = t.run(&mut c, "echo before; sleep 30; echo after; date +%S", &[]);
    assert_eq!(p.text, "before\n");
    c.advance(29_000);
    assert_eq!(t.poll(&mut c), "");
    c.advance(1_000);
    assert_eq!(t.poll(&mut c), "after\n30\n");
    assert!(!t.busy());
}

#[test]
fn in_the_browser_kubectl_run_it_streams_its_command_until_ctrl_c_then_rm_deletes_the_pod() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    let p = t.run(
        &mut c,
        "kubectl run loop --image=busybox -i -t --rm --restart=Never -- sh -c 'while sleep 1; do hostname; done'",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    assert!(t.busy());
    let before = p.text.lines().filter(|l| *l == "loop").count();
    c.advance(5_000);
    let more = t.poll(&mut c);
    assert_eq!(more, "loop\n".repeat(5));
    let stopped = t.interrupt(&mut c).expect("the command was running");
    assert_eq!(stopped, "pod \"loop\" deleted from default namespace\n");
    assert!(!t.busy());
    assert!(before <= 60);
    let gone = t.run(&mut c, "kubectl get pod loop", &[]);
    assert_eq!(
        gone.text,
        "Error from server (NotFound): pods \"loop\" not found\n"
    );
}

#[test]
fn in_the_browser_logs_follow_ends_with_the_container() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    t.run(
        &mut c,
        "kubectl run count --image=busybox --restart=Never -- sh -c 'for i in 1 2 3; do echo $i; sleep 10; done'",
        &[],
    );
    c.advance(10_000);
    let p = t.run(&mut c, "kubectl logs -f count", &[]);
    assert_eq!(p.text, "1\n");
    assert!(t.busy());
    c.advance(10_000);
    assert_eq!(t.poll(&mut c), "2\n");
    c.advance(20_000);
    assert_eq!(t.poll(&mut c), "3\n");
    assert!(!t.busy(), "the container ended, and the follow with it");
}

#[test]
fn attach_shows_what_the_process_prints_from_now_on_and_ctrl_c_with_a_terminal_ends_it() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    t.run(
        &mut c,
        "kubectl run ticker2 --image=busybox --restart=Never --tty -- sh -c 'i=0; while true; do i=$((i+1)); echo $i; sleep 1; done'",
        &[],
    );
    c.advance(20_000);
    // attach.go `Run` (kubectl v1.34+): both notes, on stderr, unless -q.
    let p = t.run(&mut c, "kubectl attach ticker2 -i -t", &[]);
    assert_eq!(p.text, ATTACH_NOTES);
    assert!(t.busy());
    c.advance(3_000);
    let lines = t.poll(&mut c);
    assert_eq!(
        lines.lines().count(),
        3,
        "only what comes after attaching: {lines}"
    );
    assert_eq!(t.interrupt(&mut c), Some(String::new()));
    c.advance(2_000);
    let status = t.run(&mut c, "kubectl get pod ticker2 --no-headers", &[]);
    assert!(
        status.text.contains("Error"),
        "the ^C ended the process: {}",
        status.text
    );
}

#[test]
fn attach_without_a_terminal_leaves_the_process_running_at_ctrl_c() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    t.run(
        &mut c,
        "kubectl run ticker --image=busybox --restart=Never -- sh -c 'while true; do date +%s; sleep 1; done'",
        &[],
    );
    c.advance(20_000);
    // attach.go `Run` prints its notes whether or not stdin or a terminal is attached.
    let p = t.run(&mut c, "kubectl attach ticker", &[]);
    assert_eq!(p.text, ATTACH_NOTES);
    c.advance(2_000);
    assert_eq!(t.poll(&mut c).lines().count(), 2);
    assert_eq!(t.interrupt(&mut c), Some(String::new()));
    c.advance(2_000);
    assert!(t
        .run(&mut c, "kubectl get pod ticker", &[])
        .text
        .contains("Running"));
    let done = t.run(&mut c, "kubectl attach nothing", &[]);
    assert_eq!(
        done.text,
        "Error from server (NotFound): pods \"nothing\" not found\n"
    );
}

#[test]
fn attach_to_a_shell_waiting_for_its_terminal_opens_a_session() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    t.ctx.files.insert(
        "box.yaml".into(),
        "apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: box
    image: busybox:1.28
    stdin: true
    tty: true
"
        .into(),
    );
    t.run(&mut c, "kubectl apply -f box.yaml", &[]);
    c.advance(30_000);
    assert!(t
        .run(&mut c, "kubectl get pod box", &[])
        .text
        .contains("Running"));
    let p = t.run(&mut c, "kubectl attach box -it", &[]);
    assert_eq!(p.text, ATTACH_NOTES);
    assert!(t.attached().is_some());
    assert_eq!(t.run(&mut c, "hostname", &[]).text, "box\n");
}

#[test]
fn in_the_browser_kubectl_exec_runs_its_command_with_the_clock_until_it_ends_or_ctrl_c() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    t.run(&mut c, "kubectl apply -f web.yaml", &[]);
    c.advance(60_000);
    let start = c.now();
    let p = t.run(
        &mut c,
        "kubectl exec web-0 -- sh -c 'for i in 1 2 3; do echo $i; sleep 2; done; exit 4'",
        &[],
    );
    assert_eq!(p.text, "1\n");
    assert!(t.busy());
    assert_eq!(c.now(), start, "the exec does not run the clock itself");
    c.advance(4_000);
    assert_eq!(t.poll(&mut c), "2\n3\n");
    c.advance(2_000);
    assert_eq!(t.poll(&mut c), "command terminated with exit code 4\n");
    assert!(!t.busy());

    // A loop that never ends runs until Ctrl+C, and the clock only moves with the page.
    t.run(
        &mut c,
        "kubectl exec web-0 -- sh -c 'while true; do date +%S; sleep 1; done'",
        &[],
    );
    let before = c.now();
    c.advance(3_000);
    assert_eq!(t.poll(&mut c).lines().count(), 3);
    assert_eq!(t.interrupt(&mut c), Some(String::new()));
    assert_eq!(c.now(), before.plus(3_000));
    // Quick commands print as before.
    assert_eq!(
        t.run(&mut c, "kubectl exec web-0 -- hostname", &[]).text,
        "web-0\n"
    );
    let missing = t.run(&mut c, "kubectl exec web-0 -- nosuch", &[]);
    assert!(
        missing
            .text
            .contains("exec: \"nosuch\": executable file not found in $PATH"),
        "{}",
        missing.text
    );
    assert!(!t.busy());
}

#[test]
fn in_the_browser_kubectl_run_rm_with_a_quick_command_prints_it_and_deletes_the_pod() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    let p = t.run(
        &mut c,
        "kubectl run hello --image=busybox -i --rm --restart=Never -- echo hi",
        &[],
    );
    let mut text = p.text;
    for _ in 0..10 {
        if !t.busy() {
            break;
        }
        c.advance(1_000);
        text.push_str(&t.poll(&mut c));
    }
    assert_eq!(text, "hi\npod \"hello\" deleted from default namespace\n");
    assert!(!t.busy());
}

#[test]
fn in_the_browser_a_toolbar_command_beside_a_waiting_line_keeps_the_learners_aliases() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    t.run(&mut c, "alias say='echo said'", &[]);
    t.run(&mut c, "while true; do sleep 5; done", &[]);
    assert!(t.busy());
    // The page runs its buttons' commands as from a second terminal.
    assert_eq!(t.run(&mut c, "say hi", &[]).text, "said hi\n");
    assert!(t.busy(), "the loop still runs");
    c.advance(10_000);
    t.poll(&mut c);
    assert!(t.busy());
    t.interrupt(&mut c);
    assert_eq!(t.run(&mut c, "say again", &[]).text, "said again\n");
}

/// A loop in an attached container that waits for nothing (`sleep 0`) ends at the terminal's limit instead of
/// holding the clock at one instant for ever (the session fuzz target found a replay that never finished).
#[test]
fn an_attached_loop_of_sleep_0_stops_at_the_limit_and_the_pod_goes() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    let out = t.run(
        &mut c,
        "kubectl run -i -t x --image=busybox --rm --restart=Never -- sh -c 'while sleep 0; do :; done'",
        &[],
    );
    assert!(
        out.text
            .ends_with("sh: stopped after 100000 commands, this terminal's limit\npod \"x\" deleted from default namespace\n"),
        "{}",
        out.text
    );
}
