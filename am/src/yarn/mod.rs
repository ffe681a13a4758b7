//! The ApplicationMaster on YARN: the protobuf edge, the ApplicationMasterProtocol transports
//! (network, HA failover, in-process) and the [`crate::rm::ResourceManager`] implementation.

pub mod calls;
pub mod edge;
pub mod failover;
pub mod rm;
pub mod starter;

pub use rm::YarnResourceManager;
