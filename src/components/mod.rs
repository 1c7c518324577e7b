//! Yew components: they render the state and dispatch actions, nothing more.

pub mod annotator;
pub mod app;
pub mod article;
pub mod block;
pub mod claim_editor;
pub mod doc_list;
pub mod editor;
pub mod emphasis;
pub mod help;
pub mod importer;
pub mod keys;
pub mod link_boxes;
pub mod notice;
pub mod on_screen;
pub mod opener;
pub mod panel;
pub mod paste;
pub mod persist;
pub mod redraw;
pub mod shared;
pub mod toolbar;
pub mod touch;
pub mod ui;

use crate::browser::{clock, selection};
use crate::model::Label;
use crate::state::{Action, AppState, Notice};
use yew::{Callback, UseReducerDispatcher};

pub type Dispatch = UseReducerDispatcher<AppState>;

/// The action `make` builds with the time now: the one place where the
/// components read the clock for an action (the reducer takes the time in
/// the action, and stays pure).
pub fn stamp(make: impl FnOnce(String) -> Action) -> Action {
    make(clock::now_iso())
}

/// Dispatching actions that carry the time they happened at.
pub trait DispatchStamped {
    /// Dispatches the action `make` builds with the time now.
    fn dispatch_stamped(&self, make: impl FnOnce(String) -> Action);
    /// A callback that does so on every event.
    fn stamped_callback<E: 'static>(&self, make: impl Fn(String) -> Action + 'static) -> Callback<E>;
}

impl DispatchStamped for Dispatch {
    fn dispatch_stamped(&self, make: impl FnOnce(String) -> Action) {
        self.dispatch(stamp(make));
    }

    fn stamped_callback<E: 'static>(&self, make: impl Fn(String) -> Action + 'static) -> Callback<E> {
        let d = self.clone();
        Callback::from(move |_: E| d.dispatch_stamped(&make))
    }
}

/// Reads a file the user gave (picked or dropped) and dispatches what `then`
/// makes of its text and the time; a file that cannot be read is reported
/// instead.
pub fn read_file_then(
    dispatch: &Dispatch,
    file: web_sys::File,
    max_bytes: f64,
    then: impl FnOnce(String, String) -> Action + 'static,
) {
    let d = dispatch.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match crate::browser::files::read_text(file, max_bytes).await {
            Ok(text) => d.dispatch_stamped(|now| then(text, now)),
            Err(why) => d.dispatch(Action::Notify(Notice::error(
                format!("تعذّرت قراءة الملف ولم يتغيّر شيء: {why}"),
                format!("Could not read the file, nothing changed: {why}"),
            ))),
        }
    });
}

/// A file input's `onchange`: hands `then` the chosen file, and clears the
/// input so that choosing the same file again fires again.
pub fn on_file_chosen(then: impl Fn(web_sys::File) + 'static) -> Callback<yew::Event> {
    use wasm_bindgen::JsCast;
    Callback::from(move |e: yew::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let file = input.files().and_then(|f| f.get(0));
        input.set_value("");
        if let Some(file) = file {
            then(file);
        }
    })
}

/// What a label key or button does: tag the text selected in the tree of
/// `from` (the page, or a widget's shadow root); with no text selected,
/// relabel the selected annotation.
pub fn tag_selection(dispatch: &Dispatch, label: Label, from: &web_sys::Node, snap: bool) {
    let snap = snap && !selection::was_precise();
    match selection::current(from) {
        Ok(mut sel) => {
            if snap {
                if let Some(article) = selection::article_of(from, &sel.doc_id) {
                    selection::reach_released_word(&mut sel, &article);
                }
            }
            dispatch.dispatch_stamped(|now| Action::Tag {
                doc_id: sel.doc_id,
                anchor: sel.anchor,
                focus: sel.focus,
                label,
                id: clock::new_id(),
                snap,
                now,
            });
            selection::clear(from);
        }
        Err(selection::Refusal::Empty) => dispatch.dispatch_stamped(|now| Action::Relabel { label, now }),
        Err(selection::Refusal::OutsideArticle) => dispatch.dispatch(Action::Notify(Notice::error(
            "التحديد يخرج عن نص المقال: حدّد نصًا داخل مقال واحد.",
            "The selection leaves the article's text: select inside one article.",
        ))),
        Err(selection::Refusal::TwoArticles) => dispatch.dispatch(Action::Notify(Notice::error(
            "التحديد يمتد عبر مقالين: لا يعبر الوسم حدود المقال.",
            "The selection spans two articles: a tag cannot cross an article's bounds.",
        ))),
    }
}
