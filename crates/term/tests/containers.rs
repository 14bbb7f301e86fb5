//! What learners do inside containers: `kubectl exec` writing to the web root, the file surviving pod deletion
//! and scaling because it lives on the PersistentVolume, container-local files vanishing with the container,
//! `kubectl run` pods that finish, and logs.

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn setup() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -f web.yaml && sleep 2m", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

#[test]
fn the_web_root_lives_on_the_volume_and_outlives_pods_scaling_and_the_set() {
    let (mut c, mut t) = setup();
    sh(
        &mut c,
        &mut t,
        r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done"#,
    );
    let curl = r#"for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done"#;
    assert_eq!(sh(&mut c, &mut t, curl), "web-0\nweb-1\n");
    // Pods deleted and recreated: same names, same claims, same files.
    sh(
        &mut c,
        &mut t,
        "kubectl delete pod -l app=nginx && sleep 1m",
    );
    assert_eq!(sh(&mut c, &mut t, curl), "web-0\nweb-1\n");
    // Scale to zero and back.
    sh(&mut c, &mut t, "kubectl scale sts web --replicas=0 && sleep 1m && kubectl scale sts web --replicas=2 && sleep 1m");
    assert_eq!(sh(&mut c, &mut t, curl), "web-0\nweb-1\n");
    // Delete the set (claims are retained) and create it again.
    sh(
        &mut c,
        &mut t,
        "kubectl delete sts web && kubectl apply -f web.yaml && sleep 1m",
    );
    assert_eq!(sh(&mut c, &mut t, curl), "web-0\nweb-1\n");
    // A new ordinal gets a new, empty volume: nginx answers 403 for a directory without index.html.
    sh(
        &mut c,
        &mut t,
        "kubectl scale sts web --replicas=3 && sleep 1m",
    );
    let page = sh(
        &mut c,
        &mut t,
        "kubectl exec web-2 -- curl -s http://localhost/",
    );
    assert!(page.contains("<title>403 Forbidden</title>"), "{page}");
}

#[test]
fn a_deleted_volume_takes_its_files_with_it() {
    let (mut c, mut t) = setup();
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo kept > /usr/share/nginx/html/index.html'",
    );
    sh(
        &mut c,
        &mut t,
        "kubectl delete sts web && kubectl delete pvc www-web-0 www-web-1 && sleep 30",
    );
    assert_eq!(sh(&mut c, &mut t, "kubectl get pv"), "No resources found\n");
    sh(&mut c, &mut t, "kubectl apply -f web.yaml && sleep 1m");
    let page = sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- curl -s http://localhost/",
    );
    assert!(page.contains("403 Forbidden"), "{page}");
}

#[test]
fn files_outside_volumes_vanish_with_the_container() {
    let (mut c, mut t) = setup();
    sh(&mut c, &mut t, "kubectl exec web-0 -- sh -c 'echo scratch > /tmp/note; echo kept > /usr/share/nginx/html/note'");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec web-0 -- cat /tmp/note"),
        "scratch\n"
    );
    sh(&mut c, &mut t, "kubectl delete pod web-0 && sleep 1m");
    let p = t.run(&mut c, "kubectl exec web-0 -- cat /tmp/note", &[]);
    assert_eq!(
        p.text,
        "cat: /tmp/note: No such file or directory\ncommand terminated with exit code 1\n"
    );
    assert_eq!(p.status, 1);
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- cat /usr/share/nginx/html/note"
        ),
        "kept\n"
    );
}

#[test]
fn a_moved_binary_is_not_found_until_it_is_moved_back() {
    let (mut c, mut t) = setup();
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- mv /usr/bin/curl /usr/bin/curl.off",
    );
    let p = sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'curl http://localhost/'",
    );
    assert_eq!(
        p,
        "sh: 1: curl: not found\ncommand terminated with exit code 127\n"
    );
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- mv /usr/bin/curl.off /usr/bin/curl",
    );
    assert!(sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- curl -s http://localhost/"
    )
    .contains("403"));
}

#[test]
fn the_kubelet_writes_hosts_resolv_conf_and_the_hostname() {
    let (mut c, mut t) = setup();
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec web-1 -- hostname -f"),
        "web-1.nginx.default.svc.cluster.local\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec web-1 -- cat /etc/resolv.conf"),
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
    let hosts = sh(&mut c, &mut t, "kubectl exec web-1 -- cat /etc/hosts");
    assert!(
        hosts.starts_with("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"),
        "{hosts}"
    );
    assert!(
        hosts.ends_with("\tweb-1.nginx.default.svc.cluster.local\tweb-1\n"),
        "{hosts}"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec web-1 -- rm /etc/hosts"),
        "rm: cannot remove '/etc/hosts': Read-only file system\ncommand terminated with exit code 1\n"
    );
}

#[test]
fn exec_errors_are_kubectls() {
    let (mut c, mut t) = setup();
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec web-9 -- ls"),
        "Error from server (NotFound): pods \"web-9\" not found\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec web-0 -c php -- ls"),
        "Error from server (BadRequest): container php is not valid for pod web-0\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec web-0"),
        "error: you must specify at least one command for the container\n"
    );
    let p = sh(&mut c, &mut t, "kubectl exec web-0 -- nslookupp web-1");
    assert!(p.starts_with("error: Internal error occurred: "), "{p}");
    assert!(
        p.ends_with("exec: \"nslookupp\": executable file not found in $PATH: unknown\n"),
        "{p}"
    );
}

#[test]
fn an_interactive_shell_keeps_its_directory_until_exit() {
    let (mut c, mut t) = setup();
    assert_eq!(sh(&mut c, &mut t, "kubectl exec -it web-0 -- sh"), "");
    assert_eq!(t.prompt(), "# ", "dash, nginx's sh, prompts with #");
    sh(&mut c, &mut t, "cd /usr/share/nginx/html");
    sh(&mut c, &mut t, "echo from-shell > index.html");
    assert_eq!(
        sh(&mut c, &mut t, "pwd; ls"),
        "/usr/share/nginx/html\nindex.html\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "cd /nope"),
        "sh: 1: cd: can't cd to /nope\n"
    );
    sh(&mut c, &mut t, "exit");
    assert!(t.attached().is_none());
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec web-0 -- curl -s localhost"),
        "from-shell\n"
    );
}

#[test]
fn run_with_rm_shows_the_output_and_deletes_the_pod() {
    let (mut c, mut t) = setup();
    let p = sh(
        &mut c,
        &mut t,
        "kubectl run hello --image=busybox:1.28 --restart=Never -i --rm -- sh -c 'echo hello from $(hostname)'",
    );
    assert_eq!(
        p,
        "hello from hello\npod \"hello\" deleted from default namespace\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl get pod hello"),
        "Error from server (NotFound): pods \"hello\" not found\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl run x --image=busybox --rm -- true"),
        "error: --rm should only be used for attached containers\n"
    );
}

#[test]
fn a_finished_command_completes_or_crash_loops_by_restart_policy() {
    let (mut c, mut t) = setup();
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl run once --image=busybox --restart=Never -- sh -c 'echo done'"
        ),
        "pod/once created\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl run loop --image=busybox -- sh -c 'echo tick; exit 3'"
        ),
        "pod/loop created\n"
    );
    sh(&mut c, &mut t, "sleep 1m");
    let table = sh(&mut c, &mut t, "kubectl get pods once loop");
    assert!(
        table.contains("once   0/1     Completed          0"),
        "{table}"
    );
    assert!(
        table.contains("loop   0/1     CrashLoopBackOff   "),
        "{table}"
    );
    assert_eq!(sh(&mut c, &mut t, "kubectl logs once"), "done\n");
    assert_eq!(sh(&mut c, &mut t, "kubectl logs loop --previous"), "tick\n");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl logs once --previous"),
        "Error from server (BadRequest): previous terminated container \"once\" in pod \"once\" not found\n"
    );
}

#[test]
fn a_shell_image_without_a_command_exits_at_once() {
    let (mut c, mut t) = setup();
    sh(
        &mut c,
        &mut t,
        "kubectl run box --image=busybox:1.28 && sleep 30",
    );
    let table = sh(&mut c, &mut t, "kubectl get pod box");
    assert!(
        table.contains("CrashLoopBackOff") || table.contains("Completed"),
        "{table}"
    );
    // With a terminal attached it waits for the learner, and ends when they exit. kubectl 1.34+ notes both
    // lines as it attaches (kubernetes/kubectl pkg/cmd/attach/attach.go, AttachOptions.Run).
    let p = sh(
        &mut c,
        &mut t,
        "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm",
    );
    assert_eq!(
        p,
        "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n"
    );
    assert_eq!(sh(&mut c, &mut t, "hostname"), "dns-test\n");
    assert_eq!(
        sh(&mut c, &mut t, "exit"),
        "pod \"dns-test\" deleted from default namespace\n"
    );
    assert_eq!(t.prompt(), "student@ordinal:~$ ");
}

#[test]
fn retention_when_scaled_delete_gives_a_new_empty_volume_on_scale_up() {
    let (mut c, mut t) = setup();
    let patch = r#"kubectl patch sts web -p '{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenScaled":"Delete"}}}'"#;
    assert_eq!(sh(&mut c, &mut t, patch), "statefulset.apps/web patched\n");
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-1 -- sh -c 'echo old > /usr/share/nginx/html/index.html'",
    );
    sh(
        &mut c,
        &mut t,
        "kubectl scale sts web --replicas=1 && sleep 1m",
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl get pvc www-web-1"),
        "Error from server (NotFound): persistentvolumeclaims \"www-web-1\" not found\n",
        "the condemned pod's claim goes with it"
    );
    sh(
        &mut c,
        &mut t,
        "kubectl scale sts web --replicas=2 && sleep 1m",
    );
    let page = sh(
        &mut c,
        &mut t,
        "kubectl exec web-1 -- curl -s http://localhost/",
    );
    assert!(
        page.contains("403 Forbidden"),
        "a fresh claim, a fresh volume: {page}"
    );
    // web-0 kept its claim and its files under the same policy.
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo kept > /usr/share/nginx/html/index.html'",
    );
    sh(&mut c, &mut t, "kubectl delete pod web-0 && sleep 1m");
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec web-0 -- curl -s http://localhost/"
        ),
        "kept\n"
    );
}

#[test]
fn exec_into_a_workload_or_service_takes_its_most_active_pod() {
    let (mut c, mut t) = setup();
    // Both pods are ready; web-0 has been ready longer, so kubectl picks it, through the set or its Service.
    for target in ["sts/web", "statefulset/web", "svc/nginx"] {
        let out = sh(
            &mut c,
            &mut t,
            &format!("kubectl exec {target} -- hostname"),
        );
        assert_eq!(out, "web-0\n", "{target}");
    }
    // While web-0 is being recreated it is not ready, so the running, ready web-1 is the one.
    let out = sh(
        &mut c,
        &mut t,
        "kubectl delete pod web-0 && kubectl get pod web-0 --no-headers && kubectl exec sts/web -- hostname",
    );
    assert!(out.ends_with("web-1\n"), "{out}");
    assert!(
        !out.contains("1/1"),
        "web-0 should be back but not ready yet:\n{out}"
    );
    let none = t.run(
        &mut c,
        "kubectl create configmap site && kubectl exec cm/site -- hostname",
        &[],
    );
    assert_ne!(none.status, 0);
    assert!(
        none.text.ends_with(
            "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n"
        ),
        "{}",
        none.text
    );
}

#[test]
fn every_pod_gets_the_service_account_volume_and_every_namespace_the_root_ca() {
    let (mut c, mut t) = setup();
    let ls = sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- ls /var/run/secrets/kubernetes.io/serviceaccount",
    );
    assert_eq!(ls, "ca.crt\nnamespace\ntoken\n");
    let ns = sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- cat /var/run/secrets/kubernetes.io/serviceaccount/namespace",
    );
    assert_eq!(ns, "default");
    // The mounted CA is the namespace's kube-root-ca.crt ConfigMap.
    let ca = sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- cat /var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
    );
    let published = sh(
        &mut c,
        &mut t,
        r#"kubectl get cm kube-root-ca.crt -o jsonpath='{.data.ca\.crt}'"#,
    );
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----\n"), "{ca}");
    assert_eq!(ca, published);
    // The mount is read-only, as the kubelet mounts projections.
    let write = t.run(
        &mut c,
        "kubectl exec web-0 -- sh -c 'echo x > /var/run/secrets/kubernetes.io/serviceaccount/token'",
        &[],
    );
    assert_ne!(write.status, 0, "{}", write.text);
    // The pod spec carries what admission added, so -o yaml and describe agree.
    let spec = sh(
        &mut c,
        &mut t,
        "kubectl get pod web-0 -o jsonpath='{.spec.serviceAccountName} {.spec.volumes[1].name} {.spec.containers[0].volumeMounts[1].mountPath} {.spec.tolerations[0].key}'",
    );
    assert!(
        spec.starts_with("default kube-api-access-")
            && spec.ends_with(
                " /var/run/secrets/kubernetes.io/serviceaccount node.kubernetes.io/not-ready"
            ),
        "{spec}"
    );
    // A new namespace is given the ConfigMap at once; a deleted one comes back.
    let cms = sh(
        &mut c,
        &mut t,
        "kubectl create namespace lab >/dev/null && kubectl get cm -n lab --no-headers -o custom-columns=NAME:.metadata.name",
    );
    assert_eq!(cms, "kube-root-ca.crt\n");
    let again = sh(
        &mut c,
        &mut t,
        "kubectl delete cm kube-root-ca.crt -n lab && kubectl get cm -n lab -o name",
    );
    assert_eq!(
        again,
        "configmap \"kube-root-ca.crt\" deleted from lab namespace\nconfigmap/kube-root-ca.crt\n"
    );
}

#[test]
fn the_qos_class_follows_the_containers_requests_and_limits() {
    let (mut c, mut t) = setup();
    let qos = |c: &mut Cluster, t: &mut Terminal, name: &str, resources: &str| {
        let line = format!(
            "kubectl run {name} --image=nginx:1.27 --overrides='{{\"spec\":{{\"containers\":[{{\"name\":\"{name}\",\"image\":\"nginx:1.27\",\"resources\":{resources}}}]}}}}' >/dev/null && kubectl get pod {name} -o jsonpath='{{.status.qosClass}}'"
        );
        sh(c, t, &line)
    };
    assert_eq!(qos(&mut c, &mut t, "plain", "{}"), "BestEffort");
    assert_eq!(
        qos(
            &mut c,
            &mut t,
            "asks",
            r#"{"requests":{"cpu":"500m","memory":"1Gi"}}"#
        ),
        "Burstable"
    );
    assert_eq!(
        qos(
            &mut c,
            &mut t,
            "fixed",
            r#"{"limits":{"cpu":"0.5","memory":"1Gi"},"requests":{"cpu":"500m","memory":"1024Mi"}}"#
        ),
        "Guaranteed"
    );
    let describe = sh(&mut c, &mut t, "kubectl describe pod asks");
    assert!(
        describe.contains("\nQoS Class:                   Burstable\n"),
        "{describe}"
    );
}

#[test]
fn service_accounts_exist_per_namespace_and_pods_must_name_one_that_exists() {
    let (mut c, mut t) = setup();
    assert_eq!(
        sh(&mut c, &mut t, "kubectl get sa -o name"),
        "serviceaccount/default\n"
    );
    let refused = t.run(
        &mut c,
        r#"kubectl run a --image=nginx:1.27 --overrides='{"spec":{"serviceAccountName":"ghost"}}'"#,
        &[],
    );
    assert_eq!(refused.status, 1);
    assert_eq!(
        refused.text,
        "Error from server (Forbidden): pods \"a\" is forbidden: error looking up service account default/ghost: serviceaccount \"ghost\" not found\n"
    );
    // An account that turns automounting off leaves its pods without the token volume.
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl create sa quiet && kubectl patch sa quiet -p '{"automountServiceAccountToken":false}' >/dev/null && kubectl run b --image=nginx:1.27 --overrides='{"spec":{"serviceAccountName":"quiet"}}' && kubectl get pod b -o jsonpath='{.spec.serviceAccount} {.spec.volumes}'"#,
    );
    assert_eq!(out, "serviceaccount/quiet created\npod/b created\nquiet ");
    // The controller makes `default` again when it is deleted.
    let again = sh(
        &mut c,
        &mut t,
        "kubectl delete sa default && kubectl get sa default -o name",
    );
    assert_eq!(
        again,
        "serviceaccount \"default\" deleted from default namespace\nserviceaccount/default\n"
    );
}

#[test]
fn container_statuses_name_the_pulled_image_and_a_container_id() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        "kubectl run web --image=nginx:1.27 >/dev/null && sleep 30 && kubectl get pod web -o jsonpath='{.status.containerStatuses[0].image} {.status.containerStatuses[0].imageID} {.status.containerStatuses[0].containerID}'",
    );
    let parts: Vec<&str> = out.split(' ').collect();
    assert_eq!(parts[0], "docker.io/library/nginx:1.27");
    assert!(
        parts[1].starts_with("docker.io/library/nginx@sha256:") && parts[1].len() == 31 + 64,
        "{out}"
    );
    assert!(
        parts[2].starts_with("containerd://") && parts[2].len() == 13 + 64,
        "{out}"
    );
    // The same image has the same digest on another pod; each container has its own id.
    let other = sh(
        &mut c,
        &mut t,
        "kubectl run web2 --image=nginx:1.27 >/dev/null && sleep 30 && kubectl get pod web2 -o jsonpath='{.status.containerStatuses[0].imageID} {.status.containerStatuses[0].containerID}'",
    );
    let (digest, id) = other.split_once(' ').unwrap_or_default();
    assert_eq!(digest, parts[1]);
    assert_ne!(id, parts[2]);
}

#[test]
fn sed_substitutes_with_basic_and_extended_patterns_and_edits_in_place() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        r#"kubectl exec web-0 -- sh -c 'echo "a;" > /tmp/f; echo "b;" >> /tmp/f; sed -E "s/;$//g" /tmp/f; echo web-12 | sed "s/-\([0-9]*\)$/ \1/"; echo aaa | sed s/a/b/; echo aaa | sed s/a/b/g; sed -i -e "s/b/B/" /tmp/f; cat /tmp/f'"#,
    );
    assert_eq!(out, "a\nb\nweb 12\nbaa\nbbb\na;\nB;\n");
    let bad = t.run(
        &mut c,
        "kubectl exec web-0 -- sed -E 's/(a/b/' /etc/hostname",
        &[],
    );
    assert_ne!(bad.status, 0);
    assert!(bad.text.contains("sed: -e expression #1"), "{}", bad.text);
}
