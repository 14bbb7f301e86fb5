//! LoadBalancer Services: their node ports (or none with `allocateLoadBalancerNodePorts: false`), the health
//! check port of `externalTrafficPolicy: Local`, and the address the service controller gets for them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use ordinal_engine::kubectl::terminal::Terminal;
use ordinal_engine::model::Service;
use ordinal_engine::Cluster;

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
