//! The demo page's workspace: its title, the language switch, opening and
//! importing files (picked or dropped), keys heard on the whole page, the
//! list of articles beside the one shown, and the `#doc=<id>` address that
//! names it (so reload, back and forward and a shared link open it).

use crate::browser::dom;
use crate::components::doc_list::DocList;
use crate::components::importer::{import_file, Importer};
use crate::components::keys::on_key;
use crate::components::opener::{open_article_file, Opener};
use crate::components::ui::{use_ui, Ui, UiLang};
use crate::components::Dispatch;
use crate::state::{Action, AppState, ImportMode};
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

/// The article an address names (`#doc=<id>`, the id URI-encoded).
pub(super) fn doc_in_hash() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let raw = hash.strip_prefix("#doc=")?;
    js_sys::decode_uri_component(raw).ok().map(String::from)
}

/// Keeps the address and the article shown in step: an address read at the
/// start and on every change (back, forward, a pasted link) shows its
/// article; showing another article writes the address, as a new entry of
/// the browser's history. The first state already shows the article the
/// address names (`start::initial_state`), so that a reload draws it at once
/// rather than the first article for a frame; an address that names no
/// article is told here.
#[hook]
fn use_doc_hash(state: &UseReducerHandle<AppState>) {
    {
        let dispatch = state.dispatcher();
        let first = state.current.clone();
        use_effect_with((), move |_| {
            if let Some(id) = doc_in_hash().filter(|id| first.as_ref() != Some(id)) {
                dispatch.dispatch(Action::Show(id));
            }
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| match doc_in_hash() {
                    Some(id) => dispatch.dispatch(Action::Show(id)),
                    // back to the page's first entry, which named no article
                    None => dispatch.dispatch(Action::ShowFirst),
                })
            });
            move || drop(listener)
        });
    }
    let current = state.current.clone();
    use_effect_with(current, |current| {
        if let Some(id) = current
            .as_deref()
            .filter(|id| doc_in_hash().as_deref() != Some(*id))
        {
            let encoded: String = js_sys::encode_uri_component(id).into();
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&format!("doc={encoded}"));
            }
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct WorkspaceProps {
    pub state: UseReducerHandle<AppState>,
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

/// Above the article shown: mark it done, and go on to the next one; on a
/// narrow screen also the button that opens the list of articles.
fn queue_bar(state: &AppState, dispatch: &Dispatch, ui: &Ui, open_list: Callback<MouseEvent>) -> Html {
    let Some(doc) = state.current_doc() else {
        return html! {};
    };
    let (id, done) = (doc.id().to_string(), doc.done);
    let d = dispatch.clone();
    let mark = Callback::from(move |_| {
        d.dispatch(Action::SetDone {
            doc_id: id.clone(),
            done: !done,
        })
    });
    let step = |forward: bool, undone_only: bool| {
        let d = dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::ShowNext { forward, undone_only }))
    };
    html! {
        <div class="queue" role="group" aria-label={ui.t("التنقل بين المقالات", "Moving through the articles")}>
            <button class="drawer-toggle" data-action="documents" onclick={open_list} aria-haspopup="true">
                {ui.t("☰ المقالات", "☰ Articles")}</button>
            <button data-action="prev-doc" onclick={step(false, false)} title={ui.t("المقال السابق — [", "Previous article — [")}>
                {ui.t("السابق", "Previous")}</button>
            <button data-action="next-doc" onclick={step(true, false)} title={ui.t("المقال التالي — ]", "Next article — ]")}>
                {ui.t("التالي", "Next")}</button>
            <button data-action="mark-done" aria-pressed={done.to_string()} onclick={mark}
                title={ui.t("منجز — D", "Done — D")}>
                { if done { ui.t("✓ منجز", "✓ Done") } else { ui.t("علّمه منجزًا", "Mark done") } }
            </button>
            <button data-action="next-undone" onclick={step(true, true)} title={ui.t("التالي غير المنجز — N", "Next not done — N")}>
                {ui.t("التالي غير المنجز", "Next not done")}</button>
        </div>
    }
}

#[function_component]
pub fn Workspace(props: &WorkspaceProps) -> Html {
    let ui = use_ui();
    let state = &props.state;
    let dispatch = &state.dispatcher();
    use_doc_hash(state);
    // the list is a drawer on a narrow screen; choosing an article closes it
    let drawer = use_state(|| false);
    {
        let drawer = drawer.clone();
        use_effect_with(state.current.clone(), move |_| drawer.set(false));
    }
    let open_list = {
        let drawer = drawer.clone();
        Callback::from(move |_: MouseEvent| drawer.set(true))
    };
    let close_list = {
        let drawer = drawer.clone();
        Callback::from(move |_: MouseEvent| drawer.set(false))
    };
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
                <Opener dispatch={dispatch.clone()} taken={state.taken} />
                <Importer dispatch={dispatch.clone()} mode={*import_mode} {on_mode} taken={state.taken} />
                { props.notices.clone() }
            </header>
            <div class="workspace" data-drawer={if *drawer { "open" } else { "closed" }}>
                <DocList state={state.clone()} dispatch={dispatch.clone()} on_close={close_list} />
                <div class="shown">
                    { queue_bar(state, dispatch, &ui, open_list) }
                    { props.body.clone() }
                </div>
            </div>
        </main>
    }
}
