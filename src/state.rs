//! The widget's state and the actions that change it: one reducer, no
//! browser types, so every rule here is tested natively.

use crate::formats::import::{self, Shown};
use crate::formats::stored::{restore, DocRecord, Origin, StoredDoc};
use crate::model::merge::{merge, Version};
use crate::model::offsets::cp_of_utf16;
use crate::model::words::{self, Edge, MatchOptions, Step};
use crate::model::LabelSet;
use crate::model::{
    normalize_span, parse_article, AnnotatedDoc, Annotation, Change, Document, History, Label, Orphan,
    Tombstone,
};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use yew::Reducible;

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
        }
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
        }
    }

    fn bury(&mut self, id: &str, now: &str) {
        Rc::make_mut(&mut self.tombstones).push(Tombstone {
            id: id.to_string(),
            deleted_at: now.to_string(),
        });
    }

    fn unbury(&mut self, id: &str) {
        if self.tombstones.iter().any(|t| t.id == id) {
            Rc::make_mut(&mut self.tombstones).retain(|t| t.id != id);
        }
    }
}

/// Whether an import adds to what is there or replaces it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImportMode {
    #[default]
    Merge,
    Replace,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A message for the user, in Arabic with its English twin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub ar: String,
    pub en: String,
}

impl Notice {
    pub fn info(ar: impl Into<String>, en: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            ar: ar.into(),
            en: en.into(),
        }
    }

    pub fn error(ar: impl Into<String>, en: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            ..Notice::info(ar, en)
        }
    }
}

/// The annotation being edited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selected {
    pub doc_id: String,
    pub ann_id: String,
}

/// A point of a DOM selection: a block of an article and a UTF-16 offset in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DomPoint {
    pub block: usize,
    pub utf16: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Tag what the user selected in one article.
    Tag {
        doc_id: String,
        anchor: DomPoint,
        focus: DomPoint,
        label: Label,
        id: String,
        /// Grow the selection to whole words first.
        snap: bool,
        now: String,
    },
    /// Tag code points `start..end` (normalised like a selection).
    AddSpan {
        doc_id: String,
        start: usize,
        end: usize,
        label: Label,
        id: String,
        note: Option<String>,
        now: String,
    },
    /// Give a note to an annotation.
    Annotate {
        doc_id: String,
        ann_id: String,
        note: Option<String>,
        now: String,
    },
    /// Remove one annotation.
    Remove {
        doc_id: String,
        ann_id: String,
        now: String,
    },
    /// A click on highlights; `chain` lists the annotations under the pointer,
    /// innermost first.
    Click {
        doc_id: String,
        chain: Vec<String>,
    },
    Select(Option<Selected>),
    Relabel {
        label: Label,
        now: String,
    },
    SetNote {
        note: String,
        now: String,
    },
    DeleteSelected {
        now: String,
    },
    Undo {
        now: String,
    },
    Redo {
        now: String,
    },
    /// Import annotations (Hashiya JSON, JSONL or W3C) from `text`.
    Import {
        text: String,
        mode: ImportMode,
        now: String,
    },
    /// Another tab stored this article (`None`: it removed it).
    Remote {
        doc_id: String,
        stored: Option<Box<StoredDoc>>,
    },
    AddArticle {
        text: String,
        now: String,
    },
    AskRemove(String),
    CancelRemove,
    ConfirmRemove,
    Notify(Notice),
    DismissNotice,
    /// The labels on offer (a host's `labels`); imports skip the others.
    SetLabels(LabelSet),
    /// Move one edge of the selected annotation by one grapheme. Keys are
    /// visual: `left` is forward in reading order in right-to-left text.
    MoveEdge {
        edge: Edge,
        left: bool,
        now: String,
    },
    /// Put one edge of the selected annotation at a point of the text (a
    /// dragged handle), kept whole-grapheme and never crossing the other.
    SetEdge {
        edge: Edge,
        at: DomPoint,
        now: String,
    },
    /// Tag the other occurrences of the selected annotation's text with its
    /// label, as one step; new ids are `id_base` + a number.
    TagAll {
        clitics: bool,
        id_base: String,
        now: String,
    },
    /// Show or hide the list of keys.
    Help(bool),
    /// Close what is open (the list of keys, else the editor's selection).
    Escape,
    /// Remove every annotation of an article, as one undoable step.
    Clear {
        doc_id: String,
        now: String,
    },
    /// Storage trouble that stays on screen until it is over (`None`).
    StorageProblem(Option<Notice>),
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
    words::find_occurrences(ad.doc.text(), quote, MatchOptions { clitics })
        .into_iter()
        .filter(|&(s, e)| !ad.has_span(s, e, a.label))
        .collect()
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppState {
    pub docs: Vec<DocEntry>,
    pub selected: Option<Selected>,
    pub history: History,
    pub notice: Option<Notice>,
    pub storage_problem: Option<Notice>,
    pub confirming_removal: Option<String>,
    pub labels: LabelSet,
    /// The articles are given (an embedded widget's one): imports add
    /// annotations to them and never add articles.
    pub fixed_articles: bool,
    /// The list of keys is open.
    pub help_open: bool,
    /// What the last import did (for the embed API, which returns it).
    pub last_import: Option<ImportSummary>,
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
        let mut by_doc: Vec<(&str, Vec<String>, Vec<Annotation>)> = vec![];
        for c in changes {
            let at = match by_doc.iter().position(|(id, _, _)| *id == c.doc_id) {
                Some(i) => i,
                None => {
                    by_doc.push((&c.doc_id, vec![], vec![]));
                    by_doc.len() - 1
                }
            };
            let (_, remove, put) = &mut by_doc[at];
            match (&c.before, &c.after) {
                (_, Some(after)) => {
                    let mut a = after.clone();
                    if restamp {
                        a.updated_at = now.to_string();
                    }
                    put.retain(|x: &Annotation| x.id != a.id);
                    put.push(a);
                }
                (Some(before), None) => {
                    put.retain(|x| x.id != before.id);
                    remove.push(before.id.clone());
                }
                (None, None) => {}
            }
        }
        for (doc_id, remove, put) in by_doc {
            let doc_id = doc_id.to_string();
            let Some(d) = self.doc_mut(&doc_id) else {
                continue;
            };
            for a in &put {
                d.unbury(&a.id);
            }
            for id in &remove {
                d.bury(id, now);
            }
            d.ad.apply_batch(&remove, put);
        }
    }

    /// Applies and records one undoable step.
    fn commit(&mut self, step: Vec<Change>, now: &str) {
        self.apply(&step, now, false);
        self.history.record(step);
    }

    fn add_span(
        &mut self,
        doc_id: &str,
        (a, b): (usize, usize),
        label: Label,
        id: String,
        note: Option<String>,
        now: String,
    ) {
        let Some(d) = self.doc(doc_id) else { return };
        let Some((start, end)) = normalize_span(&d.ad.doc, a, b) else {
            self.notice = Some(Notice::error(
                "حدّد نصًا أولًا ثم اختر الوسم.",
                "Select some text first, then choose a label.",
            ));
            return;
        };
        if d.ad.has_span(start, end, label) {
            self.notice = Some(Notice::info(
                format!("هذا المقطع موسوم بـ«{}» من قبل.", label.arabic()),
                format!("This span is already tagged {}.", label.english()),
            ));
            return;
        }
        let quote = d.ad.doc.slice(start, end).to_string();
        let mut ann = Annotation::new(id.clone(), label, start, end, &now);
        ann.note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        self.commit(
            vec![Change {
                doc_id: doc_id.into(),
                before: None,
                after: Some(ann),
            }],
            &now,
        );
        self.selected = Some(Selected {
            doc_id: doc_id.into(),
            ann_id: id,
        });
        self.notice = Some(Notice::info(
            format!("أضيف {}: {}", label.arabic(), ellipsis(&quote)),
            format!("Added {}: {}", label.english(), ellipsis(&quote)),
        ));
    }

    /// Replaces the selected annotation by `edit` of it, as one step.
    fn edit_selected(&mut self, now: &str, edit: impl FnOnce(&mut Annotation)) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        let before = (**a).clone();
        let mut after = before.clone();
        edit(&mut after);
        if after == before {
            return;
        }
        let doc_id = d.id().to_string();
        let step = vec![Change {
            doc_id,
            before: Some(before),
            after: Some(after),
        }];
        self.commit(step, now);
    }

    fn move_edge(&mut self, edge: Edge, left: bool, now: &str) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        let forward = left == (d.ad.doc.dir == "rtl");
        let step = if forward { Step::Forward } else { Step::Backward };
        let Some((start, end)) = words::move_edge(d.ad.doc.text(), (a.start, a.end), edge, step) else {
            return;
        };
        self.respan_selected(start, end, now);
    }

    /// Gives the selected annotation a new span, unless the same span with
    /// the same label is already there.
    fn respan_selected(&mut self, start: usize, end: usize, now: &str) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        if d.ad.has_span(start, end, a.label) {
            return;
        }
        self.edit_selected(now, |a| {
            a.start = start;
            a.end = end;
            a.updated_at = now.to_string();
        });
    }

    fn set_edge(&mut self, edge: Edge, at: DomPoint, now: &str) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        let doc = &d.ad.doc;
        let cp = cp_of_point(doc, at);
        let (start, end) = match edge {
            Edge::Start if cp < a.end => (cp, a.end),
            Edge::End if cp > a.start => (a.start, cp),
            _ => return,
        };
        let Some((start, end)) = normalize_span(doc, start, end) else {
            return;
        };
        self.respan_selected(start, end, now);
    }

    /// Tags every other occurrence of the selected annotation's text.
    fn tag_all(&mut self, clitics: bool, id_base: &str, now: &str) {
        let Some((d, a)) = self.selected_annotation() else {
            return;
        };
        let quote = d.ad.doc.slice(a.start, a.end).to_string();
        let step: Vec<Change> = other_occurrences(&d.ad, a, clitics)
            .into_iter()
            .enumerate()
            .map(|(i, (s, e))| Change {
                doc_id: d.id().to_string(),
                before: None,
                after: Some(Annotation::new(format!("{id_base}-{i}"), a.label, s, e, now)),
            })
            .collect();
        let (n, label) = (step.len(), a.label);
        self.notice = Some(Notice::info(
            format!(
                "وُسم {n} من المواضع الأخرى لـ«{}» بـ{}.",
                ellipsis(&quote),
                label.arabic()
            ),
            format!(
                "Tagged {n} other occurrences of \"{}\" as {}.",
                ellipsis(&quote),
                label.english()
            ),
        ));
        self.commit(step, now);
    }

    fn delete_selected(&mut self, now: &str) {
        if let Some(sel) = self.selected.clone() {
            self.remove(&sel.doc_id, &sel.ann_id, now);
        }
    }

    fn remove(&mut self, doc_id: &str, ann_id: &str, now: &str) {
        let Some(a) = self.doc(doc_id).and_then(|d| d.ad.get(ann_id)) else {
            return;
        };
        let change = Change {
            doc_id: doc_id.to_string(),
            before: Some((**a).clone()),
            after: None,
        };
        self.commit(vec![change], now);
        if self.selected.as_ref().is_some_and(|s| s.ann_id == ann_id) {
            self.selected = None;
        }
    }

    /// Sets the note of an annotation (a step of its own).
    fn set_note(&mut self, doc_id: &str, ann_id: &str, note: Option<String>, now: &str) {
        let Some(a) = self.doc(doc_id).and_then(|d| d.ad.get(ann_id)) else {
            return;
        };
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        if a.note == note {
            return;
        }
        let mut after = (**a).clone();
        after.note = note;
        after.updated_at = now.to_string();
        let change = Change {
            doc_id: doc_id.to_string(),
            before: Some((**a).clone()),
            after: Some(after),
        };
        self.commit(vec![change], now);
    }

    /// Applies an undo or redo step and selects what it brought back.
    fn replay(&mut self, changes: Vec<Change>, now: &str) {
        self.apply(&changes, now, true);
        self.selected = changes.last().and_then(|c| {
            c.after.as_ref().map(|a| Selected {
                doc_id: c.doc_id.clone(),
                ann_id: a.id.clone(),
            })
        });
    }

    fn click(&mut self, doc_id: String, chain: Vec<String>) {
        let current = self
            .selected
            .as_ref()
            .filter(|s| s.doc_id == doc_id)
            .and_then(|s| chain.iter().position(|id| *id == s.ann_id));
        let next = match current {
            Some(i) => chain.get((i + 1) % chain.len()),
            None => chain.first(),
        };
        self.selected = next.map(|ann_id| Selected {
            doc_id,
            ann_id: ann_id.clone(),
        });
    }

    fn add_article(&mut self, text: &str, now: String) {
        let Some(draft) = parse_article(text) else {
            self.notice = Some(Notice::error(
                "النص فارغ: لا مقال لإضافته.",
                "The text is empty: no article to add.",
            ));
            return;
        };
        let probe = Document::new("", draft);
        let id = format!("doc-{}", crate::model::digest(probe.text()));
        if self.doc(&id).is_some() {
            self.notice = Some(Notice::info(
                "هذا المقال مفتوح من قبل.",
                "This article is already open.",
            ));
            return;
        }
        let doc = Document::from_text(id, probe.text());
        self.notice = Some(Notice::info(
            format!("أضيف المقال: {}", ellipsis(doc.title())),
            format!("Article added: {}", ellipsis(doc.title())),
        ));
        self.docs.push(DocEntry::new(
            AnnotatedDoc::new(Rc::new(doc), vec![]),
            Origin::User,
            Some(now),
        ));
    }

    fn import(&mut self, text: &str, mode: ImportMode, now: &str) {
        self.last_import = None;
        let shown: Vec<Shown> = self.docs.iter().map(|d| Shown { doc: &d.ad.doc }).collect();
        let parsed = import::parse_for(text, &self.labels);
        let plan = match parsed.and_then(|i| import::plan(i, &shown, now)) {
            Ok(plan) => plan,
            Err(e) => {
                self.notice = Some(Notice::error(
                    format!("تعذّر الاستيراد ولم يتغيّر شيء. {e}"),
                    format!("Import failed, nothing changed. {e}"),
                ));
                return;
            }
        };
        let (mut added, mut duplicates, mut removed) = (0, 0, 0);
        let mut step = vec![];
        for (doc_id, incoming) in &plan.existing {
            let Some(d) = self.doc(doc_id) else { continue };
            let current = d.ad.annotations();
            if mode == ImportMode::Replace {
                let kept: HashSet<&str> = incoming.iter().map(|x| x.id.as_str()).collect();
                for a in current.iter().filter(|a| !kept.contains(a.id.as_str())) {
                    removed += 1;
                    step.push(Change {
                        doc_id: doc_id.clone(),
                        before: Some((**a).clone()),
                        after: None,
                    });
                }
            }
            let by_id: HashMap<&str, &Rc<Annotation>> = current.iter().map(|a| (a.id.as_str(), a)).collect();
            // spans taken so far: what is there (when merging) and what came before in the input
            let mut spans: HashSet<(usize, usize, Label)> = match mode {
                ImportMode::Merge => current.iter().map(|a| (a.start, a.end, a.label)).collect(),
                ImportMode::Replace => HashSet::new(),
            };
            for a in incoming {
                let old = by_id.get(a.id.as_str()).map(|x| (***x).clone());
                let new_span = spans.insert((a.start, a.end, a.label));
                let duplicate = match mode {
                    ImportMode::Merge => old.is_some() || !new_span,
                    ImportMode::Replace => old.as_ref() == Some(a) || !new_span,
                };
                if duplicate {
                    duplicates += 1;
                    continue;
                }
                added += 1;
                step.push(Change {
                    doc_id: doc_id.clone(),
                    before: old,
                    after: Some(a.clone()),
                });
            }
        }
        let other_articles = if self.fixed_articles {
            plan.new_docs.len()
        } else {
            0
        };
        if added + duplicates + removed == 0 && other_articles > 0 {
            self.notice = Some(Notice::error(
                "لا شيء في المدخل لنص هذا المقال، ولم يتغيّر شيء.",
                "Nothing in the input is for this article's text; nothing changed.",
            ));
            return;
        }
        self.commit(step, now);
        let new_docs = if self.fixed_articles {
            0
        } else {
            plan.new_docs.len()
        };
        for (doc, anns) in plan.new_docs.into_iter().take(new_docs) {
            added += anns.len();
            self.docs.push(DocEntry::new(
                AnnotatedDoc::new(Rc::new(doc), anns),
                Origin::User,
                Some(now.to_string()),
            ));
        }
        let unknown: Vec<String> = plan
            .unknown_labels
            .iter()
            .map(|(l, n)| format!("{l} ({n})"))
            .collect();
        let skipped: usize = plan.unknown_labels.values().sum();
        let mut en = format!("Imported {added} annotations from {}", plan.format.name());
        let mut ar = format!("استُورد {added} من التوسيمات ({})", plan.format.name());
        if new_docs > 0 {
            en += &format!(", {new_docs} new articles");
            ar += &format!("، و{new_docs} من المقالات الجديدة");
        }
        if removed > 0 {
            en += &format!("; replaced: removed {removed}");
            ar += &format!("؛ واستُبدل: حُذف {removed}");
        }
        if duplicates > 0 {
            en += &format!("; skipped {duplicates} duplicates");
            ar += &format!("؛ وتُخطّي {duplicates} من المكرر");
        }
        if skipped > 0 {
            en += &format!("; skipped {skipped} with unknown labels: {}", unknown.join(", "));
            ar += &format!("؛ وتُخطّي {skipped} بوسوم غير معروفة: {}", unknown.join("، "));
        }
        self.notice = Some(Notice::info(ar + ".", en + "."));
        self.last_import = Some(ImportSummary {
            format: plan.format.name(),
            added,
            duplicates,
            removed,
            new_docs,
            other_articles,
            unknown_labels: plan.unknown_labels.into_iter().collect(),
        });
    }

    fn clear(&mut self, doc_id: &str, now: &str) {
        let Some(d) = self.doc(doc_id) else { return };
        let step =
            d.ad.annotations()
                .iter()
                .map(|a| Change {
                    doc_id: doc_id.to_string(),
                    before: Some((**a).clone()),
                    after: None,
                })
                .collect();
        self.selected = None;
        self.commit(step, now);
    }

    /// Takes in what another tab stored: per annotation the latest change
    /// wins and tombstones keep deletions. Not an undoable step of this tab.
    fn remote(&mut self, doc_id: &str, stored: Option<StoredDoc>) {
        let Some(stored) = stored else {
            let before = self.docs.len();
            self.docs.retain(|d| d.id() != doc_id || d.origin != Origin::User);
            if self.docs.len() != before {
                self.history.forget_doc(doc_id);
                self.notice = Some(Notice::info(
                    "أُزيل مقال في نافذة أخرى.",
                    "An article was removed in another tab.",
                ));
            }
            return;
        };
        if self.doc(doc_id).is_none() {
            if let (Origin::User, Some(text)) = (stored.origin, &stored.text) {
                let doc = Document::from_text(doc_id, text);
                let r = restore(&doc, &stored);
                let mut entry = DocEntry::new(
                    AnnotatedDoc::new(Rc::new(doc), r.annotations),
                    Origin::User,
                    stored.added_at.clone(),
                );
                entry.tombstones = Rc::new(stored.tombstones.clone());
                entry.orphans = Rc::new(r.orphans);
                self.docs.push(entry);
            }
            return;
        }
        let d = self.doc_mut(doc_id).expect("checked");
        let r = restore(&d.ad.doc, &stored);
        let local: Vec<Annotation> = d.ad.annotations().iter().map(|a| (**a).clone()).collect();
        let (live, dead) = merge(
            Version {
                annotations: &local,
                tombstones: &d.tombstones,
            },
            Version {
                annotations: &r.annotations,
                tombstones: &stored.tombstones,
            },
        );
        d.ad.replace_all(&live);
        if *d.tombstones != dead {
            d.tombstones = Rc::new(dead);
        }
        let new_orphans: Vec<Orphan> = r
            .orphans
            .into_iter()
            .filter(|o| !d.orphans.iter().any(|x| x.annotation.id == o.annotation.id))
            .collect();
        if !new_orphans.is_empty() {
            Rc::make_mut(&mut d.orphans).extend(new_orphans);
        }
        if let Some(sel) = &self.selected {
            if sel.doc_id == doc_id && self.doc(doc_id).and_then(|d| d.ad.get(&sel.ann_id)).is_none() {
                self.selected = None;
            }
        }
    }

    fn remove_article(&mut self, doc_id: &str) {
        let before = self.docs.len();
        self.docs.retain(|d| d.id() != doc_id || d.origin != Origin::User);
        if self.docs.len() == before {
            return;
        }
        self.history.forget_doc(doc_id);
        if self.selected.as_ref().is_some_and(|s| s.doc_id == doc_id) {
            self.selected = None;
        }
        self.notice = Some(Notice::info(
            "حُذف المقال وتوسيماته.",
            "The article and its annotations were removed.",
        ));
    }
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
                self.add_span(&doc_id, span, label, id, None, now);
            }
            Action::AddSpan {
                doc_id,
                start,
                end,
                label,
                id,
                note,
                now,
            } => self.add_span(&doc_id, (start, end), label, id, note, now),
            Action::Click { doc_id, chain } => self.click(doc_id, chain),
            Action::Select(sel) => self.selected = sel,
            Action::Relabel { label, now } => self.edit_selected(&now, |a| {
                if a.label != label {
                    a.label = label;
                    a.updated_at = now.clone();
                }
            }),
            Action::SetNote { note, now } => {
                let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
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
                None => self.notice = Some(Notice::info("لا شيء للتراجع عنه.", "Nothing to undo.")),
            },
            Action::Redo { now } => match self.history.redo() {
                Some(changes) => self.replay(changes, &now),
                None => self.notice = Some(Notice::info("لا شيء لإعادته.", "Nothing to redo.")),
            },
            Action::Import { text, mode, now } => self.import(&text, mode, &now),
            Action::Remote { doc_id, stored } => self.remote(&doc_id, stored.map(|s| *s)),
            Action::AddArticle { text, now } => self.add_article(&text, now),
            Action::AskRemove(doc_id) => self.confirming_removal = Some(doc_id),
            Action::CancelRemove => self.confirming_removal = None,
            Action::ConfirmRemove => {
                if let Some(doc_id) = self.confirming_removal.take() {
                    self.remove_article(&doc_id);
                }
            }
            Action::Notify(n) => self.notice = Some(n),
            Action::DismissNotice => self.notice = None,
            Action::StorageProblem(p) => self.storage_problem = p,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::bundled;

    fn state() -> AppState {
        let docs = bundled()
            .into_iter()
            .map(|d| DocEntry::new(AnnotatedDoc::new(Rc::new(d), vec![]), Origin::Bundled, None))
            .collect();
        AppState::new(docs, None)
    }

    fn find(s: &AppState, doc: usize, needle: &str) -> (usize, usize) {
        let text = s.docs[doc].ad.doc.text();
        let b = text.find(needle).unwrap();
        let start = text[..b].chars().count();
        (start, start + needle.chars().count())
    }

    fn add(s: &mut AppState, doc: usize, needle: &str, label: Label, id: &str) {
        let (start, end) = find(s, doc, needle);
        let doc_id = s.docs[doc].id().to_string();
        s.reduce_in_place(Action::AddSpan {
            doc_id,
            start,
            end,
            label,
            id: id.into(),
            note: None,
            now: "t0".into(),
        });
    }

    fn quotes(s: &AppState, doc: usize) -> Vec<(String, Label)> {
        let d = &s.docs[doc].ad;
        d.annotations()
            .iter()
            .map(|a| (d.doc.slice(a.start, a.end).to_string(), a.label))
            .collect()
    }

    #[test]
    fn tagging_nesting_and_undo_redo_of_every_change() {
        let mut s = state();
        add(&mut s, 0, "جون كيري", Label::PERSON, "p");
        add(&mut s, 0, "موسكو", Label::PLACE, "m");
        add(
            &mut s,
            0,
            "يتوجه وزير الخارجية الأميركي جون كيري الخميس إلى موسكو",
            Label::CLAIM,
            "c",
        );
        assert_eq!(quotes(&s, 0)[0].1, Label::CLAIM);
        assert_eq!(quotes(&s, 0).len(), 3);
        assert!(s.docs[1].ad.annotations().is_empty());
        assert_eq!(s.selected.as_ref().unwrap().ann_id, "c");

        s.reduce_in_place(Action::Relabel {
            label: Label::PERSON,
            now: "t1".into(),
        });
        s.reduce_in_place(Action::SetNote {
            note: "  مصدر؟ ".into(),
            now: "t2".into(),
        });
        let c = s.docs[0].ad.get("c").unwrap();
        assert_eq!(
            (c.label, c.note.as_deref(), c.updated_at.as_str()),
            (Label::PERSON, Some("مصدر؟"), "t2")
        );
        s.reduce_in_place(Action::DeleteSelected { now: "t3".into() });
        assert!(s.docs[0].ad.get("c").is_none());

        for _ in 0..3 {
            s.reduce_in_place(Action::Undo { now: "t4".into() });
        }
        let c = s.docs[0].ad.get("c").unwrap();
        assert_eq!((c.label, c.note.clone()), (Label::CLAIM, None));
        s.reduce_in_place(Action::Undo { now: "t4".into() });
        assert!(s.docs[0].ad.get("c").is_none());
        for _ in 0..4 {
            s.reduce_in_place(Action::Redo { now: "t5".into() });
        }
        assert!(s.docs[0].ad.get("c").is_none());
        s.reduce_in_place(Action::Redo { now: "t5".into() });
        assert_eq!(s.notice.as_ref().unwrap().en, "Nothing to redo.");
    }

    #[test]
    fn dom_points_count_utf16_in_a_block_and_are_trimmed() {
        let mut s = state();
        let d = &s.docs[0].ad.doc;
        let para = &d.blocks[1].text;
        let b = para.find(" موسكو ").unwrap();
        let u = para[..b].encode_utf16().count();
        s.reduce_in_place(Action::Tag {
            doc_id: "kerry-moscow-visit".into(),
            anchor: DomPoint {
                block: 1,
                utf16: u + 7,
            },
            focus: DomPoint { block: 1, utf16: u },
            label: Label::PLACE,
            id: "m".into(),
            snap: false,
            now: "t".into(),
        });
        assert_eq!(quotes(&s, 0), vec![("موسكو".to_string(), Label::PLACE)]);
    }

    #[test]
    fn duplicates_and_blank_selections_are_refused_but_two_labels_may_share_a_span() {
        let mut s = state();
        add(&mut s, 0, "موسكو", Label::PLACE, "a");
        add(&mut s, 0, "موسكو", Label::PLACE, "b");
        assert_eq!(quotes(&s, 0).len(), 1);
        add(&mut s, 0, "موسكو", Label::CLAIM, "c");
        assert_eq!(quotes(&s, 0).len(), 2);
        add(&mut s, 0, " ", Label::CLAIM, "d");
        assert_eq!(s.notice.as_ref().unwrap().kind, NoticeKind::Error);
        assert_eq!(quotes(&s, 0).len(), 2);
    }

    #[test]
    fn clicking_selects_innermost_then_cycles_outward() {
        let mut s = state();
        let click = |s: &mut AppState| {
            s.reduce_in_place(Action::Click {
                doc_id: "kerry-moscow-visit".into(),
                chain: vec!["p".into(), "c".into()],
            });
            s.selected.as_ref().unwrap().ann_id.clone()
        };
        s.selected = None;
        assert_eq!(click(&mut s), "p");
        assert_eq!(click(&mut s), "c");
        assert_eq!(click(&mut s), "p");
    }

    #[test]
    fn user_articles_are_added_once_and_removed_after_confirmation() {
        let mut s = state();
        let text = "عنوان <b>جريء</b>\n\nفقرة <script>x</script>".to_string();
        s.reduce_in_place(Action::AddArticle {
            text: text.clone(),
            now: "t".into(),
        });
        assert_eq!(s.docs.len(), 3);
        let id = s.docs[2].id().to_string();
        assert!(id.starts_with("doc-"));
        assert_eq!(s.docs[2].ad.doc.title(), "عنوان <b>جريء</b>");
        s.reduce_in_place(Action::AddArticle {
            text,
            now: "t".into(),
        });
        assert_eq!(s.docs.len(), 3);
        add(&mut s, 2, "فقرة", Label::CLAIM, "x");
        s.reduce_in_place(Action::AskRemove(id.clone()));
        s.reduce_in_place(Action::CancelRemove);
        s.reduce_in_place(Action::ConfirmRemove);
        assert_eq!(s.docs.len(), 3);
        s.reduce_in_place(Action::AskRemove(id));
        s.reduce_in_place(Action::ConfirmRemove);
        assert_eq!(s.docs.len(), 2);
        assert!(!s.history.can_undo());
        // bundled articles cannot be removed
        s.reduce_in_place(Action::AskRemove("kerry-moscow-visit".into()));
        s.reduce_in_place(Action::ConfirmRemove);
        assert_eq!(s.docs.len(), 2);
    }

    #[test]
    fn the_embed_api_actions_are_each_one_undoable_step() {
        let mut s = state();
        let doc_id = s.docs[0].id().to_string();
        let (start, end) = find(&s, 0, "جون كيري");
        s.reduce_in_place(Action::AddSpan {
            doc_id: doc_id.clone(),
            start,
            end,
            label: Label::PERSON,
            id: "k".into(),
            note: Some("  وزير  ".into()),
            now: "t1".into(),
        });
        assert_eq!(s.docs[0].ad.get("k").unwrap().note.as_deref(), Some("وزير"));
        add(&mut s, 0, "موسكو", Label::PLACE, "m");
        let note = |s: &AppState| s.docs[0].ad.get("m").and_then(|a| a.note.clone());
        s.reduce_in_place(Action::Annotate {
            doc_id: doc_id.clone(),
            ann_id: "m".into(),
            note: Some("عاصمة".into()),
            now: "t2".into(),
        });
        assert_eq!(note(&s).as_deref(), Some("عاصمة"));
        s.reduce_in_place(Action::Remove {
            doc_id: doc_id.clone(),
            ann_id: "k".into(),
            now: "t3".into(),
        });
        assert!(s.docs[0].ad.get("k").is_none());
        assert_eq!(s.docs[0].tombstones.len(), 1, "a removal leaves a tombstone");
        s.reduce_in_place(Action::Clear {
            doc_id: doc_id.clone(),
            now: "t4".into(),
        });
        assert!(s.docs[0].ad.annotations().is_empty());
        s.reduce_in_place(Action::Undo { now: "t5".into() });
        assert_eq!(
            quotes(&s, 0),
            vec![("موسكو".to_string(), Label::PLACE)],
            "clear is one step"
        );
        s.reduce_in_place(Action::Undo { now: "t6".into() });
        assert!(s.docs[0].ad.get("k").is_some(), "remove is one step");
        s.reduce_in_place(Action::Undo { now: "t7".into() });
        assert_eq!(note(&s), None, "a note is one step");
    }

    #[test]
    fn a_widgets_labels_filter_imports_and_its_article_is_never_joined_by_others() {
        let mut s = state();
        let org = Label::named("organisation").unwrap();
        s.reduce_in_place(Action::SetLabels(LabelSet::new(vec![Label::PERSON, org])));
        s.fixed_articles = true;
        let text = s.docs[0].ad.doc.text().to_string();
        let (a, b) = find(&s, 0, "جون كيري");
        let (c, d) = find(&s, 0, "موسكو");
        let line = |t: &str| {
            serde_json::json!({"text": t, "label": [[a, b, "PER"], [c, d, "LOC"], [c, d, "organisation"]]})
                .to_string()
        };
        let other = line(&"نص آخر لا يظهر في الصفحة. ".repeat(20));
        s.reduce_in_place(Action::Import {
            text: format!("{}\n{}", line(&text), other),
            mode: ImportMode::Merge,
            now: "t1".into(),
        });
        let summary = s.last_import.clone().unwrap_or_else(|| panic!("{:?}", s.notice));
        assert_eq!(
            (summary.added, summary.other_articles, summary.new_docs),
            (2, 1, 0)
        );
        assert_eq!(summary.unknown_labels, vec![("LOC".to_string(), 2)]);
        assert_eq!(s.docs.len(), 2, "no article added");
        let labels: Vec<Label> = s.docs[0].ad.annotations().iter().map(|a| a.label).collect();
        assert_eq!(labels, vec![Label::PERSON, org]);
        s.reduce_in_place(Action::Import {
            text: other,
            mode: ImportMode::Merge,
            now: "t2".into(),
        });
        assert_eq!(
            s.last_import, None,
            "an import only for other articles is refused"
        );
        assert_eq!(s.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Error));
    }

    fn tag_points(s: &mut AppState, needle: &str, from: usize, to: usize, snap: bool, id: &str) {
        let para = s.docs[0].ad.doc.blocks[1].text.clone();
        let at = para.find(needle).unwrap();
        let u = para[..at].encode_utf16().count();
        s.reduce_in_place(Action::Tag {
            doc_id: s.docs[0].id().to_string(),
            anchor: DomPoint {
                block: 1,
                utf16: u + from,
            },
            focus: DomPoint {
                block: 1,
                utf16: u + to,
            },
            label: Label::PLACE,
            id: id.into(),
            snap,
            now: "t".into(),
        });
    }

    #[test]
    fn a_snapped_selection_grows_to_whole_words_and_alt_keeps_letters() {
        let mut s = state();
        // from inside «موسكو» to inside it again: the whole word
        tag_points(&mut s, "موسكو", 2, 4, true, "w");
        assert_eq!(quotes(&s, 0), vec![("موسكو".to_string(), Label::PLACE)]);
        tag_points(&mut s, "موسكو", 1, 3, false, "p");
        let texts: Vec<String> = quotes(&s, 0).into_iter().map(|(q, _)| q).collect();
        assert!(texts.contains(&"وس".to_string()), "precise: {texts:?}");
    }

    #[test]
    fn clitic_edges_move_by_one_letter_in_the_visual_direction() {
        let mut s = state();
        // «للنرويج» (to Norway) is in the second article: ل + ل(ا)نرويج
        let text = s.docs[1].ad.doc.text().to_string();
        let at = text.find("للنرويج").expect("the seed says للنرويج");
        let start = text[..at].chars().count();
        s.reduce_in_place(Action::AddSpan {
            doc_id: s.docs[1].id().to_string(),
            start,
            end: start + 7,
            label: Label::PLACE,
            id: "m".into(),
            note: None,
            now: "t".into(),
        });
        // in right-to-left text ArrowLeft moves forward in reading order
        s.reduce_in_place(Action::MoveEdge {
            edge: Edge::Start,
            left: true,
            now: "t1".into(),
        });
        assert_eq!(quotes(&s, 1), vec![("لنرويج".to_string(), Label::PLACE)]);
        s.reduce_in_place(Action::MoveEdge {
            edge: Edge::End,
            left: false,
            now: "t2".into(),
        });
        assert_eq!(
            quotes(&s, 1),
            vec![("لنروي".to_string(), Label::PLACE)],
            "ArrowRight: end edge backward"
        );
        s.reduce_in_place(Action::MoveEdge {
            edge: Edge::Start,
            left: false,
            now: "t3".into(),
        });
        assert_eq!(quotes(&s, 1), vec![("للنروي".to_string(), Label::PLACE)]);
        s.reduce_in_place(Action::Undo { now: "t4".into() });
        assert_eq!(
            quotes(&s, 1),
            vec![("لنروي".to_string(), Label::PLACE)],
            "each move is one step"
        );
    }

    #[test]
    fn tag_all_adds_the_other_whole_word_occurrences_as_one_step() {
        let mut s = state();
        add(&mut s, 0, "موسكو", Label::PLACE, "m");
        let expected = other_occurrences(&s.docs[0].ad, &s.docs[0].ad.get("m").unwrap().clone(), false).len();
        assert!(expected >= 1, "the seed article names Moscow more than once");
        s.reduce_in_place(Action::TagAll {
            clitics: false,
            id_base: "all".into(),
            now: "t".into(),
        });
        let places = quotes(&s, 0)
            .into_iter()
            .filter(|(q, l)| q == "موسكو" && *l == Label::PLACE)
            .count();
        assert_eq!(places, expected + 1);
        assert!(other_occurrences(&s.docs[0].ad, &s.docs[0].ad.get("m").unwrap().clone(), false).is_empty());
        s.reduce_in_place(Action::Undo { now: "t2".into() });
        assert_eq!(quotes(&s, 0).len(), 1, "one undo removes them all");
    }

    #[test]
    fn tab_walks_annotations_in_reading_order_and_stops_at_the_ends() {
        let mut s = state();
        let id = s.docs[0].id().to_string();
        assert_eq!(s.neighbour(&id, true), None, "nothing to walk");
        add(&mut s, 0, "موسكو", Label::PLACE, "m");
        add(&mut s, 0, "جون كيري", Label::PERSON, "k");
        s.selected = None;
        let first = s.neighbour(&id, true).unwrap();
        s.selected = Some(first.clone());
        let second = s.neighbour(&id, true).unwrap();
        assert_ne!(first.ann_id, second.ann_id);
        s.selected = Some(second.clone());
        assert_eq!(
            s.neighbour(&id, true),
            None,
            "past the last: Tab leaves the article"
        );
        assert_eq!(s.neighbour(&id, false), Some(first));
    }
}
