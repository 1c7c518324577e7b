//! Data formats: what we export and what we keep in localStorage.

pub mod export;
pub mod stored;
