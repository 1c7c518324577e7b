//! The record kept in localStorage for each article (`hashiya:v1:doc:<doc-id>`),
//! and the checks that decide what of it can be restored.
//!
//! Schema 2 is compact, because localStorage holds about 5 M UTF-16 units for a
//! whole site and a data set of a thousand articles must fit. A record carries
//! either its article's text or, beside each annotation, the quote and context
//! to find it again if the text changes: the text for a user's article (there
//! is nowhere else to find it) and for any article whose text is smaller than
//! those quotes; quotes for a lightly annotated bundled or embedded one. On
//! load, missing quotes are cut from the text. `updated_at` is written only when
//! it differs from `created_at`, a note only when there is one. Schema 1
//! records (quotes always, both times) read as they are.

use crate::model::anchor::{Anchor, Placement, Reanchorer};
use crate::model::claim::check_source;
use crate::model::{digest, AnnotatedDoc, Annotation, ClaimRecord, Document, Label, Orphan, Tombstone};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::rc::Rc;

/// Version of the stored record; bump it with a migration.
pub const SCHEMA: u32 = 2;
/// Every key we write starts with `hashiya:v1:`, so a host page's keys are never touched.
pub const DOC_PREFIX: &str = "hashiya:v1:doc:";
pub const BACKUP_PREFIX: &str = "hashiya:v1:backup:";
/// The order of the workspace's articles (a JSON array of ids), once the
/// annotator has changed it; articles it does not name follow, as loaded.
pub const ORDER_KEY: &str = "hashiya:v1:order";

/// Code points of context kept beside each stored quote: enough to tell
/// occurrences apart when re-anchoring, half of what exports carry, because
/// localStorage is small.
pub const STORED_CONTEXT: usize = 16;

pub fn key_for(doc_id: &str) -> String {
    format!("{DOC_PREFIX}{doc_id}")
}

/// Where an article came from: bundled with the app, or opened by the user
/// (whose text must then be stored too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Bundled,
    User,
}

/// A record as read back. It is written through `RecordOut`, the same
/// fields borrowed.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct StoredDoc {
    pub schema: u32,
    pub doc_id: String,
    /// Digest of the text the annotations were made on.
    pub text_digest: String,
    pub origin: Origin,
    /// The article's text: always for a user's article, and for any other
    /// whose text is smaller than the quotes it replaces.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub added_at: Option<String>,
    pub saved_at: String,
    #[serde(deserialize_with = "super::pieces::exact_vec")]
    pub annotations: Vec<StoredAnnotation>,
    /// Deleted annotations, so another tab's older copy does not bring them back.
    #[serde(default)]
    pub tombstones: Vec<Tombstone>,
    /// Annotations that could not be placed on a changed text.
    #[serde(default)]
    pub orphans: Vec<Orphan>,
    /// The annotator marked the article done (absent in older records: not).
    #[serde(default)]
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct StoredAnnotation {
    pub id: String,
    pub label: Label,
    pub start: usize,
    pub end: usize,
    /// The text of the span when it was saved, to check it on restore, and its
    /// context, to find it again if the text changes. Empty (and not written)
    /// when the record carries the text: they are cut from it on restore.
    #[serde(default)]
    pub quote: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    #[serde(default)]
    pub note: Option<String>,
    pub created_at: String,
    /// Empty (and not written) when it is `created_at`.
    #[serde(default)]
    pub updated_at: String,
    #[serde(default)]
    pub claim: ClaimRecord,
}

/// A record as it is written, borrowed from what it is made of: saving a big
/// article then copies nothing but the JSON, where a `StoredDoc` built
/// first would copy every annotation's strings (megabytes at 20,000).
#[derive(Serialize)]
struct RecordOut<'a> {
    schema: u32,
    doc_id: &'a str,
    text_digest: Cow<'a, str>,
    origin: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    added_at: Option<&'a str>,
    saved_at: &'a str,
    annotations: AnnotationsOut<'a>,
    tombstones: &'a [Tombstone],
    orphans: &'a [Orphan],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    done: bool,
}

/// The annotations of a record, written one by one as they are met.
enum AnnotationsOut<'a> {
    /// An article's own, with their quotes and context cut from its text
    /// unless the record carries the text.
    Live {
        doc: &'a Document,
        anns: &'a [Rc<Annotation>],
        quotes: bool,
    },
    Read(&'a [StoredAnnotation]),
}

impl Serialize for AnnotationsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            AnnotationsOut::Live { doc, anns, quotes } => {
                s.collect_seq(anns.iter().map(|a| AnnotationOut::live(doc, a, quotes)))
            }
            AnnotationsOut::Read(list) => s.collect_seq(list.iter().map(AnnotationOut::read)),
        }
    }
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    id: &'a str,
    label: Label,
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "str::is_empty")]
    quote: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    prefix: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suffix: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    created_at: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    updated_at: &'a str,
    #[serde(skip_serializing_if = "ClaimRecord::is_empty")]
    claim: &'a ClaimRecord,
}

impl<'a> AnnotationOut<'a> {
    fn live(doc: &'a Document, a: &'a Annotation, quotes: bool) -> AnnotationOut<'a> {
        let (quote, prefix, suffix) = match quotes {
            true => context(doc, a.start, a.end),
            false => ("", "", ""),
        };
        AnnotationOut {
            id: &a.id,
            label: a.label,
            start: a.start,
            end: a.end,
            quote,
            prefix,
            suffix,
            note: a.note.as_deref(),
            created_at: &a.created_at,
            updated_at: match a.updated_at == a.created_at {
                true => "",
                false => &a.updated_at,
            },
            claim: &a.claim,
        }
    }

    fn read(a: &'a StoredAnnotation) -> AnnotationOut<'a> {
        AnnotationOut {
            id: &a.id,
            label: a.label,
            start: a.start,
            end: a.end,
            quote: &a.quote,
            prefix: &a.prefix,
            suffix: &a.suffix,
            note: a.note.as_deref(),
            created_at: &a.created_at,
            updated_at: &a.updated_at,
            claim: &a.claim,
        }
    }
}

impl Serialize for StoredDoc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RecordOut {
            schema: self.schema,
            doc_id: &self.doc_id,
            text_digest: Cow::Borrowed(&self.text_digest),
            origin: self.origin,
            text: self.text.as_deref(),
            added_at: self.added_at.as_deref(),
            saved_at: &self.saved_at,
            annotations: AnnotationsOut::Read(&self.annotations),
            tombstones: &self.tombstones,
            orphans: &self.orphans,
            done: self.done,
        }
        .serialize(s)
    }
}

/// The record for an article as it stands now, as JSON.
pub fn record_json(d: &DocRecord, now: &str) -> serde_json::Result<String> {
    let doc = &d.ad.doc;
    let carries_text = d.origin == Origin::User || text_is_smaller(d.ad);
    let record = RecordOut {
        schema: SCHEMA,
        doc_id: &doc.id,
        text_digest: Cow::Owned(digest(doc.text())),
        origin: d.origin,
        text: carries_text.then(|| doc.text()),
        added_at: d.added_at,
        saved_at: now,
        annotations: AnnotationsOut::Live {
            doc,
            anns: d.ad.annotations(),
            quotes: !carries_text,
        },
        tombstones: d.tombstones,
        orphans: d.orphans,
        done: d.done,
    };
    // Written once to count its bytes, then into a buffer of that size: a
    // buffer grown by doubling holds up to twice the record, and copies
    // itself as it grows. For a 400k article with 20,000 annotations (3 MB
    // of JSON) that set the page's memory high-water mark, above the
    // import's; counting costs a second pass of a few milliseconds, in a
    // save that waits off the input path anyway. One writer type serves
    // both passes: each writer type compiles the serializer again (4 KB).
    let mut size = Pass::Count(0);
    serde_json::to_writer(&mut size, &record)?;
    let mut json = Pass::Write(Vec::with_capacity(size.len()));
    serde_json::to_writer(&mut json, &record)?;
    String::from_utf8(json.into_bytes()).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

/// A writer for a pass that only counts what it is given, or keeps it.
enum Pass {
    Count(usize),
    Write(Vec<u8>),
}

impl Pass {
    fn len(&self) -> usize {
        match self {
            Pass::Count(n) => *n,
            Pass::Write(out) => out.len(),
        }
    }

    fn into_bytes(self) -> Vec<u8> {
        match self {
            Pass::Count(_) => vec![],
            Pass::Write(out) => out,
        }
    }
}

impl std::io::Write for Pass {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Pass::Count(n) => *n += bytes.len(),
            Pass::Write(out) => out.extend_from_slice(bytes),
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The record for an article as it stands now, as it reads back.
pub fn to_stored(d: &DocRecord, now: &str) -> StoredDoc {
    let json = record_json(d, now).expect("a record is plain data");
    decode(&json).expect("a record just written reads back")
}

/// True when the article's text takes less room than the quotes and context
/// it would replace: an embedded article dense with annotations then carries
/// its text, and its quotes are cut from it on load. (A user's article always
/// carries its text: there is nowhere else to find it.)
fn text_is_smaller(ad: &AnnotatedDoc) -> bool {
    // per annotation: the quote, both contexts, and their three keys
    let anchors: usize = ad
        .annotations()
        .iter()
        .map(|a| a.end.saturating_sub(a.start) + 2 * STORED_CONTEXT + 32)
        .sum();
    ad.doc.len() < anchors
}

/// The quote of `start..end` in `doc` and the context kept beside it, or
/// nothing when the span does not lie in the text.
fn context(doc: &Document, start: usize, end: usize) -> (&str, &str, &str) {
    if !(start < end && end <= doc.len()) {
        return ("", "", "");
    }
    (
        doc.slice(start, end),
        doc.slice(start.saturating_sub(STORED_CONTEXT), start),
        doc.slice(end, (end + STORED_CONTEXT).min(doc.len())),
    )
}

/// What a record is made from: the article's state and where it came from.
pub struct DocRecord<'a> {
    pub ad: &'a AnnotatedDoc,
    pub origin: Origin,
    pub added_at: Option<&'a str>,
    pub tombstones: &'a [Tombstone],
    pub orphans: &'a [Orphan],
    pub done: bool,
}

/// Why a stored value cannot be used as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON, or not the shape of a record.
    Corrupt(String),
    /// A schema this version does not know (written by a newer Hashiya?).
    UnknownSchema(u64),
}

/// What the user is told of why: the parser's words, or the schema.
impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Corrupt(why) => f.write_str(why),
            DecodeError::UnknownSchema(v) => write!(f, "schema {v}"),
        }
    }
}

/// Only the version of a stored value, read before the rest.
#[derive(Deserialize)]
struct Versioned {
    schema: Option<u64>,
}

/// Parses a stored value, migrating older schemas.
pub fn decode(raw: &str) -> Result<StoredDoc, DecodeError> {
    let corrupt = |e: serde_json::Error| DecodeError::Corrupt(e.to_string());
    // serde reads a struct from an array too (`[3]` would be "schema 3"), so the
    // shape is checked first: only an object can be a record.
    if !raw.trim_start_matches([' ', '\t', '\n', '\r']).starts_with('{') {
        return Err(DecodeError::Corrupt("not a JSON object".into()));
    }
    // a record of a schema read as it is parses in one pass (a big
    // article's record is megabytes); only the others are looked at twice
    if let Ok(doc) = serde_json::from_str::<StoredDoc>(raw) {
        if READ_AS_IS.contains(&u64::from(doc.schema)) {
            return Ok(doc);
        }
    }
    let version: Versioned = serde_json::from_str(raw).map_err(corrupt)?;
    let current = migrate(version.schema, raw)?;
    serde_json::from_str(&current).map_err(corrupt)
}

/// Where a record is kept when it does not fit localStorage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeptIn {
    IndexedDb,
}

/// What an article's localStorage key holds when its record did not fit
/// there: the record itself is in IndexedDB under the same key. It is
/// written in one `setItem` once the record is safely in IndexedDB, so the
/// key always names a whole record; `saved_at` makes each write a new value,
/// which other tabs hear as a `storage` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pointer {
    pub schema: u32,
    pub kept_in: KeptIn,
    pub doc_id: String,
    pub saved_at: String,
}

/// Records of this many bytes of JSON or more go to IndexedDB even when
/// localStorage would take them: a synchronous `setItem` of megabytes
/// blocks the page on every save (37 ms for 400k/20k in Chromium), and
/// localStorage's 5 M units are better kept for the many small articles of a
/// data set. IndexedDB writes off the main thread.
const INDEXEDDB_FROM: usize = 1 << 20;

/// True when a record is big enough to be kept in IndexedDB.
pub fn belongs_in_indexeddb(json: &str) -> bool {
    json.len() >= INDEXEDDB_FROM
}

/// How every pointer starts (`pointer` writes its fields in this order),
/// and no record does: a record, megabytes maybe, is never parsed twice.
const POINTER_START: &str = r#"{"schema":2,"kept_in":"#;

/// The pointer value for an article whose record is now in IndexedDB.
pub fn pointer(doc_id: &str, now: &str) -> String {
    let p = Pointer {
        schema: SCHEMA,
        kept_in: KeptIn::IndexedDb,
        doc_id: doc_id.into(),
        saved_at: now.into(),
    };
    serde_json::to_string(&p).unwrap_or_default()
}

/// The pointer a stored value is, if it is one (and not a record).
pub fn read_pointer(raw: &str) -> Option<Pointer> {
    if !raw.starts_with(POINTER_START) {
        return None;
    }
    serde_json::from_str(raw).ok()
}

/// The schemas whose records read as they are (see `migrate`).
const READ_AS_IS: [u64; 2] = [1, 2];

/// Brings a stored value of `schema` up to the current one. Schema 1 reads
/// as it is: every field schema 2 may leave out is one it always wrote. A
/// future version adds its step here (parse the old shape, return the new one
/// as JSON).
pub fn migrate(schema: Option<u64>, raw: &str) -> Result<std::borrow::Cow<'_, str>, DecodeError> {
    match schema {
        Some(v) if READ_AS_IS.contains(&v) => Ok(raw.into()),
        Some(v) => Err(DecodeError::UnknownSchema(v)),
        None => Err(DecodeError::Corrupt("no schema field".into())),
    }
}

/// A stored claim record as it may be used: a source that is not an http(s)
/// link (the value in storage was edited by hand, or by a hostile script) is
/// dropped rather than ever becoming a link.
fn checked_claim(c: &ClaimRecord) -> ClaimRecord {
    ClaimRecord {
        source: c.source.as_deref().and_then(|s| check_source(s).ok()),
        ..c.clone()
    }
}

/// What could be restored onto the article's current text.
#[derive(Debug, Default, PartialEq)]
pub struct Restored {
    pub annotations: Vec<Annotation>,
    /// Annotations placed somewhere else than their stored offsets.
    pub moved: usize,
    /// Annotations that could not be placed (including earlier orphans).
    pub orphans: Vec<Orphan>,
}

/// Places stored annotations, and earlier orphans, on `doc`'s current text.
pub fn restore(doc: &Document, stored: &StoredDoc) -> Restored {
    // sized once: at 20,000 annotations a list grown by doubling, and a set
    // of copied ids, set the memory high-water mark of a reload
    let mut out = Restored {
        annotations: Vec::with_capacity(stored.annotations.len()),
        ..Restored::default()
    };
    let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(
        stored.annotations.len() + stored.orphans.len(),
        Default::default(),
    );
    let earlier = stored.orphans.iter().map(|o| {
        (
            o.annotation.id.as_str(),
            o.annotation.clone(),
            o.quote.clone(),
            o.prefix.clone(),
            o.suffix.clone(),
        )
    });
    let made_on = MadeOn::new(doc, stored);
    let saved = stored.annotations.iter().map(|s| {
        let a = Annotation {
            id: s.id.clone(),
            label: s.label,
            start: s.start,
            end: s.end,
            note: s.note.clone(),
            created_at: s.created_at.clone(),
            updated_at: match s.updated_at.is_empty() {
                true => s.created_at.clone(),
                false => s.updated_at.clone(),
            },
            claim: checked_claim(&s.claim),
        };
        // a quote to be cut from the very text it is placed on would match
        // where it is: the span stays, and nothing is cut or compared (this
        // is most of restoring a big article that carries its text)
        let in_place = s.quote.is_empty() && made_on.is(doc) && s.start < s.end && s.end <= doc.len();
        let (quote, prefix, suffix) = match (in_place, s.quote.is_empty()) {
            (true, _) => Default::default(),
            (false, true) => made_on.context(s.start, s.end),
            (false, false) => (s.quote.clone(), s.prefix.clone(), s.suffix.clone()),
        };
        (s.id.as_str(), a, quote, prefix, suffix, in_place)
    });
    let earlier = earlier.map(|(id, a, quote, prefix, suffix)| (id, a, quote, prefix, suffix, false));
    let placer = Reanchorer::new(doc);
    for (id, mut a, quote, prefix, suffix, in_place) in saved.chain(earlier) {
        if !seen.insert(id) {
            continue;
        }
        if in_place {
            out.annotations.push(a);
            continue;
        }
        let anchor = Anchor {
            start: a.start,
            end: a.end,
            quote: &quote,
            prefix: &prefix,
            suffix: &suffix,
        };
        match placer.place(anchor) {
            Placement::Kept => out.annotations.push(a),
            Placement::Moved(s, e) | Placement::Fuzzy(s, e) => {
                (a.start, a.end) = (s, e);
                out.moved += 1;
                out.annotations.push(a);
            }
            Placement::Orphan => out.orphans.push(Orphan {
                annotation: a,
                quote,
                prefix,
                suffix,
            }),
        }
    }
    out
}

/// The text a record's annotations were made on, when it can be had: the
/// article's current text if its digest is the stored one, else the text the
/// record carries if that is it. A compact annotation's quote and context are
/// cut from it. A carried text that is not the one digested (the value was
/// edited by hand) is no guide: cutting quotes from it would keep every
/// annotation at its old offsets over other words, so they are kept aside.
enum MadeOn<'a> {
    Current(&'a Document),
    Carried(Box<Document>),
    Unknown,
}

impl<'a> MadeOn<'a> {
    fn new(doc: &'a Document, stored: &StoredDoc) -> Self {
        if !stored.annotations.iter().any(|a| a.quote.is_empty()) {
            return MadeOn::Unknown; // nothing to cut: spare the digest
        }
        if digest(doc.text()) == stored.text_digest {
            return MadeOn::Current(doc);
        }
        match &stored.text {
            Some(text) if digest(text) == stored.text_digest => {
                MadeOn::Carried(Box::new(Document::from_text(stored.doc_id.clone(), text)))
            }
            _ => MadeOn::Unknown,
        }
    }

    /// True when the text the annotations were made on is `doc`'s own.
    fn is(&self, doc: &Document) -> bool {
        matches!(self, MadeOn::Current(d) if std::ptr::eq(*d, doc))
    }

    /// Quote, prefix and suffix of a span; empty ones (an orphan) when the
    /// text is unknown or the span does not lie in it.
    fn context(&self, start: usize, end: usize) -> (String, String, String) {
        let (quote, prefix, suffix) = match self {
            MadeOn::Current(doc) => context(doc, start, end),
            MadeOn::Carried(doc) => context(doc, start, end),
            MadeOn::Unknown => ("", "", ""),
        };
        (quote.into(), prefix.into(), suffix.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_articles, ArticleDraft};
    use std::rc::Rc;

    #[test]
    fn a_pointer_reads_back_and_a_record_is_never_one() {
        let raw = pointer("k", "2026-12-01T00:00:00Z");
        let p = read_pointer(&raw).expect("a pointer");
        assert_eq!((p.doc_id.as_str(), p.kept_in), ("k", KeptIn::IndexedDb));
        assert!(decode(&raw).is_err(), "a pointer is not a record");
        let d = doc();
        let ad = AnnotatedDoc::new(Rc::new(d.clone()), vec![kerry(&d)]);
        let record = DocRecord {
            ad: &ad,
            origin: Origin::Bundled,
            added_at: None,
            tombstones: &[],
            orphans: &[],
            done: false,
        };
        let small = serde_json::to_string(&to_stored(&record, "now")).unwrap();
        assert_eq!(read_pointer(&small), None);
        let long_id = "م".repeat(2000);
        let p = read_pointer(&pointer(&long_id, "t")).expect("a pointer, however long its id");
        assert_eq!(p.doc_id, long_id);
        assert_eq!(
            read_pointer(r#"{"schema":2,"kept_in":"elsewhere","doc_id":"k","saved_at":"t"}"#),
            None
        );
    }

    fn doc() -> Document {
        Document::new(
            "k",
            parse_articles(include_str!("../../assets/seed-articles.txt"))[0].clone(),
        )
    }

    /// "جون كيري" in the first seed article, as a person.
    fn kerry(d: &Document) -> Annotation {
        let start = d
            .text()
            .find("جون كيري")
            .map(|b| d.text()[..b].chars().count())
            .unwrap();
        Annotation {
            id: "a".into(),
            label: Label::PERSON,
            start,
            end: start + 8,
            note: None,
            created_at: "c".into(),
            updated_at: "u".into(),
            claim: Default::default(),
        }
    }

    fn record(ad: &AnnotatedDoc, origin: Origin) -> DocRecord<'_> {
        DocRecord {
            ad,
            origin,
            added_at: None,
            tombstones: &[],
            orphans: &[],
            done: false,
        }
    }

    fn sample() -> (Document, StoredDoc) {
        let d = doc();
        let ann = Annotation {
            note: Some("<b>ملاحظة</b>".into()),
            ..kerry(&d)
        };
        let ad = AnnotatedDoc::new(Rc::new(d.clone()), vec![ann]);
        let record = DocRecord {
            done: true,
            ..record(&ad, Origin::Bundled)
        };
        (d, to_stored(&record, "now"))
    }

    #[test]
    fn a_record_is_written_read_and_restored_in_buffers_of_its_size() {
        let d = doc();
        // enough annotations that a doubling buffer would be left half empty
        let anns: Vec<Annotation> = (0..300)
            .map(|i| Annotation {
                id: format!("a{i}"),
                ..kerry(&d)
            })
            .collect();
        let ad = AnnotatedDoc::new(Rc::new(d), anns);
        let json = record_json(&record(&ad, Origin::User), "now").unwrap();
        assert_eq!(json.capacity(), json.len());
        // and it reads back, and is restored, into lists of their size
        let stored = decode(&json).unwrap();
        assert_eq!(
            (stored.annotations.len(), stored.annotations.capacity()),
            (300, 300)
        );
        let restored = restore(&ad.doc, &stored);
        assert_eq!(
            (restored.annotations.len(), restored.annotations.capacity()),
            (300, 300)
        );
    }

    #[test]
    fn round_trips_through_json() {
        let (d, stored) = sample();
        let raw = serde_json::to_string(&stored).unwrap();
        let back = decode(&raw).unwrap();
        assert_eq!(back, stored);
        let r = restore(&d, &back);
        assert_eq!(r.annotations.len(), 1);
        assert_eq!(r.moved, 0);
        assert!(back.text.is_none());
    }

    #[test]
    fn a_claims_record_comes_back_but_a_tampered_source_never_becomes_a_link() {
        let (d, mut stored) = sample();
        let a = &mut stored.annotations[0];
        a.label = Label::CLAIM;
        a.claim.verdict = Some("false".into());
        a.claim.source = Some("https://example.org/x".into());
        let raw = serde_json::to_string(&stored).unwrap();
        let back = restore(&d, &decode(&raw).unwrap());
        assert_eq!(back.annotations[0].claim, stored.annotations[0].claim);
        let hostile = raw.replace("https://example.org/x", "javascript:alert(1)");
        let back = restore(&d, &decode(&hostile).unwrap());
        assert_eq!(back.annotations[0].claim.source, None);
        assert_eq!(back.annotations[0].claim.verdict.as_deref(), Some("false"));
    }

    #[test]
    fn broken_or_future_values_are_reported() {
        assert!(matches!(decode("{\"schema\":1,"), Err(DecodeError::Corrupt(_))));
        assert!(matches!(decode("[]"), Err(DecodeError::Corrupt(_))));
        assert_eq!(decode("{\"schema\":7}"), Err(DecodeError::UnknownSchema(7)));
        assert!(matches!(
            decode("{\"schema\":1,\"doc_id\":3}"),
            Err(DecodeError::Corrupt(_))
        ));
    }

    #[test]
    fn migrate_passes_known_schemas_and_refuses_others() {
        let raw = "{\"schema\":2}";
        assert_eq!(migrate(Some(2), raw).unwrap(), raw);
        assert_eq!(migrate(Some(1), raw).unwrap(), raw);
        assert_eq!(migrate(Some(3), raw), Err(DecodeError::UnknownSchema(3)));
        assert!(matches!(migrate(None, raw), Err(DecodeError::Corrupt(_))));
        // records from before tombstones, orphans and context existed still load
        let old = r#"{"schema":1,"doc_id":"k","text_digest":"0","origin":"bundled","saved_at":"t",
            "annotations":[{"id":"a","label":"place","start":0,"end":1,"quote":"ك","note":null,
            "created_at":"c","updated_at":"u"}]}"#;
        let d = decode(old).unwrap();
        assert!(d.tombstones.is_empty() && d.orphans.is_empty());
        assert_eq!(d.annotations[0].prefix, "");
    }

    /// A user's article as schema 1 wrote it: every quote and context, both times.
    fn schema_1_user_record(d: &Document, start: usize) -> String {
        serde_json::json!({
            "schema": 1, "doc_id": "k", "text_digest": digest(d.text()), "origin": "user",
            "text": d.text(), "added_at": "t0", "saved_at": "t1",
            "annotations": [{"id": "a", "label": "person", "start": start, "end": start + 8,
                "quote": d.slice(start, start + 8), "prefix": d.slice(start - 16, start),
                "suffix": d.slice(start + 8, start + 24), "note": null,
                "created_at": "c", "updated_at": "c"}],
            "tombstones": [], "orphans": []
        })
        .to_string()
    }

    #[test]
    fn a_schema_1_record_reads_and_is_written_back_compact() {
        let (d, sample) = sample();
        let start = sample.annotations[0].start;
        let old = schema_1_user_record(&d, start);
        let r = restore(&d, &decode(&old).unwrap());
        assert_eq!((r.annotations.len(), r.moved), (1, 0));
        assert_eq!(r.annotations[0].updated_at, "c");
        let ad = AnnotatedDoc::new(Rc::new(d.clone()), r.annotations.clone());
        let record = DocRecord {
            added_at: Some("t0"),
            ..record(&ad, Origin::User)
        };
        let new = serde_json::to_string(&to_stored(&record, "t2")).unwrap();
        assert!(new.starts_with("{\"schema\":2,"), "{new}");
        for gone in [
            "\"quote\"",
            "\"prefix\"",
            "\"suffix\"",
            "\"updated_at\"",
            "\"note\"",
        ] {
            assert!(!new.contains(gone), "{gone} is still written: {new}");
        }
        // what the compact record saves, on an article of this size with one annotation
        assert!(new.len() + 100 < old.len(), "{} → {}", old.len(), new.len());
        assert_eq!(restore(&d, &decode(&new).unwrap()).annotations, r.annotations);
    }

    #[test]
    fn a_compact_record_finds_its_quotes_in_the_text_it_carries() {
        let d = doc();
        let ann = kerry(&d);
        let ad = AnnotatedDoc::new(Rc::new(d.clone()), vec![ann.clone()]);
        let record = record(&ad, Origin::User);
        let stored = decode(&serde_json::to_string(&to_stored(&record, "t")).unwrap()).unwrap();
        assert_eq!(stored.annotations[0].quote, "");
        assert_eq!(
            stored.annotations[0].updated_at, "u",
            "a later change keeps its time"
        );
        // the same text: kept as it was
        assert_eq!(restore(&d, &stored).annotations, vec![ann.clone()]);
        // a text with a new opening line: found again from the quote cut from the record's text
        let edited = Document::from_text("k", &format!("سطر جديد في أوله\n{}", d.text()));
        let r = restore(&edited, &stored);
        assert_eq!(r.moved, 1);
        let a = &r.annotations[0];
        assert_eq!(edited.slice(a.start, a.end), "جون كيري");
        // a text that lost the name: kept aside with the quote, so it can come back
        let cut = Document::from_text("k", &d.text().replace("جون كيري", "وزير"));
        let r = restore(&cut, &stored);
        assert_eq!(r.orphans.len(), 1);
        assert_eq!(r.orphans[0].quote, "جون كيري");
        // a carried text edited by hand, its digest left: kept aside, not moved onto other words
        let mut edited_by_hand = stored.clone();
        edited_by_hand.text = Some(cut.text().to_string());
        let r = restore(&cut, &edited_by_hand);
        assert_eq!((r.annotations.len(), r.orphans.len()), (0, 1));
        assert_eq!(r.orphans[0].annotation, ann);
        // a compact annotation on a record without its text, and a changed one: kept aside
        let mut lost = stored.clone();
        lost.text = None;
        assert_eq!(restore(&cut, &lost).orphans.len(), 1);
        assert_eq!(restore(&cut, &lost).orphans[0].quote, "");
    }

    #[test]
    fn a_densely_annotated_article_carries_its_text_instead_of_quotes() {
        let d = doc();
        // every other word of the article tagged, as a pre-annotated embed may be
        let mut words = vec![];
        let mut at = 0;
        for w in d.text().split([' ', '\n']) {
            let n = w.chars().count();
            if n > 0 {
                words.push((at, at + n));
            }
            at += n + 1;
        }
        let anns: Vec<Annotation> = words
            .iter()
            .step_by(2)
            .enumerate()
            .map(|(i, &(start, end))| Annotation {
                id: format!("w{i}"),
                label: Label::PLACE,
                start,
                end,
                note: None,
                created_at: "c".into(),
                updated_at: "c".into(),
                claim: Default::default(),
            })
            .collect();
        let ad = AnnotatedDoc::new(Rc::new(d.clone()), anns.clone());
        let dense = to_stored(&record(&ad, Origin::Bundled), "t");
        assert_eq!(dense.text.as_deref(), Some(d.text()));
        assert!(dense.annotations.iter().all(|a| a.quote.is_empty()));
        // smaller than the same record with every quote and context
        let with_quotes = StoredDoc {
            text: None,
            annotations: dense
                .annotations
                .iter()
                .map(|a| {
                    let (quote, prefix, suffix) = context(&d, a.start, a.end);
                    StoredAnnotation {
                        quote: quote.into(),
                        prefix: prefix.into(),
                        suffix: suffix.into(),
                        ..a.clone()
                    }
                })
                .collect(),
            ..dense.clone()
        };
        let size = |s: &StoredDoc| serde_json::to_string(s).unwrap().encode_utf16().count();
        assert!(
            size(&dense) < size(&with_quotes),
            "{} ≥ {}",
            size(&dense),
            size(&with_quotes)
        );
        let back = decode(&serde_json::to_string(&dense).unwrap()).unwrap();
        assert_eq!(restore(&d, &back).annotations, anns);
        // the bundled text changed under the record: found again from the text it carries
        let edited = Document::from_text("k", &format!("تنويه\n{}", d.text()));
        let r = restore(&edited, &back);
        assert_eq!((r.annotations.len(), r.orphans.len()), (anns.len(), 0));
        for (a, b) in r.annotations.iter().zip(&anns) {
            assert_eq!(edited.slice(a.start, a.end), d.slice(b.start, b.end));
        }
        // lightly annotated, the same article keeps quotes and not its text
        let light = AnnotatedDoc::new(Rc::new(d.clone()), anns[..3].to_vec());
        let light = to_stored(&record(&light, Origin::Bundled), "t");
        assert!(light.text.is_none() && light.annotations.iter().all(|a| !a.quote.is_empty()));
    }

    #[test]
    fn an_edited_text_moves_or_keeps_aside() {
        let (d, mut stored) = sample();
        let edited = Document::new(
            "k",
            ArticleDraft {
                heading: format!("مقدمة جديدة {}", d.title()),
                paragraphs: d.blocks[1..].iter().map(|b| b.text.to_string()).collect(),
                source: None,
            },
        );
        let r = restore(&edited, &stored);
        assert_eq!(r.moved, 1);
        assert_eq!(
            edited.slice(r.annotations[0].start, r.annotations[0].end),
            "جون كيري"
        );
        stored.annotations[0].quote = "نص غير موجود".into();
        let r = restore(&edited, &stored);
        assert_eq!(r.orphans.len(), 1);
        assert_eq!(r.orphans[0].quote, "نص غير موجود");
        assert!(r.annotations.is_empty());
        // an orphan stays an orphan on the next load, and comes back if its text does
        stored.orphans = r.orphans;
        stored.annotations.clear();
        assert_eq!(restore(&edited, &stored).orphans.len(), 1);
        stored.orphans[0].quote = "جون كيري".into();
        assert_eq!(restore(&edited, &stored).annotations.len(), 1);
    }
}
