//! The IPC client: one lazily (re)opened connection per client, many concurrent calls
//! multiplexed on it, responses matched by call id.

mod config;
mod connection;
mod handshake;

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use prost::Message;
use tracing::{Instrument, debug, debug_span, warn};

pub use config::{ClientAuth, ClientConfig, RetryPolicy};
use connection::{Connection, Timing};

use crate::ipc::error::IpcError;
use crate::ipc::frame::DEFAULT_MAX_FRAME_LEN;
use crate::ipc::header;

/// A Hadoop IPC client for one protocol at one address. Clones share the connection.
#[derive(Clone)]
pub struct IpcClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    auth: Mutex<ClientAuth>,
    client_id: [u8; 16],
    next_call_id: AtomicU32,
    conn: tokio::sync::Mutex<Option<Arc<Connection>>>,
    /// Bumped after every failed connect; callers queued behind a failure report it
    /// instead of starting their own full retry sequence.
    connect_failures: AtomicU64,
    last_connect_error: Mutex<String>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.get_mut().take() {
            conn.shutdown("client dropped");
        }
    }
}

impl std::fmt::Debug for IpcClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IpcClient")
            .field("addr", &self.inner.config.addr)
            .field("protocol", &self.inner.config.protocol)
            .field("client_id", &hex::encode(self.inner.client_id))
            .finish()
    }
}

/// Locks `m`, also after a panic elsewhere poisoned it (the values kept here stay valid).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A random 16-byte client id laid out like a version-4 UUID.
fn new_client_id() -> [u8; 16] {
    let mut id: [u8; 16] = rand::random();
    id[6] = (id[6] & 0x0f) | 0x40;
    id[8] = (id[8] & 0x3f) | 0x80;
    id
}

impl IpcClient {
    /// A client for `config`; it connects on the first call.
    pub fn new(config: ClientConfig) -> Self {
        IpcClient {
            inner: Arc::new(Inner {
                auth: Mutex::new(config.auth.clone()),
                config,
                client_id: new_client_id(),
                next_call_id: AtomicU32::new(0),
                conn: tokio::sync::Mutex::new(None),
                connect_failures: AtomicU64::new(0),
                last_connect_error: Mutex::new(String::new()),
            }),
        }
    }

    /// The configuration this client was made with (its `auth` is the initial one).
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The 16-byte client id sent with every call.
    pub fn client_id(&self) -> [u8; 16] {
        self.inner.client_id
    }

    /// Replaces the credentials used for new connections (e.g. an AMRMToken roll-over).
    /// The current connection, already authenticated, is kept.
    pub fn set_auth(&self, auth: ClientAuth) {
        *lock(&self.inner.auth) = auth;
    }

    /// Closes the current connection, if any; calls in flight fail with `ConnectionLost`.
    pub async fn close(&self) {
        if let Some(conn) = self.inner.conn.lock().await.take() {
            conn.shutdown("closed by the client");
        }
    }

    fn next_call_id(&self) -> i32 {
        (self.inner.next_call_id.fetch_add(1, Ordering::Relaxed) & 0x7FFF_FFFF) as i32
    }

    /// Calls `method` with `request` and decodes the response.
    ///
    /// Connects (with the retry policy) if there is no open connection. A call that fails
    /// after it was sent is reported, never retried: the caller decides.
    pub async fn call<Req, Resp>(&self, method: &str, request: &Req) -> Result<Resp, IpcError>
    where
        Req: Message,
        Resp: Message + Default,
    {
        let span = debug_span!("ipc_call", method, protocol = %self.inner.config.protocol);
        self.call_inner(method, request).instrument(span).await
    }

    async fn call_inner<Req, Resp>(&self, method: &str, request: &Req) -> Result<Resp, IpcError>
    where
        Req: Message,
        Resp: Message + Default,
    {
        let cfg = &self.inner.config;
        // A connection closed between lookup and registration (idle close) is replaced once.
        for attempt in 0..2 {
            let conn = self.connection().await?;
            let call_id = self.next_call_id();
            let rx = match conn.register(call_id) {
                Ok(rx) => rx,
                Err(e) if attempt == 0 => {
                    debug!(error = %e, "connection closed before the call was sent; reconnecting");
                    continue;
                }
                Err(e) => return Err(e),
            };
            let body = header::call_request(
                call_id,
                &self.inner.client_id,
                0,
                method,
                &cfg.protocol,
                cfg.protocol_version,
                request,
            );
            if body.len() > DEFAULT_MAX_FRAME_LEN {
                conn.abandon(call_id);
                return Err(IpcError::Protocol(format!(
                    "request for {method} is {} bytes, over the server limit of {DEFAULT_MAX_FRAME_LEN}",
                    body.len()
                )));
            }
            if let Err(e) = conn.send(body) {
                conn.abandon(call_id);
                return Err(e);
            }
            let reply = match tokio::time::timeout(cfg.call_timeout, rx).await {
                Err(_) => {
                    conn.abandon(call_id);
                    return Err(IpcError::Timeout {
                        operation: format!("call {method} (call id {call_id}) to {}", cfg.addr),
                        after: cfg.call_timeout,
                    });
                }
                Ok(Err(_)) => {
                    return Err(IpcError::ConnectionLost("connection task ended".into()));
                }
                Ok(Ok(reply)) => reply?,
            };
            return Resp::decode(reply).map_err(|e| {
                IpcError::Protocol(format!("cannot decode the response to {method}: {e}"))
            });
        }
        Err(IpcError::ConnectionLost(format!(
            "connections to {} kept closing before {method} could be sent",
            cfg.addr
        )))
    }

    async fn connection(&self) -> Result<Arc<Connection>, IpcError> {
        let failures_before = self.inner.connect_failures.load(Ordering::Acquire);
        let mut guard = self.inner.conn.lock().await;
        if let Some(conn) = guard.as_ref()
            && conn.is_open()
        {
            return Ok(conn.clone());
        }
        *guard = None;
        let cfg = &self.inner.config;
        if self.inner.connect_failures.load(Ordering::Acquire) != failures_before {
            let last = lock(&self.inner.last_connect_error).clone();
            return Err(IpcError::ConnectionLost(format!(
                "connecting to {} failed while this call waited: {last}",
                cfg.addr
            )));
        }
        let result = self.connect(cfg).await;
        match result {
            Ok(conn) => {
                *guard = Some(conn.clone());
                Ok(conn)
            }
            Err(e) => {
                *lock(&self.inner.last_connect_error) = e.to_string();
                self.inner.connect_failures.fetch_add(1, Ordering::AcqRel);
                Err(e)
            }
        }
    }

    /// Connects with the retry policy (the caller holds the connection slot).
    async fn connect(&self, cfg: &ClientConfig) -> Result<Arc<Connection>, IpcError> {
        let auth = lock(&self.inner.auth).clone();
        let max_attempts = cfg.retry.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let backoff = cfg.retry.backoff(attempt);
            if !backoff.is_zero() {
                // Even a zero sleep waits for the next timer tick (~1 ms): skip it.
                tokio::time::sleep(backoff).await;
            }
            let span = debug_span!("ipc_connection", addr = %cfg.addr, protocol = %cfg.protocol);
            let result = tokio::time::timeout(
                cfg.connect_timeout,
                handshake::establish(cfg, &auth, &self.inner.client_id),
            )
            .instrument(span.clone())
            .await;
            let err = match result {
                Ok(Ok(established)) => {
                    debug!(parent: &span, outcome = ?established.outcome, "connected");
                    let timing = Timing {
                        ping_interval: cfg.ping_interval,
                        max_idle: cfg.max_idle,
                    };
                    return Ok(Connection::spawn(
                        established,
                        self.inner.client_id,
                        timing,
                        span,
                    ));
                }
                Ok(Err(e)) => e,
                Err(_) => IpcError::Timeout {
                    operation: format!("connect and handshake to {}", cfg.addr),
                    after: cfg.connect_timeout,
                },
            };
            let retryable = matches!(
                err,
                IpcError::Io(_) | IpcError::ConnectionLost(_) | IpcError::Timeout { .. }
            );
            if !retryable || attempt >= max_attempts {
                return Err(match err {
                    IpcError::Io(source) => IpcError::Connect {
                        addr: cfg.addr.clone(),
                        attempts: attempt,
                        source,
                    },
                    other => other,
                });
            }
            warn!(addr = %cfg.addr, attempt, error = %err, "connection attempt failed; retrying");
        }
    }
}
