//! Small DOM helpers: finding an article's highlights, flashing them,
//! downloads and the clipboard.

use crate::model::{Annotation, Document};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, Node};

pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a page with a document")
}

/// The index of the first block of `article` whose bottom is below the top
/// of the viewport: where the reader is. Found by bisection, first over the
/// article's chunks and then over the blocks of one (reading where a block
/// of a chunk skipped off screen is would lay that chunk out), so a long
/// article costs a dozen layout reads.
pub fn first_block_on_screen(article: &Element) -> Option<usize> {
    let chunk = first_below_top(&article.query_selector_all(":scope > .chunk").ok()?)?;
    match first_below_top(&chunk.query_selector_all("[data-block]").ok()?) {
        Some(block) => block.get_attribute("data-block")?.parse().ok(),
        // a chunk not drawn yet
        None => chunk.get_attribute("data-first-block")?.parse().ok(),
    }
}

/// The first element of `list` (in reading order) whose bottom is below the
/// top of the viewport, or the last one; none in an empty list.
fn first_below_top(list: &web_sys::NodeList) -> Option<Element> {
    let bottom = |i: u32| -> Option<f64> {
        let el: Element = list.item(i)?.dyn_into().ok()?;
        Some(el.get_bounding_client_rect().bottom())
    };
    let (mut lo, mut hi) = (0, list.length());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if bottom(mid)? <= 0.0 {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    list.item(lo.min(list.length().checked_sub(1)?))?.dyn_into().ok()
}

/// `v` px as a CSS length, to a hundredth of a pixel. Written with integer
/// formatting: these few lengths were all that kept Rust's float formatting
/// (about 11 KB) in the bundle.
pub fn px(v: f64) -> String {
    let hundredths = (v * 100.0).round();
    if !hundredths.is_finite() {
        return "0px".into();
    }
    let h = hundredths as i64;
    let sign = if h < 0 { "-" } else { "" };
    let h = h.unsigned_abs();
    match h % 100 {
        0 => format!("{sign}{}px", h / 100),
        f if f % 10 == 0 => format!("{sign}{}.{}px", h / 100, f / 10),
        f => format!("{sign}{}.{f:02}px", h / 100),
    }
}

/// A CSS string literal for an attribute selector value.
fn css_string(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The elements matching `selector` in the tree `from` is in: the page, or
/// the shadow root of an embedded widget.
fn query_all(from: &Node, selector: &str) -> Option<web_sys::NodeList> {
    let root = from.get_root_node();
    if let Some(shadow) = root.dyn_ref::<web_sys::DocumentFragment>() {
        return shadow.query_selector_all(selector).ok();
    }
    root.dyn_ref::<web_sys::Document>()?
        .query_selector_all(selector)
        .ok()
}

/// The rendered pieces of annotation `ann_id` in article `doc_id`, in the
/// tree `from` is in.
pub fn marks_of(from: &Node, doc_id: &str, ann_id: &str) -> Vec<HtmlElement> {
    let selector = format!(
        "article[data-doc-id={}] mark[data-annotation-id={}]",
        css_string(doc_id),
        css_string(ann_id)
    );
    let Some(list) = query_all(from, &selector) else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Scrolls a highlight into view and makes it flash for a moment: its
/// marks (the CSS animates `[data-flash]`), or, where highlights are
/// painted without marks, its ranges under `hashiya-flash`.
pub fn reveal(from: &Node, doc: &Document, ann: &Annotation) {
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Center);
    opts.set_behavior(web_sys::ScrollBehavior::Smooth);
    let marks = marks_of(from, &doc.id, &ann.id);
    if let Some(first) = marks.first() {
        first.scroll_into_view_with_scroll_into_view_options(&opts);
        for m in &marks {
            let _ = m.set_attribute("data-flash", "true");
        }
        gloo_timers::callback::Timeout::new(1200, move || {
            for m in &marks {
                let _ = m.remove_attribute("data-flash");
            }
        })
        .forget();
        return;
    }
    let Some(article) = super::selection::article_of(from, &doc.id) else {
        return;
    };
    let ranges = span_ranges(&article, doc, ann.start, ann.end);
    // the block the highlight starts in
    let first_block = ranges
        .first()
        .and_then(|r| r.start_container().ok())
        .and_then(|n| n.parent_element());
    if let Some(block) = first_block {
        block.scroll_into_view_with_scroll_into_view_options(&opts);
    }
    super::paint::flash(ranges);
}

/// The DOM ranges of code points `start..end` of `doc`, one per block.
pub fn span_ranges(article: &Element, doc: &Document, start: usize, end: usize) -> Vec<web_sys::Range> {
    doc.blocks_of_range(start, end)
        .filter_map(|b| {
            let (bs, be) = doc.block_range(b);
            let text = &doc.blocks.get(b)?.text;
            let u = |cp: usize| crate::model::offsets::utf16_of_cp(text, cp.clamp(bs, be) - bs);
            super::selection::range_in_block(article, b, u(start), u(end))
        })
        .collect()
}

/// The ids of the highlights under a click, innermost first, and the article
/// they are in.
pub fn marks_under(target: &Element) -> Option<(String, Vec<String>)> {
    let article = target.closest("article[data-doc-id]").ok()??;
    let doc_id = article.get_attribute("data-doc-id")?;
    let mut chain = vec![];
    let mut node = Some(target.clone());
    while let Some(el) = node {
        if el == article {
            break;
        }
        if let Some(id) = el.get_attribute("data-annotation-id") {
            if !chain.contains(&id) {
                chain.push(id);
            }
        }
        node = el.parent_element();
    }
    Some((doc_id, chain))
}

/// Offers `text` as a file download named `filename`.
pub fn download(filename: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    // The click has started the download; the URL can go after this task.
    gloo_timers::callback::Timeout::new(0, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Copies `text` to the clipboard.
pub async fn copy(text: &str) -> Result<(), JsValue> {
    let clipboard = web_sys::window().ok_or("no window")?.navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text)).await?;
    Ok(())
}

/// True when keys typed into `target` belong to a form field, not to us.
pub fn is_typing_target(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
        return false;
    };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
}

#[cfg(test)]
mod tests {
    use super::px;

    #[test]
    fn lengths_are_written_to_a_hundredth_of_a_pixel() {
        let cases = [
            (0.0, "0px"),
            (12.0, "12px"),
            (12.5, "12.5px"),
            (7.126, "7.13px"),
            (0.05, "0.05px"),
            (-3.25, "-3.25px"),
            (-0.4, "-0.4px"),
            (-0.004, "0px"),
            (f64::NAN, "0px"),
            (f64::INFINITY, "0px"),
        ];
        for (v, css) in cases {
            assert_eq!(px(v), css, "{v}");
        }
    }
}
