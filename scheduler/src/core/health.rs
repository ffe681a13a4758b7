//! Exclusion of executors and hosts that keep failing tasks (Spark's `HealthTracker`,
//! `spark.excludeOnFailure.*`): failures count only from task sets that went on to succeed,
//! an executor is excluded after `max_failed_tasks_per_executor` of them, a host once
//! `max_failed_executors_per_node` of its executors are, and every exclusion expires after
//! `timeout`.

use std::collections::{BTreeSet, HashMap};

use super::types::{ExecId, Millis};

/// Exclusion settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthConfig {
    /// Whether exclusion is on (`spark.excludeOnFailure.enabled`).
    pub enabled: bool,
    /// Failed tasks (in successful task sets) that exclude an executor (default 2).
    pub max_failed_tasks_per_executor: u32,
    /// Excluded executors that exclude their host (default 2).
    pub max_failed_executors_per_node: u32,
    /// How long an exclusion lasts (default 1 h).
    pub timeout: Millis,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            enabled: true,
            max_failed_tasks_per_executor: 2,
            max_failed_executors_per_node: 2,
            timeout: 3_600_000,
        }
    }
}

/// Who is excluded, until when.
#[derive(Debug, Default)]
pub struct HealthTracker {
    config: HealthConfig,
    failures: HashMap<ExecId, (String, u32)>,
    excluded_execs: HashMap<ExecId, (String, Millis)>,
    excluded_hosts: HashMap<String, Millis>,
}

impl HealthTracker {
    /// A tracker with `config`.
    pub fn new(config: HealthConfig) -> Self {
        HealthTracker {
            config,
            ..HealthTracker::default()
        }
    }

    /// A task set succeeded after these counted failures per executor (on `host_of`'s
    /// hosts). Returns true if the excluded sets changed.
    pub fn task_set_succeeded(
        &mut self,
        failures: &HashMap<ExecId, u32>,
        host_of: impl Fn(&ExecId) -> Option<String>,
        now: Millis,
    ) -> bool {
        if !self.config.enabled {
            return false;
        }
        let mut changed = false;
        for (exec, n) in failures {
            let Some(host) = host_of(exec) else { continue };
            let entry = self
                .failures
                .entry(exec.clone())
                .or_insert((host.clone(), 0));
            entry.1 += n;
            if entry.1 >= self.config.max_failed_tasks_per_executor
                && !self.excluded_execs.contains_key(exec)
            {
                self.excluded_execs
                    .insert(exec.clone(), (host.clone(), now + self.config.timeout));
                changed = true;
                let on_host = self
                    .excluded_execs
                    .values()
                    .filter(|(h, _)| *h == host)
                    .count() as u32;
                if on_host >= self.config.max_failed_executors_per_node {
                    self.excluded_hosts.insert(host, now + self.config.timeout);
                }
            }
        }
        changed
    }

    /// Drops expired exclusions; true if any expired.
    pub fn expire(&mut self, now: Millis) -> bool {
        let before = self.excluded_execs.len() + self.excluded_hosts.len();
        self.excluded_execs.retain(|e, (_, until)| {
            let keep = *until > now;
            if !keep {
                self.failures.remove(e);
            }
            keep
        });
        self.excluded_hosts.retain(|_, until| *until > now);
        before != self.excluded_execs.len() + self.excluded_hosts.len()
    }

    /// Forgets an executor that is gone (its exclusion still counts for its host).
    pub fn executor_removed(&mut self, exec: &ExecId) {
        self.failures.remove(exec);
    }

    /// Whether `exec` on `host` may get tasks.
    pub fn is_excluded(&self, exec: &ExecId, host: &str) -> bool {
        self.excluded_execs.contains_key(exec) || self.excluded_hosts.contains_key(host)
    }

    /// Whether `host` is excluded.
    pub fn is_host_excluded(&self, host: &str) -> bool {
        self.excluded_hosts.contains_key(host)
    }

    /// Excluded hosts, sorted (sent to the AM).
    pub fn excluded_hosts(&self) -> BTreeSet<String> {
        self.excluded_hosts.keys().cloned().collect()
    }

    /// When the next exclusion expires.
    pub fn next_expiry(&self) -> Option<Millis> {
        self.excluded_execs
            .values()
            .map(|(_, t)| *t)
            .chain(self.excluded_hosts.values().copied())
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executors_then_hosts_are_excluded_and_expire() {
        let mut h = HealthTracker::new(HealthConfig {
            timeout: 1000,
            ..HealthConfig::default()
        });
        let host = |_: &ExecId| Some("h1".to_string());
        let one = |e: &str| HashMap::from([(ExecId::from(e), 1)]);
        assert!(!h.task_set_succeeded(&one("1"), host, 0));
        assert!(!h.is_excluded(&"1".into(), "h1"));
        assert!(h.task_set_succeeded(&one("1"), host, 10));
        assert!(h.is_excluded(&"1".into(), "h1"));
        assert!(!h.is_host_excluded("h1"));
        assert!(h.task_set_succeeded(&HashMap::from([(ExecId::from("2"), 2)]), host, 20));
        assert!(h.is_host_excluded("h1"));
        assert!(h.is_excluded(&"3".into(), "h1"), "the whole host");
        assert_eq!(h.next_expiry(), Some(1010));
        assert!(h.expire(1020));
        assert!(!h.is_excluded(&"3".into(), "h1"));
    }

    #[test]
    fn disabled_tracker_excludes_nothing() {
        let mut h = HealthTracker::new(HealthConfig {
            enabled: false,
            ..HealthConfig::default()
        });
        let f = HashMap::from([(ExecId::from("1"), 10)]);
        assert!(!h.task_set_succeeded(&f, |_| Some("h".into()), 0));
        assert!(!h.is_excluded(&"1".into(), "h"));
    }
}
