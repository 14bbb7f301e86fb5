//! Services as the API server and the service controller handle them: node ports from 30000–32767 (asked for
//! or drawn), kept across re-applies, refused when taken or out of range; LoadBalancer addresses; and traffic
//! through a node port or a load balancer reaching a ready pod.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use ordinal_engine::model::Service;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn node_port_svc(name: &str, node_port: Option<i64>) -> String {
    let np = node_port.map_or(String::new(), |n| format!("    nodePort: {n}\n"));
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    name: client\n{np}  selector:\n    app: nginx\n"
    )
}

fn apply(t: &mut Terminal, c: &mut Cluster, yaml: &str) -> (String, i32) {
    let p = t.run(c, "kubectl apply -f - <<EOF", &[yaml.to_string()]);
    (p.text, p.status)
}

fn node_ports(c: &Cluster, name: &str) -> Vec<i64> {
    c.store()
        .get_typed::<Service>("default", name)
        .expect("the Service exists")
        .spec
        .ports
        .iter()
        .filter_map(|p| p.node_port)
        .collect()
}

#[test]
fn an_explicit_node_port_is_kept_and_shown_in_port_s() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    let yaml = node_port_svc("nginx-svc", Some(30080));
    assert_eq!(
        apply(&mut t, &mut c, &yaml),
        ("service/nginx-svc created\n".to_string(), 0)
    );
    let get = t.run(&mut c, "kubectl get svc nginx-svc", &[]).text;
    let row = get.lines().nth(1).unwrap();
    assert!(
        row.contains("NodePort") && row.contains("80:30080/TCP") && row.contains("<none>"),
        "{get}"
    );
    // Re-applying the same file changes nothing; neither does a patch that leaves the port alone.
    assert_eq!(
        apply(&mut t, &mut c, &yaml).0,
        "service/nginx-svc unchanged\n"
    );
    let p = t.run(
        &mut c,
        r#"kubectl patch svc nginx-svc -p '{"metadata":{"labels":{"tier":"web"}}}'"#,
        &[],
    );
    assert_eq!(p.text, "service/nginx-svc patched\n");
    assert_eq!(node_ports(&c, "nginx-svc"), [30080]);
}

#[test]
fn a_node_port_left_out_is_drawn_once_and_kept_by_replace() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &node_port_svc("a", None));
    let [port] = node_ports(&c, "a")[..] else {
        panic!("one node port")
    };
    // Drawn from the upper band; the lowest 86 ports are kept for ports chosen by hand.
    assert!((30_086..=32_767).contains(&port), "{port}");
    assert_eq!(
        apply(&mut t, &mut c, &node_port_svc("a", None)).0,
        "service/a unchanged\n"
    );
    // A full update (what `kubectl replace` sends) without the nodePort keeps the allocated one, matched by
    // port name.
    let mut svc = c
        .store()
        .get_typed::<Service>("default", "a")
        .unwrap()
        .clone();
    svc.spec.ports[0].node_port = None;
    c.update(ordinal_engine::model::Object::Service(svc.into()))
        .unwrap();
    assert_eq!(node_ports(&c, "a"), [port]);
}

#[test]
fn drawn_node_ports_are_distinct_and_follow_the_seed() {
    let draw = |seed| {
        let mut c = Cluster::new(ClusterConfig {
            seed,
            ..ClusterConfig::default()
        });
        let mut t = Terminal::default();
        (0..6)
            .map(|i| {
                apply(&mut t, &mut c, &node_port_svc(&format!("s{i}"), None));
                node_ports(&c, &format!("s{i}"))[0]
            })
            .collect::<Vec<_>>()
    };
    let a = draw(1);
    assert_eq!(a, draw(1), "the same seed draws the same ports");
    assert_ne!(a, draw(2));
    let distinct: std::collections::BTreeSet<_> = a.iter().collect();
    assert_eq!(distinct.len(), a.len());
}

#[test]
fn a_taken_node_port_is_refused_until_its_service_is_deleted() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &node_port_svc("nginx-svc", Some(30080)));
    let (text, status) = apply(&mut t, &mut c, &node_port_svc("other", Some(30080)));
    assert_eq!(
        text,
        "The Service \"other\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n"
    );
    assert_eq!(status, 1);
    assert!(c.store().get_typed::<Service>("default", "other").is_none());
    t.run(&mut c, "kubectl delete svc nginx-svc", &[]);
    assert_eq!(
        apply(&mut t, &mut c, &node_port_svc("other", Some(30080))).0,
        "service/other created\n"
    );
}

#[test]
fn a_node_port_outside_the_range_is_refused() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    let (text, status) = apply(&mut t, &mut c, &node_port_svc("web", Some(8080)));
    assert_eq!(
        text,
        "The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767\n"
    );
    assert_eq!(status, 1);
}

#[test]
fn one_service_cannot_name_a_node_port_twice_for_one_protocol() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: dup\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    name: a\n    nodePort: 30100\n  - port: 81\n    name: b\n    nodePort: 30100\n  selector:\n    app: nginx\n";
    assert_eq!(
        apply(&mut t, &mut c, yaml).0,
        "The Service \"dup\" is invalid: spec.ports[1].nodePort: Duplicate value: 30100\n"
    );
    // TCP and UDP on the same port number share one drawn node port.
    let dns = "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns\nspec:\n  type: NodePort\n  ports:\n  - port: 53\n    name: dns\n    protocol: UDP\n  - port: 53\n    name: dns-tcp\n    protocol: TCP\n  selector:\n    app: dns\n";
    apply(&mut t, &mut c, dns);
    let ports = node_ports(&c, "dns");
    assert_eq!(ports.len(), 2);
    assert_eq!(ports[0], ports[1]);
}

#[test]
fn switching_back_to_cluster_ip_releases_the_node_port() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &node_port_svc("web", Some(30080)));
    let cluster_ip =
        node_port_svc("web", None).replace("  type: NodePort\n", "  type: ClusterIP\n");
    let (text, status) = apply(&mut t, &mut c, &cluster_ip);
    assert_eq!((text.as_str(), status), ("service/web configured\n", 0));
    assert!(node_ports(&c, "web").is_empty());
    let svc = c.store().get_typed::<Service>("default", "web").unwrap();
    assert_eq!(svc.spec.external_traffic_policy, None);
    // The port is free again.
    assert_eq!(
        apply(&mut t, &mut c, &node_port_svc("other", Some(30080))).0,
        "service/other created\n"
    );
    // Naming a node port on a ClusterIP Service is refused.
    let bad = node_port_svc("bad", Some(30081)).replace("  type: NodePort\n", "");
    assert_eq!(
        apply(&mut t, &mut c, &bad).0,
        "The Service \"bad\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n"
    );
}

#[test]
fn a_watch_on_several_types_is_refused_as_kubectl_refuses_it() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    for cmd in [
        "kubectl get pods,svc -w",
        "kubectl get all --watch",
        "kubectl get pod/web-0 svc/nginx -w",
        "kubectl get pods,po --watch-only",
    ] {
        let p = t.run(&mut c, cmd, &[]);
        assert_eq!(
            p.text, "error: you may only specify a single resource type\n",
            "{cmd}"
        );
        assert_eq!(p.status, 1, "{cmd}");
    }
}

/// web-0 and web-1 (the tutorial's StatefulSet) each serving its own name, behind a NodePort Service.
fn web_behind_node_port() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -f web.yaml && sleep 2m", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    let p = t.run(
        &mut c,
        r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done"#,
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    let (text, status) = apply(&mut t, &mut c, &node_port_svc("nginx-np", Some(30080)));
    assert_eq!(status, 0, "{text}");
    (c, t)
}

#[test]
fn a_node_port_is_reachable_from_the_learners_machine_on_every_node() {
    let (mut c, mut t) = web_behind_node_port();
    let ips: Vec<String> = c
        .store()
        .list::<ordinal_engine::model::Node>(None)
        .filter_map(|n| n.internal_ip().map(str::to_string))
        .collect();
    assert!(ips.len() > 1);
    let mut seen = std::collections::BTreeSet::new();
    for ip in &ips {
        for _ in 0..6 {
            let p = t.run(&mut c, &format!("curl -s http://{ip}:30080/"), &[]);
            assert_eq!(p.status, 0, "{}", p.text);
            seen.insert(p.text);
        }
    }
    // kube-proxy's random choice spreads the requests over both ready pods.
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["web-0\n", "web-1\n"]);
    // A port nothing listens on is refused, as curl reports it.
    let p = t.run(&mut c, &format!("curl http://{}:30081/", ips[0]), &[]);
    assert_eq!(p.status, 7);
    assert_eq!(
        p.text,
        format!(
            "curl: (7) Failed to connect to {} port 30081 after 0 ms: Couldn't connect to server\n",
            ips[0]
        )
    );
}

#[test]
fn a_node_port_is_reachable_from_a_pod_through_a_nodes_address() {
    let (mut c, mut t) = web_behind_node_port();
    let ip = c
        .store()
        .list::<ordinal_engine::model::Node>(None)
        .find_map(|n| n.internal_ip().map(str::to_string))
        .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..8 {
        let p = t.run(
            &mut c,
            &format!("kubectl exec web-0 -- curl -s http://{ip}:30080/"),
            &[],
        );
        assert_eq!(p.status, 0, "{}", p.text);
        seen.insert(p.text);
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["web-0\n", "web-1\n"]);
}

/// The WordPress tutorial (kubernetes.io, "Deploying WordPress and MySQL with Persistent Volumes"): once
/// WordPress can log in to wordpress-mysql, a fresh install answers every front-end request with a redirect
/// to its installer (wp-includes/load.php `wp_not_installed`), a 302 with an empty body, so curl prints
/// nothing and succeeds, through the Service's cluster IP and through its load balancer address.
#[test]
fn a_fresh_wordpress_answers_through_its_service() {
    let mut t = Terminal::default();
    for (name, text) in [
        (
            "kustomization.yaml",
            include_str!("fixtures/wordpress/kustomization.yaml"),
        ),
        (
            "mysql-deployment.yaml",
            include_str!("fixtures/wordpress/mysql-deployment.yaml"),
        ),
        (
            "wordpress-deployment.yaml",
            include_str!("fixtures/wordpress/wordpress-deployment.yaml"),
        ),
    ] {
        t.ctx.files.insert(name.into(), text.into());
    }
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -k ./ && sleep 2m", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    let ip = t
        .run(
            &mut c,
            "kubectl get svc wordpress -o jsonpath='{.spec.clusterIP}'",
            &[],
        )
        .text;
    for url in [
        format!("http://{ip}/"),
        "http://wordpress/".to_string(),
        "http://wordpress/?p=1".to_string(),
    ] {
        let p = t.run(
            &mut c,
            &format!("kubectl exec deploy/wordpress -- curl -s {url}; echo \"exit $?\""),
            &[],
        );
        assert_eq!(p.text, "exit 0\n", "{url}");
    }
    let lb = t
        .run(
            &mut c,
            "kubectl get svc wordpress -o jsonpath='{.status.loadBalancer.ingress[0].ip}'",
            &[],
        )
        .text;
    if !lb.is_empty() {
        let p = t.run(&mut c, &format!("curl http://{lb}/"), &[]);
        assert_eq!((p.text.as_str(), p.status), ("", 0));
    }
}
