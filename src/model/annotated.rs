//! A document together with its annotations and the render runs of each block.
//!
//! Annotations are kept in reading order behind `Rc`, and each block's runs
//! behind their own `Rc`: a change re-segments only the blocks it touches, so
//! every other block keeps a pointer-equal view and its component skips the
//! re-render.

use super::segment::{segment, Run};
use super::{Annotation, BlockKind, Document};
use std::rc::Rc;

/// What one block component needs to draw itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockView {
    pub index: usize,
    pub kind: BlockKind,
    pub text: Rc<str>,
    pub runs: Vec<Run>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnnotatedDoc {
    pub doc: Rc<Document>,
    anns: Rc<Vec<Rc<Annotation>>>,
    views: Vec<Rc<BlockView>>,
}

impl AnnotatedDoc {
    /// Builds a document's state; annotations outside the text are dropped
    /// by the caller's validation, not here.
    pub fn new(doc: Rc<Document>, anns: Vec<Annotation>) -> AnnotatedDoc {
        // Not `collect()`: collecting in place would keep the buffer sized
        // for whole annotations (about 100 bytes each) behind the pointers.
        let mut list = Vec::with_capacity(anns.len());
        list.extend(anns.into_iter().map(Rc::new));
        let mut anns: Vec<Rc<Annotation>> = list;
        Annotation::sort_in_reading_order(&mut anns);
        let all = vec![true; doc.blocks.len()];
        let views = sweep(&doc, &anns, &all)
            .into_iter()
            .map(|v| Rc::new(v.expect("all drawn")))
            .collect();
        AnnotatedDoc {
            doc,
            anns: Rc::new(anns),
            views,
        }
    }

    /// Removes the annotations `remove` and inserts or replaces `put`, in one
    /// pass: a large change (an import, a merge) costs one sort and one
    /// re-segmentation of the blocks it touches instead of one per annotation.
    pub fn apply_batch(&mut self, remove: &[String], put: Vec<Annotation>) {
        const ONE_BY_ONE: usize = 16;
        if remove.len() + put.len() <= ONE_BY_ONE {
            for id in remove {
                self.remove(id);
            }
            for a in put {
                self.put(a);
            }
            return;
        }
        let ids: rustc_hash::FxHashSet<&str> = remove
            .iter()
            .map(String::as_str)
            .chain(put.iter().map(|a| a.id.as_str()))
            .collect();
        let mut dirty = vec![false; self.doc.blocks.len()];
        let mut touch = |start: usize, end: usize| {
            for b in self.doc.blocks_of_range(start, end) {
                dirty[b] = true;
            }
        };
        let list = Rc::make_mut(&mut self.anns);
        list.retain(|a| {
            let gone = ids.contains(a.id.as_str());
            if gone {
                touch(a.start, a.end);
            }
            !gone
        });
        for a in put {
            touch(a.start, a.end);
            list.push(Rc::new(a));
        }
        Annotation::sort_in_reading_order(list);
        for (i, v) in sweep(&self.doc, &self.anns, &dirty).into_iter().enumerate() {
            if let Some(v) = v {
                self.views[i] = Rc::new(v);
            }
        }
    }

    pub fn id(&self) -> &str {
        &self.doc.id
    }

    /// Annotations in reading order.
    pub fn annotations(&self) -> &Rc<Vec<Rc<Annotation>>> {
        &self.anns
    }

    pub fn views(&self) -> &[Rc<BlockView>] {
        &self.views
    }

    pub fn get(&self, id: &str) -> Option<&Rc<Annotation>> {
        self.anns.iter().find(|a| a.id == id)
    }

    /// True when an annotation with this label already covers exactly this span.
    pub fn has_span(&self, start: usize, end: usize, label: super::Label) -> bool {
        self.anns
            .iter()
            .any(|a| a.start == start && a.end == end && a.label == label)
    }

    /// Inserts or replaces the annotation with `ann.id`; returns the one replaced.
    pub fn put(&mut self, ann: Annotation) -> Option<Annotation> {
        let old = self.remove_quietly(&ann.id);
        let (start, end) = (ann.start, ann.end);
        let list = Rc::make_mut(&mut self.anns);
        let key = ann.reading_key();
        let at = list.partition_point(|a| a.reading_key() < key);
        list.insert(at, Rc::new(ann));
        if let Some(o) = &old {
            self.refresh(o.start, o.end);
        }
        self.refresh(start, end);
        old
    }

    /// Removes the annotation `id`; returns it.
    pub fn remove(&mut self, id: &str) -> Option<Annotation> {
        let old = self.remove_quietly(id)?;
        self.refresh(old.start, old.end);
        Some(old)
    }

    fn remove_quietly(&mut self, id: &str) -> Option<Annotation> {
        let at = self.anns.iter().position(|a| a.id == id)?;
        let removed = Rc::make_mut(&mut self.anns).remove(at);
        Some(Rc::try_unwrap(removed).unwrap_or_else(|rc| (*rc).clone()))
    }

    /// Makes the annotations exactly `wanted`, touching only what differs.
    pub fn replace_all(&mut self, wanted: &[Annotation]) {
        let by_id: rustc_hash::FxHashMap<&str, &Annotation> =
            wanted.iter().map(|a| (a.id.as_str(), a)).collect();
        let stale: Vec<String> = self
            .anns
            .iter()
            .filter(|a| by_id.get(a.id.as_str()) != Some(&&***a))
            .map(|a| a.id.clone())
            .collect();
        for id in stale {
            self.remove(&id);
        }
        for a in wanted {
            if self.get(&a.id).map(|x| &**x) != Some(a) {
                self.put(a.clone());
            }
        }
    }

    /// Re-segments the blocks touched by `start..end`.
    fn refresh(&mut self, start: usize, end: usize) {
        for b in self.doc.blocks_of_range(start, end) {
            let (bs, be) = self.doc.block_range(b);
            let touching: Vec<&Annotation> = self
                .anns
                .iter()
                .take_while(|a| a.start < be.max(bs + 1))
                .filter(|a| a.overlaps(bs, be.max(bs + 1)))
                .map(|a| &**a)
                .collect();
            self.views[b] = Rc::new(view_of(&self.doc, b, &touching));
        }
    }
}

/// The views of the blocks marked in `which`, from one sweep that hands each
/// annotation to the blocks it touches.
fn sweep(doc: &Document, anns: &[Rc<Annotation>], which: &[bool]) -> Vec<Option<BlockView>> {
    let mut per_block: Vec<Vec<&Annotation>> = vec![vec![]; doc.blocks.len()];
    for a in anns {
        for b in doc.blocks_of_range(a.start, a.end) {
            if which[b] {
                per_block[b].push(a);
            }
        }
    }
    per_block
        .iter()
        .enumerate()
        .map(|(i, list)| which[i].then(|| view_of(doc, i, list)))
        .collect()
}

fn view_of(doc: &Document, index: usize, anns: &[&Annotation]) -> BlockView {
    let block = &doc.blocks[index];
    BlockView {
        index,
        kind: block.kind,
        text: block.text.clone(),
        runs: segment(&block.text, doc.block_start(index), anns),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleDraft, Label};

    fn ann(id: &str, label: Label, start: usize, end: usize) -> Annotation {
        Annotation::new(id, label, start, end, "t")
    }

    fn sample() -> AnnotatedDoc {
        let doc = Document::new(
            "d",
            ArticleDraft {
                heading: "عنوان".into(),
                paragraphs: vec!["الفقرة الأولى".into(), "الفقرة الثانية".into()],
                source: Some("المصدر: وكالات".into()),
            },
        );
        AnnotatedDoc::new(Rc::new(doc), vec![])
    }

    #[test]
    fn adding_touches_only_its_blocks() {
        let mut d = sample();
        let before: Vec<_> = d.views().to_vec();
        d.put(ann("a", Label::PLACE, 6, 12));
        assert!(Rc::ptr_eq(&before[0], &d.views()[0]));
        assert!(!Rc::ptr_eq(&before[1], &d.views()[1]));
        assert!(Rc::ptr_eq(&before[2], &d.views()[2]));
        assert!(Rc::ptr_eq(&before[3], &d.views()[3]));
        assert_eq!(d.views()[1].runs.len(), 2);
    }

    #[test]
    fn a_whole_list_keeps_no_room_for_more() {
        let d = sample();
        let anns: Vec<Annotation> = (0..50)
            .map(|i| ann(&format!("a{i}"), Label::PLACE, i, i + 2))
            .collect();
        let d = AnnotatedDoc::new(d.doc.clone(), anns);
        // collected in place, the pointers would keep the annotations' room
        assert_eq!(d.annotations().capacity(), 50);
    }

    #[test]
    fn a_span_across_paragraphs_marks_both() {
        let mut d = sample();
        let (s1, _) = d.doc.block_range(1);
        let (s2, _) = d.doc.block_range(2);
        d.put(ann("x", Label::CLAIM, s1 + 7, s2 + 6));
        for b in [1, 2] {
            assert!(d.views()[b]
                .runs
                .iter()
                .any(|r| r.marks.iter().any(|m| &*m.id == "x")));
        }
        assert!(d.views()[3].runs.iter().all(|r| r.marks.is_empty()));
        d.remove("x");
        assert!(d
            .views()
            .iter()
            .all(|v| v.runs.iter().all(|r| r.marks.is_empty())));
    }

    #[test]
    fn a_batch_equals_the_same_changes_one_by_one() {
        let mut one = sample();
        let mut batch = sample();
        let mut puts = vec![];
        for i in 0..40 {
            let a = ann(&format!("a{i}"), Label::BUILT_IN[i % 3], i, i + 3 + i % 5);
            one.put(a.clone());
            puts.push(a);
        }
        batch.apply_batch(&[], puts);
        assert_eq!(one, batch);
        let gone: Vec<String> = (0..20).map(|i| format!("a{i}")).collect();
        let again: Vec<Annotation> = (30..40)
            .map(|i| ann(&format!("a{i}"), Label::CLAIM, i, i + 9))
            .collect();
        for id in &gone {
            one.remove(id);
        }
        for a in again.clone() {
            one.put(a);
        }
        batch.apply_batch(&gone, again);
        assert_eq!(one, batch);
    }

    #[test]
    fn reading_order_and_one_annotation_per_span_and_label() {
        let mut d = sample();
        d.put(ann("p", Label::PERSON, 8, 12));
        d.put(ann("c", Label::CLAIM, 6, 20));
        d.put(ann("q", Label::PLACE, 8, 12));
        let order: Vec<&str> = d.annotations().iter().map(|a| a.id.as_str()).collect();
        assert_eq!(order, vec!["c", "p", "q"]);
        assert!(d.has_span(8, 12, Label::PLACE));
        let replaced = d.put(ann("p", Label::PLACE, 8, 12)).unwrap();
        assert_eq!(replaced.label, Label::PERSON);
        assert_eq!(d.annotations().len(), 3);
    }
}
