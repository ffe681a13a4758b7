//! Locality levels, the view of live executors the levels are computed against, and the
//! delay-scheduling timer of one task set (Spark's `TaskSetManager.getAllowedLocalityLevel`).

use std::collections::{HashMap, HashSet};

use super::types::{ExecId, Millis};

/// How close a task runs to its input, best first.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Locality {
    /// On an executor that holds the input.
    Process,
    /// On a host that holds the input.
    Node,
    /// On a rack that holds the input.
    Rack,
    /// Anywhere.
    Any,
}

impl Locality {
    /// All levels, best first.
    pub const ALL: [Locality; 4] = [
        Locality::Process,
        Locality::Node,
        Locality::Rack,
        Locality::Any,
    ];
}

/// How long a task set waits at each level before accepting the next (Spark's
/// `spark.locality.wait.*`, 3 s each by default).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LocalityWaits {
    /// Wait at `Process`.
    pub process: Millis,
    /// Wait at `Node`.
    pub node: Millis,
    /// Wait at `Rack`.
    pub rack: Millis,
}

impl Default for LocalityWaits {
    fn default() -> Self {
        LocalityWaits {
            process: 3000,
            node: 3000,
            rack: 3000,
        }
    }
}

impl LocalityWaits {
    /// The wait at `level` (0 at `Any`).
    pub fn at(&self, level: Locality) -> Millis {
        match level {
            Locality::Process => self.process,
            Locality::Node => self.node,
            Locality::Rack => self.rack,
            Locality::Any => 0,
        }
    }
}

/// The live executors, their hosts and the hosts' racks.
#[derive(Clone, Debug, Default)]
pub struct ClusterView {
    executors: HashMap<ExecId, String>,
    hosts: HashMap<String, usize>,
    racks: HashMap<String, String>,
    live_racks: HashMap<String, usize>,
}

impl ClusterView {
    /// A view with `racks` (host → rack) for rack locality; hosts missing from it have no
    /// rack.
    pub fn new(racks: HashMap<String, String>) -> Self {
        ClusterView {
            racks,
            ..ClusterView::default()
        }
    }

    /// Adds a live executor.
    pub fn add(&mut self, exec: ExecId, host: &str) {
        if self.executors.insert(exec, host.to_string()).is_none() {
            *self.hosts.entry(host.to_string()).or_default() += 1;
            if let Some(rack) = self.racks.get(host) {
                *self.live_racks.entry(rack.clone()).or_default() += 1;
            }
        }
    }

    /// Removes an executor.
    pub fn remove(&mut self, exec: &ExecId) {
        let Some(host) = self.executors.remove(exec) else {
            return;
        };
        if let Some(n) = self.hosts.get_mut(&host) {
            *n -= 1;
            if *n == 0 {
                self.hosts.remove(&host);
            }
        }
        if let Some(rack) = self.racks.get(&host)
            && let Some(n) = self.live_racks.get_mut(rack)
        {
            *n -= 1;
            if *n == 0 {
                self.live_racks.remove(rack);
            }
        }
    }

    /// Whether `exec` is live.
    pub fn has_executor(&self, exec: &ExecId) -> bool {
        self.executors.contains_key(exec)
    }

    /// Whether some live executor runs on `host`.
    pub fn has_host(&self, host: &str) -> bool {
        self.hosts.contains_key(host)
    }

    /// Whether some live executor runs on `rack`.
    pub fn has_rack(&self, rack: &str) -> bool {
        self.live_racks.contains_key(rack)
    }

    /// The rack of `host`, if known.
    pub fn rack_of(&self, host: &str) -> Option<&str> {
        self.racks.get(host).map(String::as_str)
    }

    /// Live executors.
    pub fn len(&self) -> usize {
        self.executors.len()
    }

    /// Whether no executor is live.
    pub fn is_empty(&self) -> bool {
        self.executors.is_empty()
    }

    /// The host of a live executor.
    pub fn host_of(&self, exec: &ExecId) -> Option<&str> {
        self.executors.get(exec).map(String::as_str)
    }

    /// Live hosts.
    pub fn hosts(&self) -> HashSet<&str> {
        self.hosts.keys().map(String::as_str).collect()
    }
}

/// The delay-scheduling timer of one task set: which level it may launch at now.
#[derive(Clone, Debug)]
pub struct DelayTimer {
    levels: Vec<Locality>,
    index: usize,
    reset_at: Millis,
}

impl DelayTimer {
    /// A timer over `levels` (best first, ending in `Any`), starting at the best at `now`.
    pub fn new(levels: Vec<Locality>, now: Millis) -> Self {
        debug_assert_eq!(levels.last(), Some(&Locality::Any));
        DelayTimer {
            levels,
            index: 0,
            reset_at: now,
        }
    }

    /// The valid levels.
    pub fn levels(&self) -> &[Locality] {
        &self.levels
    }

    /// Replaces the valid levels (executors came or went), keeping the current level when it
    /// is still valid (Spark resets to the best level it can keep).
    pub fn set_levels(&mut self, levels: Vec<Locality>, now: Millis) {
        let current = self.levels[self.index];
        self.index = levels.iter().position(|l| *l >= current).unwrap_or(0);
        if levels[self.index] != current {
            self.reset_at = now;
        }
        self.levels = levels;
    }

    /// The worst level allowed at `now`. Levels with nothing left to run (`has_tasks` false)
    /// are skipped at once; the others each wait their full time since the last reset.
    pub fn allowed(
        &mut self,
        now: Millis,
        waits: &LocalityWaits,
        mut has_tasks: impl FnMut(Locality) -> bool,
    ) -> Locality {
        while self.index + 1 < self.levels.len() {
            let level = self.levels[self.index];
            if !has_tasks(level) {
                self.index += 1;
                self.reset_at = now;
            } else if now.saturating_sub(self.reset_at) >= waits.at(level) {
                // Move on as if we had moved exactly when the wait ran out, so several levels
                // can expire in one call after a long quiet period.
                self.reset_at += waits.at(level);
                self.index += 1;
            } else {
                return level;
            }
        }
        self.levels[self.index]
    }

    /// A task launched at `level` at `now`: wait afresh from that level (it may be better
    /// than the current one).
    pub fn launched(&mut self, level: Locality, now: Millis) {
        if let Some(i) = self.levels.iter().position(|l| *l == level) {
            self.index = i;
            self.reset_at = now;
        }
    }

    /// When the current level's wait runs out, if it is not the last.
    pub fn next_expiry(&self, waits: &LocalityWaits) -> Option<Millis> {
        (self.index + 1 < self.levels.len())
            .then(|| self.reset_at + waits.at(self.levels[self.index]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_each_level_in_turn() {
        let waits = LocalityWaits {
            process: 100,
            node: 200,
            rack: 300,
        };
        let mut t = DelayTimer::new(Locality::ALL.to_vec(), 0);
        assert_eq!(t.allowed(99, &waits, |_| true), Locality::Process);
        assert_eq!(t.allowed(100, &waits, |_| true), Locality::Node);
        assert_eq!(t.allowed(299, &waits, |_| true), Locality::Node);
        assert_eq!(t.allowed(300, &waits, |_| true), Locality::Rack);
        assert_eq!(t.allowed(600, &waits, |_| true), Locality::Any);
        t.launched(Locality::Node, 700);
        assert_eq!(t.allowed(899, &waits, |_| true), Locality::Node);
        assert_eq!(t.allowed(10_000, &waits, |_| true), Locality::Any);
    }

    #[test]
    fn levels_without_tasks_are_skipped_at_once() {
        let waits = LocalityWaits::default();
        let mut t = DelayTimer::new(Locality::ALL.to_vec(), 0);
        assert_eq!(
            t.allowed(0, &waits, |l| l == Locality::Rack),
            Locality::Rack
        );
    }

    #[test]
    fn cluster_view_counts_hosts_and_racks() {
        let mut v = ClusterView::new([("h1".to_string(), "/r1".to_string())].into());
        v.add("1".into(), "h1");
        v.add("2".into(), "h1");
        v.remove(&"1".into());
        assert!(v.has_host("h1") && v.has_rack("/r1"));
        v.remove(&"2".into());
        assert!(!v.has_host("h1") && !v.has_rack("/r1"));
    }
}
