//! Property tests of word snapping, edge moves, caret movement and occurrence matching over
//! random text drawn from what Arabic news contains: letters with clitics, harakat, tatweel,
//! emoji (with skin tones and ZWJ families), Latin, digits, bidi marks, Arabic and Latin
//! punctuation and quotes, spaces and line breaks.
#![cfg(not(target_arch = "wasm32"))]

use hashiya::model::offsets::{cp_len, grapheme_boundaries, is_invisible, slice_cp};
use hashiya::model::words::*;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

const PIECES: &[&str] = &[
    "ب",
    "ت",
    "ك",
    "ي",
    "ر",
    "ا",
    "ل",
    "م",
    "و",
    "ف",
    "ه",
    "ة",
    "ى",
    "أ",
    "إ",
    "ء",
    "ال",
    "لل",
    "بال",
    "وال",
    "فال",
    "كال",
    "ولل",
    "موسكو",
    "الأسد",
    "أسد",
    "نرويج",
    "\u{064E}",
    "\u{064F}",
    "\u{0650}",
    "\u{0651}",
    "\u{0652}",
    "\u{064B}",
    "\u{0670}",
    "\u{0640}",
    "😀",
    "👍🏽",
    "👨\u{200D}👩\u{200D}👧",
    "🇸🇾",
    "a",
    "Kerry",
    "Z",
    "1",
    "0",
    "١",
    "10.8",
    "%",
    " ",
    " ",
    " ",
    " ",
    "\n",
    "\u{200F}",
    "\u{200E}",
    "\u{061C}",
    "\u{202B}",
    "\u{202C}",
    "\u{2067}",
    "\u{2069}",
    "،",
    "؛",
    "؟",
    "«",
    "»",
    "\"",
    "'",
    "“",
    "”",
    "(",
    ")",
    ".",
    ",",
    "!",
    ":",
    "-",
    "e\u{301}",
];

/// Clitic prefixes as news text writes them: a conjunction (و ف), a preposition (ب ك ل), the
/// article ال, and their combinations, with ل + ال written لل (`للأسد` for ل + `الأسد`).
const CLITICS: &[&str] = &[
    "و", "ف", "ب", "ل", "ك", "ال", "لل", "بال", "وال", "فال", "كال", "وب", "ول", "فل", "وبال", "ولل", "فلل",
];

/// Words the clitics attach to: bare, with harakat, with a tatweel.
const STEMS: &[&str] = &["أسد", "أَسَد", "أسـد", "نرويج", "موسكو", "فيروس"];

/// One or more clitics glued to a word (`للأسد`, `وبالنرويج`, `فأَسَد`), set apart from its
/// neighbours as a word is: the pieces alone would almost never line up so.
fn clitic_word() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&[" ", "\n", "«", "(", "\u{200F}"][..]),
        prop::sample::select(CLITICS),
        prop::sample::select(STEMS),
        prop::sample::select(&[" ", "،", ".", "»", ")"][..]),
    )
        .prop_map(|(before, c, w, after)| format!("{before}{c}{w}{after}"))
}

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => clitic_word(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn text_and_points() -> impl Strategy<Value = (String, Vec<usize>)> {
    text().prop_flat_map(|t| {
        let len = cp_len(&t);
        (Just(t), prop::collection::vec(0..=len, 0..16))
    })
}

fn trimmable(g: &str) -> bool {
    g.chars().all(|c| is_invisible(c) || is_edge_punctuation(c))
}

fn on(bounds: &[usize], p: usize) -> bool {
    bounds.binary_search(&p).is_ok()
}

/// The selection a reader meant by `lo..hi` before growing: widened to whole graphemes and
/// trimmed of white space, bidi marks and edge punctuation; `None` when nothing is left.
fn trimmed_selection(t: &str, lo: usize, hi: usize) -> Option<(usize, usize)> {
    let bounds = grapheme_boundaries(t);
    let s = bounds[bounds.partition_point(|&b| b <= lo) - 1];
    let e = bounds[bounds.partition_point(|&b| b < hi)];
    let gs: Vec<&str> = slice_cp(t, s, e).graphemes(true).collect();
    let lead: usize = gs.iter().take_while(|g| trimmable(g)).map(|g| cp_len(g)).sum();
    let trail: usize = gs
        .iter()
        .rev()
        .take_while(|g| trimmable(g))
        .map(|g| cp_len(g))
        .sum();
    (lead < e - s).then(|| (s + lead, e - trail))
}

/// Unicode word boundaries of `t` in code points.
fn word_boundaries(t: &str) -> Vec<usize> {
    let mut out = vec![0];
    let mut cp = 0;
    for w in t.split_word_bounds() {
        cp += cp_len(w);
        out.push(cp);
    }
    out
}

/// What matching ignores between words: harakat, tatweel, bidi marks, white space.
fn ignored(c: char) -> bool {
    (c != '\n' && c.is_whitespace())
        || matches!(
            c,
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What matching compares: no harakat, tatweel or bidi marks, white space runs (other than
/// a line break) as one space, trimmed.
fn key(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(
            c,
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        ) || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        {
            continue;
        }
        if c != '\n' && c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn snapping_grows_to_whole_words_and_is_idempotent((t, points) in text_and_points()) {
        let bounds = grapheme_boundaries(&t);
        let words = word_boundaries(&t);
        for pair in points.chunks(2).filter(|p| p.len() == 2) {
            let (lo, hi) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
            let meant = trimmed_selection(&t, lo, hi);
            let Some((s, e)) = snap_to_words(&t, pair[0], pair[1]) else {
                prop_assert!(meant.is_none() || lo == hi, "{:?} lost {:?}", t, meant);
                continue;
            };
            prop_assert!(s < e);
            if let Some((ms, me)) = meant {
                prop_assert!(s <= ms && me <= e, "{:?}: ({}, {}) misses ({}, {})", t, s, e, ms, me);
            }
            prop_assert!(on(&bounds, s) && on(&bounds, e));
            let quote = slice_cp(&t, s, e);
            prop_assert!(!trimmable(quote.graphemes(true).next().unwrap()), "{:?} starts badly", quote);
            prop_assert!(!trimmable(quote.graphemes(true).next_back().unwrap()), "{:?} ends badly", quote);
            // a word boundary, or only trimmable graphemes (a trailing bidi mark that Unicode
            // keeps in the word) between the edge and the nearest one outside the span
            let before = words[words.partition_point(|&w| w <= s) - 1];
            prop_assert!(slice_cp(&t, before, s).graphemes(true).all(trimmable), "{:?} start {}", t, s);
            let after = words[words.partition_point(|&w| w < e)];
            prop_assert!(slice_cp(&t, e, after).graphemes(true).all(trimmable), "{:?} end {}", t, e);
            // growing never crosses a line break: every one in the span was selected
            for (i, c) in quote.chars().enumerate() {
                prop_assert!(c != '\n' || (lo..hi).contains(&(s + i)), "{:?} grew across a line", quote);
            }
            prop_assert_eq!(snap_to_words(&t, s, e), Some((s, e)));
            prop_assert_eq!(snap_to_words(&t, e, s), Some((s, e)));
        }
    }

    #[test]
    fn edges_move_by_one_grapheme_and_back((t, points) in text_and_points()) {
        let bounds = grapheme_boundaries(&t);
        let spans = points.chunks(2).filter(|p| p.len() == 2).filter_map(|p| snap_to_words(&t, p[0], p[1]));
        for (s, e) in spans {
            for edge in [Edge::Start, Edge::End] {
                for (step, back) in [(Step::Forward, Step::Backward), (Step::Backward, Step::Forward)] {
                    let Some((s2, e2)) = move_edge(&t, (s, e), edge, step) else { continue };
                    prop_assert!(s2 < e2);
                    prop_assert!(on(&bounds, s2) && on(&bounds, e2));
                    let (moved_from, moved_to) = if edge == Edge::Start { (s, s2) } else { (e, e2) };
                    prop_assert_ne!(moved_from, moved_to);
                    let passed = slice_cp(&t, moved_from.min(moved_to), moved_from.max(moved_to));
                    prop_assert_eq!(passed.graphemes(true).count(), 1);
                    prop_assert!(passed != "\n", "crossed a line break");
                    prop_assert_eq!(move_edge(&t, (s2, e2), edge, back), Some((s, e)));
                }
            }
        }
    }

    #[test]
    fn caret_moves_are_monotonic_and_on_grapheme_boundaries((t, mut points) in text_and_points()) {
        let bounds = grapheme_boundaries(&t);
        let len = cp_len(&t);
        points.sort_unstable();
        let mut last: Option<[usize; 6]> = None;
        for &at in &points {
            let now = [
                next_grapheme(&t, at),
                prev_grapheme(&t, at),
                next_word_end(&t, at),
                prev_word_start(&t, at),
                block_start(&t, at),
                block_end(&t, at),
            ];
            for p in now {
                prop_assert!(on(&bounds, p), "{:?}: {} from {}", t, p, at);
            }
            prop_assert!(now[0] > at || at == len);
            prop_assert!(now[1] < at || at == 0);
            prop_assert!(now[2] > at || at == len);
            prop_assert!(now[3] < at || at == 0);
            prop_assert!(now[4] <= at && at <= now[5]);
            prop_assert!(!slice_cp(&t, now[4], now[5]).contains('\n'));
            prop_assert!(now[4] == 0 || slice_cp(&t, now[4] - 1, now[4]) == "\n");
            prop_assert!(now[5] == len || slice_cp(&t, now[5], now[5] + 1) == "\n");
            // a word end closes a word, a word start opens one
            match snap_to_words(&t, at, now[2]) {
                Some((_, e)) => prop_assert_eq!(e, now[2]),
                None => prop_assert_eq!(now[2], len),
            }
            match snap_to_words(&t, now[3], at) {
                Some((s, _)) => prop_assert_eq!(s, now[3]),
                None => prop_assert_eq!(now[3], 0),
            }
            if let Some(before) = last {
                for (b, n) in before.iter().zip(now) {
                    prop_assert!(*b <= n, "not monotonic in {:?}: {:?} then {:?}", t, before, now);
                }
            }
            last = Some(now);
        }
    }

    #[test]
    fn runs_of_a_repeated_word_give_disjoint_occurrences(
        word in prop::sample::select(&["موسكو", "الأسد", "Kerry", "10.8", "😀", "مُوسْكُو"][..]),
        seps in prop::collection::vec(prop::sample::select(&[" ", "  ", " \u{200F}", "\u{0651} ", "ـ ", "\u{00A0}"][..]), 1..9),
        clitics in any::<bool>(),
    ) {
        let mut t = word.to_string();
        for sep in &seps {
            t.push_str(sep);
            t.push_str(word);
        }
        let words = seps.len() + 1;
        let found = find_occurrences(&t, &format!("{word} {word}"), MatchOptions { clitics });
        prop_assert_eq!(found.len(), words / 2, "{:?}", found);
        for w in found.windows(2) {
            prop_assert!(w[0].1 <= w[1].0);
        }
        prop_assert_eq!(find_occurrences(&t, word, MatchOptions { clitics }).len(), words);
    }
}

/// Occurrences over random text. It counts how often a match takes the elided form (`الأسد`
/// found as `لأسد` in `للأسد`), printed once at the end (`--nocapture`), and requires the
/// generator to reach that branch in a fair share of cases.
#[test]
fn occurrences_are_whole_sorted_and_equal_to_the_needle() {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let (cases, cases_hit, elided_matches) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    proptest!(ProptestConfig::with_cases(600), |((t, points) in text_and_points(), extra in text())| {
        cases.fetch_add(1, Relaxed);
        let mut hit_here = false;
        let bounds = grapheme_boundaries(&t);
        let words = word_boundaries(&t);
        let mut needles: Vec<String> = points
            .chunks(2)
            .filter(|p| p.len() == 2)
            .filter_map(|p| snap_to_words(&t, p[0], p[1]))
            .map(|(s, e)| slice_cp(&t, s, e).to_string())
            .collect();
        needles.push(extra);
        needles.push("الأسد".into());
        needles.push("موسكو".into());
        for needle in &needles {
            let k = key(needle);
            let mut all = Vec::new();
            for clitics in [false, true] {
                let found = find_occurrences(&t, needle, MatchOptions { clitics });
                if k.is_empty() {
                    prop_assert!(found.is_empty());
                }
                for w in found.windows(2) {
                    prop_assert!(w[0].1 <= w[1].0, "{:?} overlap or are out of order", found);
                }
                for &(s, e) in &found {
                    prop_assert!(s < e && on(&bounds, s) && on(&bounds, e));
                    // on a word boundary, give or take the harakat, tatweel and bidi marks
                    // (and white space) that matching ignores around the span
                    let chars: Vec<char> = t.chars().collect();
                    let mut from = s;
                    while from > 0 && ignored(chars[from - 1]) {
                        from -= 1;
                    }
                    let mut to = e;
                    while to < chars.len() && ignored(chars[to]) {
                        to += 1;
                    }
                    prop_assert!(words.iter().any(|&w| e <= w && w <= to), "{:?} ends inside a word", (s, e));
                    if !clitics {
                        prop_assert!(words.iter().any(|&w| from <= w && w <= s), "{:?} starts inside", (s, e));
                    }
                    let got = key(slice_cp(&t, s, e));
                    let elided = clitics && k.starts_with("ال") && got == format!("ل{}", &k["ال".len()..]);
                    if elided {
                        elided_matches.fetch_add(1, Relaxed);
                        hit_here = true;
                    }
                    prop_assert!(got == k || elided, "{:?} for {:?} in {:?}", got, needle, t);
                }
                all.push(found);
            }
            // every whole-word match is also found (or covered) with clitics on
            for &(s, e) in &all[0] {
                prop_assert!(all[1].iter().any(|&(cs, ce)| cs < e && s < ce));
            }
        }
        if hit_here {
            cases_hit.fetch_add(1, Relaxed);
        }
        // a snapped span of the text is found, or an earlier overlapping occurrence is
        for (s, e) in points.chunks(2).filter(|p| p.len() == 2).filter_map(|p| snap_to_words(&t, p[0], p[1])) {
            let needle = slice_cp(&t, s, e);
            if key(needle).is_empty() {
                continue;
            }
            let found = find_occurrences(&t, needle, MatchOptions::default());
            prop_assert!(
                found.iter().any(|&(fs, fe)| fs < e && s < fe),
                "{:?} at ({}, {}) not found in {:?}: {:?}", needle, s, e, t, found
            );
        }
    });
    let (cases, hit) = (cases.load(Relaxed), cases_hit.load(Relaxed));
    println!(
        "elided-article branch (الأسد in للأسد): {hit} of {cases} cases, {} matches",
        elided_matches.load(Relaxed)
    );
    // about a quarter of the cases reach it; before the clitic words it was none in 6000
    assert!(
        hit * 20 >= cases,
        "the generator reached the elided branch in {hit} of {cases} cases"
    );
}
