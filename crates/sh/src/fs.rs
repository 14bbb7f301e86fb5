//! File systems as the file tools see them: the [`FileSystem`] trait the tools ([`crate::files`]) work over, and
//! [`FileTree`], a small in-memory tree: what a volume, a container's writable layer or the learner's home
//! directory holds. Paths are absolute (`/index.html`), directories are explicit, and every operation answers
//! with the errno-style reason a shell command prints (`No such file or directory`, `Is a directory`, …).

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File(String),
}

/// Why a file operation failed, worded as coreutils/busybox word it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    IsADirectory,
    NotADirectory,
    Exists,
    NotEmpty,
    ReadOnly,
    PermissionDenied,
}

impl FsError {
    pub fn message(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsADirectory => "Is a directory",
            FsError::NotADirectory => "Not a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::ReadOnly => "Read-only file system",
            FsError::PermissionDenied => "Permission denied",
        }
    }
}

/// Normalizes `path` (relative to `cwd`) into an absolute path without `.`/`..`/double slashes.
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// What the file tools (`cat`, `ls`, `mkdir`, `rm`, `cp`, `mv`, `touch`) need of a file system. Paths are
/// absolute and normalized ([`normalize`]).
pub trait FileSystem {
    fn read(&mut self, path: &str) -> Result<String, FsError>;
    /// Creates or replaces (`append` false) or extends a file. The parent directory must exist.
    fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError>;
    fn is_dir(&mut self, path: &str) -> bool;
    fn exists(&mut self, path: &str) -> bool {
        self.is_dir(path) || self.read(path).is_ok()
    }
    /// The names directly inside directory `path`, sorted.
    fn list(&mut self, path: &str) -> Result<Vec<String>, FsError>;
    /// `mkdir` (`parents`: `mkdir -p`, which also creates missing parents and accepts an existing directory).
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError>;
    /// Removes a file, or a directory with everything under it when `recursive`.
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError>;
    /// Copies (`remove_source` false) or moves a file or a directory with everything under it to `to`.
    fn transfer(&mut self, from: &str, to: &str, remove_source: bool) -> Result<(), FsError>;
}

impl FileSystem for FileTree {
    fn read(&mut self, path: &str) -> Result<String, FsError> {
        FileTree::read(self, path).map(str::to_string)
    }
    fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        FileTree::write(self, path, text, append)
    }
    fn is_dir(&mut self, path: &str) -> bool {
        FileTree::is_dir(self, path)
    }
    fn list(&mut self, path: &str) -> Result<Vec<String>, FsError> {
        FileTree::list(self, path)
    }
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        FileTree::mkdir(self, path, parents)
    }
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        FileTree::remove(self, path, recursive)
    }
    fn transfer(&mut self, from: &str, to: &str, remove_source: bool) -> Result<(), FsError> {
        FileTree::transfer(self, from, to, remove_source)
    }
}

/// A tree of directories and text files. The root `/` always exists. Copies share their entries until one of
/// them changes (as containers of one image share its layer until they write), so copying a tree is cheap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileTree {
    entries: std::sync::Arc<BTreeMap<String, Entry>>,
}

impl FileTree {
    pub fn new() -> FileTree {
        FileTree::default()
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        if path == "/" {
            return Some(&Entry::Dir);
        }
        self.entries.get(path)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.get(path), Some(Entry::Dir))
    }

    pub fn read(&self, path: &str) -> Result<&str, FsError> {
        match self.get(path) {
            Some(Entry::File(s)) => Ok(s),
            Some(Entry::Dir) => Err(FsError::IsADirectory),
            None => Err(FsError::NotFound),
        }
    }

    /// Creates or replaces (`append` false) or extends a file. The parent directory must exist.
    pub fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        if !self.is_dir(parent(path)) {
            return Err(if self.get(parent(path)).is_some() {
                FsError::NotADirectory
            } else {
                FsError::NotFound
            });
        }
        let entries = std::sync::Arc::make_mut(&mut self.entries);
        match entries.get_mut(path) {
            Some(Entry::Dir) => Err(FsError::IsADirectory),
            Some(Entry::File(s)) if append => {
                s.push_str(text);
                Ok(())
            }
            _ => {
                entries.insert(path.to_string(), Entry::File(text.to_string()));
                Ok(())
            }
        }
    }

    /// `mkdir` (`parents`: `mkdir -p`, which also creates missing parents and accepts an existing directory).
    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        if path == "/" {
            return if parents {
                Ok(())
            } else {
                Err(FsError::Exists)
            };
        }
        match self.get(path) {
            Some(Entry::Dir) if parents => return Ok(()),
            Some(_) => return Err(FsError::Exists),
            None => {}
        }
        let up = parent(path);
        if !self.is_dir(up) {
            if !parents || self.get(up).is_some() {
                return Err(if self.get(up).is_some() {
                    FsError::NotADirectory
                } else {
                    FsError::NotFound
                });
            }
            self.mkdir(up, true)?;
        }
        std::sync::Arc::make_mut(&mut self.entries).insert(path.to_string(), Entry::Dir);
        Ok(())
    }

    /// The names directly inside directory `path`, sorted.
    pub fn list(&self, path: &str) -> Result<Vec<String>, FsError> {
        match self.get(path) {
            Some(Entry::Dir) => {}
            Some(Entry::File(_)) => return Err(FsError::NotADirectory),
            None => return Err(FsError::NotFound),
        }
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        Ok(self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| !k[prefix.len()..].contains('/'))
            .map(|(k, _)| k[prefix.len()..].to_string())
            .collect())
    }

    /// Removes a file, or a directory with everything under it when `recursive`.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        match self.get(path) {
            None => Err(FsError::NotFound),
            Some(Entry::File(_)) => {
                std::sync::Arc::make_mut(&mut self.entries).remove(path);
                Ok(())
            }
            Some(Entry::Dir) => {
                if !recursive {
                    return Err(FsError::IsADirectory);
                }
                let prefix = format!("{path}/");
                std::sync::Arc::make_mut(&mut self.entries)
                    .retain(|k, _| k != path && !k.starts_with(&prefix));
                Ok(())
            }
        }
    }

    /// Everything at and under `path`, with paths relative to it (`""` for `path` itself).
    pub fn subtree(&self, path: &str) -> Vec<(String, Entry)> {
        let mut out = Vec::new();
        if let Some(e) = self.get(path) {
            out.push((String::new(), e.clone()));
        }
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        for (k, e) in self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
        {
            out.push((k[prefix.len() - 1..].to_string(), e.clone()));
        }
        out
    }

    /// Puts `entries` (as [`FileTree::subtree`] gives them) at `path`.
    pub fn graft(&mut self, path: &str, entries: Vec<(String, Entry)>) {
        for (rel, e) in entries {
            let at = if rel.is_empty() {
                path.to_string()
            } else {
                normalize(path, rel.trim_start_matches('/'))
            };
            if at != "/" {
                std::sync::Arc::make_mut(&mut self.entries).insert(at, e);
            }
        }
    }

    /// Copies or moves what is at `from` to `to`, whose parent must be a directory; a file does not replace a
    /// directory.
    pub fn transfer(&mut self, from: &str, to: &str, remove_source: bool) -> Result<(), FsError> {
        let entries = self.subtree(from);
        if entries.is_empty() {
            return Err(FsError::NotFound);
        }
        if !self.is_dir(parent(to)) {
            return Err(FsError::NotFound);
        }
        if self.is_dir(to) && matches!(entries.first(), Some((_, Entry::File(_)))) {
            return Err(FsError::IsADirectory);
        }
        if remove_source {
            self.remove(from, true)?;
        }
        self.graft(to, entries);
        Ok(())
    }

    /// Every file in the tree with its contents, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().filter_map(|(k, e)| match e {
            Entry::File(text) => Some((k.as_str(), text.as_str())),
            Entry::Dir => None,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_like_a_shell() {
        assert_eq!(normalize("/", "a/./b/../c"), "/a/c");
        assert_eq!(normalize("/usr", "../etc//hosts"), "/etc/hosts");
        assert_eq!(normalize("/", ".."), "/");
    }

    #[test]
    fn files_directories_and_their_errors() {
        let mut t = FileTree::new();
        assert_eq!(t.write("/a/b", "x", false), Err(FsError::NotFound));
        t.mkdir("/a/b/c", true).unwrap();
        assert_eq!(t.mkdir("/a", false), Err(FsError::Exists));
        t.write("/a/f", "hello\n", false).unwrap();
        t.write("/a/f", "again\n", true).unwrap();
        assert_eq!(t.read("/a/f"), Ok("hello\nagain\n"));
        assert_eq!(t.read("/a"), Err(FsError::IsADirectory));
        assert_eq!(t.list("/a").unwrap(), vec!["b", "f"]);
        assert_eq!(t.list("/").unwrap(), vec!["a"]);
        assert_eq!(t.remove("/a", false), Err(FsError::IsADirectory));
        let moved = t.subtree("/a");
        t.remove("/a", true).unwrap();
        t.graft("/z", moved);
        assert_eq!(t.read("/z/f"), Ok("hello\nagain\n"));
        assert!(t.is_dir("/z/b/c"));
        assert!(t.get("/a").is_none());
    }
}
