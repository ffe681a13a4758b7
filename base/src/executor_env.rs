//! The environment through which an executor learns who it is: what the AM's launch context
//! sets (`spindle-launcher`) and what an executor reads (`spindle-scheduler`). One list, so the
//! two sides cannot drift apart.

/// The driver's `host:port`.
pub const DRIVER_URL: &str = "SPINDLE_DRIVER_URL";
/// The executor's id (the allocator's number, as text).
pub const EXECUTOR_ID: &str = "SPINDLE_EXECUTOR_ID";
/// The host the executor registers with (the node the RM named; default: `NM_HOST`).
pub const EXECUTOR_HOST: &str = "SPINDLE_EXECUTOR_HOST";
/// Tasks the executor runs at once.
pub const EXECUTOR_CORES: &str = "SPINDLE_EXECUTOR_CORES";
/// The application id.
pub const APP_ID: &str = "SPINDLE_APP_ID";
/// The resource profile the executor's container was requested for.
pub const RESOURCE_PROFILE_ID: &str = "SPINDLE_RESOURCE_PROFILE_ID";
/// Seconds (or `Nms`) after which an unreachable driver makes the executor exit.
pub const DRIVER_TIMEOUT: &str = "SPINDLE_DRIVER_TIMEOUT";
/// Where a driver started by the AM (cluster mode) writes its `host:port` once it listens.
pub const DRIVER_URL_FILE: &str = "SPINDLE_DRIVER_URL_FILE";
