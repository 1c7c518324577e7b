//! Merging two versions of an article's annotations (two tabs): per
//! annotation the latest change wins, and deletions are kept as tombstones
//! so that a deleted annotation is not brought back by an older copy.

use super::Annotation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A deleted annotation's id and when it was deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: String,
    pub deleted_at: String,
}

/// One side of a merge.
#[derive(Clone, Copy)]
pub struct Version<'a> {
    pub annotations: &'a [Annotation],
    pub tombstones: &'a [Tombstone],
}

enum Latest<'a> {
    Live(&'a Annotation),
    Dead(&'a Tombstone),
}

impl Latest<'_> {
    /// Orders candidates the same way in every tab, so tabs converge: by time,
    /// a deletion before an edit at the same instant, then by content.
    fn key(&self) -> (&str, u8, String) {
        match self {
            Latest::Live(a) => (&a.updated_at, 0, format!("{:?}", a)),
            Latest::Dead(t) => (&t.deleted_at, 1, String::new()),
        }
    }
}

/// The merge of `a` and `b`: surviving annotations and the tombstones to keep.
pub fn merge(a: Version, b: Version) -> (Vec<Annotation>, Vec<Tombstone>) {
    let mut latest: BTreeMap<&str, Latest> = BTreeMap::new();
    let candidates = [a, b].into_iter().flat_map(|v| {
        v.annotations
            .iter()
            .map(|x| (x.id.as_str(), Latest::Live(x)))
            .chain(v.tombstones.iter().map(|t| (t.id.as_str(), Latest::Dead(t))))
    });
    for (id, c) in candidates {
        match latest.get(id) {
            Some(current) if current.key() >= c.key() => {}
            _ => {
                latest.insert(id, c);
            }
        }
    }
    let mut live = vec![];
    let mut dead = vec![];
    for c in latest.into_values() {
        match c {
            Latest::Live(x) => live.push(x.clone()),
            Latest::Dead(t) => dead.push(t.clone()),
        }
    }
    (live, dead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Label;

    fn ann(id: &str, at: &str, label: Label) -> Annotation {
        let mut a = Annotation::new(id, label, 0, 1, "2026-01-01T00:00:00.000Z");
        a.updated_at = at.into();
        a
    }

    fn tomb(id: &str, at: &str) -> Tombstone {
        Tombstone {
            id: id.into(),
            deleted_at: at.into(),
        }
    }

    #[test]
    fn both_sides_additions_survive_and_the_latest_edit_wins() {
        let left = [ann("x", "t1", Label::PERSON), ann("s", "t1", Label::PERSON)];
        let right = [ann("y", "t2", Label::PLACE), ann("s", "t3", Label::CLAIM)];
        let v = |a: &'static [Annotation]| Version {
            annotations: a,
            tombstones: &[],
        };
        let left: &'static [Annotation] = Box::leak(Box::new(left));
        let right: &'static [Annotation] = Box::leak(Box::new(right));
        let (live, dead) = merge(v(left), v(right));
        let ids: Vec<(&str, Label)> = live.iter().map(|a| (a.id.as_str(), a.label)).collect();
        assert_eq!(
            ids,
            vec![("s", Label::CLAIM), ("x", Label::PERSON), ("y", Label::PLACE)]
        );
        assert!(dead.is_empty());
        // symmetric
        let (again, _) = merge(v(right), v(left));
        assert_eq!(again, live);
    }

    #[test]
    fn a_deletion_is_not_resurrected_by_an_older_copy() {
        let old = [ann("x", "t1", Label::PERSON)];
        let tombs = [tomb("x", "t2")];
        let (live, dead) = merge(
            Version {
                annotations: &[],
                tombstones: &tombs,
            },
            Version {
                annotations: &old,
                tombstones: &[],
            },
        );
        assert!(live.is_empty());
        assert_eq!(dead, tombs.to_vec());
        // but an edit made after the deletion (an undo) brings it back
        let newer = [ann("x", "t3", Label::PERSON)];
        let (live, dead) = merge(
            Version {
                annotations: &newer,
                tombstones: &[],
            },
            Version {
                annotations: &[],
                tombstones: &tombs,
            },
        );
        assert_eq!(live.len(), 1);
        assert!(dead.is_empty());
    }
}
