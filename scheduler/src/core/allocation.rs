//! How many executors the driver asks the AM for (Spark's `ExecutorAllocationManager`): a
//! static total, or with dynamic allocation more executors while tasks wait (added
//! exponentially: 1, 2, 4, … per sustained-backlog interval, capped by what the tasks can
//! use) and idle executors released after a timeout.

use super::types::Millis;

/// Allocation settings (Spark's `spark.dynamicAllocation.*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllocationConfig {
    /// Dynamic allocation on (`spark.dynamicAllocation.enabled`, default false).
    pub dynamic: bool,
    /// The total at start (`spark.executor.instances`, or `initialExecutors`).
    pub initial: u32,
    /// Lower bound with dynamic allocation.
    pub min: u32,
    /// Upper bound with dynamic allocation.
    pub max: u32,
    /// Tasks waiting this long trigger the first request (`schedulerBacklogTimeout`, 1 s).
    pub backlog_timeout: Millis,
    /// Then every this long while they still wait (`sustainedSchedulerBacklogTimeout`, 1 s).
    pub sustained_backlog_timeout: Millis,
    /// An executor with no task for this long is released (`executorIdleTimeout`, 60 s).
    pub idle_timeout: Millis,
}

impl Default for AllocationConfig {
    fn default() -> Self {
        AllocationConfig {
            dynamic: false,
            initial: 2,
            min: 0,
            max: u32::MAX,
            backlog_timeout: 1000,
            sustained_backlog_timeout: 1000,
            idle_timeout: 60_000,
        }
    }
}

/// The current target and the backlog timer.
#[derive(Clone, Debug)]
pub struct Allocation {
    config: AllocationConfig,
    target: u32,
    add_at: Option<Millis>,
    to_add: u32,
}

impl Allocation {
    /// Starts at the initial total (clamped to `min..=max` when dynamic).
    pub fn new(config: AllocationConfig) -> Self {
        let target = if config.dynamic {
            config.initial.clamp(config.min, config.max.max(config.min))
        } else {
            config.initial
        };
        Allocation {
            config,
            target,
            add_at: None,
            to_add: 1,
        }
    }

    /// The settings.
    pub fn config(&self) -> &AllocationConfig {
        &self.config
    }

    /// The total to ask for.
    pub fn target(&self) -> u32 {
        self.target
    }

    /// Sets the total (the application asked); with dynamic allocation it is clamped to
    /// `min..=max` and may move again.
    pub fn set_target(&mut self, total: u32) {
        self.target = if self.config.dynamic {
            total.clamp(self.config.min, self.config.max.max(self.config.min))
        } else {
            total
        };
    }

    /// Recomputes the target from the tasks (`tasks_per_executor` = cores / cpus per task).
    /// Returns true if it changed.
    pub fn update(
        &mut self,
        now: Millis,
        pending: usize,
        running: usize,
        tasks_per_executor: u32,
    ) -> bool {
        if !self.config.dynamic {
            return false;
        }
        let per = u64::from(tasks_per_executor.max(1));
        let needed = ((pending + running) as u64).div_ceil(per);
        let max_needed = u32::try_from(needed).unwrap_or(u32::MAX);
        let (min, max) = (self.config.min, self.config.max.max(self.config.min));
        let before = self.target;
        if pending == 0 {
            self.add_at = None;
            self.to_add = 1;
        } else if self.add_at.is_none() {
            self.add_at = Some(now + self.config.backlog_timeout);
        }
        if self.target > max_needed {
            // Fewer tasks than executors could run: lower at once (running executors stay
            // until idle; a lower target only cancels pending requests).
            self.target = max_needed.clamp(min, max);
            self.to_add = 1;
        } else if let Some(at) = self.add_at
            && now >= at
        {
            let wanted = self
                .target
                .saturating_add(self.to_add)
                .min(max_needed)
                .clamp(min, max);
            if wanted > self.target {
                self.target = wanted;
                self.to_add = self.to_add.saturating_mul(2);
            } else {
                self.to_add = 1;
            }
            self.add_at = Some(now + self.config.sustained_backlog_timeout);
        }
        self.target != before
    }

    /// Whether an executor idle since `since` should be released at `now`, when `live`
    /// executors are left before releasing it.
    pub fn should_release(&self, since: Millis, now: Millis, live: u32) -> bool {
        self.config.dynamic
            && now.saturating_sub(since) >= self.config.idle_timeout
            && live > self.config.min
    }

    /// When the backlog timer fires next.
    pub fn next_timeout(&self) -> Option<Millis> {
        self.add_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dynamic() -> AllocationConfig {
        AllocationConfig {
            dynamic: true,
            initial: 0,
            min: 0,
            max: 10,
            ..AllocationConfig::default()
        }
    }

    #[test]
    fn backlog_adds_exponentially_up_to_what_tasks_need() {
        let mut a = Allocation::new(dynamic());
        assert!(!a.update(0, 100, 0, 2), "waits for the backlog timeout");
        assert!(a.update(1000, 100, 0, 2));
        assert_eq!(a.target(), 1);
        assert!(a.update(2000, 100, 0, 2));
        assert_eq!(a.target(), 3);
        assert!(a.update(3000, 100, 0, 2));
        assert_eq!(a.target(), 7);
        assert!(a.update(4000, 100, 0, 2));
        assert_eq!(a.target(), 10, "capped by max");
        assert!(a.update(4500, 3, 2, 2));
        assert_eq!(a.target(), 3, "lowered at once to ceil(5 / 2)");
    }

    #[test]
    fn static_target_never_moves() {
        let mut a = Allocation::new(AllocationConfig {
            initial: 4,
            ..AllocationConfig::default()
        });
        assert!(!a.update(10_000, 1000, 0, 1));
        assert_eq!(a.target(), 4);
        assert!(!a.should_release(0, 1_000_000, 4));
    }

    #[test]
    fn idle_release_respects_min() {
        let a = Allocation::new(AllocationConfig {
            min: 2,
            ..dynamic()
        });
        assert!(a.should_release(0, 60_000, 3));
        assert!(!a.should_release(0, 60_000, 2));
        assert!(!a.should_release(0, 59_999, 3));
    }
}
