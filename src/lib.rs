//! Hashiya (حاشية): an annotation widget for right-to-left news articles.
//!
//! `model` and `formats` are plain Rust (tested natively); `state` is the
//! reducer; `browser` holds the adapters to web APIs; `components` the Yew views.

pub mod browser;
pub mod components;
pub mod embed;
pub mod formats;
pub mod model;
pub mod seed;
pub mod state;

/// Runs when the module is loaded (`main`). The demo page (`index.html`, whose body
/// is marked `data-hashiya-demo`) gets the full annotator; a page that loads
/// the embed bundle gets nothing until it uses `<hashiya-annotator>`.
pub fn start() {
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    if let Some(body) = body.filter(|b| b.has_attribute("data-hashiya-demo")) {
        yew::Renderer::<components::app::App>::with_root(body.into()).render();
    }
}
