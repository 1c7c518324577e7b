//! What changed between two versions of an article's annotations, one
//! annotation at a time: what an embedding page is told after every change.

use super::Annotation;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum AnnChange {
    Created(Rc<Annotation>),
    Updated(Rc<Annotation>),
    Deleted(Rc<Annotation>),
}

/// The changes from `old` to `new`: deletions first (in `old`'s order), then
/// creations and updates in `new`'s reading order. Annotations shared by
/// pointer are unchanged without being compared, so a diff after one edit
/// costs a pass over the list, not a comparison of every annotation.
pub fn diff(old: &[Rc<Annotation>], new: &[Rc<Annotation>]) -> Vec<AnnChange> {
    let before: HashMap<&str, &Rc<Annotation>> = old.iter().map(|a| (a.id.as_str(), a)).collect();
    let after: HashMap<&str, &Rc<Annotation>> = new.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut out: Vec<AnnChange> = old
        .iter()
        .filter(|a| !after.contains_key(a.id.as_str()))
        .map(|a| AnnChange::Deleted(a.clone()))
        .collect();
    for a in new {
        match before.get(a.id.as_str()) {
            None => out.push(AnnChange::Created(a.clone())),
            Some(b) if !Rc::ptr_eq(a, b) && ***b != **a => out.push(AnnChange::Updated(a.clone())),
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Label;

    fn ann(id: &str, label: Label, start: usize) -> Rc<Annotation> {
        Rc::new(Annotation::new(id, label, start, start + 2, "t0"))
    }

    #[test]
    fn creations_updates_and_deletions_are_told_apart() {
        let (a, b, c) = (
            ann("a", Label::PERSON, 0),
            ann("b", Label::PLACE, 5),
            ann("c", Label::CLAIM, 9),
        );
        let relabelled = Rc::new(Annotation {
            label: Label::CLAIM,
            ..(*b).clone()
        });
        let d = ann("d", Label::PLACE, 12);
        let changes = diff(&[a.clone(), b, c.clone()], &[a, relabelled.clone(), d.clone()]);
        assert_eq!(
            changes,
            vec![
                AnnChange::Deleted(c),
                AnnChange::Updated(relabelled),
                AnnChange::Created(d)
            ]
        );
    }

    #[test]
    fn an_equal_copy_is_not_an_update() {
        let a = ann("a", Label::PERSON, 0);
        let copy = Rc::new((*a).clone());
        assert!(diff(&[a], &[copy]).is_empty());
    }
}
