//! Kustomize as built into kubectl (kustomize v5.7: `kubectl apply -k DIR`, `kubectl kustomize DIR`,
//! `kubectl delete -k DIR`). It reads a kustomization and its resources from the learner's files, runs the
//! generators and transformers kustomize runs, in kustomize's order (resources, generators, then namespace,
//! prefix, suffix, labels, annotations, replicas and images at every level; content-hash suffixes and name
//! references once, at the top), sorts in kustomize's legacy order and prints YAML the way kustomize prints it
//! (Go's yaml.v2: sorted keys, `"1"` for numeric strings, `|` blocks). Errors carry kustomize's own wording,
//! prefix by prefix, because learners paste them into search engines.
//!
//! Left out: patches, replacements, vars, the `components` field, Helm, remote bases (git) and plugins; a
//! kustomization that uses them gets a plain "not available in this playground" error instead of a half-built
//! result.

mod accumulate;
mod errors;
mod generators;
mod hash;
mod kustomization;
mod loader;
mod nameref;
mod order;
mod resources;
mod transformers;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::{goyaml, Context};
use accumulate::accumulate_target;
use errors::KError;
use hash::add_hashes;
use kustomization::load_kustomization;
use loader::{Files, Loader};
use nameref::fix_name_references;
use order::sort_resources;

pub(crate) use hash::encode_hash;

/// What a build prints: the YAML documents, and the warnings kustomize writes to standard error (deprecated
/// fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Built {
    pub yaml: String,
    pub warnings: Vec<String>,
}

impl Built {
    /// The warnings as kustomize logs them on standard error, a line each.
    pub fn warnings_text(&self) -> String {
        self.warnings.iter().map(|w| format!("{w}\n")).collect()
    }
}

/// Builds the kustomization in `dir` (a folder among the context's files) into a multi-document YAML text, with
/// kustomize's warnings (`# Warning: 'commonLabels' is deprecated…`) for standard error.
pub fn build_with_warnings(ctx: &Context, dir: &str) -> Result<Built, String> {
    let files = Files { ctx };
    let mut warnings = Vec::new();
    let result = (|| {
        let ldr = Loader::top(&files, dir)?;
        let kust = load_kustomization(&ldr, &mut warnings)?;
        let mut resources = accumulate_target(&ldr, &kust, &mut warnings)?;
        // Done once, at the top, after every level's transformers: kustomize's `makeCustomizedResMap`.
        add_hashes(&mut resources);
        fix_name_references(&mut resources)?;
        if let Some(e) = &kust.sort_error {
            return Err(KError::new(e.clone()));
        }
        sort_resources(&mut resources, &kust.sort);
        Ok::<_, KError>(resources)
    })();
    match result {
        Ok(resources) => {
            let docs: Vec<String> = resources
                .iter()
                .map(|r| goyaml::document(&Value::Object(r.obj.clone())))
                .collect();
            Ok(Built {
                yaml: docs.join("---\n"),
                warnings,
            })
        }
        Err(e) => Err(format!("error: {}", e.message)),
    }
}
