//! One file per component; each takes data and callbacks as props.

pub mod app;
pub mod cluster_view;
pub mod dns_panel;
pub mod editor;
pub mod lesson_panel;
pub mod set_controls;
pub mod terminal;
pub mod timeline;
pub mod toolbar;

pub use app::{App, AppProps};
