//! The router of the RM's web server: `/proxy/...` goes to the web proxy, `/ws/v1/cluster/...`
//! to the web services below, everything else to the web UI. The services reach the RM state
//! through the same [`RmState`] methods the IPC ApplicationClientProtocol face calls, and
//! answer with the documents of [`super::json`] (JSON, or XML when asked) or [`RestError`]s.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Body;
use hyper::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderValue, LOCATION};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode};
use spindle_http::BodyError;
use spindle_http::query::{param, percent_decode, query_params};
use spindle_protocol::ids::{ApplicationId, NodeId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::GetApplicationsRequestProto;

use super::error::{RestError, clip, parse_or_400};
use super::json::*;
use super::server::RestConfig;
use super::submission::{SubmissionInfo, submission_context};
use crate::cluster::Core;
use crate::rm::state::RmState;
use crate::webdoc::{self, Format, document};

/// The user of requests that name none (`hadoop.http.staticuser.user`).
pub const STATIC_USER: &str = "dr.who";
/// What a request handler needs: the cluster's core and the server's settings.
#[derive(Debug, Clone)]
pub(crate) struct RestContext {
    /// The RM state and nodes the IPC faces serve too.
    pub(crate) core: Arc<Core>,
    /// Limits.
    pub(crate) config: RestConfig,
    /// The server's address (for `Location` when a request has no usable `Host`).
    pub(crate) local_addr: SocketAddr,
}

/// All values of `key`, each split at commas, trimmed, empty ones dropped.
pub(crate) fn list_param(params: &[(String, String)], keys: &[&str]) -> Vec<String> {
    params
        .iter()
        .filter(|(k, _)| keys.contains(&k.as_str()))
        .flat_map(|(_, v)| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

pub(crate) fn long_param(params: &[(String, String)], key: &str) -> Result<Option<i64>, RestError> {
    match param(params, key) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            RestError::bad_request(format!(
                "{key} '{v}' is not a number (milliseconds or a count)"
            ))
        }),
    }
}

pub(crate) fn parse_app_id(raw: &str) -> Result<ApplicationId, RestError> {
    raw.parse().map_err(|e| {
        RestError::bad_request(format!(
            "Invalid ApplicationId: {raw} ({e}); ids look like application_<clusterTimestamp>_<number>"
        ))
    })
}

pub(crate) fn app_not_found(id: &ApplicationId) -> RestError {
    RestError::not_found(format!("app with id: {id} not found"))
}

/// The AM container of `id`'s current attempt.
pub(crate) fn am_container(rm: &RmState, id: &ApplicationId) -> Option<AmContainer> {
    let cid = rm.app(id)?.current()?.am_container?;
    let c = rm.container(&cid)?;
    let node = rm.nodes().get(c.node)?;
    Some(AmContainer {
        container_id: cid.to_string(),
        node_id: node.id.to_string(),
        node_http_address: c.proto.node_http_address.clone().unwrap_or_default(),
    })
}

pub(crate) fn app_info(rm: &RmState, report: &ApplicationReportProto, now: i64) -> AppInfo {
    let am = report
        .application_id
        .as_ref()
        .and_then(|p| ApplicationId::from_proto(p).ok())
        .and_then(|id| am_container(rm, &id));
    AppInfo::from_report(report, rm.config().cluster_timestamp, am.as_ref(), now)
}

pub(crate) async fn read_body<B>(body: B, config: &RestConfig) -> Result<Bytes, RestError>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    spindle_http::read_body(body, config)
        .await
        .map_err(|e| match e {
            BodyError::TimedOut => RestError::request_timeout(config.body_timeout.as_millis()),
            BodyError::TooLarge => RestError::payload_too_large(config.max_body_bytes),
            BodyError::Broken => RestError::bad_request("cannot read the request body"),
        })
}

/// The body of a request that must carry JSON, with the request's head. The headers are checked
/// first: a JSON body (or no type at all) not announced larger than the limit.
async fn json_body<B>(ctx: &RestContext, req: Request<B>) -> Result<(Parts, Bytes), RestError>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    check_json_headers(req.headers(), &ctx.config)?;
    let (head, body) = req.into_parts();
    Ok((head, read_body(body, &ctx.config).await?))
}

/// Checks the request declares a JSON body (or no type at all) and is not announced larger
/// than the limit.
fn check_json_headers(headers: &HeaderMap, config: &RestConfig) -> Result<(), RestError> {
    if let Some(len) = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        && len > config.max_body_bytes as u64
    {
        return Err(RestError::payload_too_large(config.max_body_bytes));
    }
    if let Some(ct) = headers.get(CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("?");
        let mime = ct.split(';').next().unwrap_or("").trim();
        if !mime.eq_ignore_ascii_case("application/json") && !mime.is_empty() {
            return Err(RestError::unsupported_media_type(ct));
        }
    }
    Ok(())
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    body: &[u8],
    what: &str,
) -> Result<T, RestError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(RestError::bad_request(format!(
            "the request has no body; send a JSON {what}"
        )));
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(RestError::bad_request(format!(
            "the body is not a JSON object; send a JSON {what}"
        )));
    }
    serde_json::from_slice(body)
        .map_err(|e| RestError::bad_request(format!("the body is not a valid JSON {what}: {e}")))
}

/// Checks a `user.name`: the NodeManagers use it as a folder name, so it must be 1 to 255 of
/// `[A-Za-z0-9._-]` and not `.` or `..`.
pub fn check_user(user: &str) -> Result<(), RestError> {
    // The same rule the launcher applies to every folder name, so a user the RM accepts is
    // never refused by a NodeManager.
    spindle_launcher::spec::check_path_name("user.name", user).map_err(|_| {
        RestError::bad_request(format!(
            "invalid user.name '{}': use 1 to 255 letters, digits, '.', '_' or '-'",
            clip(user, 100)
        ))
    })
}

/// `http://<Host or local address>` for `Location` headers.
pub(crate) fn base_url(headers: &HeaderMap, local: SocketAddr) -> String {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]_".contains(c))
        });
    match host {
        Some(h) => format!("http://{h}"),
        None => format!("http://{local}"),
    }
}

/// The request as the handlers see it: method, path segments (percent-decoded), query
/// parameters and the answer format.
pub(crate) struct Call<'a> {
    /// The method.
    pub(crate) method: Method,
    /// The path's segments.
    pub(crate) segs: Vec<&'a str>,
    /// The query's parameters.
    pub(crate) params: Vec<(String, String)>,
    /// JSON or XML.
    pub(crate) format: Format,
}

/// The methods a `/ws/v1/cluster/...` path accepts; `None` for an unknown path.
fn allowed(segs: &[&str]) -> Option<&'static [&'static str]> {
    Some(match segs {
        ["ws", "v1", "cluster"] | ["ws", "v1", "cluster", "info"] => &["GET"],
        [
            "ws",
            "v1",
            "cluster",
            "metrics" | "scheduler" | "appstatistics" | "scheduler-conf",
        ] => &["GET"],
        ["ws", "v1", "cluster", "scheduler", "activities"] => &["GET"],
        ["ws", "v1", "cluster", "scheduler", "app-activities", _] => &["GET"],
        ["ws", "v1", "cluster", "nodes"] | ["ws", "v1", "cluster", "nodes", _] => &["GET"],
        ["ws", "v1", "cluster", "apps"] => &["GET", "POST"],
        ["ws", "v1", "cluster", "apps", "new-application"] => &["POST"],
        ["ws", "v1", "cluster", "apps", _] => &["GET"],
        [
            "ws",
            "v1",
            "cluster",
            "apps",
            _,
            "state" | "priority" | "queue",
        ] => &["GET", "PUT"],
        ["ws", "v1", "cluster", "apps", _, "timeouts"] => &["GET"],
        ["ws", "v1", "cluster", "apps", _, "timeouts", _] => &["GET"],
        ["ws", "v1", "cluster", "apps", _, "timeout"] => &["PUT"],
        ["ws", "v1", "cluster", "apps", _, "appattempts"] => &["GET"],
        ["ws", "v1", "cluster", "apps", _, "appattempts", _] => &["GET"],
        [
            "ws",
            "v1",
            "cluster",
            "apps",
            _,
            "appattempts",
            _,
            "containers",
            ..,
        ] if segs.len() <= 9 => &["GET"],
        ["ws", "v1", "cluster", "containers", _, "signal", _] => &["POST"],
        ["ws", "v1", "cluster", "reservation", "list"] => &["GET"],
        ["ws", "v1", "cluster", "reservation", _] => &["POST"],
        ["ws", "v1", "cluster", "delegation-token"] => &["POST", "DELETE"],
        ["ws", "v1", "cluster", "delegation-token", "expiration"] => &["POST"],
        _ => return None,
    })
}

/// Serves one request of the RM's web server: the web services (`/ws/v1/cluster/...`), the web
/// UI (`/cluster/...`) and the web proxy (`/proxy/...`). Never fails: errors are answered as
/// `RemoteException` documents (or pages).
pub(crate) async fn handle<B>(ctx: &RestContext, req: Request<B>) -> Response<Full<Bytes>>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let path = req.uri().path().to_string();
    if path.starts_with("/proxy/") || path == "/proxy" {
        return super::proxy::forward(ctx, req).await;
    }
    if !path.starts_with("/ws/") {
        return super::ui::page(ctx, &req);
    }
    let method = req.method().clone();
    let decoded: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segs: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let accept = req
        .headers()
        .get(ACCEPT)
        .map(|v| v.to_str().unwrap_or("?").to_string());
    let Some(format) = webdoc::negotiate(accept.as_deref()) else {
        let e = RestError::not_acceptable(accept.as_deref().unwrap_or(""));
        return webdoc::error(&e, Format::Json, &[]);
    };
    let Some(allow) = allowed(&segs) else {
        let e = RestError::not_found(format!(
            "no such resource: {method} {path}; this ResourceManager serves /ws/v1/cluster/{{info,metrics,scheduler,nodes,apps,appstatistics,...}}"
        ));
        return webdoc::error(&e, format, &[]);
    };
    if !allow.contains(&method.as_str()) {
        let e = RestError::method_not_allowed(method.as_str(), &path, allow);
        return webdoc::error(&e, format, allow);
    }
    let call = Call {
        method,
        segs,
        params: query_params(req.uri().query().unwrap_or("")),
        format,
    };
    match route(ctx, &call, req).await {
        Ok(r) => r,
        Err(e) => webdoc::error(&e, format, &[]),
    }
}

async fn route<B>(
    ctx: &RestContext,
    call: &Call<'_>,
    req: Request<B>,
) -> Result<Response<Full<Bytes>>, RestError>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let get = call.method == Method::GET;
    let params = &call.params;
    let f = call.format;
    match call.segs.as_slice() {
        [_, _, _, "metrics"] => cluster_metrics(ctx, f),
        [_, _, _, "scheduler"] => Ok(super::scheduler::scheduler(ctx, f)),
        [_, _, _, "scheduler-conf"] => Ok(super::scheduler::scheduler_conf(ctx, f)),
        [_, _, _, "scheduler", "activities"] => super::scheduler::activities(ctx, params, f),
        [_, _, _, "scheduler", "app-activities", id] => {
            super::scheduler::app_activities(ctx, id, f)
        }
        [_, _, _, "appstatistics"] => super::app_parts::statistics(ctx, params, f),
        [_, _, _, "nodes"] => nodes(ctx, params, f),
        [_, _, _, "nodes", id] => node(ctx, id, f),
        [_, _, _, "apps"] if get => apps(ctx, params, f),
        [_, _, _, "apps"] => {
            let (head, body) = json_body(ctx, req).await?;
            submit(ctx, &head, &body, params, f)
        }
        [_, _, _, "apps", "new-application"] => new_application(ctx, f),
        [_, _, _, "apps", id] => app(ctx, id, f),
        [_, _, _, "apps", id, "state"] if get => app_state(ctx, id, f),
        [_, _, _, "apps", id, "state"] => {
            let (head, body) = json_body(ctx, req).await?;
            put_app_state(ctx, &head, &body, id, f)
        }
        [
            _,
            _,
            _,
            "apps",
            id,
            part @ ("priority" | "queue" | "timeouts"),
        ] if get => super::app_parts::get_part(ctx, id, part, f),
        [_, _, _, "apps", id, "timeouts", kind] => super::app_parts::timeout(ctx, id, kind, f),
        [
            _,
            _,
            _,
            "apps",
            id,
            part @ ("priority" | "queue" | "timeout"),
        ] => {
            let (_, body) = json_body(ctx, req).await?;
            super::app_parts::put_part(ctx, id, part, &body, f)
        }
        [_, _, _, "apps", id, "appattempts"] => super::app_parts::attempts(ctx, id, f),
        [_, _, _, "apps", id, "appattempts", attempt] => {
            super::app_parts::attempt(ctx, id, attempt, f)
        }
        [_, _, _, "apps", id, "appattempts", attempt, "containers"] => {
            super::app_parts::containers(ctx, id, attempt, None, f)
        }
        [_, _, _, "apps", id, "appattempts", attempt, "containers", c] => {
            super::app_parts::containers(ctx, id, attempt, Some(c), f)
        }
        [_, _, _, "containers", c, "signal", command] => super::app_parts::signal(ctx, c, command),
        // No reservation exists (none can be made: see the POSTs below).
        [_, _, _, "reservation", "list"] => Ok(webdoc::bare(
            StatusCode::OK,
            f,
            "reservation-listing",
            &serde_json::json!({ "reservations": [] }),
        )),
        [_, _, _, "reservation", ..] => Err(RestError::bad_request(
            "Reservation is not enabled. Please enable & try again",
        )),
        [_, _, _, "delegation-token", ..] => Err(RestError::forbidden(
            "Delegation token operations can only be carried out on a Kerberos authenticated channel. Expected auth type is kerberos or kerberos-dt, got type simple",
        )),
        _ => cluster_info(ctx, f),
    }
}

fn cluster_info(ctx: &RestContext, f: Format) -> Result<Response<Full<Bytes>>, RestError> {
    let ts = ctx.core.with_rm(|rm, _| rm.config().cluster_timestamp);
    Ok(document(
        StatusCode::OK,
        f,
        "clusterInfo",
        &ClusterInfo::new(ts),
    ))
}

fn cluster_metrics(ctx: &RestContext, f: Format) -> Result<Response<Full<Bytes>>, RestError> {
    let metrics = ctx.core.with_rm(|rm, now| {
        let apps = rm.applications(&GetApplicationsRequestProto::default());
        let nodes = rm.node_reports(&[], now);
        let mut m = ClusterMetrics::from_reports(&apps, &nodes);
        // Counts since the RM started: they outlive the records of forgotten applications.
        let t = rm.totals();
        m.apps_submitted = t.submitted;
        m.apps_completed = t.finished + t.failed + t.killed;
        m.apps_failed = t.failed;
        m.apps_killed = t.killed;
        m
    });
    Ok(document(StatusCode::OK, f, "clusterMetrics", &metrics))
}

fn nodes(
    ctx: &RestContext,
    params: &[(String, String)],
    f: Format,
) -> Result<Response<Full<Bytes>>, RestError> {
    let mut states = Vec::new();
    for s in list_param(params, &["states", "state"]) {
        let st = query_enum(&s, NodeStateProto::from_java_name).ok_or_else(|| {
            RestError::bad_request(format!(
                "Invalid node state {s}; valid states are {}",
                name_list(NodeStateProto::ALL, NodeStateProto::java_name)
            ))
        })?;
        states.push(st as i32);
    }
    let node = ctx.core.with_rm(|rm, now| {
        rm.node_reports(&states, now)
            .iter()
            .map(NodeInfo::from_report)
            .collect()
    });
    Ok(document(StatusCode::OK, f, "nodes", &NodeList { node }))
}

fn node(ctx: &RestContext, raw: &str, f: Format) -> Result<Response<Full<Bytes>>, RestError> {
    let id: NodeId = parse_or_400(raw, 100, |v| {
        format!("Invalid NodeId [{v}]. Expected host:port")
    })?;
    let info = ctx.core.with_rm(|rm, now| {
        rm.node_reports(&[], now)
            .iter()
            .find(|n| n.node_id.as_ref() == Some(&id.to_proto()))
            .map(NodeInfo::from_report)
    });
    let info = info.ok_or_else(|| RestError::not_found(format!("nodeId, {id}, is not found")))?;
    Ok(document(StatusCode::OK, f, "node", &info))
}

/// The application states the parameters `keys` name (comma-separated, any case), or the RM's
/// 400 for one that is not a state.
pub(crate) fn app_states(
    params: &[(String, String)],
    keys: &[&str],
) -> Result<Vec<YarnApplicationStateProto>, RestError> {
    list_param(params, keys)
        .iter()
        .map(|s| {
            query_enum(s, YarnApplicationStateProto::from_java_name).ok_or_else(|| {
                RestError::bad_request(format!(
                    "Invalid application-state {s} specified. It should be one of {}",
                    name_list(
                        YarnApplicationStateProto::ALL,
                        YarnApplicationStateProto::java_name
                    )
                ))
            })
        })
        .collect()
}

/// A Java enum name from a query parameter: any case, blanks around it ignored (as the RM's
/// query filters read it).
pub(crate) fn query_enum<T>(raw: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    parse(&raw.trim().to_ascii_uppercase())
}

/// The Java names of `all`, listed for an error message.
pub(crate) fn name_list<T: Copy>(all: &[T], java_name: fn(T) -> &'static str) -> String {
    all.iter()
        .map(|v| java_name(*v))
        .collect::<Vec<_>>()
        .join(", ")
}
/// Post-filters the IPC request cannot express.
struct AppFilters {
    final_statuses: HashSet<FinalApplicationStatusProto>,
    finish_begin: Option<i64>,
    finish_end: Option<i64>,
    limit: Option<usize>,
}

impl AppFilters {
    fn keep(&self, r: &ApplicationReportProto) -> bool {
        let fin = r.finish_time.unwrap_or(0);
        (self.final_statuses.is_empty()
            || self.final_statuses.contains(&r.final_application_status()))
            && self.finish_begin.is_none_or(|b| fin >= b)
            && self.finish_end.is_none_or(|e| fin <= e)
    }
}

fn apps_request(
    params: &[(String, String)],
) -> Result<(GetApplicationsRequestProto, AppFilters), RestError> {
    let mut req = GetApplicationsRequestProto {
        application_states: app_states(params, &["states", "state"])?
            .into_iter()
            .map(|s| s as i32)
            .collect(),
        ..Default::default()
    };
    let mut final_statuses = HashSet::new();
    for s in list_param(params, &["finalStatus"]) {
        let status =
            query_enum(&s, FinalApplicationStatusProto::from_java_name).ok_or_else(|| {
                RestError::bad_request(format!(
                    "Invalid final status {s}; it should be one of {}",
                    name_list(
                        FinalApplicationStatusProto::ALL,
                        FinalApplicationStatusProto::java_name
                    )
                ))
            })?;
        final_statuses.insert(status);
    }
    if let Some(u) = param(params, "user") {
        req.users.push(u.to_string());
    }
    if let Some(q) = param(params, "queue") {
        req.queues.push(q.to_string());
    }
    if let Some(n) = param(params, "name") {
        req.name = Some(n.to_string());
    }
    req.application_types = list_param(params, &["applicationTypes"])
        .into_iter()
        .map(|t| t.to_lowercase())
        .collect();
    req.application_tags = list_param(params, &["applicationTags"])
        .into_iter()
        .map(|t| t.to_lowercase())
        .collect();
    let mut times = [None; 4];
    for (slot, key) in times.iter_mut().zip([
        "startedTimeBegin",
        "startedTimeEnd",
        "finishedTimeBegin",
        "finishedTimeEnd",
    ]) {
        *slot = long_param(params, key)?;
        if slot.is_some_and(|t| t < 0) {
            return Err(RestError::bad_request(format!(
                "{key} must be greater than 0"
            )));
        }
    }
    let [sb, se, fb, fe] = times;
    if let (Some(b), Some(e)) = (sb, se)
        && b > e
    {
        return Err(RestError::bad_request(
            "startedTimeEnd must be greater than startTimeBegin",
        ));
    }
    if let (Some(b), Some(e)) = (fb, fe)
        && b > e
    {
        return Err(RestError::bad_request(
            "finishTimeEnd must be greater than finishTimeBegin",
        ));
    }
    req.start_begin = sb;
    req.start_end = se;
    let limit = match long_param(params, "limit")? {
        Some(l) if l <= 0 => {
            return Err(RestError::bad_request("limit value must be greater then 0"));
        }
        Some(l) => Some(usize::try_from(l).unwrap_or(usize::MAX)),
        None => None,
    };
    let filters = AppFilters {
        final_statuses,
        finish_begin: fb,
        finish_end: fe,
        limit,
    };
    let post = !filters.final_statuses.is_empty() || fb.is_some() || fe.is_some();
    if !post {
        req.limit = limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX));
    }
    Ok((req, filters))
}

fn apps(
    ctx: &RestContext,
    params: &[(String, String)],
    f: Format,
) -> Result<Response<Full<Bytes>>, RestError> {
    let (req, filters) = apps_request(params)?;
    let app = ctx.core.with_rm(|rm, now| {
        rm.applications(&req)
            .iter()
            .filter(|r| filters.keep(r))
            .take(filters.limit.unwrap_or(usize::MAX))
            .map(|r| app_info(rm, r, now))
            .collect()
    });
    Ok(document(StatusCode::OK, f, "apps", &AppList { app }))
}

/// The RM state's report of `id`, or 404 as the web services answer an unknown application.
pub(crate) fn report_of(
    rm: &RmState,
    id: &ApplicationId,
) -> Result<ApplicationReportProto, RestError> {
    if rm.app(id).is_none() {
        return Err(app_not_found(id));
    }
    rm.report(id).map_err(RestError::from_service)
}

fn app(ctx: &RestContext, raw_id: &str, f: Format) -> Result<Response<Full<Bytes>>, RestError> {
    let id = parse_app_id(raw_id)?;
    let info = ctx
        .core
        .with_rm(|rm, now| Ok::<_, RestError>(app_info(rm, &report_of(rm, &id)?, now)))?;
    Ok(document(StatusCode::OK, f, "app", &info))
}

fn current_state(rm: &RmState, id: &ApplicationId) -> Result<&'static str, RestError> {
    let report = report_of(rm, id)?;
    Ok(YarnApplicationStateProto::java_name_of(
        report.yarn_application_state.unwrap_or(0),
    ))
}

fn state_doc(state: &str) -> AppStateDoc {
    AppStateDoc {
        state: state.to_string(),
        diagnostics: None,
    }
}

fn app_state(
    ctx: &RestContext,
    raw_id: &str,
    f: Format,
) -> Result<Response<Full<Bytes>>, RestError> {
    let id = parse_app_id(raw_id)?;
    let state = ctx.core.with_rm(|rm, _| current_state(rm, &id))?;
    Ok(webdoc::bare(
        StatusCode::OK,
        f,
        "appstate",
        &state_doc(state),
    ))
}

fn put_app_state(
    ctx: &RestContext,
    head: &Parts,
    body: &[u8],
    raw_id: &str,
    f: Format,
) -> Result<Response<Full<Bytes>>, RestError> {
    let location = format!(
        "{}{}",
        base_url(&head.headers, ctx.local_addr),
        head.uri.path()
    );
    let target: AppStateDoc = parse_json(body, "appstate object ({\"state\":\"KILLED\"})")?;
    let id = parse_app_id(raw_id)?;
    let (status, state) = ctx.core.with_rm(|rm, now| {
        let current = current_state(rm, &id)?;
        if current == target.state {
            return Ok((StatusCode::OK, current));
        }
        if target.state != "KILLED" {
            return Err(RestError::bad_request(
                "Only 'KILLED' is allowed as a target state.",
            ));
        }
        let done = rm
            .kill(&id, target.diagnostics.as_deref(), now)
            .map_err(RestError::from_service)?;
        let after = current_state(rm, &id)?;
        Ok((
            if done {
                StatusCode::OK
            } else {
                StatusCode::ACCEPTED
            },
            after,
        ))
    })?;
    let mut r = webdoc::bare(status, f, "appstate", &state_doc(state));
    if status == StatusCode::ACCEPTED
        && let Ok(v) = HeaderValue::from_str(&location)
    {
        r.headers_mut().insert(LOCATION, v);
    }
    Ok(r)
}

fn new_application(ctx: &RestContext, f: Format) -> Result<Response<Full<Bytes>>, RestError> {
    let resp = ctx.core.with_rm(|rm, _| rm.new_application());
    let doc = NewApplication::from_proto(&resp);
    Ok(webdoc::bare(StatusCode::OK, f, "NewApplication", &doc))
}

fn submit(
    ctx: &RestContext,
    head: &Parts,
    body: &[u8],
    params: &[(String, String)],
    f: Format,
) -> Result<Response<Full<Bytes>>, RestError> {
    let base = base_url(&head.headers, ctx.local_addr);
    let info: SubmissionInfo = parse_json(body, "application-submission-context")?;
    let (id, sub) = submission_context(info).map_err(|e| RestError::bad_request(e.to_string()))?;
    let user = param(params, "user.name")
        .unwrap_or(STATIC_USER)
        .to_string();
    check_user(&user)?;
    ctx.core
        .with_rm(|rm, now| rm.submit(&user, sub, now))
        .map_err(RestError::from_service)?;
    let content_type = match f {
        Format::Json => webdoc::JSON_CONTENT_TYPE,
        Format::Xml => webdoc::XML_CONTENT_TYPE,
    };
    let mut r = spindle_http::response(StatusCode::ACCEPTED, content_type, Vec::new());
    if let Ok(v) = HeaderValue::from_str(&format!("{base}/ws/v1/cluster/apps/{id}")) {
        r.headers_mut().insert(LOCATION, v);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names() {
        for ok in ["dr.who", "spindle", "a-b_c.d", "U1"] {
            assert!(check_user(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "../etc", "a/b", "a b", "ü", &"x".repeat(256)] {
            assert!(check_user(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn list_params_split_and_merge() {
        let p = query_params("states=running,accepted&state=KILLED&states=&user.name=bob");
        assert_eq!(
            list_param(&p, &["states", "state"]),
            vec!["running", "accepted", "KILLED"]
        );
        assert_eq!(param(&p, "user.name"), Some("bob"));
        assert_eq!(param(&p, "states"), Some("running,accepted"));
    }

    #[test]
    fn apps_request_validates() {
        let ok = query_params("states=running&limit=2&applicationTypes=Spark&user=u&queue=q");
        let (req, f) = apps_request(&ok).expect("valid");
        assert_eq!(
            req.application_states,
            vec![YarnApplicationStateProto::Running as i32]
        );
        assert_eq!(req.limit, Some(2));
        assert_eq!(req.application_types, vec!["spark"]);
        assert_eq!(req.users, vec!["u"]);
        assert_eq!(f.limit, Some(2));
        for bad in [
            "states=bogus",
            "limit=0",
            "limit=x",
            "finalStatus=maybe",
            "startedTimeBegin=-1",
            "startedTimeBegin=5&startedTimeEnd=4",
        ] {
            let e = apps_request(&query_params(bad)).err().expect(bad);
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{bad}");
        }
        let (req, f) = apps_request(&query_params("finalStatus=killed&limit=1")).expect("valid");
        assert_eq!(
            req.limit, None,
            "a post-filtered list is limited after filtering"
        );
        assert_eq!(f.limit, Some(1));
    }
}
