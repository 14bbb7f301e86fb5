//! Cluster DNS as CoreDNS's `kubernetes` plugin answers it (k8s-behaviour.md 3.3–3.5), and the stub resolver
//! in a pod that expands names through its search list (3.7).
//!
//! Names outside the cluster domain go to CoreDNS's `forward` upstream, the node's resolver. In kind that is
//! Docker's embedded DNS (kind's entrypoint makes it reachable from pods), which knows the node containers
//! by name (`kind-worker` → its InternalIP, and back as `kind-worker.kind.`) and nothing else here: the
//! classroom is offline, so every other outside name is NXDOMAIN.

use crate::cluster::Cluster;
use std::collections::BTreeMap;

use crate::model::{EndpointSlice, Namespace, Node, Object, Service};
use crate::store::WatchEventType;

/// CoreDNS's record TTL in the kubeadm Corefile.
pub const TTL: u32 = 30;

/// The TTL Docker's embedded DNS gives its answers.
pub const UPSTREAM_TTL: u32 = 600;

/// The Docker network kind puts its node containers on.
pub const DOCKER_NETWORK: &str = "kind";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QType {
    A,
    Aaaa,
    Srv,
    Ptr,
    Txt,
}

impl QType {
    pub fn parse(s: &str) -> Option<QType> {
        Some(match s.to_ascii_uppercase().as_str() {
            "A" => QType::A,
            "AAAA" => QType::Aaaa,
            "SRV" => QType::Srv,
            "PTR" => QType::Ptr,
            "TXT" => QType::Txt,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QType::A => "A",
            QType::Aaaa => "AAAA",
            QType::Srv => "SRV",
            QType::Ptr => "PTR",
            QType::Txt => "TXT",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rcode {
    NoError,
    NxDomain,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    A(String),
    Srv {
        priority: u16,
        weight: u16,
        port: i64,
        target: String,
    },
    Ptr(String),
    Txt(String),
    Cname(String),
    /// The zone's SOA, which a negative answer carries in its authority section.
    Soa {
        mname: String,
        rname: String,
        serial: u32,
        refresh: u32,
        retry: u32,
        expire: u32,
        minimum: u32,
    },
}

impl RData {
    /// The record type's mnemonic.
    pub fn type_name(&self) -> &'static str {
        match self {
            RData::A(_) => "A",
            RData::Srv { .. } => "SRV",
            RData::Ptr(_) => "PTR",
            RData::Txt(_) => "TXT",
            RData::Cname(_) => "CNAME",
            RData::Soa { .. } => "SOA",
        }
    }

    /// The data in presentation format, as BIND prints it (names keep their trailing dot).
    pub fn text(&self) -> String {
        match self {
            RData::A(ip) => ip.clone(),
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => format!("{priority} {weight} {port} {target}"),
            RData::Ptr(n) | RData::Cname(n) => n.clone(),
            RData::Txt(s) => format!("\"{s}\""),
            RData::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            } => format!("{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}"),
        }
    }
}

/// A resource record; `name` is fully qualified with the trailing dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub ttl: u32,
    pub data: RData,
}

/// One DNS answer. NODATA is `NoError` with no answer records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub rcode: Rcode,
    pub answer: Vec<Record>,
    pub additional: Vec<Record>,
    /// The `aa` flag: set on what CoreDNS's kubernetes plugin answers itself, clear on what its `forward`
    /// plugin relays from upstream (which also sets `ra`). Clients print it: dig's flags line, nslookup's
    /// "Non-authoritative answer:".
    pub authoritative: bool,
}

impl Reply {
    fn nx() -> Reply {
        Reply {
            rcode: Rcode::NxDomain,
            answer: Vec::new(),
            additional: Vec::new(),
            authoritative: true,
        }
    }

    fn nodata() -> Reply {
        Reply {
            rcode: Rcode::NoError,
            answer: Vec::new(),
            additional: Vec::new(),
            authoritative: true,
        }
    }

    /// What `forward` relays: the same answer without `aa`.
    fn relayed(self) -> Reply {
        Reply {
            authoritative: false,
            ..self
        }
    }

    /// The A records' addresses.
    pub fn addresses(&self) -> Vec<String> {
        self.answer
            .iter()
            .filter_map(|r| match &r.data {
                RData::A(ip) => Some(ip.clone()),
                _ => None,
            })
            .collect()
    }
}

/// A ready (served) endpoint of a Service: its address, hostname, and the slice's ports.
pub(crate) struct Ep {
    pub ip: String,
    pub hostname: Option<String>,
    /// (name, protocol, port) of the slice's ports.
    pub ports: Vec<(Option<String>, Option<String>, i64)>,
}

fn dashed(ip: &str) -> String {
    ip.replace('.', "-")
}

/// `a-b-c-d` as the address `a.b.c.d`, when it is one as Go's `net.ParseIP` reads it (no leading zeros).
fn dashed_ipv4(label: &str) -> Option<String> {
    if label.contains('.') {
        return None;
    }
    let [a, b, c, d] = parse_ipv4(&label.replace('-', "."))?;
    Some(format!("{a}.{b}.{c}.{d}"))
}

impl Cluster {
    /// The endpoints CoreDNS serves for a Service: ready ones (3.2), from its EndpointSlices.
    pub(crate) fn served_endpoints(&self, svc: &Service) -> Vec<Ep> {
        let ns = &svc.metadata.namespace;
        let mut out: Vec<Ep> = Vec::new();
        for slice in self.store.list::<EndpointSlice>(Some(ns)) {
            if slice.metadata.labels.get("kubernetes.io/service-name") != Some(&svc.metadata.name) {
                continue;
            }
            let ports: Vec<(Option<String>, Option<String>, i64)> = slice
                .ports
                .iter()
                .map(|p| (p.name.clone(), p.protocol.clone(), p.port.unwrap_or(0)))
                .collect();
            for e in &slice.endpoints {
                if e.conditions.ready == Some(false) {
                    continue;
                }
                for ip in &e.addresses {
                    if !out.iter().any(|x| &x.ip == ip) {
                        out.push(Ep {
                            ip: ip.clone(),
                            hostname: e.hostname.clone(),
                            ports: ports.clone(),
                        });
                    }
                }
            }
        }
        out
    }

    fn zone(&self) -> String {
        self.config.cluster_domain.trim_end_matches('.').to_string()
    }

    /// Answers one query as the cluster's DNS server does.
    pub fn dns_query(&mut self, qname: &str, qtype: QType) -> Reply {
        self.runtime_observed_cluster();
        let name = qname.trim_end_matches('.').to_ascii_lowercase();
        let zone = self.zone();
        if let Some(rev) = name.strip_suffix(".in-addr.arpa") {
            return self.reverse(rev, qtype);
        }
        if name == zone || name == format!("svc.{zone}") || name == format!("pod.{zone}") {
            return Reply::nodata();
        }
        if name == format!("dns-version.{zone}") {
            return if qtype == QType::Txt {
                Reply {
                    rcode: Rcode::NoError,
                    answer: vec![Record {
                        name: format!("{name}."),
                        ttl: 28_800,
                        data: RData::Txt("1.1.0".into()),
                    }],
                    additional: Vec::new(),
                    authoritative: true,
                }
            } else {
                Reply::nodata()
            };
        }
        let Some(inner) = name.strip_suffix(&format!(".{zone}")) else {
            return self.upstream(&name, qtype);
        };
        let labels: Vec<&str> = inner.split('.').collect();
        let Some((kind, rest)) = labels.split_last() else {
            return Reply::nx();
        };
        match *kind {
            "svc" => self.svc_query(rest, &name, qtype),
            // `pods insecure`: any well-formed dashed address in an existing namespace answers, without
            // checking that a pod has it (`findPods`); the namespace alone is NODATA.
            "pod" => match rest {
                [ns] if self.namespace_exists(ns) => Reply::nodata(),
                [ip, ns] if self.namespace_exists(ns) => match dashed_ipv4(ip) {
                    Some(addr) => self.answer(&name, qtype, vec![addr]),
                    None => Reply::nx(),
                },
                _ => Reply::nx(),
            },
            _ => Reply::nx(),
        }
    }

    fn namespace_exists(&self, ns: &str) -> bool {
        self.store.get_typed::<Namespace>("", ns).is_some()
    }

    /// A/AAAA/other for a name that resolves to `ips`.
    fn answer(&mut self, name: &str, qtype: QType, mut ips: Vec<String>) -> Reply {
        if qtype != QType::A {
            return Reply::nodata();
        }
        self.shuffle(&mut ips);
        Reply {
            rcode: Rcode::NoError,
            answer: ips
                .into_iter()
                .map(|ip| Record {
                    name: format!("{name}."),
                    ttl: TTL,
                    data: RData::A(ip),
                })
                .collect(),
            additional: Vec::new(),
            authoritative: true,
        }
    }

    /// The `loadbalance` plugin: a random order on each answer (seeded).
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.rng.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }

    fn svc_query(&mut self, labels: &[&str], name: &str, qtype: QType) -> Reply {
        let zone = self.zone();
        match labels {
            [ns] => {
                if self.namespace_exists(ns) {
                    Reply::nodata()
                } else {
                    Reply::nx()
                }
            }
            [svc, ns] => {
                let Some(s) = self.service(ns, svc) else {
                    return Reply::nx();
                };
                if let Some(ext) = s
                    .spec
                    .external_name
                    .clone()
                    .filter(|_| s.spec.type_.as_deref() == Some("ExternalName"))
                {
                    return Reply {
                        rcode: Rcode::NoError,
                        answer: vec![Record {
                            name: format!("{name}."),
                            ttl: TTL,
                            data: RData::Cname(format!("{}.", ext.trim_end_matches('.'))),
                        }],
                        additional: Vec::new(),
                        authoritative: true,
                    };
                }
                let headless = s.spec.cluster_ip.as_deref() == Some("None");
                let fqdn = format!("{svc}.{ns}.svc.{zone}");
                if qtype == QType::Srv {
                    let reply = self.srv(&s, &fqdn, None, headless);
                    // A headless Service without ready endpoints has no records at all.
                    if headless && reply.answer.is_empty() {
                        return Reply::nx();
                    }
                    return reply;
                }
                if headless {
                    let ips: Vec<String> = self
                        .served_endpoints(&s)
                        .into_iter()
                        .map(|e| e.ip)
                        .collect();
                    if ips.is_empty() {
                        return Reply::nx();
                    }
                    self.answer(name, qtype, ips)
                } else {
                    let ip = s.spec.cluster_ip.clone().unwrap_or_default();
                    self.answer(name, qtype, vec![ip])
                }
            }
            [host, svc, ns] => {
                let Some(s) = self.service(ns, svc) else {
                    return Reply::nx();
                };
                let ips: Vec<String> = self
                    .served_endpoints(&s)
                    .into_iter()
                    .filter(|e| match &e.hostname {
                        Some(h) => h == host,
                        None => dashed(&e.ip) == *host,
                    })
                    .map(|e| e.ip)
                    .collect();
                if ips.is_empty() {
                    return Reply::nx();
                }
                self.answer(name, qtype, ips)
            }
            [port, proto, svc, ns] if port.starts_with('_') && proto.starts_with('_') => {
                let Some(s) = self.service(ns, svc) else {
                    return Reply::nx();
                };
                let headless = s.spec.cluster_ip.as_deref() == Some("None");
                let fqdn = format!("{svc}.{ns}.svc.{zone}");
                let want = (
                    port.trim_start_matches('_').to_string(),
                    proto.trim_start_matches('_').to_ascii_uppercase(),
                );
                let reply = self.srv(&s, &fqdn, Some(want), headless);
                if reply.answer.is_empty() {
                    return Reply::nx();
                }
                if qtype == QType::Srv {
                    reply
                } else {
                    Reply::nodata()
                }
            }
            _ => Reply::nx(),
        }
    }

    fn service(&self, ns: &str, name: &str) -> Option<Service> {
        if !self.namespace_exists(ns) {
            return None;
        }
        self.store.get_typed::<Service>(ns, name).cloned()
    }

    /// SRV records for a Service (`port`: only the named port and protocol).
    fn srv(
        &mut self,
        s: &Service,
        fqdn: &str,
        port: Option<(String, String)>,
        headless: bool,
    ) -> Reply {
        let matches = |name: &Option<String>, proto: &Option<String>| match &port {
            None => true,
            Some((want_name, want_proto)) => {
                name.as_deref() == Some(want_name.as_str())
                    && proto
                        .as_deref()
                        .unwrap_or("TCP")
                        .eq_ignore_ascii_case(want_proto)
            }
        };
        let qname = match &port {
            Some((n, p)) => format!("_{n}._{}.{fqdn}.", p.to_ascii_lowercase()),
            None => format!("{fqdn}."),
        };
        let mut targets: Vec<(i64, String, String)> = Vec::new();
        if headless {
            for e in self.served_endpoints(s) {
                let host = e.hostname.clone().unwrap_or_else(|| dashed(&e.ip));
                for (name, proto, p) in &e.ports {
                    if matches(name, proto) {
                        targets.push((*p, format!("{host}.{fqdn}."), e.ip.clone()));
                    }
                }
            }
        } else {
            let ip = s.spec.cluster_ip.clone().unwrap_or_default();
            for p in &s.spec.ports {
                if matches(&p.name, &p.protocol) {
                    targets.push((p.port, format!("{fqdn}."), ip.clone()));
                }
            }
        }
        self.shuffle(&mut targets);
        let n = targets.len().max(1) as u16;
        let weight = 100 / n;
        let mut additional: Vec<Record> = Vec::new();
        let answer = targets
            .iter()
            .map(|(p, target, ip)| {
                let a = Record {
                    name: target.clone(),
                    ttl: TTL,
                    data: RData::A(ip.clone()),
                };
                if !additional.contains(&a) {
                    additional.push(a);
                }
                Record {
                    name: qname.clone(),
                    ttl: TTL,
                    data: RData::Srv {
                        priority: 0,
                        weight,
                        port: *p,
                        target: target.clone(),
                    },
                }
            })
            .collect();
        Reply {
            rcode: Rcode::NoError,
            answer,
            additional,
            authoritative: true,
        }
    }

    /// PTR for `rev` (the reversed address before `.in-addr.arpa`), as CoreDNS's kubernetes plugin answers it
    /// (plugin/kubernetes/reverse.go `serviceRecordForIP`): a Service's cluster IP names that Service, alone;
    /// otherwise every ready endpoint with that address names itself under its Service
    /// (`<hostname or dashed-ip>.<svc>.<ns>.svc.<zone>`), one PTR per Service. An address the plugin does not
    /// know is NXDOMAIN there, and the Corefile's `fallthrough in-addr.arpa ip6.arpa` hands it to `forward`:
    /// kind's Docker DNS knows its node containers, nothing else.
    fn reverse(&mut self, rev: &str, qtype: QType) -> Reply {
        let mut parts: Vec<&str> = rev.split('.').collect();
        parts.reverse();
        let ip = parts.join(".");
        let zone = self.zone();
        let services: Vec<Service> = self.store.list::<Service>(None).cloned().collect();
        let by_cluster_ip = services
            .iter()
            .find(|s| s.spec.cluster_ip.as_deref() == Some(ip.as_str()))
            .map(|s| format!("{}.{}.svc.{zone}.", s.metadata.name, s.metadata.namespace));
        let names: Vec<String> = match by_cluster_ip {
            Some(name) => vec![name],
            None => services
                .iter()
                .flat_map(|s| {
                    self.served_endpoints(s)
                        .into_iter()
                        .filter(|e| e.ip == ip)
                        .map(|e| {
                            let host = e.hostname.unwrap_or_else(|| dashed(&e.ip));
                            format!(
                                "{host}.{}.{}.svc.{zone}.",
                                s.metadata.name, s.metadata.namespace
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .collect(),
        };
        if names.is_empty() {
            let node = self
                .store
                .list::<Node>(None)
                .find(|n| n.internal_ip() == Some(ip.as_str()))
                .map(|n| n.metadata.name.clone());
            let Some(node) = node else {
                return Reply::nx().relayed();
            };
            if qtype != QType::Ptr {
                return Reply::nodata().relayed();
            }
            return Reply {
                rcode: Rcode::NoError,
                answer: vec![Record {
                    name: format!("{rev}.in-addr.arpa."),
                    ttl: UPSTREAM_TTL,
                    data: RData::Ptr(format!("{node}.{DOCKER_NETWORK}.")),
                }],
                additional: Vec::new(),
                authoritative: false,
            };
        }
        if qtype != QType::Ptr {
            return Reply::nodata();
        }
        Reply {
            rcode: Rcode::NoError,
            answer: names
                .into_iter()
                .map(|n| Record {
                    name: format!("{rev}.in-addr.arpa."),
                    ttl: TTL,
                    data: RData::Ptr(n),
                })
                .collect(),
            additional: Vec::new(),
            authoritative: true,
        }
    }

    /// What the `forward` upstream (kind's Docker DNS) answers for a name outside the cluster domain: a node
    /// container's name, alone or with the network's, is its address; anything else does not exist.
    fn upstream(&mut self, name: &str, qtype: QType) -> Reply {
        let host = name
            .strip_suffix(&format!(".{DOCKER_NETWORK}"))
            .unwrap_or(name);
        let Some(ip) = self
            .store
            .list::<Node>(None)
            .find(|n| n.metadata.name == host)
            .and_then(|n| n.internal_ip().map(str::to_string))
        else {
            return Reply::nx().relayed();
        };
        if qtype != QType::A {
            return Reply::nodata().relayed();
        }
        Reply {
            rcode: Rcode::NoError,
            answer: vec![Record {
                name: format!("{name}."),
                ttl: UPSTREAM_TTL,
                data: RData::A(ip),
            }],
            additional: Vec::new(),
            authoritative: false,
        }
    }

    /// The name an address has, as a resolver's `getnameinfo` finds it: the first PTR of its reverse name.
    pub fn reverse_name(&mut self, ip: &str) -> Option<String> {
        let reply = self.dns_query(&reverse_qname(ip)?, QType::Ptr);
        reply.answer.into_iter().find_map(|r| match r.data {
            RData::Ptr(n) => Some(n.trim_end_matches('.').to_string()),
            _ => None,
        })
    }
}

/// An IPv4 address as `inet_pton` reads it (four decimal octets, no leading zeros).
pub fn parse_ipv4(s: &str) -> Option<[u8; 4]> {
    let parts: Vec<&str> = s.split('.').collect();
    let [a, b, c, d] = parts.as_slice() else {
        return None;
    };
    let octet = |p: &str| {
        (!p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u8>().ok())
            .flatten()
            .filter(|_| !(p.len() > 1 && p.starts_with('0')))
    };
    Some([octet(a)?, octet(b)?, octet(c)?, octet(d)?])
}

/// The name a reverse lookup of `ip` asks for, `4.3.2.1.in-addr.arpa` (no trailing dot); `None` when `ip`
/// is not an address. dig's `-x`, every nslookup and `host` build it the same way.
pub fn reverse_qname(ip: &str) -> Option<String> {
    let [a, b, c, d] = parse_ipv4(ip)?;
    Some(format!("{d}.{c}.{b}.{a}.in-addr.arpa"))
}

/// How a pod's C library expands a name (3.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Libc {
    Glibc,
    Musl,
}

/// One name the resolver tried, and what the server said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried {
    pub name: String,
    pub reply: Reply,
}

/// How many lookups [`Cluster::dns_log`] keeps.
pub const DNS_LOG_LEN: usize = 64;

/// One lookup by a pod's stub resolver, for teaching the search list: each candidate name in the order tried,
/// with its answer code (NODATA being NOERROR without records), and the addresses it ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsLogEntry {
    pub at: crate::clock::Time,
    pub namespace: String,
    /// The pod that asked; `None` for a lookup made on the cluster's behalf.
    pub client: Option<String>,
    pub name: String,
    pub tried: Vec<(String, &'static str)>,
    pub answer: Vec<String>,
}

/// A stub resolver lookup: every candidate tried in order; the last one with addresses is the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub tried: Vec<Tried>,
}

impl Lookup {
    /// The name that answered, and its addresses.
    pub fn found(&self) -> Option<(&str, Vec<String>)> {
        self.tried.iter().find_map(|t| {
            let ips = t.reply.addresses();
            (!ips.is_empty()).then_some((t.name.as_str(), ips))
        })
    }
}

/// The candidates a resolver with `search` domains and `ndots` tries for `name`, in order (3.7).
pub fn candidates(name: &str, search: &[String], ndots: usize, libc: Libc) -> Vec<String> {
    if let Some(abs) = name.strip_suffix('.') {
        return vec![abs.to_string()];
    }
    let dots = name.matches('.').count();
    let mut out = Vec::new();
    if dots >= ndots {
        out.push(name.to_string());
        if libc == Libc::Musl {
            return out;
        }
    }
    for s in search {
        out.push(format!("{name}.{s}"));
    }
    if dots < ndots {
        out.push(name.to_string());
    }
    out
}

impl Cluster {
    /// Resolves `name` (A records) the way a pod in `namespace` does: through its search list with ndots 5.
    /// glibc tries every candidate until one has an answer; musl stops at the first NODATA.
    pub fn resolve_in_pod(&mut self, namespace: &str, name: &str, libc: Libc) -> Lookup {
        self.resolve_for(namespace, None, name, libc)
    }

    /// [`Cluster::resolve_in_pod`] for the pod `client`, recorded in the DNS query log.
    pub fn resolve_for(
        &mut self,
        namespace: &str,
        client: Option<&str>,
        name: &str,
        libc: Libc,
    ) -> Lookup {
        let lookup = self.resolve_uncounted(namespace, name, libc);
        if let Some(ip) = client.and_then(|pod| self.pod_ip(namespace, pod)) {
            // The resolver asks A and AAAA for each candidate, from one socket (musl and glibc alike).
            let port = self.client_port();
            for t in &lookup.tried {
                self.log_query(&ip, port, &t.name, QType::A, &t.reply);
                let aaaa = Reply {
                    rcode: t.reply.rcode,
                    answer: Vec::new(),
                    additional: Vec::new(),
                    authoritative: t.reply.authoritative,
                };
                self.log_query(&ip, port, &t.name, QType::Aaaa, &aaaa);
            }
        }
        let entry = DnsLogEntry {
            at: self.now(),
            namespace: namespace.to_string(),
            client: client.map(str::to_string),
            name: name.to_string(),
            tried: lookup
                .tried
                .iter()
                .map(|t| {
                    let code = match (t.reply.rcode, t.reply.answer.is_empty()) {
                        (Rcode::NxDomain, _) => "NXDOMAIN",
                        (Rcode::NoError, true) => "NODATA",
                        (Rcode::NoError, false) => "NOERROR",
                    };
                    (t.name.clone(), code)
                })
                .collect(),
            answer: lookup.found().map(|(_, ips)| ips).unwrap_or_default(),
        };
        let log = &mut self.dns_log;
        if log.len() == DNS_LOG_LEN {
            log.pop_front();
        }
        log.push_back(entry);
        lookup
    }

    /// The most recent stub-resolver lookups made in pods, oldest first (at most [`DNS_LOG_LEN`]).
    pub fn dns_log(&self) -> impl DoubleEndedIterator<Item = &DnsLogEntry> + ExactSizeIterator {
        self.dns_log.iter()
    }

    fn resolve_uncounted(&mut self, namespace: &str, name: &str, libc: Libc) -> Lookup {
        let zone = self.zone();
        let search = vec![
            format!("{namespace}.svc.{zone}"),
            format!("svc.{zone}"),
            zone.clone(),
        ];
        let mut tried = Vec::new();
        for candidate in candidates(name, &search, 5, libc) {
            let reply = self.dns_query(&candidate, QType::A);
            let done =
                !reply.answer.is_empty() || (libc == Libc::Musl && reply.rcode == Rcode::NoError);
            tried.push(Tried {
                name: candidate,
                reply,
            });
            if done {
                break;
            }
        }
        Lookup { tried }
    }
}

/// What CoreDNS's kubernetes plugin keeps of its watches for the SOA serial: for each Service and
/// EndpointSlice, the part its answers depend on, and the time the last of those changed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Watch {
    seen: BTreeMap<(bool, String, String), String>,
    pub(crate) modified: crate::clock::Time,
}

/// What of a Service or EndpointSlice changes DNS answers (coredns plugin/kubernetes/controller.go
/// `serviceModified`: external name, external IPs, ports; `endpointsEquivalent` over
/// `EndpointSliceToEndpoints`: the ready addresses with their hostnames, and the ports).
fn dns_view(obj: &Object) -> Option<((bool, String, String), String)> {
    match obj {
        Object::Service(s) => Some((
            (false, s.metadata.namespace.clone(), s.metadata.name.clone()),
            format!(
                "{:?}|{:?}|{:?}",
                s.spec.external_name,
                s.external_ips(),
                s.spec
                    .ports
                    .iter()
                    .map(|p| (&p.name, &p.protocol, p.port))
                    .collect::<Vec<_>>()
            ),
        )),
        Object::EndpointSlice(e) => Some((
            (true, e.metadata.namespace.clone(), e.metadata.name.clone()),
            format!(
                "{:?}|{:?}",
                e.ports
                    .iter()
                    .map(|p| (&p.name, &p.protocol, p.port))
                    .collect::<Vec<_>>(),
                e.endpoints
                    .iter()
                    .filter(|ep| ep.conditions.ready != Some(false))
                    .map(|ep| (&ep.addresses, &ep.hostname))
                    .collect::<Vec<_>>()
            ),
        )),
        _ => None,
    }
}

/// Follows a watch event as CoreDNS's informers do: adding or deleting a Service or EndpointSlice, or changing
/// what it serves, moves the serial to now (controller.go `Add`, `Delete`, `detectChanges`).
pub(crate) fn observe(c: &mut Cluster, type_: WatchEventType, obj: &Object) {
    let Some((key, view)) = dns_view(obj) else {
        return;
    };
    let changed = if type_ == WatchEventType::Deleted {
        c.dns_watch.seen.remove(&key);
        true
    } else {
        c.dns_watch.seen.insert(key, view.clone()).as_ref() != Some(&view)
    };
    if changed {
        c.dns_watch.modified = c.now;
    }
}

/// How many lines [`Cluster::coredns_log`] keeps.
pub const QUERY_LOG_LEN: usize = 256;

/// One query as CoreDNS's `log` plugin prints it (its default format, `[INFO] {remote}:{port} - {id} "{type}
/// {class} {name} {proto} {size} {do} {bufsize}" {rcode} {flags} {rsize} {duration}`), with when it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryLogLine {
    pub at: crate::clock::Time,
    pub text: String,
}

/// One query as a client sent it, for the log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoggedQuery<'a> {
    pub client_ip: &'a str,
    pub port: u16,
    /// The query id when the client shows it (dig); otherwise one is drawn.
    pub id: Option<u16>,
    pub qname: &'a str,
    pub qtype: QType,
    /// The advertised UDP size when the client sends an OPT record (dig does; the C libraries' stub resolvers
    /// do not).
    pub edns: Option<u16>,
}

/// A name's length on the wire: each label with its length byte, and the root.
fn wire_len(name: &str) -> usize {
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        1
    } else {
        name.split('.').map(|l| l.len() + 1).sum::<usize>() + 1
    }
}

/// The suffixes already written to a message, for name compression (miekg/dns `compressionMap`).
type Written = std::collections::BTreeSet<String>;

/// A name's length when the message is compressed, as miekg/dns `packDomainName` writes it: label by label
/// until a suffix already in the message, then a two-byte pointer when the name may be compressed; every
/// suffix not seen before is remembered for later names, even from a name that may not be compressed.
fn packed_len(name: &str, compress: bool, written: &mut Written) -> usize {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return 1;
    }
    let labels: Vec<&str> = name.split('.').collect();
    let mut len = 0;
    for i in 0..labels.len() {
        let suffix = labels[i..].join(".");
        if written.contains(&suffix) {
            if compress {
                return len + 2;
            }
        } else {
            written.insert(suffix);
        }
        len += labels[i].len() + 1;
    }
    len + 1
}

/// A record's length on the wire: owner, type, class, TTL, data length (10 bytes), data. With `written`, as
/// the compressed message packs it: the owner and the names in PTR, CNAME and SOA data compress, an SRV
/// target does not (RFC 2782; miekg/dns tags it `domain-name`, not `cdomain-name`).
fn record_len(r: &Record, written: Option<&mut Written>) -> usize {
    let Some(w) = written else {
        return wire_len(&r.name)
            + 10
            + match &r.data {
                RData::A(_) => 4,
                RData::Srv { target, .. } => 6 + wire_len(target),
                RData::Ptr(n) | RData::Cname(n) => wire_len(n),
                RData::Txt(t) => 1 + t.len(),
                RData::Soa { mname, rname, .. } => wire_len(mname) + wire_len(rname) + 20,
            };
    };
    packed_len(&r.name, true, w)
        + 10
        + match &r.data {
            RData::A(_) => 4,
            RData::Srv { target, .. } => 6 + packed_len(target, false, w),
            RData::Ptr(n) | RData::Cname(n) => packed_len(n, true, w),
            RData::Txt(t) => 1 + t.len(),
            RData::Soa { mname, rname, .. } => {
                packed_len(mname, true, w) + packed_len(rname, true, w) + 20
            }
        }
}

/// The OPT record CoreDNS puts in a reply to a query that carried one: the request's own OPT record, its UDP
/// size reflected, flags cleared (coredns request/request.go `SizeAndDo`). Its length: the root owner, ten
/// bytes, and the options kept (none: the dig versions here send none).
const OPT_LEN: usize = 11;

/// The size of CoreDNS's reply on the wire, header to OPT record: uncompressed while it fits the client's
/// buffer (`udp`, the advertised size, at least 512) and the 1480 bytes of an unfragmented IPv4 datagram, else
/// compressed (coredns request/request.go `Scrub`, miekg/dns `Msg.Truncate`). What would not fit even then
/// is not cut off here.
pub(crate) fn reply_size(
    qname: &str,
    reply: &Reply,
    authority: &[Record],
    udp: Option<u16>,
) -> usize {
    let opt = if udp.is_some() { OPT_LEN } else { 0 };
    let records = || {
        reply
            .answer
            .iter()
            .chain(authority)
            .chain(&reply.additional)
    };
    let plain =
        12 + wire_len(qname) + 4 + records().map(|r| record_len(r, None)).sum::<usize>() + opt;
    let limit = usize::from(udp.unwrap_or(512)).max(512);
    if plain <= limit && plain <= 1480 {
        return plain;
    }
    let mut written = Written::new();
    let question = packed_len(qname, true, &mut written) + 4;
    12 + question
        + records()
            .map(|r| record_len(r, Some(&mut written)))
            .sum::<usize>()
        + opt
}

/// A duration in seconds as Go's `strconv.FormatFloat(d, 'f', -1, 64)` prints it: no trailing zeros.
fn go_seconds(nanos: u64) -> String {
    let whole = nanos / 1_000_000_000;
    let frac = format!("{:09}", nanos % 1_000_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{whole}s")
    } else {
        format!("{whole}.{frac}s")
    }
}

impl Cluster {
    fn pod_ip(&self, namespace: &str, pod: &str) -> Option<String> {
        self.store
            .get_typed::<crate::model::Pod>(namespace, pod)
            .and_then(|p| p.status.pod_ip.clone())
    }

    /// An ephemeral source port (Linux's 32768–60999) for a client socket.
    pub(crate) fn client_port(&mut self) -> u16 {
        32_768 + self.query_log_rng.below(28_232) as u16
    }

    /// Records what CoreDNS's `log` plugin prints for one query and its reply.
    pub(crate) fn log_query_with_id(&mut self, q: &LoggedQuery<'_>, reply: &Reply) {
        let LoggedQuery {
            client_ip,
            port,
            id,
            qname,
            qtype,
            edns,
        } = *q;
        let qname = format!("{}.", qname.trim_end_matches('.'));
        let authoritative = reply.authoritative;
        let size = 12 + wire_len(&qname) + 4 + if edns.is_some() { OPT_LEN } else { 0 };
        let authority = self.negative_authority(reply);
        let rsize = reply_size(&qname, reply, &authority, edns);
        let rcode = match reply.rcode {
            Rcode::NoError => "NOERROR",
            Rcode::NxDomain => "NXDOMAIN",
        };
        let flags = if authoritative {
            "qr,aa,rd"
        } else {
            "qr,rd,ra"
        };
        let id = id.unwrap_or_else(|| self.query_log_rng.below(65_536) as u16);
        // The kubernetes plugin answers from memory in tens of microseconds; a forwarded query takes longer.
        let nanos = if authoritative {
            40_000 + self.query_log_rng.below(260_000)
        } else {
            300_000 + self.query_log_rng.below(1_200_000)
        };
        let text = format!(
            "[INFO] {client_ip}:{port} - {id} \"{} IN {qname} udp {size} false {}\" {rcode} {flags} {rsize} {}",
            qtype.as_str(),
            edns.unwrap_or(512),
            go_seconds(nanos)
        );
        if self.query_log.len() == QUERY_LOG_LEN {
            self.query_log.pop_front();
        }
        self.query_log
            .push_back(QueryLogLine { at: self.now, text });
    }

    /// A query a DNS tool in the pod `namespace/pod` (dig, nslookup, host) sends to the cluster DNS itself:
    /// answered by [`Cluster::dns_query`] like every other client's, and logged as CoreDNS's `log` plugin sees
    /// it, with the tool's OPT record (`edns`: dig's advertised size). A tool that prints the query id
    /// (`shows_id`: dig) gets it back, drawn after the answer.
    pub(crate) fn query_from_pod(
        &mut self,
        (namespace, pod): (&str, &str),
        qname: &str,
        qtype: QType,
        edns: Option<u16>,
        shows_id: bool,
    ) -> (Reply, Option<u16>) {
        let reply = self.dns_query(qname, qtype);
        let id = shows_id.then(|| (self.rng.next_u64() % 65_536) as u16);
        if let Some(ip) = self.pod_ip(namespace, pod) {
            let port = self.client_port();
            let q = LoggedQuery {
                client_ip: &ip,
                port,
                id,
                qname,
                qtype,
                edns,
            };
            self.log_query_with_id(&q, &reply);
        }
        (reply, id)
    }

    /// The authority section of a negative answer (NXDOMAIN or NODATA): CoreDNS's SOA for the cluster domain
    /// on what the kubernetes plugin answers itself (plugin/backend_lookup.go `SOA`: `ns.dns.<zone>`,
    /// `hostmaster.<zone>`, the plugin's serial, refresh 7200, retry 1800, expire 86400, minimum the TTL, and
    /// the TTL `min(ttl, 300)`), the root zone's on an NXDOMAIN relayed from upstream; nothing on an answer.
    pub(crate) fn negative_authority(&self, reply: &Reply) -> Vec<Record> {
        if !reply.answer.is_empty() {
            return Vec::new();
        }
        let zone = self.zone();
        if reply.authoritative {
            return vec![Record {
                name: format!("{zone}."),
                ttl: TTL.min(300),
                data: RData::Soa {
                    mname: format!("ns.dns.{zone}."),
                    rname: format!("hostmaster.{zone}."),
                    serial: self.dns_serial(),
                    refresh: 7200,
                    retry: 1800,
                    expire: 86400,
                    minimum: TTL,
                },
            }];
        }
        if reply.rcode != Rcode::NxDomain {
            return Vec::new();
        }
        vec![Record {
            name: ".".into(),
            ttl: 86_400,
            data: RData::Soa {
                mname: "a.root-servers.net.".into(),
                rname: "nstld.verisign-grs.com.".into(),
                serial: 2_026_010_500,
                refresh: 1800,
                retry: 900,
                expire: 604_800,
                minimum: 86_400,
            },
        }]
    }

    /// The kubernetes plugin's SOA serial: the Unix time of the last change its watches saw that changes what
    /// it serves (plugin/kubernetes/kubernetes.go `Serial`, controller.go `updateModified`).
    pub(crate) fn dns_serial(&self) -> u32 {
        u32::try_from(self.dns_watch.modified.unix_seconds()).unwrap_or(0)
    }

    /// Whether a query sent to `server` from a pod reaches CoreDNS: the kube-dns Service's address, or one of
    /// its ready endpoints (a CoreDNS pod).
    pub(crate) fn is_cluster_dns(&self, server: &str) -> bool {
        let Some(svc) = self.store.get_typed::<Service>("kube-system", "kube-dns") else {
            return false;
        };
        svc.spec.cluster_ip.as_deref() == Some(server)
            || self.served_endpoints(svc).iter().any(|e| e.ip == server)
    }

    /// [`Cluster::log_query_with_id`] for a stub resolver's query: no OPT record, a drawn id.
    fn log_query(&mut self, client_ip: &str, port: u16, qname: &str, qtype: QType, reply: &Reply) {
        let q = LoggedQuery {
            client_ip,
            port,
            id: None,
            qname,
            qtype,
            edns: None,
        };
        self.log_query_with_id(&q, reply);
    }

    /// The lines CoreDNS's `log` plugin printed for the most recent queries from pods, oldest first (at most
    /// [`QUERY_LOG_LEN`]): what `kubectl logs` would show for the CoreDNS pods of a cluster whose Corefile has
    /// `log`.
    pub fn coredns_log(
        &self,
    ) -> impl DoubleEndedIterator<Item = &QueryLogLine> + ExactSizeIterator {
        self.query_log.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_list_expands_short_names_and_not_absolute_ones() {
        let search: Vec<String> = [
            "default.svc.cluster.local",
            "svc.cluster.local",
            "cluster.local",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            candidates("web-0.nginx", &search, 5, Libc::Glibc),
            vec![
                "web-0.nginx.default.svc.cluster.local",
                "web-0.nginx.svc.cluster.local",
                "web-0.nginx.cluster.local",
                "web-0.nginx"
            ]
        );
        assert_eq!(
            candidates(
                "web-0.nginx.default.svc.cluster.local.",
                &search,
                5,
                Libc::Glibc
            ),
            vec!["web-0.nginx.default.svc.cluster.local"]
        );
        assert_eq!(
            candidates("a.b.c.d.e.f", &search, 5, Libc::Musl),
            vec!["a.b.c.d.e.f"]
        );
    }

    #[test]
    fn wire_sizes_match_coredns_log_lines() {
        // `"A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106`
        let q = "kubernetes.default.svc.cluster.local.";
        assert_eq!(12 + wire_len(q) + 4, 54);
        let a = Record {
            name: q.into(),
            ttl: TTL,
            data: RData::A("10.96.0.1".into()),
        };
        assert_eq!(54 + record_len(&a, None), 106);
        assert_eq!(go_seconds(128_000), "0.000128s");
    }

    fn a(name: &str, ip: &str) -> Record {
        Record {
            name: name.into(),
            ttl: TTL,
            data: RData::A(ip.into()),
        }
    }

    /// coredns request/request.go `Scrub` and miekg/dns `Msg.Truncate`: a reply that fits the client's buffer
    /// goes uncompressed; one that does not is compressed, each owner a pointer to the question's name.
    #[test]
    fn replies_compress_only_when_they_would_not_fit() {
        let q = "nginx.default.svc.cluster.local.";
        let reply = |n: usize| Reply {
            rcode: Rcode::NoError,
            answer: (0..n).map(|i| a(q, &format!("10.244.1.{i}"))).collect(),
            additional: Vec::new(),
            authoritative: true,
        };
        // 12 + 37 + 2 × (33 + 10 + 4), and the OPT record (11) for an EDNS query.
        assert_eq!(reply_size(q, &reply(2), &[], None), 143);
        assert_eq!(reply_size(q, &reply(2), &[], Some(4096)), 154);
        // 20 records: 989 bytes plain, over a stub resolver's 512: owners become two-byte pointers.
        assert_eq!(reply_size(q, &reply(20), &[], None), 12 + 37 + 20 * 16);
        // With dig's 4096 it fits, uncompressed.
        assert_eq!(reply_size(q, &reply(20), &[], Some(4096)), 989 + 11);
        // Past 1480 bytes a UDP reply is compressed even when the client's buffer is larger.
        assert_eq!(
            reply_size(q, &reply(40), &[], Some(4096)),
            12 + 37 + 40 * 16 + 11
        );
    }

    /// miekg/dns `packDomainName`: an SRV target is never a pointer, but its suffixes are remembered, so the A
    /// record for it in the additional section points at it whole.
    #[test]
    fn srv_targets_are_written_out_and_compress_what_follows() {
        let q = "_web._tcp.nginx.default.svc.cluster.local.";
        let mut written = Written::new();
        assert_eq!(packed_len(q, true, &mut written), 43);
        let target = "web-0.nginx.default.svc.cluster.local.";
        let srv = Record {
            name: q.into(),
            ttl: TTL,
            data: RData::Srv {
                priority: 0,
                weight: 100,
                port: 80,
                target: target.into(),
            },
        };
        // Owner: a pointer; target: `web-0` then a suffix it may not point to, so written in full.
        assert_eq!(record_len(&srv, Some(&mut written)), 2 + 10 + 6 + 39);
        assert_eq!(
            record_len(&a(target, "10.244.1.2"), Some(&mut written)),
            2 + 10 + 4
        );
        assert_eq!(go_seconds(93_387), "0.000093387s");
    }
}
