//! Undo and redo as a stack of steps; each step is a list of before/after
//! pictures (of annotations here; the state adds articles' status, place
//! and presence), so every kind of change undoes the same way.

use super::Annotation;
use std::rc::Rc;

/// One annotation of one document before and after a change
/// (`None` before = created, `None` after = deleted).
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub doc_id: String,
    pub before: Option<Annotation>,
    pub after: Option<Annotation>,
}

/// A before/after picture that a history can play backwards.
pub trait Invertible: Clone {
    /// The picture with before and after swapped.
    fn inverted(&self) -> Self;
}

impl Invertible for Change {
    fn inverted(&self) -> Change {
        Change {
            doc_id: self.doc_id.clone(),
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

/// Steps sit behind `Rc` so that copying the state on every action copies
/// pointers, not the whole history.
#[derive(Clone, Debug, PartialEq)]
pub struct History<C = Change> {
    undo: Vec<Rc<Vec<C>>>,
    redo: Vec<Rc<Vec<C>>>,
}

impl<C> Default for History<C> {
    fn default() -> History<C> {
        History {
            undo: vec![],
            redo: vec![],
        }
    }
}

/// Steps kept; older ones fall off so a day's session stays small.
const LIMIT: usize = 1000;

impl<C: Invertible> History<C> {
    /// Records a step that has just been applied; it clears the redo stack.
    pub fn record(&mut self, step: Vec<C>) {
        if step.is_empty() {
            return;
        }
        self.undo.push(Rc::new(step));
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The changes that undo the last step, in the order to apply them.
    pub fn undo(&mut self) -> Option<Vec<C>> {
        let step = self.undo.pop()?;
        let inverse = step.iter().rev().map(C::inverted).collect();
        self.redo.push(step);
        Some(inverse)
    }

    /// The changes that redo the last undone step.
    pub fn redo(&mut self) -> Option<Vec<C>> {
        let step = self.redo.pop()?;
        self.undo.push(step.clone());
        Some((*step).clone())
    }

    /// Forgets every step (to undo or redo) with a change `touches` picks.
    pub fn forget(&mut self, touches: impl Fn(&C) -> bool) {
        self.undo.retain(|s| !s.iter().any(&touches));
        self.redo.retain(|s| !s.iter().any(&touches));
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Label;

    fn a(label: Label) -> Annotation {
        Annotation {
            id: "a".into(),
            label,
            start: 0,
            end: 1,
            note: None,
            created_at: "t".into(),
            updated_at: "t".into(),
            claim: Default::default(),
        }
    }

    #[test]
    fn undo_inverts_and_redo_replays() {
        let mut h: History = History::default();
        let step = vec![Change {
            doc_id: "d".into(),
            before: Some(a(Label::PERSON)),
            after: Some(a(Label::PLACE)),
        }];
        h.record(step.clone());
        let u = h.undo().unwrap();
        assert_eq!(u[0].after.as_ref().unwrap().label, Label::PERSON);
        assert!(h.undo().is_none());
        assert_eq!(h.redo().unwrap(), step);
        assert!(h.can_undo() && !h.can_redo());
        h.record(vec![]);
        assert!(h.can_undo(), "an empty step is not recorded");
    }
}
