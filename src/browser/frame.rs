//! Work that must wait until the frame with a change has been painted.

use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Runs a function once the next frame is painted: the next animation frame,
/// then a task after it. A fixed delay guesses at how long a frame takes and
/// guesses short on a slow machine, where a read of the layout then runs
/// before the frame and delays it. Dropping it cancels the function.
pub struct AfterPaint {
    frame: Option<i32>,
    // kept alive until the frame has come; cancelled before it goes
    _on_frame: Closure<dyn FnMut()>,
    task: Rc<RefCell<Option<Timeout>>>,
}

impl AfterPaint {
    pub fn new(f: impl FnOnce() + 'static) -> Self {
        let task = Rc::new(RefCell::new(None));
        let mut f = Some(f);
        let on_frame = Closure::<dyn FnMut()>::new({
            let task = task.clone();
            move || {
                if let Some(f) = f.take() {
                    *task.borrow_mut() = Some(Timeout::new(0, f));
                }
            }
        });
        let frame =
            web_sys::window().and_then(|w| w.request_animation_frame(on_frame.as_ref().unchecked_ref()).ok());
        Self {
            frame,
            _on_frame: on_frame,
            task,
        }
    }
}

impl Drop for AfterPaint {
    fn drop(&mut self) {
        if let (Some(w), Some(id)) = (web_sys::window(), self.frame) {
            // a frame that came after its closure was dropped would throw
            let _ = w.cancel_animation_frame(id);
        }
        self.task.borrow_mut().take();
    }
}
