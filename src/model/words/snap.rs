//! Growing a selection to whole words, and moving one edge of a span by
//! a grapheme (to peel a clitic off `بموسكو`).

use super::*;

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
pub(super) fn step_in_block(text: &str, pos: usize, step: Step) -> Option<usize> {
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
