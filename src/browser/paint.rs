//! How highlights are drawn, and the painter that leaves the text untouched.
//!
//! Chromium and Gecko shape Arabic across element boundaries, so a `<mark>`
//! that starts inside a word keeps its letters joined. WebKit does not: any
//! element boundary inside a word changes its shaping (`ال|أميركي` loses its
//! lam-alef ligature and the word grows). Which engine does what is measured
//! once, never read from the user agent: where a boundary changes a word's
//! width, highlights are painted with the CSS Custom Highlight API over whole
//! text nodes instead of wrapping the text in marks.

use super::js::{field, method};
use crate::model::{BlockKind, BlockView, Mark, Run};
use std::borrow::Cow;
use std::cell::OnceCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};

/// The two ways of drawing a highlight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renderer {
    /// Nested inline `<mark>` elements carrying `data-annotation-id` and
    /// `data-label` (engines that shape across elements).
    Marks,
    /// Named highlights (`::highlight(hashiya-person)` …) over ranges of one
    /// text node per block: the text is never cut.
    Highlights,
}

impl Renderer {
    /// `marks` or `highlights`; anything else is `None` (measure instead).
    fn parse(s: &str) -> Option<Renderer> {
        match s.trim().to_ascii_lowercase().as_str() {
            "marks" => Some(Renderer::Marks),
            "highlights" => Some(Renderer::Highlights),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Renderer::Marks => "marks",
            Renderer::Highlights => "highlights",
        }
    }

    /// The renderer asked for (`marks`, `highlights`), else the measured one;
    /// `highlights` is only honoured where the engine can paint them.
    pub fn choose(asked: &str) -> Renderer {
        match Renderer::parse(asked) {
            Some(Renderer::Highlights) if supported() => Renderer::Highlights,
            Some(Renderer::Marks) => Renderer::Marks,
            _ => measured(),
        }
    }
}

thread_local! {
    /// A fact about the engine, the same for every widget on the page.
    static MEASURED: OnceCell<Renderer> = const { OnceCell::new() };
}

/// The renderer this engine needs, measured on first use.
pub fn measured() -> Renderer {
    MEASURED.with(|m| *m.get_or_init(measure))
}

/// The document's `CSS.highlights`, where the engine has it.
fn registry() -> Option<JsValue> {
    field(&field(&web_sys::window()?.into(), "CSS")?, "highlights")
}

fn supported() -> bool {
    registry().is_some()
        && web_sys::window()
            .and_then(|w| method(&w.into(), "Highlight"))
            .is_some()
}

/// Draws `الأميركي` whole and with an element boundary after `ال`, and
/// compares the widths: a difference means this engine re-shapes at element
/// boundaries. Styles are set through the CSSOM, which a strict CSP allows.
fn measure() -> Renderer {
    if !supported() {
        return Renderer::Marks;
    }
    let width = || -> Option<(f64, f64)> {
        let document = web_sys::window()?.document()?;
        let body = document.body()?;
        let probe: web_sys::HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
        for (k, v) in [
            ("position", "absolute"),
            ("visibility", "hidden"),
            ("white-space", "nowrap"),
            ("font-size", "40px"),
            ("direction", "rtl"),
            // fonts of --hashiya-font (styles/hashiya.css) that most systems have:
            // any Arabic font with a lam-alef ligature tells the engine apart
            (
                "font-family",
                "\"Noto Naskh Arabic\", \"Noto Sans Arabic\", \"DejaVu Sans\", serif",
            ),
        ] {
            probe.style().set_property(k, v).ok()?;
        }
        let whole = document.create_element("span").ok()?;
        whole.set_text_content(Some("الأميركي"));
        let cut = document.create_element("span").ok()?;
        cut.append_with_str_1("ال").ok()?;
        let inner = document.create_element("span").ok()?;
        inner.set_text_content(Some("أميركي"));
        cut.append_child(&inner).ok()?;
        probe.append_child(&whole).ok()?;
        let br = document.create_element("br").ok()?;
        probe.append_child(&br).ok()?;
        probe.append_child(&cut).ok()?;
        body.append_child(&probe).ok()?;
        let widths = (
            whole.get_bounding_client_rect().width(),
            cut.get_bounding_client_rect().width(),
        );
        probe.remove();
        Some(widths)
    };
    match width() {
        Some((a, b)) if (a - b).abs() > 0.5 => Renderer::Highlights,
        _ => Renderer::Marks,
    }
}

/// The document's highlight `hashiya-<kind>` (one per label, plus the
/// selected and flashing states; the stylesheet paints
/// `::highlight(hashiya-<kind>)`), created with `priority` on first use.
/// Every widget on the page shares it and adds only its own ranges.
fn highlight(kind: &str, priority: i32) -> Option<JsValue> {
    let name: JsValue = format!("hashiya-{kind}").into();
    let registry = registry()?;
    let found = method(&registry, "get")?.call1(&registry, &name).ok()?;
    if !found.is_undefined() {
        return Some(found);
    }
    let ctor = method(&web_sys::window()?.into(), "Highlight")?;
    let created = js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).ok()?;
    js_sys::Reflect::set(&created, &"priority".into(), &priority.into()).ok()?;
    method(&registry, "set")?.call2(&registry, &name, &created).ok()?;
    Some(created)
}

fn call(target: &JsValue, name: &str, arg: &JsValue) {
    if let Some(f) = method(target, name) {
        let _ = f.call1(target, arg);
    }
}

/// Ranges one block (or one flash) added to the page's highlights; dropping
/// it takes them back out.
#[derive(Default)]
pub struct Painted {
    ranges: Vec<(JsValue, web_sys::Range)>,
    /// The highlights this painting used, looked up once each.
    found: Vec<(&'static str, JsValue)>,
}

impl Painted {
    fn add(&mut self, kind: &'static str, priority: i32, range: web_sys::Range) {
        let h = match self.found.iter().find(|(k, _)| *k == kind) {
            Some((_, h)) => h.clone(),
            None => {
                let Some(h) = highlight(kind, priority) else {
                    return;
                };
                self.found.push((kind, h.clone()));
                h
            }
        };
        call(&h, "add", &range);
        self.ranges.push((h, range));
    }
}

impl Drop for Painted {
    fn drop(&mut self) {
        for (h, range) in self.ranges.drain(..) {
            call(&h, "delete", &range);
        }
    }
}

/// Paints the runs of a block whose whole text is the text node `text`: one
/// range per run and mark layer under the mark's label, and the runs of the
/// selected annotation under `hashiya-selected`.
pub fn paint_runs(text_node: &Node, text: &str, runs: &[Run], selected: Option<&str>) -> Painted {
    let mut painted = Painted::default();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return painted;
    };
    let mut utf16 = 0u32;
    for run in runs {
        let len = text[run.byte_start..run.byte_end].encode_utf16().count() as u32;
        let (start, end) = (utf16, utf16 + len);
        utf16 = end;
        if run.marks.is_empty() {
            continue;
        }
        let range = || -> Option<web_sys::Range> {
            let r = document.create_range().ok()?;
            r.set_start(text_node, start).ok()?;
            r.set_end(text_node, end).ok()?;
            Some(r)
        };
        let mut labels: Vec<&'static str> = vec![];
        for m in &run.marks {
            if !labels.contains(&m.label.key()) {
                labels.push(m.label.key());
            }
        }
        for label in labels {
            if let Some(r) = range() {
                painted.add(label, 0, r);
            }
        }
        if selected.is_some_and(|id| run.marks.iter().any(|m| &*m.id == id)) {
            if let Some(r) = range() {
                painted.add("selected", 1, r);
            }
        }
    }
    painted
}

/// What a mark says beyond its id and label (see `components::block`).
pub struct MarkAttrs {
    /// Most often just the label's name.
    pub title: Cow<'static, str>,
    pub selected: bool,
    /// What it is to the selected claim (`data-link`).
    pub link: Option<&'static str>,
}

/// A block's element (`<h2>`, `<p>` or `<p class="source">`, with its
/// `data-block`) holding its runs: each run's text inside one `<mark>` per
/// covering annotation, outermost outside. Marks are plain inline
/// elements: no padding or inline-block, which would break the joining of
/// Arabic letters. Text goes in as text nodes and values as attributes,
/// never as markup.
pub fn draw_block(view: &BlockView, attrs: impl Fn(&Mark) -> MarkAttrs) -> Option<Element> {
    let document = web_sys::window()?.document()?;
    let block = match view.kind {
        BlockKind::Heading => document.create_element("h2").ok()?,
        BlockKind::Paragraph => document.create_element("p").ok()?,
        BlockKind::Source => {
            let p = document.create_element("p").ok()?;
            p.set_class_name("source");
            p
        }
    };
    block.set_attribute("data-block", &view.index.to_string()).ok()?;
    draw_runs(&document, &block, view, attrs)?;
    Some(block)
}

/// Draws `view` into `block`, drawn by `draw_block` from `old`, an earlier
/// view of the same kind: the element stays, and so do the nodes of the
/// runs before and after the change (an add or an undo touches a few runs
/// of a paragraph; drawing all of it again costs the browser style and
/// layout work on every one of its marks).
pub fn redraw_block(
    block: &Element,
    old: &BlockView,
    view: &BlockView,
    attrs: impl Fn(&Mark) -> MarkAttrs,
) -> Option<()> {
    let document = block.owner_document()?;
    let children = block.child_nodes();
    if children.length() as usize != old.runs.len() {
        return None; // not as drawn: the caller builds it anew
    }
    let same = |a: &Run, b: &Run| {
        a == b && old.text[a.byte_start..a.byte_end] == view.text[b.byte_start..b.byte_end]
    };
    let head = old
        .runs
        .iter()
        .zip(&view.runs)
        .take_while(|(a, b)| same(a, b))
        .count();
    let room = old.runs.len().min(view.runs.len()) - head;
    let tail = (old.runs.iter().rev().zip(view.runs.iter().rev()))
        .take(room)
        .take_while(|(a, b)| same(a, b))
        .count();
    let after = children.item((old.runs.len() - tail) as u32);
    for i in (head..old.runs.len() - tail).rev() {
        block.remove_child(&children.item(i as u32)?).ok()?;
    }
    for run in &view.runs[head..view.runs.len() - tail] {
        block
            .insert_before(&run_node(&document, &view.text, run, &attrs)?, after.as_ref())
            .ok()?;
    }
    block.set_attribute("data-block", &view.index.to_string()).ok()?;
    Some(())
}

fn draw_runs(
    document: &web_sys::Document,
    block: &Element,
    view: &BlockView,
    attrs: impl Fn(&Mark) -> MarkAttrs,
) -> Option<()> {
    for run in &view.runs {
        block
            .append_child(&run_node(document, &view.text, run, &attrs)?)
            .ok()?;
    }
    Some(())
}

/// A run's text inside its marks, outermost outside.
fn run_node(
    document: &web_sys::Document,
    text: &str,
    run: &Run,
    attrs: &impl Fn(&Mark) -> MarkAttrs,
) -> Option<Node> {
    let mut node: Node = document
        .create_text_node(&text[run.byte_start..run.byte_end])
        .into();
    for m in run.marks.iter().rev() {
        let mark = document.create_element("mark").ok()?;
        let _ = mark.set_attribute("data-annotation-id", &m.id);
        let _ = mark.set_attribute("data-label", m.label.key());
        set_attrs(&mark, attrs(m), false);
        mark.append_child(&node).ok()?;
        node = mark.into();
    }
    Some(node)
}

/// Sets again what each mark of a block drawn by `draw_block` from `runs`
/// says, leaving the marks and the text (and a selection in it) in place.
pub fn restyle_marks(block: &Element, runs: &[Run], attrs: impl Fn(&Mark) -> MarkAttrs) {
    // document order: run by run, outermost mark first, as they were drawn
    let drawn = block.get_elements_by_tag_name("mark");
    for (i, m) in runs.iter().flat_map(|r| r.marks.iter()).enumerate() {
        if let Some(mark) = drawn.item(i as u32) {
            set_attrs(&mark, attrs(m), true);
        }
    }
}

/// Sets a mark's title and emphasis; `was_drawn` when it may carry an
/// emphasis to take off (a new mark has none: each call costs a crossing
/// into JavaScript, thousands of them when a big article is drawn).
fn set_attrs(mark: &Element, a: MarkAttrs, was_drawn: bool) {
    let _ = mark.set_attribute("title", &a.title);
    let _ = match (a.selected, was_drawn) {
        (true, _) => mark.set_attribute("data-selected", "true"),
        (false, true) => mark.remove_attribute("data-selected"),
        (false, false) => Ok(()),
    };
    let _ = match (a.link, was_drawn) {
        (Some(link), _) => mark.set_attribute("data-link", link),
        (None, true) => mark.remove_attribute("data-link"),
        (None, false) => Ok(()),
    };
}

/// Paints `ranges` as flashing for a moment.
pub fn flash(ranges: Vec<web_sys::Range>) {
    let mut painted = Painted::default();
    for r in ranges {
        painted.add("flash", 2, r);
    }
    gloo_timers::callback::Timeout::new(1200, move || drop(painted)).forget();
}

/// The text node a block draws its text in, when it is drawn as plain text.
pub fn only_text(block: &Element) -> Option<Node> {
    let first = block.first_child()?;
    (first.node_type() == Node::TEXT_NODE && first.next_sibling().is_none()).then_some(first)
}
