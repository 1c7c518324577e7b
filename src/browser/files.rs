//! Reading a `.txt` file the user opened.

/// Files larger than this are refused: an article, not a corpus.
pub const MAX_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// The file's text, or a message naming what was wrong with it.
pub async fn read_text(file: web_sys::File) -> Result<String, String> {
    if file.size() > MAX_BYTES {
        return Err(format!("{} > 5 MB", file.name()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| format!("{e:?}"))?;
    text.as_string().ok_or_else(|| "not text".to_string())
}
