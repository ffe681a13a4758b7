//! # spindle-scheduler
//!
//! The driver and executor backends of Spindle (Spark's `TaskSchedulerImpl`,
//! `CoarseGrainedSchedulerBackend.DriverEndpoint` and `CoarseGrainedExecutorBackend`, rebuilt
//! as a Rust library), and the driver ↔ AM messages.
//!
//! * [`proto`]: the wire messages of `spindle.scheduler.DriverProtocol` and
//!   `spindle.scheduler.AmProtocol` (see `docs/scheduler-protocol.md`).
//! * [`limits`]: every bound those messages have, and the checks receivers run.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod core;
pub mod driver;
pub mod executor;
pub mod limits;
pub mod proto;
pub mod wire;
