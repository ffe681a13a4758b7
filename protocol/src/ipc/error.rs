//! Errors of the IPC client, and the remote failures a server reports.

use std::time::Duration;

use crate::ipc::frame::FrameError;
use crate::proto::rpc::{RpcErrorCodeProto, RpcResponseHeaderProto, RpcStatusProto};
use crate::sasl::SaslError;

/// A failure reported by the server in an ERROR or FATAL response header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteError {
    /// The Java exception class, e.g. `org.apache.hadoop.yarn.exceptions.YarnException`.
    pub class_name: String,
    /// The message (Java servers send the stack trace).
    pub message: String,
    /// The `RpcErrorCodeProto` value, if sent.
    pub code: Option<i32>,
    /// Whether the server closed the connection (status FATAL).
    pub fatal: bool,
}

impl RemoteError {
    /// Whether the class's simple name (after the last `.` or `$`) is `simple_class_name`.
    pub fn is(&self, simple_class_name: &str) -> bool {
        let simple = self
            .class_name
            .rsplit(['.', '$'])
            .next()
            .unwrap_or(&self.class_name);
        simple == simple_class_name
    }

    /// The error code as the enum, if it is a known value.
    pub fn error_code(&self) -> Option<RpcErrorCodeProto> {
        self.code.and_then(|c| RpcErrorCodeProto::try_from(c).ok())
    }

    /// Builds the error from a non-SUCCESS response header.
    pub fn from_header(header: &RpcResponseHeaderProto) -> RemoteError {
        RemoteError {
            class_name: header
                .exception_class_name
                .clone()
                .unwrap_or_else(|| "<no exception class>".into()),
            message: header.error_msg.clone().unwrap_or_default(),
            code: header.error_detail,
            fatal: header.status == RpcStatusProto::Fatal as i32,
        }
    }
}

impl std::fmt::Display for RemoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.fatal { "fatal" } else { "error" };
        write!(f, "server {kind}: {}: ", self.class_name)?;
        let first_line = self.message.lines().next().unwrap_or_default();
        f.write_str(first_line)?;
        if let Some(code) = self.error_code() {
            write!(f, " ({code:?})")?;
        }
        Ok(())
    }
}

impl std::error::Error for RemoteError {}

/// Why an IPC call failed.
#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    /// The server answered ERROR (call failed, connection fine) or FATAL (connection closed).
    #[error("{0}")]
    Remote(RemoteError),
    /// SASL failed on our side (no usable method, unsupported QOP, bad rspauth, ...).
    #[error("authentication failed: {0}")]
    Auth(String),
    /// An operation did not finish in time.
    #[error("{operation} timed out after {after:?}")]
    Timeout {
        /// What timed out (connect, handshake, call `method`).
        operation: String,
        /// The limit that passed.
        after: Duration,
    },
    /// Could not connect to the server.
    #[error("cannot connect to {addr} after {attempts} attempt(s): {source}")]
    Connect {
        /// The address.
        addr: String,
        /// How many attempts were made.
        attempts: u32,
        /// The last error.
        source: std::io::Error,
    },
    /// A socket error.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// The connection failed or was closed while the call was in flight; the call may or may
    /// not have run on the server.
    #[error("connection lost: {0}")]
    ConnectionLost(String),
    /// The peer broke the protocol (malformed frame, unknown call id, ...).
    #[error("protocol error: {0}")]
    Protocol(String),
}

impl IpcError {
    /// The remote error, if the server reported one.
    pub fn remote(&self) -> Option<&RemoteError> {
        match self {
            IpcError::Remote(r) => Some(r),
            _ => None,
        }
    }

    /// Whether authentication failed, on our side or as reported by the server
    /// (FATAL with `FATAL_UNAUTHORIZED`).
    pub fn is_auth_failure(&self) -> bool {
        match self {
            IpcError::Auth(_) => true,
            IpcError::Remote(r) => r.code == Some(RpcErrorCodeProto::FatalUnauthorized as i32),
            _ => false,
        }
    }
}

impl From<FrameError> for IpcError {
    fn from(e: FrameError) -> Self {
        match e {
            FrameError::Io(io) => IpcError::Io(io),
            other => IpcError::Protocol(other.to_string()),
        }
    }
}

impl From<SaslError> for IpcError {
    fn from(e: SaslError) -> Self {
        IpcError::Auth(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_class_name_matching() {
        let e = RemoteError {
            class_name: "org.apache.hadoop.security.token.SecretManager$InvalidToken".into(),
            message: "bad\n\tat x".into(),
            code: Some(15),
            fatal: true,
        };
        assert!(e.is("InvalidToken"));
        assert!(!e.is("SecretManager"));
        assert_eq!(
            e.to_string(),
            "server fatal: org.apache.hadoop.security.token.SecretManager$InvalidToken: bad (FatalUnauthorized)"
        );
        assert!(IpcError::Remote(e).is_auth_failure());
    }
}
