//! Accumulation: one kustomization level, its resources (files and sub-kustomizations), generators and
//! transformers.

use super::errors::{KError, KResult};
use super::generators::{absorb, generate};
use super::kustomization::{load_kustomization, Kustomization};
use super::loader::Loader;
use super::resources::{append, read_resources, Res};
use super::transformers::transform;

/// Builds one kustomization level: its resources (files and sub-kustomizations), its generators, then its
/// transformers (kustomize's `accumulateTarget`). Hashes and name references wait for the top level.
pub(super) fn accumulate_target(
    ldr: &Loader,
    k: &Kustomization,
    warnings: &mut Vec<String>,
) -> KResult<Vec<Res>> {
    let mut list = Vec::new();
    for path in &k.resources {
        accumulate_path(ldr, path, &mut list, warnings)
            .map_err(|e| e.wrap("accumulating resources"))?;
    }
    for args in &k.config_map_generator {
        let res = generate(ldr, args, k.generator_options.as_ref(), false)?;
        absorb(&mut list, res)?;
    }
    for args in &k.secret_generator {
        let res = generate(ldr, args, k.generator_options.as_ref(), true)?;
        absorb(&mut list, res)?;
    }
    transform(&mut list, k)?;
    Ok(list)
}

/// One `resources` entry: a file (or URL) of objects, else a directory with its own kustomization.
fn accumulate_path(
    ldr: &Loader,
    path: &str,
    list: &mut Vec<Res>,
    warnings: &mut Vec<String>,
) -> KResult<()> {
    let as_file = ldr
        .load(path)
        .and_then(|text| read_resources(&text, path))
        .map_err(|e| e.wrap(format!("accumulating resources from '{path}'")))
        .and_then(|objs| {
            for r in objs {
                append(list, r)
                    .map_err(|e| KError::new(e).wrap(format!("merging resources from '{path}'")))?;
            }
            Ok(())
        });
    let err_file = match as_file {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    if err_file.http || err_file.bare {
        return Err(err_file);
    }
    let child = match ldr.child(path) {
        Ok(c) => c,
        Err(e) => {
            if err_file.malformed_yaml {
                return Err(err_file);
            }
            return Err(KError::new(e).wrap(format!("accumulation err='{}'", err_file.message)));
        }
    };
    let sub = load_kustomization(&child, warnings)
        .map_err(|e| e.wrap(format!("couldn't make target for path '{}'", child.root)))
        .and_then(|sk| {
            if sk.component {
                return Err(KError::new(format!(
                    "expected kind != 'Component' for path '{}'",
                    child.root
                )));
            }
            Ok(sk)
        })
        .and_then(|sk| {
            accumulate_target(&child, &sk, warnings)
                .map_err(|e| e.wrap(format!("recursed accumulation of path '{}'", child.root)))
        })
        .and_then(|objs| {
            for r in objs {
                append(list, r).map_err(|e| {
                    KError::new(e).wrap(format!("recursed merging from path '{}'", child.root))
                })?;
            }
            Ok(())
        });
    sub.map_err(|e| e.wrap(format!("accumulation err='{}'", err_file.message)))
}
