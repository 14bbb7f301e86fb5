//! Golden transcripts: each folder under tests/transcripts holds `script.sh`, the files it uses, and
//! `expected.txt`, the transcript `ordinal run script.sh` must print. Set ORDINAL_BLESS=1 to rewrite the
//! expected files after a deliberate change (and read the diff).

use std::collections::BTreeMap;
use std::path::Path;

use ordinal_term::runner;

#[test]
fn transcripts_match() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    ordinal_engine::sort::sort(&mut dirs);
    assert!(!dirs.is_empty());
    let mut failures = Vec::new();
    for dir in dirs {
        let script = std::fs::read_to_string(dir.join("script.sh")).unwrap();
        let mut files = BTreeMap::new();
        for f in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            if name != "script.sh" && name != "expected.txt" {
                files.insert(name, std::fs::read_to_string(f.path()).unwrap());
            }
        }
        let got = runner::run(&script, files.clone(), runner::DEFAULT_SEED).unwrap();
        // The same seed gives the same transcript, also when the controllers' work is deferred and carried
        // out before each next command, as in the browser.
        assert_eq!(
            got,
            runner::run(&script, files.clone(), runner::DEFAULT_SEED).unwrap()
        );
        let deferred = runner::run_with(&script, files, runner::DEFAULT_SEED, true).unwrap();
        if deferred != got {
            failures.push(format!(
                "{} with deferred work:\n--- at once\n{got}\n--- deferred\n{deferred}",
                dir.display()
            ));
        }
        let expected_path = dir.join("expected.txt");
        if std::env::var_os("ORDINAL_BLESS").is_some() {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- got\n{got}",
                dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
