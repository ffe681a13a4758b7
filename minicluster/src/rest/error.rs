//! [`RestError`]: an HTTP error answered the way the ResourceManager's web services answer
//! errors, as a `RemoteException` JSON document with the matching status code.

use hyper::StatusCode;
use serde::Serialize;
use spindle_protocol::ipc::ServiceError;

/// Java class of the RM web services' "not found" error.
pub const NOT_FOUND_EXCEPTION: &str = "org.apache.hadoop.yarn.webapp.NotFoundException";
/// Java class of the RM web services' "bad request" error.
pub const BAD_REQUEST_EXCEPTION: &str = "org.apache.hadoop.yarn.webapp.BadRequestException";
/// Java class of the RM web services' "forbidden" error.
pub const FORBIDDEN_EXCEPTION: &str = "org.apache.hadoop.yarn.webapp.ForbiddenException";
/// Java class of JAX-RS's "method not allowed" error.
pub const NOT_ALLOWED_EXCEPTION: &str = "javax.ws.rs.NotAllowedException";
/// Java class of JAX-RS's "unsupported media type" error.
pub const NOT_SUPPORTED_EXCEPTION: &str = "javax.ws.rs.NotSupportedException";
/// Java class of JAX-RS's "not acceptable" error.
pub const NOT_ACCEPTABLE_EXCEPTION: &str = "javax.ws.rs.NotAcceptableException";
/// Java class of JAX-RS's generic status error (used for 408 and 413).
pub const WEB_APPLICATION_EXCEPTION: &str = "javax.ws.rs.WebApplicationException";

/// An error answer: status code, Java exception class and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {class}: {message}")]
pub struct RestError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The fully qualified Java class the RM would report.
    pub class: &'static str,
    /// What went wrong and, where it helps, what to do.
    pub message: String,
}

impl RestError {
    /// 404 `NotFoundException`.
    pub fn not_found(message: impl Into<String>) -> Self {
        RestError {
            status: StatusCode::NOT_FOUND,
            class: NOT_FOUND_EXCEPTION,
            message: message.into(),
        }
    }

    /// 400 `BadRequestException`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        RestError {
            status: StatusCode::BAD_REQUEST,
            class: BAD_REQUEST_EXCEPTION,
            message: message.into(),
        }
    }

    /// 405 `NotAllowedException` for `method` on `path`, which accepts `allowed`.
    pub fn method_not_allowed(method: &str, path: &str, allowed: &[&str]) -> Self {
        RestError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            class: NOT_ALLOWED_EXCEPTION,
            message: format!(
                "HTTP 405 Method Not Allowed: {method} is not supported on {path}; use {}",
                allowed.join(" or ")
            ),
        }
    }

    /// 415 `NotSupportedException`: the body is not JSON.
    pub fn unsupported_media_type(content_type: &str) -> Self {
        RestError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            class: NOT_SUPPORTED_EXCEPTION,
            message: format!(
                "HTTP 415 Unsupported Media Type: '{content_type}'; this ResourceManager reads JSON bodies only (Content-Type: application/json)"
            ),
        }
    }

    /// 406 `NotAcceptableException`: the client accepts no JSON answer.
    pub fn not_acceptable(accept: &str) -> Self {
        RestError {
            status: StatusCode::NOT_ACCEPTABLE,
            class: NOT_ACCEPTABLE_EXCEPTION,
            message: format!(
                "HTTP 406 Not Acceptable: 'Accept: {accept}'; this ResourceManager answers in JSON only (accept application/json)"
            ),
        }
    }

    /// 413: the body is larger than `max` bytes.
    pub fn payload_too_large(max: usize) -> Self {
        RestError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            class: WEB_APPLICATION_EXCEPTION,
            message: format!(
                "HTTP 413 Payload Too Large: request bodies are limited to {max} bytes"
            ),
        }
    }

    /// 408: the body did not arrive in time.
    pub fn request_timeout(after_ms: u128) -> Self {
        RestError {
            status: StatusCode::REQUEST_TIMEOUT,
            class: WEB_APPLICATION_EXCEPTION,
            message: format!(
                "HTTP 408 Request Timeout: the request body did not arrive within {after_ms} ms"
            ),
        }
    }

    /// 403 `ForbiddenException`.
    pub fn forbidden(message: impl Into<String>) -> Self {
        RestError {
            status: StatusCode::FORBIDDEN,
            class: FORBIDDEN_EXCEPTION,
            message: message.into(),
        }
    }

    /// 500: the server could not produce its answer.
    pub fn internal(message: impl Into<String>) -> Self {
        RestError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            class: WEB_APPLICATION_EXCEPTION,
            message: message.into(),
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
        self.class.rsplit('.').next().unwrap_or(self.class)
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
                java_class_name: self.class,
            },
        })
        .unwrap_or_default()
    }
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
        assert_eq!(r["javaClassName"], NOT_FOUND_EXCEPTION);
        assert_eq!(r["message"], "app with id: application_1_0001 not found");
        assert_eq!(e.status, StatusCode::NOT_FOUND);
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
