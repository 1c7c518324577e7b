//! An annotator's first state: its articles with what storage holds for
//! them, and what the element's `src` file or a host's list brought along.

use super::{AnnotatorProps, Content, NewAnnotation, Storage};
use crate::browser::clock;
use crate::browser::storage::{self, Snapshot};
use crate::components::notice::show_load_notices;
use crate::components::stamp;
use crate::formats::stored::Origin;
use crate::model::AnnotatedDoc;
use crate::state::{Action, AppState, DocEntry, ImportMode, Notice, NoticeKind};

pub(super) fn initial_state(props: &AnnotatorProps, start: &Snapshot) -> AppState {
    let now = clock::now_iso();
    let (docs, notices) = match &props.content {
        Content::Workspace(bundled) => storage::load(bundled.to_vec(), &now, start),
        Content::Article(doc) if props.storage == Storage::Local => {
            let (entry, notices) = storage::load_article((**doc).clone(), &now, start);
            (vec![entry], notices)
        }
        Content::Article(doc) => {
            let ad = AnnotatedDoc::new(doc.clone(), vec![]);
            (vec![DocEntry::new(ad, Origin::Bundled, None)], vec![])
        }
    };
    let mut state = AppState::new(docs, None);
    if let Content::Workspace(_) = props.content {
        // the article the address names, when there is one by that id
        state.current = super::workspace::doc_in_hash().filter(|id| state.doc(id).is_some());
    }
    state.labels = props.labels.clone();
    state.verdicts = props.verdicts.clone();
    if let Content::Article(_) = props.content {
        state.fixed_articles = true;
        take_in_what_came(&mut state, props);
    }
    show_load_notices(&mut state, notices);
    if props.storage == Storage::Local && !storage::available() {
        state.storage_problem = Some(storage::unavailable_notice());
    }
    state
}

/// The annotations the article came with (a Hashiya JSON `src`, a host's
/// `annotations`), taken in when none are stored yet. They are where its
/// history starts: the first undo does not take them away.
fn take_in_what_came(state: &mut AppState, props: &AnnotatorProps) {
    if !state.docs[0].ad.annotations().is_empty() {
        return;
    }
    if let Some(json) = &props.carried {
        state.reduce_in_place(stamp(|now| Action::Import {
            text: json.to_string(),
            mode: ImportMode::Merge,
            now,
        }));
    }
    if let Some(list) = &props.annotations {
        match replacing(state, list) {
            Ok(action) => state.reduce_in_place(action),
            Err(notice) => state.notice = Some(notice),
        }
    }
    state.history = Default::default();
    state.notice = state.notice.take().filter(|n| n.kind == NoticeKind::Error);
}

/// The step that makes `list` the article's annotations, or the error the
/// user is shown when the list cannot be taken (nothing changes then).
pub(super) fn replacing(state: &AppState, list: &[NewAnnotation]) -> Result<Action, Notice> {
    let json = serde_json::to_string(list).unwrap_or_default();
    let now = clock::now_iso();
    match state.plan_list(&json, clock::new_id, &now) {
        Ok(plan) => Ok(Action::ImportPlan {
            plan: Box::new(plan),
            mode: ImportMode::Replace,
            now,
        }),
        Err(why) => Err(Notice::error(
            format!("لم تُستعمل قائمة التوسيمات التي أعطاها الموقع، ولم يتغيّر شيء: {why}"),
            format!("The annotations the host gave were not used, nothing changed: {why}"),
        )),
    }
}
