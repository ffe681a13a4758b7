//! The documents Hadoop's web services answer with, shared by the RM's and the NMs' servers:
//! JSON (`{"<root>":{…}}`) by default, XML (`<root>…</root>`) when the client's `Accept` asks
//! for it, as Hadoop's Jersey services negotiate; errors as `RemoteException` documents.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{ALLOW, HeaderValue};
use hyper::{Response, StatusCode};
use serde::Serialize;
use spindle_http::html::Cell;

use crate::rest::RestError;

/// What JSON answers are labelled.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";
/// What XML answers are labelled.
pub const XML_CONTENT_TYPE: &str = "application/xml;charset=utf-8";

/// The format of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json`.
    Json,
    /// `application/xml`.
    Xml,
}

/// Whether a media range admits `mime` (`*/*`, `type/*` or exact), and with which weight.
fn weight(range: &str, mime: &str) -> Option<f32> {
    let mut parts = range.split(';');
    let r = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let q = parts
        .filter_map(|p| p.trim().strip_prefix("q="))
        .find_map(|q| q.trim().parse::<f32>().ok())
        .unwrap_or(1.0);
    let (t, _) = mime.split_once('/').unwrap_or((mime, ""));
    let matches = r == mime || r == "*/*" || r == format!("{t}/*");
    (matches && q > 0.0).then_some(q)
}

/// The format an `Accept` header asks for: JSON unless XML weighs more (or only XML is
/// acceptable); `None` when neither is acceptable. An absent or empty header accepts JSON.
pub fn negotiate(accept: Option<&str>) -> Option<Format> {
    let accept = accept.map(str::trim).unwrap_or("");
    if accept.is_empty() {
        return Some(Format::Json);
    }
    let best = |mime: &str| {
        accept
            .split(',')
            .filter_map(|r| weight(r, mime))
            .fold(None, |acc: Option<f32>, q| {
                Some(acc.map_or(q, |a| a.max(q)))
            })
    };
    // text/xml counts as XML, as Jersey serves it.
    let xml = match (best("application/xml"), best("text/xml")) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    match (best("application/json"), xml) {
        (None, None) => None,
        (Some(j), Some(x)) if x > j => Some(Format::Xml),
        (None, Some(_)) => Some(Format::Xml),
        _ => Some(Format::Json),
    }
}

fn respond(status: StatusCode, format: Format, body: Vec<u8>) -> Response<Full<Bytes>> {
    let content_type = match format {
        Format::Json => JSON_CONTENT_TYPE,
        Format::Xml => XML_CONTENT_TYPE,
    };
    spindle_http::response(status, content_type, body)
}

/// `body` as the document `root` in `format`: `{"root":body}` or `<root>body</root>`.
pub fn document<T: Serialize>(
    status: StatusCode,
    format: Format,
    root: &str,
    body: &T,
) -> Response<Full<Bytes>> {
    let encoded = match format {
        Format::Json => {
            // Written straight into the buffer (no intermediate JSON value): `{"root":body}`.
            use serde::ser::{SerializeMap, Serializer};
            let mut buf = Vec::with_capacity(4096);
            let mut ser = serde_json::Serializer::new(&mut buf);
            ser.serialize_map(Some(1))
                .and_then(|mut m| {
                    m.serialize_entry(root, body)?;
                    m.end()
                })
                .map(|()| buf)
                .map_err(|e| e.to_string())
        }
        Format::Xml => quick_xml::se::to_string_with_root(root, body)
            .map(|x| {
                let mut s =
                    String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
                s.push_str(&x);
                s.into_bytes()
            })
            .map_err(|e| e.to_string()),
    };
    match encoded {
        Ok(bytes) => respond(status, format, bytes),
        Err(e) => error(
            &RestError::internal(format!("cannot write the answer: {e}")),
            format,
            &[],
        ),
    }
}

/// A table or fact cell linking to `href`, showing `text`.
pub fn link(href: impl Into<String>, text: impl Into<String>) -> Cell {
    Cell::Link {
        href: href.into(),
        text: text.into(),
    }
}

/// An HTML page.
pub fn html(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    spindle_http::response(status, "text/html; charset=utf-8", body)
}

/// An error as a small HTML page with its status, under the site's navigation `nav`.
pub fn error_page(
    e: &RestError,
    nav: impl FnOnce(spindle_http::html::Page) -> spindle_http::html::Page,
) -> Response<Full<Bytes>> {
    let title = format!("{} {}", e.status.as_u16(), e.simple_class());
    html(
        e.status,
        nav(spindle_http::html::Page::new(&title))
            .paragraph(&e.message)
            .finish(),
    )
}

/// `body` without a root in JSON (`{…}`, as Hadoop writes `appstate`, `priority` and `queue`)
/// and as the document `xml_root` in XML.
pub fn bare<T: Serialize>(
    status: StatusCode,
    format: Format,
    xml_root: &str,
    body: &T,
) -> Response<Full<Bytes>> {
    match format {
        Format::Json => match serde_json::to_vec(body) {
            Ok(bytes) => respond(status, format, bytes),
            Err(e) => error(
                &RestError::internal(format!("cannot write the answer: {e}")),
                format,
                &[],
            ),
        },
        Format::Xml => document(status, format, xml_root, body),
    }
}

/// An error as a `RemoteException` document (with `Allow` when `allow` is not empty).
pub fn error(e: &RestError, format: Format, allow: &[&str]) -> Response<Full<Bytes>> {
    #[derive(Serialize)]
    struct Remote<'a> {
        exception: &'a str,
        message: &'a str,
        #[serde(rename = "javaClassName")]
        java_class_name: &'a str,
    }
    let body = Remote {
        exception: e.simple_class(),
        message: &e.message,
        java_class_name: e.class(),
    };
    let encoded = match format {
        Format::Json => e.to_json(),
        Format::Xml => quick_xml::se::to_string_with_root("RemoteException", &body)
            .map(String::into_bytes)
            .unwrap_or_else(|_| e.to_json()),
    };
    let mut r = respond(e.status, format, encoded);
    if !allow.is_empty()
        && let Ok(v) = HeaderValue::from_str(&allow.join(", "))
    {
        r.headers_mut().insert(ALLOW, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers_choose_the_format() {
        for (accept, want) in [
            (None, Some(Format::Json)),
            (Some(""), Some(Format::Json)),
            (Some("application/json"), Some(Format::Json)),
            (Some("*/*"), Some(Format::Json)),
            (Some("application/xml"), Some(Format::Xml)),
            (Some("text/xml"), Some(Format::Xml)),
            (
                Some("application/xml, application/json;q=0.5"),
                Some(Format::Xml),
            ),
            (
                Some("application/json, application/xml"),
                Some(Format::Json),
            ),
            (Some("text/html,application/*"), Some(Format::Json)),
            (Some("text/plain"), None),
            (Some("application/json;q=0"), None),
        ] {
            assert_eq!(negotiate(accept), want, "{accept:?}");
        }
    }

    #[derive(Serialize)]
    struct Item {
        id: String,
        #[serde(rename = "vCores")]
        v_cores: i64,
    }

    #[derive(Serialize)]
    struct List {
        item: Vec<Item>,
    }

    #[tokio::test]
    async fn documents_in_both_formats() {
        use http_body_util::BodyExt;
        let body = List {
            item: vec![
                Item {
                    id: "a".into(),
                    v_cores: 1,
                },
                Item {
                    id: "b<".into(),
                    v_cores: 2,
                },
            ],
        };
        let text = |r: Response<Full<Bytes>>| async move {
            String::from_utf8(r.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
        };
        let json = text(document(StatusCode::OK, Format::Json, "items", &body)).await;
        assert_eq!(
            json,
            r#"{"items":{"item":[{"id":"a","vCores":1},{"id":"b<","vCores":2}]}}"#
        );
        let xml = text(document(StatusCode::OK, Format::Xml, "items", &body)).await;
        assert!(
            xml.ends_with("<items><item><id>a</id><vCores>1</vCores></item><item><id>b&lt;</id><vCores>2</vCores></item></items>"),
            "{xml}"
        );
        let e = text(error(&RestError::not_found("gone"), Format::Xml, &[])).await;
        assert!(
            e.contains(
                "<RemoteException><exception>NotFoundException</exception><message>gone</message>"
            ),
            "{e}"
        );
    }
}
