//! The service controller of the cloud controller manager (`service-controller`), with a simulated cloud behind
//! it: a LoadBalancer Service gets the `EnsuringLoadBalancer` event and the load-balancer cleanup finalizer at
//! once, and after the cloud's delay an address in `status.loadBalancer.ingress` and `EnsuredLoadBalancer`.
//! Until then `kubectl get svc` shows EXTERNAL-IP `<pending>`. A Service that stops being a LoadBalancer, or
//! is deleted, has its load balancer removed (`DeletingLoadBalancer`, `DeletedLoadBalancer`) before the
//! finalizer goes.
//!
//! The "cloud" hands out addresses from [`POOL_FIRST`]–[`POOL_LAST`], lowest free first: the range kind's
//! documentation gives MetalLB on kind's Docker network, which the learner's machine (a kind host) can reach.
//! `spec.loadBalancerIP` asks for one address of the pool.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::cluster::{Cluster, Timer};
use crate::events::{EventType, Source};
use crate::model::{Kind, Service};
use crate::store::{ObjectKey, WatchEventType};

pub const SOURCE: Source = Source::component("service-controller");

/// The finalizer that holds a Service until its load balancer is gone.
pub const LB_CLEANUP_FINALIZER: &str = "service.kubernetes.io/load-balancer-cleanup";

/// The address pool: 172.18.255.200–172.18.255.250.
pub const POOL_PREFIX: &str = "172.18.255.";
pub const POOL_FIRST: u8 = 200;
pub const POOL_LAST: u8 = 250;

/// One Service port as the load balancer sees it: name, protocol, port and node port.
type PortKey = (Option<String>, Option<String>, i64, Option<i64>);

/// What a load balancer was last made for; a change (ports, node ports, the requested address, the traffic
/// policy) makes the controller ensure it again, as `needsUpdate` does.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    uid: String,
    ports: Vec<PortKey>,
    load_balancer_ip: Option<String>,
    external_traffic_policy: Option<String>,
}

fn fingerprint(svc: &Service) -> Fingerprint {
    Fingerprint {
        uid: svc.metadata.uid.clone(),
        ports: svc
            .spec
            .ports
            .iter()
            .map(|p| (p.name.clone(), p.protocol.clone(), p.port, p.node_port))
            .collect(),
        load_balancer_ip: svc.spec.load_balancer_ip.clone(),
        external_traffic_policy: svc.spec.external_traffic_policy.clone(),
    }
}

#[derive(Debug, Default)]
pub struct State {
    /// Load balancers the cloud is making, by Service, with what they are being made for.
    ensuring: BTreeMap<ObjectKey, Fingerprint>,
    /// What each existing load balancer was made for.
    ensured: BTreeMap<ObjectKey, Fingerprint>,
}

fn wants_load_balancer(svc: &Service) -> bool {
    svc.type_() == "LoadBalancer" && !svc.metadata.is_terminating()
}

fn has_finalizer(svc: &Service) -> bool {
    svc.metadata
        .finalizers
        .iter()
        .any(|f| f == LB_CLEANUP_FINALIZER)
}

/// Queues a Service the controller cares about: one that wants a load balancer or still has one to clean up.
pub(crate) fn route(c: &mut Cluster, type_: WatchEventType, svc: &Service) {
    let key = ObjectKey::new(Kind::Service, &svc.metadata.namespace, &svc.metadata.name);
    if type_ == WatchEventType::Deleted {
        c.service.ensuring.remove(&key);
        c.service.ensured.remove(&key);
        // An address may have come free for a Service that is waiting for one.
        requeue_waiting(c);
        return;
    }
    if svc.type_() == "LoadBalancer" || has_finalizer(svc) {
        c.queues[crate::controllers::Controllers::SERVICE].add(key);
    }
}

/// Queues every LoadBalancer Service still without an address.
fn requeue_waiting(c: &mut Cluster) {
    let keys: Vec<ObjectKey> = c
        .store
        .list::<Service>(None)
        .filter(|s| wants_load_balancer(s) && s.ingress_ips().is_empty())
        .map(|s| ObjectKey::new(Kind::Service, &s.metadata.namespace, &s.metadata.name))
        .collect();
    for k in keys {
        c.queues[crate::controllers::Controllers::SERVICE].add(k);
    }
}

pub(crate) fn sync(c: &mut Cluster, key: &ObjectKey) {
    let Some(svc) = c
        .store
        .get_typed::<Service>(&key.namespace, &key.name)
        .cloned()
    else {
        return;
    };
    if !wants_load_balancer(&svc) {
        if has_finalizer(&svc) || c.service.ensured.contains_key(key) {
            delete_load_balancer(c, key, &svc);
        }
        return;
    }
    let want = fingerprint(&svc);
    if c.service.ensuring.get(key) == Some(&want) {
        return;
    }
    if c.service.ensured.get(key) == Some(&want) && !svc.ingress_ips().is_empty() {
        return;
    }
    c.record_event(
        &svc,
        EventType::Normal,
        "EnsuringLoadBalancer",
        "Ensuring load balancer",
        SOURCE,
    );
    if !has_finalizer(&svc) {
        let now = c.now;
        c.store
            .modify::<Service>(&key.namespace, &key.name, now, |s| {
                s.metadata.finalizers.push(LB_CLEANUP_FINALIZER.to_string());
            });
    }
    c.service.ensuring.insert(key.clone(), want);
    let delay = c.config.timings.load_balancer_ms;
    c.schedule(
        delay,
        Timer::LoadBalancer {
            service: key.clone(),
            uid: svc.metadata.uid.clone(),
        },
    );
}

/// The cloud has made the load balancer: the Service gets its address.
pub(crate) fn on_ensured(c: &mut Cluster, key: &ObjectKey, uid: &str) {
    let Some(made_for) = c.service.ensuring.remove(key) else {
        return;
    };
    let Some(svc) = c
        .store
        .get_typed::<Service>(&key.namespace, &key.name)
        .cloned()
    else {
        return;
    };
    if svc.metadata.uid != uid || !wants_load_balancer(&svc) {
        c.queues[crate::controllers::Controllers::SERVICE].add(key.clone());
        return;
    }
    let ip = match svc.ingress_ips().into_iter().next() {
        Some(ip) => ip,
        None => match pick_address(c, &svc) {
            Ok(ip) => ip,
            Err(why) => {
                c.record_event(
                    &svc,
                    EventType::Warning,
                    "SyncLoadBalancerFailed",
                    &format!("Error syncing load balancer: failed to ensure load balancer: {why}"),
                    SOURCE,
                );
                return;
            }
        },
    };
    let now = c.now;
    c.store
        .modify::<Service>(&key.namespace, &key.name, now, |s| {
            s.status = Some(json!({"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}));
        });
    c.record_event(
        &svc,
        EventType::Normal,
        "EnsuredLoadBalancer",
        "Ensured load balancer",
        SOURCE,
    );
    c.service.ensured.insert(key.clone(), made_for);
    // Changed while the cloud was busy: make it again for what the Service asks now.
    if fingerprint(&svc) != c.service.ensured[key] {
        c.queues[crate::controllers::Controllers::SERVICE].add(key.clone());
    }
}

/// The lowest free address of the pool, or the one `spec.loadBalancerIP` asks for.
fn pick_address(c: &Cluster, svc: &Service) -> Result<String, String> {
    let taken: BTreeSet<String> = c
        .store
        .list::<Service>(None)
        .flat_map(Service::ingress_ips)
        .collect();
    let in_pool = |ip: &str| {
        ip.strip_prefix(POOL_PREFIX)
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (POOL_FIRST..=POOL_LAST).contains(&n))
    };
    let pool = format!("{POOL_PREFIX}{POOL_FIRST}-{POOL_PREFIX}{POOL_LAST}");
    if let Some(want) = svc
        .spec
        .load_balancer_ip
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        if !in_pool(want) {
            return Err(format!(
                "requested address {want} is not in the pool {pool}"
            ));
        }
        if taken.contains(want) {
            return Err(format!("requested address {want} is already in use"));
        }
        return Ok(want.to_string());
    }
    (POOL_FIRST..=POOL_LAST)
        .map(|n| format!("{POOL_PREFIX}{n}"))
        .find(|ip| !taken.contains(ip))
        .ok_or_else(|| format!("no address left in the pool {pool}"))
}

/// Removes the load balancer of a Service that no longer wants one (or is being deleted): events, the
/// address, then the finalizer, which lets a deletion finish.
fn delete_load_balancer(c: &mut Cluster, key: &ObjectKey, svc: &Service) {
    c.service.ensuring.remove(key);
    let existed = c.service.ensured.remove(key).is_some() || !svc.ingress_ips().is_empty();
    if existed {
        c.record_event(
            svc,
            EventType::Normal,
            "DeletingLoadBalancer",
            "Deleting load balancer",
            SOURCE,
        );
    }
    let now = c.now;
    c.store
        .modify::<Service>(&key.namespace, &key.name, now, |s| {
            s.status = None;
        });
    c.remove_finalizer(key, LB_CLEANUP_FINALIZER);
    c.record_event(
        svc,
        EventType::Normal,
        "DeletedLoadBalancer",
        "Deleted load balancer",
        SOURCE,
    );
    requeue_waiting(c);
}

/// Routes a watch event (until this controller returns decisions).
pub(crate) fn route_event(c: &mut Cluster, type_: WatchEventType, obj: &crate::model::Object) {
    if let crate::model::Object::Service(svc) = obj {
        route(c, type_, svc);
    }
}
