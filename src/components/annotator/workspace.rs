//! The demo page's workspace around the articles: its title, the language
//! switch, opening and importing files (picked or dropped), and keys heard
//! on the whole page.

use crate::browser::dom;
use crate::components::importer::{import_file, Importer};
use crate::components::keys::on_key;
use crate::components::opener::{open_article_file, Opener};
use crate::components::ui::{use_ui, Ui, UiLang};
use crate::components::Dispatch;
use crate::state::{AppState, ImportMode};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Listens to keys on the whole page when `on` (the workspace); true once
/// the listener is attached, so that the page can say it is ready only
/// when a key pressed is heard. The listener is set up once and reads the
/// settings of the last render.
#[hook]
pub fn use_page_keys(on: bool, state: &UseReducerHandle<AppState>, ui: &Ui) -> bool {
    let current_ui = use_mut_ref(Ui::default);
    *current_ui.borrow_mut() = ui.clone();
    let listening = use_state(|| false);
    let (state, set_listening) = (state.clone(), listening.setter());
    use_effect_with(on, move |on| {
        let listener = on.then(|| {
            let dispatch = state.dispatcher();
            // not passive: our shortcuts replace the browser's (Backspace, Ctrl+Z)
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&dom::document(), "keydown", options, move |e| {
                if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                    on_key(e, &dispatch, &current_ui.borrow(), &state);
                }
            })
        });
        set_listening.set(listener.is_some());
        move || drop(listener)
    });
    *listening
}

#[derive(Properties, PartialEq)]
pub struct WorkspaceProps {
    pub dispatch: Dispatch,
    pub listening: bool,
    pub save_status: Html,
    pub toolbar: Html,
    pub notices: Html,
    pub body: Html,
}

/// A `.txt` file opens as an article; anything else is imported.
fn on_dropped_file(dispatch: &Dispatch, file: web_sys::File, mode: ImportMode) {
    if file.name().to_lowercase().ends_with(".txt") {
        open_article_file(dispatch, file);
    } else {
        import_file(dispatch, file, mode);
    }
}

#[function_component]
pub fn WorkspaceHeader(props: &WorkspaceProps) -> Html {
    let ui = use_ui();
    let dispatch = &props.dispatch;
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
    let other_lang = match ui.lang {
        UiLang::Ar => UiLang::En,
        UiLang::En => UiLang::Ar,
    };
    let switch_lang = ui
        .set_lang
        .clone()
        .map(|set| set.reform(move |_: MouseEvent| other_lang));
    html! {
        <main class="hashiya" dir={ui.lang.dir()} lang={ui.lang.code()}
            data-ready={props.listening.then_some("true")} {ondragover} {ondrop}>
            <header class="masthead">
                <h1>{"حاشية"}<span class="sub" lang="en" dir="ltr">{"Hashiya"}</span></h1>
                <button class="quiet" data-action="ui-lang" lang={other_lang.code()} onclick={switch_lang}>
                    {ui.t("English", "عربي")}
                </button>
                { props.save_status.clone() }
                { props.toolbar.clone() }
                <Opener dispatch={dispatch.clone()} />
                <Importer dispatch={dispatch.clone()} mode={*import_mode} {on_mode} />
                { props.notices.clone() }
            </header>
            { props.body.clone() }
        </main>
    }
}
