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

/// The current selection of the page, resolved to one article.
pub fn current() -> Result<ArticleSelection, Refusal> {
    let sel = web_sys::window()
        .and_then(|w| w.get_selection().ok().flatten())
        .ok_or(Refusal::Empty)?;
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

pub fn clear() {
    if let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = sel.remove_all_ranges();
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
