//! The explanations of why things wait, in the interface's languages, natively: the app is driven as a learner
//! drives it (Apply, kubectl lines, the fault buttons, the clock) through stories that make the engine give each
//! kind of answer; every answer the cluster view would show, and every volume's, is then worded in each
//! language. English must be exactly what the terminal's `why` prints (`Display`); Japanese, Traditional
//! Chinese and Korean must be their own words, naming the same objects.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::rc::Rc;

use ordinal_engine::model::PersistentVolume;
use ordinal_engine::why::{self, PodState, Why};
use ordinal_web::state::{Action, AppState, WEB_YAML};
use ordinal_web::why_text;
use yew::Reducible;

const LANGS: [&str; 3] = ["ja", "zh-TW", "ko"];

/// The tutorial's set with a readiness probe (so the probe can be broken) and an init container.
const PROBED: &str = "apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
    name: web
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      initContainers:
      - name: prepare
        image: busybox:1.36
        command: [sh, -c, 'sleep 3']
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
        readinessProbe:
          tcpSocket:
            port: 80
          periodSeconds: 2
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
";

/// Every answer the cluster view shows now (the sets' next slots and notes, the pods', the claims'), and every
/// volume's.
fn answers(s: &AppState) -> Vec<Why> {
    let snap = &s.snapshot;
    let mut out = Vec::new();
    for set in &snap.sets {
        out.extend(set.next.iter().map(|(_, w)| w.clone()));
        out.extend(set.notes.iter().cloned());
        for slot in &set.slots {
            out.extend(slot.pod.iter().flat_map(|p| p.why.iter().cloned()));
            out.extend(slot.claims.iter().flat_map(|c| c.why.iter().cloned()));
        }
    }
    for pod in snap.other_pods.iter().chain(
        snap.workloads
            .iter()
            .flat_map(|w| w.groups.iter().flat_map(|g| g.pods.iter())),
    ) {
        out.extend(pod.why.iter().cloned());
    }
    let c = s.cluster.borrow();
    for pv in c.store().list::<PersistentVolume>(None) {
        out.extend(why::volume(&c, &pv.metadata.name));
    }
    out
}

/// A learner's session, keeping every answer seen on the way.
struct Session {
    s: Rc<AppState>,
    seen: Vec<Why>,
}

impl Session {
    fn new() -> Session {
        Session {
            s: Rc::new(AppState::new(WEB_YAML.to_string(), true)),
            seen: Vec::new(),
        }
    }

    fn look(&mut self) {
        for w in answers(&self.s) {
            if !self.seen.contains(&w) {
                self.seen.push(w);
            }
        }
    }

    fn act(&mut self, a: Action) {
        let mut s = self.s.clone().reduce(a);
        for _ in 0..10_000 {
            if !s.working {
                break;
            }
            s = s.reduce(Action::Work);
        }
        self.s = s;
        self.look();
    }

    fn run(&mut self, line: &str) {
        self.act(Action::Run(line.to_string()));
    }

    /// Puts `yaml` in the editor and presses Apply.
    fn apply(&mut self, yaml: &str) {
        self.act(Action::Edit(yaml.to_string()));
        self.act(Action::Apply);
    }

    /// Lets the clock run `seconds`, looking at the screen every second.
    fn wait(&mut self, seconds: u32) {
        for _ in 0..seconds {
            self.act(Action::Advance(1_000));
        }
    }
}

/// The stories: the tutorial's ordered start, scaling down and up, a rolling update with a partition, OnDelete,
/// minReadySeconds, faults (a broken readiness probe, a crashing container, a node that stops answering, an image
/// that cannot be pulled), a claim whose class does not exist, a kept volume.
fn stories() -> Vec<Why> {
    let mut l = Session::new();
    l.act(Action::Apply);
    l.wait(40);
    l.run("kubectl scale sts web --replicas=4");
    l.wait(40);
    l.run("kubectl scale sts web --replicas=1");
    l.wait(40);
    l.run("kubectl scale sts web --replicas=3");
    l.wait(40);
    l.run(
        "kubectl patch statefulset web -p '{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}}}'",
    );
    l.run("kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:0.24");
    l.wait(40);
    l.run("kubectl patch statefulset web -p '{\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\",\"rollingUpdate\":null}}}'");
    l.run("kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:0.26");
    l.wait(10);
    l.run("kubectl patch statefulset web -p '{\"spec\":{\"minReadySeconds\":10}}'");
    l.run("kubectl delete pod web-2 web-1 web-0");
    l.wait(60);
    l.run("kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:9.99");
    l.run("kubectl delete pod web-2");
    l.wait(30);
    l.act(Action::Crash("web-1".into(), true));
    l.wait(60);
    l.act(Action::Crash("web-1".into(), false));
    l.run("kubectl delete sts web --cascade=orphan");
    l.run("kubectl delete pod web-0 web-1 web-2");
    l.wait(30);
    // The probe can be broken, and an init container runs first.
    l.apply(PROBED);
    l.wait(60);
    l.act(Action::BreakReadiness("web-0".into(), true));
    l.wait(10);
    l.run("kubectl scale sts web --replicas=5");
    l.wait(10);
    l.run("kubectl scale sts web --replicas=1");
    l.wait(20);
    l.act(Action::BreakReadiness("web-0".into(), false));
    l.wait(60);
    // A node that stops answering keeps its pods Terminating.
    let node =
        l.s.snapshot
            .sets
            .iter()
            .flat_map(|s| s.slots.iter())
            .find_map(|s| s.pod.as_ref().map(|p| p.node.clone()))
            .expect("web-0 runs on a node");
    l.act(Action::NodeReady(node.clone(), false));
    l.wait(5);
    l.run("kubectl delete pod web-0 --wait=false");
    l.wait(20);
    l.act(Action::NodeReady(node, true));
    l.wait(30);
    // The claims stay, and a volume kept by Retain says so once its claim is gone.
    l.run("kubectl delete sts web");
    l.wait(30);
    l.run(
        "for pv in $(kubectl get pv -o name); do kubectl patch $pv -p '{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\"}}'; done",
    );
    l.run("kubectl delete pvc --all --wait=false");
    l.wait(30);
    // A class that does not exist.
    l.apply(
        &PROBED
            .replace(
                "      accessModes: [ReadWriteOnce]",
                "      storageClassName: fast\n      accessModes: [ReadWriteOnce]",
            )
            .replace(
                "name: web\nspec:\n  serviceName",
                "name: db\nspec:\n  serviceName",
            ),
    );
    l.wait(30);
    l.seen
}

/// The names of objects in an English answer: words with a letter, a digit and a hyphen (web-0, www-web-1).
fn names(english: &str) -> Vec<&str> {
    english
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| {
            w.contains('-')
                && w.chars().any(|c| c.is_ascii_digit())
                && w.chars().any(|c| c.is_ascii_alphabetic())
        })
        .collect()
}

fn kind(w: &Why) -> String {
    let debug = format!("{w:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_answer_the_screen_shows_is_worded_in_each_language() {
    let seen = stories();
    let kinds: std::collections::BTreeSet<String> = seen.iter().map(kind).collect();
    for expected in [
        "WaitsForPredecessor",
        "ScaleDownAfterTerminating",
        "ScaleDownWaitsForHealthy",
        "UpdateNext",
        "PartitionKeeps",
        "OnDeleteWaits",
        "WaitsForVolumes",
        "ContainerWaiting",
        "InitRunning",
        "NotReady",
        "NotAvailableYet",
        "Terminating",
        "ClaimKept",
        "ClassMissing",
        "Unschedulable",
        "VolumeReleased",
    ] {
        assert!(kinds.contains(expected), "no {expected} among {kinds:?}");
    }
    for w in &seen {
        let english = w.to_string();
        assert_eq!(why_text::why("en", w), english, "{w:?}");
        for lang in LANGS {
            let text = why_text::why(lang, w);
            assert!(!text.is_empty(), "{lang} {w:?}");
            assert_ne!(text, english, "{lang} is still English: {w:?}");
            for name in names(&english) {
                assert!(
                    text.contains(name),
                    "{lang} lost {name}: {text}\n(en: {english})"
                );
            }
        }
    }
}

#[test]
fn pod_states_are_worded_in_each_language() {
    let states = [
        PodState::Missing,
        PodState::Pending("Pending".into()),
        PodState::Pending("ContainerCreating".into()),
        PodState::NotReady,
        PodState::NotAvailable {
            left_ms: 4_200,
            min_ready_seconds: 10,
        },
        PodState::Terminating,
        PodState::Ready,
        PodState::Finished("Failed".into()),
    ];
    for s in &states {
        assert_eq!(why_text::pod_state("en", s), s.to_string());
        for lang in LANGS {
            let text = why_text::pod_state(lang, s);
            assert!(!text.is_empty() && text != s.to_string(), "{lang} {s:?}");
        }
    }
    // Seconds are counted as English counts them: 4.2 s left is 5 s.
    assert!(why_text::pod_state("ja", &states[4]).contains("残り 5 秒"));
    assert!(why_text::pod_state("zh-TW", &states[4]).contains("還剩 5 秒"));
    assert!(why_text::pod_state("ko", &states[4]).contains("5초 남음"));
}

/// The "next slot" text of the tutorial's first minutes, in each language, as a learner reads it.
#[test]
fn the_next_slot_reads_naturally() {
    let w = Why::WaitsForPredecessor {
        pod: "web-1".into(),
        blocker: "web-0".into(),
        state: PodState::Pending("ContainerCreating".into()),
    };
    assert_eq!(
        why_text::why("en", &w),
        "web-1 waits: web-0 is Pending (ContainerCreating). OrderedReady creates each pod only when the one before it is Running and Ready."
    );
    assert_eq!(
        why_text::why("ja", &w),
        "web-1 は待機中です: web-0 は Pending (ContainerCreating) です。OrderedReady では、1 つ前の Pod が Running かつ Ready になってから次の Pod を作成します。"
    );
    assert_eq!(
        why_text::why("zh-TW", &w),
        "web-1 正在等待：web-0 處於 Pending（ContainerCreating）。在 OrderedReady 下，前一個 Pod 進入 Running 且 Ready 之後，才會建立下一個 Pod。"
    );
    assert_eq!(
        why_text::why("ko", &w),
        "web-1은 대기 중입니다: web-0이 Pending(ContainerCreating) 상태입니다. OrderedReady에서는 앞 Pod가 Running이면서 Ready가 되어야 다음 Pod를 만듭니다."
    );
    // Korean particles follow how the name is read: web-2가, web-10이; a name read unknown gets both.
    let w = Why::ScaleDownAfterTerminating {
        pod: "web-2".into(),
        blocker: "web-3".into(),
    };
    assert!(why_text::why("ko", &w).contains("web-2를 제거"));
    let w = Why::ClaimKept {
        pod: "db-x".into(),
        set: "db".into(),
    };
    assert!(why_text::why("ko", &w).starts_with("유지됨: db-x은(는) 사라졌지만"));
    // Any other language is English.
    assert_eq!(why_text::why("fr", &w), w.to_string());
}

/// One answer of each kind the stories above do not reach, as the engine would give them.
fn the_rest() -> Vec<Why> {
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        Why::WaitsForRecreate {
            pod: "web-2".into(),
            blocker: "web-1".into(),
        },
        Why::WaitsForStaleClaim {
            pod: "web-1".into(),
            claims: names(&["www-web-1", "data-web-1"]),
        },
        Why::SetDeleting { set: "web".into() },
        Why::UpdateNext {
            pod: "web-1".into(),
            revision: "web-7d4b9c8f6".into(),
            blocker: Some(("web-2".into(), PodState::Missing)),
            max_unavailable: 2,
        },
        Why::UpdateNext {
            pod: "web-1".into(),
            revision: "web-7d4b9c8f6".into(),
            blocker: None,
            max_unavailable: 1,
        },
        Why::PartitionKeeps {
            partition: 2,
            kept: names(&["web-1", "web-0"]),
            revision: "web-7d4b9c8f6".into(),
        },
        Why::NotScheduledYet,
        Why::ContainerWaiting {
            node: "kind-worker".into(),
            container: "mysql".into(),
            reason: "CreateContainerConfigError".into(),
            message: Some("secret \"mysql-pass\" not found".into()),
        },
        Why::Terminating {
            left_ms: 0,
            grace_seconds: 30,
            node_down: None,
        },
        Why::Finished {
            phase: "Failed".into(),
            reason: Some("DeadlineExceeded".into()),
        },
        Why::Finished {
            phase: "Succeeded".into(),
            reason: None,
        },
        Why::WaitsForConsumer {
            class: "standard".into(),
            pods: Vec::new(),
        },
        Why::WaitsForConsumer {
            class: "standard".into(),
            pods: names(&["web-0"]),
        },
        Why::NoVolume,
        Why::ControllerSays {
            reason: "FailedBinding".into(),
            message: "volume \"pv-1\" already bound to a different claim.".into(),
        },
        Why::ClaimInUse {
            pods: names(&["web-0"]),
        },
        Why::ClaimLost {
            volume: "pvc-3f2a9c1e-0b7d-4e55-9a1c-2d8e6f4b7a10".into(),
        },
        Why::VolumeAvailable,
    ]
}

#[test]
fn every_other_kind_is_worded_in_each_language() {
    for w in &the_rest() {
        let english = w.to_string();
        assert_eq!(why_text::why("en", w), english);
        for lang in LANGS {
            let text = why_text::why(lang, w);
            assert!(!text.is_empty(), "{lang} {w:?}");
            assert_ne!(text, english, "{lang} is still English: {w:?}");
            for name in names(&english) {
                assert!(
                    text.contains(name),
                    "{lang} lost {name}: {text}\n(en: {english})"
                );
            }
        }
    }
}
