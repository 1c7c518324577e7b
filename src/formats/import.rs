//! An import: telling Hashiya JSON, JSONL and W3C apart (each format's own
//! reading is beside its writer), then matching what was read to articles
//! and checking it. Everything is parsed and checked before anything
//! changes: an import is all or nothing.

use super::links::{attach_loose, LooseRelation};
use super::read::{err, kind};
use super::w3c::DOC_URN;
use crate::model::anchor::{reanchor, Anchor, Placement};
use crate::model::{digest, Annotation, ClaimRecord, Document, Label, RelationKind};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

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
}

#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    pub format: Format,
    pub docs: Vec<IncomingDoc>,
    /// W3C annotations: they carry no text and attach to shown articles.
    pub loose: Vec<IncomingAnn>,
    /// Links between `loose` annotations, attached once they are placed.
    pub loose_relations: Vec<LooseRelation>,
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
    // Leading blank lines stay in what serde reads, so the places it names
    // count lines and columns of the file as the user sees it.
    let body = input.trim_start_matches('\u{FEFF}');
    if body.trim().is_empty() {
        return err("", "the input is empty");
    }
    let trimmed = body.trim_end();
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
        });
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

/// An article shown on the page, as import sees it.
pub struct Shown<'a> {
    pub doc: &'a Document,
}

/// Where imported annotations go.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub format: Format,
    /// Annotations for shown articles, by doc-id.
    pub existing: Vec<(String, Vec<Annotation>)>,
    /// New articles with their annotations.
    pub new_docs: Vec<(Document, Vec<Annotation>)>,
    pub unknown_labels: BTreeMap<String, usize>,
    /// Relations of types that are not ours (doccano's own), with how many.
    pub skipped_relations: BTreeMap<String, usize>,
    /// Repeats of a span (or of a made-up id) in new articles, dropped as
    /// merging into a shown article drops them.
    pub repeated: usize,
}

/// Matches parsed input to articles and checks every annotation against its
/// text. Any error refuses the whole import.
pub fn plan(incoming: Incoming, shown: &[Shown], now: &str) -> Result<Plan, ImportError> {
    let mut out = Plan {
        format: incoming.format,
        existing: vec![],
        new_docs: vec![],
        unknown_labels: incoming.unknown_labels,
        skipped_relations: incoming.skipped_relations,
        repeated: 0,
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
                        .clone()
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
        let placed = place_doc(d, doc_ref, now, &mut given)?;
        match doc {
            Target::Existing(doc) => push_existing(&mut out.existing, &doc.id, placed),
            Target::New(i) => out.new_docs[i].1.extend(placed),
        }
    }
    place_loose(
        incoming.loose,
        incoming.loose_relations,
        shown,
        now,
        &mut out,
        &mut given,
    )?;
    unique_ids(&given)?;
    for (_, anns) in &mut out.new_docs {
        out.repeated += drop_repeats(anns);
        // a link to a repeat that went follows it, as merging drops it
        // from an article on the page (`broken_links`)
        drop_broken_links(anns);
    }
    Ok(out)
}

/// Places an article's annotations on `doc`. Stand-in ids are replaced by
/// made-up ones, in the links that end at them too.
fn place_doc(
    d: IncomingDoc,
    doc: &Document,
    now: &str,
    given: &mut Vec<(String, String)>,
) -> Result<Vec<Annotation>, ImportError> {
    let mut placed = vec![];
    let mut renamed: HashMap<String, String> = HashMap::new();
    for (i, mut a) in d.anns.into_iter().enumerate() {
        let stand_in = match d.stand_ins.contains(&i) {
            true => a.id.take(),
            false => None,
        };
        if let Some(ann) = place(&a, doc, now)? {
            match stand_in {
                Some(old) => {
                    renamed.insert(old, ann.id.clone());
                }
                None if a.id.is_some() => given.push((doc.id.clone(), ann.id.clone())),
                None => {}
            }
            placed.push(ann);
        }
    }
    for r in placed.iter_mut().flat_map(|a| a.claim.relations.iter_mut()) {
        if let Some(id) = renamed.get(&r.to) {
            r.to = id.clone();
        }
    }
    Ok(placed)
}

/// Places W3C annotations on the shown articles that hold their source or
/// their quote, with the links between them.
fn place_loose(
    mut loose: Vec<IncomingAnn>,
    rels: Vec<LooseRelation>,
    shown: &[Shown],
    now: &str,
    out: &mut Plan,
    given: &mut Vec<(String, String)>,
) -> Result<(), ImportError> {
    let mut targets: Vec<&Document> = vec![];
    for a in &loose {
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
            return err(&a.at, "no open article contains this annotation's text or source");
        };
        targets.push(target.doc);
    }
    let article: Vec<String> = targets.iter().map(|d| d.id.clone()).collect();
    attach_loose(&mut loose, &article, rels)?;
    for (a, doc) in loose.iter().zip(targets) {
        if let Some(ann) = place(a, doc, now)? {
            if a.id.is_some() {
                given.push((doc.id.clone(), ann.id.clone()));
            }
            push_existing(&mut out.existing, &doc.id, vec![ann]);
        }
    }
    Ok(())
}

/// Drops links whose end is not among `anns`.
fn drop_broken_links(anns: &mut [Annotation]) {
    let ids: HashSet<String> = anns.iter().map(|a| a.id.clone()).collect();
    for a in anns.iter_mut() {
        a.claim.relations.retain(|r| ids.contains(&r.to));
    }
}

/// Keeps the first annotation of each id and of each span; returns how many went.
fn drop_repeats(anns: &mut Vec<Annotation>) -> usize {
    let (mut ids, mut spans) = (HashSet::new(), HashSet::new());
    let before = anns.len();
    anns.retain(|a| {
        let new_id = ids.insert(a.id.clone());
        let new_span = spans.insert((a.start, a.end, a.label));
        new_id && new_span
    });
    before - anns.len()
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
        claim: claim_record(&a.claim, label, now),
    }))
}

/// What a placed annotation keeps of the record read with it: none unless it
/// is a claim (as relabelling a claim drops it, `broken_links`), and a link
/// read without a time (doccano's carry none) takes the import's, as an
/// annotation does.
fn claim_record(read: &ClaimRecord, label: Label, now: &str) -> ClaimRecord {
    if label != Label::CLAIM {
        return ClaimRecord::default();
    }
    let mut record = read.clone();
    for r in &mut record.relations {
        for time in [&mut r.created_at, &mut r.updated_at] {
            if time.is_empty() {
                *time = now.to_string();
            }
        }
    }
    record
}
