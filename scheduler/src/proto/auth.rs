//! The identifier of a Spindle application token (kind [`crate::auth::KIND_APP_TOKEN`]).

spindle_protocol::proto_messages! {
    /// Identifier bytes of an application token. Its password is
    /// `HMAC-SHA1(application secret, identifier bytes)`; the SASL user is `role/name`.
    #[derive(Eq)]
    pub struct AppTokenIdentifierProto {
        /// The application the secret belongs to.
        1 app_id: required string,
        /// Who holds the token: `executor`, `am` or `driver`.
        2 role: required string,
        /// The holder's name within its role (an executor id, an attempt id).
        3 name: required string,
        /// When it was minted, ms since the epoch (for logs only: the secret's lifetime is the
        /// application's).
        4 issue_date_ms: required uint64,
    }
}
