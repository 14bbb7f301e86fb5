//! A decoding failure worded as the API server's JSON decoder words it: what was found, the Go struct that
//! holds the field, the field's path by JSON names (without indexes or map keys) and the Go type it wanted:
//! `json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of
//! type int32`.

use super::decode::{Failure, Found, Segment};
use super::go_types::FIELDS;

/// The API server's words for `failure` in an object of `kind` (the Go struct of the whole value), or `None`
/// when it is not a type mismatch this knows how to word (an unknown field, a quantity's own message).
pub(super) fn describe(kind: &str, failure: &Failure) -> Option<String> {
    let (found, target) = mismatch(kind, failure)?;
    let Target { strukt, fields, ty } = target;
    let integer = is_integer(ty) || ty == "intstr.IntOrString";
    let word = match found {
        Found::Bool => "bool".to_string(),
        Found::String => "string".to_string(),
        Found::Array => "array".to_string(),
        Found::Object => "object".to_string(),
        // Into an integer the number itself is named (a fraction, or too large for the type).
        Found::Number(n) if integer => format!("number {n}"),
        Found::Number(_) => "number".to_string(),
        Found::Null => return None,
    };
    match ty {
        // Types that decode themselves: an int-or-string reads a non-string as an int32, a time as a string.
        "intstr.IntOrString" => Some(format!(
            "json: cannot unmarshal {word} into Go value of type int32"
        )),
        "v1.Time" if *found != Found::String => Some(format!(
            "json: cannot unmarshal {word} into Go value of type string"
        )),
        "v1.Time" | "resource.Quantity" => None,
        "" => Some(format!(
            "json: cannot unmarshal {word} into Go value of type v1.{kind}"
        )),
        _ if fields.is_empty() => Some(format!(
            "json: cannot unmarshal {word} into Go value of type {ty}"
        )),
        _ => Some(format!(
            "json: cannot unmarshal {word} into Go struct field {strukt}.{} of type {ty}",
            fields.join(".")
        )),
    }
}

/// The same failure worded as the API server words it for a strategic merge patch, whose result is not decoded
/// from JSON but converted from the patched map (apimachinery runtime/converter.go `fromUnstructured`): by the
/// Go kinds of the value and of the field, without a path (`unrecognized type: int32`, `cannot convert int64 to
/// string`, `cannot restore struct from: string`).
pub(super) fn describe_converted(kind: &str, failure: &Failure) -> Option<String> {
    let (found, target) = mismatch(kind, failure)?;
    let ty = target.ty;
    // What the patched map holds: JSON numbers are int64 when whole, float64 otherwise.
    let source = match found {
        Found::Bool => "bool",
        Found::String => "string",
        Found::Array => "slice",
        Found::Object => "map",
        Found::Number(n) if n.is_f64() => "float64",
        Found::Number(_) => "int64",
        Found::Null => return None,
    };
    match ty {
        // Types with their own JSON decoding get the value as JSON.
        "intstr.IntOrString" | "v1.Time" | "resource.Quantity" => describe(kind, failure),
        _ if is_integer(ty) => Some(match source {
            "float64" => format!("cannot convert float64 to {ty}"),
            _ => format!("unrecognized type: {ty}"),
        }),
        "bool" => Some("unrecognized type: bool".to_string()),
        _ if ty.starts_with("[]") => Some(format!("cannot restore slice from {source}")),
        _ if ty.starts_with("map[") || ty == "v1.ResourceList" => {
            Some(format!("cannot restore map from {source}"))
        }
        "" => Some(format!("cannot restore struct from: {source}")),
        _ if ty.strip_prefix("v1.").is_some_and(is_struct) => {
            Some(format!("cannot restore struct from: {source}"))
        }
        // A string, or a type whose kind is string (`v1.PullPolicy`): only an integer converts, and to a
        // string it does not.
        _ => Some(match source {
            "int64" => format!("cannot convert int64 to {ty}"),
            _ => "unrecognized type: string".to_string(),
        }),
    }
}

/// Where a type mismatch happened: the Go struct holding the field, the fields' JSON names from the top, and
/// the Go type wanted there.
struct Target<'a> {
    strukt: &'a str,
    fields: Vec<&'a str>,
    ty: &'a str,
}

/// The value found and where, when `failure` is a value of the wrong type at a field the table knows.
fn mismatch<'a>(kind: &'a str, failure: &'a Failure) -> Option<(&'a Found, Target<'a>)> {
    let found = failure.found.as_ref()?;
    let inner = failure.error.to_string();
    let mismatch = inner.starts_with("invalid type: ")
        || inner.starts_with("invalid value: integer ")
        || inner.starts_with("data did not match any variant of untagged enum IntOrString");
    if !mismatch || *found == Found::Null {
        return None;
    }
    let mut target = Target {
        strukt: kind,
        fields: Vec::new(),
        ty: "",
    };
    let mut ty: Option<&str> = None;
    for segment in &failure.segments {
        let here = ty.unwrap_or("");
        match segment {
            Segment::Index(_) => ty = Some(here.strip_prefix("[]")?),
            Segment::Key(key) => {
                let strukt = match ty {
                    None => Some(kind),
                    Some(t) => t.strip_prefix("v1.").filter(|s| is_struct(s)),
                };
                match strukt {
                    Some(s) => {
                        ty = Some(field_type(s, key)?);
                        target.strukt = s;
                        target.fields.push(key);
                    }
                    // A map's keys are not part of the path.
                    None => ty = Some(map_value(here)?),
                }
            }
        }
    }
    // The whole object of the wrong type has no field; its type (left empty here) is the kind's own.
    target.ty = ty.unwrap_or("");
    Some((found, target))
}

fn is_integer(ty: &str) -> bool {
    matches!(
        ty,
        "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
    )
}

/// Whether the table holds fields of this struct.
fn is_struct(name: &str) -> bool {
    let i = FIELDS.partition_point(|(s, _, _)| *s < name);
    FIELDS.get(i).is_some_and(|(s, _, _)| *s == name)
}

fn field_type(strukt: &str, field: &str) -> Option<&'static str> {
    let i = FIELDS
        .binary_search_by(|(s, f, _)| (*s, *f).cmp(&(strukt, field)))
        .ok()?;
    FIELDS.get(i).map(|(_, _, ty)| *ty)
}

/// The value type of a map type.
fn map_value(ty: &str) -> Option<&str> {
    match ty {
        "v1.ResourceList" => Some("resource.Quantity"),
        _ => ty.strip_prefix("map[")?.split_once(']').map(|(_, v)| v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `fmt.Sprintf("%+v", patchMap)` prints for a patch decoded into `interface{}` with ints kept.
    #[test]
    fn a_patch_prints_as_go_prints_the_map() {
        let patch = serde_json::json!({
            "spec": { "replicas": 3, "b": [1.5, true, null, "x y"], "a": {} },
            "big": 1e21, "small": 0.00001, "half": 0.5, "neg": -2
        });
        assert_eq!(
            crate::model::go_value(&patch),
            "map[big:1e+21 half:0.5 neg:-2 small:1e-05 spec:map[a:map[] b:[1.5 true <nil> x y] replicas:3]]"
        );
    }

    #[test]
    fn the_table_is_sorted_by_struct_and_field_with_each_field_once() {
        for pair in FIELDS.windows(2) {
            if let [a, b] = pair {
                assert!((a.0, a.1) < (b.0, b.1), "{a:?} before {b:?}");
            }
        }
        // Every kind is there as its own struct, with its metadata.
        for kind in crate::model::Kind::ALL {
            let name = kind.info().kind;
            assert_eq!(
                field_type(name, "metadata"),
                Some("v1.ObjectMeta"),
                "{name}"
            );
        }
    }
}
