//! The YAML editor: a textarea with line numbers; lines with errors are marked, and the errors are listed
//! under it with their document and line.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::i18n::t;
use crate::state::{Applied, EditorError};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: String,
    pub errors: Vec<EditorError>,
    pub on_edit: Callback<String>,
    /// `kubectl edit` has this object open (`statefulset.apps/web`): the editor saves it instead of the
    /// manifest.
    #[prop_or_default]
    pub editing: Option<String>,
    #[prop_or_default]
    pub on_save: Callback<()>,
    #[prop_or_default]
    pub on_cancel: Callback<()>,
    /// The file shown, and every manifest of the learner's home directory, one tab each.
    #[prop_or_else(|| "web.yaml".into())]
    pub file: AttrValue,
    #[prop_or_default]
    pub files: Vec<String>,
    #[prop_or_default]
    pub on_open: Callback<String>,
    #[prop_or_default]
    pub on_new: Callback<()>,
    /// What the last Apply said, object by object.
    #[prop_or_default]
    pub applied: Option<Applied>,
    #[prop_or_else(|| "en".into())]
    pub lang: AttrValue,
}

#[component(Editor)]
pub fn editor(p: &EditorProps) -> Html {
    let gutter = use_node_ref();
    let oninput = {
        let cb = p.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(area.value());
        })
    };
    // Keep the line numbers scrolled with the text.
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<web_sys::HtmlElement>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let lines = p.text.lines().count().max(1) + usize::from(p.text.ends_with('\n'));
    let bad: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
    let l = p.lang.as_str();
    html! {
        <div class="editor-card card">
            if let Some(object) = &p.editing {
                <div class="card-title editing">
                    <span>{format!("kubectl edit {object}")}</span>
                    <span class="edit-actions">
                        <button class="btn primary" id="save-edit"
                            onclick={p.on_save.reform(|_| ())}>{t(l, "ed-save")}</button>
                        <button class="btn" id="cancel-edit"
                            onclick={p.on_cancel.reform(|_| ())}>{t(l, "ed-close")}</button>
                    </span>
                </div>
            } else {
                <div class="card-title tabs-row">
                    <div class="tabs" role="tablist" aria-label={t(l, "ed-files")}>
                        { for p.files.iter().map(|f| {
                            let open = p.on_open.clone();
                            let name = f.clone();
                            let on = *f == *p.file;
                            html! {
                                <button role="tab" class={classes!("tab", on.then_some("on"))} aria-selected={on.to_string()}
                                    data-file={f.clone()} onclick={Callback::from(move |_| open.emit(name.clone()))}>{f}</button>
                            }
                        }) }
                    </div>
                    <button class="tab new" id="new-file" title={t(l, "ed-new-title")}
                        aria-label={t(l, "ed-new")} onclick={p.on_new.reform(|_| ())}>{"+"}</button>
                    <span class="hint">{t(l, "edit-hint")}</span>
                </div>
            }
            <div class={classes!("editor", (!p.errors.is_empty()).then_some("has-error"))}>
                <div class="gutter" ref={gutter} aria-hidden="true">
                    { for (1..=lines).map(|n| html! {
                        <div class={classes!("ln", bad.contains(&n).then_some("bad"))}>{n}</div>
                    }) }
                </div>
                <textarea id="yaml" spellcheck="false" autocapitalize="off" autocomplete="off"
                    aria-label={t(l, "ed-yaml")}
                    value={p.text.clone()} {oninput} {onscroll} />
            </div>
            if !p.errors.is_empty() {
                <div class="error-panel" role="alert">
                    { for p.errors.iter().map(|e| html! {
                        <div class="error">
                            <div class="where">{&e.location}</div>
                            <pre class="what">{&e.message}</pre>
                        </div>
                    }) }
                    <div class="nothing-applied">{t(l, "ed-nothing-applied")}</div>
                </div>
            } else if let Some(applied) = &p.applied {
                <div class="applied" id="applied">
                    <code class="applied-line">{&applied.line}</code>
                    <ul>
                        { for applied.lines.iter().map(|(error, l)| html! {
                            <li class={classes!(if *error { "bad" } else { "ok" })}>
                                <span class="mark" aria-hidden="true">{if *error { "✗ " } else { "✓ " }}</span>{applied_line(l)}
                            </li>
                        }) }
                    </ul>
                </div>
            }
        </div>
    }
}

/// One line of what kubectl printed. A patch the server could not read is named whole in it (`patch: Invalid
/// value: "map[…the patch…]": why`): the patch is folded away so that why stays in view; it opens on a click.
fn applied_line(line: &str) -> Html {
    const MARK: &str = "patch: Invalid value: \"";
    let split = line.find(MARK).and_then(|start| {
        let value_at = start + MARK.len();
        let end = line.rfind("\": ")?;
        (end >= value_at).then_some((value_at, end))
    });
    let Some((value_at, end)) = split else {
        return html! { {line} };
    };
    let value = &line[value_at..end];
    let short: String = value.chars().take(24).collect();
    html! {
        <>
            {&line[..value_at - 1]}
            <details class="long-value">
                <summary><code>{format!("\"{short}…\"")}</code></summary>
                <code>{format!("\"{value}\"")}</code>
            </details>
            {&line[end + 1..]}
        </>
    }
}
