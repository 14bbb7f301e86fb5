//! Cluster DNS as CoreDNS's `kubernetes` plugin answers it (k8s-behaviour.md 3.3–3.5), and the stub resolver
//! in a pod that expands names through its search list (3.7).
//!
//! Names outside the cluster domain go to CoreDNS's `forward` upstream, the node's resolver. In kind that is
//! Docker's embedded DNS (kind's entrypoint makes it reachable from pods), which knows the node containers
//! by name (`kind-worker` → its InternalIP, and back as `kind-worker.kind.`) and nothing else here: the
//! classroom is offline, so every other outside name is NXDOMAIN.

use std::collections::BTreeMap;

use crate::model::Object;

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
    pub(crate) fn nx() -> Reply {
        Reply {
            rcode: Rcode::NxDomain,
            answer: Vec::new(),
            additional: Vec::new(),
            authoritative: true,
        }
    }

    pub(crate) fn nodata() -> Reply {
        Reply {
            rcode: Rcode::NoError,
            answer: Vec::new(),
            additional: Vec::new(),
            authoritative: true,
        }
    }

    /// What `forward` relays: the same answer without `aa`.
    pub(crate) fn relayed(self) -> Reply {
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

pub(crate) fn dashed(ip: &str) -> String {
    ip.replace('.', "-")
}

/// `a-b-c-d` as the address `a.b.c.d`, when it is one as Go's `net.ParseIP` reads it (no leading zeros).
pub(crate) fn dashed_ipv4(label: &str) -> Option<String> {
    if label.contains('.') {
        return None;
    }
    let [a, b, c, d] = parse_ipv4(&label.replace('-', "."))?;
    Some(format!("{a}.{b}.{c}.{d}"))
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

/// What CoreDNS's kubernetes plugin keeps of its watches for the SOA serial: for each Service and
/// EndpointSlice, the part its answers depend on, and the time the last of those changed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Watch {
    pub(crate) seen: BTreeMap<(bool, String, String), String>,
    pub(crate) modified: crate::clock::Time,
}

/// What of a Service or EndpointSlice changes DNS answers (coredns plugin/kubernetes/controller.go
/// `serviceModified`: external name, external IPs, ports; `endpointsEquivalent` over
/// `EndpointSliceToEndpoints`: the ready addresses with their hostnames, and the ports).
pub(crate) fn dns_view(obj: &Object) -> Option<((bool, String, String), String)> {
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
pub(crate) fn wire_len(name: &str) -> usize {
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        1
    } else {
        name.split('.').map(|l| l.len() + 1).sum::<usize>() + 1
    }
}

/// The suffixes already written to a message, for name compression (miekg/dns `compressionMap`).
pub(crate) type Written = std::collections::BTreeSet<String>;

/// A name's length when the message is compressed, as miekg/dns `packDomainName` writes it: label by label
/// until a suffix already in the message, then a two-byte pointer when the name may be compressed; every
/// suffix not seen before is remembered for later names, even from a name that may not be compressed.
pub(crate) fn packed_len(name: &str, compress: bool, written: &mut Written) -> usize {
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
pub(crate) fn record_len(r: &Record, written: Option<&mut Written>) -> usize {
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
pub(crate) const OPT_LEN: usize = 11;

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
pub(crate) fn go_seconds(nanos: u64) -> String {
    let whole = nanos / 1_000_000_000;
    let frac = format!("{:09}", nanos % 1_000_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{whole}s")
    } else {
        format!("{whole}.{frac}s")
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
