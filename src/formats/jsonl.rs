//! JSONL: the export writes one article per line, `{"text", "spans": [{start,
//! end, label}], "relations": [{id, from_id, to_id, type}]}` in code points,
//! as doccano and Prodigy import it (ids, notes and a claim's verdict and
//! source ride along in each span so that a round trip loses nothing); the
//! reader also takes doccano's `label` triples and its `entities` with the
//! `relations` between them.

use super::export::{export_item, Exported};
use super::import::{Format, ImportError, IncomingAnn, Parser};
use super::links::{attach, made_up_relation_id, read_claim_fields, IncomingRelation};
use super::read::{array, err, kind, number, object, offset, opt_string, string};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Serialize)]
struct Line<'a> {
    doc_id: &'a str,
    text: &'a str,
    status: &'a str,
    spans: Vec<Span<'a>>,
    relations: Vec<LineRelation<'a>>,
}

#[derive(Serialize)]
struct Span<'a> {
    start: usize,
    end: usize,
    label: &'static str,
    id: &'a str,
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

/// doccano's shape: `from_id` and `to_id` name spans of the same line.
#[derive(Serialize)]
struct LineRelation<'a> {
    id: &'a str,
    from_id: &'a str,
    to_id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

pub fn export_jsonl<'a, E: Into<Exported<'a>>>(docs: impl IntoIterator<Item = E>) -> String {
    let mut out = String::new();
    for d in docs {
        let e = export_item(d.into());
        let line = Line {
            doc_id: &e.doc_id,
            text: &e.text,
            status: &e.status,
            spans: e
                .annotations
                .iter()
                .map(|a| Span {
                    start: a.start,
                    end: a.end,
                    label: a.label.key(),
                    id: &a.id,
                    note: a.note.as_deref(),
                    verdict: a.verdict.as_deref(),
                    source: a.source.as_deref(),
                })
                .collect(),
            relations: e
                .relations
                .iter()
                .map(|r| LineRelation {
                    id: &r.id,
                    from_id: &r.from,
                    to_id: &r.to,
                    kind: r.kind.key(),
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

    /// One doccano/Prodigy record: `label` triples, `entities` or `spans`,
    /// and doccano's `relations` between them.
    pub(super) fn jsonl_object(&mut self, o: &Map<String, Value>, at: &str) -> Result<(), ImportError> {
        let text = string(o, "text", at)?.to_string();
        let doc_id = match o.get("doc_id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let mut anns = self.triples(o, at)?;
        let mut stand_ins = vec![];
        for field in ["entities", "spans"] {
            if o.contains_key(field) {
                self.spans(o, field, at, &mut anns, &mut stand_ins)?;
            }
        }
        let rels = match o.get("relations") {
            None | Some(Value::Null) => vec![],
            Some(_) => self.relations(o, at)?,
        };
        if !rels.is_empty() {
            ids_name_one_span_each(&anns)?;
        }
        attach(&mut anns, rels)?;
        self.push_doc_with_stand_ins(at.to_string(), doc_id, text, anns, stand_ins);
        self.read_status(o, at, true)
    }

    /// doccano's `label`: `[start, end, "LABEL"]` triples, without ids.
    fn triples(&mut self, o: &Map<String, Value>, at: &str) -> Result<Vec<IncomingAnn>, ImportError> {
        let mut anns = vec![];
        if !o.contains_key("label") {
            return Ok(anns);
        }
        for (i, t) in array(o, "label", &format!("{at}: label"))?.iter().enumerate() {
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
        Ok(anns)
    }

    /// doccano's `entities` (`start_offset`, `end_offset`) or our and
    /// Prodigy's `spans` (`start`, `end`). A span's string id is its
    /// annotation's; an entity's id (a number of doccano's database) only
    /// names it for `relations`, so its position goes to `stand_ins`.
    fn spans(
        &mut self,
        o: &Map<String, Value>,
        field: &str,
        at: &str,
        anns: &mut Vec<IncomingAnn>,
        stand_ins: &mut Vec<usize>,
    ) -> Result<(), ImportError> {
        let (start_key, end_key) = match field {
            "entities" => ("start_offset", "end_offset"),
            _ => ("start", "end"),
        };
        for (i, s) in array(o, field, &format!("{at}: {field}"))?.iter().enumerate() {
            let here = format!("{at}: {field}[{i}]");
            let s = object(s, &here)?;
            let label_raw = string(s, "label", &here)?;
            let id = match (s.get("id"), field) {
                (Some(Value::String(x)), _) => Some(x.clone()),
                (Some(Value::Number(n)), "entities") => Some(n.to_string()),
                _ => None,
            };
            if field == "entities" && id.is_some() {
                stand_ins.push(anns.len());
            }
            let mut ann = IncomingAnn {
                id,
                start: Some(offset(s, start_key, &here)?),
                end: Some(offset(s, end_key, &here)?),
                label: self.label(label_raw),
                note: opt_string(s, "note", &here)?.map(str::to_string),
                at: here,
                ..IncomingAnn::default()
            };
            read_claim_fields(s, &mut ann)?;
            anns.push(ann);
        }
        Ok(())
    }

    /// doccano's `relations`: `{id, from_id, to_id, type}`, the ends named by
    /// the ids of the record's spans or entities. Types are matched case
    /// aside (`Speaker`, `ABOUT`); a relation of another type, or one not in
    /// doccano's shape (Prodigy's `head`/`child` point at tokens, which we
    /// do not read), is skipped and counted, as spans with labels that are
    /// not ours are.
    fn relations(&mut self, o: &Map<String, Value>, at: &str) -> Result<Vec<IncomingRelation>, ImportError> {
        let mut out = vec![];
        for (k, r) in array(o, "relations", &format!("{at}: relations"))?
            .iter()
            .enumerate()
        {
            let here = format!("{at}: relations[{k}]");
            let r = object(r, &here)?;
            if !r.contains_key("from_id") && !r.contains_key("to_id") {
                let name = ["type", "label"]
                    .iter()
                    .find_map(|key| r.get(*key).and_then(Value::as_str))
                    .unwrap_or("?");
                self.skip_relation(name);
                continue;
            }
            let kind_raw = string(r, "type", &here)?;
            let from = id_of(r, "from_id", &here)?;
            let to = id_of(r, "to_id", &here)?;
            let Some(kind) = self.relation_type(kind_raw) else {
                continue;
            };
            let id = match r.get("id") {
                None | Some(Value::Null) => made_up_relation_id(&from, kind.key(), &to),
                Some(_) => id_of(r, "id", &here)?,
            };
            out.push(IncomingRelation {
                at: here,
                id,
                kind: kind.key().to_string(),
                from,
                to,
                created_at: None,
                updated_at: None,
            });
        }
        Ok(out)
    }
}

/// An id as doccano writes it (a number) or as we do (a string).
fn id_of(o: &Map<String, Value>, key: &str, at: &str) -> Result<String, ImportError> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(v) => err(
            format!("{at}.{key}"),
            format!("must be a string or a number, not {}", kind(v)),
        ),
        None => err(format!("{at}.{key}"), "is missing"),
    }
}

/// Relations name their ends by id, so in a record that has relations no id
/// may name two spans.
fn ids_name_one_span_each(anns: &[IncomingAnn]) -> Result<(), ImportError> {
    let mut seen = std::collections::HashSet::new();
    for a in anns {
        if let Some(id) = &a.id {
            if !seen.insert(id) {
                return err(
                    format!("{}.id", a.at),
                    format!("the id {id:?} is used twice, so a relation could not tell which is meant"),
                );
            }
        }
    }
    Ok(())
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

    #[test]
    fn doccano_relations_name_entities_by_number_and_other_types_are_counted() {
        let line = r#"{"text": "قال كيري إن موسكو بعيدة", "entities": [
            {"id": 11, "start_offset": 4, "end_offset": 8, "label": "PER"},
            {"id": 12, "start_offset": 12, "end_offset": 17, "label": "LOC"},
            {"id": 13, "start_offset": 12, "end_offset": 23, "label": "claim"}],
            "relations": [{"id": 1, "from_id": 13, "to_id": 11, "type": "Speaker"},
                          {"id": 2, "from_id": 13, "to_id": 12, "type": "ABOUT"},
                          {"id": 3, "from_id": 11, "to_id": 12, "type": "lives_in"},
                          {"head": 0, "child": 2, "label": "said"}]}"#
            .replace('\n', " ");
        let read = parse(&line).unwrap();
        let doc = &read.docs[0];
        assert_eq!(doc.stand_ins, [0, 1, 2]);
        let claim = &doc.anns[2].claim;
        let links: Vec<_> = claim
            .relations
            .iter()
            .map(|r| (r.id.as_str(), r.kind.key(), r.to.as_str()))
            .collect();
        assert_eq!(links, [("1", "speaker", "11"), ("2", "about", "12")]);
        let skipped: Vec<_> = read.skipped_relations.into_iter().collect();
        assert_eq!(skipped, [("lives_in".to_string(), 1), ("said".to_string(), 1)]);
    }

    #[test]
    fn entity_numbers_give_way_to_made_up_ids_and_the_links_follow() {
        use crate::formats::import::plan;
        let line = r#"{"text": "قال كيري إن موسكو بعيدة", "entities": [
            {"id": 11, "start_offset": 4, "end_offset": 8, "label": "PER"},
            {"id": 13, "start_offset": 12, "end_offset": 23, "label": "claim", "verdict": "false"}],
            "relations": [{"id": 1, "from_id": 13, "to_id": 11, "type": "speaker"}]}"#
            .replace('\n', " ");
        let p = plan(parse(&line).unwrap(), &[], "now").unwrap();
        let anns = &p.new_docs[0].1;
        let (person, claim) = (&anns[0], &anns[1]);
        assert!(
            person.id.starts_with("imp-") && claim.id.starts_with("imp-"),
            "{anns:?}"
        );
        assert_eq!(claim.claim.speaker().unwrap().to, person.id);
        assert_eq!(claim.claim.verdict.as_deref(), Some("false"));
    }

    #[test]
    fn a_link_to_a_missing_end_a_speaker_that_is_no_person_and_a_script_source_are_refused_by_place() {
        let record = |relation: &str, source: &str| {
            format!(
                r#"{{"text": "قال كيري إن موسكو بعيدة", "spans": [
                {{"id": "p", "start": 4, "end": 8, "label": "person"}},
                {{"id": "m", "start": 12, "end": 17, "label": "place"}},
                {{"id": "c", "start": 12, "end": 23, "label": "claim", "source": "{source}"}}],
                "relations": [{relation}]}}"#
            )
            .replace('\n', " ")
        };
        let refused = |input: String| parse(&input).unwrap_err();
        let ok = r#"{"id": "r", "from_id": "c", "to_id": "p", "type": "speaker"}"#;
        assert!(parse(&record(ok, "https://example.org/x")).is_ok());
        let e = refused(record(
            r#"{"id": "r", "from_id": "c", "to_id": "gone", "type": "about"}"#,
            "https://example.org/x",
        ));
        assert_eq!(
            (e.at.as_str(), e.detail.as_str()),
            ("line 1: relations[0]", "no annotation \"gone\" in this article")
        );
        let e = refused(record(
            r#"{"id": "r", "from_id": "c", "to_id": "m", "type": "speaker"}"#,
            "https://example.org/x",
        ));
        assert_eq!(e.at, "line 1: relations[0]");
        assert!(e.detail.contains("ends at a person"), "{e}");
        let e = refused(record(ok, "javascript:alert(1)"));
        assert_eq!(e.at, "line 1: spans[2].source");
        let e = refused(record(r#"{"id": "r", "from_id": "c", "type": "speaker"}"#, ""));
        assert_eq!(e.to_string(), "line 1: relations[0].to_id: is missing");
        // an id that names two spans leaves a relation ambiguous
        let twice = record(ok, "").replace(r#""id": "m""#, r#""id": "p""#);
        assert_eq!(refused(twice).at, "line 1: spans[1].id");
    }
}
