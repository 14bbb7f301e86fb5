//! `kubectl create SUBCOMMAND`: the generators that build an object from flags — `namespace`, `deployment`,
//! `configmap`, `secret generic`. (`kubectl create -f FILE` is in `apply`.)

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::cluster::Cluster;
use crate::kubectl::flags::{self, flag, Spec};
use crate::kubectl::{home, Context, Output};
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

const FLAGS: &[Spec] = &[
    flag("namespace", Some('n'), true),
    flag("image", None, true),
    flag("replicas", Some('r'), true),
    flag("port", None, true),
    flag("from-literal", None, true),
    flag("from-file", None, true),
    flag("from-env-file", None, true),
    flag("type", None, true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
];

/// `kubectl create SUBCOMMAND NAME [flags]`.
pub fn create(c: &mut Cluster, ctx: &Context, args: &[String]) -> Output {
    let p = match flags::parse(args, FLAGS, "create") {
        Ok(p) => p,
        Err(e) => return Output::err(e),
    };
    let mut words = p.args.iter().map(String::as_str);
    let sub = words.next().unwrap_or("");
    let sub = match sub {
        "secret" => match words.next() {
            Some("generic") => "secret",
            Some(other) => {
                return Output::err(format!(
                    "error: unknown command \"{other}\" for \"kubectl create secret\"\nSee 'kubectl create secret -h' for help and examples"
                ))
            }
            None => return Output::err("error: must specify the type of secret: generic"),
        },
        s => s,
    };
    let Some(name) = words.next().map(str::to_string) else {
        return Output::err(format!(
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
        Err(e) => return Output::err(e),
    };
    let obj = match Object::from_json(kind, value) {
        Ok(o) => o,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    if p.get("dry-run").is_some_and(|d| d != "none") {
        return Output::ok(format!(
            "{}/{name} created (dry run)\n",
            kind.qualified_singular()
        ));
    }
    match c.create(obj) {
        Ok(()) => Output::ok(format!("{}/{name} created\n", kind.qualified_singular())),
        Err(e) => Output::err(e.to_string()),
    }
}

fn deployment(name: &str, ns: &str, p: &flags::Parsed) -> Result<(Kind, Value), String> {
    let images = p.all("image");
    if images.is_empty() {
        return Err("error: required flag(s) \"image\" not set".into());
    }
    let replicas: i32 = match p.get("replicas") {
        Some(r) => r
            .parse()
            .map_err(|_| format!("error: invalid argument \"{r}\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"{r}\": invalid syntax"))?,
        None => 1,
    };
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
