//! The parts of an application the web services read and change one by one: its attempts and
//! their containers, its priority, queue and timeouts, the statistics of all applications by
//! state and type, and signals to containers.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde::{Deserialize, Serialize};
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::{
    GetApplicationsRequestProto, UpdateApplicationTimeoutsRequestProto,
};

use super::error::{RestError, clip, parse_or_400};
use super::json::{AppTimeout, AppTimeouts, id_text};
use super::routes::{RestContext, app_states, list_param, parse_app_id, parse_json, report_of};
use crate::rm::state::RmState;
use crate::webdoc::{Format, bare, document};

type Answer = Result<Response<Full<Bytes>>, RestError>;

/// `{"priority":n}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppPriority {
    /// The priority.
    pub priority: i32,
}

/// `{"queue":"…"}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppQueue {
    /// The queue.
    pub queue: String,
}

/// The body of `PUT …/timeout`: `{"timeout":{"type":"LIFETIME","expiryTime":"…"}}`.
#[derive(Debug, Clone, Deserialize)]
struct TimeoutUpdate {
    timeout: TimeoutBody,
}

#[derive(Debug, Clone, Deserialize)]
struct TimeoutBody {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(rename = "expiryTime")]
    expiry_time: String,
}

/// An attempt as the web services show it (`AppAttemptInfo`: the RM's fields and the common
/// ones, in one document).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptInfo {
    /// The attempt number.
    pub id: i32,
    /// `appattempt_…`.
    pub app_attempt_id: String,
    /// Its state (`YarnApplicationAttemptState` name).
    pub app_attempt_state: &'static str,
    /// When it started (ms).
    pub start_time: i64,
    /// The same (the common field name).
    pub started_time: i64,
    /// When it ended (ms, 0 before).
    pub finished_time: i64,
    /// Its AM container.
    pub container_id: String,
    /// The same (the common field name).
    pub am_container_id: String,
    /// The AM container's node web address.
    pub node_http_address: String,
    /// The AM container's node.
    pub node_id: String,
    /// The AM container's logs.
    pub logs_link: String,
    /// The AM's host.
    pub host: String,
    /// The AM's RPC port.
    pub rpc_port: i32,
    /// Its tracking URL.
    pub tracking_url: String,
    /// The URL its AM gave.
    pub original_tracking_url: String,
    /// Why it failed.
    pub diagnostics_info: String,
    /// Nodes its AM asked to avoid.
    pub blacklisted_nodes: String,
    /// Nodes the system avoids for it.
    pub nodes_blacklisted_by_system: String,
}

/// A container as the web services show it (`ContainerInfo` of the common web app).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInfo {
    /// The container id.
    pub container_id: String,
    /// Its memory (MB).
    #[serde(rename = "allocatedMB")]
    pub allocated_mb: i64,
    /// Its vcores.
    pub allocated_v_cores: i64,
    /// Its node.
    pub assigned_node_id: String,
    /// Its priority.
    pub priority: i32,
    /// When it was allocated (ms).
    pub started_time: i64,
    /// When it ended (ms, 0 before).
    pub finished_time: i64,
    /// How long it has held its resources (ms).
    pub elapsed_time: i64,
    /// Why it ended.
    pub diagnostics_info: String,
    /// Its logs on its node.
    pub log_url: String,
    /// Its exit status (-1000 while it runs).
    pub container_exit_status: i32,
    /// `RUNNING` or `COMPLETE`.
    pub container_state: &'static str,
    /// Its node's web address.
    pub node_http_address: String,
    /// Its node.
    pub node_id: String,
}

impl ContainerInfo {
    fn from_report(r: &ContainerReportProto, now_ms: i64) -> Self {
        let node = id_text(
            r.node_id.as_ref(),
            spindle_protocol::ids::NodeId::from_proto,
        );
        let resource = super::json::ResourceInfo::from_proto(r.resource.as_ref());
        let started = r.creation_time.unwrap_or(0);
        let finished = r.finish_time.unwrap_or(0);
        ContainerInfo {
            container_id: id_text(r.container_id.as_ref(), ContainerId::from_proto),
            allocated_mb: resource.memory,
            allocated_v_cores: resource.v_cores,
            assigned_node_id: node.clone(),
            priority: r.priority.as_ref().and_then(|p| p.priority).unwrap_or(0),
            started_time: started,
            finished_time: finished,
            elapsed_time: super::json::elapsed_ms(started, finished, now_ms),
            diagnostics_info: r.diagnostics_info.clone().unwrap_or_default(),
            log_url: r.log_url.clone().unwrap_or_default(),
            container_exit_status: r.container_exit_status.unwrap_or(-1000),
            container_state: if r.container_state() == ContainerStateProto::CComplete {
                "COMPLETE"
            } else {
                "RUNNING"
            },
            node_http_address: r.node_http_address.clone().unwrap_or_default(),
            node_id: node,
        }
    }
}

/// The `containers` object.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerList {
    /// The containers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub container: Vec<ContainerInfo>,
}

/// The `appAttempts` object.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptList {
    /// The attempts.
    #[serde(rename = "appAttempt", skip_serializing_if = "Vec::is_empty")]
    pub app_attempt: Vec<AttemptInfo>,
}

/// One `statItem`.
#[derive(Debug, Clone, Serialize)]
pub struct StatItem {
    /// The application state.
    pub state: &'static str,
    /// The application type (`*`: all).
    #[serde(rename = "type")]
    pub kind: String,
    /// How many.
    pub count: i64,
}

/// `appStatInfo`.
#[derive(Debug, Clone, Serialize)]
pub struct StatInfo {
    /// The items.
    #[serde(rename = "statItem")]
    pub stat_item: Vec<StatItem>,
}

/// The Java name of an attempt state (`YarnApplicationAttemptState.name()`).
pub fn attempt_state_name(raw: i32) -> &'static str {
    use YarnApplicationAttemptStateProto as S;
    match S::try_from(raw) {
        Ok(S::AppAttemptNew) => "NEW",
        Ok(S::AppAttemptSubmitted) => "SUBMITTED",
        Ok(S::AppAttemptScheduled) => "SCHEDULED",
        Ok(S::AppAttemptAllocatedSaving) => "ALLOCATED_SAVING",
        Ok(S::AppAttemptAllocated) => "ALLOCATED",
        Ok(S::AppAttemptLaunched) => "LAUNCHED",
        Ok(S::AppAttemptFailed) => "FAILED",
        Ok(S::AppAttemptRunning) => "RUNNING",
        Ok(S::AppAttemptFinishing) => "FINISHING",
        Ok(S::AppAttemptFinished) => "FINISHED",
        Ok(S::AppAttemptKilled) => "KILLED",
        Err(_) => "UNKNOWN",
    }
}

/// The signal command a name means (any case).
fn signal_command(name: &str) -> Option<SignalContainerCommandProto> {
    match name.trim().to_ascii_uppercase().as_str() {
        "OUTPUT_THREAD_DUMP" => Some(SignalContainerCommandProto::OutputThreadDump),
        "GRACEFUL_SHUTDOWN" => Some(SignalContainerCommandProto::GracefulShutdown),
        "FORCEFUL_SHUTDOWN" => Some(SignalContainerCommandProto::ForcefulShutdown),
        _ => None,
    }
}

/// The attempts of `app` as documents.
pub fn attempt_infos(rm: &RmState, app: &ApplicationId) -> Result<Vec<AttemptInfo>, RestError> {
    let reports = rm.attempt_reports(app).map_err(RestError::from_service)?;
    let user = rm.app(app).map(|a| a.user.clone()).unwrap_or_default();
    Ok(reports.iter().map(|r| attempt_info(rm, r, &user)).collect())
}

fn attempt_info(rm: &RmState, r: &ApplicationAttemptReportProto, user: &str) -> AttemptInfo {
    let id = r
        .application_attempt_id
        .as_ref()
        .and_then(|a| ApplicationAttemptId::from_proto(a).ok());
    let am = r
        .am_container_id
        .as_ref()
        .and_then(|c| ContainerId::from_proto(c).ok());
    let (http, node) = am
        .and_then(|c| rm.container(&c))
        .and_then(|c| rm.nodes().get(c.node))
        .map(|n| (n.http_address.clone(), n.id.to_string()))
        .unwrap_or_default();
    let am_id = am.map(|c| c.to_string()).unwrap_or_default();
    AttemptInfo {
        id: id.map_or(0, |a| a.attempt_id),
        app_attempt_id: id.map(|a| a.to_string()).unwrap_or_default(),
        app_attempt_state: attempt_state_name(r.yarn_application_attempt_state.unwrap_or(0)),
        start_time: r.start_time.unwrap_or(0),
        started_time: r.start_time.unwrap_or(0),
        finished_time: r.finish_time.unwrap_or(0),
        logs_link: if am_id.is_empty() {
            String::new()
        } else {
            format!("http://{http}/node/containerlogs/{am_id}/{user}")
        },
        container_id: am_id.clone(),
        am_container_id: am_id,
        node_http_address: http,
        node_id: node,
        host: r.host.clone().unwrap_or_default(),
        rpc_port: r.rpc_port.unwrap_or(-1),
        tracking_url: r.tracking_url.clone().unwrap_or_default(),
        original_tracking_url: r.original_tracking_url.clone().unwrap_or_default(),
        diagnostics_info: r.diagnostics.clone().unwrap_or_default(),
        blacklisted_nodes: String::new(),
        nodes_blacklisted_by_system: String::new(),
    }
}

/// The containers of `attempt` as documents.
pub fn container_infos(
    rm: &RmState,
    attempt: ApplicationAttemptId,
    now_ms: i64,
) -> Result<Vec<ContainerInfo>, RestError> {
    Ok(rm
        .container_reports(attempt)
        .map_err(RestError::from_service)?
        .iter()
        .map(|r| ContainerInfo::from_report(r, now_ms))
        .collect())
}

fn parse_attempt(app: &ApplicationId, raw: &str) -> Result<ApplicationAttemptId, RestError> {
    let a: ApplicationAttemptId = parse_or_400(raw, 100, |v| format!("Invalid AppAttemptId: {v}"))?;
    if a.application_id != *app {
        return Err(RestError::bad_request(format!(
            "attempt {a} does not belong to application {app}"
        )));
    }
    Ok(a)
}

/// `GET …/apps/{id}/appattempts`.
pub(crate) fn attempts(ctx: &RestContext, raw: &str, f: Format) -> Answer {
    let id = parse_app_id(raw)?;
    let list = ctx.core.with_rm(|rm, _| {
        report_of(rm, &id)?;
        attempt_infos(rm, &id)
    })?;
    Ok(document(
        StatusCode::OK,
        f,
        "appAttempts",
        &AttemptList { app_attempt: list },
    ))
}

/// `GET …/apps/{id}/appattempts/{attempt}`.
pub(crate) fn attempt(ctx: &RestContext, raw: &str, raw_attempt: &str, f: Format) -> Answer {
    let id = parse_app_id(raw)?;
    let attempt = parse_attempt(&id, raw_attempt)?;
    let info = ctx.core.with_rm(|rm, _| {
        report_of(rm, &id)?;
        let r = rm.attempt_report(attempt).map_err(|e| {
            if e.class_name
                .ends_with("ApplicationAttemptNotFoundException")
            {
                RestError::not_found(e.message)
            } else {
                RestError::from_service(e)
            }
        })?;
        let user = rm.app(&id).map(|a| a.user.clone()).unwrap_or_default();
        Ok::<_, RestError>(attempt_info(rm, &r, &user))
    })?;
    Ok(document(StatusCode::OK, f, "appAttempt", &info))
}

/// `GET …/appattempts/{attempt}/containers[/{container}]`.
pub(crate) fn containers(
    ctx: &RestContext,
    raw: &str,
    raw_attempt: &str,
    container: Option<&str>,
    f: Format,
) -> Answer {
    let id = parse_app_id(raw)?;
    let attempt = parse_attempt(&id, raw_attempt)?;
    let not_found = |e: spindle_protocol::ipc::ServiceError| {
        if e.class_name.ends_with("NotFoundException") {
            RestError::not_found(e.message)
        } else {
            RestError::from_service(e)
        }
    };
    match container {
        None => {
            let list = ctx.core.with_rm(|rm, now| {
                report_of(rm, &id)?;
                rm.container_reports(attempt).map_err(not_found).map(|v| {
                    v.iter()
                        .map(|r| ContainerInfo::from_report(r, now))
                        .collect()
                })
            })?;
            Ok(document(
                StatusCode::OK,
                f,
                "containers",
                &ContainerList { container: list },
            ))
        }
        Some(raw_c) => {
            let c: ContainerId = parse_or_400(raw_c, 100, |v| format!("Invalid ContainerId: {v}"))?;
            let info = ctx.core.with_rm(|rm, now| {
                report_of(rm, &id)?;
                rm.container_report_of(c)
                    .map_err(not_found)
                    .map(|r| ContainerInfo::from_report(&r, now))
            })?;
            Ok(document(StatusCode::OK, f, "container", &info))
        }
    }
}

/// `GET …/apps/{id}/{priority,queue,timeouts}`.
pub(crate) fn get_part(ctx: &RestContext, raw: &str, part: &str, f: Format) -> Answer {
    let id = parse_app_id(raw)?;
    let r = ctx.core.with_rm(|rm, _| report_of(rm, &id))?;
    Ok(match part {
        "priority" => bare(
            StatusCode::OK,
            f,
            "applicationpriority",
            &AppPriority {
                priority: r.priority.as_ref().and_then(|p| p.priority).unwrap_or(0),
            },
        ),
        "queue" => bare(
            StatusCode::OK,
            f,
            "appqueue",
            &AppQueue {
                queue: r.queue.clone().unwrap_or_default(),
            },
        ),
        _ => document(
            StatusCode::OK,
            f,
            "timeouts",
            &AppTimeouts {
                timeout: AppTimeout::from_report(&r),
            },
        ),
    })
}

/// `GET …/apps/{id}/timeouts/{type}`.
pub(crate) fn timeout(ctx: &RestContext, raw: &str, kind: &str, f: Format) -> Answer {
    let id = parse_app_id(raw)?;
    if !kind.eq_ignore_ascii_case("LIFETIME") {
        return Err(RestError::bad_request(format!(
            "Invalid application timeout type {}; the only type is LIFETIME",
            clip(kind, 50)
        )));
    }
    let r = ctx.core.with_rm(|rm, _| report_of(rm, &id))?;
    let t = AppTimeout::from_report(&r).remove(0);
    Ok(document(StatusCode::OK, f, "timeout", &t))
}

/// `PUT …/apps/{id}/{priority,queue,timeout}` with its JSON body.
pub(crate) fn put_part(ctx: &RestContext, raw: &str, part: &str, body: &[u8], f: Format) -> Answer {
    let id = parse_app_id(raw)?;
    match part {
        "priority" => {
            let want: AppPriority = parse_json(body, "priority object ({\"priority\":n})")?;
            let priority = ctx.core.with_rm(|rm, _| {
                report_of(rm, &id)?;
                rm.update_priority(&id, want.priority)
                    .map_err(RestError::from_service)
            })?;
            Ok(bare(
                StatusCode::OK,
                f,
                "applicationpriority",
                &AppPriority { priority },
            ))
        }
        "queue" => {
            let want: AppQueue = parse_json(body, "queue object ({\"queue\":\"name\"})")?;
            let queue = ctx.core.with_rm(|rm, _| {
                report_of(rm, &id)?;
                rm.move_to_queue(&id, &want.queue)
                    .map_err(RestError::from_service)?;
                Ok::<_, RestError>(report_of(rm, &id)?.queue.unwrap_or_default())
            })?;
            Ok(bare(StatusCode::OK, f, "appqueue", &AppQueue { queue }))
        }
        _ => {
            let want: TimeoutUpdate = parse_json(
                body,
                "timeout object ({\"timeout\":{\"type\":\"LIFETIME\",\"expiryTime\":\"yyyy-MM-dd'T'HH:mm:ss.SSSZ\"}})",
            )?;
            if want
                .timeout
                .kind
                .as_deref()
                .is_some_and(|k| !k.eq_ignore_ascii_case("LIFETIME"))
            {
                return Err(RestError::bad_request(
                    "Invalid application timeout type; the only type is LIFETIME",
                ));
            }
            let req = UpdateApplicationTimeoutsRequestProto {
                application_id: id.to_proto(),
                application_timeouts: vec![ApplicationUpdateTimeoutMapProto {
                    application_timeout_type: Some(
                        ApplicationTimeoutTypeProto::AppTimeoutLifetime as i32,
                    ),
                    expire_time: Some(want.timeout.expiry_time),
                }],
            };
            let r = ctx.core.with_rm(|rm, now| {
                report_of(rm, &id)?;
                rm.update_timeouts(&req, now)
                    .map_err(RestError::from_service)?;
                report_of(rm, &id)
            })?;
            let t = AppTimeout::from_report(&r).remove(0);
            Ok(document(StatusCode::OK, f, "timeout", &t))
        }
    }
}

/// `GET /ws/v1/cluster/appstatistics[?states=…&applicationTypes=…]`: how many applications
/// the RM keeps in each state, for at most one application type.
pub(crate) fn statistics(ctx: &RestContext, params: &[(String, String)], f: Format) -> Answer {
    let mut states = app_states(params, &["states"])?;
    if states.is_empty() {
        states = YarnApplicationStateProto::ALL.to_vec();
    }
    let types = list_param(params, &["applicationTypes"]);
    if types.len() > 1 {
        return Err(RestError::bad_request(format!(
            "# of applicationTypes = {}, we temporarily support at most one applicationType",
            types.len()
        )));
    }
    let kind = types.first().map(|t| t.to_lowercase());
    let reports = ctx
        .core
        .with_rm(|rm, _| rm.applications(&GetApplicationsRequestProto::default()));
    let stat_item = states
        .iter()
        .map(|s| StatItem {
            state: s.java_name(),
            kind: kind.clone().unwrap_or_else(|| "*".into()),
            count: reports
                .iter()
                .filter(|r| r.yarn_application_state() == *s)
                .filter(|r| {
                    kind.as_deref()
                        .is_none_or(|k| r.application_type().to_lowercase() == k)
                })
                .count() as i64,
        })
        .collect();
    Ok(document(
        StatusCode::OK,
        f,
        "appStatInfo",
        &StatInfo { stat_item },
    ))
}

/// `POST /ws/v1/cluster/containers/{container}/signal/{command}`.
pub(crate) fn signal(ctx: &RestContext, raw: &str, command: &str) -> Answer {
    let c: ContainerId = parse_or_400(raw, 100, |v| format!("Invalid ContainerId: {v}"))?;
    let cmd = signal_command(command).ok_or_else(|| {
        RestError::bad_request(format!(
            "Invalid command: {}; use OUTPUT_THREAD_DUMP, GRACEFUL_SHUTDOWN or FORCEFUL_SHUTDOWN",
            clip(command, 50)
        ))
    })?;
    ctx.core
        .with_rm(|rm, _| rm.signal_container(c, cmd as i32))
        .map_err(RestError::from_service)?;
    Ok(spindle_http::response(
        StatusCode::OK,
        crate::webdoc::JSON_CONTENT_TYPE,
        Vec::new(),
    ))
}
