//! The NodeManager's HTML pages: the node, its applications and containers, and container
//! logs (the page every YARN log link leads to: `/node/containerlogs/<container>/<user>`).

use std::fmt::Display;
use std::str::FromStr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use spindle_http::html::{Cell, Page};
use spindle_http::query::{param, percent_encode};
use spindle_protocol::ids::ContainerId;

use super::json::{AppInfo, Apps, ContainerInfo, Containers, NodeInfo};
use super::logs::{self, LogError};
use crate::nm::NodeManager;
use crate::rest::error::{RestError, parse_or_400};
use crate::webdoc::{html, link};

/// How much of a log its page shows unless asked for more (YARN's NM shows the last 4 KiB).
const DEFAULT_TAIL: i64 = -4096;

fn nav(page: Page) -> Page {
    page.nav(&[
        ("/node", "Node"),
        ("/node/allApplications", "Applications"),
        ("/node/allContainers", "Containers"),
    ])
}

/// An error as a small page with its status.
pub fn error_page(e: &RestError) -> Response<Full<Bytes>> {
    crate::webdoc::error_page(e, nav)
}

fn number(params: &[(String, String)], key: &str) -> Result<Option<i64>, RestError> {
    param(params, key)
        .map(|v| parse_or_400(v, 30, |v| format!("{key} '{v}' is not a byte offset")))
        .transpose()
}

fn log_error(e: LogError) -> RestError {
    match e {
        LogError::BadContainerId(_) | LogError::BadFileName(_) => {
            RestError::bad_request(e.to_string())
        }
        _ => RestError::not_found(e.to_string()),
    }
}

/// What the `what` (`application`, `container`) with the id `raw` is on this node, as `find`
/// tells: 400 for an id that does not parse, 404 for one the node does not know.
fn known<I: FromStr + Display, T>(
    raw: &str,
    what: &str,
    find: impl FnOnce(&I) -> Option<T>,
) -> Result<T, RestError> {
    let id: I = raw
        .parse()
        .map_err(|_| RestError::bad_request(format!("Invalid {what} id {raw}")))?;
    find(&id).ok_or_else(|| RestError::not_found(format!("Unknown {what} {id} on this node")))
}

/// The page of log file `file` of container `id`, run as `user`.
fn log_file_path(id: &ContainerId, user: &str, file: &str) -> String {
    format!(
        "/node/containerlogs/{id}/{}/{}",
        percent_encode(user),
        percent_encode(file)
    )
}

/// `/`, `/node/...`.
pub fn page(
    nm: &NodeManager,
    segs: &[&str],
    params: &[(String, String)],
) -> Result<Response<Full<Bytes>>, RestError> {
    match segs {
        [] => Ok(spindle_http::redirect("/node")),
        ["node"] | ["node", "node"] => Ok(html(StatusCode::OK, node_page(nm))),
        ["node", "allApplications"] => Ok(html(StatusCode::OK, apps_page(nm))),
        ["node", "allContainers"] => Ok(html(StatusCode::OK, containers_page(nm))),
        ["node", "application", id] => {
            let app = known(id, "application", |id| AppInfo::of(nm, id))?;
            Ok(html(StatusCode::OK, app_page(nm, &app)))
        }
        ["node", "container", id] => {
            let c = known(id, "container", |id| ContainerInfo::of(nm, id))?;
            Ok(html(StatusCode::OK, container_page(&c)))
        }
        ["node", "containerlogs", container, user] => {
            let (id, dir) = logs::container_dir(nm.log_dir(), container).map_err(log_error)?;
            let files = logs::list(&dir);
            let rows: Vec<Vec<Cell>> = files
                .iter()
                .map(|(name, size, _)| {
                    vec![
                        link(log_file_path(&id, user, name), name.clone()),
                        Cell::from(format!("{size} bytes")),
                    ]
                })
                .collect();
            let page = nav(Page::new(&format!("Logs of {id}")))
                .facts(&[
                    ("Container", Cell::from(id.to_string())),
                    ("User", Cell::from(*user)),
                ])
                .table(
                    "log-files",
                    &["Log type", "Length"],
                    &rows,
                    "This container has no log files yet.",
                );
            Ok(html(StatusCode::OK, page.finish()))
        }
        ["node", "containerlogs", container, user, file] => {
            let (id, dir) = logs::container_dir(nm.log_dir(), container).map_err(log_error)?;
            let path = logs::log_file(&dir, &id, file).map_err(log_error)?;
            let start = number(params, "start")?.unwrap_or(DEFAULT_TAIL);
            let end = number(params, "end")?;
            let part = logs::read_part(&path, start, end).map_err(log_error)?;
            let text = String::from_utf8_lossy(&part.bytes);
            let base = log_file_path(&id, user, file);
            let mut page = nav(Page::new(&format!("{file} of {id}")));
            if (part.bytes.len() as u64) < part.total {
                page = page.link_paragraph(
                    &format!(
                        "Showing {} bytes of {} total (from byte {}).",
                        part.bytes.len(),
                        part.total,
                        part.start
                    ),
                    &format!("{base}?start=0"),
                    "Click here for the full log.",
                );
            }
            Ok(html(
                StatusCode::OK,
                page.preformatted("log", &text).finish(),
            ))
        }
        _ => Err(RestError::not_found(format!(
            "no page /{}; see /node",
            segs.join("/")
        ))),
    }
}

fn node_page(nm: &NodeManager) -> String {
    let info = NodeInfo::of(nm);
    nav(Page::new(&format!("NodeManager {}", info.id)))
        .facts(&[
            ("Node id", Cell::from(info.id.clone())),
            ("Host", Cell::from(info.node_host_name.clone())),
            ("Healthy", Cell::from(info.node_healthy.to_string())),
            (
                "Memory of containers",
                Cell::from(format!("{} MB", info.total_pmem_allocated_containers_mb)),
            ),
            (
                "Vcores of containers",
                Cell::from(info.total_v_cores_allocated_containers.to_string()),
            ),
            (
                "Started",
                Cell::from(crate::time::format_readable(info.nm_startup_time)),
            ),
            ("Version", Cell::from(info.node_manager_version)),
        ])
        .finish()
}

fn apps_page(nm: &NodeManager) -> String {
    let rows: Vec<Vec<Cell>> = Apps::of(nm, None, None)
        .app
        .iter()
        .map(|a| {
            vec![
                link(format!("/node/application/{}", a.id), a.id.clone()),
                Cell::from(a.state),
                Cell::from(a.user.clone()),
            ]
        })
        .collect();
    nav(Page::new("Applications on this node"))
        .table(
            "apps",
            &["Application", "State", "User"],
            &rows,
            "No applications run on this node.",
        )
        .finish()
}

/// A link to the page listing container `c`'s log files.
fn logs_link(c: &ContainerInfo) -> Cell {
    link(
        format!("/node/containerlogs/{}/{}", c.id, percent_encode(&c.user)),
        "logs",
    )
}

fn container_rows(containers: &[ContainerInfo]) -> Vec<Vec<Cell>> {
    containers
        .iter()
        .map(|c| {
            vec![
                link(format!("/node/container/{}", c.id), c.id.clone()),
                Cell::from(c.state),
                Cell::from(c.exit_code.to_string()),
                logs_link(c),
            ]
        })
        .collect()
}

fn containers_page(nm: &NodeManager) -> String {
    let rows = container_rows(&Containers::of(nm).container);
    nav(Page::new("Containers on this node"))
        .table(
            "containers",
            &["Container", "State", "Exit code", "Logs"],
            &rows,
            "No containers run on this node.",
        )
        .finish()
}

fn app_page(nm: &NodeManager, app: &AppInfo) -> String {
    let containers: Vec<ContainerInfo> = app
        .container_ids
        .iter()
        .filter_map(|id| id.parse().ok())
        .filter_map(|id| ContainerInfo::of(nm, &id))
        .collect();
    nav(Page::new(&format!("Application {}", app.id)))
        .facts(&[
            ("State", Cell::from(app.state)),
            ("User", Cell::from(app.user.clone())),
        ])
        .table(
            "containers",
            &["Container", "State", "Exit code", "Logs"],
            &container_rows(&containers),
            "No containers.",
        )
        .finish()
}

fn container_page(c: &ContainerInfo) -> String {
    nav(Page::new(&format!("Container {}", c.id)))
        .facts(&[
            ("State", Cell::from(c.state)),
            ("Exit code", Cell::from(c.exit_code.to_string())),
            ("Diagnostics", Cell::from(c.diagnostics.clone())),
            ("User", Cell::from(c.user.clone())),
            (
                "Memory",
                Cell::from(format!("{} MB", c.total_memory_needed_mb)),
            ),
            ("Vcores", Cell::from(c.total_v_cores_needed.to_string())),
            ("Logs", logs_link(c)),
        ])
        .finish()
}
