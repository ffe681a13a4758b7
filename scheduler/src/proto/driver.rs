//! `spindle.scheduler.DriverProtocol`: the service the driver serves. Executors register,
//! poll for commands (the poll is also their heartbeat) and report task states; the AM
//! registers (client mode and cluster mode alike), reports executor losses with their reasons
//! and asks for the last executor id the driver saw.
//!
//! Driver → executor commands (launch, kill, stop) travel in the replies to the executor's
//! `pollCommands` calls, on the connection the executor opened: executors need no inbound
//! port and only the driver checks the secret.

use super::common::{ExecutorLossReasonProto, TaskStatusProto};

/// `registerExecutor` request.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct RegisterExecutorRequestProto {
    /// f1: the executor id the AM gave it (`--executor-id`); unique per application.
    #[prost(string, tag = "1")]
    pub executor_id: String,
    /// f2: the host it runs on (the NM host in YARN), used for locality.
    #[prost(string, tag = "2")]
    pub host: String,
    /// f3: cores it runs tasks on.
    #[prost(uint32, tag = "3")]
    pub cores: u32,
    /// f4: its resource profile.
    #[prost(uint32, tag = "4")]
    pub resource_profile_id: u32,
    /// f5: its YARN container id, when it runs in one.
    #[prost(string, optional, tag = "5")]
    pub container_id: Option<String>,
    /// f6: 16 random bytes; the reply proves the driver knows the application secret by
    /// returning `HMAC-SHA1(secret, "spindle-driver-proof" ‖ nonce)`.
    #[prost(bytes = "vec", tag = "6")]
    pub nonce: Vec<u8>,
    /// f7: its process id, for logs.
    #[prost(uint32, tag = "7")]
    pub pid: u32,
    /// f8: the task function names it has registered (a task naming another fails at once on
    /// the driver with a clear error instead of on the executor).
    #[prost(string, repeated, tag = "8")]
    pub functions: Vec<String>,
}

/// `registerExecutor` reply. A refusal (duplicate id, excluded host, driver stopping) is an
/// RPC error of class [`crate::wire::REFUSED_CLASS`] with the reason as its message.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct RegisterExecutorResponseProto {
    /// f1: `HMAC-SHA1(secret, "spindle-driver-proof" ‖ nonce)`.
    #[prost(bytes = "vec", tag = "1")]
    pub driver_proof: Vec<u8>,
    /// f2: the application id (for logs).
    #[prost(string, tag = "2")]
    pub app_id: String,
    /// f3: the longest the driver holds a `pollCommands` call, ms; the executor polls again
    /// at once after each reply, so this is also its heartbeat interval.
    #[prost(uint32, tag = "3")]
    pub poll_wait_ms: u32,
    /// f4: the largest task result the driver accepts, bytes; a larger result is reported as
    /// a task failure by the executor itself.
    #[prost(uint64, tag = "4")]
    pub max_result_bytes: u64,
}

/// `pollCommands` request: "give me my commands, waiting up to `max_wait_ms`".
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct PollCommandsRequestProto {
    /// f1: the caller.
    #[prost(string, tag = "1")]
    pub executor_id: String,
    /// f2: how long the driver may hold the call when it has nothing to send (capped by the
    /// driver's `poll_wait_ms`).
    #[prost(uint32, tag = "2")]
    pub max_wait_ms: u32,
}

/// A shell command task.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct ShellTaskProto {
    /// f1: run with `sh -c`.
    #[prost(string, tag = "1")]
    pub command: String,
    /// f2: extra environment, `NAME=value`.
    #[prost(string, repeated, tag = "2")]
    pub env: Vec<String>,
}

/// A call of a named function the executor binary registered.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct FunctionTaskProto {
    /// f1: the registered name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// f2: its input bytes.
    #[prost(bytes = "vec", tag = "2")]
    pub input: Vec<u8>,
}

/// What a task runs.
#[derive(Clone, PartialEq, Eq, prost::Oneof)]
pub enum TaskKindProto {
    /// f6: a shell command.
    #[prost(message, tag = "6")]
    Shell(ShellTaskProto),
    /// f7: a registered function.
    #[prost(message, tag = "7")]
    Function(FunctionTaskProto),
}

/// Launch one task attempt.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct LaunchTaskProto {
    /// f1: the attempt's id (Spark's TID).
    #[prost(uint64, tag = "1")]
    pub task_id: u64,
    /// f2: the job.
    #[prost(uint32, tag = "2")]
    pub job_id: u32,
    /// f3: the stage within the driver.
    #[prost(uint32, tag = "3")]
    pub stage_id: u32,
    /// f4: the task's index within its stage (Spark's partition).
    #[prost(uint32, tag = "4")]
    pub index: u32,
    /// f5: 0 for the first attempt of this index, then 1, 2, …
    #[prost(uint32, tag = "5")]
    pub attempt: u32,
    /// f6/f7: what to run.
    #[prost(oneof = "TaskKindProto", tags = "6, 7")]
    pub kind: Option<TaskKindProto>,
    /// f8: cores the task holds.
    #[prost(uint32, tag = "8")]
    pub cpus: u32,
}

/// Kill one running task attempt.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct KillTaskProto {
    /// f1: the attempt.
    #[prost(uint64, tag = "1")]
    pub task_id: u64,
    /// f2: why (shown in the task's KILLED status).
    #[prost(string, tag = "2")]
    pub reason: String,
}

/// Stop the executor.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct StopExecutorProto {
    /// f1: why (logged by the executor).
    #[prost(string, tag = "1")]
    pub reason: String,
    /// f2: whether to let running tasks finish first (decommissioning) rather than kill them.
    #[prost(bool, tag = "2")]
    pub graceful: bool,
}

/// `pollCommands` reply: commands in the order to apply them (launches, then kills, then
/// stop). An empty reply means "nothing for now, poll again".
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct PollCommandsResponseProto {
    /// f1: tasks to start.
    #[prost(message, repeated, tag = "1")]
    pub launches: Vec<LaunchTaskProto>,
    /// f2: tasks to kill.
    #[prost(message, repeated, tag = "2")]
    pub kills: Vec<KillTaskProto>,
    /// f3: present when the executor must stop.
    #[prost(message, optional, tag = "3")]
    pub stop: Option<StopExecutorProto>,
}

/// `statusUpdate` request: a batch of task state changes of one executor, in order.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct StatusUpdateRequestProto {
    /// f1: the caller.
    #[prost(string, tag = "1")]
    pub executor_id: String,
    /// f2: the changes (at most `limits::MAX_UPDATES_PER_CALL`).
    #[prost(message, repeated, tag = "2")]
    pub updates: Vec<TaskStatusProto>,
}

/// `registerClusterManager` request: the AM announces itself (Spark's
/// `RegisterClusterManager`). The driver forgets any previous AM, resets its allocation
/// state (SPARK-10582) and sends the new AM its current targets.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct RegisterClusterManagerRequestProto {
    /// f1: `host:port` of the AM's `AmProtocol` server.
    #[prost(string, tag = "1")]
    pub am_address: String,
    /// f2: the AM's attempt id (`appattempt_…`).
    #[prost(string, tag = "2")]
    pub attempt_id: String,
    /// f3: 16 random bytes for the driver's proof, as in `registerExecutor`.
    #[prost(bytes = "vec", tag = "3")]
    pub nonce: Vec<u8>,
    /// f4: the AM container's id, when it runs in one.
    #[prost(string, optional, tag = "4")]
    pub container_id: Option<String>,
}

/// `registerClusterManager` reply.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct RegisterClusterManagerResponseProto {
    /// f1: `HMAC-SHA1(secret, "spindle-driver-proof" ‖ nonce)`.
    #[prost(bytes = "vec", tag = "1")]
    pub driver_proof: Vec<u8>,
    /// f2: the application id the driver serves.
    #[prost(string, tag = "2")]
    pub app_id: String,
}

/// `removeExecutor` request: the AM reports an executor gone, with its reason (Spark's
/// `RemoveExecutor`).
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct RemoveExecutorRequestProto {
    /// f1: the executor.
    #[prost(string, tag = "1")]
    pub executor_id: String,
    /// f2: why.
    #[prost(message, optional, tag = "2")]
    pub reason: Option<ExecutorLossReasonProto>,
}

/// `decommissionExecutorsOnHost` request: the host is being decommissioned (Spark's
/// `DecommissionExecutorsOnHost`): its executors get no new tasks and stop once idle.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct DecommissionHostRequestProto {
    /// f1: the host.
    #[prost(string, tag = "1")]
    pub host: String,
}

/// `retrieveLastAllocatedExecutorId` reply: the largest numeric executor id the driver has
/// seen, so a new AM attempt numbers its executors after it (Spark's
/// `RetrieveLastAllocatedExecutorId`).
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct LastExecutorIdResponseProto {
    /// f1: 0 when none.
    #[prost(uint64, tag = "1")]
    pub last_executor_id: u64,
}
