//! A minimal HTTP/1.1 client for the web-server tests: one request per connection, the answer
//! read until the server closes (chunked bodies joined), JSON helpers.

use std::net::SocketAddr;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::WAIT;

/// One HTTP answer.
#[derive(Debug)]
pub struct Http {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body (chunks joined).
    pub body: Vec<u8>,
}

impl Http {
    /// A header's value (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {:?} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The `RemoteException` of an error answer: (exception, javaClassName, message).
    pub fn remote_exception(&self) -> (String, String, String) {
        let v = self.json();
        let r = &v["RemoteException"];
        let s = |k: &str| {
            r[k].as_str()
                .unwrap_or_else(|| panic!("no {k} in {v}"))
                .to_string()
        };
        (s("exception"), s("javaClassName"), s("message"))
    }
}

pub fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            std::str::from_utf8(&body[..eol])
                .expect("chunk size")
                .trim(),
            16,
        )
        .expect("hex chunk size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[eol + 2 + size + 2..];
    }
}

pub fn parse_response(raw: &[u8]) -> Http {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("ascii head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Http {
        status,
        headers,
        body,
    }
}

/// Sends raw bytes and reads the answer until the server closes.
pub async fn raw(addr: SocketAddr, bytes: &[u8]) -> Http {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(bytes).await.expect("write");
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut out))
        .await
        .expect("the server answers in time")
        .expect("read");
    parse_response(&out)
}

/// An HTTP/1.1 request (one per connection).
pub async fn http(addr: SocketAddr, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Http {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    let payload = match body {
        Some((ct, b)) => {
            req.push_str(&format!(
                "Content-Type: {ct}\r\nContent-Length: {}\r\n",
                b.len()
            ));
            b.to_vec()
        }
        None => Vec::new(),
    };
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(&payload);
    raw(addr, &bytes).await
}

pub async fn get(addr: SocketAddr, path: &str) -> Http {
    http(addr, "GET", path, None).await
}

pub async fn send_json(addr: SocketAddr, method: &str, path: &str, v: &Value) -> Http {
    let b = serde_json::to_vec(v).expect("json");
    http(addr, method, path, Some(("application/json", &b))).await
}

impl Http {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Asserts that each field of `v`, named by its JSON pointer (`/totalResource/memory`), has
/// its value.
pub fn assert_fields(v: &Value, fields: &[(&str, Value)]) {
    for (pointer, want) in fields {
        assert_eq!(v.pointer(pointer), Some(want), "{pointer} in {v}");
    }
}
