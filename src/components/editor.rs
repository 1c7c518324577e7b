//! Editing the selected annotation: relabel, a claim's record, note, delete.

use super::claim_editor::ClaimEditor;
use super::ui::use_ui;
use super::{Dispatch, DispatchStamped};
use crate::browser::clock;
use crate::model::{AnnotatedDoc, Annotation, Label, RelationKind};
use crate::state::{other_occurrences, Action, Selected};
use std::rc::Rc;
use yew::prelude::*;

/// How long after the editor is drawn the other occurrences are counted.
const COUNT_DELAY_MS: u32 = 60;

#[derive(Properties)]
pub struct EditorProps {
    pub ann: Rc<Annotation>,
    pub quote: AttrValue,
    /// The article, to count the other occurrences of the quote.
    pub ad: AnnotatedDoc,
    /// The link under way for this claim, if any.
    pub linking: Option<RelationKind>,
    pub dispatch: Dispatch,
}

impl PartialEq for EditorProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.ann, &other.ann)
            && self.quote == other.quote
            && Rc::ptr_eq(self.ad.annotations(), other.ad.annotations())
            && self.linking == other.linking
            && self.dispatch == other.dispatch
    }
}

#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let ui = use_ui();
    let note = use_node_ref();
    let a = &props.ann;
    let d = &props.dispatch;
    let relabel = |&label: &Label| {
        let pressed = a.label == label;
        html! {
            <button data-action="relabel" data-label={label.key()} aria-pressed={pressed.to_string()}
                onclick={d.stamped_callback(move |now| Action::Relabel { label, now })}>
                <span class="swatch" aria-hidden="true"></span>{ui.label_name(label)}
            </button>
        }
    };
    let save_note = {
        let (d, note) = (d.clone(), note.clone());
        Callback::from(move |_| {
            if let Some(area) = note.cast::<web_sys::HtmlTextAreaElement>() {
                d.dispatch_stamped(|now| Action::SetNote {
                    note: area.value(),
                    now,
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
    let delete = d.stamped_callback(|now| Action::DeleteSelected { now });
    let close = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::Select(None::<Selected>)))
    };
    {
        // What the field shows follows the stored note when that changes (an
        // undo, a save, another tab), and is left alone while the user types.
        let note = note.clone();
        use_effect_with(a.note.clone(), move |stored| {
            if let Some(area) = note.cast::<web_sys::HtmlTextAreaElement>() {
                let stored = stored.clone().unwrap_or_default();
                if area.value() != stored {
                    area.set_value(&stored);
                }
            }
        });
    }
    let clitics = use_state(|| false);
    // Counting means a pass over the whole text (long on a 400,000-letter
    // report), so it runs just after the editor is drawn, never in the frame
    // that shows a new or undone annotation.
    let others = use_state(|| None::<usize>);
    {
        let (others, ad, clitics) = (others.clone(), props.ad.clone(), *clitics);
        let anns_at = Rc::as_ptr(props.ad.annotations()) as usize;
        use_effect_with((a.clone(), anns_at, clitics), move |(a, _, _)| {
            let a = a.clone();
            let count = gloo_timers::callback::Timeout::new(COUNT_DELAY_MS, move || {
                others.set(Some(other_occurrences(&ad, &a, clitics).len()))
            });
            move || drop(count)
        });
    }
    let tag_all = {
        let clitics = *clitics;
        d.stamped_callback(move |now| Action::TagAll {
            clitics,
            id_base: clock::new_id(),
            now,
        })
    };
    let on_clitics = {
        let clitics = clitics.clone();
        Callback::from(move |_: Event| clitics.set(!*clitics))
    };
    html! {
        <div class="editor" data-role="editor" data-annotation-id={a.id.clone()} data-label={a.label.key()}>
            <p class="editor-quote">{"«"}{&props.quote}{"»"}</p>
            if !ui.readonly {
                <div class="relabel" role="group" aria-label={ui.t("تغيير الوسم", "Change the label")}>
                    { for ui.labels.iter().map(relabel) }
                </div>
            }
            if a.label == Label::CLAIM {
                <ClaimEditor ann={a.clone()} ad={props.ad.clone()} linking={props.linking} dispatch={d.clone()} />
            }
            <label for={format!("note-{}", a.id)}>{ui.t("ملاحظة", "Note")}</label>
            <textarea id={format!("note-{}", a.id)} data-role="note"
                ref={note} rows="3" dir="auto" readonly={ui.readonly} defaultvalue={a.note.clone().unwrap_or_default()}
                onkeydown={on_key} />
            <div class="editor-actions">
                if !ui.readonly {
                    <button data-action="tag-all" onclick={tag_all} disabled={*others == Some(0)}
                        data-count={others.map(|n| n.to_string())}>
                        {match *others {
                            Some(n) => ui.tr(format!("وسم المواضع الأخرى ({n})"), format!("Tag the other occurrences ({n})")),
                            None => ui.t("وسم المواضع الأخرى", "Tag the other occurrences").to_string(),
                        }}
                    </button>
                    <label class="clitics">
                        <input type="checkbox" data-action="tag-all-clitics" checked={*clitics} onchange={on_clitics} />
                        {ui.t("ومع السوابق (و ف ب ل ك ال)", "also after prefixes (و ف ب ل ك ال)")}
                    </label>
                    <button data-action="save-note" onclick={save_note.reform(|_: MouseEvent| ())} title="Ctrl+Enter">{ui.t("حفظ الملاحظة", "Save note")}</button>
                    <button data-action="delete" class="danger" onclick={delete} title="Delete / Backspace">{ui.t("حذف", "Delete")}</button>
                }
                <button data-action="close-editor" class="quiet" onclick={close} title="Escape">{ui.t("إغلاق", "Close")}</button>
            </div>
        </div>
    }
}
