//! The environment through which a driver learns the executors it was submitted with: what
//! `spindle submit` sets (`spindle-client`) and what a driver program reads (`spindle-examples`,
//! any application's own driver). One list, so the two sides cannot drift apart.

/// How many executors the driver asks for (`--num-executors`).
pub const NUM_EXECUTORS: &str = "SPINDLE_NUM_EXECUTORS";
/// Cores of each executor (`--executor-cores`). The same variable as
/// [`executor_env::EXECUTOR_CORES`](crate::executor_env::EXECUTOR_CORES): it also tells an
/// executor how many tasks it runs at once.
pub const EXECUTOR_CORES: &str = crate::executor_env::EXECUTOR_CORES;
/// Memory of each executor, MB (`--executor-memory`).
pub const EXECUTOR_MEMORY_MB: &str = "SPINDLE_EXECUTOR_MEMORY_MB";
