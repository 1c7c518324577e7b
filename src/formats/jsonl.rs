//! JSONL: the export writes one article per line, `{"text", "spans": [{start,
//! end, label}]}` in code points, as doccano and Prodigy import it (ids and
//! notes ride along in each span so that a round trip loses nothing); the
//! reader also takes doccano's `label` triples and `entities`.

use super::export::export_doc;
use super::import::{Format, ImportError, IncomingAnn, Parser};
use super::read::{array, err, number, object, offset, opt_string, string};
use crate::model::AnnotatedDoc;
use serde::Serialize;
use serde_json::{Map, Value};

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

/// Reading JSONL: our spans, doccano's `label` triples and `entities`, Prodigy's spans.
impl Parser {
    pub(super) fn jsonl(&mut self, input: &str) -> Result<(), ImportError> {
        self.format = Some(Format::Jsonl);
        for (n, line) in input.lines().enumerate() {
            let line = line.trim().trim_start_matches('\u{FEFF}');
            if line.is_empty() {
                continue;
            }
            let at = format!("line {}", n + 1);
            let value: Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => return err(at, format!("not valid JSON at column {} ({e})", e.column())),
            };
            let o = object(&value, &at)?;
            self.jsonl_object(o, &at)?;
        }
        Ok(())
    }

    /// One doccano/Prodigy record: `label` triples, `entities` or `spans`.
    pub(super) fn jsonl_object(&mut self, o: &Map<String, Value>, at: &str) -> Result<(), ImportError> {
        let text = string(o, "text", at)?.to_string();
        let doc_id = match o.get("doc_id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let mut anns = vec![];
        if o.contains_key("label") {
            let triples = array(o, "label", &format!("{at}: label"))?;
            for (i, t) in triples.iter().enumerate() {
                let here = format!("{at}: label[{i}]");
                let parts = match t.as_array() {
                    Some(p) if p.len() == 3 => p,
                    _ => return err(here, "must be [start, end, \"LABEL\"]"),
                };
                let Some(label_raw) = parts[2].as_str() else {
                    return err(here, "the label must be a string");
                };
                anns.push(IncomingAnn {
                    start: Some(number(&parts[0], &format!("{here}[0]"), "start")?),
                    end: Some(number(&parts[1], &format!("{here}[1]"), "end")?),
                    label: self.label(label_raw),
                    at: here,
                    ..IncomingAnn::default()
                });
            }
        }
        for (field, start_key, end_key) in [
            ("entities", "start_offset", "end_offset"),
            ("spans", "start", "end"),
        ] {
            if !o.contains_key(field) {
                continue;
            }
            let items = array(o, field, &format!("{at}: {field}"))?;
            for (i, s) in items.iter().enumerate() {
                let here = format!("{at}: {field}[{i}]");
                let s = object(s, &here)?;
                let label_raw = string(s, "label", &here)?;
                anns.push(IncomingAnn {
                    id: match s.get("id") {
                        Some(Value::String(x)) if field == "spans" => Some(x.clone()),
                        _ => None,
                    },
                    start: Some(offset(s, start_key, &here)?),
                    end: Some(offset(s, end_key, &here)?),
                    label: self.label(label_raw),
                    note: opt_string(s, "note", &here)?.map(str::to_string),
                    at: here,
                    ..IncomingAnn::default()
                });
            }
        }
        self.push_doc(at.to_string(), doc_id, text, anns);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::formats::import::{parse, Format};
    use crate::model::Label;

    #[test]
    fn reads_doccano_triples_and_entities_and_prodigy_spans_in_code_points() {
        let input = concat!(
            r#"{"text": "قال 🙂 جون", "label": [[6, 9, "PER"]]}"#,
            "\n",
            r#"{"text": "موسكو", "entities": [{"start_offset": 0, "end_offset": 5, "label": "GPE"}]}"#,
            "\n",
            r#"{"text": "ادعاء", "spans": [{"start": 0, "end": 5, "label": "claim", "id": "c1", "note": "ن"}]}"#,
        );
        let read = parse(input).unwrap();
        assert_eq!(read.format, Format::Jsonl);
        let spans: Vec<_> = read
            .docs
            .iter()
            .flat_map(|d| d.anns.iter().map(|a| (a.start, a.end, a.label, a.id.clone())))
            .collect();
        assert_eq!(
            spans,
            vec![
                (Some(6), Some(9), Some(Label::PERSON), None),
                (Some(0), Some(5), Some(Label::PLACE), None),
                (Some(0), Some(5), Some(Label::CLAIM), Some("c1".to_string())),
            ]
        );
    }

    #[test]
    fn an_error_names_its_line_and_field() {
        let input = "{\"text\": \"نص\", \"spans\": []}\n{\"text\": \"نص\", \"spans\": [{\"start\": -1, \"end\": 1, \"label\": \"person\"}]}";
        let e = parse(input).unwrap_err().to_string();
        assert!(e.starts_with("line 2: spans[0].start"), "{e}");
        assert!(e.contains("negative"), "{e}");
    }
}
