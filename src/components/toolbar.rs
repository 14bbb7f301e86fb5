//! The bar of actions: Apply / Scale / Delete, and Reset. The clock and the timeline are the row below it.

use yew::prelude::*;

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
}

#[component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    html! {
        <div class="toolbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">{"⬡"}</span>
                <h1 class="name">{"Ordinal"}</h1>
                <span class="tagline">{"StatefulSet playground"}</span>
            </div>
            <div class="actions" role="group" aria-label="Cluster actions">
                <button id="apply" class="primary" onclick={p.on_apply.clone()} title="kubectl apply -f web.yaml">{"Apply"}</button>
                <button id="scale-down" onclick={p.on_scale_down.clone()} title="kubectl scale --replicas=N-1">{"Scale −"}</button>
                <button id="scale-up" onclick={p.on_scale_up.clone()} title="kubectl scale --replicas=N+1">{"Scale +"}</button>
                <button id="delete" class="danger" onclick={p.on_delete.clone()} title="kubectl delete statefulset">{"Delete"}</button>
            </div>
            <button id="lessons" class="quiet" aria-pressed={p.lesson_open.to_string()} onclick={p.on_lessons.clone()}
                title="A guided lesson beside the editor and the cluster">{"Lesson"}</button>
            <div class="view-toggles" role="group" aria-label="Display">
                <button id="dark" class="quiet" aria-pressed={p.dark.to_string()} onclick={p.on_dark.clone()}
                    title="A dark theme, easier on a classroom projector">{"Dark"}</button>
                <button id="large" class="quiet" aria-pressed={p.large.to_string()} onclick={p.on_large.clone()}
                    title="Everything a quarter bigger, readable from the back of the room">{"Large text"}</button>
            </div>
            <button id="reset" class="quiet" onclick={p.on_reset.clone()} title="Start again with an empty cluster">{"Reset"}</button>
        </div>
    }
}
