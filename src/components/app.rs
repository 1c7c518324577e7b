//! The widget: state, storage and keyboard wiring around the articles.

use super::article::ArticleView;
use super::importer::{import_file, Importer};
use super::notice::NoticeBar;
use super::opener::Opener;
use super::panel::Panel;
use super::toolbar::Toolbar;
use super::{tag_selection, Dispatch};
use crate::browser::{clock, dom, files, storage};
use crate::formats::stored::decode;
use crate::model::{Annotation, Label, Tombstone};
use crate::seed;
use crate::state::{Action, AppState, DocEntry, ImportMode, Notice, NoticeKind};
use gloo_events::{EventListener, EventListenerOptions};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn initial_state() -> AppState {
    let (docs, notices) = storage::load(seed::bundled(), &clock::now_iso());
    let mut state = AppState::new(docs, None);
    for n in notices {
        match n.kind {
            NoticeKind::Error if !storage::available() => state.storage_problem = Some(n),
            _ => state.notice = Some(n),
        }
    }
    state
}

/// What this tab last wrote, or last saw another tab write, per article:
/// the state it wrote (by pointer) and the raw value.
#[derive(Default)]
struct Written {
    state: HashMap<String, Pointers>,
    raw: HashMap<String, String>,
}

impl Written {
    fn of(docs: &[DocEntry]) -> Written {
        let mut w = Written::default();
        for d in docs {
            w.state.insert(d.id().to_string(), pointers(d));
            if let Some(raw) = storage::read_raw(d.id()) {
                w.raw.insert(d.id().to_string(), raw);
            }
        }
        w
    }
}

/// An article's annotations and tombstones by pointer: equal pointers mean
/// nothing changed since the last write.
type Pointers = (Rc<Vec<Rc<Annotation>>>, Rc<Vec<Tombstone>>);

fn pointers(d: &DocEntry) -> Pointers {
    (d.ad.annotations().clone(), d.tombstones.clone())
}

/// Writes each article that changed since its last write, and removes the
/// keys of removed articles. Runs after render, off the input path. When
/// another tab wrote the article meanwhile, its changes are merged in first
/// and the write happens on the next pass.
fn persist(docs: &[DocEntry], written: &RefCell<Written>, had_problem: &RefCell<bool>, dispatch: &Dispatch) {
    let now = clock::now_iso();
    let mut written = written.borrow_mut();
    let mut problem = None;
    for d in docs {
        let id = d.id().to_string();
        let current = pointers(d);
        if written
            .state
            .get(&id)
            .is_some_and(|(a, t)| Rc::ptr_eq(a, &current.0) && Rc::ptr_eq(t, &current.1))
        {
            continue;
        }
        let stored = storage::read_raw(&id);
        if let Some(raw) = stored.filter(|raw| written.raw.get(&id) != Some(raw)) {
            written.raw.insert(id.clone(), raw.clone());
            if let Ok(other) = decode(&raw) {
                dispatch.dispatch(Action::Remote {
                    doc_id: id,
                    stored: Some(Box::new(other)),
                });
                continue;
            }
        }
        match storage::save(d, &now) {
            Ok(raw) => {
                written.state.insert(id.clone(), current);
                written.raw.insert(id, raw);
            }
            Err(e) => problem = Some(e.notice()),
        }
    }
    let gone: Vec<String> = written
        .state
        .keys()
        .filter(|k| !docs.iter().any(|d| d.id() == *k))
        .cloned()
        .collect();
    for id in gone {
        storage::remove(&id);
        written.state.remove(&id);
        written.raw.remove(&id);
    }
    let failing = problem.is_some();
    if failing || *had_problem.borrow() {
        *had_problem.borrow_mut() = failing;
        dispatch.dispatch(Action::StorageProblem(problem));
    }
}

/// Another tab wrote or removed an article: take it in.
fn on_storage(e: &web_sys::StorageEvent, written: &RefCell<Written>, dispatch: &Dispatch) {
    let Some(key) = e.key() else { return };
    let Some(doc_id) = storage::doc_id_of_key(&key) else {
        return;
    };
    let value = e.new_value();
    let mut written = written.borrow_mut();
    match &value {
        Some(raw) => written.raw.insert(doc_id.to_string(), raw.clone()),
        None => written.raw.remove(doc_id),
    };
    let stored = match value.map(|raw| decode(&raw)) {
        Some(Ok(s)) => Some(Box::new(s)),
        Some(Err(_)) => return,
        None => None,
    };
    dispatch.dispatch(Action::Remote {
        doc_id: doc_id.to_string(),
        stored,
    });
}

/// Keys that work anywhere on the page except while typing in a field.
fn on_key(e: &KeyboardEvent, dispatch: &Dispatch) {
    if dom::is_typing_target(e.target()) {
        return;
    }
    let ctrl = e.ctrl_key() || e.meta_key();
    let key = e.key();
    let now = clock::now_iso;
    let handled = match key.as_str() {
        "z" | "Z" if ctrl && e.shift_key() => Some(Action::Redo { now: now() }),
        "z" | "Z" if ctrl => Some(Action::Undo { now: now() }),
        "y" | "Y" if ctrl => Some(Action::Redo { now: now() }),
        "Delete" | "Backspace" if !ctrl => Some(Action::DeleteSelected { now: now() }),
        "Escape" => Some(Action::Select(None)),
        k if !ctrl && !e.alt_key() => {
            if let Some(label) = Label::from_shortcut(k) {
                e.prevent_default();
                tag_selection(dispatch, label);
            }
            None
        }
        _ => None,
    };
    if let Some(action) = handled {
        e.prevent_default();
        dispatch.dispatch(action);
    }
}

/// A dropped `.txt` file opens as an article; anything else is imported.
fn on_dropped_file(dispatch: &Dispatch, file: web_sys::File, mode: ImportMode) {
    if !file.name().to_lowercase().ends_with(".txt") {
        return import_file(dispatch, file, mode);
    }
    let d = dispatch.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match files::read_text(file, files::MAX_ARTICLE_BYTES).await {
            Ok(text) => d.dispatch(Action::AddArticle {
                text,
                now: clock::now_iso(),
            }),
            Err(why) => d.dispatch(Action::Notify(Notice::error(
                format!("تعذّرت قراءة الملف: {why}"),
                format!("Could not read the file: {why}"),
            ))),
        }
    });
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let dispatch = state.dispatcher();
    let written = use_mut_ref(|| Written::of(&state.docs));
    let had_problem = use_mut_ref(|| false);
    {
        let (dispatch, written) = (dispatch.clone(), written.clone());
        use_effect_with(state.docs.clone(), move |docs| {
            persist(docs, &written, &had_problem, &dispatch)
        });
    }
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window().expect("a window");
            let listener = EventListener::new(&window, "storage", move |e| {
                if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                    on_storage(e, &written, &dispatch);
                }
            });
            move || drop(listener)
        });
    }
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            // not passive: our shortcuts replace the browser's (Backspace, Ctrl+Z)
            let options = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(&dom::document(), "keydown", options, move |e| {
                if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                    on_key(e, &dispatch);
                }
            });
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
    let selected = state
        .selected_annotation()
        .map(|(d, a)| (d.id().to_string(), a.clone()));
    let sections = state.docs.iter().map(|entry| {
        let mine = selected.as_ref().filter(|(id, _)| id == entry.id()).map(|(_, a)| a.clone());
        let confirming = state.confirming_removal.as_deref() == Some(entry.id());
        html! {
            <section class="doc" key={entry.id().to_string()} data-doc-id={entry.id().to_string()}>
                <ArticleView ad={entry.ad.clone()} selected={mine.clone()} dispatch={dispatch.clone()} />
                <Panel entry={entry.clone()} selected={mine} confirming_removal={confirming} dispatch={dispatch.clone()} />
            </section>
        }
    });
    html! {
        <main class="hashiya" dir="rtl" lang="ar" data-ready="true" {ondragover} {ondrop}>
            <header class="masthead">
                <h1>{"حاشية"}<span class="sub" lang="en" dir="ltr">{"Hashiya"}</span></h1>
                <Toolbar state={state.clone()} dispatch={dispatch.clone()} />
                <Opener dispatch={dispatch.clone()} />
                <Importer dispatch={dispatch.clone()} mode={*import_mode} {on_mode} />
                <NoticeBar notice={state.notice.clone()} storage_problem={state.storage_problem.clone()} dispatch={dispatch.clone()} />
            </header>
            { for sections }
        </main>
    }
}
