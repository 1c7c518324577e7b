//! What a fact-checker records on a claim: who made it (a `speaker` link to a
//! person), what it is about (`about` links to persons and places), the
//! verdict, and the evidence (`source`, an http(s) URL).
//!
//! Links live on the claim that makes them: every relation starts at a claim,
//! so a claim and its links change, undo and merge across tabs as one record,
//! and deleting the claim deletes them with it. Links *to* an annotation that
//! is deleted (or relabelled out of what they allow) are dropped in the same
//! step by `broken_links`.

use super::{AnnotatedDoc, Annotation, Label};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelationKind {
    /// The person who made the claim; at most one per claim.
    Speaker,
    /// A person or place the claim is about; any number.
    About,
}

impl RelationKind {
    pub fn key(self) -> &'static str {
        match self {
            RelationKind::Speaker => "speaker",
            RelationKind::About => "about",
        }
    }

    pub fn named(raw: &str) -> Option<RelationKind> {
        match raw {
            "speaker" => Some(RelationKind::Speaker),
            "about" => Some(RelationKind::About),
            _ => None,
        }
    }

    /// Whether a link of this kind may end at an annotation labelled `to`.
    pub fn allows(self, to: Label) -> bool {
        match self {
            RelationKind::Speaker => to == Label::PERSON,
            RelationKind::About => to == Label::PERSON || to == Label::PLACE,
        }
    }

    /// What may be at the end, for messages.
    pub fn wants(self) -> &'static str {
        match self {
            RelationKind::Speaker => "a person",
            RelationKind::About => "a person or a place",
        }
    }
}

/// A link from the claim that holds it to annotation `to` of the same article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: RelationKind,
    pub to: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A claim's record beyond its span; empty on every other annotation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRecord {
    /// A verdict id from the annotator's list (`VerdictSet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// The evidence or the published check: an http(s) URL (`check_source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
}

impl ClaimRecord {
    pub fn is_empty(&self) -> bool {
        self.verdict.is_none() && self.source.is_none() && self.relations.is_empty()
    }

    pub fn speaker(&self) -> Option<&Relation> {
        self.relations.iter().find(|r| r.kind == RelationKind::Speaker)
    }

    pub fn about(&self) -> impl Iterator<Item = &Relation> {
        self.relations.iter().filter(|r| r.kind == RelationKind::About)
    }

    /// Adds a link; a new speaker replaces the old one, and a link that is
    /// already there (same kind, same end) is kept as it is. False when
    /// nothing changed.
    pub fn link(&mut self, rel: Relation) -> bool {
        if self
            .relations
            .iter()
            .any(|r| r.kind == rel.kind && r.to == rel.to)
        {
            return false;
        }
        if rel.kind == RelationKind::Speaker {
            self.relations.retain(|r| r.kind != RelationKind::Speaker);
        }
        self.relations.push(rel);
        true
    }
}

/// Why a link cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    NoSuchAnnotation(String),
    NotAClaim(String),
    WrongEnd {
        kind: RelationKind,
        to: String,
        label: Label,
    },
    ToItself,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::NoSuchAnnotation(id) => write!(f, "there is no annotation {id:?} in this article"),
            LinkError::NotAClaim(id) => write!(f, "annotation {id:?} is not a claim; links start at a claim"),
            LinkError::WrongEnd { kind, to, label } => write!(
                f,
                "a {} link ends at {}, and {to:?} is a {}",
                kind.key(),
                kind.wants(),
                label.key()
            ),
            LinkError::ToItself => write!(f, "a claim cannot be linked to itself"),
        }
    }
}

/// Checks a link `from` → `to` of `kind` in `ad`.
pub fn check_link(ad: &AnnotatedDoc, from: &str, kind: RelationKind, to: &str) -> Result<(), LinkError> {
    let claim = ad
        .get(from)
        .ok_or_else(|| LinkError::NoSuchAnnotation(from.into()))?;
    if claim.label != Label::CLAIM {
        return Err(LinkError::NotAClaim(from.into()));
    }
    if from == to {
        return Err(LinkError::ToItself);
    }
    let end = ad.get(to).ok_or_else(|| LinkError::NoSuchAnnotation(to.into()))?;
    if !kind.allows(end.label) {
        return Err(LinkError::WrongEnd {
            kind,
            to: to.into(),
            label: end.label,
        });
    }
    Ok(())
}

/// The annotations whose claim record no longer fits the article, each as
/// it should be: links to annotations that are gone or no longer of a kind
/// the link allows are dropped, and an annotation that is not a claim keeps
/// no record. Run after every change, so that the fix is part of its step.
pub fn broken_links(ad: &AnnotatedDoc) -> Vec<Annotation> {
    let mut out = vec![];
    for a in ad.annotations().iter().filter(|a| !a.claim.is_empty()) {
        let mut fixed = (**a).clone();
        if a.label != Label::CLAIM {
            fixed.claim = ClaimRecord::default();
        } else {
            fixed
                .claim
                .relations
                .retain(|r| ad.get(&r.to).is_some_and(|end| r.kind.allows(end.label)));
        }
        if fixed.claim != a.claim {
            out.push(fixed);
        }
    }
    out
}

/// Checks a source URL: `http` or `https` with a host, no spaces or control
/// characters. Gives it trimmed, or says why it is refused.
pub fn check_source(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("only http:// and https:// links are allowed")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with('@') || host.starts_with(':') {
        return Err("the link has no host".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a link cannot contain spaces or control characters".into());
    }
    if url.len() > 2048 {
        return Err("the link is longer than 2,048 characters".into());
    }
    Ok(url.to_string())
}

/// One verdict a checker can give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub id: String,
    pub ar: String,
    pub en: String,
    /// On ClaimReview's scale (`WORST_RATING`..`BEST_RATING`); none for
    /// verdicts that rate nothing, such as "unproven".
    pub rating: Option<u8>,
}

pub const BEST_RATING: u8 = 5;
pub const WORST_RATING: u8 = 1;

/// The verdicts an annotator offers, in menu order.
///
/// ```
/// use hashiya::VerdictSet;
///
/// let ours = VerdictSet::parse(r#"[{"id": "satire", "ar": "ساخر", "en": "Satire"}, {"id": "false", "ar": "زائف", "rating": 1}]"#).unwrap();
/// assert!(ours.get("satire").is_some());
/// assert!(VerdictSet::default().get("misleading").is_some());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerdictSet(std::rc::Rc<[Verdict]>);

impl Default for VerdictSet {
    fn default() -> VerdictSet {
        let v = |id: &str, ar: &str, en: &str, rating| Verdict {
            id: id.into(),
            ar: ar.into(),
            en: en.into(),
            rating,
        };
        VerdictSet(std::rc::Rc::from(vec![
            v("true", "صحيح", "True", Some(5)),
            v("mostly-true", "صحيح في معظمه", "Mostly true", Some(4)),
            v("misleading", "مضلل", "Misleading", Some(2)),
            v("false", "زائف", "False", Some(1)),
            v("unproven", "غير مثبت", "Unproven", None),
        ]))
    }
}

impl VerdictSet {
    pub fn get(&self, id: &str) -> Option<&Verdict> {
        self.0.iter().find(|v| v.id == id)
    }

    /// A host's list, as given in the `verdicts` attribute: a JSON array of
    /// `{id, ar, en?, rating?}` or a comma list of ids (`a, b`) that are
    /// their own names. Ratings must lie on the scale; an empty list, or one
    /// with a bad entry, is refused with the reason.
    pub fn parse(raw: &str) -> Result<VerdictSet, String> {
        #[derive(Deserialize)]
        struct Given {
            id: String,
            ar: Option<String>,
            en: Option<String>,
            rating: Option<u8>,
        }
        let given: Vec<Given> = match raw.trim_start().starts_with('[') {
            true => serde_json::from_str(raw).map_err(|e| format!("verdicts: {e}"))?,
            false => raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|id| Given {
                    id: id.into(),
                    ar: None,
                    en: None,
                    rating: None,
                })
                .collect(),
        };
        let mut out: Vec<Verdict> = vec![];
        for (i, g) in given.into_iter().enumerate() {
            let ok_id = !g.id.is_empty()
                && g.id.len() <= 64
                && g.id.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
            if !ok_id {
                return Err(format!(
                    "verdicts[{i}]: the id {:?} is not a word of letters, digits, - or _",
                    g.id
                ));
            }
            if out.iter().any(|v| v.id == g.id) {
                return Err(format!("verdicts[{i}]: the id {:?} is given twice", g.id));
            }
            if g.rating
                .is_some_and(|r| !(WORST_RATING..=BEST_RATING).contains(&r))
            {
                return Err(format!(
                    "verdicts[{i}]: a rating lies between {WORST_RATING} and {BEST_RATING}"
                ));
            }
            let ar = g.ar.unwrap_or_else(|| g.id.clone());
            out.push(Verdict {
                en: g.en.unwrap_or_else(|| ar.clone()),
                ar,
                id: g.id,
                rating: g.rating,
            });
        }
        if out.is_empty() {
            return Err("verdicts: the list is empty".into());
        }
        Ok(VerdictSet(out.into()))
    }
}

impl std::ops::Deref for VerdictSet {
    type Target = [Verdict];
    fn deref(&self) -> &[Verdict] {
        &self.0
    }
}

/// Words that introduce reported speech: a person just before one of them,
/// followed by the claim, is most likely its speaker.
const SAID: [&str; 12] = [
    "قال",
    "قالت",
    "أكد",
    "أكدت",
    "أوضح",
    "أوضحت",
    "أعلن",
    "أعلنت",
    "صرح",
    "صرحت",
    "أضاف",
    "أضافت",
];

/// How many words may stand between the person and the claim.
const NEAR_WORDS: usize = 6;

/// The person most likely to have made `claim`: the nearest person
/// annotation before it in the same sentence, or one a "said" word (قال،
/// أكد، أوضح…) ties to it within a few words (قال جون كيري إن …, or
/// … أكد كيري). None when nothing fits; the user decides.
pub fn suggest_speaker(ad: &AnnotatedDoc, claim: &Annotation) -> Option<String> {
    let text = ad.doc.text();
    let persons = ad.annotations().iter().filter(|a| a.label == Label::PERSON);
    let mut best: Option<(usize, &Annotation)> = None;
    for p in persons {
        let between = if p.end <= claim.start {
            ad.doc.slice(p.end, claim.start)
        } else if p.start >= claim.end {
            // a speaker named after the claim: "…"، قال كيري
            ad.doc.slice(claim.end, p.start)
        } else {
            continue;
        };
        let words = between.split_whitespace().count();
        let one_sentence = !between.contains(['.', '!', '?', '؟', '\n', '؛']);
        let said_near = words <= NEAR_WORDS && has_said_word(between, text, p, claim);
        let before_in_sentence = p.end <= claim.start && one_sentence;
        if !(said_near || before_in_sentence) {
            continue;
        }
        // nearer is better; a "said" word counts as very near
        let distance = if said_near { 0 } else { between.chars().count() };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, p));
        }
    }
    best.map(|(_, p)| p.id.clone())
}

/// Whether a "said" word stands between the person and the claim, or just
/// before a person that precedes the claim (قال جون كيري إن …).
fn has_said_word(between: &str, text: &str, p: &Annotation, claim: &Annotation) -> bool {
    let is_said = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphabetic());
        let w = w
            .strip_prefix('و')
            .filter(|rest| SAID.contains(rest))
            .unwrap_or(w);
        SAID.contains(&w)
    };
    if between.split_whitespace().any(is_said) {
        return true;
    }
    if p.end > claim.start {
        return false;
    }
    let before: String = text.chars().take(p.start).collect();
    before.split_whitespace().rev().take(2).any(is_said)
}

/// Annotations and links for the tests of the modules that read and write claims.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// Annotation `id` over the first `needle` in `text`.
    pub fn ann_at(text: &str, id: &str, label: Label, needle: &str) -> Annotation {
        let byte = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} is not in the text"));
        let start = text[..byte].chars().count();
        Annotation::new(
            id,
            label,
            start,
            start + needle.chars().count(),
            "2026-11-29T10:00:00.000Z",
        )
    }

    pub fn relation(id: &str, kind: RelationKind, to: &str) -> Relation {
        Relation {
            id: id.into(),
            kind,
            to: to.into(),
            created_at: "2026-11-29T10:00:01.000Z".into(),
            updated_at: "2026-11-29T10:00:02.000Z".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;
    use std::rc::Rc;

    const TEXT: &str = "عنوان\nقال وزير الخارجية جون كيري إن المحادثات في موسكو كانت مثمرة. وفي دمشق قالت المعارضة إن الهدنة صامدة.";

    fn ann(id: &str, label: Label, needle: &str) -> Annotation {
        fixtures::ann_at(TEXT, id, label, needle)
    }

    fn doc(anns: Vec<Annotation>) -> AnnotatedDoc {
        AnnotatedDoc::new(Rc::new(Document::from_text("d", TEXT)), anns)
    }

    #[test]
    fn the_person_before_a_claim_after_said_is_suggested_and_never_one_across_a_sentence() {
        let claim = ann("c", Label::CLAIM, "المحادثات في موسكو كانت مثمرة");
        let d = doc(vec![
            ann("p", Label::PERSON, "جون كيري"),
            ann("m", Label::PLACE, "موسكو"),
            claim.clone(),
        ]);
        assert_eq!(suggest_speaker(&d, &claim).as_deref(), Some("p"));
        // the second sentence's claim has no person of its own: kerry is a sentence away
        let other = ann("c2", Label::CLAIM, "الهدنة صامدة");
        let d = doc(vec![ann("p", Label::PERSON, "جون كيري"), other.clone()]);
        assert_eq!(suggest_speaker(&d, &other), None);
        // with no person at all, nothing
        assert_eq!(suggest_speaker(&doc(vec![claim.clone()]), &claim), None);
    }

    #[test]
    fn a_speaker_is_one_and_links_to_deleted_or_relabelled_ends_break() {
        let rel = |id: &str, kind, to: &str| Relation {
            id: id.into(),
            kind,
            to: to.into(),
            created_at: "t".into(),
            updated_at: "t".into(),
        };
        let mut claim = ann("c", Label::CLAIM, "المحادثات في موسكو كانت مثمرة");
        assert!(claim.claim.link(rel("r1", RelationKind::Speaker, "p")));
        assert!(claim.claim.link(rel("r2", RelationKind::About, "m")));
        assert!(
            !claim.claim.link(rel("r3", RelationKind::About, "m")),
            "the same link twice"
        );
        assert!(
            claim.claim.link(rel("r4", RelationKind::Speaker, "q")),
            "relinking replaces"
        );
        assert_eq!(claim.claim.speaker().unwrap().id, "r4");
        assert_eq!(claim.claim.relations.len(), 2);
        let person = ann("q", Label::PERSON, "جون كيري");
        let place = ann("m", Label::PLACE, "موسكو");
        let d = doc(vec![person.clone(), place.clone(), claim.clone()]);
        assert!(broken_links(&d).is_empty());
        assert_eq!(
            check_link(&d, "c", RelationKind::Speaker, "m")
                .unwrap_err()
                .to_string(),
            "a speaker link ends at a person, and \"m\" is a place"
        );
        assert_eq!(
            check_link(&d, "q", RelationKind::About, "m"),
            Err(LinkError::NotAClaim("q".into()))
        );
        assert_eq!(
            check_link(&d, "c", RelationKind::About, "c"),
            Err(LinkError::ToItself)
        );
        // the speaker relabelled as a place: the speaker link breaks, about stays
        let mut moved = person.clone();
        moved.label = Label::PLACE;
        let d = doc(vec![moved, place.clone(), claim.clone()]);
        let fixed = broken_links(&d);
        assert_eq!(fixed.len(), 1);
        assert_eq!(
            fixed[0]
                .claim
                .relations
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
            ["r2"]
        );
        // the place deleted: its about link goes
        let d = doc(vec![person, claim.clone()]);
        assert_eq!(broken_links(&d)[0].claim.relations.len(), 1);
        // a claim relabelled as a person keeps no record
        let mut was_claim = claim;
        was_claim.label = Label::PERSON;
        assert!(broken_links(&doc(vec![was_claim]))[0].claim.is_empty());
    }

    #[test]
    fn only_http_and_https_sources_with_a_host_are_kept() {
        assert_eq!(
            check_source("  https://example.org/check?id=1 ").unwrap(),
            "https://example.org/check?id=1"
        );
        assert!(check_source("HTTP://EXAMPLE.ORG").is_ok());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "https://",
            "ftp://x.org",
            "https://a b.org",
            "//x.org",
            "https://@x",
        ] {
            assert!(check_source(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_hosts_verdicts_are_checked() {
        assert_eq!(VerdictSet::default().get("misleading").unwrap().ar, "مضلل");
        let set = VerdictSet::parse(
            r#"[{"id": "sound", "ar": "سليم", "en": "Sound", "rating": 5}, {"id": "odd", "ar": "غريب"}]"#,
        )
        .unwrap();
        assert_eq!(set.len(), 2);
        assert_eq!(set.get("odd").unwrap().en, "غريب");
        assert_eq!(VerdictSet::parse("a, b").unwrap().get("b").unwrap().ar, "b");
        for bad in ["", "[]", r#"[{"id": "x", "rating": 9}]"#, "a, a", "a b", "[{"] {
            assert!(VerdictSet::parse(bad).is_err(), "{bad}");
        }
    }
}
