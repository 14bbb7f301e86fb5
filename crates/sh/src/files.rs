//! The file tools: `cat`, `ls`, `mkdir`, `rm`, `rmdir`, `cp`, `mv` and `touch`, over any [`FileSystem`] — a
//! container's (its layers and mounted volumes) or the learner's home directory, so both print the same thing.
//! Messages follow GNU coreutils or BusyBox, as the image ships one or the other.

use crate::fs::{normalize, FileSystem, FsError};
use crate::Flavor;
use crate::Output;

/// The tools that [`run`] answers.
pub const TOOLS: &[&str] = &["cat", "ls", "mkdir", "rm", "rmdir", "cp", "mv", "touch"];

/// Where the tools run: the working directory, whose files they are (`ls -l`'s owner and group), and the
/// modification time `ls -l` shows.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub cwd: &'a str,
    /// What `~` stands for at the start of a path, if anything (the shell leaves `~` alone inside words it
    /// did not expand).
    pub home: Option<&'a str>,
    pub owner: &'a str,
    /// `ls -l`'s time column, as [`ls_time`] gives it.
    pub mtime: &'a str,
    pub flavor: Flavor,
}

impl Place<'_> {
    fn path(&self, p: &str) -> String {
        match (self.home, p.strip_prefix('~')) {
            (Some(home), Some(rest)) if rest.is_empty() || rest.starts_with('/') => {
                normalize(self.cwd, &format!("{home}{rest}"))
            }
            _ => normalize(self.cwd, p),
        }
    }

    /// `tool: cannot WHAT 'path': reason` (GNU) or `tool: can't WHAT 'path': reason` (BusyBox).
    fn error(&self, tool: &str, what: &str, path: &str, e: FsError) -> String {
        match self.flavor {
            Flavor::Gnu => format!("{tool}: {what} '{path}': {}\n", e.message()),
            Flavor::Busybox => {
                let what = what.replace("cannot", "can't");
                format!("{tool}: {what} '{path}': {}\n", e.message())
            }
        }
    }
}

/// `ls -l`'s time column from a `date` line: "Mon Jan  5 09:00:00 UTC 2026" → "Jan  5 09:00".
pub fn ls_time(date: &str) -> String {
    let parts: Vec<&str> = date.split_whitespace().collect();
    match parts.as_slice() {
        [_, month, day, time, ..] => format!("{month} {day:>2} {}", &time[..time.len().min(5)]),
        _ => date.to_string(),
    }
}

/// Short flags (`-rf` → `rf`) and long ones (`--force`), and the operands; `--` ends the options and a lone
/// `-` is an operand.
struct Args<'a> {
    short: String,
    long: Vec<&'a str>,
    operands: Vec<&'a str>,
}

impl<'a> Args<'a> {
    fn parse(args: &'a [String]) -> Args<'a> {
        let mut out = Args {
            short: String::new(),
            long: Vec::new(),
            operands: Vec::new(),
        };
        let mut options = true;
        for a in args {
            match a.as_str() {
                "--" if options => options = false,
                l if options && l.starts_with("--") => out.long.push(&l[2..]),
                s if options && s.len() > 1 && s.starts_with('-') => out.short.push_str(&s[1..]),
                operand => out.operands.push(operand),
            }
        }
        out
    }

    fn has(&self, short: char, long: &str) -> bool {
        self.short.contains(short) || self.long.contains(&long)
    }
}

/// Runs one of [`TOOLS`]; `None` for any other program.
pub fn run(
    fs: &mut dyn FileSystem,
    place: &Place<'_>,
    tool: &str,
    args: &[String],
    stdin: Option<&str>,
) -> Option<Output> {
    let a = Args::parse(args);
    Some(match tool {
        "cat" => cat(fs, place, &a, stdin),
        "ls" => ls(fs, place, &a),
        "mkdir" => mkdir(fs, place, &a),
        "rm" => rm(fs, place, &a),
        "rmdir" => rmdir(fs, place, &a),
        "cp" | "mv" => transfer(fs, place, tool, &a),
        "touch" => touch(fs, place, &a),
        _ => return None,
    })
}

fn finish(out: String, err: String) -> Output {
    let status = i32::from(!err.is_empty());
    Output::both(out, err, status)
}

fn cat(fs: &mut dyn FileSystem, place: &Place<'_>, a: &Args<'_>, stdin: Option<&str>) -> Output {
    if a.operands.is_empty() {
        return Output::ok(stdin.unwrap_or("").to_string());
    }
    let (mut out, mut err) = (String::new(), String::new());
    for f in &a.operands {
        if *f == "-" {
            out.push_str(stdin.unwrap_or(""));
            continue;
        }
        match fs.read(&place.path(f)) {
            Ok(t) => out.push_str(&t),
            Err(e) => err.push_str(&match place.flavor {
                Flavor::Gnu => format!("cat: {f}: {}\n", e.message()),
                Flavor::Busybox => format!("cat: can't open '{f}': {}\n", e.message()),
            }),
        }
    }
    finish(out, err)
}

/// 1K blocks a file of `size` bytes takes on a file system of 4K blocks, as `ls -l`'s `total` counts them.
fn blocks(dir: bool, size: usize) -> usize {
    if dir {
        4
    } else {
        size.div_ceil(4096) * 4
    }
}

fn ls(fs: &mut dyn FileSystem, place: &Place<'_>, a: &Args<'_>) -> Output {
    let long = a.short.contains('l');
    let all = a.has('a', "all");
    let targets: Vec<&str> = if a.operands.is_empty() {
        vec!["."]
    } else {
        a.operands.clone()
    };
    let several = targets.len() > 1;
    let mut out = Output::ok(String::new());
    let line = |name: &str, dir: bool, size: usize| {
        if long {
            let mode = if dir { "drwxr-xr-x" } else { "-rw-r--r--" };
            let owner = place.owner;
            format!(
                "{mode} 1 {owner} {owner} {size:>4} {} {name}\n",
                place.mtime
            )
        } else {
            format!("{name}\n")
        }
    };
    // ls looks every operand up first, in the order given (GNU's `gobble_file`, BusyBox's `my_stat`), and
    // reports the missing ones right away; then it lists the files, then the directories, each in name order.
    let mut found: Vec<(bool, &str)> = Vec::new();
    for t in targets {
        let p = place.path(t);
        if fs.is_dir(&p) {
            found.push((true, t));
            continue;
        }
        match fs.read(&p) {
            Ok(_) => found.push((false, t)),
            Err(e) => {
                out.push_stderr(&match place.flavor {
                    Flavor::Gnu => format!("ls: cannot access '{t}': {}\n", e.message()),
                    Flavor::Busybox => format!("ls: {t}: {}\n", e.message()),
                });
                out.status = 2;
            }
        }
    }
    // This crate sits below ordinal_api::sort; its few sorts stay the standard ones.
    #[allow(clippy::disallowed_methods)]
    found.sort();
    let mut listed_before = false;
    for (dir, t) in found {
        let p = place.path(t);
        if !dir {
            let size = fs.read(&p).map_or(0, |text| text.len());
            out.push_stdout(&line(t, false, size));
            listed_before = true;
            continue;
        }
        let names = match fs.list(&p) {
            Ok(n) => n,
            Err(e) => {
                out.push_stderr(&format!("ls: {t}: {}\n", e.message()));
                out.status = 2;
                continue;
            }
        };
        let mut entries: Vec<(String, bool, usize)> = Vec::new();
        if all {
            entries.push((".".into(), true, 4096));
            entries.push(("..".into(), true, 4096));
        }
        for name in names.into_iter().filter(|n| all || !n.starts_with('.')) {
            let child = normalize(&p, &name);
            if fs.is_dir(&child) {
                entries.push((name, true, 4096));
            } else {
                let size = fs.read(&child).map_or(0, |t| t.len());
                entries.push((name, false, size));
            }
        }
        if several {
            if listed_before {
                out.push_stdout("\n");
            }
            out.push_stdout(&format!("{t}:\n"));
        }
        listed_before = true;
        if long {
            let total: usize = entries.iter().map(|(_, d, s)| blocks(*d, *s)).sum();
            out.push_stdout(&format!("total {total}\n"));
        }
        for (name, dir, size) in entries {
            out.push_stdout(&line(&name, dir, size));
        }
    }
    out
}

fn mkdir(fs: &mut dyn FileSystem, place: &Place<'_>, a: &Args<'_>) -> Output {
    let parents = a.has('p', "parents");
    let mut err = String::new();
    for d in &a.operands {
        if let Err(e) = fs.mkdir(&place.path(d), parents) {
            err.push_str(&place.error("mkdir", "cannot create directory", d, e));
        }
    }
    finish(String::new(), err)
}

fn rm(fs: &mut dyn FileSystem, place: &Place<'_>, a: &Args<'_>) -> Output {
    let recursive = a.has('r', "recursive") || a.short.contains('R');
    let force = a.has('f', "force");
    let mut err = String::new();
    for f in &a.operands {
        match fs.remove(&place.path(f), recursive) {
            Ok(()) => {}
            Err(FsError::NotFound) if force => {}
            Err(FsError::IsADirectory) => err.push_str(&match place.flavor {
                Flavor::Gnu => format!("rm: cannot remove '{f}': Is a directory\n"),
                Flavor::Busybox => format!("rm: '{f}' is a directory\n"),
            }),
            Err(e) => err.push_str(&place.error("rm", "cannot remove", f, e)),
        }
    }
    finish(String::new(), err)
}

fn rmdir(fs: &mut dyn FileSystem, place: &Place<'_>, a: &Args<'_>) -> Output {
    let mut err = String::new();
    for d in &a.operands {
        let p = place.path(d);
        let result = match fs.list(&p) {
            Ok(n) if !n.is_empty() => Err(FsError::NotEmpty),
            Ok(_) => fs.remove(&p, true),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            err.push_str(&place.error("rmdir", "failed to remove", d, e));
        }
    }
    finish(String::new(), err)
}

fn transfer(fs: &mut dyn FileSystem, place: &Place<'_>, tool: &str, a: &Args<'_>) -> Output {
    let moving = tool == "mv";
    let recursive =
        moving || a.has('r', "recursive") || a.short.contains('R') || a.has('a', "archive");
    let (sources, target) = match a.operands.as_slice() {
        [] => return Output::failed(format!("{tool}: missing file operand\n"), 1),
        [only] => {
            return Output::failed(
                format!("{tool}: missing destination file operand after '{only}'\n"),
                1,
            )
        }
        [sources @ .., target] => (sources, *target),
    };
    let target_path = place.path(target);
    let into_dir = fs.is_dir(&target_path);
    if sources.len() > 1 && !into_dir {
        return Output::failed(format!("{tool}: target '{target}' is not a directory\n"), 1);
    }
    let mut err = String::new();
    for from in sources {
        let src = place.path(from);
        let dst = if into_dir {
            normalize(&target_path, src.rsplit('/').next().unwrap_or(""))
        } else {
            target_path.clone()
        };
        if !fs.exists(&src) {
            err.push_str(&match place.flavor {
                Flavor::Gnu => format!("{tool}: cannot stat '{from}': No such file or directory\n"),
                Flavor::Busybox => {
                    format!("{tool}: can't stat '{from}': No such file or directory\n")
                }
            });
            continue;
        }
        if !recursive && fs.is_dir(&src) {
            err.push_str(&match place.flavor {
                Flavor::Gnu => format!("cp: -r not specified; omitting directory '{from}'\n"),
                Flavor::Busybox => format!("cp: omitting directory '{from}'\n"),
            });
            continue;
        }
        if let Err(e) = fs.transfer(&src, &dst, moving) {
            // GNU names the destination as it built it: the directory operand, then the source's name.
            let shown = if into_dir {
                let base = src.rsplit('/').next().unwrap_or("");
                format!("{}/{base}", target.trim_end_matches('/'))
            } else {
                target.to_string()
            };
            err.push_str(&match (place.flavor, moving) {
                (Flavor::Gnu, true) => {
                    format!("mv: cannot move '{from}' to '{shown}': {}\n", e.message())
                }
                (Flavor::Gnu, false) => {
                    let what = if fs.is_dir(&src) {
                        "directory"
                    } else {
                        "regular file"
                    };
                    format!("cp: cannot create {what} '{shown}': {}\n", e.message())
                }
                (Flavor::Busybox, true) => format!("mv: can't rename '{from}': {}\n", e.message()),
                (Flavor::Busybox, false) => {
                    format!("cp: can't create '{shown}': {}\n", e.message())
                }
            });
        }
    }
    finish(String::new(), err)
}

fn touch(fs: &mut dyn FileSystem, place: &Place<'_>, a: &Args<'_>) -> Output {
    let mut err = String::new();
    for f in &a.operands {
        let p = place.path(f);
        if fs.exists(&p) {
            continue;
        }
        if let Err(e) = fs.write(&p, "", false) {
            err.push_str(&place.error("touch", "cannot touch", f, e));
        }
    }
    finish(String::new(), err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::FileTree;

    fn place(flavor: Flavor) -> Place<'static> {
        Place {
            cwd: "/home/student",
            home: Some("/home/student"),
            owner: "student",
            mtime: "Jan  5 09:00",
            flavor,
        }
    }

    fn sh(fs: &mut FileTree, line: &str) -> Output {
        let argv: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        run(fs, &place(Flavor::Gnu), &argv[0], &argv[1..], None).unwrap_or_default()
    }

    fn home() -> FileTree {
        let mut fs = FileTree::new();
        fs.mkdir("/home/student", true).unwrap();
        fs
    }

    #[test]
    fn ls_long_counts_blocks_hides_dotfiles_and_lists_files_before_directories() {
        let mut fs = home();
        fs.write("/home/student/a.yaml", &"x".repeat(5000), false)
            .unwrap();
        fs.write("/home/student/.hidden", "", false).unwrap();
        sh(&mut fs, "mkdir -p site/html");
        let o = sh(&mut fs, "ls -l");
        assert_eq!(
            o.stdout(),
            "total 12\n\
             -rw-r--r-- 1 student student 5000 Jan  5 09:00 a.yaml\n\
             drwxr-xr-x 1 student student 4096 Jan  5 09:00 site\n"
        );
        assert_eq!(
            sh(&mut fs, "ls -a").stdout(),
            ".\n..\n.hidden\na.yaml\nsite\n"
        );
        let o = sh(&mut fs, "ls site nope a.yaml");
        assert_eq!(
            o.stderr(),
            "ls: cannot access 'nope': No such file or directory\n"
        );
        assert_eq!(o.stdout(), "a.yaml\n\nsite:\nhtml\n");
        assert_eq!(o.status, 2);
    }

    #[test]
    fn cp_mv_rm_answer_as_coreutils() {
        let mut fs = home();
        sh(&mut fs, "touch a");
        sh(&mut fs, "mkdir d");
        assert_eq!(sh(&mut fs, "cp a d").status, 0);
        assert!(fs.read("/home/student/d/a").is_ok());
        assert_eq!(
            sh(&mut fs, "cp d e").stderr(),
            "cp: -r not specified; omitting directory 'd'\n"
        );
        assert_eq!(sh(&mut fs, "mv d ~/e").status, 0);
        assert!(fs.is_dir("/home/student/e"));
        assert_eq!(
            sh(&mut fs, "rm e").stderr(),
            "rm: cannot remove 'e': Is a directory\n"
        );
        let o = sh(&mut fs, "rm nope a");
        assert_eq!(
            o.stderr(),
            "rm: cannot remove 'nope': No such file or directory\n"
        );
        assert!(
            fs.read("/home/student/a").is_err(),
            "rm goes on after a failure"
        );
        assert_eq!(sh(&mut fs, "rm -f nope").status, 0);
        assert_eq!(
            sh(&mut fs, "cp x").stderr(),
            "cp: missing destination file operand after 'x'\n"
        );
        assert_eq!(
            sh(&mut fs, "mkdir e").stderr(),
            "mkdir: cannot create directory 'e': File exists\n"
        );
        assert_eq!(
            sh(&mut fs, "cp e/a missing/b").stderr(),
            "cp: cannot create regular file 'missing/b': No such file or directory\n"
        );
    }

    #[test]
    fn busybox_words_its_errors_its_own_way() {
        let mut fs = home();
        let argv = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let bb = place(Flavor::Busybox);
        let o = run(&mut fs, &bb, "cat", &argv("nope"), None).unwrap_or_default();
        assert_eq!(
            o.stderr(),
            "cat: can't open 'nope': No such file or directory\n"
        );
        let o = run(&mut fs, &bb, "mkdir", &argv("a/b"), None).unwrap_or_default();
        assert_eq!(
            o.stderr(),
            "mkdir: can't create directory 'a/b': No such file or directory\n"
        );
    }
}
