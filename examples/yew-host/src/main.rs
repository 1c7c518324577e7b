//! A Yew app that shows an article with Hashiya and, beside it, what it hears
//! of the annotator: no JavaScript anywhere.

use hashiya::{Annotator, AnnotatorEvent, Content, Document, NewAnnotation, Storage};
use std::rc::Rc;
use yew::prelude::*;

const ARTICLE: &str = "كيري ولافروف يبحثان الأزمة السورية في موسكو
قال وزير الخارجية الأمريكي جون كيري إن المحادثات مع نظيره الروسي سيرغي لافروف في موسكو كانت مثمرة.
وأضاف أن الطرفين اتفقا على مواصلة العمل من أجل وقف إطلاق النار.
المصدر: وكالات";

/// One line of the log beside the article.
fn describe(e: &AnnotatorEvent) -> String {
    match e {
        AnnotatorEvent::Ready { doc_id, annotations } => format!("ready {doc_id}: {annotations}"),
        AnnotatorEvent::Created(a) => {
            format!("created {} «{}» {}..{}", a.label.key(), a.quote, a.start, a.end)
        }
        AnnotatorEvent::Updated(a) => format!("updated {} «{}»", a.label.key(), a.quote),
        AnnotatorEvent::Deleted(a) => format!("deleted {} «{}»", a.label.key(), a.quote),
        AnnotatorEvent::Relation { action, relation } => {
            format!("{} {:?} link", action.key(), relation.kind)
        }
        AnnotatorEvent::Changed { annotations, .. } => format!("now {annotations}"),
        AnnotatorEvent::Error { message, .. } => format!("error: {message}"),
    }
}

/// What the host gives when its button is pressed: its own two annotations.
fn host_list() -> Rc<Vec<NewAnnotation>> {
    let span = |needle: &str| {
        let at = ARTICLE.find(needle).expect("in the article");
        let start = ARTICLE[..at].chars().count();
        (start, start + needle.chars().count())
    };
    let (p0, p1) = span("سيرغي لافروف");
    let (m0, m1) = span("موسكو");
    Rc::new(vec![
        NewAnnotation {
            id: Some("host-lavrov".into()),
            start: p0,
            end: p1,
            label: "person".into(),
            ..Default::default()
        },
        NewAnnotation {
            id: Some("host-moscow".into()),
            start: m0,
            end: m1,
            label: "place".into(),
            note: Some("from the host".into()),
            ..Default::default()
        },
    ])
}

#[function_component]
fn HostApp() -> Html {
    let content = use_memo((), |_| {
        Content::from(Document::from_text("yew-host-story", ARTICLE))
    });
    let log = use_reducer(Log::default);
    let fed = use_state(|| None::<Rc<Vec<NewAnnotation>>>);
    let on_event = {
        let log = log.dispatcher();
        Callback::from(move |e: AnnotatorEvent| log.dispatch(describe(&e)))
    };
    let feed = {
        let fed = fed.clone();
        Callback::from(move |_| fed.set(Some(host_list())))
    };
    html! {
        <>
            <style>{ hashiya::STYLESHEET }</style>
            <style>{ ".host { display: grid; grid-template-columns: 1fr 18em; gap: 2em; margin: 1.5em; font-family: system-ui, sans-serif; }" }</style>
            <div class="host">
                <Annotator content={(*content).clone()} storage={Storage::Local}
                    annotations={(*fed).clone()} {on_event} />
                <aside>
                    <button id="feed" onclick={feed}>{ "Give the host's annotations" }</button>
                    <ol id="heard">
                        { for log.0.iter().map(|line| html! { <li>{ line }</li> }) }
                    </ol>
                </aside>
            </div>
        </>
    }
}

/// What the host heard, in order.
#[derive(Default, PartialEq)]
struct Log(Vec<String>);

impl Reducible for Log {
    type Action = String;
    fn reduce(self: Rc<Self>, line: String) -> Rc<Self> {
        let mut lines = self.0.clone();
        lines.push(line);
        Rc::new(Log(lines))
    }
}

fn main() {
    yew::Renderer::<HostApp>::new().render();
}
