//! The app's state and the one reducer that changes it. Buttons and timers send [`Action`]s; the reducer runs
//! them against the engine and reads a fresh [`Snapshot`] for the view. Data flows one way: YAML text →
//! engine → snapshot → components.

use std::cell::RefCell;
use std::rc::Rc;

use ordinal_engine::kubectl;
use ordinal_engine::model::{Kind, StatefulSet};
use ordinal_engine::{Cluster, ClusterConfig};
use yew::prelude::*;

use crate::snapshot::{Snapshot, NAMESPACE};

/// The StatefulSet Basics manifest from kubernetes.io: headless Service `nginx` and StatefulSet `web`.
pub const WEB_YAML: &str = include_str!("../crates/engine/tests/fixtures/web.yaml");

/// The file name kubectl messages use for the editor's content.
pub const FILE_NAME: &str = "web.yaml";

/// A line in the output panel: a command as kubectl would be typed, or what it printed.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputLine {
    Command(String),
    Ok(String),
    Error(String),
    /// A note that is not kubectl output, such as an injected fault.
    Comment(String),
}

/// A problem with the editor's YAML, shown beside the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorError {
    /// 1-based line the error points at.
    pub line: usize,
    pub location: String,
    pub message: String,
}

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
    /// Stop (false) or restart (true) a node's kubelet.
    NodeReady(String, bool),
    /// Advance virtual time by this many milliseconds.
    Advance(u64),
    TogglePause,
    SetSpeed(u32),
    Reset,
}

#[derive(Clone)]
pub struct AppState {
    pub cluster: Rc<RefCell<Cluster>>,
    pub yaml: String,
    pub errors: Vec<EditorError>,
    pub output: Vec<OutputLine>,
    pub snapshot: Snapshot,
    pub paused: bool,
    pub speed: u32,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cluster, &other.cluster)
            && self.yaml == other.yaml
            && self.errors == other.errors
            && self.output == other.output
            && self.snapshot == other.snapshot
            && self.paused == other.paused
            && self.speed == other.speed
    }
}

const MAX_OUTPUT: usize = 200;

impl AppState {
    pub fn new(yaml: String, paused: bool) -> AppState {
        let cluster = Cluster::new(ClusterConfig::default());
        let snapshot = Snapshot::read(&cluster);
        AppState {
            cluster: Rc::new(RefCell::new(cluster)),
            yaml,
            errors: Vec::new(),
            output: Vec::new(),
            snapshot,
            paused,
            speed: 1,
        }
    }

    /// The StatefulSet the buttons act on: the one the editor names, else the first in the namespace.
    fn target_set(&self, c: &Cluster) -> Option<StatefulSet> {
        let named = ordinal_engine::manifest::parse(&self.yaml, FILE_NAME)
            .ok()
            .and_then(|objs| objs.into_iter().find(|o| o.kind == Kind::StatefulSet))
            .and_then(|o| c.stateful_set(NAMESPACE, &o.name).cloned());
        named.or_else(|| {
            c.store()
                .list::<StatefulSet>(Some(NAMESPACE))
                .next()
                .cloned()
        })
    }

    /// Runs `kubectl ARGS` (in the playground's namespace) as the terminal would and prints what it prints.
    /// Its waits are not run here: the view's clock keeps going and shows them happen.
    fn kubectl(&mut self, c: &mut Cluster, args: &str) {
        self.push(OutputLine::Command(format!("kubectl {args}")));
        let argv: Vec<String> = args.split_whitespace().map(str::to_string).collect();
        let ctx = kubectl::Context {
            namespace: NAMESPACE.to_string(),
            ..Default::default()
        };
        let out = kubectl::run(c, &ctx, &argv, None);
        for line in out.stderr.lines() {
            self.push(OutputLine::Error(line.to_string()));
        }
        for line in out.stdout.lines() {
            self.push(OutputLine::Ok(line.to_string()));
        }
    }

    fn push(&mut self, line: OutputLine) {
        self.output.push(line);
        if self.output.len() > MAX_OUTPUT {
            let extra = self.output.len() - MAX_OUTPUT;
            self.output.drain(..extra);
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let cluster = Rc::clone(&self.cluster);
        let mut c = cluster.borrow_mut();
        match action {
            Action::Edit(text) => {
                next.yaml = text;
                return Rc::new(next);
            }
            Action::Apply => {
                next.push(OutputLine::Command(format!("kubectl apply -f {FILE_NAME}")));
                match c.apply_manifest(&next.yaml, FILE_NAME, NAMESPACE) {
                    Ok(outcomes) => {
                        next.errors.clear();
                        for o in outcomes {
                            let line = o.to_string();
                            next.push(if o.result.is_ok() {
                                OutputLine::Ok(line)
                            } else {
                                OutputLine::Error(line)
                            });
                        }
                    }
                    Err(errors) => {
                        next.errors = errors
                            .iter()
                            .map(|e| EditorError {
                                line: match &e.kind {
                                    ordinal_engine::manifest::ManifestErrorKind::Syntax {
                                        line,
                                        ..
                                    } => *line,
                                    _ => e.position.line,
                                },
                                location: e.location(),
                                message: e.to_string(),
                            })
                            .collect();
                        for e in &errors {
                            next.push(OutputLine::Error(e.to_string()));
                        }
                    }
                }
            }
            Action::Scale(delta) => match next.target_set(&c) {
                Some(set) => {
                    let replicas = (set.replicas() + delta).max(0);
                    let name = &set.metadata.name;
                    next.kubectl(
                        &mut c,
                        &format!("scale statefulset {name} --replicas={replicas}"),
                    );
                }
                None => next.push(OutputLine::Error(
                    "No StatefulSet to scale yet: press Apply to create the one in the editor."
                        .into(),
                )),
            },
            Action::Delete => match next.target_set(&c) {
                Some(set) => {
                    next.kubectl(&mut c, &format!("delete statefulset {}", set.metadata.name))
                }
                None => next.push(OutputLine::Error("No StatefulSet to delete.".into())),
            },
            Action::DeletePod(name) => next.kubectl(&mut c, &format!("delete pod {name}")),
            Action::BreakReadiness(name, broken) => {
                let what = if broken { "now fails" } else { "passes again" };
                next.push(OutputLine::Comment(format!(
                    "# fault: the readiness probe of {name} {what}"
                )));
                if let Err(e) = c.set_readiness_broken(NAMESPACE, &name, broken) {
                    next.push(OutputLine::Error(e.to_string()));
                }
            }
            Action::Crash(name, on) => {
                let result = if on {
                    next.push(OutputLine::Comment(format!(
                        "# fault: the container of {name} exits with an error at every start"
                    )));
                    c.crash_container(NAMESPACE, &name, None, true)
                } else {
                    next.push(OutputLine::Comment(format!(
                        "# fault mended: the container of {name} runs normally from its next start"
                    )));
                    c.stop_crashing(NAMESPACE, &name)
                };
                if let Err(e) = result {
                    next.push(OutputLine::Error(e.to_string()));
                }
            }
            Action::Cordon(node, on) => {
                next.kubectl(
                    &mut c,
                    &format!("{} {node}", if on { "cordon" } else { "uncordon" }),
                );
            }
            Action::NodeReady(node, ready) => {
                let what = if ready {
                    "kubelet started again"
                } else {
                    "kubelet stopped: the node stops answering"
                };
                next.push(OutputLine::Comment(format!("# fault: {node}: {what}")));
                if let Err(e) = c.set_node_ready(&node, ready) {
                    next.push(OutputLine::Error(e.to_string()));
                }
            }
            Action::Advance(ms) => c.advance(ms),
            Action::TogglePause => next.paused = !next.paused,
            Action::SetSpeed(s) => next.speed = s.clamp(1, 64),
            Action::Reset => {
                *c = Cluster::new(ClusterConfig::default());
                next.output.clear();
                next.errors.clear();
            }
        }
        next.snapshot = Snapshot::read(&c);
        Rc::new(next)
    }
}
