//! The container images the tutorials use, with their real tags, so a typo in a tag fails to pull the way a
//! registry would refuse it. Images outside this catalogue are assumed to exist and pull.

/// `(repository as normalised, tags that exist)`.
const CATALOGUE: &[(&str, &[&str])] = &[
    (
        "registry.k8s.io/nginx-slim",
        &[
            "0.7", "0.8", "0.9", "0.20", "0.21", "0.22", "0.23", "0.24", "0.25", "0.26", "0.27",
        ],
    ),
    (
        "k8s.gcr.io/nginx-slim",
        &["0.7", "0.8", "0.9", "0.20", "0.21", "0.22", "0.23", "0.24"],
    ),
    (
        "gcr.io/google_containers/nginx-slim",
        &["0.7", "0.8", "0.9"],
    ),
    (
        "docker.io/library/busybox",
        &[
            "latest", "stable", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35",
            "1.36", "1.37", "musl", "glibc", "uclibc",
        ],
    ),
    (
        "docker.io/library/mysql",
        &["latest", "5.6", "5.7", "8.0", "8.4", "9.0", "lts"],
    ),
    ("gcr.io/google-samples/xtrabackup", &["1.0"]),
    (
        "docker.io/library/wordpress",
        &[
            "latest",
            "4.8-apache",
            "5.8-apache",
            "6.2.1-apache",
            "6-apache",
            "apache",
        ],
    ),
    (
        "docker.io/library/alpine",
        &["latest", "3.18", "3.19", "3.20", "3.21", "3.22"],
    ),
    (
        "registry.k8s.io/e2e-test-images/jessie-dnsutils",
        &["1.3", "1.5", "1.7"],
    ),
    (
        "registry.k8s.io/e2e-test-images/agnhost",
        &["2.39", "2.45", "2.47", "2.52", "2.53"],
    ),
    ("docker.io/tutum/dnsutils", &["latest"]),
    (
        "docker.io/library/ubuntu",
        &[
            "latest", "20.04", "22.04", "24.04", "focal", "jammy", "noble",
        ],
    ),
    (
        "docker.io/library/debian",
        &[
            "latest",
            "bookworm",
            "bullseye",
            "bookworm-slim",
            "12",
            "11",
        ],
    ),
    ("docker.io/curlimages/curl", &["latest", "8.5.0", "8.10.1"]),
    (
        "docker.io/library/redis",
        &["latest", "6", "7", "7.2", "alpine"],
    ),
];

/// An image reference split into the normalised repository (`docker.io/library/nginx`) and tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub repository: String,
    pub tag: String,
}

/// Normalises like containerd: no registry means Docker Hub, no namespace there means `library/`, no tag means
/// `latest`. A digest (`@sha256:…`) is kept in the tag position.
pub fn parse(image: &str) -> ImageRef {
    let (name, tag) = match image.split_once('@') {
        Some((n, d)) => (n, d.to_string()),
        None => match image.rfind(':').filter(|i| !image[*i..].contains('/')) {
            Some(i) => (&image[..i], image[i + 1..].to_string()),
            None => (image, "latest".to_string()),
        },
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let repository = if has_registry {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    ImageRef { repository, tag }
}

/// The pulled image's id as containerd reports it: the repository with the digest of what the tag named.
pub fn image_id(image: &str) -> String {
    let r = parse(image);
    if r.tag.starts_with("sha256:") {
        return format!("{}@{}", r.repository, r.tag);
    }
    let digest = crate::sha256::hex_digest(&format!("{}:{}", r.repository, r.tag));
    format!("{}@sha256:{digest}", r.repository)
}

/// The image as the runtime names it once pulled: registry and repository spelled out (`nginx:1.27` is
/// `docker.io/library/nginx:1.27`).
pub fn full_name(image: &str) -> String {
    let r = parse(image);
    if r.tag.starts_with("sha256:") {
        format!("{}@{}", r.repository, r.tag)
    } else {
        format!("{}:{}", r.repository, r.tag)
    }
}

/// Tags whose manifest is Docker's image manifest v2, schema 1 (`…manifest.v1+prettyjws`), which containerd
/// 2.1 and later refuse to pull (containerd `client/pull.go`, the `MediaTypeDockerSchema1Manifest` check; the
/// nodes run containerd 2.1). The nginx-slim tags the older StatefulSet tutorials use are such images:
/// kubernetes/website#46639 moved the tutorial off them for that reason.
const SCHEMA_1: &[(&str, &[&str])] = &[
    ("registry.k8s.io/nginx-slim", &["0.7", "0.8"]),
    ("k8s.gcr.io/nginx-slim", &["0.7", "0.8"]),
    ("gcr.io/google_containers/nginx-slim", &["0.7", "0.8"]),
];

/// Whether the node's runtime can pull this image. `Err` carries the runtime's message: a tag the registry
/// does not have, or an image in a manifest format containerd no longer pulls.
pub fn check_pull(image: &str) -> Result<(), String> {
    let r = parse(image);
    let full = format!("{}:{}", r.repository, r.tag);
    let listed = |table: &[(&str, &[&str])]| {
        table
            .iter()
            .find(|(repo, _)| *repo == r.repository)
            .map(|(_, tags)| tags.contains(&r.tag.as_str()))
    };
    if listed(SCHEMA_1) == Some(true) {
        return Err(format!(
            "rpc error: code = Unimplemented desc = failed to pull and unpack image \"{full}\": not implemented: media type \"application/vnd.docker.distribution.manifest.v1+prettyjws\" is no longer supported since containerd v2.1, please rebuild the image as \"application/vnd.docker.distribution.manifest.v2+json\" or \"application/vnd.oci.image.manifest.v1+json\""
        ));
    }
    let known = if r.repository == "docker.io/library/nginx" {
        Some(nginx_tag_exists(&r.tag))
    } else {
        listed(CATALOGUE)
    };
    match known {
        Some(false) if !r.tag.starts_with("sha256:") => Err(format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
        )),
        _ => Ok(()),
    }
}

/// What a container's main process does with the SIGTERM the runtime sends it to stop the container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnSigterm {
    /// Its handler shuts it down cleanly and it exits 0 (nginx, redis, apache).
    ShutsDown,
    /// Its handler shuts it down too, but a database takes its time flushing (mysqld's InnoDB shutdown).
    ShutsDownSlowly,
    /// It has no handler and is PID 1 of its PID namespace, where the kernel delivers only signals with a
    /// handler (pid_namespaces(7)): it runs on until the grace period ends and SIGKILL stops it (137).
    Ignores,
    /// It has no handler and is not PID 1 (the pod shares one process namespace, whose PID 1 is the pause
    /// process): the default action ends it at once, by the signal (143).
    Dies,
}

/// What `program` (the name of a container's PID 1, as [`crate::programs::main_program`] finds it)
/// does with SIGTERM; `pid1` is false when the pod shares its process namespace.
pub fn on_sigterm(program: &str, pid1: bool) -> OnSigterm {
    let name = program.rsplit('/').next().unwrap_or(program);
    match name {
        // Servers install a handler and stop cleanly.
        "nginx"
        | "redis-server"
        | "apache2"
        | "httpd-foreground"
        | "agnhost"
        | "coredns"
        | "etcd"
        | "kube-proxy"
        | "kindnetd"
        | "local-path-provisioner" => OnSigterm::ShutsDown,
        "mysqld" | "docker-entrypoint.sh" => OnSigterm::ShutsDownSlowly,
        // Shells, sleep and the other tools install none: non-interactive bash, dash and ash leave SIGTERM at
        // its default, busybox's httpd and nc and nmap's ncat only catch SIGPIPE/SIGCHLD, and neither Python
        // nor Node installs a SIGTERM handler of its own.
        "sh" | "ash" | "bash" | "dash" | "sleep" | "tail" | "cat" | "ncat" | "nc" | "httpd"
        | "yes" | "top" | "watch" | "python" | "python3" | "node" | "mysql" | "ping" => {
            if pid1 {
                OnSigterm::Ignores
            } else {
                OnSigterm::Dies
            }
        }
        // An application the playground does not simulate is taken to stop cleanly, as servers do.
        _ => OnSigterm::ShutsDown,
    }
}

/// Images whose default command is a shell, which exits at once without a terminal attached.
pub fn default_command_is_a_shell(image: &str) -> bool {
    let r = parse(image);
    matches!(
        r.repository.rsplit('/').next(),
        Some(
            "busybox"
                | "alpine"
                | "ubuntu"
                | "debian"
                | "dnsutils"
                | "jessie-dnsutils"
                | "xtrabackup"
        )
    )
}

/// Whether `image` is one of the daemons kind runs (CoreDNS, kube-proxy, kindnet, the control plane, the
/// local-path provisioner), which the runtime starts as servers that run until stopped.
pub fn is_system_image(image: &str) -> bool {
    let r = parse(image);
    matches!(
        r.repository.as_str(),
        "registry.k8s.io/coredns/coredns"
            | "registry.k8s.io/etcd"
            | "registry.k8s.io/kube-apiserver"
            | "registry.k8s.io/kube-controller-manager"
            | "registry.k8s.io/kube-scheduler"
            | "registry.k8s.io/kube-proxy"
            | "docker.io/kindest/kindnetd"
            | "docker.io/kindest/local-path-provisioner"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise_like_containerd() {
        assert_eq!(parse("nginx").repository, "docker.io/library/nginx");
        assert_eq!(parse("nginx").tag, "latest");
        assert_eq!(parse("busybox:1.28").tag, "1.28");
        assert_eq!(
            parse("tutum/dnsutils").repository,
            "docker.io/tutum/dnsutils"
        );
        assert_eq!(
            parse("registry.k8s.io/nginx-slim:0.24").repository,
            "registry.k8s.io/nginx-slim"
        );
        assert_eq!(
            parse("localhost:5000/app:v1").repository,
            "localhost:5000/app"
        );
    }

    #[test]
    fn schema_1_images_do_not_pull_on_containerd_2_1() {
        // containerd client/pull.go refuses MediaTypeDockerSchema1Manifest since v2.1; nginx-slim 0.8 is one
        // (kubernetes/website#46639).
        for image in [
            "registry.k8s.io/nginx-slim:0.8",
            "k8s.gcr.io/nginx-slim:0.7",
            "gcr.io/google_containers/nginx-slim:0.8",
        ] {
            let why = check_pull(image).unwrap_err();
            assert!(why.starts_with(
                "rpc error: code = Unimplemented desc = failed to pull and unpack image"
            ));
            assert!(
                why.contains("is no longer supported since containerd v2.1"),
                "{why}"
            );
        }
        assert!(check_pull("registry.k8s.io/nginx-slim:0.21").is_ok());
    }

    #[test]
    fn an_unknown_tag_of_a_known_image_does_not_pull() {
        assert!(check_pull("registry.k8s.io/nginx-slim:0.24").is_ok());
        assert!(check_pull("nginx:1.99")
            .unwrap_err()
            .ends_with("docker.io/library/nginx:1.99: not found"));
        assert!(check_pull("example.com/anything:v9").is_ok());
    }

    /// docker-library/official-images `library/nginx`: every `X.Y.Z` that was built has a tag, the ones that were
    /// not (1.13.4, 1.21.2) do not; `X.Y` and the variants follow their release.
    #[test]
    fn official_nginx_tags_are_the_releases_docker_built() {
        for ok in [
            "nginx:1.13.3",
            "nginx:1.21.3",
            "nginx:1.25-alpine",
            "nginx:stable-alpine",
            "nginx:mainline",
            "nginx:1.29.4-perl",
        ] {
            assert!(check_pull(ok).is_ok(), "{ok}");
        }
        for missing in [
            "nginx:1.13.4",
            "nginx:1.21.2",
            "nginx:1.30",
            "nginx:1.29.9",
            "nginx:1.2x",
        ] {
            assert!(check_pull(missing).is_err(), "{missing}");
        }
        assert_eq!(
            nginx_version("nginx:1.21-alpine").as_deref(),
            Some("1.21.6")
        );
        assert_eq!(
            nginx_version("nginx:stable-perl").as_deref(),
            Some("1.28.1")
        );
        assert_eq!(nginx_version("busybox"), None);
    }

    #[test]
    fn servers_stop_on_sigterm_and_shells_as_pid_1_ignore_it() {
        assert_eq!(on_sigterm("nginx", true), OnSigterm::ShutsDown);
        assert_eq!(on_sigterm("mysqld", true), OnSigterm::ShutsDownSlowly);
        assert_eq!(on_sigterm("sleep", true), OnSigterm::Ignores);
        assert_eq!(on_sigterm("/usr/bin/ncat", true), OnSigterm::Ignores);
        assert_eq!(on_sigterm("sh", false), OnSigterm::Dies);
    }
}

// ---- what an image's file system holds ----

/// The family an image belongs to, which decides its shell and its tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// busybox: every tool is a busybox applet, `sh` is ash, `nslookup` prints busybox's format.
    Busybox,
    /// Alpine-based (alpine, curlimages/curl, `-alpine` tags): busybox applets plus the image's own tools.
    Alpine,
    /// Debian/Ubuntu-based (nginx, mysql, dnsutils, …): bash, coreutils, the image's own tools.
    Debian,
}

/// The family of `image`.
pub fn family(image: &str) -> Family {
    let r = parse(image);
    if r.repository.ends_with("/busybox") {
        Family::Busybox
    } else if r.repository.ends_with("/alpine")
        || r.repository.ends_with("curlimages/curl")
        || r.tag.contains("alpine")
    {
        Family::Alpine
    } else {
        Family::Debian
    }
}

/// The contents of an executable: a marker naming the program the runtime runs for it, so a renamed binary
/// still runs and a moved-away one is gone (`mv /usr/bin/mysql /usr/bin/mysql.off`).
pub fn binary(program: &str) -> String {
    format!("\u{7f}ELF program:{program}\n")
}

/// The program an executable's contents name, if it is one.
pub fn program_of(contents: &str) -> Option<&str> {
    contents
        .strip_prefix("\u{7f}ELF program:")
        .map(str::trim_end)
}

/// The BusyBox applets the playground runs, as the official busybox image links them into `/bin` (its
/// `defconfig` build has every one of these).
const BUSYBOX_APPLETS: &[&str] = &[
    "sh", "ash", "cat", "ls", "mkdir", "rm", "rmdir", "mv", "cp", "touch", "echo", "hostname",
    "uname", "date", "env", "printenv", "sleep", "wget", "nslookup", "ping", "pwd", "head", "tail",
    "grep", "wc", "true", "false", "id", "whoami", "ps", "nc", "seq", "test", "[", "vi", "busybox",
    "sed", "tr", "sort", "egrep", "fgrep", "awk", "cut", "uniq", "xargs", "basename", "dirname",
    "tee", "base64", "printf",
];

/// What a Debian or Ubuntu image has in `/usr/bin`: coreutils, grep, sed, findutils' `xargs` and mawk as
/// `awk` (all `Priority: required`, so even the `-slim` images carry them).
const COREUTILS: &[&str] = &[
    "cat", "ls", "mkdir", "rm", "rmdir", "mv", "cp", "touch", "echo", "uname", "date", "env",
    "printenv", "sleep", "pwd", "head", "tail", "wc", "true", "false", "id", "whoami", "seq",
    "test", "[", "sed", "grep", "tr", "sort", "cut", "uniq", "basename", "dirname", "tee",
    "base64", "printf", "xargs", "awk",
];

// ---- nginx ----

/// The nginx releases Docker's official `nginx` image was built for, by branch, as the Docker library's
/// `library/nginx` file listed their tags up to the playground's date (docker-library/official-images, history
/// of `library/nginx` to 2025-12-23). An `X.Y` tag names the last release of its branch; an `X.Y.Z` tag exists
/// only for a release that was built (there is no `1.13.4` or `1.21.2`).
const NGINX_RELEASES: &[(&str, &[u32])] = &[
    ("1.10", &[1, 2, 3]),
    ("1.11", &[3, 4, 5, 6, 7, 8, 9, 10, 12, 13]),
    ("1.12", &[0, 1, 2]),
    ("1.13", &[0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12]),
    ("1.14", &[0, 1, 2]),
    ("1.15", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    ("1.16", &[0, 1]),
    ("1.17", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ("1.18", &[0]),
    ("1.19", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ("1.20", &[0, 1, 2]),
    ("1.21", &[0, 1, 3, 4, 5, 6]),
    ("1.22", &[0, 1]),
    ("1.23", &[0, 1, 2, 3, 4]),
    ("1.24", &[0]),
    ("1.25", &[0, 1, 2, 3, 4, 5]),
    ("1.26", &[0, 1, 2, 3]),
    ("1.27", &[0, 1, 2, 3, 4, 5]),
    ("1.28", &[0, 1]),
    ("1.29", &[0, 1, 2, 3, 4]),
];

/// The variants an official nginx tag may carry after its release (`1.27-alpine`, `stable-perl`), longest first.
const NGINX_VARIANTS: &[&str] = &["-alpine-perl", "-alpine-slim", "-alpine", "-perl"];

/// The release part of an official nginx tag, without its variant.
fn nginx_tag_base(tag: &str) -> &str {
    NGINX_VARIANTS
        .iter()
        .find_map(|v| tag.strip_suffix(v).filter(|b| !b.is_empty()))
        .unwrap_or(tag)
}

/// What an official nginx tag names: `Some(release)` for a tag the registry has.
fn nginx_tag_release(tag: &str) -> Option<String> {
    let base = nginx_tag_base(tag);
    let branch = |b: &str| {
        NGINX_RELEASES
            .iter()
            .find(|(k, _)| *k == b)
            .map(|(_, p)| *p)
    };
    match base {
        "latest" | "mainline" | "1" => Some(NGINX_MAINLINE.to_string()),
        "alpine" | "perl" => Some(NGINX_MAINLINE.to_string()),
        "stable" => Some(NGINX_STABLE.to_string()),
        _ => {
            let parts: Vec<&str> = base.split('.').collect();
            let number = |p: &str| {
                p.parse::<u32>()
                    .ok()
                    .filter(|_| p.bytes().all(|b| b.is_ascii_digit()))
            };
            match parts.as_slice() {
                [major, minor] => {
                    let patches = branch(&format!("{major}.{minor}"))?;
                    Some(format!("{major}.{minor}.{}", patches.last()?))
                }
                [major, minor, patch] => {
                    let patches = branch(&format!("{major}.{minor}"))?;
                    let patch = number(patch)?;
                    patches
                        .contains(&patch)
                        .then(|| format!("{major}.{minor}.{patch}"))
                }
                _ => None,
            }
        }
    }
}

/// Whether Docker Hub has this official nginx tag.
fn nginx_tag_exists(tag: &str) -> bool {
    tag.starts_with("sha256:") || nginx_tag_release(tag).is_some()
}

/// `nginx:latest` / `mainline` and `nginx:stable` on the playground's date.
const NGINX_MAINLINE: &str = "1.29.4";
const NGINX_STABLE: &str = "1.28.1";

/// The nginx each `nginx-slim` tag was built with. 0.13 to 0.28 come from kubernetes/ingress-nginx
/// `images/nginx-slim` (`TAG` in the Makefile, `NGINX_VERSION` in build.sh, at the commit that last built each
/// tag); 0.7 to 0.9 were built in kubernetes/contrib before the move, and 0.8's 403 page in the Japanese seed
/// reads `nginx/1.11.1` (0.7 and 0.9 are taken to be the same build: neither source is at hand, and 0.7 and
/// 0.8 no longer pull).
const NGINX_SLIM_RELEASES: &[(&str, &str)] = &[
    ("0.7", "1.11.1"),
    ("0.8", "1.11.1"),
    ("0.9", "1.11.1"),
    ("0.13", "1.11.9"),
    ("0.14", "1.11.10"),
    ("0.15", "1.11.12"),
    ("0.16", "1.11.12"),
    ("0.17", "1.13.0"),
    ("0.18", "1.13.1"),
    ("0.19", "1.13.1"),
    ("0.20", "1.13.2"),
    ("0.21", "1.13.3"),
    ("0.22", "1.13.3"),
    ("0.23", "1.13.4"),
    ("0.24", "1.13.5"),
    ("0.25", "1.13.5"),
    ("0.26", "1.13.6"),
    ("0.27", "1.13.6"),
    ("0.28", "1.13.6"),
];

/// The nginx release a container of `image` runs (`"1.13.5"`), for its error pages, its `Server` header and
/// `nginx -v`; `None` for an image that is not nginx. A digest is taken to be the current mainline.
pub fn nginx_version(image: &str) -> Option<String> {
    let r = parse(image);
    match r.repository.rsplit('/').next()? {
        "nginx-slim" => Some(
            NGINX_SLIM_RELEASES
                .iter()
                .find(|(k, _)| *k == r.tag)
                .map_or("1.13.6", |(_, v)| *v)
                .to_string(),
        ),
        "nginx" => Some(nginx_tag_release(&r.tag).unwrap_or_else(|| NGINX_MAINLINE.to_string())),
        _ => None,
    }
}

/// `(major, minor, patch)` of a release string, for comparisons.
fn release(v: &str) -> (u32, u32, u32) {
    let mut n = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (
        n.next().unwrap_or(0),
        n.next().unwrap_or(0),
        n.next().unwrap_or(0),
    )
}

/// nginx's own error page for `code` (src/http/ngx_http_special_response.c), as nginx `version` writes it: CRLF
/// line ends, the version in the tail (`server_tokens on`), and `<body bgcolor="white">` up to 1.15.3 (nginx
/// commit 8117b3f5 "Removed bgcolor attribute on body in error pages", first in 1.15.4).
pub fn nginx_error_page(version: &str, code: u16, reason: &str) -> String {
    let body = if release(version) < (1, 15, 4) {
        "<body bgcolor=\"white\">"
    } else {
        "<body>"
    };
    format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n{body}\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// The welcome page nginx installs as `html/index.html` (docs/html/index.html): restyled, with dark mode, in
/// 1.21.2 (nginx commits e455bced and b381cbc0).
fn nginx_index(version: &str) -> &'static str {
    if release(version) < (1, 21, 2) {
        "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n"
    } else {
        "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n"
    }
}

/// nginx's `html/50x.html` (docs/html/50x.html), restyled in 1.21.2 like the welcome page.
fn nginx_50x(version: &str) -> &'static str {
    if release(version) < (1, 21, 2) {
        "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe <a href=\"http://nginx.org/r/error_log\">error log</a> for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n"
    } else {
        "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n"
    }
}

/// The files a fresh container of `image` starts with: the usual directories, the shell and tools of its
/// family, and what the tutorials' images add (nginx's web root, mysql's client and server, dig, …).
pub fn base_files(image: &str) -> Vec<(String, ordinal_sh::fs::Entry)> {
    use ordinal_sh::fs::Entry;
    let r = parse(image);
    let repo = r.repository.rsplit('/').next().unwrap_or("");
    let mut files: Vec<(String, Entry)> = [
        "/bin",
        "/dev",
        "/etc",
        "/home",
        "/proc",
        "/root",
        "/run",
        "/sbin",
        "/sys",
        "/tmp",
        "/usr",
        "/usr/bin",
        "/usr/sbin",
        "/usr/local",
        "/usr/local/bin",
        "/var",
        "/var/log",
        "/var/run",
    ]
    .iter()
    .map(|d| (d.to_string(), Entry::Dir))
    .collect();
    let mut tool =
        |path: &str, program: &str| files.push((path.to_string(), Entry::File(binary(program))));
    match family(image) {
        Family::Busybox | Family::Alpine => {
            for a in BUSYBOX_APPLETS {
                tool(&format!("/bin/{a}"), a);
            }
        }
        Family::Debian => {
            tool("/bin/bash", "bash");
            tool("/bin/sh", "sh");
            tool("/bin/hostname", "hostname");
            for c in COREUTILS {
                tool(&format!("/usr/bin/{c}"), c);
            }
        }
    }
    match repo {
        "nginx" | "nginx-slim" => {
            tool("/usr/sbin/nginx", "nginx");
            tool("/usr/bin/curl", "curl");
        }
        "mysql" => {
            tool("/usr/bin/mysql", "mysql");
            tool("/usr/bin/mysqladmin", "mysqladmin");
            tool("/usr/sbin/mysqld", "mysqld");
        }
        "xtrabackup" => {
            tool("/usr/bin/mysql", "mysql");
            tool("/usr/bin/xtrabackup", "xtrabackup");
            tool("/usr/bin/xbstream", "xbstream");
            tool("/usr/bin/ncat", "ncat");
        }
        "dnsutils" | "jessie-dnsutils" => {
            tool("/usr/bin/dig", "dig");
            tool("/usr/bin/nslookup", "nslookup-bind");
            tool("/usr/bin/host", "host");
            tool("/bin/ping", "ping");
            tool("/usr/bin/wget", "wget");
            tool("/usr/bin/curl", "curl");
        }
        "curl" => tool("/usr/bin/curl", "curl"),
        "ubuntu" | "debian" => {}
        "wordpress" => {
            tool("/usr/bin/curl", "curl");
            tool("/usr/sbin/apache2", "apache2");
        }
        "redis" => {
            tool("/usr/local/bin/redis-server", "redis-server");
            tool("/usr/local/bin/redis-cli", "redis-cli");
        }
        _ => {}
    }
    if let Some(nginx) = nginx_version(image) {
        for d in [
            "/etc/nginx",
            "/etc/nginx/conf.d",
            "/usr/share/nginx",
            "/usr/share/nginx/html",
        ] {
            files.push((d.to_string(), Entry::Dir));
        }
        files.push((
            "/usr/share/nginx/html/index.html".into(),
            Entry::File(nginx_index(&nginx).into()),
        ));
        files.push((
            "/usr/share/nginx/html/50x.html".into(),
            Entry::File(nginx_50x(&nginx).into()),
        ));
    }
    if repo == "mysql" {
        for d in [
            "/etc/mysql",
            "/etc/mysql/conf.d",
            "/var/lib/mysql",
            "/docker-entrypoint-initdb.d",
        ] {
            files.push((d.to_string(), Entry::Dir));
        }
    }
    files
}
