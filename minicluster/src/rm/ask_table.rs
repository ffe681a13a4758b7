//! YARN's ask table: for each scheduler key (priority, allocation request id, execution type,
//! capability) and resource name (host, rack or `*`), the **total** number of containers still
//! wanted and whether locality may be relaxed to that level. An AM's ask replaces the entry;
//! the scheduler lowers the counts as it allocates.

use std::collections::BTreeMap;

use spindle_protocol::yarn::resources::Resources;

/// Resource name meaning "any node".
pub const ANY: &str = "*";

/// What identifies one kind of request of an attempt.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchedulerKey {
    /// Priority (lower is served first).
    pub priority: i32,
    /// `allocation_request_id` (keeps requests of equal priority apart).
    pub allocation_request_id: i64,
    /// Execution type (GUARANTEED = 1).
    pub execution_type: i32,
    /// Normalized capability.
    pub capability: Resources,
}

/// One entry: how many containers are still wanted there, and whether the scheduler may
/// place them at this level when a narrower level has none (`relax_locality`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ask {
    /// Outstanding containers.
    pub count: i32,
    /// `relax_locality` of the request at this level.
    pub relax: bool,
}

/// An attempt's outstanding asks.
#[derive(Debug, Clone, Default)]
pub struct AskTable {
    entries: BTreeMap<SchedulerKey, BTreeMap<String, Ask>>,
}

impl AskTable {
    /// Sets the total for `(key, name)`; a count of 0 removes the entry.
    pub fn set(&mut self, key: SchedulerKey, name: &str, count: i32, relax: bool) {
        if count <= 0 {
            if let Some(names) = self.entries.get_mut(&key) {
                names.remove(name);
                if names.is_empty() {
                    self.entries.remove(&key);
                }
            }
            return;
        }
        self.entries
            .entry(key)
            .or_default()
            .insert(name.to_string(), Ask { count, relax });
    }

    /// The entry at `(key, name)`.
    pub fn get(&self, key: &SchedulerKey, name: &str) -> Option<Ask> {
        self.entries.get(key).and_then(|n| n.get(name)).copied()
    }

    /// Outstanding count at `(key, name)` (0 when absent).
    pub fn count(&self, key: &SchedulerKey, name: &str) -> i32 {
        self.get(key, name).map(|a| a.count).unwrap_or(0)
    }

    /// Lowers `(key, name)` by one (removing it at 0).
    pub fn decrement(&mut self, key: &SchedulerKey, name: &str) {
        if let Some(ask) = self.get(key, name) {
            self.set(key.clone(), name, ask.count - 1, ask.relax);
        }
    }

    /// Keys that still want containers (an ANY entry with a positive count), highest priority
    /// first.
    pub fn wanted_keys(&self) -> Vec<SchedulerKey> {
        self.entries
            .iter()
            .filter(|(_, names)| names.get(ANY).is_some_and(|a| a.count > 0))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Total resources still wanted (ANY counts × capability).
    pub fn pending(&self) -> Resources {
        let mut total = Resources::default();
        for (key, names) in &self.entries {
            if let Some(any) = names.get(ANY) {
                for _ in 0..any.count.min(100_000) {
                    total.add(&key.capability);
                }
            }
        }
        total
    }

    /// Outstanding containers over all keys (ANY counts).
    pub fn pending_containers(&self) -> i64 {
        self.entries
            .values()
            .filter_map(|n| n.get(ANY))
            .map(|a| i64::from(a.count))
            .sum()
    }

    /// Forgets everything (after an RM restart the AM re-sends its asks).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Whether nothing is outstanding.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(p: i32) -> SchedulerKey {
        SchedulerKey {
            priority: p,
            allocation_request_id: 0,
            execution_type: 1,
            capability: Resources::new(256, 1),
        }
    }

    #[test]
    fn totals_replace_and_decrement() {
        let mut t = AskTable::default();
        t.set(key(1), ANY, 3, true);
        t.set(key(1), "h1", 1, true);
        t.set(key(1), ANY, 2, true);
        assert_eq!(t.count(&key(1), ANY), 2, "an ask replaces the total");
        t.decrement(&key(1), "h1");
        assert_eq!(t.get(&key(1), "h1"), None);
        t.set(key(0), ANY, 1, false);
        t.set(key(5), "h2", 1, true);
        assert_eq!(t.wanted_keys(), vec![key(0), key(1)], "no ANY, not wanted");
        assert_eq!(t.pending(), Resources::new(768, 3));
        t.set(key(1), ANY, 0, true);
        assert_eq!(t.count(&key(1), ANY), 0);
        assert_eq!(t.pending_containers(), 1);
    }
}
