//! What the shell needs from the world and gives back: the [`Host`] every non-builtin command goes to, the
//! [`Output`] a command leaves, and the [`Job`] that runs a script as a process which can stop between commands.
//! The interpreter is async only so that a command can wait (`sleep`, a process that never exits) without the
//! shell holding a borrow of the cluster: a [`Link`] carries each host call out of the future and its reply back.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::ast::Script;
use super::interpreter::{Input, Shell};

/// What a command printed and how it ended. What it printed is kept in the order it was written, stream by
/// stream, as a terminal shows it: `kubectl drain` writes `node/… cordoned` on stdout, then a warning on
/// stderr, then more on stdout, and a terminal interleaves them in that order. A pipe takes the stdout
/// pieces alone ([`Output::stdout`]); stderr still reaches the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Adjacent pieces written to the same stream are joined.
    printed: Vec<(Stream, String)>,
    pub status: i32,
}

impl Output {
    /// A command that succeeded, printing `stdout`.
    pub fn ok(stdout: String) -> Output {
        let mut out = Output::default();
        out.push_stdout(&stdout);
        out
    }

    /// A command that failed with `status`, printing `stderr`.
    pub fn failed(stderr: String, status: i32) -> Output {
        let mut out = Output::default();
        out.push_stderr(&stderr);
        out.status = status;
        out
    }

    /// A command that printed `stdout`, then `stderr`, and ended with `status` (for programs that print
    /// their errors after their output).
    pub fn both(stdout: String, stderr: String, status: i32) -> Output {
        let mut out = Output::ok(stdout);
        out.push_stderr(&stderr);
        out.status = status;
        out
    }

    /// Writes `text` to `stream`, after everything written so far.
    pub fn print(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.printed.last_mut() {
            Some((s, t)) if *s == stream => t.push_str(text),
            _ => self.printed.push((stream, text.to_owned())),
        }
    }

    pub fn push_stdout(&mut self, text: &str) {
        self.print(Stream::Stdout, text);
    }

    pub fn push_stderr(&mut self, text: &str) {
        self.print(Stream::Stderr, text);
    }

    /// What `other` printed, after what this printed; when `other` failed, its status becomes this one's.
    pub fn append(&mut self, other: Output) {
        for (stream, text) in other.printed {
            self.print(stream, &text);
        }
        if other.status != 0 {
            self.status = other.status;
        }
    }

    /// Everything printed, in order, with the stream each piece went to.
    pub fn printed(&self) -> &[(Stream, String)] {
        &self.printed
    }

    /// What went to stdout alone: what a pipe or `$(…)` receives.
    pub fn stdout(&self) -> String {
        self.stream(Stream::Stdout)
    }

    /// What went to stderr alone.
    pub fn stderr(&self) -> String {
        self.stream(Stream::Stderr)
    }

    /// Both streams as a terminal shows them.
    pub fn text(&self) -> String {
        self.printed.iter().map(|(_, t)| t.as_str()).collect()
    }

    fn stream(&self, which: Stream) -> String {
        self.printed
            .iter()
            .filter(|(s, _)| *s == which)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

/// Which of a command's outputs a piece of text went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Runs what the shell does not: `kubectl`, `cat`, `date`, `clear`, `history`, and unknown commands (which
/// should fail like bash: `bash: foo: command not found`, status 127).
pub trait Host {
    /// Runs one command. `env` holds exported variables and the command's `NAME=value` prefixes, sorted by name.
    fn run(&mut self, argv: &[String], stdin: Option<&str>, env: &[(String, String)]) -> Output;

    /// Runs one command, handing its output to `out` in the order it was printed. By default: what
    /// [`Host::run`] printed, all at once when it has ended.
    fn run_streaming(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
        env: &[(String, String)],
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        let result = self.run(argv, stdin, env);
        for (stream, text) in result.printed() {
            out(*stream, text);
        }
        result.status
    }

    /// The contents of `path`, for `< path`. The learner's terminal has no files, so by default this refuses;
    /// the error text is printed as `bash: PATH: ERROR`.
    fn read_file(&mut self, _path: &str) -> Result<String, String> {
        Err("input redirection from files is not supported in this terminal".to_owned())
    }

    /// Whether the script should stop quietly before its next command (a container's main process that
    /// has gone to sleep for good). By default never.
    fn should_stop(&mut self) -> bool {
        false
    }

    /// What is at `path`, for `[[ -f … ]]`, `test -d …` and friends. By default nothing is.
    fn file_kind(&mut self, _path: &str) -> Option<FileKind> {
        None
    }

    /// The names in directory `path` (relative to the working directory or absolute), for pathname
    /// expansion (`cat *.yaml`); `None` when there is no such directory. By default there is none, so a
    /// pattern stays as typed.
    fn list_dir(&mut self, _path: &str) -> Option<Vec<String>> {
        None
    }

    /// `cd DIR` (`None`: `cd` alone). The learner's terminal has no directories, so by default it succeeds
    /// and changes nothing; an error is printed as it is.
    fn change_dir(&mut self, _dir: Option<&str>) -> Result<(), String> {
        Ok(())
    }

    /// Writes for `> path` (`append` false: called once with empty `contents` to create or truncate, before
    /// the command runs) and `>> path` (`append` true), then once more, appending, with what the command
    /// printed. By default this refuses and the command does not run, as when bash cannot open the file.
    fn write_file(&mut self, _path: &str, _contents: &str, _append: bool) -> Result<(), String> {
        Err("output redirection to files is not supported in this terminal".to_owned())
    }

    /// After a command ran: whether the process now waits before its next command (`sleep`: for a while; a
    /// server it started: until stopped). Only a [`Job`] stops there; run straight through, waiting is the
    /// host's own business. By default nothing waits.
    fn take_wait(&mut self) -> Option<Wait> {
        None
    }

    /// Before a command: whether the job should wait before running it, and try again when it resumes (the
    /// browser's terminal while the cluster is still working through the last command's consequences, so
    /// the next command sees them as it would natively). Run straight through, nothing waits; by default a
    /// job does not either.
    fn hold(&mut self) -> bool {
        false
    }
}

/// What a path names, for the file tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    File { size: usize },
    Dir,
}

/// How long a process waits after a command before its next one: a [`Job`] suspends there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// `sleep`: this many milliseconds.
    For(u64),
    /// A server, `sleep infinity`: until the process is stopped.
    Forever,
}

impl Wait {
    /// How long, in milliseconds; `None` for a wait without end.
    pub fn millis(self) -> Option<u64> {
        match self {
            Wait::For(ms) => Some(ms),
            Wait::Forever => None,
        }
    }

    /// How long, with `limit` standing for a wait without end (where nobody is there to press Ctrl+C).
    pub fn millis_or(self, limit: u64) -> u64 {
        self.millis().unwrap_or(limit)
    }
}

/// Where a [`Job`] stands after [`Job::resume`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// The script ended with this status.
    Done(i32),
    /// The last command made the process wait; resume the job when the wait is over.
    Waiting(Wait),
}

/// What the interpreter asks of its host. The interpreter runs as a future that parks at each request;
/// whoever drives it serves the request with a [`Host`] and polls again. Run straight through, that is a
/// plain call; a [`Job`] can instead stop between a command and the next and carry on later, which is how a
/// container's `while sleep 1; do …; done` runs on the cluster's clock.
enum HostCall {
    Run {
        argv: Vec<String>,
        stdin: Option<String>,
        env: Vec<(String, String)>,
    },
    ReadFile(String),
    WriteFile {
        path: String,
        contents: String,
        append: bool,
    },
    FileKind(String),
    ListDir(String),
    ChangeDir(Option<String>),
    ShouldStop,
}

enum Reply {
    Ran(Vec<(Stream, String)>, i32),
    Read(Result<String, String>),
    Done(Result<(), String>),
    Kind(Option<FileKind>),
    List(Option<Vec<String>>),
    Stop(bool),
}

/// The one-request mailbox between the interpreter and its driver.
#[derive(Default)]
pub(super) struct Link {
    call: RefCell<Option<HostCall>>,
    reply: RefCell<Option<Reply>>,
    /// The job waited since the last command: the runaway-loop budget starts again.
    pub(super) waited: Cell<bool>,
}

/// Ready once the driver has put the reply in.
struct Answer<'l>(&'l Link);

impl Future for Answer<'_> {
    type Output = Reply;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Reply> {
        match self.0.reply.borrow_mut().take() {
            Some(reply) => Poll::Ready(reply),
            None => Poll::Pending,
        }
    }
}

impl Link {
    async fn ask(&self, call: HostCall) -> Reply {
        *self.call.borrow_mut() = Some(call);
        Answer(self).await
    }

    /// Runs a command through the host, handing what it printed to `out` in order; answers its status.
    pub(super) async fn run(
        &self,
        argv: &[String],
        stdin: Option<&str>,
        env: &[(String, String)],
        out: &mut dyn FnMut(Stream, &str),
    ) -> i32 {
        let call = HostCall::Run {
            argv: argv.to_vec(),
            stdin: stdin.map(str::to_owned),
            env: env.to_vec(),
        };
        match self.ask(call).await {
            Reply::Ran(chunks, status) => {
                for (stream, text) in chunks {
                    out(stream, &text);
                }
                status
            }
            _ => 1,
        }
    }

    pub(super) async fn read_file(&self, path: &str) -> Result<String, String> {
        match self.ask(HostCall::ReadFile(path.to_owned())).await {
            Reply::Read(result) => result,
            _ => Err("unexpected reply".to_owned()),
        }
    }

    pub(super) async fn write_file(
        &self,
        path: &str,
        contents: &str,
        append: bool,
    ) -> Result<(), String> {
        let call = HostCall::WriteFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
            append,
        };
        match self.ask(call).await {
            Reply::Done(result) => result,
            _ => Err("unexpected reply".to_owned()),
        }
    }

    pub(super) async fn file_kind(&self, path: &str) -> Option<FileKind> {
        match self.ask(HostCall::FileKind(path.to_owned())).await {
            Reply::Kind(kind) => kind,
            _ => None,
        }
    }

    pub(super) async fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        match self.ask(HostCall::ListDir(path.to_owned())).await {
            Reply::List(names) => names,
            _ => None,
        }
    }

    pub(super) async fn change_dir(&self, dir: Option<&str>) -> Result<(), String> {
        match self.ask(HostCall::ChangeDir(dir.map(str::to_owned))).await {
            Reply::Done(result) => result,
            _ => Ok(()),
        }
    }

    pub(super) async fn should_stop(&self) -> bool {
        matches!(self.ask(HostCall::ShouldStop).await, Reply::Stop(true))
    }
}

/// Serves one request with the host.
fn serve(host: &mut dyn Host, call: HostCall) -> Reply {
    match call {
        HostCall::Run { argv, stdin, env } => {
            let mut chunks: Vec<(Stream, String)> = Vec::new();
            let status =
                host.run_streaming(
                    &argv,
                    stdin.as_deref(),
                    &env,
                    &mut |stream, text| match chunks.last_mut() {
                        Some((s, t)) if *s == stream => t.push_str(text),
                        _ => chunks.push((stream, text.to_owned())),
                    },
                );
            Reply::Ran(chunks, status)
        }
        HostCall::ReadFile(path) => Reply::Read(host.read_file(&path)),
        HostCall::WriteFile {
            path,
            contents,
            append,
        } => Reply::Done(host.write_file(&path, &contents, append)),
        HostCall::FileKind(path) => Reply::Kind(host.file_kind(&path)),
        HostCall::ListDir(path) => Reply::List(host.list_dir(&path)),
        HostCall::ChangeDir(dir) => Reply::Done(host.change_dir(dir.as_deref())),
        HostCall::ShouldStop => Reply::Stop(host.should_stop()),
    }
}

/// Runs the interpreter's future to its end, serving each request as it comes: the blocking API.
pub(super) fn drive<T>(future: impl Future<Output = T>, link: &Link, host: &mut dyn Host) -> T {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        // The interpreter only parks on a request, so one is always there.
        let call = link.call.borrow_mut().take();
        if let Some(call) = call {
            let reply = serve(host, call);
            *link.reply.borrow_mut() = Some(reply);
        }
    }
}

pub(super) type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A script running as a process that can stop between commands: a container's main process stepped by
/// the kubelet on the cluster's clock, or a loop in the learner's terminal that runs until Ctrl+C. Each
/// [`Job::resume`] runs commands until the script ends or one of them makes the process wait
/// ([`Host::take_wait`]); the host may differ from one resume to the next, so a job holds no borrow of the
/// cluster between them.
pub struct Job {
    future: Boxed<'static, i32>,
    link: Rc<Link>,
    shell: Rc<RefCell<Shell>>,
    output: Rc<RefCell<Vec<(Stream, String)>>>,
    /// The reply to the command the job waits after, handed over when it resumes, and whether that wait let
    /// time pass (`sleep 0` does not: a loop of it is still a runaway loop).
    held: Option<(Reply, bool)>,
    /// The request the job waits before ([`Host::hold`]), served when it resumes.
    waiting: Option<HostCall>,
    status: Option<i32>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("waiting", &self.held.is_some())
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Job {
    /// A job that runs `script` in `shell`, offering `stdin` to its commands. Nothing runs until the first
    /// [`Job::resume`].
    pub fn new(shell: Shell, script: Script, stdin: Option<String>) -> Job {
        let link = Rc::new(Link::default());
        let shell = Rc::new(RefCell::new(shell));
        let output: Rc<RefCell<Vec<(Stream, String)>>> = Rc::new(RefCell::new(Vec::new()));
        let future = {
            let (link, shell, output) = (link.clone(), shell.clone(), output.clone());
            // The future is the only one to borrow the shell while it exists; `into_shell` drops it first.
            #[allow(clippy::await_holding_refcell_ref)]
            async move {
                let mut sh = shell.borrow_mut();
                sh.commands_run = 0;
                sh.aborted = false;
                sh.halted = false;
                let mut out = |stream: Stream, text: &str| {
                    let mut output = output.borrow_mut();
                    match output.last_mut() {
                        Some((s, t)) if *s == stream => t.push_str(text),
                        _ => output.push((stream, text.to_owned())),
                    }
                };
                let input = stdin.map(Input::new);
                sh.run_script(&script, &link, input.as_ref(), &mut out)
                    .await
            }
        };
        Job {
            future: Box::pin(future),
            link,
            shell,
            output,
            held: None,
            waiting: None,
            status: None,
        }
    }

    /// Runs the script on from where it waited until it ends or waits again.
    pub fn resume(&mut self, host: &mut dyn Host) -> JobState {
        if let Some(status) = self.status {
            return JobState::Done(status);
        }
        if let Some((reply, time_passed)) = self.held.take() {
            *self.link.reply.borrow_mut() = Some(reply);
            if time_passed {
                self.link.waited.set(true);
            }
        }
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            let call = match self.waiting.take() {
                Some(call) => call,
                None => {
                    if let Poll::Ready(status) = self.future.as_mut().poll(&mut cx) {
                        self.status = Some(status);
                        return JobState::Done(status);
                    }
                    let call = self.link.call.borrow_mut().take();
                    let Some(call) = call else {
                        self.status = Some(1);
                        return JobState::Done(1);
                    };
                    call
                }
            };
            if host.hold() {
                self.waiting = Some(call);
                return JobState::Waiting(Wait::For(0));
            }
            let reply = serve(host, call);
            if let Some(wait) = host.take_wait() {
                self.held = Some((reply, wait != Wait::For(0)));
                return JobState::Waiting(wait);
            }
            *self.link.reply.borrow_mut() = Some(reply);
        }
    }

    /// What the script printed since the last call, in order, stdout and stderr apart.
    pub fn take_output(&mut self) -> Vec<(Stream, String)> {
        std::mem::take(&mut *self.output.borrow_mut())
    }

    /// Whether the script has ended.
    pub fn finished(&self) -> bool {
        self.status.is_some()
    }

    /// Stops the job (if it still runs, as Ctrl+C would) and hands back its shell, with the variables the
    /// script set so far.
    pub fn into_shell(self) -> Shell {
        let interrupted = self.status.is_none();
        let Job { future, shell, .. } = self;
        drop(future);
        let mut shell = Rc::try_unwrap(shell)
            .map(RefCell::into_inner)
            .unwrap_or_else(|rc| rc.borrow().clone());
        if interrupted {
            shell.interrupted();
        }
        shell
    }
}
