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
use ordinal_sh::coreutils::Flavor;
use ordinal_sh::files::{self, Place};
use ordinal_sh::fs::{normalize, FileSystem, FileTree, FsError};

pub const HOME: &str = "/home/student";

/// Where the learner may write besides the home directory.
const TMP: &str = "/tmp";

/// The learner's machine as the terminal sees it: a file tree like a container's, with the home directory
/// and `/tmp` writable and everything else refused (`Permission denied`). Its map-like methods take paths
/// relative to the home directory (or absolute ones), the way the lessons and kubectl's `-f` name files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    tree: FileTree,
}

impl Default for Home {
    fn default() -> Self {
        let mut tree = FileTree::new();
        for dir in [HOME, TMP] {
            // A fresh tree has only `/`, so creating these cannot fail.
            let _ = tree.mkdir(dir, true);
        }
        Home { tree }
    }
}

impl From<BTreeMap<String, String>> for Home {
    fn from(files: BTreeMap<String, String>) -> Home {
        let mut home = Home::default();
        for (path, text) in files {
            home.insert(path, text);
        }
        home
    }
}

/// A key of [`Home`]'s map-like methods as an absolute path.
fn absolute(key: &str) -> String {
    if key.starts_with('/') {
        normalize("/", key)
    } else {
        normalize(HOME, key)
    }
}

fn writable(path: &str) -> bool {
    [HOME, TMP]
        .iter()
        .any(|d| path.strip_prefix(d).is_some_and(|r| r.starts_with('/')))
}

impl Home {
    /// Puts a file at `key`, making the directories above it.
    pub fn insert(&mut self, key: String, text: String) {
        let path = absolute(&key);
        if let Some((dir, _)) = path.rsplit_once('/') {
            if !dir.is_empty() {
                let _ = self.tree.mkdir(dir, true);
            }
        }
        let _ = self.tree.write(&path, &text, false);
    }

    /// The file at `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.tree.read(&absolute(key)).ok()
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Removes the file at `key`, answering what it held.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        let path = absolute(key);
        let text = self.tree.read(&path).ok()?.to_string();
        self.tree.remove(&path, false).ok()?;
        Some(text)
    }

    pub fn is_dir(&self, key: &str) -> bool {
        self.tree.is_dir(&absolute(key))
    }

    /// `mkdir -p` of `key`.
    pub fn make_dir(&mut self, key: &str) {
        let _ = self.tree.mkdir(&absolute(key), true);
    }

    /// The files under the home directory, as paths relative to it, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (String, &str)> {
        let prefix = format!("{HOME}/");
        self.tree.files().filter_map(move |(path, text)| {
            path.strip_prefix(&prefix)
                .map(|rel| (rel.to_string(), text))
        })
    }

    /// The paths of [`Home::iter`].
    pub fn keys(&self) -> impl Iterator<Item = String> + '_ {
        self.iter().map(|(k, _)| k)
    }
}

impl FileSystem for Home {
    fn read(&mut self, path: &str) -> Result<String, FsError> {
        self.tree.read(path).map(str::to_string)
    }
    fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        // Outside the writable places only a directory answers otherwise (Is a directory).
        if !writable(path) && !self.tree.is_dir(path) {
            return Err(FsError::PermissionDenied);
        }
        self.tree.write(path, text, append)
    }
    fn is_dir(&mut self, path: &str) -> bool {
        self.tree.is_dir(path)
    }
    fn list(&mut self, path: &str) -> Result<Vec<String>, FsError> {
        self.tree.list(path)
    }
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        if !writable(path) {
            return match self.tree.get(path) {
                Some(_) if parents && self.tree.is_dir(path) => Ok(()),
                Some(_) => Err(FsError::Exists),
                None => Err(FsError::PermissionDenied),
            };
        }
        self.tree.mkdir(path, parents)
    }
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        if !writable(path) {
            return match self.tree.get(path) {
                Some(_) => Err(FsError::PermissionDenied),
                None => Err(FsError::NotFound),
            };
        }
        self.tree.remove(path, recursive)
    }
    fn transfer(&mut self, from: &str, to: &str, remove_source: bool) -> Result<(), FsError> {
        if !writable(to) || (remove_source && !writable(from)) {
            return Err(FsError::PermissionDenied);
        }
        self.tree.transfer(from, to, remove_source)
    }
}

/// The working directory as an absolute path (`$PWD`).
pub fn cwd(ctx: &Context) -> String {
    absolute(&ctx.cwd)
}

/// The working directory as bash's prompt shows it (`\w`): `~` for the home directory and what is under it.
pub fn prompt_dir(ctx: &Context) -> String {
    match cwd(ctx) {
        home if home == HOME => "~".to_string(),
        path => match path.strip_prefix(&format!("{HOME}/")) {
            Some(rest) => format!("~/{rest}"),
            None => path,
        },
    }
}

/// A path typed in the terminal, as a key of [`Context::files`] (`""` for the home directory itself), or the
/// absolute path when it is outside the home directory.
pub fn resolve(ctx: &Context, path: &str) -> Result<String, String> {
    let expanded = match path.strip_prefix('~') {
        Some(rest) => format!("{HOME}{rest}"),
        None => path.to_string(),
    };
    let abs = normalize(&cwd(ctx), &expanded);
    if abs == HOME {
        return Ok(String::new());
    }
    abs.strip_prefix(&format!("{HOME}/"))
        .map(str::to_string)
        .ok_or(abs)
}

/// The absolute path a path typed in the terminal names.
fn path(ctx: &Context, typed: &str) -> String {
    absolute(&resolve(ctx, typed).unwrap_or_else(|abs| abs))
}

/// What a path names, for the shell's file tests.
pub fn file_kind(ctx: &Context, typed: &str) -> Option<crate::shell::FileKind> {
    use crate::shell::FileKind;
    let p = path(ctx, typed);
    if ctx.files.tree.is_dir(&p) {
        return Some(FileKind::Dir);
    }
    ctx.files
        .tree
        .read(&p)
        .ok()
        .map(|t| FileKind::File { size: t.len() })
}

/// The names in a directory, for the shell's pathname expansion (`ls *.yaml`).
pub fn list_dir(ctx: &Context, typed: &str) -> Option<Vec<String>> {
    ctx.files.tree.list(&path(ctx, typed)).ok()
}

/// Reads a file for `< path` and `cat`.
pub fn read(ctx: &Context, typed: &str) -> Result<String, String> {
    ctx.files
        .tree
        .read(&path(ctx, typed))
        .map(str::to_string)
        .map_err(|e| e.message().to_string())
}

/// Writes a file for `> path`, `>> path`.
pub fn write(ctx: &mut Context, typed: &str, text: &str, append: bool) -> Result<(), String> {
    let p = path(ctx, typed);
    ctx.files
        .write(&p, text, append)
        .map_err(|e| e.message().to_string())
}

/// `cd DIR`.
pub fn change_dir(ctx: &mut Context, dir: Option<&str>) -> Result<(), String> {
    let Some(dir) = dir else {
        ctx.cwd.clear();
        return Ok(());
    };
    let p = path(ctx, dir);
    if ctx.files.tree.is_dir(&p) {
        ctx.cwd = if p == HOME {
            String::new()
        } else {
            p.strip_prefix(&format!("{HOME}/"))
                .map_or(p.clone(), str::to_string)
        };
        return Ok(());
    }
    match ctx.files.tree.get(&p) {
        Some(_) => Err(format!("bash: cd: {dir}: Not a directory\n")),
        None => Err(format!("bash: cd: {dir}: No such file or directory\n")),
    }
}

/// Runs a home-directory command; `None` when `argv` is not one.
pub fn run(ctx: &mut Context, argv: &[String], stdin: Option<&str>, now: Time) -> Option<Output> {
    let (cmd, args) = argv.split_first()?;
    if files::TOOLS.contains(&cmd.as_str()) {
        let mtime = files::ls_time(&now.date_string());
        let cwd = cwd(ctx);
        let place = Place {
            cwd: &cwd,
            home: Some(HOME),
            owner: "student",
            mtime: &mtime,
            flavor: Flavor::Gnu,
        };
        return files::run(&mut ctx.files, &place, cmd, args, stdin);
    }
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
        "pwd" => Output::ok(format!("{}\n", cwd(ctx))),
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

/// `curl -LO URL`, `curl -o FILE URL`, `curl URL`, `wget URL`, `wget -O FILE URL`.
fn download(ctx: &mut Context, cmd: &str, args: &[String]) -> Output {
    let mut output: Option<String> = None;
    let mut remote_name = false;
    // `curl -s` and `wget -q` print no progress meter.
    let mut quiet = false;
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
            "--silent" | "--quiet" => quiet = true,
            "-q" if cmd == "wget" => quiet = true,
            _ if a.starts_with("-") && !a.starts_with("--") && cmd == "curl" => {
                remote_name |= a.contains('O');
                quiet |= a.contains('s');
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
    if quiet {
        return Output::ok(String::new());
    }
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
            c.files.get("work/mysql/kustomization.yaml"),
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
        assert_eq!(c.files.keys().count(), 0);
        assert!(!c.files.is_dir("work/mysql"));
        assert_eq!(
            sh(&mut c, "mkdir /etc/app").stderr(),
            "mkdir: cannot create directory '/etc/app': Permission denied\n"
        );
        assert_eq!(sh(&mut c, "touch /tmp/x").status, 0);
        assert_eq!(sh(&mut c, "ls /tmp").stdout(), "x\n");
        change_dir(&mut c, Some("/tmp")).unwrap();
        assert_eq!(sh(&mut c, "pwd").stdout(), "/tmp\n");
        assert_eq!(prompt_dir(&c), "/tmp");
        assert_eq!(sh(&mut c, "ls").stdout(), "x\n");
        change_dir(&mut c, Some("~/work")).unwrap();
        assert_eq!(prompt_dir(&c), "~/work");
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
        let o = sh(
            &mut c,
            "curl -sLO https://k8s.io/examples/application/web/web.yaml",
        );
        assert_eq!(
            format!("{}{}", o.stdout(), o.stderr()),
            "",
            "curl -s shows no meter"
        );
        assert!(c.files.contains_key("web.yaml"));
        let o = sh(
            &mut c,
            "wget -q https://k8s.io/examples/application/web/web-parallel.yaml",
        );
        assert_eq!(
            format!("{}{}", o.stdout(), o.stderr()),
            "",
            "wget -q says nothing"
        );
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
