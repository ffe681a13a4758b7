//! Running one call: find the service by (protocol, version), call it, build the reply.

use std::sync::Arc;

use bytes::Bytes;
use tracing::debug;

use super::ServerShared;
use super::service::{CallContext, ServiceError};
use crate::ipc::header;

/// A decoded call, ready to run.
pub(crate) struct Call {
    pub(crate) shared: Arc<ServerShared>,
    pub(crate) ctx: CallContext,
    pub(crate) retry_count: i32,
    pub(crate) method: String,
    pub(crate) protocol: String,
    pub(crate) version: u64,
    pub(crate) request: Bytes,
}

/// Runs `call` and returns the reply frame body (SUCCESS or ERROR).
pub(crate) async fn run_call(call: Call) -> Bytes {
    let call_id = call.ctx.call_id;
    let client_id = call.ctx.client_id.clone();
    let result = match call.shared.services.get(&call.protocol) {
        None => Err(ServiceError::no_such_protocol(&call.protocol)),
        Some(service) if service.protocol_version() != call.version => {
            Err(ServiceError::version_mismatch(
                &call.protocol,
                call.version,
                service.protocol_version(),
            ))
        }
        Some(service) => service.call(call.ctx, &call.method, call.request).await,
    };
    match result {
        Ok(payload) => header::success_response(call_id, &client_id, call.retry_count, &payload),
        Err(e) => {
            debug!(class = %e.class_name, message = %e.message, "call failed");
            header::error_response(
                call_id,
                false,
                &client_id,
                call.retry_count,
                &e.class_name,
                &e.message,
                e.code,
            )
        }
    }
}
