//! The side panel of an article: counts, a label filter, the annotations in
//! reading order, and the editor of the selected one.

use super::editor::Editor;
use super::ui::use_ui;
use super::Dispatch;
use crate::browser::dom;
use crate::formats::stored::Origin;
use crate::model::claim::check_source;
use crate::model::{AnnotatedDoc, Annotation, Document, Label, RelationKind};
use crate::state::{Action, DocEntry, Selected};
use gloo_timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub entry: DocEntry,
    pub selected: Option<Rc<Annotation>>,
    /// The selected claim is being linked (to its speaker, or a subject).
    pub linking_kind: Option<RelationKind>,
    pub confirming_removal: bool,
    pub dispatch: Dispatch,
}

/// Entries drawn at first; more on request, so a long list stays quick.
const PAGE: usize = 200;
/// Entries drawn in the pass that brings a long list (an article opened or
/// restored, a bulk load): a screenful. The rest of the page follows in the
/// next task, so that the article's first screen is not kept waiting for
/// entries no one sees yet.
const FIRST_ENTRIES: usize = 30;

fn quote_of(doc: &Document, a: &Annotation) -> String {
    const MAX: usize = 120;
    let q = doc.slice(a.start, a.end);
    if q.chars().count() > MAX {
        format!("{}…", q.chars().take(MAX).collect::<String>())
    } else {
        q.to_string()
    }
}

/// What the list shows: everything, one label, or the claims with one
/// verdict (or none).
#[derive(Clone, Debug, PartialEq)]
enum Filter {
    All,
    Label(Label),
    Verdict(Option<String>),
}

impl Filter {
    /// From the filter menu's value: `all`, a label id, `verdict:<id>` or `verdict:`.
    fn parse(value: &str) -> Filter {
        match value.strip_prefix("verdict:") {
            Some("") => Filter::Verdict(None),
            Some(v) => Filter::Verdict(Some(v.to_string())),
            // any id names a label (hosts bring their own), so "all" is told apart first
            None if value == "all" => Filter::All,
            None => Label::named(value).map_or(Filter::All, Filter::Label),
        }
    }

    fn keeps(&self, a: &Annotation) -> bool {
        match self {
            Filter::All => true,
            Filter::Label(l) => a.label == *l,
            Filter::Verdict(v) => a.label == Label::CLAIM && a.claim.verdict == *v,
        }
    }
}

/// The text of the claim's speaker, if it has one that is still there.
fn speaker_of(doc: &AnnotatedDoc, a: &Annotation) -> Option<AttrValue> {
    let person = doc.get(&a.claim.speaker()?.to)?;
    Some(AttrValue::from(quote_of(&doc.doc, person)))
}

#[function_component]
pub fn Panel(props: &PanelProps) -> Html {
    let ui = use_ui();
    let filter = use_state(|| Filter::All);
    // on a narrow screen the panel is a sheet over the lower part of the
    // screen: open while an annotation is selected, or when asked for
    let asked_open = use_state(|| false);
    let sheet_open = *asked_open || props.selected.is_some();
    let toggle_sheet = {
        let (asked_open, d) = (asked_open.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            if sheet_open {
                // closing the sheet lets go of the annotation it shows
                d.dispatch(Action::Escape);
            }
            asked_open.set(!sheet_open);
        })
    };
    let shown = use_state(|| PAGE);
    let drawn = use_state(|| FIRST_ENTRIES);
    let entry = &props.entry;
    let doc_id = entry.id().to_string();
    let anns = entry.ad.annotations();

    let count = |l: Label| anns.iter().filter(|a| a.label == l).count();
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            filter.set(Filter::parse(&value));
        })
    };
    let visible: Vec<&Rc<Annotation>> = anns.iter().filter(|a| filter.keeps(a)).collect();
    let total = visible.len();
    let wanted = total.min(*shown);
    let limit = wanted.min(*drawn);
    {
        let (drawn, shown) = (drawn.clone(), *shown);
        // an emptied list draws its next long list in steps again
        let step = if total == 0 {
            Some(FIRST_ENTRIES)
        } else {
            (limit < wanted).then_some(shown)
        };
        use_effect_with(step, move |&step| {
            let pending = step
                .filter(|&n| n != *drawn)
                .map(|n| Timeout::new(0, move || drawn.set(n)));
            move || drop(pending)
        });
    }
    let onselect = props.dispatch.to_callback().reform(|s| Action::Select(Some(s)));
    let items = visible.into_iter().take(limit).map(|a| {
        let is_selected = props.selected.as_ref().is_some_and(|s| s.id == a.id);
        html! {
            <Entry key={a.id.clone()} ann={a.clone()} doc={entry.ad.doc.clone()} selected={is_selected}
                speaker={speaker_of(&entry.ad, a)} onselect={onselect.clone()} />
        }
    });
    let more = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + PAGE))
    };
    let editor = props.selected.as_ref().map(|a| {
        html! { <Editor key={a.id.clone()} ann={a.clone()} quote={AttrValue::from(quote_of(&entry.ad.doc, a))} ad={entry.ad.clone()}
            linking={props.linking_kind} dispatch={props.dispatch.clone()} /> }
    });
    let removal = (entry.origin == Origin::User).then(|| {
        let d = props.dispatch.clone();
        let ask = {
            let (d, id) = (d.clone(), doc_id.clone());
            Callback::from(move |_| d.dispatch(Action::AskRemove(id.clone())))
        };
        if props.confirming_removal {
            let confirm = {
                let d = d.clone();
                Callback::from(move |_| d.dispatch(Action::ConfirmRemove))
            };
            let cancel = Callback::from(move |_| d.dispatch(Action::CancelRemove));
            html! {
                <div class="confirm" role="alertdialog" aria-label={ui.t("تأكيد الحذف", "Confirm removal")}>
                    <span>{ui.t("حذف المقال وكل توسيماته؟", "Remove the article and all its annotations?")}</span>
                    <button data-action="confirm-remove" class="danger" onclick={confirm}>{ui.t("نعم، احذف", "Yes, remove")}</button>
                    <button data-action="cancel-remove" onclick={cancel}>{ui.t("إلغاء", "Cancel")}</button>
                </div>
            }
        } else {
            html! { <button data-action="remove-article" class="quiet" onclick={ask}>{ui.t("إزالة المقال", "Remove this article")}</button> }
        }
    });
    let orphans = (!entry.orphans.is_empty()).then(|| {
        html! {
            <section class="orphans" data-role="orphans">
                <h3>{ui.t("توسيمات بلا موضع", "Annotations without a place")}</h3>
                <p class="hint">{ui.t("تغيّر نص المقال فلم يُعثر على نصها. تبقى محفوظة وتُصدَّر، ولا تُحذف.",
                    "The article's text changed and their text was not found. They are kept and exported, never deleted.")}</p>
                <ul>
                    { for entry.orphans.iter().map(|o| html! {
                        <li key={o.annotation.id.clone()} data-orphan-id={o.annotation.id.clone()} data-label={o.annotation.label.key()}>
                            <span class="label">{ui.label_name(o.annotation.label)}</span>
                            if o.quote.is_empty() {
                                // a record edited by hand: only the offsets are known
                                <span class="quote unknown">{ui.tr(
                                    format!("نص غير معروف ({}–{})", o.annotation.start, o.annotation.end),
                                    format!("unknown text ({}–{})", o.annotation.start, o.annotation.end),
                                )}</span>
                            } else {
                                <span class="quote">{&o.quote}</span>
                            }
                            if let Some(n) = &o.annotation.note {
                                <span class="note">{n}</span>
                            }
                        </li>
                    }) }
                </ul>
            </section>
        }
    });
    let reanchored = entry.reanchored.map(|(moved, orphaned)| {
        html! {
            <p class="reanchor-status" data-role="reanchor-status" data-moved={moved.to_string()}
                data-orphans={orphaned.to_string()}>
                {ui.tr(format!("تغيّر النص منذ التوسيم: نُقل {moved}، وبلا موضع {orphaned}."),
                    format!("The text changed since it was annotated: {moved} annotations moved, {orphaned} orphaned."))}
            </p>
        }
    });
    html! {
        <aside class="panel" part="panel" data-panel-for={doc_id.clone()}
            data-sheet={if sheet_open { "open" } else { "closed" }}
            aria-label={format!("{}: {}", ui.t("توسيمات", "Annotations"), entry.ad.doc.title())}>
            <button class="sheet-toggle" data-action="sheet" aria-expanded={sheet_open.to_string()} onclick={toggle_sheet}>
                {ui.tr(format!("التوسيمات ({})", anns.len()), format!("Annotations ({})", anns.len()))}
            </button>
            // what a closed sheet hides, in one box: the state then changes
            // the style of this box alone, where a rule on every child of the
            // panel had the browser restyle and lay out each entry again on
            // every change of selection, at any width (155 list items per add)
            <div class="sheet-body">
            { editor }
            { reanchored }
            <div class="counts">
                { for ui.labels.iter().map(|&l| html! {
                    <span class="count" data-count={l.key()} data-label={l.key()}>
                        <span class="swatch" aria-hidden="true"></span>{ui.label_name(l)}{" "}<b>{count(l)}</b>
                    </span>
                }) }
            </div>
            <label class="filter">{ui.t("عرض: ", "Show: ")}
                <select data-action="filter" onchange={on_filter}>
                    <option value="all" selected={*filter == Filter::All}>{ui.t("الكل", "All")}</option>
                    { for ui.labels.iter().map(|&l| html! {
                        <option value={l.key()} selected={*filter == Filter::Label(l)}>{ui.label_name(l)}</option>
                    }) }
                    if ui.labels.contains(&Label::CLAIM) {
                        <optgroup label={ui.t("الادعاءات حسب الحكم", "Claims by verdict")}>
                            { for ui.verdicts.iter().map(|v| html! {
                                <option value={format!("verdict:{}", v.id)} selected={*filter == Filter::Verdict(Some(v.id.clone()))}>
                                    {ui.t(&v.ar, &v.en)}
                                </option>
                            }) }
                            <option value="verdict:" selected={*filter == Filter::Verdict(None)}>{ui.t("بلا حكم", "No verdict")}</option>
                        </optgroup>
                    }
                </select>
            </label>
            if anns.is_empty() {
                <p class="empty">{ui.t("لا توسيمات بعد. حدّد نصًا ثم اضغط 1 أو 2 أو 3.",
                    "No annotations yet. Select some text, then press 1, 2 or 3.")}</p>
            }
            <ol class="entries">{ for items }</ol>
            if total > *shown {
                <button class="quiet" data-action="show-more" onclick={more}>{ui.tr(format!("عرض المزيد ({} متبقية)", total - *shown), format!("Show more ({} left)", total - *shown))}</button>
            }
            { orphans }
            { removal }
            </div>
        </aside>
    }
}

#[derive(Properties)]
struct EntryProps {
    ann: Rc<Annotation>,
    doc: Rc<Document>,
    selected: bool,
    /// A claim's speaker (the person's text).
    speaker: Option<AttrValue>,
    onselect: Callback<Selected>,
}

impl PartialEq for EntryProps {
    fn eq(&self, other: &Self) -> bool {
        // by pointer: an unchanged annotation keeps its Rc, so its entry
        // skips rendering when another annotation changes (`onselect` does
        // the same on every render)
        Rc::ptr_eq(&self.ann, &other.ann)
            && Rc::ptr_eq(&self.doc, &other.doc)
            && self.selected == other.selected
            && self.speaker == other.speaker
    }
}

/// One annotation in the list: a button that selects and reveals it.
#[function_component]
fn Entry(props: &EntryProps) -> Html {
    let ui = use_ui();
    let a = &props.ann;
    let onclick = {
        let (onselect, doc, ann) = (props.onselect.clone(), props.doc.clone(), a.clone());
        Callback::from(move |e: MouseEvent| {
            onselect.emit(Selected {
                doc_id: doc.id.clone(),
                ann_id: ann.id.clone(),
            });
            if let Some(from) = e.target_dyn_into::<web_sys::Node>() {
                dom::reveal(&from, &doc, &ann);
            }
        })
    };
    let verdict = a.claim.verdict.as_ref().map(|id| {
        let name = ui.verdicts.get(id).map_or(id.as_str(), |v| ui.t(&v.ar, &v.en));
        html! { <span class="verdict" data-verdict={id.clone()}>{name.to_string()}</span> }
    });
    html! {
        <li data-annotation-id={a.id.clone()} data-label={a.label.key()}
            aria-current={props.selected.then_some("true")}>
            <button class="entry" {onclick}>
                <span class="label">{ui.label_name(a.label)}</span>
                <span class="quote">{quote_of(&props.doc, a)}</span>
                if let Some(s) = &props.speaker {
                    <span class="speaker" data-role="speaker">{ui.t("قال: ", "Said by: ")}{s}</span>
                }
                { verdict }
                if let Some(n) = &a.note {
                    <span class="note">{n}</span>
                }
            </button>
            // checked again here: a record from storage could have been tampered with
            if let Some(url) = a.claim.source.as_ref().filter(|u| check_source(u).is_ok()) {
                <a class="source-link" data-role="source" href={url.clone()} target="_blank" rel="noopener noreferrer" dir="ltr">
                    {ui.t("المصدر", "Source")}
                </a>
            }
        </li>
    }
}
