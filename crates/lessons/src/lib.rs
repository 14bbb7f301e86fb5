//! Lessons: a sequence of steps read from a data file (`www/lessons/*.yaml`), so a course author writes them
//! without Rust. A step has its explanation in each of the learners' languages, what to type (`run`, which a
//! click copies to the terminal and "show me" runs), and a **check**: a script in the playground's own shell and
//! kubectl whose exit status says whether the step is done, as a teacher would check it by hand.
//!
//! ```yaml
//! id: statefulset-basics-identity
//! title: { en: "…", ja: "…", zh-TW: "…", ko: "…" }
//! steps:
//! - id: create
//!   text: { en: "…", ja: "…", zh-TW: "…", ko: "…" }
//!   run: kubectl apply -f https://k8s.io/examples/application/web/web.yaml
//!   check: kubectl get statefulset web
//! ```
//!
//! A check runs in a terminal of its own on the learner's cluster, with a copy of the learner's command
//! history (so a step can be "look at the hostnames": `history | grep -q hostname`). It must only read: it runs
//! between the learner's actions and is not part of the recorded session. A check that would wait (a `sleep`, a
//! watch) or that meets the cluster still working has not passed yet.

use std::collections::BTreeMap;

use ordinal_engine::Cluster;
use ordinal_term::terminal::Terminal;
use serde::Deserialize;

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

    /// The languages it is written in.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// One lesson.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub title: Text,
    /// Where the lesson comes from (a kubernetes.io page, a seed), shown with it.
    #[serde(default)]
    pub source: Option<String>,
    pub steps: Vec<Step>,
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
    /// The script whose exit status 0 says the step is done.
    pub check: String,
    /// Said when the learner asks for a hint.
    #[serde(default)]
    pub hint: Option<Text>,
}

/// Reads a lesson file; the message says what is wrong with it, for the lesson's author.
pub fn parse(yaml: &str) -> Result<Lesson, String> {
    // Through a JSON value, as manifests are read: the YAML reader's code for values is already in the page, so
    // a lesson costs only the decoding of its own types.
    let value: serde_json::Value = serde_saphyr::from_str(yaml).map_err(|e| e.to_string())?;
    let lesson: Lesson = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let mut seen = Vec::new();
    if lesson.steps.is_empty() {
        return Err(format!("lesson {}: it has no steps", lesson.id));
    }
    let english = |what: &str, t: &Text| -> Result<(), String> {
        if t.0.get("en").is_none_or(|s| s.trim().is_empty()) {
            return Err(format!("lesson {}: {what} has no English text", lesson.id));
        }
        match t.languages().find(|l| !LANGUAGES.contains(l)) {
            Some(l) => Err(format!(
                "lesson {}: {what} is in \"{l}\", not one of {}",
                lesson.id,
                LANGUAGES.join(", ")
            )),
            None => Ok(()),
        }
    };
    english("the title", &lesson.title)?;
    for step in &lesson.steps {
        if seen.contains(&step.id.as_str()) {
            return Err(format!(
                "lesson {}: two steps are called {}",
                lesson.id, step.id
            ));
        }
        seen.push(step.id.as_str());
        english(&format!("step {}", step.id), &step.text)?;
        if let Some(h) = &step.hint {
            english(&format!("the hint of step {}", step.id), h)?;
        }
        if step.check.trim().is_empty() {
            return Err(format!(
                "lesson {}: step {} has no check",
                lesson.id, step.id
            ));
        }
    }
    Ok(lesson)
}

/// The lessons that come with Ordinal, in the order a class takes them.
pub fn builtin() -> Vec<Lesson> {
    // The tests parse every built-in lesson; one that did not parse would be left out, not break the page.
    BUILTIN
        .iter()
        .filter_map(|(_, text)| parse(text).ok())
        .collect()
}

/// The built-in lesson files, by name.
pub const BUILTIN: &[(&str, &str)] = &[(
    "statefulset-basics-identity.yaml",
    include_str!("../../../www/lessons/statefulset-basics-identity.yaml"),
)];

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
