//! The status line: the last message, and storage trouble that stays.

use super::ui::use_ui;
use crate::browser::storage;
use crate::state::{AppState, Notice, NoticeKind};
use yew::prelude::*;

/// What loading the articles had to say: an error while there is no storage
/// stays on screen as the storage problem; of the rest, the last is shown.
pub fn show_load_notices(state: &mut AppState, notices: Vec<Notice>) {
    for n in notices {
        match n.kind {
            NoticeKind::Error if !storage::available() => state.storage_problem = Some(n),
            _ => state.notice = Some(n),
        }
    }
}

#[derive(Properties)]
pub struct NoticeProps {
    pub notice: Option<Notice>,
    pub storage_problem: Option<Notice>,
    pub ondismiss: Callback<MouseEvent>,
}

impl PartialEq for NoticeProps {
    fn eq(&self, other: &Self) -> bool {
        // the callback is made anew on each parent render but always does
        // the same (dismiss): comparing it would redraw the bar every time
        self.notice == other.notice && self.storage_problem == other.storage_problem
    }
}

fn kind(n: &Notice) -> &'static str {
    match n.kind {
        NoticeKind::Info => "info",
        NoticeKind::Error => "error",
    }
}

#[function_component]
pub fn NoticeBar(props: &NoticeProps) -> Html {
    let ui = use_ui();
    html! {
        <div class="notices">
            if let Some(p) = &props.storage_problem {
                <div class="notice persistent" role="alert" data-role="storage-problem" data-kind={kind(p)} title={ui.notice_other(p).to_string()}>
                    {ui.notice(p)}
                </div>
            }
            <div class="notice" role="status" aria-live="polite" data-role="notice"
                data-kind={props.notice.as_ref().map(kind)} title={props.notice.as_ref().map(|n| ui.notice_other(n).to_string())}>
                if let Some(n) = &props.notice {
                    <span>{ui.notice(n)}</span>
                    <button class="quiet" onclick={props.ondismiss.clone()} aria-label={ui.t("إغلاق الرسالة", "Dismiss")}>{"×"}</button>
                }
            </div>
        </div>
    }
}
