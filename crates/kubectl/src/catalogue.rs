//! The tutorial manifests learners fetch by URL (`kubectl apply -f https://k8s.io/examples/…`, `curl -LO …`),
//! kept offline in `catalogue/`: classroom laptops have no internet, and the lessons must still work. Each file
//! is the one kubernetes.io serves at that path (`catalogue/README.md` names its upstream commit), because a
//! tutorial's later steps (an image patch that must roll, a re-apply that must change nothing) only behave as
//! the page says with the page's own manifest.

/// Each file by its path under `examples/` on kubernetes.io.
const FILES: &[(&str, &str)] = &[
    (
        "application/web/web.yaml",
        include_str!("../catalogue/application/web/web.yaml"),
    ),
    (
        "application/web/web-parallel.yaml",
        include_str!("../catalogue/application/web/web-parallel.yaml"),
    ),
    (
        "application/mysql/mysql-configmap.yaml",
        include_str!("../catalogue/application/mysql/mysql-configmap.yaml"),
    ),
    (
        "application/mysql/mysql-services.yaml",
        include_str!("../catalogue/application/mysql/mysql-services.yaml"),
    ),
    (
        "application/mysql/mysql-statefulset.yaml",
        include_str!("../catalogue/application/mysql/mysql-statefulset.yaml"),
    ),
    (
        "application/wordpress/mysql-deployment.yaml",
        include_str!("../catalogue/application/wordpress/mysql-deployment.yaml"),
    ),
    (
        "application/wordpress/wordpress-deployment.yaml",
        include_str!("../catalogue/application/wordpress/wordpress-deployment.yaml"),
    ),
];

/// What fetching `url` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The file's contents.
    File(&'static str),
    /// The site answered, but has no such file.
    NotFound,
    /// The host is not one the playground can reach (the classroom is offline).
    NoSuchHost(String),
}

/// Whether `word` looks like a URL kubectl or curl would fetch.
pub fn is_url(word: &str) -> bool {
    word.starts_with("http://") || word.starts_with("https://")
}

/// The host of `url`.
pub fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

/// Fetches `url`: kubernetes.io's examples (under `k8s.io/examples/`, `kubernetes.io/examples/` or the
/// website repository on raw.githubusercontent.com) come from the offline copies.
pub fn fetch(url: &str) -> Fetched {
    let host = host(url);
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest[host.len()..].split(['?', '#']).next().unwrap_or("");
    let examples = match host {
        "k8s.io" | "kubernetes.io" | "www.kubernetes.io" => path.strip_prefix("/examples/"),
        "raw.githubusercontent.com" => path
            .strip_prefix("/kubernetes/website/")
            .and_then(|p| p.split_once("/content/en/examples/"))
            .map(|(_, p)| p),
        _ => return Fetched::NoSuchHost(host.to_string()),
    };
    examples
        .and_then(|p| FILES.iter().find(|(name, _)| *name == p))
        .map_or(Fetched::NotFound, |(_, text)| Fetched::File(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorial_urls_are_served_offline() {
        for url in [
            "https://k8s.io/examples/application/mysql/mysql-statefulset.yaml",
            "https://kubernetes.io/examples/application/web/web.yaml",
            "https://k8s.io/examples/application/web/web-parallel.yaml",
            "https://k8s.io/examples/application/wordpress/wordpress-deployment.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/application/mysql/mysql-services.yaml",
        ] {
            assert!(matches!(fetch(url), Fetched::File(_)), "{url}");
        }
        assert_eq!(
            fetch("https://k8s.io/examples/nope.yaml"),
            Fetched::NotFound
        );
        assert_eq!(
            fetch("https://example.com/app.yaml"),
            Fetched::NoSuchHost("example.com".into())
        );
        for (_, text) in FILES {
            assert!(ordinal_engine::manifest::parse(text, "x").is_ok());
        }
    }

    #[test]
    fn the_readme_says_where_every_file_comes_from() {
        let readme = include_str!("../catalogue/README.md");
        for (path, _) in FILES {
            assert!(
                readme.contains(&format!("https://k8s.io/examples/{path}`"))
                    && readme.contains(&format!("`{path}`")),
                "{path} has no row in catalogue/README.md"
            );
        }
    }
}
