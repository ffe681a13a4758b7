//! Hadoop tokens: the [`Token`] value with its Writable, URL-string and protobuf forms, the
//! HMAC-SHA1 password rule, the token selection rules YARN clients use, and typed YARN token
//! identifiers ([`AmRmTokenIdentifier`], [`NmTokenIdentifier`], [`ContainerTokenIdentifier`]).
//!
//! * Writable form (`Token.write`): `vint(len) identifier`, `vint(len) password`, `Text kind`,
//!   `Text service`.
//! * URL string (`Token.encodeToUrlString`): URL-safe base64 without padding of the Writable.
//! * Password: `HMAC-SHA1(master key, identifier bytes)`.

use std::net::SocketAddr;

use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE_NO_PAD, URL_SAFE_NO_PAD_INDIFFERENT};
use hmac::{Hmac, KeyInit, Mac};
use prost::Message;
use sha1::Sha1;

use crate::ids::{ApplicationAttemptId, ContainerId, IdError, NodeId, required};
use crate::proto::security::{
    AMRMTokenIdentifierProto, ContainerTokenIdentifierProto, NMTokenIdentifierProto, TokenProto,
};
use crate::proto::yarn::ApplicationAttemptIdProto;
use crate::writable::{self, Reader, WritableError};

/// Kind of the AM → RM scheduler token (`AMRMTokenIdentifier.KIND_NAME`).
pub const KIND_AMRM_TOKEN: &str = "YARN_AM_RM_TOKEN";
/// Kind of the AM → NM token (`NMTokenIdentifier.KIND`).
pub const KIND_NM_TOKEN: &str = "NMToken";
/// Kind of a container token (`ContainerTokenIdentifier.KIND`).
pub const KIND_CONTAINER_TOKEN: &str = "ContainerToken";
/// Kind of a client → AM token.
pub const KIND_CLIENT_TO_AM_TOKEN: &str = "YARN_CLIENT_TOKEN";
/// Kind of an RM delegation token.
pub const KIND_RM_DELEGATION_TOKEN: &str = "RM_DELEGATION_TOKEN";

/// Largest identifier accepted when reading (1 MiB; real ones are a few hundred bytes).
pub const MAX_IDENTIFIER_LEN: usize = 1 << 20;
/// Largest password accepted when reading (64 KiB; HMAC-SHA1 gives 20 bytes).
pub const MAX_PASSWORD_LEN: usize = 1 << 16;
/// Largest kind, service or alias text accepted when reading (64 KiB).
pub const MAX_TEXT_LEN: usize = 1 << 16;
/// Largest URL string accepted by [`Token::decode_url_string`] (4 MiB).
pub const MAX_URL_STRING_LEN: usize = 4 << 20;

/// Why a token or identifier could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The Writable form is malformed (truncated, a length too large, ...).
    #[error("malformed token: {0}")]
    Writable(#[from] WritableError),
    /// Bytes are left after the token.
    #[error("{count} unexpected byte(s) after the token")]
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// The URL string is not valid URL-safe base64.
    #[error("token URL string is not URL-safe base64: {0}")]
    Base64(String),
    /// The URL string is longer than [`MAX_URL_STRING_LEN`].
    #[error("token URL string is too long: {len} characters (limit {max})")]
    UrlStringTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The token is not of the kind the caller needs.
    #[error("token kind is '{found}', expected '{expected}'")]
    WrongKind {
        /// The kind needed.
        expected: &'static str,
        /// The kind found.
        found: String,
    },
    /// The identifier bytes are not a valid identifier protobuf.
    #[error("token identifier is not a valid {message}: {source}")]
    Identifier {
        /// Which identifier message.
        message: &'static str,
        /// The protobuf error.
        source: prost::DecodeError,
    },
    /// The identifier lacks a field or holds an invalid id.
    #[error("token identifier is incomplete: {0}")]
    IdentifierField(#[from] IdError),
}

/// A Hadoop token.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Token {
    /// The identifier bytes (for YARN tokens a serialized identifier proto).
    pub identifier: Vec<u8>,
    /// The password, `HMAC-SHA1(master key, identifier)`.
    pub password: Vec<u8>,
    /// The kind, e.g. [`KIND_AMRM_TOKEN`].
    pub kind: String,
    /// The service, usually the server's `ip:port`; may be empty.
    pub service: String,
}

impl std::fmt::Debug for Token {
    /// Prints everything but the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("kind", &self.kind)
            .field("service", &self.service)
            .field("identifier", &hex::encode(&self.identifier))
            .field("password", &format_args!("<{} bytes>", self.password.len()))
            .finish()
    }
}

impl Token {
    /// A token from its four parts.
    pub fn new(
        identifier: Vec<u8>,
        password: Vec<u8>,
        kind: impl Into<String>,
        service: impl Into<String>,
    ) -> Self {
        Token {
            identifier,
            password,
            kind: kind.into(),
            service: service.into(),
        }
    }

    /// A token whose password is `HMAC-SHA1(master_key, identifier)`, as a secret manager
    /// issues it.
    pub fn issue(
        identifier: Vec<u8>,
        master_key: &[u8],
        kind: impl Into<String>,
        service: impl Into<String>,
    ) -> Self {
        let password = hmac_sha1_password(master_key, &identifier);
        Token::new(identifier, password, kind, service)
    }

    /// Appends the Writable form.
    pub fn write(&self, buf: &mut Vec<u8>) {
        writable::write_vint_bytes(buf, &self.identifier);
        writable::write_vint_bytes(buf, &self.password);
        writable::write_text(buf, &self.kind);
        writable::write_text(buf, &self.service);
    }

    /// The Writable form.
    pub fn to_writable_bytes(&self) -> Vec<u8> {
        let mut buf = Vec::with_capacity(
            self.identifier.len() + self.password.len() + self.kind.len() + self.service.len() + 8,
        );
        self.write(&mut buf);
        buf
    }

    /// Reads one token in Writable form, with every length bounded.
    pub fn read(r: &mut Reader<'_>) -> Result<Token, TokenError> {
        let identifier = r
            .read_vint_bytes("token identifier", MAX_IDENTIFIER_LEN)?
            .to_vec();
        let password = r
            .read_vint_bytes("token password", MAX_PASSWORD_LEN)?
            .to_vec();
        let kind = r.read_text("token kind", MAX_TEXT_LEN)?.to_string();
        let service = r.read_text("token service", MAX_TEXT_LEN)?.to_string();
        Ok(Token {
            identifier,
            password,
            kind,
            service,
        })
    }

    /// Reads a token from exactly these bytes (nothing may follow it).
    pub fn from_writable_bytes(bytes: &[u8]) -> Result<Token, TokenError> {
        let mut r = Reader::new(bytes);
        let t = Token::read(&mut r)?;
        if !r.is_empty() {
            return Err(TokenError::TrailingBytes {
                count: r.remaining().len(),
            });
        }
        Ok(t)
    }

    /// `Token.encodeToUrlString()`: URL-safe base64 (no padding) of the Writable form.
    pub fn encode_url_string(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.to_writable_bytes())
    }

    /// Parses the URL string form (padding optional).
    pub fn decode_url_string(s: &str) -> Result<Token, TokenError> {
        let s = s.trim();
        if s.len() > MAX_URL_STRING_LEN {
            return Err(TokenError::UrlStringTooLong {
                len: s.len(),
                max: MAX_URL_STRING_LEN,
            });
        }
        let bytes = URL_SAFE_NO_PAD_INDIFFERENT
            .decode(s)
            .map_err(|e| TokenError::Base64(e.to_string()))?;
        Token::from_writable_bytes(&bytes)
    }

    /// The protobuf form (`hadoop.common.TokenProto`).
    pub fn to_proto(&self) -> TokenProto {
        TokenProto {
            identifier: self.identifier.clone(),
            password: self.password.clone(),
            kind: self.kind.clone(),
            service: self.service.clone(),
        }
    }

    /// From the protobuf form.
    pub fn from_proto(p: &TokenProto) -> Token {
        Token {
            identifier: p.identifier.clone(),
            password: p.password.clone(),
            kind: p.kind.clone(),
            service: p.service.clone(),
        }
    }

    /// True when the password matches `HMAC-SHA1(master_key, identifier)` (constant time).
    pub fn verify(&self, master_key: &[u8]) -> bool {
        let mut mac = new_mac(master_key);
        mac.update(&self.identifier);
        mac.verify_slice(&self.password).is_ok()
    }

    fn expect_kind(&self, expected: &'static str) -> Result<(), TokenError> {
        if self.kind == expected {
            Ok(())
        } else {
            Err(TokenError::WrongKind {
                expected,
                found: self.kind.clone(),
            })
        }
    }

    /// Decodes the identifier of a `YARN_AM_RM_TOKEN`.
    pub fn amrm_identifier(&self) -> Result<AmRmTokenIdentifier, TokenError> {
        self.expect_kind(KIND_AMRM_TOKEN)?;
        AmRmTokenIdentifier::decode(&self.identifier)
    }

    /// Decodes the identifier of an `NMToken`.
    pub fn nm_identifier(&self) -> Result<NmTokenIdentifier, TokenError> {
        self.expect_kind(KIND_NM_TOKEN)?;
        NmTokenIdentifier::decode(&self.identifier)
    }

    /// Decodes the identifier of a `ContainerToken`.
    pub fn container_identifier(&self) -> Result<ContainerTokenIdentifier, TokenError> {
        self.expect_kind(KIND_CONTAINER_TOKEN)?;
        ContainerTokenIdentifier::decode(&self.identifier)
    }
}

impl From<&TokenProto> for Token {
    fn from(p: &TokenProto) -> Self {
        Token::from_proto(p)
    }
}

impl From<&Token> for TokenProto {
    fn from(t: &Token) -> Self {
        t.to_proto()
    }
}

fn new_mac(key: &[u8]) -> Hmac<Sha1> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    match Hmac::<Sha1>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    }
}

/// `SecretManager.createPassword`: `HMAC-SHA1(key, identifier)`, 20 bytes.
pub fn hmac_sha1_password(key: &[u8], identifier: &[u8]) -> Vec<u8> {
    let mut mac = new_mac(key);
    mac.update(identifier);
    mac.finalize().into_bytes().to_vec()
}

/// `SecurityUtil.buildTokenService` with `use_ip=true` (the default): `"<ip>:<port>"`.
pub fn token_service_for(addr: SocketAddr) -> String {
    format!("{}:{}", addr.ip(), addr.port())
}

/// The AMRMToken among `tokens`: selected **by kind only**. The token in a container's
/// credentials file has an empty service (the Java AM rewrites it), so the service is ignored.
pub fn select_amrm_token<'a>(tokens: impl IntoIterator<Item = &'a Token>) -> Option<&'a Token> {
    find_kind(tokens, KIND_AMRM_TOKEN, |_| true)
}

/// The NMToken for a NodeManager: kind `NMToken` and service **equal** to `ip:port`.
pub fn select_nm_token<'a>(
    tokens: impl IntoIterator<Item = &'a Token>,
    service: &str,
) -> Option<&'a Token> {
    find_kind(tokens, KIND_NM_TOKEN, |s| s == service)
}

/// The Java `AMRMTokenSelector` rule: kind `YARN_AM_RM_TOKEN` and the (possibly
/// comma-separated) service contains `service`.
pub fn select_amrm_token_for_service<'a>(
    tokens: impl IntoIterator<Item = &'a Token>,
    service: &str,
) -> Option<&'a Token> {
    find_kind(tokens, KIND_AMRM_TOKEN, |s| {
        s.split(',').any(|one| one.trim() == service)
    })
}

/// The first token of `kind` whose service passes `service_matches`.
fn find_kind<'a>(
    tokens: impl IntoIterator<Item = &'a Token>,
    kind: &str,
    service_matches: impl Fn(&str) -> bool,
) -> Option<&'a Token> {
    tokens
        .into_iter()
        .find(|t| t.kind == kind && service_matches(&t.service))
}

fn decode_proto<M: Message + Default>(
    bytes: &[u8],
    message: &'static str,
) -> Result<M, TokenError> {
    M::decode(bytes).map_err(|source| TokenError::Identifier { message, source })
}

/// The `appAttemptId` field of an identifier `message`, which every writer sets.
fn attempt_field(
    field: Option<&ApplicationAttemptIdProto>,
    message: &'static str,
) -> Result<ApplicationAttemptId, TokenError> {
    Ok(ApplicationAttemptId::from_proto(required(
        field,
        message,
        "appAttemptId",
    )?)?)
}

// ---------------------------------------------------------------------------------------------

/// A decoded `AMRMTokenIdentifierProto`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AmRmTokenIdentifier {
    /// The attempt the token was issued to.
    pub attempt_id: ApplicationAttemptId,
    /// The master key id (-1 when absent).
    pub key_id: i32,
}

impl AmRmTokenIdentifier {
    /// Decodes raw identifier bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, TokenError> {
        let p: AMRMTokenIdentifierProto = decode_proto(bytes, "AMRMTokenIdentifierProto")?;
        let attempt_id = attempt_field(p.app_attempt_id.as_ref(), "AMRMTokenIdentifierProto")?;
        Ok(AmRmTokenIdentifier {
            attempt_id,
            key_id: p.key_id(),
        })
    }

    /// The identifier bytes (identical to Java's for the same values).
    pub fn encode(&self) -> Vec<u8> {
        AMRMTokenIdentifierProto {
            app_attempt_id: Some(self.attempt_id.to_proto()),
            key_id: Some(self.key_id),
        }
        .encode_to_vec()
    }

    /// The user the token authenticates: the attempt id string.
    pub fn user(&self) -> String {
        self.attempt_id.to_string()
    }

    /// Issues a token for this identifier under `master_key` (service empty, as the RM does).
    pub fn issue(&self, master_key: &[u8]) -> Token {
        Token::issue(self.encode(), master_key, KIND_AMRM_TOKEN, "")
    }
}

/// A decoded `NMTokenIdentifierProto`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NmTokenIdentifier {
    /// The attempt the token was issued to.
    pub attempt_id: ApplicationAttemptId,
    /// The NodeManager it is valid for.
    pub node_id: NodeId,
    /// The user who submitted the application.
    pub app_submitter: String,
    /// The master key id (-1 when absent).
    pub key_id: i32,
}

impl NmTokenIdentifier {
    /// Decodes raw identifier bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, TokenError> {
        const M: &str = "NMTokenIdentifierProto";
        let p: NMTokenIdentifierProto = decode_proto(bytes, M)?;
        let node = required(p.node_id.as_ref(), M, "nodeId")?;
        Ok(NmTokenIdentifier {
            attempt_id: attempt_field(p.app_attempt_id.as_ref(), M)?,
            node_id: NodeId::from_proto(node)?,
            app_submitter: p.app_submitter.clone().unwrap_or_default(),
            key_id: p.key_id(),
        })
    }

    /// The identifier bytes (identical to Java's for the same values).
    pub fn encode(&self) -> Vec<u8> {
        NMTokenIdentifierProto {
            app_attempt_id: Some(self.attempt_id.to_proto()),
            node_id: Some(self.node_id.to_proto()),
            app_submitter: Some(self.app_submitter.clone()),
            key_id: Some(self.key_id),
        }
        .encode_to_vec()
    }

    /// The user the token authenticates: the attempt id string.
    pub fn user(&self) -> String {
        self.attempt_id.to_string()
    }

    /// Issues a token for this identifier under `master_key`, for the NM at `service`
    /// (`ip:port`).
    pub fn issue(&self, master_key: &[u8], service: impl Into<String>) -> Token {
        Token::issue(self.encode(), master_key, KIND_NM_TOKEN, service)
    }
}

/// A token issued to one application attempt under a numbered master key (the AMRMToken and
/// the NMToken): what the secret managers and the servers' per-call checks need of it.
pub trait AttemptTokenIdentifier: Sized {
    /// The token's name in messages (`AMRMToken`, `NMToken`).
    const TOKEN_NAME: &'static str;

    /// Decodes raw identifier bytes.
    fn decode_identifier(bytes: &[u8]) -> Result<Self, TokenError>;

    /// The attempt the token was issued to; its string is the user the token authenticates.
    fn attempt(&self) -> ApplicationAttemptId;

    /// The id of the master key the token was signed with.
    fn master_key_id(&self) -> i32;

    /// The NodeManager the token is valid for, if it names one.
    fn node(&self) -> Option<&NodeId>;
}

/// Implements [`AttemptTokenIdentifier`] for an identifier with `attempt_id` and `key_id` fields;
/// `node` says which node the token names (`self` is the identifier).
macro_rules! attempt_token_identifier {
    ($ty:ident, $name:literal, |$id:ident| $node:expr) => {
        impl AttemptTokenIdentifier for $ty {
            const TOKEN_NAME: &'static str = $name;

            fn decode_identifier(bytes: &[u8]) -> Result<Self, TokenError> {
                $ty::decode(bytes)
            }

            fn attempt(&self) -> ApplicationAttemptId {
                self.attempt_id
            }

            fn master_key_id(&self) -> i32 {
                self.key_id
            }

            fn node(&self) -> Option<&NodeId> {
                let $id = self;
                $node
            }
        }
    };
}

attempt_token_identifier!(AmRmTokenIdentifier, "AMRMToken", |_id| None);
attempt_token_identifier!(NmTokenIdentifier, "NMToken", |id| Some(&id.node_id));

/// A decoded `ContainerTokenIdentifierProto` (the full proto is kept, so re-encoding is exact).
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerTokenIdentifier {
    /// The container.
    pub container_id: ContainerId,
    /// Every field as received.
    pub proto: ContainerTokenIdentifierProto,
}

impl ContainerTokenIdentifier {
    /// Decodes raw identifier bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, TokenError> {
        ContainerTokenIdentifier::from_proto(decode_proto(bytes, "ContainerTokenIdentifierProto")?)
    }

    /// From a proto built by a (mini) RM.
    pub fn from_proto(proto: ContainerTokenIdentifierProto) -> Result<Self, TokenError> {
        let cid = required(
            proto.container_id.as_ref(),
            "ContainerTokenIdentifierProto",
            "containerId",
        )?;
        Ok(ContainerTokenIdentifier {
            container_id: ContainerId::from_proto(cid)?,
            proto,
        })
    }

    /// The identifier bytes.
    pub fn encode(&self) -> Vec<u8> {
        self.proto.encode_to_vec()
    }

    /// The user the token stands for: the container id string.
    pub fn user(&self) -> String {
        self.container_id.to_string()
    }

    /// `host:port` of the NodeManager the container runs on.
    pub fn nm_host_addr(&self) -> &str {
        self.proto.nm_host_addr()
    }

    /// Expiry time in ms since the epoch (0 when absent).
    pub fn expiry_time_stamp(&self) -> i64 {
        self.proto.expiry_time_stamp()
    }

    /// Issues a token for this identifier under `master_key`; the service is the NM address.
    pub fn issue(&self, master_key: &[u8]) -> Token {
        Token::issue(
            self.encode(),
            master_key,
            KIND_CONTAINER_TOKEN,
            self.nm_host_addr().to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AMRM_ID: &str = "0a0d0a0908011080d095ffbc3110011001";
    const NM_ID: &str =
        "0a0d0a0908011080d095ffbc311001120f0a093132372e302e302e311089db011a04726f6f742001";

    #[test]
    fn captured_amrm_password_matches() {
        let id = hex::decode(AMRM_ID).unwrap();
        let pw = hmac_sha1_password(b"interop-amrm-master-key", &id);
        assert_eq!(hex::encode(&pw), "50fee28159547a92ad2eca2baf88edf1f6a7cf69");
        let t = Token::new(id.clone(), pw, KIND_AMRM_TOKEN, "");
        assert!(t.verify(b"interop-amrm-master-key"));
        assert!(!t.verify(b"another-key"));
    }

    #[test]
    fn captured_nm_password_matches() {
        let id = hex::decode(NM_ID).unwrap();
        let pw = hmac_sha1_password(b"interop-nmtoken-master-key", &id);
        assert_eq!(hex::encode(pw), "7601223711b721a5c338c0da8baccdfbdefc13d6");
    }

    #[test]
    fn typed_identifiers_decode_and_reencode_exactly() {
        let amrm = AmRmTokenIdentifier::decode(&hex::decode(AMRM_ID).unwrap()).unwrap();
        assert_eq!(amrm.user(), "appattempt_1700000000000_0001_000001");
        assert_eq!(amrm.key_id, 1);
        assert_eq!(hex::encode(amrm.encode()), AMRM_ID);
        let nm = NmTokenIdentifier::decode(&hex::decode(NM_ID).unwrap()).unwrap();
        assert_eq!(nm.user(), "appattempt_1700000000000_0001_000001");
        assert_eq!(nm.node_id, NodeId::new("127.0.0.1", 28041));
        assert_eq!(nm.app_submitter, "root");
        assert_eq!(hex::encode(nm.encode()), NM_ID);
    }

    #[test]
    fn identifier_errors_are_typed() {
        assert!(matches!(
            AmRmTokenIdentifier::decode(&[0x0a, 0x05, 0x01]),
            Err(TokenError::Identifier { .. })
        ));
        assert!(matches!(
            AmRmTokenIdentifier::decode(&[0x10, 0x01]),
            Err(TokenError::IdentifierField(IdError::MissingField { .. }))
        ));
        let t = Token::new(vec![], vec![], KIND_NM_TOKEN, "");
        assert!(matches!(
            t.amrm_identifier(),
            Err(TokenError::WrongKind { .. })
        ));
    }

    #[test]
    fn writable_and_url_forms_round_trip() {
        let t = Token::issue(
            hex::decode(AMRM_ID).unwrap(),
            b"k",
            KIND_AMRM_TOKEN,
            "1.2.3.4:8030",
        );
        let w = t.to_writable_bytes();
        assert_eq!(Token::from_writable_bytes(&w).unwrap(), t);
        let s = t.encode_url_string();
        assert!(!s.contains('=') && !s.contains('+') && !s.contains('/'));
        assert_eq!(Token::decode_url_string(&s).unwrap(), t);
        assert_eq!(Token::from_proto(&t.to_proto()), t);
        let mut extra = w.clone();
        extra.push(0);
        assert!(matches!(
            Token::from_writable_bytes(&extra),
            Err(TokenError::TrailingBytes { count: 1 })
        ));
        assert!(matches!(
            Token::decode_url_string("!!"),
            Err(TokenError::Base64(_))
        ));
        assert!(matches!(
            Token::from_writable_bytes(&w[..w.len() - 3]),
            Err(TokenError::Writable(WritableError::Truncated { .. }))
        ));
    }

    #[test]
    fn huge_lengths_are_refused_before_allocating() {
        let mut b = Vec::new();
        writable::write_vint(&mut b, i32::MAX);
        let err = Token::from_writable_bytes(&b).unwrap_err();
        assert!(
            matches!(
                err,
                TokenError::Writable(WritableError::TooLong {
                    what: "token identifier",
                    ..
                })
            ),
            "{err}"
        );
    }

    #[test]
    fn selection_rules() {
        let amrm = Token::new(vec![1], vec![], KIND_AMRM_TOKEN, "");
        let nm1 = Token::new(vec![2], vec![], KIND_NM_TOKEN, "10.0.0.1:8041");
        let nm2 = Token::new(vec![3], vec![], KIND_NM_TOKEN, "10.0.0.2:8041");
        let ha = Token::new(
            vec![4],
            vec![],
            KIND_AMRM_TOKEN,
            "10.0.0.1:8030,10.0.0.2:8030",
        );
        let all = [nm1.clone(), amrm.clone(), nm2.clone(), ha.clone()];
        assert_eq!(select_amrm_token(&all), Some(&amrm));
        assert_eq!(select_nm_token(&all, "10.0.0.2:8041"), Some(&nm2));
        assert_eq!(select_nm_token(&all, "10.0.0.2:804"), None);
        assert_eq!(
            select_amrm_token_for_service(&all, "10.0.0.2:8030"),
            Some(&ha)
        );
        assert_eq!(
            token_service_for("127.0.0.1:8030".parse().unwrap()),
            "127.0.0.1:8030"
        );
    }
}
