//! The terminal panel: the scrollback, and the input line at the bottom after bash's prompt. The line is a
//! one-row textarea that grows as the command wraps, its first row indented by the prompt's width, so a long
//! command wraps under the prompt as it does in a terminal instead of scrolling out of sight. Keys are
//! turned into [`Action`]s (Enter, Tab, Up/Down, Ctrl+C, Ctrl+D, Ctrl+L) and the reducer decides what the
//! screen and the line become; the readline keys that only move the caret or cut text (Ctrl+A/E/U/K/W) are
//! done here, on the input itself. Text typed with an input method (Japanese, Chinese, Korean) is left alone
//! until the composition is committed, so the Enter that confirms a conversion does not run the line.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement as LineInput, KeyboardEvent};
use yew::prelude::*;

use crate::i18n::t;
use crate::scrollback::{prompt_parts, Chunk, Prompt};
use crate::state::{Action, InputLine, Screen};

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub screen: Screen,
    pub input: InputLine,
    /// `None` while a command runs in the foreground: no prompt, as in a real terminal.
    pub prompt: Option<Prompt>,
    pub bell: u64,
    /// Lines typed while the cluster was still working: they run, in order, once it has caught up.
    #[prop_or_default]
    pub waiting: Vec<String>,
    pub on_action: Callback<Action>,
    /// The interface's language, for the panel's own words.
    #[prop_or_else(|| AttrValue::from("en"))]
    pub lang: AttrValue,
}

/// Terminal width assumed before the panel is laid out.
const DEFAULT_COLUMNS: usize = 80;

fn prompt_html(p: &Prompt) -> Html {
    match p {
        Prompt::Primary(text) => match prompt_parts(text) {
            Some((who, dir, end)) => html! {
                <span class="ps" aria-hidden="true"><span class="ps-user">{who}</span>{":"}<span class="ps-dir">{dir}</span>{end}</span>
            },
            None => html! { <span class="ps" aria-hidden="true">{text}</span> },
        },
        Prompt::Continuation => html! { <span class="ps" aria-hidden="true">{"> "}</span> },
    }
}

fn chunk_html(key: u64, c: &Chunk) -> Html {
    match c {
        Chunk::Input { prompt, text } => html! {
            <span class="in" key={key}>{prompt_html(prompt)}<span class="typed">{text}</span>{"\n"}</span>
        },
        Chunk::Stdout(t) => html! { <span class="out" key={key}>{t}</span> },
        Chunk::Stderr(t) => html! { <span class="err" key={key}>{t}</span> },
        Chunk::Echo(t) => html! { <span class="typed" key={key}>{t}</span> },
        Chunk::Note(t) => html! { <span class="note" key={key}>{t}</span> },
    }
}

/// The input's text before and after the caret (a selection is replaced by what comes).
fn split_at_caret(input: &LineInput) -> (String, String) {
    let value = input.value();
    let units: Vec<u16> = value.encode_utf16().collect();
    let len = u32::try_from(units.len()).unwrap_or(u32::MAX);
    let start = input
        .selection_start()
        .ok()
        .flatten()
        .unwrap_or(len)
        .min(len) as usize;
    let end = input
        .selection_end()
        .ok()
        .flatten()
        .unwrap_or(len)
        .min(len)
        .max(start as u32) as usize;
    (
        String::from_utf16_lossy(&units[..start]),
        String::from_utf16_lossy(&units[end..]),
    )
}

/// Puts `before` + `after` in the input with the caret between them.
fn set_line(input: &LineInput, before: &str, after: &str) {
    input.set_value(&format!("{before}{after}"));
    let caret = u32::try_from(before.encode_utf16().count()).unwrap_or(0);
    let _ = input.set_selection_range(caret, caret);
}

/// Makes the line as tall as its wrapped text.
fn fit(input: &LineInput) {
    let style = input.style();
    let _ = style.set_property("height", "auto");
    let _ = style.set_property("height", &format!("{}px", input.scroll_height()));
}

/// Whether the page has text selected (a learner copying output): clicking then must not move the focus.
fn has_selection() -> bool {
    web_sys::window()
        .and_then(|w| w.get_selection().ok().flatten())
        .is_some_and(|s| !s.is_collapsed())
}

#[component(TerminalPanel)]
pub fn terminal_panel(p: &TerminalProps) -> Html {
    let lang = p.lang.as_str();
    let screen_ref = use_node_ref();
    let input_ref = use_node_ref();
    let probe_ref = use_node_ref();
    // Follow new output only while the view is at the bottom, so scrolling back during a watch stays put.
    let stick = use_mut_ref(|| true);

    // The reducer decided the line (Enter, Tab, history): show it, caret where it says.
    {
        let input_ref = input_ref.clone();
        use_effect_with(
            (p.input.clone(), p.prompt.clone()),
            move |(line, prompt)| {
                if let Some(el) = input_ref.cast::<LineInput>() {
                    if el.value() != line.text {
                        el.set_value(&line.text);
                    }
                    // The prompt sits over the line's first row; each of its characters is one column wide.
                    let columns = prompt.as_ref().map_or(0, |p| p.text().chars().count());
                    let _ = el
                        .style()
                        .set_property("text-indent", &format!("{columns}ch"));
                    fit(&el);
                    let focused = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.active_element())
                        .is_some_and(|a| a == **el);
                    if focused {
                        let _ = el.set_selection_range(line.cursor, line.cursor);
                    }
                }
            },
        );
    }
    {
        let screen_ref = screen_ref.clone();
        let stick = stick.clone();
        use_effect_with(
            (p.screen.clone(), p.prompt.clone(), p.input.rev),
            move |_| {
                if *stick.borrow() {
                    if let Some(el) = screen_ref.cast::<HtmlElement>() {
                        el.set_scroll_top(el.scroll_height());
                    }
                }
            },
        );
    }

    let onscroll = {
        let stick = stick.clone();
        Callback::from(move |e: Event| {
            let el: HtmlElement = e.target_unchecked_into();
            *stick.borrow_mut() = el.scroll_top() + el.client_height() >= el.scroll_height() - 8;
        })
    };
    let onclick = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if has_selection() {
                return;
            }
            if let Some(el) = input_ref.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        })
    };
    let columns = {
        let probe_ref = probe_ref.clone();
        let screen_ref = screen_ref.clone();
        move || -> usize {
            let char_width = probe_ref
                .cast::<HtmlElement>()
                .map(|p| p.get_bounding_client_rect().width() / 10.0)
                .unwrap_or(0.0);
            let width = screen_ref
                .cast::<HtmlElement>()
                .map(|s| f64::from(s.client_width()) - 24.0)
                .unwrap_or(0.0);
            if char_width > 0.0 && width > 0.0 {
                ((width / char_width) as usize).max(20)
            } else {
                DEFAULT_COLUMNS
            }
        }
    };
    let onkeydown = {
        let cb = p.on_action.clone();
        let stick = stick.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() || e.key_code() == 229 {
                return;
            }
            let input: LineInput = e.target_unchecked_into();
            let key = e.key();
            let ctrl = e.ctrl_key() && !e.alt_key() && !e.meta_key();
            let plain = !e.ctrl_key() && !e.alt_key() && !e.meta_key();
            match key.as_str() {
                "Enter" if plain || ctrl => {
                    e.prevent_default();
                    *stick.borrow_mut() = true;
                    let value = input.value();
                    input.set_value("");
                    cb.emit(Action::Run(value));
                }
                // Shift+Tab still leaves the terminal, so the keyboard is never trapped in it.
                "Tab" if plain && !e.shift_key() => {
                    e.prevent_default();
                    let (before, after) = split_at_caret(&input);
                    cb.emit(Action::Complete {
                        before,
                        after,
                        width: columns(),
                    });
                }
                "ArrowUp" if plain => {
                    e.prevent_default();
                    cb.emit(Action::HistoryPrev(input.value()));
                }
                "ArrowDown" if plain => {
                    e.prevent_default();
                    cb.emit(Action::HistoryNext);
                }
                _ if ctrl && !e.shift_key() => {
                    let (before, after) = split_at_caret(&input);
                    match key.to_lowercase().as_str() {
                        // With text selected in the input, Ctrl+C copies it, as the browser does.
                        "c" if input.selection_start().ok() == input.selection_end().ok() => {
                            e.prevent_default();
                            *stick.borrow_mut() = true;
                            let value = input.value();
                            input.set_value("");
                            cb.emit(Action::Interrupt(value));
                        }
                        "l" => {
                            e.prevent_default();
                            cb.emit(Action::ClearScreen);
                        }
                        "d" if input.value().is_empty() => {
                            e.prevent_default();
                            cb.emit(Action::EndOfInput);
                        }
                        "a" => {
                            e.prevent_default();
                            set_line(&input, "", &format!("{before}{after}"));
                        }
                        "e" => {
                            e.prevent_default();
                            set_line(&input, &format!("{before}{after}"), "");
                        }
                        "u" => {
                            e.prevent_default();
                            set_line(&input, "", &after);
                        }
                        "k" => {
                            e.prevent_default();
                            set_line(&input, &before, "");
                        }
                        "w" => {
                            e.prevent_default();
                            let trimmed = before.trim_end_matches([' ', '\t']);
                            let cut = trimmed.rfind([' ', '\t']).map_or(0, |i| i + 1);
                            set_line(&input, &before[..cut], &after);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        })
    };
    let oninput = Callback::from(|e: InputEvent| fit(&e.target_unchecked_into()));
    let onpaste = {
        let cb = p.on_action.clone();
        Callback::from(move |e: Event| {
            let Some(ce) = e.dyn_ref::<web_sys::ClipboardEvent>() else {
                return;
            };
            let Some(text) = ce
                .clipboard_data()
                .and_then(|d| d.get_data("text/plain").ok())
            else {
                return;
            };
            // One line pastes as the browser pastes it; several run line by line, as in a terminal.
            if !text.contains(['\n', '\r']) {
                return;
            }
            e.prevent_default();
            let input: LineInput = e.target_unchecked_into();
            let (before, after) = split_at_caret(&input);
            cb.emit(Action::Paste {
                before,
                text,
                after,
            });
        })
    };
    let interrupt = {
        let cb = p.on_action.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let value = input_ref
                .cast::<LineInput>()
                .map(|i| i.value())
                .unwrap_or_default();
            cb.emit(Action::Interrupt(value));
        })
    };
    let clear = {
        let cb = p.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Action::ClearScreen))
    };

    let busy = p.prompt.is_none();
    let bell = match p.bell {
        0 => None,
        n if n % 2 == 0 => Some("bell-a"),
        _ => Some("bell-b"),
    };
    let lines = p.screen.lines.borrow();
    html! {
        <section class={classes!("term", busy.then_some("busy"))} id="terminal" aria-label={t(lang, "term-label")}>
            <div class="term-bar">
                <span class="term-dots" aria-hidden="true"><i></i><i></i><i></i></span>
                <span class="term-title">{"student@ordinal: ~"}</span>
                <span class="term-tools">
                    if busy {
                        <span class="term-status" role="status">{t(lang, "term-running")}</span>
                        <button class="term-btn" id="term-interrupt" onclick={interrupt} title={t(lang, "term-send-ctrl-c")}>{"^C"}</button>
                    }
                    <button class="term-btn" id="term-clear" onclick={clear} title={t(lang, "term-clear-title")}>{t(lang, "term-clear")}</button>
                </span>
            </div>
            <div class={classes!("term-screen", bell)} ref={screen_ref} {onscroll} {onclick}>
                <pre class="term-out" id="output" aria-live="polite">
                    { for lines.keyed().map(|(k, c)| chunk_html(k, c)) }
                </pre>
                if !p.waiting.is_empty() {
                    <pre class="term-waiting" title={t(lang, "term-waiting-title")}>
                        { for p.waiting.iter().map(|l| html! { <span>{l}{"\n"}</span> }) }
                    </pre>
                }
                <div class="term-line">
                    if let Some(prompt) = &p.prompt { {prompt_html(prompt)} }
                    <textarea id="term-input" ref={input_ref} rows="1" {onkeydown} {oninput} {onpaste}
                        autocomplete="off" autocapitalize="off" autocorrect="off" spellcheck="false" wrap="soft"
                        enterkeyhint="send" aria-label={t(lang, "term-input-label")} />
                </div>
                <span class="term-probe" ref={probe_ref} aria-hidden="true">{"MMMMMMMMMM"}</span>
            </div>
        </section>
    }
}
