//! Imports of Hashiya JSON, JSONL and W3C: read and checked whole (`formats`),
//! weighed against the shown articles (`weigh_import`, which changes nothing,
//! so the embed API can answer before it dispatches), then applied as one step
//! with a report in both languages.

use super::steps::Edit;
use super::*;
use crate::formats::import::Plan;

/// What an import would do: the step for shown articles, the articles it
/// would add, and the counts the user (or a host) is told.
#[derive(Clone, Debug, PartialEq)]
pub struct WeighedImport {
    step: Vec<Change>,
    /// Shown articles the input marks done (or, replacing, not done).
    statuses: Vec<Edit>,
    new_docs: Vec<(Document, Vec<Annotation>)>,
    /// New articles the input marks done.
    new_done: Vec<String>,
    pub summary: ImportSummary,
}

impl AppState {
    pub(super) fn import(&mut self, text: String, mode: ImportMode, now: &str) {
        let read = import::parse_for(&text, &self.labels);
        // what was read owns its strings: the input (megabytes, maybe) goes
        // before the plan and the new state are built beside what was read
        drop(text);
        match read.and_then(|i| import::plan(i, &self.shown(), now)) {
            Ok(plan) => self.import_plan(plan, mode, now),
            Err(e) => self.refuse(Refusal::ImportFailed(e.to_string())),
        }
    }

    /// The shown articles, as the import planner sees them.
    pub fn shown(&self) -> Vec<Shown<'_>> {
        self.docs.iter().map(|d| Shown { doc: &d.ad.doc }).collect()
    }

    pub(super) fn import_plan(&mut self, plan: Plan, mode: ImportMode, now: &str) {
        match self.weigh_import(plan, mode) {
            Ok(weighed) => self.apply_import(weighed, now),
            Err(why) => self.refuse(why),
        }
    }

    /// What importing `plan` would do here, or why it would be refused.
    pub fn weigh_import(&self, plan: Plan, mode: ImportMode) -> Result<WeighedImport, Refusal> {
        let (mut added, mut duplicates, mut removed) = (0, 0, 0);
        let mut step = vec![];
        for (doc_id, incoming) in plan.existing {
            let Some(d) = self.doc(&doc_id) else { continue };
            let current = d.ad.annotations();
            if mode == ImportMode::Replace {
                let kept: FxHashSet<&str> = incoming.iter().map(|x| x.id.as_str()).collect();
                for a in current.iter().filter(|a| !kept.contains(a.id.as_str())) {
                    removed += 1;
                    step.push(Change {
                        doc_id: doc_id.clone(),
                        before: Some((**a).clone()),
                        after: None,
                    });
                }
            }
            let by_id: FxHashMap<&str, &Rc<Annotation>> =
                current.iter().map(|a| (a.id.as_str(), a)).collect();
            // spans taken so far: what is there (when merging) and what came before in the input
            let mut spans: FxHashSet<(usize, usize, Label)> = match mode {
                ImportMode::Merge => current.iter().map(|a| (a.start, a.end, a.label)).collect(),
                ImportMode::Replace => FxHashSet::default(),
            };
            // the incoming annotations are moved into the step, not copied
            for a in incoming {
                let old = by_id.get(a.id.as_str()).map(|x| (***x).clone());
                let new_span = spans.insert((a.start, a.end, a.label));
                let duplicate = match mode {
                    ImportMode::Merge => old.is_some() || !new_span,
                    ImportMode::Replace => old.as_ref() == Some(&a) || !new_span,
                };
                if duplicate {
                    duplicates += 1;
                    continue;
                }
                added += 1;
                step.push(Change {
                    doc_id: doc_id.clone(),
                    before: old,
                    after: Some(a),
                });
            }
        }
        // a widget's article is given: the input's other articles are
        // counted, never added
        let (new_docs, other_articles) = match self.fixed_articles {
            true => (vec![], plan.new_docs.len()),
            false => (plan.new_docs, 0),
        };
        if added + duplicates + removed == 0 && other_articles > 0 {
            return Err(Refusal::NothingForThisArticle);
        }
        if !new_docs.is_empty() {
            duplicates += plan.repeated;
        }
        let (statuses, new_done) = self.weigh_statuses(&plan.statuses, mode);
        added += new_docs.iter().map(|(_, anns)| anns.len()).sum::<usize>();
        let summary = ImportSummary {
            format: plan.format.name(),
            added,
            duplicates,
            removed,
            new_docs: new_docs.len(),
            other_articles,
            unknown_labels: plan.unknown_labels.into_iter().collect(),
            skipped_relations: plan.skipped_relations.into_iter().collect(),
        };
        Ok(WeighedImport {
            step,
            statuses,
            new_docs,
            new_done,
            summary,
        })
    }

    /// The statuses an import gives: merging only ever marks an article
    /// done (work done elsewhere counts); replacing takes them as given.
    fn weigh_statuses(&self, given: &[(String, bool)], mode: ImportMode) -> (Vec<Edit>, Vec<String>) {
        let (mut edits, mut new_done) = (vec![], vec![]);
        for (doc_id, done) in given {
            match self.doc(doc_id) {
                Some(d) if d.done != *done && (*done || mode == ImportMode::Replace) => {
                    edits.push(Edit::Done {
                        doc_id: doc_id.clone(),
                        before: d.done,
                        after: *done,
                    })
                }
                Some(_) => {}
                None if *done => new_done.push(doc_id.clone()),
                None => {}
            }
        }
        (edits, new_done)
    }

    fn apply_import(&mut self, weighed: WeighedImport, now: &str) {
        self.commit_with(weighed.step, weighed.statuses, now);
        // a new article may share the id of one removed earlier: its steps go
        let new_ids: FxHashSet<String> = weighed.new_docs.iter().map(|(d, _)| d.id.clone()).collect();
        self.forget_steps_of_all(&new_ids);
        let done: FxHashSet<String> = weighed.new_done.into_iter().collect();
        for (doc, anns) in weighed.new_docs {
            let mut entry = DocEntry::new(
                AnnotatedDoc::new(Rc::new(doc), anns),
                Origin::User,
                Some(now.to_string()),
            );
            entry.done = done.contains(entry.id());
            self.docs.push(entry);
        }
        self.notice = Some(report(&weighed.summary));
    }
}

/// The import's report, in Arabic and English.
fn report(s: &ImportSummary) -> Notice {
    let mut en = format!("Imported {} annotations from {}", s.added, s.format);
    let mut ar = format!("استُورد {} من التوسيمات ({})", s.added, s.format);
    if s.new_docs > 0 {
        en += &format!(", {} new articles", s.new_docs);
        ar += &format!("، و{} من المقالات الجديدة", s.new_docs);
    }
    if s.removed > 0 {
        en += &format!("; replaced: removed {}", s.removed);
        ar += &format!("؛ واستُبدل: حُذف {}", s.removed);
    }
    if s.duplicates > 0 {
        en += &format!("; skipped {} duplicates", s.duplicates);
        ar += &format!("؛ وتُخطّي {} من المكرر", s.duplicates);
    }
    let skipped: usize = s.unknown_labels.iter().map(|(_, n)| n).sum();
    if skipped > 0 {
        let unknown: Vec<String> = s
            .unknown_labels
            .iter()
            .map(|(l, n)| format!("{l} ({n})"))
            .collect();
        en += &format!("; skipped {skipped} with unknown labels: {}", unknown.join(", "));
        ar += &format!("؛ وتُخطّي {skipped} بوسوم غير معروفة: {}", unknown.join("، "));
    }
    let links: usize = s.skipped_relations.iter().map(|(_, n)| n).sum();
    if links > 0 {
        let kinds: Vec<String> = s
            .skipped_relations
            .iter()
            .map(|(t, n)| format!("{t} ({n})"))
            .collect();
        en += &format!("; skipped {links} links of other types: {}", kinds.join(", "));
        ar += &format!("؛ وتُخطّي {links} من الروابط بأنواع أخرى: {}", kinds.join("، "));
    }
    Notice::info(ar + ".", en + ".")
}
