//! The recent name lookups made in pods, for teaching the search list: each candidate the resolver tried, in
//! order, with CoreDNS's answer code, and what the lookup ended with; under it, the lines CoreDNS's `log`
//! plugin prints for those queries.

use yew::prelude::*;

use crate::i18n::t;
use crate::snapshot::DnsLookupView;

#[derive(Properties, PartialEq)]
pub struct DnsPanelProps {
    /// Newest first.
    pub lookups: Vec<DnsLookupView>,
    /// Oldest first.
    pub log: Vec<String>,
    #[prop_or_else(|| "en".into())]
    pub lang: AttrValue,
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
    let l = p.lang.as_str();
    html! {
        <div class="card" id="dns">
            <div class="card-title"><span>{t(l, "dns-title")}</span><span class="hint">{t(l, "dns-hint")}</span></div>
            <ol class="dns-lookups">
                { for p.lookups.iter().map(|d| lookup(d, l)) }
            </ol>
            if !p.log.is_empty() {
                <details class="coredns-log">
                    <summary>{t(l, "dns-log")}</summary>
                    <pre>{ p.log.join("\n") }</pre>
                </details>
            }
        </div>
    }
}

/// `words` with `{client}` and `{name}` drawn as their own elements, in the order the language puts them.
fn who_asked_what(words: &str, client: &str, name: &str) -> Html {
    let mut out = Vec::new();
    let mut rest = words;
    while let Some(at) = rest.find('{') {
        let (text, from) = rest.split_at(at);
        if !text.is_empty() {
            out.push(html! { {text.to_string()} });
        }
        if let Some(after) = from.strip_prefix("{client}") {
            out.push(html! { <span class="mono">{client.to_string()}</span> });
            rest = after;
        } else if let Some(after) = from.strip_prefix("{name}") {
            out.push(html! { <code>{name.to_string()}</code> });
            rest = after;
        } else {
            out.push(html! { {"{"} });
            rest = &from[1..];
        }
    }
    if !rest.is_empty() {
        out.push(html! { {rest.to_string()} });
    }
    out.into_iter().collect()
}

fn lookup(d: &DnsLookupView, l: &str) -> Html {
    html! {
        <li class="dns-lookup" data-name={d.name.clone()}>
            <div class="dns-head">
                { who_asked_what(t(l, "dns-lookup"), &d.client, &d.name) }
                <span class="dim">{t(l, "dns-ago").replace("{age}", &d.age)}</span>
            </div>
            <ol class="dns-tried">
                { for d.tried.iter().map(|(name, code)| html! {
                    <li><code>{name}</code>{" "}<span class={classes!("badge", code_class(code))}>{code}</span></li>
                }) }
            </ol>
            <div class="dns-answer">
                if d.answer.is_empty() {
                    <span class="badge bad">{t(l, "dns-not-found")}</span>
                } else {
                    {"→ "}<code>{d.answer.join(", ")}</code>
                }
            </div>
        </li>
    }
}
