//! The AM's tracking page (HTML) and its JSON (`json`), registered with the ResourceManager as
//! the application's tracking URL, so the RM's web proxy (`/proxy/<application id>/`) and every
//! tracking link lead here. Links are relative, so they work through the proxy too.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use spindle_http::html::{Cell, Page};
use spindle_http::hyper::body::Incoming;
use spindle_http::hyper::header::{CACHE_CONTROL, CONTENT_TYPE};
use spindle_http::hyper::{Method, Request, Response, StatusCode};
use spindle_http::{Handler, HttpConfig, HttpServer};
use tokio::sync::watch;

use crate::master::AmStatus;

/// What the page says about the application besides the AM's status.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AppInfo {
    /// The attempt id.
    pub attempt: String,
    /// The user it runs as.
    pub user: String,
    /// What it runs (distributed shell, a driver).
    pub workload: String,
    /// The AM's host.
    pub host: String,
}

#[derive(Serialize)]
struct Document<'a> {
    application: &'a AppInfo,
    status: &'a AmStatus,
}

struct Tracking {
    app: AppInfo,
    status: watch::Receiver<AmStatus>,
}

fn respond(
    status: StatusCode,
    content_type: &str,
    body: impl Into<Bytes>,
) -> Response<http_body_util::Full<Bytes>> {
    let mut r = Response::new(http_body_util::Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, content_type.parse().expect("static header"));
    r.headers_mut()
        .insert(CACHE_CONTROL, "no-store".parse().expect("static header"));
    r
}

impl Handler for Tracking {
    async fn handle(&self, request: Request<Incoming>) -> Response<http_body_util::Full<Bytes>> {
        if request.method() != Method::GET && request.method() != Method::HEAD {
            return respond(
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                "only GET\n",
            );
        }
        let status = self.status.borrow().clone();
        // The RM's proxy forwards `/proxy/<id>/<rest>` as `/<rest>`; anything else under the
        // page's own name is served too.
        match request.uri().path().trim_end_matches('/') {
            "" | "/index.html" => respond(
                StatusCode::OK,
                "text/html; charset=utf-8",
                render(&self.app, &status),
            ),
            "/json" => match serde_json::to_vec_pretty(&Document {
                application: &self.app,
                status: &status,
            }) {
                Ok(body) => respond(StatusCode::OK, "application/json", body),
                Err(e) => respond(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    e.to_string(),
                ),
            },
            other => respond(
                StatusCode::NOT_FOUND,
                "text/plain; charset=utf-8",
                format!("no page {other}; try / or /json\n"),
            ),
        }
    }
}

/// The HTML page.
pub fn render(app: &AppInfo, status: &AmStatus) -> String {
    let profiles: Vec<Vec<Cell>> = status
        .profiles
        .iter()
        .map(|p| {
            vec![
                p.profile.to_string().into(),
                p.target.to_string().into(),
                p.pending.to_string().into(),
                p.starting.to_string().into(),
                p.running.to_string().into(),
            ]
        })
        .collect();
    let executors: Vec<Vec<Cell>> = status
        .executors
        .iter()
        .map(|e| {
            vec![
                e.id.to_string().into(),
                e.container.clone().into(),
                e.host.clone().into(),
                e.state.into(),
                match &e.log_url {
                    Some(url) => Cell::Link {
                        href: url.clone(),
                        text: "logs".into(),
                    },
                    None => "".into(),
                },
                e.exit.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    let events: Vec<Vec<Cell>> = status
        .events
        .iter()
        .rev()
        .map(|e| {
            vec![
                format!("{:.1} s", e.at_ms as f64 / 1000.0).into(),
                e.text.clone().into(),
            ]
        })
        .collect();
    let excluded = if status.excluded_nodes.is_empty() {
        "none".to_string()
    } else {
        status.excluded_nodes.join(", ")
    };
    Page::new(&format!("Spindle ApplicationMaster — {}", app.attempt))
        .nav(&[("json", "JSON")])
        .facts(&[
            ("State", status.state.as_str().into()),
            ("User", app.user.as_str().into()),
            ("Runs", app.workload.as_str().into()),
            ("AM host", app.host.as_str().into()),
            ("Heartbeats", status.heartbeats.to_string().into()),
            ("Executor failures", status.failures.to_string().into()),
            ("Excluded nodes", excluded.into()),
            (
                "Diagnostics",
                status.diagnostics.clone().unwrap_or_default().into(),
            ),
        ])
        .heading("Allocation")
        .table(
            "profiles",
            &["Profile", "Target", "Pending", "Starting", "Running"],
            &profiles,
            "No resource profiles.",
        )
        .heading("Executors")
        .table(
            "executors",
            &["Executor", "Container", "Host", "State", "Logs", "Exit"],
            &executors,
            "No executors yet.",
        )
        .heading("Recent events")
        .table("events", &["At", "Event"], &events, "No events yet.")
        .finish()
}

/// The running page.
pub struct TrackingServer {
    server: HttpServer,
    url: String,
}

impl TrackingServer {
    /// Serves the page on `bind` (port 0: any), advertised as `http://<host>:<port>/`.
    pub async fn start(
        bind: SocketAddr,
        host: &str,
        app: AppInfo,
        status: watch::Receiver<AmStatus>,
    ) -> std::io::Result<TrackingServer> {
        let config = HttpConfig {
            max_connections: 64,
            ..HttpConfig::default()
        };
        let server = HttpServer::bind(bind, config, Arc::new(Tracking { app, status })).await?;
        let url = format!("http://{host}:{}/", server.local_addr().port());
        Ok(TrackingServer { server, url })
    }

    /// The URL registered as the tracking URL.
    pub fn url(&self) -> &str {
        &self.url
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
