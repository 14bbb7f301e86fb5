//! httpGet and tcpSocket probes run against the simulated container runtime, as the kubelet's prober runs them
//! against a real pod IP: nginx answers from its web root (403 for an empty volume mounted over it), mysqld
//! listens on 3306, and a port nothing listens on refuses the connection. What the learner writes into a
//! container changes the outcome on the probe schedule.

mod common;

use common::*;
use ordinal_engine::model::Pod;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    let p = t.run(c, line, &[]);
    p.text
}

fn ip_of(c: &Cluster, name: &str) -> String {
    c.store()
        .get_typed::<Pod>("default", name)
        .and_then(|p| p.status.pod_ip.clone())
        .unwrap_or_default()
}

fn restarts(c: &Cluster, name: &str) -> i64 {
    c.store()
        .get_typed::<Pod>("default", name)
        .and_then(|p| p.status.container_statuses.first().map(|s| s.restart_count))
        .unwrap_or_default()
}

/// web.yaml with one replica and `probe` (YAML lines at the container's indentation) on its nginx container.
fn web_with(t: &mut Terminal, probe: &str) {
    let web = WEB_YAML.replace("replicas: 2", "replicas: 1").replace(
        "        volumeMounts:",
        &format!("{probe}        volumeMounts:"),
    );
    t.ctx.files.insert("web.yaml".into(), web);
}

const HTTP_READINESS: &str =
    "        readinessProbe:\n          httpGet:\n            path: /\n            port: web\n          periodSeconds: 5\n          failureThreshold: 1\n";

#[test]
fn an_http_readiness_probe_on_an_empty_web_root_gets_403_until_index_html_is_written() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    web_with(&mut t, HTTP_READINESS);
    sh(&mut c, &mut t, "kubectl apply -f web.yaml && sleep 1m");
    let get = sh(&mut c, &mut t, "kubectl get pod web-0");
    assert!(get.contains("web-0   0/1     Running"), "{get}");
    let describe = sh(&mut c, &mut t, "kubectl describe pod web-0");
    assert!(
        describe.contains("Readiness probe failed: HTTP probe failed with statuscode: 403"),
        "{describe}"
    );
    assert!(describe.contains("Unhealthy"), "{describe}");
    let ip = ip_of(&c, "web-0");
    let eps = sh(&mut c, &mut t, "kubectl get endpoints nginx");
    assert!(!eps.contains(&ip), "an unready pod is no endpoint: {eps}");

    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo hi > /usr/share/nginx/html/index.html' && sleep 10",
    );
    let get = sh(&mut c, &mut t, "kubectl get pod web-0");
    assert!(get.contains("web-0   1/1     Running"), "{get}");
    let eps = sh(&mut c, &mut t, "kubectl get endpoints nginx");
    assert!(eps.contains(&format!("{ip}:80")), "{eps}");

    // Taking the page away fails the next probe: the pod drops out of the Service's endpoints.
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- rm /usr/share/nginx/html/index.html && sleep 10",
    );
    let get = sh(&mut c, &mut t, "kubectl get pod web-0");
    assert!(get.contains("web-0   0/1     Running"), "{get}");
    let eps = sh(&mut c, &mut t, "kubectl get endpoints nginx");
    assert!(!eps.contains(&ip), "{eps}");
    // Nothing left to change: the probes stop scheduling and the cluster goes idle.
    assert!(c.run_until_idle() < 60_000);
}

#[test]
fn a_probe_on_a_port_nothing_listens_on_is_refused() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    web_with(
        &mut t,
        "        readinessProbe:\n          httpGet:\n            port: 8080\n          periodSeconds: 5\n",
    );
    sh(&mut c, &mut t, "kubectl apply -f web.yaml && sleep 1m");
    let ip = ip_of(&c, "web-0");
    let describe = sh(&mut c, &mut t, "kubectl describe pod web-0");
    assert!(
        describe.contains(&format!(
            "Readiness probe failed: Get \"http://{ip}:8080/\": dial tcp {ip}:8080: connect: connection refused"
        )),
        "{describe}"
    );
}

#[test]
fn the_fault_button_fails_an_http_probe_the_server_would_pass() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    web_with(&mut t, HTTP_READINESS);
    sh(&mut c, &mut t, "kubectl apply -f web.yaml && sleep 1m");
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo hi > /usr/share/nginx/html/index.html' && sleep 10",
    );
    assert!(is_ready(&c, "web-0"));
    c.set_readiness_broken("default", "web-0", true).unwrap();
    c.advance(10_000);
    assert!(!is_ready(&c, "web-0"));
    c.set_readiness_broken("default", "web-0", false).unwrap();
    c.advance(10_000);
    assert!(is_ready(&c, "web-0"));
}

const MYSQL: &str = "apiVersion: v1
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
    ports:
    - name: mysql
      containerPort: 3306
    readinessProbe:
      tcpSocket:
        port: PORT
      periodSeconds: 2
";

#[test]
fn a_tcp_probe_passes_when_mysqld_listens_on_3306() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("db.yaml".into(), MYSQL.replace("PORT", "3306"));
    sh(&mut c, &mut t, "kubectl apply -f db.yaml && sleep 1m");
    let get = sh(&mut c, &mut t, "kubectl get pod db");
    assert!(get.contains("db     1/1     Running"), "{get}");
}

#[test]
fn a_tcp_probe_on_another_port_is_refused() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("db.yaml".into(), MYSQL.replace("PORT", "3307"));
    sh(&mut c, &mut t, "kubectl apply -f db.yaml && sleep 1m");
    let ip = ip_of(&c, "db");
    let get = sh(&mut c, &mut t, "kubectl get pod db");
    assert!(get.contains("db     0/1     Running"), "{get}");
    let describe = sh(&mut c, &mut t, "kubectl describe pod db");
    assert!(
        describe.contains(&format!(
            "Readiness probe failed: dial tcp {ip}:3307: connect: connection refused"
        )),
        "{describe}"
    );
}

#[test]
fn a_failing_http_liveness_probe_restarts_nginx() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    web_with(
        &mut t,
        "        livenessProbe:\n          httpGet:\n            path: /healthz\n            port: 80\n          periodSeconds: 5\n",
    );
    sh(&mut c, &mut t, "kubectl apply -f web.yaml && sleep 20s");
    assert_eq!(restarts(&c, "web-0"), 0);
    sh(&mut c, &mut t, "sleep 30s");
    assert!(restarts(&c, "web-0") >= 1);
    let events = sh(
        &mut c,
        &mut t,
        "kubectl get events --field-selector involvedObject.name=web-0",
    );
    assert!(
        events.contains("Liveness probe failed: HTTP probe failed with statuscode: 404"),
        "{events}"
    );
    assert!(
        events.contains("Container nginx failed liveness probe, will be restarted"),
        "{events}"
    );
}

#[test]
fn a_passing_http_liveness_probe_leaves_nginx_running() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    web_with(
        &mut t,
        "        livenessProbe:\n          httpGet:\n            path: /healthz\n            port: 80\n          periodSeconds: 5\n",
    );
    sh(
        &mut c,
        &mut t,
        "kubectl apply -f web.yaml && sleep 10s && kubectl exec web-0 -- sh -c 'echo ok > /usr/share/nginx/html/healthz' && sleep 2m",
    );
    assert_eq!(restarts(&c, "web-0"), 0);
}

#[test]
fn a_broken_tcp_probe_names_the_pod_address_it_dialled() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    web_with(
        &mut t,
        "        readinessProbe:\n          tcpSocket:\n            port: web\n          periodSeconds: 5\n          failureThreshold: 1\n",
    );
    sh(&mut c, &mut t, "kubectl apply -f web.yaml && sleep 1m");
    assert!(is_ready(&c, "web-0"), "nginx listens on 80");
    c.set_readiness_broken("default", "web-0", true).unwrap();
    c.advance(10_000);
    let ip = ip_of(&c, "web-0");
    let describe = sh(&mut c, &mut t, "kubectl describe pod web-0");
    assert!(
        describe.contains(&format!(
            "Readiness probe failed: dial tcp {ip}:80: connect: connection refused"
        )),
        "{describe}"
    );
}

const STARTUP: &str = "        startupProbe:\n          httpGet:\n            path: /\n            port: 80\n          periodSeconds: 5\n          failureThreshold: 6\n";

#[test]
fn a_startup_probe_holds_the_container_unstarted_and_unready_until_it_passes() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    web_with(&mut t, STARTUP);
    sh(&mut c, &mut t, "kubectl apply -f web.yaml && sleep 15s");
    let get = sh(&mut c, &mut t, "kubectl get pod web-0");
    assert!(get.contains("web-0   0/1     Running"), "{get}");
    let started = |c: &Cluster| {
        c.store()
            .get_typed::<Pod>("default", "web-0")
            .and_then(|p| p.status.container_statuses.first().and_then(|s| s.started))
    };
    assert_eq!(started(&c), Some(false));
    sh(
        &mut c,
        &mut t,
        "kubectl exec web-0 -- sh -c 'echo hi > /usr/share/nginx/html/index.html' && sleep 10",
    );
    assert_eq!(started(&c), Some(true));
    assert!(is_ready(&c, "web-0"));
    assert_eq!(restarts(&c, "web-0"), 0);
    assert!(c.run_until_idle() < 60_000);
}

#[test]
fn a_startup_probe_that_keeps_failing_restarts_the_container() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    web_with(&mut t, STARTUP);
    sh(&mut c, &mut t, "kubectl apply -f web.yaml && sleep 1m");
    assert!(restarts(&c, "web-0") >= 1);
    let events = sh(
        &mut c,
        &mut t,
        "kubectl get events --field-selector involvedObject.name=web-0",
    );
    assert!(
        events.contains("Startup probe failed: HTTP probe failed with statuscode: 403"),
        "{events}"
    );
    assert!(
        events.contains("Container nginx failed startup probe, will be restarted"),
        "{events}"
    );
}
