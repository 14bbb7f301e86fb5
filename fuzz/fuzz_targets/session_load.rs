//! Any bytes as a kept or shared session (what localStorage, a link or a file hands the page): read, checked,
//! and when accepted rebuilt on a fresh page by replaying it. Nothing may panic or run without end; what is
//! refused is refused with a reason.
#![no_main]

use std::rc::Rc;

use libfuzzer_sys::fuzz_target;
use ordinal_web::state::{Action, AppState, WEB_YAML};
use yew::Reducible;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(saved) = ordinal_web::session::decode(&text) else {
        return;
    };
    let mut page = AppState::new(WEB_YAML.to_string(), true);
    page.restore(saved);
    let mut page = Rc::new(page);
    for _ in 0..200_000 {
        if !page.working && !page.replaying() {
            break;
        }
        page = page.reduce(Action::Work);
    }
});
