//! A small, panic-free subset of the POSIX shell for what learners type into the terminal. The tutorials lean on a
//! handful of shell features (`kubectl -n $(id -un) …`, `for i in 0 1; do … done`, `alias kubectl="…"`,
//! `cat <<EOF | kubectl apply -f -`, `&&`), and a browser has no shell to hand them to. This module does no I/O:
//! [`parse`] turns text into a [`Script`], and [`Shell::execute`] runs it, keeping variables and aliases and sending
//! every command that is not a builtin to a [`Host`] the caller supplies. That is how the same code serves the
//! browser terminal, the native transcript runner and `sh -c '…'` inside simulated containers (a container's host
//! implements [`Host::write_file`]; the learner's terminal keeps the default, which refuses).
//!
//! The subset covers the replicated-MySQL tutorial's scripts and the usual one-liners: `if/elif/else`,
//! `while`/`until` with `break` and `continue`, `case … esac` (with `;&` and `;;&`), `{ …; }`, `( … )`
//! subshells, `[[ … ]]` (file tests through [`Host::file_kind`], string and numeric comparisons, `==` globs, `=~`
//! with `BASH_REMATCH`), `test`/`[`, `$((…))`, the parameter operators (`${a:-b}`, `${a#*.}`, `${a/x/y}`,
//! `${a:1:2}`, `${a^^}` …), `set -e`/`-x`/`-o pipefail`, `$(<file)`, `read` (`while read line; do …; done <
//! file`: each `read` consumes its stdin line by line) and bash's `printf`. What is outside it (`&`, functions,
//! `${!a}`, globbing) is refused with a message rather than half-run.

pub use interpreter::{FileKind, Host, Job, JobState, Output, Shell, Stream, Wait};

/// How deeply `$(…)`, backquotes, `for` loops and alias expansions may nest, so hostile input ends in an error
/// instead of a stack overflow.
const MAX_DEPTH: usize = 32;

/// How many commands one [`Shell::execute`] runs at most: a runaway loop stops instead of freezing the page.
const MAX_COMMANDS: usize = 100_000;

/// How many numbers `seq` prints at most, for the same reason.
const MAX_SEQ: i128 = 100_000;

/// Why a line could not be parsed (or, for [`ShellError::TooDeep`], run). `Display` prints what bash prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// A quote, backquote, `$(` or `${` was opened and the input ended before it closed; the char is the closer.
    #[error("bash: unexpected EOF while looking for matching `{0}'")]
    Unterminated(char),
    /// The input ended inside a construct: `for` without `done`, a trailing `&&`, `||` or `|`.
    #[error("bash: syntax error: unexpected end of file")]
    UnexpectedEof,
    /// A token where the grammar allows none (`;;`, a leading `|`, `done` after an empty loop body).
    #[error("bash: syntax error near unexpected token `{0}'")]
    UnexpectedToken(String),
    /// `for` followed by something that is not a variable name.
    #[error("bash: `{0}': not a valid identifier")]
    InvalidIdentifier(String),
    /// `${…}` around something that is not a parameter name.
    #[error("bash: {0}: bad substitution")]
    BadSubstitution(String),
    /// Valid bash outside the subset (`if`, `while`, `&`, `$((…))`, subshells, `${a:-b}`).
    #[error("bash: {0} is not supported in this terminal")]
    Unsupported(String),
    /// Nesting deeper than the shell allows, from the input or from aliases that expand into each other.
    #[error("bash: expansion nested too deeply")]
    TooDeep,
    /// An arithmetic expansion that cannot be evaluated: bash's message after `bash: `.
    #[error("bash: {0}")]
    Arithmetic(String),
    /// `${NAME:?WORD}` of an unset or empty parameter: `NAME: WORD` (status 1).
    #[error("bash: {0}")]
    Expansion(String),
}

impl ShellError {
    /// Whether more input could complete the command (an open quote or `$(`, `for` without `done`, a trailing
    /// `&&` or `|`), so a terminal may show a continuation prompt instead of the error.
    pub fn is_incomplete(&self) -> bool {
        matches!(self, Self::Unterminated(_) | Self::UnexpectedEof)
    }
}

/// A parsed command line: and-or lists run one after another (`a; b && c`). A `for` body is a `Script` too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    pub lists: Vec<AndOrList>,
}

impl Script {
    /// True for a blank line or a comment: there is nothing to run.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }
}

/// Pipelines joined by `&&` and `||`, left to right: each connector looks at the status so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOrList {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

/// `&&` runs the next pipeline after success, `||` after failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// Commands joined by `|`: each one's stdout is the next one's stdin; the status is the last one's, inverted by
/// a leading `!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub negated: bool,
    pub commands: Vec<Command>,
}

/// One element of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(SimpleCommand),
    For(ForLoop),
    If(IfCommand),
    Loop(LoopCommand),
    Group(Group),
    /// `( LIST )`: the list runs in a subshell.
    Subshell(Group),
    Case(CaseCommand),
    Cond(CondExpr),
}

/// `case WORD in PATTERN[|PATTERN]…) LIST ;; … esac`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCommand {
    pub word: Word,
    pub items: Vec<CaseItem>,
    pub redirects: Vec<Redirect>,
}

/// One `PATTERNS) LIST` of a `case`, and how it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseItem {
    pub patterns: Vec<Word>,
    pub body: Script,
    pub end: CaseEnd,
}

/// `;;` ends the `case`; `;&` runs the next item's list as well; `;;&` goes on testing the next patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseEnd {
    Break,
    FallThrough,
    TestNext,
}

/// `if COND; then BODY; [elif COND; then BODY;]… [else BODY;] fi`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfCommand {
    pub branches: Vec<(Script, Script)>,
    pub otherwise: Option<Script>,
    pub redirects: Vec<Redirect>,
}

/// `while COND; do BODY; done`, or `until` when `until` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopCommand {
    pub until: bool,
    pub condition: Script,
    pub body: Script,
    pub redirects: Vec<Redirect>,
}

/// `{ LIST; }`, run in the current shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub body: Script,
    pub redirects: Vec<Redirect>,
}

/// The expression inside `[[ … ]]`. Its words are expanded without splitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondExpr {
    Not(Box<CondExpr>),
    And(Box<CondExpr>, Box<CondExpr>),
    Or(Box<CondExpr>, Box<CondExpr>),
    /// `-f word`, `-z word`, …
    Unary(String, Word),
    /// `word == pattern`, `word -eq word`, `word =~ regex`, …
    Binary(Word, String, Word),
    /// A lone word: true when it is not empty.
    Single(Word),
}

/// `NAME=value … word … > target`: with no words, the assignments set shell variables; with words, they are the
/// command's environment only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    pub assignments: Vec<Assignment>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// `NAME=value`; the value expands without word splitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: Word,
}

/// `for NAME in WORDS; do BODY; done`. `words` is `None` for `for NAME; do …`, which iterates over the (always
/// empty) positional parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForLoop {
    pub name: String,
    pub words: Option<Vec<Word>>,
    pub body: Script,
    pub redirects: Vec<Redirect>,
}

/// One shell word, with its quoting kept: expansion needs to know what was quoted to decide what splits and
/// whether an empty result is still an argument.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    pub parts: Vec<WordPart>,
}

/// A piece of a [`Word`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPart {
    /// Unquoted text. It never splits (only expansions do); it is what aliases and reserved words match.
    Literal(String),
    /// Quoted or backslash-escaped text: never split, never an alias or reserved word, and a word made only of
    /// `""` is still an (empty) argument.
    Quoted(String),
    /// `$NAME`, `${NAME}` or a special parameter (`$?`, `$$`, `$1`); `quoted` when inside double quotes.
    Param {
        name: String,
        braced: bool,
        quoted: bool,
    },
    /// `$(…)` or a backquoted command; `source` is the text as written.
    CommandSubst {
        script: Script,
        source: String,
        quoted: bool,
    },
    /// `${NAME OP WORD}`: a parameter operator; `arg2` is the replacement of `/PATTERN/STRING` or the length of
    /// `:OFFSET:LENGTH`. `source` is the text as written.
    ParamOp {
        name: String,
        op: ParamOp,
        arg: Word,
        arg2: Option<Word>,
        source: String,
        quoted: bool,
    },
    /// `$((…))`: the expression, expanded like double-quoted text, then evaluated.
    Arith {
        expr: Word,
        source: String,
        quoted: bool,
    },
}

/// What a `${NAME OP WORD}` does with the parameter (bash's manual, "Shell Parameter Expansion").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    /// `-`, `:-`: the word when unset (or, with `:`, empty).
    Default { colon: bool },
    /// `=`, `:=`: as `-`, and the variable is set to it.
    Assign { colon: bool },
    /// `+`, `:+`: the word when set (and, with `:`, not empty), else nothing.
    Alternative { colon: bool },
    /// `?`, `:?`: an error naming the parameter when unset (or empty).
    Error { colon: bool },
    /// `#`, `##`: without the shortest or longest prefix matching the pattern.
    RemovePrefix { longest: bool },
    /// `%`, `%%`: without the shortest or longest matching suffix.
    RemoveSuffix { longest: bool },
    /// `/`, `//`, `/#`, `/%`: the first, every, a leading or a trailing match replaced.
    Replace { all: bool, anchor: Option<char> },
    /// `:OFFSET`, `:OFFSET:LENGTH`.
    Substring,
    /// `^`, `^^`, `,`, `,,`: the first or every character upper- or lower-cased.
    Case { upper: bool, all: bool },
}

/// A redirection, kept in the AST so each [`Host`] decides what a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// `> target`, `>> target`, `2> target` (`fd` is 1 or 2).
    Output { fd: u32, target: Word, append: bool },
    /// `< target`.
    Input { target: Word },
    /// `2>&1`, `>&2`: `fd` goes wherever `to` goes at this point (both are 1 or 2).
    Duplicate { fd: u32, to: u32 },
    /// `<<DELIM`, `<<'DELIM'`, `<<-DELIM`. With a quoted delimiter `body` is one quoted part; otherwise `$` and
    /// backquotes expand in it, as in double quotes.
    HereDoc {
        delimiter: String,
        quoted: bool,
        strip_tabs: bool,
        body: Word,
    },
    /// `<<< word`: the expanded word and a newline are the command's stdin.
    HereString { target: Word },
}

impl Word {
    /// The text of a word that is one unquoted literal: only such a word can be an alias or a reserved word.
    fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Literal(s)] => Some(s),
            _ => None,
        }
    }

    /// The word with quotes removed and nothing expanded: `$X` and `$(…)` stay as written.
    fn as_written(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                WordPart::Literal(s) | WordPart::Quoted(s) => out.push_str(s),
                WordPart::Param {
                    name, braced: true, ..
                } => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
                WordPart::Param { name, .. } => {
                    out.push('$');
                    out.push_str(name);
                }
                WordPart::CommandSubst { source, .. }
                | WordPart::Arith { source, .. }
                | WordPart::ParamOp { source, .. } => out.push_str(source),
            }
        }
        out
    }
}

/// Whether `s` is a variable name: a letter or `_`, then letters, digits or `_`.
fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Parses one command line (which may span several lines, e.g. a `for` loop typed over three lines, or a
/// here-document followed by its body). Here-documents whose body is not in `input` get an empty body; use
/// [`parse_with_heredocs`] to supply them.
pub fn parse(input: &str) -> Result<Script, ShellError> {
    parse_with_heredocs(input, &[])
}

/// Like [`parse`], with the bodies of the here-documents that [`heredoc_delimiters`] reported for `input`, in
/// order. Each body is the lines between the command and the delimiter line, joined with `\n` (a final newline
/// is added when missing); for `<<-` leading tabs are stripped here.
pub fn parse_with_heredocs(input: &str, bodies: &[String]) -> Result<Script, ShellError> {
    parser::parse_at_depth(input, bodies, 0)
}

/// The here-documents opened in `line` whose bodies are not in `line` itself, as (delimiter, quoted) in order:
/// a terminal reading line by line collects one body per entry, up to a line equal to the delimiter, then calls
/// [`parse_with_heredocs`]. `quoted` (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) means the body will not be expanded.
pub fn heredoc_delimiters(line: &str) -> Vec<(String, bool)> {
    let mut lexer = lexer::Lexer::new(line, 0);
    // A syntax error later in the line does not change which bodies to collect; `parse` reports it afterwards.
    let _ = lexer.run();
    lexer
        .heredocs
        .into_iter()
        .filter(|h| h.body.is_none())
        .map(|h| (h.delimiter, h.quoted))
        .collect()
}

/// Splits `s` into words as the shell's lexer does, with quotes and backslashes removed and nothing expanded
/// (`$X` and `$(…)` come back as written). Operators come back as their own words (`|`, `;`, `>`, `2`, `>&`),
/// and a newline as `;`. Meant for `sh -c 'CMD'` strings handed to simulated containers.
pub fn split_words(s: &str) -> Result<Vec<String>, ShellError> {
    let mut lexer = lexer::Lexer::new(s, 0);
    lexer.run()?;
    let mut words = Vec::new();
    for token in &lexer.tokens {
        match token {
            lexer::Token::Word { word, .. } => words.push(word.as_written()),
            lexer::Token::Op(op) => words.push(op.symbol().to_owned()),
            lexer::Token::IoNumber(n) => words.push(n.to_string()),
            lexer::Token::Newline => words.push(";".to_owned()),
            lexer::Token::HereDoc(id) => {
                if let Some(h) = lexer.heredocs.get(*id) {
                    words.push(if h.strip_tabs { "<<-" } else { "<<" }.to_owned());
                    words.push(h.delimiter.clone());
                }
            }
        }
    }
    Ok(words)
}

mod lexer {
    //! The lexer turns text into words and operators. It is separate from the parser because quoting decides where
    //! a word ends and which of its parts expand later, and because here-document bodies are read by line, between
    //! tokens, where only the lexer is. It keeps quoting in each [`Word`]'s parts instead of removing it, since
    //! expansion needs it (split or not, keep an empty `""` or not). A `$(…)` is found by scanning for its matching
    //! parenthesis and parsed right away, recursively, so its errors surface with the rest of the line's.

    use super::{parser, ParamOp, ShellError, Word, WordPart};

    /// An operator token. `DoubleLess` and `DoubleLessDash` never reach the parser: they become
    /// [`Token::HereDoc`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Op {
        Semi,
        DoubleSemi,
        /// `;&` and `;;&`: the ends of a `case` item that go on to the next one.
        SemiAnd,
        DoubleSemiAnd,
        AndIf,
        OrIf,
        Pipe,
        Amp,
        Less,
        DoubleLess,
        DoubleLessDash,
        TripleLess,
        Great,
        DoubleGreat,
        GreatAnd,
        AndGreat,
        AndDoubleGreat,
        LParen,
        RParen,
    }

    impl Op {
        pub(super) fn symbol(self) -> &'static str {
            match self {
                Op::Semi => ";",
                Op::DoubleSemi => ";;",
                Op::SemiAnd => ";&",
                Op::DoubleSemiAnd => ";;&",
                Op::AndIf => "&&",
                Op::OrIf => "||",
                Op::Pipe => "|",
                Op::Amp => "&",
                Op::Less => "<",
                Op::DoubleLess => "<<",
                Op::DoubleLessDash => "<<-",
                Op::TripleLess => "<<<",
                Op::Great => ">",
                Op::DoubleGreat => ">>",
                Op::GreatAnd => ">&",
                Op::AndGreat => "&>",
                Op::AndDoubleGreat => "&>>",
                Op::LParen => "(",
                Op::RParen => ")",
            }
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) enum Token {
        /// A word and its source text (for error messages).
        Word {
            word: Word,
            raw: String,
        },
        Op(Op),
        /// The digits of `2>`: a file descriptor, not a word.
        IoNumber(u32),
        /// A here-document operator and its delimiter; the index is into [`Lexer::heredocs`].
        HereDoc(usize),
        Newline,
    }

    impl Token {
        /// How bash names the token in `syntax error near unexpected token`.
        pub(super) fn display(&self) -> String {
            match self {
                Token::Word { raw, .. } => raw.clone(),
                Token::Op(op) => op.symbol().to_owned(),
                Token::IoNumber(n) => n.to_string(),
                Token::HereDoc(_) => "<<".to_owned(),
                Token::Newline => "newline".to_owned(),
            }
        }

        pub(super) fn plain(&self) -> Option<&str> {
            match self {
                Token::Word { word, .. } => word.plain(),
                _ => None,
            }
        }
    }

    /// A here-document as the lexer saw it; `body` is `None` until its lines have been read.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) struct HereDocSpec {
        pub(super) delimiter: String,
        pub(super) quoted: bool,
        pub(super) strip_tabs: bool,
        pub(super) body: Option<String>,
    }

    fn is_meta(c: char) -> bool {
        matches!(
            c,
            ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
        )
    }

    /// Collects word parts, merging neighbours of the same kind.
    #[derive(Default)]
    struct Parts(Vec<WordPart>);

    impl Parts {
        fn literal(&mut self, c: char) {
            match self.0.last_mut() {
                Some(WordPart::Literal(s)) => s.push(c),
                _ => self.0.push(WordPart::Literal(c.to_string())),
            }
        }

        fn quoted(&mut self, text: &str) {
            match self.0.last_mut() {
                Some(WordPart::Quoted(s)) => s.push_str(text),
                _ => self.0.push(WordPart::Quoted(text.to_owned())),
            }
        }

        fn quoted_char(&mut self, c: char) {
            self.quoted(c.encode_utf8(&mut [0; 4]));
        }
    }

    pub(super) struct Lexer {
        chars: Vec<char>,
        pos: usize,
        depth: usize,
        pub(super) tokens: Vec<Token>,
        pub(super) heredocs: Vec<HereDocSpec>,
        /// Here-documents whose bodies start after the next newline.
        pending: Vec<usize>,
    }

    impl Lexer {
        pub(super) fn new(input: &str, depth: usize) -> Self {
            Lexer {
                chars: input.chars().collect(),
                pos: 0,
                depth,
                tokens: Vec::new(),
                heredocs: Vec::new(),
                pending: Vec::new(),
            }
        }

        fn peek(&self) -> Option<char> {
            self.chars.get(self.pos).copied()
        }

        fn at(&self, i: usize) -> Option<char> {
            self.chars.get(i).copied()
        }

        fn text(&self, from: usize, to: usize) -> String {
            self.chars
                .get(from..to)
                .map(|s| s.iter().collect())
                .unwrap_or_default()
        }

        /// Tokenizes the whole input into `tokens`.
        pub(super) fn run(&mut self) -> Result<(), ShellError> {
            loop {
                self.skip_blanks();
                let Some(c) = self.peek() else {
                    return Ok(());
                };
                if c == '#' {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.pos += 1;
                    }
                    continue;
                }
                if c == '\n' {
                    self.pos += 1;
                    self.tokens.push(Token::Newline);
                    self.read_heredoc_bodies();
                    continue;
                }
                if let Some((op, len)) = self.operator() {
                    self.pos += len;
                    match op {
                        Op::DoubleLess => self.heredoc(false)?,
                        Op::DoubleLessDash => self.heredoc(true)?,
                        _ => self.tokens.push(Token::Op(op)),
                    }
                    continue;
                }
                if let Some(n) = self.io_number() {
                    self.tokens.push(Token::IoNumber(n));
                    continue;
                }
                let start = self.pos;
                let word = self.word()?;
                if self.pos == start {
                    // Cannot happen (every branch of `word` consumes), but never loop forever.
                    self.pos += 1;
                    continue;
                }
                let raw = self.text(start, self.pos);
                self.tokens.push(Token::Word { word, raw });
            }
        }

        /// Skips spaces, tabs and backslash-newline line continuations.
        fn skip_blanks(&mut self) {
            loop {
                match (self.peek(), self.at(self.pos + 1)) {
                    (Some(' ' | '\t'), _) => self.pos += 1,
                    (Some('\\'), Some('\n')) => self.pos += 2,
                    _ => return,
                }
            }
        }

        fn operator(&self) -> Option<(Op, usize)> {
            let next = self.at(self.pos + 1);
            let after = self.at(self.pos + 2);
            Some(match self.peek()? {
                ';' if next == Some(';') && after == Some('&') => (Op::DoubleSemiAnd, 3),
                ';' if next == Some(';') => (Op::DoubleSemi, 2),
                ';' if next == Some('&') => (Op::SemiAnd, 2),
                ';' => (Op::Semi, 1),
                '&' => match (next, after) {
                    (Some('&'), _) => (Op::AndIf, 2),
                    (Some('>'), Some('>')) => (Op::AndDoubleGreat, 3),
                    (Some('>'), _) => (Op::AndGreat, 2),
                    _ => (Op::Amp, 1),
                },
                '|' if next == Some('|') => (Op::OrIf, 2),
                '|' => (Op::Pipe, 1),
                '<' => match (next, after) {
                    (Some('<'), Some('<')) => (Op::TripleLess, 3),
                    (Some('<'), Some('-')) => (Op::DoubleLessDash, 3),
                    (Some('<'), _) => (Op::DoubleLess, 2),
                    _ => (Op::Less, 1),
                },
                '>' => match next {
                    Some('>') => (Op::DoubleGreat, 2),
                    Some('&') => (Op::GreatAnd, 2),
                    // `>|` overrides noclobber, which this shell does not have.
                    Some('|') => (Op::Great, 2),
                    _ => (Op::Great, 1),
                },
                '(' => (Op::LParen, 1),
                ')' => (Op::RParen, 1),
                _ => return None,
            })
        }

        /// The digits of `2>` or `0<`, consumed; `None` (nothing consumed) for any other word.
        fn io_number(&mut self) -> Option<u32> {
            let mut i = self.pos;
            while matches!(self.at(i), Some(c) if c.is_ascii_digit()) {
                i += 1;
            }
            if i == self.pos || !matches!(self.at(i), Some('<' | '>')) {
                return None;
            }
            let n = self.text(self.pos, i).parse().ok()?;
            self.pos = i;
            Some(n)
        }

        fn word(&mut self) -> Result<Word, ShellError> {
            let mut parts = Parts::default();
            while let Some(c) = self.peek() {
                if is_meta(c) {
                    break;
                }
                match c {
                    '\\' => match self.at(self.pos + 1) {
                        Some('\n') => self.pos += 2,
                        Some(escaped) => {
                            parts.quoted_char(escaped);
                            self.pos += 2;
                        }
                        // A trailing backslash stays, as in `bash -c 'echo a\'`.
                        None => {
                            parts.literal('\\');
                            self.pos += 1;
                        }
                    },
                    '\'' => {
                        self.pos += 1;
                        let text = self.until_single_quote()?;
                        parts.quoted(&text);
                    }
                    '"' => {
                        self.pos += 1;
                        parts.quoted("");
                        self.quoted_text(&mut parts, false)?;
                    }
                    '$' => self.dollar(&mut parts, false)?,
                    '`' => self.backquote(&mut parts, false)?,
                    _ => {
                        parts.literal(c);
                        self.pos += 1;
                    }
                }
            }
            Ok(Word { parts: parts.0 })
        }

        /// Reads up to the closing `'` (consumed), which must exist.
        fn until_single_quote(&mut self) -> Result<String, ShellError> {
            let mut text = String::new();
            loop {
                match self.peek() {
                    None => return Err(ShellError::Unterminated('\'')),
                    Some('\'') => {
                        self.pos += 1;
                        return Ok(text);
                    }
                    Some(c) => {
                        text.push(c);
                        self.pos += 1;
                    }
                }
            }
        }

        /// Double-quoted text up to the closing `"` (consumed), or a whole unquoted here-document body
        /// (`heredoc`), where `"` is ordinary and the text ends with the input.
        fn quoted_text(&mut self, parts: &mut Parts, heredoc: bool) -> Result<(), ShellError> {
            loop {
                let Some(c) = self.peek() else {
                    return if heredoc {
                        Ok(())
                    } else {
                        Err(ShellError::Unterminated('"'))
                    };
                };
                match c {
                    '"' if !heredoc => {
                        self.pos += 1;
                        return Ok(());
                    }
                    '\\' => match self.at(self.pos + 1) {
                        Some('\n') => self.pos += 2,
                        Some(e @ ('$' | '`' | '\\')) => {
                            parts.quoted_char(e);
                            self.pos += 2;
                        }
                        Some('"') if !heredoc => {
                            parts.quoted_char('"');
                            self.pos += 2;
                        }
                        // Before any other character the backslash is kept: "a\qb" is a\qb.
                        _ => {
                            parts.quoted_char('\\');
                            self.pos += 1;
                        }
                    },
                    '$' => self.dollar(parts, true)?,
                    '`' => self.backquote(parts, true)?,
                    _ => {
                        parts.quoted_char(c);
                        self.pos += 1;
                    }
                }
            }
        }

        /// `$NAME`, `${NAME}`, `$?`, `$(…)`, or a lone `$`, which is literal.
        fn dollar(&mut self, parts: &mut Parts, quoted: bool) -> Result<(), ShellError> {
            let start = self.pos;
            match self.at(self.pos + 1) {
                Some('(') => {
                    if self.at(self.pos + 2) == Some('(') {
                        let open = self.pos + 3;
                        let mut depth = 0usize;
                        let mut end = open;
                        loop {
                            match self.at(end) {
                                None => return Err(ShellError::Unterminated(')')),
                                Some('(') => depth += 1,
                                Some(')') if depth > 0 => depth -= 1,
                                Some(')') if self.at(end + 1) == Some(')') => break,
                                Some(')') => return Err(ShellError::Unterminated(')')),
                                _ => {}
                            }
                            end += 1;
                        }
                        let inner = self.text(open, end);
                        let expr = heredoc_word(&inner, false, self.depth + 1)?;
                        self.pos = end + 2;
                        parts.0.push(WordPart::Arith {
                            expr,
                            source: self.text(start, self.pos),
                            quoted,
                        });
                        return Ok(());
                    }
                    let open = self.pos + 2;
                    let close = scan_command_substitution(&self.chars, open)?;
                    let inner = self.text(open, close);
                    let script = parser::parse_at_depth(&inner, &[], self.depth + 1)?;
                    self.pos = close + 1;
                    parts.0.push(WordPart::CommandSubst {
                        script,
                        source: self.text(start, self.pos),
                        quoted,
                    });
                }
                Some('{') => {
                    let open = self.pos + 2;
                    let close = scan_brace(&self.chars, open)?;
                    let inner = self.text(open, close);
                    self.pos = close + 1;
                    let source = self.text(start, self.pos);
                    parts
                        .0
                        .push(param_expansion(&inner, source, quoted, self.depth)?);
                }
                Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                    let mut end = self.pos + 1;
                    while matches!(self.at(end), Some(c) if c == '_' || c.is_ascii_alphanumeric()) {
                        end += 1;
                    }
                    parts.0.push(WordPart::Param {
                        name: self.text(self.pos + 1, end),
                        braced: false,
                        quoted,
                    });
                    self.pos = end;
                }
                Some(c)
                    if c.is_ascii_digit()
                        || matches!(c, '?' | '$' | '#' | '@' | '*' | '!' | '-') =>
                {
                    parts.0.push(WordPart::Param {
                        name: c.to_string(),
                        braced: false,
                        quoted,
                    });
                    self.pos += 2;
                }
                _ => {
                    if quoted {
                        parts.quoted_char('$');
                    } else {
                        parts.literal('$');
                    }
                    self.pos += 1;
                }
            }
            Ok(())
        }

        /// `` `…` ``: the old command substitution. Inside it, a backslash escapes `` ` ``, `\` and `$` (and `"`
        /// when the backquotes are inside double quotes); the rest is parsed like `$(…)`.
        fn backquote(
            &mut self,
            parts: &mut Parts,
            in_double_quotes: bool,
        ) -> Result<(), ShellError> {
            let start = self.pos;
            self.pos += 1;
            let mut inner = String::new();
            loop {
                match self.peek() {
                    None => return Err(ShellError::Unterminated('`')),
                    Some('`') => {
                        self.pos += 1;
                        break;
                    }
                    Some('\\') => match self.at(self.pos + 1) {
                        Some(e @ ('`' | '\\' | '$')) => {
                            inner.push(e);
                            self.pos += 2;
                        }
                        Some('"') if in_double_quotes => {
                            inner.push('"');
                            self.pos += 2;
                        }
                        _ => {
                            inner.push('\\');
                            self.pos += 1;
                        }
                    },
                    Some(c) => {
                        inner.push(c);
                        self.pos += 1;
                    }
                }
            }
            let script = parser::parse_at_depth(&inner, &[], self.depth + 1)?;
            parts.0.push(WordPart::CommandSubst {
                script,
                source: self.text(start, self.pos),
                quoted: in_double_quotes,
            });
            Ok(())
        }

        /// After `<<` or `<<-`: reads the delimiter and registers a body to collect after the next newline.
        fn heredoc(&mut self, strip_tabs: bool) -> Result<(), ShellError> {
            while matches!(self.peek(), Some(' ' | '\t')) {
                self.pos += 1;
            }
            match self.peek() {
                None | Some('\n') => return Err(ShellError::UnexpectedToken("newline".to_owned())),
                Some(_) => {
                    if let Some((op, _)) = self.operator() {
                        return Err(ShellError::UnexpectedToken(op.symbol().to_owned()));
                    }
                }
            }
            let (delimiter, quoted) = self.heredoc_delimiter()?;
            let id = self.heredocs.len();
            self.heredocs.push(HereDocSpec {
                delimiter,
                quoted,
                strip_tabs,
                body: None,
            });
            self.pending.push(id);
            self.tokens.push(Token::HereDoc(id));
            Ok(())
        }

        /// The delimiter word with quotes removed and nothing expanded, and whether any of it was quoted.
        fn heredoc_delimiter(&mut self) -> Result<(String, bool), ShellError> {
            let mut text = String::new();
            let mut quoted = false;
            while let Some(c) = self.peek() {
                if is_meta(c) {
                    break;
                }
                match c {
                    '\'' => {
                        quoted = true;
                        self.pos += 1;
                        text.push_str(&self.until_single_quote()?);
                    }
                    '"' => {
                        quoted = true;
                        self.pos += 1;
                        loop {
                            match self.peek() {
                                None => return Err(ShellError::Unterminated('"')),
                                Some('"') => {
                                    self.pos += 1;
                                    break;
                                }
                                Some('\\')
                                    if matches!(
                                        self.at(self.pos + 1),
                                        Some('"' | '\\' | '$' | '`')
                                    ) =>
                                {
                                    if let Some(e) = self.at(self.pos + 1) {
                                        text.push(e);
                                    }
                                    self.pos += 2;
                                }
                                Some(d) => {
                                    text.push(d);
                                    self.pos += 1;
                                }
                            }
                        }
                    }
                    '\\' => {
                        quoted = true;
                        match self.at(self.pos + 1) {
                            Some(e) => {
                                text.push(e);
                                self.pos += 2;
                            }
                            None => {
                                text.push('\\');
                                self.pos += 1;
                            }
                        }
                    }
                    _ => {
                        text.push(c);
                        self.pos += 1;
                    }
                }
            }
            Ok((text, quoted))
        }

        /// Right after a newline: the lines of each pending here-document, up to its delimiter line. Input that
        /// ends first leaves the body as read, as bash does (with a warning).
        fn read_heredoc_bodies(&mut self) {
            for id in std::mem::take(&mut self.pending) {
                let Some(spec) = self.heredocs.get(id) else {
                    continue;
                };
                let (delimiter, strip_tabs) = (spec.delimiter.clone(), spec.strip_tabs);
                let mut body = String::new();
                while self.pos < self.chars.len() {
                    let end = self
                        .chars
                        .get(self.pos..)
                        .and_then(|rest| rest.iter().position(|&c| c == '\n'))
                        .map_or(self.chars.len(), |offset| self.pos + offset);
                    let line = self.text(self.pos, end);
                    self.pos = (end + 1).min(self.chars.len());
                    let line = if strip_tabs {
                        line.trim_start_matches('\t')
                    } else {
                        line.as_str()
                    };
                    if line == delimiter {
                        break;
                    }
                    body.push_str(line);
                    body.push('\n');
                }
                if let Some(spec) = self.heredocs.get_mut(id) {
                    spec.body = Some(body);
                }
            }
        }
    }

    /// The index of the `}` closing a `${` whose contents start at `open`: nested `${…}`, `$(…)`, quotes and
    /// backslashes are skipped.
    fn scan_brace(chars: &[char], open: usize) -> Result<usize, ShellError> {
        let mut depth = 0usize;
        let mut i = open;
        let mut quote: Option<char> = None;
        while let Some(&c) = chars.get(i) {
            match (quote, c) {
                (Some('\''), '\'') => quote = None,
                (Some('\''), _) => {}
                (_, '\\') => i += 1,
                (Some('"'), '"') => quote = None,
                (None, '\'' | '"') => quote = Some(c),
                (_, '$') if chars.get(i + 1) == Some(&'{') => {
                    depth += 1;
                    i += 1;
                }
                (_, '$') if chars.get(i + 1) == Some(&'(') => {
                    i = scan_command_substitution(chars, i + 2)?;
                }
                (None | Some('"'), '}') if depth > 0 => depth -= 1,
                (None | Some('"'), '}') => return Ok(i),
                _ => {}
            }
            i += 1;
        }
        Err(ShellError::Unterminated('}'))
    }

    /// The name at the start of `${…}`'s contents (a variable, a special parameter, digits, or an array
    /// element), and its length in characters.
    fn param_name_len(inner: &[char]) -> usize {
        let Some(&first) = inner.first() else {
            return 0;
        };
        let mut end = if first == '_' || first.is_ascii_alphabetic() {
            inner
                .iter()
                .take_while(|c| **c == '_' || c.is_ascii_alphanumeric())
                .count()
        } else if first.is_ascii_digit() {
            inner.iter().take_while(|c| c.is_ascii_digit()).count()
        } else if matches!(first, '?' | '$' | '#' | '@' | '*' | '!' | '-') {
            1
        } else {
            0
        };
        if end > 0 && inner.get(end) == Some(&'[') {
            if let Some(close) = inner[end..].iter().position(|c| *c == ']') {
                end += close + 1;
            }
        }
        end
    }

    /// `${NAME}`, `${#NAME}`, or `${NAME OP WORD}` with bash's operators: `-` `=` `+` `?` (with `:`, also for
    /// an empty value), `#` `##` `%` `%%` (remove a matching prefix or suffix), `/` `//` `/#` `/%` (replace),
    /// `:OFFSET[:LENGTH]`, `^` `^^` `,` `,,` (case). The word after the operator is lexed as a word of its own,
    /// in double quotes when the expansion is.
    fn param_expansion(
        inner: &str,
        source: String,
        quoted: bool,
        depth: usize,
    ) -> Result<WordPart, ShellError> {
        let bad = || ShellError::BadSubstitution(source.clone());
        if is_param_name(inner) || is_array_reference(inner) {
            return Ok(WordPart::Param {
                name: inner.to_owned(),
                braced: true,
                quoted,
            });
        }
        let chars: Vec<char> = inner.chars().collect();
        if chars.first() == Some(&'!') {
            return Err(ShellError::Unsupported(format!(
                "indirect parameter expansion `{source}'"
            )));
        }
        let len = param_name_len(&chars);
        if len == 0 {
            return Err(bad());
        }
        let name: String = chars[..len].iter().collect();
        let rest: String = chars[len..].iter().collect();
        let table: &[(&str, ParamOp)] = &[
            (":-", ParamOp::Default { colon: true }),
            (":=", ParamOp::Assign { colon: true }),
            (":+", ParamOp::Alternative { colon: true }),
            (":?", ParamOp::Error { colon: true }),
            ("-", ParamOp::Default { colon: false }),
            ("=", ParamOp::Assign { colon: false }),
            ("+", ParamOp::Alternative { colon: false }),
            ("?", ParamOp::Error { colon: false }),
            ("##", ParamOp::RemovePrefix { longest: true }),
            ("#", ParamOp::RemovePrefix { longest: false }),
            ("%%", ParamOp::RemoveSuffix { longest: true }),
            ("%", ParamOp::RemoveSuffix { longest: false }),
            (
                "//",
                ParamOp::Replace {
                    all: true,
                    anchor: None,
                },
            ),
            (
                "/#",
                ParamOp::Replace {
                    all: false,
                    anchor: Some('#'),
                },
            ),
            (
                "/%",
                ParamOp::Replace {
                    all: false,
                    anchor: Some('%'),
                },
            ),
            (
                "/",
                ParamOp::Replace {
                    all: false,
                    anchor: None,
                },
            ),
            (
                "^^",
                ParamOp::Case {
                    upper: true,
                    all: true,
                },
            ),
            (
                "^",
                ParamOp::Case {
                    upper: true,
                    all: false,
                },
            ),
            (
                ",,",
                ParamOp::Case {
                    upper: false,
                    all: true,
                },
            ),
            (
                ",",
                ParamOp::Case {
                    upper: false,
                    all: false,
                },
            ),
            (":", ParamOp::Substring),
        ];
        let Some((symbol, op)) = table.iter().find(|(sym, _)| rest.starts_with(sym)) else {
            return Err(bad());
        };
        let text = &rest[symbol.len()..];
        // The replacement after `/PATTERN/`, the length after `:OFFSET:`.
        let separator = match op {
            ParamOp::Replace { .. } => Some('/'),
            ParamOp::Substring => Some(':'),
            _ => None,
        };
        let (first, second) = match separator.and_then(|sep| split_unquoted(text, sep)) {
            Some((a, b)) => (a, Some(b)),
            None => (text.to_owned(), None),
        };
        let arg = arg_word(&first, quoted, depth)?;
        let arg2 = match second {
            Some(t) => Some(arg_word(&t, quoted, depth)?),
            None => None,
        };
        Ok(WordPart::ParamOp {
            name,
            op: *op,
            arg,
            arg2,
            source,
            quoted,
        })
    }

    /// `text` split at the first `sep` outside quotes and not escaped.
    fn split_unquoted(text: &str, sep: char) -> Option<(String, String)> {
        let chars: Vec<char> = text.chars().collect();
        let mut quote: Option<char> = None;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\\') => i += 1,
                (None, '\'' | '"') => quote = Some(c),
                (None, _) if c == sep => {
                    return Some((chars[..i].iter().collect(), chars[i + 1..].iter().collect()))
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// The word after a parameter operator: quotes, backslashes and expansions as in any word, but blanks and
    /// operators are part of it. bash reads it so inside double quotes too (`"${V%".yaml"}"`); the expansion's
    /// own quoting decides whether its value splits.
    fn arg_word(text: &str, _quoted: bool, depth: usize) -> Result<Word, ShellError> {
        let mut lexer = Lexer::new(text, depth + 1);
        let mut parts = Parts::default();
        while let Some(c) = lexer.peek() {
            if is_meta(c) {
                parts.literal(c);
                lexer.pos += 1;
                continue;
            }
            let before = lexer.pos;
            let word = lexer.word()?;
            for part in word.parts {
                match part {
                    WordPart::Literal(t) => t.chars().for_each(|c| parts.literal(c)),
                    WordPart::Quoted(t) => parts.quoted(&t),
                    other => parts.0.push(other),
                }
            }
            if lexer.pos == before {
                lexer.pos += 1;
            }
        }
        Ok(Word { parts: parts.0 })
    }

    /// `${NAME[INDEX]}`, `${NAME[@]}`, `${#NAME[@]}` and `${#NAME}`: array elements and lengths.
    fn is_array_reference(name: &str) -> bool {
        let name = name.strip_prefix('#').unwrap_or(name);
        match name.split_once('[') {
            Some((base, rest)) => {
                super::is_name(base)
                    && rest.strip_suffix(']').is_some_and(|i| {
                        i == "@"
                            || i == "*"
                            || (!i.is_empty() && i.chars().all(|c| c.is_ascii_digit()))
                    })
            }
            None => super::is_name(name),
        }
    }

    /// Whether `${name}` names a parameter: a variable name, digits, or one special character.
    fn is_param_name(name: &str) -> bool {
        super::is_name(name)
            || (!name.is_empty() && name.chars().all(|c| c.is_ascii_digit()))
            || matches!(name, "?" | "$" | "#" | "@" | "*" | "!" | "-")
    }

    /// The index of the `)` closing a `$(` whose contents start at `open`, skipping quoted text, nested
    /// parentheses and comments.
    fn scan_command_substitution(chars: &[char], open: usize) -> Result<usize, ShellError> {
        #[derive(Clone, Copy)]
        enum Context {
            Paren,
            Double,
            Back,
        }
        let mut stack = vec![Context::Paren];
        let mut i = open;
        while let (Some(&c), Some(&context)) = (chars.get(i), stack.last()) {
            match context {
                Context::Paren => match c {
                    '\\' => i += 1,
                    '\'' => match chars
                        .get(i + 1..)
                        .and_then(|rest| rest.iter().position(|&d| d == '\''))
                    {
                        Some(offset) => i += offset + 1,
                        None => return Err(ShellError::Unterminated('\'')),
                    },
                    '"' => stack.push(Context::Double),
                    '`' => stack.push(Context::Back),
                    '(' => stack.push(Context::Paren),
                    ')' => {
                        stack.pop();
                        if stack.is_empty() {
                            return Ok(i);
                        }
                    }
                    '#' if i == open
                        || matches!(
                            chars.get(i - 1),
                            Some(' ' | '\t' | '\n' | ';' | '&' | '|' | '(')
                        ) =>
                    {
                        while !matches!(chars.get(i + 1), None | Some('\n')) {
                            i += 1;
                        }
                    }
                    _ => {}
                },
                Context::Double => match c {
                    '\\' => i += 1,
                    '"' => {
                        stack.pop();
                    }
                    '`' => stack.push(Context::Back),
                    '$' if chars.get(i + 1) == Some(&'(') => {
                        stack.push(Context::Paren);
                        i += 1;
                    }
                    _ => {}
                },
                Context::Back => match c {
                    '\\' => i += 1,
                    '`' => {
                        stack.pop();
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        Err(ShellError::Unterminated(match stack.last() {
            Some(Context::Double) => '"',
            Some(Context::Back) => '`',
            _ => ')',
        }))
    }

    /// An unquoted here-document body parsed for `$` and backquote expansion; a quoted one as one quoted part.
    pub(super) fn heredoc_word(body: &str, quoted: bool, depth: usize) -> Result<Word, ShellError> {
        if quoted {
            return Ok(Word {
                parts: vec![WordPart::Quoted(body.to_owned())],
            });
        }
        let mut lexer = Lexer::new(body, depth);
        let mut parts = Parts::default();
        parts.quoted("");
        lexer.quoted_text(&mut parts, true)?;
        Ok(Word { parts: parts.0 })
    }
}

mod parser {
    //! The parser is a recursive descent over the lexer's tokens, one function per grammar rule (script, and-or
    //! list, pipeline, command, `for` loop, redirection), because that keeps bash's error messages easy to
    //! reproduce: each rule knows which token it did not expect. Reserved words are recognised here, not in the
    //! lexer, since `done` is only a keyword where a command could start (`echo done` is fine). Constructs outside
    //! the subset are refused here by name, so the learner sees "not supported" rather than a confusing syntax
    //! error.

    use super::lexer::{heredoc_word, HereDocSpec, Lexer, Op, Token};
    use super::{
        is_name, AndOrList, Assignment, CaseCommand, CaseEnd, CaseItem, Command, CondExpr,
        Connector, ForLoop, Group, IfCommand, LoopCommand, Pipeline, Redirect, Script, ShellError,
        SimpleCommand, Word, WordPart, MAX_DEPTH,
    };

    /// Reserved words that start a construct this shell does not run.
    const UNSUPPORTED: &[&str] = &["select", "function"];

    /// Reserved words that cannot start a command.
    const MISPLACED: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}"];

    pub(super) fn parse_at_depth(
        input: &str,
        bodies: &[String],
        depth: usize,
    ) -> Result<Script, ShellError> {
        if depth > MAX_DEPTH {
            return Err(ShellError::TooDeep);
        }
        let mut lexer = Lexer::new(input, depth);
        lexer.run()?;
        let mut supplied = bodies.iter();
        for spec in lexer.heredocs.iter_mut().filter(|h| h.body.is_none()) {
            spec.body = Some(
                supplied
                    .next()
                    .map(|b| normalize_body(b, spec.strip_tabs))
                    .unwrap_or_default(),
            );
        }
        let mut parser = Parser {
            tokens: lexer.tokens,
            heredocs: lexer.heredocs,
            pos: 0,
            depth,
            nesting: 0,
            subshells: 0,
            case_items: 0,
        };
        parser.script(&[])
    }

    /// One line per body line, each ending in a newline, leading tabs removed for `<<-`.
    fn normalize_body(body: &str, strip_tabs: bool) -> String {
        let mut out = String::new();
        for line in body.lines() {
            out.push_str(if strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            });
            out.push('\n');
        }
        out
    }

    /// `NAME=value` at the start of a command: the name must be unquoted and valid.
    fn assignment(word: &Word) -> Option<Assignment> {
        let Some(WordPart::Literal(first)) = word.parts.first() else {
            return None;
        };
        let (name, rest) = first.split_once('=')?;
        if !is_name(name) {
            return None;
        }
        let mut parts = Vec::new();
        if !rest.is_empty() {
            parts.push(WordPart::Literal(rest.to_owned()));
        }
        parts.extend(word.parts.iter().skip(1).cloned());
        Some(Assignment {
            name: name.to_owned(),
            value: Word { parts },
        })
    }

    struct Parser {
        tokens: Vec<Token>,
        heredocs: Vec<HereDocSpec>,
        pos: usize,
        /// Nesting of the `$(…)` this parser is inside.
        depth: usize,
        /// Nesting of `for` loops inside this parser.
        nesting: usize,
        /// Open `( … )`: a `)` ends the list inside.
        subshells: usize,
        /// Inside a `case` item's list: `;;`, `;&` and `;;&` end it.
        case_items: usize,
    }

    impl Parser {
        fn peek(&self) -> Option<&Token> {
            self.tokens.get(self.pos)
        }

        fn next(&mut self) -> Option<Token> {
            let token = self.tokens.get(self.pos).cloned();
            if token.is_some() {
                self.pos += 1;
            }
            token
        }

        fn at_keyword(&self, keyword: &str) -> bool {
            self.peek().and_then(Token::plain) == Some(keyword)
        }

        fn skip_newlines(&mut self) {
            while matches!(self.peek(), Some(Token::Newline)) {
                self.pos += 1;
            }
        }

        /// The error for the current token: bash names it, or says the input ended.
        fn unexpected(&self) -> ShellError {
            match self.peek() {
                Some(token) => ShellError::UnexpectedToken(token.display()),
                None => ShellError::UnexpectedEof,
            }
        }

        fn at_redirect(&self) -> bool {
            matches!(
                self.peek(),
                Some(
                    Token::IoNumber(_)
                        | Token::HereDoc(_)
                        | Token::Op(
                            Op::Less
                                | Op::TripleLess
                                | Op::Great
                                | Op::DoubleGreat
                                | Op::GreatAnd
                                | Op::AndGreat
                                | Op::AndDoubleGreat
                        )
                )
            )
        }

        /// And-or lists separated by `;` or newlines, up to the end or one of the reserved words `terminators`.
        fn script(&mut self, terminators: &[&str]) -> Result<Script, ShellError> {
            let mut lists = Vec::new();
            loop {
                self.skip_newlines();
                match self.peek() {
                    None => break,
                    Some(token) if token.plain().is_some_and(|w| terminators.contains(&w)) => break,
                    _ if self.at_list_end() => break,
                    Some(_) => {}
                }
                lists.push(self.and_or()?);
                match self.peek() {
                    None => break,
                    _ if self.at_list_end() => break,
                    Some(Token::Op(Op::Semi) | Token::Newline) => self.pos += 1,
                    Some(Token::Op(Op::Amp)) => {
                        return Err(ShellError::Unsupported(
                            "running commands in the background with `&'".to_owned(),
                        ))
                    }
                    Some(_) => return Err(self.unexpected()),
                }
            }
            Ok(Script { lists })
        }

        /// A `)` closing a subshell, or the end of a `case` item.
        fn at_list_end(&self) -> bool {
            match self.peek() {
                Some(Token::Op(Op::RParen)) => self.subshells > 0,
                Some(Token::Op(Op::DoubleSemi | Op::SemiAnd | Op::DoubleSemiAnd)) => {
                    self.case_items > 0
                }
                _ => false,
            }
        }

        fn and_or(&mut self) -> Result<AndOrList, ShellError> {
            let first = self.pipeline()?;
            let mut rest = Vec::new();
            loop {
                let connector = match self.peek() {
                    Some(Token::Op(Op::AndIf)) => Connector::And,
                    Some(Token::Op(Op::OrIf)) => Connector::Or,
                    _ => break,
                };
                self.pos += 1;
                self.skip_newlines();
                rest.push((connector, self.pipeline()?));
            }
            Ok(AndOrList { first, rest })
        }

        fn pipeline(&mut self) -> Result<Pipeline, ShellError> {
            let negated = self.at_keyword("!");
            if negated {
                self.pos += 1;
            }
            let mut commands = vec![self.command()?];
            while matches!(self.peek(), Some(Token::Op(Op::Pipe))) {
                self.pos += 1;
                self.skip_newlines();
                commands.push(self.command()?);
            }
            Ok(Pipeline { negated, commands })
        }

        fn command(&mut self) -> Result<Command, ShellError> {
            let keyword = self.peek().and_then(Token::plain).map(str::to_owned);
            match (self.peek(), keyword.as_deref()) {
                (None, _) => Err(ShellError::UnexpectedEof),
                (Some(Token::Op(Op::LParen)), _) => self.subshell().map(Command::Subshell),
                (Some(Token::Op(_) | Token::Newline), _) if !self.at_redirect() => {
                    Err(self.unexpected())
                }
                (_, Some("for")) => self.for_loop().map(Command::For),
                (_, Some("if")) => self.if_command().map(Command::If),
                (_, Some(k @ ("while" | "until"))) => {
                    let until = k == "until";
                    self.loop_command(until).map(Command::Loop)
                }
                (_, Some("{")) => self.group().map(Command::Group),
                (_, Some("case")) => self.case_command().map(Command::Case),
                (_, Some("[[")) => self.conditional().map(Command::Cond),
                (_, Some(k)) if UNSUPPORTED.contains(&k) => {
                    Err(ShellError::Unsupported(format!("`{k}'")))
                }
                (_, Some(k)) if MISPLACED.contains(&k) => {
                    Err(ShellError::UnexpectedToken(k.to_owned()))
                }
                _ => self.simple().map(Command::Simple),
            }
        }

        fn simple(&mut self) -> Result<SimpleCommand, ShellError> {
            let mut command = SimpleCommand::default();
            if let (Some(name), Some(Token::Op(Op::LParen)), Some(Token::Op(Op::RParen))) = (
                self.peek().and_then(Token::plain),
                self.tokens.get(self.pos + 1),
                self.tokens.get(self.pos + 2),
            ) {
                return Err(ShellError::Unsupported(format!(
                    "defining functions `{name}() {{ …; }}'"
                )));
            }
            loop {
                if self.at_redirect() {
                    self.redirect(&mut command.redirects)?;
                    continue;
                }
                let Some(Token::Word { word, .. }) = self.peek() else {
                    break;
                };
                let word = word.clone();
                self.pos += 1;
                match assignment(&word) {
                    Some(a) if command.words.is_empty() => command.assignments.push(a),
                    _ => command.words.push(word),
                }
            }
            Ok(command)
        }

        /// One redirection, appended to `redirects` (`&>` appends two).
        fn redirect(&mut self, redirects: &mut Vec<Redirect>) -> Result<(), ShellError> {
            let fd = match self.peek() {
                Some(Token::IoNumber(n)) => {
                    let n = *n;
                    self.pos += 1;
                    Some(n)
                }
                _ => None,
            };
            let op = match self.next() {
                Some(Token::HereDoc(id)) => {
                    if fd.unwrap_or(0) != 0 {
                        return Err(unsupported_fd(fd.unwrap_or(0)));
                    }
                    let Some(spec) = self.heredocs.get(id) else {
                        return Err(ShellError::UnexpectedEof);
                    };
                    let body = heredoc_word(
                        spec.body.as_deref().unwrap_or_default(),
                        spec.quoted,
                        self.depth,
                    )?;
                    redirects.push(Redirect::HereDoc {
                        delimiter: spec.delimiter.clone(),
                        quoted: spec.quoted,
                        strip_tabs: spec.strip_tabs,
                        body,
                    });
                    return Ok(());
                }
                Some(Token::Op(op)) => op,
                Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                None => return Err(ShellError::UnexpectedEof),
            };
            let target = match self.next() {
                Some(Token::Word { word, .. }) => word,
                Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                None => return Err(ShellError::UnexpectedToken("newline".to_owned())),
            };
            let output_fd = || match fd.unwrap_or(1) {
                n @ (1 | 2) => Ok(n),
                n => Err(unsupported_fd(n)),
            };
            match op {
                Op::Less | Op::TripleLess if fd.unwrap_or(0) != 0 => {
                    return Err(unsupported_fd(fd.unwrap_or(0)))
                }
                Op::Less => redirects.push(Redirect::Input { target }),
                Op::TripleLess => redirects.push(Redirect::HereString { target }),
                Op::Great | Op::DoubleGreat => redirects.push(Redirect::Output {
                    fd: output_fd()?,
                    target,
                    append: op == Op::DoubleGreat,
                }),
                Op::GreatAnd => {
                    let to = match target.plain() {
                        Some("1") => 1,
                        Some("2") => 2,
                        _ => {
                            return Err(ShellError::Unsupported(format!(
                                "`>&{}'",
                                target.as_written()
                            )))
                        }
                    };
                    redirects.push(Redirect::Duplicate {
                        fd: output_fd()?,
                        to,
                    });
                }
                Op::AndGreat | Op::AndDoubleGreat if fd.is_none() => {
                    redirects.push(Redirect::Output {
                        fd: 1,
                        target,
                        append: op == Op::AndDoubleGreat,
                    });
                    redirects.push(Redirect::Duplicate { fd: 2, to: 1 });
                }
                _ => return Err(ShellError::UnexpectedToken(op.symbol().to_owned())),
            }
            Ok(())
        }

        /// `for NAME [in WORDS] ; do BODY ; done`, newlines allowed where bash allows them.
        fn for_loop(&mut self) -> Result<ForLoop, ShellError> {
            if self.nesting >= MAX_DEPTH {
                return Err(ShellError::TooDeep);
            }
            self.pos += 1;
            let name = match self.next() {
                Some(Token::Word { word, raw }) => match word.plain() {
                    Some(name) if is_name(name) => name.to_owned(),
                    _ => return Err(ShellError::InvalidIdentifier(raw)),
                },
                Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                None => return Err(ShellError::UnexpectedEof),
            };
            self.skip_newlines();
            let words = if self.at_keyword("in") {
                self.pos += 1;
                let mut words = Vec::new();
                loop {
                    match self.next() {
                        Some(Token::Word { word, .. }) => words.push(word),
                        Some(Token::Op(Op::Semi) | Token::Newline) => break,
                        Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                        None => return Err(ShellError::UnexpectedEof),
                    }
                }
                Some(words)
            } else {
                if matches!(self.peek(), Some(Token::Op(Op::Semi))) {
                    self.pos += 1;
                }
                None
            };
            self.skip_newlines();
            if !self.at_keyword("do") {
                return Err(self.unexpected());
            }
            self.pos += 1;
            self.nesting += 1;
            let body = self.script(&["done"]);
            self.nesting -= 1;
            let body = body?;
            if body.is_empty() || !self.at_keyword("done") {
                return Err(self.unexpected());
            }
            self.pos += 1;
            let mut redirects = Vec::new();
            while self.at_redirect() {
                self.redirect(&mut redirects)?;
            }
            Ok(ForLoop {
                name,
                words,
                body,
                redirects,
            })
        }
    }

    impl Parser {
        /// A body that must end at one of `terminators` and may not be empty; the terminator is left to read.
        fn body(&mut self, terminators: &[&str]) -> Result<Script, ShellError> {
            if self.nesting >= MAX_DEPTH {
                return Err(ShellError::TooDeep);
            }
            self.nesting += 1;
            let body = self.script(terminators);
            self.nesting -= 1;
            let body = body?;
            let at_end = self
                .peek()
                .and_then(Token::plain)
                .is_some_and(|w| terminators.contains(&w));
            if body.is_empty() || !at_end {
                return Err(self.unexpected());
            }
            Ok(body)
        }

        fn expect_keyword(&mut self, keyword: &str) -> Result<(), ShellError> {
            if self.at_keyword(keyword) {
                self.pos += 1;
                Ok(())
            } else {
                Err(self.unexpected())
            }
        }

        fn trailing_redirects(&mut self) -> Result<Vec<Redirect>, ShellError> {
            let mut redirects = Vec::new();
            while self.at_redirect() {
                self.redirect(&mut redirects)?;
            }
            Ok(redirects)
        }

        fn if_command(&mut self) -> Result<IfCommand, ShellError> {
            self.pos += 1;
            let mut branches = Vec::new();
            let mut otherwise = None;
            loop {
                let condition = self.body(&["then"])?;
                self.pos += 1;
                let body = self.body(&["elif", "else", "fi"])?;
                branches.push((condition, body));
                match self.next().as_ref().and_then(Token::plain) {
                    Some("elif") => continue,
                    Some("else") => {
                        otherwise = Some(self.body(&["fi"])?);
                        self.pos += 1;
                        break;
                    }
                    _ => break,
                }
            }
            Ok(IfCommand {
                branches,
                otherwise,
                redirects: self.trailing_redirects()?,
            })
        }

        fn loop_command(&mut self, until: bool) -> Result<LoopCommand, ShellError> {
            self.pos += 1;
            let condition = self.body(&["do"])?;
            self.pos += 1;
            let body = self.body(&["done"])?;
            self.pos += 1;
            Ok(LoopCommand {
                until,
                condition,
                body,
                redirects: self.trailing_redirects()?,
            })
        }

        /// `( LIST )`.
        fn subshell(&mut self) -> Result<Group, ShellError> {
            if self.nesting >= MAX_DEPTH {
                return Err(ShellError::TooDeep);
            }
            self.pos += 1;
            self.nesting += 1;
            self.subshells += 1;
            let body = self.script(&[]);
            self.subshells -= 1;
            self.nesting -= 1;
            let body = body?;
            match self.peek() {
                Some(Token::Op(Op::RParen)) if !body.is_empty() => self.pos += 1,
                _ => return Err(self.unexpected()),
            }
            Ok(Group {
                body,
                redirects: self.trailing_redirects()?,
            })
        }

        /// `case WORD in [(]PATTERN[|PATTERN]…) LIST ;; … esac`, newlines allowed where bash allows them.
        fn case_command(&mut self) -> Result<CaseCommand, ShellError> {
            if self.nesting >= MAX_DEPTH {
                return Err(ShellError::TooDeep);
            }
            self.pos += 1;
            let word = match self.next() {
                Some(Token::Word { word, .. }) => word,
                Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                None => return Err(ShellError::UnexpectedEof),
            };
            self.skip_newlines();
            self.expect_keyword("in")?;
            let mut items = Vec::new();
            loop {
                self.skip_newlines();
                if self.at_keyword("esac") {
                    self.pos += 1;
                    break;
                }
                if matches!(self.peek(), Some(Token::Op(Op::LParen))) {
                    self.pos += 1;
                }
                let mut patterns = Vec::new();
                loop {
                    match self.next() {
                        Some(Token::Word { word, .. }) => patterns.push(word),
                        Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                        None => return Err(ShellError::UnexpectedEof),
                    }
                    match self.next() {
                        Some(Token::Op(Op::Pipe)) => continue,
                        Some(Token::Op(Op::RParen)) => break,
                        Some(token) => return Err(ShellError::UnexpectedToken(token.display())),
                        None => return Err(ShellError::UnexpectedEof),
                    }
                }
                self.nesting += 1;
                self.case_items += 1;
                let body = self.script(&["esac"]);
                self.case_items -= 1;
                self.nesting -= 1;
                let body = body?;
                let end = match self.peek() {
                    Some(Token::Op(op @ (Op::DoubleSemi | Op::SemiAnd | Op::DoubleSemiAnd))) => {
                        let end = match op {
                            Op::SemiAnd => CaseEnd::FallThrough,
                            Op::DoubleSemiAnd => CaseEnd::TestNext,
                            _ => CaseEnd::Break,
                        };
                        self.pos += 1;
                        end
                    }
                    _ if self.at_keyword("esac") => CaseEnd::Break,
                    None => return Err(ShellError::UnexpectedEof),
                    Some(_) => return Err(self.unexpected()),
                };
                items.push(CaseItem {
                    patterns,
                    body,
                    end,
                });
            }
            Ok(CaseCommand {
                word,
                items,
                redirects: self.trailing_redirects()?,
            })
        }

        fn group(&mut self) -> Result<Group, ShellError> {
            self.pos += 1;
            let body = self.body(&["}"])?;
            self.pos += 1;
            Ok(Group {
                body,
                redirects: self.trailing_redirects()?,
            })
        }

        /// `[[ … ]]`. Its operators are words or the lexer's operator tokens (`&&`, `||`, `(`, `)`, `<`, `>`);
        /// the right side of `=~` runs up to the next blank-separated `]]`, `&&` or `||`, parentheses and all.
        fn conditional(&mut self) -> Result<CondExpr, ShellError> {
            self.pos += 1;
            let expr = self.cond_or()?;
            self.expect_keyword("]]").map_err(|_| match self.peek() {
                Some(t) => ShellError::UnexpectedToken(t.display()),
                None => ShellError::UnexpectedEof,
            })?;
            Ok(expr)
        }

        fn cond_or(&mut self) -> Result<CondExpr, ShellError> {
            let mut left = self.cond_and()?;
            while matches!(self.peek(), Some(Token::Op(Op::OrIf))) {
                self.pos += 1;
                self.skip_newlines();
                left = CondExpr::Or(Box::new(left), Box::new(self.cond_and()?));
            }
            Ok(left)
        }

        fn cond_and(&mut self) -> Result<CondExpr, ShellError> {
            let mut left = self.cond_not()?;
            while matches!(self.peek(), Some(Token::Op(Op::AndIf))) {
                self.pos += 1;
                self.skip_newlines();
                left = CondExpr::And(Box::new(left), Box::new(self.cond_not()?));
            }
            Ok(left)
        }

        fn cond_not(&mut self) -> Result<CondExpr, ShellError> {
            if self.at_keyword("!") {
                self.pos += 1;
                return Ok(CondExpr::Not(Box::new(self.cond_not()?)));
            }
            if matches!(self.peek(), Some(Token::Op(Op::LParen))) {
                self.pos += 1;
                let inner = self.cond_or()?;
                if !matches!(self.next(), Some(Token::Op(Op::RParen))) {
                    return Err(ShellError::UnexpectedToken(")".into()));
                }
                return Ok(inner);
            }
            self.cond_primary()
        }

        fn cond_word(&mut self) -> Result<Word, ShellError> {
            match self.next() {
                Some(Token::Word { word, .. }) => Ok(word),
                Some(t) => Err(ShellError::UnexpectedToken(t.display())),
                None => Err(ShellError::UnexpectedEof),
            }
        }

        fn cond_primary(&mut self) -> Result<CondExpr, ShellError> {
            const UNARY: &[&str] = &[
                "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-n", "-p", "-r", "-s", "-S",
                "-t", "-u", "-w", "-x", "-z", "-v",
            ];
            const BINARY: &[&str] = &[
                "==", "=", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
            ];
            if let Some(op) = self
                .peek()
                .and_then(Token::plain)
                .filter(|w| UNARY.contains(w))
            {
                let op = op.to_owned();
                let next_is_operand =
                    matches!(self.tokens.get(self.pos + 1), Some(Token::Word { .. }))
                        && self.tokens.get(self.pos + 1).and_then(Token::plain) != Some("]]");
                if next_is_operand {
                    self.pos += 1;
                    let operand = self.cond_word()?;
                    return Ok(CondExpr::Unary(op, operand));
                }
            }
            let left = self.cond_word()?;
            let op = match self.peek() {
                Some(Token::Op(Op::Less)) => Some("<".to_owned()),
                Some(Token::Op(Op::Great)) => Some(">".to_owned()),
                Some(t) => t
                    .plain()
                    .filter(|w| BINARY.contains(w) || *w == "=~")
                    .map(str::to_owned),
                None => None,
            };
            let Some(op) = op else {
                return Ok(CondExpr::Single(left));
            };
            self.pos += 1;
            if op != "=~" {
                let right = self.cond_word()?;
                return Ok(CondExpr::Binary(left, op, right));
            }
            // The regex: every token up to `]]`, `&&` or `||` at parenthesis depth 0, joined.
            let mut parts = Vec::new();
            let mut depth = 0usize;
            loop {
                match self.peek() {
                    None => return Err(ShellError::UnexpectedEof),
                    Some(Token::Op(Op::AndIf | Op::OrIf)) if depth == 0 => break,
                    Some(t) if depth == 0 && t.plain() == Some("]]") => break,
                    Some(Token::Word { word, .. }) => parts.extend(word.parts.clone()),
                    Some(Token::Op(op)) => {
                        match op {
                            Op::LParen => depth += 1,
                            Op::RParen => depth = depth.saturating_sub(1),
                            _ => {}
                        }
                        parts.push(WordPart::Literal(op.symbol().to_owned()));
                    }
                    Some(t) => return Err(ShellError::UnexpectedToken(t.display())),
                }
                self.pos += 1;
            }
            if parts.is_empty() {
                return Err(self.unexpected());
            }
            Ok(CondExpr::Binary(left, op, Word { parts }))
        }
    }

    fn unsupported_fd(fd: u32) -> ShellError {
        ShellError::Unsupported(format!("redirecting file descriptor {fd}"))
    }
}

mod interpreter {
    //! The interpreter walks the AST the way bash would run it: expansion (variables, command substitution with
    //! trailing newlines removed, splitting of unquoted expansions on blanks, no globbing), then aliases, then a
    //! builtin or the [`Host`]. It is separate from the parser so the same [`Script`] can run against different
    //! hosts, and so every I/O decision (what `kubectl` does, whether `> file` may write) belongs to the host.
    //! Output flows through a callback rather than being collected, so a terminal can show stdout and stderr in the
    //! order they happened; pipes and `$(…)` capture stdout by swapping that callback.

    use std::cell::{Cell, RefCell};
    use std::collections::{BTreeMap, BTreeSet};
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::task::{Context, Poll, Waker};

    use super::{
        is_name, parse, AndOrList, CaseCommand, CaseEnd, Command, CondExpr, Connector, ForLoop,
        IfCommand, LoopCommand, ParamOp, Pipeline, Redirect, Script, ShellError, SimpleCommand,
        Word, WordPart, MAX_COMMANDS, MAX_DEPTH, MAX_SEQ,
    };
    use crate::regex;

    /// What a command printed and how it ended. What it printed is kept in the order it was written, stream by
    /// stream, as a terminal shows it: `kubectl drain` writes `node/… cordoned` on stdout, then a warning on
    /// stderr, then more on stdout, and a terminal interleaves them in that order. A pipe takes the stdout
    /// pieces alone ([`Output::stdout`]); stderr still reaches the terminal.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Output {
        /// Adjacent pieces written to the same stream are joined.
        printed: Vec<(Stream, String)>,
        pub status: i32,
    }

    impl Output {
        /// A command that succeeded, printing `stdout`.
        pub fn ok(stdout: String) -> Output {
            let mut out = Output::default();
            out.push_stdout(&stdout);
            out
        }

        /// A command that failed with `status`, printing `stderr`.
        pub fn failed(stderr: String, status: i32) -> Output {
            let mut out = Output::default();
            out.push_stderr(&stderr);
            out.status = status;
            out
        }

        /// A command that printed `stdout`, then `stderr`, and ended with `status` (for programs that print
        /// their errors after their output).
        pub fn both(stdout: String, stderr: String, status: i32) -> Output {
            let mut out = Output::ok(stdout);
            out.push_stderr(&stderr);
            out.status = status;
            out
        }

        /// Writes `text` to `stream`, after everything written so far.
        pub fn print(&mut self, stream: Stream, text: &str) {
            if text.is_empty() {
                return;
            }
            match self.printed.last_mut() {
                Some((s, t)) if *s == stream => t.push_str(text),
                _ => self.printed.push((stream, text.to_owned())),
            }
        }

        pub fn push_stdout(&mut self, text: &str) {
            self.print(Stream::Stdout, text);
        }

        pub fn push_stderr(&mut self, text: &str) {
            self.print(Stream::Stderr, text);
        }

        /// What `other` printed, after what this printed; when `other` failed, its status becomes this one's.
        pub fn append(&mut self, other: Output) {
            for (stream, text) in other.printed {
                self.print(stream, &text);
            }
            if other.status != 0 {
                self.status = other.status;
            }
        }

        /// Everything printed, in order, with the stream each piece went to.
        pub fn printed(&self) -> &[(Stream, String)] {
            &self.printed
        }

        /// What went to stdout alone: what a pipe or `$(…)` receives.
        pub fn stdout(&self) -> String {
            self.stream(Stream::Stdout)
        }

        /// What went to stderr alone.
        pub fn stderr(&self) -> String {
            self.stream(Stream::Stderr)
        }

        /// Both streams as a terminal shows them.
        pub fn text(&self) -> String {
            self.printed.iter().map(|(_, t)| t.as_str()).collect()
        }

        fn stream(&self, which: Stream) -> String {
            self.printed
                .iter()
                .filter(|(s, _)| *s == which)
                .map(|(_, t)| t.as_str())
                .collect()
        }
    }

    /// Which of a command's outputs a piece of text went to.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Stream {
        Stdout,
        Stderr,
    }

    /// Runs what the shell does not: `kubectl`, `cat`, `date`, `clear`, `history`, and unknown commands (which
    /// should fail like bash: `bash: foo: command not found`, status 127).
    pub trait Host {
        /// Runs one command. `env` holds exported variables and the command's `NAME=value` prefixes, sorted by name.
        fn run(&mut self, argv: &[String], stdin: Option<&str>, env: &[(String, String)])
            -> Output;

        /// Runs one command, handing its output to `out` in the order it was printed. By default: what
        /// [`Host::run`] printed, all at once when it has ended.
        fn run_streaming(
            &mut self,
            argv: &[String],
            stdin: Option<&str>,
            env: &[(String, String)],
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            let result = self.run(argv, stdin, env);
            for (stream, text) in result.printed() {
                out(*stream, text);
            }
            result.status
        }

        /// The contents of `path`, for `< path`. The learner's terminal has no files, so by default this refuses;
        /// the error text is printed as `bash: PATH: ERROR`.
        fn read_file(&mut self, _path: &str) -> Result<String, String> {
            Err("input redirection from files is not supported in this terminal".to_owned())
        }

        /// Whether the script should stop quietly before its next command (a container's main process that
        /// has gone to sleep for good). By default never.
        fn should_stop(&mut self) -> bool {
            false
        }

        /// What is at `path`, for `[[ -f … ]]`, `test -d …` and friends. By default nothing is.
        fn file_kind(&mut self, _path: &str) -> Option<FileKind> {
            None
        }

        /// `cd DIR` (`None`: `cd` alone). The learner's terminal has no directories, so by default it succeeds
        /// and changes nothing; an error is printed as it is.
        fn change_dir(&mut self, _dir: Option<&str>) -> Result<(), String> {
            Ok(())
        }

        /// Writes for `> path` (`append` false: called once with empty `contents` to create or truncate, before
        /// the command runs) and `>> path` (`append` true), then once more, appending, with what the command
        /// printed. By default this refuses and the command does not run, as when bash cannot open the file.
        fn write_file(
            &mut self,
            _path: &str,
            _contents: &str,
            _append: bool,
        ) -> Result<(), String> {
            Err("output redirection to files is not supported in this terminal".to_owned())
        }

        /// After a command ran: whether the process now waits before its next command (`sleep`: for a while; a
        /// server it started: until stopped). Only a [`Job`] stops there; run straight through, waiting is the
        /// host's own business. By default nothing waits.
        fn take_wait(&mut self) -> Option<Wait> {
            None
        }
    }

    /// What a path names, for the file tests.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum FileKind {
        File { size: usize },
        Dir,
    }

    /// Where a redirected output goes.
    #[derive(Debug, Clone, Copy)]
    enum Dest {
        Stdout,
        Stderr,
        Null,
        File(usize),
    }

    /// How long a process waits after a command before its next one: a [`Job`] suspends there.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Wait {
        /// `sleep`: this many milliseconds.
        For(u64),
        /// A server, `sleep infinity`: until the process is stopped.
        Forever,
    }

    /// Where a [`Job`] stands after [`Job::resume`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum JobState {
        /// The script ended with this status.
        Done(i32),
        /// The last command made the process wait; resume the job when the wait is over.
        Waiting(Wait),
    }

    /// What the interpreter asks of its host. The interpreter runs as a future that parks at each request;
    /// whoever drives it serves the request with a [`Host`] and polls again. Run straight through, that is a
    /// plain call; a [`Job`] can instead stop between a command and the next and carry on later, which is how a
    /// container's `while sleep 1; do …; done` runs on the cluster's clock.
    enum HostCall {
        Run {
            argv: Vec<String>,
            stdin: Option<String>,
            env: Vec<(String, String)>,
        },
        ReadFile(String),
        WriteFile {
            path: String,
            contents: String,
            append: bool,
        },
        FileKind(String),
        ChangeDir(Option<String>),
        ShouldStop,
    }

    enum Reply {
        Ran(Vec<(Stream, String)>, i32),
        Read(Result<String, String>),
        Done(Result<(), String>),
        Kind(Option<FileKind>),
        Stop(bool),
    }

    /// The one-request mailbox between the interpreter and its driver.
    #[derive(Default)]
    struct Link {
        call: RefCell<Option<HostCall>>,
        reply: RefCell<Option<Reply>>,
        /// The job waited since the last command: the runaway-loop budget starts again.
        waited: Cell<bool>,
    }

    /// Ready once the driver has put the reply in.
    struct Answer<'l>(&'l Link);

    impl Future for Answer<'_> {
        type Output = Reply;

        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Reply> {
            match self.0.reply.borrow_mut().take() {
                Some(reply) => Poll::Ready(reply),
                None => Poll::Pending,
            }
        }
    }

    impl Link {
        async fn ask(&self, call: HostCall) -> Reply {
            *self.call.borrow_mut() = Some(call);
            Answer(self).await
        }

        /// Runs a command through the host, handing what it printed to `out` in order; answers its status.
        async fn run(
            &self,
            argv: &[String],
            stdin: Option<&str>,
            env: &[(String, String)],
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            let call = HostCall::Run {
                argv: argv.to_vec(),
                stdin: stdin.map(str::to_owned),
                env: env.to_vec(),
            };
            match self.ask(call).await {
                Reply::Ran(chunks, status) => {
                    for (stream, text) in chunks {
                        out(stream, &text);
                    }
                    status
                }
                _ => 1,
            }
        }

        async fn read_file(&self, path: &str) -> Result<String, String> {
            match self.ask(HostCall::ReadFile(path.to_owned())).await {
                Reply::Read(result) => result,
                _ => Err("unexpected reply".to_owned()),
            }
        }

        async fn write_file(&self, path: &str, contents: &str, append: bool) -> Result<(), String> {
            let call = HostCall::WriteFile {
                path: path.to_owned(),
                contents: contents.to_owned(),
                append,
            };
            match self.ask(call).await {
                Reply::Done(result) => result,
                _ => Err("unexpected reply".to_owned()),
            }
        }

        async fn file_kind(&self, path: &str) -> Option<FileKind> {
            match self.ask(HostCall::FileKind(path.to_owned())).await {
                Reply::Kind(kind) => kind,
                _ => None,
            }
        }

        async fn change_dir(&self, dir: Option<&str>) -> Result<(), String> {
            match self.ask(HostCall::ChangeDir(dir.map(str::to_owned))).await {
                Reply::Done(result) => result,
                _ => Ok(()),
            }
        }

        async fn should_stop(&self) -> bool {
            matches!(self.ask(HostCall::ShouldStop).await, Reply::Stop(true))
        }
    }

    /// Serves one request with the host.
    fn serve(host: &mut dyn Host, call: HostCall) -> Reply {
        match call {
            HostCall::Run { argv, stdin, env } => {
                let mut chunks: Vec<(Stream, String)> = Vec::new();
                let status =
                    host.run_streaming(&argv, stdin.as_deref(), &env, &mut |stream, text| {
                        match chunks.last_mut() {
                            Some((s, t)) if *s == stream => t.push_str(text),
                            _ => chunks.push((stream, text.to_owned())),
                        }
                    });
                Reply::Ran(chunks, status)
            }
            HostCall::ReadFile(path) => Reply::Read(host.read_file(&path)),
            HostCall::WriteFile {
                path,
                contents,
                append,
            } => Reply::Done(host.write_file(&path, &contents, append)),
            HostCall::FileKind(path) => Reply::Kind(host.file_kind(&path)),
            HostCall::ChangeDir(dir) => Reply::Done(host.change_dir(dir.as_deref())),
            HostCall::ShouldStop => Reply::Stop(host.should_stop()),
        }
    }

    /// Runs the interpreter's future to its end, serving each request as it comes: the blocking API.
    fn drive<T>(future: impl Future<Output = T>, link: &Link, host: &mut dyn Host) -> T {
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
                return value;
            }
            // The interpreter only parks on a request, so one is always there.
            let call = link.call.borrow_mut().take();
            if let Some(call) = call {
                let reply = serve(host, call);
                *link.reply.borrow_mut() = Some(reply);
            }
        }
    }

    type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

    /// A script running as a process that can stop between commands: a container's main process stepped by
    /// the kubelet on the cluster's clock, or a loop in the learner's terminal that runs until Ctrl+C. Each
    /// [`Job::resume`] runs commands until the script ends or one of them makes the process wait
    /// ([`Host::take_wait`]); the host may differ from one resume to the next, so a job holds no borrow of the
    /// cluster between them.
    pub struct Job {
        future: Boxed<'static, i32>,
        link: Rc<Link>,
        shell: Rc<RefCell<Shell>>,
        output: Rc<RefCell<Vec<(Stream, String)>>>,
        /// The reply to the command the job waits after, handed over when it resumes.
        held: Option<Reply>,
        status: Option<i32>,
    }

    impl std::fmt::Debug for Job {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Job")
                .field("waiting", &self.held.is_some())
                .field("status", &self.status)
                .finish_non_exhaustive()
        }
    }

    impl Job {
        /// A job that runs `script` in `shell`, offering `stdin` to its commands. Nothing runs until the first
        /// [`Job::resume`].
        pub fn new(shell: Shell, script: Script, stdin: Option<String>) -> Job {
            let link = Rc::new(Link::default());
            let shell = Rc::new(RefCell::new(shell));
            let output: Rc<RefCell<Vec<(Stream, String)>>> = Rc::new(RefCell::new(Vec::new()));
            let future = {
                let (link, shell, output) = (link.clone(), shell.clone(), output.clone());
                // The future is the only one to borrow the shell while it exists; `into_shell` drops it first.
                #[allow(clippy::await_holding_refcell_ref)]
                async move {
                    let mut sh = shell.borrow_mut();
                    sh.commands_run = 0;
                    sh.aborted = false;
                    sh.halted = false;
                    let mut out = |stream: Stream, text: &str| {
                        let mut output = output.borrow_mut();
                        match output.last_mut() {
                            Some((s, t)) if *s == stream => t.push_str(text),
                            _ => output.push((stream, text.to_owned())),
                        }
                    };
                    let input = stdin.map(Input::new);
                    sh.run_script(&script, &link, input.as_ref(), &mut out)
                        .await
                }
            };
            Job {
                future: Box::pin(future),
                link,
                shell,
                output,
                held: None,
                status: None,
            }
        }

        /// Runs the script on from where it waited until it ends or waits again.
        pub fn resume(&mut self, host: &mut dyn Host) -> JobState {
            if let Some(status) = self.status {
                return JobState::Done(status);
            }
            if let Some(reply) = self.held.take() {
                *self.link.reply.borrow_mut() = Some(reply);
                self.link.waited.set(true);
            }
            let mut cx = Context::from_waker(Waker::noop());
            loop {
                if let Poll::Ready(status) = self.future.as_mut().poll(&mut cx) {
                    self.status = Some(status);
                    return JobState::Done(status);
                }
                let call = self.link.call.borrow_mut().take();
                let Some(call) = call else {
                    self.status = Some(1);
                    return JobState::Done(1);
                };
                let reply = serve(host, call);
                if let Some(wait) = host.take_wait() {
                    self.held = Some(reply);
                    return JobState::Waiting(wait);
                }
                *self.link.reply.borrow_mut() = Some(reply);
            }
        }

        /// What the script printed since the last call, in order, stdout and stderr apart.
        pub fn take_output(&mut self) -> Vec<(Stream, String)> {
            std::mem::take(&mut *self.output.borrow_mut())
        }

        /// Whether the script has ended.
        pub fn finished(&self) -> bool {
            self.status.is_some()
        }

        /// Stops the job (if it still runs, as Ctrl+C would) and hands back its shell, with the variables the
        /// script set so far.
        pub fn into_shell(self) -> Shell {
            let interrupted = self.status.is_none();
            let Job { future, shell, .. } = self;
            drop(future);
            let mut shell = Rc::try_unwrap(shell)
                .map(RefCell::into_inner)
                .unwrap_or_else(|rc| rc.borrow().clone());
            if interrupted {
                shell.interrupted();
            }
            shell
        }
    }

    /// What the file tests need to know of one path.
    #[derive(Debug, Clone, Copy, Default)]
    struct Facts {
        kind: Option<FileKind>,
        executable: bool,
    }

    /// Looks a path up for the file tests; whether it is executable only when `-x` asks.
    async fn file_facts(link: &Link, op: &str, path: &str) -> Facts {
        let kind = link.file_kind(path).await;
        let executable = kind == Some(FileKind::Dir)
            || (op == "-x"
                && link
                    .read_file(path)
                    .await
                    .is_ok_and(|t| t.starts_with("\u{7f}ELF") || t.starts_with("#!")));
        Facts { kind, executable }
    }

    /// The variables, exports and aliases a subshell gets back when it ends.
    type Subshell = (
        BTreeMap<String, String>,
        BTreeSet<String>,
        BTreeMap<String, String>,
    );

    /// A simple command after alias expansion.
    enum Aliased {
        Unchanged,
        Simple(SimpleCommand),
        /// The alias value was more than one command (`alias k='a; b'`); the rest of the line joined its last one.
        Script(Script),
    }

    /// The shell's state between lines: variables, aliases, exports and `$?`.
    #[derive(Debug, Clone)]
    pub struct Shell {
        pub vars: BTreeMap<String, String>,
        /// Alias values as stored, after the expansion the `alias` command's argument went through.
        pub aliases: BTreeMap<String, String>,
        /// What `hostname` and `$HOSTNAME` print.
        pub hostname: String,
        /// What `hostname -f` prints, when it differs from the short name (a pod with a subdomain).
        pub fqdn: Option<String>,
        /// What `id -un`, `whoami` and `$USER` print; `$HOME` is `/home/<user>`.
        pub user: String,
        exported: BTreeSet<String>,
        last_status: i32,
        /// The status of the last `$(…)`, which is the status of a command made only of assignments.
        last_subst_status: i32,
        /// Aliases being expanded: bash does not expand an alias again inside its own value.
        alias_guard: Vec<String>,
        depth: usize,
        commands_run: usize,
        aborted: bool,
        /// The script was stopped from outside (the command limit, a process that waits for good): unlike
        /// `exit` or `set -e`, this ends the enclosing shell too, not only a subshell.
        halted: bool,
        /// Arrays: only `BASH_REMATCH`, which `[[ =~ ]]` sets.
        arrays: BTreeMap<String, Vec<String>>,
        /// `set -e`, `set -x`, `set -o pipefail`.
        errexit: bool,
        xtrace: bool,
        pipefail: bool,
        /// Inside an `if`/`while` condition, a `!` pipeline or a non-final `&&`/`||` operand: `set -e` does not
        /// apply there.
        errexit_suppressed: usize,
        /// Loop levels a `break N` / `continue N` still has to leave.
        breaking: usize,
        continuing: usize,
        loop_depth: usize,
    }

    impl Default for Shell {
        fn default() -> Self {
            Shell {
                vars: BTreeMap::new(),
                aliases: BTreeMap::new(),
                hostname: "ordinal-terminal".to_owned(),
                fqdn: None,
                user: "student".to_owned(),
                exported: BTreeSet::new(),
                last_status: 0,
                last_subst_status: 0,
                alias_guard: Vec::new(),
                depth: 0,
                commands_run: 0,
                aborted: false,
                halted: false,
                arrays: BTreeMap::new(),
                errexit: false,
                xtrace: false,
                pipefail: false,
                errexit_suppressed: 0,
                breaking: 0,
                continuing: 0,
                loop_depth: 0,
            }
        }
    }

    /// An argument as `set -x` shows it: bare when nothing in it is special, else single-quoted.
    fn xtrace_quote(arg: &str) -> String {
        let plain = !arg.is_empty()
            && arg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+^".contains(c) || !c.is_ascii());
        if plain {
            arg.to_owned()
        } else {
            format!("'{}'", arg.replace('\'', r"'\''"))
        }
    }

    /// A one-operand file or string test, the path's facts looked up beforehand.
    fn unary_test(op: &str, value: &str, facts: Facts) -> bool {
        let kind = facts.kind;
        match op {
            "-z" => value.is_empty(),
            "-n" => !value.is_empty(),
            "-e" | "-a" | "-r" | "-w" => kind.is_some(),
            "-f" => matches!(kind, Some(FileKind::File { .. })),
            "-d" => kind == Some(FileKind::Dir),
            "-s" => {
                matches!(kind, Some(FileKind::File { size }) if size > 0)
                    || kind == Some(FileKind::Dir)
            }
            "-x" => facts.executable,
            _ => false,
        }
    }

    /// Whether `op` is a test operator that looks at a file.
    fn is_file_test(op: &str) -> bool {
        matches!(op, "-e" | "-a" | "-r" | "-w" | "-f" | "-d" | "-s" | "-x")
    }

    fn compare(op: &str, a: i64, b: i64) -> bool {
        match op {
            "-eq" => a == b,
            "-ne" => a != b,
            "-lt" => a < b,
            "-le" => a <= b,
            "-gt" => a > b,
            "-ge" => a >= b,
            _ => false,
        }
    }

    /// The facts of the paths a file test operator is followed by, keyed by (operator, path).
    type FactsOf = BTreeMap<(String, String), Facts>;

    /// `test`'s grammar over its words: `!`, `-a`/`-o` are not supported beyond one level; the common forms are.
    fn test_expr(words: &[&str], facts: &FactsOf) -> Result<bool, String> {
        let int = |w: &str| {
            w.trim()
                .parse::<i64>()
                .map_err(|_| format!("{w}: integer expression expected"))
        };
        match words {
            [] => Ok(false),
            ["!", rest @ ..] => test_expr(rest, facts).map(|v| !v),
            ["(", inner @ .., ")"] => test_expr(inner, facts),
            [one] => Ok(!one.is_empty()),
            [op, value] if op.starts_with('-') && op.len() == 2 => {
                let key = ((*op).to_owned(), (*value).to_owned());
                Ok(unary_test(
                    op,
                    value,
                    facts.get(&key).copied().unwrap_or_default(),
                ))
            }
            [op, _] => Err(format!("{op}: unary operator expected")),
            [a, "=" | "==", b] => Ok(a == b),
            [a, "!=", b] => Ok(a != b),
            [a, "<", b] => Ok(a < b),
            [a, ">", b] => Ok(a > b),
            [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
                Ok(compare(op, int(a)?, int(b)?))
            }
            [_, op, _] if !matches!(*op, "-a" | "-o") => {
                Err(format!("{op}: binary operator expected"))
            }
            _ => {
                // `-o` binds looser than `-a`; split at the first of each.
                if let Some(i) = words.iter().position(|w| *w == "-o").filter(|&i| i > 0) {
                    return Ok(test_expr(&words[..i], facts)? || test_expr(&words[i + 1..], facts)?);
                }
                if let Some(i) = words.iter().position(|w| *w == "-a").filter(|&i| i > 0) {
                    return Ok(test_expr(&words[..i], facts)? && test_expr(&words[i + 1..], facts)?);
                }
                Err("too many arguments".to_owned())
            }
        }
    }

    /// A recursive-descent evaluator for `$((…))`, with bash's precedence and its error messages.
    struct Arith<'s> {
        chars: Vec<char>,
        pos: usize,
        shell: &'s mut Shell,
        depth: usize,
        source: String,
    }

    impl Arith<'_> {
        fn skip_blanks(&mut self) {
            while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
                self.pos += 1;
            }
        }

        fn eat(&mut self, op: &str) -> bool {
            self.skip_blanks();
            let op: Vec<char> = op.chars().collect();
            if self.chars[self.pos.min(self.chars.len())..].starts_with(&op) {
                self.pos += op.len();
                true
            } else {
                false
            }
        }

        /// `op` but not when it is the start of a longer operator (`<` but not `<=` or `<<`).
        fn eat_alone(&mut self, op: &str, not_followed_by: &[char]) -> bool {
            self.skip_blanks();
            let len = op.chars().count();
            let matches = self.chars[self.pos.min(self.chars.len())..]
                .starts_with(&op.chars().collect::<Vec<_>>())
                && !self
                    .chars
                    .get(self.pos + len)
                    .is_some_and(|c| not_followed_by.contains(c));
            if matches {
                self.pos += len;
            }
            matches
        }

        fn error_token(&self) -> String {
            let rest: String = self.chars[self.pos.min(self.chars.len())..]
                .iter()
                .collect();
            format!(
                "{}: syntax error: operand expected (error token is \"{}\")",
                self.source.trim(),
                rest.trim()
            )
        }

        fn comma(&mut self) -> Result<i64, String> {
            let mut v = self.assign()?;
            while self.eat(",") {
                v = self.assign()?;
            }
            Ok(v)
        }

        fn assign(&mut self) -> Result<i64, String> {
            self.skip_blanks();
            let start = self.pos;
            let name: String = self.chars[self.pos..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            if super::is_name(&name) {
                self.pos += name.chars().count();
                for op in ["+=", "-=", "*=", "/=", "%=", "="] {
                    let is_assign = if op == "=" {
                        self.eat_alone("=", &['='])
                    } else {
                        self.eat(op)
                    };
                    if is_assign {
                        let value = self.assign()?;
                        let old = self.variable(&name)?;
                        let new = match op {
                            "+=" => old.wrapping_add(value),
                            "-=" => old.wrapping_sub(value),
                            "*=" => old.wrapping_mul(value),
                            "/=" | "%=" if value == 0 => {
                                return Err(format!(
                                    "{}: division by 0 (error token is \"{}\")",
                                    self.source.trim(),
                                    value
                                ))
                            }
                            "/=" => old.wrapping_div(value),
                            "%=" => old.wrapping_rem(value),
                            _ => value,
                        };
                        self.shell.vars.insert(name, new.to_string());
                        return Ok(new);
                    }
                }
                self.pos = start;
            }
            self.ternary()
        }

        fn ternary(&mut self) -> Result<i64, String> {
            let cond = self.or()?;
            if self.eat("?") {
                let a = self.assign()?;
                if !self.eat(":") {
                    return Err(self.error_token());
                }
                let b = self.assign()?;
                return Ok(if cond != 0 { a } else { b });
            }
            Ok(cond)
        }

        fn or(&mut self) -> Result<i64, String> {
            let mut v = self.and()?;
            while self.eat("||") {
                let r = self.and()?;
                v = i64::from(v != 0 || r != 0);
            }
            Ok(v)
        }

        fn and(&mut self) -> Result<i64, String> {
            let mut v = self.bit_or()?;
            while self.eat("&&") {
                let r = self.bit_or()?;
                v = i64::from(v != 0 && r != 0);
            }
            Ok(v)
        }

        fn bit_or(&mut self) -> Result<i64, String> {
            let mut v = self.bit_xor()?;
            while self.eat_alone("|", &['|', '=']) {
                v |= self.bit_xor()?;
            }
            Ok(v)
        }

        fn bit_xor(&mut self) -> Result<i64, String> {
            let mut v = self.bit_and()?;
            while self.eat_alone("^", &['=']) {
                v ^= self.bit_and()?;
            }
            Ok(v)
        }

        fn bit_and(&mut self) -> Result<i64, String> {
            let mut v = self.equality()?;
            while self.eat_alone("&", &['&', '=']) {
                v &= self.equality()?;
            }
            Ok(v)
        }

        fn equality(&mut self) -> Result<i64, String> {
            let mut v = self.relational()?;
            loop {
                if self.eat("==") {
                    v = i64::from(v == self.relational()?);
                } else if self.eat("!=") {
                    v = i64::from(v != self.relational()?);
                } else {
                    return Ok(v);
                }
            }
        }

        fn relational(&mut self) -> Result<i64, String> {
            let mut v = self.shift()?;
            loop {
                if self.eat("<=") {
                    v = i64::from(v <= self.shift()?);
                } else if self.eat(">=") {
                    v = i64::from(v >= self.shift()?);
                } else if self.eat_alone("<", &['<']) {
                    v = i64::from(v < self.shift()?);
                } else if self.eat_alone(">", &['>']) {
                    v = i64::from(v > self.shift()?);
                } else {
                    return Ok(v);
                }
            }
        }

        fn shift(&mut self) -> Result<i64, String> {
            let mut v = self.additive()?;
            loop {
                if self.eat("<<") {
                    v = v.wrapping_shl(self.additive()? as u32);
                } else if self.eat(">>") {
                    v = v.wrapping_shr(self.additive()? as u32);
                } else {
                    return Ok(v);
                }
            }
        }

        fn additive(&mut self) -> Result<i64, String> {
            let mut v = self.multiplicative()?;
            loop {
                if self.eat_alone("+", &['+', '=']) {
                    v = v.wrapping_add(self.multiplicative()?);
                } else if self.eat_alone("-", &['-', '=']) {
                    v = v.wrapping_sub(self.multiplicative()?);
                } else {
                    return Ok(v);
                }
            }
        }

        fn multiplicative(&mut self) -> Result<i64, String> {
            let mut v = self.power()?;
            loop {
                let op = if self.eat_alone("*", &['*', '=']) {
                    '*'
                } else if self.eat_alone("/", &['=']) {
                    '/'
                } else if self.eat_alone("%", &['=']) {
                    '%'
                } else {
                    return Ok(v);
                };
                let token_start = self.pos;
                let r = self.power()?;
                v = match op {
                    '*' => v.wrapping_mul(r),
                    _ if r == 0 => {
                        let token: String = self.chars[token_start..].iter().collect();
                        return Err(format!(
                            "{}: division by 0 (error token is \"{}\")",
                            self.source.trim(),
                            token.trim()
                        ));
                    }
                    '/' => v.wrapping_div(r),
                    _ => v.wrapping_rem(r),
                };
            }
        }

        fn power(&mut self) -> Result<i64, String> {
            let base = self.unary()?;
            if self.eat("**") {
                let exp = self.power()?;
                if exp < 0 {
                    return Err(format!(
                        "{}: exponent less than 0 (error token is \"{exp}\")",
                        self.source.trim()
                    ));
                }
                return Ok(base.wrapping_pow(exp.min(u32::MAX as i64) as u32));
            }
            Ok(base)
        }

        fn unary(&mut self) -> Result<i64, String> {
            self.depth += 1;
            if self.depth > MAX_DEPTH * 8 {
                return Err(format!(
                    "{}: expression recursion level exceeded",
                    self.source.trim()
                ));
            }
            let v = if self.eat_alone("!", &['=']) {
                i64::from(self.unary()? == 0)
            } else if self.eat("~") {
                !self.unary()?
            } else if self.eat("++") {
                let name = self.name()?;
                let v = self.variable(&name)?.wrapping_add(1);
                self.shell.vars.insert(name, v.to_string());
                v
            } else if self.eat("--") {
                let name = self.name()?;
                let v = self.variable(&name)?.wrapping_sub(1);
                self.shell.vars.insert(name, v.to_string());
                v
            } else if self.eat_alone("-", &['-']) {
                self.unary()?.wrapping_neg()
            } else if self.eat_alone("+", &['+']) {
                self.unary()?
            } else {
                self.primary()?
            };
            self.depth -= 1;
            Ok(v)
        }

        fn name(&mut self) -> Result<String, String> {
            self.skip_blanks();
            let name: String = self.chars[self.pos..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            if !super::is_name(&name) {
                return Err(self.error_token());
            }
            self.pos += name.chars().count();
            Ok(name)
        }

        /// A variable's value as a number: empty or unset is 0, and a value that is itself an expression is
        /// evaluated, as bash does.
        fn variable(&mut self, name: &str) -> Result<i64, String> {
            let value = self.shell.lookup(name).unwrap_or_default();
            let value = value.trim();
            if value.is_empty() {
                return Ok(0);
            }
            if let Ok(n) = value.parse::<i64>() {
                return Ok(n);
            }
            if self.depth > MAX_DEPTH {
                return Err(format!("{value}: expression recursion level exceeded"));
            }
            let text = value.to_owned();
            let mut inner = Arith {
                chars: text.chars().collect(),
                pos: 0,
                shell: &mut *self.shell,
                depth: self.depth + 1,
                source: text.clone(),
            };
            let v = inner.comma()?;
            inner.skip_blanks();
            if inner.pos < inner.chars.len() {
                return Err(inner.error_token());
            }
            Ok(v)
        }

        fn primary(&mut self) -> Result<i64, String> {
            self.skip_blanks();
            if self.eat("(") {
                let v = self.comma()?;
                if !self.eat(")") {
                    return Err(format!(
                        "{}: missing `)' (error token is \"{}\")",
                        self.source.trim(),
                        self.chars[self.pos.min(self.chars.len())..]
                            .iter()
                            .collect::<String>()
                            .trim()
                    ));
                }
                return Ok(v);
            }
            let Some(&c) = self.chars.get(self.pos) else {
                return Err(self.error_token());
            };
            if c.is_ascii_digit() {
                let digits: String = self.chars[self.pos..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                    .collect();
                self.pos += digits.chars().count();
                let parsed = if let Some(hex) = digits
                    .strip_prefix("0x")
                    .or_else(|| digits.strip_prefix("0X"))
                {
                    i64::from_str_radix(hex, 16).ok()
                } else if let Some((base, n)) = digits.split_once('#') {
                    base.parse::<u32>()
                        .ok()
                        .filter(|b| (2..=36).contains(b))
                        .and_then(|b| i64::from_str_radix(n, b).ok())
                } else if digits.len() > 1 && digits.starts_with('0') {
                    i64::from_str_radix(&digits[1..], 8).ok()
                } else {
                    digits.parse::<i64>().ok()
                };
                return parsed.ok_or_else(|| {
                    format!(
                        "{}: value too great for base (error token is \"{digits}\")",
                        self.source.trim()
                    )
                });
            }
            if c == '_' || c.is_ascii_alphabetic() {
                let name = self.name()?;
                if self.eat("++") {
                    let v = self.variable(&name)?;
                    self.shell.vars.insert(name, v.wrapping_add(1).to_string());
                    return Ok(v);
                }
                if self.eat("--") {
                    let v = self.variable(&name)?;
                    self.shell.vars.insert(name, v.wrapping_sub(1).to_string());
                    return Ok(v);
                }
                return self.variable(&name);
            }
            Err(self.error_token())
        }
    }

    /// `${NAME/PATTERN/STRING}`: the longest match of the glob at the leftmost place it matches (only at the
    /// start with `#`, only at the end with `%`) replaced, and every later one too with `all`. An empty pattern
    /// changes nothing.
    fn replace_matches(
        value: &str,
        pattern: &str,
        with: &str,
        all: bool,
        anchor: Option<char>,
    ) -> String {
        if pattern.is_empty() {
            return value.to_owned();
        }
        let Some(glob) = regex::glob(pattern) else {
            return value.to_owned();
        };
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        match anchor {
            Some('#') => {
                return match (0..=n).rev().find(|&e| glob.is_match(&piece(0, e))) {
                    Some(e) => format!("{with}{}", piece(e, n)),
                    None => value.to_owned(),
                }
            }
            Some(_) => {
                return match (0..=n).find(|&b| glob.is_match(&piece(b, n))) {
                    Some(b) => format!("{}{with}", piece(0, b)),
                    None => value.to_owned(),
                }
            }
            None => {}
        }
        let mut out = String::new();
        let mut i = 0;
        let mut replaced = false;
        while i < n {
            let end = if replaced && !all {
                None
            } else {
                (i + 1..=n).rev().find(|&e| glob.is_match(&piece(i, e)))
            };
            match end {
                Some(e) => {
                    out.push_str(with);
                    i = e;
                    replaced = true;
                }
                None => {
                    out.push(chars[i]);
                    i += 1;
                }
            }
        }
        out
    }

    fn report(error: &ShellError, out: &mut dyn FnMut(Stream, &str)) -> i32 {
        out(Stream::Stderr, &format!("{error}\n"));
        match error {
            ShellError::TooDeep | ShellError::Expansion(_) => 1,
            _ => 2,
        }
    }

    /// The index of `fd`'s destination: 0 for stdout, 1 for stderr.
    fn slot(fd: u32) -> usize {
        usize::from(fd == 2)
    }

    /// Splits an unquoted expansion on blanks into `fields`, joining its first and last pieces to the text
    /// around it (`pre$x` with `x="a b"` gives `prea` and `b`).
    fn split_into(value: &str, current: &mut Option<String>, fields: &mut Vec<String>) {
        const BLANKS: [char; 3] = [' ', '\t', '\n'];
        if value.starts_with(BLANKS) {
            fields.extend(current.take());
        }
        for (i, piece) in value.split(BLANKS).filter(|p| !p.is_empty()).enumerate() {
            if i > 0 {
                fields.extend(current.take());
            }
            current.get_or_insert_with(String::new).push_str(piece);
        }
        if value.ends_with(BLANKS) {
            fields.extend(current.take());
        }
    }

    /// The parsed alias value as one simple command when it is one (the usual case), so the rest of the line can
    /// be spliced in; otherwise the script back.
    fn single_simple(script: Script) -> Result<SimpleCommand, Script> {
        if script.lists.is_empty() {
            return Ok(SimpleCommand::default());
        }
        if let [AndOrList { first, rest }] = script.lists.as_slice() {
            if let (true, false, [Command::Simple(command)]) =
                (rest.is_empty(), first.negated, first.commands.as_slice())
            {
                return Ok(command.clone());
            }
        }
        Err(script)
    }

    /// Gives the words and redirections after an alias to the last command of its expansion, and the
    /// assignments before it to the first, as textual substitution would.
    fn splice_into_script(script: &mut Script, original: &SimpleCommand) {
        if let Some(list) = script.lists.last_mut() {
            let pipeline = match list.rest.last_mut() {
                Some((_, pipeline)) => pipeline,
                None => &mut list.first,
            };
            match pipeline.commands.last_mut() {
                Some(Command::Simple(command)) => {
                    command.words.extend(original.words.iter().skip(1).cloned());
                    command.redirects.extend(original.redirects.iter().cloned());
                }
                Some(Command::For(for_loop)) => {
                    for_loop
                        .redirects
                        .extend(original.redirects.iter().cloned());
                }
                Some(Command::If(c)) => c.redirects.extend(original.redirects.iter().cloned()),
                Some(Command::Loop(c)) => c.redirects.extend(original.redirects.iter().cloned()),
                Some(Command::Group(c) | Command::Subshell(c)) => {
                    c.redirects.extend(original.redirects.iter().cloned())
                }
                Some(Command::Case(c)) => c.redirects.extend(original.redirects.iter().cloned()),
                Some(Command::Cond(_)) | None => {}
            }
        }
        if let Some(Command::Simple(command)) = script
            .lists
            .first_mut()
            .and_then(|list| list.first.commands.first_mut())
        {
            let mut assignments = original.assignments.clone();
            assignments.append(&mut command.assignments);
            command.assignments = assignments;
        }
    }

    /// `'value'` with embedded quotes written as `'\''`, as `alias` prints it.
    fn single_quote(value: &str) -> String {
        format!("'{}'", value.replace('\'', r"'\''"))
    }

    fn valid_alias_name(name: &str) -> bool {
        !name.is_empty()
            && !name.contains([
                '/', '$', '`', '=', '\'', '"', '\\', ' ', '\t', '\n', ';', '&', '|', '<', '>', '(',
                ')',
            ])
    }

    /// `echo`'s `-e` escapes. The flag is whether `\c` asked to stop (and so to drop the final newline).
    fn echo_escapes(text: &str) -> (String, bool) {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('a') => out.push('\u{7}'),
                Some('b') => out.push('\u{8}'),
                Some('e' | 'E') => out.push('\u{1b}'),
                Some('f') => out.push('\u{c}'),
                Some('v') => out.push('\u{b}'),
                Some('\\') => out.push('\\'),
                Some('c') => return (out, true),
                Some('0') => {
                    let mut value = 0u32;
                    for _ in 0..3 {
                        match chars.peek().and_then(|d| d.to_digit(8)) {
                            Some(d) => {
                                value = value * 8 + d;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.extend(char::from_u32(value));
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        }
        (out, false)
    }

    /// A command's standard input: text and how much of it `read` has consumed, shared by every command that
    /// reads the same stream (the condition and body of `while read …; do …; done < file` read on line by
    /// line). Other commands are offered what is left without consuming it: whether a host command reads its
    /// stdin is the command's own business.
    pub(super) struct Input {
        text: String,
        consumed: Cell<usize>,
    }

    impl Input {
        fn new(text: String) -> Input {
            Input {
                text,
                consumed: Cell::new(0),
            }
        }

        /// What has not been read yet.
        fn rest(&self) -> &str {
            self.text.get(self.consumed.get()..).unwrap_or("")
        }

        /// Reads up to and including `delim` (the rest when it never comes); `None` at the end of the input.
        fn read_until(&self, delim: char) -> Option<(&str, bool)> {
            let rest = self.rest();
            if rest.is_empty() {
                return None;
            }
            match rest.find(delim) {
                Some(i) => {
                    self.consumed
                        .set(self.consumed.get() + i + delim.len_utf8());
                    Some((&rest[..i], true))
                }
                None => {
                    self.consumed.set(self.text.len());
                    Some((rest, false))
                }
            }
        }

        /// Reads at most `n` characters, stopping after `delim` (if any).
        fn read_chars(&self, n: usize, delim: Option<char>) -> Option<(&str, bool)> {
            let rest = self.rest();
            if rest.is_empty() {
                return None;
            }
            let mut end = rest.len();
            let mut ended = false;
            for (count, (i, c)) in rest.char_indices().enumerate() {
                if Some(c) == delim {
                    self.consumed.set(self.consumed.get() + i + c.len_utf8());
                    return Some((&rest[..i], true));
                }
                if count == n {
                    end = i;
                    ended = true;
                    break;
                }
            }
            self.consumed.set(self.consumed.get() + end);
            Some((&rest[..end], ended || end < rest.len()))
        }
    }

    /// What runs inside a command's redirections.
    enum Body<'a> {
        For(&'a ForLoop),
        If(&'a IfCommand),
        Loop(&'a LoopCommand),
        Group(&'a Script),
        Subshell(&'a Script),
        Case(&'a CaseCommand),
        /// A simple command, after expansion.
        Dispatch {
            argv: &'a [String],
            env: &'a [(String, String)],
        },
        /// Nothing but redirections (`> file`): the status of the last `$(…)`.
        Status(i32),
    }

    /// The redirections of one command, opened: where each output goes and what its input is.
    struct Redirected {
        dest: [Dest; 2],
        files: Vec<String>,
        buffers: Vec<String>,
        input: Option<String>,
    }

    impl Redirected {
        fn route(&mut self, out: &mut dyn FnMut(Stream, &str), stream: Stream, text: &str) {
            let to = match stream {
                Stream::Stdout => self.dest[0],
                Stream::Stderr => self.dest[1],
            };
            match to {
                Dest::Stdout => out(Stream::Stdout, text),
                Dest::Stderr => out(Stream::Stderr, text),
                Dest::Null => {}
                Dest::File(i) => {
                    if let Some(buffer) = self.buffers.get_mut(i) {
                        buffer.push_str(text);
                    }
                }
            }
        }
    }

    impl Shell {
        /// A fresh login: no variables, aliases or exports; user `student` on host `ordinal-terminal`.
        pub fn new() -> Self {
            Self::default()
        }

        /// `$?`: the status of the last pipeline.
        pub fn last_status(&self) -> i32 {
            self.last_status
        }

        /// Runs `script`, collecting its output.
        pub fn execute(&mut self, script: &Script, host: &mut dyn Host) -> Output {
            let mut output = Output::default();
            output.status = self
                .execute_streaming(script, host, &mut |stream, text| output.print(stream, text));
            output
        }

        /// Runs `script`, handing each piece of output to `out` as it is produced, and returns the status.
        pub fn execute_streaming(
            &mut self,
            script: &Script,
            host: &mut dyn Host,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            self.commands_run = 0;
            self.aborted = false;
            self.halted = false;
            let link = Link::default();
            drive(self.run_script(script, &link, None, out), &link, host)
        }

        /// Parses and runs one line; a syntax error is printed as bash prints it, with status 2.
        pub fn run_line(&mut self, input: &str, host: &mut dyn Host) -> Output {
            match parse(input) {
                Ok(script) => self.execute(&script, host),
                Err(error) => {
                    let mut output = Output::default();
                    output.status = report(&error, &mut |_, text| output.push_stderr(text));
                    self.last_status = output.status;
                    output
                }
            }
        }

        /// Ctrl+C stopped a script part-way: bash drops back to its prompt with `$?` 130 and no loop, alias or
        /// substitution still open.
        fn interrupted(&mut self) {
            self.alias_guard.clear();
            self.depth = 0;
            self.aborted = false;
            self.halted = false;
            self.errexit_suppressed = 0;
            self.breaking = 0;
            self.continuing = 0;
            self.loop_depth = 0;
            self.last_status = 130;
        }

        fn run_script<'a>(
            &'a mut self,
            script: &'a Script,
            link: &'a Link,
            stdin: Option<&'a Input>,
            out: &'a mut dyn FnMut(Stream, &str),
        ) -> Boxed<'a, i32> {
            Box::pin(async move {
                let mut status = 0;
                for list in &script.lists {
                    if self.aborted || self.breaking > 0 || self.continuing > 0 {
                        break;
                    }
                    let (s, exits) = self.run_and_or_checked(list, link, stdin, out).await;
                    status = s;
                    if exits && status != 0 && self.errexit && self.errexit_suppressed == 0 {
                        self.aborted = true;
                    }
                }
                status
            })
        }

        /// Runs an and-or list; also says whether its status came from the last pipeline of the list run
        /// unnegated, which is when `set -e` exits on failure.
        async fn run_and_or_checked(
            &mut self,
            list: &AndOrList,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> (i32, bool) {
            let count = list.rest.len();
            if count == 0 {
                if list.first.negated {
                    self.errexit_suppressed += 1;
                }
                let status = self.run_pipeline(&list.first, link, stdin, out).await;
                if list.first.negated {
                    self.errexit_suppressed -= 1;
                }
                return (status, !list.first.negated);
            }
            self.errexit_suppressed += 1;
            let mut status = self.run_pipeline(&list.first, link, stdin, out).await;
            let mut exits = false;
            for (i, (connector, pipeline)) in list.rest.iter().enumerate() {
                if self.aborted {
                    break;
                }
                let run = match connector {
                    Connector::And => status == 0,
                    Connector::Or => status != 0,
                };
                if !run {
                    continue;
                }
                let last = i + 1 == count;
                if last {
                    self.errexit_suppressed -= 1;
                }
                status = self.run_pipeline(pipeline, link, stdin, out).await;
                if last {
                    self.errexit_suppressed += 1;
                    exits = !pipeline.negated;
                }
            }
            self.errexit_suppressed -= 1;
            (status, exits)
        }

        /// Runs the commands one after another, each one's stdout becoming the next one's stdin. In a pipeline of
        /// several commands each runs in a subshell, as in bash: `x=1 | true` leaves `x` unset.
        async fn run_pipeline(
            &mut self,
            pipeline: &Pipeline,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            // The first command reads the pipeline's stdin; each later one what the one before it printed.
            let mut piped: Option<Input> = None;
            let mut status = 0;
            let mut statuses = Vec::new();
            let last = pipeline.commands.len().saturating_sub(1);
            for (i, command) in pipeline.commands.iter().enumerate() {
                if self.aborted {
                    break;
                }
                let input = if i == 0 { stdin } else { piped.as_ref() };
                if i < last {
                    let mut printed = String::new();
                    let saved = self.enter_subshell();
                    status = self
                        .run_command(command, link, input, &mut |stream, text| match stream {
                            Stream::Stdout => printed.push_str(text),
                            Stream::Stderr => out(Stream::Stderr, text),
                        })
                        .await;
                    self.leave_subshell(saved);
                    piped = Some(Input::new(printed));
                } else if last > 0 {
                    let saved = self.enter_subshell();
                    status = self.run_command(command, link, input, out).await;
                    self.leave_subshell(saved);
                } else {
                    status = self.run_command(command, link, input, out).await;
                }
                statuses.push(status);
            }
            if self.pipefail {
                status = statuses
                    .iter()
                    .rev()
                    .copied()
                    .find(|s| *s != 0)
                    .unwrap_or(status);
            }
            if pipeline.negated {
                status = i32::from(status == 0);
            }
            self.last_status = status;
            status
        }

        /// What a subshell gives back when it ends: the variables, exports and aliases from before it.
        fn enter_subshell(&self) -> Subshell {
            (
                self.vars.clone(),
                self.exported.clone(),
                self.aliases.clone(),
            )
        }

        /// Also ends an `exit` or `set -e` that stopped the subshell: only a halt reaches past it.
        fn leave_subshell(&mut self, saved: Subshell) {
            (self.vars, self.exported, self.aliases) = saved;
            if !self.halted {
                self.aborted = false;
            }
        }

        async fn run_command(
            &mut self,
            command: &Command,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            match command {
                Command::Simple(simple) => self.run_simple(simple, link, stdin, out).await,
                Command::For(c) => {
                    self.with_redirects(&c.redirects, link, stdin, out, Body::For(c))
                        .await
                }
                Command::If(c) => {
                    self.with_redirects(&c.redirects, link, stdin, out, Body::If(c))
                        .await
                }
                Command::Loop(c) => {
                    self.with_redirects(&c.redirects, link, stdin, out, Body::Loop(c))
                        .await
                }
                Command::Group(g) => {
                    self.with_redirects(&g.redirects, link, stdin, out, Body::Group(&g.body))
                        .await
                }
                Command::Subshell(g) => {
                    self.with_redirects(&g.redirects, link, stdin, out, Body::Subshell(&g.body))
                        .await
                }
                Command::Case(c) => {
                    self.with_redirects(&c.redirects, link, stdin, out, Body::Case(c))
                        .await
                }
                Command::Cond(expr) => {
                    let mut trace = Vec::new();
                    let result = self.eval_cond(expr, link, out, &mut trace).await;
                    if self.xtrace {
                        out(
                            Stream::Stderr,
                            &format!("{} [[ {} ]]\n", self.xtrace_prefix(), trace.join(" ")),
                        );
                    }
                    match result {
                        Ok(true) => 0,
                        Ok(false) => 1,
                        Err(status) => status,
                    }
                }
            }
        }

        /// Runs what is inside a command's redirections.
        async fn run_body(
            &mut self,
            body: Body<'_>,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            match body {
                Body::For(c) => self.run_for(c, link, stdin, out).await,
                Body::If(c) => self.run_if(c, link, stdin, out).await,
                Body::Loop(c) => self.run_loop(c, link, stdin, out).await,
                Body::Group(script) => self.run_script(script, link, stdin, out).await,
                Body::Subshell(script) => {
                    let saved = self.enter_subshell();
                    let status = self.run_script(script, link, stdin, out).await;
                    self.leave_subshell(saved);
                    status
                }
                Body::Case(c) => self.run_case(c, link, stdin, out).await,
                Body::Dispatch { argv, env } => self.dispatch(argv, env, link, stdin, out).await,
                Body::Status(status) => status,
            }
        }

        /// `if`/`elif`/`else`: each condition runs with `set -e` suspended.
        async fn run_if(
            &mut self,
            c: &IfCommand,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            for (condition, body) in &c.branches {
                self.errexit_suppressed += 1;
                let test = self.run_script(condition, link, stdin, out).await;
                self.errexit_suppressed -= 1;
                if self.aborted || self.breaking > 0 || self.continuing > 0 {
                    return test;
                }
                if test == 0 {
                    return self.run_script(body, link, stdin, out).await;
                }
            }
            match &c.otherwise {
                Some(body) => self.run_script(body, link, stdin, out).await,
                None => 0,
            }
        }

        /// `case`: the word, expanded without splitting, against each item's patterns in turn; the first that
        /// matches runs its list, and its end says whether to stop (`;;`), run the next list too (`;&`) or test
        /// the next patterns (`;;&`). No match is status 0.
        async fn run_case(
            &mut self,
            c: &CaseCommand,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            let word = match self.expand_string(&c.word, link, out).await {
                Ok(w) => w,
                Err(e) => return report(&e, out),
            };
            let mut status = 0;
            let mut run_next = false;
            for item in &c.items {
                if self.aborted || self.breaking > 0 || self.continuing > 0 {
                    break;
                }
                let mut matched = run_next;
                for pattern in &item.patterns {
                    if matched {
                        break;
                    }
                    match self.glob_pattern(pattern, link, out).await {
                        Ok(p) => matched = regex::glob_match(&p, &word),
                        Err(e) => return report(&e, out),
                    }
                }
                if !matched {
                    continue;
                }
                status = self.run_script(&item.body, link, stdin, out).await;
                match item.end {
                    CaseEnd::Break => break,
                    CaseEnd::FallThrough => run_next = true,
                    CaseEnd::TestNext => run_next = false,
                }
            }
            status
        }

        /// `while`/`until`: the condition runs with `set -e` suspended; `break` and `continue` end the body.
        async fn run_loop(
            &mut self,
            c: &LoopCommand,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            let mut status = 0;
            self.loop_depth += 1;
            loop {
                if self.aborted {
                    break;
                }
                self.errexit_suppressed += 1;
                let test = self.run_script(&c.condition, link, stdin, out).await;
                self.errexit_suppressed -= 1;
                if self.aborted || (test == 0) == c.until || self.leave_iteration() {
                    break;
                }
                status = self.run_script(&c.body, link, stdin, out).await;
                if self.leave_iteration() {
                    break;
                }
            }
            self.loop_depth -= 1;
            status
        }

        /// After a loop body: whether the loop ends (`break`), taking one level off `break N`/`continue N`.
        fn leave_iteration(&mut self) -> bool {
            if self.breaking > 0 {
                self.breaking -= 1;
                return true;
            }
            if self.continuing > 0 {
                self.continuing -= 1;
                return self.continuing > 0;
            }
            false
        }

        /// A loop's stdin (from a pipe or a here-document) is offered to every command in its body.
        async fn run_for(
            &mut self,
            for_loop: &ForLoop,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            let mut items = Vec::new();
            for word in for_loop.words.iter().flatten() {
                match self.expand_fields(word, link, out).await {
                    Ok(fields) => items.extend(fields),
                    Err(error) => return report(&error, out),
                }
            }
            let mut status = 0;
            self.loop_depth += 1;
            for item in items {
                if self.aborted {
                    break;
                }
                self.vars.insert(for_loop.name.clone(), item);
                status = self.run_script(&for_loop.body, link, stdin, out).await;
                if self.leave_iteration() {
                    break;
                }
            }
            self.loop_depth -= 1;
            status
        }

        async fn run_simple(
            &mut self,
            command: &SimpleCommand,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            // A job that waited since the last command is not a runaway loop.
            if link.waited.take() {
                self.commands_run = 0;
            }
            if self.commands_run >= MAX_COMMANDS {
                if !self.halted {
                    self.aborted = true;
                    self.halted = true;
                    out(
                        Stream::Stderr,
                        &format!(
                            "bash: stopped after {MAX_COMMANDS} commands, this terminal's limit\n"
                        ),
                    );
                }
                return 1;
            }
            self.commands_run += 1;
            if link.should_stop().await {
                self.aborted = true;
                self.halted = true;
                return 0;
            }
            let guard = self.alias_guard.len();
            let status = match self.expand_aliases(command) {
                Err(error) => report(&error, out),
                // The words now come from the learner's text again, so a `$(kubectl …)` among them sees the
                // `kubectl` alias even while the outer `kubectl` is being expanded.
                Ok(Aliased::Unchanged) => {
                    self.alias_guard.truncate(guard);
                    self.run_expanded(command, link, stdin, out).await
                }
                Ok(Aliased::Simple(expanded)) => {
                    self.alias_guard.truncate(guard);
                    self.run_expanded(&expanded, link, stdin, out).await
                }
                Ok(Aliased::Script(_)) if self.depth >= MAX_DEPTH => {
                    report(&ShellError::TooDeep, out)
                }
                Ok(Aliased::Script(script)) => {
                    self.depth += 1;
                    let status = self.run_script(&script, link, stdin, out).await;
                    self.depth -= 1;
                    status
                }
            };
            self.alias_guard.truncate(guard);
            status
        }

        /// Replaces an unquoted first word that names an alias by the alias's value, re-parsed, until the first
        /// word is not an alias or is one already being expanded. The names expanded are pushed on `alias_guard`;
        /// when the value was several commands they stay there while those run (bash does not expand `ls` in
        /// `alias ls='ls; ls'` either). An alias that reaches itself through `$(…)` recurses, as in bash, until
        /// the depth limit stops it.
        fn expand_aliases(&mut self, command: &SimpleCommand) -> Result<Aliased, ShellError> {
            let mut current: Option<SimpleCommand> = None;
            loop {
                let command_now = current.as_ref().unwrap_or(command);
                let Some(name) = command_now.words.first().and_then(Word::plain) else {
                    break;
                };
                if self.alias_guard.iter().any(|g| g == name) {
                    break;
                }
                let Some(value) = self.aliases.get(name) else {
                    break;
                };
                let script = parse(value)?;
                self.alias_guard.push(name.to_owned());
                match single_simple(script) {
                    Ok(mut expanded) => {
                        let mut assignments = command_now.assignments.clone();
                        assignments.append(&mut expanded.assignments);
                        expanded.assignments = assignments;
                        expanded
                            .words
                            .extend(command_now.words.iter().skip(1).cloned());
                        expanded
                            .redirects
                            .extend(command_now.redirects.iter().cloned());
                        current = Some(expanded);
                    }
                    Err(mut script) => {
                        splice_into_script(&mut script, command_now);
                        return Ok(Aliased::Script(script));
                    }
                }
            }
            Ok(current.map_or(Aliased::Unchanged, Aliased::Simple))
        }

        async fn run_expanded(
            &mut self,
            command: &SimpleCommand,
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            self.last_subst_status = 0;
            let mut argv = Vec::new();
            for word in &command.words {
                match self.expand_fields(word, link, out).await {
                    Ok(fields) => argv.extend(fields),
                    Err(error) => return report(&error, out),
                }
            }
            // Assignments take effect left to right, so `A=1 B=$A` gives B the new A; before a command they are
            // undone afterwards and only its environment keeps them.
            let mut env = Vec::new();
            let mut previous = Vec::new();
            let mut failed = None;
            for assignment in &command.assignments {
                match self.expand_string(&assignment.value, link, out).await {
                    Ok(value) => {
                        let name = assignment.name.clone();
                        previous
                            .push((name.clone(), self.vars.insert(name.clone(), value.clone())));
                        env.push((name, value));
                    }
                    Err(error) => {
                        failed = Some(error);
                        break;
                    }
                }
            }
            if !argv.is_empty() {
                for (name, value) in previous.into_iter().rev() {
                    match value {
                        Some(value) => self.vars.insert(name, value),
                        None => self.vars.remove(&name),
                    };
                }
            }
            if let Some(error) = failed {
                return report(&error, out);
            }
            if self.xtrace {
                let mut traced: Vec<String> = env
                    .iter()
                    .map(|(k, v)| format!("{k}={}", xtrace_quote(v)))
                    .collect();
                traced.extend(argv.iter().map(|a| xtrace_quote(a)));
                out(
                    Stream::Stderr,
                    &format!("{} {}\n", self.xtrace_prefix(), traced.join(" ")),
                );
            }
            let body = if argv.is_empty() {
                Body::Status(self.last_subst_status)
            } else {
                Body::Dispatch {
                    argv: &argv,
                    env: &env,
                }
            };
            self.with_redirects(&command.redirects, link, stdin, out, body)
                .await
        }

        /// Sets up the redirections, runs `body` with the resulting stdin and outputs, then writes what went to
        /// files. A redirection that fails prints bash's message and the command does not run (status 1).
        async fn with_redirects(
            &mut self,
            redirects: &[Redirect],
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
            body: Body<'_>,
        ) -> i32 {
            if redirects.is_empty() {
                return self.run_body(body, link, stdin, out).await;
            }
            let mut opened = Redirected {
                dest: [Dest::Stdout, Dest::Stderr],
                files: Vec::new(),
                buffers: Vec::new(),
                input: None,
            };
            for redirect in redirects {
                if let Err(status) = self.open_redirect(redirect, link, out, &mut opened).await {
                    return status;
                }
            }
            opened.buffers = vec![String::new(); opened.files.len()];
            // A redirected input is the body's own (one `read` after another consumes it); otherwise the body
            // reads on from the stdin it was given.
            let own = opened.input.take().map(Input::new);
            let input = own.as_ref().or(stdin);
            let status = self
                .run_body(body, link, input, &mut |stream, text| {
                    opened.route(out, stream, text)
                })
                .await;
            for (path, text) in opened.files.iter().zip(&opened.buffers) {
                if text.is_empty() {
                    continue;
                }
                if let Err(message) = link.write_file(path, text, true).await {
                    out(Stream::Stderr, &format!("bash: {path}: {message}\n"));
                }
            }
            status
        }

        async fn open_redirect(
            &mut self,
            redirect: &Redirect,
            link: &Link,
            out: &mut dyn FnMut(Stream, &str),
            opened: &mut Redirected,
        ) -> Result<(), i32> {
            match redirect {
                Redirect::Output { fd, target, append } => {
                    let path = match self.expand_string(target, link, out).await {
                        Ok(path) => path,
                        Err(e) => return Err(report(&e, out)),
                    };
                    opened.dest[slot(*fd)] = match path.as_str() {
                        "/dev/null" => Dest::Null,
                        "/dev/stdout" => Dest::Stdout,
                        "/dev/stderr" => Dest::Stderr,
                        _ => {
                            if let Err(message) = link.write_file(&path, "", *append).await {
                                out(Stream::Stderr, &format!("bash: {path}: {message}\n"));
                                return Err(1);
                            }
                            let files = &mut opened.files;
                            let i = files.iter().position(|f| *f == path).unwrap_or(files.len());
                            if i == files.len() {
                                files.push(path);
                            }
                            Dest::File(i)
                        }
                    };
                }
                Redirect::Duplicate { fd, to } => opened.dest[slot(*fd)] = opened.dest[slot(*to)],
                Redirect::Input { target } => {
                    let path = match self.expand_string(target, link, out).await {
                        Ok(path) => path,
                        Err(e) => return Err(report(&e, out)),
                    };
                    if path == "/dev/null" {
                        opened.input = Some(String::new());
                    } else {
                        match link.read_file(&path).await {
                            Ok(contents) => opened.input = Some(contents),
                            Err(message) => {
                                out(Stream::Stderr, &format!("bash: {path}: {message}\n"));
                                return Err(1);
                            }
                        }
                    }
                }
                Redirect::HereDoc { body, .. } => match self.expand_string(body, link, out).await {
                    Ok(text) => opened.input = Some(text),
                    Err(e) => return Err(report(&e, out)),
                },
                Redirect::HereString { target } => {
                    match self.expand_string(target, link, out).await {
                        Ok(mut text) => {
                            text.push('\n');
                            opened.input = Some(text);
                        }
                        Err(e) => return Err(report(&e, out)),
                    }
                }
            }
            Ok(())
        }

        /// A word's fields: unquoted expansions split on blanks, an unquoted expansion that is empty disappears,
        /// and anything quoted (even `""`) makes a field.
        async fn expand_fields(
            &mut self,
            word: &Word,
            link: &Link,
            out: &mut dyn FnMut(Stream, &str),
        ) -> Result<Vec<String>, ShellError> {
            let mut fields = Vec::new();
            let mut current: Option<String> = None;
            for part in &word.parts {
                match part {
                    WordPart::Literal(text) | WordPart::Quoted(text) => {
                        current.get_or_insert_with(String::new).push_str(text);
                    }
                    WordPart::Param { quoted: true, .. }
                    | WordPart::CommandSubst { quoted: true, .. }
                    | WordPart::Arith { quoted: true, .. }
                    | WordPart::ParamOp { quoted: true, .. } => {
                        let value = self.part_value(part, link, out).await?;
                        current.get_or_insert_with(String::new).push_str(&value);
                    }
                    WordPart::ParamOp {
                        name,
                        op,
                        arg,
                        arg2,
                        quoted: false,
                        ..
                    } => {
                        // A word that came from quoted text stays one field.
                        let (value, quoted_word) = self
                            .param_op(name, *op, arg, arg2.as_ref(), link, out)
                            .await?;
                        if quoted_word {
                            current.get_or_insert_with(String::new).push_str(&value);
                        } else {
                            split_into(&value, &mut current, &mut fields);
                        }
                    }
                    WordPart::Param {
                        name,
                        quoted: false,
                        ..
                    } if !name.starts_with('#')
                        && (name.ends_with("[@]") || name.ends_with("[*]")) =>
                    {
                        // `${A[@]}` unquoted: each element is split on its own.
                        let base = name.split('[').next().unwrap_or("");
                        for element in self.arrays.get(base).cloned().unwrap_or_default() {
                            split_into(&element, &mut current, &mut fields);
                            fields.extend(current.take());
                        }
                    }
                    WordPart::Param { .. }
                    | WordPart::CommandSubst { .. }
                    | WordPart::Arith { .. } => {
                        let value = self.part_value(part, link, out).await?;
                        split_into(&value, &mut current, &mut fields);
                    }
                }
            }
            fields.extend(current);
            Ok(fields)
        }

        /// A word expanded without splitting: assignment values, redirection targets, here-document bodies.
        async fn expand_string(
            &mut self,
            word: &Word,
            link: &Link,
            out: &mut dyn FnMut(Stream, &str),
        ) -> Result<String, ShellError> {
            let mut text = String::new();
            for part in &word.parts {
                text.push_str(&self.part_value(part, link, out).await?);
            }
            Ok(text)
        }

        /// Whether `$name` is set (`${name-…}` tells unset from empty).
        fn is_set(&self, name: &str) -> bool {
            if let Some((base, index)) = name.split_once('[') {
                let index = index.trim_end_matches(']');
                return match (self.arrays.get(base), index) {
                    (Some(a), "@" | "*") => !a.is_empty(),
                    (Some(a), i) => i.parse::<usize>().is_ok_and(|n| n < a.len()),
                    (None, "0" | "@" | "*") => self.lookup(base).is_some(),
                    (None, _) => false,
                };
            }
            match name {
                "?" | "$" | "#" | "0" | "-" => true,
                "@" | "*" | "!" => false,
                n if n.chars().all(|c| c.is_ascii_digit()) => false,
                n => self.lookup(n).is_some(),
            }
        }

        /// `${NAME OP WORD}` (bash's manual, "Shell Parameter Expansion"). Also says whether the value is
        /// the word and that word was all quoted, so that unquoted it is still one field.
        fn param_op<'a>(
            &'a mut self,
            name: &'a str,
            op: ParamOp,
            arg: &'a Word,
            arg2: Option<&'a Word>,
            link: &'a Link,
            out: &'a mut dyn FnMut(Stream, &str),
        ) -> Boxed<'a, Result<(String, bool), ShellError>> {
            Box::pin(async move {
                let set = self.is_set(name);
                let value = self.param(name);
                let all_quoted = !arg.parts.is_empty()
                    && arg.parts.iter().all(|p| {
                        matches!(
                            p,
                            WordPart::Quoted(_)
                                | WordPart::Param { quoted: true, .. }
                                | WordPart::CommandSubst { quoted: true, .. }
                                | WordPart::Arith { quoted: true, .. }
                                | WordPart::ParamOp { quoted: true, .. }
                        )
                    });
                let missing = |colon: bool| !set || (colon && value.is_empty());
                Ok(match op {
                    ParamOp::Default { colon } if missing(colon) => {
                        (self.expand_string(arg, link, out).await?, all_quoted)
                    }
                    ParamOp::Assign { colon } if missing(colon) => {
                        let word = self.expand_string(arg, link, out).await?;
                        if !is_name(name) {
                            return Err(ShellError::Expansion(format!(
                                "${name}: cannot assign in this way"
                            )));
                        }
                        self.vars.insert(name.to_owned(), word.clone());
                        (word, all_quoted)
                    }
                    ParamOp::Alternative { colon } => {
                        if missing(colon) {
                            (String::new(), false)
                        } else {
                            (self.expand_string(arg, link, out).await?, all_quoted)
                        }
                    }
                    ParamOp::Error { colon } if missing(colon) => {
                        let word = self.expand_string(arg, link, out).await?;
                        let message = match (word.is_empty(), colon) {
                            (false, _) => word,
                            (true, true) => "parameter null or not set".to_owned(),
                            (true, false) => "parameter not set".to_owned(),
                        };
                        return Err(ShellError::Expansion(format!("{name}: {message}")));
                    }
                    ParamOp::Default { .. } | ParamOp::Assign { .. } | ParamOp::Error { .. } => {
                        (value, false)
                    }
                    ParamOp::RemovePrefix { longest } | ParamOp::RemoveSuffix { longest } => {
                        let pattern = self.glob_pattern(arg, link, out).await?;
                        let glob = regex::glob(&pattern);
                        let chars: Vec<char> = value.chars().collect();
                        let n = chars.len();
                        let prefix = matches!(op, ParamOp::RemovePrefix { .. });
                        let lengths: Vec<usize> = if longest {
                            (0..=n).rev().collect()
                        } else {
                            (0..=n).collect()
                        };
                        let cut = lengths.into_iter().find(|&k| {
                            let piece: String = if prefix {
                                chars[..k].iter().collect()
                            } else {
                                chars[n - k..].iter().collect()
                            };
                            glob.as_ref().is_some_and(|g| g.is_match(&piece))
                        });
                        let kept: String = match cut {
                            Some(k) if prefix => chars[k..].iter().collect(),
                            Some(k) => chars[..n - k].iter().collect(),
                            None => value,
                        };
                        (kept, false)
                    }
                    ParamOp::Replace { all, anchor } => {
                        let pattern = self.glob_pattern(arg, link, out).await?;
                        let with = match arg2 {
                            Some(w) => self.expand_string(w, link, out).await?,
                            None => String::new(),
                        };
                        (replace_matches(&value, &pattern, &with, all, anchor), false)
                    }
                    ParamOp::Substring => {
                        let chars: Vec<char> = value.chars().collect();
                        let n = chars.len() as i64;
                        let offset_text = self.expand_string(arg, link, out).await?;
                        let offset = self
                            .arithmetic(&offset_text)
                            .map_err(ShellError::Arithmetic)?;
                        let start = if offset < 0 { n + offset } else { offset };
                        if start < 0 || start > n {
                            return Ok((String::new(), false));
                        }
                        let end = match arg2 {
                            None => n,
                            Some(w) => {
                                let text = self.expand_string(w, link, out).await?;
                                let length =
                                    self.arithmetic(&text).map_err(ShellError::Arithmetic)?;
                                let end = if length < 0 {
                                    n + length
                                } else {
                                    start + length
                                };
                                if end < start {
                                    return Err(ShellError::Expansion(format!(
                                        "{length}: substring expression < 0"
                                    )));
                                }
                                end.min(n)
                            }
                        };
                        (chars[start as usize..end as usize].iter().collect(), false)
                    }
                    ParamOp::Case { upper, all } => {
                        let convert = |c: char| -> String {
                            if upper {
                                c.to_uppercase().collect()
                            } else {
                                c.to_lowercase().collect()
                            }
                        };
                        let mut chars = value.chars();
                        let text = if all {
                            chars.map(convert).collect()
                        } else {
                            match chars.next() {
                                Some(first) => format!("{}{}", convert(first), chars.as_str()),
                                None => String::new(),
                            }
                        };
                        (text, false)
                    }
                })
            })
        }

        /// A word as a glob pattern: its unquoted text and unquoted expansions are pattern, anything quoted
        /// matches itself.
        async fn glob_pattern(
            &mut self,
            word: &Word,
            link: &Link,
            out: &mut dyn FnMut(Stream, &str),
        ) -> Result<String, ShellError> {
            let mut pattern = String::new();
            for part in &word.parts {
                let literal = matches!(
                    part,
                    WordPart::Quoted(_)
                        | WordPart::Param { quoted: true, .. }
                        | WordPart::CommandSubst { quoted: true, .. }
                        | WordPart::Arith { quoted: true, .. }
                        | WordPart::ParamOp { quoted: true, .. }
                );
                let value = self.part_value(part, link, out).await?;
                if literal {
                    pattern.push_str(&regex::escape(&value));
                } else {
                    pattern.push_str(&value);
                }
            }
            Ok(pattern)
        }

        fn part_value<'a>(
            &'a mut self,
            part: &'a WordPart,
            link: &'a Link,
            out: &'a mut dyn FnMut(Stream, &str),
        ) -> Boxed<'a, Result<String, ShellError>> {
            Box::pin(async move {
                match part {
                    WordPart::Literal(text) | WordPart::Quoted(text) => Ok(text.clone()),
                    WordPart::Param { name, .. } => Ok(self.param(name)),
                    WordPart::ParamOp {
                        name,
                        op,
                        arg,
                        arg2,
                        ..
                    } => Ok(self
                        .param_op(name, *op, arg, arg2.as_ref(), link, out)
                        .await?
                        .0),
                    WordPart::CommandSubst { script, .. } => {
                        self.substitute(script, link, out).await
                    }
                    WordPart::Arith { expr, .. } => {
                        let text = self.expand_string(expr, link, out).await?;
                        match self.arithmetic(&text) {
                            Ok(n) => Ok(n.to_string()),
                            Err(message) => Err(ShellError::Arithmetic(message)),
                        }
                    }
                }
            })
        }

        /// `$(…)`: runs in a subshell; its stdout, without trailing newlines, is the value; its stderr passes
        /// through.
        async fn substitute(
            &mut self,
            script: &Script,
            link: &Link,
            out: &mut dyn FnMut(Stream, &str),
        ) -> Result<String, ShellError> {
            if self.depth >= MAX_DEPTH {
                return Err(ShellError::TooDeep);
            }
            // `$(<file)`: the file's contents, without running anything.
            if let [AndOrList { first, rest }] = script.lists.as_slice() {
                if let (true, [Command::Simple(c)]) = (rest.is_empty(), first.commands.as_slice()) {
                    if let ([], [], [Redirect::Input { target }]) = (
                        c.words.as_slice(),
                        c.assignments.as_slice(),
                        c.redirects.as_slice(),
                    ) {
                        let path = self.expand_string(target, link, out).await?;
                        return match link.read_file(&path).await {
                            Ok(text) => {
                                self.last_subst_status = 0;
                                Ok(text.trim_end_matches('\n').to_owned())
                            }
                            Err(message) => {
                                out(Stream::Stderr, &format!("bash: {path}: {message}\n"));
                                self.last_subst_status = 1;
                                Ok(String::new())
                            }
                        };
                    }
                }
            }
            self.depth += 1;
            let mut captured = String::new();
            let saved = self.enter_subshell();
            let status = self
                .run_script(script, link, None, &mut |stream, text| match stream {
                    Stream::Stdout => captured.push_str(text),
                    Stream::Stderr => out(Stream::Stderr, text),
                })
                .await;
            self.leave_subshell(saved);
            self.depth -= 1;
            self.last_subst_status = status;
            Ok(captured.trim_end_matches('\n').to_owned())
        }

        /// A variable's value, with the login defaults a terminal would have.
        fn lookup(&self, name: &str) -> Option<String> {
            if let Some(value) = self.vars.get(name) {
                return Some(value.clone());
            }
            match name {
                "USER" | "LOGNAME" => Some(self.user.clone()),
                "HOME" => Some(format!("/home/{}", self.user)),
                "HOSTNAME" => Some(self.hostname.clone()),
                _ => None,
            }
        }

        /// `$name`, including the special parameters. There are no positional parameters.
        fn param(&self, name: &str) -> String {
            if let Some(inner) = name.strip_prefix('#').filter(|n| !n.is_empty()) {
                return match inner.split_once('[') {
                    Some((base, _)) => self.arrays.get(base).map_or(0, Vec::len).to_string(),
                    None => self.param(inner).chars().count().to_string(),
                };
            }
            if let Some((base, index)) = name.split_once('[') {
                let index = index.trim_end_matches(']');
                let array = self.arrays.get(base);
                return match index {
                    "@" | "*" => array.map(|a| a.join(" ")).unwrap_or_default(),
                    i => match (array, i.parse::<usize>()) {
                        (Some(a), Ok(n)) => a.get(n).cloned().unwrap_or_default(),
                        (None, Ok(0)) => self.lookup(base).unwrap_or_default(),
                        _ => String::new(),
                    },
                };
            }
            match name {
                "?" => self.last_status.to_string(),
                "$" => "4242".to_owned(),
                "#" => "0".to_owned(),
                "0" => "bash".to_owned(),
                _ => self.lookup(name).unwrap_or_default(),
            }
        }

        /// Exported variables overridden by the command's own `NAME=value` prefixes, sorted by name.
        fn command_env(&self, prefixes: &[(String, String)]) -> Vec<(String, String)> {
            let mut env: BTreeMap<String, String> = self
                .exported
                .iter()
                .filter_map(|name| Some((name.clone(), self.lookup(name)?)))
                .collect();
            env.extend(prefixes.iter().cloned());
            env.into_iter().collect()
        }

        async fn dispatch(
            &mut self,
            argv: &[String],
            env: &[(String, String)],
            link: &Link,
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            let Some((name, args)) = argv.split_first() else {
                return 0;
            };
            let handled = match name.as_str() {
                "echo" => Some(echo(args, out)),
                // Signals never reach a script here, so there is nothing for a trap to catch.
                "true" | ":" | "trap" => Some(0),
                "cd" => Some(
                    match link.change_dir(args.first().map(String::as_str)).await {
                        Ok(()) => 0,
                        Err(e) => {
                            out(Stream::Stderr, &e);
                            1
                        }
                    },
                ),
                "false" => Some(1),
                // `exit [N]`: the rest of the script does not run.
                "exit" => {
                    self.aborted = true;
                    Some(
                        args.first()
                            .and_then(|a| a.parse::<i32>().ok())
                            .map_or(self.last_status, |n| n & 0xff),
                    )
                }
                "set" => Some(self.set(args, out)),
                "test" => Some(self.test(args, false, link, out).await),
                "[" => Some(self.test(args, true, link, out).await),
                "break" | "continue" => Some(self.break_continue(name, args, out)),
                "alias" => Some(self.alias(args, out)),
                "unalias" => Some(self.unalias(args, out)),
                "export" => Some(self.export(args, out)),
                "unset" => Some(self.unset(args)),
                "seq" => Some(seq(args, out)),
                "printf" => Some(self.printf(args, out)),
                "id" => Some(self.id(args, out)),
                "whoami" if args.is_empty() => {
                    out(Stream::Stdout, &format!("{}\n", self.user));
                    Some(0)
                }
                "hostname" => self.hostname(args, out),
                "read" => Some(self.read(args, env, stdin, out)),
                _ => None,
            };
            if let Some(status) = handled {
                return status;
            }
            let env = self.command_env(env);
            link.run(argv, stdin.map(Input::rest), &env, out).await
        }

        /// bash's `read [-ers] [-a array] [-d delim] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd]
        /// [name …]`: one line (up to `delim`) of stdin, consumed, split on `IFS` (the command's `IFS=…` prefix,
        /// else the variable, else blank, tab and newline) into the names, the last taking the rest of the
        /// line; without `-r` a backslash escapes the next character and a backslash-newline joins lines. Status
        /// 1 at the end of the input (the variables still get what was read).
        fn read(
            &mut self,
            args: &[String],
            env: &[(String, String)],
            stdin: Option<&Input>,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            const USAGE: &str = "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n";
            let (mut raw, mut array, mut delim, mut count, mut prompt) = (
                false,
                None::<String>,
                '\n',
                None::<(usize, bool)>,
                None::<String>,
            );
            let mut i = 0;
            while let Some(arg) = args.get(i) {
                let Some(opts) = arg.strip_prefix('-').filter(|o| !o.is_empty()) else {
                    break;
                };
                i += 1;
                if arg == "--" {
                    break;
                }
                let chars: Vec<char> = opts.chars().collect();
                let mut j = 0;
                while j < chars.len() {
                    let opt = chars[j];
                    j += 1;
                    if matches!(opt, 'r' | 's' | 'e') {
                        raw |= opt == 'r';
                        continue;
                    }
                    if !matches!(opt, 'a' | 'd' | 'i' | 'n' | 'N' | 'p' | 't' | 'u') {
                        out(
                            Stream::Stderr,
                            &format!("bash: read: -{opt}: invalid option\n{USAGE}"),
                        );
                        return 2;
                    }
                    let value: String = if j < chars.len() {
                        let v = chars[j..].iter().collect();
                        j = chars.len();
                        v
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        out(
                            Stream::Stderr,
                            &format!("bash: read: -{opt}: option requires an argument\n{USAGE}"),
                        );
                        return 2;
                    };
                    match opt {
                        'a' => array = Some(value),
                        'd' => delim = value.chars().next().unwrap_or('\0'),
                        'n' | 'N' => match value.parse::<usize>() {
                            Ok(n) => count = Some((n, opt == 'N')),
                            Err(_) => {
                                out(
                                    Stream::Stderr,
                                    &format!("bash: read: {value}: invalid number\n"),
                                );
                                return 1;
                            }
                        },
                        'p' => prompt = Some(value),
                        'u' if value != "0" => {
                            out(
                                Stream::Stderr,
                                &format!(
                                    "bash: read: {value}: invalid file descriptor: Bad file descriptor\n"
                                ),
                            );
                            return 1;
                        }
                        _ => {}
                    }
                }
            }
            let names: Vec<&String> = args[i..].iter().collect();
            for name in names.iter().copied().chain(array.as_ref()) {
                if !is_name(name) {
                    out(
                        Stream::Stderr,
                        &format!("bash: read: `{name}': not a valid identifier\n"),
                    );
                    return 1;
                }
            }
            let Some(input) = stdin else {
                // The terminal's keyboard: the prompt shows, and nothing more comes (as after Ctrl+D).
                if let Some(p) = prompt {
                    out(Stream::Stderr, &p);
                }
                return 1;
            };
            // The characters read, each with whether a backslash protected it from splitting.
            let mut line: Vec<(char, bool)> = Vec::new();
            let mut complete = false;
            loop {
                let piece = match count {
                    Some((n, exact)) => {
                        input.read_chars(n.saturating_sub(line.len()), (!exact).then_some(delim))
                    }
                    None => input.read_until(delim),
                };
                let Some((text, ended)) = piece else { break };
                complete = ended;
                let mut chars = text.chars().peekable();
                let mut continued = false;
                while let Some(c) = chars.next() {
                    if c == '\\' && !raw {
                        match chars.next() {
                            Some(e) => line.push((e, true)),
                            // A backslash at the end of the line joins the next one.
                            None => continued = ended && delim == '\n',
                        }
                    } else {
                        line.push((c, false));
                    }
                }
                if !continued || count.is_some() {
                    break;
                }
            }
            if line.is_empty() && !complete {
                return 1;
            }
            let ifs = env
                .iter()
                .rev()
                .find(|(k, _)| k == "IFS")
                .map(|(_, v)| v.clone())
                .or_else(|| self.vars.get("IFS").cloned())
                .unwrap_or_else(|| " \t\n".to_owned());
            let white =
                |c: (char, bool)| !c.1 && matches!(c.0, ' ' | '\t' | '\n') && ifs.contains(c.0);
            let delimiter = |c: (char, bool)| !c.1 && ifs.contains(c.0);
            let text = |cs: &[(char, bool)]| cs.iter().map(|c| c.0).collect::<String>();
            let mut fields: Vec<String> = Vec::new();
            let mut at = 0;
            while at < line.len() && white(line[at]) {
                at += 1;
            }
            let wanted = match &array {
                Some(_) => usize::MAX,
                None => names.len().max(1),
            };
            while at < line.len() && fields.len() + 1 < wanted {
                let start = at;
                while at < line.len() && !delimiter(line[at]) {
                    at += 1;
                }
                fields.push(text(&line[start..at]));
                while at < line.len() && white(line[at]) {
                    at += 1;
                }
                if at < line.len() && delimiter(line[at]) {
                    at += 1;
                    while at < line.len() && white(line[at]) {
                        at += 1;
                    }
                }
            }
            let mut end = line.len();
            while end > at && white(line[end - 1]) {
                end -= 1;
            }
            if at < end || (array.is_none() && !names.is_empty()) {
                fields.push(text(&line[at.min(end)..end]));
            }
            match (&array, names.is_empty()) {
                (Some(name), _) => {
                    self.arrays.insert(name.clone(), fields);
                }
                // No names: REPLY gets the whole line, blanks and all.
                (None, true) => {
                    self.vars.insert("REPLY".to_owned(), text(&line));
                }
                (None, false) => {
                    for (k, name) in names.iter().enumerate() {
                        let value = fields.get(k).cloned().unwrap_or_default();
                        self.vars.insert((*name).clone(), value);
                    }
                }
            }
            i32::from(!complete)
        }

        /// bash's `printf [-v var] format [arguments]` (builtins/printf.def): the conversions are
        /// [`printf`](crate::printf); `-v` puts the output in a variable instead. Each conversion
        /// error is printed as `bash: printf: …` before the output, which bash holds until the end.
        fn printf(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
            const USAGE: &str = "printf: usage: printf [-v var] format [arguments]\n";
            let mut rest = args;
            let mut var: Option<String> = None;
            while let Some(first) = rest.first() {
                if first == "--" {
                    rest = &rest[1..];
                    break;
                }
                if first == "-v" || (first.starts_with("-v") && first.len() > 2) {
                    let name = if first == "-v" {
                        match rest.get(1) {
                            Some(n) => {
                                rest = &rest[1..];
                                n.clone()
                            }
                            None => {
                                out(
                                    Stream::Stderr,
                                    &format!(
                                        "bash: printf: -v: option requires an argument\n{USAGE}"
                                    ),
                                );
                                return 2;
                            }
                        }
                    } else {
                        first[2..].to_string()
                    };
                    if !is_name(&name) {
                        out(
                            Stream::Stderr,
                            &format!("bash: printf: `{name}': not a valid identifier\n"),
                        );
                        return 2;
                    }
                    var = Some(name);
                    rest = &rest[1..];
                    continue;
                }
                if first.len() > 1 && first.starts_with('-') {
                    out(
                        Stream::Stderr,
                        &format!("bash: printf: {}: invalid option\n{USAGE}", &first[..2]),
                    );
                    return 2;
                }
                break;
            }
            let Some((format, arguments)) = rest.split_first() else {
                out(Stream::Stderr, USAGE);
                return 2;
            };
            let printed = crate::printf::printf(format, arguments);
            match var {
                Some(name) => {
                    for (_, e) in &printed.errors {
                        out(Stream::Stderr, &format!("bash: printf: {e}\n"));
                    }
                    self.vars.insert(name, printed.out);
                }
                None => {
                    for (stream, text) in printed.output("bash: printf: ", true).printed() {
                        out(*stream, text);
                    }
                }
            }
            printed.status
        }

        /// `+` for each level of command substitution, as bash's `PS4` repeats its first character.
        fn xtrace_prefix(&self) -> String {
            "+".repeat(self.depth + 1)
        }

        /// `set -e`, `set -x`, `set -o pipefail` and their `+` forms.
        fn set(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
            let mut args = args.iter();
            while let Some(arg) = args.next() {
                let (on, flags) = match arg.strip_prefix('-') {
                    Some(f) => (true, f),
                    None => match arg.strip_prefix('+') {
                        Some(f) => (false, f),
                        None => continue,
                    },
                };
                if flags == "o" {
                    match args.next().map(String::as_str) {
                        Some("pipefail") => self.pipefail = on,
                        Some("errexit") => self.errexit = on,
                        Some("xtrace") => self.xtrace = on,
                        Some(other) => {
                            out(
                                Stream::Stderr,
                                &format!("bash: set: {other}: invalid option name\n"),
                            );
                            return 1;
                        }
                        None => {}
                    }
                    continue;
                }
                for f in flags.chars() {
                    match f {
                        'e' => self.errexit = on,
                        'x' => self.xtrace = on,
                        'u' | 'v' | 'h' | 'B' | 'C' | 'f' | 'a' | 'b' | 'm' | 'n' | 'H' | 'P'
                        | 'T' | 'E' | 'k' | 't' => {}
                        other => {
                            out(
                                Stream::Stderr,
                                &format!(
                                    "bash: set: -{other}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n"
                                ),
                            );
                            return 2;
                        }
                    }
                }
            }
            0
        }

        /// `break [N]` / `continue [N]`: leave (or restart) the N innermost loops.
        fn break_continue(
            &mut self,
            name: &str,
            args: &[String],
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            let n = match args.first().map(|a| a.parse::<usize>()) {
                None => 1,
                Some(Ok(n)) if n > 0 => n,
                Some(_) => {
                    let a = args.first().cloned().unwrap_or_default();
                    out(
                        Stream::Stderr,
                        &format!("bash: {name}: {a}: loop count out of range\n"),
                    );
                    return 1;
                }
            };
            if self.loop_depth == 0 {
                // Outside a loop bash says nothing and does nothing.
                return 0;
            }
            let n = n.min(self.loop_depth);
            if name == "break" {
                self.breaking = n;
            } else {
                self.continuing = n;
            }
            0
        }

        /// `test EXPR` and `[ EXPR ]`: the POSIX operators, with file tests through the host.
        async fn test(
            &mut self,
            args: &[String],
            bracket: bool,
            link: &Link,
            out: &mut dyn FnMut(Stream, &str),
        ) -> i32 {
            let args: &[String] = if bracket {
                match args.split_last() {
                    Some((last, rest)) if last == "]" => rest,
                    _ => {
                        out(Stream::Stderr, "bash: [: missing `]'\n");
                        return 2;
                    }
                }
            } else {
                args
            };
            let name = if bracket { "[" } else { "test" };
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut facts = FactsOf::new();
            for pair in words.windows(2) {
                if is_file_test(pair[0]) {
                    let found = file_facts(link, pair[0], pair[1]).await;
                    facts.insert((pair[0].to_owned(), pair[1].to_owned()), found);
                }
            }
            match test_expr(&words, &facts) {
                Ok(true) => 0,
                Ok(false) => 1,
                Err(message) => {
                    out(Stream::Stderr, &format!("bash: {name}: {message}\n"));
                    2
                }
            }
        }

        /// Evaluates `[[ … ]]`; `Err` carries the status after an error was printed.
        fn eval_cond<'a>(
            &'a mut self,
            expr: &'a CondExpr,
            link: &'a Link,
            out: &'a mut dyn FnMut(Stream, &str),
            trace: &'a mut Vec<String>,
        ) -> Boxed<'a, Result<bool, i32>> {
            Box::pin(async move {
                match expr {
                    CondExpr::Not(inner) => {
                        trace.push("!".into());
                        Ok(!self.eval_cond(inner, link, out, trace).await?)
                    }
                    CondExpr::And(a, b) => {
                        if !self.eval_cond(a, link, out, trace).await? {
                            return Ok(false);
                        }
                        trace.push("&&".into());
                        self.eval_cond(b, link, out, trace).await
                    }
                    CondExpr::Or(a, b) => {
                        if self.eval_cond(a, link, out, trace).await? {
                            return Ok(true);
                        }
                        trace.push("||".into());
                        self.eval_cond(b, link, out, trace).await
                    }
                    CondExpr::Single(w) => {
                        let v = self.cond_operand(w, link, out).await?;
                        trace.push(xtrace_quote(&v));
                        Ok(!v.is_empty())
                    }
                    CondExpr::Unary(op, w) => {
                        let v = self.cond_operand(w, link, out).await?;
                        trace.push(op.clone());
                        trace.push(xtrace_quote(&v));
                        let facts = if is_file_test(op) {
                            file_facts(link, op, &v).await
                        } else {
                            Facts::default()
                        };
                        Ok(unary_test(op, &v, facts))
                    }
                    CondExpr::Binary(l, op, r) => {
                        let left = self.cond_operand(l, link, out).await?;
                        trace.push(xtrace_quote(&left));
                        trace.push(op.clone());
                        match op.as_str() {
                            "=~" => {
                                let pattern = self.pattern(r, link, out).await?;
                                trace.push(pattern.clone());
                                match regex::compile(&pattern, regex::Syntax::Extended, false) {
                                    Ok(re) => match re.captures(&left) {
                                        Some(groups) => {
                                            self.arrays.insert(
                                                "BASH_REMATCH".into(),
                                                groups
                                                    .iter()
                                                    .map(|g| {
                                                        g.map_or(String::new(), |g| {
                                                            g.as_str().to_string()
                                                        })
                                                    })
                                                    .collect(),
                                            );
                                            Ok(true)
                                        }
                                        None => {
                                            self.arrays.insert("BASH_REMATCH".into(), Vec::new());
                                            Ok(false)
                                        }
                                    },
                                    // bash treats a pattern regcomp refuses as a failed match (status 2).
                                    Err(_) => Err(2),
                                }
                            }
                            "==" | "=" | "!=" => {
                                let pattern = self.pattern(r, link, out).await?;
                                trace.push(pattern.clone());
                                let hit = regex::glob_match(&pattern, &left);
                                Ok(hit == (op != "!="))
                            }
                            "<" | ">" => {
                                let right = self.cond_operand(r, link, out).await?;
                                trace.push(xtrace_quote(&right));
                                Ok(if op == "<" {
                                    left < right
                                } else {
                                    left > right
                                })
                            }
                            _ => {
                                let right = self.cond_operand(r, link, out).await?;
                                trace.push(xtrace_quote(&right));
                                let a = self.arithmetic(&left).map_err(|m| {
                                    out(Stream::Stderr, &format!("bash: {m}\n"));
                                    1
                                })?;
                                let b = self.arithmetic(&right).map_err(|m| {
                                    out(Stream::Stderr, &format!("bash: {m}\n"));
                                    1
                                })?;
                                Ok(compare(op, a, b))
                            }
                        }
                    }
                }
            })
        }

        /// An operand of `[[ … ]]`, expanded without splitting; an expansion error is printed.
        async fn cond_operand(
            &mut self,
            word: &Word,
            link: &Link,
            out: &mut dyn FnMut(Stream, &str),
        ) -> Result<String, i32> {
            match self.expand_string(word, link, out).await {
                Ok(value) => Ok(value),
                Err(e) => Err(report(&e, out)),
            }
        }

        /// The right side of `==` or `=~`: unquoted text is pattern, quoted text and quoted expansions are
        /// literal.
        async fn pattern(
            &mut self,
            word: &Word,
            link: &Link,
            out: &mut dyn FnMut(Stream, &str),
        ) -> Result<String, i32> {
            match self.glob_pattern(word, link, out).await {
                Ok(pattern) => Ok(pattern),
                Err(e) => Err(report(&e, out)),
            }
        }

        /// `$((…))` and the operands of `-eq` and friends: integer arithmetic as bash does it, on i64.
        fn arithmetic(&mut self, text: &str) -> Result<i64, String> {
            let mut a = Arith {
                chars: text.chars().collect(),
                pos: 0,
                shell: self,
                depth: 0,
                source: text.to_owned(),
            };
            let v = a.comma()?;
            a.skip_blanks();
            if a.pos < a.chars.len() {
                let rest: String = a.chars[a.pos..].iter().collect();
                return Err(format!(
                    "{}: syntax error in expression (error token is \"{}\")",
                    text.trim(),
                    rest.trim()
                ));
            }
            Ok(v)
        }

        /// `alias`, `alias -p`: list; `alias NAME`: show one; `alias NAME=VALUE`: define.
        fn alias(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
            if args.is_empty() || args.iter().any(|a| a == "-p") {
                for (name, value) in &self.aliases {
                    out(
                        Stream::Stdout,
                        &format!("alias {name}={}\n", single_quote(value)),
                    );
                }
            }
            let mut status = 0;
            for arg in args.iter().filter(|a| *a != "-p") {
                match arg.split_once('=') {
                    Some((name, value)) if valid_alias_name(name) => {
                        self.aliases.insert(name.to_owned(), value.to_owned());
                    }
                    Some((name, _)) => {
                        out(
                            Stream::Stderr,
                            &format!("bash: alias: `{name}': invalid alias name\n"),
                        );
                        status = 1;
                    }
                    None => match self.aliases.get(arg) {
                        Some(value) => out(
                            Stream::Stdout,
                            &format!("alias {arg}={}\n", single_quote(value)),
                        ),
                        None => {
                            out(Stream::Stderr, &format!("bash: alias: {arg}: not found\n"));
                            status = 1;
                        }
                    },
                }
            }
            status
        }

        fn unalias(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
            if args.is_empty() {
                out(
                    Stream::Stderr,
                    "unalias: usage: unalias [-a] name [name ...]\n",
                );
                return 2;
            }
            let mut status = 0;
            for arg in args {
                if arg == "-a" {
                    self.aliases.clear();
                } else if self.aliases.remove(arg).is_none() {
                    out(
                        Stream::Stderr,
                        &format!("bash: unalias: {arg}: not found\n"),
                    );
                    status = 1;
                }
            }
            status
        }

        /// `export NAME=value`, `export NAME`; with no names (or `-p`), lists the exports.
        fn export(&mut self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
            let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            if names.is_empty() {
                for name in &self.exported {
                    let line = match self.lookup(name) {
                        Some(value) => {
                            let escaped: String = value
                                .chars()
                                .flat_map(|c| {
                                    let escape =
                                        matches!(c, '"' | '\\' | '$' | '`').then_some('\\');
                                    escape.into_iter().chain(std::iter::once(c))
                                })
                                .collect();
                            format!("declare -x {name}=\"{escaped}\"\n")
                        }
                        None => format!("declare -x {name}\n"),
                    };
                    out(Stream::Stdout, &line);
                }
                return 0;
            }
            let mut status = 0;
            for arg in names {
                let (name, value) = match arg.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (arg.as_str(), None),
                };
                if !is_name(name) {
                    out(
                        Stream::Stderr,
                        &format!("bash: export: `{arg}': not a valid identifier\n"),
                    );
                    status = 1;
                    continue;
                }
                if let Some(value) = value {
                    self.vars.insert(name.to_owned(), value.to_owned());
                }
                self.exported.insert(name.to_owned());
            }
            status
        }

        fn unset(&mut self, args: &[String]) -> i32 {
            for name in args.iter().filter(|a| !a.starts_with('-')) {
                self.vars.remove(name);
                self.exported.remove(name);
            }
            0
        }

        /// `id`, `id -u`, `id -un`, `id -g`, `id -gn`, `id -G`, `id -Gn` for the one user there is (uid 1000).
        fn id(&self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
            let mut fail = |message: String| {
                out(
                    Stream::Stderr,
                    &format!("id: {message}\nTry 'id --help' for more information.\n"),
                );
                1
            };
            let mut flags = BTreeSet::new();
            let mut users = Vec::new();
            for arg in args {
                let long = match arg.as_str() {
                    "--user" => Some('u'),
                    "--group" => Some('g'),
                    "--groups" => Some('G'),
                    "--name" => Some('n'),
                    "--real" => Some('r'),
                    _ => None,
                };
                if let Some(flag) = long {
                    flags.insert(flag);
                } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
                    for flag in short.chars() {
                        if !matches!(flag, 'u' | 'g' | 'G' | 'n' | 'r') {
                            return fail(format!("invalid option -- '{flag}'"));
                        }
                        flags.insert(flag);
                    }
                } else {
                    users.push(arg);
                }
            }
            if let Some(extra) = users.get(1) {
                return fail(format!("extra operand ‘{extra}’"));
            }
            if let Some(user) = users.first() {
                if **user != self.user {
                    out(Stream::Stderr, &format!("id: ‘{user}’: no such user\n"));
                    return 1;
                }
            }
            let names = flags.contains(&'n');
            let chosen: Vec<char> = ['u', 'g', 'G']
                .into_iter()
                .filter(|f| flags.contains(f))
                .collect();
            let line = match chosen.as_slice() {
                [] if names || flags.contains(&'r') => {
                    out(
                        Stream::Stderr,
                        "id: cannot print only names or real IDs in default format\n",
                    );
                    return 1;
                }
                [] => format!(
                    "uid=1000({u}) gid=1000({u}) groups=1000({u})",
                    u = self.user
                ),
                [_] if names => self.user.clone(),
                [_] => "1000".to_owned(),
                _ => {
                    out(
                        Stream::Stderr,
                        "id: cannot print \"only\" of more than one choice\n",
                    );
                    return 1;
                }
            };
            out(Stream::Stdout, &format!("{line}\n"));
            0
        }

        /// `hostname` (also `-s`, `-f`) prints the name; other options go to the host. Setting a name fails as it
        /// does for a non-root user.
        fn hostname(&self, args: &[String], out: &mut dyn FnMut(Stream, &str)) -> Option<i32> {
            if args
                .iter()
                .all(|a| matches!(a.as_str(), "-s" | "-f" | "--short" | "--fqdn" | "--long"))
            {
                let long = args
                    .iter()
                    .any(|a| matches!(a.as_str(), "-f" | "--fqdn" | "--long"));
                let name = match (&self.fqdn, long) {
                    (Some(fqdn), true) => fqdn,
                    _ => &self.hostname,
                };
                out(Stream::Stdout, &format!("{name}\n"));
                return Some(0);
            }
            if args.iter().any(|a| a.starts_with('-')) {
                return None;
            }
            out(
                Stream::Stderr,
                "hostname: you must be root to change the host name\n",
            );
            Some(1)
        }
    }

    /// `echo` with `-n`, `-e` and `-E` (combinable, as in `-ne`); any other argument starting with `-` is text.
    fn echo(args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
        let mut newline = true;
        let mut escapes = false;
        let mut first_text = 0;
        for arg in args {
            let Some(flags) = arg.strip_prefix('-') else {
                break;
            };
            if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
                break;
            }
            for flag in flags.chars() {
                match flag {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            first_text += 1;
        }
        let mut text = args.get(first_text..).unwrap_or_default().join(" ");
        if escapes {
            let (unescaped, stop) = echo_escapes(&text);
            text = unescaped;
            if stop {
                newline = false;
            }
        }
        if newline {
            text.push('\n');
        }
        out(Stream::Stdout, &text);
        0
    }

    /// `seq LAST`, `seq FIRST LAST`, `seq FIRST INCREMENT LAST`, whole numbers only.
    fn seq(args: &[String], out: &mut dyn FnMut(Stream, &str)) -> i32 {
        let mut fail = |message: String| {
            out(
                Stream::Stderr,
                &format!("seq: {message}\nTry 'seq --help' for more information.\n"),
            );
            1
        };
        if args.is_empty() {
            return fail("missing operand".to_owned());
        }
        if let Some(extra) = args.get(3) {
            return fail(format!("extra operand ‘{extra}’"));
        }
        let mut numbers = Vec::new();
        for arg in args {
            match arg.parse::<i64>() {
                Ok(n) => numbers.push(i128::from(n)),
                Err(_) => return fail(format!("invalid floating point argument: ‘{arg}’")),
            }
        }
        let (first, step, last) = match numbers.as_slice() {
            [last] => (1, 1, *last),
            [first, last] => (*first, 1, *last),
            [first, step, last] => (*first, *step, *last),
            _ => return fail("missing operand".to_owned()),
        };
        if step == 0 {
            return fail(format!(
                "invalid Zero increment value: ‘{}’",
                args.get(1).map_or("0", String::as_str)
            ));
        }
        let count = if (step > 0 && first > last) || (step < 0 && first < last) {
            0
        } else {
            (last - first) / step + 1
        };
        if count > MAX_SEQ {
            out(
                Stream::Stderr,
                &format!("seq: this terminal prints at most {MAX_SEQ} numbers\n"),
            );
            return 1;
        }
        let mut text = String::new();
        let mut n = first;
        for _ in 0..count {
            text.push_str(&n.to_string());
            text.push('\n');
            n += step;
        }
        out(Stream::Stdout, &text);
        0
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// One call the shell made to the host.
    #[derive(Debug, Clone, PartialEq)]
    struct Call {
        argv: Vec<String>,
        stdin: Option<String>,
        env: Vec<(String, String)>,
    }

    /// Records calls and answers from canned replies (keyed by argv joined with spaces). Without a reply, `cat`
    /// echoes its stdin, `fail` prints to stderr with status 1, anything else succeeds silently. Files use the
    /// trait's defaults, as the learner's terminal does.
    #[derive(Default)]
    struct FakeHost {
        calls: Vec<Call>,
        replies: BTreeMap<String, Output>,
    }

    impl FakeHost {
        fn reply(mut self, command: &str, stdout: &str, status: i32) -> Self {
            self.replies.insert(
                command.to_owned(),
                Output::both(stdout.to_owned(), String::new(), status),
            );
            self
        }

        fn argvs(&self) -> Vec<Vec<&str>> {
            self.calls
                .iter()
                .map(|c| c.argv.iter().map(String::as_str).collect())
                .collect()
        }
    }

    impl Host for FakeHost {
        fn run(
            &mut self,
            argv: &[String],
            stdin: Option<&str>,
            env: &[(String, String)],
        ) -> Output {
            self.calls.push(Call {
                argv: argv.to_vec(),
                stdin: stdin.map(str::to_owned),
                env: env.to_vec(),
            });
            if let Some(reply) = self.replies.get(&argv.join(" ")) {
                return reply.clone();
            }
            match argv.first().map(String::as_str) {
                Some("cat") => Output::ok(stdin.unwrap_or_default().to_owned()),
                Some("fail") => Output::failed("fail: failed\n".to_owned(), 1),
                _ => Output::default(),
            }
        }
    }

    /// A container's filesystem: `sh -c` strings run here can write files.
    struct PodFiles<'a> {
        pod: String,
        files: &'a mut BTreeMap<(String, String), String>,
    }

    impl Host for PodFiles<'_> {
        fn run(
            &mut self,
            argv: &[String],
            _stdin: Option<&str>,
            _env: &[(String, String)],
        ) -> Output {
            Output::failed(format!("sh: {}: not found\n", argv.join(" ")), 127)
        }

        fn read_file(&mut self, path: &str) -> Result<String, String> {
            self.files
                .get(&(self.pod.clone(), path.to_owned()))
                .cloned()
                .ok_or_else(|| "No such file or directory".to_owned())
        }

        fn write_file(&mut self, path: &str, contents: &str, append: bool) -> Result<(), String> {
            let file = self
                .files
                .entry((self.pod.clone(), path.to_owned()))
                .or_default();
            if !append {
                file.clear();
            }
            file.push_str(contents);
            Ok(())
        }
    }

    /// `kubectl exec POD -- sh -c CMD` runs CMD in a nested shell whose hostname is the pod's name, the way the
    /// simulated containers will.
    #[derive(Default)]
    struct ExecHost {
        files: BTreeMap<(String, String), String>,
    }

    impl Host for ExecHost {
        fn run(
            &mut self,
            argv: &[String],
            _stdin: Option<&str>,
            _env: &[(String, String)],
        ) -> Output {
            let args: Vec<&str> = argv.iter().map(String::as_str).collect();
            match args.as_slice() {
                ["kubectl", "-n", _, "exec", pod, "--", "sh", "-c", command] => {
                    let mut shell = Shell::new();
                    shell.hostname = (*pod).to_owned();
                    let mut files = PodFiles {
                        pod: (*pod).to_owned(),
                        files: &mut self.files,
                    };
                    shell.run_line(command, &mut files)
                }
                _ => Output::failed("unexpected\n".to_owned(), 1),
            }
        }
    }

    fn run_in(shell: &mut Shell, host: &mut dyn Host, line: &str) -> Output {
        match parse(line) {
            Ok(script) => shell.execute(&script, host),
            Err(error) => panic!("{line:?} did not parse: {error}"),
        }
    }

    fn run(line: &str) -> (Output, FakeHost) {
        let mut host = FakeHost::default();
        let output = run_in(&mut Shell::new(), &mut host, line);
        (output, host)
    }

    fn stdout(line: &str) -> String {
        run(line).0.stdout()
    }

    /// The argv of the single host call `line` makes.
    fn argv(line: &str) -> Vec<String> {
        let (output, host) = run(line);
        assert_eq!(output.stderr(), "", "{line}");
        assert_eq!(host.calls.len(), 1, "{line}: {:?}", host.calls);
        host.calls.into_iter().flat_map(|c| c.argv).collect()
    }

    fn parse_error(line: &str) -> String {
        match parse(line) {
            Ok(script) => panic!("{line:?} parsed: {script:?}"),
            Err(error) => error.to_string(),
        }
    }

    // The tutorials' lines.

    #[test]
    fn tutorial_loop_writes_each_pods_hostname_into_its_index_page() {
        let mut host = ExecHost::default();
        let output = run_in(
            &mut Shell::new(),
            &mut host,
            r#"for i in 0 1; do kubectl -n $(id -un) exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done"#,
        );
        assert_eq!(output, Output::default());
        let page = |pod: &str| {
            host.files
                .get(&(
                    pod.to_owned(),
                    "/usr/share/nginx/html/index.html".to_owned(),
                ))
                .cloned()
        };
        assert_eq!(page("web-0").as_deref(), Some("web-0\n"));
        assert_eq!(page("web-1").as_deref(), Some("web-1\n"));
    }

    #[test]
    fn tutorial_loop_hands_the_inner_command_to_kubectl_unexpanded() {
        let (_, host) = run(
            r#"for i in 0 1; do kubectl -n $(id -un) exec "web-$i" -- sh -c 'echo "$(hostname)" > /x'; done"#,
        );
        assert_eq!(
            host.argvs(),
            [0, 1].map(|i| {
                let pod = format!("web-{i}");
                [
                    "kubectl",
                    "-n",
                    "student",
                    "exec",
                    pod.as_str(),
                    "--",
                    "sh",
                    "-c",
                    r#"echo "$(hostname)" > /x"#,
                ]
                .map(str::to_owned)
                .to_vec()
            })
        );
    }

    #[test]
    fn namespace_comes_from_id_un() {
        assert_eq!(
            argv("kubectl -n $(id -un) get pods -w -l app=nginx"),
            [
                "kubectl",
                "-n",
                "student",
                "get",
                "pods",
                "-w",
                "-l",
                "app=nginx"
            ]
        );
    }

    #[test]
    fn double_quoted_alias_runs_id_when_defined() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(
            &mut shell,
            &mut host,
            r#"alias kubectl="kubectl -n $(id -un)""#,
        );
        assert_eq!(
            shell.aliases.get("kubectl").map(String::as_str),
            Some("kubectl -n student")
        );
        shell.user = "ada".to_owned();
        run_in(&mut shell, &mut host, "kubectl get pods");
        assert_eq!(host.argvs(), [["kubectl", "-n", "student", "get", "pods"]]);
    }

    #[test]
    fn single_quoted_alias_runs_id_at_each_use() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, "alias k='kubectl -n $(id -un)'");
        assert_eq!(
            shell.aliases.get("k").map(String::as_str),
            Some("kubectl -n $(id -un)")
        );
        shell.user = "ada".to_owned();
        run_in(&mut shell, &mut host, "k get pods");
        assert_eq!(host.argvs(), [["kubectl", "-n", "ada", "get", "pods"]]);
    }

    #[test]
    fn jsonpath_braces_survive_quoting() {
        assert_eq!(
            argv("kubectl get pod web-2 -o jsonpath='{.spec.nodeName}'"),
            [
                "kubectl",
                "get",
                "pod",
                "web-2",
                "-o",
                "jsonpath={.spec.nodeName}"
            ]
        );
    }

    #[test]
    fn command_substitution_supplies_the_node_name() {
        let mut host = FakeHost::default().reply(
            "kubectl get pod web-2 -o jsonpath={.spec.nodeName}",
            "node-2\n\n",
            0,
        );
        run_in(
            &mut Shell::new(),
            &mut host,
            "kubectl describe node $(kubectl get pod web-2 -o jsonpath='{.spec.nodeName}')",
        );
        assert_eq!(
            host.argvs().last(),
            Some(&vec!["kubectl", "describe", "node", "node-2"])
        );
    }

    #[test]
    fn and_runs_the_second_command_only_after_success() {
        let (output, host) = run("kubectl apply -f web.yaml && kubectl get sts");
        assert_eq!(
            host.argvs(),
            [
                vec!["kubectl", "apply", "-f", "web.yaml"],
                vec!["kubectl", "get", "sts"]
            ]
        );
        assert_eq!(output.status, 0);

        let mut host = FakeHost::default().reply("kubectl apply -f web.yaml", "", 1);
        let output = run_in(
            &mut Shell::new(),
            &mut host,
            "kubectl apply -f web.yaml && kubectl get sts",
        );
        assert_eq!(host.calls.len(), 1);
        assert_eq!(output.status, 1);
    }

    #[test]
    fn or_runs_the_second_command_only_after_failure() {
        assert_eq!(stdout("fail || echo rescued"), "rescued\n");
        assert_eq!(stdout("true || echo skipped"), "");
        assert_eq!(stdout("false && echo skipped || echo rescued"), "rescued\n");
    }

    #[test]
    fn semicolon_runs_both_and_keeps_the_last_status() {
        let (output, _) = run("fail; true");
        assert_eq!(
            (output.stderr().as_str(), output.status),
            ("fail: failed\n", 0)
        );
        assert_eq!(run("true; fail").0.status, 1);
    }

    #[test]
    fn for_over_unquoted_seq_runs_once_per_number() {
        assert_eq!(stdout("for i in $(seq 0 2); do echo $i; done"), "0\n1\n2\n");
    }

    #[test]
    fn for_over_quoted_seq_runs_once() {
        let (_, host) = run(r#"for i in "$(seq 0 2)"; do show "$i"; done"#);
        assert_eq!(host.argvs(), [["show", "0\n1\n2"]]);
    }

    #[test]
    fn for_loop_over_several_lines() {
        assert_eq!(
            stdout("for i in a b\ndo\n  echo $i\ndone\necho end\n"),
            "a\nb\nend\n"
        );
        assert_eq!(stdout("for i in a\n\ndo echo $i; done"), "a\n");
    }

    #[test]
    fn for_without_in_iterates_over_nothing() {
        assert_eq!(run("for i; do echo $i; done").0, Output::default());
    }

    #[test]
    fn nested_for_loops() {
        assert_eq!(
            stdout("for a in 1 2; do for b in x y; do echo $a$b; done; done"),
            "1x\n1y\n2x\n2y\n"
        );
    }

    // Here-documents.

    #[test]
    fn heredoc_body_is_stdin_of_the_first_command_of_the_pipeline() {
        let line = "cat <<EOF | kubectl apply -f -";
        assert_eq!(heredoc_delimiters(line), [("EOF".to_owned(), false)]);
        let script =
            parse_with_heredocs(line, &["kind: Pod\nmetadata:\n  name: web".to_owned()]).unwrap();
        let mut host = FakeHost::default();
        Shell::new().execute(&script, &mut host);
        assert_eq!(
            host.argvs(),
            [vec!["cat"], vec!["kubectl", "apply", "-f", "-"]]
        );
        assert_eq!(
            host.calls[1].stdin.as_deref(),
            Some("kind: Pod\nmetadata:\n  name: web\n")
        );
    }

    #[test]
    fn unquoted_heredoc_expands_and_quoted_one_does_not() {
        let body = r#"user: $(id -un) home: $HOME "q" \$x \\"#.to_owned();
        let expanded = parse_with_heredocs("cat <<EOF", std::slice::from_ref(&body)).unwrap();
        let literal = parse_with_heredocs("cat <<'EOF'", std::slice::from_ref(&body)).unwrap();
        let mut host = FakeHost::default();
        let mut shell = Shell::new();
        assert_eq!(
            shell.execute(&expanded, &mut host).stdout(),
            "user: student home: /home/student \"q\" $x \\\n"
        );
        assert_eq!(
            shell.execute(&literal, &mut host).stdout(),
            format!("{body}\n")
        );
    }

    #[test]
    fn heredoc_delimiters_reports_each_body_to_collect() {
        assert_eq!(
            heredoc_delimiters(r#"cat <<EOF; cat <<'END' <<"A B" <<\X <<-Y"#),
            [
                ("EOF", false),
                ("END", true),
                ("A B", true),
                ("X", true),
                ("Y", false)
            ]
            .map(|(d, q)| (d.to_owned(), q))
        );
        assert_eq!(
            heredoc_delimiters("echo '<<EOF' << EOF2"),
            [("EOF2".to_owned(), false)]
        );
        assert!(heredoc_delimiters("echo hi").is_empty());
        assert!(
            heredoc_delimiters("cat <<EOF\nbody\nEOF").is_empty(),
            "the body is in the line"
        );
    }

    #[test]
    fn heredoc_body_after_the_newline_is_read_from_the_input() {
        let (output, host) = run("cat <<EOF; echo second\nhello $USER\nEOF\necho after");
        assert_eq!(output.stdout(), "hello student\nsecond\nafter\n");
        assert_eq!(host.calls[0].stdin.as_deref(), Some("hello student\n"));
    }

    #[test]
    fn heredoc_with_dash_strips_leading_tabs() {
        assert_eq!(stdout("cat <<-EOF\n\t\tindented\n\tEOF\n"), "indented\n");
        let script = parse_with_heredocs("cat <<-EOF", &["\tone\n\t\ttwo\n".to_owned()]).unwrap();
        assert_eq!(
            Shell::new()
                .execute(&script, &mut FakeHost::default())
                .stdout(),
            "one\ntwo\n"
        );
    }

    #[test]
    fn here_string_is_stdin_with_a_newline() {
        let (_, host) = run("cat <<< \"$(id -un) here\"");
        assert_eq!(host.calls[0].stdin.as_deref(), Some("student here\n"));
    }

    #[test]
    fn missing_heredoc_body_is_empty() {
        let (_, host) = run("cat <<EOF");
        assert_eq!(host.calls[0].stdin.as_deref(), Some(""));
    }

    // Quoting.

    #[test]
    fn adjacent_single_quoted_strings_join() {
        assert_eq!(argv("show 'it''s'"), ["show", "its"]);
        assert_eq!(argv(r"show 'it'\''s'"), ["show", "it's"]);
    }

    #[test]
    fn escaped_double_quote_inside_double_quotes() {
        assert_eq!(
            argv(r#"show "a\"b" "c\\d" "e\$f" "g\`h""#),
            ["show", "a\"b", "c\\d", "e$f", "g`h"]
        );
    }

    #[test]
    fn backslash_before_other_characters_stays_inside_double_quotes() {
        assert_eq!(argv(r#"show "a\qb" "tab\t""#), ["show", r"a\qb", r"tab\t"]);
    }

    #[test]
    fn escaped_space_joins_a_word() {
        assert_eq!(argv(r"show a\ b c"), ["show", "a b", "c"]);
    }

    #[test]
    fn empty_quotes_are_empty_arguments() {
        assert_eq!(argv(r#"show "" '' x"#), ["show", "", "", "x"]);
    }

    #[test]
    fn single_quotes_keep_everything_literal() {
        assert_eq!(
            argv(r#"show '$HOME $(id -un) \n "'"#),
            ["show", r#"$HOME $(id -un) \n ""#]
        );
    }

    #[test]
    fn lone_dollar_is_literal() {
        assert_eq!(argv(r#"show $ "a$" $/"#), ["show", "$", "a$", "$/"]);
    }

    #[test]
    fn trailing_backslash_is_literal_and_line_continuation_joins() {
        assert_eq!(argv(r"show a\"), ["show", r"a\"]);
        assert_eq!(argv("show a\\\nb \\\n c"), ["show", "ab", "c"]);
    }

    #[test]
    fn braced_and_special_parameters() {
        assert_eq!(
            stdout("echo ${USER}x $HOSTNAME $#"),
            "studentx ordinal-terminal 0\n"
        );
        assert_eq!(stdout("echo [$1$@]"), "[]\n");
    }

    // Substitution and splitting.

    #[test]
    fn nested_command_substitutions() {
        assert_eq!(stdout("echo $(echo $(echo deep))"), "deep\n");
        assert_eq!(
            argv(r#"show "$(echo "$(echo 'a   b')")" $(echo "c   d")"#),
            ["show", "a   b", "c", "d"]
        );
        assert_eq!(stdout("echo $(echo ')' \"(\")"), ") (\n");
    }

    #[test]
    fn backquotes_substitute_like_dollar_parens() {
        assert_eq!(stdout("echo `id -un`"), "student\n");
        assert_eq!(stdout(r"echo `echo \`echo inner\``"), "inner\n");
        assert_eq!(argv(r#"show "`echo 'a   b'`""#), ["show", "a   b"]);
    }

    #[test]
    fn unquoted_expansions_split_on_blanks_and_quoted_ones_do_not() {
        assert_eq!(
            argv(r#"x=" a  b "; show $x "$x" pre${x}post"#),
            ["show", "a", "b", " a  b ", "pre", "a", "b", "post"]
        );
        assert_eq!(argv("x='a  b'; show pre$x"), ["show", "prea", "b"]);
    }

    #[test]
    fn empty_unquoted_expansion_disappears_but_quoted_one_stays() {
        assert_eq!(
            argv(r#"show $(true) $unset "$(true)" "$unset" x"#),
            ["show", "", "", "x"]
        );
    }

    #[test]
    fn command_substitution_runs_in_a_subshell() {
        assert_eq!(stdout("echo $(y=2; echo $y); echo \"[$y]\""), "2\n[]\n");
    }

    #[test]
    fn substitution_stderr_passes_through() {
        let (output, _) = run("echo \"[$(fail)]\"");
        assert_eq!(
            (output.stdout().as_str(), output.stderr().as_str()),
            ("[]\n", "fail: failed\n")
        );
    }

    // Variables.

    #[test]
    fn assignment_alone_sets_a_shell_variable() {
        let mut shell = Shell::new();
        let output = run_in(&mut shell, &mut FakeHost::default(), "NS=web; echo $NS");
        assert_eq!(output.stdout(), "web\n");
        assert_eq!(shell.vars.get("NS").map(String::as_str), Some("web"));
    }

    #[test]
    fn assignments_take_effect_left_to_right() {
        assert_eq!(stdout("A=1 B=\"$A\"2; echo $A $B"), "1 12\n");
        let (_, host) = run("A=old; A=1 B=$A show $A");
        assert_eq!(host.argvs(), [["show", "old"]]);
        assert_eq!(
            host.calls[0].env,
            [("A", "1"), ("B", "1")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(stdout("A=old; A=1 B=$A show; echo $A [$B]"), "old []\n");
    }

    #[test]
    fn assignment_before_a_command_is_only_its_environment() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(
            &mut shell,
            &mut host,
            "KUBECONFIG=/tmp/x A='1 2' kubectl get pods",
        );
        assert_eq!(host.argvs(), [["kubectl", "get", "pods"]]);
        assert_eq!(
            host.calls[0].env,
            [("A", "1 2"), ("KUBECONFIG", "/tmp/x")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert!(shell.vars.is_empty());
    }

    #[test]
    fn exported_variables_reach_later_commands() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(
            &mut shell,
            &mut host,
            "export NS=dev; local=1; kubectl get pods; NS=prod kubectl get sts",
        );
        assert_eq!(host.calls[0].env, [("NS".to_owned(), "dev".to_owned())]);
        assert_eq!(host.calls[1].env, [("NS".to_owned(), "prod".to_owned())]);
        assert_eq!(
            run_in(&mut shell, &mut host, "export").stdout(),
            "declare -x NS=\"dev\"\n"
        );
        assert_eq!(
            run_in(&mut shell, &mut host, "unset NS; echo \"[$NS]\"").stdout(),
            "[]\n"
        );
    }

    #[test]
    fn export_rejects_invalid_names() {
        let (output, _) = run("export 1a=b");
        assert_eq!(
            output.stderr(),
            "bash: export: `1a=b': not a valid identifier\n"
        );
        assert_eq!(output.status, 1);
    }

    #[test]
    fn status_parameter_follows_the_last_pipeline() {
        assert_eq!(stdout("fail; echo $?; echo $?"), "1\n0\n");
        assert_eq!(stdout("x=$(fail); echo $?"), "1\n");
        assert_eq!(stdout("! true; echo $?; ! fail; echo $?"), "1\n0\n");
    }

    #[test]
    fn assignments_in_a_pipeline_do_not_persist() {
        assert_eq!(stdout("x=5 | cat; echo \"[$x]\""), "[]\n");
    }

    // Aliases.

    #[test]
    fn alias_does_not_expand_its_own_name_again() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, "alias ls='ls -l'");
        run_in(&mut shell, &mut host, "ls /tmp");
        assert_eq!(host.argvs(), [["ls", "-l", "/tmp"]]);
    }

    #[test]
    fn aliases_that_name_each_other_stop() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, "alias a=b b=a");
        run_in(&mut shell, &mut host, "a x");
        assert_eq!(host.argvs(), [["a", "x"]]);
    }

    #[test]
    fn substitution_among_the_arguments_still_sees_the_alias() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, "alias k='echo K'");
        assert_eq!(run_in(&mut shell, &mut host, "k $(k)").stdout(), "K K\n");
    }

    #[test]
    fn namespaced_alias_applies_inside_the_node_lookup_too() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default().reply(
            "kubectl -n student get pod web-2 -o jsonpath={.spec.nodeName}",
            "node-2",
            0,
        );
        run_in(
            &mut shell,
            &mut host,
            r#"alias kubectl="kubectl -n $(id -un)""#,
        );
        run_in(
            &mut shell,
            &mut host,
            "kubectl describe node $(kubectl get pod web-2 -o jsonpath='{.spec.nodeName}')",
        );
        assert_eq!(
            host.argvs().last(),
            Some(&vec![
                "kubectl", "-n", "student", "describe", "node", "node-2"
            ])
        );
    }

    #[test]
    fn alias_that_runs_itself_through_substitution_stops_with_an_error() {
        // bash recurses forever here; this shell stops at its depth limit.
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, "alias k='echo $(k)'");
        let output = run_in(&mut shell, &mut host, "k");
        assert_eq!(output.stderr(), "bash: expansion nested too deeply\n");
        assert!(host.calls.is_empty());
    }

    #[test]
    fn alias_of_several_commands_appends_the_arguments_to_the_last() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, "alias k='echo one; echo'");
        assert_eq!(
            run_in(&mut shell, &mut host, "k two").stdout(),
            "one\ntwo\n"
        );
    }

    #[test]
    fn alias_chain_and_empty_alias() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(
            &mut shell,
            &mut host,
            "alias k=kubectl kg='k get' nothing=''",
        );
        run_in(&mut shell, &mut host, "kg pods; nothing kubectl version");
        assert_eq!(
            host.argvs(),
            [vec!["kubectl", "get", "pods"], vec!["kubectl", "version"]]
        );
    }

    #[test]
    fn quoted_or_escaped_command_name_skips_the_alias() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, "alias ls='ls -l'");
        run_in(&mut shell, &mut host, r"\ls; 'ls'");
        assert_eq!(host.argvs(), [["ls"], ["ls"]]);
    }

    #[test]
    fn alias_lists_shows_and_rejects() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, r#"alias k=kubectl q="it's""#);
        assert_eq!(
            run_in(&mut shell, &mut host, "alias").stdout(),
            "alias k='kubectl'\nalias q='it'\\''s'\n"
        );
        assert_eq!(
            run_in(&mut shell, &mut host, "alias k").stdout(),
            "alias k='kubectl'\n"
        );
        let missing = run_in(&mut shell, &mut host, "alias nope");
        assert_eq!(
            (missing.stderr().as_str(), missing.status),
            ("bash: alias: nope: not found\n", 1)
        );
        let invalid = run_in(&mut shell, &mut host, "alias a/b=c");
        assert_eq!(invalid.stderr(), "bash: alias: `a/b': invalid alias name\n");
    }

    #[test]
    fn unalias_removes_and_complains() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        run_in(&mut shell, &mut host, "alias k=kubectl; unalias k");
        assert!(shell.aliases.is_empty());
        let missing = run_in(&mut shell, &mut host, "unalias k");
        assert_eq!(
            (missing.stderr().as_str(), missing.status),
            ("bash: unalias: k: not found\n", 1)
        );
        assert_eq!(run_in(&mut shell, &mut host, "unalias").status, 2);
        run_in(&mut shell, &mut host, "alias a=b c=d; unalias -a");
        assert!(shell.aliases.is_empty());
    }

    // Builtins and the host.

    #[test]
    fn echo_options() {
        assert_eq!(stdout("echo -n a b"), "a b");
        assert_eq!(stdout(r"echo -e 'a\tb\nc'"), "a\tb\nc\n");
        assert_eq!(stdout(r"echo -ne 'a\c' b"), "a");
        assert_eq!(stdout(r"echo -E 'a\n'"), "a\\n\n");
        assert_eq!(stdout(r"echo 'a\n'"), "a\\n\n");
        assert_eq!(stdout("echo -x -n"), "-x -n\n");
        assert_eq!(stdout("echo"), "\n");
    }

    #[test]
    fn seq_forms() {
        assert_eq!(stdout("seq 3"), "1\n2\n3\n");
        assert_eq!(stdout("seq 0 2"), "0\n1\n2\n");
        assert_eq!(stdout("seq 10 -5 0"), "10\n5\n0\n");
        assert_eq!(stdout("seq 5 1"), "");
    }

    #[test]
    fn seq_errors_match_coreutils() {
        let (output, _) = run("seq a");
        assert_eq!(
            (output.stderr().as_str(), output.status),
            ("seq: invalid floating point argument: ‘a’\nTry 'seq --help' for more information.\n", 1)
        );
        assert!(run("seq").0.stderr().starts_with("seq: missing operand\n"));
        assert!(run("seq 1 0 3")
            .0
            .stderr()
            .starts_with("seq: invalid Zero increment value: ‘0’\n"));
        assert!(run("seq 1 2 3 4")
            .0
            .stderr()
            .starts_with("seq: extra operand ‘4’\n"));
        assert_eq!(
            run("seq 1000000000").0.status,
            1,
            "too many numbers for a browser tab"
        );
    }

    #[test]
    fn id_forms() {
        assert_eq!(
            stdout("id -un; id -u; id -g -n; id --user --name"),
            "student\n1000\nstudent\nstudent\n"
        );
        assert_eq!(
            stdout("id"),
            "uid=1000(student) gid=1000(student) groups=1000(student)\n"
        );
        assert_eq!(
            run("id -n").0.stderr(),
            "id: cannot print only names or real IDs in default format\n"
        );
        assert_eq!(run("id bob").0.stderr(), "id: ‘bob’: no such user\n");
        assert_eq!(run("id -z").0.status, 1);
    }

    #[test]
    fn hostname_and_whoami() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        assert_eq!(
            run_in(&mut shell, &mut host, "hostname; whoami").stdout(),
            "ordinal-terminal\nstudent\n"
        );
        shell.hostname = "web-0".to_owned();
        assert_eq!(
            run_in(&mut shell, &mut host, "hostname -s").stdout(),
            "web-0\n"
        );
        assert_eq!(run_in(&mut shell, &mut host, "hostname other").status, 1);
        run_in(&mut shell, &mut host, "hostname -i");
        assert_eq!(host.argvs(), [["hostname", "-i"]]);
    }

    #[test]
    fn true_false_colon_and_cd() {
        let (output, host) = run("cd /tmp && : && true && false");
        assert_eq!(output.status, 1);
        assert!(host.calls.is_empty());
    }

    #[test]
    fn date_history_clear_and_unknown_commands_go_to_the_host() {
        let (_, host) = run("date; history; clear; frobnicate --now");
        assert_eq!(
            host.argvs(),
            [
                vec!["date"],
                vec!["history"],
                vec!["clear"],
                vec!["frobnicate", "--now"]
            ]
        );
    }

    #[test]
    fn pipe_feeds_stdout_to_stdin_and_keeps_the_last_status() {
        let (output, host) = run("echo hello | cat | kubectl apply -f -");
        assert_eq!(host.calls[0].stdin.as_deref(), Some("hello\n"));
        assert_eq!(host.calls[1].stdin.as_deref(), Some("hello\n"));
        assert_eq!(output.status, 0);
        assert_eq!(run("true | fail").0.status, 1);
        assert_eq!(run("fail | true").0.status, 0);
    }

    #[test]
    fn stderr_is_not_piped_unless_redirected() {
        let (output, _) = run("fail | cat");
        assert_eq!(
            (output.stdout().as_str(), output.stderr().as_str()),
            ("", "fail: failed\n")
        );
        let (output, _) = run("fail 2>&1 | cat");
        assert_eq!(
            (output.stdout().as_str(), output.stderr().as_str()),
            ("fail: failed\n", "")
        );
    }

    #[test]
    fn output_goes_in_the_order_it_was_produced() {
        let mut chunks = Vec::new();
        let script = parse("echo a; fail; echo b >&2").unwrap();
        Shell::new().execute_streaming(&script, &mut FakeHost::default(), &mut |stream, text| {
            chunks.push((stream, text.to_owned()));
        });
        assert_eq!(
            chunks,
            [
                (Stream::Stdout, "a\n".to_owned()),
                (Stream::Stderr, "fail: failed\n".to_owned()),
                (Stream::Stderr, "b\n".to_owned())
            ]
        );
    }

    #[test]
    fn redirecting_to_a_file_is_refused_in_the_terminal_and_the_command_does_not_run() {
        let (output, host) = run("kubectl get pods > pods.txt");
        assert_eq!(
            output.stderr(),
            "bash: pods.txt: output redirection to files is not supported in this terminal\n"
        );
        assert_eq!(output.status, 1);
        assert!(host.calls.is_empty());
        let (output, _) = run("cat < web.yaml");
        assert_eq!(
            output.stderr(),
            "bash: web.yaml: input redirection from files is not supported in this terminal\n"
        );
    }

    #[test]
    fn dev_null_discards() {
        let (output, _) =
            run("echo out > /dev/null; fail 2>/dev/null; echo both &>/dev/null; echo kept");
        assert_eq!(output, Output::ok("kept\n".to_owned()));
    }

    #[test]
    fn redirect_order_matters_as_in_bash() {
        // `2>&1 >/dev/null`: stderr to where stdout was (the terminal), then stdout away.
        let (output, _) = run("fail 2>&1 >/dev/null | cat");
        assert_eq!(output.stdout(), "fail: failed\n");
        let (output, _) = run("fail >/dev/null 2>&1");
        assert_eq!(output, Output::failed(String::new(), 1));
    }

    #[test]
    fn container_shell_writes_and_appends_files() {
        let mut files = BTreeMap::new();
        let mut host = PodFiles {
            pod: "web-0".to_owned(),
            files: &mut files,
        };
        let mut shell = Shell::new();
        let output = shell.run_line(
            "echo one > /f; echo two >> /f; for i in 3; do echo $i; done >> /f; cat < /f",
            &mut host,
        );
        assert_eq!(output.stderr(), "sh: cat: not found\n");
        assert_eq!(
            files
                .get(&("web-0".to_owned(), "/f".to_owned()))
                .map(String::as_str),
            Some("one\ntwo\n3\n")
        );
    }

    #[test]
    fn comments_run_to_the_end_of_the_line() {
        assert_eq!(stdout("echo a # b c"), "a\n");
        assert_eq!(stdout("echo a#b"), "a#b\n");
        assert_eq!(stdout("echo a;#b\necho c"), "a\nc\n");
        assert!(parse("   # nothing").unwrap().is_empty());
        assert_eq!(stdout("echo $(echo in # comment\n)"), "in\n");
    }

    // The AST.

    #[test]
    fn redirections_are_kept_in_the_ast() {
        let script = parse("sh -c x 2>&1 >> log < in").unwrap();
        let [AndOrList { first, .. }] = script.lists.as_slice() else {
            panic!("{script:?}")
        };
        let [Command::Simple(command)] = first.commands.as_slice() else {
            panic!("{first:?}")
        };
        let literal = |s: &str| Word {
            parts: vec![WordPart::Literal(s.to_owned())],
        };
        assert_eq!(
            command.redirects,
            [
                Redirect::Duplicate { fd: 2, to: 1 },
                Redirect::Output {
                    fd: 1,
                    target: literal("log"),
                    append: true
                },
                Redirect::Input {
                    target: literal("in")
                },
            ]
        );
        assert_eq!(command.words.len(), 3);
    }

    #[test]
    fn split_words_removes_quotes_without_expanding() {
        assert_eq!(
            split_words(r#"echo "$(hostname)" 'a b' c\ d ${X}y $Z > /usr/share/nginx/html/index.html; ls 2>&1"#).unwrap(),
            ["echo", "$(hostname)", "a b", "c d", "${X}y", "$Z", ">", "/usr/share/nginx/html/index.html", ";", "ls", "2", ">&", "1"]
        );
        assert_eq!(split_words("a\nb").unwrap(), ["a", ";", "b"]);
        assert_eq!(
            split_words("echo 'x").unwrap_err(),
            ShellError::Unterminated('\'')
        );
    }

    // Errors.

    #[test]
    fn syntax_errors_read_as_bash_prints_them() {
        let cases = [
            (
                "echo 'a",
                "bash: unexpected EOF while looking for matching `''",
            ),
            (
                "echo \"a",
                "bash: unexpected EOF while looking for matching `\"'",
            ),
            (
                "echo $(a",
                "bash: unexpected EOF while looking for matching `)'",
            ),
            (
                "echo `a",
                "bash: unexpected EOF while looking for matching ``'",
            ),
            (
                "echo ${a",
                "bash: unexpected EOF while looking for matching `}'",
            ),
            (
                "echo \"$(echo 'x)\"",
                "bash: unexpected EOF while looking for matching `''",
            ),
            (
                "for i in 1; do done",
                "bash: syntax error near unexpected token `done'",
            ),
            ("echo a;;", "bash: syntax error near unexpected token `;;'"),
            ("; echo", "bash: syntax error near unexpected token `;'"),
            ("| x", "bash: syntax error near unexpected token `|'"),
            ("a && || b", "bash: syntax error near unexpected token `||'"),
            (
                "echo >",
                "bash: syntax error near unexpected token `newline'",
            ),
            (
                "cat <<",
                "bash: syntax error near unexpected token `newline'",
            ),
            ("echo > ;", "bash: syntax error near unexpected token `;'"),
            ("done", "bash: syntax error near unexpected token `done'"),
            ("echo )", "bash: syntax error near unexpected token `)'"),
            (
                "for i in 1; do echo",
                "bash: syntax error: unexpected end of file",
            ),
            ("echo a &&", "bash: syntax error: unexpected end of file"),
            ("echo a |", "bash: syntax error: unexpected end of file"),
            (
                "for 1 in a; do echo; done",
                "bash: `1': not a valid identifier",
            ),
            ("echo ${a b}", "bash: ${a b}: bad substitution"),
        ];
        for (line, message) in cases {
            assert_eq!(parse_error(line), message, "{line}");
        }
    }

    #[test]
    fn constructs_outside_the_subset_are_refused_by_name() {
        let cases = [
            ("kubectl get pods -w &", "bash: running commands in the background with `&' is not supported in this terminal"),
            ("echo ${!a}", "bash: indirect parameter expansion `${!a}' is not supported in this terminal"),
            ("echo 3>x", "bash: redirecting file descriptor 3 is not supported in this terminal"),
            ("f() { echo; }", "bash: defining functions `f() { …; }' is not supported in this terminal"),
        ];
        for (line, message) in cases {
            assert_eq!(parse_error(line), message, "{line}");
        }
    }

    /// bash's grammar for `case`: `(` before a pattern is optional, `|` separates patterns, the last item may
    /// end without `;;`, and the errors name the token bash names.
    #[test]
    fn case_parses_as_bash_parses_it() {
        for ok in [
            "case x in x) echo;; esac",
            "case x in (x|y) echo ;; esac",
            "case x in x) ;; esac",
            "case x in x) echo a; echo b; esac",
            "case x in\n  x)\n    echo\n    ;;\n  *) ;;\nesac",
            "case x in esac",
            "case $(echo x) in \"x\") echo;& y) echo;;& z) echo;; esac",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
        assert_eq!(
            parse_error("case x in x) echo"),
            "bash: syntax error: unexpected end of file"
        );
        assert!(ShellError::UnexpectedEof.is_incomplete());
        assert_eq!(
            parse_error("case x y"),
            "bash: syntax error near unexpected token `y'"
        );
        assert_eq!(
            parse_error("case x in x echo;; esac"),
            "bash: syntax error near unexpected token `echo'"
        );
        assert_eq!(
            parse_error("echo ;; x"),
            "bash: syntax error near unexpected token `;;'"
        );
        assert_eq!(
            parse_error("( )"),
            "bash: syntax error near unexpected token `)'"
        );
        assert_eq!(
            parse_error("(echo"),
            "bash: syntax error: unexpected end of file"
        );
        assert_eq!(
            parse_error("echo )"),
            "bash: syntax error near unexpected token `)'"
        );
        assert_eq!(
            parse_error("echo ${a:-b"),
            "bash: unexpected EOF while looking for matching `}'"
        );
        assert_eq!(parse_error("echo ${%x}"), "bash: ${%x}: bad substitution");
    }

    /// The bash manual's "Shell Parameter Expansion": defaults, assignment, alternatives, errors, prefix and
    /// suffix removal, replacement, substrings and case; unquoted results split, a quoted word stays whole.
    #[test]
    fn parameter_operators_follow_the_bash_manual() {
        let cases = [
            ("echo ${N:-d} ${N-d} ${E:-d} ${E-d}x", "d d d x\n"),
            ("echo ${N:+alt}x ${V:+alt} ${E+set}", "x alt set\n"),
            ("echo ${V%.yaml} ${V%%.*} ${V#*.} ${V##*.}", "web-0.nginx web-0 nginx.yaml yaml\n"),
            ("echo ${V/web/db} ${V//e/E} ${V/#w/W} ${V/%ml/ML} ${V/q/y} ${V/n*x/X}", "db-0.nginx.yaml wEb-0.nginx.yaml Web-0.nginx.yaml web-0.nginx.yaML web-0.nginx.yaml web-0.X.yaml\n"),
            ("echo ${V:0:5} ${V:6} ${V: -4} ${V:1:-5} ${V:99}x", "web-0 nginx.yaml yaml eb-0.nginx x\n"),
            ("echo ${V^} ${V^^} ${U,} ${U,,}", "Web-0.nginx.yaml WEB-0.NGINX.YAML aBC abc\n"),
            ("echo \"${V%\".yaml\"}\" ${V%\"*\"}", "web-0.nginx web-0.nginx.yaml\n"),
            ("for w in ${N:-a b}; do echo [$w]; done", "[a]\n[b]\n"),
            ("for w in ${N:-\"a b\"} \"${N:-c d}\"; do echo [$w]; done", "[a b]\n[c d]\n"),
            ("echo ${N:=set}; echo $N", "set\nset\n"),
            ("echo ${N:-${V%%-*}}", "web\n"),
            ("echo ${#V} ${#N}", "16 0\n"),
        ];
        for (line, expected) in cases {
            let mut shell = Shell::new();
            shell.vars.insert("V".into(), "web-0.nginx.yaml".into());
            shell.vars.insert("U".into(), "ABC".into());
            shell.vars.insert("E".into(), String::new());
            let out = run_in(&mut shell, &mut FakeHost::default(), line);
            assert_eq!(out.stdout(), expected, "{line}: {}", out.stderr());
        }
        let (out, _) = run("echo ${N:?no value}; echo next $?");
        assert_eq!(out.stderr(), "bash: N: no value\n");
        assert_eq!(out.stdout(), "next 1\n");
        let (out, _) = run("echo ${N?}");
        assert_eq!(out.stderr(), "bash: N: parameter not set\n");
        let (out, _) = run("echo ${1:=x}");
        assert_eq!(out.stderr(), "bash: $1: cannot assign in this way\n");
    }

    /// `case` runs the list of the first item whose pattern matches (globs, `|`, quoted text literal);
    /// `;&` runs the next list too, `;;&` tests the next patterns; no match is status 0.
    #[test]
    fn case_runs_the_first_matching_item() {
        let each = "for p in web-0 web-12 db-1 other '*'; do case $p in web-0) echo \"$p first\";; web-*|db-?) echo \"$p pod\";; \"*\") echo star;; *) echo \"$p none\";; esac; done";
        assert_eq!(
            stdout(each),
            "web-0 first\nweb-12 pod\ndb-1 pod\nother none\nstar\n"
        );
        assert_eq!(
            stdout("case a in a) echo 1;& b) echo 2;; c) echo 3;; esac"),
            "1\n2\n"
        );
        assert_eq!(
            stdout("case ab in a*) echo 1;;& b) echo 2;;& *b) echo 3;; esac"),
            "1\n3\n"
        );
        assert_eq!(stdout("false; case x in y) echo no;; esac; echo $?"), "0\n");
        assert_eq!(stdout("case x in x) false;; esac; echo $?"), "1\n");
        assert_eq!(
            stdout("for i in 1 2 3; do case $i in 2) continue;; 3) break;; esac; echo $i; done"),
            "1\n"
        );
    }

    /// bash's printf builtin (builtins/printf.def): the format reused for extra arguments, `-v VAR`, errors as
    /// `bash: printf: …` with status 1 (conversion) or 2 (usage).
    #[test]
    fn printf_is_bashs_builtin() {
        assert_eq!(stdout("printf '%s-%s\\n' a b c"), "a-b\nc-\n");
        assert_eq!(
            stdout("printf -v X '%05.1f' 3.14159; echo \"[$X]\""),
            "[003.1]\n"
        );
        let (out, _) = run("printf '%d\\n' abc 7; echo $?");
        assert_eq!(out.stderr(), "bash: printf: abc: invalid number\n");
        assert_eq!(out.stdout(), "0\n7\n1\n");
        // A message goes out when it is reported, after the lines already finished (bash's stdout is line
        // buffered: shell.c `shell_initialize`) and before the line it interrupted.
        let (out, _) = run("printf '%d\\n' 1 abc 7");
        assert_eq!(out.text(), "1\nbash: printf: abc: invalid number\n0\n7\n");
        let (out, _) = run("printf '%d %d\\n' 1 abc");
        assert_eq!(out.text(), "bash: printf: abc: invalid number\n1 0\n");
        let (out, _) = run("printf; echo $?");
        assert_eq!(
            out.stderr(),
            "printf: usage: printf [-v var] format [arguments]\n"
        );
        assert_eq!(out.stdout(), "2\n");
        let (out, _) = run("printf -v 1x hi; echo $?");
        assert_eq!(out.stderr(), "bash: printf: `1x': not a valid identifier\n");
        assert_eq!(out.stdout(), "2\n");
        let (out, _) = run("printf -z x");
        assert_eq!(
            out.stderr(),
            "bash: printf: -z: invalid option\nprintf: usage: printf [-v var] format [arguments]\n"
        );
        assert_eq!(stdout("printf -- '%s\\n' -x"), "-x\n");
    }

    /// `( … )` runs in a subshell: its variables and an `exit` stay inside, its status is the list's; a
    /// `$(…)` that exits does not end the script either.
    #[test]
    fn subshells_keep_their_changes_and_their_exit() {
        assert_eq!(
            stdout("X=1; (X=2; echo in $X; exit 3; echo never); echo out $X $?"),
            "in 2\nout 1 3\n"
        );
        assert_eq!(stdout("x=$(echo a; exit 4; echo b); echo $x $?"), "a 4\n");
        assert_eq!(stdout("exit 5 | cat; echo still $?"), "still 0\n");
        assert_eq!(stdout("set -e; (false; echo never); echo not reached"), "");
        assert_eq!(stdout("(echo x) > /dev/null; echo $?"), "0\n");
    }

    /// Files in a map; `[[ -d ]]` sees the directories that hold them.
    #[derive(Default)]
    struct Files(BTreeMap<String, String>);

    impl Host for Files {
        fn run(&mut self, argv: &[String], stdin: Option<&str>, _: &[(String, String)]) -> Output {
            match argv.first().map(String::as_str) {
                Some("cat") if argv.len() > 1 => {
                    Output::ok(self.0.get(&argv[1]).cloned().unwrap_or_default())
                }
                Some("cat") => Output::ok(stdin.unwrap_or_default().to_owned()),
                Some("hostname") => Output::ok("mysql-2\n".to_owned()),
                Some("cp") => {
                    let text = self.0.get(&argv[1]).cloned().unwrap_or_default();
                    let name = argv[1].rsplit('/').next().unwrap_or("").to_owned();
                    self.0.insert(format!("{}{name}", argv[2]), text);
                    Output::default()
                }
                _ => Output::default(),
            }
        }

        fn read_file(&mut self, path: &str) -> Result<String, String> {
            self.0
                .get(path)
                .cloned()
                .ok_or_else(|| "No such file or directory".into())
        }

        fn write_file(&mut self, path: &str, contents: &str, append: bool) -> Result<(), String> {
            let f = self.0.entry(path.to_owned()).or_default();
            if !append {
                f.clear();
            }
            f.push_str(contents);
            Ok(())
        }

        fn file_kind(&mut self, path: &str) -> Option<FileKind> {
            if let Some(t) = self.0.get(path) {
                return Some(FileKind::File { size: t.len() });
            }
            let prefix = format!("{}/", path.trim_end_matches('/'));
            self.0
                .keys()
                .any(|k| k.starts_with(&prefix))
                .then_some(FileKind::Dir)
        }
    }

    #[test]
    fn if_elif_else_pick_the_first_true_branch() {
        assert_eq!(
            stdout("if false; then echo a; elif true; then echo b; else echo c; fi"),
            "b\n"
        );
        assert_eq!(stdout("if false; then echo a; else echo c; fi"), "c\n");
        assert_eq!(stdout("if true\nthen\n  echo yes\nfi"), "yes\n");
        assert_eq!(stdout("if false; then echo a; fi; echo $?"), "0\n");
    }

    #[test]
    fn while_until_break_and_continue() {
        assert_eq!(
            stdout("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done"),
            "0\n1\n2\n"
        );
        assert_eq!(
            stdout("i=3; until [ $i -eq 0 ]; do echo $i; i=$((i-1)); done"),
            "3\n2\n1\n"
        );
        assert_eq!(
            stdout("for i in 1 2 3 4; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done"),
            "1\n3\n"
        );
        assert_eq!(
            stdout("for i in a b; do for j in 1 2; do break 2; done; echo never; done; echo out"),
            "out\n"
        );
        // A loop that never ends stops at the terminal's limit instead of hanging.
        let (out, _) = run("while true; do :; done");
        assert!(out.stderr().contains("stopped after"), "{}", out.stderr());
    }

    #[test]
    fn arithmetic_follows_bash() {
        assert_eq!(
            stdout("n=2; echo $((100 + $n)) $((100 + n)) $((7 / 2)) $((7 % 3)) $((2 ** 10))"),
            "102 102 3 1 1024\n"
        );
        assert_eq!(
            stdout("echo $(( (1 + 2) * 3 )) $((1 < 2 && 3 > 4)) $((5 > 3 ? 10 : 20)) $((-3 + 1))"),
            "9 0 10 -2\n"
        );
        assert_eq!(
            stdout("i=1; echo $((i++)) $i $((++i)) $((i += 5)) $i"),
            "1 2 3 8 8\n"
        );
        assert_eq!(stdout("echo $((0x10)) $((010)) $((2#101))"), "16 8 5\n");
        let (out, _) = run("echo $((1 / 0))");
        assert_eq!(
            out.stderr(),
            "bash: 1 / 0: division by 0 (error token is \"0\")\n"
        );
        let (out, _) = run("echo $((1 +))");
        assert_eq!(
            out.stderr(),
            "bash: 1 +: syntax error: operand expected (error token is \"\")\n"
        );
    }

    #[test]
    fn double_bracket_tests_strings_numbers_files_and_patterns() {
        let mut host = Files::default();
        host.0
            .insert("/var/lib/mysql/mysql/ibdata1".into(), "x".into());
        host.0.insert("/etc/empty".into(), String::new());
        let mut shell = Shell::new();
        let mut check = |line: &str| run_in(&mut shell, &mut host, line).stdout();
        assert_eq!(check("[[ -d /var/lib/mysql/mysql ]] && echo dir"), "dir\n");
        assert_eq!(
            check("[[ -f /var/lib/mysql/mysql ]] || echo notfile"),
            "notfile\n"
        );
        assert_eq!(check("[[ -s /etc/empty ]] || echo empty"), "empty\n");
        assert_eq!(check("[[ ! -e /nope && -z \"\" ]] && echo both"), "both\n");
        assert_eq!(check("x=web-1; [[ $x == web-* ]] && echo glob"), "glob\n");
        assert_eq!(
            check("x=web-1; [[ $x == \"web-*\" ]] || echo literal"),
            "literal\n"
        );
        assert_eq!(check("[[ 10 -gt 9 && abc < abd ]] && echo cmp"), "cmp\n");
        assert_eq!(
            check("[[ ( 1 -eq 2 ) || 2 -eq 2 ]] && echo paren"),
            "paren\n"
        );
    }

    #[test]
    fn regex_match_sets_bash_rematch() {
        let out = stdout(
            r#"h=mysql-12; [[ $h =~ -([0-9]+)$ ]] && echo ${BASH_REMATCH[1]} ${#BASH_REMATCH[@]} "${BASH_REMATCH[0]}""#,
        );
        assert_eq!(out, "12 2 -12\n");
        assert_eq!(
            stdout("[[ mysql =~ -([0-9]+)$ ]] || echo no; echo ${#BASH_REMATCH[@]}"),
            "no\n0\n"
        );
        // Quoted parts of the pattern are literal.
        assert_eq!(
            stdout(r#"[[ a.c =~ "a.c" ]] && echo y; [[ abc =~ "a.c" ]] || echo n"#),
            "y\nn\n"
        );
    }

    #[test]
    fn set_e_stops_at_the_first_failure_outside_conditions() {
        assert_eq!(stdout("set -e; echo a; false; echo b"), "a\n");
        assert_eq!(
            stdout("set -e; false || echo rescued; echo after"),
            "rescued\nafter\n"
        );
        assert_eq!(
            stdout("set -e; if false; then :; fi; ! true; echo kept"),
            "kept\n"
        );
        assert_eq!(stdout("set -e; false && echo no; echo kept"), "kept\n");
        assert_eq!(stdout("set -e; set +e; false; echo on"), "on\n");
    }

    #[test]
    fn set_x_traces_each_command_on_stderr() {
        let (out, _) = run("set -x; n=3; echo \"a b\" $((n+1))");
        assert_eq!(out.stdout(), "a b 4\n");
        assert_eq!(out.stderr(), "+ n=3\n+ echo 'a b' 4\n");
    }

    #[test]
    fn test_and_bracket_builtins() {
        assert_eq!(
            stdout("[ 1 -eq 1 ] && echo y; [ a = b ] || echo n; test -z '' && echo z"),
            "y\nn\nz\n"
        );
        let (out, _) = run("[ 1 -eq 1");
        assert_eq!(
            (out.stderr().as_str(), out.status),
            ("bash: [: missing `]'\n", 2)
        );
        let (out, _) = run("[ x -eq 1 ]");
        assert_eq!(out.stderr(), "bash: [: x: integer expression expected\n");
    }

    #[test]
    fn the_replicated_mysql_init_scripts_run() {
        let mut host = Files::default();
        host.0.insert(
            "/mnt/config-map/master.cnf".into(),
            "[mysqld]\nlog-bin\n".into(),
        );
        host.0.insert(
            "/mnt/config-map/slave.cnf".into(),
            "[mysqld]\nsuper-read-only\n".into(),
        );
        let script = "set -ex\n# Generate mysql server-id from pod ordinal index.\n[[ `hostname` =~ -([0-9]+)$ ]] || exit 1\nordinal=${BASH_REMATCH[1]}\necho [mysqld] > /mnt/conf.d/server-id.cnf\n# Add an offset to avoid reserved server-id=0 value.\necho server-id=$((100 + $ordinal)) >> /mnt/conf.d/server-id.cnf\n# Copy appropriate conf.d files from config-map to emptyDir.\nif [[ $ordinal -eq 0 ]]; then\n  cp /mnt/config-map/master.cnf /mnt/conf.d/\nelse\n  cp /mnt/config-map/slave.cnf /mnt/conf.d/\nfi\n";
        let mut shell = Shell::new();
        shell.hostname = "mysql-2".into();
        let out = run_in(&mut shell, &mut host, script);
        assert_eq!(out.status, 0, "{}", out.stderr());
        assert_eq!(
            host.0["/mnt/conf.d/server-id.cnf"],
            "[mysqld]\nserver-id=102\n"
        );
        assert_eq!(
            host.0["/mnt/conf.d/slave.cnf"],
            "[mysqld]\nsuper-read-only\n"
        );
        assert_eq!(
            out.stderr(),
            "++ hostname\n+ [[ mysql-2 =~ -([0-9]+)$ ]]\n+ ordinal=2\n+ echo '[mysqld]'\n+ echo server-id=102\n+ [[ 2 -eq 0 ]]\n+ cp /mnt/config-map/slave.cnf /mnt/conf.d/\n"
        );
        // The sidecar's parsing of the clone's binlog position.
        let mut host = Files::default();
        host.0.insert(
            "xtrabackup_binlog_info".into(),
            "mysql-0-bin.000003\t154\n".into(),
        );
        let script = "if [[ -f xtrabackup_slave_info && \"x$(<xtrabackup_slave_info)\" != \"x\" ]]; then\n  echo slave\nelif [[ -f xtrabackup_binlog_info ]]; then\n  [[ `cat xtrabackup_binlog_info` =~ ^(.*?)[[:space:]]+(.*?)$ ]] || exit 1\n  echo \"CHANGE MASTER TO MASTER_LOG_FILE='${BASH_REMATCH[1]}',\\\nMASTER_LOG_POS=${BASH_REMATCH[2]}\" > change_master_to.sql.in\nfi\necho \"$(<change_master_to.sql.in), MASTER_HOST='mysql-0.mysql'\"";
        let out = run_in(&mut Shell::new(), &mut host, script);
        assert_eq!(out.stderr(), "");
        assert_eq!(
            out.stdout(),
            "CHANGE MASTER TO MASTER_LOG_FILE='mysql-0-bin.000003',MASTER_LOG_POS=154, MASTER_HOST='mysql-0.mysql'\n"
        );
    }

    #[test]
    fn incomplete_input_is_told_apart_from_wrong_input() {
        for line in [
            "echo 'a",
            "for i in 1; do",
            "a &&",
            "a |",
            "echo $(",
            "for i in 1 2",
            "if x",
            "while true; do",
            "if [[ -f x ]]; then echo; else",
        ] {
            assert!(parse(line).unwrap_err().is_incomplete(), "{line}");
        }
        for line in [
            "a;;",
            "| a",
            "for i in 1; do done",
            "if x; fi",
            "while; do x; done",
        ] {
            assert!(!parse(line).unwrap_err().is_incomplete(), "{line}");
        }
    }

    #[test]
    fn run_line_prints_syntax_errors_with_status_2() {
        let mut shell = Shell::new();
        let output = shell.run_line("echo a;;", &mut FakeHost::default());
        assert_eq!(
            output.stderr(),
            "bash: syntax error near unexpected token `;;'\n"
        );
        assert_eq!((output.status, shell.last_status()), (2, 2));
    }

    // Robustness.

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let nested = format!("echo {}x{}", "$(echo ".repeat(500), ")".repeat(500));
        assert_eq!(parse(&nested).unwrap_err(), ShellError::TooDeep);
        let loops = format!(
            "{}echo{}",
            "for i in 1; do ".repeat(500),
            "; done".repeat(500)
        );
        assert_eq!(parse(&loops).unwrap_err(), ShellError::TooDeep);
        assert!(parse(&"$(".repeat(100_000)).is_err());
        assert!(parse(&"\"$(".repeat(10_000)).is_err());
    }

    #[test]
    fn aliases_expanding_through_each_other_end() {
        let mut shell = Shell::new();
        let mut host = FakeHost::default();
        for i in 0..100 {
            run_in(
                &mut shell,
                &mut host,
                &format!("alias a{i}='echo $(a{}); echo'", i + 1),
            );
        }
        let output = run_in(&mut shell, &mut host, "a0");
        assert!(output.stderr().contains("nested too deeply"), "{output:?}");
    }

    #[test]
    fn runaway_loops_stop_at_the_command_limit() {
        let (output, _) =
            run("for i in $(seq 400); do for j in $(seq 400); do true; done; done; echo never");
        assert_eq!(
            output.stderr(),
            "bash: stopped after 100000 commands, this terminal's limit\n"
        );
        assert_eq!((output.stdout().as_str(), output.status), ("", 1));
    }

    const FRAGMENTS: &[&str] = &[
        "'",
        "\"",
        "$(",
        ")",
        "`",
        "${",
        "}",
        ";;",
        ";",
        "&&",
        "||",
        "|",
        "&",
        "for",
        " in ",
        "do",
        "done",
        "i",
        " ",
        "\n",
        "<<",
        "<<-",
        "EOF",
        ">",
        ">>",
        "<",
        "2>&1",
        ">&",
        "\\",
        "$",
        "#",
        "!",
        "(",
        "$((",
        "if",
        "alias a='a",
        "echo",
        "seq 0 2",
        "=",
        "\t",
        "é",
        "${a:-b}",
        "$?",
        "<<<",
        "&>",
        "99999999999>",
        "1<",
        "3>",
        "x=",
        "unalias",
        "$i",
        "\\\n",
        "'$(",
        "\"`",
        "&>>",
        ">|",
        "-",
        "0<",
        "{",
        "[[",
        "export",
        "$'",
        "\u{0}",
    ];

    fn exercise(input: &str) {
        let _ = heredoc_delimiters(input);
        let _ = split_words(input);
        let _ = parse_with_heredocs(input, &["body $(".to_owned(), "`".to_owned()]);
        if let Ok(script) = parse(input) {
            let mut shell = Shell::new();
            shell.aliases.insert("a".to_owned(), input.to_owned());
            let _ = shell.execute(&script, &mut FakeHost::default());
        }
    }

    #[test]
    fn odd_input_never_panics() {
        // Every pair of fragments, then a few hundred longer deterministic mixes.
        for a in FRAGMENTS {
            for b in FRAGMENTS {
                exercise(&format!("{a}{b}"));
            }
        }
        let mut seed: u64 = 0x5eed;
        for _ in 0..600 {
            let mut input = String::new();
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            for _ in 0..(seed >> 60) + 2 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let index = usize::try_from(seed >> 33).unwrap_or(0) % FRAGMENTS.len();
                input.push_str(FRAGMENTS[index]);
            }
            exercise(&input);
        }
    }

    // proptest runs natively only (see the engine's Cargo.toml).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 256,
                failure_persistence: None,
                rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed_0002),
                ..ProptestConfig::default()
            })]

            #[test]
            fn fragments_never_panic(parts in proptest::collection::vec(proptest::sample::select(super::FRAGMENTS), 0..12)) {
                super::exercise(&parts.concat());
            }

            #[test]
            fn arbitrary_text_never_panics(text in proptest::collection::vec(any::<char>(), 0..40)) {
                super::exercise(&text.into_iter().collect::<String>());
            }
        }
    }
    /// A process's host: `sleep N` makes it wait N seconds, `serve` makes it wait for good, and `tick` prints
    /// how many times it ran.
    #[derive(Default)]
    struct Sleepy {
        wait: Option<Wait>,
        ticks: usize,
    }

    impl Host for Sleepy {
        fn run(&mut self, argv: &[String], _: Option<&str>, _: &[(String, String)]) -> Output {
            match argv.first().map(String::as_str) {
                Some("sleep") => {
                    let seconds = argv.get(1).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
                    self.wait = Some(Wait::For(seconds * 1000));
                    Output::default()
                }
                Some("serve") => {
                    self.wait = Some(Wait::Forever);
                    Output::default()
                }
                Some("tick") => {
                    self.ticks += 1;
                    Output::ok(format!("tick {}\n", self.ticks))
                }
                _ => Output::failed(
                    format!("bash: {}: command not found\n", argv.join(" ")),
                    127,
                ),
            }
        }

        fn take_wait(&mut self) -> Option<Wait> {
            self.wait.take()
        }
    }

    fn job(line: &str) -> Job {
        Job::new(Shell::new(), parse(line).unwrap(), None)
    }

    fn printed(job: &mut Job) -> String {
        job.take_output()
            .into_iter()
            .map(|(_, text)| text)
            .collect()
    }

    #[test]
    fn a_job_stops_at_each_sleep_and_carries_on_where_it_stopped() {
        let mut host = Sleepy::default();
        let mut j = job("while sleep 1; do tick; done");
        // The first command is the sleep: nothing is printed before the first second is over.
        assert_eq!(j.resume(&mut host), JobState::Waiting(Wait::For(1000)));
        assert_eq!(printed(&mut j), "");
        for n in 1..=3 {
            assert_eq!(j.resume(&mut host), JobState::Waiting(Wait::For(1000)));
            assert_eq!(printed(&mut j), format!("tick {n}\n"));
        }
        assert!(!j.finished());
    }

    #[test]
    fn a_job_ends_with_its_scripts_status_and_keeps_its_variables() {
        let mut host = Sleepy::default();
        let mut j = job("n=1; sleep 2; n=2; tick; missing");
        assert_eq!(j.resume(&mut host), JobState::Waiting(Wait::For(2000)));
        assert_eq!(j.resume(&mut host), JobState::Done(127));
        assert_eq!(
            printed(&mut j),
            "tick 1\nbash: missing: command not found\n"
        );
        // Resuming an ended job changes nothing.
        assert_eq!(j.resume(&mut host), JobState::Done(127));
        let shell = j.into_shell();
        assert_eq!(shell.vars.get("n").map(String::as_str), Some("2"));
    }

    #[test]
    fn a_server_makes_its_job_wait_for_good() {
        let mut host = Sleepy::default();
        let mut j = job("tick; serve; tick");
        assert_eq!(j.resume(&mut host), JobState::Waiting(Wait::Forever));
        assert_eq!(printed(&mut j), "tick 1\n");
    }

    #[test]
    fn an_interrupted_job_gives_back_its_shell_at_the_prompt() {
        let mut host = Sleepy::default();
        let mut j = job("for i in 1 2 3; do last=$i; sleep 1; done");
        j.resume(&mut host);
        j.resume(&mut host);
        let shell = j.into_shell();
        assert_eq!(shell.vars.get("last").map(String::as_str), Some("2"));
        assert_eq!(shell.last_status(), 130);
    }

    #[test]
    fn a_loop_that_waits_is_not_stopped_as_a_runaway() {
        let mut host = Sleepy::default();
        let mut j = job("while true; do tick >/dev/null; tick >/dev/null; sleep 1; done");
        // Each wait starts the command budget again, so the loop outlives it.
        for _ in 0..(MAX_COMMANDS / 2) {
            assert_eq!(j.resume(&mut host), JobState::Waiting(Wait::For(1000)));
        }
        assert_eq!(printed(&mut j), "");
    }

    #[test]
    fn run_straight_through_a_sleep_does_not_stop_the_script() {
        let mut host = Sleepy::default();
        let out = Shell::new().run_line("tick; sleep 5; tick", &mut host);
        assert_eq!(out.stdout(), "tick 1\ntick 2\n");
    }
}
