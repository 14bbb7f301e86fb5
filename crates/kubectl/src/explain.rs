//! `kubectl explain TYPE[.FIELD…]`: the API documentation of the kinds the engine knows, printed as kubectl
//! (1.27 and later) prints the server's OpenAPI v3 document through its "plaintext" template
//! (`k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl`). The documents live in [`schema`], a static table,
//! so explain works without a server; this module resolves the resource and field path the way kubectl does
//! and renders the template's layout: header, `FIELD:` line with `ENUM:` values, `DESCRIPTION:` wrapped by
//! go-wordwrap at 76 columns, and the `FIELDS:` list (or the field tree with `--recursive`).

#[path = "explain_schema.rs"]
mod schema;

use crate::flags::{self, flag, Spec};
use crate::{resolve_kind, Outcome};
use ordinal_engine::model::Kind;

/// One OpenAPI schema in `components/schemas`: an object with fields, or a named scalar (`Quantity`, `Time`).
struct Type {
    /// The last segment of the schema's name (`io.k8s.api.apps.v1.StatefulSetSpec` → `StatefulSetSpec`).
    name: &'static str,
    /// The schema's own `type` when it is not an object (`Time` is a `string`): kubectl shows that instead of
    /// the name.
    primitive: Option<&'static str>,
    description: &'static str,
    /// Sorted by name, as kubectl lists them.
    fields: &'static [Field],
}

/// One property of a [`Type`].
struct Field {
    name: &'static str,
    ty: Ty,
    description: &'static str,
    required: bool,
    /// `enum` values of a field whose Go type is an enum, sorted.
    enums: &'static [&'static str],
}

/// The shape of a property's schema: what kubectl's `typeGuess` reads.
#[derive(Clone, Copy)]
enum Ty {
    /// `string`, `integer`, `boolean`, `number`; `object` for free-form JSON.
    Prim(&'static str),
    /// `allOf: [{$ref}]`.
    Ref(&'static Type),
    /// `type: array` with `items`.
    Array(&'static Ty),
    /// `type: object` with `additionalProperties`.
    Map(&'static Ty),
}

impl Field {
    const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    const fn enums(mut self, values: &'static [&'static str]) -> Field {
        self.enums = values;
        self
    }
}

impl Ty {
    /// The schema a field path continues into: through arrays' `items` and maps' `additionalProperties`, as
    /// the template's "output" does, to the referenced type.
    fn target(self) -> Option<&'static Type> {
        match self {
            Ty::Prim(_) => None,
            Ty::Ref(t) => Some(t),
            Ty::Array(inner) | Ty::Map(inner) => inner.target(),
        }
    }

    /// The template's `typeGuess`: `[]Container`, `map[string]string`, `ObjectMeta`, `Object`.
    fn guess(self) -> String {
        match self {
            Ty::Prim("object") => "Object".to_string(),
            Ty::Prim(p) => p.to_string(),
            Ty::Ref(t) => t.primitive.unwrap_or(t.name).to_string(),
            Ty::Array(inner) => format!("[]{}", inner.guess()),
            Ty::Map(inner) => format!("map[string]{}", inner.guess()),
        }
    }
}

pub(crate) const EXPLAIN_FLAGS: &[Spec] = &[
    flag("recursive", None, false),
    flag("api-version", None, true),
    flag("output", Some('o'), true),
];

/// `kubectl explain RESOURCE[.FIELD…] [--recursive] [--api-version=GROUP/VERSION]`.
pub fn explain(args: &[String]) -> Outcome {
    let p = match flags::parse(args, EXPLAIN_FLAGS, "explain") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let arg = match p.args.as_slice() {
        [] => {
            return Outcome::err(
                "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a \
                 complete list of supported resources.\n",
            )
        }
        [one] => one.as_str(),
        _ => return Outcome::err("error: We accept only this format: explain RESOURCE\n"),
    };
    let api_version = p.get("api-version").unwrap_or("");
    let request = if api_version.is_empty() {
        split_with_matching_prefix(arg)
    } else {
        split(arg)
    };
    let (kind, path) = match request {
        Ok(r) => r,
        Err(e) => return Outcome::err(e),
    };
    // kubectl's older renderer over the OpenAPI v2 document; this playground serves only the v3 one.
    if p.get("output") == Some("plaintext-openapiv2") {
        return Outcome::err(
            "error: \"kubectl explain --output=plaintext-openapiv2\" is not available in this playground yet",
        );
    }
    let info = kind.info();
    let (mut group, mut version) = group_version(info.api_version);
    if !api_version.is_empty() {
        match parse_group_version(api_version) {
            Ok(gv) => (group, version) = gv,
            Err(e) => return Outcome::err(e),
        }
    }
    let gvr = format!("{group}/{version}, Resource={}", info.plural);
    let served = Kind::ALL
        .iter()
        .any(|k| group_version(k.info().api_version) == (group, version));
    if !served {
        return Outcome::err(format!("error: couldn't find resource for \"{gvr}\""));
    }
    let format = p.get("output").unwrap_or("plaintext");
    if format != "plaintext" {
        return Outcome::err(format!("error: unrecognized format: {format}"));
    }
    // The GVR must be one the group-version's document has paths for: a kind of this group and version.
    let Some(found) = Kind::ALL.iter().copied().find(|k| {
        let i = k.info();
        i.plural == info.plural && group_version(i.api_version) == (group, version)
    }) else {
        return Outcome::err(format!("error: GVR ({gvr}) not found in OpenAPI schema"));
    };
    let kind_name = found.info().kind;
    let Some(root) = schema::KINDS
        .iter()
        .find(|(g, v, k, _)| (*g, *v, *k) == (group, version, kind_name))
        .map(|(.., t)| *t)
    else {
        return Outcome::err(format!(
            "error: GVK map[group:{group} kind:{kind_name} version:{version}] not found in OpenAPI schema"
        ));
    };
    render(
        group,
        version,
        kind_name,
        root,
        &path,
        p.is_set("recursive"),
    )
}

/// `"apps/v1"` → `("apps", "v1")`, `"v1"` → `("", "v1")`.
fn group_version(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}

/// `schema.ParseGroupVersion`, for `--api-version`.
fn parse_group_version(gv: &str) -> Result<(&str, &str), String> {
    if gv == "/" {
        return Ok(("", ""));
    }
    match gv.matches('/').count() {
        0 => Ok(("", gv)),
        1 => Ok(group_version(gv)),
        _ => Err(format!("error: unexpected GroupVersion string: {gv}")),
    }
}

/// The names `jsonPathParse` finds in `{.<input>}` (one trailing `.` dropped), or None when a node is not a
/// plain field (`a..b`, `containers[0]`).
fn field_nodes(input: &str) -> Option<Vec<String>> {
    let input = input.strip_suffix('.').unwrap_or(input);
    input
        .split('.')
        .map(|s| {
            let plain = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'));
            plain.then(|| s.to_string())
        })
        .collect()
}

fn resource_for(word: &str) -> Result<Kind, String> {
    resolve_kind(word)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{word}\""))
}

/// `explain.SplitAndParseResourceRequestWithMatchingPrefix`: the first name is the resource; the path follows
/// the `plural.group` prefix when the input starts with it (`statefulsets.apps.spec`), else the first name
/// (`sts.spec`). So `sts.apps` asks for a field `apps`, as in kubectl.
fn split_with_matching_prefix(input: &str) -> Result<(Kind, Vec<String>), String> {
    const NOT_FIELD: &str = "error: invalid jsonpath syntax, first node must be field node";
    let first = input.split('.').next().unwrap_or_default();
    let kind = match field_nodes(first) {
        Some(_) => resource_for(first)?,
        None => return Err(NOT_FIELD.to_string()),
    };
    let info = kind.info();
    let group_resource = if info.group.is_empty() {
        info.plural.to_string()
    } else {
        format!("{}.{}", info.plural, info.group)
    };
    let rest = match input.strip_prefix(&group_resource) {
        // The suffix is parsed on its own and its first node dropped: `.spec` → `[spec]`.
        Some(suffix) if !suffix.is_empty() => {
            let suffix = suffix.strip_suffix('.').unwrap_or(suffix);
            let parts: Vec<&str> = suffix.split('.').skip(1).collect();
            if parts.iter().any(|p| field_nodes(p).is_none()) {
                return Err(NOT_FIELD.to_string());
            }
            parts.into_iter().map(str::to_string).collect()
        }
        Some(_) => Vec::new(),
        None => match field_nodes(input) {
            Some(nodes) => nodes.into_iter().skip(1).collect(),
            None => return Err(NOT_FIELD.to_string()),
        },
    };
    Ok((kind, rest))
}

/// `explain.SplitAndParseResourceRequest`, used with `--api-version`: the first name is the resource, every
/// other name a field.
fn split(input: &str) -> Result<(Kind, Vec<String>), String> {
    let first = input.split('.').next().unwrap_or_default();
    if field_nodes(first).is_none() {
        return Err("error: invalid jsonpath syntax, first node must be field node".to_string());
    }
    let kind = resource_for(first)?;
    match field_nodes(input) {
        Some(nodes) => Ok((kind, nodes.into_iter().skip(1).collect())),
        None => Err("error: invalid jsonpath syntax, all nodes must be field nodes".to_string()),
    }
}

/// The plaintext template over one kind's document.
fn render(
    group: &str,
    version: &str,
    kind: &str,
    root: &'static Type,
    path: &[String],
    recursive: bool,
) -> Outcome {
    let mut out = String::new();
    if !group.is_empty() {
        out.push_str(&format!("GROUP:      {group}\n"));
    }
    out.push_str(&format!("KIND:       {kind}\nVERSION:    {version}\n\n"));

    // Follow the path. kubectl prints the header before it finds a field missing, and names the last
    // element of the path whichever one is missing.
    let mut field: Option<&'static Field> = None;
    for name in path {
        let within = match field {
            None => Some(root),
            Some(f) => f.ty.target(),
        };
        match within.and_then(|t| t.fields.iter().find(|f| f.name == *name)) {
            Some(f) => field = Some(f),
            None => {
                let last = path.last().map_or("", String::as_str);
                let mut printed = Outcome::ok(out);
                printed.push_stderr(&format!("error: field \"{last}\" does not exist\n"));
                printed.status = 1;
                return printed;
            }
        }
    }

    let mut description = String::new();
    let mut fields = String::new();
    match field {
        None => {
            push_paragraph(&mut description, root.description);
            list_fields(&mut fields, root, 1, recursive, &mut Vec::new());
        }
        Some(f) => {
            out.push_str(&format!("FIELD: {} <{}>\n", f.name, f.ty.guess()));
            if !f.enums.is_empty() {
                out.push_str("ENUM:");
                for v in f.enums {
                    out.push_str("\n    ");
                    out.push_str(enum_literal(v));
                }
            }
            out.push_str("\n\n");
            push_paragraph(&mut description, f.description);
            if let Some(t) = f.ty.target() {
                push_paragraph(&mut description, t.description);
                list_fields(&mut fields, t, 1, recursive, &mut vec![t]);
            }
        }
    }
    if description.is_empty() {
        description.push_str("<empty>");
    }
    out.push_str("DESCRIPTION:\n");
    out.push_str(&indent(4, &wrap(&description, 76)));
    out.push('\n');
    if !fields.is_empty() {
        out.push_str("FIELDS:\n");
        out.push_str(&fields);
    }
    out.push('\n');
    Outcome::ok(out)
}

/// The template's "description": each schema's text on the way to the type, one per line.
fn push_paragraph(out: &mut String, text: &str) {
    if !text.is_empty() {
        out.push_str(text);
        out.push('\n');
    }
}

/// The template's "fieldList": every field of `t`, and with `recursive` their fields (pre-order, two more
/// spaces a level). `seen` holds the types on the way down; a type met again is a cycle and stops there.
fn list_fields(
    out: &mut String,
    t: &'static Type,
    level: usize,
    recursive: bool,
    seen: &mut Vec<*const Type>,
) {
    for f in t.fields {
        field_detail(out, f, level, recursive);
        if !recursive {
            continue;
        }
        if let Some(sub) = f.ty.target() {
            if seen.contains(&(sub as *const Type)) {
                continue;
            }
            seen.push(sub);
            list_fields(out, sub, level + 1, recursive, seen);
            seen.pop();
        }
    }
}

/// The template's "fieldDetail": `name<TAB><type>[ -required-]`, the first four enum values, and unless
/// `short` the description wrapped at 78 columns less the indentation.
fn field_detail(out: &mut String, f: &Field, level: usize, short: bool) {
    let pad = " ".repeat(level * 2);
    out.push_str(&format!("{pad}{}\t<{}>", f.name, f.ty.guess()));
    if f.required {
        out.push_str(" -required-");
    }
    if !f.enums.is_empty() {
        out.push('\n');
        out.push_str(&pad);
        out.push_str("enum: ");
        for (i, v) in f.enums.iter().enumerate() {
            if i == 4 {
                out.push_str(", ....");
                break;
            }
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(enum_literal(v));
        }
    }
    out.push('\n');
    if !short {
        let text = if f.description.is_empty() {
            "<no description>"
        } else {
            f.description
        };
        out.push_str(&indent(level * 2 + 2, &wrap(text, 78 - level * 2)));
        out.push_str("\n\n");
    }
}

/// The empty enum value prints as `""`.
fn enum_literal(v: &str) -> &str {
    if v.is_empty() {
        "\"\""
    } else {
        v
    }
}

/// The template's `indent`: `n` spaces before the text and after every newline.
fn indent(n: usize, text: &str) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

/// `wordwrap.WrapString` (github.com/mitchellh/go-wordwrap v1.0.1), which kubectl's template `wrap` calls:
/// breaks at white space before a word would pass `limit` characters, keeps existing newlines and runs of
/// spaces, and never breaks a word longer than the limit.
fn wrap(s: &str, limit: usize) -> String {
    let mut buf = String::with_capacity(s.len() + s.len() / limit.max(1));
    let mut current = 0;
    let (mut word, mut word_len) = (String::new(), 0);
    let (mut space, mut space_len) = (String::new(), 0);
    for ch in s.chars() {
        if ch == '\n' {
            if word.is_empty() {
                if current + space_len <= limit {
                    buf.push_str(&space);
                }
            } else {
                buf.push_str(&space);
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            space.clear();
            space_len = 0;
            buf.push('\n');
            current = 0;
        } else if ch.is_whitespace() && ch != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                buf.push_str(&word);
                space.clear();
                space_len = 0;
                word.clear();
                word_len = 0;
            }
            space.push(ch);
            space_len += 1;
        } else {
            word.push(ch);
            word_len += 1;
            if current + word_len + space_len > limit && word_len < limit {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= limit {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, SeqAccess, Visitor};

    use super::*;
    use ordinal_engine::model;

    fn explain_words(line: &str) -> Outcome {
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        explain(&args)
    }

    /// Expected output written readably: `\t` for a tab, `~` ending a line that ends in spaces.
    fn text(s: &str) -> String {
        s.replace("\\t", "\t").replace("~\n", "\n")
    }

    #[test]
    fn explain_kind_lists_its_fields() {
        let out = explain_words("sts");
        assert_eq!((out.status, out.stderr().as_str()), (0, ""));
        assert_eq!(
            out.stdout(),
            text(
                r#"GROUP:      apps
KIND:       StatefulSet
VERSION:    v1

DESCRIPTION:
    Runs a set of pods that each keep a stable identity: a fixed ordinal, a
    predictable hostname and DNS name, and their own persistent volume claims
    that follow the pod across restarts and rescheduling.
    ~
FIELDS:
  apiVersion\t<string>
    The API group and version the object is written against, such as `v1` or
    `apps/v1`. The server uses it to pick the schema for the rest of the object.

  kind\t<string>
    The object's type in CamelCase, such as `Pod`. Clients set it; it cannot
    change after creation.

  metadata\t<ObjectMeta>
    Standard object metadata: name, namespace, labels, annotations, and fields
    the server fills in.

  spec\t<StatefulSetSpec>
    The desired state: how many pods, what they look like, and how they are
    named, stored and updated.

  status\t<StatefulSetStatus>
    What the controller last observed about the pods of this set. It can lag
    behind reality.


"#
            )
        );
    }

    #[test]
    fn explain_field_with_enum_subfield() {
        let out = explain_words("sts.spec.updateStrategy");
        assert_eq!(
            out.stdout(),
            text(
                r#"GROUP:      apps
KIND:       StatefulSet
VERSION:    v1

FIELD: updateStrategy <StatefulSetUpdateStrategy>


DESCRIPTION:
    How pods are replaced when the template changes.
    How the StatefulSet controller replaces pods after the pod template changes,
    with any settings the chosen strategy needs.
    ~
FIELDS:
  rollingUpdate\t<RollingUpdateStatefulSetStrategy>
    Settings for the `RollingUpdate` strategy.

  type\t<string>
  enum: OnDelete, RollingUpdate
    The update strategy. Defaults to `RollingUpdate`.
     - `OnDelete`: pods are not replaced automatically; a pod gets the new
    template only when you delete it yourself.
     - `RollingUpdate`: pods are replaced automatically, one at a time from the
    highest ordinal down, waiting for each to become ready.


"#
            )
        );
        // Every spelling of the resource reaches the same document.
        for alias in [
            "statefulsets.apps.spec.updateStrategy",
            "statefulset.spec.updateStrategy",
            "StatefulSet.spec.updateStrategy",
            "sts.spec.updateStrategy.",
            "sts.spec.updateStrategy --api-version=apps/v1",
        ] {
            assert_eq!(explain_words(alias), out, "{alias}");
        }
    }

    #[test]
    fn explain_scalar_field_of_a_core_kind() {
        let out = explain_words("pvc.spec.accessModes");
        assert_eq!(
            out.stdout(),
            text(
                r#"KIND:       PersistentVolumeClaim
VERSION:    v1

FIELD: accessModes <[]string>


DESCRIPTION:
    How the volume may be mounted, such as `ReadWriteOnce` (one node),
    `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod` (one pod).
    ~

"#
            )
        );
        let out = explain_words("svc.spec.clusterIP");
        assert_eq!(
            out.stdout(),
            text(
                r#"KIND:       Service
VERSION:    v1

FIELD: clusterIP <string>


DESCRIPTION:
    The virtual IP of the Service, usually assigned automatically. `None` makes
    a headless Service with no virtual IP, where DNS returns the pod addresses.
    Can only be changed when switching to or from `ExternalName`.
    ~

"#
            )
        );
    }

    #[test]
    fn explain_walks_through_arrays_to_their_items() {
        let out = explain_words("pod.spec.containers.ports");
        assert_eq!(
            out.stdout(),
            text(
                r#"KIND:       Pod
VERSION:    v1

FIELD: ports <[]ContainerPort>


DESCRIPTION:
    Ports the container listens on. Listing a port is informational: a container
    listening on 0.0.0.0 is reachable on any port whether listed or not. Cannot
    be updated.
    A network port one container listens on.
    ~
FIELDS:
  containerPort\t<integer> -required-
    The port number inside the container, between 1 and 65535.

  hostIP\t<string>
    The node IP address to bind hostPort on.

  hostPort\t<integer>
    Port to open on the node and forward to the container, between 1 and 65535.
    With hostNetwork it must equal containerPort. Rarely needed.

  name\t<string>
    Name of the port, unique within the pod, that Services can refer to instead
    of the number. Must be an IANA_SVC_NAME (up to 15 lowercase letters, digits
    and dashes).

  protocol\t<string>
  enum: SCTP, TCP, UDP
    Network protocol of the port. Defaults to `TCP`.
     - `SCTP`: Stream Control Transmission Protocol.
     - `TCP`: Transmission Control Protocol.
     - `UDP`: User Datagram Protocol.


"#
            )
        );
    }

    #[test]
    fn explain_enum_field_lists_its_values() {
        let out = explain_words("po.spec.restartPolicy");
        assert_eq!(
            out.stdout(),
            text(
                r#"KIND:       Pod
VERSION:    v1

FIELD: restartPolicy <string>
ENUM:
    Always
    Never
    OnFailure

DESCRIPTION:
    When containers in the pod are restarted after they exit. Defaults to
    `Always`; some workloads allow only a subset.
     - `Always`: restart whenever a container exits.
     - `Never`: never restart.
     - `OnFailure`: restart only when a container exits with a non-zero code.
    ~

"#
            )
        );
        // Deep paths, and scalar types that are references (`Time` prints as string).
        let out = explain_words("pod.spec.containers.readinessProbe.exec");
        assert!(
            out.stdout().contains("FIELD: exec <ExecAction>\n"),
            "{}",
            out.stdout()
        );
        assert!(
            out.stdout().contains("  command\t<[]string>\n"),
            "{}",
            out.stdout()
        );
        let out = explain_words("pod.metadata.creationTimestamp");
        assert!(out.stdout().contains("FIELD: creationTimestamp <string>\n"));
        assert!(out
            .stdout()
            .contains("    A timestamp, written as an RFC 3339 string"));
    }

    #[test]
    fn recursive_prints_the_field_tree() {
        let out = explain_words("sts.spec.updateStrategy --recursive");
        assert!(out.stdout().ends_with(&text(
            r#"FIELDS:
  rollingUpdate\t<RollingUpdateStatefulSetStrategy>
    maxUnavailable\t<IntOrString>
    partition\t<integer>
  type\t<string>
  enum: OnDelete, RollingUpdate

"#
        )));
        let out = explain_words("sts --recursive");
        for line in [
            "  spec\t<StatefulSetSpec>\n",
            "    persistentVolumeClaimRetentionPolicy\t<StatefulSetPersistentVolumeClaimRetentionPolicy>\n",
            "          readinessProbe\t<Probe>\n",
            "            exec\t<ExecAction>\n",
            "    volumeClaimTemplates\t<[]PersistentVolumeClaim>\n",
        ] {
            assert!(out.stdout().contains(line), "{line}");
        }
        // Five or more values are cut after the fourth.
        assert!(out
            .stdout()
            .contains("  enum: \"\", BlockDevice, CharDevice, Directory, ....\n"));
    }

    #[test]
    fn missing_field_is_named_after_the_header() {
        let out = explain_words("sts.spec.replica");
        assert_eq!(
            out,
            Outcome {
                output: crate::Output::both(
                    "GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\n".into(),
                    "error: field \"replica\" does not exist\n".into(),
                    1
                ),
                ..Default::default()
            }
        );
        // kubectl names the last element, whichever one is missing.
        let out = explain_words("pod.spec.nope.name");
        assert_eq!(out.stderr(), "error: field \"name\" does not exist\n");
        assert_eq!(out.stdout(), "KIND:       Pod\nVERSION:    v1\n\n");
        // A scalar has no fields; `sts.apps` is not `statefulsets.apps`.
        assert_eq!(
            explain_words("sts.spec.replicas.x").stderr(),
            "error: field \"x\" does not exist\n"
        );
        assert_eq!(
            explain_words("sts.apps").stderr(),
            "error: field \"apps\" does not exist\n"
        );
    }

    #[test]
    fn command_errors_match_kubectl() {
        let cases = [
            (
                "",
                "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a \
                 complete list of supported resources.\n",
            ),
            ("x", "error: the server doesn't have a resource type \"x\"\n"),
            ("x.spec", "error: the server doesn't have a resource type \"x\"\n"),
            ("pods svc", "error: We accept only this format: explain RESOURCE\n"),
            (
                "sts --api-version=v1",
                "error: GVR (/v1, Resource=statefulsets) not found in OpenAPI schema\n",
            ),
            (
                "sts --api-version=apps/v2",
                "error: couldn't find resource for \"apps/v2, Resource=statefulsets\"\n",
            ),
            (
                "sts --api-version=a/b/c",
                "error: unexpected GroupVersion string: a/b/c\n",
            ),
            ("sts -o json", "error: unrecognized format: json\n"),
            (
                "pod.spec.containers[0]",
                "error: invalid jsonpath syntax, first node must be field node\n",
            ),
            (
                "sts --replicas",
                "error: unknown flag: --replicas\nSee 'kubectl explain --help' for usage.\n",
            ),
        ];
        for (line, stderr) in cases {
            let out = explain_words(line);
            assert_eq!((out.status, out.stdout().as_str()), (1, ""), "{line}");
            assert_eq!(out.stderr(), stderr, "{line}");
        }
    }

    #[test]
    fn every_kind_is_documented_under_every_name() {
        for &kind in Kind::ALL {
            let i = kind.info();
            let mut names = vec![
                i.plural.to_string(),
                i.singular.to_string(),
                i.kind.to_string(),
            ];
            names.extend(i.short_names.iter().map(|s| s.to_string()));
            for name in names {
                let out = explain_words(&name);
                assert_eq!(out.status, 0, "{name}: {}", out.stderr());
                assert!(
                    out.stdout().contains(&format!("KIND:       {}\n", i.kind)),
                    "{name}"
                );
                assert!(out.stdout().contains("\nFIELDS:\n  "), "{name}");
            }
        }
    }

    #[test]
    fn schema_fields_are_sorted_and_cycle_free_to_walk() {
        fn check(t: &'static Type, seen: &mut Vec<&'static str>) {
            if seen.contains(&t.name) {
                return;
            }
            seen.push(t.name);
            assert!(
                t.fields.windows(2).all(|w| w[0].name < w[1].name),
                "{} fields out of order",
                t.name
            );
            for f in t.fields {
                assert!(
                    f.enums.windows(2).all(|w| w[0] < w[1]),
                    "{}.{}",
                    t.name,
                    f.name
                );
                if let Some(sub) = f.ty.target() {
                    check(sub, seen);
                }
            }
        }
        let mut seen = Vec::new();
        for (.., root) in schema::KINDS {
            check(root, &mut seen);
        }
        assert!(seen.len() > 200, "{}", seen.len());
    }

    #[test]
    fn wrap_is_go_wordwrap() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        // Runs of spaces stay; a word longer than the line is not broken.
        assert_eq!(wrap("one  two", 20), "one  two");
        assert_eq!(
            wrap("a https://example.com/x", 5),
            "a\nhttps://example.com/x"
        );
        // Existing newlines reset the column.
        assert_eq!(wrap("ab\ncd ef", 5), "ab\ncd ef");
        assert_eq!(indent(2, "a\nb"), "  a\n  b");
    }

    /// A serde deserializer that accepts whatever a model type asks for and records the path of every struct
    /// field on the way, through options, sequences and maps (which `kubectl explain` walks through too).
    struct FieldWalker<'a> {
        path: String,
        found: &'a RefCell<Vec<String>>,
        depth: usize,
    }

    impl<'a> FieldWalker<'a> {
        fn below(&self, name: &str) -> FieldWalker<'a> {
            let path = if self.path.is_empty() {
                name.to_string()
            } else {
                format!("{}.{name}", self.path)
            };
            FieldWalker {
                path,
                found: self.found,
                depth: self.depth + 1,
            }
        }

        fn same(&self) -> FieldWalker<'a> {
            FieldWalker {
                path: self.path.clone(),
                found: self.found,
                depth: self.depth + 1,
            }
        }
    }

    impl<'de> de::Deserializer<'de> for FieldWalker<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            // Free-form JSON and untagged int-or-string both take a string.
            v.visit_str("2024-01-01T00:00:00Z")
        }
        fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_bool(false)
        }
        fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_i64(0)
        }
        fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_i64(0)
        }
        fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_i64(0)
        }
        fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_i64(0)
        }
        fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_u64(0)
        }
        fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_u64(0)
        }
        fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_u64(0)
        }
        fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_u64(0)
        }
        fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_f64(0.0)
        }
        fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_f64(0.0)
        }
        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_some(self)
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            v: V,
        ) -> Result<V::Value, Self::Error> {
            v.visit_newtype_struct(self)
        }
        fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_seq(One(Some(self)))
        }
        fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_map(Entries {
                fields: &["key"],
                next: 0,
                walker: self,
                as_fields: false,
            })
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            v: V,
        ) -> Result<V::Value, Self::Error> {
            assert!(self.depth < 40, "model recursion at {}", self.path);
            v.visit_map(Entries {
                fields,
                next: 0,
                walker: self,
                as_fields: true,
            })
        }

        serde::forward_to_deserialize_any! {
            char str string bytes byte_buf unit unit_struct tuple tuple_struct enum identifier ignored_any
        }
    }

    struct One<'a>(Option<FieldWalker<'a>>);

    impl<'de> SeqAccess<'de> for One<'_> {
        type Error = de::value::Error;

        fn next_element_seed<T: de::DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Self::Error> {
            match self.0.take() {
                Some(w) => {
                    let item = w.same();
                    seed.deserialize(item).map(Some)
                }
                None => Ok(None),
            }
        }
    }

    /// A struct's fields (recorded, each walked below its name) or one map entry (walked in place).
    struct Entries<'a> {
        fields: &'static [&'static str],
        next: usize,
        walker: FieldWalker<'a>,
        as_fields: bool,
    }

    impl<'de> MapAccess<'de> for Entries<'_> {
        type Error = de::value::Error;

        fn next_key_seed<K: de::DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Self::Error> {
            match self.fields.get(self.next) {
                Some(name) => seed.deserialize((*name).into_deserializer()).map(Some),
                None => Ok(None),
            }
        }

        fn next_value_seed<V: de::DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, Self::Error> {
            let name = self.fields[self.next];
            self.next += 1;
            let walker = if self.as_fields {
                let below = self.walker.below(name);
                self.walker.found.borrow_mut().push(below.path.clone());
                below
            } else {
                self.walker.same()
            };
            seed.deserialize(walker)
        }
    }

    /// Every field path the model type accepts, in manifest spelling (`spec.template.spec.containers.name`).
    fn model_paths<T: DeserializeOwned>() -> Vec<String> {
        let found = RefCell::new(Vec::new());
        let walker = FieldWalker {
            path: String::new(),
            found: &found,
            depth: 0,
        };
        if let Err(e) = T::deserialize(walker) {
            panic!("walking {}: {e}", std::any::type_name::<T>());
        }
        found.into_inner()
    }

    /// Whether `path` names a field in `root`, as `kubectl explain KIND.path` would find it.
    fn documented(root: &'static Type, path: &str) -> bool {
        let mut within = Some(root);
        for name in path.split('.') {
            match within.and_then(|t| t.fields.iter().find(|f| f.name == name)) {
                Some(f) => within = f.ty.target(),
                None => return false,
            }
        }
        true
    }

    /// Model fields whose serde name differs from the API's, known and left to the model's owner: the API
    /// spells it `downwardAPI`, the model's camelCase renaming gives `downwardApi` (model/pod.rs `Volume`).
    const KNOWN_MISSPELLED: &[&str] = &[];

    /// The models and the documentation cannot drift apart: every field a model accepts, at any depth, is a
    /// field `kubectl explain` knows. A model field added without its documentation fails here.
    #[test]
    fn every_model_field_is_documented() {
        let mut missing = Vec::new();
        for &kind in Kind::ALL {
            #[allow(unreachable_patterns)]
            let paths = match kind {
                Kind::Namespace => model_paths::<model::Namespace>(),
                Kind::Node => model_paths::<model::Node>(),
                Kind::Pod => model_paths::<model::Pod>(),
                Kind::Service => model_paths::<model::Service>(),
                Kind::ConfigMap => model_paths::<model::ConfigMap>(),
                Kind::Secret => model_paths::<model::Secret>(),
                Kind::ServiceAccount => model_paths::<model::ServiceAccount>(),
                Kind::Event => model_paths::<model::Event>(),
                Kind::Endpoints => model_paths::<model::Endpoints>(),
                Kind::PersistentVolumeClaim => model_paths::<model::PersistentVolumeClaim>(),
                Kind::PersistentVolume => model_paths::<model::PersistentVolume>(),
                Kind::StatefulSet => model_paths::<model::StatefulSet>(),
                Kind::ControllerRevision => model_paths::<model::ControllerRevision>(),
                Kind::Deployment => model_paths::<model::Deployment>(),
                Kind::ReplicaSet => model_paths::<model::ReplicaSet>(),
                Kind::DaemonSet => model_paths::<model::DaemonSet>(),
                Kind::EndpointSlice => model_paths::<model::EndpointSlice>(),
                Kind::StorageClass => model_paths::<model::StorageClass>(),
                other => {
                    missing.push(format!(
                        "{other:?}: add it to this test and to schema::KINDS"
                    ));
                    continue;
                }
            };
            let info = kind.info();
            let (group, version) = group_version(info.api_version);
            let Some((.., root)) = schema::KINDS
                .iter()
                .find(|(g, v, k, _)| (*g, *v, *k) == (group, version, info.kind))
            else {
                missing.push(format!("{}: no schema", info.kind));
                continue;
            };
            assert!(paths.len() > 3, "{}: {paths:?}", info.kind);
            missing.extend(
                paths
                    .iter()
                    .filter(|p| !documented(root, p))
                    .filter(|p| !KNOWN_MISSPELLED.iter().any(|k| p.ends_with(k)))
                    .map(|p| format!("{}.{p}", info.kind)),
            );
        }
        assert!(
            missing.is_empty(),
            "undocumented model fields: {missing:#?}"
        );
    }

    #[test]
    fn field_walker_sees_nested_model_fields() {
        let paths = model_paths::<model::StatefulSet>();
        for p in [
            "spec.updateStrategy.rollingUpdate.maxUnavailable",
            "spec.template.spec.containers.readinessProbe.httpGet.port",
            "spec.volumeClaimTemplates.spec.resources.requests",
            "metadata.ownerReferences.blockOwnerDeletion",
        ] {
            assert!(paths.iter().any(|x| x == p), "{p}");
        }
    }
}
