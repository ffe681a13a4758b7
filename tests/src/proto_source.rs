//! Our protobuf declarations as written in `protocol/src/proto/*.rs`, read from the source text:
//! every `prost::Message` struct with its fields (from their `#[prost(...)]` attributes) and every
//! `prost::Enumeration` with its values, so that tests can hold them against Hadoop's descriptors.
//! The reader knows the layout those files keep (one item per line, `#[derive]` above the item,
//! the proto name in the first backticks of an enum's doc comment).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::cache::repo_root;
use crate::error::{HarnessError, Result};

/// The modules of `spindle_protocol::proto` that hold messages.
pub const MODULES: &[&str] = &["rpc", "security", "yarn", "yarn_service"];

/// One field of one of our message structs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OurField {
    /// Field number.
    pub tag: u32,
    /// Proto type as Hadoop's descriptor names it: `int32`, `string`, `message`, `enum`, ...
    pub ty: String,
    /// `required`, `optional`, `repeated`, or `singular` when the attribute names none.
    pub label: String,
    /// Whether a repeated scalar is packed on the wire.
    pub packed: bool,
    /// The Rust field name.
    pub rust_name: String,
}

/// One of our enumerations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OurEnum {
    /// `module::Enum`.
    pub rust: String,
    /// The proto name its doc comment gives in backticks (the Rust name when it gives none).
    pub proto: String,
    /// Its value numbers.
    pub values: BTreeSet<i32>,
}

/// Every message struct and enumeration of [`MODULES`].
#[derive(Debug, Default)]
pub struct ProtoSource {
    /// `module::Struct` (`module::nested::Struct` inside a `pub mod`) → its fields.
    pub messages: BTreeMap<String, Vec<OurField>>,
    /// Every enumeration, in source order.
    pub enums: Vec<OurEnum>,
}

/// What the reader is inside of.
#[derive(Default)]
struct Cursor {
    /// `module` or `module::nested`.
    path: String,
    derives_message: bool,
    /// The first backticked name of the doc comment above the current line.
    doc_name: Option<String>,
    in_doc: bool,
    message: Option<(String, Vec<OurField>)>,
    /// A `#[prost(...)]` attribute read so far (it may span lines).
    attr: Option<String>,
    /// The last complete attribute, waiting for its field line.
    pending: Option<(u32, String, String, bool)>,
    enumeration: Option<OurEnum>,
}

fn ident(rest: &str) -> String {
    rest.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// (tag, type, label, packed) of a whole `#[prost(...)]` attribute.
fn prost_attribute(attr: &str) -> (u32, String, String, bool) {
    let inner = attr.trim_start_matches("#[prost(").trim_end_matches(")]");
    let items: Vec<&str> = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let ty = match items.first().copied().unwrap_or("") {
        s if s.starts_with("bytes") => "bytes".to_string(),
        s if s.starts_with("enumeration") => "enum".to_string(),
        s => s.to_string(),
    };
    let label = ["required", "optional", "repeated"]
        .into_iter()
        .find(|l| items.contains(l))
        .unwrap_or("singular")
        .to_string();
    let tag = items
        .iter()
        .find_map(|i| i.strip_prefix("tag = \""))
        .and_then(|v| v.trim_end_matches('"').parse().ok())
        .unwrap_or(0);
    let packable = !matches!(ty.as_str(), "string" | "bytes" | "message");
    let packed = label == "repeated" && packable && !items.contains(&"packed = \"false\"");
    (tag, ty, label, packed)
}

impl ProtoSource {
    /// Reads [`MODULES`] from `protocol/src/proto/` of this workspace.
    pub fn read() -> Result<Self> {
        let dir: PathBuf = repo_root().join("protocol").join("src").join("proto");
        let mut source = ProtoSource::default();
        for module in MODULES {
            let path = dir.join(format!("{module}.rs"));
            let text = std::fs::read_to_string(&path)?;
            source
                .add(module, &text)
                .map_err(|e| HarnessError::Protocol(format!("{}: {e}", path.display())))?;
        }
        Ok(source)
    }

    /// Adds the declarations of one module's source text.
    pub fn add(&mut self, module: &str, text: &str) -> std::result::Result<(), String> {
        let mut c = Cursor {
            path: module.to_string(),
            ..Cursor::default()
        };
        for line in text.lines() {
            self.line(module, &mut c, line)?;
        }
        Ok(())
    }

    fn line(
        &mut self,
        module: &str,
        c: &mut Cursor,
        line: &str,
    ) -> std::result::Result<(), String> {
        let t = line.trim();
        if let Some(e) = c.enumeration.as_mut() {
            if t == "}" {
                self.enums.extend(c.enumeration.take());
            } else if let Some((_, rhs)) = t.split_once(" = ") {
                let n = rhs.trim_end_matches(',').trim();
                let value = n
                    .parse()
                    .map_err(|err| format!("enum {} value `{t}`: {err}", e.rust))?;
                e.values.insert(value);
            }
            return Ok(());
        }
        if c.message.is_some() {
            self.message_line(c, t);
            return Ok(());
        }
        if let Some(m) = line
            .strip_prefix("pub mod ")
            .and_then(|r| r.strip_suffix(" {"))
        {
            c.path = format!("{module}::{m}");
            return Ok(());
        }
        if line == "}" {
            c.path = module.to_string();
        }
        if let Some(d) = t.strip_prefix("///") {
            if !c.in_doc {
                c.doc_name = d
                    .trim()
                    .strip_prefix('`')
                    .and_then(|r| r.split_once('`'))
                    .map(|(name, _)| name.to_string())
                    .filter(|n| {
                        n.chars()
                            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.')
                    });
                c.in_doc = true;
            }
            return Ok(());
        }
        c.in_doc = false;
        if t.starts_with("#[derive(") {
            c.derives_message = t.contains("prost::Message");
        } else if let Some(rest) = t.strip_prefix("pub struct ") {
            let name = format!("{}::{}", c.path, ident(rest));
            if c.derives_message && rest.trim_end().ends_with("{}") {
                self.messages.insert(name, Vec::new());
            } else if c.derives_message && rest.trim_end().ends_with('{') {
                c.message = Some((name, Vec::new()));
            }
            c.derives_message = false;
        } else if let Some(rest) = t.strip_prefix("pub enum ") {
            let name = ident(rest);
            c.enumeration = Some(OurEnum {
                rust: format!("{}::{name}", c.path),
                proto: c.doc_name.take().unwrap_or(name),
                values: BTreeSet::new(),
            });
        }
        if !t.starts_with("#[") {
            c.doc_name = None;
        }
        Ok(())
    }

    /// A line inside a message struct: an attribute (part), a field, or the end.
    fn message_line(&mut self, c: &mut Cursor, t: &str) {
        if t == "}" {
            if let Some((name, fields)) = c.message.take() {
                self.messages.insert(name, fields);
            }
            return;
        }
        if let Some(a) = c.attr.as_mut() {
            a.push(' ');
            a.push_str(t);
        } else if t.starts_with("#[prost(") {
            c.attr = Some(t.to_string());
        }
        if let Some(a) = c.attr.as_ref().filter(|a| a.ends_with(")]")) {
            c.pending = Some(prost_attribute(a));
            c.attr = None;
            return;
        }
        if c.attr.is_none()
            && let Some(rest) = t.strip_prefix("pub ")
            && let Some((field, _)) = rest.split_once(':')
            && let Some((tag, ty, label, packed)) = c.pending.take()
            && let Some((_, fields)) = c.message.as_mut()
        {
            fields.push(OurField {
                tag,
                ty,
                label,
                packed,
                rust_name: field.trim().to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
/// `ThingProto`: a thing.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ThingProto {
    /// f1.
    #[prost(int64, optional, tag = "1")]
    pub id: Option<i64>,
    #[prost(
        message,
        repeated,
        tag = "2"
    )]
    pub parts: Vec<PartProto>,
    #[prost(int32, repeated, packed = "false", tag = "3")]
    pub loose: Vec<i32>,
    #[prost(enumeration = "Kind", repeated, tag = "4")]
    pub kinds: Vec<i32>,
}

/// `EmptyProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EmptyProto {}

/// Not a message.
pub struct Helper {
    pub x: i32,
}

/// `KindProto`: kinds.
#[derive(Clone, Copy, prost::Enumeration)]
#[repr(i32)]
pub enum Kind {
    /// `A`.
    A = 1,
    B = 7,
}

/// Nested enums.
pub mod inner {
    /// Rust name only.
    pub enum Mode {
        On = 0,
    }
}
"#;

    #[test]
    fn reads_messages_fields_and_enums() {
        let mut s = ProtoSource::default();
        s.add("m", SAMPLE).expect("valid sample");
        assert_eq!(
            s.messages.keys().collect::<Vec<_>>(),
            ["m::EmptyProto", "m::ThingProto"]
        );
        let f = &s.messages["m::ThingProto"];
        let summary: Vec<(u32, &str, &str, bool, &str)> = f
            .iter()
            .map(|f| {
                (
                    f.tag,
                    f.ty.as_str(),
                    f.label.as_str(),
                    f.packed,
                    f.rust_name.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (1, "int64", "optional", false, "id"),
                (2, "message", "repeated", false, "parts"),
                (3, "int32", "repeated", false, "loose"),
                (4, "enum", "repeated", true, "kinds"),
            ]
        );
        let enums: Vec<(&str, &str, Vec<i32>)> = s
            .enums
            .iter()
            .map(|e| {
                (
                    e.rust.as_str(),
                    e.proto.as_str(),
                    e.values.iter().copied().collect(),
                )
            })
            .collect();
        assert_eq!(
            enums,
            [
                ("m::Kind", "KindProto", vec![1, 7]),
                ("m::inner::Mode", "Mode", vec![0]),
            ]
        );
    }

    #[test]
    fn a_bad_enum_value_is_an_error() {
        let mut s = ProtoSource::default();
        let err = s
            .add("m", "pub enum E {\n    A = x,\n}\n")
            .expect_err("not a number");
        assert!(err.contains("m::E"), "{err}");
    }
}
