//! The TaskScheduler (Spark's `DAGScheduler` + `TaskSchedulerImpl`, reduced to what runs
//! without a shuffle service): jobs are small DAGs of stages, a stage's task set starts when
//! its parents finished, results flow back through the driver, offers are matched to task
//! sets in pool order with delay scheduling, failed tasks are retried up to a limit, and
//! executors that keep failing are excluded. Sans-IO: every input takes `now`, outputs are
//! [`SchedEvent`]s.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use bytes::Bytes;

use super::health::{HealthConfig, HealthTracker};
use super::locality::{ClusterView, Locality, LocalityWaits};
use super::pool::{DEFAULT_POOL, Pool, PoolConfig, SchedulingMode, fair_order};
use super::taskset::{FailOutcome, StageResults, TaskSet};
use super::types::{
    ExecId, JobId, LossReason, Millis, StageId, TaskEnd, TaskError, TaskId, TaskKind, TaskSpec,
    TaskUpdate,
};

/// Builds a stage's tasks from its parents' results (index-ordered per parent, parents in
/// the order the stage lists them).
pub type TaskGenerator =
    Box<dyn FnOnce(&[Vec<Bytes>]) -> Result<Vec<TaskSpec>, String> + Send + 'static>;

/// How a stage gets its tasks.
pub enum StageTasks {
    /// Known at submission.
    Fixed(Vec<TaskSpec>),
    /// Made from the parents' results once they are all in.
    FromParents(TaskGenerator),
}

impl std::fmt::Debug for StageTasks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StageTasks::Fixed(t) => write!(f, "Fixed({} tasks)", t.len()),
            StageTasks::FromParents(_) => f.write_str("FromParents(..)"),
        }
    }
}

/// One stage of a job.
#[derive(Debug)]
pub struct StageSpec {
    /// Indices (within the job) of the stages whose results it needs; each must be lower
    /// than this stage's own index, which keeps the graph acyclic.
    pub parents: Vec<usize>,
    /// Its tasks.
    pub tasks: StageTasks,
}

impl StageSpec {
    /// A stage with no parents and these tasks.
    pub fn new(tasks: Vec<TaskSpec>) -> Self {
        StageSpec {
            parents: Vec::new(),
            tasks: StageTasks::Fixed(tasks),
        }
    }

    /// A stage made from its parents' results.
    pub fn from_parents(
        parents: Vec<usize>,
        make: impl FnOnce(&[Vec<Bytes>]) -> Result<Vec<TaskSpec>, String> + Send + 'static,
    ) -> Self {
        StageSpec {
            parents,
            tasks: StageTasks::FromParents(Box::new(make)),
        }
    }
}

/// A job: stages, and the pool it runs in.
#[derive(Debug, Default)]
pub struct JobSpec {
    /// Stages; those no other stage depends on are the job's results.
    pub stages: Vec<StageSpec>,
    /// FAIR pool name (`default` when `None`).
    pub pool: Option<String>,
    /// Cores each task holds (Spark's `spark.task.cpus`; 0 means 1).
    pub cpus_per_task: u32,
}

impl JobSpec {
    /// A job of one stage with these tasks, in the default pool, one core per task.
    pub fn one_stage(tasks: Vec<TaskSpec>) -> Self {
        JobSpec {
            stages: vec![StageSpec::new(tasks)],
            ..JobSpec::default()
        }
    }
}

/// Why a job was refused at submission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// The job has no stage.
    #[error("a job needs at least one stage")]
    NoStages,
    /// A stage names a parent that is not before it.
    #[error("stage {stage} names parent {parent}; parents must be earlier stages of the job")]
    BadParent {
        /// The stage's index.
        stage: usize,
        /// The parent named.
        parent: usize,
    },
    /// A task is larger than the driver sends.
    #[error(
        "task {index} of stage {stage} is {len} bytes, over the limit of {max} bytes (max_task_bytes); ship large inputs as files and pass their paths"
    )]
    TaskTooLarge {
        /// The stage's index in the job.
        stage: usize,
        /// The task's index.
        index: usize,
        /// Its payload size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The pool is not configured.
    #[error("no scheduling pool named {0:?}; configure it in SchedulerConfig::pools")]
    UnknownPool(String),
    /// The driver is stopping.
    #[error("the driver is stopping; no new jobs")]
    Stopping,
    /// A task needs more cores than an executor may have.
    #[error("a task needs {0} cores; at most {max}", max = crate::limits::MAX_EXECUTOR_CORES)]
    TooManyCpus(u32),
}

/// TaskScheduler settings.
#[derive(Clone, Debug)]
pub struct SchedulerConfig {
    /// Attempts a task may fail (counted failures) before its job fails (Spark's
    /// `spark.task.maxFailures`, 4).
    pub max_task_failures: u32,
    /// Delay-scheduling waits.
    pub locality_waits: LocalityWaits,
    /// FIFO or FAIR.
    pub mode: SchedulingMode,
    /// FAIR pools besides `default`.
    pub pools: Vec<PoolConfig>,
    /// Exclusion on failure.
    pub health: HealthConfig,
    /// Host → rack, for rack locality.
    pub racks: HashMap<String, String>,
    /// Largest task payload sent.
    pub max_task_bytes: usize,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            max_task_failures: 4,
            locality_waits: LocalityWaits::default(),
            mode: SchedulingMode::Fifo,
            pools: Vec::new(),
            health: HealthConfig::default(),
            racks: HashMap::new(),
            max_task_bytes: crate::limits::DEFAULT_MAX_TASK_BYTES,
        }
    }
}

/// Free cores on one executor, offered to the scheduler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// The executor.
    pub exec: ExecId,
    /// Its host.
    pub host: String,
    /// Free cores; decremented as tasks are placed.
    pub free: u32,
}

/// A task attempt placed on an executor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    /// The attempt.
    pub tid: TaskId,
    /// Where.
    pub exec: ExecId,
    /// Its job.
    pub job: JobId,
    /// Its stage.
    pub stage: StageId,
    /// Its index in the stage.
    pub index: u32,
    /// 0 for the first attempt.
    pub attempt: u32,
    /// Cores it holds.
    pub cpus: u32,
    /// What it runs.
    pub kind: TaskKind,
    /// The locality it got (`None`: the task had no preference).
    pub locality: Option<Locality>,
}

/// What the scheduler tells its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchedEvent {
    /// A task (one index of a stage) ended; exactly once per index.
    TaskEnded {
        /// The job.
        job: JobId,
        /// The stage.
        stage: StageId,
        /// The index.
        index: u32,
        /// How.
        end: TaskEnd,
    },
    /// A task of one of the job's result stages succeeded with this output.
    TaskResult {
        /// The job.
        job: JobId,
        /// The stage's index within the job.
        stage_index: usize,
        /// The task's index.
        index: u32,
        /// Its output.
        result: Bytes,
    },
    /// Every stage of the job succeeded.
    JobSucceeded(JobId),
    /// The job failed (or was cancelled) with this message.
    JobFailed(JobId, String),
    /// Kill this running attempt.
    KillTask {
        /// The attempt.
        tid: TaskId,
        /// Its executor.
        exec: ExecId,
        /// Why.
        reason: String,
    },
    /// The excluded executors or hosts changed.
    ExclusionChanged,
}

#[derive(Debug)]
enum StageState {
    Waiting {
        parents_left: usize,
        tasks: Option<StageTasks>,
    },
    Running(StageId),
    Done,
}

#[derive(Debug)]
struct Job {
    pool: usize,
    cpus: u32,
    stages: Vec<StageState>,
    parents: Vec<Vec<usize>>,
    children: Vec<Vec<usize>>,
    /// Results of stages some other stage depends on.
    results: Vec<StageResults>,
    stages_left: usize,
}

#[derive(Debug, Clone)]
struct Attempt {
    stage: StageId,
    index: u32,
    exec: ExecId,
    cpus: u32,
}

/// The scheduler.
#[derive(Debug)]
pub struct TaskScheduler {
    config: SchedulerConfig,
    view: ClusterView,
    pools: Vec<Pool>,
    jobs: BTreeMap<JobId, Job>,
    sets: BTreeMap<StageId, TaskSet>,
    stage_owner: HashMap<StageId, (JobId, usize)>,
    attempts: HashMap<TaskId, Attempt>,
    by_exec: HashMap<ExecId, HashSet<TaskId>>,
    health: HealthTracker,
    events: VecDeque<SchedEvent>,
    next_job: u32,
    next_stage: u32,
    next_tid: u64,
    offer_rotation: usize,
}

impl TaskScheduler {
    /// A scheduler with no executors and no jobs.
    pub fn new(config: SchedulerConfig) -> Self {
        let mut pools = vec![Pool {
            config: PoolConfig::new(DEFAULT_POOL),
            running: 0,
        }];
        for p in &config.pools {
            if p.name != DEFAULT_POOL {
                pools.push(Pool {
                    config: p.clone(),
                    running: 0,
                });
            } else {
                pools[0].config = p.clone();
            }
        }
        TaskScheduler {
            view: ClusterView::new(config.racks.clone()),
            health: HealthTracker::new(config.health.clone()),
            config,
            pools,
            jobs: BTreeMap::new(),
            sets: BTreeMap::new(),
            stage_owner: HashMap::new(),
            attempts: HashMap::new(),
            by_exec: HashMap::new(),
            events: VecDeque::new(),
            next_job: 0,
            next_stage: 0,
            next_tid: 0,
            offer_rotation: 0,
        }
    }

    /// The settings.
    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<SchedEvent> {
        self.events.pop_front()
    }

    /// Submits a job; its parentless stages start at once.
    pub fn submit(&mut self, spec: JobSpec, now: Millis) -> Result<JobId, SubmitError> {
        if spec.stages.is_empty() {
            return Err(SubmitError::NoStages);
        }
        let cpus = spec.cpus_per_task.max(1);
        if cpus > crate::limits::MAX_EXECUTOR_CORES {
            return Err(SubmitError::TooManyCpus(cpus));
        }
        let pool_name = spec.pool.as_deref().unwrap_or(DEFAULT_POOL);
        let pool = self
            .pools
            .iter()
            .position(|p| p.config.name == pool_name)
            .ok_or_else(|| SubmitError::UnknownPool(pool_name.to_string()))?;
        let n = spec.stages.len();
        let mut children = vec![Vec::new(); n];
        let mut parents = Vec::with_capacity(n);
        for (i, stage) in spec.stages.iter().enumerate() {
            for &p in &stage.parents {
                if p >= i {
                    return Err(SubmitError::BadParent {
                        stage: i,
                        parent: p,
                    });
                }
                children[p].push(i);
            }
            parents.push(stage.parents.clone());
            if let StageTasks::Fixed(tasks) = &stage.tasks {
                self.check_sizes(i, tasks)?;
            }
        }
        let id = JobId(self.next_job);
        self.next_job += 1;
        let stages = spec
            .stages
            .into_iter()
            .map(|s| StageState::Waiting {
                parents_left: s.parents.len(),
                tasks: Some(s.tasks),
            })
            .collect();
        self.jobs.insert(
            id,
            Job {
                pool,
                cpus,
                stages,
                parents,
                children,
                results: vec![Vec::new(); n],
                stages_left: n,
            },
        );
        for i in 0..n {
            self.maybe_start_stage(id, i, now);
        }
        Ok(id)
    }

    fn check_sizes(&self, stage: usize, tasks: &[TaskSpec]) -> Result<(), SubmitError> {
        let max = self.config.max_task_bytes;
        match tasks
            .iter()
            .enumerate()
            .find(|(_, t)| t.kind.payload_len() > max)
        {
            Some((index, t)) => Err(SubmitError::TaskTooLarge {
                stage,
                index,
                len: t.kind.payload_len(),
                max,
            }),
            None => Ok(()),
        }
    }

    /// Starts stage `i` of `job` if it waits and its parents are done.
    fn maybe_start_stage(&mut self, job_id: JobId, i: usize, now: Millis) {
        let Some(job) = self.jobs.get_mut(&job_id) else {
            return;
        };
        let StageState::Waiting {
            parents_left: 0,
            tasks,
        } = &mut job.stages[i]
        else {
            return;
        };
        let tasks = tasks.take().expect("a waiting stage holds its tasks");
        let specs = match tasks {
            StageTasks::Fixed(specs) => Ok(specs),
            StageTasks::FromParents(make) => {
                let inputs: Vec<Vec<Bytes>> = job.parents[i]
                    .iter()
                    .map(|&p| {
                        job.results[p]
                            .iter()
                            .map(|r| r.clone().unwrap_or_default())
                            .collect()
                    })
                    .collect();
                make(&inputs)
                    .map_err(|e| format!("stage {i} could not be built from its parents: {e}"))
                    .and_then(|specs| {
                        self.check_sizes(i, &specs)
                            .map(|()| specs)
                            .map_err(|e| e.to_string())
                    })
            }
        };
        let specs = match specs {
            Ok(s) => s,
            Err(message) => {
                self.fail_job(job_id, message);
                return;
            }
        };
        let job = self.jobs.get_mut(&job_id).expect("checked above");
        let stage = StageId(self.next_stage);
        self.next_stage += 1;
        if !job.children[i].is_empty() {
            job.results[i] = vec![None; specs.len()];
        }
        let empty = specs.is_empty();
        let set = TaskSet::new(job_id, stage, job.pool, job.cpus, specs, &self.view, now)
            .with_max_failures(self.config.max_task_failures);
        job.stages[i] = StageState::Running(stage);
        self.stage_owner.insert(stage, (job_id, i));
        self.sets.insert(stage, set);
        if empty {
            self.stage_done(stage, now);
        }
    }

    /// Cancels a job: its tasks end as killed, running attempts are killed.
    pub fn cancel(&mut self, job: JobId, reason: &str) -> bool {
        if !self.jobs.contains_key(&job) {
            return false;
        }
        self.fail_job(job, format!("Job {} cancelled: {reason}", job.0));
        true
    }

    /// Ends `job` as failed: every task not ended ends killed (the failing one was ended by
    /// the caller), attempts get kill commands.
    fn fail_job(&mut self, job_id: JobId, message: String) {
        let Some(job) = self.jobs.remove(&job_id) else {
            return;
        };
        for state in job.stages {
            match state {
                StageState::Running(stage) => {
                    self.stage_owner.remove(&stage);
                    if let Some(mut set) = self.sets.remove(&stage) {
                        self.pools[set.pool].running -= set.running();
                        let (ended, running) = set.abort();
                        for index in ended {
                            self.events.push_back(SchedEvent::TaskEnded {
                                job: job_id,
                                stage,
                                index,
                                end: TaskEnd::Killed,
                            });
                        }
                        for tid in running {
                            if let Some(a) = self.attempts.get(&tid) {
                                self.events.push_back(SchedEvent::KillTask {
                                    tid,
                                    exec: a.exec.clone(),
                                    reason: message.clone(),
                                });
                            }
                        }
                    }
                }
                StageState::Waiting { .. } | StageState::Done => {}
            }
        }
        self.events
            .push_back(SchedEvent::JobFailed(job_id, message));
    }

    /// An executor joined.
    pub fn executor_added(&mut self, exec: ExecId, host: &str, now: Millis) {
        self.view.add(exec, host);
        for set in self.sets.values_mut() {
            set.executors_changed(&self.view, now);
        }
    }

    /// An executor left: its running attempts end, counting toward their limit when the loss
    /// is the application's fault.
    pub fn executor_lost(&mut self, exec: &ExecId, reason: &LossReason, now: Millis) {
        self.view.remove(exec);
        self.health.executor_removed(exec);
        let tids: Vec<TaskId> = self
            .by_exec
            .remove(exec)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        let mut tids = tids;
        tids.sort();
        for tid in tids {
            let error = TaskError::new(format!(
                "Executor {exec} lost while running the task: {}",
                reason.message
            ));
            self.attempt_ended(tid, error, reason.caused_by_app);
        }
        for set in self.sets.values_mut() {
            set.executors_changed(&self.view, now);
        }
    }

    /// A status from `exec` for attempt `tid`. Returns the cores it frees (an ended attempt
    /// the executor held); `None` for a running update or an attempt it does not hold.
    pub fn status_update(
        &mut self,
        exec: &ExecId,
        tid: TaskId,
        update: TaskUpdate,
        now: Millis,
    ) -> Option<u32> {
        match self.attempts.get(&tid) {
            Some(a) if a.exec == *exec => {}
            _ => return None,
        }
        let cpus = self.attempts[&tid].cpus;
        match update {
            TaskUpdate::Running => return None,
            TaskUpdate::Finished(result) => self.attempt_succeeded(tid, result, now),
            TaskUpdate::Failed(error) => self.attempt_ended(tid, error, true),
            TaskUpdate::Killed(reason) => {
                self.attempt_ended(tid, TaskError::new(format!("killed: {reason}")), false)
            }
            TaskUpdate::Lost(error) => self.attempt_ended(tid, error, false),
        }
        Some(cpus)
    }

    fn forget_attempt(&mut self, tid: TaskId) -> Option<Attempt> {
        let a = self.attempts.remove(&tid)?;
        if let Some(set) = self.by_exec.get_mut(&a.exec) {
            set.remove(&tid);
        }
        Some(a)
    }

    /// Ends attempt `tid`: forgets it, lets its task set take the outcome (`end` answers `None`
    /// when the set ignores it, e.g. a late duplicate), and frees its slot in its pool. `None`
    /// when the attempt or its set is gone or the set ignored it.
    fn end_attempt<R>(
        &mut self,
        tid: TaskId,
        end: impl FnOnce(&mut TaskSet, &Attempt, &ClusterView) -> Option<R>,
    ) -> Option<(Attempt, R)> {
        let a = self.forget_attempt(tid)?;
        let set = self.sets.get_mut(&a.stage)?;
        let outcome = end(set, &a, &self.view)?;
        self.pools[set.pool].running -= 1;
        Some((a, outcome))
    }

    fn attempt_succeeded(&mut self, tid: TaskId, result: Bytes, now: Millis) {
        let Some((a, ())) =
            self.end_attempt(tid, |set, a, _| set.succeeded(a.index, tid).then_some(()))
        else {
            return;
        };
        let (job_id, stage_index) = self.stage_owner[&a.stage];
        self.events.push_back(SchedEvent::TaskEnded {
            job: job_id,
            stage: a.stage,
            index: a.index,
            end: TaskEnd::Succeeded,
        });
        let job = self
            .jobs
            .get_mut(&job_id)
            .expect("a running stage has its job");
        if job.children[stage_index].is_empty() {
            self.events.push_back(SchedEvent::TaskResult {
                job: job_id,
                stage_index,
                index: a.index,
                result,
            });
        } else {
            job.results[stage_index][a.index as usize] = Some(result);
        }
        if self.sets[&a.stage].all_ended() {
            self.stage_done(a.stage, now);
        }
    }

    fn attempt_ended(&mut self, tid: TaskId, error: TaskError, counts: bool) {
        let Some((a, outcome)) = self.end_attempt(tid, |set, a, view| {
            set.attempt_failed(a.index, tid, &a.exec, error.clone(), counts, view)
        }) else {
            return;
        };
        if let FailOutcome::Abort(message) = outcome {
            let (job_id, _) = self.stage_owner[&a.stage];
            self.events.push_back(SchedEvent::TaskEnded {
                job: job_id,
                stage: a.stage,
                index: a.index,
                end: TaskEnd::Failed(error),
            });
            // The failed index is pending but in no list; abort ends it without a second event.
            if let Some(set) = self.sets.get_mut(&a.stage) {
                set.end_quietly(a.index);
            }
            self.fail_job(job_id, message);
        }
    }

    fn stage_done(&mut self, stage: StageId, now: Millis) {
        let Some(set) = self.sets.remove(&stage) else {
            return;
        };
        let Some((job_id, i)) = self.stage_owner.remove(&stage) else {
            return;
        };
        if !set.failures_by_exec.is_empty() {
            let view = &self.view;
            let hosts: HashMap<ExecId, String> = set
                .failures_by_exec
                .keys()
                .filter_map(|e| view_host(view, e).map(|h| (e.clone(), h)))
                .collect();
            if self
                .health
                .task_set_succeeded(&set.failures_by_exec, |e| hosts.get(e).cloned(), now)
            {
                self.events.push_back(SchedEvent::ExclusionChanged);
            }
        }
        let Some(job) = self.jobs.get_mut(&job_id) else {
            return;
        };
        job.stages[i] = StageState::Done;
        job.stages_left -= 1;
        if job.stages_left == 0 {
            self.jobs.remove(&job_id);
            self.events.push_back(SchedEvent::JobSucceeded(job_id));
            return;
        }
        let children = job.children[i].clone();
        for c in children {
            if let Some(job) = self.jobs.get_mut(&job_id)
                && let StageState::Waiting { parents_left, .. } = &mut job.stages[c]
            {
                *parents_left -= 1;
            }
            self.maybe_start_stage(job_id, c, now);
        }
        // Free intermediate results no waiting stage needs any more.
        if let Some(job) = self.jobs.get_mut(&job_id) {
            for p in 0..job.results.len() {
                let needed = job.children[p]
                    .iter()
                    .any(|&c| matches!(job.stages[c], StageState::Waiting { .. }));
                if !needed {
                    job.results[p] = Vec::new();
                }
            }
        }
    }

    /// Places pending tasks on `offers` (free cores are decremented), best task set first,
    /// each at the best locality its delay timer allows. `check` refuses a task an executor
    /// cannot run (an unknown function): its job fails with that message.
    pub fn resource_offers(
        &mut self,
        offers: &mut [Offer],
        now: Millis,
        check: impl Fn(&ExecId, &TaskKind) -> Result<(), String>,
    ) -> Vec<Launch> {
        let mut launches = Vec::new();
        if offers.is_empty() || self.sets.is_empty() {
            return launches;
        }
        if self.health.expire(now) {
            self.events.push_back(SchedEvent::ExclusionChanged);
        }
        // Rotate the start so equal offers share the work (Spark shuffles them).
        self.offer_rotation = self.offer_rotation.wrapping_add(1);
        let start = self.offer_rotation % offers.len();
        offers.rotate_left(start);
        let live = self.view.len();
        for stage in self.ordered_sets() {
            let Some(set) = self.sets.get_mut(&stage) else {
                continue;
            };
            if set.pending() == 0 {
                continue;
            }
            let allowed = set.allowed_level(now, &self.config.locality_waits, &self.view);
            let mut refused = None;
            'levels: for level in set.levels().into_iter().filter(|l| *l <= allowed) {
                loop {
                    let mut placed = false;
                    for offer in offers.iter_mut() {
                        if offer.free < set.cpus
                            || self.health.is_excluded(&offer.exec, &offer.host)
                        {
                            continue;
                        }
                        let Some((index, got)) =
                            set.dequeue(&offer.exec, &offer.host, level, &self.view, live)
                        else {
                            continue;
                        };
                        let slot = &set.slots[index as usize];
                        if let Err(e) = check(&offer.exec, &slot.spec.kind) {
                            refused = Some((index, e));
                            break 'levels;
                        }
                        let tid = TaskId(self.next_tid);
                        self.next_tid += 1;
                        let attempt = slot.attempts;
                        let kind = slot.spec.kind.clone();
                        set.launched(index, tid, got, now);
                        offer.free -= set.cpus;
                        self.pools[set.pool].running += 1;
                        self.attempts.insert(
                            tid,
                            Attempt {
                                stage,
                                index,
                                exec: offer.exec.clone(),
                                cpus: set.cpus,
                            },
                        );
                        self.by_exec
                            .entry(offer.exec.clone())
                            .or_default()
                            .insert(tid);
                        launches.push(Launch {
                            tid,
                            exec: offer.exec.clone(),
                            job: set.job,
                            stage,
                            index,
                            attempt,
                            cpus: set.cpus,
                            kind,
                            locality: got,
                        });
                        placed = true;
                    }
                    if !placed {
                        break;
                    }
                }
            }
            if let Some((index, message)) = refused {
                let job = set.job;
                self.events.push_back(SchedEvent::TaskEnded {
                    job,
                    stage,
                    index,
                    end: TaskEnd::Failed(TaskError::new(message.clone())),
                });
                set.end_quietly(index);
                self.fail_job(job, message);
            }
        }
        launches
    }

    /// Task sets in the order they get offers: FIFO by (job, stage), or FAIR by pool then
    /// FIFO inside the pool.
    fn ordered_sets(&self) -> Vec<StageId> {
        let mut keys: Vec<(usize, JobId, StageId)> = self
            .sets
            .iter()
            .filter(|(_, s)| s.pending() > 0)
            .map(|(id, s)| (s.pool, s.job, *id))
            .collect();
        match self.config.mode {
            SchedulingMode::Fifo => keys.sort_by_key(|&(_, j, s)| (j, s)),
            SchedulingMode::Fair => {
                let pools = &self.pools;
                keys.sort_by(|a, b| {
                    fair_order(&pools[a.0], &pools[b.0]).then((a.1, a.2).cmp(&(b.1, b.2)))
                });
            }
        }
        keys.into_iter().map(|(_, _, s)| s).collect()
    }

    /// Pending (not yet launched) tasks over all jobs.
    pub fn pending_tasks(&self) -> usize {
        self.sets.values().map(TaskSet::pending).sum()
    }

    /// Running attempts.
    pub fn running_tasks(&self) -> usize {
        self.attempts.len()
    }

    /// Running attempts on `exec`.
    pub fn running_on(&self, exec: &ExecId) -> usize {
        self.by_exec.get(exec).map_or(0, HashSet::len)
    }

    /// Pending tasks that prefer some host, and how many prefer each host (the AM's
    /// locality hints).
    pub fn locality_hints(&self) -> (u32, BTreeMap<String, u32>) {
        let mut aware = 0;
        let mut hosts = BTreeMap::new();
        for set in self.sets.values() {
            for prefs in set.pending_preferences() {
                if prefs.is_empty() {
                    continue;
                }
                aware += 1;
                for h in prefs {
                    *hosts.entry(h.clone()).or_insert(0) += 1;
                }
            }
        }
        (aware, hosts)
    }

    /// Whether `exec` on `host` is excluded from getting tasks.
    pub fn is_excluded(&self, exec: &ExecId, host: &str) -> bool {
        self.health.is_excluded(exec, host)
    }

    /// Whether `host` is excluded.
    pub fn is_host_excluded(&self, host: &str) -> bool {
        self.health.is_host_excluded(host)
    }

    /// Excluded hosts, sorted.
    pub fn excluded_hosts(&self) -> std::collections::BTreeSet<String> {
        self.health.excluded_hosts()
    }

    /// Jobs not finished.
    pub fn active_jobs(&self) -> Vec<JobId> {
        self.jobs.keys().copied().collect()
    }

    /// The earliest time a timer (delay scheduling, exclusion expiry) needs a new offer.
    pub fn next_timeout(&self) -> Option<Millis> {
        let waits = &self.config.locality_waits;
        self.sets
            .values()
            .filter_map(|s| s.next_locality_expiry(waits))
            .chain(self.health.next_expiry())
            .min()
    }
}

fn view_host(view: &ClusterView, exec: &ExecId) -> Option<String> {
    view.host_of(exec).map(str::to_string)
}
