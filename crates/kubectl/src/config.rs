//! The commands about the learner's connection rather than the cluster's objects: `kubectl config` (the
//! kubeconfig kind writes: one cluster, user and context, all named `kind-kind`), `cluster-info`, `auth can-i`
//! and `auth whoami` (the kind user is a cluster admin), and `top` (kind installs no metrics-server).

use serde_json::{json, Value};

use crate::flags::{self, flag, Spec};
use crate::{goyaml, home, jsonpath, Context, Outcome};
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::Service;

/// The one context a kind cluster's kubeconfig has.
pub const CONTEXT: &str = "kind-kind";

/// The API server's address on the learner's machine: kind publishes it on a port of 127.0.0.1 it picks at
/// random; here the cluster's seed picks it.
pub fn server(c: &Cluster) -> String {
    let port = 32768 + (c.config().seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 33) % 28_000;
    format!("https://127.0.0.1:{port}")
}

/// The DNS names on the API server's certificate (kubeadm's: the control-plane node, the `kubernetes`
/// Service's names; kind adds `localhost`), as Go's x509 lists them when `--tls-server-name` is none of them.
const SERVER_CERT_NAMES: &[&str] = &[
    "kind-control-plane",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    "localhost",
];

/// Checks kubectl's global flags against kind's kubeconfig before any command runs: what client-go's
/// clientcmd (`ConfirmUsable`, `ParseTimeout`) and the connection refuse, worded as kubectl's `CheckErr` prints
/// it. Flags that only tune logging or caching pass; the credential and impersonation flags need users this
/// playground does not have, and say so.
pub fn check_globals(c: &Cluster, ctx: &Context, globals: &flags::Parsed) -> Result<(), String> {
    for name in [
        "as",
        "as-group",
        "as-uid",
        "token",
        "username",
        "password",
        "client-certificate",
        "client-key",
        "certificate-authority",
    ] {
        if globals.given(name) {
            return Err(format!(
                "error: \"kubectl --{name}\" is not available in this playground yet: its kubeconfig has one user, {CONTEXT}, a cluster admin"
            ));
        }
    }
    if globals.given("match-server-version") && globals.is_set("match-server-version") {
        return Err("error: \"kubectl --match-server-version\" is not available in this playground yet (the client is v1.34.1, the server v1.35.0: real kubectl refuses)".into());
    }
    if let Some(profile) = globals.get("profile").filter(|p| *p != "none") {
        return Err(format!(
            "error: \"kubectl --profile={profile}\" is not available in this playground yet"
        ));
    }
    if let Some(rc) = globals.get("kuberc").filter(|r| *r != "off") {
        return Err(format!(
            "error: \"kubectl --kuberc={rc}\" is not available in this playground yet"
        ));
    }
    if let Some(path) = globals.get("kubeconfig") {
        let kind_config = home::resolve(ctx, path).is_ok_and(|k| k == ".kube/config");
        if !kind_config {
            if home::read(ctx, path).is_err() {
                return Err(format!("error: stat {path}: no such file or directory"));
            }
            return Err(format!(
                "error: this playground reads one kubeconfig, kind's ~/.kube/config; --kubeconfig={path} is not available"
            ));
        }
    }
    // clientcmd's ConfirmUsable: an unknown context leaves no cluster either; an unknown cluster alone is an
    // empty configuration (CheckErr unwraps the aggregate of one).
    if let Some(context) = globals.get("context").filter(|n| *n != CONTEXT) {
        return Err(format!(
            "Error in configuration: \n* context was not found for specified context: {context}\n* cluster has no server defined"
        ));
    }
    if globals.get("cluster").is_some_and(|n| n != CONTEXT) {
        return Err("error: no configuration has been provided, try setting KUBERNETES_MASTER environment variable".into());
    }
    if let Some(user) = globals.get("user").filter(|n| *n != CONTEXT) {
        return Err(format!(
            "error: \"kubectl --user={user}\" is not available in this playground yet: its kubeconfig has one user, {CONTEXT}"
        ));
    }
    if let Some(t) = globals.get("request-timeout") {
        let seconds = t.parse::<i64>().is_ok_and(|n| n >= 0);
        if !seconds && flags::go_duration_ms(t).is_err() {
            return Err("error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)".into());
        }
    }
    if let Some(s) = globals.get("server") {
        let host_port = |u: &str| {
            let rest = u
                .split_once("://")
                .map_or(u, |(_, r)| r)
                .trim_end_matches('/');
            match rest.strip_prefix("localhost:") {
                Some(port) => format!("127.0.0.1:{port}"),
                None => rest.to_string(),
            }
        };
        let wanted = host_port(&server(c));
        let given = host_port(s);
        if given != wanted {
            return Err(format!(
                "The connection to the server {given} was refused - did you specify the right host or port?"
            ));
        }
    }
    if let Some(name) = globals.get("tls-server-name") {
        if !SERVER_CERT_NAMES.contains(&name) {
            return Err(format!(
                "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for {}, not {name}",
                SERVER_CERT_NAMES.join(", ")
            ));
        }
    }
    Ok(())
}

pub(crate) const CONFIG_FLAGS: &[Spec] = &[
    flag("namespace", Some('n'), true),
    flag("current", None, false),
    flag("minify", None, false),
    flag("raw", None, false),
    flag("flatten", None, false),
    flag("output", Some('o'), true),
    flag("cluster", None, true),
    flag("user", None, true),
];

/// `kubectl config SUBCOMMAND`.
pub fn config(c: &Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, CONFIG_FLAGS, "config") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let words: Vec<&str> = p.args.iter().map(String::as_str).collect();
    let namespace =
        (ctx.namespace_named || ctx.namespace != "default").then_some(ctx.namespace.as_str());
    match words.as_slice() {
        ["current-context"] => Outcome::ok(format!("{CONTEXT}\n")),
        ["get-contexts", rest @ ..] => {
            if let Some(missing) = rest.iter().find(|n| **n != CONTEXT) {
                return Outcome::err(format!("error: context {missing} not found"));
            }
            let rows = vec![vec![
                "*".to_string(),
                CONTEXT.to_string(),
                CONTEXT.to_string(),
                CONTEXT.to_string(),
                namespace.unwrap_or("").to_string(),
            ]];
            Outcome::ok(crate::table::render(
                &["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"],
                &rows,
            ))
        }
        ["get-clusters"] => Outcome::ok(format!("NAME\n{CONTEXT}\n")),
        ["get-users"] => Outcome::ok(format!("NAME\n{CONTEXT}\n")),
        ["use-context", name] | ["use", name] if *name == CONTEXT => {
            Outcome::ok(format!("Switched to context \"{CONTEXT}\".\n"))
        }
        ["use-context", name] | ["use", name] => Outcome::err(format!(
            "error: no context exists with the name: \"{name}\""
        )),
        ["set-context", rest @ ..] => {
            for (flag, value) in [("cluster", p.get("cluster")), ("user", p.get("user"))] {
                if let Some(v) = value.filter(|v| *v != CONTEXT) {
                    return Outcome::err(format!(
                        "error: this playground's kubeconfig has one {flag}, \"{CONTEXT}\"; --{flag}={v} is not available"
                    ));
                }
            }
            let named = rest.first().copied();
            if named.is_none() && !p.is_set("current") {
                return Outcome::err(
                    "error: you must specify a non-empty context name or --current\nSee 'kubectl config set-context -h' for help and examples",
                );
            }
            if named.is_some_and(|n| n != CONTEXT) {
                // kubectl would add a second context; this playground has one cluster and one user.
                return Outcome::err(format!(
                    "error: this playground's kubeconfig has one context, \"{CONTEXT}\""
                ));
            }
            let mut out = Outcome::ok(format!("Context \"{CONTEXT}\" modified.\n"));
            // create_context.go: the namespace as given, also `default`; an empty one is left out.
            if let Some(ns) = p.get("namespace") {
                out.namespace = Some(ns.to_string());
            }
            out
        }
        // --minify keeps the current context's entries: kind's kubeconfig has only those.
        ["view"] if p.is_set("raw") || p.is_set("flatten") => Outcome::err(
            "error: \"kubectl config view --raw/--flatten\" is not available in this playground yet: it has no certificates to show",
        ),
        ["view"] => {
            let doc = kubeconfig(c, namespace);
            match p.get("output") {
                None | Some("yaml") => Outcome::ok(goyaml::document(&doc)),
                Some("json") => Outcome::ok(format!(
                    "{}\n",
                    serde_json::to_string_pretty(&doc).unwrap_or_default()
                )),
                Some(o) if o.starts_with("jsonpath=") => {
                    match jsonpath::render(&o["jsonpath=".len()..], &doc) {
                        Ok(s) => Outcome::ok(s),
                        Err(e) => Outcome::err(e),
                    }
                }
                Some(o) => Outcome::err(format!(
                    "error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,yaml"
                )),
            }
        }
        [] => Outcome::err(
            "error: Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\"\nSee 'kubectl config -h' for help and examples",
        ),
        [other, ..] => Outcome::err(format!(
            "error: unknown command \"{other}\" for \"kubectl config\"\nSee 'kubectl config -h' for help and examples"
        )),
    }
}

/// The kubeconfig as `kubectl config view` shows it, credentials redacted.
fn kubeconfig(c: &Cluster, namespace: Option<&str>) -> Value {
    let mut context = json!({"cluster": CONTEXT, "user": CONTEXT});
    if let Some(ns) = namespace {
        context["namespace"] = Value::String(ns.to_string());
    }
    json!({
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": "DATA+OMITTED", "server": server(c)}, "name": CONTEXT}],
        "contexts": [{"context": context, "name": CONTEXT}],
        "current-context": CONTEXT,
        "kind": "Config",
        "preferences": {},
        "users": [{"name": CONTEXT, "user": {"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}}],
    })
}

/// `kubectl cluster-info`: the control plane, then each kube-system Service labelled as a cluster service,
/// named by its `kubernetes.io/name` label and reached through the API server's proxy.
pub fn cluster_info(c: &Cluster, args: &[String]) -> Outcome {
    if args.iter().any(|a| a == "dump") {
        return Outcome::err(
            "error: \"kubectl cluster-info dump\" is not available in this playground yet",
        );
    }
    let server = server(c);
    let mut text = format!("Kubernetes control plane is running at {server}\n");
    for svc in c.store().list::<Service>(Some("kube-system")) {
        let labels = &svc.metadata.labels;
        if labels
            .get("kubernetes.io/cluster-service")
            .map(String::as_str)
            != Some("true")
        {
            continue;
        }
        let name = labels
            .get("kubernetes.io/name")
            .cloned()
            .unwrap_or_else(|| svc.metadata.name.clone());
        let port = svc
            .spec
            .ports
            .first()
            .and_then(|p| p.name.clone())
            .map(|n| format!(":{n}"))
            .unwrap_or_default();
        text.push_str(&format!(
            "{name} is running at {server}/api/v1/namespaces/kube-system/services/{}{port}/proxy\n",
            svc.metadata.name
        ));
    }
    text.push_str(
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
    Outcome::ok(text)
}

/// `kubectl auth can-i VERB RESOURCE` and `kubectl auth whoami`: kind's user is in `kubeadm:cluster-admins`,
/// bound to cluster-admin, so every request is allowed.
pub fn auth(args: &[String]) -> Outcome {
    let words: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    match words.as_slice() {
        ["can-i", ..] if args.iter().any(|a| a == "--list") => Outcome::err(
            "error: \"kubectl auth can-i --list\" is not available in this playground yet",
        ),
        ["can-i"] | ["can-i", _] => Outcome::err(
            "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples",
        ),
        ["can-i", ..] => Outcome::ok("yes\n".to_string()),
        ["whoami"] => Outcome::ok(crate::table::render(
            &["ATTRIBUTE", "VALUE"],
            &[
                vec!["Username".to_string(), "kubernetes-admin".to_string()],
                vec![
                    "Groups".to_string(),
                    "[kubeadm:cluster-admins system:authenticated]".to_string(),
                ],
            ],
        )),
        [] => Outcome::err("error: Usage: kubectl auth [flags] [options]"),
        [other, ..] => Outcome::err(format!(
            "error: unknown command \"{other}\" for \"kubectl auth\"\nSee 'kubectl auth -h' for help and examples"
        )),
    }
}

/// `kubectl top`: kind runs no metrics-server, so the Metrics API is not there.
pub fn top() -> Outcome {
    Outcome::err("error: Metrics API not available")
}
