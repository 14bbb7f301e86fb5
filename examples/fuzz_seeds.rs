//! Writes the fuzz targets' first corpora (see fuzz/README.md), so a run on a new machine starts from what the
//! project's own tests already do rather than from nothing:
//! - `manifest_apply`: every manifest in the catalogue and beside the golden transcripts;
//! - `command_line`: every line of the golden transcripts' scripts;
//! - `session_load`: each golden script played in the page (its files put in the home directory, each line run,
//!   the clock moved on), kept as the page keeps a session; and a few sessions of the page's own controls.
//!
//! `cargo run --example fuzz_seeds -- /tmp/corpus` (then `DIR/TARGET/` for each target).
#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use ordinal_web::state::{Action, AppState, WEB_YAML};
use yew::Reducible;

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/corpus".into()),
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut manifests = BTreeMap::new();
    collect_yaml(&root.join("crates/kubectl/catalogue"), &mut manifests);
    let mut scripts = BTreeMap::new();
    for dir in dirs(&root.join("crates/term/tests/transcripts")) {
        let name = dir.file_name().map(|n| n.to_string_lossy().to_string());
        let Some(name) = name else { continue };
        let mut files = BTreeMap::new();
        for f in std::fs::read_dir(&dir)
            .expect("reads a transcript")
            .flatten()
        {
            let file = f.file_name().to_string_lossy().to_string();
            if file == "expected.txt" {
                continue;
            }
            let text = std::fs::read_to_string(f.path()).expect("reads a transcript's file");
            if file.ends_with(".yaml") || file.ends_with(".yml") {
                manifests.insert(format!("{name}-{file}"), text.clone());
            }
            files.insert(file, text);
        }
        scripts.insert(name, files);
    }

    let mut written = [0usize; 3];
    for (name, text) in &manifests {
        write(&out.join("manifest_apply"), name, text);
        written[0] += 1;
    }
    for (name, files) in &scripts {
        let script = files.get("script.sh").map(String::as_str).unwrap_or("");
        for (i, line) in script.lines().enumerate() {
            if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
                write(&out.join("command_line"), &format!("{name}-{i}"), line);
                written[1] += 1;
            }
        }
        let mut page = start();
        for (file, text) in files {
            if file != "script.sh" {
                page = settle(page.reduce(Action::PutFile(file.clone(), text.clone())));
            }
        }
        for line in script.lines() {
            if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
                page = settle(page.reduce(Action::Run(line.to_string())));
                page = settle(page.reduce(Action::Advance(5_000)));
            }
        }
        write(
            &out.join("session_load"),
            name,
            &ordinal_web::session::encode(&page.saved()),
        );
        written[2] += 1;
    }
    // The page's own controls, which no script types.
    let controls: [(&str, Vec<Action>); 3] = [
        (
            "controls-scale",
            vec![
                Action::Apply,
                Action::Advance(30_000),
                Action::Scale(3),
                Action::Advance(30_000),
                Action::BreakReadiness("web-1".into(), true),
                Action::Advance(20_000),
                Action::Scale(-2),
                Action::Advance(30_000),
                Action::Rewind(40_000),
                Action::BackToPresent,
                Action::Delete,
                Action::Advance(30_000),
            ],
        ),
        (
            "controls-nodes",
            vec![
                Action::Apply,
                Action::Advance(30_000),
                Action::Cordon("kind-worker".into(), true),
                Action::DeletePod("web-0".into()),
                Action::Advance(30_000),
                Action::NodeReady("kind-worker2".into(), false),
                Action::Advance(60_000),
                Action::Crash("web-1".into(), true),
                Action::Advance(60_000),
                Action::Reset,
                Action::Apply,
                Action::Advance(10_000),
            ],
        ),
        (
            "controls-update",
            vec![
                Action::Apply,
                Action::Advance(30_000),
                Action::Command(
                    "kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24".into(),
                ),
                Action::Advance(60_000),
                Action::Command("kubectl rollout undo sts/web".into()),
                Action::Advance(60_000),
                Action::Namespace("kube-system".into()),
                Action::Run("kubectl get pods".into()),
                Action::StepToEvent,
            ],
        ),
    ];
    for (name, actions) in controls {
        let mut page = start();
        for action in actions {
            page = settle(page.reduce(action));
        }
        write(
            &out.join("session_load"),
            name,
            &ordinal_web::session::encode(&page.saved()),
        );
        written[2] += 1;
    }
    println!(
        "{} manifests, {} command lines, {} sessions in {}",
        written[0],
        written[1],
        written[2],
        out.display()
    );
}

fn start() -> Rc<AppState> {
    Rc::new(AppState::new(WEB_YAML.to_string(), true))
}

/// The page after it has done all the work an action asked for (as its `Work` tasks would).
fn settle(mut page: Rc<AppState>) -> Rc<AppState> {
    for _ in 0..200_000 {
        if !page.working && !page.replaying() {
            break;
        }
        page = page.reduce(Action::Work);
    }
    page
}

fn dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .expect("reads the transcripts")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    ordinal_engine::sort::sort(&mut dirs);
    dirs
}

fn collect_yaml(dir: &Path, into: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir)
        .expect("reads the catalogue")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            collect_yaml(&path, into);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string());
            let text = std::fs::read_to_string(&path).expect("reads a manifest");
            into.insert(name.unwrap_or_default(), text);
        }
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).expect("makes the corpus folder");
    std::fs::write(dir.join(name), text).expect("writes a seed");
}
