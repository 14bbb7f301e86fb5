//! kubectl's JSONPath templates, the subset learners use: `{.spec.nodeName}`, `{.items[*].metadata.name}`,
//! `{.items[0].status.podIP}`, slices (`{.items[-1:]}`, `{.items[0:4:2]}`), `{.metadata.labels.app}`, quoted keys (`{.metadata.labels['app\.kubernetes\.io/name']}`),
//! recursive descent (`{..image}`), filters (`{.env[?(@.name == "PASSWORD")]}`), literal text and `{"\n"}`, and
//! `{range .items[*]}…{end}`. Maps and lists print as compact JSON, as kubectl prints them.

use serde_json::Value;

/// Evaluates `template` against `root`, as `kubectl get -o jsonpath=…` prints it.
pub fn render(template: &str, root: &Value) -> Result<String, String> {
    let parts = split(template)?;
    let mut out = String::new();
    run(&parts, root, root, &mut out)?;
    Ok(out)
}

/// What each `{…}` of `template` finds in `root`, in order (client-go's `FindResults`, missing keys allowed):
/// the values custom columns print and `--sort-by` compares.
pub fn find(template: &str, root: &Value) -> Result<Vec<Vec<Value>>, String> {
    let mut out = Vec::new();
    for part in split(template)? {
        match part {
            Part::Path(path) => out.push(eval(&path, root, root)?),
            Part::Range(path, _) => out.push(eval(&path, root, root)?),
            Part::Text(_) => {}
        }
    }
    Ok(out)
}

/// `-o jsonpath-as-json=…`: each `{…}`'s values as one JSON array, indented as Go's `json.MarshalIndent` does
/// with four spaces; literal text as written.
pub fn render_as_json(template: &str, root: &Value) -> Result<String, String> {
    let mut out = String::new();
    for part in split(template)? {
        match part {
            Part::Text(t) => out.push_str(&t),
            Part::Path(path) => {
                let values = eval(&path, root, root)?;
                out.push_str(&crate::gojson::go_json_indent(&Value::Array(values)));
            }
            Part::Range(..) => {
                return Err("error: jsonpath-as-json cannot print a range".to_string())
            }
        }
    }
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
        // Go's json.Marshal: sorted keys, `<`, `>` and `&` escaped.
        Value::Object(_) | Value::Array(_) => crate::gojson::go_json(v),
        other => other.to_string(),
    }
}

/// client-go's `evalRecursive`: each value that holds something, followed by the same for what it holds.
fn descendants(vals: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for v in vals {
        let children: Vec<Value> = match v {
            Value::Array(a) => a.clone(),
            Value::Object(o) => o.values().cloned().collect(),
            _ => Vec::new(),
        };
        if !children.is_empty() {
            out.push(v.clone());
            out.extend(descendants(&children));
        }
    }
    out
}

/// A filter's operand: a path from the element (`@.name`) or the root, or a literal.
fn operand(text: &str, root: &Value, item: &Value) -> Result<Vec<Value>, String> {
    let t = text.trim();
    if let Some(s) = t
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| t.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
    {
        return Ok(vec![Value::String(s.to_string())]);
    }
    if t.starts_with('@') || t.starts_with('$') {
        return eval(t, root, item);
    }
    match t {
        "true" => return Ok(vec![Value::Bool(true)]),
        "false" => return Ok(vec![Value::Bool(false)]),
        _ => {}
    }
    if let Ok(n) = t.parse::<i64>() {
        return Ok(vec![Value::from(n)]);
    }
    if let Ok(f) = t.parse::<f64>() {
        return Ok(vec![Value::from(f)]);
    }
    Err(format!("unrecognized identifier {t}"))
}

/// Splits `left OP right` at its comparison operator (outside quotes); `None` for an existence test.
fn split_comparison(expr: &str) -> Option<(&str, &'static str, &str)> {
    let mut quote = None;
    let b = expr.as_bytes();
    for i in 0..b.len() {
        let c = b[i] as char;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {
                for op in ["==", "!=", "<=", ">=", "<", ">"] {
                    // Bytes: `i` may be inside a character of more than one byte; an operator is ASCII, so
                    // where it matches both slices below fall on character boundaries.
                    if b[i..].starts_with(op.as_bytes()) {
                        return Some((&expr[..i], op, &expr[i + op.len()..]));
                    }
                }
            }
        }
    }
    None
}

/// text/template's comparison rules, as client-go's filters use them.
fn compare(left: &Value, op: &str, right: &Value) -> Result<bool, String> {
    use std::cmp::Ordering;
    let ord = match (left, right) {
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Number(a), Value::Number(b)) => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Value::Bool(a), Value::Bool(b)) if op == "==" || op == "!=" => a.cmp(b),
        _ => return Err("incompatible types for comparison".to_string()),
    };
    Ok(match op {
        "==" => ord == Ordering::Equal,
        "!=" => ord != Ordering::Equal,
        "<" => ord == Ordering::Less,
        ">" => ord == Ordering::Greater,
        "<=" => ord != Ordering::Greater,
        _ => ord != Ordering::Less,
    })
}

/// `[?(…)]`: the elements of each list for which the expression holds.
fn filter(vals: &[Value], expr: &str, root: &Value, path: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for v in vals {
        let Value::Array(items) = v else {
            return Err(format!(
                "error: error executing jsonpath \"{path}\": {} is not array or slice and cannot be filtered",
                scalar(v)
            ));
        };
        for item in items {
            match split_comparison(expr) {
                None => {
                    if !operand(expr, root, item)?.is_empty() {
                        out.push(item.clone());
                    }
                }
                Some((l, op, r)) => {
                    let lefts = operand(l, root, item)?;
                    let rights = operand(r, root, item)?;
                    if lefts.len() > 1 || rights.len() > 1 {
                        return Err(format!("error: error executing jsonpath \"{path}\": can only compare one element at a time"));
                    }
                    let (Some(left), Some(right)) = (lefts.first(), rights.first()) else {
                        continue;
                    };
                    if compare(left, op, right)
                        .map_err(|e| format!("error: error executing jsonpath \"{path}\": {e}"))?
                    {
                        out.push(item.clone());
                    }
                }
            }
        }
    }
    Ok(out)
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
                // `..`: recursive descent, then the field (or bracket) that follows.
                if chars.peek() == Some(&'.') {
                    chars.next();
                    vals = descendants(&vals);
                }
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
                let (mut quote, mut depth) = (None, 0);
                for n in chars.by_ref() {
                    match quote {
                        Some(q) if n == q => quote = None,
                        Some(_) => {}
                        None if n == '"' || n == '\'' => quote = Some(n),
                        None if n == '(' => depth += 1,
                        None if n == ')' => depth -= 1,
                        None if n == ']' && depth == 0 => break,
                        None => {}
                    }
                    inner.push(n);
                }
                let inner = inner.trim();
                if let Some(expr) = inner.strip_prefix("?(").and_then(|e| e.strip_suffix(')')) {
                    vals = filter(&vals, expr, root, path)?;
                } else if inner == "*" {
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
                } else if let Some(slice) = Slice::parse(inner) {
                    let mut out = Vec::new();
                    for v in &vals {
                        if let Value::Array(a) = v {
                            out.extend(slice.take(a).map_err(|e| {
                                format!("error: error executing jsonpath \"{path}\": {e}")
                            })?);
                        }
                    }
                    vals = out;
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

/// An index or slice, `[i]`, `[start:end]` or `[start:end:step]`, as client-go's parser reads it
/// (`^(-?\d*)(:-?\d*)?(:-?\d*)?$`): a plain index `[i]` is the slice `[i:i+1]`.
struct Slice {
    start: Option<i64>,
    end: Option<i64>,
    /// No `:` at all: the end is the index plus one (`[-1]` then ends at the length).
    derived: bool,
    step: Option<i64>,
}

impl Slice {
    fn parse(inner: &str) -> Option<Slice> {
        let parts: Vec<&str> = inner.split(':').collect();
        if parts.len() > 3 {
            return None;
        }
        let mut nums = Vec::new();
        for p in &parts {
            if p.is_empty() {
                nums.push(None);
            } else {
                let digits = p.strip_prefix('-').unwrap_or(p);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                nums.push(Some(p.parse::<i64>().ok()?));
            }
        }
        let start = nums[0];
        let derived = parts.len() == 1;
        let end = if derived {
            Some(start.unwrap_or(0) + 1)
        } else {
            nums[1]
        };
        Some(Slice {
            start,
            end,
            derived,
            step: nums.get(2).copied().flatten(),
        })
    }

    /// The elements of `a` the slice selects, with Go's slice bounds and client-go's errors (evalArray): negative
    /// start and end count from the length; a slice out of the list's bounds is an error, an empty one is not.
    fn take(&self, a: &[Value]) -> Result<Vec<Value>, String> {
        let len = a.len() as i64;
        let mut start = self.start.unwrap_or(0);
        if start < 0 {
            start += len;
        }
        let mut end = self.end.unwrap_or(len);
        if end < 0 || (end == 0 && self.derived) {
            end += len;
        }
        if start == end {
            return Ok(Vec::new());
        }
        if start >= len || start < 0 {
            return Err(format!(
                "array index out of bounds: index {start}, length {len}"
            ));
        }
        if end > len || end < 0 {
            return Err(format!(
                "array index out of bounds: index {}, length {len}",
                end - 1
            ));
        }
        if start > end {
            return Err(format!(
                "starting index {start} is greater than ending index {end}"
            ));
        }
        let step = match self.step {
            Some(s) if s <= 0 => return Err("step must be > 0".to_string()),
            Some(s) => s as usize,
            None => 1,
        };
        Ok(a[start as usize..end as usize]
            .iter()
            .step_by(step)
            .cloned()
            .collect())
    }
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

    /// Indices and slices as client-go takes them (Go slices): negative start and end count from the length,
    /// a third number is the step, and out of the list's bounds is an error rather than nothing.
    #[test]
    fn slices_with_negative_indices_and_steps() {
        let list = json!({"items": [
            {"metadata": {"name": "web-0"}}, {"metadata": {"name": "web-1"}},
            {"metadata": {"name": "web-2"}}, {"metadata": {"name": "web-3"}}]});
        let names = |t: &str| render(t, &list);
        assert_eq!(names("{.items[-1:].metadata.name}").unwrap(), "web-3");
        assert_eq!(names("{.items[-1].metadata.name}").unwrap(), "web-3");
        assert_eq!(names("{.items[-2].metadata.name}").unwrap(), "web-2");
        assert_eq!(names("{.items[:2].metadata.name}").unwrap(), "web-0 web-1");
        assert_eq!(
            names("{.items[0:4:2].metadata.name}").unwrap(),
            "web-0 web-2"
        );
        assert_eq!(
            names("{.items[1:-1].metadata.name}").unwrap(),
            "web-1 web-2"
        );
        assert_eq!(names("{.items[::3].metadata.name}").unwrap(), "web-0 web-3");
        assert_eq!(names("{.items[-2:].metadata.name}").unwrap(), "web-2 web-3");
        assert_eq!(names("{.items[2:2].metadata.name}").unwrap(), "");
        assert_eq!(
            names("{range .items[-2:]}{.metadata.name}{\"\\n\"}{end}").unwrap(),
            "web-2\nweb-3\n"
        );
        assert_eq!(
            names("{.items[4].metadata.name}").unwrap_err(),
            "error: error executing jsonpath \".items[4].metadata.name\": array index out of bounds: index 4, length 4"
        );
        assert!(names("{.items[0:5]}")
            .unwrap_err()
            .ends_with("array index out of bounds: index 4, length 4"));
        assert!(names("{.items[-5:]}")
            .unwrap_err()
            .ends_with("array index out of bounds: index -1, length 4"));
        assert!(names("{.items[3:1]}")
            .unwrap_err()
            .ends_with("starting index 3 is greater than ending index 1"));
        assert!(names("{.items[0:4:0]}")
            .unwrap_err()
            .ends_with("step must be > 0"));
        // No pods: the last of none is out of bounds, as kubectl says.
        assert!(render("{.items[-1:].metadata.name}", &json!({"items": []}))
            .unwrap_err()
            .ends_with("array index out of bounds: index -1, length 0"));
    }

    /// The comparison in a filter is found byte by byte: text of several-byte characters before it (a label
    /// value in Japanese) must not cut a character in two.
    #[test]
    fn a_filter_compares_text_beyond_ascii() {
        let list = json!({"items": [
            {"metadata": {"name": "web-0", "labels": {"役割": "ウェブ"}}},
            {"metadata": {"name": "db-0", "labels": {"役割": "データベース"}}}]});
        assert_eq!(
            render(
                "{.items[?(@.metadata.labels.役割==\"ウェブ\")].metadata.name}",
                &list
            )
            .unwrap(),
            "web-0"
        );
        assert!(render("{.items[?(@.metadata.名前)]}", &list).is_ok());
    }

    #[test]
    fn recursive_descent_and_filters_as_in_the_wordpress_lesson() {
        let deploy = json!({"spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "wordpress", "env": [
            {"name": "WORDPRESS_DB_HOST", "value": "wordpress-mysql"},
            {"name": "WORDPRESS_DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "mysql-pass-c57bb4t7mf", "key": "password"}}}
        ]}]}}}});
        assert_eq!(
            render(
                r#"{..spec.containers[0].env[?(@.name == "WORDPRESS_DB_PASSWORD")]}"#,
                &deploy
            )
            .unwrap(),
            r#"{"name":"WORDPRESS_DB_PASSWORD","valueFrom":{"secretKeyRef":{"key":"password","name":"mysql-pass-c57bb4t7mf"}}}"#
        );
        assert_eq!(
            render("{.spec.template.spec.containers[0].env[?(@.name != 'WORDPRESS_DB_PASSWORD')].value}", &deploy).unwrap(),
            "wordpress-mysql"
        );
        assert_eq!(
            render("{..name}", &deploy).unwrap(),
            "wordpress WORDPRESS_DB_HOST WORDPRESS_DB_PASSWORD mysql-pass-c57bb4t7mf"
        );
        // An existence test, and a filter on something that is not a list.
        assert_eq!(
            render(
                "{.spec.template.spec.containers[0].env[?(@.valueFrom)].name}",
                &deploy
            )
            .unwrap(),
            "WORDPRESS_DB_PASSWORD"
        );
        assert!(render("{.spec[?(@.x == 1)]}", &deploy)
            .unwrap_err()
            .ends_with("is not array or slice and cannot be filtered"));
        let list = json!({"items": [{"spec": {"replicas": 1}}, {"spec": {"replicas": 3}}]});
        assert_eq!(
            render("{.items[?(@.spec.replicas > 2)].spec.replicas}", &list).unwrap(),
            "3"
        );
    }
}
