//! An article: its blocks, and clicks on its highlights.

use super::block::BlockText;
use super::Dispatch;
use crate::browser::{dom, selection};
use crate::model::{AnnotatedDoc, Annotation, BlockView};
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
/// Blocks per chunk. The article is a list of chunks of fixed length, each
/// either drawn or a placeholder: drawing more changes chunks in place and
/// never grows a list, whose diff would move the blocks already drawn (and
/// collapse a selection the reader is making).
const CHUNK: usize = 8;
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
            let Some(target) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            // The end of a drag is a click too: leave text selections alone.
            if selection::is_selecting(&target) {
                return;
            }
            if let Some((doc_id, chain)) = dom::marks_under(&target) {
                if chain.is_empty() {
                    dispatch.dispatch(Action::Select(None));
                } else {
                    dispatch.dispatch(Action::Click { doc_id, chain });
                }
            }
        })
    };
    let selected = props
        .selected
        .as_ref()
        .map(|a| (a.start, a.end, Rc::<str>::from(a.id.as_str())));
    let views = props.ad.views();
    let chunks = views.chunks(CHUNK).enumerate().map(|(i, chunk)| {
        let first = i * CHUNK;
        let (start, _) = doc.block_range(first);
        let (_, end) = doc.block_range(first + chunk.len() - 1);
        // a chunk is drawn once drawing has reached into it
        let drawn = first < upto;
        let selected = selected
            .as_ref()
            .filter(|(s, e, _)| *s < end.max(start + 1) && start < *e)
            .map(|(s, e, id)| (*s, *e, id.clone()));
        html! {
            <Chunk views={Rc::new(chunk.to_vec())} ranges={Rc::new(chunk.iter().map(|v| doc.block_range(v.index)).collect::<Vec<_>>())}
                {drawn} {selected} estimate={((end - start) as f64 * PX_PER_CHAR) as u32} />
        }
    });
    html! {
        <article data-doc-id={doc.id.clone()} lang={doc.lang.clone()} dir={doc.dir.clone()} tabindex="0" part="article" {onclick}>
            { for chunks }
        </article>
    }
}

#[derive(Properties)]
struct ChunkProps {
    views: Rc<Vec<Rc<BlockView>>>,
    /// Code point range of each block, to pass the selection to its blocks.
    ranges: Rc<Vec<(usize, usize)>>,
    drawn: bool,
    /// The selected annotation (start, end, id), when it touches this chunk.
    selected: Option<(usize, usize, Rc<str>)>,
    estimate: u32,
}

impl PartialEq for ChunkProps {
    fn eq(&self, other: &Self) -> bool {
        // views are compared element by element: Rc pointers, so cheap
        *self.views == *other.views && self.drawn == other.drawn && self.selected == other.selected
    }
}

/// A few blocks: drawn, or a placeholder of their estimated height.
#[function_component]
fn Chunk(props: &ChunkProps) -> Html {
    // set through the CSSOM, which a strict Content-Security-Policy allows
    let placeholder = use_node_ref();
    {
        let (placeholder, height) = (placeholder.clone(), props.estimate);
        use_effect_with(props.drawn, move |_| {
            if let Some(el) = placeholder.cast::<web_sys::HtmlElement>() {
                let _ = el.style().set_property("height", &format!("{height}px"));
            }
        });
    }
    if !props.drawn {
        return html! { <div class="pending" aria-hidden="true" ref={placeholder}></div> };
    }
    let blocks = props.views.iter().zip(props.ranges.iter()).map(|(v, &(bs, be))| {
        let selected = props
            .selected
            .as_ref()
            .filter(|(s, e, _)| *s < be.max(bs + 1) && bs < *e)
            .map(|(_, _, id)| id.clone());
        html! { <BlockText view={v.clone()} {selected} /> }
    });
    html! { <>{ for blocks }</> }
}
