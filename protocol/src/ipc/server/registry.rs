//! Which connections a server holds, and who makes room when it is full.
//!
//! Hadoop's server caps connections and, above `ipc.client.idlethreshold`, closes connections
//! that have been idle (no call outstanding) for a while, scanning every 10 s. A client that
//! opens connections up to the cap and keeps them idle therefore locks everyone else out
//! until the next scan. Here a new connection that would go over the cap (in total, or for its
//! source address) takes the place of the least recently active idle connection at once;
//! only when every connection has a call outstanding is the new one refused.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;
use tokio::time::Instant;

/// One open connection as the registry sees it.
#[derive(Debug)]
pub(crate) struct Entry {
    id: u64,
    ip: IpAddr,
    base: Instant,
    /// Milliseconds since `base` of the last frame read or reply written.
    last_active_ms: AtomicU64,
    /// Calls started and not yet answered.
    busy: AtomicUsize,
    evicted: AtomicBool,
    evict: Notify,
}

impl Entry {
    /// Notes activity now.
    pub(crate) fn touch(&self) {
        let ms = Instant::now()
            .saturating_duration_since(self.base)
            .as_millis() as u64;
        self.last_active_ms.store(ms, Ordering::Relaxed);
    }

    /// When the connection was last active.
    pub(crate) fn last_active(&self) -> Instant {
        self.base + std::time::Duration::from_millis(self.last_active_ms.load(Ordering::Relaxed))
    }

    /// A call started.
    pub(crate) fn call_started(&self) {
        self.busy.fetch_add(1, Ordering::AcqRel);
    }

    /// A call was answered.
    pub(crate) fn call_finished(&self) {
        self.busy.fetch_sub(1, Ordering::AcqRel);
        self.touch();
    }

    fn is_idle(&self) -> bool {
        self.busy.load(Ordering::Acquire) == 0
    }

    /// Resolves once the registry gave this connection's place to another.
    pub(crate) async fn evicted(&self) {
        loop {
            let notified = self.evict.notified();
            if self.evicted.load(Ordering::Acquire) {
                return;
            }
            notified.await;
        }
    }
}

#[derive(Debug, Default)]
struct Table {
    next_id: u64,
    conns: HashMap<u64, Arc<Entry>>,
    per_ip: HashMap<IpAddr, usize>,
}

impl Table {
    fn remove(&mut self, id: u64) -> Option<Arc<Entry>> {
        let entry = self.conns.remove(&id)?;
        if let Some(n) = self.per_ip.get_mut(&entry.ip) {
            *n -= 1;
            if *n == 0 {
                self.per_ip.remove(&entry.ip);
            }
        }
        Some(entry)
    }

    /// Removes and signals the least recently active idle connection (of `ip`, if given).
    fn evict_oldest_idle(&mut self, ip: Option<IpAddr>) -> bool {
        let victim = self
            .conns
            .values()
            .filter(|e| ip.is_none_or(|ip| e.ip == ip) && e.is_idle())
            .min_by_key(|e| e.last_active_ms.load(Ordering::Relaxed))
            .map(|e| e.id);
        match victim.and_then(|id| self.remove(id)) {
            Some(entry) => {
                entry.evicted.store(true, Ordering::Release);
                entry.evict.notify_waiters();
                true
            }
            None => false,
        }
    }
}

/// Why a connection was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The server holds `max` connections and every one has a call outstanding.
    Full {
        /// The cap.
        max: usize,
    },
    /// The source address holds `max` connections and every one has a call outstanding.
    SourceFull {
        /// The per-source cap.
        max: usize,
    },
}

/// What admitting a connection did.
#[derive(Debug)]
pub(crate) struct Admitted {
    /// The new connection's entry; dropping the guard removes it.
    pub(crate) guard: Guard,
    /// Whether an idle connection was closed to make room.
    pub(crate) evicted: bool,
}

/// Every connection of one server.
#[derive(Debug)]
pub(crate) struct Registry {
    table: Mutex<Table>,
    max_total: usize,
    max_per_source: usize,
    base: Instant,
}

/// Keeps a connection registered; dropping it unregisters the connection.
#[derive(Debug)]
pub(crate) struct Guard {
    registry: Arc<Registry>,
    entry: Arc<Entry>,
}

impl Guard {
    /// The connection's entry.
    pub(crate) fn entry(&self) -> &Arc<Entry> {
        &self.entry
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.registry.lock().remove(self.entry.id);
    }
}

impl Registry {
    /// A registry holding at most `max_total` connections, `max_per_source` per address.
    pub(crate) fn new(max_total: usize, max_per_source: usize) -> Arc<Registry> {
        Arc::new(Registry {
            table: Mutex::new(Table::default()),
            max_total: max_total.max(1),
            max_per_source: max_per_source.max(1),
            base: Instant::now(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Admits a connection from `ip`, closing an idle one if that is what makes room.
    pub(crate) fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Admitted, Refusal> {
        let mut table = self.lock();
        let mut evicted = false;
        if table.per_ip.get(&ip).copied().unwrap_or(0) >= self.max_per_source {
            if !table.evict_oldest_idle(Some(ip)) {
                return Err(Refusal::SourceFull {
                    max: self.max_per_source,
                });
            }
            evicted = true;
        }
        if table.conns.len() >= self.max_total {
            if !table.evict_oldest_idle(None) {
                return Err(Refusal::Full {
                    max: self.max_total,
                });
            }
            evicted = true;
        }
        let id = table.next_id;
        table.next_id += 1;
        let entry = Arc::new(Entry {
            id,
            ip,
            base: self.base,
            last_active_ms: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
            evicted: AtomicBool::new(false),
            evict: Notify::new(),
        });
        entry.touch();
        table.conns.insert(id, entry.clone());
        *table.per_ip.entry(ip).or_insert(0) += 1;
        Ok(Admitted {
            guard: Guard {
                registry: self.clone(),
                entry,
            },
            evicted,
        })
    }

    /// Connections held now.
    pub(crate) fn len(&self) -> usize {
        self.lock().conns.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    #[tokio::test(start_paused = true)]
    async fn full_server_evicts_the_least_recently_active_idle_connection() {
        let r = Registry::new(3, 10);
        let a = r.admit(ip(1)).unwrap().guard;
        tokio::time::advance(std::time::Duration::from_millis(5)).await;
        let b = r.admit(ip(1)).unwrap().guard;
        tokio::time::advance(std::time::Duration::from_millis(5)).await;
        let c = r.admit(ip(2)).unwrap().guard;
        a.entry().call_started(); // a is busy: b is the oldest idle one
        let d = r.admit(ip(3)).unwrap();
        assert!(d.evicted);
        assert_eq!(r.len(), 3);
        tokio::time::timeout(std::time::Duration::from_millis(1), b.entry().evicted())
            .await
            .expect("b was told to close");
        // Dropping the evicted guard later is harmless.
        drop(b);
        assert_eq!(r.len(), 3);
        // With every connection busy the next one is refused.
        c.entry().call_started();
        d.guard.entry().call_started();
        assert_eq!(r.admit(ip(4)).unwrap_err(), Refusal::Full { max: 3 });
        a.entry().call_finished();
        assert!(r.admit(ip(4)).unwrap().evicted);
    }

    #[tokio::test(start_paused = true)]
    async fn a_source_at_its_limit_only_displaces_its_own_connections() {
        let r = Registry::new(100, 2);
        let other = r.admit(ip(9)).unwrap().guard;
        let first = r.admit(ip(1)).unwrap().guard;
        tokio::time::advance(std::time::Duration::from_millis(5)).await;
        let _second = r.admit(ip(1)).unwrap().guard;
        let third = r.admit(ip(1)).unwrap();
        assert!(third.evicted);
        tokio::time::timeout(std::time::Duration::from_millis(1), first.entry().evicted())
            .await
            .expect("the oldest connection of the same source made room");
        assert!(!other.entry().evicted.load(Ordering::Acquire));
        third.guard.entry().call_started();
        _second.entry().call_started();
        assert_eq!(r.admit(ip(1)).unwrap_err(), Refusal::SourceFull { max: 2 });
        drop(other);
        assert_eq!(r.len(), 2);
    }
}
