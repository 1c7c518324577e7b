//! Hashiya (حاشية): an annotation widget for right-to-left news articles.
//!
//! `model` and `formats` are plain Rust (tested natively); `state` is the
//! reducer; `browser` holds the adapters to web APIs; `components` the Yew views.

pub mod browser;
pub mod components;
pub mod formats;
pub mod model;
pub mod seed;
pub mod state;

/// Mounts the annotator on the page's body.
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}
