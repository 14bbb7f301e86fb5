//! `kubectl get -o go-template=…` / `--template …`: the part of Go's text/template that kubectl users write —
//! field chains (`.spec.containers`), variables (`$c.image`), `range` (with `$i, $c :=` and `else`), `if` /
//! `else if` / `with`, string and number literals, trim markers (`{{-`, `-}}`), and the functions `index`,
//! `len`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `not`, `and`, `or`, `print`, `println`, `printf` (%s %d %v %q),
//! `base64decode` and `base64encode`. Values print as Go prints unstructured JSON (`map[a:1]`, `[a b]`,
//! `<no value>` for a missing field).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Action(Vec<Vec<Tok>>),
    Range {
        vars: Vec<String>,
        pipe: Vec<Vec<Tok>>,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    If {
        with: bool,
        pipe: Vec<Vec<Tok>>,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// `.a.b` (empty for `.`).
    Field(Vec<String>),
    /// `$x.a.b` (`$` alone is the root).
    Var(String, Vec<String>),
    Str(String),
    Num(f64),
    Bool(bool),
    Ident(String),
    /// `( … )`
    Group(Vec<Vec<Tok>>),
}

/// Renders `template` against `root`.
pub fn render(template: &str, root: &Value) -> Result<String, String> {
    let pieces = lex(template)?;
    let mut pos = 0;
    let (nodes, stop) = parse_nodes(&pieces, &mut pos)?;
    if let Some(s) = stop {
        return Err(format!(
            "error: error parsing template {template}, template: output:1: unexpected {{{{{s}}}}}"
        ));
    }
    let mut out = String::new();
    let mut scope = Scope {
        vars: vec![("$".to_string(), root.clone())],
    };
    exec(&nodes, root, &mut scope, &mut out).map_err(|e| {
        format!("error: error executing template \"{template}\": template: output:1: {e}")
    })?;
    Ok(out)
}

/// A piece of the template: text or the inside of an action.
enum Piece {
    Text(String),
    Action(String),
}

fn lex(t: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(start) = rest.find("{{") {
        let mut text = rest[..start].to_string();
        let mut inner_start = start + 2;
        if rest[inner_start..].starts_with("- ") {
            text = text.trim_end().to_string();
            inner_start += 2;
        }
        let Some(end_rel) = find_close(&rest[inner_start..]) else {
            return Err(format!(
                "error: error parsing template {t}, template: output:1: unclosed action"
            ));
        };
        let mut inner = &rest[inner_start..inner_start + end_rel];
        let mut after = inner_start + end_rel + 2;
        let mut trim_next = false;
        if inner.ends_with(" -") {
            inner = &inner[..inner.len() - 2];
            trim_next = true;
        }
        if !text.is_empty() {
            out.push(Piece::Text(text));
        }
        if !inner.trim_start().starts_with("/*") {
            out.push(Piece::Action(inner.trim().to_string()));
        }
        if trim_next {
            let skipped = rest[after..].len() - rest[after..].trim_start().len();
            after += skipped;
        }
        rest = &rest[after..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

/// The `}}` that closes an action, skipping string literals.
fn find_close(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == b'\\' && q == b'"' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'`' => quote = Some(b),
            // Bytes, not a slice of the text: `i` may be inside a character of more than one byte.
            None if bytes[i..].starts_with(b"}}") => return Some(i),
            None => {}
        }
        i += 1;
    }
    None
}

/// Parses nodes until `end`/`else`; returns them and the keyword that stopped parsing.
fn parse_nodes(pieces: &[Piece], pos: &mut usize) -> Result<(Vec<Node>, Option<String>), String> {
    let mut nodes = Vec::new();
    while *pos < pieces.len() {
        let piece = &pieces[*pos];
        *pos += 1;
        let action = match piece {
            Piece::Text(t) => {
                nodes.push(Node::Text(t.clone()));
                continue;
            }
            Piece::Action(a) => a.as_str(),
        };
        let (word, rest) = action
            .split_once(char::is_whitespace)
            .map_or((action, ""), |(w, r)| (w, r.trim()));
        match word {
            "end" => return Ok((nodes, Some("end".into()))),
            "else" => return Ok((nodes, Some(format!("else {rest}").trim().to_string()))),
            "range" => {
                let (vars, pipe_text) = split_decl(rest);
                let pipe = parse_pipe(pipe_text)?;
                let (body, stop) = parse_nodes(pieces, pos)?;
                let otherwise = match stop.as_deref() {
                    Some("else") => expect_end(pieces, pos)?,
                    Some("end") => Vec::new(),
                    _ => return Err("unexpected EOF".into()),
                };
                nodes.push(Node::Range {
                    vars,
                    pipe,
                    body,
                    otherwise,
                });
            }
            "if" | "with" => nodes.push(parse_if(pieces, pos, rest, word == "with")?),
            _ => nodes.push(Node::Action(parse_pipe(action)?)),
        }
    }
    Ok((nodes, None))
}

fn expect_end(pieces: &[Piece], pos: &mut usize) -> Result<Vec<Node>, String> {
    let (nodes, stop) = parse_nodes(pieces, pos)?;
    match stop.as_deref() {
        Some("end") => Ok(nodes),
        _ => Err("unexpected EOF".into()),
    }
}

fn parse_if(pieces: &[Piece], pos: &mut usize, cond: &str, with: bool) -> Result<Node, String> {
    let pipe = parse_pipe(cond)?;
    let (body, stop) = parse_nodes(pieces, pos)?;
    let otherwise = match stop.as_deref() {
        Some("end") => Vec::new(),
        Some("else") => expect_end(pieces, pos)?,
        Some(s) if s.starts_with("else if ") => {
            vec![parse_if(pieces, pos, &s["else if ".len()..], false)?]
        }
        _ => return Err("unexpected EOF".into()),
    };
    Ok(Node::If {
        with,
        pipe,
        body,
        otherwise,
    })
}

/// `$i, $c := PIPE` into the variable names and the pipeline text.
fn split_decl(s: &str) -> (Vec<String>, &str) {
    match s.split_once(":=") {
        Some((vars, pipe)) if vars.trim_start().starts_with('$') => (
            vars.split(',').map(|v| v.trim().to_string()).collect(),
            pipe.trim(),
        ),
        _ => (Vec::new(), s),
    }
}

/// A pipeline: commands separated by `|`, each a list of tokens.
fn parse_pipe(s: &str) -> Result<Vec<Vec<Tok>>, String> {
    let toks = tokenize(s)?;
    let mut cmds = vec![Vec::new()];
    for t in toks {
        match t {
            None => cmds.push(Vec::new()),
            Some(t) => {
                if let Some(last) = cmds.last_mut() {
                    last.push(t);
                }
            }
        }
    }
    if cmds.iter().any(Vec::is_empty) {
        return Err(format!("missing value for command in \"{s}\""));
    }
    Ok(cmds)
}

/// Tokens of a pipeline; `None` marks a `|`.
fn tokenize(s: &str) -> Result<Vec<Option<Tok>>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '|' {
            out.push(None);
            i += 1;
            continue;
        }
        if c == '(' {
            let mut depth = 0;
            let start = i + 1;
            while i < chars.len() {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let inner: String = chars[start..i.min(chars.len())].iter().collect();
            out.push(Some(Tok::Group(parse_pipe(&inner)?)));
            i += 1;
            continue;
        }
        if c == '"' {
            let mut lit = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                    lit.push(match chars[i] {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                } else {
                    lit.push(chars[i]);
                }
                i += 1;
            }
            i += 1;
            out.push(Some(Tok::Str(lit)));
            continue;
        }
        if c == '`' {
            let start = i + 1;
            i = start;
            while i < chars.len() && chars[i] != '`' {
                i += 1;
            }
            out.push(Some(Tok::Str(
                chars[start..i.min(chars.len())].iter().collect(),
            )));
            i += 1;
            continue;
        }
        if c == ')' {
            // A right paren with no left one open (text/template's lexer words it so).
            return Err("unexpected right paren".to_string());
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '|' | '(' | ')') {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        out.push(Some(word_token(&word)?));
    }
    Ok(out)
}

fn word_token(w: &str) -> Result<Tok, String> {
    let path = |s: &str| -> Vec<String> {
        s.split('.')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(if let Some(rest) = w.strip_prefix('.') {
        Tok::Field(path(rest))
    } else if w.starts_with('$') {
        let (var, rest) = w.split_once('.').unwrap_or((w, ""));
        Tok::Var(var.to_string(), path(rest))
    } else if w == "true" || w == "false" {
        Tok::Bool(w == "true")
    } else if let Ok(n) = w.parse::<f64>() {
        Tok::Num(n)
    } else if w.chars().all(|c| c.is_alphanumeric() || c == '_') {
        Tok::Ident(w.to_string())
    } else {
        return Err(format!("unexpected \"{w}\" in command"));
    })
}

struct Scope {
    vars: Vec<(String, Value)>,
}

impl Scope {
    fn get(&self, name: &str) -> Result<Value, String> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("undefined variable \"{name}\""))
    }
}

fn exec(nodes: &[Node], dot: &Value, scope: &mut Scope, out: &mut String) -> Result<(), String> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Action(pipe) => {
                let v = eval_pipe(pipe, dot, scope)?;
                out.push_str(&print(&v));
            }
            Node::If {
                with,
                pipe,
                body,
                otherwise,
            } => {
                let v = eval_pipe(pipe, dot, scope)?;
                if truthy(&v) {
                    let inner = if *with { v } else { dot.clone() };
                    exec(body, &inner, scope, out)?;
                } else {
                    exec(otherwise, dot, scope, out)?;
                }
            }
            Node::Range {
                vars,
                pipe,
                body,
                otherwise,
            } => {
                let v = eval_pipe(pipe, dot, scope)?;
                let items: Vec<(Value, Value)> = match &v {
                    Value::Array(a) => a
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (Value::from(i), x.clone()))
                        .collect(),
                    Value::Object(m) => m
                        .iter()
                        .map(|(k, x)| (Value::String(k.clone()), x.clone()))
                        .collect(),
                    Value::Null => Vec::new(),
                    other => return Err(format!("range can't iterate over {}", print(other))),
                };
                if items.is_empty() {
                    exec(otherwise, dot, scope, out)?;
                }
                for (k, x) in items {
                    let mark = scope.vars.len();
                    match vars.as_slice() {
                        [one] => scope.vars.push((one.clone(), x.clone())),
                        [a, b, ..] => {
                            scope.vars.push((a.clone(), k));
                            scope.vars.push((b.clone(), x.clone()));
                        }
                        [] => {}
                    }
                    exec(body, &x, scope, out)?;
                    scope.vars.truncate(mark);
                }
            }
        }
    }
    Ok(())
}

fn field(mut v: Value, path: &[String]) -> Value {
    for p in path {
        v = match v {
            Value::Object(mut m) => m.remove(p).unwrap_or(Value::Null),
            _ => Value::Null,
        };
    }
    v
}

fn eval_pipe(pipe: &[Vec<Tok>], dot: &Value, scope: &Scope) -> Result<Value, String> {
    let mut last: Option<Value> = None;
    for cmd in pipe {
        last = Some(eval_cmd(cmd, dot, scope, last)?);
    }
    Ok(last.unwrap_or(Value::Null))
}

fn eval_arg(t: &Tok, dot: &Value, scope: &Scope) -> Result<Value, String> {
    Ok(match t {
        Tok::Field(p) => field(dot.clone(), p),
        Tok::Var(name, p) => field(scope.get(name)?, p),
        Tok::Str(s) => Value::String(s.clone()),
        Tok::Num(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Tok::Bool(b) => Value::Bool(*b),
        Tok::Group(p) => eval_pipe(p, dot, scope)?,
        Tok::Ident(f) => call(f, Vec::new())?,
    })
}

fn eval_cmd(
    cmd: &[Tok],
    dot: &Value,
    scope: &Scope,
    piped: Option<Value>,
) -> Result<Value, String> {
    match cmd.first() {
        Some(Tok::Ident(f)) => {
            let mut args = cmd[1..]
                .iter()
                .map(|t| eval_arg(t, dot, scope))
                .collect::<Result<Vec<_>, _>>()?;
            args.extend(piped);
            call(f, args)
        }
        Some(t) if cmd.len() == 1 => eval_arg(t, dot, scope),
        Some(_) => Err("can't give argument to non-function".into()),
        None => Ok(Value::Null),
    }
}

fn call(f: &str, args: Vec<Value>) -> Result<Value, String> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    let cmp = |f: &dyn Fn(std::cmp::Ordering) -> bool| -> Result<Value, String> {
        let (a, b) = (arg(0), arg(1));
        let ord = match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => Some(print(&a).cmp(&print(&b))),
        };
        Ok(Value::Bool(ord.is_some_and(f)))
    };
    Ok(match f {
        "index" => {
            let mut v = arg(0);
            for k in args.iter().skip(1) {
                v = match (&v, k) {
                    (Value::Object(m), Value::String(s)) => {
                        m.get(s).cloned().unwrap_or(Value::Null)
                    }
                    (Value::Array(a), n) => n
                        .as_f64()
                        .and_then(|i| a.get(i as usize).cloned())
                        .ok_or_else(|| {
                            format!("error calling index: index out of range: {}", print(n))
                        })?,
                    _ => Value::Null,
                };
            }
            v
        }
        "len" => Value::from(match arg(0) {
            Value::Array(a) => a.len(),
            Value::Object(m) => m.len(),
            Value::String(s) => s.len(),
            other => {
                return Err(format!(
                    "error calling len: len of type {}",
                    type_name(&other)
                ))
            }
        }),
        "eq" => Value::Bool(args.iter().skip(1).any(|b| loose_eq(&arg(0), b))),
        "ne" => Value::Bool(!loose_eq(&arg(0), &arg(1))),
        "lt" => cmp(&|o| o.is_lt())?,
        "le" => cmp(&|o| o.is_le())?,
        "gt" => cmp(&|o| o.is_gt())?,
        "ge" => cmp(&|o| o.is_ge())?,
        "not" => Value::Bool(!truthy(&arg(0))),
        "and" => args
            .iter()
            .find(|v| !truthy(v))
            .or(args.last())
            .cloned()
            .unwrap_or(Value::Null),
        "or" => args
            .iter()
            .find(|v| truthy(v))
            .or(args.last())
            .cloned()
            .unwrap_or(Value::Null),
        "print" => Value::String(args.iter().map(print).collect()),
        "println" => Value::String(format!(
            "{}\n",
            args.iter().map(print).collect::<Vec<_>>().join(" ")
        )),
        "printf" => Value::String(printf(&print(&arg(0)), &args[1.min(args.len())..])),
        "base64decode" => Value::String(
            crate::base64::decode_text(&print(&arg(0)))
                .ok_or_else(|| "error calling base64decode: illegal base64 data".to_string())?,
        ),
        "base64encode" => Value::String(crate::base64::encode(print(&arg(0)).as_bytes())),
        other => return Err(format!("function \"{other}\" not defined")),
    })
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn printf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('q') => out.push_str(&format!("{:?}", print(args.next().unwrap_or(&Value::Null)))),
            Some(_) => out.push_str(&print(args.next().unwrap_or(&Value::Null))),
            None => out.push('%'),
        }
    }
    out
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// What a template action prints for a value: `<no value>` for a missing one, else as Go's fmt prints it.
fn print(v: &Value) -> String {
    match v {
        Value::Null => "<no value>".to_string(),
        other => sprint(other),
    }
}

/// How Go's `fmt.Sprint` prints an unstructured value (`map[a:1 b:[x y]]`, `<nil>`): what custom columns and
/// templates show for a field that is not a string.
pub fn sprint(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(sprint).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, x)| format!("{k}:{}", sprint(x)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::render;
    use serde_json::json;

    fn pod() -> serde_json::Value {
        json!({"metadata": {"name": "web-0", "labels": {"app": "nginx"}},
               "spec": {"containers": [{"name": "nginx", "image": "nginx-slim:0.24"}, {"name": "b", "image": "busybox"}]},
               "status": {"podIP": "10.244.1.5", "containerStatuses": [{"restartCount": 2}]}})
    }

    #[test]
    fn the_tutorials_image_template() {
        assert_eq!(
            render(
                "{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}",
                &pod()
            )
            .unwrap(),
            "nginx-slim:0.24busybox"
        );
    }

    #[test]
    fn fields_literals_and_functions() {
        let p = pod();
        assert_eq!(
            render("{{.metadata.name}}{{\"\\n\"}}", &p).unwrap(),
            "web-0\n"
        );
        assert_eq!(render("{{.metadata.nope}}", &p).unwrap(), "<no value>");
        assert_eq!(
            render("{{.metadata.labels}}", &p).unwrap(),
            "map[app:nginx]"
        );
        assert_eq!(
            render(
                "{{index .metadata.labels \"app\"}} {{len .spec.containers}}",
                &p
            )
            .unwrap(),
            "nginx 2"
        );
        assert_eq!(
            render("{{range .spec.containers}}{{.name}} {{end}}", &p).unwrap(),
            "nginx b "
        );
        assert_eq!(
            render(
                "{{if eq .metadata.name \"web-0\"}}first{{else}}other{{end}}",
                &p
            )
            .unwrap(),
            "first"
        );
        assert_eq!(
            render("{{with .status}}{{.podIP}}{{end}}", &p).unwrap(),
            "10.244.1.5"
        );
        assert_eq!(
            render(
                "{{range .status.containerStatuses}}{{.restartCount}}{{end}}",
                &p
            )
            .unwrap(),
            "2"
        );
        assert_eq!(
            render("{{printf \"%s=%d\" .metadata.name 3}}", &p).unwrap(),
            "web-0=3"
        );
        assert_eq!(
            render("a  {{- .metadata.name -}}  b", &p).unwrap(),
            "aweb-0b"
        );
    }

    #[test]
    fn errors_are_template_errors() {
        assert!(render("{{.a", &json!({}))
            .unwrap_err()
            .contains("unclosed action"));
        assert!(render("{{nope .a}}", &json!({}))
            .unwrap_err()
            .contains("function \"nope\" not defined"));
        assert!(render("{{range .a}}", &json!({})).is_err());
    }

    /// Found by fuzzing the terminal: a character of several bytes inside an action made the search for its
    /// `}}` cut the text inside that character, a panic.
    #[test]
    fn characters_of_several_bytes_inside_an_action() {
        assert_eq!(render("{{\"日本語\"}}", &json!({})).unwrap(), "日本語");
        assert!(render("{{$c\u{fffd}im\u{3}ge}}", &json!({})).is_err());
        // A field named in letters beyond ASCII is a field like any other (here one the pod does not have).
        assert_eq!(
            render(
                "{{range $i, $c := .spec.containers}}{{$c.ïmage}}{{end}}",
                &pod()
            ),
            render(
                "{{range $i, $c := .spec.containers}}{{$c.xmage}}{{end}}",
                &pod()
            )
        );
    }

    /// Found by fuzzing the terminal: a right paren with no left one (a typo for a dot) made the tokenizer
    /// read an empty word at it forever, growing its list until memory ran out: the tab would freeze.
    #[test]
    fn a_stray_right_paren_is_an_error_not_a_hang() {
        assert_eq!(
            render("{{range $i, $c := .spec.cr)source}}{{end}}", &pod()),
            Err("unexpected right paren".to_string())
        );
        assert_eq!(render("{{ (len .spec.containers) }}", &pod()).unwrap(), "2");
    }
}
