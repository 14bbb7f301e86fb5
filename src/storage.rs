//! What survives a reload (or a crash) in localStorage: the learner's editor text, and how the page is drawn.

use wasm_bindgen::JsCast;

const EDITOR_KEY: &str = "ordinal.editor";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load_editor() -> Option<String> {
    local()?
        .get_item(EDITOR_KEY)
        .ok()?
        .filter(|s| !s.trim().is_empty())
}

pub fn save_editor(text: &str) {
    if let Some(s) = local() {
        // Storage may be full or disabled; the editor still works without it.
        let _ = s.set_item(EDITOR_KEY, text);
    }
}

const THEME_KEY: &str = "ordinal.theme";
const SIZE_KEY: &str = "ordinal.size";

/// How the page is drawn: the theme the learner chose (`None`: the system's), and large text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Display {
    pub dark: Option<bool>,
    pub large: bool,
}

pub fn load_display() -> Display {
    let get = |k| local().and_then(|s| s.get_item(k).ok().flatten());
    Display {
        dark: get(THEME_KEY).map(|t| t == "dark"),
        large: get(SIZE_KEY).as_deref() == Some("large"),
    }
}

pub fn save_display(d: Display) {
    if let Some(s) = local() {
        let _ = match d.dark {
            Some(dark) => s.set_item(THEME_KEY, if dark { "dark" } else { "light" }),
            None => s.remove_item(THEME_KEY),
        };
        let _ = s.set_item(SIZE_KEY, if d.large { "large" } else { "normal" });
    }
}

/// Whether the system asks for a dark theme.
pub fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Puts the choice on the document's root element, where the stylesheet reads it.
pub fn apply_display(d: Display) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|doc| doc.document_element())
    else {
        return;
    };
    let _ = match d.dark {
        Some(dark) => root.set_attribute("data-theme", if dark { "dark" } else { "light" }),
        None => root.remove_attribute("data-theme"),
    };
    let _ = if d.large {
        root.set_attribute("data-size", "large")
    } else {
        root.remove_attribute("data-size")
    };
}

const LANGUAGE_KEY: &str = "ordinal.language";

/// The interface's language the learner chose last.
pub fn load_language() -> Option<String> {
    local()?.get_item(LANGUAGE_KEY).ok()?
}

pub fn save_language(lang: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(LANGUAGE_KEY, lang);
    }
}

const PROGRESS_KEY: &str = "ordinal.lessons";

/// How far the learner got in each lesson: a line per lesson, `id<TAB>step<TAB>done-step,done-step`.
pub fn load_progress() -> crate::state::Progress {
    let text = local()
        .and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten())
        .unwrap_or_default();
    read_progress(&text)
}

/// Reads what [`save_progress`] wrote; a line it cannot read is skipped.
pub fn read_progress(text: &str) -> crate::state::Progress {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let id = fields.next().filter(|id| !id.is_empty())?;
            let step = fields.next()?.parse().ok()?;
            let done = fields
                .next()
                .unwrap_or("")
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            Some((id.to_string(), crate::state::LessonProgress { step, done }))
        })
        .collect()
}

/// Writes the progress as [`load_progress`] reads it.
pub fn write_progress(progress: &crate::state::Progress) -> String {
    progress
        .iter()
        .map(|(id, p)| format!("{id}\t{}\t{}\n", p.step, p.done.join(",")))
        .collect()
}

pub fn save_progress(progress: &crate::state::Progress) {
    if let Some(s) = local() {
        let _ = s.set_item(PROGRESS_KEY, &write_progress(progress));
    }
}

/// What a link into the playground asks for: `?lesson=basics&step=3&lang=ja` (the step counted from 1).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub lesson: Option<String>,
    pub step: usize,
    pub lang: Option<String>,
    /// `embed=1`: the compact page for an `<iframe>` in a course page, without the page's own chrome.
    pub embed: bool,
    /// `panels=lesson,editor,terminal,cluster`: the panels to show (all when not given).
    pub panels: Option<Vec<String>>,
}

/// Reads a page address's query (`?a=b&c=d`, percent-encoded).
pub fn read_link(search: &str) -> Link {
    let mut link = Link::default();
    for pair in search.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = js_sys::decode_uri_component(&value.replace('+', " "))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        match key {
            "lesson" if !value.is_empty() => link.lesson = Some(value),
            "step" => link.step = value.parse::<usize>().unwrap_or(1).saturating_sub(1),
            "lang" if !value.is_empty() => link.lang = Some(value),
            "embed" => link.embed = value != "0" && value != "false",
            "panels" => {
                link.panels = Some(value.split(',').map(|p| p.trim().to_string()).collect());
            }
            _ => {}
        }
    }
    link
}

/// The page's address with `lesson`, `step` and `lang` set to what the learner sees (other parameters kept), so
/// the address can be copied and opened elsewhere at the same place.
pub fn write_link(search: &str, lesson: Option<(&str, usize)>, lang: &str) -> String {
    let mut pairs: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("");
            !p.is_empty() && !["lesson", "step", "lang"].contains(&key)
        })
        .map(str::to_string)
        .collect();
    let encode = |v: &str| String::from(js_sys::encode_uri_component(v));
    if let Some((id, step)) = lesson {
        pairs.push(format!("lesson={}", encode(id)));
        pairs.push(format!("step={}", step + 1));
    }
    pairs.push(format!("lang={}", encode(lang)));
    format!("?{}", pairs.join("&"))
}

/// The page's query string.
pub fn page_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Replaces the page's address with one whose query is `search`, without a new history entry.
pub fn replace_search(search: &str) {
    let Some(w) = web_sys::window() else {
        return;
    };
    if w.location().search().ok().as_deref() == Some(search) {
        return;
    }
    let path = w.location().pathname().unwrap_or_default();
    let hash = w.location().hash().unwrap_or_default();
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}{hash}")),
        );
    }
}

const SESSION_KEY: &str = "ordinal.session";
const BROKEN_SESSION_KEY: &str = "ordinal.session.unreadable";

/// The session kept by the last visit, as text.
pub fn load_session() -> Option<String> {
    local()?.get_item(SESSION_KEY).ok()?
}

/// Keeps the session; the error says why it could not be (no storage in a private window, storage full).
pub fn save_session(text: &str) -> Result<(), String> {
    let storage = local().ok_or("this browser keeps no storage for this page")?;
    storage.set_item(SESSION_KEY, text).map_err(|e| {
        e.dyn_ref::<js_sys::Error>().map_or_else(
            || "the browser refused to store it".to_string(),
            |e| String::from(e.message()),
        )
    })
}

/// Puts a session that could not be read aside (it is not overwritten by the new one), and forgets it.
pub fn set_aside_session(text: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(BROKEN_SESSION_KEY, text);
        let _ = s.remove_item(SESSION_KEY);
    }
}

/// Keeps a session under another key (the learner's own, before a link or a file replaces it).
pub fn set_aside(text: &str, key: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, text);
    }
}
