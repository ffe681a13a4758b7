//! Server-rendered HTML pages without a template engine: escaping, and a small page builder that
//! writes headings, definition lists, tables and links with every text escaped.

use std::fmt::Write;

/// `text` with `& < > " '` escaped for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A table cell: text, or a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Plain text.
    Text(String),
    /// A link with its text.
    Link {
        /// Where it points.
        href: String,
        /// What it shows.
        text: String,
    },
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_string())
    }
}

/// An HTML page being written.
#[derive(Debug, Clone)]
pub struct Page {
    html: String,
}

const STYLE: &str = "body{font-family:sans-serif;margin:1.5em;color:#222}\
table{border-collapse:collapse;margin:.5em 0 1.5em}\
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:.9em}\
th{background:#f0f0f0}dt{font-weight:bold;float:left;clear:left;width:14em}\
dd{margin:0 0 .3em 14em}nav a{margin-right:1em}";

impl Page {
    /// A page with this title (also its first heading).
    pub fn new(title: &str) -> Self {
        let t = escape(title);
        Page {
            html: format!(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head><body><h1>{t}</h1>"
            ),
        }
    }

    /// A row of navigation links.
    pub fn nav(mut self, links: &[(&str, &str)]) -> Self {
        self.html.push_str("<nav>");
        for (href, text) in links {
            self.html.push_str(&link(href, text));
        }
        self.html.push_str("</nav>");
        self
    }

    /// A second-level heading.
    pub fn heading(mut self, text: &str) -> Self {
        let _ = write!(self.html, "<h2>{}</h2>", escape(text));
        self
    }

    /// A paragraph.
    pub fn paragraph(mut self, text: &str) -> Self {
        let _ = write!(self.html, "<p>{}</p>", escape(text));
        self
    }

    /// Preformatted text (`<pre>`) with an `id`.
    pub fn preformatted(mut self, id: &str, text: &str) -> Self {
        let _ = write!(
            self.html,
            "<pre id=\"{}\">{}</pre>",
            escape(id),
            escape(text)
        );
        self
    }

    /// A paragraph of text followed by a link.
    pub fn link_paragraph(mut self, text: &str, href: &str, link_text: &str) -> Self {
        let _ = write!(
            self.html,
            "<p>{} {}</p>",
            escape(text),
            link(href, link_text)
        );
        self
    }

    /// Name/value pairs (`<dl>`), each element with an `id` for tests and scripts.
    pub fn facts(mut self, facts: &[(&str, Cell)]) -> Self {
        self.html.push_str("<dl>");
        for (name, value) in facts {
            let _ = write!(
                self.html,
                "<dt>{}</dt><dd>{}</dd>",
                escape(name),
                cell(value)
            );
        }
        self.html.push_str("</dl>");
        self
    }

    /// A table with an `id`, a header row and rows of cells; `empty` is shown when there are no
    /// rows.
    pub fn table(mut self, id: &str, headers: &[&str], rows: &[Vec<Cell>], empty: &str) -> Self {
        if rows.is_empty() {
            let _ = write!(self.html, "<p id=\"{}\">{}</p>", escape(id), escape(empty));
            return self;
        }
        let _ = write!(self.html, "<table id=\"{}\"><thead><tr>", escape(id));
        for h in headers {
            let _ = write!(self.html, "<th>{}</th>", escape(h));
        }
        self.html.push_str("</tr></thead><tbody>");
        for row in rows {
            self.html.push_str("<tr>");
            for c in row {
                let _ = write!(self.html, "<td>{}</td>", cell(c));
            }
            self.html.push_str("</tr>");
        }
        self.html.push_str("</tbody></table>");
        self
    }

    /// The finished document.
    pub fn finish(mut self) -> String {
        self.html.push_str("</body></html>");
        self.html
    }
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Text(t) => escape(t),
        Cell::Link { href, text } => link(href, text),
    }
}

/// A link to `href` saying `text`, both escaped.
fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape(href), escape(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_is_escaped() {
        let page = Page::new("<app> & 'x'")
            .facts(&[("state", Cell::from("\"RUNNING\""))])
            .table(
                "t",
                &["a<b"],
                &[vec![Cell::Link {
                    href: "x?a=1&b=\"2\"".into(),
                    text: "<script>".into(),
                }]],
                "none",
            )
            .table("empty", &["h"], &[], "nothing <here>")
            .finish();
        assert!(page.contains("<title>&lt;app&gt; &amp; &#39;x&#39;</title>"));
        assert!(page.contains("<dd>&quot;RUNNING&quot;</dd>"));
        assert!(page.contains("<a href=\"x?a=1&amp;b=&quot;2&quot;\">&lt;script&gt;</a>"));
        assert!(page.contains("<p id=\"empty\">nothing &lt;here&gt;</p>"));
        assert!(!page.contains("<script>"));
        assert!(page.ends_with("</body></html>"));
    }
}
