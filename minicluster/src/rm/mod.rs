//! The embedded ResourceManager.
//!
//! * [`state`]: the RM itself, a single-owner state machine (apps, attempts, containers, nodes,
//!   scheduling, tokens) driven by method calls, emitting [`state::Effect`]s; one file per kind
//!   of input (client calls, AM calls, nodes, containers, attempts, scheduling).
//! * [`apps`]: applications, attempts and their reports.
//! * [`ask_table`] and [`scheduler`]: YARN's absolute-total asks and node → rack → any
//!   placement.
//! * [`queues`]: the queue hierarchy (`root` and its leaf `default`).
//! * [`tokens`]: the cluster's master keys and the tokens issued with them.
//! * [`service`]: thin [`spindle_protocol::yarn::server`] trait impls (ApplicationClientProtocol
//!   and ApplicationMasterProtocol) over the shared state.

pub mod apps;
pub mod ask_table;
pub mod queues;
pub mod scheduler;
pub mod service;
pub mod state;
pub mod tokens;
