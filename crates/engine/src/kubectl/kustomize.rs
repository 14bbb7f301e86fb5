//! Kustomize, as built into kubectl (`apply -k DIR`, `kubectl kustomize DIR`).

use crate::kubectl::Context;

/// Builds the kustomization in `dir` (a folder among the context's files) into a multi-document YAML text.
pub fn build(_ctx: &Context, dir: &str) -> Result<String, String> {
    Err(format!(
        "error: kustomize (-k {dir}) is not available in this playground yet"
    ))
}
