//! The line between a mounted annotator and what hears of it (the element's
//! events, a Yew host's `on_event`): the annotator leaves its state here on
//! every render, and the link reports what changed since the last report.

use crate::model::diff::{diff, AnnChange};
use crate::model::{AnnotatedDoc, Annotation};
use crate::state::{Action, AppState, Notice, NoticeKind};
use std::cell::RefCell;
use std::rc::Rc;
use yew::UseReducerHandle;

/// What the widget tells its embedder.
#[derive(Clone, Debug, PartialEq)]
pub enum Report {
    /// Loaded and drawn, with this many annotations.
    Ready(usize),
    Changed(Vec<AnnChange>),
    /// Something the user is shown as an error (storage, a refused import…).
    Error {
        notice: Notice,
        storage: bool,
    },
}

/// How the embedder hears of events: with the article as it is after each.
pub type OnEvent = Box<dyn Fn(&AnnotatedDoc, Report)>;

/// The embed adapter's line into a mounted widget: the widget leaves its
/// state here on every render, and tells what changed through `on_event`.
pub struct Link {
    pub(super) state: RefCell<Option<UseReducerHandle<AppState>>>,
    /// The annotations last reported, to report only what changed since.
    reported: RefCell<Option<Rc<Vec<Rc<Annotation>>>>>,
    errors_reported: RefCell<(Option<Notice>, Option<Notice>)>,
    /// A report is being sent: a host listener that changes the widget
    /// again is reported after it, by the same outer report.
    reporting: std::cell::Cell<bool>,
    on_event: OnEvent,
}

impl Link {
    /// `on_event` is told each event with the article as it is after it.
    pub fn new(on_event: impl Fn(&AnnotatedDoc, Report) + 'static) -> Rc<Link> {
        Rc::new(Link {
            state: RefCell::new(None),
            reported: RefCell::new(None),
            errors_reported: RefCell::new((None, None)),
            reporting: std::cell::Cell::new(false),
            on_event: Box::new(on_event),
        })
    }

    /// The widget's state as it is now (dispatching updates it at once).
    pub fn state(&self) -> Option<UseReducerHandle<AppState>> {
        self.state.borrow().clone()
    }

    /// Runs `action` through the reducer and reports what it changed at
    /// once, so that an API call's events have fired when it returns.
    pub fn dispatch(&self, action: Action) -> bool {
        self.dispatch_then(action, |_| ()).is_some()
    }

    /// `dispatch`, giving what `read` takes from the state the action left
    /// before it is reported: a host listener that hears of the change may
    /// change the widget again before this returns.
    pub fn dispatch_then<T>(&self, action: Action, read: impl FnOnce(&AppState) -> T) -> Option<T> {
        let state = self.state()?;
        state.dispatch(action);
        let left = read(&state);
        self.report();
        Some(left)
    }

    /// Reports what changed since the last report, until nothing has: a
    /// listener that calls the API while hearing of one change has its own
    /// change reported after it, so the last `hashiya-change` is current.
    pub(super) fn report(&self) {
        if self.reporting.replace(true) {
            return;
        }
        while let Some(state) = self.state() {
            if !self.report_once(&state) {
                break;
            }
        }
        self.reporting.set(false);
    }

    /// Reports the changes since the last report, and new errors; true if
    /// anything was told.
    fn report_once(&self, state: &AppState) -> bool {
        let Some(entry) = state.docs.first() else {
            return false;
        };
        let mut told = false;
        let now = entry.ad.annotations().clone();
        let before = self.reported.borrow_mut().replace(now.clone());
        match before {
            None => {
                told = true;
                (self.on_event)(&entry.ad, Report::Ready(now.len()))
            }
            Some(before) if !Rc::ptr_eq(&before, &now) => {
                let changes = diff(&before, &now);
                if !changes.is_empty() {
                    told = true;
                    (self.on_event)(&entry.ad, Report::Changed(changes));
                }
            }
            Some(_) => {}
        }
        let errors = (state.notice.clone(), state.storage_problem.clone());
        let last = self.errors_reported.replace(errors.clone());
        let is_new_error = |n: &Option<Notice>, was: &Option<Notice>| {
            n.as_ref().is_some_and(|n| n.kind == NoticeKind::Error) && n != was
        };
        if is_new_error(&errors.1, &last.1) {
            told = true;
            let notice = errors.1.clone().expect("checked");
            (self.on_event)(
                &entry.ad,
                Report::Error {
                    notice,
                    storage: true,
                },
            );
        }
        if is_new_error(&errors.0, &last.0) {
            told = true;
            let notice = errors.0.expect("checked");
            (self.on_event)(
                &entry.ad,
                Report::Error {
                    notice,
                    storage: false,
                },
            );
        }
        told
    }
}

/// A link is itself: two props are equal when they hold the same link.
impl PartialEq for Link {
    fn eq(&self, other: &Link) -> bool {
        std::ptr::eq(self, other)
    }
}
