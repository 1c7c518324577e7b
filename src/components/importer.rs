//! Importing annotations: a file, pasted text, or a file dropped on the page,
//! merged (default) or replacing what an article has.

use super::paste::{use_toggle, PasteBox};
use super::ui::use_ui;
use super::{on_file_chosen, read_file_then, Dispatch, DispatchStamped};
use crate::browser::files;
use crate::state::{Action, ImportMode, Taken};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ImporterProps {
    pub dispatch: Dispatch,
    pub mode: ImportMode,
    pub on_mode: Callback<ImportMode>,
    pub taken: Taken,
}

/// Reads `file` and imports it with `mode`.
pub fn import_file(dispatch: &Dispatch, file: web_sys::File, mode: ImportMode) {
    read_file_then(dispatch, file, files::MAX_IMPORT_BYTES, move |text, now| {
        Action::Import { text, mode, now }
    });
}

#[function_component]
pub fn Importer(props: &ImporterProps) -> Html {
    let ui = use_ui();
    let (open, toggle) = use_toggle();
    let mode = props.mode;
    let on_file = {
        let d = props.dispatch.clone();
        on_file_chosen(move |file| import_file(&d, file, mode))
    };
    let on_text = {
        let d = props.dispatch.clone();
        Callback::from(move |text| d.dispatch_stamped(|now| Action::Import { text, mode, now }))
    };
    let radio = |value: ImportMode, key: &'static str, ar: &'static str, en: &'static str| {
        let on_mode = props.on_mode.clone();
        html! {
            <label>
                <input type="radio" name="import-mode" value={key} checked={mode == value}
                    onchange={Callback::from(move |_| on_mode.emit(value))} />
                {ui.t(ar, en)}
            </label>
        }
    };
    html! {
        <div class="importer">
            <button data-action="import" aria-expanded={(*open).to_string()} onclick={toggle}
                title={ui.t("استيراد توسيمات: Hashiya JSON أو JSONL (doccano وProdigy) أو W3C Web Annotation",
                    "Import annotations: Hashiya JSON, JSONL (doccano, Prodigy) or W3C Web Annotation")}>
                {ui.t("استيراد", "Import")}
            </button>
            if *open {
                <div class="import-panel" data-role="import-panel">
                    <fieldset class="modes">
                        <legend>{ui.t("عند الاستيراد", "When importing")}</legend>
                        { radio(ImportMode::Merge, "merge", "دمج مع الموجود (يُتخطّى المكرر)", "Merge: duplicates are skipped") }
                        { radio(ImportMode::Replace, "replace", "استبدال توسيمات المقال", "Replace the article's annotations") }
                    </fieldset>
                    <label class="button" title="Hashiya JSON, JSONL, W3C JSON-LD">
                        {ui.t("اختيار ملف…", "Choose a file…")}
                        <input type="file" accept=".json,.jsonl,.jsonld,.ndjson,application/json" data-action="import-file"
                            class="visually-hidden" onchange={on_file} />
                    </label>
                    <PasteBox id="import-text" rows="6" dir="ltr" action="import-text" onsubmit={on_text} taken={props.taken}
                        hint={ui.t("أو الصق المحتوى هنا (أو أسقط ملفًا على الصفحة):", "Or paste the content here (or drop a file on the page):")}
                        button={ui.t("استيراد النص", "Import the text")} />
                </div>
            }
        </div>
    }
}
