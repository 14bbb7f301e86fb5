//! What survives a reload (or a crash) in localStorage: the learner's editor text, and how the page is drawn.

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
