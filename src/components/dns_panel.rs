//! The recent name lookups made in pods, for teaching the search list: each candidate the resolver tried, in
//! order, with CoreDNS's answer code, and what the lookup ended with; under it, the lines CoreDNS's `log`
//! plugin prints for those queries.

use yew::prelude::*;

use crate::snapshot::DnsLookupView;

#[derive(Properties, PartialEq)]
pub struct DnsPanelProps {
    /// Newest first.
    pub lookups: Vec<DnsLookupView>,
    /// Oldest first.
    pub log: Vec<String>,
}

/// A badge class for an answer code: an answer, no such name, or a name without records of the type.
fn code_class(code: &str) -> &'static str {
    match code {
        "NOERROR" => "ok",
        "NODATA" => "wait",
        _ => "going",
    }
}

#[component(DnsPanel)]
pub fn dns_panel(p: &DnsPanelProps) -> Html {
    html! {
        <div class="card" id="dns">
            <div class="card-title"><span>{"DNS lookups"}</span><span class="hint">{"search list → CoreDNS"}</span></div>
            <ol class="dns-lookups">
                { for p.lookups.iter().map(lookup) }
            </ol>
            if !p.log.is_empty() {
                <details class="coredns-log">
                    <summary>{"CoreDNS log plugin"}</summary>
                    <pre>{ p.log.join("\n") }</pre>
                </details>
            }
        </div>
    }
}

fn lookup(l: &DnsLookupView) -> Html {
    html! {
        <li class="dns-lookup" data-name={l.name.clone()}>
            <div class="dns-head">
                <span class="mono">{&l.client}</span>{" looked up "}<code>{&l.name}</code>
                <span class="dim">{format!(" {} ago", l.age)}</span>
            </div>
            <ol class="dns-tried">
                { for l.tried.iter().map(|(name, code)| html! {
                    <li><code>{name}</code>{" "}<span class={classes!("badge", code_class(code))}>{code}</span></li>
                }) }
            </ol>
            <div class="dns-answer">
                if l.answer.is_empty() {
                    <span class="badge bad">{"not found"}</span>
                } else {
                    {"→ "}<code>{l.answer.join(", ")}</code>
                }
            </div>
        </li>
    }
}
