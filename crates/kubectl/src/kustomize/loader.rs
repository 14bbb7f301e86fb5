//! The learner's file system, as kustomize's loader sees it: the files under the home directory, and a loader
//! rooted at a kustomization's folder that refuses paths outside it.

use ordinal_sh::fs::normalize;

use super::errors::{KError, KResult};
use crate::{home, Context};

/// The learner's files under the home directory; everything outside it does not exist.
pub(super) struct Files<'a> {
    pub(super) ctx: &'a Context,
}

/// What a path names.
pub(super) enum Node<'a> {
    File(&'a str),
    Dir,
    Missing,
}

impl Files<'_> {
    fn cwd(&self) -> String {
        if self.ctx.cwd.is_empty() {
            home::HOME.to_string()
        } else {
            format!("{}/{}", home::HOME, self.ctx.cwd)
        }
    }

    fn node(&self, abs: &str) -> Node<'_> {
        if abs == "/" || abs == home::HOME || home::HOME.starts_with(&format!("{abs}/")) {
            return Node::Dir;
        }
        let Some(key) = abs.strip_prefix(&format!("{}/", home::HOME)) else {
            return Node::Missing;
        };
        if let Some(text) = self.ctx.files.get(key) {
            return Node::File(text);
        }
        if self.ctx.files.is_dir(key) {
            Node::Dir
        } else {
            Node::Missing
        }
    }

    /// Go's `filepath.EvalSymlinks` failure for a path that does not resolve: `lstat` of the first component
    /// that is missing (or that sits under a file).
    fn lstat_error(&self, abs: &str) -> Option<String> {
        let mut cur = String::new();
        let parts: Vec<&str> = abs.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            cur.push('/');
            cur.push_str(part);
            match self.node(&cur) {
                Node::Missing => return Some(format!("lstat {cur}: no such file or directory")),
                Node::File(_) if i + 1 < parts.len() => {
                    return Some(format!("lstat {cur}/{}: not a directory", parts[i + 1]));
                }
                _ => {}
            }
        }
        None
    }

    /// kyaml's `CleanedAbs`: the directory, and the file name when `path` names a file. `shown` is the path as
    /// the error quotes it.
    fn cleaned_abs(&self, abs: &str, shown: &str) -> Result<(String, Option<String>), String> {
        if let Some(e) = self.lstat_error(abs) {
            return Err(format!("evalsymlink failure on '{shown}' : {e}"));
        }
        match self.node(abs) {
            Node::Dir => Ok((abs.to_string(), None)),
            _ => {
                let (dir, file) = abs.rsplit_once('/').unwrap_or(("", abs));
                let dir = if dir.is_empty() { "/" } else { dir };
                Ok((dir.to_string(), Some(file.to_string())))
            }
        }
    }
}

/// `ConfirmedDir.HasPrefix`: `dir` is `root` or below it.
fn has_prefix(dir: &str, root: &str) -> bool {
    root == "/" || dir == root || dir.starts_with(&format!("{root}/"))
}

/// A kustomization directory and where kustomize may read from it (its `RestrictionRootOnly` loader).
pub(super) struct Loader<'a> {
    files: &'a Files<'a>,
    /// Absolute, cleaned.
    pub(super) root: String,
    /// The roots of the kustomizations that led here, nearest first (for cycle detection).
    referrers: Vec<String>,
}

impl<'a> Loader<'a> {
    /// The loader for the directory kubectl was given.
    pub(super) fn top(files: &'a Files<'a>, target: &str) -> KResult<Loader<'a>> {
        let abs = normalize(&files.cwd(), target);
        let root = match files.cleaned_abs(&abs, target) {
            Err(e) => {
                return Err(KError::new(format!(
                    "must build at directory: not a valid directory: {e}"
                )))
            }
            Ok((_, Some(_))) => {
                return Err(KError::new(format!(
                    "must build at directory: '{target}': file is not directory"
                )))
            }
            Ok((dir, None)) => dir,
        };
        Ok(Loader {
            files,
            root,
            referrers: Vec::new(),
        })
    }

    /// `FileLoader.New`: the loader for a resource that names a directory.
    pub(super) fn child(&self, path: &str) -> Result<Loader<'a>, String> {
        if path.is_empty() {
            return Err("new root cannot be empty".into());
        }
        if crate::catalogue::is_url(path)
            || path.starts_with("git@")
            || path.starts_with("github.com/")
        {
            return Err(format!(
                "remote bases ('{path}') are not available in this playground yet"
            ));
        }
        if path.starts_with('/') {
            return Err(format!("new root '{path}' cannot be absolute"));
        }
        if path
            .split('/')
            .any(|p| !p.is_empty() && p != "." && p != ".." && p.contains(".."))
        {
            return Err(format!(
                "path {path:?} is ambiguous: resolves to {:?} after normalization, which is likely not the intended target; check for YAML indentation errors in your kustomization file",
                clean_relative(path)
            ));
        }
        let joined = normalize(&self.root, path);
        let root = match self.files.cleaned_abs(&joined, &joined) {
            Err(e) => {
                return Err(format!(
                    "must build at directory: not a valid directory: {e}"
                ))
            }
            Ok((_, Some(_))) => {
                return Err(format!(
                    "must build at directory: '{joined}': file is not directory"
                ))
            }
            Ok((dir, None)) => dir,
        };
        for visited in std::iter::once(&self.root).chain(self.referrers.iter()) {
            if has_prefix(visited, &root) {
                return Err(format!(
                    "cycle detected: candidate root '{root}' contains visited root '{visited}'"
                ));
            }
        }
        let mut referrers = vec![self.root.clone()];
        referrers.extend(self.referrers.iter().cloned());
        Ok(Loader {
            files: self.files,
            root,
            referrers,
        })
    }

    /// `FileLoader.Load` under `RestrictionRootOnly`: a file in or below the root, or a URL.
    pub(super) fn load(&self, path: &str) -> KResult<String> {
        if crate::catalogue::is_url(path) {
            return match crate::catalogue::fetch(path) {
                crate::catalogue::Fetched::File(text) => Ok(text.to_string()),
                crate::catalogue::Fetched::NotFound => Err(KError {
                    http: true,
                    ..KError::new("HTTP Error: status code 404 (Not Found)")
                }),
                crate::catalogue::Fetched::NoSuchHost(host) => Err(KError {
                    http: true,
                    ..KError::new(format!(
                        "Get \"{path}\": dial tcp: lookup {host}: no such host"
                    ))
                }),
            };
        }
        let joined = if path.starts_with('/') {
            path.to_string()
        } else {
            normalize(&self.root, path)
        };
        let (dir, file) = self.files.cleaned_abs(&joined, &joined)?;
        if file.is_none() {
            return Err(KError::new(format!("'{joined}' must resolve to a file")));
        }
        if !has_prefix(&dir, &self.root) {
            return Err(KError::new(format!(
                "security; file '{joined}' is not in or below '{}'",
                self.root
            )));
        }
        match self.files.node(&joined) {
            Node::File(text) => Ok(text.to_string()),
            _ => Err(KError::new(format!(
                "open {joined}: no such file or directory"
            ))),
        }
    }
}

/// Go's `filepath.Clean` of a relative path, for the "ambiguous path" message.
fn clean_relative(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}
