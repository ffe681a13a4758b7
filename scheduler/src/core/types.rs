//! Plain values the scheduler cores read and write: ids, task definitions, outcomes, loss
//! reasons. No I/O, no protobuf: the wire edge converts.

use std::fmt;

use bytes::Bytes;

/// A point on the core's clock in milliseconds (monotonic; the shell picks the origin).
pub type Millis = u64;

spindle_base::text_id! {
    /// An executor id as the AM assigned it (`"1"`, `"2"`, …).
    pub struct ExecId;
}

impl ExecId {
    /// The id as a number, when it is one (AM-assigned ids are).
    pub fn numeric(&self) -> Option<u64> {
        self.0.parse().ok()
    }
}

/// A task attempt's id, unique per driver (Spark's TID).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct TaskId(pub u64);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TID {}", self.0)
    }
}

/// A job's id, in submission order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct JobId(pub u32);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "job {}", self.0)
    }
}

/// A stage's id, unique per driver.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct StageId(pub u32);

impl fmt::Display for StageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stage {}", self.0)
    }
}

/// What a task runs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TaskKind {
    /// `sh -c command` with extra `NAME=value` environment entries.
    Shell {
        /// The command line.
        command: String,
        /// Extra environment.
        env: Vec<String>,
    },
    /// A function the executor binary registered under `name`, called with `input`.
    Function {
        /// The registered name.
        name: String,
        /// Its input.
        input: Bytes,
    },
}

impl TaskKind {
    /// A shell command task.
    pub fn shell(command: impl Into<String>) -> Self {
        TaskKind::Shell {
            command: command.into(),
            env: Vec::new(),
        }
    }

    /// A registered-function task.
    pub fn function(name: impl Into<String>, input: impl Into<Bytes>) -> Self {
        TaskKind::Function {
            name: name.into(),
            input: input.into(),
        }
    }

    /// Bytes the task's payload takes on the wire (command + env, or name + input).
    pub fn payload_len(&self) -> usize {
        match self {
            TaskKind::Shell { command, env } => {
                command.len() + env.iter().map(|e| e.len() + 2).sum::<usize>()
            }
            TaskKind::Function { name, input } => name.len() + input.len(),
        }
    }
}

/// One task of a stage: what to run and where it would rather run.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TaskSpec {
    /// What to run.
    pub kind: TaskKind,
    /// Hosts holding its input (node locality).
    pub preferred_hosts: Vec<String>,
    /// Executors holding its input (process locality).
    pub preferred_executors: Vec<ExecId>,
}

impl TaskSpec {
    /// A task with no locality preference.
    pub fn new(kind: TaskKind) -> Self {
        TaskSpec {
            kind,
            preferred_hosts: Vec::new(),
            preferred_executors: Vec::new(),
        }
    }

    /// The same task, preferring `hosts`.
    pub fn on_hosts<S: Into<String>>(mut self, hosts: impl IntoIterator<Item = S>) -> Self {
        self.preferred_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// The same task, preferring `executors`.
    pub fn on_executors<S: AsRef<str>>(mut self, execs: impl IntoIterator<Item = S>) -> Self {
        self.preferred_executors = execs.into_iter().map(|e| ExecId::new(e.as_ref())).collect();
        self
    }
}

/// Why one task attempt failed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TaskError {
    /// One line a user can act on.
    pub message: String,
    /// Causes or a stderr tail.
    pub detail: String,
    /// A shell task's exit code.
    pub exit_code: Option<i32>,
}

impl TaskError {
    /// An error with a message only.
    pub fn new(message: impl Into<String>) -> Self {
        TaskError {
            message: message.into(),
            detail: String::new(),
            exit_code: None,
        }
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = self.exit_code {
            write!(f, " (exit code {code})")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// A task state change reported by an executor.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TaskUpdate {
    /// Started.
    Running,
    /// Succeeded with this output.
    Finished(Bytes),
    /// Failed (counts toward the attempt limit).
    Failed(TaskError),
    /// Killed on request.
    Killed(String),
    /// Not run for a reason of the executor's (does not count).
    Lost(TaskError),
}

/// What an executor loss was, for counting its tasks' failures (Spark's
/// `ExecutorLossReason`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LossKind {
    /// The container exited with this status.
    Exited(i32),
    /// Contact lost (no exit status).
    ProcessLost,
    /// The driver asked for it to go.
    KilledByDriver,
    /// Its host is decommissioned.
    Decommissioned,
    /// Not known.
    Unknown,
}

/// Why an executor is gone.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LossReason {
    /// The kind.
    pub kind: LossKind,
    /// Whether the application is to blame: its running tasks' failures count.
    pub caused_by_app: bool,
    /// For the user.
    pub message: String,
}

impl LossReason {
    /// Contact lost: counts (Spark's `ExecutorProcessLost` default).
    pub fn process_lost(message: impl Into<String>) -> Self {
        LossReason {
            kind: LossKind::ProcessLost,
            caused_by_app: true,
            message: message.into(),
        }
    }

    /// Killed by the driver: never counts.
    pub fn killed_by_driver(message: impl Into<String>) -> Self {
        LossReason {
            kind: LossKind::KilledByDriver,
            caused_by_app: false,
            message: message.into(),
        }
    }
}

impl fmt::Display for LossReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// How a task (one index of a stage) ended. Each index ends exactly once.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TaskEnd {
    /// An attempt succeeded.
    Succeeded,
    /// Attempts failed as often as allowed; this was the last error.
    Failed(TaskError),
    /// Its job was cancelled or failed before it succeeded.
    Killed,
}
