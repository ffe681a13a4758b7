//! The IPC server: accepts connections, authenticates them (SIMPLE and/or TOKEN), and
//! dispatches calls by protocol name to [`Service`]s.

mod config;
mod connection;
mod dispatch;
pub mod preamble;
mod registry;
mod service;
pub(crate) mod warn_limit;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tracing::{Instrument, debug, info, info_span};

pub use config::{DEFAULT_MAX_SASL_FRAME_LEN, ServerConfig};
use registry::{Refusal, Registry};
pub use service::{CallContext, CallFuture, Service, ServiceError};
use warn_limit::{WarnLimit, limited_warn};

/// State shared by all connections of a server.
pub(crate) struct ServerShared {
    pub(crate) config: ServerConfig,
    pub(crate) services: HashMap<String, Arc<dyn Service>>,
    /// Repeated warnings are logged once per window.
    pub(crate) warnings: WarnLimit,
}

/// A running IPC server. Dropping it stops it (abruptly); prefer [`IpcServer::shutdown`].
#[derive(Debug)]
pub struct IpcServer {
    local_addr: SocketAddr,
    shutdown_tx: watch::Sender<bool>,
    accept_task: Option<JoinHandle<()>>,
}

impl IpcServer {
    /// Binds `config.bind` and starts serving `services` (one per protocol name).
    pub async fn bind(
        config: ServerConfig,
        services: Vec<Arc<dyn Service>>,
    ) -> std::io::Result<IpcServer> {
        let mut by_name = HashMap::new();
        for service in services {
            let name = service.protocol_name().to_string();
            if by_name.insert(name.clone(), service).is_some() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("two services for protocol {name}"),
                ));
            }
        }
        if config.secret_manager.is_none() && config.kerberos.is_none() && !config.allow_simple {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "no authentication method enabled: set a secret manager or Kerberos, or allow SIMPLE",
            ));
        }
        let listener = TcpListener::bind(config.bind).await?;
        let local_addr = listener.local_addr()?;
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(ServerShared {
            config,
            services: by_name,
            warnings: WarnLimit::default(),
        });
        info!(%local_addr, protocols = ?shared.services.keys().collect::<Vec<_>>(), "IPC server listening");
        let accept_task = tokio::spawn(accept_loop(listener, shared, shutdown_rx));
        Ok(IpcServer {
            local_addr,
            shutdown_tx,
            accept_task: Some(accept_task),
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting, lets calls in flight finish (up to `shutdown_grace`), closes every
    /// connection, and returns when all of that is done.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown_tx.send(true);
        if let Some(task) = self.accept_task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for IpcServer {
    fn drop(&mut self) {
        let _ = self.shutdown_tx.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<ServerShared>,
    shutdown: watch::Receiver<bool>,
) {
    let registry = Registry::new(
        shared.config.max_connections,
        shared.config.max_connections_per_source,
    );
    let mut connections = JoinSet::new();
    let mut stop = shutdown.clone();
    loop {
        tokio::select! {
            _ = crate::ipc::wait_until_set(&mut stop) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let admitted = match registry.admit(peer.ip()) {
                        Ok(a) => a,
                        Err(Refusal::Full { max }) => {
                            limited_warn!(shared.warnings, "connections-full", %peer, max, "{max} connections open, all with calls outstanding; refusing a new one");
                            continue;
                        }
                        Err(Refusal::SourceFull { max }) => {
                            limited_warn!(shared.warnings, "source-full", %peer, max, "{max} connections open from this address, all with calls outstanding; refusing a new one");
                            continue;
                        }
                    };
                    if admitted.evicted {
                        debug!(%peer, open = registry.len(), "closed the least recently active idle connection to make room");
                    }
                    let span = info_span!("ipc_server_conn", %peer);
                    let shared = shared.clone();
                    let shutdown = shutdown.clone();
                    connections.spawn(
                        connection::serve(stream, peer, shared, shutdown, admitted.guard)
                            .instrument(span),
                    );
                }
                Err(e) => {
                    // e.g. too many open files: back off instead of spinning.
                    limited_warn!(shared.warnings, "accept", error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    }
    drop(listener);
    let bound = shared.config.shutdown_grace + Duration::from_secs(1);
    if tokio::time::timeout(bound, async {
        while connections.join_next().await.is_some() {}
    })
    .await
    .is_err()
    {
        tracing::warn!("connections still open after {bound:?}; aborting them");
        connections.abort_all();
    }
}
