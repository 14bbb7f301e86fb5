//! What each button did, written as the kubectl command and the lines kubectl prints.

use yew::prelude::*;

use crate::state::OutputLine;

#[derive(Properties, PartialEq)]
pub struct OutputProps {
    pub lines: Vec<OutputLine>,
}

#[component(Output)]
pub fn output(p: &OutputProps) -> Html {
    let term = use_node_ref();
    {
        let term = term.clone();
        use_effect_with(p.lines.len(), move |_| {
            if let Some(el) = term.cast::<web_sys::HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <div class="output card">
            <div class="card-title"><span>{"Terminal"}</span></div>
            <pre class="terminal" id="output" aria-live="polite" ref={term}>
                if p.lines.is_empty() {
                    <span class="dim">{"# Press Apply to send the manifest to the cluster."}</span>
                }
                { for p.lines.iter().map(|l| match l {
                    OutputLine::Command(c) => html! { <div class="cmd"><span class="prompt">{"$ "}</span>{c}</div> },
                    OutputLine::Ok(t) => html! { <div class="ok">{t}</div> },
                    OutputLine::Error(t) => html! { <div class="err">{t}</div> },
                    OutputLine::Comment(t) => html! { <div class="dim">{t}</div> },
                }) }
            </pre>
        </div>
    }
}
