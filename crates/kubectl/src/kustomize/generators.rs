//! Generators: configMapGenerator and secretGenerator.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::errors::{KError, KResult};
use super::kustomization::{GeneratorArgs, GeneratorOptions};
use super::loader::Loader;
use super::resources::{append, Behavior, Res};

/// `MergeGlobalOptionsIntoLocal`: the entry's own labels and annotations win; a global `true` wins.
fn merged_options(
    local: Option<&GeneratorOptions>,
    global: Option<&GeneratorOptions>,
) -> Option<GeneratorOptions> {
    let Some(global) = global else {
        return local.cloned();
    };
    let mut o = local.cloned().unwrap_or_default();
    for (k, v) in &global.labels {
        o.labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for (k, v) in &global.annotations {
        o.annotations.entry(k.clone()).or_insert_with(|| v.clone());
    }
    o.disable_name_suffix_hash |= global.disable_name_suffix_hash;
    o.immutable |= global.immutable;
    Some(o)
}

/// `parseLiteralSource`: `key=value`, the value's matching outer quotes removed.
pub(super) fn parse_literal(source: &str) -> Result<(String, String), String> {
    let invalid = || format!("invalid literal source {source}, expected key=value");
    if source.starts_with('=') {
        return Err(invalid());
    }
    let (k, v) = source.split_once('=').ok_or_else(invalid)?;
    let b = v.as_bytes();
    let v = if b.len() >= 2 && b[0] == b[b.len() - 1] && (b[0] == b'"' || b[0] == b'\'') {
        &v[1..v.len() - 1]
    } else {
        v
    };
    Ok((k.to_string(), v.to_string()))
}

/// `ParseFileSource`: `path` (the key is the file's base name) or `key=path`.
pub(super) fn parse_file_source(source: &str) -> Result<(String, String), String> {
    match source.matches('=').count() {
        0 => Ok((
            source
                .rsplit('/')
                .find(|p| !p.is_empty())
                .unwrap_or(source)
                .to_string(),
            source.to_string(),
        )),
        1 if source.starts_with('=') => Err(format!(
            "missing key name for file path {:?} in source {source:?}",
            &source[1..]
        )),
        1 if source.ends_with('=') => Err(format!(
            "missing file path for key name {:?} in source {source:?}",
            &source[..source.len() - 1]
        )),
        1 => {
            let (k, p) = source.split_once('=').unwrap_or((source, ""));
            Ok((k.to_string(), p.to_string()))
        }
        _ => Err(format!(
            "source {source:?} key name or file path contains '='"
        )),
    }
}

/// An env file's `KEY=value` lines (blank lines and `#` comments skipped; no `=`: an empty value).
pub(super) fn env_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = if i == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) => out.push((k.to_string(), v.to_string())),
            None => out.push((line.to_string(), String::new())),
        }
    }
    out
}

fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// The key/value pairs of a generator: env files, then literals, then files (kustomize's `kv.Load`), each
/// key once (`makeValidatedDataMap`).
fn generator_pairs(ldr: &Loader, args: &GeneratorArgs) -> KResult<BTreeMap<String, String>> {
    let pairs = load_pairs(ldr, args).map_err(|e| e.wrap("loading KV pairs"))?;
    let mut out = BTreeMap::new();
    for (k, v) in pairs {
        if out.insert(k.clone(), v).is_some() {
            return Err(KError::new(format!(
                "configmap {} illegally repeats the key `{k}`",
                args.name
            )));
        }
    }
    Ok(out)
}

fn load_pairs(ldr: &Loader, args: &GeneratorArgs) -> KResult<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for env in &args.envs {
        let text = ldr
            .load(env)
            .map_err(|e| e.wrap(format!("env source files: {}", go_list(&args.envs))))?;
        pairs.extend(env_pairs(&text));
    }
    for lit in &args.literals {
        pairs.push(parse_literal(lit).map_err(|e| {
            KError::new(e).wrap(format!("literal sources {}", go_list(&args.literals)))
        })?);
    }
    for source in &args.files {
        let prefix = format!("file sources: {}", go_list(&args.files));
        let (key, path) = parse_file_source(source).map_err(|e| KError::new(e).wrap(&prefix))?;
        let text = ldr.load(&path).map_err(|e| e.wrap(&prefix))?;
        pairs.push((key, text));
    }
    Ok(pairs)
}

/// kustomize's base64 for Secret data and binary ConfigMap data: lines of 70 characters, each ending in a
/// newline once there is more than one.
pub(super) fn base64_lines(bytes: &[u8]) -> String {
    let enc = ordinal_engine::base64::encode(bytes);
    if enc.len() < 70 {
        return enc;
    }
    let mut out = String::new();
    for chunk in enc.as_bytes().chunks(70) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out
}

/// Makes one ConfigMap or Secret from its generator entry.
pub(super) fn generate(
    ldr: &Loader,
    args: &GeneratorArgs,
    global: Option<&GeneratorOptions>,
    secret: bool,
) -> KResult<Res> {
    let options = merged_options(args.options.as_ref(), global);
    let kind = if secret { "Secret" } else { "ConfigMap" };
    if args.name.is_empty() {
        return Err(KError::new("a configmap must have a name"));
    }
    let pairs = generator_pairs(ldr, args)?;
    let mut meta = Map::new();
    meta.insert("name".into(), Value::String(args.name.clone()));
    if !args.namespace.is_empty() {
        meta.insert("namespace".into(), Value::String(args.namespace.clone()));
    }
    let mut obj = Map::new();
    obj.insert("apiVersion".into(), Value::String("v1".into()));
    obj.insert("kind".into(), Value::String(kind.into()));
    obj.insert("metadata".into(), Value::Object(meta));
    if secret {
        let t = if args.secret_type.is_empty() {
            "Opaque"
        } else {
            &args.secret_type
        };
        obj.insert("type".into(), Value::String(t.into()));
        // (`extend`, which inserts: `collect` into a map sorts, compiling a sort per iterator type.)
        let mut data = Map::new();
        data.extend(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(base64_lines(v.as_bytes())))),
        );
        obj.insert("data".into(), Value::Object(data));
    } else if !pairs.is_empty() {
        let mut data = Map::new();
        data.extend(pairs.into_iter().map(|(k, v)| (k, Value::String(v))));
        obj.insert("data".into(), Value::Object(data));
    }
    let mut res = Res::new(obj);
    if let Some(o) = &options {
        for (key, pairs) in [("labels", &o.labels), ("annotations", &o.annotations)] {
            if pairs.is_empty() {
                continue;
            }
            let meta = res.metadata();
            let target = meta.entry(key).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = target {
                for (k, v) in pairs {
                    m.insert(k.clone(), Value::String(v.clone()));
                }
            }
        }
        if o.immutable {
            res.obj.insert("immutable".into(), Value::Bool(true));
        }
    }
    res.hash = !options.as_ref().is_some_and(|o| o.disable_name_suffix_hash);
    res.behavior = Behavior::parse(&args.behavior);
    Ok(res)
}

/// `appendReplaceOrMerge`: a generated object joins the build, replacing or merging into one of the same
/// name from a base when its `behavior` says so.
pub(super) fn absorb(list: &mut Vec<Res>, mut res: Res) -> KResult<()> {
    let id = res.cur_id();
    let matches: Vec<usize> = list
        .iter()
        .enumerate()
        .filter(|(_, r)| r.any_ids().iter().any(|i| i.equals(&id)))
        .map(|(i, _)| i)
        .collect();
    let go_id = format!(
        "resid.ResId{{Gvk:resid.Gvk{{Group:\"{}\", Version:\"{}\", Kind:\"{}\", isClusterScoped:false}}, Name:\"{}\", Namespace:\"{}\"}}",
        id.group, id.version, id.kind, id.name, id.namespace
    );
    match matches.as_slice() {
        [] => match res.behavior {
            Behavior::Merge | Behavior::Replace => Err(KError::new(format!(
                "id {go_id} does not exist; cannot merge or replace"
            ))),
            _ => append(list, res).map_err(KError::new),
        },
        [i] => {
            let old = &list[*i];
            match res.behavior {
                Behavior::Replace | Behavior::Merge => {
                    // `CopyMergeMetaDataFieldsFrom`: labels and annotations merge, the new ones winning.
                    for key in ["labels", "annotations"] {
                        let mut merged = old.labels_map(key);
                        merged.extend(res.labels_map(key));
                        if !merged.is_empty() {
                            let mut m = Map::new();
                            m.extend(merged.into_iter().map(|(k, v)| (k, Value::String(v))));
                            res.metadata().insert(key.into(), Value::Object(m));
                        }
                    }
                    if res.behavior == Behavior::Merge {
                        for key in ["data", "binaryData"] {
                            let mut merged = old.obj.get(key).and_then(Value::as_object).cloned().unwrap_or_default();
                            if let Some(new) = res.obj.get(key).and_then(Value::as_object) {
                                merged.extend(new.clone());
                            }
                            if !merged.is_empty() {
                                res.obj.insert(key.into(), Value::Object(merged));
                            }
                        }
                    }
                    res.prev = old.prev.clone();
                    res.prefixes = old.prefixes.clone();
                    res.suffixes = old.suffixes.clone();
                    list[*i] = res;
                    Ok(())
                }
                b => Err(KError::new(format!(
                    "id {go_id} exists; can not use behavior: '{}', behavior must be merge or replace",
                    b.name()
                ))),
            }
        }
        _ => Err(KError::new(format!(
            "found multiple objects that could accept merge of {id}"
        ))),
    }
}
