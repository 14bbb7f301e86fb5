//! Strict decoding of a JSON value into a model type, with the path of the field that failed.
//!
//! The API server answers a bad field with where it is (`json: cannot unmarshal spec.replicas: …`, `strict
//! decoding error: unknown field "spec.replica"`). Wrapping serde_json's own value deserializer in a generic
//! path tracker (as `serde_path_to_error` does) wraps every visitor and seed of every model type a second time,
//! and the model's decoders are the largest code in the wasm. This deserializer keeps the path itself, on the
//! stack while it walks the value, so each model type's decoder is compiled once and nothing is wrapped. Scalars
//! go to serde_json's value deserializer, so the messages are serde_json's own; only arrays, objects and
//! enums, where the path grows, are walked here. When an error first passes a point of the walk, that point's
//! path is kept: the innermost place the error was seen, as `serde_path_to_error` reports it.

use std::cell::RefCell;
use std::fmt::Write as _;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use serde_json::{Error, Map, Value};

/// Where the walk is: a list from the innermost segment out to the root, on the stack.
#[derive(Clone, Copy)]
enum Chain<'a> {
    Root,
    /// An element of an array.
    Seq(&'a Chain<'a>, usize),
    /// The value of an object's key, or an enum's variant.
    Key(&'a Chain<'a>, &'a str),
}

impl Chain<'_> {
    /// The segments from the root in.
    fn segments(&self) -> Vec<Segment> {
        let mut segments = Vec::new();
        let mut at = self;
        loop {
            match at {
                Chain::Root => break,
                Chain::Seq(parent, i) => {
                    segments.push(Segment::Index(*i));
                    at = parent;
                }
                Chain::Key(parent, key) => {
                    segments.push(Segment::Key((*key).to_string()));
                    at = parent;
                }
            }
        }
        segments.reverse();
        segments
    }
}

/// One step of a path: an object's key or an array's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// The path as `serde_path_to_error` prints it: keys joined by `.`, indexes as `[i]`, `.` for the root.
pub fn path_text(segments: &[Segment]) -> String {
    if segments.is_empty() {
        return ".".to_string();
    }
    let mut out = String::new();
    for (n, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
            Segment::Key(key) => {
                if n > 0 {
                    out.push('.');
                }
                out.push_str(key);
            }
        }
    }
    out
}

/// What the value was where decoding failed, as Go's encoding/json names it in its error.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Null,
    Bool,
    Number(serde_json::Number),
    String,
    Array,
    Object,
}

impl Found {
    fn of(v: &Value) -> Found {
        match v {
            Value::Null => Found::Null,
            Value::Bool(_) => Found::Bool,
            Value::Number(n) => Found::Number(n.clone()),
            Value::String(_) => Found::String,
            Value::Array(_) => Found::Array,
            Value::Object(_) => Found::Object,
        }
    }
}

/// A decoding that failed: where, on what, and serde's error.
#[derive(Debug)]
pub struct Failure {
    pub segments: Vec<Segment>,
    /// The value at `segments` (none for an unknown field, which is a key, not a value).
    pub found: Option<Found>,
    pub error: Error,
}

/// The first place an error was seen, and the value there.
#[derive(Default)]
struct Track(RefCell<Option<(Vec<Segment>, Option<Found>)>>);

impl Track {
    fn trigger(&self, at: &Chain<'_>, found: Option<&Found>, e: Error) -> Error {
        let mut first = self.0.borrow_mut();
        if first.is_none() {
            *first = Some((at.segments(), found.cloned()));
        }
        e
    }
}

/// Decodes `value` as `T`; on failure, the error, where it happened and what was there.
pub(crate) fn decode_at<T: de::DeserializeOwned>(value: Value) -> Result<T, Failure> {
    let track = Track::default();
    T::deserialize(De {
        value,
        at: &Chain::Root,
        track: &track,
    })
    .map_err(|error| {
        let (segments, found) = track.0.take().unwrap_or_default();
        Failure {
            segments,
            found,
            error,
        }
    })
}

/// One value of the walk and where it is.
struct De<'a> {
    value: Value,
    at: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de> De<'_> {
    /// Any value, as serde_json's `deserialize_any` gives it, arrays and objects walked here.
    fn any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        let found = Found::of(&self.value);
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => n.deserialize_any(visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => visit_array(a, at, track, visitor),
            Value::Object(m) => visit_object(m, at, track, visitor),
        }
        .map_err(|e| track.trigger(at, Some(&found), e))
    }

    /// A scalar asked for by its type: serde_json's own deserializer, which refuses arrays and objects with
    /// its own message. (Only for methods whose serde_json version never walks an array or an object: those
    /// would compile serde_json's walk for every visitor, unused.)
    fn scalar<V: Visitor<'de>>(
        self,
        visitor: V,
        f: impl FnOnce(Value, V) -> Result<V::Value, Error>,
    ) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        let found = Found::of(&self.value);
        f(self.value, visitor).map_err(|e| track.trigger(at, Some(&found), e))
    }

    /// The value is not what the visitor asked for: serde_json's words for it.
    fn refuse<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let e = de::Error::invalid_type(unexpected(&self.value), &visitor);
        Err(self
            .track
            .trigger(self.at, Some(&Found::of(&self.value)), e))
    }
}

macro_rules! scalars {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.scalar(visitor, |v, visitor| v.$method(visitor))
        }
    )*};
}

impl<'de> Deserializer<'de> for De<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.any(visitor)
    }

    scalars! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_unit
        deserialize_identifier
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(_) => self.any(visitor),
            Value::String(ref s) => {
                let r = visitor.visit_str(s);
                r.map_err(|e| self.track.trigger(self.at, Some(&Found::String), e))
            }
            _ => self.refuse(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(_) | Value::String(_) => self.any(visitor),
            _ => self.refuse(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        let found = Found::of(&self.value);
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| track.trigger(at, Some(&found), e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        let found = Found::of(&self.value);
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| track.trigger(at, Some(&found), e))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(_) => self.any(visitor),
            _ => self.refuse(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(_) => self.any(visitor),
            _ => self.refuse(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Only an object: serde would also take a struct's fields in order from an array, which the API
        // server's decoder refuses.
        match self.value {
            Value::Object(_) => self.any(visitor),
            _ => self.refuse(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        let found = Found::of(&self.value);
        let (variant, value) = match self.value {
            Value::String(variant) => (variant, None),
            Value::Object(m) if m.len() == 1 => {
                let Some((variant, value)) = m.into_iter().next() else {
                    unreachable!("an object of one entry has an entry")
                };
                (variant, Some(value))
            }
            // The rest is refused in serde_json's words.
            Value::Object(_) => {
                let e = de::Error::invalid_value(de::Unexpected::Map, &"map with a single key");
                return Err(track.trigger(at, Some(&found), e));
            }
            other => {
                let e = de::Error::invalid_type(unexpected(&other), &"string or map");
                return Err(track.trigger(at, Some(&found), e));
            }
        };
        visitor
            .visit_enum(Enum {
                variant,
                value,
                at,
                track,
            })
            .map_err(|e| track.trigger(at, Some(&found), e))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

fn visit_array<'de, V: Visitor<'de>>(
    a: Vec<Value>,
    at: &Chain<'_>,
    track: &Track,
    visitor: V,
) -> Result<V::Value, Error> {
    let len = a.len();
    let mut seq = Seq {
        items: a.into_iter(),
        index: 0,
        at,
        track,
    };
    let out = visitor.visit_seq(&mut seq)?;
    if seq.items.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    m: Map<String, Value>,
    at: &Chain<'_>,
    track: &Track,
    visitor: V,
) -> Result<V::Value, Error> {
    let len = m.len();
    let mut map = Object {
        entries: m.into_iter(),
        pending: None,
        at,
        track,
    };
    let out = visitor.visit_map(&mut map)?;
    if map.entries.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

/// Decodes an array's element or an object's value at `at`. An error that first shows here (a value's own
/// decoder can fail after the walk below it has returned, as an untagged enum's does) gets this path.
fn walk<'de, S: DeserializeSeed<'de>>(
    seed: S,
    value: Value,
    at: &Chain<'_>,
    track: &Track,
) -> Result<S::Value, Error> {
    let found = Found::of(&value);
    seed.deserialize(De { value, at, track })
        .map_err(|e| track.trigger(at, Some(&found), e))
}

struct Seq<'a> {
    items: std::vec::IntoIter<Value>,
    index: usize,
    at: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let at = Chain::Seq(self.at, self.index);
        self.index += 1;
        walk(seed, value, &at, self.track).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Object<'a> {
    entries: serde_json::map::IntoIter,
    /// The entry whose key was given and whose value is next.
    pending: Option<(String, Value)>,
    at: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de> de::MapAccess<'de> for Object<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let out = seed.deserialize(key.as_str().into_deserializer());
        match out {
            Ok(k) => {
                self.pending = Some((key, value));
                Ok(Some(k))
            }
            // An unknown field: its path is the key's own.
            Err(e) => Err(self.track.trigger(&Chain::Key(self.at, &key), None, e)),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        walk(seed, value, &Chain::Key(self.at, &key), self.track)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum given as its variant's name, or as an object of one entry: the variant and its content.
struct Enum<'a> {
    variant: String,
    value: Option<Value>,
    at: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de, 'a> de::EnumAccess<'de> for Enum<'a> {
    type Error = Error;
    type Variant = Variant<'a>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Variant<'a>), Error> {
        let v = seed.deserialize(self.variant.as_str().into_deserializer())?;
        Ok((
            v,
            Variant {
                variant: self.variant,
                value: self.value,
                at: self.at,
                track: self.track,
            },
        ))
    }
}

struct Variant<'a> {
    variant: String,
    value: Option<Value>,
    at: &'a Chain<'a>,
    track: &'a Track,
}

impl Variant<'_> {
    /// The variant's content, walked under the variant's name.
    fn content<R>(self, f: impl FnOnce(De<'_>) -> Result<R, Error>) -> Result<R, Error> {
        let at = Chain::Key(self.at, &self.variant);
        match self.value {
            Some(value) => f(De {
                value,
                at: &at,
                track: self.track,
            }),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"a variant with content",
            )),
        }
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Some(value) => de::Deserialize::deserialize(value),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.value {
            Some(_) => self.content(|d| seed.deserialize(d)),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Some(Value::Array(a)) if a.is_empty() => visitor.visit_unit(),
            Some(Value::Array(_)) => self.content(|d| d.any(visitor)),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(&other),
                &"tuple variant",
            )),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Some(Value::Object(_)) => self.content(|d| d.any(visitor)),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(&other),
                &"struct variant",
            )),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"struct variant",
            )),
        }
    }
}

/// What a value is, in serde's words for an error.
fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => de::Unexpected::Unsigned(u),
            (_, Some(i), _) => de::Unexpected::Signed(i),
            (_, _, f) => de::Unexpected::Float(f.unwrap_or_default()),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}
