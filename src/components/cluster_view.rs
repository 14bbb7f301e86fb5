//! The cluster as a learner should picture it: each StatefulSet with its pods in ordinal order, each pod's
//! claim under it (claims stay when their pod goes), then Services, the pods' recent DNS lookups, volumes and
//! recent events.

use yew::prelude::*;

use ordinal_engine::why::Why;

use crate::i18n::t;
use crate::why_text;

use crate::components::dns_panel::DnsPanel;
use crate::components::set_controls::SetControls;
use crate::snapshot::{ClaimView, NodeView, PodView, SetView, Snapshot, WorkloadView};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub snapshot: Snapshot,
    /// Buttons on pods and nodes send their action here.
    pub on_action: Callback<Action>,
    #[prop_or_else(|| "en".into())]
    pub lang: AttrValue,
}

/// A CSS class for a STATUS cell, so colour follows meaning.
fn status_class(status: &str) -> &'static str {
    match status {
        "Running" | "Bound" | "Available" => "ok",
        "Pending" | "ContainerCreating" | "PodInitializing" => "wait",
        s if s.starts_with("Init:") && !s.contains("Err") && !s.contains("BackOff") => "wait",
        "Terminating" | "Released" | "Completed" => "going",
        _ => "bad",
    }
}

/// What a screen reader hears as the cluster changes: each pod and claim that appeared, changed status or went
/// since the last reading (colour and motion say it to the eye).
#[derive(Properties, PartialEq)]
struct AnnouncerProps {
    snapshot: Snapshot,
    lang: AttrValue,
}

/// The most changes one announcement lists.
const ANNOUNCED: usize = 6;

#[component(Announcer)]
fn announcer(p: &AnnouncerProps) -> Html {
    // Keyed by (what, name): "pod" or "claim", worded in the learner's language only when said.
    type Seen = std::collections::BTreeMap<(&'static str, String), String>;
    let before = use_mut_ref(Seen::new);
    let said = use_mut_ref(String::new);
    let l = p.lang.as_str();
    let mut now = Seen::new();
    for set in &p.snapshot.sets {
        for slot in &set.slots {
            if let Some(pod) = &slot.pod {
                now.insert(("cv-said-pod", pod.name.clone()), pod.status.clone());
            }
            for claim in &slot.claims {
                now.insert(("cv-said-claim", claim.name.clone()), claim.status.clone());
            }
        }
    }
    for pod in &p.snapshot.other_pods {
        now.insert(("cv-said-pod", pod.name.clone()), pod.status.clone());
    }
    let mut before = before.borrow_mut();
    if *before != now {
        let mut changes: Vec<String> = now
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(*v))
            .map(|((what, name), v)| format!("{} {name}: {v}", t(l, what)))
            .collect();
        changes.extend(
            before
                .keys()
                .filter(|k| !now.contains_key(*k))
                .map(|(what, name)| format!("{} {name}: {}", t(l, what), t(l, "cv-said-gone"))),
        );
        let more = changes.len().saturating_sub(ANNOUNCED);
        changes.truncate(ANNOUNCED);
        if more > 0 {
            changes.push(t(l, "cv-said-more").replace("{n}", &more.to_string()));
        }
        *said.borrow_mut() = changes.join("; ");
        *before = now;
    }
    html! { <div class="sr-only" role="status" aria-live="polite" id="announce">{said.borrow().clone()}</div> }
}

#[component(ClusterView)]
pub fn cluster_view(p: &ClusterViewProps) -> Html {
    let s = &p.snapshot;
    let act = &p.on_action;
    let l = p.lang.as_str();
    // The claim ↔ volume ↔ class chain under the pointer or the keyboard's focus, drawn together.
    let linked = use_state(|| None::<String>);
    let link = {
        let linked = linked.clone();
        Callback::from(move |volume: Option<String>| linked.set(volume))
    };
    let lit = (*linked).clone();
    html! {
        <div class="cluster" id="cluster">
            <Announcer snapshot={s.clone()} lang={p.lang.clone()} />
            <div class="ns-bar" id="namespace">
                <label for="ns-pick" class="ns-label">{t(l, "namespace")}</label>
                <select id="ns-pick" class="ns-name" title={t(l, "cv-ns-title")}
                    onchange={{
                        let act = act.clone();
                        Callback::from(move |e: Event| {
                            use wasm_bindgen::JsCast;
                            if let Some(sel) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                                act.emit(Action::Namespace(sel.value()));
                            }
                        })
                    }}>
                    { for s.namespaces.iter().map(|n| html! {
                        <option value={n.clone()} selected={*n == s.namespace}>{n}</option>
                    }) }
                    if !s.namespaces.contains(&s.namespace) {
                        <option value={s.namespace.clone()} selected=true>{&s.namespace}</option>
                    }
                </select>
            </div>
            if s.sets.is_empty() && s.other_pods.is_empty() && s.workloads.is_empty() {
                <div class="empty card">
                    <h2>{t(l, "empty-title")}</h2>
                    <p>{t(l, "empty-body")}</p>
                    <p>{t(l, "empty-press")}</p>
                </div>
            }
            { for s.sets.iter().map(|set| set_card(set, act, &link, lit.as_deref(), l)) }
            { for s.workloads.iter().map(|w| workload_card(w, act, l)) }
            if !s.other_pods.is_empty() {
                <div class="card">
                    <div class="card-title"><span>{t(l, "other-pods")}</span></div>
                    <div class="slots">
                        { for s.other_pods.iter().map(|pod| html! { <div class="slot">{pod_card(pod, act, l)}</div> }) }
                        { more(s.more_pods, t(l, "cv-more-pods")) }
                    </div>
                </div>
            }
            <div class="tables">
                <div class="card">
                    <div class="card-title"><span>{t(l, "nodes")}</span><span class="hint">{"kubectl get nodes"}</span></div>
                    <div class="nodes" id="nodes">{ for s.nodes.iter().map(|n| node_card(n, act, l)) }</div>
                </div>
                if !s.services.is_empty() {
                    <div class="card" tabindex="0" role="region" aria-label={t(l, "services")}>
                        <div class="card-title"><span>{t(l, "services")}</span></div>
                        <table class="kube" id="services">
                            <thead><tr><th>{"NAME"}</th><th>{"TYPE"}</th><th>{"CLUSTER-IP"}</th><th>{"EXTERNAL-IP"}</th><th>{"PORT(S)"}</th></tr></thead>
                            <tbody>{ for s.services.iter().map(|svc| html! {
                                <tr><td>{&svc.name}</td><td>{&svc.type_}</td><td>{&svc.cluster_ip}</td><td>{&svc.external_ip}</td><td>{&svc.ports}</td></tr>
                            }) }</tbody>
                        </table>
                    </div>
                }
                if !s.dns.is_empty() {
                    <DnsPanel lookups={s.dns.clone()} log={s.coredns_log.clone()} lang={p.lang.clone()} />
                }
                if !s.volumes.is_empty() {
                    <div class="card" tabindex="0" role="region" aria-label={t(l, "volumes")}>
                        <div class="card-title"><span>{t(l, "volumes")}</span></div>
                        <table class="kube" id="volumes">
                            <thead><tr><th>{"NAME"}</th><th>{"CAPACITY"}</th><th>{"RECLAIM POLICY"}</th><th>{"STATUS"}</th><th>{"CLAIM"}</th><th>{"STORAGECLASS"}</th></tr></thead>
                            <tbody>{ for s.volumes.iter().map(|v| {
                                let (on, off) = (link.clone(), link.clone());
                                let name = v.name.clone();
                                html! {
                                <tr key={v.name.clone()} data-pv={v.name.clone()} tabindex="0"
                                    class={classes!((lit.as_deref() == Some(v.name.as_str())).then_some("linked"))}
                                    onmouseenter={Callback::from({ let name = name.clone(); move |_| on.emit(Some(name.clone())) })}
                                    onfocus={Callback::from({ let on = link.clone(); move |_| on.emit(Some(name.clone())) })}
                                    onmouseleave={Callback::from({ let off = off.clone(); move |_| off.emit(None) })}
                                    onblur={Callback::from(move |_| off.emit(None))}>
                                    <td class="mono">{&v.name}</td><td>{&v.capacity}</td><td>{&v.reclaim}</td>
                                    <td><span class={classes!("badge", status_class(&v.status))}>{&v.status}</span></td>
                                    <td>{&v.claim}</td><td>{&v.class}</td>
                                </tr>
                            }}) }</tbody>
                        </table>
                        { more(s.more_volumes, t(l, "cv-more-volumes")) }
                    </div>
                }
                if !s.events.is_empty() {
                    <div class="card" tabindex="0" role="region" aria-label={t(l, "events")}>
                        <div class="card-title"><span>{t(l, "events")}</span><span class="hint">{"kubectl get events"}</span></div>
                        <table class="kube events" id="events">
                            <thead><tr><th>{"LAST SEEN"}</th><th>{"TYPE"}</th><th>{"REASON"}</th><th>{"OBJECT"}</th><th>{"MESSAGE"}</th></tr></thead>
                            <tbody>{ for s.events.iter().map(|e| html! {
                                <tr class={classes!((e.type_ == "Warning").then_some("warning"))}>
                                    <td>{&e.last_seen}</td><td>{&e.type_}</td><td>{&e.reason}</td><td>{&e.object}</td><td class="msg">{&e.message}</td>
                                </tr>
                            }) }</tbody>
                        </table>
                    </div>
                }
            </div>
        </div>
    }
}

/// A small button that sends `action`.
fn act_button(
    label: &str,
    title: String,
    class: &'static str,
    action: Callback<Action>,
    make: impl Fn() -> Action + 'static,
) -> Html {
    html! {
        <button class={classes!("mini", class)} {title} onclick={Callback::from(move |_| action.emit(make()))}>{label}</button>
    }
}

fn node_card(n: &NodeView, act: &Callback<Action>, l: &str) -> Html {
    let name = n.name.clone();
    let (name2, name3) = (name.clone(), name.clone());
    let cordoned = n.cordoned;
    let ready = n.ready;
    html! {
        <div class={classes!("node", (!n.ready).then_some("down"), n.cordoned.then_some("cordoned"))} data-node={n.name.clone()} data-status={n.status.clone()}>
            <div class="node-name mono">{&n.name}</div>
            <div class="node-facts">
                <span class={classes!("badge", if n.ready && !n.cordoned { "ok" } else if n.ready { "wait" } else { "bad" })}>{&n.status}</span>
                <span class="dim">{format!("{} · {}", n.roles, t(l, if n.pods == 1 { "cv-node-pod" } else { "cv-node-pods" }).replace("{n}", &n.pods.to_string()))}</span>
            </div>
            if n.roles != "control-plane" {
                <div class="node-actions">
                    { act_button(t(l, if cordoned { "cv-uncordon" } else { "cv-cordon" }), format!("kubectl {} {name}", if cordoned { "uncordon" } else { "cordon" }), "", act.clone(), move || Action::Cordon(name2.clone(), !cordoned)) }
                    { act_button(t(l, if ready { "cv-stop-kubelet" } else { "cv-start-kubelet" }), t(l, "cv-fault-node").into(), "fault", act.clone(), move || Action::NodeReady(name3.clone(), !ready)) }
                </div>
            }
        </div>
    }
}

/// What the view leaves out of a long list, and where to see all of it: `words` with `{n}` for the count.
fn more(count: usize, words: &str) -> Html {
    if count == 0 {
        return Html::default();
    }
    html! { <p class="more">{words.replace("{n}", &count.to_string())}</p> }
}

/// The reasons something waits, in the learner's language, as a learner reads them on the object itself.
fn whys(list: &[Why], l: &str) -> Html {
    html! {
        { for list.iter().map(|w| html! { <p class="why">{why_text::why(l, w)}</p> }) }
    }
}

fn set_card(
    set: &SetView,
    act: &Callback<Action>,
    link: &Callback<Option<String>>,
    lit: Option<&str>,
    l: &str,
) -> Html {
    // The next ordinal to be created, when it waits: on its slot if it has one (a claim kept from before), else
    // on a slot of its own after the others.
    let waiting = set.next.as_ref();
    let waits_on_slot = waiting.is_some_and(|(o, _)| set.slots.iter().any(|s| s.ordinal == *o));
    html! {
        <div class={classes!("card", "set", set.terminating.then_some("terminating"))} data-sts={set.name.clone()}>
            <div class="set-head">
                <div>
                    <span class="kind">{"statefulset.apps/"}</span><span class="set-name">{&set.name}</span>
                </div>
                <div class="set-facts">
                    <span class="fact" title={t(l, "cv-ready-title")}><b class="sts-ready">{&set.ready}</b>{t(l, "cv-ready")}</span>
                    <span class="fact">{"serviceName "}<code>{&set.service}</code></span>
                    <span class="fact">{&set.policy}</span>
                    <span class="fact" title="updateStrategy">{&set.strategy}{set.partition.filter(|p| *p > 0).map(|p| format!(" · partition {p}")).unwrap_or_default()}</span>
                </div>
            </div>
            if !set.notes.is_empty() {
                <div class="set-notes">{ whys(&set.notes, l) }</div>
            }
            if !set.terminating {
                <SetControls name={set.name.clone()} container={set.container.0.clone()} image={set.container.1.clone()}
                    partition={set.partition} on_action={act.clone()} lang={l.to_string()} />
            }
            <div class="slots">
                { for set.slots.iter().map(|slot| html! {
                    <div class="slot" key={slot.ordinal} data-ordinal={slot.ordinal.to_string()}>
                        <div class="ordinal">{slot.ordinal}</div>
                        { match (&slot.pod, waiting.filter(|(o, _)| *o == slot.ordinal)) {
                            (Some(pod), _) => pod_card(pod, act, l),
                            (None, Some((_, w))) => next_card(&set.name, slot.ordinal, w, l),
                            (None, None) => html! { <div class="pod gone">{t(l, "no-pod")}</div> },
                        } }
                        { for slot.claims.iter().map(|c| claim_card(c, link, lit, l)) }
                    </div>
                }) }
                if let Some((ordinal, w)) = waiting.filter(|_| !waits_on_slot) {
                    <div class="slot" key={*ordinal} data-ordinal={ordinal.to_string()}>
                        <div class="ordinal">{*ordinal}</div>
                        { next_card(&set.name, *ordinal, w, l) }
                    </div>
                }
                { more(set.more, t(l, "cv-more-ordinals")) }
            </div>
        </div>
    }
}

/// A Deployment with its ReplicaSets, or a DaemonSet: pods with made-up names, no ordinals, no claims of
/// their own — beside a StatefulSet's cards, the difference shows.
fn workload_card(w: &WorkloadView, act: &Callback<Action>, l: &str) -> Html {
    html! {
        <div class="card workload" data-workload={format!("{}/{}", w.kind, w.name)}>
            <div class="set-head">
                <div><span class="kind">{format!("{}/", w.kind)}</span><span class="set-name">{&w.name}</span></div>
                <div class="set-facts">
                    { for w.facts.iter().map(|(h, v)| html! { <span class="fact">{format!("{h} ")}<b>{v}</b></span> }) }
                </div>
            </div>
            { for w.groups.iter().map(|g| html! {
                <div class="pod-group">
                    if !g.title.is_empty() { <div class="group-title mono">{&g.title}</div> }
                    <div class="slots">
                        { for g.pods.iter().map(|pod| html! { <div class="slot">{pod_card(pod, act, l)}</div> }) }
                        { more(g.more, t(l, "cv-more-pods")) }
                    </div>
                </div>
            }) }
        </div>
    }
}

/// The pod the controller creates next, not there yet, with what it waits for.
fn next_card(set: &str, ordinal: i32, w: &Why, l: &str) -> Html {
    let name = format!("{set}-{ordinal}");
    html! {
        <div class="pod next" data-waiting={name.clone()}>
            <div class="pod-name">{name}</div>
            <div class="pod-status"><span class="badge wait">{t(l, "not-created")}</span></div>
            <p class="why">{why_text::why(l, w)}</p>
        </div>
    }
}

fn pod_card(pod: &PodView, act: &Callback<Action>, l: &str) -> Html {
    let name = pod.name.clone();
    let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
    let broken = pod.readiness_broken;
    let crashing = pod.crashing;
    html! {
        <div class={classes!("pod", status_class(&pod.status))} key={pod.uid.clone()}
            data-pod={pod.name.clone()} data-status={pod.status.clone()}>
            <div class="pod-name">{&pod.name}</div>
            <div class="pod-status"><span class={classes!("badge", status_class(&pod.status))}>{&pod.status}</span>
                <span class="ready" title="READY">{&pod.ready}</span></div>
            <dl>
                <dt>{t(l, "cv-node")}</dt><dd>{if pod.node.is_empty() { "<none>" } else { &pod.node }}</dd>
                <dt>{"IP"}</dt><dd>{if pod.ip.is_empty() { "<none>" } else { &pod.ip }}</dd>
                <dt>{t(l, "cv-age")}</dt><dd>{&pod.age}</dd>
                <dt>{t(l, "cv-restarts")}</dt><dd>{&pod.restarts}</dd>
            </dl>
            { whys(&pod.why, l) }
            if !pod.terminating {
                <div class="pod-actions">
                    { act_button(t(l, "delete"), format!("kubectl delete pod {name}"), "", act.clone(), move || Action::DeletePod(n1.clone())) }
                    if pod.has_probe {
                        { act_button(t(l, if broken { "cv-heal-probe" } else { "cv-break-probe" }), t(l, "cv-fault-probe").into(), "fault", act.clone(), move || Action::BreakReadiness(n2.clone(), !broken)) }
                    }
                    { act_button(t(l, if crashing { "cv-stop-crash" } else { "cv-crash" }), t(l, "cv-fault-crash").into(), "fault", act.clone(), move || Action::Crash(n3.clone(), !crashing)) }
                </div>
            }
        </div>
    }
}

fn claim_card(
    claim: &ClaimView,
    link: &Callback<Option<String>>,
    lit: Option<&str>,
    l: &str,
) -> Html {
    let volume = (!claim.volume.is_empty()).then(|| claim.volume.clone());
    let linked = volume.is_some() && volume.as_deref() == lit;
    let (on, on_focus, off, off_blur) = (link.clone(), link.clone(), link.clone(), link.clone());
    let (v1, v2) = (volume.clone(), volume);
    html! {
        <div class={classes!("claim", status_class(&claim.status), linked.then_some("linked"))} key={claim.uid.clone()}
            data-pvc={claim.name.clone()} data-status={claim.status.clone()} tabindex="0"
            onmouseenter={Callback::from(move |_| on.emit(v1.clone()))}
            onfocus={Callback::from(move |_| on_focus.emit(v2.clone()))}
            onmouseleave={Callback::from(move |_| off.emit(None))}
            onblur={Callback::from(move |_| off_blur.emit(None))}>
            <div class="claim-name"><span class="tag">{"PVC"}</span>{&claim.name}</div>
            <div><span class={classes!("badge", status_class(&claim.status))}>{&claim.status}</span>
                {" "}<span class="cap">{&claim.capacity}</span>{" "}<span class="class">{&claim.class}</span></div>
            if !claim.volume.is_empty() {
                <div class="volume mono" title={claim.volume.clone()}>{&claim.volume}</div>
            }
            { whys(&claim.why, l) }
        </div>
    }
}
