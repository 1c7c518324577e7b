//! Data formats: what we export and import, and what we keep in localStorage.

pub mod claimreview;
pub mod export;
pub mod import;
pub mod jsonl;
mod links;
mod pieces;
mod plan;
mod read;
pub mod stored;
mod typed;
pub mod w3c;
