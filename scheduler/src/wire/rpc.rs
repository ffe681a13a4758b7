//! The two services as RPC tables: for each, a server trait (one async method per RPC), an
//! [`ipc::Service`](spindle_protocol::ipc::Service) adapter that decodes, checks the caller
//! and dispatches, and a typed client. One table per protocol generates all three, so a
//! method name cannot differ between them.
//!
//! This module is the scheduler's own small table macro; it gives way to the protocol
//! crate's shared one when that lands.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use futures::future::BoxFuture;
use prost::Message;
use spindle_protocol::ipc::{CallContext, CallerAuth, IpcClient, IpcError, Service, ServiceError};

use crate::proto::*;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// `role/name` from its application token.
    pub user: String,
    /// Its address.
    pub peer: SocketAddr,
}

fn caller(ctx: &CallContext) -> Result<Caller, ServiceError> {
    match ctx.auth {
        CallerAuth::Token { .. } => Ok(Caller {
            user: ctx.user.clone(),
            peer: ctx.peer,
        }),
        CallerAuth::Simple | CallerAuth::Kerberos { .. } => Err(ServiceError::new(
            "org.apache.hadoop.security.AccessControlException",
            "the scheduler protocols need an application token (SIMPLE is not allowed)",
        )),
    }
}

fn decode<M: Message + Default>(method: &str, request: &Bytes) -> Result<M, ServiceError> {
    M::decode(request.as_ref()).map_err(|e| ServiceError::bad_request(method, e))
}

macro_rules! rpc_table {
    (
        $(#[$tm:meta])* trait $Trait:ident;
        $(#[$sm:meta])* service $Service:ident;
        $(#[$cm:meta])* client $Client:ident;
        protocol $protocol:expr;
        $( $(#[$fm:meta])* fn $func:ident = $method:expr, $Req:ty => $Resp:ty; )*
    ) => {
        $(#[$tm])*
        pub trait $Trait: Send + Sync + 'static {
            $(
                $(#[$fm])*
                fn $func(
                    &self,
                    caller: Caller,
                    request: $Req,
                ) -> impl Future<Output = Result<$Resp, ServiceError>> + Send;
            )*
        }

        $(#[$sm])*
        pub struct $Service<T> {
            inner: Arc<T>,
        }

        impl<T: $Trait> $Service<T> {
            /// Serves `inner`.
            pub fn new(inner: Arc<T>) -> Self {
                $Service { inner }
            }
        }

        impl<T: $Trait> Service for $Service<T> {
            fn protocol_name(&self) -> &str {
                $protocol
            }

            fn protocol_version(&self) -> u64 {
                PROTOCOL_VERSION
            }

            fn call(
                &self,
                ctx: CallContext,
                method: &str,
                request: Bytes,
            ) -> BoxFuture<'static, Result<Bytes, ServiceError>> {
                let inner = self.inner.clone();
                let method = method.to_string();
                Box::pin(async move {
                    let who = caller(&ctx)?;
                    match method.as_str() {
                        $(
                            $method => {
                                let req: $Req = decode($method, &request)?;
                                let reply = inner.$func(who, req).await?;
                                Ok(Bytes::from(reply.encode_to_vec()))
                            }
                        )*
                        other => Err(ServiceError::no_such_method($protocol, other)),
                    }
                })
            }
        }

        $(#[$cm])*
        #[derive(Clone, Debug)]
        pub struct $Client {
            ipc: IpcClient,
        }

        impl $Client {
            /// A client over `ipc` (configured for this protocol).
            pub fn new(ipc: IpcClient) -> Self {
                $Client { ipc }
            }

            /// The underlying IPC client.
            pub fn ipc(&self) -> &IpcClient {
                &self.ipc
            }

            $(
                $(#[$fm])*
                pub async fn $func(&self, request: &$Req) -> Result<$Resp, IpcError> {
                    self.ipc.call($method, request).await
                }
            )*
        }
    };
}

rpc_table! {
    /// The driver side of `spindle.scheduler.DriverProtocol`.
    trait DriverProtocol;
    /// [`Service`] adapter for a [`DriverProtocol`] implementation.
    service DriverProtocolService;
    /// Typed client of the driver (executors and the AM use it).
    client DriverClient;
    protocol DRIVER_PROTOCOL;
    /// Executor → driver: register.
    fn register_executor = "registerExecutor",
        RegisterExecutorRequestProto => RegisterExecutorResponseProto;
    /// Executor → driver: wait for commands (the heartbeat).
    fn poll_commands = "pollCommands", PollCommandsRequestProto => PollCommandsResponseProto;
    /// Executor → driver: task state changes; the reply carries the executor's next commands.
    fn status_update = "statusUpdate", StatusUpdateRequestProto => PollCommandsResponseProto;
    /// AM → driver: register.
    fn register_cluster_manager = "registerClusterManager",
        RegisterClusterManagerRequestProto => RegisterClusterManagerResponseProto;
    /// AM → driver: an executor is gone.
    fn remove_executor = "removeExecutor", RemoveExecutorRequestProto => EmptyProto;
    /// AM → driver: a host is being decommissioned.
    fn decommission_executors_on_host = "decommissionExecutorsOnHost",
        DecommissionHostRequestProto => EmptyProto;
    /// AM → driver: the largest executor id seen.
    fn retrieve_last_allocated_executor_id = "retrieveLastAllocatedExecutorId",
        EmptyProto => LastExecutorIdResponseProto;
}

rpc_table! {
    /// The AM side of `spindle.scheduler.AmProtocol` (the AM implements it).
    trait AmProtocol;
    /// [`Service`] adapter for an [`AmProtocol`] implementation.
    service AmProtocolService;
    /// Typed client of the AM (the driver uses it).
    client AmClient;
    protocol AM_PROTOCOL;
    /// Driver → AM: totals and locality hints.
    fn request_executors = "requestExecutors",
        RequestExecutorsRequestProto => RequestExecutorsResponseProto;
    /// Driver → AM: release executors.
    fn kill_executors = "killExecutors", KillExecutorsRequestProto => KillExecutorsResponseProto;
    /// Driver → AM: why an executor went away.
    fn get_executor_loss_reason = "getExecutorLossReason",
        GetExecutorLossReasonRequestProto => GetExecutorLossReasonResponseProto;
    /// Driver → AM: renewed delegation tokens.
    fn update_delegation_tokens = "updateDelegationTokens",
        UpdateDelegationTokensRequestProto => EmptyProto;
    /// Driver → AM: the driver is stopping.
    fn shutdown = "shutdown", ShutdownRequestProto => EmptyProto;
}

#[cfg(test)]
mod tests {
    use crate::proto::{am_methods, driver_methods};

    /// The method names in the tables are the documented ones.
    #[test]
    fn method_names_match_the_protocol_constants() {
        let driver = [
            driver_methods::REGISTER_EXECUTOR,
            driver_methods::POLL_COMMANDS,
            driver_methods::STATUS_UPDATE,
            driver_methods::REGISTER_CLUSTER_MANAGER,
            driver_methods::REMOVE_EXECUTOR,
            driver_methods::DECOMMISSION_HOST,
            driver_methods::LAST_EXECUTOR_ID,
        ];
        assert_eq!(
            driver,
            [
                "registerExecutor",
                "pollCommands",
                "statusUpdate",
                "registerClusterManager",
                "removeExecutor",
                "decommissionExecutorsOnHost",
                "retrieveLastAllocatedExecutorId"
            ]
        );
        let am = [
            am_methods::REQUEST_EXECUTORS,
            am_methods::KILL_EXECUTORS,
            am_methods::GET_EXECUTOR_LOSS_REASON,
            am_methods::UPDATE_DELEGATION_TOKENS,
            am_methods::SHUTDOWN,
        ];
        assert_eq!(
            am,
            [
                "requestExecutors",
                "killExecutors",
                "getExecutorLossReason",
                "updateDelegationTokens",
                "shutdown"
            ]
        );
    }
}
