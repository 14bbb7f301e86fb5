//! Lessons: a sequence of steps read from data files in `www/lessons/`, so a course author writes them without
//! Rust. A lesson is one file, or a folder of files: `lesson.yaml` says its id and title, and every other file in
//! the folder is a part of it (where a class pauses), taken in the order of the file names. A step has its
//! explanation in each of the learners' languages, what to type (`run`, which a click copies to the terminal and
//! "show me" runs), a file to open in the editor, and a **check**: a script in the playground's own shell and
//! kubectl whose exit status says whether the step is done, as a teacher would check it by hand.
//!
//! ```yaml
//! id: missing-class
//! title: { en: "…", ja: "…", zh-TW: "…", ko: "…" }
//! source: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/
//! steps:
//! - id: create
//!   text: { en: "…", ja: "…", zh-TW: "…", ko: "…" }
//!   file: { name: web.yaml, content: "apiVersion: apps/v1\n…" }
//!   run: kubectl apply -f web.yaml
//!   check: kubectl get statefulset web
//!   hint: { en: "…", … }
//!   note: { en: "Older clusters printed …", … }
//! ```
//!
//! A check runs in a terminal of its own on the learner's cluster, with a copy of the learner's command
//! history (so a step can be "look at the hostnames": `history | grep -q hostname`). It must only read: it runs
//! between the learner's actions and is not part of the recorded session. A check that would wait (a `sleep`, a
//! watch) or that meets the cluster still working has not passed yet.

use std::collections::BTreeMap;
use std::fmt;

use ordinal_engine::Cluster;
use ordinal_term::terminal::Terminal;
use serde::Deserialize;
use serde_json::Value;

/// The languages the lessons are written in, in the order a missing translation falls back through.
pub const LANGUAGES: [&str; 4] = ["en", "ja", "zh-TW", "ko"];

/// A text in each language, by its code (`en`, `ja`, `zh-TW`, `ko`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(transparent)]
pub struct Text(BTreeMap<String, String>);

impl Text {
    /// The text in `lang`, or in English when the lesson has no translation.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .map_or("", String::as_str)
    }

    /// Undoes what folding a long line does to Japanese and Chinese: YAML joins the lines of a folded text with
    /// a space, and these languages put none between words, so a space between two of their characters goes.
    fn unfold(&mut self) {
        for (lang, text) in &mut self.0 {
            if lang == "ja" || lang == "zh-TW" {
                let chars: Vec<char> = text.chars().collect();
                *text = chars
                    .iter()
                    .enumerate()
                    .filter(|&(i, &c)| {
                        let before = i.checked_sub(1).map(|b| chars[b]);
                        !(c == ' '
                            && before.is_some_and(|b| {
                                closing(b)
                                    || (wide(b) && chars.get(i + 1).is_some_and(|n| wide(*n)))
                            }))
                    })
                    .map(|(_, c)| *c)
                    .collect();
            }
        }
    }

    /// The languages it is written in.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// A character of the scripts written without spaces between words: kana, CJK ideographs and punctuation,
/// full-width forms.
fn wide(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// Punctuation that ends a clause in Japanese and Chinese, after which no space is written, even before a Latin
/// word: 、。，．：；！？ and closing brackets.
fn closing(c: char) -> bool {
    matches!(
        c,
        '、' | '。' | '，' | '．' | '：' | '；' | '！' | '？' | '」' | '』' | '）' | '】'
    )
}

/// One lesson: its parts, and their steps numbered through the whole lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// What a URL names it by (`?lesson=basics`).
    pub id: String,
    pub title: Text,
    /// Where the lesson comes from (a kubernetes.io page, a seed), shown with it.
    pub source: Option<String>,
    /// Its parts, in order; a lesson without parts has one, untitled.
    pub parts: Vec<Part>,
    /// Every step of every part, in order.
    pub steps: Vec<Step>,
}

impl Lesson {
    /// The part `step` belongs to.
    pub fn part_of(&self, step: usize) -> Option<&Part> {
        self.parts.iter().rev().find(|p| p.first <= step)
    }
}

/// A part of a lesson: where a class would pause.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub id: String,
    /// Empty for the one part of a lesson that has no parts.
    pub title: Text,
    /// The index of its first step in [`Lesson::steps`].
    pub first: usize,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub text: Text,
    /// The command line(s) to type, one per line: a click copies them to the terminal; "show me" runs them.
    #[serde(default)]
    pub run: Option<String>,
    /// A file to open in the editor (written into the home directory), before `run` applies it.
    #[serde(default)]
    pub file: Option<EditorFile>,
    /// The script whose exit status 0 says the step is done.
    pub check: String,
    /// Said when the learner asks for a hint.
    #[serde(default)]
    pub hint: Option<Text>,
    /// A note beside the text: where today's Kubernetes differs from what the learner's tutorial shows.
    #[serde(default)]
    pub note: Option<Text>,
}

/// A file a step opens in the editor.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditorFile {
    /// Its name in the home directory (`web.yaml`).
    pub name: String,
    pub content: String,
}

/// What is wrong with a lesson file, and where: shown to its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    /// The file, as named under `www/lessons/`.
    pub file: String,
    /// The line (from 1), when it can be told.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A lesson's files, as found in `www/lessons/`: a name, and each file's path and text.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    pub name: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    title: Text,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    steps: Option<Vec<Value>>,
    #[serde(default)]
    parts: Option<Vec<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartFile {
    id: String,
    title: Text,
    steps: Vec<Value>,
}

/// The first line of `yaml` that is the key `key` (a list item's or a mapping's) with `value`, if given.
fn line_of(yaml: &str, key: &str, value: Option<&str>) -> Option<usize> {
    line_from(yaml, 1, key, value)
}

/// [`line_of`], looking from line `from` on.
fn line_from(yaml: &str, from: usize, key: &str, value: Option<&str>) -> Option<usize> {
    yaml.lines()
        .skip(from - 1)
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            let Some(rest) = l.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
                return false;
            };
            value.is_none_or(|v| rest.trim().trim_matches(['"', '\'']) == v)
        })
        .map(|i| i + from)
}

/// The key a serde message names (`unknown field `step``), to find its line.
fn named_field(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Reads one file's YAML into a value, or says where it is not YAML.
fn yaml_value(file: &str, yaml: &str) -> Result<Value, LessonError> {
    serde_saphyr::from_str(yaml).map_err(|e| LessonError {
        file: file.to_string(),
        line: e.location().map(|l| l.line() as usize),
        message: e.to_string(),
    })
}

/// Decodes a value read from `file`, finding the line a message is about by the key it names.
fn decode<T: serde::de::DeserializeOwned>(
    file: &str,
    yaml: &str,
    value: Value,
    near: Option<usize>,
) -> Result<T, LessonError> {
    serde_json::from_value(value).map_err(|e| {
        let message = e.to_string();
        let line = named_field(&message)
            .and_then(|k| line_from(yaml, near.unwrap_or(1), k, None))
            .or(near);
        LessonError {
            file: file.to_string(),
            line,
            message,
        }
    })
}

fn steps(file: &str, yaml: &str, raw: Vec<Value>, out: &mut Vec<Step>) -> Result<(), LessonError> {
    for value in raw {
        let id = value.get("id").and_then(Value::as_str).map(str::to_string);
        let near = id.as_deref().and_then(|id| line_of(yaml, "id", Some(id)));
        let mut step: Step = decode(file, yaml, value, near)?;
        step.text.unfold();
        for t in [&mut step.hint, &mut step.note].into_iter().flatten() {
            t.unfold();
        }
        let err = |message: String| LessonError {
            file: file.to_string(),
            line: near,
            message: format!("step {}: {message}", step.id),
        };
        if out.iter().any(|s| s.id == step.id) {
            return Err(err("two steps have this id".into()));
        }
        languages("its text", &step.text).map_err(err)?;
        if let Some(h) = &step.hint {
            languages("its hint", h).map_err(err)?;
        }
        if let Some(n) = &step.note {
            languages("its note", n).map_err(err)?;
        }
        if step.check.trim().is_empty() {
            return Err(err("it has no check".into()));
        }
        out.push(step);
    }
    Ok(())
}

/// A text must have English, and no language but ours.
fn languages(what: &str, t: &Text) -> Result<(), String> {
    if t.0.get("en").is_none_or(|s| s.trim().is_empty()) {
        return Err(format!("{what} has no English text"));
    }
    match t.languages().find(|l| !LANGUAGES.contains(l)) {
        Some(l) => Err(format!(
            "{what} is in \"{l}\", not one of {}",
            LANGUAGES.join(", ")
        )),
        None => Ok(()),
    }
}

/// Reads a lesson from its files: one file with its steps (or its parts), or a folder's `lesson.yaml` and its
/// part files, in the order given.
pub fn read(files: &[(&str, &str)]) -> Result<Lesson, LessonError> {
    let header_file = files
        .iter()
        .find(|(name, _)| files.len() == 1 || name.rsplit('/').next() == Some("lesson.yaml"))
        .ok_or_else(|| LessonError {
            file: files.first().map_or("", |f| f.0).to_string(),
            line: None,
            message: "a lesson folder needs a lesson.yaml with the lesson's id and title".into(),
        })?;
    let (name, yaml) = *header_file;
    let mut header: Header = decode(name, yaml, yaml_value(name, yaml)?, None)?;
    header.title.unfold();
    let whole = |message: String| LessonError {
        file: name.to_string(),
        line: None,
        message,
    };
    languages("the title", &header.title).map_err(|m| LessonError {
        line: line_of(yaml, "title", None),
        ..whole(m)
    })?;
    let mut lesson = Lesson {
        id: header.id,
        title: header.title,
        source: header.source,
        parts: Vec::new(),
        steps: Vec::new(),
    };
    if let Some(raw) = header.steps {
        lesson.parts.push(Part {
            id: String::new(),
            title: Text::default(),
            first: 0,
        });
        steps(name, yaml, raw, &mut lesson.steps)?;
    }
    let add_part = |file: &str, yaml: &str, value: Value, lesson: &mut Lesson| {
        let near = value
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| line_of(yaml, "id", Some(id)));
        let mut part: PartFile = decode(file, yaml, value, near)?;
        part.title.unfold();
        languages(&format!("part {}: the title", part.id), &part.title).map_err(|message| {
            LessonError {
                file: file.to_string(),
                line: near,
                message,
            }
        })?;
        lesson.parts.push(Part {
            id: part.id,
            title: part.title,
            first: lesson.steps.len(),
        });
        steps(file, yaml, part.steps, &mut lesson.steps)
    };
    for value in header.parts.unwrap_or_default() {
        add_part(name, yaml, value, &mut lesson)?;
    }
    for (file, text) in files {
        if *file != name {
            add_part(file, text, yaml_value(file, text)?, &mut lesson)?;
        }
    }
    if lesson.steps.is_empty() {
        return Err(whole(format!("lesson {} has no steps", lesson.id)));
    }
    Ok(lesson)
}

/// Reads a lesson written as one file.
pub fn parse(yaml: &str) -> Result<Lesson, LessonError> {
    read(&[("lesson.yaml", yaml)])
}

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// The lessons that come with Ordinal, in the order a class takes them, and what is wrong with any that could
/// not be read (left out, so the rest of the app works; the tests read every one).
pub fn builtin() -> (Vec<Lesson>, Vec<LessonError>) {
    read_all(BUILTIN)
}

/// Reads every lesson of `sources`: those that read, in order, and what is wrong with each of the others.
pub fn read_all(sources: &[Source]) -> (Vec<Lesson>, Vec<LessonError>) {
    read_each(sources.iter().map(|s| (s.name, s.files.to_vec())))
}

fn read_each<'a>(
    sources: impl IntoIterator<Item = (&'a str, Vec<(&'a str, &'a str)>)>,
) -> (Vec<Lesson>, Vec<LessonError>) {
    let mut lessons = Vec::new();
    let mut errors = Vec::new();
    for (name, files) in sources {
        match read(&files) {
            Ok(l) if lessons.iter().any(|o: &Lesson| o.id == l.id) => errors.push(LessonError {
                file: name.to_string(),
                line: None,
                message: format!("another lesson already has the id {}", l.id),
            }),
            Ok(l) => lessons.push(l),
            Err(e) => errors.push(e),
        }
    }
    (lessons, errors)
}

/// The built-in lessons' files as one JSON document, `[[name, [[path, text], …]], …]`: what the browser app
/// fetches (`lessons/builtin.json`) when a lesson is first opened, instead of carrying every lesson's text in
/// the code a first visit downloads.
pub fn builtin_bundle() -> String {
    let all: Vec<(&str, &[(&str, &str)])> = BUILTIN.iter().map(|s| (s.name, s.files)).collect();
    serde_json::to_string(&all).unwrap_or_default()
}

/// Reads a bundle written by [`builtin_bundle`]: its lessons and what is wrong with any that could not be read,
/// as [`read_all`] gives them, or why the bundle itself is not one.
pub fn read_bundle(json: &str) -> Result<(Vec<Lesson>, Vec<LessonError>), String> {
    let all: Vec<(String, Vec<(String, String)>)> = serde_json::from_str(json)
        .map_err(|e| format!("the lessons' files cannot be read: {e}"))?;
    Ok(read_each(all.iter().map(|(name, files)| {
        let files = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        (name.as_str(), files)
    })))
}

/// Performs a step as "show me" does: writes its file into the home directory, then runs its lines one by one
/// in the learner's terminal. A line that waits (`kubectl rollout status`, a watch) has the clock run for it, a
/// second at a time, as the learner would wait, until the step is done or for two minutes at most, and a watch
/// is then stopped with Ctrl+C (as the app's catch-up does).
pub fn perform(c: &mut Cluster, learner: &mut Terminal, step: &Step) {
    if let Some(f) = &step.file {
        learner.ctx.files.insert(f.name.clone(), f.content.clone());
    }
    for line in step.run.as_deref().unwrap_or("").lines() {
        let _ = learner.run(c, line, &[]);
        for _ in 0..120 {
            if !learner.busy() {
                break;
            }
            let namespace = ordinal_term::complete::kubectl_namespace(learner);
            if check(c, &namespace, &learner.history, &step.check) == Checked::Done {
                break;
            }
            c.advance(1_000);
            let _ = learner.poll(c);
        }
        if learner.busy() {
            let _ = learner.interrupt(c);
        }
    }
}

/// Lets the clock run, five seconds at a time up to ten minutes, until `step`'s check passes. True if it did.
pub fn settle(c: &mut Cluster, learner: &Terminal, step: &Step) -> bool {
    for _ in 0..120 {
        let namespace = ordinal_term::complete::kubectl_namespace(learner);
        if check(c, &namespace, &learner.history, &step.check) == Checked::Done {
            return true;
        }
        c.advance(5_000);
    }
    false
}

/// The cluster as it is when the lesson's steps up to and including `last` are done, each performed and
/// settled in turn on a fresh cluster: the goal a step shows the learner.
pub fn play_to(lesson: &Lesson, last: usize) -> (Cluster, Terminal) {
    let mut c = Cluster::new(ordinal_engine::ClusterConfig::default());
    let mut learner = Terminal::default();
    for step in lesson.steps.iter().take(last + 1) {
        perform(&mut c, &mut learner, step);
        settle(&mut c, &learner, step);
    }
    (c, learner)
}

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// The script exited 0: the step is done.
    Done,
    /// It exited otherwise: not yet.
    NotYet,
    /// The cluster is still working at this instant, or the script would have waited: ask again later.
    Later,
}

/// Runs a step's check on the learner's cluster, in `namespace`, with the learner's command `history`.
pub fn check(c: &mut Cluster, namespace: &str, history: &[String], script: &str) -> Checked {
    if c.pending() {
        return Checked::Later;
    }
    // Interactive, so nothing in it can move the clock: a sleep or a watch leaves the job waiting instead.
    let mut t = Terminal::interactive();
    t.ctx.namespace = namespace.to_string();
    t.history = history.to_vec();
    t.no_history = true;
    let out = t.run(c, script, &[]);
    if t.busy() {
        t.abandon();
        return Checked::Later;
    }
    if out.status == 0 {
        Checked::Done
    } else {
        Checked::NotYet
    }
}
