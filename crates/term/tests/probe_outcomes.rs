//! HTTP and TCP probes run against what the containers really serve (k8s-behaviour.md 1.3): nginx answers from
//! its web root, so an `httpGet` on `/` fails with 403 while the volume mounted there is empty and passes once
//! the learner writes an index.html; a `tcpSocket` probe passes while a server listens on the port.

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

/// The StatefulSet tutorial's web.yaml with `probe` (YAML at the container's indentation) added.
fn web_with(t: &mut Terminal, probe: &str) {
    let web = include_str!("fixtures/web.yaml").replace(
        "        volumeMounts:",
        &format!("{probe}        volumeMounts:"),
    );
    assert!(web.contains(probe));
    t.ctx.files.insert("web.yaml".into(), web);
}

/// The cells of `name`'s row in a table.
fn row<'a>(table: &'a str, name: &str) -> Vec<&'a str> {
    table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|cells| cells.first() == Some(&name))
        .unwrap_or_default()
}

fn terminal() -> (Cluster, Terminal) {
    (Cluster::new(ClusterConfig::default()), Terminal::default())
}

#[test]
fn an_http_probe_on_an_empty_web_root_fails_with_403_until_index_html_is_written() {
    let (mut c, mut t) = terminal();
    web_with(
        &mut t,
        "        readinessProbe:\n          httpGet:\n            path: /\n            port: 80\n          periodSeconds: 5\n",
    );
    sh(&mut c, &mut t, "kubectl apply -f web.yaml");
    sh(&mut c, &mut t, "sleep 2m");
    let pods = sh(&mut c, &mut t, "kubectl get pods -l app=nginx --no-headers");
    // web-0 runs but is never Ready, so OrderedReady never starts web-1.
    assert_eq!(row(&pods, "web-0")[1..3], ["0/1", "Running"], "{pods}");
    assert_eq!(pods.lines().count(), 1, "{pods}");
    let describe = sh(&mut c, &mut t, "kubectl describe pod web-0");
    assert!(
        describe.contains("Readiness probe failed: HTTP probe failed with statuscode: 403"),
        "{describe}"
    );
    let curl = sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- curl -s http://localhost/",
    );
    assert!(curl.contains("403 Forbidden"), "{curl}");

    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo $(hostname) > /usr/share/nginx/html/index.html'",
    );
    sh(&mut c, &mut t, "sleep 10");
    let pods = sh(&mut c, &mut t, "kubectl get pod web-0 --no-headers");
    assert_eq!(row(&pods, "web-0")[1..3], ["1/1", "Running"], "{pods}");
    sh(&mut c, &mut t, "sleep 1m");
    let pods = sh(&mut c, &mut t, "kubectl get pods -l app=nginx --no-headers");
    assert_eq!(
        row(&pods, "web-1")[1..3],
        ["0/1", "Running"],
        "web-1 starts, empty in its turn: {pods}"
    );
    let eps = sh(
        &mut c,
        &mut t,
        "kubectl get endpointslices -l kubernetes.io/service-name=nginx -o jsonpath='{.items[0].endpoints[*].conditions.ready}'",
    );
    assert_eq!(eps, "true false");
}

#[test]
fn an_http_probe_on_a_port_nothing_listens_on_is_refused() {
    let (mut c, mut t) = terminal();
    web_with(
        &mut t,
        "        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: 8080\n          periodSeconds: 5\n",
    );
    sh(&mut c, &mut t, "kubectl apply -f web.yaml");
    sh(&mut c, &mut t, "sleep 1m");
    let ip = sh(
        &mut c,
        &mut t,
        "kubectl get pod web-0 -o jsonpath='{.status.podIP}'",
    );
    let describe = sh(&mut c, &mut t, "kubectl describe pod web-0");
    assert!(
        describe.contains(&format!(
            "Readiness probe failed: Get \"http://{ip}:8080/healthz\": dial tcp {ip}:8080: connect: connection refused"
        )),
        "{describe}"
    );
}

#[test]
fn a_named_port_resolves_through_the_containers_ports() {
    let (mut c, mut t) = terminal();
    web_with(
        &mut t,
        "        readinessProbe:\n          tcpSocket:\n            port: web\n          periodSeconds: 5\n",
    );
    sh(&mut c, &mut t, "kubectl apply -f web.yaml");
    sh(&mut c, &mut t, "sleep 1m");
    let pods = sh(&mut c, &mut t, "kubectl get pods -l app=nginx --no-headers");
    assert_eq!(row(&pods, "web-0")[1..3], ["1/1", "Running"], "{pods}");
    assert_eq!(row(&pods, "web-1")[1..3], ["1/1", "Running"], "{pods}");
}

#[test]
fn a_tcp_probe_passes_while_a_server_listens_and_fails_on_a_shell() {
    let (mut c, mut t) = terminal();
    t.ctx.files.insert(
        "pods.yaml".into(),
        "apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: mysql
    image: mysql:5.7
    env:
    - name: MYSQL_ALLOW_EMPTY_PASSWORD
      value: \"1\"
    readinessProbe:
      tcpSocket:
        port: 3306
      periodSeconds: 5
---
apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: box
    image: busybox:1.28
    command: [sleep, '3600']
    readinessProbe:
      tcpSocket:
        port: 3306
      periodSeconds: 5
"
        .into(),
    );
    sh(&mut c, &mut t, "kubectl apply -f pods.yaml");
    sh(&mut c, &mut t, "sleep 2m");
    let pods = sh(&mut c, &mut t, "kubectl get pods --no-headers");
    assert_eq!(row(&pods, "db")[1..3], ["1/1", "Running"], "{pods}");
    assert_eq!(row(&pods, "box")[1..3], ["0/1", "Running"], "{pods}");
    let ip = sh(
        &mut c,
        &mut t,
        "kubectl get pod box -o jsonpath='{.status.podIP}'",
    );
    let describe = sh(&mut c, &mut t, "kubectl describe pod box");
    assert!(
        describe.contains(&format!(
            "Readiness probe failed: dial tcp {ip}:3306: connect: connection refused"
        )),
        "{describe}"
    );
}

#[test]
fn a_failing_http_liveness_probe_restarts_the_container() {
    let (mut c, mut t) = terminal();
    web_with(
        &mut t,
        "        livenessProbe:\n          httpGet:\n            path: /healthz\n            port: 80\n          periodSeconds: 10\n          failureThreshold: 3\n",
    );
    sh(&mut c, &mut t, "kubectl apply -f web.yaml");
    sh(&mut c, &mut t, "sleep 40");
    let describe = sh(&mut c, &mut t, "kubectl describe pod web-0");
    assert!(
        describe.contains("Liveness probe failed: HTTP probe failed with statuscode: 404"),
        "{describe}"
    );
    assert!(
        describe.contains("Container nginx failed liveness probe, will be restarted"),
        "{describe}"
    );
    let restarts = sh(
        &mut c,
        &mut t,
        "kubectl get pod web-0 -o jsonpath='{.status.containerStatuses[0].restartCount}'",
    );
    assert_eq!(restarts, "1");
    // With the page it asks for in place, the probe passes and the restarts stop.
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo ok > /usr/share/nginx/html/healthz'",
    );
    sh(&mut c, &mut t, "sleep 2m");
    let restarts = sh(
        &mut c,
        &mut t,
        "kubectl get pod web-0 -o jsonpath='{.status.containerStatuses[0].restartCount}'",
    );
    assert_eq!(restarts, "1");
}

#[test]
fn an_application_the_playground_does_not_simulate_answers_its_probes_on_its_ports() {
    let (mut c, mut t) = terminal();
    t.ctx.files.insert(
        "app.yaml".into(),
        "apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: registry.k8s.io/e2e-test-images/agnhost:2.39
    args: [netexec, --http-port=8080]
    ports:
    - containerPort: 8080
    readinessProbe:
      httpGet:
        path: /healthz
        port: 8080
      periodSeconds: 5
    livenessProbe:
      tcpSocket:
        port: 8080
"
        .into(),
    );
    sh(&mut c, &mut t, "kubectl apply -f app.yaml");
    sh(&mut c, &mut t, "sleep 1m");
    let pods = sh(&mut c, &mut t, "kubectl get pod app --no-headers");
    assert_eq!(row(&pods, "app")[1..4], ["1/1", "Running", "0"], "{pods}");
}
