//! JSON as Go's `encoding/json` writes it. Kubernetes prints JSON in places a learner reads (kustomize's hash
//! input, JSONPath results, the values in API validation errors), and Go's encoder differs from serde_json's:
//! it escapes `<`, `>` and `&`, and writes every number as a float64.

use serde_json::Value;

/// Go's `json.Marshal` of decoded JSON: keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, numbers as
/// float64.
pub fn go_json(v: &Value) -> String {
    let mut out = String::new();
    go_json_into(v, &mut out);
    out
}

/// Go's `json.MarshalIndent(v, "", "    ")`, as kubectl's JSON printer writes objects (no final newline).
pub fn go_json_indent(v: &Value) -> String {
    let mut out = String::new();
    go_json_indent_into(v, 0, &mut out);
    out
}

fn go_json_indent_into(v: &Value, depth: usize, out: &mut String) {
    let pad = |n: usize, out: &mut String| {
        out.push('\n');
        out.extend(std::iter::repeat_n("    ", n));
    };
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                go_json_indent_into(item, depth + 1, out);
            }
            pad(depth, out);
            out.push(']');
        }
        Value::Object(m) if !m.is_empty() => {
            out.push('{');
            for (i, (k, val)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                go_json_string(k, out);
                out.push_str(": ");
                go_json_indent_into(val, depth + 1, out);
            }
            pad(depth, out);
            out.push('}');
        }
        other => go_json_into(other, out),
    }
}

fn go_json_into(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_json_number(n)),
        Value::String(s) => go_json_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_into(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            // serde_json's map is ordered by key bytes, as Go sorts map keys.
            for (i, (k, val)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_string(k, out);
                out.push(':');
                go_json_into(val, out);
            }
            out.push('}');
        }
    }
}

/// A string as Go's `json.Marshal` writes it (HTML-safe escapes included).
pub fn go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A float64 as Go's encoding/json writes it: plain decimals, exponent form below 1e-6 and from 1e21.
fn go_json_number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f == f.trunc() && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let e = format!("{f:e}");
        // Go writes e-07 as e-07 and e+21 as e+21.
        let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        return format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    format!("{f}")
}
