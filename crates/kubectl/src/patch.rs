//! The three patch formats the API server accepts, and the commands that end in a patch: `kubectl patch`,
//! `label`, `annotate` and `set image`.
//!
//! - **Strategic merge** (the default for built-in kinds): maps merge key by key, `null` deletes a key, and
//!   lists the API marks with a merge key (containers by `name`, ports by `containerPort`, volume mounts by
//!   `mountPath`, …) merge element by element; other lists are replaced. The directives `$patch: replace`,
//!   `$patch: delete` and `$retainKeys` work as in apimachinery's strategicpatch.
//! - **JSON merge** (RFC 7386, `--type=merge`): like the above but every list is replaced.
//! - **JSON patch** (RFC 6902, `--type=json`): a list of add/remove/replace/move/copy/test operations on JSON
//!   pointers, failing with the server's `jsonpatch … operation does not apply` messages.

use serde_json::{Map, Value};

use crate::flags::{self, flag, optional, Spec};
use crate::{targets, Context, Outcome};
use ordinal_engine::api::ApiError;
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::{Kind, Object};
use ordinal_engine::store::ObjectKey;

use ordinal_engine::model::merge_key;

/// Lists of scalars that merge as sets rather than being replaced.
fn merges_as_set(field: &str) -> bool {
    field == "finalizers"
}

/// Applies a strategic merge patch to `target`.
pub fn strategic_merge(target: &mut Value, patch: &Value) -> Result<(), String> {
    merge_map(target, patch, false, true)
}

/// Applies a JSON merge patch (RFC 7386) to `target`.
pub fn json_merge(target: &mut Value, patch: &Value) {
    // A JSON merge patch never fails: it is the strategic algorithm with every list replaced.
    let _ = merge_map(target, patch, false, false);
}

fn merge_map(
    target: &mut Value,
    patch: &Value,
    in_container: bool,
    strategic: bool,
) -> Result<(), String> {
    let Some(patch_map) = patch.as_object() else {
        *target = patch.clone();
        return Ok(());
    };
    if strategic {
        match patch_map.get("$patch").and_then(Value::as_str) {
            Some("replace") => {
                let mut replaced = patch.clone();
                strip_directives(&mut replaced);
                *target = replaced;
                return Ok(());
            }
            Some("delete") => {
                *target = Value::Object(Map::new());
                return Ok(());
            }
            Some("merge") | None => {}
            Some(other) => return Err(format!("Unknown patch type: {other} in map: {patch}")),
        }
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Some(target_map) = target.as_object_mut() else {
        return Ok(());
    };
    if strategic {
        if let Some(keep) = patch_map.get("$retainKeys").and_then(Value::as_array) {
            target_map.retain(|k, _| keep.iter().any(|x| x.as_str() == Some(k)));
        }
    }
    for (k, v) in patch_map {
        if strategic && k.starts_with('$') {
            continue;
        }
        if v.is_null() {
            target_map.remove(k);
            continue;
        }
        let nested_in_container = in_container
            || matches!(
                k.as_str(),
                "containers" | "initContainers" | "ephemeralContainers"
            );
        match (target_map.get_mut(k), v) {
            (Some(existing), Value::Object(_)) if existing.is_object() => {
                merge_map(existing, v, nested_in_container, strategic)?;
            }
            (Some(existing), Value::Array(items)) if strategic && existing.is_array() => {
                merge_list(existing, items, k, in_container)?;
            }
            _ => {
                let mut fresh = v.clone();
                if strategic {
                    strip_directives(&mut fresh);
                }
                if fresh.is_object() && !strategic {
                    // A new map still drops the patch's nulls.
                    let mut m = Value::Object(Map::new());
                    merge_map(&mut m, v, nested_in_container, false)?;
                    fresh = m;
                }
                target_map.insert(k.clone(), fresh);
            }
        }
    }
    Ok(())
}

fn merge_list(
    target: &mut Value,
    items: &[Value],
    field: &str,
    in_container: bool,
) -> Result<(), String> {
    let Some(list) = target.as_array_mut() else {
        return Ok(());
    };
    if merges_as_set(field) {
        for item in items {
            if !list.contains(item) {
                list.push(item.clone());
            }
        }
        return Ok(());
    }
    let key = merge_key(field, in_container);
    // `[{"$patch": "replace"}, …]` replaces the whole list.
    if items
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        let mut fresh: Vec<Value> = items
            .iter()
            .filter(|i| i.get("$patch").is_none())
            .cloned()
            .collect();
        fresh.iter_mut().for_each(strip_directives);
        *list = fresh;
        return Ok(());
    }
    let Some(key) = key else {
        let mut fresh = items.to_vec();
        fresh.iter_mut().for_each(strip_directives);
        *list = fresh;
        return Ok(());
    };
    let nested_in_container = in_container
        || matches!(
            field,
            "containers" | "initContainers" | "ephemeralContainers"
        );
    for item in items {
        let Some(id) = item.get(key) else {
            return Err(format!(
                "map: {item} does not contain declared merge key: {key}"
            ));
        };
        let pos = list.iter().position(|e| e.get(key) == Some(id));
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(p) = pos {
                list.remove(p);
            }
            continue;
        }
        match pos {
            Some(p) => merge_map(&mut list[p], item, nested_in_container, true)?,
            None => {
                let mut fresh = item.clone();
                strip_directives(&mut fresh);
                list.push(fresh);
            }
        }
    }
    Ok(())
}

/// Removes `$patch`, `$retainKeys` and other directives from a value that is stored as it is.
fn strip_directives(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|k, _| !k.starts_with('$'));
            m.values_mut().for_each(strip_directives);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_directives),
        _ => {}
    }
}

/// Applies a JSON patch (RFC 6902) to `target`, with the API server's error texts.
pub fn json_patch(target: &mut Value, ops: &Value) -> Result<(), String> {
    let Some(ops) = ops.as_array() else {
        return Err(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch".to_string(),
        );
    };
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or("unknown");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let missing =
            || format!("jsonpatch {name} operation does not apply: doc is missing path: {path}");
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| format!("missing value for {name} operation"))
        };
        match name {
            "add" => add(target, path, value()?).map_err(|()| missing())?,
            "remove" => {
                remove(target, path).ok_or_else(missing)?;
            }
            "replace" => {
                let v = value()?;
                *pointer_mut(target, path).ok_or_else(missing)? = v;
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let missing_from = format!(
                    "jsonpatch {name} operation does not apply: doc is missing from path: {from}"
                );
                let v = if name == "move" {
                    remove(target, from).ok_or(missing_from)?
                } else {
                    target.pointer(from).cloned().ok_or(missing_from)?
                };
                add(target, path, v).map_err(|()| missing())?;
            }
            "test" => {
                let v = value()?;
                if target.pointer(path) != Some(&v) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(())
}

fn split_pointer(path: &str) -> Option<(&str, String)> {
    let (parent, last) = path.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn pointer_mut<'a>(target: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    if path.is_empty() {
        return Some(target);
    }
    target.pointer_mut(path)
}

fn add(target: &mut Value, path: &str, v: Value) -> Result<(), ()> {
    if path.is_empty() {
        *target = v;
        return Ok(());
    }
    let (parent, last) = split_pointer(path).ok_or(())?;
    match pointer_mut(target, parent).ok_or(())? {
        Value::Object(m) => {
            m.insert(last, v);
            Ok(())
        }
        Value::Array(items) => {
            if last == "-" {
                items.push(v);
                return Ok(());
            }
            let i: usize = last.parse().map_err(|_| ())?;
            if i > items.len() {
                return Err(());
            }
            items.insert(i, v);
            Ok(())
        }
        _ => Err(()),
    }
}

fn remove(target: &mut Value, path: &str) -> Option<Value> {
    let (parent, last) = split_pointer(path)?;
    match pointer_mut(target, parent)? {
        Value::Object(m) => m.remove(&last),
        Value::Array(items) => {
            let i: usize = last.parse().ok()?;
            (i < items.len()).then(|| items.remove(i))
        }
        _ => None,
    }
}

// ---- reading objects as JSON and writing them back ----

/// Reads the object at `key` as JSON, lets `change` edit it, and writes it back through the API server (which
/// validates it). Answers whether the object changed; an error is what kubectl prints.
pub(crate) fn modify_json(
    c: &mut Cluster,
    key: &ObjectKey,
    change: impl FnOnce(&mut Value) -> Result<(), String>,
) -> Result<bool, String> {
    modify_json_patched(c, key, false, None, change)
}

/// [`modify_json`] for a strategic merge `patch`, which the API server applies to the object's map and converts
/// back: what it cannot read it refuses naming the patch (`The request is invalid: patch: Invalid value: …`).
/// With `status`, through the status subresource: the API server keeps the spec it has
/// ([`Cluster::update_status`]), so a spec change sent there is dropped without an error.
fn modify_json_patched(
    c: &mut Cluster,
    key: &ObjectKey,
    status: bool,
    patch: Option<&Value>,
    change: impl FnOnce(&mut Value) -> Result<(), String>,
) -> Result<bool, String> {
    match changed_object(c, key, patch, change)? {
        Some(new) if status => c.update_status(new).map_err(|e| e.to_string()),
        Some(new) => c.update(new).map_err(|e| e.to_string()),
        None => Ok(false),
    }
}

/// The stored object with `change` made to its JSON, decoded as the API server decodes a request body;
/// `None` when the change leaves it as it was.
fn changed_object(
    c: &Cluster,
    key: &ObjectKey,
    patch: Option<&Value>,
    change: impl FnOnce(&mut Value) -> Result<(), String>,
) -> Result<Option<Object>, String> {
    let obj = c
        .store()
        .get(key)
        .ok_or_else(|| ApiError::not_found(key.kind, &key.name).to_string())?;
    let before = obj.to_json();
    let mut after = before.clone();
    change(&mut after)?;
    if after == before {
        return Ok(None);
    }
    let info = key.kind.info();
    if let Some(o) = after.as_object_mut() {
        o.remove("apiVersion");
        o.remove("kind");
    }
    if let Some(patch) = patch {
        return Object::from_patched(key.kind, after)
            .map(Some)
            .map_err(|detail| {
                ApiError::InvalidPatch {
                    patch: ordinal_engine::model::go_value(patch),
                    detail,
                    context: None,
                }
                .to_string()
            });
    }
    Object::from_json(key.kind, after).map(Some).map_err(|e| {
        format!(
            "Error from server (BadRequest): {kind} in version \"{version}\" cannot be handled as a {kind}: {e}",
            kind = info.kind,
            version = info.api_version.rsplit('/').next().unwrap_or(info.api_version),
        )
    })
}

/// The `autoscaling/v1` Scale the scale subresource serves for a workload (registry `scaleFromStatefulSet`
/// and friends): `spec.replicas`, and the status count with the selector as a string.
fn scale_view(obj: &Object) -> Value {
    let json = obj.to_json();
    let meta = obj.meta();
    let mut metadata = serde_json::json!({
        "name": meta.name,
        "namespace": meta.namespace,
        "uid": meta.uid,
        "resourceVersion": meta.resource_version,
    });
    if let Some(created) = json.pointer("/metadata/creationTimestamp") {
        metadata["creationTimestamp"] = created.clone();
    }
    serde_json::json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": metadata,
        "spec": {"replicas": json.pointer("/spec/replicas").cloned().unwrap_or(Value::from(1))},
        "status": {
            "replicas": json.pointer("/status/replicas").cloned().unwrap_or(Value::from(0)),
            "selector": super::describe::selector_string(obj.pod_selector().as_ref()),
        },
    })
}

/// A patch through the scale subresource: the patched Scale's `spec.replicas` becomes the workload's, as
/// `kubectl scale` would set it. Answers whether anything changed.
fn patch_scale(
    c: &mut Cluster,
    key: &ObjectKey,
    change: impl FnOnce(&mut Value) -> Result<(), String>,
) -> Result<bool, String> {
    let obj = c
        .store()
        .get(key)
        .ok_or_else(|| ApiError::not_found(key.kind, &key.name).to_string())?;
    let before = scale_view(obj);
    let mut after = before.clone();
    change(&mut after)?;
    if after == before {
        return Ok(false);
    }
    let replicas = match after.pointer("/spec/replicas") {
        Some(Value::Number(n)) => n.as_i64(),
        None | Some(Value::Null) => Some(0),
        Some(_) => None,
    };
    let Some(replicas) = replicas.and_then(|n| i32::try_from(n).ok()) else {
        return Err(format!(
            "Error from server (BadRequest): Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal {} into Go struct field ScaleSpec.spec.replicas of type int32",
            after.pointer("/spec/replicas").map_or("null".into(), Value::to_string)
        ));
    };
    if replicas < 0 {
        return Err(format!(
            "The Scale \"{}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0",
            key.name
        ));
    }
    modify_json(c, key, |v| {
        if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
            spec.insert("replicas".into(), Value::from(replicas));
        }
        Ok(())
    })
}

/// `TYPE NAME…`, `TYPE/NAME…`, or `TYPE -l SEL` / `TYPE --all` into the keys they name, as the commands
/// that change objects read them.
pub(crate) fn object_keys(
    c: &Cluster,
    args: &[String],
    ns: &str,
    selector: Option<&str>,
    all: bool,
) -> Result<Vec<ObjectKey>, String> {
    object_keys_in(c, args, ns, false, selector, all)
}

/// [`object_keys`], listing every namespace when `all_namespaces` (`-A`) asks it to.
pub(crate) fn object_keys_in(
    c: &Cluster,
    args: &[String],
    ns: &str,
    all_namespaces: bool,
    selector: Option<&str>,
    all: bool,
) -> Result<Vec<ObjectKey>, String> {
    if args.is_empty() {
        return Err(super::MISSING_RESOURCES.to_string());
    }
    let requests = targets(args)?;
    let mut keys = Vec::new();
    for (kind, names) in requests {
        let namespace = if kind.info().namespaced { ns } else { "" };
        if names.is_empty() {
            if selector.is_none() && !all {
                return Err("error: resource(s) were provided, but no name was specified".into());
            }
            let sel = selector.map(super::parse_selector).transpose()?;
            let scope = (!all_namespaces || !kind.info().namespaced).then_some(namespace);
            for o in super::list_kind(c.store(), kind, scope) {
                if sel.as_ref().is_none_or(|s| s.matches(&o.meta().labels)) {
                    keys.push(ObjectKey::of(&o));
                }
            }
        } else {
            keys.extend(names.iter().map(|n| ObjectKey::new(kind, namespace, n)));
        }
    }
    Ok(keys)
}

/// Parses a patch given on the command line: JSON, or YAML as kubectl also accepts.
fn parse_patch(text: &str) -> Result<Value, String> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Ok(v);
    }
    serde_saphyr::from_str::<Value>(text).map_err(|e| {
        let msg = e.to_string();
        let first = msg.lines().next().unwrap_or("");
        format!("error: unable to parse \"{text}\": yaml: {first}")
    })
}

pub(crate) const PATCH_FLAGS: &[Spec] = &[
    flag("patch", Some('p'), true),
    flag("patch-file", None, true),
    flag("type", None, true),
    flag("filename", Some('f'), true),
    flag("local", None, false),
    optional("dry-run", "unchanged"),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("subresource", None, true),
];

/// `kubectl patch (TYPE NAME | -f FILE) -p PATCH [--type=strategic|merge|json] [--subresource=status|scale]`
/// (patch.go): `--local` patches the file's object without the server, `--dry-run=client` the server's object
/// without sending it; either way the result is printed (`patched`, `patched (no change)`, or as `-o` asks).
pub fn patch(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, PATCH_FLAGS, "patch") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    if p.given("patch") && p.given("patch-file") {
        return Outcome::err("error: cannot specify --patch and --patch-file together");
    }
    let text =
        match (p.get("patch"), p.get("patch-file")) {
            (Some(t), _) => t.to_string(),
            (None, Some(f)) => match ctx.files.get(f.trim_start_matches("./")) {
                Some(t) => t.to_string(),
                None => {
                    return Outcome::err(format!(
                        "error: unable to read patch file: open {f}: no such file or directory"
                    ))
                }
            },
            (None, None) => return Outcome::err(
                "error: must specify --patch or --patch-file containing the contents of the patch",
            ),
        };
    let local = p.is_set("local");
    let dry_run = match super::dry_run(&p, ctx) {
        Ok(super::DryRun::Server) if local => return Outcome::err(
            "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ),
        Ok(super::DryRun::Server) => return super::server_dry_run_unavailable("patch"),
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    if local && !p.args.is_empty() {
        return Outcome::err("error: cannot specify --local and server resources");
    }
    let kind_of_patch = p.get("type").unwrap_or("strategic");
    if !matches!(kind_of_patch, "strategic" | "merge" | "json") {
        return Outcome::err(format!(
            "error: --type must be one of [json merge strategic], not \"{kind_of_patch}\""
        ));
    }
    let patch = match parse_patch(&text) {
        Ok(v) => v,
        Err(e) => return Outcome::err(e),
    };
    let mut printer = match super::printer::ChangePrinter::from_flags(&p, ctx) {
        Ok(printer) => printer,
        Err(e) => return Outcome::err(e),
    };
    let apply = |v: &mut Value| match kind_of_patch {
        "json" => json_patch(v, &patch).map_err(|e| format!("Error from server: {e}")),
        "merge" => {
            if !patch.is_object() {
                return Err(bad_patch_body(&patch));
            }
            json_merge(v, &patch);
            Ok(())
        }
        _ => {
            if !patch.is_object() {
                return Err(bad_patch_body(&patch));
            }
            strategic_merge(v, &patch).map_err(|e| format!("Error from server: {e}"))
        }
    };
    // A strategic merge patch is applied to the object's map and converted back by the server; the other two
    // make JSON that it decodes.
    let strategic = (kind_of_patch == "strategic").then_some(&patch);
    let ns = p.namespace(&ctx.namespace).to_string();
    // The objects: the file's own with --local, else the server's, named by arguments or by -f.
    let mut targets: Vec<(Option<ObjectKey>, Value)> = Vec::new();
    if local || !p.all("filename").is_empty() {
        if p.all("filename").is_empty() {
            return Outcome::err("error: one or more files must be specified as -f rsrc.yaml or --filename=rsrc.json");
        }
        let docs = match super::read_files(ctx, p.all("filename"), None, false) {
            Ok(d) => d,
            Err(e) => return Outcome::err(e),
        };
        for (name, text) in docs {
            match ordinal_engine::manifest::parse(&text, &name) {
                Ok(objects) => {
                    for m in objects {
                        let namespace = if m.kind.info().namespaced {
                            m.namespace.clone().unwrap_or_else(|| ns.clone())
                        } else {
                            String::new()
                        };
                        let key = ObjectKey::new(m.kind, &namespace, &m.name);
                        targets.push(((!local).then_some(key), m.raw.clone()));
                    }
                }
                Err(errors) => {
                    return Outcome::err(
                        errors
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("\n"),
                    )
                }
            }
        }
    } else {
        match object_keys(c, &p.args, &ns, None, false) {
            Ok(keys) => targets.extend(keys.into_iter().map(|k| (Some(k), Value::Null))),
            Err(e) => return Outcome::err(e),
        }
    }
    if targets.is_empty() {
        return Outcome::err("error: no objects passed to patch");
    }
    let subresource = p.get("subresource");
    let mut out = Outcome::default();
    for (key, file_object) in targets {
        if let Some(key) = &key {
            super::server_warnings(ctx, &mut out, key.kind);
        }
        let result = match &key {
            // The server patches (and validates) the object.
            // kubectl sends the patch to the subresource's path (patch.go `RunPatch`, `WithSubresource`); the
            // API server has no route for a subresource the kind lacks and answers 404 for the path itself. The
            // scale subresource answers with a Scale, which kubectl names `scale.autoscaling/NAME`.
            Some(key) if dry_run == super::DryRun::None => match subresource {
                sub @ (None | Some("" | "status"))
                    if sub != Some("status") || key.kind.has_status() =>
                {
                    let status = sub == Some("status");
                    modify_json_patched(c, key, status, strategic, apply).map(|changed| {
                        let now = c.store().get(key).map_or(Value::Null, Object::to_json);
                        (changed, now)
                    })
                }
                Some("scale") if key.kind.has_scale() => {
                    patch_scale(c, key, apply).map(|changed| {
                        let now = c.store().get(key).map_or(Value::Null, scale_view);
                        (changed, now)
                    })
                }
                _ => Err(
                    "Error from server (NotFound): the server could not find the requested resource"
                        .to_string(),
                ),
            },
            // A client dry run patches what the server has, here.
            Some(key) => match c.store().get(key) {
                Some(obj) => {
                    let before = obj.to_json();
                    let mut after = before.clone();
                    apply(&mut after).map(|()| (after != before, after))
                }
                None => Err(ordinal_engine::api::ApiError::not_found(key.kind, &key.name).to_string()),
            },
            None => {
                let mut after = file_object.clone();
                apply(&mut after).map(|()| (after != file_object, after))
            }
        };
        match result {
            Ok((changed, shown)) => {
                let operation = if changed {
                    "patched"
                } else {
                    "patched (no change)"
                };
                match printer.print(&shown, &format!("{operation}{}", dry_run.suffix())) {
                    Ok(text) => out.push_stdout(&text),
                    Err(e) => return Outcome::err(e),
                }
            }
            Err(e) => {
                out.push_stderr(&format!("{e}\n"));
                out.status = 1;
            }
        }
    }
    out
}

fn bad_patch_body(patch: &Value) -> String {
    let what = match patch {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "null",
    };
    format!("Error from server (BadRequest): json: cannot unmarshal {what} into Go value of type map[string]interface {{}}")
}

pub(crate) const LABEL_FLAGS: &[Spec] = &[
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("overwrite", None, false),
    flag("list", None, false),
    optional("dry-run", "unchanged"),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("resource-version", None, true),
];

/// cmdutil's `GetResourcesAndPairs`: resource words first, then `KEY=VALUE` / `KEY-` pairs (a word is a pair
/// when it holds a `=` after its first character or ends in `-`; a `/` in the key changes nothing).
fn resources_and_pairs(args: &[String], what: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let (mut resources, mut pairs) = (Vec::new(), Vec::new());
    for a in args {
        let pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        match (pair, pairs.is_empty()) {
            (true, _) => pairs.push(a.clone()),
            (false, true) => resources.push(a.clone()),
            (false, false) => {
                return Err(format!(
                    "error: all resources must be specified before {what} changes: {a}"
                ))
            }
        }
    }
    Ok((resources, pairs))
}

/// The changes a label (label.go `parseLabels`) or annotation (cmdutil `ParsePairs`) command asks for: keys
/// to set, keys to remove.
type Changes = (Vec<(String, String)>, Vec<String>);

fn parse_changes(pairs: &[String], annotations: bool) -> Result<Changes, String> {
    let (mut sets, mut removes): Changes = (Vec::new(), Vec::new());
    let mut invalid = Vec::new();
    for pair in pairs {
        if pair.contains('=') && !pair.starts_with('=') {
            let parts: Vec<&str> = if annotations {
                pair.splitn(2, '=').collect()
            } else {
                pair.split('=').collect()
            };
            let [k, v] = parts.as_slice() else {
                return Err(format!("error: invalid label spec: {pair}"));
            };
            if !annotations && !valid_label_value(v) {
                return Err(format!("error: invalid label value: \"{pair}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
            }
            sets.retain(|(key, _)| key != k);
            sets.push((k.to_string(), v.to_string()));
        } else if let Some(key) = pair.strip_suffix('-').filter(|_| pair != "-") {
            removes.push(key.to_string());
        } else if annotations {
            invalid.push(pair.clone());
        } else {
            return Err(format!("error: unknown label spec: {pair}"));
        }
    }
    if !invalid.is_empty() {
        return Err(format!(
            "error: invalid annotation format: {}",
            invalid.join(", ")
        ));
    }
    let both: Vec<&String> = removes
        .iter()
        .filter(|r| sets.iter().any(|(k, _)| k == *r))
        .collect();
    if !both.is_empty() {
        return Err(if annotations {
            format!(
                "error: can not both modify and remove the following annotation(s) in the same command: {}",
                both.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            )
        } else {
            "error: can not both modify and remove a label in the same command".to_string()
        });
    }
    Ok((sets, removes))
}

/// `kubectl label` (`annotations == false`) and `kubectl annotate` (label.go, annotate.go): `KEY=VALUE` sets,
/// `KEY-` removes (prefixed keys such as `statefulset.kubernetes.io/pod-name-` too). label reports what
/// changed: `labeled`, `unlabeled` (something removed without --overwrite), `not labeled`; annotate always
/// `annotated`. `--list` shows the keys after the changes, which it does not send.
pub fn label(c: &mut Cluster, ctx: &Context, args: &[String], annotations: bool) -> Outcome {
    let verb = if annotations { "annotate" } else { "label" };
    let what = if annotations { "annotation" } else { "label" };
    let p = match flags::parse(args, LABEL_FLAGS, verb) {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let (resources, pairs) = match resources_and_pairs(&p.args, what) {
        Ok(r) => r,
        Err(e) => return Outcome::err(e),
    };
    let (sets, removes) = match parse_changes(&pairs, annotations) {
        Ok(c) => c,
        Err(e) => return Outcome::err(e),
    };
    let list = p.is_set("list");
    if list && p.given("output") {
        return Outcome::err("error: --list and --output may not be specified together");
    }
    if p.is_set("all") && p.given("selector") {
        return Outcome::err("error: cannot set --all and --selector at the same time");
    }
    if resources.is_empty() {
        return Outcome::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if sets.is_empty() && removes.is_empty() && !list {
        return Outcome::err(format!("error: at least one {what} update is required"));
    }
    let dry_run = match super::dry_run(&p, ctx) {
        Ok(super::DryRun::Server) => return super::server_dry_run_unavailable(verb),
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    let mut printer = match super::printer::ChangePrinter::from_flags(&p, ctx) {
        Ok(printer) => printer,
        Err(e) => return Outcome::err(e),
    };
    let ns = p.namespace(&ctx.namespace).to_string();
    let keys = match object_keys(c, &resources, &ns, p.get("selector"), p.is_set("all")) {
        Ok(k) => k,
        Err(e) => return Outcome::err(e),
    };
    // One named object (label.go's IntoSingleItemImplied): --list prints its keys without a heading.
    let single = resources.len() == 1 && resources[0].contains('/')
        || resources.len() == 2 && !resources[0].contains('/') && !resources[0].contains(',');
    let resource_version = p.get("resource-version").filter(|v| !v.is_empty());
    if resource_version.is_some() && !single {
        return Outcome::err("error: --resource-version may only be used with a single resource");
    }
    let field = if annotations { "annotations" } else { "labels" };
    let overwrite = p.is_set("overwrite");
    let mut out = Outcome::default();
    for key in keys {
        super::server_warnings(ctx, &mut out, key.kind);
        let Some(obj) = c.store().get(&key).cloned() else {
            out.push_stderr(&format!("{}\n", ApiError::not_found(key.kind, &key.name)));
            out.status = 1;
            return out;
        };
        let before = obj.to_json();
        let current: Map<String, Value> = before
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        // Only a real change warns about keys that are not there.
        if !list && dry_run != super::DryRun::Client && !annotations {
            for k in &removes {
                if !current.contains_key(k) {
                    out.push_stdout(&format!("{what} \"{k}\" not found.\n"));
                }
            }
        }
        if !overwrite {
            let clashes: Vec<String> = sets
                .iter()
                .filter(|(k, _)| !(annotations && k == "kubernetes.io/change-cause"))
                .filter_map(|(k, v)| {
                    let old = current.get(k)?.as_str()?;
                    (old != v).then(|| format!("'{k}' already has a value ({old})"))
                })
                .collect();
            if !clashes.is_empty() {
                out.push_stderr(&if annotations {
                    format!(
                        "error: --overwrite is false but found the following declared annotation(s): {}\n",
                        clashes.join("; ")
                    )
                } else if clashes.len() == 1 {
                    format!("error: {}, and --overwrite is false\n", clashes[0])
                } else {
                    format!(
                        "error: [{}]\n",
                        clashes
                            .iter()
                            .map(|c| format!("{c}, and --overwrite is false"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                out.status = 1;
                return out;
            }
        }
        if let Some(rv) = resource_version {
            if obj.meta().resource_version != rv {
                out.push_stderr(&format!(
                    "Error from server (Conflict): Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again\n",
                    key.kind.qualified_plural(),
                    key.name
                ));
                out.status = 1;
                return out;
            }
        }
        let change = |v: &mut Value| -> Result<(), String> {
            let meta = v
                .get_mut("metadata")
                .and_then(Value::as_object_mut)
                .ok_or_else(|| "error: object has no metadata".to_string())?;
            let map = meta
                .entry(field)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(map) = map.as_object_mut() {
                for (k, val) in &sets {
                    map.insert(k.clone(), Value::String(val.clone()));
                }
                for k in &removes {
                    map.remove(k);
                }
            }
            if map.as_object().is_some_and(Map::is_empty) {
                meta.remove(field);
            }
            Ok(())
        };
        let mut after = before.clone();
        if let Err(e) = change(&mut after) {
            out.push_stderr(&format!("{e}\n"));
            out.status = 1;
            return out;
        }
        if list {
            let shown = after
                .pointer(&format!("/metadata/{field}"))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let indent = if single { "" } else { " " };
            if !single {
                out.push_stdout(&format!(
                    "Listing {field} for {}.{}/{}:\n",
                    key.kind.info().kind,
                    key.kind.info().group,
                    key.name
                ));
            }
            for (k, v) in shown {
                out.push_stdout(&format!("{indent}{k}={}\n", v.as_str().unwrap_or_default()));
            }
            continue;
        }
        // label.go `updateDataChangeMsg`: the JSON before and after decides the word.
        let operation = if annotations {
            "annotated"
        } else if after == before {
            "not labeled"
        } else if !overwrite
            && serde_json::to_string(&after).map_or(0, |t| t.len())
                < serde_json::to_string(&before).map_or(0, |t| t.len())
        {
            "unlabeled"
        } else {
            "labeled"
        };
        let result = match dry_run {
            super::DryRun::Client | super::DryRun::Server => Ok(after.clone()),
            super::DryRun::None => modify_json(c, &key, |v| change(v)).map(|_| {
                c.store()
                    .get(&key)
                    .map_or_else(|| after.clone(), Object::to_json)
            }),
        };
        match result {
            Ok(shown) => {
                let operation = format!("{operation}{}", dry_run.suffix());
                match printer.print(&shown, &operation) {
                    Ok(text) => out.push_stdout(&text),
                    Err(e) => return Outcome::err(e),
                }
            }
            Err(e) => {
                out.push_stderr(&format!("{e}\n"));
                out.status = 1;
                return out;
            }
        }
    }
    out
}

fn valid_label_value(v: &str) -> bool {
    v.is_empty()
        || (v.len() <= 63
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && v.starts_with(|c: char| c.is_ascii_alphanumeric())
            && v.ends_with(|c: char| c.is_ascii_alphanumeric()))
}

pub(crate) const SET_FLAGS: &[Spec] = &[
    flag("selector", Some('l'), true),
    flag("all", None, false),
    optional("dry-run", "unchanged"),
    flag("output", Some('o'), true),
    flag("template", None, true),
];

/// `kubectl set image TYPE/NAME CONTAINER=IMAGE…` (`*=IMAGE` sets every container).
pub fn set(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let Some(at) = flags::first_positional(args, &[SET_FLAGS]) else {
        return Outcome::err(
            "error: Unexpected args: []\nSee 'kubectl set -h' for help and examples",
        );
    };
    let sub = &args[at];
    if sub != "image" {
        return Outcome::err(format!(
            "error: unknown command \"{sub}\" for \"kubectl set\"\nSee 'kubectl set -h' for help and examples"
        ));
    }
    let mut rest = args[..at].to_vec();
    rest.extend_from_slice(&args[at + 1..]);
    let p = match flags::parse(&rest, SET_FLAGS, "set image") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let (pairs, resources): (Vec<String>, Vec<String>) =
        p.args.iter().cloned().partition(|a| a.contains('='));
    if pairs.is_empty() {
        return Outcome::err("error: at least one image update is required");
    }
    let dry_run = match super::dry_run(&p, ctx) {
        Ok(super::DryRun::Server) => return super::server_dry_run_unavailable("set image"),
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    let mut printer = match super::printer::ChangePrinter::from_flags(&p, ctx) {
        Ok(printer) => printer,
        Err(e) => return Outcome::err(e),
    };
    let ns = p.namespace(&ctx.namespace).to_string();
    let keys = match object_keys(c, &resources, &ns, p.get("selector"), p.is_set("all")) {
        Ok(k) => k,
        Err(e) => return Outcome::err(e),
    };
    let mut out = Outcome::default();
    for key in keys {
        let pointer = match key.kind {
            Kind::Pod => "/spec",
            Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet => "/spec/template/spec",
            _ => {
                out.push_stderr(&format!(
                    "error: {}/{} the object is not a pod or does not have a pod template: {}",
                    key.kind.info().plural,
                    key.name,
                    key.kind.info().kind
                ));
                out.push_stderr("\n");
                out.status = 1;
                continue;
            }
        };
        let change = |v: &mut Value| {
            let spec = v
                .pointer_mut(pointer)
                .ok_or_else(|| "error: the object has no pod spec".to_string())?;
            for pair in &pairs {
                let (name, image) = pair.split_once('=').unwrap_or((pair, ""));
                let mut found = false;
                for list in ["initContainers", "containers"] {
                    if let Some(items) = spec.get_mut(list).and_then(Value::as_array_mut) {
                        for ctr in items {
                            if name == "*" || ctr.get("name").and_then(Value::as_str) == Some(name)
                            {
                                ctr["image"] = Value::String(image.to_string());
                                found = true;
                            }
                        }
                    }
                }
                if !found {
                    return Err(format!("error: unable to find container named \"{name}\""));
                }
            }
            Ok(())
        };
        // set_image.go: no change prints nothing; a client dry run prints without sending.
        let result = if dry_run == super::DryRun::Client {
            match c.store().get(&key).map(Object::to_json) {
                Some(before) => {
                    let mut after = before.clone();
                    change(&mut after).map(|()| (after != before, after))
                }
                None => {
                    Err(ordinal_engine::api::ApiError::not_found(key.kind, &key.name).to_string())
                }
            }
        } else {
            modify_json(c, &key, change).map(|changed| {
                let now = c.store().get(&key).map_or(Value::Null, Object::to_json);
                (changed, now)
            })
        };
        match result {
            Ok((true, shown)) => {
                match printer.print(&shown, &format!("image updated{}", dry_run.suffix())) {
                    Ok(text) => out.push_stdout(&text),
                    Err(e) => return Outcome::err(e),
                }
            }
            Ok((false, _)) => {}
            Err(e) => {
                out.push_stderr(&format!("{e}\n"));
                out.status = 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merge_merges_containers_by_name_and_deletes_with_null() {
        let mut v = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "nginx", "image": "nginx:1.24", "ports": [{"containerPort": 80, "name": "web"}]},
            {"name": "side", "image": "busybox"}
        ]}}, "replicas": 2, "minReadySeconds": 5}});
        let patch = json!({"spec": {"minReadySeconds": null, "template": {"spec": {"containers": [
            {"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80, "protocol": "TCP"}]}
        ]}}}});
        strategic_merge(&mut v, &patch).unwrap();
        assert_eq!(
            v,
            json!({"spec": {"template": {"spec": {"containers": [
                {"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80, "name": "web", "protocol": "TCP"}]},
                {"name": "side", "image": "busybox"}
            ]}}, "replicas": 2}})
        );
    }

    #[test]
    fn strategic_directives_replace_and_delete() {
        let mut v = json!({"spec": {"template": {"metadata": {"labels": {"a": "1"}}, "spec": {"containers": [
            {"name": "a", "image": "x"}, {"name": "b", "image": "y"}
        ]}}}});
        strategic_merge(
            &mut v,
            &json!({"spec": {"template": {"spec": {"containers": [{"name": "b", "$patch": "delete"}]}}}}),
        )
        .unwrap();
        assert_eq!(
            v["spec"]["template"]["spec"]["containers"],
            json!([{"name": "a", "image": "x"}])
        );
        strategic_merge(
            &mut v,
            &json!({"spec": {"template": {"$patch": "replace", "spec": {"containers": [{"name": "c", "image": "z"}]}}}}),
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "z"}]}}}})
        );
    }

    #[test]
    fn json_merge_replaces_lists() {
        let mut v = json!({"a": [1, 2], "b": {"c": 1, "d": 2}});
        json_merge(
            &mut v,
            &json!({"a": [3], "b": {"c": null, "e": {"f": null, "g": 1}}}),
        );
        assert_eq!(v, json!({"a": [3], "b": {"d": 2, "e": {"g": 1}}}));
    }

    #[test]
    fn json_patch_operations_and_their_errors() {
        let mut v = json!({"spec": {"containers": [{"image": "a"}], "x": 1}});
        json_patch(
            &mut v,
            &json!([
                {"op": "replace", "path": "/spec/containers/0/image", "value": "b"},
                {"op": "add", "path": "/spec/containers/-", "value": {"image": "c"}},
                {"op": "remove", "path": "/spec/x"},
                {"op": "copy", "from": "/spec/containers/0", "path": "/spec/first"},
                {"op": "test", "path": "/spec/first/image", "value": "b"}
            ]),
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"spec": {"containers": [{"image": "b"}, {"image": "c"}], "first": {"image": "b"}}})
        );
        assert_eq!(
            json_patch(
                &mut v,
                &json!([{"op": "replace", "path": "/spec/nope", "value": 1}])
            ),
            Err(
                "jsonpatch replace operation does not apply: doc is missing path: /spec/nope"
                    .into()
            )
        );
        assert_eq!(
            json_patch(&mut v, &json!([{"op": "remove", "path": "/spec/containers/9"}])),
            Err("jsonpatch remove operation does not apply: doc is missing path: /spec/containers/9".into())
        );
    }
}
