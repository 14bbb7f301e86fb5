//! The kustomization file: finding it, reading its YAML with Go's error wording, and decoding its fields into a
//! [`Kustomization`] the way kustomize's strict decoder does.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::errors::{KError, KResult};
use super::loader::Loader;
use super::order::{LEGACY_ORDER_FIRST, LEGACY_ORDER_LAST};
use super::transformers::FieldSpec;

const KUSTOMIZATION_FILE_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const KUSTOMIZATION_VERSION: &str = "kustomize.config.k8s.io/v1beta1";
const COMPONENT_VERSION: &str = "kustomize.config.k8s.io/v1alpha1";

/// The parts of kustomize's `types.Kustomization` the playground carries out.
#[derive(Debug, Clone, Default)]
pub(super) struct Kustomization {
    pub(super) name_prefix: String,
    pub(super) name_suffix: String,
    pub(super) namespace: String,
    pub(super) common_labels: BTreeMap<String, String>,
    pub(super) labels: Vec<LabelArgs>,
    pub(super) common_annotations: BTreeMap<String, String>,
    pub(super) images: Vec<ImageArgs>,
    pub(super) replicas: Vec<(String, i64)>,
    pub(super) resources: Vec<String>,
    pub(super) config_map_generator: Vec<GeneratorArgs>,
    pub(super) secret_generator: Vec<GeneratorArgs>,
    pub(super) generator_options: Option<GeneratorOptions>,
    pub(super) sort: SortOrder,
    /// Why `sortOptions` is invalid; reported only for the top kustomization, the only one whose order counts.
    pub(super) sort_error: Option<String>,
    /// `kind: Component`: fine to build on its own, refused as a `resources` entry.
    pub(super) component: bool,
}

#[derive(Debug, Clone, Default)]
pub(super) struct LabelArgs {
    pub(super) pairs: BTreeMap<String, String>,
    pub(super) include_selectors: bool,
    pub(super) include_templates: bool,
    pub(super) include_volume_claim_templates: bool,
    pub(super) fields: Vec<FieldSpec>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct ImageArgs {
    pub(super) name: String,
    pub(super) new_name: String,
    pub(super) new_tag: String,
    pub(super) tag_suffix: String,
    pub(super) digest: String,
}

/// One `configMapGenerator` or `secretGenerator` entry.
#[derive(Debug, Clone, Default)]
pub(super) struct GeneratorArgs {
    pub(super) namespace: String,
    pub(super) name: String,
    pub(super) behavior: String,
    pub(super) literals: Vec<String>,
    pub(super) files: Vec<String>,
    pub(super) envs: Vec<String>,
    pub(super) options: Option<GeneratorOptions>,
    /// Secrets only.
    pub(super) secret_type: String,
}

#[derive(Debug, Clone, Default)]
pub(super) struct GeneratorOptions {
    pub(super) labels: BTreeMap<String, String>,
    pub(super) annotations: BTreeMap<String, String>,
    pub(super) disable_name_suffix_hash: bool,
    pub(super) immutable: bool,
}

/// `sortOptions`: kustomize's legacy order (the default) or the order resources were read in.
#[derive(Debug, Clone)]
pub(super) enum SortOrder {
    Legacy {
        first: Vec<String>,
        last: Vec<String>,
    },
    Fifo,
}

impl Default for SortOrder {
    fn default() -> Self {
        SortOrder::Legacy {
            first: LEGACY_ORDER_FIRST.iter().map(|s| s.to_string()).collect(),
            last: LEGACY_ORDER_LAST.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// Reads the kustomization file of `ldr`'s directory (kustomize's `KustTarget.Load`).
pub(super) fn load_kustomization(
    ldr: &Loader,
    warnings: &mut Vec<String>,
) -> KResult<Kustomization> {
    let found: Vec<String> = KUSTOMIZATION_FILE_NAMES
        .iter()
        .filter_map(|name| ldr.load(name).ok())
        .collect();
    let text = match found.as_slice() {
        [] => {
            return Err(KError::new(format!(
                "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
                ldr.root
            )))
        }
        [one] => one,
        _ => {
            return Err(KError::new(format!(
                "Found multiple kustomization files under: {}\n",
                ldr.root
            )))
        }
    };
    let value =
        yaml_to_json(text).map_err(|e| KError::new(format!("invalid Kustomization: {e}")))?;
    decode_kustomization(&value, &ldr.root, warnings).map_err(KError::new)
}

/// A YAML document as JSON, as sigs.k8s.io/yaml's `YAMLToJSON` gives it: go-yaml v2, YAML 1.1 booleans, a
/// repeated key silently replacing the first (an empty document is `null`).
fn yaml_to_json(text: &str) -> Result<Value, String> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Value::Null);
    }
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::LastWins,
    };
    serde_saphyr::from_str_with_options::<Value>(text, options)
        .map_err(|e| yaml_error(&e, text, 0, GoYaml::V2))
}

/// Which go-yaml read the text: v2 (sigs.k8s.io/yaml, for the kustomization) or v3 (kyaml, for resources).
/// They count error lines differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GoYaml {
    V2,
    V3,
}

/// go-yaml's wording for a parse failure, `yaml: line N: problem`, from the parser's. `doc` is the document
/// and `offset` the number of lines before it in its file. go-yaml numbers scanner errors from 1 but parser
/// errors from 0, and v3 points parser errors at the construct being parsed (the enclosing mapping's first
/// key, the opening bracket or quote) rather than at the offending token.
pub(super) fn yaml_error(
    e: &serde_saphyr::Error,
    doc: &str,
    offset: usize,
    flavor: GoYaml,
) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    let message = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    let lines: Vec<&str> = doc.lines().collect();
    // The parser's line, 1-based within the document.
    let at = e.location().map_or(1, |l| l.line() as usize).max(1);
    let local = at - 1;
    let eof_line = offset + doc.matches('\n').count();
    let m = message.to_lowercase();
    let (line, problem) = if m.contains("did not find expected key") {
        let line = match flavor {
            GoYaml::V2 => offset + local,
            GoYaml::V3 => match enclosing_mapping_start(&lines, local) {
                Some(start) if offset + start != 0 => offset + start,
                _ => offset + local,
            },
        };
        (line, "did not find expected key".to_string())
    } else if m.contains("expected '-' indicator") {
        (
            offset + local,
            "did not find expected '-' indicator".to_string(),
        )
    } else if m.contains("mapping values are not allowed") {
        (
            offset + at,
            "mapping values are not allowed in this context".to_string(),
        )
    } else if m.contains("tab") {
        (
            offset + at,
            "found character that cannot start any token".to_string(),
        )
    } else if m.contains("quoted scalar") || m.contains("unexpected end") {
        let line = match flavor {
            GoYaml::V2 => eof_line + 1,
            GoYaml::V3 => {
                let opened = (0..local)
                    .rev()
                    .find(|i| {
                        lines
                            .get(*i)
                            .is_some_and(|l| l.contains('"') || l.contains('\''))
                    })
                    .unwrap_or(local);
                offset + opened + 1
            }
        };
        (line, "found unexpected end of stream".to_string())
    } else if let Some(bracket) = ["'['", "'{'"].iter().find(|b| m.contains(**b)) {
        let close = if *bracket == "'['" { ']' } else { '}' };
        let line = match flavor {
            GoYaml::V2 => eof_line,
            GoYaml::V3 => offset + local,
        };
        (line, format!("did not find expected ',' or '{close}'"))
    } else {
        (offset + at, message.to_string())
    };
    format!("yaml: line {line}: {problem}")
}

/// The 0-based line of the first key of the block mapping a mis-indented line breaks out of (what go-yaml v3
/// reports as the context of "did not find expected key").
fn enclosing_mapping_start(lines: &[&str], bad: usize) -> Option<usize> {
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let meaningful = |l: &str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let is_entry = |l: &str| l.trim_start().starts_with("- ") || l.trim() == "-";
    let c = indent(lines.get(bad)?);
    let mut i = bad;
    let outer = loop {
        if i == 0 {
            return None;
        }
        i -= 1;
        if meaningful(lines[i]) && indent(lines[i]) < c {
            break indent(lines[i]);
        }
    };
    let mut first = i;
    let mut j = i;
    while j > 0 {
        j -= 1;
        let l = lines[j];
        if !meaningful(l) {
            continue;
        }
        let ind = indent(l);
        if ind < outer {
            // A mapping that starts on a sequence entry's line (`- name: x`).
            if is_entry(l) && ind + 2 == outer {
                first = j;
            }
            break;
        }
        if ind == outer && !is_entry(l) {
            first = j;
        }
    }
    Some(first)
}

/// A repeated key in a resource: go-yaml v3 reads the node tree fine, then fails to decode it into a map.
pub(super) fn duplicate_key_error(
    e: &serde_saphyr::Error,
    doc: &str,
    offset: usize,
) -> Option<String> {
    let text = e.without_snippet().to_string();
    let rest = text.split("duplicate mapping key: ").nth(1)?;
    let key = rest.split(',').next()?.trim().to_string();
    let at = e.location().map_or(1, |l| l.line() as usize).max(1);
    let lines: Vec<&str> = doc.lines().collect();
    let this = lines.get(at - 1)?;
    let indent = this.len() - this.trim_start().len();
    let first = (0..at - 1).rev().find(|i| {
        let l = lines[*i];
        l.len() - l.trim_start().len() == indent && l.trim_start().starts_with(&format!("{key}:"))
    })?;
    Some(format!(
        "map[string]interface {{}}(nil): yaml: unmarshal errors:\n  line {}: mapping key \"{key}\" already defined at line {}",
        offset + at,
        offset + first + 1
    ))
}

// Go's encoding/json, as kustomize decodes the kustomization (unknown fields refused; type mismatches named
// by the struct and the field path).

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_error(v: &Value, strukt: &str, path: &str, go_type: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go struct field {strukt}.{path} of type {go_type}",
        json_kind(v)
    )
}

/// The fields of a JSON object decoded into a Go struct: each key matched to one of `known` (exactly or, as
/// Go does, ignoring case), or Go's unknown-field error.
fn struct_fields<'v>(
    v: &'v Value,
    known: &[&'static str],
    strukt: &str,
    path: &str,
    go_type: &str,
) -> Result<Vec<(&'static str, &'v Value)>, String> {
    let obj = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Object(o) => o,
        other => return Err(type_error(other, strukt, path, go_type)),
    };
    let mut out = Vec::new();
    for (k, val) in obj {
        let field = known
            .iter()
            .find(|f| **f == k)
            .or_else(|| known.iter().find(|f| f.eq_ignore_ascii_case(k)));
        match field {
            Some(f) => out.push((*f, val)),
            None => return Err(format!("json: unknown field \"{k}\"")),
        }
    }
    Ok(out)
}

fn join_path(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn de_string(v: &Value, strukt: &str, path: &str) -> Result<String, String> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        other => Err(type_error(other, strukt, path, "string")),
    }
}

fn de_bool(v: &Value, strukt: &str, path: &str) -> Result<bool, String> {
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        other => Err(type_error(other, strukt, path, "bool")),
    }
}

fn de_strings(v: &Value, strukt: &str, path: &str) -> Result<Vec<String>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items.iter().map(|i| de_string(i, strukt, path)).collect(),
        other => Err(type_error(other, strukt, path, "[]string")),
    }
}

fn de_string_map(v: &Value, strukt: &str, path: &str) -> Result<BTreeMap<String, String>, String> {
    match v {
        Value::Null => Ok(BTreeMap::new()),
        Value::Object(o) => o
            .iter()
            .map(|(k, val)| Ok((k.clone(), de_string(val, strukt, path)?)))
            .collect(),
        other => Err(type_error(other, strukt, path, "map[string]string")),
    }
}

fn de_list<T>(
    v: &Value,
    strukt: &str,
    path: &str,
    go_elem: &str,
    mut each: impl FnMut(&Value) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Object(_) | Value::Null => each(i),
                other => Err(type_error(other, strukt, path, go_elem)),
            })
            .collect(),
        other => Err(type_error(other, strukt, path, &format!("[]{go_elem}"))),
    }
}

/// Fields the playground does not carry out: a kustomization that sets them is refused.
const UNSUPPORTED_FIELDS: &[&str] = &[
    "openapi",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "replacements",
    "vars",
    "components",
    "crds",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

const KUSTOMIZATION_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "openapi",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "images",
    "imageTags",
    "replacements",
    "replicas",
    "vars",
    "sortOptions",
    "resources",
    "components",
    "crds",
    "bases",
    "configMapGenerator",
    "secretGenerator",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "generatorOptions",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

const WARN_EDIT_FIX: &str = "Run 'kustomize edit fix' to update your Kustomization automatically.";

fn decode_kustomization(
    v: &Value,
    root: &str,
    warnings: &mut Vec<String>,
) -> Result<Kustomization, String> {
    const S: &str = "Kustomization";
    if !matches!(v, Value::Null | Value::Object(_)) {
        return Err(format!(
            "invalid Kustomization: json: cannot unmarshal {} into Go value of type types.Kustomization",
            json_kind(v)
        ));
    }
    let fields = struct_fields(v, KUSTOMIZATION_FIELDS, S, "", "types.Kustomization")
        .map_err(|e| format!("invalid Kustomization: {e}"))?;
    let mut d = Decoded::default();
    let mut set: BTreeSet<&str> = BTreeSet::new();
    for (name, val) in &fields {
        decode_field(&mut d, name, val).map_err(|e| format!("invalid Kustomization: {e}"))?;
        if !val.is_null() {
            set.insert(name);
        }
    }
    let Decoded {
        mut k,
        kind,
        api_version,
        bases,
        image_tags,
    } = d;
    // Kustomize warns about deprecated fields as it reads each kustomization.
    for (field, instead) in [
        ("bases", "resources"),
        ("commonLabels", "labels"),
        ("imageTags", "images"),
        ("patchesJson6902", "patches"),
        ("patchesStrategicMerge", "patches"),
    ] {
        if set.contains(field) {
            warnings.push(format!(
                "# Warning: '{field}' is deprecated. Please use '{instead}' instead. {WARN_EDIT_FIX}"
            ));
        }
    }
    if set.contains("vars") {
        warnings.push("# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.".into());
    }
    // `FixKustomization`: the deprecated fields join their replacements.
    k.resources.extend(bases);
    k.images.extend(image_tags);
    if set.iter().all(|f| *f == "apiVersion" || *f == "kind") {
        return Err("kustomization.yaml is empty".into());
    }
    let kind = if kind.is_empty() {
        "Kustomization".to_string()
    } else {
        kind
    };
    let mut errs = Vec::new();
    if kind != "Kustomization" && kind != "Component" {
        errs.push("kind should be Kustomization or Component".to_string());
    }
    let required = if kind == "Component" {
        COMPONENT_VERSION
    } else {
        KUSTOMIZATION_VERSION
    };
    if !api_version.is_empty() && api_version != required {
        errs.push(format!("apiVersion for {kind} should be {required}"));
    }
    if !errs.is_empty() {
        return Err(format!(
            "Failed to read kustomization file under {root}:\n{}",
            errs.join("\n")
        ));
    }
    k.component = kind == "Component";
    if let Some(field) = UNSUPPORTED_FIELDS.iter().find(|f| set.contains(**f)) {
        return Err(format!(
            "the kustomization field '{field}' is not available in this playground yet"
        ));
    }
    Ok(k)
}

/// A kustomization as decoded, before the deprecated fields join their replacements.
#[derive(Default)]
struct Decoded {
    k: Kustomization,
    kind: String,
    api_version: String,
    bases: Vec<String>,
    image_tags: Vec<ImageArgs>,
}

fn decode_field(d: &mut Decoded, name: &'static str, val: &Value) -> Result<(), String> {
    const S: &str = "Kustomization";
    match name {
        "apiVersion" => d.api_version = de_string(val, S, name)?,
        "kind" => d.kind = de_string(val, S, name)?,
        "metadata" => {
            for (f, fv) in struct_fields(
                val,
                &["name", "namespace", "labels", "annotations"],
                "ObjectMeta",
                "metadata",
                "types.ObjectMeta",
            )? {
                let p = join_path("metadata", f);
                match f {
                    "labels" | "annotations" => {
                        de_string_map(fv, "ObjectMeta", &p)?;
                    }
                    _ => {
                        de_string(fv, "ObjectMeta", &p)?;
                    }
                }
            }
        }
        "namePrefix" => d.k.name_prefix = de_string(val, S, name)?,
        "nameSuffix" => d.k.name_suffix = de_string(val, S, name)?,
        "namespace" => d.k.namespace = de_string(val, S, name)?,
        "commonLabels" => d.k.common_labels = de_string_map(val, S, name)?,
        "commonAnnotations" => d.k.common_annotations = de_string_map(val, S, name)?,
        "labels" => d.k.labels = de_list(val, S, name, "types.Label", decode_label)?,
        "images" => d.k.images = de_list(val, S, name, "types.Image", |i| decode_image(i, name))?,
        "imageTags" => {
            d.image_tags = de_list(val, S, name, "types.Image", |i| decode_image(i, name))?
        }
        "replicas" => d.k.replicas = de_list(val, S, name, "types.Replica", decode_replica)?,
        "resources" => d.k.resources = de_strings(val, S, name)?,
        "bases" => d.bases = de_strings(val, S, name)?,
        "configMapGenerator" => {
            d.k.config_map_generator = de_list(val, S, name, "types.ConfigMapArgs", |i| {
                decode_generator(i, "ConfigMapArgs", name, false)
            })?
        }
        "secretGenerator" => {
            d.k.secret_generator = de_list(val, S, name, "types.SecretArgs", |i| {
                decode_generator(i, "SecretArgs", name, true)
            })?
        }
        "generatorOptions" if !val.is_null() => {
            d.k.generator_options = Some(decode_options(val, S, name)?);
        }
        "sortOptions" if !val.is_null() => match decode_sort_options(val) {
            Ok(order) => d.k.sort = order,
            Err(e) if e.starts_with("json:") => return Err(e),
            Err(e) => d.k.sort_error = Some(e),
        },
        _ => {}
    }
    Ok(())
}

fn decode_label(v: &Value) -> Result<LabelArgs, String> {
    const S: &str = "Label";
    let mut l = LabelArgs::default();
    for (f, fv) in struct_fields(
        v,
        &[
            "pairs",
            "includeSelectors",
            "includeTemplates",
            "includeVolumeClaimTemplates",
            "fields",
        ],
        S,
        "labels",
        "types.Label",
    )? {
        let p = join_path("labels", f);
        match f {
            "pairs" => l.pairs = de_string_map(fv, S, &p)?,
            "includeSelectors" => l.include_selectors = de_bool(fv, S, &p)?,
            "includeTemplates" => l.include_templates = de_bool(fv, S, &p)?,
            "includeVolumeClaimTemplates" => l.include_volume_claim_templates = de_bool(fv, S, &p)?,
            _ => {
                l.fields = de_list(fv, S, &p, "types.FieldSpec", |i| {
                    let mut fs = FieldSpec::default();
                    for (g, gv) in struct_fields(
                        i,
                        &["group", "version", "kind", "path", "create"],
                        "FieldSpec",
                        &p,
                        "types.FieldSpec",
                    )? {
                        let q = join_path(&p, g);
                        match g {
                            "group" => fs.group = de_string(gv, "FieldSpec", &q)?,
                            "version" => fs.version = de_string(gv, "FieldSpec", &q)?,
                            "kind" => fs.kind = de_string(gv, "FieldSpec", &q)?,
                            "path" => fs.path = de_string(gv, "FieldSpec", &q)?,
                            _ => fs.create = de_bool(gv, "FieldSpec", &q)?,
                        }
                    }
                    Ok(fs)
                })?
            }
        }
    }
    Ok(l)
}

fn decode_image(v: &Value, path: &str) -> Result<ImageArgs, String> {
    const S: &str = "Image";
    let mut i = ImageArgs::default();
    for (f, fv) in struct_fields(
        v,
        &["name", "newName", "tagSuffix", "newTag", "digest"],
        S,
        path,
        "types.Image",
    )? {
        let s = de_string(fv, S, &join_path(path, f))?;
        match f {
            "name" => i.name = s,
            "newName" => i.new_name = s,
            "tagSuffix" => i.tag_suffix = s,
            "newTag" => i.new_tag = s,
            _ => i.digest = s,
        }
    }
    Ok(i)
}

fn decode_replica(v: &Value) -> Result<(String, i64), String> {
    const S: &str = "Replica";
    let (mut name, mut count) = (String::new(), 0);
    for (f, fv) in struct_fields(v, &["name", "count"], S, "replicas", "types.Replica")? {
        if f == "name" {
            name = de_string(fv, S, "replicas.name")?;
        } else {
            count = match fv {
                Value::Null => 0,
                Value::Number(n) => match n.as_i64() {
                    Some(c) => c,
                    None => {
                        return Err(format!(
                            "json: cannot unmarshal number {n} into Go struct field Replica.replicas.count of type int64"
                        ))
                    }
                },
                other => return Err(type_error(other, S, "replicas.count", "int64")),
            };
        }
    }
    Ok((name, count))
}

fn decode_generator(
    v: &Value,
    strukt: &str,
    path: &str,
    secret: bool,
) -> Result<GeneratorArgs, String> {
    let mut known = vec![
        "namespace",
        "name",
        "behavior",
        "literals",
        "files",
        "envs",
        "env",
        "options",
    ];
    if secret {
        known.push("type");
    }
    let mut g = GeneratorArgs::default();
    let mut env = String::new();
    for (f, fv) in struct_fields(v, &known, strukt, path, &format!("types.{strukt}"))? {
        let p = join_path(path, f);
        match f {
            "namespace" => g.namespace = de_string(fv, strukt, &p)?,
            "name" => g.name = de_string(fv, strukt, &p)?,
            "behavior" => g.behavior = de_string(fv, strukt, &p)?,
            "literals" => g.literals = de_strings(fv, strukt, &p)?,
            "files" => g.files = de_strings(fv, strukt, &p)?,
            "envs" => g.envs = de_strings(fv, strukt, &p)?,
            "env" => env = de_string(fv, strukt, &p)?,
            "type" => g.secret_type = de_string(fv, strukt, &p)?,
            _ => {
                if !fv.is_null() {
                    g.options = Some(decode_options(fv, strukt, &p)?);
                }
            }
        }
    }
    if !env.is_empty() {
        g.envs.push(env);
    }
    Ok(g)
}

fn decode_options(v: &Value, strukt: &str, path: &str) -> Result<GeneratorOptions, String> {
    const S: &str = "GeneratorOptions";
    let mut o = GeneratorOptions::default();
    let fields = struct_fields(
        v,
        &[
            "labels",
            "annotations",
            "disableNameSuffixHash",
            "immutable",
        ],
        strukt,
        path,
        "types.GeneratorOptions",
    )?;
    for (f, fv) in fields {
        let p = join_path(path, f);
        match f {
            "labels" => o.labels = de_string_map(fv, S, &p)?,
            "annotations" => o.annotations = de_string_map(fv, S, &p)?,
            "disableNameSuffixHash" => o.disable_name_suffix_hash = de_bool(fv, S, &p)?,
            _ => o.immutable = de_bool(fv, S, &p)?,
        }
    }
    Ok(o)
}

fn decode_sort_options(v: &Value) -> Result<SortOrder, String> {
    const S: &str = "SortOptions";
    let mut order = String::new();
    let mut legacy: Option<(Vec<String>, Vec<String>)> = None;
    for (f, fv) in struct_fields(
        v,
        &["order", "legacySortOptions"],
        S,
        "sortOptions",
        "types.SortOptions",
    )? {
        if f == "order" {
            order = de_string(fv, S, "sortOptions.order")?;
        } else if !fv.is_null() {
            let mut l = (Vec::new(), Vec::new());
            for (g, gv) in struct_fields(
                fv,
                &["orderFirst", "orderLast"],
                "LegacySortOptions",
                "sortOptions.legacySortOptions",
                "types.LegacySortOptions",
            )? {
                let p = join_path("sortOptions.legacySortOptions", g);
                if g == "orderFirst" {
                    l.0 = de_strings(gv, "LegacySortOptions", &p)?;
                } else {
                    l.1 = de_strings(gv, "LegacySortOptions", &p)?;
                }
            }
            legacy = Some(l);
        }
    }
    match order.as_str() {
        "fifo" if legacy.is_some() => Err(
            "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'"
                .into(),
        ),
        "fifo" => Ok(SortOrder::Fifo),
        "legacy" => Ok(match legacy {
            Some((first, last)) => SortOrder::Legacy { first, last },
            None => SortOrder::default(),
        }),
        _ => Err("the field 'sortOptions.order' must be one of [fifo, legacy]".into()),
    }
}
