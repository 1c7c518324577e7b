//! One block of an article (heading, paragraph or source line) with its
//! highlights. It re-renders only when its own view or selection changes.

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
    let v = &props.view;
    let selected = props.selected.as_deref();
    let content: Html = v.runs.iter().map(|r| run_html(&v.text, r, selected)).collect();
    let index = v.index.to_string();
    match v.kind {
        BlockKind::Heading => html! { <h2 data-block={index}>{content}</h2> },
        BlockKind::Paragraph => html! { <p data-block={index}>{content}</p> },
        BlockKind::Source => html! { <p class="source" data-block={index}>{content}</p> },
    }
}

/// The run's text inside one `<mark>` per covering annotation, outermost
/// outside. Marks are plain inline elements: no padding or inline-block,
/// which would break the joining of Arabic letters.
fn run_html(text: &str, run: &Run, selected: Option<&str>) -> Html {
    let mut node = html! { {&text[run.byte_start..run.byte_end]} };
    for m in run.marks.iter().rev() {
        let is_selected = selected == Some(&*m.id);
        node = html! {
            <mark
                data-annotation-id={m.id.to_string()}
                data-label={m.label.key()}
                data-selected={is_selected.then_some("true")}
                title={format!("{} · {}", m.label.arabic(), m.label.english())}
            >{node}</mark>
        };
    }
    node
}
