//! The Spindle ApplicationMaster.
//!
//! An ApplicationMaster registers with a resource manager, keeps asking it for the containers
//! its allocator wants, launches executors in them, and ends the application with the right
//! final status. This crate is the shell around the sans-IO allocator (`spindle-allocator`) and
//! the container launcher (`spindle-launcher`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod app;
pub mod container_env;
pub mod driver_child;
pub mod driver_link;
pub mod master;
pub mod outcome;
pub mod rm;
pub mod tracking;
pub mod yarn;
