//! Offset arithmetic. Stored and exported offsets count Unicode code points
//! (end-exclusive); the DOM counts UTF-16 code units; Rust slices by bytes.
//! Every conversion between the three lives here, so no other module guesses.

use unicode_segmentation::UnicodeSegmentation;

/// Number of code points in `s`.
pub fn cp_len(s: &str) -> usize {
    s.chars().count()
}

/// Number of UTF-16 code units in `s`.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Byte offset of code point `cp` in `s` (clamped to the end).
pub fn byte_of_cp(s: &str, cp: usize) -> usize {
    // a code point starts at every byte that does not continue one
    // (0b10xx_xxxx): counted without decoding a character
    s.bytes()
        .enumerate()
        .filter(|&(_, b)| (b as i8) >= -0x40)
        .nth(cp)
        .map_or(s.len(), |(i, _)| i)
}

/// UTF-16 offset of code point `cp` in `s` (clamped to the end).
pub fn utf16_of_cp(s: &str, cp: usize) -> usize {
    s.chars().take(cp).map(char::len_utf16).sum()
}

/// Code point offset of UTF-16 offset `u` in `s`. An offset that falls inside a
/// surrogate pair (which a DOM range can report) rounds down to the pair's start;
/// offsets past the end clamp to the end.
pub fn cp_of_utf16(s: &str, u: usize) -> usize {
    let mut units = 0;
    for (i, c) in s.chars().enumerate() {
        let next = units + c.len_utf16();
        if next > u {
            return i;
        }
        units = next;
    }
    cp_len(s)
}

/// The substring of code points `start..end`.
pub fn slice_cp(s: &str, start: usize, end: usize) -> &str {
    let b0 = byte_of_cp(s, start);
    let b1 = b0 + byte_of_cp(&s[b0..], end.saturating_sub(start));
    &s[b0..b1]
}

/// Code point offsets of the grapheme-cluster boundaries of `s`, both ends included.
pub fn grapheme_boundaries(s: &str) -> Vec<usize> {
    let mut out = Vec::with_capacity(s.len() / 2 + 1);
    let mut cp = 0;
    out.push(0);
    for g in s.graphemes(true) {
        cp += cp_len(g);
        out.push(cp);
    }
    out
}

/// The grapheme boundary at or before code point `cp`.
pub fn floor_grapheme(s: &str, cp: usize) -> usize {
    let b = grapheme_boundaries(s);
    match b.binary_search(&cp) {
        Ok(i) => b[i],
        Err(i) => b[i.saturating_sub(1)],
    }
}

/// The grapheme boundary at or after code point `cp`.
pub fn ceil_grapheme(s: &str, cp: usize) -> usize {
    let b = grapheme_boundaries(s);
    match b.binary_search(&cp) {
        Ok(i) => b[i],
        Err(i) => b.get(i).copied().unwrap_or(*b.last().unwrap_or(&0)),
    }
}

/// True for what a reader does not see at the edge of a selection: white space
/// and the invisible bidi and joiner controls.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}'
        )
}

/// Shrinks the code point range `start..end` of `s` past whole grapheme clusters
/// that are invisible (white space, bidi marks). A cluster such as a space
/// carrying a combining mark is visible and stays.
pub fn trim_invisible(s: &str, start: usize, end: usize) -> (usize, usize) {
    let inner = slice_cp(s, start, end);
    let mut lead = 0;
    let mut rest_graphemes = inner.graphemes(true);
    let mut kept_front = None;
    for g in rest_graphemes.by_ref() {
        if g.chars().all(is_invisible) {
            lead += cp_len(g);
        } else {
            kept_front = Some(g);
            break;
        }
    }
    if kept_front.is_none() {
        return (start + lead, start + lead);
    }
    let mut trail = 0;
    for g in rest_graphemes.rev() {
        if g.chars().all(is_invisible) {
            trail += cp_len(g);
        } else {
            break;
        }
    }
    (start + lead, end - trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_code_points_differ_after_an_emoji() {
        let s = "a😀ب";
        assert_eq!(cp_len(s), 3);
        assert_eq!(utf16_len(s), 4);
        assert_eq!(utf16_of_cp(s, 2), 3);
        assert_eq!(cp_of_utf16(s, 3), 2);
        // inside the surrogate pair rounds down
        assert_eq!(cp_of_utf16(s, 2), 1);
        assert_eq!(cp_of_utf16(s, 99), 3);
    }

    #[test]
    fn slices_by_code_points() {
        assert_eq!(slice_cp("جون كيري", 4, 8), "كيري");
        assert_eq!(slice_cp("جون", 1, 99), "ون");
    }

    #[test]
    fn harakat_stay_with_their_letter() {
        // بَ = ب + fatha: one grapheme of two code points
        let s = "بَيت";
        assert_eq!(floor_grapheme(s, 1), 0);
        assert_eq!(ceil_grapheme(s, 1), 2);
        assert_eq!(ceil_grapheme(s, 4), 4);
    }

    #[test]
    fn trims_spaces_newlines_and_bidi_marks_but_not_marked_spaces() {
        let s = " \u{200F}كيري \n";
        assert_eq!(trim_invisible(s, 0, cp_len(s)), (2, 6));
        assert_eq!(trim_invisible("   ", 0, 3), (3, 3));
        // a space carrying a shadda is a visible cluster
        let t = "ب \u{0651}";
        assert_eq!(trim_invisible(t, 0, 3), (0, 3));
    }
}
