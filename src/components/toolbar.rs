//! The toolbar: label buttons, undo/redo and export.

use super::{tag_selection, Dispatch};
use crate::browser::{clock, dom};
use crate::formats::export::export_json;
use crate::model::Label;
use crate::state::{Action, AppState, Notice};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub state: UseReducerHandle<AppState>,
    pub dispatch: Dispatch,
}

/// Keeps the text selection alive when a toolbar button is pressed.
fn keep_selection() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| e.prevent_default())
}

pub const EXPORT_FILE: &str = "hashiya-annotations.json";

#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let d = &props.dispatch;
    let label_button = |label: Label, key: usize| {
        let d = d.clone();
        let onclick = Callback::from(move |_| tag_selection(&d, label));
        html! {
            <button data-label={label.key()} onmousedown={keep_selection()} {onclick}
                title={format!("{} — key {}", label.english(), key)}>
                <span class="swatch" aria-hidden="true"></span>{label.arabic()}
            </button>
        }
    };
    let simple = |action: Action| {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(action.clone()))
    };
    let export = {
        let (state, d) = (props.state.clone(), d.clone());
        Callback::from(move |_| {
            let json = export_json(state.docs.iter().map(|e| &e.ad), &clock::now_iso());
            if dom::download(EXPORT_FILE, &json, "application/json").is_err() {
                d.dispatch(Action::Notify(Notice::error(
                    "تعذّر التنزيل.",
                    "The download failed.",
                )));
            }
        })
    };
    let copy = {
        let (state, d) = (props.state.clone(), d.clone());
        Callback::from(move |_| {
            let json = export_json(state.docs.iter().map(|e| &e.ad), &clock::now_iso());
            let d = d.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let notice = match dom::copy(&json).await {
                    Ok(()) => Notice::info("نُسخ JSON إلى الحافظة.", "JSON copied to the clipboard."),
                    Err(_) => Notice::error(
                        "تعذّر النسخ إلى الحافظة؛ استعمل زر التصدير.",
                        "Could not copy to the clipboard; use Export instead.",
                    ),
                };
                d.dispatch(Action::Notify(notice));
            });
        })
    };
    let history = &props.state.history;
    html! {
        <div class="toolbar" role="toolbar" aria-label="أدوات التوسيم">
            <div class="group labels">
                { label_button(Label::Person, 1) }
                { label_button(Label::Place, 2) }
                { label_button(Label::Claim, 3) }
            </div>
            <div class="group">
                <button data-action="undo" onmousedown={keep_selection()} onclick={simple(Action::Undo)}
                    disabled={!history.can_undo()} title="Undo — Ctrl+Z">{"تراجع"}</button>
                <button data-action="redo" onmousedown={keep_selection()} onclick={simple(Action::Redo)}
                    disabled={!history.can_redo()} title="Redo — Ctrl+Shift+Z / Ctrl+Y">{"إعادة"}</button>
            </div>
            <div class="group">
                <button data-action="export-json" onclick={export} title="Export JSON (download)">{"تصدير JSON"}</button>
                <button data-action="copy-json" onclick={copy} title="Copy JSON to the clipboard">{"نسخ JSON"}</button>
            </div>
        </div>
    }
}
