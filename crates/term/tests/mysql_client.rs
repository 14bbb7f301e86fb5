//! The `mysql` client's command line as learners type it (`-e … -N`, `-s`, `-B`, `-t`, `-r`, `-E`, `-v`, `-u`,
//! `-p`, `--host=`), read and printed as MySQL 5.7's client does: client/mysql.cc `my_long_options` and
//! `get_one_option` for the options, `main` (batch mode and one `-s` when stdin or stdout is not a terminal),
//! `com_go` for which printer runs, `print_table_data`, `print_tab_data`, `print_table_data_vertically` and
//! `safe_put_field` for what they print, `put_info` for what batch mode keeps quiet.

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

/// The fixture's two servers (mysql-0 with server-id 100, mysql-1 with 101), with a table holding a value with
/// a tab, one with a backslash and a NULL.
fn servers() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx.files.insert(
        "mysql-pods.yaml".into(),
        include_str!("fixtures/mysql-pods.yaml").into(),
    );
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -f mysql-pods.yaml && sleep 2m", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    let p = t.run(
        &mut c,
        r#"kubectl exec mysql-0 -- mysql -e "CREATE DATABASE t; CREATE TABLE t.m (v VARCHAR(20)); INSERT INTO t.m VALUES ('a\tb'), ('c\\\\d'), (NULL)""#,
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

/// `-N` (`column_names= 0`): no header line in batch output, no header row in a bordered table (and the names
/// no longer widen its columns), no names in vertical output.
#[test]
fn skip_column_names_drops_the_header_in_every_format() {
    let (mut c, mut t) = servers();
    let q = "-h mysql-0.mysql -e 'SELECT @@server_id'";
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q}")
        ),
        "@@server_id\n100\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} -N")
        ),
        "100\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} --skip-column-names")
        ),
        "100\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} --column-names=0")
        ),
        "100\n"
    );
    // With a terminal `-e` prints a bordered table.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec -it mysql-1 -- mysql {q}")
        ),
        "+-------------+\n| @@server_id |\n+-------------+\n|         100 |\n+-------------+\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec -it mysql-1 -- mysql {q} -N")
        ),
        "+-----+\n| 100 |\n+-----+\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} -EN")
        ),
        "*************************** 1. row ***************************\n100\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} --vertical")
        ),
        "*************************** 1. row ***************************\n@@server_id: 100\n"
    );
}

/// `-s` counts (`opt_silent++`): without a terminal the client is already at one, so one `-s` drops the
/// header; with a terminal one `-s` gives tab-separated output with the header and `-ss` without. `-B` is
/// batch mode with at least one `-s`; `-t` forces the bordered table.
#[test]
fn silent_batch_and_table_choose_the_printer() {
    let (mut c, mut t) = servers();
    let q = "-hmysql-0.mysql -e 'SELECT * FROM t.m'";
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} -s")
        ),
        "a\\tb\nc\\\\d\nNULL\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec -it mysql-1 -- mysql {q} -s")
        ),
        "v\na\\tb\nc\\\\d\nNULL\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec -it mysql-1 -- mysql {q} -ss")
        ),
        "a\\tb\nc\\\\d\nNULL\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec -it mysql-1 -- mysql {q} -B")
        ),
        "v\na\\tb\nc\\\\d\nNULL\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} --table")
        ),
        "+------+\n| v    |\n+------+\n| a\tb  |\n| c\\d  |\n| NULL |\n+------+\n"
    );
    // `-r`: values as they are (`safe_put_field` without MY_PRINT_ESC_0 | MY_PRINT_CTRL).
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} -r")
        ),
        "v\na\tb\nc\\d\nNULL\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-1 -- mysql {q} --raw --batch --silent")
        ),
        "a\tb\nc\\d\nNULL\n"
    );
}

/// `-v` echoes each statement between dashes (`com_print`); `-vv` lets batch mode print the result line
/// (`put_info` with `verbose > 1`), without the time while silent; `-vvv` prints a table, with the time.
#[test]
fn verbose_echoes_statements_and_counts_rows() {
    let (mut c, mut t) = servers();
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-0 -- mysql -v -e 'SELECT @@server_id'"
        ),
        "--------------\nSELECT @@server_id\n--------------\n\n@@server_id\n100\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-0 -- mysql -vv -e 'SELECT @@server_id'"
        ),
        "--------------\nSELECT @@server_id\n--------------\n\n@@server_id\n100\n1 row in set\n\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-0 -- mysql -vvv -e 'SELECT @@server_id'"),
        "--------------\nSELECT @@server_id\n--------------\n\n+-------------+\n| @@server_id |\n+-------------+\n|         100 |\n+-------------+\n1 row in set (0.00 sec)\n\n"
    );
}

/// my_getopt: `-hHOST` and `-h HOST`, `--host=HOST` and `--host HOST`, a unique prefix (`--exec`), `-D` and a
/// bare word for the database; `-p` takes only the rest of its word, so `-p secret` asks for a password and
/// names the database `secret`.
#[test]
fn options_are_read_as_my_getopt_reads_them() {
    let (mut c, mut t) = servers();
    for line in [
        "mysql -hmysql-1.mysql -N -e 'SELECT @@server_id'",
        "mysql -h mysql-1.mysql -Ne 'SELECT @@server_id'",
        "mysql --host=mysql-1.mysql --skip-column-names --execute='SELECT @@server_id'",
        "mysql --host mysql-1.mysql -sN --exec 'SELECT @@server_id'",
        "mysql --host=mysql-1.mysql --port=3306 -uroot -N -e 'SELECT @@server_id'",
    ] {
        assert_eq!(
            sh(&mut c, &mut t, &format!("kubectl exec mysql-0 -- {line}")),
            "101\n",
            "{line}"
        );
    }
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-0 -- mysql -N -D t -e 'SELECT * FROM m'"
        ),
        "a\\tb\nc\\\\d\nNULL\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-0 -- mysql -N t -e 'SELECT * FROM m'"
        ),
        "a\\tb\nc\\\\d\nNULL\n"
    );
    // `get_tty_password` without a terminal prompts on stderr and reads stdin; then the database is unknown.
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-0 -- mysql -p secret -e 'SELECT 1'"),
        "Enter password: ERROR 1049 (42000): Unknown database 'secret'\ncommand terminated with exit code 1\n"
    );
    // A port nothing listens on.
    let p = t.run(
        &mut c,
        "kubectl exec mysql-0 -- mysql -h mysql-1.mysql -P 3307 -e 'SELECT 1'",
        &[],
    );
    assert_eq!(
        p.text,
        "ERROR 2003 (HY000): Can't connect to MySQL server on 'mysql-1.mysql' (111)\ncommand terminated with exit code 1\n"
    );
}

/// my_getopt's errors as the 5.7 client prints them (`mysql: [ERROR] …`, no full stop) and their exit statuses:
/// `EXIT_UNKNOWN_OPTION` 2, `EXIT_ARGUMENT_REQUIRED` 5; `-V` prints the version line.
#[test]
fn bad_options_are_refused_as_my_getopt_refuses_them() {
    let (mut c, mut t) = servers();
    let p = t.run(&mut c, "kubectl exec mysql-0 -- mysql -Z", &[]);
    assert_eq!(
        p.text,
        "mysql: [ERROR] mysql: unknown option '-Z'\ncommand terminated with exit code 2\n"
    );
    let p = t.run(&mut c, "kubectl exec mysql-0 -- mysql --frobnicate", &[]);
    assert_eq!(
        p.text,
        "mysql: [ERROR] unknown option '--frobnicate'\ncommand terminated with exit code 2\n"
    );
    let p = t.run(&mut c, "kubectl exec mysql-0 -- mysql -u", &[]);
    assert_eq!(
        p.text,
        "mysql: [ERROR] mysql: option '-u' requires an argument\ncommand terminated with exit code 5\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-0 -- mysql -V"),
        "mysql  Ver 14.14 Distrib 5.7.44, for Linux (x86_64) using  EditLine wrapper\n"
    );
}

/// A server whose root password comes from a Secret, as in the WordPress tutorial (`MYSQL_ROOT_PASSWORD`,
/// docker-library/mysql `docker-entrypoint.sh`): the right password logs in, with the client's warning about
/// a password on the command line; a wrong or missing one is error 1045 naming the user, where it came
/// from, and whether a password was used.
const PASSWORD_POD: &str = "apiVersion: v1
kind: Secret
metadata:
  name: mysql-pass
stringData:
  password: s3cr3t
---
apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: mysql
    image: mysql:5.7
    env:
    - name: MYSQL_ROOT_PASSWORD
      valueFrom:
        secretKeyRef:
          name: mysql-pass
          key: password
";

#[test]
fn the_root_password_comes_from_the_environment_at_initialization() {
    let mut t = Terminal::default();
    t.ctx.files.insert("db.yaml".into(), PASSWORD_POD.into());
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -f db.yaml && sleep 2m", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec db -- mysql -uroot -ps3cr3t -N -e 'SELECT 1'"
        ),
        "mysql: [Warning] Using a password on the command line interface can be insecure.\n1\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec db -- mysql --user=root --password=s3cr3t -N -e 'SELECT 1'"
        ),
        "mysql: [Warning] Using a password on the command line interface can be insecure.\n1\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec db -- mysql -e 'SELECT 1'"),
        "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: NO)\ncommand terminated with exit code 1\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec db -- mysql -u root -pnope -e 'SELECT 1'"),
        "mysql: [Warning] Using a password on the command line interface can be insecure.\nERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\ncommand terminated with exit code 1\n"
    );
    // The environment shows the Secret's value, as the kubelet resolves secretKeyRef.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec db -- printenv MYSQL_ROOT_PASSWORD"
        ),
        "s3cr3t\n"
    );
    // `-p` on a terminal asks first; the line typed is the password and is not kept in the history.
    let p = t.run(&mut c, "kubectl exec -it db -- mysql -u root -p", &[]);
    assert_eq!(p.text, "Enter password: ");
    assert!(t.reads_secret());
    assert_eq!(t.prompt(), "Enter password: ");
    let p = t.run(&mut c, "s3cr3t", &[]);
    assert!(
        p.text.starts_with("\nWelcome to the MySQL monitor."),
        "{}",
        p.text
    );
    assert!(!t.reads_secret());
    assert_eq!(t.prompt(), "mysql> ");
    assert_eq!(
        t.run(&mut c, "SELECT 1;", &[]).text,
        "+---+\n| 1 |\n+---+\n| 1 |\n+---+\n1 row in set (0.00 sec)\n\n"
    );
    assert_eq!(t.run(&mut c, "exit", &[]).text, "Bye\n");
    let history = t.run(&mut c, "history", &[]).text;
    assert!(
        history.lines().all(|l| !l.ends_with("  s3cr3t")),
        "{history}"
    );
    assert!(
        history.contains("  kubectl exec -it db -- mysql -u root -p\n"),
        "{history}"
    );
    // A wrong password ends the client with status 1.
    t.run(&mut c, "kubectl exec -it db -- mysql -p", &[]);
    let p = t.run(&mut c, "wrong", &[]);
    assert_eq!(
        p.text,
        "\nERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\ncommand terminated with exit code 1\n"
    );
    assert_eq!(p.status, 1);
}

/// In the monitor, `-s` prints tab-separated results with no row count and no "Bye"; `-N` drops the header
/// row of the table.
#[test]
fn the_monitor_follows_the_same_options() {
    let (mut c, mut t) = servers();
    t.run(&mut c, "kubectl exec -it mysql-0 -- mysql -s", &[]);
    assert_eq!(
        t.run(&mut c, "SELECT @@server_id;", &[]).text,
        "@@server_id\n100\n"
    );
    assert_eq!(t.run(&mut c, "exit", &[]).text, "");
    let welcome = t
        .run(&mut c, "kubectl exec -it mysql-0 -- mysql -N", &[])
        .text;
    assert!(
        welcome.starts_with("Welcome to the MySQL monitor."),
        "{welcome}"
    );
    assert_eq!(
        t.run(&mut c, "SELECT @@server_id;", &[]).text,
        "+-----+\n| 100 |\n+-----+\n1 row in set (0.00 sec)\n\n"
    );
    assert_eq!(t.run(&mut c, "exit", &[]).text, "Bye\n");
}

/// Batch mode flushes stdout before each error (client/mysql.cc `put_info`: "flush stdout before stderr"), so
/// with `--force` an error comes between the results before and after it; the warning about a password and
/// `Enter password: ` come first, as the client starts.
#[test]
fn batch_errors_come_between_the_results() {
    let (mut c, mut t) = servers();
    let q = "--force -N -e 'SELECT 1; SELECT * FROM nope.m; SELECT 2'";
    assert_eq!(
        sh(&mut c, &mut t, &format!("kubectl exec mysql-0 -- mysql {q}")),
        "1\nERROR 1146 (42S02) at line 1: Table 'nope.m' doesn't exist\n2\ncommand terminated with exit code 1\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            &format!("kubectl exec mysql-0 -- mysql -uroot -p {q}")
        ),
        "Enter password: 1\nERROR 1146 (42S02) at line 1: Table 'nope.m' doesn't exist\n2\ncommand terminated with exit code 1\n"
    );
}
