//! Import and export in the three formats, atomic validation, merge/replace,
//! and the two-tab merge, through the reducer as the UI drives it.
#![cfg(not(target_arch = "wasm32"))]

use hashiya::formats::export::export_json;
use hashiya::formats::import::map_label;
use hashiya::formats::jsonl::export_jsonl;
use hashiya::formats::stored::{to_stored, Origin};
use hashiya::formats::w3c::export_w3c;
use hashiya::model::{AnnotatedDoc, Annotation, Label, RelationKind};
use hashiya::seed::bundled;
use hashiya::state::{Action, AppState, DocEntry, ImportMode, NoticeKind};
use std::rc::Rc;

#[path = "support/state_fixtures.rs"]
mod fixtures;
use fixtures::{at, fresh, tag};

/// A state with nested, overlapping and noted annotations in both articles.
fn annotated() -> AppState {
    let mut s = fresh();
    tag(&mut s, 0, "جون كيري", Label::PERSON, "p1");
    tag(&mut s, 0, "موسكو", Label::PLACE, "m1");
    tag(
        &mut s,
        0,
        "يتوجه وزير الخارجية الأميركي جون كيري الخميس إلى موسكو",
        Label::CLAIM,
        "c1",
    );
    s.reduce_in_place(Action::SetNote {
        note: "زيارة \"رسمية\" <b>".into(),
        now: "2026-11-29T00:00:01.000Z".into(),
    });
    tag(&mut s, 0, "موسكو", Label::CLAIM, "m2");
    tag(&mut s, 1, "بشار الأسد", Label::PERSON, "a1");
    tag(&mut s, 1, "10.8 ملايين دولار", Label::CLAIM, "d1");
    s
}

fn annotations(s: &AppState) -> Vec<Vec<Annotation>> {
    s.docs
        .iter()
        .map(|d| d.ad.annotations().iter().map(|a| (**a).clone()).collect())
        .collect()
}

fn import(s: &mut AppState, text: &str, mode: ImportMode) {
    s.reduce_in_place(Action::Import {
        text: text.into(),
        mode,
        now: "2026-11-29T01:00:00.000Z".into(),
    });
}

fn notice(s: &AppState) -> String {
    s.notice.as_ref().map(|n| n.en.clone()).unwrap_or_default()
}

#[test]
fn every_format_round_trips_to_the_same_annotations() {
    let source = annotated();
    let exports = [
        export_json(source.docs.iter().map(|d| (&d.ad, &d.orphans[..])), "now"),
        export_w3c(source.docs.iter().map(|d| &d.ad)),
        export_jsonl(source.docs.iter().map(|d| &d.ad)),
    ];
    for text in exports {
        let mut s = fresh();
        import(&mut s, &text, ImportMode::Merge);
        assert_eq!(
            s.notice.as_ref().unwrap().kind,
            NoticeKind::Info,
            "{}",
            notice(&s)
        );
        let got = annotations(&s);
        let want = annotations(&source);
        for (g, w) in got.iter().zip(&want) {
            let strip = |v: &[Annotation]| -> Vec<(String, Label, usize, usize, Option<String>)> {
                v.iter()
                    .map(|a| (a.id.clone(), a.label, a.start, a.end, a.note.clone()))
                    .collect()
            };
            assert_eq!(strip(g), strip(w), "{}", &text[..80]);
        }
        assert_eq!(s.docs.len(), 2, "attached to the shown articles, no new ones");
        // importing the same again merges nothing new
        import(&mut s, &text, ImportMode::Merge);
        assert!(notice(&s).contains("Imported 0 annotations"), "{}", notice(&s));
        assert!(notice(&s).contains("skipped 6 duplicates"), "{}", notice(&s));
    }
}

#[test]
fn hashiya_json_keeps_timestamps_and_replace_removes_the_rest() {
    let source = annotated();
    let json = export_json(source.docs.iter().map(|d| (&d.ad, &d.orphans[..])), "now");
    let mut s = fresh();
    tag(&mut s, 0, "لافروف", Label::PERSON, "local");
    import(&mut s, &json, ImportMode::Replace);
    assert_eq!(annotations(&s), annotations(&source));
    assert!(notice(&s).contains("removed 1"), "{}", notice(&s));
    // one undo takes the whole import back
    s.reduce_in_place(Action::Undo { now: "u".into() });
    let ids: Vec<String> = s.docs[0].ad.annotations().iter().map(|a| a.id.clone()).collect();
    assert_eq!(ids, vec!["local"]);
    assert!(s.docs[1].ad.annotations().is_empty());
}

#[test]
fn doccano_and_prodigy_lines_map_labels_and_report_unknown_ones() {
    let mut s = fresh();
    let text = s.docs[1].ad.doc.text().to_string();
    let (p0, p1) = at(&s, 1, "جون كيري");
    let (r0, r1) = at(&s, 1, "روسيا");
    let (n0, n1) = at(&s, 1, "جنيف");
    let lines = [
        serde_json::json!({"text": text, "label": [[p0, p1, "PER"], [r0, r1, "GPE"], [n0, n1, "ORG"]]}),
        serde_json::json!({"text": text, "entities": [{"id": 7, "start_offset": n0, "end_offset": n1, "label": "LOC"}], "relations": []}),
        serde_json::json!({"text": "عنوان جديد\nقال وزير إن 😀 الاتفاق قريب", "spans": [{"start": 23, "end": 37, "label": "claim"}]}),
    ];
    let jsonl: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    import(&mut s, &jsonl, ImportMode::Merge);
    let msg = notice(&s);
    assert!(
        msg.contains("Imported 4 annotations from JSONL, 1 new articles"),
        "{msg}"
    );
    assert!(msg.contains("unknown labels: ORG (1)"), "{msg}");
    let labels: Vec<(String, Label)> = s.docs[1]
        .ad
        .annotations()
        .iter()
        .map(|a| (s.docs[1].ad.doc.slice(a.start, a.end).to_string(), a.label))
        .collect();
    assert!(labels.contains(&("جون كيري".into(), Label::PERSON)));
    assert!(labels.contains(&("روسيا".into(), Label::PLACE)));
    assert!(labels.contains(&("جنيف".into(), Label::PLACE)));
    let new = &s.docs[2];
    assert_eq!(new.origin, Origin::User);
    let a = &new.ad.annotations()[0];
    assert_eq!(new.ad.doc.slice(a.start, a.end), "😀 الاتفاق قريب");
    for (raw, want) in [
        ("per", Some(Label::PERSON)),
        ("Location", Some(Label::PLACE)),
        ("MISC", None),
    ] {
        assert_eq!(map_label(raw, &Label::BUILT_IN), want);
    }
}

#[test]
fn the_same_span_twice_without_ids_is_a_counted_duplicate_not_an_error() {
    let mut s = fresh();
    let text = s.docs[0].ad.doc.text().to_string();
    let (a, b) = at(&s, 0, "لافروف");
    let line = serde_json::json!({"text": text, "label": [[a, b, "PER"], [a, b, "person"]]});
    import(&mut s, &line.to_string(), ImportMode::Merge);
    assert!(notice(&s).contains("Imported 1 annotations"), "{}", notice(&s));
    assert!(notice(&s).contains("skipped 1 duplicates"), "{}", notice(&s));
    assert_eq!(s.docs[0].ad.annotations().len(), 1);
}

#[test]
fn w3c_quote_only_selectors_find_their_text_and_context_disambiguates() {
    let mut s = fresh();
    let w3c = serde_json::json!([{
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "PLACE"},
        "target": {"source": "https://example.org/article", "selector":
            {"type": "TextQuoteSelector", "exact": "موسكو", "prefix": "بين ", "suffix": " وواشنطن"}}
    }]);
    import(&mut s, &w3c.to_string(), ImportMode::Merge);
    assert!(notice(&s).contains("Imported 1 annotations"), "{}", notice(&s));
    let a = &s.docs[0].ad.annotations()[0];
    let d = &s.docs[0].ad.doc;
    assert_eq!(d.slice(a.start, a.end), "موسكو");
    assert_eq!(d.slice(a.end, a.end + 8), " وواشنطن");
    assert!(a.id.starts_with("imp-"));
}

/// Every bad input is refused whole, with where and what, and changes nothing.
#[test]
fn bad_inputs_are_refused_atomically_with_a_location() {
    let source = annotated();
    let good = export_json(source.docs.iter().map(|d| (&d.ad, &d.orphans[..])), "now");
    let len0 = source.docs[0].ad.doc.len();
    let text1 = source.docs[1].ad.doc.text().to_string();
    let mut past_end: serde_json::Value = serde_json::from_str(&good).unwrap();
    past_end["documents"][0]["annotations"][1]["end"] = serde_json::json!(len0 + 5);
    past_end["documents"][0]["annotations"][1]["quote"] = serde_json::Value::Null;
    let mut negative = past_end.clone();
    negative["documents"][0]["annotations"][1]["end"] = serde_json::json!(-3);
    let mut mismatch: serde_json::Value = serde_json::from_str(&good).unwrap();
    mismatch["documents"][1]["annotations"][0]["quote"] = serde_json::json!("نص آخر");
    let mut dup: serde_json::Value = serde_json::from_str(&good).unwrap();
    dup["documents"][0]["annotations"][2]["id"] = dup["documents"][0]["annotations"][0]["id"].clone();
    let mut wrong_type: serde_json::Value = serde_json::from_str(&good).unwrap();
    wrong_type["documents"][0]["annotations"][0]["start"] = serde_json::json!("5");
    let line3 = format!(
        "{}\n{}\n{}\n",
        serde_json::json!({"text": text1, "spans": []}),
        serde_json::json!({"text": text1, "spans": [{"start": 0, "end": 3, "label": "PER"}]}),
        serde_json::json!({"text": "نص قصير", "spans": [{"start": 2, "end": 412, "label": "PER"}]}),
    );
    let past_end_msg = format!(
        "documents[0].annotations[1]: end {} is past the end of the text ({len0})",
        len0 + 5
    );
    let cases: Vec<(String, &str)> = vec![
        (good[..good.len() / 2].to_string(), "line"),
        (
            "{\"format\": \"hashiya\", \"version\": 3, \"documents\": []}".into(),
            "version",
        ),
        (past_end.to_string(), &past_end_msg),
        (negative.to_string(), "end -3 is negative"),
        (
            mismatch.to_string(),
            "documents[1].annotations[0]: quote \"نص آخر\" does not match",
        ),
        (dup.to_string(), "is used twice"),
        (
            wrong_type.to_string(),
            "documents[0].annotations[0].start: start must be a number, not a string",
        ),
        (line3, "line 3: spans[0]: end 412 is past the end of the text (7)"),
        ("[1, 2]".into(), "annotation 1: expected an object"),
        ("\"text\"".into(), "a string is not a format"),
        ("".into(), "the input is empty"),
        (
            format!("{{\"text\": \"{}\"}}", "ب".repeat(6 * 1024 * 1024)),
            "the limit is 10 MB",
        ),
        (
            serde_json::json!({"text": "ab", "spans": [{"start": 2, "end": 1, "label": "PER"}]}).to_string(),
            "start 2 is not before end 1",
        ),
        (
            serde_json::json!({"type": "Annotation", "body": {"purpose": "tagging", "value": "PER"},
            "target": {"selector": {"type": "TextQuoteSelector", "exact": "غير موجود أبدا"}}})
            .to_string(),
            "no open article contains",
        ),
    ];
    for (input, expected) in cases {
        let mut s = annotated();
        let before = annotations(&s);
        let docs_before = s.docs.len();
        let history_before = s.history.clone();
        import(&mut s, &input, ImportMode::Replace);
        let n = s.notice.clone().unwrap();
        assert_eq!(n.kind, NoticeKind::Error, "{expected}: {}", n.en);
        assert!(n.en.contains(expected), "wanted «{expected}» in «{}»", n.en);
        assert!(n.en.starts_with("Import failed, nothing changed."), "{}", n.en);
        assert_eq!(annotations(&s), before);
        assert_eq!(s.docs.len(), docs_before);
        assert_eq!(s.history, history_before);
    }
}

#[test]
fn astral_characters_keep_code_point_offsets_in_every_format() {
    let mut s = fresh();
    s.reduce_in_place(Action::AddArticle {
        text: "عنوان 😀\n\n👍🏽 قال مُحَمَّد إن 𝐀 الخبر صحيح".into(),
        now: "t".into(),
    });
    tag(&mut s, 2, "مُحَمَّد", Label::PERSON, "m");
    tag(&mut s, 2, "𝐀 الخبر", Label::CLAIM, "c");
    let want = annotations(&s)[2].clone();
    for (format, text) in [
        (
            "Hashiya JSON",
            export_json(s.docs.iter().map(|d| (&d.ad, &d.orphans[..])), "now"),
        ),
        ("W3C Web Annotation", export_w3c(s.docs.iter().map(|d| &d.ad))),
        ("JSONL", export_jsonl(s.docs.iter().map(|d| &d.ad))),
    ] {
        let mut t = s.clone();
        import(&mut t, &text, ImportMode::Replace);
        assert_eq!(
            t.notice.as_ref().unwrap().kind,
            NoticeKind::Info,
            "{}",
            notice(&t)
        );
        let key = |v: &[Annotation]| -> Vec<(String, Label, usize, usize)> {
            v.iter()
                .map(|a| (a.id.clone(), a.label, a.start, a.end))
                .collect()
        };
        assert_eq!(key(&annotations(&t)[2]), key(&want), "{format}");
        assert!(
            notice(&t).contains(&format!("annotations from {format}")),
            "{}",
            notice(&t)
        );
    }
}

#[test]
fn another_tabs_changes_merge_per_annotation_and_deletions_stay_deleted() {
    // tab A and tab B start from the same stored article
    let mut a = fresh();
    tag(&mut a, 0, "موسكو", Label::PLACE, "shared");
    let mut b = a.clone();
    // A adds x, B adds y and deletes the shared one
    tag(&mut a, 0, "جون كيري", Label::PERSON, "x");
    tag(&mut b, 0, "لافروف", Label::PERSON, "y");
    b.selected = Some(hashiya::state::Selected {
        doc_id: "kerry-moscow-visit".into(),
        ann_id: "shared".into(),
    });
    b.reduce_in_place(Action::DeleteSelected {
        now: "2026-11-29T00:00:09.000Z".into(),
    });
    let stored = |s: &AppState| Some(Box::new(to_stored(&s.docs[0].record(), "now")));
    // B hears of A's write, A then hears of B's
    let from_a = stored(&a);
    b.reduce_in_place(Action::Remote {
        doc_id: "kerry-moscow-visit".into(),
        stored: from_a,
    });
    let from_b = stored(&b);
    a.reduce_in_place(Action::Remote {
        doc_id: "kerry-moscow-visit".into(),
        stored: from_b,
    });
    let ids =
        |s: &AppState| -> Vec<String> { s.docs[0].ad.annotations().iter().map(|x| x.id.clone()).collect() };
    assert_eq!(ids(&a), ids(&b));
    let mut both = ids(&a);
    both.sort();
    assert_eq!(
        both,
        vec!["x", "y"],
        "both additions kept, the deletion not undone"
    );
    assert_eq!(a.docs[0].tombstones.len(), 1);
}

#[test]
fn another_tabs_links_merge_with_their_claim_and_a_deleted_link_stays_deleted() {
    // both tabs start with a person and a claim
    let mut a = fresh();
    tag(&mut a, 0, "جون كيربي", Label::PERSON, "p");
    tag(&mut a, 0, "سورية", Label::PLACE, "m");
    tag(&mut a, 0, "المباحثات بشأن الصراع", Label::CLAIM, "c");
    let mut b = a.clone();
    let doc_id = || "kerry-moscow-visit".to_string();
    let link = |s: &mut AppState, kind, to: &str, id: &str, now: &str| {
        s.reduce_in_place(Action::Link {
            doc_id: doc_id(),
            from: "c".into(),
            kind,
            to: to.into(),
            id: id.into(),
            now: now.into(),
        })
    };
    let stored = |s: &AppState| Some(Box::new(to_stored(&s.docs[0].record(), "now")));
    let hear = |s: &mut AppState, from: &AppState| {
        s.reduce_in_place(Action::Remote {
            doc_id: doc_id(),
            stored: stored(from),
        })
    };
    let links = |s: &AppState| -> Vec<String> {
        let c = s.docs[0].ad.get("c").unwrap();
        c.claim.relations.iter().map(|r| r.id.clone()).collect()
    };
    // A links the speaker; B hears of it and takes the link
    link(
        &mut a,
        RelationKind::Speaker,
        "p",
        "r1",
        "2026-11-29T00:00:05.000Z",
    );
    hear(&mut b, &a);
    assert_eq!(links(&b), ["r1"]);
    // B removes it later; A's older copy with the link does not bring it back
    b.reduce_in_place(Action::Unlink {
        doc_id: doc_id(),
        rel_id: "r1".into(),
        now: "2026-11-29T00:00:07.000Z".into(),
    });
    hear(&mut b, &a);
    assert!(links(&b).is_empty(), "a deleted link is not resurrected");
    hear(&mut a, &b);
    assert!(links(&a).is_empty(), "and the other tab loses it too");
    // A deletes the place B links as a subject: the merge keeps the deletion, the
    // dangling link is dropped from every export
    link(&mut b, RelationKind::About, "m", "r2", "2026-11-29T00:00:08.000Z");
    a.selected = Some(hashiya::state::Selected {
        doc_id: doc_id(),
        ann_id: "m".into(),
    });
    a.reduce_in_place(Action::DeleteSelected {
        now: "2026-11-29T00:00:09.000Z".into(),
    });
    hear(&mut b, &a);
    assert!(b.docs[0].ad.get("m").is_none(), "the deletion wins");
    let exported = export_json(b.docs.iter().map(|d| (&d.ad, &d.orphans[..])), "now");
    assert!(
        !exported.contains("\"r2\""),
        "no relation to an annotation that is gone"
    );
}
