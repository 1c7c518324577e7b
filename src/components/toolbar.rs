//! The toolbar: label buttons, undo/redo and export.

use super::ui::{use_ui, Ui, UiLang};
use super::{tag_selection, Dispatch, DispatchStamped};
use crate::browser::{clock, dom};
use crate::formats::claimreview::export_claimreview;
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

/// What the exports and the copy carry: every article, or only those done.
fn exported_docs(state: &AppState, only_done: bool) -> Vec<DocEntry> {
    state
        .docs
        .iter()
        .filter(|e| e.done || !only_done)
        .cloned()
        .collect()
}

/// The export formats and their files.
#[derive(Clone, Copy)]
pub enum ExportFormat {
    Hashiya,
    W3c,
    Jsonl,
    /// The claims that have a verdict, as schema.org ClaimReviews.
    ClaimReview,
}

impl ExportFormat {
    fn file(self) -> (&'static str, &'static str) {
        match self {
            ExportFormat::Hashiya => ("hashiya-annotations.json", "application/json"),
            ExportFormat::W3c => ("hashiya-annotations.w3c.jsonld", "application/ld+json"),
            ExportFormat::Jsonl => ("hashiya-annotations.jsonl", "application/x-ndjson"),
            ExportFormat::ClaimReview => ("hashiya-claimreview.json", "application/ld+json"),
        }
    }

    /// The file's text; a ClaimReview names verdicts in the chrome's language
    /// and gives the article's address where the host set one.
    fn render(self, docs: &[DocEntry], ui: &Ui) -> String {
        match self {
            ExportFormat::Hashiya => export_json(docs, &clock::now_iso()),
            ExportFormat::W3c => export_w3c(docs),
            ExportFormat::Jsonl => export_jsonl(docs),
            ExportFormat::ClaimReview => export_claimreview(
                docs.iter().map(|e| (&e.ad, ui.article_url.as_deref())),
                &ui.verdicts,
                ui.lang == UiLang::En,
                &clock::now_iso(),
            ),
        }
    }
}

#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let ui = use_ui();
    let d = &props.dispatch;
    // the selected annotation's label shows pressed: the keys relabel it
    let current = props.state.selected_annotation().map(|(_, a)| a.label);
    let label_button = |(i, label): (usize, &Label)| {
        let pressed = current.map(|c| (c == *label).to_string());
        let (d, label, snap) = (d.clone(), *label, ui.snap);
        let onclick = Callback::from(move |e: MouseEvent| {
            if let Some(node) = e.target_dyn_into::<web_sys::Node>() {
                tag_selection(&d, label, &node, snap);
            }
        });
        let other = ui.t(label.english(), label.arabic());
        html! {
            <button data-label={label.key()} aria-pressed={pressed} onmousedown={keep_selection()} {onclick}
                title={format!("{other} — {} {}", ui.t("المفتاح", "key"), i + 1)}>
                <span class="swatch" aria-hidden="true"></span>{ui.label_name(label)}
            </button>
        }
    };
    // a data set exports every article, or only those marked done
    let only_done = use_state(|| false);
    let several = !props.state.fixed_articles;
    let export = |format: ExportFormat| {
        let (state, d, ui) = (props.state.clone(), d.clone(), ui.clone());
        let only_done = *only_done && several;
        Callback::from(move |_| {
            let (name, mime) = format.file();
            let docs = exported_docs(&state, only_done);
            if dom::download(name, &format.render(&docs, &ui), mime).is_err() {
                d.dispatch(Action::Notify(Notice::error(
                    "تعذّر التنزيل.",
                    "The download failed.",
                )));
            }
        })
    };
    let copy = {
        let (state, d, ui) = (props.state.clone(), d.clone(), ui.clone());
        let only_done = *only_done && several;
        Callback::from(move |_| {
            let json = ExportFormat::Hashiya.render(&exported_docs(&state, only_done), &ui);
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
    let snap_toggle = ui.set_snap.clone().filter(|_| !ui.readonly).map(|set| {
        let on = ui.snap;
        html! {
            <button data-action="snap" aria-pressed={on.to_string()} onmousedown={keep_selection()}
                onclick={set.reform(move |_: MouseEvent| !on)}
                title={ui.t("تكبير التحديد إلى كلمات كاملة (Alt أثناء السحب للدقة بالحرف)",
                    "Grow selections to whole words (hold Alt while selecting for letter precision)")}>
                {ui.t("التقاط الكلمات", "Snap to words")}
            </button>
        }
    });
    let help = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Help(true)))
    };
    // on a narrow screen the labels and undo/redo stay; the rest is a menu
    let menu = use_state(|| false);
    let toggle_menu = {
        let menu = menu.clone();
        Callback::from(move |_: MouseEvent| menu.set(!*menu))
    };
    html! {
        <div class="toolbar" role="toolbar" part="toolbar" aria-label={ui.t("أدوات التوسيم", "Annotation tools")}
            data-menu={if *menu { "open" } else { "closed" }}>
            if !ui.readonly {
                <div class="group labels">
                    { for ui.labels.iter().enumerate().map(label_button) }
                </div>
                <div class="group history">
                    <button data-action="undo" onmousedown={keep_selection()} onclick={d.stamped_callback(|now| Action::Undo { now })}
                        disabled={!history.can_undo()} title={ui.t("تراجع — Ctrl+Z", "Undo — Ctrl+Z")}>{ui.t("تراجع", "Undo")}</button>
                    <button data-action="redo" onmousedown={keep_selection()} onclick={d.stamped_callback(|now| Action::Redo { now })}
                        disabled={!history.can_redo()} title={ui.t("إعادة — Ctrl+Shift+Z / Ctrl+Y", "Redo — Ctrl+Shift+Z / Ctrl+Y")}>{ui.t("إعادة", "Redo")}</button>
                </div>
            }
            <button class="menu-toggle" data-action="menu" aria-expanded={menu.to_string()} onclick={toggle_menu}
                aria-label={ui.t("المزيد: التصدير والاستيراد والإعدادات", "More: export, import, settings")}>{"☰"}</button>
            <div class="group more">
                <button data-action="export-json" onclick={export(ExportFormat::Hashiya)}
                    title={ui.t("تنزيل بصيغة Hashiya JSON", "Export Hashiya JSON (download)")}>{ui.t("تصدير JSON", "Export JSON")}</button>
                <button data-action="export-w3c" onclick={export(ExportFormat::W3c)}
                    title={ui.t("تنزيل بصيغة W3C Web Annotation", "Export W3C Web Annotation (JSON-LD)")}>{ui.t("تصدير W3C", "Export W3C")}</button>
                <button data-action="export-jsonl" onclick={export(ExportFormat::Jsonl)}
                    title={ui.t("تنزيل JSONL لـ doccano وProdigy", "Export JSONL for doccano / Prodigy")}>{ui.t("تصدير JSONL", "Export JSONL")}</button>
                if ui.labels.contains(&Label::CLAIM) {
                    <button data-action="export-claimreview" onclick={export(ExportFormat::ClaimReview)}
                        title={ui.t("تنزيل الادعاءات المحكومة بصيغة schema.org ClaimReview", "Export the claims with a verdict as schema.org ClaimReview")}>
                        {ui.t("تصدير ClaimReview", "Export ClaimReview")}
                    </button>
                }
                <button data-action="copy-json" onclick={copy}
                    title={ui.t("نسخ JSON إلى الحافظة", "Copy JSON to the clipboard")}>{ui.t("نسخ JSON", "Copy JSON")}</button>
                if several {
                    <label class="only-done">
                        <input type="checkbox" data-role="export-done-only" checked={*only_done}
                            onchange={let only_done = only_done.clone(); Callback::from(move |e: Event| {
                                if let Some(c) = e.target_dyn_into::<web_sys::HtmlInputElement>() { only_done.set(c.checked()) }
                            })} />
                        {ui.t("المنجز وحده", "Done only")}
                    </label>
                }
            </div>
            <div class="group more">
                { for snap_toggle }
                <button data-action="help" aria-haspopup="dialog" onclick={help}>{ui.t("المفاتيح ؟", "Keys ?")}</button>
            </div>
        </div>
    }
}
