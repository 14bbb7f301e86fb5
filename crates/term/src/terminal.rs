//! The learner's terminal: the shell runs what is typed, `kubectl` runs against the cluster, and commands that
//! wait in real life (`sleep`, `delete`, `get -w`) move the virtual clock while they wait. The native transcript
//! runner and the browser share it, so a script prints the same transcript in both.

use ordinal_engine::cluster::Cluster;
use ordinal_kubectl::shell::{self, Host, Shell};
use ordinal_kubectl::{self as kubectl, Block, Context};

pub use ordinal_engine::clock::MAX_WAIT_MS;
pub use ordinal_kubectl::run_clock;
pub use ordinal_sh::parse_duration_ms;

/// The learner's terminal as the shell's host, borrowing the terminal's fields one by one (so the shell, which
/// the host does not hold, stays usable beside it).
macro_rules! term_host {
    ($t:expr, $cluster:expr) => {
        TermHost {
            cluster: $cluster,
            ctx: &mut $t.ctx,
            history: &$t.history,
            interactive: $t.interactive,
            job: &mut $t.job,
            session: &mut $t.session,
            editing: &mut $t.editing,
            env: Vec::new(),
            wait: None,
        }
    };
}

/// A terminal session: shell state (variables, aliases), kubectl's context and the command history.
#[derive(Default)]
pub struct Terminal {
    pub shell: Shell,
    pub ctx: Context,
    pub history: Vec<String>,
    /// Lines run here are not added to `history`: a lesson's check reads the learner's history without
    /// becoming part of it.
    pub no_history: bool,
    /// In the browser a `-w` watch keeps running while the page's clock runs, until Ctrl+C; natively (the
    /// transcript runner) it runs the clock itself until nothing is queued.
    pub interactive: bool,
    job: Option<Job>,
    /// A command line that waits (`while …; do …; sleep 1; done`) in the browser: it carries on as the page's
    /// clock reaches the end of each wait, until it ends or Ctrl+C.
    script: Option<Running>,
    session: Option<Session>,
    /// `kubectl edit` in the browser: the object waiting in the page's editor.
    editing: Option<kubectl::edit::Edit>,
}

/// The terminal attached to a shell inside a container (`kubectl exec -it POD -- sh`, `kubectl run -it`).
pub struct Session {
    pub attach: kubectl::exec::Attach,
    shell: Shell,
    cwd: String,
    family: ordinal_engine::images::Family,
    /// The mysql client's monitor, when that is what the terminal is attached to.
    monitor: Option<ordinal_engine::runtime::mysql::Monitor>,
}

/// A command still running in the foreground of an interactive terminal.
#[derive(Debug)]
pub enum Job {
    Watch(Watch),
    Rollout(RolloutWatch),
    Follow(Follow),
    Exec(Box<ExecJob>),
}

/// `kubectl exec` in the browser, stopped at a wait: its process in the container, and when the wait is over
/// (`None`: never, until Ctrl+C).
#[derive(Debug)]
pub struct ExecJob {
    process: ordinal_engine::runtime::Process,
    target: ordinal_engine::runtime::ContainerRef,
    wake: Option<ordinal_engine::clock::Time>,
}

impl ExecJob {
    /// Runs the exec'd command on from `at`; what it printed, and its status once it has ended (with
    /// kubectl's note for a failure).
    fn step(
        &mut self,
        cluster: &mut Cluster,
        at: ordinal_engine::clock::Time,
    ) -> (Vec<(shell::Stream, String)>, Option<i32>) {
        let Some(mut host) = ordinal_engine::runtime::ContainerHost::open(
            cluster,
            self.target.clone(),
            ordinal_engine::runtime::Mode::Exec,
        ) else {
            // The container is gone, and the command with it.
            return (Vec::new(), Some(137));
        };
        host.stepped = true;
        let (state, mut printed) = self.process.step(&mut host);
        match state {
            shell::JobState::Done(status) => {
                if status != 0 {
                    printed.push((
                        shell::Stream::Stderr,
                        format!("command terminated with exit code {status}\n"),
                    ));
                }
                (printed, Some(status))
            }
            shell::JobState::Waiting(wait) => {
                self.wake = wait.millis().map(|ms| at.plus(ms));
                (printed, None)
            }
        }
    }
}

/// A command line stopped at a wait, and when the wait is over (`None`: never, until Ctrl+C).
struct Running {
    job: shell::Job,
    wake: Option<ordinal_engine::clock::Time>,
    /// It runs in the container the terminal is attached to, not in the learner's own shell.
    in_session: bool,
}

/// What one command line printed (stdout and stderr in the order they came) and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub text: String,
    pub status: i32,
}

impl Terminal {
    /// A terminal for the browser: watches stream with the page's clock (see [`Terminal::poll`]).
    pub fn interactive() -> Terminal {
        Terminal {
            interactive: true,
            ctx: Context {
                steps_with_clock: true,
                ..Context::default()
            },
            ..Terminal::default()
        }
    }

    /// Runs one command line; `heredocs` are the bodies of its `<<EOF` documents, in order.
    pub fn run(&mut self, cluster: &mut Cluster, line: &str, heredocs: &[String]) -> Printed {
        let mut text = String::new();
        let status = self.run_streaming(cluster, line, heredocs, &mut |_, chunk| {
            text.push_str(chunk)
        });
        Printed { text, status }
    }

    /// Like [`Terminal::run`], handing each piece of output to `out` with the stream it went to, in the order
    /// it was printed (the browser styles stderr apart); returns the exit status.
    pub fn run_streaming(
        &mut self,
        cluster: &mut Cluster,
        line: &str,
        heredocs: &[String],
        out: &mut dyn FnMut(shell::Stream, &str),
    ) -> i32 {
        // A password typed at the mysql client's `Enter password: ` stays out of the history.
        if !self.reads_secret() && !self.no_history {
            self.history.push(line.to_string());
        }
        if self.session.is_some() {
            return self.run_in_session(cluster, line, heredocs, out);
        }
        let script = match shell::parse_with_heredocs(line, heredocs) {
            Ok(s) => s,
            Err(e) => {
                out(shell::Stream::Stderr, &format!("{e}\n"));
                return 2;
            }
        };
        let now = cluster.now();
        let mut host = term_host!(self, cluster);
        if !self.interactive {
            // The transcript runner: `sleep` runs the clock itself.
            return self.shell.execute_streaming(&script, &mut host, out);
        }
        if self.script.is_some() {
            // A line already waits in the foreground (this one comes from the page's toolbar, as from a second
            // terminal): it runs through, in a copy of the shell as that line found it.
            return self
                .shell
                .clone()
                .execute_streaming(&script, &mut host, out);
        }
        // The job gets its own copy: the terminal keeps the shell as it was, for the toolbar's commands while
        // the line waits, until the job gives its shell back.
        let mut job = shell::Job::new(self.shell.clone(), script, None);
        let state = job.resume(&mut host);
        for (stream, text) in job.take_output() {
            out(stream, &text);
        }
        self.settle(now, job, state, false)
    }

    /// After a command line ran or was resumed: an ended line gives its shell back, a waiting one is kept.
    fn settle(
        &mut self,
        now: ordinal_engine::clock::Time,
        job: shell::Job,
        state: shell::JobState,
        in_session: bool,
    ) -> i32 {
        match state {
            shell::JobState::Done(status) => {
                self.give_back(job, in_session);
                status
            }
            shell::JobState::Waiting(wait) => {
                let wake = wait.millis().map(|ms| now.plus(ms));
                self.script = Some(Running {
                    job,
                    wake,
                    in_session,
                });
                0
            }
        }
    }

    /// The shell a command line ran in, back to the terminal (or the attached container's session).
    fn give_back(&mut self, job: shell::Job, in_session: bool) {
        let shell = job.into_shell();
        match self.session.as_mut().filter(|_| in_session) {
            Some(session) => session.shell = shell,
            None if in_session => {}
            None => self.shell = shell,
        }
    }

    /// The prompt before the next line: the learner's shell, or the container's when attached to one.
    pub fn prompt(&self) -> String {
        use ordinal_engine::images::Family;
        match &self.session {
            None => format!(
                "{}@ordinal:{}$ ",
                self.shell.user,
                ordinal_kubectl::home::prompt_dir(&self.ctx)
            ),
            Some(Session {
                monitor: Some(m), ..
            }) => m.prompt().to_string(),
            Some(s) if s.attach.shell == "bash" => {
                format!("root@{}:{}# ", s.shell.hostname, s.cwd)
            }
            // dash, Debian's sh, prompts with just `# `; busybox ash shows the directory.
            Some(s) if s.family == Family::Debian => "# ".to_string(),
            Some(s) => format!("{} # ", s.cwd),
        }
    }

    /// Whether the next line is a secret the terminal must not echo or remember (the mysql client's
    /// `Enter password: `).
    pub fn reads_secret(&self) -> bool {
        self.session
            .as_ref()
            .and_then(|s| s.monitor.as_ref())
            .is_some_and(ordinal_engine::runtime::mysql::Monitor::reads_secret)
    }

    /// Whether the terminal is attached to a shell in a container.
    pub fn attached(&self) -> Option<&kubectl::exec::Attach> {
        self.session.as_ref().map(|s| &s.attach)
    }

    fn run_in_session(
        &mut self,
        cluster: &mut Cluster,
        line: &str,
        heredocs: &[String],
        out: &mut dyn FnMut(shell::Stream, &str),
    ) -> i32 {
        if let Some(printed) = self.monitor_line(cluster, line, out) {
            return printed;
        }
        let words = shell::split_words(line).unwrap_or_default();
        if words.first().map(String::as_str) == Some("exit") {
            let code = words.get(1).and_then(|w| w.parse().ok()).unwrap_or(0);
            let ended = self.end_session(cluster, code);
            for (stream, text) in ended.printed() {
                out(*stream, text);
            }
            return ended.status;
        }
        let Some(session) = self.session.as_mut() else {
            return 0;
        };
        let script = match shell::parse_with_heredocs(line, heredocs) {
            Ok(s) => s,
            Err(e) => {
                out(
                    shell::Stream::Stderr,
                    &format!("{}\n", e.to_string().replace("bash: ", "sh: ")),
                );
                return 2;
            }
        };
        let Some(mut host) = session.host(cluster) else {
            self.session = None;
            out(shell::Stream::Stderr, SESSION_GONE);
            return 1;
        };
        if !self.interactive {
            let status = session.shell.execute_streaming(&script, &mut host, out);
            session.cwd = host.cwd.clone();
            return status;
        }
        if self.script.is_some() {
            return session
                .shell
                .clone()
                .execute_streaming(&script, &mut host, out);
        }
        host.stepped = true;
        let mut job = shell::Job::new(session.shell.clone(), script, None);
        let state = job.resume(&mut host);
        session.cwd = host.cwd.clone();
        drop(host);
        for (stream, text) in job.take_output() {
            out(stream, &text);
        }
        let now = cluster.now();
        self.settle(now, job, state, true)
    }

    /// A line typed into the mysql monitor, when the terminal is attached to one: its answer, and the end of
    /// the session at `exit` (the monitor's "Bye"). `None` when the session is a shell.
    fn monitor_line(
        &mut self,
        cluster: &mut Cluster,
        line: &str,
        out: &mut dyn FnMut(shell::Stream, &str),
    ) -> Option<i32> {
        let session = self.session.as_mut()?;
        session.monitor.as_ref()?;
        let Some(mut host) = session.host(cluster) else {
            self.session = None;
            out(shell::Stream::Stderr, SESSION_GONE);
            return Some(1);
        };
        let monitor = session.monitor.as_mut()?;
        host.tty = true;
        let (text, open) = monitor.line(&mut host, line);
        let code = monitor.exit_code();
        drop(host);
        out(shell::Stream::Stdout, &text);
        if !open {
            let main_process = session.attach.main_process;
            let ended = self.end_session(cluster, code);
            if code != 0 && !main_process {
                out(
                    shell::Stream::Stderr,
                    &format!("command terminated with exit code {code}\n"),
                );
            }
            for (stream, text) in ended.printed() {
                out(*stream, text);
            }
            return Some(code);
        }
        Some(0)
    }

    /// `exit` in an attached shell: an exec session just ends; the main process of `kubectl run -it` ends
    /// with it, and `--rm` deletes the pod.
    fn end_session(&mut self, cluster: &mut Cluster, code: i32) -> shell::Output {
        let Some(session) = self.session.take() else {
            return shell::Output::default();
        };
        let a = session.attach;
        if !a.main_process {
            return shell::Output::failed(String::new(), code);
        }
        cluster.end_main_process(&a.target, code);
        cluster.advance(0);
        // attach.go prints how to attach again as the session ends; run.go's `--rm` deletes the pod after.
        let mut ended = shell::Output::default();
        if a.reattach {
            ended.push_stdout(&format!(
                "Session ended, resume using 'kubectl attach {p} -c {c} -i -t' command when the pod is running\n",
                p = a.target.pod,
                c = a.target.container
            ));
        }
        if a.remove_pod {
            let mut host = term_host!(self, cluster);
            let args = vec![
                "delete".to_string(),
                "pod".to_string(),
                a.target.pod.clone(),
                "-n".to_string(),
                a.target.namespace.clone(),
            ];
            ended.append(host.kubectl(&args, None));
        }
        ended.status = code;
        ended
    }

    /// The object `kubectl edit` opened, for the page's editor (taken once).
    pub fn take_edit(&mut self) -> Option<kubectl::edit::Edit> {
        self.editing.take()
    }

    /// Saves an edit the page's editor finished: what `kubectl edit` prints when the editor closes.
    pub fn save_edit(
        &mut self,
        cluster: &mut Cluster,
        edit: &kubectl::edit::Edit,
        text: &str,
    ) -> Printed {
        let o = kubectl::edit::save(cluster, edit, text);
        Printed {
            text: o.text(),
            status: o.status,
        }
    }

    /// Whether a command is still running in the foreground (an interactive watch, a followed log, a command
    /// line waiting in a loop).
    pub fn busy(&self) -> bool {
        self.job.is_some() || self.script.is_some()
    }

    /// When the foreground command next wants to run on its own: the end of a `sleep` in a waiting command line
    /// or in a command running in a container. The browser stops the clock there and polls, so the command
    /// carries on at that very instant however far each tick moves the clock — what makes a recorded session
    /// replay to the same cluster.
    pub fn next_wake(&self) -> Option<ordinal_engine::clock::Time> {
        let script = self.script.as_ref().and_then(|r| r.wake);
        let job = match &self.job {
            Some(Job::Exec(run)) => run.wake,
            // `rollout status --timeout` gives up at its deadline.
            Some(Job::Rollout(r)) => r.deadline,
            _ => None,
        };
        match (script, job) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// What the foreground command prints for everything that happened since the last poll. The browser calls
    /// this after each clock tick.
    pub fn poll(&mut self, cluster: &mut Cluster) -> String {
        let mut text = String::new();
        self.poll_streaming(cluster, &mut |_, chunk| text.push_str(chunk));
        text
    }

    /// Like [`Terminal::poll`], handing each piece of output to `out` with the stream it went to.
    pub fn poll_streaming(
        &mut self,
        cluster: &mut Cluster,
        out: &mut dyn FnMut(shell::Stream, &str),
    ) {
        let mut ended: Option<Follow> = None;
        let text = match &mut self.job {
            Some(Job::Watch(w)) => w.rows(cluster.store()),
            Some(Job::Rollout(r)) => {
                let (text, failed, done) = r.lines(cluster.store(), cluster.now());
                if done {
                    self.job = None;
                }
                out(shell::Stream::Stdout, &text);
                if !failed.is_empty() {
                    out(shell::Stream::Stderr, &failed);
                }
                String::new()
            }
            Some(Job::Follow(f)) => {
                let (text, done) = f.lines(cluster);
                if done {
                    ended = Some(f.clone());
                    self.job = None;
                }
                text
            }
            Some(Job::Exec(run)) => {
                // Every wait that ended since the last poll, each counted from the one before.
                while let Some(woke) = run.wake.filter(|t| *t <= cluster.now()) {
                    let (printed, done) = run.step(cluster, woke);
                    for (stream, text) in printed {
                        out(stream, &text);
                    }
                    if done.is_some() {
                        self.job = None;
                        break;
                    }
                }
                String::new()
            }
            None => String::new(),
        };
        if !text.is_empty() {
            out(shell::Stream::Stdout, &text);
        }
        if let Some(f) = ended {
            for (stream, text) in self.end_run(cluster, &f).printed() {
                out(*stream, text);
            }
        }
        if self.job.is_none() {
            self.resume_script(cluster, out);
        }
    }

    /// Carries a waiting command line on once the clock has reached the end of its wait.
    fn resume_script(&mut self, cluster: &mut Cluster, out: &mut dyn FnMut(shell::Stream, &str)) {
        // A page that moved the clock a long way at once gets every wait that ended on the way.
        while self.job.is_none() {
            let Some(woke) = self
                .script
                .as_ref()
                .and_then(|r| r.wake)
                .filter(|t| *t <= cluster.now() && !cluster.pending())
            else {
                return;
            };
            self.resume_script_at(woke, cluster, out);
        }
    }

    /// Resumes the waiting command line, whose wait ended at `woke`; its next wait is counted from there.
    fn resume_script_at(
        &mut self,
        woke: ordinal_engine::clock::Time,
        cluster: &mut Cluster,
        out: &mut dyn FnMut(shell::Stream, &str),
    ) {
        let Some(Running {
            mut job,
            in_session,
            ..
        }) = self.script.take()
        else {
            return;
        };
        let now = woke;
        let state = if in_session {
            let Some(session) = self.session.as_mut() else {
                return;
            };
            let Some(mut host) = session.host(cluster) else {
                // The container went away under the loop: it ends with it.
                self.session = None;
                return;
            };
            host.stepped = true;
            let state = job.resume(&mut host);
            session.cwd = host.cwd.clone();
            state
        } else {
            let mut host = term_host!(self, cluster);
            job.resume(&mut host)
        };
        for (stream, text) in job.take_output() {
            out(stream, &text);
        }
        self.settle(now, job, state, in_session);
    }

    /// Ctrl+C: stops the foreground command. `None` when none was running; otherwise what the command prints
    /// as it stops (`kubectl run -it --rm` deletes its pod).
    pub fn interrupt(&mut self, cluster: &mut Cluster) -> Option<String> {
        let job = self.job.take();
        let script = self.script.take();
        if job.is_none() && script.is_none() {
            return None;
        }
        if let Some(running) = script {
            self.give_back(running.job, running.in_session);
        }
        let Some(Job::Follow(f)) = job else {
            return Some(String::new());
        };
        if !f.signals {
            // Only kubectl stops following; the process goes on.
            return Some(String::new());
        }
        cluster.end_main_process(&f.target, 130);
        cluster.advance(0);
        Some(self.end_run(cluster, &f).text())
    }

    /// Drops whatever runs in the foreground without a word (the page reset the cluster under it).
    pub fn abandon(&mut self) {
        self.job = None;
        if let Some(running) = self.script.take() {
            self.give_back(running.job, running.in_session);
        }
    }

    /// `kubectl run -i --rm` after the command ended: the pod is deleted; what kubectl printed as it was.
    fn end_run(&mut self, cluster: &mut Cluster, f: &Follow) -> shell::Output {
        let exists = cluster
            .store()
            .get_typed::<ordinal_engine::model::Pod>(&f.target.namespace, &f.target.pod)
            .is_some_and(|p| p.metadata.uid == f.target.uid);
        if !f.remove || !exists {
            return shell::Output::default();
        }
        let mut host = term_host!(self, cluster);
        let args: Vec<String> = ["delete", "pod", &f.target.pod, "-n", &f.target.namespace]
            .iter()
            .map(|s| s.to_string())
            .collect();
        host.kubectl(&args, None)
    }
}

struct TermHost<'a> {
    cluster: &'a mut Cluster,
    ctx: &'a mut Context,
    history: &'a [String],
    interactive: bool,
    job: &'a mut Option<Job>,
    session: &'a mut Option<Session>,
    editing: &'a mut Option<kubectl::edit::Edit>,
    /// The environment of the command being run (`KUBE_EDITOR=… kubectl edit`).
    env: Vec<(String, String)>,
    /// In the browser a `sleep` makes the command line wait for the page's clock (see [`Host::take_wait`]).
    wait: Option<shell::Wait>,
}

impl Host for TermHost<'_> {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        ordinal_kubectl::home::read(self.ctx, path)
    }

    fn write_file(&mut self, path: &str, contents: &str, append: bool) -> Result<(), String> {
        ordinal_kubectl::home::write(self.ctx, path, contents, append)
    }

    fn change_dir(&mut self, dir: Option<&str>) -> Result<(), String> {
        ordinal_kubectl::home::change_dir(self.ctx, dir)
    }

    fn file_kind(&mut self, path: &str) -> Option<shell::FileKind> {
        ordinal_kubectl::home::file_kind(self.ctx, path)
    }

    fn list_dir(&mut self, path: &str) -> Option<Vec<String>> {
        ordinal_kubectl::home::list_dir(self.ctx, path)
    }

    fn take_wait(&mut self) -> Option<shell::Wait> {
        self.wait.take()
    }

    /// In the browser the cluster works through a command's consequences in slices between frames: the next
    /// command waits until it is done, and so sees what it would see natively.
    fn hold(&mut self) -> bool {
        self.interactive && self.cluster.pending()
    }

    fn run(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
        env: &[(String, String)],
    ) -> shell::Output {
        self.env = env.to_vec();
        // Every command meets the cluster settled at this instant: in the browser a job has waited for that
        // (`hold`), so this does nothing there; run straight through, or a toolbar's command run while a line
        // waits, it finishes what the last command left.
        self.cluster.finish_pending();
        let Some(cmd) = argv.first() else {
            return shell::Output::ok(String::new());
        };
        match cmd.as_str() {
            "kubectl" => self.kubectl(&argv[1..], stdin),
            "sleep" => match shell::sleep(cmd, &argv[1..], ordinal_kubectl::coreutils::Flavor::Gnu)
            {
                Ok(wait) if self.interactive => {
                    self.wait = Some(wait);
                    shell::Output::ok(String::new())
                }
                // The transcript runner has no Ctrl+C: `sleep infinity` ends when a waiting kubectl would.
                Ok(wait) => {
                    self.cluster.advance(wait.millis_or(MAX_WAIT_MS));
                    shell::Output::ok(String::new())
                }
                Err(failed) => failed,
            },
            "date" => match argv.get(1).and_then(|a| a.strip_prefix('+')) {
                Some(format) => {
                    shell::Output::ok(format!("{}\n", self.cluster.now().strftime(format)))
                }
                None => shell::Output::ok(format!("{}\n", self.cluster.now().date_string())),
            },
            "history" => shell::Output::ok(
                self.history
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("{:>5}  {l}\n", i + 1))
                    .collect(),
            ),
            "env" | "printenv" => self.env_command(cmd, &argv[1..], stdin),
            "clear" => shell::Output::ok(String::new()),
            "why" => {
                let ns = self.ctx.namespace.clone();
                crate::why::run(self.cluster, &ns, &argv[1..])
            }
            _ => {
                if let Some(o) = self.host_http(argv) {
                    return o;
                }
                if let Some(o) = ordinal_kubectl::coreutils::run(
                    self,
                    cmd,
                    &argv[1..],
                    stdin,
                    ordinal_kubectl::coreutils::Flavor::Gnu,
                ) {
                    return o;
                }
                let now = self.cluster.now();
                if let Some(o) = ordinal_kubectl::home::run(self.ctx, argv, stdin, now) {
                    return o;
                }
                shell::Output::failed(format!("bash: {cmd}: command not found\n"), 127)
            }
        }
    }
}

impl TermHost<'_> {
    /// The environment the terminal's commands see: a login's variables, then what the shell exported and the
    /// command's own `NAME=value` prefixes.
    fn environment(&self) -> Vec<(String, String)> {
        let home = ordinal_kubectl::home::HOME;
        let user = home.rsplit('/').next().unwrap_or("student");
        let pwd = ordinal_kubectl::home::cwd(self.ctx);
        let mut env: Vec<(String, String)> = [
            ("HOME", home.to_string()),
            ("LANG", "C.UTF-8".to_string()),
            ("LOGNAME", user.to_string()),
            ("PATH", ordinal_engine::runtime::PATH.to_string()),
            ("PWD", pwd),
            ("SHELL", "/bin/bash".to_string()),
            ("TERM", "xterm-256color".to_string()),
            ("USER", user.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        for (k, v) in &self.env {
            match env.iter_mut().find(|(name, _)| name == k) {
                Some(slot) => slot.1 = v.clone(),
                None => env.push((k.clone(), v.clone())),
            }
        }
        env
    }

    /// GNU `env [NAME=VALUE]… [COMMAND [ARG]…]` and `printenv [NAME]…`.
    fn env_command(&mut self, cmd: &str, args: &[String], stdin: Option<&str>) -> shell::Output {
        let mut env = self.environment();
        if cmd == "printenv" {
            if args.is_empty() {
                return shell::Output::ok(env.iter().map(|(k, v)| format!("{k}={v}\n")).collect());
            }
            let mut out = shell::Output::ok(String::new());
            for name in args {
                match env.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => out.push_stdout(&format!("{v}\n")),
                    None => out.status = 1,
                }
            }
            return out;
        }
        let mut rest = args;
        while let Some((first, tail)) = rest.split_first() {
            let Some((k, v)) = first.split_once('=') else {
                break;
            };
            match env.iter_mut().find(|(name, _)| name == k) {
                Some(slot) => slot.1 = v.to_string(),
                None => env.push((k.to_string(), v.to_string())),
            }
            rest = tail;
        }
        if rest.is_empty() {
            return shell::Output::ok(env.iter().map(|(k, v)| format!("{k}={v}\n")).collect());
        }
        let run = Host::run(self, rest, stdin, &env);
        if run.status == 127 && run.stderr().starts_with("bash: ") {
            // env could not find the command: its own message instead of the shell's.
            return shell::Output::both(
                run.stdout(),
                format!("env: ‘{}’: No such file or directory\n", rest[0]),
                127,
            );
        }
        run
    }

    /// `curl`/`wget` to a node's address or a load balancer address: the learner's machine reaches those as
    /// a kind host does, so the request goes through the cluster to a pod. `None` for any other command or
    /// host (the offline catalogue answers those).
    fn host_http(&mut self, argv: &[String]) -> Option<shell::Output> {
        use ordinal_engine::runtime::Http;
        let program = argv.first()?.as_str();
        if program != "curl" && program != "wget" {
            return None;
        }
        let url = argv[1..].iter().rev().find(|a| !a.starts_with('-'))?;
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let hostport = rest.split('/').next().unwrap_or("");
        let (host, port) = hostport.split_once(':').unwrap_or((hostport, "80"));
        Some(match self.cluster.http_from_host(url)? {
            Http::Response(status, body) => match program {
                "curl" => shell::Output::ok(body),
                _ if status == 200 => shell::Output::ok(body),
                _ => shell::Output::failed(format!("wget: server returned error: HTTP/1.1 {status} Not Found\n"), 8),
            },
            Http::NoHost => shell::Output::failed(format!("curl: (6) Could not resolve host: {host}\n"), 6),
            Http::Refused => match program {
                "curl" => shell::Output::failed(format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"), 7),
                _ => shell::Output::failed(format!("Connecting to {hostport}... failed: Connection refused.\n"), 4),
            },
        })
    }

    /// `kubectl edit`: runs `KUBE_EDITOR` (or `EDITOR`) on the object's YAML and saves the result; in the
    /// browser the page's editor opens instead.
    fn edit(&mut self, edit: kubectl::edit::Edit) -> shell::Output {
        let editor = ["KUBE_EDITOR", "EDITOR"].iter().find_map(|name| {
            self.env
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        });
        let Some(editor) = editor else {
            if self.interactive {
                *self.editing = Some(edit);
                return shell::Output::default();
            }
            return shell::Output::failed("error: this terminal has no editor to open; set KUBE_EDITOR to a command that edits the file it is given (for example KUBE_EDITOR=\"sed -i 's/replicas: 2/replicas: 3/'\" kubectl edit sts web)\n".into(), 1);
        };
        // kubectl hands the editor a temporary file (editor.LaunchTempFile("kubectl-edit-", ".yaml")), by its
        // absolute path, so the edit works from any working directory.
        let file = format!("/tmp/kubectl-edit-{}.yaml", edit.key.name);
        self.ctx.files.insert(file.clone(), edit.text.clone());
        let mut argv = shell::split_words(&editor).unwrap_or_default();
        argv.push(file.clone());
        // The editor runs as any command typed in this terminal would (sed -i edits the file in place).
        let env = std::mem::take(&mut self.env);
        let ran = Host::run(self, &argv, None, &env);
        let edited = self.ctx.files.remove(&file).unwrap_or_default();
        if ran.status != 0 {
            return shell::Output::failed(
                format!(
                    "{}error: there was a problem with the editor \"{editor}\"\n",
                    ran.stderr()
                ),
                1,
            );
        }
        kubectl::edit::save(self.cluster, &edit, &edited).output
    }

    /// Runs the clock until `done` holds or `limit_ms` pass; answers whether it held.
    fn wait_until(&mut self, limit_ms: u64, done: impl Fn(&Cluster) -> bool) -> bool {
        if done(self.cluster) {
            return true;
        }
        run_clock(self.cluster, limit_ms, |c| done(c));
        done(self.cluster)
    }

    /// Until the objects (key and uid: a replacement with the same name does not count) are gone.
    fn wait_gone(&mut self, gone: &[(ordinal_engine::store::ObjectKey, String)]) {
        self.wait_until(MAX_WAIT_MS, |c| {
            gone.iter()
                .all(|(k, uid)| c.store().get(k).is_none_or(|o| o.meta().uid != *uid))
        });
    }

    /// `kubectl run -i`: waits for the pod to run (`--pod-running-timeout`, a minute by default), then attaches
    /// a shell or shows what the command prints until it ends; `--rm` deletes the pod. Answers whether kubectl
    /// attached to the command while it ran (`None`: it never got that far), and what it printed.
    fn attached(
        &mut self,
        ns: &str,
        name: &str,
        remove: bool,
        interactive: bool,
        quiet: bool,
        timeout_ms: u64,
    ) -> (Option<bool>, shell::Output) {
        use ordinal_engine::model::Pod;
        let pod_of = |c: &Cluster| c.store().get_typed::<Pod>(ns, name).cloned();
        let uid = pod_of(self.cluster)
            .map(|p| p.metadata.uid)
            .unwrap_or_default();
        let started = |c: &Cluster| {
            pod_of(c).is_none_or(|p| {
                p.is_terminal()
                    || p.status
                        .container_statuses
                        .iter()
                        .any(|s| s.state.running.is_some() || s.state.terminated.is_some())
            })
        };
        if !self.wait_until(timeout_ms, started) {
            return (
                None,
                shell::Output::failed("error: timed out waiting for the condition\n".into(), 1),
            );
        }
        let Some(pod) = pod_of(self.cluster) else {
            return (
                None,
                shell::Output::failed(
                    format!("Error from server (NotFound): pods \"{name}\" not found\n"),
                    1,
                ),
            );
        };
        let container = pod
            .spec
            .containers
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let target = ordinal_engine::runtime::ContainerRef {
            namespace: ns.to_string(),
            pod: name.to_string(),
            uid: uid.clone(),
            container: container.clone(),
        };
        if interactive && !pod.is_terminal() {
            let shell = pod
                .spec
                .containers
                .first()
                .map(|c| {
                    if ordinal_engine::images::family(&c.image)
                        == ordinal_engine::images::Family::Debian
                    {
                        "bash"
                    } else {
                        "sh"
                    }
                })
                .unwrap_or("sh");
            let argv: Vec<String> = pod
                .spec
                .containers
                .first()
                .map(|c| c.command.iter().chain(&c.args).cloned().collect())
                .unwrap_or_default();
            let monitor = kubectl::exec::is_mysql_monitor(&argv);
            let session = Session::open(
                self.cluster,
                kubectl::exec::Attach {
                    target,
                    shell: if monitor { "mysql" } else { shell }.to_string(),
                    main_process: true,
                    remove_pod: remove,
                    command: if monitor { argv } else { Vec::new() },
                    reattach: !quiet
                        && pod.spec.restart_policy.as_deref().unwrap_or("Always") == "Always",
                },
            );
            if monitor && session.session.monitor.is_none() {
                // The client could not connect: it exits 1, and --rm deletes the pod.
                let target = session.session.attach.target.clone();
                self.cluster.end_main_process(&target, 1);
                self.cluster.advance(0);
                let mut printed = shell::Output::failed(session.welcome, 1);
                if remove {
                    let args: Vec<String> = ["delete", "pod", name, "-n", ns]
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    printed.append(self.kubectl(&args, None));
                    return (Some(false), printed);
                }
                printed.push_stderr(&format!("pod {ns}/{name} terminated (Error)\n"));
                return (Some(false), printed);
            }
            let welcome = shell::Output::ok(session.welcome.clone());
            *self.session = Some(session.session);
            return (Some(true), welcome);
        }
        // Show what the command prints until its container ends: in the browser as the clock runs, until
        // Ctrl+C; here by running the clock (at most MAX_WAIT_MS).
        let mut follow = Follow::new(self.cluster, target, 0, false);
        follow.restarts = 0;
        follow.signals = Follow::has_tty(self.cluster, &follow.target);
        follow.remove = remove;
        let (text, done) = follow.lines(self.cluster);
        let mut out = shell::Output::ok(text);
        let running = !done;
        if !done {
            if self.interactive {
                *self.job = Some(Job::Follow(follow));
                return (Some(true), out);
            }
            run_clock(self.cluster, MAX_WAIT_MS, |c| {
                let (text, done) = follow.lines(c);
                out.push_stdout(&text);
                done
            });
        }
        if remove {
            let args: Vec<String> = ["delete", "pod", name, "-n", ns]
                .iter()
                .map(|s| s.to_string())
                .collect();
            out.append(self.kubectl(&args, None));
        }
        (Some(running), out)
    }

    /// Runs kubectl: what it prints, stdout and stderr in the order it writes them, including what it prints
    /// while it waits (a drain's evictions, a watch's rows, an attached command's output).
    fn kubectl(&mut self, args: &[String], stdin: Option<&str>) -> shell::Output {
        let o = kubectl::run(self.cluster, self.ctx, args, stdin);
        if let Some(ns) = o.namespace {
            self.ctx.namespace_named = !ns.is_empty();
            self.ctx.namespace = if ns.is_empty() {
                "default".to_string()
            } else {
                ns
            };
        }
        for (key, text) in o.files {
            self.ctx.files.insert(key, text);
        }
        let mut result = o.output;
        if let Some(edit) = o.edit {
            let edited = self.edit(edit);
            result.append(edited);
        }
        if let Some(attach) = o.attach {
            // `kubectl exec -it … -- mysql` printed the monitor's welcome as it connected.
            *self.session = Some(Session::open(self.cluster, attach).session);
        }
        match o.wait {
            None => {}
            Some(Block::Attached {
                namespace,
                pod,
                remove,
                interactive,
                quiet,
                stdin_fed,
                timeout_ms,
            }) => {
                let (attached, printed) =
                    self.attached(&namespace, &pod, remove, interactive, quiet, timeout_ms);
                // kubectl notes it is attaching (attach.go `Run`, before it attaches), unless the command had
                // already ended (kubectl then shows its log instead: kubernetes/kubectl `pkg/cmd/run/run.go`
                // `handleAttachPod`). A command reading kubectl's standard input waits for kubectl, however
                // quickly it would run.
                if !quiet && (attached == Some(true) || attached == Some(false) && stdin_fed) {
                    result.push_stderr(kubectl::exec::ATTACH_NOTES);
                }
                result.append(printed);
            }
            Some(Block::Condition {
                targets,
                condition,
                timeout_ms,
            }) => {
                let all_met = |c: &Cluster| {
                    targets
                        .iter()
                        .all(|(k, uid)| kubectl::wait::check(c.store(), k, uid, &condition))
                };
                let start = self.cluster.now();
                self.wait_until(timeout_ms, all_met);
                // When nothing more happens kubectl still sits out its timeout.
                if !all_met(self.cluster) {
                    let waited = self.cluster.now().since(start);
                    self.cluster.advance(timeout_ms.saturating_sub(waited));
                }
                for (k, uid) in &targets {
                    if kubectl::wait::check(self.cluster.store(), k, uid, &condition) {
                        result
                            .push_stdout(&format!("{} condition met\n", kubectl::wait::name_of(k)));
                    } else {
                        result.push_stderr(&format!(
                            "error: timed out waiting for the condition on {}/{}\n",
                            k.kind.qualified_plural(),
                            k.name
                        ));
                        result.status = 1;
                    }
                }
            }
            Some(Block::Until {
                key,
                uid,
                condition,
                timeout_ms,
                then,
                timed_out,
            }) => {
                let met = |c: &Cluster| kubectl::wait::check(c.store(), &key, &uid, &condition);
                let start = self.cluster.now();
                if self.wait_until(timeout_ms, met) {
                    result.push_stdout(&then);
                } else {
                    // Nothing more happened: kubectl still polls until its timeout.
                    let waited = self.cluster.now().since(start);
                    self.cluster.advance(timeout_ms.saturating_sub(waited));
                    result.push_stderr(&timed_out);
                    result.status = 1;
                }
            }
            Some(Block::Drain { steps, timeout_ms }) => {
                // Node after node, each with its own `--timeout` (pkg/drain's context per node); each pod's line
                // comes as it goes.
                let limit = timeout_ms.unwrap_or(MAX_WAIT_MS);
                let mut failed = Vec::new();
                for step in steps {
                    result.append(step.before.clone());
                    failed.extend(step.failed.clone());
                    let start = self.cluster.now();
                    let mut pending = step.gone.clone();
                    let mut report = |c: &Cluster, printed: &mut shell::Output| {
                        pending.retain(|(k, uid)| {
                            let there = c.store().get(k).is_some_and(|o| o.meta().uid == *uid);
                            if !there {
                                printed.push_stdout(&step.finished(k));
                            }
                            there
                        });
                        pending.is_empty()
                    };
                    if !report(self.cluster, &mut result) {
                        run_clock(self.cluster, limit, |c| report(c, &mut result));
                    }
                    if pending.is_empty() || timeout_ms.is_none() {
                        result.append(step.after);
                        continue;
                    }
                    // The node's context expires: kubectl reports the pods still there and goes on.
                    let waited = self.cluster.now().since(start);
                    self.cluster.advance(limit.saturating_sub(waited));
                    let left: Vec<&ordinal_engine::store::ObjectKey> =
                        pending.iter().map(|(k, _)| k).collect();
                    let (text, failure) = kubectl::wait::drain_timed_out(&step, &left);
                    result.push_stderr(&text);
                    failed.push(failure);
                }
                result.append(kubectl::wait::drain_end(&failed));
            }
            Some(Block::Gone(gone)) => self.wait_gone(&gone),
            Some(Block::Watch {
                kinds,
                namespace,
                selector,
                names,
                printer,
            }) => {
                let mut watch = Watch {
                    kinds,
                    namespace,
                    selector,
                    names,
                    printer: *printer,
                    cursor: self.cluster.store().cursor(),
                };
                if self.interactive {
                    *self.job = Some(Job::Watch(watch));
                } else {
                    run_clock(self.cluster, MAX_WAIT_MS, |c| {
                        result.push_stdout(&watch.rows(c.store()));
                        false
                    });
                }
            }
            Some(Block::Follow {
                target,
                from,
                timestamps,
                signals,
            }) => {
                let mut follow = Follow::new(self.cluster, target, from, timestamps);
                follow.signals = signals && Follow::has_tty(self.cluster, &follow.target);
                if self.interactive {
                    *self.job = Some(Job::Follow(follow));
                } else {
                    run_clock(self.cluster, MAX_WAIT_MS, |c| {
                        let (text, done) = follow.lines(c);
                        result.push_stdout(&text);
                        done
                    });
                }
            }
            Some(Block::Exec {
                target,
                command,
                stdin,
                tty,
            }) => {
                let now = self.cluster.now();
                let started = ordinal_engine::runtime::ContainerHost::open(
                    self.cluster,
                    target.clone(),
                    ordinal_engine::runtime::Mode::Exec,
                )
                .map(|mut host| {
                    host.tty = tty;
                    host.stepped = true;
                    host.exec_process(&command, stdin.as_deref())
                });
                match started {
                    Some(Ok(ordinal_engine::runtime::ExecRun::Process(process))) => {
                        let mut run = ExecJob {
                            process,
                            target,
                            wake: None,
                        };
                        let (printed, done) = run.step(self.cluster, now);
                        for (stream, text) in printed {
                            result.print(stream, &text);
                        }
                        match done {
                            Some(status) => result.status = status,
                            None => *self.job = Some(Job::Exec(Box::new(run))),
                        }
                    }
                    Some(Ok(ordinal_engine::runtime::ExecRun::Done(o))) => {
                        let status = o.status;
                        result.append(o);
                        if status != 0 {
                            result.push_stderr(&format!(
                                "command terminated with exit code {status}\n"
                            ));
                        }
                    }
                    Some(Err(e)) => {
                        result.push_stderr(&format!("error: {e}\n"));
                        result.status = 1;
                    }
                    None => {
                        result.push_stderr("error: unable to upgrade connection: pod not found\n");
                        result.status = 1;
                    }
                }
            }
            Some(Block::Rollout {
                key,
                revision,
                timeout_ms,
            }) => {
                let start = self.cluster.now();
                let mut watch = RolloutWatch {
                    key,
                    revision,
                    cursor: self.cluster.store().cursor(),
                    deadline: timeout_ms.map(|t| start.plus(t)),
                };
                if self.interactive {
                    *self.job = Some(Job::Rollout(watch));
                } else {
                    let limit = timeout_ms.unwrap_or(MAX_WAIT_MS);
                    let mut ended = false;
                    run_clock(self.cluster, limit, |c| {
                        let (text, failed, done) = watch.lines(c.store(), c.now());
                        result.push_stdout(&text);
                        if !failed.is_empty() {
                            result.push_stderr(&failed);
                            result.status = 1;
                        }
                        ended = done;
                        done
                    });
                    if !ended {
                        if let Some(t) = timeout_ms {
                            // Nothing more happened: kubectl still sits out its timeout, then gives up.
                            let waited = self.cluster.now().since(start);
                            self.cluster.advance(t.saturating_sub(waited));
                            let (text, failed, _) =
                                watch.lines(self.cluster.store(), self.cluster.now());
                            result.push_stdout(&text);
                            result.push_stderr(&failed);
                            result.status = 1;
                        }
                    }
                }
            }
        }
        result
    }
}

/// A `get -w` in progress: what it watches, the printer the listing used (which remembers its column widths,
/// so they only grow, as kubectl's watch output does), and how far it has read the store's watch log.
#[derive(Debug, Clone)]
pub struct Watch {
    kinds: Vec<ordinal_engine::model::Kind>,
    namespace: Option<String>,
    selector: Option<ordinal_engine::model::LabelSelector>,
    names: Vec<String>,
    printer: kubectl::printer::WatchPrinter,
    cursor: u64,
}

impl Watch {
    /// What the printer prints for each change of a watched object since the last call, with AGE as of the
    /// change.
    fn rows(&mut self, store: &ordinal_engine::store::Store) -> String {
        let mut text = String::new();
        for e in store.events_since(self.cursor) {
            let obj = &*e.object;
            let meta = obj.meta();
            let namespaced = obj.kind().info().namespaced;
            let matches = self.kinds.contains(&obj.kind())
                && self
                    .namespace
                    .as_deref()
                    .is_none_or(|ns| !namespaced || meta.namespace == ns)
                && self
                    .selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&meta.labels))
                && (self.names.is_empty() || self.names.contains(&meta.name));
            if !matches {
                continue;
            }
            match self.printer.print(&[obj], store, e.time) {
                Ok(printed) => text.push_str(&printed),
                Err(err) => text.push_str(&format!("{err}\n")),
            }
        }
        self.cursor = store.cursor();
        text
    }
}

/// A session just opened, and what it printed as it did (the mysql monitor's welcome).
struct Opened {
    session: Session,
    welcome: String,
}

/// What the terminal says when the container it was attached to has gone.
const SESSION_GONE: &str = "error: the container this terminal was attached to is gone\n";

impl Session {
    /// The attached container as the shell's host, in the session's working directory; `None` when the
    /// container is gone.
    fn host<'c>(
        &self,
        cluster: &'c mut Cluster,
    ) -> Option<ordinal_engine::runtime::ContainerHost<'c>> {
        let mut host = ordinal_engine::runtime::ContainerHost::open(
            cluster,
            self.attach.target.clone(),
            ordinal_engine::runtime::Mode::Exec,
        )?;
        host.cwd = self.cwd.clone();
        Some(host)
    }

    fn open(cluster: &mut Cluster, attach: kubectl::exec::Attach) -> Opened {
        let host = ordinal_engine::runtime::ContainerHost::open(
            cluster,
            attach.target.clone(),
            ordinal_engine::runtime::Mode::Exec,
        );
        let mut welcome = String::new();
        let (shell, cwd, family, monitor) = match host {
            Some(mut h) => {
                let monitor = if attach.shell == "mysql" {
                    h.tty = true;
                    match ordinal_engine::runtime::mysql::Monitor::open(
                        &mut h,
                        attach.command.get(1..).unwrap_or(&[]),
                    ) {
                        Ok((m, text)) => {
                            welcome = text;
                            Some(m)
                        }
                        Err(e) => {
                            welcome = e;
                            None
                        }
                    }
                } else {
                    None
                };
                (h.shell(), h.cwd.clone(), h.family(), monitor)
            }
            None => (
                Shell::new(),
                "/".to_string(),
                ordinal_engine::images::Family::Busybox,
                None,
            ),
        };
        Opened {
            session: Session {
                attach,
                shell,
                cwd,
                family,
                monitor,
            },
            welcome,
        }
    }
}

/// `kubectl logs -f`, or `kubectl run -i` showing what its command prints: the container's log as it grows,
/// until the container stops.
#[derive(Debug, Clone)]
pub struct Follow {
    target: ordinal_engine::runtime::ContainerRef,
    /// Log lines already printed.
    printed: usize,
    timestamps: bool,
    /// The container's restarts when following began: a restart ends the follow, as the stream closes.
    restarts: i64,
    /// Ctrl+C reaches the container's process and ends it: a terminal is attached (`-t`, to a container
    /// with `tty: true`).
    signals: bool,
    /// `kubectl run --rm`: the pod is deleted when the command ends.
    remove: bool,
}

impl Follow {
    /// Follows `target`'s log from line `printed` on; nothing reaches its process.
    fn new(
        cluster: &Cluster,
        target: ordinal_engine::runtime::ContainerRef,
        printed: usize,
        timestamps: bool,
    ) -> Follow {
        let restarts = Follow::status(cluster, &target).map_or(0, |s| s.restart_count);
        Follow {
            target,
            printed,
            timestamps,
            restarts,
            signals: false,
            remove: false,
        }
    }

    /// Whether the followed container has a terminal, so an attached `-t` passes Ctrl+C on.
    fn has_tty(cluster: &Cluster, target: &ordinal_engine::runtime::ContainerRef) -> bool {
        cluster
            .store()
            .get_typed::<ordinal_engine::model::Pod>(&target.namespace, &target.pod)
            .and_then(|p| {
                p.spec
                    .containers
                    .iter()
                    .find(|c| c.name == target.container)
            })
            .is_some_and(|c| c.tty == Some(true))
    }

    fn status<'c>(
        cluster: &'c Cluster,
        target: &ordinal_engine::runtime::ContainerRef,
    ) -> Option<&'c ordinal_engine::model::pod::ContainerStatus> {
        let pod = cluster
            .store()
            .get_typed::<ordinal_engine::model::Pod>(&target.namespace, &target.pod)
            .filter(|p| p.metadata.uid == target.uid)?;
        pod.status
            .container_statuses
            .iter()
            .chain(&pod.status.init_container_statuses)
            .find(|s| s.name == target.container)
    }

    /// The lines logged since the last call, and whether the container has stopped (nothing more comes).
    fn lines(&mut self, cluster: &Cluster) -> (String, bool) {
        let lines = cluster
            .container_logs(&self.target.uid, &self.target.container, false)
            .unwrap_or(&[]);
        let text = lines
            .get(self.printed..)
            .unwrap_or(&[])
            .iter()
            .map(|l| {
                if self.timestamps {
                    format!("{} {}\n", l.time.rfc3339_nanos(), l.text)
                } else {
                    format!("{}\n", l.text)
                }
            })
            .collect();
        self.printed = lines.len();
        let running = Follow::status(cluster, &self.target)
            .is_some_and(|s| s.state.running.is_some() && s.restart_count == self.restarts);
        (text, !running)
    }
}

/// A `rollout status` in progress: the status line again after every change of the object, until done, or
/// until its `--timeout` deadline passes (rollout_status.go's watch with ContextWithOptionalTimeout).
#[derive(Debug, Clone)]
pub struct RolloutWatch {
    key: ordinal_engine::store::ObjectKey,
    revision: i64,
    cursor: u64,
    deadline: Option<ordinal_engine::clock::Time>,
}

impl RolloutWatch {
    /// The lines for the changes since the last call (stdout), the error that ended the watch (stderr), and
    /// whether it has ended: the rollout is done, the object was deleted, or the deadline passed at `now`.
    fn lines(
        &mut self,
        store: &ordinal_engine::store::Store,
        now: ordinal_engine::clock::Time,
    ) -> (String, String, bool) {
        let mut text = String::new();
        let mut failed = String::new();
        let mut done = false;
        for e in store.events_since(self.cursor) {
            if done || ordinal_engine::store::ObjectKey::of(&e.object) != self.key {
                continue;
            }
            if self.deadline.is_some_and(|d| e.time > d) {
                break;
            }
            if e.type_ == ordinal_engine::store::WatchEventType::Deleted {
                // The watch aborts rather than follow a recreated object.
                failed.push_str("error: object has been deleted\n");
                done = true;
                continue;
            }
            match kubectl::rollout::status_line(&e.object, self.revision) {
                Ok((line, finished)) => {
                    text.push_str(&line);
                    text.push('\n');
                    done = finished;
                }
                Err(err) => {
                    failed.push_str(&err);
                    failed.push('\n');
                    done = true;
                }
            }
        }
        self.cursor = store.cursor();
        if !done && self.deadline.is_some_and(|d| now >= d) {
            failed.push_str("error: timed out waiting for the condition\n");
            done = true;
        }
        (text, failed, done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordinal_engine::ClusterConfig;

    fn term() -> (Cluster, Terminal) {
        let mut t = Terminal::default();
        t.ctx.files.insert(
            "web.yaml".into(),
            include_str!("../tests/fixtures/web.yaml").into(),
        );
        (Cluster::new(ClusterConfig::default()), t)
    }

    #[test]
    fn durations_as_sleep_reads_them() {
        assert_eq!(parse_duration_ms("5"), Some(5_000));
        assert_eq!(parse_duration_ms("30s"), Some(30_000));
        assert_eq!(parse_duration_ms("2m"), Some(120_000));
        assert_eq!(parse_duration_ms("1h"), Some(3_600_000));
        assert_eq!(parse_duration_ms("x"), None);
    }

    #[test]
    fn the_seminar_namespace_alias_works() {
        let (mut c, mut t) = term();
        t.run(&mut c, "alias kubectl=\"kubectl -n $(id -un)\"", &[]);
        let p = t.run(&mut c, "kubectl apply -f web.yaml", &[]);
        assert_eq!(
            p.text,
            "service/nginx created\nstatefulset.apps/web created\n"
        );
        assert!(c.stateful_set("student", "web").is_some());
    }

    #[test]
    fn a_watch_prints_each_change_with_growing_columns() {
        let (mut c, mut t) = term();
        let p = t.run(
            &mut c,
            "kubectl apply -f web.yaml; kubectl get pods -w -l app=nginx",
            &[],
        );
        let lines: Vec<&str> = p.text.lines().collect();
        assert_eq!(lines[2], "NAME    READY   STATUS    RESTARTS   AGE");
        assert_eq!(lines[3], "web-0   0/1     Pending   0          0s");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("web-0   0/1     ContainerCreating   0          ")),
            "{}",
            p.text
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("web-1   1/1     Running             0          ")),
            "{}",
            p.text
        );
    }

    #[test]
    fn an_interactive_watch_streams_with_the_pages_clock_until_interrupted() {
        let (mut c, _) = term();
        let mut t = Terminal::interactive();
        t.ctx.files.insert(
            "web.yaml".into(),
            include_str!("../tests/fixtures/web.yaml").into(),
        );
        t.run(&mut c, "kubectl apply -f web.yaml", &[]);
        let start = c.now();
        let p = t.run(&mut c, "kubectl get pods -w -l app=nginx", &[]);
        assert_eq!(
            p.text,
            "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   0/1     Pending   0          0s\n"
        );
        assert_eq!(c.now(), start, "the terminal does not run the clock itself");
        assert!(t.busy());
        c.advance(60_000);
        let rows = t.poll(&mut c);
        assert!(
            rows.contains("web-0   1/1     Running             0          "),
            "{rows}"
        );
        assert!(
            rows.contains("web-1   0/1     Pending             0          0s"),
            "{rows}"
        );
        assert_eq!(t.poll(&mut c), "", "each change is printed once");
        assert!(t.interrupt(&mut c).is_some());
        assert!(!t.busy());
        c.advance(60_000);
        assert_eq!(t.poll(&mut c), "");
    }

    #[test]
    fn a_watch_started_on_nothing_prints_the_header_with_the_first_row() {
        let (mut c, _) = term();
        let mut t = Terminal::interactive();
        let p = t.run(&mut c, "kubectl get pods -w", &[]);
        assert_eq!(
            p.text, "",
            "no table and no 'No resources found' for a watch"
        );
        c.apply_manifest(
            include_str!("../tests/fixtures/web.yaml"),
            "web.yaml",
            "default",
        )
        .unwrap();
        let rows = t.poll(&mut c);
        assert!(
            rows.starts_with("NAME    READY   STATUS    RESTARTS   AGE\nweb-0   0/1     Pending   0          0s\n"),
            "{rows}"
        );
    }

    #[test]
    fn warnings_come_before_what_kubectl_prints() {
        let (mut c, mut t) = term();
        t.run(&mut c, "kubectl apply -f web.yaml && sleep 1m", &[]);
        let p = t.run(
            &mut c,
            "kubectl delete pod web-0 --grace-period=0 --force",
            &[],
        );
        assert_eq!(
            p.text,
            "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\npod \"web-0\" force deleted from default namespace\n"
        );
    }

    #[test]
    fn delete_waits_for_the_pod_to_be_gone() {
        let (mut c, mut t) = term();
        t.run(&mut c, "kubectl apply -f web.yaml && sleep 2m", &[]);
        let before = c.now();
        let p = t.run(&mut c, "kubectl delete pod web-0", &[]);
        assert_eq!(p.text, "pod \"web-0\" deleted from default namespace\n");
        assert!(c.now() > before, "the clock ran while kubectl waited");
        let p = t.run(
            &mut c,
            "for i in 0 1; do kubectl get pod web-$i -o jsonpath='{.metadata.name}{\"\\n\"}'; done",
            &[],
        );
        assert_eq!(p.text, "web-0\nweb-1\n");
    }

    #[test]
    fn heredocs_feed_kubectl_apply() {
        let (mut c, mut t) = term();
        let body =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n".to_string();
        let p = t.run(&mut c, "kubectl apply -f - <<EOF", &[body]);
        assert_eq!(p.text, "configmap/cfg created\n");
    }

    #[test]
    fn unknown_commands_and_dates() {
        let (mut c, mut t) = term();
        assert_eq!(
            t.run(&mut c, "nslookupp web-0", &[]).text,
            "bash: nslookupp: command not found\n"
        );
        assert_eq!(
            t.run(&mut c, "date", &[]).text,
            "Mon Jan  5 09:00:00 UTC 2026\n"
        );
    }
}
