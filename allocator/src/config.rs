//! The allocator's configuration and its validation.
//!
//! Defaults follow Spark's YarnAllocator except where Spark's users got hurt (ANCHORS.md §4):
//! host exclusion after launch failures is on, failures expire after an hour, containers
//! that land on an excluded host are given back instead of launched, and a launch that hangs
//! for ten minutes is abandoned. [`AllocatorConfig::spark_compatible`] gives Spark's exact
//! defaults instead.

use std::collections::BTreeSet;

use thiserror::Error;

use crate::profile::{ExecutorSizing, ProfileSpec};
use crate::types::{HostName, Millis, ProfileId};

/// The largest target the allocator accepts for one profile. Larger values are refused as
/// absurd rather than turned into millions of requests.
pub const MAX_TARGET: u32 = 1_000_000;

/// The exit code of an application that failed because of executor failures (Spark's 11).
pub const EXIT_EXECUTOR_FAILURES: i32 = 11;

/// When a matched container counts as running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaunchMode {
    /// A matched container is running at once (Spark's `spark.yarn.launchContainers=false`
    /// test switch); the shell still receives a [`crate::Action::Launch`] but reports no
    /// outcome.
    Immediate,
    /// A matched container is *starting* until the shell reports
    /// [`crate::Allocator::on_launch_succeeded`] or [`crate::Allocator::on_launch_failed`].
    Tracked,
}

/// How many executor failures the application tolerates.
#[derive(Clone, Debug, PartialEq)]
pub struct FailureConfig {
    /// Failures (inside the window) at which the application fails; `None`: no count limit.
    pub max_executor_failures: Option<u32>,
    /// A failure at time `t` counts while `t >= now − window`; `None`: failures never expire.
    pub validity_ms: Option<Millis>,
    /// Beyond Spark (Flink's start-worker failure rate): the application fails when more than
    /// this many failures happened in the last 60 seconds. `None`: no rate limit.
    pub max_failures_per_minute: Option<u32>,
}

impl Default for FailureConfig {
    fn default() -> Self {
        Self {
            max_executor_failures: Some(default_max_executor_failures(0)),
            validity_ms: Some(3_600_000),
            max_failures_per_minute: None,
        }
    }
}

/// Spark's default failure limit: `max(3, 2 × executors)`, guarded against overflow.
pub fn default_max_executor_failures(effective_executors: u32) -> u32 {
    if effective_executors > u32::MAX / 2 {
        u32::MAX
    } else {
        (2 * effective_executors).max(3)
    }
}

/// Host exclusion: static, the driver's, and the allocator's own after failures.
#[derive(Clone, Debug, PartialEq)]
pub struct ExclusionConfig {
    /// Exclude a host after too many failing containers on it.
    pub launch_exclusion_enabled: bool,
    /// A host is excluded once its failures are strictly greater than this.
    pub max_failed_executors_per_node: u32,
    /// How long the allocator's own exclusion lasts.
    pub timeout_ms: Millis,
    /// Hosts excluded for the whole application (sent in the first request).
    pub static_excluded: BTreeSet<HostName>,
    /// Give back containers granted on a host that is excluded when they arrive instead of
    /// launching executors on them (a race with the RM: SPARK-42766).
    pub release_on_excluded_hosts: bool,
}

impl Default for ExclusionConfig {
    fn default() -> Self {
        Self {
            launch_exclusion_enabled: true,
            max_failed_executors_per_node: 2,
            timeout_ms: 3_600_000,
            static_excluded: BTreeSet::new(),
            release_on_excluded_hosts: true,
        }
    }
}

/// The heartbeat schedule (Spark's allocation-thread intervals).
#[derive(Clone, Debug, PartialEq)]
pub struct HeartbeatConfig {
    /// The steady heartbeat.
    pub interval_ms: Millis,
    /// The first wait while requests are pending; doubles up to the steady heartbeat.
    pub initial_allocation_interval_ms: Millis,
    /// The RM's AM liveness expiry; the steady heartbeat is capped at half of it.
    pub am_expiry_interval_ms: Millis,
}

impl Default for HeartbeatConfig {
    fn default() -> Self {
        Self {
            interval_ms: 3000,
            initial_allocation_interval_ms: 200,
            am_expiry_interval_ms: 900_000,
        }
    }
}

/// Beyond Spark: limits on outstanding asks (SPARK-18769).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AskCap {
    /// At most this many outstanding requests per profile.
    pub max_pending: Option<u32>,
    /// At most as many outstanding requests per profile as fit in the last reported
    /// headroom (never fewer than one, so the application stays in the queue).
    pub by_headroom: bool,
}

/// Everything the allocator needs to know at construction.
#[derive(Clone, Debug, PartialEq)]
pub struct AllocatorConfig {
    /// The resource profiles; the one with id 0 is the default profile and must be present.
    pub profiles: Vec<ProfileSpec>,
    /// Cores one task uses (for the placement arithmetic).
    pub task_cpus: u32,
    /// Failure budget.
    pub failures: FailureConfig,
    /// Host exclusion.
    pub exclusion: ExclusionConfig,
    /// Heartbeat schedule.
    pub heartbeat: HeartbeatConfig,
    /// Tell the driver about hosts reported DECOMMISSIONING.
    pub decommission_enabled: bool,
    /// How many decommissioning hosts are remembered to announce each once.
    pub decommission_memory: usize,
    /// When a matched container counts as running.
    pub launch_mode: LaunchMode,
    /// A launch that has not ended after this long is abandoned and its container released
    /// (SPARK-55974). `None`: wait forever.
    pub launch_timeout_ms: Option<Millis>,
    /// Caps on outstanding asks.
    pub ask_cap: AskCap,
    /// YARN node-label expression, put on the any-location asks only.
    pub node_label: Option<String>,
    /// The executor id counter starts after this value (the driver's last allocated id after
    /// an AM restart, SPARK-12864).
    pub last_executor_id: u64,
    /// How many loss reasons of released executors are kept for a later query.
    pub max_stored_loss_reasons: usize,
}

impl Default for AllocatorConfig {
    fn default() -> Self {
        Self {
            profiles: vec![ProfileSpec::new(0, ExecutorSizing::default())],
            task_cpus: 1,
            failures: FailureConfig::default(),
            exclusion: ExclusionConfig::default(),
            heartbeat: HeartbeatConfig::default(),
            decommission_enabled: false,
            decommission_memory: 10_000,
            launch_mode: LaunchMode::Tracked,
            launch_timeout_ms: Some(600_000),
            ask_cap: AskCap::default(),
            node_label: None,
            last_executor_id: 0,
            max_stored_loss_reasons: 100_000,
        }
    }
}

/// A configuration the allocator cannot run with.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    /// Profile 0 is missing.
    #[error("the default resource profile (id 0) is missing; add a profile with id 0")]
    MissingDefaultProfile,
    /// Two profiles share an id.
    #[error("resource profile id {0} is declared twice; profile ids must be unique")]
    DuplicateProfile(ProfileId),
    /// A profile id does not fit a YARN priority.
    #[error("resource profile id {0} is larger than the largest YARN priority ({max})", max = i32::MAX)]
    ProfileIdTooLarge(ProfileId),
    /// A size is zero or absurd.
    #[error("resource profile {profile}: {what}")]
    BadSizing {
        /// The profile.
        profile: ProfileId,
        /// What is wrong.
        what: String,
    },
    /// The initial target is absurd.
    #[error(
        "resource profile {profile}: initial target {target} exceeds the maximum of {MAX_TARGET}"
    )]
    TargetTooLarge {
        /// The profile.
        profile: ProfileId,
        /// The target given.
        target: u32,
    },
    /// `task_cpus` is zero or larger than some profile's cores.
    #[error(
        "task_cpus = {task_cpus} must be at least 1 and at most the executor cores of every profile (profile {profile} has {cores})"
    )]
    BadTaskCpus {
        /// Cores per task.
        task_cpus: u32,
        /// The profile with too few cores.
        profile: ProfileId,
        /// Its cores.
        cores: u32,
    },
    /// A window, timeout or interval is zero where it must be positive.
    #[error("{0} must be positive")]
    NotPositive(&'static str),
}

const MAX_MEMORY_MB: u64 = 1 << 40;
const MAX_CORES: u32 = 1 << 20;

impl AllocatorConfig {
    /// Spark's defaults exactly: no launch exclusion, failures never expire, containers on
    /// excluded hosts are launched, launches never time out.
    pub fn spark_compatible() -> Self {
        Self {
            failures: FailureConfig {
                validity_ms: None,
                ..FailureConfig::default()
            },
            exclusion: ExclusionConfig {
                launch_exclusion_enabled: false,
                release_on_excluded_hosts: false,
                ..ExclusionConfig::default()
            },
            launch_timeout_ms: None,
            ..Self::default()
        }
    }

    /// Checks every value; the allocator only runs with a configuration that passed.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut seen = BTreeSet::new();
        for p in &self.profiles {
            if !seen.insert(p.id) {
                return Err(ConfigError::DuplicateProfile(p.id));
            }
            if p.id > i32::MAX as u32 {
                return Err(ConfigError::ProfileIdTooLarge(p.id));
            }
            let s = &p.sizing;
            let bad = |what: String| ConfigError::BadSizing {
                profile: p.id,
                what,
            };
            if s.memory_mb == 0 || s.memory_mb > MAX_MEMORY_MB {
                return Err(bad(format!(
                    "executor memory {} MiB is not between 1 and {MAX_MEMORY_MB}",
                    s.memory_mb
                )));
            }
            if s.cores == 0 || s.cores > MAX_CORES {
                return Err(bad(format!(
                    "executor cores {} is not between 1 and {MAX_CORES}",
                    s.cores
                )));
            }
            if !(s.memory_overhead_factor.is_finite()
                && (0.0..=100.0).contains(&s.memory_overhead_factor))
            {
                return Err(bad(format!(
                    "memory overhead factor {} is not between 0 and 100",
                    s.memory_overhead_factor
                )));
            }
            for (name, v) in [
                ("memory overhead", s.memory_overhead_mb.unwrap_or(0)),
                ("minimum memory overhead", s.min_memory_overhead_mb),
                ("off-heap memory", s.off_heap_mb),
                ("python memory", s.pyspark_memory_mb),
            ] {
                if v > MAX_MEMORY_MB {
                    return Err(bad(format!("{name} {v} MiB exceeds {MAX_MEMORY_MB}")));
                }
            }
            if s.resources.keys().any(|k| k.is_empty()) {
                return Err(bad("a custom resource type has an empty name".to_string()));
            }
            if p.initial_target > MAX_TARGET {
                return Err(ConfigError::TargetTooLarge {
                    profile: p.id,
                    target: p.initial_target,
                });
            }
            if self.task_cpus == 0 || self.task_cpus > s.cores {
                return Err(ConfigError::BadTaskCpus {
                    task_cpus: self.task_cpus,
                    profile: p.id,
                    cores: s.cores,
                });
            }
        }
        if !seen.contains(&0) {
            return Err(ConfigError::MissingDefaultProfile);
        }
        if self.failures.validity_ms == Some(0) {
            return Err(ConfigError::NotPositive("failures validity window"));
        }
        if self.exclusion.timeout_ms == 0 {
            return Err(ConfigError::NotPositive("exclusion timeout"));
        }
        if self.launch_timeout_ms == Some(0) {
            return Err(ConfigError::NotPositive("launch timeout"));
        }
        if self.heartbeat.interval_ms == 0 {
            return Err(ConfigError::NotPositive("heartbeat interval"));
        }
        if (self.heartbeat.am_expiry_interval_ms / 2).min(self.heartbeat.interval_ms) == 0 {
            return Err(ConfigError::NotPositive(
                "half of the AM expiry interval (the heartbeat cap)",
            ));
        }
        if self.heartbeat.initial_allocation_interval_ms == 0 {
            return Err(ConfigError::NotPositive("initial allocation interval"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate() {
        AllocatorConfig::default().validate().unwrap();
        AllocatorConfig::spark_compatible().validate().unwrap();
    }

    #[test]
    fn spark_default_failure_limit() {
        assert_eq!(default_max_executor_failures(0), 3);
        assert_eq!(default_max_executor_failures(1), 3);
        assert_eq!(default_max_executor_failures(10), 20);
        assert_eq!(default_max_executor_failures(u32::MAX / 2 + 1), u32::MAX);
    }

    #[test]
    fn bad_configs_are_named() {
        let mut c = AllocatorConfig {
            profiles: vec![],
            ..Default::default()
        };
        assert_eq!(c.validate(), Err(ConfigError::MissingDefaultProfile));
        c.profiles = vec![ProfileSpec::new(0, ExecutorSizing::default()); 2];
        assert_eq!(c.validate(), Err(ConfigError::DuplicateProfile(0)));
        c.profiles = vec![ProfileSpec::new(
            0,
            ExecutorSizing {
                cores: 0,
                ..Default::default()
            },
        )];
        assert!(matches!(
            c.validate(),
            Err(ConfigError::BadSizing { profile: 0, .. })
        ));
        c.profiles = vec![ProfileSpec::new(0, ExecutorSizing::default())];
        c.task_cpus = 2;
        assert!(matches!(c.validate(), Err(ConfigError::BadTaskCpus { .. })));
        c.task_cpus = 1;
        c.profiles[0].initial_target = MAX_TARGET + 1;
        assert!(matches!(
            c.validate(),
            Err(ConfigError::TargetTooLarge { .. })
        ));
    }
}
