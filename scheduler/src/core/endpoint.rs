//! The DriverEndpoint state (Spark's `CoarseGrainedSchedulerBackend.DriverEndpoint`):
//! registered executors with their free cores, offers on every change and on the revive
//! interval, per-executor command outboxes the executors' polls drain, liveness, executor
//! removal with its reason, decommissioning, the totals asked of the AM, and stopping.
//! Sans-IO like the [`TaskScheduler`] it owns: inputs take `now`, outputs are [`Action`]s.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use spindle_base::recent::RecentMap;

use super::allocation::{Allocation, AllocationConfig};
use super::scheduler::TaskScheduler;
use super::scheduler::{JobSpec, Launch, Offer, SchedEvent, SchedulerConfig, SubmitError};
use super::types::{ExecId, JobId, LossKind, LossReason, Millis, TaskId, TaskKind, TaskUpdate};
use crate::limits::{MAX_LAUNCHES_PER_POLL, MAX_POLL_BYTES};

/// DriverEndpoint settings.
#[derive(Clone, Debug)]
pub struct EndpointConfig {
    /// The task scheduler's.
    pub scheduler: SchedulerConfig,
    /// How many executors to ask for and when.
    pub allocation: AllocationConfig,
    /// Cores of one executor of the default profile (for the AM and dynamic allocation).
    pub executor_cores: u32,
    /// Heap of one executor of the default profile, MiB (for the AM).
    pub executor_memory_mb: u64,
    /// Longest a poll is held with nothing to send.
    pub poll_wait: Millis,
    /// An executor silent this long (no poll held, no call) is removed.
    pub executor_timeout: Millis,
    /// Offers on every executor this often even without a change (Spark's
    /// `spark.scheduler.revive.interval`, 1 s).
    pub revive_interval: Millis,
    /// Largest task result accepted.
    pub max_result_bytes: usize,
    /// Cores one task holds (Spark's `spark.task.cpus`), for dynamic allocation.
    pub cpus_per_task: u32,
}

impl Default for EndpointConfig {
    fn default() -> Self {
        EndpointConfig {
            scheduler: SchedulerConfig::default(),
            allocation: AllocationConfig::default(),
            executor_cores: 1,
            executor_memory_mb: 1024,
            poll_wait: 1000,
            executor_timeout: 10_000,
            revive_interval: 1000,
            max_result_bytes: crate::limits::DEFAULT_MAX_RESULT_BYTES,
            cpus_per_task: 1,
        }
    }
}

/// An executor's registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// Its id.
    pub exec: ExecId,
    /// Its host.
    pub host: String,
    /// Its cores.
    pub cores: u32,
    /// The task functions its binary registered.
    pub functions: BTreeSet<String>,
}

/// Why a registration was refused (sent back as the reason).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// A call named an executor the driver does not have (removed, or never registered).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Unknown executor {0}: it was removed or never registered; it must exit")]
pub struct UnknownExecutor(pub ExecId);

/// Stop the executor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopCommand {
    /// Why.
    pub reason: String,
    /// Let running tasks finish first.
    pub graceful: bool,
}

/// Commands for one executor, in the order to apply them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Commands {
    /// Tasks to start.
    pub launches: Vec<Launch>,
    /// Attempts to kill, with the reason.
    pub kills: Vec<(TaskId, String)>,
    /// Stop afterwards.
    pub stop: Option<StopCommand>,
}

impl Commands {
    /// Nothing to send.
    pub fn is_empty(&self) -> bool {
        self.launches.is_empty() && self.kills.is_empty() && self.stop.is_none()
    }
}

/// The executor totals and locality hints for the AM (default profile 0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetRequest {
    /// Executors wanted in total.
    pub total: u32,
    /// Pending tasks with a preferred host.
    pub locality_aware_tasks: u32,
    /// Pending tasks per preferred host.
    pub host_task_counts: BTreeMap<String, u32>,
    /// Hosts the scheduler excludes.
    pub excluded_hosts: BTreeSet<String>,
}

/// What the shell must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Commands wait for this executor: answer its held poll with
    /// [`DriverEndpoint::take_commands`].
    Wake(ExecId),
    /// A job event.
    Job(SchedEvent),
    /// Send these totals to the AM.
    RequestExecutors(TargetRequest),
    /// Ask the AM to release these executors.
    KillExecutors(Vec<ExecId>),
    /// An executor registered.
    ExecutorAdded {
        /// Its id.
        exec: ExecId,
        /// Its host.
        host: String,
    },
    /// An executor was removed; a poll it holds must be answered with an error.
    ExecutorRemoved {
        /// Its id.
        exec: ExecId,
        /// Why.
        reason: LossReason,
    },
}

#[derive(Debug)]
struct ExecutorData {
    host: String,
    cores: u32,
    free: u32,
    functions: BTreeSet<String>,
    launches: VecDeque<Launch>,
    kills: Vec<(TaskId, String)>,
    stop: Option<StopCommand>,
    polling_since: Option<Millis>,
    last_contact: Millis,
    idle_since: Option<Millis>,
    decommissioning: bool,
    kill_requested: bool,
    /// A stop command was queued (it may have been sent already).
    stopped: bool,
}

impl ExecutorData {
    fn has_commands(&self) -> bool {
        !self.launches.is_empty() || !self.kills.is_empty() || self.stop.is_some()
    }
}

/// The driver's endpoint state.
#[derive(Debug)]
pub struct DriverEndpoint {
    config: EndpointConfig,
    sched: TaskScheduler,
    executors: BTreeMap<ExecId, ExecutorData>,
    allocation: Allocation,
    actions: VecDeque<Action>,
    last_request: Option<TargetRequest>,
    last_revive: Millis,
    last_executor_id: u64,
    /// Why recently removed executors went (a late AM reason is only logged).
    removed: RecentMap<ExecId, LossReason>,
    stopping: bool,
}

impl DriverEndpoint {
    /// An endpoint with no executors, about to ask for the initial total.
    pub fn new(config: EndpointConfig, now: Millis) -> Self {
        let mut e = DriverEndpoint {
            sched: TaskScheduler::new(config.scheduler.clone()),
            allocation: Allocation::new(config.allocation.clone()),
            config,
            executors: BTreeMap::new(),
            actions: VecDeque::new(),
            last_request: None,
            last_revive: now,
            last_executor_id: 0,
            removed: RecentMap::new(1000),
            stopping: false,
        };
        e.sync_target(false);
        e
    }

    /// The settings.
    pub fn config(&self) -> &EndpointConfig {
        &self.config
    }

    /// The task scheduler (read-only).
    pub fn scheduler(&self) -> &TaskScheduler {
        &self.sched
    }

    /// The next action, if any.
    pub fn poll_action(&mut self) -> Option<Action> {
        if let Some(a) = self.actions.pop_front() {
            return Some(a);
        }
        self.drain_sched_events();
        self.actions.pop_front()
    }

    fn drain_sched_events(&mut self) {
        while let Some(ev) = self.sched.poll_event() {
            match ev {
                SchedEvent::KillTask { tid, exec, reason } => {
                    if let Some(e) = self.executors.get_mut(&exec) {
                        // A launch still in the outbox never reached the executor: drop it
                        // and free its cores instead of sending launch + kill.
                        if let Some(pos) = e.launches.iter().position(|l| l.tid == tid) {
                            let l = e.launches.remove(pos).expect("position is valid");
                            let freed =
                                self.sched
                                    .status_update(&exec, tid, TaskUpdate::Killed(reason), 0);
                            e.free += freed.unwrap_or(l.cpus);
                        } else {
                            e.kills.push((tid, reason));
                            self.actions.push_back(Action::Wake(exec));
                        }
                    }
                }
                SchedEvent::ExclusionChanged => {
                    self.sync_target(false);
                }
                other => self.actions.push_back(Action::Job(other)),
            }
        }
    }

    /// Whether an action is waiting.
    pub fn has_actions(&self) -> bool {
        !self.actions.is_empty()
    }

    /// Submits a job and offers its tasks at once.
    pub fn submit(&mut self, job: JobSpec, now: Millis) -> Result<JobId, SubmitError> {
        if self.stopping {
            return Err(SubmitError::Stopping);
        }
        let id = self.sched.submit(job, now)?;
        self.offer(None, now);
        self.update_allocation(now);
        self.sync_target(false);
        Ok(id)
    }

    /// Cancels a job.
    pub fn cancel(&mut self, job: JobId, reason: &str, now: Millis) -> bool {
        let found = self.sched.cancel(job, reason);
        self.drain_sched_events();
        self.update_allocation(now);
        found
    }

    /// The application asks for a total (static allocation; with dynamic allocation the
    /// target is clamped and keeps moving with the backlog).
    pub fn request_total_executors(&mut self, total: u32) {
        self.allocation.set_target(total);
        self.sync_target(false);
    }

    /// An executor asks to register.
    pub fn register(&mut self, reg: Registration, now: Millis) -> Result<(), Refused> {
        if self.stopping {
            return Err(Refused("the driver is stopping".into()));
        }
        if self.executors.contains_key(&reg.exec) {
            return Err(Refused(format!("Duplicate executor ID: {}", reg.exec)));
        }
        if self.sched.is_host_excluded(&reg.host) {
            return Err(Refused(format!(
                "Executor is excluded due to failures: host {} is excluded",
                reg.host
            )));
        }
        if let Some(n) = reg.exec.numeric() {
            self.last_executor_id = self.last_executor_id.max(n);
        }
        self.executors.insert(
            reg.exec.clone(),
            ExecutorData {
                host: reg.host.clone(),
                cores: reg.cores,
                free: reg.cores,
                functions: reg.functions,
                launches: VecDeque::new(),
                kills: Vec::new(),
                stop: None,
                polling_since: None,
                last_contact: now,
                idle_since: Some(now),
                decommissioning: false,
                kill_requested: false,
                stopped: false,
            },
        );
        self.sched.executor_added(reg.exec.clone(), &reg.host, now);
        self.actions.push_back(Action::ExecutorAdded {
            exec: reg.exec.clone(),
            host: reg.host,
        });
        self.offer(Some(&reg.exec), now);
        Ok(())
    }

    /// The largest numeric executor id registered (0 if none).
    pub fn last_executor_id(&self) -> u64 {
        self.last_executor_id
    }

    /// Registered executors.
    pub fn executor_count(&self) -> usize {
        self.executors.len()
    }

    /// Free cores of `exec`.
    pub fn free_cores(&self, exec: &ExecId) -> Option<u32> {
        self.executors.get(exec).map(|e| e.free)
    }

    /// An executor's poll arrived. Returns its commands at once if it has some; `None`
    /// means "hold the poll" until [`Action::Wake`] or `poll_wait` (then
    /// [`DriverEndpoint::poll_ended`]).
    pub fn poll(
        &mut self,
        exec: &ExecId,
        now: Millis,
    ) -> Result<Option<Commands>, UnknownExecutor> {
        let e = self
            .executors
            .get_mut(exec)
            .ok_or_else(|| UnknownExecutor(exec.clone()))?;
        e.last_contact = now;
        if e.has_commands() {
            e.polling_since = None;
            return Ok(Some(drain(e)));
        }
        e.polling_since = Some(now);
        Ok(None)
    }

    /// Drains the commands of `exec` to answer its held poll (after [`Action::Wake`]).
    /// `None` if it has none (already sent) or is gone.
    pub fn take_commands(&mut self, exec: &ExecId, now: Millis) -> Option<Commands> {
        let e = self.executors.get_mut(exec)?;
        if !e.has_commands() {
            return None;
        }
        e.polling_since = None;
        e.last_contact = now;
        Some(drain(e))
    }

    /// Commands drained for a poll that could not be delivered (the poll was gone): put
    /// them back in front, in order.
    pub fn requeue(&mut self, exec: &ExecId, commands: Commands) {
        let Some(e) = self.executors.get_mut(exec) else {
            return;
        };
        for l in commands.launches.into_iter().rev() {
            e.launches.push_front(l);
        }
        let mut kills = commands.kills;
        kills.append(&mut e.kills);
        e.kills = kills;
        if e.stop.is_none() {
            e.stop = commands.stop;
        }
    }

    /// A held poll ended without commands (its wait ran out or the caller went away).
    pub fn poll_ended(&mut self, exec: &ExecId, now: Millis) {
        if let Some(e) = self.executors.get_mut(exec) {
            e.polling_since = None;
            e.last_contact = now;
        }
    }

    /// Task state changes from `exec`, in order; frees cores and offers them again.
    pub fn status_update(
        &mut self,
        exec: &ExecId,
        updates: impl IntoIterator<Item = (TaskId, TaskUpdate)>,
        now: Millis,
    ) -> Result<(), UnknownExecutor> {
        let e = self
            .executors
            .get_mut(exec)
            .ok_or_else(|| UnknownExecutor(exec.clone()))?;
        e.last_contact = now;
        let mut freed = false;
        let mut repended = false;
        for (tid, update) in updates {
            // A task that did not succeed is pending again: offer every executor, since
            // it may not be retried on this one (Spark revives offers after a failure).
            repended |= !matches!(update, TaskUpdate::Running | TaskUpdate::Finished(_));
            if let Some(cpus) = self.sched.status_update(exec, tid, update, now) {
                let e = self.executors.get_mut(exec).expect("checked above");
                e.free = (e.free + cpus).min(e.cores);
                freed = true;
            }
        }
        if freed {
            if self.sched.running_on(exec) == 0
                && let Some(e) = self.executors.get_mut(exec)
            {
                e.idle_since = Some(now);
            }
            self.offer((!repended).then_some(exec), now);
            self.update_allocation(now);
        }
        Ok(())
    }

    /// Removes an executor (disconnect, timeout, the AM's report); its running tasks are
    /// rescheduled, counting as the reason says.
    pub fn remove_executor(&mut self, exec: &ExecId, reason: LossReason, now: Millis) {
        let Some(data) = self.executors.remove(exec) else {
            if !self.removed.contains(exec) {
                tracing::debug!(%exec, %reason, "removal of an unknown executor ignored");
            }
            return;
        };
        tracing::info!(%exec, host = %data.host, %reason, "executor removed");
        self.sched.executor_lost(exec, &reason, now);
        self.removed.insert(exec.clone(), reason.clone());
        self.actions.push_back(Action::ExecutorRemoved {
            exec: exec.clone(),
            reason,
        });
        self.drain_sched_events();
        self.offer(None, now);
        self.update_allocation(now);
    }

    /// The host is being decommissioned: its executors get no new tasks and are stopped
    /// once idle.
    pub fn decommission_host(&mut self, host: &str, now: Millis) {
        for (id, e) in self.executors.iter_mut() {
            if e.host == host && !e.decommissioning {
                tracing::info!(exec = %id, host, "decommissioning executor");
                e.decommissioning = true;
            }
        }
        self.stop_idle_decommissioned(now);
    }

    fn stop_idle_decommissioned(&mut self, _now: Millis) {
        let idle: Vec<ExecId> = self
            .executors
            .iter()
            .filter(|(id, e)| e.decommissioning && !e.stopped && self.sched.running_on(id) == 0)
            .map(|(id, _)| id.clone())
            .collect();
        for id in idle {
            let e = self.executors.get_mut(&id).expect("listed above");
            e.stopped = true;
            e.stop = Some(StopCommand {
                reason: format!("host {} is decommissioned", e.host),
                graceful: true,
            });
            self.actions.push_back(Action::Wake(id));
        }
    }

    /// The AM (re-)registered: forget what was sent to the previous one and send the
    /// current totals (SPARK-10582).
    pub fn am_registered(&mut self) {
        self.last_request = None;
        self.sync_target(true);
    }

    /// Periodic work: liveness, revive offers, delay-scheduling timers, dynamic allocation,
    /// idle and decommissioned executors.
    pub fn tick(&mut self, now: Millis) {
        let timeout = self.config.executor_timeout;
        let hold = self.config.poll_wait;
        let silent: Vec<(ExecId, Millis)> = self
            .executors
            .iter()
            .filter_map(|(id, e)| {
                let quiet = match e.polling_since {
                    Some(since) => now.saturating_sub(since).saturating_sub(hold),
                    None => now.saturating_sub(e.last_contact),
                };
                (quiet > timeout).then(|| (id.clone(), quiet))
            })
            .collect();
        for (id, quiet) in silent {
            self.remove_executor(
                &id,
                LossReason::process_lost(format!(
                    "Executor heartbeat timed out: no contact for {quiet} ms (limit {timeout} ms)"
                )),
                now,
            );
        }
        if now.saturating_sub(self.last_revive) >= self.config.revive_interval
            || self.sched.next_timeout().is_some_and(|t| t <= now)
        {
            self.offer(None, now);
        }
        self.update_allocation(now);
        // Locality hints change with every launch; they are refreshed here, once per tick,
        // not on every status update (computing them scans the pending tasks).
        self.sync_target(false);
        self.release_idle(now);
        self.stop_idle_decommissioned(now);
    }

    fn release_idle(&mut self, now: Millis) {
        let mut live = self
            .executors
            .values()
            .filter(|e| !e.kill_requested)
            .count() as u32;
        let mut kill = Vec::new();
        for (id, e) in self.executors.iter_mut() {
            if e.kill_requested || self.sched.running_on(id) > 0 || !e.launches.is_empty() {
                continue;
            }
            if let Some(since) = e.idle_since
                && self.allocation.should_release(since, now, live)
            {
                e.kill_requested = true;
                live -= 1;
                kill.push(id.clone());
            }
        }
        if !kill.is_empty() {
            tracing::info!(executors = ?kill, "releasing idle executors");
            self.actions.push_back(Action::KillExecutors(kill));
        }
    }

    /// When [`DriverEndpoint::tick`] is next needed.
    pub fn next_timeout(&self) -> Millis {
        let mut t = self.last_revive + self.config.revive_interval;
        if let Some(s) = self.sched.next_timeout() {
            t = t.min(s);
        }
        if let Some(a) = self.allocation.next_timeout() {
            t = t.min(a);
        }
        t
    }

    /// Stops: every job is cancelled, every executor told to stop, the AM's target set to 0.
    pub fn stop(&mut self, reason: &str, now: Millis) {
        if self.stopping {
            return;
        }
        self.stopping = true;
        for job in self.sched.active_jobs() {
            self.sched.cancel(job, reason);
        }
        self.drain_sched_events();
        let ids: Vec<ExecId> = self.executors.keys().cloned().collect();
        for id in ids {
            let e = self.executors.get_mut(&id).expect("listed above");
            e.launches.clear();
            e.stopped = true;
            e.stop = Some(StopCommand {
                reason: reason.to_string(),
                graceful: false,
            });
            self.actions.push_back(Action::Wake(id));
        }
        self.allocation.set_target(0);
        self.sync_target(true);
        let _ = now;
    }

    /// Executors whose stop command has not been sent yet.
    pub fn undelivered_stops(&self) -> usize {
        self.executors.values().filter(|e| e.stop.is_some()).count()
    }

    /// Whether [`DriverEndpoint::stop`] was called.
    pub fn is_stopping(&self) -> bool {
        self.stopping
    }

    fn update_allocation(&mut self, now: Millis) {
        if self.stopping {
            return;
        }
        let per = (self.config.executor_cores / self.config.cpus_per_task.max(1)).max(1);
        if self.allocation.update(
            now,
            self.sched.pending_tasks(),
            self.sched.running_tasks(),
            per,
        ) {
            tracing::debug!(target = self.allocation.target(), "executor target changed");
            self.sync_target(false);
        }
    }

    /// Emits the totals for the AM if they differ from the last ones sent (or always).
    fn sync_target(&mut self, force: bool) {
        let (aware, hosts) = self.sched.locality_hints();
        let request = TargetRequest {
            total: if self.stopping {
                0
            } else {
                self.allocation.target()
            },
            locality_aware_tasks: aware,
            host_task_counts: hosts,
            excluded_hosts: self.sched.excluded_hosts(),
        };
        if force || self.last_request.as_ref() != Some(&request) {
            self.last_request = Some(request.clone());
            self.actions.push_back(Action::RequestExecutors(request));
        }
    }

    /// Offers the free cores of `only` (or of every executor) to the scheduler and queues
    /// the launches.
    fn offer(&mut self, only: Option<&ExecId>, now: Millis) {
        if only.is_none() {
            self.last_revive = now;
        }
        let mut offers: Vec<Offer> = self
            .executors
            .iter()
            .filter(|(id, e)| {
                only.is_none_or(|o| o == *id)
                    && e.free > 0
                    && !e.decommissioning
                    && !e.kill_requested
                    && !e.stopped
            })
            .map(|(id, e)| Offer {
                exec: id.clone(),
                host: e.host.clone(),
                free: e.free,
            })
            .collect();
        if offers.is_empty() {
            return;
        }
        let executors = &self.executors;
        let launches = self.sched.resource_offers(&mut offers, now, |exec, kind| {
            check_function(executors, exec, kind)
        });
        let mut woken = HashSet::new();
        for l in launches {
            let e = self
                .executors
                .get_mut(&l.exec)
                .expect("offers come from registered executors");
            e.free -= l.cpus;
            e.idle_since = None;
            if woken.insert(l.exec.clone()) {
                self.actions.push_back(Action::Wake(l.exec.clone()));
            }
            e.launches.push_back(l);
        }
        self.drain_sched_events();
    }
}

fn check_function(
    executors: &BTreeMap<ExecId, ExecutorData>,
    exec: &ExecId,
    kind: &TaskKind,
) -> Result<(), String> {
    let TaskKind::Function { name, .. } = kind else {
        return Ok(());
    };
    let Some(e) = executors.get(exec) else {
        return Ok(());
    };
    if e.functions.contains(name) {
        return Ok(());
    }
    let known: Vec<&str> = e.functions.iter().map(String::as_str).take(20).collect();
    Err(format!(
        "executor {exec} has no task function named {name:?} (it registered: {}); register it in the executor binary's TaskRegistry",
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    ))
}

/// Drains the outbox within one poll reply's bounds (the rest waits for the next poll).
fn drain(e: &mut ExecutorData) -> Commands {
    let mut launches = Vec::new();
    let mut bytes = 0usize;
    while let Some(l) = e.launches.front() {
        let len = l.kind.payload_len() + 64;
        if launches.len() >= MAX_LAUNCHES_PER_POLL
            || (!launches.is_empty() && bytes + len > MAX_POLL_BYTES)
        {
            break;
        }
        bytes += len;
        launches.push(e.launches.pop_front().expect("front exists"));
    }
    // Stop only goes once every launch went out, so nothing is silently dropped.
    let stop = if e.launches.is_empty() {
        e.stop.take()
    } else {
        None
    };
    Commands {
        launches,
        kills: std::mem::take(&mut e.kills),
        stop,
    }
}

impl LossReason {
    /// The loss as Spark's YARN backend reports an exited container.
    pub fn exited(status: i32, caused_by_app: bool, message: impl Into<String>) -> Self {
        LossReason {
            kind: LossKind::Exited(status),
            caused_by_app,
            message: message.into(),
        }
    }
}
