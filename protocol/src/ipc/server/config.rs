//! Server configuration.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::gssapi::AcceptorCredential;
use crate::ipc::frame::DEFAULT_MAX_FRAME_LEN;
use crate::sasl::{Qop, SecretManager};

/// Default largest frame before the connection context: SASL messages only (a Kerberos
/// AP-REQ with a large PAC stays well under it; Windows caps tokens at 48,000 bytes).
pub const DEFAULT_MAX_SASL_FRAME_LEN: usize = 64 * 1024;

/// Everything an [`IpcServer`](super::IpcServer) needs.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Address to listen on (port 0 picks a free one).
    pub bind: SocketAddr,
    /// Token checking; `Some` enables TOKEN (DIGEST-MD5) authentication.
    pub secret_manager: Option<Arc<dyn SecretManager>>,
    /// `Some` enables KERBEROS (GSSAPI) authentication with this principal and keytab.
    pub kerberos: Option<AcceptorCredential>,
    /// Whether SIMPLE authentication is accepted.
    pub allow_simple: bool,
    /// Most connections open at once. A new connection beyond it takes the place of the least
    /// recently active idle one (no call outstanding); it is refused only when every
    /// connection is busy.
    pub max_connections: usize,
    /// Most connections from one source address, with the same rule among that address's
    /// connections (default 1024).
    pub max_connections_per_source: usize,
    /// Close a connection that has had no call outstanding and no traffic for this long
    /// (default 60 s; Hadoop clients close their own after `ipc.client.connection.maxidletime`,
    /// 10 s).
    pub max_idle: Duration,
    /// Largest frame accepted before the connection context, i.e. during SASL (default 64 KiB).
    pub max_sasl_frame_len: usize,
    /// Qualities of protection offered, in order (`hadoop.rpc.protection`; default
    /// `authentication`). With integrity or privacy every frame after SASL is wrapped.
    pub qop: Vec<Qop>,
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
            kerberos: None,
            allow_simple: true,
            max_connections: 4096,
            max_connections_per_source: 1024,
            max_idle: Duration::from_secs(60),
            max_sasl_frame_len: DEFAULT_MAX_SASL_FRAME_LEN,
            qop: vec![Qop::Auth],
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
            max_in_flight_per_connection: 256,
            handshake_timeout: Duration::from_secs(20),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}
