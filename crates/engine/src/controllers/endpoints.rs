//! The EndpointSlice controller (and the legacy Endpoints mirror): for every Service with a selector, the
//! addresses of the pods it selects, with their readiness (k8s-behaviour.md 3.2). A pod appears once it has an
//! IP and is not finished; it is `ready` when it is Ready and not terminating, or always with
//! `publishNotReadyAddresses`; its `hostname` is set only when its subdomain names this Service.
//!
//! The two differ on a terminating pod: the EndpointSlice controller keeps it in the slice (`ready: false`,
//! `serving` as its readiness, `terminating: true`; `ShouldPodBeInEndpoints(pod, true)`), so kube-proxy can
//! drain it, while the Endpoints controller drops it unless `publishNotReadyAddresses` is set.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::controllers::{Controller, Decision, View};
use crate::hash::FastMap;
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
/// kube-controller-manager's `--max-endpoints-per-slice` default.
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;
/// The Endpoints controller's `maxCapacity`: an Endpoints object holds at most this many addresses.
pub const MAX_ENDPOINTS_CAPACITY: usize = 1000;
const OVER_CAPACITY: &str = "endpoints.kubernetes.io/over-capacity";

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

impl Fingerprint {
    fn of(pod: &Pod) -> Fingerprint {
        Fingerprint {
            ip: pod.status.pod_ip.clone(),
            ready: pod.is_ready(),
            terminating: pod.metadata.is_terminating(),
            terminal: pod.is_terminal(),
            labels: pod.metadata.labels.clone(),
            hostname: pod.spec.hostname.clone(),
            subdomain: pod.spec.subdomain.clone(),
        }
    }

    /// Whether `pod` still has this fingerprint: compared in place, since most pod writes (status, Events'
    /// counts, conditions other than Ready) leave it alone.
    fn fits(&self, pod: &Pod) -> bool {
        self.ip == pod.status.pod_ip
            && self.ready == pod.is_ready()
            && self.terminating == pod.metadata.is_terminating()
            && self.terminal == pod.is_terminal()
            && self.labels == pod.metadata.labels
            && self.hostname == pod.spec.hostname
            && self.subdomain == pod.spec.subdomain
    }
}

/// The EndpointSlice controller, with the last fingerprint it saw of each pod, by uid (hashed: only looked
/// up, never walked).
#[derive(Debug, Default)]
pub struct EndpointSliceController {
    seen: FastMap<String, Fingerprint>,
}

/// Queues every Service in the pod's namespace that selects it (a pod's labels can change, so a Service that
/// selected it before is found by its existing endpoints too) — when something endpoints show has changed.
fn route_pod(
    seen: &mut FastMap<String, Fingerprint>,
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
        let before = match seen.get_mut(uid) {
            Some(print) if print.fits(pod) => return,
            Some(print) => Some(std::mem::replace(print, Fingerprint::of(pod))),
            None => {
                seen.insert(uid.clone(), Fingerprint::of(pod));
                None
            }
        };
        // A pod without an IP was never listed: until it gets one nothing changes for any Service.
        if pod.status.pod_ip.is_none() && before.is_none_or(|b| b.ip.is_none()) {
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
        let Some(ip) = pod.status.pod_ip.as_deref() else {
            continue;
        };
        let terminating = pod.metadata.is_terminating();
        if pod.is_terminal() {
            continue;
        }
        // The legacy Endpoints leave a terminating pod out unless not-ready addresses are published.
        let in_endpoints = !terminating || publish_not_ready;
        let ready = publish_not_ready || (pod.is_ready() && !terminating);
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
            addresses: vec![ip.to_string()],
            conditions: EndpointConditions {
                ready: Some(ready),
                serving: Some(pod.is_ready()),
                terminating: Some(terminating),
            },
            hostname: hostname_for(pod, svc),
            node_name: pod.spec.node_name.clone(),
            target_ref: Some(target_of(pod)),
        });
        // The legacy object's address is built only if truncation keeps it (below).
        match (in_endpoints, ready) {
            (false, _) => {}
            (true, true) => ready_addrs.push((ip, pod)),
            (true, false) => not_ready_addrs.push((ip, pod)),
        }
    }
    reconcile_slices(v, svc, endpoints, &ports, &mut d);
    // RepackSubsets: each list in the canonical order, by IP (as text) and then by pod uid. So the addresses
    // `kubectl get endpoints` prints come in IP order, and truncation keeps the lowest IPs.
    for list in [&mut ready_addrs, &mut not_ready_addrs] {
        crate::sort::by(list, |a, b| {
            a.0.as_bytes()
                .cmp(b.0.as_bytes())
                .then_with(|| a.1.metadata.uid.cmp(&b.1.metadata.uid))
        });
    }
    let (keep_ready, keep_not_ready, truncated) = kept(ready_addrs.len(), not_ready_addrs.len());
    let address = |(ip, pod): (&str, &Pod)| EndpointAddress {
        ip: ip.to_string(),
        hostname: hostname_for(pod, svc),
        node_name: pod.spec.node_name.clone(),
        target_ref: Some(target_of(pod)),
    };
    let ready_addrs: Vec<EndpointAddress> = ready_addrs
        .into_iter()
        .take(keep_ready)
        .map(address)
        .collect();
    let not_ready_addrs: Vec<EndpointAddress> = not_ready_addrs
        .into_iter()
        .take(keep_not_ready)
        .map(address)
        .collect();
    let subsets = if ready_addrs.is_empty() && not_ready_addrs.is_empty() {
        Vec::new()
    } else {
        vec![EndpointSubset {
            addresses: ready_addrs,
            not_ready_addresses: not_ready_addrs,
            ports,
        }]
    };
    let over_capacity = |meta: &mut ObjectMeta| {
        if truncated {
            meta.annotations
                .insert(OVER_CAPACITY.to_string(), "truncated".to_string());
        } else {
            meta.annotations.remove(OVER_CAPACITY);
        }
    };
    let mut eps = Endpoints {
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
        .map(|o| {
            let marked = o.metadata.annotations.contains_key(OVER_CAPACITY);
            (
                o.subsets == eps.subsets && marked == truncated,
                o.metadata.clone(),
            )
        }) {
        Some((true, _)) => {}
        Some((false, mut metadata)) => {
            over_capacity(&mut metadata);
            d.update(Object::Endpoints(Endpoints {
                metadata,
                subsets: eps.subsets,
            }));
        }
        None => {
            over_capacity(&mut eps.metadata);
            d.create(Object::Endpoints(eps));
        }
    }
    d
}

/// The hostname an endpoint of `svc` gives `pod`: its own, only when its subdomain names this Service.
fn hostname_for(pod: &Pod, svc: &Service) -> Option<String> {
    pod.spec
        .hostname
        .clone()
        .filter(|_| pod.spec.subdomain.as_deref() == Some(svc.metadata.name.as_str()))
}

/// An endpoint's reference to the pod behind it.
fn target_of(pod: &Pod) -> ObjectReference {
    ObjectReference {
        api_version: None,
        kind: Some("Pod".into()),
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        resource_version: None,
        field_path: None,
    }
}

/// The Endpoints controller's `truncateEndpoints` for the one subset this controller makes: past
/// [`MAX_ENDPOINTS_CAPACITY`] addresses, ready ones are kept before not-ready ones, and the object is annotated
/// `endpoints.kubernetes.io/over-capacity: truncated`. Answers how many ready and not-ready addresses stay,
/// and whether any went.
fn kept(ready: usize, not_ready: usize) -> (usize, usize, bool) {
    if ready + not_ready <= MAX_ENDPOINTS_CAPACITY {
        (ready, not_ready, false)
    } else if ready > MAX_ENDPOINTS_CAPACITY {
        (MAX_ENDPOINTS_CAPACITY, 0, true)
    } else {
        (ready, MAX_ENDPOINTS_CAPACITY - ready, true)
    }
}

/// What identifies an endpoint across syncs (endpointslice's `EndpointSet` hash): its addresses, hostname and
/// the pod it points at. An endpoint with the same identity but other conditions is updated in place.
fn identity(e: &Endpoint) -> (Vec<String>, Option<String>, Option<(String, String)>) {
    (
        e.addresses.clone(),
        e.hostname.clone(),
        e.target_ref
            .as_ref()
            .map(|r| (r.namespace.clone(), r.name.clone())),
    )
}

/// The EndpointSlice reconciler (`reconcileByPortMapping`), for the Service's one set of ports: endpoints stay
/// in the slice that holds them; a slice whose endpoints all went is deleted; new endpoints fill the slices
/// already being updated (fullest first), then one unchanged slice they fit in whole, then new slices of at
/// most [`MAX_ENDPOINTS_PER_SLICE`]. A create next to a delete becomes an update of that slice. Within a slice
/// endpoints are kept in pod order. A Service with no endpoints keeps one empty slice (the placeholder).
fn reconcile_slices(
    v: &View,
    svc: &Service,
    desired: Vec<Endpoint>,
    ports: &[EndpointPort],
    d: &mut Decision,
) {
    let ns = &svc.metadata.namespace;
    let existing: Vec<&EndpointSlice> = v
        .store
        .list_prefix::<EndpointSlice>(ns, &format!("{}-", svc.metadata.name))
        .filter(|s| s.metadata.labels.get(SERVICE_NAME_LABEL) == Some(&svc.metadata.name))
        .collect();
    // Each desired endpoint by identity, with its place in pod order.
    let mut remaining: BTreeMap<_, (usize, Endpoint)> = BTreeMap::new();
    remaining.extend(
        desired
            .into_iter()
            .enumerate()
            .map(|(i, e)| (identity(&e), (i, e))),
    );
    struct Planned {
        name: Option<String>,
        metadata: Option<ObjectMeta>,
        endpoints: Vec<(usize, Endpoint)>,
    }
    let mut to_update: Vec<Planned> = Vec::new();
    let mut unchanged: Vec<Planned> = Vec::new();
    let mut to_delete: Vec<ObjectMeta> = Vec::new();
    // 1. Keep what each slice holds that is still wanted, in its newest form.
    for slice in &existing {
        let mut kept = Vec::new();
        let mut updated = slice.ports != ports;
        for e in &slice.endpoints {
            if let Some((i, want)) = remaining.remove(&identity(e)) {
                updated |= &want != e;
                kept.push((i, want));
            }
        }
        let planned = Planned {
            name: Some(slice.metadata.name.clone()),
            metadata: Some(slice.metadata.clone()),
            endpoints: kept,
        };
        if planned.endpoints.len() != slice.endpoints.len() || updated {
            if planned.endpoints.is_empty() {
                to_delete.push(slice.metadata.clone());
            } else {
                to_update.push(planned);
            }
        } else {
            unchanged.push(planned);
        }
    }
    let mut left: Vec<(usize, Endpoint)> = remaining.into_values().collect();
    crate::sort::by_key(&mut left, |(i, _)| *i);
    let mut left = left.into_iter().peekable();
    // 2. Fill the slices being updated, fullest first.
    crate::sort::by_key(&mut to_update, |p| std::cmp::Reverse(p.endpoints.len()));
    for p in &mut to_update {
        while p.endpoints.len() < MAX_ENDPOINTS_PER_SLICE {
            let Some(e) = left.next() else { break };
            p.endpoints.push(e);
        }
    }
    // 3. Fit what is left into one unchanged slice, or new ones.
    let mut to_create: Vec<Planned> = Vec::new();
    while left.peek().is_some() {
        let count = left.len();
        let fit = (count < MAX_ENDPOINTS_PER_SLICE)
            .then(|| {
                // getSliceToFill: the slice closest to full once these are added.
                unchanged
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.endpoints.len() + count <= MAX_ENDPOINTS_PER_SLICE)
                    .min_by_key(|(_, p)| MAX_ENDPOINTS_PER_SLICE - (p.endpoints.len() + count))
                    .map(|(i, _)| i)
            })
            .flatten();
        let mut p = match fit {
            Some(i) => unchanged.remove(i),
            None => Planned {
                name: None,
                metadata: None,
                endpoints: Vec::new(),
            },
        };
        while p.endpoints.len() < MAX_ENDPOINTS_PER_SLICE {
            let Some(e) = left.next() else { break };
            p.endpoints.push(e);
        }
        if p.name.is_some() {
            to_update.push(p);
        } else {
            to_create.push(p);
        }
    }
    // The placeholder: a Service whose slices would all go keeps one, empty.
    if existing.len() == to_delete.len() && to_create.is_empty() {
        let keep_placeholder = matches!(to_delete.as_slice(), [only] if existing
            .iter()
            .any(|s| s.metadata.name == only.name && s.endpoints.is_empty() && s.ports.is_empty()));
        if keep_placeholder {
            to_delete.clear();
        } else {
            to_create.push(Planned {
                name: None,
                metadata: None,
                endpoints: Vec::new(),
            });
        }
    }
    // finalize: a slice to create takes the place of one to delete.
    while let (Some(_), Some(_)) = (to_create.last(), to_delete.last()) {
        let (Some(mut p), Some(meta)) = (to_create.pop(), to_delete.pop()) else {
            break;
        };
        p.name = Some(meta.name.clone());
        p.metadata = Some(meta);
        to_update.push(p);
    }
    let slice_ports = |endpoints: &[(usize, Endpoint)]| {
        if endpoints.is_empty() && ports.is_empty() {
            Vec::new()
        } else {
            ports.to_vec()
        }
    };
    let owner = OwnerReference::controller("v1", "Service", &svc.metadata);
    for mut p in to_create {
        crate::sort::by_key(&mut p.endpoints, |(i, _)| *i);
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
            ports: slice_ports(&p.endpoints),
            endpoints: p.endpoints.into_iter().map(|(_, e)| e).collect(),
        };
        d.create(Object::EndpointSlice(slice));
    }
    crate::sort::by(&mut to_update, |a, b| a.name.cmp(&b.name));
    for mut p in to_update {
        crate::sort::by_key(&mut p.endpoints, |(i, _)| *i);
        let slice = EndpointSlice {
            metadata: p.metadata.unwrap_or_default(),
            address_type: "IPv4".into(),
            ports: slice_ports(&p.endpoints),
            endpoints: p.endpoints.into_iter().map(|(_, e)| e).collect(),
        };
        d.update(Object::EndpointSlice(slice));
    }
    for meta in to_delete {
        d.delete(
            ObjectKey::new(Kind::EndpointSlice, ns, &meta.name),
            crate::api::DeleteOptions::default(),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_past_a_thousand_addresses_keep_ready_ones_first() {
        // Under the cap nothing changes.
        assert_eq!(kept(600, 400), (600, 400, false));
        // Over it, not-ready addresses go first...
        assert_eq!(kept(900, 300), (900, 100, true));
        // ...and past a thousand ready ones, only the first thousand ready stay.
        assert_eq!(kept(1200, 50), (1000, 0, true));
        assert_eq!(kept(1000, 1), (1000, 0, true));
    }
}
