//! MySQL 5.7 as the replicated-MySQL tutorial needs it: `mysqld` (the mysql image's default process) keeps its
//! databases as files under `/var/lib/mysql`, so they live on the PersistentVolume and outlive the pod; the
//! `mysql` client reaches a server through the pod's resolver and Service routing (or its own pod for
//! `127.0.0.1` and the socket) and prints what the real client prints, bordered with a terminal and
//! tab-separated without one; `mysqladmin ping` answers for the local server.
//!
//! Writes go to the server's binlog and reach its replicas through [`replication`], which
//! also answers `CHANGE MASTER TO`, `START`/`STOP SLAVE` and `SHOW SLAVE STATUS`. Results print as the client
//! prints them: bordered, tab-separated, or one field a line after `\G`.

pub mod replication;

use std::collections::BTreeMap;

use crate::programs::{ContainerHost, Mode};
use crate::Node;
use crate::{ContainerFs, ContainerRef};
use ordinal_sh::Output;
use replication::Threads;

/// Where the server keeps its data.
pub const DATADIR: &str = "/var/lib/mysql";
const SOCKET: &str = "/var/run/mysqld/mysqld.sock";

/// A running server: where it runs, its settings read from its option files when it started, and its
/// replication threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub target: ContainerRef,
    /// Numbers each start of a server, so a replica can tell the server it read from was restarted.
    pub run: u64,
    /// The pod's hostname, which names the binlog and relay log by default.
    pub hostname: String,
    pub server_id: u32,
    /// `server-uuid` from `auto.cnf`.
    pub uuid: String,
    /// `log-bin`: the binlog's base name (`mysql-0-bin`).
    pub log_bin: Option<String>,
    pub super_read_only: bool,
    pub replica: replication::Replica,
}

impl Server {
    fn key(&self) -> replication::ServerKey {
        (self.target.uid.clone(), self.target.container.clone())
    }
}

/// Runs `mysqld` in container `target`: reads `/etc/mysql/conf.d/*.cnf`, initializes the data directory on
/// first start (the `mysql` system schema), opens a new binlog file when `log-bin` is set, registers the
/// server so clients can connect, logs what mysqld logs, and starts replication when the data directory has a
/// primary in `master.info`.
pub fn start_server(c: &mut dyn Node, target: &ContainerRef) {
    let now = c.now();
    let stamp = format!("{}Z", now.strftime("%Y-%m-%dT%H:%M:%S.000000"));
    let hostname = c
        .pod(&target.namespace, &target.pod)
        .map(crate::pod_hostname)
        .unwrap_or_default();
    let env = c
        .pod(&target.namespace, &target.pod)
        .and_then(|pod| {
            let ct = crate::programs::container_spec(pod, &target.container)?;
            Some(crate::programs::container_env(c, pod, ct))
        })
        .unwrap_or_default();
    let Some(mut fs) = ContainerFs::open(c, target.clone()) else {
        return;
    };
    let options = read_options(&mut fs);
    let mut log = String::new();
    if !fs.is_dir(&format!("{DATADIR}/mysql")) {
        log.push_str(&format!(
            "{stamp} [Note] [Entrypoint]: Initializing database files\n"
        ));
        let _ = fs.mkdir(DATADIR, true);
        for d in ["mysql", "performance_schema", "sys"] {
            let _ = fs.mkdir(&format!("{DATADIR}/{d}"), true);
        }
        let _ = fs.write(&format!("{DATADIR}/mysql/user.frm"), "", false);
        let _ = fs.write(
            &format!("{DATADIR}/{ACCOUNTS}"),
            &initial_accounts(&env, &target.uid),
            false,
        );
        let uuid = uuid_of(&target.uid);
        let _ = fs.write(
            &format!("{DATADIR}/auto.cnf"),
            &format!("[auto]\nserver-uuid={uuid}\n"),
            false,
        );
        let _ = fs.write(&format!("{DATADIR}/ibdata1"), "", false);
        log.push_str(&format!(
            "{stamp} [Note] [Entrypoint]: Database files initialized\n"
        ));
    }
    let server_id = options
        .get("server-id")
        .or_else(|| options.get("server_id"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let log_bin = options
        .get("log-bin")
        .or_else(|| options.get("log_bin"))
        .map(|v| {
            if v.is_empty() {
                format!("{hostname}-bin")
            } else {
                v.rsplit('/').next().unwrap_or(v).to_string()
            }
        });
    if let Some(base) = &log_bin {
        replication::open_binlog(&mut fs, base);
    }
    let super_read_only =
        options.contains_key("super-read-only") || options.contains_key("super_read_only");
    let uuid = fs
        .read(&format!("{DATADIR}/auto.cnf"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("server-uuid="))
        .unwrap_or_default()
        .to_string();
    drop(fs);
    c.runtime_mut().runs += 1;
    let server = Server {
        target: target.clone(),
        run: c.runtime_mut().runs,
        hostname,
        server_id,
        uuid,
        log_bin,
        super_read_only,
        replica: replication::Replica::default(),
    };
    let key = server.key();
    c.runtime_mut().mysqld.insert(key.clone(), server);
    c.runtime_changed();
    log.push_str(&format!(
        "{stamp} 0 [Note] mysqld (mysqld 5.7.44-log) starting as process 1 ...\n{stamp} 0 [Note] mysqld: ready for connections.\nVersion: '5.7.44-log'  socket: '{SOCKET}'  port: 3306  MySQL Community Server (GPL)\n"
    ));
    c.runtime_log(target, &log);
    replication::server_started(c, &key);
}

/// mysqld got SIGTERM and has shut down cleanly: what 5.7 logs on the way, and the server is gone (its data
/// stays on the volume for the next start).
pub fn stop_server(c: &mut dyn Node, key: &(String, String)) {
    let Some(server) = c.runtime_mut().mysqld.remove(key) else {
        return;
    };
    let stamp = format!("{}Z", c.now().strftime("%Y-%m-%dT%H:%M:%S.000000"));
    let lines = [
        "Giving 0 client threads a chance to die gracefully",
        "Shutting down slave threads",
        "Forcefully disconnecting 0 remaining clients",
        "Event Scheduler: Purging the queue. 0 events",
        "Binlog end",
        "InnoDB: FTS optimize thread exiting.",
        "InnoDB: Starting shutdown...",
        "InnoDB: Dumping buffer pool(s) to /var/lib/mysql/ib_buffer_pool",
        "InnoDB: Shutdown completed; log sequence number 12177139",
        "InnoDB: Removed temporary tablespace data file: \"ibtmp1\"",
        "mysqld: Shutdown complete",
    ];
    let log: String = lines
        .iter()
        .map(|l| format!("{stamp} 0 [Note] {l}\n"))
        .collect();
    c.runtime_log(&server.target, &log);
    c.runtime_changed();
}

/// A uuid-shaped, stable server uuid for `auto.cnf`.
fn uuid_of(seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let hex = format!("{h:016x}{:016x}", h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The `[mysqld]` options of `/etc/mysql/conf.d/*.cnf`, later files overriding earlier ones (as `!includedir`
/// reads them, in name order). A bare option (`log-bin`) has an empty value.
fn read_options(fs: &mut ContainerFs<'_>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let dir = "/etc/mysql/conf.d";
    let mut names = fs.list(dir).unwrap_or_default();
    ordinal_api::sort::sort(&mut names);
    for name in names.iter().filter(|n| n.ends_with(".cnf")) {
        let Ok(text) = fs.read(&format!("{dir}/{name}")) else {
            continue;
        };
        let mut in_mysqld = false;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if line.starts_with('[') {
                in_mysqld = matches!(line, "[mysqld]" | "[server]" | "[mysqld-5.7]");
                continue;
            }
            if !in_mysqld {
                continue;
            }
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            out.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    out
}

/// Whether `target`'s pod still runs the server's container.
pub fn running(c: &dyn Node, target: &ContainerRef) -> bool {
    c.runtime().process_running(&target.uid, &target.container)
        && c.pod(&target.namespace, &target.pod)
            .filter(|p| p.metadata.uid == target.uid && !p.is_terminal())
            .is_some_and(|p| {
                p.status
                    .container_statuses
                    .iter()
                    .any(|s| s.name == target.container && s.state.running.is_some())
            })
}

/// The server running in the pod with `uid`, if any.
fn server_in_pod(c: &dyn Node, namespace: &str, pod: &str, uid: &str) -> Option<ContainerRef> {
    c.runtime()
        .mysqld
        .keys()
        .filter(|(u, _)| u == uid)
        .map(|(u, ct)| ContainerRef {
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            uid: u.clone(),
            container: ct.clone(),
        })
        .find(|r| running(c, r))
}

/// How the client reaches a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// No host, or `localhost`: the Unix socket of the local server.
    Socket,
    /// A host name or address, and the port.
    Tcp(String, u16),
}

/// Connects from `host`'s container: the server it reaches, or the client library's error.
pub fn connect(host: &mut ContainerHost<'_>, via: &Via) -> Result<ContainerRef, SqlError> {
    let me = host.fs.target.clone();
    match via {
        Via::Socket => server_in_pod(host.fs.node_ref(), &me.namespace, &me.pod, &me.uid)
            .ok_or_else(|| {
                SqlError(
                    2002,
                    "HY000",
                    format!("Can't connect to local MySQL server through socket '{SOCKET}' (2)"),
                )
            }),
        Via::Tcp(name, port) => {
            let refused = SqlError(
                2003,
                "HY000",
                format!("Can't connect to MySQL server on '{name}' (111)"),
            );
            let Some(ip) = host.resolve_host(name).and_then(|ips| ips.first().cloned()) else {
                return Err(SqlError(
                    2005,
                    "HY000",
                    format!("Unknown MySQL server host '{name}' (-2)"),
                ));
            };
            if ip.starts_with("127.") {
                return server_in_pod(host.fs.node_ref(), &me.namespace, &me.pod, &me.uid)
                    .filter(|_| *port == 3306)
                    .ok_or(refused);
            }
            let cluster = host.fs.node();
            let Some((target, port)) = cluster.route(&ip, i64::from(*port)) else {
                return Err(refused);
            };
            if port != 3306 {
                return Err(refused);
            }
            server_in_pod(cluster, &target.namespace, &target.pod, &target.uid).ok_or(refused)
        }
    }
}

// ---- SQL ----

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    /// A backquoted identifier.
    Quoted(String),
    Str(String),
    Num(String),
    Var(String),
    Punct(char),
}

/// A statement's tokens, each with its byte offset in the statement (for the "near '…'" of a syntax error).
fn tokenize(s: &str) -> Result<Vec<(Tok, usize)>, usize> {
    let b: Vec<char> = s.chars().collect();
    let byte_at = |i: usize| b[..i].iter().map(|c| c.len_utf8()).sum::<usize>();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let ch = b[i];
        let start = i;
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '\'' || ch == '"' {
            let q = ch;
            let mut v = String::new();
            i += 1;
            loop {
                match b.get(i) {
                    None => return Err(byte_at(start)),
                    Some('\\') => {
                        let e = b.get(i + 1).copied().unwrap_or('\\');
                        v.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            '0' => '\0',
                            other => other,
                        });
                        i += 2;
                    }
                    Some(c) if *c == q => {
                        if b.get(i + 1) == Some(&q) {
                            v.push(q);
                            i += 2;
                        } else {
                            i += 1;
                            break;
                        }
                    }
                    Some(c) => {
                        v.push(*c);
                        i += 1;
                    }
                }
            }
            out.push((Tok::Str(v), byte_at(start)));
        } else if ch == '`' {
            let mut v = String::new();
            i += 1;
            while let Some(c) = b.get(i) {
                i += 1;
                if *c == '`' {
                    break;
                }
                v.push(*c);
            }
            out.push((Tok::Quoted(v), byte_at(start)));
        } else if ch == '@' {
            while i < b.len() && (b[i] == '@') {
                i += 1;
            }
            let name_start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_' || b[i] == '.') {
                i += 1;
            }
            let name: String = b[name_start..i].iter().collect();
            out.push((Tok::Var(name), byte_at(start)));
        } else if ch.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == '.') {
                i += 1;
            }
            out.push((Tok::Num(b[start..i].iter().collect()), byte_at(start)));
        } else if ch.is_alphanumeric() || ch == '_' || ch == '$' {
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_' || b[i] == '$') {
                i += 1;
            }
            out.push((Tok::Word(b[start..i].iter().collect()), byte_at(start)));
        } else {
            out.push((Tok::Punct(ch), byte_at(start)));
            i += 1;
        }
    }
    Ok(out)
}

/// A value in a row.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Text(String),
    Number(String),
}

/// What one `SELECT` list item is.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Var(String),
    Now,
    Value(Value),
}

#[derive(Debug, Clone, PartialEq)]
enum Stmt {
    CreateDatabase {
        name: String,
        if_not_exists: bool,
    },
    CreateTable {
        db: Option<String>,
        table: String,
        columns: Vec<(String, String)>,
        if_not_exists: bool,
    },
    Insert {
        db: Option<String>,
        table: String,
        rows: Vec<Vec<Value>>,
    },
    SelectAll {
        db: Option<String>,
        table: String,
    },
    Select(Vec<(String, Item)>),
    ShowDatabases,
    ShowTables(Option<String>),
    ShowMasterStatus,
    ShowSlaveStatus,
    ShowBinaryLogs,
    Use(String),
    ChangeMaster(Vec<(String, Value)>),
    StartSlave(Threads),
    StopSlave(Threads),
}

/// A server (or client library) error: code, SQLSTATE, message.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlError(pub u32, pub &'static str, pub String);

impl SqlError {
    /// The client's line for the error: `ERROR 1146 (42S02): Table 'test.x' doesn't exist`.
    pub fn line(&self) -> String {
        format!("ERROR {} ({}): {}\n", self.0, self.1, self.2)
    }

    /// The server went away in the middle of a statement.
    pub fn lost() -> SqlError {
        SqlError(
            2013,
            "HY000",
            "Lost connection to MySQL server during query".into(),
        )
    }
}

fn syntax_error(stmt: &str, at: usize) -> SqlError {
    let near: String = stmt.get(at..).unwrap_or("").chars().take(80).collect();
    SqlError(
        1064,
        "42000",
        format!("You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '{near}' at line 1"),
    )
}

/// A cursor over a statement's tokens.
struct Parser<'s> {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    text: &'s str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn error(&self) -> SqlError {
        let at = self.toks.get(self.pos).map_or(self.text.len(), |(_, o)| *o);
        syntax_error(self.text, at)
    }

    fn keyword(&mut self, kw: &str) -> bool {
        match self.peek() {
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn expect(&mut self, kw: &str) -> Result<(), SqlError> {
        if self.keyword(kw) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn punct(&mut self, p: char) -> bool {
        if self.peek() == Some(&Tok::Punct(p)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Result<String, SqlError> {
        match self.peek().cloned() {
            Some(Tok::Word(w)) | Some(Tok::Quoted(w)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.error()),
        }
    }

    /// `name` or `db.name`.
    fn table_name(&mut self) -> Result<(Option<String>, String), SqlError> {
        let first = self.ident()?;
        if self.punct('.') {
            Ok((Some(first), self.ident()?))
        } else {
            Ok((None, first))
        }
    }

    fn value(&mut self) -> Result<Value, SqlError> {
        let neg = self.punct('-');
        match self.peek().cloned() {
            Some(Tok::Str(s)) if !neg => {
                self.pos += 1;
                Ok(Value::Text(s))
            }
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Value::Number(if neg { format!("-{n}") } else { n }))
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("null") && !neg => {
                self.pos += 1;
                Ok(Value::Null)
            }
            _ => Err(self.error()),
        }
    }

    fn done(&self) -> Result<(), SqlError> {
        if self.pos < self.toks.len() {
            Err(self.error())
        } else {
            Ok(())
        }
    }

    /// `[IO_THREAD | SQL_THREAD [, …]]` after `START SLAVE` / `STOP SLAVE`: both threads when none is named.
    fn threads(&mut self) -> Result<Threads, SqlError> {
        let mut named = Threads {
            io: false,
            sql: false,
        };
        loop {
            if self.keyword("io_thread") {
                named.io = true;
            } else if self.keyword("sql_thread") {
                named.sql = true;
            } else if named.io || named.sql {
                return Err(self.error());
            } else {
                break;
            }
            if !self.punct(',') {
                break;
            }
        }
        if !named.io && !named.sql {
            named = Threads {
                io: true,
                sql: true,
            };
        }
        Ok(named)
    }

    fn if_not_exists(&mut self) -> Result<bool, SqlError> {
        if self.keyword("if") {
            self.expect("not")?;
            self.expect("exists")?;
            return Ok(true);
        }
        Ok(false)
    }
}

/// Parses one statement of the subset the playground runs.
fn parse(text: &str) -> Result<Stmt, SqlError> {
    let toks = tokenize(text).map_err(|at| syntax_error(text, at))?;
    let mut p = Parser { toks, pos: 0, text };
    let stmt = if p.keyword("create") {
        if p.keyword("database") || p.keyword("schema") {
            let if_not_exists = p.if_not_exists()?;
            let name = p.ident()?;
            Stmt::CreateDatabase {
                name,
                if_not_exists,
            }
        } else if p.keyword("table") {
            let if_not_exists = p.if_not_exists()?;
            let (db, table) = p.table_name()?;
            if !p.punct('(') {
                return Err(p.error());
            }
            let mut columns = Vec::new();
            loop {
                let name = p.ident()?;
                let mut ty = p.ident()?.to_uppercase();
                if p.punct('(') {
                    let n = match p.peek().cloned() {
                        Some(Tok::Num(n)) => n,
                        _ => return Err(p.error()),
                    };
                    p.pos += 1;
                    if !p.punct(')') {
                        return Err(p.error());
                    }
                    ty = format!("{ty}({n})");
                }
                // Column attributes (NOT NULL, PRIMARY KEY, …) are accepted and not enforced.
                while matches!(p.peek(), Some(Tok::Word(_))) {
                    p.pos += 1;
                }
                columns.push((name, ty));
                if p.punct(',') {
                    continue;
                }
                if p.punct(')') {
                    break;
                }
                return Err(p.error());
            }
            Stmt::CreateTable {
                db,
                table,
                columns,
                if_not_exists,
            }
        } else {
            return Err(p.error());
        }
    } else if p.keyword("insert") {
        p.expect("into")?;
        let (db, table) = p.table_name()?;
        if !(p.keyword("values") || p.keyword("value")) {
            return Err(p.error());
        }
        let mut rows = Vec::new();
        loop {
            if !p.punct('(') {
                return Err(p.error());
            }
            let mut row = Vec::new();
            loop {
                row.push(p.value()?);
                if p.punct(',') {
                    continue;
                }
                if p.punct(')') {
                    break;
                }
                return Err(p.error());
            }
            rows.push(row);
            if !p.punct(',') {
                break;
            }
        }
        Stmt::Insert { db, table, rows }
    } else if p.keyword("select") {
        if p.punct('*') {
            p.expect("from")?;
            let (db, table) = p.table_name()?;
            Stmt::SelectAll { db, table }
        } else {
            let mut items = Vec::new();
            loop {
                let start = p.toks.get(p.pos).map_or(text.len(), |(_, o)| *o);
                let item = match p.peek().cloned() {
                    Some(Tok::Var(v)) => {
                        p.pos += 1;
                        Item::Var(v.to_lowercase())
                    }
                    Some(Tok::Word(w)) if w.eq_ignore_ascii_case("now") => {
                        p.pos += 1;
                        if !(p.punct('(') && p.punct(')')) {
                            return Err(p.error());
                        }
                        Item::Now
                    }
                    _ => Item::Value(p.value()?),
                };
                let end = p.toks.get(p.pos).map_or(text.len(), |(_, o)| *o);
                let name = match &item {
                    Item::Value(Value::Text(s)) => s.clone(),
                    _ => text.get(start..end).unwrap_or("").trim().to_string(),
                };
                items.push((name, item));
                if !p.punct(',') {
                    break;
                }
            }
            Stmt::Select(items)
        }
    } else if p.keyword("show") {
        if p.keyword("databases") || p.keyword("schemas") {
            Stmt::ShowDatabases
        } else if p.keyword("tables") {
            let db = if p.keyword("from") || p.keyword("in") {
                Some(p.ident()?)
            } else {
                None
            };
            Stmt::ShowTables(db)
        } else if p.keyword("master") {
            if p.keyword("logs") {
                Stmt::ShowBinaryLogs
            } else {
                p.expect("status")?;
                Stmt::ShowMasterStatus
            }
        } else if p.keyword("slave") {
            p.expect("status")?;
            Stmt::ShowSlaveStatus
        } else if p.keyword("binary") {
            p.expect("logs")?;
            Stmt::ShowBinaryLogs
        } else {
            return Err(p.error());
        }
    } else if p.keyword("use") {
        Stmt::Use(p.ident()?)
    } else if p.keyword("change") {
        p.expect("master")?;
        p.expect("to")?;
        let mut opts = Vec::new();
        loop {
            let k = p.ident()?.to_uppercase();
            if !p.punct('=') {
                return Err(p.error());
            }
            opts.push((k, p.value()?));
            if !p.punct(',') {
                break;
            }
        }
        Stmt::ChangeMaster(opts)
    } else if p.keyword("start") {
        p.expect("slave")?;
        Stmt::StartSlave(p.threads()?)
    } else if p.keyword("stop") {
        p.expect("slave")?;
        Stmt::StopSlave(p.threads()?)
    } else {
        return Err(p.error());
    };
    p.done()?;
    Ok(stmt)
}

/// A result set: column names, whether each is numeric (right-aligned in a table), rows.
#[derive(Debug, Clone, PartialEq, Default)]
struct ResultSet {
    columns: Vec<String>,
    numeric: Vec<bool>,
    rows: Vec<Vec<Option<String>>>,
}

/// A text field as a data file (and a binlog line) stores it: tabs, newlines and backslashes escaped.
pub fn encode_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

/// How rows are stored in a table's data file: one line a row, fields tab-separated, escaped as
/// `SELECT … INTO OUTFILE` does.
fn encode_field(v: &Value) -> String {
    match v {
        Value::Null => "\\N".into(),
        Value::Number(s) | Value::Text(s) => encode_text(s),
    }
}

pub fn decode_field(s: &str) -> Option<String> {
    if s == "\\N" {
        return None;
    }
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// One client session on one server.
struct Session {
    server: ContainerRef,
    db: Option<String>,
    /// Applying the master's binlog: read-only does not apply and nothing is logged.
    replicating: bool,
}

impl Session {
    fn fs<'c>(&self, c: &'c mut dyn Node) -> Result<ContainerFs<'c>, SqlError> {
        ContainerFs::open(c, self.server.clone()).ok_or_else(SqlError::lost)
    }

    fn key(&self) -> replication::ServerKey {
        (self.server.uid.clone(), self.server.container.clone())
    }

    fn conf(&self, c: &dyn Node) -> Result<Server, SqlError> {
        c.runtime()
            .mysqld
            .get(&self.key())
            .cloned()
            .ok_or_else(SqlError::lost)
    }

    fn db_of(&self, db: &Option<String>) -> Result<String, SqlError> {
        db.clone()
            .or_else(|| self.db.clone())
            .ok_or_else(|| SqlError(1046, "3D000", "No database selected".into()))
    }

    /// Runs `stmt` (written as `text`): a write a client makes is refused by a read-only server, and on a
    /// server with `log-bin` it goes to the binlog and from there to the replicas reading it.
    fn execute(
        &mut self,
        c: &mut dyn Node,
        stmt: &Stmt,
        text: &str,
    ) -> Result<Option<ResultSet>, SqlError> {
        let conf = self.conf(c)?;
        let writes = matches!(
            stmt,
            Stmt::CreateDatabase { .. } | Stmt::CreateTable { .. } | Stmt::Insert { .. }
        );
        if writes && conf.super_read_only && !self.replicating {
            return Err(SqlError(
                1290,
                "HY000",
                "The MySQL server is running with the --super-read-only option so it cannot execute this statement".into(),
            ));
        }
        let db = self.db.clone().unwrap_or_default();
        let result = self.apply(c, stmt)?;
        if let Some(base) = conf
            .log_bin
            .as_deref()
            .filter(|_| writes && !self.replicating)
        {
            replication::log_event(&mut self.fs(c)?, base, &db, text);
            replication::binlog_written(c, &self.key());
        }
        Ok(result)
    }

    fn apply(&mut self, c: &mut dyn Node, stmt: &Stmt) -> Result<Option<ResultSet>, SqlError> {
        let now = c.now();
        let conf = self.conf(c)?;
        match stmt {
            Stmt::CreateDatabase {
                name,
                if_not_exists,
            } => {
                let mut fs = self.fs(c)?;
                let dir = format!("{DATADIR}/{name}");
                if fs.is_dir(&dir) {
                    if *if_not_exists {
                        return Ok(None);
                    }
                    return Err(SqlError(
                        1007,
                        "HY000",
                        format!("Can't create database '{name}'; database exists"),
                    ));
                }
                let _ = fs.mkdir(&dir, true);
                let _ = fs.write(
                    &format!("{dir}/db.opt"),
                    "default-character-set=latin1\ndefault-collation=latin1_swedish_ci\n",
                    false,
                );
                Ok(None)
            }
            Stmt::CreateTable {
                db,
                table,
                columns,
                if_not_exists,
            } => {
                let db = self.db_of(db)?;
                let mut fs = self.fs(c)?;
                if !fs.is_dir(&format!("{DATADIR}/{db}")) {
                    return Err(SqlError(1049, "42000", format!("Unknown database '{db}'")));
                }
                let frm = format!("{DATADIR}/{db}/{table}.frm");
                if fs.exists(&frm) {
                    if *if_not_exists {
                        return Ok(None);
                    }
                    return Err(SqlError(
                        1050,
                        "42S01",
                        format!("Table '{table}' already exists"),
                    ));
                }
                let text: String = columns.iter().map(|(n, t)| format!("{n}\t{t}\n")).collect();
                let _ = fs.write(&frm, &text, false);
                let _ = fs.write(&format!("{DATADIR}/{db}/{table}.ibd"), "", false);
                Ok(None)
            }
            Stmt::Insert { db, table, rows } => {
                let db = self.db_of(db)?;
                let mut fs = self.fs(c)?;
                let columns = table_columns(&mut fs, &db, table)?;
                let mut text = String::new();
                for (i, row) in rows.iter().enumerate() {
                    if row.len() != columns.len() {
                        return Err(SqlError(
                            1136,
                            "21S01",
                            format!("Column count doesn't match value count at row {}", i + 1),
                        ));
                    }
                    let fields: Vec<String> = row.iter().map(encode_field).collect();
                    text.push_str(&fields.join("\t"));
                    text.push('\n');
                }
                let _ = fs.write(&format!("{DATADIR}/{db}/{table}.ibd"), &text, true);
                Ok(None)
            }
            Stmt::SelectAll { db, table } => {
                let db = self.db_of(db)?;
                let mut fs = self.fs(c)?;
                let columns = table_columns(&mut fs, &db, table)?;
                let data = fs
                    .read(&format!("{DATADIR}/{db}/{table}.ibd"))
                    .unwrap_or_default();
                let rows = data
                    .lines()
                    .map(|l| l.split('\t').map(decode_field).collect())
                    .collect();
                let numeric = columns
                    .iter()
                    .map(|(_, t)| {
                        let t = t.to_uppercase();
                        ["INT", "DECIMAL", "FLOAT", "DOUBLE", "NUMERIC", "BIGINT"]
                            .iter()
                            .any(|n| t.contains(n))
                    })
                    .collect();
                Ok(Some(ResultSet {
                    columns: columns.into_iter().map(|(n, _)| n).collect(),
                    numeric,
                    rows,
                }))
            }
            Stmt::Select(items) => {
                let mut rs = ResultSet::default();
                let mut row = Vec::new();
                for (name, item) in items {
                    let (v, numeric) = match item {
                        Item::Now => (Some(now.strftime("%Y-%m-%d %H:%M:%S")), false),
                        Item::Var(v) => match v
                            .trim_start_matches("global.")
                            .trim_start_matches("session.")
                        {
                            "server_id" => (Some(conf.server_id.to_string()), true),
                            "hostname" => (
                                c.pod(&self.server.namespace, &self.server.pod)
                                    .map(crate::pod_hostname),
                                false,
                            ),
                            "version" => (Some("5.7.44-log".into()), false),
                            "port" => (Some("3306".into()), true),
                            "read_only" | "super_read_only" => {
                                (Some(u8::from(conf.super_read_only).to_string()), true)
                            }
                            "log_bin" => (Some(u8::from(conf.log_bin.is_some()).to_string()), true),
                            other => {
                                return Err(SqlError(
                                    1193,
                                    "HY000",
                                    format!("Unknown system variable '{other}'"),
                                ))
                            }
                        },
                        Item::Value(Value::Null) => (None, false),
                        Item::Value(Value::Number(n)) => (Some(n.clone()), true),
                        Item::Value(Value::Text(s)) => (Some(s.clone()), false),
                    };
                    rs.columns.push(name.clone());
                    rs.numeric.push(numeric);
                    row.push(v);
                }
                rs.rows.push(row);
                Ok(Some(rs))
            }
            Stmt::ShowDatabases => {
                let mut fs = self.fs(c)?;
                let mut names: Vec<String> = fs
                    .list(DATADIR)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|n| fs.is_dir(&format!("{DATADIR}/{n}")))
                    .collect();
                ordinal_api::sort::sort(&mut names);
                names.insert(0, "information_schema".into());
                Ok(Some(ResultSet {
                    columns: vec!["Database".into()],
                    numeric: vec![false],
                    rows: names.into_iter().map(|n| vec![Some(n)]).collect(),
                }))
            }
            Stmt::ShowTables(db) => {
                let db = self.db_of(db)?;
                let mut fs = self.fs(c)?;
                if !fs.is_dir(&format!("{DATADIR}/{db}")) {
                    return Err(SqlError(1049, "42000", format!("Unknown database '{db}'")));
                }
                let names: Vec<String> = fs
                    .list(&format!("{DATADIR}/{db}"))
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|n| n.strip_suffix(".frm").map(str::to_string))
                    .collect();
                if names.is_empty() {
                    return Ok(None);
                }
                Ok(Some(ResultSet {
                    columns: vec![format!("Tables_in_{db}")],
                    numeric: vec![false],
                    rows: names.into_iter().map(|n| vec![Some(n)]).collect(),
                }))
            }
            Stmt::Use(db) => {
                let mut fs = self.fs(c)?;
                if !fs.is_dir(&format!("{DATADIR}/{db}")) {
                    return Err(SqlError(1049, "42000", format!("Unknown database '{db}'")));
                }
                self.db = Some(db.clone());
                Ok(None)
            }
            Stmt::ChangeMaster(opts) => {
                let opts: Vec<(String, String)> = opts
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::Null => String::new(),
                            Value::Number(s) | Value::Text(s) => s.clone(),
                        };
                        (k.clone(), v)
                    })
                    .collect();
                replication::change_master(c, &self.key(), &opts)?;
                Ok(None)
            }
            Stmt::StartSlave(threads) => {
                replication::start_slave(c, &self.key(), *threads)?;
                c.runtime_changed();
                Ok(None)
            }
            Stmt::StopSlave(threads) => {
                replication::stop_slave(c, &self.key(), *threads);
                c.runtime_changed();
                Ok(None)
            }
            Stmt::ShowSlaveStatus => {
                let Some(fields) = replication::slave_status(c, &self.key()) else {
                    return Ok(Some(ResultSet::default()));
                };
                Ok(Some(ResultSet {
                    columns: fields.iter().map(|(n, _, _)| (*n).to_string()).collect(),
                    numeric: fields.iter().map(|(_, _, num)| *num).collect(),
                    rows: vec![fields.into_iter().map(|(_, v, _)| v).collect()],
                }))
            }
            Stmt::ShowMasterStatus => {
                let mut rs = ResultSet {
                    columns: [
                        "File",
                        "Position",
                        "Binlog_Do_DB",
                        "Binlog_Ignore_DB",
                        "Executed_Gtid_Set",
                    ]
                    .map(str::to_string)
                    .to_vec(),
                    numeric: vec![false, true, false, false, false],
                    rows: Vec::new(),
                };
                if let Some(base) = &conf.log_bin {
                    if let Some((file, pos)) = replication::binlog_end(&mut self.fs(c)?, base) {
                        let empty = Some(String::new());
                        rs.rows.push(vec![
                            Some(file),
                            Some(pos.to_string()),
                            empty.clone(),
                            empty.clone(),
                            empty,
                        ]);
                    }
                }
                Ok(Some(rs))
            }
            Stmt::ShowBinaryLogs => {
                let Some(base) = &conf.log_bin else {
                    return Err(SqlError(
                        1381,
                        "HY000",
                        "You are not using binary logging".into(),
                    ));
                };
                let logs = replication::binlog_sizes(&mut self.fs(c)?, base);
                Ok(Some(ResultSet {
                    columns: vec!["Log_name".into(), "File_size".into()],
                    numeric: vec![false, true],
                    rows: logs
                        .into_iter()
                        .map(|(f, size)| vec![Some(f), Some(size.to_string())])
                        .collect(),
                }))
            }
        }
    }
}

/// Applies one event of a primary's binlog on a replica (the SQL thread), in the database it ran in. A failure
/// says whether the event was a row event (an INSERT, under 5.7's default row-based logging) or a query event.
pub fn replay(
    c: &mut dyn Node,
    server: &ContainerRef,
    db: &str,
    sql: &str,
) -> Result<(), (SqlError, bool)> {
    let stmt = parse(sql).map_err(|e| (e, false))?;
    let row_event = matches!(stmt, Stmt::Insert { .. });
    let mut session = Session {
        server: server.clone(),
        db: Some(db.to_string()).filter(|d| !d.is_empty()),
        replicating: true,
    };
    session
        .execute(c, &stmt, sql)
        .map(|_| ())
        .map_err(|e| (e, row_event))
}

fn table_columns(
    fs: &mut ContainerFs<'_>,
    db: &str,
    table: &str,
) -> Result<Vec<(String, String)>, SqlError> {
    let frm = fs
        .read(&format!("{DATADIR}/{db}/{table}.frm"))
        .map_err(|_| SqlError(1146, "42S02", format!("Table '{db}.{table}' doesn't exist")))?;
    Ok(frm
        .lines()
        .map(|l| {
            let (n, t) = l.split_once('\t').unwrap_or((l, ""));
            (n.to_string(), t.to_string())
        })
        .collect())
}

// ---- the client programs ----

/// One statement of the client's input: the line it starts on, its text, and whether it ended with `\G`
/// (print its result one field a line).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Statement {
    line: usize,
    text: String,
    vertical: bool,
}

/// Splits the client's input into statements at `;`, `\g` and `\G` outside quotes.
fn statements(input: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut line = 1;
    let mut start_line = None;
    let mut quote: Option<char> = None;
    let mut chars = input.chars().peekable();
    let mut end = |cur: &mut String, start_line: &mut Option<usize>, line: usize, vertical| {
        if !cur.trim().is_empty() {
            out.push(Statement {
                line: start_line.unwrap_or(line),
                text: cur.trim().to_string(),
                vertical,
            });
        }
        cur.clear();
        *start_line = None;
    };
    while let Some(ch) = chars.next() {
        if ch == '\n' {
            line += 1;
        }
        if let Some(q) = quote {
            cur.push(ch);
            if ch == '\\' {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            } else if ch == q {
                quote = None;
            }
            continue;
        }
        if ch == ';' {
            end(&mut cur, &mut start_line, line, false);
            continue;
        }
        if ch == '\\' && matches!(chars.peek(), Some('g' | 'G')) {
            let vertical = chars.next() == Some('G');
            end(&mut cur, &mut start_line, line, vertical);
            continue;
        }
        if matches!(ch, '\'' | '"' | '`') {
            quote = Some(ch);
        }
        if start_line.is_none() && !ch.is_whitespace() {
            start_line = Some(line);
        }
        cur.push(ch);
    }
    end(&mut cur, &mut start_line, line, false);
    out
}

/// `mysql`'s vertical output (`\G`, `--vertical`): a header line for each row, then each field as
/// `name: value`, the names right-aligned to the longest; with `--skip-column-names` the values alone
/// (client/mysql.cc `print_table_data_vertically`).
fn vertical_rows(rs: &ResultSet, column_names: bool) -> String {
    let width = rs
        .columns
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (i, row) in rs.rows.iter().enumerate() {
        out.push_str(&format!(
            "*************************** {}. row ***************************\n",
            i + 1
        ));
        for (name, v) in rs.columns.iter().zip(row) {
            if column_names {
                out.push_str(&format!("{name:>width$}: "));
            }
            out.push_str(v.as_deref().unwrap_or("NULL"));
            out.push('\n');
        }
    }
    out
}

/// `mysql`'s bordered table (client/mysql.cc `print_table_data`): numbers right-aligned; with
/// `--skip-column-names` no header row, and the names no longer widen the columns.
fn table(rs: &ResultSet, column_names: bool) -> String {
    let cell = |v: &Option<String>| v.clone().unwrap_or_else(|| "NULL".into());
    let widths: Vec<usize> = rs
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let named = if column_names {
                name.chars().count()
            } else {
                0
            };
            rs.rows
                .iter()
                .map(|r| r.get(i).map_or(0, |v| cell(v).chars().count()))
                .chain(std::iter::once(named))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let border: String = widths
        .iter()
        .map(|w| format!("+{}", "-".repeat(w + 2)))
        .collect::<String>()
        + "+\n";
    let line = |cells: Vec<String>, numeric: &[bool]| -> String {
        let mut s = String::new();
        for (i, (v, w)) in cells.iter().zip(&widths).enumerate() {
            if numeric.get(i).copied().unwrap_or(false) {
                s.push_str(&format!("| {v:>w$} "));
            } else {
                s.push_str(&format!("| {v:<w$} "));
            }
        }
        s + "|\n"
    };
    let mut out = border.clone();
    if column_names {
        out.push_str(&line(rs.columns.clone(), &[]));
        out.push_str(&border);
    }
    for r in &rs.rows {
        out.push_str(&line(r.iter().map(cell).collect(), &rs.numeric));
    }
    out.push_str(&border);
    out
}

/// `mysql`'s tab-separated output (client/mysql.cc `print_tab_data`): the names as a first line unless `-ss`
/// or `--skip-column-names`, then the rows; without `--raw` a NUL, tab, newline and backslash in a value are
/// written as `\0`, `\t`, `\n`, `\\` (`safe_put_field`).
fn tab_data(rs: &ResultSet, header: bool, raw: bool) -> String {
    let field = |v: &Option<String>| match v {
        None => "NULL".to_string(),
        Some(s) if raw => s.clone(),
        Some(s) => s
            .replace('\\', "\\\\")
            .replace('\0', "\\0")
            .replace('\t', "\\t")
            .replace('\n', "\\n"),
    };
    let mut out = String::new();
    if header {
        out.push_str(&rs.columns.join("\t"));
        out.push('\n');
    }
    for r in &rs.rows {
        out.push_str(&r.iter().map(field).collect::<Vec<_>>().join("\t"));
        out.push('\n');
    }
    out
}

/// `-p`: no password, one given with it, or one to ask for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Password {
    #[default]
    None,
    Given(String),
    Prompt,
}

/// The `mysql` client's options, read as my_getopt reads them (client/mysql.cc `my_long_options`,
/// `get_one_option`, `get_options`): short options bundle (`-sN`), an option that takes a value takes the rest
/// of its word or the next word (`-hmysql-0`, `-h mysql-0`), `-p` takes only the rest of its word (`-p secret`
/// is `-p` and the database `secret`), long options take `=value` or the next word and may be shortened to a
/// unique prefix, and a boolean takes `--skip-`, `--disable-` or `--enable-`. One word that is not an option is
/// the database.
#[derive(Debug, Clone, Default)]
struct ClientArgs {
    server_host: Option<String>,
    port: u16,
    user: Option<String>,
    password: Password,
    execute: Option<String>,
    database: Option<String>,
    /// `-B`: batch mode even with a terminal; it also sets `silent` to at least 1.
    batch: bool,
    /// How many `-s` (`--silent`).
    silent: u32,
    /// How many `-v` (`--verbose`).
    verbose: u32,
    /// `-t`: bordered tables even in batch mode.
    table: bool,
    /// `-r`: values without escaping.
    raw: bool,
    /// `-E`, `--vertical`: every result one field a line, as after `\G`.
    vertical: bool,
    /// Cleared by `-N`, `--skip-column-names`.
    column_names: bool,
    force: bool,
    version: bool,
}

/// The client's long options: name, short letter (`' '` for none), and what it takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    Nothing,
    /// A boolean: also `--skip-NAME`, `--disable-NAME`, `--enable-NAME`, `--NAME=0|1`.
    Flag,
    Value,
    /// `--password[=VALUE]`: a value only after `=`.
    Optional,
}

const LONG_OPTIONS: &[(&str, char, Takes)] = &[
    ("host", 'h', Takes::Value),
    ("port", 'P', Takes::Value),
    ("user", 'u', Takes::Value),
    ("password", 'p', Takes::Optional),
    ("database", 'D', Takes::Value),
    ("execute", 'e', Takes::Value),
    ("batch", 'B', Takes::Nothing),
    ("silent", 's', Takes::Nothing),
    ("verbose", 'v', Takes::Nothing),
    ("version", 'V', Takes::Nothing),
    ("table", 't', Takes::Flag),
    ("raw", 'r', Takes::Flag),
    ("vertical", 'E', Takes::Flag),
    ("column-names", ' ', Takes::Flag),
    ("skip-column-names", 'N', Takes::Nothing),
    ("force", 'f', Takes::Flag),
    ("socket", 'S', Takes::Value),
    ("protocol", ' ', Takes::Value),
    ("default-character-set", ' ', Takes::Value),
    ("connect-timeout", ' ', Takes::Value),
    ("no-auto-rehash", 'A', Takes::Nothing),
    ("auto-rehash", ' ', Takes::Flag),
    ("compress", 'C', Takes::Flag),
    ("comments", 'c', Takes::Flag),
    ("quick", 'q', Takes::Flag),
    ("unbuffered", 'n', Takes::Flag),
    ("no-beep", 'b', Takes::Flag),
    ("wait", 'w', Takes::Nothing),
    ("skip-line-numbers", 'L', Takes::Nothing),
    ("line-numbers", ' ', Takes::Flag),
    ("show-warnings", ' ', Takes::Flag),
    ("ssl-mode", ' ', Takes::Value),
    ("prompt", ' ', Takes::Value),
];

/// The client's version line (`mysql -V`, the first line of its help): the 5.7.44 client of the mysql:5.7
/// image, built with the EditLine wrapper.
const MYSQL_VERSION_LINE: &str =
    "mysql  Ver 14.14 Distrib 5.7.44, for Linux (x86_64) using  EditLine wrapper\n";

impl ClientArgs {
    /// `Err`: what the client prints before it exits, and its status (my_getopt's `EXIT_UNKNOWN_OPTION` 2,
    /// `EXIT_ARGUMENT_REQUIRED` 5, mysql's usage 1).
    fn parse(args: &[String]) -> Result<ClientArgs, Output> {
        let mut o = ClientArgs {
            port: 3306,
            column_names: true,
            ..ClientArgs::default()
        };
        let mut positional: Vec<String> = Vec::new();
        let mut i = 0;
        let required = |what: String| {
            Output::failed(
                format!("mysql: [ERROR] mysql: option '{what}' requires an argument\n"),
                5,
            )
        };
        while i < args.len() {
            let a = args[i].clone();
            i += 1;
            if a == "--" {
                positional.extend(args[i..].iter().cloned());
                break;
            }
            if let Some(long) = a.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, v)) => (n.replace('_', "-"), Some(v.to_string())),
                    None => (long.replace('_', "-"), None),
                };
                // `--skip-NAME`, `--disable-NAME` turn a boolean off, `--enable-NAME` on.
                let (name, negated) = match ["skip-", "disable-", "enable-"]
                    .iter()
                    .find_map(|p| name.strip_prefix(p).map(|rest| (*p, rest.to_string())))
                {
                    Some((prefix, rest)) if !LONG_OPTIONS.iter().any(|(n, _, _)| *n == name) => {
                        (rest, prefix != "enable-")
                    }
                    _ => (name.clone(), false),
                };
                let matches: Vec<&(&str, char, Takes)> =
                    match LONG_OPTIONS.iter().find(|(n, _, _)| *n == name) {
                        Some(exact) => vec![exact],
                        None => LONG_OPTIONS
                            .iter()
                            .filter(|(n, _, _)| n.starts_with(name.as_str()))
                            .collect(),
                    };
                let &(full, short, takes) = match matches.as_slice() {
                    [one] => *one,
                    [] => {
                        return Err(Output::failed(
                            format!("mysql: [ERROR] unknown option '--{long}'\n"),
                            2,
                        ))
                    }
                    several => {
                        let names: Vec<&str> = several.iter().map(|(n, _, _)| *n).collect();
                        return Err(Output::failed(
                            format!(
                                "mysql: [ERROR] ambiguous option '--{long}' ({})\n",
                                names.join(", ")
                            ),
                            3,
                        ));
                    }
                };
                if negated && takes != Takes::Flag {
                    return Err(Output::failed(
                        format!("mysql: [ERROR] unknown option '--{long}'\n"),
                        2,
                    ));
                }
                let value = match takes {
                    Takes::Value => match inline {
                        Some(v) => Some(v),
                        None => match args.get(i) {
                            Some(v) => {
                                i += 1;
                                Some(v.clone())
                            }
                            None => return Err(required(format!("--{full}"))),
                        },
                    },
                    Takes::Flag => {
                        let on = !negated
                            && !matches!(inline.as_deref(), Some("0" | "false" | "off" | "OFF"));
                        Some(if on { "1" } else { "0" }.to_string())
                    }
                    Takes::Optional | Takes::Nothing => inline,
                };
                o.set(full, short, value);
                continue;
            }
            let Some(shorts) = a.strip_prefix('-').filter(|s| !s.is_empty()) else {
                positional.push(a);
                continue;
            };
            let chars: Vec<char> = shorts.chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                let Some(&(full, _, takes)) = LONG_OPTIONS.iter().find(|(_, s, _)| *s == c) else {
                    return Err(Output::failed(
                        format!("mysql: [ERROR] mysql: unknown option '-{c}'\n"),
                        2,
                    ));
                };
                let rest: String = chars[j..].iter().collect();
                let value = match takes {
                    Takes::Value => {
                        j = chars.len();
                        if !rest.is_empty() {
                            Some(rest)
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            Some(v.clone())
                        } else {
                            return Err(required(format!("-{c}")));
                        }
                    }
                    Takes::Optional => {
                        j = chars.len();
                        (!rest.is_empty()).then_some(rest)
                    }
                    Takes::Flag => Some("1".to_string()),
                    Takes::Nothing => None,
                };
                o.set(full, c, value);
            }
        }
        if positional.len() > 1 {
            return Err(Output::failed(
                format!("{MYSQL_VERSION_LINE}Copyright (c) 2000, 2023, Oracle and/or its affiliates.\n\nUsage: mysql [OPTIONS] [database]\n"),
                1,
            ));
        }
        if let Some(db) = positional.pop() {
            o.database = Some(db);
        }
        Ok(o)
    }

    fn set(&mut self, name: &str, short: char, value: Option<String>) {
        let on = value.as_deref() != Some("0");
        match (name, short) {
            ("host", _) => self.server_host = value,
            ("port", _) => self.port = value.and_then(|p| p.trim().parse().ok()).unwrap_or(3306),
            ("user", _) => self.user = value,
            ("password", _) => {
                self.password = match value {
                    Some(v) => Password::Given(v),
                    None => Password::Prompt,
                }
            }
            ("database", _) => self.database = value,
            // Every `-e` adds its statements, as `batch_readline_command` appends them.
            ("execute", _) => {
                let sql = value.unwrap_or_default();
                self.execute = Some(match self.execute.take() {
                    Some(before) => format!("{before}\n{sql}"),
                    None => sql,
                });
            }
            ("batch", _) => self.batch = true,
            ("silent", _) => self.silent += 1,
            ("verbose", _) => self.verbose += 1,
            ("version", _) => self.version = true,
            ("table", _) => self.table = on,
            ("raw", _) => self.raw = on,
            ("vertical", _) => self.vertical = on,
            ("column-names", _) => self.column_names = on,
            ("skip-column-names", _) => self.column_names = false,
            ("force", _) => self.force = on,
            _ => {}
        }
    }

    fn via(&self) -> Via {
        match self.server_host.as_deref() {
            None | Some("localhost") => Via::Socket,
            Some(h) => Via::Tcp(h.to_string(), self.port),
        }
    }

    /// How results print: `tty` is whether the client's stdin and stdout are a terminal (`main` sets batch mode
    /// and one `-s` without one; `-e` and `-B` set batch mode, `-B` also one `-s`).
    fn printing(&self, tty: bool) -> Printing {
        let batch = !tty || self.execute.is_some() || self.batch;
        let mut silent = u32::from(!tty) + self.silent;
        if self.batch {
            silent = silent.max(1);
        }
        Printing {
            batch,
            silent,
            verbose: self.verbose,
            table: self.table,
            raw: self.raw,
            vertical: self.vertical,
            column_names: self.column_names,
        }
    }
}

/// How the client prints what a statement returned (client/mysql.cc `com_go`, `put_info`).
#[derive(Debug, Clone, Copy)]
struct Printing {
    batch: bool,
    silent: u32,
    verbose: u32,
    table: bool,
    raw: bool,
    vertical: bool,
    column_names: bool,
}

impl Printing {
    /// The rows of a result: vertically (`-E`, `\G`), tab-separated when silent (`-s`, batch mode) unless
    /// `-t` or `-vvv`, else bordered.
    fn rows(&self, rs: &ResultSet, vertical: bool) -> String {
        if vertical || self.vertical {
            vertical_rows(rs, self.column_names)
        } else if self.silent > 0 && self.verbose <= 2 && !self.table {
            tab_data(rs, self.silent < 2 && self.column_names, self.raw)
        } else {
            table(rs, self.column_names)
        }
    }

    /// The line after a statement (`1 row in set (0.00 sec)`, `Query OK, …`) and the empty line after it:
    /// in batch mode only with `-vv`, in the monitor unless `-s`; the time only with `-vvv` or when not silent.
    fn summary(&self, what: &str, took: &str) -> String {
        let shown = if self.batch {
            self.verbose > 1
        } else {
            self.silent == 0
        };
        if !shown {
            return String::new();
        }
        let (head, info) = what.split_once('\n').unwrap_or((what, ""));
        let mut out = if self.verbose >= 3 || self.silent == 0 {
            format!("{head} ({took} sec)\n")
        } else {
            format!("{head}\n")
        };
        if !info.is_empty() {
            out.push_str(info);
            out.push('\n');
        }
        out.push('\n');
        out
    }

    /// `-v`: the statement between dashes before it runs (client/mysql.cc `com_print`).
    fn echo(&self, text: &str) -> String {
        if self.verbose == 0 {
            return String::new();
        }
        format!("--------------\n{text}\n--------------\n\n")
    }

    /// Prints a statement's outcome: rows, then the summary.
    fn outcome(&self, stmt: &Stmt, result: Option<ResultSet>, vertical: bool) -> String {
        match result {
            Some(rs) if rs.rows.is_empty() => self.summary("Empty set", "0.00"),
            Some(rs) => {
                let n = rs.rows.len();
                let mut out = self.rows(&rs, vertical);
                out.push_str(&self.summary(
                    &format!("{n} {} in set", if n == 1 { "row" } else { "rows" }),
                    "0.00",
                ));
                out
            }
            None => match stmt {
                // com_use prints this itself, outside batch mode and unless silent.
                Stmt::Use(_) if !self.batch && self.silent == 0 => "Database changed\n".to_string(),
                Stmt::Use(_) => String::new(),
                Stmt::CreateDatabase { .. } => self.summary("Query OK, 1 row affected", "0.00"),
                Stmt::Insert { rows, .. } if rows.len() > 1 => self.summary(
                    &format!(
                        "Query OK, {n} rows affected\nRecords: {n}  Duplicates: 0  Warnings: 0",
                        n = rows.len()
                    ),
                    "0.01",
                ),
                Stmt::Insert { .. } => self.summary("Query OK, 1 row affected", "0.01"),
                _ => self.summary("Query OK, 0 rows affected", "0.02"),
            },
        }
    }
}

/// The accounts file of a data directory: what the entrypoint created at initialization.
const ACCOUNTS: &str = "mysql/user.MYD";

/// The accounts the mysql image's entrypoint creates when it initializes a data directory
/// (docker-library/mysql 5.7 `docker-entrypoint.sh`): `root` with `MYSQL_ROOT_PASSWORD` (empty with
/// `MYSQL_ALLOW_EMPTY_PASSWORD`, random with `MYSQL_RANDOM_ROOT_PASSWORD`), and `MYSQL_USER` with
/// `MYSQL_PASSWORD`. Kept as `user<TAB>digest of the password` lines.
fn initial_accounts(env: &BTreeMap<String, String>, seed: &str) -> String {
    let root = match env.get("MYSQL_ROOT_PASSWORD") {
        Some(p) => p.clone(),
        None if env.contains_key("MYSQL_RANDOM_ROOT_PASSWORD") => {
            crate::sha256::hex_digest(&format!("random root password {seed}"))
        }
        None => String::new(),
    };
    let mut out = format!("root\t{}\n", password_digest(&root));
    if let (Some(user), Some(password)) = (env.get("MYSQL_USER"), env.get("MYSQL_PASSWORD")) {
        if !user.is_empty() && user != "root" {
            out.push_str(&format!("{user}\t{}\n", password_digest(password)));
        }
    }
    out
}

/// What the accounts file keeps of a password: nothing for none, a digest otherwise.
fn password_digest(password: &str) -> String {
    if password.is_empty() {
        String::new()
    } else {
        crate::sha256::hex_digest(password)
    }
}

/// Logs in to `server` as `user` with `password` from `client_host` (`localhost` over the socket or the
/// loopback, else the client's address): the server's accounts decide, and a refusal is error 1045. A data
/// directory from before accounts were kept has `root` without a password.
fn authenticate(
    c: &mut dyn Node,
    server: &ContainerRef,
    user: &str,
    password: &str,
    client_host: &str,
) -> Result<(), SqlError> {
    let accounts = ContainerFs::open(c, server.clone())
        .and_then(|mut fs| fs.read(&format!("{DATADIR}/{ACCOUNTS}")).ok())
        .unwrap_or_else(|| "root\t\n".to_string());
    let known = accounts
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .any(|(u, digest)| u == user && digest == password_digest(password));
    if known {
        return Ok(());
    }
    Err(SqlError(
        1045,
        "28000",
        format!(
            "Access denied for user '{user}'@'{client_host}' (using password: {})",
            if password.is_empty() { "NO" } else { "YES" }
        ),
    ))
}

/// Whether a client in `host`'s container connects to the server at `name:port` and logs in as `user` with
/// `password`: what an application needs of its database (WordPress's wp-config.php settings).
pub fn can_log_in(
    host: &mut ContainerHost<'_>,
    name: &str,
    port: u16,
    user: &str,
    password: &str,
) -> bool {
    let Ok(server) = connect(host, &Via::Tcp(name.to_string(), port)) else {
        return false;
    };
    authenticate(host.fs.node(), &server, user, password, "").is_ok()
}

/// Connects and logs in as the client's options say: the server, or the error the client prints.
fn log_in(
    host: &mut ContainerHost<'_>,
    options: &ClientArgs,
    password: &str,
) -> Result<ContainerRef, SqlError> {
    let via = options.via();
    let server = connect(host, &via)?;
    let client_host = match &via {
        Via::Socket => "localhost".to_string(),
        Via::Tcp(name, _) => {
            let loopback = name == "localhost"
                || host
                    .resolve_host(name)
                    .and_then(|ips| ips.first().cloned())
                    .is_some_and(|ip| ip.starts_with("127."));
            if loopback {
                "localhost".to_string()
            } else {
                let me = host.fs.target.clone();
                host.fs
                    .node_ref()
                    .pod(&me.namespace, &me.pod)
                    .and_then(|p| p.status.pod_ip.clone())
                    .unwrap_or_default()
            }
        }
    };
    // The client logs in as the user it runs as when `-u` is not given: root in these containers.
    let user = options.user.clone().unwrap_or_else(|| "root".to_string());
    authenticate(host.fs.node(), &server, &user, password, &client_host)?;
    Ok(server)
}

/// What the client prints on stderr before it connects: the warning for a password typed on the command
/// line (client_priv `print_cmdline_password_warning`).
fn password_warning(options: &ClientArgs) -> &'static str {
    match &options.password {
        Password::Given(p) if !p.is_empty() => {
            "mysql: [Warning] Using a password on the command line interface can be insecure.\n"
        }
        _ => "",
    }
}

/// Whether `mysql ARGS` would run statements it is given (`-e`) rather than read them from the terminal.
pub fn executes(args: &[String]) -> bool {
    ClientArgs::parse(args).is_ok_and(|o| o.execute.is_some() || o.version)
}

/// The client's interactive monitor (`kubectl exec -it POD -- mysql`): statements typed a line at a time,
/// each answered as the monitor answers, with its row counts.
#[derive(Debug, Clone)]
pub struct Monitor {
    options: ClientArgs,
    db: Option<String>,
    /// `-p` without a value: the first line typed is the password (`get_tty_password`), then it connects.
    awaiting_password: bool,
    password: String,
    /// The login was refused: the client exits with status 1.
    refused: bool,
    /// The statement typed so far, until its `;`.
    pending: String,
}

impl Monitor {
    /// Starts the client on a terminal: the monitor and what it printed (its welcome, or `Enter password: `
    /// first with `-p`), or the client's error.
    pub fn open(
        host: &mut ContainerHost<'_>,
        args: &[String],
    ) -> Result<(Monitor, String), String> {
        let options = ClientArgs::parse(args).map_err(|o| o.stderr())?;
        let warning = password_warning(&options).to_string();
        let mut monitor = Monitor {
            db: None,
            awaiting_password: options.password == Password::Prompt,
            password: match &options.password {
                Password::Given(p) => p.clone(),
                _ => String::new(),
            },
            options,
            pending: String::new(),
            refused: false,
        };
        if monitor.awaiting_password {
            return Ok((monitor, format!("{warning}Enter password: ")));
        }
        let welcome = monitor.connect(host).map_err(|e| format!("{warning}{e}"))?;
        Ok((monitor, format!("{warning}{welcome}")))
    }

    /// Connects and logs in, then uses the database named on the command line: the welcome, or the error.
    fn connect(&mut self, host: &mut ContainerHost<'_>) -> Result<String, String> {
        let server = log_in(host, &self.options, &self.password).map_err(|e| e.line())?;
        let id = 2 + host.fs.node_ref().runtime().mysqld.len();
        if let Some(db) = self.options.database.clone() {
            let cluster = host.fs.node();
            let mut session = Session {
                server,
                db: None,
                replicating: false,
            };
            if let Err(e) = session.execute(cluster, &Stmt::Use(db.clone()), "") {
                return Err(e.line());
            }
            self.db = Some(db);
        }
        if self.options.silent > 0 {
            return Ok(String::new());
        }
        Ok(format!(
            "Welcome to the MySQL monitor.  Commands end with ; or \\g.\nYour MySQL connection id is {id}\nServer version: 5.7.44 MySQL Community Server (GPL)\n\nCopyright (c) 2000, 2023, Oracle and/or its affiliates.\n\nOracle is a registered trademark of Oracle Corporation and/or its\naffiliates. Other names may be trademarks of their respective\nowners.\n\nType 'help;' or '\\h' for help. Type '\\c' to clear the current input statement.\n\n"
        ))
    }

    /// The prompt: `Enter password: ` first with `-p`, then `mysql> `, or `    -> ` while a statement goes on.
    pub fn prompt(&self) -> &'static str {
        if self.awaiting_password {
            "Enter password: "
        } else if self.pending.trim().is_empty() {
            "mysql> "
        } else {
            "    -> "
        }
    }

    /// How the client exits once the monitor has closed: 1 after a refused login, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.refused)
    }

    /// Whether the next line is a password, which the terminal does not echo.
    pub fn reads_secret(&self) -> bool {
        self.awaiting_password
    }

    /// One typed line: what the monitor prints, and whether it is still open (`exit`, `quit` and `\q` leave
    /// it with "Bye"; a refused login ends it).
    pub fn line(&mut self, host: &mut ContainerHost<'_>, text: &str) -> (String, bool) {
        if self.awaiting_password {
            self.awaiting_password = false;
            self.password = text.to_string();
            // The terminal did not echo the password, so the line ends here.
            return match self.connect(host) {
                Ok(welcome) => (format!("\n{welcome}"), true),
                Err(e) => {
                    self.refused = true;
                    (format!("\n{e}"), false)
                }
            };
        }
        let word = text.trim().trim_end_matches(';').trim();
        if self.pending.trim().is_empty() && matches!(word, "exit" | "quit" | "\\q") {
            // mysql_end: `put_info("Bye", INFO_RESULT)`, which `-s` silences.
            let bye = if self.options.silent == 0 {
                "Bye\n"
            } else {
                ""
            };
            return (bye.to_string(), false);
        }
        if text.trim() == "\\c" {
            self.pending.clear();
            return (String::new(), true);
        }
        self.pending.push_str(text);
        self.pending.push('\n');
        let complete = {
            let t = self.pending.trim_end();
            t.ends_with(';') || t.ends_with("\\g") || t.ends_with("\\G")
        };
        if !complete {
            return (String::new(), true);
        }
        let input = std::mem::take(&mut self.pending);
        let server = match connect(host, &self.options.via()) {
            Ok(server) => server,
            Err(e) => return (format!("{}{}", SqlError::lost().line(), e.line()), true),
        };
        let printing = self.options.printing(true);
        let cluster = host.fs.node();
        let mut session = Session {
            server,
            db: self.db.clone(),
            replicating: false,
        };
        let mut out = String::new();
        for statement in statements(&input) {
            let stmt = match parse(&statement.text) {
                Ok(stmt) => stmt,
                Err(e) => {
                    out.push_str(&e.line());
                    continue;
                }
            };
            out.push_str(&printing.echo(&statement.text));
            match session.execute(cluster, &stmt, &statement.text) {
                Ok(result) => out.push_str(&printing.outcome(&stmt, result, statement.vertical)),
                Err(e) => out.push_str(&e.line()),
            }
        }
        self.db = session.db;
        (out, true)
    }
}

/// `mysql [OPTIONS] [DB]`: statements from `-e` or stdin against the server it connects to, printed as the
/// options ask (see `ClientArgs`, `Printing`). Batch mode stops at the first error, as the real client does
/// without `--force`.
pub fn client(host: &mut ContainerHost<'_>, args: &[String], stdin: Option<&str>) -> Output {
    let options = match ClientArgs::parse(args) {
        Ok(o) => o,
        Err(out) => return out,
    };
    if options.version {
        return Output::ok(MYSQL_VERSION_LINE.to_string());
    }
    let mut out = Output::default();
    // Printed as the client starts, ahead of any result.
    out.push_stderr(password_warning(&options));
    let mut stdin = stdin.unwrap_or("").to_string();
    // `-p` alone: `get_tty_password` asks on the terminal, or without one reads a line of stdin.
    let password = match &options.password {
        Password::Given(p) => p.clone(),
        Password::None => String::new(),
        Password::Prompt => {
            out.push_stderr("Enter password: ");
            let (line, rest) = stdin.split_once('\n').unwrap_or((&stdin, ""));
            let line = line.to_string();
            stdin = rest.to_string();
            line
        }
    };
    let printing = options.printing(host.tty);
    let server = match log_in(host, &options, &password) {
        Ok(s) => s,
        Err(e) => {
            out.push_stderr(&e.line());
            out.status = 1;
            return out;
        }
    };
    let input = match &options.execute {
        Some(sql) => sql.clone(),
        None => stdin,
    };
    let cluster = host.fs.node();
    let mut session = Session {
        server,
        db: None,
        replicating: false,
    };
    if let Some(db) = options.database.clone() {
        if let Err(e) = session.execute(cluster, &Stmt::Use(db), "") {
            out.push_stderr(&e.line());
            out.status = 1;
            return out;
        }
    }
    for Statement {
        line,
        text,
        vertical,
    } in statements(&input)
    {
        out.push_stdout(&printing.echo(&text));
        let parsed = parse(&text);
        let result = parsed
            .clone()
            .and_then(|stmt| session.execute(cluster, &stmt, &text));
        match (parsed, result) {
            (Ok(stmt), Ok(result)) => {
                out.push_stdout(&printing.outcome(&stmt, result, vertical));
            }
            (_, Err(SqlError(code, state, msg))) | (Err(SqlError(code, state, msg)), _) => {
                out.push_stderr(&format!("ERROR {code} ({state}) at line {line}: {msg}\n"));
                out.status = 1;
                if !options.force {
                    break;
                }
            }
        }
    }
    out
}

/// `mysqladmin ping` (and `status`) against the local server.
pub fn admin(host: &mut ContainerHost<'_>, args: &[String]) -> Output {
    let mut server_host = None;
    let mut command = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "-h" || a == "--host" {
            i += 1;
            server_host = args.get(i).cloned();
        } else if let Some(h) = a
            .strip_prefix("--host=")
            .or(a.strip_prefix("-h").filter(|h| !h.is_empty()))
        {
            server_host = Some(h.to_string());
        } else if !a.starts_with('-') && command.is_none() {
            command = Some(a.to_string());
        }
        i += 1;
    }
    let via = match server_host.as_deref() {
        None | Some("localhost") => Via::Socket,
        Some(h) => Via::Tcp(h.to_string(), 3306),
    };
    let shown = server_host.unwrap_or_else(|| "localhost".into());
    match connect(host, &via) {
        Ok(server) => match command.as_deref() {
            Some("ping") | None => Output::ok("mysqld is alive\n".into()),
            Some("status") => {
                let _ = server;
                Output::ok("Uptime: 60  Threads: 1  Questions: 2  Slow queries: 0  Opens: 105  Flush tables: 1  Open tables: 98  Queries per second avg: 0.033\n".into())
            }
            Some(other) => Output::failed(format!("mysqladmin: Unknown command: '{other}'\n"), 1),
        },
        Err(SqlError(_, _, why)) => {
            let mut msg =
                format!("mysqladmin: connect to server at '{shown}' failed\nerror: '{why}'\n");
            if matches!(via, Via::Socket) {
                msg.push_str(&format!(
                    "Check that mysqld is running and that the socket: '{SOCKET}' exists!\n"
                ));
            }
            Output::failed(msg, 1)
        }
    }
}

// ---- cloning a server's data: ncat, xtrabackup, xbstream ----

/// The files of a data directory a backup leaves out: the binlogs and index, the replica's own state, the
/// server's identity.
fn left_out_of_backup(rel: &str, base: Option<&str>) -> bool {
    let name = rel.trim_start_matches('/');
    matches!(name, "master.info" | "relay-log.info" | "auto.cnf")
        || base.is_some_and(|b| name.starts_with(&format!("{b}.")))
        || name.contains("-bin.")
}

fn escape_stream(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

/// Every directory and file under `dir`, relative to it, directories first at each level.
fn walk(fs: &mut ContainerFs<'_>, dir: &str, rel: &str, out: &mut Vec<(String, Option<String>)>) {
    let here = if rel.is_empty() {
        dir.to_string()
    } else {
        format!("{dir}/{rel}")
    };
    for name in fs.list(&here).unwrap_or_default() {
        let r = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let full = format!("{dir}/{r}");
        if fs.is_dir(&full) {
            out.push((r.clone(), None));
            walk(fs, dir, &r, out);
        } else if let Ok(text) = fs.read(&full) {
            out.push((r, Some(text)));
        }
    }
}

/// `xtrabackup --backup --stream=xbstream` (a copy of the local server's data directory on stdout, with the
/// binlog position of a primary and the `CHANGE MASTER TO` of a replica) and `xtrabackup --prepare`.
pub fn xtrabackup(host: &mut ContainerHost<'_>, args: &[String]) -> Output {
    let has = |f: &str| args.iter().any(|a| a == f);
    if has("--prepare") {
        let dir = args
            .iter()
            .find_map(|a| a.strip_prefix("--target-dir="))
            .unwrap_or(".")
            .to_string();
        let checkpoints =
            ordinal_sh::fs::normalize(&host.cwd, &format!("{dir}/xtrabackup_checkpoints"));
        if host.fs.read(&checkpoints).is_err() {
            return Output::failed(
                format!("xtrabackup: recognized server arguments: \nxtrabackup: cd to {dir}\nxtrabackup: Error: cannot open ./xtrabackup_checkpoints\nxtrabackup: error: xtrabackup_read_metadata()\nxtrabackup: This target seems not to have correct metadata...\n"),
                1,
            );
        }
        return Output::failed(
            format!("xtrabackup version 2.4.4 based on MySQL server 5.7.13 Linux (x86_64)\nxtrabackup: cd to {dir}\nxtrabackup: This target seems to be not prepared yet.\nInnoDB: Shutdown completed; log sequence number 2747422\ncompleted OK!\n"),
            0,
        );
    }
    if !has("--backup") {
        return Output::failed(
            "xtrabackup: Error: Please set parameter 'datadir'\n".into(),
            1,
        );
    }
    let me = host.fs.target.clone();
    let Some(server) = server_in_pod(host.fs.node_ref(), &me.namespace, &me.pod, &me.uid) else {
        return Output::failed(
            "Failed to connect to MySQL server: Can't connect to MySQL server on '127.0.0.1' (111).\n".into(),
            1,
        );
    };
    let log_bin = host
        .fs
        .node_ref()
        .runtime()
        .mysqld
        .get(&(server.uid.clone(), server.container.clone()))
        .and_then(|s| s.log_bin.clone());
    let mut entries = Vec::new();
    walk(&mut host.fs, DATADIR, "", &mut entries);
    let mut stream = String::from("XBSTREAM\n");
    for (rel, content) in entries {
        if left_out_of_backup(&rel, log_bin.as_deref()) {
            continue;
        }
        match content {
            None => stream.push_str(&format!("D\t{rel}\n")),
            Some(text) => stream.push_str(&format!("F\t{rel}\t{}\n", escape_stream(&text))),
        }
    }
    let binlog = log_bin
        .as_deref()
        .and_then(|base| replication::binlog_end(&mut host.fs, base));
    if let Some((file, pos)) = binlog {
        stream.push_str(&format!("F\txtrabackup_binlog_info\t{file}\\t{pos}\\n\n"));
    }
    let slave_info = if has("--slave-info") {
        // A replica's clone starts replicating where this replica's SQL thread has got to.
        match replication::executed_position(&mut host.fs) {
            Some((file, pos)) => {
                format!("CHANGE MASTER TO MASTER_LOG_FILE='{file}', MASTER_LOG_POS={pos};\\n")
            }
            None => String::new(),
        }
    } else {
        String::new()
    };
    if has("--slave-info") {
        stream.push_str(&format!("F\txtrabackup_slave_info\t{slave_info}\n"));
    }
    stream.push_str("F\txtrabackup_checkpoints\tbackup_type = full-backuped\\nfrom_lsn = 0\\nto_lsn = 2747413\\nlast_lsn = 2747422\\ncompact = 0\\nrecover_binlog_info = 0\\n\n");
    Output::both(
        stream,
        "xtrabackup: Transaction log of lsn (2747413) to (2747422) was copied.\ncompleted OK!\n"
            .into(),
        0,
    )
}

/// `xbstream -x [-C DIR]`: unpacks a stream from stdin into the directory.
pub fn xbstream(host: &mut ContainerHost<'_>, args: &[String], stdin: Option<&str>) -> Output {
    if !args.iter().any(|a| a == "-x" || a == "--extract") {
        return Output::failed("xbstream: Usage: xbstream -x [-C DIR] < STREAM\n".into(), 1);
    }
    let dir = args
        .iter()
        .position(|a| a == "-C" || a == "--directory")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--directory=").map(str::to_string))
        })
        .unwrap_or_else(|| ".".into());
    let dir = ordinal_sh::fs::normalize(&host.cwd, &dir);
    let input = stdin.unwrap_or("");
    let mut lines = input.lines();
    match lines.next() {
        None => return Output::ok(String::new()),
        Some("XBSTREAM") => {}
        Some(_) => return Output::failed("xbstream: incorrect chunk magic\n".into(), 1),
    }
    for line in lines {
        let mut parts = line.splitn(3, '\t');
        let (kind, rel) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if rel.is_empty() || rel.split('/').any(|p| p == "..") {
            continue;
        }
        let path = format!("{dir}/{rel}");
        match kind {
            "D" => {
                let _ = host.fs.mkdir(&path, true);
            }
            "F" => {
                let text = decode_field(parts.next().unwrap_or("")).unwrap_or_default();
                if let Some((parent, _)) = path.rsplit_once('/') {
                    let _ = host.fs.mkdir(parent, true);
                }
                if let Err(e) = host.fs.write(&path, &text, false) {
                    return Output::failed(
                        format!("xbstream: failed to create file '{rel}': {}\n", e.message()),
                        1,
                    );
                }
            }
            _ => {}
        }
    }
    Output::ok(String::new())
}

/// `ncat`: as a container's main process, `--listen PORT -c CMD` serves CMD's output to each connection and
/// runs until stopped; `ncat --recv-only HOST PORT` connects (through the pod's resolver and Services) and
/// prints what the other side sends.
pub fn ncat(host: &mut ContainerHost<'_>, args: &[String]) -> Output {
    let mut listen = false;
    let mut command: Option<String> = None;
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-l" | "--listen" => listen = true,
            "-c" | "--sh-exec" | "-e" | "--exec" => {
                i += 1;
                command = args.get(i).cloned();
            }
            "--max-conns" | "-m" | "-w" | "--wait" | "-i" | "--idle-timeout" => i += 1,
            _ if a.starts_with('-') => {}
            _ => positional.push(a.to_string()),
        }
        i += 1;
    }
    if listen {
        let port = positional
            .last()
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(31337);
        let key = (host.fs.target.uid.clone(), host.fs.target.container.clone());
        let taken = host
            .fs
            .node_ref()
            .runtime()
            .listeners
            .iter()
            .any(|((u, _), (p, _))| *u == key.0 && *p == port);
        if taken || !host.mode_is_main {
            return Output::failed(
                format!("Ncat: bind to :::{port}: Address already in use. QUITTING.\n"),
                2,
            );
        }
        host.fs
            .node()
            .runtime_mut()
            .listeners
            .insert(key, (port, command.unwrap_or_default()));
        host.fs.node().runtime_changed();
        host.wait_for(ordinal_sh::Wait::Forever);
        return Output::ok(String::new());
    }
    let (Some(name), Some(port)) = (
        positional.first().cloned(),
        positional.get(1).and_then(|p| p.parse::<i64>().ok()),
    ) else {
        return Output::failed(
            "Ncat: You must specify a host to connect to. QUITTING.\n".into(),
            2,
        );
    };
    let Some(ip) = host
        .resolve_host(&name)
        .and_then(|ips| ips.first().cloned())
    else {
        return Output::failed(
            format!("Ncat: Could not resolve hostname \"{name}\": Name or service not known. QUITTING.\n"),
            2,
        );
    };
    let me = host.fs.target.clone();
    let cluster = host.fs.node();
    let pod_uid_ns = if ip.starts_with("127.") {
        Some((me.uid.clone(), me.namespace.clone(), me.pod.clone()))
    } else {
        cluster
            .route(&ip, port)
            .map(|(t, _)| (t.uid, t.namespace, t.pod))
    };
    let listener = pod_uid_ns.and_then(|(uid, ns, pod)| {
        cluster
            .runtime_mut()
            .listeners
            .iter()
            .find(|((u, _), (p, _))| *u == uid && *p == port)
            .map(|((u, ct), (_, cmd))| {
                (
                    ContainerRef {
                        namespace: ns.clone(),
                        pod: pod.clone(),
                        uid: u.clone(),
                        container: ct.clone(),
                    },
                    cmd.clone(),
                )
            })
    });
    let Some((target, cmd)) = listener.filter(|(t, _)| running(cluster, t)) else {
        return Output::failed("Ncat: Connection refused.\n".into(), 1);
    };
    let Some(mut other) = ContainerHost::open(cluster, target, Mode::Exec) else {
        return Output::failed("Ncat: Connection refused.\n".into(), 1);
    };
    let out = other.run_script("sh", &cmd);
    Output::ok(out.stdout())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_split_at_semicolons_and_backslash_g_outside_quotes_with_their_lines() {
        let s: Vec<(usize, String, bool)> = statements(
            "CREATE DATABASE test;\nINSERT INTO t VALUES ('a;b\\G');\n\nSELECT 1\\G SHOW SLAVE STATUS\\g\nSELECT 2",
        )
        .into_iter()
        .map(|s| (s.line, s.text, s.vertical))
        .collect();
        assert_eq!(
            s,
            vec![
                (1, "CREATE DATABASE test".to_string(), false),
                (2, "INSERT INTO t VALUES ('a;b\\G')".to_string(), false),
                (4, "SELECT 1".to_string(), true),
                (4, "SHOW SLAVE STATUS".to_string(), false),
                (5, "SELECT 2".to_string(), false),
            ]
        );
    }

    /// client/mysql.cc `print_table_data_vertically`: names right-aligned to the longest, NULL spelled out,
    /// an empty value leaves the space after the colon.
    #[test]
    fn vertical_output_aligns_names_and_numbers_rows() {
        let rs = ResultSet {
            columns: vec![
                "Slave_IO_State".into(),
                "Master_Host".into(),
                "SQL_Remaining_Delay".into(),
            ],
            numeric: vec![false, false, true],
            rows: vec![
                vec![Some(String::new()), Some("mysql-0.mysql".into()), None],
                vec![Some("x".into()), Some("y".into()), Some("1".into())],
            ],
        };
        assert_eq!(
            vertical_rows(&rs, true),
            "*************************** 1. row ***************************\n     Slave_IO_State: \n        Master_Host: mysql-0.mysql\nSQL_Remaining_Delay: NULL\n*************************** 2. row ***************************\n     Slave_IO_State: x\n        Master_Host: y\nSQL_Remaining_Delay: 1\n"
        );
    }

    #[test]
    fn the_subset_parses_and_the_rest_is_a_syntax_error() {
        assert!(matches!(
            parse("CREATE TABLE test.messages (message VARCHAR(250))"),
            Ok(Stmt::CreateTable { .. })
        ));
        assert!(
            matches!(parse("SELECT @@server_id,NOW()"), Ok(Stmt::Select(items)) if items.len() == 2 && items[0].0 == "@@server_id" && items[1].0 == "NOW()")
        );
        let e = parse("DELETE FROM test.messages").unwrap_err();
        assert_eq!(e.0, 1064);
        assert!(
            e.2.ends_with("near 'DELETE FROM test.messages' at line 1"),
            "{}",
            e.2
        );
        assert_eq!(parse("SELECT 'unterminated").unwrap_err().0, 1064);
        assert_eq!(parse("").unwrap_err().0, 1064);
    }

    #[test]
    fn tables_right_align_numbers_and_batch_escapes() {
        let rs = ResultSet {
            columns: vec!["@@server_id".into(), "NOW()".into()],
            numeric: vec![true, false],
            rows: vec![vec![Some("100".into()), Some("2006-01-02 15:04:05".into())]],
        };
        assert_eq!(
            table(&rs, true),
            "+-------------+---------------------+\n| @@server_id | NOW()               |\n+-------------+---------------------+\n|         100 | 2006-01-02 15:04:05 |\n+-------------+---------------------+\n"
        );
        assert_eq!(
            tab_data(&rs, true, false),
            "@@server_id\tNOW()\n100\t2006-01-02 15:04:05\n"
        );
        let rs = ResultSet {
            columns: vec!["m".into()],
            numeric: vec![false],
            rows: vec![vec![Some("a\tb".into())], vec![None]],
        };
        assert_eq!(tab_data(&rs, true, false), "m\na\\tb\nNULL\n");
        assert_eq!(tab_data(&rs, false, true), "a\tb\nNULL\n");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for sql in [
            "'",
            "`",
            "@@",
            "SELECT",
            "SELECT -",
            "INSERT INTO",
            "INSERT INTO t VALUES",
            "INSERT INTO t VALUES (",
            "CREATE TABLE t (",
            "CREATE TABLE t (a VARCHAR(",
            "CHANGE MASTER TO",
            "CHANGE MASTER TO X=",
            "é'ü",
            "\u{0}",
            "SELECT NOW(",
            "USE",
            "SHOW",
            "SELECT 1,",
            "START",
            ";;;",
            "SELECT 'a\\",
        ] {
            assert!(parse(sql).is_err(), "{sql}");
            let _ = statements(sql);
        }
        assert!(statements(";;;").is_empty());
        assert_eq!(decode_field("\\"), Some("\\".to_string()));
    }

    #[test]
    fn fields_round_trip_through_the_data_file() {
        for v in ["plain", "tab\there", "new\nline", "back\\slash", "\\N"] {
            let enc = encode_field(&Value::Text(v.into()));
            assert!(!enc.contains('\t') && !enc.contains('\n'));
            assert_eq!(decode_field(&enc).as_deref(), Some(v));
        }
        assert_eq!(decode_field(&encode_field(&Value::Null)), None);
    }
}
