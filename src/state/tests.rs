//! The reducer's rules, natively.

use super::*;
use crate::model::RelationKind;
use crate::seed::bundled;

#[path = "../../tests/support/state_fixtures.rs"]
mod fixtures;
use fixtures::{at, fresh, tag};

fn quotes(s: &AppState, doc: usize) -> Vec<(String, Label)> {
    let d = &s.docs[doc].ad;
    d.annotations()
        .iter()
        .map(|a| (d.doc.slice(a.start, a.end).to_string(), a.label))
        .collect()
}

#[test]
fn tagging_nesting_and_undo_redo_of_every_change() {
    let mut s = fresh();
    tag(&mut s, 0, "جون كيري", Label::PERSON, "p");
    tag(&mut s, 0, "موسكو", Label::PLACE, "m");
    tag(
        &mut s,
        0,
        "يتوجه وزير الخارجية الأميركي جون كيري الخميس إلى موسكو",
        Label::CLAIM,
        "c",
    );
    assert_eq!(quotes(&s, 0)[0].1, Label::CLAIM);
    assert_eq!(quotes(&s, 0).len(), 3);
    assert!(s.docs[1].ad.annotations().is_empty());
    assert_eq!(s.selected.as_ref().unwrap().ann_id, "c");

    s.reduce_in_place(Action::Relabel {
        label: Label::PERSON,
        now: "t1".into(),
    });
    s.reduce_in_place(Action::SetNote {
        note: "  مصدر؟ ".into(),
        now: "t2".into(),
    });
    let c = s.docs[0].ad.get("c").unwrap();
    assert_eq!(
        (c.label, c.note.as_deref(), c.updated_at.as_str()),
        (Label::PERSON, Some("مصدر؟"), "t2")
    );
    s.reduce_in_place(Action::DeleteSelected { now: "t3".into() });
    assert!(s.docs[0].ad.get("c").is_none());

    for _ in 0..3 {
        s.reduce_in_place(Action::Undo { now: "t4".into() });
    }
    let c = s.docs[0].ad.get("c").unwrap();
    assert_eq!((c.label, c.note.clone()), (Label::CLAIM, None));
    s.reduce_in_place(Action::Undo { now: "t4".into() });
    assert!(s.docs[0].ad.get("c").is_none());
    for _ in 0..4 {
        s.reduce_in_place(Action::Redo { now: "t5".into() });
    }
    assert!(s.docs[0].ad.get("c").is_none());
    s.reduce_in_place(Action::Redo { now: "t5".into() });
    assert_eq!(s.notice.as_ref().unwrap().en, "Nothing to redo.");
}

#[test]
fn dom_points_count_utf16_in_a_block_and_are_trimmed() {
    let mut s = fresh();
    let d = &s.docs[0].ad.doc;
    let para = &d.blocks[1].text;
    let b = para.find(" موسكو ").unwrap();
    let u = para[..b].encode_utf16().count();
    s.reduce_in_place(Action::Tag {
        doc_id: "kerry-moscow-visit".into(),
        anchor: DomPoint {
            block: 1,
            utf16: u + 7,
        },
        focus: DomPoint { block: 1, utf16: u },
        label: Label::PLACE,
        id: "m".into(),
        snap: false,
        now: "t".into(),
    });
    assert_eq!(quotes(&s, 0), vec![("موسكو".to_string(), Label::PLACE)]);
}

#[test]
fn duplicates_and_blank_selections_are_refused_but_two_labels_may_share_a_span() {
    let mut s = fresh();
    tag(&mut s, 0, "موسكو", Label::PLACE, "a");
    tag(&mut s, 0, "موسكو", Label::PLACE, "b");
    assert_eq!(quotes(&s, 0).len(), 1);
    assert_eq!(s.refusal, Some(Refusal::AlreadyTagged(Label::PLACE)));
    tag(&mut s, 0, "موسكو", Label::CLAIM, "c");
    assert_eq!(quotes(&s, 0).len(), 2);
    assert_eq!(
        s.refusal, None,
        "an action that changes something refuses nothing"
    );
    tag(&mut s, 0, " ", Label::CLAIM, "d");
    assert_eq!(s.refusal, Some(Refusal::NoText));
    assert_eq!(s.notice.as_ref().unwrap().kind, NoticeKind::Error);
    assert_eq!(
        s.notice,
        Some(Refusal::NoText.notice()),
        "the notice is the refusal's"
    );
    assert_eq!(
        s.notice.as_ref().unwrap().en,
        "Select some text first, then choose a label."
    );
    assert_eq!(quotes(&s, 0).len(), 2);
}

#[test]
fn texts_handed_in_are_counted_with_whether_they_went_in() {
    let mut s = fresh();
    let start = s.taken.count;
    s.reduce_in_place(Action::Import {
        text: "{not json".into(),
        mode: ImportMode::Merge,
        now: "t".into(),
    });
    assert_eq!((s.taken.count, s.taken.ok), (start + 1, false));
    s.reduce_in_place(Action::AddArticle {
        text: "عنوان\nفقرة".into(),
        now: "t".into(),
    });
    assert_eq!((s.taken.count, s.taken.ok), (start + 2, true));
    // other actions leave the count alone
    s.reduce_in_place(Action::Undo { now: "t".into() });
    assert_eq!(s.taken.count, start + 2);
    s.reduce_in_place(Action::AddArticle {
        text: "عنوان\nفقرة".into(),
        now: "t".into(),
    });
    assert_eq!(
        (s.taken.count, s.taken.ok),
        (start + 3, false),
        "the article is open already"
    );
}

#[test]
fn refusals_are_typed_for_the_embed_and_worded_once() {
    let mut s = fresh();
    s.reduce_in_place(Action::Undo { now: "t".into() });
    assert_eq!(s.refusal, Some(Refusal::NothingToUndo));
    s.reduce_in_place(Action::Redo { now: "t".into() });
    assert_eq!(s.refusal, Some(Refusal::NothingToRedo));
    s.reduce_in_place(Action::Import {
        text: "{not json".into(),
        mode: ImportMode::Merge,
        now: "t".into(),
    });
    match &s.refusal {
        Some(Refusal::ImportFailed(why)) => assert!(why.contains("line 1"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(s
        .notice
        .as_ref()
        .unwrap()
        .en
        .starts_with("Import failed, nothing changed."));
    s.reduce_in_place(Action::AddArticle {
        text: "  \n ".into(),
        now: "t".into(),
    });
    assert_eq!(s.refusal, Some(Refusal::EmptyArticle));
    for _ in 0..2 {
        s.reduce_in_place(Action::AddArticle {
            text: "عنوان\nفقرة".into(),
            now: "t".into(),
        });
    }
    assert_eq!(s.refusal, Some(Refusal::ArticleOpen));
}

#[test]
fn clicking_selects_innermost_then_cycles_outward() {
    let mut s = fresh();
    let doc_id = "kerry-moscow-visit";
    tag(
        &mut s,
        0,
        "يتوجه وزير الخارجية الأميركي جون كيري",
        Label::CLAIM,
        "c",
    );
    tag(&mut s, 0, "جون كيري", Label::PERSON, "p");
    // "gone" is a mark a moment behind the model (a big change redrawn in
    // slices): it is passed over
    let click = |s: &mut AppState| {
        s.reduce_in_place(Action::Click {
            doc_id: doc_id.into(),
            chain: vec!["gone".into(), "p".into(), "c".into()],
            new_id: "r".into(),
            now: "t".into(),
        });
        s.selected.as_ref().unwrap().ann_id.clone()
    };
    s.selected = None;
    assert_eq!(click(&mut s), "p");
    assert_eq!(click(&mut s), "c");
    assert_eq!(click(&mut s), "p");
}

#[test]
fn user_articles_are_added_once_and_removed_after_confirmation() {
    let mut s = fresh();
    let text = "عنوان <b>جريء</b>\n\nفقرة <script>x</script>".to_string();
    s.reduce_in_place(Action::AddArticle {
        text: text.clone(),
        now: "t".into(),
    });
    assert_eq!(s.docs.len(), 3);
    let id = s.docs[2].id().to_string();
    assert!(id.starts_with("doc-"));
    assert_eq!(s.docs[2].ad.doc.title(), "عنوان <b>جريء</b>");
    s.reduce_in_place(Action::AddArticle {
        text,
        now: "t".into(),
    });
    assert_eq!(s.docs.len(), 3);
    tag(&mut s, 2, "فقرة", Label::CLAIM, "x");
    s.reduce_in_place(Action::AskRemove(id.clone()));
    s.reduce_in_place(Action::CancelRemove);
    s.reduce_in_place(Action::ConfirmRemove);
    assert_eq!(s.docs.len(), 3);
    s.reduce_in_place(Action::AskRemove(id.clone()));
    s.reduce_in_place(Action::ConfirmRemove);
    assert_eq!(s.docs.len(), 2);
    // removing is a step: undo brings the article back where it was, with
    // its annotation, and redo removes it again
    s.reduce_in_place(Action::Undo { now: "t".into() });
    assert_eq!(s.docs.len(), 3);
    assert_eq!(s.docs[2].id(), id);
    assert_eq!(s.docs[2].ad.annotations().len(), 1);
    assert_eq!(
        s.current.as_deref(),
        Some(id.as_str()),
        "the article brought back is shown"
    );
    s.reduce_in_place(Action::Redo { now: "t".into() });
    assert_eq!(s.docs.len(), 2);
    // bundled articles cannot be removed
    s.reduce_in_place(Action::AskRemove("kerry-moscow-visit".into()));
    s.reduce_in_place(Action::ConfirmRemove);
    assert_eq!(s.docs.len(), 2);
}

#[test]
fn the_embed_api_actions_are_each_one_undoable_step() {
    let mut s = fresh();
    let doc_id = s.docs[0].id().to_string();
    let (start, end) = at(&s, 0, "جون كيري");
    s.reduce_in_place(Action::AddSpan {
        doc_id: doc_id.clone(),
        start,
        end,
        label: Label::PERSON,
        id: "k".into(),
        note: Some("  وزير  ".into()),
        claim: Default::default(),
        now: "t1".into(),
    });
    assert_eq!(s.docs[0].ad.get("k").unwrap().note.as_deref(), Some("وزير"));
    tag(&mut s, 0, "موسكو", Label::PLACE, "m");
    let note = |s: &AppState| s.docs[0].ad.get("m").and_then(|a| a.note.clone());
    s.reduce_in_place(Action::Annotate {
        doc_id: doc_id.clone(),
        ann_id: "m".into(),
        note: Some("عاصمة".into()),
        now: "t2".into(),
    });
    assert_eq!(note(&s).as_deref(), Some("عاصمة"));
    s.reduce_in_place(Action::Remove {
        doc_id: doc_id.clone(),
        ann_id: "k".into(),
        now: "t3".into(),
    });
    assert!(s.docs[0].ad.get("k").is_none());
    assert_eq!(s.docs[0].tombstones.len(), 1, "a removal leaves a tombstone");
    s.reduce_in_place(Action::Clear {
        doc_id: doc_id.clone(),
        now: "t4".into(),
    });
    assert!(s.docs[0].ad.annotations().is_empty());
    s.reduce_in_place(Action::Undo { now: "t5".into() });
    assert_eq!(
        quotes(&s, 0),
        vec![("موسكو".to_string(), Label::PLACE)],
        "clear is one step"
    );
    s.reduce_in_place(Action::Undo { now: "t6".into() });
    assert!(s.docs[0].ad.get("k").is_some(), "remove is one step");
    s.reduce_in_place(Action::Undo { now: "t7".into() });
    assert_eq!(note(&s), None, "a note is one step");
}

#[test]
fn a_widgets_labels_filter_imports_and_its_article_is_never_joined_by_others() {
    let mut s = fresh();
    let org = Label::named("organisation").unwrap();
    s.reduce_in_place(Action::SetLabels(LabelSet::new(vec![Label::PERSON, org])));
    s.fixed_articles = true;
    let text = s.docs[0].ad.doc.text().to_string();
    let (a, b) = at(&s, 0, "جون كيري");
    let (c, d) = at(&s, 0, "موسكو");
    let line = |t: &str| {
        serde_json::json!({"text": t, "label": [[a, b, "PER"], [c, d, "LOC"], [c, d, "organisation"]]})
            .to_string()
    };
    let other = line(&"نص آخر لا يظهر في الصفحة. ".repeat(20));
    // weighed first, as the embed API does, then applied
    let read = |s: &AppState, text: &str| {
        import::parse_for(text, &s.labels)
            .and_then(|i| import::plan(i, &s.shown(), "t1"))
            .unwrap()
    };
    let plan = read(&s, &format!("{}\n{}", line(&text), other));
    let summary = s.weigh_import(plan.clone(), ImportMode::Merge).unwrap().summary;
    assert_eq!(
        (summary.added, summary.other_articles, summary.new_docs),
        (2, 1, 0)
    );
    assert_eq!(summary.unknown_labels, vec![("LOC".to_string(), 2)]);
    s.reduce_in_place(Action::ImportPlan {
        plan: Box::new(plan),
        mode: ImportMode::Merge,
        now: "t1".into(),
    });
    assert_eq!(s.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Info));
    assert_eq!(s.docs.len(), 2, "no article added");
    let labels: Vec<Label> = s.docs[0].ad.annotations().iter().map(|a| a.label).collect();
    assert_eq!(labels, vec![Label::PERSON, org]);
    assert_eq!(
        s.weigh_import(read(&s, &other), ImportMode::Merge),
        Err(Refusal::NothingForThisArticle),
        "an import only for other articles is refused"
    );
    s.reduce_in_place(Action::Import {
        text: other,
        mode: ImportMode::Merge,
        now: "t2".into(),
    });
    assert_eq!(s.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Error));
    assert_eq!(s.refusal, Some(Refusal::NothingForThisArticle));
}

fn tag_points(s: &mut AppState, needle: &str, from: usize, to: usize, snap: bool, id: &str) {
    let para = s.docs[0].ad.doc.blocks[1].text.clone();
    let at = para.find(needle).unwrap();
    let u = para[..at].encode_utf16().count();
    s.reduce_in_place(Action::Tag {
        doc_id: s.docs[0].id().to_string(),
        anchor: DomPoint {
            block: 1,
            utf16: u + from,
        },
        focus: DomPoint {
            block: 1,
            utf16: u + to,
        },
        label: Label::PLACE,
        id: id.into(),
        snap,
        now: "t".into(),
    });
}

#[test]
fn a_snapped_selection_grows_to_whole_words_and_alt_keeps_letters() {
    let mut s = fresh();
    // from inside «موسكو» to inside it again: the whole word
    tag_points(&mut s, "موسكو", 2, 4, true, "w");
    assert_eq!(quotes(&s, 0), vec![("موسكو".to_string(), Label::PLACE)]);
    tag_points(&mut s, "موسكو", 1, 3, false, "p");
    let texts: Vec<String> = quotes(&s, 0).into_iter().map(|(q, _)| q).collect();
    assert!(texts.contains(&"وس".to_string()), "precise: {texts:?}");
}

#[test]
fn clitic_edges_move_by_one_letter_in_the_visual_direction() {
    let mut s = fresh();
    // «للنرويج» (to Norway) is in the second article: ل + ل(ا)نرويج
    let text = s.docs[1].ad.doc.text().to_string();
    let at = text.find("للنرويج").expect("the seed says للنرويج");
    let start = text[..at].chars().count();
    s.reduce_in_place(Action::AddSpan {
        doc_id: s.docs[1].id().to_string(),
        start,
        end: start + 7,
        label: Label::PLACE,
        id: "m".into(),
        note: None,
        claim: Default::default(),
        now: "t".into(),
    });
    // in right-to-left text ArrowLeft moves forward in reading order
    s.reduce_in_place(Action::MoveEdge {
        edge: Edge::Start,
        left: true,
        now: "t1".into(),
    });
    assert_eq!(quotes(&s, 1), vec![("لنرويج".to_string(), Label::PLACE)]);
    s.reduce_in_place(Action::MoveEdge {
        edge: Edge::End,
        left: false,
        now: "t2".into(),
    });
    assert_eq!(
        quotes(&s, 1),
        vec![("لنروي".to_string(), Label::PLACE)],
        "ArrowRight: end edge backward"
    );
    s.reduce_in_place(Action::MoveEdge {
        edge: Edge::Start,
        left: false,
        now: "t3".into(),
    });
    assert_eq!(quotes(&s, 1), vec![("للنروي".to_string(), Label::PLACE)]);
    s.reduce_in_place(Action::Undo { now: "t4".into() });
    assert_eq!(
        quotes(&s, 1),
        vec![("لنروي".to_string(), Label::PLACE)],
        "each move is one step"
    );
}

#[test]
fn tag_all_adds_the_other_whole_word_occurrences_as_one_step() {
    let mut s = fresh();
    tag(&mut s, 0, "موسكو", Label::PLACE, "m");
    // counted here without the code under test: موسكو with no letter on
    // either side (so بموسكو, a clitic form, is not one of them)
    let chars: Vec<char> = s.docs[0].ad.doc.text().chars().collect();
    let word: Vec<char> = "موسكو".chars().collect();
    let whole: Vec<usize> = (0..=chars.len() - word.len())
        .filter(|&i| chars[i..i + word.len()] == word[..])
        .filter(|&i| i == 0 || !chars[i - 1].is_alphabetic())
        .filter(|&i| chars.get(i + word.len()).is_none_or(|c| !c.is_alphabetic()))
        .collect();
    let expected = whole.len() - 1;
    assert!(expected >= 1, "the seed article names Moscow more than once");
    s.reduce_in_place(Action::TagAll {
        clitics: false,
        id_base: "all".into(),
        now: "t".into(),
    });
    let places = quotes(&s, 0)
        .into_iter()
        .filter(|(q, l)| q == "موسكو" && *l == Label::PLACE)
        .count();
    assert_eq!(places, expected + 1);
    let starts: Vec<usize> = s.docs[0]
        .ad
        .annotations()
        .iter()
        .filter(|a| a.label == Label::PLACE)
        .map(|a| a.start)
        .collect();
    assert_eq!(
        starts, whole,
        "exactly the whole-word occurrences, in reading order"
    );
    assert!(other_occurrences(&s.docs[0].ad, &s.docs[0].ad.get("m").unwrap().clone(), false).is_empty());
    s.reduce_in_place(Action::Undo { now: "t2".into() });
    assert_eq!(quotes(&s, 0).len(), 1, "one undo removes them all");
}

#[test]
fn tab_walks_annotations_in_reading_order_and_stops_at_the_ends() {
    let mut s = fresh();
    let id = s.docs[0].id().to_string();
    assert_eq!(s.neighbour(&id, true), None, "nothing to walk");
    tag(&mut s, 0, "موسكو", Label::PLACE, "m");
    tag(&mut s, 0, "جون كيري", Label::PERSON, "k");
    s.selected = None;
    let first = s.neighbour(&id, true).unwrap();
    // جون كيري comes before موسكو in the text, though it was tagged after it
    assert_eq!(first.ann_id, "k");
    s.selected = Some(first.clone());
    let second = s.neighbour(&id, true).unwrap();
    assert_eq!(second.ann_id, "m");
    s.selected = Some(second.clone());
    assert_eq!(
        s.neighbour(&id, true),
        None,
        "past the last: Tab leaves the article"
    );
    assert_eq!(s.neighbour(&id, false), Some(first));
}

#[test]
fn a_claim_keeps_its_speaker_until_the_person_goes_and_one_undo_brings_both_back() {
    let mut s = fresh();
    let claim = "المباحثات بشأن الصراع في سورية ستتناول التحركات الدولية";
    tag(&mut s, 0, "جون كيربي", Label::PERSON, "p");
    tag(&mut s, 0, "سورية", Label::PLACE, "m");
    tag(&mut s, 0, claim, Label::CLAIM, "c");
    let doc_id = s.docs[0].id().to_string();
    let link = |s: &mut AppState, kind, to: &str, id: &str| {
        s.reduce_in_place(Action::Link {
            doc_id: doc_id.clone(),
            from: "c".into(),
            kind,
            to: to.into(),
            id: id.into(),
            now: "t1".into(),
        })
    };
    link(&mut s, RelationKind::Speaker, "p", "r1");
    link(&mut s, RelationKind::About, "m", "r2");
    let record = |s: &AppState| s.docs[0].ad.get("c").unwrap().claim.clone();
    assert_eq!(record(&s).speaker().map(|r| r.to.as_str()), Some("p"));
    // a place is not a speaker; nothing changes and the reason is given
    link(&mut s, RelationKind::Speaker, "m", "r3");
    assert!(matches!(s.refusal, Some(Refusal::BadLink(_))), "{:?}", s.refusal);
    assert_eq!(record(&s).relations.len(), 2);
    // deleting the person deletes its link in the same step
    s.reduce_in_place(Action::Remove {
        doc_id: doc_id.clone(),
        ann_id: "p".into(),
        now: "t2".into(),
    });
    assert_eq!(record(&s).speaker(), None);
    assert_eq!(record(&s).about().count(), 1);
    s.reduce_in_place(Action::Undo { now: "t3".into() });
    assert!(s.docs[0].ad.get("p").is_some());
    assert_eq!(
        record(&s).speaker().map(|r| r.id.as_str()),
        Some("r1"),
        "one undo brings both"
    );
    // unlinking is a step of its own
    s.reduce_in_place(Action::Unlink {
        doc_id: doc_id.clone(),
        rel_id: "r2".into(),
        now: "t4".into(),
    });
    assert_eq!(record(&s).about().count(), 0);
    s.reduce_in_place(Action::Undo { now: "t5".into() });
    assert_eq!(record(&s).about().count(), 1);
}

#[test]
fn a_claims_verdict_and_source_are_checked_and_undone_one_at_a_time() {
    let mut s = fresh();
    tag(&mut s, 0, "المباحثات بشأن الصراع", Label::CLAIM, "c");
    let record = |s: &AppState| s.docs[0].ad.get("c").unwrap().claim.clone();
    let verdict = |s: &mut AppState, v: &str| {
        s.reduce_in_place(Action::SetVerdict {
            verdict: Some(v.into()),
            now: "t1".into(),
        })
    };
    verdict(&mut s, "misleading");
    assert_eq!(record(&s).verdict.as_deref(), Some("misleading"));
    verdict(&mut s, "pants-on-fire");
    assert_eq!(s.refusal, Some(Refusal::UnknownVerdict("pants-on-fire".into())));
    let source = |s: &mut AppState, url: &str| {
        s.reduce_in_place(Action::SetSource {
            source: url.into(),
            now: "t2".into(),
        })
    };
    source(&mut s, " https://example.org/check ");
    assert_eq!(record(&s).source.as_deref(), Some("https://example.org/check"));
    source(&mut s, "javascript:alert(1)");
    assert!(matches!(s.refusal, Some(Refusal::BadSource(_))));
    assert_eq!(
        record(&s).source.as_deref(),
        Some("https://example.org/check"),
        "the old source stays"
    );
    s.reduce_in_place(Action::Undo { now: "t3".into() });
    assert_eq!(record(&s).source, None);
    assert_eq!(record(&s).verdict.as_deref(), Some("misleading"));
    // a person has no verdict
    tag(&mut s, 0, "جون كيربي", Label::PERSON, "p");
    verdict(&mut s, "true");
    assert_eq!(s.refusal, Some(Refusal::NotAClaim));
    // a claim relabelled as a person keeps no record, and undo gives it back
    s.reduce_in_place(Action::Select(Some(Selected {
        doc_id: s.docs[0].id().to_string(),
        ann_id: "c".into(),
    })));
    s.reduce_in_place(Action::Relabel {
        label: Label::PERSON,
        now: "t4".into(),
    });
    assert!(record(&s).is_empty());
    s.reduce_in_place(Action::Undo { now: "t5".into() });
    assert_eq!(record(&s).verdict.as_deref(), Some("misleading"));
}

/// Tags the first `needle` of the first paragraph of article 0 as a user does: a selection.
fn tag_selected(s: &mut AppState, needle: &str, label: Label, id: &str) {
    let para = s.docs[0].ad.doc.blocks[1].text.clone();
    let at = para[..para.find(needle).unwrap()].encode_utf16().count();
    let point = |utf16| DomPoint { block: 1, utf16 };
    s.reduce_in_place(Action::Tag {
        doc_id: s.docs[0].id().to_string(),
        anchor: point(at),
        focus: point(at + needle.encode_utf16().count()),
        label,
        id: id.into(),
        snap: false,
        now: "t".into(),
    });
}

#[test]
fn a_tagged_claim_suggests_the_person_before_it_and_only_enter_links() {
    let mut s = fresh();
    tag_selected(&mut s, "جون كيري", Label::PERSON, "p");
    assert_eq!(s.linking, None, "a person suggests nothing");
    tag_selected(&mut s, "زيارة تستغرق يومين", Label::CLAIM, "c");
    let l = s.linking.clone().expect("a suggestion");
    assert_eq!(
        (l.candidate.as_deref(), l.suggested, l.kind),
        (Some("p"), true, RelationKind::Speaker)
    );
    assert!(
        s.notice.as_ref().unwrap().en.contains("جون كيري"),
        "{:?}",
        s.notice
    );
    assert!(
        s.docs[0].ad.get("c").unwrap().claim.speaker().is_none(),
        "never linked without the user"
    );
    s.reduce_in_place(Action::LinkConfirm {
        new_id: "r1".into(),
        now: "t2".into(),
    });
    assert_eq!(s.linking, None);
    assert_eq!(s.docs[0].ad.get("c").unwrap().claim.speaker().unwrap().to, "p");
    // dismissed: nothing linked
    s.reduce_in_place(Action::Undo { now: "t3".into() });
    s.reduce_in_place(Action::CancelLink);
    assert!(s.docs[0].ad.get("c").unwrap().claim.speaker().is_none());
}

#[test]
fn linking_by_keys_walks_the_nearest_first_and_a_click_links_only_what_fits() {
    let mut s = fresh();
    tag_selected(&mut s, "الخميس", Label::PERSON, "far");
    tag_selected(&mut s, "جون كيري", Label::PERSON, "near");
    tag_selected(&mut s, "موسكو", Label::PLACE, "m");
    tag_selected(&mut s, "وزير الخارجية", Label::CLAIM, "c");
    assert_eq!(s.linking, None, "no person before the claim: no suggestion");
    s.reduce_in_place(Action::StartLink(RelationKind::Speaker));
    let step = |s: &mut AppState, forward| {
        s.reduce_in_place(Action::LinkStep { forward });
        s.linking.as_ref().unwrap().candidate.clone().unwrap()
    };
    assert_eq!(step(&mut s, true), "near");
    assert_eq!(step(&mut s, true), "far", "persons only, nearest first");
    assert_eq!(step(&mut s, true), "near", "and round again");
    assert_eq!(step(&mut s, false), "far");
    s.reduce_in_place(Action::Escape);
    assert_eq!(s.linking, None);
    assert!(
        s.selected.is_some(),
        "Escape cancels the linking, not the selection"
    );
    // by click: a place is no speaker; the person under the same click is
    s.reduce_in_place(Action::StartLink(RelationKind::Speaker));
    let click = |s: &mut AppState, chain: &[&str]| {
        s.reduce_in_place(Action::Click {
            doc_id: s.docs[0].id().to_string(),
            chain: chain.iter().map(|x| x.to_string()).collect(),
            new_id: "r9".into(),
            now: "t9".into(),
        })
    };
    click(&mut s, &["m"]);
    assert!(matches!(s.refusal, Some(Refusal::BadLink(_))));
    assert!(s.linking.is_some(), "still linking after a wrong click");
    click(&mut s, &["m", "near"]);
    assert_eq!(s.docs[0].ad.get("c").unwrap().claim.speaker().unwrap().to, "near");
    assert_eq!(
        s.selected.as_ref().unwrap().ann_id,
        "c",
        "the claim stays selected"
    );
    // about takes places too
    s.reduce_in_place(Action::StartLink(RelationKind::About));
    click(&mut s, &["m"]);
    assert_eq!(s.docs[0].ad.get("c").unwrap().claim.about().count(), 1);
}

#[test]
fn an_annotation_added_with_a_verdict_and_source_is_one_step_and_only_a_claims() {
    let mut s = fresh();
    let (start, end) = at(&s, 0, "المباحثات بشأن الصراع");
    let add = |s: &mut AppState, label, id: &str, verdict: &str, source: &str| {
        s.reduce_in_place(Action::AddSpan {
            doc_id: s.docs[0].id().to_string(),
            start,
            end,
            label,
            id: id.into(),
            note: None,
            claim: ClaimRecord {
                verdict: Some(verdict.into()),
                source: Some(source.into()),
                relations: vec![],
            },
            now: "t".into(),
        })
    };
    add(&mut s, Label::PERSON, "p", "false", "");
    assert_eq!(s.refusal, Some(Refusal::NotAClaim));
    add(&mut s, Label::CLAIM, "c", "false", "ftp://x.org");
    assert!(matches!(s.refusal, Some(Refusal::BadSource(_))));
    assert!(
        s.docs[0].ad.annotations().is_empty(),
        "nothing added by a refused call"
    );
    add(&mut s, Label::CLAIM, "c", "false", " https://example.org ");
    let c = s.docs[0].ad.get("c").unwrap().claim.clone();
    assert_eq!(
        (c.verdict.as_deref(), c.source.as_deref()),
        (Some("false"), Some("https://example.org"))
    );
    s.reduce_in_place(Action::Undo { now: "u".into() });
    assert!(s.docs[0].ad.annotations().is_empty(), "one step");
}

/// Four articles: the two seeds and two the user opened.
fn four() -> AppState {
    let mut s = fresh();
    for text in ["مقال ثالث\nنص الثالث", "مقال رابع\nنص الرابع"] {
        s.reduce_in_place(Action::AddArticle {
            text: text.into(),
            now: "t".into(),
        });
    }
    assert_eq!(s.docs.len(), 4);
    s
}

fn ids(s: &AppState) -> Vec<String> {
    s.docs.iter().map(|d| d.id().to_string()).collect()
}

#[test]
fn statuses_follow_annotations_until_done_and_done_undoes() {
    use crate::model::DocStatus;
    let mut s = fresh();
    let id = s.docs[0].id().to_string();
    assert_eq!(s.docs[0].status(), DocStatus::New);
    tag(&mut s, 0, "موسكو", Label::PLACE, "m");
    assert_eq!(s.docs[0].status(), DocStatus::InProgress);
    s.reduce_in_place(Action::SetDone {
        doc_id: id.clone(),
        done: true,
    });
    assert_eq!(s.docs[0].status(), DocStatus::Done);
    assert_eq!(s.progress(), (1, 2));
    s.reduce_in_place(Action::Undo { now: "t".into() });
    assert_eq!(
        s.docs[0].status(),
        DocStatus::InProgress,
        "Ctrl+Z undoes marking done"
    );
    assert_eq!(quotes(&s, 0).len(), 1, "and only that");
    s.reduce_in_place(Action::Redo { now: "t".into() });
    assert_eq!(s.docs[0].status(), DocStatus::Done);
    // marking done twice is no second step
    s.reduce_in_place(Action::SetDone {
        doc_id: id,
        done: true,
    });
    s.reduce_in_place(Action::Undo { now: "t".into() });
    assert_eq!(s.docs[0].status(), DocStatus::InProgress);
}

#[test]
fn next_previous_and_next_undone_go_round_the_list() {
    let mut s = four();
    let all = ids(&s);
    assert_eq!(
        s.current_doc().unwrap().id(),
        all[3],
        "an article just opened is shown"
    );
    s.reduce_in_place(Action::Show(all[0].clone()));
    // one key press: the article it shows
    let next = |s: &mut AppState, forward, undone_only| {
        s.reduce_in_place(Action::ShowNext { forward, undone_only });
        s.current.clone()
    };
    assert_eq!(
        next(&mut s, false, false),
        Some(all[3].clone()),
        "previous of the first is the last"
    );
    assert_eq!(next(&mut s, true, false), Some(all[0].clone()));
    for i in [1, 2] {
        s.reduce_in_place(Action::SetDone {
            doc_id: all[i].clone(),
            done: true,
        });
    }
    assert_eq!(
        next(&mut s, true, true),
        Some(all[3].clone()),
        "the done ones are skipped"
    );
    assert_eq!(next(&mut s, true, true), Some(all[0].clone()), "round the end");
    s.reduce_in_place(Action::SetDone {
        doc_id: all[3].clone(),
        done: true,
    });
    next(&mut s, true, true);
    assert_eq!(
        s.refusal,
        Some(Refusal::OnlyThisLeft),
        "the one shown is the last to do"
    );
    s.reduce_in_place(Action::SetDone {
        doc_id: all[0].clone(),
        done: true,
    });
    s.reduce_in_place(Action::ShowNext {
        forward: true,
        undone_only: true,
    });
    assert_eq!(s.refusal, Some(Refusal::AllDone));
    s.reduce_in_place(Action::Show("no-such".into()));
    assert_eq!(s.refusal, Some(Refusal::NoSuchArticle("no-such".into())));
    assert_eq!(
        s.current.as_deref(),
        Some(all[0].as_str()),
        "a bad id changes nothing"
    );
}

#[test]
fn articles_move_up_and_down_as_steps() {
    let mut s = four();
    let all = ids(&s);
    s.reduce_in_place(Action::MoveArticle {
        doc_id: all[3].clone(),
        down: false,
    });
    assert_eq!(
        ids(&s),
        [all[0].clone(), all[1].clone(), all[3].clone(), all[2].clone()]
    );
    s.reduce_in_place(Action::MoveArticle {
        doc_id: all[0].clone(),
        down: false,
    });
    assert_eq!(ids(&s)[0], all[0], "the first cannot go up");
    s.reduce_in_place(Action::Undo { now: "t".into() });
    assert_eq!(ids(&s), all);
    s.reduce_in_place(Action::Redo { now: "t".into() });
    assert_eq!(
        ids(&s),
        [all[0].clone(), all[1].clone(), all[3].clone(), all[2].clone()]
    );
}

#[test]
fn statuses_travel_through_every_format_and_back() {
    use crate::formats::export::export_json;
    use crate::formats::jsonl::export_jsonl;
    use crate::formats::w3c::export_w3c;
    let mut s = fresh();
    tag(&mut s, 0, "موسكو", Label::PLACE, "m");
    let (a, b) = (s.docs[0].id().to_string(), s.docs[1].id().to_string());
    s.reduce_in_place(Action::SetDone {
        doc_id: a.clone(),
        done: true,
    });
    let exports = [
        export_json(&s.docs, "t"),
        export_jsonl(&s.docs),
        export_w3c(&s.docs),
    ];
    for text in exports {
        assert!(text.contains("\"done\""), "{}", &text[..200.min(text.len())]);
        let mut back = fresh();
        back.reduce_in_place(Action::Import {
            text: text.clone(),
            mode: ImportMode::Merge,
            now: "t".into(),
        });
        assert_eq!(back.refusal, None, "{text:.300}");
        assert!(back.doc(&a).unwrap().done, "done comes back");
        assert!(!back.doc(&b).unwrap().done);
        // the import's status is part of its step
        back.reduce_in_place(Action::Undo { now: "t".into() });
        assert!(
            !back.doc(&a).unwrap().done,
            "one undo takes the import back, status and all"
        );
    }
}

#[test]
fn statuses_of_new_articles_are_read_and_bad_ones_refused_only_in_our_format() {
    let mut s = fresh();
    let lines = [
        r#"{"text": "مقال أول\nنص أول", "label": [], "status": "done"}"#,
        r#"{"text": "مقال ثان\nنص ثان", "label": [], "status": "approved"}"#,
    ]
    .join("\n");
    s.reduce_in_place(Action::Import {
        text: lines,
        mode: ImportMode::Merge,
        now: "t".into(),
    });
    assert_eq!(s.refusal, None, "another tool's status values are its own");
    assert_eq!(s.docs.len(), 4);
    assert!(s.docs[2].done);
    assert!(!s.docs[3].done);
    let bad = r#"{"format": "hashiya", "version": 2, "documents": [{"text": "مقال\nنص", "annotations": [], "status": "finished"}]}"#;
    s.reduce_in_place(Action::Import {
        text: bad.into(),
        mode: ImportMode::Merge,
        now: "t".into(),
    });
    let Some(Refusal::ImportFailed(why)) = &s.refusal else {
        panic!("{:?}", s.refusal)
    };
    assert!(why.contains("documents[0].status"), "{why}");
    assert_eq!(s.docs.len(), 4, "nothing changed");
}

#[test]
fn undo_shows_the_article_it_touched_and_drops_the_selection_of_the_one_left() {
    let mut s = fresh();
    let (a, b) = (s.docs[0].id().to_string(), s.docs[1].id().to_string());
    s.reduce_in_place(Action::SetDone {
        doc_id: a.clone(),
        done: true,
    });
    s.reduce_in_place(Action::Show(b.clone()));
    tag(&mut s, 1, "داعش", Label::PLACE, "d");
    s.reduce_in_place(Action::Select(Some(Selected {
        doc_id: b.clone(),
        ann_id: "d".into(),
    })));
    s.reduce_in_place(Action::Undo { now: "t".into() }); // the tag
    s.reduce_in_place(Action::Undo { now: "t".into() }); // done, in the other article
    assert_eq!(s.current.as_deref(), Some(a.as_str()));
    assert_eq!(s.selected, None, "nothing of the article left stays selected");
    // an address that names no article shows the first again
    s.reduce_in_place(Action::Show(b));
    s.reduce_in_place(Action::ShowFirst);
    assert_eq!(s.current_doc().unwrap().id(), a);
}

#[test]
fn an_article_removed_and_opened_again_does_not_take_back_old_steps() {
    let mut s = fresh();
    let text = "مقال يعود\nنص المقال الذي يعود";
    s.reduce_in_place(Action::AddArticle {
        text: text.into(),
        now: "t".into(),
    });
    let id = s.docs[2].id().to_string();
    tag(&mut s, 2, "يعود", Label::CLAIM, "old");
    s.reduce_in_place(Action::AskRemove(id.clone()));
    s.reduce_in_place(Action::ConfirmRemove);
    s.reduce_in_place(Action::AddArticle {
        text: text.into(),
        now: "t".into(),
    });
    assert_eq!(s.docs[2].id(), id, "the same text, the same id");
    tag(&mut s, 2, "المقال", Label::PERSON, "new");
    s.reduce_in_place(Action::Undo { now: "t".into() });
    s.reduce_in_place(Action::Undo { now: "t".into() });
    assert_eq!(
        s.refusal,
        Some(Refusal::NothingToUndo),
        "the old article's steps are gone"
    );
    assert_eq!(s.docs.len(), 3);
    assert!(s.docs[2].ad.annotations().is_empty());
}

#[test]
fn another_tabs_order_is_taken_and_unnamed_articles_follow() {
    let mut s = four();
    let all = ids(&s);
    s.reduce_in_place(Action::Arrange(vec![all[2].clone(), all[0].clone()]));
    assert_eq!(
        ids(&s),
        [all[2].clone(), all[0].clone(), all[1].clone(), all[3].clone()]
    );
    // not a step of this tab: undo does not take it back
    s.reduce_in_place(Action::Undo { now: "t".into() });
    assert_eq!(ids(&s)[0], all[2]);
}
