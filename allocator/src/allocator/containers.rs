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

/// Held containers by id and by executor (the two maps always agree), plus released ones.
#[derive(Clone, Debug, Default)]
pub(super) struct ContainerTable {
    by_id: FastMap<ContainerId, ContainerRecord>,
    by_executor: FastMap<ExecutorId, ContainerId>,
    /// Released containers whose completion has not arrived.
    released: FastSet<ContainerId>,
    /// Releases decided but not yet sent.
    unsent: Vec<ContainerId>,
}

impl ContainerTable {
    /// Makes room for `n` more held containers.
    pub(super) fn reserve(&mut self, n: usize) {
        self.by_id.reserve(n);
        self.by_executor.reserve(n);
    }

    /// Holds a container under its executor id.
    pub(super) fn insert(&mut self, record: ContainerRecord) {
        let id = record.container.id.clone();
        self.by_executor.insert(record.executor, id.clone());
        self.by_id.insert(id, record);
    }

    /// Stops holding a container, returning its record.
    pub(super) fn remove(&mut self, id: &ContainerId) -> Option<ContainerRecord> {
        let record = self.by_id.remove(id)?;
        self.by_executor.remove(&record.executor);
        Some(record)
    }

    /// A held container.
    pub(super) fn get(&self, id: &ContainerId) -> Option<&ContainerRecord> {
        self.by_id.get(id)
    }

    /// A held container, to change its state.
    pub(super) fn get_mut(&mut self, id: &ContainerId) -> Option<&mut ContainerRecord> {
        self.by_id.get_mut(id)
    }

    /// The id of the container an executor runs in.
    pub(super) fn id_of(&self, executor: ExecutorId) -> Option<&ContainerId> {
        self.by_executor.get(&executor)
    }

    /// The container an executor runs in.
    pub(super) fn of_executor(&self, executor: ExecutorId) -> Option<&ContainerRecord> {
        self.id_of(executor).and_then(|id| self.by_id.get(id))
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
        self.by_id.iter()
    }
}
