//! MySQL 5.7's asynchronous replication, as the replicated-MySQL tutorial sets it up and a learner inspects it
//! with `SHOW MASTER STATUS` and `SHOW SLAVE STATUS\G`.
//!
//! The primary (`log-bin`) appends every write to its binlog: files named after the option
//! (`mysql-0-bin.000001`, a new one each time the server starts) whose events end at byte positions that grow as
//! a real binlog's do. A replica keeps where it replicates from and how far its IO thread has read in
//! `master.info`, its relay logs, and how far its SQL thread has applied in `relay-log.info`, all in the data
//! directory, so they outlive the container and a restarted server starts both threads again (as mysqld does
//! without `skip-slave-start`). The IO thread connects to MASTER_HOST through the replica's own resolver and the
//! cluster's routing (so `mysql-0.mysql` answers only while mysql-0 is Ready), retries every
//! MASTER_CONNECT_RETRY seconds on the virtual clock while it cannot, and notices when the primary's server
//! stops. While it is connected, every event the primary writes reaches its relay log at once and the SQL
//! thread applies it, in order, stopping at the first that fails: in a healthy cluster the lag is nil, as the
//! tutorial's reads show, and a replica that was down or cut off catches up when its IO thread reconnects.
//!
//! The threads' states, messages and the `SHOW SLAVE STATUS` fields are MySQL 5.7's (mysql-server 5.7
//! `sql/rpl_slave.cc`: `connect_to_master`, `try_to_reconnect`, `show_slave_status`).

use crate::programs::mysql::{self, decode_field, encode_text, Server, SqlError, DATADIR};
use crate::programs::{ContainerHost, Mode};
use crate::{ContainerFs, ContainerRef};
use crate::{Node, Wake};
use ordinal_api::time::Time;

/// A server by (pod uid, container name), as the runtime keeps them.
pub type ServerKey = (String, String);

/// Where a fresh 5.7 binlog's first event starts: the magic number, the format description event and the
/// previous-GTIDs event.
const BINLOG_START: u64 = 154;
/// A 5.7 transaction's anonymous GTID event, written before each statement's events.
const GTID_EVENT: u64 = 65;
/// A query event's common header, post-header and the status variables 5.7 writes.
const QUERY_EVENT: u64 = 19 + 13 + 27;
/// Where a relay log the IO thread opens has its first event: its own format description event, then the
/// primary's rotate, format description and previous-GTIDs events (the `Relay_Log_Pos: 320` of a fresh replica).
const RELAY_START: u64 = 320;
/// Before the IO thread has written anything, the SQL thread waits at the relay log's magic number.
const RELAY_MAGIC: u64 = 4;
/// MASTER_RETRY_COUNT's default: the IO thread gives up after this many failed connection attempts.
const RETRY_COUNT: u64 = 86_400;
/// The connection ids the replication threads log under.
const IO_THREAD: u32 = 2;
const SQL_THREAD: u32 = 3;

/// One binlog (or relay log) event: where it ends, the default database it ran in, and the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub end: u64,
    pub db: String,
    pub sql: String,
}

/// The bytes an event takes in a binlog.
fn event_size(db: &str, sql: &str) -> u64 {
    GTID_EVENT + QUERY_EVENT + db.len() as u64 + 1 + sql.len() as u64
}

// ---- the primary's binlog ----

/// The binlog files of a server, oldest first (from its index).
pub fn binlog_files(fs: &mut ContainerFs<'_>, base: &str) -> Vec<String> {
    fs.read(&format!("{DATADIR}/{base}.index"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim_start_matches("./").to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A binlog file's events, in order.
fn binlog_events(fs: &mut ContainerFs<'_>, file: &str) -> Vec<Event> {
    fs.read(&format!("{DATADIR}/{file}"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut f = l.splitn(3, '\t');
            let end = f.next()?.parse().ok()?;
            let db = decode_field(f.next()?).unwrap_or_default();
            let sql = decode_field(f.next()?).unwrap_or_default();
            Some(Event { end, db, sql })
        })
        .collect()
}

/// Where a binlog file ends: after its last event, or after its header.
fn binlog_size(fs: &mut ContainerFs<'_>, file: &str) -> u64 {
    binlog_events(fs, file)
        .last()
        .map_or(BINLOG_START, |e| e.end)
}

/// The current binlog file and its end: what `SHOW MASTER STATUS` and `xtrabackup_binlog_info` give.
pub fn binlog_end(fs: &mut ContainerFs<'_>, base: &str) -> Option<(String, u64)> {
    let file = binlog_files(fs, base).pop()?;
    let pos = binlog_size(fs, &file);
    Some((file, pos))
}

/// Every binlog file with its size, for `SHOW BINARY LOGS`.
pub fn binlog_sizes(fs: &mut ContainerFs<'_>, base: &str) -> Vec<(String, u64)> {
    binlog_files(fs, base)
        .into_iter()
        .map(|f| {
            let size = binlog_size(fs, &f);
            (f, size)
        })
        .collect()
}

/// A server with `log-bin` starting: a new binlog file, the next number after the ones in the index.
pub fn open_binlog(fs: &mut ContainerFs<'_>, base: &str) {
    let n = binlog_files(fs, base).len() + 1;
    let file = format!("{base}.{n:06}");
    let _ = fs.write(
        &format!("{DATADIR}/{base}.index"),
        &format!("./{file}\n"),
        true,
    );
    let _ = fs.write(&format!("{DATADIR}/{file}"), "", false);
}

/// Appends a write to the current binlog file.
pub fn log_event(fs: &mut ContainerFs<'_>, base: &str, db: &str, sql: &str) {
    let Some((file, pos)) = binlog_end(fs, base) else {
        return;
    };
    let end = pos + event_size(db, sql);
    let line = format!("{end}\t{}\t{}\n", encode_text(db), encode_text(sql));
    let _ = fs.write(&format!("{DATADIR}/{file}"), &line, true);
}

/// The primary wrote to its binlog: every replica connected to it receives the new events at once.
pub fn binlog_written(c: &mut dyn Node, master: &ServerKey) {
    let readers: Vec<ServerKey> = c
        .runtime_mut()
        .mysqld
        .iter()
        .filter(|(_, s)| matches!(&s.replica.io, Io::Connected { master: m, .. } if m == master))
        .map(|(k, _)| k.clone())
        .collect();
    for k in readers {
        io_read(c, &k);
    }
}

// ---- the replica's state ----

/// A replica's replication threads, while its server runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replica {
    io: Io,
    /// Numbers each start of the IO thread, so a retry meant for an earlier one is ignored.
    io_run: u64,
    sql_running: bool,
    io_error: Option<ThreadError>,
    sql_error: Option<ThreadError>,
    /// What the primary said about itself when the IO thread last connected.
    master_server_id: u32,
    master_uuid: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Io {
    #[default]
    Stopped,
    /// Connecting for the first time since the thread started (`reconnect: false`), or again after the
    /// connection to the primary was lost; `retries` attempts have failed so far.
    Connecting { reconnect: bool, retries: u64 },
    /// Reading the primary's binlog; `master_run` names the start of the primary's server it reads from.
    Connected { master: ServerKey, master_run: u64 },
}

/// The last error of a thread, as `SHOW SLAVE STATUS` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ThreadError {
    errno: u32,
    message: String,
    at: Time,
}

/// `master.info`: where the replica replicates from and how far its IO thread has read, in the 25-line layout
/// of 5.7's `Master_info::write_info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MasterInfo {
    pub file: String,
    pub pos: u64,
    pub host: String,
    pub user: String,
    pub password: String,
    pub port: u16,
    pub connect_retry: u64,
    pub uuid: String,
    pub retry_count: u64,
}

impl Default for MasterInfo {
    fn default() -> MasterInfo {
        MasterInfo {
            file: String::new(),
            pos: 4,
            host: String::new(),
            user: String::new(),
            password: String::new(),
            port: 3306,
            connect_retry: 60,
            uuid: String::new(),
            retry_count: RETRY_COUNT,
        }
    }
}

impl MasterInfo {
    fn path() -> String {
        format!("{DATADIR}/master.info")
    }

    pub fn read(fs: &mut ContainerFs<'_>) -> Option<MasterInfo> {
        let text = fs.read(&MasterInfo::path()).ok()?;
        let l: Vec<&str> = text.lines().collect();
        let at = |i: usize| l.get(i).copied().unwrap_or("").to_string();
        let d = MasterInfo::default();
        Some(MasterInfo {
            file: at(1),
            pos: at(2).parse().unwrap_or(d.pos),
            host: at(3),
            user: at(4),
            password: at(5),
            port: at(6).parse().unwrap_or(d.port),
            connect_retry: at(7).parse().unwrap_or(d.connect_retry),
            uuid: at(18),
            retry_count: at(19).parse().unwrap_or(d.retry_count),
        })
    }

    fn write(&self, fs: &mut ContainerFs<'_>) {
        let text = format!(
            "25\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n0\n\n\n\n\n\n0\n30.000\n\n0\n{}\n{}\n\n\n0\n\n\n",
            self.file,
            self.pos,
            self.host,
            self.user,
            self.password,
            self.port,
            self.connect_retry,
            self.uuid,
            self.retry_count
        );
        let _ = fs.write(&MasterInfo::path(), &text, false);
    }

    /// `user@host:port`, as the IO thread's messages name the primary.
    fn address(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port)
    }
}

/// `relay-log.info`: how far the SQL thread has applied, in the relay log and in the primary's binlog.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct RelayInfo {
    relay_file: String,
    relay_pos: u64,
    master_file: String,
    exec_pos: u64,
}

impl RelayInfo {
    fn path() -> String {
        format!("{DATADIR}/relay-log.info")
    }

    fn read(fs: &mut ContainerFs<'_>) -> Option<RelayInfo> {
        let text = fs.read(&RelayInfo::path()).ok()?;
        let l: Vec<&str> = text.lines().collect();
        let at = |i: usize| l.get(i).copied().unwrap_or("").to_string();
        Some(RelayInfo {
            relay_file: at(1).trim_start_matches("./").to_string(),
            relay_pos: at(2).parse().unwrap_or(RELAY_MAGIC),
            master_file: at(3),
            exec_pos: at(4).parse().unwrap_or(0),
        })
    }

    fn write(&self, fs: &mut ContainerFs<'_>) {
        let text = format!(
            "7\n./{}\n{}\n{}\n{}\n0\n0\n1\n",
            self.relay_file, self.relay_pos, self.master_file, self.exec_pos
        );
        let _ = fs.write(&RelayInfo::path(), &text, false);
    }
}

/// The binlog coordinates the replica has applied up to (`Relay_Master_Log_File`, `Exec_Master_Log_Pos`): what
/// `xtrabackup --slave-info` records for a clone of this replica.
pub fn executed_position(fs: &mut ContainerFs<'_>) -> Option<(String, u64)> {
    RelayInfo::read(fs)
        .filter(|r| !r.master_file.is_empty())
        .map(|r| (r.master_file, r.exec_pos))
}

/// A relay log event: where it ends in the relay log, and the primary's event with the binlog file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RelayEvent {
    end: u64,
    master_file: String,
    event: Event,
}

/// The relay log's base name: `<hostname>-relay-bin`, 5.7's default.
fn relay_base(server: &Server) -> String {
    format!("{}-relay-bin", server.hostname)
}

fn relay_files(fs: &mut ContainerFs<'_>, base: &str) -> Vec<String> {
    binlog_files(fs, base)
}

fn relay_events(fs: &mut ContainerFs<'_>, file: &str) -> Vec<RelayEvent> {
    fs.read(&format!("{DATADIR}/{file}"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut f = l.splitn(5, '\t');
            let end = f.next()?.parse().ok()?;
            let master_file = f.next()?.to_string();
            let master_end = f.next()?.parse().ok()?;
            let db = decode_field(f.next()?).unwrap_or_default();
            let sql = decode_field(f.next()?).unwrap_or_default();
            Some(RelayEvent {
                end,
                master_file,
                event: Event {
                    end: master_end,
                    db,
                    sql,
                },
            })
        })
        .collect()
}

fn relay_size(fs: &mut ContainerFs<'_>, file: &str) -> u64 {
    relay_events(fs, file).last().map_or(RELAY_START, |e| e.end)
}

/// Starts the next relay log file, as the IO thread does each time it connects.
fn rotate_relay_log(fs: &mut ContainerFs<'_>, base: &str) {
    open_binlog(fs, base);
}

/// Removes every relay log, as `CHANGE MASTER TO` does.
fn purge_relay_logs(fs: &mut ContainerFs<'_>, base: &str) {
    for f in relay_files(fs, base) {
        let _ = fs.remove(&format!("{DATADIR}/{f}"), false);
    }
    let _ = fs.remove(&format!("{DATADIR}/{base}.index"), false);
}

// ---- the threads ----

/// The log line prefix of a replication thread: time, connection id, level.
fn log(c: &mut dyn Node, target: &ContainerRef, thread: u32, level: &str, text: &str) {
    let stamp = format!("{}Z", c.now().strftime("%Y-%m-%dT%H:%M:%S.000000"));
    c.runtime_log(target, &format!("{stamp} {thread} [{level}] {text}\n"));
}

fn server(c: &dyn Node, key: &ServerKey) -> Option<Server> {
    c.runtime().mysqld.get(key).cloned()
}

fn replica_mut<'c>(c: &'c mut dyn Node, key: &ServerKey) -> Option<&'c mut Replica> {
    c.runtime_mut().mysqld.get_mut(key).map(|s| &mut s.replica)
}

fn next_run(c: &mut dyn Node) -> u64 {
    c.runtime_mut().runs += 1;
    c.runtime_mut().runs
}

/// `CHANGE MASTER TO …`: records the options in `master.info`. Naming another host or port without a binlog
/// position starts from the new primary's first binlog; the relay logs are purged and the SQL thread starts
/// where the IO thread will, as 5.7's `change_master` does.
pub fn change_master(
    c: &mut dyn Node,
    key: &ServerKey,
    opts: &[(String, String)],
) -> Result<(), SqlError> {
    let s = server(c, key).ok_or_else(SqlError::lost)?;
    if s.replica.io != Io::Stopped {
        return Err(SqlError(3021, "HY000", "This operation cannot be performed with a running slave io thread; run STOP SLAVE IO_THREAD FOR CHANNEL '' first.".into()));
    }
    let mut fs = ContainerFs::open(c, s.target.clone()).ok_or_else(SqlError::lost)?;
    let existing = MasterInfo::read(&mut fs);
    let mut info = existing.clone().unwrap_or_default();
    let relay = RelayInfo::read(&mut fs);
    let (mut new_master, mut file_given, mut pos_given) = (false, false, false);
    for (k, v) in opts {
        match k.as_str() {
            "MASTER_HOST" => {
                new_master |= *v != info.host;
                info.host = v.clone();
            }
            "MASTER_PORT" => {
                let port = v.parse().unwrap_or(3306);
                new_master |= port != info.port;
                info.port = port;
            }
            "MASTER_USER" => info.user = v.clone(),
            "MASTER_PASSWORD" => info.password = v.clone(),
            "MASTER_LOG_FILE" => {
                file_given = true;
                info.file = v.clone();
            }
            "MASTER_LOG_POS" => {
                pos_given = true;
                info.pos = v.parse().unwrap_or(4);
            }
            "MASTER_CONNECT_RETRY" => info.connect_retry = v.parse().unwrap_or(60),
            "MASTER_RETRY_COUNT" => info.retry_count = v.parse().unwrap_or(RETRY_COUNT),
            _ => {}
        }
    }
    if file_given && !pos_given {
        info.pos = 4;
    }
    if !file_given && !pos_given {
        if new_master && existing.is_some() {
            info.file.clear();
            info.pos = 4;
        } else if let Some(r) = relay.filter(|r| !r.master_file.is_empty()) {
            // Events read but not applied are in the relay logs about to be purged: read them again.
            info.file = r.master_file;
            info.pos = r.exec_pos;
        }
    }
    info.write(&mut fs);
    let base = relay_base(&s);
    purge_relay_logs(&mut fs, &base);
    RelayInfo {
        relay_file: format!("{base}.000001"),
        relay_pos: RELAY_MAGIC,
        master_file: info.file.clone(),
        exec_pos: info.pos,
    }
    .write(&mut fs);
    Ok(())
}

/// Which threads `START SLAVE` / `STOP SLAVE` name: both unless `IO_THREAD` or `SQL_THREAD` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threads {
    pub io: bool,
    pub sql: bool,
}

/// `START SLAVE [IO_THREAD] [SQL_THREAD]`: starts the named threads that are not running.
pub fn start_slave(c: &mut dyn Node, key: &ServerKey, threads: Threads) -> Result<(), SqlError> {
    let s = server(c, key).ok_or_else(SqlError::lost)?;
    let configured = ContainerFs::open(c, s.target.clone())
        .as_mut()
        .and_then(MasterInfo::read)
        .is_some_and(|i| !i.host.is_empty());
    if !configured {
        return Err(SqlError(
            1200,
            "HY000",
            "The server is not configured as slave; fix in config file or with CHANGE MASTER TO"
                .into(),
        ));
    }
    if threads.sql && !s.replica.sql_running {
        start_sql(c, key);
    }
    if threads.io && s.replica.io == Io::Stopped {
        start_io(c, key);
    }
    Ok(())
}

/// `STOP SLAVE [IO_THREAD] [SQL_THREAD]`.
pub fn stop_slave(c: &mut dyn Node, key: &ServerKey, threads: Threads) {
    let Some(s) = server(c, key) else {
        return;
    };
    let mut fs = ContainerFs::open(c, s.target.clone());
    let info = fs.as_mut().and_then(MasterInfo::read).unwrap_or_default();
    let relay = fs.as_mut().and_then(RelayInfo::read).unwrap_or_default();
    drop(fs);
    if threads.io && s.replica.io != Io::Stopped {
        let run = next_run(c);
        if let Some(r) = replica_mut(c, key) {
            r.io = Io::Stopped;
            r.io_run = run;
        }
        log(
            c,
            &s.target,
            IO_THREAD,
            "Note",
            &format!(
                "Slave I/O thread exiting for channel '', read up to log '{}', position {}",
                first_if_empty(&info.file),
                info.pos
            ),
        );
    }
    if threads.sql && s.replica.sql_running {
        if let Some(r) = replica_mut(c, key) {
            r.sql_running = false;
        }
        log(
            c,
            &s.target,
            SQL_THREAD,
            "Note",
            &format!(
                "Slave SQL thread for channel '' exiting, replication stopped in log '{}' at position {}",
                first_if_empty(&relay.master_file),
                relay.exec_pos
            ),
        );
    }
}

fn first_if_empty(file: &str) -> &str {
    if file.is_empty() {
        "FIRST"
    } else {
        file
    }
}

/// A server has started: with a primary in `master.info`, it starts both threads, as mysqld does at startup.
pub fn server_started(c: &mut dyn Node, key: &ServerKey) {
    let _ = start_slave_if_configured(c, key);
}

fn start_slave_if_configured(c: &mut dyn Node, key: &ServerKey) -> Option<()> {
    let s = server(c, key)?;
    let info = MasterInfo::read(&mut ContainerFs::open(c, s.target.clone())?)?;
    if info.host.is_empty() {
        return None;
    }
    start_sql(c, key);
    start_io(c, key);
    Some(())
}

fn start_sql(c: &mut dyn Node, key: &ServerKey) {
    let Some(s) = server(c, key) else {
        return;
    };
    let relay = ContainerFs::open(c, s.target.clone())
        .as_mut()
        .and_then(RelayInfo::read)
        .unwrap_or_default();
    if let Some(r) = replica_mut(c, key) {
        r.sql_running = true;
        r.sql_error = None;
    }
    log(
        c,
        &s.target,
        SQL_THREAD,
        "Note",
        &format!(
            "Slave SQL thread for channel '' initialized, starting replication in log '{}' at position {}, relay log './{}' position: {}",
            first_if_empty(&relay.master_file),
            relay.exec_pos,
            relay.relay_file,
            relay.relay_pos
        ),
    );
    sql_apply(c, key);
}

fn start_io(c: &mut dyn Node, key: &ServerKey) {
    let run = next_run(c);
    if let Some(r) = replica_mut(c, key) {
        r.io = Io::Connecting {
            reconnect: false,
            retries: 0,
        };
        r.io_run = run;
    }
    io_connect(c, key);
}

/// A retry of the IO thread's connection falls due.
pub fn on_retry(c: &mut dyn Node, key: &ServerKey, run: u64) {
    let due =
        c.runtime_mut().mysqld.get(key).is_some_and(|s| {
            s.replica.io_run == run && matches!(s.replica.io, Io::Connecting { .. })
        });
    if due {
        io_connect(c, key);
    }
}

/// The IO thread stops with a fatal error.
fn io_fatal(c: &mut dyn Node, key: &ServerKey, errno: u32, message: String) {
    let Some(s) = server(c, key) else {
        return;
    };
    let info = ContainerFs::open(c, s.target.clone())
        .as_mut()
        .and_then(MasterInfo::read)
        .unwrap_or_default();
    let now = c.now();
    let run = next_run(c);
    if let Some(r) = replica_mut(c, key) {
        r.io = Io::Stopped;
        r.io_run = run;
        r.io_error = Some(ThreadError {
            errno,
            message: message.clone(),
            at: now,
        });
    }
    log(
        c,
        &s.target,
        IO_THREAD,
        "ERROR",
        &format!("Slave I/O for channel '': {message}, Error_code: {errno}"),
    );
    log(
        c,
        &s.target,
        IO_THREAD,
        "Note",
        &format!(
            "Slave I/O thread exiting for channel '', read up to log '{}', position {}",
            first_if_empty(&info.file),
            info.pos
        ),
    );
}

/// One connection attempt of the IO thread: through the replica's resolver to the primary's server. A failure
/// is reported as 5.7's `connect_to_master` reports it and retried MASTER_CONNECT_RETRY seconds later, up to
/// MASTER_RETRY_COUNT attempts.
fn io_connect(c: &mut dyn Node, key: &ServerKey) {
    let Some(s) = server(c, key) else {
        return;
    };
    let Io::Connecting { reconnect, retries } = s.replica.io.clone() else {
        return;
    };
    let Some(info) = ContainerFs::open(c, s.target.clone())
        .as_mut()
        .and_then(MasterInfo::read)
    else {
        return;
    };
    if info.user.is_empty() {
        return io_fatal(c, key, 1593, "Fatal error: Invalid (empty) username when attempting to connect to the master server. Connection attempt terminated.".into());
    }
    let reached = {
        let Some(mut host) = ContainerHost::open(c, s.target.clone(), Mode::Exec) else {
            return;
        };
        mysql::connect(&mut host, &mysql::Via::Tcp(info.host.clone(), info.port))
    };
    let master = match reached {
        Ok(master) => master,
        Err(SqlError(errno, _, _)) => {
            let retries = retries + 1;
            let message = format!(
                "error {} to master '{}' - retry-time: {}  retries: {retries}",
                if reconnect {
                    "reconnecting"
                } else {
                    "connecting"
                },
                info.address(),
                info.connect_retry
            );
            log(
                c,
                &s.target,
                IO_THREAD,
                "ERROR",
                &format!("Slave I/O for channel '': {message}, Error_code: {errno}"),
            );
            let now = c.now();
            let run = s.replica.io_run;
            // MASTER_RETRY_COUNT=0 retries for ever (`++err_count == mi->retry_count` never holds).
            let gave_up = info.retry_count != 0 && retries >= info.retry_count;
            if let Some(r) = replica_mut(c, key) {
                r.io = if gave_up {
                    Io::Stopped
                } else {
                    Io::Connecting { reconnect, retries }
                };
                r.io_error = Some(ThreadError {
                    errno,
                    message,
                    at: now,
                });
            }
            if !gave_up {
                // mysqld would retry at once with MASTER_CONNECT_RETRY=0; here attempts are a second apart at
                // least, so the clock moves on.
                c.wake_at(
                    now.plus(info.connect_retry.max(1).saturating_mul(1000)),
                    Wake::Replication {
                        server: key.clone(),
                        run,
                    },
                );
            }
            return;
        }
    };
    let master_key = (master.uid.clone(), master.container.clone());
    let Some(m) = server(c, &master_key) else {
        return;
    };
    if m.server_id == s.server_id {
        return io_fatal(c, key, 1593, "Fatal error: The slave I/O thread stops because master and slave have equal MySQL server ids; these ids must be different for replication to work (or the --replicate-same-server-id option must be used on slave but this does not always make sense; please check the manual before using it).".into());
    }
    let Some(base) = m.log_bin.clone() else {
        return io_fatal(c, key, 1236, "Got fatal error 1236 from master when reading data from binary log: 'Binary log is not open'".into());
    };
    let files = ContainerFs::open(c, m.target.clone())
        .as_mut()
        .map(|fs| binlog_files(fs, &base))
        .unwrap_or_default();
    if !info.file.is_empty() && !files.contains(&info.file) {
        return io_fatal(c, key, 1236, "Got fatal error 1236 from master when reading data from binary log: 'Could not find first log file name in binary log index file'".into());
    }
    if let Some(r) = replica_mut(c, key) {
        r.io = Io::Connected {
            master: master_key,
            master_run: m.run,
        };
        r.io_error = None;
        r.master_server_id = m.server_id;
        r.master_uuid = m.uuid.clone();
    }
    let note = if reconnect {
        format!(
            "Slave: connected to master '{}',replication resumed in log '{}' at position {}",
            info.address(),
            first_if_empty(&info.file),
            info.pos
        )
    } else {
        format!(
            "Slave I/O thread for channel '': connected to master '{}',replication started in log '{}' at position {}",
            info.address(),
            first_if_empty(&info.file),
            info.pos
        )
    };
    log(c, &s.target, IO_THREAD, "Note", &note);
    if let Some(mut fs) = ContainerFs::open(c, s.target.clone()) {
        let mut info = info;
        info.uuid = m.uuid.clone();
        info.write(&mut fs);
        rotate_relay_log(&mut fs, &relay_base(&s));
    }
    io_read(c, key);
}

/// The connected IO thread reads what the primary's binlog has past its position into the relay log, and the
/// SQL thread applies it.
fn io_read(c: &mut dyn Node, key: &ServerKey) {
    let Some(s) = server(c, key) else {
        return;
    };
    let Io::Connected { master, master_run } = &s.replica.io else {
        return;
    };
    let Some(m) = server(c, master).filter(|m| m.run == *master_run) else {
        return;
    };
    let Some(base) = m.log_bin.clone() else {
        return;
    };
    let Some(mut info) = ContainerFs::open(c, s.target.clone())
        .as_mut()
        .and_then(MasterInfo::read)
    else {
        return;
    };
    let mut read: Vec<(String, Event)> = Vec::new();
    {
        let Some(mut mfs) = ContainerFs::open(c, m.target.clone()) else {
            return;
        };
        let files = binlog_files(&mut mfs, &base);
        let start = if info.file.is_empty() {
            0
        } else {
            match files.iter().position(|f| *f == info.file) {
                Some(i) => i,
                None => return,
            }
        };
        for (i, file) in files.iter().enumerate().skip(start) {
            let from = if i == start && !info.file.is_empty() {
                info.pos
            } else {
                0
            };
            for e in binlog_events(&mut mfs, file) {
                if e.end > from {
                    read.push((file.clone(), e));
                }
            }
        }
        // Everything up to the end of the newest file has been read, past its header even when it has no
        // events yet.
        if let Some(last) = files.last() {
            let size = binlog_size(&mut mfs, last);
            if *last != info.file || size > info.pos {
                info.file = last.clone();
                info.pos = size;
            }
        }
    }
    let relay = relay_base(&s);
    if let Some(mut fs) = ContainerFs::open(c, s.target.clone()) {
        let Some(current) = relay_files(&mut fs, &relay).pop() else {
            return;
        };
        let mut end = relay_size(&mut fs, &current);
        let mut text = String::new();
        for (file, e) in &read {
            end += event_size(&e.db, &e.sql);
            text.push_str(&format!(
                "{end}\t{file}\t{}\t{}\t{}\n",
                e.end,
                encode_text(&e.db),
                encode_text(&e.sql)
            ));
        }
        if !text.is_empty() {
            let _ = fs.write(&format!("{DATADIR}/{current}"), &text, true);
        }
        info.write(&mut fs);
    }
    sql_apply(c, key);
}

/// The SQL thread applies the relay log's events past its position, in order; the first that fails stops it,
/// with the error 5.7 reports (a query event's, or a row event's for an INSERT).
fn sql_apply(c: &mut dyn Node, key: &ServerKey) {
    let Some(s) = server(c, key) else {
        return;
    };
    if !s.replica.sql_running {
        return;
    }
    let base = relay_base(&s);
    let (mut relay, pending) = {
        let Some(mut fs) = ContainerFs::open(c, s.target.clone()) else {
            return;
        };
        let relay = RelayInfo::read(&mut fs).unwrap_or_default();
        let files = relay_files(&mut fs, &base);
        let start = files.iter().position(|f| *f == relay.relay_file);
        let mut pending: Vec<(String, RelayEvent)> = Vec::new();
        for (i, file) in files.iter().enumerate().skip(start.unwrap_or(0)) {
            let from = if Some(i) == start { relay.relay_pos } else { 0 };
            for e in relay_events(&mut fs, file) {
                if e.end > from {
                    pending.push((file.clone(), e));
                }
            }
        }
        (relay, pending)
    };
    for (file, e) in pending {
        if let Err((SqlError(errno, _, msg), row_event)) =
            mysql::replay(c, &s.target, &e.event.db, &e.event.sql)
        {
            let message = if row_event {
                format!("Error executing row event: '{msg}'")
            } else {
                format!(
                    "Error '{msg}' on query. Default database: '{}'. Query: '{}'",
                    e.event.db, e.event.sql
                )
            };
            let now = c.now();
            if let Some(r) = replica_mut(c, key) {
                r.sql_running = false;
                r.sql_error = Some(ThreadError {
                    errno,
                    message: message.clone(),
                    at: now,
                });
            }
            log(
                c,
                &s.target,
                SQL_THREAD,
                "ERROR",
                &format!("Slave SQL for channel '': {message}, Error_code: {errno}"),
            );
            log(c, &s.target, SQL_THREAD, "ERROR", &format!("Error running query, slave SQL thread aborted. Fix the problem, and restart the slave SQL thread with \"SLAVE START\". We stopped at log '{}' position {}", first_if_empty(&relay.master_file), relay.exec_pos));
            break;
        }
        relay.relay_file = file;
        relay.relay_pos = e.end;
        relay.master_file = e.master_file;
        relay.exec_pos = e.event.end;
    }
    let caught_up = c
        .runtime_mut()
        .mysqld
        .get(key)
        .is_some_and(|s| s.replica.sql_running);
    let Some(mut fs) = ContainerFs::open(c, s.target.clone()) else {
        return;
    };
    let files = relay_files(&mut fs, &base);
    if caught_up {
        // With everything applied, the SQL thread waits at the end of the newest relay log, and the ones
        // before it are purged (relay_log_purge).
        if let Some(last) = files.last() {
            relay.relay_file = last.clone();
            relay.relay_pos = relay_size(&mut fs, last);
            let old = &files[..files.len() - 1];
            for f in old {
                let _ = fs.remove(&format!("{DATADIR}/{f}"), false);
            }
            if !old.is_empty() {
                let _ = fs.write(
                    &format!("{DATADIR}/{base}.index"),
                    &format!("./{last}\n"),
                    false,
                );
            }
        }
    }
    relay.write(&mut fs);
}

/// A pod changed: replicas reading from a server in it that no longer runs (deleted, stopped, restarted) have
/// lost their connection. Each IO thread reconnects at once and then every MASTER_CONNECT_RETRY seconds, as 5.7's
/// `try_to_reconnect` does after a failed read.
pub fn pod_changed(c: &mut dyn Node, pod_uid: &str) {
    let lost: Vec<ServerKey> = {
        let c: &dyn Node = c;
        c.runtime()
            .mysqld
            .iter()
            .filter(|(_, s)| match &s.replica.io {
                Io::Connected { master, master_run } if master.0 == pod_uid => !c
                    .runtime()
                    .mysqld
                    .get(master)
                    .is_some_and(|m| m.run == *master_run && mysql::running(c, &m.target)),
                _ => false,
            })
            .map(|(k, _)| k.clone())
            .collect()
    };
    for key in lost {
        let Some(s) = server(c, &key) else {
            continue;
        };
        let info = ContainerFs::open(c, s.target.clone())
            .as_mut()
            .and_then(MasterInfo::read)
            .unwrap_or_default();
        log(c, &s.target, IO_THREAD, "ERROR", "Error reading packet from server for channel '': Lost connection to MySQL server during query (server_errno=2013)");
        log(
            c,
            &s.target,
            IO_THREAD,
            "Note",
            &format!(
                "Slave I/O thread: Failed reading log event, reconnecting to retry, log '{}' at position {} for channel ''",
                first_if_empty(&info.file),
                info.pos
            ),
        );
        let run = next_run(c);
        if let Some(r) = replica_mut(c, &key) {
            r.io = Io::Connecting {
                reconnect: true,
                retries: 0,
            };
            r.io_run = run;
        }
        io_connect(c, &key);
    }
}

/// A column of `SHOW SLAVE STATUS`: name, value (`None` prints NULL), and whether it is a number.
pub type Field = (&'static str, Option<String>, bool);

/// `SHOW SLAVE STATUS`: its one row, or `None` on a server that was never given a primary. The fields are 5.7's,
/// in its order.
pub fn slave_status(c: &mut dyn Node, key: &ServerKey) -> Option<Vec<Field>> {
    let s = server(c, key)?;
    let mut fs = ContainerFs::open(c, s.target.clone())?;
    let info = MasterInfo::read(&mut fs)?;
    let relay = RelayInfo::read(&mut fs).unwrap_or_default();
    let base = relay_base(&s);
    let space: u64 = relay_files(&mut fs, &base)
        .iter()
        .map(|f| relay_size(&mut fs, f))
        .sum();
    drop(fs);
    let r = &s.replica;
    let (io_state, io_running) = match &r.io {
        Io::Stopped => ("", "No"),
        Io::Connecting {
            reconnect: false, ..
        } => ("Connecting to master", "Connecting"),
        Io::Connecting {
            reconnect: true, ..
        } => (
            "Reconnecting after a failed master event read",
            "Connecting",
        ),
        Io::Connected { .. } => ("Waiting for master to send event", "Yes"),
    };
    let connected = matches!(r.io, Io::Connected { .. });
    let behind = (connected && r.sql_running).then(|| "0".to_string());
    let err = |e: &Option<ThreadError>| {
        e.as_ref().map_or((0, String::new(), String::new()), |e| {
            (e.errno, e.message.clone(), e.at.strftime("%y%m%d %H:%M:%S"))
        })
    };
    let (io_errno, io_error, io_at) = err(&r.io_error);
    let (sql_errno, sql_error, sql_at) = err(&r.sql_error);
    let text = |v: &str| Some(v.to_string());
    let num = |v: u64| Some(v.to_string());
    let yes_no = |b: bool| text(if b { "Yes" } else { "No" });
    Some(vec![
        ("Slave_IO_State", text(io_state), false),
        ("Master_Host", text(&info.host), false),
        ("Master_User", text(&info.user), false),
        ("Master_Port", num(u64::from(info.port)), true),
        ("Connect_Retry", num(info.connect_retry), true),
        ("Master_Log_File", text(&info.file), false),
        ("Read_Master_Log_Pos", num(info.pos), true),
        ("Relay_Log_File", text(&relay.relay_file), false),
        ("Relay_Log_Pos", num(relay.relay_pos), true),
        ("Relay_Master_Log_File", text(&relay.master_file), false),
        ("Slave_IO_Running", text(io_running), false),
        ("Slave_SQL_Running", yes_no(r.sql_running), false),
        ("Replicate_Do_DB", text(""), false),
        ("Replicate_Ignore_DB", text(""), false),
        ("Replicate_Do_Table", text(""), false),
        ("Replicate_Ignore_Table", text(""), false),
        ("Replicate_Wild_Do_Table", text(""), false),
        ("Replicate_Wild_Ignore_Table", text(""), false),
        ("Last_Errno", num(u64::from(sql_errno)), true),
        ("Last_Error", text(&sql_error), false),
        ("Skip_Counter", num(0), true),
        ("Exec_Master_Log_Pos", num(relay.exec_pos), true),
        ("Relay_Log_Space", num(space), true),
        ("Until_Condition", text("None"), false),
        ("Until_Log_File", text(""), false),
        ("Until_Log_Pos", num(0), true),
        ("Master_SSL_Allowed", text("No"), false),
        ("Master_SSL_CA_File", text(""), false),
        ("Master_SSL_CA_Path", text(""), false),
        ("Master_SSL_Cert", text(""), false),
        ("Master_SSL_Cipher", text(""), false),
        ("Master_SSL_Key", text(""), false),
        ("Seconds_Behind_Master", behind, true),
        ("Master_SSL_Verify_Server_Cert", text("No"), false),
        ("Last_IO_Errno", num(u64::from(io_errno)), true),
        ("Last_IO_Error", text(&io_error), false),
        ("Last_SQL_Errno", num(u64::from(sql_errno)), true),
        ("Last_SQL_Error", text(&sql_error), false),
        ("Replicate_Ignore_Server_Ids", text(""), false),
        ("Master_Server_Id", num(u64::from(r.master_server_id)), true),
        ("Master_UUID", text(&r.master_uuid), false),
        (
            "Master_Info_File",
            text(&format!("{DATADIR}/master.info")),
            false,
        ),
        ("SQL_Delay", num(0), true),
        ("SQL_Remaining_Delay", None, true),
        (
            "Slave_SQL_Running_State",
            text(if r.sql_running {
                "Slave has read all relay log; waiting for more updates"
            } else {
                ""
            }),
            false,
        ),
        ("Master_Retry_Count", num(info.retry_count), true),
        ("Master_Bind", text(""), false),
        ("Last_IO_Error_Timestamp", text(&io_at), false),
        ("Last_SQL_Error_Timestamp", text(&sql_at), false),
        ("Master_SSL_Crl", text(""), false),
        ("Master_SSL_Crlpath", text(""), false),
        ("Retrieved_Gtid_Set", text(""), false),
        ("Executed_Gtid_Set", text(""), false),
        ("Auto_Position", num(0), true),
        ("Replicate_Rewrite_DB", text(""), false),
        ("Channel_Name", text(""), false),
        ("Master_TLS_Version", text(""), false),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_sizes_grow_with_the_statement() {
        let a = event_size("", "CREATE DATABASE test");
        let b = event_size("", "CREATE DATABASE test2");
        assert_eq!(b, a + 1);
        assert!(a > GTID_EVENT + QUERY_EVENT);
    }
}
