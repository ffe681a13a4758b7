//! SASL errors.

use crate::java_class;

/// Why a SASL negotiation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaslError {
    /// A challenge or response could not be parsed.
    #[error("malformed DIGEST-MD5 message: {0}")]
    Malformed(String),
    /// The two sides' `hadoop.rpc.protection` lists have nothing in common.
    #[error(
        "No common protection layer between client and server: ours is [{ours}] (hadoop.rpc.protection), the peer offers [{theirs}]"
    )]
    QopMismatch {
        /// Our list, in our order of preference.
        ours: String,
        /// What the peer offered.
        theirs: String,
    },
    /// A wrapped message failed its integrity check, sequence check or decryption.
    #[error("SASL security layer: {0}")]
    Layer(String),
    /// Kerberos (GSS-API) failed; the error says what to do.
    #[error("{0}")]
    Kerberos(#[from] crate::gssapi::KerberosError),
    /// The server's Kerberos principal is not the one we expect (Hadoop checks this before
    /// sending anything).
    #[error("Server has invalid Kerberos principal: {advertised}, expecting: {expected}")]
    WrongServerPrincipal {
        /// What the server advertised (`protocol/serverId`).
        advertised: String,
        /// What we expect (`yarn.resourcemanager.principal` with `_HOST` replaced).
        expected: String,
    },
    /// A configuration value is unusable.
    #[error("SASL configuration: {0}")]
    Config(String),
    /// The server's `rspauth` did not match: it does not know the token's password.
    #[error(
        "the server's rspauth does not match: it could not prove it knows the token password (wrong server or stale token)"
    )]
    ServerNotAuthenticated,
    /// The server rejected the client's credentials.
    #[error("{0}")]
    Rejected(String),
    /// The secret manager does not accept the token.
    #[error("{0}")]
    InvalidToken(String),
    /// The requested method is not enabled on this server.
    #[error("{0}")]
    NotEnabled(String),
    /// No offered method can be used with the credentials we hold.
    #[error("Client cannot authenticate via:[{}]", offered.join(", "))]
    NoUsableMethod {
        /// The methods the server offered.
        offered: Vec<String>,
    },
    /// A message arrived that the negotiation does not allow at this point.
    #[error("SASL protocol violation: {0}")]
    Protocol(String),
}

impl SaslError {
    /// The Java exception class a Hadoop server reports for this failure.
    pub fn java_class(&self) -> &'static str {
        match self {
            SaslError::InvalidToken(_) => java_class::INVALID_TOKEN,
            SaslError::NotEnabled(_) | SaslError::NoUsableMethod { .. } => {
                java_class::ACCESS_CONTROL
            }
            _ => java_class::SASL,
        }
    }
}
