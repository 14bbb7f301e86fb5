//! `kubectl cp`: files between the learner's home directory and a container. kubectl streams a tar archive
//! through `exec` (`tar cf -` in the container to copy out, `tar xf -` to copy in), so the container needs
//! `tar`, and copying out of an absolute path prints GNU tar's note about the leading `/`.

use crate::exec::{not_running, pick_container};
use crate::flags::{self, flag, int, Spec};
use crate::{home, Context, Outcome};
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::Pod;
use ordinal_engine::runtime::{ContainerFs, ContainerRef};
use ordinal_sh::fs::normalize;

pub(crate) const FLAGS: &[Spec] = &[
    flag("container", Some('c'), true),
    flag("no-preserve", None, false),
    int("retries", None),
];

/// One side of a copy: a local path, or `[namespace/]pod:path`.
enum Side {
    Local(String),
    Remote {
        namespace: Option<String>,
        pod: String,
        path: String,
    },
}

fn side(arg: &str) -> Side {
    match arg.split_once(':') {
        Some((spec, path)) if !spec.is_empty() && !spec.contains('\\') => {
            let (namespace, pod) = match spec.split_once('/') {
                Some((ns, pod)) => (Some(ns.to_string()), pod.to_string()),
                None => (None, spec.to_string()),
            };
            Side::Remote {
                namespace,
                pod,
                path: path.to_string(),
            }
        }
        _ => Side::Local(arg.to_string()),
    }
}

pub fn cp(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, FLAGS, "cp") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let [src, dst] = p.args.as_slice() else {
        return Outcome::err(
            "error: source and destination are required\nSee 'kubectl cp -h' for help and examples",
        );
    };
    let default_ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    match (side(src), side(dst)) {
        (
            Side::Local(local),
            Side::Remote {
                namespace,
                pod,
                path,
            },
        ) => {
            let ns = namespace.unwrap_or(default_ns);
            copy_in(c, ctx, &local, &ns, &pod, &path, p.get("container"))
        }
        (
            Side::Remote {
                namespace,
                pod,
                path,
            },
            Side::Local(local),
        ) => {
            let ns = namespace.unwrap_or(default_ns);
            copy_out(c, ctx, &ns, &pod, &path, &local, p.get("container"))
        }
        (Side::Local(_), Side::Local(_)) => {
            Outcome::err("error: one of src or dest must be a remote file specification")
        }
        (Side::Remote { .. }, Side::Remote { .. }) => {
            Outcome::err("error: one of src or dest must be a local file specification")
        }
    }
}

/// The file system of the running container a copy goes through, with kubectl's notes and errors.
fn container_fs<'c>(
    c: &'c mut Cluster,
    ns: &str,
    pod: &str,
    wanted: Option<&str>,
    notes: &mut String,
) -> Result<ContainerFs<'c>, String> {
    let p: &Pod = c
        .store()
        .get_typed::<Pod>(ns, pod)
        .ok_or_else(|| format!("Error from server (NotFound): pods \"{pod}\" not found"))?;
    let name = pick_container(p, wanted, false, notes)?;
    if let Some(why) = not_running(p, &name) {
        return Err(why);
    }
    let target = ContainerRef {
        namespace: ns.to_string(),
        pod: pod.to_string(),
        uid: p.metadata.uid.clone(),
        container: name,
    };
    ContainerFs::open(c, target)
        .ok_or_else(|| format!("Error from server (NotFound): pods \"{pod}\" not found"))
}

/// Every file under `key` in the home directory (the file itself when it is one), as paths relative to it.
fn local_tree(ctx: &Context, key: &str) -> Option<Vec<(String, String)>> {
    if let Some(text) = ctx.files.get(key) {
        return Some(vec![(String::new(), text.to_string())]);
    }
    let prefix = if key.is_empty() {
        String::new()
    } else {
        format!("{key}/")
    };
    ctx.files.is_dir(key).then(|| {
        ctx.files
            .iter()
            .filter_map(|(f, t)| {
                f.strip_prefix(&prefix)
                    .map(|r| (r.to_string(), t.to_string()))
            })
            .collect()
    })
}

fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

fn copy_in(
    c: &mut Cluster,
    ctx: &Context,
    local: &str,
    ns: &str,
    pod: &str,
    path: &str,
    wanted: Option<&str>,
) -> Outcome {
    let Some(files) = home::resolve(ctx, local)
        .ok()
        .and_then(|k| local_tree(ctx, &k))
    else {
        return Outcome::err(format!("error: {local} doesn't exist in local filesystem"));
    };
    let mut notes = String::new();
    let mut fs = match container_fs(c, ns, pod, wanted, &mut notes) {
        Ok(fs) => fs,
        Err(e) => return Outcome::err(e),
    };
    let dest = normalize("/", if path.is_empty() { "." } else { path });
    // Into an existing directory the copy keeps its own name, as `tar xf - -C dir` does.
    let root = if fs.is_dir(&dest) {
        normalize(&dest, base_name(local))
    } else {
        dest
    };
    let single = files.len() == 1 && files[0].0.is_empty();
    let mut out = Outcome::warned(&notes);
    for (rel, text) in files {
        let to = if single {
            root.clone()
        } else {
            format!("{root}/{rel}")
        };
        if let Some((parent, _)) = to.rsplit_once('/') {
            if !parent.is_empty() && !fs.is_dir(parent) && fs.mkdir(parent, true).is_err() {
                continue;
            }
        }
        if let Err(e) = fs.write(&to, &text, false) {
            out.push_stderr(&format!(
                "tar: {}: Cannot open: {}\n",
                to.trim_start_matches('/'),
                e.message()
            ));
            out.status = 1;
        }
    }
    if out.status != 0 {
        out.push_stderr("tar: Exiting with failure status due to previous errors\ncommand terminated with exit code 2\n");
    }
    out
}

fn copy_out(
    c: &mut Cluster,
    ctx: &Context,
    ns: &str,
    pod: &str,
    path: &str,
    local: &str,
    wanted: Option<&str>,
) -> Outcome {
    let mut notes = String::new();
    let mut fs = match container_fs(c, ns, pod, wanted, &mut notes) {
        Ok(fs) => fs,
        Err(e) => return Outcome::err(e),
    };
    let from = normalize("/", path);
    if path.starts_with('/') {
        notes.push_str("tar: Removing leading `/' from member names\n");
    }
    let mut files = Vec::new();
    if fs.is_dir(&from) {
        let mut stack = vec![String::new()];
        while let Some(rel) = stack.pop() {
            let dir = if rel.is_empty() {
                from.clone()
            } else {
                format!("{from}/{rel}")
            };
            for name in fs.list(&dir).unwrap_or_default() {
                let r = if rel.is_empty() {
                    name.clone()
                } else {
                    format!("{rel}/{name}")
                };
                let full = format!("{dir}/{name}");
                if fs.is_dir(&full) {
                    stack.push(r);
                } else if let Ok(text) = fs.read(&full) {
                    files.push((r, text));
                }
            }
        }
    } else {
        match fs.read(&from) {
            Ok(text) => files.push((String::new(), text)),
            Err(_) => {
                let mut out = Outcome::warned(&notes);
                out.push_stderr(&format!(
                    "tar: {from}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\ncommand terminated with exit code 2\n"
                ));
                out.status = 1;
                return out;
            }
        }
    }
    let Ok(key) = home::resolve(ctx, local) else {
        return Outcome::err(format!("error: open {local}: permission denied"));
    };
    let local_is_dir = ctx.files.is_dir(&key);
    let single = files.len() == 1 && files[0].0.is_empty();
    let dest = if single && local_is_dir {
        join(&key, base_name(&from))
    } else {
        key
    };
    let writes = files
        .into_iter()
        .map(|(rel, text)| {
            let to = if single {
                dest.clone()
            } else {
                join(&dest, &rel)
            };
            (to, text)
        })
        .collect();
    Outcome {
        files: writes,
        ..Outcome::warned(&notes)
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}
