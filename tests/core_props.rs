//! Property tests of the core over random text drawn from what Arabic news
//! contains: letters with harakat, tatweel, emoji, Latin, digits, bidi marks,
//! spaces and line breaks.
#![cfg(not(target_arch = "wasm32"))]

use hashiya::formats::export::{export_doc, CONTEXT};
use hashiya::formats::stored::{decode, record_json, restore, to_stored, Origin};
use hashiya::model::offsets::{cp_len, grapheme_boundaries, is_invisible, utf16_of_cp};
use hashiya::model::{
    normalize_span, AnnotatedDoc, Annotation, Block, BlockKind, ClaimRecord, Document, Label, Relation,
    RelationKind,
};
use hashiya::state::{Action, AppState, DocEntry};
use proptest::prelude::*;
use std::rc::Rc;
use unicode_segmentation::UnicodeSegmentation;

const PIECES: &[&str] = &[
    "ب", "ت", "ك", "ي", "ر", "ا", "ل", "م", "و", "ه", "ة", "ى", "أ", "إ", "ء", "\u{064E}", "\u{064F}",
    "\u{0650}", "\u{0651}", "\u{0652}", "\u{064B}", "\u{0640}", "😀", "👍🏽", "🇸🇾", "𝐀", "a", "Kerry", "Z",
    "1", "0", "١", "٢", "10.8", " ", " ", " ", "\u{200F}", "\u{200E}", "\u{061C}", "\u{2067}", "\u{2069}",
    "،", "؟", "\"", "e\u{301}",
];

fn block_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn document() -> impl Strategy<Value = Document> {
    prop::collection::vec(block_text(), 1..5).prop_map(|texts| {
        let blocks = texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| Block {
                kind: if i == 0 {
                    BlockKind::Heading
                } else {
                    BlockKind::Paragraph
                },
                text: t.into(),
            })
            .collect();
        Document::from_blocks("p", blocks)
    })
}

fn doc_and_points() -> impl Strategy<Value = (Document, Vec<usize>)> {
    document().prop_flat_map(|d| {
        let len = d.len();
        (Just(d), prop::collection::vec(0..=len, 0..24))
    })
}

/// Annotations over `d` from pairs of points; as in the app, one span
/// carries a label at most once.
fn annotations(d: &Document, points: &[usize]) -> Vec<Annotation> {
    let labels = [Label::PERSON, Label::PLACE, Label::CLAIM];
    let mut seen = std::collections::HashSet::new();
    let anns = points
        .chunks(2)
        .enumerate()
        .filter_map(|(i, pair)| {
            let (a, b) = (pair[0], *pair.get(1)?);
            let (start, end) = normalize_span(d, a, b)?;
            Some(Annotation {
                id: format!("a{i}"),
                label: labels[i % 3],
                start,
                end,
                note: (i % 2 == 0).then(|| format!("ملاحظة {i} <b>")),
                created_at: "2026-11-29T00:00:00.000Z".into(),
                updated_at: "2026-11-29T00:00:00.000Z".into(),
                claim: ClaimRecord::default(),
            })
        })
        .filter(|a| seen.insert((a.start, a.end, a.label)))
        .collect();
    with_claim_records(anns)
}

/// Gives some claims a verdict, a source, a speaker (a person) and subjects
/// (persons and places), as a fact-checker would.
fn with_claim_records(mut anns: Vec<Annotation>) -> Vec<Annotation> {
    let ends: Vec<(String, Label)> = anns.iter().map(|a| (a.id.clone(), a.label)).collect();
    for (i, a) in anns
        .iter_mut()
        .enumerate()
        .filter(|(_, a)| a.label == Label::CLAIM)
    {
        let c = &mut a.claim;
        c.verdict = ["true", "false", "misleading"].get(i % 4).map(|v| v.to_string());
        c.source = (i % 2 == 0).then(|| format!("https://example.org/تحقق/{i}?a=1&b=2"));
        for (k, (to, label)) in ends.iter().enumerate().filter(|(k, _)| (k + i) % 2 == 0) {
            let kind = match (*label, c.speaker()) {
                (Label::PERSON, None) => RelationKind::Speaker,
                (l, _) if RelationKind::About.allows(l) => RelationKind::About,
                _ => continue,
            };
            c.link(Relation {
                id: format!("r{i}-{k}"),
                kind,
                to: to.clone(),
                created_at: "2026-11-29T00:00:00.000Z".into(),
                updated_at: "2026-11-29T00:00:00.000Z".into(),
            });
        }
    }
    anns
}

fn content_of(anns: &[Rc<Annotation>]) -> Vec<Annotation> {
    anns.iter()
        .map(|a| Annotation {
            updated_at: String::new(),
            ..(**a).clone()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn offsets_agree_in_code_points_and_utf16((d, points) in doc_and_points()) {
        let text = d.text();
        let units: Vec<u16> = text.encode_utf16().collect();
        for &p in &points {
            let u = d.utf16_of(p);
            prop_assert_eq!(u, utf16_of_cp(text, p));
            let prefix: String = text.chars().take(p).collect();
            prop_assert_eq!(String::from_utf16(&units[..u]).unwrap(), prefix);
            prop_assert_eq!(d.byte_of(p), text.char_indices().nth(p).map_or(text.len(), |(b, _)| b));
        }
    }

    #[test]
    fn normalized_spans_are_whole_visible_clusters((d, points) in doc_and_points()) {
        let text = d.text();
        let bounds = grapheme_boundaries(text);
        for pair in points.chunks(2).filter(|p| p.len() == 2) {
            let (lo, hi) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
            match normalize_span(&d, pair[0], pair[1]) {
                Some((s, e)) => {
                    prop_assert!(s < e);
                    prop_assert!(bounds.binary_search(&s).is_ok(), "start {} splits a cluster", s);
                    prop_assert!(bounds.binary_search(&e).is_ok(), "end {} splits a cluster", e);
                    // never wider than the clusters the selection touched
                    let floor = bounds[bounds.partition_point(|&b| b <= lo) - 1];
                    let ceil = bounds[bounds.partition_point(|&b| b < hi)];
                    prop_assert!(floor <= s && e <= ceil);
                    let quote = d.slice(s, e);
                    let first = quote.graphemes(true).next().unwrap();
                    let last = quote.graphemes(true).next_back().unwrap();
                    prop_assert!(!first.chars().all(is_invisible));
                    prop_assert!(!last.chars().all(is_invisible));
                }
                None => {
                    let touched = d.slice(lo, hi);
                    prop_assert!(touched.graphemes(true).all(|g| g.chars().all(is_invisible))
                        || lo == hi || touched.chars().all(is_invisible));
                }
            }
        }
    }

    #[test]
    fn runs_rebuild_each_block_and_carry_exactly_the_covering_marks((d, points) in doc_and_points()) {
        let anns = annotations(&d, &points);
        let ad = AnnotatedDoc::new(Rc::new(d.clone()), anns.clone());
        for v in ad.views() {
            let rebuilt: String = v.runs.iter().map(|r| &v.text[r.byte_start..r.byte_end]).collect();
            prop_assert_eq!(&rebuilt, &*v.text);
            let (bs, _) = d.block_range(v.index);
            for r in &v.runs {
                let mut expected: Vec<&Annotation> =
                    anns.iter().filter(|a| a.start <= bs + r.start && bs + r.end <= a.end).collect();
                expected.sort_by(|a, b| b.len().cmp(&a.len()).then(a.start.cmp(&b.start)).then(a.id.cmp(&b.id)));
                let got: Vec<&str> = r.marks.iter().map(|m| &*m.id).collect();
                let want: Vec<&str> = expected.iter().map(|a| a.id.as_str()).collect();
                prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn exported_quotes_match_both_offset_kinds((d, points) in doc_and_points()) {
        let ad = AnnotatedDoc::new(Rc::new(d), vec![]);
        let anns = annotations(&ad.doc, &points);
        let ad = AnnotatedDoc::new(ad.doc.clone(), anns);
        let exported = export_doc(&ad);
        let chars: Vec<char> = exported.text.chars().collect();
        let units: Vec<u16> = exported.text.encode_utf16().collect();
        for a in &exported.annotations {
            let by_cp: String = chars[a.start..a.end].iter().collect();
            prop_assert_eq!(&by_cp, &a.quote);
            prop_assert_eq!(String::from_utf16(&units[a.utf16_start..a.utf16_end]).unwrap(), a.quote.clone());
            let pre: String = chars[a.start.saturating_sub(CONTEXT)..a.start].iter().collect();
            let suf: String = chars[a.end..(a.end + CONTEXT).min(chars.len())].iter().collect();
            prop_assert_eq!(&pre, &a.prefix);
            prop_assert_eq!(&suf, &a.suffix);
            prop_assert!(cp_len(&a.prefix) <= CONTEXT && cp_len(&a.suffix) <= CONTEXT);
        }
    }

    #[test]
    fn storage_round_trip_restores_every_annotation((d, points) in doc_and_points()) {
        let anns = annotations(&d, &points);
        let ad = AnnotatedDoc::new(Rc::new(d.clone()), anns);
        let entry = DocEntry::new(ad.clone(), Origin::User, Some("t".into()));
        let raw = serde_json::to_string(&to_stored(&entry.record(), "now")).unwrap();
        let back = decode(&raw).unwrap();
        let restored = restore(&Document::from_text("p", back.text.as_deref().unwrap()), &back);
        prop_assert!(restored.orphans.is_empty());
        prop_assert_eq!(restored.moved, 0);
        let again = AnnotatedDoc::new(Rc::new(d), restored.annotations);
        prop_assert_eq!(again.annotations(), ad.annotations());
    }

    /// A record is written from the article itself (borrowed, for a big
    /// article's sake) and from a record read back: both say the same.
    #[test]
    fn a_record_reads_back_to_the_same_json((d, points) in doc_and_points(), user in any::<bool>()) {
        let anns = annotations(&d, &points);
        let origin = if user { Origin::User } else { Origin::Bundled };
        let entry = DocEntry::new(AnnotatedDoc::new(Rc::new(d), anns), origin, None);
        let written = record_json(&entry.record(), "now").unwrap();
        let back = decode(&written).unwrap();
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), written);
    }

    #[test]
    fn undoing_everything_restores_the_start_and_redo_replays((d, points) in doc_and_points(), ops in prop::collection::vec(0u8..4, 1..30)) {
        let doc_id = d.id.clone();
        let entry = DocEntry::new(AnnotatedDoc::new(Rc::new(d), vec![]), Origin::Bundled, None);
        let mut s = AppState::new(vec![entry], None);
        let start = s.docs[0].ad.annotations().clone();
        let mut recorded = 0;
        for (i, op) in ops.iter().enumerate() {
            let before = s.docs[0].ad.annotations().clone();
            match op {
                0 | 1 => {
                    let a = points.get(i).copied().unwrap_or(0);
                    let b = points.get(i + 1).copied().unwrap_or(a + 1);
                    s.reduce_in_place(Action::AddSpan { doc_id: doc_id.clone(), start: a, end: b,
                        label: Label::BUILT_IN[i % 3], id: format!("x{i}"), note: None, claim: Default::default(), now: format!("t{i}") });
                }
                2 => s.reduce_in_place(Action::Relabel { label: Label::BUILT_IN[(i + 1) % 3], now: format!("t{i}") }),
                _ => s.reduce_in_place(Action::DeleteSelected { now: format!("t{i}") }),
            }
            if s.docs[0].ad.annotations() != &before { recorded += 1; }
        }
        // undo and redo restamp what they put back (so other tabs take it), so
        // compare everything but the time of the last change
        let content = |s: &AppState| -> Vec<Annotation> {
            s.docs[0].ad.annotations().iter().map(|a| Annotation { updated_at: String::new(), ..(**a).clone() }).collect()
        };
        let (start, end) = (content_of(&start), content(&s));
        for _ in 0..recorded { s.reduce_in_place(Action::Undo { now: "u".into() }); }
        prop_assert_eq!(content(&s), start);
        for _ in 0..recorded { s.reduce_in_place(Action::Redo { now: "r".into() }); }
        prop_assert_eq!(content(&s), end);
    }
}

/// Random documents with random annotations: export in each format, import
/// into the same articles with nothing on them, get the same annotations back.
fn state_with(d: &Document, anns: Vec<Annotation>) -> AppState {
    let ad = AnnotatedDoc::new(Rc::new(d.clone()), anns);
    AppState::new(vec![DocEntry::new(ad, Origin::Bundled, None)], None)
}

fn reimport(d: &Document, text: String) -> Vec<Annotation> {
    let mut s = state_with(d, vec![]);
    s.reduce_in_place(Action::Import {
        text,
        mode: hashiya::state::ImportMode::Merge,
        now: "now".into(),
    });
    s.docs[0].ad.annotations().iter().map(|a| (**a).clone()).collect()
}

/// An annotation as JSONL carries it: everything but the times, which the
/// format has no place for (an import stamps them), of the annotation and of
/// its links.
fn without_times(anns: Vec<Annotation>) -> Vec<Annotation> {
    anns.into_iter()
        .map(|mut a| {
            a.created_at.clear();
            a.updated_at.clear();
            for r in &mut a.claim.relations {
                r.created_at.clear();
                r.updated_at.clear();
            }
            a
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn export_then_import_is_the_identity_in_every_format((d, points) in doc_and_points()) {
        let anns = annotations(&d, &points);
        let s = state_with(&d, anns);
        let want: Vec<Annotation> = s.docs[0].ad.annotations().iter().map(|a| (**a).clone()).collect();
        let docs = || s.docs.iter().map(|e| &e.ad);
        let hashiya_json = hashiya::formats::export::export_json(s.docs.iter().map(|e| (&e.ad, &e.orphans[..])), "now");
        prop_assert_eq!(reimport(&d, hashiya_json), want.clone());
        // W3C carries times, notes, verdicts, sources and links: all of it comes back
        let w3c = hashiya::formats::w3c::export_w3c(docs());
        if !want.is_empty() {
            prop_assert_eq!(reimport(&d, w3c), want.clone());
        }
        let jsonl = hashiya::formats::jsonl::export_jsonl(docs());
        prop_assert_eq!(without_times(reimport(&d, jsonl)), without_times(want));
    }
}

/// The identity above is about claims with links, verdicts and sources: the
/// generator makes them often.
#[test]
fn generated_annotations_carry_links_verdicts_and_sources() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut speakers, mut about, mut verdicts, mut sources) = (0, 0, 0, 0);
    for _ in 0..200 {
        let (d, points) = doc_and_points().new_tree(&mut runner).unwrap().current();
        for a in annotations(&d, &points) {
            speakers += usize::from(a.claim.speaker().is_some());
            about += a.claim.about().count();
            verdicts += usize::from(a.claim.verdict.is_some());
            sources += usize::from(a.claim.source.is_some());
        }
    }
    for (what, n) in [
        ("speakers", speakers),
        ("about links", about),
        ("verdicts", verdicts),
        ("sources", sources),
    ] {
        assert!(n >= 20, "only {n} {what} in 200 cases");
    }
}

proptest! {
    // The import parser faces files from anywhere: it must answer, never panic.
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_import_parser_never_panics_on_arbitrary_text(input in "\\PC{0,200}") {
        let _ = hashiya::formats::import::parse(&input);
    }

    #[test]
    fn the_import_parser_never_panics_on_damaged_exports(
        (d, points) in doc_and_points(),
        cut in 0usize..4000,
        splice in "[\\[\\]{}\",:0-9a-z\\-\\\\ ]{0,6}",
        format in 0u8..3,
    ) {
        let s = state_with(&d, annotations(&d, &points));
        let text = match format {
            0 => hashiya::formats::export::export_json(s.docs.iter().map(|e| (&e.ad, &e.orphans[..])), "now"),
            1 => hashiya::formats::w3c::export_w3c(s.docs.iter().map(|e| &e.ad)),
            _ => hashiya::formats::jsonl::export_jsonl(s.docs.iter().map(|e| &e.ad)),
        };
        let boundary = |mut i: usize| { i = i.min(text.len()); while !text.is_char_boundary(i) { i += 1; } i };
        let (at, resume) = (boundary(cut), boundary(cut + splice.len()));
        let damaged = format!("{}{}{}", &text[..at], splice, &text[resume..]);
        let mut s2 = state_with(&d, vec![]);
        s2.reduce_in_place(Action::Import { text: damaged, mode: hashiya::state::ImportMode::Replace, now: "n".into() });
    }
}
