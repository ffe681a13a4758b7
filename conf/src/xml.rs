//! One `*-site.xml` file, parsed into the properties and includes it lists, in order.
//!
//! The shape Hadoop accepts: a root `<configuration>` whose `<property>` children hold `<name>`,
//! `<value>` and optional `<final>` (or carry them as attributes), and `<xi:include href=…>`
//! children (XInclude) that pull another file in at that place; an include with a
//! `<xi:fallback>` may name a file that does not exist. `<description>`, `<source>` and `<tag>`
//! are ignored. A property without `<value>`, or with an empty one, is "unset": it neither sets
//! "" nor overrides an earlier value.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::ConfError;

/// Nesting deeper than this is not a configuration file.
const MAX_DEPTH: usize = 32;
/// More properties than this in one file is not a configuration file either (Hadoop's own
/// defaults have about a thousand).
const MAX_PROPERTIES: usize = 100_000;

/// What a file lists, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A `<property>`.
    Property {
        /// The trimmed name.
        name: String,
        /// The value as written; `None` when absent or empty (unset).
        value: Option<String>,
        /// `<final>true</final>`: later resources cannot override it.
        is_final: bool,
        /// The 1-based line of the `<property>` element.
        line: usize,
    },
    /// An `<xi:include href=…>`.
    Include {
        /// The `href` attribute as written.
        href: String,
        /// Whether the include has a `<xi:fallback>`, which makes a missing file acceptable.
        has_fallback: bool,
        /// The 1-based line of the include.
        line: usize,
    },
}

/// Byte offsets where each line starts, to turn the parser's offsets into line numbers.
struct Lines(Vec<usize>);

impl Lines {
    fn of(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    fn line(&self, offset: u64) -> usize {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        self.0.partition_point(|&start| start <= offset).max(1)
    }
}

/// The property being read, field by field.
#[derive(Default)]
struct OpenProperty {
    name: Option<String>,
    value: Option<String>,
    is_final: Option<String>,
    line: usize,
}

/// What the parser has collected and is collecting.
#[derive(Default)]
struct Collected {
    items: Vec<Item>,
    property: Option<OpenProperty>,
    field: Option<(Field, String)>,
    include: Option<(String, bool, usize)>,
}

/// Which text the parser is collecting.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Value,
    Final,
    Other,
}

/// Parses `text`, the contents of `path` (named in errors only).
pub fn parse(path: &Path, text: &str) -> Result<Vec<Item>, ConfError> {
    let lines = Lines::of(text);
    let malformed = |offset: u64, detail: String| ConfError::Malformed {
        path: path.to_path_buf(),
        line: lines.line(offset),
        detail,
    };

    let mut reader = Reader::from_str(text);
    let mut c = Collected::default();
    let mut stack: Vec<String> = Vec::new();
    let mut seen_root = false;

    loop {
        let offset = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| malformed(reader.error_position(), format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(start) | Event::Empty(start) if stack.is_empty() && seen_root => {
                let name = element_name(&start);
                return Err(malformed(offset, format!("a second root element <{name}>")));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = element_name(start);
                if stack.is_empty() {
                    if name != "configuration" {
                        return Err(malformed(
                            offset,
                            format!(
                                "the root element is <{name}>, not <configuration>: is this a Hadoop *-site.xml file?"
                            ),
                        ));
                    }
                    seen_root = true;
                } else if local(&name) == "include" {
                    let href = attribute(start, "href")
                        .map_err(|d| malformed(offset, d))?
                        .ok_or_else(|| malformed(offset, "an include without href".to_string()))?;
                    c.include = Some((href, false, lines.line(offset)));
                } else if local(&name) == "fallback" {
                    if let Some(inc) = c.include.as_mut() {
                        inc.1 = true;
                    }
                } else if name == "property" && stack.len() == 1 {
                    let mut open = OpenProperty {
                        line: lines.line(offset),
                        ..Default::default()
                    };
                    open.name = attribute(start, "name").map_err(|d| malformed(offset, d))?;
                    open.value = attribute(start, "value").map_err(|d| malformed(offset, d))?;
                    open.is_final = attribute(start, "final").map_err(|d| malformed(offset, d))?;
                    c.property = Some(open);
                } else if c.property.is_some() && stack.len() == 2 {
                    let kind = match name.as_str() {
                        "name" => Field::Name,
                        "value" => Field::Value,
                        "final" => Field::Final,
                        _ => Field::Other,
                    };
                    c.field = Some((kind, String::new()));
                }
                if is_empty {
                    // An empty element opens and closes at once.
                    c.close(&name, stack.len())
                        .map_err(|d| malformed(offset, d))?;
                } else {
                    if stack.len() >= MAX_DEPTH {
                        return Err(malformed(
                            offset,
                            format!("elements nested deeper than {MAX_DEPTH} levels"),
                        ));
                    }
                    stack.push(name);
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                c.close(&name, stack.len())
                    .map_err(|d| malformed(offset, d))?;
                if c.items.len() > MAX_PROPERTIES {
                    return Err(malformed(
                        offset,
                        format!("more than {MAX_PROPERTIES} properties in one file"),
                    ));
                }
            }
            Event::Text(t) => push_text(&mut c.field, &t.xml10_content()),
            Event::CData(data) => push_text(&mut c.field, &data),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r)
                        .ok_or_else(|| malformed(offset, format!("unknown entity &{};", &*r)))?
                        .to_string(),
                    Err(e) => {
                        return Err(malformed(offset, format!("bad character reference: {e}")));
                    }
                };
                push_text(&mut c.field, &resolved);
            }
            Event::Eof => {
                if !seen_root {
                    return Err(malformed(offset, "no <configuration> element".to_string()));
                }
                if let Some(open) = stack.last() {
                    return Err(malformed(offset, format!("<{open}> is not closed")));
                }
                return Ok(c.items);
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn element_name(start: &BytesStart<'_>) -> String {
    start.name().as_ref().to_string()
}

/// The local part of a possibly prefixed name (`xi:include` → `include`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn attribute(start: &BytesStart<'_>, key: &str) -> Result<Option<String>, String> {
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
        if attr.key.as_ref() == key {
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| format!("bad value of attribute {key}: {e}"))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

fn push_text(field: &mut Option<(Field, String)>, text: &str) {
    if let Some((_, buf)) = field.as_mut() {
        buf.push_str(text);
    }
}

impl Collected {
    /// Handles the end of element `name`, which sat at depth `depth` (0 = root).
    fn close(&mut self, name: &str, depth: usize) -> Result<(), String> {
        if local(name) == "include" {
            if let Some((href, has_fallback, line)) = self.include.take() {
                self.items.push(Item::Include {
                    href,
                    has_fallback,
                    line,
                });
            }
            return Ok(());
        }
        if depth == 2
            && let (Some(open), Some((kind, text))) = (self.property.as_mut(), self.field.take())
        {
            match kind {
                Field::Name => open.name = Some(text),
                Field::Value => open.value = Some(text),
                Field::Final => open.is_final = Some(text),
                Field::Other => {}
            }
            return Ok(());
        }
        if depth == 1 && name == "property" {
            let Some(open) = self.property.take() else {
                return Ok(());
            };
            let name = open.name.map(|n| n.trim().to_string()).unwrap_or_default();
            if name.is_empty() {
                return Err("a <property> without a <name>".to_string());
            }
            let is_final = match open.is_final.as_deref().map(str::trim) {
                None | Some("") | Some("false") => false,
                Some("true") => true,
                Some(other) => {
                    return Err(format!(
                        "<final> of {name} is {other:?}; write true or false"
                    ));
                }
            };
            self.items.push(Item::Property {
                name,
                value: open.value.filter(|v| !v.is_empty()),
                is_final,
                line: open.line,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Vec<Item>, ConfError> {
        parse(Path::new("t.xml"), text)
    }

    fn prop(name: &str, value: Option<&str>, is_final: bool, line: usize) -> Item {
        Item::Property {
            name: name.into(),
            value: value.map(Into::into),
            is_final,
            line,
        }
    }

    #[test]
    fn elements_attributes_entities_and_cdata() {
        let items = parse_str(
            r#"<?xml version="1.0"?>
<!-- a comment -->
<configuration xmlns:xi="http://www.w3.org/2001/XInclude">
  <property>
    <name> a.b </name>
    <value>x &amp; &#x41;&lt;<![CDATA[<raw>]]></value>
    <final>true</final>
    <description>ignored <b>markup</b></description>
  </property>
  <property name="c" value="d"/>
  <property><name>empty</name><value></value></property>
  <property><name>absent</name></property>
  <xi:include href="more.xml"><xi:fallback/></xi:include>
  <xi:include href="must.xml"/>
</configuration>"#,
        )
        .unwrap();
        assert_eq!(
            items,
            vec![
                prop("a.b", Some("x & A<<raw>"), true, 4),
                prop("c", Some("d"), false, 10),
                prop("empty", None, false, 11),
                prop("absent", None, false, 12),
                Item::Include {
                    href: "more.xml".into(),
                    has_fallback: true,
                    line: 13
                },
                Item::Include {
                    href: "must.xml".into(),
                    has_fallback: false,
                    line: 14
                },
            ]
        );
    }

    #[test]
    fn bad_documents_name_the_line() {
        let cases = [
            (
                "<configuration>\n<property>\n<name>a</name>\n</configuration>",
                4,
                "not well-formed",
            ),
            ("<conf/>", 1, "not <configuration>"),
            ("", 1, "no <configuration>"),
            (
                "<configuration>\n\n<property><value>1</value></property></configuration>",
                3,
                "without a <name>",
            ),
            (
                "<configuration><property><name>a</name><final>yes</final></property></configuration>",
                1,
                "true or false",
            ),
            (
                "<configuration>\n<property><name>a</name><value>&nbsp;</value></property></configuration>",
                2,
                "unknown entity",
            ),
            ("<configuration/><configuration/>", 1, "second root"),
            (
                "<configuration>\n<xi:include/></configuration>",
                2,
                "without href",
            ),
        ];
        for (text, line, what) in cases {
            match parse_str(text) {
                Err(ConfError::Malformed {
                    line: l, detail, ..
                }) => {
                    assert_eq!(l, line, "{text}: {detail}");
                    assert!(detail.contains(what), "{text}: {detail}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!(
            "<configuration>{}{}</configuration>",
            "<a>".repeat(40),
            "</a>".repeat(40)
        );
        let err = parse_str(&deep).unwrap_err();
        assert!(err.to_string().contains("nested deeper"), "{err}");
    }

    proptest::proptest! {
        // Whatever the bytes, parsing ends in items or an error, never a panic.
        #[test]
        fn arbitrary_text_never_panics(text in "(<configuration>|<property>|<name>|<value>|</property>|</configuration>|<xi:include href='a'/>|&amp;|&#x41;|&bad;|<!\\[CDATA\\[x\\]\\]>|[a-z<>/&;#\"' ]){0,40}") {
            let _ = parse(Path::new("fuzz.xml"), &text);
        }
    }
}
