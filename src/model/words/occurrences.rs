//! Finding the other occurrences of an annotated text as whole words,
//! harakat and tatweel ignored, optionally behind clitics.

use super::*;

/// True for what find_occurrences ignores on both sides: harakat (U+064B–U+065F, U+0670),
/// tatweel (U+0640) and the bidi marks.
fn is_ignorable(c: char) -> bool {
    is_harakah_or_tatweel(c)
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_harakah_or_tatweel(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
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
#[derive(Debug)]
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
    WordIndex::new(text).find(needle, opts)
}

/// What finding occurrences needs of a text, whatever the needle: the text
/// normalized, and where its words begin and end. Building it is the pass
/// over the whole text (Unicode word boundaries); a document keeps its own
/// (`Document::words`), so that each search after the first is a scan.
#[derive(Debug)]
pub struct WordIndex {
    norm: Normalized,
    /// Word boundaries of the normalized text (`Normalized::word_boundaries`).
    bounds: Vec<bool>,
    /// Word boundaries of the text itself, and its code points.
    original_bounds: Vec<bool>,
    original: Vec<char>,
}

impl WordIndex {
    pub fn new(text: &str) -> WordIndex {
        let norm = Normalized::new(text);
        let original_bounds = word_boundaries(text);
        let bounds = norm.word_boundaries(&original_bounds);
        WordIndex {
            norm,
            bounds,
            original_bounds,
            original: text.chars().collect(),
        }
    }

    /// [`find_occurrences`] in the text this index was built from.
    pub fn find(&self, needle: &str, opts: MatchOptions) -> Vec<(usize, usize)> {
        let key: Vec<char> = match_key(needle).chars().collect();
        if key.is_empty() {
            return Vec::new();
        }
        let (norm, bounds) = (&self.norm, &self.bounds);
        let hay = &norm.chars;
        if key.len() > hay.len() {
            return Vec::new();
        }

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

        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut taken_to = 0;
        for (i, j) in found {
            if i < taken_to {
                continue;
            }
            taken_to = j;
            let start = norm.map[i];
            let mut end = norm.map[j - 1] + 1;
            while !self.original_bounds[end]
                && self.original.get(end).is_some_and(|&c| is_harakah_or_tatweel(c))
            {
                end += 1;
            }
            out.push((start, end));
        }
        out
    }
}
