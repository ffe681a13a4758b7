//! One server connection: preamble, SASL, connection context, then calls handled
//! concurrently (bounded per connection) with responses written as they complete.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use prost::Message;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::{Instrument, debug, info_span, warn};

use super::dispatch::{Call, run_call};
use super::preamble::{AuthProtocol, HTTP_REPLY, Preamble, read_preamble};
use super::registry::Guard;
use super::warn_limit::limited_warn;
use super::{ServerShared, service::CallContext};
use crate::ipc::frame::{FrameCodec, FrameError, FrameParts};
use crate::ipc::header::{
    self, AUTHORIZATION_FAILED_CALL_ID, CONNECTION_CONTEXT_CALL_ID, PING_CALL_ID, SASL_CALL_ID,
};
use crate::ipc::wrap::{self, Unwrapped};
use crate::proto::rpc::{
    IpcConnectionContextProto, OperationProto, RequestHeaderProto, RpcErrorCodeProto, RpcKindProto,
    RpcRequestHeaderProto, RpcSaslProto,
};
use crate::sasl::{Authenticated, CallerAuth, SaslServer, ServerStep, Unwrap, Wrap};

use crate::java_class::{ACCESS_CONTROL, RPC_SERVER as RPC_SERVER_EXCEPTION};

/// What goes to the writer task.
pub(crate) enum Out {
    /// A frame body.
    Frame(Bytes),
    /// A call's reply; the call's in-flight permit is released once it is written, so the
    /// per-connection limit also bounds replies queued for a slow reader.
    Reply(Bytes, OwnedSemaphorePermit),
    /// Wrap every later frame with this security layer half (after SASL SUCCESS went out).
    StartWrap(Box<dyn Wrap>),
    /// Flush and close the connection.
    Close,
}

/// A FATAL reply: sent, then the connection is closed.
struct Fatal {
    call_id: i32,
    retry_count: i32,
    class_name: &'static str,
    message: String,
    code: RpcErrorCodeProto,
}

impl Fatal {
    fn new(
        call_id: i32,
        code: RpcErrorCodeProto,
        class_name: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Fatal {
            call_id,
            retry_count: -1,
            class_name,
            message: message.into(),
            code,
        }
    }

    fn frame(&self) -> Bytes {
        header::error_response(
            self.call_id,
            true,
            &[],
            self.retry_count,
            self.class_name,
            &self.message,
            self.code as i32,
        )
    }
}

/// Per-connection protocol state.
struct Conn {
    shared: Arc<ServerShared>,
    peer: SocketAddr,
    sasl: Option<SaslServer>,
    authenticated: Option<Authenticated>,
    context: Option<(String, String)>,
    /// The sending half of a layer negotiated by the last SASL message, for the writer.
    start_wrap: Option<Box<dyn Wrap>>,
    /// The receiving half of the layer, and the stream of unwrapped bytes.
    unwrap: Option<(Box<dyn Unwrap>, Unwrapped)>,
}

/// Serves one accepted connection until it closes, goes idle, is evicted to make room for
/// another, or the server shuts down. `guard` keeps it registered.
pub(crate) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<ServerShared>,
    mut shutdown: watch::Receiver<bool>,
    guard: Guard,
) {
    let entry = guard.entry().clone();
    let _ = stream.set_nodelay(true);
    let (mut read_half, mut write_half) = stream.into_split();
    let timeout = shared.config.handshake_timeout;
    let preamble = tokio::select! {
        p = tokio::time::timeout(timeout, read_preamble(&mut read_half)) => p,
        _ = entry.evicted() => return debug!("evicted before the preamble"),
    };
    let preamble = match preamble {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return debug!(error = %e, "connection closed before a full preamble"),
        Err(_) => return debug!("no preamble within {timeout:?}; closing"),
    };
    let auth = match preamble {
        Preamble::Ok(auth) => auth,
        Preamble::HttpGet => {
            debug!("HTTP request on the IPC port");
            let _ = write_half.write_all(HTTP_REPLY.as_bytes()).await;
            let _ = write_half.shutdown().await;
            return;
        }
        Preamble::Reject(frame, why) => {
            limited_warn!(shared.warnings, "bad-preamble", %peer, why, "bad preamble; sending VersionMismatch");
            let _ = write_half.write_all(&frame).await;
            let _ = write_half.shutdown().await;
            return;
        }
        Preamble::UnknownAuth(frame, byte) => {
            limited_warn!(shared.warnings, "bad-preamble", %peer, byte, "unknown auth protocol in preamble");
            let _ = write_half.write_all(&frame).await;
            let _ = write_half.shutdown().await;
            return;
        }
    };
    // Until the connection context, only SASL-sized frames: an unauthenticated peer must not
    // make the server hold a large buffer.
    let full_codec = FrameCodec::new(shared.config.max_frame_len);
    let sasl_codec = FrameCodec::new(
        shared
            .config
            .max_sasl_frame_len
            .min(shared.config.max_frame_len),
    );
    let (tx, rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(
        write_loop(
            FramedWrite::new(write_half, full_codec.clone()),
            rx,
            entry.clone(),
        )
        .in_current_span(),
    );
    let mut reader = FramedRead::new(read_half, sasl_codec);
    let mut conn = Conn {
        sasl: None,
        authenticated: None,
        context: None,
        peer,
        shared: shared.clone(),
        start_wrap: None,
        unwrap: None,
    };
    match auth {
        AuthProtocol::Sasl => {
            conn.sasl = Some(
                SaslServer::new(
                    shared.config.secret_manager.clone(),
                    shared.config.allow_simple,
                )
                .with_kerberos(shared.config.kerberos.clone())
                .with_qop(&shared.config.qop),
            );
        }
        AuthProtocol::None if shared.config.allow_simple => {
            conn.authenticated = Some(Authenticated {
                auth: CallerAuth::Simple,
                token_user: None,
            });
        }
        AuthProtocol::None => {
            let fatal = Fatal::new(
                AUTHORIZATION_FAILED_CALL_ID,
                RpcErrorCodeProto::FatalUnauthorized,
                ACCESS_CONTROL,
                format!(
                    "SIMPLE authentication is not enabled.  Available:[{}]",
                    SaslServer::new(shared.config.secret_manager.clone(), false)
                        .with_kerberos(shared.config.kerberos.clone())
                        .offered()
                        .into_iter()
                        .map(|a| a.method)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            limited_warn!(shared.warnings, "simple-refused", %peer, "{}", fatal.message);
            let _ = tx.send(Out::Frame(fatal.frame()));
            let _ = tx.send(Out::Close);
            let _ = writer.await;
            return;
        }
    }

    let in_flight = Arc::new(Semaphore::new(
        shared.config.max_in_flight_per_connection.max(1),
    ));
    let mut calls = JoinSet::new();
    let handshake_deadline = tokio::time::Instant::now() + timeout;
    let max_idle = shared.config.max_idle;
    'read: loop {
        let idle_deadline = entry.last_active() + max_idle;
        let frame = tokio::select! {
            _ = crate::ipc::wait_until_set(&mut shutdown) => break,
            _ = entry.evicted() => {
                debug!("closing: the server needed room for a new connection and this one was idle");
                break;
            }
            _ = tokio::time::sleep_until(handshake_deadline), if conn.context.is_none() => {
                limited_warn!(shared.warnings, "handshake-timeout", %peer, "handshake not finished within {timeout:?}; closing");
                break;
            }
            _ = tokio::time::sleep_until(idle_deadline), if conn.context.is_some() && calls.is_empty() => {
                // Activity may have moved the deadline while we slept.
                if tokio::time::Instant::now() >= entry.last_active() + max_idle {
                    debug!("closing a connection idle for {max_idle:?}");
                    break;
                }
                continue;
            }
            Some(_) = calls.join_next(), if !calls.is_empty() => continue,
            frame = reader.next() => frame,
        };
        let body = match frame {
            None => {
                debug!("client closed the connection");
                break;
            }
            Some(Err(FrameError::Io(e))) => {
                debug!(error = %e, "read failed");
                break;
            }
            Some(Err(e)) => {
                limited_warn!(shared.warnings, "bad-frame", %peer, error = %e, "bad frame; closing");
                let fatal = Fatal::new(
                    AUTHORIZATION_FAILED_CALL_ID,
                    RpcErrorCodeProto::FatalInvalidRpcHeader,
                    RPC_SERVER_EXCEPTION,
                    e.to_string(),
                );
                let _ = tx.send(Out::Frame(fatal.frame()));
                break;
            }
            Some(Ok(body)) => body,
        };
        entry.touch();
        let bodies = match conn.unwrap_frames(body) {
            Ok(b) => b,
            Err(fatal) => {
                limited_warn!(shared.warnings, "fatal", %peer, class = fatal.class_name, message = %fatal.message, "FATAL; closing connection");
                let _ = tx.send(Out::Frame(fatal.frame()));
                break;
            }
        };
        for body in bodies {
            let had_context = conn.context.is_some();
            match conn.handle(body) {
                Ok(Action::None) => {}
                Ok(Action::Reply(frame)) => {
                    let _ = tx.send(Out::Frame(frame));
                }
                Ok(Action::Call(call)) => {
                    let permit = tokio::select! {
                        p = in_flight.clone().acquire_owned() => match p {
                            Ok(p) => p,
                            Err(_) => break 'read,
                        },
                        _ = crate::ipc::wait_until_set(&mut shutdown) => break 'read,
                    };
                    let tx = tx.clone();
                    let span =
                        info_span!("ipc_call", call_id = call.ctx.call_id, method = %call.method);
                    entry.call_started();
                    calls.spawn(
                        async move {
                            let frame = run_call(*call).await;
                            let _ = tx.send(Out::Reply(frame, permit));
                        }
                        .instrument(span),
                    );
                }
                Err(fatal) => {
                    limited_warn!(shared.warnings, "fatal", %peer, call_id = fatal.call_id, class = fatal.class_name, message = %fatal.message, "FATAL; closing connection");
                    let _ = tx.send(Out::Frame(fatal.frame()));
                    break 'read;
                }
            }
            if let Some(w) = conn.start_wrap.take() {
                let _ = tx.send(Out::StartWrap(w));
            }
            if !had_context && conn.context.is_some() {
                reader
                    .decoder_mut()
                    .set_max_frame_len(shared.config.max_frame_len);
            }
        }
    }
    // Let calls in flight finish (bounded), then close.
    let grace = shared.config.shutdown_grace;
    if tokio::time::timeout(grace, async { while calls.join_next().await.is_some() {} })
        .await
        .is_err()
    {
        warn!(
            calls = calls.len(),
            "calls still running after {grace:?}; abandoning them"
        );
        calls.abort_all();
    }
    let _ = tx.send(Out::Close);
    let _ = writer.await;
    drop(guard);
}

async fn write_loop(
    mut writer: FramedWrite<OwnedWriteHalf, FrameCodec>,
    mut rx: mpsc::UnboundedReceiver<Out>,
    entry: Arc<super::registry::Entry>,
) {
    let mut wrap: Option<Box<dyn Wrap>> = None;
    'outer: while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(out) = next.take() {
            let (body, permit) = match out {
                Out::Frame(body) => (body, None),
                Out::Reply(body, permit) => (body, Some(permit)),
                Out::StartWrap(w) => {
                    wrap = Some(w);
                    next = rx.try_recv().ok();
                    continue;
                }
                Out::Close => break 'outer,
            };
            let body = match &mut wrap {
                None => body,
                Some(w) => match wrap::wrap_response(w.as_mut(), &body) {
                    Ok(b) => b,
                    Err(e) => {
                        warn!(error = %e, "wrapping a response failed; closing");
                        break 'outer;
                    }
                },
            };
            let written = writer.feed(body).await;
            if permit.is_some() {
                drop(permit);
                entry.call_finished();
            }
            if let Err(e) = written {
                debug!(error = %e, "write failed");
                break 'outer;
            }
            next = rx.try_recv().ok();
        }
        if let Err(e) = writer.flush().await {
            debug!(error = %e, "flush failed");
            break;
        }
    }
    let _ = writer.close().await;
}

/// The required fields of `RpcRequestHeaderProto`, read as optional to see whether they were
/// sent: prost reads a missing required field as its default (a missing `callId` would be
/// call 0), Hadoop refuses the header.
#[derive(Clone, PartialEq, prost::Message)]
struct RequiredHeaderFields {
    #[prost(sint32, optional, tag = "3")]
    call_id: Option<i32>,
    #[prost(bytes = "vec", optional, tag = "4")]
    client_id: Option<Vec<u8>>,
}

impl RequiredHeaderFields {
    fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.call_id.is_none() {
            out.push("callId");
        }
        if self.client_id.is_none() {
            out.push("clientId");
        }
        out
    }
}

/// What to do with one request frame.
enum Action {
    None,
    Reply(Bytes),
    Call(Box<Call>),
}

impl Conn {
    /// The frames carried by one frame from the socket: itself, or, once a security layer is
    /// on, whatever complete frames its WRAP token completes.
    fn unwrap_frames(&mut self, body: Bytes) -> Result<Vec<Bytes>, Fatal> {
        let Some((unwrap, stream)) = &mut self.unwrap else {
            return Ok(vec![body]);
        };
        let fatal = |code: RpcErrorCodeProto, class: &'static str, msg: String| {
            Fatal::new(SASL_CALL_ID, code, class, msg)
        };
        let mut parts = FrameParts::new(body);
        let header: RpcRequestHeaderProto = parts.expect("RpcRequestHeaderProto").map_err(|e| {
            fatal(
                RpcErrorCodeProto::FatalDeserializingRequest,
                RPC_SERVER_EXCEPTION,
                e.to_string(),
            )
        })?;
        if header.call_id != SASL_CALL_ID {
            return Err(fatal(
                RpcErrorCodeProto::FatalInvalidRpcHeader,
                RPC_SERVER_EXCEPTION,
                format!(
                    "integrity/privacy was negotiated, so every frame must be a SASL WRAP; got call id {}",
                    header.call_id
                ),
            ));
        }
        let token = wrap::wrap_token(&mut parts).map_err(|e| {
            fatal(
                RpcErrorCodeProto::FatalInvalidRpcHeader,
                RPC_SERVER_EXCEPTION,
                e.to_string(),
            )
        })?;
        stream.push(unwrap.as_mut(), &token).map_err(|e| {
            fatal(
                RpcErrorCodeProto::FatalUnauthorized,
                crate::java_class::SASL,
                e.to_string(),
            )
        })?;
        let mut out = Vec::new();
        while let Some(frame) = stream.next_frame().map_err(|e| {
            fatal(
                RpcErrorCodeProto::FatalInvalidRpcHeader,
                RPC_SERVER_EXCEPTION,
                format!("bad frame inside a SASL WRAP: {e}"),
            )
        })? {
            out.push(frame);
        }
        Ok(out)
    }

    fn handle(&mut self, body: Bytes) -> Result<Action, Fatal> {
        let mut parts = FrameParts::new(body);
        let undecodable = |msg: String| {
            Fatal::new(
                AUTHORIZATION_FAILED_CALL_ID,
                RpcErrorCodeProto::FatalDeserializingRequest,
                RPC_SERVER_EXCEPTION,
                msg,
            )
        };
        let raw = parts
            .expect_raw("RpcRequestHeaderProto")
            .map_err(|e| undecodable(e.to_string()))?;
        let header = RpcRequestHeaderProto::decode(raw.clone())
            .map_err(|e| undecodable(format!("cannot decode RpcRequestHeaderProto: {e}")))?;
        let missing = RequiredHeaderFields::decode(raw)
            .map(|r| r.missing())
            .unwrap_or_default();
        if !missing.is_empty() {
            return Err(undecodable(format!(
                "RpcRequestHeaderProto is missing required fields: {}",
                missing.join(", ")
            )));
        }
        let call_id = header.call_id;
        let invalid = |msg: String| {
            Fatal::new(
                call_id,
                RpcErrorCodeProto::FatalInvalidRpcHeader,
                RPC_SERVER_EXCEPTION,
                msg,
            )
        };
        match header.rpc_op {
            Some(op) if op == OperationProto::RpcFinalPacket as i32 => {}
            other => {
                return Err(invalid(format!(
                    "IPC Server does not implement rpc header operation {other:?}"
                )));
            }
        }
        match header.rpc_kind {
            None => {
                return Err(invalid(
                    "IPC Server: No rpc kind in rpcRequestHeader".into(),
                ));
            }
            Some(k) if RpcKindProto::try_from(k).is_err() => {
                return Err(invalid(format!("Unknown rpc kind {k} in rpc header")));
            }
            Some(_) => {}
        }
        match call_id {
            SASL_CALL_ID => self.sasl_message(parts),
            CONNECTION_CONTEXT_CALL_ID => self.connection_context(parts).map(|()| Action::None),
            PING_CALL_ID => Ok(Action::None),
            id if id < 0 => Err(invalid(format!("Unknown out of band call #{id}"))),
            _ => self.call(header, parts).map(|c| Action::Call(Box::new(c))),
        }
    }

    fn sasl_message(&mut self, mut parts: FrameParts) -> Result<Action, Fatal> {
        let Some(sasl) = self.sasl.as_mut() else {
            return Err(Fatal::new(
                SASL_CALL_ID,
                RpcErrorCodeProto::FatalInvalidRpcHeader,
                RPC_SERVER_EXCEPTION,
                "SASL message not expected: SASL was not requested or has finished",
            ));
        };
        let msg: RpcSaslProto = parts.expect("RpcSaslProto").map_err(|e| {
            Fatal::new(
                SASL_CALL_ID,
                RpcErrorCodeProto::FatalDeserializingRequest,
                RPC_SERVER_EXCEPTION,
                e.to_string(),
            )
        })?;
        match sasl.step(&msg) {
            Ok(ServerStep::Reply(reply)) => Ok(Action::Reply(header::sasl_response(&reply))),
            Ok(ServerStep::Done {
                reply,
                authenticated,
            }) => {
                debug!(auth = ?authenticated.auth, user = ?authenticated.token_user, "SASL done");
                if let Some(layer) = sasl.take_security_layer() {
                    debug!(qop = %layer.qop, "wrapping every later frame");
                    self.start_wrap = Some(layer.wrap);
                    self.unwrap = Some((
                        layer.unwrap,
                        Unwrapped::new(self.shared.config.max_frame_len),
                    ));
                }
                self.sasl = None;
                self.authenticated = Some(authenticated);
                Ok(reply.map_or(Action::None, |r| Action::Reply(header::sasl_response(&r))))
            }
            Err(e) => Err(Fatal::new(
                SASL_CALL_ID,
                RpcErrorCodeProto::FatalUnauthorized,
                e.java_class(),
                e.to_string(),
            )),
        }
    }

    fn connection_context(&mut self, mut parts: FrameParts) -> Result<(), Fatal> {
        let id = CONNECTION_CONTEXT_CALL_ID;
        let Some(authenticated) = &self.authenticated else {
            return Err(Fatal::new(
                id,
                RpcErrorCodeProto::FatalInvalidRpcHeader,
                RPC_SERVER_EXCEPTION,
                "Connection header sent during SASL negotiation",
            ));
        };
        if self.context.is_some() {
            return Err(Fatal::new(
                id,
                RpcErrorCodeProto::FatalInvalidRpcHeader,
                RPC_SERVER_EXCEPTION,
                "Connection context already processed",
            ));
        }
        let ctx: IpcConnectionContextProto =
            parts.expect("IpcConnectionContextProto").map_err(|e| {
                Fatal::new(
                    id,
                    RpcErrorCodeProto::FatalDeserializingRequest,
                    RPC_SERVER_EXCEPTION,
                    e.to_string(),
                )
            })?;
        let claimed = ctx
            .user_info
            .as_ref()
            .and_then(|u| u.effective_user.clone())
            .filter(|u| !u.is_empty());
        let unauthorized = |msg: String| {
            Fatal::new(
                id,
                RpcErrorCodeProto::FatalUnauthorized,
                ACCESS_CONTROL,
                msg,
            )
        };
        let user = match (&authenticated.auth, &authenticated.token_user, claimed) {
            (CallerAuth::Token { .. }, Some(user), Some(claimed)) if &claimed != user => {
                return Err(unauthorized(format!(
                    "Authenticated user ({user}) doesn't match what the client claims to be ({claimed})"
                )));
            }
            (CallerAuth::Token { .. }, Some(user), _) => user.clone(),
            (CallerAuth::Token { .. }, None, _) => {
                return Err(unauthorized("token authentication produced no user".into()));
            }
            // Hadoop's client names the full principal; the short name is the user.
            (CallerAuth::Kerberos { principal }, Some(user), Some(claimed))
                if claimed != *principal && claimed != *user =>
            {
                return Err(unauthorized(format!(
                    "Authenticated user ({principal}) doesn't match what the client claims to be ({claimed}); proxy users are not supported"
                )));
            }
            (CallerAuth::Kerberos { .. }, Some(user), _) => user.clone(),
            (CallerAuth::Kerberos { principal }, None, _) => {
                return Err(unauthorized(format!(
                    "Kerberos authentication of {principal} produced no user"
                )));
            }
            (CallerAuth::Simple, _, Some(claimed)) => claimed,
            (CallerAuth::Simple, _, None) => {
                return Err(unauthorized(
                    "SIMPLE authentication needs an effectiveUser in the connection context".into(),
                ));
            }
        };
        let protocol = ctx.protocol.unwrap_or_default();
        debug!(user, protocol, "connection context");
        self.context = Some((user, protocol));
        Ok(())
    }

    fn call(
        &mut self,
        header: RpcRequestHeaderProto,
        mut parts: FrameParts,
    ) -> Result<Call, Fatal> {
        let call_id = header.call_id;
        let (Some((user, protocol)), Some(authenticated)) = (&self.context, &self.authenticated)
        else {
            return Err(Fatal::new(
                call_id,
                RpcErrorCodeProto::FatalInvalidRpcHeader,
                RPC_SERVER_EXCEPTION,
                "Connection context not established",
            ));
        };
        if header.rpc_kind != Some(RpcKindProto::RpcProtocolBuffer as i32) {
            return Err(Fatal::new(
                call_id,
                RpcErrorCodeProto::FatalUnsupportedSerialization,
                RPC_SERVER_EXCEPTION,
                format!(
                    "rpc kind {:?} is not supported (only RPC_PROTOCOL_BUFFER)",
                    header.rpc_kind
                ),
            ));
        }
        let bad_request = |e: FrameError| {
            Fatal::new(
                call_id,
                RpcErrorCodeProto::FatalDeserializingRequest,
                RPC_SERVER_EXCEPTION,
                format!("IPC server unable to read call parameters: {e}"),
            )
        };
        let request_header: RequestHeaderProto =
            parts.expect("RequestHeaderProto").map_err(bad_request)?;
        let request = parts.expect_raw("request message").map_err(bad_request)?;
        Ok(Call {
            shared: self.shared.clone(),
            ctx: CallContext {
                user: user.clone(),
                auth: authenticated.auth.clone(),
                protocol: protocol.clone(),
                peer: self.peer,
                call_id,
                client_id: header.client_id,
            },
            retry_count: header.retry_count.unwrap_or(-1),
            method: request_header.method_name,
            protocol: request_header.declaring_class_protocol_name,
            version: request_header.client_protocol_version,
            request,
        })
    }
}
