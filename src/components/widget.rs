//! One article as an embeddable widget: what `<hashiya-annotator>` shows in
//! its shadow root. The same toolbar, article and panel as the demo page,
//! around a single article, with keys that act only while focus is inside.

use super::keys::on_key;
use super::notice::show_load_notices;
use super::persist::use_persistence;
use super::shared::{articles, notice_bar};
use super::stamp;
use super::toolbar::Toolbar;
use super::ui::{use_snap, Ui};
use crate::browser::{clock, storage};
use crate::formats::stored::Origin;
use crate::model::diff::{diff, AnnChange};
use crate::model::{AnnotatedDoc, Annotation, Document};
use crate::state::{Action, AppState, DocEntry, ImportMode, Notice, NoticeKind};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// What the widget tells its embedder.
#[derive(Clone, Debug, PartialEq)]
pub enum WidgetEvent {
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
pub type OnEvent = Box<dyn Fn(&AnnotatedDoc, WidgetEvent)>;

/// The embed adapter's line into a mounted widget: the widget leaves its
/// state here on every render, and tells what changed through `on_event`.
pub struct Link {
    state: RefCell<Option<UseReducerHandle<AppState>>>,
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
    pub fn new(on_event: impl Fn(&AnnotatedDoc, WidgetEvent) + 'static) -> Rc<Link> {
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
        let Some(state) = self.state() else { return false };
        state.dispatch(action);
        self.report();
        true
    }

    /// Reports what changed since the last report, until nothing has: a
    /// listener that calls the API while hearing of one change has its own
    /// change reported after it, so the last `hashiya-change` is current.
    fn report(&self) {
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
                (self.on_event)(&entry.ad, WidgetEvent::Ready(now.len()))
            }
            Some(before) if !Rc::ptr_eq(&before, &now) => {
                let changes = diff(&before, &now);
                if !changes.is_empty() {
                    told = true;
                    (self.on_event)(&entry.ad, WidgetEvent::Changed(changes));
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
                WidgetEvent::Error {
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
                WidgetEvent::Error {
                    notice,
                    storage: false,
                },
            );
        }
        told
    }
}

#[derive(Properties, Clone)]
pub struct WidgetProps {
    pub article: Rc<Document>,
    /// Keep the annotations in localStorage (`storage="local"`).
    pub storage: bool,
    pub ui: Ui,
    pub link: Rc<Link>,
    /// Annotations that came with the article (a Hashiya JSON `src`), taken
    /// in when none are stored yet.
    pub carried: Option<Rc<str>>,
}

impl PartialEq for WidgetProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.article, &other.article)
            && self.storage == other.storage
            && self.ui == other.ui
            && Rc::ptr_eq(&self.link, &other.link)
            && self.carried == other.carried
    }
}

fn initial_state(props: &WidgetProps) -> AppState {
    let (entry, notices) = if props.storage {
        storage::load_article((*props.article).clone(), &clock::now_iso())
    } else {
        let ad = AnnotatedDoc::new(props.article.clone(), vec![]);
        (DocEntry::new(ad, Origin::Bundled, None), vec![])
    };
    let mut state = AppState::new(vec![entry], None);
    state.labels = props.ui.labels.clone();
    state.verdicts = props.ui.verdicts.clone();
    state.fixed_articles = true;
    if let Some(json) = props
        .carried
        .as_ref()
        .filter(|_| state.docs[0].ad.annotations().is_empty())
    {
        state.reduce_in_place(stamp(|now| Action::Import {
            text: json.to_string(),
            mode: ImportMode::Merge,
            now,
        }));
        // what the article came with is where its history starts
        state.history = Default::default();
        state.notice = state.notice.take().filter(|n| n.kind == NoticeKind::Error);
    }
    show_load_notices(&mut state, notices);
    if props.storage && !storage::available() {
        state.storage_problem = Some(storage::unavailable_notice());
    }
    state
}

#[function_component]
pub fn Widget(props: &WidgetProps) -> Html {
    let state = use_reducer({
        let props = props.clone();
        move || initial_state(&props)
    });
    let dispatch = state.dispatcher();
    let save_status = use_persistence(&state, props.storage, props.ui.lang);
    *props.link.state.borrow_mut() = Some(state.clone());
    {
        let link = props.link.clone();
        use_effect(move || link.report());
    }
    {
        let dispatch = dispatch.clone();
        use_effect_with(props.ui.labels.clone(), move |labels| {
            dispatch.dispatch(Action::SetLabels(labels.clone()))
        });
    }
    {
        let dispatch = dispatch.clone();
        use_effect_with(props.ui.verdicts.clone(), move |verdicts| {
            dispatch.dispatch(Action::SetVerdicts(verdicts.clone()))
        });
    }
    let (snap, set_snap) = use_snap();
    let ui = &Ui {
        snap,
        set_snap: Some(set_snap),
        ..props.ui.clone()
    };
    let onkeydown = {
        let (dispatch, ui, state) = (dispatch.clone(), ui.clone(), state.clone());
        Callback::from(move |e: KeyboardEvent| on_key(&e, &dispatch, &ui, &state))
    };
    html! {
        <ContextProvider<Ui> context={ui.clone()}>
            <div class="hashiya widget" part="root" dir={ui.lang.dir()} lang={ui.lang.code()}
                data-ready="true" data-readonly={ui.readonly.then_some("true")} {onkeydown}>
                <header class="masthead">
                    <Toolbar state={state.clone()} dispatch={dispatch.clone()} />
                    if props.storage {
                        <span class="save-status" data-role="save-status" ref={save_status} aria-live="polite"></span>
                    }
                    { notice_bar(&state, &dispatch) }
                </header>
                { articles(&state, &dispatch) }
            </div>
        </ContextProvider<Ui>>
    }
}
