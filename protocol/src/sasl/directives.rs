//! Parsing of DIGEST-MD5 directive lists (RFC 2831 §7.1): `key=value` or `key="quoted value"`
//! pairs separated by commas, in any order, with optional whitespace and empty elements.
//! Input size and directive count are bounded; the parser never panics.

use super::SaslError;

/// Largest directive list accepted (RFC 2831: challenges < 2048 bytes, responses < 4096).
pub const MAX_DIRECTIVES_LEN: usize = 4096;
/// Most directives accepted in one list.
pub const MAX_DIRECTIVES: usize = 32;

/// Parsed `key=value` pairs in their original order. Keys are lower-cased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directives {
    pairs: Vec<(String, String)>,
}

impl Directives {
    /// Parses a directive list.
    pub fn parse(input: &[u8]) -> Result<Directives, SaslError> {
        if input.len() > MAX_DIRECTIVES_LEN {
            return Err(SaslError::Malformed(format!(
                "directive list of {} bytes exceeds the limit of {MAX_DIRECTIVES_LEN}",
                input.len()
            )));
        }
        let text = std::str::from_utf8(input)
            .map_err(|_| SaslError::Malformed("directive list is not valid UTF-8".into()))?;
        let mut pairs = Vec::new();
        let mut rest = text;
        loop {
            rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
            if rest.is_empty() {
                break;
            }
            let eq = rest.find('=').ok_or_else(|| {
                SaslError::Malformed(format!("directive without '=' near {:?}", clip(rest)))
            })?;
            let key = rest[..eq].trim();
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(SaslError::Malformed(format!(
                    "bad directive name {:?}",
                    clip(key)
                )));
            }
            rest = rest[eq + 1..].trim_start();
            let value;
            if let Some(quoted) = rest.strip_prefix('"') {
                let mut out = String::new();
                let mut chars = quoted.char_indices();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some((_, escaped)) => out.push(escaped),
                            None => break,
                        },
                        '"' => {
                            end = Some(i);
                            break;
                        }
                        _ => out.push(c),
                    }
                }
                let end = end.ok_or_else(|| {
                    SaslError::Malformed(format!("unterminated quoted value for {key:?}"))
                })?;
                value = out;
                rest = quoted[end + 1..].trim_start();
            } else {
                let end = rest.find(',').unwrap_or(rest.len());
                value = rest[..end].trim().to_string();
                rest = &rest[end..];
            }
            if !(rest.is_empty() || rest.starts_with(',')) {
                return Err(SaslError::Malformed(format!(
                    "unexpected text after the value of {key:?}: {:?}",
                    clip(rest)
                )));
            }
            if pairs.len() == MAX_DIRECTIVES {
                return Err(SaslError::Malformed(format!(
                    "more than {MAX_DIRECTIVES} directives"
                )));
            }
            pairs.push((key.to_ascii_lowercase(), value));
        }
        Ok(Directives { pairs })
    }

    /// The value of `key`; an error if it appears more than once.
    pub fn get(&self, key: &str) -> Result<Option<&str>, SaslError> {
        let mut found = None;
        for (k, v) in &self.pairs {
            if k == key {
                if found.is_some() {
                    return Err(SaslError::Malformed(format!(
                        "directive {key:?} appears twice"
                    )));
                }
                found = Some(v.as_str());
            }
        }
        Ok(found)
    }

    /// The value of `key`, which must be present exactly once.
    pub fn require(&self, key: &str) -> Result<&str, SaslError> {
        self.get(key)?
            .ok_or_else(|| SaslError::Malformed(format!("missing directive {key:?}")))
    }

    /// Every value of `key` (for directives that may repeat, like `realm`).
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Quotes a value for a directive list (backslash-escaping `"` and `\`).
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_unquoted_any_order() {
        let d = Directives::parse(
            br#"qop="auth-conf,auth", realm="default" ,nonce="a\"b",charset=utf-8,,algorithm=md5-sess"#,
        )
        .unwrap();
        assert_eq!(d.require("qop").unwrap(), "auth-conf,auth");
        assert_eq!(d.require("realm").unwrap(), "default");
        assert_eq!(d.require("nonce").unwrap(), "a\"b");
        assert_eq!(d.require("charset").unwrap(), "utf-8");
        assert_eq!(d.require("algorithm").unwrap(), "md5-sess");
        assert!(d.get("cipher").unwrap().is_none());
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            &b"realm"[..],
            b"realm=\"x",
            b"=x",
            b"a=\"x\"y",
            b"nonce=1,nonce=2",
            b"\xff=1",
        ] {
            let r = Directives::parse(bad).and_then(|d| d.require("nonce").map(|_| ()));
            assert!(r.is_err(), "{:?} should fail", String::from_utf8_lossy(bad));
        }
        let long = vec![b'a'; MAX_DIRECTIVES_LEN + 1];
        assert!(Directives::parse(&long).is_err());
        let many = "a=1,".repeat(MAX_DIRECTIVES + 1);
        assert!(Directives::parse(many.as_bytes()).is_err());
    }

    #[test]
    fn quote_escapes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        let d = Directives::parse(format!("x={}", quote(r#"a"b\c"#)).as_bytes()).unwrap();
        assert_eq!(d.require("x").unwrap(), r#"a"b\c"#);
    }
}
