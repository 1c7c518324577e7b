//! The widget's state and the actions that change it: one reducer, no
//! browser types, so every rule here is tested natively.

use crate::formats::import::{self, Shown};
use crate::formats::stored::{restore, DocRecord, Origin, StoredDoc};
use crate::model::merge::{merge, Version};
use crate::model::offsets::cp_of_utf16;
use crate::model::words::{self, Edge, MatchOptions, Step};
use crate::model::{
    normalize_span, parse_article, AnnotatedDoc, Annotation, Change, Document, History, Label, Orphan,
    Tombstone,
};
use crate::model::{ClaimRecord, LabelSet, VerdictSet};
use rustc_hash::{FxHashMap, FxHashSet};
use std::rc::Rc;
use yew::Reducible;

mod action;
mod articles;
mod claims;
mod edits;
mod host_list;
mod imports;
mod linking;
mod queue;
mod refusal;
mod steps;
mod sync;

pub use action::{Action, DomPoint, ImportMode, Notice, NoticeKind, Selected};
use edits::NewAnnotation;
pub use imports::WeighedImport;
pub use linking::Linking;
pub use queue::arrange;
pub use refusal::Refusal;
pub use steps::Edit;
#[cfg(test)]
mod tests;

/// One article on the page.
#[derive(Clone, Debug, PartialEq)]
pub struct DocEntry {
    pub ad: AnnotatedDoc,
    pub origin: Origin,
    pub added_at: Option<String>,
    /// Deleted annotations, kept so another tab cannot bring them back.
    pub tombstones: Rc<Vec<Tombstone>>,
    /// Annotations that could not be placed on the current text.
    pub orphans: Rc<Vec<Orphan>>,
    /// What re-anchoring did when the article was loaded: (moved, orphans).
    pub reanchored: Option<(usize, usize)>,
    /// The annotator marked the article done (see `DocEntry::status`).
    pub done: bool,
}

impl DocEntry {
    pub fn new(ad: AnnotatedDoc, origin: Origin, added_at: Option<String>) -> DocEntry {
        DocEntry {
            ad,
            origin,
            added_at,
            tombstones: Rc::default(),
            orphans: Rc::default(),
            reanchored: None,
            done: false,
        }
    }

    /// An article with a stored record placed on its current text: its
    /// annotations, tombstones, orphans and status; and how many moved.
    pub fn restored(doc: Document, stored: &StoredDoc, origin: Origin) -> (DocEntry, usize) {
        let r = restore(&doc, stored);
        let mut e = DocEntry::new(
            AnnotatedDoc::new(Rc::new(doc), r.annotations),
            origin,
            stored.added_at.clone(),
        );
        e.tombstones = Rc::new(stored.tombstones.clone());
        e.orphans = Rc::new(r.orphans);
        e.done = stored.done;
        (e, r.moved)
    }

    pub fn id(&self) -> &str {
        self.ad.id()
    }

    /// What storage keeps of this article.
    pub fn record(&self) -> DocRecord<'_> {
        DocRecord {
            ad: &self.ad,
            origin: self.origin,
            added_at: self.added_at.as_deref(),
            tombstones: &self.tombstones,
            orphans: &self.orphans,
            done: self.done,
        }
    }

    fn bury(&mut self, id: &str, now: &str) {
        Rc::make_mut(&mut self.tombstones).push(Tombstone {
            id: id.to_string(),
            deleted_at: now.to_string(),
        });
    }

    /// Drops the tombstones of `ids` (annotations that are back), in one
    /// pass however many there are.
    fn unbury_all(&mut self, ids: FxHashSet<&str>) {
        if self.tombstones.iter().any(|t| ids.contains(t.id.as_str())) {
            Rc::make_mut(&mut self.tombstones).retain(|t| !ids.contains(t.id.as_str()));
        }
    }
}

/// One article's part of a step as it is applied: the ids it removes and
/// the annotations it puts, the last change of an id winning. Indexed, so
/// that a step of 20,000 changes costs 20,000 lookups, not 20,000 scans.
#[derive(Default)]
struct Batch {
    remove: Vec<String>,
    put: Vec<Option<Annotation>>,
    at: FxHashMap<String, usize>,
}

impl Batch {
    fn put(&mut self, a: Annotation) {
        match self.at.get(&a.id) {
            Some(&i) => self.put[i] = Some(a),
            None => {
                self.at.insert(a.id.clone(), self.put.len());
                self.put.push(Some(a));
            }
        }
    }

    fn remove(&mut self, id: &str) {
        if let Some(i) = self.at.remove(id) {
            self.put[i] = None;
        }
        self.remove.push(id.to_string());
    }
}

/// `words::snap_to_words` on the blocks the span's edges are in, not on the
/// whole text: the cost of a snap must not grow with the article.
fn snap_in_blocks(doc: &Document, a: usize, b: usize) -> Option<(usize, usize)> {
    let (ba, bb) = (doc.block_of(a), doc.block_of(b.max(a + 1) - 1));
    let local = |i: usize, s: usize, e: usize| {
        let base = doc.block_start(i);
        words::snap_to_words(&doc.blocks[i].text, s - base, e - base).map(|(s, e)| (s + base, e + base))
    };
    if ba == bb {
        return local(ba, a, b);
    }
    let (start, _) = local(ba, a, doc.block_range(ba).1)?;
    let (_, end) = local(bb, doc.block_start(bb), b)?;
    Some((start, end))
}

/// The code point of a point in a block (block, UTF-16 offset), as the DOM
/// gives it; a block that is not there means the end of the text.
pub fn cp_of_point(doc: &Document, p: DomPoint) -> usize {
    match doc.blocks.get(p.block) {
        Some(b) => doc.block_start(p.block) + cp_of_utf16(&b.text, p.utf16),
        None => doc.len(),
    }
}

/// Where else an annotation's text occurs in its article as whole words
/// (harakat ignored; with `clitics`, also behind و ف ب ل ك ال), leaving out
/// the places already tagged with its label.
pub fn other_occurrences(ad: &AnnotatedDoc, a: &Annotation, clitics: bool) -> Vec<(usize, usize)> {
    let quote = ad.doc.slice(a.start, a.end);
    ad.doc
        .words()
        .find(quote, MatchOptions { clitics })
        .into_iter()
        .filter(|&(s, e)| !ad.has_span(s, e, a.label))
        .collect()
}

/// How many texts the reader handed in (an import, an article), and whether
/// the last one went in: the box a text was pasted into empties once its
/// text is in, and keeps a text that was refused, to be mended.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Taken {
    pub count: u32,
    pub ok: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppState {
    pub docs: Vec<DocEntry>,
    pub selected: Option<Selected>,
    pub history: History<Edit>,
    /// The article shown in the workspace (none: the first).
    pub current: Option<String>,
    pub notice: Option<Notice>,
    pub storage_problem: Option<Notice>,
    pub confirming_removal: Option<String>,
    pub labels: LabelSet,
    /// The verdicts a claim can be given.
    pub verdicts: VerdictSet,
    /// The selected claim is being linked to its speaker or a subject.
    pub linking: Option<Linking>,
    /// The articles are given (an embedded widget's one): imports add
    /// annotations to them and never add articles.
    pub fixed_articles: bool,
    /// The list of keys is open.
    pub help_open: bool,
    /// Why the last action changed nothing, if it was refused.
    pub refusal: Option<Refusal>,
    /// The texts taken in from the reader (imports, articles), counted.
    pub taken: Taken,
}

/// The outcome of an import, as counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportSummary {
    pub format: &'static str,
    pub added: usize,
    pub duplicates: usize,
    pub removed: usize,
    pub new_docs: usize,
    /// Articles in the input that are not shown, when no article may be added.
    pub other_articles: usize,
    pub unknown_labels: Vec<(String, usize)>,
    /// Relations of types that are not ours, skipped.
    pub skipped_relations: Vec<(String, usize)>,
}

impl AppState {
    pub fn new(docs: Vec<DocEntry>, notice: Option<Notice>) -> AppState {
        AppState {
            docs,
            notice,
            ..AppState::default()
        }
    }

    pub fn doc(&self, doc_id: &str) -> Option<&DocEntry> {
        self.docs.iter().find(|d| d.id() == doc_id)
    }

    fn doc_mut(&mut self, doc_id: &str) -> Option<&mut DocEntry> {
        self.docs.iter_mut().find(|d| d.id() == doc_id)
    }

    /// The annotation after (or before) the selected one in an article's
    /// reading order; the first (or last) when none of its is selected.
    pub fn neighbour(&self, doc_id: &str, forward: bool) -> Option<Selected> {
        let anns = self.doc(doc_id)?.ad.annotations();
        let current = self
            .selected
            .as_ref()
            .filter(|s| s.doc_id == doc_id)
            .and_then(|s| anns.iter().position(|a| a.id == s.ann_id));
        let next = match (current, forward) {
            (None, true) => 0,
            (None, false) => anns.len().checked_sub(1)?,
            (Some(i), true) => i + 1,
            (Some(i), false) => i.checked_sub(1)?,
        };
        anns.get(next).map(|a| Selected {
            doc_id: doc_id.to_string(),
            ann_id: a.id.clone(),
        })
    }

    pub fn selected_annotation(&self) -> Option<(&DocEntry, &Rc<Annotation>)> {
        let sel = self.selected.as_ref()?;
        let d = self.doc(&sel.doc_id)?;
        Some((d, d.ad.get(&sel.ann_id)?))
    }

    /// Applies changes to the documents without recording them. A deletion
    /// leaves a tombstone; with `restamp` (undo, redo) what is put back counts
    /// as changed `now`, so that other tabs take it over their older copy.
    fn apply(&mut self, changes: &[Change], now: &str, restamp: bool) {
        let mut by_doc: Vec<(&str, Batch)> = vec![];
        for c in changes {
            let at = match by_doc.iter().position(|(id, _)| *id == c.doc_id) {
                Some(i) => i,
                None => {
                    by_doc.push((&c.doc_id, Batch::default()));
                    by_doc.len() - 1
                }
            };
            let batch = &mut by_doc[at].1;
            match (&c.before, &c.after) {
                (_, Some(after)) => {
                    let mut a = after.clone();
                    if restamp {
                        a.updated_at = now.to_string();
                    }
                    batch.put(a);
                }
                (Some(before), None) => batch.remove(&before.id),
                (None, None) => {}
            }
        }
        for (doc_id, batch) in by_doc {
            let Some(d) = self.doc_mut(doc_id) else {
                continue;
            };
            let put: Vec<Annotation> = batch.put.into_iter().flatten().collect();
            d.unbury_all(put.iter().map(|a| a.id.as_str()).collect());
            for id in &batch.remove {
                d.bury(id, now);
            }
            d.ad.apply_batch(&batch.remove, put);
        }
    }

    /// Counts a text the reader handed in, and whether it went in.
    fn took_text(&mut self) {
        self.taken = Taken {
            count: self.taken.count.wrapping_add(1),
            ok: self.refusal.is_none(),
        };
    }

    /// Changes nothing and says why (the only way a refusal reaches the user).
    fn refuse(&mut self, why: Refusal) {
        self.notice = Some(why.notice());
        self.refusal = Some(why);
    }

    /// Applies and records one undoable step.
    /// Replaces annotation `before` of `doc_id` by `after`, as one step.
    fn commit_replace(&mut self, doc_id: &str, before: Annotation, after: Annotation, now: &str) {
        let step = vec![Change {
            doc_id: doc_id.to_string(),
            before: Some(before),
            after: Some(after),
        }];
        self.commit(step, now);
    }

    /// Links that the step broke (an end deleted or relabelled) are mended
    /// in the same step, so one undo brings both back.
    fn commit(&mut self, step: Vec<Change>, now: &str) {
        self.commit_with(step, vec![], now);
    }

    /// `commit`, with edits of whole articles in the same step.
    fn commit_with(&mut self, mut step: Vec<Change>, articles: Vec<Edit>, now: &str) {
        self.apply(&step, now, false);
        let mended = self.mend_links(&step, now);
        if !mended.is_empty() {
            self.apply(&mended, now, false);
            step.extend(mended);
        }
        for edit in &articles {
            self.apply_article_edit(edit.clone());
        }
        let edits = step.into_iter().map(Edit::Annotation).chain(articles);
        self.history.record(edits.collect());
    }
}

/// A note as kept: trimmed, and none rather than an empty one.
fn clean_note(note: String) -> Option<String> {
    Some(note.trim().to_string()).filter(|n| !n.is_empty())
}

/// Cuts long quotes for messages.
fn ellipsis(s: &str) -> String {
    const MAX: usize = 40;
    let flat = s.replace('\n', " ");
    if flat.chars().count() <= MAX {
        flat
    } else {
        format!("{}…", flat.chars().take(MAX).collect::<String>())
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        s.reduce_in_place(action);
        Rc::new(s)
    }
}

impl AppState {
    /// The reducer proper, on an owned state (what tests call).
    pub fn reduce_in_place(&mut self, action: Action) {
        self.refusal = None;
        match action {
            Action::Tag {
                doc_id,
                anchor,
                focus,
                label,
                id,
                snap,
                now,
            } => {
                let Some(d) = self.doc(&doc_id) else { return };
                let doc = &d.ad.doc;
                let (a, b) = (cp_of_point(doc, anchor), cp_of_point(doc, focus));
                let (a, b) = (a.min(b), a.max(b));
                let span = match snap {
                    true => snap_in_blocks(doc, a, b).unwrap_or((a, b)),
                    false => (a, b),
                };
                let new = NewAnnotation {
                    label,
                    id: id.clone(),
                    note: None,
                    claim: ClaimRecord::default(),
                };
                self.add_span(&doc_id, span, new, now);
                if self.refusal.is_none() {
                    self.suggest_for(&doc_id, &id);
                }
            }
            Action::AddSpan {
                doc_id,
                start,
                end,
                label,
                id,
                note,
                claim,
                now,
            } => self.add_span(
                &doc_id,
                (start, end),
                NewAnnotation {
                    label,
                    id,
                    note,
                    claim,
                },
                now,
            ),
            Action::Click {
                chain, new_id, now, ..
            } if self.linking.is_some() => self.link_click(&chain, new_id, &now),
            Action::Click { doc_id, chain, .. } => self.click(doc_id, chain),
            Action::Select(sel) => self.selected = sel,
            Action::Relabel { label, now } => self.edit_selected(&now, |a| {
                if a.label != label {
                    a.label = label;
                    a.updated_at = now.clone();
                }
            }),
            Action::SetNote { note, now } => {
                let note = clean_note(note);
                self.edit_selected(&now, |a| {
                    if a.note != note {
                        a.note = note;
                        a.updated_at = now.clone();
                    }
                })
            }
            Action::DeleteSelected { now } => self.delete_selected(&now),
            Action::SetLabels(labels) => self.labels = labels,
            Action::Help(open) => self.help_open = open,
            Action::MoveEdge { edge, left, now } => self.move_edge(edge, left, &now),
            Action::SetEdge { edge, at, now } => self.set_edge(edge, at, &now),
            Action::TagAll {
                clitics,
                id_base,
                now,
            } => self.tag_all(clitics, &id_base, &now),
            Action::Escape if self.help_open => self.help_open = false,
            Action::Escape if self.linking.is_some() => {
                self.linking = None;
                self.notice = None;
            }
            Action::Escape => self.selected = None,
            Action::Annotate {
                doc_id,
                ann_id,
                note,
                now,
            } => self.set_note(&doc_id, &ann_id, note, &now),
            Action::Remove { doc_id, ann_id, now } => self.remove(&doc_id, &ann_id, &now),
            Action::Clear { doc_id, now } => self.clear(&doc_id, &now),
            Action::Undo { now } => match self.history.undo() {
                Some(changes) => self.replay(changes, &now),
                None => self.refuse(Refusal::NothingToUndo),
            },
            Action::Redo { now } => match self.history.redo() {
                Some(changes) => self.replay(changes, &now),
                None => self.refuse(Refusal::NothingToRedo),
            },
            Action::Import { text, mode, now } => {
                self.import(text, mode, &now);
                self.took_text();
            }
            Action::SetVerdict { verdict, now } => self.set_verdict(verdict, &now),
            Action::SetSource { source, now } => self.set_source(&source, &now),
            Action::Link {
                doc_id,
                from,
                kind,
                to,
                id,
                now,
            } => self.link(&doc_id, &from, kind, &to, id, &now),
            Action::Unlink { doc_id, rel_id, now } => self.unlink(&doc_id, &rel_id, &now),
            Action::SetVerdicts(set) => self.verdicts = set,
            Action::StartLink(kind) => self.start_link(kind),
            Action::LinkStep { forward } => self.link_step(forward),
            Action::LinkConfirm { new_id, now } => self.link_confirm(new_id, &now),
            Action::CancelLink => self.linking = None,
            Action::ImportPlan { plan, mode, now } => self.import_plan(*plan, mode, &now),
            Action::Remote { doc_id, stored } => self.remote(&doc_id, stored.map(|s| *s)),
            Action::AddArticle { text, now } => {
                self.add_article(&text, now);
                self.took_text();
            }
            Action::AskRemove(doc_id) => self.confirming_removal = Some(doc_id),
            Action::CancelRemove => self.confirming_removal = None,
            Action::ConfirmRemove => {
                if let Some(doc_id) = self.confirming_removal.take() {
                    self.remove_article(&doc_id);
                }
            }
            Action::Show(doc_id) => self.show(&doc_id),
            Action::ShowFirst => self.show_first(),
            Action::Arrange(order) => arrange(&mut self.docs, &order),
            Action::ShowNext { forward, undone_only } => self.show_next(forward, undone_only),
            Action::SetDone { doc_id, done } => self.set_done(&doc_id, done),
            Action::MoveArticle { doc_id, down } => self.move_article(&doc_id, down),
            Action::Notify(n) => self.notice = Some(n),
            Action::DismissNotice => self.notice = None,
            Action::StorageProblem(p) => self.storage_problem = p,
        }
        self.keep_linking_valid();
    }
}
