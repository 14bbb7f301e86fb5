//! `why`: the playground's own command (not kubectl's) that says in words why an object waits, following the
//! chain a learner would otherwise trace through `describe` and the Events: a pod that does not exist yet waits
//! for the pod before it, which waits for its claim, which waits for a class.
//!
//! ```text
//! why web-1                     a pod (or the ordinal of a set that has no pod yet)
//! why statefulset/web           a set: what it creates, removes or replaces next, and what that waits for
//! why pvc/www-web-0 -n default  a claim; pv/NAME a volume
//! ```

use ordinal_engine::model::{Kind, PersistentVolumeClaim, Pod, StatefulSet};
use ordinal_engine::why::{self, PodState, SetWhy, Why};
use ordinal_engine::{parent_and_ordinal, Cluster};
use ordinal_kubectl::shell;

const USAGE: &str = "usage: why [TYPE/]NAME [-n NAMESPACE]\n  TYPE: pod (the default), statefulset (sts), persistentvolumeclaim (pvc), persistentvolume (pv)\n";

/// Runs `why ARGS` with `namespace` as the default namespace.
pub fn run(c: &Cluster, namespace: &str, args: &[String]) -> shell::Output {
    let mut ns = namespace.to_string();
    let mut words = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => return shell::Output::ok(USAGE.to_string()),
            "-n" | "--namespace" => match it.next() {
                Some(n) => ns = n.clone(),
                None => return failed("flag needs an argument: 'n' in -n\n"),
            },
            s if s.starts_with("--namespace=") => ns = s["--namespace=".len()..].to_string(),
            s if s.starts_with("-n") && s.len() > 2 => ns = s[2..].to_string(),
            s if s.starts_with('-') => return failed(&format!("unknown flag: {s}\n")),
            _ => words.push(a.clone()),
        }
    }
    let (kind, name) = match words.as_slice() {
        [one] => match one.split_once('/') {
            Some((k, n)) => (k.to_string(), n.to_string()),
            None => ("pod".to_string(), one.clone()),
        },
        [k, n] => (k.clone(), n.clone()),
        _ => return failed(""),
    };
    let Some(kind) = ordinal_kubectl::resolve_kind(&kind) else {
        return failed(&format!("unknown type \"{kind}\"\n"));
    };
    let mut out = Vec::new();
    let found = match kind {
        Kind::Pod => explain_pod(c, &ns, &name, &mut out),
        Kind::StatefulSet => explain_set(c, &ns, &name, &mut out),
        Kind::PersistentVolumeClaim => {
            let exists = c
                .store()
                .get_typed::<PersistentVolumeClaim>(&ns, &name)
                .is_some();
            if exists {
                explain_claim(c, &ns, &name, &mut out);
            }
            exists
        }
        Kind::PersistentVolume => {
            let exists = c
                .store()
                .get_typed::<ordinal_engine::model::PersistentVolume>("", &name)
                .is_some();
            if exists {
                let whys = why::volume(c, &name);
                say(
                    &mut out,
                    &format!("persistentvolume/{name}"),
                    &whys,
                    "Bound.",
                );
            }
            exists
        }
        _ => {
            return failed(&format!(
                "cannot explain {}: try a pod, a statefulset, a claim or a volume\n",
                kind.qualified_plural()
            ))
        }
    };
    if !found {
        let plural = kind.qualified_plural();
        return shell::Output::failed(
            format!("why: {plural} \"{name}\" not found in namespace {ns}\n"),
            1,
        );
    }
    shell::Output::ok(out.concat())
}

fn failed(message: &str) -> shell::Output {
    let text = if message.is_empty() {
        USAGE.to_string()
    } else {
        format!("why: {message}{USAGE}")
    };
    shell::Output::failed(text, 2)
}

/// One object's lines: its name, then each reason (or `fine` when nothing waits).
fn say(out: &mut Vec<String>, subject: &str, whys: &[Why], fine: &str) {
    if whys.is_empty() {
        out.push(format!("{subject}: {fine}\n"));
    }
    for w in whys {
        out.push(format!("{subject}: {w}\n"));
    }
}

/// A pod, its claims, and — for a set's ordinal with no pod yet — what its set waits for, followed back.
fn explain_pod(c: &Cluster, ns: &str, name: &str, out: &mut Vec<String>) -> bool {
    let exists = c.store().get_typed::<Pod>(ns, name).is_some();
    if exists {
        follow_pod(c, ns, name, out);
        return true;
    }
    // No such pod: is it an ordinal of a set?
    let Some((parent, ordinal)) = parent_and_ordinal(name) else {
        return false;
    };
    let Some(set) = c.store().get_typed::<StatefulSet>(ns, parent) else {
        return false;
    };
    let whys = why::set(c, ns, parent).unwrap_or_default();
    let subject = format!("pod/{name}");
    match &whys.next {
        Some((o, w)) if *o == ordinal => {
            out.push(format!("{subject}: {w}\n"));
            follow_blocker(c, ns, w, out);
        }
        _ => {
            let start = set.start_ordinal();
            let in_range = (start..start.saturating_add(set.replicas().max(0))).contains(&ordinal);
            let text = if in_range {
                "does not exist yet; the controller creates it in its turn.".to_string()
            } else {
                format!(
                    "does not exist: statefulset {parent} has replicas: {}, so its ordinals are {start} to {}.",
                    set.replicas(),
                    start + set.replicas() - 1
                )
            };
            out.push(format!("{subject}: {text}\n"));
        }
    }
    true
}

/// A pod's reasons and its claims', then the pod it waits for, if any.
fn follow_pod(c: &Cluster, ns: &str, name: &str, out: &mut Vec<String>) {
    let whys = why::pod(c, ns, name);
    say(out, &format!("pod/{name}"), &whys, "Running and Ready.");
    let claims: Vec<String> = c
        .store()
        .get_typed::<Pod>(ns, name)
        .map(|p| p.claim_names().map(str::to_string).collect())
        .unwrap_or_default();
    for claim in claims {
        let whys = why::claim(c, ns, &claim);
        if !whys.is_empty() {
            say(out, &format!("persistentvolumeclaim/{claim}"), &whys, "");
        }
    }
}

/// When a reason names a pod it waits for, that pod's reasons too (and its claims'): under OrderedReady the pods
/// before it are Running and Ready, so the chain ends there.
fn follow_blocker(c: &Cluster, ns: &str, w: &Why, out: &mut Vec<String>) {
    let blocker = match w {
        Why::WaitsForPredecessor { blocker, state, .. }
        | Why::ScaleDownWaitsForHealthy { blocker, state, .. }
            if *state != PodState::Missing =>
        {
            blocker
        }
        Why::UpdateNext {
            blocker: Some((blocker, _)),
            ..
        } => blocker,
        Why::ScaleDownAfterTerminating { blocker, .. } | Why::WaitsForRecreate { blocker, .. } => {
            blocker
        }
        _ => return,
    };
    follow_pod(c, ns, blocker, out);
}

fn explain_claim(c: &Cluster, ns: &str, name: &str, out: &mut Vec<String>) {
    let whys = why::claim(c, ns, name);
    let subject = format!("persistentvolumeclaim/{name}");
    say(out, &subject, &whys, "Bound, and in use.");
}

fn explain_set(c: &Cluster, ns: &str, name: &str, out: &mut Vec<String>) -> bool {
    let Some(set) = c.store().get_typed::<StatefulSet>(ns, name) else {
        return false;
    };
    let subject = format!("statefulset.apps/{name}");
    let Some(SetWhy { next, notes }) = why::set(c, ns, name) else {
        out.push(format!(
            "{subject}: the controller has not synced it yet.\n"
        ));
        return true;
    };
    if next.is_none() && notes.is_empty() {
        out.push(format!(
            "{subject}: nothing waits: {} of {} pods ready.\n",
            set.status.ready_replicas,
            set.replicas()
        ));
    }
    if let Some((_, w)) = &next {
        out.push(format!("{subject}: {w}\n"));
        follow_blocker(c, ns, w, out);
    }
    for w in &notes {
        out.push(format!("{subject}: {w}\n"));
        follow_blocker(c, ns, w, out);
    }
    true
}
