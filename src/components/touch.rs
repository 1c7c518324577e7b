//! Pointer and touch helpers drawn over an article: the two handles of the
//! selected annotation, and the label bar that a long press brings up.
//!
//! Both are absolutely placed elements inside the article, positioned
//! through the CSSOM: nothing is inserted into the text, whose letters must
//! keep joining.

use super::ui::use_ui;
use super::{tag_selection, Dispatch, DispatchStamped};
use crate::browser::frame::AfterPaint;
use crate::browser::{dom, selection};
use crate::model::words::Edge;
use crate::model::{Annotation, Document};
use crate::state::Action;
use gloo_events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// The viewport rectangle of a caret at the annotation's start (or end):
/// found from its offsets, so it is the same whether the text is cut into
/// marks or painted whole.
fn edge_rect(article: &Element, doc: &Document, ann: &Annotation, edge: Edge) -> Option<web_sys::DomRect> {
    // the end sits in the block of the last letter, not at the next block's start
    let (block, at) = match edge {
        Edge::Start => (doc.block_of(ann.start), ann.start),
        Edge::End => (doc.block_of(ann.end.saturating_sub(1)), ann.end),
    };
    let text = &doc.blocks.get(block)?.text;
    let utf16 = crate::model::offsets::utf16_of_cp(text, at.checked_sub(doc.block_start(block))?);
    let el = article
        .query_selector(&format!("[data-block=\"{block}\"]"))
        .ok()??;
    // a collapsed range has a rectangle only inside a text node: take the
    // node the edge's letter is in (after the edge for a start, before it for an end)
    let document = web_sys::window()?.document()?;
    let walker = document.create_tree_walker_with_what_to_show(&el, 4).ok()?;
    let mut seen = 0usize;
    while let Some(n) = walker.next_node().ok()? {
        let len = n.text_content().map_or(0, |t| t.encode_utf16().count());
        let inside = match edge {
            Edge::Start => utf16 < seen + len,
            Edge::End => utf16 <= seen + len,
        };
        if inside {
            let range = document.create_range().ok()?;
            range.set_start(&n, (utf16 - seen) as u32).ok()?;
            range.collapse_with_to_start(true);
            return range.get_client_rects().and_then(|l| l.get(0));
        }
        seen += len;
    }
    None
}

/// Puts a handle at its edge of the annotation (hidden without one).
fn put_handle(el: &HtmlElement, at: Option<(&Document, &Annotation)>, edge: Edge) {
    let Some(article) = el.parent_element() else {
        return;
    };
    match at.and_then(|(doc, ann)| edge_rect(&article, doc, ann, edge).map(|r| (r, ann))) {
        Some((r, ann)) => {
            place(el, &article, r.left(), r.top(), r.height());
            // which span it stands for: it is placed a moment after the render
            // that moved the edge, and tests (and hosts' tooling) can wait for it
            let _ = el.set_attribute("data-span", &format!("{}-{}", ann.start, ann.end));
            let _ = el.remove_attribute("hidden");
        }
        None => {
            let _ = el.set_attribute("hidden", "");
        }
    }
}

fn place(el: &HtmlElement, article: &Element, x: f64, y: f64, h: f64) {
    let a = article.get_bounding_client_rect();
    let style = el.style();
    let _ = style.set_property("left", &dom::px(x - a.left()));
    let _ = style.set_property("top", &dom::px(y - a.top()));
    let _ = style.set_property("height", &dom::px(h));
}

#[derive(Properties, PartialEq)]
pub struct HandlesProps {
    /// The selected annotation, if any (no handles without one).
    pub ann: Option<Rc<Annotation>>,
    /// The article the annotation is in.
    pub doc: Rc<Document>,
    pub dispatch: Dispatch,
}

/// The start and end handles of the selected annotation: drag one onto
/// another letter to move that edge there (`موسكو` out of `بموسكو`).
#[function_component]
pub fn Handles(props: &HandlesProps) -> Html {
    let start = use_node_ref();
    let end = use_node_ref();
    {
        let (start, end, ann, doc) = (start.clone(), end.clone(), props.ann.clone(), props.doc.clone());
        // After every render (the highlight may have moved or re-wrapped),
        // but only once the frame with the change is painted: reading where
        // the letters are forces a layout, which must not delay that frame.
        use_effect(move || {
            let later = AfterPaint::new(move || {
                for (node, edge) in [(&start, Edge::Start), (&end, Edge::End)] {
                    if let Some(el) = node.cast::<HtmlElement>() {
                        put_handle(&el, ann.as_deref().map(|a| (&*doc, a)), edge);
                    }
                }
            });
            move || drop(later)
        });
    }
    let drag = use_mut_ref(|| None::<[EventListener; 3]>);
    {
        // listeners of a drag in progress go with the handles
        let drag = drag.clone();
        use_effect_with((), move |_| move || drop(drag.borrow_mut().take()));
    }
    let handle = |node: NodeRef, edge: Edge, name: &'static str| {
        let (dispatch, drag, node2) = (props.dispatch.clone(), drag.clone(), node.clone());
        let at = props.ann.clone().map(|a| (props.doc.clone(), a));
        let onpointerdown = Callback::from(move |e: PointerEvent| {
            e.prevent_default();
            e.stop_propagation();
            // the release reaches us even outside the window
            if let Some(el) = node2.cast::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            if let Some(at) = &at {
                start_drag(&node2, at.clone(), edge, &dispatch, &drag);
            }
        });
        html! {
            <div class="handle" data-role="handle" data-edge={name} ref={node} aria-hidden="true" hidden=true {onpointerdown}></div>
        }
    };
    if props.ann.is_none() {
        return Html::default();
    }
    html! {
        <>
            { handle(start, Edge::Start, "start") }
            { handle(end, Edge::End, "end") }
        </>
    }
}

/// Follows the pointer until it is released, then moves the edge to the
/// letter boundary under it.
fn start_drag(
    node: &NodeRef,
    (doc, ann): (Rc<Document>, Rc<Annotation>),
    edge: Edge,
    dispatch: &Dispatch,
    drag: &Rc<RefCell<Option<[EventListener; 3]>>>,
) {
    let Some(el) = node.cast::<HtmlElement>() else {
        return;
    };
    let Some(article) = el.parent_element() else {
        return;
    };
    let _ = el.set_attribute("data-dragging", "true");
    let window = web_sys::window().expect("a window");
    let moving = {
        let (el, article) = (el.clone(), article.clone());
        EventListener::new(&window, "pointermove", move |e| {
            if let Some(e) = e.dyn_ref::<web_sys::PointerEvent>() {
                let h = el.offset_height() as f64;
                place(
                    &el,
                    &article,
                    e.client_x() as f64,
                    e.client_y() as f64 - h / 2.0,
                    h,
                );
            }
        })
    };
    let released = {
        let (dispatch, drag) = (dispatch.clone(), drag.clone());
        EventListener::new(&window, "pointerup", move |e| {
            // the handle is hidden until the point is read, so the text under the pointer is hit
            let at = e
                .dyn_ref::<web_sys::PointerEvent>()
                .and_then(|e| selection::point_at(&article, e.client_x() as f64, e.client_y() as f64));
            let _ = el.remove_attribute("data-dragging");
            if let Some((_, at)) = at {
                dispatch.dispatch_stamped(|now| Action::SetEdge { edge, at, now });
            }
            // back to its edge, wherever it was dropped (a refused move renders nothing)
            put_handle(&el, Some((&doc, &ann)), edge);
            // the click that ends the drag (if one follows) is not a click on the text
            SUPPRESS_CLICK.with(|c| c.set(true));
            // after this event and its click: stop suppressing, drop the listeners
            let drag = drag.clone();
            gloo_timers::callback::Timeout::new(0, move || {
                SUPPRESS_CLICK.with(|c| c.set(false));
                drop(drag.borrow_mut().take());
            })
            .forget();
        })
    };
    // a cancelled touch or a lost pointer ends the drag without a move
    let cancelled = {
        let drag = drag.clone();
        EventListener::new(&window, "pointercancel", move |_| {
            let drag = drag.clone();
            gloo_timers::callback::Timeout::new(0, move || drop(drag.borrow_mut().take())).forget();
        })
    };
    *drag.borrow_mut() = Some([moving, released, cancelled]);
}

thread_local! {
    static SUPPRESS_CLICK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True once after a handle was dropped: the click that the browser fires
/// at the end of the drag must not deselect the annotation.
pub fn take_click_suppression() -> bool {
    SUPPRESS_CLICK.with(|c| c.replace(false))
}

/// How long a touch must rest on a word to select it.
const LONG_PRESS_MS: u32 = 500;
/// How far a resting touch may drift (px).
const SLOP: f64 = 10.0;

/// A press being timed: where it started and the pending timer.
struct Press {
    x: f64,
    y: f64,
    _timer: gloo_timers::callback::Timeout,
}

/// What a long press on an article needs: its pointer handlers, and where
/// the label bar stands while one is up.
pub struct LongPress {
    pub onpointerdown: Callback<PointerEvent>,
    pub onpointermove: Callback<PointerEvent>,
    /// Also what a cancelled pointer does.
    pub onpointerup: Callback<PointerEvent>,
    /// Where the label bar is up (viewport x, y under the word), if it is.
    pub bar_at: Option<(f64, f64)>,
    /// Puts the label bar away.
    pub close_bar: Callback<()>,
}

/// Long-press handling for an article: a touch that rests on a word selects
/// it and brings up the label bar (drawn by [`TouchBar`]).
#[hook]
pub fn use_long_press(doc: Rc<crate::model::Document>) -> LongPress {
    let press = use_mut_ref(|| None::<Press>);
    let bar = use_state(|| None::<(f64, f64)>);
    let onpointerdown = {
        let (press, bar) = (press.clone(), bar.clone());
        Callback::from(move |e: PointerEvent| {
            if e.pointer_type() != "touch" {
                return;
            }
            bar.set(None);
            // Yew delegates events, so the article is found from the target
            let article = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("article[data-doc-id]").ok().flatten());
            let Some(article) = article else { return };
            let (x, y) = (e.client_x() as f64, e.client_y() as f64);
            let (doc, bar, press2) = (doc.clone(), bar.clone(), press.clone());
            let timer = gloo_timers::callback::Timeout::new(LONG_PRESS_MS, move || {
                press2.borrow_mut().take();
                if let Some(rect) = select_word_at(&article, &doc, x, y) {
                    bar.set(Some((rect.left(), rect.bottom())));
                }
            });
            *press.borrow_mut() = Some(Press { x, y, _timer: timer });
        })
    };
    let onpointermove = {
        let press = press.clone();
        Callback::from(move |e: PointerEvent| {
            let far = press
                .borrow()
                .as_ref()
                .is_some_and(|p| (e.client_x() as f64 - p.x).hypot(e.client_y() as f64 - p.y) > SLOP);
            if far {
                press.borrow_mut().take();
            }
        })
    };
    let onpointerup = Callback::from(move |_: PointerEvent| drop(press.borrow_mut().take()));
    let close_bar = {
        let setter = bar.setter();
        use_callback((), move |(), _| setter.set(None))
    };
    LongPress {
        onpointerdown,
        onpointermove,
        onpointerup,
        bar_at: *bar,
        close_bar,
    }
}

#[derive(Properties, PartialEq)]
pub struct TouchBarProps {
    /// Where the bar is up (viewport x, y under the word); hidden at `None`.
    pub at: Option<(f64, f64)>,
    pub onclose: Callback<()>,
    pub dispatch: Dispatch,
}

/// The label bar that a long press brings up over the word it selected; a
/// child of the article, where it is placed.
#[function_component]
pub fn TouchBar(props: &TouchBarProps) -> Html {
    let ui = use_ui();
    let bar_ref = use_node_ref();
    {
        let bar_ref = bar_ref.clone();
        use_effect_with(props.at, move |at| {
            let el = bar_ref.cast::<HtmlElement>();
            if let (Some((x, y)), Some(el)) = (at, el) {
                if let Some(article) = el.parent_element() {
                    // kept on screen: a word at the edge of a phone's screen
                    // would put the bar's far buttons out of reach
                    let screen = web_sys::window()
                        .and_then(|w| w.inner_width().ok())
                        .and_then(|w| w.as_f64())
                        .unwrap_or(f64::MAX);
                    let width = el.offset_width() as f64;
                    let x = x.min(screen - width - 8.0).max(8.0);
                    place(&el, &article, x, *y + 6.0, el.offset_height() as f64);
                }
            }
        });
    }
    match props.at {
        Some(_) if !ui.readonly => {
            let buttons = ui.labels.iter().map(|&label| {
                let (dispatch, onclose, snap) = (props.dispatch.clone(), props.onclose.clone(), ui.snap);
                let onclick = Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    if let Some(node) = e.target_dyn_into::<web_sys::Node>() {
                        tag_selection(&dispatch, label, &node, snap);
                    }
                    onclose.emit(());
                });
                let keep = Callback::from(|e: PointerEvent| e.stop_propagation());
                html! {
                    <button data-label={label.key()} {onclick} onpointerdown={keep}>
                        <span class="swatch" aria-hidden="true"></span>{ui.label_name(label)}
                    </button>
                }
            });
            html! {
                <div class="touch-bar" role="toolbar" data-role="touch-bar" ref={bar_ref}
                    aria-label={ui.t("وسم الكلمة", "Tag the word")}>
                    { for buttons }
                </div>
            }
        }
        // a stable placeholder keeps the article's children in shape
        _ => html! { <div class="touch-bar" hidden=true ref={bar_ref}></div> },
    }
}

/// Selects the word under (x, y) and returns its rectangle.
fn select_word_at(
    article: &Element,
    doc: &crate::model::Document,
    x: f64,
    y: f64,
) -> Option<web_sys::DomRect> {
    let (_, p) = selection::point_at(article, x, y)?;
    let block = doc.blocks.get(p.block)?;
    let at = doc.block_start(p.block) + crate::model::offsets::cp_of_utf16(&block.text, p.utf16);
    let (s, e) = crate::model::words::snap_to_words(doc.text(), at, at)?;
    let base = doc.block_start(p.block);
    if s < base || doc.block_of(e.saturating_sub(1)) != p.block {
        return None;
    }
    let to_u16 = |cp: usize| crate::model::offsets::utf16_of_cp(&block.text, cp - base);
    let range = selection::select_in_block(article, p.block, to_u16(s), to_u16(e))?;
    // a selection made this way is exact: the word itself
    selection::note_precise(true);
    Some(range.get_bounding_client_rect())
}
