//! Hashiya JSON read straight from the text into typed fields: the fast
//! way in for big inputs (an import of 20,000 annotations, a host's
//! `setAnnotations`). Building a `serde_json::Value` first costs as much
//! again, and as much once more to free it.
//!
//! These readers only ever succeed or give up. On any error they give up
//! (`None`), and the caller reads the input again through `Value`, whose
//! errors say where. So an error is always the same one, whichever reader
//! met it first, and what these readers return must be what that reader
//! returns: the tests below hold them to it, and so does the fuzzing of
//! the file reader (`tests/fuzz_readers.rs`) on every input it makes.
//!
//! To accept nothing that reader refuses, every record must be a JSON
//! object (`Object`: serde would take an array for a struct, field by
//! field), and every field is one we know, read as a `Value` at least
//! where we do not use it (serde's skipping of an unknown value checks
//! neither its numbers' range, nor its escapes, nor its depth). A field
//! left out is `None`, as the other reader takes it; a `Cow` inside an
//! `Option` is never borrowed, so only bare `Cow`s say `borrow`.

use super::export::{AnnFields, VERSION};
use super::import::{Format, Incoming, IncomingAnn, Parser};
use super::links::{attach, IncomingRelation};
use super::pieces::Chunked;
use super::read;
use crate::model::{DocStatus, Label};
use serde::de::{value::MapAccessDeserializer, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::marker::PhantomData;

/// A record that must be a JSON object.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Fields<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Object)
            }
        }
        d.deserialize_map(Fields(PhantomData))
    }
}

/// A value we do not use, read as a `Value` (so checked as the other reader
/// checks it) and not kept: an annotation's two unused fields would
/// otherwise hold 32 bytes each, 20,000 times over in a big import.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|_| Checked)
    }
}

/// The top of a Hashiya JSON file. Any other field gives up at once, so
/// that JSONL and W3C input costs little here before it is read as such.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Root<'a> {
    #[serde(borrow)]
    format: Cow<'a, str>,
    version: u64,
    #[serde(default, rename = "exported_at")]
    _exported_at: Option<Checked>,
    #[serde(borrow)]
    documents: Vec<Object<Doc<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    doc_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    annotations: Chunked<Object<Ann<'a>>>,
    relations: Option<Vec<Object<Relation<'a>>>>,
    status: Option<Cow<'a, str>>,
    // written by our export, not read: checked as any value is
    #[serde(default, rename = "title")]
    _title: Option<Checked>,
    #[serde(default, rename = "lang")]
    _lang: Option<Checked>,
    #[serde(default, rename = "dir")]
    _dir: Option<Checked>,
    #[serde(default, rename = "orphans")]
    _orphans: Option<Checked>,
}

/// An annotation: its id and `AnnFields`, field by field. Not `AnnFields`
/// under `#[serde(flatten)]`: serde cannot deny unknown fields beside a
/// flattened struct, and it buffers every value of the record first.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ann<'a> {
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    label: Cow<'a, str>,
    start: usize,
    end: usize,
    quote: Option<Cow<'a, str>>,
    prefix: Option<Cow<'a, str>>,
    suffix: Option<Cow<'a, str>>,
    note: Option<Cow<'a, str>>,
    created_at: Option<Cow<'a, str>>,
    updated_at: Option<Cow<'a, str>>,
    verdict: Option<Cow<'a, str>>,
    source: Option<Cow<'a, str>>,
    // written by our export, not read: checked as any value is
    #[serde(default, rename = "utf16_start")]
    _utf16_start: Option<Checked>,
    #[serde(default, rename = "utf16_end")]
    _utf16_end: Option<Checked>,
}

impl<'a> Ann<'a> {
    /// Its id, and the fields both readers build an annotation from.
    fn split(self) -> (Option<Cow<'a, str>>, AnnFields<'a>) {
        let fields = AnnFields {
            label: self.label,
            start: self.start,
            end: self.end,
            quote: self.quote,
            prefix: self.prefix,
            suffix: self.suffix,
            note: self.note,
            created_at: self.created_at,
            updated_at: self.updated_at,
            verdict: self.verdict,
            source: self.source,
        };
        (self.id, fields)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Relation<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow, rename = "type")]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    from: Cow<'a, str>,
    #[serde(borrow)]
    to: Cow<'a, str>,
    created_at: Option<Cow<'a, str>>,
    updated_at: Option<Cow<'a, str>>,
}

/// A Hashiya JSON file, as `import::parse_for` reads it; `None` to read it
/// the slow way.
pub(super) fn hashiya(input: &str, labels: &[Label]) -> Option<Incoming> {
    let Object(root): Object<Root> = serde_json::from_str(input).ok()?;
    if root.format != "hashiya" || !(root.version == 1 || root.version == u64::from(VERSION)) {
        return None;
    }
    let mut p = Parser::for_labels(labels);
    p.format = Some(Format::Hashiya);
    for (i, Object(d)) in root.documents.into_iter().enumerate() {
        let at = format!("documents[{i}]");
        let mut anns = Vec::with_capacity(d.annotations.len());
        let list = format!("{at}.annotations");
        for (j, Object(a)) in d.annotations.into_iter().enumerate() {
            let (id, fields) = a.split();
            anns.push(
                p.annotation_from(fields, id?.into_owned(), read::indexed(&list, j))
                    .ok()?,
            );
        }
        let rels = relations(d.relations.unwrap_or_default(), &at);
        attach(&mut anns, rels).ok()?;
        p.push_doc(
            at.clone(),
            d.doc_id.map(Cow::into_owned),
            d.text.into_owned(),
            anns,
        );
        if let Some(status) = d.status {
            let status = read::status(&status, &at).ok()?;
            p.mark_last_done(status == DocStatus::Done);
        }
    }
    p.finish().ok()
}

fn relations(rels: Vec<Object<Relation>>, at: &str) -> Vec<IncomingRelation> {
    let owned = |s: Option<Cow<str>>| s.map(Cow::into_owned);
    rels.into_iter()
        .enumerate()
        .map(|(k, Object(r))| IncomingRelation {
            at: format!("{at}.relations[{k}]"),
            id: r.id.into_owned(),
            kind: r.kind.into_owned(),
            from: r.from.into_owned(),
            to: r.to.into_owned(),
            created_at: owned(r.created_at),
            updated_at: owned(r.updated_at),
        })
        .collect()
}

/// A host's list (`export::read_list`): its annotations, each with its id or
/// one from `new_id`; `None` to read it the slow way. Ids are made up only
/// once the whole list is read, so a list given up on has used none.
pub(super) fn list(
    list: &str,
    labels: &[Label],
    new_id: &mut impl FnMut() -> String,
) -> Option<Vec<IncomingAnn>> {
    let items: Chunked<Object<Ann>> = serde_json::from_str(list).ok()?;
    let mut p = Parser::for_labels(labels);
    let mut anns = Vec::with_capacity(items.len());
    for (i, Object(a)) in items.into_iter().enumerate() {
        let (id, fields) = a.split();
        let ann = p
            .annotation_from(fields, String::new(), read::indexed("list", i))
            .ok()?;
        // an unknown label is an error in a host's list, which the slow
        // way tells
        ann.label?;
        anns.push((id.map(Cow::into_owned), ann));
    }
    let named = anns.into_iter().map(|(id, mut ann)| {
        ann.id = Some(id.unwrap_or_else(&mut *new_id));
        ann
    });
    Some(named.collect())
}

#[cfg(test)]
mod tests {
    use super::super::export::{read_list, read_list_by_value};
    use super::super::import::{parse_by_value, parse_for};
    use crate::model::{Document, Label};

    /// A file with what the format can hold: escapes, emoji, claims with
    /// verdicts, sources and links, notes, statuses, an article without an
    /// id, a label that is not ours and another tool's name for one.
    const FILE: &str = r#"{
  "format": "hashiya",
  "version": 2,
  "exported_at": "2026-12-02T00:00:00.000Z",
  "documents": [
    {
      "doc_id": "kerry",
      "title": "عنوان",
      "text": "😀 عنوان\n\nقال \"جون\" كيري إنّ الزيارة \u0645همة",
      "status": "done",
      "annotations": [
        {"id": "a1", "label": "person", "start": 14, "end": 22, "quote": "\"جون\" كيري", "note": "وزير", "created_at": "c", "updated_at": "u"},
        {"id": "c1", "label": "claim", "start": 10, "end": 30, "verdict": "صحيح", "source": "https://example.org/تحقق", "note": null},
        {"id": "x1", "label": "org", "start": 1, "end": 3},
        {"id": "p1", "label": "LOC", "start": 3, "end": 5, "prefix": "😀", "suffix": " "}
      ],
      "relations": [{"id": "r1", "type": "speaker", "from": "c1", "to": "a1", "created_at": "c"}]
    },
    {"text": "نص ثان", "annotations": [], "relations": null, "status": "new"}
  ]
}"#;

    /// Changes to `FILE`, each on its own: some the typed reader must give
    /// up on (and leave to the other), some it must read as the other does.
    const CHANGES: &[(&str, &str)] = &[
        ("", ""),
        ("\"start\": 14", "\"start\": -14"),
        ("\"start\": 14", "\"start\": 14.0"),
        ("\"start\": 14", "\"start\": \"14\""),
        ("\"start\": 14", "\"start\": 99999999999999999999"),
        ("\"end\": 22", "\"end\": 2200"),
        ("\"id\": \"a1\", ", ""),
        ("\"id\": \"a1\"", "\"id\": null"),
        ("\"id\": \"a1\"", "\"id\": 7"),
        ("\"label\": \"person\"", "\"label\": \"PERSON\""),
        ("\"label\": \"person\"", "\"label\": null"),
        ("\"note\": \"وزير\"", "\"note\": 5"),
        ("\"note\": \"وزير\"", "\"note\": \"وزير\", \"note\": \"ثان\""),
        (
            "\"note\": \"وزير\"",
            "\"note\": \"وزير\", \"extra\": {\"a\": [1, 2]}",
        ),
        ("\"quote\": \"\\\"جون\\\" كيري\"", "\"quote\": \"غير\""),
        (
            "\"source\": \"https://example.org/تحقق\"",
            "\"source\": \"javascript:alert(1)\"",
        ),
        ("\"source\": \"https://example.org/تحقق\"", "\"source\": \"  \""),
        ("\"verdict\": \"صحيح\"", "\"verdict\": \" \""),
        ("\"to\": \"a1\"", "\"to\": \"gone\""),
        ("\"type\": \"speaker\"", "\"type\": \"cites\""),
        ("\"relations\": null", "\"relations\": 3"),
        ("\"status\": \"done\"", "\"status\": \"later\""),
        ("\"status\": \"done\"", "\"status\": null"),
        ("\"version\": 2", "\"version\": 1"),
        ("\"version\": 2", "\"version\": 3"),
        ("\"format\": \"hashiya\"", "\"format\": \"other\""),
        ("\"exported_at\"", "\"@context\": 1, \"exported_at\""),
        ("\"doc_id\": \"kerry\"", "\"doc_id\": \"\""),
        ("\"text\": \"نص ثان\"", "\"text\": \" \""),
        ("\"annotations\": []", "\"annotations\": {}"),
        ("\n  ]\n}", "\n  ]\n} trailing"),
        // what serde would take and the reader through Value refuses
        ("{\"id\": \"x1\", \"label\": \"org\", \"start\": 1, \"end\": 3}", "[\"x1\", \"org\", 1, 3]"),
        ("{\"id\": \"r1\", \"type\": \"speaker\", \"from\": \"c1\", \"to\": \"a1\", \"created_at\": \"c\"}", "[\"r1\", \"speaker\", \"c1\", \"a1\"]"),
        ("{\"text\": \"نص ثان\", \"annotations\": [], \"relations\": null, \"status\": \"new\"}", "[\"نص ثان\", null, []]"),
        ("\"title\": \"عنوان\"", "\"title\": \"\\ud800\""),
        ("\"title\": \"عنوان\"", "\"title\": 1e400"),
        ("\"exported_at\": \"2026-12-02T00:00:00.000Z\"", "\"exported_at\": \"\\udc00\""),
        ("\"start\": 3, \"end\": 5", "\"start\": 3, \"end\": 5, \"utf16_start\": 1e999"),
        ("\"start\": 3, \"end\": 5", "\"start\": 3, \"end\": 5, \"meta\": \"\\ud83d\""),
        ("\"start\": 3, \"end\": 5", "\"start\": 3, \"end\": 5, \"utf16_start\": 3, \"utf16_end\": 5"),
        ("\"title\": \"عنوان\"", DEEP),
    ];

    /// An unread field nested deeper than the reader through Value goes.
    const DEEP: &str = "\"title\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]";

    #[test]
    fn the_typed_reader_reads_what_the_value_reader_does_or_gives_up() {
        let labels = [Label::PERSON, Label::PLACE, Label::CLAIM];
        let mut read_fast = 0;
        for (from, to) in CHANGES {
            let input = FILE.replacen(from, to, 1);
            assert!(from.is_empty() || input != FILE, "{from:?} is not in the file");
            let slow = parse_by_value(&input, input.trim_end(), &labels);
            if let Some(fast) = super::hashiya(input.trim_end(), &labels) {
                read_fast += 1;
                assert_eq!(Ok(fast), slow, "after {from:?} → {to:?}");
            }
            // and whichever way it went, the answer is the slow way's
            assert_eq!(parse_for(&input, &labels), slow, "after {from:?} → {to:?}");
        }
        assert!(read_fast >= 8, "only {read_fast} inputs read the fast way");
    }

    #[test]
    fn a_hosts_list_reads_the_same_either_way() {
        let doc = Document::from_text("d", "😀 عنوان\n\nقال جون كيري");
        let labels = [Label::PERSON, Label::PLACE];
        let lists = [
            r#"[{"start": 12, "end": 15, "label": "person"}, {"id": "x", "start": 1, "end": 3, "label": "place", "note": "\u0645"}]"#,
            r#"[{"id": null, "start": 12, "end": 15, "label": "person", "quote": "جون"}]"#,
            r#"[{"start": 1, "end": 3, "label": "org"}]"#,
            r#"[{"start": -1, "end": 3, "label": "place"}]"#,
            r#"[{"start": 1, "end": 3, "label": "place", "source": "https://a.b/c"}]"#,
            r#"[{"start": 1, "end": 3, "label": "place", "source": "ftp://a.b/c"}]"#,
            r#"{"start": 1}"#,
            "[]",
            r#"[["x", "place", 1, 3]]"#,
            r#"[{"start": 1, "end": 3, "label": "place", "meta": "\ud83d"}]"#,
            r#"[{"start": 1, "end": 3, "label": "place"}, {"start": 4, "end": 6, "label": "place", "utf16_start": 4}]"#,
        ];
        let mut read_fast = 0;
        for list in lists {
            let ids = || {
                let mut n = 0;
                move || {
                    n += 1;
                    format!("new-{n}")
                }
            };
            let slow = read_list_by_value(list, &doc, &labels, ids());
            if super::list(list, &labels, &mut ids()).is_some() {
                read_fast += 1;
            }
            assert_eq!(read_list(list, &doc, &labels, ids()), slow, "{list}");
        }
        assert_eq!(read_fast, 5);
    }
}
