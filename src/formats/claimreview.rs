//! ClaimReview (schema.org JSON-LD, the fact-check markup search engines
//! read): one `ClaimReview` per claim that has a verdict. Export only.
//!
//! What Google's fact-check markup requires, and what we fill: `claimReviewed`
//! (the claim's text), `reviewRating.alternateName` (the verdict's name) and
//! `url` (the page of the fact check: the claim's source, left out when it has
//! none). What it recommends and we know: `itemReviewed` (a `Claim` with its
//! `author`, the speaker, and its `appearance`, the article), the numeric
//! rating on the verdicts' scale, and `datePublished` (the claim's last
//! change); `sdDatePublished` says when the markup was made. What we do not know is
//! left out rather than guessed: the review's own `author` (the fact-checking
//! organisation) and the date the claim was made.

use crate::model::claim::{check_source, VerdictSet, BEST_RATING, WORST_RATING};
use crate::model::{AnnotatedDoc, Annotation, Label};
use serde::Serialize;

pub const SCHEMA_CONTEXT: &str = "https://schema.org";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    claim_reviewed: &'a str,
    review_rating: Rating<'a>,
    item_reviewed: Claim<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    /// When this markup was made (schema.org's date of structured data).
    #[serde(skip_serializing_if = "Option::is_none")]
    sd_date_published: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    alternate_name: &'a str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    scale: Option<Scale>,
}

/// A verdict's place on the scale, given only for verdicts that rate.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Scale {
    rating_value: u8,
    best_rating: u8,
    worst_rating: u8,
}

#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Named<'a>>,
    appearance: Appearance<'a>,
}

/// A person or place as the article names it.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// The article the claim appears in.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Appearance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    in_language: &'a str,
}

/// Every claim with a verdict in `docs` (each with the article's address
/// when the host gives one), as a pretty JSON array of ClaimReviews; the
/// verdicts' names in English when `english`, else in Arabic. A verdict id
/// that is not in `verdicts` is its own name and rates nothing.
pub fn export_claimreview<'a>(
    docs: impl IntoIterator<Item = (&'a AnnotatedDoc, Option<&'a str>)>,
    verdicts: &VerdictSet,
    english: bool,
    now: &str,
) -> String {
    let mut reviews: Vec<ClaimReview> = vec![];
    for (ad, article_url) in docs {
        let article_url = article_url.and_then(|u| check_source(u).ok());
        for a in ad.annotations().iter().filter(|a| a.label == Label::CLAIM) {
            if let Some(mut review) = review(ad, a, article_url.as_deref(), verdicts, english) {
                review.sd_date_published = date_part(now);
                reviews.push(review);
            }
        }
    }
    serde_json::to_string_pretty(&reviews).expect("plain data")
}

fn review<'a>(
    ad: &'a AnnotatedDoc,
    claim: &'a Annotation,
    article_url: Option<&str>,
    verdicts: &'a VerdictSet,
    english: bool,
) -> Option<ClaimReview<'a>> {
    let verdict_id = claim.claim.verdict.as_deref()?;
    let verdict = verdicts.get(verdict_id);
    let name = match (verdict, english) {
        (Some(v), true) => &v.en,
        (Some(v), false) => &v.ar,
        (None, _) => verdict_id,
    };
    let scale = verdict.and_then(|v| v.rating).map(|rating_value| Scale {
        rating_value,
        best_rating: BEST_RATING,
        worst_rating: WORST_RATING,
    });
    let doc = &ad.doc;
    let named = |to: &str, kind: &'static str| {
        let end = ad.get(to)?;
        Some(Named {
            kind,
            name: doc.slice(end.start, end.end),
        })
    };
    let about = claim
        .claim
        .about()
        .filter_map(|r| {
            let kind = match ad.get(&r.to)?.label {
                Label::PERSON => "Person",
                Label::PLACE => "Place",
                _ => return None,
            };
            named(&r.to, kind)
        })
        .collect();
    Some(ClaimReview {
        context: SCHEMA_CONTEXT,
        kind: "ClaimReview",
        claim_reviewed: doc.slice(claim.start, claim.end),
        review_rating: Rating {
            kind: "Rating",
            alternate_name: name,
            scale,
        },
        item_reviewed: Claim {
            kind: "Claim",
            author: claim.claim.speaker().and_then(|r| named(&r.to, "Person")),
            about,
            appearance: Appearance {
                kind: "CreativeWork",
                headline: doc.title(),
                url: article_url.map(str::to_string),
                in_language: &doc.lang,
            },
        },
        url: claim.claim.source.as_deref(),
        date_published: date_part(&claim.updated_at),
        sd_date_published: None,
    })
}

/// `YYYY-MM-DD` of an ISO 8601 time, or none when it does not start with one.
fn date_part(time: &str) -> Option<&str> {
    let date = time.get(..10)?;
    let shape_ok = date.char_indices().all(|(i, c)| {
        if i == 4 || i == 7 {
            c == '-'
        } else {
            c.is_ascii_digit()
        }
    });
    let rest_ok = time.len() == 10 || time[10..].starts_with('T');
    (shape_ok && rest_ok).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Relation, RelationKind};
    use serde_json::Value;
    use std::rc::Rc;

    const TEXT: &str = "عنوان\nقال جون كيري إن موسكو مستعدة.";

    fn ann(id: &str, label: Label, needle: &str) -> Annotation {
        crate::model::claim::fixtures::ann_at(TEXT, id, label, needle)
    }

    fn link(id: &str, kind: RelationKind, to: &str) -> Relation {
        crate::model::claim::fixtures::relation(id, kind, to)
    }

    fn export(claim: Annotation, url: Option<&str>, english: bool) -> Value {
        let doc = Rc::new(Document::from_text("d", TEXT));
        let ad = AnnotatedDoc::new(
            doc,
            vec![
                ann("p", Label::PERSON, "جون كيري"),
                ann("m", Label::PLACE, "موسكو"),
                claim,
            ],
        );
        let json = export_claimreview([(&ad, url)], &VerdictSet::default(), english, "now");
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn a_claim_with_a_verdict_becomes_a_review_with_its_speaker_subject_and_source() {
        let mut claim = ann("c", Label::CLAIM, "موسكو مستعدة");
        claim.claim.verdict = Some("mostly-true".into());
        claim.claim.source = Some("https://example.org/check".into());
        claim.claim.link(link("r1", RelationKind::Speaker, "p"));
        claim.claim.link(link("r2", RelationKind::About, "m"));
        let v = export(claim, Some("https://news.example/kerry"), true);
        let r = &v[0];
        assert_eq!(r["claimReviewed"], "موسكو مستعدة");
        assert_eq!(r["reviewRating"]["alternateName"], "Mostly true");
        assert_eq!(r["reviewRating"]["ratingValue"], 4);
        assert_eq!(r["reviewRating"]["bestRating"], 5);
        assert_eq!(r["url"], "https://example.org/check");
        assert_eq!(r["datePublished"], "2026-11-29");
        assert_eq!(r["itemReviewed"]["author"]["name"], "جون كيري");
        assert_eq!(r["itemReviewed"]["about"][0]["@type"], "Place");
        assert_eq!(r["itemReviewed"]["appearance"]["headline"], "عنوان");
        assert_eq!(
            r["itemReviewed"]["appearance"]["url"],
            "https://news.example/kerry"
        );
    }

    #[test]
    fn unknown_verdicts_rate_nothing_and_unknown_facts_are_left_out() {
        let mut claim = ann("c", Label::CLAIM, "موسكو مستعدة");
        claim.claim.verdict = Some("satire".into());
        claim.updated_at = "yesterday".into();
        let v = export(claim.clone(), Some("javascript:alert(1)"), false);
        let r = &v[0];
        assert_eq!(r["reviewRating"]["alternateName"], "satire");
        for absent in [
            &r["reviewRating"]["ratingValue"],
            &r["url"],
            &r["datePublished"],
            &r["itemReviewed"]["author"],
            &r["itemReviewed"]["appearance"]["url"],
        ] {
            assert_eq!(absent, &Value::Null, "{r}");
        }
        // Arabic names; no verdict, no review
        claim.claim.verdict = Some("false".into());
        assert_eq!(
            export(claim.clone(), None, false)[0]["reviewRating"]["alternateName"],
            "زائف"
        );
        claim.claim.verdict = None;
        assert_eq!(export(claim, None, false), serde_json::json!([]));
    }
}
