//! A small, panic-free subset of the POSIX shell for what learners type into the terminal. The tutorials lean on a
//! handful of shell features (`kubectl -n $(id -un) …`, `for i in 0 1; do … done`, `alias kubectl="…"`,
//! `cat <<EOF | kubectl apply -f -`, `&&`), and a browser has no shell to hand them to. It does no I/O:
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
//! file`: each `read` consumes its stdin line by line), pathname globbing (`cat *.cnf`, through
//! [`Host::list_dir`]) and bash's `printf`. What is outside it (`&`, functions, `${!a}`) is refused with a
//! message rather than half-run.

mod arith;
mod ast;
mod builtins;
mod expand;
mod host;
mod interpreter;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

pub use ast::{
    AndOrList, Assignment, CaseCommand, CaseEnd, CaseItem, Command, CondExpr, Connector, ForLoop,
    Group, IfCommand, LoopCommand, ParamOp, Pipeline, Redirect, Script, SimpleCommand, Word,
    WordPart,
};
pub use host::{FileKind, Host, Job, JobState, Output, Stream, Wait};
pub use interpreter::Shell;

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
