//! `ordinal run SCRIPT` as a learner calls it: from the script's own folder, by its bare name, the files beside
//! the script are what `-f` reads (the same transcript as any other way of naming the script).

#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn run_in(dir: &Path, script: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ordinal"))
        .arg("run")
        .arg(script)
        .current_dir(dir)
        .output()
        .expect("the ordinal binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_bare_script_name_finds_the_files_beside_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts/statefulset-basics");
    let expected = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let bare = run_in(&dir, "script.sh");
    assert!(
        !bare.contains("does not exist"),
        "web.yaml beside the script was not found:\n{bare}"
    );
    assert_eq!(bare, expected);
    assert_eq!(run_in(&dir, "./script.sh"), expected);
}
