//! Re-anchoring: finding where an annotation belongs when its article's text
//! has changed (a corrected typo, a re-published article).

use super::offsets::ceil_grapheme;
use super::Document;
use std::cell::OnceCell;

/// What an annotation remembers of the text it was made on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor<'a> {
    pub start: usize,
    pub end: usize,
    pub quote: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
}

/// Where an annotation lands on the current text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Same offsets, same quote.
    Kept,
    /// The quote was found elsewhere (with its context, or nearest).
    Moved(usize, usize),
    /// Found only when harakat, tatweel and letter variants are ignored.
    Fuzzy(usize, usize),
    /// Nowhere: keep it aside, never drop it.
    Orphan,
}

/// Places annotations on one text. The text's characters and their folded
/// form are computed once, on the first annotation that needs them, and
/// searches look near the old place before they look everywhere: re-anchoring
/// thousands of annotations on a long article stays quick.
pub struct Reanchorer<'d> {
    doc: &'d Document,
    chars: OnceCell<Vec<char>>,
    folded: OnceCell<(Vec<char>, Vec<usize>)>,
}

/// How far around the old place to look first (code points).
const NEAR: usize = 4096;

impl<'d> Reanchorer<'d> {
    pub fn new(doc: &'d Document) -> Reanchorer<'d> {
        Reanchorer {
            doc,
            chars: OnceCell::new(),
            folded: OnceCell::new(),
        }
    }

    /// Places `a` on the text.
    pub fn place(&self, a: Anchor) -> Placement {
        if a.quote.is_empty() {
            return Placement::Orphan;
        }
        if a.start < a.end && a.end <= self.doc.len() && self.doc.slice(a.start, a.end) == a.quote {
            return Placement::Kept;
        }
        let chars = self.chars.get_or_init(|| self.doc.text().chars().collect());
        let quote: Vec<char> = a.quote.chars().collect();
        let exact = near_then_all(chars, &quote, a.start, |h| {
            is_boundary(chars, h) && is_boundary(chars, h + quote.len())
        });
        if let Some(start) = best(chars, &exact, quote.len(), a) {
            return Placement::Moved(start, start + quote.len());
        }
        let (folded_text, origin) = self.folded.get_or_init(|| fold(chars));
        let (folded_quote, _) = fold(&quote);
        if folded_quote.is_empty() {
            return Placement::Orphan;
        }
        // positions in the folded text near the old start
        let near = origin.partition_point(|&o| o < a.start);
        let hits = near_then_all(folded_text, &folded_quote, near, |_| true);
        match hits.iter().copied().min_by_key(|&h| origin[h].abs_diff(a.start)) {
            Some(h) => {
                let start = origin[h];
                // the last folded letter, then whatever marks the fold dropped after it
                let last = origin[h + folded_quote.len() - 1] + 1;
                let block = self.doc.block_of(start);
                let (bs, _) = self.doc.block_range(block);
                let end = bs + ceil_grapheme(&self.doc.blocks[block].text, last - bs);
                Placement::Fuzzy(start, end.max(last))
            }
            None => Placement::Orphan,
        }
    }
}

/// Places one annotation on `doc` (see [`Reanchorer`] for many).
pub fn reanchor(doc: &Document, a: Anchor) -> Placement {
    Reanchorer::new(doc).place(a)
}

/// Occurrences of `needle` within `NEAR` of `around`, or, when there are
/// none there, anywhere; each must pass `keep`.
fn near_then_all<T: PartialEq>(
    hay: &[T],
    needle: &[T],
    around: usize,
    keep: impl Fn(usize) -> bool,
) -> Vec<usize> {
    // a stored offset may lie far past a text that has since been shortened
    let to = around
        .saturating_add(needle.len())
        .saturating_add(NEAR)
        .min(hay.len());
    let from = around.saturating_sub(NEAR).min(to);
    let local: Vec<usize> = occurrences(&hay[from..to], needle)
        .into_iter()
        .map(|h| h + from)
        .filter(|&h| keep(h))
        .collect();
    if !local.is_empty() {
        return local;
    }
    occurrences(hay, needle)
        .into_iter()
        .filter(|&h| keep(h))
        .collect()
}

/// True when code point `i` is a grapheme boundary: a hit that ends before
/// a letter's harakat is not the same text. A short window around `i` is
/// enough to decide, and keeps this cheap on long articles.
fn is_boundary(chars: &[char], i: usize) -> bool {
    const WINDOW: usize = 16;
    let from = i.saturating_sub(WINDOW);
    let local: String = chars[from..(i + WINDOW).min(chars.len())].iter().collect();
    ceil_grapheme(&local, i - from) == i - from
}

/// Start indices of `needle` in `hay`.
fn occurrences<T: PartialEq>(hay: &[T], needle: &[T]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return vec![];
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == *needle)
        .collect()
}

/// The occurrence whose surroundings agree most with the remembered prefix
/// and suffix; among equals, the nearest to where it was.
fn best(chars: &[char], hits: &[usize], len: usize, a: Anchor) -> Option<usize> {
    let prefix: Vec<char> = a.prefix.chars().collect();
    let suffix: Vec<char> = a.suffix.chars().collect();
    hits.iter().copied().max_by_key(|&h| {
        let before = prefix
            .iter()
            .rev()
            .zip(chars[..h].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let after = suffix
            .iter()
            .zip(&chars[h + len..])
            .take_while(|(x, y)| x == y)
            .count();
        (before + after, std::cmp::Reverse(h.abs_diff(a.start)))
    })
}

/// Arabic text with harakat and tatweel removed and letter variants unified,
/// and for each folded character the index of the character it came from.
pub fn fold(chars: &[char]) -> (Vec<char>, Vec<usize>) {
    let mut out = Vec::with_capacity(chars.len());
    let mut origin = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let folded = match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            c => c,
        };
        out.push(folded);
        origin.push(i);
    }
    (out, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::from_text("t", text)
    }

    fn anchor<'a>(text: &'a str, quote: &'a str) -> Anchor<'a> {
        let b = text.find(quote).unwrap();
        let start = text[..b].chars().count();
        Anchor {
            start,
            end: start + quote.chars().count(),
            quote,
            prefix: "",
            suffix: "",
        }
    }

    #[test]
    fn same_text_keeps_its_place() {
        let t = "قال جون كيري اليوم";
        assert_eq!(reanchor(&doc(t), anchor(t, "جون كيري")), Placement::Kept);
    }

    #[test]
    fn insertion_before_moves_the_span() {
        let old = "قال جون كيري اليوم";
        let new = "في موسكو قال جون كيري اليوم";
        assert_eq!(
            reanchor(&doc(new), anchor(old, "جون كيري")),
            Placement::Moved(13, 21)
        );
    }

    #[test]
    fn context_picks_the_right_occurrence() {
        let old = "كيري في موسكو، ثم كيري في جنيف";
        let mut a = anchor(old, "كيري في جنيف");
        a.quote = "كيري";
        a.end = a.start + 4;
        a.prefix = "ثم ";
        a.suffix = " في جنيف";
        let new = "وصل كيري في موسكو، ثم كيري في جنيف";
        assert_eq!(reanchor(&doc(new), a), Placement::Moved(22, 26));
    }

    #[test]
    fn harakat_tatweel_and_variants_are_ignored_by_the_fuzzy_match() {
        let old = "التقى الرئيس بشار الأسد امس";
        let new = "التقى الرئيس بَشّار الاسـد أمس";
        let p = reanchor(&doc(new), anchor(old, "بشار الأسد"));
        let Placement::Fuzzy(s, e) = p else {
            panic!("{p:?}")
        };
        let got: String = new.chars().skip(s).take(e - s).collect();
        assert_eq!(got, "بَشّار الاسـد");
    }

    #[test]
    fn harakat_after_the_last_letter_stay_inside() {
        let new = "قال كيريُ اليوم";
        let p = reanchor(
            &doc(new),
            Anchor {
                start: 0,
                end: 4,
                quote: "كيري",
                prefix: "",
                suffix: "",
            },
        );
        let Placement::Fuzzy(s, e) = p else {
            panic!("{p:?}")
        };
        assert_eq!(new.chars().skip(s).take(e - s).collect::<String>(), "كيريُ");
    }

    #[test]
    fn deleted_text_is_an_orphan() {
        let old = "قال جون كيري اليوم";
        assert_eq!(
            reanchor(&doc("قال الوزير اليوم"), anchor(old, "جون كيري")),
            Placement::Orphan
        );
    }
}
