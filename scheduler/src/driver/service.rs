//! The driver's [`DriverProtocol`] implementation: checks each message's bounds, converts it
//! and hands it to the event loop.

use std::collections::BTreeSet;
use std::time::Duration;

use spindle_protocol::ipc::ServiceError;
use spindle_protocol::java_class;
use tokio::sync::{mpsc, oneshot};

use super::msg::{Msg, PollReply};
use crate::auth::AppSecret;
use crate::core::{ExecId, Registration};
use crate::limits;
use crate::proto::*;
use crate::wire::convert::{commands_to_proto, loss_from_proto, status_from_proto};
use crate::wire::{Caller, DriverProtocol, bad_request, refused};

/// What the handlers need.
pub(crate) struct DriverService {
    pub(crate) tx: mpsc::UnboundedSender<Msg>,
    pub(crate) secret: AppSecret,
    pub(crate) poll_wait_ms: u32,
    pub(crate) max_result_bytes: usize,
}

fn gone() -> ServiceError {
    ServiceError::new(
        java_class::IO,
        "the driver is shutting down; try again later",
    )
}

impl DriverService {
    async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Msg,
    ) -> Result<T, ServiceError> {
        let (tx, rx) = oneshot::channel();
        self.tx.send(make(tx)).map_err(|_| gone())?;
        // The loop answers at once except for held polls, which it answers within their wait.
        tokio::time::timeout(Duration::from_secs(120), rx)
            .await
            .map_err(|_| {
                ServiceError::new(java_class::IO, "the driver did not answer within 120 s")
            })?
            .map_err(|_| gone())
    }

    /// [`Self::ask`] for a request the loop may refuse: its refusal becomes the RPC error.
    async fn ask_refusable<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<T, String>>) -> Msg,
    ) -> Result<T, ServiceError> {
        self.ask(make).await?.map_err(refused)
    }

    /// Asks the loop for an executor's next commands (a poll, or a status update whose reply
    /// carries them) and converts them into the reply.
    async fn ask_commands(
        &self,
        make: impl FnOnce(oneshot::Sender<PollReply>) -> Msg,
    ) -> Result<PollCommandsResponseProto, ServiceError> {
        let commands = self.ask_refusable(make).await?;
        Ok(commands_to_proto(&commands))
    }

    /// Hands `msg` to the loop without waiting for an answer.
    fn tell(&self, msg: Msg) -> Result<(), ServiceError> {
        self.tx.send(msg).map_err(|_| gone())
    }
}

impl DriverProtocol for DriverService {
    async fn register_executor(
        &self,
        caller: Caller,
        r: RegisterExecutorRequestProto,
    ) -> Result<RegisterExecutorResponseProto, ServiceError> {
        limits::check_register_executor(&r).map_err(bad_request)?;
        tracing::info!(executor = %r.executor_id, host = %r.host, cores = r.cores, caller = %caller.user, peer = %caller.peer, "executor registering");
        let reg = Registration {
            exec: ExecId::new(r.executor_id.as_str()),
            host: r.host.clone(),
            cores: r.cores,
            functions: r.functions.iter().cloned().collect::<BTreeSet<_>>(),
        };
        self.ask_refusable(|reply| Msg::Register { reg, reply })
            .await?;
        Ok(RegisterExecutorResponseProto {
            driver_proof: self.secret.proof(&r.nonce),
            app_id: self.secret.app_id().to_string(),
            poll_wait_ms: self.poll_wait_ms,
            max_result_bytes: self.max_result_bytes as u64,
        })
    }

    async fn poll_commands(
        &self,
        _caller: Caller,
        r: PollCommandsRequestProto,
    ) -> Result<PollCommandsResponseProto, ServiceError> {
        limits::check_executor_id("pollCommands.executor_id", &r.executor_id)
            .map_err(bad_request)?;
        let wait = r
            .max_wait_ms
            .min(limits::MAX_POLL_WAIT_MS)
            .min(self.poll_wait_ms);
        let exec = ExecId::new(r.executor_id.as_str());
        self.ask_commands(|reply| Msg::Poll {
            exec,
            max_wait_ms: u64::from(wait),
            reply,
        })
        .await
    }

    async fn status_update(
        &self,
        _caller: Caller,
        r: StatusUpdateRequestProto,
    ) -> Result<PollCommandsResponseProto, ServiceError> {
        limits::check_status_update(&r, self.max_result_bytes).map_err(bad_request)?;
        let exec = ExecId::new(r.executor_id.as_str());
        let updates = r.updates.into_iter().map(status_from_proto).collect();
        self.ask_commands(|reply| Msg::Status {
            exec,
            updates,
            reply,
        })
        .await
    }

    async fn register_cluster_manager(
        &self,
        caller: Caller,
        r: RegisterClusterManagerRequestProto,
    ) -> Result<RegisterClusterManagerResponseProto, ServiceError> {
        limits::check_register_cluster_manager(&r).map_err(bad_request)?;
        self.tell(Msg::RegisterAm {
            address: r.am_address.clone(),
            attempt: r.attempt_id.clone(),
            peer: caller.peer,
        })?;
        Ok(RegisterClusterManagerResponseProto {
            driver_proof: self.secret.proof(&r.nonce),
            app_id: self.secret.app_id().to_string(),
        })
    }

    async fn remove_executor(
        &self,
        _caller: Caller,
        r: RemoveExecutorRequestProto,
    ) -> Result<EmptyProto, ServiceError> {
        limits::check_remove_executor(&r).map_err(bad_request)?;
        let reason = loss_from_proto(r.reason.as_ref().expect("checked above"));
        self.tell(Msg::RemoveExecutor {
            exec: ExecId::new(r.executor_id.as_str()),
            reason,
        })?;
        Ok(EmptyProto {})
    }

    async fn decommission_executors_on_host(
        &self,
        _caller: Caller,
        r: DecommissionHostRequestProto,
    ) -> Result<EmptyProto, ServiceError> {
        limits::check_decommission(&r).map_err(bad_request)?;
        self.tell(Msg::Decommission { host: r.host })?;
        Ok(EmptyProto {})
    }

    async fn retrieve_last_allocated_executor_id(
        &self,
        _caller: Caller,
        _r: EmptyProto,
    ) -> Result<LastExecutorIdResponseProto, ServiceError> {
        let last = self.ask(|reply| Msg::LastExecutorId { reply }).await?;
        Ok(LastExecutorIdResponseProto {
            last_executor_id: last,
        })
    }
}
