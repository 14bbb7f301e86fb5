//! The whole page: toolbar, editor and terminal on the left, the cluster on the right.

use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use yew::prelude::*;

use super::cluster_view::ClusterView;
use super::editor::Editor;
use super::lesson_panel::{LessonList, LessonPanel};
use super::terminal::TerminalPanel;
use super::timeline::Timeline;
use super::toolbar::Toolbar;
use crate::state::{label, Action, AppState, Record, WEB_YAML};
use crate::{session, share, storage};

/// Real milliseconds between clock ticks while playing.
const TICK_MS: u32 = 250;

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// Start the virtual clock running. Tests pass `false` and advance it with the step button.
    #[prop_or(true)]
    pub autoplay: bool,
    /// The manifest to start with; by default the learner's last text, or the tutorial's web.yaml.
    #[prop_or_default]
    pub initial_yaml: Option<AttrValue>,
}

/// What the page tells the learner about their saved work.
#[derive(Debug, Clone, PartialEq)]
enum Notice {
    /// The last visit's session could not be used: why.
    NotRestored(String),
    /// The session cannot be kept in this browser: why.
    NotSaved(String),
    /// A shared link's session could not be opened: why.
    LinkBroken(String),
    /// A file could not be opened as a session: why.
    FileBroken(String),
    /// A new version was installed, for the next visit.
    Updated,
    /// The lessons' files could not be fetched: why.
    LessonsUnavailable(String),
}

#[component(App)]
pub fn app(props: &AppProps) -> Html {
    let initial = props.initial_yaml.clone();
    let autoplay = props.autoplay;
    let notice = use_state(|| None::<Notice>);
    // The session a link opened the page with (packed), taken out of the address before anything else.
    let linked = use_mut_ref(|| initial.is_none().then(share::take_from_address).flatten());
    let state = {
        let notice = notice.clone();
        let by_link = linked.borrow().is_some();
        use_reducer(move || {
            // A page given its manifest starts afresh; a page opened by a shared link opens the link's session
            // (below, once it is unpacked; the learner's own is set aside, not lost); otherwise the last visit's
            // session is rebuilt.
            if by_link {
                if let Some(own) = storage::load_session() {
                    storage::set_aside(&own, "ordinal.session.before-link");
                }
            }
            let restore = initial.is_none() && !by_link;
            let yaml = match initial {
                Some(y) => y.to_string(),
                None => storage::load_editor().unwrap_or_else(|| WEB_YAML.to_string()),
            };
            let mut state = AppState::new(yaml, !autoplay);
            state.progress = storage::load_progress();
            if let Some(text) = restore.then(storage::load_session).flatten() {
                match session::decode(&text) {
                    Ok(saved) => state.restore(saved),
                    Err(reason) => {
                        storage::set_aside_session(&text);
                        notice.set(Some(Notice::NotRestored(reason)));
                    }
                }
            }
            // The interface's language (a link's, else the learner's last choice, else the browser's, if it is
            // one of ours) and the lesson and step a link asks for, in the first render already: the page is not
            // drawn once without them and then moved about.
            let link = storage::read_link(&storage::page_search());
            let chosen = link.lang.or_else(storage::load_language).or_else(|| {
                web_sys::window()
                    .and_then(|w| w.navigator().language())
                    .and_then(|tag| crate::i18n::from_browser(&tag).map(str::to_string))
            });
            let mut state = Rc::new(state);
            if let Some(lang) = chosen.filter(|l| *l != state.language) {
                state = state.reduce(Action::SetLanguage(lang));
                storage::save_language(&state.language);
            }
            if let Some(id) = link.lesson {
                // The page waited for the lessons before drawing (`main`); when they could not come, it says so.
                if crate::state::lessons_ready() {
                    state = state.reduce(Action::LessonAt(id, link.step));
                } else {
                    let why = crate::lesson_files::last_error().unwrap_or_default();
                    notice.set(Some(Notice::LessonsUnavailable(why)));
                }
            }
            Rc::try_unwrap(state).unwrap_or_else(|shared| (*shared).clone())
        })
    };
    // Served over http(s), the page registers its service worker (dist/sw.js), so the next visit opens without a
    // network; a new version installed while the page was open is used from the next visit on, and the page says
    // so. Not for a page given its manifest (tests, embeds with their own) nor for the single file on disk.
    {
        let notice = notice.clone();
        let keep = initial_is_none(props);
        use_effect_with((), move |()| {
            let listener = keep
                .then(|| offline::register(move || notice.set(Some(Notice::Updated))))
                .flatten();
            move || drop(listener)
        });
    }
    // A shared link's session, unpacked (the browser inflates it) and checked, then rebuilt.
    {
        let dispatcher = state.dispatcher();
        let notice = notice.clone();
        use_effect_with((), move |()| {
            if let Some(packed) = linked.borrow_mut().take() {
                wasm_bindgen_futures::spawn_local(async move {
                    let opened = share::unpack(&packed)
                        .await
                        .and_then(|text| session::decode(&text));
                    match opened {
                        Ok(saved) => dispatcher.dispatch(Action::Restore(Box::new(saved))),
                        Err(reason) => notice.set(Some(Notice::LinkBroken(reason))),
                    }
                });
            }
        });
    }
    // The session is kept as it grows (at most once a second while the clock plays, and when the page is
    // hidden or closed), so a reload or a crash loses nothing.
    {
        let saver = use_mut_ref(Saver::default);
        let notice = notice.clone();
        let keep = initial_is_none(props);
        let state_now = state.clone();
        use_effect_with(state.journal.clone(), move |_| {
            if keep {
                Saver::request(&saver, state_now, notice);
            }
        });
    }

    // The clock: while playing, advance virtual time by TICK_MS × speed every TICK_MS of real time (the speed is
    // in quarters).
    {
        let dispatcher = state.dispatcher();
        use_effect_with((state.paused, state.speed), move |(paused, speed)| {
            let interval = (!*paused).then(|| {
                let step = u64::from(TICK_MS) * u64::from(*speed) / 4;
                Interval::new(TICK_MS, move || dispatcher.dispatch(Action::Tick(step)))
            });
            move || drop(interval)
        });
    }
    // The first paint in index.html stood in for the app while the wasm arrived; the app is drawn now.
    use_effect_with((), |()| {
        if let Some(shell) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("shell"))
        {
            shell.remove();
        }
    });
    // Long work (a large `replicas`, a long jump of the clock) goes on a slice at a time, each in a task of its
    // own, so clicks and keys are handled in between.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((state.working, state.work_rev), move |(working, _)| {
            let next = working.then(|| Timeout::new(0, move || dispatcher.dispatch(Action::Work)));
            move || drop(next)
        });
    }

    // The address says where the learner is (lesson, step, language), to copy and open elsewhere; the
    // progress is kept for the next visit.
    {
        let place = state
            .lesson
            .as_ref()
            .map(|p| (crate::state::lessons()[p.lesson].id.clone(), p.step));
        let first = use_mut_ref(|| true);
        use_effect_with((place, state.language.clone()), move |(place, lang)| {
            // A plain address stays plain until the learner goes somewhere; a link's is written as the page shows it.
            if !std::mem::replace(&mut *first.borrow_mut(), false) || place.is_some() {
                let place = place.as_ref().map(|(id, step)| (id.as_str(), *step));
                storage::replace_search(&storage::write_link(&storage::page_search(), place, lang));
            }
        });
    }
    use_effect_with(state.progress.clone(), |progress| {
        if !progress.is_empty() {
            storage::save_progress(progress);
        }
    });
    // Kept once the learner (or the browser's preference) changed it: not the first render's default.
    let language_shown = use_mut_ref(|| false);
    use_effect_with(state.language.clone(), move |lang| {
        if std::mem::replace(&mut *language_shown.borrow_mut(), true) {
            storage::save_language(lang);
        }
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang);
        }
    });
    // How the page is drawn: the learner's choice, kept, on the root element for the stylesheet.
    let display = use_state(storage::load_display);
    use_effect_with(*display, |d| {
        storage::apply_display(*d);
        storage::save_display(*d);
    });
    let dark = display.dark.unwrap_or_else(storage::system_dark);
    let on_dark = {
        let display = display.clone();
        Callback::from(move |_| {
            display.set(storage::Display {
                dark: Some(!dark),
                ..*display
            })
        })
    };
    let on_large = {
        let display = display.clone();
        Callback::from(move |_| {
            display.set(storage::Display {
                large: !display.large,
                ..*display
            })
        })
    };

    let dispatch = |make: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(make()))
    };
    let on_edit = {
        let state = state.clone();
        Callback::from(move |text: String| {
            // The learner's manifest is kept; an object open for `kubectl edit` is not, nor (yet) the other tabs.
            if state.editing.is_none() && state.file == crate::state::FILE_NAME {
                storage::save_editor(&text);
            }
            state.dispatch(Action::Edit(text));
        })
    };
    let on_speed = {
        let state = state.clone();
        Callback::from(move |s: u32| state.dispatch(Action::SetSpeed(s)))
    };
    let on_rewind = {
        let state = state.clone();
        Callback::from(move |ms: u64| state.dispatch(Action::Rewind(ms)))
    };
    // One callback for the life of the page, so the terminal and the cluster view re-render only when their
    // data changes, not on every clock tick.
    let on_action = {
        let dispatcher = state.dispatcher();
        use_callback((), move |a: Action, _| dispatcher.dispatch(a))
    };
    // The lesson list, once the lessons' files are here (fetched the first time).
    let open_lessons = {
        let dispatcher = state.dispatcher();
        let notice = notice.clone();
        use_callback((), move |_: MouseEvent, _| {
            if crate::state::lessons_ready() {
                dispatcher.dispatch(Action::OpenLesson(None));
                return;
            }
            let (dispatcher, notice) = (dispatcher.clone(), notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match crate::lesson_files::load().await {
                    Ok(()) => dispatcher.dispatch(Action::OpenLesson(None)),
                    Err(why) => notice.set(Some(Notice::LessonsUnavailable(why))),
                }
            });
        })
    };
    let s: &AppState = &state;
    // The marks of the timeline: what the learner did, in the epoch shown.
    let journal = s.journal.entries();
    let recorded: &[crate::state::Entry] = match &s.future {
        Some(future) => future,
        None => &journal,
    };
    let epoch = recorded.last().map_or(0, |e| e.epoch);
    let marks: Vec<(u64, String)> = recorded
        .iter()
        .filter(|e| e.epoch == epoch)
        .filter_map(|e| match &e.record {
            Record::Did(a) => label(a).map(|l| (e.at_ms, l)),
            Record::Clock(_) => None,
        })
        .collect();
    drop(journal);

    // Embedded in a course page: compact, only the panels asked for.
    let embed = use_memo((), |()| storage::read_link(&storage::page_search()));
    let hidden = |panel: &str| {
        embed
            .panels
            .as_ref()
            .is_some_and(|p| !p.iter().any(|x| x == panel))
    };
    let app_class = classes!(
        "app",
        embed.embed.then_some("embed"),
        hidden("editor").then_some("hide-editor"),
        hidden("terminal").then_some("hide-terminal"),
        hidden("cluster").then_some("hide-cluster"),
        hidden("lesson").then_some("hide-lesson"),
    );
    html! {
        <div class={app_class}>
            <header class="header">
                <Toolbar
                    on_apply={dispatch(|| Action::Apply)}
                    on_scale_up={dispatch(|| Action::Scale(1))}
                    on_scale_down={dispatch(|| Action::Scale(-1))}
                    on_delete={dispatch(|| Action::Delete)}
                    on_reset={dispatch(|| Action::Reset)}
                    lesson_open={s.lesson.is_some() || s.lesson_list}
                    on_lessons={if s.lesson.is_some() || s.lesson_list {
                        on_action.reform(|_| Action::CloseLessons)
                    } else {
                        open_lessons
                    }}
                    dark={dark}
                    large={display.large}
                    on_dark={on_dark}
                    on_large={on_large}
                    lang={s.language.clone()}
                    on_language={on_action.reform(Action::SetLanguage)}
                >
                    <SessionMenu state={state.clone()} lang={s.language.clone()}
                        on_broken={{
                            let notice = notice.clone();
                            Callback::from(move |why: String| notice.set(Some(Notice::FileBroken(why))))
                        }} />
                </Toolbar>
                <Timeline
                    now_ms={s.snapshot.now_ms}
                    end_ms={s.present_ms()}
                    past={s.future.is_some()}
                    replaying={s.replaying()}
                    working={s.working}
                    paused={s.paused}
                    speed={s.speed}
                    marks={marks}
                    events={s.snapshot.event_marks.clone()}
                    on_toggle={dispatch(|| Action::TogglePause)}
                    on_next_event={dispatch(|| Action::StepToEvent)}
                    on_step={dispatch(|| Action::Advance(5_000))}
                    on_speed={on_speed}
                    on_rewind={on_rewind}
                    on_present={dispatch(|| Action::BackToPresent)}
                    lang={s.language.clone()}
                />
            </header>
            if let Some(n) = &*notice {
                <div class="notice" role="status">
                    <span>{match n {
                        Notice::NotRestored(why) => crate::i18n::t(&s.language, "not-restored").replace("{reason}", why),
                        Notice::NotSaved(why) => crate::i18n::t(&s.language, "not-saved").replace("{reason}", why),
                        Notice::LinkBroken(why) => crate::i18n::t(&s.language, "link-broken").replace("{reason}", why),
                        Notice::FileBroken(why) => crate::i18n::t(&s.language, "file-broken").replace("{reason}", why),
                        Notice::Updated => crate::i18n::t(&s.language, "updated").to_string(),
                        Notice::LessonsUnavailable(why) => crate::i18n::t(&s.language, "lessons-unavailable").replace("{reason}", why),
                    }}</span>
                    <button class="mini quiet" id="notice-close" onclick={{
                        let notice = notice.clone();
                        Callback::from(move |_| notice.set(None))
                    }}>{crate::i18n::t(&s.language, "dismiss")}</button>
                </div>
            }
            <main class={classes!("workspace", (s.lesson.is_some() || s.lesson_list).then_some("with-lesson"))}>
                if let Some(pos) = &s.lesson {
                    <LessonPanel pos={pos.clone()} language={s.language.clone()} on_action={on_action.clone()}
                        progress={s.progress.get(&crate::state::lessons()[pos.lesson].id).cloned().unwrap_or_default()}
                        live={s.snapshot.clone()} catching_up={s.catching_up()} />
                } else if s.lesson_list {
                    <LessonList language={s.language.clone()} on_action={on_action.clone()} progress={s.progress.clone()} />
                }
                <section class="left">
                    <Editor text={s.yaml.clone()} errors={s.errors.clone()} on_edit={on_edit}
                        editing={s.editing.as_ref().map(|e| e.title())}
                        on_save={on_action.reform(|()| Action::SaveEdit)}
                        on_cancel={on_action.reform(|()| Action::CancelEdit)}
                        file={s.file.clone()} files={s.files.clone()} applied={s.applied.clone()} lang={s.language.clone()}
                        on_open={on_action.reform(Action::OpenFile)}
                        on_new={on_action.reform(|()| Action::NewFile)} />
                    <TerminalPanel screen={s.screen.clone()} input={s.input.clone()} prompt={s.prompt.clone()}
                        bell={s.bell} waiting={s.waiting_lines()} on_action={on_action.clone()} lang={s.language.clone()} />
                </section>
                <section class="right">
                    <ClusterView snapshot={s.snapshot.clone()} on_action={on_action} lang={s.language.clone()} />
                </section>
            </main>
        </div>
    }
}

/// Whether the page keeps its session: a page given its manifest (a test, an embed with its own) does not.
fn initial_is_none(props: &AppProps) -> bool {
    props.initial_yaml.is_none()
}

/// Keeps the session in the browser without encoding it on every tick of the clock.
#[derive(Default)]
struct Saver {
    /// When it was last kept (the page's clock, ms).
    last_ms: f64,
    /// A save waiting for its second to come.
    pending: Option<Timeout>,
    /// The page-hide listener that keeps it as the page goes.
    on_hide: Option<gloo_events::EventListener>,
    /// The newest state, for the waiting save and the page-hide listener.
    newest: Option<UseReducerHandle<AppState>>,
}

const SAVE_EVERY_MS: f64 = 1_000.0;

impl Saver {
    fn request(
        this: &std::rc::Rc<std::cell::RefCell<Saver>>,
        state: UseReducerHandle<AppState>,
        notice: UseStateHandle<Option<Notice>>,
    ) {
        let mut me = this.borrow_mut();
        me.newest = Some(state);
        if me.on_hide.is_none() {
            if let Some(w) = web_sys::window() {
                let saver = std::rc::Rc::clone(this);
                let notice = notice.clone();
                me.on_hide = Some(gloo_events::EventListener::new(&w, "pagehide", move |_| {
                    Saver::save(&saver, &notice);
                }));
            }
        }
        if me.pending.is_some() {
            return;
        }
        let now = page_now();
        let wait = (me.last_ms + SAVE_EVERY_MS - now).max(0.0);
        let saver = std::rc::Rc::clone(this);
        me.pending = Some(Timeout::new(wait as u32, move || {
            saver.borrow_mut().pending = None;
            Saver::save(&saver, &notice);
        }));
    }

    fn save(
        this: &std::rc::Rc<std::cell::RefCell<Saver>>,
        notice: &UseStateHandle<Option<Notice>>,
    ) {
        let Some(state) = this.borrow().newest.clone() else {
            return;
        };
        // Not in the middle of rebuilding a session: what is kept is always a whole one.
        if state.replaying() {
            return;
        }
        this.borrow_mut().last_ms = page_now();
        let text = session::encode(&state.saved());
        match storage::save_session(&text) {
            Ok(()) => {
                if matches!(**notice, Some(Notice::NotSaved(_))) {
                    notice.set(None);
                }
            }
            Err(why) => {
                if !matches!(**notice, Some(Notice::NotSaved(_))) {
                    notice.set(Some(Notice::NotSaved(why)));
                }
            }
        }
    }
}

/// The page's clock, in milliseconds.
fn page_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[derive(Properties, PartialEq)]
struct SessionMenuProps {
    state: UseReducerHandle<AppState>,
    lang: AttrValue,
    on_broken: Callback<String>,
}

/// The session to take elsewhere: a link that rebuilds it, a file to keep, a file to open.
#[component(SessionMenu)]
fn session_menu(p: &SessionMenuProps) -> Html {
    let lang = p.lang.as_str();
    let link = use_state(|| None::<String>);
    let on_link = {
        let (state, link, broken) = (p.state.clone(), link.clone(), p.on_broken.clone());
        Callback::from(move |_: MouseEvent| {
            let text = session::encode(&state.saved());
            let (link, broken) = (link.clone(), broken.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match share::link(&text).await {
                    Ok(l) => link.set(Some(l)),
                    Err(why) => broken.emit(why),
                }
            });
        })
    };
    let on_export = {
        let (state, broken) = (p.state.clone(), p.on_broken.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(why) =
                share::download(&session::encode(&state.saved()), "ordinal-session.json")
            {
                broken.emit(why);
            }
        })
    };
    let on_import = {
        let (dispatcher, broken) = (p.state.dispatcher(), p.on_broken.clone());
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (dispatcher, broken) = (dispatcher.clone(), broken.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let opened = share::read_file(file)
                    .await
                    .and_then(|text| session::decode(&text));
                match opened {
                    Ok(saved) => {
                        if let Some(own) = storage::load_session() {
                            storage::set_aside(&own, "ordinal.session.before-file");
                        }
                        dispatcher.dispatch(Action::Restore(Box::new(saved)));
                    }
                    Err(why) => broken.emit(why),
                }
            });
        })
    };
    let t = |key| crate::i18n::t(lang, key);
    html! {
        <details class="session-menu">
            <summary id="session-menu">{t("session")}</summary>
            <div class="session-body card">
                <button class="mini" id="share-link" onclick={on_link}>{t("share-link")}</button>
                if let Some(l) = &*link {
                    <label class="link-label" for="shared-link">{t("link-ready")}</label>
                    <input id="shared-link" class="shared-link" readonly=true value={l.clone()}
                        onfocus={Callback::from(|e: FocusEvent| {
                            use wasm_bindgen::JsCast;
                            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                i.select();
                            }
                        })} />
                }
                <button class="mini" id="export-session" onclick={on_export}>{t("export")}</button>
                <input id="import-session" class="sr-only" type="file" accept=".json,application/json" onchange={on_import} />
                <label class="mini file-pick" for="import-session">{t("import")}</label>
            </div>
        </details>
    }
}

mod offline {
    /// Registers `./sw.js` when the page is served over http(s); `updated` runs when a new version takes over
    /// the page's files (not on the first install). The listener lives as long as what it returns.
    pub fn register(updated: impl Fn() + 'static) -> Option<gloo_events::EventListener> {
        let window = web_sys::window()?;
        let protocol = window.location().protocol().ok()?;
        if protocol != "http:" && protocol != "https:" {
            return None;
        }
        let workers = window.navigator().service_worker();
        let had_one = workers.controller().is_some();
        let _ = workers.register("./sw.js");
        had_one.then(|| {
            gloo_events::EventListener::new(&workers, "controllerchange", move |_| updated())
        })
    }
}
