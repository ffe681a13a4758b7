//! The identifier of a Spindle application token (kind [`crate::auth::KIND_APP_TOKEN`]).

/// Identifier bytes of an application token. Its password is
/// `HMAC-SHA1(application secret, identifier bytes)`; the SASL user is `role/name`.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct AppTokenIdentifierProto {
    /// f1: the application the secret belongs to.
    #[prost(string, tag = "1")]
    pub app_id: String,
    /// f2: who holds the token: `executor`, `am` or `driver`.
    #[prost(string, tag = "2")]
    pub role: String,
    /// f3: the holder's name within its role (an executor id, an attempt id).
    #[prost(string, tag = "3")]
    pub name: String,
    /// f4: when it was minted, ms since the epoch (for logs only: the secret's lifetime is the
    /// application's).
    #[prost(uint64, tag = "4")]
    pub issue_date_ms: u64,
}
