//! What CoreDNS's `log` plugin would print for the queries pods send: one line per query, A and AAAA for each
//! candidate of the search list, with the client's address, the sizes on the wire, the answer code and the
//! flags, in the plugin's default format.

#![allow(clippy::unwrap_used)]

use ordinal_engine::model::Pod;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn setup(seed: u64) -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx
        .files
        .insert("web.yaml".into(), include_str!("fixtures/web.yaml").into());
    let mut c = Cluster::new(ClusterConfig {
        seed,
        ..ClusterConfig::default()
    });
    let p = t.run(
        &mut c,
        "kubectl apply -f web.yaml && kubectl rollout status sts/web",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn pod_ip(c: &Cluster, ns: &str, name: &str) -> String {
    c.store()
        .get_typed::<Pod>(ns, name)
        .and_then(|p| p.status.pod_ip.clone())
        .unwrap()
}

/// A log line without the parts drawn at random (source port, id, duration).
fn shape(line: &str) -> String {
    let (client, rest) = line
        .strip_prefix("[INFO] ")
        .unwrap()
        .split_once(" - ")
        .unwrap();
    let ip = client.rsplit_once(':').unwrap().0;
    let (_id, rest) = rest.split_once(' ').unwrap();
    let (rest, duration) = rest.rsplit_once(' ').unwrap();
    assert!(
        duration.starts_with("0.") && duration.ends_with('s'),
        "{line}"
    );
    format!("{ip} {rest}")
}

fn lines(c: &Cluster) -> Vec<String> {
    c.coredns_log().map(|l| l.text.clone()).collect()
}

#[test]
fn a_lookup_logs_a_and_aaaa_for_the_candidate_that_answers() {
    let (mut c, mut t) = setup(1);
    let web0 = pod_ip(&c, "default", "web-0");
    let before = lines(&c).len();
    t.run(&mut c, "kubectl exec web-0 -- curl -s web-1.nginx", &[]);
    let new: Vec<String> = lines(&c)[before..].iter().map(|l| shape(l)).collect();
    assert_eq!(
        new,
        [
            format!("{web0} \"A IN web-1.nginx.default.svc.cluster.local. udp 55 false 512\" NOERROR qr,aa,rd 108"),
            format!("{web0} \"AAAA IN web-1.nginx.default.svc.cluster.local. udp 55 false 512\" NOERROR qr,aa,rd 148"),
        ]
    );
    // One socket for the lookup: the same source port on both lines.
    let ports: Vec<String> = lines(&c)[before..]
        .iter()
        .map(|l| {
            let client = l.split(' ').nth(1).unwrap();
            client.rsplit_once(':').unwrap().1.to_string()
        })
        .collect();
    assert_eq!(ports[0], ports[1]);
    assert!(ports[0].parse::<u16>().unwrap() >= 32_768);
}

#[test]
fn the_search_list_shows_as_nxdomain_lines_before_the_answer() {
    let (mut c, mut t) = setup(1);
    t.run(
        &mut c,
        "kubectl run -n student -i --tty --image busybox:1.28 client --restart=Never",
        &[],
    );
    let before = lines(&c).len();
    t.run(&mut c, "wget -qO- web-0.nginx.default", &[]);
    t.run(&mut c, "exit", &[]);
    let client = pod_ip(&c, "student", "client");
    let new: Vec<String> = lines(&c)[before..].iter().map(|l| shape(l)).collect();
    assert_eq!(
        new,
        [
            format!("{client} \"A IN web-0.nginx.default.student.svc.cluster.local. udp 63 false 512\" NXDOMAIN qr,aa,rd 156"),
            format!("{client} \"AAAA IN web-0.nginx.default.student.svc.cluster.local. udp 63 false 512\" NXDOMAIN qr,aa,rd 156"),
            format!("{client} \"A IN web-0.nginx.default.svc.cluster.local. udp 55 false 512\" NOERROR qr,aa,rd 108"),
            format!("{client} \"AAAA IN web-0.nginx.default.svc.cluster.local. udp 55 false 512\" NOERROR qr,aa,rd 148"),
        ]
    );
}

#[test]
fn dig_sends_edns_and_its_printed_id() {
    let (mut c, mut t) = setup(1);
    let out = t
        .run(
            &mut c,
            "kubectl run -it dig --image=tutum/dnsutils --rm --restart=Never -- dig kubernetes.default.svc.cluster.local",
            &[],
        )
        .text;
    let id = out
        .split("id: ")
        .nth(1)
        .unwrap()
        .split('\n')
        .next()
        .unwrap();
    let last = lines(&c).pop().unwrap();
    assert!(
        last.contains(&format!(" - {id} \"A IN kubernetes.default.svc.cluster.local. udp 65 false 4096\" NOERROR qr,aa,rd 117 ")),
        "{last}\n{out}"
    );
}

#[test]
fn the_log_follows_the_seed() {
    let run = |seed| {
        let (mut c, mut t) = setup(seed);
        t.run(&mut c, "kubectl exec web-0 -- curl -s nginx", &[]);
        lines(&c)
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(3), run(4));
}
