//! Which blocks an article redraws now after a change, and which later.
//!
//! A change of a few annotations redraws its few blocks at once. A change of
//! thousands (a host's `setAnnotations`, an import, their undo) touches every
//! block: creating 20,000 marks in one task costs a third of a second before
//! anything is painted. So such a change redraws the screen the reader is on
//! first, and the rest a slice per task, as the article was first drawn. The
//! model is current all along (the API, the panel, the exports and the
//! selection read it); only the marks of blocks off screen lag for a moment.

use crate::model::{BlockView, Document};
use std::ops::Range;
use std::rc::Rc;

/// Code points of changed blocks redrawn in one task.
pub const SLICE: usize = 12_000;

/// Brings the blocks `shown` draws toward the article's `views`: every
/// changed block when they hold at most a slice of text; otherwise the
/// changed blocks within a slice of text from block `from()` on (wrapping
/// to the top; asked only then, since it reads the layout), and always those
/// in `keep` (the selection's). Blocks from
/// `undrawn` on are placeholders, and take their views for free. Returns
/// whether some block still shows an old view.
pub fn redraw(
    shown: &mut [Rc<BlockView>],
    views: &[Rc<BlockView>],
    doc: &Document,
    from: impl FnOnce() -> usize,
    keep: Range<usize>,
    undrawn: usize,
) -> bool {
    let n = shown.len().min(views.len());
    let size = |i: usize| {
        let (s, e) = doc.block_range(i);
        e - s + 1
    };
    let changed: Vec<usize> = (0..n).filter(|&i| !Rc::ptr_eq(&shown[i], &views[i])).collect();
    let drawn_cost: usize = changed.iter().filter(|&&i| i < undrawn).map(|&i| size(i)).sum();
    let mut budget = SLICE;
    let from = match drawn_cost <= SLICE {
        true => 0,
        false => from().min(n.saturating_sub(1)),
    };
    let order = changed
        .iter()
        .copied()
        .filter(|&i| i >= from)
        .chain(changed.iter().copied().filter(|&i| i < from));
    let mut waiting = false;
    for i in order {
        let now = drawn_cost <= SLICE || i >= undrawn || keep.contains(&i) || budget > 0;
        if !now {
            waiting = true;
            continue;
        }
        if i < undrawn {
            budget = budget.saturating_sub(size(i));
        }
        shown[i] = views[i].clone();
    }
    waiting
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotatedDoc, Annotation, Label};

    /// An article of `blocks` paragraphs of 1,000 letters, with one
    /// annotation per paragraph or none.
    fn article(blocks: usize, annotated: bool) -> AnnotatedDoc {
        let para = "ب".repeat(1_000);
        let text = std::iter::once("عنوان".to_string())
            .chain((0..blocks).map(|_| para.clone()))
            .collect::<Vec<_>>()
            .join("\n");
        let doc = Rc::new(Document::from_text("d", &text));
        let anns = match annotated {
            true => (1..=blocks)
                .map(|b| {
                    let s = doc.block_start(b);
                    Annotation::new(format!("a{b}"), Label::PLACE, s, s + 3, "t")
                })
                .collect(),
            false => vec![],
        };
        AnnotatedDoc::new(doc, anns)
    }

    fn stale(shown: &[Rc<BlockView>], views: &[Rc<BlockView>]) -> Vec<usize> {
        (0..shown.len())
            .filter(|&i| !Rc::ptr_eq(&shown[i], &views[i]))
            .collect()
    }

    #[test]
    fn a_small_change_is_drawn_at_once() {
        let before = article(5, false);
        let after = article(5, true);
        let mut shown = before.views().to_vec();
        let more = redraw(&mut shown, after.views(), &after.doc, || 0, 0..0, usize::MAX);
        assert!(!more);
        assert!(stale(&shown, after.views()).is_empty());
    }

    #[test]
    fn a_big_change_draws_the_screen_first_then_a_slice_at_a_time() {
        let before = article(60, false);
        let after = article(60, true);
        let mut shown = before.views().to_vec();
        // the reader is at block 30, with annotation a2 selected
        assert!(redraw(
            &mut shown,
            after.views(),
            &after.doc,
            || 30,
            2..3,
            usize::MAX
        ));
        let left = stale(&shown, after.views());
        assert!(
            !left.contains(&30) && !left.contains(&41),
            "a slice from the screen on is drawn: {left:?}"
        );
        assert!(!left.contains(&2), "the selection's block is drawn");
        assert!(
            left.contains(&1) && left.contains(&50),
            "the rest waits: {left:?}"
        );
        let mut tasks = 0;
        while redraw(&mut shown, after.views(), &after.doc, || 30, 0..0, usize::MAX) {
            tasks += 1;
            assert!(tasks < 10, "each task draws a slice");
        }
        assert!(stale(&shown, after.views()).is_empty());
        assert_eq!(
            tasks, 3,
            "60,000 letters in slices of 12,000, the first on screen"
        );
    }

    #[test]
    fn placeholders_take_their_views_for_free() {
        let before = article(60, false);
        let after = article(60, true);
        let mut shown = before.views().to_vec();
        // only the first 5 blocks are drawn: the change is small where it shows
        assert!(!redraw(&mut shown, after.views(), &after.doc, || 0, 0..0, 5));
        assert!(stale(&shown, after.views()).is_empty());
    }
}
