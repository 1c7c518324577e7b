//! What an annotator tells its host, in the records every front door shares:
//! a Yew host gets [`AnnotatorEvent`]s, and the element sends the same
//! records as `hashiya-*` events (`embed/events.rs`).

use super::link::Report;
use crate::formats::export::{export_annotation, export_relations, ExportAnnotation, ExportRelation};
use crate::model::diff::AnnChange;
use crate::model::AnnotatedDoc;
use std::cell::RefCell;
use std::collections::HashMap;

/// Something that happened in an annotator, as its host hears of it.
///
/// Annotations and relations come in the export form (the entries of
/// `documents[].annotations` and `documents[].relations` in Hashiya JSON):
/// the same records as the `<hashiya-annotator>` element's events.
///
/// ```
/// use hashiya::AnnotatorEvent;
///
/// fn describe(e: &AnnotatorEvent) -> String {
///     match e {
///         AnnotatorEvent::Created(a) => format!("+ {} {}..{} {:?}", a.label.key(), a.start, a.end, a.quote),
///         AnnotatorEvent::Deleted(a) => format!("- {}", a.id),
///         other => format!("{other:?}"),
///     }
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum AnnotatorEvent {
    /// Loaded and drawn: the article's id and how many annotations it has.
    /// (`hashiya-ready`)
    Ready { doc_id: String, annotations: usize },
    /// An annotation was made (`hashiya-create`).
    Created(ExportAnnotation),
    /// An annotation changed: its label, note, verdict, source or links
    /// (`hashiya-update`).
    Updated(ExportAnnotation),
    /// An annotation was removed (`hashiya-delete`).
    Deleted(ExportAnnotation),
    /// A claim's link to a person or place was made or removed
    /// (`hashiya-relation`).
    Relation {
        action: RelationAction,
        relation: ExportRelation,
    },
    /// Follows every change, once the events above are told: how many
    /// annotations the article has now, and how many the change created,
    /// updated and deleted (`hashiya-change`). A `bulk` change (more than
    /// [`BULK_CHANGE`] annotations at once: a replaced list, an import, a clear, or
    /// the undo of one) is told by this event alone, with no `Created`,
    /// `Updated`, `Deleted` or `Relation` before it, so that loading 20,000
    /// annotations is one event, not 20,000: read the annotations instead.
    Changed {
        annotations: usize,
        created: usize,
        updated: usize,
        deleted: usize,
        bulk: bool,
    },
    /// Something the user is shown as an error: a storage failure
    /// (`storage: true`) or a refused action (`hashiya-error`).
    Error {
        message: String,
        message_ar: String,
        storage: bool,
    },
}

/// What became of a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationAction {
    Create,
    Delete,
}

impl RelationAction {
    pub fn key(self) -> &'static str {
        match self {
            RelationAction::Create => "create",
            RelationAction::Delete => "delete",
        }
    }
}

/// A change of more annotations than this is told as one bulk
/// `Changed`, without an event per annotation.
pub const BULK_CHANGE: usize = 100;

/// Turns the link's reports into events. Relations live on their claims, so
/// a change to one is also an update of its claim; it is told as a relation
/// too (what a host that draws links needs), found by comparing the
/// relations with those last told.
#[derive(Default)]
pub struct Teller {
    told_relations: RefCell<Vec<ExportRelation>>,
}

impl Teller {
    /// The events `report` makes, in the order a host hears them.
    pub fn events(&self, ad: &AnnotatedDoc, report: Report) -> Vec<AnnotatorEvent> {
        match report {
            Report::Ready(n) => {
                self.told_relations.replace(export_relations(ad));
                vec![AnnotatorEvent::Ready {
                    doc_id: ad.id().to_string(),
                    annotations: n,
                }]
            }
            Report::Changed(changes) => {
                let changed = changed(ad, &changes);
                let bulk = matches!(changed, AnnotatorEvent::Changed { bulk: true, .. });
                // replaced before anything is told: a listener's own change
                // is told after this one, against what this one left
                let now = export_relations(ad);
                let before = self.told_relations.replace(now.clone());
                if bulk {
                    return vec![changed];
                }
                let mut events: Vec<AnnotatorEvent> = changes
                    .iter()
                    .map(|c| match c {
                        AnnChange::Created(a) => AnnotatorEvent::Created(export_annotation(ad, a)),
                        AnnChange::Updated(a) => AnnotatorEvent::Updated(export_annotation(ad, a)),
                        AnnChange::Deleted(a) => AnnotatorEvent::Deleted(export_annotation(ad, a)),
                    })
                    .collect();
                events.extend(relation_changes(&before, &now).into_iter().map(|(action, r)| {
                    AnnotatorEvent::Relation {
                        action,
                        relation: r.clone(),
                    }
                }));
                events.push(changed);
                events
            }
            Report::Error { notice, storage } => vec![AnnotatorEvent::Error {
                message: notice.en,
                message_ar: notice.ar,
                storage,
            }],
        }
    }
}

/// The `Changed` event that tells `changes` in counts, `ad` being the
/// article after them.
pub fn changed(ad: &AnnotatedDoc, changes: &[AnnChange]) -> AnnotatorEvent {
    let count = |f: fn(&AnnChange) -> bool| changes.iter().filter(|c| f(c)).count();
    AnnotatorEvent::Changed {
        annotations: ad.annotations().len(),
        created: count(|c| matches!(c, AnnChange::Created(_))),
        updated: count(|c| matches!(c, AnnChange::Updated(_))),
        deleted: count(|c| matches!(c, AnnChange::Deleted(_))),
        bulk: changes.len() > BULK_CHANGE,
    }
}

/// What became of the relations between `before` and `now`: deletions
/// first (in `before`'s order), then creations. A relation that changed
/// under its id is told as deleted and created again.
fn relation_changes<'a>(
    before: &'a [ExportRelation],
    now: &'a [ExportRelation],
) -> Vec<(RelationAction, &'a ExportRelation)> {
    let index = |rels: &'a [ExportRelation]| -> HashMap<&'a str, &'a ExportRelation> {
        rels.iter().map(|r| (r.id.as_str(), r)).collect()
    };
    let (was, is) = (index(before), index(now));
    let gone = before
        .iter()
        .filter(|r| is.get(r.id.as_str()) != Some(r))
        .map(|r| (RelationAction::Delete, r));
    let came = now
        .iter()
        .filter(|r| was.get(r.id.as_str()) != Some(r))
        .map(|r| (RelationAction::Create, r));
    gone.chain(came).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RelationKind;

    fn rel(id: &str, to: &str) -> ExportRelation {
        ExportRelation {
            id: id.into(),
            kind: RelationKind::About,
            from: "c".into(),
            to: to.into(),
            created_at: "t".into(),
            updated_at: "t".into(),
        }
    }

    #[test]
    fn relations_gone_and_new_are_told_and_a_changed_one_is_both() {
        let before = [rel("r1", "p"), rel("r2", "q"), rel("r3", "m")];
        let now = [rel("r1", "p"), rel("r3", "x"), rel("r4", "q")];
        let told: Vec<(&str, &str)> = relation_changes(&before, &now)
            .into_iter()
            .map(|(action, r)| (action.key(), r.id.as_str()))
            .collect();
        assert_eq!(
            told,
            [
                ("delete", "r2"),
                ("delete", "r3"),
                ("create", "r3"),
                ("create", "r4")
            ]
        );
        assert!(relation_changes(&now, &now).is_empty());
    }

    /// An article of `n` one-letter words, each annotated, and the report
    /// of all of them appearing at once.
    fn made(n: usize) -> (AnnotatedDoc, Report) {
        use crate::model::{Annotation, Document, Label};
        let text = vec!["ب"; n].join(" ");
        let doc = std::rc::Rc::new(Document::from_text("d", &format!("عنوان\n{text}")));
        let anns = (0..n)
            .map(|i| Annotation::new(format!("a{i}"), Label::PERSON, 6 + 2 * i, 7 + 2 * i, "t"))
            .collect();
        let ad = AnnotatedDoc::new(doc, anns);
        let report = Report::Changed(crate::model::diff::diff(&[], ad.annotations()));
        (ad, report)
    }

    #[test]
    fn a_small_change_is_told_annotation_by_annotation_then_counted() {
        let (ad, report) = made(BULK_CHANGE);
        let events = Teller::default().events(&ad, report);
        assert_eq!(events.len(), BULK_CHANGE + 1);
        assert!(matches!(events[0], AnnotatorEvent::Created(_)));
        assert_eq!(
            events.last(),
            Some(&AnnotatorEvent::Changed {
                annotations: BULK_CHANGE,
                created: BULK_CHANGE,
                updated: 0,
                deleted: 0,
                bulk: false
            })
        );
    }

    #[test]
    fn a_bulk_change_is_one_event() {
        let (ad, report) = made(BULK_CHANGE + 1);
        let teller = Teller::default();
        assert_eq!(
            teller.events(&ad, report),
            [AnnotatorEvent::Changed {
                annotations: BULK_CHANGE + 1,
                created: BULK_CHANGE + 1,
                updated: 0,
                deleted: 0,
                bulk: true
            }]
        );
        // and what it did is not told again with the next change
        let gone = Report::Changed(vec![AnnChange::Deleted(ad.annotations()[0].clone())]);
        let next = teller.events(&ad, gone);
        assert_eq!(next.len(), 2, "{next:?}");
    }
}
