//! The bar of actions: Apply / Scale / Delete, and Reset. The clock and the timeline are the row below it.

use yew::prelude::*;

use crate::i18n::{t, LANGUAGES};

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub on_apply: Callback<MouseEvent>,
    pub on_scale_up: Callback<MouseEvent>,
    pub on_scale_down: Callback<MouseEvent>,
    pub on_delete: Callback<MouseEvent>,
    pub on_reset: Callback<MouseEvent>,
    /// A lesson is open.
    #[prop_or_default]
    pub lesson_open: bool,
    #[prop_or_default]
    pub on_lessons: Callback<MouseEvent>,
    /// The dark theme is on.
    pub dark: bool,
    /// Large text is on.
    pub large: bool,
    pub on_dark: Callback<MouseEvent>,
    pub on_large: Callback<MouseEvent>,
    /// The interface's language.
    #[prop_or_else(|| "en".into())]
    pub lang: AttrValue,
    #[prop_or_default]
    pub on_language: Callback<String>,
    /// More controls, before Reset (the session menu).
    #[prop_or_default]
    pub children: Html,
}

#[component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    let l = p.lang.as_str();
    // Reset asks first: it throws the cluster away.
    let asking = use_state(|| false);
    let ask = {
        let asking = asking.clone();
        Callback::from(move |_| asking.set(!*asking))
    };
    let yes = {
        let asking = asking.clone();
        let on_reset = p.on_reset.clone();
        Callback::from(move |e| {
            asking.set(false);
            on_reset.emit(e);
        })
    };
    let no = {
        let asking = asking.clone();
        Callback::from(move |_| asking.set(false))
    };
    let on_lang = {
        let cb = p.on_language.clone();
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            if let Some(sel) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                cb.emit(sel.value());
            }
        })
    };
    html! {
        <div class="toolbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">{"⬡"}</span>
                <h1 class="name">{"Ordinal"}</h1>
                <span class="tagline">{t(l, "tagline")}</span>
            </div>
            <div class="actions" role="group" aria-label={t(l, "tb-actions")}>
                <button id="apply" class="primary" onclick={p.on_apply.clone()} title="kubectl apply -f web.yaml">{t(l, "apply")}</button>
                <button id="scale-down" onclick={p.on_scale_down.clone()} title="kubectl scale --replicas=N-1">{t(l, "scale-down")}</button>
                <button id="scale-up" onclick={p.on_scale_up.clone()} title="kubectl scale --replicas=N+1">{t(l, "scale-up")}</button>
                <button id="delete" class="danger" onclick={p.on_delete.clone()} title="kubectl delete statefulset">{t(l, "delete")}</button>
            </div>
            <button id="lessons" class="quiet" aria-pressed={p.lesson_open.to_string()} onclick={p.on_lessons.clone()}
                title={t(l, "tb-lesson-title")}>{t(l, "lesson")}</button>
            <select id="language" class="language" aria-label={t(l, "language")} onchange={on_lang}>
                { for LANGUAGES.iter().map(|(code, name)| html! {
                    <option value={*code} selected={*code == l}>{*name}</option>
                }) }
            </select>
            <div class="view-toggles" role="group" aria-label={t(l, "tb-display")}>
                <button id="dark" class="quiet" aria-pressed={p.dark.to_string()} onclick={p.on_dark.clone()}
                    title={t(l, "tb-dark-title")}>{t(l, "dark")}</button>
                <button id="large" class="quiet" aria-pressed={p.large.to_string()} onclick={p.on_large.clone()}
                    title={t(l, "tb-large-title")}>{t(l, "large")}</button>
            </div>
            { p.children.clone() }
            <div class="reset-wrap">
                <button id="reset" class="quiet" onclick={ask} title={t(l, "tb-reset-title")} aria-expanded={asking.to_string()}>{t(l, "reset")}</button>
                if *asking {
                    <div class="confirm card" role="alertdialog" aria-labelledby="reset-ask">
                        <p id="reset-ask">{t(l, "reset-ask")}</p>
                        <div class="confirm-actions">
                            <button id="reset-no" onclick={no}>{t(l, "reset-no")}</button>
                            <button id="reset-yes" class="danger" onclick={yes}>{t(l, "reset-yes")}</button>
                        </div>
                    </div>
                }
            </div>
        </div>
    }
}
