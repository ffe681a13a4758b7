//! # spindle-launcher
//!
//! Starting containers.
//!
//! * The AM side, always built: [`context`] builds executors' `ContainerLaunchContextProto`s, and
//!   [`nm_client`] starts, stops and queries containers on NodeManagers (one client per node,
//!   NMTokens, bounded concurrency, launch timeout).
//! * [`spec`], always built: the runner's input ([`ContainerSpec`]), its checks, and the one
//!   conversion from a received launch context into it.
//! * The node side, with the `runner` feature (on by default): [`runner`] runs a container spec
//!   on this machine the way a YARN NodeManager does (work folder, localization, tokens file,
//!   environment, launch script, process groups, kill sequence, exit statuses, physical-memory
//!   enforcement). The embedded NodeManager is built on it. It is what links `nix`, `zip`, `tar`
//!   and `flate2`; crates that only build launch contexts and call NodeManagers leave it out
//!   (`default-features = false`).

pub mod context;
pub mod nm_client;
#[cfg(feature = "runner")]
pub mod runner;
pub mod spec;

#[cfg(feature = "runner")]
pub use runner::{ContainerState, LocalRunner, RunnerConfig, RunnerExit, StopOutcome, StopReason};
pub use spec::{ContainerSpec, LocalResourceSpec, ResourceKind, SpecError, Visibility};
