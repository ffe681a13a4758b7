//! Placement: where the next container for one scheduler key goes, node → rack → any, honouring
//! `relax_locality`, the attempt's blacklist, node state and free capacity.
//!
//! YARN's rules (`LocalityAppPlacementAllocator`, `canDelayTo`): a container may go
//! * **node-local** to a node whose host has a positive count;
//! * **rack-local** to a node of a rack with a positive count whose entry allows relaxing to the
//!   rack (`relax_locality` of the rack entry);
//! * **off-switch** anywhere if the ANY entry allows it (`relax_locality` of `*`);
//!
//! and always needs a positive ANY count. Node-local decrements host, rack and ANY; rack-local
//! decrements rack and ANY; off-switch decrements ANY only.

use std::collections::HashSet;

use super::ask_table::{ANY, AskTable, SchedulerKey};
use spindle_protocol::yarn::resources::Resources;

/// What the scheduler needs to know about one node.
#[derive(Debug, Clone)]
pub struct NodeView<'a> {
    /// The node's host name (what asks name).
    pub host: &'a str,
    /// The node's rack.
    pub rack: &'a str,
    /// Capacity not yet allocated.
    pub free: Resources,
    /// Whether new containers may go there (RUNNING).
    pub usable: bool,
}

/// How local a placement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locality {
    /// On a requested host.
    NodeLocal,
    /// On a requested rack.
    RackLocal,
    /// Anywhere.
    OffSwitch,
}

/// The node (index into `nodes`) for the next container of `key`, or `None` if no node may take
/// it now.
pub fn place(
    table: &AskTable,
    key: &SchedulerKey,
    nodes: &[NodeView<'_>],
    blacklist: &HashSet<String>,
) -> Option<(usize, Locality)> {
    if table.count(key, ANY) <= 0 {
        return None;
    }
    let candidates = || {
        nodes.iter().enumerate().filter(|(_, n)| {
            n.usable
                && key.capability.fits_in(&n.free)
                && !blacklist.contains(n.host)
                && !blacklist.contains(n.rack)
        })
    };
    if let Some((i, _)) = candidates().find(|(_, n)| table.count(key, n.host) > 0) {
        return Some((i, Locality::NodeLocal));
    }
    if let Some((i, _)) = candidates().find(|(_, n)| {
        table
            .get(key, n.rack)
            .is_some_and(|a| a.count > 0 && a.relax)
    }) {
        return Some((i, Locality::RackLocal));
    }
    if table.get(key, ANY).is_some_and(|a| a.relax) {
        // Least loaded first, so containers spread over the nodes.
        return candidates()
            .max_by_key(|(i, n)| (n.free.memory_mb, std::cmp::Reverse(*i)))
            .map(|(i, _)| (i, Locality::OffSwitch));
    }
    None
}

/// Lowers the counts a placement uses up.
pub fn consume(table: &mut AskTable, key: &SchedulerKey, node: &NodeView<'_>, locality: Locality) {
    if locality == Locality::NodeLocal {
        table.decrement(key, node.host);
    }
    if locality != Locality::OffSwitch {
        table.decrement(key, node.rack);
    }
    table.decrement(key, ANY);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SchedulerKey {
        SchedulerKey {
            priority: 1,
            allocation_request_id: 0,
            execution_type: 1,
            capability: Resources::new(1024, 1),
        }
    }

    fn nodes() -> Vec<NodeView<'static>> {
        vec![
            NodeView {
                host: "h1",
                rack: "/r1",
                free: Resources::new(4096, 4),
                usable: true,
            },
            NodeView {
                host: "h2",
                rack: "/r1",
                free: Resources::new(4096, 4),
                usable: true,
            },
            NodeView {
                host: "h3",
                rack: "/r2",
                free: Resources::new(8192, 4),
                usable: true,
            },
        ]
    }

    #[test]
    fn node_then_rack_then_any() {
        let n = nodes();
        let none = HashSet::new();
        let mut t = AskTable::default();
        t.set(key(), "h2", 1, true);
        t.set(key(), "/r1", 1, true);
        t.set(key(), ANY, 2, true);
        assert_eq!(place(&t, &key(), &n, &none), Some((1, Locality::NodeLocal)));
        consume(&mut t, &key(), &n[1], Locality::NodeLocal);
        assert_eq!((t.count(&key(), "/r1"), t.count(&key(), ANY)), (0, 1));
        // No more host or rack asks: off-switch, least loaded node.
        assert_eq!(place(&t, &key(), &n, &none), Some((2, Locality::OffSwitch)));
        consume(&mut t, &key(), &n[2], Locality::OffSwitch);
        assert_eq!(place(&t, &key(), &n, &none), None);
    }

    #[test]
    fn strict_locality_and_blacklist() {
        let mut n = nodes();
        let none = HashSet::new();
        let mut t = AskTable::default();
        // AMRMClient's encoding of "h1 only": host relaxed, rack and ANY not.
        t.set(key(), "h1", 1, true);
        t.set(key(), "/r1", 1, false);
        t.set(key(), ANY, 1, false);
        n[0].free = Resources::new(512, 4);
        assert_eq!(place(&t, &key(), &n, &none), None, "h1 is full: wait");
        n[0].free = Resources::new(4096, 4);
        let black: HashSet<String> = ["h1".to_string()].into();
        assert_eq!(place(&t, &key(), &n, &black), None, "h1 is blacklisted");
        assert_eq!(place(&t, &key(), &n, &none), Some((0, Locality::NodeLocal)));
        // Rack-only with relax on the rack.
        let mut t = AskTable::default();
        t.set(key(), "/r2", 1, true);
        t.set(key(), ANY, 1, false);
        assert_eq!(place(&t, &key(), &n, &none), Some((2, Locality::RackLocal)));
        n[2].usable = false;
        assert_eq!(place(&t, &key(), &n, &none), None, "unusable node");
    }
}
