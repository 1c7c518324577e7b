//! Arabic-aware selection precision: snapping a selection to whole words, moving a span's
//! edge by one grapheme (to peel a clitic off `بموسكو`), caret movement for keyboard-only
//! annotation, and finding the other occurrences of an annotated text.
//!
//! Offsets are code points into the document text, whose blocks are joined by `"\n"`.
//! Words are Unicode word segments (UAX #29, via `unicode-segmentation`) that contain at least
//! one grapheme which is neither white space, an invisible bidi/joiner control, nor edge
//! punctuation (see [`is_edge_punctuation`]); such graphemes are trimmed off a word's edges.
//! Harakat (combining marks) and tatweel belong to their word. An emoji or a symbol such as
//! `%` counts as a word of its own. Every position returned lies on a grapheme boundary.

use super::offsets::{ceil_grapheme, cp_len, floor_grapheme, grapheme_boundaries, is_invisible, slice_cp};
use unicode_segmentation::UnicodeSegmentation;

/// An edge of a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

/// A direction in reading order (logical order), whatever the visual direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Forward,
    Backward,
}

/// Options of [`find_occurrences`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchOptions {
    /// Also match behind a clitic prefix attached to the word (`بالفيروس` for `فيروس`).
    pub clitics: bool,
}

/// True for the punctuation that snapping keeps outside a span when it is at an edge: Arabic
/// ، ؛ ؟ ۔ ٫ ٬, quotation marks of all kinds, brackets, `. , ; : ! ?`, hyphens and dashes,
/// and the ellipsis. Inside a word (`10.8`, `Kerry's`) they stay. Symbols that carry meaning
/// (`% ٪ $ # @ & * / +`) are not edge punctuation.
pub fn is_edge_punctuation(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '"'
            | '\''
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '-'
            | '¡'
            | '¿'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '\u{2010}'..='\u{2015}' // hyphens and dashes
            | '\u{2018}'..='\u{201F}' // ‘ ’ ‚ ‛ “ ” „ ‟
            | '…'
            | '،'
            | '؛'
            | '؟'
            | '۔'
            | '٫'
            | '٬'
    )
}

/// True for what find_occurrences ignores on both sides: harakat (U+064B–U+065F, U+0670),
/// tatweel (U+0640) and the bidi marks.
fn is_ignorable(c: char) -> bool {
    is_harakah_or_tatweel(c)
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_harakah_or_tatweel(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// A grapheme a reader does not want at the edge of a span: white space, bidi marks and
/// edge punctuation only.
fn is_trimmable(g: &str) -> bool {
    g.chars().all(|c| is_invisible(c) || is_edge_punctuation(c))
}

/// A `"\n"`-delimited block of the text: its code point range and its text.
#[derive(Clone, Copy, Debug)]
struct Block<'a> {
    /// Code point offset of the block's first character.
    start: usize,
    /// Code point offset of the block's end (its `"\n"`, or the end of the text).
    end: usize,
    /// Byte range of the block in the text.
    start_b: usize,
    end_b: usize,
    text: &'a str,
}

/// The block holding code point `at` (clamped to the text). A position on a `"\n"` belongs
/// to the block that the line break ends.
fn block_at(text: &str, at: usize) -> Block<'_> {
    let (mut start, mut start_b) = (0, 0);
    let mut cp = 0;
    for (b, c) in text.char_indices() {
        if c == '\n' {
            if cp >= at {
                return Block {
                    start,
                    end: cp,
                    start_b,
                    end_b: b,
                    text: &text[start_b..b],
                };
            }
            start = cp + 1;
            start_b = b + 1;
        }
        cp += 1;
    }
    Block {
        start,
        end: cp,
        start_b,
        end_b: text.len(),
        text: &text[start_b..],
    }
}

/// The block after `b`, if any.
fn next_block<'a>(text: &'a str, b: &Block<'a>) -> Option<Block<'a>> {
    if b.end_b >= text.len() {
        return None;
    }
    let start_b = b.end_b + 1;
    let end_b = text[start_b..].find('\n').map_or(text.len(), |i| start_b + i);
    let block = &text[start_b..end_b];
    let start = b.end + 1;
    Some(Block {
        start,
        end: start + cp_len(block),
        start_b,
        end_b,
        text: block,
    })
}

/// The block before `b`, if any.
fn prev_block<'a>(text: &'a str, b: &Block<'a>) -> Option<Block<'a>> {
    if b.start_b == 0 {
        return None;
    }
    let end_b = b.start_b - 1;
    let start_b = text[..end_b].rfind('\n').map_or(0, |i| i + 1);
    let block = &text[start_b..end_b];
    let end = b.start - 1;
    Some(Block {
        start: end - cp_len(block),
        end,
        start_b,
        end_b,
        text: block,
    })
}

/// The words of one block as code point ranges relative to it, in order, each trimmed of
/// edge punctuation and invisible graphemes.
fn words_of(block: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut cp = 0;
    for seg in block.split_word_bounds() {
        // code points of the segment, of its trimmable head, and of its trimmable tail
        let (mut len, mut lead, mut trail, mut seen_word) = (0, 0, 0, false);
        for g in seg.graphemes(true) {
            let n = cp_len(g);
            len += n;
            if !is_trimmable(g) {
                seen_word = true;
                trail = 0;
            } else if seen_word {
                trail += n;
            } else {
                lead += n;
            }
        }
        if seen_word {
            out.push((cp + lead, cp + len - trail));
        }
        cp += len;
    }
    out
}

/// Code points of trimmable graphemes at the front and at the back of `s`, or `None` when
/// `s` holds nothing but them.
fn trimmable_edges(s: &str) -> Option<(usize, usize)> {
    let mut graphemes = s.graphemes(true);
    let mut lead = 0;
    loop {
        let g = graphemes.next()?;
        if !is_trimmable(g) {
            break;
        }
        lead += cp_len(g);
    }
    let trail = graphemes.rev().take_while(|g| is_trimmable(g)).map(cp_len).sum();
    Some((lead, trail))
}

/// Grows `[start, end)` (in either order, clamped to the text) to whole words.
///
/// Both edges are first widened to grapheme boundaries. An edge strictly inside a word moves
/// to that word's edge (start to its start, end to its end), within its own block: growing
/// never crosses `"\n"`, though a span that already crosses blocks keeps doing so. Then white
/// space, bidi marks and edge punctuation are trimmed off both edges, so the result starts
/// at a word's start and ends at a word's end. An empty range strictly inside a word gives
/// that word (a caret in `موسكو` snaps to `موسكو`). Returns `None` when nothing but white
/// space and punctuation is selected.
pub fn snap_to_words(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let len = cp_len(text);
    let (a, b) = (start.min(end).min(len), start.max(end).min(len));

    let block = block_at(text, a);
    let rel = floor_grapheme(block.text, a - block.start);
    let rel = words_of(block.text)
        .into_iter()
        .find(|&(ws, we)| ws < rel && rel < we)
        .map_or(rel, |w| w.0);
    let s = block.start + rel;

    let block = block_at(text, b);
    let rel = ceil_grapheme(block.text, b - block.start);
    let rel = words_of(block.text)
        .into_iter()
        .find(|&(ws, we)| ws < rel && rel < we)
        .map_or(rel, |w| w.1);
    let e = block.start + rel;

    let (lead, trail) = trimmable_edges(slice_cp(text, s, e))?;
    Some((s + lead, e - trail))
}

/// The grapheme boundary next to `pos` in `step`'s direction inside `pos`'s block, or `None`
/// at the block's edge (the next step would cross `"\n"` or leave the text).
fn step_in_block(text: &str, pos: usize, step: Step) -> Option<usize> {
    let block = block_at(text, pos);
    let rel = pos - block.start;
    let bounds = grapheme_boundaries(block.text);
    let found = match step {
        Step::Forward => bounds.into_iter().find(|&x| x > rel),
        Step::Backward => bounds.into_iter().rev().find(|&x| x < rel),
    };
    found.map(|x| block.start + x)
}

/// Moves one edge of `span` by one grapheme cluster in reading order: from the snapped
/// `بموسكو`, `Edge::Start, Step::Forward` gives `موسكو`. Returns `None` when the span is not
/// a valid range of `text`, would become empty, or the edge would leave the text or cross
/// `"\n"`. An edge that is not on a grapheme boundary moves to the next boundary in `step`'s
/// direction.
pub fn move_edge(text: &str, span: (usize, usize), edge: Edge, step: Step) -> Option<(usize, usize)> {
    let (s, e) = span;
    if s > e || e > cp_len(text) {
        return None;
    }
    let (s, e) = match edge {
        Edge::Start => (step_in_block(text, s, step)?, e),
        Edge::End => (s, step_in_block(text, e, step)?),
    };
    (s < e).then_some((s, e))
}

/// The next grapheme boundary after `at` in reading order (a `"\n"` is one step); at the end
/// of the text it stays.
pub fn next_grapheme(text: &str, at: usize) -> usize {
    let len = cp_len(text);
    let at = at.min(len);
    step_in_block(text, at, Step::Forward).unwrap_or(if at < len { at + 1 } else { at })
}

/// The previous grapheme boundary before `at` in reading order; at 0 it stays.
pub fn prev_grapheme(text: &str, at: usize) -> usize {
    let at = at.min(cp_len(text));
    step_in_block(text, at, Step::Backward).unwrap_or(at.saturating_sub(1))
}

/// The end of the word holding `at`, or of the next word when `at` is at a word's end or
/// between words (like `Ctrl+Right` in an LTR editor, in reading order; it crosses blocks).
/// With no word after `at`, the end of the text.
pub fn next_word_end(text: &str, at: usize) -> usize {
    let len = cp_len(text);
    let at = at.min(len);
    let mut block = block_at(text, at);
    loop {
        let start = block.start;
        if let Some((_, we)) = words_of(block.text).into_iter().find(|&(_, we)| start + we > at) {
            return start + we;
        }
        match next_block(text, &block) {
            Some(b) => block = b,
            None => return len,
        }
    }
}

/// The start of the word holding `at`, or of the previous word when `at` is at a word's
/// start or between words; it crosses blocks. With no word before `at`, 0.
pub fn prev_word_start(text: &str, at: usize) -> usize {
    let at = at.min(cp_len(text));
    let mut block = block_at(text, at);
    loop {
        let start = block.start;
        if let Some((ws, _)) = words_of(block.text)
            .into_iter()
            .rev()
            .find(|&(ws, _)| start + ws < at)
        {
            return start + ws;
        }
        match prev_block(text, &block) {
            Some(b) => block = b,
            None => return 0,
        }
    }
}

/// The start of the `"\n"`-delimited block (line or paragraph) holding `at`. A position on a
/// `"\n"` belongs to the block the line break ends.
pub fn block_start(text: &str, at: usize) -> usize {
    block_at(text, at.min(cp_len(text))).start
}

/// The end of the block holding `at` (the position of its `"\n"`, or the end of the text).
pub fn block_end(text: &str, at: usize) -> usize {
    block_at(text, at.min(cp_len(text))).end
}

/// The key find_occurrences compares by: `s` without harakat, tatweel and bidi marks, with
/// every run of white space other than `"\n"` as one space, trimmed of white space.
pub fn match_key(s: &str) -> String {
    Normalized::new(s)
        .chars
        .into_iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// A text with harakat, tatweel and bidi marks removed and white space runs collapsed, with
/// the original code point offset of every remaining character.
struct Normalized {
    chars: Vec<char>,
    /// `map[k]`: the original code point offset of `chars[k]`.
    map: Vec<usize>,
}

impl Normalized {
    fn new(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len() / 2);
        let mut map = Vec::with_capacity(text.len() / 2);
        for (cp, c) in text.chars().enumerate() {
            if is_ignorable(c) {
                continue;
            }
            let c = if c != '\n' && c.is_whitespace() { ' ' } else { c };
            if c == ' ' && chars.last() == Some(&' ') {
                continue;
            }
            chars.push(c);
            map.push(cp);
        }
        Normalized { chars, map }
    }

    /// `b[k]` (`k` up to the length): whether the original text has a Unicode word boundary
    /// (`original[p]`, per code point) before `chars[k]` or among the removed characters just
    /// before it. Taking the boundaries of the original keeps a word of the original a word
    /// here: dropping a tatweel from `'ـ0` must not glue the `0` to the quote.
    fn word_boundaries(&self, original: &[bool]) -> Vec<bool> {
        let mut out = vec![false; self.chars.len() + 1];
        let mut k = 0;
        for (p, _) in original.iter().enumerate().filter(|b| *b.1) {
            // the first kept character at or after original offset `p`
            while k < self.map.len() && self.map[k] < p {
                k += 1;
            }
            out[k] = true;
        }
        out
    }
}

/// `b[p]` (`p` up to the length in code points): whether `text` has a Unicode word boundary
/// before code point `p`.
fn word_boundaries(text: &str) -> Vec<bool> {
    let mut out = vec![false; cp_len(text) + 1];
    out[0] = true;
    let mut cp = 0;
    for seg in text.split_word_bounds() {
        cp += cp_len(seg);
        out[cp] = true;
    }
    out
}

/// The clitic prefixes find_occurrences skips with `clitics`: a conjunction (و ف), then a
/// preposition (ب ك ل), then the article ال, each optional, with ل + ال written لل.
const CLITIC_PREFIXES: &[&str] = &[
    "و", "ف", "ب", "ك", "ل", "ال", "وب", "وك", "ول", "فب", "فك", "فل", "وال", "فال", "بال", "كال", "لل",
    "وبال", "وكال", "ولل", "فبال", "فكال", "فلل",
];

/// What may precede the article's ل when ل + ال is written لل: ل alone or after و or ف.
const ELIDING_PREFIXES: &[&str] = &["ل", "ول", "فل"];

/// Start offsets of every (possibly overlapping) occurrence of `needle` in `hay` (KMP).
fn match_starts(hay: &[char], needle: &[char]) -> Vec<usize> {
    let m = needle.len();
    if m == 0 || m > hay.len() {
        return Vec::new();
    }
    let mut fail = vec![0usize; m];
    let mut k = 0;
    for i in 1..m {
        while k > 0 && needle[i] != needle[k] {
            k = fail[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut out = Vec::new();
    k = 0;
    for (i, &c) in hay.iter().enumerate() {
        while k > 0 && c != needle[k] {
            k = fail[k - 1];
        }
        if c == needle[k] {
            k += 1;
        }
        if k == m {
            out.push(i + 1 - m);
            k = fail[k - 1];
        }
    }
    out
}

/// Every occurrence of `needle` in `text` as a whole word or run of whole words, as code
/// point spans of `text` in reading order that never overlap.
///
/// Matching ignores harakat and tatweel on both sides, treats bidi marks as absent and any
/// run of white space other than `"\n"` as one space (so a match never crosses a block unless
/// the needle holds a `"\n"`); letters are otherwise compared exactly (أ and ا differ). Word
/// boundaries are Unicode's, so `10` is not found in `10.8`. A span ends after any harakat
/// and tatweel that follow its last letter within its word, so it never splits a grapheme.
///
/// The needle is matched as given: its own ال is part of it. Without `clitics` only whole
/// words match, so `الأسد` is not found in `والأسد` and `أسد` is not found in `الأسد`. With
/// `clitics`, an occurrence may also follow a prefix attached to its word (see
/// `CLITIC_PREFIXES`: و ف ب ك ل ال and their combinations), and only the needle part is
/// returned: `الأسد` is found in `والأسد` and `بالأسد` (as و / ب + `الأسد`), `أسد` in `الأسد`
/// and `والأسد`, `فيروس` in `بالفيروس`. A needle starting with ال is also found where ل + ال is
/// written لل (`النرويج` in `للنرويج`, `وللنرويج`): the span then covers the article's ل and
/// the rest (`لنرويج`), since the article's alef is not written. An empty needle, or one of
/// only harakat, tatweel, bidi marks and white space, gives no matches.
pub fn find_occurrences(text: &str, needle: &str, opts: MatchOptions) -> Vec<(usize, usize)> {
    let key: Vec<char> = match_key(needle).chars().collect();
    if key.is_empty() {
        return Vec::new();
    }
    let norm = Normalized::new(text);
    let hay = &norm.chars;
    if key.len() > hay.len() {
        return Vec::new();
    }
    let original_bounds = word_boundaries(text);
    let bounds = norm.word_boundaries(&original_bounds);

    // A prefix can attach only when the needle starts a new grapheme after an Arabic letter.
    let attachable = opts.clitics && format!("ب{}", key[0]).graphemes(true).count() == 2;
    let prefixed = |i: usize, prefixes: &[&str]| {
        prefixes.iter().any(|p| {
            let k = cp_len(p);
            k <= i && bounds[i - k] && hay[i - k..i].iter().copied().eq(p.chars())
        })
    };

    let mut found: Vec<(usize, usize)> = match_starts(hay, &key)
        .into_iter()
        .filter(|&i| bounds[i + key.len()])
        .filter(|&i| bounds[i] || (attachable && prefixed(i, CLITIC_PREFIXES)))
        .map(|i| (i, i + key.len()))
        .collect();
    if attachable && key.len() > 2 && key[0] == 'ا' && key[1] == 'ل' {
        let elided: Vec<char> = std::iter::once('ل').chain(key[2..].iter().copied()).collect();
        found.extend(
            match_starts(hay, &elided)
                .into_iter()
                .filter(|&i| bounds[i + elided.len()] && prefixed(i, ELIDING_PREFIXES))
                .map(|i| (i, i + elided.len())),
        );
        found.sort_unstable();
    }

    let original: Vec<char> = text.chars().collect();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut taken_to = 0;
    for (i, j) in found {
        if i < taken_to {
            continue;
        }
        taken_to = j;
        let start = norm.map[i];
        let mut end = norm.map[j - 1] + 1;
        while !original_bounds[end] && original.get(end).is_some_and(|&c| is_harakah_or_tatweel(c)) {
            end += 1;
        }
        out.push((start, end));
    }
    out
}

#[cfg(test)]
mod tests {
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
}
