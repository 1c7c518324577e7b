//! W3C Web Annotation (JSON-LD): the export writes one `Annotation` per
//! span, with a TextQuoteSelector and a TextPositionSelector in code
//! points; the reader takes one, an array, a page or a collection.

use super::export::{export_doc, ExportAnnotation};
use super::import::{Format, ImportError, IncomingAnn, Parser};
use super::read::{err, kind, object, offset, opt_string, string};
use crate::model::AnnotatedDoc;
use serde::Serialize;
use serde_json::Value;

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

/// Reading W3C Web Annotation: one, an array, a page or a collection.
impl Parser {
    pub(super) fn w3c(&mut self, value: Value) -> Result<(), ImportError> {
        self.format = Some(Format::W3c);
        let items: Vec<Value> = match value {
            Value::Array(items) => items,
            Value::Object(o) => match o.get("type").and_then(Value::as_str) {
                Some("AnnotationCollection") => {
                    let page = o
                        .get("first")
                        .or_else(|| o.get("items"))
                        .cloned()
                        .unwrap_or(Value::Null);
                    match page {
                        Value::Object(p) => p
                            .get("items")
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default(),
                        Value::Array(items) => items,
                        _ => {
                            return err(
                                "first",
                                "an AnnotationCollection needs an embedded first page of items",
                            )
                        }
                    }
                }
                Some("AnnotationPage") => o
                    .get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
                _ => vec![Value::Object(o)],
            },
            other => return err("", format!("expected annotations, found {}", kind(&other))),
        };
        for (i, item) in items.iter().enumerate() {
            let at = format!("annotation {}", i + 1);
            let ann = self.w3c_annotation(item, &at)?;
            self.loose.push(ann);
        }
        Ok(())
    }

    fn w3c_annotation(&mut self, item: &Value, at: &str) -> Result<IncomingAnn, ImportError> {
        let o = object(item, at)?;
        let mut ann = IncomingAnn {
            at: at.to_string(),
            ..IncomingAnn::default()
        };
        ann.id = opt_string(o, "id", at)?.map(|id| id.strip_prefix(ANNOTATION_URN).unwrap_or(id).to_string());
        ann.created_at = opt_string(o, "created", at)?.map(str::to_string);
        ann.updated_at = opt_string(o, "modified", at)?.map(str::to_string);
        let bodies: Vec<&Value> = match o.get("body") {
            Some(Value::Array(b)) => b.iter().collect(),
            Some(b) => vec![b],
            None => vec![],
        };
        let mut label_raw = None;
        for b in bodies {
            let Some(b) = b.as_object() else { continue };
            let value = b.get("value").and_then(Value::as_str);
            match b.get("purpose").and_then(Value::as_str) {
                Some("commenting") => ann.note = value.map(str::to_string),
                Some("tagging") | Some("classifying") | None if label_raw.is_none() => label_raw = value,
                _ => {}
            }
        }
        let Some(label_raw) = label_raw else {
            return err(
                format!("{at}: body"),
                "no TextualBody with purpose \"tagging\" gives the label",
            );
        };
        ann.label = self.label(label_raw);
        let target = match o.get("target") {
            Some(Value::Array(t)) => t.first().cloned().unwrap_or(Value::Null),
            Some(t) => t.clone(),
            None => return err(at, "no target"),
        };
        let target = match target {
            Value::Object(t) => t,
            Value::String(source) => {
                return err(
                    format!("{at}: target"),
                    format!("\"{source}\" has no selector to find the text"),
                )
            }
            other => {
                return err(
                    format!("{at}: target"),
                    format!("expected an object, found {}", kind(&other)),
                )
            }
        };
        ann.source = opt_string(&target, "source", at)?.map(str::to_string);
        let selectors: Vec<&Value> = match target.get("selector") {
            Some(Value::Array(s)) => s.iter().collect(),
            Some(s) => vec![s],
            None => vec![],
        };
        for s in selectors {
            let Some(s) = s.as_object() else { continue };
            let here = format!("{at}: selector");
            match s.get("type").and_then(Value::as_str) {
                Some("TextQuoteSelector") => {
                    ann.quote = Some(string(s, "exact", &here)?.to_string());
                    ann.prefix = opt_string(s, "prefix", &here)?.unwrap_or_default().to_string();
                    ann.suffix = opt_string(s, "suffix", &here)?.unwrap_or_default().to_string();
                }
                Some("TextPositionSelector") => {
                    ann.start = Some(offset(s, "start", &here)?);
                    ann.end = Some(offset(s, "end", &here)?);
                }
                _ => {}
            }
        }
        if ann.quote.is_none() && ann.start.is_none() {
            return err(
                format!("{at}: target"),
                "needs a TextQuoteSelector or a TextPositionSelector",
            );
        }
        Ok(ann)
    }
}

#[cfg(test)]
mod tests {
    use crate::formats::import::{parse, Format};

    #[test]
    fn reads_a_quote_only_annotation_and_a_collection() {
        let one = r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": "place"},
                     {"type": "TextualBody", "purpose": "commenting", "value": "العاصمة"}],
            "target": {"selector": {"type": "TextQuoteSelector", "exact": "موسكو", "prefix": "إلى ", "suffix": ""}}}"#;
        let read = parse(one).unwrap();
        assert_eq!(read.format, Format::W3c);
        let a = &read.loose[0];
        assert_eq!(a.quote.as_deref(), Some("موسكو"));
        assert_eq!(a.prefix, "إلى ");
        assert_eq!((a.start, a.end), (None, None));
        assert_eq!(a.label, Some(crate::model::Label::PLACE));
        assert_eq!(a.note.as_deref(), Some("العاصمة"));
        let collection = format!(
            r#"{{"type": "AnnotationCollection", "first": {{"type": "AnnotationPage", "items": [{one}, {one}]}}}}"#
        );
        assert_eq!(parse(&collection).unwrap().loose.len(), 2);
    }

    #[test]
    fn a_target_without_selectors_is_refused_with_its_place() {
        let e = parse(r#"[{"type": "Annotation", "body": {"type": "TextualBody", "value": "person"}, "target": {"source": "urn:x"}}]"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "annotation 1: target: needs a TextQuoteSelector or a TextPositionSelector"
        );
    }
}
