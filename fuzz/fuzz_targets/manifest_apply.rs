//! Any text pasted into the editor and applied: the manifest decoder, admission and every controller that
//! reacts, then half a minute of the clock. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ordinal_engine::api::ManifestVerb;
use ordinal_engine::{Cluster, ClusterConfig};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut c = Cluster::new(ClusterConfig::default());
    for verb in [ManifestVerb::Apply, ManifestVerb::Apply, ManifestVerb::Create { save_config: false }] {
        let _ = c.manifest_as(verb, &text, "fuzz.yaml", "default");
    }
    c.advance(30_000);
});
