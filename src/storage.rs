//! The learner's editor text survives a reload (or a crash) in localStorage.

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
