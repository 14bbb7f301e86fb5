use crate::cluster::Cluster;
use crate::dns::*;
use crate::model::{EndpointSlice, Namespace, Node, Object, Service};
use crate::store::WatchEventType;

impl Cluster {
    /// The cluster DNS Service's address (`kube-system/kube-dns`).
    pub fn dns_ip(&self) -> String {
        self.store
            .get_typed::<crate::model::Service>("kube-system", "kube-dns")
            .and_then(|s| s.spec.cluster_ip.clone())
            .unwrap_or_else(|| "10.96.0.10".to_string())
    }

    /// The endpoints CoreDNS serves for a Service: ready ones (3.2), from its EndpointSlices.
    pub(crate) fn served_endpoints(&self, svc: &Service) -> Vec<Ep> {
        let ns = &svc.metadata.namespace;
        let mut out: Vec<Ep> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
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
                    if seen.insert(ip.clone()) {
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
        self.runtime.observed_cluster();
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
        self.rng.shuffle(&mut ips);
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
        self.rng.shuffle(&mut targets);
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
