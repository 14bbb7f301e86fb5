//! The learner's home directory in the terminal (`/home/student`): the files kubectl reads with `-f` and `-k`,
//! and the commands the lessons use on them — `mkdir`, `cd`, `ls -l`, `cat`, `cat > file <<EOF`, `cp`, `mv`,
//! `rm`, `touch`, `curl -LO URL` (the tutorials' manifests are served offline), and `jq`. Paths are kept
//! relative to the home directory in [`Context::files`].

use std::collections::BTreeMap;

use serde_json::Value;

use crate::catalogue::{self, Fetched};
use crate::shell::Output;
use crate::Context;
use ordinal_engine::clock::Time;
use ordinal_engine::runtime::fs::normalize;

pub const HOME: &str = "/home/student";

/// A path typed in the terminal, as a key of [`Context::files`] (`""` for the home directory itself), or the
/// absolute path when it is outside the home directory.
pub fn resolve(ctx: &Context, path: &str) -> Result<String, String> {
    let cwd = if ctx.cwd.is_empty() {
        HOME.to_string()
    } else {
        format!("{HOME}/{}", ctx.cwd)
    };
    let expanded = match path.strip_prefix('~') {
        Some(rest) => format!("{HOME}{rest}"),
        None => path.to_string(),
    };
    let abs = normalize(&cwd, &expanded);
    if abs == HOME {
        return Ok(String::new());
    }
    abs.strip_prefix(&format!("{HOME}/"))
        .map(str::to_string)
        .ok_or(abs)
}

fn is_dir(ctx: &Context, key: &str) -> bool {
    key.is_empty()
        || ctx.dirs.contains(key)
        || ctx
            .files
            .keys()
            .any(|f| f.strip_prefix(key).is_some_and(|r| r.starts_with('/')))
}

fn parent(key: &str) -> &str {
    key.rsplit_once('/').map_or("", |(p, _)| p)
}

/// What a path names in the home directory, for the shell's file tests.
pub fn file_kind(ctx: &Context, path: &str) -> Option<crate::shell::FileKind> {
    use crate::shell::FileKind;
    let key = resolve(ctx, path).ok()?;
    if is_dir(ctx, &key) {
        return Some(FileKind::Dir);
    }
    ctx.files
        .get(&key)
        .map(|t| FileKind::File { size: t.len() })
}

/// Reads a file for `< path` and `cat`.
pub fn read(ctx: &Context, path: &str) -> Result<String, String> {
    let key = resolve(ctx, path).map_err(|_| "No such file or directory".to_string())?;
    if is_dir(ctx, &key) {
        return Err("Is a directory".into());
    }
    ctx.files
        .get(&key)
        .cloned()
        .ok_or_else(|| "No such file or directory".into())
}

/// Writes a file for `> path`, `>> path`.
pub fn write(ctx: &mut Context, path: &str, text: &str, append: bool) -> Result<(), String> {
    let key = resolve(ctx, path).map_err(|_| "Permission denied".to_string())?;
    if is_dir(ctx, &key) {
        return Err("Is a directory".into());
    }
    if !is_dir(ctx, parent(&key)) {
        return Err("No such file or directory".into());
    }
    let entry = ctx.files.entry(key).or_default();
    if !append {
        entry.clear();
    }
    entry.push_str(text);
    Ok(())
}

/// `cd DIR`.
pub fn change_dir(ctx: &mut Context, dir: Option<&str>) -> Result<(), String> {
    let Some(dir) = dir else {
        ctx.cwd.clear();
        return Ok(());
    };
    match resolve(ctx, dir) {
        Ok(key) if is_dir(ctx, &key) => {
            ctx.cwd = key;
            Ok(())
        }
        Ok(key) if ctx.files.contains_key(&key) => {
            Err(format!("bash: cd: {dir}: Not a directory\n"))
        }
        Ok(_) => Err(format!("bash: cd: {dir}: No such file or directory\n")),
        Err(_) => Err(format!("bash: cd: {dir}: Permission denied\n")),
    }
}

/// Runs a home-directory command; `None` when `argv` is not one.
pub fn run(ctx: &mut Context, argv: &[String], stdin: Option<&str>, now: Time) -> Option<Output> {
    let (cmd, args) = argv.split_first()?;
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-') && a.len() > 1 && !a.starts_with("--"))
        .flat_map(|a| a.chars().skip(1))
        .collect();
    let operands: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') || a.as_str() == "-")
        .collect();
    Some(match cmd.as_str() {
        "pwd" => Output::ok(if ctx.cwd.is_empty() {
            format!("{HOME}\n")
        } else {
            format!("{HOME}/{}\n", ctx.cwd)
        }),
        "cat" => cat(ctx, &operands, stdin),
        "ls" => ls(ctx, &operands, flags.contains('l'), flags.contains('a'), now),
        "mkdir" => {
            let parents = flags.contains('p');
            for d in &operands {
                let Ok(key) = resolve(ctx, d) else {
                    return Some(fail(format!("mkdir: cannot create directory '{d}': Permission denied\n")));
                };
                if is_dir(ctx, &key) || ctx.files.contains_key(&key) {
                    if parents && is_dir(ctx, &key) {
                        continue;
                    }
                    return Some(fail(format!("mkdir: cannot create directory '{d}': File exists\n")));
                }
                if !parents && !is_dir(ctx, parent(&key)) {
                    return Some(fail(format!("mkdir: cannot create directory '{d}': No such file or directory\n")));
                }
                let mut k = key.as_str();
                while !k.is_empty() {
                    ctx.dirs.insert(k.to_string());
                    k = parent(k);
                }
            }
            Output::ok(String::new())
        }
        "touch" => {
            for f in &operands {
                let exists = read(ctx, f).is_ok();
                if !exists {
                    if let Err(e) = write(ctx, f, "", true) {
                        return Some(fail(format!("touch: cannot touch '{f}': {e}\n")));
                    }
                }
            }
            Output::ok(String::new())
        }
        "rm" => {
            for f in &operands {
                let Ok(key) = resolve(ctx, f) else {
                    return Some(fail(format!("rm: cannot remove '{f}': Permission denied\n")));
                };
                if is_dir(ctx, &key) && !key.is_empty() {
                    if !flags.contains('r') && !flags.contains('R') {
                        return Some(fail(format!("rm: cannot remove '{f}': Is a directory\n")));
                    }
                    let prefix = format!("{key}/");
                    ctx.files.retain(|k, _| !k.starts_with(&prefix));
                    ctx.dirs.retain(|k| k != &key && !k.starts_with(&prefix));
                } else if ctx.files.remove(&key).is_none() && !flags.contains('f') {
                    return Some(fail(format!("rm: cannot remove '{f}': No such file or directory\n")));
                }
            }
            Output::ok(String::new())
        }
        "cp" | "mv" => {
            let [from, to] = operands.as_slice() else {
                return Some(fail(format!("{cmd}: missing destination file operand\n")));
            };
            let text = match read(ctx, from) {
                Ok(t) => t,
                Err(e) => return Some(fail(format!("{cmd}: cannot stat '{from}': {e}\n"))),
            };
            let dest = match resolve(ctx, to) {
                Ok(k) if is_dir(ctx, &k) => {
                    let base = from.rsplit('/').next().unwrap_or(from);
                    if k.is_empty() { base.to_string() } else { format!("{k}/{base}") }
                }
                Ok(_) => to.to_string(),
                Err(_) => return Some(fail(format!("{cmd}: cannot create regular file '{to}': Permission denied\n"))),
            };
            if let Err(e) = write(ctx, &dest, &text, false) {
                return Some(fail(format!("{cmd}: cannot create regular file '{to}': {e}\n")));
            }
            if cmd == "mv" {
                if let Ok(k) = resolve(ctx, from) {
                    ctx.files.remove(&k);
                }
            }
            Output::ok(String::new())
        }
        "curl" | "wget" => download(ctx, cmd, args),
        "jq" => jq(
            &operands,
            stdin,
            flags.contains('r') || args.iter().any(|a| a == "--raw-output"),
            flags.contains('c') || args.iter().any(|a| a == "--compact-output"),
        ),
        "vi" | "vim" | "nano" | "emacs" => fail(format!(
            "{cmd}: this terminal has no full-screen editor; write files with cat > FILE <<EOF … EOF, or use the editor panel\n"
        )),
        _ => return None,
    })
}

/// What GNU tools do on failure: their message, status 1.
fn fail(stderr: String) -> Output {
    Output::failed(stderr, 1)
}

fn cat(ctx: &Context, files: &[&String], stdin: Option<&str>) -> Output {
    if files.is_empty() {
        return Output::ok(stdin.unwrap_or("").to_string());
    }
    let mut out = Output::ok(String::new());
    for f in files {
        if f.as_str() == "-" {
            out.push_stdout(stdin.unwrap_or(""));
            continue;
        }
        match read(ctx, f) {
            Ok(t) => out.push_stdout(&t),
            Err(e) => {
                out.push_stderr(&format!("cat: {f}: {e}\n"));
                out.status = 1;
            }
        }
    }
    out
}

fn ls(ctx: &Context, targets: &[&String], long: bool, all: bool, now: Time) -> Output {
    let dot = String::from(".");
    let targets: Vec<&String> = if targets.is_empty() {
        vec![&dot]
    } else {
        targets.to_vec()
    };
    let mut out = Output::ok(String::new());
    let stamp = {
        let d = now.date_string();
        let p: Vec<&str> = d.split_whitespace().collect();
        match p.as_slice() {
            [_, m, day, t, ..] => format!("{m} {day:>2} {}", &t[..t.len().min(5)]),
            _ => d,
        }
    };
    let line = |name: &str, dir: bool, size: usize| {
        if long {
            let mode = if dir { "drwxr-xr-x" } else { "-rw-r--r--" };
            format!("{mode} 1 student student {size:>4} {stamp} {name}\n")
        } else {
            format!("{name}\n")
        }
    };
    for t in targets {
        let Ok(key) = resolve(ctx, t) else {
            out.push_stderr(&format!(
                "ls: cannot open directory '{t}': Permission denied\n"
            ));
            out.status = 2;
            continue;
        };
        if let Some(text) = ctx.files.get(&key) {
            out.push_stdout(&line(t, false, text.len()));
            continue;
        }
        if !is_dir(ctx, &key) {
            out.push_stderr(&format!(
                "ls: cannot access '{t}': No such file or directory\n"
            ));
            out.status = 2;
            continue;
        }
        let prefix = if key.is_empty() {
            String::new()
        } else {
            format!("{key}/")
        };
        let mut entries: BTreeMap<String, (bool, usize)> = BTreeMap::new();
        for (f, text) in &ctx.files {
            if let Some(rest) = f.strip_prefix(&prefix) {
                match rest.split_once('/') {
                    Some((d, _)) => {
                        entries.insert(d.to_string(), (true, 4096));
                    }
                    None => {
                        entries.insert(rest.to_string(), (false, text.len()));
                    }
                }
            }
        }
        for d in &ctx.dirs {
            if let Some(rest) = d.strip_prefix(&prefix) {
                if !rest.is_empty() && !rest.contains('/') {
                    entries.insert(rest.to_string(), (true, 4096));
                }
            }
        }
        if long {
            let blocks: usize = entries
                .values()
                .map(|(d, s)| if *d { 4 } else { s.div_ceil(4096) * 4 })
                .sum();
            out.push_stdout(&format!("total {blocks}\n"));
        }
        if all {
            out.push_stdout(&line(".", true, 4096));
            out.push_stdout(&line("..", true, 4096));
        }
        for (name, (dir, size)) in entries {
            if name.starts_with('.') && !all {
                continue;
            }
            out.push_stdout(&line(&name, dir, size));
        }
    }
    out
}

/// `curl -LO URL`, `curl -o FILE URL`, `curl URL`, `wget URL`, `wget -O FILE URL`.
fn download(ctx: &mut Context, cmd: &str, args: &[String]) -> Output {
    let mut output: Option<String> = None;
    let mut remote_name = false;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-o" | "--output" | "-O" if cmd == "wget" || a != "-O" => {
                output = args.get(i + 1).cloned();
                i += 1;
            }
            "-O" | "--remote-name" => remote_name = true,
            _ if a.starts_with("-") && !a.starts_with("--") && cmd == "curl" => {
                remote_name |= a.contains('O');
            }
            _ if a.starts_with('-') => {}
            _ => url = Some(a.clone()),
        }
        i += 1;
    }
    let Some(url) = url else {
        return fail(format!("{cmd}: no URL specified!\n"));
    };
    // curl and wget name the host without its port.
    let authority = catalogue::host(&url);
    let host = authority
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(authority, |(h, _)| h)
        .to_string();
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        return unreachable_address(cmd, ip, authority);
    }
    let text = match catalogue::fetch(&url) {
        Fetched::File(t) => t,
        Fetched::NotFound => {
            return match cmd {
                "curl" => Output::both(
                    "<!DOCTYPE html>\n<title>404 Page not found</title>\n".into(),
                    String::new(),
                    0,
                ),
                _ => fail(
                    "wget: server returned error: HTTP/1.1 404 Not Found
"
                    .to_string(),
                ),
            }
        }
        Fetched::NoSuchHost(_) => {
            return match cmd {
                "curl" => Output::both(
                    String::new(),
                    format!("curl: (6) Could not resolve host: {host}\n"),
                    6,
                ),
                _ => fail(format!("wget: unable to resolve host address '{host}'\n")),
            }
        }
    };
    let file = url.rsplit('/').next().unwrap_or("index.html").to_string();
    let target = match (cmd, output, remote_name) {
        (_, Some(o), _) if o == "-" => return Output::ok(text.to_string()),
        (_, Some(o), _) => Some(o),
        ("wget", None, _) | (_, None, true) => Some(file),
        _ => None,
    };
    let Some(target) = target else {
        return Output::ok(text.to_string());
    };
    if let Err(e) = write(ctx, &target, text, false) {
        return fail(format!("{cmd}: {target}: {e}\n"));
    }
    // Saving to a file, curl shows its progress meter on stderr (the transfer is instant here).
    let n = text.len();
    let meter = match cmd {
        "curl" => format!(
            "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100 {n:>5}  100 {n:>5}    0     0  {n:>5}      0 --:--:-- --:--:-- --:--:-- {n:>5}\n"
        ),
        _ => format!("Connecting to {host} ({host})\nsaving to '{target}'\n{target:<20} 100% |********************************| {n:>5}  0:00:00 ETA\n'{target}' saved\n"),
    };
    Output::both(String::new(), meter, 0)
}

/// A request to an address the learner's machine cannot reach (the terminal has already handed the nodes' and
/// load balancers' addresses to the cluster). A kind host has no route to pod or cluster IPs, so the
/// connection times out after the kernel's SYN retries (about 130 s); an unused address on kind's own
/// Docker network has no one to answer ARP, which fails after about 3 s. The clock does not wait.
fn unreachable_address(cmd: &str, ip: std::net::Ipv4Addr, authority: &str) -> Output {
    let port = authority
        .rsplit_once(':')
        .map_or("80", |(_, p)| p)
        .to_string();
    let on_kind_network = ip.octets()[..2] == [172, 18];
    let (code, after) = if on_kind_network {
        (7, 3_068)
    } else {
        (28, 133_014)
    };
    let stderr = match cmd {
        "curl" => format!(
            "curl: ({code}) Failed to connect to {ip} port {port} after {after} ms: Couldn't connect to server\n"
        ),
        _ if on_kind_network => {
            format!("Connecting to {ip}:{port}... failed: No route to host.\n")
        }
        _ => format!("Connecting to {ip}:{port}... failed: Connection timed out.\nGiving up.\n\n"),
    };
    Output::failed(stderr, if cmd == "curl" { code } else { 4 })
}

/// `jq [-r] [-c] FILTER`: `.`, `.a.b`, `.[0]`, `.a[]`, with jq's two-space pretty printing; `-r` prints
/// strings without their quotes, `-c` each value on one line.
fn jq(operands: &[&String], stdin: Option<&str>, raw: bool, compact: bool) -> Output {
    let filter = operands.first().map_or(".", |s| s.as_str());
    let input = stdin.unwrap_or("");
    let mut out = Output::ok(String::new());
    let stream = serde_json::Deserializer::from_str(input).into_iter::<Value>();
    for doc in stream {
        let doc = match doc {
            Ok(d) => d,
            Err(e) => {
                out.push_stderr(&format!(
                    "jq: error (at <stdin>:{}): Cannot parse input: {e}\n",
                    e.line()
                ));
                out.status = 2;
                return out;
            }
        };
        match select(&doc, filter) {
            Ok(values) => {
                for v in values {
                    match (&v, raw, compact) {
                        (Value::String(s), true, _) => out.push_stdout(s),
                        (_, _, true) => out.push_stdout(&v.to_string()),
                        _ => out.push_stdout(&pretty(&v)),
                    }
                    out.push_stdout("\n");
                }
            }
            Err(e) => {
                out.push_stderr(&format!("jq: error: {e}\n"));
                out.status = 3;
                return out;
            }
        }
    }
    out
}

fn select(v: &Value, filter: &str) -> Result<Vec<Value>, String> {
    let mut current = vec![v.clone()];
    let f = filter.trim();
    if f == "." {
        return Ok(current);
    }
    let Some(mut rest) = f.strip_prefix('.') else {
        return Err(format!("{f}/0 is not defined at <top-level>, line 1:"));
    };
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[]") {
            current = current
                .into_iter()
                .flat_map(|x| match x {
                    Value::Array(a) => a,
                    Value::Object(m) => m.into_iter().map(|(_, v)| v).collect(),
                    _ => Vec::new(),
                })
                .collect();
            rest = r.trim_start_matches('.');
            continue;
        }
        if let Some(r) = rest.strip_prefix('[') {
            let (idx, after) = r.split_once(']').ok_or("syntax error")?;
            let i: usize = idx
                .parse()
                .map_err(|_| format!("Cannot index with \"{idx}\""))?;
            current = current
                .into_iter()
                .map(|x| x.get(i).cloned().unwrap_or(Value::Null))
                .collect();
            rest = after.trim_start_matches('.');
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = rest[..end].trim_matches('"');
        current = current
            .into_iter()
            .map(|x| x.get(key).cloned().unwrap_or(Value::Null))
            .collect();
        rest = rest[end..].trim_start_matches('.');
    }
    Ok(current)
}

/// jq's output: two-space indentation, `"key": value`.
fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context::default()
    }

    fn sh(ctx: &mut Context, line: &str) -> Output {
        let argv: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        run(ctx, &argv, None, Time(0)).unwrap_or_default()
    }

    #[test]
    fn directories_files_and_paths() {
        let mut c = ctx();
        assert_eq!(sh(&mut c, "pwd").stdout(), "/home/student\n");
        sh(&mut c, "mkdir -p work/mysql");
        change_dir(&mut c, Some("work/mysql")).unwrap();
        assert_eq!(sh(&mut c, "pwd").stdout(), "/home/student/work/mysql\n");
        write(&mut c, "kustomization.yaml", "resources: []\n", false).unwrap();
        assert_eq!(
            c.files
                .get("work/mysql/kustomization.yaml")
                .map(String::as_str),
            Some("resources: []\n")
        );
        assert_eq!(sh(&mut c, "ls").stdout(), "kustomization.yaml\n");
        change_dir(&mut c, Some("..")).unwrap();
        assert_eq!(sh(&mut c, "ls").stdout(), "mysql\n");
        assert_eq!(
            change_dir(&mut c, Some("nope")),
            Err("bash: cd: nope: No such file or directory\n".into())
        );
        assert_eq!(
            sh(&mut c, "cat mysql/nope").stderr(),
            "cat: mysql/nope: No such file or directory\n"
        );
        assert_eq!(
            sh(&mut c, "rm mysql").stderr(),
            "rm: cannot remove 'mysql': Is a directory\n"
        );
        sh(&mut c, "rm -r mysql");
        assert!(c.files.is_empty());
    }

    #[test]
    fn curl_fetches_the_tutorial_manifests_offline() {
        let mut c = ctx();
        let o = sh(
            &mut c,
            "curl -LO https://k8s.io/examples/application/mysql/mysql-services.yaml",
        );
        assert_eq!(o.status, 0);
        assert!(c
            .files
            .get("mysql-services.yaml")
            .is_some_and(|t| t.contains("mysql-read")));
        let o = sh(&mut c, "curl -LO https://example.com/app.yaml");
        assert_eq!(
            o.stderr(),
            "curl: (6) Could not resolve host: example.com\n"
        );
        assert_eq!(o.status, 6);
    }

    #[test]
    fn jq_pretty_prints_and_selects() {
        let out = jq(
            &[&".a".to_string()],
            Some("{\"a\":{\"b\":[1,2]}}"),
            false,
            false,
        );
        assert_eq!(out.stdout(), "{\n  \"b\": [\n    1,\n    2\n  ]\n}\n");
        let out = jq(
            &[&".a.b[1]".to_string()],
            Some("{\"a\":{\"b\":[1,2]}}"),
            false,
            false,
        );
        assert_eq!(out.stdout(), "2\n");
    }

    /// jq's manual: `--raw-output`/`-r` writes a string result without quotes; `--compact-output`/`-c` puts
    /// each result on one line.
    #[test]
    fn jq_raw_and_compact_output() {
        let items =
            "{\"items\":[{\"metadata\":{\"name\":\"web-0\"}},{\"metadata\":{\"name\":\"web-1\"}}]}";
        let names = ".items[].metadata.name".to_string();
        assert_eq!(
            jq(&[&names], Some(items), true, false).stdout(),
            "web-0\nweb-1\n"
        );
        assert_eq!(
            jq(&[&names], Some(items), false, false).stdout(),
            "\"web-0\"\n\"web-1\"\n"
        );
        let first = ".items[0]".to_string();
        assert_eq!(
            jq(&[&first], Some(items), false, true).stdout(),
            "{\"metadata\":{\"name\":\"web-0\"}}\n"
        );
    }
}
