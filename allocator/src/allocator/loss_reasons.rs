//! Why executors were lost, for the driver's loss-reason queries: answered at once when the
//! reason is known, later (as an action) when the executor was still alive at the query.

use std::collections::BTreeSet;

use spindle_base::recent::RecentMap;

use super::messages::Action;
use crate::completion::ExecutorExit;
use crate::types::ExecutorId;

/// Pending queries and stored reasons.
#[derive(Clone, Debug)]
pub(super) struct LossReasons {
    /// Executors the driver asked about while they were still alive.
    waiting: BTreeSet<ExecutorId>,
    /// Reasons nobody asked for yet, the oldest forgotten first; `None` stores none.
    stored: Option<RecentMap<ExecutorId, ExecutorExit>>,
}

impl LossReasons {
    /// Keeps at most `capacity` reasons nobody asked for (0: none).
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            waiting: BTreeSet::new(),
            stored: (capacity > 0).then(|| RecentMap::new(capacity)),
        }
    }

    /// The driver asked about a live executor: answer when it is lost.
    pub(super) fn wait_for(&mut self, executor: ExecutorId) {
        self.waiting.insert(executor);
    }

    /// Whether some query waits for its answer (the heartbeat stays fast meanwhile).
    pub(super) fn anyone_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// The stored reason of a lost executor, given once.
    pub(super) fn take_stored(&mut self, executor: ExecutorId) -> Option<ExecutorExit> {
        self.stored.as_mut()?.remove(&executor)
    }

    /// An executor was lost: the answer to a waiting query, or the reason kept for a later
    /// one.
    pub(super) fn deliver(&mut self, executor: ExecutorId, exit: ExecutorExit) -> Option<Action> {
        if self.waiting.remove(&executor) {
            return Some(Action::LossReason {
                executor_id: executor,
                exit,
            });
        }
        if let Some(stored) = &mut self.stored {
            stored.insert(executor, exit);
        }
        None
    }
}
