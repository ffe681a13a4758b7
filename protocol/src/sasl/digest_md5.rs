//! DIGEST-MD5 (RFC 2831) exactly as Hadoop uses it for TOKEN authentication, with the
//! qualities of protection `auth`, `auth-int` and `auth-conf`.
//!
//! * username = Base64(token identifier), password = Base64(token password)
//! * realm `default`, digest-uri `/default`, algorithm `md5-sess`, nc `00000001`, charset utf-8
//! * `response` and `rspauth` per RFC 2831 §2.1.2.1 (the formulas are in docs/wire.md §4);
//!   for `auth-int`/`auth-conf` A2 ends in `:00000000000000000000000000000000`.
//! * The server offers its QOP list (and, with `auth-conf`, every cipher); the client takes
//!   the first of its own list that is offered, and the strongest offered cipher.
//!
//! [`DigestClient`] answers a challenge and checks the server's `rspauth`; [`DigestServer`]
//! issues a challenge and checks a response. Either hands out the negotiated
//! [`SecurityLayer`] (see [`super::digest_layer`]). Neither does I/O.

use base64::Engine;
use md5::{Digest, Md5};

use super::SaslError;
use super::digest_layer::{self, Cipher, Side};
use super::directives::{Directives, quote};
use super::layer::SecurityLayer;
use super::qop::{self, Qop};

/// The realm Hadoop uses (`SaslRpcServer.SASL_DEFAULT_REALM`).
pub const DEFAULT_REALM: &str = "default";
/// The digest-uri Hadoop uses: protocol `""` + `/` + serverId `default`.
pub const DEFAULT_DIGEST_URI: &str = "/default";
/// The only nonce count used (one authentication per connection).
pub const NONCE_COUNT: &str = "00000001";
/// The receive buffer size we announce, and assume for a peer that announces none.
pub const MAXBUF: u32 = 65536;
/// Smallest receive buffer we accept from a peer (so that a wrap always carries data).
const MIN_PEER_MAXBUF: u32 = 64;

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
    qop: Qop,
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

/// `H(A1)`, raw: the session key both the digests and the security layer start from.
fn session_key(inputs: &DigestInputs<'_>) -> [u8; 16] {
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
    md5(&[&a1])
}

fn compute(inputs: &DigestInputs<'_>, direction: Direction) -> String {
    let ha1 = hex::encode(session_key(inputs));
    let prefix: &[u8] = match direction {
        Direction::Response => b"AUTHENTICATE:",
        Direction::RspAuth => b":",
    };
    let suffix: &[u8] = if inputs.qop.wraps() {
        b":00000000000000000000000000000000"
    } else {
        b""
    };
    let ha2 = hex::encode(md5(&[prefix, inputs.digest_uri.as_bytes(), suffix]));
    hex::encode(md5(&[
        ha1.as_bytes(),
        b":",
        inputs.nonce.as_bytes(),
        b":",
        inputs.nc.as_bytes(),
        b":",
        inputs.cnonce.as_bytes(),
        b":",
        inputs.qop.sasl_name().as_bytes(),
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

/// The QOPs a `qop` directive lists (absent means `auth`, RFC 2831). Unknown names are
/// skipped, as the JDK does.
fn offered_qops(directive: Option<&str>) -> Vec<Qop> {
    match directive {
        None => vec![Qop::Auth],
        Some(list) => list.split(',').filter_map(Qop::from_sasl_name).collect(),
    }
}

/// Reads a `maxbuf` directive (absent: 65536).
fn read_maxbuf(d: &Directives) -> Result<u32, SaslError> {
    match d.get("maxbuf")? {
        None => Ok(MAXBUF),
        Some(v) => match v.trim().parse::<u32>() {
            Ok(n) if n >= MIN_PEER_MAXBUF => Ok(n),
            _ => Err(SaslError::Malformed(format!(
                "maxbuf {v:?} is not a number of at least {MIN_PEER_MAXBUF}"
            ))),
        },
    }
}

/// What the client agreed on, kept until the server has proved itself.
#[derive(Debug, Clone)]
struct Agreed {
    rspauth: String,
    ha1: [u8; 16],
    qop: Qop,
    cipher: Option<Cipher>,
    server_maxbuf: u32,
}

/// Client side of DIGEST-MD5 for one authentication.
#[derive(Debug, Clone)]
pub struct DigestClient {
    username: String,
    password: String,
    qops: Vec<Qop>,
    agreed: Option<Agreed>,
}

impl DigestClient {
    /// A client for the token with these identifier and password bytes, accepting only QOP
    /// `auth` (Hadoop's default `hadoop.rpc.protection`).
    pub fn new(identifier: &[u8], password: &[u8]) -> Self {
        DigestClient::with_qop(identifier, password, &[Qop::Auth])
    }

    /// A client accepting the QOPs in `qops`, in order of preference.
    pub fn with_qop(identifier: &[u8], password: &[u8], qops: &[Qop]) -> Self {
        DigestClient {
            username: base64_encode(identifier),
            password: base64_encode(password),
            qops: qops.to_vec(),
            agreed: None,
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
        let qop = qop::choose(&self.qops, &offered_qops(d.get("qop")?))?;
        let cipher = if qop == Qop::AuthConf {
            let offered = d.get("cipher")?.unwrap_or_default();
            let names: Vec<&str> = offered.split(',').map(str::trim).collect();
            let chosen = Cipher::ALL
                .into_iter()
                .find(|c| names.iter().any(|n| n.eq_ignore_ascii_case(c.name())));
            Some(chosen.ok_or_else(|| {
                SaslError::Malformed(format!(
                    "privacy offered with no cipher we know (offered {offered:?}, we know {})",
                    Cipher::offer()
                ))
            })?)
        } else {
            None
        };
        let server_maxbuf = read_maxbuf(&d)?;
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
            qop,
            digest_uri: DEFAULT_DIGEST_URI,
            authzid: None,
        };
        let response = compute(&inputs, Direction::Response);
        self.agreed = Some(Agreed {
            rspauth: compute(&inputs, Direction::RspAuth),
            ha1: session_key(&inputs),
            qop,
            cipher,
            server_maxbuf,
        });
        let mut out = String::new();
        if utf8 {
            out.push_str("charset=utf-8,");
        }
        out.push_str(&format!(
            "username={},realm={},nonce={},nc={NONCE_COUNT},cnonce={},digest-uri={},maxbuf={MAXBUF},response={response},qop={}",
            quote(&self.username),
            quote(&realm),
            quote(nonce),
            quote(cnonce),
            quote(DEFAULT_DIGEST_URI),
            qop.sasl_name(),
        ));
        if let Some(c) = cipher {
            out.push_str(&format!(",cipher={}", quote(c.name())));
        }
        Ok(out.into_bytes())
    }

    /// Checks the server's final token (`rspauth=<32 hex>`).
    pub fn verify_rspauth(&self, token: &[u8]) -> Result<(), SaslError> {
        let expected = self.agreed.as_ref().ok_or_else(|| {
            SaslError::Protocol("server sent rspauth before the client responded".into())
        })?;
        let d = Directives::parse(token)?;
        let got = d.require("rspauth")?;
        if digest_eq(got, &expected.rspauth) {
            Ok(())
        } else {
            Err(SaslError::ServerNotAuthenticated)
        }
    }

    /// The QOP agreed on in the response, once one was sent.
    pub fn qop(&self) -> Option<Qop> {
        self.agreed.as_ref().map(|a| a.qop)
    }

    /// The security layer for integrity or privacy (`None` for `auth`). Call it after
    /// [`DigestClient::verify_rspauth`] succeeded.
    pub fn security_layer(&self) -> Result<Option<SecurityLayer>, SaslError> {
        match &self.agreed {
            Some(a) if a.qop.wraps() => {
                digest_layer::security_layer(&a.ha1, a.qop, a.cipher, Side::Client, a.server_maxbuf)
                    .map(Some)
            }
            _ => Ok(None),
        }
    }
}

/// What a successful [`DigestServer::verify`] learned.
#[derive(Debug)]
pub struct DigestSuccess {
    /// The token identifier (Base64-decoded username).
    pub identifier: Vec<u8>,
    /// The final token to send in SUCCESS (`rspauth=...`).
    pub rspauth: Vec<u8>,
    /// The layer for integrity or privacy; `None` for `auth`.
    pub layer: Option<SecurityLayer>,
}

/// Server side of DIGEST-MD5 for one authentication.
#[derive(Debug, Clone)]
pub struct DigestServer {
    nonce: String,
    qops: Vec<Qop>,
}

impl DigestServer {
    /// A server with a fresh random nonce offering QOP `auth`.
    pub fn new() -> Self {
        DigestServer::with_nonce(random_nonce())
    }

    /// A server with a fresh random nonce offering `qops` (in this order).
    pub fn with_qop(qops: &[Qop]) -> Self {
        let mut s = DigestServer::new();
        s.qops = if qops.is_empty() {
            vec![Qop::Auth]
        } else {
            qops.to_vec()
        };
        s
    }

    /// A server with the given nonce (deterministic; for tests and vectors).
    pub fn with_nonce(nonce: impl Into<String>) -> Self {
        DigestServer {
            nonce: nonce.into(),
            qops: vec![Qop::Auth],
        }
    }

    /// The challenge: `realm="default",nonce="...",qop="auth",charset=utf-8,algorithm=md5-sess`,
    /// with the configured QOP list, and `cipher="3des,rc4,des,rc4-56,rc4-40"` when privacy is
    /// offered.
    pub fn challenge(&self) -> Vec<u8> {
        let cipher = if self.qops.contains(&Qop::AuthConf) {
            format!("cipher={},", quote(&Cipher::offer()))
        } else {
            String::new()
        };
        format!(
            "realm={},nonce={},qop={},charset=utf-8,{cipher}algorithm=md5-sess",
            quote(DEFAULT_REALM),
            quote(&self.nonce),
            quote(&qop::sasl_names(&self.qops)),
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
        let qop_name = d.get("qop")?.unwrap_or("auth");
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
        let qop = Qop::from_sasl_name(qop_name)
            .filter(|q| self.qops.contains(q))
            .ok_or_else(|| {
                SaslError::Rejected(format!(
                    "DIGEST-MD5: the client chose qop {qop_name:?}, which is not among those offered ({})",
                    qop::sasl_names(&self.qops)
                ))
            })?;
        let cipher = match (qop, d.get("cipher")?) {
            (Qop::AuthConf, Some(name)) => Some(Cipher::from_name(name).ok_or_else(|| {
                SaslError::Rejected(format!(
                    "DIGEST-MD5: cipher {name:?} is not among those offered ({})",
                    Cipher::offer()
                ))
            })?),
            (Qop::AuthConf, None) => {
                return Err(SaslError::Rejected(
                    "DIGEST-MD5: qop auth-conf without a cipher".into(),
                ));
            }
            _ => None,
        };
        let client_maxbuf = read_maxbuf(&d)?;
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
            qop,
            digest_uri,
            authzid,
        };
        if !digest_eq(&compute(&inputs, Direction::Response), response_digest) {
            return Err(SaslError::Rejected(
                "DIGEST-MD5: digest response format violation. Mismatched response.".into(),
            ));
        }
        let rspauth = format!("rspauth={}", compute(&inputs, Direction::RspAuth)).into_bytes();
        let layer = if qop.wraps() {
            Some(digest_layer::security_layer(
                &session_key(&inputs),
                qop,
                cipher,
                Side::Server,
                client_maxbuf,
            )?)
        } else {
            None
        };
        Ok(DigestSuccess {
            identifier,
            rspauth,
            layer,
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
    fn qop_is_chosen_from_our_list_and_mismatch_names_both_lists() {
        let mut client = DigestClient::new(b"id", b"pw");
        let challenge = format!("realm=\"default\",nonce=\"{NONCE}\",qop=\"auth-int,auth-conf\"");
        let err = client.respond(challenge.as_bytes()).unwrap_err();
        assert!(matches!(err, SaslError::QopMismatch { .. }));
        assert!(
            err.to_string().contains("[authentication]")
                && err.to_string().contains("[integrity,privacy]"),
            "{err}"
        );
        // auth offered among others is fine; absent qop means auth.
        let challenge = format!("nonce=\"{NONCE}\",qop=\"auth-conf,auth\",cipher=\"3des\"");
        client.respond(challenge.as_bytes()).unwrap();
        client.respond(format!("nonce={NONCE}").as_bytes()).unwrap();
        // A client that prefers privacy takes it, with the strongest offered cipher.
        let mut client = DigestClient::with_qop(b"id", b"pw", &[Qop::AuthConf, Qop::Auth]);
        let challenge =
            format!("nonce=\"{NONCE}\",qop=\"auth,auth-conf\",cipher=\"rc4-40,des,rc4\"");
        let response = String::from_utf8(client.respond(challenge.as_bytes()).unwrap()).unwrap();
        assert!(
            response.ends_with(",qop=auth-conf,cipher=\"rc4\""),
            "{response}"
        );
        assert_eq!(client.qop(), Some(Qop::AuthConf));
        // Privacy offered without a cipher we know is an error, not a guess.
        let challenge = format!("nonce=\"{NONCE}\",qop=\"auth-conf\",cipher=\"aes\"");
        assert!(client.respond(challenge.as_bytes()).is_err());
    }

    #[test]
    fn every_qop_authenticates_and_leaves_a_working_layer() {
        for qops in [
            vec![Qop::Auth],
            vec![Qop::AuthInt],
            vec![Qop::AuthConf],
            vec![Qop::AuthConf, Qop::AuthInt, Qop::Auth],
        ] {
            let server = DigestServer::with_qop(&qops);
            let challenge = String::from_utf8(server.challenge()).unwrap();
            assert_eq!(challenge.contains("cipher="), qops.contains(&Qop::AuthConf));
            let mut client = DigestClient::with_qop(b"ident", b"secret", &qops);
            let response = client.respond(&server.challenge()).unwrap();
            let ok = server
                .verify(&response, |_| Ok(b"secret".to_vec()))
                .unwrap();
            client.verify_rspauth(&ok.rspauth).unwrap();
            let client_layer = client.security_layer().unwrap();
            assert_eq!(client.qop(), Some(qops[0]));
            match (client_layer, ok.layer) {
                (None, None) => assert_eq!(qops[0], Qop::Auth),
                (Some(mut c), Some(mut s)) => {
                    assert_eq!((c.qop, s.qop), (qops[0], qops[0]));
                    let token = c.wrap.wrap(b"ping").unwrap();
                    assert_eq!(s.unwrap.unwrap(&token).unwrap(), b"ping");
                    let token = s.wrap.wrap(b"pong").unwrap();
                    assert_eq!(c.unwrap.unwrap(&token).unwrap(), b"pong");
                }
                _ => panic!("one side has a layer and the other not, for {qops:?}"),
            }
        }
    }

    #[test]
    fn server_refuses_a_qop_or_cipher_it_did_not_offer() {
        let server = DigestServer::with_qop(&[Qop::AuthConf]);
        let mut client = DigestClient::with_qop(b"i", b"p", &[Qop::AuthConf]);
        let response = String::from_utf8(client.respond(&server.challenge()).unwrap()).unwrap();
        for (from, to) in [
            ("qop=auth-conf", "qop=auth"),
            ("cipher=\"3des\"", "cipher=\"aes\""),
            (",cipher=\"3des\"", ""),
        ] {
            let bad = response.replace(from, to);
            let err = server
                .verify(bad.as_bytes(), |_| Ok(b"p".to_vec()))
                .unwrap_err();
            assert!(matches!(err, SaslError::Rejected(_)), "{to}: {err}");
        }
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
