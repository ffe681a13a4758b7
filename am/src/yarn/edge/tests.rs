use std::collections::BTreeMap;

use spindle_allocator::ExclusionDelta;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, NodeId};
use spindle_protocol::proto::yarn::{NodeIdProto, PriorityProto};
use spindle_protocol::proto::yarn_service::AllocateResponseProto;
use spindle_protocol::yarn::records::exit_status;

use super::*;

fn cid(n: i64) -> ids::ContainerId {
    let attempt = ApplicationAttemptId::new(ApplicationId::new(1_700_000_000_000, 7), 1);
    ids::ContainerId::new(attempt, n)
}

fn granted(n: i64, host: &str) -> ContainerProto {
    ContainerProto {
        id: Some(cid(n).to_proto()),
        node_id: Some(NodeId::new(host, 45454).to_proto()),
        resource: Some(ResourceProto::new(2048, 2).with_resource("yarn.io/gpu", 1, "")),
        priority: Some(PriorityProto::new(3)),
        ..Default::default()
    }
}

#[test]
fn resources_round_trip_with_custom_types() {
    let r = Resource {
        memory_mb: 4096,
        vcores: 3,
        custom: BTreeMap::from([("yarn.io/gpu".to_string(), 2)]),
    };
    let proto = resource_to_proto(&r);
    assert_eq!((proto.memory, proto.virtual_cores), (Some(4096), Some(3)));
    assert_eq!(resource_from_proto(&proto), r);
    // Java writes memory and vcores into the map as well; they are not custom types.
    let java = ResourceProto::new_like_java(1024, 1);
    assert_eq!(resource_from_proto(&java), Resource::new(1024, 1));
    // Negative amounts from a confused RM read as zero.
    assert_eq!(
        resource_from_proto(&ResourceProto::new(-5, -1)),
        Resource::new(0, 0)
    );
}

#[test]
fn requests_carry_asks_releases_and_blacklist_deltas() {
    let ask = ResourceAsk {
        profile: 3,
        priority: 3,
        resource_name: Arc::from("*"),
        capability: Resource::new(2048, 2),
        num_containers: 5,
        relax_locality: true,
        node_label: Some("gpu".into()),
        allocation_request_id: 3,
    };
    let request = AllocateRequest {
        asks: vec![ask],
        releases: vec![
            ContainerId::from(cid(4).to_string()),
            ContainerId::from("nonsense"),
        ],
        exclusions: ExclusionDelta {
            additions: vec![Arc::from("bad1")],
            removals: vec![Arc::from("good2")],
        },
        progress: 0.1,
    };
    let mut notes = Vec::new();
    let proto = request_to_proto(&request, 41, &mut notes);
    assert_eq!(proto.response_id, Some(41));
    assert_eq!(proto.progress, Some(0.1));
    let a = &proto.ask[0];
    assert_eq!(a.priority, Some(PriorityProto::new(3)));
    assert_eq!(a.resource_name.as_deref(), Some("*"));
    assert_eq!(a.num_containers, Some(5));
    assert_eq!(a.allocation_request_id, Some(3));
    assert_eq!(a.node_label_expression.as_deref(), Some("gpu"));
    assert_eq!(proto.release, vec![cid(4).to_proto()]);
    assert_eq!(
        notes,
        vec![EdgeNote::UnparsableRelease(ContainerId::from("nonsense"))]
    );
    let b = proto.blacklist_request.unwrap();
    assert_eq!(
        (b.blacklist_additions, b.blacklist_removals),
        (vec!["bad1".to_string()], vec!["good2".to_string()])
    );
    // No exclusion change, no blacklist request at all.
    let empty = request_to_proto(&AllocateRequest::default(), 0, &mut notes);
    assert!(empty.blacklist_request.is_none());
}

#[test]
fn responses_fill_the_table_and_skip_what_cannot_be_used() {
    let mut table = ContainerTable::default();
    let mut notes = Vec::new();
    let reply = AllocateResponseProto {
        allocated_containers: vec![
            granted(2, "h1"),
            granted(3, "h2"),
            ContainerProto::default(),
            ContainerProto {
                node_id: Some(NodeIdProto::default()),
                ..granted(9, "h9")
            },
        ],
        num_cluster_nodes: Some(4),
        limit: Some(ResourceProto::new(8192, 8)),
        ..Default::default()
    };
    let r = response_from_proto(reply, &mut table, &mut notes);
    assert_eq!(r.allocated.len(), 2);
    assert_eq!(r.allocated[0].id.as_str(), cid(2).to_string());
    assert_eq!(&*r.allocated[1].host, "h2");
    assert_eq!(r.allocated[0].priority, 3);
    assert_eq!(r.allocated[0].resource.custom.get("yarn.io/gpu"), Some(&1));
    assert_eq!(r.cluster_nodes, Some(4));
    assert_eq!(r.available_resources, Some(Resource::new(8192, 8)));
    assert_eq!(table.len(), 2);
    assert_eq!(notes.len(), 2, "{notes:?}");
    let id2 = ContainerId::from(cid(2).to_string());
    assert_eq!(table.get(&id2), Some(&granted(2, "h1")));

    notes.clear();
    let reply = AllocateResponseProto {
        completed_container_statuses: vec![
            ContainerStatusProto {
                container_id: Some(cid(2).to_proto()),
                exit_status: Some(exit_status::KILLED_EXCEEDED_PMEM),
                diagnostics: Some("2.1 GB of 2 GB physical memory used".into()),
                ..Default::default()
            },
            ContainerStatusProto::default(),
        ],
        updated_nodes: vec![
            NodeReportProto {
                node_id: Some(NodeId::new("h2", 45454).to_proto()),
                node_state: Some(NodeStateProto::NsDecommissioning as i32),
                ..Default::default()
            },
            NodeReportProto {
                node_id: Some(NodeId::new("h3", 45454).to_proto()),
                node_state: Some(99),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let r = response_from_proto(reply, &mut table, &mut notes);
    assert_eq!(r.completed.len(), 1);
    assert_eq!(
        r.completed[0].exit_status,
        exit_status::KILLED_EXCEEDED_PMEM
    );
    assert!(r.completed[0].diagnostics.contains("physical memory"));
    assert!(
        table.get(&id2).is_none(),
        "a completed container leaves the table"
    );
    assert_eq!(table.len(), 1);
    assert_eq!(
        r.updated_nodes,
        vec![NodeUpdate {
            host: Arc::from("h2"),
            state: NodeState::Decommissioning
        }]
    );
    assert_eq!(r.cluster_nodes, None, "an absent count keeps the last one");
    assert_eq!(notes.len(), 2, "{notes:?}");
}
