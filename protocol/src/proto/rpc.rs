//! `hadoop.common` IPC messages: `RpcHeader.proto`, `IpcConnectionContext.proto` and
//! `ProtobufRpcEngine2.proto`, written by hand as prost structs.
//!
//! Field numbers, types and proto2 `required`/`optional` follow the Hadoop 3.4 protos exactly
//! (docs/wire.md §2–§3 lists what the code relies on). Two details matter on the wire:
//! * [`RpcRequestHeaderProto::call_id`] is `sint32` (zigzag), while
//!   [`RpcResponseHeaderProto::call_id`] is `uint32` (a negative id is sent as its two's
//!   complement, e.g. −33 → `df ff ff ff 0f`).
//! * `required` fields are always written, even when they hold the default value
//!   (e.g. `callId: 0` → `18 00`, an empty `clientId` → `22 00`).

/// `RpcKindProto`: which serialization engine a call uses. Spindle always uses
/// [`RpcKindProto::RpcProtocolBuffer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum RpcKindProto {
    /// Used for built-in calls by tests.
    RpcBuiltin = 0,
    /// Hadoop Writable serialization (not supported by Spindle).
    RpcWritable = 1,
    /// Protocol buffers (ProtobufRpcEngine2).
    RpcProtocolBuffer = 2,
}

/// `RpcRequestHeaderProto.OperationProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum OperationProto {
    /// The final RPC packet (the only one Hadoop implements).
    RpcFinalPacket = 0,
    /// Not implemented by Hadoop.
    RpcContinuationPacket = 1,
    /// Close the RPC connection.
    RpcCloseConnection = 2,
}

/// `RPCTraceInfoProto`: tracing information (Spindle never sends it).
#[derive(Clone, PartialEq, prost::Message)]
pub struct RpcTraceInfoProto {
    /// f1 `traceId`.
    #[prost(int64, optional, tag = "1")]
    pub trace_id: Option<i64>,
    /// f2 `parentId`.
    #[prost(int64, optional, tag = "2")]
    pub parent_id: Option<i64>,
    /// f3 `spanContext`.
    #[prost(bytes = "vec", optional, tag = "3")]
    pub span_context: Option<Vec<u8>>,
}

/// `RPCCallerContextProto`: caller context for audit logs (Spindle never sends it).
#[derive(Clone, PartialEq, prost::Message)]
pub struct RpcCallerContextProto {
    /// f1 `context` (required).
    #[prost(string, required, tag = "1")]
    pub context: String,
    /// f2 `signature`.
    #[prost(bytes = "vec", optional, tag = "2")]
    pub signature: Option<Vec<u8>>,
}

/// `RpcRequestHeaderProto`: the first delimited message of every client→server frame.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RpcRequestHeaderProto {
    /// f1 `rpcKind`; the server rejects a header without it. Always 2.
    #[prost(enumeration = "RpcKindProto", optional, tag = "1")]
    pub rpc_kind: Option<i32>,
    /// f2 `rpcOp`; must be 0 (`RPC_FINAL_PACKET`).
    #[prost(enumeration = "OperationProto", optional, tag = "2")]
    pub rpc_op: Option<i32>,
    /// f3 `callId` (required, **sint32**): ≥ 0 for calls, −3 context, −4 ping, −33 SASL.
    #[prost(sint32, required, tag = "3")]
    pub call_id: i32,
    /// f4 `clientId` (required): 16 bytes for calls/context/ping, empty for SASL.
    #[prost(bytes = "vec", required, tag = "4")]
    pub client_id: Vec<u8>,
    /// f5 `retryCount` (sint32, default −1): 0 on the first try of a call.
    #[prost(sint32, optional, tag = "5", default = "-1")]
    pub retry_count: Option<i32>,
    /// f6 `traceInfo`.
    #[prost(message, optional, tag = "6")]
    pub trace_info: Option<RpcTraceInfoProto>,
    /// f7 `callerContext`.
    #[prost(message, optional, tag = "7")]
    pub caller_context: Option<RpcCallerContextProto>,
    /// f8 `stateId` (HDFS observer reads only).
    #[prost(int64, optional, tag = "8")]
    pub state_id: Option<i64>,
    /// f9 `routerFederatedState` (HDFS RBF only).
    #[prost(bytes = "vec", optional, tag = "9")]
    pub router_federated_state: Option<Vec<u8>>,
    /// f10 `authorizationHeader` (new in Hadoop 3.5; Spindle never sends it).
    #[prost(bytes = "vec", optional, tag = "10")]
    pub authorization_header: Option<Vec<u8>>,
}

/// `RpcResponseHeaderProto.RpcStatusProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum RpcStatusProto {
    /// The call succeeded; a response message follows the header.
    Success = 0,
    /// The call failed; the connection stays open.
    Error = 1,
    /// The connection failed; the server closes it after this reply.
    Fatal = 2,
}

/// `RpcResponseHeaderProto.RpcErrorCodeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum RpcErrorCodeProto {
    /// The service threw an exception.
    ErrorApplication = 1,
    /// No such method in the protocol.
    ErrorNoSuchMethod = 2,
    /// No such protocol on this server.
    ErrorNoSuchProtocol = 3,
    /// Other server-side error.
    ErrorRpcServer = 4,
    /// The response could not be serialized.
    ErrorSerializingResponse = 5,
    /// The protocol version does not match.
    ErrorRpcVersionMismatch = 6,
    /// Unknown fatal error.
    FatalUnknown = 10,
    /// The rpcKind is not supported.
    FatalUnsupportedSerialization = 11,
    /// The request header is invalid.
    FatalInvalidRpcHeader = 12,
    /// The request could not be deserialized.
    FatalDeserializingRequest = 13,
    /// The IPC version does not match.
    FatalVersionMismatch = 14,
    /// Authentication or authorization failed.
    FatalUnauthorized = 15,
}

/// `RpcResponseHeaderProto`: the first delimited message of every server→client frame.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RpcResponseHeaderProto {
    /// f1 `callId` (required, **uint32**): cast to `i32` to get negative ids back.
    #[prost(uint32, required, tag = "1")]
    pub call_id: u32,
    /// f2 `status` (required).
    #[prost(enumeration = "RpcStatusProto", required, tag = "2")]
    pub status: i32,
    /// f3 `serverIpcVersionNum`: 9.
    #[prost(uint32, optional, tag = "3")]
    pub server_ipc_version_num: Option<u32>,
    /// f4 `exceptionClassName`: the Java class of the failure.
    #[prost(string, optional, tag = "4")]
    pub exception_class_name: Option<String>,
    /// f5 `errorMsg`: the message (Java sends the stack trace).
    #[prost(string, optional, tag = "5")]
    pub error_msg: Option<String>,
    /// f6 `errorDetail`.
    #[prost(enumeration = "RpcErrorCodeProto", optional, tag = "6")]
    pub error_detail: Option<i32>,
    /// f7 `clientId`: echoed from the request.
    #[prost(bytes = "vec", optional, tag = "7")]
    pub client_id: Option<Vec<u8>>,
    /// f8 `retryCount` (sint32, default −1): echoed from the request.
    #[prost(sint32, optional, tag = "8", default = "-1")]
    pub retry_count: Option<i32>,
    /// f9 `stateId` (HDFS only).
    #[prost(int64, optional, tag = "9")]
    pub state_id: Option<i64>,
    /// f10 `routerFederatedState` (HDFS RBF only).
    #[prost(bytes = "vec", optional, tag = "10")]
    pub router_federated_state: Option<Vec<u8>>,
}

/// `RpcSaslProto.SaslState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum SaslState {
    /// Authentication finished (server → client).
    Success = 0,
    /// Ask for / list the offered mechanisms.
    Negotiate = 1,
    /// The client picks a mechanism (and sends its first token).
    Initiate = 2,
    /// A server challenge.
    Challenge = 3,
    /// A client response to a challenge.
    Response = 4,
    /// A wrapped (integrity/privacy protected) payload.
    Wrap = 5,
}

/// `RpcSaslProto.SaslAuth`: one authentication method a server offers.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct SaslAuth {
    /// f1 `method` (required): `TOKEN`, `KERBEROS` or `SIMPLE`.
    #[prost(string, required, tag = "1")]
    pub method: String,
    /// f2 `mechanism` (required): `DIGEST-MD5`, `GSSAPI` or `""`.
    #[prost(string, required, tag = "2")]
    pub mechanism: String,
    /// f3 `protocol`: `""` (present!) for TOKEN.
    #[prost(string, optional, tag = "3")]
    pub protocol: Option<String>,
    /// f4 `serverId`: `"default"` for TOKEN.
    #[prost(string, optional, tag = "4")]
    pub server_id: Option<String>,
    /// f5 `challenge`: the mechanism's first challenge, if the server has one.
    #[prost(bytes = "vec", optional, tag = "5")]
    pub challenge: Option<Vec<u8>>,
}

/// `RpcSaslProto`: the payload of every SASL frame (callId −33).
#[derive(Clone, PartialEq, prost::Message)]
pub struct RpcSaslProto {
    /// f1 `version` (unused).
    #[prost(uint32, optional, tag = "1")]
    pub version: Option<u32>,
    /// f2 `state` (required).
    #[prost(enumeration = "SaslState", required, tag = "2")]
    pub state: i32,
    /// f3 `token`: mechanism bytes (challenge, response, rspauth, wrapped data).
    #[prost(bytes = "vec", optional, tag = "3")]
    pub token: Option<Vec<u8>>,
    /// f4 `auths`: offered (NEGOTIATE) or chosen (INITIATE) methods.
    #[prost(message, repeated, tag = "4")]
    pub auths: Vec<SaslAuth>,
}

/// `UserInformationProto`: who the client says it is.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UserInformationProto {
    /// f1 `effectiveUser`.
    #[prost(string, optional, tag = "1")]
    pub effective_user: Option<String>,
    /// f2 `realUser` (proxy users).
    #[prost(string, optional, tag = "2")]
    pub real_user: Option<String>,
}

/// `IpcConnectionContextProto`: sent once per connection with callId −3 (no reply).
#[derive(Clone, PartialEq, prost::Message)]
pub struct IpcConnectionContextProto {
    /// f2 `userInfo` (there is no field 1): empty for TOKEN auth.
    #[prost(message, optional, tag = "2")]
    pub user_info: Option<UserInformationProto>,
    /// f3 `protocol`: the protocol name the connection is for.
    #[prost(string, optional, tag = "3")]
    pub protocol: Option<String>,
}

/// ProtobufRpcEngine2 `RequestHeaderProto`: which method of which protocol a call is for.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RequestHeaderProto {
    /// f1 `methodName` (required), e.g. `allocate`.
    #[prost(string, required, tag = "1")]
    pub method_name: String,
    /// f2 `declaringClassProtocolName` (required), e.g.
    /// `org.apache.hadoop.yarn.api.ApplicationMasterProtocolPB`.
    #[prost(string, required, tag = "2")]
    pub declaring_class_protocol_name: String,
    /// f3 `clientProtocolVersion` (required): 1 for YARN.
    #[prost(uint64, required, tag = "3")]
    pub client_protocol_version: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[test]
    fn sasl_request_header_matches_capture() {
        let header = RpcRequestHeaderProto {
            rpc_kind: Some(RpcKindProto::RpcProtocolBuffer as i32),
            rpc_op: Some(OperationProto::RpcFinalPacket as i32),
            call_id: -33,
            client_id: Vec::new(),
            retry_count: Some(-1),
            ..Default::default()
        };
        assert_eq!(
            header.encode_to_vec(),
            [0x08, 0x02, 0x10, 0x00, 0x18, 0x41, 0x22, 0x00, 0x28, 0x01]
        );
    }

    #[test]
    fn response_call_id_minus_33_is_five_byte_uint32() {
        let header = RpcResponseHeaderProto {
            call_id: -33i32 as u32,
            status: RpcStatusProto::Success as i32,
            ..Default::default()
        };
        let bytes = header.encode_to_vec();
        assert_eq!(&bytes[..6], &[0x08, 0xdf, 0xff, 0xff, 0xff, 0x0f]);
        let back = RpcResponseHeaderProto::decode(&bytes[..]).unwrap();
        assert_eq!(back.call_id as i32, -33);
    }

    #[test]
    fn token_sasl_auth_keeps_empty_protocol_present() {
        let auth = SaslAuth {
            method: "TOKEN".into(),
            mechanism: "DIGEST-MD5".into(),
            protocol: Some(String::new()),
            server_id: Some("default".into()),
            challenge: None,
        };
        let bytes = auth.encode_to_vec();
        // ... 1a 00 (protocol "") 22 07 "default"
        assert!(bytes.windows(4).any(|w| w == [0x1a, 0x00, 0x22, 0x07]));
        assert_eq!(SaslAuth::decode(&bytes[..]).unwrap(), auth);
    }
}
