//! The transcript runner behind `ordinal run SCRIPT`: a script is a text file of command lines as a learner
//! types them. Blank lines and `#` comments are skipped, a trailing `\` continues a line, `<<EOF` heredoc
//! bodies follow their command. The transcript shows, for each command, `$ ` and the command as written, then
//! exactly what the terminal printed. The same seed gives the same transcript on every run and machine.
//!
//! A command that runs until the learner stops it (a `while sleep 1` loop in `kubectl run -it`) is followed by
//! a comment `# Ctrl+C after 5s`: it runs in the foreground for that long on the virtual clock, then the
//! transcript shows `^C` and what the command printed as it stopped, as the browser's terminal does.

use std::collections::BTreeMap;

use crate::line::{Fed, LineDiscipline};
use crate::terminal::Terminal;
use ordinal_engine::cluster::{Cluster, ClusterConfig};
use ordinal_kubectl::shell;

/// The default seed, so a script's transcript never changes unless the engine does.
pub const DEFAULT_SEED: u64 = 1;

/// Why a script could not be run (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// 1-based line of the script.
    pub line: usize,
    pub message: String,
}

/// One command of a script: the text as written (continuations kept) and what the shell runs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    written: String,
    command: String,
    heredocs: Vec<String>,
    line: usize,
    /// `# Ctrl+C after DURATION` on the next line: how long it runs before it is interrupted.
    interrupt_after: Option<u64>,
}

/// The duration of a `# Ctrl+C after DURATION` line.
fn ctrl_c_after(line: &str) -> Option<Option<u64>> {
    let rest = line
        .trim()
        .strip_prefix('#')?
        .trim()
        .strip_prefix("Ctrl+C after ")?;
    Some(crate::terminal::parse_duration_ms(rest.trim()))
}

fn split(script: &str) -> Result<Vec<Entry>, ScriptError> {
    let mut out: Vec<Entry> = Vec::new();
    let mut lines = LineDiscipline::default();
    // The 1-based line where the command being read began.
    let mut start = 0;
    for (i, line) in script.lines().enumerate() {
        if !lines.is_pending() {
            start = i + 1;
            let trimmed = line.trim();
            if let Some(after) = ctrl_c_after(trimmed) {
                match (after, out.last_mut()) {
                    (
                        Some(ms),
                        Some(Entry {
                            interrupt_after, ..
                        }),
                    ) if interrupt_after.is_none() => {
                        *interrupt_after = Some(ms);
                    }
                    _ => return Err(ScriptError {
                        line: start,
                        message:
                            "`# Ctrl+C after DURATION` follows a command, with a duration such as 5s"
                                .into(),
                    }),
                }
                continue;
            }
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
        }
        let Fed::Complete(command) = lines.feed(line) else {
            continue;
        };
        if let Err(e) = shell::parse_with_heredocs(&command.text, &command.bodies) {
            return Err(ScriptError {
                line: start,
                message: e.to_string(),
            });
        }
        out.push(Entry {
            written: command.written,
            command: command.text,
            heredocs: command.bodies,
            line: start,
            interrupt_after: None,
        });
    }
    if let Some(ended) = lines.end_of_input() {
        let message = match (ended.cut_heredoc, ended.unfinished) {
            (Some(delim), _) => {
                format!("here-document delimited by end-of-file (wanted `{delim}')")
            }
            (None, why) => why.unwrap_or_default(),
        };
        return Err(ScriptError {
            line: start,
            message,
        });
    }
    Ok(out)
}

/// Runs `script` on a fresh cluster seeded with `seed`. `files` are the files `-f` can name, relative to the
/// script's folder.
pub fn run(
    script: &str,
    files: BTreeMap<String, String>,
    seed: u64,
) -> Result<String, ScriptError> {
    run_with(script, files, seed, false)
}

/// [`run`], optionally with the cluster deferring its controllers' work as the browser's does
/// ([`Cluster::defer_work`]): each command then finishes what the last one left before it starts. The
/// transcript must be the same either way.
pub fn run_with(
    script: &str,
    files: BTreeMap<String, String>,
    seed: u64,
    deferred: bool,
) -> Result<String, ScriptError> {
    let entries = split(script)?;
    let mut cluster = Cluster::new(ClusterConfig {
        seed,
        ..ClusterConfig::default()
    });
    cluster.defer_work(deferred);
    let mut term = Terminal::default();
    term.ctx.files = files.into();
    let mut transcript = String::new();
    for e in entries {
        transcript.push_str("$ ");
        transcript.push_str(&e.written);
        transcript.push('\n');
        let Some(ms) = e.interrupt_after else {
            let printed = term.run(&mut cluster, &e.command, &e.heredocs);
            transcript.push_str(&printed.text);
            continue;
        };
        // Run in the foreground as the browser's terminal does, with the clock, until Ctrl+C.
        term.interactive = true;
        let printed = term.run(&mut cluster, &e.command, &e.heredocs);
        transcript.push_str(&printed.text);
        // As the page does: the cluster catches up at this instant, and a line waiting for it goes on.
        while cluster.pending() {
            cluster.finish_pending();
            transcript.push_str(&term.poll(&mut cluster));
        }
        if term.busy() {
            cluster.advance(ms);
            transcript.push_str(&term.poll(&mut cluster));
            if !transcript.ends_with('\n') {
                transcript.push('\n');
            }
            transcript.push_str("^C\n");
            transcript.push_str(&term.interrupt(&mut cluster).unwrap_or_default());
        }
        term.interactive = false;
        let _ = e.line;
    }
    Ok(transcript)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_continuations_and_heredocs() {
        let script = "# a comment\n\necho a \\\n  b\ncat <<EOF\nx\ny\nEOF\necho done\n";
        let t = run(script, BTreeMap::new(), DEFAULT_SEED).unwrap();
        assert_eq!(
            t,
            "$ echo a \\\n  b\na b\n$ cat <<EOF\nx\ny\nEOF\nx\ny\n$ echo done\ndone\n"
        );
    }

    #[test]
    fn ctrl_c_stops_a_command_after_its_time_on_the_clock() {
        let script = "kubectl run loop --image=busybox -i -t --rm --restart=Never -- sh -c \"while sleep 1; do date +%T; done\"\n# Ctrl+C after 4s\necho next\n";
        let t = run(script, BTreeMap::new(), DEFAULT_SEED).unwrap();
        let (head, tail) = t.split_once("^C\n").unwrap_or_else(|| panic!("{t}"));
        let ticks: Vec<&str> = head.lines().skip(1).filter(|l| l.len() == 8).collect();
        assert!((3..=4).contains(&ticks.len()), "{t}");
        assert_eq!(
            tail,
            "pod \"loop\" deleted from default namespace\n$ echo next\nnext\n"
        );
        let err = run("# Ctrl+C after 4s\n", BTreeMap::new(), DEFAULT_SEED).unwrap_err();
        assert_eq!(err.line, 1);
        let err = run(
            "echo a\n# Ctrl+C after soon\n",
            BTreeMap::new(),
            DEFAULT_SEED,
        )
        .unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn a_line_that_cannot_be_parsed_names_its_line() {
        let err = run(
            "echo ok\necho 'unterminated\n",
            BTreeMap::new(),
            DEFAULT_SEED,
        )
        .unwrap_err();
        assert_eq!(err.line, 2);
    }
}
