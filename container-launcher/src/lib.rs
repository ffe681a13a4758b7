//! # spindle-launcher
//!
//! Starting containers. The node side lives in [`runner`]: a local process runner that runs a
//! container launch context on this machine the way a YARN NodeManager does (work folder,
//! localization, tokens file, environment, launch script, process groups, kill sequence, exit
//! statuses, physical-memory enforcement). The embedded NodeManager is built on it.
//! The AM side lives in [`context`]: building executors' `ContainerLaunchContextProto`s, and
//! converting a received launch context into a runner spec; and in [`nm_client`]: starting, stopping
//! and querying containers on NodeManagers with cached NMTokens and bounded concurrency.

pub mod context;
pub mod nm_client;
pub mod runner;

pub use runner::{
    ContainerExit, ContainerSpec, ContainerState, LocalResourceSpec, LocalRunner, ResourceKind,
    RunnerConfig, StopOutcome, StopReason, Visibility,
};
