//! The containers the allocator holds (starting, running, or killed and waiting for their
//! completion), each under its executor id, and the ones it gave back.

use crate::fasthash::{FastMap, FastSet};
use crate::types::{Container, ContainerId, ExecutorId, Millis, ProfileId};

/// Where a held container is in its life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ContainerState {
    /// Launch in progress; `completed` once YARN reported the container finished.
    Starting { since: Millis, completed: bool },
    /// The executor runs.
    Running,
    /// Killed on the driver's request; waiting for the completion.
    Killed,
}

/// A held container and the executor it carries.
#[derive(Clone, Debug)]
pub(super) struct ContainerRecord {
    /// As granted (what the launch action carried).
    pub(super) container: Container,
    /// The profile its priority named.
    pub(super) profile: ProfileId,
    pub(super) executor: ExecutorId,
    pub(super) state: ContainerState,
}

/// Held containers by id and by executor (the two indexes always agree), plus released ones.
#[derive(Clone, Debug, Default)]
pub(super) struct ContainerTable {
    /// The held containers. Records live in one vector and the maps hold positions in it, so
    /// the maps stay small and the records are written in order: with 100,000 containers this
    /// keeps a heartbeat's random memory accesses to a few small tables.
    records: Vec<Option<ContainerRecord>>,
    /// Positions in `records` that are empty, reused first.
    free: Vec<u32>,
    by_id: FastMap<ContainerId, u32>,
    by_executor: FastMap<ExecutorId, u32>,
    /// Released containers whose completion has not arrived.
    released: FastSet<ContainerId>,
    /// Releases decided but not yet sent.
    unsent: Vec<ContainerId>,
}

impl ContainerTable {
    /// Makes room for `n` more held containers.
    pub(super) fn reserve(&mut self, n: usize) {
        self.records.reserve(n.saturating_sub(self.free.len()));
        self.by_id.reserve(n);
        self.by_executor.reserve(n);
    }

    /// Holds a container under its executor id.
    pub(super) fn insert(&mut self, record: ContainerRecord) {
        let at = match self.free.pop() {
            Some(at) => at,
            None => {
                self.records.push(None);
                (self.records.len() - 1) as u32
            }
        };
        self.by_executor.insert(record.executor, at);
        self.by_id.insert(record.container.id.clone(), at);
        self.records[at as usize] = Some(record);
    }

    /// Stops holding a container, returning its record.
    pub(super) fn remove(&mut self, id: &ContainerId) -> Option<ContainerRecord> {
        let at = self.by_id.remove(id)?;
        let record = self.records[at as usize].take()?;
        self.by_executor.remove(&record.executor);
        self.free.push(at);
        Some(record)
    }

    /// A held container.
    pub(super) fn get(&self, id: &ContainerId) -> Option<&ContainerRecord> {
        let &at = self.by_id.get(id)?;
        self.records[at as usize].as_ref()
    }

    /// A held container, to change its state.
    pub(super) fn get_mut(&mut self, id: &ContainerId) -> Option<&mut ContainerRecord> {
        let &at = self.by_id.get(id)?;
        self.records[at as usize].as_mut()
    }

    /// The container an executor runs in.
    pub(super) fn of_executor(&self, executor: ExecutorId) -> Option<&ContainerRecord> {
        let &at = self.by_executor.get(&executor)?;
        self.records[at as usize].as_ref()
    }

    /// The id of the container an executor runs in.
    pub(super) fn id_of(&self, executor: ExecutorId) -> Option<&ContainerId> {
        self.of_executor(executor).map(|r| &r.container.id)
    }

    /// Whether the id is held or was released (a second grant of it is a duplicate).
    pub(super) fn is_known(&self, id: &ContainerId) -> bool {
        // Most responses arrive while both are empty or small: skip hashing then.
        (!self.by_id.is_empty() && self.by_id.contains_key(id))
            || (!self.released.is_empty() && self.released.contains(id))
    }

    /// Gives a container back: it is sent with the next request, once.
    pub(super) fn release(&mut self, id: ContainerId) {
        if self.released.insert(id.clone()) {
            self.unsent.push(id);
        }
    }

    /// Whether the id was released (and forgets that: its completion arrived).
    pub(super) fn take_released(&mut self, id: &ContainerId) -> bool {
        self.released.remove(id)
    }

    /// The releases decided since the last call.
    pub(super) fn take_unsent(&mut self) -> Vec<ContainerId> {
        std::mem::take(&mut self.unsent)
    }

    /// Releases decided but not yet sent.
    pub(super) fn unsent(&self) -> &[ContainerId] {
        &self.unsent
    }

    /// Every held container.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&ContainerId, &ContainerRecord)> {
        self.records.iter().flatten().map(|r| (&r.container.id, r))
    }
}
