//! Ordinal's browser face: a thin Yew app over the engine crate. It renders snapshots of the simulated
//! cluster and turns clicks into engine calls; it decides nothing about Kubernetes itself.

pub mod components;
pub mod i18n;
pub mod scrollback;
pub mod snapshot;
pub mod state;
pub mod storage;
pub mod why_text;

pub use components::{App, AppProps};

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
        if let Ok(panel) = doc.create_element("div") {
            panel.set_id("panic");
            panel.set_class_name("panic-panel");
            panel.set_attribute("role", "alertdialog").ok();
            panel.set_inner_html(
                "<h2>Ordinal stopped because of a bug</h2>\
                 <p>Your YAML is saved in this browser; reloading the page brings it back.</p>\
                 <pre></pre><button onclick=\"location.reload()\">Reload</button>",
            );
            if let Ok(Some(pre)) = panel.query_selector("pre") {
                pre.set_text_content(Some(&message));
            }
            let _ = body.append_child(&panel);
        }
    }));
}
