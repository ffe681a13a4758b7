//! A small HTTP/1.1 server on hyper for Spindle's web faces (the ResourceManager's REST API and
//! web UI, the AM's tracking page), with every connection bounded: a connection limit (more are
//! closed at once), a timeout for request headers (which also closes idle keep-alive
//! connections), a maximum connection age, and a graceful shutdown that lets requests in flight
//! finish within a grace period. Bodies are read by the handler (see [`read_body`]), which
//! bounds their size and time.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};
use tracing::{debug, warn};

pub mod html;
pub mod query;

pub use hyper;

/// A complete answer: `status`, `Content-Type: content_type`, `body`.
pub fn response(
    status: hyper::StatusCode,
    content_type: &str,
    body: impl Into<Bytes>,
) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    if let Ok(v) = hyper::header::HeaderValue::from_str(content_type) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

/// A `302 Found` to `location`, with a short HTML body naming it (as servlet containers send).
pub fn redirect(location: &str) -> Response<Full<Bytes>> {
    let href = html::escape(location);
    let mut r = response(
        hyper::StatusCode::FOUND,
        "text/html; charset=utf-8",
        format!("<html><body>Moved to <a href=\"{href}\">{href}</a></body></html>"),
    );
    if let Ok(v) = hyper::header::HeaderValue::from_str(location) {
        r.headers_mut().insert(hyper::header::LOCATION, v);
    }
    r
}

/// Limits of a server.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest request body a handler should accept ([`read_body`] enforces it: 413).
    pub max_body_bytes: usize,
    /// Time a client has to send a request's headers; also how long an idle keep-alive
    /// connection stays open.
    pub header_timeout: Duration,
    /// Time a client has to send a request's body ([`read_body`]: 408).
    pub body_timeout: Duration,
    /// Connections served at once; more are closed at once.
    pub max_connections: usize,
    /// How long shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
    /// A connection older than this is closed after its request in flight (this also ends
    /// connections stuck on a client that does not read its answers).
    pub max_connection_age: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_body_bytes: 4 << 20,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 256,
            shutdown_grace: Duration::from_millis(500),
            max_connection_age: Duration::from_secs(300),
        }
    }
}

/// What answers requests.
pub trait Handler: Send + Sync + 'static {
    /// The response to `request`.
    fn handle(
        &self,
        request: Request<Incoming>,
    ) -> impl Future<Output = Response<Full<Bytes>>> + Send;
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than the limit (answer 413).
    TooLarge,
    /// Not sent within the time (answer 408).
    TimedOut,
    /// The connection failed while reading.
    Broken,
}

/// Reads a request body of at most `config.max_body_bytes` within `config.body_timeout`.
pub async fn read_body<B>(body: B, config: &HttpConfig) -> Result<Bytes, BodyError>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let limited = Limited::new(body, config.max_body_bytes);
    match tokio::time::timeout(config.body_timeout, limited.collect()).await {
        Err(_) => Err(BodyError::TimedOut),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(BodyError::TooLarge)
        }
        Ok(Err(_)) => Err(BodyError::Broken),
    }
}

/// A running server.
#[derive(Debug)]
pub struct HttpServer {
    local_addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Binds `addr` and serves `handler`.
    pub async fn bind<H: Handler>(
        addr: SocketAddr,
        config: HttpConfig,
        handler: Arc<H>,
    ) -> std::io::Result<HttpServer> {
        let listener = TcpListener::bind(addr).await?;
        HttpServer::serve(listener, config, handler)
    }

    /// Serves `handler` on a bound listener (for handlers that need the address first).
    pub fn serve<H: Handler>(
        listener: TcpListener,
        config: HttpConfig,
        handler: Arc<H>,
    ) -> std::io::Result<HttpServer> {
        let local_addr = listener.local_addr()?;
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, config, handler, stop_rx));
        Ok(HttpServer {
            local_addr,
            stop,
            task: Some(task),
        })
    }

    /// The bound address.
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

impl Drop for HttpServer {
    /// Closes the listener and every connection at once.
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

async fn accept_loop<H: Handler>(
    listener: TcpListener,
    config: HttpConfig,
    handler: Arc<H>,
    mut stop: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
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
                warn!(error = %e, "HTTP server cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            debug!("HTTP server at its connection limit; closing a new connection");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let handler = handler.clone();
        let mut stop = stop.clone();
        let (grace, header_timeout, max_age) = (
            config.shutdown_grace,
            config.header_timeout,
            config.max_connection_age,
        );
        conns.spawn(async move {
            let _permit = permit;
            let svc = service_fn(move |req| {
                let handler = handler.clone();
                async move { Ok::<_, Infallible>(handler.handle(req).await) }
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
                        debug!(error = %e, "HTTP connection ended with an error");
                    }
                }
                _ = async { stop.wait_for(|s| *s).await.map(|_| ()) } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(grace, conn.as_mut()).await;
                }
                _ = tokio::time::sleep(max_age) => {
                    debug!("closing an HTTP connection at its maximum age");
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(grace, conn.as_mut()).await;
                }
            }
        });
    }
    drop(listener);
    let grace = config.shutdown_grace + Duration::from_millis(100);
    let _ = tokio::time::timeout(grace, async { while conns.join_next().await.is_some() {} }).await;
    conns.abort_all();
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    struct Echo(HttpConfig);

    impl Handler for Echo {
        async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
            let path = request.uri().path().to_string();
            let body = match read_body(request.into_body(), &self.0).await {
                Ok(b) => format!("{path}:{}", b.len()),
                Err(e) => format!("{e:?}"),
            };
            Response::new(Full::new(Bytes::from(body)))
        }
    }

    async fn exchange(addr: SocketAddr, raw: &str) -> String {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(raw.as_bytes()).await.unwrap();
        let mut out = String::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_string(&mut out)).await;
        out
    }

    #[tokio::test]
    async fn serves_bounds_bodies_and_stops() {
        let config = HttpConfig {
            max_body_bytes: 8,
            header_timeout: Duration::from_millis(300),
            ..HttpConfig::default()
        };
        let server = HttpServer::bind(
            "127.0.0.1:0".parse().unwrap(),
            config.clone(),
            Arc::new(Echo(config)),
        )
        .await
        .unwrap();
        let addr = server.local_addr();
        let ok = exchange(
            addr,
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
        )
        .await;
        assert!(
            ok.starts_with("HTTP/1.1 200") && ok.ends_with("/a:3"),
            "{ok}"
        );
        let big = exchange(addr, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\nConnection: close\r\n\r\n01234567890123456789").await;
        assert!(big.ends_with("TooLarge"), "{big}");
        // A client that never finishes its headers is closed after the header timeout.
        let idle = exchange(addr, "GET /c HTTP/1.1\r\n").await;
        assert!(!idle.contains("200"), "{idle}");
        server.shutdown().await;
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    }
}
