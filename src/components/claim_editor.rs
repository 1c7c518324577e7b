//! The claim part of the editor: its speaker and subjects (linked by a click
//! or by keys, each removable and reachable), its verdict and its source.

use super::ui::use_ui;
use super::{Dispatch, DispatchStamped};
use crate::browser::dom;
use crate::model::claim::check_source;
use crate::model::{AnnotatedDoc, Annotation, Relation, RelationKind};
use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct ClaimEditorProps {
    pub ann: Rc<Annotation>,
    pub ad: AnnotatedDoc,
    /// The link under way for this claim, if any.
    pub linking: Option<RelationKind>,
    pub dispatch: Dispatch,
}

impl PartialEq for ClaimEditorProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.ann, &other.ann)
            && Rc::ptr_eq(self.ad.annotations(), other.ad.annotations())
            && self.linking == other.linking
            && self.dispatch == other.dispatch
    }
}

#[function_component]
pub fn ClaimEditor(props: &ClaimEditorProps) -> Html {
    let ui = use_ui();
    let (a, d, ad) = (&props.ann, &props.dispatch, &props.ad);
    let source = use_node_ref();
    {
        // the field follows the stored source (an undo, another tab)
        let source = source.clone();
        use_effect_with(a.claim.source.clone(), move |stored| {
            if let Some(input) = source.cast::<web_sys::HtmlInputElement>() {
                input.set_value(stored.as_deref().unwrap_or_default());
            }
        });
    }
    let linked = |r: &Relation| {
        let Some(end) = ad.get(&r.to) else { return html! {} };
        let name = ad.doc.slice(end.start, end.end).to_string();
        let reveal = {
            let (doc, end) = (ad.doc.clone(), end.clone());
            Callback::from(move |e: MouseEvent| {
                if let Some(from) = e.target_dyn_into::<web_sys::Node>() {
                    dom::reveal(&from, &doc, &end);
                }
            })
        };
        let rel_id = r.id.clone();
        let doc_id = ad.id().to_string();
        let unlink = d.stamped_callback(move |now| Action::Unlink {
            doc_id: doc_id.clone(),
            rel_id: rel_id.clone(),
            now,
        });
        html! {
            <span class="linked" data-relation-id={r.id.clone()} data-type={r.kind.key()} data-annotation-id={r.to.clone()}>
                <button class="quiet" data-action="reveal-linked" onclick={reveal}>{name.clone()}</button>
                if !ui.readonly {
                    <button class="quiet unlink" data-action="unlink" onclick={unlink}
                        aria-label={ui.tr(format!("إزالة الربط بـ{name}"), format!("Unlink {name}"))}>{"×"}</button>
                }
            </span>
        }
    };
    let start = |kind: RelationKind| {
        let pressed = props.linking == Some(kind);
        let d = d.clone();
        let onclick = Callback::from(move |_: MouseEvent| match pressed {
            true => d.dispatch(Action::CancelLink),
            false => d.dispatch(Action::StartLink(kind)),
        });
        let (action, text, key) = match kind {
            RelationKind::Speaker => ("link-speaker", ui.t("ربط القائل", "Link the speaker"), "S"),
            RelationKind::About => ("link-about", ui.t("ربط موضوع", "Link a subject"), "A"),
        };
        html! {
            <button data-action={action} aria-pressed={pressed.to_string()} title={key} {onclick}>
                {text}{" ("}<kbd>{key}</kbd>{")"}
            </button>
        }
    };
    let on_verdict = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            d.dispatch_stamped(|now| Action::SetVerdict {
                verdict: Some(value).filter(|v| !v.is_empty()),
                now,
            })
        })
    };
    let on_source = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            d.dispatch_stamped(|now| Action::SetSource { source: value, now })
        })
    };
    let verdict = a.claim.verdict.clone().unwrap_or_default();
    let unknown = (!verdict.is_empty() && ui.verdicts.get(&verdict).is_none()).then(|| verdict.clone());
    let speaker = a.claim.speaker();
    let about: Vec<&Relation> = a.claim.about().collect();
    let source_id = format!("source-{}", a.id);
    let verdict_id = format!("verdict-{}", a.id);
    html! {
        <fieldset class="claim-record" data-role="claim-record">
            <legend>{ui.t("سجل الادعاء", "Claim record")}</legend>
            <div class="links" data-role="speaker-row">
                <span class="what">{ui.t("القائل:", "Speaker:")}</span>
                { speaker.map(linked).unwrap_or_else(|| html! { <span class="none">{ui.t("لم يُحدَّد", "not set")}</span> }) }
                if !ui.readonly { { start(RelationKind::Speaker) } }
            </div>
            <div class="links" data-role="about-row">
                <span class="what">{ui.t("عن:", "About:")}</span>
                if about.is_empty() {
                    <span class="none">{ui.t("لا شيء بعد", "nothing yet")}</span>
                }
                { for about.into_iter().map(linked) }
                if !ui.readonly { { start(RelationKind::About) } }
            </div>
            <label for={verdict_id.clone()}>{ui.t("الحكم", "Verdict")}</label>
            <select id={verdict_id} data-field="verdict" onchange={on_verdict} disabled={ui.readonly}>
                <option value="" selected={verdict.is_empty()}>{ui.t("— بلا حكم —", "— no verdict —")}</option>
                { for ui.verdicts.iter().map(|v| html! {
                    <option value={v.id.clone()} selected={verdict == v.id}>{ui.t(&v.ar, &v.en)}</option>
                }) }
                if let Some(v) = unknown {
                    <option value={v.clone()} selected=true>{v}</option>
                }
            </select>
            <label for={source_id.clone()}>{ui.t("المصدر (رابط التحقق أو الدليل)", "Source (link to the check or evidence)")}</label>
            <input id={source_id} type="url" data-field="source" dir="ltr" inputmode="url" placeholder="https://…" ref={source}
                readonly={ui.readonly} value={a.claim.source.clone().unwrap_or_default()} onchange={on_source} />
            if let Some(url) = a.claim.source.as_ref().filter(|u| check_source(u).is_ok()) {
                <a class="source-link" href={url.clone()} target="_blank" rel="noopener noreferrer" dir="ltr">{url.clone()}</a>
            }
        </fieldset>
    }
}
