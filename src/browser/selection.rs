//! Reading the user's text selection as points in one article's blocks.

use super::js::{field, method, shadow_roots_option};
use crate::state::DomPoint;
use wasm_bindgen::{JsCast, JsValue};
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

/// The `Selection` to change in the tree `from` is in. Chromium gives a
/// shadow root a selection of its own (`ShadowRoot.getSelection()`, not
/// standard, hence not in web-sys); Gecko and WebKit keep one selection per
/// document, which also holds a selection made inside a shadow root. Read
/// its positions with [`points`], never with `anchorNode`: WebKit reports
/// the shadow host there.
pub fn of(from: &Node) -> Option<web_sys::Selection> {
    let root = from.get_root_node();
    if root.is_instance_of::<web_sys::ShadowRoot>() {
        if let Some(sel) = method(&root, "getSelection").and_then(|get| get.call0(&root).ok()) {
            return sel.dyn_into().ok();
        }
    }
    web_sys::window()?.get_selection().ok().flatten()
}

/// A boundary point of the selection: a node and an offset in it.
pub type Point = (Node, u32);

/// The selection's anchor and focus as seen inside `from`'s tree, or `None`
/// with nothing selected. Built on `Selection.getComposedRanges({shadowRoots})`
/// (all three engines), which sees into the widget's shadow root; where an
/// engine lacks it, the selection's own anchor and focus.
pub fn points(from: &Node) -> Option<(Point, Point)> {
    let sel = web_sys::window()?.get_selection().ok().flatten()?;
    if let Some(found) = composed_points(&sel, from) {
        return found;
    }
    let sel = of(from)?;
    if sel.range_count() == 0 {
        return None;
    }
    Some((
        (sel.anchor_node()?, sel.anchor_offset()),
        (sel.focus_node()?, sel.focus_offset()),
    ))
}

/// `Some(points)` where the engine has `getComposedRanges`, else `None`.
fn composed_points(sel: &web_sys::Selection, from: &Node) -> Option<Option<(Point, Point)>> {
    let get = method(sel, "getComposedRanges")?;
    let ranges: js_sys::Array = get.call1(sel, &shadow_roots_option(from)).ok()?.dyn_into().ok()?;
    let range = ranges.get(0);
    if range.is_undefined() {
        return Some(None);
    }
    let start: Node = field(&range, "startContainer")?.dyn_into().ok()?;
    let end: Node = field(&range, "endContainer")?.dyn_into().ok()?;
    let start_offset = field(&range, "startOffset")?.as_f64()? as u32;
    let end_offset = field(&range, "endOffset")?.as_f64()? as u32;
    let (start, end) = ((start, start_offset), (end, end_offset));
    // a composed range is in document order; the direction says which end
    // the user is moving
    let backward = field(sel, "direction")
        .and_then(|d| d.as_string())
        .map(|d| d == "backward")
        .unwrap_or_else(|| {
            // no `direction`: the anchor, where it is not retargeted, tells
            sel.anchor_node()
                .is_some_and(|a| a == end.0 && sel.anchor_offset() == end.1)
        });
    Some(Some(if backward { (end, start) } else { (start, end) }))
}

/// The focus of the selection in `from`'s tree (where a caret is drawn).
pub fn focus(from: &Node) -> Option<Point> {
    points(from).map(|(_, f)| f)
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
    points(from).is_some_and(|(a, f)| a != f)
}

/// The current selection of `from`'s tree, resolved to one article.
pub fn current(from: &Node) -> Result<ArticleSelection, Refusal> {
    let ((a, ao), (f, fo)) = match points(from) {
        Some((a, f)) if a != f => (a, f),
        _ => return Err(Refusal::Empty),
    };
    let anchor = resolve(&a, ao);
    let focus = resolve(&f, fo);
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
    let (node, offset) = caret_from_point(from, x, y)?;
    resolve(&node, offset)
}

/// The character drawn under (x, y), as the point at its start: `None` over
/// white space beyond a line or between blocks.
pub fn char_at(from: &Node, x: f64, y: f64) -> Option<(String, DomPoint)> {
    let (node, offset) = caret_from_point(from, x, y)?;
    let units = text_units(&node)?;
    // the caret nearest the point is on one side of the character under it
    let hit = [offset, offset.saturating_sub(1)]
        .into_iter()
        .find(|&at| unit_rects_contain(&node, &units, at, x, y))?;
    resolve(&node, hit)
}

/// The caret position nearest (x, y) in `from`'s tree:
/// `caretPositionFromPoint(x, y, {shadowRoots})` (Chromium, Gecko), else
/// `caretRangeFromPoint` (WebKit); where the answer is not inside `from`'s
/// tree (WebKit stops at a shadow host), the block under the point is
/// searched character by character.
fn caret_from_point(from: &Node, x: f64, y: f64) -> Option<Point> {
    let document: JsValue = web_sys::window()?.document()?.into();
    let root = from.get_root_node();
    let found = if let Some(f) = method(&document, "caretPositionFromPoint") {
        let pos = f
            .call3(&document, &x.into(), &y.into(), &shadow_roots_option(from))
            .ok()?;
        field(&pos, "offsetNode")
            .and_then(|n| n.dyn_into::<Node>().ok())
            .zip(field(&pos, "offset").and_then(|o| o.as_f64()))
    } else if let Some(f) = method(&document, "caretRangeFromPoint") {
        let range = f.call2(&document, &x.into(), &y.into()).ok()?;
        field(&range, "startContainer")
            .and_then(|n| n.dyn_into::<Node>().ok())
            .zip(field(&range, "startOffset").and_then(|o| o.as_f64()))
    } else {
        None
    };
    match found {
        Some((node, offset)) if node.get_root_node() == root => Some((node, offset as u32)),
        _ => search_block_at(&root, x, y),
    }
}

/// The character of the block under (x, y) whose box holds the point.
fn search_block_at(root: &Node, x: f64, y: f64) -> Option<Point> {
    let hit = method(root, "elementFromPoint")?
        .call2(root, &x.into(), &y.into())
        .ok()?;
    let block = hit.dyn_into::<Element>().ok()?.closest("[data-block]").ok()??;
    let document = web_sys::window()?.document()?;
    let walker = document.create_tree_walker_with_what_to_show(&block, 4).ok()?; // text nodes
    while let Some(node) = walker.next_node().ok()? {
        let Some(units) = text_units(&node) else { continue };
        if let Some(at) = (0..units.len() as u32).find(|&at| unit_rects_contain(&node, &units, at, x, y)) {
            return Some((node, at));
        }
    }
    None
}

/// The UTF-16 units of a text node (read once per search, not per unit).
fn text_units(node: &Node) -> Option<Vec<u16>> {
    Some(node.dyn_ref::<web_sys::Text>()?.data().encode_utf16().collect())
}

/// True when the character starting at UTF-16 unit `at` of the text node
/// `node` (whose units are `data`) is drawn over (x, y).
fn unit_rects_contain(node: &Node, data: &[u16], at: u32, x: f64, y: f64) -> bool {
    let Some(&unit) = data.get(at as usize) else {
        return false;
    };
    if (0xDC00..0xE000).contains(&unit) {
        return false; // the second half of a pair is no character's start
    }
    let width = if (0xD800..0xDC00).contains(&unit) { 2 } else { 1 };
    let Some(range) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_range().ok())
    else {
        return false;
    };
    if range.set_start(node, at).is_err() || range.set_end(node, (at + width).min(data.len() as u32)).is_err()
    {
        return false;
    }
    let Some(rects) = range.get_client_rects() else {
        return false;
    };
    (0..rects.length())
        .filter_map(|i| rects.get(i))
        .any(|r| x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom())
}

/// The DOM range of UTF-16 offsets `start..end` of block `block` in `article`.
pub fn range_in_block(article: &Element, block: usize, start: usize, end: usize) -> Option<web_sys::Range> {
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

/// Selects UTF-16 offsets `start..end` of block `block` in `article`, and
/// gives the range selected.
pub fn select_in_block(article: &Element, block: usize, start: usize, end: usize) -> Option<web_sys::Range> {
    let r = range_in_block(article, block, start, end)?;
    let sel = of(article)?;
    let (a, ao, b, bo) = (
        r.start_container().ok()?,
        r.start_offset().ok()?,
        r.end_container().ok()?,
        r.end_offset().ok()?,
    );
    sel.set_base_and_extent(&a, ao, &b, bo).ok()?;
    Some(r)
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
    // A point between blocks (in the article or one of its chunks, after a
    // triple click): the start of the first block after it, or the end of
    // the last one.
    let blocks = article.query_selector_all("[data-block]").ok()?;
    let point = web_sys::window()?.document()?.create_range().ok()?;
    point.set_start(node, offset).ok()?;
    point.collapse_with_to_start(true);
    for i in 0..blocks.length() {
        let b: Element = blocks.item(i)?.dyn_into().ok()?;
        // 0 or 1: the block's start is at the point or after it
        if point.compare_point(&b, 0).ok()? >= 0 {
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
