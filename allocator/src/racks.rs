//! Rack resolution: a pluggable resolver behind a cache.
//!
//! Resolving racks was slow enough in Spark to time out RPCs on 5,000-node clusters
//! (SPARK-13704, SPARK-36964): the allocator resolves every host at most once, in batches,
//! and keeps the answer. A host the resolver does not know is on [`DEFAULT_RACK`]; when a
//! whole batch falls back to it, the cache reports it once (SPARK-19894: everything then
//! looks rack-local).

use crate::fasthash::FastMap;
use std::fmt;
use std::sync::Arc;

use crate::types::{DEFAULT_RACK, HostName, RackName};

/// Maps hosts to racks. Implementations may be slow (a topology script); the allocator calls
/// them only for hosts it has not seen, in batches.
pub trait RackResolver: fmt::Debug + Send + Sync {
    /// One answer per host, in order; `None` for a host the resolver does not know.
    fn resolve(&self, hosts: &[HostName]) -> Vec<Option<RackName>>;
}

/// A fixed host → rack table (YARN's `TableMapping`).
#[derive(Debug, Clone, Default)]
pub struct StaticRackResolver {
    table: FastMap<HostName, RackName>,
}

impl StaticRackResolver {
    /// A resolver from a table.
    pub fn new(table: impl IntoIterator<Item = (HostName, RackName)>) -> Self {
        Self {
            table: table.into_iter().collect(),
        }
    }
}

impl RackResolver for StaticRackResolver {
    fn resolve(&self, hosts: &[HostName]) -> Vec<Option<RackName>> {
        hosts.iter().map(|h| self.table.get(h).cloned()).collect()
    }
}

/// A [`RackResolver`] with the default-rack rules (unknown or empty answers fall back to
/// [`DEFAULT_RACK`]; a batch that collapses to it is reported once) and a cache by host name.
/// The allocator resolves through [`RackCache::resolve_uncached`]: its host table already
/// keeps each host's rack by id.
#[derive(Debug, Clone)]
pub struct RackCache {
    resolver: Arc<dyn RackResolver>,
    cache: FastMap<HostName, RackName>,
    default_rack: RackName,
    collapse_reported: bool,
    collapse_pending: bool,
}

impl RackCache {
    /// A cache in front of `resolver`.
    pub fn new(resolver: Arc<dyn RackResolver>) -> Self {
        Self {
            resolver,
            cache: FastMap::default(),
            default_rack: RackName::from(DEFAULT_RACK),
            collapse_reported: false,
            collapse_pending: false,
        }
    }

    /// The rack of one host.
    pub fn rack_of(&mut self, host: &HostName) -> RackName {
        if let Some(r) = self.cache.get(host) {
            return r.clone();
        }
        self.resolve_missing(std::slice::from_ref(host));
        self.cache
            .get(host)
            .cloned()
            .unwrap_or_else(|| self.default_rack.clone())
    }

    /// Resolves every host of `hosts` not yet cached, in one batch.
    pub fn resolve_missing(&mut self, hosts: &[HostName]) {
        let missing: Vec<HostName> = hosts
            .iter()
            .filter(|h| !self.cache.contains_key(*h))
            .cloned()
            .collect();
        if missing.is_empty() {
            return;
        }
        let racks = self.resolve_uncached(&missing);
        self.cache.extend(missing.into_iter().zip(racks));
    }

    /// Asks the resolver for the racks of `hosts` in one batch, without looking them up in
    /// or adding them to this cache: for a caller that keeps its own (the allocator's
    /// [`crate::hosts::HostTable`] keeps racks by host id, so a second table keyed by name
    /// would only cost a hash of every host). Unknown hosts get the default rack; the
    /// collapse notice is armed as for cached lookups.
    pub fn resolve_uncached(&mut self, hosts: &[HostName]) -> Vec<RackName> {
        let mut answers = self.resolver.resolve(hosts);
        // A resolver that answers too few hosts leaves the rest on the default rack.
        answers.resize(hosts.len(), None);
        let mut all_default = true;
        let racks = answers
            .into_iter()
            .map(|rack| match rack.filter(|r| !r.is_empty()) {
                Some(r) => {
                    all_default &= *r == *DEFAULT_RACK;
                    r
                }
                None => self.default_rack.clone(),
            })
            .collect();
        if all_default && !self.collapse_reported {
            self.collapse_reported = true;
            self.collapse_pending = true;
        }
        racks
    }

    /// The racks of `hosts`, in order, resolving the unknown ones in one batch.
    pub fn racks_of(&mut self, hosts: &[HostName]) -> Vec<RackName> {
        self.resolve_missing(hosts);
        hosts
            .iter()
            .map(|h| {
                self.cache
                    .get(h)
                    .cloned()
                    .unwrap_or_else(|| self.default_rack.clone())
            })
            .collect()
    }

    /// True once, after the first batch in which every host fell back to the default rack.
    pub fn take_collapse_notice(&mut self) -> bool {
        std::mem::take(&mut self.collapse_pending)
    }

    /// Forgets every cached answer (after a topology change).
    pub fn invalidate(&mut self) {
        self.cache.clear();
    }

    /// Number of cached hosts.
    pub fn len(&self) -> usize {
        self.cache.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.cache.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug, Default)]
    struct Counting {
        calls: AtomicUsize,
        hosts: AtomicUsize,
    }

    impl RackResolver for Counting {
        fn resolve(&self, hosts: &[HostName]) -> Vec<Option<RackName>> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            self.hosts.fetch_add(hosts.len(), Ordering::Relaxed);
            hosts
                .iter()
                .map(|h| h.strip_prefix("r1-").map(|_| RackName::from("/r1")))
                .collect()
        }
    }

    #[test]
    fn resolves_each_host_once() {
        let r = Arc::new(Counting::default());
        let mut cache = RackCache::new(r.clone());
        let hosts: Vec<HostName> = vec!["r1-a".into(), "b".into()];
        cache.resolve_missing(&hosts);
        cache.resolve_missing(&hosts);
        assert_eq!(&*cache.rack_of(&"r1-a".into()), "/r1");
        assert_eq!(&*cache.rack_of(&"b".into()), DEFAULT_RACK);
        assert_eq!(r.calls.load(Ordering::Relaxed), 1);
        assert_eq!(r.hosts.load(Ordering::Relaxed), 2);
        assert!(!cache.take_collapse_notice());
        cache.invalidate();
        assert!(cache.is_empty());
    }

    #[test]
    fn reports_default_rack_collapse_once() {
        let mut cache = RackCache::new(Arc::new(StaticRackResolver::default()));
        cache.resolve_missing(&["x".into(), "y".into()]);
        assert!(cache.take_collapse_notice());
        cache.resolve_missing(&["z".into()]);
        assert!(!cache.take_collapse_notice());
    }
}
