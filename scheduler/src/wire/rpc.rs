//! The two services as RPC tables, declared with `spindle-protocol`'s `ipc_protocol!`: for
//! each, a server trait (one async method per RPC), an
//! [`ipc::Service`](spindle_protocol::ipc::Service) adapter that decodes, checks the caller
//! and dispatches, and a typed client, all from one table, so a method name cannot differ
//! between them.

use std::net::SocketAddr;

use spindle_protocol::ipc::{CallContext, CallerAuth, IpcError, ServiceError};

use crate::proto::*;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// `role/name` from its application token.
    pub user: String,
    /// Its address.
    pub peer: SocketAddr,
}

/// Only token-authenticated callers (the servers' secret manager already checked the token's
/// application and role).
fn token_caller(ctx: CallContext) -> Result<Caller, ServiceError> {
    match ctx.auth {
        CallerAuth::Token { .. } => Ok(Caller {
            user: ctx.user,
            peer: ctx.peer,
        }),
        CallerAuth::Simple | CallerAuth::Kerberos { .. } => Err(ServiceError::new(
            spindle_protocol::java_class::ACCESS_CONTROL,
            "the scheduler protocols need an application token (SIMPLE is not allowed)",
        )),
    }
}

fn unsupported(method: &str) -> ServiceError {
    ServiceError::new(
        "java.lang.UnsupportedOperationException",
        format!("{method} is not supported by this server"),
    )
}

// The generated client methods wrap the call in `Ok(…?)` to convert into the table's error
// type; with `IpcError` itself that conversion is the identity, which clippy flags.
#[allow(clippy::needless_question_mark)]
mod tables {
    use super::*;

    spindle_protocol::ipc_protocol! {
        /// The driver side of `spindle.scheduler.DriverProtocol`.
        pub trait DriverProtocol {
            name: DRIVER_PROTOCOL,
            version: PROTOCOL_VERSION,
            caller: Caller = token_caller,
            unsupported: unsupported,
            service: DriverProtocolService,
            /// Typed client of the driver (executors and the AM use it).
            client: DriverClient -> IpcError,
        }
        required {
            /// Executor → driver: register.
            fn register_executor("registerExecutor", RegisterExecutorRequestProto)
                -> RegisterExecutorResponseProto;
            /// Executor → driver: wait for commands (the heartbeat).
            fn poll_commands("pollCommands", PollCommandsRequestProto) -> PollCommandsResponseProto;
            /// Executor → driver: task state changes; the reply carries the executor's next
            /// commands.
            fn status_update("statusUpdate", StatusUpdateRequestProto) -> PollCommandsResponseProto;
            /// AM → driver: register.
            fn register_cluster_manager("registerClusterManager", RegisterClusterManagerRequestProto)
                -> RegisterClusterManagerResponseProto;
            /// AM → driver: an executor is gone.
            fn remove_executor("removeExecutor", RemoveExecutorRequestProto) -> EmptyProto;
            /// AM → driver: a host is being decommissioned.
            fn decommission_executors_on_host("decommissionExecutorsOnHost", DecommissionHostRequestProto)
                -> EmptyProto;
            /// AM → driver: the largest executor id seen.
            fn retrieve_last_allocated_executor_id("retrieveLastAllocatedExecutorId", empty EmptyProto)
                -> LastExecutorIdResponseProto;
        }
        optional {}
    }

    spindle_protocol::ipc_protocol! {
        /// The AM side of `spindle.scheduler.AmProtocol` (the AM implements it).
        pub trait AmProtocol {
            name: AM_PROTOCOL,
            version: PROTOCOL_VERSION,
            caller: Caller = token_caller,
            unsupported: unsupported,
            service: AmProtocolService,
            /// Typed client of the AM (the driver uses it).
            client: AmClient -> IpcError,
        }
        required {
            /// Driver → AM: totals and locality hints.
            fn request_executors("requestExecutors", RequestExecutorsRequestProto)
                -> RequestExecutorsResponseProto;
            /// Driver → AM: release executors.
            fn kill_executors("killExecutors", KillExecutorsRequestProto) -> KillExecutorsResponseProto;
            /// Driver → AM: why an executor went away.
            fn get_executor_loss_reason("getExecutorLossReason", GetExecutorLossReasonRequestProto)
                -> GetExecutorLossReasonResponseProto;
            /// Driver → AM: the driver is stopping.
            fn shutdown("shutdown", ShutdownRequestProto) -> EmptyProto;
        }
        optional {
            /// Driver → AM: renewed delegation tokens (an AM without token renewal may leave it
            /// out).
            fn update_delegation_tokens("updateDelegationTokens", UpdateDelegationTokensRequestProto)
                -> EmptyProto;
        }
    }
}

pub use tables::{
    AmClient, AmProtocol, AmProtocolService, DriverClient, DriverProtocol, DriverProtocolService,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The wire names in the tables are the ones `docs/scheduler-protocol.md` documents.
    #[test]
    fn method_names_are_the_documented_ones() {
        fn wire(m: &[(&'static str, &'static str)]) -> Vec<&'static str> {
            m.iter().map(|(w, _)| *w).collect()
        }
        assert_eq!(
            wire(DriverClient::METHODS),
            [
                "registerExecutor",
                "pollCommands",
                "statusUpdate",
                "registerClusterManager",
                "removeExecutor",
                "decommissionExecutorsOnHost",
                "retrieveLastAllocatedExecutorId",
            ]
        );
        assert_eq!(
            wire(AmClient::METHODS),
            [
                "requestExecutors",
                "killExecutors",
                "getExecutorLossReason",
                "shutdown",
                "updateDelegationTokens",
            ]
        );
    }
}
