//! A decoding failure worded as the API server's JSON decoder words it: what was found, the Go struct that
//! holds the field, the field's path by JSON names (without indexes or map keys) and the Go type it wanted:
//! `json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of
//! type int32`.

use super::decode::{Failure, Found, Segment};
use super::go_types::FIELDS;

/// The API server's words for `failure` in an object of `kind` (the Go struct of the whole value), or `None`
/// when it is not a type mismatch this knows how to word (an unknown field, a quantity's own message).
pub(super) fn describe(kind: &str, failure: &Failure) -> Option<String> {
    let found = failure.found.as_ref()?;
    let inner = failure.error.to_string();
    let mismatch = inner.starts_with("invalid type: ")
        || inner.starts_with("invalid value: integer ")
        || inner.starts_with("data did not match any variant of untagged enum IntOrString");
    if !mismatch || *found == Found::Null {
        return None;
    }
    let root = format!("v1.{kind}");
    let (mut ty, mut strukt, mut fields): (&str, &str, Vec<&str>) = (&root, kind, Vec::new());
    for segment in &failure.segments {
        match segment {
            Segment::Index(_) => ty = ty.strip_prefix("[]")?,
            Segment::Key(key) => match ty.strip_prefix("v1.").filter(|s| is_struct(s)) {
                Some(s) => {
                    ty = field_type(s, key)?;
                    strukt = s;
                    fields.push(key);
                }
                // A map's keys are not part of the path.
                None => ty = map_value(ty)?,
            },
        }
    }
    let integer = matches!(
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
            | "intstr.IntOrString"
    );
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
        _ if fields.is_empty() => Some(format!(
            "json: cannot unmarshal {word} into Go value of type {ty}"
        )),
        _ => Some(format!(
            "json: cannot unmarshal {word} into Go struct field {strukt}.{} of type {ty}",
            fields.join(".")
        )),
    }
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
