//! Any line typed into the terminal, over a cluster running the tutorial's web.yaml: bash's parser and
//! interpreter, kubectl's flags and every command behind them. Nothing may panic or run without end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_term::terminal::Terminal;

const WEB: &str = include_str!("../../crates/term/tests/fixtures/web.yaml");

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let mut c = Cluster::new(ClusterConfig::default());
    let mut t = Terminal::default();
    t.ctx.files.insert("web.yaml".into(), WEB.into());
    t.run(&mut c, "kubectl apply -f web.yaml", &[]);
    t.run(&mut c, &line, &[]);
});
