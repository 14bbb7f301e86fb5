//! The app's state and the one reducer that changes it. Buttons, keys and timers send [`Action`]s; the reducer
//! runs them against the engine and reads a fresh [`Snapshot`] for the view. Data flows one way: YAML text and
//! typed lines → engine → snapshot and scrollback → components.
//!
//! The terminal is a real shell session ([`Terminal`], interactive): what is typed runs through it, and so do the
//! toolbar's and the cards' buttons, which appear in the scrollback as the kubectl command a learner would type.
//! The reducer also does what bash's line editor does around it: continuation lines (`\`, an open quote, a
//! `for` without `done`), here-document bodies read up to their delimiter, history with Up/Down, Tab completion
//! with a list on the second Tab, and Ctrl+C.

use std::cell::RefCell;
use std::rc::Rc;

use ordinal_engine::model::{Kind, StatefulSet};
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_kubectl::shell::{self, Command, Script, Stream, WordPart};
use ordinal_term::complete::{complete, format_list, kubectl_namespace};
use ordinal_term::line::{Command as LineCommand, Fed, LineDiscipline};
use ordinal_term::terminal::Terminal;
use yew::prelude::*;

use crate::scrollback::{one_line, Prompt, Scrollback};
use crate::snapshot::{Snapshot, NAMESPACE};

/// The StatefulSet Basics manifest from kubernetes.io: headless Service `nginx` and StatefulSet `web`.
pub const WEB_YAML: &str = include_str!("../crates/kubectl/catalogue/application/web/web.yaml");

/// The file the editor opens first: `kubectl apply -f web.yaml` and `cat web.yaml` in the terminal read the
/// editor. Every manifest in the learner's home directory has a tab of its own.
pub const FILE_NAME: &str = "web.yaml";

/// What a catch-up does next.
#[derive(Debug, Clone, PartialEq)]
enum Todo {
    /// Open a step's file in the editor.
    File(String, String),
    /// Type a line of step `.1` of lesson `.0`.
    Line(usize, usize, String),
    /// Let the clock run until step `.1` of lesson `.0` is done.
    Settle(usize, usize),
}

/// A catch-up under way: what is left, and how long the clock has run for the thing at its head.
#[derive(Debug, Clone, PartialEq)]
struct CatchUp {
    plan: std::collections::VecDeque<Todo>,
    waited_ms: u64,
}

/// Where the learner is in a lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonPos {
    /// Index into [`ordinal_lessons::builtin`].
    pub lesson: usize,
    pub step: usize,
    /// The step's check passed.
    pub done: bool,
}

type Builtin = (
    &'static [ordinal_lessons::Lesson],
    &'static [ordinal_lessons::LessonError],
);

thread_local! {
    /// The built-in lessons once read. In the browser they arrive when a lesson is first opened
    /// ([`crate::lesson_files`]); natively (tests, tools) they are compiled in and read on first use.
    static LESSONS: std::cell::OnceCell<Builtin> = const { std::cell::OnceCell::new() };
}

fn keep(
    (lessons, errors): (
        Vec<ordinal_lessons::Lesson>,
        Vec<ordinal_lessons::LessonError>,
    ),
) -> Builtin {
    (
        Box::leak(lessons.into_boxed_slice()),
        Box::leak(errors.into_boxed_slice()),
    )
}

fn builtin() -> Builtin {
    LESSONS.with(read_now)
}

#[cfg(not(target_arch = "wasm32"))]
fn read_now(l: &std::cell::OnceCell<Builtin>) -> Builtin {
    *l.get_or_init(|| keep(ordinal_lessons::builtin()))
}

#[cfg(target_arch = "wasm32")]
fn read_now(l: &std::cell::OnceCell<Builtin>) -> Builtin {
    l.get().copied().unwrap_or((&[], &[]))
}

/// Whether the lessons have been read (in the browser: fetched); until then [`lessons`] is empty.
pub fn lessons_ready() -> bool {
    LESSONS.with(|l| l.get().is_some()) || cfg!(not(target_arch = "wasm32"))
}

/// Reads the lessons from a bundle of their files (`lessons/builtin.json`, see
/// [`ordinal_lessons::builtin_bundle`]); once read, they stay.
pub fn set_lessons(bundle: &str) -> Result<(), String> {
    let read = ordinal_lessons::read_bundle(bundle)?;
    LESSONS.with(|l| {
        let _ = l.set(keep(read));
    });
    Ok(())
}

/// How far the learner got in each lesson, by its id: kept in the browser, so a lesson is resumed where it was left.
pub type Progress = std::collections::BTreeMap<String, LessonProgress>;

/// How far the learner got in one lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonProgress {
    /// The step the learner was at.
    pub step: usize,
    /// The ids of the steps whose check has passed.
    pub done: Vec<String>,
}

impl LessonProgress {
    /// Whether every step of `lesson` has been done.
    pub fn finished(&self, lesson: &ordinal_lessons::Lesson) -> bool {
        lesson.steps.iter().all(|s| self.done.contains(&s.id))
    }
}

/// The built-in lessons, read once.
pub fn lessons() -> &'static [ordinal_lessons::Lesson] {
    builtin().0
}

/// What is wrong with the lesson files that could not be read (shown in the lesson list, for their author).
pub fn lesson_errors() -> &'static [ordinal_lessons::LessonError] {
    builtin().1
}

/// The result of the last Apply: the command, and each line it printed (true: to stderr).
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub line: String,
    pub lines: Vec<(bool, String)>,
}

/// A problem with the editor's YAML, shown beside the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorError {
    /// 1-based line the error points at.
    pub line: usize,
    pub location: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    Edit(String),
    Apply,
    /// Change the replicas of the StatefulSet by this much.
    Scale(i32),
    Delete,
    /// `kubectl delete pod NAME`.
    DeletePod(String),
    /// Make a pod's readiness probe fail (true) or pass again.
    BreakReadiness(String, bool),
    /// Make a pod's container exit at every start (true), or stop that.
    Crash(String, bool),
    /// `kubectl cordon` (true) / `uncordon` (false).
    Cordon(String, bool),
    /// The namespace switcher: `kubectl config set-context --current --namespace=NS`.
    Namespace(String),
    /// A control on an object (set image, partition, roll back, delete with orphan): runs this kubectl line as
    /// if typed.
    Command(String),
    /// Stop (false) or restart (true) a node's kubelet.
    NodeReady(String, bool),
    /// Advance virtual time by this many milliseconds (the step button): all of it, in slices if need be.
    Advance(u64),
    /// The running clock's tick: this many milliseconds, dropped while the cluster is still working through
    /// earlier ones (the clock slows down rather than the page).
    Tick(u64),
    /// Carry on with the cluster's work: the next slice, in a task of its own so the page stays responsive.
    Work,
    TogglePause,
    /// The clock's speed in quarters: 1 is 0.25×, 4 is 1×, 64 is 16×.
    SetSpeed(u32),
    /// Run the clock to the next moment the cluster records an Event, and stop there.
    StepToEvent,
    /// Go back (or forward, within what was recorded) to this virtual time: the recorded actions are replayed
    /// on a fresh cluster up to it, and the clock stays paused there.
    Rewind(u64),
    /// Leave the past: replay everything recorded, back to where the session had got to.
    BackToPresent,
    Reset,
    /// Enter in the terminal, with the line as typed.
    Run(String),
    /// Text pasted into the terminal's input between `before` and `after`: each complete line runs as if typed.
    Paste {
        before: String,
        text: String,
        after: String,
    },
    /// Ctrl+C, with the line as typed so far.
    Interrupt(String),
    /// Ctrl+D on an empty line: ends a here-document early, as bash does.
    EndOfInput,
    /// Tab: complete the word before the cursor. `width` is the terminal's width in characters, for the list.
    Complete {
        before: String,
        after: String,
        width: usize,
    },
    /// Up: the previous history entry; the line being typed is kept to come back to.
    HistoryPrev(String),
    /// Down: the next history entry, or the line that was being typed.
    HistoryNext,
    /// Ctrl+L.
    ClearScreen,
    /// Open the built-in lesson with this index where the learner left it, or (`None`) the list of lessons.
    OpenLesson(Option<usize>),
    /// Open the lesson with this id at this step (from 0), as a link into the playground asks.
    LessonAt(String, usize),
    /// Close the lesson panel.
    CloseLessons,
    /// Write this file (name, text) into the home directory and open it in the editor: a lesson step's file.
    PutFile(String, String),
    /// Replace the session with this one (from a link or a file), rebuilt by replaying it.
    Restore(Box<SavedSession>),
    /// Do the steps of lesson `.0` before step `.1` on the learner's cluster, each as "show me" does and until
    /// its check passes: for a learner who came to the middle of a lesson by a link.
    CatchUp(usize, usize),
    /// Go to this step of the open lesson.
    LessonStep(usize),
    /// The language of the lessons (`en`, `ja`, `zh-TW`, `ko`).
    SetLanguage(String),
    /// Put the current step's command on the terminal's input line, to read and press Enter.
    CopyStep,
    /// Open this file of the learner's home directory in the editor (its tab).
    OpenFile(String),
    /// A new, empty manifest in a tab of its own.
    NewFile,
    /// Save the object `kubectl edit` opened in the editor.
    SaveEdit,
    /// Close the editor without saving (`kubectl edit` then reports no changes).
    CancelEdit,
}

/// What the terminal's input line should hold after an action. `rev` changes whenever the reducer decides the
/// line (Enter clears it, Tab completes it, Up recalls history); typing in between belongs to the input itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputLine {
    pub text: String,
    /// Caret position in UTF-16 code units, as the DOM counts them.
    pub cursor: u32,
    pub rev: u64,
}

/// The terminal's scrollback, shared by consecutive states like the cluster is; `rev` tells renders apart.
#[derive(Clone)]
pub struct Screen {
    pub lines: Rc<RefCell<Scrollback>>,
    pub rev: u64,
}

impl PartialEq for Screen {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.lines, &other.lines) && self.rev == other.rev
    }
}

#[derive(Clone)]
pub struct AppState {
    pub cluster: Rc<RefCell<Cluster>>,
    pub terminal: Rc<RefCell<Terminal>>,
    pub screen: Screen,
    pub yaml: String,
    /// The file the editor shows: `yaml` is its text.
    pub file: String,
    /// The manifests of the learner's home directory, one tab each.
    pub files: Vec<String>,
    /// What the last Apply said, object by object.
    pub applied: Option<Applied>,
    /// The open lesson, if any: which one, which step, and whether that step's check has passed.
    pub lesson: Option<LessonPos>,
    /// The lesson panel shows the list of lessons.
    pub lesson_list: bool,
    /// How far the learner got in each lesson.
    pub progress: Progress,
    /// A catch-up under way (not recorded itself: what it does is).
    plan: Option<CatchUp>,
    /// The lessons' language.
    pub language: String,
    pub errors: Vec<EditorError>,
    pub snapshot: Snapshot,
    pub paused: bool,
    pub speed: u32,
    pub input: InputLine,
    /// The prompt in front of the input line; `None` while a command runs in the foreground.
    pub prompt: Option<Prompt>,
    /// Bumped when bash would ring the bell (a Tab with nothing to complete, Up past the oldest entry).
    pub bell: u64,
    /// Lines typed so far of a command that goes on (PS2): continued lines and here-document bodies.
    lines: LineDiscipline,
    history_pos: Option<usize>,
    draft: String,
    /// The line as it was after a Tab that could not finish the word: a second Tab on it lists the candidates.
    tab_line: Option<String>,
    /// `kubectl edit` has the object open in the editor; the learner's manifest waits in `saved_yaml`.
    pub editing: Option<EditSession>,
    /// Virtual milliseconds the clock still has to move (the step button's, the ticks').
    owed_ms: u64,
    /// Pasted lines not run yet: each waits, like type-ahead in a terminal, until the one before has finished.
    typeahead: std::collections::VecDeque<String>,
    /// The cluster or the clock has work left after this state's slice: the page asks for another.
    pub working: bool,
    /// Counts slices, so each one that leaves work asks for the next.
    pub work_rev: u64,
    /// When the view was last read, in the page's milliseconds: during long work it is read a few times a
    /// second, not after every slice.
    read_at: f64,
    /// How long that read took: a view of a huge cluster is read less often, so reading stays a small share of
    /// the page's time.
    read_cost: f64,
    /// What one unit of the engine's work has lately cost, in the page's milliseconds: each call into the engine
    /// runs only as many units as fit in what is left of the slice.
    unit_ms: f64,
    /// Everything the learner did that changed the cluster or the terminal, with when: the timeline's marks, and
    /// what a rewind replays.
    pub journal: Journal,
    /// The editor's text when the session began: a replay starts from it.
    first_yaml: String,
    /// Resets so far: a reset starts the clock at zero again, so entries carry the epoch they belong to.
    epoch: u32,
    /// A rewind in progress.
    replay: Option<Replay>,
    /// While the learner looks at the past: the whole session as recorded. `journal` then holds only what led
    /// to the moment shown; playing on replays the rest as its time comes (the same pods come up in the same
    /// order again), and acting from there drops it: the session goes on differently.
    pub future: Option<Rc<Vec<Entry>>>,
    /// The next entry of `future` to play, and what is left of a move of the clock the rewind cut.
    future_pos: usize,
    future_left: u64,
    /// A step to the next Event in progress: the newest Event when it began.
    stepping: Option<Option<(String, String)>>,
    /// A step stopped right after an Event, in the middle of an instant: the rest of the instant's work waits
    /// for the next tick, step or action.
    held: bool,
    /// What the learner did while the cluster was still working at this instant: carried out, in order, as
    /// soon as the work is done, so it lands at the same point of the session however the page's slices fell
    /// (and a replay puts it there again).
    inbox: std::collections::VecDeque<Action>,
    /// Outside a browser there is no real time to cut slices by: with this set, a reducer call stops after this
    /// many engine calls instead, so native tests can act in the middle of the work as a learner does in the
    /// page.
    pub calls_per_slice: Option<usize>,
}

/// The session's record, shared by consecutive states as the cluster is (only the newest state is ever used;
/// an append must not copy an hour of entries); `rev` tells states apart.
#[derive(Clone, Default)]
pub struct Journal {
    entries: Rc<RefCell<Vec<Entry>>>,
    rev: u64,
}

impl PartialEq for Journal {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.entries, &other.entries) && self.rev == other.rev
    }
}

impl Journal {
    fn new(entries: Vec<Entry>) -> Journal {
        Journal {
            entries: Rc::new(RefCell::new(entries)),
            rev: 0,
        }
    }

    /// The entries, for reading.
    pub fn entries(&self) -> std::cell::Ref<'_, Vec<Entry>> {
        self.entries.borrow()
    }

    /// The entries, for changing.
    fn entries_mut(&mut self) -> std::cell::RefMut<'_, Vec<Entry>> {
        self.rev += 1;
        self.entries.borrow_mut()
    }

    /// A copy of every entry, to keep while the learner looks at the past.
    fn snapshot(&self) -> Rc<Vec<Entry>> {
        Rc::new(self.entries.borrow().clone())
    }
}

/// One recorded step of a session, at which virtual time of which epoch.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub epoch: u32,
    pub at_ms: u64,
    pub record: Record,
}

/// What happened at an entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Record {
    /// The learner did this.
    Did(Action),
    /// The clock moved this far in one go. Where each move ends matters (what recurs without a timer is brought
    /// up to date there), so a replay moves it in the very same steps.
    Clock(u64),
}

/// A session as it is kept in the browser, exported to a file or shared as a link: the editor's first text and
/// every recorded entry. Replayed on a fresh cluster it rebuilds the very cluster, terminal and editor (the engine
/// is deterministic); [`crate::session`] reads one and refuses what is not one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedSession {
    /// The format; a session in another is refused rather than misread.
    pub format: u32,
    /// The editor's text when the session began.
    pub yaml: String,
    pub entries: Vec<Entry>,
}

/// A rewind being carried out, in slices like any other work.
#[derive(Debug, Clone, PartialEq)]
struct Replay {
    /// Index of the next journal entry to apply.
    next: usize,
    /// Leave the past once everything is replayed (back to the present), rather than stay paused in it.
    to_present: bool,
}

/// The longest a step to the next Event runs the clock before it gives up (nothing happens any more).
const STEP_LIMIT_MS: u64 = 10 * 60 * 1000;

/// Speeds the clock offers, in quarters (0.25× to 16×).
pub const SPEEDS: [u32; 6] = [1, 2, 4, 8, 16, 64];

/// Real milliseconds of engine work per slice: the rest of a 16.7 ms frame is the page's.
const SLICE_MS: f64 = 8.0;

/// The most engine units per call between looks at the real clock (fewer when units are costly: see
/// [`AppState::units_left`]).
const UNITS: usize = 16;

/// During long work the view is read again after this many real milliseconds.
const READ_EVERY_MS: f64 = 250.0;

/// The page's clock in milliseconds (`performance.now()`); outside a browser there is none and work runs whole.
fn page_ms() -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// An object open in the editor for `kubectl edit`.
#[derive(Debug, Clone, PartialEq)]
pub struct EditSession {
    pub edit: ordinal_kubectl::edit::Edit,
    /// The editor's text before the edit, restored when it ends.
    pub saved_yaml: String,
}

impl EditSession {
    /// `statefulset.apps/web`, for the editor's title.
    pub fn title(&self) -> String {
        format!(
            "{}/{}",
            self.edit.key.kind.qualified_singular(),
            self.edit.key.name
        )
    }
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cluster, &other.cluster)
            && Rc::ptr_eq(&self.terminal, &other.terminal)
            && self.screen == other.screen
            && self.yaml == other.yaml
            && self.file == other.file
            && self.files == other.files
            && self.applied == other.applied
            && self.lesson == other.lesson
            && self.lesson_list == other.lesson_list
            && self.progress == other.progress
            && self.language == other.language
            && self.errors == other.errors
            && self.snapshot == other.snapshot
            && self.paused == other.paused
            && self.speed == other.speed
            && self.input == other.input
            && self.prompt == other.prompt
            && self.bell == other.bell
            && self.lines == other.lines
            && self.history_pos == other.history_pos
            && self.tab_line == other.tab_line
            && self.editing == other.editing
            && self.working == other.working
            && self.work_rev == other.work_rev
            && self.journal == other.journal
            && self.future.is_some() == other.future.is_some()
            && self.replay == other.replay
            && self.held == other.held
    }
}

/// The page's cluster: a request returns before the controllers react, and the reducer carries their work out
/// in slices ([`AppState::drive`]).
fn new_cluster() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default());
    c.defer_work(true);
    c
}

/// Length in UTF-16 code units, the unit of the DOM's caret positions.
fn utf16_len(s: &str) -> u32 {
    u32::try_from(s.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// Where a line runs `clear`: the terminal's `clear` prints nothing, so the screen is the browser's to clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClearAt {
    /// The last command is `clear`: the screen ends up empty.
    End,
    /// `clear` runs earlier: the screen is cleared before the line's output (an approximation when it is in
    /// the middle).
    Start,
}

fn is_clear(c: &Command) -> bool {
    match c {
        Command::Simple(s) => s
            .words
            .first()
            .is_some_and(|w| matches!(w.parts.as_slice(), [WordPart::Literal(l)] if l == "clear")),
        Command::For(f) => clear_position(&f.body).is_some(),
        Command::Loop(l) => clear_position(&l.body).is_some(),
        Command::Group(g) | Command::Subshell(g) => clear_position(&g.body).is_some(),
        Command::Case(c) => c.items.iter().any(|i| clear_position(&i.body).is_some()),
        Command::If(i) => {
            i.branches
                .iter()
                .any(|(_, body)| clear_position(body).is_some())
                || i.otherwise
                    .as_ref()
                    .is_some_and(|b| clear_position(b).is_some())
        }
        Command::Cond(_) => false,
    }
}

fn clear_position(script: &Script) -> Option<ClearAt> {
    let commands: Vec<&Command> = script
        .lists
        .iter()
        .flat_map(|list| std::iter::once(&list.first).chain(list.rest.iter().map(|(_, p)| p)))
        .flat_map(|p| &p.commands)
        .collect();
    match commands.last() {
        Some(last) if is_clear(last) => Some(ClearAt::End),
        _ if commands.iter().any(|c| is_clear(c)) => Some(ClearAt::Start),
        _ => None,
    }
}

impl AppState {
    pub fn new(yaml: String, paused: bool) -> AppState {
        let cluster = new_cluster();
        let mut terminal = Terminal::interactive();
        terminal.ctx.namespace = NAMESPACE.to_string();
        terminal
            .ctx
            .files
            .insert(FILE_NAME.to_string(), yaml.clone());
        let namespace = kubectl_namespace(&terminal);
        let snapshot = Snapshot::read(&cluster, &namespace);
        let prompt = Some(primary(&terminal));
        let mut scrollback = Scrollback::default();
        scrollback.note(crate::i18n::t("en", "term-greeting"));
        AppState {
            journal: Journal::default(),
            first_yaml: yaml.clone(),
            epoch: 0,
            replay: None,
            future: None,
            future_pos: 0,
            future_left: 0,
            stepping: None,
            held: false,
            inbox: Default::default(),
            calls_per_slice: None,
            cluster: Rc::new(RefCell::new(cluster)),
            terminal: Rc::new(RefCell::new(terminal)),
            screen: Screen {
                lines: Rc::new(RefCell::new(scrollback)),
                rev: 0,
            },
            yaml,
            file: FILE_NAME.to_string(),
            files: vec![FILE_NAME.to_string()],
            applied: None,
            lesson: None,
            lesson_list: false,
            progress: Progress::new(),
            plan: None,
            language: "en".to_string(),
            errors: Vec::new(),
            snapshot,
            paused,
            speed: 4,
            input: InputLine::default(),
            prompt,
            bell: 0,
            lines: LineDiscipline::default(),
            history_pos: None,
            draft: String::new(),
            tab_line: None,
            editing: None,
            owed_ms: 0,
            typeahead: Default::default(),
            working: false,
            work_rev: 0,
            read_at: 0.0,
            read_cost: 0.0,
            unit_ms: SLICE_MS / UNITS as f64,
        }
    }

    /// Carries the cluster's work on for one slice of real time (all of it outside a browser): what the last
    /// requests left, then the clock's owed move (or a rewind's replay, or a step to the next Event); between
    /// engine calls the terminal streams what changed and a waiting line or pasted type-ahead goes on. Leaves
    /// `working` set when something is left for the next slice.
    fn drive(&mut self, c: &mut Cluster, started: Option<f64>) {
        let mut calls = 0;
        loop {
            self.between(c);
            if !c.busy() {
                if let Some(action) = self.inbox.pop_front() {
                    let _ = self.carry_out(c, action);
                    continue;
                }
            }
            if self.held {
                self.working = false;
                return;
            }
            let units = if self.stepping.is_some() {
                1
            } else {
                self.units_left(started)
            };
            if c.busy() {
                self.work(c, 0, units);
            } else if self.replay.is_some() {
                if !self.replay_next(c, units) {
                    self.working = false;
                    return;
                }
            } else if self.future.is_some() && (self.owed_ms > 0 || self.stepping.is_some()) {
                self.play_future(c, units);
            } else if let Some(mark) = self.stepping.clone() {
                // Stepping: the clock runs to the next timer, a unit at a time, until a new Event is recorded.
                let Some(due) = c.next_timer().filter(|t| t.since(c.now()) <= STEP_LIMIT_MS) else {
                    self.stepping = None;
                    self.working = false;
                    return;
                };
                let _ = mark;
                let ms = due.since(c.now());
                self.start_clock(c, ms, 1);
            } else {
                let owed = std::mem::take(&mut self.owed_ms);
                if owed == 0 {
                    if self.future.is_none() && self.catch_up_next(c) {
                        continue;
                    }
                    self.working = false;
                    return;
                }
                // A command waiting in the terminal carries on at the very instant its wait ends.
                let now = c.now();
                let ms = match self.terminal.borrow().next_wake() {
                    Some(w) if w > now && w.since(now) < owed => w.since(now),
                    _ => owed,
                };
                self.owed_ms = owed - ms;
                self.start_clock(c, ms, units);
            }
            if let Some(mark) = &self.stepping {
                if newest_event(c, &self.snapshot.namespace) != *mark {
                    // One new Event: stop right here, even in the middle of an instant.
                    self.stepping = None;
                    self.held = true;
                    self.poll(c);
                    self.working = false;
                    return;
                }
            }
            calls += 1;
            let slice_over = match (started, page_ms()) {
                (Some(start), Some(now)) => now - start >= SLICE_MS,
                _ => self.calls_per_slice.is_some_and(|max| calls >= max),
            };
            if slice_over {
                self.poll(c);
                self.working = true;
                self.work_rev += 1;
                return;
            }
        }
    }

    /// Plays the next recorded entry of the future, as its time comes: each move of the clock as recorded (in one
    /// go, so the cluster goes through the very same steps), each action as the learner did it.
    fn play_future(&mut self, c: &mut Cluster, units: usize) {
        let Some(future) = self.future.clone() else {
            return;
        };
        let ms = if self.future_left > 0 {
            std::mem::take(&mut self.future_left)
        } else {
            let Some(entry) = future.get(self.future_pos) else {
                // The present is reached: live again, from the next tick.
                self.future = None;
                self.owed_ms = 0;
                return;
            };
            self.future_pos += 1;
            match &entry.record {
                Record::Clock(ms) => *ms,
                Record::Did(action) => {
                    self.keep(c, Record::Did(action.clone()));
                    c.finish_pending();
                    let _ = self.act(c, action.clone(), false);
                    return;
                }
            }
        };
        self.owed_ms = self.owed_ms.saturating_sub(ms);
        self.keep(c, Record::Clock(ms));
        self.work(c, ms, units);
        if self.future_pos >= future.len() && self.future_left == 0 {
            self.future = None;
            self.owed_ms = 0;
        }
    }

    /// What happens between two units of the cluster's work: the terminal prints what changed and carries a
    /// waiting command on, and pasted lines go on. Pasted lines run between moves of the clock, never in the
    /// middle of one, so they run at the same virtual time however the page's slices fall.
    fn between(&mut self, c: &mut Cluster) {
        self.poll(c);
        while !self.terminal.borrow().busy() && !c.busy() && self.editing.is_none() {
            let Some(line) = self.typeahead.pop_front() else {
                break;
            };
            // What is on the input line after the pasted lines stays there.
            let typing = self.input.clone();
            self.enter(c, &line);
            self.set_input(typing.text, Some(typing.cursor));
            self.poll(c);
        }
    }

    /// Starts a move of the clock by `ms` (recorded, unless it is a replay's) and works on it.
    fn start_clock(&mut self, c: &mut Cluster, ms: u64, units: usize) {
        if self.replay.is_none() {
            self.record(c, Record::Clock(ms));
        }
        self.work(c, ms, units);
    }

    /// How many units the next call into the engine may run: as many as fit in what is left of this slice at
    /// what a unit has lately cost (at least one, at most [`UNITS`]). A cluster of 100,000 pods has units of
    /// a millisecond in the browser, where 64 of them at once would hold a key press for a dozen frames.
    fn units_left(&self, started: Option<f64>) -> usize {
        match (started, page_ms()) {
            (Some(start), Some(now)) => {
                let left = (SLICE_MS - (now - start)).max(0.0);
                ((left / self.unit_ms) as usize).clamp(1, UNITS)
            }
            _ => UNITS,
        }
    }

    /// Runs up to `units` of the engine's work toward moving the clock `ms`, and learns from a call that used
    /// all of them what a unit costs now: a dearer figure is believed at once, a cheaper one a quarter at a
    /// time, since a phase of heavy units (a sync over 100,000 pods) often starts right after cheap ones.
    fn work(&mut self, c: &mut Cluster, ms: u64, units: usize) {
        let before = page_ms();
        let progress = c.work(ms, units);
        if let (Some(before), Some(after), ordinal_engine::Progress::Busy) =
            (before, page_ms(), progress)
        {
            let cost = ((after - before) / units as f64).max(0.001);
            self.unit_ms = cost.max(0.75 * self.unit_ms + 0.25 * cost);
        }
    }

    /// Appends to the journal. While the learner looks at the past, acting drops what came after.
    fn record(&mut self, c: &Cluster, record: Record) {
        self.future = None;
        self.keep(c, record);
    }

    /// Appends to the journal.
    fn keep(&mut self, c: &Cluster, record: Record) {
        let entry = Entry {
            epoch: self.epoch,
            at_ms: c.now().millis(),
            record,
        };
        let mut journal = self.journal.entries_mut();
        // Typing in the editor is one entry per pause, not one per key.
        if let (Some(last), Record::Did(Action::Edit(_))) = (journal.last_mut(), &entry.record) {
            if matches!(last.record, Record::Did(Action::Edit(_)))
                && last.at_ms == entry.at_ms
                && last.epoch == entry.epoch
            {
                *last = entry;
                return;
            }
        }
        journal.push(entry);
    }

    /// The learner acts in the middle of a long move of the clock: the move ends at this instant (the journal's
    /// record of it shortened to match) and the rest is owed, so a replay moves the clock in the same steps.
    fn cut_clock(&mut self, c: &mut Cluster) {
        let left = c.cut_advance();
        if left == 0 {
            return;
        }
        self.owed_ms += left;
        let mut journal = self.journal.entries_mut();
        if let Some(Entry {
            record: Record::Clock(ms),
            ..
        }) = journal
            .iter_mut()
            .rev()
            .find(|e| matches!(e.record, Record::Clock(_)))
        {
            *ms = ms.saturating_sub(left);
        }
    }

    /// Carries out a learner's action now: the cluster has no work left at this instant.
    fn carry_out(&mut self, c: &mut Cluster, action: Action) -> bool {
        self.record(c, Record::Did(action.clone()));
        self.act(c, action, false)
    }

    /// One step of a replay: the next recorded entry, or the end of the replay. False when it is over.
    fn replay_next(&mut self, c: &mut Cluster, units: usize) -> bool {
        let Some(replay) = self.replay.as_mut() else {
            return false;
        };
        let next = self.journal.entries().get(replay.next).cloned();
        let Some(entry) = next else {
            let to_present = replay.to_present;
            self.replay = None;
            if to_present {
                self.future = None;
            }
            return false;
        };
        replay.next += 1;
        match entry.record {
            Record::Clock(ms) => self.work(c, ms, units),
            Record::Did(action) => {
                c.finish_pending();
                let _ = self.act(c, action, false);
            }
        }
        true
    }
    /// A watch or a followed log prints what changed, and a command line waiting in a loop (or for the
    /// cluster) carries on.
    fn poll(&mut self, c: &mut Cluster) {
        let mut terminal = self.terminal.borrow_mut();
        if !terminal.busy() {
            return;
        }
        let mut printed = false;
        let mut sb = self.screen.lines.borrow_mut();
        terminal.poll_streaming(c, &mut |stream, text| {
            printed |= !text.is_empty();
            match stream {
                Stream::Stdout => sb.stdout(text),
                Stream::Stderr => sb.stderr(text),
            }
        });
        drop(sb);
        if printed {
            self.screen.rev += 1;
        }
    }

    /// The StatefulSet the buttons act on: the one the editor names, else the first in the view's namespace.
    fn target_set(&self, c: &Cluster) -> Option<StatefulSet> {
        let ns = kubectl_namespace(&self.terminal.borrow());
        let ns = ns.as_str();
        let named = ordinal_engine::manifest::parse(&self.yaml, &self.file)
            .ok()
            .and_then(|objs| objs.into_iter().find(|o| o.kind == Kind::StatefulSet))
            .and_then(|o| c.stateful_set(ns, &o.name).cloned());
        named.or_else(|| c.store().list::<StatefulSet>(Some(ns)).next().cloned())
    }

    /// The scrollback, for writing; marks the screen changed.
    fn out(&mut self) -> std::cell::RefMut<'_, Scrollback> {
        self.screen.rev += 1;
        self.screen.lines.borrow_mut()
    }

    fn set_input(&mut self, text: String, cursor: Option<u32>) {
        self.input = InputLine {
            cursor: cursor.unwrap_or_else(|| utf16_len(&text)),
            text,
            rev: self.input.rev + 1,
        };
    }

    /// The prompt for the next line: PS2 while a command continues, none while one runs.
    fn next_prompt(&self) -> Option<Prompt> {
        let t = self.terminal.borrow();
        if t.busy() || self.editing.is_some() {
            None
        } else if self.lines.is_pending() {
            Some(Prompt::Continuation)
        } else {
            Some(primary(&t))
        }
    }

    /// Enter: the line goes to the scrollback after its prompt and, once the command is complete, runs.
    fn enter(&mut self, c: &mut Cluster, typed: &str) {
        self.tab_line = None;
        self.history_pos = None;
        self.draft.clear();
        self.set_input(String::new(), None);
        let Some(prompt) = self.next_prompt() else {
            // A command runs in the foreground: the terminal echoes the line and nothing reads it (Ctrl+C then
            // discards it, as a tty does).
            self.out().echo(&format!("{typed}\n"));
            return;
        };
        // A password prompt (`mysql -p`) does not echo what was typed.
        let secret = self.terminal.borrow().reads_secret();
        self.out().input(prompt, if secret { "" } else { typed });
        if let Fed::Complete(command) = self.lines.feed(typed) {
            self.finish(c, command);
        }
    }

    /// Runs a command whose lines are all in (`clear` in it clears the browser's screen).
    fn finish(&mut self, c: &mut Cluster, command: LineCommand) {
        let LineCommand { text, bodies, .. } = command;
        match shell::parse_with_heredocs(&text, &bodies) {
            Ok(script) if script.is_empty() && text.trim().is_empty() => return,
            Ok(script) => match clear_position(&script) {
                // `…; clear` leaves an empty screen; `clear; …` the output of what follows it.
                Some(ClearAt::End) => {
                    self.execute(c, &text, &bodies);
                    self.out().clear();
                    return;
                }
                Some(ClearAt::Start) => self.out().clear(),
                None => {}
            },
            Err(_) => {}
        }
        self.execute(c, &text, &bodies);
    }

    /// Runs a complete command line, its stdout and stderr going to the scrollback as they are printed.
    fn execute(&mut self, c: &mut Cluster, line: &str, bodies: &[String]) -> Vec<(bool, String)> {
        let terminal = Rc::clone(&self.terminal);
        let lines = Rc::clone(&self.screen.lines);
        // What the command printed, each piece with whether it went to stderr.
        let mut printed: Vec<(bool, String)> = Vec::new();
        {
            let mut sb = lines.borrow_mut();
            terminal
                .borrow_mut()
                .run_streaming(c, line, bodies, &mut |stream, text| {
                    printed.push((stream == Stream::Stderr, text.to_string()));
                    match stream {
                        Stream::Stdout => sb.stdout(text),
                        Stream::Stderr => sb.stderr(text),
                    }
                });
        }
        self.screen.rev += 1;
        let opened = terminal.borrow_mut().take_edit();
        if let Some(edit) = opened {
            // kubectl edit: the object opens in the editor; the terminal waits until it is saved or closed.
            let saved_yaml = std::mem::replace(&mut self.yaml, edit.text.clone());
            self.errors.clear();
            self.editing = Some(EditSession { edit, saved_yaml });
        }
        printed
    }

    /// Ends a `kubectl edit`: saves the editor's text (`save`) or closes it unchanged, prints kubectl's answer and
    /// gives the editor back its manifest.
    fn end_edit(&mut self, c: &mut Cluster, save: bool) {
        let Some(session) = self.editing.take() else {
            return;
        };
        let text = if save {
            std::mem::replace(&mut self.yaml, session.saved_yaml.clone())
        } else {
            self.yaml = session.saved_yaml.clone();
            session.edit.text.clone()
        };
        let printed = self
            .terminal
            .borrow_mut()
            .save_edit(c, &session.edit, &text);
        {
            let mut sb = self.out();
            if printed.status == 0 {
                sb.stdout(&printed.text);
            } else {
                sb.stderr(&printed.text);
            }
        }
        self.screen.rev += 1;
    }

    /// A button's command, shown as if typed at the prompt. While the terminal is busy (a watch runs, or a
    /// heredoc is being typed) it runs as from a second terminal: a note says what ran, then its output.
    fn command(&mut self, c: &mut Cluster, line: &str) {
        let _ = self.command_output(c, line);
    }

    /// [`AppState::command`], answering what it printed (true: to stderr).
    fn command_output(&mut self, c: &mut Cluster, line: &str) -> Vec<(bool, String)> {
        self.tab_line = None;
        if self.terminal.borrow().busy() || self.lines.is_pending() {
            let text = crate::i18n::t(&self.language, "term-from-toolbar").replace("{line}", line);
            let mut sb = self.out();
            sb.end_line();
            sb.note(&text);
        } else {
            let prompt = primary(&self.terminal.borrow());
            self.out().input(prompt, line);
        }
        self.execute(c, line, &[])
    }

    /// The greeting in the learner's language, in place of the one in `was`, while it is all the screen holds.
    fn greet(&mut self, was: &str) {
        let old = crate::i18n::t(was, "term-greeting");
        if was != self.language && self.screen.lines.borrow().text().trim_end() == old {
            let text = crate::i18n::t(&self.language, "term-greeting");
            let mut sb = self.out();
            sb.clear();
            sb.note(text);
        }
    }

    fn note(&mut self, text: &str) {
        let mut sb = self.out();
        sb.end_line();
        sb.note(text);
    }

    /// Ctrl+C: stops the foreground command, or abandons the line being typed.
    fn interrupt(&mut self, c: &mut Cluster, typed: &str) {
        self.tab_line = None;
        self.history_pos = None;
        self.set_input(String::new(), None);
        let stopped = self.terminal.borrow_mut().interrupt(c);
        if let Some(printed) = stopped {
            let mut sb = self.out();
            sb.end_line();
            sb.echo("^C\n");
            sb.stdout(&printed);
            return;
        }
        let prompt = self.next_prompt().unwrap_or(Prompt::Continuation);
        self.lines.cancel();
        self.out().input(prompt, &format!("{typed}^C"));
    }

    /// Ctrl+D on an empty line: a here-document ends where the input does (with bash's warning); an unfinished
    /// command is a syntax error; at a fresh prompt nothing happens (bash would log out).
    fn end_of_input(&mut self, c: &mut Cluster) {
        let Some(ended) = self.lines.end_of_input() else {
            return;
        };
        self.out().input(Prompt::Continuation, "");
        if let Some(delimiter) = &ended.cut_heredoc {
            let line = self.terminal.borrow().history.len() + 1;
            self.out().stderr(&format!(
                "bash: warning: here-document at line {line} delimited by end-of-file (wanted `{delimiter}')\n"
            ));
        }
        if ended.unfinished.is_some() {
            self.out()
                .stderr("bash: syntax error: unexpected end of file\n");
        } else {
            self.execute(c, &ended.command.text, &ended.command.bodies);
        }
    }

    fn complete(&mut self, c: &Cluster, before: &str, after: &str, width: usize) {
        if self.terminal.borrow().busy() || self.lines.in_heredoc() {
            self.bell += 1;
            return;
        }
        let comp = complete(c, &self.terminal.borrow(), before);
        if !comp.insert.is_empty() {
            let mut head = format!("{before}{}", comp.insert);
            let mut after = after.to_string();
            // Like readline: a space already after the caret is stepped over, not doubled.
            if head.ends_with(' ') && after.starts_with(' ') {
                after.remove(0);
            }
            let line = format!("{head}{after}");
            let cursor = utf16_len(&head);
            head.clear();
            self.tab_line = comp.is_ambiguous().then(|| line.clone());
            self.set_input(line, Some(cursor));
            return;
        }
        let line = format!("{before}{after}");
        if !comp.is_ambiguous() {
            self.tab_line = None;
            self.bell += 1;
        } else if self.tab_line.as_deref() == Some(line.as_str()) {
            let prompt = self.next_prompt().unwrap_or(Prompt::Continuation);
            let mut sb = self.out();
            sb.input(prompt, &line);
            sb.stdout(&format_list(&comp.candidates, width));
        } else {
            self.tab_line = Some(line);
            self.bell += 1;
        }
    }

    fn history_prev(&mut self, typed: String) {
        if self.terminal.borrow().busy() {
            return;
        }
        let len = self.terminal.borrow().history.len();
        let pos = match self.history_pos {
            _ if len == 0 => None,
            None => {
                self.draft = typed;
                Some(len - 1)
            }
            Some(p) if p > 0 => Some(p - 1),
            Some(_) => None,
        };
        let Some(pos) = pos else {
            self.bell += 1;
            return;
        };
        self.history_pos = Some(pos);
        let entry = self.terminal.borrow().history.get(pos).map(|l| one_line(l));
        self.set_input(entry.unwrap_or_default(), None);
    }

    fn history_next(&mut self) {
        let Some(pos) = self.history_pos else {
            self.bell += 1;
            return;
        };
        let entry = self
            .terminal
            .borrow()
            .history
            .get(pos + 1)
            .map(|l| one_line(l));
        match entry {
            Some(line) => {
                self.history_pos = Some(pos + 1);
                self.set_input(line, None);
            }
            None => {
                self.history_pos = None;
                let draft = std::mem::take(&mut self.draft);
                self.set_input(draft, None);
            }
        }
    }

    /// Checks the editor's YAML for the error panel; kubectl prints the same errors in the terminal.
    fn check_yaml(&mut self) {
        self.errors = match ordinal_engine::manifest::parse(&self.yaml, &self.file) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|e| EditorError {
                    line: match &e.kind {
                        ordinal_engine::manifest::ManifestErrorKind::Syntax { line, .. } => *line,
                        _ => e.position.line,
                    },
                    location: e.location(),
                    message: e.to_string(),
                })
                .collect(),
        };
    }
}

/// bash's PS1 for the terminal's user, as the engine's transcripts show it.
fn primary(t: &Terminal) -> Prompt {
    // The learner's shell, or the container's while attached (`kubectl exec -it web-0 -- sh`).
    Prompt::Primary(t.prompt())
}

impl AppState {
    /// Carries out one action on the cluster and the terminal. False when it only changed the editor or the
    /// input line, so the cluster need not be driven.
    fn act(&mut self, c: &mut Cluster, action: Action, was_working: bool) -> bool {
        match action {
            Action::Edit(text) if self.editing.is_some() => {
                self.yaml = text;
                return false;
            }
            Action::Edit(text) => {
                self.terminal
                    .borrow_mut()
                    .ctx
                    .files
                    .insert(self.file.clone(), text.clone());
                self.yaml = text;
                return false;
            }
            Action::OpenFile(name) if self.editing.is_none() => {
                let text = self
                    .terminal
                    .borrow()
                    .ctx
                    .files
                    .get(&name)
                    .map(str::to_string);
                if let Some(text) = text {
                    self.file = name;
                    self.yaml = text;
                    self.errors.clear();
                }
                return false;
            }
            Action::NewFile if self.editing.is_none() => {
                let name = {
                    let t = self.terminal.borrow();
                    (1..)
                        .map(|n| format!("manifest-{n}.yaml"))
                        .find(|n| t.ctx.files.get(n).is_none())
                        .unwrap_or_default()
                };
                self.terminal
                    .borrow_mut()
                    .ctx
                    .files
                    .insert(name.clone(), String::new());
                self.file = name;
                self.yaml = String::new();
                self.errors.clear();
                return false;
            }
            Action::PutFile(name, text) if self.editing.is_none() => {
                self.terminal
                    .borrow_mut()
                    .ctx
                    .files
                    .insert(name.clone(), text.clone());
                self.file = name;
                self.yaml = text;
                self.errors.clear();
                return false;
            }
            Action::OpenFile(_) | Action::NewFile | Action::PutFile(..) => return false,
            // Keys that only edit the line or the screen: the cluster is as it was.
            Action::Complete {
                before,
                after,
                width,
            } => {
                self.complete(c, &before, &after, width);
                return false;
            }
            Action::HistoryPrev(typed) => {
                self.history_prev(typed);
                return false;
            }
            Action::HistoryNext => {
                self.history_next();
                return false;
            }
            Action::ClearScreen => {
                self.out().clear();
                return false;
            }
            Action::OpenLesson(which) => {
                let which = which.filter(|i| *i < lessons().len());
                let step = which
                    .and_then(|i| self.progress.get(&lessons()[i].id))
                    .map_or(0, |p| p.step);
                self.open_lesson(c, which, step);
                return false;
            }
            Action::LessonAt(id, step) => {
                let which = lessons().iter().position(|l| l.id == id);
                self.open_lesson(c, which, step);
                return false;
            }
            Action::CloseLessons => {
                self.lesson = None;
                self.lesson_list = false;
                return false;
            }
            Action::LessonStep(step) => {
                if let Some(pos) = self.lesson.clone() {
                    self.open_lesson(c, Some(pos.lesson), step);
                }
                return false;
            }
            Action::SetLanguage(lang) => {
                if ordinal_lessons::LANGUAGES.contains(&lang.as_str()) {
                    let was = std::mem::replace(&mut self.language, lang);
                    self.greet(&was);
                }
                return false;
            }
            Action::CopyStep => {
                let line = self
                    .lesson
                    .as_ref()
                    .and_then(|p| lessons().get(p.lesson)?.steps.get(p.step)?.run.clone());
                if let Some(line) = line {
                    let first = line.lines().next().unwrap_or_default().to_string();
                    self.set_input(first, None);
                }
                return false;
            }
            Action::Apply | Action::SaveEdit if self.editing.is_some() => {
                self.end_edit(c, true);
            }
            Action::CancelEdit => self.end_edit(c, false),
            Action::SaveEdit => {}
            Action::Apply => {
                self.check_yaml();
                let line = format!("kubectl apply -f {}", self.file);
                let printed = self.command_output(c, &line);
                // What apply said about each object, shown under the editor too.
                let mut lines = Vec::new();
                for (error, text) in printed {
                    lines.extend(
                        text.lines()
                            .filter(|l| !l.is_empty())
                            .map(|l| (error, l.to_string())),
                    );
                }
                self.applied = Some(Applied { line, lines });
            }
            Action::Scale(delta) => match self.target_set(c) {
                Some(set) => {
                    let replicas = (set.replicas() + delta).max(0);
                    let name = &set.metadata.name;
                    self.command(
                        c,
                        &format!("kubectl scale statefulset {name} --replicas={replicas}"),
                    );
                }
                None => self.note(crate::i18n::t(&self.language, "term-no-sts-scale")),
            },
            Action::Delete => match self.target_set(c) {
                Some(set) => self.command(
                    c,
                    &format!("kubectl delete statefulset {}", set.metadata.name),
                ),
                None => self.note(crate::i18n::t(&self.language, "term-no-sts-delete")),
            },
            // `--wait=false`, so the view shows the pod Terminating instead of the clock jumping past it.
            Action::DeletePod(name) => {
                self.command(c, &format!("kubectl delete pod {name} --wait=false"))
            }
            Action::BreakReadiness(name, broken) => {
                let key = if broken {
                    "term-probe-fails"
                } else {
                    "term-probe-passes"
                };
                self.note(&crate::i18n::t(&self.language, key).replace("{name}", &name));
                let ns = kubectl_namespace(&self.terminal.borrow());
                if let Err(e) = c.set_readiness_broken(&ns, &name, broken) {
                    self.note(&format!("# {e}"));
                }
            }
            Action::Crash(name, on) => {
                let ns = kubectl_namespace(&self.terminal.borrow());
                let result = if on {
                    self.note(
                        &crate::i18n::t(&self.language, "term-crash").replace("{name}", &name),
                    );
                    c.crash_container(&ns, &name, None, true)
                } else {
                    self.note(
                        &crate::i18n::t(&self.language, "term-crash-mended")
                            .replace("{name}", &name),
                    );
                    c.stop_crashing(&ns, &name)
                };
                if let Err(e) = result {
                    self.note(&format!("# {e}"));
                }
            }
            Action::Command(line) => self.command(c, &line),
            Action::Namespace(ns) => self.command(
                c,
                &format!("kubectl config set-context --current --namespace={ns}"),
            ),
            Action::Cordon(node, on) => {
                let verb = if on { "cordon" } else { "uncordon" };
                self.command(c, &format!("kubectl {verb} {node}"));
            }
            Action::NodeReady(node, ready) => {
                let key = if ready {
                    "term-kubelet-started"
                } else {
                    "term-kubelet-stopped"
                };
                self.note(&crate::i18n::t(&self.language, key).replace("{node}", &node));
                if let Err(e) = c.set_node_ready(&node, ready) {
                    self.note(&format!("# {e}"));
                }
            }
            Action::Advance(ms) => self.owed_ms += ms,
            Action::Tick(ms) if !was_working => self.owed_ms += ms,
            Action::Tick(_) | Action::Work => {}
            Action::TogglePause => self.paused = !self.paused,
            Action::SetSpeed(s) => self.speed = s.clamp(1, 64),
            // The timeline's own actions are the reducer's (they rebuild the state), never replayed.
            Action::StepToEvent
            | Action::Rewind(_)
            | Action::BackToPresent
            | Action::Restore(_) => {}
            Action::Reset => {
                self.plan = None;
                *c = new_cluster();
                self.epoch += 1;
                self.owed_ms = 0;
                self.typeahead.clear();
                self.terminal.borrow_mut().abandon();
                self.lines.cancel();
                self.errors.clear();
                self.out().clear();
                self.note(crate::i18n::t(&self.language, "term-reset"));
            }
            Action::Run(typed) => self.enter(c, &typed),
            Action::Paste {
                before,
                text,
                after,
            } => {
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                let mut lines: Vec<&str> = text.split('\n').collect();
                let last = lines.pop().unwrap_or("");
                let mut head = before;
                for line in lines {
                    head.push_str(line);
                    self.typeahead.push_back(std::mem::take(&mut head));
                }
                head.push_str(last);
                let cursor = utf16_len(&head);
                self.set_input(format!("{head}{after}"), Some(cursor));
            }
            Action::CatchUp(lesson, upto) => self.catch_up(lesson, upto),
            Action::Interrupt(typed) => self.interrupt(c, &typed),
            Action::EndOfInput => self.end_of_input(c),
        }
        true
    }

    /// A fresh start for a replay: the cluster, the terminal and the editor as the session began.
    fn restart(&mut self, c: &mut Cluster) {
        let fresh = AppState::new(self.first_yaml.clone(), true);
        *c = new_cluster();
        self.terminal = fresh.terminal;
        self.screen = fresh.screen;
        self.greet("en");
        self.yaml = fresh.yaml;
        self.file = fresh.file;
        self.files = fresh.files;
        self.applied = None;
        self.errors.clear();
        self.input = InputLine {
            rev: self.input.rev + 1,
            ..InputLine::default()
        };
        self.lines.cancel();
        self.history_pos = None;
        self.tab_line = None;
        self.editing = None;
        self.owed_ms = 0;
        self.typeahead.clear();
        self.inbox.clear();
        self.epoch = 0;
        self.stepping = None;
        self.held = false;
        self.paused = true;
    }

    /// Goes back to virtual time `to_ms` of the current epoch (or forward, within what was recorded): the
    /// journal up to it is replayed on a fresh cluster, in slices.
    fn rewind(&mut self, c: &mut Cluster, to_ms: u64, to_present: bool) {
        self.plan = None;
        let whole = self
            .future
            .clone()
            .unwrap_or_else(|| self.journal.snapshot());
        let epoch = whole.last().map_or(0, |e| e.epoch).max(self.epoch);
        // The moment is after everything the learner did at that instant, before the clock moved on.
        let last_act = whole.iter().rposition(|e| {
            e.epoch == epoch && e.at_ms == to_ms && matches!(e.record, Record::Did(_))
        });
        let mut prefix = Vec::new();
        let mut left = 0;
        for (i, e) in whole.iter().enumerate() {
            let before = e.epoch < epoch
                || e.at_ms < to_ms
                || (e.at_ms == to_ms && last_act.is_some_and(|last| i <= last));
            if !to_present && !before {
                break;
            }
            prefix.push(e.clone());
        }
        // A move of the clock that ran past the moment is cut there.
        if let Some(last) = prefix.last_mut() {
            if let Record::Clock(ms) = &mut last.record {
                if !to_present && last.epoch == epoch && last.at_ms + *ms > to_ms {
                    left = last.at_ms + *ms - to_ms;
                    *ms = to_ms - last.at_ms;
                }
            }
        }
        let reached = prefix.last().filter(|e| e.epoch == epoch).map_or(0, |e| {
            e.at_ms
                + if let Record::Clock(ms) = e.record {
                    ms
                } else {
                    0
                }
        });
        if !to_present && reached < to_ms {
            // Past the end of what was recorded: the clock goes on to the moment asked for.
            prefix.push(Entry {
                epoch,
                at_ms: reached,
                record: Record::Clock(to_ms - reached),
            });
        }
        let played = prefix.len();
        let at_present = played >= whole.len() && left == 0;
        self.restart(c);
        self.future = (!to_present && !at_present).then_some(whole);
        self.future_pos = played;
        self.future_left = left;
        self.journal = Journal::new(prefix);
        self.replay = Some(Replay {
            next: 0,
            to_present,
        });
    }

    /// The end of the session as recorded, in the current epoch: where "back to the present" goes. While live,
    /// the clock's time.
    pub fn present_ms(&self) -> u64 {
        let Some(journal) = self.future.as_ref() else {
            return self.snapshot.now_ms;
        };
        let epoch = journal.last().map_or(0, |e| e.epoch);
        journal
            .iter()
            .filter(|e| e.epoch == epoch)
            .map(|e| {
                e.at_ms
                    + if let Record::Clock(ms) = e.record {
                        ms
                    } else {
                        0
                    }
            })
            .max()
            .unwrap_or(0)
    }

    /// The tabs: the manifests in the learner's home directory (the editor's file first), and, if a command
    /// removed the editor's file, the editor keeps its text under that name.
    fn refresh_files(&mut self) {
        let t = self.terminal.borrow();
        let mut files: Vec<String> = t
            .ctx
            .files
            .keys()
            .filter(|k| k.ends_with(".yaml") || k.ends_with(".yml"))
            .collect();
        drop(t);
        ordinal_engine::sort::sort(&mut files);
        if !files.contains(&self.file) {
            files.push(self.file.clone());
        }
        if files != self.files {
            self.files = files;
        }
        // A command changed the file the editor shows (`sed -i`, `cat >`): the editor shows it as it now is.
        if self.editing.is_none() {
            let text = self
                .terminal
                .borrow()
                .ctx
                .files
                .get(&self.file)
                .map(str::to_string);
            if let Some(text) = text.filter(|t| *t != self.yaml) {
                self.yaml = text;
            }
        }
    }

    /// Starts doing the steps of `lesson` before `upto`: the file each brings is opened, its lines typed, and the
    /// clock run until its check passes, each as its own recorded action or move of the clock (so the timeline
    /// shows it and a rewind replays it exactly); a watch is stopped once its step is done.
    fn catch_up(&mut self, lesson: usize, upto: usize) {
        let Some(l) = lessons().get(lesson) else {
            return;
        };
        // What it types is on the terminal's screen, with the prompt, as the learner's own typing is.
        let mut plan = std::collections::VecDeque::new();
        for (i, step) in l.steps.iter().enumerate().take(upto) {
            if let Some(f) = &step.file {
                plan.push_back(Todo::File(f.name.clone(), f.content.clone()));
            }
            for line in step.run.iter().flat_map(|r| r.lines()) {
                plan.push_back(Todo::Line(lesson, i, line.to_string()));
            }
            plan.push_back(Todo::Settle(lesson, i));
        }
        self.plan = Some(CatchUp { plan, waited_ms: 0 });
    }

    /// The session so far, to keep or to share: everything recorded, also what lies ahead while the learner
    /// looks at the past.
    pub fn saved(&self) -> SavedSession {
        let entries = match &self.future {
            Some(whole) => whole.as_ref().clone(),
            None => self.journal.entries().clone(),
        };
        SavedSession {
            format: crate::session::FORMAT,
            yaml: self.first_yaml.clone(),
            entries,
        }
    }

    /// Starts rebuilding a saved session: a fresh cluster, terminal and editor, then every entry replayed, in
    /// slices (`Action::Work`), as a rewind to the present is.
    pub fn restore(&mut self, saved: SavedSession) {
        let cluster = Rc::clone(&self.cluster);
        let mut c = cluster.borrow_mut();
        self.restore_with(&mut c, saved);
    }

    fn restore_with(&mut self, c: &mut Cluster, saved: SavedSession) {
        let c = &mut *c;
        self.first_yaml = saved.yaml;
        self.journal = Journal::new(saved.entries);
        self.future = None;
        self.rewind(c, 0, true);
        self.working = true;
        self.work_rev += 1;
    }

    /// Whether a catch-up is under way (the lesson panel says so).
    pub fn catching_up(&self) -> bool {
        self.plan.is_some()
    }

    /// Whether step `index` of `lesson` is done on the learner's cluster now.
    fn step_passes(&self, c: &mut Cluster, lesson: usize, index: usize) -> bool {
        let Some(step) = lessons().get(lesson).and_then(|l| l.steps.get(index)) else {
            return false;
        };
        let namespace = kubectl_namespace(&self.terminal.borrow());
        let history = self.terminal.borrow().history.clone();
        ordinal_lessons::check(c, &namespace, &history, &step.check)
            == ordinal_lessons::Checked::Done
    }

    /// Marks step `index` of `lesson` done in the learner's progress.
    fn mark_done(&mut self, lesson: usize, index: usize) {
        if let Some((l, step)) = lessons()
            .get(lesson)
            .and_then(|l| Some((l, l.steps.get(index)?)))
        {
            let done = &mut self.progress.entry(l.id.clone()).or_default().done;
            if !done.contains(&step.id) {
                done.push(step.id.clone());
            }
        }
    }

    /// The next thing a catch-up does, once the cluster and the terminal have done the last: true when it did
    /// something (a recorded action, or time owed to the clock).
    fn catch_up_next(&mut self, c: &mut Cluster) -> bool {
        let Some(mut run) = self.plan.take() else {
            return false;
        };
        let Some(todo) = run.plan.front().cloned() else {
            return false;
        };
        let busy = self.terminal.borrow().busy();
        let action = match todo {
            // A command that waits (a watch, `rollout status`) has the clock run for it until its step is done,
            // two minutes at most, and is then stopped with Ctrl+C; a step is given ten minutes to be done.
            Todo::Line(l, i, _) | Todo::Settle(l, i)
                if busy || matches!(todo, Todo::Settle(..)) =>
            {
                let limit = if busy { 120_000 } else { 600_000 };
                let passes = self.step_passes(c, l, i);
                if !passes && run.waited_ms < limit {
                    let ms = if busy { 1_000 } else { 5_000 };
                    run.waited_ms += ms;
                    self.owed_ms += ms;
                    self.plan = Some(run);
                    return true;
                }
                run.waited_ms = 0;
                if busy {
                    self.plan = Some(run);
                    let _ = self.carry_out(c, Action::Interrupt(String::new()));
                    return true;
                }
                if passes {
                    self.mark_done(l, i);
                }
                run.plan.pop_front();
                self.plan = (!run.plan.is_empty()).then_some(run);
                return true;
            }
            Todo::File(name, text) => Action::PutFile(name, text),
            Todo::Line(_, _, line) => Action::Run(line),
            Todo::Settle(..) => return false,
        };
        run.plan.pop_front();
        self.plan = Some(run);
        let _ = self.carry_out(c, action);
        true
    }

    /// Opens lesson `which` at `step` (the last step if there are fewer), or the list of lessons.
    fn open_lesson(&mut self, c: &mut Cluster, which: Option<usize>, step: usize) {
        self.lesson_list = which.is_none();
        self.lesson = which.map(|i| {
            let lesson = &lessons()[i];
            let step = step.min(lesson.steps.len().saturating_sub(1));
            let progress = self.progress.entry(lesson.id.clone()).or_default();
            progress.step = step;
            LessonPos {
                lesson: i,
                step,
                done: false,
            }
        });
        self.check_step(c);
    }

    /// Runs the open lesson's current step's check, when the cluster is settled (a step once done stays done
    /// until the learner moves on).
    fn check_step(&mut self, c: &mut Cluster) {
        let Some(pos) = self.lesson.as_ref() else {
            return;
        };
        if pos.done || self.working || self.replay.is_some() || c.busy() {
            return;
        }
        let Some(step) = lessons()
            .get(pos.lesson)
            .and_then(|l| l.steps.get(pos.step))
        else {
            return;
        };
        let namespace = kubectl_namespace(&self.terminal.borrow());
        let history = self.terminal.borrow().history.clone();
        let checked = ordinal_lessons::check(c, &namespace, &history, &step.check);
        if checked == ordinal_lessons::Checked::Done {
            if let Some(pos) = self.lesson.as_mut() {
                pos.done = true;
                let lesson = &lessons()[pos.lesson];
                let done = &mut self.progress.entry(lesson.id.clone()).or_default().done;
                if !done.contains(&step.id) {
                    done.push(step.id.clone());
                }
            }
        }
    }

    /// The lines typed while the cluster was still working, waiting to run.
    pub fn waiting_lines(&self) -> Vec<String> {
        self.inbox
            .iter()
            .filter_map(|a| match a {
                Action::Run(line) => Some(line.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether a rewind is being replayed.
    pub fn replaying(&self) -> bool {
        self.replay.is_some()
    }
}

/// What the learner did, for the timeline's marks: the kubectl command a button ran, or the line typed.
pub fn label(action: &Action) -> Option<String> {
    let text = match action {
        Action::Apply => "Apply".to_string(),
        Action::OpenFile(name) => format!("open {name}"),
        Action::NewFile => "new file".to_string(),
        Action::PutFile(name, _) => format!("open {name}"),
        Action::CatchUp(_, upto) => format!("lesson steps 1–{upto}"),
        Action::Scale(d) if *d > 0 => "Scale +".to_string(),
        Action::Scale(_) => "Scale −".to_string(),
        Action::Delete => "Delete".to_string(),
        Action::DeletePod(p) => format!("kubectl delete pod {p}"),
        Action::BreakReadiness(p, true) => format!("break the readiness probe of {p}"),
        Action::BreakReadiness(p, false) => format!("heal the readiness probe of {p}"),
        Action::Crash(p, true) => format!("crash {p}"),
        Action::Crash(p, false) => format!("stop crashing {p}"),
        Action::Namespace(ns) => format!("kubectl config set-context --current --namespace={ns}"),
        Action::Command(line) => line.clone(),
        Action::Cordon(n, true) => format!("kubectl cordon {n}"),
        Action::Cordon(n, false) => format!("kubectl uncordon {n}"),
        Action::NodeReady(n, false) => format!("stop the kubelet of {n}"),
        Action::NodeReady(n, true) => format!("start the kubelet of {n}"),
        Action::Run(line) if !line.trim().is_empty() => line.clone(),
        Action::Paste { text, .. } => text.lines().next().unwrap_or_default().to_string(),
        Action::Interrupt(_) => "Ctrl+C".to_string(),
        Action::SaveEdit => "save the edit".to_string(),
        Action::Reset => "Reset".to_string(),
        _ => return None,
    };
    Some(text)
}

/// Whether an action changes the cluster or the terminal, and so goes into the journal.
pub fn is_recorded(action: &Action) -> bool {
    !matches!(
        action,
        Action::Advance(_)
            | Action::Tick(_)
            | Action::Work
            | Action::TogglePause
            | Action::SetSpeed(_)
            | Action::StepToEvent
            | Action::Rewind(_)
            | Action::BackToPresent
            | Action::Complete { .. }
            | Action::HistoryPrev(_)
            | Action::HistoryNext
            | Action::ClearScreen
            | Action::OpenLesson(_)
            | Action::LessonAt(..)
            | Action::CloseLessons
            | Action::CatchUp(..)
            | Action::Restore(_)
            | Action::LessonStep(_)
            | Action::SetLanguage(_)
            | Action::CopyStep
    )
}

/// The newest Event of `namespace`, by name and resourceVersion (a repeat of an Event is a new version).
fn newest_event(c: &Cluster, namespace: &str) -> Option<(String, String)> {
    c.store()
        .newest_events(namespace)
        .next()
        .map(|e| (e.metadata.name.clone(), e.metadata.resource_version.clone()))
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let cluster = Rc::clone(&self.cluster);
        let mut c = cluster.borrow_mut();
        let c = &mut *c;
        if matches!(action, Action::Work) && !self.working {
            return self;
        }
        // While a rewind is replayed, what would change the cluster waits for it (the page says so).
        if next.replay.is_some()
            && (is_recorded(&action) || matches!(action, Action::StepToEvent | Action::Advance(_)))
        {
            return self;
        }
        match action {
            Action::Rewind(ms) => next.rewind(c, ms, false),
            Action::Restore(saved) => next.restore_with(c, *saved),
            Action::BackToPresent => {
                if next.future.is_some() {
                    let end = next.present_ms();
                    next.rewind(c, end, true);
                }
            }
            Action::StepToEvent => {
                next.paused = true;
                next.held = false;
                next.stepping = Some(newest_event(c, &next.snapshot.namespace));
            }
            action => {
                if !matches!(action, Action::Work) {
                    next.held = false;
                }
                if matches!(
                    action,
                    Action::Edit(_) | Action::OpenFile(_) | Action::NewFile | Action::PutFile(..)
                ) {
                    // The editor's text is read only by commands, which are recorded (and replayed) in order
                    // with it.
                    next.record(c, Record::Did(action.clone()));
                    let _ = next.act(c, action, self.working);
                    next.refresh_files();
                    return Rc::new(next);
                }
                if is_recorded(&action) {
                    // A move of the clock under way ends at this instant; the action waits until the work at
                    // this instant is done, where a replay carries it out too.
                    next.cut_clock(c);
                    // What the terminal would do next comes first (a slice may have ended just before it), as
                    // it does in a replay.
                    if !c.busy() {
                        next.between(c);
                    }
                    if c.busy() || !next.inbox.is_empty() {
                        next.inbox.push_back(action);
                    } else if !next.carry_out(c, action) {
                        return Rc::new(next);
                    }
                } else if !next.act(c, action, self.working) {
                    return Rc::new(next);
                }
            }
        }
        let started = page_ms();
        next.drive(c, started);
        let namespace = kubectl_namespace(&next.terminal.borrow());
        next.prompt = next.next_prompt();
        next.refresh_files();
        next.check_step(c);
        // During long work the view follows a few times a second; otherwise after every action.
        let now = page_ms();
        let stale = match (now, next.working) {
            (Some(now), true) => now - next.read_at >= READ_EVERY_MS.max(8.0 * next.read_cost),
            _ => true,
        };
        if stale {
            next.snapshot = Snapshot::read(c, &namespace);
            next.read_at = page_ms().unwrap_or(0.0);
            next.read_cost = next.read_at - now.unwrap_or(0.0);
        }
        Rc::new(next)
    }
}
