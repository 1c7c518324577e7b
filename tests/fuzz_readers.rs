//! Structured fuzzing of every reader: Hashiya JSON, JSONL and W3C Web Annotation imports
//! (`formats::import::parse_for` then `plan`), and the record kept in localStorage
//! (`formats::stored::decode` then `restore`).
//!
//! Inputs are random, or valid exports of random documents (Arabic with harakat and tatweel,
//! emoji, Latin, digits, bidi marks) damaged by a few mutations: structural ones on the JSON
//! (numbers made negative, huge, fractional or strings; keys dropped; elements duplicated, so
//! ids too; values swapped) and textual ones (bytes flipped, inserted, deleted; truncation).
//! Every case checks that the reader
//! - never panics;
//! - names a place in every error, the reader's way, and the place is in the input: a JSON path
//!   (`documents[0].annotations[1].end`), `line 3` (and `line 3: spans[0].end`) for JSONL,
//!   `annotation 2` for W3C, `line N column M` where the JSON itself is broken, `article ID`
//!   for a repeated id; a record in localStorage names `line N column M` (serde's) or its
//!   `schema` field;
//! - exports whatever it accepts so that reading the export again gives the same thing.
//!
//! `HASHIYA_FUZZ_CASES` sets the cases per reader (default: few enough for CI in debug mode),
//! `HASHIYA_FUZZ_SEED` the seed (default: fixed, so that CI is repeatable). `scripts/fuzz.sh`
//! runs a long release-mode run with a fresh seed. A finding is minimized and printed with
//! its seed; each bug found so far has a regression test at the end of this file.
#![cfg(not(target_arch = "wasm32"))]

use hashiya::formats::export::{export_json, read_list, read_list_by_value};
use hashiya::formats::import::{parse_for, parse_for_by_value, plan, ImportError, Shown};
use hashiya::formats::jsonl::export_jsonl;
use hashiya::formats::stored::{decode, restore, to_stored, DecodeError, DocRecord, Origin, StoredDoc};
use hashiya::formats::w3c::{export_w3c, DOC_URN};
use hashiya::model::claim::broken_links;
use hashiya::model::{
    normalize_span, AnnotatedDoc, Annotation, Document, Label, Orphan, Relation, RelationKind, Tombstone,
};
use serde_json::{json, Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::time::Instant;

/// Cases per reader when `HASHIYA_FUZZ_CASES` is not set: the four readers take well under
/// 20 s together in a debug build on CI's two cores.
const DEFAULT_CASES: u64 = 1000;
const DEFAULT_SEED: u64 = 0x4841_5348_4959_4131;
const NOW: &str = "2026-12-01T00:00:00.000Z";

// ---------------------------------------------------------------- randomness

/// SplitMix64: small, fast, and the same on every machine, so a seed replays a case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let raw = std::env::var(name).ok()?;
    let raw = raw.trim().replace('_', "");
    match raw.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => raw.parse().ok(),
    }
}

fn cases() -> u64 {
    env_u64("HASHIYA_FUZZ_CASES").unwrap_or(DEFAULT_CASES)
}

/// The seed of case `n` of reader `target` under the run's seed.
fn case_seed(target: &str, n: u64) -> u64 {
    let mut h = env_u64("HASHIYA_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    for b in target.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
    }
    let mut r = Rng(h ^ n.wrapping_mul(0xA24B_AED4_963E_E407));
    r.next()
}

// ---------------------------------------------------------------- random documents

/// What Arabic news text is made of, and what JSON makes hard: quotes, backslashes,
/// control characters, a BOM, line separators.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "ب", "ت", "ك", "ي", "ر", "ا", "ل", "م", "و", "ه", "ة", "ى", "أ", "إ", "ء", "آ", "جون كيري", "موسكو",
    "الأسد", "للأسد", "\u{064E}", "\u{064F}", "\u{0650}", "\u{0651}", "\u{0652}", "\u{064B}",
    "\u{0670}", "\u{0640}", "😀", "👍🏽", "👨\u{200D}👩\u{200D}👧", "🇸🇾", "𝐀", "a", "Kerry", "Z", "1", "0",
    "١", "٢", "10.8", " ", " ", " ", "\u{A0}", "\t", "\u{200F}", "\u{200E}", "\u{061C}", "\u{202B}",
    "\u{202C}", "\u{2067}", "\u{2069}", "،", "؟", "«", "»", "\"", "\\", "/", "<b>", "{", "}", "[", "]",
    ":", ",", "e\u{301}", "\u{FEFF}", "\u{2028}", "\u{1}", "\r",
];

fn piece_text(rng: &mut Rng, max: usize) -> String {
    let n = rng.below(max + 1);
    (0..n).map(|_| *rng.pick(PIECES)).collect()
}

/// A document of one to four blocks, never blank, its text unlike `others`'.
fn document(rng: &mut Rng, id: &str, others: &[Document]) -> Document {
    let blocks = 1 + rng.below(4);
    let mut text = (0..blocks)
        .map(|_| piece_text(rng, 24))
        .collect::<Vec<_>>()
        .join("\n");
    if text.trim().is_empty() {
        text.insert_str(0, "نص");
    }
    while others.iter().any(|d| d.text() == text) {
        text.push('ب');
    }
    Document::from_text(id, &text)
}

fn organisation() -> Label {
    Label::named("organisation").expect("a valid label id")
}

fn timestamp(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => NOW.to_string(),
        1 => format!("2026-11-{:02}T10:{:02}:00.000Z", 1 + rng.below(28), rng.below(60)),
        2 => String::new(),
        _ => piece_text(rng, 3),
    }
}

/// Annotations over `doc` as the app makes them: spans snapped to visible clusters, one
/// label per span at most, unique ids.
fn annotations(rng: &mut Rng, doc: &Document, labels: &[Label]) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = vec![];
    for i in 0..rng.below(7) {
        let (a, b) = (rng.below(doc.len() + 1), rng.below(doc.len() + 1));
        let Some((start, end)) = normalize_span(doc, a, b) else {
            continue;
        };
        let label = *rng.pick(labels);
        if out
            .iter()
            .any(|x| (x.start, x.end, x.label) == (start, end, label))
        {
            continue;
        }
        let id = match rng.below(6) {
            0 => format!("م-{i}"),
            1 => format!("id {i} \"x\""),
            _ => format!("a{i}"),
        };
        let created_at = timestamp(rng);
        out.push(Annotation {
            id,
            label,
            start,
            end,
            note: match rng.below(4) {
                0 => Some(piece_text(rng, 6)),
                1 => Some("ملاحظة <b>\"مهمة\"</b>".into()),
                _ => None,
            },
            updated_at: if rng.one_in(2) {
                created_at.clone()
            } else {
                timestamp(rng)
            },
            created_at,
            claim: Default::default(),
        });
    }
    claim_records(rng, &mut out);
    out
}

/// Verdicts, sources and links on some claims, as a fact-checker leaves them: a speaker
/// (a person) at most, subjects (persons and places), ids unique in the article.
fn claim_records(rng: &mut Rng, anns: &mut [Annotation]) {
    let ends: Vec<(String, Label)> = anns.iter().map(|a| (a.id.clone(), a.label)).collect();
    let mut n = 0;
    for a in anns.iter_mut().filter(|a| a.label == Label::CLAIM) {
        let c = &mut a.claim;
        c.verdict = match rng.below(4) {
            0 => None,
            1 => Some("false".into()),
            2 => Some("غير-مثبت".into()),
            _ => Some(piece_text(rng, 2)),
        };
        c.source = match rng.below(3) {
            0 => None,
            1 => Some("https://example.org/تحقق?x=1&y=\"2\"".into()),
            _ => Some(format!("http://example.org/{}", rng.below(1000))),
        };
        for (to, label) in &ends {
            let kind = match (*label, c.speaker().is_some(), rng.below(3)) {
                (_, _, 0) => continue,
                (Label::PERSON, false, _) => RelationKind::Speaker,
                (l, _, _) if RelationKind::About.allows(l) => RelationKind::About,
                _ => continue,
            };
            n += 1;
            c.link(Relation {
                id: format!("r{n}"),
                kind,
                to: to.clone(),
                created_at: timestamp(rng),
                updated_at: timestamp(rng),
            });
        }
    }
}

fn orphans(rng: &mut Rng, doc: &Document) -> Vec<Orphan> {
    (0..rng.below(3))
        .map(|i| {
            let start = rng.below(doc.len() + 8);
            Orphan {
                annotation: Annotation::new(
                    format!("o{i}"),
                    Label::PLACE,
                    start,
                    start + 1 + rng.below(6),
                    NOW,
                ),
                quote: piece_text(rng, 4),
                prefix: piece_text(rng, 3),
                suffix: piece_text(rng, 3),
            }
        })
        .collect()
}

/// One to three articles with annotations, with the labels the annotator has.
fn articles(rng: &mut Rng) -> (Vec<AnnotatedDoc>, Vec<Label>) {
    let mut labels = Label::BUILT_IN.to_vec();
    if rng.one_in(3) {
        labels.push(organisation());
    }
    let mut docs: Vec<Document> = vec![];
    for i in 0..1 + rng.below(3) {
        let id = match rng.below(4) {
            0 => format!("مقال-{i}"),
            1 => format!("bad id {i}"),
            _ => format!("doc-{i}"),
        };
        let d = document(rng, &id, &docs);
        docs.push(d);
    }
    let ads = docs
        .into_iter()
        .map(|d| {
            let anns = annotations(rng, &d, &labels);
            AnnotatedDoc::new(Rc::new(d), anns)
        })
        .collect();
    (ads, labels)
}

// ---------------------------------------------------------------- mutations

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

fn paths(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(here.clone());
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                here.push(Seg::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Seg::Index(i));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn get<'a>(v: &'a Value, path: &[Seg]) -> &'a Value {
    path.iter().fold(v, |v, seg| match seg {
        Seg::Key(k) => &v[k.as_str()],
        Seg::Index(i) => &v[*i],
    })
}

fn node<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    path.iter().fold(v, |v, seg| match seg {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::Index(i) => &mut v[*i],
    })
}

/// Keys any of the readers look at.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "format", "version", "exported_at", "documents", "doc_id", "text", "title", "annotations", "id",
    "label", "start", "end", "quote", "prefix", "suffix", "note", "created_at", "updated_at", "orphans",
    "spans", "entities", "start_offset", "end_offset", "@context", "type", "body", "target", "selector",
    "source", "exact", "purpose", "value", "first", "items", "created", "modified", "schema",
    "text_digest", "origin", "saved_at", "tombstones", "deleted_at", "annotation", "added_at",
    "verdict", "relations", "from", "to", "from_id", "to_id", "motivation", "scope", "head", "child",
];

/// Strings the readers give meaning to.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "hashiya", "person", "place", "claim", "PER", "LOC", "GPE", "ORG", "organisation", "Person", "",
    "Annotation", "AnnotationCollection", "AnnotationPage", "TextQuoteSelector", "TextPositionSelector",
    "TextualBody", "tagging", "commenting", "classifying", "http://www.w3.org/ns/anno.jsonld",
    "bundled", "user", "جون كيري", "موسكو", "a0", "a1", "imp-000000000000",
    "urn:x-hashiya:annotation:a0", "speaker", "about", "Speaker", "works_for", "linking", "assessing",
    "SpecificResource", "urn:x-hashiya:relation:r1", "false", "javascript:alert(1)",
    "https://example.org/تحقق", "ftp://example.org",
];

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 4 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.below(12)),
        2 => Value::String(rng.pick(WORDS).to_string()),
        3 => Value::String(piece_text(rng, 8)),
        4 | 5 => {
            let mut o = Map::new();
            for _ in 0..rng.below(6) {
                o.insert(rng.pick(KEYS).to_string(), random_value(rng, depth - 1));
            }
            Value::Object(o)
        }
        _ => Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth - 1)).collect()),
    }
}

fn odd_number(rng: &mut Rng, n: Option<&serde_json::Number>) -> Value {
    let n = n.and_then(|n| n.as_u64()).unwrap_or(3);
    match rng.below(14) {
        0 => json!(-(n as i64) - 1),
        1 => json!(u64::MAX),
        2 => json!(i64::MIN),
        3 => json!(1e300),
        4 => json!(n as f64 + 0.5),
        5 => json!(n as f64),
        6 => json!(n.to_string()),
        7 => Value::Null,
        8 => json!(true),
        9 => json!(0),
        10 => json!(n.saturating_add(1)),
        11 => json!(n.saturating_sub(1)),
        12 => json!(n.saturating_add(1 + rng.below(5000) as u64)),
        _ => json!([n]),
    }
}

/// Changes one node of `v`.
fn mutate_value(rng: &mut Rng, v: &mut Value) {
    let mut all = vec![];
    paths(v, &mut vec![], &mut all);
    let path = rng.pick(&all).clone();
    let ids: Vec<Value> = all
        .iter()
        .filter(|p| matches!(p.last(), Some(Seg::Key(k)) if k == "id"))
        .map(|p| get(v, p).clone())
        .collect();
    let target = node(v, &path);
    match target {
        Value::Number(n) => *target = odd_number(rng, Some(&n.clone())),
        Value::String(s) => {
            *target = match rng.below(8) {
                0 => json!(""),
                1 => Value::String(rng.pick(WORDS).to_string()),
                2 => json!(s.chars().count()),
                3 => Value::Null,
                4 => Value::String(s.chars().skip(1).collect()),
                5 => Value::String(format!("{s}{}", piece_text(rng, 2))),
                6 => Value::String(format!("{DOC_URN}{}", piece_text(rng, 2))),
                _ => Value::String("ب".repeat(rng.below(3000))),
            }
        }
        Value::Object(o) => match rng.below(6) {
            0 | 1 if !o.is_empty() => {
                let k = o.keys().nth(rng.below(o.len())).cloned().unwrap_or_default();
                o.remove(&k);
            }
            2 if o.contains_key("start") && o.contains_key("end") => {
                let (s, e) = (o["start"].clone(), o["end"].clone());
                o.insert("start".into(), e);
                o.insert("end".into(), s);
            }
            3 if !ids.is_empty() => {
                o.insert("id".into(), rng.pick(&ids).clone());
            }
            4 => {
                o.insert(rng.pick(KEYS).to_string(), random_value(rng, 2));
            }
            _ => *target = random_value(rng, 2),
        },
        Value::Array(a) => match rng.below(5) {
            0 if !a.is_empty() => {
                a.remove(rng.below(a.len()));
            }
            1 if !a.is_empty() => {
                let x = a[rng.below(a.len())].clone();
                a.insert(rng.below(a.len() + 1), x);
            }
            2 if a.len() > 1 => {
                let (i, j) = (rng.below(a.len()), rng.below(a.len()));
                a.swap(i, j);
            }
            3 => a.push(random_value(rng, 2)),
            _ => *target = random_value(rng, 2),
        },
        Value::Null | Value::Bool(_) => *target = random_value(rng, 1),
    }
}

/// Bits of JSON, and of what breaks it, to splice into a text.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "{", "}", "[", "]", "\"", ",", ":", "\\", "\n", "\r\n", " ", "\t", "null", "-1", "1e999", "0.5",
    "18446744073709551616", "\u{FEFF}", "ب", "😀", "\u{200F}", "\\u0000", "\\ud800", "\"text\":",
    "\"format\":\"hashiya\",", "\"spans\":[]", "{\"text\":\"ب\"}\n", "\"start\":-2", "\"schema\":1",
];

fn boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Damages `s` as a file might be damaged: bytes flipped, inserted, deleted, doubled, or the
/// end cut off.
fn mutate_text(rng: &mut Rng, s: &mut String) {
    let at = boundary(s, rng.below(s.len() + 1));
    match rng.below(7) {
        0 if !s.is_empty() => {
            let mut bytes = std::mem::take(s).into_bytes();
            let i = rng.below(bytes.len());
            bytes[i] ^= 1 << rng.below(8);
            *s = String::from_utf8_lossy(&bytes).into_owned();
        }
        1 | 2 => {
            let token = *rng.pick(TOKENS);
            s.insert_str(at, token)
        }
        3 => {
            let to = boundary(s, at + 1 + rng.below(16));
            s.replace_range(at..to, "");
        }
        4 => s.truncate(at),
        5 => {
            let to = boundary(s, at + 1 + rng.below(64));
            let copy = s[at..to].to_string();
            let into = boundary(s, rng.below(s.len() + 1));
            s.insert_str(into, &copy);
        }
        _ => {
            // a digit made another digit or a sign
            if let Some((i, c)) = s[at..].char_indices().find(|(_, c)| c.is_ascii_digit()) {
                let i = at + i;
                let by = *rng.pick(&["-", "9", "0", "1.5", "e5", ""]);
                s.replace_range(i..i + c.len_utf8(), by);
            }
        }
    }
}

fn to_text(rng: &mut Rng, v: &Value) -> String {
    if rng.one_in(2) {
        serde_json::to_string_pretty(v).expect("plain data")
    } else {
        v.to_string()
    }
}

/// Random inputs that are not made from an export: vocabulary-shaped JSON or token soup.
fn random_input(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => {
            let v = random_value(rng, 5);
            to_text(rng, &v)
        }
        1 => (0..1 + rng.below(4))
            .map(|_| random_value(rng, 4).to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => (0..rng.below(30))
            .map(|_| {
                if rng.one_in(2) {
                    *rng.pick(TOKENS)
                } else {
                    *rng.pick(PIECES)
                }
            })
            .collect(),
    }
}

/// Applies up to four mutations, structural while the input still parses, textual after.
fn damage(rng: &mut Rng, input: String, lines: bool) -> String {
    let mut s = input;
    for _ in 0..rng.below(5) {
        if rng.one_in(2) {
            mutate_text(rng, &mut s);
            continue;
        }
        if lines {
            let mut ls: Vec<String> = s.lines().map(str::to_string).collect();
            if ls.is_empty() {
                continue;
            }
            let i = rng.below(ls.len());
            match rng.below(5) {
                0 => {
                    ls.remove(i);
                }
                1 => ls.insert(rng.below(ls.len() + 1), ls[i].clone()),
                2 => ls.insert(rng.below(ls.len() + 1), String::new()),
                _ => {
                    if let Ok(mut v) = serde_json::from_str::<Value>(&ls[i]) {
                        mutate_value(rng, &mut v);
                        ls[i] = v.to_string();
                    }
                }
            }
            s = ls.join("\n");
        } else if let Ok(mut v) = serde_json::from_str::<Value>(&s) {
            mutate_value(rng, &mut v);
            s = to_text(rng, &v);
        }
    }
    s
}

// ---------------------------------------------------------------- findings

/// What went wrong with one input.
#[derive(Clone, Debug)]
struct Finding {
    /// What kind of failure; minimizing keeps the kind.
    kind: String,
    detail: String,
}

fn finding(kind: impl Into<String>, detail: impl Into<String>) -> Finding {
    Finding {
        kind: kind.into(),
        detail: detail.into(),
    }
}

/// A message with its numbers as `N`, so that one bug met at many places is one kind
/// of finding (and minimizing may change the numbers).
fn shape(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        match c.is_ascii_digit() {
            true if out.ends_with('N') => {}
            true => out.push('N'),
            false => out.push(c),
        }
    }
    out
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Panics inside a fuzz case are caught and recorded, not printed; other panics print.
fn quiet_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = format!("{at}: {msg}"));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs one check, turning a panic into a finding.
fn guarded<T>(check: impl FnOnce() -> Result<T, Finding>) -> Result<T, Finding> {
    QUIET.with(|q| q.set(true));
    let r = panic::catch_unwind(AssertUnwindSafe(check));
    QUIET.with(|q| q.set(false));
    match r {
        Ok(r) => r,
        Err(_) => {
            let msg = LAST_PANIC.with(|p| p.borrow().clone());
            // the place of the panic is its kind; the message varies with the input
            let at = msg.split(": ").next().unwrap_or_default().to_string();
            Err(finding(format!("panic at {at}"), msg))
        }
    }
}

/// The shortest input (by greedy deletion) that still gives a finding of the same kind.
fn minimize(input: &str, kind: &str, check: &dyn Fn(&str) -> Result<(), Finding>) -> String {
    let same = |s: &str| matches!(guarded(|| check(s)), Err(f) if f.kind == kind);
    let mut best: Vec<char> = input.chars().collect();
    let mut tries = 0;
    let mut chunk = (best.len() / 2).max(1);
    while chunk >= 1 && tries < 4000 {
        let mut i = 0;
        let mut shrunk = false;
        while i < best.len() && tries < 4000 {
            let end = (i + chunk).min(best.len());
            let candidate: String = best[..i].iter().chain(&best[end..]).collect();
            tries += 1;
            if same(&candidate) {
                best = candidate.chars().collect();
                shrunk = true;
            } else {
                i += chunk;
            }
        }
        if !shrunk {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    best.into_iter().collect()
}

#[derive(Default)]
struct Stats {
    cases: u64,
    accepted: u64,
    refused: u64,
    /// New kinds of finding: the first input (minimized) and seed of each, and how many.
    new: BTreeMap<String, (String, Finding, u64, u64)>,
}

/// Runs `cases()` cases of one reader and fails on any finding.
fn fuzz(target: &'static str, make: fn(&mut Rng) -> Case, check: fn(&Case, &str) -> Result<bool, Finding>) {
    quiet_panics();
    let n = cases();
    let started = Instant::now();
    let mut stats = Stats::default();
    for i in 0..n {
        let seed = case_seed(target, i);
        let case = make(&mut Rng(seed));
        stats.cases += 1;
        match guarded(|| check(&case, &case.input)) {
            Ok(true) => stats.accepted += 1,
            Ok(false) => stats.refused += 1,
            Err(f) => match stats.new.get_mut(&f.kind) {
                Some(entry) => entry.3 += 1,
                None => {
                    let small = minimize(&case.input, &f.kind, &|s| check(&case, s).map(|_| ()));
                    let f2 = guarded(|| check(&case, &small)).err().unwrap_or(f.clone());
                    stats.new.insert(f.kind.clone(), (small, f2, seed, 1));
                }
            },
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mut report = format!(
        "fuzz {target}: {} cases ({} accepted, {} refused) in {secs:.1} s, {:.0} cases/s",
        stats.cases,
        stats.accepted,
        stats.refused,
        stats.cases as f64 / secs.max(1e-9)
    );
    let _ = write!(report, "; new findings: {}", stats.new.len());
    println!("{report}");
    for (kind, (input, f, seed, count)) in &stats.new {
        println!(
            "  {kind} ({count} cases; first at case seed {seed:#x})\n    {}\n    minimal input: {input:?}",
            f.detail
        );
    }
    assert!(
        stats.new.is_empty(),
        "{target}: {} new kinds of finding (above)",
        stats.new.len()
    );
}

// ---------------------------------------------------------------- import readers

/// One input with what it is read against.
struct Case {
    input: String,
    /// The articles on the page (import), or the article the record is for (stored).
    shown: Vec<Document>,
    labels: Vec<Label>,
}

/// The annotations an import leaves, as the app applies a plan to articles that had none
/// (`Replace` on empty articles: a repeated span is skipped as a duplicate), plus the new
/// articles with all their annotations: doc id, text, annotations in reading order.
type Result1 = Vec<(String, String, Vec<Annotation>)>;

fn read(input: &str, shown: &[Document], labels: &[Label]) -> Result<(Result1, &'static str), ImportError> {
    let incoming = parse_for(input, labels);
    // the fast reader of Hashiya JSON answers as the one through Value does
    assert_eq!(
        incoming,
        parse_for_by_value(input, labels),
        "the two readers differ"
    );
    let incoming = incoming?;
    let on_page: Vec<Shown> = shown.iter().map(|doc| Shown { doc }).collect();
    let p = plan(incoming, &on_page, NOW)?;
    let mut out: Result1 = shown
        .iter()
        .map(|d| (d.id.clone(), d.text().to_string(), vec![]))
        .collect();
    for (doc_id, anns) in p.existing {
        let Some(slot) = out.iter_mut().find(|(id, _, _)| *id == doc_id) else {
            continue;
        };
        for a in anns {
            if !slot
                .2
                .iter()
                .any(|x| (x.start, x.end, x.label) == (a.start, a.end, a.label))
            {
                slot.2.push(a);
            }
        }
    }
    for (doc, anns) in p.new_docs {
        out.push((doc.id.clone(), doc.text().to_string(), anns));
    }
    for (id, text, anns) in &mut out {
        anns.sort_by(|a, b| a.reading_key().cmp(&b.reading_key()));
        mend_links(id, text, anns);
    }
    Ok((out, p.format.name()))
}

/// Drops links to annotations the import skipped as repeats, as the app's
/// commit of an import does (`broken_links`).
fn mend_links(doc_id: &str, text: &str, anns: &mut [Annotation]) {
    let ad = AnnotatedDoc::new(Rc::new(Document::from_text(doc_id, text)), anns.to_vec());
    for fixed in broken_links(&ad) {
        if let Some(a) = anns.iter_mut().find(|a| a.id == fixed.id) {
            *a = fixed;
        }
    }
}

/// Whole-input errors: the input itself is the place.
const WHOLE_INPUT: &[&str] = &[
    "the input is empty",
    "the limit is 10 MB",
    "is not a format Hashiya reads",
    "annotations; the limit is",
];

/// `N` and the rest of `s` = `N…`.
fn number_prefix(s: &str) -> Option<(usize, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    Some((s[..digits].parse().ok()?, &s[digits..]))
}

/// `[i]` and the rest.
fn index_prefix(s: &str) -> Option<(usize, &str)> {
    let (i, rest) = number_prefix(s.strip_prefix('[')?)?;
    Some((i, rest.strip_prefix(']')?))
}

/// Checks a JSONL record's place after `line N` or `[i]`: `.text`, `: label[i][0]`,
/// `: spans[i].start`, `: entities[i].end_offset`…, against the record `o`.
fn record_place(rest: &str, o: Option<&Value>) -> Result<(), String> {
    if rest.is_empty() || rest == ".text" {
        return Ok(());
    }
    let rest = rest.strip_prefix(": ").ok_or("expected `: ` after the record")?;
    for field in ["label", "spans", "entities", "relations"] {
        let Some(after) = rest.strip_prefix(field) else {
            continue;
        };
        if after.is_empty() {
            return Ok(());
        }
        let (i, after) = index_prefix(after).ok_or("expected an index")?;
        if let Some(o) = o {
            if o[field].get(i).is_none() {
                return Err(format!("{field}[{i}] is not in the record"));
            }
        }
        let keys: &[&str] = match field {
            "label" => &["[0]", "[1]"],
            "spans" => &[".start", ".end", ".label", ".note", ".id", ".verdict", ".source"],
            "relations" => &[".id", ".from_id", ".to_id", ".type"],
            _ => &[
                ".start_offset",
                ".end_offset",
                ".label",
                ".note",
                ".id",
                ".verdict",
                ".source",
            ],
        };
        return if after.is_empty() || keys.contains(&after) {
            Ok(())
        } else {
            Err(format!("unknown field {after:?}"))
        };
    }
    Err(format!("unknown record place {rest:?}"))
}

/// The W3C annotations in `v`, counted as the reader counts them.
fn w3c_items(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.len(),
        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
            Some("AnnotationCollection") => match o.get("first").or_else(|| o.get("items")) {
                Some(Value::Object(p)) => p.get("items").and_then(Value::as_array).map_or(0, Vec::len),
                Some(Value::Array(a)) => a.len(),
                _ => 0,
            },
            Some("AnnotationPage") => o.get("items").and_then(Value::as_array).map_or(0, Vec::len),
            _ => 1,
        },
        _ => 0,
    }
}

/// Checks that an import error names a place the reader's way, and that the place is in the
/// input (or, for broken JSON, is where serde finds the break in the file).
fn import_place(input: &str, e: &ImportError) -> Result<(), String> {
    let at = e.at.as_str();
    if at.is_empty() {
        return match WHOLE_INPUT.iter().any(|w| e.detail.contains(w)) {
            true => Ok(()),
            false => Err("no place".into()),
        };
    }
    let body = input.trim_start_matches('\u{FEFF}');
    let whole: Option<Value> = serde_json::from_str(body.trim()).ok();
    if let Some(rest) = at.strip_prefix("line ") {
        let (n, rest) = number_prefix(rest).ok_or("no line number")?;
        if let Some(col) = rest.strip_prefix(" column ") {
            // broken JSON: line and column (serde's, in bytes) where the file breaks
            let col: usize = col.parse().map_err(|_| "bad column")?;
            let want = serde_json::from_str::<Value>(body.trim_end())
                .err()
                .ok_or("a syntax error in valid JSON")?;
            return match (want.line(), want.column()) == (n, col) {
                true => Ok(()),
                false => Err(format!(
                    "the break is at line {} column {}",
                    want.line(),
                    want.column()
                )),
            };
        }
        let record = match &whole {
            Some(v) if n == 1 => Some(v.clone()),
            _ => {
                let line = input.lines().nth(n.wrapping_sub(1)).ok_or("no such line")?;
                if line.trim().trim_start_matches('\u{FEFF}').is_empty() {
                    return Err("a blank line".into());
                }
                serde_json::from_str(line.trim().trim_start_matches('\u{FEFF}')).ok()
            }
        };
        return record_place(rest, record.as_ref());
    }
    if at.starts_with('[') {
        let (i, rest) = index_prefix(at).ok_or("bad index")?;
        let record = whole.as_ref().and_then(|v| v.get(i)).ok_or("no such record")?;
        return record_place(rest, Some(record));
    }
    if let Some(rest) = at.strip_prefix("documents") {
        let v = whole.as_ref().ok_or("a JSON path in broken JSON")?;
        if rest.is_empty() {
            return Ok(());
        }
        let (i, rest) = index_prefix(rest).ok_or("bad document index")?;
        let d = v["documents"].get(i).ok_or("no such document")?;
        if ["", ".text", ".doc_id", ".annotations", ".relations", ".status"].contains(&rest) {
            return Ok(());
        }
        if let Some(rest) = rest.strip_prefix(".relations") {
            let (k, rest) = index_prefix(rest).ok_or("bad relation index")?;
            d["relations"].get(k).ok_or("no such relation")?;
            const FIELDS: &[&str] = &["", ".id", ".type", ".from", ".to", ".created_at", ".updated_at"];
            return match FIELDS.contains(&rest) {
                true => Ok(()),
                false => Err(format!("unknown relation field {rest:?}")),
            };
        }
        let rest = rest
            .strip_prefix(".annotations")
            .ok_or("unknown document field")?;
        let (j, rest) = index_prefix(rest).ok_or("bad annotation index")?;
        d["annotations"].get(j).ok_or("no such annotation")?;
        const FIELDS: &[&str] = &[
            "",
            ".id",
            ".label",
            ".start",
            ".end",
            ".quote",
            ".prefix",
            ".suffix",
            ".note",
            ".created_at",
            ".updated_at",
            ".verdict",
            ".source",
        ];
        return match FIELDS.contains(&rest) {
            true => Ok(()),
            false => Err(format!("unknown annotation field {rest:?}")),
        };
    }
    if let Some(rest) = at.strip_prefix("annotation ") {
        let (n, rest) = number_prefix(rest).ok_or("no annotation number")?;
        let v = whole.as_ref().ok_or("an annotation number in broken JSON")?;
        if n == 0 || n > w3c_items(v) {
            return Err(format!("there are {} annotations", w3c_items(v)));
        }
        const FIELDS: &[&str] = &[
            "",
            ".id",
            ".created",
            ".modified",
            ".source",
            ": body",
            ": body.value",
            ": body.source",
            ": body.id",
            ": target",
            ": selector.exact",
            ": selector.prefix",
            ": selector.suffix",
            ": selector.start",
            ": selector.end",
        ];
        return match FIELDS.contains(&rest) {
            true => Ok(()),
            false => Err(format!("unknown annotation field {rest:?}")),
        };
    }
    if let Some(rest) = at.strip_prefix("hashiya:documents") {
        let v = whole.as_ref().ok_or("a JSON path in broken JSON")?;
        if rest.is_empty() {
            return Ok(());
        }
        let (i, rest) = index_prefix(rest).ok_or("bad status index")?;
        v["hashiya:documents"].get(i).ok_or("no such status")?;
        return match ["", ".id", ".status"].contains(&rest) {
            true => Ok(()),
            false => Err(format!("unknown status field {rest:?}")),
        };
    }
    match at {
        "version" | "first" => Ok(()),
        _ if at.strip_prefix("article ").is_some_and(|id| !id.is_empty()) => Ok(()),
        _ => Err("not a place any reader names".into()),
    }
}

/// Reads an import input, then (when accepted) exports the result in its own format and as
/// Hashiya JSON and reads each again onto the same articles: it must give the same thing.
fn check_import(case: &Case, input: &str) -> Result<bool, Finding> {
    let (first, format) = match read(input, &case.shown, &case.labels) {
        Ok(r) => r,
        Err(e) => {
            return match import_place(input, &e) {
                Ok(()) => Ok(false),
                Err(why) => Err(finding(
                    format!("error place: {}", shape(&why)),
                    format!("{why}; the error: {e}"),
                )),
            }
        }
    };
    // the app's invariant: an article never has the same span and label twice, nor an id twice
    for (doc_id, _, anns) in &first {
        for (i, a) in anns.iter().enumerate() {
            if let Some(b) = anns[..i]
                .iter()
                .find(|b| b.id == a.id || (b.start, b.end, b.label) == (a.start, a.end, a.label))
            {
                return Err(finding(
                    "an article gets the same span or id twice",
                    format!("{doc_id}: {b:?}\n    and {a:?}"),
                ));
            }
        }
    }
    if first.is_empty() {
        // nothing was read and there is no article to export
        return Ok(true);
    }
    let docs: Vec<AnnotatedDoc> = first
        .iter()
        .map(|(id, text, anns)| {
            AnnotatedDoc::new(Rc::new(Document::from_text(id.clone(), text)), anns.clone())
        })
        .collect();
    let shown: Vec<Document> = docs.iter().map(|d| (*d.doc).clone()).collect();
    let mut exports = vec![(
        "Hashiya JSON",
        export_json(docs.iter().map(|d| (d, &[][..])), NOW),
    )];
    match format {
        "JSONL" => exports.push(("JSONL", export_jsonl(&docs))),
        "W3C Web Annotation" if docs.iter().any(|d| !d.annotations().is_empty()) => {
            exports.push(("W3C Web Annotation", export_w3c(&docs)))
        }
        _ => {}
    }
    for (name, text) in exports {
        let again = match read(&text, &shown, &case.labels) {
            Ok((r, _)) => r,
            Err(e) => {
                return Err(finding(
                    format!("{format}: its {name} export is refused"),
                    e.to_string(),
                ))
            }
        };
        if again != first {
            let diff = first
                .iter()
                .zip(&again)
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("{a:?}\n    became {b:?}"))
                .unwrap_or_default();
            return Err(finding(
                format!("{format}: its {name} export reads back differently"),
                diff,
            ));
        }
    }
    Ok(true)
}

fn pick_shown(rng: &mut Rng, docs: &[AnnotatedDoc], all: bool) -> Vec<Document> {
    docs.iter()
        .filter(|_| all || rng.one_in(2))
        .map(|d| (*d.doc).clone())
        .collect()
}

fn make_hashiya(rng: &mut Rng) -> Case {
    if rng.one_in(7) {
        let (docs, labels) = articles(rng);
        return Case {
            input: random_input(rng),
            shown: pick_shown(rng, &docs, false),
            labels,
        };
    }
    let (docs, labels) = articles(rng);
    let orphans: Vec<Vec<Orphan>> = docs.iter().map(|d| orphans(rng, &d.doc)).collect();
    let valid = export_json(docs.iter().zip(&orphans).map(|(d, o)| (d, &o[..])), NOW);
    Case {
        input: damage(rng, valid, false),
        shown: pick_shown(rng, &docs, false),
        labels,
    }
}

/// JSONL as Hashiya writes it, or as doccano (`label` triples, `entities`) and Prodigy
/// (`spans`) do, one record a line or all in one array.
fn make_jsonl(rng: &mut Rng) -> Case {
    let (docs, labels) = articles(rng);
    if rng.one_in(7) {
        return Case {
            input: random_input(rng),
            shown: pick_shown(rng, &docs, false),
            labels,
        };
    }
    let mut records: Vec<Value> = export_jsonl(&docs)
        .lines()
        .map(|l| serde_json::from_str(l).expect("our own export"))
        .collect();
    for r in &mut records {
        match rng.below(4) {
            0 => as_triples(rng, r),
            1 => as_entities(rng, r),
            _ => {}
        }
    }
    let (valid, lines) = match rng.below(6) {
        0 => (Value::Array(records).to_string(), false),
        _ => (
            records.iter().map(|r| r.to_string() + "\n").collect::<String>(),
            true,
        ),
    };
    Case {
        input: damage(rng, valid, lines),
        shown: pick_shown(rng, &docs, false),
        labels,
    }
}

/// A record of ours with doccano's `label` triples: they have no ids, so the relations go
/// (mostly: kept, they are refused for want of their ends).
fn as_triples(rng: &mut Rng, r: &mut Value) {
    let o = r.as_object_mut().expect("a record");
    let spans = o
        .remove("spans")
        .and_then(|s| s.as_array().cloned())
        .unwrap_or_default();
    let triples: Vec<Value> = spans
        .iter()
        .map(|s| json!([s["start"], s["end"], s["label"]]))
        .collect();
    o.insert("label".into(), json!(triples));
    if !rng.one_in(4) {
        o.remove("relations");
    }
}

/// A record of ours as doccano writes it: `entities` with numbers for ids (a claim's
/// verdict and source along) and `relations` between them by those numbers, their types in
/// any case; at times with a relation of another tool's type or in Prodigy's token shape,
/// which the reader skips and counts.
fn as_entities(rng: &mut Rng, r: &mut Value) {
    let o = r.as_object_mut().expect("a record");
    let spans = o
        .remove("spans")
        .and_then(|s| s.as_array().cloned())
        .unwrap_or_default();
    let number = |id: &Value| spans.iter().position(|s| s["id"] == *id).map(|i| 100 + i);
    let entities: Vec<Value> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut e = json!({"id": 100 + i, "start_offset": s["start"], "end_offset": s["end"], "label": s["label"]});
            for key in ["verdict", "source"] {
                if let Some(v) = s.get(key) {
                    e[key] = v.clone();
                }
            }
            e
        })
        .collect();
    let mut relations: Vec<Value> = o
        .get("relations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(k, rel)| {
            let kind = rel["type"].as_str().unwrap_or_default();
            let kind = match rng.below(3) {
                0 => kind.to_uppercase(),
                1 => kind[..1].to_uppercase() + &kind[1..],
                _ => kind.to_string(),
            };
            json!({"id": k, "from_id": number(&rel["from_id"]), "to_id": number(&rel["to_id"]), "type": kind})
        })
        .collect();
    if rng.one_in(3) && spans.len() > 1 {
        relations.push(json!({"id": 999, "from_id": 100, "to_id": 101, "type": "works_for"}));
    }
    if rng.one_in(3) {
        relations.push(json!({"head": 0, "child": 1, "label": "said"}));
    }
    o.insert("entities".into(), json!(entities));
    o.insert("relations".into(), json!(relations));
}

/// W3C as Hashiya writes it (a collection), or as an array, a page or one annotation, with
/// or without the position selector, its links with or without their articles as scope.
fn make_w3c(rng: &mut Rng) -> Case {
    let (docs, labels) = articles(rng);
    let shown = pick_shown(rng, &docs, true);
    if rng.one_in(7) {
        return Case {
            input: random_input(rng),
            shown,
            labels,
        };
    }
    let mut v: Value = serde_json::from_str(&export_w3c(&docs)).expect("our own export");
    if rng.one_in(3) {
        for item in v["first"]["items"].as_array_mut().expect("items") {
            // a link's target is a list of its ends, with no selector
            let target = item.get_mut("target").and_then(|t| t.get_mut("selector"));
            if let Some(sel) = target.and_then(Value::as_array_mut) {
                sel.pop();
            }
        }
    }
    if rng.one_in(4) {
        // links as other tools write them: bare ids, in either order
        for item in v["first"]["items"].as_array_mut().expect("items") {
            if let Some(ends) = item.get_mut("target").and_then(Value::as_array_mut) {
                for end in ends.iter_mut() {
                    *end = end["source"].clone();
                }
                if rng.one_in(2) {
                    ends.reverse();
                }
            }
        }
    }
    let items = v["first"]["items"].clone();
    let shaped = match rng.below(5) {
        0 => items,
        1 => json!({"type": "AnnotationPage", "items": items}),
        2 if items.as_array().is_some_and(|a| a.len() == 1) => items[0].clone(),
        _ => v,
    };
    let valid = to_text(rng, &shaped);
    Case {
        input: damage(rng, valid, false),
        shown,
        labels,
    }
}

#[test]
fn hashiya_json_reader() {
    fuzz("hashiya-json", make_hashiya, check_import);
}

/// A host's list for `setAnnotations`: an export's annotations of one article, damaged.
fn make_list(rng: &mut Rng) -> Case {
    let (docs, labels) = articles(rng);
    let doc = &docs[0];
    let export: Value = serde_json::from_str(&export_json([(doc, &[][..])], NOW)).expect("our export");
    let list = serde_json::to_string(&export["documents"][0]["annotations"]).expect("JSON");
    Case {
        input: damage(rng, list, false),
        shown: vec![(*doc.doc).clone()],
        labels,
    }
}

/// A list reads the same whichever reader takes it, with the same ids made up.
fn check_list(case: &Case, input: &str) -> Result<bool, Finding> {
    let ids = || {
        let mut n = 0;
        move || {
            n += 1;
            format!("new-{n}")
        }
    };
    let doc = &case.shown[0];
    let read = read_list(input, doc, &case.labels, ids());
    if read != read_list_by_value(input, doc, &case.labels, ids()) {
        return Err(finding("the two list readers differ", format!("{read:?}")));
    }
    Ok(read.is_ok())
}

/// The fast reader of a host's list against the reader through Value.
#[test]
fn host_list_reader() {
    fuzz("host-list", make_list, check_list);
}

#[test]
fn jsonl_reader() {
    fuzz("jsonl", make_jsonl, check_import);
}

#[test]
fn w3c_reader() {
    fuzz("w3c", make_w3c, check_import);
}

/// Makes one case from the randomness.
type Maker = fn(&mut Rng) -> Case;

/// The runs above check links, verdicts and sources only if the inputs that are accepted
/// carry them: in every format, some do.
#[test]
fn accepted_inputs_carry_links_verdicts_and_sources() {
    let makers: [(&str, Maker); 3] = [
        ("hashiya-json", make_hashiya),
        ("jsonl", make_jsonl),
        ("w3c", make_w3c),
    ];
    for (target, make) in makers {
        let (mut links, mut verdicts, mut sources) = (0, 0, 0);
        for n in 0..300 {
            let case = make(&mut Rng(case_seed(target, n)));
            let Ok((read, _)) = read(&case.input, &case.shown, &case.labels) else {
                continue;
            };
            for a in read.iter().flat_map(|(_, _, anns)| anns) {
                links += a.claim.relations.len();
                verdicts += usize::from(a.claim.verdict.is_some());
                sources += usize::from(a.claim.source.is_some());
            }
        }
        for (what, count) in [("links", links), ("verdicts", verdicts), ("sources", sources)] {
            assert!(
                count >= 10,
                "{target}: only {count} {what} in what 300 cases read"
            );
        }
    }
}

// ---------------------------------------------------------------- the stored record

/// Checks that a stored record's error names a place: serde's `line N column M` (in the
/// record's one line), or the `schema` field (missing, or a schema this version cannot read).
fn stored_place(input: &str, e: &DecodeError) -> Result<(), String> {
    match e {
        DecodeError::UnknownSchema(n) => {
            // read as the reader reads it (other values skipped unchecked), but only from an
            // object: an array has no fields
            #[derive(serde::Deserialize)]
            struct Versioned {
                schema: Option<u64>,
            }
            let schema = serde_json::from_str::<Versioned>(input)
                .ok()
                .and_then(|v| v.schema);
            match schema {
                Some(s) if s == *n && !matches!(s, 1 | 2) && starts_object(input) => Ok(()),
                other => Err(format!("schema {n} reported, the record has {other:?}")),
            }
        }
        DecodeError::Corrupt(m) if m == "not a JSON object" => match starts_object(input) {
            true => Err("an object reported as not one".into()),
            false => Ok(()),
        },
        DecodeError::Corrupt(m) if m == "no schema field" => {
            // its keys only: the reader skips the other values unchecked (a lone surrogate
            // in one is no error there)
            type Keys = BTreeMap<String, Option<serde::de::IgnoredAny>>;
            match serde_json::from_str::<Keys>(input) {
                Ok(keys) if keys.get("schema").is_some_and(Option::is_some) => {
                    Err("no schema field reported for a record with one".into())
                }
                _ => Ok(()),
            }
        }
        DecodeError::Corrupt(m) => {
            let (_, tail) = m.rsplit_once(" at line ").ok_or("no line and column")?;
            let (line, col) = tail.split_once(" column ").ok_or("no column")?;
            let (line, col): (usize, usize) = (
                line.parse().map_err(|_| "bad line")?,
                col.parse().map_err(|_| "bad column")?,
            );
            let text = input
                .split('\n')
                .nth(line.wrapping_sub(1))
                .ok_or("no such line")?;
            match line >= 1 && col <= text.len() + 1 {
                true => Ok(()),
                false => Err(format!("line {line} column {col} is outside the record")),
            }
        }
    }
}

/// True when JSON text `s` is an object (or starts like one).
fn starts_object(s: &str) -> bool {
    s.trim_start_matches([' ', '\t', '\n', '\r']).starts_with('{')
}

/// Decodes a record and restores it onto its article (and, for a user's article, onto the
/// text it carries); whatever is restored is saved and restored again to the same thing.
fn check_stored(case: &Case, input: &str) -> Result<bool, Finding> {
    let stored = match decode(input) {
        Ok(s) => s,
        Err(e) => {
            return match stored_place(input, &e) {
                Ok(()) => Ok(false),
                Err(why) => Err(finding(
                    format!("error place: {}", shape(&why)),
                    format!("{why}; the error: {e:?}"),
                )),
            }
        }
    };
    let mut targets = case.shown.clone();
    if let Some(text) = &stored.text {
        targets.push(Document::from_text(stored.doc_id.clone(), text));
    }
    for doc in &targets {
        let first = restore(doc, &stored);
        for a in &first.annotations {
            if !(a.start < a.end && a.end <= doc.len()) {
                return Err(finding(
                    "restored outside the text",
                    format!("{a:?} on {} code points", doc.len()),
                ));
            }
        }
        let ad = AnnotatedDoc::new(Rc::new(doc.clone()), first.annotations.clone());
        let record = to_stored(
            &DocRecord {
                ad: &ad,
                origin: stored.origin,
                added_at: stored.added_at.as_deref(),
                tombstones: &stored.tombstones,
                orphans: &first.orphans,
                done: stored.done,
            },
            NOW,
        );
        let raw = serde_json::to_string(&record).expect("plain data");
        let back: StoredDoc =
            decode(&raw).map_err(|e| finding("a saved record is refused", format!("{e:?}")))?;
        if back != record {
            return Err(finding("a saved record reads back differently", raw));
        }
        let again = restore(doc, &back);
        let same = again.annotations.as_slice()
            == ad.annotations().iter().map(|a| (**a).clone()).collect::<Vec<_>>()
            && again.orphans == first.orphans
            && again.moved == 0;
        if !same {
            return Err(finding(
                "restoring what was restored moves it",
                format!("{:?}\n    became {:?}", ad.annotations(), again),
            ));
        }
    }
    Ok(true)
}

/// A text edited as a re-published article is: pieces inserted, or a stretch cut out.
fn edited(rng: &mut Rng, doc: &Document) -> Document {
    let mut text = doc.text().to_string();
    for _ in 0..1 + rng.below(3) {
        let at = boundary(&text, rng.below(text.len() + 1));
        if rng.one_in(2) {
            text.insert_str(at, &piece_text(rng, 6));
        } else {
            let to = boundary(&text, at + rng.below(40));
            text.replace_range(at..to, "");
        }
    }
    Document::from_text(doc.id.clone(), &text)
}

fn make_stored(rng: &mut Rng) -> Case {
    let (docs, _) = articles(rng);
    let ad = &docs[0];
    let mut shown = vec![(*ad.doc).clone()];
    if rng.one_in(3) {
        shown.push(edited(rng, &ad.doc));
    }
    if rng.one_in(7) {
        return Case {
            input: random_input(rng),
            shown,
            labels: vec![],
        };
    }
    let tombstones: Vec<Tombstone> = (0..rng.below(3))
        .map(|i| Tombstone {
            id: format!("t{i}"),
            deleted_at: timestamp(rng),
        })
        .collect();
    let orphans = orphans(rng, &ad.doc);
    let origin = if rng.one_in(2) {
        Origin::User
    } else {
        Origin::Bundled
    };
    let added = timestamp(rng);
    let record = to_stored(
        &DocRecord {
            ad,
            origin,
            added_at: rng.one_in(2).then_some(added.as_str()),
            tombstones: &tombstones,
            orphans: &orphans,
            done: rng.one_in(2),
        },
        NOW,
    );
    let valid = serde_json::to_string(&record).expect("plain data");
    let input = if rng.one_in(3) {
        // mutated structurally, then written on one line as the saver writes it
        let mut v: Value = serde_json::from_str(&valid).expect("our own record");
        for _ in 0..1 + rng.below(3) {
            mutate_value(rng, &mut v);
        }
        v.to_string()
    } else {
        damage(rng, valid, false)
    };
    Case {
        input,
        shown,
        labels: vec![],
    }
}

#[test]
fn stored_record_reader() {
    fuzz("stored", make_stored, check_stored);
}

// ---------------------------------------------------------------- findings, as regression tests

/// Found by the JSONL and W3C runs: `parse` trims the input before serde looks for the
/// break, so after a leading blank line (or a space, a tab, U+2028…) the line and column
/// count from the first non-blank character, not from the start of the file.
#[test]
fn syntax_error_places_count_lines_of_the_file() {
    for (input, at) in [
        ("\n\n{\"spans\":[],", "line 3 column 12"),
        ("\n𝐀", "line 2 column 1"),
        ("  [1,", "line 1 column 5"),
    ] {
        let e = hashiya::formats::import::parse(input).unwrap_err();
        assert_eq!(e.at, at, "{input:?}: {e}");
    }
}

/// Found by the stored-record run (fixed since): `restore` panicked (`anchor.rs`,
/// `near_then_all`) when a stored start lay more than 4096 code points past the end of the
/// text (the window `from..to` ran backwards), or was so large that adding the window
/// overflowed. A re-published article that is shorter than before was enough.
#[test]
fn a_stored_annotation_far_past_the_end_of_a_shortened_text_is_placed_or_kept_aside() {
    let doc = Document::from_text("k", "عنوان\nقال جون كيري في موسكو");
    for start in [5000, usize::MAX - 3] {
        let raw = json!({
            "schema": 1, "doc_id": "k", "text_digest": "0", "origin": "bundled", "saved_at": "t",
            "annotations": [{"id": "a", "label": "person", "start": start, "end": start.saturating_add(8),
                "quote": "جون كيري", "created_at": "c", "updated_at": "u"}]
        })
        .to_string();
        let stored = decode(&raw).unwrap();
        let r = restore(&doc, &stored);
        assert_eq!(r.annotations.len() + r.orphans.len(), 1);
        if let Some(a) = r.annotations.first() {
            assert_eq!(doc.slice(a.start, a.end), "جون كيري");
        }
    }
}

/// Found by the JSONL run: the same span twice for a new article (a doccano file with a
/// repeated line, or a repeated triple) gives the article two annotations with one made-up
/// id, where an article on the page skips the second as a duplicate. The app's export of
/// that article is then refused ("the id … is used twice").
#[test]
fn the_same_span_twice_for_a_new_article_is_a_counted_duplicate() {
    use hashiya::state::{Action, AppState, DocEntry, ImportMode, NoticeKind};
    let import = |s: &mut AppState, text: String| {
        s.reduce_in_place(Action::Import {
            text,
            mode: ImportMode::Merge,
            now: NOW.into(),
        })
    };
    let mut s = AppState::new(vec![], None);
    let line = json!({"text": "عنوان\nقال جون كيري", "label": [[10, 18, "PER"], [10, 18, "PER"]]});
    import(&mut s, format!("{line}\n{line}\n"));
    let anns = s.docs[0].ad.annotations();
    let mut ids: Vec<&str> = anns.iter().map(|a| a.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), anns.len(), "one id for two annotations: {anns:?}");
    assert_eq!(anns.len(), 1);
    // what the app exports reads back
    let exported = export_json(s.docs.iter().map(|d| (&d.ad, &d.orphans[..])), NOW);
    let mut t = AppState::new(
        vec![DocEntry::new(
            AnnotatedDoc::new(s.docs[0].ad.doc.clone(), vec![]),
            Origin::User,
            None,
        )],
        None,
    );
    import(&mut t, exported);
    let n = t.notice.unwrap();
    assert_eq!(n.kind, NoticeKind::Info, "{}", n.en);
    // the same span under two ids: an article on the page keeps one, so must a new one
    let mut s = AppState::new(vec![], None);
    let spans = |id: Option<&str>| json!({"text": "عنوان\nقال جون كيري", "spans": [{"start": 10, "end": 18, "label": "person", "id": id}]});
    import(&mut s, format!("{}\n{}\n", spans(None), spans(Some("x"))));
    assert_eq!(
        s.docs[0].ad.annotations().len(),
        1,
        "{:?}",
        s.docs[0].ad.annotations()
    );
}

/// Found by the stored-record run: a stored value that is a JSON array is read as a record
/// laid out as a sequence, so `[3]` is reported as a record of schema 3 (written by a newer
/// Hashiya) where it is simply corrupt, and the error names a `schema` field it lacks.
#[test]
fn a_json_array_in_storage_is_corrupt_not_a_newer_schema() {
    assert!(
        matches!(decode("[3]"), Err(DecodeError::Corrupt(_))),
        "{:?}",
        decode("[3]")
    );
}
