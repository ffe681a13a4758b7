//! Executor sizing: what container a resource profile asks for.
//!
//! `memory = heap + off-heap + overhead + python memory`, where the overhead is explicit or
//! `max(min_overhead, floor(heap × factor))`; vcores are the executor's cores; custom resource
//! types are passed through (Spark's `spark.executor.memory*` arithmetic).

use std::collections::BTreeMap;

use crate::types::{ProfileId, Resource};

/// Spark's default overhead factor (`spark.executor.memoryOverheadFactor`).
pub const DEFAULT_OVERHEAD_FACTOR: f64 = 0.10;

/// Spark's default minimum overhead in MiB (`spark.executor.minMemoryOverhead`).
pub const DEFAULT_MIN_OVERHEAD_MB: u64 = 384;

/// How big one executor of a profile is.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutorSizing {
    /// Executor heap in MiB.
    pub memory_mb: u64,
    /// Executor cores (the container's vcores).
    pub cores: u32,
    /// Explicit overhead in MiB; `None` computes it from the heap.
    pub memory_overhead_mb: Option<u64>,
    /// Overhead as a fraction of the heap when not explicit.
    pub memory_overhead_factor: f64,
    /// Lower bound of the computed overhead, MiB.
    pub min_memory_overhead_mb: u64,
    /// Off-heap memory in MiB added to the ask.
    pub off_heap_mb: u64,
    /// Extra memory for a Python worker, MiB.
    pub pyspark_memory_mb: u64,
    /// Custom resource types (`yarn.io/gpu` → 2).
    pub resources: BTreeMap<String, u64>,
}

impl Default for ExecutorSizing {
    fn default() -> Self {
        Self {
            memory_mb: 1024,
            cores: 1,
            memory_overhead_mb: None,
            memory_overhead_factor: DEFAULT_OVERHEAD_FACTOR,
            min_memory_overhead_mb: DEFAULT_MIN_OVERHEAD_MB,
            off_heap_mb: 0,
            pyspark_memory_mb: 0,
            resources: BTreeMap::new(),
        }
    }
}

impl ExecutorSizing {
    /// The overhead in MiB: explicit, or `max(min, floor(heap × factor))`.
    pub fn overhead_mb(&self) -> u64 {
        match self.memory_overhead_mb {
            Some(mb) => mb,
            None => {
                // `as` saturates for huge or NaN values, which validation rules out anyway.
                let computed = (self.memory_mb as f64 * self.memory_overhead_factor).floor() as u64;
                computed.max(self.min_memory_overhead_mb)
            }
        }
    }

    /// The container to ask YARN for. Saturates instead of overflowing on absurd sizes
    /// (which [`crate::AllocatorConfig::validate`] rejects before they get here).
    pub fn container_resource(&self) -> Resource {
        let memory_mb = self
            .memory_mb
            .saturating_add(self.off_heap_mb)
            .saturating_add(self.overhead_mb())
            .saturating_add(self.pyspark_memory_mb);
        Resource {
            memory_mb,
            vcores: self.cores,
            custom: self.resources.clone(),
        }
    }
}

/// A resource profile: an id (also its YARN priority), a size, and the target at start.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileSpec {
    /// The profile id; requests use it as their priority. Must be at most `i32::MAX`.
    pub id: ProfileId,
    /// The executor size.
    pub sizing: ExecutorSizing,
    /// Target number of executors at construction.
    pub initial_target: u32,
}

impl ProfileSpec {
    /// A profile with a size and a zero initial target.
    pub fn new(id: ProfileId, sizing: ExecutorSizing) -> Self {
        Self {
            id,
            sizing,
            initial_target: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overhead_uses_minimum_for_small_heaps() {
        let s = ExecutorSizing {
            memory_mb: 2048,
            cores: 5,
            ..Default::default()
        };
        assert_eq!(s.overhead_mb(), 384);
        assert_eq!(s.container_resource(), Resource::new(2432, 5));
    }

    #[test]
    fn overhead_uses_factor_for_big_heaps() {
        let s = ExecutorSizing {
            memory_mb: 10_000,
            ..Default::default()
        };
        assert_eq!(s.overhead_mb(), 1000);
        let s = ExecutorSizing {
            memory_mb: 10_005,
            ..Default::default()
        };
        assert_eq!(s.overhead_mb(), 1000, "floor, not round");
    }

    #[test]
    fn explicit_overhead_offheap_and_python_are_added() {
        let s = ExecutorSizing {
            memory_mb: 4096,
            cores: 2,
            memory_overhead_mb: Some(100),
            off_heap_mb: 512,
            pyspark_memory_mb: 256,
            resources: BTreeMap::from([("yarn.io/gpu".to_string(), 2)]),
            ..Default::default()
        };
        let r = s.container_resource();
        assert_eq!(r.memory_mb, 4096 + 100 + 512 + 256);
        assert_eq!(r.vcores, 2);
        assert_eq!(r.custom.get("yarn.io/gpu"), Some(&2));
    }
}
