//! A session in a link or a file: its text deflated by the browser's own CompressionStream and written in
//! base64url, after `#session=` in the page's address (the fragment never reaches a server). Unpacking stops at
//! [`crate::session::MAX_BYTES`], so a link that inflates without end cannot freeze the tab.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair};

// The Compression Streams API (every current browser has it; web-sys still counts it as unstable).
#[wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> web_sys::WritableStream;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> web_sys::WritableStream;
}

use crate::session::MAX_BYTES;

/// What a link holds after `#`, before the session.
pub const FRAGMENT: &str = "session=";

fn said(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
}

/// The bytes as a stream, through a compression or decompression stream.
fn through(
    bytes: &[u8],
    readable: ReadableStream,
    writable: web_sys::WritableStream,
) -> Result<ReadableStream, String> {
    let array = Uint8Array::from(bytes);
    let blob = Blob::new_with_u8_array_sequence(&Array::of1(&array)).map_err(said)?;
    Ok(blob
        .stream()
        .pipe_through(&ReadableWritablePair::new(&readable, &writable)))
}

/// Reads a stream to its end, or stops past `limit` bytes.
async fn read_all(stream: ReadableStream, limit: usize) -> Result<Vec<u8>, String> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(said)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).map_err(said)?;
        if done.as_bool() == Some(true) {
            return Ok(out);
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(said)?;
        out.extend(Uint8Array::new(&value).to_vec());
        if out.len() > limit {
            let _ = reader.cancel();
            return Err(format!("it unpacks to more than {} MB", limit >> 20));
        }
    }
}

/// The session's text, packed for a link.
pub async fn pack(text: &str) -> Result<String, String> {
    let squeeze = CompressionStream::new("deflate-raw").map_err(said)?;
    let stream = through(text.as_bytes(), squeeze.readable(), squeeze.writable())?;
    let bytes = read_all(stream, usize::MAX).await?;
    Ok(ordinal_gotext::base64::encode(&bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_"))
}

/// A link's session, as text; the error says why it is not one.
pub async fn unpack(packed: &str) -> Result<String, String> {
    let mut b64 = packed.trim().replace('-', "+").replace('_', "/");
    while !b64.len().is_multiple_of(4) {
        b64.push('=');
    }
    let bytes =
        ordinal_gotext::base64::decode(&b64).ok_or("the link is damaged (it is not base64url)")?;
    let open = DecompressionStream::new("deflate-raw").map_err(said)?;
    let stream = through(&bytes, open.readable(), open.writable())?;
    let text = read_all(stream, MAX_BYTES)
        .await
        .map_err(|e| format!("the link is damaged or cut short ({e})"))?;
    String::from_utf8(text).map_err(|_| "the link is damaged (its text is not UTF-8)".to_string())
}

/// The session packed into the page's own address, to open elsewhere.
pub async fn link(text: &str) -> Result<String, String> {
    let packed = pack(text).await?;
    let location = web_sys::window().ok_or("no window")?.location();
    let here = location.href().map_err(said)?;
    let base = here.split('#').next().unwrap_or_default();
    Ok(format!("{base}#{FRAGMENT}{packed}"))
}

/// The session a link opened the page with, if any (packed), taking it out of the address so a reload does not
/// open it again over the learner's work.
pub fn take_from_address() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let packed = hash.strip_prefix('#')?.strip_prefix(FRAGMENT)?.to_string();
    let path = window.location().pathname().unwrap_or_default();
    let search = window.location().search().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ =
            history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
    Some(packed)
}

/// Offers the text as a file to download.
pub fn download(text: &str, name: &str) -> Result<(), String> {
    let blob = Blob::new_with_str_sequence(&Array::of1(&JsValue::from_str(text))).map_err(said)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(said)?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(said)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The text of a file the learner picked.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    if file.size() > MAX_BYTES as f64 {
        return Err(format!("the file is larger than {} MB", MAX_BYTES >> 20));
    }
    let text = JsFuture::from(file.text()).await.map_err(said)?;
    text.as_string()
        .ok_or_else(|| "the file is not text".to_string())
}
