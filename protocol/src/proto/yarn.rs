//! YARN records from `yarn_protos.proto` (package `hadoop.yarn`, Hadoop 3.4.1).
//!
//! Written by hand as prost messages with proto2 semantics, one line per field with
//! [`proto_messages!`](crate::proto_messages): `optional` scalars are `Option<T>` (the prost
//! getters return the proto default when unset), `required` fields are plain values that are
//! always encoded, enum fields are `Option<i32>` / `Vec<i32>` tied to their
//! [`prost::Enumeration`] type, and repeated numeric fields are `unpacked` like proto2.
//!
//! Sections follow the order of the Hadoop file: IDs, resources, containers, applications,
//! nodes, scheduling, submission, queues, placement constraints, launch contexts, map entries.
//! Convenience constructors and accessors live in [`crate::yarn::records`].

use super::security::TokenProto;

// ---------------------------------------------------------------------------------------------
// Exceptions and IDs
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `SerializedExceptionProto`: an exception sent as data (e.g. a failed container start).
    pub struct SerializedExceptionProto {
        /// f1 `message`.
        1 message: optional string,
        /// f2 `trace`: the stack trace text.
        2 trace: optional string,
        /// f3 `class_name`: the Java class name of the exception.
        3 class_name: optional string,
        /// f4 `cause`: the nested cause, if any.
        4 cause: optional boxed message(SerializedExceptionProto),
    }

    /// `ApplicationIdProto`: `application_<cluster_timestamp>_<id>`.
    #[derive(Eq, Hash)]
    pub struct ApplicationIdProto {
        /// f1 `id`: the sequence number within the RM.
        1 id: optional int32,
        /// f2 `cluster_timestamp`: the RM's start time (ms).
        2 cluster_timestamp: optional int64,
    }

    /// `ApplicationAttemptIdProto`: `appattempt_<ts>_<app>_<attempt>`.
    #[derive(Eq, Hash)]
    pub struct ApplicationAttemptIdProto {
        /// f1 `application_id`.
        1 application_id: optional message(ApplicationIdProto),
        /// f2 `attemptId`.
        2 attempt_id: optional int32,
    }

    /// `ContainerIdProto`: `container_[e<epoch>_]<ts>_<app>_<attempt>_<seq>`.
    #[derive(Eq, Hash)]
    pub struct ContainerIdProto {
        /// f1 `app_id`: legacy, Java does not set it.
        1 app_id: optional message(ApplicationIdProto),
        /// f2 `app_attempt_id`.
        2 app_attempt_id: optional message(ApplicationAttemptIdProto),
        /// f3 `id`: epoch in bits 40 and up, sequence number in the low 40 bits.
        3 id: optional int64,
    }

    /// `NodeIdProto`: a NodeManager's `host:port`.
    #[derive(Eq, Hash)]
    pub struct NodeIdProto {
        /// f1 `host`.
        1 host: optional string,
        /// f2 `port`.
        2 port: optional int32,
    }

    /// `PriorityProto`: a lower number means a higher priority.
    #[derive(Eq, Hash)]
    pub struct PriorityProto {
        /// f1 `priority`.
        1 priority: optional int32,
    }

    /// `ReservationIdProto`.
    #[derive(Eq, Hash)]
    pub struct ReservationIdProto {
        /// f1 `id`.
        1 id: optional int64,
        /// f2 `cluster_timestamp`.
        2 cluster_timestamp: optional int64,
    }
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

crate::proto_enums! {
    /// `ResourceTypesProto`.
    pub enum ResourceTypesProto {
        /// `COUNTABLE`.
        Countable = 0,
    }
}

crate::proto_messages! {
    /// `ResourceInformationProto`: one named resource of a [`ResourceProto`].
    pub struct ResourceInformationProto {
        /// f1 `key` (required), e.g. `memory-mb`, `vcores`, `yarn.io/gpu`.
        1 key: required string,
        /// f2 `value`.
        2 value: optional int64,
        /// f3 `units`, e.g. `Mi` for memory, empty for vcores.
        3 units: optional string,
        /// f4 `type`.
        4 r#type: optional enumeration(ResourceTypesProto),
        /// f5 `tags`.
        5 tags: repeated string,
        /// f6 `attributes`.
        6 attributes: repeated message(StringStringMapProto),
    }

    /// `ResourceTypeInfoProto`: a resource type the cluster knows.
    pub struct ResourceTypeInfoProto {
        /// f1 `name` (required).
        1 name: required string,
        /// f2 `units`.
        2 units: optional string,
        /// f3 `type`.
        3 r#type: optional enumeration(ResourceTypesProto),
    }

    /// `ResourceProto`: memory (MB), vcores and other resource types. `memory`/`virtual_cores`
    /// win over the map entries for memory and vcores.
    pub struct ResourceProto {
        /// f1 `memory` in MB.
        1 memory: optional int64,
        /// f2 `virtual_cores`.
        2 virtual_cores: optional int32,
        /// f3 `resource_value_map`: every resource type (Java includes memory-mb and vcores too).
        3 resource_value_map: repeated message(ResourceInformationProto),
    }

    /// `ResourceUtilizationProto`: measured use of a node or its containers.
    pub struct ResourceUtilizationProto {
        /// f1 `pmem` (MB).
        1 pmem: optional int32,
        /// f2 `vmem` (MB).
        2 vmem: optional int32,
        /// f3 `cpu` (fraction of vcores).
        3 cpu: optional float,
        /// f4 `customResources`.
        4 custom_resources: repeated message(StringFloatMapProto),
    }

    /// `ResourceOptionProto`.
    pub struct ResourceOptionProto {
        /// f1 `resource`.
        1 resource: optional message(ResourceProto),
        /// f2 `over_commit_timeout`.
        2 over_commit_timeout: optional int32,
    }

    /// `ResourceProfileEntry`: a named resource profile.
    pub struct ResourceProfileEntry {
        /// f1 `name` (required).
        1 name: required string,
        /// f2 `resources` (required).
        2 resources: required message(ResourceProto),
    }

    /// `ResourceProfilesProto`.
    pub struct ResourceProfilesProto {
        /// f1 `resource_profiles_map`.
        1 resource_profiles_map: repeated message(ResourceProfileEntry),
    }

    /// `NodeResourceMapProto`.
    pub struct NodeResourceMapProto {
        /// f1 `node_id`.
        1 node_id: optional message(NodeIdProto),
        /// f2 `resource_option`.
        2 resource_option: optional message(ResourceOptionProto),
    }
}

// ---------------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------------

crate::proto_enums! {
    /// `ContainerStateProto`. Older protos also had `C_SCHEDULED=4`, so callers must tolerate
    /// unknown values (the raw `i32` is kept).
    pub enum ContainerStateProto {
        /// `C_NEW`.
        CNew = 1,
        /// `C_RUNNING`.
        CRunning = 2,
        /// `C_COMPLETE`.
        CComplete = 3,
    }

    /// `ContainerSubStateProto`.
    pub enum ContainerSubStateProto {
        /// `CSS_SCHEDULED`.
        CssScheduled = 1,
        /// `CSS_RUNNING`.
        CssRunning = 2,
        /// `CSS_PAUSED`.
        CssPaused = 3,
        /// `CSS_COMPLETING`.
        CssCompleting = 4,
        /// `CSS_DONE`.
        CssDone = 5,
    }
}

crate::proto_messages! {
    /// `ContainerProto`: an allocated container.
    pub struct ContainerProto {
        /// f1 `id`.
        1 id: optional message(ContainerIdProto),
        /// f2 `nodeId`.
        2 node_id: optional message(NodeIdProto),
        /// f3 `node_http_address`.
        3 node_http_address: optional string,
        /// f4 `resource`.
        4 resource: optional message(ResourceProto),
        /// f5 `priority`.
        5 priority: optional message(PriorityProto),
        /// f6 `container_token`: pass it unchanged to `startContainers`.
        6 container_token: optional message(TokenProto),
        /// f7 `execution_type` [= GUARANTEED].
        7 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        /// f8 `allocation_request_id` [= -1].
        8 allocation_request_id: optional int64 = "-1",
        /// f9 `version` [= 0].
        9 version: optional int32 = "0",
        /// f10 `allocation_tags`.
        10 allocation_tags: repeated string,
        /// f11 `exposed_ports`.
        11 exposed_ports: optional string,
    }

    /// `ContainerReportProto`: history view of a container.
    pub struct ContainerReportProto {
        /// f1 `container_id`.
        1 container_id: optional message(ContainerIdProto),
        /// f2 `resource`.
        2 resource: optional message(ResourceProto),
        /// f3 `node_id`.
        3 node_id: optional message(NodeIdProto),
        /// f4 `priority`.
        4 priority: optional message(PriorityProto),
        /// f5 `creation_time`.
        5 creation_time: optional int64,
        /// f6 `finish_time`.
        6 finish_time: optional int64,
        /// f7 `diagnostics_info` [= "N/A"].
        7 diagnostics_info: optional string = "N/A",
        /// f8 `log_url`.
        8 log_url: optional string,
        /// f9 `container_exit_status`.
        9 container_exit_status: optional int32,
        /// f10 `container_state`.
        10 container_state: optional enumeration(ContainerStateProto),
        /// f11 `node_http_address`.
        11 node_http_address: optional string,
        /// f12 `executionType` [= GUARANTEED].
        12 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        /// f13 `exposed_ports`.
        13 exposed_ports: optional string,
    }
}

// ---------------------------------------------------------------------------------------------
// Applications
// ---------------------------------------------------------------------------------------------

crate::proto_enums! {
    /// `YarnApplicationStateProto`.
    pub enum YarnApplicationStateProto {
        /// `NEW`.
        New = 1,
        /// `NEW_SAVING`.
        NewSaving = 2,
        /// `SUBMITTED`.
        Submitted = 3,
        /// `ACCEPTED`.
        Accepted = 4,
        /// `RUNNING`.
        Running = 5,
        /// `FINISHED`.
        Finished = 6,
        /// `FAILED`.
        Failed = 7,
        /// `KILLED`.
        Killed = 8,
    }

    /// `YarnApplicationAttemptStateProto`.
    pub enum YarnApplicationAttemptStateProto {
        /// `APP_ATTEMPT_NEW`.
        AppAttemptNew = 1,
        /// `APP_ATTEMPT_SUBMITTED`.
        AppAttemptSubmitted = 2,
        /// `APP_ATTEMPT_SCHEDULED`.
        AppAttemptScheduled = 3,
        /// `APP_ATTEMPT_ALLOCATED_SAVING`.
        AppAttemptAllocatedSaving = 4,
        /// `APP_ATTEMPT_ALLOCATED`.
        AppAttemptAllocated = 5,
        /// `APP_ATTEMPT_LAUNCHED`.
        AppAttemptLaunched = 6,
        /// `APP_ATTEMPT_FAILED`.
        AppAttemptFailed = 7,
        /// `APP_ATTEMPT_RUNNING`.
        AppAttemptRunning = 8,
        /// `APP_ATTEMPT_FINISHING`.
        AppAttemptFinishing = 9,
        /// `APP_ATTEMPT_FINISHED`.
        AppAttemptFinished = 10,
        /// `APP_ATTEMPT_KILLED`.
        AppAttemptKilled = 11,
    }

    /// `FinalApplicationStatusProto`.
    pub enum FinalApplicationStatusProto {
        /// `APP_UNDEFINED`.
        AppUndefined = 0,
        /// `APP_SUCCEEDED`.
        AppSucceeded = 1,
        /// `APP_FAILED`.
        AppFailed = 2,
        /// `APP_KILLED`.
        AppKilled = 3,
        /// `APP_ENDED`.
        AppEnded = 4,
    }
}

crate::proto_messages! {
    /// `URLProto`: a URL split the way `org.apache.hadoop.yarn.api.records.URL` does.
    pub struct URLProto {
        /// f1 `scheme`.
        1 scheme: optional string,
        /// f2 `host` (set only when the URI has one).
        2 host: optional string,
        /// f3 `port` (-1 when absent).
        3 port: optional int32,
        /// f4 `file`: the path.
        4 file: optional string,
        /// f5 `userInfo`.
        5 user_info: optional string,
    }
}

crate::proto_enums! {
    /// `LocalResourceVisibilityProto`.
    pub enum LocalResourceVisibilityProto {
        /// `PUBLIC`: shared by all users of the node.
        Public = 1,
        /// `PRIVATE`: shared by the user's applications.
        Private = 2,
        /// `APPLICATION`: this application only.
        Application = 3,
    }

    /// `LocalResourceTypeProto`.
    pub enum LocalResourceTypeProto {
        /// `ARCHIVE`: unpacked by the NM.
        Archive = 1,
        /// `FILE`.
        File = 2,
        /// `PATTERN`: an archive of which the entries matching `pattern` are unpacked.
        Pattern = 3,
    }
}

crate::proto_messages! {
    /// `LocalResourceProto`: a file the NM localizes into the container work dir.
    pub struct LocalResourceProto {
        /// f1 `resource`: where to download from.
        1 resource: optional message(URLProto),
        /// f2 `size` (bytes).
        2 size: optional int64,
        /// f3 `timestamp`: the source file's modification time (ms); must match exactly.
        3 timestamp: optional int64,
        /// f4 `type`.
        4 r#type: optional enumeration(LocalResourceTypeProto),
        /// f5 `visibility`.
        5 visibility: optional enumeration(LocalResourceVisibilityProto),
        /// f6 `pattern` (for `PATTERN`).
        6 pattern: optional string,
        /// f7 `should_be_uploaded_to_shared_cache`.
        7 should_be_uploaded_to_shared_cache: optional bool,
    }

    /// `StringLongMapProto`: map entry with required key and value.
    #[derive(Eq, Hash)]
    pub struct StringLongMapProto {
        /// f1 `key` (required).
        1 key: required string,
        /// f2 `value` (required).
        2 value: required int64,
    }

    /// `StringFloatMapProto`: map entry with required key and value.
    pub struct StringFloatMapProto {
        /// f1 `key` (required).
        1 key: required string,
        /// f2 `value` (required).
        2 value: required float,
    }

    /// `ApplicationResourceUsageReportProto`.
    pub struct ApplicationResourceUsageReportProto {
        /// f1 `num_used_containers`.
        1 num_used_containers: optional int32,
        /// f2 `num_reserved_containers`.
        2 num_reserved_containers: optional int32,
        /// f3 `used_resources`.
        3 used_resources: optional message(ResourceProto),
        /// f4 `reserved_resources`.
        4 reserved_resources: optional message(ResourceProto),
        /// f5 `needed_resources`.
        5 needed_resources: optional message(ResourceProto),
        /// f6 `memory_seconds` (MB·s).
        6 memory_seconds: optional int64,
        /// f7 `vcore_seconds`.
        7 vcore_seconds: optional int64,
        /// f8 `queue_usage_percentage`.
        8 queue_usage_percentage: optional float,
        /// f9 `cluster_usage_percentage`.
        9 cluster_usage_percentage: optional float,
        /// f10 `preempted_memory_seconds`.
        10 preempted_memory_seconds: optional int64,
        /// f11 `preempted_vcore_seconds`.
        11 preempted_vcore_seconds: optional int64,
        /// f12 `application_resource_usage_map`.
        12 application_resource_usage_map: repeated message(StringLongMapProto),
        /// f13 `application_preempted_resource_usage_map`.
        13 application_preempted_resource_usage_map: repeated message(StringLongMapProto),
    }

    /// `ApplicationReportProto`: what the RM reports about an application.
    pub struct ApplicationReportProto {
        /// f1 `applicationId`.
        1 application_id: optional message(ApplicationIdProto),
        /// f2 `user`.
        2 user: optional string,
        /// f3 `queue`.
        3 queue: optional string,
        /// f4 `name`.
        4 name: optional string,
        /// f5 `host`: the AM's host.
        5 host: optional string,
        /// f6 `rpc_port`: the AM's RPC port.
        6 rpc_port: optional int32,
        /// f7 `client_to_am_token`.
        7 client_to_am_token: optional message(TokenProto),
        /// f8 `yarn_application_state`.
        8 yarn_application_state: optional enumeration(YarnApplicationStateProto),
        /// f9 `trackingUrl`.
        9 tracking_url: optional string,
        /// f10 `diagnostics` [= "N/A"].
        10 diagnostics: optional string = "N/A",
        /// f11 `startTime`.
        11 start_time: optional int64,
        /// f12 `finishTime`.
        12 finish_time: optional int64,
        /// f13 `final_application_status`.
        13 final_application_status: optional enumeration(FinalApplicationStatusProto),
        /// f14 `app_resource_Usage`.
        14 app_resource_usage: optional message(ApplicationResourceUsageReportProto),
        /// f15 `originalTrackingUrl`.
        15 original_tracking_url: optional string,
        /// f16 `currentApplicationAttemptId`.
        16 current_application_attempt_id: optional message(ApplicationAttemptIdProto),
        /// f17 `progress` (0..1).
        17 progress: optional float,
        /// f18 `applicationType`.
        18 application_type: optional string,
        /// f19 `am_rm_token` (unmanaged AMs only).
        19 am_rm_token: optional message(TokenProto),
        /// f20 `applicationTags`.
        20 application_tags: repeated string,
        /// f21 `log_aggregation_status`.
        21 log_aggregation_status: optional enumeration(LogAggregationStatusProto),
        /// f22 `unmanaged_application` [= false].
        22 unmanaged_application: optional bool = "false",
        /// f23 `priority`.
        23 priority: optional message(PriorityProto),
        /// f24 `appNodeLabelExpression`.
        24 app_node_label_expression: optional string,
        /// f25 `amNodeLabelExpression`.
        25 am_node_label_expression: optional string,
        /// f26 `appTimeouts`.
        26 app_timeouts: repeated message(AppTimeoutsMapProto),
        /// f27 `launchTime`.
        27 launch_time: optional int64,
        /// f28 `submitTime`.
        28 submit_time: optional int64,
        /// f29 `rmClusterId`.
        29 rm_cluster_id: optional string,
    }

    /// `AppTimeoutsMapProto`.
    pub struct AppTimeoutsMapProto {
        /// f1 `application_timeout_type`.
        1 application_timeout_type: optional enumeration(ApplicationTimeoutTypeProto),
        /// f2 `application_timeout`.
        2 application_timeout: optional message(ApplicationTimeoutProto),
    }

    /// `ApplicationTimeoutProto`.
    pub struct ApplicationTimeoutProto {
        /// f1 `application_timeout_type` (required).
        1 application_timeout_type: required enumeration(ApplicationTimeoutTypeProto),
        /// f2 `expire_time` (ISO 8601 text).
        2 expire_time: optional string,
        /// f3 `remaining_time` (seconds).
        3 remaining_time: optional int64,
    }
}

crate::proto_enums! {
    /// `LogAggregationStatusProto`.
    pub enum LogAggregationStatusProto {
        /// `LOG_DISABLED`.
        LogDisabled = 1,
        /// `LOG_NOT_START`.
        LogNotStart = 2,
        /// `LOG_RUNNING`.
        LogRunning = 3,
        /// `LOG_SUCCEEDED`.
        LogSucceeded = 4,
        /// `LOG_FAILED`.
        LogFailed = 5,
        /// `LOG_TIME_OUT`.
        LogTimeOut = 6,
        /// `LOG_RUNNING_WITH_FAILURE`.
        LogRunningWithFailure = 7,
    }
}

crate::proto_messages! {
    /// `ApplicationAttemptReportProto`.
    pub struct ApplicationAttemptReportProto {
        /// f1 `application_attempt_id`.
        1 application_attempt_id: optional message(ApplicationAttemptIdProto),
        /// f2 `host`.
        2 host: optional string,
        /// f3 `rpc_port`.
        3 rpc_port: optional int32,
        /// f4 `tracking_url`.
        4 tracking_url: optional string,
        /// f5 `diagnostics` [= "N/A"].
        5 diagnostics: optional string = "N/A",
        /// f6 `yarn_application_attempt_state`.
        6 yarn_application_attempt_state: optional enumeration(YarnApplicationAttemptStateProto),
        /// f7 `am_container_id`.
        7 am_container_id: optional message(ContainerIdProto),
        /// f8 `original_tracking_url`.
        8 original_tracking_url: optional string,
        /// f9 `startTime`.
        9 start_time: optional int64,
        /// f10 `finishTime`.
        10 finish_time: optional int64,
    }
}

// ---------------------------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------------------------

crate::proto_enums! {
    /// `NodeStateProto`.
    pub enum NodeStateProto {
        /// `NS_NEW`.
        NsNew = 1,
        /// `NS_RUNNING`.
        NsRunning = 2,
        /// `NS_UNHEALTHY`.
        NsUnhealthy = 3,
        /// `NS_DECOMMISSIONED`.
        NsDecommissioned = 4,
        /// `NS_LOST`.
        NsLost = 5,
        /// `NS_REBOOTED`.
        NsRebooted = 6,
        /// `NS_DECOMMISSIONING`.
        NsDecommissioning = 7,
        /// `NS_SHUTDOWN`.
        NsShutdown = 8,
    }

    /// `NodeUpdateTypeProto`.
    pub enum NodeUpdateTypeProto {
        /// `NODE_USABLE`.
        NodeUsable = 0,
        /// `NODE_UNUSABLE`.
        NodeUnusable = 1,
        /// `NODE_DECOMMISSIONING`.
        NodeDecommissioning = 2,
    }
}

crate::proto_messages! {
    /// `NodeReportProto`: what the RM reports about a node.
    pub struct NodeReportProto {
        /// f1 `nodeId`.
        1 node_id: optional message(NodeIdProto),
        /// f2 `httpAddress`.
        2 http_address: optional string,
        /// f3 `rackName`.
        3 rack_name: optional string,
        /// f4 `used`.
        4 used: optional message(ResourceProto),
        /// f5 `capability`.
        5 capability: optional message(ResourceProto),
        /// f6 `numContainers`.
        6 num_containers: optional int32,
        /// f7 `node_state`.
        7 node_state: optional enumeration(NodeStateProto),
        /// f8 `health_report`.
        8 health_report: optional string,
        /// f9 `last_health_report_time`.
        9 last_health_report_time: optional int64,
        /// f10 `node_labels`.
        10 node_labels: repeated string,
        /// f11 `containers_utilization`.
        11 containers_utilization: optional message(ResourceUtilizationProto),
        /// f12 `node_utilization`.
        12 node_utilization: optional message(ResourceUtilizationProto),
        /// f13 `decommissioning_timeout` (seconds).
        13 decommissioning_timeout: optional uint32,
        /// f14 `node_update_type`.
        14 node_update_type: optional enumeration(NodeUpdateTypeProto),
        /// f15 `node_attributes`.
        15 node_attributes: repeated message(NodeAttributeProto),
    }

    /// `NodeIdToLabelsProto`.
    pub struct NodeIdToLabelsProto {
        /// f1 `nodeId`.
        1 node_id: optional message(NodeIdProto),
        /// f2 `nodeLabels`.
        2 node_labels: repeated string,
    }

    /// `LabelsToNodeIdsProto`.
    pub struct LabelsToNodeIdsProto {
        /// f1 `nodeLabels`.
        1 node_labels: optional string,
        /// f2 `nodeId`.
        2 node_id: repeated message(NodeIdProto),
    }

    /// `NodeLabelProto`.
    pub struct NodeLabelProto {
        /// f1 `name`.
        1 name: optional string,
        /// f2 `isExclusive` [= true].
        2 is_exclusive: optional bool = "true",
    }
}

crate::proto_enums! {
    /// `NodeAttributeTypeProto`.
    pub enum NodeAttributeTypeProto {
        /// `STRING`.
        String = 1,
    }
}

crate::proto_messages! {
    /// `NodeAttributeKeyProto`.
    pub struct NodeAttributeKeyProto {
        /// f1 `attributePrefix` [= "rm.yarn.io"].
        1 attribute_prefix: optional string = "rm.yarn.io",
        /// f2 `attributeName` (required).
        2 attribute_name: required string,
    }

    /// `NodeAttributeProto`.
    pub struct NodeAttributeProto {
        /// f1 `attributeKey` (required).
        1 attribute_key: required message(NodeAttributeKeyProto),
        /// f2 `attributeType` [= STRING].
        2 attribute_type: optional enumeration(NodeAttributeTypeProto) = "String",
        /// f3 `attributeValue` [= ""].
        3 attribute_value: optional string = "",
    }

    /// `NodeAttributeInfoProto`.
    pub struct NodeAttributeInfoProto {
        /// f1 `attributeKey` (required).
        1 attribute_key: required message(NodeAttributeKeyProto),
        /// f2 `attributeType` (required).
        2 attribute_type: required enumeration(NodeAttributeTypeProto),
    }

    /// `NodeToAttributeValueProto`.
    pub struct NodeToAttributeValueProto {
        /// f1 `hostname` (required).
        1 hostname: required string,
        /// f2 `attributeValue` (required).
        2 attribute_value: required string,
    }

    /// `AttributeToNodesProto`.
    pub struct AttributeToNodesProto {
        /// f1 `nodeAttribute` (required).
        1 node_attribute: required message(NodeAttributeKeyProto),
        /// f2 `nodeValueMap`.
        2 node_value_map: repeated message(NodeToAttributeValueProto),
    }

    /// `NodeToAttributesProto`.
    pub struct NodeToAttributesProto {
        /// f1 `node`.
        1 node: optional string,
        /// f2 `nodeAttributes`.
        2 node_attributes: repeated message(NodeAttributeProto),
    }
}

crate::proto_enums! {
    /// `ContainerTypeProto`.
    pub enum ContainerTypeProto {
        /// `APPLICATION_MASTER`.
        ApplicationMaster = 1,
        /// `TASK`.
        Task = 2,
    }

    /// `ExecutionTypeProto`.
    pub enum ExecutionTypeProto {
        /// `GUARANTEED`.
        Guaranteed = 1,
        /// `OPPORTUNISTIC`.
        Opportunistic = 2,
    }
}

// ---------------------------------------------------------------------------------------------
// Scheduling
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `ResourceRequestProto`: an ask. The count is an absolute total for its key.
    pub struct ResourceRequestProto {
        /// f1 `priority`.
        1 priority: optional message(PriorityProto),
        /// f2 `resource_name`: host, rack or `*`.
        2 resource_name: optional string,
        /// f3 `capability`.
        3 capability: optional message(ResourceProto),
        /// f4 `num_containers`: total outstanding for this key (0 cancels).
        4 num_containers: optional int32,
        /// f5 `relax_locality` [= true].
        5 relax_locality: optional bool = "true",
        /// f6 `node_label_expression`.
        6 node_label_expression: optional string,
        /// f7 `execution_type_request`.
        7 execution_type_request: optional message(ExecutionTypeRequestProto),
        /// f8 `allocation_request_id` [= -1]; always set it explicitly.
        8 allocation_request_id: optional int64 = "-1",
    }

    /// `ExecutionTypeRequestProto`.
    pub struct ExecutionTypeRequestProto {
        /// f1 `execution_type` [= GUARANTEED].
        1 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        /// f2 `enforce_execution_type` [= false].
        2 enforce_execution_type: optional bool = "false",
    }

    /// `SchedulingRequestProto`: a placement-constraint aware ask.
    pub struct SchedulingRequestProto {
        /// f1 `allocationRequestId` [= 0].
        1 allocation_request_id: optional int64 = "0",
        /// f2 `priority`.
        2 priority: optional message(PriorityProto),
        /// f3 `executionType`.
        3 execution_type: optional message(ExecutionTypeRequestProto),
        /// f4 `allocationTags`.
        4 allocation_tags: repeated string,
        /// f5 `resourceSizing`.
        5 resource_sizing: optional message(ResourceSizingProto),
        /// f6 `placementConstraint`.
        6 placement_constraint: optional message(PlacementConstraintProto),
    }

    /// `ResourceSizingProto`.
    pub struct ResourceSizingProto {
        /// f1 `numAllocations`.
        1 num_allocations: optional int32,
        /// f2 `resources`.
        2 resources: optional message(ResourceProto),
    }
}

crate::proto_enums! {
    /// `AMCommandProto`: old RMs tell the AM to resync or shut down.
    pub enum AMCommandProto {
        /// `AM_RESYNC`: register again.
        AmResync = 1,
        /// `AM_SHUTDOWN`: exit.
        AmShutdown = 2,
    }

    /// `RejectionReasonProto`.
    pub enum RejectionReasonProto {
        /// `RRP_COULD_NOT_PLACE_ON_NODE`.
        RrpCouldNotPlaceOnNode = 1,
        /// `RRP_COULD_NOT_SCHEDULE_ON_NODE`.
        RrpCouldNotScheduleOnNode = 2,
    }
}

crate::proto_messages! {
    /// `RejectedSchedulingRequestProto`.
    pub struct RejectedSchedulingRequestProto {
        /// f1 `reason` (required).
        1 reason: required enumeration(RejectionReasonProto),
        /// f2 `request` (required).
        2 request: required message(SchedulingRequestProto),
    }

    /// `PreemptionMessageProto`: containers the RM is about to take back.
    pub struct PreemptionMessageProto {
        /// f1 `strictContract`: these containers will be preempted.
        1 strict_contract: optional message(StrictPreemptionContractProto),
        /// f2 `contract`: free this much, or these containers go.
        2 contract: optional message(PreemptionContractProto),
    }

    /// `StrictPreemptionContractProto`.
    pub struct StrictPreemptionContractProto {
        /// f1 `container`.
        1 container: repeated message(PreemptionContainerProto),
    }

    /// `PreemptionContractProto`.
    pub struct PreemptionContractProto {
        /// f1 `resource`.
        1 resource: repeated message(PreemptionResourceRequestProto),
        /// f2 `container`.
        2 container: repeated message(PreemptionContainerProto),
    }

    /// `PreemptionContainerProto`.
    pub struct PreemptionContainerProto {
        /// f1 `id`.
        1 id: optional message(ContainerIdProto),
    }

    /// `PreemptionResourceRequestProto`.
    pub struct PreemptionResourceRequestProto {
        /// f1 `resource`.
        1 resource: optional message(ResourceRequestProto),
    }

    /// `ResourceBlacklistRequestProto`.
    pub struct ResourceBlacklistRequestProto {
        /// f1 `blacklist_additions`: hosts or racks to avoid.
        1 blacklist_additions: repeated string,
        /// f2 `blacklist_removals`.
        2 blacklist_removals: repeated string,
    }
}

// ---------------------------------------------------------------------------------------------
// Application submission
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `ApplicationSubmissionContextProto`: everything needed to launch an application.
    pub struct ApplicationSubmissionContextProto {
        /// f1 `application_id`.
        1 application_id: optional message(ApplicationIdProto),
        /// f2 `application_name` [= "N/A"].
        2 application_name: optional string = "N/A",
        /// f3 `queue` [= "default"].
        3 queue: optional string = "default",
        /// f4 `priority`.
        4 priority: optional message(PriorityProto),
        /// f5 `am_container_spec`.
        5 am_container_spec: optional message(ContainerLaunchContextProto),
        /// f6 `cancel_tokens_when_complete` [= true].
        6 cancel_tokens_when_complete: optional bool = "true",
        /// f7 `unmanaged_am` [= false].
        7 unmanaged_am: optional bool = "false",
        /// f8 `maxAppAttempts` [= 0 → cluster default].
        8 max_app_attempts: optional int32 = "0",
        /// f9 `resource`: the AM container's resource.
        9 resource: optional message(ResourceProto),
        /// f10 `applicationType` [= "YARN"].
        10 application_type: optional string = "YARN",
        /// f11 `keep_containers_across_application_attempts` [= false].
        11 keep_containers_across_application_attempts: optional bool = "false",
        /// f12 `applicationTags`.
        12 application_tags: repeated string,
        /// f13 `attempt_failures_validity_interval` [= -1] (ms).
        13 attempt_failures_validity_interval: optional int64 = "-1",
        /// f14 `log_aggregation_context`.
        14 log_aggregation_context: optional message(LogAggregationContextProto),
        /// f15 `reservation_id`.
        15 reservation_id: optional message(ReservationIdProto),
        /// f16 `node_label_expression`.
        16 node_label_expression: optional string,
        /// f17 `am_container_resource_request`.
        17 am_container_resource_request: repeated message(ResourceRequestProto),
        /// f18 `application_timeouts`.
        18 application_timeouts: repeated message(ApplicationTimeoutMapProto),
        /// f19 `application_scheduling_properties`.
        19 application_scheduling_properties: repeated message(StringStringMapProto),
    }
}

crate::proto_enums! {
    /// `ApplicationTimeoutTypeProto`.
    pub enum ApplicationTimeoutTypeProto {
        /// `APP_TIMEOUT_LIFETIME`.
        AppTimeoutLifetime = 1,
    }
}

crate::proto_messages! {
    /// `ApplicationTimeoutMapProto`.
    pub struct ApplicationTimeoutMapProto {
        /// f1 `application_timeout_type`.
        1 application_timeout_type: optional enumeration(ApplicationTimeoutTypeProto),
        /// f2 `timeout` (seconds).
        2 timeout: optional int64,
    }

    /// `ApplicationUpdateTimeoutMapProto`.
    pub struct ApplicationUpdateTimeoutMapProto {
        /// f1 `application_timeout_type`.
        1 application_timeout_type: optional enumeration(ApplicationTimeoutTypeProto),
        /// f2 `expire_time` (ISO 8601 text).
        2 expire_time: optional string,
    }

    /// `LogAggregationContextProto`.
    pub struct LogAggregationContextProto {
        /// f1 `include_pattern` [= ".*"].
        1 include_pattern: optional string = ".*",
        /// f2 `exclude_pattern` [= ""].
        2 exclude_pattern: optional string = "",
        /// f3 `rolled_logs_include_pattern` [= ""].
        3 rolled_logs_include_pattern: optional string = "",
        /// f4 `rolled_logs_exclude_pattern` [= ".*"].
        4 rolled_logs_exclude_pattern: optional string = ".*",
        /// f5 `log_aggregation_policy_class_name`.
        5 log_aggregation_policy_class_name: optional string,
        /// f6 `log_aggregation_policy_parameters`.
        6 log_aggregation_policy_parameters: optional string,
    }
}

crate::proto_enums! {
    /// `ApplicationAccessTypeProto`.
    pub enum ApplicationAccessTypeProto {
        /// `APPACCESS_VIEW_APP`.
        AppaccessViewApp = 1,
        /// `APPACCESS_MODIFY_APP`.
        AppaccessModifyApp = 2,
    }
}

crate::proto_messages! {
    /// `ApplicationACLMapProto`.
    pub struct ApplicationACLMapProto {
        /// f1 `accessType`.
        1 access_type: optional enumeration(ApplicationAccessTypeProto),
        /// f2 `acl` [= " "]: users and groups, Hadoop ACL syntax.
        2 acl: optional string = " ",
    }
}

// ---------------------------------------------------------------------------------------------
// Cluster and queues
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `YarnClusterMetricsProto`.
    pub struct YarnClusterMetricsProto {
        /// f1 `num_node_managers`.
        1 num_node_managers: optional int32,
        /// f2 `num_decommissioned_nms`.
        2 num_decommissioned_nms: optional int32,
        /// f3 `num_active_nms`.
        3 num_active_nms: optional int32,
        /// f4 `num_lost_nms`.
        4 num_lost_nms: optional int32,
        /// f5 `num_unhealthy_nms`.
        5 num_unhealthy_nms: optional int32,
        /// f6 `num_rebooted_nms`.
        6 num_rebooted_nms: optional int32,
        /// f7 `num_decommissioning_nms`.
        7 num_decommissioning_nms: optional int32,
        /// f8 `num_shutdown_nms`.
        8 num_shutdown_nms: optional int32,
    }
}

crate::proto_enums! {
    /// `QueueStateProto`.
    pub enum QueueStateProto {
        /// `Q_STOPPED`.
        QStopped = 1,
        /// `Q_RUNNING`.
        QRunning = 2,
        /// `Q_DRAINING`.
        QDraining = 3,
    }
}

crate::proto_messages! {
    /// `QueueStatisticsProto`.
    pub struct QueueStatisticsProto {
        /// f1 `numAppsSubmitted`.
        1 num_apps_submitted: optional int64,
        /// f2 `numAppsRunning`.
        2 num_apps_running: optional int64,
        /// f3 `numAppsPending`.
        3 num_apps_pending: optional int64,
        /// f4 `numAppsCompleted`.
        4 num_apps_completed: optional int64,
        /// f5 `numAppsKilled`.
        5 num_apps_killed: optional int64,
        /// f6 `numAppsFailed`.
        6 num_apps_failed: optional int64,
        /// f7 `numActiveUsers`.
        7 num_active_users: optional int64,
        /// f8 `availableMemoryMB`.
        8 available_memory_mb: optional int64,
        /// f9 `allocatedMemoryMB`.
        9 allocated_memory_mb: optional int64,
        /// f10 `pendingMemoryMB`.
        10 pending_memory_mb: optional int64,
        /// f11 `reservedMemoryMB`.
        11 reserved_memory_mb: optional int64,
        /// f12 `availableVCores`.
        12 available_v_cores: optional int64,
        /// f13 `allocatedVCores`.
        13 allocated_v_cores: optional int64,
        /// f14 `pendingVCores`.
        14 pending_v_cores: optional int64,
        /// f15 `reservedVCores`.
        15 reserved_v_cores: optional int64,
        /// f16 `allocatedContainers`.
        16 allocated_containers: optional int64,
        /// f17 `pendingContainers`.
        17 pending_containers: optional int64,
        /// f18 `reservedContainers`.
        18 reserved_containers: optional int64,
    }

    /// `QueueInfoProto`.
    pub struct QueueInfoProto {
        /// f1 `queueName`.
        1 queue_name: optional string,
        /// f2 `capacity`.
        2 capacity: optional float,
        /// f3 `maximumCapacity`.
        3 maximum_capacity: optional float,
        /// f4 `currentCapacity`.
        4 current_capacity: optional float,
        /// f5 `state`.
        5 state: optional enumeration(QueueStateProto),
        /// f6 `childQueues`.
        6 child_queues: repeated message(QueueInfoProto),
        /// f7 `applications`.
        7 applications: repeated message(ApplicationReportProto),
        /// f8 `accessibleNodeLabels`.
        8 accessible_node_labels: repeated string,
        /// f9 `defaultNodeLabelExpression`.
        9 default_node_label_expression: optional string,
        /// f10 `queueStatistics`.
        10 queue_statistics: optional message(QueueStatisticsProto),
        /// f11 `preemptionDisabled`.
        11 preemption_disabled: optional bool,
        /// f12 `queueConfigurationsMap`.
        12 queue_configurations_map: repeated message(QueueConfigurationsMapProto),
        /// f13 `intraQueuePreemptionDisabled`.
        13 intra_queue_preemption_disabled: optional bool,
        /// f14 `weight`.
        14 weight: optional float,
        /// f15 `queuePath`.
        15 queue_path: optional string,
        /// f16 `maxParallelApps`.
        16 max_parallel_apps: optional int32,
        /// f17 `schedulerType`.
        17 scheduler_type: optional string,
        /// f18 `minResourceVCore`.
        18 min_resource_v_core: optional int32,
        /// f19 `minResourceMemory`.
        19 min_resource_memory: optional int64,
        /// f20 `maxResourceVCore`.
        20 max_resource_v_core: optional int32,
        /// f21 `maxResourceMemory`.
        21 max_resource_memory: optional int64,
        /// f22 `reservedResourceVCore`.
        22 reserved_resource_v_core: optional int32,
        /// f23 `reservedResourceMemory`.
        23 reserved_resource_memory: optional int64,
        /// f24 `steadyFairShareVCore`.
        24 steady_fair_share_v_core: optional int32,
        /// f25 `steadyFairShareMemory`.
        25 steady_fair_share_memory: optional int64,
        /// f26 `subClusterId`.
        26 sub_cluster_id: optional string,
        /// f27 `maxRunningApp`.
        27 max_running_app: optional int32,
    }

    /// `QueueConfigurationsProto`.
    pub struct QueueConfigurationsProto {
        /// f1 `capacity`.
        1 capacity: optional float,
        /// f2 `absoluteCapacity`.
        2 absolute_capacity: optional float,
        /// f3 `maxCapacity`.
        3 max_capacity: optional float,
        /// f4 `absoluteMaxCapacity`.
        4 absolute_max_capacity: optional float,
        /// f5 `maxAMPercentage`.
        5 max_am_percentage: optional float,
        /// f6 `effectiveMinCapacity`.
        6 effective_min_capacity: optional message(ResourceProto),
        /// f7 `effectiveMaxCapacity`.
        7 effective_max_capacity: optional message(ResourceProto),
        /// f8 `configuredMinCapacity`.
        8 configured_min_capacity: optional message(ResourceProto),
        /// f9 `configuredMaxCapacity`.
        9 configured_max_capacity: optional message(ResourceProto),
    }

    /// `QueueConfigurationsMapProto`.
    pub struct QueueConfigurationsMapProto {
        /// f1 `partitionName` (required).
        1 partition_name: required string,
        /// f2 `queueConfigurations`.
        2 queue_configurations: optional message(QueueConfigurationsProto),
    }
}

crate::proto_enums! {
    /// `QueueACLProto`.
    pub enum QueueACLProto {
        /// `QACL_SUBMIT_APPLICATIONS`.
        QaclSubmitApplications = 1,
        /// `QACL_ADMINISTER_QUEUE`.
        QaclAdministerQueue = 2,
    }
}

crate::proto_messages! {
    /// `QueueUserACLInfoProto`.
    pub struct QueueUserACLInfoProto {
        /// f1 `queueName`.
        1 queue_name: optional string,
        /// f2 `userAcls`.
        2 user_acls: repeated unpacked enumeration(QueueACLProto),
    }
}

crate::proto_enums! {
    /// `SignalContainerCommandProto`.
    pub enum SignalContainerCommandProto {
        /// `OUTPUT_THREAD_DUMP`.
        OutputThreadDump = 1,
        /// `GRACEFUL_SHUTDOWN`.
        GracefulShutdown = 2,
        /// `FORCEFUL_SHUTDOWN`.
        ForcefulShutdown = 3,
    }
}

// ---------------------------------------------------------------------------------------------
// Placement constraints
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `PlacementConstraintProto`: either a simple or a composite constraint.
    pub struct PlacementConstraintProto {
        /// f1 `simpleConstraint`.
        1 simple_constraint: optional message(SimplePlacementConstraintProto),
        /// f2 `compositeConstraint`.
        2 composite_constraint: optional message(CompositePlacementConstraintProto),
    }
}

crate::proto_enums! {
    /// `NodeAttributeOpCodeProto`.
    pub enum NodeAttributeOpCodeProto {
        /// `NO_OP`.
        NoOp = 1,
        /// `EQ`.
        Eq = 2,
        /// `NE`.
        Ne = 3,
    }
}

crate::proto_messages! {
    /// `SimplePlacementConstraintProto`.
    pub struct SimplePlacementConstraintProto {
        /// f1 `scope` (required), e.g. `node`, `rack`.
        1 scope: required string,
        /// f2 `targetExpressions`.
        2 target_expressions: repeated message(PlacementConstraintTargetProto),
        /// f3 `minCardinality`.
        3 min_cardinality: optional int32,
        /// f4 `maxCardinality`.
        4 max_cardinality: optional int32,
        /// f5 `attributeOpCode`.
        5 attribute_op_code: optional enumeration(NodeAttributeOpCodeProto),
    }
}

/// Nested enums of the placement-constraint messages.
pub mod placement {
    crate::proto_enums! {
        /// `PlacementConstraintTargetProto.TargetType`.
        pub enum TargetType {
            /// `NODE_ATTRIBUTE`.
            NodeAttribute = 1,
            /// `ALLOCATION_TAG`.
            AllocationTag = 2,
            /// `SELF`.
            SelfTarget = 3,
        }

        /// `TimedPlacementConstraintProto.DelayUnit`.
        pub enum DelayUnit {
            /// `MILLISECONDS`.
            Milliseconds = 1,
            /// `OPPORTUNITIES`.
            Opportunities = 2,
        }

        /// `CompositePlacementConstraintProto.CompositeType`.
        pub enum CompositeType {
            /// `AND`.
            And = 1,
            /// `OR`.
            Or = 2,
            /// `DELAYED_OR`.
            DelayedOr = 3,
        }
    }
}

crate::proto_messages! {
    /// `PlacementConstraintTargetProto`.
    pub struct PlacementConstraintTargetProto {
        /// f1 `targetType` (required).
        1 target_type: required enumeration(placement::TargetType),
        /// f2 `targetKey`.
        2 target_key: optional string,
        /// f3 `targetValues`.
        3 target_values: repeated string,
    }

    /// `TimedPlacementConstraintProto`.
    pub struct TimedPlacementConstraintProto {
        /// f1 `placementConstraint` (required).
        1 placement_constraint: required message(PlacementConstraintProto),
        /// f2 `schedulingDelay` (required).
        2 scheduling_delay: required int64,
        /// f3 `delayUnit` [= MILLISECONDS].
        3 delay_unit: optional enumeration(placement::DelayUnit) = "Milliseconds",
    }

    /// `CompositePlacementConstraintProto`.
    pub struct CompositePlacementConstraintProto {
        /// f1 `compositeType` (required).
        1 composite_type: required enumeration(placement::CompositeType),
        /// f2 `childConstraints`.
        2 child_constraints: repeated message(PlacementConstraintProto),
        /// f3 `timedChildConstraints`.
        3 timed_child_constraints: repeated message(TimedPlacementConstraintProto),
    }

    /// `PlacementConstraintMapEntryProto`.
    pub struct PlacementConstraintMapEntryProto {
        /// f1 `allocation_tags`.
        1 allocation_tags: repeated string,
        /// f2 `placement_constraint`.
        2 placement_constraint: optional message(PlacementConstraintProto),
    }
}

// ---------------------------------------------------------------------------------------------
// Container launch and status
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `ContainerLaunchContextProto`: what the NM needs to start a container.
    pub struct ContainerLaunchContextProto {
        /// f1 `localResources`: link name in the work dir → resource.
        1 local_resources: repeated message(StringLocalResourceMapProto),
        /// f2 `tokens`: an `HDTS` credentials blob (see [`crate::credentials`]).
        2 tokens: optional bytes,
        /// f3 `service_data`: aux-service name → bytes.
        3 service_data: repeated message(StringBytesMapProto),
        /// f4 `environment`.
        4 environment: repeated message(StringStringMapProto),
        /// f5 `command`: joined with spaces and run by `bash -c`.
        5 command: repeated string,
        /// f6 `application_ACLs`.
        6 application_acls: repeated message(ApplicationACLMapProto),
        /// f7 `container_retry_context`.
        7 container_retry_context: optional message(ContainerRetryContextProto),
        /// f8 `tokens_conf`.
        8 tokens_conf: optional bytes,
    }

    /// `ContainerStatusProto`: a container's state and, once complete, its exit status.
    pub struct ContainerStatusProto {
        /// f1 `container_id`.
        1 container_id: optional message(ContainerIdProto),
        /// f2 `state`.
        2 state: optional enumeration(ContainerStateProto),
        /// f3 `diagnostics` [= "N/A"].
        3 diagnostics: optional string = "N/A",
        /// f4 `exit_status` [= -1000 = INVALID].
        4 exit_status: optional int32 = "-1000",
        /// f5 `capability`.
        5 capability: optional message(ResourceProto),
        /// f6 `executionType` [= GUARANTEED].
        6 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        /// f7 `container_attributes`.
        7 container_attributes: repeated message(StringStringMapProto),
        /// f8 `container_sub_state`.
        8 container_sub_state: optional enumeration(ContainerSubStateProto),
    }
}

crate::proto_enums! {
    /// `ContainerExitStatusProto` (the proto lists only these; see
    /// [`crate::yarn::records::exit_status`] for the full set).
    pub enum ContainerExitStatusProto {
        /// `SUCCESS`.
        Success = 0,
        /// `INVALID`.
        Invalid = -1000,
        /// `ABORTED`.
        Aborted = -100,
        /// `DISKS_FAILED`.
        DisksFailed = -101,
    }
}

crate::proto_messages! {
    /// `ContainerRetryContextProto`.
    pub struct ContainerRetryContextProto {
        /// f1 `retry_policy` [= NEVER_RETRY].
        1 retry_policy: optional enumeration(ContainerRetryPolicyProto) = "NeverRetry",
        /// f2 `error_codes`.
        2 error_codes: repeated unpacked int32,
        /// f3 `max_retries` [= 0].
        3 max_retries: optional int32 = "0",
        /// f4 `retry_interval` [= 0] (ms).
        4 retry_interval: optional int32 = "0",
        /// f5 `failures_validity_interval` [= -1] (ms).
        5 failures_validity_interval: optional int64 = "-1",
    }
}

crate::proto_enums! {
    /// `ContainerRetryPolicyProto`.
    pub enum ContainerRetryPolicyProto {
        /// `NEVER_RETRY`.
        NeverRetry = 0,
        /// `RETRY_ON_ALL_ERRORS`.
        RetryOnAllErrors = 1,
        /// `RETRY_ON_SPECIFIC_ERROR_CODES`.
        RetryOnSpecificErrorCodes = 2,
    }
}

// ---------------------------------------------------------------------------------------------
// Map entries and collector info
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `StringLocalResourceMapProto`: map entry (link name → resource).
    pub struct StringLocalResourceMapProto {
        /// f1 `key`.
        1 key: optional string,
        /// f2 `value`.
        2 value: optional message(LocalResourceProto),
    }

    /// `StringStringMapProto`: map entry.
    #[derive(Eq, Hash)]
    pub struct StringStringMapProto {
        /// f1 `key`.
        1 key: optional string,
        /// f2 `value`.
        2 value: optional string,
    }

    /// `StringBytesMapProto`: map entry.
    #[derive(Eq, Hash)]
    pub struct StringBytesMapProto {
        /// f1 `key`.
        1 key: optional string,
        /// f2 `value`.
        2 value: optional bytes,
    }

    /// `CollectorInfoProto`: timeline-service v2 collector of the application.
    pub struct CollectorInfoProto {
        /// f1 `collector_addr`.
        1 collector_addr: optional string,
        /// f2 `collector_token`.
        2 collector_token: optional message(TokenProto),
    }
}
