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

crate::proto_enums! {
    /// `RpcKindProto`: which serialization engine a call uses. Spindle always uses
    /// [`RpcKindProto::RpcProtocolBuffer`].
    pub enum RpcKindProto {
        /// Used for built-in calls by tests.
        RpcBuiltin = 0,
        /// Hadoop Writable serialization (not supported by Spindle).
        RpcWritable = 1,
        /// Protocol buffers (ProtobufRpcEngine2).
        RpcProtocolBuffer = 2,
    }

    /// `RpcRequestHeaderProto.OperationProto`.
    pub enum OperationProto {
        /// The final RPC packet (the only one Hadoop implements).
        RpcFinalPacket = 0,
        /// Not implemented by Hadoop.
        RpcContinuationPacket = 1,
        /// Close the RPC connection.
        RpcCloseConnection = 2,
    }
}

crate::proto_messages! {
    /// `RPCTraceInfoProto`: tracing information (Spindle never sends it).
    pub struct RpcTraceInfoProto {
        1 trace_id: optional int64,
        2 parent_id: optional int64,
        3 span_context: optional bytes,
    }

    /// `RPCCallerContextProto`: caller context for audit logs (Spindle never sends it).
    pub struct RpcCallerContextProto {
        1 context: required string,
        2 signature: optional bytes,
    }

    /// `RpcRequestHeaderProto`: the first delimited message of every client→server frame.
    pub struct RpcRequestHeaderProto {
        /// The server rejects a header without it. Always 2.
        1 rpc_kind: optional enumeration(RpcKindProto),
        /// Must be 0 (`RPC_FINAL_PACKET`).
        2 rpc_op: optional enumeration(OperationProto),
        /// ≥ 0 for calls, −3 context, −4 ping, −33 SASL.
        3 call_id: required sint32,
        /// 16 bytes for calls/context/ping, empty for SASL.
        4 client_id: required bytes,
        /// 0 on the first try of a call.
        5 retry_count: optional sint32 = "-1",
        6 trace_info: optional message(RpcTraceInfoProto),
        7 caller_context: optional message(RpcCallerContextProto),
        /// HDFS observer reads only.
        8 state_id: optional int64,
        /// HDFS RBF only.
        9 router_federated_state: optional bytes,
        /// New in Hadoop 3.5; Spindle never sends it.
        10 authorization_header: optional bytes,
    }
}

crate::proto_enums! {
    /// `RpcResponseHeaderProto.RpcStatusProto`.
    pub enum RpcStatusProto {
        /// The call succeeded; a response message follows the header.
        Success = 0,
        /// The call failed; the connection stays open.
        Error = 1,
        /// The connection failed; the server closes it after this reply.
        Fatal = 2,
    }

    /// `RpcResponseHeaderProto.RpcErrorCodeProto`.
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
}

crate::proto_messages! {
    /// `RpcResponseHeaderProto`: the first delimited message of every server→client frame.
    pub struct RpcResponseHeaderProto {
        /// Cast to `i32` to get negative ids back.
        1 call_id: required uint32,
        2 status: required enumeration(RpcStatusProto),
        /// 9.
        3 server_ipc_version_num: optional uint32,
        /// The Java class of the failure.
        4 exception_class_name: optional string,
        /// The message (Java sends the stack trace).
        5 error_msg: optional string,
        6 error_detail: optional enumeration(RpcErrorCodeProto),
        /// Echoed from the request.
        7 client_id: optional bytes,
        /// Echoed from the request.
        8 retry_count: optional sint32 = "-1",
        /// HDFS only.
        9 state_id: optional int64,
        /// HDFS RBF only.
        10 router_federated_state: optional bytes,
    }
}

crate::proto_enums! {
    /// `RpcSaslProto.SaslState`.
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
}

crate::proto_messages! {
    /// `RpcSaslProto.SaslAuth`: one authentication method a server offers.
    #[derive(Eq, Hash)]
    pub struct SaslAuth {
        /// `TOKEN`, `KERBEROS` or `SIMPLE`.
        1 method: required string,
        /// `DIGEST-MD5`, `GSSAPI` or `""`.
        2 mechanism: required string,
        /// `""` (present!) for TOKEN.
        3 protocol: optional string,
        /// `"default"` for TOKEN.
        4 server_id: optional string,
        /// The mechanism's first challenge, if the server has one.
        5 challenge: optional bytes,
    }

    /// `RpcSaslProto`: the payload of every SASL frame (callId −33).
    pub struct RpcSaslProto {
        /// Unused.
        1 version: optional uint32,
        2 state: required enumeration(SaslState),
        /// Mechanism bytes (challenge, response, rspauth, wrapped data).
        3 token: optional bytes,
        /// Offered (NEGOTIATE) or chosen (INITIATE) methods.
        4 auths: repeated message(SaslAuth),
    }

    /// `UserInformationProto`: who the client says it is.
    pub struct UserInformationProto {
        1 effective_user: optional string,
        /// For proxy users.
        2 real_user: optional string,
    }

    /// `IpcConnectionContextProto`: sent once per connection with callId −3 (no reply).
    pub struct IpcConnectionContextProto {
        /// There is no field 1. Empty for TOKEN auth.
        2 user_info: optional message(UserInformationProto),
        /// The protocol name the connection is for.
        3 protocol: optional string,
    }

    /// ProtobufRpcEngine2 `RequestHeaderProto`: which method of which protocol a call is for.
    pub struct RequestHeaderProto {
        /// E.g. `allocate`.
        1 method_name: required string,
        /// E.g.
        /// `org.apache.hadoop.yarn.api.ApplicationMasterProtocolPB`.
        2 declaring_class_protocol_name: required string,
        /// 1 for YARN.
        3 client_protocol_version: required uint64,
    }
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
