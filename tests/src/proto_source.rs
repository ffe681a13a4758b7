//! Our protobuf declarations as written in `protocol/src/proto/*.rs`, read from the source text:
//! every message struct of a `proto_messages!` block with its fields (one line each:
//! `tag name: label [flag] type [= default],`) and every enum of a `proto_enums!` block with its values, so
//! that tests can hold them against Hadoop's descriptors. The reader knows the layout those files
//! keep (one item per line, the proto name in the first backticks of an enum's doc comment).

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
    /// Inside a `proto_messages!` block: every struct is a message.
    in_messages: bool,
    /// The first backticked name of the doc comment above the current line.
    doc_name: Option<String>,
    in_doc: bool,
    message: Option<(String, Vec<OurField>)>,
    enumeration: Option<OurEnum>,
}

fn ident(rest: &str) -> String {
    rest.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// One field line of a `proto_messages!` struct: `tag name: label [flag] type [= default],`,
/// where `type` is a scalar, `message(Type)` or `enumeration(Type)` and the flag `unpacked` turns
/// off the packing of a repeated number.
fn field_line(t: &str) -> Option<OurField> {
    let (tag, rest) = t.split_once(' ')?;
    let (name, decl) = rest.split_once(':')?;
    let decl = decl.trim().strip_suffix(',')?;
    let decl = decl.split_once(" = ").map_or(decl, |(d, _)| d);
    let words: Vec<&str> = decl.split_whitespace().collect();
    let label = *words.first()?;
    if !["required", "optional", "repeated"].contains(&label) {
        return None;
    }
    let ty = match words.last()?.split('(').next()? {
        "enumeration" => "enum",
        ty => ty,
    };
    let packable = !matches!(ty, "string" | "bytes" | "message");
    Some(OurField {
        tag: tag.parse().ok()?,
        ty: ty.to_string(),
        label: label.to_string(),
        packed: label == "repeated" && packable && !words.contains(&"unpacked"),
        rust_name: name.trim().to_string(),
    })
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
            return self.message_line(c, t);
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
            c.in_messages = false;
        }
        if t.ends_with("proto_messages! {") {
            c.in_messages = true;
            return Ok(());
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
        if t.starts_with("#[derive(") && t.contains("prost::Message") {
            // Only `proto_messages!` blocks are read: a message written out by hand would be
            // missed by every check built on this reader.
            return Err(format!(
                "`{t}` in {}: declare messages with proto_messages! so that they are checked",
                c.path
            ));
        }
        if t.starts_with("#[derive(") && t.contains("prost::Enumeration") {
            return Err(format!(
                "`{t}` in {}: declare enums with proto_enums!, which gives them the derives \
                 every wire enum has",
                c.path
            ));
        }
        if let Some(rest) = t.strip_prefix("pub struct ").filter(|_| c.in_messages) {
            let name = format!("{}::{}", c.path, ident(rest));
            if rest.ends_with("{}") {
                self.messages.insert(name, Vec::new());
            } else {
                c.message = Some((name, Vec::new()));
            }
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

    /// A line inside a message struct: a doc comment, a field, or the end.
    fn message_line(&mut self, c: &mut Cursor, t: &str) -> std::result::Result<(), String> {
        if t == "}" {
            if let Some((name, fields)) = c.message.take() {
                self.messages.insert(name, fields);
            }
        } else if !t.is_empty()
            && !t.starts_with("///")
            && let Some((name, fields)) = c.message.as_mut()
        {
            fields.push(field_line(t).ok_or_else(|| format!("{name}: field line `{t}`"))?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
crate::proto_messages! {
    /// `ThingProto`: a thing.
    #[derive(Eq)]
    pub struct ThingProto {
        /// f1.
        1 id: optional int64 = "-1",
        2 parts: repeated message(inner::PartProto),
        3 loose: repeated unpacked int32,

        4 kinds: repeated enumeration(Kind),
        /// f5: a name, with a default that has a colon: and ` = ` in it.
        5 name: required string = "a: b = c",
    }

    /// `EmptyProto`.
    pub struct EmptyProto {}
}

/// Not a message.
pub struct Helper {
    pub x: i32,
}

crate::proto_enums! {
    /// `KindProto`: kinds.
    pub enum Kind {
        /// `A`.
        A = 1,
        B = 7,
    }
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
    fn a_message_written_out_by_hand_is_an_error() {
        let hand = "/// `LooseProto`.\n#[derive(Clone, PartialEq, prost::Message)]\npub struct LooseProto {}\n";
        let err = ProtoSource::default().add("m", hand).unwrap_err();
        assert!(err.contains("proto_messages!"), "{err}");
    }

    #[test]
    fn an_enumeration_written_out_by_hand_is_an_error() {
        let hand = "#[derive(Clone, Copy, prost::Enumeration)]\n#[repr(i32)]\npub enum E {\n    A = 1,\n}\n";
        let err = ProtoSource::default().add("m", hand).unwrap_err();
        assert!(err.contains("proto_enums!"), "{err}");
    }

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
                (5, "string", "required", false, "name"),
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

    #[test]
    fn a_field_line_it_cannot_read_is_an_error() {
        let mut s = ProtoSource::default();
        let err = s
            .add(
                "m",
                "proto_messages! {\n    pub struct P {\n        1 id: maybe int64,\n    }\n}\n",
            )
            .expect_err("no such label");
        assert!(
            err.contains("m::P") && err.contains("1 id: maybe int64,"),
            "{err}"
        );
    }
}
