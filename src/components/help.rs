//! The list of keys (`?`): every mouse action has a keyboard path.

use super::ui::use_ui;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// (keys, what they do in Arabic, in English)
const KEYS: &[(&str, &str, &str)] = &[
    (
        "1 … 9",
        "وسم التحديد بالوسم ذي الرقم (أو تغيير وسم التوسيم المحدد)",
        "Tag the selection with the n-th label (or relabel the selected annotation)",
    ),
    (
        "← → ↑ ↓",
        "تحريك المؤشر في المقال حرفًا حرفًا (باتجاه العرض)",
        "Move the caret in the article by one letter (as shown on screen)",
    ),
    (
        "Ctrl + ← →",
        "تحريك المؤشر كلمةً كلمة",
        "Move the caret by one word",
    ),
    ("Home / End", "أول السطر وآخره", "Start and end of the line"),
    (
        "Ctrl + ↑ ↓",
        "الفقرة السابقة والتالية",
        "Previous and next paragraph",
    ),
    (
        "Shift + …",
        "توسيع التحديد مع أي حركة للمؤشر",
        "Extend the selection with any caret move",
    ),
    (
        "Alt (أثناء السحب)",
        "تحديد بدقة الحرف بلا التقاط الكلمات",
        "Select with character precision (no word snapping)",
    ),
    (
        "Tab / Shift + Tab",
        "التوسيم التالي والسابق بترتيب القراءة",
        "Next and previous annotation in reading order",
    ),
    (
        "Enter",
        "فتح المحرر للتوسيم المحدد",
        "Open the editor of the selected annotation",
    ),
    (
        "Alt + Shift + ← →",
        "تحريك بداية التوسيم المحدد حرفًا",
        "Move the selected annotation's start by one letter",
    ),
    (
        "Ctrl + Alt + Shift + ← →",
        "تحريك نهاية التوسيم المحدد حرفًا",
        "Move the selected annotation's end by one letter",
    ),
    (
        "Delete / Backspace",
        "حذف التوسيم المحدد",
        "Delete the selected annotation",
    ),
    (
        "S / A",
        "مع ادعاء محدد: ربط قائله، أو شخص أو مكان يتناوله (ثم انقر، أو Tab ثم Enter)",
        "With a claim selected: link its speaker, or a person or place it is about (then click, or Tab and Enter)",
    ),
    (
        "Enter",
        "بعد وسم ادعاء: قبول القائل المقترح؛ وأي مفتاح آخر يتجاهله",
        "After tagging a claim: accept the suggested speaker; any other key ignores it",
    ),
    ("Ctrl + Z", "تراجع", "Undo"),
    ("Ctrl + Shift + Z / Ctrl + Y", "إعادة", "Redo"),
    (
        "Escape",
        "إغلاق المحرر أو هذه القائمة وإلغاء التحديد",
        "Close the editor or this list, deselect",
    ),
    (
        "] / [",
        "المقال التالي والسابق في القائمة",
        "Next and previous article in the list",
    ),
    ("N", "المقال التالي غير المنجز", "Next article not done"),
    (
        "D",
        "تعليم المقال منجزًا أو إلغاؤه (Ctrl+Z يتراجع عنه)",
        "Mark the article done, or not (Ctrl+Z undoes it)",
    ),
    ("?", "هذه القائمة", "This list"),
];

#[derive(Properties)]
pub struct HelpProps {
    pub onclose: Callback<MouseEvent>,
}

impl PartialEq for HelpProps {
    fn eq(&self, _: &Self) -> bool {
        // the callback is made anew on each parent render but always closes
        // the list: the list itself never changes
        true
    }
}

#[function_component]
pub fn Help(props: &HelpProps) -> Html {
    let ui = use_ui();
    let close_button = use_node_ref();
    {
        // focus moves into the list, and back to where it was when it closes
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            let button = close_button.cast::<web_sys::HtmlElement>();
            // in a widget the focused element is the shadow root's, not the page's
            let before = button.as_ref().and_then(|b| {
                let root = b.get_root_node();
                let active = match root.dyn_ref::<web_sys::ShadowRoot>() {
                    Some(shadow) => shadow.active_element(),
                    None => root.dyn_ref::<web_sys::Document>()?.active_element(),
                };
                active?.dyn_into::<web_sys::HtmlElement>().ok()
            });
            if let Some(b) = &button {
                let _ = b.focus();
            }
            move || {
                if let Some(b) = before {
                    let _ = b.focus();
                }
            }
        });
    }
    let rows = KEYS.iter().map(|(keys, ar, en)| {
        html! {
            <tr>
                <th scope="row" dir="ltr"><kbd>{*keys}</kbd></th>
                <td>{ui.t(ar, en)}</td>
            </tr>
        }
    });
    html! {
        <div class="help" role="dialog" aria-modal="true" aria-labelledby="hashiya-help-title" data-role="help">
            <h2 id="hashiya-help-title">{ui.t("مفاتيح حاشية", "Hashiya keys")}</h2>
            <table>
                <thead><tr><th scope="col">{ui.t("المفاتيح", "Keys")}</th><th scope="col">{ui.t("ما تفعله", "What they do")}</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <button data-action="close-help" ref={close_button} onclick={props.onclose.clone()}>{ui.t("إغلاق", "Close")}</button>
        </div>
    }
}
