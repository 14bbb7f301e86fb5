//! CoreDNS's answer codes where they are easy to get wrong (k8s-behaviour.md 3.3–3.4): AAAA and other types
//! are NODATA for every name that exists and NXDOMAIN otherwise; `pods insecure` names need an existing
//! namespace; a headless Service without ready pods has no records of any type; and pods whose `serviceName`
//! names no Service get only the dashed-IP names of the Services that select them.

#![allow(clippy::unwrap_used)]

use ordinal_engine::dns::{QType, RData, Rcode};
use ordinal_engine::model::Pod;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

const WEB: &str = include_str!("fixtures/web.yaml");

fn cluster_with(files: &[(&str, String)], cmd: &str) -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    for (name, text) in files {
        t.ctx.files.insert((*name).into(), text.clone());
    }
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, cmd, &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn pod_ip(c: &Cluster, name: &str) -> String {
    c.store()
        .get_typed::<Pod>("default", name)
        .and_then(|p| p.status.pod_ip.clone())
        .unwrap()
}

/// (answer code, number of answers): NODATA is `(NoError, 0)`.
fn code(c: &mut Cluster, name: &str, t: QType) -> (Rcode, usize) {
    let r = c.dns_query(name, t);
    (r.rcode, r.answer.len())
}

const NODATA: (Rcode, usize) = (Rcode::NoError, 0);
const NX: (Rcode, usize) = (Rcode::NxDomain, 0);

#[test]
fn aaaa_and_txt_are_nodata_wherever_the_name_exists() {
    let (mut c, _) = cluster_with(
        &[("web.yaml", WEB.into())],
        "kubectl apply -f web.yaml && kubectl rollout status sts/web",
    );
    let dashed = pod_ip(&c, "web-0").replace('.', "-");
    for name in [
        "nginx.default.svc.cluster.local".to_string(),
        "web-0.nginx.default.svc.cluster.local".into(),
        "kubernetes.default.svc.cluster.local".into(),
        "_web._tcp.nginx.default.svc.cluster.local".into(),
        format!("{dashed}.default.pod.cluster.local"),
        "default.svc.cluster.local".into(),
    ] {
        assert_eq!(code(&mut c, &name, QType::Aaaa), NODATA, "AAAA {name}");
        assert_eq!(code(&mut c, &name, QType::Txt), NODATA, "TXT {name}");
    }
    for name in [
        "web-9.nginx.default.svc.cluster.local",
        "nope.default.svc.cluster.local",
        "_http._tcp.nginx.default.svc.cluster.local",
        "nginx.nowhere.svc.cluster.local",
    ] {
        assert_eq!(code(&mut c, name, QType::Aaaa), NX, "AAAA {name}");
    }
}

#[test]
fn pod_names_answer_any_address_in_an_existing_namespace() {
    let mut c = Cluster::new(ClusterConfig::default());
    let r = c.dns_query("1-2-3-4.default.pod.cluster.local", QType::A);
    assert_eq!(r.addresses(), ["1.2.3.4"]);
    assert_eq!(code(&mut c, "default.pod.cluster.local", QType::A), NODATA);
    for name in [
        "1-2-3-4.nowhere.pod.cluster.local",
        "nowhere.pod.cluster.local",
        "01-2-3-4.default.pod.cluster.local",
        "1-2-3.default.pod.cluster.local",
        "1-2-3-400.default.pod.cluster.local",
        "web-0.default.pod.cluster.local",
    ] {
        assert_eq!(code(&mut c, name, QType::A), NX, "{name}");
    }
}

#[test]
fn a_headless_service_without_ready_pods_has_no_records() {
    let svc = WEB.split("---").next().unwrap().to_string();
    let (mut c, _) = cluster_with(&[("svc.yaml", svc)], "kubectl apply -f svc.yaml");
    for (name, t) in [
        ("nginx.default.svc.cluster.local", QType::A),
        ("nginx.default.svc.cluster.local", QType::Srv),
        ("nginx.default.svc.cluster.local", QType::Aaaa),
        ("_web._tcp.nginx.default.svc.cluster.local", QType::Srv),
    ] {
        assert_eq!(code(&mut c, name, t), NX, "{name} {t:?}");
    }
    // A ClusterIP Service answers its address with no endpoints at all.
    let (mut c, _) = cluster_with(
        &[(
            "svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely\nspec:\n  selector:\n    app: none\n  ports:\n  - port: 80\n    name: http\n".into(),
        )],
        "kubectl apply -f svc.yaml",
    );
    assert_eq!(
        code(&mut c, "lonely.default.svc.cluster.local", QType::A),
        (Rcode::NoError, 1)
    );
    let srv = c.dns_query("_http._tcp.lonely.default.svc.cluster.local", QType::Srv);
    assert!(matches!(
        &srv.answer[0].data,
        RData::Srv { priority: 0, weight: 100, port: 80, target } if target == "lonely.default.svc.cluster.local."
    ));
}

#[test]
fn pods_whose_service_name_names_no_service_get_only_dashed_names() {
    // The set names `missing`, which does not exist; a ClusterIP Service `web-lb` selects its pods.
    let web = WEB
        .replace("serviceName: \"nginx\"", "serviceName: \"missing\"")
        .replace("  name: nginx\n", "  name: web-lb\n")
        .replace("  clusterIP: None\n", "");
    let (mut c, mut t) = cluster_with(
        &[("web.yaml", web)],
        "kubectl apply -f web.yaml && kubectl rollout status sts/web",
    );
    let ip = pod_ip(&c, "web-0");
    let dashed = ip.replace('.', "-");
    assert_eq!(
        code(&mut c, "web-0.missing.default.svc.cluster.local", QType::A),
        NX
    );
    assert_eq!(
        code(&mut c, "web-0.web-lb.default.svc.cluster.local", QType::A),
        NX,
        "the endpoints of a Service the pod's subdomain does not name carry no hostname"
    );
    let r = c.dns_query(
        &format!("{dashed}.web-lb.default.svc.cluster.local"),
        QType::A,
    );
    assert_eq!(r.addresses(), std::slice::from_ref(&ip));
    let rev: Vec<&str> = ip.split('.').rev().collect();
    let ptr = c.dns_query(&format!("{}.in-addr.arpa", rev.join(".")), QType::Ptr);
    assert_eq!(
        ptr.answer
            .iter()
            .map(|r| r.data.clone())
            .collect::<Vec<_>>(),
        [RData::Ptr(format!(
            "{dashed}.web-lb.default.svc.cluster.local."
        ))]
    );
    // The kubelet still writes the subdomain into /etc/hosts, so the pod knows a name nobody else resolves.
    assert_eq!(
        t.run(&mut c, "kubectl exec web-0 -- hostname -f", &[]).text,
        "web-0.missing.default.svc.cluster.local\n"
    );
    assert_eq!(
        t.run(&mut c, "kubectl exec web-1 -- curl -s web-0.missing", &[])
            .text,
        "curl: (6) Could not resolve host: web-0.missing\ncommand terminated with exit code 6\n"
    );
    // Creating the governing headless Service gives the pods their names.
    let governing = "apiVersion: v1\nkind: Service\nmetadata:\n  name: missing\nspec:\n  clusterIP: None\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n    name: web\n";
    t.run(&mut c, "kubectl apply -f - <<EOF", &[governing.to_string()]);
    c.advance(1_000);
    assert_eq!(
        c.dns_query("web-0.missing.default.svc.cluster.local", QType::A)
            .addresses(),
        [ip]
    );
}

#[test]
fn node_names_resolve_from_pods_through_kinds_docker_dns_but_not_on_the_host() {
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-np\nspec:\n  type: NodePort\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n    name: http\n    nodePort: 30080\n";
    let (mut c, mut t) = cluster_with(
        &[("web.yaml", WEB.into()), ("np.yaml", svc.into())],
        "kubectl apply -f web.yaml -f np.yaml && kubectl rollout status sts/web",
    );
    t.run(&mut c, r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done"#, &[]);
    // CoreDNS forwards the name upstream, where Docker's DNS knows the node containers.
    let r = c.dns_query("kind-worker", QType::A);
    assert_eq!(
        (r.addresses(), r.answer[0].ttl),
        (vec!["172.18.0.3".to_string()], 600)
    );
    assert_eq!(code(&mut c, "kind-worker", QType::Aaaa), NODATA);
    assert_eq!(code(&mut c, "no-such-node", QType::A), NX);
    let ptr = c.dns_query("3.0.18.172.in-addr.arpa", QType::Ptr);
    assert_eq!(ptr.answer[0].data, RData::Ptr("kind-worker.kind.".into()));
    let out = t
        .run(
            &mut c,
            "kubectl exec web-0 -- curl -s kind-worker2:30080",
            &[],
        )
        .text;
    assert!(out == "web-0\n" || out == "web-1\n", "{out}");
    // The learner's machine does not use Docker's DNS: the name is unknown there.
    assert_eq!(
        t.run(&mut c, "curl -s kind-worker:30080", &[]).text,
        "curl: (6) Could not resolve host: kind-worker\n"
    );
}
