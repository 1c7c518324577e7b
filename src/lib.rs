//! Hashiya (حاشية): an annotation widget for right-to-left (Arabic) news
//! articles. Readers select spans of text and tag them as a person, a place
//! or a claim; claims carry a speaker, subjects, a verdict and a source.
//!
//! One component, [`Annotator`], is behind every front door: the demo page,
//! the `<hashiya-annotator>` custom element, and a Rust host's Yew app:
//!
//! ```no_run
//! use hashiya::{Annotator, AnnotatorEvent, Content, Document, Storage};
//! use yew::prelude::*;
//!
//! #[function_component]
//! fn Story() -> Html {
//!     let article = use_memo((), |_| {
//!         Content::from(Document::from_text("story-1", "قال المتحدث إن الوفد وصل إلى الدوحة."))
//!     });
//!     let on_event = Callback::from(|e: AnnotatorEvent| {
//!         if let AnnotatorEvent::Created(a) = e {
//!             web_sys::console::log_1(&format!("{} {:?}", a.label.key(), a.quote).into());
//!         }
//!     });
//!     html! {
//!         <>
//!             <style>{ hashiya::STYLESHEET }</style>
//!             <Annotator content={(*article).clone()} storage={Storage::Local} {on_event} />
//!         </>
//!     }
//! }
//! ```
//!
//! The modules below the public items are the crate's insides (the model,
//! the formats, the reducer, the browser adapters), public for the project's
//! own tests and benchmarks; they are not a stable interface.

#[doc(hidden)]
pub mod browser;
#[doc(hidden)]
pub mod components;
#[doc(hidden)]
pub mod embed;
#[doc(hidden)]
pub mod formats;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod seed;
#[doc(hidden)]
pub mod state;

pub use browser::paint::Renderer;
pub use components::annotator::{
    Annotator, AnnotatorEvent, AnnotatorProps, Content, NewAnnotation, RelationAction, Storage, BULK_CHANGE,
};
pub use components::ui::UiLang;
pub use formats::export::{ExportAnnotation, ExportRelation};
pub use model::{BlockKind, Document, Label, LabelSet, RelationKind, VerdictSet};

/// The annotator's stylesheet: put it in the page once (a `<style>` element,
/// or the file `styles/hashiya.css` of this crate). It styles the
/// annotator's own elements and, as the demo page wants, the page's
/// `button`, `article` and `mark` elements; a host that must keep its own
/// look for those should use the `<hashiya-annotator>` element, whose shadow
/// root keeps both apart.
pub const STYLESHEET: &str = concat!(
    include_str!("../styles/hashiya.css"),
    include_str!("../styles/embed.css")
);

/// Runs when the module is loaded (`main`). The demo page (`index.html`, whose body
/// is marked `data-hashiya-demo`) gets the full annotator; a page that loads
/// the embed bundle gets nothing until it uses `<hashiya-annotator>`.
#[doc(hidden)]
pub fn start() {
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    if let Some(body) = body.filter(|b| b.has_attribute("data-hashiya-demo")) {
        yew::Renderer::<components::app::App>::with_root(body.into()).render();
    }
}
