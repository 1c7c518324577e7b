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

/// `list[i]`: the place of an item, spelled without the formatting
/// machinery, as every annotation of a big input has one.
pub(super) fn indexed(list: &str, i: usize) -> String {
    let mut digits = [0u8; 20];
    let mut n = digits.len();
    let mut rest = i;
    loop {
        n -= 1;
        digits[n] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut at = String::with_capacity(list.len() + digits.len() - n + 2);
    at.push_str(list);
    at.push('[');
    at.push_str(std::str::from_utf8(&digits[n..]).expect("ASCII digits"));
    at.push(']');
    at
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

#[cfg(test)]
mod tests {
    #[test]
    fn an_item_is_placed_as_format_would_place_it() {
        for i in [0, 7, 10, 99, 100, 12_345, usize::MAX] {
            assert_eq!(
                super::indexed("documents[0].annotations", i),
                format!("documents[0].annotations[{i}]")
            );
        }
        assert_eq!(super::indexed("", 3), "[3]");
    }
}
