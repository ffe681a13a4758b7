//! Input the allocator refuses, with what the caller should do about it.

use thiserror::Error;

use crate::config::MAX_TARGET;
use crate::types::{ContainerId, ExecutorId, ProfileId};

/// The driver named a resource profile or a target the allocator cannot take.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TargetError {
    /// No such profile.
    #[error("resource profile {0} is not known; add it with Allocator::add_profile first")]
    UnknownProfile(ProfileId),
    /// The target is absurd.
    #[error("target {target} for resource profile {profile} exceeds the maximum of {MAX_TARGET}")]
    TooLarge {
        /// The profile.
        profile: ProfileId,
        /// The target given.
        target: u32,
    },
}

/// A launch outcome the allocator cannot take.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LaunchError {
    /// The container is not starting (never matched, already ended, or timed out).
    #[error("container {0} is not starting; its launch outcome is ignored")]
    NotStarting(ContainerId),
}

/// A loss-reason query for an executor the allocator does not know.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("no loss reason for executor {0}: it does not exist or its reason was already given")]
pub struct UnknownExecutor(pub ExecutorId);

/// Why a container from a previous attempt could not be adopted.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum AdoptError {
    /// The id is already known.
    #[error("container {0} is already known")]
    Duplicate(ContainerId),
    /// No profile has its priority; it was released.
    #[error(
        "container {container} has priority {priority}, which no resource profile uses; released"
    )]
    UnknownPriority {
        /// The container.
        container: ContainerId,
        /// Its priority.
        priority: i32,
    },
}
