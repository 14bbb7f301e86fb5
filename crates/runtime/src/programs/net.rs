//! The network tools learners run inside pods: `nslookup` (busybox's two formats, chosen by image tag, and
//! BIND's), `dig`, and name resolution for `curl`/`wget`/`ping` through the pod's resolver and cluster DNS.

use crate::dns::{Libc, QType, RData, Rcode, Record};
use crate::images::{self, Family};
use crate::programs::ContainerHost;
use crate::Node;
use ordinal_sh::Output;

/// busybox up to 1.28 prints the old nslookup format (and resolves through the search list); later versions
/// print the new one.
fn old_busybox(image: &str) -> bool {
    let tag = images::parse(image).tag;
    let mut parts = tag.split('.').map(|p| p.parse::<u32>().unwrap_or(u32::MAX));
    matches!((parts.next(), parts.next()), (Some(1), Some(minor)) if minor <= 28)
}

/// What an HTTP request from a container got.
pub enum Http {
    Response(u16, String),
    /// The name did not resolve.
    NoHost,
    /// Nothing listens there.
    Refused,
}

impl ContainerHost<'_> {
    /// `GET url` from this container: the host is resolved through the pod's resolver; a Service address
    /// goes to one of its ready endpoints at random (kube-proxy's choice, seeded), a pod address to that pod.
    pub fn http_get(&mut self, url: &str) -> Http {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let (hostport, path) = rest
            .split_once('/')
            .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<i64>().unwrap_or(80)),
            None => (hostport, 80),
        };
        let Some(ips) = self.resolve_host(host) else {
            return Http::NoHost;
        };
        let Some(ip) = ips.first().cloned() else {
            return Http::NoHost;
        };
        if ip == "127.0.0.1" {
            return match crate::programs::serve(self, &path) {
                Some((code, body)) if port == 80 => Http::Response(code, body),
                _ => Http::Refused,
            };
        }
        let cluster = self.fs.node();
        let Some((target, target_port)) = cluster.route(&ip, port) else {
            return Http::Refused;
        };
        cluster.http_to(target, target_port, &path)
    }

    /// The address `/etc/hosts` gives `name` (the pod's own names, localhost), which the C library consults
    /// before DNS.
    pub fn hosts_file(&mut self, name: &str) -> Option<String> {
        let hosts = self.fs.read("/etc/hosts").ok()?;
        hosts.lines().find_map(|line| {
            let line = line.split('#').next().unwrap_or("");
            let mut words = line.split_whitespace();
            let ip = words.next()?;
            (words.any(|w| w == name) && ip.contains('.')).then(|| ip.to_string())
        })
    }

    fn libc(&self) -> Libc {
        match self.family() {
            Family::Busybox | Family::Alpine => Libc::Musl,
            Family::Debian => Libc::Glibc,
        }
    }

    /// Resolves a host name (or takes an address as it is) as the pod's C library does.
    pub fn resolve_host(&mut self, host: &str) -> Option<Vec<String>> {
        if host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok()) {
            return Some(vec![host.to_string()]);
        }
        if let Some(ip) = self.hosts_file(host) {
            return Some(vec![ip]);
        }
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        let libc = self.libc();
        let lookup = self.fs.node().resolve_for(&ns, Some(&client), host, libc);
        lookup.found().map(|(_, ips)| ips)
    }

    /// `nslookup [-type=T] NAME [SERVER]`. An address is looked up in reverse (a PTR query for its
    /// `in-addr.arpa` name) by busybox's own resolver and by BIND's nslookup; busybox 1.28 resolves it with the
    /// C library, which takes an address as it is and asks only for its name.
    pub fn nslookup(&mut self, program: &str, args: &[String]) -> Output {
        let mut qtype = None;
        let mut names = Vec::new();
        for a in args {
            if let Some(t) = a
                .strip_prefix("-type=")
                .or(a.strip_prefix("-query="))
                .or(a.strip_prefix("-q="))
            {
                qtype = QType::parse(t);
            } else if !a.starts_with('-') {
                names.push(a.clone());
            }
        }
        let Some(name) = names.first().cloned() else {
            return Output::both(String::new(), "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n".into(), 1);
        };
        let server = self.fs.node_ref().dns_ip();
        let image = self.image().to_string();
        if program == "nslookup-bind" {
            return self.nslookup_bind(&name, &server);
        }
        if old_busybox(&image) {
            return self.nslookup_old(&name, &server);
        }
        self.nslookup_busybox(&name, qtype, &server)
    }

    /// busybox 1.29 and later (networking/nslookup.c, its own resolver): with no type, an address is one PTR
    /// query for `make_ptr`'s name and anything else an A and an AAAA query; `add_query_with_search` puts a
    /// name without a dot under each search domain of /etc/resolv.conf (never the name alone) and sends a
    /// name with a dot as it is. Every reply is printed as it comes, followed by an empty line: an error as
    /// `** server can't find <query>: NXDOMAIN` (exit 1), records without trailing dots, an answer that is not
    /// authoritative under `Non-authoritative answer:`.
    fn nslookup_busybox(&mut self, name: &str, qtype: Option<QType>, server: &str) -> Output {
        let mut queries: Vec<(String, QType)> = Vec::new();
        match (qtype, crate::dns::reverse_qname(name)) {
            (None, Some(rev)) => queries.push((rev, QType::Ptr)),
            _ => {
                let search: Vec<String> = self
                    .fs
                    .read("/etc/resolv.conf")
                    .ok()
                    .and_then(|text| {
                        text.lines()
                            .find_map(|l| l.strip_prefix("search "))
                            .map(|l| l.split_whitespace().map(str::to_string).collect())
                    })
                    .unwrap_or_default();
                for t in qtype.map_or_else(|| vec![QType::A, QType::Aaaa], |t| vec![t]) {
                    if t == QType::Ptr || search.is_empty() || name.contains('.') {
                        queries.push((name.to_string(), t));
                    } else {
                        queries.extend(search.iter().map(|d| (format!("{name}.{d}"), t)));
                    }
                }
            }
        }
        let mut out = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
        let mut status = 0;
        for (qname, t) in queries {
            let reply = self.ask(&qname, t, None);
            if reply.rcode == Rcode::NxDomain {
                out.push_str(&format!("** server can't find {qname}: NXDOMAIN\n\n"));
                status = 1;
                continue;
            }
            if !reply.authoritative {
                out.push_str("Non-authoritative answer:\n");
            }
            for r in &reply.answer {
                let owner = r.name.trim_end_matches('.');
                out.push_str(&match &r.data {
                    RData::A(ip) => format!("Name:\t{owner}\nAddress: {ip}\n"),
                    RData::Srv {
                        priority,
                        weight,
                        port,
                        target,
                    } => format!(
                        "{owner}\tservice = {priority} {weight} {port} {}\n",
                        target.trim_end_matches('.')
                    ),
                    RData::Ptr(n) => format!("{owner}\tname = {}\n", n.trim_end_matches('.')),
                    RData::Txt(s) => format!("{owner}\ttext = \"{s}\"\n"),
                    RData::Cname(n) => {
                        format!("{owner}\tcanonical name = {}\n", n.trim_end_matches('.'))
                    }
                    RData::Soa { .. } => format!("{owner}\t{}\n", r.data.text()),
                });
            }
            out.push('\n');
        }
        Output::both(out, String::new(), status)
    }

    /// One query this container's own DNS tool sends to the cluster DNS (`edns`: dig's OPT size).
    fn ask(&mut self, qname: &str, qtype: QType, edns: Option<u16>) -> crate::dns::Reply {
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        self.fs
            .node()
            .query_from_pod((&ns, &client), qname, qtype, edns, false)
            .0
    }

    /// busybox 1.28: getaddrinfo through the search list (an address is taken as it is), then each address's
    /// name by PTR (`getnameinfo`), printed after it when there is one.
    fn nslookup_old(&mut self, name: &str, server: &str) -> Output {
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        let cluster = self.fs.node();
        let server_name = cluster.reverse_name(server).unwrap_or_default();
        let mut out = format!("Server:    {server}\nAddress 1: {server} {server_name}\n\n");
        let from_hosts = self.hosts_file(name);
        let cluster = self.fs.node();
        let ips = if crate::dns::parse_ipv4(name).is_some() {
            Some(vec![name.to_string()])
        } else {
            match from_hosts {
                Some(ip) => Some(vec![ip]),
                None => cluster
                    .resolve_for(&ns, Some(&client), name, Libc::Glibc)
                    .found()
                    .map(|(_, ips)| ips),
            }
        };
        let Some(ips) = ips else {
            return Output::both(out, format!("nslookup: can't resolve '{name}'\n"), 1);
        };
        out.push_str(&format!("Name:      {name}\n"));
        for (i, ip) in ips.iter().enumerate() {
            let ptr = cluster.reverse_name(ip);
            out.push_str(&match ptr {
                Some(n) => format!("Address {}: {ip} {n}\n", i + 1),
                None => format!("Address {}: {ip}\n", i + 1),
            });
        }
        Output::ok(out)
    }

    /// BIND's nslookup (dnsutils images): glibc-style search, `Name:`/`Address:` pairs; an address is looked
    /// up in reverse and printed as `<name>\tname = <target>.` (bin/dig/nslookup.c `printsection`).
    fn nslookup_bind(&mut self, name: &str, server: &str) -> Output {
        let mut out = format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n");
        let nx = |mut out: String, what: &str| {
            out.push_str(&format!("** server can't find {what}: NXDOMAIN\n\n"));
            Output::both(out, String::new(), 1)
        };
        if let Some(rev) = crate::dns::reverse_qname(name) {
            let reply = self.ask(&rev, QType::Ptr, None);
            if reply.rcode == Rcode::NxDomain {
                return nx(out, &rev);
            }
            if !reply.authoritative {
                out.push_str("Non-authoritative answer:\n");
            }
            for r in &reply.answer {
                out.push_str(&format!(
                    "{}\tname = {}\n",
                    r.name.trim_end_matches('.'),
                    r.data.text()
                ));
            }
            out.push('\n');
            return Output::ok(out);
        }
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        let cluster = self.fs.node();
        let lookup = cluster.resolve_for(&ns, Some(&client), name, Libc::Glibc);
        match lookup.found() {
            Some((fqdn, ips)) => {
                for ip in ips {
                    out.push_str(&format!("Name:\t{fqdn}\nAddress: {ip}\n"));
                }
                out.push('\n');
                Output::ok(out)
            }
            None => nx(out, name),
        }
    }

    /// BIND's `host [-t TYPE] NAME [SERVER]` (bin/dig/host.c): an address is looked up in reverse
    /// (`... domain name pointer <target>.`), a name through the search list (`... has address <ip>`); a
    /// name that does not exist is `Host <name> not found: 3(NXDOMAIN)`, exit 1.
    pub fn host(&mut self, args: &[String]) -> Output {
        let mut qtype = None;
        let mut positional: Vec<&str> = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-t" => match it.next().map(|t| (t, QType::parse(t))) {
                    Some((_, Some(t))) => qtype = Some(t),
                    Some((t, None)) => {
                        return Output::failed(format!("host: invalid type: {t}\n"), 1)
                    }
                    None => return Output::failed(HOST_USAGE.to_string(), 1),
                },
                "-W" | "-R" | "-N" | "-m" | "-c" => {
                    it.next();
                }
                a if a.starts_with('-') => {}
                a => positional.push(a),
            }
        }
        let Some(name) = positional.first().map(|n| n.to_string()) else {
            return Output::failed(HOST_USAGE.to_string(), 1);
        };
        let mut out = String::new();
        if let Some(server) = positional.get(1) {
            if !self.fs.node_ref().is_cluster_dns(server) {
                return Output::both(
                    ";; connection timed out; no servers could be reached\n".into(),
                    String::new(),
                    1,
                );
            }
            out.push_str(&format!(
                "Using domain server:\nName: {server}\nAddress: {server}#53\nAliases: \n\n"
            ));
        }
        let not_found = |mut out: String, what: &str| {
            out.push_str(&format!("Host {what} not found: 3(NXDOMAIN)\n"));
            Output::both(out, String::new(), 1)
        };
        let (fqdn, reply) = match crate::dns::reverse_qname(&name).filter(|_| qtype.is_none()) {
            Some(rev) => {
                let reply = self.ask(&rev, QType::Ptr, None);
                (rev, reply)
            }
            None => {
                let t = qtype.unwrap_or(QType::A);
                let ns = self.fs.target.namespace.clone();
                let zone = self.fs.node_ref().cluster_domain().to_string();
                let search = [
                    format!("{ns}.svc.{zone}"),
                    format!("svc.{zone}"),
                    zone.trim_end_matches('.').to_string(),
                ];
                // host searches as dig's +search does: on to the next candidate only after NXDOMAIN.
                let mut last = None;
                for candidate in crate::dns::candidates(&name, &search, 5, Libc::Glibc) {
                    let reply = self.ask(&candidate, t, None);
                    let done = reply.rcode == Rcode::NoError;
                    last = Some((candidate, reply));
                    if done {
                        break;
                    }
                }
                match last {
                    Some(found) => found,
                    None => return not_found(out, &name),
                }
            }
        };
        if reply.rcode == Rcode::NxDomain {
            return not_found(out, &fqdn);
        }
        if reply.answer.is_empty() {
            if let Some(t) = qtype {
                out.push_str(&format!("{fqdn} has no {} record\n", t.as_str()));
            }
        }
        for r in &reply.answer {
            let owner = r.name.trim_end_matches('.');
            let what = match &r.data {
                RData::A(_) => "has address",
                RData::Ptr(_) => "domain name pointer",
                RData::Srv { .. } => "has SRV record",
                RData::Txt(_) => "descriptive text",
                RData::Cname(_) => "is an alias for",
                RData::Soa { .. } => "has SOA record",
            };
            out.push_str(&format!("{owner} {what} {}\n", r.data.text()));
        }
        Output::ok(out)
    }

    /// `dig [@server] [-x addr] [-t type] [-q name] [type] [name] [+options]`, read as BIND 9's dig does
    /// (bin/dig/dig.c `parse_args`, `plus_option`), asked of the cluster DNS and printed as dig's
    /// `printmessage` and `received` print it: `+short` gives only the answers' data; `+noall` turns off every
    /// part (the command line, comments, each section, the statistics) and `+answer` etc. turn parts back on.
    pub fn dig(&mut self, args: &[String]) -> Output {
        let d = match DigArgs::parse(args) {
            Ok(d) => d,
            Err(e) => return Output::failed(e, 1),
        };
        let dns_ip = self.fs.node_ref().dns_ip();
        let server = d.server.clone().unwrap_or_else(|| dns_ip.clone());
        let mut out = String::new();
        if d.printcmd {
            out.push_str(&format!(
                "\n; <<>> DiG {} <<>> {}\n",
                dig_version(self.image()),
                args.join(" ")
            ));
            if d.server.is_some() {
                out.push_str("; (1 server found)\n");
            }
            out.push_str(";; global options: +cmd\n");
        }
        if !self.fs.node_ref().is_cluster_dns(&server) {
            out.push_str(";; connection timed out; no servers could be reached\n");
            return Output::both(out, String::new(), 9);
        }
        let name = d.name.clone().unwrap_or_else(|| ".".to_string());
        let qtype = d.qtype.unwrap_or(QType::A);
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        let fqdn = if d.search {
            let lookup = self
                .fs
                .node()
                .resolve_for(&ns, Some(&client), &name, Libc::Glibc);
            lookup
                .found()
                .map_or_else(|| name.clone(), |(n, _)| n.to_string())
        } else {
            name.trim_end_matches('.').to_string()
        };
        // dig 9.9 sends an OPT record advertising 4096 bytes unless `+noedns` (bin/dig/dighost.c
        // `setup_lookup`: `udpsize` 4096 when unset, `edns` 0 by default in dig.c `parse_args`).
        let udp = d.edns.then_some(d.bufsize);
        let cluster = self.fs.node();
        let (reply, id) = cluster.query_from_pod((&ns, &client), &fqdn, qtype, udp, !d.short);
        let id = id.unwrap_or(0);
        if d.short {
            for r in &reply.answer {
                out.push_str(&format!("{}\n", r.data.text()));
            }
            return Output::ok(out);
        }
        let authority = cluster.negative_authority(&reply);
        let qname = format!("{fqdn}.");
        // bin/dig/dig.c `printmessage`: the header and its comments, an empty line, then the message text.
        if d.comments {
            let status = match reply.rcode {
                Rcode::NoError => "NOERROR",
                Rcode::NxDomain => "NXDOMAIN",
            };
            let flags = if reply.authoritative {
                "qr aa rd"
            } else {
                "qr rd ra"
            };
            out.push_str(&format!(
                ";; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: {status}, id: {id}\n;; flags: {flags}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}\n",
                reply.answer.len(),
                authority.len(),
                // The OPT record counts in ARCOUNT.
                reply.additional.len() + usize::from(udp.is_some()),
            ));
            if reply.authoritative {
                out.push_str(";; WARNING: recursion requested but not available\n");
            }
            out.push('\n');
            // lib/dns/message.c `dns_message_pseudosectiontotext`: CoreDNS returns the request's OPT record with
            // its UDP size and no flags (coredns request/request.go `SizeAndDo`).
            if let Some(size) = udp {
                out.push_str(&format!(
                    ";; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: {size}\n"
                ));
            }
        }
        let section = |title: &str, lines: Vec<String>| -> String {
            if lines.is_empty() {
                return String::new();
            }
            let mut text = String::new();
            if d.comments {
                text.push_str(&format!(";; {title} SECTION:\n"));
            }
            text.extend(lines);
            if d.comments {
                text.push('\n');
            }
            text
        };
        let records = |rs: &[Record]| -> Vec<String> {
            rs.iter()
                .map(|r| bind_line(&r.name, Some(r.ttl), r.data.type_name(), &r.data.text()))
                .collect()
        };
        if d.question {
            out.push_str(&section(
                "QUESTION",
                vec![format!(";{}", bind_line(&qname, None, qtype.as_str(), ""))],
            ));
        }
        if d.answer {
            out.push_str(&section("ANSWER", records(&reply.answer)));
        }
        if d.authority {
            out.push_str(&section("AUTHORITY", records(&authority)));
        }
        if d.additional {
            out.push_str(&section("ADDITIONAL", records(&reply.additional)));
        }
        if d.stats {
            let when = cluster.now().strftime("%a %b %d %H:%M:%S UTC %Y");
            let size = crate::dns::reply_size(&qname, &reply, &authority, udp);
            out.push_str(&format!(
                ";; Query time: 0 msec\n;; SERVER: {server}#53({server})\n;; WHEN: {when}\n;; MSG SIZE  rcvd: {size}\n\n"
            ));
        }
        Output::ok(out)
    }
}

/// The version dig prints in its banner: the BIND 9 package of the image's distribution. tutum/dnsutils is
/// Ubuntu 14.04 (the zh-TW seed's banner); the e2e jessie-dnsutils images are Debian jessie's last dnsutils
/// (kubernetes/kubernetes test/images/jessie-dnsutils: `apt-get install dnsutils` on debian:jessie).
fn dig_version(image: &str) -> &'static str {
    if images::parse(image)
        .repository
        .ends_with("/jessie-dnsutils")
    {
        "9.9.5-9+deb8u19-Debian"
    } else {
        "9.9.5-3ubuntu0.2-Ubuntu"
    }
}

const HOST_USAGE: &str = "Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] hostname [server]\n";

/// One record line as dig prints it: BIND's `dns_master_style_debug` puts the TTL at column 24, the class at
/// 32, the type at 40 and the data at 48, reaching each with tabs (8 wide) and spaces, and a field that is
/// already past its column one space after the last (lib/dns/masterdump.c `indent`). The question section
/// has no TTL (`ttl: None`) and no data.
fn bind_line(name: &str, ttl: Option<u32>, type_name: &str, data: &str) -> String {
    fn pad(out: &mut String, column: &mut usize, to: usize) {
        let to = to.max(*column + 1);
        let tabs = to / 8 - *column / 8;
        if tabs > 0 {
            out.extend(std::iter::repeat_n('\t', tabs));
            *column = to / 8 * 8;
        }
        out.extend(std::iter::repeat_n(' ', to - *column));
        *column = to;
    }
    let mut out = name.to_string();
    let mut column = name.len();
    if let Some(ttl) = ttl {
        pad(&mut out, &mut column, 24);
        let t = ttl.to_string();
        column += t.len();
        out.push_str(&t);
    }
    pad(&mut out, &mut column, 32);
    out.push_str("IN");
    column += 2;
    pad(&mut out, &mut column, 40);
    out.push_str(type_name);
    column += type_name.len();
    if !data.is_empty() {
        pad(&mut out, &mut column, 48);
        out.push_str(data);
    }
    out.push('\n');
    out
}

/// What dig's command line asks for, and which parts of the answer it prints.
#[derive(Debug, Clone)]
struct DigArgs {
    server: Option<String>,
    name: Option<String>,
    qtype: Option<QType>,
    search: bool,
    short: bool,
    /// `+[no]edns`: send an OPT record (on by default).
    edns: bool,
    /// `+bufsize=N`: the UDP size the OPT record advertises.
    bufsize: u16,
    printcmd: bool,
    comments: bool,
    question: bool,
    answer: bool,
    authority: bool,
    additional: bool,
    stats: bool,
}

impl DigArgs {
    fn parse(args: &[String]) -> Result<DigArgs, String> {
        let mut d = DigArgs {
            server: None,
            name: None,
            qtype: None,
            search: false,
            short: false,
            edns: true,
            bufsize: 4096,
            printcmd: true,
            comments: true,
            question: true,
            answer: true,
            authority: true,
            additional: true,
            stats: true,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(server) = a.strip_prefix('@') {
                d.server = Some(server.to_string());
            } else if let Some(opt) = a.strip_prefix('+') {
                d.plus(opt);
            } else if a.starts_with('-') && a.len() > 1 {
                // `-x addr`, `-t type`, `-q name` also take their value joined (`-tSRV`); the flag is one
                // character, which may be of several bytes.
                let end = 1 + a[1..].chars().next().map_or(0, char::len_utf8);
                let (flag, joined) = a.split_at(end);
                let takes_value = matches!(
                    flag,
                    "-x" | "-t" | "-q" | "-c" | "-p" | "-b" | "-f" | "-k" | "-y"
                );
                let value = if !takes_value {
                    None
                } else if joined.is_empty() {
                    it.next().map(String::as_str)
                } else {
                    Some(joined)
                };
                match (flag, value) {
                    ("-x", Some(v)) => {
                        let rev = crate::dns::reverse_qname(v)
                            .ok_or_else(|| format!("Invalid IP address {v}\n"))?;
                        d.name = Some(rev);
                        d.qtype.get_or_insert(QType::Ptr);
                    }
                    ("-t", Some(v)) => {
                        d.qtype =
                            Some(QType::parse(v).ok_or_else(|| format!("invalid type: {v}\n"))?);
                    }
                    ("-q", Some(v)) => d.name = Some(v.to_string()),
                    ("-c" | "-p" | "-b" | "-f" | "-k" | "-y", _) => {}
                    ("-x" | "-t" | "-q", None) => {
                        return Err(format!("dig: argument to {flag} missing\n"))
                    }
                    // -4, -6, -m, -v …: nothing to do in the playground.
                    _ => {}
                }
            } else if let Some(t) = QType::parse(a) {
                d.qtype = Some(t);
            } else if a.eq_ignore_ascii_case("IN") {
            } else if d.name.is_none() {
                d.name = Some(a.clone());
            }
        }
        Ok(d)
    }

    /// A `+[no]option`, by its full name or any prefix dig accepts for it.
    fn plus(&mut self, opt: &str) {
        let (on, name) = match opt.strip_prefix("no") {
            Some(rest) => (false, rest),
            None => (true, opt),
        };
        let (name, value) = name.split_once('=').unwrap_or((name, ""));
        let is = |full: &str, min: usize| name.len() >= min && full.starts_with(name);
        if is("short", 3) {
            self.short = on;
            if on {
                self.printcmd = false;
                self.comments = false;
                self.question = false;
                self.answer = true;
                self.authority = false;
                self.additional = false;
                self.stats = false;
            }
        } else if is("all", 2) {
            self.printcmd = on;
            self.comments = on;
            self.question = on;
            self.answer = on;
            self.authority = on;
            self.additional = on;
            self.stats = on;
        } else if is("answer", 2) {
            self.answer = on;
        } else if is("authority", 2) {
            self.authority = on;
        } else if is("additional", 3) {
            self.additional = on;
        } else if is("question", 2) {
            self.question = on;
        } else if is("comments", 3) {
            self.comments = on;
        } else if is("cmd", 2) {
            self.printcmd = on;
        } else if is("stats", 2) {
            self.stats = on;
        } else if is("search", 3) {
            self.search = on;
        } else if is("edns", 1) {
            self.edns = on;
        } else if is("bufsize", 2) {
            // A size sets an OPT record; 0 leaves the size to the default (dighost.c `setup_lookup`).
            if let Ok(n) = value.parse::<u16>() {
                self.edns = true;
                self.bufsize = if n == 0 { 4096 } else { n };
            }
        }
    }
}

/// The addresses in a Service's `status.loadBalancer.ingress[].ip`.
pub fn load_balancer_ips(svc: &crate::model::Service) -> Vec<String> {
    svc.status
        .as_ref()
        .and_then(|st| st.pointer("/loadBalancer/ingress"))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|i| i.get("ip").and_then(|ip| ip.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

impl dyn Node + '_ {
    /// `GET path` on `port` of `target`'s container, once routing has found it: what its server answers, or
    /// `Refused` when nothing there speaks HTTP on that port. Every HTTP client in the cluster (curl, wget, the
    /// kubelet's probes, the learner's browser) ends here, so they all see the same server.
    pub fn http_to(&mut self, target: crate::ContainerRef, port: i64, path: &str) -> Http {
        let Some(mut other) = ContainerHost::open(self, target, crate::programs::Mode::Exec) else {
            return Http::Refused;
        };
        match crate::programs::serve(&mut other, path) {
            Some((code, body)) if port == 80 => Http::Response(code, body),
            _ => Http::Refused,
        }
    }

    /// The running container of `pod` that accepts connections on `port` (containers of a pod share its
    /// network): nginx on 80, mysqld on 3306, an `ncat --listen` on its port, an application the playground
    /// does not simulate on its declared ports (any port, when it declares none). `None` means a connection to
    /// the pod's IP on that port is refused.
    pub fn listener_on(&self, pod: &crate::model::Pod, port: i64) -> Option<crate::ContainerRef> {
        let uid = &pod.metadata.uid;
        pod.spec
            .containers
            .iter()
            .zip(&pod.status.container_statuses)
            .filter(|(ct, s)| {
                s.state.running.is_some() && self.runtime().process_running(uid, &ct.name)
            })
            .map(|(ct, _)| ct)
            .find(|ct| {
                let key = (uid.clone(), ct.name.clone());
                (port == 80 && crate::programs::serves_http(&ct.image))
                    || (port == 3306 && self.runtime().serves_mysql(&key))
                    || self
                        .runtime()
                        .listeners
                        .get(&key)
                        .is_some_and(|(p, _)| *p == port)
                    || (!crate::programs::simulated(&ct.image)
                        && (ct.ports.is_empty()
                            || ct.ports.iter().any(|p| p.container_port == port)))
            })
            .map(|ct| crate::ContainerRef {
                namespace: pod.metadata.namespace.clone(),
                pod: pod.metadata.name.clone(),
                uid: uid.clone(),
                container: ct.name.clone(),
            })
    }
}
