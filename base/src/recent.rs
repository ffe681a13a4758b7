//! [`RecentMap`]: a map that keeps at most `capacity` entries and forgets the oldest insertion
//! first, and [`RecentSet`] on top of it.
//!
//! Long-running state machines remember things "for a while" (loss reasons not yet asked for,
//! timed-out call ids, finished containers): without a bound such memory grows with the
//! application's age. Eviction is by insertion order (FIFO), not by use: reading an entry does
//! not keep it alive, so what is remembered never depends on who looked.

use std::borrow::Borrow;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// A map bounded to `capacity` entries; inserting a new key beyond that evicts the key inserted
/// longest ago. Re-inserting a present key replaces its value and keeps its place in line.
#[derive(Debug, Clone)]
pub struct RecentMap<K, V> {
    // Each value carries the sequence number of its insertion.
    entries: HashMap<K, (u64, V)>,
    // Insertion order. A key removed early stays here as a tombstone until it reaches the front
    // (an entry is live only while its sequence number matches the map's), so `remove` is O(1)
    // and a key removed and inserted again is not evicted by its old place in line.
    order: VecDeque<(u64, K)>,
    next_seq: u64,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> RecentMap<K, V> {
    /// An empty map that holds at most `capacity` entries (at least one).
    pub fn new(capacity: usize) -> Self {
        RecentMap {
            entries: HashMap::new(),
            order: VecDeque::new(),
            next_seq: 0,
            capacity: capacity.max(1),
        }
    }

    /// The most entries this map holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Inserts `key`, returning what was evicted to make room (the oldest entry), if anything.
    /// A key already present gets the new value and keeps its age.
    pub fn insert(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some((_, slot)) = self.entries.get_mut(&key) {
            *slot = value;
            return None;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.insert(key.clone(), (seq, value));
        self.order.push_back((seq, key));
        let mut evicted = None;
        while self.entries.len() > self.capacity {
            let Some((seq, oldest)) = self.order.pop_front() else {
                break;
            };
            if self.is_live(seq, &oldest)
                && let Some((_, value)) = self.entries.remove(&oldest)
            {
                evicted = Some((oldest, value));
            }
        }
        self.compact();
        evicted
    }

    /// The value of `key`, if remembered.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.get(key).map(|(_, v)| v)
    }

    /// Whether `key` is remembered.
    pub fn contains<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.contains_key(key)
    }

    /// Forgets `key` now, returning its value.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let value = self.entries.remove(key).map(|(_, v)| v);
        if value.is_some() {
            self.compact();
        }
        value
    }

    /// Keeps only the entries for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain(|k, (_, v)| keep(k, v));
        self.compact();
    }

    /// How many entries are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.order.iter().filter_map(|(seq, k)| {
            let (key, (live, value)) = self.entries.get_key_value(k)?;
            (live == seq).then_some((key, value))
        })
    }

    fn is_live(&self, seq: u64, key: &K) -> bool {
        self.entries.get(key).is_some_and(|(live, _)| *live == seq)
    }

    // Drops tombstones at the front, and all of them once they make up more than half of the
    // queue, so the queue stays within about twice the map's size and every operation stays
    // amortised O(1).
    fn compact(&mut self) {
        while let Some((seq, key)) = self.order.front()
            && !self.is_live(*seq, key)
        {
            self.order.pop_front();
        }
        if self.order.len() > 2 * self.entries.len() + 8 {
            let entries = &self.entries;
            self.order
                .retain(|(seq, k)| entries.get(k).is_some_and(|(live, _)| live == seq));
        }
    }
}

/// A set bounded to `capacity` members; inserting beyond that forgets the oldest member.
#[derive(Debug, Clone)]
pub struct RecentSet<K> {
    map: RecentMap<K, ()>,
}

impl<K: Hash + Eq + Clone> RecentSet<K> {
    /// An empty set that holds at most `capacity` members (at least one).
    pub fn new(capacity: usize) -> Self {
        RecentSet {
            map: RecentMap::new(capacity),
        }
    }

    /// Adds `key`, returning the member evicted to make room, if any.
    pub fn insert(&mut self, key: K) -> Option<K> {
        self.map.insert(key, ()).map(|(k, ())| k)
    }

    /// Whether `key` is a member.
    pub fn contains<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.contains(key)
    }

    /// Removes `key`, returning whether it was a member.
    pub fn remove<Q>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.remove(key).is_some()
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The members, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &K> {
        self.map.iter().map(|(k, ())| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_oldest_insertion_goes_first() {
        let mut m = RecentMap::new(2);
        assert_eq!(m.insert("a", 1), None);
        assert_eq!(m.insert("b", 2), None);
        // Reading or re-inserting does not make "a" younger.
        assert_eq!(m.get("a"), Some(&1));
        assert_eq!(m.insert("a", 10), None);
        assert_eq!(m.insert("c", 3), Some(("a", 10)));
        assert_eq!(m.iter().collect::<Vec<_>>(), vec![(&"b", &2), (&"c", &3)]);
    }

    #[test]
    fn removed_keys_free_their_place() {
        let mut s = RecentSet::new(2);
        s.insert(1);
        s.insert(2);
        assert!(s.remove(&1));
        assert_eq!(s.insert(3), None);
        assert_eq!(s.insert(4), Some(2));
        assert!(!s.contains(&2) && s.contains(&3) && s.contains(&4));
        assert_eq!(RecentSet::<u8>::new(0).map.capacity(), 1);
    }

    proptest! {
        // Against a plain model: the map holds exactly the last `cap` distinct keys inserted
        // and not removed since, and its queue never outgrows twice the map.
        #[test]
        fn behaves_like_a_fifo_window(cap in 1usize..6, ops in proptest::collection::vec((any::<bool>(), 0u8..10), 0..200)) {
            let mut m = RecentMap::new(cap);
            let mut model: Vec<u8> = Vec::new();
            for (insert, k) in ops {
                if insert {
                    let evicted = m.insert(k, k);
                    if !model.contains(&k) {
                        model.push(k);
                        if model.len() > cap {
                            let old = model.remove(0);
                            prop_assert_eq!(evicted, Some((old, old)));
                        } else {
                            prop_assert_eq!(evicted, None);
                        }
                    }
                } else {
                    prop_assert_eq!(m.remove(&k).is_some(), model.contains(&k));
                    model.retain(|x| *x != k);
                }
                prop_assert_eq!(m.iter().map(|(k, _)| *k).collect::<Vec<_>>(), model.clone());
                prop_assert!(m.order.len() <= 2 * m.len() + 8);
            }
        }
    }
}
