//! DIGEST-MD5 (RFC 2831) exactly as Hadoop uses it for TOKEN authentication, quality of
//! protection `auth` only.
//!
//! * username = Base64(token identifier), password = Base64(token password)
//! * realm `default`, digest-uri `/default`, algorithm `md5-sess`, nc `00000001`, charset utf-8
//! * `response` and `rspauth` per RFC 2831 §2.1.2.1 (the formulas are in docs/wire.md §4).
//!
//! [`DigestClient`] answers a challenge and checks the server's `rspauth`; [`DigestServer`]
//! issues a challenge and checks a response. Neither does I/O.

use base64::Engine;
use md5::{Digest, Md5};

use super::SaslError;
use super::directives::{Directives, quote};

/// The realm Hadoop uses (`SaslRpcServer.SASL_DEFAULT_REALM`).
pub const DEFAULT_REALM: &str = "default";
/// The digest-uri Hadoop uses: protocol `""` + `/` + serverId `default`.
pub const DEFAULT_DIGEST_URI: &str = "/default";
/// The only nonce count used (one authentication per connection).
pub const NONCE_COUNT: &str = "00000001";
/// The receive buffer size we announce.
pub const MAXBUF: u32 = 65536;

/// Base64 (standard alphabet, padded) as Hadoop encodes identifiers and passwords.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A fresh random nonce: 40 characters of Base64 from 30 random bytes.
pub fn random_nonce() -> String {
    let bytes: [u8; 30] = rand::random();
    base64_encode(&bytes)
}

/// Which of the two digests to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// The client's `response=` (A2 = "AUTHENTICATE:" digest-uri).
    Response,
    /// The server's `rspauth=` (A2 = ":" digest-uri).
    RspAuth,
}

/// Inputs of the DIGEST-MD5 formulas.
#[derive(Debug, Clone)]
struct DigestInputs<'a> {
    username: &'a str,
    realm: &'a str,
    password: &'a str,
    nonce: &'a str,
    cnonce: &'a str,
    nc: &'a str,
    qop: &'a str,
    digest_uri: &'a str,
    authzid: Option<&'a str>,
}

fn md5(parts: &[&[u8]]) -> [u8; 16] {
    let mut h = Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn compute(inputs: &DigestInputs<'_>, direction: Direction) -> String {
    let user_realm_pass = md5(&[
        inputs.username.as_bytes(),
        b":",
        inputs.realm.as_bytes(),
        b":",
        inputs.password.as_bytes(),
    ]);
    let mut a1 = Vec::with_capacity(128);
    a1.extend_from_slice(&user_realm_pass);
    a1.extend_from_slice(b":");
    a1.extend_from_slice(inputs.nonce.as_bytes());
    a1.extend_from_slice(b":");
    a1.extend_from_slice(inputs.cnonce.as_bytes());
    if let Some(authzid) = inputs.authzid {
        a1.extend_from_slice(b":");
        a1.extend_from_slice(authzid.as_bytes());
    }
    let ha1 = hex::encode(md5(&[&a1]));
    let prefix: &[u8] = match direction {
        Direction::Response => b"AUTHENTICATE:",
        Direction::RspAuth => b":",
    };
    let ha2 = hex::encode(md5(&[prefix, inputs.digest_uri.as_bytes()]));
    hex::encode(md5(&[
        ha1.as_bytes(),
        b":",
        inputs.nonce.as_bytes(),
        b":",
        inputs.nc.as_bytes(),
        b":",
        inputs.cnonce.as_bytes(),
        b":",
        inputs.qop.as_bytes(),
        b":",
        ha2.as_bytes(),
    ]))
}

/// Constant-time equality of two ASCII digests.
fn digest_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| {
            acc | (x.to_ascii_lowercase() ^ y.to_ascii_lowercase())
        }) == 0
}

/// Picks `auth` from a challenge's qop list, or explains why we cannot.
fn choose_qop(offered: Option<&str>) -> Result<(), SaslError> {
    let Some(offered) = offered else {
        return Ok(()); // RFC 2831: absent qop means "auth"
    };
    let list: Vec<&str> = offered.split(',').map(str::trim).collect();
    if list.iter().any(|q| q.eq_ignore_ascii_case("auth")) {
        Ok(())
    } else {
        Err(SaslError::QopNotSupported(offered.to_string()))
    }
}

/// Client side of DIGEST-MD5 for one authentication.
#[derive(Debug, Clone)]
pub struct DigestClient {
    username: String,
    password: String,
    expected_rspauth: Option<String>,
}

impl DigestClient {
    /// A client for the token with these identifier and password bytes.
    pub fn new(identifier: &[u8], password: &[u8]) -> Self {
        DigestClient {
            username: base64_encode(identifier),
            password: base64_encode(password),
            expected_rspauth: None,
        }
    }

    /// Answers `challenge` using a fresh random cnonce.
    pub fn respond(&mut self, challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        self.respond_with_cnonce(challenge, &random_nonce())
    }

    /// Answers `challenge` with the given cnonce (deterministic; for tests and vectors).
    pub fn respond_with_cnonce(
        &mut self,
        challenge: &[u8],
        cnonce: &str,
    ) -> Result<Vec<u8>, SaslError> {
        let d = Directives::parse(challenge)?;
        let nonce = d.require("nonce")?;
        if nonce.is_empty() {
            return Err(SaslError::Malformed("empty nonce in challenge".into()));
        }
        choose_qop(d.get("qop")?)?;
        if let Some(alg) = d.get("algorithm")?
            && !alg.eq_ignore_ascii_case("md5-sess")
        {
            return Err(SaslError::Malformed(format!(
                "unsupported DIGEST-MD5 algorithm {alg:?} (expected md5-sess)"
            )));
        }
        let utf8 = match d.get("charset")? {
            None => false,
            Some(c) if c.eq_ignore_ascii_case("utf-8") => true,
            Some(c) => return Err(SaslError::Malformed(format!("unsupported charset {c:?}"))),
        };
        // Hadoop's server offers exactly one realm ("default"); use the first if any.
        let realm = d.all("realm").next().unwrap_or(DEFAULT_REALM).to_string();
        let inputs = DigestInputs {
            username: &self.username,
            realm: &realm,
            password: &self.password,
            nonce,
            cnonce,
            nc: NONCE_COUNT,
            qop: "auth",
            digest_uri: DEFAULT_DIGEST_URI,
            authzid: None,
        };
        let response = compute(&inputs, Direction::Response);
        self.expected_rspauth = Some(compute(&inputs, Direction::RspAuth));
        let mut out = String::new();
        if utf8 {
            out.push_str("charset=utf-8,");
        }
        out.push_str(&format!(
            "username={},realm={},nonce={},nc={NONCE_COUNT},cnonce={},digest-uri={},maxbuf={MAXBUF},response={response},qop=auth",
            quote(&self.username),
            quote(&realm),
            quote(nonce),
            quote(cnonce),
            quote(DEFAULT_DIGEST_URI),
        ));
        Ok(out.into_bytes())
    }

    /// Checks the server's final token (`rspauth=<32 hex>`).
    pub fn verify_rspauth(&self, token: &[u8]) -> Result<(), SaslError> {
        let expected = self.expected_rspauth.as_deref().ok_or_else(|| {
            SaslError::Protocol("server sent rspauth before the client responded".into())
        })?;
        let d = Directives::parse(token)?;
        let got = d.require("rspauth")?;
        if digest_eq(got, expected) {
            Ok(())
        } else {
            Err(SaslError::ServerNotAuthenticated)
        }
    }
}

/// What a successful [`DigestServer::verify`] learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSuccess {
    /// The token identifier (Base64-decoded username).
    pub identifier: Vec<u8>,
    /// The final token to send in SUCCESS (`rspauth=...`).
    pub rspauth: Vec<u8>,
}

/// Server side of DIGEST-MD5 for one authentication.
#[derive(Debug, Clone)]
pub struct DigestServer {
    nonce: String,
}

impl DigestServer {
    /// A server with a fresh random nonce.
    pub fn new() -> Self {
        DigestServer::with_nonce(random_nonce())
    }

    /// A server with the given nonce (deterministic; for tests and vectors).
    pub fn with_nonce(nonce: impl Into<String>) -> Self {
        DigestServer {
            nonce: nonce.into(),
        }
    }

    /// The challenge: `realm="default",nonce="...",qop="auth",charset=utf-8,algorithm=md5-sess`.
    pub fn challenge(&self) -> Vec<u8> {
        format!(
            "realm={},nonce={},qop=\"auth\",charset=utf-8,algorithm=md5-sess",
            quote(DEFAULT_REALM),
            quote(&self.nonce)
        )
        .into_bytes()
    }

    /// Checks a client response. `password_for` maps the token identifier to its password
    /// (or an error, which is passed through).
    pub fn verify<F>(&self, response: &[u8], password_for: F) -> Result<DigestSuccess, SaslError>
    where
        F: FnOnce(&[u8]) -> Result<Vec<u8>, SaslError>,
    {
        let d = Directives::parse(response)?;
        let username = d.require("username")?;
        let nonce = d.require("nonce")?;
        let cnonce = d.require("cnonce")?;
        let nc = d.require("nc")?;
        let digest_uri = d.require("digest-uri")?;
        let response_digest = d.require("response")?;
        let realm = d.get("realm")?.unwrap_or(DEFAULT_REALM);
        let qop = d.get("qop")?.unwrap_or("auth");
        let authzid = d.get("authzid")?;
        if nonce != self.nonce {
            return Err(SaslError::Rejected(
                "nonce does not match the challenge".into(),
            ));
        }
        if cnonce.is_empty() {
            return Err(SaslError::Rejected("empty cnonce".into()));
        }
        if nc != NONCE_COUNT {
            return Err(SaslError::Rejected(format!(
                "nonce count {nc:?} is not {NONCE_COUNT}"
            )));
        }
        if !qop.eq_ignore_ascii_case("auth") {
            return Err(SaslError::QopNotSupported(qop.to_string()));
        }
        if realm != DEFAULT_REALM {
            return Err(SaslError::Rejected(format!("unexpected realm {realm:?}")));
        }
        if digest_uri != DEFAULT_DIGEST_URI {
            return Err(SaslError::Rejected(format!(
                "digest-uri {digest_uri:?} does not match {DEFAULT_DIGEST_URI:?}"
            )));
        }
        let identifier = base64::engine::general_purpose::STANDARD
            .decode(username)
            .map_err(|e| SaslError::Rejected(format!("username is not Base64: {e}")))?;
        let password = base64_encode(&password_for(&identifier)?);
        let inputs = DigestInputs {
            username,
            realm,
            password: &password,
            nonce,
            cnonce,
            nc,
            qop: "auth",
            digest_uri,
            authzid,
        };
        if !digest_eq(&compute(&inputs, Direction::Response), response_digest) {
            return Err(SaslError::Rejected(
                "DIGEST-MD5: digest response format violation. Mismatched response.".into(),
            ));
        }
        let rspauth = format!("rspauth={}", compute(&inputs, Direction::RspAuth)).into_bytes();
        Ok(DigestSuccess {
            identifier,
            rspauth,
        })
    }
}

impl Default for DigestServer {
    fn default() -> Self {
        DigestServer::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A DIGEST-MD5 exchange captured between a real Hadoop client and server.
    const IDENTIFIER: [u8; 17] = [
        0x0a, 0x0d, 0x0a, 0x09, 0x08, 0x01, 0x10, 0x80, 0xd0, 0x95, 0xff, 0xbc, 0x31, 0x10, 0x01,
        0x10, 0x01,
    ];
    const PASSWORD_HEX: &str = "50fee28159547a92ad2eca2baf88edf1f6a7cf69";
    const NONCE: &str = "0M2OdIjLS7oj5yjl2MhvyMMnen4Fwfsm8VWUi2n3";
    const CNONCE: &str = "rcQI5r4s/v3Wul7YiEy0m5bIEjwNYZmzxwq7R8dw";
    const CHALLENGE: &str = "realm=\"default\",nonce=\"0M2OdIjLS7oj5yjl2MhvyMMnen4Fwfsm8VWUi2n3\",qop=\"auth\",charset=utf-8,algorithm=md5-sess";
    const JAVA_RESPONSE: &str = "charset=utf-8,username=\"Cg0KCQgBEIDQlf+8MRABEAE=\",realm=\"default\",nonce=\"0M2OdIjLS7oj5yjl2MhvyMMnen4Fwfsm8VWUi2n3\",nc=00000001,cnonce=\"rcQI5r4s/v3Wul7YiEy0m5bIEjwNYZmzxwq7R8dw\",digest-uri=\"/default\",maxbuf=65536,response=0442ccabf30d0caeda11cefff9607a4b,qop=auth";

    fn password() -> Vec<u8> {
        hex::decode(PASSWORD_HEX).unwrap()
    }

    #[test]
    fn wire_capture_vector_client() {
        let mut client = DigestClient::new(&IDENTIFIER, &password());
        let response = client
            .respond_with_cnonce(CHALLENGE.as_bytes(), CNONCE)
            .unwrap();
        // Byte-for-byte what the Java client sent in the capture.
        assert_eq!(String::from_utf8(response).unwrap(), JAVA_RESPONSE);
        client
            .verify_rspauth(b"rspauth=697aafa05ced6b83e9ceaa7d9b8fea9a")
            .unwrap();
        assert!(matches!(
            client.verify_rspauth(b"rspauth=697aafa05ced6b83e9ceaa7d9b8fea9b"),
            Err(SaslError::ServerNotAuthenticated)
        ));
    }

    #[test]
    fn wire_capture_vector_server() {
        let server = DigestServer::with_nonce(NONCE);
        assert_eq!(server.challenge(), CHALLENGE.as_bytes());
        let ok = server
            .verify(JAVA_RESPONSE.as_bytes(), |id| {
                assert_eq!(id, IDENTIFIER);
                Ok(password())
            })
            .unwrap();
        assert_eq!(ok.identifier, IDENTIFIER);
        assert_eq!(ok.rspauth, b"rspauth=697aafa05ced6b83e9ceaa7d9b8fea9a");
    }

    #[test]
    fn wrong_password_is_rejected() {
        let server = DigestServer::with_nonce(NONCE);
        let err = server
            .verify(JAVA_RESPONSE.as_bytes(), |_| Ok(b"wrong".to_vec()))
            .unwrap_err();
        assert!(matches!(err, SaslError::Rejected(ref m) if m.contains("Mismatched response")));
    }

    #[test]
    fn wrong_nonce_uri_nc_are_rejected() {
        let server = DigestServer::with_nonce("other");
        assert!(
            server
                .verify(JAVA_RESPONSE.as_bytes(), |_| Ok(password()))
                .is_err()
        );
        let server = DigestServer::with_nonce(NONCE);
        for (from, to) in [
            ("digest-uri=\"/default\"", "digest-uri=\"rm/host\""),
            ("nc=00000001", "nc=00000002"),
            ("qop=auth", "qop=auth-conf"),
        ] {
            let bad = JAVA_RESPONSE.replace(from, to);
            assert!(
                server.verify(bad.as_bytes(), |_| Ok(password())).is_err(),
                "{to}"
            );
        }
    }

    #[test]
    fn client_refuses_integrity_and_privacy_only() {
        let mut client = DigestClient::new(b"id", b"pw");
        let challenge = format!("realm=\"default\",nonce=\"{NONCE}\",qop=\"auth-int,auth-conf\"");
        let err = client.respond(challenge.as_bytes()).unwrap_err();
        assert!(matches!(err, SaslError::QopNotSupported(_)));
        assert!(err.to_string().contains("not supported yet"), "{err}");
        // auth offered among others is fine; absent qop means auth.
        let challenge = format!("nonce=\"{NONCE}\",qop=\"auth-conf,auth\",cipher=\"3des\"");
        client.respond(challenge.as_bytes()).unwrap();
        client.respond(format!("nonce={NONCE}").as_bytes()).unwrap();
    }

    #[test]
    fn client_and_server_agree_with_random_nonces() {
        let server = DigestServer::new();
        let mut client = DigestClient::new(b"ident", b"secret");
        let response = client.respond(&server.challenge()).unwrap();
        let ok = server
            .verify(&response, |_| Ok(b"secret".to_vec()))
            .unwrap();
        assert_eq!(ok.identifier, b"ident");
        client.verify_rspauth(&ok.rspauth).unwrap();
    }

    #[test]
    fn rspauth_before_response_is_an_error() {
        let client = DigestClient::new(b"id", b"pw");
        assert!(client.verify_rspauth(b"rspauth=00").is_err());
    }
}
