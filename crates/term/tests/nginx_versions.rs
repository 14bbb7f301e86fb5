//! Which nginx a container runs shows in what it serves: the version in the tail of its error pages and in
//! `nginx -v`, the `<body bgcolor="white">` that nginx dropped in 1.15.4, and the welcome page restyled in
//! 1.21.2. Official `nginx:X.Y` tags name the last patch release of their branch, `latest`/`mainline` and
//! `stable` the releases current on the playground's date, and each `nginx-slim` tag the nginx it was built with.

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

/// Runs one pod per image (`p0`, `p1`, …) and waits for them to start.
fn pods(images: &[&str]) -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    let mut c = Cluster::new(ClusterConfig::default());
    for (i, image) in images.iter().enumerate() {
        let out = t.run(&mut c, &format!("kubectl run p{i} --image={image}"), &[]);
        assert_eq!(out.status, 0, "{}", out.text);
    }
    t.run(&mut c, "sleep 1m", &[]);
    (c, t)
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

/// The 404 page nginx `version` writes (src/http/ngx_http_special_response.c: `ngx_http_error_404_page` and
/// `ngx_http_error_full_tail`, CRLF line ends).
fn not_found(version: &str, bgcolor: bool) -> String {
    let body = if bgcolor {
        "<body bgcolor=\"white\">"
    } else {
        "<body>"
    };
    format!("<html>\r\n<head><title>404 Not Found</title></head>\r\n{body}\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n")
}

/// docker-library/official-images `library/nginx` (2025-12-23): `1.14` → 1.14.2, `1.18` → 1.18.0, `1.25-alpine`
/// → 1.25.5, `latest` → 1.29.4 (mainline), `stable` → 1.28.1; an exact tag names itself. nginx commit 8117b3f5
/// (first in release-1.15.4) removed `bgcolor="white"`.
#[test]
fn official_tags_serve_error_pages_of_their_release() {
    let images = [
        "nginx:1.14",
        "nginx:1.15.3",
        "nginx:1.18",
        "nginx:1.25-alpine",
        "nginx",
        "nginx:stable",
        "nginx:1.27",
    ];
    let expected = [
        ("1.14.2", true),
        ("1.15.3", true),
        ("1.18.0", false),
        ("1.25.5", false),
        ("1.29.4", false),
        ("1.28.1", false),
        ("1.27.5", false),
    ];
    let (mut c, mut t) = pods(&images);
    for (i, (version, bgcolor)) in expected.iter().enumerate() {
        let page = sh(
            &mut c,
            &mut t,
            &format!("kubectl exec p{i} -- curl -s localhost/nope.html"),
        );
        assert_eq!(page, not_found(version, *bgcolor), "{}", images[i]);
        // src/core/nginx.c `ngx_show_version_info`: on stderr, which kubectl exec passes through.
        let v = sh(&mut c, &mut t, &format!("kubectl exec p{i} -- nginx -v"));
        assert_eq!(
            v,
            format!("nginx version: nginx/{version}\n"),
            "{}",
            images[i]
        );
    }
}

/// kubernetes/ingress-nginx images/nginx-slim: the Makefile's TAG and build.sh's NGINX_VERSION (0.20 → 1.13.2,
/// 0.21 → 1.13.3, 0.24 → 1.13.5, 0.27 → 1.13.6). The seed (ja-seminar-room-statefulset-basics) shows 0.8's 403
/// page with `nginx/1.11.1` and `bgcolor`.
#[test]
fn nginx_slim_tags_serve_the_nginx_they_were_built_with() {
    let (mut c, mut t) = pods(&[
        "registry.k8s.io/nginx-slim:0.20",
        "registry.k8s.io/nginx-slim:0.21",
        "registry.k8s.io/nginx-slim:0.24",
        "registry.k8s.io/nginx-slim:0.27",
    ]);
    for (i, version) in ["1.13.2", "1.13.3", "1.13.5", "1.13.6"].iter().enumerate() {
        let page = sh(
            &mut c,
            &mut t,
            &format!("kubectl exec p{i} -- curl -s localhost/nope.html"),
        );
        assert_eq!(page, not_found(version, true));
    }
    // A directory without an index: 403, in the same markup.
    sh(
        &mut c,
        &mut t,
        "kubectl exec p2 -- rm /usr/share/nginx/html/index.html",
    );
    let page = sh(&mut c, &mut t, "kubectl exec p2 -- curl -s localhost/");
    assert_eq!(
        page,
        "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body bgcolor=\"white\">\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx/1.13.5</center>\r\n</body>\r\n</html>\r\n"
    );
}

/// nginx's docs/html/index.html and 50x.html were restyled with dark mode in 1.21.2 (nginx commits e455bced and
/// b381cbc0): an older nginx serves the page with the indented `body { … }` rule.
#[test]
fn the_welcome_page_is_the_one_of_the_release() {
    let (mut c, mut t) = pods(&["nginx:1.20", "nginx:1.21"]);
    let old = sh(&mut c, &mut t, "kubectl exec p0 -- curl -s localhost/");
    assert!(
        old.contains("<style>\n    body {\n        width: 35em;\n"),
        "{old}"
    );
    assert!(!old.contains("color-scheme"), "{old}");
    let new = sh(&mut c, &mut t, "kubectl exec p1 -- curl -s localhost/");
    assert!(
        new.contains("html { color-scheme: light dark; }\n"),
        "{new}"
    );
    let old_50x = sh(
        &mut c,
        &mut t,
        "kubectl exec p0 -- cat /usr/share/nginx/html/50x.html",
    );
    assert!(
        old_50x.contains("the <a href=\"http://nginx.org/r/error_log\">error log</a> for details."),
        "{old_50x}"
    );
    let new_50x = sh(
        &mut c,
        &mut t,
        "kubectl exec p1 -- cat /usr/share/nginx/html/50x.html",
    );
    assert!(
        new_50x.contains("<p><em>Faithfully yours, nginx.</em></p>"),
        "{new_50x}"
    );
    assert!(new_50x.contains("the error log for details."), "{new_50x}");
}
