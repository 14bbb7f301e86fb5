//! Kustomize as built into kubectl (kustomize v5.7: `kubectl apply -k DIR`, `kubectl kustomize DIR`,
//! `kubectl delete -k DIR`). It reads a kustomization and its resources from the learner's files, runs the
//! generators and transformers kustomize runs, in kustomize's order (resources, generators, then namespace,
//! prefix, suffix, labels, annotations, replicas and images at every level; content-hash suffixes and name
//! references once, at the top), sorts in kustomize's legacy order and prints YAML the way kustomize prints it
//! (Go's yaml.v2: sorted keys, `"1"` for numeric strings, `|` blocks). Errors carry kustomize's own wording,
//! prefix by prefix, because learners paste them into search engines.
//!
//! Left out: patches, replacements, vars, the `components` field, Helm, remote bases (git) and plugins; a
//! kustomization that uses them gets a plain "not available in this playground" error instead of a half-built
//! result.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::{goyaml, home, Context};
use ordinal_engine::runtime::fs::normalize;
use ordinal_engine::sha256::{hex, sha256};

/// What a build prints: the YAML documents, and the warnings kustomize writes to standard error (deprecated
/// fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Built {
    pub yaml: String,
    pub warnings: Vec<String>,
}

impl Built {
    /// The warnings as kustomize logs them on standard error, a line each.
    pub fn warnings_text(&self) -> String {
        self.warnings.iter().map(|w| format!("{w}\n")).collect()
    }
}

/// Builds the kustomization in `dir` (a folder among the context's files) into a multi-document YAML text.
pub fn build(ctx: &Context, dir: &str) -> Result<String, String> {
    build_with_warnings(ctx, dir).map(|b| b.yaml)
}

/// [`build`], keeping kustomize's warnings (`# Warning: 'commonLabels' is deprecated…`) for standard error.
pub fn build_with_warnings(ctx: &Context, dir: &str) -> Result<Built, String> {
    let files = Files { ctx };
    let mut warnings = Vec::new();
    let result = (|| {
        let ldr = Loader::top(&files, dir)?;
        let kust = load_kustomization(&ldr, &mut warnings)?;
        let mut resources = accumulate_target(&ldr, &kust, &mut warnings)?;
        // Done once, at the top, after every level's transformers: kustomize's `makeCustomizedResMap`.
        add_hashes(&mut resources);
        fix_name_references(&mut resources)?;
        if let Some(e) = &kust.sort_error {
            return Err(KError::new(e.clone()));
        }
        sort_resources(&mut resources, &kust.sort);
        Ok::<_, KError>(resources)
    })();
    match result {
        Ok(resources) => {
            let docs: Vec<String> = resources
                .iter()
                .map(|r| goyaml::document(&Value::Object(r.obj.clone())))
                .collect();
            Ok(Built {
                yaml: docs.join("---\n"),
                warnings,
            })
        }
        Err(e) => Err(format!("error: {}", e.message)),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Errors

/// A kustomize error as kustomize words it: a cause wrapped in prefixes (`accumulating resources: …`). Whether
/// it came from malformed YAML or an HTTP failure changes how the caller wraps it, as in kustomize.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KError {
    message: String,
    malformed_yaml: bool,
    http: bool,
    /// Raised outside kustomize's accumulation, so no prefixes are added on the way out.
    bare: bool,
}

impl KError {
    fn new(message: impl Into<String>) -> KError {
        KError {
            message: message.into(),
            malformed_yaml: false,
            http: false,
            bare: false,
        }
    }

    /// Go's `errors.WrapPrefixf`: `prefix: cause`, keeping what kind of error it is.
    fn wrap(mut self, prefix: impl AsRef<str>) -> KError {
        if !self.bare {
            self.message = format!("{}: {}", prefix.as_ref(), self.message);
        }
        self
    }
}

impl From<String> for KError {
    fn from(message: String) -> KError {
        KError::new(message)
    }
}

type KResult<T> = Result<T, KError>;

// ---------------------------------------------------------------------------------------------------------
// The learner's file system, as kustomize's loader sees it

/// The learner's files under the home directory; everything outside it does not exist.
struct Files<'a> {
    ctx: &'a Context,
}

/// What a path names.
enum Node<'a> {
    File(&'a str),
    Dir,
    Missing,
}

impl Files<'_> {
    fn cwd(&self) -> String {
        if self.ctx.cwd.is_empty() {
            home::HOME.to_string()
        } else {
            format!("{}/{}", home::HOME, self.ctx.cwd)
        }
    }

    fn node(&self, abs: &str) -> Node<'_> {
        if abs == "/" || abs == home::HOME || home::HOME.starts_with(&format!("{abs}/")) {
            return Node::Dir;
        }
        let Some(key) = abs.strip_prefix(&format!("{}/", home::HOME)) else {
            return Node::Missing;
        };
        if let Some(text) = self.ctx.files.get(key) {
            return Node::File(text);
        }
        let is_dir = self.ctx.dirs.contains(key)
            || self
                .ctx
                .files
                .keys()
                .any(|f| f.strip_prefix(key).is_some_and(|r| r.starts_with('/')));
        if is_dir {
            Node::Dir
        } else {
            Node::Missing
        }
    }

    /// Go's `filepath.EvalSymlinks` failure for a path that does not resolve: `lstat` of the first component
    /// that is missing (or that sits under a file).
    fn lstat_error(&self, abs: &str) -> Option<String> {
        let mut cur = String::new();
        let parts: Vec<&str> = abs.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            cur.push('/');
            cur.push_str(part);
            match self.node(&cur) {
                Node::Missing => return Some(format!("lstat {cur}: no such file or directory")),
                Node::File(_) if i + 1 < parts.len() => {
                    return Some(format!("lstat {cur}/{}: not a directory", parts[i + 1]));
                }
                _ => {}
            }
        }
        None
    }

    /// kyaml's `CleanedAbs`: the directory, and the file name when `path` names a file. `shown` is the path as
    /// the error quotes it.
    fn cleaned_abs(&self, abs: &str, shown: &str) -> Result<(String, Option<String>), String> {
        if let Some(e) = self.lstat_error(abs) {
            return Err(format!("evalsymlink failure on '{shown}' : {e}"));
        }
        match self.node(abs) {
            Node::Dir => Ok((abs.to_string(), None)),
            _ => {
                let (dir, file) = abs.rsplit_once('/').unwrap_or(("", abs));
                let dir = if dir.is_empty() { "/" } else { dir };
                Ok((dir.to_string(), Some(file.to_string())))
            }
        }
    }
}

/// `ConfirmedDir.HasPrefix`: `dir` is `root` or below it.
fn has_prefix(dir: &str, root: &str) -> bool {
    root == "/" || dir == root || dir.starts_with(&format!("{root}/"))
}

/// A kustomization directory and where kustomize may read from it (its `RestrictionRootOnly` loader).
struct Loader<'a> {
    files: &'a Files<'a>,
    /// Absolute, cleaned.
    root: String,
    /// The roots of the kustomizations that led here, nearest first (for cycle detection).
    referrers: Vec<String>,
}

impl<'a> Loader<'a> {
    /// The loader for the directory kubectl was given.
    fn top(files: &'a Files<'a>, target: &str) -> KResult<Loader<'a>> {
        let abs = normalize(&files.cwd(), target);
        let root = match files.cleaned_abs(&abs, target) {
            Err(e) => {
                return Err(KError::new(format!(
                    "must build at directory: not a valid directory: {e}"
                )))
            }
            Ok((_, Some(_))) => {
                return Err(KError::new(format!(
                    "must build at directory: '{target}': file is not directory"
                )))
            }
            Ok((dir, None)) => dir,
        };
        Ok(Loader {
            files,
            root,
            referrers: Vec::new(),
        })
    }

    /// `FileLoader.New`: the loader for a resource that names a directory.
    fn child(&self, path: &str) -> Result<Loader<'a>, String> {
        if path.is_empty() {
            return Err("new root cannot be empty".into());
        }
        if crate::catalogue::is_url(path)
            || path.starts_with("git@")
            || path.starts_with("github.com/")
        {
            return Err(format!(
                "remote bases ('{path}') are not available in this playground yet"
            ));
        }
        if path.starts_with('/') {
            return Err(format!("new root '{path}' cannot be absolute"));
        }
        if path
            .split('/')
            .any(|p| !p.is_empty() && p != "." && p != ".." && p.contains(".."))
        {
            return Err(format!(
                "path {path:?} is ambiguous: resolves to {:?} after normalization, which is likely not the intended target; check for YAML indentation errors in your kustomization file",
                clean_relative(path)
            ));
        }
        let joined = normalize(&self.root, path);
        let root = match self.files.cleaned_abs(&joined, &joined) {
            Err(e) => {
                return Err(format!(
                    "must build at directory: not a valid directory: {e}"
                ))
            }
            Ok((_, Some(_))) => {
                return Err(format!(
                    "must build at directory: '{joined}': file is not directory"
                ))
            }
            Ok((dir, None)) => dir,
        };
        for visited in std::iter::once(&self.root).chain(self.referrers.iter()) {
            if has_prefix(visited, &root) {
                return Err(format!(
                    "cycle detected: candidate root '{root}' contains visited root '{visited}'"
                ));
            }
        }
        let mut referrers = vec![self.root.clone()];
        referrers.extend(self.referrers.iter().cloned());
        Ok(Loader {
            files: self.files,
            root,
            referrers,
        })
    }

    /// `FileLoader.Load` under `RestrictionRootOnly`: a file in or below the root, or a URL.
    fn load(&self, path: &str) -> KResult<String> {
        if crate::catalogue::is_url(path) {
            return match crate::catalogue::fetch(path) {
                crate::catalogue::Fetched::File(text) => Ok(text.to_string()),
                crate::catalogue::Fetched::NotFound => Err(KError {
                    http: true,
                    ..KError::new("HTTP Error: status code 404 (Not Found)")
                }),
                crate::catalogue::Fetched::NoSuchHost(host) => Err(KError {
                    http: true,
                    ..KError::new(format!(
                        "Get \"{path}\": dial tcp: lookup {host}: no such host"
                    ))
                }),
            };
        }
        let joined = if path.starts_with('/') {
            path.to_string()
        } else {
            normalize(&self.root, path)
        };
        let (dir, file) = self.files.cleaned_abs(&joined, &joined)?;
        if file.is_none() {
            return Err(KError::new(format!("'{joined}' must resolve to a file")));
        }
        if !has_prefix(&dir, &self.root) {
            return Err(KError::new(format!(
                "security; file '{joined}' is not in or below '{}'",
                self.root
            )));
        }
        match self.files.node(&joined) {
            Node::File(text) => Ok(text.to_string()),
            _ => Err(KError::new(format!(
                "open {joined}: no such file or directory"
            ))),
        }
    }
}

/// Go's `filepath.Clean` of a relative path, for the "ambiguous path" message.
fn clean_relative(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

// ---------------------------------------------------------------------------------------------------------
// The kustomization file

const KUSTOMIZATION_FILE_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const KUSTOMIZATION_VERSION: &str = "kustomize.config.k8s.io/v1beta1";
const COMPONENT_VERSION: &str = "kustomize.config.k8s.io/v1alpha1";

/// The parts of kustomize's `types.Kustomization` the playground carries out.
#[derive(Debug, Clone, Default)]
struct Kustomization {
    name_prefix: String,
    name_suffix: String,
    namespace: String,
    common_labels: BTreeMap<String, String>,
    labels: Vec<LabelArgs>,
    common_annotations: BTreeMap<String, String>,
    images: Vec<ImageArgs>,
    replicas: Vec<(String, i64)>,
    resources: Vec<String>,
    config_map_generator: Vec<GeneratorArgs>,
    secret_generator: Vec<GeneratorArgs>,
    generator_options: Option<GeneratorOptions>,
    sort: SortOrder,
    /// Why `sortOptions` is invalid; reported only for the top kustomization, the only one whose order counts.
    sort_error: Option<String>,
    /// `kind: Component`: fine to build on its own, refused as a `resources` entry.
    component: bool,
}

#[derive(Debug, Clone, Default)]
struct LabelArgs {
    pairs: BTreeMap<String, String>,
    include_selectors: bool,
    include_templates: bool,
    include_volume_claim_templates: bool,
    fields: Vec<FieldSpec>,
}

#[derive(Debug, Clone, Default)]
struct ImageArgs {
    name: String,
    new_name: String,
    new_tag: String,
    tag_suffix: String,
    digest: String,
}

/// One `configMapGenerator` or `secretGenerator` entry.
#[derive(Debug, Clone, Default)]
struct GeneratorArgs {
    namespace: String,
    name: String,
    behavior: String,
    literals: Vec<String>,
    files: Vec<String>,
    envs: Vec<String>,
    options: Option<GeneratorOptions>,
    /// Secrets only.
    secret_type: String,
}

#[derive(Debug, Clone, Default)]
struct GeneratorOptions {
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    disable_name_suffix_hash: bool,
    immutable: bool,
}

/// `sortOptions`: kustomize's legacy order (the default) or the order resources were read in.
#[derive(Debug, Clone)]
enum SortOrder {
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
fn load_kustomization(ldr: &Loader, warnings: &mut Vec<String>) -> KResult<Kustomization> {
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
enum GoYaml {
    V2,
    V3,
}

/// go-yaml's wording for a parse failure, `yaml: line N: problem`, from the parser's. `doc` is the document
/// and `offset` the number of lines before it in its file. go-yaml numbers scanner errors from 1 but parser
/// errors from 0, and v3 points parser errors at the construct being parsed (the enclosing mapping's first
/// key, the opening bracket or quote) rather than at the offending token.
fn yaml_error(e: &serde_saphyr::Error, doc: &str, offset: usize, flavor: GoYaml) -> String {
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
fn duplicate_key_error(e: &serde_saphyr::Error, doc: &str, offset: usize) -> Option<String> {
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

// ---------------------------------------------------------------------------------------------------------
// Resources and their identities

/// kustomize's `ResId`: what names an object in a build.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Id {
    group: String,
    version: String,
    kind: String,
    name: String,
    namespace: String,
}

impl Id {
    fn cluster_scoped(&self) -> bool {
        is_cluster_scoped(&self.kind)
    }

    fn effective_namespace(&self) -> &str {
        if self.cluster_scoped() {
            ""
        } else if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// `IsNsEquals`: the same namespace, counting no namespace as `default`.
    fn ns_equals(&self, o: &Id) -> bool {
        (self.cluster_scoped() && o.cluster_scoped())
            || self.effective_namespace() == o.effective_namespace()
    }

    fn same_gvk(&self, o: &Id) -> bool {
        self.group == o.group && self.version == o.version && self.kind == o.kind
    }

    fn equals(&self, o: &Id) -> bool {
        self.same_gvk(o) && self.name == o.name && self.ns_equals(o)
    }

    /// `Gvk.IsSelected`: the selector's non-empty parts match.
    fn selected_by(&self, group: &str, version: &str, kind: &str) -> bool {
        (group.is_empty() || group == self.group)
            && (version.is_empty() || version == self.version)
            && (kind.is_empty() || kind == self.kind)
    }
}

impl std::fmt::Display for Id {
    /// `ResId.String()`: `Deployment.v1.apps/wordpress.[noNs]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let or = |s: &str, none: &'static str| {
            if s.is_empty() {
                none.to_string()
            } else {
                s.to_string()
            }
        };
        write!(
            f,
            "{}.{}.{}/{}.{}",
            or(&self.kind, "[noKind]"),
            or(&self.version, "[noVer]"),
            or(&self.group, "[noGrp]"),
            or(&self.name, "[noName]"),
            or(&self.namespace, "[noNs]")
        )
    }
}

/// Kinds the API serves without a namespace (kustomize learns this from its built-in OpenAPI schema).
fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "StorageClass"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "PriorityClass"
            | "PodSecurityPolicy"
            | "APIService"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "CSIDriver"
            | "CSINode"
            | "VolumeAttachment"
            | "RuntimeClass"
            | "IngressClass"
            | "ComponentStatus"
            | "CertificateSigningRequest"
            | "TokenReview"
            | "SelfSubjectAccessReview"
            | "SubjectAccessReview"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
            | "VolumeAttributesClass"
    )
}

/// `ParseGroupVersion`: `apps/v1` is (apps, v1); `v1` is the core group.
fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

/// How a generated object joins what an earlier level (a base) generated under the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behavior {
    Unspecified,
    Create,
    Replace,
    Merge,
}

impl Behavior {
    fn parse(s: &str) -> Behavior {
        match s {
            "create" => Behavior::Create,
            "replace" => Behavior::Replace,
            "merge" => Behavior::Merge,
            _ => Behavior::Unspecified,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Behavior::Unspecified => "unspecified",
            Behavior::Create => "create",
            Behavior::Replace => "replace",
            Behavior::Merge => "merge",
        }
    }
}

/// One object in a build, with what kustomize tracks in its build annotations.
#[derive(Debug, Clone)]
struct Res {
    obj: Map<String, Value>,
    /// The identities it had before each rename (name, namespace, kind), oldest first: kustomize's
    /// `previousNames`/`previousNamespaces`/`previousKinds`.
    prev: Vec<(String, String, String)>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    /// Generated with a content-hash name suffix to come.
    hash: bool,
    behavior: Behavior,
}

impl Res {
    fn new(obj: Map<String, Value>) -> Res {
        Res {
            obj,
            prev: Vec::new(),
            prefixes: Vec::new(),
            suffixes: Vec::new(),
            hash: false,
            behavior: Behavior::Unspecified,
        }
    }

    fn str_at(&self, path: &[&str]) -> &str {
        let mut v = self.obj.get(path[0]);
        for p in &path[1..] {
            v = v.and_then(|x| x.get(p));
        }
        v.and_then(Value::as_str).unwrap_or("")
    }

    fn kind(&self) -> &str {
        self.str_at(&["kind"])
    }

    fn api_version(&self) -> &str {
        self.str_at(&["apiVersion"])
    }

    fn name(&self) -> &str {
        self.str_at(&["metadata", "name"])
    }

    fn namespace(&self) -> &str {
        self.str_at(&["metadata", "namespace"])
    }

    fn metadata(&mut self) -> &mut Map<String, Value> {
        let meta = self
            .obj
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if !meta.is_object() {
            *meta = Value::Object(Map::new());
        }
        match meta {
            Value::Object(m) => m,
            _ => unreachable!("made an object above"),
        }
    }

    fn set_name(&mut self, name: String) {
        self.metadata().insert("name".into(), Value::String(name));
    }

    fn id_with(&self, kind: &str, name: &str, namespace: &str) -> Id {
        let (group, version) = split_api_version(self.api_version());
        Id {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
            name: name.into(),
            namespace: namespace.into(),
        }
    }

    fn cur_id(&self) -> Id {
        self.id_with(self.kind(), self.name(), self.namespace())
    }

    fn prev_ids(&self) -> Vec<Id> {
        self.prev
            .iter()
            .map(|(n, ns, k)| self.id_with(k, n, ns))
            .collect()
    }

    /// The identity it was read or generated with.
    fn org_id(&self) -> Id {
        self.prev_ids()
            .into_iter()
            .next()
            .unwrap_or_else(|| self.cur_id())
    }

    /// Every identity it has had, for the lookups kustomize does "by any id".
    fn any_ids(&self) -> Vec<Id> {
        let mut ids = vec![self.org_id()];
        ids.extend(self.prev_ids());
        ids.push(self.cur_id());
        ids
    }

    /// `StorePreviousId`: remember the current identity before a rename.
    fn store_previous_id(&mut self) {
        let id = self.cur_id();
        let ns = id.effective_namespace().to_string();
        self.prev.push((id.name, ns, id.kind));
    }

    fn labels_map(&self, key: &str) -> BTreeMap<String, String> {
        self.obj
            .get("metadata")
            .and_then(|m| m.get(key))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// kyaml's `ResourceMeta` printed with Go's `%v`, as kustomize's missing-field errors show it.
fn go_meta(obj: &Map<String, Value>) -> String {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let meta = obj.get("metadata");
    let map = |key: &str| {
        let pairs: Vec<String> = meta
            .and_then(|m| m.get(key))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}:{}", v.as_str().unwrap_or("")))
                    .collect()
            })
            .unwrap_or_default();
        format!("map[{}]", pairs.join(" "))
    };
    format!(
        "{{{{{} {}}} {{{{{} {}}} {} {}}}}}",
        s(obj.get("apiVersion")),
        s(obj.get("kind")),
        s(meta.and_then(|m| m.get("name"))),
        s(meta.and_then(|m| m.get("namespace"))),
        map("labels"),
        map("annotations")
    )
}

/// Splits a YAML stream into documents, each with the number of lines before it.
fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        let marker = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if marker || line == "..." {
            docs.push((start, std::mem::take(&mut current)));
            start = i + 1;
            if let Some(rest) = line
                .strip_prefix("---")
                .map(str::trim_start)
                .filter(|r| !r.is_empty())
            {
                current.push_str(rest);
                current.push('\n');
                start = i;
            }
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    docs.push((start, current));
    docs
}

/// The objects in a resource file (kustomize's `RNodesFromBytes`): empty documents dropped, `…List` kinds
/// unpacked, every object checked for a kind and a name.
fn read_resources(text: &str, path: &str) -> KResult<Vec<Res>> {
    let mut out = Vec::new();
    for (offset, doc) in split_documents(text) {
        if doc
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            continue;
        }
        // kyaml reads resources with go-yaml v3: YAML 1.2, where `yes` and `on` are strings.
        let options = serde_saphyr::options! { strict_booleans: true };
        let value: Value = serde_saphyr::from_str_with_options(&doc, options).map_err(|e| {
            match duplicate_key_error(&e, &doc, offset) {
                Some(message) => KError {
                    message,
                    malformed_yaml: false,
                    http: false,
                    bare: true,
                },
                None => KError {
                    message: format!(
                        "MalformedYAMLError: {} in File: {path}",
                        yaml_error(&e, &doc, offset, GoYaml::V3)
                    ),
                    malformed_yaml: true,
                    http: false,
                    bare: false,
                },
            }
        })?;
        let obj = match value {
            Value::Null => continue,
            Value::Object(o) if o.is_empty() => continue,
            Value::Array(a) if a.is_empty() => continue,
            Value::Object(o) => o,
            _ => return Err(KError::new("missing Resource metadata")),
        };
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
        if kind.is_empty() {
            return Err(KError::new(format!(
                "missing kind in object {}",
                go_meta(&obj)
            )));
        }
        if kind.ends_with("List") {
            for item in obj
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Value::Object(o) = item {
                    out.push(checked(o.clone())?);
                }
            }
            continue;
        }
        out.push(checked(obj)?);
    }
    Ok(out)
}

fn checked(obj: Map<String, Value>) -> KResult<Res> {
    let res = Res::new(obj);
    if res.kind().is_empty() {
        return Err(KError::new(format!(
            "missing kind in object {}",
            go_meta(&res.obj)
        )));
    }
    if res.name().is_empty() {
        return Err(KError::new(format!(
            "missing metadata.name in object {}",
            go_meta(&res.obj)
        )));
    }
    Ok(res)
}

/// `resWrangler.Append`: one object per identity.
fn append(list: &mut Vec<Res>, res: Res) -> Result<(), String> {
    let id = res.cur_id();
    if list.iter().any(|r| r.cur_id().equals(&id)) {
        return Err(format!(
            "may not add resource with an already registered id: {id}"
        ));
    }
    list.push(res);
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------
// Accumulation: one kustomization level

/// Builds one kustomization level: its resources (files and sub-kustomizations), its generators, then its
/// transformers (kustomize's `accumulateTarget`). Hashes and name references wait for the top level.
fn accumulate_target(
    ldr: &Loader,
    k: &Kustomization,
    warnings: &mut Vec<String>,
) -> KResult<Vec<Res>> {
    let mut list = Vec::new();
    for path in &k.resources {
        accumulate_path(ldr, path, &mut list, warnings)
            .map_err(|e| e.wrap("accumulating resources"))?;
    }
    for args in &k.config_map_generator {
        let res = generate(ldr, args, k.generator_options.as_ref(), false)?;
        absorb(&mut list, res)?;
    }
    for args in &k.secret_generator {
        let res = generate(ldr, args, k.generator_options.as_ref(), true)?;
        absorb(&mut list, res)?;
    }
    transform(&mut list, k)?;
    Ok(list)
}

/// One `resources` entry: a file (or URL) of objects, else a directory with its own kustomization.
fn accumulate_path(
    ldr: &Loader,
    path: &str,
    list: &mut Vec<Res>,
    warnings: &mut Vec<String>,
) -> KResult<()> {
    let as_file = ldr
        .load(path)
        .and_then(|text| read_resources(&text, path))
        .map_err(|e| e.wrap(format!("accumulating resources from '{path}'")))
        .and_then(|objs| {
            for r in objs {
                append(list, r)
                    .map_err(|e| KError::new(e).wrap(format!("merging resources from '{path}'")))?;
            }
            Ok(())
        });
    let err_file = match as_file {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    if err_file.http || err_file.bare {
        return Err(err_file);
    }
    let child = match ldr.child(path) {
        Ok(c) => c,
        Err(e) => {
            if err_file.malformed_yaml {
                return Err(err_file);
            }
            return Err(KError::new(e).wrap(format!("accumulation err='{}'", err_file.message)));
        }
    };
    let sub = load_kustomization(&child, warnings)
        .map_err(|e| e.wrap(format!("couldn't make target for path '{}'", child.root)))
        .and_then(|sk| {
            if sk.component {
                return Err(KError::new(format!(
                    "expected kind != 'Component' for path '{}'",
                    child.root
                )));
            }
            Ok(sk)
        })
        .and_then(|sk| {
            accumulate_target(&child, &sk, warnings)
                .map_err(|e| e.wrap(format!("recursed accumulation of path '{}'", child.root)))
        })
        .and_then(|objs| {
            for r in objs {
                append(list, r).map_err(|e| {
                    KError::new(e).wrap(format!("recursed merging from path '{}'", child.root))
                })?;
            }
            Ok(())
        });
    sub.map_err(|e| e.wrap(format!("accumulation err='{}'", err_file.message)))
}

// ---------------------------------------------------------------------------------------------------------
// Generators: configMapGenerator and secretGenerator

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
fn parse_literal(source: &str) -> Result<(String, String), String> {
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
fn parse_file_source(source: &str) -> Result<(String, String), String> {
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
fn env_pairs(text: &str) -> Vec<(String, String)> {
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
fn base64_lines(bytes: &[u8]) -> String {
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
fn generate(
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
        let data: Map<String, Value> = pairs
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(base64_lines(v.as_bytes()))))
            .collect();
        obj.insert("data".into(), Value::Object(data));
    } else if !pairs.is_empty() {
        let data: Map<String, Value> = pairs
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
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
fn absorb(list: &mut Vec<Res>, mut res: Res) -> KResult<()> {
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
                            let m: Map<String, Value> =
                                merged.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
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

// ---------------------------------------------------------------------------------------------------------
// Transformers

/// kustomize's `FieldSpec`: a path in objects of a kind (empty parts match anything), created when missing
/// if `create`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct FieldSpec {
    group: String,
    version: String,
    kind: String,
    path: String,
    create: bool,
}

/// A field-spec table row: (kind, group, version, path, create).
type SpecRow = (&'static str, &'static str, &'static str, &'static str, bool);

fn specs(rows: &[SpecRow]) -> Vec<FieldSpec> {
    rows.iter()
        .map(|(kind, group, version, path, create)| FieldSpec {
            group: (*group).into(),
            version: (*version).into(),
            kind: (*kind).into(),
            path: (*path).into(),
            create: *create,
        })
        .collect()
}

/// builtinpluginconsts `metadataLabelsFieldSpecs`: labels on objects and on the pod templates they carry.
const METADATA_LABELS: &[SpecRow] = &[
    ("", "", "", "metadata/labels", true),
    (
        "ReplicationController",
        "",
        "v1",
        "spec/template/metadata/labels",
        true,
    ),
    ("Deployment", "", "", "spec/template/metadata/labels", true),
    ("ReplicaSet", "", "", "spec/template/metadata/labels", true),
    ("DaemonSet", "", "", "spec/template/metadata/labels", true),
    (
        "StatefulSet",
        "apps",
        "",
        "spec/template/metadata/labels",
        true,
    ),
    ("Job", "batch", "", "spec/template/metadata/labels", true),
    (
        "CronJob",
        "batch",
        "",
        "spec/jobTemplate/metadata/labels",
        true,
    ),
    (
        "CronJob",
        "batch",
        "",
        "spec/jobTemplate/spec/template/metadata/labels",
        true,
    ),
];

const VOLUME_CLAIM_TEMPLATE_LABELS: &[SpecRow] = &[(
    "StatefulSet",
    "apps",
    "",
    "spec/volumeClaimTemplates[]/metadata/labels",
    true,
)];

/// builtinpluginconsts `commonLabelFieldSpecs` before the metadata ones: selectors.
const SELECTOR_LABELS: &[SpecRow] = &[
    ("Service", "", "v1", "spec/selector", true),
    ("ReplicationController", "", "v1", "spec/selector", true),
    ("Deployment", "", "", "spec/selector/matchLabels", true),
    ("Deployment", "apps", "", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false),
    ("Deployment", "apps", "", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false),
    ("Deployment", "apps", "", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false),
    ("Deployment", "apps", "", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false),
    ("Deployment", "apps", "", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false),
    ("ReplicaSet", "", "", "spec/selector/matchLabels", true),
    ("DaemonSet", "", "", "spec/selector/matchLabels", true),
    ("StatefulSet", "apps", "", "spec/selector/matchLabels", true),
    ("StatefulSet", "apps", "", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false),
    ("StatefulSet", "apps", "", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false),
    ("StatefulSet", "apps", "", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false),
    ("StatefulSet", "apps", "", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false),
    ("StatefulSet", "apps", "", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false),
    ("Job", "batch", "", "spec/selector/matchLabels", false),
    ("CronJob", "batch", "", "spec/jobTemplate/spec/selector/matchLabels", false),
    ("PodDisruptionBudget", "policy", "", "spec/selector/matchLabels", false),
    ("NetworkPolicy", "networking.k8s.io", "", "spec/podSelector/matchLabels", false),
    ("NetworkPolicy", "networking.k8s.io", "", "spec/ingress/from/podSelector/matchLabels", false),
    ("NetworkPolicy", "networking.k8s.io", "", "spec/egress/to/podSelector/matchLabels", false),
];

/// builtinpluginconsts `commonAnnotationFieldSpecs`.
const ANNOTATIONS: &[SpecRow] = &[
    ("", "", "", "metadata/annotations", true),
    (
        "ReplicationController",
        "",
        "v1",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "Deployment",
        "",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "ReplicaSet",
        "",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "DaemonSet",
        "",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "StatefulSet",
        "",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "Job",
        "batch",
        "",
        "spec/template/metadata/annotations",
        true,
    ),
    (
        "CronJob",
        "batch",
        "",
        "spec/jobTemplate/metadata/annotations",
        true,
    ),
    (
        "CronJob",
        "batch",
        "",
        "spec/jobTemplate/spec/template/metadata/annotations",
        true,
    ),
];

/// builtinpluginconsts `namespaceFieldSpecs` (besides every namespaced object's `metadata/namespace`).
const NAMESPACE_FIELDS: &[SpecRow] = &[
    ("Namespace", "", "", "metadata/name", true),
    (
        "APIService",
        "apiregistration.k8s.io",
        "",
        "spec/service/namespace",
        true,
    ),
    (
        "CustomResourceDefinition",
        "apiextensions.k8s.io",
        "",
        "spec/conversion/webhook/clientConfig/service/namespace",
        false,
    ),
];

/// builtinpluginconsts `replicasFieldSpecs`.
const REPLICAS: &[SpecRow] = &[
    ("Deployment", "", "", "spec/replicas", true),
    ("ReplicationController", "", "", "spec/replicas", true),
    ("ReplicaSet", "", "", "spec/replicas", true),
    ("StatefulSet", "", "", "spec/replicas", true),
];

/// What a field spec creates at the end of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    Map,
    Scalar,
}

/// `isMatchGVK`: the spec applies to this object.
fn spec_matches(fs: &FieldSpec, obj: &Map<String, Value>) -> bool {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let (group, version) =
        split_api_version(obj.get("apiVersion").and_then(Value::as_str).unwrap_or(""));
    (fs.kind.is_empty() || fs.kind == kind)
        && (fs.group.is_empty() || fs.group == group)
        && (fs.version.is_empty() || fs.version == version)
}

/// kyaml's `PathSplitter`: `/`-separated, `\/` keeping a slash inside a key.
fn split_path(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                chars.next();
                if let Some(last) = parts.last_mut() {
                    last.push('/');
                }
            }
            '/' => parts.push(String::new()),
            other => {
                if let Some(last) = parts.last_mut() {
                    last.push(other);
                }
            }
        }
    }
    parts
}

/// Applies `set` at the end of `fs`'s path in `obj` (kustomize's `fieldspec.Filter`): sequences on the way are
/// walked element by element; missing fields are created only when the spec says so (never through `[]`).
fn apply_spec(
    obj: &mut Map<String, Value>,
    fs: &FieldSpec,
    leaf: Leaf,
    set: &mut dyn FnMut(&mut Value),
) {
    if !spec_matches(fs, obj) {
        return;
    }
    let path = split_path(&fs.path);
    let mut root = Value::Object(std::mem::take(obj));
    walk(&mut root, &path, fs.create, leaf, set);
    if let Value::Object(m) = root {
        *obj = m;
    }
}

fn walk(v: &mut Value, path: &[String], create: bool, leaf: Leaf, set: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = path.split_first() else {
        set(v);
        return;
    };
    match v {
        Value::Array(items) => {
            for item in items {
                walk(item, path, create, leaf, set);
            }
        }
        Value::Object(map) => {
            let (name, seq) = match first.strip_suffix("[]") {
                Some(n) => (n, true),
                None => (first.as_str(), false),
            };
            if name.is_empty() {
                return;
            }
            let creating = create && !seq;
            let made = |last: bool| {
                if last && leaf == Leaf::Scalar {
                    Value::String(String::new())
                } else {
                    Value::Object(Map::new())
                }
            };
            let field = if creating {
                Some(map.entry(name).or_insert_with(|| made(rest.is_empty())))
            } else {
                map.get_mut(name)
            };
            let Some(field) = field else {
                return;
            };
            if field.is_null() && creating {
                *field = made(rest.is_empty());
            }
            if field.is_null() && !rest.is_empty() {
                return;
            }
            walk(field, rest, create, leaf, set);
        }
        _ => {}
    }
}

/// Sets `pairs` in the map a label or annotation spec leads to.
fn set_pairs(pairs: &BTreeMap<String, String>) -> impl FnMut(&mut Value) + '_ {
    move |v: &mut Value| {
        if v.is_null() {
            *v = Value::Object(Map::new());
        }
        if let Value::Object(m) = v {
            for (k, val) in pairs {
                m.insert(k.clone(), Value::String(val.clone()));
            }
        }
    }
}

/// Runs one level's transformers in kustomize's order.
fn transform(list: &mut [Res], k: &Kustomization) -> KResult<()> {
    if !k.namespace.is_empty() {
        for r in list.iter_mut() {
            set_namespace(r, &k.namespace);
        }
        for i in 0..list.len() {
            let id = list[i].cur_id();
            if list.iter().filter(|r| r.cur_id().equals(&id)).count() != 1 {
                return Err(KError::new(format!(
                    "namespace transformation produces ID conflict: {id}"
                )));
            }
        }
    }
    for (affix, is_prefix) in [(&k.name_prefix, true), (&k.name_suffix, false)] {
        if affix.is_empty() {
            continue;
        }
        for r in list.iter_mut() {
            let org = r.org_id();
            let skip = org.kind == "CustomResourceDefinition"
                || org.kind == "Namespace"
                || (org.kind == "APIService" && org.group == "apiregistration.k8s.io");
            if skip {
                continue;
            }
            r.store_previous_id();
            let name = r.name().to_string();
            if is_prefix {
                r.prefixes.push(affix.clone());
                r.set_name(format!("{affix}{name}"));
            } else {
                r.suffixes.push(affix.clone());
                r.set_name(format!("{name}{affix}"));
            }
        }
    }
    for label in &k.labels {
        let mut fields = label.fields.clone();
        if label.include_selectors {
            fields.extend(specs(SELECTOR_LABELS));
            fields.extend(specs(METADATA_LABELS));
            fields.extend(specs(VOLUME_CLAIM_TEMPLATE_LABELS));
        } else {
            if label.include_templates {
                fields.extend(specs(METADATA_LABELS));
            }
            if label.include_volume_claim_templates {
                fields.extend(specs(VOLUME_CLAIM_TEMPLATE_LABELS));
            }
            fields.push(FieldSpec {
                path: "metadata/labels".into(),
                create: true,
                ..FieldSpec::default()
            });
        }
        apply_all(list, &fields, Leaf::Map, &label.pairs);
    }
    if !k.common_labels.is_empty() {
        let mut fields = specs(SELECTOR_LABELS);
        fields.extend(specs(METADATA_LABELS));
        fields.extend(specs(VOLUME_CLAIM_TEMPLATE_LABELS));
        apply_all(list, &fields, Leaf::Map, &k.common_labels);
    }
    if !k.common_annotations.is_empty() {
        apply_all(list, &specs(ANNOTATIONS), Leaf::Map, &k.common_annotations);
    }
    for (name, count) in &k.replicas {
        set_replicas(list, name, *count)?;
    }
    for image in &k.images {
        for r in list.iter_mut() {
            if r.kind() != "CustomResourceDefinition" {
                set_images(&mut r.obj, image);
            }
        }
    }
    Ok(())
}

fn apply_all(list: &mut [Res], fields: &[FieldSpec], leaf: Leaf, pairs: &BTreeMap<String, String>) {
    for r in list.iter_mut() {
        for fs in fields {
            apply_spec(&mut r.obj, fs, leaf, &mut set_pairs(pairs));
        }
    }
}

/// The namespace transformer: every namespaced object's `metadata.namespace`, a Namespace object's own name,
/// and role binding subjects named `default`.
fn set_namespace(r: &mut Res, ns: &str) {
    if r.obj.is_empty() {
        return;
    }
    r.store_previous_id();
    let mut set = |v: &mut Value| *v = Value::String(ns.to_string());
    if !is_cluster_scoped(r.kind()) {
        let fs = FieldSpec {
            path: "metadata/namespace".into(),
            create: true,
            ..FieldSpec::default()
        };
        apply_spec(&mut r.obj, &fs, Leaf::Scalar, &mut set);
    }
    let v1 = r.api_version() == "v1";
    for fs in specs(NAMESPACE_FIELDS) {
        if fs.path == "metadata/name" && !v1 {
            continue;
        }
        apply_spec(&mut r.obj, &fs, Leaf::Scalar, &mut set);
    }
    if matches!(r.kind(), "RoleBinding" | "ClusterRoleBinding") {
        if let Some(Value::Array(subjects)) = r.obj.get_mut("subjects") {
            for s in subjects.iter_mut() {
                if let Value::Object(m) = s {
                    if m.get("name").and_then(Value::as_str) == Some("default") {
                        m.insert("namespace".into(), Value::String(ns.to_string()));
                    }
                }
            }
        }
    }
}

/// The replicas transformer: `spec.replicas` of the workloads that have (or had) this name.
fn set_replicas(list: &mut [Res], name: &str, count: i64) -> KResult<()> {
    let mut found = false;
    for fs in specs(REPLICAS) {
        for r in list.iter_mut() {
            let hit = r
                .any_ids()
                .iter()
                .any(|id| id.name == name && id.selected_by(&fs.group, &fs.version, &fs.kind));
            if hit {
                found = true;
                apply_spec(&mut r.obj, &fs, Leaf::Scalar, &mut |v: &mut Value| {
                    *v = Value::from(count);
                });
            }
        }
    }
    if found {
        Ok(())
    } else {
        Err(KError::new(format!(
            "resource with name {name} does not match a config with the following GVK [Deployment.[noVer].[noGrp] ReplicationController.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] StatefulSet.[noVer].[noGrp]]"
        )))
    }
}

/// `IsImageMatched`: `image` is `name`, optionally with a tag and/or a digest.
fn image_matches(image: &str, name: &str) -> bool {
    let Some(mut rest) = image.strip_prefix(name) else {
        return false;
    };
    let tag_char = |c: char| c.is_ascii_alphanumeric() || "_.{}-".contains(c);
    if let Some(r) = rest.strip_prefix(':') {
        rest = r.trim_start_matches(tag_char);
    }
    if rest.is_empty() {
        return true;
    }
    // `@algorithm:hex`: the algorithm is alphanumeric words joined by `.+_-`.
    let Some(digest) = rest.strip_prefix('@') else {
        return false;
    };
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let words_ok = !algorithm.is_empty()
        && algorithm
            .split(['.', '+', '_', '-'])
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric()));
    words_ok && hex.chars().all(tag_char)
}

/// `image.Split`: name, tag and digest of an image reference (a registry port is not a tag).
fn split_image(image: &str) -> (String, String, String) {
    let slash = image.find('/').filter(|i| *i > 0).unwrap_or(0);
    let search = &image[slash..];
    let at = search.find('@').map(|i| i + slash);
    let colon = search.find(':').map(|i| i + slash);
    match (colon, at) {
        (None, None) => (image.into(), String::new(), String::new()),
        (Some(c), Some(a)) if c < a => (
            image[..c].into(),
            image[c + 1..a].into(),
            image[a + 1..].into(),
        ),
        (_, Some(a)) => (image[..a].into(), String::new(), image[a + 1..].into()),
        (Some(c), None) => (image[..c].into(), image[c + 1..].into(), String::new()),
    }
}

fn new_image(value: &str, args: &ImageArgs) -> Option<String> {
    if !image_matches(value, &args.name) {
        return None;
    }
    let (mut name, mut tag, mut digest) = split_image(value);
    if !args.new_name.is_empty() {
        name = args.new_name.clone();
    }
    if !args.new_tag.is_empty() && !args.digest.is_empty() {
        tag = args.new_tag.clone();
        digest = args.digest.clone();
    } else if !args.new_tag.is_empty() {
        tag = args.new_tag.clone();
        digest.clear();
    } else if !args.digest.is_empty() {
        tag.clear();
        digest = args.digest.clone();
    } else if !args.tag_suffix.is_empty() {
        tag.push_str(&args.tag_suffix);
        digest.clear();
    }
    if !tag.is_empty() {
        name = format!("{name}:{tag}");
    }
    if !digest.is_empty() {
        name = format!("{name}@{digest}");
    }
    Some(name)
}

/// The images transformer: every `containers[]`/`initContainers[]` image anywhere in the object, and image
/// volumes in pod specs.
fn set_images(obj: &mut Map<String, Value>, args: &ImageArgs) {
    for (key, v) in obj.iter_mut() {
        if let Value::Object(m) = v {
            set_images(m, args);
        } else if let Value::Array(items) = v {
            let containers = key == "containers" || key == "initContainers";
            for item in items.iter_mut() {
                if let Value::Object(m) = item {
                    set_images(m, args);
                    if containers {
                        if let Some(Value::String(image)) = m.get_mut("image") {
                            if let Some(n) = new_image(image, args) {
                                *image = n;
                            }
                        }
                    }
                }
            }
        }
    }
    for path in [
        "spec/volumes[]/image/reference",
        "spec/template/spec/volumes[]/image/reference",
    ] {
        let fs = FieldSpec {
            path: path.into(),
            ..FieldSpec::default()
        };
        apply_spec(obj, &fs, Leaf::Scalar, &mut |v: &mut Value| {
            if let Value::String(image) = v {
                if let Some(n) = new_image(image, args) {
                    *image = n;
                }
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------------------
// Name-suffix hashes (api/hasher)

/// The HashTransformer: generated objects get `-<hash of their content>` appended to their names.
fn add_hashes(list: &mut [Res]) {
    for r in list.iter_mut() {
        if r.hash {
            let h = content_hash(&r.obj);
            r.store_previous_id();
            let name = format!("{}-{h}", r.name());
            r.set_name(name);
        }
    }
}

/// kustomize's hash of a ConfigMap or Secret: SHA-256 of a JSON encoding of its kind, name, data (and type,
/// for a Secret), then [`encode_hash`] of the hex digest.
fn content_hash(obj: &Map<String, Value>) -> String {
    encode_hash(&hex(&sha256(hash_input(obj).as_bytes())))
}

/// The JSON text kustomize hashes (`encodeConfigMap`/`encodeSecret`): kind, data (and type, for a Secret),
/// a missing field being `""`; `binaryData`/`stringData` count only when present.
///
/// The name is always `""`: kustomize looks it up as a single field called `metadata/name`, which never
/// exists. Its own build tests depend on that (`bob-79t79mt227` in configmaps_test.go), and so do the names
/// real clusters print (`mysql-pass-m4d885dchh` for `password=secret`); the `mysql-pass-c57bb4t7mf` on
/// kubernetes.io comes from kustomize before 2020, which hashed the name.
fn hash_input(obj: &Map<String, Value>) -> String {
    let field = |k: &str| {
        obj.get(k)
            .cloned()
            .unwrap_or_else(|| Value::String(String::new()))
    };
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut m = Map::new();
    m.insert("name".into(), Value::String(String::new()));
    m.insert("data".into(), field("data"));
    if kind == "Secret" {
        m.insert("kind".into(), Value::String("Secret".into()));
        m.insert("type".into(), field("type"));
        if let Some(v @ Value::Object(_)) = obj.get("stringData") {
            m.insert("stringData".into(), v.clone());
        }
    } else {
        m.insert("kind".into(), Value::String("ConfigMap".into()));
        if let Some(v @ Value::Object(_)) = obj.get("binaryData") {
            m.insert("binaryData".into(), v.clone());
        }
    }
    ordinal_engine::gojson::go_json(&Value::Object(m))
}

/// The first ten hex digits with the vowels and look-alikes swapped out (`0`→g, `1`→h, `3`→k, `a`→m,
/// `e`→t), so a suffix never spells a word (kubectl's `hash.encode`).
pub(crate) fn encode_hash(hex: &str) -> String {
    hex.chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// Name references (api/filters/nameref)

/// A kind that can be renamed, as (kind, group, version), and the fields of other objects that name it.
type NameReference = ((&'static str, &'static str, &'static str), Vec<FieldSpec>);

/// builtinpluginconsts `nameReferenceFieldSpecs`.
fn name_references() -> Vec<NameReference> {
    // Where each workload keeps its pod spec.
    const POD_SPECS: &[(&str, &str, &str)] = &[
        ("Pod", "v1", "spec"),
        ("PodTemplate", "", "template/spec"),
        ("Deployment", "", "spec/template/spec"),
        ("ReplicaSet", "", "spec/template/spec"),
        ("DaemonSet", "", "spec/template/spec"),
        ("StatefulSet", "", "spec/template/spec"),
        ("Job", "", "spec/template/spec"),
        ("CronJob", "", "spec/jobTemplate/spec/template/spec"),
    ];
    // Workloads kustomize lists for service accounts, claims and priority classes.
    const WORKLOADS: &[(&str, &str)] = &[
        ("Pod", "spec"),
        ("StatefulSet", "spec/template/spec"),
        ("Deployment", "spec/template/spec"),
        ("ReplicationController", "spec/template/spec"),
        ("CronJob", "spec/jobTemplate/spec/template/spec"),
        ("Job", "spec/template/spec"),
        ("DaemonSet", "spec/template/spec"),
    ];
    let in_pods = |fields: &[&str]| -> Vec<FieldSpec> {
        let mut out = Vec::new();
        for (kind, version, prefix) in POD_SPECS {
            for f in fields {
                out.push(spec(kind, "", version, &format!("{prefix}/{f}")));
            }
        }
        out
    };
    let in_workloads = |field: &str| -> Vec<FieldSpec> {
        WORKLOADS
            .iter()
            .map(|(kind, prefix)| spec(kind, "", "", &format!("{prefix}/{field}")))
            .collect()
    };
    let mut config_maps = in_pods(&[
        "volumes/configMap/name",
        "containers/env/valueFrom/configMapKeyRef/name",
        "initContainers/env/valueFrom/configMapKeyRef/name",
        "containers/envFrom/configMapRef/name",
        "initContainers/envFrom/configMapRef/name",
        "volumes/projected/sources/configMap/name",
    ]);
    config_maps.extend([
        spec("Node", "", "", "spec/configSource/configMap"),
        spec("Role", "", "", "rules/resourceNames"),
        spec("ClusterRole", "", "", "rules/resourceNames"),
        spec(
            "Ingress",
            "",
            "",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap",
        ),
    ]);
    let mut secrets = in_pods(&[
        "volumes/secret/secretName",
        "containers/env/valueFrom/secretKeyRef/name",
        "initContainers/env/valueFrom/secretKeyRef/name",
        "containers/envFrom/secretRef/name",
        "initContainers/envFrom/secretRef/name",
        "imagePullSecrets/name",
        "volumes/projected/sources/secret/name",
    ]);
    secrets.extend([
        spec("Ingress", "", "", "spec/tls/secretName"),
        spec(
            "Ingress",
            "",
            "",
            "metadata/annotations/ingress.kubernetes.io\\/auth-secret",
        ),
        spec(
            "Ingress",
            "",
            "",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret",
        ),
        spec(
            "Ingress",
            "",
            "",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret",
        ),
        spec("ServiceAccount", "", "", "imagePullSecrets/name"),
        spec("StorageClass", "", "", "parameters/secretName"),
        spec("StorageClass", "", "", "parameters/adminSecretName"),
        spec("StorageClass", "", "", "parameters/userSecretName"),
        spec("StorageClass", "", "", "parameters/secretRef"),
        spec("Role", "", "", "rules/resourceNames"),
        spec("ClusterRole", "", "", "rules/resourceNames"),
        spec(
            "Service",
            "serving.knative.dev",
            "v1",
            "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
        ),
        spec("PersistentVolume", "", "", "spec/azureFile/secretName"),
    ]);
    let hpa = vec![spec(
        "HorizontalPodAutoscaler",
        "",
        "",
        "spec/scaleTargetRef/name",
    )];
    let mut service_accounts = vec![
        spec("RoleBinding", "rbac.authorization.k8s.io", "", "subjects"),
        spec(
            "ClusterRoleBinding",
            "rbac.authorization.k8s.io",
            "",
            "subjects",
        ),
    ];
    service_accounts.extend(in_workloads("serviceAccountName"));
    vec![
        (("Deployment", "", ""), hpa.clone()),
        (("ReplicationController", "", ""), hpa.clone()),
        (("ReplicaSet", "", ""), hpa.clone()),
        (("StatefulSet", "", ""), hpa),
        (("ConfigMap", "", "v1"), config_maps),
        (("Secret", "", "v1"), secrets),
        (
            ("Service", "", "v1"),
            vec![
                spec("StatefulSet", "apps", "", "spec/serviceName"),
                spec(
                    "Ingress",
                    "",
                    "",
                    "spec/rules/http/paths/backend/serviceName",
                ),
                spec("Ingress", "", "", "spec/backend/serviceName"),
                spec(
                    "Ingress",
                    "",
                    "",
                    "spec/rules/http/paths/backend/service/name",
                ),
                spec("Ingress", "", "", "spec/defaultBackend/service/name"),
                spec(
                    "APIService",
                    "apiregistration.k8s.io",
                    "",
                    "spec/service/name",
                ),
                spec(
                    "ValidatingWebhookConfiguration",
                    "admissionregistration.k8s.io",
                    "",
                    "webhooks/clientConfig/service",
                ),
                spec(
                    "MutatingWebhookConfiguration",
                    "admissionregistration.k8s.io",
                    "",
                    "webhooks/clientConfig/service",
                ),
            ],
        ),
        (
            ("Role", "rbac.authorization.k8s.io", ""),
            vec![spec(
                "RoleBinding",
                "rbac.authorization.k8s.io",
                "",
                "roleRef/name",
            )],
        ),
        (
            ("ClusterRole", "rbac.authorization.k8s.io", ""),
            vec![
                spec(
                    "RoleBinding",
                    "rbac.authorization.k8s.io",
                    "",
                    "roleRef/name",
                ),
                spec(
                    "ClusterRoleBinding",
                    "rbac.authorization.k8s.io",
                    "",
                    "roleRef/name",
                ),
            ],
        ),
        (("ServiceAccount", "", "v1"), service_accounts),
        (
            ("PersistentVolumeClaim", "", "v1"),
            in_workloads("volumes/persistentVolumeClaim/claimName"),
        ),
        (
            ("PersistentVolume", "", "v1"),
            vec![
                spec("PersistentVolumeClaim", "", "", "spec/volumeName"),
                spec("ClusterRole", "", "", "rules/resourceNames"),
            ],
        ),
        (
            ("StorageClass", "storage.k8s.io", "v1"),
            vec![
                spec("PersistentVolume", "", "", "spec/storageClassName"),
                spec("PersistentVolumeClaim", "", "", "spec/storageClassName"),
                spec(
                    "StatefulSet",
                    "",
                    "",
                    "spec/volumeClaimTemplates/spec/storageClassName",
                ),
            ],
        ),
        (
            ("PriorityClass", "scheduling.k8s.io", "v1"),
            in_workloads("priorityClassName"),
        ),
        (
            (
                "ValidatingAdmissionPolicy",
                "admissionregistration.k8s.io",
                "",
            ),
            vec![spec(
                "ValidatingAdmissionPolicyBinding",
                "admissionregistration.k8s.io",
                "",
                "spec/policyName",
            )],
        ),
    ]
}

fn spec(kind: &str, group: &str, version: &str, path: &str) -> FieldSpec {
    FieldSpec {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        path: path.into(),
        create: false,
    }
}

/// What name-reference matching needs to know about each object; names do not change while references are
/// fixed, so this is taken once.
struct Candidate {
    cur: Id,
    prev: Vec<Id>,
    org_namespace: String,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

/// `SameEndingSubSlice`: the shorter list is the end of the longer one (both empty counts).
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long[long.len() - short.len()..] == *short
}

fn affixes_equal(c: &Candidate, referrer: &Candidate, allow_empty: bool) -> bool {
    let check = |x: &[String], y: &[String]| {
        (allow_empty && (x.is_empty() || y.is_empty())) || same_ending(x, y)
    };
    check(&c.prefixes, &referrer.prefixes) && check(&c.suffixes, &referrer.suffixes)
}

/// FixBackReferences: fields that name a ConfigMap, Secret, Service, claim… that the build renamed (prefix,
/// suffix, hash, namespace) are rewritten to its new name.
fn fix_name_references(list: &mut [Res]) -> KResult<()> {
    let all: Vec<Candidate> = list
        .iter()
        .map(|r| Candidate {
            cur: r.cur_id(),
            prev: r.prev_ids(),
            org_namespace: r.org_id().effective_namespace().to_string(),
            prefixes: r.prefixes.clone(),
            suffixes: r.suffixes.clone(),
        })
        .collect();
    let table = name_references();
    for i in 0..list.len() {
        let referrer = &all[i];
        let org = list[i].org_id();
        // `SubsetThatCouldBeReferencedByResource`.
        let mut rb_namespaces: BTreeSet<String> = BTreeSet::new();
        if matches!(org.kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            for s in list[i]
                .obj
                .get("subjects")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if s.get("kind").and_then(Value::as_str) == Some("ServiceAccount") {
                    if let Some(ns) = s.get("namespace").and_then(Value::as_str) {
                        rb_namespaces.insert(ns.to_string());
                    }
                }
            }
        }
        let reachable: Vec<usize> = (0..all.len())
            .filter(|j| {
                let c = &all[*j].cur;
                referrer.cur.cluster_scoped()
                    || c.cluster_scoped()
                    || c.ns_equals(&referrer.cur)
                    || rb_namespaces.contains(&c.namespace)
            })
            .collect();
        let role_ref = list[i].obj.get("roleRef").map(|r| {
            (
                r.get("apiGroup")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                r.get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            )
        });
        for ((kind, group, version), fields) in &table {
            for fs in fields {
                if !org.selected_by(&fs.group, &fs.version, &fs.kind) {
                    continue;
                }
                let mut error = None;
                let ctx = RefContext {
                    all: &all,
                    reachable: &reachable,
                    referrer,
                    target: (group, version, kind),
                    role_ref: if fs.path.ends_with("roleRef/name") {
                        role_ref.as_ref()
                    } else {
                        None
                    },
                };
                let mut spec_all = fs.clone();
                // The filter runs on the referrer it was chosen for, whatever its current kind.
                spec_all.kind.clear();
                spec_all.group.clear();
                spec_all.version.clear();
                apply_spec(
                    &mut list[i].obj,
                    &spec_all,
                    Leaf::Scalar,
                    &mut |v: &mut Value| {
                        if let Err(e) = ctx.set(v) {
                            error.get_or_insert(e);
                        }
                    },
                );
                if let Some(e) = error {
                    return Err(KError::new(format!(
                        "updating name reference in '{}' field of '{}': {e}",
                        fs.path, referrer.cur
                    )));
                }
            }
        }
    }
    Ok(())
}

/// One referrer field being fixed.
struct RefContext<'a> {
    all: &'a [Candidate],
    reachable: &'a [usize],
    referrer: &'a Candidate,
    target: (&'a str, &'a str, &'a str),
    role_ref: Option<&'a (String, String)>,
}

impl RefContext<'_> {
    fn set(&self, v: &mut Value) -> Result<(), String> {
        match v {
            Value::String(name) => {
                if let Some(j) = self.select(name, self.reachable, false)? {
                    *name = self.all[j].cur.name.clone();
                }
                Ok(())
            }
            Value::Object(m) => self.set_mapping(m),
            Value::Array(items) => {
                for item in items {
                    self.set(item)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn set_mapping(&self, m: &mut Map<String, Value>) -> Result<(), String> {
        let Some(old) = m.get("name").and_then(Value::as_str).map(str::to_string) else {
            return Err("path config error; no 'name' field in node".into());
        };
        let candidates: Vec<usize> = match m.get("namespace").and_then(Value::as_str) {
            None => self.reachable.to_vec(),
            Some(ns) => {
                let by_org: Vec<usize> = self
                    .reachable
                    .iter()
                    .copied()
                    .filter(|j| self.all[*j].org_namespace == ns)
                    .collect();
                if by_org.is_empty() {
                    self.reachable
                        .iter()
                        .copied()
                        .filter(|j| self.all[*j].cur.effective_namespace() == ns)
                        .collect()
                } else {
                    by_org
                }
            }
        };
        let Some(j) = self.select(&old, &candidates, true)? else {
            return Ok(());
        };
        let referral = &self.all[j].cur;
        if referral.name == old && referral.namespace.is_empty() {
            return Ok(());
        }
        m.insert("name".into(), Value::String(referral.name.clone()));
        if !referral.namespace.is_empty() {
            m.insert(
                "namespace".into(),
                Value::String(referral.namespace.clone()),
            );
        }
        Ok(())
    }

    /// `selectReferral`: the one object that had this name and is of the referenced kind, preferring the
    /// referrer's namespace and name prefixes/suffixes.
    fn select(
        &self,
        old: &str,
        candidates: &[usize],
        with_namespace: bool,
    ) -> Result<Option<usize>, String> {
        let (group, version, kind) = self.target;
        let mut c: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|j| {
                let prev = &self.all[*j].prev;
                prev.iter().any(|id| id.name == old)
                    && prev.iter().any(|id| id.selected_by(group, version, kind))
                    && self
                        .role_ref
                        .is_none_or(|(g, k)| prev.iter().any(|id| id.selected_by(g, "", k)))
            })
            .collect();
        let referrer = &self.referrer.cur;
        if !referrer.cluster_scoped() {
            c.retain(|j| {
                let cur = &self.all[*j].cur;
                cur.cluster_scoped() || cur.kind == "ServiceAccount" || referrer.ns_equals(cur)
            });
        }
        if c.len() == 1 {
            return Ok(Some(c[0]));
        }
        c.retain(|j| affixes_equal(&self.all[*j], self.referrer, true));
        if c.len() > 1 {
            c.retain(|j| affixes_equal(&self.all[*j], self.referrer, false));
        }
        match c.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            [first, rest @ ..] => {
                let f = &self.all[*first].cur;
                let identical = rest.iter().all(|j| {
                    let o = &self.all[*j].cur;
                    o.name == f.name && (!with_namespace || o.namespace == f.namespace)
                });
                if identical {
                    Ok(Some(*first))
                } else {
                    let ids: Vec<String> = c.iter().map(|j| self.all[*j].cur.to_string()).collect();
                    Err(format!(
                        "found multiple possible referrals: {}",
                        ids.join(", ")
                    ))
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Output order (api/internal/builtins/SortOrderTransformer.go)

/// The legacy order's kinds that come first, in order ("DO NOT CHANGE!" in kustomize).
const LEGACY_ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// …and the kinds that come last.
const LEGACY_ORDER_LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// kubectl builds with the legacy order: kinds by the lists above (others in between, by group, version and
/// kind), then by namespace and name.
fn sort_resources(list: &mut [Res], order: &SortOrder) {
    let SortOrder::Legacy { first, last } = order else {
        return;
    };
    let mut rank: BTreeMap<&str, i64> = BTreeMap::new();
    for (i, k) in first.iter().enumerate() {
        rank.insert(k, i as i64 - first.len() as i64);
    }
    for (i, k) in last.iter().enumerate() {
        rank.insert(k, i as i64 + 1);
    }
    let gvk_key = |id: &Id| {
        let or = |s: &str, none: &str| {
            if s.is_empty() {
                none.to_string()
            } else {
                s.to_string()
            }
        };
        format!(
            "{}_{}_{}",
            or(&id.group, "~G"),
            or(&id.version, "~V"),
            or(&id.kind, "~K")
        )
    };
    let id_key = |id: &Id| {
        let or = |s: &str, none: &str| {
            if s.is_empty() {
                none.to_string()
            } else {
                s.to_string()
            }
        };
        let gvk = format!(
            "{}.{}.{}",
            or(&id.kind, "[noKind]"),
            or(&id.version, "[noVer]"),
            or(&id.group, "[noGrp]")
        );
        format!("{gvk}|{}|{}", or(&id.namespace, "~X"), or(&id.name, "~N"))
    };
    list.sort_by(|a, b| {
        let (x, y) = (a.cur_id(), b.cur_id());
        if x.same_gvk(&y) {
            return id_key(&x).cmp(&id_key(&y));
        }
        let (rx, ry) = (
            rank.get(x.kind.as_str()).copied().unwrap_or(0),
            rank.get(y.kind.as_str()).copied().unwrap_or(0),
        );
        if rx != ry {
            return rx.cmp(&ry);
        }
        if x.kind == "Namespace"
            && y.kind == "Namespace"
            && (x.group.is_empty() || y.group.is_empty())
        {
            return gvk_key(&y).cmp(&gvk_key(&x));
        }
        gvk_key(&x).cmp(&gvk_key(&y))
    });
}

// ---------------------------------------------------------------------------------------------------------
// Output

#[cfg(test)]
mod tests {
    use super::*;

    const MYSQL: &str = include_str!("../../term/tests/fixtures/wordpress/mysql-deployment.yaml");
    const WORDPRESS: &str =
        include_str!("../../term/tests/fixtures/wordpress/wordpress-deployment.yaml");
    /// The tutorial's kustomization, `password=YOUR_PASSWORD`.
    const TUTORIAL: &str = include_str!("../../term/tests/fixtures/wordpress/kustomization.yaml");

    fn ctx(files: &[(&str, &str)]) -> Context {
        let mut c = Context::default();
        for (k, v) in files {
            c.files.insert((*k).to_string(), (*v).to_string());
        }
        c
    }

    /// kustomize's test harness (`th.WriteK`) writes this header above each kustomization.
    fn k(body: &str) -> String {
        format!("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n{body}")
    }

    fn wordpress(password: &str) -> Context {
        let k = format!(
            "secretGenerator:\n- name: mysql-pass\n  literals:\n  - password={password}\nresources:\n  - mysql-deployment.yaml\n  - wordpress-deployment.yaml\n"
        );
        ctx(&[
            ("kustomization.yaml", &k),
            ("mysql-deployment.yaml", MYSQL),
            ("wordpress-deployment.yaml", WORDPRESS),
        ])
    }

    fn yaml_obj(text: &str) -> Map<String, Value> {
        match serde_saphyr::from_str::<Value>(text).unwrap() {
            Value::Object(m) => m,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn config_map_hashes_match_kustomizes_test_vectors() {
        // api/hasher/hasher_test.go: TestEncodeConfigMap and TestConfigMapHash.
        let cases = [
            (
                "apiVersion: v1\nkind: ConfigMap",
                r#"{"data":"","kind":"ConfigMap","name":""}"#,
                "6ct58987ht",
            ),
            (
                "apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"",
                r#"{"data":{"one":""},"kind":"ConfigMap","name":""}"#,
                "9g67k2htb6",
            ),
            (
                "apiVersion: v1\nkind: ConfigMap\ndata:\n  two: 2\n  one: \"\"\n  three: 3",
                r#"{"data":{"one":"","three":3,"two":2},"kind":"ConfigMap","name":""}"#,
                "7757f9kkct",
            ),
            (
                "apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  one: \"\"",
                r#"{"binaryData":{"one":""},"data":"","kind":"ConfigMap","name":""}"#,
                "6mtk2m274t",
            ),
            (
                "apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  two: 2\n  one: \"\"\n  three: 3",
                r#"{"binaryData":{"one":"","three":3,"two":2},"data":"","kind":"ConfigMap","name":""}"#,
                "9th7kc28dg",
            ),
            (
                "apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"\nbinaryData:\n  two: \"\"",
                r#"{"binaryData":{"two":""},"data":{"one":""},"kind":"ConfigMap","name":""}"#,
                "698h7c7t9m",
            ),
        ];
        for (yaml, encoded, hash) in cases {
            let obj = yaml_obj(yaml);
            assert_eq!(hash_input(&obj), encoded, "{yaml}");
            assert_eq!(content_hash(&obj), hash, "{yaml}");
        }
    }

    #[test]
    fn secret_hashes_match_kustomizes_test_vectors() {
        // api/hasher/hasher_test.go: TestEncodeSecret and TestSecretHash.
        let cases = [
            (
                "kind: Secret\ntype: my-type",
                r#"{"data":"","kind":"Secret","name":"","type":"my-type"}"#,
                "5gmgkf8578",
            ),
            (
                "kind: Secret\ntype: my-type\ndata:\n  one: \"\"",
                r#"{"data":{"one":""},"kind":"Secret","name":"","type":"my-type"}"#,
                "74bd68bm66",
            ),
            (
                "kind: Secret\ntype: my-type\ndata:\n  two: 2\n  one: \"\"\n  three: 3",
                r#"{"data":{"one":"","three":3,"two":2},"kind":"Secret","name":"","type":"my-type"}"#,
                "4gf75c7476",
            ),
            (
                "kind: Secret\ntype: my-type\ndata:\n  one: \"\"\nstringData:\n  two: 2",
                r#"{"data":{"one":""},"kind":"Secret","name":"","stringData":{"two":2},"type":"my-type"}"#,
                "c4h4264gdb",
            ),
        ];
        for (yaml, encoded, hash) in cases {
            let obj = yaml_obj(&format!("apiVersion: v1\n{yaml}"));
            assert_eq!(hash_input(&obj), encoded, "{yaml}");
            assert_eq!(content_hash(&obj), hash, "{yaml}");
        }
    }

    #[test]
    fn hash_json_escapes_like_go() {
        let v = serde_json::json!({"b": "<a href=\"x\">&\u{2028}\t\u{1}", "a": 1.5, "c": 2});
        assert_eq!(
            ordinal_engine::gojson::go_json(&v),
            r#"{"a":1.5,"b":"\u003ca href=\"x\"\u003e\u0026\u2028\t\u0001","c":2}"#
        );
    }

    #[test]
    fn the_wordpress_secret_gets_the_name_a_real_cluster_prints() {
        // The seminar-room seed's Deployment shows `mysql-pass-m4d885dchh` for `password=secret`.
        let out = build(&wordpress("secret"), "./").unwrap();
        assert!(out.starts_with(
            "apiVersion: v1\ndata:\n  password: c2VjcmV0\nkind: Secret\nmetadata:\n  name: mysql-pass-m4d885dchh\ntype: Opaque\n---\n"
        ), "{out}");
        // The three secretKeyRefs in the two Deployments follow the new name.
        assert_eq!(
            out.matches("name: mysql-pass-m4d885dchh").count(),
            4,
            "{out}"
        );
        assert!(!out.contains("name: mysql-pass\n"), "{out}");
        // The tutorial's own password; kubernetes.io still shows `mysql-pass-c57bb4t7mf`, from kustomize
        // before it stopped hashing the name.
        let mut tutorial = wordpress("secret");
        tutorial
            .files
            .insert("kustomization.yaml".into(), TUTORIAL.into());
        let out = build(&tutorial, ".").unwrap();
        assert!(out.contains("  name: mysql-pass-5m26tmdb5k\n"), "{out}");
        let mut named = yaml_obj(out.split("---\n").next().unwrap());
        assert_eq!(content_hash(&named), "5m26tmdb5k");
        named["metadata"]["name"] = Value::String("another-name".into());
        assert_eq!(content_hash(&named), "5m26tmdb5k");
    }

    #[test]
    fn apply_order_is_kustomizes_legacy_order() {
        let out = build(&wordpress("YOUR_PASSWORD"), ".").unwrap();
        let ids: Vec<String> = out
            .split("---\n")
            .map(|doc| {
                let obj = yaml_obj(doc);
                format!(
                    "{}/{}",
                    obj["kind"].as_str().unwrap(),
                    obj["metadata"]["name"].as_str().unwrap()
                )
            })
            .collect();
        // Kinds by the legacy list (Secret, Service, PersistentVolumeClaim, Deployment), then by name:
        // `wordpress` sorts before `wordpress-mysql` since kustomize 4.5 (issue 4388).
        assert_eq!(
            ids,
            [
                "Secret/mysql-pass-5m26tmdb5k",
                "Service/wordpress",
                "Service/wordpress-mysql",
                "PersistentVolumeClaim/mysql-pv-claim",
                "PersistentVolumeClaim/wp-pv-claim",
                "Deployment/wordpress",
                "Deployment/wordpress-mysql",
            ]
        );
    }

    #[test]
    fn legacy_order_sorts_by_name_within_a_kind_and_puts_unlisted_kinds_between() {
        // api/krusty/legacy_order_test.go (TestIssue4388), plus a Namespace first, a Job and a Pod between
        // the listed kinds and the webhook configurations.
        let c = ctx(&[
            ("kustomization.yaml", "resources:\n- r.yaml\n"),
            (
                "r.yaml",
                "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: testing-two\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: testing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: testing-one\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
            ),
        ]);
        let out = build(&c, ".").unwrap();
        let names: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("  name: "))
            .collect();
        assert_eq!(
            names,
            ["ns", "testing", "testing-one", "testing-two", "j", "p", "w"]
        );
        // `sortOptions: {order: fifo}` keeps the order the resources were read in.
        let mut c = c;
        c.files.insert(
            "kustomization.yaml".into(),
            "resources:\n- r.yaml\nsortOptions:\n  order: fifo\n".into(),
        );
        let out = build(&c, ".").unwrap();
        let names: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("  name: "))
            .collect();
        assert_eq!(
            names,
            ["w", "testing-two", "p", "j", "testing", "testing-one", "ns"]
        );
    }

    #[test]
    fn generators_match_kustomizes_own_outputs() {
        // api/krusty/configmaps_test.go, TestGeneratorBasics: envs, env, files with and without keys,
        // literals, a prefix, `|2` blocks, a folded single-quoted line and 70-column base64.
        let kust = k(r#"
namePrefix: blah-
configMapGenerator:
- name: bob
  literals:
  - fruit=apple
  - vegetable=broccoli
  envs:
  - foo.env
  env: bar.env
  files:
  - passphrase=phrase.dat
  - forces.txt
- name: json
  literals:
  - 'v2=[{"path": "var/druid/segment-cache"}]'
  - >-
    druid_segmentCache_locations=[{"path":
    "var/druid/segment-cache",
    "maxSize": 32000000000,
    "freeSpacePercent": 1.0}]
secretGenerator:
- name: bob
  literals:
  - fruit=apple
  - vegetable=broccoli
  envs:
  - foo.env
  files:
  - passphrase=phrase.dat
  - forces.txt
  env: bar.env
sortOptions:
  order: fifo
"#);
        let c = ctx(&[
            ("kustomization.yaml", &kust),
            ("foo.env", "\nMOUNTAIN=everest\nOCEAN=pacific\n"),
            ("bar.env", "\nBIRD=falcon\n"),
            (
                "phrase.dat",
                "\nLife is short.\nBut the years are long.\nNot while the evil days come not.\n",
            ),
            (
                "forces.txt",
                "\ngravitational\nelectromagnetic\nstrong nuclear\nweak nuclear\n",
            ),
        ]);
        let expected = r#"apiVersion: v1
data:
  BIRD: falcon
  MOUNTAIN: everest
  OCEAN: pacific
  forces.txt: |2

    gravitational
    electromagnetic
    strong nuclear
    weak nuclear
  fruit: apple
  passphrase: |2

    Life is short.
    But the years are long.
    Not while the evil days come not.
  vegetable: broccoli
kind: ConfigMap
metadata:
  name: blah-bob-g9df72cd5b
---
apiVersion: v1
data:
  druid_segmentCache_locations: '[{"path": "var/druid/segment-cache", "maxSize": 32000000000,
    "freeSpacePercent": 1.0}]'
  v2: '[{"path": "var/druid/segment-cache"}]'
kind: ConfigMap
metadata:
  name: blah-json-m8529t979f
---
apiVersion: v1
data:
  BIRD: ZmFsY29u
  MOUNTAIN: ZXZlcmVzdA==
  OCEAN: cGFjaWZpYw==
  forces.txt: |
    CmdyYXZpdGF0aW9uYWwKZWxlY3Ryb21hZ25ldGljCnN0cm9uZyBudWNsZWFyCndlYWsgbn
    VjbGVhcgo=
  fruit: YXBwbGU=
  passphrase: |
    CkxpZmUgaXMgc2hvcnQuCkJ1dCB0aGUgeWVhcnMgYXJlIGxvbmcuCk5vdCB3aGlsZSB0aG
    UgZXZpbCBkYXlzIGNvbWUgbm90Lgo=
  vegetable: YnJvY2NvbGk=
kind: Secret
metadata:
  name: blah-bob-58g62h555c
type: Opaque
"#;
        assert_eq!(build(&c, ".").unwrap(), expected);
    }

    #[test]
    fn numbers_and_booleans_from_literals_stay_quoted_strings() {
        // api/krusty/configmaps_test.go, TestGeneratorIntVsStringNoMerge.
        let c = ctx(&[
            (
                "kustomization.yaml",
                &k("resources:\n- service.yaml\nconfigMapGenerator:\n- name: bob\n  literals:\n  - fruit=Indian Gooseberry\n  - year=2020\n  - crisis=true\nsortOptions:\n  order: fifo\n"),
            ),
            ("service.yaml", "\napiVersion: v1\nkind: Service\nmetadata:\n  name: demo\nspec:\n  clusterIP: None\n"),
        ]);
        assert_eq!(
            build(&c, ".").unwrap(),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: demo\nspec:\n  clusterIP: None\n---\napiVersion: v1\ndata:\n  crisis: \"true\"\n  fruit: Indian Gooseberry\n  year: \"2020\"\nkind: ConfigMap\nmetadata:\n  name: bob-79t79mt227\n"
        );
    }

    #[test]
    fn overlays_merge_into_generated_objects_of_their_bases() {
        // api/krusty/configmaps_test.go, TestGeneratorIntVsStringWithMerge and TestGeneratorFromProperties.
        let c = ctx(&[
            ("base/kustomization.yaml", &k("configMapGenerator:\n- name: bob\n  literals:\n  - fruit=Indian Gooseberry\n  - year=2020\n  - crisis=true\n")),
            ("overlay/kustomization.yaml", &k("resources:\n- ../base\nconfigMapGenerator:\n- name: bob\n  behavior: merge\n  literals:\n  - month=12\n")),
        ]);
        assert_eq!(
            build(&c, "overlay").unwrap(),
            "apiVersion: v1\ndata:\n  crisis: \"true\"\n  fruit: Indian Gooseberry\n  month: \"12\"\n  year: \"2020\"\nkind: ConfigMap\nmetadata:\n  name: bob-bk46gm59c6\n"
        );
        let c = ctx(&[
            ("base/kustomization.yaml", &k("configMapGenerator:\n  - name: test-configmap\n    behavior: create\n    envs:\n    - properties\n")),
            ("base/properties", "\nVAR1=100\n"),
            ("overlay/kustomization.yaml", &k("resources:\n- ../base\nconfigMapGenerator:\n- name: test-configmap\n  behavior: \"merge\"\n  envs:\n  - properties\n")),
            ("overlay/properties", "\nVAR2=200\n"),
        ]);
        assert_eq!(
            build(&c, "./overlay/").unwrap(),
            "apiVersion: v1\ndata:\n  VAR1: \"100\"\n  VAR2: \"200\"\nkind: ConfigMap\nmetadata:\n  name: test-configmap-hdghb5ddkg\n"
        );
    }

    #[test]
    fn secret_generator_and_generator_options() {
        // api/krusty/generatoroptions_test.go: TestSecretGenerator, TestGeneratorOptionsWithBases and
        // TestGeneratorOptionsOverlayDisableNameSuffixHash.
        let c = ctx(&[
            ("kustomization.yaml", &k("secretGenerator:\n- name: bob\n  literals:\n  - FRUIT=apple\n  - VEGETABLE=carrot\n  files:\n  - foo.env\n  - passphrase=phrase.dat\n  envs:\n  - foo.env\n")),
            ("foo.env", "\nMOUNTAIN=everest\nOCEAN=pacific\n"),
            ("phrase.dat", "dat phrase"),
        ]);
        assert_eq!(
            build(&c, ".").unwrap(),
            "apiVersion: v1\ndata:\n  FRUIT: YXBwbGU=\n  MOUNTAIN: ZXZlcmVzdA==\n  OCEAN: cGFjaWZpYw==\n  VEGETABLE: Y2Fycm90\n  foo.env: Ck1PVU5UQUlOPWV2ZXJlc3QKT0NFQU49cGFjaWZpYwo=\n  passphrase: ZGF0IHBocmFzZQ==\nkind: Secret\nmetadata:\n  name: bob-bh645k7tmg\ntype: Opaque\n"
        );
        let c = ctx(&[
            ("base/kustomization.yaml", &k("generatorOptions:\n  disableNameSuffixHash: true\n  labels:\n    foo: bar\nconfigMapGenerator:\n- name: shouldNotHaveHash\n  literals:\n  - foo=bar\n")),
            ("overlay/kustomization.yaml", &k("resources:\n- ../base\ngeneratorOptions:\n  disableNameSuffixHash: false\n  labels:\n    fruit: apple\nconfigMapGenerator:\n- name: shouldHaveHash\n  literals:\n  - fruit=apple\nsortOptions:\n  order: fifo\n")),
        ]);
        assert_eq!(
            build(&c, "overlay").unwrap(),
            "apiVersion: v1\ndata:\n  foo: bar\nkind: ConfigMap\nmetadata:\n  labels:\n    foo: bar\n  name: shouldNotHaveHash\n---\napiVersion: v1\ndata:\n  fruit: apple\nkind: ConfigMap\nmetadata:\n  labels:\n    fruit: apple\n  name: shouldHaveHash-c9867f8446\n"
        );
        let c = ctx(&[
            ("base/kustomization.yaml", &k("generatorOptions:\n  disableNameSuffixHash: false\n  labels:\n    foo: bar\nconfigMapGenerator:\n- name: baseShouldHaveHashButOverlayShouldNot\n  literals:\n  - foo=bar\n")),
            ("overlay/kustomization.yaml", &k("resources:\n- ../base\ngeneratorOptions:\n  disableNameSuffixHash: true\n  labels:\n    fruit: apple\nconfigMapGenerator:\n- name: baseShouldHaveHashButOverlayShouldNot\n  behavior: merge\n  literals:\n  - fruit=apple\n")),
        ]);
        assert_eq!(
            build(&c, "overlay").unwrap(),
            "apiVersion: v1\ndata:\n  foo: bar\n  fruit: apple\nkind: ConfigMap\nmetadata:\n  labels:\n    foo: bar\n    fruit: apple\n  name: baseShouldHaveHashButOverlayShouldNot\n"
        );
    }

    #[test]
    fn secret_type_immutable_and_annotations() {
        let c = ctx(&[(
            "kustomization.yaml",
            "secretGenerator:\n- name: tls\n  type: kubernetes.io/tls\n  literals:\n  - tls.crt=c\n  - tls.key=k\n  options:\n    annotations:\n      note: \"1\"\n    immutable: true\n",
        )]);
        let out = build(&c, ".").unwrap();
        let obj = yaml_obj(&out);
        assert_eq!(obj["type"], "kubernetes.io/tls");
        assert_eq!(obj["immutable"], true);
        assert_eq!(obj["metadata"]["annotations"]["note"], "1");
        assert!(out.contains("    note: \"1\"\n"), "{out}");
        // The hash covers the type.
        let name = obj["metadata"]["name"].as_str().unwrap();
        let mut plain = obj.clone();
        plain.insert("type".into(), Value::String("Opaque".into()));
        plain["metadata"]["name"] = Value::String("tls".into());
        assert_ne!(name, format!("tls-{}", content_hash(&plain)));
    }

    #[test]
    fn common_labels_reach_selectors_and_templates_but_labels_only_metadata() {
        // api/krusty/baseandoverlaysmall_test.go, TestSmallBase: a prefix and commonLabels, which also
        // create the Deployment's selector and the Service's selector entries.
        let c = ctx(&[
            ("base/kustomization.yaml", &k("namePrefix: a-\ncommonLabels:\n  app: myApp\nresources:\n- deployment.yaml\n- service.yaml\nsortOptions:\n  order: fifo\n")),
            ("base/service.yaml", "\napiVersion: v1\nkind: Service\nmetadata:\n  name: myService\nspec:\n  selector:\n    backend: bungie\n  ports:\n    - port: 7002\n"),
            ("base/deployment.yaml", "\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: myDeployment\nspec:\n  template:\n    metadata:\n      labels:\n        backend: awesome\n    spec:\n      containers:\n      - name: whatever\n        image: whatever\n"),
        ]);
        let built = build_with_warnings(&c, "base").unwrap();
        assert_eq!(
            built.yaml,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: myApp\n  name: a-myDeployment\nspec:\n  selector:\n    matchLabels:\n      app: myApp\n  template:\n    metadata:\n      labels:\n        app: myApp\n        backend: awesome\n    spec:\n      containers:\n      - image: whatever\n        name: whatever\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: myApp\n  name: a-myService\nspec:\n  ports:\n  - port: 7002\n  selector:\n    app: myApp\n    backend: bungie\n"
        );
        assert_eq!(
            built.warnings,
            ["# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically."]
        );
        // `labels` without includeSelectors: metadata only; with includeTemplates: the pod template too.
        let mut c = c;
        c.files.insert(
            "base/kustomization.yaml".into(),
            "labels:\n- pairs:\n    env: prod\n- pairs:\n    team: web\n  includeTemplates: true\nresources:\n- deployment.yaml\n- service.yaml\n".into(),
        );
        let built = build_with_warnings(&c, "base").unwrap();
        assert!(built.warnings.is_empty());
        let docs: Vec<Map<String, Value>> = built.yaml.split("---\n").map(yaml_obj).collect();
        let (svc, deploy) = (&docs[0], &docs[1]);
        assert_eq!(
            svc["metadata"]["labels"],
            serde_json::json!({"env": "prod", "team": "web"})
        );
        assert_eq!(
            svc["spec"]["selector"],
            serde_json::json!({"backend": "bungie"})
        );
        assert!(deploy["spec"].get("selector").is_none());
        assert_eq!(
            deploy["spec"]["template"]["metadata"]["labels"],
            serde_json::json!({"backend": "awesome", "team": "web"})
        );
    }

    #[test]
    fn a_service_without_a_selector_gets_one_from_common_labels() {
        let c = ctx(&[
            (
                "kustomization.yaml",
                "commonLabels:\n  app: web\nresources:\n- s.yaml\n",
            ),
            (
                "s.yaml",
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  clusterIP: None\n",
            ),
        ]);
        let obj = yaml_obj(&build(&c, ".").unwrap());
        assert_eq!(obj["spec"]["selector"], serde_json::json!({"app": "web"}));
    }

    #[test]
    fn prefixes_suffixes_and_namespaces_follow_every_reference() {
        let c = ctx(&[
            (
                "kustomization.yaml",
                "namespace: shop\nnamePrefix: dev-\nnameSuffix: -v2\nresources:\n- app.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - color=blue\n",
            ),
            (
                "app.yaml",
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  template:\n    spec:\n      serviceAccountName: builder\n      containers:\n      - name: nginx\n        image: nginx\n        envFrom:\n        - configMapRef:\n            name: settings\n        - secretRef:\n            name: not-in-this-build\n      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: data\n      - name: cfg\n        configMap:\n          name: settings\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n",
            ),
        ]);
        let out = build(&c, ".").unwrap();
        let docs: Vec<Map<String, Value>> = out.split("---\n").map(yaml_obj).collect();
        let names: Vec<&str> = docs
            .iter()
            .map(|d| d["metadata"]["name"].as_str().unwrap())
            .collect();
        let cm = names
            .iter()
            .find(|n| n.starts_with("dev-settings-v2-"))
            .unwrap()
            .to_string();
        assert_eq!(cm.len(), "dev-settings-v2-".len() + 10);
        assert_eq!(
            names,
            [
                "dev-builder-v2",
                &cm,
                "dev-nginx-v2",
                "dev-data-v2",
                "dev-web-v2"
            ]
        );
        assert!(docs.iter().all(|d| d["metadata"]["namespace"] == "shop"));
        let sts = &docs[4]["spec"];
        assert_eq!(sts["serviceName"], "dev-nginx-v2");
        let pod = &sts["template"]["spec"];
        assert_eq!(pod["serviceAccountName"], "dev-builder-v2");
        assert_eq!(
            pod["containers"][0]["envFrom"][0]["configMapRef"]["name"],
            cm.as_str()
        );
        // A reference to something the build does not make is left alone.
        assert_eq!(
            pod["containers"][0]["envFrom"][1]["secretRef"]["name"],
            "not-in-this-build"
        );
        assert_eq!(
            pod["volumes"][0]["persistentVolumeClaim"]["claimName"],
            "dev-data-v2"
        );
        assert_eq!(pod["volumes"][1]["configMap"]["name"], cm.as_str());
    }

    #[test]
    fn overlay_prefixes_stack_on_base_prefixes() {
        // api/krusty/baseandoverlaysmall_test.go, TestTinyOverlay (without its patch).
        let c = ctx(&[
            ("base/kustomization.yaml", &k("namePrefix: a-\nresources:\n- deployment.yaml\n")),
            ("base/deployment.yaml", "\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: myDeployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: whatever\n"),
            ("overlay/kustomization.yaml", &k("namePrefix: b-\nresources:\n- ../base\n")),
        ]);
        assert_eq!(
            build(&c, "overlay").unwrap(),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b-a-myDeployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: whatever\n"
        );
    }

    #[test]
    fn images_replicas_and_annotations() {
        let c = ctx(&[
            (
                "kustomization.yaml",
                "resources:\n- d.yaml\nimages:\n- name: nginx\n  newTag: 1.27.0\n- name: busybox\n  newName: registry.example.com/busybox\n  digest: sha256:24b4\nreplicas:\n- name: web\n  count: 3\ncommonAnnotations:\n  owner: team-a\n",
            ),
            (
                "d.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: init\n        image: busybox:1.36\n      containers:\n      - name: web\n        image: nginx:1.14.2\n      - name: sidecar\n        image: nginx-exporter\n",
            ),
        ]);
        let obj = yaml_obj(&build(&c, ".").unwrap());
        let pod = &obj["spec"]["template"]["spec"];
        assert_eq!(pod["containers"][0]["image"], "nginx:1.27.0");
        assert_eq!(pod["containers"][1]["image"], "nginx-exporter");
        assert_eq!(
            pod["initContainers"][0]["image"],
            "registry.example.com/busybox@sha256:24b4"
        );
        assert_eq!(obj["spec"]["replicas"], 3);
        assert_eq!(obj["metadata"]["annotations"]["owner"], "team-a");
        assert_eq!(
            obj["spec"]["template"]["metadata"]["annotations"]["owner"],
            "team-a"
        );
        assert_eq!(
            split_image("localhost:5000/app:v1"),
            ("localhost:5000/app".into(), "v1".into(), String::new())
        );
        assert!(image_matches("nginx@sha256:abc", "nginx"));
        assert!(!image_matches("nginx-exporter:1", "nginx"));
        let c = ctx(&[
            (
                "kustomization.yaml",
                "resources:\n- d.yaml\nreplicas:\n- name: nope\n  count: 3\n",
            ),
            (
                "d.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
            ),
        ]);
        assert_eq!(
            build(&c, ".").unwrap_err(),
            "error: resource with name nope does not match a config with the following GVK [Deployment.[noVer].[noGrp] ReplicationController.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] StatefulSet.[noVer].[noGrp]]"
        );
    }

    #[test]
    fn a_missing_kustomization_names_the_absolute_directory() {
        let c = ctx(&[("app/web.yaml", "kind: x\n")]);
        let e = "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/home/student/app'";
        assert_eq!(build(&c, "app").unwrap_err(), e);
        assert_eq!(build(&c, "./app/").unwrap_err(), e);
        let mut c = c;
        c.cwd = "app".into();
        assert_eq!(build(&c, ".").unwrap_err(), e);
        assert_eq!(
            build(&c, "nowhere").unwrap_err(),
            "error: must build at directory: not a valid directory: evalsymlink failure on 'nowhere' : lstat /home/student/app/nowhere: no such file or directory"
        );
        assert_eq!(
            build(&c, "web.yaml").unwrap_err(),
            "error: must build at directory: 'web.yaml': file is not directory"
        );
        let c = ctx(&[
            ("kustomization.yaml", "resources: []\n"),
            ("Kustomization", "resources: []\n"),
        ]);
        assert_eq!(
            build(&c, ".").unwrap_err(),
            "error: Found multiple kustomization files under: /home/student\n"
        );
    }

    #[test]
    fn a_missing_resource_file_is_reported_as_kustomize_reports_it() {
        let c = ctx(&[(
            "kustomization.yaml",
            "resources:\n- mysql-deployment.yaml\n",
        )]);
        assert_eq!(
            build(&c, ".").unwrap_err(),
            "error: accumulating resources: accumulation err='accumulating resources from 'mysql-deployment.yaml': evalsymlink failure on '/home/student/mysql-deployment.yaml' : lstat /home/student/mysql-deployment.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/home/student/mysql-deployment.yaml' : lstat /home/student/mysql-deployment.yaml: no such file or directory"
        );
        // A sub-directory without a kustomization.
        let c = ctx(&[
            ("kustomization.yaml", "resources:\n- base\n"),
            ("base/a.yaml", "x: 1\n"),
        ]);
        assert_eq!(
            build(&c, ".").unwrap_err(),
            "error: accumulating resources: accumulation err='accumulating resources from 'base': '/home/student/base' must resolve to a file': couldn't make target for path '/home/student/base': unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/home/student/base'"
        );
        // A generator file outside the kustomization's directory.
        let c = ctx(&[
            (
                "app/kustomization.yaml",
                "configMapGenerator:\n- name: c\n  files:\n  - ../secret.txt\n",
            ),
            ("secret.txt", "x"),
        ]);
        assert_eq!(
            build(&c, "app").unwrap_err(),
            "error: loading KV pairs: file sources: [../secret.txt]: security; file '/home/student/secret.txt' is not in or below '/home/student/app'"
        );
        // The same object twice.
        let c = ctx(&[
            ("kustomization.yaml", "resources:\n- a.yaml\n- b.yaml\n"),
            (
                "a.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
            ),
            (
                "b.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
            ),
        ]);
        assert_eq!(
            build(&c, ".").unwrap_err(),
            "error: accumulating resources: accumulation err='merging resources from 'b.yaml': may not add resource with an already registered id: ConfigMap.v1.[noGrp]/c.[noNs]': must build at directory: '/home/student/b.yaml': file is not directory"
        );
        // A base that includes its overlay.
        let c = ctx(&[
            ("overlay/kustomization.yaml", "resources:\n- ../base\n"),
            ("base/kustomization.yaml", "resources:\n- ../overlay\n"),
        ]);
        assert!(build(&c, "overlay")
            .unwrap_err()
            .ends_with("cycle detected: candidate root '/home/student/overlay' contains visited root '/home/student/overlay'"));
    }

    #[test]
    fn bad_yaml_names_the_file_and_the_line_go_yaml_names() {
        // Each expectation was printed by kubectl 1.32 (kustomize v5.5) for the same files.
        let err = |resource: &str| {
            build(
                &ctx(&[
                    ("kustomization.yaml", "resources:\n- r.yaml\n"),
                    ("r.yaml", resource),
                ]),
                ".",
            )
            .unwrap_err()
        };
        let malformed = |line: usize, problem: &str| {
            format!("error: accumulating resources: accumulating resources from 'r.yaml': MalformedYAMLError: yaml: line {line}: {problem} in File: r.yaml")
        };
        // A scanner error: the line itself.
        assert_eq!(
            err("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n   labels: x\n"),
            malformed(5, "mapping values are not allowed in this context")
        );
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n\tk: v\n"),
            malformed(6, "found character that cannot start any token")
        );
        // Parser errors: go-yaml v3 names the mapping being parsed (0-based), or the line before.
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n bad: y\n"),
            malformed(4, "did not find expected key")
        );
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n   ports:\n    - containerPort: 80\n"),
            malformed(5, "did not find expected key")
        );
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"x\ndata:\n  k: v\n"),
            malformed(4, "found unexpected end of stream")
        );
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: [a, b\n"),
            malformed(5, "did not find expected ',' or ']'")
        );
        // In a later document, lines count from the top of the file.
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n   labels: x\n"),
            malformed(10, "mapping values are not allowed in this context")
        );
        // A repeated key is reported bare.
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n"),
            "error: map[string]interface {}(nil): yaml: unmarshal errors:\n  line 5: mapping key \"name\" already defined at line 4"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    app: x\n"),
            "error: accumulating resources: accumulation err='accumulating resources from 'r.yaml': missing metadata.name in object {{v1 ConfigMap} {{ } map[app:x] map[]}}': must build at directory: '/home/student/r.yaml': file is not directory"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n- a\n- b\n"),
            "error: accumulating resources: accumulation err='accumulating resources from 'r.yaml': missing Resource metadata': must build at directory: '/home/student/r.yaml': file is not directory"
        );
        // The kustomization itself is read by go-yaml v2, which counts parser errors from 0.
        let c = ctx(&[("kustomization.yaml", "resources:\n  - a.yaml\n bad: [\n")]);
        assert_eq!(
            build(&c, ".").unwrap_err(),
            "error: invalid Kustomization: yaml: line 2: did not find expected key"
        );
        // go-yaml v3 reads `yes` in a resource as a string; it comes out quoted.
        let c = ctx(&[
            ("kustomization.yaml", "resources:\n- r.yaml\n"),
            (
                "r.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  on: yes\n",
            ),
        ]);
        assert!(build(&c, ".").unwrap().contains("  \"on\": \"yes\"\n"));
    }

    #[test]
    fn components_build_alone_but_not_as_resources() {
        let c = ctx(&[
            ("kustomization.yaml", "resources:\n- comp\n"),
            ("comp/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n- name: c\n"),
        ]);
        assert_eq!(
            build(&c, "comp").unwrap(),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-6ct58987ht\n"
        );
        assert_eq!(
            build(&c, ".").unwrap_err(),
            "error: accumulating resources: accumulation err='accumulating resources from 'comp': '/home/student/comp' must resolve to a file': expected kind != 'Component' for path '/home/student/comp'"
        );
    }

    #[test]
    fn unknown_and_mistyped_fields_are_kustomizes_errors() {
        let err = |text: &str| build(&ctx(&[("kustomization.yaml", text)]), ".").unwrap_err();
        assert_eq!(
            err("resource:\n- a.yaml\n"),
            "error: invalid Kustomization: json: unknown field \"resource\""
        );
        assert_eq!(
            err("secretGenerator:\n- name: s\n  literal:\n  - a=b\n"),
            "error: invalid Kustomization: json: unknown field \"literal\""
        );
        assert_eq!(
            err("resources: a.yaml\n"),
            "error: invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.resources of type []string"
        );
        assert_eq!(
            err("commonLabels:\n  version: 1\n"),
            "error: invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.commonLabels of type string"
        );
        assert_eq!(
            err("secretGenerator:\n- name: s\n  literals: a=b\n"),
            "error: invalid Kustomization: json: cannot unmarshal string into Go struct field SecretArgs.secretGenerator.literals of type []string"
        );
        assert_eq!(err("# nothing yet\n"), "error: kustomization.yaml is empty");
        assert_eq!(
            err("kind: Deployment\nresources: []\n"),
            "error: Failed to read kustomization file under /home/student:\nkind should be Kustomization or Component"
        );
        assert_eq!(
            err("secretGenerator:\n- name: s\n  literals:\n  - password\n"),
            "error: loading KV pairs: literal sources [password]: invalid literal source password, expected key=value"
        );
        assert_eq!(
            err("configMapGenerator:\n- name: c\n  literals:\n  - a=1\n  - a=2\n"),
            "error: configmap c illegally repeats the key `a`"
        );
        assert_eq!(
            err("patches:\n- path: p.yaml\n"),
            "error: the kustomization field 'patches' is not available in this playground yet"
        );
        // Go matches field names without regard to case.
        let c = ctx(&[
            ("kustomization.yaml", "Resources:\n- a.yaml\n"),
            (
                "a.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
            ),
        ]);
        assert!(build(&c, ".").is_ok());
    }

    #[test]
    fn literal_and_env_parsing() {
        assert_eq!(
            parse_literal("a=\"b c\"").unwrap(),
            ("a".into(), "b c".into())
        );
        assert_eq!(
            parse_literal("a='x=y'").unwrap(),
            ("a".into(), "x=y".into())
        );
        assert_eq!(
            parse_literal("a=\"b'").unwrap(),
            ("a".into(), "\"b'".into())
        );
        assert!(parse_literal("=b").is_err());
        assert_eq!(
            parse_file_source("conf/app.properties").unwrap(),
            ("app.properties".into(), "conf/app.properties".into())
        );
        assert_eq!(
            parse_file_source("k=conf/a").unwrap(),
            ("k".into(), "conf/a".into())
        );
        assert!(parse_file_source("a=b=c").is_err());
        assert_eq!(
            env_pairs("\u{feff}A=1\r\n# c\n  B=x=y\nC\n\n"),
            [
                ("A".into(), "1".into()),
                ("B".into(), "x=y".into()),
                ("C".into(), String::new())
            ]
        );
        let long = base64_lines(&[b'x'; 60]);
        assert_eq!(long.lines().map(str::len).collect::<Vec<_>>(), [70, 10]);
        assert!(long.ends_with('\n'));
        assert!(!base64_lines(b"short").contains('\n'));
    }
}
