//! Bad input, one case per test: a raw socket plays a broken client against our server, or
//! a broken server against our client. Every case must end in a clear error and a closed
//! connection, never a panic or a hang (all waits are bounded).

mod ipc_support;

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use ipc_support::*;
use prost::Message;
use spindle_protocol::ipc::frame::{FrameBuilder, FrameParts};
use spindle_protocol::ipc::{ClientAuth, IpcClient, IpcError, header};
use spindle_protocol::proto::rpc::{
    IpcConnectionContextProto, RpcErrorCodeProto, RpcRequestHeaderProto, RpcResponseHeaderProto,
    RpcStatusProto, UserInformationProto,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CLIENT_ID: [u8; 16] = *b"0123456789abcdef";

// ---------------------------------------------------------------- broken clients → our server

async fn connect(
    cfg: spindle_protocol::ipc::ServerConfig,
) -> (spindle_protocol::ipc::IpcServer, TcpStream) {
    let (server, _) = echo_server(cfg).await;
    let stream = TcpStream::connect(server.local_addr()).await.unwrap();
    (server, stream)
}

/// Connects with SIMPLE and sends the connection context.
async fn simple_session() -> (spindle_protocol::ipc::IpcServer, TcpStream) {
    let (server, mut s) = connect(server_config(false, true)).await;
    s.write_all(&header::preamble(header::AUTH_PROTOCOL_NONE))
        .await
        .unwrap();
    let ctx = IpcConnectionContextProto {
        user_info: Some(UserInformationProto {
            effective_user: Some("a".into()),
            real_user: None,
        }),
        protocol: Some(ECHO_PROTOCOL.into()),
    };
    write_frame(&mut s, header::context_request(&CLIENT_ID, &ctx)).await;
    (server, s)
}

/// Reads the FATAL reply the server must send, then checks that it closes the connection.
async fn expect_fatal(s: &mut TcpStream, code: RpcErrorCodeProto) -> RpcResponseHeaderProto {
    let mut buf = BytesMut::new();
    let (h, parts) = read_response_header(s, &mut buf)
        .await
        .expect("a FATAL reply");
    assert_eq!(h.status, RpcStatusProto::Fatal as i32, "{h:?}");
    assert_eq!(h.error_detail, Some(code as i32), "{h:?}");
    assert!(parts.is_empty(), "FATAL is header-only");
    expect_closed(s).await;
    h
}

#[tokio::test]
async fn server_wrong_magic() {
    let (server, mut s) = connect(server_config(false, true)).await;
    s.write_all(b"hrpx\x09\x00\x00").await.unwrap();
    let h = expect_fatal(&mut s, RpcErrorCodeProto::FatalVersionMismatch).await;
    assert_eq!(h.call_id as i32, -1);
    assert_eq!(
        h.exception_class_name.as_deref(),
        Some("org.apache.hadoop.ipc.RPC$VersionMismatch")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn server_wrong_version() {
    let (server, mut s) = connect(server_config(false, true)).await;
    s.write_all(b"hrpc\x07\x00\x00").await.unwrap();
    let h = expect_fatal(&mut s, RpcErrorCodeProto::FatalVersionMismatch).await;
    assert!(h.error_msg.unwrap().contains("client version 7"));
    server.shutdown().await;
}

#[tokio::test]
async fn server_http_get() {
    let (server, mut s) = connect(server_config(false, true)).await;
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut text = String::new();
    tokio::time::timeout(TEST_TIMEOUT, s.read_to_string(&mut text))
        .await
        .unwrap()
        .unwrap();
    assert!(text.starts_with("HTTP/1.1 404"), "{text}");
    assert!(text.contains("Hadoop IPC port"));
    server.shutdown().await;
}

#[tokio::test]
async fn server_length_over_limit() {
    let mut cfg = server_config(false, true);
    cfg.max_frame_len = 1024;
    let (server, mut s) = connect(cfg).await;
    s.write_all(&header::preamble(header::AUTH_PROTOCOL_NONE))
        .await
        .unwrap();
    s.write_all(&4096u32.to_be_bytes()).await.unwrap();
    let h = expect_fatal(&mut s, RpcErrorCodeProto::FatalInvalidRpcHeader).await;
    assert!(h.error_msg.unwrap().contains("exceeds the limit"));
    server.shutdown().await;
}

#[tokio::test]
async fn server_negative_length() {
    let (server, mut s) = connect(server_config(false, true)).await;
    s.write_all(&header::preamble(header::AUTH_PROTOCOL_NONE))
        .await
        .unwrap();
    s.write_all(&(-5i32).to_be_bytes()).await.unwrap();
    let h = expect_fatal(&mut s, RpcErrorCodeProto::FatalInvalidRpcHeader).await;
    assert!(h.error_msg.unwrap().contains("must be positive"));
    server.shutdown().await;
}

#[tokio::test]
async fn server_garbage_protobuf_header() {
    let (server, mut s) = simple_session().await;
    // A delimited "header" whose field 1 has the invalid wire type 7.
    write_frame(&mut s, Bytes::from_static(b"\x03\x0f\x01\x02")).await;
    expect_fatal(&mut s, RpcErrorCodeProto::FatalDeserializingRequest).await;
    server.shutdown().await;
}

#[tokio::test]
async fn server_unknown_rpc_kind_enum() {
    let (server, mut s) = simple_session().await;
    let mut h = header::request_header(0, &CLIENT_ID, 0);
    h.rpc_kind = Some(7);
    write_frame(&mut s, FrameBuilder::new().message(&h).finish()).await;
    let reply = expect_fatal(&mut s, RpcErrorCodeProto::FatalInvalidRpcHeader).await;
    assert!(reply.error_msg.unwrap().contains("Unknown rpc kind 7"));
    server.shutdown().await;
}

#[tokio::test]
async fn server_unknown_out_of_band_call_id() {
    let (server, mut s) = simple_session().await;
    let h = header::request_header(-7, &CLIENT_ID, -1);
    write_frame(&mut s, FrameBuilder::new().message(&h).finish()).await;
    let reply = expect_fatal(&mut s, RpcErrorCodeProto::FatalInvalidRpcHeader).await;
    assert_eq!(reply.call_id as i32, -7);
    server.shutdown().await;
}

#[tokio::test]
async fn server_call_before_context() {
    let (server, mut s) = connect(server_config(false, true)).await;
    s.write_all(&header::preamble(header::AUTH_PROTOCOL_NONE))
        .await
        .unwrap();
    write_frame(
        &mut s,
        header::call_request(0, &CLIENT_ID, 0, "echo", ECHO_PROTOCOL, 1, &echo("x")),
    )
    .await;
    let reply = expect_fatal(&mut s, RpcErrorCodeProto::FatalInvalidRpcHeader).await;
    assert!(
        reply
            .error_msg
            .unwrap()
            .contains("Connection context not established")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn server_truncated_call_frame() {
    let (server, mut s) = simple_session().await;
    // A call whose frame holds only the RPC header (no RequestHeaderProto, no request).
    let h: RpcRequestHeaderProto = header::request_header(3, &CLIENT_ID, 0);
    write_frame(&mut s, FrameBuilder::new().message(&h).finish()).await;
    let reply = expect_fatal(&mut s, RpcErrorCodeProto::FatalDeserializingRequest).await;
    assert_eq!(reply.call_id, 3);
    server.shutdown().await;
}

#[tokio::test]
async fn server_peer_stops_mid_frame() {
    let (server, mut s) = simple_session().await;
    s.write_all(&100u32.to_be_bytes()).await.unwrap();
    s.write_all(b"only ten b").await.unwrap();
    s.shutdown().await.unwrap();
    expect_closed(&mut s).await;
    server.shutdown().await;
}

#[tokio::test]
async fn server_silent_peer_times_out_in_handshake() {
    let mut cfg = server_config(false, true);
    cfg.handshake_timeout = Duration::from_millis(200);
    let (server, mut s) = connect(cfg).await;
    s.write_all(b"hrp").await.unwrap(); // and then nothing
    expect_closed(&mut s).await;
    server.shutdown().await;
}

#[tokio::test]
async fn server_wrong_sasl_state() {
    let (server, mut s) = connect(server_config(true, false)).await;
    s.write_all(&header::preamble(header::AUTH_PROTOCOL_SASL))
        .await
        .unwrap();
    // RESPONSE before anything else.
    let msg = spindle_protocol::proto::rpc::RpcSaslProto {
        state: 4,
        ..Default::default()
    };
    write_frame(&mut s, header::sasl_request(&msg)).await;
    let reply = expect_fatal(&mut s, RpcErrorCodeProto::FatalUnauthorized).await;
    assert_eq!(reply.call_id as i32, -33);
    assert_eq!(
        reply.exception_class_name.as_deref(),
        Some("javax.security.sasl.SaslException")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn server_ping_and_wrong_call_ids_are_fine() {
    // Pings are ignored; a call id the client never used before still gets its echo.
    let (server, mut s) = simple_session().await;
    write_frame(&mut s, header::ping_request(&CLIENT_ID)).await;
    write_frame(
        &mut s,
        header::call_request(12345, &CLIENT_ID, 2, "echo", ECHO_PROTOCOL, 1, &echo("x")),
    )
    .await;
    let mut buf = BytesMut::new();
    let (h, mut parts) = read_response_header(&mut s, &mut buf).await.unwrap();
    assert_eq!(
        (h.call_id, h.retry_count, h.client_id.as_deref()),
        (12345, Some(2), Some(&CLIENT_ID[..]))
    );
    let resp = EchoResponse::decode(parts.expect_raw("resp").unwrap()).unwrap();
    assert_eq!(resp.msg, "x");
    server.shutdown().await;
}

// ---------------------------------------------------------------- broken servers → our client

/// A fake server: accepts one connection, reads preamble, context and one call, then lets
/// `misbehave` answer. Returns the client's result.
async fn against_fake_server<F, Fut>(max_response_len: usize, misbehave: F) -> IpcError
where
    F: FnOnce(TcpStream, i32, Vec<u8>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let fake = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut preamble = [0u8; 7];
        s.read_exact(&mut preamble).await.unwrap();
        let mut buf = BytesMut::new();
        let _context = read_frame(&mut s, &mut buf).await.unwrap();
        let call = read_frame(&mut s, &mut buf).await.unwrap();
        let h: RpcRequestHeaderProto = FrameParts::new(call).expect("header").unwrap();
        misbehave(s, h.call_id, h.client_id).await;
    });
    let mut cfg = client_config(addr, ClientAuth::Simple { user: "a".into() });
    cfg.max_response_len = max_response_len;
    cfg.retry = spindle_protocol::ipc::RetryPolicy::none();
    let client = IpcClient::new(cfg);
    let result = tokio::time::timeout(
        TEST_TIMEOUT,
        client.call::<_, EchoResponse>("echo", &echo("x")),
    )
    .await
    .expect("client hung");
    tokio::time::timeout(TEST_TIMEOUT, fake)
        .await
        .unwrap()
        .unwrap();
    result.expect_err("the fake server misbehaved")
}

fn response(call_id: i32, client_id: &[u8], status: i32) -> Bytes {
    let mut h = header::response_header(call_id, RpcStatusProto::Success, client_id, 0);
    h.status = status;
    FrameBuilder::new()
        .message(&h)
        .raw(&echo("r").encode_to_vec())
        .finish()
}

#[tokio::test]
async fn client_response_for_unknown_call_id() {
    let err = against_fake_server(1 << 20, |mut s, id, cid| async move {
        write_frame(&mut s, response(id + 1000, &cid, 0)).await;
        expect_closed(&mut s).await;
    })
    .await;
    assert!(
        matches!(&err, IpcError::Protocol(m) if m.contains("unknown call id")),
        "{err}"
    );
}

#[tokio::test]
async fn client_mismatched_client_id() {
    let err = against_fake_server(1 << 20, |mut s, id, _| async move {
        write_frame(&mut s, response(id, b"ffffffffffffffff", 0)).await;
        expect_closed(&mut s).await;
    })
    .await;
    assert!(
        matches!(&err, IpcError::Protocol(m) if m.contains("client id")),
        "{err}"
    );
}

#[tokio::test]
async fn client_unknown_status_enum() {
    let err = against_fake_server(1 << 20, |mut s, id, cid| async move {
        write_frame(&mut s, response(id, &cid, 7)).await;
        expect_closed(&mut s).await;
    })
    .await;
    assert!(
        matches!(&err, IpcError::Protocol(m) if m.contains("unknown response status 7")),
        "{err}"
    );
}

#[tokio::test]
async fn client_garbage_response_header() {
    let err = against_fake_server(1 << 20, |mut s, _, _| async move {
        write_frame(&mut s, Bytes::from_static(b"\x02\xff\xff")).await;
        expect_closed(&mut s).await;
    })
    .await;
    assert!(
        matches!(&err, IpcError::Protocol(m) if m.contains("RpcResponseHeaderProto")),
        "{err}"
    );
}

#[tokio::test]
async fn client_response_over_limit() {
    let err = against_fake_server(64, |mut s, _, _| async move {
        s.write_all(&1_000_000u32.to_be_bytes()).await.unwrap();
        expect_closed(&mut s).await;
    })
    .await;
    assert!(
        matches!(&err, IpcError::Protocol(m) if m.contains("exceeds the limit")),
        "{err}"
    );
}

#[tokio::test]
async fn client_server_stops_mid_frame() {
    let err = against_fake_server(1 << 20, |mut s, _, _| async move {
        s.write_all(&50u32.to_be_bytes()).await.unwrap();
        s.write_all(b"partial").await.unwrap();
        // Dropping the socket closes it.
    })
    .await;
    assert!(
        matches!(&err, IpcError::ConnectionLost(m) if m.contains("mid-frame")),
        "{err}"
    );
}

#[tokio::test]
async fn client_fatal_fails_the_call() {
    let err = against_fake_server(1 << 20, |mut s, id, cid| async move {
        let frame =
            header::error_response(id, true, &cid, 0, "java.io.IOException", "going away", 10);
        write_frame(&mut s, frame).await;
    })
    .await;
    let remote = err.remote().expect("remote FATAL");
    assert!(remote.fatal && remote.is("IOException"), "{err}");
}

#[tokio::test]
async fn client_missing_response_body() {
    let err = against_fake_server(1 << 20, |mut s, id, cid| async move {
        let h = header::response_header(id, RpcStatusProto::Success, &cid, 0);
        write_frame(&mut s, FrameBuilder::new().message(&h).finish()).await;
        expect_closed(&mut s).await;
    })
    .await;
    assert!(
        matches!(&err, IpcError::Protocol(m) if m.contains("response message")),
        "{err}"
    );
}

#[tokio::test]
async fn client_server_requires_privacy_qop() {
    use spindle_protocol::proto::rpc::{RpcSaslProto, SaslState};
    use spindle_protocol::sasl::server::token_auth as token_offer;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let fake = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut preamble = [0u8; 7];
        s.read_exact(&mut preamble).await.unwrap();
        assert_eq!(preamble, header::preamble(header::AUTH_PROTOCOL_SASL));
        let mut buf = BytesMut::new();
        let _negotiate = read_frame(&mut s, &mut buf).await.unwrap();
        let mut offer = token_offer();
        offer.challenge = Some(b"realm=\"default\",nonce=\"n\",qop=\"auth-conf\",cipher=\"3des\",charset=utf-8,algorithm=md5-sess".to_vec());
        let reply = RpcSaslProto {
            version: None,
            state: SaslState::Negotiate as i32,
            token: None,
            auths: vec![offer],
        };
        write_frame(&mut s, header::sasl_response(&reply)).await;
        expect_closed(&mut s).await;
    });
    let mut cfg = client_config(addr, token_auth(b"app"));
    cfg.retry = spindle_protocol::ipc::RetryPolicy::none();
    let client = IpcClient::new(cfg);
    let err = tokio::time::timeout(
        TEST_TIMEOUT,
        client.call::<_, EchoResponse>("echo", &echo("x")),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert!(
        matches!(&err, IpcError::Auth(m) if m.contains("not supported yet")),
        "{err}"
    );
    drop(client);
    tokio::time::timeout(TEST_TIMEOUT, fake)
        .await
        .unwrap()
        .unwrap();
}
