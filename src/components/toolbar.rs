//! The toolbar: label buttons, undo/redo and export.

use super::{tag_selection, Dispatch};
use crate::browser::{clock, dom};
use crate::formats::export::export_json;
use crate::formats::jsonl::export_jsonl;
use crate::formats::w3c::export_w3c;
use crate::model::Label;
use crate::state::{Action, AppState, DocEntry, Notice};
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

/// The three export formats and their files.
#[derive(Clone, Copy)]
pub enum ExportFormat {
    Hashiya,
    W3c,
    Jsonl,
}

impl ExportFormat {
    fn file(self) -> (&'static str, &'static str) {
        match self {
            ExportFormat::Hashiya => ("hashiya-annotations.json", "application/json"),
            ExportFormat::W3c => ("hashiya-annotations.w3c.jsonld", "application/ld+json"),
            ExportFormat::Jsonl => ("hashiya-annotations.jsonl", "application/x-ndjson"),
        }
    }

    fn render(self, docs: &[DocEntry]) -> String {
        match self {
            ExportFormat::Hashiya => {
                export_json(docs.iter().map(|e| (&e.ad, &e.orphans[..])), &clock::now_iso())
            }
            ExportFormat::W3c => export_w3c(docs.iter().map(|e| &e.ad)),
            ExportFormat::Jsonl => export_jsonl(docs.iter().map(|e| &e.ad)),
        }
    }
}

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
    let timed = |action: fn(String) -> Action| {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(action(clock::now_iso())))
    };
    let export = |format: ExportFormat| {
        let (state, d) = (props.state.clone(), d.clone());
        Callback::from(move |_| {
            let (name, mime) = format.file();
            if dom::download(name, &format.render(&state.docs), mime).is_err() {
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
            let json = ExportFormat::Hashiya.render(&state.docs);
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
                <button data-action="undo" onmousedown={keep_selection()} onclick={timed(|now| Action::Undo { now })}
                    disabled={!history.can_undo()} title="Undo — Ctrl+Z">{"تراجع"}</button>
                <button data-action="redo" onmousedown={keep_selection()} onclick={timed(|now| Action::Redo { now })}
                    disabled={!history.can_redo()} title="Redo — Ctrl+Shift+Z / Ctrl+Y">{"إعادة"}</button>
            </div>
            <div class="group">
                <button data-action="export-json" onclick={export(ExportFormat::Hashiya)} title="Export Hashiya JSON (download)">{"تصدير JSON"}</button>
                <button data-action="export-w3c" onclick={export(ExportFormat::W3c)} title="Export W3C Web Annotation (JSON-LD)">{"تصدير W3C"}</button>
                <button data-action="export-jsonl" onclick={export(ExportFormat::Jsonl)} title="Export JSONL for doccano / Prodigy">{"تصدير JSONL"}</button>
                <button data-action="copy-json" onclick={copy} title="Copy JSON to the clipboard">{"نسخ JSON"}</button>
            </div>
        </div>
    }
}
