//! Where an article stands in a data set: not started, being annotated, or
//! marked done by the annotator.

/// An article's status. `InProgress` is never set by hand: an article is in
/// progress once it has an annotation, until it is marked done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocStatus {
    New,
    InProgress,
    Done,
}

impl DocStatus {
    /// The status of an article marked `done` or not, with or without annotations.
    pub fn of(done: bool, annotated: bool) -> DocStatus {
        match (done, annotated) {
            (true, _) => DocStatus::Done,
            (false, true) => DocStatus::InProgress,
            (false, false) => DocStatus::New,
        }
    }

    /// The id used in `data-status` and in every export format.
    pub fn key(self) -> &'static str {
        match self {
            DocStatus::New => "new",
            DocStatus::InProgress => "in-progress",
            DocStatus::Done => "done",
        }
    }

    pub fn parse(key: &str) -> Option<DocStatus> {
        [DocStatus::New, DocStatus::InProgress, DocStatus::Done]
            .into_iter()
            .find(|s| s.key() == key)
    }

    pub fn arabic(self) -> &'static str {
        match self {
            DocStatus::New => "جديد",
            DocStatus::InProgress => "قيد العمل",
            DocStatus::Done => "منجز",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            DocStatus::New => "New",
            DocStatus::InProgress => "In progress",
            DocStatus::Done => "Done",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_wins_and_annotations_make_progress() {
        assert_eq!(DocStatus::of(false, false), DocStatus::New);
        assert_eq!(DocStatus::of(false, true), DocStatus::InProgress);
        assert_eq!(DocStatus::of(true, false), DocStatus::Done);
        for s in [DocStatus::New, DocStatus::InProgress, DocStatus::Done] {
            assert_eq!(DocStatus::parse(s.key()), Some(s));
        }
        assert_eq!(DocStatus::parse("finished"), None);
    }
}
