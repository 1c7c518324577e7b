//! Words: snapping, edges, caret steps and occurrences on Arabic text.

use super::*;

/// Code point offset of the first occurrence of `part` in `text`.
fn at(text: &str, part: &str) -> usize {
    cp_len(&text[..text.find(part).expect("part is in the text")])
}

/// The code point span of the first occurrence of `part` in `text`.
fn span_of(text: &str, part: &str) -> (usize, usize) {
    let s = at(text, part);
    (s, s + cp_len(part))
}

fn snapped(text: &str, start: usize, end: usize) -> Option<&str> {
    snap_to_words(text, start, end).map(|(s, e)| slice_cp(text, s, e))
}

fn texts<'a>(text: &'a str, spans: &[(usize, usize)]) -> Vec<&'a str> {
    spans.iter().map(|&(s, e)| slice_cp(text, s, e)).collect()
}

const CLITICS: MatchOptions = MatchOptions { clitics: true };
const WHOLE: MatchOptions = MatchOptions { clitics: false };

#[test]
fn snaps_a_selection_inside_a_word_to_the_word() {
    let t = "يتوجه جون كيري الخميس إلى موسكو في زيارة";
    let k = at(t, "كيري");
    // from inside جون to inside كيري
    assert_eq!(snapped(t, at(t, "جون") + 1, k + 2), Some("جون كيري"));
    // reversed order
    assert_eq!(snapped(t, k + 2, at(t, "جون") + 1), Some("جون كيري"));
    // a caret inside a word gives the word
    assert_eq!(snapped(t, k + 1, k + 1), Some("كيري"));
    // the space around is dropped
    assert_eq!(snapped(t, k - 1, k + 5), Some("كيري"));
    // an already whole word is unchanged
    assert_eq!(snap_to_words(t, k, k + 4), Some((k, k + 4)));
}

#[test]
fn snaps_clitic_words_whole() {
    let t = "وقال كيري خلال زيارة للنرويج إثر لقائه بموسكو";
    let n = at(t, "للنرويج");
    assert_eq!(snapped(t, n + 3, n + 5), Some("للنرويج"));
    let m = at(t, "بموسكو");
    assert_eq!(snapped(t, m + 1, m + 2), Some("بموسكو"));
}

#[test]
fn keeps_punctuation_and_quotes_outside() {
    let t = "بين موسكو وواشنطن، موضحة أن \"الاستقرار العالمي\" و«الأسد» (دمشق)؛ هل؟ 'لافروف' “كيري”";
    let w = at(t, "وواشنطن");
    assert_eq!(snapped(t, w + 2, w + 8), Some("وواشنطن"));
    let q = at(t, "\"الاستقرار");
    assert_eq!(snapped(t, q, q + 11), Some("الاستقرار"));
    let q2 = at(t, "العالمي\"");
    assert_eq!(snapped(t, q2 + 2, q2 + 8), Some("العالمي"));
    let g = at(t, "«الأسد»");
    assert_eq!(snapped(t, g - 2, g + 7), Some("و«الأسد"));
    assert_eq!(snapped(t, g, g + 7), Some("الأسد"));
    let d = at(t, "(دمشق)؛");
    assert_eq!(snapped(t, d, d + 7), Some("دمشق"));
    let h = at(t, "هل؟");
    assert_eq!(snapped(t, h + 1, h + 3), Some("هل"));
    let l = at(t, "'لافروف'");
    assert_eq!(snapped(t, l, l + 8), Some("لافروف"));
    let c = at(t, "“كيري”");
    assert_eq!(snapped(t, c, c + 6), Some("كيري"));
    // only punctuation and space
    assert_eq!(snap_to_words(t, w + 7, w + 9), None);
    assert_eq!(snap_to_words(t, q, q + 1), None);
    assert_eq!(snap_to_words(t, 0, 0), None);
}

#[test]
fn keeps_digits_latin_and_emoji_whole() {
    let t = "مساعدة مالية تقدر بـ 10.8 ملايين دولار من John Kerry's team 👍🏽 و👨‍👩‍👧 20%";
    let d = at(t, "10.8");
    assert_eq!(snapped(t, d + 1, d + 3), Some("10.8"));
    // selecting the dot inside the number takes the number
    assert_eq!(snapped(t, d + 2, d + 3), Some("10.8"));
    let b = at(t, "بـ");
    assert_eq!(snapped(t, b, b + 1), Some("بـ"));
    let j = at(t, "John");
    assert_eq!(snapped(t, j + 2, j + 8), Some("John Kerry's"));
    let e = at(t, "👍🏽");
    assert_eq!(snapped(t, e, e + 1), Some("👍🏽"));
    let f = at(t, "👨‍👩‍👧");
    assert_eq!(snapped(t, f - 1, f + 2), Some("و👨‍👩‍👧"));
    let p = at(t, "20%");
    assert_eq!(snapped(t, p, p + 3), Some("20%"));
}

#[test]
fn harakat_and_tatweel_belong_to_their_word() {
    let t = "إلى مُوسْكُو وموسـكو.";
    let m = at(t, "مُوسْكُو");
    // inside, between a letter and its haraka
    assert_eq!(snapped(t, m + 1, m + 3), Some("مُوسْكُو"));
    assert_eq!(snapped(t, m + 7, m + 7), Some("مُوسْكُو"));
    let w = at(t, "وموسـكو");
    assert_eq!(snapped(t, w + 4, w + 5), Some("وموسـكو"));
    assert_eq!(snapped(t, w + 1, w + 8), Some("وموسـكو"));
}

#[test]
fn bidi_marks_stay_outside() {
    let t = "جون\u{200F} كيري\u{200E}، \u{2067}Kerry\u{2069}";
    let k = at(t, "كيري");
    assert_eq!(snapped(t, k + 1, k + 6), Some("كيري"));
    assert_eq!(snapped(t, 1, 3), Some("جون"));
    let l = at(t, "Kerry");
    assert_eq!(snapped(t, l - 1, l + 6), Some("Kerry"));
    assert_eq!(snap_to_words(t, k + 4, k + 7), None);
}

#[test]
fn never_crosses_a_line_break_growing() {
    let t = "كيري ولافروف\nخلال لقاء سابق";
    let n = at(t, "\n");
    // the end just after the break: the span ends at the block's last word
    assert_eq!(snapped(t, n - 3, n + 1), Some("ولافروف"));
    // the start on the break: the span starts at the next block's first word
    assert_eq!(snapped(t, n, n + 2), Some("خلال"));
    assert_eq!(snap_to_words(t, n, n + 1), None);
    // a span across blocks keeps crossing, each edge snapped in its own block
    assert_eq!(snapped(t, n - 2, n + 2), Some("ولافروف\nخلال"));
    // a caret at a block's edge is not inside a word
    assert_eq!(snap_to_words(t, n, n), None);
    assert_eq!(snap_to_words(t, n + 1, n + 1), None);
    // out of range clamps
    assert_eq!(snapped(t, cp_len(t) - 1, 999), Some("سابق"));
}

#[test]
fn moves_edges_to_peel_clitics() {
    let t = "ممارسة نفوذها بموسكو وللنرويج";
    let m = span_of(t, "بموسكو");
    let moved = move_edge(t, m, Edge::Start, Step::Forward).unwrap();
    assert_eq!(slice_cp(t, moved.0, moved.1), "موسكو");
    assert_eq!(move_edge(t, moved, Edge::Start, Step::Backward), Some(m));
    let back = move_edge(t, m, Edge::End, Step::Backward).unwrap();
    assert_eq!(slice_cp(t, back.0, back.1), "بموسك");
    let n = span_of(t, "وللنرويج");
    let two = move_edge(t, n, Edge::Start, Step::Forward)
        .and_then(|s| move_edge(t, s, Edge::Start, Step::Forward))
        .unwrap();
    assert_eq!(slice_cp(t, two.0, two.1), "لنرويج");
    // at the end of the text the end edge cannot move forward
    assert_eq!(move_edge(t, n, Edge::End, Step::Forward), None);
    // at 0 the start edge cannot move backward
    assert_eq!(move_edge(t, (0, 3), Edge::Start, Step::Backward), None);
    // the span never becomes empty
    assert_eq!(move_edge(t, (2, 3), Edge::Start, Step::Forward), None);
    assert_eq!(move_edge(t, (2, 3), Edge::End, Step::Backward), None);
    // an invalid span
    assert_eq!(move_edge(t, (3, 2), Edge::End, Step::Forward), None);
    assert_eq!(move_edge(t, (3, 99), Edge::End, Step::Backward), None);
}

#[test]
fn edges_move_by_whole_graphemes_and_stop_at_line_breaks() {
    let t = "بِمُوسْكُو\nبـ 😀";
    let moved = move_edge(t, (0, 10), Edge::Start, Step::Forward).unwrap();
    assert_eq!(slice_cp(t, moved.0, moved.1), "مُوسْكُو");
    let moved = move_edge(t, (0, 10), Edge::End, Step::Backward).unwrap();
    assert_eq!(slice_cp(t, moved.0, moved.1), "بِمُوسْكُ");
    assert_eq!(move_edge(t, (0, 10), Edge::End, Step::Forward), None);
    assert_eq!(move_edge(t, (11, 13), Edge::Start, Step::Backward), None);
    // tatweel is its own grapheme
    assert_eq!(move_edge(t, (11, 13), Edge::End, Step::Backward), Some((11, 12)));
    // an emoji with its skin tone or a ZWJ family is one step
    let e = "ا👍🏽ب";
    assert_eq!(move_edge(e, (0, 1), Edge::End, Step::Forward), Some((0, 3)));
    let z = "ا👨‍👩‍👧";
    assert_eq!(move_edge(z, (0, 1), Edge::End, Step::Forward), Some((0, 6)));
}

#[test]
fn caret_moves_by_grapheme_across_lines() {
    let t = "مُ\nا😀";
    assert_eq!(next_grapheme(t, 0), 2);
    assert_eq!(next_grapheme(t, 2), 3);
    assert_eq!(next_grapheme(t, 3), 4);
    assert_eq!(next_grapheme(t, 4), 5);
    assert_eq!(next_grapheme(t, 5), 5);
    assert_eq!(next_grapheme(t, 99), 5);
    assert_eq!(prev_grapheme(t, 5), 4);
    assert_eq!(prev_grapheme(t, 3), 2);
    assert_eq!(prev_grapheme(t, 2), 0);
    assert_eq!(prev_grapheme(t, 1), 0);
    assert_eq!(prev_grapheme(t, 0), 0);
    assert_eq!(next_grapheme("", 0), 0);
    assert_eq!(prev_grapheme("", 3), 0);
}

#[test]
fn caret_moves_by_word() {
    let t = "جون كيري، «الأسد»\n\n10.8 ملايين";
    let k = at(t, "كيري");
    let a = at(t, "الأسد");
    let d = at(t, "10.8");
    assert_eq!(next_word_end(t, 0), 3);
    assert_eq!(next_word_end(t, 1), 3);
    assert_eq!(next_word_end(t, 3), k + 4);
    assert_eq!(next_word_end(t, k + 4), a + 5);
    assert_eq!(next_word_end(t, a + 5), d + 4);
    assert_eq!(next_word_end(t, d + 4), cp_len(t));
    assert_eq!(next_word_end(t, cp_len(t)), cp_len(t));
    assert_eq!(prev_word_start(t, cp_len(t)), d + 5);
    assert_eq!(prev_word_start(t, d + 5), d);
    assert_eq!(prev_word_start(t, d), a);
    assert_eq!(prev_word_start(t, a + 2), a);
    assert_eq!(prev_word_start(t, a), k);
    assert_eq!(prev_word_start(t, k), 0);
    assert_eq!(prev_word_start(t, 0), 0);
    assert_eq!(next_word_end("، ؛", 0), 3);
    assert_eq!(prev_word_start("، ؛", 3), 0);
}

#[test]
fn block_edges() {
    let t = "أ ب\nج د\n\nهـ";
    assert_eq!((block_start(t, 0), block_end(t, 0)), (0, 3));
    assert_eq!((block_start(t, 3), block_end(t, 3)), (0, 3));
    assert_eq!((block_start(t, 4), block_end(t, 4)), (4, 7));
    assert_eq!((block_start(t, 8), block_end(t, 8)), (8, 8));
    assert_eq!((block_start(t, 10), block_end(t, 10)), (9, 11));
    assert_eq!((block_start(t, 99), block_end(t, 99)), (9, 11));
    assert_eq!((block_start("", 0), block_end("", 0)), (0, 0));
}

#[test]
fn whole_word_occurrences_ignore_harakat_and_tatweel() {
    let t = "موسكو ومُوسْكُو وموسـكو، موسكوفي «مُوسْكُو» موسـكو.";
    let found = find_occurrences(t, "موسكو", WHOLE);
    assert_eq!(texts(t, &found), ["موسكو", "مُوسْكُو", "موسـكو"]);
    // the needle's harakat are ignored too
    assert_eq!(find_occurrences(t, "مُوسكُو", WHOLE), found);
    let with = find_occurrences(t, "موسكو", CLITICS);
    assert_eq!(texts(t, &with), ["موسكو", "مُوسْكُو", "موسـكو", "مُوسْكُو", "موسـكو"]);
    assert_eq!(texts(t, &with)[1], "مُوسْكُو");
    assert!(with.windows(2).all(|w| w[0].1 <= w[1].0));
}

#[test]
fn a_span_keeps_the_harakat_of_its_last_letter() {
    let t = "زار مُوسْكُوَ أمس";
    let found = find_occurrences(t, "موسكو", WHOLE);
    assert_eq!(texts(t, &found), ["مُوسْكُوَ"]);
}

#[test]
fn the_article_of_a_name_is_part_of_it() {
    let t = "بشار الأسد والأسد بالأسد للأسد الأسدي أسد وأسد";
    // without clitics: whole words only
    assert_eq!(texts(t, &find_occurrences(t, "الأسد", WHOLE)), ["الأسد"]);
    assert_eq!(texts(t, &find_occurrences(t, "أسد", WHOLE)), ["أسد"]);
    // with clitics: و / ب + الأسد, and لل for ل + الأسد
    let found = find_occurrences(t, "الأسد", CLITICS);
    assert_eq!(texts(t, &found), ["الأسد", "الأسد", "الأسد", "لأسد"]);
    assert_eq!(found[1], (at(t, "والأسد") + 1, at(t, "والأسد") + 6));
    // أسد behind ال only with clitics
    let found = find_occurrences(t, "أسد", CLITICS);
    assert_eq!(found.len(), 6);
    assert!(texts(t, &found).iter().all(|s| *s == "أسد"));
    assert!(!found.contains(&span_of(t, "أسدي")));
}

#[test]
fn clitic_prefixes_of_the_issue() {
    let t = "الفيروس بالفيروس وبالفيروس فالفيروس للفيروس ولفيروس كفيروس فيروسات سفيروس";
    let found = find_occurrences(t, "فيروس", CLITICS);
    assert_eq!(found.len(), 7);
    assert!(texts(t, &found).iter().all(|s| *s == "فيروس"));
    assert_eq!(found[1], (at(t, "بالفيروس") + 3, at(t, "بالفيروس") + 8));
    assert!(find_occurrences(t, "فيروس", WHOLE).is_empty());
    // the seed's للنرويج, with the article's ل
    let s = "خلال زيارة للنرويج إثر وصوله إلى النرويج";
    let found = find_occurrences(s, "النرويج", CLITICS);
    assert_eq!(texts(s, &found), ["لنرويج", "النرويج"]);
    assert_eq!(texts(s, &find_occurrences(s, "النرويج", WHOLE)), ["النرويج"]);
    assert_eq!(
        texts(s, &find_occurrences(s, "نرويج", CLITICS)),
        ["نرويج", "نرويج"]
    );
}

#[test]
fn runs_of_words_digits_latin_and_emoji() {
    let t = "جون كيري قال، وجون  كيري\u{200F} 10.8 و10 و 10 Kerry Kerry's 😀 ب😀";
    assert_eq!(texts(t, &find_occurrences(t, "جون كيري", WHOLE)), ["جون كيري"]);
    assert_eq!(
        texts(t, &find_occurrences(t, "جون كيري", CLITICS)),
        ["جون كيري", "جون  كيري"]
    );
    assert_eq!(texts(t, &find_occurrences(t, "10", WHOLE)), ["10"]);
    assert_eq!(texts(t, &find_occurrences(t, "10", CLITICS)), ["10", "10"]);
    assert_eq!(texts(t, &find_occurrences(t, "10.8", WHOLE)), ["10.8"]);
    assert_eq!(find_occurrences(t, "Kerry", WHOLE), vec![span_of(t, "Kerry")]);
    assert_eq!(find_occurrences(t, "😀", WHOLE).len(), 2);
}

#[test]
fn matches_never_overlap_and_cross_no_line_unless_asked() {
    let t = "ها ها ها\nها";
    assert_eq!(find_occurrences(t, "ها ها", WHOLE), vec![(0, 5)]);
    assert_eq!(find_occurrences(t, "ها\nها", WHOLE), vec![(6, 11)]);
    assert_eq!(find_occurrences(t, "ها", WHOLE).len(), 4);
}

#[test]
fn removed_characters_neither_glue_nor_steal_words() {
    // without its tatweel ـ0 would glue to 0' as 0'0, a number
    let t = "0'ـ0\"";
    assert_eq!(find_occurrences(t, "ـ0", WHOLE), vec![(0, 1), (3, 4)]);
    // the tatweel opening the next word is not taken as the end of the flag
    let f = "🇸🇾ـموسكو";
    assert_eq!(texts(f, &find_occurrences(f, "🇸🇾", WHOLE)), ["🇸🇾"]);
    assert_eq!(texts(f, &find_occurrences(f, "موسكو", WHOLE)), ["موسكو"]);
    // a tatweel after a clitic stays out of the span; one inside a word stays in
    let b = "تقدر بـموسكو وموسكوـ";
    assert_eq!(
        texts(b, &find_occurrences(b, "موسكو", CLITICS)),
        ["موسكو", "موسكوـ"]
    );
}

#[test]
fn empty_needles_find_nothing() {
    let t = "موسكو";
    assert!(find_occurrences(t, "", WHOLE).is_empty());
    assert!(find_occurrences(t, "\u{064E}\u{0651}", CLITICS).is_empty());
    assert!(find_occurrences(t, "ـ \u{200F}\n", CLITICS).is_empty());
    assert!(find_occurrences("", "موسكو", CLITICS).is_empty());
}

#[test]
fn match_key_drops_what_matching_ignores() {
    assert_eq!(match_key(" مُوسـكو \u{200F}  جون\n"), "موسكو جون");
}

#[test]
fn finds_occurrences_in_a_long_document_quickly() {
    let seed = "وقال كيري خلال زيارة للنرويج إثر لقائه نظيره الإيراني محمد جواد ظريف بموسكو والأسد.\n";
    let text = seed.repeat(400_000 / cp_len(seed) + 1);
    let started = std::time::Instant::now();
    let found = find_occurrences(&text, "الأسد", CLITICS);
    let plain = find_occurrences(&text, "كيري", WHOLE);
    assert_eq!(found.len(), plain.len());
    assert!(found.len() > 4000);
    // generous, for debug builds on a slow machine; quadratic work would take minutes
    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
}
