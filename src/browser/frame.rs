//! Work that must wait until the frame with a change has been painted.

use gloo_render::{request_animation_frame, AnimationFrame};
use gloo_timers::callback::Timeout;
use std::cell::Cell;
use std::rc::Rc;

/// A page that is not shown (a background tab, a hidden iframe) has no
/// frames: after this long the function runs anyway.
const UNSHOWN_MS: u32 = 250;

/// The function, until whichever of its two triggers comes first takes it.
type Slot = Rc<Cell<Option<Box<dyn FnOnce()>>>>;

/// Runs a function once the next frame is painted: the next animation frame,
/// then a task after it. A fixed delay guesses at how long a frame takes and
/// guesses short on a slow machine, where a read of the layout then runs
/// before the frame and delays it. Dropping it cancels the function.
pub struct AfterPaint {
    slot: Slot,
    _frame: AnimationFrame,
    _unshown: Timeout,
}

impl AfterPaint {
    pub fn new(f: impl FnOnce() + 'static) -> Self {
        let slot: Slot = Rc::new(Cell::new(Some(Box::new(f))));
        let run = |slot: &Slot| {
            if let Some(f) = slot.take() {
                f();
            }
        };
        let frame = request_animation_frame({
            let slot = slot.clone();
            // the task after the frame is not kept: once dropped, the slot is empty
            move |_| {
                Timeout::new(0, move || run(&slot)).forget();
            }
        });
        let unshown = Timeout::new(UNSHOWN_MS, {
            let slot = slot.clone();
            move || run(&slot)
        });
        Self {
            slot,
            _frame: frame,
            _unshown: unshown,
        }
    }
}

impl Drop for AfterPaint {
    fn drop(&mut self) {
        self.slot.take();
    }
}
