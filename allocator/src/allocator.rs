//! The allocator state machine.
//!
//! One heartbeat is `next_request(now)` (reconcile requests with targets, build what to send)
//! followed by `on_response(response, now)` (take granted containers, account for completed
//! ones); in between and afterwards the shell drains [`Action`]s with `poll_action` and
//! sleeps until `next_heartbeat(now)`. Driver messages arrive through `on_targets`,
//! `kill_executor` and `request_loss_reason`; launch outcomes through `on_launch_succeeded` /
//! `on_launch_failed`. Nothing here blocks, sleeps or performs I/O.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::fasthash::{FastMap, FastSet};
use std::fmt;
use std::sync::Arc;

use thiserror::Error;

use crate::completion::{ExecutorExit, ExitClass, describe_exit};
use crate::config::{AllocatorConfig, ConfigError, EXIT_EXECUTOR_FAILURES, LaunchMode, MAX_TARGET};
use crate::exclusion::{ExclusionDelta, ExclusionTracker};
use crate::failures::FailureTracker;
use crate::heartbeat::HeartbeatSchedule;
use crate::hosts::{HostId, HostTable};
use crate::matching::{Candidate, match_containers};
use crate::placement::{PlacementInput, place};
use crate::racks::{RackCache, RackResolver, StaticRackResolver};
use crate::requests::{AskTable, RequestBook};
use crate::types::{
    ANY_LOCATION, AllocateResponse, CompletedContainer, Container, ContainerId, ExecutorId,
    HostName, Millis, NodeState, ProfileId, Resource,
};

/// One entry of YARN's ask table: the absolute number of containers wanted for a priority at
/// a location (host, rack or `*`). A count of 0 clears an entry the RM had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceAsk {
    /// The profile; equals `priority`.
    pub profile: ProfileId,
    /// YARN priority (the profile id).
    pub priority: i32,
    /// Host, rack, or `*`.
    pub resource_name: Arc<str>,
    /// The container size.
    pub capability: Resource,
    /// Containers wanted at this location.
    pub num_containers: u32,
    /// Always true: locality is a preference, never a requirement.
    pub relax_locality: bool,
    /// Node-label expression (only on `*` entries).
    pub node_label: Option<String>,
    /// YARN's allocation request id (the profile id).
    pub allocation_request_id: i64,
}

/// What to send in one allocate call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AllocateRequest {
    /// Ask-table entries that changed since the previous request, sorted by profile and
    /// location.
    pub asks: Vec<ResourceAsk>,
    /// Containers to give back.
    pub releases: Vec<ContainerId>,
    /// Exclusion changes (YARN's blacklist additions / removals).
    pub exclusions: ExclusionDelta,
    /// The progress to report (always 0.1, as Spark does).
    pub progress: f32,
}

/// Something the shell must do or know.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Start an executor in this container. In [`LaunchMode::Tracked`], report the outcome
    /// with [`Allocator::on_launch_succeeded`] / [`Allocator::on_launch_failed`].
    Launch {
        /// The executor id to give it.
        executor_id: ExecutorId,
        /// Its profile.
        profile: ProfileId,
        /// The container.
        container: Container,
    },
    /// Tell the driver the executor is gone (Spark's `RemoveExecutor`). Not sent for
    /// executors the allocator released itself.
    ExecutorLost {
        /// The executor.
        executor_id: ExecutorId,
        /// Its container.
        container_id: ContainerId,
        /// Why.
        exit: ExecutorExit,
    },
    /// Answer every pending loss-reason query for this executor.
    LossReason {
        /// The executor.
        executor_id: ExecutorId,
        /// Why it was lost.
        exit: ExecutorExit,
    },
    /// Tell the driver that `host` is being decommissioned (once per host).
    DecommissionHost {
        /// The host.
        host: HostName,
    },
    /// A launch took too long; the container was released. Abort the launch if it is still
    /// running; its outcome will be refused.
    LaunchTimedOut {
        /// The executor id the launch had.
        executor_id: ExecutorId,
        /// The container.
        container_id: ContainerId,
    },
    /// The application cannot go on: finish it as FAILED with this exit code.
    FailApplication {
        /// Exit code (11 for executor failures).
        exit_code: i32,
        /// Diagnostics.
        message: String,
    },
    /// Something odd the shell should log.
    Notice(Notice),
}

/// Odd input the allocator tolerated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A container id seen before was granted again; ignored.
    DuplicateContainer(ContainerId),
    /// A container came with a priority no profile has; released.
    UnknownPriority {
        /// The container.
        container: ContainerId,
        /// Its priority.
        priority: i32,
    },
    /// A container smaller than its profile's ask; released.
    UndersizedContainer {
        /// The container.
        container: ContainerId,
        /// Memory it has.
        memory_mb: u64,
        /// Memory the profile asks for.
        wanted_mb: u64,
    },
    /// A container on an excluded host; released.
    ExcludedHost {
        /// The container.
        container: ContainerId,
        /// Its host.
        host: HostName,
    },
    /// A completion for a container the allocator never had; ignored.
    UnknownCompletion(ContainerId),
    /// The driver asked to kill an executor that is not running; ignored.
    KillUnknownExecutor(ExecutorId),
    /// Every host resolved to the default rack: rack locality means nothing (SPARK-19894).
    DefaultRackCollapse,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateContainer(c) => write!(
                f,
                "container {c} was granted twice; the second grant is ignored"
            ),
            Self::UnknownPriority {
                container,
                priority,
            } => {
                write!(
                    f,
                    "container {container} has priority {priority}, which no resource profile uses; released"
                )
            }
            Self::UndersizedContainer {
                container,
                memory_mb,
                wanted_mb,
            } => write!(
                f,
                "container {container} has {memory_mb} MiB but its profile asks for {wanted_mb} MiB; released"
            ),
            Self::ExcludedHost { container, host } => {
                write!(
                    f,
                    "container {container} is on excluded host {host}; released"
                )
            }
            Self::UnknownCompletion(c) => write!(f, "completion of unknown container {c} ignored"),
            Self::KillUnknownExecutor(e) => write!(f, "attempted to kill unknown executor {e}"),
            Self::DefaultRackCollapse => write!(
                f,
                "every host resolved to the default rack; rack locality is meaningless (check the topology script)"
            ),
        }
    }
}

/// The answer to a loss-reason query.
#[derive(Clone, Debug, PartialEq)]
pub enum LossReasonQuery {
    /// Known now.
    Ready(ExecutorExit),
    /// The executor is still known; the answer comes as [`Action::LossReason`].
    Pending,
}

/// Entries of `current` that differ from `last`, and entries of `last` gone from `current`
/// (as 0); both lists are sorted by id.
fn diff(last: &[(u32, u32)], current: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < last.len() || j < current.len() {
        match (last.get(i), current.get(j)) {
            (Some(&(a, x)), Some(&(b, y))) if a == b => {
                if x != y {
                    out.push((b, y));
                }
                i += 1;
                j += 1;
            }
            (Some(&(a, _)), Some(&(b, _))) if a < b => {
                out.push((a, 0));
                i += 1;
            }
            (Some(&(a, _)), None) => {
                out.push((a, 0));
                i += 1;
            }
            (_, Some(&(b, y))) => {
                out.push((b, y));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

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

/// The driver's request for executors (Spark's `RequestExecutors`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TargetUpdate {
    /// New totals for the profiles named; the others keep theirs.
    pub totals: BTreeMap<ProfileId, u32>,
    /// Locality-aware pending tasks per profile (replaces the profile's value).
    pub locality_aware_tasks: BTreeMap<ProfileId, u32>,
    /// Pending tasks per preferred host, per profile (replaces the profile's map).
    pub host_task_counts: BTreeMap<ProfileId, BTreeMap<HostName, u32>>,
    /// The driver's excluded hosts (replaces the set); `None` keeps it.
    pub scheduler_excluded: Option<BTreeSet<HostName>>,
}

/// A container recovered from a previous application attempt (work-preserving AM restart).
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveredContainer {
    /// The container.
    pub container: Container,
    /// The executor id it ran under, if the shell knows it.
    pub executor_id: Option<ExecutorId>,
}

/// Why the application must fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppFailure {
    /// Exit code.
    pub exit_code: i32,
    /// Diagnostics.
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ContainerState {
    /// Launch in progress; `completed` once YARN reported the container finished.
    Starting { since: Millis, completed: bool },
    /// The executor runs.
    Running,
    /// Killed on the driver's request; waiting for the completion.
    Killed,
}

#[derive(Clone, Debug)]
struct ContainerRecord {
    container: Container,
    profile: ProfileId,
    executor: ExecutorId,
    state: ContainerState,
}

#[derive(Clone, Debug)]
struct ProfileState {
    ask: Resource,
    executor_cores: u32,
    target: u32,
    locality_tasks: u32,
    host_tasks: BTreeMap<HostName, u32>,
    /// The ids of `host_tasks`' hosts, in its order.
    host_task_ids: Vec<HostId>,
    /// host id → preferred by the driver.
    preferred: Vec<bool>,
    running: u32,
    starting: u32,
    /// Launched containers per host (including killed ones until their completion).
    host_containers: FastMap<HostName, u32>,
}

/// The allocator. Cheap to clone (for simulations and benchmarks).
#[derive(Clone, Debug)]
pub struct Allocator {
    config: AllocatorConfig,
    profiles: BTreeMap<ProfileId, ProfileState>,
    books: BTreeMap<ProfileId, RequestBook>,
    containers: FastMap<ContainerId, ContainerRecord>,
    executors: FastMap<ExecutorId, ContainerId>,
    /// Released containers whose completion has not arrived.
    released: FastSet<ContainerId>,
    releases_to_send: Vec<ContainerId>,
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
    loss_waiters: BTreeSet<ExecutorId>,
    stored_reasons: FastMap<ExecutorId, ExecutorExit>,
    stored_order: VecDeque<ExecutorId>,
    decommissioned: FastSet<HostName>,
    decommission_order: VecDeque<HostName>,
    last_asks: BTreeMap<ProfileId, AskTable>,
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
        let mut profiles = BTreeMap::new();
        let mut books = BTreeMap::new();
        for p in &config.profiles {
            profiles.insert(p.id, Self::profile_state(&p.sizing, p.initial_target));
            books.insert(p.id, RequestBook::default());
        }
        let rate_limited = config.failures.max_failures_per_minute.is_some();
        Ok(Self {
            failures: FailureTracker::new(config.failures.validity_ms, rate_limited),
            exclusion: ExclusionTracker::new(config.exclusion.static_excluded.clone()),
            heartbeat: HeartbeatSchedule::new(&config.heartbeat),
            racks: RackCache::new(resolver),
            hosts: HostTable::default(),
            last_executor_id: config.last_executor_id,
            profiles,
            books,
            containers: FastMap::default(),
            executors: FastMap::default(),
            released: FastSet::default(),
            releases_to_send: Vec::new(),
            actions: VecDeque::new(),
            cluster_nodes: None,
            headroom: None,
            shutdown: false,
            app_failed: None,
            loss_waiters: BTreeSet::new(),
            stored_reasons: FastMap::default(),
            stored_order: VecDeque::new(),
            decommissioned: FastSet::default(),
            decommission_order: VecDeque::new(),
            last_asks: BTreeMap::new(),
            launch_deadlines: VecDeque::new(),
            unexpected_releases: 0,
            config,
        })
    }

    fn profile_state(sizing: &crate::profile::ExecutorSizing, target: u32) -> ProfileState {
        ProfileState {
            ask: sizing.container_resource(),
            executor_cores: sizing.cores,
            target,
            locality_tasks: 0,
            host_tasks: BTreeMap::new(),
            host_task_ids: Vec::new(),
            preferred: Vec::new(),
            running: 0,
            starting: 0,
            host_containers: FastMap::default(),
        }
    }

    /// Adds a resource profile at run time (Spark creates one when the driver first names
    /// it). Its target starts at `spec.initial_target`.
    pub fn add_profile(&mut self, spec: crate::profile::ProfileSpec) -> Result<(), ConfigError> {
        if self.profiles.contains_key(&spec.id) {
            return Err(ConfigError::DuplicateProfile(spec.id));
        }
        let mut check = self.config.clone();
        check.profiles.push(spec.clone());
        check.validate()?;
        self.profiles.insert(
            spec.id,
            Self::profile_state(&spec.sizing, spec.initial_target),
        );
        self.books.insert(spec.id, RequestBook::default());
        self.config = check;
        Ok(())
    }

    /// The configuration in use.
    pub fn config(&self) -> &AllocatorConfig {
        &self.config
    }

    // ----- driver input -------------------------------------------------------------------

    /// Applies the driver's request for executors. Returns whether a total changed (the
    /// shell then heartbeats early: see [`Allocator::next_heartbeat`]). Nothing is applied if
    /// any part is invalid.
    pub fn on_targets(&mut self, update: TargetUpdate) -> Result<bool, TargetError> {
        for (&p, &t) in &update.totals {
            if !self.profiles.contains_key(&p) {
                return Err(TargetError::UnknownProfile(p));
            }
            if t > MAX_TARGET {
                return Err(TargetError::TooLarge {
                    profile: p,
                    target: t,
                });
            }
        }
        for p in update
            .locality_aware_tasks
            .keys()
            .chain(update.host_task_counts.keys())
        {
            if !self.profiles.contains_key(p) {
                return Err(TargetError::UnknownProfile(*p));
            }
        }
        if let Some(hosts) = update.scheduler_excluded {
            self.exclusion.set_scheduler_excluded(hosts);
        }
        for (p, n) in update.locality_aware_tasks {
            if let Some(ps) = self.profiles.get_mut(&p) {
                ps.locality_tasks = n;
            }
        }
        for (p, m) in update.host_task_counts {
            let ids: Vec<HostId> = m.keys().map(|h| self.hosts.intern(h)).collect();
            if let Some(ps) = self.profiles.get_mut(&p) {
                ps.preferred = vec![false; self.hosts.len()];
                for &id in &ids {
                    ps.preferred[id as usize] = true;
                }
                ps.host_tasks = m;
                ps.host_task_ids = ids;
            }
        }
        let mut changed = false;
        for (p, t) in update.totals {
            if let Some(ps) = self.profiles.get_mut(&p)
                && ps.target != t
            {
                ps.target = t;
                changed = true;
            }
        }
        if changed {
            self.heartbeat.reset();
        }
        Ok(changed)
    }

    /// The driver asks to kill an executor: its container is released (sent with the next
    /// request) and it stops counting as running at once. Returns false, changing nothing,
    /// for an executor that is not running (unknown, starting, or already killed).
    pub fn kill_executor(&mut self, executor: ExecutorId) -> bool {
        let Some(cid) = self.executors.get(&executor).cloned() else {
            self.actions
                .push_back(Action::Notice(Notice::KillUnknownExecutor(executor)));
            return false;
        };
        let Some(rec) = self.containers.get_mut(&cid) else {
            return false;
        };
        if rec.state != ContainerState::Running {
            self.actions
                .push_back(Action::Notice(Notice::KillUnknownExecutor(executor)));
            return false;
        }
        rec.state = ContainerState::Killed;
        let profile = rec.profile;
        if let Some(ps) = self.profiles.get_mut(&profile) {
            ps.running = ps.running.saturating_sub(1);
        }
        self.release(cid);
        true
    }

    /// The driver asks why an executor was lost. Known and still alive (or killed but not yet
    /// completed): the answer comes later as [`Action::LossReason`] and the heartbeat stays
    /// fast meanwhile. Already gone: the stored reason, once.
    pub fn request_loss_reason(
        &mut self,
        executor: ExecutorId,
    ) -> Result<LossReasonQuery, UnknownExecutor> {
        if let Some(cid) = self.executors.get(&executor)
            && let Some(rec) = self.containers.get(cid)
            && matches!(rec.state, ContainerState::Running | ContainerState::Killed)
        {
            self.loss_waiters.insert(executor);
            return Ok(LossReasonQuery::Pending);
        }
        match self.stored_reasons.remove(&executor) {
            Some(exit) => {
                self.stored_order.retain(|e| *e != executor);
                Ok(LossReasonQuery::Ready(exit))
            }
            None => Err(UnknownExecutor(executor)),
        }
    }

    /// The driver announced shutdown: containers ending from now on are not the
    /// application's fault and count as no failure.
    pub fn on_driver_shutdown(&mut self) {
        self.shutdown = true;
    }

    // ----- launch outcomes -----------------------------------------------------------------

    /// The launch of a starting container succeeded. If YARN already reported the container
    /// completed, it does not become running (SPARK-43510).
    pub fn on_launch_succeeded(&mut self, container: &ContainerId) -> Result<(), LaunchError> {
        let (profile, completed) = self.take_starting(container)?;
        if completed {
            self.forget(container);
            return Ok(());
        }
        let Some(rec) = self.containers.get_mut(container) else {
            return Ok(());
        };
        rec.state = ContainerState::Running;
        let host = rec.container.host.clone();
        if let Some(ps) = self.profiles.get_mut(&profile) {
            ps.running += 1;
            *ps.host_containers.entry(host).or_insert(0) += 1;
        }
        Ok(())
    }

    /// The launch of a starting container failed: the container is released at once (unless
    /// it already completed) and its completion will count nothing.
    pub fn on_launch_failed(&mut self, container: &ContainerId) -> Result<(), LaunchError> {
        let (_, completed) = self.take_starting(container)?;
        self.forget(container);
        if !completed {
            self.release(container.clone());
        }
        Ok(())
    }

    fn take_starting(&mut self, container: &ContainerId) -> Result<(ProfileId, bool), LaunchError> {
        let Some(rec) = self.containers.get(container) else {
            return Err(LaunchError::NotStarting(container.clone()));
        };
        let ContainerState::Starting { completed, .. } = rec.state else {
            return Err(LaunchError::NotStarting(container.clone()));
        };
        let profile = rec.profile;
        if let Some(ps) = self.profiles.get_mut(&profile) {
            ps.starting = ps.starting.saturating_sub(1);
        }
        Ok((profile, completed))
    }

    fn forget(&mut self, container: &ContainerId) {
        if let Some(rec) = self.containers.remove(container) {
            self.executors.remove(&rec.executor);
        }
    }

    fn release(&mut self, container: ContainerId) {
        if self.released.insert(container.clone()) {
            self.releases_to_send.push(container);
        }
    }

    /// Adopts containers that survived from a previous attempt as running executors
    /// (work-preserving AM restart). Executor ids the shell passes are kept when free; the
    /// counter moves past them so new ids never collide.
    pub fn adopt_containers(
        &mut self,
        recovered: Vec<RecoveredContainer>,
    ) -> Vec<(ContainerId, Result<ExecutorId, AdoptError>)> {
        let mut out = Vec::with_capacity(recovered.len());
        for r in recovered {
            let c = r.container;
            let id = c.id.clone();
            if self.containers.contains_key(&id) || self.released.contains(&id) {
                out.push((id.clone(), Err(AdoptError::Duplicate(id))));
                continue;
            }
            let Some(profile) = self.profile_of_priority(c.priority) else {
                self.release(id.clone());
                out.push((
                    id.clone(),
                    Err(AdoptError::UnknownPriority {
                        container: id,
                        priority: c.priority,
                    }),
                ));
                continue;
            };
            let executor = match r.executor_id {
                Some(e) if !self.executors.contains_key(&e) => {
                    self.last_executor_id = self.last_executor_id.max(e.0);
                    e
                }
                _ => self.next_executor_id(),
            };
            if let Some(ps) = self.profiles.get_mut(&profile) {
                ps.running += 1;
                *ps.host_containers.entry(c.host.clone()).or_insert(0) += 1;
            }
            self.executors.insert(executor, id.clone());
            self.containers.insert(
                id.clone(),
                ContainerRecord {
                    container: c,
                    profile,
                    executor,
                    state: ContainerState::Running,
                },
            );
            out.push((id, Ok(executor)));
        }
        out
    }

    fn next_executor_id(&mut self) -> ExecutorId {
        self.last_executor_id += 1;
        ExecutorId(self.last_executor_id)
    }

    fn profile_of_priority(&self, priority: i32) -> Option<ProfileId> {
        let p = u32::try_from(priority).ok()?;
        self.profiles.contains_key(&p).then_some(p)
    }

    // ----- the heartbeat -------------------------------------------------------------------

    /// Forgets what the RM was told (after it lost our state: RM restart / resync), so the
    /// next request carries the whole ask table and exclusion set again.
    pub fn resync(&mut self) {
        self.last_asks.clear();
        self.exclusion.forget_sent();
    }

    /// Steps 1–3 of a heartbeat: expire exclusions and stuck launches, reconcile each
    /// profile's requests with its target (ascending profile id), and build the request.
    pub fn next_request(&mut self, now: Millis) -> AllocateRequest {
        self.exclusion.expire(now);
        self.failures.prune_hosts(now);
        self.expire_launches(now);
        let ids: Vec<ProfileId> = self.profiles.keys().copied().collect();
        for p in ids {
            self.reconcile(p);
        }
        if self.racks.take_collapse_notice() {
            self.actions
                .push_back(Action::Notice(Notice::DefaultRackCollapse));
        }
        AllocateRequest {
            asks: self.ask_changes(),
            releases: std::mem::take(&mut self.releases_to_send),
            exclusions: self.exclusion.take_delta(),
            progress: 0.1,
        }
    }

    fn expire_launches(&mut self, now: Millis) {
        let Some(timeout) = self.config.launch_timeout_ms else {
            return;
        };
        while let Some((since, cid)) = self.launch_deadlines.front().cloned() {
            let state = self.containers.get(&cid).map(|r| r.state.clone());
            match state {
                Some(ContainerState::Starting {
                    since: s,
                    completed,
                }) if s == since => {
                    if now.saturating_sub(since) < timeout {
                        break;
                    }
                    self.launch_deadlines.pop_front();
                    let executor = self.containers[&cid].executor;
                    let _ = self.take_starting(&cid);
                    self.forget(&cid);
                    if !completed {
                        self.release(cid.clone());
                    }
                    self.actions.push_back(Action::LaunchTimedOut {
                        executor_id: executor,
                        container_id: cid,
                    });
                }
                _ => {
                    self.launch_deadlines.pop_front();
                }
            }
        }
    }

    /// The cap on this profile's outstanding requests, if any.
    fn ask_cap(&self, ask: &Resource) -> Option<usize> {
        let mut cap: Option<usize> = self.config.ask_cap.max_pending.map(|m| m as usize);
        if self.config.ask_cap.by_headroom
            && let Some(h) = &self.headroom
        {
            let fit = usize::try_from(h.fits(ask)).unwrap_or(usize::MAX).max(1);
            cap = Some(cap.map_or(fit, |c| c.min(fit)));
        }
        cap
    }

    fn reconcile(&mut self, pid: ProfileId) {
        let Some(ps) = self.profiles.get(&pid) else {
            return;
        };
        let cap = self.ask_cap(&ps.ask);
        let Some(book) = self.books.get_mut(&pid) else {
            return;
        };
        let pending = book.len() as i64;
        let missing =
            i64::from(ps.target) - pending - i64::from(ps.running) - i64::from(ps.starting);
        let preferred = |h: HostId| ps.preferred.get(h as usize).copied().unwrap_or(false);
        let split = book.split(preferred);
        if missing > 0 {
            // Cancel every stale request: the driver no longer wants those hosts.
            for &seq in &split.stale {
                book.remove(seq);
            }
            let cancelled = split.stale.len() as i64;
            let mut available = missing + cancelled;
            if let Some(cap) = cap {
                let room = (cap as i64 - (pending - cancelled)).max(0);
                available = available.min(room);
            }
            let available = available.max(0) as usize;
            let potential = available + split.any_host.len();
            let matched = book.matched_sets(preferred);
            let pending_view: Vec<(&[HostName], usize)> =
                matched.iter().map(|(n, c)| (&n[..], *c)).collect();
            let placement = place(&PlacementInput {
                containers: potential,
                locality_aware_tasks: ps.locality_tasks,
                host_task_counts: &ps.host_tasks,
                allocated: &ps.host_containers,
                pending: &pending_view,
                executor_cores: ps.executor_cores,
                task_cpus: self.config.task_cpus,
            });
            let localized = placement.localized();
            let any_to_add = if available >= localized {
                available - localized
            } else {
                // Give up some any-host requests so that localized ones take their place.
                for &seq in split.any_host.iter().take(localized - available) {
                    book.remove(seq);
                }
                0
            };
            // The first group holds every preferred host: resolve them in one batch.
            if let Some(first) = placement.groups.first() {
                let ids: Vec<HostId> = first
                    .positions
                    .iter()
                    .map(|&p| ps.host_task_ids[p as usize])
                    .collect();
                self.hosts.resolve(&ids, &mut self.racks);
            }
            for g in &placement.groups {
                let host_ids: Vec<HostId> = g
                    .positions
                    .iter()
                    .map(|&p| ps.host_task_ids[p as usize])
                    .collect();
                let mut seen = vec![false; self.hosts.rack_count()];
                let mut rack_ids = Vec::new();
                for &h in &host_ids {
                    let r = self.hosts.rack(h, &mut self.racks);
                    if seen.len() <= r as usize {
                        seen.resize(r as usize + 1, false);
                    }
                    if !seen[r as usize] {
                        seen[r as usize] = true;
                        rack_ids.push(r);
                    }
                }
                let set = book.new_set(g.nodes.clone(), host_ids, rack_ids);
                for _ in 0..g.count {
                    book.add(Some(set));
                }
            }
            for _ in 0..any_to_add {
                book.add(None);
            }
        } else if missing < 0 && pending > 0 {
            let n = pending.min(-missing) as usize;
            Self::cancel_in_order(book, &split, n);
        }
        if let Some(cap) = cap
            && book.len() > cap
        {
            let split = book.split(preferred);
            let n = book.len() - cap;
            Self::cancel_in_order(book, &split, n);
        }
    }

    /// Cancels `n` requests: stale first, then any-host, then localized (Spark's order).
    fn cancel_in_order(book: &mut RequestBook, split: &crate::requests::Split, n: usize) {
        let order = split
            .stale
            .iter()
            .chain(&split.any_host)
            .chain(&split.matched);
        for &seq in order.take(n) {
            book.remove(seq);
        }
    }

    fn ask_changes(&mut self) -> Vec<ResourceAsk> {
        let mut out = Vec::new();
        let (host_count, rack_count) = (self.hosts.len(), self.hosts.rack_count());
        for (&pid, book) in &self.books {
            let Some(ps) = self.profiles.get(&pid) else {
                continue;
            };
            let current = book.ask_table(host_count, rack_count);
            let last = self.last_asks.get(&pid);
            if last == Some(&current) {
                continue;
            }
            let empty = AskTable::default();
            let last = last.unwrap_or(&empty);
            let ask = |name: Arc<str>, n: u32, any: bool| ResourceAsk {
                profile: pid,
                priority: pid as i32,
                resource_name: name,
                capability: ps.ask.clone(),
                num_containers: n,
                relax_locality: true,
                node_label: if any {
                    self.config.node_label.clone()
                } else {
                    None
                },
                allocation_request_id: i64::from(pid),
            };
            if current.any != last.any {
                out.push(ask(Arc::from(ANY_LOCATION), current.any, true));
            }
            for (id, n) in diff(&last.racks, &current.racks) {
                out.push(ask(self.hosts.rack_name(id).clone(), n, false));
            }
            for (id, n) in diff(&last.hosts, &current.hosts) {
                out.push(ask(self.hosts.name(id).clone(), n, false));
            }
            self.last_asks.insert(pid, current);
        }
        out
    }

    /// Steps 4–6 of a heartbeat: apply the response (cluster size, node updates, granted
    /// containers, then completed ones), schedule the next heartbeat, and check whether the
    /// application must fail.
    pub fn on_response(&mut self, response: AllocateResponse, now: Millis) {
        if let Some(n) = response.cluster_nodes {
            self.cluster_nodes = Some(n);
        }
        if let Some(h) = response.available_resources {
            self.headroom = Some(h);
        }
        for u in &response.updated_nodes {
            if u.state == NodeState::Decommissioning && self.config.decommission_enabled {
                self.announce_decommission(&u.host);
            }
        }
        self.take_allocated(response.allocated, now);
        for c in response.completed {
            self.take_completed(c, now);
        }
        if self.racks.take_collapse_notice() {
            self.actions
                .push_back(Action::Notice(Notice::DefaultRackCollapse));
        }
        let pending = self.books.values().any(|b| !b.is_empty()) || !self.loss_waiters.is_empty();
        self.heartbeat.after_allocate(now, pending);
        self.check_failure(now);
    }

    fn announce_decommission(&mut self, host: &HostName) {
        if self.decommissioned.contains(host) {
            return;
        }
        self.decommissioned.insert(host.clone());
        self.decommission_order.push_back(host.clone());
        while self.decommission_order.len() > self.config.decommission_memory.max(1) {
            if let Some(old) = self.decommission_order.pop_front() {
                self.decommissioned.remove(&old);
            }
        }
        self.actions
            .push_back(Action::DecommissionHost { host: host.clone() });
    }

    fn take_allocated(&mut self, allocated: Vec<Container>, now: Millis) {
        let mut seen: FastSet<ContainerId> =
            FastSet::with_capacity_and_hasher(allocated.len(), Default::default());
        let mut usable: Vec<Option<Container>> = Vec::with_capacity(allocated.len());
        let mut candidates: Vec<Candidate> = Vec::with_capacity(allocated.len());
        for c in allocated {
            let known = (!self.containers.is_empty() && self.containers.contains_key(&c.id))
                || (!self.released.is_empty() && self.released.contains(&c.id));
            if known || !seen.insert(c.id.clone()) {
                self.actions
                    .push_back(Action::Notice(Notice::DuplicateContainer(c.id)));
                continue;
            }
            let Some(profile) = self.profile_of_priority(c.priority) else {
                self.actions
                    .push_back(Action::Notice(Notice::UnknownPriority {
                        container: c.id.clone(),
                        priority: c.priority,
                    }));
                self.release(c.id);
                continue;
            };
            let wanted = self.profiles[&profile].ask.memory_mb;
            if c.resource.memory_mb < wanted {
                self.actions
                    .push_back(Action::Notice(Notice::UndersizedContainer {
                        container: c.id.clone(),
                        memory_mb: c.resource.memory_mb,
                        wanted_mb: wanted,
                    }));
                self.release(c.id);
                continue;
            }
            if self.config.exclusion.release_on_excluded_hosts
                && self.exclusion.is_excluded(&c.host)
            {
                self.actions.push_back(Action::Notice(Notice::ExcludedHost {
                    container: c.id.clone(),
                    host: c.host.clone(),
                }));
                self.release(c.id);
                continue;
            }
            let host = self.hosts.intern(&c.host);
            candidates.push(Candidate {
                index: usable.len(),
                profile,
                host,
            });
            usable.push(Some(c));
        }
        self.containers.reserve(usable.len());
        self.executors.reserve(usable.len());
        self.actions.reserve(usable.len());
        if self.config.launch_mode == LaunchMode::Tracked && self.config.launch_timeout_ms.is_some()
        {
            self.launch_deadlines.reserve(usable.len());
        }
        let matches = match_containers(
            &candidates,
            &mut self.books,
            &mut self.hosts,
            &mut self.racks,
        );
        let mut slots = usable;
        for idx in matches.unmatched {
            if let Some(c) = slots[idx].take() {
                self.release(c.id);
            }
        }
        for (idx, _pass) in matches.matched {
            let Some(c) = slots[idx].take() else { continue };
            let profile = candidates[idx].profile;
            let ps = &self.profiles[&profile];
            if ps.running + ps.starting >= ps.target {
                self.release(c.id);
                continue;
            }
            self.launch(c, profile, now);
        }
    }

    fn launch(&mut self, c: Container, profile: ProfileId, now: Millis) {
        let executor = self.next_executor_id();
        let immediate = self.config.launch_mode == LaunchMode::Immediate;
        let state = if immediate {
            ContainerState::Running
        } else {
            ContainerState::Starting {
                since: now,
                completed: false,
            }
        };
        if let Some(ps) = self.profiles.get_mut(&profile) {
            if immediate {
                ps.running += 1;
                *ps.host_containers.entry(c.host.clone()).or_insert(0) += 1;
            } else {
                ps.starting += 1;
            }
        }
        if !immediate && self.config.launch_timeout_ms.is_some() {
            self.launch_deadlines.push_back((now, c.id.clone()));
        }
        self.executors.insert(executor, c.id.clone());
        self.containers.insert(
            c.id.clone(),
            ContainerRecord {
                container: c.clone(),
                profile,
                executor,
                state,
            },
        );
        self.actions.push_back(Action::Launch {
            executor_id: executor,
            profile,
            container: c,
        });
    }

    fn take_completed(&mut self, status: CompletedContainer, now: Millis) {
        let id = status.id.clone();
        if self.released.remove(&id) {
            // We asked for it: not a failure, nothing to tell the driver unprompted.
            if let Some(rec) = self.containers.remove(&id) {
                self.executors.remove(&rec.executor);
                if rec.state == ContainerState::Killed {
                    self.drop_host_container(rec.profile, &rec.container.host);
                }
                let exit = describe_exit(
                    ExitClass::ReleasedByAllocator,
                    &id,
                    Some(&rec.container.host),
                    status.exit_status,
                    &status.diagnostics,
                );
                self.deliver_reason(rec.executor, exit);
            }
            return;
        }
        let Some(rec) = self.containers.get_mut(&id) else {
            self.actions
                .push_back(Action::Notice(Notice::UnknownCompletion(id)));
            return;
        };
        let class = if self.shutdown {
            ExitClass::AfterShutdown
        } else {
            ExitClass::of_status(status.exit_status)
        };
        match rec.state {
            ContainerState::Starting {
                completed: true, ..
            } => {}
            ContainerState::Starting {
                since,
                completed: false,
            } => {
                // The launch has not ended: it will not make the container running. Its
                // failure counts globally only (the executor never existed for the driver).
                rec.state = ContainerState::Starting {
                    since,
                    completed: true,
                };
                if class.counts_as_failure() {
                    self.failures.record(now);
                }
            }
            ContainerState::Killed => {}
            ContainerState::Running => {
                let Some(rec) = self.containers.remove(&id) else {
                    return;
                };
                self.executors.remove(&rec.executor);
                let host = rec.container.host.clone();
                if let Some(ps) = self.profiles.get_mut(&rec.profile) {
                    ps.running = ps.running.saturating_sub(1);
                }
                self.drop_host_container(rec.profile, &host);
                if class.counts_as_failure() {
                    self.count_failure(&host, now);
                }
                let exit = describe_exit(
                    class,
                    &id,
                    Some(&host),
                    status.exit_status,
                    &status.diagnostics,
                );
                self.unexpected_releases += 1;
                self.actions.push_back(Action::ExecutorLost {
                    executor_id: rec.executor,
                    container_id: id,
                    exit: exit.clone(),
                });
                self.deliver_reason(rec.executor, exit);
            }
        }
    }

    fn drop_host_container(&mut self, profile: ProfileId, host: &HostName) {
        if let Some(ps) = self.profiles.get_mut(&profile)
            && let Some(n) = ps.host_containers.get_mut(host)
        {
            *n -= 1;
            if *n == 0 {
                ps.host_containers.remove(host);
            }
        }
    }

    fn deliver_reason(&mut self, executor: ExecutorId, exit: ExecutorExit) {
        if self.loss_waiters.remove(&executor) {
            self.actions.push_back(Action::LossReason {
                executor_id: executor,
                exit,
            });
            return;
        }
        if self.config.max_stored_loss_reasons == 0 {
            return;
        }
        if self.stored_reasons.insert(executor, exit).is_none() {
            self.stored_order.push_back(executor);
        }
        while self.stored_order.len() > self.config.max_stored_loss_reasons {
            if let Some(old) = self.stored_order.pop_front() {
                self.stored_reasons.remove(&old);
            }
        }
    }

    fn count_failure(&mut self, host: &HostName, now: Millis) {
        let ex = &self.config.exclusion;
        if !ex.launch_exclusion_enabled {
            self.failures.record(now);
            return;
        }
        if self.exclusion.excluded_by_scheduler_or_allocator(host) {
            // A late report from a host we already gave up on must not fail the application.
            return;
        }
        self.failures.record_on_host(host, now);
        if self.failures.host_failures(host, now) > u64::from(ex.max_failed_executors_per_node) {
            let until = now.saturating_add(ex.timeout_ms);
            self.exclusion.exclude_until(host, until);
        }
    }

    fn check_failure(&mut self, now: Millis) {
        if self.app_failed.is_some() {
            return;
        }
        let failed = self.failures.failures(now);
        let failure = if let Some(max) = self.config.failures.max_executor_failures
            && failed >= u64::from(max)
        {
            Some(format!("Max number of executor failures ({max}) reached"))
        } else if let Some(rate) = self.config.failures.max_failures_per_minute
            && self.failures.failures_last_minute(now) > u64::from(rate)
        {
            Some(format!(
                "Executor failure rate exceeded: {} failures in the last minute, more than the limit of {rate} per minute",
                self.failures.failures_last_minute(now)
            ))
        } else if self.all_nodes_excluded() {
            Some("Due to executor failures all available nodes are excluded".to_string())
        } else {
            None
        };
        if let Some(message) = failure {
            let f = AppFailure {
                exit_code: EXIT_EXECUTOR_FAILURES,
                message,
            };
            self.actions.push_back(Action::FailApplication {
                exit_code: f.exit_code,
                message: f.message.clone(),
            });
            self.app_failed = Some(f);
        }
    }

    fn all_nodes_excluded(&self) -> bool {
        match self.cluster_nodes {
            Some(n) if n > 0 => self.exclusion.count() >= n as usize,
            _ => false,
        }
    }

    // ----- output --------------------------------------------------------------------------

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

    // ----- state, for the shell's metrics and for tests ------------------------------------

    /// The target of a profile.
    pub fn target(&self, profile: ProfileId) -> Option<u32> {
        self.profiles.get(&profile).map(|p| p.target)
    }

    /// Outstanding requests of a profile.
    pub fn pending(&self, profile: ProfileId) -> usize {
        self.books.get(&profile).map_or(0, |b| b.len())
    }

    /// Running executors of a profile.
    pub fn running(&self, profile: ProfileId) -> u32 {
        self.profiles.get(&profile).map_or(0, |p| p.running)
    }

    /// Starting executors of a profile.
    pub fn starting(&self, profile: ProfileId) -> u32 {
        self.profiles.get(&profile).map_or(0, |p| p.starting)
    }

    /// The profile ids, ascending.
    pub fn profile_ids(&self) -> impl Iterator<Item = ProfileId> + '_ {
        self.profiles.keys().copied()
    }

    /// What a profile asks for.
    pub fn container_ask(&self, profile: ProfileId) -> Option<&Resource> {
        self.profiles.get(&profile).map(|p| &p.ask)
    }

    /// Launched, not yet completed containers per host (all profiles).
    pub fn host_containers(&self) -> BTreeMap<HostName, u32> {
        let mut m = BTreeMap::new();
        for ps in self.profiles.values() {
            for (h, n) in &ps.host_containers {
                *m.entry(h.clone()).or_insert(0) += n;
            }
        }
        m
    }

    /// The executor of a container the allocator still tracks.
    pub fn executor_of(&self, container: &ContainerId) -> Option<ExecutorId> {
        self.containers.get(container).map(|r| r.executor)
    }

    /// The container of an executor the allocator still tracks.
    pub fn container_of(&self, executor: ExecutorId) -> Option<&Container> {
        self.executors
            .get(&executor)
            .and_then(|c| self.containers.get(c))
            .map(|r| &r.container)
    }

    /// Containers whose executor is running (launched, not completed, not killed).
    pub fn running_containers(&self) -> impl Iterator<Item = (&ContainerId, ExecutorId)> + '_ {
        self.containers
            .iter()
            .filter(|(_, r)| r.state == ContainerState::Running)
            .map(|(id, r)| (id, r.executor))
    }

    /// Releases decided but not yet sent.
    pub fn unsent_releases(&self) -> &[ContainerId] {
        &self.releases_to_send
    }

    /// Failures counted toward the limit at `now`.
    pub fn failures(&self, now: Millis) -> u64 {
        self.failures.failures(now)
    }

    /// Failures counted on `host` for exclusion at `now`.
    pub fn host_failures(&self, host: &str, now: Millis) -> u64 {
        self.failures.host_failures(host, now)
    }

    /// Containers that completed without the allocator having released them.
    pub fn unexpected_releases(&self) -> u64 {
        self.unexpected_releases
    }

    /// Hosts excluded now (static ∪ driver's ∪ own), including changes not yet sent.
    /// Exclusions whose time is up are dropped at the next `next_request`.
    pub fn excluded_nodes(&self) -> BTreeSet<HostName> {
        self.exclusion.current()
    }

    /// The node list of every pending request, per profile in ascending order
    /// (`None`: any host).
    pub fn pending_localities(&self) -> Vec<(ProfileId, Option<Vec<HostName>>)> {
        let mut out = Vec::new();
        for (&pid, book) in &self.books {
            for l in book.localities() {
                out.push((pid, l.map(|n| n.to_vec())));
            }
        }
        out
    }

    /// Why the application must fail, once decided.
    pub fn app_failed(&self) -> Option<&AppFailure> {
        self.app_failed.as_ref()
    }

    /// The number of cluster nodes last reported.
    pub fn cluster_nodes(&self) -> Option<i32> {
        self.cluster_nodes
    }
}
