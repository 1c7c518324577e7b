//! An article: its blocks, and clicks on its highlights.

use super::block::BlockText;
use super::Dispatch;
use crate::browser::dom;
use crate::model::{AnnotatedDoc, Annotation};
use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub ad: AnnotatedDoc,
    pub selected: Option<Rc<Annotation>>,
    pub dispatch: Dispatch,
}

/// Code points drawn in the first pass: a screenful and more, so the page
/// paints at once whatever the article's length.
const FIRST_SLICE: usize = 12_000;
/// Code points drawn per later slice, each in its own task between frames,
/// until the whole article is in the DOM (for find-in-page, long selections
/// and screen readers).
const NEXT_SLICE: usize = 6_000;
/// Estimated height of text not drawn yet, so the scrollbar stays honest.
const PX_PER_CHAR: f64 = 0.62;

#[function_component]
pub fn ArticleView(props: &ArticleProps) -> Html {
    let doc = &props.ad.doc;
    let drawn = use_state({
        let doc = doc.clone();
        move || doc.slice_end(0, FIRST_SLICE)
    });
    // a selected annotation is always drawn, wherever it is
    let needed = props.selected.as_ref().map_or(0, |a| doc.block_of(a.end) + 1);
    let upto = (*drawn).max(needed).min(doc.blocks.len());
    {
        let (drawn, doc) = (drawn.clone(), doc.clone());
        use_effect_with(upto, move |&upto| {
            let pending = (upto < doc.blocks.len()).then(|| {
                gloo_timers::callback::Timeout::new(0, move || drawn.set(doc.slice_end(upto, NEXT_SLICE)))
            });
            move || drop(pending)
        });
    }
    let onclick = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            // The end of a drag is a click too: leave text selections alone.
            let dragging = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if dragging {
                return;
            }
            let Some(target) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            if let Some((doc_id, chain)) = dom::marks_under(&target) {
                if chain.is_empty() {
                    dispatch.dispatch(Action::Select(None));
                } else {
                    dispatch.dispatch(Action::Click { doc_id, chain });
                }
            }
        })
    };
    let selected_range = props
        .selected
        .as_ref()
        .map(|a| (a.start, a.end, Rc::<str>::from(a.id.as_str())));
    // set through the CSSOM, which a strict Content-Security-Policy allows
    let spacer = use_node_ref();
    {
        let spacer = spacer.clone();
        let height = doc.len_from(upto) as f64 * PX_PER_CHAR;
        use_effect_with(upto, move |_| {
            if let Some(el) = spacer.cast::<web_sys::HtmlElement>() {
                let _ = el.style().set_property("height", &format!("{height:.0}px"));
            }
        });
    }
    let blocks = props.ad.views()[..upto].iter().map(|v| {
        let (bs, be) = doc.block_range(v.index);
        let selected = selected_range
            .as_ref()
            .filter(|(s, e, _)| *s < be.max(bs + 1) && bs < *e)
            .map(|(_, _, id)| id.clone());
        html! { <BlockText key={v.index} view={v.clone()} {selected} /> }
    });
    html! {
        <article data-doc-id={doc.id.clone()} lang={doc.lang.clone()} dir={doc.dir.clone()} {onclick}>
            { for blocks }
            if upto < doc.blocks.len() {
                <div class="pending" aria-hidden="true" ref={spacer}></div>
            }
        </article>
    }
}
