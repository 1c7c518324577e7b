//! The widget: state, storage and keyboard wiring around the articles.

use super::article::ArticleView;
use super::notice::NoticeBar;
use super::opener::Opener;
use super::panel::Panel;
use super::toolbar::Toolbar;
use super::{tag_selection, Dispatch};
use crate::browser::{clock, dom, storage};
use crate::model::{Annotation, Label};
use crate::seed;
use crate::state::{Action, AppState, DocEntry, NoticeKind};
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

type Saved = HashMap<String, Rc<Vec<Rc<Annotation>>>>;

/// Writes each article whose annotations changed since its last write, and
/// removes the keys of removed articles. Runs after render, off the input path.
fn persist(docs: &[DocEntry], saved: &RefCell<Saved>, had_problem: &RefCell<bool>, dispatch: &Dispatch) {
    let now = clock::now_iso();
    let mut saved = saved.borrow_mut();
    let mut problem = None;
    for d in docs {
        let current = d.ad.annotations();
        if saved.get(d.id()).is_some_and(|p| Rc::ptr_eq(p, current)) {
            continue;
        }
        match storage::save(d, &now) {
            Ok(()) => {
                saved.insert(d.id().to_string(), current.clone());
            }
            Err(e) => problem = Some(e.notice()),
        }
    }
    let gone: Vec<String> = saved
        .keys()
        .filter(|k| !docs.iter().any(|d| d.id() == *k))
        .cloned()
        .collect();
    for id in gone {
        storage::remove(&id);
        saved.remove(&id);
    }
    let failing = problem.is_some();
    if failing || *had_problem.borrow() {
        *had_problem.borrow_mut() = failing;
        dispatch.dispatch(Action::StorageProblem(problem));
    }
}

/// Keys that work anywhere on the page except while typing in a field.
fn on_key(e: &KeyboardEvent, dispatch: &Dispatch) {
    if dom::is_typing_target(e.target()) {
        return;
    }
    let ctrl = e.ctrl_key() || e.meta_key();
    let key = e.key();
    let handled = match key.as_str() {
        "z" | "Z" if ctrl && e.shift_key() => Some(Action::Redo),
        "z" | "Z" if ctrl => Some(Action::Undo),
        "y" | "Y" if ctrl => Some(Action::Redo),
        "Delete" | "Backspace" if !ctrl => Some(Action::DeleteSelected),
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

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let dispatch = state.dispatcher();
    let saved = use_mut_ref(|| -> Saved {
        state
            .docs
            .iter()
            .map(|d| (d.id().to_string(), d.ad.annotations().clone()))
            .collect()
    });
    let had_problem = use_mut_ref(|| false);
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.docs.clone(), move |docs| {
            persist(docs, &saved, &had_problem, &dispatch)
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
        <main class="hashiya" dir="rtl" lang="ar" data-ready="true">
            <header class="masthead">
                <h1>{"حاشية"}<span class="sub" lang="en" dir="ltr">{"Hashiya"}</span></h1>
                <Toolbar state={state.clone()} dispatch={dispatch.clone()} />
                <Opener dispatch={dispatch.clone()} />
                <NoticeBar notice={state.notice.clone()} storage_problem={state.storage_problem.clone()} dispatch={dispatch.clone()} />
            </header>
            { for sections }
        </main>
    }
}
