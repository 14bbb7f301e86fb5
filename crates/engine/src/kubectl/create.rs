//! `kubectl create SUBCOMMAND`: the generators that build an object from flags — `namespace`, `deployment`,
//! `configmap`, `secret generic`. (`kubectl create -f FILE` is in `apply`.)

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::cluster::Cluster;
use crate::kubectl::flags::{self, flag, int, optional, Spec};
use crate::kubectl::{home, Context, Outcome};
use crate::model::{Kind, Object};

/// The subcommands this module answers.
pub const SUBCOMMANDS: &[&str] = &[
    "namespace",
    "ns",
    "deployment",
    "deploy",
    "configmap",
    "cm",
    "secret",
    "serviceaccount",
    "sa",
];

pub(crate) const FLAGS: &[Spec] = &[
    flag("image", None, true),
    int("replicas", Some('r')),
    flag("port", None, true),
    flag("from-literal", None, true),
    flag("from-file", None, true),
    flag("from-env-file", None, true),
    flag("type", None, true),
    optional("dry-run", "unchanged"),
    flag("output", Some('o'), true),
    flag("template", None, true),
];

/// `kubectl create SUBCOMMAND NAME [flags]`.
pub fn create(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, FLAGS, "create") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let mut words = p.args.iter().map(String::as_str);
    let sub = words.next().unwrap_or("");
    let sub = match sub {
        "secret" => match words.next() {
            Some("generic") => "secret",
            Some(other) => {
                return Outcome::err(format!(
                    "error: unknown command \"{other}\" for \"kubectl create secret\"\nSee 'kubectl create secret -h' for help and examples"
                ))
            }
            None => return Outcome::err("error: must specify the type of secret: generic"),
        },
        s => s,
    };
    let Some(name) = words.next().map(str::to_string) else {
        return Outcome::err(format!(
            "error: exactly one NAME is required, got 0\nSee 'kubectl create {sub} -h' for help and examples"
        ));
    };
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let built = match sub {
        "namespace" | "ns" => Ok((
            Kind::Namespace,
            json!({"metadata": {"name": name}, "spec": {}}),
        )),
        "deployment" | "deploy" => deployment(&name, &ns, &p),
        "serviceaccount" | "sa" => Ok((
            Kind::ServiceAccount,
            json!({"metadata": {"name": name, "namespace": ns}}),
        )),
        "configmap" | "cm" => data(ctx, &p).map(|d| {
            (
                Kind::ConfigMap,
                json!({"metadata": {"name": name, "namespace": ns}, "data": d}),
            )
        }),
        _ => data(ctx, &p).map(|d| {
            let encoded: BTreeMap<String, String> = d
                .into_iter()
                .map(|(k, v)| (k, crate::base64::encode(v.as_bytes())))
                .collect();
            (
                Kind::Secret,
                json!({"metadata": {"name": name, "namespace": ns}, "type": p.get("type").unwrap_or("Opaque"), "data": encoded}),
            )
        }),
    };
    let (kind, value) = match built {
        Ok(b) => b,
        Err(e) => return Outcome::err(e),
    };
    generated(c, ctx, &p, kind, value, "create", "created")
}

/// The end of every generator (`create SUB`, `expose`, `run` without `-i`): the object is created and
/// reported (`kind/name created`, or as `-o` asks); with `--dry-run=client` nothing is sent and the object
/// kubectl built is what `-o` prints.
pub(crate) fn generated(
    c: &mut Cluster,
    ctx: &Context,
    p: &flags::Parsed,
    kind: Kind,
    value: Value,
    verb: &str,
    operation: &str,
) -> Outcome {
    let dry_run = match crate::kubectl::dry_run(p, ctx) {
        Ok(crate::kubectl::DryRun::Server) => {
            return crate::kubectl::server_dry_run_unavailable(verb)
        }
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    let mut printer = match crate::kubectl::printer::ChangePrinter::from_flags(p, ctx) {
        Ok(printer) => printer,
        Err(e) => return Outcome::err(e),
    };
    let mut value = value;
    if let Some(o) = value.as_object_mut() {
        o.remove("apiVersion");
        o.remove("kind");
    }
    let obj = match Object::from_json(kind, value.clone()) {
        Ok(o) => o,
        Err(e) => return Outcome::err(format!("error: {e}")),
    };
    let key = crate::store::ObjectKey::of(&obj);
    let shown = if dry_run == crate::kubectl::DryRun::Client {
        crate::kubectl::printer::client_object(kind, value, p.given("namespace"))
    } else {
        if let Err(e) = c.create(obj) {
            return Outcome::err(e.to_string());
        }
        c.store()
            .get(&key)
            .map(Object::to_json)
            .unwrap_or(Value::Null)
    };
    match printer.print(&shown, &format!("{operation}{}", dry_run.suffix())) {
        Ok(text) => Outcome::ok(text),
        Err(e) => Outcome::err(e),
    }
}

fn deployment(name: &str, ns: &str, p: &flags::Parsed) -> Result<(Kind, Value), String> {
    let images = p.all("image");
    if images.is_empty() {
        return Err("error: required flag(s) \"image\" not set".into());
    }
    let replicas = p.int("replicas").unwrap_or(1);
    // One container per image, named after the image as kubectl names them.
    let containers: Vec<Value> = images
        .iter()
        .map(|image| {
            let base = image
                .rsplit('/')
                .next()
                .unwrap_or(image)
                .split([':', '@'])
                .next()
                .unwrap_or(image);
            let mut ctr = json!({"name": base, "image": image});
            if let Some(port) = p.get("port").and_then(|x| x.parse::<i64>().ok()) {
                ctr["ports"] = json!([{"containerPort": port}]);
            }
            ctr
        })
        .collect();
    Ok((
        Kind::Deployment,
        json!({
            "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": name}},
                "template": {
                    "metadata": {"labels": {"app": name}},
                    "spec": {"containers": containers}
                }
            }
        }),
    ))
}

/// `--from-literal=k=v`, `--from-file=[key=]path`, `--from-env-file=path` into data.
fn data(ctx: &Context, p: &flags::Parsed) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for lit in p.all("from-literal") {
        let Some((k, v)) = lit.split_once('=') else {
            return Err(format!(
                "error: invalid literal source {lit}, expected key=value"
            ));
        };
        out.insert(k.to_string(), v.to_string());
    }
    for f in p.all("from-file") {
        let (key, path) = match f.split_once('=') {
            Some((k, path)) => (k.to_string(), path),
            None => (f.rsplit('/').next().unwrap_or(f).to_string(), f.as_str()),
        };
        let text = home::read(ctx, path)
            .map_err(|_| format!("error: error reading {path}: no such file or directory"))?;
        out.insert(key, text);
    }
    for f in p.all("from-env-file") {
        let text = home::read(ctx, f)
            .map_err(|_| format!("error: error reading {f}: no such file or directory"))?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            out.insert(k.to_string(), v.to_string());
        }
    }
    Ok(out)
}

/// A selector read from an object, or why it has none that a Service can use.
type SelectorOrWhy = Result<BTreeMap<String, String>, String>;

pub(crate) const EXPOSE_FLAGS: &[Spec] = &[
    flag("port", None, true),
    flag("target-port", None, true),
    flag("name", None, true),
    flag("type", None, true),
    flag("protocol", None, true),
    flag("selector", None, true),
    flag("labels", Some('l'), true),
    flag("cluster-ip", None, true),
    flag("external-ip", None, true),
    flag("session-affinity", None, true),
    optional("dry-run", "unchanged"),
    flag("output", Some('o'), true),
    flag("template", None, true),
];

/// `kubectl expose TYPE NAME`: a Service for a pod, Service, Deployment or ReplicaSet, its selector and ports
/// read from the object unless given (expose.go). StatefulSets cannot be exposed this way.
pub fn expose(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    use crate::store::ObjectKey;
    let p = match flags::parse(args, EXPOSE_FLAGS, "expose") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let (kind, name) = match p.args.as_slice() {
        [t, n] => match crate::kubectl::resolve_kind(t) {
            Some(k) => (k, n.clone()),
            None => return Outcome::err(crate::kubectl::unknown_type(t)),
        },
        [tn] => match tn.split_once('/').and_then(|(t, n)| Some((crate::kubectl::resolve_kind(t)?, n))) {
            Some((k, n)) => (k, n.to_string()),
            None => return Outcome::err(crate::kubectl::unknown_type(tn.split('/').next().unwrap_or(tn))),
        },
        _ => {
            return Outcome::err(
                "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
            )
        }
    };
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let Some(obj) = c.store().get(&ObjectKey::new(kind, &ns, &name)).cloned() else {
        return Outcome::err(crate::api::ApiError::not_found(kind, &name).to_string());
    };
    let group_kind = if kind.info().group.is_empty() {
        kind.info().kind.to_string()
    } else {
        format!("{}.{}", kind.info().kind, kind.info().group)
    };
    // The object's selector as a map, and its ports (with protocols) from the pod template.
    let (selector, ports): (SelectorOrWhy, Vec<(i64, String)>) = {
        let container_ports = |spec: &crate::model::PodSpec| -> Vec<(i64, String)> {
            spec.containers
                .iter()
                .flat_map(|c| &c.ports)
                .map(|p| {
                    (
                        p.container_port,
                        p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                    )
                })
                .collect()
        };
        let from_selector = |sel: &Option<crate::model::LabelSelector>| match sel {
            Some(s) if !s.match_expressions.is_empty() => Err(format!(
                "couldn't convert expressions - \"{:?}\" to map-based selector format",
                s.match_expressions
            )),
            Some(s) => Ok(s.match_labels.clone()),
            None => Ok(BTreeMap::new()),
        };
        match &obj {
            Object::Pod(pod) if pod.metadata.labels.is_empty() => (
                Err("the pod has no labels and cannot be exposed".into()),
                Vec::new(),
            ),
            Object::Pod(pod) => (Ok(pod.metadata.labels.clone()), container_ports(&pod.spec)),
            Object::Service(svc) if svc.spec.selector.is_empty() => (
                Err("the service has no pod selector set".into()),
                Vec::new(),
            ),
            Object::Service(svc) => (
                Ok(svc.spec.selector.clone()),
                svc.spec
                    .ports
                    .iter()
                    .map(|p| (p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
                    .collect(),
            ),
            Object::Deployment(d) => (
                from_selector(&d.spec.selector),
                container_ports(&d.spec.template.spec),
            ),
            Object::ReplicaSet(r) => (
                from_selector(&r.spec.selector),
                container_ports(&r.spec.template.spec),
            ),
            _ => return Outcome::err(format!("error: cannot expose a {group_kind}")),
        }
    };
    let selector = match p.get("selector") {
        Some(s) => s
            .split(',')
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect(),
        None => match selector {
            Ok(s) => s,
            Err(e) => {
                return Outcome::err(format!(
                    "error: couldn't retrieve selectors via --selector flag or introspection: {e}"
                ))
            }
        },
    };
    let headless = p.get("cluster-ip") == Some("None");
    let ports: Vec<(i64, String)> = match p.get("port") {
        Some(port) => match port.parse::<i64>() {
            Ok(n) => vec![(n, p.get("protocol").unwrap_or("TCP").to_string())],
            Err(_) => {
                return Outcome::err(format!(
                    "error: strconv.Atoi: parsing \"{port}\": invalid syntax"
                ))
            }
        },
        None if ports.is_empty() && !headless => {
            return Outcome::err("error: couldn't find port via --port flag or introspection")
        }
        None => ports,
    };
    let target = p.get("target-port").map(|t| match t.parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) => json!(t),
    });
    let many = ports.len() > 1;
    let port_list: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, proto))| {
            let mut v = json!({
                "port": port,
                "protocol": p.get("protocol").unwrap_or(proto),
                "targetPort": target.clone().unwrap_or_else(|| json!(port)),
            });
            if many {
                v["name"] = json!(format!("port-{}", i + 1));
            }
            v
        })
        .collect();
    let svc_name = p
        .get("name")
        .map(str::to_string)
        .unwrap_or_else(|| name.chars().take(63).collect());
    let labels: BTreeMap<String, String> = match p.get("labels") {
        Some(l) => l
            .split(',')
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect(),
        None => obj.meta().labels.clone(),
    };
    let mut spec = json!({"selector": selector, "ports": port_list});
    if let Some(t) = p.get("type") {
        spec["type"] = json!(t);
    }
    if let Some(ip) = p.get("cluster-ip") {
        spec["clusterIP"] = json!(ip);
    }
    if let Some(ip) = p.get("external-ip") {
        spec["externalIPs"] = json!([ip]);
    }
    if let Some(a) = p.get("session-affinity") {
        spec["sessionAffinity"] = json!(a);
    }
    let mut meta = json!({"name": svc_name, "namespace": ns});
    if !labels.is_empty() {
        meta["labels"] = json!(labels);
    }
    generated(
        c,
        ctx,
        &p,
        Kind::Service,
        json!({"metadata": meta, "spec": spec}),
        "expose",
        "exposed",
    )
}
