//! dig's output against CoreDNS: dig 9.9 sends an OPT record advertising 4096 bytes (bin/dig/dighost.c
//! `setup_lookup`), and CoreDNS answers with the request's OPT record, its size reflected and its flags cleared
//! (coredns request/writer.go `ScrubWriter.WriteMsg` → request/request.go `SizeAndDo`), so dig prints
//! `;; OPT PSEUDOSECTION:` (lib/dns/message.c `dns_message_pseudosectiontotext`) and counts it in ADDITIONAL.
//! `MSG SIZE  rcvd:` is the reply's size on the wire, uncompressed as long as it fits (request.go `Scrub`,
//! miekg/dns `Msg.Truncate`). A negative answer carries CoreDNS's SOA (plugin/backend_lookup.go `SOA`), whose
//! serial is the time the kubernetes plugin last saw a Service or its endpoints change (controller.go).

use ordinal_engine::model::Pod;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

const WEB: &str = include_str!("fixtures/web.yaml");

fn setup() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx.files.insert("web.yaml".into(), WEB.into());
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(
        &mut c,
        "kubectl apply -f web.yaml && kubectl rollout status sts/web && kubectl run dns --image=tutum/dnsutils -- sleep infinity && kubectl run jessie --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 -- sleep infinity && sleep 30",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

fn line_with<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in\n{out}"))
}

/// The header, the OPT pseudosection right before the question (dig.c `printmessage` prints an empty line
/// after the header comments, then the message text), and the size: 12 + question 37 + two SRV records of
/// 88 + two A records of 53 + OPT 11 = 342.
#[test]
fn an_srv_answer_shows_the_opt_record_and_its_real_size() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig SRV nginx.default.svc.cluster.local",
    );
    assert!(out.starts_with("\n; <<>> DiG 9.9.5-3ubuntu0.2-Ubuntu <<>> SRV nginx.default.svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: "), "{out}");
    assert!(
        out.contains(";; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 3\n;; WARNING: recursion requested but not available\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 4096\n;; QUESTION SECTION:\n;nginx.default.svc.cluster.local. IN\tSRV\n\n;; ANSWER SECTION:\n"),
        "{out}"
    );
    assert_eq!(line_with(&out, ";; MSG SIZE"), ";; MSG SIZE  rcvd: 342");
    // `+noedns`: no OPT record either way, 11 bytes less.
    let out = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig +noedns SRV nginx.default.svc.cluster.local",
    );
    assert!(!out.contains("OPT PSEUDOSECTION"), "{out}");
    assert!(
        out.contains("ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 2\n"),
        "{out}"
    );
    assert_eq!(line_with(&out, ";; MSG SIZE"), ";; MSG SIZE  rcvd: 331");
    // `+bufsize=N` advertises N, and CoreDNS reflects it.
    let out = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig +bufsize=1232 nginx.default.svc.cluster.local",
    );
    assert!(
        out.contains("; EDNS: version: 0, flags:; udp: 1232\n"),
        "{out}"
    );
}

/// A: 12 + 37 + two A records of 47 + 11 = 154 for the headless Service; one A for a pod's own name.
/// PTR: the reverse name and the pod's name under the Service. `+short` prints the data alone.
#[test]
fn a_ptr_and_short_answers() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig nginx.default.svc.cluster.local",
    );
    assert_eq!(line_with(&out, ";; MSG SIZE"), ";; MSG SIZE  rcvd: 154");
    let out = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig web-0.nginx.default.svc.cluster.local",
    );
    assert!(
        out.contains("ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n"),
        "{out}"
    );
    // 12 + (39 + 4) + (39 + 14) + 11.
    assert_eq!(line_with(&out, ";; MSG SIZE"), ";; MSG SIZE  rcvd: 119");
    let ip = c
        .store()
        .get_typed::<Pod>("default", "web-0")
        .and_then(|p| p.status.pod_ip.clone())
        .unwrap_or_default();
    let out = sh(&mut c, &mut t, &format!("kubectl exec dns -- dig -x {ip}"));
    let octets: Vec<&str> = ip.split('.').collect();
    let rev = format!(
        "{}.{}.{}.{}.in-addr.arpa.",
        octets[3], octets[2], octets[1], octets[0]
    );
    let rev_len: usize = rev
        .trim_end_matches('.')
        .split('.')
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + 1;
    // Header, question, one PTR with the pod's 39-byte name, OPT.
    let size = 12 + rev_len + 4 + rev_len + 10 + 39 + 11;
    assert_eq!(
        line_with(&out, ";; MSG SIZE"),
        format!(";; MSG SIZE  rcvd: {size}")
    );
    assert!(
        out.contains("IN\tPTR\tweb-0.nginx.default.svc.cluster.local.\n"),
        "{out}"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec dns -- dig +short web-0.nginx.default.svc.cluster.local"
        ),
        format!("{ip}\n")
    );
}

/// NXDOMAIN: the SOA in AUTHORITY (`ns.dns.cluster.local. hostmaster.cluster.local. SERIAL 7200 1800 86400
/// 30`, TTL 30) and 12 + 43 + SOA 93 + 11 = 159 bytes. The serial is the Unix time of the last Service or
/// endpoint change: it moves when a pod's readiness changes what the headless Service serves.
#[test]
fn nxdomain_carries_coredns_soa_with_the_time_of_the_last_change() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig web-9.nginx.default.svc.cluster.local",
    );
    assert!(out.contains("status: NXDOMAIN"), "{out}");
    assert!(
        out.contains("ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n"),
        "{out}"
    );
    let soa = line_with(&out, "cluster.local.");
    let fields: Vec<&str> = soa.split_whitespace().collect();
    assert_eq!(
        &fields[..6],
        [
            "cluster.local.",
            "30",
            "IN",
            "SOA",
            "ns.dns.cluster.local.",
            "hostmaster.cluster.local."
        ]
    );
    assert_eq!(&fields[7..], ["7200", "1800", "86400", "30"]);
    let serial: i64 = fields[6].parse().unwrap_or(0);
    assert_eq!(line_with(&out, ";; MSG SIZE"), ";; MSG SIZE  rcvd: 159");
    // Nothing changed since: the same serial.
    sh(&mut c, &mut t, "sleep 10m");
    let again = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig +noall +authority web-9.nginx.default.svc.cluster.local",
    );
    assert!(again.contains(&format!(" {serial} 7200 ")), "{again}");
    // web-0 is deleted and comes back: the endpoints change, and the serial is now.
    sh(&mut c, &mut t, "kubectl delete pod web-0 && sleep 1m");
    let before = c.now().unix_seconds();
    let after = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig +noall +authority web-9.nginx.default.svc.cluster.local",
    );
    let moved: i64 = after
        .split_whitespace()
        .nth(6)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    assert!(
        moved > serial + 600 && moved <= before,
        "{serial} → {moved}\n{after}"
    );
}

/// Debian jessie's dnsutils in the e2e image (kubernetes/kubernetes test/images/jessie-dnsutils: dnsutils on
/// debian:jessie), the same dig 9.9.5 output otherwise.
#[test]
fn the_banner_names_the_images_bind_package() {
    let (mut c, mut t) = setup();
    let out = sh(
        &mut c,
        &mut t,
        "kubectl exec jessie -- dig nginx.default.svc.cluster.local",
    );
    assert!(
        out.starts_with(
            "\n; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> nginx.default.svc.cluster.local\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(";; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 4096\n"),
        "{out}"
    );
}

/// The CoreDNS `log` plugin's reply size is the same wire size: dig's query carries the OPT record (`udp 4096`).
#[test]
fn the_query_log_agrees_with_dig() {
    let (mut c, mut t) = setup();
    sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig SRV nginx.default.svc.cluster.local",
    );
    let last = c
        .coredns_log()
        .last()
        .map(|l| l.text.clone())
        .unwrap_or_default();
    assert!(
        last.contains(
            "\"SRV IN nginx.default.svc.cluster.local. udp 60 false 4096\" NOERROR qr,aa,rd 342 "
        ),
        "{last}"
    );
}

/// Found by fuzzing the terminal: a dash followed by a character of several bytes cut that character in two
/// (a panic). And a flag that takes no value (`-4`) must not swallow the name after it.
#[test]
fn flags_are_whole_characters_and_only_some_take_a_value() {
    let (mut c, mut t) = setup();
    let plain = sh(
        &mut c,
        &mut t,
        "kubectl exec dns -- dig +short web-0.nginx.default.svc.cluster.local",
    );
    assert!(plain.starts_with("10.244."), "{plain}");
    for flags in ["-4", "-\u{4cd}", "-6 -m"] {
        let out = sh(
            &mut c,
            &mut t,
            &format!(
                "kubectl exec dns -- dig {flags} +short web-0.nginx.default.svc.cluster.local"
            ),
        );
        assert_eq!(out, plain, "dig {flags}");
    }
}
