//! Bad input: a raw socket plays a broken client against our server, or a broken server
//! against our client. Every case must end in a clear error and a closed connection, never a
//! panic or a hang (all waits are bounded). The cases that end the same way (a FATAL reply, a
//! client error) are tables; each row says what it checks.

mod ipc_support;

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use ipc_support::*;
use prost::Message;
use spindle_protocol::ipc::frame::{FrameBuilder, FrameCodec};
use spindle_protocol::ipc::{IpcClient, IpcError, ServerConfig, header};
use spindle_protocol::proto::rpc::{
    IpcConnectionContextProto, RpcErrorCodeProto, RpcResponseHeaderProto, RpcSaslProto,
    RpcStatusProto, UserInformationProto,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::Encoder;

const CLIENT_ID: [u8; 16] = *b"0123456789abcdef";

/// `body` with its 4-byte length, as it goes on the wire.
fn framed(body: Bytes) -> Vec<u8> {
    let mut out = BytesMut::new();
    FrameCodec::default().encode(body, &mut out).unwrap();
    out.to_vec()
}

// ---------------------------------------------------------------- broken clients → our server

async fn connect(cfg: ServerConfig) -> (spindle_protocol::ipc::IpcServer, TcpStream) {
    let (server, _) = echo_server(cfg).await;
    let stream = TcpStream::connect(server.local_addr()).await.unwrap();
    (server, stream)
}

/// Connects with SIMPLE and sends the connection context.
async fn simple_session() -> (spindle_protocol::ipc::IpcServer, TcpStream) {
    let (server, mut s) = connect(server_config(false, true)).await;
    s.write_all(&Opening::SimpleSession.bytes()).await.unwrap();
    (server, s)
}

/// What a broken client sends before its bad bytes.
#[derive(Clone, Copy)]
enum Opening {
    /// Nothing.
    None,
    /// A preamble with this auth protocol.
    Preamble(u8),
    /// A SIMPLE preamble and a valid connection context.
    SimpleSession,
}

impl Opening {
    fn bytes(self) -> Vec<u8> {
        match self {
            Opening::None => Vec::new(),
            Opening::Preamble(auth) => header::preamble(auth).to_vec(),
            Opening::SimpleSession => {
                let ctx = IpcConnectionContextProto {
                    user_info: Some(UserInformationProto {
                        effective_user: Some("a".into()),
                        real_user: None,
                    }),
                    protocol: Some(ECHO_PROTOCOL.into()),
                };
                let mut out = header::preamble(header::AUTH_PROTOCOL_NONE).to_vec();
                out.extend(framed(header::context_request(&CLIENT_ID, &ctx)));
                out
            }
        }
    }
}

/// A broken client the server must answer with a FATAL reply and a closed connection.
struct FatalCase {
    /// What the row checks.
    case: &'static str,
    config: ServerConfig,
    opening: Opening,
    /// The bad bytes.
    send: Vec<u8>,
    code: RpcErrorCodeProto,
    /// The call id of the reply, when the case pins it.
    call_id: Option<i32>,
    /// The exception class of the reply, when the case pins it.
    class: Option<&'static str>,
    /// Text the reply's message must contain.
    says: &'static str,
}

/// A header-only frame holding `h`.
fn header_frame(h: &spindle_protocol::proto::rpc::RpcRequestHeaderProto) -> Vec<u8> {
    framed(FrameBuilder::new().message(h).finish())
}

fn fatal_cases() -> Vec<FatalCase> {
    let simple_only = || server_config(false, true);
    let mut small_frames = simple_only();
    small_frames.max_frame_len = 1024;
    let mut unknown_kind = header::request_header(0, &CLIENT_ID, 0);
    unknown_kind.rpc_kind = Some(7);
    let none = header::AUTH_PROTOCOL_NONE;
    // RESPONSE before anything else.
    let early_response = RpcSaslProto {
        state: 4,
        ..Default::default()
    };
    // A header without its required callId (field 3): rpcKind, rpcOp, clientId, retryCount.
    let mut no_call_id = vec![0x08, 0x02, 0x10, 0x00, 0x22, 0x10];
    no_call_id.extend_from_slice(&CLIENT_ID);
    no_call_id.extend_from_slice(&[0x28, 0x00]);
    vec![
        FatalCase {
            case: "request header without its required callId",
            config: simple_only(),
            opening: Opening::SimpleSession,
            send: framed(FrameBuilder::new().raw(&no_call_id).finish()),
            code: RpcErrorCodeProto::FatalDeserializingRequest,
            call_id: Some(-1),
            class: None,
            says: "missing required fields: callId",
        },
        FatalCase {
            // Before authentication only SASL-sized frames: no 100 kB buffer for a stranger.
            case: "large frame before authentication",
            config: server_config(true, false),
            opening: Opening::Preamble(header::AUTH_PROTOCOL_SASL),
            send: 100_000u32.to_be_bytes().to_vec(),
            code: RpcErrorCodeProto::FatalInvalidRpcHeader,
            call_id: None,
            class: None,
            says: "exceeds the limit of 65536",
        },
        FatalCase {
            case: "wrong magic",
            config: simple_only(),
            opening: Opening::None,
            send: b"hrpx\x09\x00\x00".to_vec(),
            code: RpcErrorCodeProto::FatalVersionMismatch,
            call_id: Some(-1),
            class: Some("org.apache.hadoop.ipc.RPC$VersionMismatch"),
            says: "",
        },
        FatalCase {
            case: "wrong version",
            config: simple_only(),
            opening: Opening::None,
            send: b"hrpc\x07\x00\x00".to_vec(),
            code: RpcErrorCodeProto::FatalVersionMismatch,
            call_id: None,
            class: None,
            says: "client version 7",
        },
        FatalCase {
            case: "length over the limit",
            config: small_frames,
            opening: Opening::Preamble(none),
            send: 4096u32.to_be_bytes().to_vec(),
            code: RpcErrorCodeProto::FatalInvalidRpcHeader,
            call_id: None,
            class: None,
            says: "exceeds the limit",
        },
        FatalCase {
            case: "negative length",
            config: simple_only(),
            opening: Opening::Preamble(none),
            send: (-5i32).to_be_bytes().to_vec(),
            code: RpcErrorCodeProto::FatalInvalidRpcHeader,
            call_id: None,
            class: None,
            says: "must be positive",
        },
        FatalCase {
            // A delimited "header" whose field 1 has the invalid wire type 7.
            case: "garbage protobuf header",
            config: simple_only(),
            opening: Opening::SimpleSession,
            send: framed(Bytes::from_static(b"\x03\x0f\x01\x02")),
            code: RpcErrorCodeProto::FatalDeserializingRequest,
            call_id: None,
            class: None,
            says: "",
        },
        FatalCase {
            case: "unknown rpc kind enum",
            config: simple_only(),
            opening: Opening::SimpleSession,
            send: header_frame(&unknown_kind),
            code: RpcErrorCodeProto::FatalInvalidRpcHeader,
            call_id: None,
            class: None,
            says: "Unknown rpc kind 7",
        },
        FatalCase {
            case: "unknown out-of-band call id",
            config: simple_only(),
            opening: Opening::SimpleSession,
            send: header_frame(&header::request_header(-7, &CLIENT_ID, -1)),
            code: RpcErrorCodeProto::FatalInvalidRpcHeader,
            call_id: Some(-7),
            class: None,
            says: "",
        },
        FatalCase {
            case: "call before the connection context",
            config: simple_only(),
            opening: Opening::Preamble(none),
            send: framed(header::call_request(
                0,
                &CLIENT_ID,
                0,
                "echo",
                ECHO_PROTOCOL,
                1,
                &echo("x"),
            )),
            code: RpcErrorCodeProto::FatalInvalidRpcHeader,
            call_id: None,
            class: None,
            says: "Connection context not established",
        },
        FatalCase {
            // A call whose frame holds only the RPC header (no RequestHeaderProto, no request).
            case: "truncated call frame",
            config: simple_only(),
            opening: Opening::SimpleSession,
            send: header_frame(&header::request_header(3, &CLIENT_ID, 0)),
            code: RpcErrorCodeProto::FatalDeserializingRequest,
            call_id: Some(3),
            class: None,
            says: "",
        },
        FatalCase {
            case: "SASL RESPONSE out of turn",
            config: server_config(true, false),
            opening: Opening::Preamble(header::AUTH_PROTOCOL_SASL),
            send: framed(header::sasl_request(&early_response)),
            code: RpcErrorCodeProto::FatalUnauthorized,
            call_id: Some(-33),
            class: Some("javax.security.sasl.SaslException"),
            says: "",
        },
    ]
}

#[tokio::test]
async fn broken_clients_get_a_fatal_reply_and_a_closed_connection() {
    for c in fatal_cases() {
        let (server, mut s) = connect(c.config).await;
        let sent = async {
            s.write_all(&c.opening.bytes()).await?;
            s.write_all(&c.send).await
        };
        sent.await
            .unwrap_or_else(|e| panic!("{}: sending: {e}", c.case));
        let mut buf = BytesMut::new();
        let (h, parts): (RpcResponseHeaderProto, _) = read_response_header(&mut s, &mut buf)
            .await
            .unwrap_or_else(|| panic!("{}: no FATAL reply", c.case));
        assert_eq!(h.status, RpcStatusProto::Fatal as i32, "{}: {h:?}", c.case);
        assert_eq!(h.error_detail, Some(c.code as i32), "{}: {h:?}", c.case);
        assert!(parts.is_empty(), "{}: FATAL is header-only", c.case);
        if let Some(id) = c.call_id {
            assert_eq!(h.call_id as i32, id, "{}", c.case);
        }
        if let Some(class) = c.class {
            assert_eq!(h.exception_class_name.as_deref(), Some(class), "{}", c.case);
        }
        let said = h.error_msg.unwrap_or_default();
        assert!(said.contains(c.says), "{}: {said}", c.case);
        expect_closed(&mut s, c.case).await;
        server.shutdown().await;
    }
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

/// A peer that stops partway gets its connection closed (no reply): when its stream ends in the
/// middle of a frame, or when it falls silent in the handshake and the handshake timeout passes.
#[tokio::test]
async fn server_closes_on_a_peer_that_stops_partway() {
    let mut quick_handshake = server_config(false, true);
    quick_handshake.handshake_timeout = Duration::from_millis(200);
    // (case, server config, opening, bytes sent then, whether the peer then ends its stream)
    let cases = [
        (
            "stream ends mid-frame",
            server_config(false, true),
            Opening::SimpleSession,
            [&100u32.to_be_bytes()[..], b"only ten b"].concat(),
            true,
        ),
        (
            "silent in the handshake",
            quick_handshake,
            Opening::None,
            b"hrp".to_vec(),
            false,
        ),
    ];
    for (case, cfg, opening, send, end_stream) in cases {
        let (server, mut s) = connect(cfg).await;
        let sent = async {
            s.write_all(&opening.bytes()).await?;
            s.write_all(&send).await?;
            if end_stream {
                s.shutdown().await?;
            }
            std::io::Result::Ok(())
        };
        sent.await
            .unwrap_or_else(|e| panic!("{case}: sending: {e}"));
        expect_closed(&mut s, case).await;
        server.shutdown().await;
    }
}

#[tokio::test]
async fn server_closes_an_idle_authenticated_connection() {
    let mut cfg = server_config(false, true);
    cfg.max_idle = Duration::from_millis(300);
    let (server, mut s) = connect(cfg).await;
    s.write_all(&Opening::SimpleSession.bytes()).await.unwrap();
    // A call keeps it open while it runs and resets the idle clock.
    write_frame(
        &mut s,
        header::call_request(1, &CLIENT_ID, 0, "echo", ECHO_PROTOCOL, 1, &echo("x")),
    )
    .await;
    let mut buf = BytesMut::new();
    let (h, _) = read_response_header(&mut s, &mut buf).await.unwrap();
    assert_eq!(h.status, RpcStatusProto::Success as i32);
    let idle_since = std::time::Instant::now();
    expect_closed(&mut s, "idle after its call").await;
    let waited = idle_since.elapsed();
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "{waited:?}"
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

/// A broken server: after reading the call, it sends `send(call id, client id)` and, if
/// `then_wait`, waits for the client to close; `fails` says whether the client's error is the
/// right one.
struct BrokenServerCase {
    /// What the row checks.
    case: &'static str,
    max_response_len: usize,
    send: fn(i32, &[u8]) -> Vec<u8>,
    then_wait: bool,
    fails: fn(&IpcError) -> bool,
}

const MIB: usize = 1 << 20;

fn protocol_error(err: &IpcError, text: &str) -> bool {
    matches!(err, IpcError::Protocol(m) if m.contains(text))
}

const BROKEN_SERVERS: &[BrokenServerCase] = &[
    BrokenServerCase {
        case: "response for an unknown call id",
        max_response_len: MIB,
        send: |id, cid| framed(echo_reply(id + 1000, cid, 0, "r")),
        then_wait: true,
        fails: |e| protocol_error(e, "unknown call id"),
    },
    BrokenServerCase {
        case: "mismatched client id",
        max_response_len: MIB,
        send: |id, _| framed(echo_reply(id, b"ffffffffffffffff", 0, "r")),
        then_wait: true,
        fails: |e| protocol_error(e, "client id"),
    },
    BrokenServerCase {
        case: "unknown status enum",
        max_response_len: MIB,
        send: |id, cid| framed(echo_reply(id, cid, 7, "r")),
        then_wait: true,
        fails: |e| protocol_error(e, "unknown response status 7"),
    },
    BrokenServerCase {
        case: "garbage response header",
        max_response_len: MIB,
        send: |_, _| framed(Bytes::from_static(b"\x02\xff\xff")),
        then_wait: true,
        fails: |e| protocol_error(e, "RpcResponseHeaderProto"),
    },
    BrokenServerCase {
        case: "response over the limit",
        max_response_len: 64,
        send: |_, _| 1_000_000u32.to_be_bytes().to_vec(),
        then_wait: true,
        fails: |e| protocol_error(e, "exceeds the limit"),
    },
    BrokenServerCase {
        // Dropping the socket closes it.
        case: "server stops mid-frame",
        max_response_len: MIB,
        send: |_, _| [&50u32.to_be_bytes()[..], b"partial"].concat(),
        then_wait: false,
        fails: |e| matches!(e, IpcError::ConnectionLost(m) if m.contains("mid-frame")),
    },
    BrokenServerCase {
        case: "FATAL fails the call",
        max_response_len: MIB,
        send: |id, cid| {
            let class = "java.io.IOException";
            framed(header::error_response(
                id,
                true,
                cid,
                0,
                class,
                "going away",
                10,
            ))
        },
        then_wait: false,
        fails: |e| e.remote().is_some_and(|r| r.fatal && r.is("IOException")),
    },
    BrokenServerCase {
        case: "missing response body",
        max_response_len: MIB,
        send: |id, cid| {
            let h = header::response_header(id, RpcStatusProto::Success, cid, 0);
            framed(FrameBuilder::new().message(&h).finish())
        },
        then_wait: true,
        fails: |e| protocol_error(e, "response message"),
    },
];

/// One echo call with `cfg` and no connect retries, against the fake server task `fake`, which
/// must end too; both are bounded by [`TEST_TIMEOUT`].
async fn call_once(
    mut cfg: spindle_protocol::ipc::ClientConfig,
    fake: tokio::task::JoinHandle<()>,
) -> Result<EchoResponse, IpcError> {
    cfg.retry = spindle_protocol::ipc::RetryPolicy::none();
    let client = IpcClient::new(cfg);
    let result = tokio::time::timeout(
        TEST_TIMEOUT,
        client.call::<_, EchoResponse>("echo", &echo("x")),
    )
    .await
    .expect("the client hung");
    // The client is still alive here: the fake server sees a close the client made itself.
    tokio::time::timeout(TEST_TIMEOUT, fake)
        .await
        .expect("the fake server hung")
        .unwrap();
    drop(client);
    result
}

#[tokio::test]
async fn broken_servers_fail_the_call_with_a_clear_error() {
    for c in BROKEN_SERVERS {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (case, send, then_wait) = (c.case, c.send, c.then_wait);
        let fake = tokio::spawn(async move {
            let (mut s, _, h) = accept_one_call(listener).await;
            s.write_all(&send(h.call_id, &h.client_id)).await.unwrap();
            if then_wait {
                expect_closed(&mut s, case).await;
            }
        });
        let mut cfg = client_config(addr, simple("a"));
        cfg.max_response_len = c.max_response_len;
        let result = call_once(cfg, fake).await;
        let err = result.expect_err(c.case);
        assert!((c.fails)(&err), "{}: {err}", c.case);
    }
}

#[tokio::test]
async fn client_refuses_a_server_that_requires_privacy_when_configured_for_authentication() {
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
        expect_closed(&mut s, "client refusing privacy").await;
    });
    let err = call_once(client_config(addr, token_auth(b"app")), fake)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, IpcError::Auth(m) if m.contains("No common protection layer") && m.contains("ours is [authentication]") && m.contains("offers [privacy]")),
        "{err}"
    );
}
