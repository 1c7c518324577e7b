//! One block of an article (heading, paragraph or source line) with its
//! highlights. It re-renders only when its own view or emphasis changes.

use super::emphasis::{Emphasis, Role};
use super::ui::{use_ui, Ui};
use crate::browser::paint::{self, Renderer};
use crate::model::{BlockKind, BlockView, Run};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BlockProps {
    pub view: Rc<BlockView>,
    /// The selected annotation and those linked to it, where they touch this block.
    pub emphasis: Emphasis,
    /// Near the screen. Where highlights are painted over the text, a block
    /// far from it registers none (see `on_screen::use_near_screen`).
    #[prop_or(true)]
    pub near: bool,
}

#[function_component]
pub fn BlockText(props: &BlockProps) -> Html {
    let ui = use_ui();
    let v = &props.view;
    let node = use_node_ref();
    let painter = ui.renderer == Renderer::Highlights;
    {
        // the painted ranges live as long as this view of the block
        let node = node.clone();
        // nothing to follow where marks are drawn
        let deps = painter.then(|| (v.clone(), props.emphasis.clone(), props.near));
        use_effect_with(deps, move |deps| {
            let painted = deps
                .as_ref()
                .filter(|(_, _, near)| *near)
                .and_then(|(view, emphasis, _)| {
                    let block = node.cast::<web_sys::Element>()?;
                    let text = paint::only_text(&block)?;
                    // only the selection is painted; links are boxes (see link_boxes.rs)
                    let selected = emphasis.selected();
                    Some(paint::paint_runs(
                        &text,
                        &view.text,
                        &view.runs,
                        selected.as_deref(),
                    ))
                });
            move || drop(painted)
        });
    }
    let content: Html = if painter {
        // one whole text node: nothing inside a word for the engine to re-shape at
        html! { {&*v.text} }
    } else {
        v.runs
            .iter()
            .map(|r| run_html(&v.text, r, &props.emphasis, &ui))
            .collect()
    };
    let index = v.index.to_string();
    match v.kind {
        BlockKind::Heading => html! { <h2 data-block={index} ref={node}>{content}</h2> },
        BlockKind::Paragraph => html! { <p data-block={index} ref={node}>{content}</p> },
        BlockKind::Source => html! { <p class="source" data-block={index} ref={node}>{content}</p> },
    }
}

/// The run's text inside one `<mark>` per covering annotation, outermost
/// outside. Marks are plain inline elements: no padding or inline-block,
/// which would break the joining of Arabic letters. Their title (the label
/// and the note) is also their accessible description. The selected one
/// has `data-selected`; the selected claim's speaker, subjects and link
/// candidate have `data-link`.
fn run_html(text: &str, run: &Run, emphasis: &Emphasis, ui: &Ui) -> Html {
    let mut node = html! { {&text[run.byte_start..run.byte_end]} };
    for m in run.marks.iter().rev() {
        let role = emphasis.role_of(&m.id);
        let link = role.filter(|r| *r != Role::Selected);
        let name = ui.label_name(m.label);
        // A whole article's marks stay drawn, so each one's strings are
        // shared where they can be: the id with the view, and the title,
        // most often just the label's name, with the program.
        let title = match (&m.note, link) {
            (None, None) => AttrValue::Static(name),
            (Some(note), None) => format!("{name}: {note}").into(),
            (None, Some(r)) => format!("{name} ({})", role_name(ui, r)).into(),
            (Some(note), Some(r)) => format!("{name}: {note} ({})", role_name(ui, r)).into(),
        };
        node = html! {
            <mark
                data-annotation-id={AttrValue::from(m.id.clone())}
                data-label={m.label.key()}
                data-selected={(role == Some(Role::Selected)).then_some("true")}
                data-link={link.map(Role::key)}
                {title}
            >{node}</mark>
        };
    }
    node
}

/// What a linked annotation is to the selected claim, in the UI's language.
pub fn role_name(ui: &Ui, role: Role) -> &'static str {
    match role {
        Role::Selected => ui.t("محدد", "selected"),
        Role::Candidate => ui.t("مرشح للربط", "link candidate"),
        Role::Speaker => ui.t("قائل الادعاء المحدد", "speaker of the selected claim"),
        Role::About => ui.t("موضوع الادعاء المحدد", "subject of the selected claim"),
    }
}
