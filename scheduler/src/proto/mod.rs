//! The scheduler's wire messages, written by hand as prost structs (field numbers are the
//! contract; `docs/scheduler-protocol.md` describes each message, who sends it and its bounds).
//!
//! * [`driver`]: `spindle.scheduler.DriverProtocol`, served by the driver (executors and
//!   the AM call it).
//! * [`am`]: `spindle.scheduler.AmProtocol`, served by the AM (the driver calls it).
//! * [`common`]: task states, loss reasons, resource profiles.
//! * [`auth`]: the application token's identifier.

pub mod am;
pub mod auth;
pub mod common;
pub mod driver;

pub use am::*;
pub use auth::*;
pub use common::*;
pub use driver::*;

/// `declaringClassProtocolName` of the driver's service.
pub const DRIVER_PROTOCOL: &str = "spindle.scheduler.DriverProtocol";
/// `declaringClassProtocolName` of the AM's service.
pub const AM_PROTOCOL: &str = "spindle.scheduler.AmProtocol";
/// Version of both protocols. Adding a field or a method keeps it; changing the meaning of
/// a field number or removing a method bumps it (a server refuses other versions with
/// `RPC$VersionMismatch`).
pub const PROTOCOL_VERSION: u64 = 1;

/// Method names of [`DRIVER_PROTOCOL`].
pub mod driver_methods {
    /// Executor → driver: register.
    pub const REGISTER_EXECUTOR: &str = "registerExecutor";
    /// Executor → driver: wait for commands (also the heartbeat).
    pub const POLL_COMMANDS: &str = "pollCommands";
    /// Executor → driver: task state changes.
    pub const STATUS_UPDATE: &str = "statusUpdate";
    /// AM → driver: register.
    pub const REGISTER_CLUSTER_MANAGER: &str = "registerClusterManager";
    /// AM → driver: an executor is gone, with its reason.
    pub const REMOVE_EXECUTOR: &str = "removeExecutor";
    /// AM → driver: a host is being decommissioned.
    pub const DECOMMISSION_HOST: &str = "decommissionExecutorsOnHost";
    /// AM → driver: the largest executor id seen.
    pub const LAST_EXECUTOR_ID: &str = "retrieveLastAllocatedExecutorId";
}

/// Method names of [`AM_PROTOCOL`].
pub mod am_methods {
    /// Driver → AM: executor totals and locality hints.
    pub const REQUEST_EXECUTORS: &str = "requestExecutors";
    /// Driver → AM: release executors.
    pub const KILL_EXECUTORS: &str = "killExecutors";
    /// Driver → AM: why an executor went away.
    pub const GET_EXECUTOR_LOSS_REASON: &str = "getExecutorLossReason";
    /// Driver → AM: renewed delegation tokens.
    pub const UPDATE_DELEGATION_TOKENS: &str = "updateDelegationTokens";
    /// Driver → AM: the driver is stopping.
    pub const SHUTDOWN: &str = "shutdown";
}
