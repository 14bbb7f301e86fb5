//! EndpointSlices and Endpoints follow pod readiness (k8s-behaviour.md 3.2).

#![allow(clippy::expect_used)]

mod common;

use common::*;
use ordinal_engine::model::{EndpointSlice, Endpoints, Kind};
use ordinal_engine::{Cluster, DeleteOptions, ObjectKey};

/// web.yaml with a readiness probe, so readiness can be broken. A tcpSocket probe: web.yaml mounts an empty
/// volume over nginx's web root, where an httpGet `/` gets 403 and the pods would never become ready.
fn web_with_probe() -> String {
    WEB_YAML.replace(
        "        volumeMounts:",
        "        readinessProbe:\n          tcpSocket:\n            port: 80\n          periodSeconds: 5\n          failureThreshold: 1\n        volumeMounts:",
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
    v.sort();
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
