//! Work that must wait until the frame with a change has been painted.

use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A page that is not shown (a background tab, a hidden iframe) has no
/// frames: after this long the function runs anyway.
const UNSHOWN_MS: u32 = 250;

type Once = Rc<RefCell<Option<Box<dyn FnOnce()>>>>;

/// Runs a function once the next frame is painted: the next animation frame,
/// then a task after it. A fixed delay guesses at how long a frame takes and
/// guesses short on a slow machine, where a read of the layout then runs
/// before the frame and delays it. Dropping it cancels the function.
pub struct AfterPaint {
    frame: Option<i32>,
    // kept alive until the frame has come; cancelled before it goes
    _on_frame: Closure<dyn FnMut()>,
    after_frame: Rc<RefCell<Option<Timeout>>>,
    _unshown: Timeout,
}

impl AfterPaint {
    pub fn new(f: impl FnOnce() + 'static) -> Self {
        let f: Once = Rc::new(RefCell::new(Some(Box::new(f))));
        // whichever comes first runs it; the other finds nothing left
        let run = |f: &Once| {
            let f = f.borrow_mut().take();
            if let Some(f) = f {
                f();
            }
        };
        let after_frame = Rc::new(RefCell::new(None));
        let on_frame = Closure::<dyn FnMut()>::new({
            let (f, after_frame) = (f.clone(), after_frame.clone());
            move || {
                let f = f.clone();
                *after_frame.borrow_mut() = Some(Timeout::new(0, move || run(&f)));
            }
        });
        let frame =
            web_sys::window().and_then(|w| w.request_animation_frame(on_frame.as_ref().unchecked_ref()).ok());
        let unshown = Timeout::new(UNSHOWN_MS, move || run(&f));
        Self {
            frame,
            _on_frame: on_frame,
            after_frame,
            _unshown: unshown,
        }
    }
}

impl Drop for AfterPaint {
    fn drop(&mut self) {
        if let (Some(w), Some(id)) = (web_sys::window(), self.frame) {
            // a frame that came after its closure was dropped would throw
            let _ = w.cancel_animation_frame(id);
        }
        self.after_frame.borrow_mut().take();
    }
}
