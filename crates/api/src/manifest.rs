//! YAML text to API objects. A file holds one or more documents separated by `---`; each document is parsed on
//! its own so every error can name its document and the line it starts on.
//!
//! [`read`] reads a file the way kubectl's resource builder does (cli-runtime `StreamVisitor.Visit` and
//! `mapper.infoForData`): a document whose kind kubectl cannot map is an error of that document alone and the
//! next documents are still read, while a YAML syntax error or a document without `apiVersion`/`kind` (client
//! validation) ends the file there. kubectl then sends every document it could read, so one bad document does
//! not stop the others. [`parse`] is the all-or-nothing form for the editor and `kubectl edit`, which want a
//! manifest with no error at all.

use std::fmt;

use serde_json::Value;

use crate::model::Kind;

/// One object read from a manifest, not yet admitted.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestObject {
    pub kind: Kind,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`, when the manifest sets it.
    pub namespace: Option<String>,
    /// The document without `apiVersion` and `kind`: what [`crate::model::Object::from_json`] decodes.
    pub body: Value,
    /// The document as written, for `last-applied-configuration`.
    pub raw: Value,
    pub position: Position,
}

/// Where an object or error sits in the source: 1-based document index and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub document: usize,
    pub line: usize,
}

/// Why a manifest could not be read, as kubectl words it, plus where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestErrorKind {
    /// The YAML itself is malformed. `message` is go-yaml v2's (`yaml: line 4: could not find expected ':'`,
    /// the line counted within the document); `line` and `column` are where the mistake is in the file, for
    /// the editor.
    #[error("error converting YAML to JSON: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// A document that is not a mapping (a string, a list): kubectl's client-side validation refuses it
    /// (kubernetes/kubectl `pkg/validation` `getObjectKind`), before anything is decoded.
    #[error("error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false")]
    NotAnObject { found: String },
    /// `apiVersion` or `kind` is absent. Go's error aggregate brackets a list of two but not a single error
    /// (kubectl pkg/validation `getObjectKind`, apimachinery `aggregate.Error`).
    #[error("error validating data: {}; if you choose to ignore these errors, turn validation off with --validate=false", go_aggregate(missing))]
    MissingTypeInfo { missing: Vec<&'static str> },
    /// The API serves no such kind at that version.
    #[error("resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{source_name}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first")]
    UnknownKind {
        name: String,
        namespace: String,
        source_name: String,
        kind: String,
        api_version: String,
    },
    /// `metadata.name` is absent or empty.
    #[error("resource name may not be empty")]
    MissingName,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// The file name kubectl would print (`web.yaml`, or `STDIN`).
    pub source_name: String,
    pub position: Position,
    pub kind: ManifestErrorKind,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ManifestErrorKind::Syntax { .. } => {
                write!(
                    f,
                    "error: error parsing {}: {}",
                    self.source_name, self.kind
                )
            }
            ManifestErrorKind::MissingTypeInfo { .. } | ManifestErrorKind::NotAnObject { .. } => {
                write!(
                    f,
                    "error: error validating \"{}\": {}",
                    self.source_name, self.kind
                )
            }
            ManifestErrorKind::UnknownKind { .. } => write!(f, "error: {}", self.kind),
            ManifestErrorKind::MissingName => write!(
                f,
                "error: error when retrieving current configuration from server for: \"{}\": {}",
                self.source_name, self.kind
            ),
        }
    }
}

impl ManifestError {
    /// The message without kubectl's `error: ` prefix: what kubectl prints for this error when it reports
    /// several at once (cmd/util `MultipleErrors`).
    pub fn message(&self) -> String {
        let text = self.to_string();
        text.strip_prefix("error: ").unwrap_or(&text).to_string()
    }

    /// Whether kubectl stops reading the file at this error. A syntax error and a failed client-side validation
    /// return from cli-runtime's `StreamVisitor.Visit`; a kind that cannot be mapped is passed on per document.
    pub fn ends_file(&self) -> bool {
        !matches!(
            self.kind,
            ManifestErrorKind::UnknownKind { .. } | ManifestErrorKind::MissingName
        )
    }

    /// A one-line pointer for the learner: which document, which line.
    pub fn location(&self) -> String {
        let line = match &self.kind {
            ManifestErrorKind::Syntax { line, .. } => *line,
            _ => self.position.line,
        };
        format!("document {}, line {}", self.position.document, line)
    }
}

/// What kubectl reads from one file: the objects it can send, in order, and why the other documents were
/// left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read {
    /// Mapped documents, in file order. A document without a name is here too: kubectl only finds out when it
    /// makes the request, and each verb words that differently.
    pub objects: Vec<ManifestObject>,
    /// Documents kubectl could not map, then at most one error that ended the file.
    pub errors: Vec<ManifestError>,
}

/// Reads `text` as kubectl's resource builder does. `source_name` is what error messages call the file.
pub fn read(text: &str, source_name: &str) -> Read {
    let mut out = Read::default();
    for (index, (first_line, chunk)) in split_documents(text).into_iter().enumerate() {
        let position = Position {
            document: index + 1,
            line: first_line,
        };
        let err = |kind| ManifestError {
            source_name: source_name.to_string(),
            position,
            kind,
        };
        // apimachinery's YAMLToJSONDecoder hands each document to go-yaml v2 on its own, so its errors
        // count lines from the document's first line.
        if let Some(e) = crate::yamlv2::check(&chunk) {
            out.errors.push(err(ManifestErrorKind::Syntax {
                line: e.at.0 + first_line - 1,
                column: e.at.1,
                message: e.to_string(),
            }));
            break;
        }
        // go-yaml v2 keeps the last of duplicate keys (yaml.Unmarshal is not strict).
        let options = serde_saphyr::options! {
            duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
        };
        let value: Value = match serde_saphyr::from_str_with_options(&chunk, options) {
            Ok(v) => v,
            Err(e) => {
                // Something go-yaml takes but this parser does not: its own words, go-yaml's form.
                let (line, column) = e
                    .location()
                    .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
                let message = if expands_too_much(&e) {
                    // An alias bomb ("billion laughs"): go-yaml v2 refuses it as decode.go does, without a line.
                    "yaml: document contains excessive aliasing".to_string()
                } else {
                    format!("yaml: line {line}: {}", plain_message(&e))
                };
                out.errors.push(err(ManifestErrorKind::Syntax {
                    line: line + first_line - 1,
                    column,
                    message,
                }));
                break;
            }
        };
        match value {
            Value::Null => continue,
            Value::Object(_) => {}
            other => {
                out.errors.push(err(ManifestErrorKind::NotAnObject {
                    found: compact(&other),
                }));
                break;
            }
        }
        // A `kind: List` (what `kubectl get -o yaml` prints for several objects) holds its objects in `items`.
        let items = if value.get("kind").and_then(Value::as_str) == Some("List") {
            value
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        } else {
            vec![value]
        };
        for item in items {
            match read_fields(item, source_name, position) {
                Ok(o) => out.objects.push(o),
                Err(kind) => out.errors.push(err(*kind)),
            }
        }
        if out.errors.last().is_some_and(ManifestError::ends_file) {
            break;
        }
    }
    out
}

/// Reads every document of `text`, all or nothing: any error, a missing name included, gives no objects.
pub fn parse(text: &str, source_name: &str) -> Result<Vec<ManifestObject>, Vec<ManifestError>> {
    let Read {
        objects,
        mut errors,
    } = read(text, source_name);
    for o in objects.iter().filter(|o| o.name.is_empty()) {
        errors.push(ManifestError {
            source_name: source_name.to_string(),
            position: o.position,
            kind: ManifestErrorKind::MissingName,
        });
    }
    crate::sort::by_key(&mut errors, |e| e.position.document);
    if errors.is_empty() {
        Ok(objects)
    } else {
        Err(errors)
    }
}

fn read_fields(
    raw: Value,
    source_name: &str,
    position: Position,
) -> Result<ManifestObject, Box<ManifestErrorKind>> {
    let err = Box::new;
    let Value::Object(map) = &raw else {
        return Err(err(ManifestErrorKind::NotAnObject {
            found: compact(&raw),
        }));
    };
    let text = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (api_version, kind) = (text("apiVersion"), text("kind"));
    // pkg/validation getObjectKind: absent (or null) is "not set", another type "isn't string type".
    let mut missing = Vec::new();
    for (field, value, not_set, not_string) in [
        (
            "apiVersion",
            &api_version,
            "apiVersion not set",
            "apiVersion isn't string type",
        ),
        ("kind", &kind, "kind not set", "kind isn't string type"),
    ] {
        match map.get(field) {
            Some(Value::String(_)) | None | Some(Value::Null) if value.is_empty() => {
                missing.push(not_set)
            }
            Some(Value::String(_)) => {}
            _ => missing.push(not_string),
        }
    }
    if !missing.is_empty() {
        return Err(err(ManifestErrorKind::MissingTypeInfo { missing }));
    }
    let meta = map.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let Some(known) = Kind::from_manifest(&kind, &api_version) else {
        return Err(err(ManifestErrorKind::UnknownKind {
            name,
            namespace: namespace.unwrap_or_default(),
            source_name: source_name.to_string(),
            kind,
            api_version,
        }));
    };
    let mut body = map.clone();
    body.remove("apiVersion");
    body.remove("kind");
    Ok(ManifestObject {
        kind: known,
        name,
        namespace,
        body: Value::Object(body),
        raw,
        position,
    })
}

/// Splits on `---` document markers, returning each document with the 1-based line it starts on. A document
/// that holds only comments or blank lines is kept (it parses to null and is skipped) so numbering matches what
/// the learner counts.
fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    let mut seen_content = false;
    for (i, line) in text.lines().enumerate() {
        let is_marker = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        let is_end = line == "...";
        if is_marker || is_end {
            if seen_content || !current.trim().is_empty() {
                docs.push((start, std::mem::take(&mut current)));
            }
            current.clear();
            seen_content = false;
            start = i + 2;
            // `--- key: value` puts content on the marker line itself.
            if let Some(rest) = line
                .strip_prefix("---")
                .map(str::trim_start)
                .filter(|r| !r.is_empty())
            {
                current.push_str(rest);
                current.push('\n');
                start = i + 1;
                seen_content = true;
            }
            continue;
        }
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            seen_content = true;
        }
        current.push_str(line);
        current.push('\n');
    }
    if seen_content {
        docs.push((start, current));
    }
    docs
}

/// Whether the parser stopped because aliases expanded the document past its budget of nodes or aliases (the
/// error may come wrapped in the alias that was being expanded, or with a source snippet).
fn expands_too_much(mut e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::budget::BudgetBreach;
    loop {
        match e {
            serde_saphyr::Error::AliasError { error, .. }
            | serde_saphyr::Error::WithSnippet { error, .. } => e = error,
            serde_saphyr::Error::Budget { breach, .. } => {
                return matches!(
                    breach,
                    BudgetBreach::Nodes { .. } | BudgetBreach::Aliases { .. }
                )
            }
            _ => return false,
        }
    }
}

/// The parser's message without its own location decoration or source snippet: our message adds the location
/// relative to the whole file.
fn plain_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    // Drop a trailing " at line N column M" that the parser appends.
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// How Go prints an error aggregate (apimachinery `aggregate.Error`): one message alone, several in brackets.
pub fn go_aggregate<S: AsRef<str>>(messages: &[S]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for m in messages {
        if !seen.contains(&m.as_ref()) {
            seen.push(m.as_ref());
        }
    }
    match seen.as_slice() {
        [one] => (*one).to_string(),
        many => format!("[{}]", many.join(", ")),
    }
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n";

    #[test]
    fn reads_every_document_with_its_line() {
        let objs = parse(WEB, "web.yaml").unwrap();
        assert_eq!(objs.len(), 2);
        assert_eq!(
            (objs[0].kind, objs[0].name.as_str(), objs[0].position.line),
            (Kind::Service, "nginx", 1)
        );
        assert_eq!(
            (objs[1].kind, objs[1].name.as_str(), objs[1].position.line),
            (Kind::StatefulSet, "web", 6)
        );
        assert_eq!(objs[1].position.document, 2);
    }

    #[test]
    fn syntax_error_names_the_line_in_the_whole_file() {
        let text = format!("{WEB}spec:\n  replicas: 2\n   serviceName: nginx\n");
        let errs = parse(&text, "web.yaml").unwrap_err();
        assert_eq!(errs.len(), 1);
        let ManifestErrorKind::Syntax { line, .. } = &errs[0].kind else {
            panic!("{:?}", errs[0])
        };
        assert!((11..=12).contains(line), "line {line}: {}", errs[0]);
        assert!(errs[0]
            .to_string()
            .starts_with("error: error parsing web.yaml: error converting YAML to JSON"));
        assert_eq!(errs[0].position.document, 2);
    }

    #[test]
    fn unknown_kind_is_reported_like_kubectl() {
        let errs = parse(
            "apiVersion: apps/v1\nkind: StatefulSett\nmetadata:\n  name: web\n",
            "web.yaml",
        )
        .unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "error: resource mapping not found for name: \"web\" namespace: \"\" from \"web.yaml\": no matches for kind \"StatefulSett\" in version \"apps/v1\"\nensure CRDs are installed first"
        );
    }

    #[test]
    fn missing_name_and_missing_kind() {
        let errs = parse(
            "apiVersion: v1\nkind: Service\nmetadata:\n  labels: {}\n",
            "svc.yaml",
        )
        .unwrap_err();
        assert!(errs[0]
            .to_string()
            .ends_with("resource name may not be empty"));
        let errs = parse("metadata:\n  name: x\n", "x.yaml").unwrap_err();
        assert!(errs[0]
            .to_string()
            .contains("[apiVersion not set, kind not set]"));
    }

    #[test]
    fn comment_only_documents_are_skipped_but_counted() {
        let objs = parse(
            "# just a comment\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n",
            "f",
        )
        .unwrap();
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].position.document, 2);
    }
}
