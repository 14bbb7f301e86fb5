//! kubectl's JSONPath templates, the subset learners use: `{.spec.nodeName}`, `{.items[*].metadata.name}`,
//! `{.items[0].status.podIP}`, `{.metadata.labels.app}`, quoted keys (`{.metadata.labels['app\.kubernetes\.io/name']}`),
//! literal text and `{"\n"}`, and `{range .items[*]}…{end}`.

use serde_json::Value;

/// Evaluates `template` against `root`, as `kubectl get -o jsonpath=…` prints it.
pub fn render(template: &str, root: &Value) -> Result<String, String> {
    let parts = split(template)?;
    let mut out = String::new();
    run(&parts, root, root, &mut out)?;
    Ok(out)
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Path(String),
    Range(String, Vec<Part>),
}

fn split(t: &str) -> Result<Vec<Part>, String> {
    let mut stack: Vec<(String, Vec<Part>)> = vec![(String::new(), Vec::new())];
    let mut rest = t;
    while !rest.is_empty() {
        match rest.find('{') {
            None => {
                push(&mut stack, Part::Text(rest.to_string()));
                break;
            }
            Some(i) => {
                if i > 0 {
                    push(&mut stack, Part::Text(rest[..i].to_string()));
                }
                let Some(end) = rest[i..].find('}') else {
                    return Err(format!(
                        "error: error parsing jsonpath {t}, unclosed action"
                    ));
                };
                let inner = rest[i + 1..i + end].trim();
                rest = &rest[i + end + 1..];
                if let Some(path) = inner.strip_prefix("range ") {
                    stack.push((path.trim().to_string(), Vec::new()));
                } else if inner == "end" {
                    let Some((path, body)) = stack.pop().filter(|_| !stack.is_empty()) else {
                        return Err(format!(
                            "error: error parsing jsonpath {t}, not in range, nothing to end"
                        ));
                    };
                    push(&mut stack, Part::Range(path, body));
                } else if let Some(lit) = inner.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
                {
                    push(
                        &mut stack,
                        Part::Text(lit.replace("\\n", "\n").replace("\\t", "\t")),
                    );
                } else {
                    push(&mut stack, Part::Path(inner.to_string()));
                }
            }
        }
    }
    if stack.len() != 1 {
        return Err(format!("error: error parsing jsonpath {t}, unclosed range"));
    }
    Ok(stack.pop().map(|(_, p)| p).unwrap_or_default())
}

fn push(stack: &mut [(String, Vec<Part>)], part: Part) {
    if let Some(top) = stack.last_mut() {
        top.1.push(part);
    }
}

fn run(parts: &[Part], root: &Value, current: &Value, out: &mut String) -> Result<(), String> {
    for p in parts {
        match p {
            Part::Text(t) => out.push_str(t),
            Part::Path(path) => {
                let vals = eval(path, root, current)?;
                let texts: Vec<String> = vals.iter().map(scalar).collect();
                out.push_str(&texts.join(" "));
            }
            Part::Range(path, body) => {
                for v in eval(path, root, current)? {
                    run(body, root, &v, out)?;
                }
            }
        }
    }
    Ok(())
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Follows a path (`.a.b[*].c`, `$.a`, `@.a`, `['key']`) from the root or the range element.
fn eval(path: &str, root: &Value, current: &Value) -> Result<Vec<Value>, String> {
    let (mut vals, rest) = if let Some(r) = path.strip_prefix('$') {
        (vec![root.clone()], r)
    } else if let Some(r) = path.strip_prefix('@') {
        (vec![current.clone()], r)
    } else {
        (vec![current.clone()], path)
    };
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                let mut key = String::new();
                while let Some(&n) = chars.peek() {
                    if n == '.' || n == '[' {
                        break;
                    }
                    if n == '\\' {
                        chars.next();
                        if let Some(e) = chars.next() {
                            key.push(e);
                        }
                        continue;
                    }
                    key.push(n);
                    chars.next();
                }
                if key.is_empty() {
                    continue;
                }
                vals = vals.iter().filter_map(|v| v.get(&key).cloned()).collect();
            }
            '[' => {
                let mut inner = String::new();
                for n in chars.by_ref() {
                    if n == ']' {
                        break;
                    }
                    inner.push(n);
                }
                let inner = inner.trim();
                if inner == "*" {
                    vals = vals
                        .iter()
                        .flat_map(|v| match v {
                            Value::Array(a) => a.clone(),
                            Value::Object(o) => o.values().cloned().collect(),
                            _ => Vec::new(),
                        })
                        .collect();
                } else if let Some(key) = inner
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                {
                    let key = key.replace("\\.", ".");
                    vals = vals.iter().filter_map(|v| v.get(&key).cloned()).collect();
                } else if let Ok(i) = inner.parse::<i64>() {
                    vals = vals
                        .iter()
                        .filter_map(|v| {
                            let a = v.as_array()?;
                            let idx = if i < 0 { a.len() as i64 + i } else { i };
                            a.get(usize::try_from(idx).ok()?).cloned()
                        })
                        .collect();
                } else {
                    return Err(format!("error: error executing jsonpath \"{path}\": unsupported expression [{inner}]"));
                }
            }
            ' ' => {}
            other => {
                return Err(format!(
                    "error: error parsing jsonpath {path}, unrecognized character '{other}'"
                ))
            }
        }
    }
    Ok(vals)
}

#[cfg(test)]
mod tests {
    use super::render;
    use serde_json::json;

    #[test]
    fn paths_lists_and_ranges() {
        let pod = json!({"spec": {"nodeName": "kind-worker"}, "metadata": {"labels": {"app.kubernetes.io/name": "x"}}});
        assert_eq!(render("{.spec.nodeName}", &pod).unwrap(), "kind-worker");
        assert_eq!(
            render("{.metadata.labels['app\\.kubernetes\\.io/name']}", &pod).unwrap(),
            "x"
        );
        let list =
            json!({"items": [{"metadata": {"name": "web-0"}}, {"metadata": {"name": "web-1"}}]});
        assert_eq!(
            render("{.items[*].metadata.name}", &list).unwrap(),
            "web-0 web-1"
        );
        assert_eq!(render("{.items[0].metadata.name}", &list).unwrap(), "web-0");
        assert_eq!(
            render("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &list).unwrap(),
            "web-0\nweb-1\n"
        );
        assert!(render("{.items", &list).is_err());
    }
}
