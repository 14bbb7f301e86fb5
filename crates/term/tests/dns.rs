//! Cluster DNS as CoreDNS answers it (k8s-behaviour.md 3.3–3.5), the pod resolver's search list (3.7), and
//! what learners see from `nslookup`, `dig` and `curl` inside pods.

// A failed lookup in a test is a failed test: unwrap is the assertion here.
#![allow(clippy::unwrap_used)]
use ordinal_engine::dns::{Libc, QType, RData, Rcode};
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
        "kubectl apply -f web.yaml && kubectl rollout status sts/web",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn pod_ip(c: &Cluster, name: &str) -> String {
    c.store()
        .get_typed::<ordinal_engine::model::Pod>("default", name)
        .and_then(|p| p.status.pod_ip.clone())
        .unwrap()
}

#[test]
fn records_and_answer_codes() {
    let (mut c, _) = setup();
    let web0 = pod_ip(&c, "web-0");
    // Per-pod record of the governing headless Service.
    let r = c.dns_query("web-0.nginx.default.svc.cluster.local", QType::A);
    assert_eq!(r.rcode, Rcode::NoError);
    assert_eq!(r.addresses(), vec![web0.clone()]);
    assert_eq!(r.answer[0].ttl, 30);
    // The headless Service answers every ready pod.
    let mut all = c
        .dns_query("nginx.default.svc.cluster.local", QType::A)
        .addresses();
    ordinal_engine::sort::sort(&mut all);
    let mut want = vec![web0.clone(), pod_ip(&c, "web-1")];
    ordinal_engine::sort::sort(&mut want);
    assert_eq!(all, want);
    // NODATA: the name exists, no AAAA; the namespace and zone apexes.
    for (name, t) in [
        ("nginx.default.svc.cluster.local", QType::Aaaa),
        ("default.svc.cluster.local", QType::A),
        ("cluster.local", QType::A),
    ] {
        let r = c.dns_query(name, t);
        assert_eq!((r.rcode, r.answer.len()), (Rcode::NoError, 0), "{name}");
    }
    // NXDOMAIN: unknown pod, service, namespace, second-level label.
    for name in [
        "web-9.nginx.default.svc.cluster.local",
        "nope.default.svc.cluster.local",
        "nginx.nowhere.svc.cluster.local",
        "web-0.nginx.default.svc.cluster",
        "web-0.nginx.cluster.local",
    ] {
        assert_eq!(c.dns_query(name, QType::A).rcode, Rcode::NxDomain, "{name}");
    }
    // A ClusterIP Service answers its virtual IP.
    assert_eq!(
        c.dns_query("kubernetes.default.svc.cluster.local", QType::A)
            .addresses(),
        vec!["10.96.0.1".to_string()]
    );
    // SRV with the additional section; PTR for a pod address.
    let srv = c.dns_query("_web._tcp.nginx.default.svc.cluster.local", QType::Srv);
    assert_eq!(srv.answer.len(), 2);
    assert!(srv.answer.iter().all(|r| matches!(
        &r.data,
        RData::Srv {
            priority: 0,
            weight: 50,
            port: 80,
            ..
        }
    )));
    assert_eq!(srv.additional.len(), 2);
    assert_eq!(
        c.dns_query("_nope._tcp.nginx.default.svc.cluster.local", QType::Srv)
            .rcode,
        Rcode::NxDomain
    );
    let rev: Vec<&str> = web0.split('.').rev().collect();
    let ptr = c.dns_query(&format!("{}.in-addr.arpa", rev.join(".")), QType::Ptr);
    assert_eq!(
        ptr.answer[0].data,
        RData::Ptr("web-0.nginx.default.svc.cluster.local.".into())
    );
}

#[test]
fn readiness_drives_the_headless_answers() {
    let (mut c, _) = setup();
    // A pod being deleted is terminating: no longer ready, so no longer served.
    let key = ordinal_engine::ObjectKey::new(ordinal_engine::model::Kind::Pod, "default", "web-1");
    c.delete(&key, Default::default()).unwrap();
    let r = c.dns_query("web-1.nginx.default.svc.cluster.local", QType::A);
    assert_eq!(r.rcode, Rcode::NxDomain, "a terminating pod is not served");
    c.advance(60_000);
    assert_eq!(
        c.dns_query("web-1.nginx.default.svc.cluster.local", QType::A)
            .addresses(),
        vec![pod_ip(&c, "web-1")],
        "the replacement is served once ready"
    );
}

#[test]
fn the_search_list_from_two_namespaces() {
    let (mut c, _) = setup();
    for name in [
        "web-0.nginx",
        "web-0.nginx.default",
        "web-0.nginx.default.svc",
        "nginx",
    ] {
        assert!(
            c.resolve_in_pod("default", name, Libc::Glibc)
                .found()
                .is_some(),
            "{name}"
        );
    }
    assert!(c
        .resolve_in_pod("default", "web-0.nginx.default.svc.cluster", Libc::Glibc)
        .found()
        .is_none());
    // From another namespace the short name does not resolve; the namespace-qualified one does.
    let other = c.resolve_in_pod("student", "web-0.nginx", Libc::Glibc);
    assert!(other.found().is_none());
    assert_eq!(
        other
            .tried
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        vec![
            "web-0.nginx.student.svc.cluster.local",
            "web-0.nginx.svc.cluster.local",
            "web-0.nginx.cluster.local",
            "web-0.nginx"
        ]
    );
    assert!(c
        .resolve_in_pod("student", "web-0.nginx.default", Libc::Glibc)
        .found()
        .is_some());
}

#[test]
fn busybox_1_28_nslookup_prints_the_tutorials_format() {
    let (mut c, mut t) = setup();
    t.run(
        &mut c,
        "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm",
        &[],
    );
    let web0 = pod_ip(&c, "web-0");
    assert_eq!(
        t.run(&mut c, "nslookup web-0.nginx", &[]).text,
        format!("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web-0.nginx\nAddress 1: {web0} web-0.nginx.default.svc.cluster.local\n")
    );
    let p = t.run(&mut c, "nslookup web-0.nginx.default.svc.cluster", &[]);
    assert!(
        p.text
            .ends_with("nslookup: can't resolve 'web-0.nginx.default.svc.cluster'\n"),
        "{}",
        p.text
    );
    assert_eq!(p.status, 1);
    t.run(&mut c, "exit", &[]);
}

#[test]
fn a_pod_outside_a_headless_service_gets_a_dashed_name() {
    let (mut c, mut t) = setup();
    // A Service that selects the set's pods but does not govern them: endpoints have no hostname.
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  clusterIP: None\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n";
    t.run(&mut c, "kubectl apply -f - <<EOF", &[svc.to_string()]);
    c.advance(1_000);
    let web0 = pod_ip(&c, "web-0");
    let dashed = format!("{}.other.default.svc.cluster.local", web0.replace('.', "-"));
    assert_eq!(c.dns_query(&dashed, QType::A).addresses(), vec![web0]);
    assert_eq!(
        c.dns_query("web-0.other.default.svc.cluster.local", QType::A)
            .rcode,
        Rcode::NxDomain
    );
}

#[test]
fn curl_through_a_service_reaches_different_pods() {
    let (mut c, mut t) = setup();
    t.run(&mut c, r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done"#, &[]);
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-lb\nspec:\n  selector:\n    app: nginx\n  ports:\n  - port: 8080\n    targetPort: 80\n";
    t.run(&mut c, "kubectl apply -f - <<EOF", &[svc.to_string()]);
    c.advance(1_000);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let p = t.run(&mut c, "kubectl exec web-0 -- curl -s web-lb:8080", &[]);
        seen.insert(p.text);
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        vec!["web-0\n".to_string(), "web-1\n".to_string()]
    );
    assert_eq!(
        t.run(&mut c, "kubectl exec web-0 -- curl -s web-lb:9999", &[]).text,
        "curl: (7) Failed to connect to web-lb port 9999 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n"
    );
}

#[test]
fn a_cluster_domain_of_kube_local_runs_through_every_answer() {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    let mut c = Cluster::new(ClusterConfig {
        cluster_domain: "kube.local".to_string(),
        ..ClusterConfig::default()
    });
    let p = t.run(
        &mut c,
        "kubectl apply -f web.yaml && kubectl rollout status sts/web",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    let web0 = pod_ip(&c, "web-0");
    let run = |c: &mut Cluster, t: &mut Terminal, cmd: &str| t.run(c, cmd, &[]).text;
    let resolv = run(&mut c, &mut t, "kubectl exec web-0 -- cat /etc/resolv.conf");
    assert!(
        resolv.contains("search default.svc.kube.local svc.kube.local kube.local\n"),
        "{resolv}"
    );
    let hosts = run(&mut c, &mut t, "kubectl exec web-0 -- cat /etc/hosts");
    assert!(
        hosts.contains(&format!(
            "{web0}\tweb-0.nginx.default.svc.kube.local\tweb-0"
        )),
        "{hosts}"
    );
    assert_eq!(
        run(&mut c, &mut t, "kubectl exec web-0 -- hostname -f"),
        "web-0.nginx.default.svc.kube.local\n"
    );
    assert_eq!(
        c.dns_query("web-0.nginx.default.svc.kube.local", QType::A)
            .addresses(),
        vec![web0.clone()]
    );
    assert_eq!(
        c.dns_query("web-0.nginx.default.svc.cluster.local", QType::A)
            .rcode,
        Rcode::NxDomain,
        "CoreDNS is not authoritative for cluster.local here; nothing answers it"
    );
    let srv = c.dns_query("_web._tcp.nginx.default.svc.kube.local", QType::Srv);
    assert!(srv.answer.iter().all(|r| matches!(&r.data, RData::Srv { target, .. } if target.ends_with(".nginx.default.svc.kube.local."))), "{srv:?}");
    let rev: Vec<&str> = web0.split('.').rev().collect();
    let ptr = c.dns_query(&format!("{}.in-addr.arpa", rev.join(".")), QType::Ptr);
    assert_eq!(
        ptr.answer[0].data,
        RData::Ptr("web-0.nginx.default.svc.kube.local.".into())
    );
    run(
        &mut c,
        &mut t,
        "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm",
    );
    let web1 = pod_ip(&c, "web-1");
    assert_eq!(
        run(&mut c, &mut t, "nslookup web-1.nginx"),
        format!("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.kube.local\n\nName:      web-1.nginx\nAddress 1: {web1} web-1.nginx.default.svc.kube.local\n")
    );
    run(&mut c, &mut t, "exit");
}

#[test]
fn publish_not_ready_addresses_answers_for_pods_before_they_are_ready() {
    let mut t = Terminal::default();
    let web = include_str!("fixtures/web.yaml")
        .replace("  clusterIP: None\n", "  clusterIP: None\n  publishNotReadyAddresses: true\n")
        .replace(
            "        volumeMounts:",
            "        readinessProbe:\n          httpGet:\n            path: /\n            port: 80\n          periodSeconds: 5\n        volumeMounts:",
        )
        .replace("replicas: 2", "replicas: 2\n  podManagementPolicy: Parallel");
    t.ctx.files.insert("web.yaml".into(), web);
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -f web.yaml && sleep 1", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    // The readiness probe fails from the start, so neither pod ever becomes ready.
    for pod in ["web-0", "web-1"] {
        c.set_readiness_broken("default", pod, true).unwrap();
    }
    t.run(&mut c, "sleep 1m", &[]);
    let pods = t.run(&mut c, "kubectl get pods", &[]).text;
    assert!(pods.contains("web-1   0/1     Running"), "{pods}");
    for pod in ["web-0", "web-1"] {
        let r = c.dns_query(&format!("{pod}.nginx.default.svc.cluster.local"), QType::A);
        assert_eq!(r.addresses(), vec![pod_ip(&c, pod)], "{pod}");
    }
    assert_eq!(
        c.dns_query("nginx.default.svc.cluster.local", QType::A)
            .answer
            .len(),
        2
    );
}

#[test]
fn the_dns_log_records_each_candidate_a_pods_resolver_tried() {
    let (mut c, mut t) = setup();
    let web1 = pod_ip(&c, "web-1");
    let p = t.run(
        &mut c,
        "kubectl exec web-0 -- curl -s http://web-1.nginx/",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    let e = c.dns_log().last().unwrap().clone();
    assert_eq!(e.client.as_deref(), Some("web-0"));
    assert_eq!(e.namespace, "default");
    assert_eq!(e.name, "web-1.nginx");
    assert_eq!(
        e.tried,
        vec![(
            "web-1.nginx.default.svc.cluster.local".to_string(),
            "NOERROR"
        )]
    );
    assert_eq!(e.answer, vec![web1]);
    // A name that needs the whole search list: each candidate NXDOMAIN, then the name as given.
    t.run(&mut c, "kubectl exec web-0 -- curl -s http://nope/", &[]);
    let e = c.dns_log().last().unwrap().clone();
    let codes: Vec<&str> = e.tried.iter().map(|(_, code)| *code).collect();
    assert_eq!(codes, ["NXDOMAIN"; 4]);
    assert_eq!(e.tried[0].0, "nope.default.svc.cluster.local");
    assert_eq!(e.tried[3].0, "nope");
    assert!(e.answer.is_empty());
}
