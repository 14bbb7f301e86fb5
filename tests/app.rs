//! The whole app in a real browser (headless Chromium and Firefox): click Apply, advance the virtual clock with
//! the +5s button, and read what a learner sees in the DOM.

#![cfg(target_arch = "wasm32")]
// A failed lookup in a test is a failed test: unwrap is the assertion here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};
use yew::scheduler;

use ordinal_web::state::WEB_YAML;
use ordinal_web::{App, AppProps};

wasm_bindgen_test_configure!(run_in_browser);

/// The lessons' files as the single file carries them (the served page fetches them; this test server has
/// none to fetch), read before the app starts as a link into a lesson has them read.
async fn with_lessons() {
    let doc = gloo_document();
    if doc.get_element_by_id("ordinal-lessons").is_none() {
        let data = doc.create_element("script").unwrap();
        data.set_attribute("type", "application/json").unwrap();
        data.set_id("ordinal-lessons");
        data.set_text_content(Some(&ordinal_lessons::builtin_bundle()));
        doc.body().unwrap().append_child(&data).unwrap();
    }
    ordinal_web::lesson_files::load().await.unwrap();
}

async fn mount(yaml: &str) -> Element {
    with_lessons().await;
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

/// Clicks, and lets the page carry out what the click asked for (on a slow machine that can take several of
/// the page's slices, and the view is refreshed when the work ends).
async fn click(root: &Element, selector: &str) {
    click_only(root, selector).await;
    until(root, 2_000, |r| !working(r)).await;
}

/// Clicks, and only flushes the render: the page may still be working.
async fn click_only(root: &Element, selector: &str) {
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

/// Presses +5s until `done` holds (at most `max` times), checking `each` after every press. Each press waits
/// for the work of the one before (on a slow machine a press can take several of the page's slices).
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

// The terminal: typed commands, keys and what a learner reads in the scrollback.

fn input(root: &Element) -> HtmlTextAreaElement {
    root.query_selector("#term-input")
        .unwrap()
        .expect("the terminal's input")
        .dyn_into()
        .unwrap()
}

fn screen(root: &Element) -> String {
    root.query_selector("#output")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

/// The prompt in front of the input line ("" while a command runs in the foreground).
fn prompt(root: &Element) -> String {
    root.query_selector(".term-line .ps")
        .unwrap()
        .map(|p| p.text_content().unwrap())
        .unwrap_or_default()
}

/// Dispatches a keydown on the terminal's input, as a key press would.
async fn key(root: &Element, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input(root).dispatch_event(&event).unwrap();
    scheduler::flush().await;
}

/// Types `text` into the input (replacing what is there), the caret at its end.
fn type_text(root: &Element, text: &str) {
    let i = input(root);
    i.set_value(text);
    let end = text.encode_utf16().count() as u32;
    i.set_selection_range(end, end).unwrap();
}

/// Types `line` and presses Enter.
/// Types a line and presses Enter, and lets the page carry it out.
async fn run(root: &Element, line: &str) {
    run_only(root, line).await;
    until(root, 2_000, |r| !working(r)).await;
}

/// Types a line and presses Enter; the page may still be working.
async fn run_only(root: &Element, line: &str) {
    type_text(root, line);
    key(root, "Enter", false).await;
}

#[wasm_bindgen_test]
async fn typed_kubectl_get_pods_prints_the_table_after_apply() {
    let root = mount(WEB_YAML).await;
    assert_eq!(prompt(&root), "student@ordinal:~$ ");
    click(&root, "#apply").await;
    let text = screen(&root);
    assert!(
        text.contains("student@ordinal:~$ kubectl apply -f web.yaml\nservice/nginx created\nstatefulset.apps/web created\n"),
        "the button shows as a typed command: {text}"
    );
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 2).await;
    run(&root, "kubectl get pods").await;
    let text = screen(&root);
    assert!(
        text.contains("student@ordinal:~$ kubectl get pods\nNAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          "),
        "{text}"
    );
    assert!(
        text.contains("\nweb-1   1/1     Running   0          "),
        "{text}"
    );
    assert_eq!(input(&root).value(), "", "Enter clears the line");
    // stderr is shown apart.
    run(&root, "kubectl get pod nope").await;
    let err = root.query_selector_all("#output .err").unwrap();
    let last = err.item(err.length() - 1).unwrap().text_content().unwrap();
    assert_eq!(
        last,
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
}

#[wasm_bindgen_test]
async fn arrow_up_recalls_commands_and_down_comes_back_to_the_typed_line() {
    let root = mount(WEB_YAML).await;
    run(&root, "echo one").await;
    run(&root, "echo two").await;
    assert!(screen(&root).contains("$ echo two\ntwo\n"));
    type_text(&root, "kubectl get");
    key(&root, "ArrowUp", false).await;
    assert_eq!(input(&root).value(), "echo two");
    key(&root, "ArrowUp", false).await;
    assert_eq!(input(&root).value(), "echo one");
    key(&root, "ArrowUp", false).await;
    assert_eq!(input(&root).value(), "echo one", "the oldest entry stays");
    key(&root, "ArrowDown", false).await;
    assert_eq!(input(&root).value(), "echo two");
    key(&root, "ArrowDown", false).await;
    assert_eq!(
        input(&root).value(),
        "kubectl get",
        "the line being typed is back"
    );
    key(&root, "ArrowUp", false).await;
    key(&root, "Enter", false).await;
    assert!(
        screen(&root).ends_with("$ echo two\ntwo\n"),
        "{}",
        screen(&root)
    );
}

#[wasm_bindgen_test]
async fn tab_completes_names_and_lists_candidates_on_a_second_tab() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 2).await;
    type_text(&root, "kubectl get statefulsets w");
    key(&root, "Tab", false).await;
    assert_eq!(input(&root).value(), "kubectl get statefulsets web ");
    type_text(&root, "kubectl get po");
    key(&root, "Tab", false).await;
    assert_eq!(input(&root).value(), "kubectl get pods ");
    key(&root, "Tab", false).await;
    assert_eq!(
        input(&root).value(),
        "kubectl get pods web-",
        "the common prefix"
    );
    let before = screen(&root);
    key(&root, "Tab", false).await;
    let after = screen(&root);
    assert!(
        after.ends_with("$ kubectl get pods web-\nweb-0  web-1\n"),
        "a second Tab lists, like bash: {after}"
    );
    assert!(after.len() > before.len());
    assert_eq!(
        input(&root).value(),
        "kubectl get pods web-",
        "the line stays"
    );
    // The caret's word is completed and what follows it is kept.
    type_text(&root, "kubectl desc pod web-0");
    input(&root).set_selection_range(12, 12).unwrap();
    key(&root, "Tab", false).await;
    assert_eq!(input(&root).value(), "kubectl describe pod web-0");
}

#[wasm_bindgen_test]
async fn a_watch_streams_rows_as_the_clock_advances_and_stops_on_ctrl_c() {
    let root = mount(WEB_YAML).await;
    run(&root, "kubectl get pods -w").await;
    // A watch on nothing prints nothing yet (kubectl's watch never says "No resources found").
    assert!(
        screen(&root).ends_with("$ kubectl get pods -w\n"),
        "{}",
        screen(&root)
    );
    assert_eq!(prompt(&root), "", "no prompt while the watch runs");
    assert!(root.query_selector("#term-interrupt").unwrap().is_some());
    click(&root, "#apply").await;
    assert!(
        screen(&root)
            .contains("# from the toolbar: kubectl apply -f web.yaml\nservice/nginx created\n"),
        "{}",
        screen(&root)
    );
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 2).await;
    let text = screen(&root);
    let row = |name: &str, ready: &str, status: &str| {
        text.lines().any(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            cells.len() == 5 && cells[0] == name && cells[1] == ready && cells[2] == status
        })
    };
    assert!(
        text.contains(
            "\nNAME    READY   STATUS    RESTARTS   AGE\nweb-0   0/1     Pending   0          0s\n"
        ),
        "the header comes with the first row: {text}"
    );
    assert!(row("web-0", "0/1", "Pending"), "{text}");
    assert!(row("web-0", "0/1", "ContainerCreating"), "{text}");
    assert!(row("web-0", "1/1", "Running"), "{text}");
    assert!(row("web-1", "1/1", "Running"), "{text}");
    // Text typed during the watch is echoed and not run.
    run(&root, "kubectl delete sts web").await;
    assert!(screen(&root).ends_with("kubectl delete sts web\n"));
    key(&root, "c", true).await;
    assert!(screen(&root).ends_with("^C\n"), "{}", screen(&root));
    assert_eq!(prompt(&root), "student@ordinal:~$ ");
    assert!(root.query_selector("#term-interrupt").unwrap().is_none());
    let stopped = screen(&root);
    click(&root, "#scale-up").await;
    advance(&root, 3).await;
    let text = screen(&root);
    assert!(
        text.starts_with(&stopped) && !text[stopped.len()..].contains("web-2 "),
        "no rows after Ctrl+C: {}",
        &text[stopped.len()..]
    );
    assert!(
        root.query_selector("[data-sts=\"web\"]").unwrap().is_some(),
        "the echoed delete never ran"
    );
}

#[wasm_bindgen_test]
async fn a_loop_typed_at_the_prompt_runs_with_the_clock_until_ctrl_c() {
    let root = mount(WEB_YAML).await;
    run(
        &root,
        "n=0; while true; do n=$((n+1)); echo \"pass $n\"; sleep 5; done",
    )
    .await;
    assert!(screen(&root).ends_with("pass 1\n"), "{}", screen(&root));
    assert_eq!(prompt(&root), "", "no prompt while the loop runs");
    // Each +5s press ends one sleep, and the loop goes round once more.
    advance(&root, 2).await;
    assert!(
        screen(&root).ends_with("pass 1\npass 2\npass 3\n"),
        "{}",
        screen(&root)
    );
    key(&root, "c", true).await;
    assert!(screen(&root).ends_with("pass 3\n^C\n"), "{}", screen(&root));
    assert_eq!(prompt(&root), "student@ordinal:~$ ");
    advance(&root, 2).await;
    assert!(screen(&root).ends_with("^C\n"), "nothing after Ctrl+C");
    // The shell kept what the loop set.
    run(&root, "echo $n").await;
    assert!(
        screen(&root).ends_with("$ echo $n\n3\n"),
        "{}",
        screen(&root)
    );
}

#[wasm_bindgen_test]
async fn ctrl_c_abandons_a_line_and_ctrl_l_clears_the_screen() {
    let root = mount(WEB_YAML).await;
    type_text(&root, "kubectl get po");
    key(&root, "c", true).await;
    assert!(screen(&root).ends_with("$ kubectl get po^C\n"));
    assert_eq!(input(&root).value(), "");
    run(&root, "echo hello").await;
    key(&root, "l", true).await;
    assert_eq!(screen(&root), "");
    run(&root, "echo again; clear").await;
    assert_eq!(screen(&root), "");
}

#[wasm_bindgen_test]
async fn heredocs_and_continued_lines_read_more_lines_with_ps2() {
    let root = mount(WEB_YAML).await;
    run(&root, "cat <<EOF | kubectl apply -f -").await;
    assert_eq!(prompt(&root), "> ");
    for line in [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: settings",
        "data:",
        "  mode: 日本語",
    ] {
        run(&root, line).await;
    }
    assert_eq!(prompt(&root), "> ");
    run(&root, "EOF").await;
    assert_eq!(prompt(&root), "student@ordinal:~$ ");
    assert!(
        screen(&root).ends_with("> EOF\nconfigmap/settings created\n"),
        "{}",
        screen(&root)
    );
    run(&root, "kubectl get configmap settings \\").await;
    assert_eq!(prompt(&root), "> ");
    run(&root, "  -o jsonpath='{.data.mode}'; echo").await;
    assert!(
        screen(&root).ends_with(">   -o jsonpath='{.data.mode}'; echo\n日本語\n"),
        "{}",
        screen(&root)
    );
    run(&root, "for i in 0 1").await;
    run(&root, "do echo n=$i").await;
    run(&root, "done").await;
    assert!(
        screen(&root).ends_with("> done\nn=0\nn=1\n"),
        "{}",
        screen(&root)
    );
    key(&root, "ArrowUp", false).await;
    assert_eq!(input(&root).value(), "for i in 0 1; do echo n=$i; done");
}

#[wasm_bindgen_test]
async fn the_view_follows_the_namespace_the_terminals_kubectl_uses() {
    let root = mount(WEB_YAML).await;
    let ns = |r: &Element| {
        r.query_selector("#namespace")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert!(ns(&root).contains("default"), "{}", ns(&root));
    run(&root, "alias kubectl=\"kubectl -n $(id -un)\"").await;
    assert!(ns(&root).contains("student"), "{}", ns(&root));
    click(&root, "#apply").await;
    assert!(screen(&root).contains("statefulset.apps/web created"));
    assert!(until(&root, 500, |r| !working(r)).await);
    assert_eq!(pods(&root), [("web-0".to_string(), "Pending".to_string())]);
    run(&root, "kubectl get sts").await;
    assert!(
        screen(&root).contains("NAME   READY   AGE\nweb    0/2     0s\n"),
        "{}",
        screen(&root)
    );
    run(&root, "unalias kubectl").await;
    assert!(pods(&root).is_empty(), "default has no pods");
}

#[wasm_bindgen_test]
async fn nothing_typed_breaks_the_terminal() {
    let root = mount(WEB_YAML).await;
    for line in [
        "",
        "   ",
        "'",
        "\"",
        "$(",
        "echo $((1+2))",
        "kubectl",
        "kubectl get",
        "kubectl apply -f",
        "kubectl get pods -o jsonpath='{.items[*]'",
        "if true; then echo x; fi",
        "ｋｕｂｅｃｔｌ get pods",
        "kubectl get ポッド",
        "seq 100000",
        "echo $(seq 100000)",
        ":(){ :|:& };:",
        "alias a=b b=a; a",
    ] {
        type_text(&root, line);
        key(&root, "Tab", false).await;
        key(&root, "Tab", false).await;
        key(&root, "Enter", false).await;
        key(&root, "c", true).await;
    }
    let lines = screen(&root).lines().count();
    assert!(
        lines <= ordinal_web::scrollback::MAX_LINES + 1,
        "{lines} lines kept"
    );
    run(&root, "echo still here").await;
    assert!(screen(&root).ends_with("$ echo still here\nstill here\n"));
}

#[wasm_bindgen_test]
async fn pasted_lines_run_one_by_one_and_the_last_one_waits() {
    let root = mount(WEB_YAML).await;
    type_text(&root, "# ");
    let data = web_sys::DataTransfer::new().unwrap();
    data.set_data("text/plain", "pasted\r\necho a\necho b\nkubectl get")
        .unwrap();
    let init = web_sys::ClipboardEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_clipboard_data(Some(&data));
    let event = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap();
    let forged = event
        .clipboard_data()
        .and_then(|d| d.get_data("text/plain").ok())
        .unwrap_or_default();
    if forged.is_empty() {
        // Firefox gives a script-made paste event an empty clipboard; only a real paste carries text there.
        web_sys::console::log_1(
            &"paste: this browser does not let a test forge clipboard data".into(),
        );
        return;
    }
    input(&root).dispatch_event(&event).unwrap();
    scheduler::flush().await;
    assert!(
        screen(&root)
            .ends_with("$ # pasted\nstudent@ordinal:~$ echo a\na\nstudent@ordinal:~$ echo b\nb\n"),
        "{}",
        screen(&root)
    );
    assert_eq!(input(&root).value(), "kubectl get");
}

/// The YAML editor's textarea.
fn yaml_editor(root: &Element) -> HtmlTextAreaElement {
    root.query_selector("#yaml")
        .unwrap()
        .expect("the YAML editor")
        .dyn_into()
        .unwrap()
}

/// Replaces the editor's text as typing would (an `input` event).
async fn edit_yaml(root: &Element, text: &str) {
    let area = yaml_editor(root);
    area.set_value(text);
    let event = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&event).unwrap();
    scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn kubectl_edit_opens_the_object_in_the_editor_and_saving_applies_it() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    run(&root, "kubectl edit sts web").await;
    let text = yaml_editor(&root).value();
    assert!(
        text.starts_with("# Please edit the object below."),
        "{text}"
    );
    assert!(text.contains("\n  replicas: 2\n"), "{text}");
    assert_eq!(prompt(&root), "", "kubectl edit waits for the editor");
    edit_yaml(
        &root,
        &text.replace("\n  replicas: 2\n", "\n  replicas: 3\n"),
    )
    .await;
    click(&root, "#save-edit").await;
    assert!(
        screen(&root).ends_with("statefulset.apps/web edited\n"),
        "{}",
        screen(&root)
    );
    assert_eq!(
        yaml_editor(&root).value(),
        WEB_YAML,
        "the manifest comes back"
    );
    assert_eq!(prompt(&root), "student@ordinal:~$ ");
    run(&root, "kubectl get sts web -o jsonpath='{.spec.replicas}'").await;
    assert!(
        screen(&root).ends_with("kubectl get sts web -o jsonpath='{.spec.replicas}'\n3"),
        "{}",
        screen(&root)
    );
    // Closing without saving changes nothing.
    run(&root, "kubectl edit sts web").await;
    click(&root, "#cancel-edit").await;
    assert!(
        screen(&root).ends_with("Edit cancelled, no changes made.\n"),
        "{}",
        screen(&root)
    );
}

#[wasm_bindgen_test]
async fn a_lookup_made_in_a_pod_shows_its_search_list_in_the_dns_panel() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 2).await;
    assert!(
        root.query_selector("#dns").unwrap().is_none(),
        "no lookups yet"
    );
    run(
        &root,
        "kubectl exec web-0 -- curl -s web-1.nginx.default.svc",
    )
    .await;
    let panel = root
        .query_selector("#dns")
        .unwrap()
        .expect("the DNS panel")
        .text_content()
        .unwrap();
    // 3 dots < ndots 5: the search domains are tried in order until one answers.
    for want in [
        "default/web-0 looked up web-1.nginx.default.svc",
        "web-1.nginx.default.svc.default.svc.cluster.local NXDOMAIN",
        "web-1.nginx.default.svc.svc.cluster.local NXDOMAIN",
        "web-1.nginx.default.svc.cluster.local NOERROR",
        "→ 10.244.",
        "CoreDNS log plugin",
    ] {
        assert!(panel.contains(want), "{want:?} in {panel}");
    }
}

/// Lets the page run its own tasks (the slices of the cluster's work) until `done` holds, at most `max` times.
async fn until(root: &Element, max: usize, done: impl Fn(&Element) -> bool) -> bool {
    for _ in 0..max {
        if done(root) {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
        scheduler::flush().await;
    }
    done(root)
}

fn working(root: &Element) -> bool {
    root.query_selector("#working")
        .unwrap()
        .and_then(|e| e.text_content())
        .is_some_and(|t| !t.is_empty())
}

#[wasm_bindgen_test]
async fn a_large_parallel_apply_comes_up_in_slices_and_a_typed_command_waits_for_it() {
    let yaml = WEB_YAML.replace("replicas: 2", "replicas: 400").replace(
        "  serviceName: \"nginx\"\n",
        "  serviceName: \"nginx\"\n  podManagementPolicy: Parallel\n",
    );
    let root = mount(&yaml).await;
    click_only(&root, "#apply").await;
    // The click returned within a slice: the controllers are still creating pods and the page says so.
    assert!(working(&root), "400 pods are not made within one slice");
    assert!(screen(&root).contains("statefulset.apps/web created"));
    // A command typed meanwhile shows as waiting at once, and runs when the cluster has caught up.
    run_only(&root, "kubectl get sts web").await;
    let waiting = root
        .query_selector(".term-waiting")
        .unwrap()
        .and_then(|e| e.text_content());
    assert_eq!(waiting.as_deref(), Some("kubectl get sts web\n"));
    assert!(until(&root, 5_000, |r| !working(r)).await, "the work ends");
    assert!(root.query_selector(".term-waiting").unwrap().is_none());
    let text = screen(&root);
    assert!(
        text.contains("NAME   READY   AGE\nweb    0/400   0s\n"),
        "the command saw the cluster settled, at the instant it was typed: {text}"
    );
    // The view draws the first ordinals and says how many more there are.
    assert_eq!(pods(&root).len(), 60);
    let more = root
        .query_selector(".more")
        .unwrap()
        .unwrap()
        .text_content();
    assert_eq!(
        more.as_deref(),
        Some("… and 340 more ordinals (the terminal lists them all)")
    );
}

/// The explanation on the object `selector` names, if it has one.
fn why_text(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(&format!("{selector} .why"))
        .unwrap()
        .map(|e| e.text_content().unwrap())
}

#[wasm_bindgen_test]
async fn the_waiting_web_1_says_why_until_web_0_is_ready() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    let text = why_text(&root, "[data-waiting='web-1']").expect("web-1's slot says why it waits");
    assert!(text.starts_with("web-1 waits: web-0 is Pending"), "{text}");
    assert!(text.contains("OrderedReady"), "{text}");
    // web-0 says what it waits for itself.
    assert!(why_text(&root, "[data-pod='web-0']").is_some());
    let mut said_while_waiting = true;
    advance_until(
        &root,
        20,
        |r| {
            let has_web_1 = pods(r).iter().any(|(n, _)| n == "web-1");
            said_while_waiting &= has_web_1 || why_text(r, "[data-waiting='web-1']").is_some();
        },
        |r| pods(r).iter().any(|(n, _)| n == "web-1"),
    )
    .await;
    assert!(
        said_while_waiting,
        "the explanation stays until web-1 exists"
    );
    assert!(is_running_and_ready(&root, "web-0"));
    assert_eq!(why_text(&root, "[data-waiting='web-1']"), None);
    assert!(root.query_selector("[data-waiting]").unwrap().is_none());
}

fn is_running_and_ready(root: &Element, pod: &str) -> bool {
    root.query_selector(&format!("[data-pod='{pod}'] .ready"))
        .unwrap()
        .is_some_and(|e| e.text_content().unwrap() == "1/1")
        && pods(root).contains(&(pod.to_string(), "Running".to_string()))
}

#[wasm_bindgen_test]
async fn a_claim_whose_class_is_missing_explains_itself() {
    let yaml = WEB_YAML.replace(
        "      accessModes: [ \"ReadWriteOnce\" ]",
        "      storageClassName: fast\n      accessModes: [ \"ReadWriteOnce\" ]",
    );
    assert_ne!(yaml, WEB_YAML);
    let root = mount(&yaml).await;
    click(&root, "#apply").await;
    advance(&root, 2).await;
    let text = why_text(&root, "[data-pvc='www-web-0']").expect("the claim says why it is Pending");
    assert!(
        text.contains("StorageClass \"fast\" does not exist"),
        "{text}"
    );
    let pod = why_text(&root, "[data-pod='web-0']").expect("web-0 says why it is Pending");
    assert!(
        pod.starts_with("Not scheduled. The scheduler says: 0/3 nodes are available"),
        "{pod}"
    );
}

/// The Events table's rows, newest first: `REASON OBJECT MESSAGE`.
fn event_rows(root: &Element) -> Vec<String> {
    let rows = root.query_selector_all("#events tbody tr").unwrap();
    (0..rows.length())
        .filter_map(|i| rows.item(i)?.dyn_into::<Element>().ok())
        .map(|r| {
            let cells = r.query_selector_all("td").unwrap();
            (2..cells.length())
                .filter_map(|i| cells.item(i)?.text_content())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn clock(root: &Element) -> String {
    root.query_selector("#clock")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
async fn stepping_to_the_next_event_moves_exactly_one_event() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    assert!(until(&root, 2_000, |r| !working(r)).await);
    let mut before = event_rows(&root);
    // From the apply on, each step adds exactly one Event: a new row on top, the others as they were.
    for _ in 0..6 {
        click(&root, "#next-event").await;
        assert!(until(&root, 200, |r| !working(r)).await);
        let after = event_rows(&root);
        assert_eq!(after.len(), before.len() + 1, "one more Event: {after:?}");
        assert_eq!(
            &after[1..],
            &before[..],
            "the earlier Events stay as they were"
        );
        before = after;
    }
    // They took the clock from the apply to web-0 being placed and its volume made.
    assert_ne!(clock(&root), "t+0s");
}

/// Drags the timeline to `ms`, as a learner lets go of it there.
async fn rewind_to(root: &Element, ms: u64) {
    let input: web_sys::HtmlInputElement = root
        .query_selector("#timeline")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value(&ms.to_string());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    scheduler::flush().await;
    assert!(until(root, 2_000, |r| !working(r)).await, "the rewind ends");
}

fn pod_names(root: &Element) -> Vec<String> {
    pods(root).into_iter().map(|(n, _)| n).collect()
}

#[wasm_bindgen_test]
async fn rewinding_before_a_scale_up_and_playing_again_shows_the_same_pods_in_the_same_order() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r) == ["web-0", "web-1"]).await;
    let before_scale = clock(&root);
    click(&root, "#scale-up").await;
    click(&root, "#scale-up").await;
    // The live run: web-2, then web-3 once web-2 is Ready.
    let mut live_order = Vec::new();
    advance_until(
        &root,
        30,
        |r| {
            for n in pod_names(r) {
                if !live_order.contains(&n) {
                    live_order.push(n);
                }
            }
        },
        |r| running(r).len() == 4,
    )
    .await;
    assert_eq!(live_order, ["web-0", "web-1", "web-2", "web-3"]);
    let end = clock(&root);
    // Back to the moment before the scale-up (the mark of the first Scale + is on the strip).
    let t: u64 = root
        .query_selector("#timeline")
        .unwrap()
        .unwrap()
        .get_attribute("max")
        .unwrap()
        .parse()
        .unwrap();
    assert!(t > 0);
    let seconds = |c: &str| -> u64 {
        // `t+20s`, `t+1m5s`
        let c = c.trim_start_matches("t+");
        let (m, s) = c.split_once('m').map_or(("0", c), |(m, s)| (m, s));
        m.parse::<u64>().unwrap_or(0) * 60 + s.trim_end_matches('s').parse::<u64>().unwrap_or(0)
    };
    // (The strip moves in steps of 100 ms.)
    rewind_to(&root, seconds(&before_scale) * 1000 - 100).await;
    assert_eq!(pod_names(&root), ["web-0", "web-1"], "before the scale-up");
    assert!(
        root.query_selector("#present").unwrap().is_some(),
        "looking at the past"
    );
    // Playing again: the same pods come up in the same order, and the present is reached.
    let mut again = Vec::new();
    advance_until(
        &root,
        60,
        |r| {
            for n in pod_names(r) {
                if !again.contains(&n) {
                    again.push(n);
                }
            }
        },
        |r| r.query_selector("#present").unwrap().is_none(),
    )
    .await;
    assert_eq!(again, live_order);
    assert_eq!(clock(&root), end);
    assert_eq!(running(&root).len(), 4);
}

#[wasm_bindgen_test]
async fn a_deployment_appears_beside_the_statefulset_with_its_replicaset_and_pods() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    run(
        &root,
        "kubectl create deployment hello --image=registry.k8s.io/nginx-slim:0.24 --replicas=2",
    )
    .await;
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 4).await;
    assert!(root.query_selector("[data-sts='web']").unwrap().is_some());
    let card = root
        .query_selector("[data-workload='deployment.apps/hello']")
        .unwrap()
        .expect("the Deployment has a card of its own");
    let text = card.text_content().unwrap();
    assert!(text.contains("READY 2/2"), "{text}");
    assert!(text.contains("replicaset.apps/hello-"), "{text}");
    // Its pods have made-up names under their ReplicaSet's, not ordinals, and no "Other pods" card.
    let names: Vec<String> = pods(&root)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.starts_with("hello-"))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(!root.text_content().unwrap().contains("Other pods"));
}

#[wasm_bindgen_test]
async fn the_namespace_switcher_runs_kubectl_config_and_the_view_follows() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    let select: web_sys::HtmlSelectElement = root
        .query_selector("#ns-pick")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("kube-system");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    scheduler::flush().await;
    assert!(screen(&root).contains("kubectl config set-context --current --namespace=kube-system"));
    assert!(root.query_selector("[data-sts='web']").unwrap().is_none());
    assert!(root
        .query_selector("[data-workload='deployment.apps/coredns']")
        .unwrap()
        .is_some());
    assert!(root
        .query_selector("[data-workload='daemonset.apps/kube-proxy']")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn large_text_and_the_dark_theme_are_switched_on_the_page() {
    let root = mount(WEB_YAML).await;
    let html = gloo_document().document_element().unwrap();
    click(&root, "#large").await;
    assert_eq!(html.get_attribute("data-size").as_deref(), Some("large"));
    click(&root, "#large").await;
    assert_eq!(html.get_attribute("data-size"), None);
    let dark_before = root
        .query_selector("#dark")
        .unwrap()
        .unwrap()
        .get_attribute("aria-pressed");
    click(&root, "#dark").await;
    let theme = html.get_attribute("data-theme");
    assert!(theme.is_some());
    assert_ne!(
        root.query_selector("#dark")
            .unwrap()
            .unwrap()
            .get_attribute("aria-pressed"),
        dark_before
    );
}

/// Types `text` into the input `selector` names, as a learner leaves the field.
async fn fill(root: &Element, selector: &str, text: &str) {
    let input: web_sys::HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap();
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn a_partition_and_a_new_image_from_the_card_stage_a_canary() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r) == ["web-0", "web-1"]).await;
    fill(&root, "#partition-web", "1").await;
    click(&root, "[data-sts='web'] .set-partition").await;
    assert!(screen(&root).contains("kubectl patch statefulset web -p '{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}}}'\nstatefulset.apps/web patched\n"), "{}", screen(&root));
    fill(&root, "#image-web", "registry.k8s.io/nginx-slim:0.24").await;
    click(&root, "[data-sts='web'] .set-image").await;
    assert!(screen(&root).contains("kubectl set image statefulset/web nginx=registry.k8s.io/nginx-slim:0.24\nstatefulset.apps/web image updated\n"), "{}", screen(&root));
    // web-1 is replaced; web-0, below the partition, keeps the old revision, and the card says so.
    let notes = |r: &Element| {
        r.query_selector("[data-sts='web'] .set-notes")
            .unwrap()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    advance_until(
        &root,
        30,
        |_| {},
        |r| {
            notes(r).contains("partition: 1: web-0 keeps the old revision") && running(r).len() == 2
        },
    )
    .await;
}

fn tabs(root: &Element) -> Vec<String> {
    let list = root.query_selector_all("[role=tab][data-file]").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .map(|e| e.get_attribute("data-file").unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn each_manifest_has_a_tab_and_apply_applies_the_one_shown() {
    let root = mount(WEB_YAML).await;
    assert_eq!(tabs(&root), ["web.yaml"]);
    click(&root, "#new-file").await;
    assert_eq!(tabs(&root), ["manifest-1.yaml", "web.yaml"]);
    assert_eq!(yaml_editor(&root).value(), "");
    edit_yaml(
        &root,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  colour: blue\n",
    )
    .await;
    click(&root, "#apply").await;
    assert!(
        screen(&root).contains("$ kubectl apply -f manifest-1.yaml\nconfigmap/settings created\n"),
        "{}",
        screen(&root)
    );
    // Beside the editor too, object by object.
    let applied = root
        .query_selector("#applied")
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert_eq!(
        applied,
        "kubectl apply -f manifest-1.yaml✓ configmap/settings created"
    );
    // Back to web.yaml: its text is as it was.
    click(&root, "[data-file='web.yaml']").await;
    assert_eq!(yaml_editor(&root).value(), WEB_YAML);
    // A manifest written in the terminal gets a tab too.
    run(&root, "kubectl get cm settings -o yaml > settings.yaml").await;
    assert_eq!(
        tabs(&root),
        ["manifest-1.yaml", "settings.yaml", "web.yaml"]
    );
    click(&root, "[data-file='settings.yaml']").await;
    assert!(yaml_editor(&root).value().contains("colour: blue"));
}

#[wasm_bindgen_test]
async fn the_live_region_announces_pods_and_claims_as_they_change() {
    let root = mount(WEB_YAML).await;
    let announced = |r: &Element| {
        r.query_selector("#announce[aria-live='polite']")
            .unwrap()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    click(&root, "#apply").await;
    let first = announced(&root);
    assert!(first.contains("pod web-0: Pending"), "{first}");
    assert!(first.contains("claim www-web-0: Pending"), "{first}");
    advance_until(
        &root,
        20,
        |_| {},
        |r| running(r).contains(&"web-0".to_string()),
    )
    .await;
    assert!(
        announced(&root).contains("pod web-0: Running") || announced(&root).contains("web-1"),
        "{}",
        announced(&root)
    );
}

#[wasm_bindgen_test]
async fn a_claim_and_its_volume_light_up_together_on_focus() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r).len() == 2).await;
    let claim: HtmlElement = root
        .query_selector("[data-pvc='www-web-0']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    // Reachable by the keyboard, and focusing it lights its volume's row.
    assert_eq!(claim.tab_index(), 0);
    claim.focus().unwrap();
    scheduler::flush().await;
    let lit = root.query_selector_all("tr.linked").unwrap();
    assert_eq!(lit.length(), 1);
    let row: Element = lit.item(0).unwrap().dyn_into().unwrap();
    let volume = claim
        .query_selector(".volume")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(
        row.get_attribute("data-pv").as_deref(),
        Some(volume.as_str())
    );
    assert!(claim.class_list().contains("linked"));
    claim.blur().unwrap();
    scheduler::flush().await;
    assert_eq!(root.query_selector_all("tr.linked").unwrap().length(), 0);
}

/// Puts `url` in the page's address (as a link would open it), without a new history entry.
fn set_address(url: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .unwrap();
}

/// Forgets what earlier tests left in the browser: how far lessons got, the language chosen.
fn forget_lessons() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("ordinal.lessons").unwrap();
    storage.remove_item("ordinal.language").unwrap();
}

fn lesson_text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap())
        .unwrap_or_default()
}

fn step_done(root: &Element) -> bool {
    root.query_selector("#lesson-status")
        .unwrap()
        .is_some_and(|e| e.class_list().contains("ok"))
}

#[wasm_bindgen_test]
async fn a_link_opens_the_lesson_in_its_language_and_the_first_steps_turn_done_by_clicking() {
    forget_lessons();
    let window = web_sys::window().unwrap();
    let before = window.location().href().unwrap();
    set_address("?lesson=basics&lang=ja");
    let root = mount(WEB_YAML).await;
    scheduler::flush().await;
    let text = |r: &Element| lesson_text(r, ".step-text");
    assert!(
        text(&root).starts_with("チュートリアルの web.yaml から"),
        "{}",
        text(&root)
    );
    assert_eq!(
        lesson_text(&root, "#reset"),
        "リセット",
        "the whole page is in Japanese"
    );
    assert!(
        !step_done(&root),
        "nothing is done before the learner does it"
    );
    // Step 1 by clicking: "Show me" types the step's command.
    click(&root, "#lesson-show").await;
    assert!(screen(&root).contains("$ kubectl apply -f https://k8s.io/examples/application/web/web.yaml\nservice/nginx created\n"));
    assert!(step_done(&root));
    // Step 2: the pods come up in order as the clock runs.
    click(&root, "#lesson-next").await;
    assert!(!step_done(&root));
    advance_until(&root, 20, |_| {}, step_done).await;
    assert_eq!(running(&root), ["web-0", "web-1"]);
    // Step 3: the hostnames, asked for by "Show me".
    click(&root, "#lesson-next").await;
    assert!(!step_done(&root));
    click(&root, "#lesson-show").await;
    assert!(
        screen(&root).contains("web-0\nweb-1\n"),
        "{}",
        screen(&root)
    );
    assert!(step_done(&root));
    // The address says where the learner is, to link to it; the step list marks the steps done.
    let search = window.location().search().unwrap();
    assert!(
        search.contains("lesson=basics") && search.contains("step=3") && search.contains("lang=ja"),
        "{search}"
    );
    assert_eq!(
        root.query_selector_all(".lesson-steps li.past")
            .unwrap()
            .length(),
        3
    );
    set_address(&before);
    forget_lessons();
}

#[wasm_bindgen_test]
async fn a_lesson_caught_up_from_a_link_finishes_and_a_lesson_resumes_where_it_was_left() {
    forget_lessons();
    let window = web_sys::window().unwrap();
    let before = window.location().href().unwrap();
    set_address("?lesson=retention&step=6&lang=en");
    let root = mount(WEB_YAML).await;
    scheduler::flush().await;
    let past = |r: &Element| {
        r.query_selector_all(".lesson-steps li.past")
            .unwrap()
            .length()
    };
    assert_eq!(past(&root), 0);
    // The five steps before the last, done for the learner in the terminal, as recorded actions.
    click(&root, "#lesson-catch-up").await;
    until(&root, 5_000, |r| past(r) == 5 && !working(r)).await;
    assert_eq!(past(&root), 5, "{}", screen(&root));
    assert!(
        screen(&root).contains("$ kubectl scale statefulset web --replicas=1"),
        "{}",
        screen(&root)
    );
    assert!(root.query_selector("#lesson-catch-up").unwrap().is_none());
    // The last step by "Show me"; finishing the lesson says so, and the list too.
    click(&root, "#lesson-show").await;
    advance_until(&root, 40, |_| {}, step_done).await;
    assert_eq!(
        lesson_text(&root, "#lesson-status"),
        "Lesson complete. Well done!"
    );
    click(&root, "#lesson-list").await;
    assert!(
        lesson_text(&root, ".lesson-choice[data-lesson=retention] .lesson-meta")
            .contains("finished")
    );
    // Left at step 2 of another lesson and opened again: step 2.
    click(&root, ".lesson-choice[data-lesson=basics]").await;
    click(&root, "#lesson-next").await;
    click(&root, "#lesson-close").await;
    assert!(root.query_selector("#lesson").unwrap().is_none());
    click(&root, "#lessons").await;
    click(&root, ".lesson-choice[data-lesson=basics]").await;
    let step = root
        .query_selector(".step-text")
        .unwrap()
        .unwrap()
        .get_attribute("data-step");
    assert_eq!(step.as_deref(), Some("ordered"));
    set_address(&before);
    forget_lessons();
}

#[wasm_bindgen_test]
async fn a_lesson_step_turns_done_when_the_cluster_shows_it_in_the_learners_language() {
    forget_lessons();
    let before = web_sys::window().unwrap().location().href().unwrap();
    let root = mount(WEB_YAML).await;
    click(&root, "#lessons").await;
    click(&root, ".lesson-choice[data-lesson=basics]").await;
    let status = |r: &Element| {
        r.query_selector("#lesson-status")
            .unwrap()
            .unwrap()
            .class_list()
            .contains("ok")
    };
    let text = |r: &Element| {
        r.query_selector(".step-text")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert!(text(&root).starts_with("Create the headless Service nginx"));
    assert!(!status(&root), "not done before the learner does it");
    // In Japanese, as the class reads it.
    let select: web_sys::HtmlSelectElement = root
        .query_selector("#language")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("ja");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    scheduler::flush().await;
    assert!(
        text(&root).starts_with("チュートリアルの web.yaml から"),
        "{}",
        text(&root)
    );
    // "Show me" types the step's command; the cluster then shows the step done.
    click(&root, "#lesson-show").await;
    assert!(screen(&root).contains("$ kubectl apply -f https://k8s.io/examples/application/web/web.yaml\nservice/nginx created\n"));
    assert!(status(&root), "done once the objects exist");
    // The next step waits for the pods to be Ready.
    click(&root, "#lesson-next").await;
    assert!(!status(&root));
    advance_until(&root, 20, |_| {}, |r| status(r)).await;
    assert_eq!(running(&root), ["web-0", "web-1"]);
    // Leave the address and the browser as the next test expects them.
    set_address(&before);
    forget_lessons();
}

#[wasm_bindgen_test]
async fn the_interface_speaks_the_chosen_language_and_kubectl_stays_as_a_cluster_prints_it() {
    let root = mount(WEB_YAML).await;
    let select: web_sys::HtmlSelectElement = root
        .query_selector("#language")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("ko");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    scheduler::flush().await;
    let text = |sel: &str| {
        root.query_selector(sel)
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(text("#reset"), "초기화");
    assert_eq!(text(".empty h2"), "클러스터가 비어 있습니다");
    assert_eq!(
        gloo_document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("ko")
    );
    click(&root, "#apply").await;
    assert!(screen(&root).contains("statefulset.apps/web created"));
    // Back to English for the tests that follow.
    select.set_value("en");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    scheduler::flush().await;
    assert_eq!(text("#reset"), "Reset");
}

/// A page as a learner opens it: no manifest given, so it keeps its session and rebuilds the last one.
async fn mount_keeping() -> Element {
    with_lessons().await;
    let doc = gloo_document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let props = AppProps {
        autoplay: false,
        initial_yaml: None,
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    scheduler::flush().await;
    root
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn a_reload_brings_back_the_cluster_and_the_terminal() {
    // What earlier tests left (an editor text, a language) is not this learner's.
    storage().clear().unwrap();
    let root = mount_keeping().await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r) == ["web-0", "web-1"]).await;
    run(&root, "kubectl get pods -o name").await;
    // Kept within a second of the last change.
    let kept = |_: &Element| {
        storage()
            .get_item("ordinal.session")
            .unwrap()
            .is_some_and(|s| s.contains("kubectl get pods -o name"))
    };
    assert!(until(&root, 20_000, kept).await, "the session is kept");
    let (pods_before, screen_before) = (pods(&root), screen(&root));
    // The same browser opens the page again: the session is rebuilt, pods, terminal and all.
    let again = mount_keeping().await;
    until(&again, 20_000, |r| !working(r) && pods(r) == pods_before).await;
    assert_eq!(pods(&again), pods_before);
    assert!(
        screen(&again).contains("$ kubectl get pods -o name\npod/web-0\npod/web-1\n"),
        "{}",
        screen(&again)
    );
    assert_eq!(screen(&again), screen_before);
    storage().remove_item("ordinal.session").unwrap();
}

#[wasm_bindgen_test]
async fn a_broken_saved_session_is_set_aside_with_a_message_and_the_page_works() {
    storage().clear().unwrap();
    storage().set_item("ordinal.session", "{\"format\":1,\"yaml\":\"x\",\"entries\":[{\"epoch\":0,\"at_ms\":0,\"record\":{\"Did\":{\"Scale\":999999}}}]}").unwrap();
    let root = mount_keeping().await;
    let notice = lesson_text(&root, ".notice");
    assert!(
        notice.contains("could not be restored: entry 1 scales by more than the buttons do"),
        "{notice}"
    );
    assert!(storage()
        .get_item("ordinal.session.unreadable")
        .unwrap()
        .unwrap()
        .contains("999999"));
    click(&root, "#apply").await;
    assert!(screen(&root).contains("statefulset.apps/web created"));
    click(&root, "#notice-close").await;
    assert!(root.query_selector(".notice").unwrap().is_none());
    storage().remove_item("ordinal.session").unwrap();
    storage().remove_item("ordinal.session.unreadable").unwrap();
}

#[wasm_bindgen_test]
async fn a_packed_session_unpacks_to_the_same_text_and_a_damaged_or_swollen_one_is_refused() {
    use ordinal_web::share::{pack, unpack};
    let text = "{\"format\":1,\"yaml\":\"キー: 値\",\"entries\":[]}".repeat(50);
    let packed = pack(&text).await.unwrap();
    assert!(
        packed.len() < text.len() / 4,
        "{} packed into {}",
        text.len(),
        packed.len()
    );
    assert!(packed
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(unpack(&packed).await.unwrap(), text);
    assert!(unpack("not base64!").await.unwrap_err().contains("damaged"));
    assert!(
        unpack(&packed[..packed.len() / 2]).await.is_err(),
        "cut short"
    );
    // A link that inflates past what a session may be stops there.
    let swollen = pack(&"0".repeat(20 << 20)).await.unwrap();
    assert!(unpack(&swollen)
        .await
        .unwrap_err()
        .contains("more than 16 MB"));
}

#[wasm_bindgen_test]
async fn a_shared_link_rebuilds_the_same_cluster_and_a_damaged_one_says_so() {
    storage().clear().unwrap();
    let window = web_sys::window().unwrap();
    let before = window.location().href().unwrap();
    let root = mount_keeping().await;
    click(&root, "#apply").await;
    advance_until(&root, 20, |_| {}, |r| running(r) == ["web-0", "web-1"]).await;
    click(&root, "#scale-up").await;
    advance(&root, 4).await;
    click(&root, "#share-link").await;
    until(&root, 2_000, |r| {
        r.query_selector("#shared-link").unwrap().is_some()
    })
    .await;
    let link: web_sys::HtmlInputElement = root
        .query_selector("#shared-link")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let link = link.value();
    assert!(link.contains("#session="), "{link}");
    let pods_there = pods(&root);
    // Another learner opens the link: the same pods, in the same states.
    storage().clear().unwrap();
    set_address(&link);
    let there = mount_keeping().await;
    until(&there, 20_000, |r| !working(r) && pods(r) == pods_there).await;
    assert_eq!(pods(&there), pods_there);
    assert!(
        !window.location().href().unwrap().contains("#session="),
        "the link's session leaves the address"
    );
    // A damaged link: a message, and a page that works.
    set_address("#session=AAAA");
    let damaged = mount_keeping().await;
    until(&damaged, 2_000, |r| {
        r.query_selector(".notice").unwrap().is_some()
    })
    .await;
    assert!(
        lesson_text(&damaged, ".notice").contains("The link's session could not be opened"),
        "{}",
        lesson_text(&damaged, ".notice")
    );
    click(&damaged, "#apply").await;
    assert!(screen(&damaged).contains("statefulset.apps/web created"));
    set_address(&before);
    storage().clear().unwrap();
}

/// A typo applied over a running StatefulSet is refused naming the whole patch (as kubectl prints it); the
/// editor folds the patch away so the reason stays in view, and a click opens it.
#[wasm_bindgen_test]
async fn a_refused_patch_keeps_its_reason_in_view_and_folds_the_patch() {
    let root = mount(WEB_YAML).await;
    click(&root, "#apply").await;
    edit_yaml(&root, &WEB_YAML.replace("replicas: 2", "replica: 3")).await;
    click(&root, "#apply").await;
    let line = root
        .query_selector("#applied li.bad")
        .unwrap()
        .expect("the refused line");
    let text = line.text_content().unwrap();
    assert!(
        text.starts_with(
            "✗ The request is invalid: patch: Invalid value: \"map[metadata:map[annotat"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("\": strict decoding error: unknown field \"spec.replica\""),
        "{text}"
    );
    let folded: web_sys::HtmlDetailsElement = line
        .query_selector("details.long-value")
        .unwrap()
        .expect("the patch, folded")
        .dyn_into()
        .unwrap();
    assert!(!folded.open());
    let summary = folded.query_selector("summary").unwrap().unwrap();
    assert_eq!(
        summary.text_content().unwrap(),
        "\"map[metadata:map[annotat…\""
    );
    summary.dyn_into::<HtmlElement>().unwrap().click();
    scheduler::flush().await;
    assert!(folded.open());
}
