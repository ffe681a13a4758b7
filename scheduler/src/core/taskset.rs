//! One stage's tasks while they run (Spark's `TaskSetManager`): pending lists per locality,
//! the delay-scheduling timer, attempts, failures and the retry limit.

use std::collections::HashMap;

use bytes::Bytes;

use super::locality::{ClusterView, DelayTimer, Locality, LocalityWaits};
use super::types::{ExecId, JobId, Millis, StageId, TaskError, TaskId, TaskSpec};

/// Where one task of the set stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SlotState {
    /// Waiting for an offer.
    Pending,
    /// This attempt runs.
    Running(TaskId),
    /// Ended (succeeded, failed for good, or killed); never changes again.
    Ended,
}

/// One task (one index) of the set.
#[derive(Debug)]
pub(crate) struct Slot {
    pub(crate) spec: TaskSpec,
    pub(crate) state: SlotState,
    /// Attempts launched so far.
    pub(crate) attempts: u32,
    /// Attempts that failed and counted.
    pub(crate) failures: u32,
    pub(crate) last_error: Option<TaskError>,
    /// Executors it failed on (not retried there while others are live).
    failed_on: Vec<ExecId>,
}

/// Index lists of pending tasks per preferred executor, host and rack. Entries are removed
/// lazily: a list may hold indices that are no longer pending, or twice.
#[derive(Debug, Default)]
struct PendingLists {
    by_exec: HashMap<ExecId, Vec<u32>>,
    by_host: HashMap<String, Vec<u32>>,
    by_rack: HashMap<String, Vec<u32>>,
    no_pref: Vec<u32>,
    all: Vec<u32>,
}

/// What a counted failure led to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FailOutcome {
    /// Pending again.
    Retry,
    /// The task failed as often as allowed: the job fails with this message.
    Abort(String),
}

/// The running state of one stage.
#[derive(Debug)]
pub(crate) struct TaskSet {
    pub(crate) job: JobId,
    pub(crate) stage: StageId,
    /// Index of the job's pool.
    pub(crate) pool: usize,
    /// Cores each task holds.
    pub(crate) cpus: u32,
    pub(crate) slots: Vec<Slot>,
    pending: PendingLists,
    pending_count: usize,
    running: usize,
    ended: usize,
    timer: DelayTimer,
    /// Counted failures per executor, reported to the health tracker if the set succeeds
    /// (Spark only excludes on failures of task sets that went on to succeed).
    pub(crate) failures_by_exec: HashMap<ExecId, u32>,
    /// Aborted or finished: launches nothing more.
    pub(crate) zombie: bool,
    /// Counted failures of one task that fail the set.
    max_failures: u32,
}

fn take_from(
    list: Option<&mut Vec<u32>>,
    slots: &[Slot],
    exec: &ExecId,
    live_executors: usize,
) -> Option<u32> {
    let list = list?;
    while let Some(&last) = list.last() {
        if slots[last as usize].state == SlotState::Pending {
            break;
        }
        list.pop();
    }
    let pos = list.iter().rposition(|&i| {
        let slot = &slots[i as usize];
        slot.state == SlotState::Pending && !slot.excluded_on(exec, live_executors)
    })?;
    Some(list.remove(pos))
}

fn has_pending(list: &mut Vec<u32>, slots: &[Slot]) -> bool {
    list.retain(|&i| slots[i as usize].state == SlotState::Pending);
    !list.is_empty()
}

impl Slot {
    /// A task that failed on `exec` is not retried there while it has not failed on every
    /// live executor (Spark's per-task exclusion, `maxTaskAttemptsPerExecutor` = 1).
    fn excluded_on(&self, exec: &ExecId, live_executors: usize) -> bool {
        self.failed_on.len() < live_executors && self.failed_on.contains(exec)
    }
}

impl TaskSet {
    /// A set of `specs`, all pending, valid levels computed against `view`.
    pub(crate) fn new(
        job: JobId,
        stage: StageId,
        pool: usize,
        cpus: u32,
        specs: Vec<TaskSpec>,
        view: &ClusterView,
        now: Millis,
    ) -> Self {
        let slots: Vec<Slot> = specs
            .into_iter()
            .map(|spec| Slot {
                spec,
                state: SlotState::Pending,
                attempts: 0,
                failures: 0,
                last_error: None,
                failed_on: Vec::new(),
            })
            .collect();
        let mut set = TaskSet {
            job,
            stage,
            pool,
            cpus,
            pending: PendingLists::default(),
            pending_count: slots.len(),
            running: 0,
            ended: 0,
            slots,
            timer: DelayTimer::new(vec![Locality::Any], now),
            failures_by_exec: HashMap::new(),
            zombie: false,
            max_failures: 4,
        };
        // Reverse order so that pops from the end take low indices first.
        for i in (0..set.slots.len() as u32).rev() {
            set.add_pending_index(i, view);
        }
        let levels = set.valid_levels(view);
        set.timer = DelayTimer::new(levels, now);
        set
    }

    fn add_pending_index(&mut self, i: u32, view: &ClusterView) {
        let spec = &self.slots[i as usize].spec;
        let p = &mut self.pending;
        for e in &spec.preferred_executors {
            p.by_exec.entry(e.clone()).or_default().push(i);
        }
        for h in &spec.preferred_hosts {
            p.by_host.entry(h.clone()).or_default().push(i);
            if let Some(rack) = view.rack_of(h) {
                p.by_rack.entry(rack.to_string()).or_default().push(i);
            }
        }
        if spec.preferred_executors.is_empty() && spec.preferred_hosts.is_empty() {
            p.no_pref.push(i);
        }
        p.all.push(i);
    }

    /// Levels at which some pending task could run on a live executor, best first, ending
    /// with `Any` (Spark's `computeValidLocalityLevels`).
    fn valid_levels(&mut self, view: &ClusterView) -> Vec<Locality> {
        let slots = &self.slots;
        let p = &mut self.pending;
        let mut levels = Vec::with_capacity(4);
        if p.by_exec
            .iter_mut()
            .any(|(e, l)| view.has_executor(e) && has_pending(l, slots))
        {
            levels.push(Locality::Process);
        }
        if p.by_host
            .iter_mut()
            .any(|(h, l)| view.has_host(h) && has_pending(l, slots))
        {
            levels.push(Locality::Node);
        }
        if p.by_rack
            .iter_mut()
            .any(|(r, l)| view.has_rack(r) && has_pending(l, slots))
        {
            levels.push(Locality::Rack);
        }
        levels.push(Locality::Any);
        levels
    }

    /// The same set failing after `n` counted failures of one task.
    pub(crate) fn with_max_failures(mut self, n: u32) -> Self {
        self.max_failures = n.max(1);
        self
    }

    /// Executors came or went: recompute the valid levels.
    pub(crate) fn executors_changed(&mut self, view: &ClusterView, now: Millis) {
        let levels = self.valid_levels(view);
        self.timer.set_levels(levels, now);
    }

    /// The valid levels, best first.
    pub(crate) fn levels(&self) -> Vec<Locality> {
        self.timer.levels().to_vec()
    }

    /// The worst level a task may launch at now (delay scheduling).
    pub(crate) fn allowed_level(
        &mut self,
        now: Millis,
        waits: &LocalityWaits,
        view: &ClusterView,
    ) -> Locality {
        let slots = &self.slots;
        let p = &mut self.pending;
        self.timer.allowed(now, waits, |level| match level {
            Locality::Process => p
                .by_exec
                .iter_mut()
                .any(|(e, l)| view.has_executor(e) && has_pending(l, slots)),
            Locality::Node => p
                .by_host
                .iter_mut()
                .any(|(h, l)| view.has_host(h) && has_pending(l, slots)),
            Locality::Rack => p
                .by_rack
                .iter_mut()
                .any(|(r, l)| view.has_rack(r) && has_pending(l, slots)),
            Locality::Any => true,
        })
    }

    /// When the delay timer next moves on, if it can.
    pub(crate) fn next_locality_expiry(&self, waits: &LocalityWaits) -> Option<Millis> {
        (self.pending_count > 0 && !self.zombie)
            .then(|| self.timer.next_expiry(waits))
            .flatten()
    }

    /// A pending task to run on `exec` at `host` at level `max` or better, with the level
    /// it achieves (`None` for a task with no preference).
    pub(crate) fn dequeue(
        &mut self,
        exec: &ExecId,
        host: &str,
        max: Locality,
        view: &ClusterView,
        live_executors: usize,
    ) -> Option<(u32, Option<Locality>)> {
        if self.zombie || self.pending_count == 0 {
            return None;
        }
        let slots = &self.slots;
        let p = &mut self.pending;
        if let Some(i) = take_from(p.by_exec.get_mut(exec), slots, exec, live_executors) {
            return Some((i, Some(Locality::Process)));
        }
        if max >= Locality::Node
            && let Some(i) = take_from(p.by_host.get_mut(host), slots, exec, live_executors)
        {
            return Some((i, Some(Locality::Node)));
        }
        if let Some(i) = take_from(Some(&mut p.no_pref), slots, exec, live_executors) {
            return Some((i, None));
        }
        if max >= Locality::Rack
            && let Some(rack) = view.rack_of(host)
            && let Some(i) = take_from(p.by_rack.get_mut(rack), slots, exec, live_executors)
        {
            return Some((i, Some(Locality::Rack)));
        }
        if max >= Locality::Any
            && let Some(i) = take_from(Some(&mut p.all), slots, exec, live_executors)
        {
            return Some((i, Some(Locality::Any)));
        }
        None
    }

    /// Task `index` was launched as `tid` at `level`.
    pub(crate) fn launched(
        &mut self,
        index: u32,
        tid: TaskId,
        level: Option<Locality>,
        now: Millis,
    ) {
        let slot = &mut self.slots[index as usize];
        debug_assert_eq!(slot.state, SlotState::Pending);
        slot.state = SlotState::Running(tid);
        slot.attempts += 1;
        self.pending_count -= 1;
        self.running += 1;
        // A task without preference says nothing about locality: the timer stays.
        if let Some(level) = level {
            self.timer.launched(level, now);
        }
    }

    /// The running attempt `tid` of `index` ended; false if it was not the running one.
    fn end_attempt(&mut self, index: u32, tid: TaskId) -> bool {
        let slot = &mut self.slots[index as usize];
        if slot.state != SlotState::Running(tid) {
            return false;
        }
        slot.state = SlotState::Pending;
        self.running -= 1;
        true
    }

    fn mark_ended(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        match slot.state {
            SlotState::Pending => self.pending_count -= 1,
            SlotState::Running(_) => self.running -= 1,
            SlotState::Ended => return,
        }
        slot.state = SlotState::Ended;
        self.ended += 1;
    }

    /// Attempt `tid` of `index` succeeded. True if the task ended by it.
    pub(crate) fn succeeded(&mut self, index: u32, tid: TaskId) -> bool {
        if self.slots[index as usize].state != SlotState::Running(tid) {
            return false;
        }
        self.mark_ended(index);
        true
    }

    /// Attempt `tid` of `index` ended without success. `counts` says whether it counts toward
    /// the set's limit. `None` if `tid` was not the running attempt.
    pub(crate) fn attempt_failed(
        &mut self,
        index: u32,
        tid: TaskId,
        exec: &ExecId,
        error: TaskError,
        counts: bool,
        view: &ClusterView,
    ) -> Option<FailOutcome> {
        let max_failures = self.max_failures;
        if !self.end_attempt(index, tid) {
            return None;
        }
        let slot = &mut self.slots[index as usize];
        if counts {
            slot.failures += 1;
            if !slot.failed_on.contains(exec) {
                slot.failed_on.push(exec.clone());
            }
            *self.failures_by_exec.entry(exec.clone()).or_default() += 1;
        }
        let failures = slot.failures;
        let message = error.to_string();
        slot.last_error = Some(error);
        self.pending_count += 1;
        if counts && failures >= max_failures {
            // Left pending but in no list: the caller aborts the set, which ends it.
            return Some(FailOutcome::Abort(format!(
                "Task {index} in {} failed {failures} times, most recent failure: {message}",
                self.stage
            )));
        }
        self.add_pending_index(index, view);
        Some(FailOutcome::Retry)
    }

    /// Ends every task that has not ended (the job failed or was cancelled). Returns the
    /// indices ended and the attempts still running, to kill.
    pub(crate) fn abort(&mut self) -> (Vec<u32>, Vec<TaskId>) {
        self.zombie = true;
        let mut ended = Vec::new();
        let mut running = Vec::new();
        for i in 0..self.slots.len() as u32 {
            match self.slots[i as usize].state {
                SlotState::Ended => continue,
                SlotState::Running(tid) => running.push(tid),
                SlotState::Pending => {}
            }
            self.mark_ended(i);
            ended.push(i);
        }
        (ended, running)
    }

    /// Ends task `index` without an event (the caller reported how it ended).
    pub(crate) fn end_quietly(&mut self, index: u32) {
        self.mark_ended(index);
    }

    /// Tasks waiting for an offer.
    pub(crate) fn pending(&self) -> usize {
        if self.zombie { 0 } else { self.pending_count }
    }

    /// Attempts running.
    pub(crate) fn running(&self) -> usize {
        self.running
    }

    /// Whether every task ended.
    pub(crate) fn all_ended(&self) -> bool {
        self.ended == self.slots.len()
    }

    /// Pending tasks' preferred hosts (for the AM's locality hints).
    pub(crate) fn pending_preferences(&self) -> impl Iterator<Item = &[String]> {
        self.slots
            .iter()
            .filter(|s| s.state == SlotState::Pending && !self.zombie)
            .map(|s| s.spec.preferred_hosts.as_slice())
    }
}

/// Intermediate results of a stage, by index.
pub(crate) type StageResults = Vec<Option<Bytes>>;
