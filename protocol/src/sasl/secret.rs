//! What a server needs to check tokens, and who a caller turned out to be.

/// Looks up token passwords on the server side (Hadoop's `SecretManager`).
pub trait SecretManager: Send + Sync + 'static {
    /// Password for a token identifier, and the user it authenticates (e.g.
    /// `appattempt_..._000001`). Return [`InvalidToken`] for unknown, expired or undecodable
    /// identifiers.
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken>;
}

/// A secret manager shows as its role only: what it holds is secret.
impl std::fmt::Debug for dyn SecretManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretManager")
    }
}

/// A token's password and the user it authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenIdentity {
    /// The token password (e.g. HMAC-SHA1 of the identifier with the master key).
    pub password: Vec<u8>,
    /// The user the token authenticates.
    pub user: String,
}

/// A token the secret manager does not accept. Becomes a FATAL
/// `org.apache.hadoop.security.token.SecretManager$InvalidToken` reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidToken(pub String);

/// How a caller authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerAuth {
    /// SIMPLE: the user is whatever the connection context claims.
    Simple,
    /// TOKEN (DIGEST-MD5) with this token identifier.
    Token {
        /// The raw token identifier bytes.
        identifier: Vec<u8>,
    },
    /// KERBEROS (GSSAPI) as this principal; the call's user is its short name.
    Kerberos {
        /// The client principal, e.g. `alice@EXAMPLE.COM`.
        principal: String,
    },
}
