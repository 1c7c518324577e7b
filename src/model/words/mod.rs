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

mod caret;
mod occurrences;
mod snap;
#[cfg(test)]
mod tests;

pub use caret::{block_end, block_start, next_grapheme, next_word_end, prev_grapheme, prev_word_start};
pub use occurrences::{find_occurrences, match_key, WordIndex};
pub use snap::{move_edge, snap_to_words};

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
