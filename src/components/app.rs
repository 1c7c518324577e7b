//! The demo page: the annotator with the bundled articles as its workspace.

use super::annotator::{Annotator, Content, Storage};
use crate::browser::paint::Renderer;
use crate::seed;
use std::rc::Rc;
use yew::prelude::*;

/// `?renderer=marks|highlights` asks for one; otherwise it is measured.
fn renderer_asked() -> Renderer {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let asked = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("renderer="))
        .unwrap_or("");
    Renderer::choose(asked)
}

#[function_component]
pub fn App() -> Html {
    let content = use_memo((), |_| Content::Workspace(Rc::new(seed::bundled())));
    let renderer = use_memo((), |_| renderer_asked());
    html! {
        <Annotator content={(*content).clone()} storage={Storage::Local} renderer={Some(*renderer)} />
    }
}
