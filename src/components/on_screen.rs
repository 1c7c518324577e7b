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
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};
use yew::prelude::*;

/// The chunks an observer was told about: the first block of each, and
/// whether it is now within the observer's reach.
fn chunks_told(entries: js_sys::Array) -> impl Iterator<Item = (usize, bool)> {
    entries.into_iter().filter_map(|entry| {
        let entry = entry.unchecked_into::<IntersectionObserverEntry>();
        let first = entry.target().get_attribute("data-first-block")?.parse().ok()?;
        Some((first, entry.is_intersecting()))
    })
}

/// Has `observer` watch every chunk box of `article`.
fn observe_chunks(observer: &IntersectionObserver, article: &NodeRef) {
    let boxes = article
        .cast::<Element>()
        .and_then(|a| a.query_selector_all(":scope > .chunk").ok());
    if let Some(boxes) = boxes {
        for i in 0..boxes.length() {
            if let Some(el) = boxes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                observer.observe(&el);
            }
        }
    }
}

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
        for (first, within) in chunks_told(entries) {
            if within {
                shown.insert(first);
            } else {
                shown.remove(&first);
            }
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
            if let Some(observer) = &observer {
                observe_chunks(observer, &article);
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

/// The chunks near the screen (in view, or within a screen's height of it),
/// by first block, as a state that renders the article when it changes;
/// `None` until the browser has told, and when not `wanted`.
///
/// Where highlights are painted with the CSS Custom Highlight API, only these
/// chunks' ranges are registered: WebKit's paint of any part of the page
/// (the panel's outline, a new entry) took 1.3-2.2 s with the 31,000 ranges
/// of a 400k/20k article registered, against tens of milliseconds for the
/// few hundred of the screen and its neighbours. When the page scrolls, a
/// chunk scrolled near is painted before it comes into view. The margin is
/// the viewport's: inside a host's own scrolling box (or a cross-origin
/// frame) a chunk is near only once it shows, and is painted a frame later.
#[hook]
pub fn use_near_screen(article: &NodeRef, chunks: usize, wanted: bool) -> Option<Rc<BTreeSet<usize>>> {
    let near = use_state(|| None::<Rc<BTreeSet<usize>>>);
    {
        let (near, article) = (near.clone(), article.clone());
        use_effect_with((chunks, wanted), move |&(_, wanted)| {
            // the set as this observer told it: its first call tells every chunk
            let mut set = BTreeSet::new();
            let mut first_call = true;
            let told = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries| {
                let before = set.clone();
                for (first, within) in chunks_told(entries) {
                    if within {
                        set.insert(first);
                    } else {
                        set.remove(&first);
                    }
                }
                if first_call || set != before {
                    near.set(Some(Rc::new(set.clone())));
                }
                first_call = false;
            });
            let observer = wanted
                .then(|| {
                    let init = IntersectionObserverInit::new();
                    init.set_root_margin("100% 0px");
                    IntersectionObserver::new_with_options(told.as_ref().unchecked_ref(), &init).ok()
                })
                .flatten();
            if let Some(observer) = &observer {
                observe_chunks(observer, &article);
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(told);
            }
        });
    }
    if wanted {
        (*near).clone()
    } else {
        None
    }
}
