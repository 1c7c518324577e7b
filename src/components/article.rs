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

#[function_component]
pub fn ArticleView(props: &ArticleProps) -> Html {
    let doc = &props.ad.doc;
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
    let blocks = props.ad.views().iter().map(|v| {
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
        </article>
    }
}
