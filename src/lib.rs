//! Ordinal's browser face: a thin Yew app over the engine crate. It renders snapshots of the simulated
//! cluster and turns clicks into engine calls; it decides nothing about Kubernetes itself.

pub mod components;
pub mod i18n;
pub mod lesson_files;
pub mod scrollback;
pub mod session;
pub mod share;
pub mod snapshot;
pub mod state;
pub mod storage;
pub mod why_text;

pub use components::{App, AppProps};

use wasm_bindgen::JsCast;

/// Replaces the default panic behaviour (a dead page) with a panel that says what happened and offers a
/// reload; the learner's YAML is already in localStorage, so nothing typed is lost.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.clone().into());
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = doc.body() else { return };
        if doc.get_element_by_id("panic").is_some() {
            return;
        }
        // Built element by element, the message as text: nothing in it is read as HTML, and no inline handler
        // (the page's Content-Security-Policy forbids them).
        let element = |tag: &str, text: &str| {
            let e = doc.create_element(tag).ok()?;
            e.set_text_content(Some(text));
            Some(e)
        };
        let (Some(panel), Some(title), Some(saved), Some(pre), Some(reload)) = (
            element("div", ""),
            element("h2", "Ordinal stopped because of a bug"),
            element(
                "p",
                "Your YAML is saved in this browser; reloading the page brings it back.",
            ),
            element("pre", &message),
            element("button", "Reload"),
        ) else {
            return;
        };
        panel.set_id("panic");
        panel.set_class_name("panic-panel");
        panel.set_attribute("role", "alertdialog").ok();
        let on_reload = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        let _ =
            reload.add_event_listener_with_callback("click", on_reload.as_ref().unchecked_ref());
        // The panel lives as long as the page.
        on_reload.forget();
        for child in [&title, &saved, &pre, &reload] {
            let _ = panel.append_child(child);
        }
        let _ = body.append_child(&panel);
    }));
}
