//! Token and credentials messages, and the YARN token identifiers.
//!
//! * `Security.proto` (package `hadoop.common`): [`TokenProto`], [`CredentialsKVProto`],
//!   [`CredentialsProto`], and the delegation-token request/response messages.
//! * `yarn_security_token.proto` (package `hadoop.yarn`): the identifiers that YARN tokens carry
//!   as their raw `identifier` bytes (no length prefix): [`AMRMTokenIdentifierProto`],
//!   [`NMTokenIdentifierProto`], [`ContainerTokenIdentifierProto`],
//!   [`ClientToAMTokenIdentifierProto`], [`YARNDelegationTokenIdentifierProto`],
//!   [`DockerCredentialTokenIdentifierProto`].
//!
//! Written by hand with proto2 semantics: optional scalars are `Option<T>`, non-zero proto
//! defaults are declared so that the generated getters return them.

use super::yarn::{
    ApplicationAttemptIdProto, ContainerIdProto, ContainerTypeProto, ExecutionTypeProto,
    LogAggregationContextProto, NodeIdProto, PriorityProto, ResourceProto,
};

// ---------------------------------------------------------------------------------------------
// Security.proto (hadoop.common)
// ---------------------------------------------------------------------------------------------

/// `hadoop.common.TokenProto`: a token (identifier, password, kind, service). Every field is
/// `required`, so all four are always on the wire, even when empty.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct TokenProto {
    /// f1: the identifier bytes (for YARN tokens a serialized identifier proto).
    #[prost(bytes = "vec", required, tag = "1")]
    pub identifier: Vec<u8>,
    /// f2: the password, `HMAC-SHA1(master key, identifier)`.
    #[prost(bytes = "vec", required, tag = "2")]
    pub password: Vec<u8>,
    /// f3: the token kind, e.g. `YARN_AM_RM_TOKEN`, `NMToken`, `ContainerToken`.
    #[prost(string, required, tag = "3")]
    pub kind: String,
    /// f4: the service, usually `ip:port` of the server the token is for (may be empty).
    #[prost(string, required, tag = "4")]
    pub service: String,
}

/// `hadoop.common.CredentialsKVProto`: one entry of a protobuf-format credentials file.
#[derive(Clone, PartialEq, prost::Message)]
pub struct CredentialsKVProto {
    /// f1: the alias the token or secret is stored under.
    #[prost(string, required, tag = "1")]
    pub alias: String,
    /// f2: the token, for entries of [`CredentialsProto::tokens`].
    #[prost(message, optional, tag = "2")]
    pub token: Option<TokenProto>,
    /// f3: the secret bytes, for entries of [`CredentialsProto::secrets`].
    #[prost(bytes = "vec", optional, tag = "3")]
    pub secret: Option<Vec<u8>>,
}

/// `hadoop.common.CredentialsProto`: the body of an `HDTS` credentials file in format 1.
#[derive(Clone, PartialEq, prost::Message)]
pub struct CredentialsProto {
    /// f1: tokens by alias.
    #[prost(message, repeated, tag = "1")]
    pub tokens: Vec<CredentialsKVProto>,
    /// f2: secret keys by alias.
    #[prost(message, repeated, tag = "2")]
    pub secrets: Vec<CredentialsKVProto>,
}

/// `hadoop.common.GetDelegationTokenRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetDelegationTokenRequestProto {
    /// f1: the user allowed to renew the token.
    #[prost(string, required, tag = "1")]
    pub renewer: String,
}

/// `hadoop.common.GetDelegationTokenResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetDelegationTokenResponseProto {
    /// f1: the new delegation token.
    #[prost(message, optional, tag = "1")]
    pub token: Option<TokenProto>,
}

/// `hadoop.common.RenewDelegationTokenRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RenewDelegationTokenRequestProto {
    /// f1: the token to renew.
    #[prost(message, required, tag = "1")]
    pub token: TokenProto,
}

/// `hadoop.common.RenewDelegationTokenResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RenewDelegationTokenResponseProto {
    /// f1: the new expiry time (ms since the epoch).
    #[prost(uint64, required, tag = "1")]
    pub new_expiry_time: u64,
}

/// `hadoop.common.CancelDelegationTokenRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct CancelDelegationTokenRequestProto {
    /// f1: the token to cancel.
    #[prost(message, required, tag = "1")]
    pub token: TokenProto,
}

/// `hadoop.common.CancelDelegationTokenResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct CancelDelegationTokenResponseProto {}

// ---------------------------------------------------------------------------------------------
// yarn_security_token.proto (hadoop.yarn)
// ---------------------------------------------------------------------------------------------

/// `hadoop.yarn.NMTokenIdentifierProto`: identifier of an `NMToken`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NMTokenIdentifierProto {
    /// f1 `appAttemptId`: the attempt the token was issued to (also the SASL user).
    #[prost(message, optional, tag = "1")]
    pub app_attempt_id: Option<ApplicationAttemptIdProto>,
    /// f2 `nodeId`: the NodeManager the token is valid for.
    #[prost(message, optional, tag = "2")]
    pub node_id: Option<NodeIdProto>,
    /// f3 `appSubmitter`: the user who submitted the application.
    #[prost(string, optional, tag = "3")]
    pub app_submitter: Option<String>,
    /// f4 `keyId` [= -1]: id of the NM-token master key that signed it.
    #[prost(int32, optional, tag = "4", default = "-1")]
    pub key_id: Option<i32>,
}

/// `hadoop.yarn.AMRMTokenIdentifierProto`: identifier of a `YARN_AM_RM_TOKEN`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AMRMTokenIdentifierProto {
    /// f1 `appAttemptId`: the attempt the token was issued to (also the SASL user).
    #[prost(message, optional, tag = "1")]
    pub app_attempt_id: Option<ApplicationAttemptIdProto>,
    /// f2 `keyId` [= -1]: id of the AMRM master key that signed it.
    #[prost(int32, optional, tag = "2", default = "-1")]
    pub key_id: Option<i32>,
}

/// `hadoop.yarn.ContainerTokenIdentifierProto`: identifier of a `ContainerToken`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerTokenIdentifierProto {
    /// f1 `containerId`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
    /// f2 `nmHostAddr`: `host:port` of the NodeManager.
    #[prost(string, optional, tag = "2")]
    pub nm_host_addr: Option<String>,
    /// f3 `appSubmitter`: the submitting user.
    #[prost(string, optional, tag = "3")]
    pub app_submitter: Option<String>,
    /// f4 `resource`: the allocated resource.
    #[prost(message, optional, tag = "4")]
    pub resource: Option<ResourceProto>,
    /// f5 `expiryTimeStamp` (ms since the epoch).
    #[prost(int64, optional, tag = "5")]
    pub expiry_time_stamp: Option<i64>,
    /// f6 `masterKeyId` [= -1].
    #[prost(int32, optional, tag = "6", default = "-1")]
    pub master_key_id: Option<i32>,
    /// f7 `rmIdentifier`: the RM's start time, used to detect containers of an old RM.
    #[prost(int64, optional, tag = "7")]
    pub rm_identifier: Option<i64>,
    /// f8 `priority`.
    #[prost(message, optional, tag = "8")]
    pub priority: Option<PriorityProto>,
    /// f9 `creationTime` (ms since the epoch).
    #[prost(int64, optional, tag = "9")]
    pub creation_time: Option<i64>,
    /// f10 `logAggregationContext`.
    #[prost(message, optional, tag = "10")]
    pub log_aggregation_context: Option<LogAggregationContextProto>,
    /// f11 `nodeLabelExpression`.
    #[prost(string, optional, tag = "11")]
    pub node_label_expression: Option<String>,
    /// f12 `containerType`.
    #[prost(enumeration = "ContainerTypeProto", optional, tag = "12")]
    pub container_type: Option<i32>,
    /// f13 `executionType` [= GUARANTEED].
    #[prost(
        enumeration = "ExecutionTypeProto",
        optional,
        tag = "13",
        default = "Guaranteed"
    )]
    pub execution_type: Option<i32>,
    /// f14 `version` [= 0].
    #[prost(int32, optional, tag = "14", default = "0")]
    pub version: Option<i32>,
    /// f15 `allocation_request_id` [= -1].
    #[prost(int64, optional, tag = "15", default = "-1")]
    pub allocation_request_id: Option<i64>,
    /// f16 `allocation_tags`.
    #[prost(string, repeated, tag = "16")]
    pub allocation_tags: Vec<String>,
}

/// `hadoop.yarn.ClientToAMTokenIdentifierProto`: identifier of a `YARN_CLIENT_TOKEN`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ClientToAMTokenIdentifierProto {
    /// f1 `appAttemptId`.
    #[prost(message, optional, tag = "1")]
    pub app_attempt_id: Option<ApplicationAttemptIdProto>,
    /// f2 `clientName`.
    #[prost(string, optional, tag = "2")]
    pub client_name: Option<String>,
}

/// `hadoop.yarn.YARNDelegationTokenIdentifierProto`: identifier of an `RM_DELEGATION_TOKEN`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct YARNDelegationTokenIdentifierProto {
    /// f1 `owner`.
    #[prost(string, optional, tag = "1")]
    pub owner: Option<String>,
    /// f2 `renewer`.
    #[prost(string, optional, tag = "2")]
    pub renewer: Option<String>,
    /// f3 `realUser`.
    #[prost(string, optional, tag = "3")]
    pub real_user: Option<String>,
    /// f4 `issueDate` (ms since the epoch).
    #[prost(int64, optional, tag = "4")]
    pub issue_date: Option<i64>,
    /// f5 `maxDate` (ms since the epoch).
    #[prost(int64, optional, tag = "5")]
    pub max_date: Option<i64>,
    /// f6 `sequenceNumber`.
    #[prost(int32, optional, tag = "6")]
    pub sequence_number: Option<i32>,
    /// f7 `masterKeyId`.
    #[prost(int32, optional, tag = "7")]
    pub master_key_id: Option<i32>,
}

/// `hadoop.yarn.DockerCredentialTokenIdentifierProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DockerCredentialTokenIdentifierProto {
    /// f1 `registryUrl`.
    #[prost(string, optional, tag = "1")]
    pub registry_url: Option<String>,
    /// f2 `applicationId` (string form).
    #[prost(string, optional, tag = "2")]
    pub application_id: Option<String>,
}
