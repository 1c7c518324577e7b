//! Reading a `.txt` file the user opened.

use crate::formats::import::megabytes;

/// Articles larger than this are refused: an article, not a corpus.
pub const MAX_ARTICLE_BYTES: f64 = 5.0 * 1024.0 * 1024.0;
/// Imports larger than this are refused before reading.
pub const MAX_IMPORT_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// The file's text, or a message naming what was wrong with it.
pub async fn read_text(file: web_sys::File, max_bytes: f64) -> Result<String, String> {
    if file.size() > max_bytes {
        return Err(format!(
            "{}: {} MB > {} MB",
            file.name(),
            megabytes(file.size()),
            (max_bytes / 1_048_576.0) as u64
        ));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| format!("{e:?}"))?;
    text.as_string().ok_or_else(|| "not text".to_string())
}
