//! What the demo page (app.rs) and the widget (widget.rs) draw alike: the
//! notices, a section per article, and the list of keys while it is open.

use super::article::ArticleView;
use super::emphasis::Emphasis;
use super::help::Help;
use super::notice::NoticeBar;
use super::panel::Panel;
use super::Dispatch;
use crate::state::{Action, AppState};
use yew::prelude::*;

/// The status line of `state`.
pub fn notice_bar(state: &AppState, dispatch: &Dispatch) -> Html {
    html! {
        <NoticeBar notice={state.notice.clone()} storage_problem={state.storage_problem.clone()}
            ondismiss={dispatch.to_callback().reform(|_| Action::DismissNotice)} />
    }
}

/// A section for each article of `state` (the text, and beside it the panel
/// of its annotations), or for the one shown when `one_at_a_time` (the
/// workspace); then the list of keys if it is open.
pub fn articles(state: &AppState, dispatch: &Dispatch, one_at_a_time: bool) -> Html {
    let selected = state
        .selected_annotation()
        .map(|(d, a)| (d.id().to_string(), a.clone()));
    let shown: Vec<&crate::state::DocEntry> = match one_at_a_time {
        true => state.current_doc().into_iter().collect(),
        false => state.docs.iter().collect(),
    };
    let sections = shown.into_iter().map(|entry| {
        let mine = selected.as_ref().filter(|(id, _)| id == entry.id()).map(|(_, a)| a.clone());
        let linking = state.linking.as_ref().filter(|l| l.doc_id == entry.id());
        let emphasis = Emphasis::of(&entry.ad, mine.as_ref(), linking);
        let linking_kind = linking.map(|l| l.kind);
        let confirming = state.confirming_removal.as_deref() == Some(entry.id());
        html! {
            <section class="doc" key={entry.id().to_string()} data-doc-id={entry.id().to_string()}>
                <ArticleView ad={entry.ad.clone()} selected={mine.clone()} {emphasis} dispatch={dispatch.clone()} />
                <Panel entry={entry.clone()} selected={mine} {linking_kind} confirming_removal={confirming} dispatch={dispatch.clone()} />
            </section>
        }
    });
    html! {
        <>
            { for sections }
            if state.help_open {
                <Help onclose={dispatch.to_callback().reform(|_| Action::Help(false))} />
            }
        </>
    }
}
