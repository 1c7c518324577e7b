//! The widget: state, storage and keyboard wiring around the articles.

use super::importer::{import_file, Importer};
use super::keys::on_key;
use super::notice::show_load_notices;
use super::opener::{open_article_file, Opener};
use super::persist::use_persistence;
use super::shared::{articles, notice_bar};
use super::toolbar::Toolbar;
use super::ui::{use_snap, Ui, UiLang};
use super::Dispatch;
use crate::browser::paint::Renderer;
use crate::browser::{clock, dom, storage};
use crate::seed;
use crate::state::{AppState, ImportMode};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn initial_state() -> AppState {
    let (docs, notices) = storage::load(seed::bundled(), &clock::now_iso());
    let mut state = AppState::new(docs, None);
    show_load_notices(&mut state, notices);
    state
}

/// A dropped `.txt` file opens as an article; anything else is imported.
fn on_dropped_file(dispatch: &Dispatch, file: web_sys::File, mode: ImportMode) {
    if file.name().to_lowercase().ends_with(".txt") {
        open_article_file(dispatch, file);
    } else {
        import_file(dispatch, file, mode);
    }
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let dispatch = state.dispatcher();
    let lang = use_state(|| UiLang::parse(&storage::pref("ui-lang").unwrap_or_default()));
    let (snap, set_snap) = use_snap();
    let set_lang = {
        let setter = lang.setter();
        use_callback((), move |l: UiLang, _| {
            storage::set_pref("ui-lang", l.code());
            setter.set(l);
        })
    };
    // `?renderer=marks|highlights` asks for one; otherwise it is measured
    let renderer = use_memo((), |_| {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let asked = search
            .trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix("renderer="))
            .unwrap_or("");
        Renderer::choose(asked)
    });
    let ui = Ui {
        lang: *lang,
        renderer: *renderer,
        snap,
        set_snap: Some(set_snap),
        set_lang: Some(set_lang),
        ..Ui::default()
    };
    // the key listener is set up once and reads the settings of the last render
    let current_ui = use_mut_ref(Ui::default);
    *current_ui.borrow_mut() = ui.clone();
    let save_status = use_persistence(&state, true, *lang);
    // `data-ready` waits for the key listener, so that a key pressed once the
    // page says it is ready is heard
    let listening = use_state(|| false);
    {
        let (dispatch, current_ui, state) = (dispatch.clone(), current_ui.clone(), state.clone());
        let listening = listening.clone();
        use_effect_with((), move |_| {
            // not passive: our shortcuts replace the browser's (Backspace, Ctrl+Z)
            let options = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(&dom::document(), "keydown", options, move |e| {
                if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                    on_key(e, &dispatch, &current_ui.borrow(), &state);
                }
            });
            listening.set(true);
            move || drop(listener)
        });
    }

    let import_mode = use_state(ImportMode::default);
    let on_mode = {
        let import_mode = import_mode.clone();
        Callback::from(move |m| import_mode.set(m))
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let (dispatch, mode) = (dispatch.clone(), *import_mode);
        Callback::from(move |e: DragEvent| {
            let Some(file) = e.data_transfer().and_then(|t| t.files()).and_then(|f| f.get(0)) else {
                return;
            };
            e.prevent_default();
            on_dropped_file(&dispatch, file, mode);
        })
    };
    let other_lang = match *lang {
        UiLang::Ar => UiLang::En,
        UiLang::En => UiLang::Ar,
    };
    let switch_lang = ui
        .set_lang
        .clone()
        .map(|set| set.reform(move |_: MouseEvent| other_lang));
    html! {
        <ContextProvider<Ui> context={ui.clone()}>
        <main class="hashiya" dir={lang.dir()} lang={lang.code()} data-ready={listening.then_some("true")} {ondragover} {ondrop}>
            <header class="masthead">
                <h1>{"حاشية"}<span class="sub" lang="en" dir="ltr">{"Hashiya"}</span></h1>
                <button class="quiet" data-action="ui-lang" lang={other_lang.code()} onclick={switch_lang}>
                    {ui.t("English", "عربي")}
                </button>
                <span class="save-status" data-role="save-status" ref={save_status} aria-live="polite"></span>
                <Toolbar state={state.clone()} dispatch={dispatch.clone()} />
                <Opener dispatch={dispatch.clone()} />
                <Importer dispatch={dispatch.clone()} mode={*import_mode} {on_mode} />
                { notice_bar(&state, &dispatch) }
            </header>
            { articles(&state, &dispatch) }
        </main>
        </ContextProvider<Ui>>
    }
}
