//! The replicated-MySQL tutorial: `mysqld` keeping its databases on files, the `mysql` client reaching servers
//! through cluster DNS and Services and printing what the real client prints, replication from the primary's
//! binlog, and the tutorial's own commands.

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

fn pods() -> (Cluster, Terminal) {
    let mut t = Terminal::default();
    t.ctx.files.insert(
        "mysql-pods.yaml".into(),
        include_str!("fixtures/mysql-pods.yaml").into(),
    );
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -f mysql-pods.yaml && sleep 2m", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

fn sh(c: &mut Cluster, t: &mut Terminal, line: &str) -> String {
    t.run(c, line, &[]).text
}

/// What kubectl 1.34+ prints on stderr as it attaches to a container that is still running, here the client
/// waiting for the here-document on its standard input (kubernetes/kubectl pkg/cmd/attach/attach.go,
/// `AttachOptions.Run`). The tutorial page's `Waiting for pod default/mysql-client to be running, status is
/// Pending, pod ready: false` came from kubectl before 1.12 (pkg/kubectl/cmd/run.go `waitForPodRunning`).
const ATTACH_NOTES: &str = "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n";

const SETUP_SQL: &str = "CREATE DATABASE test;\nCREATE TABLE test.messages (message VARCHAR(250));\nINSERT INTO test.messages VALUES ('hello');\n";

#[test]
fn kubectl_run_feeds_the_heredoc_to_the_client_and_a_terminal_gets_a_table() {
    let (mut c, mut t) = pods();
    let p = t.run(
        &mut c,
        "kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never -- mysql -h mysql-0.mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    assert_eq!(
        p.text,
        format!("{ATTACH_NOTES}pod \"mysql-client\" deleted from default namespace\n")
    );
    let p = sh(
        &mut c,
        &mut t,
        "kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-0.mysql -e \"SELECT * FROM test.messages\"",
    );
    assert_eq!(
        p,
        "+---------+\n| message |\n+---------+\n| hello   |\n+---------+\npod \"mysql-client\" deleted from default namespace\n"
    );
    // Without a terminal the client prints batch output: a header line, then tab-separated rows.
    let p = sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -- mysql -h 127.0.0.1 -e 'SELECT * FROM test.messages; SELECT @@server_id'",
    );
    assert_eq!(p, "message\nhello\n@@server_id\n100\n");
}

#[test]
fn the_client_reports_errors_as_mysql_does() {
    let (mut c, mut t) = pods();
    let run = |c: &mut Cluster, t: &mut Terminal, sql: &str| {
        t.run(
            c,
            &format!("kubectl exec mysql-0 -- mysql -h mysql-0.mysql -e \"{sql}\""),
            &[],
        )
        .text
    };
    assert_eq!(run(&mut c, &mut t, "CREATE DATABASE test"), "");
    assert_eq!(
        run(&mut c, &mut t, "CREATE DATABASE test"),
        "ERROR 1007 (HY000) at line 1: Can't create database 'test'; database exists\ncommand terminated with exit code 1\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "SELECT * FROM test.x"),
        "ERROR 1146 (42S02) at line 1: Table 'test.x' doesn't exist\ncommand terminated with exit code 1\n"
    );
    assert_eq!(
        run(&mut c, &mut t, "DROP TABLE test.x"),
        "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'DROP TABLE test.x' at line 1\ncommand terminated with exit code 1\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-0 -- mysql -h nowhere -e 'SELECT 1'"),
        "ERROR 2005 (HY000): Unknown MySQL server host 'nowhere' (-2)\ncommand terminated with exit code 1\n"
    );
    // The replica refuses writes from clients.
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-0 -- mysql -h mysql-1.mysql -e 'CREATE DATABASE other'"),
        "ERROR 1290 (HY000) at line 1: The MySQL server is running with the --super-read-only option so it cannot execute this statement\ncommand terminated with exit code 1\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-0 -- mysqladmin ping"),
        "mysqld is alive\n"
    );
    // A pod without a server: the socket is missing, TCP is refused.
    sh(
        &mut c,
        &mut t,
        "kubectl run box --image=mysql:5.7 -- sleep 3600 && sleep 30",
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec box -- mysql -h 127.0.0.1 -e 'SELECT 1'"),
        "ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1' (111)\ncommand terminated with exit code 1\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec box -- mysqladmin ping"),
        "mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)'\nCheck that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!\ncommand terminated with exit code 1\n"
    );
}

#[test]
fn a_replica_applies_the_primarys_binlog_and_the_read_service_spreads_queries() {
    let (mut c, mut t) = pods();
    t.run(
        &mut c,
        "kubectl exec -i mysql-0 -- mysql -h 127.0.0.1 <<EOF",
        &[SETUP_SQL.to_string()],
    );
    // Before replication starts the replica has nothing.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -- mysql -e 'SHOW DATABASES'"
        ),
        "Database\ninformation_schema\nmysql\nperformance_schema\nsys\n"
    );
    let p = sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -- mysql -h 127.0.0.1 -e \"CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_USER='root', MASTER_PASSWORD='', MASTER_CONNECT_RETRY=10; START SLAVE;\"",
    );
    assert_eq!(p, "");
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -- mysql -e 'SELECT * FROM test.messages'"
        ),
        "message\nhello\n"
    );
    // Later writes reach it too.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -- mysql -e \"INSERT INTO test.messages VALUES ('again')\"",
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -- mysql -e 'SELECT * FROM test.messages'"
        ),
        "message\nhello\nagain\n"
    );
    // mysql-read picks a ready endpoint at random: both server ids show up.
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let out = sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-0 -- mysql -h mysql-read -e 'SELECT @@server_id,NOW()'",
        );
        let row = out.lines().nth(1).unwrap_or_default().to_string();
        let id = row.split('\t').next().unwrap_or_default().to_string();
        seen.insert(id);
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        vec!["100".to_string(), "101".to_string()]
    );
}

#[test]
fn moving_the_client_away_fails_the_exec_readiness_probe_and_takes_the_pod_out_of_mysql_read() {
    let (mut c, mut t) = pods();
    assert!(sh(&mut c, &mut t, "kubectl get pod mysql-1").contains("1/1     Running"));
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -c mysql -- mv /usr/bin/mysql /usr/bin/mysql.off && sleep 10",
    );
    let get = sh(&mut c, &mut t, "kubectl get pod mysql-1");
    assert!(get.contains("mysql-1   0/1     Running"), "{get}");
    let events = sh(
        &mut c,
        &mut t,
        "kubectl get events --field-selector involvedObject.name=mysql-1",
    );
    assert!(
        events.contains("Readiness probe failed: OCI runtime exec failed: exec failed: unable to start container process: exec: \"mysql\": executable file not found in $PATH: unknown"),
        "{events}"
    );
    let ids = |c: &mut Cluster, t: &mut Terminal| {
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..12 {
            let out = sh(
                c,
                t,
                "kubectl exec mysql-0 -- mysql -h mysql-read -e 'SELECT @@server_id'",
            );
            seen.insert(out.lines().nth(1).unwrap_or_default().to_string());
        }
        seen.into_iter().collect::<Vec<_>>()
    };
    assert_eq!(ids(&mut c, &mut t), ["100"]);
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -c mysql -- mv /usr/bin/mysql.off /usr/bin/mysql && sleep 10",
    );
    assert!(sh(&mut c, &mut t, "kubectl get pod mysql-1").contains("1/1     Running"));
    assert_eq!(ids(&mut c, &mut t), ["100", "101"]);
    // Nothing left to change: the cluster goes idle.
    assert!(c.run_until_idle() < 1_000);
}

#[test]
fn a_new_server_clones_its_peers_data_through_ncat_and_xbstream_and_replicates_from_there() {
    let mut t = Terminal::default();
    for f in ["mysql-clone.yaml", "mysql-clone-target.yaml"] {
        let text = match f {
            "mysql-clone.yaml" => include_str!("fixtures/mysql-clone.yaml"),
            _ => include_str!("fixtures/mysql-clone-target.yaml"),
        };
        t.ctx.files.insert(f.into(), text.into());
    }
    let mut c = Cluster::new(ClusterConfig::default());
    let p = t.run(&mut c, "kubectl apply -f mysql-clone.yaml && sleep 1m", &[]);
    assert_eq!(p.status, 0, "{}", p.text);
    t.run(
        &mut c,
        "kubectl exec -i mysql-0 -c mysql -- mysql -h 127.0.0.1 <<EOF",
        &[SETUP_SQL.to_string()],
    );
    let p = t.run(
        &mut c,
        "kubectl apply -f mysql-clone-target.yaml && sleep 1m",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -c mysql -- mysql -e 'SELECT * FROM test.messages'"
        ),
        "message\nhello\n"
    );
    let info = sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -c mysql -- cat /var/lib/mysql/xtrabackup_binlog_info",
    );
    let (file, pos) = info.trim_end().split_once('\t').unwrap_or_default();
    assert_eq!(file, "mysql-0-bin.000001");
    // Replication starts at the cloned position: only later writes are applied.
    sh(
        &mut c,
        &mut t,
        &format!("kubectl exec mysql-1 -c mysql -- mysql -e \"CHANGE MASTER TO MASTER_LOG_FILE='{file}', MASTER_LOG_POS={pos}, MASTER_HOST='mysql-0.mysql', MASTER_USER='root'; START SLAVE;\""),
    );
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -c mysql -- mysql -e \"INSERT INTO test.messages VALUES ('later')\"",
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -c mysql -- mysql -e 'SELECT * FROM test.messages'"
        ),
        "message\nhello\nlater\n"
    );
    // The clone brought xtrabackup's metadata, which --prepare checked.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -c mysql -- cat /var/lib/mysql/xtrabackup_checkpoints"
        )
        .lines()
        .next(),
        Some("backup_type = full-backuped")
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl logs mysql-1 -c clone-mysql")
            .lines()
            .last(),
        Some("completed OK!")
    );
}

/// The server ids `mysql-read` answers with over `n` connections.
fn read_ids(c: &mut Cluster, t: &mut Terminal, n: usize) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..n {
        let out = sh(
            c,
            t,
            "kubectl exec mysql-0 -c mysql -- mysql -h mysql-read -e 'SELECT @@server_id'",
        );
        if let Some(id) = out.lines().nth(1) {
            seen.insert(id.to_string());
        }
    }
    seen.into_iter().collect()
}

#[test]
fn the_replicated_mysql_tutorial_end_to_end() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    let p = t.run(
        &mut c,
        "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml && kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml && kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml && sleep 5m",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    let pods = sh(&mut c, &mut t, "kubectl get pods -l app=mysql");
    for i in 0..3 {
        assert!(
            pods.contains(&format!("mysql-{i}   2/2     Running   0")),
            "{pods}"
        );
    }
    // The init scripts wrote each server's options: ids 100 + ordinal, the primary logs binlogs.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -c mysql -- cat /etc/mysql/conf.d/server-id.cnf"
        ),
        "[mysqld]\nserver-id=101\n"
    );
    // The container's sh expands a pattern against the container's files, in sorted order; one that
    // matches nothing stays as typed.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -c mysql -- sh -c 'echo /etc/mysql/conf.d/*; echo /etc/mysql/conf.d/*.ini'"
        ),
        "/etc/mysql/conf.d/replica.cnf /etc/mysql/conf.d/server-id.cnf\n/etc/mysql/conf.d/*.ini\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -c mysql -- sh -c 'cat /etc/mysql/conf.d/*.cnf'"
        ),
        "# Apply this config only on replicas.\n[mysqld]\nsuper-read-only\n[mysqld]\nserver-id=101\n"
    );
    // Writes go to the primary by its stable name.
    let p = t.run(
        &mut c,
        "kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never -- mysql -h mysql-0.mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    assert_eq!(
        p.text,
        format!("{ATTACH_NOTES}pod \"mysql-client\" deleted from default namespace\n")
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-read -e \"SELECT * FROM test.messages\""),
        "+---------+\n| message |\n+---------+\n| hello   |\n+---------+\npod \"mysql-client\" deleted from default namespace\n"
    );
    assert_eq!(read_ids(&mut c, &mut t, 30), ["100", "101", "102"]);

    // Breaking the readiness probe takes mysql-2 out of mysql-read; repairing it brings it back.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql /usr/bin/mysql.off && sleep 10",
    );
    let get = sh(&mut c, &mut t, "kubectl get pod mysql-2");
    assert!(get.contains("mysql-2   1/2     Running   0"), "{get}");
    assert_eq!(read_ids(&mut c, &mut t, 30), ["100", "101"]);
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql.off /usr/bin/mysql && sleep 10",
    );
    assert_eq!(read_ids(&mut c, &mut t, 30), ["100", "101", "102"]);

    // A deleted pod comes back with the same name, the same claim and the same data.
    sh(&mut c, &mut t, "kubectl delete pod mysql-2 && sleep 2m");
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-2 -c mysql -- mysql -e 'SELECT * FROM test.messages'"
        ),
        "message\nhello\n"
    );

    // Scaling up clones the data to the new replicas.
    sh(
        &mut c,
        &mut t,
        "kubectl scale statefulset mysql --replicas=5 && sleep 5m",
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-3.mysql -e \"SELECT * FROM test.messages\""),
        "+---------+\n| message |\n+---------+\n| hello   |\n+---------+\npod \"mysql-client\" deleted from default namespace\n"
    );
    assert_eq!(
        read_ids(&mut c, &mut t, 50),
        ["100", "101", "102", "103", "104"]
    );

    // Scaling down keeps every claim.
    sh(
        &mut c,
        &mut t,
        "kubectl scale statefulset mysql --replicas=3 && sleep 2m",
    );
    let pvcs = sh(&mut c, &mut t, "kubectl get pvc -l app=mysql");
    assert_eq!(pvcs.lines().count(), 6, "{pvcs}");
    for i in 0..5 {
        assert!(pvcs.contains(&format!("data-mysql-{i}")), "{pvcs}");
    }
}

#[test]
fn a_failing_liveness_probe_restarts_the_container_with_a_fresh_file_system() {
    let (mut c, mut t) = pods();
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -- mv /usr/bin/mysqladmin /tmp/mysqladmin && sleep 1m",
    );
    let get = sh(&mut c, &mut t, "kubectl get pod mysql-1");
    let row = get.lines().nth(1).unwrap_or_default().to_string();
    assert_eq!(
        row.split_whitespace().nth(3),
        Some("1"),
        "one restart: {get}"
    );
    let events = sh(
        &mut c,
        &mut t,
        "kubectl get events --field-selector involvedObject.name=mysql-1",
    );
    assert!(
        events.contains("Liveness probe failed: OCI runtime exec failed: exec failed: unable to start container process: exec: \"mysqladmin\": executable file not found in $PATH: unknown"),
        "{events}"
    );
    assert!(
        events.contains("Container mysql failed liveness probe, will be restarted"),
        "{events}"
    );
    // The restarted container has the image's files again, so the probe passes and it stays up.
    sh(&mut c, &mut t, "sleep 2m");
    let get = sh(&mut c, &mut t, "kubectl get pod mysql-1");
    assert!(get.contains("1/1     Running   1 ("), "{get}");
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-1 -- mysqladmin ping"),
        "mysqld is alive\n"
    );
}

const DB_STS: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: mysql
        image: mysql:5.7
        volumeMounts:
        - name: data
          mountPath: /var/lib/mysql
          subPath: mysql
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
";

#[test]
fn databases_live_on_the_persistent_volume_and_outlive_the_pod() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    t.run(&mut c, "kubectl apply -f - <<EOF", &[DB_STS.to_string()]);
    sh(&mut c, &mut t, "sleep 1m");
    t.run(
        &mut c,
        "kubectl exec -i db-0 -- mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    // The first start created the system schema the tutorial's clone script looks for.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec db-0 -- ls /var/lib/mysql/mysql"
        ),
        "user.MYD\nuser.frm\n"
    );
    sh(&mut c, &mut t, "kubectl delete pod db-0 && sleep 1m");
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec db-0 -- mysql -e 'SELECT * FROM test.messages'"
        ),
        "message\nhello\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec -it db-0 -- mysql -e 'SHOW DATABASES'"),
        "+--------------------+\n| Database           |\n+--------------------+\n| information_schema |\n| mysql              |\n| performance_schema |\n| sys                |\n| test               |\n+--------------------+\n"
    );
}

/// The server ids and times in the bordered tables the seed's loop prints.
fn id_rows(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter(|l| l.starts_with("|         1"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            Some((cells.get(1)?.to_string(), cells.get(2)?.to_string()))
        })
        .collect()
}

fn ids(rows: &[(String, String)]) -> Vec<String> {
    let mut ids: Vec<String> = rows.iter().map(|(id, _)| id.clone()).collect();
    ordinal_engine::sort::sort(&mut ids);
    ids.dedup();
    ids
}

#[test]
fn the_server_id_loop_follows_readiness_as_it_changes_until_ctrl_c() {
    let mut c = Cluster::new(ClusterConfig::default());
    // The learner's second terminal, for the commands the seed runs beside the loop.
    let mut other = Terminal::default();
    let p = other.run(
        &mut c,
        "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml && kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml && kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml && sleep 5m",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    let mut t = Terminal::interactive();
    let first = t.run(
        &mut c,
        "kubectl run mysql-client-loop --image=mysql:5.7 -i -t --rm --restart=Never -- bash -ic \"while sleep 1; do mysql -h mysql-read -e 'SELECT @@server_id,NOW()'; done\"",
        &[],
    );
    assert_eq!(first.status, 0, "{}", first.text);
    assert!(t.busy(), "the loop runs until Ctrl+C");
    // kubectl attached to the running loop, and said so first.
    assert!(first.text.starts_with(ATTACH_NOTES), "{}", first.text);
    c.advance(40_000);
    let mut out = first.text;
    out.push_str(&t.poll(&mut c));
    let rows = id_rows(&out);
    assert!(rows.len() >= 30, "{out}");
    assert_eq!(ids(&rows), ["100", "101", "102"], "{out}");
    // NOW() moves on a second per query, as the seed's output shows.
    let times: Vec<&str> = rows.iter().map(|(_, t)| t.as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");

    // Break mysql-2's readiness from the other terminal: once its probe has failed, it no longer answers.
    sh(
        &mut c,
        &mut other,
        "kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql /usr/bin/mysql.off",
    );
    c.advance(20_000);
    t.poll(&mut c);
    assert!(other
        .run(&mut c, "kubectl get pod mysql-2", &[])
        .text
        .contains("1/2"));
    c.advance(40_000);
    let broken = id_rows(&t.poll(&mut c));
    assert!(broken.len() >= 30);
    assert_eq!(ids(&broken), ["100", "101"]);

    // Mended, it comes back into the loop's answers.
    sh(
        &mut c,
        &mut other,
        "kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql.off /usr/bin/mysql",
    );
    c.advance(20_000);
    t.poll(&mut c);
    c.advance(40_000);
    let mended = id_rows(&t.poll(&mut c));
    assert_eq!(ids(&mended), ["100", "101", "102"]);

    // Ctrl+C ends the loop, and --rm deletes its pod.
    let stopped = t.interrupt(&mut c).expect("the loop was running");
    assert_eq!(
        stopped,
        "pod \"mysql-client-loop\" deleted from default namespace\n"
    );
    assert!(!t.busy());
}

#[test]
fn exec_it_mysql_opens_the_monitor_where_statements_end_at_their_semicolon() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::interactive();
    t.run(&mut c, "kubectl apply -f - <<EOF", &[DB_STS.to_string()]);
    c.advance(60_000);
    let p = t.run(&mut c, "kubectl exec -it db-0 -- mysql", &[]);
    assert!(
        p.text
            .starts_with("Welcome to the MySQL monitor.  Commands end with ; or \\g.\n"),
        "{}",
        p.text
    );
    assert!(p
        .text
        .contains("Server version: 5.7.44 MySQL Community Server (GPL)\n"));
    assert_eq!(t.prompt(), "mysql> ");
    assert_eq!(
        t.run(&mut c, "CREATE DATABASE test;", &[]).text,
        "Query OK, 1 row affected (0.00 sec)\n\n"
    );
    // A statement goes on over lines until its semicolon, under the continuation prompt.
    assert_eq!(t.run(&mut c, "CREATE TABLE test.messages", &[]).text, "");
    assert_eq!(t.prompt(), "    -> ");
    assert_eq!(
        t.run(&mut c, "(message VARCHAR(250));", &[]).text,
        "Query OK, 0 rows affected (0.02 sec)\n\n"
    );
    assert_eq!(t.prompt(), "mysql> ");
    assert_eq!(
        t.run(
            &mut c,
            "INSERT INTO test.messages VALUES ('hello'), ('world');",
            &[]
        )
        .text,
        "Query OK, 2 rows affected (0.01 sec)\nRecords: 2  Duplicates: 0  Warnings: 0\n\n"
    );
    assert_eq!(t.run(&mut c, "USE test", &[]).text, "");
    assert_eq!(t.run(&mut c, ";", &[]).text, "Database changed\n");
    assert_eq!(
        t.run(&mut c, "SELECT * FROM messages;", &[]).text,
        "+---------+\n| message |\n+---------+\n| hello   |\n| world   |\n+---------+\n2 rows in set (0.00 sec)\n\n"
    );
    assert_eq!(
        t.run(&mut c, "SELECT * FROM nothing;", &[]).text,
        "ERROR 1146 (42S02): Table 'test.nothing' doesn't exist\n"
    );
    assert_eq!(t.run(&mut c, "exit", &[]).text, "Bye\n");
    assert!(t.attached().is_none());
    assert_eq!(t.prompt(), "student@ordinal:~$ ");
    // What the monitor wrote is there for the next client.
    assert_eq!(
        t.run(
            &mut c,
            "kubectl exec db-0 -- mysql -e 'SELECT * FROM test.messages'",
            &[]
        )
        .text,
        "message\nhello\nworld\n"
    );
    let refused = t.run(&mut c, "kubectl exec -it db-0 -- mysql -h nowhere", &[]);
    assert_eq!(
        refused.text,
        "ERROR 2005 (HY000): Unknown MySQL server host 'nowhere' (-2)\ncommand terminated with exit code 1\n"
    );
    assert!(t.attached().is_none());

    // The tutorial's client pod, run with a terminal and no -e, is the monitor too; leaving it ends the pod.
    let p = t.run(
        &mut c,
        "kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h $(kubectl get pod db-0 -o jsonpath='{.status.podIP}')",
        &[],
    );
    assert!(
        p.text.contains("Welcome to the MySQL monitor."),
        "{}",
        p.text
    );
    assert_eq!(
        t.run(&mut c, "SELECT * FROM test.messages;", &[]).text,
        "+---------+\n| message |\n+---------+\n| hello   |\n| world   |\n+---------+\n2 rows in set (0.00 sec)\n\n"
    );
    let bye = t.run(&mut c, "quit", &[]);
    assert!(
        bye.text.starts_with("Bye\npod \"mysql-client\" deleted"),
        "{}",
        bye.text
    );
}

// ---- replication: the binlog, the IO and SQL threads, SHOW SLAVE STATUS ----
//
// MySQL 5.7's behaviour as mysql-server 5.7 `sql/rpl_slave.cc` implements it (`connect_to_master`,
// `try_to_reconnect`, `show_slave_status`) and client/mysql.cc prints it (`com_go`,
// `print_table_data_vertically`).

/// The tutorial's three manifests, applied as the page applies them, and five minutes for the set to be Ready.
fn tutorial() -> (Cluster, Terminal) {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    let p = t.run(
        &mut c,
        "kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml && kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml && kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml && sleep 5m",
        &[],
    );
    assert_eq!(p.status, 0, "{}", p.text);
    (c, t)
}

/// One field of a `\G` row: the text after `Name: `.
fn field(out: &str, name: &str) -> String {
    out.lines()
        .find_map(|l| {
            let (n, v) = l.split_once(": ").unwrap_or((l.trim_end_matches(':'), ""));
            (n.trim_start() == name).then(|| v.to_string())
        })
        .unwrap_or_else(|| panic!("no {name} in:\n{out}"))
}

fn slave_status(c: &mut Cluster, t: &mut Terminal, pod: &str) -> String {
    sh(
        c,
        t,
        &format!("kubectl exec {pod} -c mysql -- mysql -e 'SHOW SLAVE STATUS\\G'"),
    )
}

/// The primary's current binlog file and position, from `SHOW MASTER STATUS` in batch mode.
fn master_status(c: &mut Cluster, t: &mut Terminal) -> (String, String) {
    let out = sh(
        c,
        t,
        "kubectl exec mysql-0 -c mysql -- mysql -e 'SHOW MASTER STATUS'",
    );
    let row: Vec<String> = out
        .lines()
        .nth(1)
        .unwrap_or_else(|| panic!("{out}"))
        .split('\t')
        .map(str::to_string)
        .collect();
    (row[0].clone(), row[1].clone())
}

fn messages(c: &mut Cluster, t: &mut Terminal, pod: &str) -> String {
    sh(
        c,
        t,
        &format!("kubectl exec {pod} -c mysql -- mysql -e 'SELECT * FROM test.messages'"),
    )
}

#[test]
fn the_primarys_writes_reach_every_replica_and_mysql_read_at_once() {
    let (mut c, mut t) = tutorial();
    let (file, start) = master_status(&mut c, &mut t);
    assert_eq!(
        (file.as_str(), start.as_str()),
        ("mysql-0-bin.000001", "154")
    );
    t.run(
        &mut c,
        "kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never -- mysql -h mysql-0.mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    // Each statement is an event: the primary's position grows with it.
    let (file, pos) = master_status(&mut c, &mut t);
    assert_eq!(file, "mysql-0-bin.000001");
    let pos: u64 = pos.parse().unwrap();
    assert!(pos > 154, "{pos}");
    // No time passes, and still every server has the row: replication lag in a healthy cluster is nil.
    for pod in ["mysql-1", "mysql-2"] {
        assert_eq!(messages(&mut c, &mut t, pod), "message\nhello\n", "{pod}");
        let status = slave_status(&mut c, &mut t, pod);
        assert_eq!(field(&status, "Slave_IO_Running"), "Yes", "{status}");
        assert_eq!(field(&status, "Slave_SQL_Running"), "Yes", "{status}");
        assert_eq!(field(&status, "Master_Log_File"), file, "{status}");
        assert_eq!(field(&status, "Read_Master_Log_Pos"), pos.to_string());
        assert_eq!(field(&status, "Relay_Master_Log_File"), file);
        assert_eq!(field(&status, "Exec_Master_Log_Pos"), pos.to_string());
        assert_eq!(field(&status, "Seconds_Behind_Master"), "0");
    }
    for _ in 0..20 {
        assert_eq!(
            sh(&mut c, &mut t, "kubectl exec mysql-0 -c mysql -- mysql -h mysql-read -e 'SELECT * FROM test.messages'"),
            "message\nhello\n"
        );
    }
    // A later write moves every position on together.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -c mysql -- mysql -h mysql-0.mysql -e \"INSERT INTO test.messages VALUES ('world')\"",
    );
    let (_, later) = master_status(&mut c, &mut t);
    assert!(later.parse::<u64>().unwrap() > pos);
    for pod in ["mysql-1", "mysql-2"] {
        assert_eq!(messages(&mut c, &mut t, pod), "message\nhello\nworld\n");
        let status = slave_status(&mut c, &mut t, pod);
        assert_eq!(field(&status, "Exec_Master_Log_Pos"), later);
    }
    // The primary is no replica: it has no slave status, and the client prints nothing for an empty result.
    assert_eq!(slave_status(&mut c, &mut t, "mysql-0"), "");
}

/// The fields 5.7's `show_slave_status` sends, in order.
const SLAVE_STATUS_FIELDS: [&str; 57] = [
    "Slave_IO_State",
    "Master_Host",
    "Master_User",
    "Master_Port",
    "Connect_Retry",
    "Master_Log_File",
    "Read_Master_Log_Pos",
    "Relay_Log_File",
    "Relay_Log_Pos",
    "Relay_Master_Log_File",
    "Slave_IO_Running",
    "Slave_SQL_Running",
    "Replicate_Do_DB",
    "Replicate_Ignore_DB",
    "Replicate_Do_Table",
    "Replicate_Ignore_Table",
    "Replicate_Wild_Do_Table",
    "Replicate_Wild_Ignore_Table",
    "Last_Errno",
    "Last_Error",
    "Skip_Counter",
    "Exec_Master_Log_Pos",
    "Relay_Log_Space",
    "Until_Condition",
    "Until_Log_File",
    "Until_Log_Pos",
    "Master_SSL_Allowed",
    "Master_SSL_CA_File",
    "Master_SSL_CA_Path",
    "Master_SSL_Cert",
    "Master_SSL_Cipher",
    "Master_SSL_Key",
    "Seconds_Behind_Master",
    "Master_SSL_Verify_Server_Cert",
    "Last_IO_Errno",
    "Last_IO_Error",
    "Last_SQL_Errno",
    "Last_SQL_Error",
    "Replicate_Ignore_Server_Ids",
    "Master_Server_Id",
    "Master_UUID",
    "Master_Info_File",
    "SQL_Delay",
    "SQL_Remaining_Delay",
    "Slave_SQL_Running_State",
    "Master_Retry_Count",
    "Master_Bind",
    "Last_IO_Error_Timestamp",
    "Last_SQL_Error_Timestamp",
    "Master_SSL_Crl",
    "Master_SSL_Crlpath",
    "Retrieved_Gtid_Set",
    "Executed_Gtid_Set",
    "Auto_Position",
    "Replicate_Rewrite_DB",
    "Channel_Name",
    "Master_TLS_Version",
];

#[test]
fn show_slave_status_with_backslash_g_prints_the_57_fields_one_a_line() {
    let (mut c, mut t) = tutorial();
    let out = slave_status(&mut c, &mut t, "mysql-1");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "*************************** 1. row ***************************"
    );
    // Names right-aligned to the longest, Master_SSL_Verify_Server_Cert; an empty value keeps the space.
    let names: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split_once(':').map_or(*l, |(n, _)| n).trim_start())
        .collect();
    assert_eq!(names, SLAVE_STATUS_FIELDS);
    assert!(lines[1..].iter().all(|l| l.find(": ") == Some(29)), "{out}");
    assert!(out.contains("\n              Replicate_Do_DB: \n"), "{out}");
    for (name, value) in [
        ("Slave_IO_State", "Waiting for master to send event"),
        ("Master_Host", "mysql-0.mysql"),
        ("Master_User", "root"),
        ("Master_Port", "3306"),
        ("Connect_Retry", "10"),
        ("Master_Log_File", "mysql-0-bin.000001"),
        ("Read_Master_Log_Pos", "154"),
        ("Relay_Log_File", "mysql-1-relay-bin.000001"),
        ("Relay_Master_Log_File", "mysql-0-bin.000001"),
        ("Slave_IO_Running", "Yes"),
        ("Slave_SQL_Running", "Yes"),
        ("Last_Errno", "0"),
        ("Exec_Master_Log_Pos", "154"),
        ("Until_Condition", "None"),
        ("Seconds_Behind_Master", "0"),
        ("Last_IO_Errno", "0"),
        ("Last_IO_Error", ""),
        ("Master_Server_Id", "100"),
        ("Master_Info_File", "/var/lib/mysql/master.info"),
        ("SQL_Remaining_Delay", "NULL"),
        (
            "Slave_SQL_Running_State",
            "Slave has read all relay log; waiting for more updates",
        ),
        ("Master_Retry_Count", "86400"),
        ("Auto_Position", "0"),
    ] {
        assert_eq!(field(&out, name), value, "{name}");
    }
    // Master_UUID is the primary's server-uuid from its auto.cnf.
    let auto = sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -c mysql -- cat /var/lib/mysql/auto.cnf",
    );
    assert_eq!(
        auto,
        format!("[auto]\nserver-uuid={}\n", field(&out, "Master_UUID"))
    );
    // In the monitor, \G ends the statement too, and the row count follows.
    let mut m = Terminal::interactive();
    m.run(&mut c, "kubectl exec -it mysql-2 -c mysql -- mysql", &[]);
    let shown = m.run(&mut c, "SHOW SLAVE STATUS\\G", &[]).text;
    assert!(
        shown.starts_with("*************************** 1. row ***************************\n               Slave_IO_State: Waiting for master to send event\n"),
        "{shown}"
    );
    assert!(shown.ends_with("\n1 row in set (0.00 sec)\n\n"), "{shown}");
    assert_eq!(
        m.run(&mut c, "SHOW MASTER STATUS;", &[]).text,
        "Empty set (0.00 sec)\n\n"
    );
}

#[test]
fn show_master_status_and_binary_logs_answer_on_the_primary_only() {
    let (mut c, mut t) = tutorial();
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec -it mysql-0 -c mysql -- mysql -e 'SHOW MASTER STATUS'"),
        "+--------------------+----------+--------------+------------------+-------------------+\n| File               | Position | Binlog_Do_DB | Binlog_Ignore_DB | Executed_Gtid_Set |\n+--------------------+----------+--------------+------------------+-------------------+\n| mysql-0-bin.000001 |      154 |              |                  |                   |\n+--------------------+----------+--------------+------------------+-------------------+\n"
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-0 -c mysql -- mysql -e 'SHOW BINARY LOGS'"
        ),
        "Log_name\tFile_size\nmysql-0-bin.000001\t154\n"
    );
    // A replica has no binlog: SHOW MASTER STATUS is empty, SHOW BINARY LOGS an error.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-1 -c mysql -- mysql -e 'SHOW MASTER STATUS'"
        ),
        ""
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-1 -c mysql -- mysql -e 'SHOW BINARY LOGS'"),
        "ERROR 1381 (HY000) at line 1: You are not using binary logging\ncommand terminated with exit code 1\n"
    );
    // Each start of the primary's server opens the next binlog file.
    sh(&mut c, &mut t, "kubectl delete pod mysql-0 && sleep 1m");
    assert_eq!(
        master_status(&mut c, &mut t),
        ("mysql-0-bin.000002".to_string(), "154".to_string())
    );
}

#[test]
fn a_replica_that_was_down_catches_up_from_where_it_stopped() {
    let (mut c, mut t) = tutorial();
    t.run(
        &mut c,
        "kubectl exec -i mysql-0 -c mysql -- mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    let (_, before) = master_status(&mut c, &mut t);
    // Written while mysql-2 is gone: only the primary and mysql-1 have it.
    sh(&mut c, &mut t, "kubectl delete pod mysql-2");
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -c mysql -- mysql -e \"INSERT INTO test.messages VALUES ('while away')\"",
    );
    let (_, after) = master_status(&mut c, &mut t);
    assert_eq!(
        messages(&mut c, &mut t, "mysql-1"),
        "message\nhello\nwhile away\n"
    );
    sh(&mut c, &mut t, "sleep 2m");
    assert_eq!(
        messages(&mut c, &mut t, "mysql-2"),
        "message\nhello\nwhile away\n"
    );
    // The restarted server started replication by itself from master.info, at the position it had read.
    let log = sh(&mut c, &mut t, "kubectl logs mysql-2 -c mysql");
    assert!(
        log.contains(&format!("[Note] Slave I/O thread for channel '': connected to master 'root@mysql-0.mysql:3306',replication started in log 'mysql-0-bin.000001' at position {before}\n")),
        "{log}"
    );
    let status = slave_status(&mut c, &mut t, "mysql-2");
    assert_eq!(field(&status, "Exec_Master_Log_Pos"), after);
    assert_eq!(field(&status, "Slave_IO_Running"), "Yes");
}

/// The seconds since the cluster's epoch of a mysqld log line (`2026-01-05T09:05:32.000000Z …`).
fn log_second(line: &str) -> u32 {
    let time = line.get(11..19).unwrap_or_default();
    time.split(':')
        .filter_map(|p| p.parse::<u32>().ok())
        .fold(0, |acc, p| acc * 60 + p)
}

#[test]
fn replicas_reconnect_every_connect_retry_seconds_while_the_primary_is_away() {
    let (mut c, mut t) = tutorial();
    t.run(
        &mut c,
        "kubectl exec -i mysql-0 -c mysql -- mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    let (_, pos) = master_status(&mut c, &mut t);
    sh(&mut c, &mut t, "kubectl delete pod mysql-0");
    // The primary's server stopped: the IO thread lost its connection and cannot find mysql-0.mysql, which
    // has no address while the pod is not Ready. mysqld shut down within seconds of its SIGTERM, while the
    // deletion waited the 30s grace period for the xtrabackup sidecar's `ncat`, which as PID 1 ignores it
    // (kuberuntime_container.go `killContainersWithSyncResult` stops each container on its own): the replica
    // had tried again three times by then.
    let status = slave_status(&mut c, &mut t, "mysql-1");
    assert_eq!(
        field(&status, "Slave_IO_State"),
        "Reconnecting after a failed master event read"
    );
    assert_eq!(field(&status, "Slave_IO_Running"), "Connecting");
    assert_eq!(field(&status, "Slave_SQL_Running"), "Yes");
    assert_eq!(field(&status, "Seconds_Behind_Master"), "NULL");
    assert_eq!(field(&status, "Last_IO_Errno"), "2005");
    assert_eq!(
        field(&status, "Last_IO_Error"),
        "error reconnecting to master 'root@mysql-0.mysql:3306' - retry-time: 10  retries: 3"
    );
    assert_eq!(field(&status, "Read_Master_Log_Pos"), pos);
    // Reads from the replicas go on.
    assert_eq!(messages(&mut c, &mut t, "mysql-1"), "message\nhello\n");
    sh(&mut c, &mut t, "sleep 2m");
    // mysql-0 is back: each failed attempt came MASTER_CONNECT_RETRY (10) seconds after the one before, and the
    // last one got through.
    let log = sh(&mut c, &mut t, "kubectl logs mysql-1 -c mysql");
    let lost = log
        .lines()
        .position(|l| l.contains("Failed reading log event, reconnecting to retry"))
        .unwrap_or_else(|| panic!("{log}"));
    let attempts: Vec<&str> = log
        .lines()
        .skip(lost)
        .filter(|l| l.contains("error reconnecting to master") || l.contains("replication resumed"))
        .collect();
    assert!(attempts.len() >= 2, "{log}");
    assert!(attempts[..attempts.len() - 1]
        .iter()
        .enumerate()
        .all(|(i, l)| l.ends_with(&format!(
            "retry-time: 10  retries: {}, Error_code: 2005",
            i + 1
        ))));
    assert!(
        attempts
            .windows(2)
            .all(|w| log_second(w[1]) == log_second(w[0]) + 10),
        "{attempts:#?}"
    );
    assert!(attempts.last().unwrap().ends_with(&format!(
        "[Note] Slave: connected to master 'root@mysql-0.mysql:3306',replication resumed in log 'mysql-0-bin.000001' at position {pos}"
    )));
    let status = slave_status(&mut c, &mut t, "mysql-1");
    assert_eq!(field(&status, "Slave_IO_Running"), "Yes");
    assert_eq!(field(&status, "Last_IO_Errno"), "0");
    assert_eq!(field(&status, "Last_IO_Error"), "");
    // The new server writes a new binlog file; the replicas read on into it.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -c mysql -- mysql -e \"INSERT INTO test.messages VALUES ('after')\"",
    );
    let (file, pos) = master_status(&mut c, &mut t);
    assert_eq!(file, "mysql-0-bin.000002");
    for pod in ["mysql-1", "mysql-2"] {
        assert_eq!(messages(&mut c, &mut t, pod), "message\nhello\nafter\n");
        let status = slave_status(&mut c, &mut t, pod);
        assert_eq!(field(&status, "Master_Log_File"), file);
        assert_eq!(field(&status, "Exec_Master_Log_Pos"), pos);
    }
}

#[test]
fn the_io_thread_gives_up_after_master_retry_count_attempts() {
    let (mut c, mut t) = pods();
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -- mysql -e \"CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_USER='root', MASTER_CONNECT_RETRY=2, MASTER_RETRY_COUNT=3; START SLAVE\"",
    );
    assert_eq!(
        field(&slave_status_of_pod(&mut c, &mut t), "Slave_IO_Running"),
        "Yes"
    );
    // A plain pod does not come back.
    sh(&mut c, &mut t, "kubectl delete pod mysql-0");
    let status = slave_status_of_pod(&mut c, &mut t);
    assert_eq!(field(&status, "Slave_IO_Running"), "Connecting");
    assert_eq!(field(&status, "Master_Retry_Count"), "3");
    sh(&mut c, &mut t, "sleep 3");
    assert_eq!(
        field(&slave_status_of_pod(&mut c, &mut t), "Last_IO_Error"),
        "error reconnecting to master 'root@mysql-0.mysql:3306' - retry-time: 2  retries: 2"
    );
    sh(&mut c, &mut t, "sleep 2");
    let status = slave_status_of_pod(&mut c, &mut t);
    assert_eq!(field(&status, "Slave_IO_Running"), "No");
    assert_eq!(field(&status, "Slave_IO_State"), "");
    assert_eq!(
        field(&status, "Last_IO_Error"),
        "error reconnecting to master 'root@mysql-0.mysql:3306' - retry-time: 2  retries: 3"
    );
    // Nothing is left to retry.
    assert!(c.run_until_idle() < 1_000);
    // MASTER_RETRY_COUNT=0 never gives up; the attempts stay on the clock, a second apart at least.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -- mysql -e \"STOP SLAVE; CHANGE MASTER TO MASTER_CONNECT_RETRY=0, MASTER_RETRY_COUNT=0; START SLAVE\" && sleep 1m",
    );
    let status = slave_status_of_pod(&mut c, &mut t);
    assert_eq!(field(&status, "Slave_IO_Running"), "Connecting");
    assert_eq!(field(&status, "Master_Retry_Count"), "0");
    assert_eq!(
        field(&status, "Last_IO_Error"),
        "error connecting to master 'root@mysql-0.mysql:3306' - retry-time: 0  retries: 61"
    );
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -- mysql -e 'STOP SLAVE'",
    );
    assert!(c.run_until_idle() < 1_000);
}

fn slave_status_of_pod(c: &mut Cluster, t: &mut Terminal) -> String {
    sh(
        c,
        t,
        "kubectl exec mysql-1 -- mysql -e 'SHOW SLAVE STATUS\\G'",
    )
}

#[test]
fn stop_slave_holds_the_primarys_writes_back_until_start_slave() {
    let (mut c, mut t) = tutorial();
    t.run(
        &mut c,
        "kubectl exec -i mysql-0 -c mysql -- mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    // With the IO thread stopped nothing is read.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -c mysql -- mysql -e 'STOP SLAVE IO_THREAD'",
    );
    let status = slave_status(&mut c, &mut t, "mysql-1");
    assert_eq!(field(&status, "Slave_IO_Running"), "No");
    assert_eq!(field(&status, "Slave_IO_State"), "");
    assert_eq!(field(&status, "Slave_SQL_Running"), "Yes");
    assert_eq!(field(&status, "Seconds_Behind_Master"), "NULL");
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -c mysql -- mysql -e \"INSERT INTO test.messages VALUES ('one')\"",
    );
    assert_eq!(messages(&mut c, &mut t, "mysql-1"), "message\nhello\n");
    // With the SQL thread stopped the events wait in the relay log: read, not applied.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -c mysql -- mysql -e 'STOP SLAVE SQL_THREAD; START SLAVE IO_THREAD'",
    );
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -c mysql -- mysql -e \"INSERT INTO test.messages VALUES ('two')\"",
    );
    let (_, pos) = master_status(&mut c, &mut t);
    assert_eq!(messages(&mut c, &mut t, "mysql-1"), "message\nhello\n");
    let status = slave_status(&mut c, &mut t, "mysql-1");
    assert_eq!(field(&status, "Slave_IO_Running"), "Yes");
    assert_eq!(field(&status, "Slave_SQL_Running"), "No");
    assert_eq!(field(&status, "Read_Master_Log_Pos"), pos);
    assert_ne!(field(&status, "Exec_Master_Log_Pos"), pos);
    assert_eq!(field(&status, "Slave_SQL_Running_State"), "");
    // START SLAVE applies them, in order.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -c mysql -- mysql -e 'START SLAVE'",
    );
    assert_eq!(
        messages(&mut c, &mut t, "mysql-1"),
        "message\nhello\none\ntwo\n"
    );
    assert_eq!(
        field(
            &slave_status(&mut c, &mut t, "mysql-1"),
            "Exec_Master_Log_Pos"
        ),
        pos
    );
    // CHANGE MASTER TO needs the IO thread stopped; START SLAVE needs a primary.
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-1 -c mysql -- mysql -e \"CHANGE MASTER TO MASTER_CONNECT_RETRY=5\""),
        "ERROR 3021 (HY000) at line 1: This operation cannot be performed with a running slave io thread; run STOP SLAVE IO_THREAD FOR CHANNEL '' first.\ncommand terminated with exit code 1\n"
    );
    assert_eq!(
        sh(&mut c, &mut t, "kubectl exec mysql-0 -c mysql -- mysql -e 'START SLAVE'"),
        "ERROR 1200 (HY000) at line 1: The server is not configured as slave; fix in config file or with CHANGE MASTER TO\ncommand terminated with exit code 1\n"
    );
}

#[test]
fn the_sql_thread_stops_at_an_event_it_cannot_apply() {
    let (mut c, mut t) = tutorial();
    t.run(
        &mut c,
        "kubectl exec -i mysql-0 -c mysql -- mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    // Replaying the primary's binlog from its start meets CREATE DATABASE test, which mysql-1 already has.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-1 -c mysql -- mysql -e \"STOP SLAVE; CHANGE MASTER TO MASTER_LOG_FILE='mysql-0-bin.000001', MASTER_LOG_POS=154; START SLAVE\"",
    );
    let status = slave_status(&mut c, &mut t, "mysql-1");
    let error = "Error 'Can't create database 'test'; database exists' on query. Default database: ''. Query: 'CREATE DATABASE test'";
    assert_eq!(field(&status, "Slave_IO_Running"), "Yes");
    assert_eq!(field(&status, "Slave_SQL_Running"), "No");
    assert_eq!(field(&status, "Last_Errno"), "1007");
    assert_eq!(field(&status, "Last_Error"), error);
    assert_eq!(field(&status, "Last_SQL_Errno"), "1007");
    assert_eq!(field(&status, "Last_SQL_Error"), error);
    assert_eq!(field(&status, "Exec_Master_Log_Pos"), "154");
    assert_eq!(field(&status, "Seconds_Behind_Master"), "NULL");
    assert_eq!(field(&status, "Last_SQL_Error_Timestamp").len(), 15);
    let log = sh(&mut c, &mut t, "kubectl logs mysql-1 -c mysql");
    assert!(
        log.contains(&format!(
            "[ERROR] Slave SQL for channel '': {error}, Error_code: 1007\n"
        )),
        "{log}"
    );
    // A replica asked for a binlog file the primary does not have stops its IO thread.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-2 -c mysql -- mysql -e \"STOP SLAVE; CHANGE MASTER TO MASTER_LOG_FILE='mysql-0-bin.000009', MASTER_LOG_POS=4; START SLAVE\"",
    );
    let status = slave_status(&mut c, &mut t, "mysql-2");
    assert_eq!(field(&status, "Slave_IO_Running"), "No");
    assert_eq!(field(&status, "Last_IO_Errno"), "1236");
    assert_eq!(
        field(&status, "Last_IO_Error"),
        "Got fatal error 1236 from master when reading data from binary log: 'Could not find first log file name in binary log index file'"
    );
}

#[test]
fn scaled_up_replicas_clone_from_their_peer_and_stream_from_the_primary() {
    let (mut c, mut t) = tutorial();
    t.run(
        &mut c,
        "kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never -- mysql -h mysql-0.mysql <<EOF",
        &[SETUP_SQL.to_string()],
    );
    let (file, pos) = master_status(&mut c, &mut t);
    sh(
        &mut c,
        &mut t,
        "kubectl scale statefulset mysql --replicas=5 && sleep 5m",
    );
    // mysql-3 cloned mysql-2, a replica: xtrabackup_slave_info gave the position mysql-2 had applied, and the
    // xtrabackup sidecar pointed replication at the primary from there.
    let xtrabackup = sh(&mut c, &mut t, "kubectl logs mysql-3 -c xtrabackup");
    assert!(
        xtrabackup.contains(&format!(
            "xCHANGE MASTER TO MASTER_LOG_FILE='\\''{file}'\\'', MASTER_LOG_POS={pos};"
        )),
        "{xtrabackup}"
    );
    for pod in ["mysql-3", "mysql-4"] {
        assert_eq!(messages(&mut c, &mut t, pod), "message\nhello\n");
        let status = slave_status(&mut c, &mut t, pod);
        assert_eq!(field(&status, "Master_Host"), "mysql-0.mysql");
        assert_eq!(field(&status, "Master_Server_Id"), "100");
        assert_eq!(field(&status, "Slave_IO_Running"), "Yes");
        let log = sh(&mut c, &mut t, &format!("kubectl logs {pod} -c mysql"));
        assert!(
            log.contains(&format!("[Note] Slave SQL thread for channel '' initialized, starting replication in log '{file}' at position {pos}, relay log")),
            "{log}"
        );
    }
    // Later writes reach the new servers too.
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -c mysql -- mysql -e \"INSERT INTO test.messages VALUES ('five')\"",
    );
    for pod in ["mysql-1", "mysql-2", "mysql-3", "mysql-4"] {
        assert_eq!(
            messages(&mut c, &mut t, pod),
            "message\nhello\nfive\n",
            "{pod}"
        );
    }
}

/// client/mysql.cc `com_go`: an empty result prints no table and no header; only the monitor says "Empty set".
#[test]
fn an_empty_result_prints_nothing_outside_the_monitor() {
    let (mut c, mut t) = pods();
    sh(
        &mut c,
        &mut t,
        "kubectl exec mysql-0 -- mysql -e 'CREATE DATABASE test; CREATE TABLE test.messages (message VARCHAR(250))'",
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-0 -- mysql -e 'SELECT * FROM test.messages'"
        ),
        ""
    );
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec -it mysql-0 -- mysql -e 'SELECT * FROM test.messages'"
        ),
        ""
    );
    // -E prints every result vertically.
    assert_eq!(
        sh(
            &mut c,
            &mut t,
            "kubectl exec mysql-0 -- mysql -E -e 'SELECT @@server_id'"
        ),
        "*************************** 1. row ***************************\n@@server_id: 100\n"
    );
}

/// Deleting a MySQL pod stops its two containers each on its own (kuberuntime_container.go
/// `killContainersWithSyncResult`): mysqld shuts down cleanly at SIGTERM, while the xtrabackup sidecar, whose
/// script ends in `exec ncat`, ignores it as PID 1 and is killed when the 30s grace period ends. Meanwhile the
/// pod shows both running (the kubelet reports the ends together) and the mysql container's exec readiness
/// probe errors at every period without changing readiness (prober.go `probe`, worker.go `doProbe`).
#[test]
fn a_deleted_mysql_pod_stops_mysqld_at_once_and_waits_out_the_sidecar() {
    let (mut c, mut t) = tutorial();
    sh(&mut c, &mut t, "kubectl delete pod mysql-2 --wait=false");
    sh(&mut c, &mut t, "sleep 10");
    let row = sh(&mut c, &mut t, "kubectl get pod mysql-2 --no-headers");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1..3], ["2/2", "Terminating"], "{row}");
    let log = sh(&mut c, &mut t, "kubectl logs mysql-2 -c mysql");
    assert!(
        log.trim_end().ends_with("[Note] mysqld: Shutdown complete"),
        "{log}"
    );
    let describe = sh(&mut c, &mut t, "kubectl describe pod mysql-2");
    assert!(
        describe.contains("kubelet            Readiness probe errored and resulted in unknown state: rpc error: code = Unknown desc = failed to exec in container: container is in CONTAINER_EXITED state"),
        "{describe}"
    );
    sh(&mut c, &mut t, "sleep 19");
    let row = sh(&mut c, &mut t, "kubectl get pod mysql-2 --no-headers");
    assert!(row.contains("Terminating"), "{row}");
    sh(&mut c, &mut t, "sleep 2");
    let row = sh(&mut c, &mut t, "kubectl get pod mysql-2 --no-headers");
    assert!(!row.contains("Terminating"), "{row}");
}
