//! The built-in lessons' files in the browser. They are not compiled into the app's wasm (a first visit that
//! never opens a lesson does not download them): the build writes them as one file, `lessons/builtin.json`
//! beside the app, fetched when a lesson is first opened (or before the first render, for a link into a lesson),
//! and kept by the service worker for visits without a network. The single file for `file://`, where nothing
//! can be fetched, carries the same text in a `<script type="application/json" id="ordinal-lessons">`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the bundle is, relative to the page.
const URL: &str = "lessons/builtin.json";

/// Reads the lessons unless they are already read: from the page itself, or fetched. Why not, when it fails (no
/// network and no cached copy, a truncated download).
pub async fn load() -> Result<(), String> {
    if crate::state::lessons_ready() {
        return Ok(());
    }
    let read = match inline() {
        Some(text) => crate::state::set_lessons(&text),
        None => match fetch_text(URL).await {
            Ok(text) => crate::state::set_lessons(&text),
            Err(e) => Err(e),
        },
    };
    if let Err(why) = &read {
        LAST_ERROR.with(|e| e.replace(Some(why.clone())));
    }
    read
}

thread_local! {
    static LAST_ERROR: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Why the last [`load`] failed.
pub fn last_error() -> Option<String> {
    LAST_ERROR.with(|e| e.borrow().clone())
}

/// The bundle carried in the page (the single file).
fn inline() -> Option<String> {
    web_sys::window()?
        .document()?
        .get_element_by_id("ordinal-lessons")?
        .text_content()
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = |e: wasm_bindgen::JsValue| {
        e.as_string()
            .or_else(|| {
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
            })
            .unwrap_or_else(|| format!("{url} could not be fetched"))
    };
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| format!("{url}: not a response"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}
