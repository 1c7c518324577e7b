//! The ClaimReview export checked against the schema.org vocabulary (an extract of release
//! 30.0 in `fixtures/schemaorg-claimreview-vocabulary.json`, which says where it came from)
//! and against what Google's fact-check markup requires
//! (developers.google.com/search/docs/appearance/structured-data/factcheck): every `@type`
//! is a schema.org type, every property is one the type has (its domainIncludes, through
//! superclasses too), every value fits the property's rangeIncludes, and the required
//! properties are there. Run with `--nocapture` to see one exported review.
#![cfg(not(target_arch = "wasm32"))]

use hashiya::formats::claimreview::export_claimreview;
use hashiya::model::{AnnotatedDoc, Annotation, Document, Label, Relation, RelationKind, VerdictSet};
use hashiya::seed::bundled;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::rc::Rc;

const NOW: &str = "2026-12-01T09:30:00.000Z";

// ---------------------------------------------------------------- the vocabulary

struct Vocabulary {
    /// Each class with its direct superclasses.
    classes: HashMap<String, Vec<String>>,
    /// Each property with its domainIncludes and rangeIncludes.
    properties: HashMap<String, (Vec<String>, Vec<String>)>,
}

fn vocabulary() -> Vocabulary {
    let v: Value = serde_json::from_str(include_str!("fixtures/schemaorg-claimreview-vocabulary.json"))
        .expect("the vocabulary is JSON");
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("a list of names")
            .iter()
            .map(|n| n.as_str().expect("a name").to_string())
            .collect()
    };
    let classes = v["classes"]
        .as_object()
        .expect("classes")
        .iter()
        .map(|(k, supers)| (k.clone(), names(supers)))
        .collect();
    let properties = v["properties"]
        .as_object()
        .expect("properties")
        .iter()
        .map(|(k, p)| {
            (
                k.clone(),
                (names(&p["domainIncludes"]), names(&p["rangeIncludes"])),
            )
        })
        .collect();
    Vocabulary { classes, properties }
}

impl Vocabulary {
    /// Whether `class` is `ancestor` or one of its subclasses.
    fn is_a(&self, class: &str, ancestor: &str) -> bool {
        class == ancestor
            || self
                .classes
                .get(class)
                .is_some_and(|supers| supers.iter().any(|s| self.is_a(s, ancestor)))
    }

    /// Every way `node` (an object with an `@type`) breaks the vocabulary, by path.
    fn check(&self, node: &Map<String, Value>, path: &str, errors: &mut Vec<String>) {
        let Some(kind) = node.get("@type").and_then(Value::as_str) else {
            errors.push(format!("{path}: no @type"));
            return;
        };
        if !self.classes.contains_key(kind) {
            errors.push(format!("{path}: {kind} is not a schema.org type"));
            return;
        }
        for (key, value) in node.iter().filter(|(k, _)| !k.starts_with('@')) {
            let here = format!("{path}.{key}");
            let Some((domain, range)) = self.properties.get(key) else {
                errors.push(format!("{here}: {key} is not a schema.org property"));
                continue;
            };
            if !domain.iter().any(|d| self.is_a(kind, d)) {
                errors.push(format!(
                    "{here}: {key} is not a property of {kind} (its domain: {domain:?})"
                ));
            }
            let values = match value {
                Value::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            for v in values {
                self.fits(v, range, &here, errors);
            }
        }
    }

    /// Checks that `value` is of a type in `range`: a node of a class in it, or a literal of
    /// one of its data types.
    fn fits(&self, value: &Value, range: &[String], path: &str, errors: &mut Vec<String>) {
        let allows = |t: &str| range.iter().any(|r| r == t);
        let ok = match value {
            Value::Object(node) => {
                let kind = node.get("@type").and_then(Value::as_str).unwrap_or_default();
                self.check(node, path, errors);
                range.iter().any(|r| self.is_a(kind, r))
            }
            Value::String(s) => {
                allows("Text")
                    || (allows("URL") && is_url(s))
                    || (allows("Date") && is_date(s))
                    || (allows("DateTime") && is_date_time(s))
            }
            Value::Number(_) => allows("Number"),
            _ => false,
        };
        if !ok {
            errors.push(format!("{path}: {value} is not one of {range:?}"));
        }
    }
}

fn is_url(s: &str) -> bool {
    hashiya::model::claim::check_source(s).is_ok_and(|url| url == s)
}

fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn is_date_time(s: &str) -> bool {
    s.split_once('T')
        .is_some_and(|(date, time)| is_date(date) && time.len() >= 5)
}

/// What Google's fact-check markup requires of one ClaimReview, and the numbers of a rating
/// in order, when given.
fn google_requirements(review: &Value, with_source: bool, errors: &mut Vec<String>) {
    let text = |v: &Value| v.as_str().is_some_and(|s| !s.trim().is_empty());
    if review["@context"] != "https://schema.org" {
        errors.push("@context is not https://schema.org".into());
    }
    if !text(&review["claimReviewed"]) {
        errors.push("claimReviewed is required".into());
    }
    let rating = &review["reviewRating"];
    if !text(&rating["alternateName"]) {
        errors.push("reviewRating.alternateName is required".into());
    }
    if with_source && !text(&review["url"]) {
        errors.push("url is required (the claim has a source)".into());
    }
    if review["itemReviewed"]["@type"] != "Claim" {
        errors.push("itemReviewed is a Claim".into());
    }
    if let Some(value) = rating["ratingValue"].as_u64() {
        match (rating["worstRating"].as_u64(), rating["bestRating"].as_u64()) {
            (Some(worst), Some(best)) if worst <= value && value <= best => {}
            other => errors.push(format!("ratingValue {value} outside its scale {other:?}")),
        }
    }
}

fn problems(review: &Value, with_source: bool) -> Vec<String> {
    let mut errors = vec![];
    vocabulary().check(review.as_object().expect("an object"), "ClaimReview", &mut errors);
    google_requirements(review, with_source, &mut errors);
    errors
}

// ---------------------------------------------------------------- the seed articles, checked

/// An annotation over the first occurrence of `needle` in `doc`.
fn span(doc: &Document, id: &str, label: Label, needle: &str) -> Annotation {
    let byte = doc
        .text()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} is in the article"));
    let start = doc.text()[..byte].chars().count();
    Annotation::new(
        id,
        label,
        start,
        start + needle.chars().count(),
        "2026-11-30T18:00:00.000Z",
    )
}

fn link(id: &str, kind: RelationKind, to: &str) -> Relation {
    Relation {
        id: id.into(),
        kind,
        to: to.into(),
        created_at: NOW.into(),
        updated_at: NOW.into(),
    }
}

/// The first seed article with its spokesman's claim checked: a speaker, a place it is
/// about, a verdict and a source; the second with a claim of a verdict the set does not
/// know, and no speaker or source.
fn checked_seeds() -> Vec<AnnotatedDoc> {
    let docs = bundled();
    let (visit, warning) = (&docs[0], &docs[1]);
    let mut claim = span(
        visit,
        "c1",
        Label::CLAIM,
        "المباحثات بشأن الصراع في سورية ستتناول التحركات الدولية لتقليص العنف",
    );
    claim.claim.verdict = Some("mostly-true".into());
    claim.claim.source = Some("https://example.org/fact-checks/kirby-syria-talks".into());
    claim.claim.link(link("r1", RelationKind::Speaker, "p1"));
    claim.claim.link(link("r2", RelationKind::About, "s1"));
    let first = AnnotatedDoc::new(
        Rc::new(visit.clone()),
        vec![
            span(visit, "p1", Label::PERSON, "جون كيربي"),
            span(visit, "s1", Label::PLACE, "سورية"),
            claim,
        ],
    );
    let mut other = span(warning, "c2", Label::CLAIM, "صبرنا ليس بلا حدود");
    other.claim.verdict = Some("exaggerated".into());
    let second = AnnotatedDoc::new(Rc::new(warning.clone()), vec![other]);
    vec![first, second]
}

fn exported(english: bool) -> Vec<Value> {
    let docs = checked_seeds();
    let urls = [Some("https://example.org/news/kerry-moscow-visit"), None];
    let json = export_claimreview(docs.iter().zip(urls), &VerdictSet::default(), english, NOW);
    let v: Value = serde_json::from_str(&json).expect("the export is JSON");
    v.as_array().expect("an array of reviews").clone()
}

#[test]
fn the_export_fits_the_schema_org_vocabulary_and_what_google_requires() {
    for english in [true, false] {
        let reviews = exported(english);
        assert_eq!(reviews.len(), 2, "one review per claim with a verdict");
        for (review, with_source) in reviews.iter().zip([true, false]) {
            assert_eq!(problems(review, with_source), Vec::<String>::new(), "{review:#}");
        }
    }
    // the first review as the export writes it (in its order of keys)
    let docs = checked_seeds();
    let url = Some("https://example.org/news/kerry-moscow-visit");
    let raw = export_claimreview([(&docs[0], url)], &VerdictSet::default(), true, NOW);
    let lines: Vec<&str> = raw.lines().collect();
    let object = lines[1..lines.len() - 1]
        .iter()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(serde_json::from_str::<Value>(&object).unwrap(), exported(true)[0]);
    println!("one ClaimReview, from the first seed article:\n{object}");
}

#[test]
fn the_review_says_what_the_checker_recorded() {
    let reviews = exported(false);
    let (first, second) = (&reviews[0], &reviews[1]);
    assert_eq!(
        first["claimReviewed"],
        "المباحثات بشأن الصراع في سورية ستتناول التحركات الدولية لتقليص العنف"
    );
    assert_eq!(first["reviewRating"]["alternateName"], "صحيح في معظمه");
    assert_eq!(first["reviewRating"]["ratingValue"], 4);
    assert_eq!(first["url"], "https://example.org/fact-checks/kirby-syria-talks");
    assert_eq!(first["datePublished"], "2026-11-30");
    assert_eq!(first["sdDatePublished"], "2026-12-01");
    let claim = &first["itemReviewed"];
    assert_eq!(claim["author"], json!({"@type": "Person", "name": "جون كيربي"}));
    assert_eq!(claim["about"], json!([{"@type": "Place", "name": "سورية"}]));
    assert_eq!(claim["appearance"]["headline"], bundled()[0].title());
    assert_eq!(
        claim["appearance"]["url"],
        "https://example.org/news/kerry-moscow-visit"
    );
    assert_eq!(claim["appearance"]["inLanguage"], "ar");
    // a verdict the set does not know: its id, no number; no speaker, no source, no address
    assert_eq!(
        second["reviewRating"],
        json!({"@type": "Rating", "alternateName": "exaggerated"})
    );
    assert!(second.get("url").is_none(), "{second:#}");
    assert!(second["itemReviewed"].get("author").is_none());
    assert!(second["itemReviewed"]["appearance"].get("url").is_none());
}

#[test]
fn the_checks_catch_what_breaks_the_vocabulary_or_google_requirements() {
    let broken = json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": 7,
        "headlines": "x",
        "reviewRating": {"@type": "Person", "name": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Place", "name": "x"}, "appearance": "page"},
        "datePublished": "yesterday",
        "url": "javascript:alert(1)"
    });
    let found = problems(&broken, true);
    for expected in [
        "ClaimReview.claimReviewed: 7 is not one of",
        "ClaimReview.headlines: headlines is not a schema.org property",
        "ClaimReview.reviewRating: {",
        "ClaimReview.itemReviewed.author: {",
        "ClaimReview.itemReviewed.appearance: \"page\" is not one of",
        "ClaimReview.datePublished: \"yesterday\" is not one of",
        "ClaimReview.url: \"javascript:alert(1)\" is not one of",
        "claimReviewed is required",
        "reviewRating.alternateName is required",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{expected:?} not in {found:#?}"
        );
    }
    // a property on a type outside its domain, and a type schema.org does not have
    let mut misplaced = exported(true).remove(0);
    misplaced["reviewRating"]["headline"] = json!("a rating has no headline");
    misplaced["itemReviewed"]["@type"] = json!("Statement");
    let found = problems(&misplaced, true);
    assert!(
        found
            .iter()
            .any(|f| f.contains("headline is not a property of Rating")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("Statement is not a schema.org type")),
        "{found:#?}"
    );
}
