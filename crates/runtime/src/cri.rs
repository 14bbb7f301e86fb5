//! What the kubelet asks of its node, and the node does: the container runtime's calls (kubelet's CRI —
//! create and start a container, run its process on, exec a probe or a preStop hook, stop it) and the
//! host-local IPAM that gives a sandbox its address. The kubelet decides; the cluster loop hands each [`Call`]
//! to [`serve`] and gives the kubelet the [`Answer`].

use crate::model::ObjectKey;
use crate::model::Pod;
use crate::programs::{self, MainPlan, Progress};
use crate::Node;
use crate::{programs::net::Http, ContainerRef, Observed};

/// One call the kubelet makes to its node.
#[derive(Debug)]
pub enum Call {
    /// host-local IPAM: the next free address of the node's pod CIDR, for a new sandbox.
    AllocatePodIp { node: String },
    /// A pod that is gone gives its address back.
    ReleasePodIp(String),
    /// A fresh container: its layer starts as the image's files, its log starts over.
    CreateContainer {
        pod: Box<Pod>,
        container: String,
        image: String,
    },
    /// Starts init container `index`'s process.
    StartInit { pod: Box<Pod>, index: usize },
    /// Starts container `index`'s main process.
    StartMain { pod: Box<Pod>, index: usize },
    /// Runs run `run` of the container's process on from where it waited, if that run is still the one waiting.
    ResumeProcess { target: ContainerRef, run: u64 },
    /// What the container's process would have run next never runs (the learner ended it).
    DropProcess(ContainerRef),
    /// Runs container `container`'s probe of `kind`; with `errors`, an exec probe into an exited process
    /// reports the runtime's refusal instead of running.
    Probe {
        pod: ObjectKey,
        container: usize,
        kind: ProbeKind,
        errors: bool,
    },
    /// Runs container `container`'s preStop hook, within `grace_ms`.
    PreStop {
        pod: Box<Pod>,
        container: usize,
        grace_ms: u64,
    },
    /// Container `container`'s process has exited: what it served stops.
    ProcessStopped { pod: Box<Pod>, container: String },
    /// What the containers hold may look different to a probe now (an API object a probe looked at changed).
    Changed,
}

/// What a [`Call`] answered.
#[derive(Debug)]
pub enum Answer {
    /// Done; nothing to tell.
    Done,
    /// The sandbox's address.
    Ip(String),
    /// How the process started goes on.
    Started(MainPlan),
    /// Where the resumed process stands; `None` when that run was no longer waiting.
    Resumed(Option<Progress>),
    /// A probe's answer.
    Probe(ProbeAnswer),
    /// How long the preStop hook took (at most the grace period) and whether it succeeded.
    PreStop { took_ms: u64, ok: bool },
}

/// What a probe found.
#[derive(Debug)]
pub enum ProbeAnswer {
    /// It could not run (see [`Call::Probe`]'s `errors`): why.
    Errored(String),
    /// It ran: why it failed (`None`: it passed), and what it looked at beyond its container.
    Ran {
        failure: Option<String>,
        observed: Observed,
    },
}

/// Each call has one kind of answer; an accessor that gets another is a bug in the kubelet's pairing of call
/// and continuation. Debug builds (every test) stop there; a release build goes on with the neutral answer.
fn mismatched(expected: &str, got: &Answer) {
    if cfg!(debug_assertions) {
        panic!("the kubelet read a {got:?} answer as {expected}");
    }
}

impl Answer {
    pub fn ip(self) -> String {
        match self {
            Answer::Ip(ip) => ip,
            other => {
                mismatched("an address", &other);
                String::new()
            }
        }
    }

    pub fn plan(self) -> MainPlan {
        match self {
            Answer::Started(plan) => plan,
            other => {
                mismatched("a started process", &other);
                MainPlan {
                    progress: Progress::Forever,
                    start_error: None,
                }
            }
        }
    }

    pub fn resumed(self) -> Option<Progress> {
        match self {
            Answer::Resumed(p) => p,
            other => {
                mismatched("a resumed process", &other);
                None
            }
        }
    }

    pub fn probe(self) -> ProbeAnswer {
        match self {
            Answer::Probe(p) => p,
            other => {
                mismatched("a probe's answer", &other);
                ProbeAnswer::Ran {
                    failure: None,
                    observed: Observed::default(),
                }
            }
        }
    }

    pub fn pre_stop(self) -> (u64, bool) {
        match self {
            Answer::PreStop { took_ms, ok } => (took_ms, ok),
            other => {
                mismatched("a preStop hook's end", &other);
                (0, true)
            }
        }
    }
}

/// Makes the kubelet's call `call` on the simulated node.
pub fn serve(node: &mut dyn Node, call: Call) -> Answer {
    match call {
        Call::AllocatePodIp { node: name } => Answer::Ip(node.allocate_pod_ip(&name)),
        Call::ReleasePodIp(ip) => {
            node.release_pod_ip(&ip);
            Answer::Done
        }
        Call::CreateContainer {
            pod,
            container,
            image,
        } => {
            node.runtime_container_started(&pod, &container, &image);
            Answer::Done
        }
        Call::StartInit { pod, index } => Answer::Started(programs::start_init(node, &pod, index)),
        Call::StartMain { pod, index } => Answer::Started(programs::start_main(node, &pod, index)),
        Call::ResumeProcess { target, run } => {
            if programs::process_run(node, &target) != Some(run) {
                return Answer::Resumed(None);
            }
            Answer::Resumed(Some(programs::resume_process(node, &target)))
        }
        Call::DropProcess(target) => {
            node.runtime_mut()
                .processes
                .remove(&(target.uid.clone(), target.container.clone()));
            Answer::Done
        }
        Call::Probe {
            pod,
            container,
            kind,
            errors,
        } => {
            if let Some(why) = errors
                .then(|| probe_error(node, &pod, container, kind))
                .flatten()
            {
                return Answer::Probe(ProbeAnswer::Errored(why));
            }
            let (failure, observed) =
                node.runtime_observing(|c| probe_outcome(c, &pod, container, kind));
            Answer::Probe(ProbeAnswer::Ran { failure, observed })
        }
        Call::PreStop {
            pod,
            container,
            grace_ms,
        } => {
            let (took_ms, ok) = pre_stop(node, &pod, container, grace_ms);
            Answer::PreStop { took_ms, ok }
        }
        Call::ProcessStopped { pod, container } => {
            node.runtime_process_stopped(&pod, &container);
            Answer::Done
        }
        Call::Changed => {
            node.runtime_changed();
            Answer::Done
        }
    }
}

/// Runs container `i`'s preStop hook, if it has one, and answers how long it took (at most `grace_ms`) and
/// whether it succeeded: an `exec` command runs in the container (a `sleep` in it is time the hook takes),
/// `sleep` waits its seconds, `httpGet` asks the pod's server.
pub fn pre_stop(c: &mut dyn Node, pod: &Pod, i: usize, grace_ms: u64) -> (u64, bool) {
    let Some(ct) = pod.spec.containers.get(i) else {
        return (0, true);
    };
    let Some(hook) = ct
        .lifecycle
        .as_ref()
        .and_then(|l| l.get("preStop"))
        .cloned()
    else {
        return (0, true);
    };
    if grace_ms == 0 {
        return (0, true);
    }
    let (took, ok) = if let Some(seconds) = hook.pointer("/sleep/seconds").and_then(|v| v.as_u64())
    {
        (seconds.saturating_mul(1000), true)
    } else if let Some(command) = hook.pointer("/exec/command").and_then(|v| v.as_array()) {
        let argv: Vec<String> = command
            .iter()
            .filter_map(|w| w.as_str().map(str::to_string))
            .collect();
        let target = ContainerRef {
            namespace: pod.metadata.namespace.clone(),
            pod: pod.metadata.name.clone(),
            uid: pod.metadata.uid.clone(),
            container: ct.name.clone(),
        };
        let ran = programs::ContainerHost::open(c, target, programs::Mode::Main).map(|mut host| {
            let out = host.exec(&argv, None);
            let waited = host.wait.take().map_or(0, |w| w.millis_or(u64::MAX));
            (waited, out.is_ok_and(|o| o.status == 0))
        });
        ran.unwrap_or((0, false))
    } else if hook.get("httpGet").is_some() {
        let ip = pod.status.pod_ip.clone().unwrap_or_default();
        let path = hook
            .pointer("/httpGet/path")
            .and_then(|v| v.as_str())
            .unwrap_or("/")
            .to_string();
        let port = hook
            .pointer("/httpGet/port")
            .and_then(|v| crate::model::decode::<crate::model::meta::IntOrString>(v.clone()).ok())
            .and_then(|p| container_port(ct, &p).ok())
            .unwrap_or(80);
        let answer = match c.listener_on(pod, port).filter(|_| !ip.is_empty()) {
            Some(target) => c.runtime_quietly(|c| c.http_to(target, port, &path)),
            None => Http::Refused,
        };
        let ok = matches!(answer, Http::Response(code, _) if (200..400).contains(&code));
        (0, ok)
    } else {
        (0, true)
    };
    (took.min(grace_ms), ok)
}

/// One run of container `i`'s probe of `kind` against the container runtime now, as the kubelet's prober
/// does: `exec` runs the command in the container, `httpGet` asks the server listening on the pod's IP,
/// `tcpSocket` connects to it. `Some(why)` when it fails, worded as the `Unhealthy` event words it after
/// "probe failed: ". Containers that do not run, and gRPC probes, answer `None` (their outcome follows the
/// learner's faults).
pub fn probe_outcome(
    c: &mut dyn Node,
    key: &ObjectKey,
    i: usize,
    kind: ProbeKind,
) -> Option<String> {
    let pod = c.pod(&key.namespace, &key.name)?.clone();
    let ct = pod.spec.containers.get(i)?;
    let probe = kind.of(ct)?;
    let running = pod.container_running(i);
    if !running {
        return None;
    }
    if let Some(exec) = &probe.exec {
        if !c.runtime().process_running(&pod.metadata.uid, &ct.name) {
            // No exec into an exited container: the probe errors (`probe_error`) rather than fails.
            return None;
        }
        return exec_failure(c, &pod, &ct.name, &exec.command);
    }
    let ip = pod.status.pod_ip.clone()?;
    if let Some(get) = &probe.http_get {
        let host = get.host.clone().unwrap_or_else(|| ip.clone());
        let port = match container_port(ct, &get.port) {
            Ok(p) => p,
            Err(why) => return Some(why),
        };
        let mut path = get.path.clone().unwrap_or_default();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let scheme = get.scheme.as_deref().unwrap_or("HTTP").to_ascii_lowercase();
        let url = format!("{scheme}://{host}:{port}{path}");
        // The probe goes to the pod's own address; another host is outside what the simulation serves.
        let unsimulated = |target: &ContainerRef| {
            pod.spec
                .containers
                .iter()
                .find(|ct| ct.name == target.container)
                .is_some_and(|ct| !programs::simulated(&ct.image))
        };
        let answer = match c.listener_on(&pod, port).filter(|_| host == ip) {
            // An application the playground does not simulate is taken to answer its probes.
            Some(target) if unsimulated(&target) => return None,
            Some(target) => c.runtime_quietly(|c| c.http_to(target, port, &path)),
            None => Http::Refused,
        };
        return match answer {
            Http::Response(code, _) if (200..400).contains(&code) => None,
            Http::Response(code, _) => Some(format!("HTTP probe failed with statuscode: {code}")),
            _ => Some(format!(
                "Get \"{url}\": dial tcp {host}:{port}: connect: connection refused"
            )),
        };
    }
    if let Some(tcp) = &probe.tcp_socket {
        let host = tcp.host.clone().unwrap_or_else(|| ip.clone());
        let port = match container_port(ct, &tcp.port) {
            Ok(p) => p,
            Err(why) => return Some(why),
        };
        let listening = host == ip && c.listener_on(&pod, port).is_some();
        return (!listening)
            .then(|| format!("dial tcp {host}:{port}: connect: connection refused"));
    }
    None
}

/// Why container `i`'s probe of `kind` errors instead of answering: an `exec` probe into a container whose
/// process has exited while its pod is being stopped (the status still shows it running) gets the runtime's
/// refusal. The prober records it as `errored` and throws the result away (worker.go `doProbe`), so readiness
/// stays as it was.
pub fn probe_error(c: &dyn Node, key: &ObjectKey, i: usize, kind: ProbeKind) -> Option<String> {
    let pod = c.pod(&key.namespace, &key.name)?;
    let ct = pod.spec.containers.get(i)?;
    kind.of(ct)?.exec.as_ref()?;
    let exited =
        pod.container_running(i) && !c.runtime().process_running(&pod.metadata.uid, &ct.name);
    exited.then(|| {
        "rpc error: code = Unknown desc = failed to exec in container: container is in CONTAINER_EXITED state"
            .to_string()
    })
}

/// A probe's port: a number as it is, a name looked up among the container's ports (the kubelet's
/// `ResolveContainerPort`).
pub fn container_port(
    ct: &crate::model::pod::Container,
    port: &crate::model::meta::IntOrString,
) -> Result<i64, String> {
    use crate::model::meta::IntOrString;
    match port {
        IntOrString::Int(n) => Ok(*n),
        IntOrString::String(name) => ct
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port)
            .ok_or_else(|| format!("couldn't find port: {name} in {}", ct.name)),
    }
}

/// Runs an exec probe's `command` in container `name` of `pod`: `Some(why)` when it fails.
pub fn exec_failure(c: &mut dyn Node, pod: &Pod, name: &str, command: &[String]) -> Option<String> {
    if command.is_empty() {
        return None;
    }
    let target = ContainerRef {
        namespace: pod.metadata.namespace.clone(),
        pod: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        container: name.to_string(),
    };
    // A probe is no change the kubelet reacts to, even when, like a replica recording its position, it writes.
    let result = c.runtime_quietly(|c| {
        let mut host = programs::ContainerHost::open(c, target, programs::Mode::Main)?;
        Some(host.exec(command, None))
    })?;
    match result {
        Err(e) => Some(format!(
            "OCI runtime exec failed: exec failed: unable to start container process: {e}: unknown"
        )),
        Ok(out) if out.status != 0 => {
            let text = out.text();
            Some(if text.trim().is_empty() {
                format!(
                    "command terminated with non-zero exit code: exit status {}",
                    out.status
                )
            } else {
                text.trim_end().to_string()
            })
        }
        Ok(_) => None,
    }
}

/// Which of a container's probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeKind {
    Readiness,
    Liveness,
    Startup,
}

impl ProbeKind {
    pub const ALL: [ProbeKind; 3] = [
        ProbeKind::Readiness,
        ProbeKind::Liveness,
        ProbeKind::Startup,
    ];

    /// As the prober's messages name it (`probeType.String()`).
    pub fn title(self) -> &'static str {
        match self {
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Startup => "Startup",
        }
    }

    pub fn of(self, ct: &crate::model::pod::Container) -> Option<&crate::model::pod::Probe> {
        match self {
            ProbeKind::Readiness => ct.readiness_probe.as_ref(),
            ProbeKind::Liveness => ct.liveness_probe.as_ref(),
            ProbeKind::Startup => ct.startup_probe.as_ref(),
        }
    }
}
