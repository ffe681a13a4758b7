//! The outstanding container requests of one profile, and YARN's ask table built from them.
//!
//! Requests are kept in the order they were added (YARN gives a container to the earliest
//! matching request). Requests with the same preferred hosts share one [`NodeSet`], and
//! hosts and racks (as interned ids, see [`crate::hosts`]) are indexed by node set, so that a
//! response with 10,000 containers over 5,000 hosts is matched without touching every request
//! for every container. A set's requests are all added when the set is made, so an older set's
//! requests come before every request of a newer one: the earliest request preferring a host is
//! the first request of the oldest set that names the host, and the search stops there.
//! Removal is lazy: a removed request leaves a tombstone that the queues skip, so adding,
//! matching and removing are all amortised O(1).
//!
//! YARN's protocol carries an *ask table*: per (priority, location, capability), the
//! absolute number of containers still wanted, where a location is a host, a rack or `*`
//! (ANY). A request preferring hosts `{h1, h2}` on rack `/r1` counts once at `h1`, once at
//! `h2`, once at `/r1` and once at `*` (relaxed locality), as Hadoop's AMRMClient counts it.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

use crate::hosts::{HostId, RackId};

/// Identifies a node set inside one [`RequestBook`].
pub type SetId = u64;

/// Identifies a request inside one [`RequestBook`]; increases with the order of addition.
pub type RequestSeq = u64;

/// Preferred hosts shared by some requests.
#[derive(Debug, Clone)]
pub struct NodeSet {
    /// The preferred hosts, sorted by name.
    pub host_ids: Vec<HostId>,
    /// Their racks, distinct.
    pub rack_ids: Vec<RackId>,
    host_bits: Bitmap,
    rack_bits: Bitmap,
    /// Live requests (plus tombstones at the front, skipped lazily), in order.
    queue: VecDeque<RequestSeq>,
    live: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Dead,
    /// A live request; `None`: any host.
    Live(Option<SetId>),
}

/// The pending requests of one profile.
#[derive(Debug, Clone, Default)]
pub struct RequestBook {
    /// The sequence number of `slots[0]`.
    base: RequestSeq,
    /// Every request from `base` on, in order of addition; dead ones are tombstones.
    slots: VecDeque<Slot>,
    live: usize,
    next_set: SetId,
    sets: Sets,
}

/// Node sets by id (ids only grow, so pushing keeps the list sorted).
#[derive(Debug, Clone, Default)]
struct Sets(Vec<(SetId, NodeSet)>);

impl Sets {
    fn pos(&self, id: &SetId) -> Option<usize> {
        self.0.binary_search_by_key(id, |(k, _)| *k).ok()
    }
    fn insert(&mut self, id: SetId, ns: NodeSet) {
        debug_assert!(self.0.last().is_none_or(|(k, _)| *k < id));
        self.0.push((id, ns));
    }
    fn get(&self, id: &SetId) -> Option<&NodeSet> {
        self.pos(id).map(|i| &self.0[i].1)
    }
    fn get_mut(&mut self, id: &SetId) -> Option<&mut NodeSet> {
        self.pos(id).map(|i| &mut self.0[i].1)
    }
    fn remove(&mut self, id: &SetId) {
        if let Some(i) = self.pos(id) {
            self.0.remove(i);
        }
    }
    fn iter(&self) -> impl Iterator<Item = (&SetId, &NodeSet)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    fn values(&self) -> impl Iterator<Item = &NodeSet> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// A set of small integer ids.
#[derive(Debug, Clone, Default)]
struct Bitmap(Vec<u64>);

impl Bitmap {
    fn of(ids: &[u32]) -> Self {
        let max = ids.iter().copied().max().map_or(0, |m| m as usize + 1);
        let mut words = vec![0u64; max.div_ceil(64)];
        for &id in ids {
            words[id as usize / 64] |= 1 << (id % 64);
        }
        Self(words)
    }

    fn contains(&self, id: u32) -> bool {
        self.0
            .get(id as usize / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }
}

/// The pending requests split by the driver's current preferences (Spark's three groups),
/// each in order of addition.
#[derive(Debug, Default)]
pub struct Split {
    /// Requests with at least one preferred host the driver still wants.
    pub matched: Vec<RequestSeq>,
    /// Requests whose hosts the driver no longer wants.
    pub stale: Vec<RequestSeq>,
    /// Requests without locality.
    pub any_host: Vec<RequestSeq>,
}

/// The ask table of one profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AskTable {
    /// Containers wanted anywhere (`*`).
    pub any: u32,
    /// (host, containers wanted there), by host id.
    pub hosts: Vec<(HostId, u32)>,
    /// (rack, containers wanted there), by rack id.
    pub racks: Vec<(RackId, u32)>,
}

impl RequestBook {
    /// The number of pending requests.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    fn slot(&self, seq: RequestSeq) -> Option<Slot> {
        let i = seq.checked_sub(self.base)?;
        self.slots.get(usize::try_from(i).ok()?).copied()
    }

    /// Adds `count` requests preferring a node set: hosts sorted by name and their distinct
    /// racks. Returns their sequence numbers (none, and no set, for a count of 0).
    pub fn add_set(
        &mut self,
        host_ids: Vec<HostId>,
        rack_ids: Vec<RackId>,
        count: usize,
    ) -> Range<RequestSeq> {
        let first = self.next_seq();
        if count == 0 {
            return first..first;
        }
        let id = self.next_set;
        self.next_set += 1;
        let (host_bits, rack_bits) = (Bitmap::of(&host_ids), Bitmap::of(&rack_ids));
        self.sets.insert(
            id,
            NodeSet {
                host_ids,
                rack_ids,
                host_bits,
                rack_bits,
                queue: (first..first + count as u64).collect(),
                live: count,
            },
        );
        self.slots
            .extend(std::iter::repeat_n(Slot::Live(Some(id)), count));
        self.live += count;
        first..first + count as u64
    }

    /// Adds one request for any host.
    pub fn add_any(&mut self) -> RequestSeq {
        let seq = self.next_seq();
        self.slots.push_back(Slot::Live(None));
        self.live += 1;
        seq
    }

    fn next_seq(&self) -> RequestSeq {
        self.base + self.slots.len() as u64
    }

    /// Makes room for `n` more requests.
    pub fn reserve(&mut self, n: usize) {
        self.slots.reserve(n);
    }

    /// Removes one request (matched or cancelled). Returns false if it was not pending.
    pub fn remove(&mut self, seq: RequestSeq) -> bool {
        let Some(Slot::Live(set)) = self.slot(seq) else {
            return false;
        };
        let i = (seq - self.base) as usize;
        self.slots[i] = Slot::Dead;
        self.live -= 1;
        while self.slots.front() == Some(&Slot::Dead) {
            self.slots.pop_front();
            self.base += 1;
        }
        if let Some(s) = set {
            let empty = match self.sets.get_mut(&s) {
                Some(ns) => {
                    ns.live -= 1;
                    ns.live == 0
                }
                None => false,
            };
            if empty {
                self.sets.remove(&s);
            }
        }
        true
    }

    fn live_requests(&self) -> impl Iterator<Item = (RequestSeq, Option<SetId>)> + '_ {
        self.slots.iter().enumerate().filter_map(|(i, s)| match s {
            Slot::Live(set) => Some((self.base + i as u64, *set)),
            Slot::Dead => None,
        })
    }

    /// Splits the pending requests; a node set is matched when `preferred` holds for one of
    /// its hosts.
    pub fn split(&self, preferred: impl Fn(HostId) -> bool) -> Split {
        let matched: BTreeMap<SetId, bool> = self
            .sets
            .iter()
            .map(|(id, ns)| (*id, ns.host_ids.iter().any(|&h| preferred(h))))
            .collect();
        let mut split = Split::default();
        for (seq, set) in self.live_requests() {
            match set {
                None => split.any_host.push(seq),
                Some(s) if matched.get(&s).copied().unwrap_or(false) => split.matched.push(seq),
                Some(_) => split.stale.push(seq),
            }
        }
        split
    }

    /// The pending requests of the sets for none of whose hosts `preferred` holds (the
    /// driver no longer wants them), in order. Looks only at those sets' requests, not at
    /// every pending request.
    pub fn stale(&self, preferred: impl Fn(HostId) -> bool) -> Vec<RequestSeq> {
        let mut out = Vec::new();
        for (&id, ns) in self.sets.iter() {
            if !ns.host_ids.iter().any(|&h| preferred(h)) {
                let live = |seq: &RequestSeq| self.slot(*seq) == Some(Slot::Live(Some(id)));
                out.extend(ns.queue.iter().copied().filter(live));
            }
        }
        // Each set's requests are in order, and an older set's come first (see above).
        debug_assert!(out.is_sorted());
        out
    }

    /// How many pending requests prefer no host.
    pub fn any_host_count(&self) -> usize {
        self.live - self.sets.values().map(|ns| ns.live).sum::<usize>()
    }

    /// The first `n` pending requests that prefer no host, in order.
    pub fn first_any_host(&self, n: usize) -> Vec<RequestSeq> {
        self.live_requests()
            .filter(|(_, set)| set.is_none())
            .map(|(seq, _)| seq)
            .take(n)
            .collect()
    }

    /// The hosts of the sets matching `preferred`, with how many live requests share each
    /// (the placement strategy's view of pending requests).
    pub fn matched_sets(&self, preferred: impl Fn(HostId) -> bool) -> Vec<(&[HostId], usize)> {
        self.sets
            .values()
            .filter(|ns| ns.host_ids.iter().any(|&h| preferred(h)))
            .map(|ns| (&ns.host_ids[..], ns.live))
            .collect()
    }

    /// The earliest live request of a set, dropping tombstones on the way.
    fn front(&mut self, at: usize) -> Option<RequestSeq> {
        let base = self.base;
        let slots = &self.slots;
        let (set, ns) = self.sets.0.get_mut(at)?;
        let set = *set;
        while let Some(&seq) = ns.queue.front() {
            let live = seq
                .checked_sub(base)
                .and_then(|i| slots.get(i as usize))
                .is_some_and(|s| *s == Slot::Live(Some(set)));
            if live {
                return Some(seq);
            }
            ns.queue.pop_front();
        }
        None
    }

    /// The earliest live request among the sets that `wanted` selects: the first request of
    /// the oldest such set (see the module's documentation).
    fn first_in(&mut self, wanted: impl Fn(&NodeSet) -> bool) -> Option<RequestSeq> {
        for i in 0..self.sets.0.len() {
            if wanted(&self.sets.0[i].1)
                && let Some(seq) = self.front(i)
            {
                return Some(seq);
            }
        }
        None
    }

    /// The earliest request preferring `host`.
    pub fn first_for_host(&mut self, host: HostId) -> Option<RequestSeq> {
        self.first_in(|ns| ns.host_bits.contains(host))
    }

    /// The earliest request whose hosts are on `rack`.
    pub fn first_for_rack(&mut self, rack: RackId) -> Option<RequestSeq> {
        self.first_in(|ns| ns.rack_bits.contains(rack))
    }

    /// The earliest request of all (the ANY pass).
    pub fn first_any(&self) -> Option<RequestSeq> {
        // Dead slots are trimmed from the front on removal, so the front is live.
        (!self.slots.is_empty()).then_some(self.base)
    }

    /// The preferred hosts of every pending request in order (`None`: any host).
    pub fn localities(&self) -> impl Iterator<Item = Option<&[HostId]>> + '_ {
        self.live_requests()
            .map(|(_, s)| s.and_then(|s| self.sets.get(&s)).map(|ns| &ns.host_ids[..]))
    }

    /// The ask table, hosts and racks ordered by id.
    pub fn ask_table(&self, host_count: usize, rack_count: usize) -> AskTable {
        let mut hosts = vec![0u32; host_count];
        let mut racks = vec![0u32; rack_count];
        for ns in self.sets.values() {
            let n = ns.live as u32;
            for &h in &ns.host_ids {
                if hosts.len() <= h as usize {
                    hosts.resize(h as usize + 1, 0);
                }
                hosts[h as usize] += n;
            }
            for &r in &ns.rack_ids {
                if racks.len() <= r as usize {
                    racks.resize(r as usize + 1, 0);
                }
                racks[r as usize] += n;
            }
        }
        let nonzero = |v: Vec<u32>| {
            v.into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(i, n)| (i as u32, n))
                .collect()
        };
        AskTable {
            any: self.live as u32,
            hosts: nonzero(hosts),
            racks: nonzero(racks),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_takes_the_earliest_request() {
        let mut b = RequestBook::default();
        let any = b.add_any();
        let a = b.add_set(vec![1, 2], vec![0], 1).start;
        let c = b.add_set(vec![2], vec![0], 1).start;
        assert_eq!(b.first_for_host(2), Some(a));
        assert_eq!(b.first_for_host(3), None);
        assert_eq!(b.first_for_rack(0), Some(a));
        assert_eq!(b.first_any(), Some(any));
        assert!(b.remove(a));
        assert!(!b.remove(a));
        assert_eq!(
            b.first_for_host(1),
            None,
            "set s1 is gone with its last request"
        );
        assert_eq!(b.first_for_host(2), Some(c));
        assert_eq!(b.len(), 2);
        assert!(b.remove(any));
        assert_eq!(b.first_any(), Some(c));
        assert!(b.remove(c));
        assert!(b.is_empty());
        assert_eq!(b.first_any(), None);
        let d = b.add_any();
        assert!(d > c, "sequence numbers keep growing");
        assert_eq!(b.first_any(), Some(d));
    }

    #[test]
    fn tombstones_in_the_middle_are_skipped() {
        let mut b = RequestBook::default();
        let r: Vec<_> = b.add_set(vec![0], vec![0], 4).collect();
        assert!(b.remove(r[1]));
        assert!(b.remove(r[0]));
        assert_eq!(b.first_for_host(0), Some(r[2]));
        assert_eq!(b.localities().count(), 2);
    }

    #[test]
    fn ask_table_counts_every_location() {
        let mut b = RequestBook::default();
        b.add_set(vec![0, 1], vec![0], 2);
        b.add_any();
        assert!(b.add_set(vec![2], vec![0], 0).is_empty());
        let t = b.ask_table(2, 1);
        assert_eq!(t.any, 3);
        assert_eq!(t.hosts, vec![(0, 2), (1, 2)]);
        assert_eq!(t.racks, vec![(0, 2)]);
        let split = b.split(|h| h == 9);
        assert_eq!(
            (split.matched.len(), split.stale.len(), split.any_host.len()),
            (0, 2, 1)
        );
        let split = b.split(|h| h == 1);
        assert_eq!(
            (split.matched.len(), split.stale.len(), split.any_host.len()),
            (2, 0, 1)
        );
    }

    #[test]
    fn stale_and_any_host_requests_without_a_full_split() {
        let mut b = RequestBook::default();
        let any1 = b.add_any();
        let old: Vec<_> = b.add_set(vec![0], vec![0], 3).collect();
        let any2 = b.add_any();
        let new: Vec<_> = b.add_set(vec![1], vec![0], 2).collect();
        assert!(b.remove(old[1]), "a tombstone inside a set's queue");
        let full = b.split(|h| h == 1);
        assert_eq!(b.stale(|h| h == 1), full.stale);
        assert_eq!(b.stale(|h| h == 1), vec![old[0], old[2]]);
        assert!(b.stale(|h| h <= 1).is_empty());
        assert_eq!(b.stale(|_| false), vec![old[0], old[2], new[0], new[1]]);
        assert_eq!(b.any_host_count(), full.any_host.len());
        assert_eq!(b.first_any_host(1), vec![any1]);
        assert_eq!(b.first_any_host(5), vec![any1, any2]);
    }
}
