//! kind's own pods: CoreDNS and local-path-provisioner from Deployments, kindnet and kube-proxy from
//! DaemonSets, the control plane's static pods; the kube-dns endpoints they give; CoreDNS's logs; and the
//! learner's pods landing where they did before these existed.

#![allow(clippy::unwrap_used)]

use ordinal_engine::model::{Endpoints, Pod};
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn cluster() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    (Cluster::new(ClusterConfig::default()), t)
}

fn system_pods(c: &Cluster) -> Vec<&Pod> {
    c.store()
        .list::<Pod>(None)
        .filter(|p| {
            matches!(
                p.metadata.namespace.as_str(),
                "kube-system" | "local-path-storage"
            )
        })
        .collect()
}

fn node_of(p: &Pod) -> &str {
    p.spec.node_name.as_deref().unwrap()
}

fn ip_of(p: &Pod) -> &str {
    p.status.pod_ip.as_deref().unwrap()
}

#[test]
fn a_fresh_cluster_runs_kinds_system_pods_on_their_nodes() {
    let (c, _) = cluster();
    let pods = system_pods(&c);
    assert_eq!(
        pods.len(),
        13,
        "{:?}",
        pods.iter().map(|p| &p.metadata.name).collect::<Vec<_>>()
    );
    for p in &pods {
        assert_eq!(p.status.phase, "Running", "{}", p.metadata.name);
        assert!(p.is_ready(), "{}", p.metadata.name);
    }
    let named = |prefix: &str| -> Vec<&&Pod> {
        pods.iter()
            .filter(|p| p.metadata.name.starts_with(prefix))
            .collect()
    };
    // CoreDNS: two replicas of one ReplicaSet, on the control plane, with addresses from its pod CIDR.
    let coredns = named("coredns-");
    assert_eq!(coredns.len(), 2);
    for p in &coredns {
        assert_eq!(node_of(p), "kind-control-plane");
        assert!(ip_of(p).starts_with("10.244.0."), "{}", ip_of(p));
        assert_eq!(p.metadata.labels["k8s-app"], "kube-dns");
        assert_eq!(p.metadata.owner_references[0].kind, "ReplicaSet");
        assert_eq!(
            p.spec.priority_class_name.as_deref(),
            Some("system-cluster-critical")
        );
        // `coredns-<template hash>-<5>`.
        let parts: Vec<&str> = p.metadata.name.split('-').collect();
        assert_eq!(parts.len(), 3, "{}", p.metadata.name);
        assert_eq!(parts[2].len(), 5);
        assert_eq!(p.metadata.labels["pod-template-hash"], parts[1]);
    }
    let provisioner = named("local-path-provisioner-");
    assert_eq!(provisioner.len(), 1);
    assert_eq!(provisioner[0].metadata.namespace, "local-path-storage");
    assert!(ip_of(provisioner[0]).starts_with("10.244.0."));
    // The control plane's static pods: host network, owned by the Node, mirror annotations.
    for component in [
        "etcd",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
    ] {
        let p = c
            .store()
            .get_typed::<Pod>("kube-system", &format!("{component}-kind-control-plane"))
            .unwrap();
        assert_eq!(ip_of(p), "172.18.0.2");
        assert_eq!(p.metadata.labels["component"], component);
        assert_eq!(p.metadata.labels["tier"], "control-plane");
        assert_eq!(p.metadata.owner_references[0].kind, "Node");
        assert!(p
            .metadata
            .annotations
            .contains_key("kubernetes.io/config.mirror"));
    }
    // The DaemonSets: one pod per node, on the node's own address.
    for ds in ["kindnet-", "kube-proxy-"] {
        let mut placed: Vec<(&str, &str)> =
            named(ds).iter().map(|p| (node_of(p), ip_of(p))).collect();
        ordinal_engine::sort::sort(&mut placed);
        assert_eq!(
            placed,
            [
                ("kind-control-plane", "172.18.0.2"),
                ("kind-worker", "172.18.0.3"),
                ("kind-worker2", "172.18.0.4"),
            ]
        );
    }
}

#[test]
fn kubectl_lists_them_as_kind_does() {
    let (mut c, mut t) = cluster();
    let out = t.run(&mut c, "kubectl get pods -n kube-system", &[]).text;
    let names: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names.len(), 12, "{out}");
    assert!(names[0].starts_with("coredns-") && names[1].starts_with("coredns-"));
    assert_eq!(names[2], "etcd-kind-control-plane");
    let out = t
        .run(&mut c, "kubectl get deploy,rs,ds -n kube-system", &[])
        .text;
    assert!(
        out.contains("deployment.apps/coredns   2/2     2            2"),
        "{out}"
    );
    assert!(out.contains("daemonset.apps/kindnet      3         3         3       3            3           kubernetes.io/os=linux"), "{out}");
    assert!(out.contains("daemonset.apps/kube-proxy   3"), "{out}");
    // The learner's namespace stays empty.
    let out = t.run(&mut c, "kubectl get pods", &[]).text;
    assert_eq!(out, "No resources found in default namespace.\n");
}

#[test]
fn kube_dns_endpoints_are_the_coredns_pods() {
    let (c, _) = cluster();
    let mut want: Vec<String> = system_pods(&c)
        .iter()
        .filter(|p| p.metadata.name.starts_with("coredns-"))
        .map(|p| ip_of(p).to_string())
        .collect();
    ordinal_engine::sort::sort(&mut want);
    let ep = c
        .store()
        .get_typed::<Endpoints>("kube-system", "kube-dns")
        .unwrap();
    let mut got: Vec<String> = ep.subsets[0]
        .addresses
        .iter()
        .map(|a| a.ip.clone())
        .collect();
    ordinal_engine::sort::sort(&mut got);
    assert_eq!(got, want);
}

#[test]
fn the_learners_pods_land_where_they_did_without_the_system_pods() {
    let (mut c, mut t) = cluster();
    let p = t.run(
        &mut c,
        "kubectl apply -f web.yaml && kubectl rollout status sts/web",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    let place = |name: &str| {
        let p = c.store().get_typed::<Pod>("default", name).unwrap();
        (node_of(p).to_string(), ip_of(p).to_string())
    };
    // The same places and addresses the golden transcripts recorded before kind's pods existed.
    assert_eq!(place("web-0"), ("kind-worker".into(), "10.244.1.2".into()));
    assert_eq!(place("web-1"), ("kind-worker2".into(), "10.244.2.2".into()));
}

#[test]
fn coredns_logs_show_its_banner_and_the_queries_it_answered() {
    let (mut c, mut t) = cluster();
    t.run(
        &mut c,
        "kubectl apply -f web.yaml && kubectl rollout status sts/web",
        &[],
    );
    t.run(
        &mut c,
        "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never",
        &[],
    );
    t.run(&mut c, "nslookup web-0.nginx", &[]);
    t.run(&mut c, "exit", &[]);
    let names: Vec<String> = system_pods(&c)
        .iter()
        .filter(|p| p.metadata.name.starts_with("coredns-"))
        .map(|p| p.metadata.name.clone())
        .collect();
    let client = c
        .store()
        .get_typed::<Pod>("default", "dns-test")
        .and_then(|p| p.status.pod_ip.clone())
        .unwrap();
    let mut answered = Vec::new();
    for name in &names {
        let out = t.run(&mut c, &format!("kubectl logs -n kube-system {name}"), &[]);
        assert_eq!(out.status, 0, "{}", out.text);
        let lines: Vec<&str> = out.text.lines().collect();
        assert_eq!(lines[0], ".:53");
        assert!(lines[1].starts_with("[INFO] plugin/reload: Running configuration SHA512 = "));
        assert!(lines[2].starts_with("CoreDNS-1.11."));
        assert!(lines[3].starts_with("linux/amd64, go1."));
        answered.extend(lines[4..].iter().map(|l| l.to_string()));
    }
    // Between them the two pods logged every query, each once.
    let all: Vec<String> = c.coredns_log().map(|l| l.text.clone()).collect();
    ordinal_engine::sort::sort(&mut answered);
    let mut want = all.clone();
    ordinal_engine::sort::sort(&mut want);
    assert_eq!(answered, want);
    assert!(
        all.iter()
            .any(|l| l.starts_with(&format!("[INFO] {client}:"))
                && l.contains("\"A IN web-0.nginx.default.svc.cluster.local. udp")),
        "{all:?}"
    );
}

#[test]
fn other_system_pods_have_logs_and_no_errors() {
    let (mut c, mut t) = cluster();
    let names: Vec<(String, String)> = system_pods(&c)
        .iter()
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, name) in names {
        let out = t.run(&mut c, &format!("kubectl logs -n {ns} {name}"), &[]);
        assert_eq!(out.status, 0, "{name}: {}", out.text);
    }
}

#[test]
fn a_deleted_coredns_pod_is_replaced_by_its_replicaset() {
    let (mut c, mut t) = cluster();
    let victim = system_pods(&c)
        .iter()
        .find(|p| p.metadata.name.starts_with("coredns-"))
        .unwrap()
        .metadata
        .name
        .clone();
    let out = t.run(
        &mut c,
        &format!("kubectl delete pod -n kube-system {victim}"),
        &[],
    );
    assert_eq!(out.status, 0, "{}", out.text);
    c.advance(30_000);
    let coredns: Vec<&Pod> = system_pods(&c)
        .into_iter()
        .filter(|p| p.metadata.name.starts_with("coredns-"))
        .collect();
    assert_eq!(coredns.len(), 2);
    assert!(coredns.iter().all(|p| p.metadata.name != victim));
    assert!(coredns.iter().all(|p| p.is_ready()), "{coredns:?}");
    let ep = c
        .store()
        .get_typed::<Endpoints>("kube-system", "kube-dns")
        .unwrap();
    assert_eq!(ep.subsets[0].addresses.len(), 2);
}

#[test]
fn a_deleted_kube_proxy_pod_is_replaced_on_its_node() {
    let (mut c, mut t) = cluster();
    let victim = system_pods(&c)
        .iter()
        .find(|p| p.metadata.name.starts_with("kube-proxy-") && node_of(p) == "kind-worker")
        .map(|p| p.metadata.name.clone())
        .unwrap();
    t.run(
        &mut c,
        &format!("kubectl delete pod -n kube-system {victim}"),
        &[],
    );
    c.advance(30_000);
    let on_worker: Vec<&Pod> = system_pods(&c)
        .into_iter()
        .filter(|p| p.metadata.name.starts_with("kube-proxy-") && node_of(p) == "kind-worker")
        .collect();
    assert_eq!(on_worker.len(), 1);
    assert_ne!(on_worker[0].metadata.name, victim);
    assert!(on_worker[0].is_ready());
    assert_eq!(ip_of(on_worker[0]), "172.18.0.3");
}

#[test]
fn a_deleted_mirror_pod_comes_back_from_its_manifest() {
    let (mut c, mut t) = cluster();
    let before = c
        .store()
        .get_typed::<Pod>("kube-system", "etcd-kind-control-plane")
        .unwrap()
        .metadata
        .uid
        .clone();
    let out = t.run(
        &mut c,
        "kubectl delete pod -n kube-system etcd-kind-control-plane",
        &[],
    );
    assert_eq!(out.status, 0, "{}", out.text);
    c.advance(30_000);
    let p = c
        .store()
        .get_typed::<Pod>("kube-system", "etcd-kind-control-plane")
        .unwrap();
    assert_ne!(p.metadata.uid, before);
    assert!(p.is_ready());
    assert_eq!(ip_of(p), "172.18.0.2");
}

#[test]
fn deleting_a_daemonset_deletes_its_pods() {
    let (mut c, mut t) = cluster();
    let out = t.run(&mut c, "kubectl delete ds -n kube-system kindnet", &[]);
    assert_eq!(out.status, 0, "{}", out.text);
    assert_eq!(
        out.text,
        "daemonset.apps \"kindnet\" deleted from kube-system namespace\n"
    );
    c.advance(60_000);
    assert!(!system_pods(&c)
        .iter()
        .any(|p| p.metadata.name.starts_with("kindnet-")));
}

#[test]
fn logs_by_label_show_the_last_lines_of_every_coredns_pod_with_their_names() {
    let (mut c, mut t) = cluster();
    t.run(
        &mut c,
        "kubectl run dns --image=busybox:1.28 --restart=Never -- sh -c 'sleep 5; nslookup kubernetes.default; sleep 3600'",
        &[],
    );
    t.run(&mut c, "sleep 30", &[]);
    let p = t.run(
        &mut c,
        "kubectl logs -n kube-system -l k8s-app=kube-dns --prefix --tail 2",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    let lines: Vec<&str> = p.text.lines().collect();
    assert_eq!(lines.len(), 4, "{}", p.text);
    let pods: Vec<String> = {
        let mut v: Vec<String> = system_pods(&c)
            .into_iter()
            .filter(|p| p.metadata.name.starts_with("coredns-"))
            .map(|p| p.metadata.name.clone())
            .collect();
        ordinal_engine::sort::sort(&mut v);
        v
    };
    assert!(
        lines[0].starts_with(&format!("[pod/{}/coredns] ", pods[0])),
        "{}",
        p.text
    );
    assert!(
        lines[3].starts_with(&format!("[pod/{}/coredns] ", pods[1])),
        "{}",
        p.text
    );
    let none = t.run(&mut c, "kubectl logs -l app=nothing", &[]);
    assert_eq!(none.text, "No resources found in default namespace.\n");
}
