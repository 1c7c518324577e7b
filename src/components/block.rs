//! One block of an article (heading, paragraph or source line) with its
//! highlights. It re-renders only when its own view or selection changes.

use super::ui::{use_ui, Ui};
use crate::model::{BlockKind, BlockView, Run};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BlockProps {
    pub view: Rc<BlockView>,
    /// The selected annotation, when it touches this block.
    pub selected: Option<Rc<str>>,
}

#[function_component]
pub fn BlockText(props: &BlockProps) -> Html {
    let ui = use_ui();
    let v = &props.view;
    let selected = props.selected.as_deref();
    let content: Html = v
        .runs
        .iter()
        .map(|r| run_html(&v.text, r, selected, &ui))
        .collect();
    let index = v.index.to_string();
    match v.kind {
        BlockKind::Heading => html! { <h2 data-block={index}>{content}</h2> },
        BlockKind::Paragraph => html! { <p data-block={index}>{content}</p> },
        BlockKind::Source => html! { <p class="source" data-block={index}>{content}</p> },
    }
}

/// The run's text inside one `<mark>` per covering annotation, outermost
/// outside. Marks are plain inline elements: no padding or inline-block,
/// which would break the joining of Arabic letters. Their title (the label
/// and the note) is also their accessible description.
fn run_html(text: &str, run: &Run, selected: Option<&str>, ui: &Ui) -> Html {
    let mut node = html! { {&text[run.byte_start..run.byte_end]} };
    for m in run.marks.iter().rev() {
        let is_selected = selected == Some(&*m.id);
        let title = match &m.note {
            Some(note) => format!("{}: {note}", ui.label_name(m.label)),
            None => ui.label_name(m.label).to_string(),
        };
        node = html! {
            <mark
                data-annotation-id={m.id.to_string()}
                data-label={m.label.key()}
                data-selected={is_selected.then_some("true")}
                {title}
            >{node}</mark>
        };
    }
    node
}
