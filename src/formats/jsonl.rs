//! JSONL export: one article per line, `{"text", "spans": [{start, end, label}]}`
//! in code points, as doccano and Prodigy import it. Ids and notes ride along
//! in each span so that a round trip loses nothing.

use super::export::export_doc;
use crate::model::AnnotatedDoc;
use serde::Serialize;

#[derive(Serialize)]
struct Line<'a> {
    doc_id: &'a str,
    text: &'a str,
    spans: Vec<Span<'a>>,
}

#[derive(Serialize)]
struct Span<'a> {
    start: usize,
    end: usize,
    label: &'static str,
    id: &'a str,
    note: Option<&'a str>,
}

pub fn export_jsonl<'a>(docs: impl IntoIterator<Item = &'a AnnotatedDoc>) -> String {
    let mut out = String::new();
    for d in docs {
        let e = export_doc(d);
        let line = Line {
            doc_id: &e.doc_id,
            text: &e.text,
            spans: e
                .annotations
                .iter()
                .map(|a| Span {
                    start: a.start,
                    end: a.end,
                    label: a.label.key(),
                    id: &a.id,
                    note: a.note.as_deref(),
                })
                .collect(),
        };
        out.push_str(&serde_json::to_string(&line).expect("plain data"));
        out.push('\n');
    }
    out
}
