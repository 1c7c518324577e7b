//! The Hashiya export format, version 1 (documented in the README).

use super::import::{Format, ImportError, Incoming, IncomingAnn, Parser};
use super::links::{attach, checked_source, IncomingRelation};
use super::read::{array, err, indexed, object, offset, opt_string, string};
use crate::model::{AnnotatedDoc, Annotation, DocStatus, Document, Label, Orphan, RelationKind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The version of the Hashiya JSON written now: 2 added claims' `verdict`
/// and `source` and each document's `relations` (a version-1 reader would
/// drop them unseen, so it is told the file is newer).
pub const VERSION: u32 = 2;

/// Code points of context kept on each side of a quote.
pub const CONTEXT: usize = 32;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported_at: String,
    pub documents: Vec<ExportDoc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportDoc {
    pub doc_id: String,
    pub title: String,
    pub lang: String,
    pub dir: String,
    pub text: String,
    pub annotations: Vec<ExportAnnotation>,
    /// Claims' links, each from a claim to an annotation of this document.
    #[serde(default)]
    pub relations: Vec<ExportRelation>,
    /// Annotations that lost their place when the text changed, with the
    /// offsets, quote and context they had on the old text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<Orphan>,
    /// `new`, `in-progress` or `done` (see `DocStatus`).
    #[serde(default)]
    pub status: String,
}

/// An article as the writers take it: its annotations, the orphans to
/// keep, and whether the annotator marked it done.
#[derive(Clone, Copy)]
pub struct Exported<'a> {
    pub ad: &'a AnnotatedDoc,
    pub orphans: &'a [Orphan],
    pub done: bool,
}

impl Exported<'_> {
    pub fn status(&self) -> DocStatus {
        DocStatus::of(self.done, !self.ad.annotations().is_empty())
    }
}

impl<'a> From<&'a AnnotatedDoc> for Exported<'a> {
    fn from(ad: &'a AnnotatedDoc) -> Exported<'a> {
        Exported {
            ad,
            orphans: &[],
            done: false,
        }
    }
}

impl<'a> From<(&'a AnnotatedDoc, &'a [Orphan])> for Exported<'a> {
    fn from((ad, orphans): (&'a AnnotatedDoc, &'a [Orphan])) -> Exported<'a> {
        Exported {
            ad,
            orphans,
            done: false,
        }
    }
}

/// One annotation as exported (`documents[].annotations[]` in Hashiya JSON)
/// and as hosts hear of it: offsets in code points and in UTF-16 units, the
/// quote with its context, and a claim's verdict and source.
///
/// ```
/// use hashiya::ExportAnnotation;
///
/// fn line(a: &ExportAnnotation) -> String {
///     format!("{} «{}» at {}..{}", a.label.key(), a.quote, a.start, a.end)
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportAnnotation {
    pub id: String,
    pub label: Label,
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub utf16_start: usize,
    pub utf16_end: usize,
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// A claim's verdict id and evidence link (null elsewhere or unset).
    #[serde(default)]
    pub verdict: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// A claim's link as exported (`documents[].relations[]`): `from` is the
/// claim, `to` its speaker (a person) or a subject.
///
/// ```
/// use hashiya::ExportRelation;
///
/// fn is_speaker_of(r: &ExportRelation, claim: &str) -> bool {
///     r.from == claim && r.kind == hashiya::RelationKind::Speaker
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportRelation {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: RelationKind,
    pub from: String,
    pub to: String,
    pub created_at: String,
    pub updated_at: String,
}

/// One document with its annotations in reading order.
pub fn export_doc(d: &AnnotatedDoc) -> ExportDoc {
    export_doc_with(d, &[])
}

/// One document, its annotations and its orphans.
pub fn export_doc_with(d: &AnnotatedDoc, orphans: &[Orphan]) -> ExportDoc {
    export_item((d, orphans).into())
}

/// One article, its orphans and its status, as exported.
pub fn export_item(e: Exported) -> ExportDoc {
    let (d, orphans) = (e.ad, e.orphans);
    let doc = &d.doc;
    ExportDoc {
        doc_id: doc.id.clone(),
        title: doc.title().to_string(),
        lang: doc.lang.clone(),
        dir: doc.dir.clone(),
        text: doc.text().to_string(),
        annotations: d.annotations().iter().map(|a| export_annotation(d, a)).collect(),
        relations: export_relations(d),
        orphans: orphans.to_vec(),
        status: e.status().key().to_string(),
    }
}

pub fn export_annotation(d: &AnnotatedDoc, a: &Annotation) -> ExportAnnotation {
    let doc = &d.doc;
    // the two edges are found once; the context and the UTF-16 end are
    // counted from them (exporting 20,000 annotations walks no block twice)
    let text = doc.text();
    let start = doc.byte_of(a.start);
    let end = start
        + text[start..]
            .char_indices()
            .nth(a.end - a.start)
            .map_or(text.len() - start, |(b, _)| b);
    let quote = &text[start..end];
    let before = &text[..start];
    let prefix_start = before.char_indices().rev().nth(CONTEXT - 1).map_or(0, |(b, _)| b);
    let after = &text[end..];
    let suffix_end = after.char_indices().nth(CONTEXT).map_or(after.len(), |(b, _)| b);
    let utf16_start = doc.utf16_of(a.start);
    ExportAnnotation {
        id: a.id.clone(),
        label: a.label,
        start: a.start,
        end: a.end,
        quote: quote.to_string(),
        prefix: before[prefix_start..].to_string(),
        suffix: after[..suffix_end].to_string(),
        utf16_start,
        utf16_end: utf16_start + quote.encode_utf16().count(),
        note: a.note.clone(),
        created_at: a.created_at.clone(),
        updated_at: a.updated_at.clone(),
        verdict: a.claim.verdict.clone(),
        source: a.claim.source.clone(),
    }
}

/// Every claim's links in reading order of the claims, skipping any whose
/// end is not in the document (another tab may have deleted it).
pub fn export_relations(d: &AnnotatedDoc) -> Vec<ExportRelation> {
    let mut out = vec![];
    let has_links = d.annotations().iter().any(|a| !a.claim.relations.is_empty());
    // looked up in a set: one scan of the list per export, not one per link
    let ids: rustc_hash::FxHashSet<&str> = match has_links {
        true => d.annotations().iter().map(|a| a.id.as_str()).collect(),
        false => Default::default(),
    };
    for a in d.annotations().iter() {
        for r in a.claim.relations.iter().filter(|r| ids.contains(r.to.as_str())) {
            out.push(ExportRelation {
                id: r.id.clone(),
                kind: r.kind,
                from: a.id.clone(),
                to: r.to.clone(),
                created_at: r.created_at.clone(),
                updated_at: r.updated_at.clone(),
            });
        }
    }
    out
}

/// Every document (with its orphans), as pretty JSON.
pub fn export_json<'a, E: Into<Exported<'a>>>(docs: impl IntoIterator<Item = E>, now: &str) -> String {
    let export = Export {
        format: "hashiya".into(),
        version: VERSION,
        exported_at: now.into(),
        documents: docs.into_iter().map(|e| export_item(e.into())).collect(),
    };
    serde_json::to_string_pretty(&export).expect("export is plain data")
}

/// Reading Hashiya JSON (format versions 1 and 2), beside its writer.
impl Parser {
    pub(super) fn hashiya(&mut self, o: &Map<String, Value>) -> Result<(), ImportError> {
        self.format = Some(Format::Hashiya);
        match o.get("version").and_then(Value::as_u64) {
            Some(v) if v == 1 || v == u64::from(VERSION) => {}
            other => {
                return err(
                    "version",
                    format!("version {other:?} is not supported (expected 1 or {VERSION})"),
                )
            }
        }
        let docs = array(o, "documents", "documents")?;
        for (i, d) in docs.iter().enumerate() {
            let at = format!("documents[{i}]");
            let d = object(d, &at)?;
            let text = string(d, "text", &at)?.to_string();
            let doc_id = opt_string(d, "doc_id", &at)?.map(str::to_string);
            let mut anns = vec![];
            let list = format!("{at}.annotations");
            for (j, a) in array(d, "annotations", &list)?.iter().enumerate() {
                let at = indexed(&list, j);
                let a = object(a, &at)?;
                let id = string(a, "id", &at)?.to_string();
                anns.push(self.hashiya_annotation(a, id, at)?);
            }
            let rels = match d.get("relations") {
                None | Some(Value::Null) => vec![],
                Some(_) => relations(d, &at)?,
            };
            attach(&mut anns, rels)?;
            self.push_doc(at.clone(), doc_id, text, anns);
            self.read_status(d, &at, false)?;
        }
        Ok(())
    }

    /// One annotation in the shape Hashiya JSON writes, its id already read.
    fn hashiya_annotation(
        &mut self,
        a: &Map<String, Value>,
        id: String,
        at: String,
    ) -> Result<IncomingAnn, ImportError> {
        let fields = AnnFields::read(a, &at)?;
        self.annotation_from(fields, id, at)
    }

    /// An annotation from its fields, read from a JSON value or straight
    /// from the text (`typed`): what both readers check beyond the types.
    pub(super) fn annotation_from(
        &mut self,
        f: AnnFields<'_>,
        id: String,
        at: String,
    ) -> Result<IncomingAnn, ImportError> {
        let owned = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        let source = match f.source.filter(|s| !s.trim().is_empty()) {
            // the place is spelled out only for a source there is
            Some(raw) => checked_source(Some(&raw), &format!("{at}.source"))?,
            None => None,
        };
        let mut ann = IncomingAnn {
            id: Some(id),
            label: self.label(&f.label),
            start: Some(f.start),
            end: Some(f.end),
            quote: owned(f.quote),
            prefix: owned(f.prefix).unwrap_or_default(),
            suffix: owned(f.suffix).unwrap_or_default(),
            note: owned(f.note),
            created_at: owned(f.created_at),
            updated_at: owned(f.updated_at),
            source: None,
            claim: Default::default(),
            at,
        };
        ann.claim.verdict = owned(f.verdict.filter(|v| !v.trim().is_empty()));
        ann.claim.source = source;
        Ok(ann)
    }
}

/// The fields of an annotation in the shape Hashiya JSON writes, their
/// types checked (its id is read apart: the rule for it depends on where
/// the annotation is).
#[derive(Debug)]
pub(super) struct AnnFields<'a> {
    pub label: Cow<'a, str>,
    pub start: usize,
    pub end: usize,
    pub quote: Option<Cow<'a, str>>,
    pub prefix: Option<Cow<'a, str>>,
    pub suffix: Option<Cow<'a, str>>,
    pub note: Option<Cow<'a, str>>,
    pub created_at: Option<Cow<'a, str>>,
    pub updated_at: Option<Cow<'a, str>>,
    pub verdict: Option<Cow<'a, str>>,
    pub source: Option<Cow<'a, str>>,
}

impl<'a> AnnFields<'a> {
    /// Reads the fields from a JSON object, in this order, with an error
    /// that names the first one of the wrong type.
    fn read(a: &'a Map<String, Value>, at: &str) -> Result<Self, ImportError> {
        let opt = |key| opt_string(a, key, at).map(|s| s.map(Cow::Borrowed));
        Ok(AnnFields {
            label: Cow::Borrowed(string(a, "label", at)?),
            start: offset(a, "start", at)?,
            end: offset(a, "end", at)?,
            quote: opt("quote")?,
            prefix: opt("prefix")?,
            suffix: opt("suffix")?,
            note: opt("note")?,
            created_at: opt("created_at")?,
            updated_at: opt("updated_at")?,
            verdict: opt("verdict")?,
            source: opt("source")?,
        })
    }
}

/// A document's `relations` in the shape Hashiya JSON writes.
fn relations(d: &Map<String, Value>, at: &str) -> Result<Vec<IncomingRelation>, ImportError> {
    let mut out = vec![];
    for (k, r) in array(d, "relations", &format!("{at}.relations"))?
        .iter()
        .enumerate()
    {
        let at = format!("{at}.relations[{k}]");
        let r = object(r, &at)?;
        out.push(IncomingRelation {
            id: string(r, "id", &at)?.to_string(),
            kind: string(r, "type", &at)?.to_string(),
            from: string(r, "from", &at)?.to_string(),
            to: string(r, "to", &at)?.to_string(),
            created_at: opt_string(r, "created_at", &at)?.map(str::to_string),
            updated_at: opt_string(r, "updated_at", &at)?.map(str::to_string),
            at,
        });
    }
    Ok(out)
}

/// Reads a host's list of annotations for `doc` (the embed's
/// `setAnnotations`): each in the shape Hashiya JSON writes, except that the
/// id may be left out (`new_id` names one) and an unknown label is an error,
/// not skipped. Places are named `list[i]…`.
pub fn read_list(
    list: &str,
    doc: &Document,
    labels: &[Label],
    mut new_id: impl FnMut() -> String,
) -> Result<Incoming, ImportError> {
    // the fast way gives up on any error, and the way below then says where
    match super::typed::list(list, labels, &mut new_id) {
        Some(anns) => list_read(anns, doc, labels),
        None => read_list_by_value(list, doc, labels, new_id),
    }
}

/// The annotations of a host's list as one article's, as read.
fn list_read(anns: Vec<IncomingAnn>, doc: &Document, labels: &[Label]) -> Result<Incoming, ImportError> {
    let mut p = Parser::for_labels(labels);
    p.format = Some(Format::Hashiya);
    p.push_doc("list".into(), Some(doc.id.clone()), doc.text().to_string(), anns);
    p.finish()
}

/// `read_list` through `serde_json::Value`, with errors that say where:
/// the same answer, slower. For the tests that hold the two ways to one.
#[doc(hidden)]
pub fn read_list_by_value(
    list: &str,
    doc: &Document,
    labels: &[Label],
    mut new_id: impl FnMut() -> String,
) -> Result<Incoming, ImportError> {
    let items: Vec<Value> = serde_json::from_str(list)
        .or_else(|e| err("list", format!("must be a JSON array of annotations ({e})")))?;
    let mut p = Parser::for_labels(labels);
    let mut anns = vec![];
    for (i, item) in items.iter().enumerate() {
        let at = indexed("list", i);
        let a = object(item, &at)?;
        let id = opt_string(a, "id", &at)?.map_or_else(&mut new_id, str::to_string);
        let ann = p.hashiya_annotation(a, id, at.clone())?;
        if ann.label.is_none() {
            let ours: Vec<&str> = labels.iter().map(|l| l.key()).collect();
            let raw = string(a, "label", &at)?;
            return err(
                format!("{at}.label"),
                format!("unknown label {raw:?}; this widget has: {}", ours.join(", ")),
            );
        }
        anns.push(ann);
    }
    list_read(anns, doc, labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleDraft, Document};
    use std::rc::Rc;

    /// An article with an emoji in its heading and one person.
    fn emoji_doc() -> AnnotatedDoc {
        let doc = Document::new(
            "d",
            ArticleDraft {
                heading: "😀 عنوان".into(),
                paragraphs: vec!["قال جون كيري".into()],
                source: None,
            },
        );
        let ann = Annotation {
            id: "a1".into(),
            label: Label::PERSON,
            start: 12,
            end: 20,
            note: Some("وزير".into()),
            created_at: "2026-01-01T00:00:00.000Z".into(),
            updated_at: "2026-01-01T00:00:00.000Z".into(),
            claim: Default::default(),
        };
        AnnotatedDoc::new(Rc::new(doc), vec![ann])
    }

    #[test]
    fn quotes_and_both_offset_kinds_agree_after_an_emoji() {
        let d = emoji_doc();
        let json = export_json([(&d, &[][..])], "2026-11-29T00:00:00.000Z");
        let back: Export = serde_json::from_str(&json).unwrap();
        assert_eq!(back.format, "hashiya");
        let a = &back.documents[0].annotations[0];
        assert_eq!(a.quote, "جون كيري");
        assert_eq!((a.utf16_start, a.utf16_end), (13, 21));
        assert_eq!(a.prefix, "😀 عنوان\nقال ");
        assert_eq!(a.suffix, "");
        let text16: Vec<u16> = back.documents[0].text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&text16[13..21]).unwrap(), "جون كيري");
        assert!(json.contains("\"label\": \"person\""));
        assert!(json.contains("\"dir\": \"rtl\""));
    }

    #[test]
    fn the_reader_takes_what_the_writer_wrote_and_names_the_place_of_an_error() {
        use crate::formats::import::{parse, Format};
        let d = emoji_doc();
        let json = export_json([(&d, &[][..])], "2026-01-01T00:00:00Z");
        let read = parse(&json).unwrap();
        assert_eq!(read.format, Format::Hashiya);
        let doc = &read.docs[0];
        assert_eq!(doc.text, d.doc.text());
        assert_eq!(doc.anns[0].start, Some(12));
        assert_eq!(doc.anns[0].id.as_deref(), Some("a1"));
        let broken = json.replacen("\"end\": ", "\"end\": -", 1);
        let e = parse(&broken).unwrap_err().to_string();
        assert!(e.starts_with("documents[0].annotations[0].end"), "{e}");
    }

    #[test]
    fn relations_verdicts_and_sources_read_back_and_bad_links_are_named() {
        use crate::formats::import::parse;
        use crate::model::{Relation, RelationKind};
        let mut d = emoji_doc();
        let mut claim = Annotation::new("c1", Label::CLAIM, 6, 20, "2026-01-01T00:00:00.000Z");
        claim.claim.verdict = Some("false".into());
        claim.claim.source = Some("https://example.org/تحقق".into());
        claim.claim.link(Relation {
            id: "r1".into(),
            kind: RelationKind::Speaker,
            to: "a1".into(),
            created_at: "c".into(),
            updated_at: "u".into(),
        });
        d.put(claim.clone());
        let json = export_json([(&d, &[][..])], "2026-01-01T00:00:00Z");
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["version"], 2);
        assert_eq!(v["documents"][0]["relations"][0]["type"], "speaker");
        assert_eq!(v["documents"][0]["relations"][0]["from"], "c1");
        assert_eq!(
            v["documents"][0]["annotations"][1]["verdict"],
            Value::Null,
            "null when unset"
        );
        let read = parse(&json).unwrap();
        let c = read.docs[0]
            .anns
            .iter()
            .find(|a| a.id.as_deref() == Some("c1"))
            .unwrap();
        assert_eq!(c.claim, claim.claim);
        let bad = |from: &str, to: &str, path: &str| {
            let broken = json
                .replacen("\"from\": \"c1\"", &format!("\"from\": \"{from}\""), 1)
                .replacen("\"to\": \"a1\"", &format!("\"to\": \"{to}\""), 1);
            let e = parse(&broken).unwrap_err();
            assert_eq!(e.at, path, "{e}");
            e.detail
        };
        assert!(bad("c1", "gone", "documents[0].relations[0]").contains("no annotation \"gone\""));
        assert!(bad("a1", "c1", "documents[0].relations[0]").contains("not a claim"));
        assert!(bad("c1", "c1", "documents[0].relations[0]").contains("ends at a person"));
        let js = json.replacen("https://example.org/تحقق", "javascript:alert(1)", 1);
        assert_eq!(parse(&js).unwrap_err().at, "documents[0].annotations[0].source");
        // version 1 files (no relations, no verdicts) still read
        let v1 = json.replacen("\"version\": 2", "\"version\": 1", 1);
        assert!(parse(&v1).is_ok());
        assert!(parse(&json.replacen("\"version\": 2", "\"version\": 3", 1)).is_err());
    }

    #[test]
    fn a_hosts_list_names_missing_ids_and_refuses_unknown_labels_by_place() {
        let d = emoji_doc();
        let labels = [Label::PERSON, Label::PLACE];
        let mut n = 0;
        let mut ids = || {
            n += 1;
            format!("new-{n}")
        };
        let list = r#"[{"start": 12, "end": 15, "label": "person"}, {"id": "x", "start": 1, "end": 3, "label": "place"}]"#;
        let read = read_list(list, &d.doc, &labels, &mut ids).unwrap();
        let ids: Vec<_> = read.docs[0].anns.iter().map(|a| a.id.clone().unwrap()).collect();
        assert_eq!(ids, ["new-1", "x"]);
        assert_eq!(read.docs[0].doc_id.as_deref(), Some(d.doc.id.as_str()));
        let unknown = r#"[{"start": 1, "end": 3, "label": "place"}, {"start": 1, "end": 3, "label": "org"}]"#;
        let e = read_list(unknown, &d.doc, &labels, || "i".into()).unwrap_err();
        assert_eq!(e.at, "list[1].label");
        assert!(e.detail.contains("person, place"), "{e}");
        let e = read_list(
            r#"[{"start": -1, "end": 3, "label": "place"}]"#,
            &d.doc,
            &labels,
            || "i".into(),
        );
        assert_eq!(e.unwrap_err().at, "list[0].start");
        let e = read_list(r#""not a list""#, &d.doc, &labels, || "i".into()).unwrap_err();
        assert_eq!(e.at, "list");
    }
}
