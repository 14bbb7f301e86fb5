//! EndpointSlices and Endpoints follow pod readiness (k8s-behaviour.md 3.2).

#![allow(clippy::expect_used)]

mod common;

use common::*;
use ordinal_engine::model::{EndpointSlice, Endpoints, Kind};
use ordinal_engine::{Cluster, ClusterConfig, DeleteOptions, ObjectKey};

/// web.yaml with a readiness probe, so readiness can be broken. A tcpSocket probe: web.yaml mounts an empty
/// volume over nginx's web root, where an httpGet `/` gets 403 and the pods would never become ready.
fn web_with_probe() -> String {
    WEB_YAML.replace(
        "        volumeMounts:",
        "        readinessProbe:\n          tcpSocket:\n            port: 80\n          periodSeconds: 5\n          failureThreshold: 1\n        volumeMounts:",
    )
}

/// web.yaml with `replicas` pods created in parallel.
fn parallel_web(replicas: i32) -> String {
    WEB_YAML
        .replace("replicas: 2", &format!("replicas: {replicas}"))
        .replace(
            "  serviceName: \"nginx\"",
            "  serviceName: \"nginx\"\n  podManagementPolicy: Parallel",
        )
}

fn slice(c: &Cluster, svc: &str) -> EndpointSlice {
    c.store()
        .list::<EndpointSlice>(Some("default"))
        .find(|s| {
            s.metadata
                .labels
                .get("kubernetes.io/service-name")
                .map(String::as_str)
                == Some(svc)
        })
        .cloned()
        .expect("a slice for the service")
}

/// `(hostname, ready)` per endpoint, sorted.
fn endpoints(c: &Cluster, svc: &str) -> Vec<(String, bool)> {
    let mut v: Vec<(String, bool)> = slice(c, svc)
        .endpoints
        .iter()
        .map(|e| {
            (
                e.hostname.clone().unwrap_or_default(),
                e.conditions.ready.unwrap_or(true),
            )
        })
        .collect();
    ordinal_engine::sort::sort(&mut v);
    v
}

#[test]
fn the_governing_service_lists_each_pod_with_its_hostname() {
    let mut c = cluster();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    assert_eq!(
        endpoints(&c, "nginx"),
        [("web-0".into(), true), ("web-1".into(), true)]
    );
    let s = slice(&c, "nginx");
    assert!(s.metadata.name.starts_with("nginx-"));
    assert_eq!(s.ports[0].port, Some(80));
    assert_eq!(s.ports[0].name.as_deref(), Some("web"));
    let eps = c
        .store()
        .get_typed::<Endpoints>("default", "nginx")
        .unwrap();
    assert_eq!(eps.subsets[0].addresses.len(), 2);
}

#[test]
fn a_pod_that_loses_readiness_stays_listed_as_not_ready() {
    let mut c = cluster();
    apply(&mut c, &web_with_probe());
    c.run_until_idle();
    c.set_readiness_broken("default", "web-1", true).unwrap();
    c.run_until_idle();
    assert_eq!(
        endpoints(&c, "nginx"),
        [("web-0".into(), true), ("web-1".into(), false)]
    );
    let eps = c
        .store()
        .get_typed::<Endpoints>("default", "nginx")
        .unwrap();
    assert_eq!(eps.subsets[0].not_ready_addresses.len(), 1);
    c.set_readiness_broken("default", "web-1", false).unwrap();
    c.run_until_idle();
    assert_eq!(
        endpoints(&c, "nginx"),
        [("web-0".into(), true), ("web-1".into(), true)]
    );
}

#[test]
fn publish_not_ready_addresses_marks_every_pod_ready() {
    let mut c = cluster();
    apply(
        &mut c,
        &web_with_probe().replace(
            "  clusterIP: None\n",
            "  clusterIP: None\n  publishNotReadyAddresses: true\n",
        ),
    );
    c.run_until_idle();
    c.set_readiness_broken("default", "web-1", true).unwrap();
    c.run_until_idle();
    assert_eq!(
        endpoints(&c, "nginx"),
        [("web-0".into(), true), ("web-1".into(), true)]
    );
}

#[test]
fn another_service_selecting_the_pods_gets_no_hostnames() {
    let mut c = cluster();
    let other = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-lb\nspec:\n  selector:\n    app: nginx\n  ports:\n  - port: 8080\n    targetPort: web\n";
    apply(&mut c, &format!("{WEB_YAML}---\n{other}"));
    c.run_until_idle();
    assert_eq!(
        endpoints(&c, "web-lb"),
        [("".into(), true), ("".into(), true)]
    );
    // targetPort by name resolves to the container port.
    assert_eq!(slice(&c, "web-lb").ports[0].port, Some(80));
}

#[test]
fn a_terminating_pod_stays_in_the_slice_as_not_ready_and_leaves_the_endpoints() {
    let mut c = cluster();
    apply(&mut c, WEB_YAML);
    c.run_until_idle();
    c.delete(
        &ObjectKey::new(Kind::Pod, "default", "web-1"),
        DeleteOptions::default(),
    )
    .unwrap();
    // The EndpointSlice controller keeps a terminating pod so proxies can drain it: not ready, still serving.
    assert_eq!(
        endpoints(&c, "nginx"),
        [("web-0".into(), true), ("web-1".into(), false)]
    );
    let web1 = slice(&c, "nginx")
        .endpoints
        .into_iter()
        .find(|e| e.hostname.as_deref() == Some("web-1"))
        .expect("web-1 listed");
    assert_eq!(
        (
            web1.conditions.ready,
            web1.conditions.serving,
            web1.conditions.terminating
        ),
        (Some(false), Some(true), Some(true))
    );
    // The legacy Endpoints object drops it at once.
    let eps = c
        .store()
        .get_typed::<Endpoints>("default", "nginx")
        .expect("endpoints")
        .clone();
    let listed: Vec<String> = eps
        .subsets
        .iter()
        .flat_map(|s| s.addresses.iter().chain(&s.not_ready_addresses))
        .filter_map(|a| a.hostname.clone())
        .collect();
    assert_eq!(listed, ["web-0"]);
    c.run_until_idle();
    assert_eq!(
        endpoints(&c, "nginx"),
        [("web-0".into(), true), ("web-1".into(), true)]
    );
}

/// `(slice name, its endpoints' pod names)` for every slice of `svc`.
fn slices(c: &Cluster, svc: &str) -> Vec<(String, Vec<String>)> {
    c.store()
        .list::<EndpointSlice>(Some("default"))
        .filter(|s| {
            s.metadata
                .labels
                .get("kubernetes.io/service-name")
                .map(String::as_str)
                == Some(svc)
        })
        .map(|s| {
            let pods = s
                .endpoints
                .iter()
                .filter_map(|e| e.target_ref.as_ref().map(|r| r.name.clone()))
                .collect();
            (s.metadata.name.clone(), pods)
        })
        .collect()
}

#[test]
fn a_service_with_more_than_a_hundred_pods_spreads_them_over_slices_of_at_most_a_hundred() {
    // kube-controller-manager's --max-endpoints-per-slice is 100: 250 pods make three slices, not one. (Four
    // workers: a kind node takes 110 pods.)
    let mut c = Cluster::new(ClusterConfig::with_workers(4));
    apply(&mut c, &parallel_web(250));
    c.run_until_idle();
    assert_eq!(sts(&c, "web").status.ready_replicas, 250);
    let found = slices(&c, "nginx");
    let mut sizes: Vec<usize> = found.iter().map(|(_, p)| p.len()).collect();
    ordinal_engine::sort::sort(&mut sizes);
    assert_eq!(sizes, [50, 100, 100]);
    let mut all: Vec<&String> = found.iter().flat_map(|(_, p)| p).collect();
    ordinal_engine::sort::sort(&mut all);
    all.dedup();
    assert_eq!(all.len(), 250, "every pod once");
    // Every slice is the controller's, named from the Service, and owned by it.
    assert!(found.iter().all(|(name, _)| name.starts_with("nginx-")));

    // Scaling down empties slices: those left hold the 120 pods, none over the cap, none empty.
    c.scale(Kind::StatefulSet, "default", "web", 120)
        .expect("scaled");
    c.run_until_idle();
    let found = slices(&c, "nginx");
    let total: usize = found.iter().map(|(_, p)| p.len()).sum();
    assert_eq!(total, 120);
    assert!(
        found.iter().all(|(_, p)| !p.is_empty() && p.len() <= 100),
        "{found:?}"
    );
    // The legacy Endpoints object lists them all (it truncates only past 1000).
    let eps = c
        .store()
        .get_typed::<Endpoints>("default", "nginx")
        .expect("endpoints");
    assert_eq!(eps.subsets[0].addresses.len(), 120);
    assert!(!eps
        .metadata
        .annotations
        .contains_key("endpoints.kubernetes.io/over-capacity"));
}

/// The Endpoints controller repacks its addresses in a canonical order (`RepackSubsets`: by the IP as text,
/// then the pod's uid), not in the pods' order: what `kubectl get endpoints` prints comes in IP order, where
/// `10.244.1.10` comes before `10.244.1.2`.
#[test]
fn endpoints_addresses_come_in_ip_text_order_not_pod_order() {
    let mut lab = Lab::new();
    lab.apply("web.yaml", &parallel_web(24));
    lab.c.run_until_idle();
    let eps = lab
        .c
        .store()
        .get_typed::<Endpoints>("default", "nginx")
        .cloned()
        .expect("the service's Endpoints");
    let ips: Vec<&str> = eps.subsets[0]
        .addresses
        .iter()
        .map(|a| a.ip.as_str())
        .collect();
    assert_eq!(ips.len(), 24);
    let mut sorted = ips.clone();
    ordinal_engine::sort::sort(&mut sorted);
    assert_eq!(ips, sorted, "addresses by IP text");
    // The pods' own order (by name) is another one here: the two workers' ranges interleave with the names,
    // and a two-digit last number sorts before a one-digit one.
    let by_name: Vec<String> = eps.subsets[0]
        .addresses
        .iter()
        .map(|a| {
            a.target_ref
                .as_ref()
                .map(|r| r.name.clone())
                .unwrap_or_default()
        })
        .collect();
    let mut names = by_name.clone();
    ordinal_engine::sort::sort(&mut names);
    assert_ne!(by_name, names, "a case where the two orders differ");
    assert!(
        ips.iter().any(|ip| ip.ends_with(".10")),
        "a two-digit address among them: {ips:?}"
    );
    // kubectl prints the first three of them, in that order.
    let get = lab.sh("kubectl get endpoints nginx");
    let shown = format!("{}:80,{}:80,{}:80 + 21 more...", ips[0], ips[1], ips[2]);
    assert!(get.contains(&shown), "{get}");
}

/// Past 1,000 addresses the Endpoints object keeps the first 1,000 in its canonical order (the lowest IPs as
/// text) and says so in `endpoints.kubernetes.io/over-capacity: truncated`; the EndpointSlices list every pod.
#[test]
fn past_a_thousand_addresses_endpoints_keep_the_lowest_ips_and_say_truncated() {
    let mut c = Cluster::new(ClusterConfig::with_workers(12));
    apply(&mut c, &parallel_web(1010));
    c.run_until_idle();
    assert_eq!(sts(&c, "web").status.ready_replicas, 1010);
    let eps = c
        .store()
        .get_typed::<Endpoints>("default", "nginx")
        .cloned()
        .expect("endpoints");
    let kept: Vec<&str> = eps.subsets[0]
        .addresses
        .iter()
        .map(|a| a.ip.as_str())
        .collect();
    let mut every: Vec<String> = c
        .store()
        .list::<ordinal_engine::model::Pod>(Some("default"))
        .filter_map(|p| p.status.pod_ip.clone())
        .collect();
    ordinal_engine::sort::sort(&mut every);
    assert_eq!(every.len(), 1010);
    assert_eq!(
        kept,
        every[..1000].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(
        eps.metadata
            .annotations
            .get("endpoints.kubernetes.io/over-capacity")
            .map(String::as_str),
        Some("truncated")
    );
    let in_slices: usize = slices(&c, "nginx").iter().map(|(_, p)| p.len()).sum();
    assert_eq!(in_slices, 1010);
    // Back under the cap, every address is listed and the annotation goes.
    c.scale(Kind::StatefulSet, "default", "web", 990)
        .expect("scaled");
    c.run_until_idle();
    let eps = c
        .store()
        .get_typed::<Endpoints>("default", "nginx")
        .expect("endpoints");
    assert_eq!(eps.subsets[0].addresses.len(), 990);
    assert!(!eps
        .metadata
        .annotations
        .contains_key("endpoints.kubernetes.io/over-capacity"));
}
