//! The annotation model: plain Rust, no browser types, tested natively.

pub mod anchor;
pub mod annotated;
pub mod annotation;
pub mod claim;
pub mod diff;
pub mod document;
pub mod history;
pub mod label;
pub mod merge;
pub mod offsets;
pub mod segment;
pub mod span;
pub mod status;
pub mod words;

pub use annotated::{AnnotatedDoc, BlockView};
pub use annotation::{Annotation, Orphan};
pub use claim::{ClaimRecord, Relation, RelationKind, Verdict, VerdictSet};
pub use document::{
    block_text, digest, guess_dir, parse_article, parse_articles, ArticleDraft, Block, BlockKind, Document,
};
pub use history::{Change, History, Invertible};
pub use label::{Label, LabelSet};
pub use merge::Tombstone;
pub use segment::{Mark, Run};
pub use span::normalize_span;
pub use status::DocStatus;
