//! A NodeManager's web server (the port in node reports and in containers' `NM_HTTP_PORT`), on
//! `spindle-http`'s bounded server:
//!
//! | request | answer |
//! |---|---|
//! | `GET /ws/v1/node`, `/ws/v1/node/info` | `{"nodeInfo":{…}}` |
//! | `GET /ws/v1/node/apps[?state=,user=]`, `/ws/v1/node/apps/{app}` | `{"apps":{"app":[…]}}`, `{"app":{…}}` |
//! | `GET /ws/v1/node/containers`, `/ws/v1/node/containers/{container}` | `{"containers":{"container":[…]}}`, `{"container":{…}}` |
//! | `GET /ws/v1/node/containers/{container}/logs` | the container's log files (`containerLogsInfo`) |
//! | `GET /ws/v1/node/containerlogs/{container}/{file}[?size=n]` | the file (`text/plain`; a negative `size` counts from the end) |
//! | `GET /ws/v1/node/auxiliaryservices` | `{"services":{}}` (no auxiliary services) |
//! | `GET /node`, `/node/allApplications`, `/node/allContainers`, `/node/application/{app}`, `/node/container/{container}` | HTML pages |
//! | `GET /node/containerlogs/{container}/{user}[/{file}][?start=,end=]` | the container's log files and one log, as HTML |
//!
//! Documents are JSON, or XML when `Accept` asks for it; errors are `RemoteException` documents
//! (400 for malformed ids, 404 for unknown ones). Log paths are checked by [`logs`]: nothing
//! outside a container's own log folder is served.

pub mod json;
pub mod logs;
pub mod pages;

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::ACCEPT;
use hyper::{Method, Request, Response, StatusCode};
use spindle_http::query::{param, query_params};
use spindle_http::{Handler, HttpConfig, HttpServer};
use spindle_protocol::ids::{ApplicationId, ContainerId};
use tokio::net::TcpListener;

use super::NodeManager;
use crate::rest::error::{RestError, clip, parse_or_400};
use crate::webdoc::{self, Format};
use logs::LogError;

/// The node's web server.
#[derive(Debug)]
pub struct NodeWebServer {
    server: HttpServer,
}

impl NodeWebServer {
    /// Serves `node` on an already bound listener (the node needs the port before it starts).
    pub fn serve(listener: TcpListener, node: Arc<NodeManager>) -> std::io::Result<Self> {
        let server = HttpServer::serve(listener, HttpConfig::default(), Arc::new(NodeWeb(node)))?;
        Ok(NodeWebServer { server })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Stops serving.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

struct NodeWeb(Arc<NodeManager>);

impl Handler for NodeWeb {
    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        handle(&self.0, &request)
    }
}

fn log_error(e: LogError) -> RestError {
    match e {
        LogError::BadContainerId(_) | LogError::BadFileName(_) => {
            RestError::bad_request(e.to_string())
        }
        _ => RestError::not_found(e.to_string()),
    }
}

fn parse_app(raw: &str) -> Result<ApplicationId, RestError> {
    parse_or_400(raw, 100, |v| format!("Invalid ApplicationId prefix: {v}"))
}

fn parse_container(raw: &str) -> Result<ContainerId, RestError> {
    parse_or_400(raw, 100, |v| format!("invalid container id, {v}"))
}

/// Serves one request; errors are answered as documents, never as a failure.
pub fn handle<B>(nm: &NodeManager, req: &Request<B>) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_string();
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(spindle_http::query::percent_decode)
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let params = query_params(req.uri().query().unwrap_or(""));
    let is_service = segs.first() == Some(&"ws");
    let format = if is_service {
        match webdoc::negotiate(req.headers().get(ACCEPT).and_then(|v| v.to_str().ok())) {
            Some(f) => f,
            None => {
                let e = RestError::not_acceptable(
                    req.headers()
                        .get(ACCEPT)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or(""),
                );
                return webdoc::error(&e, Format::Json, &[]);
            }
        }
    } else {
        Format::Json
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let e = RestError::method_not_allowed(req.method().as_str(), &path, &["GET"]);
        return webdoc::error(&e, format, &["GET"]);
    }
    let result = if is_service {
        service(nm, &segs, &params, format)
    } else {
        pages::page(nm, &segs, &params)
    };
    match result {
        Ok(r) => r,
        Err(e) if is_service => webdoc::error(&e, format, &[]),
        Err(e) => pages::error_page(&e),
    }
}

/// `/ws/v1/node/...`.
fn service(
    nm: &NodeManager,
    segs: &[&str],
    params: &[(String, String)],
    format: Format,
) -> Result<Response<Full<Bytes>>, RestError> {
    let doc = |root: &str, body: &dyn erased::Doc| body.render(root, format);
    match segs {
        ["ws", "v1", "node"] | ["ws", "v1", "node", "info"] => {
            Ok(doc("nodeInfo", &json::NodeInfo::of(nm)))
        }
        ["ws", "v1", "node", "apps"] => {
            let state = param(params, "state");
            if let Some(s) = state
                && !json::APP_STATES.contains(&s.to_ascii_uppercase().as_str())
            {
                return Err(RestError::bad_request(format!(
                    "Invalid application state {}: use one of {}",
                    clip(s, 50),
                    json::APP_STATES.join(", ")
                )));
            }
            Ok(doc(
                "apps",
                &json::Apps::of(nm, state, param(params, "user")),
            ))
        }
        ["ws", "v1", "node", "apps", id] => {
            let id = parse_app(id)?;
            let app = json::AppInfo::of(nm, &id)
                .ok_or_else(|| RestError::not_found(format!("app with id {id} not found")))?;
            Ok(doc("app", &app))
        }
        ["ws", "v1", "node", "containers"] => Ok(doc("containers", &json::Containers::of(nm))),
        ["ws", "v1", "node", "containers", id] => {
            let id = parse_container(id)?;
            let c = json::ContainerInfo::of(nm, &id).ok_or_else(|| {
                RestError::not_found(format!("container with id, {id}, not found"))
            })?;
            Ok(doc("container", &c))
        }
        ["ws", "v1", "node", "containers", id, "logs"] => {
            let (id, dir) = logs::container_dir(nm.log_dir(), id).map_err(log_error)?;
            Ok(doc(
                "containerLogsInfo",
                &json::ContainerLogs::of(nm, &id, &dir),
            ))
        }
        ["ws", "v1", "node", "containerlogs", id, file] => {
            let (id, dir) = logs::container_dir(nm.log_dir(), id).map_err(log_error)?;
            let path = logs::log_file(&dir, &id, file).map_err(log_error)?;
            let start = match param(params, "size") {
                None => 0,
                Some(s) => {
                    let n: i64 =
                        parse_or_400(s, 30, |v| format!("size '{v}' is not a number of bytes"))?;
                    // A positive size is the first bytes, a negative one the last.
                    if n >= 0 {
                        return Ok(text(
                            logs::read_part(&path, 0, Some(n)).map_err(log_error)?.bytes,
                        ));
                    }
                    n
                }
            };
            Ok(text(
                logs::read_part(&path, start, None)
                    .map_err(log_error)?
                    .bytes,
            ))
        }
        ["ws", "v1", "node", "auxiliaryservices"] => Ok(doc("services", &json::NoServices {})),
        _ => Err(RestError::not_found(format!(
            "no such resource: /{}; this NodeManager serves /ws/v1/node/{{info,apps,containers,containerlogs}}",
            segs.join("/")
        ))),
    }
}

fn text(bytes: Vec<u8>) -> Response<Full<Bytes>> {
    spindle_http::response(StatusCode::OK, "text/plain; charset=utf-8", bytes)
}

/// Serializable documents behind one object-safe face, for the router's table.
mod erased {
    use super::*;

    /// A document the router can render in either format.
    pub trait Doc {
        /// The answer.
        fn render(&self, root: &str, format: Format) -> Response<Full<Bytes>>;
    }

    impl<T: serde::Serialize> Doc for T {
        fn render(&self, root: &str, format: Format) -> Response<Full<Bytes>> {
            webdoc::document(StatusCode::OK, format, root, self)
        }
    }
}
