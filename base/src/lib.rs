//! Small, dependency-free pieces that several Spindle crates share, so that each rule has one
//! copy: YARN's container exit statuses ([`exit`]), a map that remembers only its most recent
//! entries ([`recent`]), the environment contracts of executors ([`executor_env`]) and drivers
//! ([`driver_env`]), the environment YARN gives every container ([`yarn_env`]), a process's
//! resident memory ([`memory`]), and ids that are only text ([`text_id!`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod driver_env;
pub mod executor_env;
pub mod exit;
pub mod memory;
pub mod recent;
pub mod text_id;
pub mod yarn_env;
