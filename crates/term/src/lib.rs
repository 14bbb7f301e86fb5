//! Ordinal's terminal: what the learner types goes through one line discipline ([`line`](mod@line)) to the shell and
//! kubectl ([`terminal`]), commands that wait move the virtual clock, and [`complete`] answers Tab. The browser
//! app and the native transcript runner ([`runner`], the `ordinal` binary) share it, so a script prints the same
//! transcript in both.

pub mod complete;
pub mod line;
pub mod runner;
pub mod terminal;
pub mod why;
