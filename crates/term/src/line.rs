//! The line discipline: how lines typed at the prompt (or read from a script) become commands, as bash's reader
//! does it. A line ending in an unescaped `\` continues on the next one; a `<<DELIM` on a line makes the
//! following lines that here-document's body, up to the delimiter; an open quote, a `for` without `done` or a
//! trailing `&&` waits for more lines (PS2). Only a complete command comes out. The browser's terminal and the
//! transcript runner (`ordinal run`) both read through this one type, so a script and a learner typing the same
//! lines run the same commands.

use ordinal_kubectl::shell;

/// A complete command, ready for the shell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// What the shell runs: continued lines joined as bash joins them (a `\`-newline disappears, other line
    /// breaks stay), here-document bodies left out.
    pub text: String,
    /// The here-document bodies, in the order their `<<` appear.
    pub bodies: Vec<String>,
    /// Every line as it was typed, bodies and delimiters included, joined with newlines: what a transcript shows.
    pub written: String,
}

/// What one more line did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fed {
    /// The command goes on: the next line belongs to it (bash shows PS2).
    More,
    /// The command is complete.
    Complete(Command),
}

/// What the end of input (Ctrl+D, or the end of a script) made of an unfinished command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    /// The here-document that was being read when the input ended, by its delimiter: bash warns and ends it
    /// there (any later ones on the line end empty).
    pub cut_heredoc: Option<String>,
    /// The command as far as it came.
    pub command: Command,
    /// Why it still cannot run (an open quote, a missing `done`): the parser's own message. bash reports
    /// `syntax error: unexpected end of file`.
    pub unfinished: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Pending {
    command: Command,
    /// The last line ended in `\`: the next one continues it without a newline.
    backslash: bool,
    /// Delimiters whose bodies are still to be read; the first one is being read into `body`.
    awaiting: Vec<String>,
    body: String,
}

/// Collects lines into commands. See the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDiscipline {
    pending: Option<Pending>,
}

impl LineDiscipline {
    /// Whether a command is part-way typed (the prompt is PS2).
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Whether the next line is part of a here-document body (no completion, no history there).
    pub fn in_heredoc(&self) -> bool {
        self.pending
            .as_ref()
            .is_some_and(|p| !p.awaiting.is_empty())
    }

    /// Forgets the command being typed (Ctrl+C).
    pub fn cancel(&mut self) {
        self.pending = None;
    }

    /// Takes one line (without its newline).
    pub fn feed(&mut self, line: &str) -> Fed {
        let mut p = match self.pending.take() {
            Some(mut p) => {
                p.command.written.push('\n');
                p
            }
            None => Pending::default(),
        };
        p.command.written.push_str(line);
        if let Some(delimiter) = p.awaiting.first() {
            if line.trim_start_matches('\t') == delimiter {
                p.command.bodies.push(std::mem::take(&mut p.body));
                p.awaiting.remove(0);
            } else {
                p.body.push_str(line);
                p.body.push('\n');
            }
            if !p.awaiting.is_empty() {
                self.pending = Some(p);
                return Fed::More;
            }
        } else {
            let text = &mut p.command.text;
            if !p.backslash && !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
            p.backslash = false;
            if continues(text) {
                text.pop();
                p.backslash = true;
                self.pending = Some(p);
                return Fed::More;
            }
            let delimiters = shell::heredoc_delimiters(text);
            if delimiters.len() > p.command.bodies.len() {
                p.awaiting = delimiters[p.command.bodies.len()..]
                    .iter()
                    .map(|(d, _)| d.clone())
                    .collect();
                self.pending = Some(p);
                return Fed::More;
            }
        }
        match shell::parse_with_heredocs(&p.command.text, &p.command.bodies) {
            Err(e) if e.is_incomplete() => {
                self.pending = Some(p);
                Fed::More
            }
            _ => Fed::Complete(p.command),
        }
    }

    /// The input ended (Ctrl+D on an empty line, or the end of a script). `None` when no command was pending.
    pub fn end_of_input(&mut self) -> Option<Ended> {
        let mut p = self.pending.take()?;
        let cut_heredoc = p.awaiting.first().cloned();
        if cut_heredoc.is_some() {
            p.command.bodies.push(std::mem::take(&mut p.body));
            for _ in 1..p.awaiting.len() {
                p.command.bodies.push(String::new());
            }
        }
        let parsed = shell::parse_with_heredocs(&p.command.text, &p.command.bodies);
        let unfinished = match (parsed, cut_heredoc.is_some()) {
            (Err(e), _) if e.is_incomplete() => Some(e.to_string()),
            // A here-document cut short still runs (any other syntax error is the shell's to report).
            (_, true) => None,
            (Err(e), false) => Some(e.to_string()),
            // Only a trailing `\` was left waiting.
            (Ok(_), false) => Some("a line ends in '\\' but no line follows".to_string()),
        };
        Some(Ended {
            cut_heredoc,
            command: p.command,
            unfinished,
        })
    }
}

/// Whether a line ends in an unescaped backslash, which continues it on the next line.
fn continues(line: &str) -> bool {
    line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_all(lines: &[&str]) -> (LineDiscipline, Vec<Fed>) {
        let mut d = LineDiscipline::default();
        let fed = lines.iter().map(|l| d.feed(l)).collect();
        (d, fed)
    }

    fn complete(text: &str, bodies: &[&str], written: &str) -> Fed {
        Fed::Complete(Command {
            text: text.into(),
            bodies: bodies.iter().map(|b| b.to_string()).collect(),
            written: written.into(),
        })
    }

    #[test]
    fn a_backslash_joins_the_next_line_without_a_newline() {
        let (d, fed) = feed_all(&["echo a \\", "  b"]);
        assert_eq!(
            fed,
            [Fed::More, complete("echo a   b", &[], "echo a \\\n  b")]
        );
        assert!(!d.is_pending());
        // An escaped backslash does not continue.
        assert_eq!(
            feed_all(&["echo a\\\\"]).1,
            [complete("echo a\\\\", &[], "echo a\\\\")]
        );
        assert!(continues("kubectl get \\"));
        assert!(!continues("echo \\\\"));
        assert!(continues("echo \\\\\\"));
        assert!(!continues(""));
    }

    #[test]
    fn heredoc_bodies_are_read_up_to_their_delimiters() {
        let (_, fed) = feed_all(&["cat <<EOF; cat <<-END", "x", "EOF", "\ty", "\tEND"]);
        assert_eq!(fed[..4], [Fed::More, Fed::More, Fed::More, Fed::More]);
        assert_eq!(
            fed[4],
            complete(
                "cat <<EOF; cat <<-END",
                &["x\n", "\ty\n"],
                "cat <<EOF; cat <<-END\nx\nEOF\n\ty\n\tEND"
            )
        );
    }

    #[test]
    fn an_unfinished_construct_waits_for_more_lines() {
        let (d, fed) = feed_all(&["for i in 1 2", "do echo $i", "done"]);
        assert_eq!(fed[..2], [Fed::More, Fed::More]);
        assert_eq!(
            fed[2],
            complete(
                "for i in 1 2\ndo echo $i\ndone",
                &[],
                "for i in 1 2\ndo echo $i\ndone"
            )
        );
        assert!(!d.is_pending());
        let (d, fed) = feed_all(&["echo 'open"]);
        assert_eq!(fed, [Fed::More]);
        assert!(d.is_pending() && !d.in_heredoc());
    }

    #[test]
    fn end_of_input_cuts_a_heredoc_or_reports_an_unfinished_command() {
        let (mut d, _) = feed_all(&["cat <<EOF <<END", "x"]);
        assert!(d.in_heredoc());
        let ended = d.end_of_input().unwrap_or_else(|| panic!("pending"));
        assert_eq!(ended.cut_heredoc.as_deref(), Some("EOF"));
        assert_eq!(ended.command.bodies, ["x\n", ""]);
        assert_eq!(ended.unfinished, None);
        assert!(d.end_of_input().is_none());

        let (mut d, _) = feed_all(&["echo 'open"]);
        let ended = d.end_of_input().unwrap_or_else(|| panic!("pending"));
        assert_eq!(ended.cut_heredoc, None);
        assert!(ended.unfinished.is_some());
    }

    #[test]
    fn cancel_forgets_the_pending_command() {
        let (mut d, _) = feed_all(&["echo \\"]);
        d.cancel();
        assert!(!d.is_pending());
        assert_eq!(d.feed("echo b"), complete("echo b", &[], "echo b"));
    }
}
