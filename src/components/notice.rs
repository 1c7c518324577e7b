//! The status line: the last message, and storage trouble that stays.

use super::ui::use_ui;
use super::Dispatch;
use crate::state::{Action, Notice, NoticeKind};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub notice: Option<Notice>,
    pub storage_problem: Option<Notice>,
    pub dispatch: Dispatch,
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
    let dismiss = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::DismissNotice))
    };
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
                    <button class="quiet" onclick={dismiss} aria-label={ui.t("إغلاق الرسالة", "Dismiss")}>{"×"}</button>
                }
            </div>
        </div>
    }
}
