//! The EndpointSlice controller (and the legacy Endpoints mirror): for every Service with a selector, the
//! addresses of the pods it selects, with their readiness (k8s-behaviour.md 3.2). A pod appears once it has an
//! IP and is not finished; it is `ready` when it is Ready and not terminating, or always with
//! `publishNotReadyAddresses`; its `hostname` is set only when its subdomain names this Service.
//!
//! The two differ on a terminating pod: the EndpointSlice controller keeps it in the slice (`ready: false`,
//! `serving` as its readiness, `terminating: true`; `ShouldPodBeInEndpoints(pod, true)`), so kube-proxy can
//! drain it, while the Endpoints controller drops it unless `publishNotReadyAddresses` is set.

use std::sync::Arc;

use crate::controllers::{Controller, Decision, View};
use crate::model::discovery::{
    Endpoint, EndpointAddress, EndpointConditions, EndpointPort, EndpointSlice, EndpointSubset,
    Endpoints,
};
use crate::model::meta::IntOrString;
use crate::model::storage::ObjectReference;
use crate::model::{Kind, Object, ObjectMeta, OwnerReference, Pod, Service};
use crate::store::{ObjectKey, WatchEventType};

pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
const MANAGED_BY: &str = "endpointslice.kubernetes.io/managed-by";

/// What of a pod the endpoints depend on; a pod change that leaves it alone needs no sync.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    ip: Option<String>,
    ready: bool,
    terminating: bool,
    terminal: bool,
    labels: crate::model::Labels,
    hostname: Option<String>,
    subdomain: Option<String>,
}

/// The EndpointSlice controller, with the last fingerprint it saw of each pod, by uid.
#[derive(Debug, Default)]
pub struct EndpointSliceController {
    seen: std::collections::BTreeMap<String, Fingerprint>,
}

/// Queues every Service in the pod's namespace that selects it (a pod's labels can change, so a Service that
/// selected it before is found by its existing endpoints too) — when something endpoints show has changed.
fn route_pod(
    seen: &mut std::collections::BTreeMap<String, Fingerprint>,
    v: &View,
    pod: &Pod,
    deleted: bool,
    d: &mut Decision,
) {
    let uid = &pod.metadata.uid;
    if deleted {
        if seen.remove(uid).is_none_or(|f| f.ip.is_none()) {
            return;
        }
    } else {
        let print = Fingerprint {
            ip: pod.status.pod_ip.clone(),
            ready: pod.is_ready(),
            terminating: pod.metadata.is_terminating(),
            terminal: pod.is_terminal(),
            labels: pod.metadata.labels.clone(),
            hostname: pod.spec.hostname.clone(),
            subdomain: pod.spec.subdomain.clone(),
        };
        let before = seen.insert(uid.clone(), print.clone());
        // A pod without an IP was never listed: until it gets one nothing changes for any Service.
        if before.as_ref() == Some(&print)
            || (print.ip.is_none() && before.is_none_or(|b| b.ip.is_none()))
        {
            return;
        }
    }
    let ns = &pod.metadata.namespace;
    let keys = v
        .store
        .list::<Service>(Some(ns))
        .filter(|s| !s.spec.selector.is_empty())
        .filter(|s| {
            s.spec
                .selector
                .iter()
                .all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
                || v.store
                    .get_typed::<Endpoints>(ns, &s.metadata.name)
                    .is_some_and(|e| {
                        e.subsets.iter().any(|sub| {
                            sub.addresses
                                .iter()
                                .chain(&sub.not_ready_addresses)
                                .any(|a| {
                                    a.target_ref
                                        .as_ref()
                                        .is_some_and(|r| r.name == pod.metadata.name)
                                })
                        })
                    })
        })
        .map(|s| ObjectKey::new(Kind::Service, ns, &s.metadata.name));
    for k in keys {
        d.queue(k);
    }
}

/// The port a Service port reaches on `pod`: a number, or a named container port.
fn target_port(svc_port: &crate::model::service::ServicePort, pod: &Pod) -> Option<i64> {
    match &svc_port.target_port {
        None => Some(svc_port.port),
        Some(IntOrString::Int(n)) => Some(*n),
        Some(IntOrString::String(name)) => pod
            .spec
            .containers
            .iter()
            .flat_map(|ct| &ct.ports)
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port),
    }
}

fn sync(v: &View, key: &ObjectKey) -> Decision {
    let mut d = Decision::none();
    let Some(svc) = v.store.get_typed::<Service>(&key.namespace, &key.name) else {
        return d;
    };
    if svc.spec.selector.is_empty() || svc.type_() == "ExternalName" {
        return d;
    }
    let publish_not_ready = svc.spec.publish_not_ready_addresses == Some(true);
    let ns = svc.metadata.namespace.clone();
    let mut endpoints = Vec::new();
    let mut ports: Vec<EndpointPort> = Vec::new();
    let mut ready_addrs = Vec::new();
    let mut not_ready_addrs = Vec::new();
    for pod in v.store.list::<Pod>(Some(&ns)) {
        if !svc
            .spec
            .selector
            .iter()
            .all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
        {
            continue;
        }
        let Some(ip) = pod.status.pod_ip.clone() else {
            continue;
        };
        let terminating = pod.metadata.is_terminating();
        if pod.is_terminal() {
            continue;
        }
        // The legacy Endpoints leave a terminating pod out unless not-ready addresses are published.
        let in_endpoints = !terminating || publish_not_ready;
        let ready = publish_not_ready || (pod.is_ready() && !terminating);
        let hostname = pod
            .spec
            .hostname
            .clone()
            .filter(|_| pod.spec.subdomain.as_deref() == Some(svc.metadata.name.as_str()));
        let target = ObjectReference {
            api_version: None,
            kind: Some("Pod".into()),
            namespace: ns.clone(),
            name: pod.metadata.name.clone(),
            uid: pod.metadata.uid.clone(),
            resource_version: None,
            field_path: None,
        };
        if ports.is_empty() {
            ports = svc
                .spec
                .ports
                .iter()
                .map(|p| EndpointPort {
                    name: p.name.clone(),
                    port: target_port(p, pod),
                    protocol: p.protocol.clone(),
                })
                .collect();
        }
        endpoints.push(Endpoint {
            addresses: vec![ip.clone()],
            conditions: EndpointConditions {
                ready: Some(ready),
                serving: Some(pod.is_ready()),
                terminating: Some(terminating),
            },
            hostname: hostname.clone(),
            node_name: pod.spec.node_name.clone(),
            target_ref: Some(target.clone()),
        });
        let addr = EndpointAddress {
            ip,
            hostname,
            node_name: pod.spec.node_name.clone(),
            target_ref: Some(target),
        };
        match (in_endpoints, ready) {
            (false, _) => {}
            (true, true) => ready_addrs.push(addr),
            (true, false) => not_ready_addrs.push(addr),
        }
    }
    let owner = OwnerReference::controller("v1", "Service", &svc.metadata);
    // The slice: one per Service here, named like the controller's generated names.
    // Compared in place and copied only when something changed: a large slice is costly to copy.
    let existing = v
        .store
        .list_prefix::<EndpointSlice>(&ns, &format!("{}-", svc.metadata.name))
        .find(|s| s.metadata.labels.get(SERVICE_NAME_LABEL) == Some(&svc.metadata.name))
        .map(|s| {
            (
                s.endpoints == endpoints && s.ports == ports,
                s.metadata.clone(),
            )
        });
    match existing {
        Some((true, _)) => {}
        Some((false, metadata)) => {
            let slice = EndpointSlice {
                metadata,
                address_type: "IPv4".into(),
                endpoints,
                ports: ports.clone(),
            };
            d.update(Object::EndpointSlice(slice));
        }
        None => {
            let slice = EndpointSlice {
                metadata: ObjectMeta {
                    generate_name: format!("{}-", svc.metadata.name),
                    namespace: ns.clone(),
                    labels: [
                        (SERVICE_NAME_LABEL.to_string(), svc.metadata.name.clone()),
                        (
                            MANAGED_BY.to_string(),
                            "endpointslice-controller.k8s.io".to_string(),
                        ),
                    ]
                    .into(),
                    owner_references: vec![owner.clone()],
                    ..Default::default()
                },
                address_type: "IPv4".into(),
                endpoints,
                ports: ports.clone(),
            };
            d.create(Object::EndpointSlice(slice));
        }
    }
    let subsets = if ready_addrs.is_empty() && not_ready_addrs.is_empty() {
        Vec::new()
    } else {
        vec![EndpointSubset {
            addresses: ready_addrs,
            not_ready_addresses: not_ready_addrs,
            ports,
        }]
    };
    let eps = Endpoints {
        metadata: ObjectMeta {
            name: svc.metadata.name.clone(),
            namespace: ns.clone(),
            labels: svc.metadata.labels.clone(),
            ..Default::default()
        },
        subsets,
    };
    match v
        .store
        .get_typed::<Endpoints>(&ns, &svc.metadata.name)
        .map(|o| (o.subsets == eps.subsets, o.metadata.clone()))
    {
        Some((true, _)) => {}
        Some((false, metadata)) => {
            d.update(Object::Endpoints(Endpoints {
                metadata,
                subsets: eps.subsets,
            }));
        }
        None => {
            d.create(Object::Endpoints(eps));
        }
    }
    d
}

impl Controller for EndpointSliceController {
    /// A Service's own changes, and the pods whose addresses or readiness its endpoints show.
    fn route(&mut self, v: &View, type_: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        match &**obj {
            Object::Service(_) => d.queue(ObjectKey::of(obj)),
            Object::Pod(pod) => route_pod(
                &mut self.seen,
                v,
                pod,
                type_ == WatchEventType::Deleted,
                &mut d,
            ),
            _ => {}
        }
        d
    }

    fn reconcile(&mut self, v: &View, key: &ObjectKey) -> Decision {
        sync(v, key)
    }
}
