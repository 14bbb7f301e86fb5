//! The shell's syntax tree: what the parser builds and the interpreter walks. Words keep their quoting, since
//! expansion needs to know what was quoted to decide what splits and whether an empty result is an argument.

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

/// A redirection, kept in the AST so each [`Host`](super::Host) decides what a file is.
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
    pub(super) fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Literal(s)] => Some(s),
            _ => None,
        }
    }

    /// The word with quotes removed and nothing expanded: `$X` and `$(…)` stay as written.
    pub(super) fn as_written(&self) -> String {
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
