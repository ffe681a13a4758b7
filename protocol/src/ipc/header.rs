//! Constants of Hadoop IPC v9 and builders for every frame a client or server sends.

use bytes::Bytes;
use prost::Message;

use crate::ipc::frame::FrameBuilder;
use crate::proto::rpc::{
    IpcConnectionContextProto, OperationProto, RequestHeaderProto, RpcKindProto,
    RpcRequestHeaderProto, RpcResponseHeaderProto, RpcSaslProto, RpcStatusProto,
};

/// The first four preamble bytes.
pub const MAGIC: [u8; 4] = *b"hrpc";
/// `RpcConstants.CURRENT_VERSION`.
pub const IPC_VERSION: u8 = 9;
/// Preamble auth byte: no SASL (plain SIMPLE).
pub const AUTH_PROTOCOL_NONE: u8 = 0x00;
/// Preamble auth byte: SASL (−33).
pub const AUTH_PROTOCOL_SASL: u8 = 0xDF;

/// Call id of FATAL replies to authorization failures and version mismatches.
pub const AUTHORIZATION_FAILED_CALL_ID: i32 = -1;
/// Call id of the connection context (no reply).
pub const CONNECTION_CONTEXT_CALL_ID: i32 = -3;
/// Call id of pings (no reply).
pub const PING_CALL_ID: i32 = -4;
/// Call id of SASL messages.
pub const SASL_CALL_ID: i32 = -33;

/// The seven-byte connection preamble.
pub fn preamble(auth_protocol: u8) -> [u8; 7] {
    [
        MAGIC[0],
        MAGIC[1],
        MAGIC[2],
        MAGIC[3],
        IPC_VERSION,
        0,
        auth_protocol,
    ]
}

/// An `RpcRequestHeaderProto` as the Java client writes it.
pub fn request_header(call_id: i32, client_id: &[u8], retry_count: i32) -> RpcRequestHeaderProto {
    RpcRequestHeaderProto {
        rpc_kind: Some(RpcKindProto::RpcProtocolBuffer as i32),
        rpc_op: Some(OperationProto::RpcFinalPacket as i32),
        call_id,
        client_id: client_id.to_vec(),
        retry_count: Some(retry_count),
        ..Default::default()
    }
}

/// A client SASL frame body (callId −33, empty clientId, retry −1).
pub fn sasl_request(msg: &RpcSaslProto) -> Bytes {
    FrameBuilder::new()
        .message(&request_header(SASL_CALL_ID, &[], -1))
        .message(msg)
        .finish()
}

/// The connection-context frame body (callId −3, retry −1).
pub fn context_request(client_id: &[u8], context: &IpcConnectionContextProto) -> Bytes {
    FrameBuilder::new()
        .message(&request_header(CONNECTION_CONTEXT_CALL_ID, client_id, -1))
        .message(context)
        .finish()
}

/// A ping frame body (callId −4, header only).
pub fn ping_request(client_id: &[u8]) -> Bytes {
    FrameBuilder::new()
        .message(&request_header(PING_CALL_ID, client_id, -1))
        .finish()
}

/// A call frame body: header, `RequestHeaderProto`, then the request message.
pub fn call_request<M: Message>(
    call_id: i32,
    client_id: &[u8],
    retry_count: i32,
    method: &str,
    protocol: &str,
    protocol_version: u64,
    request: &M,
) -> Bytes {
    FrameBuilder::new()
        .message(&request_header(call_id, client_id, retry_count))
        .message(&RequestHeaderProto {
            method_name: method.to_string(),
            declaring_class_protocol_name: protocol.to_string(),
            client_protocol_version: protocol_version,
        })
        .message(request)
        .finish()
}

/// A response header as the Java server writes it (serverIpcVersionNum 9).
pub fn response_header(
    call_id: i32,
    status: RpcStatusProto,
    client_id: &[u8],
    retry_count: i32,
) -> RpcResponseHeaderProto {
    RpcResponseHeaderProto {
        call_id: call_id as u32,
        status: status as i32,
        server_ipc_version_num: Some(IPC_VERSION as u32),
        client_id: Some(client_id.to_vec()),
        retry_count: Some(retry_count),
        ..Default::default()
    }
}

/// A SUCCESS reply body carrying already-encoded `payload`.
pub fn success_response(call_id: i32, client_id: &[u8], retry_count: i32, payload: &[u8]) -> Bytes {
    FrameBuilder::new()
        .message(&response_header(
            call_id,
            RpcStatusProto::Success,
            client_id,
            retry_count,
        ))
        .raw(payload)
        .finish()
}

/// A SASL reply body (callId −33, SUCCESS) carrying `msg`.
pub fn sasl_response(msg: &RpcSaslProto) -> Bytes {
    FrameBuilder::new()
        .message(&response_header(
            SASL_CALL_ID,
            RpcStatusProto::Success,
            &[],
            -1,
        ))
        .message(msg)
        .finish()
}

/// A header-only ERROR or FATAL reply body.
pub fn error_response(
    call_id: i32,
    fatal: bool,
    client_id: &[u8],
    retry_count: i32,
    class_name: &str,
    message: &str,
    code: i32,
) -> Bytes {
    let status = if fatal {
        RpcStatusProto::Fatal
    } else {
        RpcStatusProto::Error
    };
    let mut header = response_header(call_id, status, client_id, retry_count);
    header.exception_class_name = Some(class_name.to_string());
    header.error_msg = Some(message.to_string());
    header.error_detail = Some(code);
    FrameBuilder::new().message(&header).finish()
}
