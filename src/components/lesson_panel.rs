//! The lesson beside the editor and the cluster: the step's explanation in the learner's language, the command
//! to type (a click puts it on the terminal's line; "Show me" runs it), a hint, and whether the cluster shows the
//! step done — checked by the lesson's own script, as a teacher would check by hand.

use yew::prelude::*;

use crate::state::{lessons, Action, LessonPos};

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub pos: LessonPos,
    pub language: AttrValue,
    pub on_action: Callback<Action>,
}

fn say(lang: &str, what: &str) -> &'static str {
    crate::i18n::t(lang, what)
}

#[component(LessonPanel)]
pub fn lesson_panel(p: &LessonPanelProps) -> Html {
    let Some(lesson) = lessons().get(p.pos.lesson) else {
        return Html::default();
    };
    let lang = p.language.as_str();
    let Some(step) = lesson.steps.get(p.pos.step) else {
        return Html::default();
    };
    let act = p.on_action.clone();
    let go = |to: usize| {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(Action::LessonStep(to)))
    };
    let show = {
        let act = act.clone();
        let lines: Vec<String> = step
            .run
            .as_deref()
            .unwrap_or("")
            .lines()
            .map(str::to_string)
            .collect();
        Callback::from(move |_: MouseEvent| {
            for l in &lines {
                act.emit(Action::Run(l.clone()));
            }
        })
    };
    let on_lang = {
        let act = act.clone();
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            if let Some(sel) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                act.emit(Action::SetLanguage(sel.value()));
            }
        })
    };
    let last = p.pos.step + 1 == lesson.steps.len();
    html! {
        <aside class="lesson card" id="lesson" aria-label={lesson.title.get(lang).to_string()} lang={lang.to_string()}>
            <div class="lesson-head">
                <label class="sr-only" for="lesson-lang">{say(lang, "language")}</label>
                <select id="lesson-lang" onchange={on_lang}>
                    { for crate::i18n::LANGUAGES.iter().map(|(code, name)| html! {
                        <option value={*code} selected={*code == lang}>{*name}</option>
                    }) }
                </select>
                <button class="quiet mini" id="lesson-close" onclick={act.reform(|_| Action::OpenLesson(None))}>{say(lang, "close")}</button>
            </div>
            <h2 class="lesson-title">{lesson.title.get(lang)}</h2>
            <ol class="lesson-steps" aria-label={say(lang, "step")}>
                { for lesson.steps.iter().enumerate().map(|(i, s)| html! {
                    <li class={classes!((i == p.pos.step).then_some("current"), (i < p.pos.step).then_some("past"))}
                        aria-current={(i == p.pos.step).then_some("step")} title={s.id.clone()}>{i + 1}</li>
                }) }
            </ol>
            <p class="step-text" data-step={step.id.clone()}>{step.text.get(lang)}</p>
            if let Some(run) = &step.run {
                <pre class="step-run"><code>{run}</code></pre>
                <div class="step-actions">
                    <button class="mini" id="lesson-copy" onclick={act.reform(|_| Action::CopyStep)}>{say(lang, "copy")}</button>
                    <button class="mini" id="lesson-show" onclick={show}>{say(lang, "show")}</button>
                </div>
            }
            if let Some(hint) = &step.hint {
                <details class="step-hint"><summary>{say(lang, "hint")}</summary><p>{hint.get(lang)}</p></details>
            }
            <p class={classes!("step-status", if p.pos.done { "ok" } else { "wait" })} role="status" id="lesson-status">
                {if p.pos.done && last { say(lang, "finished") } else if p.pos.done { say(lang, "done") } else { say(lang, "waiting") }}
            </p>
            <div class="step-nav">
                <button id="lesson-back" disabled={p.pos.step == 0} onclick={go(p.pos.step.saturating_sub(1))}>{say(lang, "back")}</button>
                if !last {
                    <button id="lesson-next" class={classes!(p.pos.done.then_some("primary"))} onclick={go(p.pos.step + 1)}>{say(lang, "next")}</button>
                }
            </div>
        </aside>
    }
}
