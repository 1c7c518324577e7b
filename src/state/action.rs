//! What can happen to the state: the actions, and the small values they
//! carry (a selected annotation, a DOM point, an import mode, a notice).

use crate::formats::import::Plan;
use crate::formats::stored::StoredDoc;
use crate::model::words::Edge;
use crate::model::{ClaimRecord, Label, LabelSet, RelationKind, VerdictSet};

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
        /// A claim's verdict and source, checked like those set later.
        claim: ClaimRecord,
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
        /// An id and a time, for the link a click makes while linking.
        new_id: String,
        now: String,
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
    /// Give the selected claim a verdict (`None` clears it).
    SetVerdict {
        verdict: Option<String>,
        now: String,
    },
    /// Give the selected claim its evidence link (empty clears it).
    SetSource {
        source: String,
        now: String,
    },
    /// Link claim `from` to annotation `to` (its speaker, or what it is about).
    Link {
        doc_id: String,
        from: String,
        kind: RelationKind,
        to: String,
        id: String,
        now: String,
    },
    Unlink {
        doc_id: String,
        rel_id: String,
        now: String,
    },
    /// A host's list of verdicts.
    SetVerdicts(VerdictSet),
    /// Start linking the selected claim (the next click, or Tab and Enter).
    StartLink(RelationKind),
    /// Move to the next (or previous) candidate end of the link.
    LinkStep {
        forward: bool,
    },
    /// Link the candidate the keys are on.
    LinkConfirm {
        new_id: String,
        now: String,
    },
    CancelLink,
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
    /// Import what was already read and planned (the embed API reads once,
    /// weighs the plan, then dispatches it).
    ImportPlan {
        plan: Box<Plan>,
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
    /// Removes the article asked about, as an undoable step.
    ConfirmRemove,
    /// Shows this article (the workspace shows one at a time).
    Show(String),
    /// Shows the first article (an address that names none).
    ShowFirst,
    /// Puts the articles in another tab's order (not a step of this tab).
    Arrange(Vec<String>),
    /// Shows the next (or previous) article, or the next that is not done.
    ShowNext {
        forward: bool,
        undone_only: bool,
    },
    /// Marks an article done or not, as an undoable step.
    SetDone {
        doc_id: String,
        done: bool,
    },
    /// Moves an article one place down (or up) the list, as an undoable step.
    MoveArticle {
        doc_id: String,
        down: bool,
    },
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
