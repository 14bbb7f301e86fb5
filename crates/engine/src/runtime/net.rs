//! The network tools learners run inside pods: `nslookup` (busybox's two formats, chosen by image tag, and
//! BIND's), `dig`, and name resolution for `curl`/`wget`/`ping` through the pod's resolver and cluster DNS.

use crate::dns::{Libc, QType, RData, Rcode, Record};
use crate::images::{self, Family};
use crate::kubectl::shell::Output;
use crate::runtime::programs::ContainerHost;

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
            return match crate::runtime::programs::serve(self, &path) {
                Some((code, body)) if port == 80 => Http::Response(code, body),
                _ => Http::Refused,
            };
        }
        let cluster = self.fs.cluster();
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
        let lookup = self
            .fs
            .cluster()
            .resolve_for(&ns, Some(&client), host, libc);
        lookup.found().map(|(_, ips)| ips)
    }

    /// `nslookup [-type=T] NAME [SERVER]`.
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
            return Output {
                stdout: String::new(),
                stderr: "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n".into(),
                status: 1,
            };
        };
        let server = self.fs.cluster_ref().dns_ip();
        let image = self.image().to_string();
        if program == "nslookup-bind" {
            return self.nslookup_bind(&name, &server);
        }
        if old_busybox(&image) {
            return self.nslookup_old(&name, &server);
        }
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        let mut out = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
        let qtypes: Vec<QType> = match qtype {
            Some(t) => vec![t],
            None => vec![QType::A, QType::Aaaa],
        };
        // musl's search, as busybox's resolver applies it: the first candidate that exists answers.
        let cluster = self.fs.cluster();
        let lookup = cluster.resolve_for(&ns, Some(&client), &name, Libc::Musl);
        let answered = lookup
            .tried
            .iter()
            .find(|t| t.reply.rcode == Rcode::NoError)
            .map(|t| t.name.clone());
        let Some(fqdn) = answered else {
            out.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
            return Output {
                stdout: out,
                stderr: String::new(),
                status: 1,
            };
        };
        let mut any = false;
        for t in qtypes {
            let reply = cluster.dns_query(&fqdn, t);
            for r in &reply.answer {
                any = true;
                out.push_str(&match &r.data {
                    RData::A(ip) => format!("Name:\t{fqdn}\nAddress: {ip}\n"),
                    RData::Srv {
                        priority,
                        weight,
                        port,
                        target,
                    } => {
                        format!("{fqdn}\tservice = {priority} {weight} {port} {target}\n")
                    }
                    RData::Ptr(n) => format!("{fqdn}\tname = {n}\n"),
                    RData::Txt(s) => format!("{fqdn}\ttext = \"{s}\"\n"),
                    RData::Cname(n) => format!("{fqdn}\tcanonical name = {n}\n"),
                });
            }
            if reply.answer.is_empty() && qtype.is_some() {
                out.push_str(&format!("*** Can't find {name}: No answer\n"));
            }
        }
        out.push('\n');
        let _ = any;
        Output::ok(out)
    }

    /// busybox 1.28: getaddrinfo through the search list, then each address's name by PTR.
    fn nslookup_old(&mut self, name: &str, server: &str) -> Output {
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        let cluster = self.fs.cluster();
        let server_name = cluster.reverse_name(server).unwrap_or_default();
        let mut out = format!("Server:    {server}\nAddress 1: {server} {server_name}\n\n");
        let from_hosts = self.hosts_file(name);
        let cluster = self.fs.cluster();
        let ips = match from_hosts {
            Some(ip) => Some(vec![ip]),
            None => cluster
                .resolve_for(&ns, Some(&client), name, Libc::Glibc)
                .found()
                .map(|(_, ips)| ips),
        };
        let Some(ips) = ips else {
            return Output {
                stdout: out,
                stderr: format!("nslookup: can't resolve '{name}'\n"),
                status: 1,
            };
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

    /// BIND's nslookup (dnsutils images): glibc-style search, `Name:`/`Address:` pairs.
    fn nslookup_bind(&mut self, name: &str, server: &str) -> Output {
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        let cluster = self.fs.cluster();
        let lookup = cluster.resolve_for(&ns, Some(&client), name, Libc::Glibc);
        let mut out = format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n");
        match lookup.found() {
            Some((fqdn, ips)) => {
                for ip in ips {
                    out.push_str(&format!("Name:\t{fqdn}\nAddress: {ip}\n"));
                }
                out.push('\n');
                Output::ok(out)
            }
            None => {
                out.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
                Output {
                    stdout: out,
                    stderr: String::new(),
                    status: 1,
                }
            }
        }
    }

    /// `dig [TYPE] NAME [+short] [+search]`: one query for the name as given (dig does not search unless
    /// asked), printed as dig prints it.
    pub fn dig(&mut self, args: &[String]) -> Output {
        let mut short = false;
        let mut search = false;
        let mut positional: Vec<&str> = Vec::new();
        for a in args {
            match a.as_str() {
                "+short" => short = true,
                "+search" => search = true,
                a if a.starts_with('+') || a.starts_with('@') || a.starts_with('-') => {}
                a => positional.push(a),
            }
        }
        // `dig SRV name`, `dig name SRV`, `dig name`.
        let type_at = positional
            .iter()
            .position(|p| QType::parse(p).is_some())
            .filter(|_| positional.len() > 1);
        let qtype = type_at
            .and_then(|i| QType::parse(positional[i]))
            .unwrap_or(QType::A);
        let name = positional
            .iter()
            .enumerate()
            .find(|(i, _)| Some(*i) != type_at)
            .map(|(_, n)| n.to_string());
        let name = name.unwrap_or_else(|| ".".to_string());
        let server = self.fs.cluster_ref().dns_ip();
        let ns = self.fs.target.namespace.clone();
        let client = self.fs.target.pod.clone();
        let cluster = self.fs.cluster();
        let fqdn = if search {
            let lookup = cluster.resolve_for(&ns, Some(&client), &name, Libc::Glibc);
            lookup
                .found()
                .map_or_else(|| name.clone(), |(n, _)| n.to_string())
        } else {
            name.trim_end_matches('.').to_string()
        };
        let reply = cluster.dns_query(&fqdn, qtype);
        let record_line = |r: &Record| -> String {
            let data = match &r.data {
                RData::A(ip) => ip.clone(),
                RData::Srv {
                    priority,
                    weight,
                    port,
                    target,
                } => format!("{priority} {weight} {port} {target}"),
                RData::Ptr(n) | RData::Cname(n) => n.clone(),
                RData::Txt(s) => format!("\"{s}\""),
            };
            let kind = match &r.data {
                RData::A(_) => "A",
                RData::Srv { .. } => "SRV",
                RData::Ptr(_) => "PTR",
                RData::Txt(_) => "TXT",
                RData::Cname(_) => "CNAME",
            };
            format!("{}\t\t{}\tIN\t{kind}\t{data}\n", r.name, r.ttl)
        };
        if short {
            cluster.log_dig((&ns, &client), &fqdn, qtype, &reply, None);
            return Output::ok(
                reply
                    .answer
                    .iter()
                    .map(|r| match &r.data {
                        RData::A(ip) => format!("{ip}\n"),
                        RData::Srv {
                            priority,
                            weight,
                            port,
                            target,
                        } => format!("{priority} {weight} {port} {target}\n"),
                        RData::Ptr(n) | RData::Cname(n) => format!("{n}\n"),
                        RData::Txt(s) => format!("\"{s}\"\n"),
                    })
                    .collect(),
            );
        }
        let id = cluster.rng.next_u64() % 65_536;
        cluster.log_dig((&ns, &client), &fqdn, qtype, &reply, Some(id as u16));
        let status = match reply.rcode {
            Rcode::NoError => "NOERROR",
            Rcode::NxDomain => "NXDOMAIN",
        };
        let authority = usize::from(reply.answer.is_empty());
        let when = cluster.now().strftime("%a %b %d %H:%M:%S UTC %Y");
        let question = format!("{fqdn}.");
        let mut size = 12 + question.len() + 1 + 4;
        for r in reply.answer.iter().chain(&reply.additional) {
            size += 12
                + match &r.data {
                    RData::A(_) => 4,
                    RData::Srv { target, .. } => 6 + target.len() + 1,
                    RData::Ptr(n) | RData::Cname(n) => n.len() + 1,
                    RData::Txt(s) => s.len() + 1,
                };
        }
        let mut out = format!(
            "\n; <<>> DiG 9.9.5-3ubuntu0.2-Ubuntu <<>> {}\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: {status}, id: {id}\n;; flags: qr aa rd; QUERY: 1, ANSWER: {}, AUTHORITY: {authority}, ADDITIONAL: {}\n;; WARNING: recursion requested but not available\n\n;; QUESTION SECTION:\n;{question}\t\tIN\t{}\n\n",
            args.join(" "),
            reply.answer.len(),
            reply.additional.len(),
            qtype.as_str()
        );
        if !reply.answer.is_empty() {
            out.push_str(";; ANSWER SECTION:\n");
            for r in &reply.answer {
                out.push_str(&record_line(r));
            }
            out.push('\n');
        } else {
            let zone = cluster.config().cluster_domain.clone();
            out.push_str(&format!(
                ";; AUTHORITY SECTION:\n{zone}.\t\t30\tIN\tSOA\tns.dns.{zone}. hostmaster.{zone}. 1767603600 7200 1800 86400 30\n\n"
            ));
        }
        if !reply.additional.is_empty() {
            out.push_str(";; ADDITIONAL SECTION:\n");
            for r in &reply.additional {
                out.push_str(&record_line(r));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            ";; Query time: 0 msec\n;; SERVER: {server}#53({server})\n;; WHEN: {when}\n;; MSG SIZE  rcvd: {size}\n\n"
        ));
        Output::ok(out)
    }
}

impl crate::cluster::Cluster {
    /// Where a connection to `ip:port` lands: a Service's virtual IP picks one of its ready endpoints at
    /// random (seeded, as kube-proxy's random choice); a pod IP is that pod. Answers the container that serves
    /// the port and the port it listens on.
    pub(crate) fn route(
        &mut self,
        ip: &str,
        port: i64,
    ) -> Option<(crate::runtime::ContainerRef, i64)> {
        use crate::model::{Node, Pod, Service};
        self.runtime_observed_cluster();
        let on_node = self
            .store
            .list::<Node>(None)
            .any(|n| n.internal_ip() == Some(ip));
        // A Service answers on its cluster IP and on each load balancer address at its port, and on every
        // node's address at its node port (kube-proxy opens it on all nodes).
        let service = self.store.list::<Service>(None).find_map(|s| {
            let sp = if on_node {
                s.spec.ports.iter().position(|p| p.node_port == Some(port))
            } else if s.spec.cluster_ip.as_deref() == Some(ip)
                || load_balancer_ips(s).iter().any(|a| a == ip)
            {
                s.spec.ports.iter().position(|p| p.port == port)
            } else {
                None
            };
            sp.map(|i| (s.clone(), i))
        });
        if on_node && service.is_none() {
            return None;
        }
        let (pod_ip, target_port) = match service {
            Some((svc, i)) => {
                let sp = svc.spec.ports.get(i)?;
                let port = sp.port;
                let eps = self.served_endpoints(&svc);
                if eps.is_empty() {
                    return None;
                }
                let pick = (self.rng.next_u64() % eps.len() as u64) as usize;
                let ep = &eps[pick];
                let target = ep
                    .ports
                    .iter()
                    .find(|(name, _, _)| name == &sp.name)
                    .map(|(_, _, p)| *p)
                    .unwrap_or(port);
                (ep.ip.clone(), target)
            }
            None => (ip.to_string(), port),
        };
        let pod = self
            .store
            .list::<Pod>(None)
            .find(|p| p.status.pod_ip.as_deref() == Some(pod_ip.as_str()) && !p.is_terminal())?
            .clone();
        let container = pod
            .spec
            .containers
            .iter()
            .find(|c| c.ports.iter().any(|p| p.container_port == target_port))
            .or(pod.spec.containers.first())?
            .name
            .clone();
        Some((
            crate::runtime::ContainerRef {
                namespace: pod.metadata.namespace.clone(),
                pod: pod.metadata.name.clone(),
                uid: pod.metadata.uid.clone(),
                container,
            },
            target_port,
        ))
    }
}

/// The addresses in a Service's `status.loadBalancer.ingress[].ip`.
pub(crate) fn load_balancer_ips(svc: &crate::model::Service) -> Vec<String> {
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

impl crate::cluster::Cluster {
    /// `GET url` from the learner's machine, which (as a kind host on the nodes' Docker network) reaches the
    /// nodes' addresses and the load balancer addresses, not cluster or pod IPs. `None` when the host is none
    /// of those, so the caller tries its other sources.
    pub fn http_from_host(&mut self, url: &str) -> Option<Http> {
        use crate::model::{Node, Service};
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let (hostport, path) = rest
            .split_once('/')
            .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<i64>().ok()?),
            None => (hostport, 80),
        };
        let reachable = self
            .store
            .list::<Node>(None)
            .any(|n| n.internal_ip() == Some(host))
            || self
                .store
                .list::<Service>(None)
                .any(|s| load_balancer_ips(s).iter().any(|a| a == host));
        if !reachable {
            return None;
        }
        let Some((target, target_port)) = self.route(host, port) else {
            return Some(Http::Refused);
        };
        Some(self.http_to(target, target_port, &path))
    }

    /// `GET path` on `port` of `target`'s container, once routing has found it: what its server answers, or
    /// `Refused` when nothing there speaks HTTP on that port. Every HTTP client in the cluster (curl, wget, the
    /// kubelet's probes, the learner's browser) ends here, so they all see the same server.
    pub(crate) fn http_to(
        &mut self,
        target: crate::runtime::ContainerRef,
        port: i64,
        path: &str,
    ) -> Http {
        let Some(mut other) =
            ContainerHost::open(self, target, crate::runtime::programs::Mode::Exec)
        else {
            return Http::Refused;
        };
        match crate::runtime::programs::serve(&mut other, path) {
            Some((code, body)) if port == 80 => Http::Response(code, body),
            _ => Http::Refused,
        }
    }

    /// The running container of `pod` that accepts connections on `port` (containers of a pod share its
    /// network): nginx on 80, mysqld on 3306, an `ncat --listen` on its port, an application the playground
    /// does not simulate on its declared ports (any port, when it declares none). `None` means a connection to
    /// the pod's IP on that port is refused.
    pub(crate) fn listener_on(
        &self,
        pod: &crate::model::Pod,
        port: i64,
    ) -> Option<crate::runtime::ContainerRef> {
        let uid = &pod.metadata.uid;
        pod.spec
            .containers
            .iter()
            .zip(&pod.status.container_statuses)
            .filter(|(_, s)| s.state.running.is_some())
            .map(|(ct, _)| ct)
            .find(|ct| {
                let key = (uid.clone(), ct.name.clone());
                (port == 80 && crate::runtime::programs::serves_http(&ct.image))
                    || (port == 3306 && self.runtime.mysqld.contains_key(&key))
                    || self
                        .runtime
                        .listeners
                        .get(&key)
                        .is_some_and(|(p, _)| *p == port)
                    || (!crate::runtime::programs::simulated(&ct.image)
                        && (ct.ports.is_empty()
                            || ct.ports.iter().any(|p| p.container_port == port)))
            })
            .map(|ct| crate::runtime::ContainerRef {
                namespace: pod.metadata.namespace.clone(),
                pod: pod.metadata.name.clone(),
                uid: uid.clone(),
                container: ct.name.clone(),
            })
    }
}
