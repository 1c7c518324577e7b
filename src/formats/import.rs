//! Reading annotations from Hashiya JSON, JSONL (doccano, Prodigy) and W3C Web
//! Annotation, then matching them to articles. Everything is parsed and
//! checked before anything changes: an import is all or nothing.

use super::w3c::{ANNOTATION_URN, DOC_URN};
use crate::model::anchor::{reanchor, Anchor, Placement};
use crate::model::{digest, Annotation, Document, Label};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// Inputs larger than this are refused before parsing.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_ANNOTATIONS: usize = 200_000;

/// What is wrong and where ("line 3", "documents[0].annotations[1].end").
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

fn err<T>(at: impl Into<String>, detail: impl Into<String>) -> Result<T, ImportError> {
    Err(ImportError {
        at: at.into(),
        detail: detail.into(),
    })
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
}

/// An article as read, with its text.
#[derive(Clone, Debug, PartialEq)]
pub struct IncomingDoc {
    pub at: String,
    pub doc_id: Option<String>,
    pub text: String,
    pub anns: Vec<IncomingAnn>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    pub format: Format,
    pub docs: Vec<IncomingDoc>,
    /// W3C annotations: they carry no text and attach to shown articles.
    pub loose: Vec<IncomingAnn>,
    /// Labels that are not ours, with how many spans carried them (skipped).
    pub unknown_labels: BTreeMap<String, usize>,
}

/// Maps a label from another tool onto one of `ours`, case-insensitively,
/// taking the usual NER names for persons and places.
pub fn map_label(raw: &str, ours: &[Label]) -> Option<Label> {
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

/// Parses any of the three formats; spans with labels not in `labels` are
/// skipped and counted.
pub fn parse_for(input: &str, labels: &[Label]) -> Result<Incoming, ImportError> {
    if input.len() > MAX_BYTES {
        return err(
            "",
            format!(
                "the input is {:.1} MB; the limit is 10 MB",
                input.len() as f64 / 1_048_576.0
            ),
        );
    }
    let trimmed = input.trim_start_matches('\u{FEFF}').trim();
    if trimmed.is_empty() {
        return err("", "the input is empty");
    }
    let mut p = Parser {
        labels: labels.to_vec(),
        ..Parser::default()
    };
    match serde_json::from_str::<Value>(trimmed) {
        Ok(value) => p.whole(value)?,
        Err(e) => {
            let first = trimmed.lines().next().unwrap_or_default();
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
    let total: usize = p.docs.iter().map(|d| d.anns.len()).sum::<usize>() + p.loose.len();
    if total > MAX_ANNOTATIONS {
        return err("", format!("{total} annotations; the limit is {MAX_ANNOTATIONS}"));
    }
    Ok(Incoming {
        format: p.format.unwrap_or(Format::Jsonl),
        docs: p.docs,
        loose: p.loose,
        unknown_labels: p.unknown,
    })
}

#[derive(Default)]
struct Parser {
    format: Option<Format>,
    docs: Vec<IncomingDoc>,
    loose: Vec<IncomingAnn>,
    unknown: BTreeMap<String, usize>,
    /// The labels the annotator has; others are skipped and counted.
    labels: Vec<Label>,
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
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

    fn label(&mut self, raw: &str) -> Option<Label> {
        let l = map_label(raw, &self.labels);
        if l.is_none() {
            *self.unknown.entry(raw.to_string()).or_default() += 1;
        }
        l
    }

    fn hashiya(&mut self, o: &Map<String, Value>) -> Result<(), ImportError> {
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
            self.docs.push(IncomingDoc {
                at,
                doc_id,
                text,
                anns,
            });
        }
        Ok(())
    }

    fn jsonl(&mut self, input: &str) -> Result<(), ImportError> {
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
    fn jsonl_object(&mut self, o: &Map<String, Value>, at: &str) -> Result<(), ImportError> {
        let text = string(o, "text", at)?.to_string();
        let doc_id = match o.get("doc_id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let mut anns = vec![];
        if let Some(v) = o.get("label") {
            let triples = v.as_array().map(Vec::as_slice).unwrap_or_default();
            if !v.is_array() {
                return err(
                    format!("{at}: label"),
                    format!("must be an array, not {}", kind(v)),
                );
            }
            for (i, t) in triples.iter().enumerate() {
                let here = format!("{at}: label[{i}]");
                let parts = match t.as_array() {
                    Some(p) if p.len() == 3 => p,
                    _ => return err(here, "must be [start, end, \"LABEL\"]"),
                };
                let label_raw = parts[2].as_str().ok_or_else(|| ImportError {
                    at: here.clone(),
                    detail: "the label must be a string".into(),
                })?;
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
            let Some(v) = o.get(field) else { continue };
            let items = v.as_array().ok_or_else(|| ImportError {
                at: format!("{at}: {field}"),
                detail: format!("must be an array, not {}", kind(v)),
            })?;
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
        self.docs.push(IncomingDoc {
            at: at.to_string(),
            doc_id,
            text,
            anns,
        });
        Ok(())
    }

    fn w3c(&mut self, value: Value) -> Result<(), ImportError> {
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

fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>, ImportError> {
    v.as_object().ok_or_else(|| ImportError {
        at: at.into(),
        detail: format!("expected an object, found {}", kind(v)),
    })
}

fn array<'a>(o: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a Vec<Value>, ImportError> {
    match o.get(key) {
        Some(Value::Array(a)) => Ok(a),
        Some(v) => err(at, format!("must be an array, not {}", kind(v))),
        None => err(at, "is missing"),
    }
}

fn string<'a>(o: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a str, ImportError> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(v) => err(
            format!("{at}.{key}"),
            format!("must be a string, not {}", kind(v)),
        ),
        None => err(format!("{at}.{key}"), "is missing"),
    }
}

fn opt_string<'a>(o: &'a Map<String, Value>, key: &str, at: &str) -> Result<Option<&'a str>, ImportError> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(Some(s)),
        None | Some(Value::Null) => Ok(None),
        Some(v) => err(
            format!("{at}.{key}"),
            format!("must be a string, not {}", kind(v)),
        ),
    }
}

fn offset(o: &Map<String, Value>, key: &str, at: &str) -> Result<usize, ImportError> {
    match o.get(key) {
        Some(v) => number(v, &format!("{at}.{key}"), key),
        None => err(format!("{at}.{key}"), "is missing"),
    }
}

fn number(v: &Value, at: &str, name: &str) -> Result<usize, ImportError> {
    match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => usize::try_from(u).or_else(|_| err(at, format!("{name} {u} is too large"))),
            (None, Some(i)) => err(at, format!("{name} {i} is negative")),
            _ => err(at, format!("{name} {n} is not a whole number")),
        },
        other => err(at, format!("{name} must be a number, not {}", kind(other))),
    }
}

/// An article shown on the page, as import sees it.
pub struct Shown<'a> {
    pub doc: &'a Document,
}

/// Where imported annotations go.
#[derive(Debug, PartialEq)]
pub struct Plan {
    pub format: Format,
    /// Annotations for shown articles, by doc-id.
    pub existing: Vec<(String, Vec<Annotation>)>,
    /// New articles with their annotations.
    pub new_docs: Vec<(Document, Vec<Annotation>)>,
    pub unknown_labels: BTreeMap<String, usize>,
}

/// Matches parsed input to articles and checks every annotation against its
/// text. Any error refuses the whole import.
pub fn plan(incoming: Incoming, shown: &[Shown], now: &str) -> Result<Plan, ImportError> {
    let mut out = Plan {
        format: incoming.format,
        existing: vec![],
        new_docs: vec![],
        unknown_labels: incoming.unknown_labels,
    };
    let mut taken: HashSet<String> = shown.iter().map(|s| s.doc.id.clone()).collect();
    // ids the input gave, per article; ids made up for id-less spans are
    // the same for the same span, which merging counts as a duplicate
    let mut given: Vec<(String, String)> = vec![];
    for d in incoming.docs {
        let doc = match shown.iter().find(|s| s.doc.text() == d.text) {
            Some(s) => Target::Existing(s.doc.clone()),
            None => match out.new_docs.iter().position(|(n, _)| n.text() == d.text) {
                Some(i) => Target::New(i),
                None => {
                    if d.text.trim().is_empty() {
                        return err(format!("{}.text", d.at), "the text is empty");
                    }
                    let id = d
                        .doc_id
                        .filter(|id| valid_id(id) && !taken.contains(id))
                        .unwrap_or_else(|| format!("doc-{}", digest(&d.text)));
                    taken.insert(id.clone());
                    out.new_docs.push((Document::from_text(id, &d.text), vec![]));
                    Target::New(out.new_docs.len() - 1)
                }
            },
        };
        let doc_ref = match &doc {
            Target::Existing(doc) => doc,
            Target::New(i) => &out.new_docs[*i].0,
        };
        let mut placed = vec![];
        for a in d.anns {
            if let Some(ann) = place(&a, doc_ref, now)? {
                if a.id.is_some() {
                    given.push((doc_ref.id.clone(), ann.id.clone()));
                }
                placed.push(ann);
            }
        }
        match doc {
            Target::Existing(doc) => push_existing(&mut out.existing, &doc.id, placed),
            Target::New(i) => out.new_docs[i].1.extend(placed),
        }
    }
    for a in incoming.loose {
        let by_source = a
            .source
            .as_deref()
            .and_then(|s| s.strip_prefix(DOC_URN))
            .and_then(|id| shown.iter().find(|s| s.doc.id == id));
        let found = by_source.or_else(|| {
            let quote = a.quote.as_deref()?;
            shown.iter().find(|s| s.doc.text().contains(quote))
        });
        let Some(target) = found else {
            return err(a.at, "no open article contains this annotation's text or source");
        };
        if let Some(ann) = place(&a, target.doc, now)? {
            if a.id.is_some() {
                given.push((target.doc.id.clone(), ann.id.clone()));
            }
            push_existing(&mut out.existing, &target.doc.id, vec![ann]);
        }
    }
    unique_ids(&given)?;
    Ok(out)
}

enum Target {
    Existing(Document),
    New(usize),
}

fn push_existing(existing: &mut Vec<(String, Vec<Annotation>)>, doc_id: &str, anns: Vec<Annotation>) {
    match existing.iter_mut().find(|(id, _)| id == doc_id) {
        Some((_, list)) => list.extend(anns),
        None => existing.push((doc_id.to_string(), anns)),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 120 && id.chars().all(|c| c.is_alphanumeric() || "-_.:".contains(c))
}

fn unique_ids(given: &[(String, String)]) -> Result<(), ImportError> {
    let mut seen = HashSet::new();
    for (doc_id, id) in given {
        if !seen.insert((doc_id, id)) {
            return err(
                format!("article {doc_id}"),
                format!("the id \"{id}\" is used twice"),
            );
        }
    }
    Ok(())
}

/// Checks one annotation against `doc` and gives it its final shape; `None`
/// for a label that is not ours (counted in `unknown_labels`).
fn place(a: &IncomingAnn, doc: &Document, now: &str) -> Result<Option<Annotation>, ImportError> {
    let len = doc.len();
    let (start, end) = match (a.start, a.end) {
        (Some(s), Some(e)) => {
            if e > len {
                return err(&a.at, format!("end {e} is past the end of the text ({len})"));
            }
            if s >= e {
                return err(&a.at, format!("start {s} is not before end {e}"));
            }
            if let Some(q) = &a.quote {
                if doc.slice(s, e) != q {
                    return err(
                        &a.at,
                        format!(
                            "quote \"{q}\" does not match the text at {s}–{e} (\"{}\")",
                            doc.slice(s, e)
                        ),
                    );
                }
            }
            (s, e)
        }
        (None, None) => {
            let quote = a.quote.as_deref().unwrap_or_default();
            let anchor = Anchor {
                start: 0,
                end: 0,
                quote,
                prefix: &a.prefix,
                suffix: &a.suffix,
            };
            match reanchor(doc, anchor) {
                Placement::Moved(s, e) => (s, e),
                _ => return err(&a.at, format!("the quote \"{quote}\" is not in the article")),
            }
        }
        _ => return err(&a.at, "needs both start and end"),
    };
    let Some(label) = a.label else { return Ok(None) };
    let id = a.id.clone().filter(|id| !id.is_empty()).unwrap_or_else(|| {
        let key = format!("{}:{start}:{end}:{}", doc.id, label.key());
        format!("imp-{}", &digest(&key)[..12])
    });
    Ok(Some(Annotation {
        id,
        label,
        start,
        end,
        note: a.note.clone().filter(|n| !n.trim().is_empty()),
        created_at: a.created_at.clone().unwrap_or_else(|| now.to_string()),
        updated_at: a.updated_at.clone().unwrap_or_else(|| now.to_string()),
    }))
}
