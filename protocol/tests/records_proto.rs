//! Byte-exact checks of the hand-written YARN records against messages captured between real
//! Hadoop 3.5 clients and servers (see docs/wire.md): decoding the captured bytes gives the
//! expected values, and encoding them again gives the very same bytes.

use prost::Message;
use spindle_protocol::ids::{ApplicationAttemptId, ContainerId, NodeId};
use spindle_protocol::proto::security::{
    AMRMTokenIdentifierProto, ContainerTokenIdentifierProto, NMTokenIdentifierProto,
};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;

/// AllocateRequestProto sent by AMRMClient (callId 2), with one ask.
const ALLOCATE_REQUEST: &str = "0a400a02080112012a1a2b08800210011a140a096d656d6f72792d6d621080021a024d6920001a0e0a0676636f72657310011a002000200128013a040801100040001a0020012d0000803e";

/// AllocateResponseProto (one container + one NMToken).
const ALLOCATE_RESPONSE: &str = "10021aac020a11120d0a0908011080d095ffbc3110011802120f0a093132372e302e302e311089db011a0f3132372e302e302e313a3238303432222b08800210011a140a096d656d6f72792d6d621080021a024d6920001a0e0a0676636f72657310011a0020002a02080132bf010a85010a11120d0a0908011080d095ffbc3110011802120f3132372e302e302e313a32383034311a04726f6f74222b08800210011a140a096d656d6f72792d6d621080021a024d6920001a0e0a0676636f72657310011a00200028d0d9f7c5a03430013880d095ffbc314202080148908ad3c5a0345a0060026801700078ffffffffffffffffff01121456883148ed9ee6b12bde234d3c0bafc58a5f25f61a0e436f6e7461696e6572546f6b656e220f3132372e302e302e313a3238303431380140002a2b08804010041a140a096d656d6f72792d6d621080401a024d6920001a0e0a0676636f72657310041a00200038014a6d0a0f0a093132372e302e302e311089db01125a0a280a0d0a0908011080d095ffbc311001120f0a093132372e302e302e311089db011a04726f6f74200112147601223711b721a5c338c0da8baccdfbdefc13d61a074e4d546f6b656e220f3132372e302e302e313a32383034316a020800";

/// ContainerTokenIdentifierProto of the allocated container (133 bytes).
const CONTAINER_TOKEN_IDENTIFIER: &str = "0a11120d0a0908011080d095ffbc3110011802120f3132372e302e302e313a32383034311a04726f6f74222b08800210011a140a096d656d6f72792d6d621080021a024d6920001a0e0a0676636f72657310011a00200028d0d9f7c5a03430013880d095ffbc314202080148908ad3c5a0345a0060026801700078ffffffffffffffffff01";

/// NMTokenIdentifierProto (40 bytes).
const NM_TOKEN_IDENTIFIER: &str =
    "0a0d0a0908011080d095ffbc311001120f0a093132372e302e302e311089db011a04726f6f742001";

/// AMRMTokenIdentifierProto (17 bytes).
const AMRM_TOKEN_IDENTIFIER: &str = "0a0d0a0908011080d095ffbc3110011001";

fn bytes(h: &str) -> Vec<u8> {
    hex::decode(h).unwrap()
}

fn java_resource(memory: i64, vcores: i32) -> ResourceProto {
    ResourceProto {
        memory: Some(memory),
        virtual_cores: Some(vcores),
        resource_value_map: vec![
            ResourceInformationProto {
                key: "memory-mb".into(),
                value: Some(memory),
                units: Some("Mi".into()),
                r#type: Some(ResourceTypesProto::Countable as i32),
                ..Default::default()
            },
            ResourceInformationProto {
                key: "vcores".into(),
                value: Some(vcores.into()),
                units: Some(String::new()),
                r#type: Some(ResourceTypesProto::Countable as i32),
                ..Default::default()
            },
        ],
    }
}

#[test]
fn allocate_request_is_byte_exact() {
    let wire = bytes(ALLOCATE_REQUEST);
    let req = AllocateRequestProto::decode(wire.as_slice()).unwrap();
    let built = AllocateRequestProto {
        ask: vec![ResourceRequestProto {
            priority: Some(PriorityProto { priority: Some(1) }),
            resource_name: Some("*".into()),
            capability: Some(java_resource(256, 1)),
            num_containers: Some(1),
            relax_locality: Some(true),
            node_label_expression: None,
            execution_type_request: Some(ExecutionTypeRequestProto {
                execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
                enforce_execution_type: Some(false),
            }),
            allocation_request_id: Some(0),
        }],
        blacklist_request: Some(ResourceBlacklistRequestProto::default()),
        response_id: Some(1),
        progress: Some(0.25),
        ..Default::default()
    };
    assert_eq!(req, built);
    assert_eq!(built.encode_to_vec(), wire);
}

#[test]
fn allocate_response_is_byte_exact() {
    let wire = bytes(ALLOCATE_RESPONSE);
    let resp = AllocateResponseProto::decode(wire.as_slice()).unwrap();
    assert_eq!(resp.response_id, Some(2));
    assert_eq!(resp.num_cluster_nodes, Some(1));
    assert_eq!(
        resp.application_priority,
        Some(PriorityProto { priority: Some(0) })
    );
    assert_eq!(resp.limit, Some(java_resource(8192, 4)));

    let c = &resp.allocated_containers[0];
    let cid = ContainerId::from_proto(c.id.as_ref().unwrap()).unwrap();
    assert_eq!(cid.to_string(), "container_1700000000000_0001_01_000002");
    assert_eq!(
        NodeId::from_proto(c.node_id.as_ref().unwrap()).unwrap(),
        NodeId::new("127.0.0.1", 28041)
    );
    assert_eq!(c.node_http_address.as_deref(), Some("127.0.0.1:28042"));
    assert_eq!(c.resource, Some(java_resource(256, 1)));
    assert_eq!(c.execution_type(), ExecutionTypeProto::Guaranteed);
    assert_eq!(c.allocation_request_id, Some(0));
    assert_eq!(c.version, None, "Java leaves version unset");
    assert_eq!(c.version(), 0);
    let token = c.container_token.as_ref().unwrap();
    assert_eq!(token.kind, "ContainerToken");
    assert_eq!(token.service, "127.0.0.1:28041");
    assert_eq!(token.identifier, bytes(CONTAINER_TOKEN_IDENTIFIER));

    let nm = &resp.nm_tokens[0];
    assert_eq!(nm.token.as_ref().unwrap().kind, "NMToken");
    assert_eq!(
        nm.token.as_ref().unwrap().identifier,
        bytes(NM_TOKEN_IDENTIFIER)
    );
    assert_eq!(
        hex::encode(&nm.token.as_ref().unwrap().password),
        "7601223711b721a5c338c0da8baccdfbdefc13d6"
    );

    assert_eq!(
        resp.encode_to_vec(),
        wire,
        "re-encoding gives the captured bytes"
    );
}

#[test]
fn token_identifiers_are_byte_exact() {
    let attempt: ApplicationAttemptId = "appattempt_1700000000000_0001_000001".parse().unwrap();

    let amrm = AMRMTokenIdentifierProto::decode(bytes(AMRM_TOKEN_IDENTIFIER).as_slice()).unwrap();
    assert_eq!(amrm.app_attempt_id, Some(attempt.to_proto()));
    assert_eq!(amrm.key_id(), 1);
    assert_eq!(amrm.encode_to_vec(), bytes(AMRM_TOKEN_IDENTIFIER));
    assert_eq!(AMRMTokenIdentifierProto::default().key_id(), -1);

    let nm = NMTokenIdentifierProto::decode(bytes(NM_TOKEN_IDENTIFIER).as_slice()).unwrap();
    assert_eq!(nm.app_submitter.as_deref(), Some("root"));
    assert_eq!(nm.node_id, Some(NodeId::new("127.0.0.1", 28041).to_proto()));
    assert_eq!(nm.encode_to_vec(), bytes(NM_TOKEN_IDENTIFIER));

    let ct = ContainerTokenIdentifierProto::decode(bytes(CONTAINER_TOKEN_IDENTIFIER).as_slice())
        .unwrap();
    assert_eq!(ct.expiry_time_stamp, Some(1795442994384));
    assert_eq!(ct.creation_time, Some(1795442394384));
    assert_eq!(ct.rm_identifier, Some(1700000000000));
    assert_eq!(ct.container_type(), ContainerTypeProto::Task);
    assert_eq!(ct.allocation_request_id, Some(-1));
    assert_eq!(ct.node_label_expression.as_deref(), Some(""));
    assert_eq!(ct.encode_to_vec(), bytes(CONTAINER_TOKEN_IDENTIFIER));
}

#[test]
fn proto2_defaults_are_the_hadoop_ones() {
    assert_eq!(ResourceRequestProto::default().allocation_request_id(), -1);
    assert!(ResourceRequestProto::default().relax_locality());
    assert_eq!(ContainerStatusProto::default().exit_status(), -1000);
    assert_eq!(ContainerStatusProto::default().diagnostics(), "N/A");
    assert_eq!(ContainerProto::default().allocation_request_id(), -1);
    assert_eq!(
        ContainerProto::default().execution_type(),
        ExecutionTypeProto::Guaranteed
    );
    let ctx = ApplicationSubmissionContextProto::default();
    assert_eq!(ctx.queue(), "default");
    assert_eq!(ctx.application_name(), "N/A");
    assert_eq!(ctx.application_type(), "YARN");
    assert!(ctx.cancel_tokens_when_complete());
    assert_eq!(ctx.attempt_failures_validity_interval(), -1);
    assert_eq!(ApplicationReportProto::default().diagnostics(), "N/A");
    assert_eq!(ApplicationACLMapProto::default().acl(), " ");
    let la = LogAggregationContextProto::default();
    assert_eq!(la.include_pattern(), ".*");
    assert_eq!(la.rolled_logs_exclude_pattern(), ".*");
    assert_eq!(
        ContainerRetryContextProto::default().failures_validity_interval(),
        -1
    );
    assert_eq!(
        GetApplicationsRequestProto::default().scope(),
        ApplicationsRequestScopeProto::All
    );
    assert!(ReInitializeContainerRequestProto::default().auto_commit());
    assert_eq!(
        NodeAttributeKeyProto::default().attribute_prefix(),
        "rm.yarn.io"
    );
    // Unset optionals are not written at all (proto2).
    assert!(ContainerStatusProto::default().encode_to_vec().is_empty());
}

#[test]
fn required_fields_are_always_written_and_repeated_enums_unpacked() {
    // TokenProto: all four required, even when empty.
    let t = spindle_protocol::proto::security::TokenProto::default();
    assert_eq!(
        t.encode_to_vec(),
        [0x0a, 0x00, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00]
    );
    // proto2 repeated enums are not packed: one tag per value.
    let req = GetClusterNodesRequestProto {
        node_states: vec![
            NodeStateProto::NsRunning as i32,
            NodeStateProto::NsLost as i32,
        ],
    };
    assert_eq!(req.encode_to_vec(), [0x08, 0x02, 0x08, 0x05]);
    // Unknown enum values survive a round trip as raw numbers (C_SCHEDULED=4 of old protos).
    let st = ContainerStatusProto {
        state: Some(4),
        ..Default::default()
    };
    let back = ContainerStatusProto::decode(st.encode_to_vec().as_slice()).unwrap();
    assert_eq!(back.state, Some(4));
}

#[test]
fn recursive_messages_round_trip() {
    let e = SerializedExceptionProto {
        message: Some("outer".into()),
        class_name: Some("org.apache.hadoop.yarn.exceptions.YarnException".into()),
        cause: Some(Box::new(SerializedExceptionProto {
            message: Some("inner".into()),
            ..Default::default()
        })),
        ..Default::default()
    };
    assert_eq!(
        SerializedExceptionProto::decode(e.encode_to_vec().as_slice()).unwrap(),
        e
    );
    let q = QueueInfoProto {
        queue_name: Some("root".into()),
        child_queues: vec![QueueInfoProto {
            queue_name: Some("default".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert_eq!(
        QueueInfoProto::decode(q.encode_to_vec().as_slice()).unwrap(),
        q
    );
}
