//! Finds the built-in lessons: every `*.yaml` file and every folder in `www/lessons/`, in the order of their
//! names, so a course author adds a lesson by adding a file, without touching Rust.

use std::fmt::Write as _;
use std::path::Path;

/// The entries of `dir`, in the order of their names.
fn yaml_files(dir: &Path) -> std::collections::BTreeSet<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/lessons");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut out = String::from("/// The built-in lesson files, found in `www/lessons/` when Ordinal was built.\npub const BUILTIN: &[Source] = &[\n");
    for entry in yaml_files(&root) {
        let name = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let files: Vec<_> = if entry.is_dir() {
            println!("cargo::rerun-if-changed={}", entry.display());
            yaml_files(&entry)
                .into_iter()
                .filter(|f| f.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect()
        } else if entry.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            vec![entry.clone()]
        } else {
            continue;
        };
        let _ = writeln!(out, "    Source {{ name: {name:?}, files: &[");
        for f in files {
            let shown = f
                .strip_prefix(&root)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            let full = f.canonicalize().unwrap_or(f);
            let _ = writeln!(
                out,
                "        ({shown:?}, include_str!({:?})),",
                full.display().to_string()
            );
        }
        out.push_str("    ] },\n");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("builtin.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
