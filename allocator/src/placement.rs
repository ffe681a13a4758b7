//! Locality-aware placement of new container requests (Spark's
//! `LocalityPreferredContainerPlacementStrategy`, same arithmetic).
//!
//! From the driver's pending tasks per host it works out how many executors each host should
//! have, subtracts what is already there (running containers, and a share of the pending
//! requests that still match), and spreads the new requests so that hosts get preferred in
//! proportion to what they still lack:
//!
//! * executors needed `n = ceil(tasks / floor(executor_cores / task_cpus))`;
//! * `expected(h) = count(h) × n / Σcount`; `existing(h) = allocated(h) + pending_share(h)`,
//!   where each matched pending request adds 1 to each of its nodes and the shares are scaled
//!   so that they sum to the number of matched requests;
//!   `required(h) = max(0, ceil(expected − existing))`;
//! * `free = max(0, containers − Σrequired)` requests get no preference, the other
//!   `aware = containers − free` do;
//! * `ratio(h) = ceil(required(h) × aware / max(required))`; request `i` (0-based) prefers
//!   the hosts with `ratio(h) > i`.
//!
//! The result is computed without materialising one node list per request: requests that
//! prefer the same hosts come back as one [`PlacementGroup`] with a count, so 4,096
//! containers over thousands of hosts cost one pass over the hosts per distinct ratio, and
//! nothing recurses.

use std::collections::BTreeMap;

use crate::fasthash::FastMap;

use crate::types::HostName;

/// What the placement strategy needs to know.
#[derive(Debug, Clone, Copy)]
pub struct PlacementInput<'a> {
    /// How many new requests to place.
    pub containers: usize,
    /// The number of pending tasks that have a locality preference.
    pub locality_aware_tasks: u32,
    /// Pending tasks per preferred host.
    pub host_task_counts: &'a BTreeMap<HostName, u32>,
    /// Running containers of this profile per host.
    pub allocated: &'a FastMap<HostName, u32>,
    /// The locality-matched pending requests, as (node list, number of requests with it).
    pub pending: &'a [(&'a [HostName], usize)],
    /// Cores of one executor.
    pub executor_cores: u32,
    /// Cores one task uses.
    pub task_cpus: u32,
}

/// Requests that prefer the same hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementGroup {
    /// The preferred hosts, as their positions in `host_task_counts` (its iteration order,
    /// so the hosts are sorted by name). Positions rather than names: the allocator keeps
    /// hosts by id, and cloning thousands of shared names per group is most of the cost of
    /// a big placement.
    pub positions: Vec<u32>,
    /// How many requests prefer exactly these hosts.
    pub count: usize,
}

/// Where the new requests should go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Placement {
    /// Requests with a preference, in the order Spark emits them (most hosts first).
    pub groups: Vec<PlacementGroup>,
    /// Requests without any preference.
    pub unlocalized: usize,
}

impl Placement {
    /// The number of requests with a preference.
    pub fn localized(&self) -> usize {
        self.groups.iter().map(|g| g.count).sum()
    }

    /// One entry per request, for tests and small inputs: `None` for no preference, else the
    /// sorted hosts. `host_task_counts` is the one the placement was made from.
    pub fn expand(&self, host_task_counts: &BTreeMap<HostName, u32>) -> Vec<Option<Vec<HostName>>> {
        let names: Vec<&HostName> = host_task_counts.keys().collect();
        let mut out = vec![None; self.unlocalized];
        for g in &self.groups {
            let nodes: Vec<HostName> = g
                .positions
                .iter()
                .map(|&p| names[p as usize].clone())
                .collect();
            out.extend(std::iter::repeat_n(Some(nodes), g.count));
        }
        out
    }
}

/// Executors needed to run `tasks` tasks: `ceil(tasks / floor(cores / task_cpus))`.
pub fn executors_needed(tasks: u32, executor_cores: u32, task_cpus: u32) -> u64 {
    let per_executor = u64::from((executor_cores / task_cpus.max(1)).max(1));
    u64::from(tasks).div_ceil(per_executor)
}

/// Host → number of new containers it still needs (`required(h)` above), in host order.
pub fn required_per_host(input: &PlacementInput<'_>) -> Vec<(HostName, u64)> {
    input
        .host_task_counts
        .keys()
        .cloned()
        .zip(required(input))
        .collect()
}

/// `required(h)` of each host of `host_task_counts`, in its order.
fn required(input: &PlacementInput<'_>) -> Vec<u64> {
    let total_tasks: u64 = input.host_task_counts.values().map(|&c| u64::from(c)).sum();
    let needed = executors_needed(
        input.locality_aware_tasks,
        input.executor_cores,
        input.task_cpus,
    ) as f64;
    let pending_share = pending_share(input.pending);
    input
        .host_task_counts
        .iter()
        .map(|(host, &count)| {
            let expected = f64::from(count) * needed / total_tasks as f64;
            let existing = f64::from(input.allocated.get(host).copied().unwrap_or(0))
                + pending_share.get(host).copied().unwrap_or(0.0);
            // NaN (no tasks at all) and negatives both become 0, as in Spark.
            let required = (expected - existing).ceil();
            if required.is_nan() || required < 0.0 {
                0
            } else {
                required as u64
            }
        })
        .collect()
}

/// Each matched pending request adds 1 to each of its nodes; the result is scaled so that it
/// sums to the number of matched requests.
fn pending_share(pending: &[(&[HostName], usize)]) -> FastMap<HostName, f64> {
    let mut per_host: FastMap<HostName, u64> = FastMap::default();
    let mut requests = 0u64;
    for (nodes, n) in pending {
        requests += *n as u64;
        for node in nodes.iter() {
            *per_host.entry(node.clone()).or_insert(0) += *n as u64;
        }
    }
    let total: u64 = per_host.values().sum();
    per_host
        .into_iter()
        .map(|(h, v)| (h, v as f64 * requests as f64 / total as f64))
        .collect()
}

/// Places `input.containers` new requests.
pub fn place(input: &PlacementInput<'_>) -> Placement {
    let required = required(input);
    let sum_required: u64 = required.iter().sum();
    let containers = input.containers as u64;
    let free = containers.saturating_sub(sum_required);
    let aware = containers - free;
    let mut placement = Placement {
        groups: Vec::new(),
        unlocalized: free as usize,
    };
    if aware == 0 {
        return placement;
    }
    let largest = required.iter().copied().max().unwrap_or(0);
    // (position in `host_task_counts`, ratio(h) = ceil(required(h) × aware / largest)) of the
    // hosts with a ratio, still in name order.
    let ratios: Vec<(u32, u64)> = required
        .iter()
        .enumerate()
        .filter_map(|(pos, &r)| {
            let ratio = (r as f64 * aware as f64 / largest as f64).ceil() as u64;
            (ratio > 0).then_some((pos as u32, ratio.min(aware)))
        })
        .collect();
    let mut sorted: Vec<u64> = ratios.iter().map(|&(_, r)| r).collect();
    sorted.sort_unstable();
    // Requests i in [previous threshold, t) prefer exactly the hosts whose ratio is at least
    // t; filtering the name-ordered list keeps every group sorted without sorting.
    let mut emitted = 0u64;
    let mut below = 0;
    while below < sorted.len() {
        let t = sorted[below];
        let chosen = sorted.len() - below;
        let mut positions = Vec::with_capacity(chosen);
        positions.extend(ratios.iter().filter(|&&(_, r)| r >= t).map(|&(pos, _)| pos));
        placement.groups.push(PlacementGroup {
            positions,
            count: (t - emitted) as usize,
        });
        emitted = t;
        below += sorted[below..].partition_point(|&r| r == t);
    }
    placement
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(pairs: &[(&str, u32)]) -> BTreeMap<HostName, u32> {
        pairs
            .iter()
            .map(|(h, c)| (HostName::from(*h), *c))
            .collect()
    }

    /// Places `containers` requests for executors of `cores` cores (a task takes one).
    fn place_with(
        containers: usize,
        tasks: u32,
        counts: &BTreeMap<HostName, u32>,
        allocated: &[(&str, u32)],
        pending: &[&[&str]],
        cores: u32,
    ) -> Placement {
        let allocated: FastMap<HostName, u32> = allocated
            .iter()
            .map(|(h, c)| (HostName::from(*h), *c))
            .collect();
        let pending_lists: Vec<Vec<HostName>> = pending
            .iter()
            .map(|l| l.iter().map(|h| HostName::from(*h)).collect())
            .collect();
        let pending: Vec<(&[HostName], usize)> =
            pending_lists.iter().map(|l| (l.as_slice(), 1)).collect();
        let p = place(&PlacementInput {
            containers,
            locality_aware_tasks: tasks,
            host_task_counts: counts,
            allocated: &allocated,
            pending: &pending,
            executor_cores: cores,
            task_cpus: 1,
        });
        assert_eq!(p.localized() + p.unlocalized, containers);
        p
    }

    /// The requests placed for 2-core executors, as sorted host lists, sorted.
    fn run(
        containers: usize,
        tasks: u32,
        counts: &[(&str, u32)],
        allocated: &[(&str, u32)],
        pending: &[&[&str]],
    ) -> Vec<Option<Vec<String>>> {
        let counts = hosts(counts);
        let p = place_with(containers, tasks, &counts, allocated, pending, 2);
        let mut v: Vec<Option<Vec<String>>> = p
            .expand(&counts)
            .into_iter()
            .map(|o| o.map(|l| l.iter().map(|h| h.to_string()).collect()))
            .collect();
        v.sort();
        v
    }

    /// `n` requests for each host list (`[]`: no preference), sorted like [`run`]'s result.
    fn requests(groups: &[(usize, &[&str])]) -> Vec<Option<Vec<String>>> {
        let mut v = Vec::new();
        for (n, hosts) in groups {
            let list = (!hosts.is_empty()).then(|| hosts.iter().map(|h| h.to_string()).collect());
            v.extend(std::iter::repeat_n(list, *n));
        }
        v.sort();
        v
    }

    // The worked examples of Spark's strategy: 20 tasks on (h1,h2,h3), 10 on (h1,h2,h4),
    // 2 cores per executor → 15 executors, ratio 30:30:20:10.
    const COUNTS: &[(&str, u32)] = &[("h1", 30), ("h2", 30), ("h3", 20), ("h4", 10)];

    #[test]
    fn more_containers_than_needed() {
        // required 5:5:4:2 (ceil of 5, 5, 3.33, 1.67) → 2 free; ratios 16:16:13:7.
        assert_eq!(
            run(18, 30, COUNTS, &[], &[]),
            requests(&[
                (2, &[]),
                (3, &["h1", "h2"]),
                (6, &["h1", "h2", "h3"]),
                (7, &["h1", "h2", "h3", "h4"]),
            ])
        );
    }

    #[test]
    fn fewer_containers_than_needed() {
        // required 5:5:4:2, all 10 aware; ratios 10:10:8:4.
        assert_eq!(
            run(10, 30, COUNTS, &[], &[]),
            requests(&[
                (2, &["h1", "h2"]),
                (4, &["h1", "h2", "h3"]),
                (4, &["h1", "h2", "h3", "h4"]),
            ])
        );
    }

    #[test]
    fn existing_containers_reduce_requirements() {
        // One container on each host: required becomes 4:4:3:1.
        let one_each = [("h1", 1), ("h2", 1), ("h3", 1), ("h4", 1)];
        let v = run(18, 30, COUNTS, &one_each, &[]);
        assert_eq!(v.iter().filter(|x| x.is_none()).count(), 6);
        assert_eq!(v.len(), 18);
    }

    #[test]
    fn fully_covered_hosts_need_no_locality() {
        let five = [("h1", 5), ("h2", 5), ("h3", 5), ("h4", 5)];
        let v = run(10, 30, COUNTS, &five, &[]);
        assert!(v.iter().all(|x| x.is_none()));
    }

    #[test]
    fn pending_requests_count_as_shares() {
        // Spark's "enough resource, with matched containers" case.
        let counts = hosts(&[("host1", 15), ("host2", 15), ("host3", 10)]);
        let pending: [&[&str]; 2] = [&["host2", "host3"], &["host1", "host4"]];
        let p = place_with(1, 15, &counts, &[("host1", 2), ("host2", 1)], &pending, 5);
        assert_eq!(p.expand(&counts), vec![Some(vec![HostName::from("host3")])]);
    }

    #[test]
    fn no_hints_means_no_locality() {
        let v = run(4, 0, &[], &[], &[]);
        assert_eq!(v, vec![None; 4]);
    }

    #[test]
    fn big_inputs_stay_compact() {
        let counts: BTreeMap<HostName, u32> = (0..5000)
            .map(|i| (HostName::from(format!("h{i}")), 1 + i % 7))
            .collect();
        let p = place_with(4096, 32768, &counts, &[], &[], 4);
        assert!(
            p.groups.len() <= 7,
            "one group per distinct ratio, got {}",
            p.groups.len()
        );
    }

    #[test]
    fn runs_on_a_small_stack() {
        // 32,768 tasks × 4,096 containers over 4,096 hosts with distinct counts (many
        // groups), on a 64 KiB stack: nothing recurses or lives on the stack.
        let handle = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(|| {
                let counts: BTreeMap<HostName, u32> = (0..4096u32)
                    .map(|i| (HostName::from(format!("h{i:05}")), 1 + i % 16))
                    .collect();
                place_with(4096, 32768, &counts, &[], &[], 4).groups.len()
            })
            .expect("spawn");
        let groups = handle.join().expect("no stack overflow");
        assert!(groups > 1);
    }
}
