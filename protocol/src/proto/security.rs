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

crate::proto_messages! {
    /// `hadoop.common.TokenProto`: a token (identifier, password, kind, service). Every field is
    /// `required`, so all four are always on the wire, even when empty.
    #[derive(Eq, Hash)]
    pub struct TokenProto {
        /// f1: the identifier bytes (for YARN tokens a serialized identifier proto).
        1 identifier: required bytes,
        /// f2: the password, `HMAC-SHA1(master key, identifier)`.
        2 password: required bytes,
        /// f3: the token kind, e.g. `YARN_AM_RM_TOKEN`, `NMToken`, `ContainerToken`.
        3 kind: required string,
        /// f4: the service, usually `ip:port` of the server the token is for (may be empty).
        4 service: required string,
    }

    /// `hadoop.common.CredentialsKVProto`: one entry of a protobuf-format credentials file.
    pub struct CredentialsKVProto {
        /// f1: the alias the token or secret is stored under.
        1 alias: required string,
        /// f2: the token, for entries of [`CredentialsProto::tokens`].
        2 token: optional message(TokenProto),
        /// f3: the secret bytes, for entries of [`CredentialsProto::secrets`].
        3 secret: optional bytes,
    }

    /// `hadoop.common.CredentialsProto`: the body of an `HDTS` credentials file in format 1.
    pub struct CredentialsProto {
        /// f1: tokens by alias.
        1 tokens: repeated message(CredentialsKVProto),
        /// f2: secret keys by alias.
        2 secrets: repeated message(CredentialsKVProto),
    }

    /// `hadoop.common.GetDelegationTokenRequestProto`.
    pub struct GetDelegationTokenRequestProto {
        /// f1: the user allowed to renew the token.
        1 renewer: required string,
    }

    /// `hadoop.common.GetDelegationTokenResponseProto`.
    pub struct GetDelegationTokenResponseProto {
        /// f1: the new delegation token.
        1 token: optional message(TokenProto),
    }

    /// `hadoop.common.RenewDelegationTokenRequestProto`.
    pub struct RenewDelegationTokenRequestProto {
        /// f1: the token to renew.
        1 token: required message(TokenProto),
    }

    /// `hadoop.common.RenewDelegationTokenResponseProto`.
    pub struct RenewDelegationTokenResponseProto {
        /// f1: the new expiry time (ms since the epoch).
        1 new_expiry_time: required uint64,
    }

    /// `hadoop.common.CancelDelegationTokenRequestProto`.
    pub struct CancelDelegationTokenRequestProto {
        /// f1: the token to cancel.
        1 token: required message(TokenProto),
    }

    /// `hadoop.common.CancelDelegationTokenResponseProto` (empty).
    pub struct CancelDelegationTokenResponseProto {}
}

// ---------------------------------------------------------------------------------------------
// yarn_security_token.proto (hadoop.yarn)
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `hadoop.yarn.NMTokenIdentifierProto`: identifier of an `NMToken`.
    pub struct NMTokenIdentifierProto {
        /// The attempt the token was issued to (also the SASL user).
        1 app_attempt_id: optional message(ApplicationAttemptIdProto),
        /// The NodeManager the token is valid for.
        2 node_id: optional message(NodeIdProto),
        /// The user who submitted the application.
        3 app_submitter: optional string,
        /// Id of the NM-token master key that signed it.
        4 key_id: optional int32 = "-1",
    }

    /// `hadoop.yarn.AMRMTokenIdentifierProto`: identifier of a `YARN_AM_RM_TOKEN`.
    pub struct AMRMTokenIdentifierProto {
        /// The attempt the token was issued to (also the SASL user).
        1 app_attempt_id: optional message(ApplicationAttemptIdProto),
        /// Id of the AMRM master key that signed it.
        2 key_id: optional int32 = "-1",
    }

    /// `hadoop.yarn.ContainerTokenIdentifierProto`: identifier of a `ContainerToken`.
    pub struct ContainerTokenIdentifierProto {
        1 container_id: optional message(ContainerIdProto),
        /// `host:port` of the NodeManager.
        2 nm_host_addr: optional string,
        /// The submitting user.
        3 app_submitter: optional string,
        /// The allocated resource.
        4 resource: optional message(ResourceProto),
        /// In ms since the epoch.
        5 expiry_time_stamp: optional int64,
        6 master_key_id: optional int32 = "-1",
        /// The RM's start time, used to detect containers of an old RM.
        7 rm_identifier: optional int64,
        8 priority: optional message(PriorityProto),
        /// In ms since the epoch.
        9 creation_time: optional int64,
        10 log_aggregation_context: optional message(LogAggregationContextProto),
        11 node_label_expression: optional string,
        12 container_type: optional enumeration(ContainerTypeProto),
        13 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        14 version: optional int32 = "0",
        15 allocation_request_id: optional int64 = "-1",
        16 allocation_tags: repeated string,
    }

    /// `hadoop.yarn.ClientToAMTokenIdentifierProto`: identifier of a `YARN_CLIENT_TOKEN`.
    pub struct ClientToAMTokenIdentifierProto {
        1 app_attempt_id: optional message(ApplicationAttemptIdProto),
        2 client_name: optional string,
    }

    /// `hadoop.yarn.YARNDelegationTokenIdentifierProto`: identifier of an `RM_DELEGATION_TOKEN`.
    pub struct YARNDelegationTokenIdentifierProto {
        1 owner: optional string,
        2 renewer: optional string,
        3 real_user: optional string,
        /// In ms since the epoch.
        4 issue_date: optional int64,
        /// In ms since the epoch.
        5 max_date: optional int64,
        6 sequence_number: optional int32,
        7 master_key_id: optional int32,
    }

    /// `hadoop.yarn.DockerCredentialTokenIdentifierProto`.
    pub struct DockerCredentialTokenIdentifierProto {
        1 registry_url: optional string,
        /// In its string form.
        2 application_id: optional string,
    }
}
