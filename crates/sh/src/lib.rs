//! The learner's shell. The tutorials lean on a shell (`kubectl -n $(id -un) …`, `for i in 0 1; do … done`,
//! `cat <<EOF | kubectl apply -f -`, `grep`, `sed`, `awk`), and a browser has none to hand them to. This crate
//! parses and runs that shell and the text tools around it, and knows nothing of Kubernetes: every command
//! that is not a builtin or a text tool goes to a [`Host`] the caller supplies (kubectl in the learner's
//! terminal, a container's programs inside `sh -c`). It does no I/O and never panics on what a learner types.
//!
//! - [`parse`], [`Script`] and the AST; [`Shell`] runs scripts, keeping variables, aliases and options;
//!   [`Job`] runs one that can stop between commands (a `sleep` on the virtual clock).
//! - [`files`]: `cat`, `ls`, `mkdir`, `rm`, `cp`, `mv`, `touch` over a [`fs::FileSystem`] (a container's,
//!   or the learner's home directory, a [`fs::FileTree`]).
//! - [`coreutils`]: the one `grep`, `sed`, `awk`, `tr`, `cut`, `sort`, `base64`, … both GNU's and busybox's
//!   flavour, over the host's files.
//!
//! Inside, and not exported: `shell` (lexer, parser, AST, interpreter, builtins, one file each), `printf`
//! (bash's and coreutils' conversions, shared by the builtin and the program), `awk`, and `regex` (POSIX
//! patterns and globs rewritten for `regex-lite`).

mod awk;
pub mod coreutils;
mod duration;
pub mod files;
pub mod fs;
mod printf;
mod regex;
mod shell;

pub use duration::{parse_duration_ms, sleep};

/// Whose wording a tool's messages follow: GNU coreutils' (Debian images, the learner's terminal) or BusyBox's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Gnu,
    Busybox,
}
pub use shell::{
    heredoc_delimiters, parse, parse_with_heredocs, split_words, AndOrList, Assignment,
    CaseCommand, CaseEnd, CaseItem, Command, CondExpr, Connector, FileKind, ForLoop, Group, Host,
    IfCommand, Job, JobState, LoopCommand, Output, ParamOp, Pipeline, Redirect, Script, Shell,
    ShellError, SimpleCommand, Stream, Wait, Word, WordPart,
};
