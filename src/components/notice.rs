//! The status line: the last message, and storage trouble that stays.

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
    let dismiss = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::DismissNotice))
    };
    html! {
        <div class="notices">
            if let Some(p) = &props.storage_problem {
                <div class="notice persistent" role="alert" data-role="storage-problem" data-kind={kind(p)} title={p.en.clone()}>
                    {&p.ar}
                </div>
            }
            <div class="notice" role="status" aria-live="polite" data-role="notice"
                data-kind={props.notice.as_ref().map(kind)} title={props.notice.as_ref().map(|n| n.en.clone())}>
                if let Some(n) = &props.notice {
                    <span>{&n.ar}</span>
                    <button class="quiet" onclick={dismiss} aria-label="إغلاق الرسالة" title="Dismiss">{"×"}</button>
                }
            </div>
        </div>
    }
}
