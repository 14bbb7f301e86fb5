//! The controls on a StatefulSet's card for what the lessons do to it: a new image (a rolling update), a
//! partition (staging and a canary), rolling back, and deleting it while keeping its pods. Each runs the kubectl
//! command a learner would type, shown in the terminal.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::t;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct SetControlsProps {
    pub name: AttrValue,
    /// The first container's name and image.
    pub container: AttrValue,
    pub image: AttrValue,
    pub partition: Option<i32>,
    pub on_action: Callback<Action>,
    #[prop_or_else(|| "en".into())]
    pub lang: AttrValue,
}

/// Images the tutorials update to and from.
const IMAGES: &[&str] = &[
    "registry.k8s.io/nginx-slim:0.21",
    "registry.k8s.io/nginx-slim:0.24",
    "registry.k8s.io/nginx-slim:0.26",
    "registry.k8s.io/nginx-slim:0.27",
    "nginx:1.25",
];

fn value(e: &Event) -> Option<String> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
}

#[component(SetControls)]
pub fn set_controls(p: &SetControlsProps) -> Html {
    let image = use_state(|| p.image.to_string());
    let partition = use_state(|| p.partition.unwrap_or(0).to_string());
    let run = |line: String| {
        let cb = p.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Action::Command(line.clone())))
    };
    let name = &p.name;
    let set_image = run(format!(
        "kubectl set image statefulset/{name} {}={}",
        p.container, *image
    ));
    // The tutorial's own command for a partition.
    let set_partition = run(format!(
        "kubectl patch statefulset {name} -p '{{\"spec\":{{\"updateStrategy\":{{\"type\":\"RollingUpdate\",\"rollingUpdate\":{{\"partition\":{}}}}}}}}}'",
        partition.trim().parse::<i32>().unwrap_or(0)
    ));
    let undo = run(format!("kubectl rollout undo statefulset/{name}"));
    let orphan = run(format!(
        "kubectl delete statefulset {name} --cascade=orphan"
    ));
    let cascade = run(format!("kubectl delete statefulset {name}"));
    let on_image = {
        let image = image.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = value(&e) {
                image.set(v);
            }
        })
    };
    let on_partition = {
        let partition = partition.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = value(&e) {
                partition.set(v);
            }
        })
    };
    let list = format!("images-{name}");
    let l = p.lang.as_str();
    html! {
        <details class="set-controls">
            <summary>{t(l, "set-controls")}</summary>
            <div class="control-row">
                <label for={format!("image-{name}")}>{t(l, "sc-image")}</label>
                <input id={format!("image-{name}")} class="mono" list={list.clone()} value={(*image).clone()} onchange={on_image} />
                <datalist id={list}>{ for IMAGES.iter().map(|i| html! { <option value={*i} /> }) }</datalist>
                <button class="mini set-image" onclick={set_image}
                    title={t(l, "sc-set-image-title")}>{t(l, "sc-set-image")}</button>
            </div>
            <div class="control-row">
                <label for={format!("partition-{name}")}>{t(l, "sc-partition")}</label>
                <input id={format!("partition-{name}")} type="number" min="0" value={(*partition).clone()} onchange={on_partition} />
                <button class="mini set-partition" onclick={set_partition}
                    title={t(l, "sc-set-partition-title")}>{t(l, "sc-set-partition")}</button>
            </div>
            <div class="control-row">
                <button class="mini rollout-undo" onclick={undo} title={t(l, "sc-roll-back-title")}>{t(l, "sc-roll-back")}</button>
                <button class="mini delete-orphan danger" onclick={orphan}
                    title={t(l, "sc-delete-orphan-title")}>{t(l, "sc-delete-orphan")}</button>
                <button class="mini delete-cascade danger" onclick={cascade}
                    title={t(l, "sc-delete-cascade-title")}>{t(l, "sc-delete-cascade")}</button>
            </div>
        </details>
    }
}
