//! The ApplicationMaster's loop: one task that owns the allocator, heartbeats the resource
//! manager, launches executors, answers the driver, and ends the attempt.
//!
//! Everything that changes the allocator goes through this task, so no two things ever race on
//! its state (the lesson of SPARK-43510 and SPARK-30297). Others talk to it with [`Input`]s and
//! hear from it through [`AmEvent`]s and the [`AmStatus`] snapshot:
//!
//! * the heartbeat runs when the allocator says ([`Allocator::next_heartbeat`]), earlier when the
//!   driver changes its targets (but not more often than `min_interval`);
//! * every action the allocator emits is drained after each input: launches run concurrently
//!   and report back here; lost executors and decommissioned hosts go out as events;
//! * a resource manager that forgot the AM gets a new registration and the whole ask table; a
//!   failed call is repeated with the whole table at the next heartbeat, its releases included;
//!   `max_consecutive_failures` failures in a row end the attempt (exit 12);
//! * the first ending ([`Ending`]) decides the final status ([`Outcome`]); then launches are
//!   abandoned, the AM unregisters when the application is final, and staging files are
//!   removed once.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use spindle_allocator::{
    Action, AllocateRequest, Allocator, Container, ContainerId, ExecutorExit, ExecutorId, HostName,
    LossReasonQuery, Millis, ProfileId, RecoveredContainer, TargetUpdate,
};
use spindle_base::recent::RecentMap;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::{AbortHandle, JoinSet};
use tokio::time::Instant;

use crate::outcome::{Decision, Ending, Outcome};
use crate::rm::{ExecutorStarter, Registration, ResourceManager, RmError, Unregistration};

/// Lost executors and events the status page remembers.
const REMEMBERED_EXECUTORS: usize = 1_000;
const REMEMBERED_EVENTS: usize = 200;

/// Something the AM is asked to do.
#[derive(Debug)]
pub enum Input {
    /// New executor targets, locality hints or excluded hosts (the driver's `RequestExecutors`).
    Targets(TargetUpdate),
    /// Release these executors' containers; the reply lists the ids the AM did not know.
    Kill {
        /// The executors.
        executors: Vec<ExecutorId>,
        /// Where the unknown ids go.
        reply: oneshot::Sender<Vec<ExecutorId>>,
    },
    /// Why was this executor lost? Answered when the AM knows.
    LossReason {
        /// The executor.
        executor: ExecutorId,
        /// Where the answer goes (an error for an executor the AM never had).
        reply: oneshot::Sender<Result<ExecutorExit, String>>,
    },
    /// The driver is shutting down: container exits from now on are nobody's fault.
    DriverShutdown,
    /// End the attempt.
    End(Ending),
}

/// Something the AM did that the driver (or whatever decides the targets) should know.
#[derive(Debug, Clone, PartialEq)]
pub enum AmEvent {
    /// The AM registered with the resource manager.
    Registered,
    /// An executor's container was started (or adopted from an earlier attempt).
    ExecutorStarted {
        /// The executor.
        executor: ExecutorId,
        /// Its container.
        container: Container,
    },
    /// An executor's container ended (not one the AM released on purpose).
    ExecutorLost {
        /// The executor.
        executor: ExecutorId,
        /// Its container.
        container: ContainerId,
        /// Why.
        exit: ExecutorExit,
    },
    /// A node is being decommissioned (once per host).
    DecommissionHost(HostName),
    /// The attempt ended.
    Finished(Decision),
}

/// How the loop behaves.
#[derive(Debug, Clone)]
pub struct AmSettings {
    /// What the AM registers with.
    pub registration: Registration,
    /// Failed heartbeats in a row that end the attempt (Spark: 5).
    pub max_consecutive_failures: u32,
    /// The soonest a heartbeat follows the previous one when woken early (Spark: 200 ms).
    pub min_interval: Duration,
    /// The longest one resource-manager call may take before it counts as failed.
    pub call_timeout: Duration,
    /// The longest the unregistration may take.
    pub unregister_timeout: Duration,
    /// The application's staging folder, removed when the application is final.
    pub staging_dir: Option<PathBuf>,
    /// Where the finished application's history is (sent when unregistering).
    pub final_tracking_url: Option<String>,
}

impl Default for AmSettings {
    fn default() -> Self {
        AmSettings {
            registration: Registration::default(),
            max_consecutive_failures: 5,
            min_interval: Duration::from_millis(200),
            call_timeout: Duration::from_secs(120),
            unregister_timeout: Duration::from_secs(30),
            staging_dir: None,
            final_tracking_url: None,
        }
    }
}

/// One executor as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExecutorView {
    /// The executor id.
    pub id: u64,
    /// Its container.
    pub container: String,
    /// The host it runs on.
    pub host: String,
    /// `STARTING`, `RUNNING` or `EXITED`.
    pub state: &'static str,
    /// Where its logs are, when known.
    pub log_url: Option<String>,
    /// Why it ended.
    pub exit: Option<String>,
}

/// One remembered event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventView {
    /// Milliseconds since the AM started.
    pub at_ms: u64,
    /// What happened.
    pub text: String,
}

/// Targets and counts of one resource profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileView {
    /// The profile id.
    pub profile: u32,
    /// Executors wanted.
    pub target: u32,
    /// Containers asked for and not granted yet.
    pub pending: usize,
    /// Executors starting.
    pub starting: u32,
    /// Executors running.
    pub running: u32,
}

/// What the AM is doing, published after every change (the tracking page reads it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AmStatus {
    /// `STARTING`, `REGISTERED`, then the final status once decided.
    pub state: String,
    /// Heartbeats made.
    pub heartbeats: u64,
    /// Per profile.
    pub profiles: Vec<ProfileView>,
    /// Executor failures counted against the budget.
    pub failures: u64,
    /// Hosts excluded from allocation.
    pub excluded_nodes: Vec<String>,
    /// Executors, current and recently ended.
    pub executors: Vec<ExecutorView>,
    /// Recent events, oldest first.
    pub events: Vec<EventView>,
    /// The diagnostics once the attempt ended.
    pub diagnostics: Option<String>,
}

/// What the loop needs besides the resource manager and the allocator.
pub struct AmParts<F> {
    /// How the loop behaves.
    pub settings: AmSettings,
    /// The attempt's ending.
    pub outcome: Outcome,
    /// Requests to the AM.
    pub inputs: mpsc::Receiver<Input>,
    /// What the AM tells its driver.
    pub events: mpsc::UnboundedSender<AmEvent>,
    /// Where the status goes.
    pub status: watch::Sender<AmStatus>,
    /// What to start in a container for an executor of a profile.
    pub launch_for: F,
}

type LaunchResult = (ContainerId, ExecutorId, Result<(), String>);

/// The running loop's state.
struct Master<R: ResourceManager, F> {
    rm: R,
    starter: R::Starter,
    allocator: Allocator,
    parts: AmParts<F>,
    origin: Instant,
    launches: JoinSet<LaunchResult>,
    launching: HashMap<ContainerId, AbortHandle>,
    loss_queries: HashMap<ExecutorId, Vec<oneshot::Sender<Result<ExecutorExit, String>>>>,
    consecutive_failures: u32,
    carried_releases: Vec<ContainerId>,
    wake_at: Option<Millis>,
    last_heartbeat: Option<Millis>,
    inputs_open: bool,
    view: AmStatus,
    executors: BTreeMap<ExecutorId, ExecutorView>,
    ended: RecentMap<ExecutorId, ExecutorView>,
    events: RecentMap<u64, EventView>,
    event_seq: u64,
}

/// Runs the ApplicationMaster until its attempt ends; returns the decision (the process exits
/// with its code).
pub async fn run<R, F>(rm: R, allocator: Allocator, parts: AmParts<F>) -> Decision
where
    R: ResourceManager,
    F: Fn(ExecutorId, ProfileId, &Container) -> <R::Starter as ExecutorStarter>::Launch
        + Send
        + 'static,
{
    let starter = rm.starter();
    let master = Master {
        rm,
        starter,
        allocator,
        parts,
        origin: Instant::now(),
        launches: JoinSet::new(),
        launching: HashMap::new(),
        loss_queries: HashMap::new(),
        consecutive_failures: 0,
        carried_releases: Vec::new(),
        wake_at: None,
        last_heartbeat: None,
        inputs_open: true,
        view: AmStatus {
            state: "STARTING".into(),
            ..AmStatus::default()
        },
        executors: BTreeMap::new(),
        ended: RecentMap::new(REMEMBERED_EXECUTORS),
        events: RecentMap::new(REMEMBERED_EVENTS),
        event_seq: 0,
    };
    master.run().await
}

impl<R, F> Master<R, F>
where
    R: ResourceManager,
    F: Fn(ExecutorId, ProfileId, &Container) -> <R::Starter as ExecutorStarter>::Launch
        + Send
        + 'static,
{
    fn now(&self) -> Millis {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn note(&mut self, text: String) {
        tracing::info!("{text}");
        let at_ms = self.now();
        self.event_seq += 1;
        self.events
            .insert(self.event_seq, EventView { at_ms, text });
    }

    fn end(&mut self, ending: Ending) {
        if let Some(d) = self.parts.outcome.on(ending) {
            let text = format!(
                "attempt ends: {} (exit {}) {}",
                d.status, d.exit_code, d.diagnostics
            );
            self.note(text);
        }
    }

    fn ended(&self) -> bool {
        self.parts.outcome.decision().is_some()
    }

    async fn run(mut self) -> Decision {
        if self.register().await {
            self.parts.events.send(AmEvent::Registered).ok();
            self.view.state = "REGISTERED".into();
        }
        self.drain_actions();
        self.publish();
        while !self.ended() {
            self.step().await;
            self.drain_actions();
            self.publish();
        }
        self.finish().await
    }

    /// Registers, retrying while the resource manager is unreachable; adopts the containers of
    /// an earlier attempt. False when the attempt ended instead.
    async fn register(&mut self) -> bool {
        let registration = self.parts.settings.registration.clone();
        let mut failures = 0;
        loop {
            let call = self.rm.register(&registration);
            let result = match tokio::time::timeout(self.parts.settings.call_timeout, call).await {
                Ok(r) => r,
                Err(_) => Err(RmError::Unavailable("registration timed out".into())),
            };
            match result {
                Ok(registered) => {
                    let n = registered.previous_containers.len();
                    self.note(format!(
                        "registered; largest container {} MB / {} vcores{}",
                        registered.max_capability.memory_mb,
                        registered.max_capability.vcores,
                        if n > 0 {
                            format!("; {n} containers from an earlier attempt")
                        } else {
                            String::new()
                        }
                    ));
                    self.adopt(registered.previous_containers);
                    return true;
                }
                Err(RmError::Unavailable(e))
                    if failures + 1 < self.parts.settings.max_consecutive_failures =>
                {
                    failures += 1;
                    self.note(format!(
                        "registration failed ({failures}): {e}; trying again"
                    ));
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => {
                    self.end(Ending::ReporterFailed {
                        message: format!("Could not register with the ResourceManager: {e}"),
                    });
                    return false;
                }
            }
        }
    }

    fn adopt(&mut self, containers: Vec<Container>) {
        if containers.is_empty() {
            return;
        }
        let recovered = containers
            .into_iter()
            .map(|container| RecoveredContainer {
                container,
                executor_id: None,
            })
            .collect();
        for (container, result) in self.allocator.adopt_containers(recovered) {
            match result {
                Ok(executor) => {
                    if let Some(c) = self.allocator.container_of(executor).cloned() {
                        self.track_started(executor, &c, "RUNNING");
                    }
                    self.announce_started(executor);
                }
                Err(e) => self.note(format!("could not adopt {container}: {e}")),
            }
        }
    }

    /// Waits for the next thing to do and does it.
    async fn step(&mut self) {
        let now = self.now();
        let mut due = self.allocator.next_heartbeat(now);
        if let Some(wake) = self.wake_at {
            due = due.min(wake);
        }
        let deadline = self.origin + Duration::from_millis(due);
        tokio::select! {
            biased;
            input = self.parts.inputs.recv(), if self.inputs_open => match input {
                Some(input) => self.on_input(input),
                None => self.inputs_open = false,
            },
            Some(done) = self.launches.join_next(), if !self.launches.is_empty() => {
                if let Ok((container, executor, result)) = done {
                    self.on_launched(container, executor, result);
                }
            }
            _ = tokio::time::sleep_until(deadline) => self.heartbeat().await,
        }
    }

    fn on_input(&mut self, input: Input) {
        match input {
            Input::Targets(update) => match self.allocator.on_targets(update) {
                Ok(true) => {
                    // Wake early, but not sooner than `min_interval` after the last heartbeat.
                    let floor = self.last_heartbeat.map_or(0, |t| {
                        t + u64::try_from(self.parts.settings.min_interval.as_millis()).unwrap_or(0)
                    });
                    self.wake_at = Some(self.now().max(floor));
                }
                Ok(false) => {}
                Err(e) => self.note(format!("targets refused: {e}")),
            },
            Input::Kill { executors, reply } => {
                let unknown = executors
                    .into_iter()
                    .filter(|e| !self.allocator.kill_executor(*e))
                    .collect();
                reply.send(unknown).ok();
            }
            Input::LossReason { executor, reply } => {
                match self.allocator.request_loss_reason(executor) {
                    Ok(LossReasonQuery::Ready(exit)) => {
                        reply.send(Ok(exit)).ok();
                    }
                    Ok(LossReasonQuery::Pending) => {
                        self.loss_queries.entry(executor).or_default().push(reply);
                    }
                    Err(_) => {
                        reply
                            .send(Err(format!(
                                "Fail to find loss reason for non-existent executor {executor}"
                            )))
                            .ok();
                    }
                }
            }
            Input::DriverShutdown => self.allocator.on_driver_shutdown(),
            Input::End(ending) => self.end(ending),
        }
    }

    async fn heartbeat(&mut self) {
        let now = self.now();
        self.wake_at = None;
        self.last_heartbeat = Some(now);
        let mut request: AllocateRequest = self.allocator.next_request(now);
        if !self.carried_releases.is_empty() {
            let mut carried = std::mem::take(&mut self.carried_releases);
            carried.retain(|c| !request.releases.contains(c));
            request.releases.extend(carried);
        }
        self.view.heartbeats += 1;
        let call = self.rm.allocate(&request);
        let result = match tokio::time::timeout(self.parts.settings.call_timeout, call).await {
            Ok(r) => r,
            Err(_) => Err(RmError::Unavailable(format!(
                "no answer within {:?}",
                self.parts.settings.call_timeout
            ))),
        };
        match result {
            Ok(allocation) => {
                self.consecutive_failures = 0;
                for note in allocation.notes {
                    self.note(format!(
                        "ignored part of the ResourceManager's reply: {note}"
                    ));
                }
                let now = self.now();
                self.allocator.on_response(allocation.response, now);
            }
            Err(RmError::NotRegistered(why)) => {
                self.note(format!("{why}; registering again and resending every ask"));
                self.carried_releases = request.releases;
                self.allocator.resync();
                let registration = self.parts.settings.registration.clone();
                if let Err(e) = self.rm.register(&registration).await {
                    self.failed_call(e);
                }
            }
            Err(RmError::AttemptGone(why)) => self.end(Ending::ReporterFailed { message: why }),
            Err(e) => {
                // The request may or may not have reached the RM: the next one carries the whole
                // table (absolute totals, so nothing is asked twice) and the releases again.
                self.carried_releases = request.releases;
                self.allocator.resync();
                self.failed_call(e);
            }
        }
    }

    fn failed_call(&mut self, error: RmError) {
        self.consecutive_failures += 1;
        let n = self.consecutive_failures;
        self.note(format!("heartbeat failed ({n} in a row): {error}"));
        if n >= self.parts.settings.max_consecutive_failures {
            self.end(Ending::ReporterFailed {
                message: format!(
                    "Exception was thrown {n} time(s) from the heartbeat to the ResourceManager; the last: {error}"
                ),
            });
        }
    }

    fn drain_actions(&mut self) {
        while let Some(action) = self.allocator.poll_action() {
            match action {
                Action::Launch {
                    executor_id,
                    profile,
                    container,
                } => self.launch(executor_id, profile, container),
                Action::ExecutorLost {
                    executor_id,
                    container_id,
                    exit,
                } => {
                    self.track_exit(executor_id, &exit);
                    self.note(format!("executor {executor_id} lost: {}", exit.message));
                    self.parts
                        .events
                        .send(AmEvent::ExecutorLost {
                            executor: executor_id,
                            container: container_id,
                            exit,
                        })
                        .ok();
                }
                Action::LossReason { executor_id, exit } => {
                    self.track_exit(executor_id, &exit);
                    for reply in self.loss_queries.remove(&executor_id).unwrap_or_default() {
                        reply.send(Ok(exit.clone())).ok();
                    }
                }
                Action::DecommissionHost { host } => {
                    self.note(format!("host {host} is being decommissioned"));
                    self.parts.events.send(AmEvent::DecommissionHost(host)).ok();
                }
                Action::LaunchTimedOut {
                    executor_id,
                    container_id: container,
                } => {
                    if let Some(handle) = self.launching.remove(&container) {
                        handle.abort();
                    }
                    self.note(format!(
                        "launch of executor {executor_id} in {container} took too long; released"
                    ));
                }
                Action::FailApplication {
                    exit_code: _,
                    message,
                } => self.end(Ending::MaxExecutorFailures { message }),
                Action::Notice(notice) => self.note(notice.to_string()),
            }
        }
    }

    fn launch(&mut self, executor: ExecutorId, profile: ProfileId, container: Container) {
        if self.ended() {
            return;
        }
        self.track_started(executor, &container, "STARTING");
        let launch = (self.parts.launch_for)(executor, profile, &container);
        let starter = self.starter.clone();
        let id = container.id.clone();
        let handle = self.launches.spawn(async move {
            let result = starter.start(&container, &launch).await;
            (container.id.clone(), executor, result)
        });
        self.launching.insert(id, handle);
    }

    fn on_launched(
        &mut self,
        container: ContainerId,
        executor: ExecutorId,
        result: Result<(), String>,
    ) {
        self.launching.remove(&container);
        match result {
            Ok(()) => {
                if self.allocator.on_launch_succeeded(&container).is_ok() {
                    if let Some(view) = self.executors.get_mut(&executor) {
                        view.state = "RUNNING";
                    }
                    self.announce_started(executor);
                }
            }
            Err(e) => {
                self.note(format!(
                    "could not start executor {executor} in {container}: {e}"
                ));
                self.allocator.on_launch_failed(&container).ok();
                if let Some(mut view) = self.executors.remove(&executor) {
                    view.state = "EXITED";
                    view.exit = Some(format!("launch failed: {e}"));
                    self.ended.insert(executor, view);
                }
            }
        }
    }

    /// Tells the driver an executor's container runs.
    fn announce_started(&mut self, executor: ExecutorId) {
        if let Some(container) = self.allocator.container_of(executor).cloned() {
            self.parts
                .events
                .send(AmEvent::ExecutorStarted {
                    executor,
                    container,
                })
                .ok();
        }
    }

    fn track_started(&mut self, executor: ExecutorId, container: &Container, state: &'static str) {
        self.executors.insert(
            executor,
            ExecutorView {
                id: executor.0,
                container: container.id.to_string(),
                host: container.host.to_string(),
                state,
                log_url: self.starter.log_url(&container.id),
                exit: None,
            },
        );
    }

    fn track_exit(&mut self, executor: ExecutorId, exit: &ExecutorExit) {
        if let Some(mut view) = self.executors.remove(&executor) {
            view.state = "EXITED";
            view.exit = Some(exit.message.clone());
            self.ended.insert(executor, view);
        }
    }

    fn publish(&mut self) {
        let now = self.now();
        let a = &self.allocator;
        self.view.profiles = a
            .profile_ids()
            .map(|p| ProfileView {
                profile: p,
                target: a.target(p).unwrap_or(0),
                pending: a.pending(p),
                starting: a.starting(p),
                running: a.running(p),
            })
            .collect();
        self.view.failures = a.failures(now);
        self.view.excluded_nodes = a.excluded_nodes().iter().map(|h| h.to_string()).collect();
        self.view.executors = self
            .executors
            .values()
            .chain(self.ended.iter().map(|(_, v)| v))
            .cloned()
            .collect();
        self.view.events = self.events.iter().map(|(_, e)| e.clone()).collect();
        if let Some(d) = self.parts.outcome.decision() {
            self.view.state = d.status.to_string();
            self.view.diagnostics = Some(d.diagnostics.clone());
        }
        self.parts.status.send_replace(self.view.clone());
    }

    async fn finish(mut self) -> Decision {
        self.launches.abort_all();
        let decision = self
            .parts
            .outcome
            .decision()
            .cloned()
            .expect("the loop ends only once decided");
        if decision.unregister {
            let unregistration = Unregistration {
                status: decision.status,
                diagnostics: crate::outcome::reported_diagnostics(&decision),
                tracking_url: self.parts.settings.final_tracking_url.clone(),
            };
            let timeout = self.parts.settings.unregister_timeout;
            match tokio::time::timeout(timeout, self.rm.unregister(&unregistration)).await {
                Ok(Ok(())) => self.note(format!("unregistered as {}", decision.status)),
                Ok(Err(e)) => self.note(format!("could not unregister: {e}")),
                Err(_) => self.note(format!("could not unregister within {timeout:?}")),
            }
        }
        if self.parts.outcome.take_staging_cleanup()
            && let Some(dir) = self.parts.settings.staging_dir.clone()
        {
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => self.note(format!("removed the staging folder {}", dir.display())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => self.note(format!("could not remove {}: {e}", dir.display())),
            }
        }
        self.publish();
        self.parts
            .events
            .send(AmEvent::Finished(decision.clone()))
            .ok();
        decision
    }
}
