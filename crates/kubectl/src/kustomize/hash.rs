//! Name-suffix hashes (api/hasher): generated objects get `-<hash of their content>` appended to their names.

use ordinal_engine::sha256::{hex, sha256};
use serde_json::{Map, Value};

use super::resources::Res;

/// The HashTransformer: generated objects get `-<hash of their content>` appended to their names.
pub(super) fn add_hashes(list: &mut [Res]) {
    for r in list.iter_mut() {
        if r.hash {
            let h = content_hash(&r.obj);
            r.store_previous_id();
            let name = format!("{}-{h}", r.name());
            r.set_name(name);
        }
    }
}

/// kustomize's hash of a ConfigMap or Secret: SHA-256 of a JSON encoding of its kind, name, data (and type,
/// for a Secret), then [`encode_hash`] of the hex digest.
pub(super) fn content_hash(obj: &Map<String, Value>) -> String {
    encode_hash(&hex(&sha256(hash_input(obj).as_bytes())))
}

/// The JSON text kustomize hashes (`encodeConfigMap`/`encodeSecret`): kind, data (and type, for a Secret),
/// a missing field being `""`; `binaryData`/`stringData` count only when present.
///
/// The name is always `""`: kustomize looks it up as a single field called `metadata/name`, which never
/// exists. Its own build tests depend on that (`bob-79t79mt227` in configmaps_test.go), and so do the names
/// real clusters print (`mysql-pass-m4d885dchh` for `password=secret`); the `mysql-pass-c57bb4t7mf` on
/// kubernetes.io comes from kustomize before 2020, which hashed the name.
pub(super) fn hash_input(obj: &Map<String, Value>) -> String {
    let field = |k: &str| {
        obj.get(k)
            .cloned()
            .unwrap_or_else(|| Value::String(String::new()))
    };
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut m = Map::new();
    m.insert("name".into(), Value::String(String::new()));
    m.insert("data".into(), field("data"));
    if kind == "Secret" {
        m.insert("kind".into(), Value::String("Secret".into()));
        m.insert("type".into(), field("type"));
        if let Some(v @ Value::Object(_)) = obj.get("stringData") {
            m.insert("stringData".into(), v.clone());
        }
    } else {
        m.insert("kind".into(), Value::String("ConfigMap".into()));
        if let Some(v @ Value::Object(_)) = obj.get("binaryData") {
            m.insert("binaryData".into(), v.clone());
        }
    }
    ordinal_engine::gojson::go_json(&Value::Object(m))
}

/// The first ten hex digits with the vowels and look-alikes swapped out (`0`→g, `1`→h, `3`→k, `a`→m,
/// `e`→t), so a suffix never spells a word (kubectl's `hash.encode`).
pub(crate) fn encode_hash(hex: &str) -> String {
    hex.chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect()
}
