//! `ordinal run SCRIPT [--seed N]`: runs a learner's command script on a fresh simulated cluster and prints
//! the transcript. Exit code 0 when the script ran (kubectl errors are output, not failures), 2 when the script
//! cannot be read or a line cannot be parsed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ordinal_term::runner;

const USAGE: &str = "usage: ordinal run SCRIPT [--seed N]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut script = None;
    let mut seed = runner::DEFAULT_SEED;
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("run") => {}
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }
    while let Some(a) = it.next() {
        if a == "--seed" {
            match it.next().and_then(|s| s.parse().ok()) {
                Some(n) => seed = n,
                None => {
                    eprintln!("ordinal: --seed needs a number\n{USAGE}");
                    return ExitCode::from(2);
                }
            }
        } else if let Some(n) = a.strip_prefix("--seed=") {
            match n.parse() {
                Ok(n) => seed = n,
                Err(_) => {
                    eprintln!("ordinal: --seed needs a number\n{USAGE}");
                    return ExitCode::from(2);
                }
            }
        } else {
            script = Some(PathBuf::from(a));
        }
    }
    let Some(path) = script else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ordinal: cannot read {}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    // A bare file name (`ordinal run script.sh`) has an empty parent: its files are in the current folder.
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match runner::run(&text, files_under(&dir), seed) {
        Ok(transcript) => {
            print!("{transcript}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ordinal: {}:{}: {}", path.display(), e.line, e.message);
            ExitCode::from(2)
        }
    }
}

/// Every text file under `dir` (a few levels deep), by path relative to it, for `-f`.
fn files_under(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() && depth < 4 {
                stack.push((p, depth + 1));
            } else if entry.metadata().is_ok_and(|m| m.len() < 1 << 20) {
                if let (Ok(text), Ok(rel)) = (std::fs::read_to_string(&p), p.strip_prefix(dir)) {
                    out.insert(rel.to_string_lossy().replace('\\', "/"), text);
                }
            }
        }
    }
    out
}
