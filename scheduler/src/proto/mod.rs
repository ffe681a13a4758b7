//! The scheduler's wire messages, declared one line per field with
//! [`spindle_protocol::proto_messages!`] as the protocol crate's are (field numbers are the
//! contract; `docs/scheduler-protocol.md` describes each message, who sends it and its bounds).
//! Singular fields are `required`: always written, and read as their default when missing, so
//! peers that leave default values out are read the same. The method names live in one place,
//! the RPC tables of [`crate::wire`].
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
