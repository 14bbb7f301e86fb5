//! kubectl's printers, chosen once from `-o` and its companion flags and then used for everything a command
//! prints about objects: `kubectl get`'s listing, every row of its `--watch` (kubectl's watch reuses the
//! printer it listed with, so `-o wide -w` stays wide), and the objects a command that changes them reports
//! (`create … -o yaml`, `run … --dry-run=client -o yaml`, `label … -o name`). The formats are kubectl's:
//! the tables with `-o wide`, `--show-labels`, `-L`, `--show-kind`, `--no-headers` and `--sort-by`
//! (get.go, sorter.go, cli-runtime's tableprinter.go); `name`; `json`/`yaml`; `jsonpath`, `jsonpath-as-json`,
//! `go-template` and their `-file` forms; `custom-columns` and `custom-columns-file` (customcolumn.go), whose
//! paths kubectl relaxes (`metadata.name`, `.metadata.name`, `{metadata.name}` all mean `{.metadata.name}`).

use serde_json::Value;

use crate::flags::Parsed;
use crate::{columns, gotemplate, home, jsonpath, table, Context};
use ordinal_engine::clock::Time;
use ordinal_engine::model::{Kind, Object};
use ordinal_engine::store::Store;

/// What `-o` asks for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Format {
    /// The human-readable table (`-o wide`: with its wide columns).
    Table {
        wide: bool,
    },
    Name,
    Json,
    Yaml,
    JsonPath {
        template: String,
        as_json: bool,
    },
    GoTemplate(String),
    CustomColumns(Vec<Column>),
}

/// A custom column: its header and its JSONPath, relaxed to `{.path}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    pub header: String,
    pub path: String,
}

/// kubectl's formats, for its "unable to match a printer" error.
const GET_FORMATS: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";
const CHANGE_FORMATS: &str = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// customcolumn.go's `RelaxedJSONPathExpression`: `name1.name2`, `.name1.name2`, `{name1.name2}` and
/// `{.name1.name2}` are all `{.name1.name2}`.
pub(crate) fn relaxed(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let inner = match path.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        Some(inner) => inner,
        None => path,
    };
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err("error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string());
    }
    Ok(format!("{{.{inner}}}"))
}

/// `-o custom-columns=HEADER:PATH,…` (`NewCustomColumnsPrinterFromSpec`).
fn columns_from_spec(spec: &str) -> Result<Vec<Column>, String> {
    if spec.is_empty() {
        return Err("error: custom-columns format specified but no custom columns given".into());
    }
    spec.split(',')
        .map(|part| match part.split_once(':') {
            Some((header, path)) => Ok(Column {
                header: header.to_string(),
                path: relaxed(path)?,
            }),
            None => Err(format!(
                "error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )),
        })
        .collect()
}

/// `-o custom-columns-file=FILE`: a line of headers and a line of paths, split on blanks
/// (`NewCustomColumnsPrinterFromTemplate`).
fn columns_from_file(text: &str) -> Result<Vec<Column>, String> {
    let mut lines = text.lines();
    let Some(headers) = lines.next() else {
        return Err("error: invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.".into());
    };
    let Some(specs) = lines.next() else {
        return Err("error: invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.".into());
    };
    let headers: Vec<&str> = headers.split_whitespace().collect();
    let specs: Vec<&str> = specs.split_whitespace().collect();
    if headers.len() != specs.len() {
        return Err(format!(
            "error: number of headers ({}) and field specifications ({}) don't match",
            headers.len(),
            specs.len()
        ));
    }
    headers
        .iter()
        .zip(&specs)
        .map(|(h, s)| {
            Ok(Column {
                header: h.to_string(),
                path: relaxed(s)?,
            })
        })
        .collect()
}

/// Reads the file a `-file` format names, as kubectl does before printing anything.
fn template_file(ctx: &Context, path: &str) -> Result<String, String> {
    home::read(ctx, path).map_err(|_| {
        format!("error: error reading --template {path}, open {path}: no such file or directory")
    })
}

impl Format {
    /// The format `-o OUTPUT` (with `--template`) names. `change` is for commands that change objects, whose
    /// printers have no tables.
    pub fn parse(
        output: Option<&str>,
        template: Option<&str>,
        ctx: &Context,
        change: bool,
    ) -> Result<Option<Format>, String> {
        let output = match (output, template) {
            (Some(o), _) => o,
            // `--template T` alone is `-o go-template=T` (and a template format may take its text from it).
            (None, Some(_)) => "go-template",
            (None, None) => return Ok(None),
        };
        let (name, arg) = match output.split_once('=') {
            Some((n, a)) => (n, Some(a.to_string())),
            None => (output, template.map(str::to_string)),
        };
        let unmatched = || {
            Err(format!(
                "error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: {}",
                if change { CHANGE_FORMATS } else { GET_FORMATS }
            ))
        };
        let needs = |arg: Option<String>| {
            arg.ok_or_else(|| "error: template format specified but no template given".to_string())
        };
        Ok(Some(match name {
            "" if !change => Format::Table { wide: false },
            "wide" if !change => Format::Table { wide: true },
            "name" => Format::Name,
            "json" => Format::Json,
            "yaml" => Format::Yaml,
            "jsonpath" | "jsonpath-as-json" => Format::JsonPath {
                template: needs(arg)?,
                as_json: name == "jsonpath-as-json",
            },
            "jsonpath-file" => Format::JsonPath {
                template: template_file(ctx, &needs(arg)?)?,
                as_json: false,
            },
            "go-template" | "template" => Format::GoTemplate(needs(arg)?),
            "go-template-file" | "templatefile" => {
                Format::GoTemplate(template_file(ctx, &needs(arg)?)?)
            }
            "custom-columns" if !change => {
                Format::CustomColumns(columns_from_spec(&arg.unwrap_or_default())?)
            }
            "custom-columns-file" if !change => {
                let path = arg.unwrap_or_default();
                let text = home::read(ctx, &path).map_err(|_| {
                    format!("error: error reading template {path}, open {path}: no such file or directory\n")
                })?;
                Format::CustomColumns(columns_from_file(&text)?)
            }
            _ => return unmatched(),
        }))
    }
}

/// A printer for `kubectl get`: the format and the table options.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Printer {
    pub format: Format,
    pub no_headers: bool,
    pub show_labels: bool,
    /// `-L KEY,…`: a column per label key.
    pub label_columns: Vec<String>,
    pub show_kind: bool,
    /// `--sort-by`, relaxed.
    pub sort_by: Option<String>,
    /// `-A`: tables get a NAMESPACE column for namespaced kinds.
    pub all_namespaces: bool,
}

impl Printer {
    /// The printer `kubectl get`'s flags ask for (get.go's Complete and Validate).
    pub fn from_get_flags(p: &Parsed, ctx: &Context) -> Result<Printer, String> {
        let format = Format::parse(p.get("output"), p.get("template"), ctx, false)?
            .unwrap_or(Format::Table { wide: false });
        let show_labels = p.is_set("show-labels");
        if show_labels && !matches!(format, Format::Table { .. }) {
            return Err(format!(
                "error: --show-labels option cannot be used with {} printer",
                p.get("output").unwrap_or("go-template")
            ));
        }
        // kubectl falls back to the expression as written when it cannot relax it.
        let sort_by = p
            .get("sort-by")
            .filter(|s| !s.is_empty())
            .map(|s| relaxed(s).unwrap_or_else(|_| s.to_string()));
        Ok(Printer {
            format,
            no_headers: p.is_set("no-headers"),
            show_labels,
            label_columns: p
                .all("label-columns")
                .iter()
                .flat_map(|l| l.split(','))
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            show_kind: p.is_set("show-kind"),
            sort_by,
            all_namespaces: p.is_set("all-namespaces"),
        })
    }

    /// `kubectl get`'s output for the objects found, one section per kind asked for. `single` is a request
    /// for one named object, which the generic printers print as itself rather than as a List.
    pub fn list(
        &self,
        sections: &[(Kind, Vec<Object>)],
        store: &Store,
        now: Time,
        single: bool,
    ) -> Result<String, String> {
        let found: Vec<&Object> = sections.iter().flat_map(|(_, objs)| objs).collect();
        if let Format::Table { .. } = self.format {
            // More than one kind: each name says its kind, and the sections stand apart.
            // get.go: names say their kind with --show-kind or when objects of several kinds were found.
            let with_kind =
                self.show_kind || sections.iter().filter(|(_, o)| !o.is_empty()).count() > 1;
            let mut blocks = Vec::new();
            for (kind, objs) in sections {
                if objs.is_empty() {
                    continue;
                }
                let mut objs: Vec<&Object> = objs.iter().collect();
                if *kind == Kind::Event {
                    // Events list oldest first: by when each last happened, then by write.
                    ordinal_api::sort::by_key(&mut objs, |o| match o {
                        Object::Event(e) => e.recency(),
                        _ => (None, 0),
                    });
                }
                self.sort(&mut objs)?;
                let mut rows = vec![self.header(*kind)];
                rows.extend(objs.iter().map(|o| self.row(o, store, now, with_kind)));
                blocks.push(self.render(&rows));
            }
            return Ok(blocks.join(if self.no_headers { "" } else { "\n" }));
        }
        let mut found: Vec<&Object> = found;
        self.sort(&mut found)?;
        let value = if single && found.len() == 1 {
            found[0].to_json()
        } else {
            list_json(&found)
        };
        self.generic(&value)
    }

    /// The objects as one value printed by a generic printer (`-o yaml`, `jsonpath`, …).
    fn generic(&self, value: &Value) -> Result<String, String> {
        Ok(match &self.format {
            Format::Name => items(value)
                .iter()
                .map(|o| format!("{}\n", name_of(o)))
                .collect(),
            Format::Json => format!("{}\n", ordinal_engine::gojson::go_json_indent(value)),
            Format::Yaml => crate::to_yaml_text(value),
            Format::JsonPath { template, as_json } => render_jsonpath(template, *as_json, value)?,
            Format::GoTemplate(template) => gotemplate::render(template, value)?,
            Format::CustomColumns(cols) => {
                let mut rows = Vec::new();
                if !self.no_headers {
                    rows.push(cols.iter().map(|c| c.header.clone()).collect());
                }
                for item in items(value) {
                    rows.push(custom_row(cols, item)?);
                }
                render_rows(&rows)
            }
            Format::Table { .. } => String::new(),
        })
    }

    /// `--sort-by`: the objects in the order of the field (sorter.go: missing values first, numbers as
    /// numbers, quantities as quantities, strings byte-wise; equal keys keep the list order). Fails as
    /// kubectl does when no object has the field.
    fn sort(&self, objs: &mut Vec<&Object>) -> Result<(), String> {
        let Some(field) = &self.sort_by else {
            return Ok(());
        };
        if objs.len() < 2 {
            return Ok(());
        }
        let keys: Vec<Option<Value>> = objs
            .iter()
            .map(|o| {
                jsonpath::find(field, &o.to_json())
                    .map(|found| found.into_iter().next().and_then(|v| v.into_iter().next()))
            })
            .collect::<Result<_, _>>()?;
        if keys.iter().all(Option::is_none) {
            return Err(format!(
                "error: couldn't find any field with path \"{field}\" in the list of objects"
            ));
        }
        let mut order: Vec<usize> = (0..objs.len()).collect();
        ordinal_api::sort::by(&mut order, |a, b| compare(&keys[*a], &keys[*b]));
        let sorted: Vec<&Object> = order.iter().map(|i| objs[*i]).collect();
        *objs = sorted;
        Ok(())
    }

    /// The table header for `kind`: NAMESPACE first with `-A`, then the kind's columns, the `-L` columns and
    /// LABELS.
    fn header(&self, kind: Kind) -> Vec<String> {
        let wide = matches!(self.format, Format::Table { wide: true });
        let mut header: Vec<String> = Vec::new();
        if self.all_namespaces && kind.info().namespaced {
            header.push("NAMESPACE".into());
        }
        header.extend(columns::header(kind, wide).into_iter().map(str::to_string));
        header.extend(
            self.label_columns
                .iter()
                .map(|l| l.rsplit('/').next().unwrap_or(l).to_uppercase()),
        );
        if self.show_labels {
            header.push("LABELS".into());
        }
        header
    }

    /// One table row, with AGE as of `now`.
    fn row(&self, obj: &Object, store: &Store, now: Time, with_kind: bool) -> Vec<String> {
        let wide = matches!(self.format, Format::Table { wide: true });
        let kind = obj.kind();
        let meta = obj.meta();
        let mut row = columns::row(obj, store, now, wide);
        if with_kind && kind != Kind::Event {
            if let Some(name) = row.first_mut() {
                *name = format!("{}/{name}", kind.qualified_singular());
            }
        }
        if self.all_namespaces && kind.info().namespaced {
            row.insert(0, meta.namespace.clone());
        }
        for key in &self.label_columns {
            row.push(meta.labels.get(key).cloned().unwrap_or_default());
        }
        if self.show_labels {
            row.push(if meta.labels.is_empty() {
                "<none>".into()
            } else {
                meta.labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            });
        }
        row
    }

    /// A table: the header row first unless `--no-headers`.
    fn render(&self, rows: &[Vec<String>]) -> String {
        if self.no_headers {
            render_rows(&rows[1..])
        } else {
            render_rows(rows)
        }
    }

    /// A printer that prints watch events, starting with nothing printed.
    pub fn watch(self) -> WatchPrinter {
        WatchPrinter {
            printer: self,
            widths: Vec::new(),
            header: false,
            printed: 0,
        }
    }
}

/// Rows laid out as kubectl's tabwriter lays them out (the first row is the header, if any).
fn render_rows(rows: &[Vec<String>]) -> String {
    let Some((first, rest)) = rows.split_first() else {
        return String::new();
    };
    let header: Vec<&str> = first.iter().map(String::as_str).collect();
    table::render(&header, rest)
}

/// The JSONPath printer: `jsonpath` prints values as text, `jsonpath-as-json` as JSON arrays.
fn render_jsonpath(template: &str, as_json: bool, value: &Value) -> Result<String, String> {
    if as_json {
        jsonpath::render_as_json(template, value)
    } else {
        jsonpath::render(template, value)
    }
}

/// The items of a List, or the object itself.
fn items(value: &Value) -> Vec<&Value> {
    match value.get("items").and_then(Value::as_array) {
        Some(items) if value.get("kind").and_then(Value::as_str) == Some("List") => {
            items.iter().collect()
        }
        _ => vec![value],
    }
}

/// `kind.group/name`, as the name printer writes an object.
fn name_of(obj: &Value) -> String {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let group = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|v| v.rsplit_once('/').map(|(g, _)| g))
        .unwrap_or("");
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if group.is_empty() {
        format!("{}/{name}", kind.to_lowercase())
    } else {
        format!("{}.{group}/{name}", kind.to_lowercase())
    }
}

/// One custom-columns row: each column's values joined with commas, `<none>` when the path finds nothing.
fn custom_row(cols: &[Column], item: &Value) -> Result<Vec<String>, String> {
    cols.iter()
        .map(|c| {
            let found = jsonpath::find(&c.path, item)?;
            if found.first().is_none_or(Vec::is_empty) {
                return Ok("<none>".to_string());
            }
            Ok(found
                .iter()
                .flatten()
                .map(gotemplate::sprint)
                .collect::<Vec<_>>()
                .join(","))
        })
        .collect()
}

/// sorter.go's `isLess` on unstructured values, as an ordering; a missing value sorts first.
fn compare(a: &Option<Value>, b: &Option<Value>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i.cmp(&j),
            _ => x
                .as_f64()
                .unwrap_or(0.0)
                .partial_cmp(&y.as_f64().unwrap_or(0.0))
                .unwrap_or(Ordering::Equal),
        },
        (Some(Value::String(x)), Some(Value::String(y))) => {
            match (
                ordinal_engine::quantity::Quantity::parse(x),
                ordinal_engine::quantity::Quantity::parse(y),
            ) {
                (Ok(p), Ok(q)) => p.cmp(&q),
                _ => x.cmp(y),
            }
        }
        _ => Ordering::Equal,
    }
}

/// What a command that changes objects prints for each (cli-runtime's PrintFlags with an operation): with no
/// `-o`, the name printer's `kind.group/name OPERATION`; `-o name` just the name; any other format the object.
/// One printer serves a whole command, so YAML documents after the first start with `---`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChangePrinter {
    format: Option<Format>,
    printed: usize,
}

impl ChangePrinter {
    /// The printer `-o` (and `--template`) ask for, checked before anything changes.
    pub fn from_flags(p: &Parsed, ctx: &Context) -> Result<ChangePrinter, String> {
        Ok(ChangePrinter {
            format: Format::parse(p.get("output"), p.get("template"), ctx, true)?,
            printed: 0,
        })
    }

    /// A printer for `format` (`None`: the name printer with its operation).
    pub fn new(format: Option<Format>) -> ChangePrinter {
        ChangePrinter { format, printed: 0 }
    }

    /// Whether `-o` asked for the objects themselves rather than their names.
    pub fn prints_objects(&self) -> bool {
        !matches!(self.format, None | Some(Format::Name))
    }

    /// `obj` (as JSON, with apiVersion and kind) after `operation` (`created`, `labeled`, `configured (dry
    /// run)`).
    pub fn print(&mut self, obj: &Value, operation: &str) -> Result<String, String> {
        self.printed += 1;
        Ok(match &self.format {
            None if operation.is_empty() => format!("{}\n", name_of(obj)),
            None => format!("{} {operation}\n", name_of(obj)),
            Some(Format::Name) => format!("{}\n", name_of(obj)),
            Some(Format::Yaml) if self.printed > 1 => {
                format!("---\n{}", crate::to_yaml_text(obj))
            }
            Some(Format::Yaml) => crate::to_yaml_text(obj),
            Some(Format::Json) => format!("{}\n", ordinal_engine::gojson::go_json_indent(obj)),
            Some(Format::JsonPath { template, as_json }) => {
                render_jsonpath(template, *as_json, obj)?
            }
            Some(Format::GoTemplate(template)) => gotemplate::render(template, obj)?,
            Some(Format::Table { .. } | Format::CustomColumns(_)) => String::new(),
        })
    }
}

/// What a generator (`create deployment`, `run`, `expose`, …) built, as kubectl holds it before it sends it
/// and prints it for `--dry-run=client -o yaml`: apiVersion and kind, the empty structs Go still serializes
/// (`status: {}`, a Deployment's `strategy: {}`, each container's `resources: {}`, a Service's
/// `status.loadBalancer: {}`), no server fields, and a namespace only when `-n` named one.
pub(crate) fn client_object(kind: Kind, mut value: Value, explicit_namespace: bool) -> Value {
    let info = kind.info();
    if let Some(o) = value.as_object_mut() {
        o.insert("apiVersion".into(), Value::String(info.api_version.into()));
        o.insert("kind".into(), Value::String(info.kind.into()));
        if !explicit_namespace {
            if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("namespace");
            }
        }
    }
    let ensure = |v: &mut Value, pointer: &str, key: &str, empty: Value| {
        if let Some(map) = v.pointer_mut(pointer).and_then(Value::as_object_mut) {
            map.entry(key.to_string()).or_insert(empty);
        }
    };
    let containers = |v: &mut Value, pointer: &str| {
        if let Some(list) = v.pointer_mut(pointer).and_then(Value::as_array_mut) {
            for c in list.iter_mut().filter_map(Value::as_object_mut) {
                c.entry("resources").or_insert(serde_json::json!({}));
            }
        }
    };
    match kind {
        Kind::Deployment => {
            ensure(&mut value, "/spec", "strategy", serde_json::json!({}));
            containers(&mut value, "/spec/template/spec/containers");
            ensure(&mut value, "", "status", serde_json::json!({}));
        }
        Kind::Pod => {
            containers(&mut value, "/spec/containers");
            ensure(&mut value, "", "status", serde_json::json!({}));
        }
        Kind::Service => {
            ensure(
                &mut value,
                "",
                "status",
                serde_json::json!({"loadBalancer": {}}),
            );
        }
        Kind::Namespace => {
            ensure(&mut value, "", "spec", serde_json::json!({}));
            ensure(&mut value, "", "status", serde_json::json!({}));
        }
        _ => {}
    }
    value
}

/// A List of objects, as `kubectl get` wraps what it found for the generic printers.
pub(crate) fn list_json(objs: &[&Object]) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": objs.iter().map(|o| o.to_json()).collect::<Vec<_>>(),
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// `kubectl get --watch`'s printer: the one the listing used, printing each object as its own (get.go's
/// watch prints the listed objects one by one, then each event). A table keeps the column widths it has
/// printed (kubectl's tabwriter remembers them, so they only grow) and prints its header once; YAML
/// documents after the first start with `---`.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchPrinter {
    printer: Printer,
    widths: Vec<usize>,
    header: bool,
    printed: usize,
}

impl WatchPrinter {
    /// Prints `objs` as one batch (the listing a watch starts with: aligned together, as one tabwriter flush).
    pub fn print(&mut self, objs: &[&Object], store: &Store, now: Time) -> Result<String, String> {
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut text = String::new();
        for obj in objs {
            match &self.printer.format {
                Format::Table { .. } => {
                    if !self.header && !self.printer.no_headers {
                        rows.push(self.printer.header(obj.kind()));
                    }
                    self.header = true;
                    rows.push(self.printer.row(obj, store, now, self.printer.show_kind));
                }
                Format::CustomColumns(cols) => {
                    if !self.header && !self.printer.no_headers {
                        rows.push(cols.iter().map(|c| c.header.clone()).collect());
                    }
                    self.header = true;
                    rows.push(custom_row(cols, &obj.to_json())?);
                }
                Format::Yaml => {
                    if self.printed > 0 {
                        text.push_str("---\n");
                    }
                    text.push_str(&crate::to_yaml_text(&obj.to_json()));
                }
                _ => text.push_str(&self.printer.generic(&obj.to_json())?),
            }
            self.printed += 1;
        }
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                let w = cell.chars().count();
                match self.widths.get_mut(i) {
                    Some(x) => *x = (*x).max(w),
                    None => self.widths.push(w),
                }
            }
        }
        for row in &rows {
            text.push_str(&pad_row(row, &self.widths));
        }
        Ok(text)
    }
}

/// A row padded to the remembered widths (tabwriter's minimum width 6 and padding 3; the last cell as it is).
fn pad_row(row: &[String], widths: &[usize]) -> String {
    let mut s = String::new();
    for (i, cell) in row.iter().enumerate() {
        s.push_str(cell);
        if i + 1 < row.len() {
            let w = (widths.get(i).copied().unwrap_or(0) + 3).max(6);
            s.extend(std::iter::repeat_n(
                ' ',
                w.saturating_sub(cell.chars().count()),
            ));
        }
    }
    let mut line = s.trim_end().to_string();
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// customcolumn_test.go's TestMassageJSONPath cases.
    #[test]
    fn paths_are_relaxed_as_kubectl_relaxes_them() {
        for (input, want) in [
            ("foo", "{.foo}"),
            ("{foo}", "{.foo}"),
            (".foo", "{.foo}"),
            ("{.foo}", "{.foo}"),
            ("spec.containers[0].image", "{.spec.containers[0].image}"),
        ] {
            assert_eq!(relaxed(input).as_deref(), Ok(want), "{input}");
        }
        assert_eq!(relaxed(""), Ok(String::new()));
        assert!(relaxed("{foo").is_err());
        assert!(relaxed("{{foo}}").is_err());
    }

    #[test]
    fn custom_columns_print_every_value_and_none_for_nothing() {
        let cols = columns_from_spec(
            "NAME:metadata.name,IMAGES:spec.containers[*].image,L:.metadata.labels,X:{.nope}",
        )
        .unwrap();
        let pod = json!({"metadata": {"name": "web-0", "labels": {"app": "nginx", "tier": "web"}},
            "spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}]}});
        assert_eq!(
            custom_row(&cols, &pod).unwrap(),
            [
                "web-0",
                "nginx,busybox",
                "map[app:nginx tier:web]",
                "<none>"
            ]
        );
        assert!(columns_from_spec("NAME")
            .unwrap_err()
            .contains("expected <header>:<json-path-expr>"));
        let file = columns_from_file("NAME   IMAGE\nmetadata.name   {.spec.containers[0].image}\n")
            .unwrap();
        assert_eq!(custom_row(&file, &pod).unwrap(), ["web-0", "nginx"]);
        assert!(columns_from_file("A B\nx\n")
            .unwrap_err()
            .contains("number of headers (2) and field specifications (1) don't match"));
    }

    #[test]
    fn sort_keys_compare_as_kubectl_compares_them() {
        use std::cmp::Ordering;
        let cmp = |a: Value, b: Value| compare(&Some(a), &Some(b));
        assert_eq!(cmp(json!(2), json!(10)), Ordering::Less);
        assert_eq!(cmp(json!("web-10"), json!("web-2")), Ordering::Less);
        assert_eq!(cmp(json!("500Mi"), json!("1Gi")), Ordering::Less);
        assert_eq!(compare(&None, &Some(json!(1))), Ordering::Less);
    }
}
