//! Which block the reader is on, kept as the page scrolls.
//!
//! A change too big for one task is redrawn from the block on screen first
//! (see `redraw`). Reading that position when such a change arrives forced
//! a layout of all the change had already touched elsewhere (the panel's
//! new entries: 11-29 ms of a bulk load). It is read instead in the frame
//! after a scroll or a resize, where the layout is clean, or due anyway.
//! A change made in the same frame as a scroll (a script that scrolls and
//! then calls `setAnnotations`) starts from where the reader was before it,
//! so the screen comes one slice, one task, later.

use crate::browser::dom;
use gloo_events::{EventListener, EventListenerOptions};
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The first block of `article` on screen as of the last frame after a
/// scroll or resize (or after the article was first drawn): `None` until
/// it has been read once.
#[hook]
pub fn use_block_on_screen(article: &NodeRef) -> Rc<Cell<Option<usize>>> {
    let first = use_memo((), |_| Cell::new(None));
    {
        let (first, article) = (first.clone(), article.clone());
        use_effect_with((), move |_| {
            let frame: Rc<RefCell<Option<AnimationFrame>>> = Rc::default();
            let pending = Rc::new(Cell::new(false));
            // one read per frame however many scroll events come before it
            let read = {
                let frame = frame.clone();
                move || {
                    if pending.replace(true) {
                        return;
                    }
                    let (first, article, pending) = (first.clone(), article.clone(), pending.clone());
                    // replacing the handle of a frame that has run cancels nothing
                    *frame.borrow_mut() = Some(request_animation_frame(move |_| {
                        pending.set(false);
                        if let Some(a) = article.cast::<web_sys::Element>() {
                            first.set(dom::first_block_on_screen(&a));
                        }
                    }));
                }
            };
            read();
            let window = web_sys::window().expect("a window");
            let scroll = {
                let read = read.clone();
                // scroll events do not bubble; any scroller moves the article
                EventListener::new_with_options(
                    &window,
                    "scroll",
                    EventListenerOptions::run_in_capture_phase(),
                    move |_| read(),
                )
            };
            let resize = EventListener::new(&window, "resize", move |_| read());
            move || drop((scroll, resize, frame))
        });
    }
    first
}
