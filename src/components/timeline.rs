//! The clock and the session's timeline: play and pause, a step to the next Event, +5s, the speed, and a strip
//! of virtual time with a mark for everything the learner did. Dragging the strip back shows the cluster as it
//! was then (the recorded actions replayed on a fresh cluster); playing on from there shows the same story
//! again, and acting there makes a new one.

use ordinal_kubectl::printers::human_duration;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::t;
use crate::state::SPEEDS;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub now_ms: u64,
    /// The end of what was recorded: the present, when the learner looks at the past.
    pub end_ms: u64,
    /// The learner is looking at the past.
    pub past: bool,
    /// A rewind is being replayed.
    pub replaying: bool,
    /// The cluster is still working through a large change: the clock runs slower until it has caught up.
    pub working: bool,
    pub paused: bool,
    /// In quarters: 4 is 1×.
    pub speed: u32,
    /// (virtual time, what the learner did), in order.
    pub marks: Vec<(u64, String)>,
    /// The cluster's Events so far: (virtual time, a Warning, what it says).
    #[prop_or_default]
    pub events: Vec<(u64, bool, String)>,
    pub on_toggle: Callback<MouseEvent>,
    pub on_next_event: Callback<MouseEvent>,
    pub on_step: Callback<MouseEvent>,
    pub on_speed: Callback<u32>,
    pub on_rewind: Callback<u64>,
    pub on_present: Callback<MouseEvent>,
    #[prop_or_else(|| "en".into())]
    pub lang: AttrValue,
}

/// `0.25×`, `1×`, `16×`.
fn speed_label(quarters: u32) -> String {
    match quarters {
        1 => "¼×".to_string(),
        2 => "½×".to_string(),
        q => format!("{}×", q / 4),
    }
}

fn at(ms: u64) -> String {
    format!("t+{}", human_duration(ms))
}

#[component(Timeline)]
pub fn timeline(p: &TimelineProps) -> Html {
    let end = p.end_ms.max(p.now_ms).max(1);
    let pct = |ms: u64| format!("left: {:.3}%", ms as f64 * 100.0 / end as f64);
    let on_change = {
        let cb = p.on_rewind.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                if let Ok(ms) = input.value().parse::<f64>() {
                    cb.emit(ms.max(0.0) as u64);
                }
            }
        })
    };
    let l = p.lang.as_str();
    let status = if p.replaying {
        t(l, "rewinding")
    } else if p.working {
        t(l, "working")
    } else {
        ""
    };
    html! {
        <div class="timeline" role="group" aria-label={t(l, "tl-label")}>
            <button id="play" onclick={p.on_toggle.clone()} aria-pressed={(!p.paused).to_string()}
                title={t(l, if p.paused { "tl-run" } else { "tl-pause" })}>
                {if p.paused { t(l, "play") } else { t(l, "pause") }}
            </button>
            <button id="next-event" onclick={p.on_next_event.clone()}
                title={t(l, "tl-next-event")}>{t(l, "next-event")}</button>
            <button id="step" onclick={p.on_step.clone()} title={t(l, "tl-step")}>{"+5s"}</button>
            <span class="speeds" role="group" aria-label={t(l, "tl-speed")}>
                { for SPEEDS.iter().map(|&s| {
                    let cb = p.on_speed.clone();
                    html! {
                        <button class={classes!("speed", (s == p.speed).then_some("on"))} aria-pressed={(s == p.speed).to_string()}
                            onclick={Callback::from(move |_| cb.emit(s))}>{speed_label(s)}</button>
                    }
                }) }
            </span>
            <span class="time" id="clock" title={t(l, "tl-clock")}>{at(p.now_ms)}</span>
            <span id="working" class={classes!("working", status.is_empty().then_some("idle"))} role="status"
                title={t(l, "tl-working")}>
                {status}
            </span>
            <div class="strip">
                <div class="marks" aria-hidden="true">
                    { for p.marks.iter().map(|(ms, label)| html! {
                        <span class="mark" style={pct(*ms)} title={format!("{}: {label}", at(*ms))}></span>
                    }) }
                    { for p.events.iter().map(|(ms, warning, text)| html! {
                        <span class={classes!("emark", warning.then_some("warn"))} style={pct(*ms)} title={format!("{}: {text}", at(*ms))}></span>
                    }) }
                </div>
                <input id="timeline" type="range" min="0" max={end.to_string()} step="100"
                    value={p.now_ms.to_string()} onchange={on_change}
                    aria-label={t(l, "tl-timeline")}
                    aria-valuetext={at(p.now_ms)} disabled={p.replaying} />
            </div>
            if p.past {
                <button id="present" onclick={p.on_present.clone()}
                    title={t(l, "tl-present")}>{format!("{} {}", t(l, "back-to"), at(p.end_ms))}</button>
            }
        </div>
    }
}
