//! The whole app in a real browser (headless Chromium and Firefox): click Apply, advance the virtual clock with
//! the +5s button, and read what a learner sees in the DOM.

#![cfg(target_arch = "wasm32")]
// A failed lookup in a test is a failed test: unwrap is the assertion here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::scheduler;

use ordinal_web::state::WEB_YAML;
use ordinal_web::{App, AppProps};

wasm_bindgen_test_configure!(run_in_browser);

async fn mount(yaml: &str) -> Element {
    let doc = gloo_document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let props = AppProps {
        autoplay: false,
        initial_yaml: Some(yaml.to_string().into()),
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    scheduler::flush().await;
    root
}

fn gloo_document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn click(root: &Element, selector: &str) {
    let el: HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap();
    el.click();
    scheduler::flush().await;
}

/// `(name, STATUS)` of every card carrying `attr` (`data-pod`, `data-pvc`), in page order.
fn cards(root: &Element, attr: &str) -> Vec<(String, String)> {
    let list = root.query_selector_all(&format!("[{attr}]")).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .map(|e| {
            (
                e.get_attribute(attr).unwrap(),
                e.get_attribute("data-status").unwrap(),
            )
        })
        .collect()
}

fn pods(root: &Element) -> Vec<(String, String)> {
    cards(root, "data-pod")
}

fn claims(root: &Element) -> Vec<(String, String)> {
    cards(root, "data-pvc")
}

fn running(root: &Element) -> Vec<String> {
    pods(root)
        .into_iter()
        .filter(|(_, s)| s == "Running")
        .map(|(n, _)| n)
        .collect()
}

/// Presses +5s until `done` holds (at most `max` times), checking `each` after every press.
async fn advance_until(
    root: &Element,
    max: usize,
    mut each: impl FnMut(&Element),
    done: impl Fn(&Element) -> bool,
) {
    for _ in 0..max {
        if done(root) {
            return;
        }
        click(root, "#step").await;
        each(root);
    }
    assert!(
        done(root),
        "not reached after {max} steps: {:?}",
        pods(root)
    );
}

/// Presses +5s `times` times.
async fn advance(root: &Element, times: usize) {
    for _ in 0..times {
        click(root, "#step").await;
    }
}

#[wasm_bindgen_test]
async fn apply_brings_pods_up_in_ordinal_order() {
    let root = mount(WEB_YAML).await;
    assert!(pods(&root).is_empty());
    click(&root, "#apply").await;
    assert_eq!(pods(&root), [("web-0".to_string(), "Pending".to_string())]);
    let output = root
        .query_selector("#output")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(output.contains("statefulset.apps/web created"), "{output}");
    let mut seen_creating = false;
    advance_until(
        &root,
        20,
        |r| {
            let p = pods(r);
            seen_creating |= p
                .iter()
                .any(|(n, s)| n == "web-0" && s == "ContainerCreating");
            // web-1 never appears while web-0 is not Running.
            if p.iter().any(|(n, _)| n == "web-1") {
                assert!(p.contains(&("web-0".into(), "Running".into())), "{p:?}");
            }
        },
        |r| running(r) == ["web-0", "web-1"],
    )
    .await;
    assert!(seen_creating);
    assert_eq!(
        claims(&root),
        [
            ("www-web-0".into(), "Bound".into()),
            ("www-web-1".into(), "Bound".into())
        ]
    );
    let ready = root
        .query_selector(".sts-ready")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(ready, "2/2");
}

#[wasm_bindgen_test]
async fn scale_up_adds_web_2_with_its_own_claim_and_scale_down_keeps_it() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 2).await;
    click(&root, "#scale-up").await;
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 3).await;
    assert_eq!(running(&root), ["web-0", "web-1", "web-2"]);
    assert!(claims(&root).contains(&("www-web-2".into(), "Bound".into())));
    click(&root, "#scale-down").await;
    advance_until(&root, 10, |_| {}, |r| pods(r).len() == 2).await;
    assert_eq!(running(&root), ["web-0", "web-1"]);
    // The claim outlives its pod.
    assert_eq!(claims(&root).len(), 3);
}

#[wasm_bindgen_test]
async fn a_yaml_syntax_error_shows_its_line_and_applies_nothing() {
    let root = mount(WEB_YAML).await;
    let broken = WEB_YAML.replace("  replicas: 2", "  replicas: 2\n   bad: indent");
    let area: HtmlTextAreaElement = root
        .query_selector("#yaml")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value(&broken);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    area.dispatch_event(&event).unwrap();
    scheduler::flush().await;
    click(&root, "#apply").await;
    let panel = root
        .query_selector(".error-panel")
        .unwrap()
        .expect("an error panel")
        .text_content()
        .unwrap();
    assert!(panel.contains("document 2, line 22"), "{panel}");
    assert!(panel.contains("error converting YAML to JSON"), "{panel}");
    assert!(root.query_selector(".gutter .ln.bad").unwrap().is_some());
    click(&root, "#step").await;
    assert!(pods(&root).is_empty());
    assert!(root.query_selector("[data-sts]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn deleting_a_pod_from_its_card_brings_back_the_same_name_and_claim() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 2).await;
    click(&root, "[data-pod=\"web-1\"] .pod-actions button").await;
    assert!(
        pods(&root).contains(&("web-1".to_string(), "Terminating".to_string())),
        "{:?}",
        pods(&root)
    );
    let output = root
        .query_selector("#output")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        output.contains("pod \"web-1\" deleted from default namespace"),
        "{output}"
    );
    advance_until(&root, 20, |_| {}, |r| running(r) == ["web-0", "web-1"]).await;
    assert_eq!(claims(&root).len(), 2);
}

#[wasm_bindgen_test]
async fn cordoning_every_worker_leaves_a_new_pod_pending() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 2).await;
    for node in ["kind-worker", "kind-worker2"] {
        click(
            &root,
            &format!("[data-node=\"{node}\"] .node-actions button"),
        )
        .await;
        let status = root
            .query_selector(&format!("[data-node=\"{node}\"]"))
            .unwrap()
            .unwrap()
            .get_attribute("data-status")
            .unwrap();
        assert_eq!(status, "Ready,SchedulingDisabled");
    }
    click(&root, "#scale-up").await;
    advance(&root, 4).await;
    assert!(
        pods(&root).contains(&("web-2".to_string(), "Pending".to_string())),
        "{:?}",
        pods(&root)
    );
    let events = root
        .query_selector("#events")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(events.contains("2 node(s) were unschedulable"), "{events}");
}
