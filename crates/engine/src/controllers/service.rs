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
use std::sync::Arc;

use serde_json::json;

use crate::controllers::{Controller, Decision, View};
use crate::events::{EventType, Source};
use crate::model::{Kind, Object, Service};
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

/// The service controller, with what the cloud is making and has made.
#[derive(Debug, Default)]
pub struct ServiceController {
    /// Load balancers the cloud is making, by Service, with what they are being made for.
    ensuring: BTreeMap<ObjectKey, Fingerprint>,
    /// What each existing load balancer was made for.
    ensured: BTreeMap<ObjectKey, Fingerprint>,
}

/// The service controller's timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// The cloud has made the load balancer of the Service with this uid.
    LoadBalancerMade { service: ObjectKey, uid: String },
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

/// Queues every LoadBalancer Service still without an address.
fn requeue_waiting(v: &View, d: &mut Decision) {
    for s in v
        .store
        .list::<Service>(None)
        .filter(|s| wants_load_balancer(s) && s.ingress_ips().is_empty())
    {
        d.queue(ObjectKey::new(
            Kind::Service,
            &s.metadata.namespace,
            &s.metadata.name,
        ));
    }
}

impl Controller for ServiceController {
    /// A Service the controller cares about: one that wants a load balancer or still has one to clean up. A
    /// Service gone may free an address for one waiting.
    fn route(&mut self, v: &View, type_: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        let Object::Service(svc) = &**obj else {
            return d;
        };
        let key = ObjectKey::new(Kind::Service, &svc.metadata.namespace, &svc.metadata.name);
        if type_ == WatchEventType::Deleted {
            self.ensuring.remove(&key);
            self.ensured.remove(&key);
            requeue_waiting(v, &mut d);
        } else if svc.type_() == "LoadBalancer" || has_finalizer(svc) {
            d.queue(key);
        }
        d
    }

    fn reconcile(&mut self, v: &View, key: &ObjectKey) -> Decision {
        let mut d = Decision::none();
        let Some(svc) = v.store.get_typed::<Service>(&key.namespace, &key.name) else {
            return d;
        };
        if !wants_load_balancer(svc) {
            if has_finalizer(svc) || self.ensured.contains_key(key) {
                self.delete_load_balancer(v, key, svc, &mut d);
            }
            return d;
        }
        let want = fingerprint(svc);
        if self.ensuring.get(key) == Some(&want) {
            return d;
        }
        if self.ensured.get(key) == Some(&want) && !svc.ingress_ips().is_empty() {
            return d;
        }
        d.event(
            svc,
            EventType::Normal,
            "EnsuringLoadBalancer",
            "Ensuring load balancer",
            SOURCE,
        );
        if !has_finalizer(svc) {
            d.patch::<Service>(&key.namespace, &key.name, |s| {
                s.metadata.finalizers.push(LB_CLEANUP_FINALIZER.to_string());
            });
        }
        self.ensuring.insert(key.clone(), want);
        let made = Wake::LoadBalancerMade {
            service: key.clone(),
            uid: svc.metadata.uid.clone(),
        };
        d.wake_at(
            v.now.plus(v.config.timings.load_balancer_ms),
            super::Wake::Service(made),
        );
        d
    }

    /// The cloud has made the load balancer: the Service gets its address.
    fn wake(&mut self, v: &View, wake: super::Wake) -> Decision {
        let mut d = Decision::none();
        let super::Wake::Service(Wake::LoadBalancerMade { service: key, uid }) = wake else {
            return d;
        };
        let Some(made_for) = self.ensuring.remove(&key) else {
            return d;
        };
        let Some(svc) = v.store.get_typed::<Service>(&key.namespace, &key.name) else {
            return d;
        };
        if svc.metadata.uid != uid || !wants_load_balancer(svc) {
            d.queue(key);
            return d;
        }
        let ip = match svc.ingress_ips().into_iter().next() {
            Some(ip) => ip,
            None => match pick_address(v, svc) {
                Ok(ip) => ip,
                Err(why) => {
                    d.event(
                        svc,
                        EventType::Warning,
                        "SyncLoadBalancerFailed",
                        &format!(
                            "Error syncing load balancer: failed to ensure load balancer: {why}"
                        ),
                        SOURCE,
                    );
                    return d;
                }
            },
        };
        d.patch::<Service>(&key.namespace, &key.name, move |s| {
            s.status = Some(json!({"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}));
        });
        d.event(
            svc,
            EventType::Normal,
            "EnsuredLoadBalancer",
            "Ensured load balancer",
            SOURCE,
        );
        // Changed while the cloud was busy: make it again for what the Service asks now.
        let changed = fingerprint(svc) != made_for;
        self.ensured.insert(key.clone(), made_for);
        if changed {
            d.queue(key);
        }
        d
    }
}

/// The lowest free address of the pool, or the one `spec.loadBalancerIP` asks for.
fn pick_address(v: &View, svc: &Service) -> Result<String, String> {
    let mut taken = BTreeSet::new();
    taken.extend(v.store.list::<Service>(None).flat_map(Service::ingress_ips));
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

impl ServiceController {
    /// Removes the load balancer of a Service that no longer wants one (or is being deleted): events, the
    /// address, then the finalizer, which lets a deletion finish.
    fn delete_load_balancer(&mut self, v: &View, key: &ObjectKey, svc: &Service, d: &mut Decision) {
        self.ensuring.remove(key);
        let existed = self.ensured.remove(key).is_some() || !svc.ingress_ips().is_empty();
        if existed {
            d.event(
                svc,
                EventType::Normal,
                "DeletingLoadBalancer",
                "Deleting load balancer",
                SOURCE,
            );
        }
        d.patch::<Service>(&key.namespace, &key.name, |s| s.status = None);
        d.remove_finalizer(key.clone(), LB_CLEANUP_FINALIZER);
        d.event(
            svc,
            EventType::Normal,
            "DeletedLoadBalancer",
            "Deleted load balancer",
            SOURCE,
        );
        // The Service itself never waits (it wants no load balancer), and nothing above frees another's.
        requeue_waiting(v, d);
    }
}
