//! One block of an article (heading, paragraph or source line) with its
//! highlights. It re-renders only when its own view or emphasis changes.

use super::emphasis::{Emphasis, Role};
use super::ui::{use_ui, Ui, UiLang};
use crate::browser::paint::{self, Renderer};
use crate::model::{BlockKind, BlockView, Mark};
use std::borrow::Cow;
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
    let drawn = use_mut_ref(|| None::<Drawn>);
    if !painter {
        return marks_block(&mut drawn.borrow_mut(), v, &props.emphasis, &ui);
    }
    let index = v.index.to_string();
    // one whole text node: nothing inside a word for the engine to re-shape at
    let content = html! { {&*v.text} };
    match v.kind {
        BlockKind::Heading => html! { <h2 data-block={index} ref={node}>{content}</h2> },
        BlockKind::Paragraph => html! { <p data-block={index} ref={node}>{content}</p> },
        BlockKind::Source => html! { <p class="source" data-block={index} ref={node}>{content}</p> },
    }
}

/// A block drawn with marks: its element, built from one view, and what
/// its marks say of the emphasis, in which language.
struct Drawn {
    view: Rc<BlockView>,
    element: web_sys::Element,
    said: (Emphasis, UiLang),
}

/// The block as an element built by `paint::draw_block`, not as a virtual
/// DOM: a whole article's marks stay drawn, and Yew would keep a few
/// hundred bytes of wasm memory for each. It is built while Yew renders, not
/// in an effect, which Yew may run after the browser has painted the block
/// empty. A new view draws the runs that changed; a new emphasis or
/// language only sets the marks' attributes again, so the marks stay, and
/// with them a selection the reader is making.
fn marks_block(drawn: &mut Option<Drawn>, view: &Rc<BlockView>, emphasis: &Emphasis, ui: &Ui) -> Html {
    let said = (emphasis.clone(), ui.lang);
    let attrs = |m: &Mark| mark_attrs(m, emphasis, ui);
    match drawn {
        Some(d) if Rc::ptr_eq(&d.view, view) => {}
        // the same element, its changed runs drawn again
        Some(d)
            if d.view.kind == view.kind
                && paint::redraw_block(&d.element, &d.view, view, attrs).is_some() =>
        {
            d.view = view.clone();
        }
        _ => {
            *drawn = paint::draw_block(view, attrs).map(|element| Drawn {
                view: view.clone(),
                element,
                said: said.clone(),
            })
        }
    }
    // marks drawn before say what was emphasised then
    if let Some(d) = drawn.as_mut().filter(|d| d.said != said) {
        paint::restyle_marks(&d.element, &view.runs, attrs);
        d.said = said;
    }
    match drawn {
        Some(d) => Html::VRef(d.element.clone().into()),
        None => Html::default(),
    }
}

/// What a mark says beyond its id and label: whether it is the selected
/// annotation, what it is to the selected claim, and its title (the label,
/// the note and that role), which is also its accessible description.
fn mark_attrs(m: &Mark, emphasis: &Emphasis, ui: &Ui) -> paint::MarkAttrs {
    let role = emphasis.role_of(&m.id);
    let link = role.filter(|r| *r != Role::Selected);
    let name = ui.label_name(m.label);
    let title = match (&m.note, link) {
        (None, None) => Cow::Borrowed(name),
        (Some(note), None) => format!("{name}: {note}").into(),
        (None, Some(r)) => format!("{name} ({})", role_name(ui, r)).into(),
        (Some(note), Some(r)) => format!("{name}: {note} ({})", role_name(ui, r)).into(),
    };
    paint::MarkAttrs {
        title,
        selected: role == Some(Role::Selected),
        link: link.map(Role::key),
    }
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
