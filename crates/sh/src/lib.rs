//! The learner's shell. The tutorials lean on a shell (`kubectl -n $(id -un) …`, `for i in 0 1; do … done`,
//! `cat <<EOF | kubectl apply -f -`, `grep`, `sed`, `awk`), and a browser has none to hand them to. This crate
//! parses and runs that shell and the text tools around it, and knows nothing of Kubernetes: every command
//! that is not a builtin or a text tool goes to a [`Host`] the caller supplies (kubectl in the learner's
//! terminal, a container's programs inside `sh -c`). It does no I/O and never panics on what a learner types.
//!
//! - [`parse`], [`Script`] and the AST; [`Shell`] runs scripts, keeping variables, aliases and options;
//!   [`Job`] runs one that can stop between commands (a `sleep` on the virtual clock).
//! - [`coreutils`]: the one `grep`, `sed`, `awk`, `tr`, `cut`, `sort`, `base64`, … both GNU's and busybox's
//!   flavour, over the host's files.
//! - [`printf`]: bash's and coreutils' `printf`.

mod awk;
pub mod coreutils;
mod duration;
pub mod printf;
mod regex;
mod shell;

pub use duration::parse_duration_ms;
pub use shell::*;
