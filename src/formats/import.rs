//! An import: telling Hashiya JSON, JSONL and W3C apart (each format's own
//! reading is beside its writer); `plan.rs` then matches what was read to
//! articles and checks it. Everything is parsed and checked before anything
//! changes: an import is all or nothing.

use super::links::LooseRelation;
pub use super::plan::{plan, Plan, Shown};
use super::read::{self, err, kind, opt_string};
use crate::model::{ClaimRecord, DocStatus, Label, RelationKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Inputs larger than this are refused before parsing.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_ANNOTATIONS: usize = 200_000;

/// What is wrong and where (`line 3`, `documents[0].annotations[1].end`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub at: String,
    pub detail: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            write!(f, "{}", self.detail)
        } else {
            write!(f, "{}: {}", self.at, self.detail)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Hashiya,
    Jsonl,
    W3c,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Hashiya => "Hashiya JSON",
            Format::Jsonl => "JSONL",
            Format::W3c => "W3C Web Annotation",
        }
    }
}

/// An annotation as read, before it is checked against a text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IncomingAnn {
    pub at: String,
    pub id: Option<String>,
    pub label: Option<Label>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub quote: Option<String>,
    pub prefix: String,
    pub suffix: String,
    /// W3C target source.
    pub source: Option<String>,
    pub note: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    /// Verdict, source and links as read; links are checked in `plan`.
    pub claim: ClaimRecord,
}

/// An article as read, with its text.
#[derive(Clone, Debug, PartialEq)]
pub struct IncomingDoc {
    pub at: String,
    pub doc_id: Option<String>,
    pub text: String,
    pub anns: Vec<IncomingAnn>,
    /// Positions in `anns` of annotations whose id only names them for the
    /// input's relations (doccano's entity ids, numbers of its database):
    /// they get made-up ids like id-less spans, and their links follow.
    pub stand_ins: Vec<usize>,
    /// The article's status as the input gave it: done or not (`new` and
    /// `in-progress` are not done); none when it gave none.
    pub done: Option<bool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    pub format: Format,
    pub docs: Vec<IncomingDoc>,
    /// W3C annotations: they carry no text and attach to shown articles.
    pub loose: Vec<IncomingAnn>,
    /// Links between `loose` annotations, attached once they are placed.
    pub loose_relations: Vec<LooseRelation>,
    /// Statuses of articles the input names by id only (W3C), done or not.
    pub statuses: Vec<(String, bool)>,
    /// Labels that are not ours, with how many spans carried them (skipped).
    pub unknown_labels: BTreeMap<String, usize>,
    /// Relations of JSONL and W3C input that were skipped, by type: of a
    /// type that is not ours (not speaker or about), or in a shape that
    /// names no annotations (Prodigy's token relations). Labels that are
    /// not ours are skipped and counted the same way.
    pub skipped_relations: BTreeMap<String, usize>,
}

/// Maps a label from another tool onto one of `ours`, case-insensitively,
/// taking the usual NER names for persons and places.
pub fn map_label(raw: &str, ours: &[Label]) -> Option<Label> {
    if plain_key(raw) {
        return ours.iter().copied().find(|l| l.key() == raw);
    }
    map_label_folded(raw, ours)
}

/// Whether `raw` is a key that folding would leave as it is and that is not
/// another tool's name for a label: most input, found without allocating.
fn plain_key(raw: &str) -> bool {
    raw.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
        && !matches!(raw, "per" | "loc" | "gpe" | "location")
}

fn map_label_folded(raw: &str, ours: &[Label]) -> Option<Label> {
    let wanted = match raw.trim().to_uppercase().as_str() {
        "PER" | "PERSON" => "person".to_string(),
        "LOC" | "GPE" | "PLACE" | "LOCATION" => "place".to_string(),
        other => other.to_lowercase(),
    };
    // compared as text: an unknown label in a file is never interned
    ours.iter().copied().find(|l| l.key() == wanted)
}

/// Parses any of the three formats for an annotator with the built-in labels.
pub fn parse(input: &str) -> Result<Incoming, ImportError> {
    parse_for(input, &Label::BUILT_IN)
}

/// `bytes` in MB to one decimal (`12.3`), with integer formatting: no
/// float formatting machinery in the bundle for a message.
pub fn megabytes(bytes: f64) -> String {
    let tenths = (bytes / 104_857.6).round().max(0.0) as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Parses any of the three formats; spans with labels not in `labels` are
/// skipped and counted.
pub fn parse_for(input: &str, labels: &[Label]) -> Result<Incoming, ImportError> {
    let trimmed = readable(input)?;
    // the fast way gives up on any error, and the way below then says where
    match super::typed::hashiya(trimmed, labels) {
        Some(read) => Ok(read),
        None => parse_by_value(input, trimmed, labels),
    }
}

/// `parse_for` through `serde_json::Value` alone: the same answer, slower
/// for Hashiya JSON. For the tests that hold the two ways to one answer.
#[doc(hidden)]
pub fn parse_for_by_value(input: &str, labels: &[Label]) -> Result<Incoming, ImportError> {
    parse_by_value(input, readable(input)?, labels)
}

/// The input without its byte order mark and trailing space, if it is not
/// too big or empty.
fn readable(input: &str) -> Result<&str, ImportError> {
    if input.len() > MAX_BYTES {
        return err(
            "",
            format!(
                "the input is {} MB; the limit is 10 MB",
                megabytes(input.len() as f64)
            ),
        );
    }
    // Leading blank lines stay in what serde reads, so the places it names
    // count lines and columns of the file as the user sees it.
    let body = input.trim_start_matches('\u{FEFF}');
    if body.trim().is_empty() {
        return err("", "the input is empty");
    }
    Ok(body.trim_end())
}

/// Reads `trimmed` (the input without its byte order mark and trailing
/// space) through `serde_json::Value`, with errors that say where.
pub(super) fn parse_by_value(input: &str, trimmed: &str, labels: &[Label]) -> Result<Incoming, ImportError> {
    let mut p = Parser::for_labels(labels);
    match serde_json::from_str::<Value>(trimmed) {
        Ok(value) => p.whole(value)?,
        Err(e) => {
            let first = trimmed.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
            let many_lines = trimmed.lines().filter(|l| !l.trim().is_empty()).count() > 1;
            if many_lines && serde_json::from_str::<Value>(first).is_ok() {
                p.jsonl(input)?;
            } else {
                return err(
                    format!("line {} column {}", e.line(), e.column()),
                    format!("this is not valid JSON ({})", e),
                );
            }
        }
    }
    p.finish()
}

/// The reader of all three formats. It tells them apart here; each
/// format's own part is beside its writer (`export.rs` for Hashiya JSON,
/// `jsonl.rs`, `w3c.rs`).
#[derive(Default)]
pub(super) struct Parser {
    pub(super) format: Option<Format>,
    docs: Vec<IncomingDoc>,
    pub(super) loose: Vec<IncomingAnn>,
    pub(super) loose_relations: Vec<LooseRelation>,
    /// Statuses of articles named by id (W3C's collection), done or not.
    pub(super) statuses: Vec<(String, bool)>,
    unknown: BTreeMap<String, usize>,
    skipped_relations: BTreeMap<String, usize>,
    /// The labels the annotator has; others are skipped and counted.
    labels: Vec<Label>,
}

fn is_w3c(o: &Map<String, Value>) -> bool {
    o.contains_key("@context")
        || matches!(
            o.get("type").and_then(Value::as_str),
            Some("Annotation" | "AnnotationCollection" | "AnnotationPage")
        )
        || o.contains_key("target")
}

impl Parser {
    pub(super) fn for_labels(labels: &[Label]) -> Parser {
        Parser {
            labels: labels.to_vec(),
            ..Parser::default()
        }
    }

    /// What was read, if it is not more than one import may bring.
    pub(super) fn finish(self) -> Result<Incoming, ImportError> {
        let total: usize = self.docs.iter().map(|d| d.anns.len()).sum::<usize>() + self.loose.len();
        if total > MAX_ANNOTATIONS {
            return err("", format!("{total} annotations; the limit is {MAX_ANNOTATIONS}"));
        }
        Ok(Incoming {
            format: self.format.unwrap_or(Format::Jsonl),
            docs: self.docs,
            loose: self.loose,
            loose_relations: self.loose_relations,
            statuses: self.statuses,
            unknown_labels: self.unknown,
            skipped_relations: self.skipped_relations,
        })
    }

    fn whole(&mut self, value: Value) -> Result<(), ImportError> {
        match value {
            Value::Object(o) if o.get("format").and_then(Value::as_str) == Some("hashiya") => {
                self.hashiya(&o)
            }
            Value::Object(o) if o.contains_key("text") => {
                self.format = Some(Format::Jsonl);
                self.jsonl_object(&o, "line 1")
            }
            Value::Object(o) if is_w3c(&o) => self.w3c(Value::Object(o)),
            Value::Array(items)
                if items
                    .iter()
                    .all(|i| i.as_object().is_some_and(|o| o.contains_key("text"))) =>
            {
                self.format = Some(Format::Jsonl);
                for (i, item) in items.iter().enumerate() {
                    self.jsonl_object(item.as_object().expect("checked"), &format!("[{i}]"))?;
                }
                Ok(())
            }
            Value::Array(items) => self.w3c(Value::Array(items)),
            other => err(
                "",
                format!(
                    "{} is not a format Hashiya reads (Hashiya JSON, JSONL or W3C Web Annotation)",
                    kind(&other)
                ),
            ),
        }
    }

    /// Adds an article as read, with its annotations.
    pub(super) fn push_doc(
        &mut self,
        at: String,
        doc_id: Option<String>,
        text: String,
        anns: Vec<IncomingAnn>,
    ) {
        self.push_doc_with_stand_ins(at, doc_id, text, anns, vec![]);
    }

    /// Adds an article whose annotations at `stand_ins` carry ids that only
    /// name relation ends (see `IncomingDoc::stand_ins`).
    pub(super) fn push_doc_with_stand_ins(
        &mut self,
        at: String,
        doc_id: Option<String>,
        text: String,
        anns: Vec<IncomingAnn>,
        stand_ins: Vec<usize>,
    ) {
        self.docs.push(IncomingDoc {
            at,
            doc_id,
            text,
            anns,
            stand_ins,
            done: None,
        });
    }

    /// Reads an article's `status` (`new`, `in-progress` or `done`) into
    /// the article read last. Another value is an error in our own format;
    /// in another tool's (`lenient`) it is that tool's and is left alone.
    pub(super) fn read_status(
        &mut self,
        o: &Map<String, Value>,
        at: &str,
        lenient: bool,
    ) -> Result<(), ImportError> {
        let status = match o.get("status") {
            Some(Value::String(s)) => s.as_str(),
            _ if lenient => return Ok(()),
            _ => match opt_string(o, "status", at)? {
                Some(s) => s,
                None => return Ok(()),
            },
        };
        let status = match read::status(status, at) {
            Ok(status) => status,
            Err(_) if lenient => return Ok(()),
            Err(e) => return Err(e),
        };
        self.mark_last_done(status == DocStatus::Done);
        Ok(())
    }

    /// Gives the article read last its status: done or not.
    pub(super) fn mark_last_done(&mut self, done: bool) {
        if let Some(d) = self.docs.last_mut() {
            d.done = Some(done);
        }
    }

    /// The kind of link another tool's relation type names, case aside;
    /// `None` (counted in `skipped_relations`) for types that are not ours,
    /// which JSONL and W3C input skip as they skip labels that are not ours.
    pub(super) fn relation_type(&mut self, raw: &str) -> Option<RelationKind> {
        let kind = RelationKind::named(&raw.trim().to_lowercase());
        if kind.is_none() {
            self.skip_relation(raw);
        }
        kind
    }

    /// Counts a relation that is skipped, under its type.
    pub(super) fn skip_relation(&mut self, kind: &str) {
        *self.skipped_relations.entry(kind.to_string()).or_default() += 1;
    }

    pub(super) fn label(&mut self, raw: &str) -> Option<Label> {
        let l = map_label(raw, &self.labels);
        if l.is_none() {
            *self.unknown.entry(raw.to_string()).or_default() += 1;
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::{map_label, map_label_folded, megabytes};
    use crate::model::Label;

    #[test]
    fn a_label_is_found_as_it_is_only_where_folding_would_find_it_too() {
        let ours = [
            Label::PERSON,
            Label::PLACE,
            Label::named("org").unwrap(),
            Label::named("loc").unwrap(),
            Label::named("Mixed").unwrap(),
            Label::named("مكان").unwrap(),
        ];
        for raw in [
            "person", "PERSON", " person ", "per", "PER", "place", "loc", "LOC", "gpe", "location", "org",
            "ORG", "Mixed", "mixed", "مكان", "", "x-1.y_2", "claim",
        ] {
            assert_eq!(map_label(raw, &ours), map_label_folded(raw, &ours), "{raw:?}");
        }
    }

    #[test]
    fn sizes_are_told_in_megabytes_to_one_decimal() {
        assert_eq!(megabytes(0.0), "0.0");
        assert_eq!(megabytes(10.0 * 1_048_576.0), "10.0");
        assert_eq!(megabytes(12.34 * 1_048_576.0), "12.3");
        assert_eq!(megabytes(12.36 * 1_048_576.0), "12.4");
        assert_eq!(megabytes(50_000.0), "0.0");
    }
}
