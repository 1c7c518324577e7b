//! W3C Web Annotation export (JSON-LD): one `Annotation` per span, with a
//! TextQuoteSelector and a TextPositionSelector in code points.

use super::export::{export_doc, ExportAnnotation};
use crate::model::AnnotatedDoc;
use serde_json::{json, Value};

pub const CONTEXT_IRI: &str = "http://www.w3.org/ns/anno.jsonld";
/// Ids are URNs so they stay valid IRIs; the part after the prefix is ours.
pub const ANNOTATION_URN: &str = "urn:x-hashiya:annotation:";
pub const DOC_URN: &str = "urn:x-hashiya:doc:";

fn annotation(doc_id: &str, a: &ExportAnnotation) -> Value {
    let mut body = vec![json!({"type": "TextualBody", "purpose": "tagging", "value": a.label.key()})];
    if let Some(note) = &a.note {
        body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": note}));
    }
    json!({
        "@context": CONTEXT_IRI,
        "id": format!("{ANNOTATION_URN}{}", a.id),
        "type": "Annotation",
        "created": a.created_at,
        "modified": a.updated_at,
        "body": body,
        "target": {
            "source": format!("{DOC_URN}{doc_id}"),
            "selector": [
                {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix},
                {"type": "TextPositionSelector", "start": a.start, "end": a.end}
            ]
        }
    })
}

/// Every annotation of every document as one AnnotationCollection.
pub fn export_w3c<'a>(docs: impl IntoIterator<Item = &'a AnnotatedDoc>) -> String {
    let items: Vec<Value> = docs
        .into_iter()
        .map(export_doc)
        .flat_map(|d| {
            d.annotations
                .iter()
                .map(|a| annotation(&d.doc_id, a))
                .collect::<Vec<_>>()
        })
        .collect();
    let collection = json!({
        "@context": CONTEXT_IRI,
        "type": "AnnotationCollection",
        "label": "Hashiya annotations",
        "total": items.len(),
        "first": {"type": "AnnotationPage", "items": items}
    });
    serde_json::to_string_pretty(&collection).expect("plain data")
}
