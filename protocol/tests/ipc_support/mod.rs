//! Shared pieces of the IPC loopback, ping and bad-input tests: a small echo service, an
//! HMAC-SHA1 secret manager, client shorthands, and raw-socket helpers for playing a fake or
//! misbehaving peer.
#![allow(dead_code)]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use prost::Message;
use spindle_protocol::ipc::frame::{FrameCodec, FrameParts};
use spindle_protocol::ipc::{
    CallContext, CallFuture, CallerAuth, ClientAuth, ClientConfig, InvalidToken, IpcClient,
    IpcError, IpcServer, SecretManager, ServerConfig, Service, ServiceError, TokenIdentity, header,
};
use spindle_protocol::proto::rpc::{RpcRequestHeaderProto, RpcResponseHeaderProto, RpcStatusProto};
use spindle_protocol::token::hmac_sha1_password;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{Decoder, Encoder};

/// Protocol name of the echo service.
pub const ECHO_PROTOCOL: &str = "org.spindle.test.EchoProtocolPB";
/// Master key of the test secret manager.
pub const MASTER_KEY: &[u8] = b"test-master-key";
/// Every wait in these tests is bounded by this.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Echo request.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EchoRequest {
    /// Text to echo.
    #[prost(string, tag = "1")]
    pub msg: String,
    /// Wait this long before answering.
    #[prost(uint64, tag = "2")]
    pub delay_ms: u64,
}

/// Echo response.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EchoResponse {
    /// The echoed text.
    #[prost(string, tag = "1")]
    pub msg: String,
    /// The caller's user as the server saw it.
    #[prost(string, tag = "2")]
    pub user: String,
    /// "simple" or "token".
    #[prost(string, tag = "3")]
    pub auth: String,
    /// The caller's port (identifies the connection).
    #[prost(uint32, tag = "4")]
    pub peer_port: u32,
}

/// Echoes; `fail` throws a YarnException; anything else is an unknown method.
#[derive(Default)]
pub struct EchoService {
    /// Peer ports seen (one per connection).
    pub peers: Mutex<HashSet<u16>>,
    /// Calls running right now.
    pub running: Arc<AtomicUsize>,
    /// Most calls seen running at once.
    pub max_running: Arc<AtomicUsize>,
}

impl Service for EchoService {
    fn protocol_name(&self) -> &str {
        ECHO_PROTOCOL
    }

    fn call(&self, ctx: CallContext, method: &str, request: Bytes) -> CallFuture {
        self.peers.lock().unwrap().insert(ctx.peer.port());
        let method = method.to_string();
        let running = self.running.clone();
        let max_running = self.max_running.clone();
        Box::pin(async move {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            max_running.fetch_max(now, Ordering::SeqCst);
            let result = Self::handle(ctx, &method, request).await;
            running.fetch_sub(1, Ordering::SeqCst);
            result
        })
    }
}

impl EchoService {
    async fn handle(ctx: CallContext, method: &str, request: Bytes) -> Result<Bytes, ServiceError> {
        {
            let req =
                EchoRequest::decode(request).map_err(|e| ServiceError::bad_request(method, e))?;
            match method {
                "echo" => {
                    if req.delay_ms > 0 {
                        tokio::time::sleep(Duration::from_millis(req.delay_ms)).await;
                    }
                    let auth = match ctx.auth {
                        CallerAuth::Simple => "simple",
                        CallerAuth::Token { .. } => "token",
                        CallerAuth::Kerberos { .. } => "kerberos",
                    };
                    Ok(EchoResponse {
                        msg: req.msg,
                        user: ctx.user,
                        auth: auth.into(),
                        peer_port: ctx.peer.port() as u32,
                    }
                    .encode_to_vec()
                    .into())
                }
                "fail" => Err(ServiceError::new(
                    "org.apache.hadoop.yarn.exceptions.YarnException",
                    format!("failing on purpose: {}", req.msg),
                )),
                other => Err(ServiceError::no_such_method(ECHO_PROTOCOL, other)),
            }
        }
    }
}

/// Passwords are HMAC-SHA1(MASTER_KEY, identifier); identifiers starting with `bad` are
/// rejected; the user is `user-<identifier as text>`.
pub struct HmacSecretManager;

impl SecretManager for HmacSecretManager {
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
        if identifier.starts_with(b"bad") {
            return Err(InvalidToken("token has expired".into()));
        }
        Ok(TokenIdentity {
            password: hmac_sha1_password(MASTER_KEY, identifier),
            user: format!("user-{}", String::from_utf8_lossy(identifier)),
        })
    }
}

/// A token for `identifier` with the right password.
pub fn token_auth(identifier: &[u8]) -> ClientAuth {
    ClientAuth::Token {
        identifier: identifier.to_vec(),
        password: hmac_sha1_password(MASTER_KEY, identifier),
        user: "fallback-user".into(),
    }
}

/// Server config on an ephemeral loopback port.
pub fn server_config(token: bool, simple: bool) -> ServerConfig {
    let mut cfg = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    cfg.allow_simple = simple;
    if token {
        cfg.secret_manager = Some(Arc::new(HmacSecretManager));
    }
    cfg.shutdown_grace = Duration::from_secs(2);
    cfg
}

/// Starts an echo server.
pub async fn echo_server(cfg: ServerConfig) -> (IpcServer, Arc<EchoService>) {
    let service = Arc::new(EchoService::default());
    let server = IpcServer::bind(cfg, vec![service.clone() as Arc<dyn Service>])
        .await
        .unwrap();
    (server, service)
}

/// A client config for the echo protocol with short test timeouts.
pub fn client_config(addr: SocketAddr, auth: ClientAuth) -> ClientConfig {
    let mut cfg = ClientConfig::new(addr.to_string(), ECHO_PROTOCOL, auth);
    cfg.connect_timeout = Duration::from_secs(5);
    cfg.call_timeout = Duration::from_secs(5);
    cfg
}

/// SIMPLE authentication as `user`.
pub fn simple(user: &str) -> ClientAuth {
    ClientAuth::Simple { user: user.into() }
}

/// A client of `server` authenticating with `auth`, with the test timeouts.
pub fn client_of(server: &IpcServer, auth: ClientAuth) -> IpcClient {
    IpcClient::new(client_config(server.local_addr(), auth))
}

/// An echo request.
pub fn echo(msg: &str) -> EchoRequest {
    EchoRequest {
        msg: msg.into(),
        delay_ms: 0,
    }
}

/// One `echo` call, bounded by [`TEST_TIMEOUT`].
pub async fn call(client: &IpcClient, msg: &str) -> Result<EchoResponse, IpcError> {
    tokio::time::timeout(TEST_TIMEOUT, client.call("echo", &echo(msg)))
        .await
        .expect("call hung")
}

/// An address nothing listens on (a free port, closed again).
pub fn unused_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A fake server's start: accepts one connection on `listener`, reads the preamble, the
/// connection context and one call. Returns the connection, its read buffer and the call's
/// header.
pub async fn accept_one_call(
    listener: TcpListener,
) -> (TcpStream, BytesMut, RpcRequestHeaderProto) {
    let (mut s, _) = listener.accept().await.unwrap();
    let mut preamble = [0u8; 7];
    s.read_exact(&mut preamble).await.unwrap();
    let mut buf = BytesMut::new();
    let _context = read_frame(&mut s, &mut buf).await.unwrap();
    let call = read_frame(&mut s, &mut buf).await.unwrap();
    let call_header = FrameParts::new(call).expect("header").unwrap();
    (s, buf, call_header)
}

/// A reply frame with `status` (a raw value, so tests can send unknown ones) and an echo of
/// `msg` as the response message.
pub fn echo_reply(call_id: i32, client_id: &[u8], status: i32, msg: &str) -> Bytes {
    let mut h = header::response_header(call_id, RpcStatusProto::Success, client_id, 0);
    h.status = status;
    spindle_protocol::ipc::frame::FrameBuilder::new()
        .message(&h)
        .raw(&echo(msg).encode_to_vec())
        .finish()
}

/// Reads one frame body from a raw socket (None at a clean EOF).
pub async fn read_frame(stream: &mut TcpStream, buf: &mut BytesMut) -> Option<Bytes> {
    let mut codec = FrameCodec::default();
    loop {
        if let Some(frame) = codec.decode(buf).unwrap() {
            return Some(frame);
        }
        let n = tokio::time::timeout(TEST_TIMEOUT, stream.read_buf(buf))
            .await
            .expect("peer neither sent a frame nor closed")
            .unwrap_or(0);
        if n == 0 {
            return None;
        }
    }
}

/// Reads one frame and decodes its response header.
pub async fn read_response_header(
    stream: &mut TcpStream,
    buf: &mut BytesMut,
) -> Option<(RpcResponseHeaderProto, FrameParts)> {
    let body = read_frame(stream, buf).await?;
    let mut parts = FrameParts::new(body);
    let header = parts.expect("RpcResponseHeaderProto").unwrap();
    Some((header, parts))
}

/// Writes a length-prefixed frame.
pub async fn write_frame(stream: &mut TcpStream, body: Bytes) {
    let mut out = BytesMut::new();
    FrameCodec::default().encode(body, &mut out).unwrap();
    stream.write_all(&out).await.unwrap();
}

/// Waits (bounded) until the peer closes the connection, discarding anything it sends; `case`
/// names the situation in the failure message.
pub async fn expect_closed(stream: &mut TcpStream, case: &str) {
    let mut sink = [0u8; 4096];
    tokio::time::timeout(TEST_TIMEOUT, async {
        loop {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{case}: peer did not close the connection"));
}
