//! Imports of Hashiya JSON, JSONL and W3C: checked whole, then merged into
//! or replacing the shown articles, with a report in both languages.

use super::*;

impl AppState {
    pub(super) fn import(&mut self, text: &str, mode: ImportMode, now: &str) {
        self.last_import = None;
        let shown: Vec<Shown> = self.docs.iter().map(|d| Shown { doc: &d.ad.doc }).collect();
        let parsed = import::parse_for(text, &self.labels);
        let plan = match parsed.and_then(|i| import::plan(i, &shown, now)) {
            Ok(plan) => plan,
            Err(e) => {
                return self.refuse(Refusal::ImportFailed(e.to_string()));
            }
        };
        let (mut added, mut duplicates, mut removed) = (0, 0, 0);
        let mut step = vec![];
        for (doc_id, incoming) in &plan.existing {
            let Some(d) = self.doc(doc_id) else { continue };
            let current = d.ad.annotations();
            if mode == ImportMode::Replace {
                let kept: HashSet<&str> = incoming.iter().map(|x| x.id.as_str()).collect();
                for a in current.iter().filter(|a| !kept.contains(a.id.as_str())) {
                    removed += 1;
                    step.push(Change {
                        doc_id: doc_id.clone(),
                        before: Some((**a).clone()),
                        after: None,
                    });
                }
            }
            let by_id: HashMap<&str, &Rc<Annotation>> = current.iter().map(|a| (a.id.as_str(), a)).collect();
            // spans taken so far: what is there (when merging) and what came before in the input
            let mut spans: HashSet<(usize, usize, Label)> = match mode {
                ImportMode::Merge => current.iter().map(|a| (a.start, a.end, a.label)).collect(),
                ImportMode::Replace => HashSet::new(),
            };
            for a in incoming {
                let old = by_id.get(a.id.as_str()).map(|x| (***x).clone());
                let new_span = spans.insert((a.start, a.end, a.label));
                let duplicate = match mode {
                    ImportMode::Merge => old.is_some() || !new_span,
                    ImportMode::Replace => old.as_ref() == Some(a) || !new_span,
                };
                if duplicate {
                    duplicates += 1;
                    continue;
                }
                added += 1;
                step.push(Change {
                    doc_id: doc_id.clone(),
                    before: old,
                    after: Some(a.clone()),
                });
            }
        }
        // a widget's article is given: the input's other articles are
        // counted, never added
        let (new_docs, other_articles) = match self.fixed_articles {
            true => (0, plan.new_docs.len()),
            false => (plan.new_docs.len(), 0),
        };
        if new_docs > 0 {
            duplicates += plan.repeated;
        }
        if added + duplicates + removed == 0 && other_articles > 0 {
            return self.refuse(Refusal::NothingForThisArticle);
        }
        self.commit(step, now);
        for (doc, anns) in plan.new_docs.into_iter().take(new_docs) {
            added += anns.len();
            self.docs.push(DocEntry::new(
                AnnotatedDoc::new(Rc::new(doc), anns),
                Origin::User,
                Some(now.to_string()),
            ));
        }
        let unknown: Vec<String> = plan
            .unknown_labels
            .iter()
            .map(|(l, n)| format!("{l} ({n})"))
            .collect();
        let skipped: usize = plan.unknown_labels.values().sum();
        let mut en = format!("Imported {added} annotations from {}", plan.format.name());
        let mut ar = format!("استُورد {added} من التوسيمات ({})", plan.format.name());
        if new_docs > 0 {
            en += &format!(", {new_docs} new articles");
            ar += &format!("، و{new_docs} من المقالات الجديدة");
        }
        if removed > 0 {
            en += &format!("; replaced: removed {removed}");
            ar += &format!("؛ واستُبدل: حُذف {removed}");
        }
        if duplicates > 0 {
            en += &format!("; skipped {duplicates} duplicates");
            ar += &format!("؛ وتُخطّي {duplicates} من المكرر");
        }
        if skipped > 0 {
            en += &format!("; skipped {skipped} with unknown labels: {}", unknown.join(", "));
            ar += &format!("؛ وتُخطّي {skipped} بوسوم غير معروفة: {}", unknown.join("، "));
        }
        self.notice = Some(Notice::info(ar + ".", en + "."));
        self.last_import = Some(ImportSummary {
            format: plan.format.name(),
            added,
            duplicates,
            removed,
            new_docs,
            other_articles,
            unknown_labels: plan.unknown_labels.into_iter().collect(),
        });
    }
}
