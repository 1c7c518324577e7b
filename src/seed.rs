//! The articles bundled with the app: the seed news articles, with fixed ids
//! so their stored annotations survive rebuilds.

use crate::model::{parse_articles, Document};

pub const SEED_TEXT: &str = include_str!("../assets/seed-articles.txt");

/// Ids of the seed articles, in the order they appear in the file.
pub const SEED_IDS: [&str; 2] = ["kerry-moscow-visit", "kerry-warns-russia"];

pub fn bundled() -> Vec<Document> {
    parse_articles(SEED_TEXT)
        .into_iter()
        .zip(SEED_IDS)
        .map(|(draft, id)| Document::new(id, draft))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_seed_articles_are_bundled_with_fixed_ids() {
        let docs = super::bundled();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "kerry-moscow-visit");
        assert!(docs[1].text().ends_with("المصدر: وكالات"));
    }
}
