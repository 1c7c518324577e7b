//! Planning an import: what was read (`import.rs`) matched to the articles on
//! the page or made into new ones, each annotation checked against its text
//! and re-anchored where its quote moved, and claims' links attached once
//! every annotation has its article. Any error refuses the whole import.

use super::import::{Format, ImportError, Incoming, IncomingAnn, IncomingDoc};
use super::links::{attach_loose, LooseRelation};
use super::read::err;
use super::w3c::DOC_URN;
use crate::model::anchor::{reanchor, Anchor, Placement};
use crate::model::{digest, Annotation, ClaimRecord, Document, Label};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

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
    /// The statuses the input gave, by doc-id: done or not.
    pub statuses: Vec<(String, bool)>,
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
        statuses: vec![],
    };
    let mut taken: FxHashSet<String> = shown.iter().map(|s| s.doc.id.clone()).collect();
    // ids the input gave, per article; ids made up for id-less spans are
    // the same for the same span, which merging counts as a duplicate
    let mut given: Vec<(String, String)> = vec![];
    for d in incoming.docs {
        let doc = match shown.iter().find(|s| s.doc.text() == d.text) {
            Some(s) => Target::Existing(s.doc),
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
        if let Some(done) = d.done {
            out.statuses.retain(|(id, _)| *id != doc_ref.id);
            out.statuses.push((doc_ref.id.clone(), done));
        }
        let placed = place_doc(d, doc_ref, now, &mut given)?;
        match doc {
            Target::Existing(doc) => push_existing(&mut out.existing, &doc.id, placed),
            Target::New(i) => append(&mut out.new_docs[i].1, placed),
        }
    }
    for (doc_id, done) in incoming.statuses {
        if shown.iter().any(|s| s.doc.id == doc_id) {
            out.statuses.retain(|(id, _)| *id != doc_id);
            out.statuses.push((doc_id, done));
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
    let mut placed = Vec::with_capacity(d.anns.len());
    let mut renamed: FxHashMap<String, String> = FxHashMap::default();
    for (i, mut a) in d.anns.into_iter().enumerate() {
        let stand_in = match d.stand_ins.contains(&i) {
            true => a.id.take(),
            false => None,
        };
        let id_given = a.id.is_some();
        if let Some(ann) = place(a, doc, now)? {
            match stand_in {
                Some(old) => {
                    renamed.insert(old, ann.id.clone());
                }
                None if id_given => given.push((doc.id.clone(), ann.id.clone())),
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
    for (a, doc) in loose.into_iter().zip(targets) {
        let id_given = a.id.is_some();
        if let Some(ann) = place(a, doc, now)? {
            if id_given {
                given.push((doc.id.clone(), ann.id.clone()));
            }
            push_existing(&mut out.existing, &doc.id, vec![ann]);
        }
    }
    Ok(())
}

/// Drops links whose end is not among `anns`.
fn drop_broken_links(anns: &mut [Annotation]) {
    if anns.iter().all(|a| a.claim.relations.is_empty()) {
        return;
    }
    let ids: FxHashSet<String> = anns.iter().map(|a| a.id.clone()).collect();
    for a in anns.iter_mut() {
        a.claim.relations.retain(|r| ids.contains(&r.to));
    }
}

/// Keeps the first annotation of each id and of each span; returns how many went.
fn drop_repeats(anns: &mut Vec<Annotation>) -> usize {
    let keep: Vec<bool> = {
        let n = anns.len();
        let mut ids = FxHashSet::with_capacity_and_hasher(n, Default::default());
        let mut spans = FxHashSet::with_capacity_and_hasher(n, Default::default());
        anns.iter()
            .map(|a| {
                let new_id = ids.insert(a.id.as_str());
                let new_span = spans.insert((a.start, a.end, a.label));
                new_id && new_span
            })
            .collect()
    };
    let before = anns.len();
    let mut kept = keep.into_iter();
    anns.retain(|_| kept.next().unwrap_or(true));
    before - anns.len()
}

enum Target<'a> {
    Existing(&'a Document),
    New(usize),
}

fn push_existing(existing: &mut Vec<(String, Vec<Annotation>)>, doc_id: &str, anns: Vec<Annotation>) {
    match existing.iter_mut().find(|(id, _)| id == doc_id) {
        Some((_, list)) => append(list, anns),
        None => existing.push((doc_id.to_string(), anns)),
    }
}

/// `more` after `list`: the first time, `more` itself, not a copy (at 20,000
/// annotations a copy is megabytes more at the import's busiest moment).
fn append(list: &mut Vec<Annotation>, more: Vec<Annotation>) {
    match list.is_empty() {
        true => *list = more,
        false => list.extend(more),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 120 && id.chars().all(|c| c.is_alphanumeric() || "-_.:".contains(c))
}

fn unique_ids(given: &[(String, String)]) -> Result<(), ImportError> {
    let mut seen = FxHashSet::with_capacity_and_hasher(given.len(), Default::default());
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
fn place(a: IncomingAnn, doc: &Document, now: &str) -> Result<Option<Annotation>, ImportError> {
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
    let id = a.id.filter(|id| !id.is_empty()).unwrap_or_else(|| {
        let key = format!("{}:{start}:{end}:{}", doc.id, label.key());
        format!("imp-{}", &digest(&key)[..12])
    });
    Ok(Some(Annotation {
        id,
        label,
        start,
        end,
        note: a.note.filter(|n| !n.trim().is_empty()),
        created_at: a.created_at.unwrap_or_else(|| now.to_string()),
        updated_at: a.updated_at.unwrap_or_else(|| now.to_string()),
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
