//! The timeline natively (the app's reducer has no browser in it): rewinding replays the recorded session on a
//! fresh cluster and reaches the very cluster and terminal the learner had at that moment; playing on from there
//! and going back to the present reach the very end of the session again. Random learner actions — buttons,
//! typed commands that wait on the clock, pasted lines, faults, ticks of any size, steps to the next Event —
//! then a rewind to a random moment.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::rc::Rc;

use ordinal_engine::model::Kind;
use ordinal_engine::Cluster;
use ordinal_web::state::{Action, AppState, Record, WEB_YAML};
use proptest::prelude::*;
use yew::Reducible;

/// Every object of the cluster as JSON, resourceVersions and all.
fn fingerprint(c: &Cluster) -> String {
    Kind::ALL
        .iter()
        .flat_map(|k| c.store().list_kind(*k, None))
        .map(|o| o.to_json().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a learner sees of a state: the clock, the cluster and the terminal's screen.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    now: u64,
    cluster: String,
    screen: String,
    yaml: String,
}

/// The first difference between two things seen, for a readable failure.
fn difference(a: &Seen, b: &Seen) -> Option<String> {
    if a.now != b.now {
        return Some(format!("time {} != {}", a.now, b.now));
    }
    for (what, x, y) in [
        ("cluster", &a.cluster, &b.cluster),
        ("screen", &a.screen, &b.screen),
        ("editor", &a.yaml, &b.yaml),
    ] {
        if let Some((l, r)) = x.lines().zip(y.lines()).find(|(l, r)| l != r) {
            return Some(format!("{what}:\n  {l}\n  {r}"));
        }
        if x.lines().count() != y.lines().count() {
            return Some(format!(
                "{what}: {} lines != {} lines",
                x.lines().count(),
                y.lines().count()
            ));
        }
    }
    None
}

fn seen(s: &AppState) -> Seen {
    let c = s.cluster.borrow();
    Seen {
        now: c.now().millis(),
        cluster: fingerprint(&c),
        screen: s.screen.lines.borrow().text(),
        yaml: s.yaml.clone(),
    }
}

/// Dispatches `a`, then works until nothing is left (natively a reduce already runs everything, save a rewind's
/// replay, which goes on in `Work` slices as in the page).
fn dispatch(s: Rc<AppState>, a: Action) -> Rc<AppState> {
    let mut s = s.reduce(a);
    for _ in 0..10_000 {
        if !s.working && !s.replaying() {
            break;
        }
        s = s.reduce(Action::Work);
    }
    assert!(!s.replaying(), "the replay ends");
    s
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        2 => Just(Action::Apply),
        2 => (-1..=1i32).prop_filter("a change", |d| *d != 0).prop_map(Action::Scale),
        1 => (0..3).prop_map(|o| Action::DeletePod(format!("web-{o}"))),
        4 => (250..6_000u64).prop_map(Action::Tick),
        1 => Just(Action::Advance(5_000)),
        1 => Just(Action::StepToEvent),
        1 => Just(Action::Run("kubectl get pods".into())),
        1 => Just(Action::Run("sleep 3; kubectl scale sts web --replicas=3".into())),
        1 => Just(Action::Run("kubectl get pods -w".into())),
        1 => Just(Action::Interrupt(String::new())),
        1 => Just(Action::Paste {
            before: String::new(),
            text: "sleep 2\nkubectl delete pod web-0 --wait=false\n".into(),
            after: String::new(),
        }),
        1 => (0..2, any::<bool>()).prop_map(|(o, b)| Action::BreakReadiness(format!("web-{o}"), b)),
        1 => Just(Action::Edit(WEB_YAML.replace("replicas: 2", "replicas: 4"))),
        1 => any::<bool>().prop_map(|on| Action::Cordon("kind-worker".into(), on)),
        1 => any::<bool>().prop_map(|up| Action::NodeReady("kind-worker2".into(), up)),
        1 => Just(Action::Reset),
        1 => Just(Action::NewFile),
        1 => Just(Action::OpenFile("web.yaml".into())),
        1 => Just(Action::Run("kubectl get pods -o yaml > pods.yaml".into())),
        1 => Just(Action::OpenFile("pods.yaml".into())),
        1 => Just(Action::PutFile("notes.yaml".into(), "# a lesson's file\n".into())),
        1 => Just(Action::CatchUp(0, 2)),
    ]
}

/// Runs `actions` live, keeping what was seen at the end of each instant the clock then left. With `slices`,
/// as the page runs them: each reducer call stops after that many engine calls, and after each action only
/// `waits[i]` slices run before the next action comes, in the middle of the work.
fn live(actions: &[Action], slices: Option<(usize, &[u8])>) -> (Rc<AppState>, Vec<Seen>) {
    let mut first = AppState::new(WEB_YAML.to_string(), true);
    first.calls_per_slice = slices.map(|(n, _)| n);
    let mut s = Rc::new(first);
    let mut moments: Vec<Seen> = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        // What the learner did at this instant: a moment kept here was before it (a catch-up does things at this
        // instant and then moves the clock on).
        let then = s.cluster.borrow().now().millis();
        let acts_then = |s: &AppState| {
            s.journal
                .entries()
                .iter()
                .filter(|e| e.at_ms == then && matches!(e.record, Record::Did(_)))
                .count()
        };
        let before = acts_then(&s);
        s = match slices {
            None => dispatch(s, a.clone()),
            Some((_, waits)) => {
                let mut s = s.reduce(a.clone());
                for _ in 0..waits.get(i).copied().unwrap_or(0) {
                    s = s.reduce(Action::Work);
                }
                s
            }
        };
        if acts_then(&s) > before && moments.last().is_some_and(|m| m.now == then) {
            moments.pop();
        }
        // A reset starts the clock again: the timeline shows the session since.
        if *a == Action::Reset {
            moments.clear();
        }
        // Still working (the action lands at this instant once the work is done), or a step stopped in the
        // middle of an instant: only settled moments are compared. A moment kept at this instant was before
        // what happened since, and a rewind to the instant comes after everything done in it.
        if s.working || s.cluster.borrow().busy() {
            let now = s.cluster.borrow().now().millis();
            if moments.last().is_some_and(|m| m.now == now) {
                moments.pop();
            }
            continue;
        }
        let now = seen(&s);
        // Several actions at one instant: the moment is after the last of them.
        if moments.last().is_some_and(|m| m.now == now.now) {
            moments.pop();
        }
        moments.push(now);
    }
    // What is left of the work, and of a step that stopped in the middle of an instant: the rest of its move
    // of the clock, as recorded (the clock moves no further).
    let mut s = dispatch(s, Action::Advance(0));
    if let Some(state) = Rc::get_mut(&mut s) {
        state.calls_per_slice = None;
    }
    let s = dispatch(s, Action::Advance(0));
    (s, moments)
}

/// A session kept and read back, rebuilt on a fresh page: the very state it was.
fn reloaded(s: &AppState) -> Rc<AppState> {
    let text = ordinal_web::session::encode(&s.saved());
    let saved =
        ordinal_web::session::decode(&text).expect("a session this version wrote reads back");
    let mut fresh = AppState::new("# another first text".to_string(), true);
    fresh.restore(saved);
    let mut fresh = Rc::new(fresh);
    for _ in 0..100_000 {
        if !fresh.working && !fresh.replaying() {
            break;
        }
        fresh = fresh.reduce(Action::Work);
    }
    fresh
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x7137_0002),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_session_kept_and_reloaded_is_the_very_session(
        actions in proptest::collection::vec(action(), 1..30),
    ) {
        let (end, _) = live(&actions, None);
        let before = seen(&end);
        let again = reloaded(&end);
        prop_assert_eq!(difference(&seen(&again), &before), None);
        prop_assert_eq!(again.saved(), end.saved());
    }
}

#[test]
fn a_session_that_is_not_one_is_refused_with_a_reason() {
    use ordinal_web::session::decode;
    let mut s = Rc::new(AppState::new(WEB_YAML.to_string(), true));
    s = dispatch(s, Action::Apply);
    s = dispatch(s, Action::Advance(5_000));
    let text = ordinal_web::session::encode(&s.saved());
    let refused = |t: &str| decode(t).expect_err("refused");
    assert!(
        refused(&text[..text.len() / 2]).contains("cut short"),
        "{}",
        refused(&text[..text.len() / 2])
    );
    assert!(refused("<script>alert(1)</script>").starts_with("it is not a saved Ordinal session"));
    assert_eq!(
        refused(&text.replacen("\"format\":1", "\"format\":7", 1)),
        "it was saved by another version of Ordinal (format 7; this version reads format 1)"
    );
    assert_eq!(
        refused(&text.replacen("\"Apply\"", "{\"Scale\":100000}", 1)),
        "entry 1 scales by more than the buttons do"
    );
    assert_eq!(
        refused(&text.replacen("\"Apply\"", "{\"Rewind\":0}", 1)),
        "entry 1 is not something a session records"
    );
    assert_eq!(
        refused(&text.replacen("{\"Clock\":", "{\"Clock\":99999999", 1)),
        "entry 2 moves the clock more than an hour at once"
    );
    let mut saved = s.saved();
    saved.entries[0].at_ms = 9_000;
    assert_eq!(
        refused(&ordinal_web::session::encode(&saved)),
        "entry 2 goes back in time"
    );
    // What it refuses leaves the page as it was: nothing was replayed.
    assert!(decode(&text).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x7137_0001),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_rewind_reaches_the_very_moment_and_the_present_again(
        actions in proptest::collection::vec(action(), 1..30),
        pick in any::<prop::sample::Index>(),
        sliced in proptest::option::of((1..40usize, proptest::collection::vec(0..4u8, 30))),
    ) {
        let (end, moments) = live(&actions, sliced.as_ref().map(|(n, w)| (*n, w.as_slice())));
        let last = seen(&end);
        prop_assume!(!moments.is_empty());
        let moment = &moments[pick.index(moments.len())];
        // Back to that moment: the very same cluster, screen and editor.
        // (States share the one cluster, as the page's do: each check goes on from the one before.)
        let past = dispatch(end, Action::Rewind(moment.now));
        let is_last = std::ptr::eq(moment, moments.last().unwrap());
        prop_assert!(past.future.is_some() || is_last, "looking at the past");
        prop_assert_eq!(difference(&seen(&past), moment), None);
        // Back to the present: the very end of the session.
        let present = dispatch(past, Action::BackToPresent);
        prop_assert!(present.future.is_none());
        prop_assert_eq!(difference(&seen(&present), &last), None);
        // Or play on from the past: the recorded actions come again as their time comes.
        let mut played = dispatch(present, Action::Rewind(moment.now));
        for _ in 0..100_000 {
            if played.future.is_none() {
                break;
            }
            played = dispatch(played, Action::Tick(1_000));
        }
        prop_assert!(played.future.is_none(), "playing on reaches the present");
        let played = seen(&played);
        prop_assert_eq!(difference(&Seen { screen: String::new(), ..played }, &Seen { screen: String::new(), ..last }), None);
    }
}

#[test]
fn rewinding_before_a_scale_up_and_playing_again_brings_the_same_pods_in_the_same_order() {
    let mut s = Rc::new(AppState::new(WEB_YAML.to_string(), true));
    s = dispatch(s, Action::Apply);
    for _ in 0..30 {
        s = dispatch(s, Action::Tick(1_000));
    }
    let before_scale = s.cluster.borrow().now().millis();
    let cursor = s.cluster.borrow().store().cursor();
    s = dispatch(s, Action::Scale(1));
    s = dispatch(s, Action::Scale(1));
    for _ in 0..60 {
        s = dispatch(s, Action::Tick(1_000));
    }
    let added = |s: &AppState, from: u64| -> Vec<(String, u64)> {
        let c = s.cluster.borrow();
        c.store()
            .events_since(from)
            .filter(|e| e.object.kind() == Kind::Pod)
            .filter(|e| e.type_ == ordinal_engine::store::WatchEventType::Added)
            .map(|e| (e.object.meta().name.clone(), e.time.millis()))
            .collect()
    };
    let live_order = added(&s, cursor);
    assert_eq!(
        live_order
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["web-2", "web-3"]
    );
    // Back to just before the scale-up: two pods, then the same two arrive again, at the same times.
    let mut past = dispatch(s, Action::Rewind(before_scale.saturating_sub(1)));
    {
        let c = past.cluster.borrow();
        assert!(c
            .store()
            .get_typed::<ordinal_engine::model::Pod>("default", "web-2")
            .is_none());
    }
    let replay_from = past.cluster.borrow().store().cursor();
    while past.future.is_some() {
        past = dispatch(past, Action::Tick(1_000));
    }
    assert_eq!(added(&past, replay_from), live_order);
}

#[test]
fn a_link_into_the_middle_of_a_lesson_catches_up_exactly_and_replays_the_same() {
    let mut s = Rc::new(AppState::new(WEB_YAML.to_string(), true));
    let lessons = ordinal_web::state::lessons();
    let mysql = lessons.iter().position(|l| l.id == "mysql").unwrap();
    let drain = lessons[mysql]
        .steps
        .iter()
        .position(|st| st.id == "drain")
        .unwrap();
    s = dispatch(s, Action::LessonAt("mysql".into(), drain));
    assert_eq!(
        s.lesson.as_ref().map(|p| (p.lesson, p.step, p.done)),
        Some((mysql, drain, false))
    );
    s = dispatch(s, Action::Advance(1_000));
    let start = s.cluster.borrow().now().millis();
    s = dispatch(s, Action::CatchUp(mysql, drain));
    // Every step before the drain is done, in the learner's own cluster and history; the drain is not.
    let progress = s.progress.get("mysql").unwrap();
    for step in &lessons[mysql].steps[..drain] {
        assert!(progress.done.contains(&step.id), "{} is done", step.id);
    }
    assert!(
        !s.lesson.as_ref().unwrap().done,
        "the drain waits for the learner"
    );
    let ready = |s: &AppState| {
        let c = s.cluster.borrow();
        c.store()
            .list::<ordinal_engine::model::Pod>(Some("default"))
            .filter(|p| p.metadata.name.starts_with("mysql-"))
            .count()
    };
    assert_eq!(ready(&s), 3);
    assert!(s.screen.lines.borrow().text().contains("$ kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml\nconfigmap/mysql created"));
    // The catch-up is part of the recorded session: rewound and played back, the cluster is the same.
    let end = seen(&s);
    let mut past = dispatch(s, Action::Rewind(start - 1));
    assert_eq!(ready(&past), 0);
    past = dispatch(past, Action::BackToPresent);
    let again = seen(&past);
    assert_eq!(
        difference(
            &Seen {
                screen: String::new(),
                ..again
            },
            &Seen {
                screen: String::new(),
                ..end
            }
        ),
        None
    );
}

#[test]
fn the_terminal_greets_in_the_learners_language_until_the_learner_types() {
    let text = |s: &AppState| s.screen.lines.borrow().text();
    let mut s = Rc::new(AppState::new(WEB_YAML.to_string(), true));
    assert!(text(&s).starts_with("# bash and kubectl, connected to the simulated cluster."));
    s = dispatch(s, Action::SetLanguage("ja".into()));
    assert!(text(&s).starts_with("# bash と kubectl が"), "{}", text(&s));
    s = dispatch(s, Action::SetLanguage("ko".into()));
    assert!(text(&s).starts_with("# bash와 kubectl이"), "{}", text(&s));
    // The playground's own notes follow the language; what kubectl prints does not.
    s = dispatch(s, Action::Delete);
    assert!(
        text(&s).contains("# 삭제할 StatefulSet이 없습니다."),
        "{}",
        text(&s)
    );
    s = dispatch(s, Action::Apply);
    assert!(text(&s).contains("statefulset.apps/web created"));
    s = dispatch(s, Action::SetLanguage("en".into()));
    assert!(
        text(&s).starts_with("# bash와 kubectl이"),
        "what is on the screen stays as it was written"
    );
}
