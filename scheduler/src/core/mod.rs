//! The sans-IO cores: every input takes the time (`now`, in [`Millis`]) and every output is
//! a value the shell acts on. No sockets, no tokio, no sleeping.
//!
//! * [`types`]: ids, task definitions, updates, loss reasons.
//! * [`locality`]: locality levels, the live-executor view, delay scheduling.
//! * [`scheduler`]: the [`TaskScheduler`] (jobs, stages, task sets, offers, retries).
//! * [`health`]: exclusion of failing executors and hosts.
//! * [`pool`]: FIFO and FAIR ordering.
//! * [`allocation`]: the executor total (static or dynamic).
//! * [`endpoint`]: the [`DriverEndpoint`] (executor registry, outboxes, liveness, AM totals).

pub mod allocation;
pub mod endpoint;
pub mod health;
pub mod locality;
pub mod pool;
pub mod scheduler;
mod taskset;
pub mod types;

pub use allocation::AllocationConfig;
pub use endpoint::{
    Action, Commands, DriverEndpoint, EndpointConfig, Refused, Registration, StopCommand,
    TargetRequest, UnknownExecutor,
};
pub use health::HealthConfig;
pub use locality::{Locality, LocalityWaits};
pub use pool::{PoolConfig, SchedulingMode};
pub use scheduler::{
    JobSpec, Launch, Offer, SchedEvent, SchedulerConfig, StageSpec, StageTasks, SubmitError,
    TaskScheduler,
};
pub use types::*;
