//! Claims' verdicts, sources and links as the readers find them: checked
//! and attached to the claims they belong to, whatever the format.

use super::import::{ImportError, IncomingAnn};
use super::read::{err, opt_string};
use crate::model::claim::check_source;
use crate::model::{Label, Relation, RelationKind};
use serde_json::{Map, Value};

/// A relation as read, before it is checked against the annotations.
pub(super) struct IncomingRelation {
    pub at: String,
    pub id: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// Reads an annotation's `verdict` and `source` (either may be null or
/// missing); a source that is not an http(s) link is an error at its place.
pub(super) fn read_claim_fields(a: &Map<String, Value>, ann: &mut IncomingAnn) -> Result<(), ImportError> {
    ann.claim.verdict = opt_string(a, "verdict", &ann.at)?
        .filter(|v| !v.trim().is_empty())
        .map(str::to_string);
    if let Some(raw) = opt_string(a, "source", &ann.at)?.filter(|s| !s.trim().is_empty()) {
        match check_source(raw) {
            Ok(url) => ann.claim.source = Some(url),
            Err(why) => return err(format!("{}.source", ann.at), format!("{why}: {raw:?}")),
        }
    }
    Ok(())
}

/// Attaches `rels` to the claims of `anns` they start at. A relation whose
/// end is missing, that does not start at a claim, that ends at the wrong
/// kind of annotation, or that gives a claim a second speaker is an error
/// naming it; one whose end was skipped for an unknown label is skipped.
pub(super) fn attach(anns: &mut [IncomingAnn], rels: Vec<IncomingRelation>) -> Result<(), ImportError> {
    let index = |anns: &[IncomingAnn], id: &str| anns.iter().position(|a| a.id.as_deref() == Some(id));
    let mut ids = std::collections::HashSet::new();
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
