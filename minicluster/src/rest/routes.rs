//! The router: `/ws/v1/cluster/...` requests → the RM state, through the same [`RmState`]
//! methods the IPC ApplicationClientProtocol face calls (`new_application`, `submit`, `report`,
//! `applications`, `kill`, `node_reports`, `cluster_metrics`), answered as JSON documents of
//! [`super::json`] or as [`RestError`]s.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Body;
use hyper::header::{ACCEPT, ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderValue, LOCATION};
use hyper::{Method, Request, Response, StatusCode};
use serde::Serialize;
use spindle_http::BodyError;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::GetApplicationsRequestProto;

use super::error::RestError;
use super::json::*;
use super::server::RestConfig;
use super::submission::{SubmissionInfo, submission_context};
use crate::cluster::Core;
use crate::rm::state::RmState;

/// The user of requests that name none (`hadoop.http.staticuser.user`).
pub const STATIC_USER: &str = "dr.who";
/// What JSON answers are labelled.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";

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

/// A successful answer.
struct Reply {
    status: StatusCode,
    body: Vec<u8>,
    location: Option<String>,
}

fn json<T: Serialize>(status: StatusCode, doc: &T) -> Result<Reply, RestError> {
    let body = serde_json::to_vec(doc)
        .map_err(|e| RestError::bad_request(format!("cannot write the answer as JSON: {e}")))?;
    Ok(Reply {
        status,
        body,
        location: None,
    })
}

fn response(status: StatusCode, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    r
}

/// The HTTP answer of an error.
pub fn error_response(e: &RestError, allow: &[&str]) -> Response<Full<Bytes>> {
    let mut r = response(e.status, e.to_json());
    if !allow.is_empty()
        && let Ok(v) = HeaderValue::from_str(&allow.join(", "))
    {
        r.headers_mut().insert(ALLOW, v);
    }
    r
}

/// Query parameters, percent-decoded, in order.
pub fn query_params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (form encoding); invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// All values of `key`, each split at commas, trimmed, empty ones dropped.
fn list_param(params: &[(String, String)], keys: &[&str]) -> Vec<String> {
    params
        .iter()
        .filter(|(k, _)| keys.contains(&k.as_str()))
        .flat_map(|(_, v)| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The last non-empty value of `key`.
fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .rev()
        .find(|(k, v)| k == key && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

fn long_param(params: &[(String, String)], key: &str) -> Result<Option<i64>, RestError> {
    match param(params, key) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            RestError::bad_request(format!(
                "{key} '{v}' is not a number (milliseconds or a count)"
            ))
        }),
    }
}

fn parse_app_id(raw: &str) -> Result<ApplicationId, RestError> {
    raw.parse().map_err(|e| {
        RestError::bad_request(format!(
            "Invalid ApplicationId: {raw} ({e}); ids look like application_<clusterTimestamp>_<number>"
        ))
    })
}

fn app_not_found(id: &ApplicationId) -> RestError {
    RestError::not_found(format!("app with id: {id} not found"))
}

/// The AM container of `id`'s current attempt.
fn am_container(rm: &RmState, id: &ApplicationId) -> Option<AmContainer> {
    let cid = rm.app(id)?.current()?.am_container?;
    let c = rm.container(&cid)?;
    let node = rm.nodes().get(c.node)?;
    Some(AmContainer {
        container_id: cid.to_string(),
        node_id: node.id.to_string(),
        node_http_address: c.proto.node_http_address.clone().unwrap_or_default(),
    })
}

fn app_info(rm: &RmState, report: &ApplicationReportProto, now: i64) -> AppInfo {
    let am = report
        .application_id
        .as_ref()
        .and_then(|p| ApplicationId::from_proto(p).ok())
        .and_then(|id| am_container(rm, &id));
    AppInfo::from_report(report, rm.config().cluster_timestamp, am.as_ref(), now)
}

async fn read_body<B>(body: B, config: &RestConfig) -> Result<Bytes, RestError>
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

/// Checks the request declares a JSON body (or no type at all) and is not announced larger
/// than the limit.
fn check_json_request<B>(req: &Request<B>, config: &RestConfig) -> Result<(), RestError> {
    if let Some(len) = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        && len > config.max_body_bytes as u64
    {
        return Err(RestError::payload_too_large(config.max_body_bytes));
    }
    if let Some(ct) = req.headers().get(CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("?");
        let mime = ct.split(';').next().unwrap_or("").trim();
        if !mime.eq_ignore_ascii_case("application/json") && !mime.is_empty() {
            return Err(RestError::unsupported_media_type(ct));
        }
    }
    Ok(())
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, RestError> {
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

/// Whether an `Accept` header admits a JSON answer (absent or empty admits anything).
pub fn accepts_json(accept: &str) -> bool {
    let accept = accept.trim();
    accept.is_empty()
        || accept.split(',').any(|range| {
            let mime = range.split(';').next().unwrap_or("").trim();
            let q_zero = range.split(';').skip(1).any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            !q_zero
                && ["application/json", "application/*", "*/*"]
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(mime))
        })
}

/// Checks a `user.name`: the NodeManagers use it as a folder name, so it must be 1 to 255 of
/// `[A-Za-z0-9._-]` and not `.` or `..`.
pub fn check_user(user: &str) -> Result<(), RestError> {
    let ok = !user.is_empty()
        && user.len() <= 255
        && user != "."
        && user != ".."
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(RestError::bad_request(format!(
            "invalid user.name '{}': use 1 to 255 letters, digits, '.', '_' or '-'",
            user.chars().take(100).collect::<String>()
        )))
    }
}

/// `http://<Host or local address>` for `Location` headers.
fn base_url<B>(req: &Request<B>, local: SocketAddr) -> String {
    let host = req
        .headers()
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

/// Serves one request. Never fails: errors are answered as `RemoteException` documents.
pub(crate) async fn handle<B>(ctx: &RestContext, req: Request<B>) -> Response<Full<Bytes>>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let allowed: &[&str] = match segs.as_slice() {
        ["ws", "v1", "cluster"] | ["ws", "v1", "cluster", "info"] => &["GET"],
        ["ws", "v1", "cluster", "metrics"] => &["GET"],
        ["ws", "v1", "cluster", "nodes"] => &["GET"],
        ["ws", "v1", "cluster", "apps"] => &["GET", "POST"],
        ["ws", "v1", "cluster", "apps", "new-application"] => &["POST"],
        ["ws", "v1", "cluster", "apps", _] => &["GET"],
        ["ws", "v1", "cluster", "apps", _, "state"] => &["GET", "PUT"],
        _ => {
            let e = RestError::not_found(format!(
                "no such resource: {method} {path}; this ResourceManager serves /ws/v1/cluster/{{info,metrics,nodes,apps,apps/new-application,apps/{{appid}},apps/{{appid}}/state}}"
            ));
            return error_response(&e, &[]);
        }
    };
    if !allowed.contains(&method.as_str()) {
        let e = RestError::method_not_allowed(method.as_str(), &path, allowed);
        return error_response(&e, allowed);
    }
    if let Some(accept) = req.headers().get(ACCEPT) {
        let accept = accept.to_str().unwrap_or("?");
        if !accepts_json(accept) {
            return error_response(&RestError::not_acceptable(accept), &[]);
        }
    }
    let params = query_params(req.uri().query().unwrap_or(""));
    let get = method == Method::GET;
    let result = match segs.as_slice() {
        [_, _, _, "metrics"] => cluster_metrics(ctx),
        [_, _, _, "nodes"] => nodes(ctx, &params),
        [_, _, _, "apps"] if get => apps(ctx, &params),
        [_, _, _, "apps"] => submit(ctx, req, &params).await,
        [_, _, _, "apps", "new-application"] => new_application(ctx),
        [_, _, _, "apps", id] => app(ctx, id),
        [_, _, _, "apps", id, "state"] if get => app_state(ctx, id),
        [_, _, _, "apps", id, "state"] => put_app_state(ctx, req, id).await,
        _ => cluster_info(ctx),
    };
    match result {
        Ok(reply) => {
            let mut r = response(reply.status, reply.body);
            if let Some(loc) = reply.location
                && let Ok(v) = HeaderValue::from_str(&loc)
            {
                r.headers_mut().insert(LOCATION, v);
            }
            r
        }
        Err(e) => error_response(&e, &[]),
    }
}

fn cluster_info(ctx: &RestContext) -> Result<Reply, RestError> {
    let ts = ctx.core.with_rm(|rm, _| rm.config().cluster_timestamp);
    json(
        StatusCode::OK,
        &ClusterInfoDoc {
            cluster_info: ClusterInfo::new(ts),
        },
    )
}

fn cluster_metrics(ctx: &RestContext) -> Result<Reply, RestError> {
    let metrics = ctx.core.with_rm(|rm, now| {
        let apps = rm.applications(&GetApplicationsRequestProto::default());
        let nodes = rm.node_reports(&[], now);
        ClusterMetrics::from_reports(&apps, &nodes)
    });
    json(
        StatusCode::OK,
        &ClusterMetricsDoc {
            cluster_metrics: metrics,
        },
    )
}

fn nodes(ctx: &RestContext, params: &[(String, String)]) -> Result<Reply, RestError> {
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
    json(
        StatusCode::OK,
        &NodesDoc {
            nodes: NodeList { node },
        },
    )
}

/// A Java enum name from a query parameter: any case, blanks around it ignored (as the RM's
/// query filters read it).
fn query_enum<T>(raw: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    parse(&raw.trim().to_ascii_uppercase())
}

/// The Java names of `all`, listed for an error message.
fn name_list<T: Copy>(all: &[T], java_name: fn(T) -> &'static str) -> String {
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
    let mut req = GetApplicationsRequestProto::default();
    for s in list_param(params, &["states", "state"]) {
        let st = query_enum(&s, YarnApplicationStateProto::from_java_name).ok_or_else(|| {
            RestError::bad_request(format!(
                "Invalid application-state {s} specified. It should be one of {}",
                name_list(
                    YarnApplicationStateProto::ALL,
                    YarnApplicationStateProto::java_name
                )
            ))
        })?;
        req.application_states.push(st as i32);
    }
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

fn apps(ctx: &RestContext, params: &[(String, String)]) -> Result<Reply, RestError> {
    let (req, filters) = apps_request(params)?;
    let app = ctx.core.with_rm(|rm, now| {
        rm.applications(&req)
            .iter()
            .filter(|r| filters.keep(r))
            .take(filters.limit.unwrap_or(usize::MAX))
            .map(|r| app_info(rm, r, now))
            .collect()
    });
    json(
        StatusCode::OK,
        &AppsDoc {
            apps: AppList { app },
        },
    )
}

fn app(ctx: &RestContext, raw_id: &str) -> Result<Reply, RestError> {
    let id = parse_app_id(raw_id)?;
    let info = ctx.core.with_rm(|rm, now| {
        if rm.app(&id).is_none() {
            return Err(app_not_found(&id));
        }
        let report = rm.report(&id).map_err(RestError::from_service)?;
        Ok(app_info(rm, &report, now))
    })?;
    json(StatusCode::OK, &AppDoc { app: info })
}

fn current_state(rm: &RmState, id: &ApplicationId) -> Result<&'static str, RestError> {
    if rm.app(id).is_none() {
        return Err(app_not_found(id));
    }
    let report = rm.report(id).map_err(RestError::from_service)?;
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

fn app_state(ctx: &RestContext, raw_id: &str) -> Result<Reply, RestError> {
    let id = parse_app_id(raw_id)?;
    let state = ctx.core.with_rm(|rm, _| current_state(rm, &id))?;
    json(StatusCode::OK, &state_doc(state))
}

async fn put_app_state<B>(
    ctx: &RestContext,
    req: Request<B>,
    raw_id: &str,
) -> Result<Reply, RestError>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    check_json_request(&req, &ctx.config)?;
    let location = format!("{}{}", base_url(&req, ctx.local_addr), req.uri().path());
    let body = read_body(req.into_body(), &ctx.config).await?;
    let target: AppStateDoc = parse_json(&body, "appstate object ({\"state\":\"KILLED\"})")?;
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
    let mut reply = json(status, &state_doc(state))?;
    if status == StatusCode::ACCEPTED {
        reply.location = Some(location);
    }
    Ok(reply)
}

fn new_application(ctx: &RestContext) -> Result<Reply, RestError> {
    let resp = ctx.core.with_rm(|rm, _| rm.new_application());
    json(StatusCode::OK, &NewApplication::from_proto(&resp))
}

async fn submit<B>(
    ctx: &RestContext,
    req: Request<B>,
    params: &[(String, String)],
) -> Result<Reply, RestError>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    check_json_request(&req, &ctx.config)?;
    let base = base_url(&req, ctx.local_addr);
    let body = read_body(req.into_body(), &ctx.config).await?;
    let info: SubmissionInfo = parse_json(&body, "application-submission-context")?;
    let (id, sub) = submission_context(info).map_err(|e| RestError::bad_request(e.to_string()))?;
    let user = param(params, "user.name")
        .unwrap_or(STATIC_USER)
        .to_string();
    check_user(&user)?;
    ctx.core
        .with_rm(|rm, now| rm.submit(&user, sub, now))
        .map_err(RestError::from_service)?;
    Ok(Reply {
        status: StatusCode::ACCEPTED,
        body: Vec::new(),
        location: Some(format!("{base}/ws/v1/cluster/apps/{id}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b+c"), "a b c");
        assert_eq!(percent_decode("RUNNING%2CACCEPTED"), "RUNNING,ACCEPTED");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%E2%9C%93"), "✓");
    }

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
    fn accept_headers() {
        for ok in [
            "",
            "application/json",
            "application/xml, application/json;q=0.5",
            "*/*",
            "text/html,application/*",
        ] {
            assert!(accepts_json(ok), "{ok}");
        }
        for bad in ["application/xml", "text/plain", "application/json;q=0"] {
            assert!(!accepts_json(bad), "{bad}");
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
