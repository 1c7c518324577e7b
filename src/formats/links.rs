//! Claims' verdicts, sources and links as the readers find them: checked
//! and attached to the claims they belong to, whatever the format.

use super::import::{ImportError, IncomingAnn};
use super::read::{err, opt_string};
use crate::model::claim::check_source;
use crate::model::{digest, Label, Relation, RelationKind};
use serde_json::{Map, Value};

/// A relation as read, before it is checked against the annotations.
#[derive(Clone, Debug, PartialEq)]
pub struct IncomingRelation {
    pub at: String,
    pub id: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// A relation between W3C annotations, which carry no article of their own:
/// its ends are found among the input's annotations once they are placed.
/// A scope (the `source` the end's annotation gave as its target) tells
/// apart annotations of different articles that share an id.
#[derive(Clone, Debug, PartialEq)]
pub struct LooseRelation {
    pub rel: IncomingRelation,
    pub from_scope: Option<String>,
    pub to_scope: Option<String>,
}

/// An id for a relation the input gave none: the same for the same link, so
/// that importing a file twice merges instead of doubling it.
pub(super) fn made_up_relation_id(from: &str, kind: &str, to: &str) -> String {
    format!("rel-{}", &digest(&format!("{from}:{kind}:{to}"))[..12])
}

/// Reads an annotation's `verdict` and `source` (either may be null or
/// missing); a source that is not an http(s) link is an error at its place.
pub(super) fn read_claim_fields(a: &Map<String, Value>, ann: &mut IncomingAnn) -> Result<(), ImportError> {
    ann.claim.verdict = opt_string(a, "verdict", &ann.at)?
        .filter(|v| !v.trim().is_empty())
        .map(str::to_string);
    let at = format!("{}.source", ann.at);
    ann.claim.source = checked_source(opt_string(a, "source", &ann.at)?, &at)?;
    Ok(())
}

/// A source as given (blank counts as none), checked: an error at `at` when
/// it is not an http(s) link.
pub(super) fn checked_source(raw: Option<&str>, at: &str) -> Result<Option<String>, ImportError> {
    match raw.filter(|s| !s.trim().is_empty()) {
        None => Ok(None),
        Some(raw) => match check_source(raw) {
            Ok(url) => Ok(Some(url)),
            Err(why) => err(at, format!("{why}: {raw:?}")),
        },
    }
}

/// Attaches `rels` to the claims of `anns` they start at. A relation whose
/// end is missing, that does not start at a claim, that ends at the wrong
/// kind of annotation, or that gives a claim a second speaker is an error
/// naming it; one whose end was skipped for an unknown label is skipped.
pub(super) fn attach(anns: &mut [IncomingAnn], rels: Vec<IncomingRelation>) -> Result<(), ImportError> {
    let index = |anns: &[IncomingAnn], id: &str| anns.iter().position(|a| a.id.as_deref() == Some(id));
    let mut ids = rustc_hash::FxHashSet::default();
    for r in rels {
        if !ids.insert(r.id.clone()) {
            return err(&r.at, format!("the relation id {:?} is used twice", r.id));
        }
        let Some(kind) = RelationKind::named(&r.kind) else {
            return err(
                format!("{}.type", r.at),
                format!("unknown relation type {:?} (speaker or about)", r.kind),
            );
        };
        let (Some(from), Some(to)) = (index(anns, &r.from), index(anns, &r.to)) else {
            let missing = if index(anns, &r.from).is_none() {
                &r.from
            } else {
                &r.to
            };
            return err(&r.at, format!("no annotation {missing:?} in this article"));
        };
        let (Some(from_label), Some(to_label)) = (anns[from].label, anns[to].label) else {
            continue;
        };
        if from_label != Label::CLAIM {
            return err(
                &r.at,
                format!("starts at {:?}, a {}, not a claim", r.from, from_label.key()),
            );
        }
        if from == to || !kind.allows(to_label) {
            return err(
                &r.at,
                format!(
                    "a {} link ends at {}, and {:?} is a {}",
                    kind.key(),
                    kind.wants(),
                    r.to,
                    to_label.key()
                ),
            );
        }
        let claim = &mut anns[from].claim;
        if kind == RelationKind::Speaker && claim.speaker().is_some() {
            return err(&r.at, format!("claim {:?} has a speaker already", r.from));
        }
        claim.relations.push(Relation {
            id: r.id,
            kind,
            to: r.to,
            created_at: r.created_at.unwrap_or_default(),
            updated_at: r.updated_at.unwrap_or_default(),
        });
    }
    Ok(())
}

/// Attaches relations between W3C annotations once each annotation's article
/// is known (`article[i]` is the article of `loose[i]`). An end is the
/// annotation with that id (and, when the relation gives one, that scope);
/// where an id is in several articles, the article that holds both ends
/// wins. Both ends must be in one article; the end that is a claim is the
/// start, as the W3C model gives a list of targets no order.
pub(super) fn attach_loose(
    loose: &mut [IncomingAnn],
    article: &[String],
    rels: Vec<LooseRelation>,
) -> Result<(), ImportError> {
    let mut by_article: Vec<(String, Vec<IncomingRelation>)> = vec![];
    for LooseRelation {
        mut rel,
        from_scope,
        to_scope,
    } in rels
    {
        let ends = |id: &str, scope: &Option<String>| -> Vec<usize> {
            (0..loose.len())
                .filter(|&i| loose[i].id.as_deref() == Some(id))
                .filter(|&i| scope.is_none() || loose[i].source == *scope)
                .collect()
        };
        let (froms, tos) = (ends(&rel.from, &from_scope), ends(&rel.to, &to_scope));
        let pair = froms
            .iter()
            .find_map(|&f| tos.iter().find(|&&t| article[t] == article[f]).map(|&t| (f, t)));
        let Some((from, to)) = pair else {
            let detail = match (froms.is_empty(), tos.is_empty()) {
                (true, _) => format!("no annotation {:?} in the input", rel.from),
                (_, true) => format!("no annotation {:?} in the input", rel.to),
                _ => format!("{:?} and {:?} are in different articles", rel.from, rel.to),
            };
            return err(&rel.at, detail);
        };
        if loose[from].label != Some(Label::CLAIM) && loose[to].label == Some(Label::CLAIM) {
            std::mem::swap(&mut rel.from, &mut rel.to);
        }
        match by_article.iter_mut().find(|(a, _)| *a == article[from]) {
            Some((_, list)) => list.push(rel),
            None => by_article.push((article[from].clone(), vec![rel])),
        }
    }
    for (id, rels) in by_article {
        let members: Vec<usize> = (0..loose.len()).filter(|&i| article[i] == id).collect();
        let mut group: Vec<IncomingAnn> = members.iter().map(|&i| loose[i].clone()).collect();
        attach(&mut group, rels)?;
        for (i, a) in members.into_iter().zip(group) {
            loose[i].claim = a.claim;
        }
    }
    Ok(())
}
