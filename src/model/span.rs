//! Turning a raw selection into the span a reader meant: ordered, widened to
//! whole grapheme clusters (a letter keeps its harakat), trimmed of white space.

use super::offsets::{ceil_grapheme, cp_len, floor_grapheme, trim_invisible};
use super::Document;

/// Normalises the code point range between `a` and `b` (in either order) of
/// `doc`. Returns `None` when nothing visible is left.
pub fn normalize_span(doc: &Document, a: usize, b: usize) -> Option<(usize, usize)> {
    let len = doc.len();
    let (start, end) = (a.min(b).min(len), a.max(b).min(len));
    let start = snap(doc, start, floor_grapheme);
    let end = snap(doc, end, ceil_grapheme);
    let slice = doc.slice(start, end);
    let (lead_end, trail_start) = trim_invisible(slice, 0, cp_len(slice));
    let (start, end) = (start + lead_end, start + trail_start);
    (start < end).then_some((start, end))
}

/// Snaps `cp` to a grapheme boundary inside its own block; block edges are
/// always boundaries because blocks are separated by a line break.
fn snap(doc: &Document, cp: usize, rule: fn(&str, usize) -> usize) -> usize {
    let b = doc.block_of(cp);
    let (bs, be) = doc.block_range(b);
    if cp >= be {
        return cp;
    }
    bs + rule(&doc.blocks[b].text, cp - bs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ArticleDraft;

    fn doc(paras: &[&str]) -> Document {
        Document::new(
            "t",
            ArticleDraft {
                heading: "ع".into(),
                paragraphs: paras.iter().map(|s| s.to_string()).collect(),
                source: None,
            },
        )
    }

    #[test]
    fn trims_and_orders() {
        let d = doc(&[" جون كيري "]);
        // block 1 starts at 2; select backwards over the spaces
        assert_eq!(normalize_span(&d, 12, 2), Some((3, 11)));
        assert_eq!(d.slice(3, 11), "جون كيري");
    }

    #[test]
    fn widens_to_whole_clusters() {
        let d = doc(&["مُحَمَّد"]);
        // 3 falls between م and its damma, 5 between ح and its fatha
        let (s, e) = normalize_span(&d, 3, 5).unwrap();
        assert_eq!((s, e), (2, 6));
        assert_eq!(d.slice(s, e), "مُحَ");
    }

    #[test]
    fn crosses_paragraphs_and_refuses_blank() {
        let d = doc(&["أ ب", "ج د"]);
        assert_eq!(normalize_span(&d, 4, 8), Some((4, 7)));
        assert_eq!(d.slice(4, 7), "ب\nج");
        assert_eq!(normalize_span(&d, 3, 4), None);
        assert_eq!(normalize_span(&d, 5, 6), None); // just the line break
    }
}
