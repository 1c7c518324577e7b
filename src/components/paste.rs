//! What the opener's and the importer's panels are made of: a button opens
//! and closes each, and each takes text pasted into a box.

use crate::state::Taken;
use yew::prelude::*;

/// Whether the panel is open (closed at first), and the `onclick` of the
/// button that opens and closes it.
#[hook]
pub fn use_toggle() -> (UseStateHandle<bool>, Callback<MouseEvent>) {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    (open, toggle)
}

#[derive(Properties, PartialEq)]
pub struct PasteBoxProps {
    /// The text box's `id` and `data-role`.
    pub id: AttrValue,
    /// What to paste, the text box's label.
    pub hint: AttrValue,
    pub rows: AttrValue,
    pub dir: AttrValue,
    /// The button's `data-action`, and its text.
    pub action: AttrValue,
    pub button: AttrValue,
    /// Hears the text in the box when the button is pressed.
    pub onsubmit: Callback<String>,
    /// The texts the state has taken in: once the one handed in from here
    /// has gone in, the box empties (a refused one stays, to be mended).
    pub taken: Taken,
    /// Hears that the text handed in from here went in.
    #[prop_or_default]
    pub ontaken: Callback<()>,
}

/// A labelled text box, and a button that hands on what is in it.
#[function_component]
pub fn PasteBox(props: &PasteBoxProps) -> Html {
    let text = use_node_ref();
    // the count of texts taken when this box handed its text in
    let handed_in = use_mut_ref(|| None::<u32>);
    let onclick = {
        let (text, onsubmit, handed_in) = (text.clone(), props.onsubmit.clone(), handed_in.clone());
        let count = props.taken.count;
        Callback::from(move |_| {
            if let Some(area) = text.cast::<web_sys::HtmlTextAreaElement>() {
                *handed_in.borrow_mut() = Some(count);
                onsubmit.emit(area.value());
            }
        })
    };
    {
        let (text, ontaken) = (text.clone(), props.ontaken.clone());
        use_effect_with(props.taken, move |taken| {
            // the answer to the text handed in from here: it went in, or was refused
            let answered = matches!(*handed_in.borrow(), Some(count) if count != taken.count);
            if !answered {
                return;
            }
            handed_in.replace(None);
            if !taken.ok {
                return;
            }
            if let Some(area) = text.cast::<web_sys::HtmlTextAreaElement>() {
                area.set_value("");
            }
            ontaken.emit(());
        });
    }
    // autocomplete="off": the box may hold megabytes (a whole export), and a
    // browser keeps a box's text as page state, in Chromium copied into every
    // history entry: with 5 MB pasted, opening an article by its #doc= link
    // took about 90 ms more (measured at 400k, import to painted).
    html! {
        <>
            <label for={&props.id}>{&props.hint}</label>
            <textarea id={&props.id} data-role={&props.id} ref={text} rows={&props.rows} dir={&props.dir}
                autocomplete="off" />
            <button data-action={&props.action} {onclick}>{&props.button}</button>
        </>
    }
}
