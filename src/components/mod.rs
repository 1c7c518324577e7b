//! Yew components: they render the state and dispatch actions, nothing more.

pub mod app;
pub mod article;
pub mod block;
pub mod editor;
pub mod help;
pub mod importer;
pub mod keys;
pub mod notice;
pub mod opener;
pub mod panel;
pub mod persist;
pub mod toolbar;
pub mod touch;
pub mod ui;
pub mod widget;

use crate::browser::{clock, selection};
use crate::model::Label;
use crate::state::{Action, AppState, Notice};
use yew::UseReducerDispatcher;

pub type Dispatch = UseReducerDispatcher<AppState>;

/// Reads a file the user gave (picked or dropped) and dispatches what `then`
/// makes of its text; a file that cannot be read is reported instead.
pub fn read_file_then(
    dispatch: &Dispatch,
    file: web_sys::File,
    max_bytes: f64,
    then: impl FnOnce(String) -> Action + 'static,
) {
    let d = dispatch.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match crate::browser::files::read_text(file, max_bytes).await {
            Ok(text) => d.dispatch(then(text)),
            Err(why) => d.dispatch(Action::Notify(Notice::error(
                format!("تعذّرت قراءة الملف ولم يتغيّر شيء: {why}"),
                format!("Could not read the file, nothing changed: {why}"),
            ))),
        }
    });
}

/// The file chosen in a file input, which is then cleared so that choosing
/// the same file again fires again.
pub fn take_chosen_file(e: &yew::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = e.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
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
            dispatch.dispatch(Action::Tag {
                doc_id: sel.doc_id,
                anchor: sel.anchor,
                focus: sel.focus,
                label,
                id: clock::new_id(),
                snap,
                now: clock::now_iso(),
            });
            selection::clear(from);
        }
        Err(selection::Refusal::Empty) => dispatch.dispatch(Action::Relabel {
            label,
            now: clock::now_iso(),
        }),
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
