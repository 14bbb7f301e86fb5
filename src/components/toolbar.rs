//! The bar of actions: Apply / Scale / Delete, and the clock with play, pause, speed and step.

use ordinal_kubectl::printers::human_duration;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub now_ms: u64,
    /// The cluster is still working through a large change: the clock runs slower until it has caught up.
    #[prop_or_default]
    pub working: bool,
    pub paused: bool,
    pub speed: u32,
    pub on_apply: Callback<MouseEvent>,
    pub on_scale_up: Callback<MouseEvent>,
    pub on_scale_down: Callback<MouseEvent>,
    pub on_delete: Callback<MouseEvent>,
    pub on_toggle: Callback<MouseEvent>,
    pub on_reset: Callback<MouseEvent>,
    pub on_speed: Callback<u32>,
    pub on_step: Callback<u64>,
}

const SPEEDS: [u32; 3] = [1, 4, 16];

#[component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    let step = {
        let cb = p.on_step.clone();
        Callback::from(move |_| cb.emit(5_000))
    };
    html! {
        <header class="toolbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">{"⬡"}</span>
                <span class="name">{"Ordinal"}</span>
                <span class="tagline">{"StatefulSet playground"}</span>
            </div>
            <div class="actions" role="group" aria-label="Cluster actions">
                <button id="apply" class="primary" onclick={p.on_apply.clone()} title="kubectl apply -f web.yaml">{"Apply"}</button>
                <button id="scale-down" onclick={p.on_scale_down.clone()} title="kubectl scale --replicas=N-1">{"Scale −"}</button>
                <button id="scale-up" onclick={p.on_scale_up.clone()} title="kubectl scale --replicas=N+1">{"Scale +"}</button>
                <button id="delete" class="danger" onclick={p.on_delete.clone()} title="kubectl delete statefulset">{"Delete"}</button>
            </div>
            <div class="clock" role="group" aria-label="Virtual clock">
                <span class="time" id="clock" title="Virtual time since the cluster started">{format!("t+{}", human_duration(p.now_ms))}</span>
                <span id="working" class={classes!("working", (!p.working).then_some("idle"))} role="status"
                    title="The controllers are still working through a large change; the clock runs slower meanwhile">
                    {if p.working { "working…" } else { "" }}
                </span>
                <button id="play" onclick={p.on_toggle.clone()} aria-pressed={(!p.paused).to_string()}
                    title={if p.paused { "Run the clock" } else { "Pause the clock" }}>
                    {if p.paused { "▶ Play" } else { "⏸ Pause" }}
                </button>
                <button id="step" onclick={step} title="Advance the clock by 5 seconds">{"+5s"}</button>
                <span class="speeds">
                    { for SPEEDS.iter().map(|&s| {
                        let cb = p.on_speed.clone();
                        html! {
                            <button class={classes!("speed", (s == p.speed).then_some("on"))}
                                onclick={Callback::from(move |_| cb.emit(s))}>{format!("{s}×")}</button>
                        }
                    }) }
                </span>
                <button id="reset" class="quiet" onclick={p.on_reset.clone()} title="Start again with an empty cluster">{"Reset"}</button>
            </div>
        </header>
    }
}
