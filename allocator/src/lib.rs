//! A sans-IO YARN container allocator: Spark's `YarnAllocator` as a deterministic state
//! machine.
//!
//! Inputs are the driver's targets ([`Allocator::on_targets`]), heartbeat responses
//! ([`Allocator::on_response`]), launch outcomes and a clock value; outputs are the next
//! request ([`Allocator::next_request`]: asks as YARN's ask table, releases, exclusion
//! deltas) and [`Action`]s (launch this container as executor N, executor N was lost and why,
//! fail the application). There are no sockets, tasks, threads or sleeps: the
//! ApplicationMaster is the shell that performs the I/O.
//!
//! ```
//! use spindle_allocator::{Action, AllocateResponse, Allocator, AllocatorConfig, Container, Resource};
//!
//! let mut config = AllocatorConfig::default();
//! config.profiles[0].initial_target = 1;
//! let mut alloc = Allocator::new(config).unwrap();
//! let request = alloc.next_request(0);
//! assert_eq!(request.asks.len(), 1); // one container anywhere ("*")
//! let response = AllocateResponse {
//!     allocated: vec![Container { id: "c1".into(), host: "h1".into(), resource: Resource::new(2048, 1), priority: 0 }],
//!     ..Default::default()
//! };
//! alloc.on_response(response, 0);
//! assert!(matches!(alloc.poll_action(), Some(Action::Launch { .. })));
//! ```
//!
//! With the `scenario` feature, the `scenario` module runs the JSON scenario files of
//! `allocator/scenarios/` (format: `docs/allocator-scenarios.md`). The feature is off by
//! default, so the allocator itself depends on no serialization crate.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod allocator;
pub mod completion;
pub mod config;
pub mod exclusion;
pub mod failures;
pub mod fasthash;
pub mod heartbeat;
pub mod hosts;
pub mod matching;
pub mod placement;
pub mod profile;
pub mod racks;
pub mod requests;
#[cfg(feature = "scenario")]
pub mod scenario;
pub mod types;

pub use allocator::{
    Action, AdoptError, AllocateRequest, Allocator, AppFailure, LaunchError, LossReasonQuery,
    Notice, RecoveredContainer, ResourceAsk, TargetError, TargetUpdate, UnknownExecutor,
};
pub use completion::{ExecutorExit, ExitClass, exit_status};
pub use config::{
    AllocatorConfig, AskCap, ConfigError, ExclusionConfig, FailureConfig, HeartbeatConfig,
    LaunchMode,
};
pub use exclusion::ExclusionDelta;
pub use profile::{ExecutorSizing, ProfileSpec};
pub use racks::{RackCache, RackResolver, StaticRackResolver};
pub use types::{
    AllocateResponse, CompletedContainer, Container, ContainerId, ExecutorId, HostName, Millis,
    NodeState, NodeUpdate, ProfileId, RackName, Resource,
};
