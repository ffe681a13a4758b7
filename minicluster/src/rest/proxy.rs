//! The RM web proxy, `/proxy/<application id>/<rest>`, with the rules of YARN's
//! `WebAppProxyServlet`:
//!
//! * a path without an application, or a malformed or unknown id: 404 with a small page;
//! * an application whose AM gave no tracking URL (empty or `N/A`): 302 to its RM page,
//!   `/cluster/app/<id>`;
//! * an application that has ended: 302 to its tracking URL (plus `<rest>` and the query), so
//!   the browser goes there itself;
//! * otherwise the request is fetched from the tracking URL (a URL without a scheme gets
//!   `http://`) with `<rest>` appended to its path and the query to its query: only GET and PUT
//!   (405 otherwise), only the headers YARN passes through (`User-Agent`, `Accept*`,
//!   `Content-Type`, `Origin`, `Access-Control-Request-*`), and a `proxy-user` cookie naming
//!   the caller (`dr.who` for anonymous callers). Redirects within the AM's own server are
//!   followed here, as the proxy's HTTP client follows them; the answer's status, headers and
//!   body go back to the caller.
//!
//! `/proxy/redirect/<application id>/…` (where YARN's AM filter sends browsers that reached an
//! AM directly) is served like `/proxy/<application id>/…`.
//!
//! Fetches are bounded: connecting and the whole exchange time out, and bodies larger than
//! [`MAX_BODY`] are refused with 502.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Body;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use spindle_http::html::Page;
use spindle_http::query::{param, query_params};
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::YarnApplicationStateProto;

use super::error::clip;
use super::routes::{RestContext, STATIC_USER, read_body};

/// Most bytes of an AM's answer the proxy relays.
pub const MAX_BODY: usize = 64 << 20;
/// `yarn.resourcemanager.proxy.connection.timeout` (YARN's default 60 s): connect and exchange.
pub const TIMEOUT: Duration = Duration::from_secs(60);
/// Redirects followed within the AM's server.
const MAX_REDIRECTS: usize = 10;
/// Request headers YARN's proxy passes to the AM.
const PASS_THROUGH: [&str; 9] = [
    "user-agent",
    "accept",
    "accept-encoding",
    "accept-language",
    "accept-charset",
    "content-type",
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
];
/// Answer headers not relayed (they describe the connection to the AM, not the answer).
const HOP_BY_HOP: [&str; 5] = [
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "upgrade",
];

fn page(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    spindle_http::response(
        status,
        "text/html; charset=utf-8",
        Page::new(message).finish(),
    )
}

/// Serves a `/proxy/...` request.
pub(crate) async fn forward<B>(ctx: &RestContext, req: Request<B>) -> Response<Full<Bytes>>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let path = req.uri().path().to_string();
    let mut rest = path
        .strip_prefix("/proxy")
        .unwrap_or("")
        .trim_start_matches('/');
    if let Some(r) = rest.strip_prefix("redirect/") {
        rest = r;
    }
    let (raw_id, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if raw_id.is_empty() {
        return page(
            StatusCode::NOT_FOUND,
            "Your path appears to be formatted incorrectly.",
        );
    }
    let Ok(id) = raw_id.parse::<ApplicationId>() else {
        let shown = clip(raw_id, 100);
        return page(
            StatusCode::NOT_FOUND,
            &format!("{shown} appears to be formatted incorrectly."),
        );
    };
    let report = ctx.core.with_rm(|rm, _| rm.report(&id).ok());
    let Some(report) = report else {
        return page(
            StatusCode::NOT_FOUND,
            &format!("Application {id} could not be found in RM or history server"),
        );
    };
    let original = report.original_tracking_url.clone().unwrap_or_default();
    if original.is_empty() || original == "N/A" {
        return spindle_http::redirect(&format!("http://{}/cluster/app/{id}", ctx.local_addr));
    }
    let base = if original.contains("://") {
        original
    } else {
        format!("http://{original}")
    };
    let target = match target_url(&base, tail, req.uri().query()) {
        Ok(t) => t,
        Err(why) => return page(StatusCode::BAD_GATEWAY, &why),
    };
    let ended = matches!(
        report.yarn_application_state(),
        YarnApplicationStateProto::Finished
            | YarnApplicationStateProto::Failed
            | YarnApplicationStateProto::Killed
    );
    if ended {
        return spindle_http::redirect(&target.to_string());
    }
    let method = req.method().clone();
    if method != Method::GET && method != Method::PUT {
        let mut r = page(
            StatusCode::METHOD_NOT_ALLOWED,
            "The web proxy forwards GET and PUT only.",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, PUT"));
        return r;
    }
    let mut headers = Vec::new();
    for (name, value) in req.headers() {
        if PASS_THROUGH.contains(&name.as_str()) {
            headers.push((name.clone(), value.clone()));
        }
    }
    let params = query_params(req.uri().query().unwrap_or(""));
    let user = param(&params, "user.name")
        .filter(|u| super::routes::check_user(u).is_ok())
        .unwrap_or(STATIC_USER)
        .to_string();
    if let Ok(v) = HeaderValue::from_str(&format!("proxy-user={user}")) {
        headers.push((header::COOKIE, v));
    }
    let body = if method == Method::PUT {
        match read_body(req.into_body(), &ctx.config).await {
            Ok(b) => b,
            Err(e) => return page(e.status, &e.message),
        }
    } else {
        Bytes::new()
    };
    match tokio::time::timeout(TIMEOUT, fetch(method, target.clone(), &headers, body)).await {
        Ok(Ok(r)) => r,
        Ok(Err(why)) => page(
            StatusCode::BAD_GATEWAY,
            &format!("The web proxy could not fetch {target}: {why}"),
        ),
        Err(_) => page(
            StatusCode::GATEWAY_TIMEOUT,
            &format!(
                "The application master at {target} did not answer within {} s",
                TIMEOUT.as_secs()
            ),
        ),
    }
}

/// The tracking URL with `tail` appended to its path and `query` to its query.
fn target_url(base: &str, tail: &str, query: Option<&str>) -> Result<Uri, String> {
    let uri: Uri = base
        .parse()
        .map_err(|e| format!("the tracking URL {base} is not a URL: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!(
            "the tracking URL {base} is not an http:// URL; open it directly"
        ));
    }
    let authority = uri
        .authority()
        .ok_or_else(|| format!("the tracking URL {base} names no host"))?
        .clone();
    let mut path = uri.path().to_string();
    if !tail.is_empty() {
        if !path.ends_with('/') {
            path.push('/');
        }
        path.push_str(tail);
    }
    let q: Vec<&str> = uri
        .query()
        .into_iter()
        .chain(query)
        .filter(|q| !q.is_empty())
        .collect();
    let pq = if q.is_empty() {
        path
    } else {
        format!("{path}?{}", q.join("&"))
    };
    Uri::builder()
        .scheme("http")
        .authority(authority)
        .path_and_query(pq)
        .build()
        .map_err(|e| format!("cannot build the URL to fetch: {e}"))
}

/// Fetches `url` (following redirects that stay on its server), and relays the answer.
async fn fetch(
    method: Method,
    mut url: Uri,
    headers: &[(HeaderName, HeaderValue)],
    body: Bytes,
) -> Result<Response<Full<Bytes>>, String> {
    let mut method = method;
    let mut body = body;
    for _ in 0..=MAX_REDIRECTS {
        let (parts, bytes) = exchange(&method, &url, headers, body.clone()).await?;
        let location = parts
            .headers
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        if parts.status.is_redirection()
            && let Some(next) = location.and_then(|l| resolve(&url, &l))
            && next.authority() == url.authority()
        {
            url = next;
            // A redirect is followed with GET (what clients do after 301/302/303).
            if parts.status != StatusCode::TEMPORARY_REDIRECT
                && parts.status != StatusCode::PERMANENT_REDIRECT
            {
                method = Method::GET;
                body = Bytes::new();
            }
            continue;
        }
        let mut r = Response::new(Full::new(bytes));
        *r.status_mut() = parts.status;
        for (name, value) in &parts.headers {
            if !HOP_BY_HOP.contains(&name.as_str()) {
                r.headers_mut().append(name.clone(), value.clone());
            }
        }
        return Ok(r);
    }
    Err(format!("more than {MAX_REDIRECTS} redirects"))
}

/// `location` resolved against `base` (absolute, or a path on `base`'s server).
fn resolve(base: &Uri, location: &str) -> Option<Uri> {
    if location.contains("://") {
        return location.parse().ok();
    }
    let path = if location.starts_with('/') {
        location.to_string()
    } else {
        let dir = base.path().rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{location}")
    };
    Uri::builder()
        .scheme("http")
        .authority(base.authority()?.clone())
        .path_and_query(path)
        .build()
        .ok()
}

/// One HTTP/1.1 exchange with the AM's server.
async fn exchange(
    method: &Method,
    url: &Uri,
    headers: &[(HeaderName, HeaderValue)],
    body: Bytes,
) -> Result<(hyper::http::response::Parts, Bytes), String> {
    let authority = url
        .authority()
        .ok_or("the URL names no host")?
        .as_str()
        .to_string();
    let addr = if authority.contains(':') {
        authority.clone()
    } else {
        format!("{authority}:80")
    };
    let stream = tokio::net::TcpStream::connect(&addr)
        .await
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake with {addr}: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut builder = Request::builder()
        .method(method.clone())
        .uri(url.path_and_query().map_or("/", |p| p.as_str()))
        .header(header::HOST, authority);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let request = builder
        .body(Full::new(body))
        .map_err(|e| format!("cannot build the request: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("no answer from {addr}: {e}"))?;
    let (parts, body) = response.into_parts();
    let bytes = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|e| format!("reading the answer (at most {MAX_BODY} bytes): {e}"))?
        .to_bytes();
    Ok((parts, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_append_the_rest_and_the_query() {
        let t = |b: &str, tail: &str, q: Option<&str>| target_url(b, tail, q).unwrap().to_string();
        assert_eq!(t("http://h:1/", "", None), "http://h:1/");
        assert_eq!(t("http://h:1/", "json", Some("a=1")), "http://h:1/json?a=1");
        assert_eq!(t("http://h:1/ui", "x/y", None), "http://h:1/ui/x/y");
        assert_eq!(
            t("http://h:1/ui?k=v", "", Some("a=1")),
            "http://h:1/ui?k=v&a=1"
        );
        assert!(target_url("https://h:1/", "", None).is_err());
        assert!(target_url("http://", "", None).is_err());
    }

    #[test]
    fn redirects_resolve_on_the_same_server() {
        let base: Uri = "http://h:1/a/b".parse().unwrap();
        assert_eq!(resolve(&base, "/c").unwrap().to_string(), "http://h:1/c");
        assert_eq!(resolve(&base, "c").unwrap().to_string(), "http://h:1/a/c");
        assert_eq!(
            resolve(&base, "http://o:2/x").unwrap().to_string(),
            "http://o:2/x"
        );
    }
}
