//! What the terminal panel shows above its input line: prompts with what was typed after them, and what the
//! commands printed, kept as a few runs of text rather than one element per line so a long `-w` watch costs one
//! growing text node. The scrollback is capped like a terminal emulator's: the oldest lines go first, so a watch
//! left running cannot grow memory without bound.

use std::collections::VecDeque;

/// Lines kept; older ones are dropped (xterm keeps 1024, many emulators a few thousand).
pub const MAX_LINES: usize = 2_000;

/// Characters kept, for output that is long without being many lines (`echo $(seq 100000)`).
pub const MAX_CHARS: usize = 400_000;

/// The prompt in front of a typed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// PS1 as the shell prints it: `student@ordinal:~$ `, or a container's `root@web-0:/# ` when attached.
    Primary(String),
    /// `> `, bash's PS2: a heredoc body, or a line continued with `\` or an open quote.
    Continuation,
}

impl Prompt {
    /// The prompt as plain text, as a transcript would show it.
    pub fn text(&self) -> String {
        match self {
            Prompt::Primary(text) => text.clone(),
            Prompt::Continuation => "> ".to_string(),
        }
    }
}

/// One run of the scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// A prompt and the line typed after it (ending with `^C` when it was interrupted).
    Input { prompt: Prompt, text: String },
    /// What commands wrote to stdout.
    Stdout(String),
    /// What commands wrote to stderr, shown apart.
    Stderr(String),
    /// Text typed while a command ran in the foreground: the terminal echoes it, and nothing reads it.
    Echo(String),
    /// A note that is not terminal output: an injected fault, a command run by a button while a watch runs.
    Note(String),
}

impl Chunk {
    fn text(&self) -> &str {
        match self {
            Chunk::Input { text, .. } => text,
            Chunk::Stdout(t) | Chunk::Stderr(t) | Chunk::Echo(t) | Chunk::Note(t) => t,
        }
    }

    fn text_mut(&mut self) -> &mut String {
        match self {
            Chunk::Input { text, .. } => text,
            Chunk::Stdout(t) | Chunk::Stderr(t) | Chunk::Echo(t) | Chunk::Note(t) => t,
        }
    }

    /// Lines this chunk ends (an input chunk always ends its line).
    fn lines(&self) -> usize {
        let n = self.text().matches('\n').count();
        match self {
            Chunk::Input { .. } => n + 1,
            _ => n,
        }
    }

    fn chars(&self) -> usize {
        let prompt = match self {
            Chunk::Input { prompt, .. } => prompt.text().len(),
            _ => 0,
        };
        self.text().len() + prompt
    }
}

/// The capped scrollback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scrollback {
    chunks: VecDeque<Chunk>,
    lines: usize,
    chars: usize,
    /// How many chunks have gone from the front: with the position, a stable key for each chunk.
    dropped: u64,
}

impl Scrollback {
    pub fn chunks(&self) -> impl Iterator<Item = &Chunk> {
        self.chunks.iter()
    }

    /// The chunks with a key that stays the same while a chunk is on screen, for keyed rendering.
    pub fn keyed(&self) -> impl Iterator<Item = (u64, &Chunk)> {
        (self.dropped..).zip(self.chunks.iter())
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// How many lines are kept.
    pub fn line_count(&self) -> usize {
        self.lines
    }

    /// Everything as plain text, prompts included, as a transcript would show it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.chunks {
            if let Chunk::Input { prompt, text } = c {
                out.push_str(&prompt.text());
                out.push_str(text);
                out.push('\n');
            } else {
                out.push_str(c.text());
            }
        }
        out
    }

    /// `clear`, Ctrl+L.
    pub fn clear(&mut self) {
        let dropped = self.dropped + self.chunks.len() as u64;
        *self = Scrollback {
            dropped,
            ..Scrollback::default()
        };
    }

    /// Adds a typed line after its prompt.
    pub fn input(&mut self, prompt: Prompt, text: &str) {
        self.push(Chunk::Input {
            prompt,
            text: text.replace(['\n', '\r'], " "),
        });
    }

    pub fn stdout(&mut self, text: &str) {
        self.append(Chunk::Stdout(String::new()), text);
    }

    pub fn stderr(&mut self, text: &str) {
        self.append(Chunk::Stderr(String::new()), text);
    }

    pub fn echo(&mut self, text: &str) {
        self.append(Chunk::Echo(String::new()), text);
    }

    /// A note on a line of its own (a newline is added when missing).
    pub fn note(&mut self, text: &str) {
        let mut t = text.to_string();
        if !t.ends_with('\n') {
            t.push('\n');
        }
        self.append(Chunk::Note(String::new()), &t);
    }

    /// Makes sure what follows starts on a new line (a watch's `^C`, a note after output without a newline).
    pub fn end_line(&mut self) {
        let open = self
            .chunks
            .back()
            .is_some_and(|c| !matches!(c, Chunk::Input { .. }) && !c.text().ends_with('\n'));
        if open {
            if let Some(last) = self.chunks.back_mut() {
                last.text_mut().push('\n');
                self.lines += 1;
                self.chars += 1;
            }
        }
    }

    /// Appends `text` to the last chunk when it is of the same kind as `empty`, else as a new chunk.
    fn append(&mut self, empty: Chunk, text: &str) {
        if text.is_empty() {
            return;
        }
        let same = self
            .chunks
            .back()
            .is_some_and(|last| std::mem::discriminant(last) == std::mem::discriminant(&empty));
        if same {
            if let Some(last) = self.chunks.back_mut() {
                last.text_mut().push_str(text);
                self.lines += text.matches('\n').count();
                self.chars += text.len();
            }
        } else {
            let mut chunk = empty;
            chunk.text_mut().push_str(text);
            self.push(chunk);
            return;
        }
        self.trim();
    }

    fn push(&mut self, chunk: Chunk) {
        self.lines += chunk.lines();
        self.chars += chunk.chars();
        self.chunks.push_back(chunk);
        self.trim();
    }

    /// Drops the oldest lines until the caps hold; the newest chunk is cut rather than dropped.
    fn trim(&mut self) {
        while self.lines > MAX_LINES || self.chars > MAX_CHARS {
            let Some(first) = self.chunks.front_mut() else {
                self.lines = 0;
                self.chars = 0;
                return;
            };
            let excess_lines = self.lines.saturating_sub(MAX_LINES);
            let excess_chars = self.chars.saturating_sub(MAX_CHARS);
            let (first_lines, first_chars) = (first.lines(), first.chars());
            let whole =
                (excess_lines > 0 && first_lines <= excess_lines) || first_chars <= excess_chars;
            if whole || matches!(first, Chunk::Input { .. }) {
                self.lines -= first_lines;
                self.chars -= first_chars;
                self.chunks.pop_front();
                self.dropped += 1;
                continue;
            }
            // Cut the front of this chunk: whole lines while there are too many lines, then characters.
            let text = first.text_mut();
            let mut cut = 0;
            if excess_lines > 0 {
                cut = text
                    .match_indices('\n')
                    .nth(excess_lines - 1)
                    .map_or(text.len(), |(i, _)| i + 1);
            }
            if excess_chars > cut {
                cut = excess_chars;
                while !text.is_char_boundary(cut) {
                    cut += 1;
                }
            }
            let removed = text[..cut].matches('\n').count();
            text.drain(..cut);
            self.lines -= removed;
            self.chars -= cut;
        }
    }
}

/// A command line as bash's history keeps it: lines continued because a quote or a `for` was still open are
/// joined onto one line (with `; ` where the newline ended a command, a space after `do`, `then`, `|`, `&&` …),
/// so recalling it fills a single-line input with something that runs the same.
pub fn one_line(command: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in command.chars() {
        if escaped {
            escaped = false;
            out.push(c);
            continue;
        }
        match (quote, c) {
            (None, '\n') => {
                let before = out.trim_end();
                let joiner = ["do", "then", "else", "{", "|", "&&", "||", "(", ";"]
                    .iter()
                    .any(|w| {
                        before.ends_with(w)
                            && (w.len() < 2
                                || !before[..before.len() - w.len()]
                                    .ends_with(|ch: char| ch.is_alphanumeric() || ch == '_'))
                    })
                    || before.is_empty();
                out.truncate(before.len());
                out.push_str(if joiner { " " } else { "; " });
                continue;
            }
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (Some('\''), _) => {}
            (_, '\\') => escaped = true,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A PS1 in its coloured parts, as Debian's bashrc colours it: `user@host`, `:`, the directory, and the rest
/// (`$ `, `# `). `None` when it is not of that shape.
pub fn prompt_parts(ps1: &str) -> Option<(&str, &str, &str)> {
    let (who, rest) = ps1.split_once(':')?;
    let end = rest.rfind(['$', '#'])?;
    who.contains('@')
        .then_some((who, &rest[..end], &rest[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ps1() -> Prompt {
        Prompt::Primary("student@ordinal:~$ ".into())
    }

    #[test]
    fn output_of_one_kind_runs_together() {
        let mut s = Scrollback::default();
        s.input(ps1(), "kubectl get pods -w");
        s.stdout("NAME    READY\n");
        s.stdout("web-0   0/1\n");
        s.stderr("oops\n");
        s.stdout("web-0   1/1\n");
        assert_eq!(s.chunks().count(), 4);
        assert_eq!(s.line_count(), 5);
        assert_eq!(
            s.text(),
            "student@ordinal:~$ kubectl get pods -w\nNAME    READY\nweb-0   0/1\noops\nweb-0   1/1\n"
        );
    }

    #[test]
    fn a_long_watch_keeps_only_the_newest_lines() {
        let mut s = Scrollback::default();
        s.input(ps1(), "kubectl get pods -w");
        for i in 0..3 * MAX_LINES {
            s.stdout(&format!("web-{i}   1/1     Running   0          5s\n"));
        }
        assert_eq!(s.line_count(), MAX_LINES);
        assert_eq!(s.text().lines().count(), MAX_LINES);
        assert!(s.text().ends_with(&format!(
            "web-{}   1/1     Running   0          5s\n",
            3 * MAX_LINES - 1
        )));
        assert!(
            !s.text().contains("kubectl get pods -w"),
            "the oldest lines went first"
        );
    }

    #[test]
    fn one_huge_line_is_cut_by_characters() {
        let mut s = Scrollback::default();
        s.stdout(&"é".repeat(MAX_CHARS));
        s.stdout("end\n");
        assert!(s.text().len() <= MAX_CHARS);
        assert!(s.text().ends_with("éend\n"));
    }

    #[test]
    fn end_line_and_notes_start_new_lines() {
        let mut s = Scrollback::default();
        s.stdout("no newline");
        s.end_line();
        s.note("# fault");
        s.end_line();
        assert_eq!(s.text(), "no newline\n# fault\n");
        s.clear();
        assert!(s.is_empty());
        assert_eq!(s.line_count(), 0);
    }

    #[test]
    fn history_keeps_continued_lines_on_one_line() {
        assert_eq!(
            one_line("for i in 0 1\ndo\necho $i\ndone"),
            "for i in 0 1; do echo $i; done"
        );
        assert_eq!(
            one_line("kubectl get pods |\ngrep web"),
            "kubectl get pods | grep web"
        );
        assert_eq!(one_line("echo 'a\nb'"), "echo 'a\nb'");
        assert_eq!(one_line("echo undo\necho x"), "echo undo; echo x");
    }

    #[test]
    fn prompts_split_into_their_coloured_parts() {
        assert_eq!(
            prompt_parts("student@ordinal:~$ "),
            Some(("student@ordinal", "~", "$ "))
        );
        assert_eq!(
            prompt_parts("root@web-0:/usr/share/nginx/html# "),
            Some(("root@web-0", "/usr/share/nginx/html", "# "))
        );
        assert_eq!(prompt_parts("/ # "), None);
    }
}
