//! Reading the user's text selection as points in one article's blocks.

use crate::state::DomPoint;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// Why a selection cannot be tagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    OutsideArticle,
    TwoArticles,
}

/// A selection inside one article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleSelection {
    pub doc_id: String,
    pub anchor: DomPoint,
    pub focus: DomPoint,
}

thread_local! {
    /// The last selection was made with Alt held, or with keys: keep it as
    /// it is, letter for letter, instead of growing it to whole words.
    static PRECISE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

thread_local! {
    /// Where the mouse was released at the end of the last selection.
    static RELEASED_AT: std::cell::Cell<Option<(f64, f64)>> = const { std::cell::Cell::new(None) };
}

pub fn note_release(x: f64, y: f64) {
    RELEASED_AT.with(|p| p.set(Some((x, y))));
}

pub fn note_precise(precise: bool) {
    PRECISE.with(|p| p.set(precise));
}

pub fn was_precise() -> bool {
    PRECISE.with(|p| p.get())
}

/// The selection of the tree `from` is in: the page's, or, inside a shadow
/// root (the embedded widget), the shadow root's own. `window.getSelection()`
/// would retarget a selection inside a shadow tree to its host.
pub fn of(from: &Node) -> Option<web_sys::Selection> {
    let root = from.get_root_node();
    if root.is_instance_of::<web_sys::ShadowRoot>() {
        // Chromium's `ShadowRoot.getSelection()`; not in web-sys as it is not standard
        let get = js_sys::Reflect::get(&root, &"getSelection".into()).ok();
        if let Some(get) = get.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            if let Ok(sel) = get.call0(&root) {
                return sel.dyn_into().ok();
            }
        }
    }
    web_sys::window()?.get_selection().ok().flatten()
}

/// The article `doc_id` in the tree `from` is in.
pub fn article_of(from: &Node, doc_id: &str) -> Option<Element> {
    let root = from.get_root_node();
    let selector = format!(
        "article[data-doc-id=\"{}\"]",
        doc_id.replace('\\', "\\\\").replace('"', "\\\"")
    );
    match root.dyn_ref::<web_sys::DocumentFragment>() {
        Some(shadow) => shadow.query_selector(&selector).ok()?,
        None => root
            .dyn_ref::<web_sys::Document>()?
            .query_selector(&selector)
            .ok()?,
    }
}

/// True while text is selected in `from`'s tree (the end of a drag is a click too).
pub fn is_selecting(from: &Node) -> bool {
    of(from).is_some_and(|s| !s.is_collapsed())
}

/// The current selection of `from`'s tree, resolved to one article.
pub fn current(from: &Node) -> Result<ArticleSelection, Refusal> {
    let sel = of(from).ok_or(Refusal::Empty)?;
    if sel.is_collapsed() || sel.range_count() == 0 {
        return Err(Refusal::Empty);
    }
    let anchor = resolve(&sel.anchor_node().ok_or(Refusal::Empty)?, sel.anchor_offset());
    let focus = resolve(&sel.focus_node().ok_or(Refusal::Empty)?, sel.focus_offset());
    match (anchor, focus) {
        (Some((a_doc, a)), Some((f_doc, f))) if a_doc == f_doc => Ok(ArticleSelection {
            doc_id: a_doc,
            anchor: a,
            focus: f,
        }),
        (Some(_), Some(_)) => Err(Refusal::TwoArticles),
        _ => Err(Refusal::OutsideArticle),
    }
}

pub fn clear(from: &Node) {
    if let Some(sel) = of(from) {
        let _ = sel.remove_all_ranges();
    }
}

/// The text position under the point (x, y) of the viewport, as (article
/// id, block point), looking inside the shadow root `from` is in.
pub fn point_at(from: &Node, x: f64, y: f64) -> Option<(String, DomPoint)> {
    let document = web_sys::window()?.document()?;
    let root = from.get_root_node();
    // caretPositionFromPoint(x, y, {shadowRoots}) is newer than web-sys's binding
    let options = js_sys::Object::new();
    if root.is_instance_of::<web_sys::ShadowRoot>() {
        let _ = js_sys::Reflect::set(&options, &"shadowRoots".into(), &js_sys::Array::of1(&root));
    }
    let f: js_sys::Function = js_sys::Reflect::get(&document, &"caretPositionFromPoint".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let pos = f.call3(&document, &x.into(), &y.into(), &options).ok()?;
    let node: Node = js_sys::Reflect::get(&pos, &"offsetNode".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let offset = js_sys::Reflect::get(&pos, &"offset".into()).ok()?.as_f64()? as u32;
    resolve(&node, offset)
}

/// The DOM range of UTF-16 offsets `start..end` of block `block` in `article`.
fn range_in_block(article: &Element, block: usize, start: usize, end: usize) -> Option<web_sys::Range> {
    let el = article
        .query_selector(&format!("[data-block=\"{block}\"]"))
        .ok()??;
    let document = web_sys::window()?.document()?;
    let walker = document.create_tree_walker_with_what_to_show(&el, 4).ok()?; // text nodes
    let (mut seen, mut from, mut to) = (0usize, None, None);
    while let Some(n) = walker.next_node().ok()? {
        let len = n.text_content().map_or(0, |t| t.encode_utf16().count());
        if from.is_none() && start <= seen + len {
            from = Some((n.clone(), (start - seen) as u32));
        }
        if end <= seen + len {
            to = Some((n, (end - seen) as u32));
            break;
        }
        seen += len;
    }
    let ((a, ao), (b, bo)) = (from?, to?);
    let range = document.create_range().ok()?;
    range.set_start(&a, ao).ok()?;
    range.set_end(&b, bo).ok()?;
    Some(range)
}

/// Selects UTF-16 offsets `start..end` of block `block` in `article`.
pub fn select_in_block(article: &Element, block: usize, start: usize, end: usize) -> Option<()> {
    let r = range_in_block(article, block, start, end)?;
    let sel = of(article)?;
    let (a, ao, b, bo) = (
        r.start_container().ok()?,
        r.start_offset().ok()?,
        r.end_container().ok()?,
        r.end_offset().ok()?,
    );
    sel.set_base_and_extent(&a, ao, &b, bo).ok()
}

/// A mouse released over a left-to-right run inside right-to-left text
/// (`10.8`, a Latin name) is often given the run's logical edge, which can
/// lie outside the run: the word the reader pointed at is then missed. If
/// the release point lies on a left-to-right word next to the selection's
/// focus, the focus moves to that word's far side.
pub fn reach_released_word(sel: &mut ArticleSelection, article: &Element) {
    let Some((x, y)) = RELEASED_AT.with(|p| p.take()) else {
        return;
    };
    let Some(block) = article
        .query_selector(&format!("[data-block=\"{}\"]", sel.focus.block))
        .ok()
        .flatten()
    else {
        return;
    };
    let text = block.text_content().unwrap_or_default();
    let cp = crate::model::offsets::cp_of_utf16(&text, sel.focus.utf16);
    let forward = (sel.anchor.block, sel.anchor.utf16) <= (sel.focus.block, sel.focus.utf16);
    let ltr = |s: &str| {
        s.chars()
            .any(|c| c.is_ascii_alphanumeric() || (c.is_alphabetic() && (c as u32) < 0x0590))
    };
    let candidates = [cp, cp + 1, cp.saturating_sub(1), cp.saturating_sub(2)];
    for at in candidates {
        let Some((s, e)) = crate::model::words::snap_to_words(&text, at, at) else {
            continue;
        };
        if s == e || !ltr(crate::model::offsets::slice_cp(&text, s, e)) {
            continue;
        }
        let (us, ue) = (
            crate::model::offsets::utf16_of_cp(&text, s),
            crate::model::offsets::utf16_of_cp(&text, e),
        );
        let Some(range) = range_in_block(article, sel.focus.block, us, ue) else {
            continue;
        };
        let Some(rects) = range.get_client_rects() else {
            continue;
        };
        let hit = (0..rects.length()).filter_map(|i| rects.get(i)).any(|r| {
            x >= r.left() - 1.0 && x <= r.right() + 1.0 && y >= r.top() - 1.0 && y <= r.bottom() + 1.0
        });
        if hit {
            let moved = if forward {
                ue.max(sel.focus.utf16)
            } else {
                us.min(sel.focus.utf16)
            };
            sel.focus.utf16 = moved;
            return;
        }
    }
}

/// Maps a DOM boundary point to (article id, block, UTF-16 offset in the block).
fn resolve(node: &Node, offset: u32) -> Option<(String, DomPoint)> {
    let element = match node.dyn_ref::<Element>() {
        Some(e) => e.clone(),
        None => node.parent_element()?,
    };
    let article = element.closest("article[data-doc-id]").ok()??;
    let doc_id = article.get_attribute("data-doc-id")?;
    if let Some(block) = element.closest("[data-block]").ok().flatten() {
        let index = block_index(&block)?;
        return Some((
            doc_id,
            DomPoint {
                block: index,
                utf16: text_before(&block, node, offset)?,
            },
        ));
    }
    // A point between blocks (the article itself, after a triple click):
    // the start of the block that follows, or the end of the last one.
    let blocks = article.query_selector_all("[data-block]").ok()?;
    let target = node.child_nodes().item(offset);
    for i in 0..blocks.length() {
        let b: Element = blocks.item(i)?.dyn_into().ok()?;
        let follows = match &target {
            Some(t) => {
                t.contains(Some(&b))
                    || b.compare_document_position(t) & Node::DOCUMENT_POSITION_PRECEDING != 0
            }
            None => false,
        };
        if follows || target.as_ref().is_some_and(|t| t == b.unchecked_ref::<Node>()) {
            return Some((
                doc_id,
                DomPoint {
                    block: block_index(&b)?,
                    utf16: 0,
                },
            ));
        }
    }
    let last: Element = blocks.item(blocks.length().checked_sub(1)?)?.dyn_into().ok()?;
    let len = last.text_content().map_or(0, |t| t.encode_utf16().count());
    Some((
        doc_id,
        DomPoint {
            block: block_index(&last)?,
            utf16: len,
        },
    ))
}

fn block_index(block: &Element) -> Option<usize> {
    block.get_attribute("data-block")?.parse().ok()
}

/// UTF-16 length of the block's text before the point `(node, offset)`.
fn text_before(block: &Element, node: &Node, offset: u32) -> Option<usize> {
    let range = web_sys::window()?.document()?.create_range().ok()?;
    range.set_start(block, 0).ok()?;
    range.set_end(node, offset).ok()?;
    Some(String::from(range.to_string()).encode_utf16().count())
}
