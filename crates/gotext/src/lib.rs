//! Text exactly as the Go side of Kubernetes writes it. kubectl's output is made by Go libraries whose
//! formatting no Rust crate reproduces byte for byte: yaml.v2's emitter ([`goyaml`]), text/template
//! ([`gotemplate`]), kubectl's JSONPath ([`jsonpath`]), encoding/json ([`gojson`]), encoding/base64 as Secrets
//! and templates use it ([`base64`]) and the tabwriter behind every table ([`table`]). Knows nothing of the
//! cluster: it formats `serde_json` values and rows of text.

pub mod base64;
pub mod gojson;
pub mod gotemplate;
pub mod goyaml;
pub mod jsonpath;
pub mod table;
