//! The report as JSON text, byte for byte as `serde_json` writes it (compact,
//! or pretty with two-space indents), but faster where reports spend their
//! bytes: in strings.
//!
//! A report is mostly text (every finding carries its explanation), and
//! `serde_json` looks at a string one byte at a time for the characters JSON
//! escapes. Here sixteen bytes are checked at once (SSE2, simd128; a word
//! check of eight bytes elsewhere: no byte below 0x20 or equal to 0x22 or
//! 0x5C) and clean runs are copied whole. Structure,
//! numbers (through `serde_json`'s own formatter: `itoa`, `ryu`), `null` for
//! NaN and infinities and the pretty layout follow `serde_json`; the tests
//! compare the two on every report the project can make. The string escapes
//! are in [`escape`]; the WASM boundary's numbered strings in [`packed`].

use std::fmt;

use serde::ser::{self, Serialize};
use serde_json::ser::{CompactFormatter, Formatter};

mod escape;
mod packed;

use escape::push_str_escaped;
pub use packed::{to_packed, Packed, SameJson, Strings, FILE_FIELDS, FINDING_FIELDS, REPORT_FIELDS};

/// Compact JSON, as `serde_json::to_string`.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    write(value, false, 0)
}

/// Pretty JSON, as `serde_json::to_string_pretty`.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    write(value, true, 0)
}

/// Pretty JSON of `value` as it reads nested `indent` levels deep in a
/// larger pretty document (no newline before or after it), in memory: one
/// file's part of a report made by a worker thread, written out by another.
pub fn to_string_pretty_nested<T: Serialize + ?Sized>(value: &T, indent: usize) -> Result<String, Error> {
    write(value, true, indent)
}

/// Pretty JSON written to `sink` as it is made, in pieces of about 64 KiB,
/// so that a large batch report is never held whole in memory.
pub fn to_writer_pretty<T: Serialize + ?Sized>(sink: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    to_writer_pretty_nested(sink, value, 0)
}

/// Pretty JSON of `value` as it reads nested `indent` levels deep in a
/// larger pretty document (no newline before or after it): a report can be
/// written a file at a time, each file's text as `serde_json` would have
/// placed it in the whole.
pub fn to_writer_pretty_nested<T: Serialize + ?Sized>(sink: &mut dyn std::io::Write, value: &T, indent: usize) -> std::io::Result<()> {
    let mut w = Writer { sink: Some(sink), indent, ..Writer::new(FLUSH_AT + 4096, true) };
    let result = value.serialize(&mut w);
    if let Some(e) = w.failed.take() {
        return Err(e);
    }
    result.map_err(std::io::Error::other)?;
    w.flush();
    w.failed.map_or(Ok(()), Err)
}

/// Text gathered before it goes to the sink.
const FLUSH_AT: usize = 64 << 10;

fn write<T: Serialize + ?Sized>(value: &T, pretty: bool, indent: usize) -> Result<String, Error> {
    let mut w = Writer { indent, ..Writer::new(4096, pretty) };
    value.serialize(&mut w)?;
    Ok(w.out)
}

/// What can go wrong: only what a `Serialize` implementation reports
/// (the report's types never do), or a map key that is not a string.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: fmt::Display>(message: M) -> Error {
        Error(message.to_string())
    }
}

/// Where `serde_json`'s formatter writes one number.
struct NumberBuf {
    bytes: [u8; 48],
    len: usize,
}

impl std::io::Write for NumberBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let end = self.len + data.len();
        let room = self.bytes.get_mut(self.len..end).ok_or(std::io::ErrorKind::WriteZero)?;
        room.copy_from_slice(data);
        self.len = end;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Writer<'s> {
    out: String,
    pretty: bool,
    /// `serde_json`'s `PrettyFormatter` state: the nesting level, and whether
    /// the array or object being closed had a value (one flag for all levels).
    indent: usize,
    has_value: bool,
    /// Where `out` goes once it is long enough, if anywhere.
    sink: Option<&'s mut dyn std::io::Write>,
    /// The sink's first error; nothing is written after it.
    failed: Option<std::io::Error>,
}

impl Writer<'_> {
    fn new(capacity: usize, pretty: bool) -> Self {
        Writer { out: String::with_capacity(capacity), pretty, indent: 0, has_value: false, sink: None, failed: None }
    }

    fn flush(&mut self) {
        if let (Some(sink), None) = (self.sink.as_mut(), self.failed.as_ref()) {
            if let Err(e) = sink.write_all(self.out.as_bytes()) {
                self.failed = Some(e);
            }
        }
        self.out.clear();
    }

    fn number(&mut self, write: impl FnOnce(&mut NumberBuf) -> std::io::Result<()>) {
        let mut buf = NumberBuf { bytes: [0; 48], len: 0 };
        // The longest number (an i128, 40 characters) fits; the formatter writes ASCII.
        if write(&mut buf).is_ok() {
            self.out.push_str(std::str::from_utf8(&buf.bytes[..buf.len]).unwrap_or_default());
        }
    }

    fn newline_indent(&mut self) {
        self.out.push('\n');
        self.push_indent();
    }

    /// Two spaces per level: one slice for the usual depths.
    fn push_indent(&mut self) {
        const SPACES: &str = "                                                                ";
        match SPACES.get(..2 * self.indent) {
            Some(spaces) => self.out.push_str(spaces),
            None => (0..self.indent).for_each(|_| self.out.push_str("  ")),
        }
    }

    fn begin(&mut self, open: char) {
        if self.pretty {
            self.indent += 1;
            self.has_value = false;
        }
        self.out.push(open);
    }

    fn end(&mut self, close: char) {
        if self.pretty {
            self.indent -= 1;
            if self.has_value {
                self.newline_indent();
            }
        }
        self.out.push(close);
    }

    /// Before an array value or an object key.
    fn item(&mut self, first: bool) {
        if self.pretty {
            self.out.push_str(if first { "\n" } else { ",\n" });
            self.push_indent();
        } else if !first {
            self.out.push(',');
        }
    }

    fn colon(&mut self) {
        self.out.push_str(if self.pretty { ": " } else { ":" });
    }

    fn item_done(&mut self) {
        if self.pretty {
            self.has_value = true;
        }
        if self.sink.is_some() && self.out.len() >= FLUSH_AT {
            self.flush();
        }
    }
}

/// An array or object being written: whether a value came yet, and whether
/// it was closed already (empty with a known length, as `serde_json` does).
struct Compound<'w, 's> {
    w: &'w mut Writer<'s>,
    first: bool,
    closed: bool,
}

impl<'w, 's> Compound<'w, 's> {
    fn open(w: &'w mut Writer<'s>, open: char, close: char, len: Option<usize>) -> Compound<'w, 's> {
        w.begin(open);
        let closed = len == Some(0);
        if closed {
            w.end(close);
        }
        Compound { w, first: true, closed }
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.w.item(self.first);
        self.first = false;
        value.serialize(&mut *self.w)?;
        self.w.item_done();
        Ok(())
    }

    fn key(&mut self, key: &str) {
        self.w.item(self.first);
        self.first = false;
        push_str_escaped(&mut self.w.out, key);
        self.w.colon();
    }

    /// A struct field's name: an identifier (serde's derive), with nothing
    /// to escape, so written as it is.
    fn field(&mut self, key: &'static str) {
        debug_assert!(!key.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'), "{key:?}");
        self.w.item(self.first);
        self.first = false;
        self.w.out.push('"');
        self.w.out.push_str(key);
        self.w.out.push('"');
        self.w.colon();
    }

    fn close(self, close: char) {
        if !self.closed {
            self.w.end(close);
        }
    }
}

impl<'w, 's> ser::Serializer for &'w mut Writer<'s> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 's>;
    type SerializeTuple = Compound<'w, 's>;
    type SerializeTupleStruct = Compound<'w, 's>;
    type SerializeTupleVariant = Variant<'w, 's>;
    type SerializeMap = Compound<'w, 's>;
    type SerializeStruct = Compound<'w, 's>;
    type SerializeStructVariant = Variant<'w, 's>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if v.is_finite() {
            self.number(|b| CompactFormatter.write_f32(b, v));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if v.is_finite() {
            self.number(|b| CompactFormatter.write_f64(b, v));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        push_str_escaped(&mut self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = Compound::open(self, '[', ']', Some(v.len()));
        for b in v {
            seq.value(b)?;
        }
        seq.close(']');
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _name: &'static str, _index: u32, variant: &'static str, value: &T) -> Result<(), Error> {
        let mut object = Compound::open(self, '{', '}', None);
        object.key(variant);
        value.serialize(&mut *object.w)?;
        object.w.item_done();
        object.close('}');
        Ok(())
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'w, 's>, Error> {
        Ok(Compound::open(self, '[', ']', len))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 's>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'w, 's>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, variant: &'static str, len: usize) -> Result<Variant<'w, 's>, Error> {
        let mut outer = Compound::open(self, '{', '}', None);
        outer.key(variant);
        Ok(Variant { inner: Compound::open(outer.w, '[', ']', Some(len)), close: ']' })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'w, 's>, Error> {
        Ok(Compound::open(self, '{', '}', len))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'w, 's>, Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(self, _name: &'static str, _index: u32, variant: &'static str, len: usize) -> Result<Variant<'w, 's>, Error> {
        let mut outer = Compound::open(self, '{', '}', None);
        outer.key(variant);
        Ok(Variant { inner: Compound::open(outer.w, '{', '}', Some(len)), close: '}' })
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(']');
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(']');
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let key = key.serialize(KeySerializer)?;
        self.key(&key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.w)?;
        self.w.item_done();
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.field(key);
        value.serialize(&mut *self.w)?;
        self.w.item_done();
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.close('}');
        Ok(())
    }
}

/// An enum variant holding a tuple or a struct: `{"Variant":[…]}` or `{"Variant":{…}}`.
struct Variant<'w, 's> {
    inner: Compound<'w, 's>,
    close: char,
}

impl Variant<'_, '_> {
    fn finish(self) {
        let close = self.close;
        let Compound { w, closed, .. } = self.inner;
        if !closed {
            w.end(close);
        }
        w.item_done();
        w.end('}');
    }
}

impl ser::SerializeTupleVariant for Variant<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.value(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Variant<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

/// Map keys: strings, and (as `serde_json` allows) numbers, booleans and
/// chars written as strings.
struct KeySerializer;

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    fn serialize_bool(self, v: bool) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _v: f32) -> Result<String, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_f64(self, _v: f64) -> Result<String, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _name: &'static str, _index: u32, _variant: &'static str, _value: &T) -> Result<String, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_struct_variant(self, _name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(serde::Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, Option<String>),
        Struct { empty: Vec<u8>, nested: Vec<Vec<u8>>, map: BTreeMap<String, f32> },
    }

    #[derive(serde::Serialize)]
    struct Everything {
        text: String,
        numbers: (i64, u64, f64, f32, i128, u128),
        flags: [bool; 2],
        none: Option<u8>,
        shapes: Vec<Shape>,
        empty: Vec<u8>,
        empty_map: BTreeMap<u32, u8>,
        keys: BTreeMap<u32, Vec<u8>>,
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
        ch: char,
        unit: (),
    }

    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    fn same<T: Serialize>(value: &T) {
        assert_eq!(to_string(value).unwrap(), serde_json::to_string(value).unwrap());
        assert_eq!(to_string_pretty(value).unwrap(), serde_json::to_string_pretty(value).unwrap());
        let mut written = Vec::new();
        to_writer_pretty(&mut written, value).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), serde_json::to_string_pretty(value).unwrap());
    }

    #[test]
    fn a_long_document_goes_to_the_sink_in_pieces() {
        struct Pieces(Vec<usize>, Vec<u8>);
        impl std::io::Write for Pieces {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.push(b.len());
                self.1.extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let value: Vec<String> = (0..20_000).map(|i| format!("value \"{i}\"")).collect();
        let mut sink = Pieces(Vec::new(), Vec::new());
        to_writer_pretty(&mut sink, &value).unwrap();
        assert!(sink.0.len() > 4 && sink.0.iter().all(|&n| n < FLUSH_AT * 2), "{:?}", sink.0);
        assert_eq!(String::from_utf8(sink.1).unwrap(), serde_json::to_string_pretty(&value).unwrap());
        struct Broken;
        impl std::io::Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        assert_eq!(to_writer_pretty(&mut Broken, &value).unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn every_shape_is_written_as_serde_json_writes_it() {
        let value = Everything {
            text: "quote \" backslash \\ controls \u{0}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f} del \u{7f} é 日本 end".into(),
            numbers: (-42, u64::MAX, 0.1 + 0.2, 1.5e-7, i128::MIN, u128::MAX),
            flags: [true, false],
            none: None,
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-1, Some("x".into())),
                Shape::Struct { empty: vec![], nested: vec![vec![], vec![1, 2]], map: [("k\"ey".to_owned(), f32::NAN), ("b".to_owned(), 2.5)].into() },
            ],
            empty: vec![],
            empty_map: BTreeMap::new(),
            keys: [(3, vec![]), (10, vec![1])].into(),
            bytes: vec![0, 255],
            ch: '\n',
            unit: (),
        };
        same(&value);
        same(&(f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 600.0f64, -0.0f64, 1e300f64));
        same(&Vec::<Vec<Option<u8>>>::new());
    }

    proptest::proptest! {
        #[test]
        fn strings_and_numbers_equal_serde_json(text in "(\\PC|[\\x00-\\x1f\"\\\\]){0,40}", f in proptest::num::f64::ANY, g in proptest::num::f32::ANY, n in proptest::num::i64::ANY) {
            let value = (text.as_str(), vec![Some(f)], g, n, [text.clone(), String::new()]);
            proptest::prop_assert_eq!(to_string(&value).unwrap(), serde_json::to_string(&value).unwrap());
            proptest::prop_assert_eq!(to_string_pretty(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap());
        }

    }
}
