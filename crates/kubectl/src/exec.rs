//! `kubectl exec`, `kubectl run` and `kubectl logs`: commands that reach into containers. `exec` runs a
//! program in a running container (a shell with `-it` and no script attaches the terminal to it); `run`
//! creates a pod and, with `-i`, waits for it, shows what it prints and (`--rm`) deletes it; `logs` prints
//! what a container wrote.

use std::collections::BTreeMap;

use crate::flags::{self, duration, flag, int, optional, Spec};
use crate::{Block, Context, Outcome};
use ordinal_engine::api::ApiError;
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::pod::{Container, PodSpec};
use ordinal_engine::model::{Kind, Object, ObjectMeta, Pod};
use ordinal_engine::runtime::ContainerRef;
use ordinal_engine::runtime::{ContainerHost, Mode};

/// The terminal attached to a shell in a container, until the learner types `exit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attach {
    pub target: ContainerRef,
    /// The shell program (`sh`, `bash`), for the prompt.
    pub shell: String,
    /// Attached to the container's main process (`kubectl run -it`): it ends when the session does.
    pub main_process: bool,
    /// `--rm`: delete the pod when the session ends.
    pub remove_pod: bool,
    /// The monitor's command line, when the session is `mysql`'s monitor rather than a shell.
    pub command: Vec<String>,
    /// kubectl says how to attach again when the session ends (attach.go `reattachMessage`: not `-q`, stdin
    /// with a terminal, and a pod that restarts its containers, `restartPolicy: Always`).
    pub reattach: bool,
}

/// Whether `argv` starts the mysql client's interactive monitor (no `-e`: it reads the terminal).
pub fn is_mysql_monitor(argv: &[String]) -> bool {
    argv.first()
        .is_some_and(|a| a.rsplit('/').next() == Some("mysql"))
        && !ordinal_engine::runtime::mysql::executes(&argv[1..])
}

/// Splits `kubectl exec/run` arguments at `--`: the words before it are kubectl's, the rest the command.
fn split_dashdash(args: &[String]) -> (Vec<String>, Option<Vec<String>>) {
    match args.iter().position(|a| a == "--") {
        Some(i) => (args[..i].to_vec(), Some(args[i + 1..].to_vec())),
        None => (args.to_vec(), None),
    }
}

pub(crate) const EXEC_FLAGS: &[Spec] = &[
    flag("container", Some('c'), true),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("quiet", Some('q'), false),
    flag("filename", Some('f'), true),
    duration("pod-running-timeout"),
];

/// A pod's containers in kubectl's order for "Defaulted container … out of: …".
fn container_list(pod: &Pod) -> String {
    pod.spec
        .containers
        .iter()
        .map(|c| c.name.clone())
        .chain(
            pod.spec
                .init_containers
                .iter()
                .map(|c| format!("{} (init)", c.name)),
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the pod has a container (or init container) of this name.
fn has_container(pod: &Pod, name: &str) -> bool {
    pod.spec
        .containers
        .iter()
        .chain(&pod.spec.init_containers)
        .any(|c| c.name == name)
}

/// The container kubectl picks: `-c`, else the `kubectl.kubernetes.io/default-container` annotation, else the
/// first, with the note kubectl prints when the pod has more than one.
pub(crate) fn pick_container(
    pod: &Pod,
    wanted: Option<&str>,
    quiet: bool,
    notes: &mut String,
) -> Result<String, String> {
    if let Some(w) = wanted {
        if !has_container(pod, w) {
            return Err(format!(
                "Error from server (BadRequest): container {w} is not valid for pod {}",
                pod.metadata.name
            ));
        }
        return Ok(w.to_string());
    }
    let annotated = pod
        .metadata
        .annotations
        .get("kubectl.kubernetes.io/default-container")
        .filter(|n| pod.spec.containers.iter().any(|c| &&c.name == n))
        .cloned();
    let first = annotated
        .or_else(|| pod.spec.containers.first().map(|c| c.name.clone()))
        .ok_or_else(|| "error: pod has no containers".to_string())?;
    if pod.spec.containers.len() + pod.spec.init_containers.len() > 1 && !quiet {
        notes.push_str(&format!(
            "Defaulted container \"{first}\" out of: {}\n",
            container_list(pod)
        ));
    }
    Ok(first)
}

/// [`pick_container`] as kubectl itself does it (podcmd `FindOrDefaultContainerByName`, for `attach`): a
/// named container that is not in the pod is refused before anything is sent.
fn pick_local_container(
    pod: &Pod,
    wanted: Option<&str>,
    quiet: bool,
    notes: &mut String,
) -> Result<String, String> {
    if let Some(w) = wanted {
        if !has_container(pod, w) {
            return Err(format!(
                "container {w} not found in pod {}",
                pod.metadata.name
            ));
        }
    }
    pick_container(pod, wanted, quiet, notes)
        .map_err(|e| e.trim_start_matches("error: ").to_string())
}

/// Why a container cannot be exec'd into right now, as kubectl reports it.
pub(crate) fn not_running(pod: &Pod, container: &str) -> Option<String> {
    if pod.is_terminal() {
        return Some(format!(
            "error: cannot exec into a container in a completed pod; current phase is {}",
            pod.status.phase
        ));
    }
    let running = pod
        .status
        .container_statuses
        .iter()
        .chain(&pod.status.init_container_statuses)
        .any(|s| s.name == container && s.state.running.is_some());
    (!running).then(|| {
        format!("error: unable to upgrade connection: container not found (\"{container}\")")
    })
}

/// The container `exec` and `attach` talk to: `-c`'s, or the pod's default one (with kubectl's note in
/// `notes`); it must be running. `Err`: what kubectl prints instead.
fn running_container(
    pod: &Pod,
    ns: &str,
    wanted: Option<&str>,
    quiet: bool,
    notes: &mut String,
) -> Result<ContainerRef, Box<Outcome>> {
    let container =
        pick_container(pod, wanted, quiet, notes).map_err(|e| Box::new(Outcome::err(e)))?;
    if let Some(e) = not_running(pod, &container) {
        let mut out = Outcome::warned(notes);
        out.append(Outcome::err(e).output);
        return Err(Box::new(out));
    }
    Ok(ContainerRef {
        namespace: ns.to_string(),
        pod: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        container,
    })
}

/// `kubectl exec [-it] POD [-c CONTAINER] -- COMMAND…`.
pub(crate) fn exec(
    c: &mut Cluster,
    ctx: &Context,
    args: &[String],
    stdin: Option<&str>,
) -> Outcome {
    let (kubectl_args, command) = split_dashdash(args);
    let p = match flags::parse(&kubectl_args, EXEC_FLAGS, "exec") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let mut positional = p.args.clone();
    let mut notes = String::new();
    let command = match command {
        Some(cmd) => cmd,
        None if positional.len() > 1 => {
            notes.push_str("kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n");
            positional.split_off(1)
        }
        None => Vec::new(),
    };
    let ns = p.namespace(&ctx.namespace).to_string();
    // `-f FILE`: the object the manifest names (its first), as TYPE/NAME.
    let from_file = match p.all("filename") {
        [] => None,
        files => match crate::keys_from_files(ctx, files, &ns, stdin) {
            Ok(keys) => keys
                .first()
                .map(|k| format!("{}/{}", k.kind.info().plural, k.name)),
            Err(e) => return Outcome::err(e),
        },
    };
    let Some(target) = from_file.as_ref().or(positional.first()) else {
        return Outcome::err("error: pod, type/name or --filename must be specified");
    };
    if command.is_empty() {
        return Outcome::err("error: you must specify at least one command for the container");
    }
    let pod = match find_pod(c, &ns, target) {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let target =
        match running_container(&pod, &ns, p.get("container"), p.is_set("quiet"), &mut notes) {
            Ok(target) => target,
            Err(e) => return *e,
        };
    let Some(mut host) = ContainerHost::open(c, target.clone(), Mode::Exec) else {
        return Outcome::err("error: unable to upgrade connection: pod not found");
    };
    // A bare shell with a terminal attached is an interactive session, and so is the mysql monitor.
    let interactive = p.is_set("stdin") && p.is_set("tty") && stdin.is_none();
    if interactive && is_mysql_monitor(&command) && host.lookup(&command[0]).is_some() {
        host.tty = true;
        return match ordinal_engine::runtime::mysql::Monitor::open(&mut host, &command[1..]) {
            Ok((_, welcome)) => {
                let mut out = Outcome::warned(&notes);
                out.push_stdout(&welcome);
                out.attach = Some(Attach {
                    target,
                    shell: "mysql".into(),
                    main_process: false,
                    remove_pod: false,
                    command,
                    reattach: false,
                });
                out
            }
            Err(e) => {
                let mut out = Outcome::warned(&notes);
                out.push_stderr(&format!("{e}command terminated with exit code 1\n"));
                out.status = 1;
                out
            }
        };
    }
    if interactive && command.len() == 1 {
        if let Some(program) = host.lookup(&command[0]) {
            if matches!(program.as_str(), "sh" | "ash" | "bash") {
                return Outcome {
                    attach: Some(Attach {
                        target,
                        shell: program,
                        main_process: false,
                        remove_pod: false,
                        command: Vec::new(),
                        reattach: false,
                    }),
                    ..Outcome::warned(&notes)
                };
            }
        }
    }
    host.tty = p.is_set("stdin") && p.is_set("tty");
    if ctx.steps_with_clock && host.lookup(&command[0]).is_some() {
        let tty = host.tty;
        return Outcome {
            wait: Some(Block::Exec {
                target,
                command,
                stdin: stdin.map(str::to_owned),
                tty,
            }),
            ..Outcome::warned(&notes)
        };
    }
    let result = host.exec(&command, stdin);
    let mut out = Outcome::warned(&notes);
    match result {
        Ok(o) => {
            let status = o.status;
            out.append(o);
            if status != 0 {
                out.push_stderr(&format!("command terminated with exit code {status}\n"));
            }
        }
        Err(e) => {
            let id = exec_id(&target, &command);
            out.push_stderr(&format!(
                "error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{id}\": OCI runtime exec failed: exec failed: unable to start container process: {e}: unknown\n"
            ));
            out.status = 1;
        }
    }
    out
}

/// A stable 64-hex-digit exec id, as containerd names exec sessions.
fn exec_id(target: &ContainerRef, command: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in target.uid.bytes().chain(command.join(" ").bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (0..4)
        .map(|i| {
            format!(
                "{:016x}",
                h.rotate_left(i * 16) ^ u64::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            )
        })
        .collect()
}

/// `POD`, `pod/POD`, or `TYPE/NAME` of a workload (its first pod).
fn find_pod(c: &Cluster, ns: &str, target: &str) -> Result<Pod, String> {
    let (kind, name) = match target.split_once('/') {
        Some((t, n)) => (
            crate::resolve_kind(t).ok_or_else(|| crate::unknown_type(t))?,
            n,
        ),
        None => (Kind::Pod, target),
    };
    if kind == Kind::Pod {
        return c
            .store()
            .get_typed::<Pod>(ns, name)
            .cloned()
            .ok_or_else(|| ApiError::not_found(Kind::Pod, name).to_string());
    }
    let owner = c
        .store()
        .get(&ordinal_engine::store::ObjectKey::new(kind, ns, name))
        .ok_or_else(|| ApiError::not_found(kind, name).to_string())?;
    let selector = owner.pod_selector().ok_or_else(|| {
        // kubectl prints the Go type (`%T`); every kind here lives in a `v1` package.
        let go_type = format!("*v1.{}", kind.info().kind);
        format!("error: cannot attach to {go_type}: selector for {go_type} not implemented")
    })?;
    let mut pods: Vec<&Pod> = c
        .store()
        .list::<Pod>(Some(ns))
        .filter(|p| selector.matches(&p.metadata.labels))
        .collect();
    // kubectl takes the most active pod (podutils.ActivePods, reversed); ties keep the API's name order.
    ordinal_api::sort::by_key(&mut pods, |p| std::cmp::Reverse(activity(p)));
    pods.first()
        .map(|p| (*p).clone())
        .ok_or_else(|| format!("error: cannot exec into {target}: no pods found"))
}

/// `--overrides`: the generated pod with an inline JSON document merged in by `--override-type` (`merge`, the
/// default, is a JSON merge patch, so a `containers` list replaces the generated one).
fn overridden(pod: Pod, overrides: &str, how: &str) -> Result<Pod, String> {
    let patch: serde_json::Value =
        serde_json::from_str(overrides).map_err(|e| format!("error: invalid JSON Patch: {e}"))?;
    let mut doc = Object::Pod(pod).to_json();
    match how {
        "merge" => crate::patch::json_merge(&mut doc, &patch),
        "strategic" => crate::patch::strategic_merge(&mut doc, &patch)?,
        "json" => crate::patch::json_patch(&mut doc, &patch)?,
        other => {
            return Err(format!(
                "error: --override-type must be one of (json, merge, strategic), not \"{other}\""
            ))
        }
    }
    if let Some(m) = doc.as_object_mut() {
        m.remove("apiVersion");
        m.remove("kind");
    }
    match Object::from_json(Kind::Pod, doc) {
        Ok(Object::Pod(pod)) => Ok(pod),
        Ok(_) => Err("error: the overrides did not make a Pod".to_string()),
        Err(e) => Err(format!("error: {e}")),
    }
}

/// How active a pod is, in the order kubectl ranks the pods of an object it execs into or attaches to: scheduled,
/// then running (over unknown, over pending), then ready, then ready for longer, then fewer restarts, then older.
fn activity(p: &Pod) -> impl Ord {
    use std::cmp::Reverse;
    let phase = match p.status.phase.as_str() {
        "Running" => 2,
        "Unknown" => 1,
        _ => 0,
    };
    let ready_since = p
        .is_ready()
        .then(|| p.condition("Ready").and_then(|c| c.last_transition_time))
        .flatten();
    let restarts = p
        .status
        .container_statuses
        .iter()
        .map(|s| s.restart_count)
        .max()
        .unwrap_or(0);
    (
        p.spec.node_name.as_deref().is_some_and(|n| !n.is_empty()),
        phase,
        p.is_ready(),
        ready_since.map(Reverse),
        Reverse(restarts),
        p.metadata.creation_timestamp.map(Reverse),
    )
}

pub(crate) const RUN_FLAGS: &[Spec] = &[
    flag("image", None, true),
    flag("restart", None, true),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("rm", None, false),
    flag("env", None, true),
    flag("labels", Some('l'), true),
    flag("port", None, true),
    flag("command", None, false),
    flag("image-pull-policy", None, true),
    optional("dry-run", "unchanged"),
    flag("output", Some('o'), true),
    flag("template", None, true),
    flag("quiet", Some('q'), false),
    flag("attach", None, false),
    flag("annotations", None, true),
    flag("overrides", None, true),
    flag("override-type", None, true),
    duration("pod-running-timeout"),
];

/// `kubectl run NAME --image=IMAGE [-i] [-t] [--rm] [--restart=Never] [-- COMMAND…]`.
pub(crate) fn run(c: &mut Cluster, ctx: &Context, args: &[String], stdin: Option<&str>) -> Outcome {
    let (kubectl_args, command) = split_dashdash(args);
    let p = match flags::parse(&kubectl_args, RUN_FLAGS, "run") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let Some(name) = p.args.first().cloned() else {
        return Outcome::err(
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples",
        );
    };
    let Some(image) = p.get("image").filter(|i| !i.is_empty()).map(str::to_string) else {
        return Outcome::err("error: required flag(s) \"image\" not set");
    };
    let mut command = command.unwrap_or_default();
    command.extend(p.args.iter().skip(1).cloned());
    let restart = p.get("restart").unwrap_or("Always").to_string();
    if !matches!(restart.as_str(), "Always" | "OnFailure" | "Never") {
        return Outcome::err(format!("error: invalid restart policy: {restart}"));
    }
    let attach = p.is_set("stdin") || p.is_set("attach");
    if p.is_set("rm") && !attach {
        return Outcome::err("error: --rm should only be used for attached containers");
    }
    if let Some(policy) = p
        .get("image-pull-policy")
        .filter(|v| !matches!(*v, "" | "Always" | "IfNotPresent" | "Never"))
    {
        return Outcome::err(format!(
            "error: invalid image pull policy: {policy}\nSee 'kubectl run -h' for help and examples"
        ));
    }
    let ns = p.namespace(&ctx.namespace).to_string();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    match p.get("labels") {
        Some(l) => {
            for pair in l.split(',') {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                labels.insert(k.to_string(), v.to_string());
            }
        }
        None => {
            labels.insert("run".into(), name.clone());
        }
    }
    let env = p
        .all("env")
        .iter()
        .map(|e| {
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            ordinal_engine::model::pod::EnvVar {
                name: k.to_string(),
                value: Some(v.to_string()),
                value_from: None,
            }
        })
        .collect();
    let (cmd, cargs) = if p.is_set("command") {
        (command, Vec::new())
    } else {
        (Vec::new(), command)
    };
    let ports = p
        .get("port")
        .and_then(|port| port.parse().ok())
        .map(|port| {
            vec![ordinal_engine::model::pod::ContainerPort {
                container_port: port,
                ..Default::default()
            }]
        })
        .unwrap_or_default();
    // `--annotations k=v` (repeatable), as run.go's generator sets them.
    let mut annotations: BTreeMap<String, String> = BTreeMap::new();
    for a in p.all("annotations") {
        let Some((k, v)) = a.split_once('=') else {
            return Outcome::err(format!("error: invalid annotations format: {a}"));
        };
        annotations.insert(k.to_string(), v.to_string());
    }
    let pod = Pod {
        metadata: ObjectMeta {
            name: name.clone(),
            namespace: ns.clone(),
            labels,
            annotations,
            ..Default::default()
        },
        spec: std::sync::Arc::new(PodSpec {
            containers: vec![Container {
                name: name.clone(),
                image,
                command: cmd,
                args: cargs,
                env,
                ports,
                image_pull_policy: p.get("image-pull-policy").map(str::to_string),
                stdin: attach.then_some(true),
                tty: p.is_set("tty").then_some(true),
                ..Default::default()
            }],
            restart_policy: Some(restart),
            dns_policy: Some("ClusterFirst".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let pod = match p.get("overrides") {
        Some(o) => match overridden(pod, o, p.get("override-type").unwrap_or("merge")) {
            Ok(pod) => pod,
            Err(e) => return Outcome::err(e),
        },
        None => pod,
    };
    let has_command = pod
        .spec
        .containers
        .first()
        .is_some_and(|c| !c.command.is_empty() || !c.args.is_empty());
    let monitor = pod.spec.containers.first().is_some_and(|c| {
        let argv: Vec<String> = c.command.iter().chain(&c.args).cloned().collect();
        is_mysql_monitor(&argv)
    });
    let dry_run = match crate::dry_run(&p, ctx) {
        Ok(d) => d,
        Err(e) => return Outcome::err(e),
    };
    if attach && dry_run != crate::DryRun::None {
        return Outcome::err("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples");
    }
    // run.go: without attaching, the pod is printed as -o (or the name printer) says.
    if !attach {
        return crate::create::generated(
            c,
            ctx,
            &p,
            Kind::Pod,
            Object::Pod(pod).to_json(),
            "run",
            "created",
        );
    }
    if let Some(text) = stdin.filter(|_| attach) {
        c.set_pending_stdin(&ns, &name, Some(text.to_string()));
    }
    if let Err(e) = c.create(Object::Pod(pod)) {
        c.set_pending_stdin(&ns, &name, None);
        return Outcome::err(e.to_string());
    }
    let interactive =
        p.is_set("stdin") && p.is_set("tty") && (!has_command || monitor) && stdin.is_none();
    // The notes kubectl prints as it attaches (or the log, for a command that has already finished) come from
    // the terminal once it knows which happened.
    Outcome {
        wait: Some(Block::Attached {
            namespace: ns,
            pod: name,
            remove: p.is_set("rm"),
            interactive,
            quiet: p.is_set("quiet"),
            stdin_fed: stdin.is_some(),
            timeout_ms: p.duration_ms("pod-running-timeout").unwrap_or(60_000),
        }),
        ..Outcome::default()
    }
}

/// What kubectl 1.34+ prints on stderr as it attaches to a running container (kubernetes/kubectl
/// `pkg/cmd/attach/attach.go`, `AttachOptions.Run`, unless `--quiet`). kubectl before 1.12 printed
/// `Waiting for pod default/NAME to be running, status is Pending, pod ready: false` while it waited instead.
pub const ATTACH_NOTES: &str = "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n";

pub(crate) const ATTACH_FLAGS: &[Spec] = &[
    flag("container", Some('c'), true),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("quiet", Some('q'), false),
    duration("pod-running-timeout"),
];

/// `kubectl attach POD [-c CONTAINER] [-i] [-t]`: what the container's main process prints from now on, until
/// it ends (or Ctrl+C, which with `-t` reaches the process); a shell waiting for its terminal (`kubectl run
/// -it … -- sh`, left with "Session ended") becomes the terminal's session again.
pub(crate) fn attach(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, ATTACH_FLAGS, "attach") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let Some(target) = p.args.first() else {
        return Outcome::err("error: at least 1 argument is required for attach");
    };
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let pod = match find_pod(c, &ns, target) {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    if pod.is_terminal() {
        return Outcome::err(format!(
            "error: cannot attach a container in a completed pod; current phase is {}",
            pod.status.phase
        ));
    }
    // attach.go `Run`, in its order: the container (podcmd's "Defaulted container" note), the terminal
    // checks, kubectl's notes, then the attach itself, which fails for a container that is not running.
    let quiet = p.is_set("quiet");
    let mut notes = String::new();
    let container = match pick_local_container(&pod, p.get("container"), quiet, &mut notes) {
        Ok(name) => name,
        Err(e) => return Outcome::err(format!("error: cannot attach to the container: {e}")),
    };
    let spec = pod.spec.containers.iter().find(|ct| ct.name == container);
    let container_tty = spec.is_some_and(|ct| ct.tty == Some(true));
    let stdin = p.is_set("stdin");
    let mut tty = p.is_set("tty");
    if tty && !container_tty {
        tty = false;
        if !quiet {
            notes.push_str(&format!(
                "error: Unable to use a TTY - container {container} did not allocate one\n"
            ));
        }
    } else if !tty && container_tty {
        // The container runs with a terminal: kubectl forces one (without stdin it is dropped again).
        tty = true;
    }
    // StreamOptions.SetupTTY: a terminal needs stdin, and this terminal's stdin is one.
    let interactive = stdin && tty;
    if !quiet {
        notes.push_str(ATTACH_NOTES);
    }
    let mut out = Outcome::warned(&notes);
    if let Some(e) = not_running(&pod, &container) {
        out.append(Outcome::err(e).output);
        return out;
    }
    let target = ContainerRef {
        namespace: ns.clone(),
        pod: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        container,
    };
    let argv: Vec<String> = spec
        .map(|ct| ct.command.iter().chain(&ct.args).cloned().collect())
        .unwrap_or_default();
    let image = spec.map(|ct| ct.image.clone()).unwrap_or_default();
    let waits_for_terminal = spec.is_some_and(|ct| ct.stdin == Some(true))
        && ordinal_engine::runtime::process_run(c, &target).is_none()
        && match argv.as_slice() {
            [] => ordinal_engine::images::default_command_is_a_shell(&image),
            [one] => matches!(one.rsplit('/').next(), Some("sh" | "ash" | "bash")),
            _ => false,
        };
    if interactive && waits_for_terminal {
        let shell =
            if ordinal_engine::images::family(&image) == ordinal_engine::images::Family::Debian {
                "bash"
            } else {
                "sh"
            };
        out.attach = Some(Attach {
            target,
            shell: shell.to_string(),
            main_process: true,
            remove_pod: false,
            command: Vec::new(),
            reattach: !quiet && pod.spec.restart_policy.as_deref().unwrap_or("Always") == "Always",
        });
        return out;
    }
    let from = c
        .container_logs(&target.uid, &target.container, false)
        .map_or(0, <[_]>::len);
    out.wait = Some(Block::Follow {
        target,
        from,
        timestamps: false,
        signals: interactive,
    });
    out
}

pub(crate) const LOGS_FLAGS: &[Spec] = &[
    flag("container", Some('c'), true),
    flag("previous", Some('p'), false),
    flag("follow", Some('f'), false),
    int("tail", None),
    flag("timestamps", None, false),
    flag("all-containers", None, false),
    flag("selector", Some('l'), true),
    duration("since"),
    flag("prefix", None, false),
];

/// `kubectl logs POD [-c CONTAINER] [--previous] [--tail N] [--timestamps]`.
pub(crate) fn logs(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, LOGS_FLAGS, "logs") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let ns = p.namespace(&ctx.namespace).to_string();
    // logs.go Validate.
    if p.get("since").is_some_and(|s| s.starts_with('-')) {
        return Outcome::err("error: --since must be greater than 0");
    }
    if p.int("tail").is_some_and(|t| t < -1) {
        return Outcome::err("error: --tail must be greater than or equal to -1");
    }
    if p.is_set("all-containers") {
        if let Some(name) = p.get("container").or(p.args.get(1).map(String::as_str)) {
            return Outcome::err(format!(
                "error: --all-containers=true should not be specified with container name {name}"
            ));
        }
        if p.is_set("follow") {
            return Outcome::err("error: \"kubectl logs -f --all-containers\" is not available in this playground yet");
        }
    }
    if let (None, Some(selector)) = (p.args.first(), p.get("selector")) {
        return logs_by_selector(c, ctx, &p, &ns, selector);
    }
    let Some(target) = p.args.first() else {
        return Outcome::err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    };
    let pod = match find_pod(c, &ns, target) {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    if p.is_set("all-containers") {
        // Every container in turn, init containers first (AllPodLogsForObject's order).
        let mut out = Outcome::default();
        let names: Vec<String> = pod
            .spec
            .init_containers
            .iter()
            .chain(&pod.spec.containers)
            .map(|ct| ct.name.clone())
            .collect();
        for name in names {
            let mut one: Vec<String> = p.args.iter().take(1).cloned().collect();
            one.extend(["-n".to_string(), ns.clone(), "-c".to_string(), name.clone()]);
            for flag in ["previous", "timestamps"] {
                if p.is_set(flag) {
                    one.push(format!("--{flag}"));
                }
            }
            for flag in ["tail", "since"] {
                if let Some(v) = p.get(flag) {
                    one.push(format!("--{flag}={v}"));
                }
            }
            let got = logs(c, ctx, &one);
            let prefix = format!("[pod/{}/{name}] ", pod.metadata.name);
            prefixed(
                &mut out,
                &got,
                p.is_set("prefix").then_some(prefix.as_str()),
            );
            out.status = out.status.max(got.status);
        }
        return out;
    }
    let mut notes = String::new();
    let container = match p.get("container").or(p.args.get(1).map(String::as_str)) {
        Some(w) => match pick_container(&pod, Some(w), true, &mut notes) {
            Ok(c) => c,
            Err(e) => return Outcome::err(e),
        },
        None => match pick_container(&pod, None, false, &mut notes) {
            Ok(c) => c,
            Err(e) => return Outcome::err(e),
        },
    };
    let previous = p.is_set("previous");
    let system = if previous {
        None
    } else {
        ordinal_engine::system_pod_logs(c, &pod)
    };
    let lines = match &system {
        Some(l) => Some(l.as_slice()),
        None => c.container_logs(&pod.metadata.uid, &container, previous),
    };
    let Some(lines) = lines else {
        let started = pod
            .status
            .container_statuses
            .iter()
            .chain(&pod.status.init_container_statuses)
            .find(|s| s.name == container)
            .is_some_and(|s| s.state.waiting.is_none());
        return Outcome::err(format!(
            "{notes}{}",
            if previous {
                format!("Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{}\" not found", pod.metadata.name)
            } else if started {
                String::new()
            } else {
                let reason = pod
                    .status
                    .container_statuses
                    .iter()
                    .find(|s| s.name == container)
                    .and_then(|s| s.state.waiting.as_ref())
                    .and_then(|w| w.reason.clone())
                    .unwrap_or_else(|| "ContainerCreating".into());
                format!("Error from server (BadRequest): container \"{container}\" in pod \"{}\" is waiting to start: {}", pod.metadata.name, waiting_text(&reason))
            }
        ));
    };
    // --since: only lines logged within that long of now (the kubelet's SinceSeconds, rounded to seconds).
    let since = p.duration_ms("since").filter(|s| *s > 0).map(|ms| {
        let seconds = ms.div_ceil(1_000).max(1);
        ordinal_engine::clock::Time(c.now().0.saturating_sub(seconds * 1_000))
    });
    let logged = lines.len();
    let lines: Vec<&ordinal_engine::runtime::LogLine> = lines
        .iter()
        .filter(|l| since.is_none_or(|t| l.time >= t))
        .collect();
    let tail: Option<usize> = p.int("tail").and_then(|t| usize::try_from(t).ok());
    let skip = tail.map_or(0, |t| lines.len().saturating_sub(t));
    let text: String = lines[skip..]
        .iter()
        .map(|l| {
            if p.is_set("timestamps") {
                format!("{} {}\n", l.time.rfc3339_nanos(), l.text)
            } else {
                format!("{}\n", l.text)
            }
        })
        .collect();
    let running = pod
        .status
        .container_statuses
        .iter()
        .chain(&pod.status.init_container_statuses)
        .find(|s| s.name == container)
        .is_some_and(|s| s.state.running.is_some());
    let follow = (p.is_set("follow") && !previous && running).then(|| Block::Follow {
        target: ordinal_engine::runtime::ContainerRef {
            namespace: pod.metadata.namespace.clone(),
            pod: pod.metadata.name.clone(),
            uid: pod.metadata.uid.clone(),
            container: container.clone(),
        },
        from: logged,
        timestamps: p.is_set("timestamps"),
        signals: false,
    });
    let mut out = Outcome::warned(&notes);
    out.push_stdout(&text);
    out.wait = follow;
    out
}

/// What one `logs` printed, into `out` in its order, each line of its log after `prefix` (`--prefix`).
fn prefixed(out: &mut Outcome, got: &crate::Output, prefix: Option<&str>) {
    for (stream, text) in got.printed() {
        match (stream, prefix) {
            (crate::shell::Stream::Stdout, Some(prefix)) => {
                for line in text.lines() {
                    out.push_stdout(&format!("{prefix}{line}\n"));
                }
            }
            _ => out.print(*stream, text),
        }
    }
}

/// `kubectl logs -l SELECTOR`: each matching pod's log in turn (the last 10 lines of each unless `--tail`
/// says otherwise), prefixed `[pod/NAME/CONTAINER] ` with `--prefix`.
fn logs_by_selector(
    c: &mut Cluster,
    ctx: &Context,
    p: &flags::Parsed,
    ns: &str,
    selector: &str,
) -> Outcome {
    let selector = match crate::parse_selector(selector) {
        Ok(s) => s,
        Err(e) => return Outcome::err(e),
    };
    let mut pods: Vec<Pod> = c
        .store()
        .list::<Pod>(Some(ns))
        .filter(|pod| selector.matches(&pod.metadata.labels))
        .cloned()
        .collect();
    ordinal_api::sort::by(&mut pods, |a, b| a.metadata.name.cmp(&b.metadata.name));
    if pods.is_empty() {
        return Outcome::warned(&format!("No resources found in {ns} namespace.\n"));
    }
    let mut out = Outcome::default();
    for pod in pods {
        let mut args = vec![
            pod.metadata.name.clone(),
            "-n".to_string(),
            ns.to_string(),
            format!("--tail={}", p.get("tail").unwrap_or("10")),
        ];
        for (flag, name) in [("previous", "--previous"), ("timestamps", "--timestamps")] {
            if p.is_set(flag) {
                args.push(name.to_string());
            }
        }
        if let Some(since) = p.get("since") {
            args.push(format!("--since={since}"));
        }
        if p.is_set("all-containers") {
            args.push("--all-containers".to_string());
            if p.is_set("prefix") {
                args.push("--prefix".to_string());
            }
            let one = logs(c, ctx, &args);
            let status = out.status.max(one.status);
            out.append(one.output);
            out.status = status;
            continue;
        }
        let container = p
            .get("container")
            .map(str::to_string)
            .or_else(|| pod.spec.containers.first().map(|ct| ct.name.clone()))
            .unwrap_or_default();
        args.extend(["-c".to_string(), container.clone()]);
        let one = logs(c, ctx, &args);
        let prefix = format!("[pod/{}/{container}] ", pod.metadata.name);
        prefixed(
            &mut out,
            &one,
            p.is_set("prefix").then_some(prefix.as_str()),
        );
        if one.status != 0 {
            out.status = one.status;
        }
    }
    out
}

fn waiting_text(reason: &str) -> String {
    match reason {
        "ContainerCreating" | "PodInitializing" => reason.to_string(),
        "ErrImagePull" | "ImagePullBackOff" => "trying and failing to pull image".to_string(),
        other => other.to_string(),
    }
}
