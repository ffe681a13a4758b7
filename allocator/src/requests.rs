//! The outstanding container requests of one profile, and YARN's ask table built from them.
//!
//! Requests are kept in the order they were added (YARN gives a container to the earliest
//! matching request). Requests with the same preferred hosts share one [`NodeSet`], and
//! hosts and racks are indexed by node set, so that a response with 10,000 containers over
//! 5,000 hosts is matched without touching every request for every container.
//!
//! YARN's protocol carries an *ask table*: per (priority, location, capability), the
//! absolute number of containers still wanted, where a location is a host, a rack or `*`
//! (ANY). A request preferring hosts `{h1, h2}` on rack `/r1` counts once at `h1`, once at
//! `h2`, once at `/r1` and once at `*` (relaxed locality), as Hadoop's AMRMClient counts it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::types::{ANY_LOCATION, HostName, RackName};

/// Identifies a node set inside one [`RequestBook`].
pub type SetId = u64;

/// Identifies a request inside one [`RequestBook`]; increases with the order of addition.
pub type RequestSeq = u64;

/// Preferred hosts shared by some requests.
#[derive(Debug, Clone)]
pub struct NodeSet {
    /// The preferred hosts, sorted.
    pub nodes: Arc<[HostName]>,
    /// Their racks, sorted and distinct.
    pub racks: Arc<[RackName]>,
    /// The live requests that prefer exactly these hosts.
    live: BTreeSet<RequestSeq>,
}

/// The pending requests of one profile.
#[derive(Debug, Clone, Default)]
pub struct RequestBook {
    next_seq: RequestSeq,
    next_set: SetId,
    /// Every live request in order of addition, with its node set (`None`: any host).
    requests: BTreeMap<RequestSeq, Option<SetId>>,
    /// The live requests without locality.
    unlocalized: BTreeSet<RequestSeq>,
    sets: BTreeMap<SetId, NodeSet>,
    by_host: HashMap<HostName, Vec<SetId>>,
    by_rack: HashMap<RackName, Vec<SetId>>,
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

impl RequestBook {
    /// The number of pending requests.
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// Registers a node set (hosts sorted, racks sorted and distinct).
    pub fn new_set(&mut self, nodes: Arc<[HostName]>, racks: Arc<[RackName]>) -> SetId {
        let id = self.next_set;
        self.next_set += 1;
        for h in nodes.iter() {
            self.by_host.entry(h.clone()).or_default().push(id);
        }
        for r in racks.iter() {
            self.by_rack.entry(r.clone()).or_default().push(id);
        }
        self.sets.insert(
            id,
            NodeSet {
                nodes,
                racks,
                live: BTreeSet::new(),
            },
        );
        id
    }

    /// Adds one request (with the hosts of `set`, or any host).
    pub fn add(&mut self, set: Option<SetId>) -> RequestSeq {
        let seq = self.next_seq;
        self.next_seq += 1;
        match set.and_then(|s| self.sets.get_mut(&s).map(|ns| (s, ns))) {
            Some((s, ns)) => {
                ns.live.insert(seq);
                self.requests.insert(seq, Some(s));
            }
            None => {
                self.unlocalized.insert(seq);
                self.requests.insert(seq, None);
            }
        }
        seq
    }

    /// Removes one request (matched or cancelled). Returns false if it was not pending.
    pub fn remove(&mut self, seq: RequestSeq) -> bool {
        match self.requests.remove(&seq) {
            None => false,
            Some(None) => {
                self.unlocalized.remove(&seq);
                true
            }
            Some(Some(set)) => {
                let empty = match self.sets.get_mut(&set) {
                    Some(ns) => {
                        ns.live.remove(&seq);
                        ns.live.is_empty()
                    }
                    None => false,
                };
                if empty {
                    self.drop_set(set);
                }
                true
            }
        }
    }

    fn drop_set(&mut self, set: SetId) {
        let Some(ns) = self.sets.remove(&set) else {
            return;
        };
        for h in ns.nodes.iter() {
            if let Some(v) = self.by_host.get_mut(h) {
                v.retain(|&s| s != set);
                if v.is_empty() {
                    self.by_host.remove(h);
                }
            }
        }
        for r in ns.racks.iter() {
            if let Some(v) = self.by_rack.get_mut(r) {
                v.retain(|&s| s != set);
                if v.is_empty() {
                    self.by_rack.remove(r);
                }
            }
        }
    }

    /// Splits the pending requests by the driver's preferred hosts.
    pub fn split(&self, preferred: &BTreeMap<HostName, u32>) -> Split {
        let matched_sets: HashMap<SetId, bool> = self
            .sets
            .iter()
            .map(|(id, ns)| (*id, ns.nodes.iter().any(|n| preferred.contains_key(n))))
            .collect();
        let mut split = Split::default();
        for (&seq, set) in &self.requests {
            match set {
                None => split.any_host.push(seq),
                Some(s) if matched_sets.get(s).copied().unwrap_or(false) => split.matched.push(seq),
                Some(_) => split.stale.push(seq),
            }
        }
        split
    }

    /// The node lists of the requests still matching `preferred`, with how many requests
    /// share each (the placement strategy's view of pending requests).
    pub fn matched_sets(
        &self,
        preferred: &BTreeMap<HostName, u32>,
    ) -> Vec<(Arc<[HostName]>, usize)> {
        self.sets
            .values()
            .filter(|ns| ns.nodes.iter().any(|n| preferred.contains_key(n)))
            .map(|ns| (ns.nodes.clone(), ns.live.len()))
            .collect()
    }

    /// The earliest request preferring `host`.
    pub fn first_for_host(&self, host: &str) -> Option<RequestSeq> {
        self.first_in(self.by_host.get(host)?)
    }

    /// The earliest request whose hosts are on `rack`.
    pub fn first_for_rack(&self, rack: &str) -> Option<RequestSeq> {
        self.first_in(self.by_rack.get(rack)?)
    }

    /// The earliest request of all (the ANY pass).
    pub fn first_any(&self) -> Option<RequestSeq> {
        self.requests.keys().next().copied()
    }

    fn first_in(&self, sets: &[SetId]) -> Option<RequestSeq> {
        sets.iter()
            .filter_map(|s| self.sets.get(s)?.live.first().copied())
            .min()
    }

    /// The node list of every pending request in order (`None`: any host).
    pub fn localities(&self) -> impl Iterator<Item = Option<&[HostName]>> + '_ {
        self.requests
            .values()
            .map(|s| s.and_then(|s| self.sets.get(&s)).map(|ns| &ns.nodes[..]))
    }

    /// The ask table: location (host, rack or `*`) → containers wanted there.
    pub fn ask_table(&self) -> HashMap<Arc<str>, u32> {
        let mut table: HashMap<Arc<str>, u32> = HashMap::new();
        if !self.requests.is_empty() {
            table.insert(Arc::from(ANY_LOCATION), self.requests.len() as u32);
        }
        for ns in self.sets.values() {
            let n = ns.live.len() as u32;
            for h in ns.nodes.iter() {
                *table.entry(h.clone()).or_insert(0) += n;
            }
            for r in ns.racks.iter() {
                *table.entry(r.clone()).or_insert(0) += n;
            }
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(h: &[&str]) -> Arc<[HostName]> {
        h.iter()
            .map(|s| HostName::from(*s))
            .collect::<Vec<_>>()
            .into()
    }

    #[test]
    fn matching_takes_the_earliest_request() {
        let mut b = RequestBook::default();
        let any = b.add(None);
        let s1 = b.new_set(hosts(&["h1", "h2"]), hosts(&["/r1"]));
        let s2 = b.new_set(hosts(&["h2"]), hosts(&["/r1"]));
        let a = b.add(Some(s1));
        let c = b.add(Some(s2));
        assert_eq!(b.first_for_host("h2"), Some(a));
        assert_eq!(b.first_for_host("h3"), None);
        assert_eq!(b.first_for_rack("/r1"), Some(a));
        assert_eq!(b.first_any(), Some(any));
        assert!(b.remove(a));
        assert!(!b.remove(a));
        assert_eq!(
            b.first_for_host("h1"),
            None,
            "set s1 is gone with its last request"
        );
        assert_eq!(b.first_for_host("h2"), Some(c));
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn ask_table_counts_every_location() {
        let mut b = RequestBook::default();
        let s = b.new_set(hosts(&["h1", "h2"]), hosts(&["/r1"]));
        b.add(Some(s));
        b.add(Some(s));
        b.add(None);
        let t = b.ask_table();
        assert_eq!(t.get("*"), Some(&3));
        assert_eq!(t.get("h1"), Some(&2));
        assert_eq!(t.get("/r1"), Some(&2));
        let mut preferred = BTreeMap::new();
        preferred.insert(HostName::from("h9"), 1);
        let split = b.split(&preferred);
        assert_eq!(
            (split.matched.len(), split.stale.len(), split.any_host.len()),
            (0, 2, 1)
        );
    }
}
