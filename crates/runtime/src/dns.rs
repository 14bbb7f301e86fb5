//! DNS as the tools in a pod see it: record types and replies, the stub resolver's search list (k8s-behaviour.md
//! 3.7), and the sizes of messages on the wire that `dig` prints. The answers themselves are CoreDNS's, which
//! the cluster runs ([`crate::Node`]).

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
    pub fn nx() -> Reply {
        Reply {
            rcode: Rcode::NxDomain,
            answer: Vec::new(),
            additional: Vec::new(),
            authoritative: true,
        }
    }

    pub fn nodata() -> Reply {
        Reply {
            rcode: Rcode::NoError,
            answer: Vec::new(),
            additional: Vec::new(),
            authoritative: true,
        }
    }

    /// What `forward` relays: the same answer without `aa`.
    pub fn relayed(self) -> Reply {
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

/// A name's length on the wire: each label with its length byte, and the root.
pub fn wire_len(name: &str) -> usize {
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        1
    } else {
        name.split('.').map(|l| l.len() + 1).sum::<usize>() + 1
    }
}

/// The suffixes already written to a message, for name compression (miekg/dns `compressionMap`).
pub type Written = std::collections::BTreeSet<String>;

/// A name's length when the message is compressed, as miekg/dns `packDomainName` writes it: label by label
/// until a suffix already in the message, then a two-byte pointer when the name may be compressed; every
/// suffix not seen before is remembered for later names, even from a name that may not be compressed.
pub fn packed_len(name: &str, compress: bool, written: &mut Written) -> usize {
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
pub fn record_len(r: &Record, written: Option<&mut Written>) -> usize {
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
pub const OPT_LEN: usize = 11;

/// The size of CoreDNS's reply on the wire, header to OPT record: uncompressed while it fits the client's
/// buffer (`udp`, the advertised size, at least 512) and the 1480 bytes of an unfragmented IPv4 datagram, else
/// compressed (coredns request/request.go `Scrub`, miekg/dns `Msg.Truncate`). What would not fit even then
/// is not cut off here.
pub fn reply_size(qname: &str, reply: &Reply, authority: &[Record], udp: Option<u16>) -> usize {
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
