//! The cells `kubectl get` prints, computed as the API server's table printers do
//! (`pkg/printers/internalversion/printers.go`, k8s-behaviour.md 4.1–4.3). The view and kubectl share them.

use ordinal_engine::clock::Time;
use ordinal_engine::model::Pod;

/// `duration.HumanDuration` for a span in milliseconds that may be negative (a timestamp in the future).
pub(crate) fn human_duration_signed(ms: i64) -> String {
    if ms < -1000 {
        return "<invalid>".to_string();
    }
    human_duration(ms.max(0) as u64)
}

/// `duration.HumanDuration`.
pub fn human_duration(ms: u64) -> String {
    let s = ms / 1000;
    if s < 120 {
        return format!("{s}s");
    }
    let m = s / 60;
    if m < 10 {
        return if s.is_multiple_of(60) {
            format!("{m}m")
        } else {
            format!("{m}m{}s", s % 60)
        };
    }
    if m < 180 {
        return format!("{m}m");
    }
    let h = s / 3600;
    if h < 8 {
        return if m.is_multiple_of(60) {
            format!("{h}h")
        } else {
            format!("{h}h{}m", m % 60)
        };
    }
    if h < 48 {
        return format!("{h}h");
    }
    let d = h / 24;
    if h < 24 * 8 {
        return if h.is_multiple_of(24) {
            format!("{d}d")
        } else {
            format!("{d}d{}h", h % 24)
        };
    }
    if d < 365 * 2 {
        return format!("{d}d");
    }
    let y = d / 365;
    if y < 8 {
        return if d.is_multiple_of(365) {
            format!("{y}y")
        } else {
            format!("{y}y{}d", d % 365)
        };
    }
    format!("{y}y")
}

/// AGE of an object created at `created`, seen at `now`.
pub fn age(created: Option<Time>, now: Time) -> String {
    match created {
        Some(t) => human_duration_signed(now.millis() as i64 - t.millis() as i64),
        None => "<unknown>".to_string(),
    }
}

/// The READY, STATUS and RESTARTS cells of a pod row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodCells {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

/// `printPod`'s READY, STATUS and RESTARTS derivation (k8s-behaviour.md 4.2), as
/// pkg/printers/internalversion/printers.go `printPod` does it:
/// - a restartable (sidecar, `restartPolicy: Always`) init container counts in READY's total, and as ready
///   once started and ready;
/// - while the pod initializes, RESTARTS adds up every init container's restarts, and "ago" is the latest
///   `lastState.terminated.finishedAt` among them; once it is initialized, only sidecars' restarts and those of
///   the regular containers count, and "ago" is the latest of theirs.
pub fn pod_cells(pod: &Pod, now: Time) -> PodCells {
    let is_sidecar = |name: &str| {
        pod.spec
            .init_containers
            .iter()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let total = pod.spec.containers.len()
        + pod
            .spec
            .init_containers
            .iter()
            .filter(|c| c.restart_policy.as_deref() == Some("Always"))
            .count();
    let mut ready = 0;
    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut last_restart: Option<Time> = None;
    let mut last_sidecar_restart: Option<Time> = None;
    let mut reason = pod
        .status
        .reason
        .clone()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| pod.status.phase.clone());
    if pod
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".into();
    }
    let finished = |s: &ordinal_engine::model::pod::ContainerStatus| {
        s.last_state.terminated.as_ref().and_then(|t| t.finished_at)
    };

    let mut initializing = false;
    let n_init = pod.spec.init_containers.len();
    for (i, s) in pod.status.init_container_statuses.iter().enumerate() {
        restarts += s.restart_count;
        last_restart = last_restart.max(finished(s));
        let sidecar = is_sidecar(&s.name);
        if sidecar {
            sidecar_restarts += s.restart_count;
            last_sidecar_restart = last_sidecar_restart.max(finished(s));
        }
        if s.state
            .terminated
            .as_ref()
            .is_some_and(|t| t.exit_code == 0)
        {
            continue;
        }
        if sidecar && s.started == Some(true) {
            if s.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = &s.state.terminated {
            reason = match &t.reason {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(w) = s
            .state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{w}");
        } else {
            reason = format!("Init:{i}/{n_init}");
        }
        initializing = true;
        break;
    }
    let initialized = pod
        .condition("Initialized")
        .is_some_and(|c| c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for s in pod.status.container_statuses.iter().rev() {
            restarts += s.restart_count;
            last_restart = last_restart.max(finished(s));
            if let Some(w) = s
                .state
                .waiting
                .as_ref()
                .and_then(|w| w.reason.clone())
                .filter(|r| !r.is_empty())
            {
                reason = w;
            } else if let Some(t) = &s.state.terminated {
                reason = match &t.reason {
                    Some(r) if !r.is_empty() => r.clone(),
                    _ => format!("ExitCode:{}", t.exit_code),
                };
            } else if s.ready && s.state.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if pod.is_ready() {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        if pod.status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".into();
        } else if !pod.is_terminal() {
            reason = "Terminating".into();
        }
    }
    let restarts = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", age(Some(t), now)),
        _ => restarts.to_string(),
    };
    PodCells {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_boundaries() {
        let s = |n: u64| human_duration(n * 1000);
        assert_eq!(s(0), "0s");
        assert_eq!(s(119), "119s");
        assert_eq!(s(120), "2m");
        assert_eq!(s(123), "2m3s");
        assert_eq!(s(599), "9m59s");
        assert_eq!(s(600), "10m");
        assert_eq!(s(179 * 60), "179m");
        assert_eq!(s(180 * 60), "3h");
        assert_eq!(s(3 * 3600 + 600), "3h10m");
        assert_eq!(s(8 * 3600), "8h");
        assert_eq!(s(47 * 3600), "47h");
        assert_eq!(s(48 * 3600), "2d");
        assert_eq!(s(51 * 3600), "2d3h");
        assert_eq!(s(8 * 86400), "8d");
        assert_eq!(s(729 * 86400), "729d");
        assert_eq!(s(730 * 86400), "2y");
        assert_eq!(s(760 * 86400), "2y30d");
        assert_eq!(s(8 * 365 * 86400), "8y");
        assert_eq!(human_duration_signed(-500), "0s");
        assert_eq!(human_duration_signed(-1500), "<invalid>");
    }
}
