//! An article: its blocks, and clicks on its highlights.

use super::block::BlockText;
use super::emphasis::Emphasis;
use super::link_boxes::LinkBoxes;
use super::on_screen::{use_near_screen, use_on_screen};
use super::redraw;
use super::touch::{take_click_suppression, use_long_press, Handles, LongPress, TouchBar};
use super::ui::use_ui;
use super::{Dispatch, DispatchStamped};
use crate::browser::paint::Renderer;
use crate::browser::{clock, dom, selection};
use crate::model::{AnnotatedDoc, Annotation, BlockView};
use crate::state::Action;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub ad: AnnotatedDoc,
    pub selected: Option<Rc<Annotation>>,
    /// The selected annotation and, for a claim, what it is linked to.
    pub emphasis: Emphasis,
    pub dispatch: Dispatch,
}

/// Code points drawn in the first pass: a screenful and more (a 1280×900
/// window shows about 1,100; a 2560×1440 one about 4,000), so the page paints
/// at once whatever the article's length, and no more, since every element
/// drawn here delays that first paint.
const FIRST_SLICE: usize = 5_000;
/// Code points drawn per later slice, each in its own task between frames,
/// until the whole article is in the DOM (for find-in-page, long selections
/// and screen readers).
const NEXT_SLICE: usize = 6_000;
/// Blocks per chunk. The article is a list of chunks of fixed length, each
/// either drawn or an empty box of its estimated height: drawing more
/// changes chunks in place and never grows a list, whose diff would move the
/// blocks already drawn (and collapse a selection the reader is making).
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
    // a selected annotation (and what it is linked to) is always drawn, wherever it is
    let needed = props
        .selected
        .iter()
        .map(|a| a.end)
        .chain(props.emphasis.candidate().map(|c| c.end))
        .map(|end| doc.block_of(end) + 1)
        .max()
        .unwrap_or(0);
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
    let ui = use_ui();
    let article = use_node_ref();
    let onclick = {
        let dispatch = props.dispatch.clone();
        // the runs are read only where highlights are painted without marks
        let painted = (ui.renderer == Renderer::Highlights).then(|| props.ad.clone());
        Callback::from(move |e: MouseEvent| {
            if take_click_suppression() {
                return;
            }
            let Some(target) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            // The end of a drag is a click too: leave text selections alone.
            if selection::is_selecting(&target) {
                return;
            }
            let under = match &painted {
                None => dom::marks_under(&target),
                Some(ad) => painted_under(ad, &target, e.client_x() as f64, e.client_y() as f64),
            };
            if let Some((doc_id, chain)) = under {
                if chain.is_empty() {
                    dispatch.dispatch(Action::Select(None));
                } else {
                    dispatch.dispatch_stamped(|now| Action::Click {
                        doc_id,
                        chain,
                        new_id: clock::new_id(),
                        now,
                    });
                }
            }
        })
    };
    // Alt while selecting with the mouse keeps letter precision
    let onmousedown = Callback::from(|e: MouseEvent| selection::note_precise(e.alt_key()));
    let onmouseup = Callback::from(|e: MouseEvent| {
        if e.alt_key() {
            selection::note_precise(true);
        }
        selection::note_release(e.client_x() as f64, e.client_y() as f64);
    });
    let LongPress {
        onpointerdown,
        onpointermove,
        onpointerup,
        bar_at,
        close_bar,
    } = use_long_press(props.ad.doc.clone());
    // a long press is ours: no context menu over the article
    let oncontextmenu = Callback::from(|e: MouseEvent| {
        if e.dyn_ref::<PointerEvent>()
            .is_some_and(|p| p.pointer_type() == "touch")
        {
            e.prevent_default();
        }
    });
    // always there, so that the article's children keep their shape when an
    // annotation is selected (a changing list here made Yew redraw every block)
    let handles_for = props.selected.clone().filter(|_| !ui.readonly);
    let caret = use_node_ref();
    {
        let caret = caret.clone();
        use_effect_with((), move |_| {
            let listener = gloo_events::EventListener::new(&dom::document(), "selectionchange", move |_| {
                draw_caret(&caret)
            });
            move || drop(listener)
        });
    }
    let on_focus_change = {
        let caret = caret.clone();
        Callback::from(move |_: FocusEvent| draw_caret(&caret))
    };
    {
        // the link candidate the keys move to is brought into view
        let (ad, candidate) = (props.ad.clone(), props.emphasis.candidate().map(|c| c.id.clone()));
        let caret = caret.clone();
        use_effect_with(candidate, move |candidate| {
            let found = candidate
                .as_ref()
                .and_then(|id| ad.get(id))
                .zip(caret.cast::<web_sys::Node>());
            if let Some((ann, node)) = found {
                dom::reveal(&node, &ad.doc, ann);
            }
        });
    }
    let views = use_redraw(&props.ad, props.selected.as_deref(), upto, &article);
    let painter = ui.renderer == Renderer::Highlights;
    let near = use_near_screen(&article, views.len().div_ceil(CHUNK), painter);
    // until the observer has told, the top of the article (the first pass) is near
    let first_pass = doc.slice_end(0, FIRST_SLICE);
    let chunks = views.chunks(CHUNK).enumerate().map(|(i, chunk)| {
        let first = i * CHUNK;
        let near = !painter || near.as_ref().map_or(first < first_pass, |n| n.contains(&first));
        let (start, _) = doc.block_range(first);
        let (_, end) = doc.block_range(first + chunk.len() - 1);
        // a chunk is drawn once drawing has reached into it
        let drawn = first < upto;
        let emphasis = props.emphasis.within(start, end);
        html! {
            <Chunk views={Rc::new(chunk.to_vec())} ranges={Rc::new(chunk.iter().map(|v| doc.block_range(v.index)).collect::<Vec<_>>())}
                {drawn} {near} {emphasis} estimate={((end - start) as f64 * PX_PER_CHAR) as u32} />
        }
    });
    html! {
        <article ref={article} data-doc-id={doc.id.clone()} data-renderer={ui.renderer.key()} lang={doc.lang.clone()} dir={doc.dir.clone()} tabindex="0" part="article"
            aria-label={doc.title().to_string()} {onclick} {onmousedown} {onmouseup}
            onfocus={on_focus_change.clone()} onblur={on_focus_change}
            {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup} {oncontextmenu}>
            { for chunks }
            // where highlights are painted they carry no title: the selected
            // one (reached with Tab or a click) is told here instead
            if ui.renderer == Renderer::Highlights {
                <div class="visually-hidden" aria-live="polite" data-role="selected-description">
                    { props.selected.as_ref().map(|a| describe(&ui, doc, a)).unwrap_or_default() }
                </div>
            }
            <div class="caret" aria-hidden="true" ref={caret}></div>
            if ui.renderer == Renderer::Highlights {
                <LinkBoxes doc={doc.clone()} emphasis={props.emphasis.clone()} />
            }
            <Handles ann={handles_for} doc={doc.clone()} dispatch={props.dispatch.clone()} />
            <TouchBar at={bar_at} onclose={close_bar} dispatch={props.dispatch.clone()} />
        </article>
    }
}

/// The views the blocks draw: the article's, except that a change too big
/// for one task is drawn from the screen the reader is on, then a slice per
/// task (see `redraw`).
#[hook]
fn use_redraw(
    ad: &AnnotatedDoc,
    selected: Option<&Annotation>,
    upto: usize,
    article: &NodeRef,
) -> Vec<Rc<BlockView>> {
    let shown = use_mut_ref(|| (ad.doc.clone(), ad.views().to_vec()));
    let next_slice = use_state(|| 0u32);
    let on_screen = use_on_screen(article, ad.views().len().div_ceil(CHUNK));
    let lagging = {
        let mut shown = shown.borrow_mut();
        if !Rc::ptr_eq(&shown.0, &ad.doc) {
            *shown = (ad.doc.clone(), ad.views().to_vec());
            false
        } else {
            let from = || {
                on_screen
                    .first_block()
                    .or_else(|| {
                        article
                            .cast::<web_sys::Element>()
                            .and_then(|a| dom::first_block_on_screen(&a))
                    })
                    .unwrap_or(0)
            };
            let keep = selected.map_or(0..0, |a| {
                let blocks = ad.doc.blocks_of_range(a.start, a.end);
                *blocks.start()..*blocks.end() + 1
            });
            redraw::redraw(&mut shown.1, ad.views(), &ad.doc, from, keep, upto)
        }
    };
    {
        let next_slice = next_slice.clone();
        use_effect_with((lagging, *next_slice), move |&(lagging, n)| {
            let task = lagging.then(|| gloo_timers::callback::Timeout::new(0, move || next_slice.set(n + 1)));
            move || drop(task)
        });
    }
    // bound first: the borrow must end before `shown` does
    let views = shown.borrow().1.clone();
    views
}

/// The ids of the painted highlights under a click at (x, y), innermost
/// first, and the article: what `dom::marks_under` reads from the marks
/// when highlights are painted without them.
fn painted_under(
    ad: &AnnotatedDoc,
    target: &web_sys::Element,
    x: f64,
    y: f64,
) -> Option<(String, Vec<String>)> {
    let Some((doc_id, point)) = selection::char_at(target, x, y) else {
        return Some((ad.doc.id.clone(), vec![]));
    };
    let view = ad.views().get(point.block)?;
    let cp = crate::model::offsets::cp_of_utf16(&view.text, point.utf16);
    let run = view.runs.iter().find(|r| r.start <= cp && cp < r.end);
    let chain = run.map_or(vec![], |r| {
        r.marks.iter().rev().map(|m| m.id.to_string()).collect()
    });
    Some((doc_id, chain))
}

/// What a screen reader says of a highlight: its label, its text, its note.
fn describe(ui: &super::ui::Ui, doc: &crate::model::Document, a: &Annotation) -> String {
    let quote = doc.slice(a.start, a.end);
    match &a.note {
        Some(note) => format!("{}: {quote} ({note})", ui.label_name(a.label)),
        None => format!("{}: {quote}", ui.label_name(a.label)),
    }
}

/// Shows the keyboard caret where the (collapsed) selection is, while the
/// article has focus: text that is not editable has no caret of its own.
/// Placed through the CSSOM, which a strict Content-Security-Policy allows.
fn draw_caret(caret: &NodeRef) {
    let Some(el) = caret.cast::<web_sys::HtmlElement>() else {
        return;
    };
    let place = || -> Option<(f64, f64, f64)> {
        let article = el.parent_element()?;
        let root = article.get_root_node();
        let active = match root.dyn_ref::<web_sys::ShadowRoot>() {
            Some(shadow) => shadow.active_element(),
            None => root.dyn_ref::<web_sys::Document>()?.active_element(),
        };
        if active.as_ref() != Some(&article) {
            return None;
        }
        let (anchor, focus) = selection::points(&article)?;
        if anchor != focus || !article.contains(Some(&focus.0)) {
            return None;
        }
        let range = web_sys::window()?.document()?.create_range().ok()?;
        range.set_start(&focus.0, focus.1).ok()?;
        let rect = match range.get_client_rects().and_then(|l| l.get(0)) {
            Some(r) => r,
            None => range.get_bounding_client_rect(),
        };
        let a = article.get_bounding_client_rect();
        (rect.height() > 0.0).then(|| (rect.left() - a.left(), rect.top() - a.top(), rect.height()))
    };
    let style = el.style();
    match place() {
        Some((x, y, h)) => {
            let _ = style.set_property("left", &dom::px(x));
            let _ = style.set_property("top", &dom::px(y));
            let _ = style.set_property("height", &dom::px(h));
            let _ = el.set_attribute("data-visible", "true");
        }
        None => {
            let _ = el.remove_attribute("data-visible");
        }
    }
}

#[derive(Properties)]
struct ChunkProps {
    views: Rc<Vec<Rc<BlockView>>>,
    /// Code point range of each block, to pass the emphasis to its blocks.
    ranges: Rc<Vec<(usize, usize)>>,
    drawn: bool,
    /// Near the screen: where highlights are painted over the text, only
    /// these chunks register theirs (see `use_near_screen`).
    near: bool,
    /// What is emphasised in this chunk.
    emphasis: Emphasis,
    estimate: u32,
}

impl PartialEq for ChunkProps {
    fn eq(&self, other: &Self) -> bool {
        // views are compared element by element: Rc pointers, so cheap
        *self.views == *other.views
            && self.drawn == other.drawn
            && self.near == other.near
            && self.emphasis == other.emphasis
    }
}

/// A few blocks in a box of their own, drawn, or not yet and as tall as
/// their text is estimated to be. The box is what keeps a change cheap to lay out:
/// skipped while off screen (`content-visibility: auto`), it lets a change in
/// one block lay out that chunk and step over the others, where blocks laid
/// side by side in the article cost a pass over every one of them (3–5 ms of
/// each frame with a change, at 400,000 code points).
#[function_component]
fn Chunk(props: &ChunkProps) -> Html {
    // sizes are set through the CSSOM, which a strict Content-Security-Policy allows
    let chunk = use_node_ref();
    {
        let (chunk, height) = (chunk.clone(), props.estimate);
        use_effect_with((props.drawn, height), move |&(drawn, _)| {
            let Some(style) = chunk.cast::<web_sys::HtmlElement>().map(|el| el.style()) else {
                return;
            };
            // Never drawn yet, a chunk is as tall as its text is estimated
            // to be, so the scrollbar stays honest. Drawn, it is as tall as
            // its blocks, and off screen as tall as it was last seen.
            let _ = match drawn {
                false => style.set_property("height", &format!("{height}px")),
                true => style.remove_property("height").and_then(|_| {
                    style.set_property("contain-intrinsic-block-size", &format!("auto {height}px"))
                }),
            };
        });
    }
    let first = props.views.first().map_or(0, |v| v.index);
    let blocks = props.views.iter().zip(props.ranges.iter()).map(|(v, &(bs, be))| {
        let emphasis = props.emphasis.within(bs, be);
        html! { <BlockText view={v.clone()} {emphasis} near={props.near} /> }
    });
    // one box per chunk, drawn or not: a placeholder inside it would be one
    // more element for each of the hundreds a long article starts with
    html! {
        <div class={classes!("chunk", (!props.drawn).then_some("pending"))} data-first-block={first.to_string()}
            aria-hidden={(!props.drawn).then_some("true")} ref={chunk}>
            if props.drawn {
                { for blocks }
            }
        </div>
    }
}
