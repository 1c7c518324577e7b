//! What changed between two versions of an article's annotations, one
//! annotation at a time: what an embedding page is told after every change.

use super::Annotation;
use rustc_hash::FxHashMap;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum AnnChange {
    Created(Rc<Annotation>),
    Updated(Rc<Annotation>),
    Deleted(Rc<Annotation>),
}

/// The changes from `old` to `new`: deletions first (in `old`'s order), then
/// creations and updates in `new`'s reading order. Annotations shared by
/// pointer are unchanged without being compared, and the runs both lists
/// share at their ends are skipped by pointer before anything is hashed, so
/// a diff after one edit of 20,000 annotations indexes only the few between.
pub fn diff(old: &[Rc<Annotation>], new: &[Rc<Annotation>]) -> Vec<AnnChange> {
    let same = |(a, b): (&Rc<Annotation>, &Rc<Annotation>)| Rc::ptr_eq(a, b);
    let head = old.iter().zip(new).take_while(|&p| same(p)).count();
    let (old, new) = (&old[head..], &new[head..]);
    let tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take_while(|&p| same(p))
        .count();
    let (old, new) = (&old[..old.len() - tail], &new[..new.len() - tail]);
    let before: FxHashMap<&str, &Rc<Annotation>> = old.iter().map(|a| (a.id.as_str(), a)).collect();
    let after: FxHashMap<&str, &Rc<Annotation>> = new.iter().map(|a| (a.id.as_str(), a)).collect();
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
    fn only_what_lies_between_the_shared_ends_is_told() {
        let list: Vec<_> = (0..6)
            .map(|i| ann(&format!("a{i}"), Label::PERSON, i * 4))
            .collect();
        let mut after = list.clone();
        let moved = Rc::new(Annotation {
            label: Label::PLACE,
            ..(*after[3]).clone()
        });
        after[3] = moved.clone();
        after.remove(1);
        let extra = ann("new", Label::CLAIM, 9);
        after.insert(2, extra.clone());
        assert_eq!(
            diff(&list, &after),
            vec![
                AnnChange::Deleted(list[1].clone()),
                AnnChange::Created(extra),
                AnnChange::Updated(moved)
            ]
        );
        assert!(diff(&list, &list).is_empty());
        assert_eq!(diff(&list, &[]).len(), 6);
        assert_eq!(diff(&[], &list).len(), 6);
    }

    #[test]
    fn an_equal_copy_is_not_an_update() {
        let a = ann("a", Label::PERSON, 0);
        let copy = Rc::new((*a).clone());
        assert!(diff(&[a], &[copy]).is_empty());
    }

    /// Checked natively: proptest does not build for wasm.
    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;

        /// The diff over the whole lists, without skipping the shared ends.
        fn naive(old: &[Rc<Annotation>], new: &[Rc<Annotation>]) -> Vec<AnnChange> {
            let after: rustc_hash::FxHashSet<&str> = new.iter().map(|a| a.id.as_str()).collect();
            let before: FxHashMap<&str, &Rc<Annotation>> = old.iter().map(|a| (a.id.as_str(), a)).collect();
            let mut out: Vec<AnnChange> = old
                .iter()
                .filter(|a| !after.contains(a.id.as_str()))
                .map(|a| AnnChange::Deleted(a.clone()))
                .collect();
            for a in new {
                match before.get(a.id.as_str()) {
                    None => out.push(AnnChange::Created(a.clone())),
                    Some(b) if ***b != **a => out.push(AnnChange::Updated(a.clone())),
                    Some(_) => {}
                }
            }
            out
        }

        proptest::proptest! {
            /// Edits of a shared list (removals, insertions, relabellings, equal
            /// copies) are told exactly as a diff of the whole lists tells them.
            #[test]
            fn skipping_the_shared_ends_changes_nothing_told(
                n in 0usize..40,
                edits in proptest::collection::vec((0u8..4, 0usize..64), 0..8),
            ) {
                let old: Vec<_> = (0..n).map(|i| ann(&format!("a{i}"), Label::PERSON, i * 3)).collect();
                let mut new = old.clone();
                for (k, (op, at)) in edits.into_iter().enumerate() {
                    let i = if new.is_empty() { 0 } else { at % new.len() };
                    match op {
                        0 if !new.is_empty() => { new.remove(i); }
                        1 => new.insert(i.min(new.len()), ann(&format!("n{k}"), Label::CLAIM, at)),
                        2 if !new.is_empty() => new[i] = Rc::new(Annotation { label: Label::PLACE, ..(*new[i]).clone() }),
                        3 if !new.is_empty() => new[i] = Rc::new((*new[i]).clone()),
                        _ => {}
                    }
                }
                proptest::prop_assert_eq!(diff(&old, &new), naive(&old, &new));
            }
        }
    }
}
