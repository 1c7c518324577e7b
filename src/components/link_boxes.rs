//! Where highlights are painted instead of marks (WebKit), the selected
//! claim's speaker, subjects and link candidate are outlined by boxes drawn
//! over their text from its rectangles. They are not further highlights:
//! WebKitGTK's web process crashed, now and then, when spans already painted
//! for their labels were added to another highlight as well.

use super::emphasis::Emphasis;
use crate::browser::dom;
use crate::model::Document;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LinkBoxesProps {
    pub doc: Rc<Document>,
    pub emphasis: Emphasis,
}

#[function_component]
pub fn LinkBoxes(props: &LinkBoxesProps) -> Html {
    let layer = use_node_ref();
    {
        let layer = layer.clone();
        use_effect_with(
            (props.doc.clone(), props.emphasis.clone()),
            move |(doc, emphasis)| {
                let draw = {
                    let (layer, doc, emphasis) = (layer.clone(), doc.clone(), emphasis.clone());
                    move || draw_boxes(&layer, &doc, &emphasis)
                };
                draw();
                // the text moves when the window's width changes
                let listener = gloo_events::EventListener::new(
                    &web_sys::window().expect("a window"),
                    "resize",
                    move |_| draw(),
                );
                move || drop(listener)
            },
        );
    }
    html! { <div class="link-boxes" aria-hidden="true" ref={layer}></div> }
}

/// Replaces the boxes in `layer` by one per line of each linked span.
fn draw_boxes(layer: &NodeRef, doc: &Document, emphasis: &Emphasis) {
    let Some(layer) = layer.cast::<web_sys::HtmlElement>() else {
        return;
    };
    layer.set_text_content(None);
    let Some(article) = layer.parent_element() else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let origin = article.get_bounding_client_rect();
    for e in emphasis.links() {
        for range in dom::span_ranges(&article, doc, e.start, e.end) {
            let Some(rects) = range.get_client_rects() else {
                continue;
            };
            for r in (0..rects.length())
                .filter_map(|i| rects.get(i))
                .filter(|r| r.width() > 0.0)
            {
                let Some(b) = document
                    .create_element("div")
                    .ok()
                    .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
                else {
                    continue;
                };
                b.set_class_name("link-box");
                let _ = b.set_attribute("data-link", e.role.key());
                let _ = b.set_attribute("data-annotation-id", &e.id);
                let style = b.style();
                let _ = style.set_property("left", &dom::px(r.left() - origin.left()));
                let _ = style.set_property("top", &dom::px(r.top() - origin.top()));
                let _ = style.set_property("width", &dom::px(r.width()));
                let _ = style.set_property("height", &dom::px(r.height()));
                let _ = layer.append_child(&b);
            }
        }
    }
}
