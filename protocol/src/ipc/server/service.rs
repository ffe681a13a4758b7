//! What a server dispatches to: [`Service`]s, the [`CallContext`] they see, and the
//! [`ServiceError`]s they return.

use std::net::SocketAddr;

use bytes::Bytes;
use futures::future::BoxFuture;

use crate::java_class;
use crate::proto::rpc::RpcErrorCodeProto;
use crate::sasl::CallerAuth;

/// What [`Service::call`] returns: a future of the encoded response message or the error.
pub type CallFuture = BoxFuture<'static, Result<Bytes, ServiceError>>;

/// Who is calling and on which connection.
#[derive(Debug, Clone)]
pub struct CallContext {
    /// The authenticated user: the token's user for TOKEN, the context's effectiveUser for SIMPLE.
    pub user: String,
    /// How the caller authenticated.
    pub auth: CallerAuth,
    /// The protocol named in the connection context.
    pub protocol: String,
    /// The peer address.
    pub peer: SocketAddr,
    /// The call id.
    pub call_id: i32,
    /// The caller's 16-byte client id.
    pub client_id: Vec<u8>,
}

/// A failed call, sent as a header-only ERROR reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{class_name}: {message}")]
pub struct ServiceError {
    /// The Java exception class the client should see.
    pub class_name: String,
    /// The message.
    pub message: String,
    /// The `RpcErrorCodeProto` (default `ERROR_APPLICATION` = 1).
    pub code: i32,
}

impl ServiceError {
    /// An application error (`ERROR_APPLICATION`) of the given Java class.
    pub fn new(class_name: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError {
            class_name: class_name.into(),
            message: message.into(),
            code: RpcErrorCodeProto::ErrorApplication as i32,
        }
    }

    /// The same error with another error code.
    pub fn with_code(mut self, code: RpcErrorCodeProto) -> Self {
        self.code = code as i32;
        self
    }

    /// `org.apache.hadoop.ipc.RpcNoSuchMethodException` (`ERROR_NO_SUCH_METHOD`).
    pub fn no_such_method(protocol: &str, method: &str) -> Self {
        ServiceError::new(
            java_class::RPC_NO_SUCH_METHOD,
            format!("Unknown method {method} called on {protocol} protocol."),
        )
        .with_code(RpcErrorCodeProto::ErrorNoSuchMethod)
    }

    /// `org.apache.hadoop.ipc.RpcNoSuchProtocolException` (`ERROR_NO_SUCH_PROTOCOL`).
    pub fn no_such_protocol(protocol: &str) -> Self {
        ServiceError::new(
            java_class::RPC_NO_SUCH_PROTOCOL,
            format!("Unknown protocol: {protocol}"),
        )
        .with_code(RpcErrorCodeProto::ErrorNoSuchProtocol)
    }

    /// `org.apache.hadoop.ipc.RPC$VersionMismatch` (`ERROR_RPC_VERSION_MISMATCH`).
    pub fn version_mismatch(protocol: &str, client: u64, server: u64) -> Self {
        ServiceError::new(
            java_class::VERSION_MISMATCH,
            format!(
                "Server IPC version mismatch for protocol {protocol}: client version {client}, server version {server}"
            ),
        )
        .with_code(RpcErrorCodeProto::ErrorRpcVersionMismatch)
    }

    /// A request that could not be decoded (`org.apache.hadoop.ipc.RpcServerException`,
    /// `ERROR_RPC_SERVER`).
    pub fn bad_request(method: &str, detail: impl std::fmt::Display) -> Self {
        ServiceError::new(
            java_class::RPC_SERVER,
            format!("cannot decode the request of {method}: {detail}"),
        )
        .with_code(RpcErrorCodeProto::ErrorRpcServer)
    }
}

/// One protocol a server serves.
pub trait Service: Send + Sync + 'static {
    /// The `declaringClassProtocolName` it serves.
    fn protocol_name(&self) -> &str;

    /// The protocol version it serves (1 for YARN).
    fn protocol_version(&self) -> u64 {
        1
    }

    /// Handles one call. `request` is the encoded request message; the result is the
    /// encoded response message.
    fn call(&self, ctx: CallContext, method: &str, request: Bytes) -> CallFuture;
}
