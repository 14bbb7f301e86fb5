//! The programs that run inside containers: shells (busybox ash, dash as Debian's `sh`, bash), the file tools
//! learners use (`cat`, `ls`, `mkdir`, `rm`, `mv`, `cp`, `touch`), `hostname`, `uname`, `date`, `env`,
//! `sleep`, the text tools of [`ordinal_sh::coreutils`] (the one `grep`, `sed`, `tr` … the learner's terminal
//! uses too), and the images' own tools (`curl`/`wget` against nginx, …). A program is found the way a shell
//! finds it: by `PATH` lookup in the container's file system, so moving a binary away makes it "not found".
//! Messages follow the tool's own implementation (busybox or GNU coreutils), chosen by the image's family.

pub mod mysql;
pub mod net;

use std::collections::BTreeMap;

use crate::images::{self, Family};
use crate::model::pod::Container;
use crate::model::Pod;
use crate::Node;
use crate::{pod_fqdn, pod_hostname, ContainerFs, ContainerRef};
use ordinal_sh::fs::normalize;
use ordinal_sh::{Host, Job, JobState, Output, Script, Shell, Stream, Wait};

/// The default `PATH` of the images the playground knows.
pub const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// How a command is being run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `kubectl exec` or a probe: `sleep` moves the cluster's clock, as the learner waits for it.
    Exec,
    /// The container's main process (or an init container's), stepped by the kubelet on the clock: `sleep`
    /// makes it wait (see [`Host::take_wait`]).
    Main,
}

/// A program and its arguments running in one container.
pub struct ContainerHost<'c> {
    pub fs: ContainerFs<'c>,
    pub cwd: String,
    family: Family,
    image: String,
    mode: Mode,
    /// The shell interpreting the current script (`sh`, `bash`), for its not-found messages.
    shell_name: Option<&'static str>,
    /// Main mode: how long the commands run so far make the process wait before its next one.
    pub wait: Option<Wait>,
    /// An exec'd command line stepped on the page's clock (a loop typed into an attached shell in the
    /// browser): `sleep` waits as in a main process instead of running the clock.
    pub stepped: bool,
    /// How the process runs (a container's main process, or `kubectl exec`).
    pub mode_is_main: bool,
    env: BTreeMap<String, String>,
    /// A terminal is attached (`exec -it`, `run -it`): `mysql` prints bordered tables.
    pub tty: bool,
}

/// The container's spec in its pod, by name.
pub fn container_spec<'p>(pod: &'p Pod, name: &str) -> Option<&'p Container> {
    pod.spec
        .containers
        .iter()
        .chain(&pod.spec.init_containers)
        .find(|c| c.name == name)
}

/// The environment a container's processes start with: the image's `PATH`, `HOSTNAME` and `HOME`, then the
/// spec's `env` in order, `valueFrom` resolved as the kubelet resolves it (the downward API's fields, a key of
/// a Secret, decoded, or of a ConfigMap); a reference to something missing leaves the variable out.
pub fn container_env(cluster: &dyn Node, pod: &Pod, ct: &Container) -> BTreeMap<String, String> {
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    env.insert("PATH".into(), PATH.into());
    env.insert("HOSTNAME".into(), pod_hostname(pod));
    env.insert("HOME".into(), "/root".into());
    let ns = &pod.metadata.namespace;
    for e in &ct.env {
        if let Some(v) = &e.value {
            env.insert(e.name.clone(), v.clone());
            continue;
        }
        let Some(from) = &e.value_from else {
            continue;
        };
        let text = |p: &str| from.pointer(p).and_then(|v| v.as_str()).unwrap_or("");
        let value = if let Some(path) = from.pointer("/fieldRef/fieldPath").and_then(|p| p.as_str())
        {
            Some(match path {
                "metadata.name" => pod.metadata.name.clone(),
                "metadata.namespace" => pod.metadata.namespace.clone(),
                "status.podIP" => pod.status.pod_ip.clone().unwrap_or_default(),
                "spec.nodeName" => pod.spec.node_name.clone().unwrap_or_default(),
                _ => String::new(),
            })
        } else if from.get("secretKeyRef").is_some() {
            cluster
                .secret(ns, text("/secretKeyRef/name"))
                .and_then(|s| {
                    let key = text("/secretKeyRef/key");
                    s.string_data
                        .get(key)
                        .cloned()
                        .or_else(|| s.data.get(key).and_then(|d| crate::base64::decode_text(d)))
                })
        } else if from.get("configMapKeyRef").is_some() {
            cluster
                .config_map(ns, text("/configMapKeyRef/name"))
                .and_then(|m| m.data.get(text("/configMapKeyRef/key")).cloned())
        } else {
            None
        };
        if let Some(v) = value {
            env.insert(e.name.clone(), v);
        }
    }
    env
}

impl<'c> ContainerHost<'c> {
    /// `None` when the pod is gone or the container is not in it.
    pub fn open(
        cluster: &'c mut dyn Node,
        target: ContainerRef,
        mode: Mode,
    ) -> Option<ContainerHost<'c>> {
        let pod = cluster.pod(&target.namespace, &target.pod)?.clone();
        let ct = container_spec(&pod, &target.container)?.clone();
        let env = container_env(cluster, &pod, &ct);
        let cwd = ct.working_dir.clone().unwrap_or_else(|| "/".to_string());
        let image = ct.image.clone();
        let fs = ContainerFs::open(cluster, target)?;
        Some(ContainerHost {
            fs,
            cwd,
            family: images::family(&image),
            image,
            mode,
            shell_name: None,
            wait: None,
            stepped: false,
            env,
            tty: false,
            mode_is_main: mode == Mode::Main,
        })
    }

    /// The container's image.
    pub fn image(&self) -> &str {
        &self.image
    }

    /// The image family, which decides the shell and the tools' wording.
    pub fn family(&self) -> Family {
        self.family
    }

    fn pod(&self) -> Option<Pod> {
        let t = &self.fs.target;
        self.fs.node_ref().pod(&t.namespace, &t.pod).cloned()
    }

    /// A shell as the container's `sh`/`bash` starts: hostname, FQDN, root, the container's environment.
    pub fn shell(&self) -> Shell {
        let mut sh = Shell::new();
        if let Some(pod) = self.pod() {
            sh.hostname = pod_hostname(&pod);
            let zone = self.fs.node_ref().cluster_domain().to_string();
            sh.fqdn = Some(pod_fqdn(&pod, &zone));
        }
        sh.user = "root".to_string();
        for (k, v) in &self.env {
            sh.vars.insert(k.clone(), v.clone());
        }
        sh.vars.insert("PWD".into(), self.cwd.clone());
        sh
    }

    fn path(&self, p: &str) -> String {
        normalize(&self.cwd, p)
    }

    /// Finds a command the way `execvp` does: a path as given, else the first `PATH` directory holding it.
    /// Answers the program the executable runs.
    pub fn lookup(&mut self, cmd: &str) -> Option<String> {
        let candidates: Vec<String> = if cmd.contains('/') {
            vec![self.path(cmd)]
        } else {
            let path = self
                .env
                .get("PATH")
                .cloned()
                .unwrap_or_else(|| PATH.to_string());
            path.split(':').map(|d| format!("{d}/{cmd}")).collect()
        };
        candidates.into_iter().find_map(|p| {
            let text = self.fs.read(&p).ok()?;
            images::program_of(&text).map(str::to_string)
        })
    }

    /// `kubectl exec` as a process that can wait ([`Process::step`]); `Err` as [`ContainerHost::exec`].
    pub fn exec_process(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
    ) -> Result<ExecRun, String> {
        let Some(cmd) = argv.first() else {
            return Err("no command".into());
        };
        let Some(program) = self.lookup(cmd) else {
            return Err(format!(
                "exec: \"{cmd}\": executable file not found in $PATH"
            ));
        };
        Ok(
            match self.main_script(&program, argv, stdin.map(str::to_owned)) {
                Ok((shell, script, stdin, shell_name)) => ExecRun::Process(Process {
                    job: Job::new(shell, script, stdin),
                    run: 0,
                    shell_name,
                    tty: self.tty,
                }),
                Err(printed) => ExecRun::Done(printed),
            },
        )
    }

    /// Runs `argv` as a process (no shell around it), as `kubectl exec POD -- argv…` does.
    pub fn exec(&mut self, argv: &[String], stdin: Option<&str>) -> Result<Output, String> {
        let Some(cmd) = argv.first() else {
            return Err("no command".into());
        };
        let Some(program) = self.lookup(cmd) else {
            return Err(format!(
                "exec: \"{cmd}\": executable file not found in $PATH"
            ));
        };
        Ok(self.program(&program, argv, stdin))
    }

    fn not_found(&self, cmd: &str) -> Output {
        let msg = match (self.shell_name, self.family) {
            (Some("bash"), _) => format!("bash: line 1: {cmd}: command not found\n"),
            (_, Family::Debian) => format!("sh: 1: {cmd}: not found\n"),
            _ => format!("sh: {cmd}: not found\n"),
        };
        Output::failed(msg, 127)
    }

    /// Runs a shell script (`sh -c SCRIPT`).
    pub fn run_script(&mut self, shell_name: &'static str, script: &str) -> Output {
        let mut sh = self.shell();
        let outer = self.shell_name.replace(shell_name);
        let out = if self.mode == Mode::Main {
            // A main process's output goes to one log, stdout and stderr in the order they were written.
            let mut log = String::new();
            let status = match ordinal_sh::parse(script) {
                Ok(parsed) => {
                    sh.execute_streaming(&parsed, self, &mut |_, text| log.push_str(text))
                }
                Err(e) => {
                    log.push_str(&format!("{e}\n"));
                    2
                }
            };
            Output::both(log, String::new(), status)
        } else {
            sh.run_line(script, self)
        };
        self.shell_name = outer;
        let prefix = match (shell_name, self.family) {
            ("bash", _) => "bash: ",
            _ => "sh: ",
        };
        // Parse errors come back worded for bash; name the shell that really ran.
        let mut named = Output::default();
        for (stream, text) in out.printed() {
            match stream {
                Stream::Stderr => named.push_stderr(&text.replace("bash: ", prefix)),
                Stream::Stdout => named.push_stdout(text),
            }
        }
        named.status = out.status;
        named
    }

    /// The script a container's process runs as a [`Job`]: a shell's `-c` script, script file or stdin, with
    /// the options its flags set (`-ec`, `-xc`); any other program as a script of that one command. `Err`:
    /// what the shell printed when it could not start, with its status.
    #[allow(clippy::type_complexity)]
    fn main_script(
        &mut self,
        program: &str,
        argv: &[String],
        stdin: Option<String>,
    ) -> Result<(Shell, Script, Option<String>, Option<&'static str>), Output> {
        let args = &argv[1..];
        if !matches!(program, "sh" | "ash" | "bash") {
            let line: Vec<String> = argv
                .iter()
                .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
                .collect();
            let script = ordinal_sh::parse(&line.join(" "))
                .map_err(|e| Output::failed(format!("{e}\n"), 2))?;
            return Ok((self.shell(), script, stdin, None));
        }
        let shell_name: &'static str = if program == "bash" { "bash" } else { "sh" };
        let options: Vec<&String> = args.iter().take_while(|a| a.starts_with('-')).collect();
        let flags: String = options.iter().map(|o| o.trim_start_matches('-')).collect();
        let (text, stdin) = if flags.contains('c') {
            match args.get(options.len()) {
                Some(script) => (script.clone(), stdin),
                None => {
                    return Err(Output::failed(
                        format!("{shell_name}: -c: option requires an argument\n"),
                        2,
                    ))
                }
            }
        } else {
            match args.first().map(String::as_str) {
                Some(file) if !file.starts_with('-') => match self.fs.read(&self.path(file)) {
                    Ok(script) => (script, stdin),
                    Err(e) => {
                        return Err(Output::failed(
                            format!("{shell_name}: {file}: {}\n", e.message()),
                            127,
                        ))
                    }
                },
                _ => (stdin.unwrap_or_default(), None),
            }
        };
        let preamble = format!(
            "{}{}",
            if flags.contains('e') { "set -e\n" } else { "" },
            if flags.contains('x') { "set -x\n" } else { "" }
        );
        let script = ordinal_sh::parse(&format!("{preamble}{text}")).map_err(|e| {
            let prefix = if shell_name == "bash" {
                "bash: "
            } else {
                "sh: "
            };
            Output::failed(format!("{}\n", e.to_string().replace("bash: ", prefix)), 2)
        })?;
        Ok((self.shell(), script, stdin, Some(shell_name)))
    }

    fn program(&mut self, program: &str, argv: &[String], stdin: Option<&str>) -> Output {
        let args = &argv[1..];
        let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        match program {
            "sh" | "ash" | "bash" => {
                let shell_name: &'static str = if program == "bash" { "bash" } else { "sh" };
                // Options before the script: `-c` (also inside `-ic`, `-ec`), `-e` and `-x` as `set` would.
                let options: Vec<&String> =
                    args.iter().take_while(|a| a.starts_with('-')).collect();
                let flags: String = options.iter().map(|o| o.trim_start_matches('-')).collect();
                let preamble = format!(
                    "{}{}",
                    if flags.contains('e') { "set -e\n" } else { "" },
                    if flags.contains('x') { "set -x\n" } else { "" }
                );
                if flags.contains('c') {
                    return match args.get(options.len()) {
                        Some(script) => self.run_script(shell_name, &format!("{preamble}{script}")),
                        None => Output::failed(
                            format!("{shell_name}: -c: option requires an argument\n"),
                            2,
                        ),
                    };
                }
                match args.first().map(String::as_str) {
                    Some(file) if !file.starts_with('-') => match self.fs.read(&self.path(file)) {
                        Ok(script) => self.run_script(shell_name, &script),
                        Err(e) => {
                            Output::failed(format!("{shell_name}: {file}: {}\n", e.message()), 127)
                        }
                    },
                    _ => match stdin {
                        Some(script) => self.run_script(shell_name, script),
                        None => Output::ok(String::new()),
                    },
                }
            }
            "exec" => match self.exec(args, stdin) {
                Ok(o) => o,
                Err(_) => self.not_found(args.first().map_or("", String::as_str)),
            },
            "true" => Output::ok(String::new()),
            "false" => Output::failed(String::new(), 1),
            "pwd" => Output::ok(format!("{}\n", self.cwd)),
            "id" => Output::ok("uid=0(root) gid=0(root) groups=0(root)\n".into()),
            "whoami" => Output::ok("root\n".into()),
            "hostname" => self.hostname(args),
            "uname" => self.uname(args),
            "date" => {
                self.fs.node().runtime_mut().observed_clock();
                let now = self.fs.node_ref().now();
                match args.first().and_then(|a| a.strip_prefix('+')) {
                    Some(format) => Output::ok(format!("{}\n", now.strftime(format))),
                    None => Output::ok(format!("{}\n", now.date_string())),
                }
            }
            "env" | "printenv" => {
                if let Some(var) = args.first().filter(|_| program == "printenv") {
                    return match self.env.get(var) {
                        Some(v) => Output::ok(format!("{v}\n")),
                        None => Output::failed(String::new(), 1),
                    };
                }
                Output::ok(self.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect())
            }
            "sleep" => self.sleep(&name, args),
            tool if ordinal_sh::files::TOOLS.contains(&tool) => {
                let mtime = ordinal_sh::files::ls_time(&self.fs.node_ref().now().date_string());
                let home = self.env.get("HOME").cloned();
                let place = ordinal_sh::files::Place {
                    cwd: &self.cwd,
                    home: home.as_deref(),
                    owner: "root",
                    mtime: &mtime,
                    flavor: self.flavor(),
                };
                ordinal_sh::files::run(&mut self.fs, &place, tool, args, stdin)
                    .unwrap_or_else(|| Output::failed(String::new(), 127))
            }
            tool if ordinal_sh::coreutils::TOOLS.contains(&tool) => {
                let flavor = self.flavor();
                ordinal_sh::coreutils::run(self, tool, args, stdin, flavor)
                    .unwrap_or_else(|| Output::failed(String::new(), 127))
            }
            "curl" | "wget" => self.http(program, args),
            "mysql" => crate::programs::mysql::client(self, args, stdin),
            "mysqladmin" => crate::programs::mysql::admin(self, args),
            "nslookup" | "nslookup-bind" => self.nslookup(program, args),
            "dig" => self.dig(args),
            "host" => self.host(args),
            "ping" => self.ping(args),
            "ncat" => crate::programs::mysql::ncat(self, args),
            "xtrabackup" => crate::programs::mysql::xtrabackup(self, args),
            "xbstream" => crate::programs::mysql::xbstream(self, args, stdin),
            // `nginx -v` prints the version on stderr and exits (src/core/nginx.c `ngx_show_version_info`).
            "nginx" if args.first().is_some_and(|a| a == "-v") => Output::failed(
                format!(
                    "nginx version: nginx/{}\n",
                    images::nginx_version(&self.image).unwrap_or_default()
                ),
                0,
            ),
            "nginx" | "mysqld" | "redis-server" | "apache2" => {
                // A server started by hand in an exec session would fail to bind the port the main process
                // holds.
                Output::failed(
                    format!("{name}: bind() to 0.0.0.0 failed (98: Address already in use)\n"),
                    1,
                )
            }
            other => Output::failed(
                format!("{name}: {other} is not simulated in this playground\n"),
                126,
            ),
        }
    }

    /// Whose text tools the image ships: GNU coreutils (Debian) or BusyBox.
    fn flavor(&self) -> ordinal_sh::coreutils::Flavor {
        match self.family {
            Family::Debian => ordinal_sh::coreutils::Flavor::Gnu,
            Family::Busybox | Family::Alpine => ordinal_sh::coreutils::Flavor::Busybox,
        }
    }

    fn hostname(&mut self, args: &[String]) -> Output {
        let Some(pod) = self.pod() else {
            return Output::failed(String::new(), 1);
        };
        let zone = self.fs.node_ref().cluster_domain().to_string();
        match args.first().map(String::as_str) {
            None | Some("-s") | Some("--short") => Output::ok(format!("{}\n", pod_hostname(&pod))),
            Some("-f") | Some("--fqdn") | Some("--long") => {
                Output::ok(format!("{}\n", pod_fqdn(&pod, &zone)))
            }
            Some("-i") | Some("--ip-address") => Output::ok(format!(
                "{}\n",
                pod.status.pod_ip.clone().unwrap_or_default()
            )),
            Some(_) => Output::failed(
                "hostname: you must be root to change the host name\n".into(),
                1,
            ),
        }
    }

    fn uname(&mut self, args: &[String]) -> Output {
        let host = self.pod().map(|p| pod_hostname(&p)).unwrap_or_default();
        let all = format!("Linux {host} 6.8.0-1015-kind #16-Ubuntu SMP x86_64 GNU/Linux");
        let out = match args.first().map(String::as_str) {
            None | Some("-s") => "Linux".to_string(),
            Some("-n") => host,
            Some("-r") => "6.8.0-1015-kind".to_string(),
            Some("-m") => "x86_64".to_string(),
            Some("-a") => all,
            Some(other) => {
                return Output::failed(
                    format!(
                        "uname: invalid option -- '{}'\n",
                        other.trim_start_matches('-')
                    ),
                    1,
                )
            }
        };
        Output::ok(format!("{out}\n"))
    }

    /// A main process's command makes it wait `wait` more before its next command (added to what commands
    /// of a nested `sh -c` already waited).
    pub fn wait_for(&mut self, wait: Wait) {
        self.wait = Some(match (self.wait, wait) {
            (None, w) => w,
            (Some(Wait::For(a)), Wait::For(b)) => Wait::For(a.saturating_add(b)),
            _ => Wait::Forever,
        });
    }

    /// A main process that started a server or slept forever: nothing after that runs.
    fn waits_forever(&self) -> bool {
        (self.mode == Mode::Main || self.stepped) && self.wait == Some(Wait::Forever)
    }

    fn sleep(&mut self, name: &str, args: &[String]) -> Output {
        let wait = match ordinal_sh::sleep(name, args, self.flavor()) {
            Ok(wait) => wait,
            Err(failed) => return failed,
        };
        match self.mode {
            _ if self.stepped => self.wait_for(wait),
            Mode::Main => self.wait_for(wait),
            Mode::Exec => {
                // An exec session that sleeps forever is stopped by the learner; here it waits ten minutes.
                self.fs
                    .node()
                    .advance(wait.millis_or(ordinal_api::time::MAX_WAIT_MS));
            }
        }
        Output::ok(String::new())
    }

    /// `curl URL` / `wget -qO- URL`: through the pod's resolver and Services to the pod that serves it.
    fn http(&mut self, program: &str, args: &[String]) -> Output {
        let Some(url) = args.iter().find(|a| !a.starts_with('-') && *a != "-") else {
            return match program {
                "curl" => Output::failed("curl: try 'curl --help' or 'curl --manual' for more information\n".into(), 2),
                _ => Output::failed("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n".into(), 1),
            };
        };
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let hostport = rest.split('/').next().unwrap_or("");
        let host = hostport.split(':').next().unwrap_or("").to_string();
        let port = hostport
            .split_once(':')
            .map_or("80", |(_, p)| p)
            .to_string();
        match self.http_get(url) {
            crate::programs::net::Http::Response(status, body) => match program {
                "curl" => Output::ok(body),
                _ if status == 200 => Output::ok(body),
                _ => {
                    let reason = match status {
                        302 => "Found",
                        403 => "Forbidden",
                        500 => "Internal Server Error",
                        _ => "Not Found",
                    };
                    Output::failed(format!("wget: server returned error: HTTP/1.1 {status} {reason}\n"), 1)
                }
            },
            crate::programs::net::Http::NoHost => match program {
                "curl" => Output::failed(format!("curl: (6) Could not resolve host: {host}\n"), 6),
                _ => Output::failed(format!("wget: bad address '{host}'\n"), 1),
            },
            crate::programs::net::Http::Refused => match program {
                "curl" => Output::failed(format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"), 7),
                _ => Output::failed("wget: can't connect to remote host: Connection refused\n".to_string(), 1),
            },
        }
    }

    /// `ping [-c N] HOST`: resolves the name and answers (the pod network always reaches a pod).
    fn ping(&mut self, args: &[String]) -> Output {
        let mut count = 4;
        let mut host = None;
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "-c" => {
                    count = args.get(i + 1).and_then(|c| c.parse().ok()).unwrap_or(4);
                    i += 1;
                }
                a if !a.starts_with('-') => host = Some(a.to_string()),
                _ => {}
            }
            i += 1;
        }
        let Some(host) = host else {
            return Output::failed(
                "ping: usage error: Destination address required\n".into(),
                1,
            );
        };
        let Some(ip) = self
            .resolve_host(&host)
            .and_then(|ips| ips.first().cloned())
        else {
            return Output::failed(format!("ping: bad address '{host}'\n"), 1);
        };
        let mut out = format!("PING {host} ({ip}): 56 data bytes\n");
        for seq in 0..count {
            out.push_str(&format!(
                "64 bytes from {ip}: seq={seq} ttl=62 time=0.100 ms\n"
            ));
        }
        out.push_str(&format!(
            "\n--- {host} ping statistics ---\n{count} packets transmitted, {count} packets received, 0% packet loss\nround-trip min/avg/max = 0.100/0.100/0.100 ms\n"
        ));
        Output::ok(out)
    }

    /// Whether this container's image serves HTTP (nginx).
    fn serves_http(&self) -> bool {
        serves_http(&self.image)
    }
}

/// Whether the playground simulates what containers of `image` run (nginx, mysqld, the shells and tools);
/// other applications are taken to serve on their declared ports and to be healthy.
pub fn simulated(image: &str) -> bool {
    serves_http(image) || is_mysql(image) || images::default_command_is_a_shell(image)
}

/// Whether containers of `image` serve HTTP on port 80 (nginx).
pub fn serves_http(image: &str) -> bool {
    let r = images::parse(image);
    matches!(
        r.repository.rsplit('/').next(),
        Some("nginx" | "nginx-slim")
    )
}

/// Whether containers of `image` run WordPress under Apache on port 80: the default and `-apache` tags (the
/// `-fpm` ones speak FastCGI on 9000, the `cli` ones are wp-cli).
pub fn serves_wordpress(image: &str) -> bool {
    let r = images::parse(image);
    r.repository.rsplit('/').next() == Some("wordpress")
        && !r.tag.contains("fpm")
        && !r.tag.starts_with("cli")
}

/// A fresh WordPress's answer for `path`, once it can log in to its database as the image's
/// wp-config-docker.php configures it (`WORDPRESS_DB_HOST`, `WORDPRESS_DB_USER`, `WORDPRESS_DB_PASSWORD`, with
/// the file's defaults): not installed yet, every request its front controller handles is sent to the
/// installer (wp-includes/load.php `wp_not_installed`: `wp_redirect()` to `/wp-admin/install.php`, a 302
/// whose body is empty, so `curl` prints nothing). `None` (refused, as for anything not simulated) for what
/// the playground does not carry: the installer's own page, static files, and the 500 page WordPress shows
/// when it cannot reach its database.
fn wordpress(host: &mut ContainerHost<'_>, path: &str) -> Option<(u16, String)> {
    // The image's .htaccess sends what is not a file or directory of WordPress's own to index.php; of those,
    // the front page, the login and the dashboard load WordPress and so redirect too.
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let redirects = matches!(
        path,
        "/" | "/index.php" | "/wp-login.php" | "/wp-admin/" | "/wp-admin/index.php"
    ) || !(path.starts_with("/wp-")
        || matches!(path, "/readme.html" | "/license.txt" | "/xmlrpc.php"));
    if !redirects {
        return None;
    }
    let setting = |name: &str, default: &str| {
        host.env
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    let db_host = setting("WORDPRESS_DB_HOST", "mysql");
    let user = setting("WORDPRESS_DB_USER", "example username");
    let password = setting("WORDPRESS_DB_PASSWORD", "example password");
    let (name, port) = match db_host.rsplit_once(':') {
        Some((n, p)) => (n.to_string(), p.parse().ok()?),
        None => (db_host.clone(), 3306),
    };
    mysql::can_log_in(host, &name, port, &user, &password).then(|| (302, String::new()))
}

/// nginx's answer for `path`: the file under its web root, `index.html` for a directory, or nginx's 403 page
/// for a directory without one and 404 for anything missing; WordPress's ([`wordpress`]). `None` when
/// nothing answers HTTP on port 80.
pub fn serve(host: &mut ContainerHost<'_>, path: &str) -> Option<(u16, String)> {
    if serves_wordpress(&host.image) {
        return wordpress(host, path);
    }
    if !host.serves_http() {
        return None;
    }
    let root = "/usr/share/nginx/html";
    let p = normalize(root, path.trim_start_matches('/'));
    let file = if host.fs.is_dir(&p) {
        normalize(&p, "index.html")
    } else {
        p.clone()
    };
    let version = images::nginx_version(&host.image).unwrap_or_default();
    Some(match host.fs.read(&file) {
        Ok(body) => (200, body),
        Err(_) if host.fs.is_dir(&p) => (403, images::nginx_error_page(&version, 403, "Forbidden")),
        Err(_) => (404, images::nginx_error_page(&version, 404, "Not Found")),
    })
}

impl Host for ContainerHost<'_> {
    fn should_stop(&mut self) -> bool {
        self.waits_forever()
    }

    fn take_wait(&mut self) -> Option<Wait> {
        self.wait.take()
    }

    fn run(&mut self, argv: &[String], stdin: Option<&str>, env: &[(String, String)]) -> Output {
        let Some(cmd) = argv.first() else {
            return Output::ok(String::new());
        };
        if self.waits_forever() {
            // The process already sleeps forever: nothing after that runs.
            return Output::ok(String::new());
        }
        let saved = self.env.clone();
        for (k, v) in env {
            self.env.insert(k.clone(), v.clone());
        }
        let out = if cmd == "exec" {
            match self.exec(&argv[1..], stdin) {
                Ok(o) => o,
                Err(_) => self.not_found(argv.get(1).map_or("", String::as_str)),
            }
        } else {
            match self.lookup(cmd) {
                Some(program) => self.program(&program, argv, stdin),
                None => self.not_found(cmd),
            }
        };
        self.env = saved;
        out
    }

    fn read_file(&mut self, path: &str) -> Result<String, String> {
        let p = self.path(path);
        self.fs.read(&p).map_err(|e| e.message().to_string())
    }

    fn write_file(&mut self, path: &str, contents: &str, append: bool) -> Result<(), String> {
        let p = self.path(path);
        self.fs
            .write(&p, contents, append)
            .map_err(|e| e.message().to_string())
    }

    fn file_kind(&mut self, path: &str) -> Option<ordinal_sh::FileKind> {
        use ordinal_sh::FileKind;
        let p = self.path(path);
        if self.fs.is_dir(&p) {
            return Some(FileKind::Dir);
        }
        self.fs
            .read(&p)
            .ok()
            .map(|t| FileKind::File { size: t.len() })
    }

    fn list_dir(&mut self, path: &str) -> Option<Vec<String>> {
        let p = self.path(path);
        self.fs.list(&p).ok()
    }

    fn change_dir(&mut self, dir: Option<&str>) -> Result<(), String> {
        let target = self.path(dir.unwrap_or("/root"));
        if self.fs.is_dir(&target) {
            self.cwd = target;
            Ok(())
        } else {
            let d = dir.unwrap_or("");
            Err(match self.shell_name {
                Some("bash") => format!("bash: line 1: cd: {d}: No such file or directory\n"),
                _ if self.family == Family::Debian => format!("sh: 1: cd: can't cd to {d}\n"),
                _ => format!("sh: cd: can't cd to {d}: No such file or directory\n"),
            })
        }
    }
}

/// Where a container's process stands after it started or was resumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// It ended with this status.
    Exited(i32),
    /// It waits `ms` before its next command: resume run `run` of it then (`resume_process`).
    Sleeps { ms: u64, run: u64 },
    /// It runs until stopped (a server, `sleep infinity`, a shell waiting for its terminal).
    Forever,
}

/// What a container's process does once started, and why it could not start, if it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainPlan {
    pub progress: Progress,
    /// The container could not start its command (`exec: "x": executable file not found in $PATH`).
    pub start_error: Option<String>,
}

impl MainPlan {
    fn forever() -> MainPlan {
        MainPlan {
            progress: Progress::Forever,
            start_error: None,
        }
    }

    fn exited(code: i32) -> MainPlan {
        MainPlan {
            progress: Progress::Exited(code),
            start_error: None,
        }
    }
}

/// A container's process that runs a script, between two steps.
#[derive(Debug)]
pub struct Process {
    job: Job,
    /// Which start of the container this is.
    run: u64,
    /// The shell running the script, for its messages (`sh: 1: x: not found`).
    shell_name: Option<&'static str>,
    tty: bool,
}

impl Process {
    /// Runs the process on with `host` until it ends or waits again; answers where it stands and what it
    /// printed, in order.
    pub fn step(&mut self, host: &mut ContainerHost<'_>) -> (JobState, Vec<(Stream, String)>) {
        host.tty = self.tty;
        host.shell_name = self.shell_name;
        let state = self.job.resume(host);
        // The interpreter words its own messages for bash.
        let printed = self
            .job
            .take_output()
            .into_iter()
            .map(|(stream, text)| match (stream, self.shell_name) {
                (Stream::Stderr, Some("sh")) => (stream, text.replace("bash: ", "sh: ")),
                _ => (stream, text),
            })
            .collect();
        (state, printed)
    }
}

/// `kubectl exec` in the browser's terminal, where the command runs with the page's clock.
pub enum ExecRun {
    /// It could not start: what the shell printed, and its status.
    Done(Output),
    /// Its process, not yet stepped.
    Process(Process),
}

/// Images whose entrypoint starts a server that runs until stopped, whatever arguments it is given.
fn runs_a_server(image: &str) -> bool {
    let r = images::parse(image);
    matches!(
        r.repository.rsplit('/').next(),
        Some("nginx" | "nginx-slim" | "mysql" | "wordpress" | "redis" | "agnhost")
    )
}

/// Whether an image's entrypoint script runs its arguments as the command (`docker-entrypoint.sh mysql …`)
/// rather than passing them to the server as options (`--ignore-db-dir=…`).
/// agnhost's entrypoint is the agnhost binary itself, whose arguments name a subcommand (`netexec`, `serve-hostname`).
fn entrypoint_execs(image: &str, args: &[String]) -> bool {
    let agnhost = images::parse(image).repository.rsplit('/').next() == Some("agnhost");
    !agnhost && args.first().is_some_and(|a| !a.starts_with('-'))
}

fn is_mysql(image: &str) -> bool {
    images::parse(image).repository.rsplit('/').next() == Some("mysql")
}

/// Programs that serve until stopped when run as a container's command.
const SERVERS: &[&str] = &["nginx", "mysqld", "redis-server", "apache2"];

/// The program a container's PID 1 runs, by name, from its image and command as `start_process` starts it:
/// a server image's server, the command's program, or for a shell's `-c` script the program the script
/// `exec`s last (or its only command, which bash and dash exec in place of themselves), else the shell.
pub fn main_program(ct: &Container) -> String {
    let argv: Vec<String> = if !ct.command.is_empty() {
        ct.command.iter().chain(&ct.args).cloned().collect()
    } else if runs_a_server(&ct.image) && !entrypoint_execs(&ct.image, &ct.args) {
        let repo = images::parse(&ct.image).repository;
        return match repo.rsplit('/').next() {
            Some("mysql") => "mysqld",
            Some("redis") => "redis-server",
            Some("wordpress") => "apache2",
            Some("agnhost") => "agnhost",
            _ => "nginx",
        }
        .to_string();
    } else if !ct.args.is_empty() {
        ct.args.clone()
    } else if images::default_command_is_a_shell(&ct.image) {
        return "sh".to_string();
    } else {
        return ct.image.clone();
    };
    program_of_argv(&argv)
}

/// A script's simple commands in order: split at the `;`, `&`, `|` and line ends outside quotes, with
/// continued lines joined and comments left out. Enough to see what a script runs last.
fn script_commands(script: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    let mut comment = false;
    while let Some(ch) = chars.next() {
        if comment {
            if ch == '\n' {
                comment = false;
                commands.push(std::mem::take(&mut current));
            }
            continue;
        }
        match (quote, ch) {
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (Some(_), c) => current.push(c),
            (None, '\\') if chars.peek() == Some(&'\n') => {
                chars.next();
                current.push(' ');
            }
            (None, c @ ('\'' | '"')) => {
                quote = Some(c);
                current.push(c);
            }
            (None, '#') if current.trim().is_empty() || current.ends_with(' ') => comment = true,
            (None, ';' | '&' | '|' | '\n') => commands.push(std::mem::take(&mut current)),
            (None, c) => current.push(c),
        }
    }
    commands.push(current);
    commands
        .into_iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

/// The program `argv` leaves running as PID 1 (see [`main_program`]).
fn program_of_argv(argv: &[String]) -> String {
    let Some(first) = argv.first() else {
        return String::new();
    };
    let name = first.rsplit('/').next().unwrap_or(first);
    if !matches!(name, "sh" | "ash" | "bash" | "dash") {
        return name.to_string();
    }
    let options = argv[1..].iter().take_while(|a| a.starts_with('-')).count();
    let has_c = argv[1..=options]
        .iter()
        .any(|o| o.trim_start_matches('-').contains('c'));
    let Some(script) = argv.get(options + 1).filter(|_| has_c) else {
        return name.to_string();
    };
    let commands = script_commands(script);
    // A command's words, after the variable assignments that may lead it.
    let words = |cmd: &str| -> Vec<String> {
        cmd.split_whitespace()
            .skip_while(|w| w.contains('='))
            .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
            .collect()
    };
    match commands.as_slice() {
        [.., last] if last.starts_with("exec ") => {
            program_of_argv(&words(last.trim_start_matches("exec ")))
        }
        [only] => program_of_argv(&words(only)),
        _ => name.to_string(),
    }
}

/// Starts container `i` of `pod`'s main process: runs its command (writing what it prints to the log) and
/// answers how long it runs. Servers and unknown images run until stopped.
pub fn start_main(c: &mut dyn Node, pod: &Pod, i: usize) -> MainPlan {
    match pod.spec.containers.get(i).cloned() {
        Some(ct) => start_process(c, pod, ct, false),
        None => MainPlan::forever(),
    }
}

/// Starts init container `i` of `pod`: its command runs in its own file system with the pod's volumes, so what
/// it writes to an emptyDir or a PersistentVolume is there for the containers after it.
pub fn start_init(c: &mut dyn Node, pod: &Pod, i: usize) -> MainPlan {
    match pod.spec.init_containers.get(i).cloned() {
        Some(ct) => start_process(c, pod, ct, true),
        None => MainPlan::forever(),
    }
}

fn start_process(c: &mut dyn Node, pod: &Pod, ct: Container, _init: bool) -> MainPlan {
    let target = ContainerRef {
        namespace: pod.metadata.namespace.clone(),
        pod: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        container: ct.name.clone(),
    };
    let attached = ct.stdin == Some(true);
    if crate::images::is_system_image(&ct.image) {
        // kind's own daemons serve until stopped; `kubectl logs` shows their lines from `system::logs`.
        return MainPlan::forever();
    }
    let argv: Vec<String> = if !ct.command.is_empty() {
        ct.command.iter().chain(&ct.args).cloned().collect()
    } else if runs_a_server(&ct.image) && !entrypoint_execs(&ct.image, &ct.args) {
        if is_mysql(&ct.image) {
            crate::programs::mysql::start_server(c, &target);
        } else if let Some(lines) = startup_log(&ct.image, c.now()) {
            c.runtime_log(&target, &lines);
        }
        return MainPlan::forever();
    } else if !ct.args.is_empty() {
        ct.args.clone()
    } else if images::default_command_is_a_shell(&ct.image) {
        // `sh` with nothing on stdin exits at once; attached (`kubectl run -it`), it waits for the learner.
        if attached {
            return MainPlan::forever();
        }
        return MainPlan::exited(0);
    } else {
        return MainPlan::forever();
    };
    let Some(mut host) = ContainerHost::open(c, target.clone(), Mode::Main) else {
        return MainPlan::forever();
    };
    let program = host.lookup(&argv[0]);
    let stdin = host
        .fs
        .node()
        .runtime_mut()
        .pending_stdin
        .remove(&(target.namespace.clone(), target.pod.clone()));
    let script = match program.as_deref() {
        None => {
            return MainPlan {
                progress: Progress::Exited(128),
                start_error: Some(format!(
                    "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{}\": executable file not found in $PATH: unknown",
                    argv[0]
                )),
            };
        }
        Some("mysqld") => {
            drop(host);
            crate::programs::mysql::start_server(c, &target);
            return MainPlan::forever();
        }
        Some(p) if SERVERS.contains(&p) => return MainPlan::forever(),
        Some("sh" | "ash" | "bash") if argv.len() == 1 && attached => return MainPlan::forever(),
        // The mysql monitor with a terminal attached waits for what the learner types.
        Some("mysql")
            if attached
                && ct.tty == Some(true)
                && stdin.is_none()
                && !crate::programs::mysql::executes(&argv[1..]) =>
        {
            return MainPlan::forever()
        }
        Some(p) => host.main_script(p, &argv, stdin),
    };
    let (shell, parsed, stdin, shell_name) = match script {
        Ok(script) => script,
        Err(printed) => {
            let status = printed.status;
            drop(host);
            c.runtime_log(&target, &printed.text());
            return MainPlan::exited(status);
        }
    };
    let tty = ct.tty == Some(true);
    drop(host);
    c.runtime_mut().runs += 1;
    let process = Process {
        job: Job::new(shell, parsed, stdin),
        run: c.runtime_mut().runs,
        shell_name,
        tty,
    };
    c.runtime_mut()
        .processes
        .insert((target.uid.clone(), target.container.clone()), process);
    MainPlan {
        progress: resume_process(c, &target),
        start_error: None,
    }
}

/// Which run of `target`'s process is waiting to be resumed, if one is.
pub fn process_run(c: &dyn Node, target: &ContainerRef) -> Option<u64> {
    c.runtime()
        .processes
        .get(&(target.uid.clone(), target.container.clone()))
        .map(|p| p.run)
}

/// Runs `target`'s process on from where it waited, at the cluster's current time, writing what it prints to
/// the container's log: until it ends or waits again.
pub fn resume_process(c: &mut dyn Node, target: &ContainerRef) -> Progress {
    let key = (target.uid.clone(), target.container.clone());
    let Some(mut process) = c.runtime_mut().processes.remove(&key) else {
        return Progress::Forever;
    };
    let (state, printed) = {
        let Some(mut host) = ContainerHost::open(c, target.clone(), Mode::Main) else {
            return Progress::Forever;
        };
        process.step(&mut host)
    };
    // A main process's output goes to one log, stdout and stderr in the order they were written.
    let text: String = printed.into_iter().map(|(_, text)| text).collect();
    c.runtime_log(target, &text);
    match state {
        JobState::Done(code) => Progress::Exited(code),
        JobState::Waiting(Wait::Forever) => Progress::Forever,
        JobState::Waiting(Wait::For(ms)) => {
            let run = process.run;
            c.runtime_mut().processes.insert(key, process);
            Progress::Sleeps { ms, run }
        }
    }
}

/// What a server image prints when it starts.
fn startup_log(image: &str, now: ordinal_api::time::Time) -> Option<String> {
    let r = images::parse(image);
    let stamp = {
        // "Mon Jan  5 09:00:00 UTC 2026" -> "2026/01/05 09:00:00"
        let rfc = now.rfc3339();
        rfc.replace('-', "/")
            .replace('T', " ")
            .trim_end_matches('Z')
            .to_string()
    };
    match r.repository.rsplit('/').next() {
        Some("nginx") => Some(format!(
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n/docker-entrypoint.sh: Configuration complete; ready for start up\n{stamp} [notice] 1#1: using the \"epoll\" event method\n{stamp} [notice] 1#1: start worker processes\n"
        )),
        Some("mysql") => Some(format!(
            "{} [Note] mysqld: ready for connections.\nVersion: '5.7.44'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server (GPL)\n",
            now.rfc3339()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(image: &str, command: &[&str], args: &[&str]) -> Container {
        Container {
            name: "c".into(),
            image: image.into(),
            command: command.iter().map(|s| s.to_string()).collect(),
            args: args.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_program_left_as_pid_1_is_a_server_the_command_or_what_a_script_execs() {
        let pid1 = |image: &str, command: &[&str], args: &[&str]| {
            main_program(&container(image, command, args))
        };
        assert_eq!(pid1("nginx:1.27", &[], &[]), "nginx");
        assert_eq!(pid1("registry.k8s.io/nginx-slim:0.24", &[], &[]), "nginx");
        assert_eq!(pid1("mysql:5.7", &[], &[]), "mysqld");
        assert_eq!(pid1("busybox:1.36", &["sleep", "infinity"], &[]), "sleep");
        assert_eq!(
            pid1("busybox:1.36", &["httpd", "-f", "-p", "80"], &[]),
            "httpd"
        );
        // bash and dash exec a lone command in place of themselves; a longer script keeps the shell.
        assert_eq!(
            pid1("nginx:1.27", &["sh", "-c"], &["nginx -g 'daemon off;'"]),
            "nginx"
        );
        assert_eq!(
            pid1("busybox:1.36", &["sh", "-c", "echo hi; sleep 3600"], &[]),
            "sh"
        );
        // The MySQL tutorial's xtrabackup sidecar ends its script in `exec ncat`.
        let script = "set -ex\ncd /var/lib/mysql\n# Start a server to send backups when requested by peers.\nexec ncat --listen --keep-open --send-only --max-conns=1 3307 -c \\\n  \"xtrabackup --backup --slave-info --stream=xbstream --host=127.0.0.1 --user=root\"\n";
        assert_eq!(
            pid1(
                "gcr.io/google-samples/xtrabackup:1.0",
                &["bash", "-c", script],
                &[]
            ),
            "ncat"
        );
    }
}
