//! [`RestError`]: an HTTP error answered the way the ResourceManager's web services answer
//! errors, as a `RemoteException` JSON document with the matching status code.

use std::str::FromStr;

use hyper::StatusCode;
use serde::Serialize;
use spindle_protocol::ipc::ServiceError;

/// An error answer: status code and message; the Java exception class follows from the status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {}: {message}", self.class())]
pub struct RestError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong and, where it helps, what to do.
    pub message: String,
}

impl RestError {
    /// An error answered with `status`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        RestError {
            status,
            message: message.into(),
        }
    }

    /// 404 `NotFoundException`.
    pub fn not_found(message: impl Into<String>) -> Self {
        RestError::new(StatusCode::NOT_FOUND, message)
    }

    /// 400 `BadRequestException`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        RestError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 405 `NotAllowedException` for `method` on `path`, which accepts `allowed`.
    pub fn method_not_allowed(method: &str, path: &str, allowed: &[&str]) -> Self {
        RestError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "HTTP 405 Method Not Allowed: {method} is not supported on {path}; use {}",
                allowed.join(" or ")
            ),
        )
    }

    /// 415 `NotSupportedException`: the body is not JSON.
    pub fn unsupported_media_type(content_type: &str) -> Self {
        RestError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "HTTP 415 Unsupported Media Type: '{content_type}'; this ResourceManager reads JSON bodies only (Content-Type: application/json)"
            ),
        )
    }

    /// 406 `NotAcceptableException`: the client accepts no JSON answer.
    pub fn not_acceptable(accept: &str) -> Self {
        RestError::new(
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "HTTP 406 Not Acceptable: 'Accept: {accept}'; this ResourceManager answers in JSON only (accept application/json)"
            ),
        )
    }

    /// 413: the body is larger than `max` bytes.
    pub fn payload_too_large(max: usize) -> Self {
        RestError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("HTTP 413 Payload Too Large: request bodies are limited to {max} bytes"),
        )
    }

    /// 408: the body did not arrive in time.
    pub fn request_timeout(after_ms: u128) -> Self {
        RestError::new(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "HTTP 408 Request Timeout: the request body did not arrive within {after_ms} ms"
            ),
        )
    }

    /// 403 `ForbiddenException`.
    pub fn forbidden(message: impl Into<String>) -> Self {
        RestError::new(StatusCode::FORBIDDEN, message)
    }

    /// 500: the server could not produce its answer.
    pub fn internal(message: impl Into<String>) -> Self {
        RestError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The fully qualified Java class the RM reports with this status: the RM web services'
    /// own exceptions for 400, 403 and 404, JAX-RS's for 405, 406 and 415, and JAX-RS's
    /// generic `WebApplicationException` for any other status (408, 413, 500).
    pub fn class(&self) -> &'static str {
        match self.status {
            StatusCode::NOT_FOUND => "org.apache.hadoop.yarn.webapp.NotFoundException",
            StatusCode::BAD_REQUEST => "org.apache.hadoop.yarn.webapp.BadRequestException",
            StatusCode::FORBIDDEN => "org.apache.hadoop.yarn.webapp.ForbiddenException",
            StatusCode::METHOD_NOT_ALLOWED => "javax.ws.rs.NotAllowedException",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "javax.ws.rs.NotSupportedException",
            StatusCode::NOT_ACCEPTABLE => "javax.ws.rs.NotAcceptableException",
            _ => "javax.ws.rs.WebApplicationException",
        }
    }

    /// An error of the RM state machine (the same one the IPC face reports), answered as the
    /// RM web services answer it: unknown applications are 404, everything else the caller
    /// asked for wrongly is 400 carrying the RM's own message.
    pub fn from_service(e: ServiceError) -> Self {
        if e.class_name.ends_with("ApplicationNotFoundException") {
            RestError::not_found(e.message)
        } else {
            RestError::bad_request(e.message)
        }
    }

    /// The simple class name (`NotFoundException`).
    pub fn simple_class(&self) -> &'static str {
        let class = self.class();
        class.rsplit('.').next().unwrap_or(class)
    }

    /// The `{"RemoteException":{...}}` body.
    pub fn to_json(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Inner<'a> {
            exception: &'a str,
            message: &'a str,
            #[serde(rename = "javaClassName")]
            java_class_name: &'a str,
        }
        #[derive(Serialize)]
        struct Outer<'a> {
            #[serde(rename = "RemoteException")]
            remote_exception: Inner<'a>,
        }
        serde_json::to_vec(&Outer {
            remote_exception: Inner {
                exception: self.simple_class(),
                message: &self.message,
                java_class_name: self.class(),
            },
        })
        .unwrap_or_default()
    }
}

/// At most `max` characters of `raw`: what an error message echoes of a client's value, so that a
/// huge value does not make a huge answer.
pub fn clip(raw: &str, max: usize) -> String {
    raw.chars().take(max).collect()
}

/// Parses a client's `raw` value, or answers 400 with `message` of the value clipped to `max`
/// characters.
pub fn parse_or_400<T: FromStr>(
    raw: &str,
    max: usize,
    message: impl FnOnce(&str) -> String,
) -> Result<T, RestError> {
    raw.parse()
        .map_err(|_| RestError::bad_request(message(&clip(raw, max))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_exception_shape() {
        let e = RestError::not_found("app with id: application_1_0001 not found");
        let v: serde_json::Value = serde_json::from_slice(&e.to_json()).expect("json");
        let r = &v["RemoteException"];
        assert_eq!(r["exception"], "NotFoundException");
        assert_eq!(
            r["javaClassName"],
            "org.apache.hadoop.yarn.webapp.NotFoundException"
        );
        assert_eq!(r["message"], "app with id: application_1_0001 not found");
        assert_eq!(e.status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn the_java_class_follows_from_the_status() {
        let cases = [
            (
                RestError::not_found("x"),
                "org.apache.hadoop.yarn.webapp.NotFoundException",
            ),
            (
                RestError::bad_request("x"),
                "org.apache.hadoop.yarn.webapp.BadRequestException",
            ),
            (
                RestError::forbidden("x"),
                "org.apache.hadoop.yarn.webapp.ForbiddenException",
            ),
            (
                RestError::method_not_allowed("PUT", "/", &["GET"]),
                "javax.ws.rs.NotAllowedException",
            ),
            (
                RestError::unsupported_media_type("text/plain"),
                "javax.ws.rs.NotSupportedException",
            ),
            (
                RestError::not_acceptable("text/plain"),
                "javax.ws.rs.NotAcceptableException",
            ),
            (
                RestError::payload_too_large(10),
                "javax.ws.rs.WebApplicationException",
            ),
            (
                RestError::request_timeout(10),
                "javax.ws.rs.WebApplicationException",
            ),
            (
                RestError::internal("x"),
                "javax.ws.rs.WebApplicationException",
            ),
        ];
        for (e, class) in cases {
            assert_eq!(e.class(), class, "{e}");
        }
    }

    #[test]
    fn values_are_clipped_in_messages() {
        let e = parse_or_400::<i64>(&"x".repeat(500), 30, |v| format!("bad '{v}'")).unwrap_err();
        assert_eq!(e.message, format!("bad '{}'", "x".repeat(30)));
        assert_eq!(parse_or_400::<i64>("42", 30, |v| v.to_string()), Ok(42));
    }

    #[test]
    fn service_errors_map_to_status() {
        let nf = ServiceError::new(
            "org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException",
            "gone",
        );
        assert_eq!(RestError::from_service(nf).status, StatusCode::NOT_FOUND);
        let bad = ServiceError::new(
            "org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException",
            "too big",
        );
        let e = RestError::from_service(bad);
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.message, "too big");
    }
}
