//! The embedded NodeManagers: each has its own IPC port (ContainerManagementProtocol with
//! NMToken auth), its own [`spindle_launcher::LocalRunner`] with its own local and log folders,
//! and reports container starts and exits to the RM through an in-process channel (real YARN
//! uses NM heartbeats; this channel is the one in-process link, and it is not on any
//! AM or client path).
//!
//! * [`node`]: the NodeManager (container table, runner, launching, stopping, cleanup).
//! * [`service`]: the ContainerManagementProtocol impl.
//! * [`container_tokens`]: container-token checks.
//! * [`env_order`]: container environments in dependency order, as Hadoop 3 writes them.
//! * [`web`]: the node's web server (`/ws/v1/node/...`, container logs, its pages).
//!
//! A launch context becomes the runner's spec through the launcher's one converter
//! ([`spindle_launcher::ContainerSpec::from_launch_context`]); the NM adds only its own checks
//! (container token, node, application, state).

pub mod container_tokens;
pub mod env_order;
pub mod node;
pub mod service;
pub mod web;

pub use node::{NodeEvent, NodeManager};
