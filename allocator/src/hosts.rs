//! Host and rack interning: every host name the allocator meets gets a small integer id, so
//! that per-host bookkeeping on big clusters is array indexing rather than string hashing.
//! Racks are resolved lazily through the [`RackCache`] and interned the same way.

use std::sync::Arc;

use crate::fasthash::FastMap;
use crate::racks::RackCache;
use crate::types::{HostName, RackName};

/// The id of an interned host.
pub type HostId = u32;

/// The id of an interned rack.
pub type RackId = u32;

/// Interned hosts and their racks.
#[derive(Clone, Debug, Default)]
pub struct HostTable {
    ids: FastMap<HostName, HostId>,
    names: Vec<HostName>,
    rack_of: Vec<Option<RackId>>,
    rack_ids: FastMap<RackName, RackId>,
    rack_names: Vec<RackName>,
}

impl HostTable {
    /// The id of `host`, interning it if new.
    pub fn intern(&mut self, host: &HostName) -> HostId {
        if let Some(&id) = self.ids.get(host) {
            return id;
        }
        let id = self.names.len() as HostId;
        self.ids.insert(host.clone(), id);
        self.names.push(host.clone());
        self.rack_of.push(None);
        id
    }

    /// The id of `host` if it was interned.
    pub fn get(&self, host: &str) -> Option<HostId> {
        self.ids.get(host).copied()
    }

    /// The name of a host id.
    pub fn name(&self, id: HostId) -> &HostName {
        &self.names[id as usize]
    }

    /// The name of a rack id.
    pub fn rack_name(&self, id: RackId) -> &RackName {
        &self.rack_names[id as usize]
    }

    /// The number of interned hosts (ids are `0..len`).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no host is interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The number of interned racks.
    pub fn rack_count(&self) -> usize {
        self.rack_names.len()
    }

    /// Resolves the racks of `hosts` not yet known, in one batch.
    pub fn resolve(&mut self, hosts: &[HostId], cache: &mut RackCache) {
        let missing: Vec<HostId> = hosts
            .iter()
            .copied()
            .filter(|&h| self.rack_of[h as usize].is_none())
            .collect();
        if missing.is_empty() {
            return;
        }
        let names: Vec<HostName> = missing
            .iter()
            .map(|&h| self.names[h as usize].clone())
            .collect();
        let racks = cache.resolve_uncached(&names);
        // Resolvers hand out one shared name per rack and hosts come rack by rack: comparing
        // pointers with the previous answer skips most of the name lookups.
        let mut last: Option<(RackName, RackId)> = None;
        for (h, rack) in missing.into_iter().zip(racks) {
            let rid = match &last {
                Some((name, id)) if Arc::ptr_eq(name, &rack) => *id,
                _ => {
                    let id = self.rack_id(&rack);
                    last = Some((rack, id));
                    id
                }
            };
            self.rack_of[h as usize] = Some(rid);
        }
    }

    /// The id of a rack, interning it if new.
    fn rack_id(&mut self, rack: &RackName) -> RackId {
        if let Some(&r) = self.rack_ids.get(rack) {
            return r;
        }
        let r = self.rack_names.len() as RackId;
        self.rack_ids.insert(rack.clone(), r);
        self.rack_names.push(rack.clone());
        r
    }

    /// The rack of a host, resolving it if needed.
    pub fn rack(&mut self, host: HostId, cache: &mut RackCache) -> RackId {
        if let Some(r) = self.rack_of[host as usize] {
            return r;
        }
        self.resolve(&[host], cache);
        self.rack_of[host as usize].unwrap_or(0)
    }

    /// Forgets every resolved rack (after a topology change); host ids stay.
    pub fn forget_racks(&mut self) {
        self.rack_of.iter_mut().for_each(|r| *r = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::racks::StaticRackResolver;

    #[test]
    fn interns_hosts_and_racks() {
        let mut t = HostTable::default();
        let a = t.intern(&"a".into());
        let b = t.intern(&"b".into());
        assert_eq!(t.intern(&"a".into()), a);
        assert_ne!(a, b);
        assert_eq!(t.get("b"), Some(b));
        assert_eq!(t.get("c"), None);
        let mut cache = RackCache::new(Arc::new(StaticRackResolver::new([(
            "a".into(),
            "/r1".into(),
        )])));
        t.resolve(&[a, b], &mut cache);
        let (ra, rb) = (t.rack(a, &mut cache), t.rack(b, &mut cache));
        assert_eq!(&**t.rack_name(ra), "/r1");
        assert_eq!(&**t.rack_name(rb), crate::types::DEFAULT_RACK);
        assert_eq!(t.rack_count(), 2);
    }
}
