//! The RM web UI: server-rendered HTML pages (no scripts) with the same paths as YARN's RM UI.
//!
//! | page | shows |
//! |---|---|
//! | `/` | redirects to `/cluster` |
//! | `/cluster`, `/cluster/apps`, `/cluster/apps/<STATE>` | the applications (all, or one state), newest first |
//! | `/cluster/app/<application>` | one application: its report, tracking link, attempts and the current attempt's containers with links to their logs |
//! | `/cluster/appattempt/<attempt>` | one attempt and its containers |
//! | `/cluster/nodes` | the NodeManagers, with links to their web servers |
//! | `/cluster/scheduler` | the queues and what they hold |
//! | `/cluster/cluster` | about the cluster |
//! | `/cluster/failure/<application>` | the page the web proxy sends an AM that redirects back to the proxy |
//!
//! Every table has an `id`; unknown pages, applications and attempts answer 404 pages, malformed
//! ids 400.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use spindle_http::html::{Cell, Page};
use spindle_http::query::percent_decode;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::GetApplicationsRequestProto;

use super::app_parts::{AttemptInfo, ContainerInfo, attempt_infos, container_infos};
use super::error::{RestError, clip, parse_or_400};
use super::json::{AppInfo, ClusterInfo, NodeInfo};
use super::routes::{RestContext, app_info, report_of};
use crate::rm::queues::Queue;
use crate::time::format_readable;
use crate::webdoc::{html, link};

/// The states the applications page filters by, as YARN's UI names them.
const STATES: [&str; 9] = [
    "NEW",
    "NEW_SAVING",
    "SUBMITTED",
    "ACCEPTED",
    "RUNNING",
    "FINISHED",
    "FAILED",
    "KILLED",
    "ALL",
];

fn nav(page: Page) -> Page {
    page.nav(&[
        ("/cluster/apps", "Applications"),
        ("/cluster/apps/RUNNING", "Running"),
        ("/cluster/apps/FINISHED", "Finished"),
        ("/cluster/apps/FAILED", "Failed"),
        ("/cluster/apps/KILLED", "Killed"),
        ("/cluster/nodes", "Nodes"),
        ("/cluster/scheduler", "Scheduler"),
        ("/cluster/cluster", "About"),
    ])
}

fn error_page(e: &RestError) -> Response<Full<Bytes>> {
    crate::webdoc::error_page(e, nav)
}

/// Serves a web UI request.
pub(crate) fn page<B>(ctx: &RestContext, req: &Request<B>) -> Response<Full<Bytes>> {
    let decoded: Vec<String> = req
        .uri()
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segs: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let result = match segs.as_slice() {
        [] => return spindle_http::redirect("/cluster"),
        ["cluster"] | ["cluster", "apps"] => apps_page(ctx, None),
        ["cluster", "apps", state] => apps_page(ctx, Some(state)),
        ["cluster", "app", id] => app_page(ctx, id),
        ["cluster", "appattempt", id] => attempt_page(ctx, id),
        ["cluster", "nodes"] => Ok(nodes_page(ctx)),
        ["cluster", "scheduler"] => Ok(scheduler_page(ctx)),
        ["cluster", "cluster"] => Ok(about_page(ctx)),
        ["cluster", "failure", id] => Ok(failure_page(id)),
        _ => Err(RestError::not_found(format!(
            "no page {}; the ResourceManager's pages are under /cluster",
            clip(req.uri().path(), 200)
        ))),
    };
    match result {
        Ok(body) => html(StatusCode::OK, body),
        Err(e) => error_page(&e),
    }
}

fn apps_page(ctx: &RestContext, state: Option<&str>) -> Result<String, RestError> {
    let wanted = match state.map(|s| s.to_ascii_uppercase()) {
        None => None,
        Some(s) if s == "ALL" => None,
        Some(s) => Some(
            YarnApplicationStateProto::from_java_name(&s).ok_or_else(|| {
                RestError::bad_request(format!(
                    "Invalid application state {}: use one of {}",
                    clip(&s, 50),
                    STATES.join(", ")
                ))
            })?,
        ),
    };
    let apps: Vec<AppInfo> = ctx.core.with_rm(|rm, now| {
        let mut req = GetApplicationsRequestProto::default();
        if let Some(s) = wanted {
            req.application_states.push(s as i32);
        }
        rm.applications(&req)
            .iter()
            .rev()
            .map(|r| app_info(rm, r, now))
            .collect()
    });
    let rows: Vec<Vec<Cell>> = apps
        .iter()
        .map(|a| {
            vec![
                link(format!("/cluster/app/{}", a.id), a.id.clone()),
                Cell::from(a.user.clone()),
                Cell::from(a.name.clone()),
                Cell::from(a.application_type.clone()),
                Cell::from(a.queue.clone()),
                Cell::from(a.priority.to_string()),
                Cell::from(format_readable(a.started_time)),
                Cell::from(format_readable(a.finished_time)),
                Cell::from(a.state),
                Cell::from(a.final_status),
                Cell::from(a.running_containers.to_string()),
                Cell::from(format!("{:.0}%", a.progress)),
                match &a.tracking_url {
                    Some(u) => link(u.clone(), a.tracking_ui),
                    None => Cell::from(a.tracking_ui),
                },
            ]
        })
        .collect();
    let title = match wanted {
        Some(s) => format!("{} applications", s.java_name()),
        None => "All applications".to_string(),
    };
    Ok(nav(Page::new(&title))
        .table(
            "apps",
            &[
                "ID",
                "User",
                "Name",
                "Application type",
                "Queue",
                "Priority",
                "Start time",
                "Finish time",
                "State",
                "Final status",
                "Running containers",
                "Progress",
                "Tracking UI",
            ],
            &rows,
            "No applications.",
        )
        .finish())
}

fn parse_app(raw: &str) -> Result<ApplicationId, RestError> {
    parse_or_400(raw, 100, |v| format!("Invalid application id {v}"))
}

fn attempt_rows(attempts: &[AttemptInfo]) -> Vec<Vec<Cell>> {
    attempts
        .iter()
        .map(|a| {
            vec![
                link(
                    format!("/cluster/appattempt/{}", a.app_attempt_id),
                    a.app_attempt_id.clone(),
                ),
                Cell::from(a.app_attempt_state),
                Cell::from(format_readable(a.start_time)),
                if a.node_http_address.is_empty() {
                    Cell::from("N/A")
                } else {
                    link(
                        format!("http://{}/node", a.node_http_address),
                        a.node_id.clone(),
                    )
                },
                if a.logs_link.is_empty() {
                    Cell::from("N/A")
                } else {
                    link(a.logs_link.clone(), "Logs")
                },
                Cell::from(a.diagnostics_info.clone()),
            ]
        })
        .collect()
}

fn container_rows(containers: &[ContainerInfo]) -> Vec<Vec<Cell>> {
    containers
        .iter()
        .map(|c| {
            vec![
                Cell::from(c.container_id.clone()),
                if c.node_http_address.is_empty() {
                    Cell::from(c.node_id.clone())
                } else {
                    link(format!("{}/node", c.node_http_address), c.node_id.clone())
                },
                Cell::from(format!(
                    "{} MB, {} vcores",
                    c.allocated_mb, c.allocated_v_cores
                )),
                Cell::from(c.container_state),
                Cell::from(c.container_exit_status.to_string()),
                link(c.log_url.clone(), "Logs"),
            ]
        })
        .collect()
}

/// `page` with the table of `containers` appended.
fn with_containers(containers: &[ContainerInfo], page: Page) -> Page {
    page.table(
        "containers",
        &CONTAINER_HEADERS,
        &container_rows(containers),
        "No containers.",
    )
}

const ATTEMPT_HEADERS: [&str; 6] = ["Attempt", "State", "Started", "Node", "Logs", "Diagnostics"];
const CONTAINER_HEADERS: [&str; 6] = [
    "Container",
    "Node",
    "Resources",
    "State",
    "Exit status",
    "Logs",
];

fn app_page(ctx: &RestContext, raw: &str) -> Result<String, RestError> {
    let id = parse_app(raw)?;
    let (info, report, attempts, containers) = ctx.core.with_rm(|rm, now| {
        let report = report_of(rm, &id)?;
        let info = app_info(rm, &report, now);
        let attempts = attempt_infos(rm, &id)?;
        let containers = match report
            .current_application_attempt_id
            .as_ref()
            .and_then(|a| ApplicationAttemptId::from_proto(a).ok())
        {
            Some(a) => container_infos(rm, a, now)?,
            None => Vec::new(),
        };
        Ok::<_, RestError>((info, report, attempts, containers))
    })?;
    let usage = report.app_resource_usage.clone().unwrap_or_default();
    let tracking = match &info.tracking_url {
        Some(u) => link(u.clone(), info.tracking_ui),
        None => Cell::from(info.tracking_ui),
    };
    let timeout = info
        .timeouts
        .timeout
        .first()
        .map(|t| format!("{} ({} s left)", t.expiry_time, t.remaining_time_in_seconds))
        .unwrap_or_default();
    Ok(with_containers(
        &containers,
        nav(Page::new(&format!("Application {id}")))
            .facts(&[
                ("User", Cell::from(info.user.clone())),
                ("Name", Cell::from(info.name.clone())),
                (
                    "Application type",
                    Cell::from(info.application_type.clone()),
                ),
                (
                    "Application tags",
                    Cell::from(info.application_tags.clone()),
                ),
                ("Queue", Cell::from(info.queue.clone())),
                ("Priority", Cell::from(info.priority.to_string())),
                ("State", Cell::from(info.state)),
                ("Final status", Cell::from(info.final_status)),
                ("Started", Cell::from(format_readable(info.started_time))),
                ("Launched", Cell::from(format_readable(info.launch_time))),
                ("Finished", Cell::from(format_readable(info.finished_time))),
                (
                    "Elapsed",
                    Cell::from(format!("{} s", info.elapsed_time / 1000)),
                ),
                ("Tracking URL", tracking),
                ("Lifetime", Cell::from(timeout)),
                (
                    "Aggregate resource allocation",
                    Cell::from(format!(
                        "{} MB-seconds, {} vcore-seconds",
                        usage.memory_seconds.unwrap_or(0),
                        usage.vcore_seconds.unwrap_or(0)
                    )),
                ),
                (
                    "Log aggregation status",
                    Cell::from(info.log_aggregation_status),
                ),
                ("Diagnostics", Cell::from(info.diagnostics.clone())),
                (
                    "Unmanaged application",
                    Cell::from(info.unmanaged_application.to_string()),
                ),
            ])
            .heading("Attempts")
            .table(
                "attempts",
                &ATTEMPT_HEADERS,
                &attempt_rows(&attempts),
                "No attempts.",
            )
            .heading("Containers of the current attempt"),
    )
    .finish())
}

fn attempt_page(ctx: &RestContext, raw: &str) -> Result<String, RestError> {
    let attempt: ApplicationAttemptId =
        parse_or_400(raw, 100, |v| format!("Invalid application attempt id {v}"))?;
    let app = attempt.application_id;
    let (attempts, containers) = ctx.core.with_rm(|rm, now| {
        report_of(rm, &app)?;
        let attempts = attempt_infos(rm, &app)?;
        let containers = container_infos(rm, attempt, now).map_err(|e| {
            if e.status == StatusCode::BAD_REQUEST {
                RestError::not_found(e.message)
            } else {
                e
            }
        })?;
        Ok::<_, RestError>((attempts, containers))
    })?;
    let this: Vec<AttemptInfo> = attempts
        .into_iter()
        .filter(|a| a.app_attempt_id == attempt.to_string())
        .collect();
    if this.is_empty() {
        return Err(RestError::not_found(format!(
            "Unknown application attempt {attempt}"
        )));
    }
    Ok(with_containers(
        &containers,
        nav(Page::new(&format!("Application attempt {attempt}")))
            .link_paragraph(
                "Of application",
                &format!("/cluster/app/{app}"),
                &app.to_string(),
            )
            .table(
                "attempts",
                &ATTEMPT_HEADERS,
                &attempt_rows(&this),
                "No attempts.",
            )
            .heading("Containers"),
    )
    .finish())
}

fn nodes_page(ctx: &RestContext) -> String {
    let nodes: Vec<NodeInfo> = ctx.core.with_rm(|rm, now| {
        rm.node_reports(&[], now)
            .iter()
            .map(NodeInfo::from_report)
            .collect()
    });
    let rows: Vec<Vec<Cell>> = nodes
        .iter()
        .map(|n| {
            vec![
                Cell::from(n.rack.clone()),
                Cell::from(n.state),
                Cell::from(n.id.clone()),
                if n.node_http_address.ends_with(":0") {
                    Cell::from(n.node_http_address.clone())
                } else {
                    link(
                        format!("http://{}/node", n.node_http_address),
                        n.node_http_address.clone(),
                    )
                },
                Cell::from(n.num_containers.to_string()),
                Cell::from(format!("{} MB", n.used_memory_mb)),
                Cell::from(format!("{} MB", n.avail_memory_mb)),
                Cell::from(n.used_virtual_cores.to_string()),
                Cell::from(n.available_virtual_cores.to_string()),
                Cell::from(n.version),
            ]
        })
        .collect();
    nav(Page::new("Nodes of the cluster"))
        .table(
            "nodes",
            &[
                "Rack",
                "Node state",
                "Node address",
                "Node HTTP address",
                "Containers",
                "Memory used",
                "Memory available",
                "Vcores used",
                "Vcores available",
                "Version",
            ],
            &rows,
            "No nodes.",
        )
        .finish()
}

fn scheduler_page(ctx: &RestContext) -> String {
    let usage = ctx.core.with_rm(|rm, _| rm.queue_usage());
    let rows: Vec<Vec<Cell>> = Queue::ALL
        .iter()
        .map(|q| {
            let d = super::scheduler::queue_doc(*q, &usage);
            vec![
                Cell::from(d.queue_path),
                Cell::from(if q.is_leaf() { "leaf" } else { "parent" }),
                Cell::from(d.state),
                Cell::from(format!("{:.1}%", d.capacity)),
                Cell::from(format!("{:.1}%", d.max_capacity)),
                Cell::from(format!("{:.1}%", d.used_capacity)),
                Cell::from(d.num_applications.to_string()),
                Cell::from(d.num_containers.to_string()),
                Cell::from(format!(
                    "{} MB, {} vcores",
                    d.resources_used.memory, d.resources_used.v_cores
                )),
            ]
        })
        .collect();
    nav(Page::new("Capacity scheduler"))
        .table(
            "queues",
            &[
                "Queue",
                "Kind",
                "State",
                "Capacity",
                "Maximum capacity",
                "Used capacity",
                "Applications",
                "Containers",
                "Used",
            ],
            &rows,
            "No queues.",
        )
        .paragraph(&format!(
            "Applications submitted: {}, completed: {}, failed: {}, killed: {}.",
            usage.submitted, usage.completed, usage.failed, usage.killed
        ))
        .finish()
}

fn about_page(ctx: &RestContext) -> String {
    let (ts, metrics) = ctx
        .core
        .with_rm(|rm, _| (rm.config().cluster_timestamp, rm.cluster_metrics()));
    let info = ClusterInfo::new(ts);
    nav(Page::new("About the cluster"))
        .facts(&[
            ("Cluster id", Cell::from(info.id.to_string())),
            ("Started", Cell::from(format_readable(info.started_on))),
            ("State", Cell::from(info.state)),
            ("HA state", Cell::from(info.ha_state)),
            (
                "ResourceManager version",
                Cell::from(info.resource_manager_build_version.clone()),
            ),
            (
                "NodeManagers",
                Cell::from(format!(
                    "{} ({} active)",
                    metrics.num_node_managers.unwrap_or(0),
                    metrics.num_active_nms.unwrap_or(0)
                )),
            ),
        ])
        .finish()
}

fn failure_page(raw: &str) -> String {
    let shown = clip(raw, 100);
    nav(Page::new(&format!("Failed to reach the application master of {shown}")))
        .paragraph(
            "The application master's web server redirected the web proxy's request back to the web proxy. \
             The usual cause is that the application master resolves the ResourceManager's address as \
             something other than what it expects; check its network settings.",
        )
        .link_paragraph("See the application:", &format!("/cluster/app/{shown}"), &shown)
        .finish()
}
