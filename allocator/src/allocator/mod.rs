//! The allocator state machine.
//!
//! One heartbeat is `next_request(now)` (reconcile requests with targets, build what to send)
//! followed by `on_response(response, now)` (take granted containers, account for completed
//! ones); in between and afterwards the shell drains [`Action`]s with `poll_action` and
//! sleeps until `next_heartbeat(now)`. Driver messages arrive through `on_targets`,
//! `kill_executor` and `request_loss_reason`; launch outcomes through `on_launch_succeeded` /
//! `on_launch_failed`. Nothing here blocks, sleeps or performs I/O.
//!
//! The [`Allocator`] is defined here; its methods live beside it by the part of a heartbeat
//! they serve: `driver` (the driver's messages), `launches` (launching, launch outcomes,
//! adoption), `reconcile` (building the request), `response` (applying the response) and
//! `inspect` (read-only views). Its state is grouped in `profiles` (everything per profile),
//! `containers` (held and released containers) and `loss_reasons`.

mod containers;
mod driver;
mod errors;
mod inspect;
mod launches;
mod loss_reasons;
mod messages;
mod profiles;
mod reconcile;
mod response;

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use spindle_base::recent::RecentSet;

pub use errors::{AdoptError, LaunchError, TargetError, UnknownExecutor};
pub use messages::{
    Action, AllocateRequest, AppFailure, LossReasonQuery, Notice, RecoveredContainer, ResourceAsk,
    TargetUpdate,
};

use crate::config::{AllocatorConfig, ConfigError};
use crate::exclusion::ExclusionTracker;
use crate::failures::FailureTracker;
use crate::heartbeat::HeartbeatSchedule;
use crate::hosts::HostTable;
use crate::profile::ProfileSpec;
use crate::racks::{RackCache, RackResolver, StaticRackResolver};
use crate::types::{ContainerId, HostName, Millis, ProfileId, Resource};
use containers::ContainerTable;
use loss_reasons::LossReasons;
use profiles::Profile;

/// The allocator. Cheap to clone (for simulations and benchmarks).
#[derive(Clone, Debug)]
pub struct Allocator {
    config: AllocatorConfig,
    profiles: BTreeMap<ProfileId, Profile>,
    containers: ContainerTable,
    exclusion: ExclusionTracker,
    failures: FailureTracker,
    heartbeat: HeartbeatSchedule,
    racks: RackCache,
    hosts: HostTable,
    actions: VecDeque<Action>,
    last_executor_id: u64,
    cluster_nodes: Option<i32>,
    headroom: Option<Resource>,
    shutdown: bool,
    app_failed: Option<AppFailure>,
    loss_reasons: LossReasons,
    /// Hosts already announced as decommissioning (each is announced once).
    decommissioned: RecentSet<HostName>,
    /// Starting containers by launch time, oldest first (stale entries are skipped).
    launch_deadlines: VecDeque<(Millis, ContainerId)>,
    unexpected_releases: u64,
}

impl Allocator {
    /// An allocator with racks from a static table (unknown hosts are on `/default-rack`).
    pub fn new(config: AllocatorConfig) -> Result<Self, ConfigError> {
        Self::with_rack_resolver(config, Arc::new(StaticRackResolver::default()))
    }

    /// An allocator with a rack resolver of the shell's choice.
    pub fn with_rack_resolver(
        config: AllocatorConfig,
        resolver: Arc<dyn RackResolver>,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        let profiles = config
            .profiles
            .iter()
            .map(|p| (p.id, Profile::new(&p.sizing, p.initial_target)))
            .collect();
        let rate_limited = config.failures.max_failures_per_minute.is_some();
        Ok(Self {
            failures: FailureTracker::new(config.failures.validity_ms, rate_limited),
            exclusion: ExclusionTracker::new(config.exclusion.static_excluded.clone()),
            heartbeat: HeartbeatSchedule::new(&config.heartbeat),
            racks: RackCache::new(resolver),
            hosts: HostTable::default(),
            last_executor_id: config.last_executor_id,
            profiles,
            containers: ContainerTable::default(),
            actions: VecDeque::new(),
            cluster_nodes: None,
            headroom: None,
            shutdown: false,
            app_failed: None,
            loss_reasons: LossReasons::new(config.max_stored_loss_reasons),
            decommissioned: RecentSet::new(config.decommission_memory),
            launch_deadlines: VecDeque::new(),
            unexpected_releases: 0,
            config,
        })
    }

    /// Adds a resource profile at run time (Spark creates one when the driver first names
    /// it). Its target starts at `spec.initial_target`.
    pub fn add_profile(&mut self, spec: ProfileSpec) -> Result<(), ConfigError> {
        if self.profiles.contains_key(&spec.id) {
            return Err(ConfigError::DuplicateProfile(spec.id));
        }
        let mut check = self.config.clone();
        check.profiles.push(spec.clone());
        check.validate()?;
        self.profiles
            .insert(spec.id, Profile::new(&spec.sizing, spec.initial_target));
        self.config = check;
        Ok(())
    }

    /// The configuration in use.
    pub fn config(&self) -> &AllocatorConfig {
        &self.config
    }

    /// The next action for the shell, if any.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// The clock value at which the next allocate is due, never earlier than `now` (before
    /// the first allocate: `now`). Fast while requests or loss-reason queries are pending,
    /// steady otherwise; a changed target brings it forward to at most the initial
    /// allocation interval after the last allocate.
    pub fn next_heartbeat(&self, now: Millis) -> Millis {
        self.heartbeat.next_at().map_or(now, |due| due.max(now))
    }

    /// How long the most recent `on_response` said to wait (`None` before the first).
    pub fn last_heartbeat_interval(&self) -> Option<Millis> {
        self.heartbeat.last_interval()
    }

    fn notice(&mut self, notice: Notice) {
        self.actions.push_back(Action::Notice(notice));
    }

    /// The profile whose requests carry this priority.
    fn profile_of_priority(&self, priority: i32) -> Option<(ProfileId, &Profile)> {
        let p = u32::try_from(priority).ok()?;
        self.profiles
            .get_key_value(&p)
            .map(|(&id, profile)| (id, profile))
    }
}
