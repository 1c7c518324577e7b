//! How highlights are drawn, and the painter that leaves the text untouched.
//!
//! Chromium and Gecko shape Arabic across element boundaries, so a `<mark>`
//! that starts inside a word keeps its letters joined. WebKit does not: any
//! element boundary inside a word changes its shaping (`ال|أميركي` loses its
//! lam-alef ligature and the word grows). Which engine does what is measured
//! once, never read from the user agent: where a boundary changes a word's
//! width, highlights are painted with the CSS Custom Highlight API over whole
//! text nodes instead of wrapping the text in marks.

use crate::model::Run;
use std::cell::OnceCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};

/// The two ways of drawing a highlight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Renderer {
    /// Nested inline `<mark>` elements carrying `data-annotation-id` and
    /// `data-label` (engines that shape across elements).
    #[default]
    Marks,
    /// Named highlights (`::highlight(hashiya-person)` …) over ranges of one
    /// text node per block: the text is never cut.
    Highlights,
}

impl Renderer {
    /// `marks` or `highlights`; anything else is `None` (measure instead).
    pub fn parse(s: &str) -> Option<Renderer> {
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

fn supported() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let css = js_sys::Reflect::get(&window, &"CSS".into()).unwrap_or(JsValue::UNDEFINED);
    let registry = js_sys::Reflect::get(&css, &"highlights".into()).unwrap_or(JsValue::UNDEFINED);
    let ctor = js_sys::Reflect::get(&window, &"Highlight".into()).unwrap_or(JsValue::UNDEFINED);
    !registry.is_undefined() && ctor.is_function()
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

/// Highlight names, one per label plus the selected and flashing states;
/// the stylesheet paints `::highlight(hashiya-<name>)`.
pub fn highlight_name(kind: &str) -> String {
    format!("hashiya-{kind}")
}

/// The document's highlight `name`, created (with `priority`) on first use.
/// Every widget on the page shares it and adds only its own ranges.
fn highlight(name: &str, priority: i32) -> Option<JsValue> {
    let window = web_sys::window()?;
    let css = js_sys::Reflect::get(&window, &"CSS".into()).ok()?;
    let registry = js_sys::Reflect::get(&css, &"highlights".into()).ok()?;
    let get: js_sys::Function = js_sys::Reflect::get(&registry, &"get".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let found = get.call1(&registry, &name.into()).ok()?;
    if !found.is_undefined() {
        return Some(found);
    }
    let ctor: js_sys::Function = js_sys::Reflect::get(&window, &"Highlight".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let created = js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).ok()?;
    js_sys::Reflect::set(&created, &"priority".into(), &priority.into()).ok()?;
    let set: js_sys::Function = js_sys::Reflect::get(&registry, &"set".into())
        .ok()?
        .dyn_into()
        .ok()?;
    set.call2(&registry, &name.into(), &created).ok()?;
    Some(created)
}

fn call(target: &JsValue, method: &str, arg: &JsValue) {
    if let Ok(f) = js_sys::Reflect::get(target, &method.into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = f.call1(target, arg);
    }
}

/// Ranges one block (or one flash) added to the page's highlights; dropping
/// it takes them back out.
#[derive(Default)]
pub struct Painted {
    ranges: Vec<(JsValue, web_sys::Range)>,
}

impl Painted {
    fn add(&mut self, name: &str, priority: i32, range: web_sys::Range) {
        if let Some(h) = highlight(name, priority) {
            call(&h, "add", &range);
            self.ranges.push((h, range));
        }
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
        let mut labels: Vec<&str> = vec![];
        for m in &run.marks {
            if !labels.contains(&m.label.key()) {
                labels.push(m.label.key());
            }
        }
        for label in labels {
            if let Some(r) = range() {
                painted.add(&highlight_name(label), 0, r);
            }
        }
        if selected.is_some_and(|id| run.marks.iter().any(|m| &*m.id == id)) {
            if let Some(r) = range() {
                painted.add(&highlight_name("selected"), 1, r);
            }
        }
    }
    painted
}

/// Paints `ranges` as flashing for a moment.
pub fn flash(ranges: Vec<web_sys::Range>) {
    let mut painted = Painted::default();
    for r in ranges {
        painted.add(&highlight_name("flash"), 2, r);
    }
    gloo_timers::callback::Timeout::new(1200, move || drop(painted)).forget();
}

/// The text node a block draws its text in, when it is drawn as plain text.
pub fn only_text(block: &Element) -> Option<Node> {
    let first = block.first_child()?;
    (first.node_type() == Node::TEXT_NODE && first.next_sibling().is_none()).then_some(first)
}
