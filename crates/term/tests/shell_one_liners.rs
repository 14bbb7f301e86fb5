//! The one-liners learners type around kubectl, in the terminal and inside containers: bash's `printf`
//! (builtins/printf.def), `case`, `( … )`, `${var:-default}` and friends (bash manual, "Shell Parameter
//! Expansion"), and the text tools (GNU coreutils `cut`/`uniq`/`xargs`/`tee`/`base64`/`basename`/`dirname`,
//! POSIX `awk` as mawk and BusyBox run it), which Debian-family images carry in `/usr/bin` and BusyBox
//! images as applets in `/bin`.

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn setup() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(
        &mut c,
        "kubectl apply -f web.yaml && kubectl rollout status sts/web && kubectl run bb --image=busybox:1.36 -- sleep infinity && sleep 30",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

#[test]
fn kubectl_output_through_the_text_tools_in_the_terminal() {
    let (mut c, mut t) = setup();
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl get pods -l app=nginx -o name | xargs echo"
        ),
        "pod/web-0 pod/web-1\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl get pods -l app=nginx | awk '{print $1}'"
        ),
        "NAME\nweb-0\nweb-1\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl get pods -l app=nginx --no-headers | awk '$3 == \"Running\" {n++} END {print n}'"),
        "2\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl get pods -l app=nginx | cut -d' ' -f1"
        ),
        "NAME\nweb-0\nweb-1\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl get pods -l app=nginx --no-headers | awk '{print $3}' | sort | uniq -c"
        ),
        "      2 Running\n"
    );
    // xargs runs kubectl itself.
    assert_eq!(
        sh(&mut c, &mut t, "kubectl get pods -l app=nginx -o name | xargs -I{} kubectl get {} -o jsonpath='{.metadata.name}{\"\\n\"}'"),
        "web-0\nweb-1\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "for p in $(kubectl get pods -l app=nginx -o name); do printf '%-8s|\\n' \"${p#pod/}\"; done"),
        "web-0   |\nweb-1   |\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "echo hi | tee note.txt && cat note.txt"),
        "hi\nhi\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "echo -n web-0 | base64 && echo d2ViLTA= | base64 -d"
        ),
        "d2ViLTA=\nweb-0"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "basename /tmp/web.yaml .yaml; dirname /tmp/web.yaml"
        ),
        "web\n/tmp\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "TD=$(date +%Y%m%d.%H%M).stateful; echo ${TD%%.*}"
        ),
        "20260105\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl get pods -l app=nginx -o json | jq -r '.items[].metadata.name'"
        ),
        "web-0\nweb-1\n"
    );
}

#[test]
fn printf_case_subshells_and_parameter_operators_in_the_terminal() {
    let (mut c, mut t) = setup();
    let p = t.run(&mut c, "printf '%d\\n' abc", &[]);
    assert_eq!(
        (p.text.as_str(), p.status),
        ("bash: printf: abc: invalid number\n0\n", 1)
    );
    assert_eq!(
        sh(&mut c, &mut t, "printf '%s=%03d\\n' web 0 db 1"),
        "web=000\ndb=001\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "for i in $(seq 0 2); do case $i in 0) echo zero;; [12]) echo \"n=$i\";; esac; done"
        ),
        "zero\nn=1\nn=2\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "NS=${NS:-default}; (NS=other; echo $NS); echo $NS ${UNSET:+x}end"
        ),
        "other\ndefault end\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "[ -f note.txt ] || echo missing; false; echo $?"
        ),
        "missing\n1\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "env | grep -c '^HOME=/home/student$'; export FOO=bar; env | grep ^FOO="
        ),
        "1\nFOO=bar\n"
    );
}

/// Inside an nginx (Debian) container: GNU tools and mawk; inside busybox: the applets. Both shells have
/// `printf`, `case` and the parameter operators.
#[test]
fn the_tools_exist_in_containers_as_their_images_ship_them() {
    let (mut c, mut t) = setup();
    for pod in ["web-0", "bb"] {
        let out = sh(
            &mut c,
            &mut t,
            &format!("kubectl exec {pod} -- sh -c 'printf \"%s\\n\" $(hostname) | awk \"{{print toupper(\\$1)}}\"; echo a:b:c | cut -d: -f2; seq 3 | xargs; basename /x/y.z .z; echo hi | base64; case $(hostname) in web-*) echo web;; *) echo other;; esac; echo ${{X:-dflt}}'"),
        );
        let host = pod.to_uppercase();
        let kind = if pod == "bb" { "other" } else { "web" };
        assert_eq!(
            out,
            format!("{host}\nb\n1 2 3\ny\naGkK\n{kind}\ndflt\n"),
            "{pod}"
        );
    }
    // The binaries are where the images put them.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- ls /usr/bin/awk /usr/bin/xargs /usr/bin/cut"
        ),
        "/usr/bin/awk\n/usr/bin/cut\n/usr/bin/xargs\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec bb -- ls /bin/awk /bin/xargs /bin/cut"
        ),
        "/bin/awk\n/bin/cut\n/bin/xargs\n"
    );
    // Run without a shell, printf is /usr/bin/printf.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- printf '%05.1f\\n' 3.14159"
        ),
        "003.1\n"
    );
    // A moved-away tool is gone, as any other.
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- mv /usr/bin/awk /usr/bin/awk.off",
    );
    let gone = t.run(&mut c, "kubectl exec web-0 -- sh -c 'echo x | awk 1'", &[]);
    assert_eq!(
        gone.text,
        "sh: 1: awk: not found\ncommand terminated with exit code 127\n"
    );
}

/// The terminal's bash expands an unquoted pattern against the learner's own files (the home directory, or
/// wherever `cd` went), in sorted order, without the dotfiles; a pattern that matches nothing, or a quoted
/// one, reaches the command as typed (bash's manual, "Pathname Expansion").
#[test]
fn patterns_in_the_terminal_match_the_home_directory() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    let p = t.run(
        &mut c,
        "echo b > web.yaml; echo a > db.yaml; echo n > notes.txt; echo h > .hidden.yaml; mkdir -p app && echo k > app/kustomization.yaml",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    assert_eq!(sh(&mut c, &mut t, "ls *.yaml"), "db.yaml\nweb.yaml\n");
    assert_eq!(sh(&mut c, &mut t, "cat *.yaml"), "a\nb\n");
    assert_eq!(
        sh(&mut c, &mut t, "echo */*.yaml /home/student/w*"),
        "app/kustomization.yaml /home/student/web.yaml\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "cd app && echo ../*.txt *"),
        "../notes.txt kustomization.yaml\n"
    );
    assert_eq!(sh(&mut c, &mut t, "cd"), "");
    assert_eq!(
        sh(&mut c, &mut t, "echo *.json '*.yaml'; ls *.json"),
        "*.json *.yaml\nls: cannot access '*.json': No such file or directory\n"
    );
}
