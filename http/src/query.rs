//! Query strings and paths of requests: percent-decoding (`%XX` and `+`), the `key=value` pairs
//! of a query, and percent-encoding of path segments for links.

/// Decodes `%XX` escapes and `+` (form encoding); invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `key=value` pairs of a query string, percent-decoded, in order.
pub fn query_params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// The last non-empty value of `key`, trimmed.
pub fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .rev()
        .find(|(k, v)| k == key && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

/// `text` percent-encoded for use as one path segment or query value: everything but
/// unreserved characters (`A-Z a-z 0-9 - . _ ~`) is escaped.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_and_pairs() {
        for (encoded, decoded) in [
            ("a%20b+c", "a b c"),
            ("RUNNING%2CACCEPTED", "RUNNING,ACCEPTED"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
            ("%E2%9C%93", "✓"),
        ] {
            assert_eq!(percent_decode(encoded), decoded, "{encoded}");
        }
        let p = query_params("a=1&b=&c&a=2&user.name=bob");
        assert_eq!(param(&p, "a"), Some("2"));
        assert_eq!(param(&p, "b"), None);
        assert_eq!(param(&p, "user.name"), Some("bob"));
        assert_eq!(percent_encode("a b/ü"), "a%20b%2F%C3%BC");
        assert_eq!(percent_decode(&percent_encode("x y?&=")), "x y?&=");
    }
}
