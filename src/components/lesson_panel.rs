//! The lesson beside the editor and the cluster: the list of lessons, and a lesson's step — its explanation in
//! the learner's language, a note where today's Kubernetes differs from the learner's tutorial, the file to open
//! and the command to type (a click puts it on the terminal's line), the goal drawn small beside the live
//! cluster, a hint and then "Show me" (which performs the step in the terminal), and whether the cluster shows
//! the step done — checked by the lesson's own script, as a teacher would check by hand.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{t, t_n};
use crate::snapshot::Snapshot;
use crate::state::{lesson_errors, lessons, Action, LessonPos, LessonProgress, Progress};

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub pos: LessonPos,
    pub language: AttrValue,
    pub on_action: Callback<Action>,
    pub progress: LessonProgress,
    /// The learner's cluster, to hold the goal against.
    pub live: Snapshot,
    /// The earlier steps are being done for the learner.
    #[prop_or_default]
    pub catching_up: bool,
}

/// The way back to the list of lessons and the close button, at the top of the panel (the language is the
/// toolbar's).
fn head(lang: &str, act: &Callback<Action>, back: bool) -> Html {
    html! {
        <div class="lesson-head">
            if back {
                <button class="quiet mini" id="lesson-list" onclick={act.reform(|_| Action::OpenLesson(None))}>{"← "}{t(lang, "all-lessons")}</button>
            }
            <button class="quiet mini" id="lesson-close" onclick={act.reform(|_| Action::CloseLessons)}>{t(lang, "close")}</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonListProps {
    pub language: AttrValue,
    pub on_action: Callback<Action>,
    pub progress: Progress,
}

/// Every lesson, in the order a class takes them, with how far the learner got; and, for a course author, the
/// lesson files that could not be read.
#[component(LessonList)]
pub fn lesson_list(p: &LessonListProps) -> Html {
    let lang = p.language.as_str();
    let act = &p.on_action;
    html! {
        <aside class="lesson card" id="lesson" aria-label={t(lang, "lessons")} lang={lang.to_string()}>
            { head(lang, act, false) }
            <h2 class="lesson-title">{t(lang, "lessons")}</h2>
            <ol class="lesson-list">
                { for lessons().iter().enumerate().map(|(i, l)| {
                    let progress = p.progress.get(&l.id);
                    let state = match progress {
                        Some(pr) if pr.finished(l) => Some(("finished", t(lang, "lesson-done"))),
                        Some(pr) if !pr.done.is_empty() || pr.step > 0 => Some(("started", t(lang, "lesson-started"))),
                        _ => None,
                    };
                    html! {
                        <li>
                            <button class="lesson-choice" data-lesson={l.id.clone()} onclick={act.reform(move |_| Action::OpenLesson(Some(i)))}>
                                <span class="lesson-name">{l.title.get(lang)}</span>
                                <span class="lesson-meta">
                                    {t_n(lang, "steps-count", l.steps.len())}
                                    if let Some((class, words)) = state {
                                        {" · "}<span class={class}>{words}</span>
                                    }
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if !lesson_errors().is_empty() {
                <div class="lesson-errors" role="alert">
                    <p>{t(lang, "lesson-unreadable")}</p>
                    <ul>{ for lesson_errors().iter().map(|e| html! { <li><code>{e.to_string()}</code></li> }) }</ul>
                </div>
            }
        </aside>
    }
}

thread_local! {
    /// The goals worked out so far, by lesson and step: each is the lesson played on a cluster of its own.
    static GOALS: RefCell<BTreeMap<(usize, usize), Rc<Snapshot>>> = RefCell::default();
}

/// The cluster as it is when the lesson's steps up to `step` are done, in the namespace the learner would be in.
fn goal(lesson: usize, step: usize) -> Rc<Snapshot> {
    if let Some(g) = GOALS.with(|g| g.borrow().get(&(lesson, step)).cloned()) {
        return g;
    }
    let (c, learner) = ordinal_lessons::play_to(&lessons()[lesson], step);
    let namespace = ordinal_term::complete::kubectl_namespace(&learner);
    let snapshot = Rc::new(Snapshot::read(&c, &namespace));
    GOALS.with(|g| g.borrow_mut().insert((lesson, step), Rc::clone(&snapshot)));
    snapshot
}

/// One thing the goal has, and whether the learner's cluster has it too.
fn chip(text: String, ok: bool, met: bool, lang: &str) -> Html {
    let title = t(lang, if met { "goal-met" } else { "goal-missing" });
    html! {
        <li class={classes!("goal-chip", if ok { "ok" } else { "wait" }, met.then_some("met"))} title={title}>
            <span aria-hidden="true">{if met { "✓ " } else { "" }}</span>{text}
            <span class="sr-only">{format!(" ({title})")}</span>
        </li>
    }
}

/// The goal drawn small: the sets with their pods and claims, the other workloads, the Services; each marked
/// where the learner's cluster already matches it.
fn goal_picture(goal: &Snapshot, live: &Snapshot, lang: &str) -> Html {
    let live_pod = |name: &str| {
        live.sets
            .iter()
            .flat_map(|s| s.slots.iter().filter_map(|sl| sl.pod.as_ref()))
            .chain(
                live.workloads
                    .iter()
                    .flat_map(|w| w.groups.iter().flat_map(|g| g.pods.iter())),
            )
            .chain(live.other_pods.iter())
            .find(|p| p.name == name)
            .map(|p| (p.status.clone(), p.ready.clone()))
    };
    let live_claim = |name: &str| {
        live.sets
            .iter()
            .flat_map(|s| s.slots.iter().flat_map(|sl| sl.claims.iter()))
            .find(|c| c.name == name)
            .map(|c| c.status.clone())
    };
    let empty = goal.sets.is_empty()
        && goal.workloads.is_empty()
        && goal.services.iter().all(|svc| svc.name == "kubernetes");
    html! {
        <div class="goal-picture">
            if empty {
                <p class="goal-empty">{t(lang, "goal-empty")}</p>
            }
            { for goal.sets.iter().map(|set| html! {
                <div class="goal-row">
                    <span class="goal-kind">{format!("StatefulSet {} · {}", set.name, set.ready)}</span>
                    <ul class="goal-chips">
                        { for set.slots.iter().filter_map(|sl| sl.pod.as_ref()).map(|pod| {
                            let ok = pod.status == "Running" && pod.ready.split('/').next() == pod.ready.split('/').nth(1);
                            let met = live_pod(&pod.name) == Some((pod.status.clone(), pod.ready.clone()));
                            chip(format!("{} {}", pod.name, pod.status), ok, met, lang)
                        }) }
                        { for set.slots.iter().flat_map(|sl| sl.claims.iter()).map(|claim| {
                            let met = live_claim(&claim.name).as_deref() == Some(claim.status.as_str());
                            chip(format!("{} {}", claim.name, claim.status), claim.status == "Bound", met, lang)
                        }) }
                    </ul>
                </div>
            }) }
            { for goal.workloads.iter().map(|w| {
                let pods: usize = w.groups.iter().map(|g| g.pods.len() + g.more).sum();
                let live_pods: Option<usize> = live
                    .workloads
                    .iter()
                    .find(|l| l.kind == w.kind && l.name == w.name)
                    .map(|l| l.groups.iter().map(|g| g.pods.len() + g.more).sum());
                html! {
                    <div class="goal-row">
                        <ul class="goal-chips">
                            { chip(format!("{} {} · {pods} Pod", w.kind, w.name), true, live_pods == Some(pods), lang) }
                        </ul>
                    </div>
                }
            }) }
            if goal.services.iter().any(|svc| svc.name != "kubernetes") {
                <div class="goal-row">
                    <span class="goal-kind">{"Service"}</span>
                    <ul class="goal-chips">
                        { for goal.services.iter().filter(|svc| svc.name != "kubernetes").map(|svc| {
                            let met = live.services.iter().any(|l| l.name == svc.name && l.type_ == svc.type_);
                            chip(format!("{} ({})", svc.name, svc.type_), true, met, lang)
                        }) }
                    </ul>
                </div>
            }
        </div>
    }
}

#[component(LessonPanel)]
pub fn lesson_panel(p: &LessonPanelProps) -> Html {
    let goal_open = use_state(|| false);
    // A step that brings a file opens it in the editor when the learner comes to it (its text speaks of "the
    // editor"), unless the step is done already: coming back to it leaves the learner's edits alone.
    {
        let step = lessons()
            .get(p.pos.lesson)
            .and_then(|l| l.steps.get(p.pos.step));
        let file = step
            .filter(|s| !p.progress.done.contains(&s.id))
            .and_then(|s| s.file.clone());
        let act = p.on_action.clone();
        use_effect_with((p.pos.lesson, p.pos.step), move |_| {
            if let Some(f) = file {
                act.emit(Action::PutFile(f.name, f.content));
            }
        });
    }
    let Some(lesson) = lessons().get(p.pos.lesson) else {
        return Html::default();
    };
    let lang = p.language.as_str();
    let Some(step) = lesson.steps.get(p.pos.step) else {
        return Html::default();
    };
    let act = p.on_action.clone();
    let go = |to: usize| act.reform(move |_: MouseEvent| Action::LessonStep(to));
    let file = step.file.clone();
    let open_file = file.clone().map(|f| {
        act.reform(move |_: MouseEvent| Action::PutFile(f.name.clone(), f.content.clone()))
    });
    // "Show me" does the step as it is written: the file into the editor, then its lines in the terminal, as if
    // pasted: each runs when the one before it has finished (a watch, until Ctrl+C, which drops the rest).
    let show = {
        let act = act.clone();
        let lines = step.run.as_deref().map(|r| format!("{}\n", r.trim_end()));
        Callback::from(move |_: MouseEvent| {
            if let Some(f) = &file {
                act.emit(Action::PutFile(f.name.clone(), f.content.clone()));
            }
            if let Some(text) = &lines {
                act.emit(Action::Paste {
                    before: String::new(),
                    text: text.clone(),
                    after: String::new(),
                });
            }
        })
    };
    let on_goal = {
        let goal_open = goal_open.clone();
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            if let Some(d) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
            {
                goal_open.set(d.open());
            }
        })
    };
    let last = p.pos.step + 1 == lesson.steps.len();
    let finished = p.progress.finished(lesson);
    let next_lesson = lessons().get(p.pos.lesson + 1);
    let part = lesson
        .part_of(p.pos.step)
        .filter(|part| !part.id.is_empty());
    let part_no = lesson
        .parts
        .iter()
        .position(|x| Some(x) == part)
        .map_or(0, |i| i + 1);
    // The step buttons are the current part's (a lesson of several parts has a button for each part too).
    let part_first = lesson.part_of(p.pos.step).map_or(0, |x| x.first);
    let part_end = lesson
        .parts
        .iter()
        .find(|x| x.first > p.pos.step)
        .map_or(lesson.steps.len(), |x| x.first);
    html! {
        <aside class="lesson card" id="lesson" aria-label={lesson.title.get(lang).to_string()} lang={lang.to_string()}>
            { head(lang, &act, true) }
            <h2 class="lesson-title">{lesson.title.get(lang)}</h2>
            if lesson.parts.len() > 1 {
                <ol class="lesson-parts" aria-label={t(lang, "parts")}>
                    { for lesson.parts.iter().enumerate().map(|(i, x)| {
                        let end = lesson.parts.get(i + 1).map_or(lesson.steps.len(), |n| n.first);
                        let all_done = lesson.steps[x.first..end].iter().all(|s| p.progress.done.contains(&s.id));
                        let label = format!("{} · {}", t_n(lang, "part", i + 1), x.title.get(lang));
                        html! {
                            <li class={classes!((i + 1 == part_no).then_some("current"), all_done.then_some("past"))}>
                                <button class="part-no" aria-current={(i + 1 == part_no).then_some("true")} title={label.clone()}
                                    aria-label={label} onclick={go(x.first)}>{i + 1}</button>
                            </li>
                        }
                    }) }
                </ol>
            }
            if let Some(part) = part {
                <h3 class="lesson-part">{format!("{} · {}", t_n(lang, "part", part_no), part.title.get(lang))}</h3>
            }
            <ol class="lesson-steps" aria-label={t(lang, "step")}>
                { for lesson.steps.iter().enumerate().skip(part_first).take(part_end - part_first).map(|(i, s)| {
                    let done = p.progress.done.contains(&s.id);
                    let title = format!("{} {}{}", t(lang, "step"), i + 1, if done { " ✓" } else { "" });
                    html! {
                        <li class={classes!((i == p.pos.step).then_some("current"), done.then_some("past"))}>
                            <button class="step-no" aria-current={(i == p.pos.step).then_some("step")} title={title.clone()}
                                aria-label={title} onclick={go(i)}>{i + 1}</button>
                        </li>
                    }
                }) }
            </ol>
            if p.catching_up {
                <p class="step-status wait" role="status">{t_n(lang, "catching-up", p.pos.step)}</p>
            } else if p.pos.step > 0 && !lesson.steps[..p.pos.step].iter().all(|s| p.progress.done.contains(&s.id)) {
                <div class="step-actions">
                    <button class="mini" id="lesson-catch-up" onclick={act.reform({
                        let (l, s) = (p.pos.lesson, p.pos.step);
                        move |_| Action::CatchUp(l, s)
                    })}>{t_n(lang, "catch-up", p.pos.step)}</button>
                </div>
            }
            <p class="step-text" data-step={step.id.clone()}>{step.text.get(lang)}</p>
            if let Some(note) = &step.note {
                <p class="step-note"><strong>{t(lang, "note")}{": "}</strong>{note.get(lang)}</p>
            }
            if let (Some(f), Some(open)) = (&step.file, open_file) {
                <div class="step-actions">
                    <button class="mini" id="lesson-file" onclick={open}>{format!("{}: {}", t(lang, "open-file"), f.name)}</button>
                </div>
            }
            if let Some(run) = &step.run {
                <pre class="step-run"><code>{run}</code></pre>
                <div class="step-actions">
                    <button class="mini" id="lesson-copy" onclick={act.reform(|_| Action::CopyStep)}>{t(lang, "copy")}</button>
                </div>
            }
            <details class="step-goal" ontoggle={on_goal} open={*goal_open}>
                <summary>{t(lang, "goal")}</summary>
                if *goal_open {
                    { goal_picture(&goal(p.pos.lesson, p.pos.step), &p.live, lang) }
                }
            </details>
            <details class="step-hint">
                <summary>{t(lang, "stuck")}</summary>
                if let Some(hint) = &step.hint {
                    <p>{hint.get(lang)}</p>
                }
                if step.run.is_some() || step.file.is_some() {
                    <button class="mini" id="lesson-show" onclick={show}>{t(lang, "show")}</button>
                }
            </details>
            <p class={classes!("step-status", if p.pos.done { "ok" } else { "wait" })} role="status" id="lesson-status">
                {if last && (p.pos.done || finished) { t(lang, "finished") } else if p.pos.done { t(lang, "done") } else { t(lang, "waiting") }}
            </p>
            <div class="step-nav">
                <button id="lesson-back" disabled={p.pos.step == 0} onclick={go(p.pos.step.saturating_sub(1))}>{t(lang, "back")}</button>
                if !last {
                    <button id="lesson-next" class={classes!(p.pos.done.then_some("primary"))} onclick={go(p.pos.step + 1)}>{t(lang, "next")}</button>
                } else if let Some(next) = next_lesson.filter(|_| p.pos.done) {
                    <button id="lesson-next-lesson" class="primary" onclick={act.reform({ let i = p.pos.lesson + 1; move |_| Action::OpenLesson(Some(i)) })}>
                        {format!("{}: {}", t(lang, "next-lesson"), next.title.get(lang))}
                    </button>
                }
            </div>
            if let Some(source) = &lesson.source {
                <p class="lesson-source">{t(lang, "source")}{": "}<a href={source.clone()} target="_blank" rel="noopener">{source.trim_start_matches("https://")}</a></p>
            }
        </aside>
    }
}
