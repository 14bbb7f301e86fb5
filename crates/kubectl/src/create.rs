//! `kubectl create SUBCOMMAND`: the generators that build an object from flags (kubernetes/kubectl
//! `pkg/cmd/create/create_*.go`) — `namespace`, `deployment`, `configmap`, `secret generic`,
//! `serviceaccount`, `service clusterip|nodeport|loadbalancer|externalname` — each with its own flags, the
//! object it builds (what `--dry-run=client -o yaml` prints) and its errors; `expose` and `run` end the same
//! way. (`kubectl create -f FILE` is in `apply`.)

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::flags::{self, flag, int, optional, Spec};
use crate::{home, Context, Outcome};
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::{Kind, Object};

/// Every `kubectl create` subcommand (create.go `NewCmdCreate`), with its aliases.
pub const SUBCOMMANDS: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cm",
    "cronjob",
    "cj",
    "deployment",
    "deploy",
    "ingress",
    "ing",
    "job",
    "namespace",
    "ns",
    "poddisruptionbudget",
    "pdb",
    "priorityclass",
    "pc",
    "quota",
    "resourcequota",
    "role",
    "rolebinding",
    "secret",
    "service",
    "svc",
    "serviceaccount",
    "sa",
    "token",
];

/// What every generator declares: PrintFlags, AddApplyAnnotationFlags, AddValidateFlags, AddDryRunFlag and
/// the field manager.
const COMMON: &[Spec] = &[
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("allow-missing-template-keys", None, false),
    flag("show-managed-fields", None, false),
    flag("save-config", None, false),
    optional("validate", "strict"),
    optional("dry-run", "unchanged"),
    flag("field-manager", None, true),
];

const DEPLOYMENT: &[Spec] = &[
    flag("image", None, true),
    int("port", None),
    int("replicas", Some('r')),
];

const CONFIGMAP: &[Spec] = &[
    flag("from-file", None, true),
    flag("from-literal", None, true),
    flag("from-env-file", None, true),
    flag("append-hash", None, false),
];

const SECRET_GENERIC: &[Spec] = &[
    flag("from-file", None, true),
    flag("from-literal", None, true),
    flag("from-env-file", None, true),
    flag("type", None, true),
    flag("append-hash", None, false),
];

const SERVICE_CLUSTERIP: &[Spec] = &[flag("tcp", None, true), flag("clusterip", None, true)];
const SERVICE_NODEPORT: &[Spec] = &[flag("tcp", None, true), int("node-port", None)];
const SERVICE_LOADBALANCER: &[Spec] = &[flag("tcp", None, true)];
const SERVICE_EXTERNALNAME: &[Spec] = &[flag("tcp", None, true), flag("external-name", None, true)];

/// Every flag some `create` subcommand declares, for completion.
pub(crate) const FLAGS: &[Spec] = &[
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("allow-missing-template-keys", None, false),
    flag("show-managed-fields", None, false),
    flag("save-config", None, false),
    optional("validate", "strict"),
    optional("dry-run", "unchanged"),
    flag("field-manager", None, true),
    flag("image", None, true),
    int("port", None),
    int("replicas", Some('r')),
    flag("from-file", None, true),
    flag("from-literal", None, true),
    flag("from-env-file", None, true),
    flag("type", None, true),
    flag("append-hash", None, false),
    flag("tcp", None, true),
    flag("clusterip", None, true),
    int("node-port", None),
    flag("external-name", None, true),
];

/// A generator this playground runs: its command path after `create`, its own flags, and how a failed
/// create is reported (`failed to create deployment: …`; namespace returns the API error as it is).
struct Generator {
    path: &'static str,
    flags: &'static [Spec],
    failed: Option<&'static str>,
}

/// The generator for `words` (the subcommand words after `create`, aliases allowed), or what kubectl says
/// instead.
fn generator(words: &[&str]) -> Result<Generator, String> {
    let g = |path, flags, failed| {
        Ok(Generator {
            path,
            flags,
            failed,
        })
    };
    match words {
        ["namespace" | "ns", ..] => g("namespace", &[], None),
        ["deployment" | "deploy", ..] => g(
            "deployment",
            DEPLOYMENT,
            Some("failed to create deployment: "),
        ),
        ["configmap" | "cm", ..] => g("configmap", CONFIGMAP, Some("failed to create configmap: ")),
        ["serviceaccount" | "sa", ..] => g(
            "serviceaccount",
            &[],
            Some("failed to create serviceaccount: "),
        ),
        ["secret", "generic", ..] => g(
            "secret generic",
            SECRET_GENERIC,
            Some("failed to create secret "),
        ),
        ["service" | "svc", "clusterip", ..] => g(
            "service clusterip",
            SERVICE_CLUSTERIP,
            Some("failed to create ClusterIP service: "),
        ),
        ["service" | "svc", "nodeport", ..] => g(
            "service nodeport",
            SERVICE_NODEPORT,
            Some("failed to create NodePort service: "),
        ),
        ["service" | "svc", "loadbalancer", ..] => g(
            "service loadbalancer",
            SERVICE_LOADBALANCER,
            Some("failed to create LoadBalancer service: "),
        ),
        ["service" | "svc", "externalname", ..] => g(
            "service externalname",
            SERVICE_EXTERNALNAME,
            Some("failed to create ExternalName service: "),
        ),
        ["secret", sub @ ("tls" | "docker-registry"), ..] => Err(format!(
            "error: \"kubectl create secret {sub}\" is not available in this playground yet"
        )),
        // cmdutil.DefaultSubCommandRun: the group's help on stderr, or RequireNoArguments' error.
        ["secret"] => Err(SECRET_HELP.to_string()),
        ["service" | "svc"] => Err(SERVICE_HELP.to_string()),
        ["secret", rest @ ..] => Err(format!(
            "error: unknown command \"{}\"\nSee 'kubectl create secret -h' for help and examples",
            rest.join(" ")
        )),
        ["service" | "svc", rest @ ..] => Err(format!(
            "error: unknown command \"{}\"\nSee 'kubectl create service -h' for help and examples",
            rest.join(" ")
        )),
        [other, ..] => Err(format!(
            "error: \"kubectl create {other}\" is not available in this playground yet"
        )),
        [] => Err("error: must specify one of -f and -k".to_string()),
    }
}

/// `kubectl create secret` alone: its help (templates.MainHelpTemplate and MainUsageTemplate).
const SECRET_HELP: &str = "Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS certificate and its associated key.\n\nAvailable Commands:\n  docker-registry   Create a secret for use with a Docker registry\n  generic           Create a secret from a local file, directory, or literal value\n  tls               Create a TLS secret\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n\nUse \"kubectl create secret <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).";

/// `kubectl create service` alone: its help.
const SERVICE_HELP: &str = "Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).";

/// `kubectl create SUBCOMMAND NAME [flags] [-- COMMAND…]`.
pub fn create(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    // The words before `--` are kubectl's; a deployment runs what follows (cobra's ArgsLenAtDash).
    let (args, command) = match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], args[i + 1..].to_vec()),
        None => (args, Vec::new()),
    };
    // cobra finds the subcommand among the words that are not flags (nor a flag's value).
    // (A flag no generator has is refused below, by the subcommand's own parse, with its usage hint.)
    let words = match flags::parse(args, FLAGS, "create") {
        Ok(p) => p.args,
        Err(_) => args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .cloned()
            .collect(),
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let generator = match generator(&words) {
        Ok(g) => g,
        Err(e) => return Outcome::err(e),
    };
    let depth = generator.path.split(' ').count();
    let specs: Vec<Spec> = COMMON.iter().chain(generator.flags).copied().collect();
    let command_path = format!("create {}", generator.path);
    let p = match flags::parse(args, &specs, &command_path) {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    // create.go NameFromCommandArgs.
    let names = &p.args[depth.min(p.args.len())..];
    let [name] = names else {
        return Outcome::err(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl {command_path} -h' for help and examples",
            names.len()
        ));
    };
    let name = name.clone();
    let ns = p.namespace(&ctx.namespace).to_string();
    let built = match generator.path {
        "namespace" => Ok((Kind::Namespace, json!({"metadata": {"name": name}}))),
        "deployment" => deployment(c, &name, &ns, &p, &command),
        "serviceaccount" => Ok((
            Kind::ServiceAccount,
            json!({"metadata": {"name": name, "namespace": ns}}),
        )),
        "configmap" => config_map(ctx, &name, &ns, &p),
        "secret generic" => secret(ctx, &name, &ns, &p),
        service => service_of(service.trim_start_matches("service "), &name, &ns, &p),
    };
    let (kind, value) = match built {
        Ok(b) => b,
        Err(e) => return Outcome::err(e),
    };
    generate(
        c,
        ctx,
        &p,
        kind,
        value,
        "create",
        "created",
        generator.failed,
    )
}

/// The end of every generator (`create SUB`, `expose`, `run` without `-i`): the object is created and
/// reported (`kind/name created`, or as `-o` asks); with `--dry-run=client` nothing is sent and the object
/// kubectl built is what `-o` prints. `--save-config` records it in the last-applied annotation
/// (cmdutil `CreateOrUpdateAnnotation`), so a later `kubectl apply` finds it.
pub(crate) fn generated(
    c: &mut Cluster,
    ctx: &Context,
    p: &flags::Parsed,
    kind: Kind,
    value: Value,
    verb: &str,
    operation: &str,
) -> Outcome {
    generate(c, ctx, p, kind, value, verb, operation, None)
}

/// [`generated`], a failed create reported as `error: {failed}{the API server's message}` when the command
/// wraps it (create_deployment.go `failed to create deployment: %v`), or as the API error itself.
#[allow(clippy::too_many_arguments)]
fn generate(
    c: &mut Cluster,
    ctx: &Context,
    p: &flags::Parsed,
    kind: Kind,
    value: Value,
    verb: &str,
    operation: &str,
    failed: Option<&str>,
) -> Outcome {
    let dry_run = match crate::dry_run(p, ctx) {
        Ok(crate::DryRun::Server) => return crate::server_dry_run_unavailable(verb),
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    let mut printer = match crate::printer::ChangePrinter::from_flags(p, ctx) {
        Ok(printer) => printer,
        Err(e) => return Outcome::err(e),
    };
    let mut value = value;
    if let Some(o) = value.as_object_mut() {
        o.remove("apiVersion");
        o.remove("kind");
    }
    if p.is_set("save-config") {
        let built = crate::printer::client_object(kind, value.clone(), p.given("namespace"));
        let text = ordinal_engine::gojson::go_json(&built);
        if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
            let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
            if let Some(a) = annotations.as_object_mut() {
                a.insert(
                    ordinal_engine::api::LAST_APPLIED.to_string(),
                    Value::String(format!("{text}\n")),
                );
            }
        }
    }
    let obj = match Object::from_json(kind, value.clone()) {
        Ok(o) => o,
        Err(e) => return Outcome::err(format!("error: {e}")),
    };
    let key = ordinal_engine::store::ObjectKey::of(&obj);
    let shown = if dry_run == crate::DryRun::Client {
        crate::printer::client_object(kind, value, p.given("namespace"))
    } else {
        if let Err(e) = c.create(obj) {
            return Outcome::err(match failed {
                Some(prefix) => format!("error: {prefix}{}", e.status_message()),
                None => e.to_string(),
            });
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

/// A StringSlice flag's values (pflag reads each as comma-separated values).
fn slice(p: &flags::Parsed, long: &str) -> Vec<String> {
    p.all(long)
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// create_deployment.go `createDeployment`: one container per `--image` (named after the image, without
/// registry, tag or digest; `.` and `_` make the name kubectl's with a random suffix), the command after `--`
/// in each, `--port` on the first, the `app: NAME` label as selector.
fn deployment(
    c: &mut Cluster,
    name: &str,
    ns: &str,
    p: &flags::Parsed,
    command: &[String],
) -> Result<(Kind, Value), String> {
    let images = slice(p, "image");
    if !p.given("image") {
        return Err("error: required flag(s) \"image\" not set".into());
    }
    if images.len() > 1 && !command.is_empty() {
        return Err("error: cannot specify multiple --image options and command".into());
    }
    let replicas = p.int("replicas").unwrap_or(1);
    let mut containers: Vec<Value> = images
        .iter()
        .map(|image| {
            let last = image.rsplit('/').next().unwrap_or(image);
            let base = last.split(':').next().unwrap_or(last);
            let base = base.split('@').next().unwrap_or(base);
            let container_name = if base.contains(['_', '.']) {
                format!("{}-{}", base.replace(['_', '.'], "-"), c.name_suffix(5))
            } else {
                base.to_string()
            };
            let mut ctr = json!({"name": container_name, "image": image});
            if !command.is_empty() {
                ctr["command"] = json!(command);
            }
            ctr
        })
        .collect();
    if let (Some(port), Some(first)) = (p.int("port").filter(|p| *p >= 0), containers.first_mut()) {
        first["ports"] = json!([{"containerPort": port}]);
    }
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

/// create_configmap.go `createConfigMap`: data from the sources, `--append-hash` naming it after a hash of
/// its content (kubectl's hash.ConfigMapHash).
fn config_map(
    ctx: &Context,
    name: &str,
    ns: &str,
    p: &flags::Parsed,
) -> Result<(Kind, Value), String> {
    let data = data(ctx, p, "configmap")?;
    let name = if p.is_set("append-hash") {
        let input = json!({"data": data, "kind": "ConfigMap", "name": name});
        format!("{name}-{}", name_hash(&input))
    } else {
        name.to_string()
    };
    let mut value = json!({"metadata": {"name": name, "namespace": ns}});
    if !data.is_empty() {
        value["data"] = json!(data);
    }
    Ok((Kind::ConfigMap, value))
}

/// create_secret.go `createSecret`: the sources base64-encoded; `--type` only when given (the API server
/// defaults it to Opaque).
fn secret(ctx: &Context, name: &str, ns: &str, p: &flags::Parsed) -> Result<(Kind, Value), String> {
    let mut data: BTreeMap<String, String> = data(ctx, p, "secret")?;
    for v in data.values_mut() {
        *v = ordinal_engine::base64::encode(v.as_bytes());
    }
    let type_ = p.get("type").unwrap_or("");
    let name = if p.is_set("append-hash") {
        let input = json!({"data": data, "kind": "Secret", "name": name, "type": type_});
        format!("{name}-{}", name_hash(&input))
    } else {
        name.to_string()
    };
    let mut value = json!({"metadata": {"name": name, "namespace": ns}});
    if !data.is_empty() {
        value["data"] = json!(data);
    }
    if !type_.is_empty() {
        value["type"] = json!(type_);
    }
    Ok((Kind::Secret, value))
}

/// kubectl's `hash.encodeHash(hash(json))`: SHA-256 of the JSON (keys sorted, as json.Marshal sorts a map),
/// its first ten hex digits with the vowels and look-alikes swapped out.
fn name_hash(input: &Value) -> String {
    let text = ordinal_engine::gojson::go_json(input);
    let hex: String = ordinal_engine::sha256::sha256(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    crate::kustomize::encode_hash(&hex)
}

/// create_service.go `createService` for one service type: a port per `--tcp` (`PORT` or `PORT:TARGET`,
/// named after it with `:` as `-`), the `app: NAME` label and selector, `--clusterip`, `--node-port` and
/// `--external-name`, checked as `Validate` checks them.
fn service_of(
    type_word: &str,
    name: &str,
    ns: &str,
    p: &flags::Parsed,
) -> Result<(Kind, Value), String> {
    let service_type = match type_word {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        _ => "ExternalName",
    };
    let tcp = slice(p, "tcp");
    let cluster_ip = p.get("clusterip").unwrap_or("");
    let external_name = p.get("external-name").unwrap_or("");
    if service_type == "ExternalName" && !p.given("external-name") {
        return Err("error: required flag(s) \"external-name\" not set".into());
    }
    if cluster_ip == "None" && service_type != "ClusterIP" {
        return Err("error: ClusterIP=None can only be used with ClusterIP service type".into());
    }
    if cluster_ip != "None" && tcp.is_empty() && service_type != "ExternalName" {
        return Err("error: at least one tcp port specifier must be provided".into());
    }
    if service_type == "ExternalName" && !is_dns1123_subdomain(external_name) {
        return Err(format!(
            "error: invalid service external name {external_name}"
        ));
    }
    let node_port = p.int("node-port").unwrap_or(0);
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port, target) = parse_ports(spec).map_err(|e| format!("error: {e}"))?;
        let mut entry = json!({
            "name": spec.replace(':', "-"),
            "port": port,
            "protocol": "TCP",
            "targetPort": target,
        });
        if node_port != 0 {
            entry["nodePort"] = json!(node_port);
        }
        ports.push(entry);
    }
    let mut spec = json!({"selector": {"app": name}, "type": service_type});
    if !ports.is_empty() {
        spec["ports"] = json!(ports);
    }
    if !cluster_ip.is_empty() {
        spec["clusterIP"] = json!(cluster_ip);
    }
    if !external_name.is_empty() {
        spec["externalName"] = json!(external_name);
    }
    Ok((
        Kind::Service,
        json!({"metadata": {"name": name, "namespace": ns, "labels": {"app": name}}, "spec": spec}),
    ))
}

/// create_service.go `parsePorts`: `PORT` (the target is the same) or `PORT:TARGET`, the target a number or
/// a port name, each checked as k8s.io/utils/net `ParsePort` and apimachinery's validation check them.
fn parse_ports(spec: &str) -> Result<(i64, Value), String> {
    let mut parts = spec.split(':');
    let first = parts.next().unwrap_or("");
    // strconv.ParseUint(port, 10, 16).
    let port: i64 = match first.parse::<u64>() {
        Ok(n) if n <= 65535 => n as i64,
        Ok(_) => {
            return Err(format!(
                "strconv.ParseUint: parsing \"{first}\": value out of range"
            ))
        }
        Err(_) if !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(format!(
                "strconv.ParseUint: parsing \"{first}\": value out of range"
            ))
        }
        Err(_) => {
            return Err(format!(
                "strconv.ParseUint: parsing \"{first}\": invalid syntax"
            ))
        }
    };
    let Some(target) = parts.next() else {
        return Ok((port, json!(port)));
    };
    match target.parse::<i64>() {
        Ok(n) if (1..=65535).contains(&n) => Ok((port, json!(n))),
        Ok(_) => Err("must be between 1 and 65535, inclusive".to_string()),
        Err(_) => match port_name_errors(target) {
            errors if errors.is_empty() => Ok((port, json!(target))),
            errors => Err(errors.join(",")),
        },
    }
}

/// apimachinery validation `IsValidPortName`: at most 15 characters of `a-z`, `0-9` and `-`, at least one
/// letter, no `-` at either end nor two together.
fn port_name_errors(name: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if name.len() > 15 {
        errors.push("must be no more than 15 characters".to_string());
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)".to_string());
    }
    if name.contains("--") {
        errors.push("must not contain consecutive hyphens".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        errors.push("must not begin or end with a hyphen".to_string());
    }
    errors
}

/// apimachinery validation `IsDNS1123Subdomain`.
fn is_dns1123_subdomain(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// `--from-literal=k=v`, `--from-file=[key=]path`, `--from-env-file=path` into data, as the configmap and
/// secret generators read them (`--from-env-file` alone).
fn data(ctx: &Context, p: &flags::Parsed, what: &str) -> Result<BTreeMap<String, String>, String> {
    let files = slice(p, "from-file");
    let env_files = slice(p, "from-env-file");
    let literals = p.all("from-literal");
    if !env_files.is_empty() && (!files.is_empty() || !literals.is_empty()) {
        return Err(
            "error: from-env-file cannot be combined with from-file or from-literal".to_string(),
        );
    }
    let mut out = BTreeMap::new();
    let mut add = |key: String, value: String| -> Result<(), String> {
        if out.contains_key(&key) {
            let (holder, kind) = if what == "secret" {
                ("Data", "Secret")
            } else {
                ("Data", "ConfigMap")
            };
            return Err(format!(
                "error: cannot add key {key}, another key by that name already exists in {holder} for {kind} \"\""
            ));
        }
        out.insert(key, value);
        Ok(())
    };
    // The secret generator reads literals first, the configmap generator files first.
    let read_literals = |add: &mut dyn FnMut(String, String) -> Result<(), String>| {
        for lit in literals {
            match lit.split_once('=') {
                Some((k, v)) if !k.is_empty() => add(k.to_string(), v.to_string())?,
                _ => {
                    return Err(format!(
                        "error: invalid literal source {lit}, expected key=value"
                    ))
                }
            }
        }
        Ok::<(), String>(())
    };
    let read_files = |add: &mut dyn FnMut(String, String) -> Result<(), String>| {
        for f in &files {
            let (key, path) = match f.split_once('=') {
                Some((k, path)) => (k.to_string(), path),
                None => (f.rsplit('/').next().unwrap_or(f).to_string(), f.as_str()),
            };
            let text = home::read(ctx, path)
                .map_err(|_| format!("error: error reading {path}: no such file or directory"))?;
            add(key, text)?;
        }
        Ok::<(), String>(())
    };
    if what == "secret" {
        read_literals(&mut add)?;
        read_files(&mut add)?;
    } else {
        read_files(&mut add)?;
        read_literals(&mut add)?;
    }
    for f in &env_files {
        let text = home::read(ctx, f)
            .map_err(|_| format!("error: error reading {f}: no such file or directory"))?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            add(k.to_string(), v.to_string())?;
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
    use ordinal_engine::store::ObjectKey;
    let p = match flags::parse(args, EXPOSE_FLAGS, "expose") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let (kind, name) = match p.args.as_slice() {
        [t, n] => match crate::resolve_kind(t) {
            Some(k) => (k, n.clone()),
            None => return Outcome::err(crate::unknown_type(t)),
        },
        [tn] => match tn.split_once('/').and_then(|(t, n)| Some((crate::resolve_kind(t)?, n))) {
            Some((k, n)) => (k, n.to_string()),
            None => return Outcome::err(crate::unknown_type(tn.split('/').next().unwrap_or(tn))),
        },
        _ => {
            return Outcome::err(
                "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
            )
        }
    };
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let Some(obj) = c.store().get(&ObjectKey::new(kind, &ns, &name)).cloned() else {
        return Outcome::err(ordinal_engine::api::ApiError::not_found(kind, &name).to_string());
    };
    let group_kind = if kind.info().group.is_empty() {
        kind.info().kind.to_string()
    } else {
        format!("{}.{}", kind.info().kind, kind.info().group)
    };
    // The object's selector as a map, and its ports (with protocols) from the pod template.
    let (selector, ports): (SelectorOrWhy, Vec<(i64, String)>) = {
        let container_ports = |spec: &ordinal_engine::model::PodSpec| -> Vec<(i64, String)> {
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
        let from_selector = |sel: &Option<ordinal_engine::model::LabelSelector>| match sel {
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
        Some(l) => {
            let mut labels = BTreeMap::new();
            labels.extend(l.split(',').filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            }));
            labels
        }
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
