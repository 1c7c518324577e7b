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
