//! Reverse lookups and the DNS tools' command lines, from inside pods.
//!
//! Upstream:
//! - coredns/coredns plugin/kubernetes/reverse.go `serviceRecordForIP`: a Service's cluster IP answers with
//!   that Service's name alone; otherwise each ready endpoint with the address answers
//!   `<hostname or dashed-ip>.<svc>.<ns>.svc.<zone>` (`endpointHostname`), one PTR per Service. No record is
//!   NXDOMAIN, which the kubeadm Corefile's `fallthrough in-addr.arpa ip6.arpa` hands to `forward`, whose
//!   answer is not authoritative.
//! - isc-projects/bind9 bin/dig/dig.c (`parse_args`, `plus_option`, `printmessage`): `-x` makes the
//!   `in-addr.arpa` name and the PTR type; `-t`, `-q`, `@server`; `+short` prints only the data; `+noall`
//!   clears the command line, comments, every section and the statistics, `+answer` etc. set them again; a
//!   server that does not answer gives `;; connection timed out; no servers could be reached` (exit 9).
//!   lib/dns/masterdump.c `indent` with `dns_master_style_debug`: TTL at column 24, class 32, type 40, data
//!   48, tabs 8 wide, a field past its column one space on.
//! - bin/dig/host.c: `... domain name pointer ...`, `... has address ...`, `Host X not found: 3(NXDOMAIN)`.
//! - bin/dig/nslookup.c `printsection`: an address is looked up in reverse, `<rev>\tname = <target>.`.
//! - busybox networking/nslookup.c: the 1.28 applet resolves with the C library (an address as it is, its
//!   name by `getnameinfo`: `Address 1: <ip> <name>`); the newer one makes a PTR query (`make_ptr`) and
//!   prints `<rev>\tname = <target>` (no trailing dot), `** server can't find <rev>: NXDOMAIN`; for a name,
//!   `add_query_with_search` sends a name with a dot as it is and a bare name under each search domain only,
//!   A queries then AAAA, each reply printed as it comes and followed by an empty line.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use ordinal_engine::model::{Pod, Service};
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

const WEB_SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-svc\nspec:\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n";

fn setup() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    t.ctx.files.insert("svc.yaml".into(), WEB_SVC.into());
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(
        &mut c,
        "kubectl apply -f web.yaml && kubectl rollout status sts/web && kubectl apply -f svc.yaml && sleep 5",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    // The tool pods of the kubernetes.io DNS debugging page and the seeds, kept running to `exec` into.
    for (name, image) in [
        ("dnsutils", "tutum/dnsutils"),
        (
            "jessie",
            "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3",
        ),
        ("bb128", "busybox:1.28"),
        ("bb", "busybox:1.36"),
    ] {
        let p = t.run(
            &mut c,
            &format!("kubectl run {name} --image={image} --command -- sleep 3600"),
            &[],
        );
        assert_eq!(p.status, 0, "{}", p.text);
    }
    t.run(&mut c, "sleep 30", &[]);
    (c, t)
}

fn ip_of(c: &Cluster, pod: &str) -> String {
    c.store()
        .get_typed::<Pod>("default", pod)
        .and_then(|p| p.status.pod_ip.clone())
        .expect("the pod has an IP")
}

fn cluster_ip(c: &Cluster, svc: &str) -> String {
    c.store()
        .get_typed::<Service>("default", svc)
        .and_then(|s| s.spec.cluster_ip.clone())
        .expect("a cluster IP")
}

fn rev(ip: &str) -> String {
    let parts: Vec<&str> = ip.split('.').rev().collect();
    format!("{}.in-addr.arpa", parts.join("."))
}

/// `kubectl exec POD -- cmd`: what it printed, and its exit status.
fn in_pod(c: &mut Cluster, t: &mut Terminal, pod: &str, cmd: &str) -> (String, i32) {
    let p = t.run(c, &format!("kubectl exec {pod} -- {cmd}"), &[]);
    let text = p
        .text
        .strip_suffix(&format!("command terminated with exit code {}\n", p.status))
        .unwrap_or(&p.text)
        .to_string();
    (text, p.status)
}

#[test]
fn dig_x_asks_for_the_pointer_and_an_endpoint_has_one_name_per_service() {
    let (mut c, mut t) = setup();
    let ip = ip_of(&c, "web-0");
    let (out, _) = in_pod(&mut c, &mut t, "dnsutils", &format!("dig +short -x {ip}"));
    let mut names: Vec<&str> = out.lines().collect();
    ordinal_engine::sort::sort(&mut names);
    let dashed = ip.replace('.', "-");
    assert_eq!(
        names,
        [
            format!("{dashed}.web-svc.default.svc.cluster.local."),
            "web-0.nginx.default.svc.cluster.local.".to_string(),
        ]
    );
    let (out, status) = in_pod(&mut c, &mut t, "dnsutils", &format!("dig -x {ip}"));
    assert_eq!(status, 0);
    let r = rev(&ip);
    assert!(
        out.contains(&format!(";; QUESTION SECTION:\n;{r}.\tIN\tPTR\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{r}. 30\tIN\tPTR\tweb-0.nginx.default.svc.cluster.local.\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(";; flags: qr aa rd; QUERY: 1, ANSWER: 2,"),
        "{out}"
    );
}

#[test]
fn a_cluster_ip_names_its_service_alone_and_an_unknown_address_falls_through() {
    let (mut c, mut t) = setup();
    let svc_ip = cluster_ip(&c, "web-svc");
    let (out, _) = in_pod(
        &mut c,
        &mut t,
        "dnsutils",
        &format!("dig +noall +answer -x {svc_ip}"),
    );
    assert_eq!(
        out,
        format!(
            "{}. 30\tIN\tPTR\tweb-svc.default.svc.cluster.local.\n",
            rev(&svc_ip)
        )
    );
    let (out, status) = in_pod(&mut c, &mut t, "dnsutils", "dig -x 10.244.200.7");
    assert_eq!(status, 0, "dig exits 0 on NXDOMAIN");
    assert!(out.contains("status: NXDOMAIN"), "{out}");
    assert!(
        out.contains(";; flags: qr rd ra; QUERY: 1, ANSWER: 0"),
        "forward's answer is not authoritative\n{out}"
    );
    assert!(!out.contains("WARNING: recursion"), "{out}");
}

#[test]
fn digs_type_server_and_display_options() {
    let (mut c, mut t) = setup();
    let (out, _) = in_pod(
        &mut c,
        &mut t,
        "dnsutils",
        "dig @10.96.0.10 -t SRV _web._tcp.nginx.default.svc.cluster.local +noall +answer",
    );
    let mut lines: Vec<&str> = out.lines().collect();
    ordinal_engine::sort::sort(&mut lines);
    assert_eq!(
        lines,
        [
            "_web._tcp.nginx.default.svc.cluster.local. 30 IN SRV 0 50 80 web-0.nginx.default.svc.cluster.local.",
            "_web._tcp.nginx.default.svc.cluster.local. 30 IN SRV 0 50 80 web-1.nginx.default.svc.cluster.local.",
        ]
    );
    let (out, _) = in_pod(
        &mut c,
        &mut t,
        "dnsutils",
        "dig @10.96.0.10 web-svc.default.svc.cluster.local",
    );
    assert!(
        out.contains("\n; (1 server found)\n;; global options: +cmd\n"),
        "{out}"
    );
    assert!(
        out.contains(";web-svc.default.svc.cluster.local. IN\tA\n"),
        "{out}"
    );
    let (out, status) = in_pod(&mut c, &mut t, "dnsutils", "dig @8.8.8.8 example.com");
    assert!(
        out.ends_with(
            ";; global options: +cmd\n;; connection timed out; no servers could be reached\n"
        ),
        "{out}"
    );
    assert_eq!(status, 9);
    let (out, _) = in_pod(
        &mut c,
        &mut t,
        "dnsutils",
        "dig +nocmd +nocomments +nostats kubernetes.default.svc.cluster.local",
    );
    let api = c
        .store()
        .get_typed::<Service>("default", "kubernetes")
        .and_then(|s| s.spec.cluster_ip.clone())
        .expect("the kubernetes Service");
    assert_eq!(
        out,
        format!(";kubernetes.default.svc.cluster.local. IN A\nkubernetes.default.svc.cluster.local. 30 IN A\t{api}\n")
    );
}

#[test]
fn host_looks_up_addresses_in_reverse_and_names_through_the_search_list() {
    let (mut c, mut t) = setup();
    let ip = ip_of(&c, "web-1");
    let (out, _) = in_pod(&mut c, &mut t, "dnsutils", "host web-1.nginx");
    assert_eq!(
        out,
        format!("web-1.nginx.default.svc.cluster.local has address {ip}\n")
    );
    let (out, _) = in_pod(&mut c, &mut t, "dnsutils", &format!("host {ip}"));
    assert!(
        out.contains(&format!(
            "{} domain name pointer web-1.nginx.default.svc.cluster.local.\n",
            rev(&ip)
        )),
        "{out}"
    );
    let (out, status) = in_pod(&mut c, &mut t, "dnsutils", "host 10.244.200.7");
    assert_eq!(
        out,
        "Host 7.200.244.10.in-addr.arpa not found: 3(NXDOMAIN)\n"
    );
    assert_eq!(status, 1);
}

#[test]
fn nslookup_of_an_address_in_each_image() {
    let (mut c, mut t) = setup();
    let ip = ip_of(&c, "web-0");
    let r = rev(&ip);
    let (out, _) = in_pod(&mut c, &mut t, "bb128", &format!("nslookup {ip}"));
    assert!(
        out.ends_with(&format!(
            "\nName:      {ip}\nAddress 1: {ip} web-0.nginx.default.svc.cluster.local\n"
        )) || out.ends_with(&format!(
            "\nName:      {ip}\nAddress 1: {ip} {}.web-svc.default.svc.cluster.local\n",
            ip.replace('.', "-")
        )),
        "{out}"
    );
    let (out, _) = in_pod(&mut c, &mut t, "bb", &format!("nslookup {ip}"));
    assert!(
        out.contains(&format!(
            "{r}\tname = web-0.nginx.default.svc.cluster.local\n"
        )),
        "{out}"
    );
    let (out, status) = in_pod(&mut c, &mut t, "bb", "nslookup 10.244.200.7");
    assert_eq!(
        out,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find 7.200.244.10.in-addr.arpa: NXDOMAIN\n\n"
    );
    assert_eq!(status, 1);
    let (out, _) = in_pod(&mut c, &mut t, "bb128", "nslookup 10.244.200.7");
    assert!(
        out.ends_with("\nName:      10.244.200.7\nAddress 1: 10.244.200.7\n"),
        "{out}"
    );
    let (out, _) = in_pod(&mut c, &mut t, "jessie", &format!("nslookup {ip}"));
    assert!(
        out.contains(&format!(
            "{r}\tname = web-0.nginx.default.svc.cluster.local.\n"
        )),
        "{out}"
    );
}

#[test]
fn newer_busybox_sends_a_dotted_name_as_it_is_and_a_bare_one_under_each_search_domain() {
    let (mut c, mut t) = setup();
    let ip = ip_of(&c, "web-0");
    let (out, status) = in_pod(&mut c, &mut t, "bb", "nslookup web-0.nginx");
    assert_eq!(
        out,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find web-0.nginx: NXDOMAIN\n\n** server can't find web-0.nginx: NXDOMAIN\n\n"
    );
    assert_eq!(status, 1);
    // busybox 1.28 resolves it through the C library's search list.
    let (out, _) = in_pod(&mut c, &mut t, "bb128", "nslookup web-0.nginx");
    assert!(
        out.contains(&format!(
            "Address 1: {ip} web-0.nginx.default.svc.cluster.local\n"
        )),
        "{out}"
    );
    let (out, status) = in_pod(&mut c, &mut t, "bb", "nslookup web-svc");
    assert_eq!(
        status, 1,
        "the AAAA queries and the other domains fail\n{out}"
    );
    let svc_ip = cluster_ip(&c, "web-svc");
    assert!(
        out.starts_with(&format!("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb-svc.default.svc.cluster.local\nAddress: {svc_ip}\n\n** server can't find web-svc.svc.cluster.local: NXDOMAIN\n\n** server can't find web-svc.cluster.local: NXDOMAIN\n\n\n")),
        "{out}"
    );
}
