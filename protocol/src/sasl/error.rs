//! SASL errors.

/// Why a SASL negotiation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaslError {
    /// A challenge or response could not be parsed.
    #[error("malformed DIGEST-MD5 message: {0}")]
    Malformed(String),
    /// The server offers only integrity or privacy protection.
    #[error(
        "the server requires SASL quality of protection {0:?}, but integrity/privacy QOP (auth-int/auth-conf) is not supported yet; only \"auth\" (hadoop.rpc.protection=authentication) works"
    )]
    QopNotSupported(String),
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
            SaslError::InvalidToken(_) => {
                "org.apache.hadoop.security.token.SecretManager$InvalidToken"
            }
            SaslError::NotEnabled(_) | SaslError::NoUsableMethod { .. } => {
                "org.apache.hadoop.security.AccessControlException"
            }
            _ => "javax.security.sasl.SaslException",
        }
    }
}
