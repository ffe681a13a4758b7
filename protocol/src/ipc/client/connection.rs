//! One established client connection: a writer task, a reader task that matches responses
//! to calls by call id, pings while calls are outstanding, and idle close.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::{SinkExt, StreamExt};
use spindle_base::recent::RecentSet;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::{Instrument, debug, trace, warn};

use super::handshake::Established;
use crate::ipc::error::{IpcError, RemoteError};
use crate::ipc::frame::{FrameCodec, FrameError, FrameParts};
use crate::ipc::header::{self, SASL_CALL_ID};
use crate::ipc::wrap::{self, Unwrapped};
use crate::proto::rpc::{RpcResponseHeaderProto, RpcStatusProto};
use crate::sasl::{Unwrap, Wrap};

/// Responses for this many recently abandoned (timed-out) calls are dropped quietly.
const ABANDONED_MEMORY: usize = 4096;
/// Most frames written between two flushes.
const WRITE_BATCH: usize = 64;

type Reply = Result<Bytes, IpcError>;

/// Timing parameters of a connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) ping_interval: Duration,
    pub(crate) max_idle: Duration,
}

struct State {
    pending: HashMap<i32, oneshot::Sender<Reply>>,
    /// Calls whose caller gave up, remembered for a while so that their late responses are
    /// told apart from responses to call ids this client never used.
    abandoned: RecentSet<i32>,
    closed: Option<String>,
    last_activity: Instant,
}

struct Shared {
    state: Mutex<State>,
    closed_tx: watch::Sender<bool>,
    client_id: [u8; 16],
}

/// Why a connection closed, which decides the error pending calls get.
#[derive(Clone, Copy)]
enum Cause<'a> {
    /// I/O failure, peer closed, idle or shutdown: `ConnectionLost`.
    Lost,
    /// The server broke the protocol: `Protocol`.
    Protocol,
    /// The server sent FATAL: `Remote`.
    Remote(&'a RemoteError),
}

/// What the reader task does after one frame.
enum Flow {
    Continue,
    Stop,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means another task panicked mid-update; the map is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes the connection once: fails every pending call and stops both tasks.
    fn close(&self, reason: &str, cause: Cause<'_>) {
        let pending = {
            let mut st = self.lock();
            if st.closed.is_some() {
                return;
            }
            st.closed = Some(reason.to_string());
            std::mem::take(&mut st.pending)
        };
        if !pending.is_empty() {
            debug!(reason, calls = pending.len(), "failing pending calls");
        }
        for (_, tx) in pending {
            let err = match cause {
                Cause::Remote(r) => IpcError::Remote(r.clone()),
                Cause::Protocol => IpcError::Protocol(reason.to_string()),
                Cause::Lost => IpcError::ConnectionLost(reason.to_string()),
            };
            let _ = tx.send(Err(err));
        }
        let _ = self.closed_tx.send(true);
    }

    fn dispatch(&self, body: Bytes) -> Flow {
        let mut parts = FrameParts::new(body);
        let header: RpcResponseHeaderProto = match parts.expect("RpcResponseHeaderProto") {
            Ok(h) => h,
            Err(e) => {
                self.close(&e.to_string(), Cause::Protocol);
                return Flow::Stop;
            }
        };
        let call_id = header.call_id as i32;
        let status = match RpcStatusProto::try_from(header.status) {
            Ok(s) => s,
            Err(_) => {
                let msg = format!("unknown response status {}", header.status);
                self.close(&msg, Cause::Protocol);
                return Flow::Stop;
            }
        };
        if status == RpcStatusProto::Fatal {
            let remote = RemoteError::from_header(&header);
            warn!(call_id, %remote, "server sent FATAL; closing connection");
            self.close(&remote.to_string(), Cause::Remote(&remote));
            return Flow::Stop;
        }
        if let Some(id) = header.client_id.as_deref()
            && !id.is_empty()
            && id != self.client_id
        {
            let msg = format!(
                "response for call {call_id} carries client id {} but ours is {}",
                hex::encode(id),
                hex::encode(self.client_id)
            );
            self.close(&msg, Cause::Protocol);
            return Flow::Stop;
        }
        let reply = match status {
            RpcStatusProto::Success => match parts.expect_raw("response message") {
                Ok(payload) => Ok(payload),
                Err(e) => {
                    self.close(&format!("call {call_id}: {e}"), Cause::Protocol);
                    return Flow::Stop;
                }
            },
            _ => Err(IpcError::Remote(RemoteError::from_header(&header))),
        };
        let waiter = {
            let mut st = self.lock();
            st.last_activity = Instant::now();
            match st.pending.remove(&call_id) {
                Some(tx) => Some(tx),
                None if st.abandoned.remove(&call_id) => None,
                None => {
                    drop(st);
                    let msg = format!("response for unknown call id {call_id}");
                    self.close(&msg, Cause::Protocol);
                    return Flow::Stop;
                }
            }
        };
        match waiter {
            Some(tx) => {
                trace!(call_id, "response");
                let _ = tx.send(reply);
            }
            None => debug!(call_id, "dropping late response for a timed-out call"),
        }
        Flow::Continue
    }
}

/// A live connection; cheap to share between callers.
pub(crate) struct Connection {
    shared: Arc<Shared>,
    tx: mpsc::UnboundedSender<Bytes>,
}

impl Connection {
    /// Starts the reader and writer tasks of an established connection.
    pub(crate) fn spawn(
        established: Established,
        client_id: [u8; 16],
        timing: Timing,
        span: tracing::Span,
    ) -> Arc<Connection> {
        let (closed_tx, closed_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                pending: HashMap::new(),
                abandoned: RecentSet::new(ABANDONED_MEMORY),
                closed: None,
                last_activity: Instant::now(),
            }),
            closed_tx,
            client_id,
        });
        let (tx, rx) = mpsc::unbounded_channel();
        let (wrap, unwrap) = match established.layer {
            Some(layer) => (Some(layer.wrap), Some(layer.unwrap)),
            None => (None, None),
        };
        let max_response_len = established.reader.decoder().max_frame_len();
        let writer = Writer {
            frames: established.writer,
            wrap,
            context: Some(established.context),
        };
        tokio::spawn(
            write_loop(writer, rx, shared.clone(), closed_rx.clone()).instrument(span.clone()),
        );
        let reader = Reader {
            frames: established.reader,
            unwrap: unwrap.map(|u| (u, Unwrapped::new(max_response_len))),
        };
        tokio::spawn(
            read_loop(reader, shared.clone(), closed_rx, tx.clone(), timing).instrument(span),
        );
        Arc::new(Connection { shared, tx })
    }

    /// Whether new calls may use this connection.
    pub(crate) fn is_open(&self) -> bool {
        self.shared.lock().closed.is_none()
    }

    /// Registers a call; fails if the connection is already closed (nothing was sent).
    pub(crate) fn register(&self, call_id: i32) -> Result<oneshot::Receiver<Reply>, IpcError> {
        let (tx, rx) = oneshot::channel();
        let mut st = self.shared.lock();
        if let Some(reason) = &st.closed {
            return Err(IpcError::ConnectionLost(reason.clone()));
        }
        st.last_activity = Instant::now();
        st.pending.insert(call_id, tx);
        Ok(rx)
    }

    /// Queues a frame body for the writer task.
    pub(crate) fn send(&self, body: Bytes) -> Result<(), IpcError> {
        self.tx
            .send(body)
            .map_err(|_| IpcError::ConnectionLost("connection writer has stopped".into()))
    }

    /// Forgets a call whose caller gave up; a late response for it is dropped quietly.
    pub(crate) fn abandon(&self, call_id: i32) {
        let mut st = self.shared.lock();
        if st.pending.remove(&call_id).is_some() {
            st.abandoned.insert(call_id);
        }
    }

    /// Closes the connection, failing calls still in flight.
    pub(crate) fn shutdown(&self, reason: &str) {
        self.shared.close(reason, Cause::Lost);
    }
}

/// The sending side of a connection: frames go out as they are, or through the layer.
struct Writer {
    frames: FramedWrite<OwnedWriteHalf, FrameCodec>,
    wrap: Option<Box<dyn Wrap>>,
    /// The connection context, sent in front of the first batch.
    context: Option<Bytes>,
}

impl Writer {
    /// Writes one batch of frame bodies and flushes.
    async fn send_batch(&mut self, batch: Vec<Bytes>) -> Result<(), String> {
        let batch = self.context.take().into_iter().chain(batch);
        match &mut self.wrap {
            None => {
                for body in batch {
                    self.frames.feed(body).await.map_err(|e| e.to_string())?;
                }
            }
            Some(wrap) => {
                // The stream of whole frames, cut into tokens the server accepts.
                let mut plain = BytesMut::new();
                for body in batch {
                    wrap::put_frame(&mut plain, &body);
                }
                let wrapped = wrap::wrap_requests(wrap.as_mut(), &plain)
                    .map_err(|e| format!("wrapping failed: {e}"))?;
                for body in wrapped {
                    self.frames.feed(body).await.map_err(|e| e.to_string())?;
                }
            }
        }
        self.frames.flush().await.map_err(|e| e.to_string())
    }
}

async fn write_loop(
    mut writer: Writer,
    mut rx: mpsc::UnboundedReceiver<Bytes>,
    shared: Arc<Shared>,
    mut closed: watch::Receiver<bool>,
) {
    loop {
        let first = tokio::select! {
            _ = crate::ipc::wait_until_set(&mut closed) => break,
            frame = rx.recv() => match frame {
                Some(f) => f,
                None => break,
            },
        };
        let mut batch = vec![first];
        while batch.len() < WRITE_BATCH {
            match rx.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        if let Err(e) = writer.send_batch(batch).await {
            shared.close(&format!("write failed: {e}"), Cause::Lost);
            break;
        }
    }
    let _ = writer.frames.close().await;
}

fn next_wakeup(shared: &Shared, timing: Timing) -> Instant {
    let st = shared.lock();
    if st.pending.is_empty() {
        st.last_activity + timing.max_idle
    } else {
        st.last_activity + timing.ping_interval
    }
}

/// The receiving side of a connection: frames come as they are, or as WRAP tokens.
struct Reader {
    frames: FramedRead<OwnedReadHalf, FrameCodec>,
    unwrap: Option<(Box<dyn Unwrap>, Unwrapped)>,
}

impl Reader {
    /// Dispatches one frame from the socket (unwrapping it first when wrapping is on).
    fn on_frame(&mut self, shared: &Shared, body: Bytes) -> Flow {
        let Some((unwrap, stream)) = &mut self.unwrap else {
            return shared.dispatch(body);
        };
        let mut parts = crate::ipc::frame::FrameParts::new(body);
        let token = parts
            .expect::<RpcResponseHeaderProto>("RpcResponseHeaderProto")
            .and_then(|h| {
                if h.call_id as i32 == SASL_CALL_ID {
                    wrap::wrap_token(&mut parts)
                } else {
                    Err(FrameError::Malformed(format!(
                        "the server sent an unwrapped response (call id {}) although integrity/privacy was negotiated",
                        h.call_id as i32
                    )))
                }
            });
        let token = match token {
            Ok(t) => t,
            Err(e) => {
                shared.close(&e.to_string(), Cause::Protocol);
                return Flow::Stop;
            }
        };
        if let Err(e) = stream.push(unwrap.as_mut(), &token) {
            shared.close(&e.to_string(), Cause::Protocol);
            return Flow::Stop;
        }
        loop {
            match stream.next_frame() {
                Ok(Some(inner)) => {
                    if let Flow::Stop = shared.dispatch(inner) {
                        return Flow::Stop;
                    }
                }
                Ok(None) => return Flow::Continue,
                Err(e) => {
                    shared.close(
                        &format!("bad wrapped frame from server: {e}"),
                        Cause::Protocol,
                    );
                    return Flow::Stop;
                }
            }
        }
    }
}

async fn read_loop(
    mut reader: Reader,
    shared: Arc<Shared>,
    mut closed: watch::Receiver<bool>,
    tx: mpsc::UnboundedSender<Bytes>,
    timing: Timing,
) {
    loop {
        let wake = next_wakeup(&shared, timing);
        tokio::select! {
            _ = crate::ipc::wait_until_set(&mut closed) => break,
            frame = reader.frames.next() => match frame {
                None => {
                    shared.close("server closed the connection", Cause::Lost);
                    break;
                }
                Some(Err(e @ (FrameError::Io(_) | FrameError::Truncated { .. }))) => {
                    shared.close(&format!("reading from server failed: {e}"), Cause::Lost);
                    break;
                }
                Some(Err(e)) => {
                    shared.close(&format!("bad frame from server: {e}"), Cause::Protocol);
                    break;
                }
                Some(Ok(body)) => {
                    if let Flow::Stop = reader.on_frame(&shared, body) {
                        break;
                    }
                }
            },
            _ = tokio::time::sleep_until(wake) => {
                let now = Instant::now();
                let mut st = shared.lock();
                if st.pending.is_empty() {
                    if now >= st.last_activity + timing.max_idle {
                        drop(st);
                        debug!("closing idle connection");
                        shared.close("connection closed after being idle", Cause::Lost);
                        break;
                    }
                } else if now >= st.last_activity + timing.ping_interval {
                    st.last_activity = now;
                    drop(st);
                    trace!("ping");
                    let _ = tx.send(header::ping_request(&shared.client_id));
                }
            }
        }
    }
}
