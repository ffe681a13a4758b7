//! Messages shared by the driver and AM protocols: task states, executor loss reasons and
//! resource profiles.

/// The state a task attempt reports (Spark's `TaskState`, without `LAUNCHING`, which the
/// driver sets itself when it hands the task out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum TaskStateProto {
    /// Never sent; a status with it is refused.
    Unspecified = 0,
    /// The executor started running the task.
    Running = 1,
    /// The task succeeded; `result` holds its output.
    Finished = 2,
    /// The task failed; `error` says why. Counts toward the task's attempt limit.
    Failed = 3,
    /// The task was killed on the driver's request (does not count).
    Killed = 4,
    /// The executor could not run the task for a reason of its own (e.g. shutting down); the
    /// driver reschedules it without counting the attempt.
    Lost = 5,
}

/// Why a task attempt failed.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct TaskErrorProto {
    /// f1: one line a user can act on (bounded by `limits::MAX_ERROR_MESSAGE_LEN`).
    #[prost(string, tag = "1")]
    pub message: String,
    /// f2: the chain of causes, outermost first, or a stderr tail (bounded likewise).
    #[prost(string, tag = "2")]
    pub detail: String,
    /// f3: the exit code of a shell task, when there was one.
    #[prost(sint32, optional, tag = "3")]
    pub exit_code: Option<i32>,
}

/// One state change of one task attempt, executor → driver.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct TaskStatusProto {
    /// f1: the attempt's id (unique per driver, Spark's TID).
    #[prost(uint64, tag = "1")]
    pub task_id: u64,
    /// f2: the new state.
    #[prost(enumeration = "TaskStateProto", tag = "2")]
    pub state: i32,
    /// f3: the output of a `FINISHED` task (bounded by the driver's `max_result_bytes`).
    #[prost(bytes = "vec", optional, tag = "3")]
    pub result: Option<Vec<u8>>,
    /// f4: the cause of a `FAILED` or `LOST` task.
    #[prost(message, optional, tag = "4")]
    pub error: Option<TaskErrorProto>,
}

/// What happened to an executor, as far as anyone knows (Spark's `ExecutorLossReason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum LossKindProto {
    /// Not known (yet).
    Unknown = 0,
    /// The container exited with `exit_status` (Spark's `ExecutorExited`).
    Exited = 1,
    /// The process or its host went away without an exit status (Spark's
    /// `ExecutorProcessLost`): a dropped connection, a missed heartbeat.
    ProcessLost = 2,
    /// The driver asked for it to go (Spark's `ExecutorKilled`): never the app's fault.
    KilledByDriver = 3,
    /// Its host is being decommissioned (Spark's `ExecutorDecommission`).
    Decommissioned = 4,
}

/// Why an executor is gone. `exit_caused_by_app` decides whether its running tasks' failures
/// count toward their attempt limit (Spark: only when the application is to blame).
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct ExecutorLossReasonProto {
    /// f1: which kind of loss.
    #[prost(enumeration = "LossKindProto", tag = "1")]
    pub kind: i32,
    /// f2: the container's exit status (YARN's special values included), for `EXITED`.
    #[prost(sint32, optional, tag = "2")]
    pub exit_status: Option<i32>,
    /// f3: whether the application is to blame (counts toward task failures).
    #[prost(bool, tag = "3")]
    pub exit_caused_by_app: bool,
    /// f4: a message for the user (bounded by `limits::MAX_ERROR_MESSAGE_LEN`).
    #[prost(string, tag = "4")]
    pub message: String,
    /// f5: the executor's host, when known.
    #[prost(string, optional, tag = "5")]
    pub host: Option<String>,
}

/// A named custom resource amount of a profile (`yarn.io/gpu` → 2).
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct ResourceAmountProto {
    /// f1: the YARN resource name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// f2: the amount, in YARN's unit for it.
    #[prost(uint64, tag = "2")]
    pub amount: u64,
}

/// A resource profile: what one executor of the profile is (Spark's `ResourceProfile`).
/// Profile 0 is the default profile.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct ResourceProfileProto {
    /// f1: the profile id (also its YARN priority).
    #[prost(uint32, tag = "1")]
    pub id: u32,
    /// f2: cores per executor.
    #[prost(uint32, tag = "2")]
    pub cores: u32,
    /// f3: executor memory in MiB (heap; the AM adds its overhead rule).
    #[prost(uint64, tag = "3")]
    pub memory_mb: u64,
    /// f4: custom resources per executor.
    #[prost(message, repeated, tag = "4")]
    pub resources: Vec<ResourceAmountProto>,
    /// f5: cores each task of the profile takes (Spark's `spark.task.cpus`, default 1).
    #[prost(uint32, tag = "5")]
    pub cpus_per_task: u32,
}

/// An empty message (requests and replies that carry nothing).
#[derive(Clone, Copy, PartialEq, Eq, prost::Message)]
pub struct EmptyProto {}
