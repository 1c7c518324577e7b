//! The Hashiya export format, version 1 (documented in the README).

use super::import::{Format, ImportError, IncomingAnn, Parser};
use super::read::{array, err, object, offset, opt_string, string};
use crate::model::{AnnotatedDoc, Annotation, Label, Orphan};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    /// Annotations that lost their place when the text changed, with the
    /// offsets, quote and context they had on the old text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<Orphan>,
}

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
}

/// One document with its annotations in reading order.
pub fn export_doc(d: &AnnotatedDoc) -> ExportDoc {
    export_doc_with(d, &[])
}

/// One document, its annotations and its orphans.
pub fn export_doc_with(d: &AnnotatedDoc, orphans: &[Orphan]) -> ExportDoc {
    let doc = &d.doc;
    ExportDoc {
        doc_id: doc.id.clone(),
        title: doc.title().to_string(),
        lang: doc.lang.clone(),
        dir: doc.dir.clone(),
        text: doc.text().to_string(),
        annotations: d.annotations().iter().map(|a| export_annotation(d, a)).collect(),
        orphans: orphans.to_vec(),
    }
}

pub fn export_annotation(d: &AnnotatedDoc, a: &Annotation) -> ExportAnnotation {
    let doc = &d.doc;
    ExportAnnotation {
        id: a.id.clone(),
        label: a.label,
        start: a.start,
        end: a.end,
        quote: doc.slice(a.start, a.end).to_string(),
        prefix: doc.slice(a.start.saturating_sub(CONTEXT), a.start).to_string(),
        suffix: doc.slice(a.end, (a.end + CONTEXT).min(doc.len())).to_string(),
        utf16_start: doc.utf16_of(a.start),
        utf16_end: doc.utf16_of(a.end),
        note: a.note.clone(),
        created_at: a.created_at.clone(),
        updated_at: a.updated_at.clone(),
    }
}

/// Every document (with its orphans), as pretty JSON.
pub fn export_json<'a>(
    docs: impl IntoIterator<Item = (&'a AnnotatedDoc, &'a [Orphan])>,
    now: &str,
) -> String {
    let export = Export {
        format: "hashiya".into(),
        version: 1,
        exported_at: now.into(),
        documents: docs.into_iter().map(|(d, o)| export_doc_with(d, o)).collect(),
    };
    serde_json::to_string_pretty(&export).expect("export is plain data")
}

/// Reading Hashiya JSON (format version 1), beside its writer.
impl Parser {
    pub(super) fn hashiya(&mut self, o: &Map<String, Value>) -> Result<(), ImportError> {
        self.format = Some(Format::Hashiya);
        match o.get("version").and_then(Value::as_u64) {
            Some(1) => {}
            other => {
                return err(
                    "version",
                    format!("version {other:?} is not supported (expected 1)"),
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
            for (j, a) in array(d, "annotations", &format!("{at}.annotations"))?
                .iter()
                .enumerate()
            {
                let at = format!("{at}.annotations[{j}]");
                let a = object(a, &at)?;
                let label_raw = string(a, "label", &at)?;
                let ann = IncomingAnn {
                    id: Some(string(a, "id", &at)?.to_string()),
                    label: self.label(label_raw),
                    start: Some(offset(a, "start", &at)?),
                    end: Some(offset(a, "end", &at)?),
                    quote: opt_string(a, "quote", &at)?.map(str::to_string),
                    prefix: opt_string(a, "prefix", &at)?.unwrap_or_default().to_string(),
                    suffix: opt_string(a, "suffix", &at)?.unwrap_or_default().to_string(),
                    note: opt_string(a, "note", &at)?.map(str::to_string),
                    created_at: opt_string(a, "created_at", &at)?.map(str::to_string),
                    updated_at: opt_string(a, "updated_at", &at)?.map(str::to_string),
                    source: None,
                    at,
                };
                anns.push(ann);
            }
            self.push_doc(at, doc_id, text, anns);
        }
        Ok(())
    }
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
}
