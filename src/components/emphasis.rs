//! How the text shows annotations beyond their labels: the selected one and,
//! when a claim is selected, its speaker, its subjects, and the candidate the
//! keys are on while linking. Each block gets only what touches it, so the
//! rest of the article does not re-render.

use crate::model::{AnnotatedDoc, Annotation, RelationKind};
use crate::state::Linking;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Selected,
    Candidate,
    Speaker,
    About,
}

impl Role {
    /// The name marks carry (`data-link`) and painted highlights use (`hashiya-<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Role::Selected => "selected",
            Role::Candidate => "candidate",
            Role::Speaker => "speaker",
            Role::About => "about",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Emphasised {
    pub start: usize,
    pub end: usize,
    pub id: Rc<str>,
    pub role: Role,
}

/// The emphasised annotations of an article (or of part of it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Emphasis(Rc<Vec<Emphasised>>);

impl Emphasis {
    /// What `ad` emphasises with `selected` selected and `linking` under way.
    pub fn of(ad: &AnnotatedDoc, selected: Option<&Rc<Annotation>>, linking: Option<&Linking>) -> Emphasis {
        let Some(sel) = selected else {
            return Emphasis::default();
        };
        let mut out = vec![];
        let mut push = |a: &Annotation, role| {
            out.push(Emphasised {
                start: a.start,
                end: a.end,
                id: Rc::from(a.id.as_str()),
                role,
            })
        };
        push(sel, Role::Selected);
        if let Some(c) = linking
            .and_then(|l| l.candidate.as_ref())
            .and_then(|id| ad.get(id))
        {
            push(c, Role::Candidate);
        }
        for r in &sel.claim.relations {
            if let Some(end) = ad.get(&r.to) {
                let role = match r.kind {
                    RelationKind::Speaker => Role::Speaker,
                    RelationKind::About => Role::About,
                };
                push(end, role);
            }
        }
        Emphasis(Rc::new(out))
    }

    /// Only what touches code points `start..end` (an empty range counts as one point).
    pub fn within(&self, start: usize, end: usize) -> Emphasis {
        let end = end.max(start + 1);
        let inside: Vec<Emphasised> = self
            .0
            .iter()
            .filter(|e| e.start < end && start < e.end)
            .cloned()
            .collect();
        match inside.len() == self.0.len() {
            true => self.clone(),
            false => Emphasis(Rc::new(inside)),
        }
    }

    /// The strongest role of annotation `id` here, if it has one.
    pub fn role_of(&self, id: &str) -> Option<Role> {
        self.0.iter().filter(|e| &*e.id == id).map(|e| e.role).min()
    }

    /// The selected annotation's id, if it is here.
    pub fn selected(&self) -> Option<Rc<str>> {
        self.0
            .iter()
            .find(|e| e.role == Role::Selected)
            .map(|e| e.id.clone())
    }

    /// All but the selected one: what a claim is linked to, and a candidate.
    pub fn links(&self) -> impl Iterator<Item = &Emphasised> {
        self.0.iter().filter(|e| e.role != Role::Selected)
    }

    /// The candidate of a link under way, if any.
    pub fn candidate(&self) -> Option<&Emphasised> {
        self.0.iter().find(|e| e.role == Role::Candidate)
    }
}
