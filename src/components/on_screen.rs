//! Which chunks of the article are on screen, as the browser tells it.
//!
//! A change too big for one task is redrawn from the screen first (see
//! `redraw`). Reading where the screen is when such a change arrives forced
//! a layout of all the change had already touched elsewhere (the panel's new
//! entries: 11-29 ms of a bulk load). An `IntersectionObserver` tells it
//! instead, after each frame in which a chunk came into view or left it,
//! whatever scrolled (the page, a scroller in a host's own shadow tree) and
//! whether the article is shown at all. A change made before the browser has
//! drawn a scroll starts from where the reader was, so the screen comes one
//! slice, one task, later.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry};
use yew::prelude::*;

/// The first blocks of the chunks in view.
#[derive(Default)]
pub struct OnScreen(RefCell<BTreeSet<usize>>);

impl OnScreen {
    /// The first block of the first chunk in view: `None` until the browser
    /// has told, and while the article is not shown.
    pub fn first_block(&self) -> Option<usize> {
        self.0.borrow().first().copied()
    }

    fn told(&self, entries: js_sys::Array) {
        let mut shown = self.0.borrow_mut();
        for entry in entries
            .iter()
            .map(JsCast::unchecked_into::<IntersectionObserverEntry>)
        {
            let first = entry
                .target()
                .get_attribute("data-first-block")
                .and_then(|f| f.parse().ok());
            match (first, entry.is_intersecting()) {
                (Some(first), true) => shown.insert(first),
                (Some(first), false) => shown.remove(&first),
                (None, _) => false,
            };
        }
    }
}

/// Watches the `chunks` chunk boxes of `article` (watched again when their
/// number changes).
#[hook]
pub fn use_on_screen(article: &NodeRef, chunks: usize) -> Rc<OnScreen> {
    let on_screen = use_memo((), |_| OnScreen::default());
    {
        let (on_screen, article) = (on_screen.clone(), article.clone());
        use_effect_with(chunks, move |_| {
            let told = {
                let on_screen = on_screen.clone();
                Closure::<dyn FnMut(js_sys::Array)>::new(move |entries| on_screen.told(entries))
            };
            let observer = IntersectionObserver::new(told.as_ref().unchecked_ref()).ok();
            let boxes = article
                .cast::<Element>()
                .and_then(|a| a.query_selector_all(":scope > .chunk").ok());
            if let (Some(observer), Some(boxes)) = (&observer, boxes) {
                for i in 0..boxes.length() {
                    if let Some(el) = boxes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                        observer.observe(&el);
                    }
                }
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                on_screen.0.borrow_mut().clear();
                drop(told);
            }
        });
    }
    on_screen
}
