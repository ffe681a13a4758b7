//! [`RestServer`]: the HTTP/1.1 listener of the RM web services (hyper 1.x). Every connection
//! is bounded: a connection limit, a timeout for request headers (which also closes idle
//! keep-alive connections), a timeout and a size limit for bodies; on shutdown open connections
//! finish their request in flight and are closed.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};
use tracing::{debug, warn};

use super::routes::{RestContext, handle};
use crate::cluster::Core;

/// Limits of the REST server.
#[derive(Debug, Clone)]
pub struct RestConfig {
    /// Largest request body accepted (larger ones get 413).
    pub max_body_bytes: usize,
    /// Time a client has to send a request's headers; also how long an idle keep-alive
    /// connection stays open.
    pub header_timeout: Duration,
    /// Time a client has to send a request's body (else 408).
    pub body_timeout: Duration,
    /// Connections served at once; more are closed at once.
    pub max_connections: usize,
    /// How long shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
    /// A connection older than this is closed after its request in flight (this also ends
    /// connections stuck on a client that does not read its answers).
    pub max_connection_age: Duration,
}

impl Default for RestConfig {
    fn default() -> Self {
        RestConfig {
            max_body_bytes: 4 << 20,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 256,
            shutdown_grace: Duration::from_millis(500),
            max_connection_age: Duration::from_secs(300),
        }
    }
}

/// The running REST server of the embedded RM.
#[derive(Debug)]
pub struct RestServer {
    local_addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl RestServer {
    /// Binds `addr` and serves the RM state of `core`.
    pub(crate) async fn bind(
        addr: SocketAddr,
        core: Arc<Core>,
        config: RestConfig,
    ) -> std::io::Result<RestServer> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let (stop, stop_rx) = watch::channel(false);
        let ctx = Arc::new(RestContext {
            core,
            config,
            local_addr,
        });
        let task = tokio::spawn(accept_loop(listener, ctx, stop_rx));
        Ok(RestServer {
            local_addr,
            stop,
            task: Some(task),
        })
    }

    /// The bound address (`yarn.resourcemanager.webapp.address`).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting, lets requests in flight finish (up to the grace period), and closes
    /// every connection.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for RestServer {
    /// Closes the listener and every connection at once.
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    ctx: Arc<RestContext>,
    mut stop: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(ctx.config.max_connections.max(1)));
    let mut conns = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            a = listener.accept() => a,
        };
        while conns.try_join_next().is_some() {}
        let stream = match accepted {
            Ok((s, _)) => s,
            Err(e) => {
                // Out of file descriptors and the like: back off instead of spinning.
                warn!(error = %e, "REST server cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            debug!("REST server at its connection limit; closing a new connection");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let ctx = ctx.clone();
        let mut stop = stop.clone();
        conns.spawn(async move {
            let _permit = permit;
            let grace = ctx.config.shutdown_grace;
            let header_timeout = ctx.config.header_timeout;
            let max_age = ctx.config.max_connection_age;
            let svc = service_fn(move |req| {
                let ctx = ctx.clone();
                async move { Ok::<_, Infallible>(handle(&ctx, req).await) }
            });
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder.serve_connection(TokioIo::new(stream), svc);
            tokio::pin!(conn);
            tokio::select! {
                r = conn.as_mut() => {
                    if let Err(e) = r {
                        debug!(error = %e, "REST connection ended with an error");
                    }
                }
                _ = async { stop.wait_for(|s| *s).await.map(|_| ()) } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(grace, conn.as_mut()).await;
                }
                _ = tokio::time::sleep(max_age) => {
                    debug!("closing a REST connection at its maximum age");
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(grace, conn.as_mut()).await;
                }
            }
        });
    }
    drop(listener);
    let grace = ctx.config.shutdown_grace + Duration::from_millis(100);
    let _ = tokio::time::timeout(grace, async { while conns.join_next().await.is_some() {} }).await;
    conns.abort_all();
}
