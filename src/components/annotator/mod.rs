//! The annotator: the one component behind every front door. The demo page
//! shows it with a workspace of articles; the `<hashiya-annotator>` element
//! and a Rust host's Yew app show it with one article each.

mod events;
mod kept;
mod link;
mod start;
mod workspace;

pub use events::{changed, AnnotatorEvent, RelationAction, Teller, BULK_CHANGE};
pub use link::{Link, Report};

use super::keys::on_key;
use super::persist::use_persistence;
use super::shared::{articles, notice_bar};
use super::toolbar::Toolbar;
use super::ui::{use_snap, Ui, UiLang};
use crate::browser::paint::{self, Renderer};
use crate::browser::storage;
use crate::model::{Document, LabelSet, VerdictSet};
use crate::state::{Action, AppState};
use serde::Serialize;
use std::rc::Rc;
use workspace::{use_page_keys, Workspace};
use yew::prelude::*;

/// What an annotator shows.
///
/// ```
/// use hashiya::{Content, Document};
///
/// let one = Content::from(Document::from_text("story-1", "العنوان\nالنص."));
/// assert!(matches!(one, Content::Article(_)));
/// ```
#[derive(Clone, Debug)]
pub enum Content {
    /// One article: the element's, or a Rust host's.
    Article(Rc<Document>),
    /// The demo page's workspace: these bundled articles, then those the
    /// reader opened or imported (kept in storage), with a file opener, an
    /// importer, drag and drop, and a switch for the chrome's language.
    Workspace(Rc<Vec<Document>>),
}

impl PartialEq for Content {
    fn eq(&self, other: &Content) -> bool {
        match (self, other) {
            (Content::Article(a), Content::Article(b)) => Rc::ptr_eq(a, b),
            (Content::Workspace(a), Content::Workspace(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl From<Document> for Content {
    fn from(doc: Document) -> Content {
        Content::Article(Rc::new(doc))
    }
}

/// Where an annotator keeps its annotations.
///
/// ```
/// use hashiya::Storage;
///
/// // the default: the host keeps them, from the events it hears
/// assert_eq!(Storage::default(), Storage::None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Storage {
    /// Nowhere: the host keeps them (it hears of every change).
    #[default]
    None,
    /// In the browser's localStorage, under `hashiya:v1:<article id>`, so
    /// that a reload keeps them. The article's id is the key.
    Local,
}

/// An annotation a host gives (the `annotations` prop): the shape of the
/// element's `setAnnotations` entries. Offsets count code points.
///
/// ```
/// use hashiya::NewAnnotation;
/// use std::rc::Rc;
///
/// let list = Rc::new(vec![NewAnnotation {
///     id: Some("kirby".into()),
///     start: 4,
///     end: 13,
///     label: "person".into(),
///     ..Default::default()
/// }]);
/// // html! { <Annotator content={content} annotations={list} /> }
/// # drop(list);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NewAnnotation {
    /// Kept when given, so that a host's ids stay its own; made up otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub start: usize,
    pub end: usize,
    /// A label id: `person`, `place`, `claim`, or one of the host's labels.
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A claim's verdict id (one of the annotator's verdicts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// A claim's evidence link (`http` or `https`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The annotator's settings. Only `content` is required.
///
/// ```
/// use hashiya::{AnnotatorProps, Content, Document, Storage, UiLang};
/// use yew::props;
///
/// let props = props! { AnnotatorProps {
///     content: Content::from(Document::from_text("story-1", "العنوان\nالنص.")),
///     storage: Storage::Local,
///     ui_lang: UiLang::En,
///     readonly: true,
/// } };
/// assert!(props.readonly);
/// ```
#[derive(Properties, Clone, PartialEq)]
pub struct AnnotatorProps {
    /// The article (`Content::from(Document::from_text(id, text))`).
    pub content: Content,
    #[prop_or_default]
    pub storage: Storage,
    /// The labels offered, in order (default: person, place, claim).
    #[prop_or_default]
    pub labels: LabelSet,
    /// The verdicts a claim can be given (default: the five built in).
    #[prop_or_default]
    pub verdicts: VerdictSet,
    /// The article's address, for the ClaimReview export.
    #[prop_or_default]
    pub url: Option<AttrValue>,
    /// Shows the annotations without letting anyone change them.
    #[prop_or_default]
    pub readonly: bool,
    /// The language of the buttons and messages (Arabic by default).
    #[prop_or_default]
    pub ui_lang: UiLang,
    /// How highlights are drawn; `None` measures what this engine needs.
    #[prop_or_default]
    pub renderer: Option<Renderer>,
    /// The article's annotations as the host has them. Taken in at the start
    /// when storage holds none; a new list later replaces them as one step
    /// that undo takes back. A list that cannot be taken changes nothing and
    /// is told as an error.
    #[prop_or_default]
    pub annotations: Option<Rc<Vec<NewAnnotation>>>,
    /// Hears every change, in the records the element's events carry.
    #[prop_or_default]
    pub on_event: Callback<AnnotatorEvent>,
    /// The element's line into the annotator (its API calls and events).
    #[doc(hidden)]
    #[prop_or_default]
    pub link: Option<Rc<Link>>,
    /// Annotations from the element's `src` file (Hashiya JSON).
    #[doc(hidden)]
    #[prop_or_default]
    pub carried: Option<Rc<str>>,
}

/// Annotates an article: select text, press a label's key or button.
///
/// ```no_run
/// use hashiya::{Annotator, AnnotatorEvent, Document, Storage};
/// use yew::prelude::*;
///
/// #[function_component]
/// fn Page() -> Html {
///     let article = use_memo((), |_| {
///         hashiya::Content::from(Document::from_text("story-1", "قال جون كيربي إن المحادثات مستمرة."))
///     });
///     let on_event = Callback::from(|e: AnnotatorEvent| web_sys::console::log_1(&format!("{e:?}").into()));
///     html! { <Annotator content={(*article).clone()} storage={Storage::Local} {on_event} /> }
/// }
/// ```
#[function_component]
pub fn Annotator(props: &AnnotatorProps) -> Html {
    match kept::use_kept(props) {
        Some(kept) => html! { <Started outer={props.clone()} {kept} /> },
        None => {
            let (ar, en) = ("جارٍ تحميل التوسيمات المحفوظة…", "Loading the saved annotations…");
            let (shown, other) = match props.ui_lang {
                UiLang::Ar => (ar, en),
                UiLang::En => (en, ar),
            };
            html! {
                <div class="hashiya widget loading" part="root" dir={props.ui_lang.dir()} lang={props.ui_lang.code()}
                    aria-busy="true" title={other}>{ shown }</div>
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct StartedProps {
    outer: AnnotatorProps,
    kept: kept::Taken,
}

/// The annotator once what storage keeps has been read.
#[function_component]
fn Started(p: &StartedProps) -> Html {
    let props = &p.outer;
    // whole in the first render, empty after: only the first state and the
    // saver's first picture of storage read it
    let snapshot = p.kept.take();
    let state = use_reducer(|| start::initial_state(props, &snapshot));
    let dispatch = state.dispatcher();
    let workspace = matches!(props.content, Content::Workspace(_));
    let (lang, set_lang) = use_lang(props.ui_lang, workspace);
    let (snap, set_snap) = use_snap();
    let ui = Ui {
        lang,
        labels: props.labels.clone(),
        verdicts: props.verdicts.clone(),
        article_url: props.url.clone(),
        readonly: props.readonly,
        snap,
        set_snap: Some(set_snap),
        set_lang,
        renderer: props.renderer.unwrap_or_else(paint::measured),
    };
    let stored = workspace || props.storage == Storage::Local;
    let save_status = use_persistence(&state, stored, lang, snapshot.raw_by_id(), snapshot.held());
    use_host_settings(props, &state);
    use_reports(props, &state, workspace);
    // the workspace hears keys on the whole page, an article only while
    // focus is inside it (a host page has its own keys)
    let listening = use_page_keys(workspace, &state, &ui);
    let onkeydown = (!workspace).then(|| {
        let (dispatch, ui, state) = (dispatch.clone(), ui.clone(), state.clone());
        Callback::from(move |e: KeyboardEvent| on_key(&e, &dispatch, &ui, &state))
    });
    let save_status = html! {
        <span class="save-status" data-role="save-status" ref={save_status} aria-live="polite"></span>
    };
    let toolbar = html! { <Toolbar state={state.clone()} dispatch={dispatch.clone()} /> };
    let body = articles(&state, &dispatch, workspace);
    let notices = notice_bar(&state, &dispatch);
    let inner = if workspace {
        html! {
            <Workspace state={state.clone()} {listening} {save_status} {toolbar} {notices} {body} />
        }
    } else {
        html! {
            <div class="hashiya widget" part="root" dir={lang.dir()} lang={lang.code()}
                data-ready="true" data-readonly={props.readonly.then_some("true")} {onkeydown}>
                <header class="masthead">
                    { toolbar }
                    if stored { { save_status } }
                    { notices }
                </header>
                { body }
            </div>
        }
    };
    html! {
        <ContextProvider<Ui> context={ui}>{ inner }</ContextProvider<Ui>>
    }
}

/// The chrome's language: the host's; in the workspace, the reader's own
/// choice once made (remembered), with a callback to make it.
#[hook]
fn use_lang(given: UiLang, workspace: bool) -> (UiLang, Option<Callback<UiLang>>) {
    let chosen = use_state(|| storage::pref("ui-lang").map(|s| UiLang::parse(&s)));
    let set = {
        let setter = chosen.setter();
        use_callback((), move |l: UiLang, _| {
            storage::set_pref("ui-lang", l.code());
            setter.set(Some(l));
        })
    };
    match workspace {
        true => (chosen.unwrap_or(given), Some(set)),
        false => (given, None),
    }
}

/// Labels and verdicts the host changes after the start reach the state.
#[hook]
fn use_host_settings(props: &AnnotatorProps, state: &UseReducerHandle<AppState>) {
    {
        let state = state.clone();
        use_effect_with(props.labels.clone(), move |labels| {
            if state.labels != *labels {
                state.dispatch(Action::SetLabels(labels.clone()))
            }
        });
    }
    {
        let state = state.clone();
        use_effect_with(props.verdicts.clone(), move |verdicts| {
            if state.verdicts != *verdicts {
                state.dispatch(Action::SetVerdicts(verdicts.clone()))
            }
        });
    }
    // a new list from the host replaces the annotations (the first one was
    // taken in by the initial state)
    let first = use_mut_ref(|| true);
    let state = state.clone();
    use_effect_with(props.annotations.clone(), move |list| {
        if std::mem::replace(&mut *first.borrow_mut(), false) {
            return;
        }
        if let Some(list) = list {
            match start::replacing(&state, list) {
                Ok(action) => state.dispatch(action),
                Err(notice) => state.dispatch(Action::Notify(notice)),
            }
        }
    });
}

/// One article tells its host what changed after every render: through the
/// element's link, or a link of its own that calls `on_event`.
#[hook]
fn use_reports(props: &AnnotatorProps, state: &UseReducerHandle<AppState>, workspace: bool) {
    let on_event = use_mut_ref(|| props.on_event.clone());
    *on_event.borrow_mut() = props.on_event.clone();
    let own = use_memo((), {
        let on_event = on_event.clone();
        move |_| {
            let teller = Teller::default();
            Link::new(move |ad, report| {
                for event in teller.events(ad, report) {
                    on_event.borrow().emit(event);
                }
            })
        }
    });
    let link = props.link.clone().unwrap_or_else(|| (*own).clone());
    if !workspace {
        *link.state.borrow_mut() = Some(state.clone());
    }
    use_effect(move || {
        if !workspace {
            link.report()
        }
    });
}
