//! Server configuration.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::ipc::frame::DEFAULT_MAX_FRAME_LEN;
use crate::sasl::SecretManager;

/// Everything an [`IpcServer`](super::IpcServer) needs.
#[derive(Clone)]
pub struct ServerConfig {
    /// Address to listen on (port 0 picks a free one).
    pub bind: SocketAddr,
    /// Token checking; `Some` enables TOKEN (DIGEST-MD5) authentication.
    pub secret_manager: Option<Arc<dyn SecretManager>>,
    /// Whether SIMPLE authentication is accepted.
    pub allow_simple: bool,
    /// Most connections open at once; more are closed right after accept.
    pub max_connections: usize,
    /// Largest request frame accepted (`ipc.maximum.data.length`, default 128 MiB).
    pub max_frame_len: usize,
    /// Most calls of one connection running at once; reading pauses at the limit.
    pub max_in_flight_per_connection: usize,
    /// Time allowed for preamble, SASL and connection context (default 20 s).
    pub handshake_timeout: Duration,
    /// How long [`IpcServer::shutdown`](super::IpcServer::shutdown) waits for calls in flight.
    pub shutdown_grace: Duration,
}

impl ServerConfig {
    /// SIMPLE only, no tokens, Hadoop-like limits.
    pub fn new(bind: SocketAddr) -> Self {
        ServerConfig {
            bind,
            secret_manager: None,
            allow_simple: true,
            max_connections: 4096,
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
            max_in_flight_per_connection: 256,
            handshake_timeout: Duration::from_secs(20),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("bind", &self.bind)
            .field("token_auth", &self.secret_manager.is_some())
            .field("allow_simple", &self.allow_simple)
            .field("max_connections", &self.max_connections)
            .field("max_frame_len", &self.max_frame_len)
            .field(
                "max_in_flight_per_connection",
                &self.max_in_flight_per_connection,
            )
            .field("handshake_timeout", &self.handshake_timeout)
            .field("shutdown_grace", &self.shutdown_grace)
            .finish()
    }
}
