//! W3C Web Annotation export (JSON-LD): one `Annotation` per span, with a
//! TextQuoteSelector and a TextPositionSelector in code points.

use super::export::{export_doc, ExportAnnotation};
use crate::model::AnnotatedDoc;
use serde::Serialize;

pub const CONTEXT_IRI: &str = "http://www.w3.org/ns/anno.jsonld";
/// Ids are URNs so they stay valid IRIs; the part after the prefix is ours.
pub const ANNOTATION_URN: &str = "urn:x-hashiya:annotation:";
pub const DOC_URN: &str = "urn:x-hashiya:doc:";

#[derive(Serialize)]
struct Collection {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'static str,
    total: usize,
    first: Page,
}

#[derive(Serialize)]
struct Page {
    #[serde(rename = "type")]
    kind: &'static str,
    items: Vec<Annotation>,
}

#[derive(Serialize)]
struct Annotation {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    created: String,
    modified: String,
    body: Vec<Body>,
    target: Target,
}

#[derive(Serialize)]
struct Body {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Target {
    source: String,
    selector: (QuoteSelector, PositionSelector),
}

#[derive(Serialize)]
struct QuoteSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: String,
    prefix: String,
    suffix: String,
}

#[derive(Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

fn annotation(doc_id: &str, a: ExportAnnotation) -> Annotation {
    let mut body = vec![Body {
        kind: "TextualBody",
        purpose: "tagging",
        value: a.label.key().to_string(),
    }];
    if let Some(note) = a.note {
        body.push(Body {
            kind: "TextualBody",
            purpose: "commenting",
            value: note,
        });
    }
    Annotation {
        context: CONTEXT_IRI,
        id: format!("{ANNOTATION_URN}{}", a.id),
        kind: "Annotation",
        created: a.created_at,
        modified: a.updated_at,
        body,
        target: Target {
            source: format!("{DOC_URN}{doc_id}"),
            selector: (
                QuoteSelector {
                    kind: "TextQuoteSelector",
                    exact: a.quote,
                    prefix: a.prefix,
                    suffix: a.suffix,
                },
                PositionSelector {
                    kind: "TextPositionSelector",
                    start: a.start,
                    end: a.end,
                },
            ),
        },
    }
}

/// Every annotation of every document as one AnnotationCollection.
pub fn export_w3c<'a>(docs: impl IntoIterator<Item = &'a AnnotatedDoc>) -> String {
    let items: Vec<Annotation> = docs
        .into_iter()
        .map(export_doc)
        .flat_map(|d| {
            let id = d.doc_id;
            d.annotations.into_iter().map(move |a| annotation(&id, a))
        })
        .collect();
    let collection = Collection {
        context: CONTEXT_IRI,
        kind: "AnnotationCollection",
        label: "Hashiya annotations",
        total: items.len(),
        first: Page {
            kind: "AnnotationPage",
            items,
        },
    };
    serde_json::to_string_pretty(&collection).expect("plain data")
}
