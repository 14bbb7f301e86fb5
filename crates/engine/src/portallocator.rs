//! The API server's node port allocator (`pkg/registry/core/service/portallocator`) and the rules its Service
//! registry applies around it: which node ports a NodePort or LoadBalancer Service gets, which it keeps on an
//! update, and when they are released.
//!
//! The real allocator keeps a bitmap of the range 30000–32767. A port asked for by number must be free; a port
//! left to the server is drawn at random, first from the upper band of the range and only when that is full
//! from the lower band, which is kept for ports chosen by hand (`ServiceNodePortStaticSubrange`). Here the set
//! of ports in use is read from the Services in the store, so a deleted Service frees its ports at once, and the
//! random draw comes from the cluster's seeded RNG.

use std::collections::BTreeSet;

use crate::model::service::ServicePort;
use crate::model::Service;
use crate::rng::Rng;
use crate::store::Store;

/// The default `--service-node-port-range`.
pub const NODE_PORT_MIN: i64 = 30_000;
pub const NODE_PORT_MAX: i64 = 32_767;

/// Why a port could not be had, in the allocator's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocError {
    NotInRange,
    Allocated,
    Full,
}

impl AllocError {
    pub fn message(self) -> String {
        match self {
            AllocError::NotInRange => format!(
                "provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}"
            ),
            AllocError::Allocated => "provided port is already allocated".to_string(),
            AllocError::Full => "range is full".to_string(),
        }
    }
}

/// The size of the lower band kept for static ports: `min(max(16, size/32), 128)` (`calculateRangeOffset`).
pub fn static_band() -> i64 {
    let size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    (size / 32).clamp(16, 128)
}

/// Whether a Service of this type gets node ports (`needsNodePort`).
pub fn needs_node_port(svc: &Service) -> bool {
    matches!(svc.type_(), "NodePort" | "LoadBalancer")
}

/// Whether ports left out are drawn (`shouldAllocateNodePorts`): always for NodePort, for LoadBalancer unless
/// `allocateLoadBalancerNodePorts: false`.
fn draws_node_ports(svc: &Service) -> bool {
    match svc.type_() {
        "NodePort" => true,
        "LoadBalancer" => svc.spec.allocate_load_balancer_node_ports != Some(false),
        _ => false,
    }
}

/// Whether the Service needs a health check node port (`needsHCNodePort`): a LoadBalancer that keeps
/// external traffic on the node it arrives at.
pub fn needs_health_check_port(svc: &Service) -> bool {
    svc.type_() == "LoadBalancer" && svc.spec.external_traffic_policy.as_deref() == Some("Local")
}

/// The node ports (and health check ports) every Service but `except` (namespace, name) holds.
fn in_use(store: &Store, except: Option<(&str, &str)>) -> BTreeSet<i64> {
    store
        .list::<Service>(None)
        .filter(|s| except != Some((s.metadata.namespace.as_str(), s.metadata.name.as_str())))
        .flat_map(|s| {
            s.spec
                .ports
                .iter()
                .filter_map(|p| p.node_port)
                .chain(s.spec.health_check_node_port)
        })
        .filter(|n| *n != 0)
        .collect()
}

/// The health check port of a LoadBalancer with `externalTrafficPolicy: Local`: kept, asked for, or drawn.
fn allocate_health_check_port(
    rng: &mut Rng,
    svc: &mut Service,
    held: Option<i64>,
    taken: &BTreeSet<i64>,
) -> Result<(), String> {
    if !needs_health_check_port(svc) {
        return Ok(());
    }
    let refused = |n: i64, e: AllocError| {
        format!(
            "spec.healthCheckNodePort: Invalid value: {n}: {}",
            e.message()
        )
    };
    match svc.spec.health_check_node_port.filter(|n| *n != 0) {
        Some(n) if Some(n) == held => {}
        Some(n) => {
            allocate(taken, n).map_err(|e| refused(n, e))?;
        }
        None => {
            let n = allocate_next(rng, taken).map_err(|e| refused(0, e))?;
            svc.spec.health_check_node_port = Some(n);
        }
    }
    Ok(())
}

/// `AllocateNext`: a random free port, from the upper band first (random start, then the next free one up,
/// wrapping within the band).
fn allocate_next(rng: &mut Rng, taken: &BTreeSet<i64>) -> Result<i64, AllocError> {
    let split = NODE_PORT_MIN + static_band();
    for (lo, hi) in [(split, NODE_PORT_MAX), (NODE_PORT_MIN, split - 1)] {
        let size = (hi - lo + 1) as u64;
        let start = rng.below(size) as i64;
        for i in 0..size as i64 {
            let port = lo + (start + i) % size as i64;
            if !taken.contains(&port) {
                return Ok(port);
            }
        }
    }
    Err(AllocError::Full)
}

/// `Allocate(port)`: a port asked for by number.
fn allocate(taken: &BTreeSet<i64>, port: i64) -> Result<i64, AllocError> {
    if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&port) {
        Err(AllocError::NotInRange)
    } else if taken.contains(&port) {
        Err(AllocError::Allocated)
    } else {
        Ok(port)
    }
}

fn invalid(i: usize, port: i64, e: AllocError) -> String {
    format!(
        "spec.ports[{i}].nodePort: Invalid value: {port}: {}",
        e.message()
    )
}

/// Node ports for a new Service (`initNodePorts`). Ports with the same port number (TCP and UDP 53) share
/// one node port. Returns the first cause of failure, as the API server stops at it.
pub(crate) fn allocate_for_create(
    store: &Store,
    rng: &mut Rng,
    svc: &mut Service,
) -> Result<(), String> {
    if !needs_node_port(svc) {
        return Ok(());
    }
    let mut taken = in_use(
        store,
        Some((svc.metadata.namespace.as_str(), svc.metadata.name.as_str())),
    );
    // Node ports this Service took, by service port number.
    let mut by_port: Vec<(i64, i64)> = Vec::new();
    let requested: Vec<(i64, i64)> = svc
        .spec
        .ports
        .iter()
        .filter_map(|p| p.node_port.filter(|n| *n != 0).map(|n| (p.port, n)))
        .collect();
    let draws = draws_node_ports(svc);
    for (i, p) in svc.spec.ports.iter_mut().enumerate() {
        if !draws && p.node_port.is_none_or(|n| n == 0) {
            continue;
        }
        let shared = by_port
            .iter()
            .find(|(sp, _)| *sp == p.port)
            .map(|(_, n)| *n);
        match (shared, p.node_port.filter(|n| *n != 0)) {
            (Some(n), None) => p.node_port = Some(n),
            (Some(n), Some(want)) if want == n => {}
            (_, Some(want)) => {
                let n = allocate(&taken, want).map_err(|e| invalid(i, want, e))?;
                taken.insert(n);
                by_port.push((p.port, n));
            }
            (None, None) => {
                // A later entry for the same port number may name its node port: that one is shared.
                let n = match requested.iter().find(|(sp, _)| *sp == p.port) {
                    Some((_, want)) => allocate(&taken, *want).map_err(|e| invalid(i, *want, e))?,
                    None => allocate_next(rng, &taken).map_err(|e| invalid(i, 0, e))?,
                };
                taken.insert(n);
                by_port.push((p.port, n));
                p.node_port = Some(n);
            }
        }
    }
    allocate_health_check_port(rng, svc, None, &taken)
}

/// What the registry does to an update before validation: node ports the client left out are kept from the
/// stored Service, matched by port name (`patchAllocatedValues`), and a switch to a type without node ports
/// drops them when the client did not touch them (`dropTypeDependentFields`).
pub(crate) fn patch_for_update(old: &Service, new: &mut Service) {
    if needs_node_port(old) && needs_node_port(new) {
        let mut used = BTreeSet::new();
        used.extend(new.spec.ports.iter().filter_map(|p| p.node_port));
        for p in &mut new.spec.ports {
            if p.node_port.is_none_or(|n| n == 0) {
                let kept = old
                    .spec
                    .ports
                    .iter()
                    .find(|o| o.name == p.name)
                    .and_then(|o| o.node_port)
                    .filter(|n| !used.contains(n));
                p.node_port = kept;
            }
        }
    }
    if needs_health_check_port(old) && needs_health_check_port(new) {
        new.spec.health_check_node_port = new
            .spec
            .health_check_node_port
            .filter(|n| *n != 0)
            .or(old.spec.health_check_node_port);
    }
    if needs_health_check_port(old)
        && !needs_health_check_port(new)
        && old.spec.health_check_node_port == new.spec.health_check_node_port
    {
        new.spec.health_check_node_port = None;
    }
    if old.type_() == "LoadBalancer"
        && new.type_() != "LoadBalancer"
        && old.spec.allocate_load_balancer_node_ports == new.spec.allocate_load_balancer_node_ports
    {
        new.spec.allocate_load_balancer_node_ports = None;
    }
    if needs_node_port(old) && !needs_node_port(new) {
        let same = old.spec.ports.len() == new.spec.ports.len()
            && old
                .spec
                .ports
                .iter()
                .zip(&new.spec.ports)
                .all(|(a, b)| a.node_port == b.node_port);
        if same {
            for p in &mut new.spec.ports {
                p.node_port = None;
            }
        }
        if old.spec.external_traffic_policy == new.spec.external_traffic_policy {
            new.spec.external_traffic_policy = None;
        }
    }
}

/// Node ports for an updated Service (`updateNodePorts`): ports it already held stay, new numbers must be free,
/// missing ones are drawn.
pub(crate) fn allocate_for_update(
    store: &Store,
    rng: &mut Rng,
    old: &Service,
    new: &mut Service,
) -> Result<(), String> {
    if !needs_node_port(new) {
        return Ok(());
    }
    let mut taken = in_use(
        store,
        Some((new.metadata.namespace.as_str(), new.metadata.name.as_str())),
    );
    let mut held = BTreeSet::new();
    held.extend(old.spec.ports.iter().filter_map(|p| p.node_port));
    let mut mine: BTreeSet<i64> = BTreeSet::new();
    let draws = draws_node_ports(new);
    for (i, p) in new.spec.ports.iter_mut().enumerate() {
        match p.node_port.filter(|n| *n != 0) {
            None if !draws => {}
            Some(n) => {
                if !held.contains(&n) && !mine.contains(&n) {
                    allocate(&taken, n).map_err(|e| invalid(i, n, e))?;
                }
                mine.insert(n);
                taken.insert(n);
            }
            None => {
                let n = allocate_next(rng, &taken).map_err(|e| invalid(i, 0, e))?;
                taken.insert(n);
                mine.insert(n);
                p.node_port = Some(n);
            }
        }
    }
    let held_check = old.spec.health_check_node_port;
    allocate_health_check_port(rng, new, held_check, &taken)
}

/// `findRequestedNodePort`'s sibling for validation: the `(protocol, nodePort)` pairs of one Service must be
/// distinct.
pub(crate) fn duplicates(ports: &[ServicePort]) -> Vec<String> {
    let mut seen: BTreeSet<(String, i64)> = BTreeSet::new();
    let mut out = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let Some(n) = p.node_port.filter(|n| *n != 0) else {
            continue;
        };
        let key = (p.protocol.clone().unwrap_or_else(|| "TCP".into()), n);
        if !seen.insert(key) {
            out.push(format!("spec.ports[{i}].nodePort: Duplicate value: {n}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_static_band_of_the_default_range_is_86_ports() {
        assert_eq!(static_band(), 86);
    }

    #[test]
    fn a_port_outside_the_range_or_taken_is_refused_with_the_allocators_words() {
        let taken: BTreeSet<i64> = [30080].into();
        assert_eq!(allocate(&taken, 30080), Err(AllocError::Allocated));
        assert_eq!(allocate(&taken, 8080), Err(AllocError::NotInRange));
        assert_eq!(allocate(&taken, 30081), Ok(30081));
        assert_eq!(
            invalid(0, 30080, AllocError::Allocated),
            "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
        );
    }
}
