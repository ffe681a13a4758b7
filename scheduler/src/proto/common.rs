//! Messages shared by the driver and AM protocols: task states, executor loss reasons and
//! resource profiles.

spindle_protocol::proto_enums! {
    /// The state a task attempt reports (Spark's `TaskState`, without `LAUNCHING`, which the
    /// driver sets itself when it hands the task out).
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

    /// What happened to an executor, as far as anyone knows (Spark's `ExecutorLossReason`).
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
}

spindle_protocol::proto_messages! {
    /// Why a task attempt failed.
    #[derive(Eq)]
    pub struct TaskErrorProto {
        /// One line a user can act on (bounded by `limits::MAX_ERROR_MESSAGE_LEN`).
        1 message: required string,
        /// The chain of causes, outermost first, or a stderr tail (bounded likewise).
        2 detail: required string,
        /// The exit code of a shell task, when there was one.
        3 exit_code: optional sint32,
    }

    /// One state change of one task attempt, executor → driver.
    #[derive(Eq)]
    pub struct TaskStatusProto {
        /// The attempt's id (unique per driver, Spark's TID).
        1 task_id: required uint64,
        /// The new state.
        2 state: required enumeration(TaskStateProto),
        /// The output of a `FINISHED` task (bounded by the driver's `max_result_bytes`).
        3 result: optional bytes,
        /// The cause of a `FAILED` or `LOST` task.
        4 error: optional message(TaskErrorProto),
    }

    /// Why an executor is gone. `exit_caused_by_app` decides whether its running tasks' failures
    /// count toward their attempt limit (Spark: only when the application is to blame).
    #[derive(Eq)]
    pub struct ExecutorLossReasonProto {
        /// Which kind of loss.
        1 kind: required enumeration(LossKindProto),
        /// The container's exit status (YARN's special values included), for `EXITED`.
        2 exit_status: optional sint32,
        /// Whether the application is to blame (counts toward task failures).
        3 exit_caused_by_app: required bool,
        /// A message for the user (bounded by `limits::MAX_ERROR_MESSAGE_LEN`).
        4 message: required string,
        /// The executor's host, when known.
        5 host: optional string,
    }

    /// A named custom resource amount of a profile (`yarn.io/gpu` → 2).
    #[derive(Eq)]
    pub struct ResourceAmountProto {
        /// The YARN resource name.
        1 name: required string,
        /// The amount, in YARN's unit for it.
        2 amount: required uint64,
    }

    /// A resource profile: what one executor of the profile is (Spark's `ResourceProfile`).
    /// Profile 0 is the default profile.
    #[derive(Eq)]
    pub struct ResourceProfileProto {
        /// The profile id (also its YARN priority).
        1 id: required uint32,
        /// Cores per executor.
        2 cores: required uint32,
        /// Executor memory in MiB (heap; the AM adds its overhead rule).
        3 memory_mb: required uint64,
        /// Custom resources per executor.
        4 resources: repeated message(ResourceAmountProto),
        /// Cores each task of the profile takes (Spark's `spark.task.cpus`, default 1).
        5 cpus_per_task: required uint32,
    }

    /// An empty message (requests and replies that carry nothing).
    #[derive(Copy, Eq)]
    pub struct EmptyProto {}
}
