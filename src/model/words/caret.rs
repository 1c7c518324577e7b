//! Caret steps over graphemes, words and blocks in reading order. The
//! keyboard caret itself moves with the browser's `Selection.modify`, which
//! knows visual order and line wraps; these steps are the same rules for
//! Rust callers and are held to them by tests/words_props.rs.

use super::snap::step_in_block;
use super::*;

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
