//! The one place where the allocator's plain types and YARN's protobuf records meet.
//!
//! Requests go out as `AllocateRequestProto`s (asks as absolute totals, releases, blacklist
//! deltas); responses come back as the allocator's `AllocateResponse`, while the full
//! `ContainerProto` of every granted container (its token and node address, which the
//! NodeManager needs to start it) is kept in a [`ContainerTable`] until the container ends.
//! Nothing else in Spindle converts between the two.

use std::sync::Arc;

use spindle_allocator::fasthash::FastMap;
use spindle_allocator::{
    AllocateRequest, AllocateResponse, CompletedContainer, Container, ContainerId, HostName,
    NodeState, NodeUpdate, Resource, ResourceAsk,
};
use spindle_protocol::ids;
use spindle_protocol::proto::yarn::{
    ContainerProto, ContainerStatusProto, NodeReportProto, NodeStateProto,
    ResourceBlacklistRequestProto, ResourceProto, ResourceRequestProto,
};
use spindle_protocol::proto::yarn_service::AllocateRequestProto;
use spindle_protocol::yarn::records::{RESOURCE_MEMORY_MB, RESOURCE_VCORES};

/// Something in an RM's reply that could not be used, kept for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdgeNote {
    /// A granted container without an id or node; ignored (the RM will expire it).
    MalformedContainer(String),
    /// A completed status without a container id; ignored.
    MalformedStatus(String),
    /// A node report without a node id or with a state this client does not know; ignored.
    MalformedNode(String),
    /// A release of a container whose id does not parse; not sent.
    UnparsableRelease(ContainerId),
}

/// `resource` as YARN's record: memory and vcores in the legacy fields (which every RM reads),
/// custom types in the map.
pub fn resource_to_proto(resource: &Resource) -> ResourceProto {
    let memory = i64::try_from(resource.memory_mb).unwrap_or(i64::MAX);
    let vcores = i32::try_from(resource.vcores).unwrap_or(i32::MAX);
    resource
        .custom
        .iter()
        .fold(ResourceProto::new(memory, vcores), |r, (name, amount)| {
            r.with_resource(name, i64::try_from(*amount).unwrap_or(i64::MAX), "")
        })
}

/// YARN's resource record as the allocator's type (negative amounts read as zero).
pub fn resource_from_proto(proto: &ResourceProto) -> Resource {
    let custom = proto
        .resource_value_map
        .iter()
        .filter(|r| r.key != RESOURCE_MEMORY_MB && r.key != RESOURCE_VCORES)
        .map(|r| {
            (
                r.key.clone(),
                u64::try_from(r.value.unwrap_or(0)).unwrap_or(0),
            )
        })
        .collect();
    Resource {
        memory_mb: u64::try_from(proto.memory_mb()).unwrap_or(0),
        vcores: u32::try_from(proto.vcores()).unwrap_or(0),
        custom,
    }
}

/// One ask-table entry as a `ResourceRequestProto`.
pub fn ask_to_proto(ask: &ResourceAsk) -> ResourceRequestProto {
    let request = ResourceRequestProto::new(
        ask.priority,
        ask.resource_name.as_ref(),
        resource_to_proto(&ask.capability),
        i32::try_from(ask.num_containers).unwrap_or(i32::MAX),
        ask.allocation_request_id,
    )
    .with_relax_locality(ask.relax_locality);
    match &ask.node_label {
        Some(label) => request.with_node_label_expression(label.clone()),
        None => request,
    }
}

/// The allocator's request as the allocate call's body, with `response_id` (the id of the last
/// reply received).
pub fn request_to_proto(
    request: &AllocateRequest,
    response_id: i32,
    notes: &mut Vec<EdgeNote>,
) -> AllocateRequestProto {
    let release = request
        .releases
        .iter()
        .filter_map(|id| match id.as_str().parse::<ids::ContainerId>() {
            Ok(parsed) => Some(parsed.to_proto()),
            Err(_) => {
                notes.push(EdgeNote::UnparsableRelease(id.clone()));
                None
            }
        })
        .collect();
    let exclusions = &request.exclusions;
    let blacklist_request = (!exclusions.is_empty()).then(|| ResourceBlacklistRequestProto {
        blacklist_additions: exclusions.additions.iter().map(|h| h.to_string()).collect(),
        blacklist_removals: exclusions.removals.iter().map(|h| h.to_string()).collect(),
    });
    AllocateRequestProto {
        ask: request.asks.iter().map(ask_to_proto).collect(),
        release,
        blacklist_request,
        response_id: Some(response_id),
        progress: Some(request.progress),
        ..Default::default()
    }
}

/// The full records of the containers granted and not yet ended, by id, and one shared name per
/// host (thousands of containers name the same few thousand hosts).
#[derive(Debug, Default)]
pub struct ContainerTable {
    records: FastMap<ContainerId, ContainerProto>,
    hosts: FastMap<String, HostName>,
}

impl ContainerTable {
    /// The record of a granted container.
    pub fn get(&self, id: &ContainerId) -> Option<&ContainerProto> {
        self.records.get(id)
    }

    /// Remembers a record (a container granted, or adopted from an earlier attempt).
    pub fn insert(&mut self, id: ContainerId, record: ContainerProto) {
        self.records.insert(id, record);
    }

    /// Forgets a container that ended.
    pub fn remove(&mut self, id: &ContainerId) -> Option<ContainerProto> {
        self.records.remove(id)
    }

    /// How many containers are remembered.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The shared name of `host`.
    fn host(&mut self, host: &str) -> HostName {
        if let Some(name) = self.hosts.get(host) {
            return name.clone();
        }
        let name = HostName::from(host);
        self.hosts.insert(host.to_string(), name.clone());
        name
    }
}

/// A granted container as the allocator sees it, or why it cannot be used.
pub fn container_from_proto(proto: &ContainerProto) -> Result<Container, String> {
    container_with_host(proto, |h| HostName::from(h))
}

fn container_with_host(
    proto: &ContainerProto,
    host: impl FnOnce(&str) -> HostName,
) -> Result<Container, String> {
    let id = proto
        .container_id()
        .map_err(|e| format!("container without a valid id: {e}"))?;
    let node = proto
        .node_id
        .as_ref()
        .and_then(|n| n.host.as_deref())
        .filter(|h| !h.is_empty())
        .ok_or_else(|| format!("container {id} without a valid node"))?;
    Ok(Container {
        id: ContainerId::from(id.to_string()),
        host: host(node),
        resource: proto
            .resource
            .as_ref()
            .map(resource_from_proto)
            .unwrap_or_default(),
        priority: proto
            .priority
            .as_ref()
            .and_then(|p| p.priority)
            .unwrap_or(0),
    })
}

fn completed_from_proto(status: &ContainerStatusProto) -> Result<CompletedContainer, String> {
    let id = status
        .id()
        .map_err(|e| format!("completed status without a valid container id: {e}"))?;
    Ok(CompletedContainer {
        id: ContainerId::from(id.to_string()),
        exit_status: status.exit_status(),
        diagnostics: status.diagnostics.clone().unwrap_or_default(),
    })
}

fn node_state(proto: i32) -> Option<NodeState> {
    Some(match NodeStateProto::try_from(proto).ok()? {
        NodeStateProto::NsNew => NodeState::New,
        NodeStateProto::NsRunning => NodeState::Running,
        NodeStateProto::NsUnhealthy => NodeState::Unhealthy,
        NodeStateProto::NsDecommissioned => NodeState::Decommissioned,
        NodeStateProto::NsLost => NodeState::Lost,
        NodeStateProto::NsRebooted => NodeState::Rebooted,
        NodeStateProto::NsDecommissioning => NodeState::Decommissioning,
        NodeStateProto::NsShutdown => NodeState::Shutdown,
    })
}

fn node_from_proto(report: &NodeReportProto) -> Result<NodeUpdate, String> {
    let node = report
        .node_id
        .as_ref()
        .and_then(|n| n.host.clone())
        .ok_or_else(|| "node report without a node id".to_string())?;
    let raw = report.node_state.unwrap_or(NodeStateProto::NsNew as i32);
    let state = node_state(raw).ok_or_else(|| format!("node {node} in unknown state {raw}"))?;
    Ok(NodeUpdate {
        host: Arc::from(node.as_str()),
        state,
    })
}

/// The parts of an allocate reply the allocator reads. Granted containers' records move into
/// `table` (no copy); completed ones leave it.
pub fn response_from_proto(
    reply: spindle_protocol::proto::yarn_service::AllocateResponseProto,
    table: &mut ContainerTable,
    notes: &mut Vec<EdgeNote>,
) -> AllocateResponse {
    let mut allocated = Vec::with_capacity(reply.allocated_containers.len());
    table.records.reserve(reply.allocated_containers.len());
    for proto in reply.allocated_containers {
        match container_with_host(&proto, |h| table.host(h)) {
            Ok(container) => {
                table.insert(container.id.clone(), proto);
                allocated.push(container);
            }
            Err(e) => notes.push(EdgeNote::MalformedContainer(e)),
        }
    }
    let mut completed = Vec::with_capacity(reply.completed_container_statuses.len());
    for status in &reply.completed_container_statuses {
        match completed_from_proto(status) {
            Ok(done) => {
                table.remove(&done.id);
                completed.push(done);
            }
            Err(e) => notes.push(EdgeNote::MalformedStatus(e)),
        }
    }
    let updated_nodes = reply
        .updated_nodes
        .iter()
        .filter_map(|r| {
            node_from_proto(r)
                .map_err(|e| notes.push(EdgeNote::MalformedNode(e)))
                .ok()
        })
        .collect();
    AllocateResponse {
        allocated,
        completed,
        updated_nodes,
        cluster_nodes: reply.num_cluster_nodes,
        available_resources: reply.limit.as_ref().map(resource_from_proto),
    }
}

#[cfg(test)]
mod tests;
