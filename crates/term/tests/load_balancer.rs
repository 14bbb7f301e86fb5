//! LoadBalancer Services: their node ports (or none with `allocateLoadBalancerNodePorts: false`), the health
//! check port of `externalTrafficPolicy: Local`, and the address the service controller gets for them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use ordinal_engine::model::Service;
use ordinal_engine::Cluster;
use ordinal_term::terminal::Terminal;

fn lb(name: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: LoadBalancer\n{extra_spec}  ports:\n  - port: 80\n    name: http\n  selector:\n    app: nginx\n"
    )
}

fn apply(t: &mut Terminal, c: &mut Cluster, yaml: &str) -> (String, i32) {
    let p = t.run(c, "kubectl apply -f - <<EOF", &[yaml.to_string()]);
    (p.text, p.status)
}

fn svc(c: &Cluster, name: &str) -> Service {
    c.store()
        .get_typed::<Service>("default", name)
        .expect("the Service exists")
        .clone()
}

#[test]
fn a_load_balancer_gets_node_ports_unless_told_not_to() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &lb("web", ""));
    let s = svc(&c, "web");
    assert!(s.spec.ports[0].node_port.is_some());
    assert_eq!(s.spec.allocate_load_balancer_node_ports, Some(true));
    assert_eq!(s.spec.health_check_node_port, None);
    apply(
        &mut t,
        &mut c,
        &lb("direct", "  allocateLoadBalancerNodePorts: false\n"),
    );
    assert_eq!(svc(&c, "direct").spec.ports[0].node_port, None);
    let (text, _) = apply(
        &mut t,
        &mut c,
        &lb("np", "  allocateLoadBalancerNodePorts: true\n")
            .replace("type: LoadBalancer", "type: NodePort"),
    );
    assert_eq!(
        text,
        "The Service \"np\" is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'\n"
    );
}

#[test]
fn external_traffic_policy_local_adds_a_health_check_node_port() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(
        &mut t,
        &mut c,
        &lb("web", "  externalTrafficPolicy: Local\n"),
    );
    let s = svc(&c, "web");
    let hc = s.spec.health_check_node_port.expect("a health check port");
    assert!((30_000..=32_767).contains(&hc));
    assert_ne!(Some(hc), s.spec.ports[0].node_port);
    let describe = t.run(&mut c, "kubectl describe svc web", &[]).text;
    assert!(
        describe.contains(&format!("HealthCheck NodePort:     {hc}\n")),
        "{describe}"
    );
    // Re-applying keeps it; going back to Cluster drops it.
    apply(
        &mut t,
        &mut c,
        &lb("web", "  externalTrafficPolicy: Local\n"),
    );
    assert_eq!(svc(&c, "web").spec.health_check_node_port, Some(hc));
    apply(
        &mut t,
        &mut c,
        &lb("web", "  externalTrafficPolicy: Cluster\n"),
    );
    assert_eq!(svc(&c, "web").spec.health_check_node_port, None);
}

fn external_ip_cell(t: &mut Terminal, c: &mut Cluster, name: &str) -> String {
    let out = t
        .run(c, &format!("kubectl get svc {name} --no-headers"), &[])
        .text;
    out.split_whitespace().nth(3).unwrap_or("").to_string()
}

#[test]
fn a_load_balancer_is_pending_until_the_cloud_gives_it_an_address() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &lb("web", ""));
    assert_eq!(external_ip_cell(&mut t, &mut c, "web"), "<pending>");
    assert_eq!(
        svc(&c, "web").metadata.finalizers,
        ["service.kubernetes.io/load-balancer-cleanup"]
    );
    c.advance(3_000);
    assert_eq!(external_ip_cell(&mut t, &mut c, "web"), "172.18.255.200");
    let describe = t.run(&mut c, "kubectl describe svc web", &[]).text;
    assert!(
        describe.contains("LoadBalancer Ingress:     172.18.255.200 (VIP)\n"),
        "{describe}"
    );
    let events: Vec<&str> = describe
        .lines()
        .skip_while(|l| !l.starts_with("Events:"))
        .skip(3)
        .collect();
    assert_eq!(events.len(), 2, "{describe}");
    assert!(
        events[0].contains("EnsuringLoadBalancer")
            && events[0].contains("service-controller  Ensuring load balancer"),
        "{describe}"
    );
    assert!(
        events[1].contains("EnsuredLoadBalancer") && events[1].contains("Ensured load balancer"),
        "{describe}"
    );
    // Re-applying the manifest (which has no status) keeps the address.
    assert_eq!(
        apply(&mut t, &mut c, &lb("web", "")).0,
        "service/web unchanged\n"
    );
    assert_eq!(svc(&c, "web").ingress_ips(), ["172.18.255.200"]);
}

#[test]
fn a_watch_shows_pending_then_the_address() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &lb("web", ""));
    let out = t.run(&mut c, "kubectl get svc web -w", &[]).text;
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0][3], "EXTERNAL-IP", "{out}");
    assert_eq!(rows[1][3], "<pending>", "{out}");
    assert_eq!(rows.last().unwrap()[3], "172.18.255.200", "{out}");
}

#[test]
fn addresses_come_from_the_pool_lowest_free_first_and_are_given_back() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &lb("a", ""));
    apply(&mut t, &mut c, &lb("b", ""));
    apply(
        &mut t,
        &mut c,
        &lb("asked", "  loadBalancerIP: 172.18.255.240\n"),
    );
    c.advance(3_000);
    assert_eq!(svc(&c, "a").ingress_ips(), ["172.18.255.200"]);
    assert_eq!(svc(&c, "b").ingress_ips(), ["172.18.255.201"]);
    assert_eq!(svc(&c, "asked").ingress_ips(), ["172.18.255.240"]);
    // Deleting a LoadBalancer Service removes its load balancer first, then the Service.
    let p = t.run(&mut c, "kubectl delete svc a", &[]);
    assert_eq!(p.text, "service \"a\" deleted from default namespace\n");
    assert!(c.store().get_typed::<Service>("default", "a").is_none());
    let events = t
        .run(
            &mut c,
            "kubectl get events --field-selector involvedObject.name=a",
            &[],
        )
        .text;
    let reasons: Vec<&str> = events
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(
        reasons,
        [
            "EnsuringLoadBalancer",
            "EnsuredLoadBalancer",
            "DeletingLoadBalancer",
            "DeletedLoadBalancer"
        ],
        "{events}"
    );
    apply(&mut t, &mut c, &lb("c", ""));
    c.advance(3_000);
    assert_eq!(svc(&c, "c").ingress_ips(), ["172.18.255.200"]);
}

#[test]
fn a_load_balancer_turned_into_a_cluster_ip_service_loses_its_address() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &lb("web", ""));
    c.advance(3_000);
    let (text, _) = apply(
        &mut t,
        &mut c,
        &lb("web", "").replace("type: LoadBalancer", "type: ClusterIP"),
    );
    assert_eq!(text, "service/web configured\n");
    let s = svc(&c, "web");
    assert!(s.ingress_ips().is_empty());
    assert!(s.metadata.finalizers.is_empty());
    assert!(s.spec.ports[0].node_port.is_none());
    assert_eq!(external_ip_cell(&mut t, &mut c, "web"), "<none>");
}

#[test]
fn an_address_outside_the_pool_is_refused_by_the_cloud() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &lb("web", "  loadBalancerIP: 10.1.2.3\n"));
    c.advance(3_000);
    assert_eq!(external_ip_cell(&mut t, &mut c, "web"), "<pending>");
    let describe = t.run(&mut c, "kubectl describe svc web", &[]).text;
    assert!(
        describe.contains("Desired LoadBalancer IP:  10.1.2.3\n"),
        "{describe}"
    );
    assert!(
        describe.contains("Error syncing load balancer: failed to ensure load balancer: requested address 10.1.2.3 is not in the pool 172.18.255.200-172.18.255.250"),
        "{describe}"
    );
}

#[test]
fn curl_to_the_load_balancer_address_lands_on_every_ready_pod() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), common::WEB_YAML.into());
    let p = t.run(
        &mut c,
        "kubectl apply -f web.yaml && kubectl rollout status sts/web",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    t.run(&mut c, r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done"#, &[]);
    apply(&mut t, &mut c, &lb("web-lb", ""));
    // Before the address exists there is nothing to connect to.
    assert_eq!(external_ip_cell(&mut t, &mut c, "web-lb"), "<pending>");
    c.advance(3_000);
    let mut from_host = std::collections::BTreeSet::new();
    let mut from_pod = std::collections::BTreeSet::new();
    for _ in 0..20 {
        from_host.insert(t.run(&mut c, "curl -s http://172.18.255.200/", &[]).text);
        from_pod.insert(
            t.run(&mut c, "kubectl exec web-0 -- curl -s 172.18.255.200", &[])
                .text,
        );
    }
    let both = vec!["web-0\n".to_string(), "web-1\n".to_string()];
    assert_eq!(from_host.into_iter().collect::<Vec<_>>(), both);
    assert_eq!(from_pod.into_iter().collect::<Vec<_>>(), both);
}

#[test]
fn the_learners_machine_cannot_reach_cluster_or_pod_addresses() {
    let mut c = common::cluster();
    let mut t = Terminal::default();
    apply(&mut t, &mut c, &lb("web", ""));
    let cluster_ip = svc(&c, "web").spec.cluster_ip.unwrap();
    let p = t.run(&mut c, &format!("curl -s http://{cluster_ip}/"), &[]);
    assert_eq!(
        (p.text, p.status),
        (
            format!("curl: (28) Failed to connect to {cluster_ip} port 80 after 133014 ms: Couldn't connect to server\n"),
            28
        )
    );
    let p = t.run(&mut c, "curl 10.244.1.2:8080", &[]);
    assert_eq!(
        p.text,
        "curl: (28) Failed to connect to 10.244.1.2 port 8080 after 133014 ms: Couldn't connect to server\n"
    );
    // An unused address on kind's Docker network: nobody answers ARP.
    let p = t.run(&mut c, "curl http://172.18.0.9/", &[]);
    assert_eq!(
        (p.text, p.status),
        ("curl: (7) Failed to connect to 172.18.0.9 port 80 after 3068 ms: Couldn't connect to server\n".to_string(), 7)
    );
}
