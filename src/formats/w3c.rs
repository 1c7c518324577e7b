//! W3C Web Annotation (JSON-LD): the export writes one `Annotation` per
//! span, with a TextQuoteSelector and a TextPositionSelector in code
//! points, its label (`tagging`), note (`commenting`), a claim's verdict
//! (`assessing`) and source (a `linking` SpecificResource) as bodies; and
//! one `linking` Annotation per relation, whose targets are the two spans
//! it joins. The reader takes one, an array, a page or a collection.

use super::export::{export_item, ExportAnnotation, ExportRelation, Exported};
use super::import::{Format, ImportError, IncomingAnn, Parser};
use super::links::{checked_source, made_up_relation_id, IncomingRelation, LooseRelation};
use super::read::{self, err, kind, object, offset, opt_string, string};
use serde::Serialize;
use serde_json::{Map, Value};

pub const CONTEXT_IRI: &str = "http://www.w3.org/ns/anno.jsonld";
/// Ids are URNs so they stay valid IRIs; the part after the prefix is ours.
pub const ANNOTATION_URN: &str = "urn:x-hashiya:annotation:";
pub const RELATION_URN: &str = "urn:x-hashiya:relation:";
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
    /// Each article's status: a member property of the collection, as
    /// annotations carry no article of their own.
    #[serde(rename = "hashiya:documents")]
    documents: Vec<DocStatusItem>,
}

#[derive(Serialize)]
struct DocStatusItem {
    id: String,
    status: String,
}

#[derive(Serialize)]
struct Page {
    #[serde(rename = "type")]
    kind: &'static str,
    items: Vec<Item>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Item {
    Span(Annotation),
    Link(Link),
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

/// A TextualBody (`value`) or, for a claim's source, a SpecificResource
/// whose `source` is the link (the model's purpose for external resources).
#[derive(Serialize)]
struct Body {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

impl Body {
    fn text(purpose: &'static str, value: String) -> Body {
        Body {
            kind: "TextualBody",
            purpose,
            value: Some(value),
            source: None,
        }
    }
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

/// A claim's relation: `motivation: linking`, its type as a `classifying`
/// body, and as targets the claim, then the annotation it links to.
#[derive(Serialize)]
struct Link {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    created: String,
    modified: String,
    body: Body,
    target: [End; 2],
}

/// An end of a link: the annotation, scoped to its article, because ids are
/// only unique within one article.
#[derive(Serialize)]
struct End {
    #[serde(rename = "type")]
    kind: &'static str,
    source: String,
    scope: String,
}

fn annotation(doc_id: &str, a: ExportAnnotation) -> Annotation {
    let mut body = vec![Body::text("tagging", a.label.key().to_string())];
    if let Some(note) = a.note {
        body.push(Body::text("commenting", note));
    }
    if let Some(verdict) = a.verdict {
        body.push(Body::text("assessing", verdict));
    }
    if let Some(url) = a.source {
        body.push(Body {
            kind: "SpecificResource",
            purpose: "linking",
            value: None,
            source: Some(url),
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

fn link(doc_id: &str, r: ExportRelation) -> Link {
    let end = |id: &str| End {
        kind: "SpecificResource",
        source: format!("{ANNOTATION_URN}{id}"),
        scope: format!("{DOC_URN}{doc_id}"),
    };
    Link {
        context: CONTEXT_IRI,
        id: format!("{RELATION_URN}{}", r.id),
        kind: "Annotation",
        motivation: "linking",
        created: r.created_at,
        modified: r.updated_at,
        body: Body::text("classifying", r.kind.key().to_string()),
        target: [end(&r.from), end(&r.to)],
    }
}

/// Every annotation of every document as one AnnotationCollection, each
/// document's relations after its annotations.
pub fn export_w3c<'a, E: Into<Exported<'a>>>(docs: impl IntoIterator<Item = E>) -> String {
    let mut items: Vec<Item> = vec![];
    let mut documents = vec![];
    for d in docs.into_iter().map(|e| export_item(e.into())) {
        let id = d.doc_id;
        documents.push(DocStatusItem {
            id: format!("{DOC_URN}{id}"),
            status: d.status,
        });
        items.extend(d.annotations.into_iter().map(|a| Item::Span(annotation(&id, a))));
        items.extend(d.relations.into_iter().map(|r| Item::Link(link(&id, r))));
    }
    let collection = Collection {
        context: CONTEXT_IRI,
        kind: "AnnotationCollection",
        label: "Hashiya annotations",
        total: items.len(),
        first: Page {
            kind: "AnnotationPage",
            items,
        },
        documents,
    };
    serde_json::to_string_pretty(&collection).expect("plain data")
}

/// Reading W3C Web Annotation: one, an array, a page or a collection.
impl Parser {
    /// The articles' statuses a collection carries (`hashiya:documents`).
    fn w3c_statuses(&mut self, o: &Map<String, Value>) -> Result<(), ImportError> {
        let Some(list) = o.get("hashiya:documents") else {
            return Ok(());
        };
        let Some(list) = list.as_array() else {
            return err(
                "hashiya:documents",
                format!("expected an array, found {}", kind(list)),
            );
        };
        for (i, item) in list.iter().enumerate() {
            let at = format!("hashiya:documents[{i}]");
            let item = object(item, &at)?;
            let id = string(item, "id", &at)?;
            let Some(doc_id) = id.strip_prefix(DOC_URN) else {
                return err(format!("{at}.id"), format!("expected {DOC_URN}…, found {id:?}"));
            };
            let status = read::status(string(item, "status", &at)?, &at)?;
            self.statuses
                .push((doc_id.to_string(), status == crate::model::DocStatus::Done));
        }
        Ok(())
    }

    pub(super) fn w3c(&mut self, value: Value) -> Result<(), ImportError> {
        self.format = Some(Format::W3c);
        let items: Vec<Value> = match value {
            Value::Array(items) => items,
            Value::Object(o) => match o.get("type").and_then(Value::as_str) {
                Some("AnnotationCollection") => {
                    self.w3c_statuses(&o)?;
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
            if is_link(item) {
                if let Some(rel) = self.w3c_link(item, &at)? {
                    self.loose_relations.push(rel);
                }
            } else {
                let ann = self.w3c_annotation(item, &at)?;
                self.loose.push(ann);
            }
        }
        Ok(())
    }

    /// A `linking` annotation between two annotations: its type from its
    /// body's value (another tool's type is skipped and counted), its ends
    /// from its two targets. `None` when skipped.
    fn w3c_link(&mut self, item: &Value, at: &str) -> Result<Option<LooseRelation>, ImportError> {
        let o = object(item, at)?;
        let kind_raw = bodies(o)
            .into_iter()
            .filter_map(Value::as_object)
            .find_map(|b| b.get("value").and_then(Value::as_str));
        let Some(kind_raw) = kind_raw else {
            return err(
                format!("{at}: body"),
                "a linking annotation needs a TextualBody that names the link (speaker or about)",
            );
        };
        let [(from, from_scope), (to, to_scope)] = link_ends(o, at)?;
        let id = opt_string(o, "id", at)?.map(|id| id.strip_prefix(RELATION_URN).unwrap_or(id).to_string());
        let created_at = opt_string(o, "created", at)?.map(str::to_string);
        let updated_at = opt_string(o, "modified", at)?.map(str::to_string);
        let Some(kind) = self.relation_type(kind_raw) else {
            return Ok(None);
        };
        Ok(Some(LooseRelation {
            rel: IncomingRelation {
                at: at.to_string(),
                id: id.unwrap_or_else(|| made_up_relation_id(&from, kind.key(), &to)),
                kind: kind.key().to_string(),
                from,
                to,
                created_at,
                updated_at,
            },
            from_scope,
            to_scope,
        }))
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
        let mut label_raw = None;
        let body_at = format!("{at}: body");
        for b in bodies(o) {
            let Some(b) = b.as_object() else { continue };
            let value = b.get("value").and_then(Value::as_str);
            match b.get("purpose").and_then(Value::as_str) {
                Some("commenting") => ann.note = value.map(str::to_string),
                Some("assessing") => {
                    ann.claim.verdict = opt_string(b, "value", &body_at)?
                        .filter(|v| !v.trim().is_empty())
                        .map(str::to_string)
                }
                Some("linking") => {
                    // a SpecificResource names its resource `source`, an
                    // external resource its `id`
                    let raw = match opt_string(b, "source", &body_at)? {
                        Some(url) => Some(url),
                        None => opt_string(b, "id", &body_at)?,
                    };
                    ann.claim.source = checked_source(raw, &format!("{body_at}.source"))?;
                }
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

/// Whether an item is a link between annotations (`motivation: linking`).
fn is_link(item: &Value) -> bool {
    match item.get("motivation") {
        Some(Value::String(m)) => m == "linking",
        Some(Value::Array(ms)) => ms.iter().any(|m| m.as_str() == Some("linking")),
        _ => false,
    }
}

fn bodies(o: &Map<String, Value>) -> Vec<&Value> {
    match o.get("body") {
        Some(Value::Array(b)) => b.iter().collect(),
        Some(b) => vec![b],
        None => vec![],
    }
}

/// A link's two targets: each an annotation's id (an IRI), or a
/// SpecificResource with the id as `source` and its article as `scope`.
fn link_ends(o: &Map<String, Value>, at: &str) -> Result<[(String, Option<String>); 2], ImportError> {
    let wrong = || {
        err(
            format!("{at}: target"),
            "a link's target is the two annotations it joins: their ids, or SpecificResources with the id as source",
        )
    };
    let end = |t: &Value| -> Option<(String, Option<String>)> {
        let (iri, scope) = match t {
            Value::String(iri) => (iri.as_str(), None),
            Value::Object(t) => (
                t.get("source")?.as_str()?,
                match t.get("scope") {
                    None | Some(Value::Null) => None,
                    Some(s) => Some(s.as_str()?.to_string()),
                },
            ),
            _ => return None,
        };
        Some((iri.strip_prefix(ANNOTATION_URN).unwrap_or(iri).to_string(), scope))
    };
    let Some(Value::Array(targets)) = o.get("target") else {
        return wrong();
    };
    match targets.as_slice() {
        [a, b] => match (end(a), end(b)) {
            (Some(a), Some(b)) => Ok([a, b]),
            _ => wrong(),
        },
        _ => wrong(),
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

    mod links {
        use crate::formats::import::{parse, plan, Shown};
        use crate::formats::w3c::export_w3c;
        use crate::model::{AnnotatedDoc, Annotation, Document, Label, Relation, RelationKind};
        use serde_json::{json, Value};
        use std::rc::Rc;

        const TEXT: &str = "عنوان\nقال جون كيري إن موسكو مستعدة.";

        fn ann(id: &str, label: Label, needle: &str) -> Annotation {
            crate::model::claim::fixtures::ann_at(TEXT, id, label, needle)
        }

        fn rel(id: &str, kind: RelationKind, to: &str) -> Relation {
            crate::model::claim::fixtures::relation(id, kind, to)
        }

        /// A person, a place and a claim by the person about the place, with a
        /// verdict and a source.
        fn checked(doc_id: &str) -> AnnotatedDoc {
            let mut claim = ann("c", Label::CLAIM, "موسكو مستعدة");
            claim.claim.verdict = Some("misleading".into());
            claim.claim.source = Some("https://example.org/تحقق".into());
            claim.claim.link(rel("r1", RelationKind::Speaker, "p"));
            claim.claim.link(rel("r2", RelationKind::About, "m"));
            let doc = Rc::new(Document::from_text(doc_id, TEXT));
            AnnotatedDoc::new(
                doc,
                vec![
                    ann("p", Label::PERSON, "جون كيري"),
                    ann("m", Label::PLACE, "موسكو"),
                    claim,
                ],
            )
        }

        /// Reads `input` onto the articles of `docs`: each article's annotations.
        fn import(input: &str, docs: &[&AnnotatedDoc]) -> Result<Vec<Vec<Annotation>>, String> {
            let shown: Vec<Shown> = docs.iter().map(|d| Shown { doc: &d.doc }).collect();
            let p =
                plan(parse(input).map_err(|e| e.to_string())?, &shown, "now").map_err(|e| e.to_string())?;
            Ok(docs
                .iter()
                .map(|d| {
                    let mut anns = p
                        .existing
                        .iter()
                        .find(|(id, _)| *id == d.doc.id)
                        .map(|(_, a)| a.clone())
                        .unwrap_or_default();
                    Annotation::sort_in_reading_order(&mut anns);
                    anns
                })
                .collect())
        }

        fn owned(d: &AnnotatedDoc) -> Vec<Annotation> {
            d.annotations().iter().map(|a| (**a).clone()).collect()
        }

        #[test]
        fn verdicts_sources_and_links_are_bodies_and_linking_annotations_and_read_back() {
            let d = checked("d");
            let out = export_w3c([&d]);
            let v: Value = serde_json::from_str(&out).unwrap();
            let items = v["first"]["items"].as_array().unwrap();
            assert_eq!(items.len(), 5, "three spans and two links");
            // reading order: the person, the claim, the place it starts with; then the links
            let claim = &items[1];
            assert!(claim["body"]
                .as_array()
                .unwrap()
                .contains(&json!({"type": "TextualBody", "purpose": "assessing", "value": "misleading"})));
            assert!(claim["body"].as_array().unwrap().contains(
                &json!({"type": "SpecificResource", "purpose": "linking", "source": "https://example.org/تحقق"})
            ));
            let link = &items[3];
            assert_eq!(link["motivation"], "linking");
            assert_eq!(link["id"], "urn:x-hashiya:relation:r1");
            assert_eq!(link["body"]["value"], "speaker");
            assert_eq!(link["target"][0]["source"], "urn:x-hashiya:annotation:c");
            assert_eq!(link["target"][1]["source"], "urn:x-hashiya:annotation:p");
            assert_eq!(link["target"][1]["scope"], "urn:x-hashiya:doc:d");
            assert_eq!(import(&out, &[&d]).unwrap(), [owned(&d)]);
        }

        #[test]
        fn ids_shared_by_two_articles_are_told_apart_by_scope() {
            let (a, mut b) = (checked("a"), checked("b"));
            // in the second article the claim's speaker link has another id and no subject
            let mut claim = (**b.get("c").unwrap()).clone();
            claim.claim.relations = vec![rel("other", RelationKind::Speaker, "p")];
            b.put(claim);
            let both = import(&export_w3c([&a, &b]), &[&a, &b]).unwrap();
            assert_eq!(both, [owned(&a), owned(&b)]);
        }

        #[test]
        fn another_tools_links_are_read_in_either_order_and_other_types_are_counted() {
            let d = checked("d");
            let span = |id: &str, label: &str, start: usize, end: usize| {
                json!({"id": id, "type": "Annotation",
                    "body": {"type": "TextualBody", "purpose": "tagging", "value": label},
                    "target": {"source": "urn:x-hashiya:doc:d",
                        "selector": {"type": "TextPositionSelector", "start": start, "end": end}}})
            };
            let (p, c) = (d.get("p").unwrap(), d.get("c").unwrap());
            let input = json!([
                span("http://x.org/p", "PER", p.start, p.end),
                span("http://x.org/c", "claim", c.start, c.end),
                // the person first: the claim is still the start
                {"type": "Annotation", "motivation": ["linking"],
                    "body": {"type": "TextualBody", "value": "Speaker"},
                    "target": ["http://x.org/p", "http://x.org/c"]},
                {"type": "Annotation", "motivation": "linking",
                    "body": {"type": "TextualBody", "value": "quotes"},
                    "target": ["http://x.org/c", "http://x.org/p"]}
            ]);
            let read = parse(&input.to_string()).unwrap();
            assert_eq!(read.skipped_relations.get("quotes"), Some(&1));
            let anns = import(&input.to_string(), &[&d]).unwrap().remove(0);
            let claim = anns.iter().find(|a| a.id == "http://x.org/c").unwrap();
            let speaker = claim.claim.speaker().unwrap();
            assert_eq!(speaker.to, "http://x.org/p");
            assert!(speaker.id.starts_with("rel-"), "a made-up id: {}", speaker.id);
            assert_eq!(speaker.created_at, "now", "no time given: the import's");
        }

        #[test]
        fn a_link_to_a_missing_end_a_speaker_that_is_no_person_and_a_script_source_are_refused_by_place() {
            let d = checked("d");
            let out = export_w3c([&d]);
            let refused = |input: String| import(&input, &[&d]).unwrap_err();
            // the subject's span (the third, after the claim) is left out: its link has no end
            let mut v: Value = serde_json::from_str(&out).unwrap();
            v["first"]["items"].as_array_mut().unwrap().remove(2);
            assert_eq!(
                refused(v.to_string()),
                "annotation 4: no annotation \"m\" in the input"
            );
            // the speaker link made to end at the place
            let mut v: Value = serde_json::from_str(&out).unwrap();
            v["first"]["items"][3]["target"][1]["source"] = json!("urn:x-hashiya:annotation:m");
            assert_eq!(
                refused(v.to_string()),
                "annotation 4: a speaker link ends at a person, and \"m\" is a place"
            );
            let script = out.replace("https://example.org/تحقق", "javascript:alert(1)");
            let e = refused(script);
            assert!(e.starts_with("annotation 2: body.source: only http"), "{e}");
            // a link's targets must be two
            let mut v: Value = serde_json::from_str(&out).unwrap();
            v["first"]["items"][3]["target"].as_array_mut().unwrap().pop();
            assert!(refused(v.to_string()).starts_with("annotation 4: target: "));
        }
    }
}
