//! One resource profile's state: its size, target and the driver's locality hints, its
//! executor counts, its outstanding requests and the ask table the RM was last told.

use std::collections::BTreeMap;

use crate::fasthash::FastMap;
use crate::hosts::HostId;
use crate::matching::RequestBooks;
use crate::profile::ExecutorSizing;
use crate::requests::{AskTable, RequestBook};
use crate::types::{HostName, ProfileId, Resource};

/// The state of one profile (all of it: nothing else is kept per profile).
#[derive(Clone, Debug)]
pub(super) struct Profile {
    /// The container it asks for.
    pub(super) ask: Resource,
    pub(super) executor_cores: u32,
    /// Executors the driver wants.
    pub(super) target: u32,
    /// Pending tasks with a locality preference.
    pub(super) locality_tasks: u32,
    /// Pending tasks per preferred host.
    pub(super) host_tasks: BTreeMap<HostName, u32>,
    /// The ids of `host_tasks`' hosts, in its order.
    pub(super) host_task_ids: Vec<HostId>,
    /// Host id → preferred by the driver.
    preferred: Vec<bool>,
    pub(super) running: u32,
    pub(super) starting: u32,
    /// Launched containers per host (including killed ones until their completion).
    pub(super) host_containers: FastMap<HostName, u32>,
    /// Outstanding requests.
    pub(super) book: RequestBook,
    /// The ask table the RM was last told (empty at the start and after a resync).
    pub(super) last_sent: AskTable,
}

impl Profile {
    /// A profile of this size with this target and nothing else yet.
    pub(super) fn new(sizing: &ExecutorSizing, target: u32) -> Self {
        Self {
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
            book: RequestBook::default(),
            last_sent: AskTable::default(),
        }
    }

    /// Replaces the driver's tasks per host; `ids` are the hosts' ids in the map's order and
    /// every id is below `host_count`.
    pub(super) fn set_host_tasks(
        &mut self,
        tasks: BTreeMap<HostName, u32>,
        ids: Vec<HostId>,
        host_count: usize,
    ) {
        self.preferred = vec![false; host_count];
        for &id in &ids {
            self.preferred[id as usize] = true;
        }
        self.host_tasks = tasks;
        self.host_task_ids = ids;
    }

    /// Whether the driver prefers this host.
    pub(super) fn is_preferred(&self, host: HostId) -> bool {
        self.preferred.get(host as usize).copied().unwrap_or(false)
    }

    /// Whether another executor would still be within the target.
    pub(super) fn wants_more(&self) -> bool {
        self.running + self.starting < self.target
    }

    /// An executor of this profile runs on `host` from now on.
    pub(super) fn start_running(&mut self, host: &HostName) {
        self.running += 1;
        *self.host_containers.entry(host.clone()).or_insert(0) += 1;
    }

    /// A launched container on `host` completed.
    pub(super) fn drop_host_container(&mut self, host: &HostName) {
        if let Some(n) = self.host_containers.get_mut(host) {
            *n -= 1;
            if *n == 0 {
                self.host_containers.remove(host);
            }
        }
    }
}

impl RequestBooks for BTreeMap<ProfileId, Profile> {
    fn book_mut(&mut self, profile: ProfileId) -> Option<&mut RequestBook> {
        self.get_mut(&profile).map(|p| &mut p.book)
    }
}
