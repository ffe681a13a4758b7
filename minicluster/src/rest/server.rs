//! [`RestServer`]: the RM web services on `spindle-http`'s bounded HTTP/1.1 server (a connection
//! limit, header and body timeouts, a size limit for bodies, a maximum connection age, and a
//! graceful shutdown).

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use spindle_http::{Handler, HttpServer};
use tokio::net::TcpListener;

use super::routes::{RestContext, handle};
use crate::cluster::Core;

/// Limits of the REST server.
pub type RestConfig = spindle_http::HttpConfig;

/// The running REST server of the embedded RM.
#[derive(Debug)]
pub struct RestServer {
    server: HttpServer,
}

struct RestHandler(Arc<RestContext>);

impl Handler for RestHandler {
    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        handle(&self.0, request).await
    }
}

impl RestServer {
    /// Serves the RM state of `core` on a bound listener.
    pub(crate) fn serve(
        listener: TcpListener,
        core: Arc<Core>,
        config: RestConfig,
    ) -> std::io::Result<RestServer> {
        let ctx = Arc::new(RestContext {
            core,
            config: config.clone(),
            local_addr: listener.local_addr()?,
        });
        let server = HttpServer::serve(listener, config, Arc::new(RestHandler(ctx)))?;
        Ok(RestServer { server })
    }

    /// The bound address (`yarn.resourcemanager.webapp.address`).
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Stops accepting, lets requests in flight finish (up to the grace period), and closes
    /// every connection.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}
