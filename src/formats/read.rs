//! Reading JSON values with errors that say where: the readers of every
//! format share these.

use super::import::ImportError;
use serde_json::{Map, Value};

pub(super) fn err<T>(at: impl Into<String>, detail: impl Into<String>) -> Result<T, ImportError> {
    Err(ImportError {
        at: at.into(),
        detail: detail.into(),
    })
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>, ImportError> {
    v.as_object().ok_or_else(|| ImportError {
        at: at.into(),
        detail: format!("expected an object, found {}", kind(v)),
    })
}

pub(super) fn array<'a>(
    o: &'a Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<&'a Vec<Value>, ImportError> {
    match o.get(key) {
        Some(Value::Array(a)) => Ok(a),
        Some(v) => err(at, format!("must be an array, not {}", kind(v))),
        None => err(at, "is missing"),
    }
}

pub(super) fn string<'a>(o: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a str, ImportError> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(v) => err(
            format!("{at}.{key}"),
            format!("must be a string, not {}", kind(v)),
        ),
        None => err(format!("{at}.{key}"), "is missing"),
    }
}

pub(super) fn opt_string<'a>(
    o: &'a Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<&'a str>, ImportError> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(Some(s)),
        None | Some(Value::Null) => Ok(None),
        Some(v) => err(
            format!("{at}.{key}"),
            format!("must be a string, not {}", kind(v)),
        ),
    }
}

pub(super) fn offset(o: &Map<String, Value>, key: &str, at: &str) -> Result<usize, ImportError> {
    let whole = |v: &Value| v.as_u64().and_then(|u| usize::try_from(u).ok());
    match o.get(key) {
        // the path an error names is built only for an error: 20,000
        // offsets of a host's list are read without formatting one
        Some(v) if whole(v).is_some() => Ok(whole(v).expect("checked")),
        Some(v) => number(v, &format!("{at}.{key}"), key),
        None => err(format!("{at}.{key}"), "is missing"),
    }
}

pub(super) fn number(v: &Value, at: &str, name: &str) -> Result<usize, ImportError> {
    match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => usize::try_from(u).or_else(|_| err(at, format!("{name} {u} is too large"))),
            (None, Some(i)) => err(at, format!("{name} {i} is negative")),
            _ => err(at, format!("{name} {n} is not a whole number")),
        },
        other => err(at, format!("{name} must be a number, not {}", kind(other))),
    }
}

/// An article's status as our formats write it (`new`, `in-progress`, `done`).
pub(super) fn status(s: &str, at: &str) -> Result<crate::model::DocStatus, ImportError> {
    match crate::model::DocStatus::parse(s) {
        Some(status) => Ok(status),
        None => err(
            format!("{at}.status"),
            format!("unknown status {s:?} (new, in-progress or done)"),
        ),
    }
}
