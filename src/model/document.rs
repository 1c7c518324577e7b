//! An article as blocks of text (heading, paragraphs, source line) and the
//! offset tables that map between the whole text and each block.

use super::offsets::{byte_of_cp, cp_len, utf16_len, utf16_of_cp};
use super::words::WordIndex;
use std::cell::OnceCell;
use std::rc::Rc;

/// What a block is, which decides how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    Paragraph,
    Source,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: Rc<str>,
}

/// An article before it has an id: what the text parser produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleDraft {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub source: Option<String>,
}

/// An article. Its text is its blocks joined by `\n`, which is the text that
/// annotation offsets count into (in code points).
///
/// ```
/// use hashiya::{BlockKind, Document};
///
/// let doc = Document::from_text("story-1", "عنوان الخبر\nالفقرة الأولى.\nالمصدر: وكالات");
/// assert_eq!(doc.title(), "عنوان الخبر");
/// assert_eq!(doc.blocks[2].kind, BlockKind::Source);
/// assert_eq!(doc.len(), doc.text().chars().count());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub lang: String,
    pub dir: String,
    pub blocks: Vec<Block>,
    text: String,
    /// Code point offset of each block's first character in `text`.
    cp_starts: Vec<usize>,
    utf16_starts: Vec<usize>,
    /// Code points and UTF-16 units of the whole text.
    cps: usize,
    units: usize,
    /// Byte offset of every `MARK`-th code point: finding a code point's
    /// byte walks fewer than `MARK` characters, however long its block.
    byte_marks: Vec<usize>,
    words: Words,
}

/// A document's word index, built the first time occurrences are looked
/// for (an annotation selected, "tag all"), then kept: the text never
/// changes, and an article's versions share its document.
#[derive(Clone, Default)]
struct Words(OnceCell<Rc<WordIndex>>);

/// What the text determines: it never makes two documents differ.
impl PartialEq for Words {
    fn eq(&self, _: &Words) -> bool {
        true
    }
}

impl Eq for Words {}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Words(built)"
        } else {
            "Words"
        })
    }
}

/// Code points between two entries of `byte_marks`.
const MARK: usize = 32;

/// Source lines of news agencies start with this word ("the source").
const SOURCE_PREFIX: &str = "المصدر";

impl Document {
    pub fn new(id: impl Into<String>, draft: ArticleDraft) -> Document {
        let mut blocks = vec![Block {
            kind: BlockKind::Heading,
            text: draft.heading.into(),
        }];
        blocks.extend(draft.paragraphs.into_iter().map(|p| Block {
            kind: BlockKind::Paragraph,
            text: p.into(),
        }));
        blocks.extend(draft.source.map(|s| Block {
            kind: BlockKind::Source,
            text: s.into(),
        }));
        Document::from_blocks(id, blocks)
    }

    pub fn from_blocks(id: impl Into<String>, blocks: Vec<Block>) -> Document {
        let (mut cp, mut u16) = (0, 0);
        let (mut cp_starts, mut utf16_starts) = (vec![], vec![]);
        let mut text = String::new();
        for (i, b) in blocks.iter().enumerate() {
            if i > 0 {
                text.push('\n');
                cp += 1;
                u16 += 1;
            }
            cp_starts.push(cp);
            utf16_starts.push(u16);
            text.push_str(&b.text);
            cp += cp_len(&b.text);
            u16 += utf16_len(&b.text);
        }
        let byte_marks = text.char_indices().step_by(MARK).map(|(b, _)| b).collect();
        Document {
            id: id.into(),
            lang: "ar".into(),
            dir: "rtl".into(),
            blocks,
            text,
            cp_starts,
            utf16_starts,
            cps: cp,
            units: u16,
            byte_marks,
            words: Words::default(),
        }
    }

    /// Rebuilds a document from its joined text (as stored and exported):
    /// the first line is the heading, a last line starting with `المصدر` the source.
    pub fn from_text(id: impl Into<String>, text: &str) -> Document {
        let lines: Vec<&str> = text.split('\n').collect();
        let last = lines.len() - 1;
        let blocks = lines
            .iter()
            .enumerate()
            .map(|(i, l)| Block {
                kind: match i {
                    0 => BlockKind::Heading,
                    i if i == last && l.starts_with(SOURCE_PREFIX) => BlockKind::Source,
                    _ => BlockKind::Paragraph,
                },
                text: (*l).into(),
            })
            .collect();
        Document::from_blocks(id, blocks)
    }

    pub fn title(&self) -> &str {
        &self.blocks[0].text
    }

    /// The whole text that offsets count into.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the text in code points.
    pub fn len(&self) -> usize {
        self.cps
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Code point range of block `i` in the text.
    pub fn block_range(&self, i: usize) -> (usize, usize) {
        let start = self.cp_starts[i];
        (start, start + self.block_cps(i))
    }

    pub fn block_start(&self, i: usize) -> usize {
        self.cp_starts[i]
    }

    /// The block holding code point `cp`; a separator `\n` belongs to the block before it.
    pub fn block_of(&self, cp: usize) -> usize {
        match self.cp_starts.binary_search(&cp) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Blocks that the range `start..end` touches, as an inclusive index range.
    pub fn blocks_of_range(&self, start: usize, end: usize) -> std::ops::RangeInclusive<usize> {
        self.block_of(start)..=self.block_of(end.saturating_sub(1).max(start))
    }

    /// Code points of block `b` (its separator not counted).
    fn block_cps(&self, b: usize) -> usize {
        match self.cp_starts.get(b + 1) {
            Some(next) => next - 1 - self.cp_starts[b],
            None => self.cps - self.cp_starts[b],
        }
    }

    /// UTF-16 units of block `b`.
    fn block_units(&self, b: usize) -> usize {
        match self.utf16_starts.get(b + 1) {
            Some(next) => next - 1 - self.utf16_starts[b],
            None => self.units - self.utf16_starts[b],
        }
    }

    /// Byte offset of code point `cp` in the text (clamped to the end).
    pub fn byte_of(&self, cp: usize) -> usize {
        match self.byte_marks.get(cp / MARK) {
            Some(&from) => from + byte_of_cp(&self.text[from..], cp % MARK),
            None => self.text.len(),
        }
    }

    pub fn utf16_of(&self, cp: usize) -> usize {
        let b = self.block_of(cp);
        let within = cp - self.cp_starts[b];
        let units = self.block_units(b);
        // no character outside the BMP (most Arabic text): units are code points
        if units == self.block_cps(b) {
            return self.utf16_starts[b] + within.min(units);
        }
        self.utf16_starts[b] + utf16_of_cp(&self.blocks[b].text, within)
    }

    /// The end of a slice of blocks that starts at block `from` and holds
    /// about `budget` code points (at least one block): how much of a long
    /// article is drawn in one go.
    pub fn slice_end(&self, from: usize, budget: usize) -> usize {
        if from >= self.blocks.len() {
            return self.blocks.len();
        }
        let limit = self.cp_starts[from] + budget;
        let end = self.cp_starts.partition_point(|&s| s < limit);
        end.max(from + 1).min(self.blocks.len())
    }

    /// The text's word index (see `words::WordIndex`), built on first use.
    pub fn words(&self) -> Rc<WordIndex> {
        self.words
            .0
            .get_or_init(|| Rc::new(WordIndex::new(&self.text)))
            .clone()
    }

    /// The text of code points `start..end`.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        &self.text[self.byte_of(start)..self.byte_of(end)]
    }
}

/// Splits plain text into articles. Paragraphs are separated by blank lines; an
/// article starts with a heading line (a photo caption that is repeated on the
/// next line is shown once) and ends after a source line (`المصدر: …`).
/// The direction of a text: that of its first strong letter (Arabic,
/// Hebrew, Syriac, Thaana… are right-to-left), `rtl` when it has none.
pub fn guess_dir(text: &str) -> &'static str {
    for c in text.chars() {
        let rtl = matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF);
        if rtl {
            return "rtl";
        }
        if c.is_alphabetic() {
            return "ltr";
        }
    }
    "rtl"
}

/// The text of a block read from a page: white space (line breaks and
/// indentation of the markup included) collapsed to single spaces, as the
/// page shows it.
pub fn block_text(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn parse_articles(raw: &str) -> Vec<ArticleDraft> {
    let mut articles = vec![];
    let mut current: Vec<Vec<String>> = vec![];
    for para in paragraphs(raw) {
        let is_source = para[0].starts_with(SOURCE_PREFIX);
        current.push(para);
        if is_source {
            articles.extend(draft_from(std::mem::take(&mut current)));
        }
    }
    articles.extend(draft_from(current));
    articles
}

/// Reads text as one article: the first line is its heading.
pub fn parse_article(raw: &str) -> Option<ArticleDraft> {
    draft_from(paragraphs(raw))
}

/// Blank-line separated paragraphs, as their trimmed non-empty lines.
fn paragraphs(raw: &str) -> Vec<Vec<String>> {
    let normalized = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = vec![];
    let mut lines: Vec<String> = vec![];
    for line in normalized.lines().map(str::trim) {
        if line.is_empty() {
            if !lines.is_empty() {
                out.push(std::mem::take(&mut lines));
            }
        } else {
            lines.push(line.to_string());
        }
    }
    if !lines.is_empty() {
        out.push(lines);
    }
    out
}

/// Builds an article: the first line is the heading even without a blank line
/// after it; lines inside a paragraph are joined by a space (hard-wrapped text).
fn draft_from(paras: Vec<Vec<String>>) -> Option<ArticleDraft> {
    let mut paras = paras.into_iter();
    let mut first = paras.next()?.into_iter();
    let heading = first.next()?;
    let rest: Vec<String> = first.skip_while(|l| *l == heading).collect();
    let mut paras: Vec<String> = std::iter::once(rest)
        .chain(paras)
        .filter(|lines| !lines.is_empty())
        .map(|lines| lines.join(" "))
        .collect();
    let source = match paras.last() {
        Some(p) if p.starts_with(SOURCE_PREFIX) => paras.pop(),
        _ => None,
    };
    Some(ArticleDraft {
        heading,
        paragraphs: paras,
        source,
    })
}

/// A stable digest of a text (FNV-1a, 64 bits, hex). It identifies articles
/// that come without an id and records which text annotations were made on;
/// it is not a security measure.
pub fn digest(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod embed_tests {
    use super::*;

    #[test]
    fn direction_follows_the_first_strong_letter() {
        assert_eq!(guess_dir("«12» جون كيري"), "rtl");
        assert_eq!(guess_dir("10.8 John Kerry في موسكو"), "ltr");
        assert_eq!(guess_dir("2026 — ١٢"), "rtl");
    }

    #[test]
    fn block_text_is_what_the_page_shows() {
        assert_eq!(block_text("\n   جون\t كيري \n  في موسكو  "), "جون كيري في موسكو");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_builds_its_word_index_once_and_finds_what_a_fresh_search_finds() {
        use crate::model::words::{find_occurrences, MatchOptions};
        let text = "قال كيري إنّ كيري والكيري\nكيريـ 😀 كيري";
        let doc = Document::from_text("d", text);
        assert!(Rc::ptr_eq(&doc.words(), &doc.words()), "built once");
        let copy = doc.clone();
        assert!(
            Rc::ptr_eq(&doc.words(), &copy.words()),
            "a copy made after shares it"
        );
        for clitics in [false, true] {
            let opts = MatchOptions { clitics };
            for needle in ["كيري", "الكيري", "كيريـ", "😀", "قال كيري", ""] {
                assert_eq!(
                    doc.words().find(needle, opts),
                    find_occurrences(text, needle, opts),
                    "{needle:?}"
                );
            }
        }
        assert_eq!(
            doc,
            Document::from_text("d", text),
            "the index never makes documents differ"
        );
    }

    const SEED: &str = include_str!("../../assets/seed-articles.txt");

    #[test]
    fn seed_has_two_articles_with_caption_once_and_source_line() {
        let arts = parse_articles(SEED);
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].heading, "كيري ولافروف خلال لقاء سابق");
        assert!(!arts[0].paragraphs.contains(&arts[0].heading));
        assert_eq!(arts[0].paragraphs.len(), 5);
        assert_eq!(arts[0].source.as_deref(), Some("المصدر: وكالات"));
        assert_eq!(arts[1].heading, "وزير الخارجية الأميركي جون كيري");
        assert_eq!(arts[1].paragraphs.len(), 6);
        assert_eq!(arts[1].source.as_deref(), Some("المصدر: وكالات"));
    }

    #[test]
    fn text_joins_blocks_with_newlines_and_maps_offsets() {
        let d = Document::new(
            "d",
            ArticleDraft {
                heading: "عنوان".into(),
                paragraphs: vec!["a😀b".into(), "جون".into()],
                source: None,
            },
        );
        assert_eq!(d.text(), "عنوان\na😀b\nجون");
        assert_eq!(d.len(), 13);
        assert_eq!(d.block_range(1), (6, 9));
        assert_eq!(d.block_of(5), 0); // the separator
        assert_eq!(d.block_of(6), 1);
        assert_eq!(d.utf16_of(10), 11);
        assert_eq!(d.slice(6, 9), "a😀b");
        assert_eq!(d.slice(8, 12), "b\nجو");
        assert_eq!(d.blocks_of_range(6, 9), 1..=1);
        assert_eq!(d.blocks_of_range(8, 12), 1..=2);
    }

    #[test]
    fn slices_hold_about_a_budget_of_text() {
        let d = Document::new(
            "s",
            ArticleDraft {
                heading: "ab".into(),
                paragraphs: vec!["cdef".into(), "gh".into(), "ijklmnop".into()],
                source: None,
            },
        );
        // blocks start at 0, 3, 8, 11
        assert_eq!(d.slice_end(0, 1), 1);
        assert_eq!(d.slice_end(0, 4), 2);
        assert_eq!(d.slice_end(1, 6), 3);
        assert_eq!(d.slice_end(1, 1000), 4);
        assert_eq!(d.slice_end(4, 10), 4);
    }

    #[test]
    fn a_pasted_article_without_blank_line_after_heading() {
        let a = parse_article("العنوان\nسطر أول\nسطر ثان\n\nفقرة ثانية\r\n").unwrap();
        assert_eq!(a.heading, "العنوان");
        assert_eq!(a.paragraphs, vec!["سطر أول سطر ثان", "فقرة ثانية"]);
        assert_eq!(a.source, None);
        assert!(parse_article("  \n\n ").is_none());
    }

    #[test]
    fn from_text_restores_the_blocks() {
        let arts = parse_articles(SEED);
        let d = Document::new("a", arts[1].clone());
        let back = Document::from_text("a", d.text());
        assert_eq!(back, d);
    }

    #[test]
    fn digest_is_stable() {
        assert_eq!(digest(""), "cbf29ce484222325");
        assert_ne!(digest("a"), digest("b"));
    }
}
