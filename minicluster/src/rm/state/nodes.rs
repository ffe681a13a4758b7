//! Nodes as the RM sees them: joining, being lost or decommissioned, and the views the
//! scheduler and the allocate response take of them.

use std::collections::BTreeSet;

use spindle_protocol::ids::{ContainerId, NodeId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::yarn::records::exit_status;

use super::{Effect, RmState};
use crate::rm::scheduler::NodeView;
use spindle_protocol::yarn::resources::Resources;

/// A NodeManager as the RM sees it.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    /// Its id (`host:port` of its ContainerManagement port).
    pub id: NodeId,
    /// Its rack.
    pub rack: String,
    /// Its web address (`host:port`).
    pub http_address: String,
    /// Capacity.
    pub capability: Resources,
    /// Allocated.
    pub used: Resources,
    /// State.
    pub state: NodeStateProto,
    /// Live containers.
    pub containers: BTreeSet<ContainerId>,
    /// Node-update sequence number of its last state change.
    pub changed_seq: u64,
}

impl NodeInfo {
    /// Whether new containers may go there.
    pub(super) fn usable(&self) -> bool {
        self.state == NodeStateProto::NsRunning
    }

    /// Its `NodeReport`.
    pub(super) fn report(&self, now_ms: i64) -> NodeReportProto {
        NodeReportProto {
            node_id: Some(self.id.to_proto()),
            http_address: Some(self.http_address.clone()),
            rack_name: Some(self.rack.clone()),
            used: Some(self.used.to_proto()),
            capability: Some(self.capability.to_proto()),
            num_containers: Some(self.containers.len() as i32),
            node_state: Some(self.state as i32),
            health_report: Some(String::new()),
            last_health_report_time: Some(now_ms),
            node_update_type: Some(if self.usable() {
                NodeUpdateTypeProto::NodeUsable as i32
            } else {
                NodeUpdateTypeProto::NodeUnusable as i32
            }),
            ..Default::default()
        }
    }
}

impl RmState {
    /// Adds a RUNNING node; returns its index.
    pub fn add_node(
        &mut self,
        id: NodeId,
        rack: String,
        http_address: String,
        capability: Resources,
        now_ms: i64,
    ) -> usize {
        self.node_seq += 1;
        self.nodes.push(NodeInfo {
            id,
            rack,
            http_address,
            capability,
            used: Resources::default(),
            state: NodeStateProto::NsRunning,
            containers: BTreeSet::new(),
            changed_seq: self.node_seq,
        });
        self.schedule(now_ms);
        self.nodes.len() - 1
    }

    /// The nodes.
    pub fn nodes(&self) -> &[NodeInfo] {
        &self.nodes
    }

    /// A node is lost: its containers complete as ABORTED and it leaves the cluster.
    pub fn lose_node(&mut self, node: usize, now_ms: i64) {
        self.remove_node(
            node,
            NodeStateProto::NsLost,
            "Container released on a *lost* node",
            now_ms,
        );
    }

    /// A node is decommissioned: its containers complete as ABORTED and it leaves the cluster.
    pub fn decommission_node(&mut self, node: usize, now_ms: i64) {
        self.remove_node(
            node,
            NodeStateProto::NsDecommissioned,
            "Container released on a decommissioned node",
            now_ms,
        );
    }

    /// Takes a usable node out of the cluster in `state`: its NM shuts down and its containers
    /// complete ABORTED with `why`.
    fn remove_node(&mut self, node: usize, state: NodeStateProto, why: &str, now_ms: i64) {
        let Some(n) = self.nodes.get_mut(node) else {
            return;
        };
        if !n.usable() {
            return;
        }
        self.node_seq += 1;
        n.state = state;
        n.changed_seq = self.node_seq;
        let live: Vec<ContainerId> = n.containers.iter().copied().collect();
        self.effects.push(Effect::ShutdownNode { node });
        for cid in live {
            self.complete(cid, exit_status::ABORTED, why.to_string(), now_ms);
        }
        self.schedule(now_ms);
    }

    /// How many nodes take new containers.
    pub(super) fn usable_nodes(&self) -> i32 {
        self.nodes.iter().filter(|n| n.usable()).count() as i32
    }

    /// Free resources over the usable nodes.
    pub(super) fn headroom(&self) -> Resources {
        let mut free = Resources::default();
        for n in self.nodes.iter().filter(|n| n.usable()) {
            free.add(&n.capability.minus(&n.used));
        }
        free
    }

    /// What the scheduler sees of each node, by index.
    pub(super) fn node_views(&self) -> Vec<NodeView<'_>> {
        self.nodes
            .iter()
            .map(|n| NodeView {
                host: n.id.host.as_str(),
                rack: n.rack.as_str(),
                free: n.capability.minus(&n.used),
                usable: n.usable(),
            })
            .collect()
    }
}
