//! Messages from the RPC handlers and the API to the driver's event loop.

use std::net::SocketAddr;

use tokio::sync::{mpsc, oneshot};

use crate::core::{
    Commands, ExecId, JobId, JobSpec, LossReason, Registration, SubmitError, TaskId, TaskUpdate,
};

use super::JobEvent;

/// A poll's answer: commands, or "you are unknown, exit".
pub(crate) type PollReply = Result<Commands, String>;

pub(crate) enum Msg {
    Register {
        reg: Registration,
        reply: oneshot::Sender<Result<(), String>>,
    },
    Poll {
        exec: ExecId,
        max_wait_ms: u64,
        reply: oneshot::Sender<PollReply>,
    },
    Status {
        exec: ExecId,
        updates: Vec<(TaskId, TaskUpdate)>,
        reply: oneshot::Sender<PollReply>,
    },
    RegisterAm {
        address: String,
        attempt: String,
        peer: SocketAddr,
    },
    RemoveExecutor {
        exec: ExecId,
        reason: LossReason,
    },
    Decommission {
        host: String,
    },
    LastExecutorId {
        reply: oneshot::Sender<u64>,
    },
    Submit {
        job: JobSpec,
        events: mpsc::UnboundedSender<JobEvent>,
        reply: oneshot::Sender<Result<JobId, SubmitError>>,
    },
    Cancel {
        job: JobId,
        reason: String,
    },
    RequestTotal(u32),
    Executors {
        reply: oneshot::Sender<usize>,
    },
    Stop {
        reason: String,
        succeeded: bool,
        reply: oneshot::Sender<()>,
    },
}
