//! `spindle.scheduler.DriverProtocol`: the service the driver serves. Executors register,
//! poll for commands (the poll is also their heartbeat) and report task states; the AM
//! registers (client mode and cluster mode alike), reports executor losses with their reasons
//! and asks for the last executor id the driver saw.
//!
//! Driver → executor commands (launch, kill, stop) travel in the replies to the executor's
//! `pollCommands` calls, on the connection the executor opened: executors need no inbound
//! port and only the driver checks the secret.

use super::common::{ExecutorLossReasonProto, TaskStatusProto};

spindle_protocol::proto_messages! {
    /// `registerExecutor` request.
    #[derive(Eq)]
    pub struct RegisterExecutorRequestProto {
        /// The executor id the AM gave it (`--executor-id`); unique per application.
        1 executor_id: required string,
        /// The host it runs on (the NM host in YARN), used for locality.
        2 host: required string,
        /// Cores it runs tasks on.
        3 cores: required uint32,
        /// Its resource profile.
        4 resource_profile_id: required uint32,
        /// Its YARN container id, when it runs in one.
        5 container_id: optional string,
        /// 16 random bytes; the reply proves the driver knows the application secret by
        /// returning `HMAC-SHA1(secret, "spindle-driver-proof" ‖ nonce)`.
        6 nonce: required bytes,
        /// Its process id, for logs.
        7 pid: required uint32,
        /// The task function names it has registered (a task naming another fails at once on
        /// the driver with a clear error instead of on the executor).
        8 functions: repeated string,
    }

    /// `registerExecutor` reply. A refusal (duplicate id, excluded host, driver stopping) is an
    /// RPC error of class [`crate::wire::REFUSED_CLASS`] with the reason as its message.
    #[derive(Eq)]
    pub struct RegisterExecutorResponseProto {
        /// `HMAC-SHA1(secret, "spindle-driver-proof" ‖ nonce)`.
        1 driver_proof: required bytes,
        /// The application id (for logs).
        2 app_id: required string,
        /// The longest the driver holds a `pollCommands` call, ms; the executor polls again
        /// at once after each reply, so this is also its heartbeat interval.
        3 poll_wait_ms: required uint32,
        /// The largest task result the driver accepts, bytes; a larger result is reported as
        /// a task failure by the executor itself.
        4 max_result_bytes: required uint64,
    }

    /// `pollCommands` request: "give me my commands, waiting up to `max_wait_ms`".
    #[derive(Eq)]
    pub struct PollCommandsRequestProto {
        /// The caller.
        1 executor_id: required string,
        /// How long the driver may hold the call when it has nothing to send (capped by the
        /// driver's `poll_wait_ms`).
        2 max_wait_ms: required uint32,
    }

    /// A shell command task.
    #[derive(Eq)]
    pub struct ShellTaskProto {
        /// Run with `sh -c`.
        1 command: required string,
        /// Extra environment, `NAME=value`.
        2 env: repeated string,
    }

    /// A call of a named function the executor binary registered.
    #[derive(Eq)]
    pub struct FunctionTaskProto {
        /// The registered name.
        1 name: required string,
        /// Its input bytes.
        2 input: required bytes,
    }
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

// Written out as a plain prost struct (`proto_messages!` has no `oneof` fields), with its
// singular fields `required` like every other scheduler message's.
/// Launch one task attempt.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct LaunchTaskProto {
    /// f1: the attempt's id (Spark's TID).
    #[prost(uint64, required, tag = "1")]
    pub task_id: u64,
    /// f2: the job.
    #[prost(uint32, required, tag = "2")]
    pub job_id: u32,
    /// f3: the stage within the driver.
    #[prost(uint32, required, tag = "3")]
    pub stage_id: u32,
    /// f4: the task's index within its stage (Spark's partition).
    #[prost(uint32, required, tag = "4")]
    pub index: u32,
    /// f5: 0 for the first attempt of this index, then 1, 2, …
    #[prost(uint32, required, tag = "5")]
    pub attempt: u32,
    /// f6/f7: what to run.
    #[prost(oneof = "TaskKindProto", tags = "6, 7")]
    pub kind: Option<TaskKindProto>,
    /// f8: cores the task holds.
    #[prost(uint32, required, tag = "8")]
    pub cpus: u32,
}

spindle_protocol::proto_messages! {
    /// Kill one running task attempt.
    #[derive(Eq)]
    pub struct KillTaskProto {
        /// The attempt.
        1 task_id: required uint64,
        /// Why (shown in the task's KILLED status).
        2 reason: required string,
    }

    /// Stop the executor.
    #[derive(Eq)]
    pub struct StopExecutorProto {
        /// Why (logged by the executor).
        1 reason: required string,
        /// Whether to let running tasks finish first (decommissioning) rather than kill them.
        2 graceful: required bool,
    }

    /// `pollCommands` reply: commands in the order to apply them (launches, then kills, then
    /// stop). An empty reply means "nothing for now, poll again".
    #[derive(Eq)]
    pub struct PollCommandsResponseProto {
        /// Tasks to start.
        1 launches: repeated message(LaunchTaskProto),
        /// Tasks to kill.
        2 kills: repeated message(KillTaskProto),
        /// Present when the executor must stop.
        3 stop: optional message(StopExecutorProto),
    }

    /// `statusUpdate` request: a batch of task state changes of one executor, in order.
    #[derive(Eq)]
    pub struct StatusUpdateRequestProto {
        /// The caller.
        1 executor_id: required string,
        /// The changes (at most `limits::MAX_UPDATES_PER_CALL`).
        2 updates: repeated message(TaskStatusProto),
    }

    /// `registerClusterManager` request: the AM announces itself (Spark's
    /// `RegisterClusterManager`). The driver forgets any previous AM, resets its allocation
    /// state (SPARK-10582) and sends the new AM its current targets.
    #[derive(Eq)]
    pub struct RegisterClusterManagerRequestProto {
        /// `host:port` of the AM's `AmProtocol` server.
        1 am_address: required string,
        /// The AM's attempt id (`appattempt_…`).
        2 attempt_id: required string,
        /// 16 random bytes for the driver's proof, as in `registerExecutor`.
        3 nonce: required bytes,
        /// The AM container's id, when it runs in one.
        4 container_id: optional string,
    }

    /// `registerClusterManager` reply.
    #[derive(Eq)]
    pub struct RegisterClusterManagerResponseProto {
        /// `HMAC-SHA1(secret, "spindle-driver-proof" ‖ nonce)`.
        1 driver_proof: required bytes,
        /// The application id the driver serves.
        2 app_id: required string,
    }

    /// `removeExecutor` request: the AM reports an executor gone, with its reason (Spark's
    /// `RemoveExecutor`).
    #[derive(Eq)]
    pub struct RemoveExecutorRequestProto {
        /// The executor.
        1 executor_id: required string,
        /// Why.
        2 reason: optional message(ExecutorLossReasonProto),
    }

    /// `decommissionExecutorsOnHost` request: the host is being decommissioned (Spark's
    /// `DecommissionExecutorsOnHost`): its executors get no new tasks and stop once idle.
    #[derive(Eq)]
    pub struct DecommissionHostRequestProto {
        /// The host.
        1 host: required string,
    }

    /// `retrieveLastAllocatedExecutorId` reply: the largest numeric executor id the driver has
    /// seen, so a new AM attempt numbers its executors after it (Spark's
    /// `RetrieveLastAllocatedExecutorId`).
    #[derive(Eq)]
    pub struct LastExecutorIdResponseProto {
        /// 0 when none.
        1 last_executor_id: required uint64,
    }
}
