fn main() {
    ordinal_web::install_panic_hook();
    let render = || {
        let props = ordinal_web::AppProps {
            autoplay: true,
            initial_yaml: None,
        };
        yew::Renderer::<ordinal_web::App>::with_props(props).render();
    };
    // A link into a lesson opens it in the app's first render, so the lessons' files come first (the first paint
    // in index.html shows the lesson meanwhile); any other visit fetches them when a lesson is opened.
    let link = ordinal_web::storage::read_link(&ordinal_web::storage::page_search());
    if link.lesson.is_some() {
        wasm_bindgen_futures::spawn_local(async move {
            // A failure is the app's to show (its first render says the lessons could not be loaded).
            let _ = ordinal_web::lesson_files::load().await;
            render();
        });
    } else {
        render();
    }
}
