//! Scheduling pools (Spark's `Pool` with FIFO and FAIR modes): which task set gets offers
//! first.

use std::cmp::Ordering;

/// How task sets are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SchedulingMode {
    /// Job order, then stage order (Spark's default).
    #[default]
    Fifo,
    /// Pools share by weight and minimum share; FIFO inside a pool.
    Fair,
}

/// A FAIR pool's settings (Spark's `fairscheduler.xml` entries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    /// The name jobs give.
    pub name: String,
    /// Share relative to other pools (default 1).
    pub weight: u32,
    /// Cores the pool gets before weights apply (default 0).
    pub min_share: u32,
}

impl PoolConfig {
    /// A pool with weight 1 and no minimum share.
    pub fn new(name: impl Into<String>) -> Self {
        PoolConfig {
            name: name.into(),
            weight: 1,
            min_share: 0,
        }
    }
}

/// Name of the pool jobs without one go to.
pub const DEFAULT_POOL: &str = "default";

/// A pool and the tasks it runs now.
#[derive(Clone, Debug)]
pub(crate) struct Pool {
    pub(crate) config: PoolConfig,
    pub(crate) running: usize,
}

/// Spark's `FairSchedulingAlgorithm.comparator`: needy pools (below their minimum share)
/// first, by how far below; then by running tasks per weight; then by name.
pub(crate) fn fair_order(a: &Pool, b: &Pool) -> Ordering {
    let needy = |p: &Pool| p.running < p.config.min_share as usize;
    let min_share_ratio = |p: &Pool| p.running as f64 / f64::from(p.config.min_share.max(1));
    let weight_ratio = |p: &Pool| p.running as f64 / f64::from(p.config.weight.max(1));
    match (needy(a), needy(b)) {
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (true, true) => {
            let o = min_share_ratio(a).total_cmp(&min_share_ratio(b));
            if o != Ordering::Equal {
                return o;
            }
        }
        (false, false) => {
            let o = weight_ratio(a).total_cmp(&weight_ratio(b));
            if o != Ordering::Equal {
                return o;
            }
        }
    }
    a.config.name.cmp(&b.config.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(name: &str, weight: u32, min_share: u32, running: usize) -> Pool {
        Pool {
            config: PoolConfig {
                name: name.into(),
                weight,
                min_share,
            },
            running,
        }
    }

    #[test]
    fn needy_pools_first_then_weights() {
        let needy = pool("b", 1, 4, 3);
        let heavy = pool("a", 1, 0, 0);
        assert_eq!(fair_order(&needy, &heavy), Ordering::Less);
        let light = pool("x", 2, 0, 4);
        let busy = pool("y", 1, 0, 3);
        assert_eq!(fair_order(&light, &busy), Ordering::Less, "4/2 < 3/1");
        assert_eq!(
            fair_order(&pool("a", 1, 0, 1), &pool("b", 1, 0, 1)),
            Ordering::Less
        );
    }
}
