//! Cluster DNS as CoreDNS's `kubernetes` plugin answers it (k8s-behaviour.md 3.3–3.5), and the stub resolver
//! in a pod that expands names through its search list (3.7).
//!
//! Names outside the cluster domain go to CoreDNS's `forward` upstream, the node's resolver. In kind that is
//! Docker's embedded DNS (kind's entrypoint makes it reachable from pods), which knows the node containers
//! by name (`kind-worker` → its InternalIP, and back as `kind-worker.kind.`) and nothing else here: the
//! classroom is offline, so every other outside name is NXDOMAIN.

use std::collections::BTreeMap;

use crate::model::Object;

pub use ordinal_runtime::dns::*;

/// CoreDNS's record TTL in the kubeadm Corefile.
pub const TTL: u32 = 30;

/// The TTL Docker's embedded DNS gives its answers.
pub const UPSTREAM_TTL: u32 = 600;

/// The Docker network kind puts its node containers on.
pub const DOCKER_NETWORK: &str = "kind";

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

/// How many lookups [`crate::Cluster::dns_log`] keeps.
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

/// How many lines [`crate::Cluster::coredns_log`] keeps.
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
