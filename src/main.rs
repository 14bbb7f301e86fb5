fn main() {
    ordinal_web::install_panic_hook();
    let props = ordinal_web::AppProps {
        autoplay: true,
        initial_yaml: None,
    };
    yew::Renderer::<ordinal_web::App>::with_props(props).render();
}
