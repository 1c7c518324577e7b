//! Editing the selected annotation: relabel, note, delete.

use super::ui::use_ui;
use super::Dispatch;
use crate::browser::clock;
use crate::model::{Annotation, Label};
use crate::state::{Action, Selected};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub ann: Rc<Annotation>,
    pub quote: AttrValue,
    pub dispatch: Dispatch,
}

#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let ui = use_ui();
    let note = use_node_ref();
    let a = &props.ann;
    let d = &props.dispatch;
    let relabel = |&label: &Label| {
        let d = d.clone();
        let pressed = a.label == label;
        html! {
            <button data-action="relabel" data-label={label.key()} aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_| d.dispatch(Action::Relabel { label, now: clock::now_iso() }))}>
                <span class="swatch" aria-hidden="true"></span>{ui.label_name(label)}
            </button>
        }
    };
    let save_note = {
        let (d, note) = (d.clone(), note.clone());
        Callback::from(move |_| {
            if let Some(area) = note.cast::<web_sys::HtmlTextAreaElement>() {
                d.dispatch(Action::SetNote {
                    note: area.value(),
                    now: clock::now_iso(),
                });
            }
        })
    };
    let on_key = {
        let save = save_note.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                save.emit(());
            }
        })
    };
    let delete = {
        let d = d.clone();
        Callback::from(move |_| {
            d.dispatch(Action::DeleteSelected {
                now: clock::now_iso(),
            })
        })
    };
    let close = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::Select(None::<Selected>)))
    };
    html! {
        <div class="editor" data-role="editor" data-annotation-id={a.id.clone()} data-label={a.label.key()}>
            <p class="editor-quote">{"«"}{&props.quote}{"»"}</p>
            if !ui.readonly {
                <div class="relabel" role="group" aria-label={ui.t("تغيير الوسم", "Change the label")}>
                    { for ui.labels.iter().map(relabel) }
                </div>
            }
            <label for={format!("note-{}", a.id)}>{ui.t("ملاحظة", "Note")}</label>
            // keyed by the note so that undo shows the restored text
            <textarea key={a.note.clone().unwrap_or_default()} id={format!("note-{}", a.id)} data-role="note"
                ref={note} rows="3" dir="auto" readonly={ui.readonly} defaultvalue={a.note.clone().unwrap_or_default()}
                onkeydown={on_key} />
            <div class="editor-actions">
                if !ui.readonly {
                    <button data-action="save-note" onclick={save_note.reform(|_: MouseEvent| ())} title="Ctrl+Enter">{ui.t("حفظ الملاحظة", "Save note")}</button>
                    <button data-action="delete" class="danger" onclick={delete} title="Delete / Backspace">{ui.t("حذف", "Delete")}</button>
                }
                <button data-action="close-editor" class="quiet" onclick={close} title="Escape">{ui.t("إغلاق", "Close")}</button>
            </div>
        </div>
    }
}
