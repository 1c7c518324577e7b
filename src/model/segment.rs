//! Cutting a block's text into render runs: maximal stretches covered by the
//! same set of annotations, each listing its marks from outermost to innermost.

use super::{Annotation, Label};
use std::rc::Rc;

/// One highlight layer of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub id: Rc<str>,
    pub label: Label,
    /// The annotation's note, part of the highlight's accessible description.
    pub note: Option<Rc<str>>,
}

/// A stretch of a block's text (code points and bytes, block-local) and the
/// marks that cover all of it, outermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    /// Exactly as long as it needs to be: a whole article's runs are kept,
    /// and a growing `Vec` would reserve room for four marks in each.
    pub marks: Box<[Mark]>,
}

/// Segments `text` (a block starting at code point `offset` of its document)
/// under `anns`, the annotations that overlap it.
pub fn segment(text: &str, offset: usize, anns: &[&Annotation]) -> Vec<Run> {
    let len = text.chars().count();
    let clip = |a: &Annotation| {
        let s = a.start.saturating_sub(offset).min(len);
        let e = a.end.saturating_sub(offset).min(len);
        (s, e)
    };
    let mut cuts: Vec<usize> = vec![0, len];
    for a in anns {
        let (s, e) = clip(a);
        cuts.push(s);
        cuts.push(e);
    }
    cuts.sort_unstable();
    cuts.dedup();

    // Outer spans first: longer, then earlier, then by id for stability.
    let mut layered: Vec<&Annotation> = anns.to_vec();
    layered.sort_by(|a, b| {
        b.len()
            .cmp(&a.len())
            .then(a.start.cmp(&b.start))
            .then(a.id.cmp(&b.id))
    });
    let ids: Vec<Rc<str>> = layered.iter().map(|a| Rc::from(a.id.as_str())).collect();
    let notes: Vec<Option<Rc<str>>> = layered.iter().map(|a| a.note.as_deref().map(Rc::from)).collect();

    let bytes = byte_offsets(text, &cuts, len);
    let mut runs = Vec::with_capacity(cuts.len());
    let mut scratch = Vec::new();
    for (i, w) in cuts.windows(2).enumerate() {
        let (s, e) = (w[0], w[1]);
        scratch.extend(
            layered
                .iter()
                .zip(ids.iter().zip(&notes))
                .filter(|(a, _)| {
                    let (as_, ae) = clip(a);
                    as_ <= s && e <= ae
                })
                .map(|(a, (id, note))| Mark {
                    id: id.clone(),
                    label: a.label,
                    note: note.clone(),
                }),
        );
        runs.push(Run {
            start: s,
            end: e,
            byte_start: bytes[i],
            byte_end: bytes[i + 1],
            // a drain knows its length: the box is allocated once, exactly
            marks: scratch.drain(..).collect(),
        });
    }
    runs
}

/// The byte offset of each code point position in `cuts` (sorted, no
/// repeats, none past `len`, the text's length in code points), in the same
/// order: one walk over the text, up to its last cut before the end.
fn byte_offsets(text: &str, cuts: &[usize], len: usize) -> Vec<usize> {
    debug_assert!(cuts.windows(2).all(|w| w[0] < w[1]) && cuts.iter().all(|&c| c <= len));
    let mut out = Vec::with_capacity(cuts.len());
    let mut chars = text.char_indices().enumerate();
    for &cut in cuts {
        let at = match cut < len {
            // each cut is found from where the one before it was
            true => chars.by_ref().find(|&(cp, _)| cp == cut).map(|(_, (b, _))| b),
            false => None,
        };
        out.push(at.unwrap_or(text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(id: &str, label: Label, start: usize, end: usize) -> Annotation {
        Annotation::new(id, label, start, end, "")
    }

    fn shape(runs: &[Run]) -> Vec<(usize, usize, Vec<&str>)> {
        runs.iter()
            .map(|r| (r.start, r.end, r.marks.iter().map(|m| &*m.id).collect()))
            .collect()
    }

    #[test]
    fn plain_text_is_one_run() {
        let runs = segment("نص", 0, &[]);
        assert_eq!(shape(&runs), vec![(0, 2, vec![])]);
    }

    #[test]
    fn a_claim_containing_a_person_nests_outer_first() {
        let claim = ann("c", Label::CLAIM, 10, 30);
        let person = ann("p", Label::PERSON, 15, 20);
        let text = "x".repeat(40);
        let runs = segment(&text, 5, &[&person, &claim]);
        assert_eq!(
            shape(&runs),
            vec![
                (0, 5, vec![]),
                (5, 10, vec!["c"]),
                (10, 15, vec!["c", "p"]),
                (15, 25, vec!["c"]),
                (25, 40, vec![])
            ]
        );
    }

    #[test]
    fn spans_beyond_the_block_are_clipped_and_bytes_follow_code_points() {
        let a = ann("a", Label::PLACE, 0, 100);
        let runs = segment("بَيت", 2, &[&a]);
        assert_eq!(shape(&runs), vec![(0, 4, vec!["a"])]);
        assert_eq!((runs[0].byte_start, runs[0].byte_end), (0, 8));
        let b = ann("b", Label::PLACE, 3, 4);
        let runs = segment("بَيت", 0, &[&b]);
        assert_eq!(runs[1].byte_start, 6);
        assert_eq!(&"بَيت"[runs[1].byte_start..runs[1].byte_end], "ت");
    }
}
