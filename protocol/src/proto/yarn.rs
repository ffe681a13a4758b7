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
        1 message: optional string,
        /// The stack trace text.
        2 trace: optional string,
        /// The Java class name of the exception.
        3 class_name: optional string,
        /// The nested cause, if any.
        4 cause: optional boxed message(SerializedExceptionProto),
    }

    /// `ApplicationIdProto`: `application_<cluster_timestamp>_<id>`.
    #[derive(Eq, Hash)]
    pub struct ApplicationIdProto {
        /// The sequence number within the RM.
        1 id: optional int32,
        /// The RM's start time (ms).
        2 cluster_timestamp: optional int64,
    }

    /// `ApplicationAttemptIdProto`: `appattempt_<ts>_<app>_<attempt>`.
    #[derive(Eq, Hash)]
    pub struct ApplicationAttemptIdProto {
        1 application_id: optional message(ApplicationIdProto),
        2 attempt_id: optional int32,
    }

    /// `ContainerIdProto`: `container_[e<epoch>_]<ts>_<app>_<attempt>_<seq>`.
    #[derive(Eq, Hash)]
    pub struct ContainerIdProto {
        /// Legacy, Java does not set it.
        1 app_id: optional message(ApplicationIdProto),
        2 app_attempt_id: optional message(ApplicationAttemptIdProto),
        /// Epoch in bits 40 and up, sequence number in the low 40 bits.
        3 id: optional int64,
    }

    /// `NodeIdProto`: a NodeManager's `host:port`.
    #[derive(Eq, Hash)]
    pub struct NodeIdProto {
        1 host: optional string,
        2 port: optional int32,
    }

    /// `PriorityProto`: a lower number means a higher priority.
    #[derive(Eq, Hash)]
    pub struct PriorityProto {
        1 priority: optional int32,
    }

    /// `ReservationIdProto`.
    #[derive(Eq, Hash)]
    pub struct ReservationIdProto {
        1 id: optional int64,
        2 cluster_timestamp: optional int64,
    }
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

crate::proto_enums! {
    /// `ResourceTypesProto`.
    pub enum ResourceTypesProto {
        Countable = 0,
    }
}

crate::proto_messages! {
    /// `ResourceInformationProto`: one named resource of a [`ResourceProto`].
    pub struct ResourceInformationProto {
        /// E.g. `memory-mb`, `vcores`, `yarn.io/gpu`.
        1 key: required string,
        2 value: optional int64,
        /// E.g. `Mi` for memory, empty for vcores.
        3 units: optional string,
        4 r#type: optional enumeration(ResourceTypesProto),
        5 tags: repeated string,
        6 attributes: repeated message(StringStringMapProto),
    }

    /// `ResourceTypeInfoProto`: a resource type the cluster knows.
    pub struct ResourceTypeInfoProto {
        1 name: required string,
        2 units: optional string,
        3 r#type: optional enumeration(ResourceTypesProto),
    }

    /// `ResourceProto`: memory (MB), vcores and other resource types. `memory`/`virtual_cores`
    /// win over the map entries for memory and vcores.
    pub struct ResourceProto {
        /// In MB.
        1 memory: optional int64,
        2 virtual_cores: optional int32,
        /// Every resource type (Java includes memory-mb and vcores too).
        3 resource_value_map: repeated message(ResourceInformationProto),
    }

    /// `ResourceUtilizationProto`: measured use of a node or its containers.
    pub struct ResourceUtilizationProto {
        /// In MB.
        1 pmem: optional int32,
        /// In MB.
        2 vmem: optional int32,
        /// A fraction of vcores.
        3 cpu: optional float,
        4 custom_resources: repeated message(StringFloatMapProto),
    }

    /// `ResourceOptionProto`.
    pub struct ResourceOptionProto {
        1 resource: optional message(ResourceProto),
        2 over_commit_timeout: optional int32,
    }

    /// `ResourceProfileEntry`: a named resource profile.
    pub struct ResourceProfileEntry {
        1 name: required string,
        2 resources: required message(ResourceProto),
    }

    /// `ResourceProfilesProto`.
    pub struct ResourceProfilesProto {
        1 resource_profiles_map: repeated message(ResourceProfileEntry),
    }

    /// `NodeResourceMapProto`.
    pub struct NodeResourceMapProto {
        1 node_id: optional message(NodeIdProto),
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
        CNew = 1,
        CRunning = 2,
        CComplete = 3,
    }

    /// `ContainerSubStateProto`.
    pub enum ContainerSubStateProto {
        CssScheduled = 1,
        CssRunning = 2,
        CssPaused = 3,
        CssCompleting = 4,
        CssDone = 5,
    }
}

crate::proto_messages! {
    /// `ContainerProto`: an allocated container.
    pub struct ContainerProto {
        1 id: optional message(ContainerIdProto),
        2 node_id: optional message(NodeIdProto),
        3 node_http_address: optional string,
        4 resource: optional message(ResourceProto),
        5 priority: optional message(PriorityProto),
        /// Pass it unchanged to `startContainers`.
        6 container_token: optional message(TokenProto),
        7 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        8 allocation_request_id: optional int64 = "-1",
        9 version: optional int32 = "0",
        10 allocation_tags: repeated string,
        11 exposed_ports: optional string,
    }

    /// `ContainerReportProto`: history view of a container.
    pub struct ContainerReportProto {
        1 container_id: optional message(ContainerIdProto),
        2 resource: optional message(ResourceProto),
        3 node_id: optional message(NodeIdProto),
        4 priority: optional message(PriorityProto),
        5 creation_time: optional int64,
        6 finish_time: optional int64,
        7 diagnostics_info: optional string = "N/A",
        8 log_url: optional string,
        9 container_exit_status: optional int32,
        10 container_state: optional enumeration(ContainerStateProto),
        11 node_http_address: optional string,
        12 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        13 exposed_ports: optional string,
    }
}

// ---------------------------------------------------------------------------------------------
// Applications
// ---------------------------------------------------------------------------------------------

crate::proto_enums! {
    /// `YarnApplicationStateProto`.
    pub enum YarnApplicationStateProto {
        New = 1,
        NewSaving = 2,
        Submitted = 3,
        Accepted = 4,
        Running = 5,
        Finished = 6,
        Failed = 7,
        Killed = 8,
    }

    /// `YarnApplicationAttemptStateProto`.
    pub enum YarnApplicationAttemptStateProto {
        AppAttemptNew = 1,
        AppAttemptSubmitted = 2,
        AppAttemptScheduled = 3,
        AppAttemptAllocatedSaving = 4,
        AppAttemptAllocated = 5,
        AppAttemptLaunched = 6,
        AppAttemptFailed = 7,
        AppAttemptRunning = 8,
        AppAttemptFinishing = 9,
        AppAttemptFinished = 10,
        AppAttemptKilled = 11,
    }

    /// `FinalApplicationStatusProto`.
    pub enum FinalApplicationStatusProto {
        AppUndefined = 0,
        AppSucceeded = 1,
        AppFailed = 2,
        AppKilled = 3,
        AppEnded = 4,
    }
}

crate::proto_messages! {
    /// `URLProto`: a URL split the way `org.apache.hadoop.yarn.api.records.URL` does.
    pub struct URLProto {
        1 scheme: optional string,
        /// Set only when the URI has one.
        2 host: optional string,
        /// -1 when absent.
        3 port: optional int32,
        /// The path.
        4 file: optional string,
        5 user_info: optional string,
    }
}

crate::proto_enums! {
    /// `LocalResourceVisibilityProto`.
    pub enum LocalResourceVisibilityProto {
        /// Shared by all users of the node.
        Public = 1,
        /// Shared by the user's applications.
        Private = 2,
        /// This application only.
        Application = 3,
    }

    /// `LocalResourceTypeProto`.
    pub enum LocalResourceTypeProto {
        /// Unpacked by the NM.
        Archive = 1,
        File = 2,
        /// An archive of which the entries matching `pattern` are unpacked.
        Pattern = 3,
    }
}

crate::proto_messages! {
    /// `LocalResourceProto`: a file the NM localizes into the container work dir.
    pub struct LocalResourceProto {
        /// Where to download from.
        1 resource: optional message(URLProto),
        /// In bytes.
        2 size: optional int64,
        /// The source file's modification time (ms); must match exactly.
        3 timestamp: optional int64,
        4 r#type: optional enumeration(LocalResourceTypeProto),
        5 visibility: optional enumeration(LocalResourceVisibilityProto),
        /// For `PATTERN`.
        6 pattern: optional string,
        7 should_be_uploaded_to_shared_cache: optional bool,
    }

    /// `StringLongMapProto`: map entry with required key and value.
    #[derive(Eq, Hash)]
    pub struct StringLongMapProto {
        1 key: required string,
        2 value: required int64,
    }

    /// `StringFloatMapProto`: map entry with required key and value.
    pub struct StringFloatMapProto {
        1 key: required string,
        2 value: required float,
    }

    /// `ApplicationResourceUsageReportProto`.
    pub struct ApplicationResourceUsageReportProto {
        1 num_used_containers: optional int32,
        2 num_reserved_containers: optional int32,
        3 used_resources: optional message(ResourceProto),
        4 reserved_resources: optional message(ResourceProto),
        5 needed_resources: optional message(ResourceProto),
        /// In MB·s.
        6 memory_seconds: optional int64,
        7 vcore_seconds: optional int64,
        8 queue_usage_percentage: optional float,
        9 cluster_usage_percentage: optional float,
        10 preempted_memory_seconds: optional int64,
        11 preempted_vcore_seconds: optional int64,
        12 application_resource_usage_map: repeated message(StringLongMapProto),
        13 application_preempted_resource_usage_map: repeated message(StringLongMapProto),
    }

    /// `ApplicationReportProto`: what the RM reports about an application.
    pub struct ApplicationReportProto {
        1 application_id: optional message(ApplicationIdProto),
        2 user: optional string,
        3 queue: optional string,
        4 name: optional string,
        /// The AM's host.
        5 host: optional string,
        /// The AM's RPC port.
        6 rpc_port: optional int32,
        7 client_to_am_token: optional message(TokenProto),
        8 yarn_application_state: optional enumeration(YarnApplicationStateProto),
        9 tracking_url: optional string,
        10 diagnostics: optional string = "N/A",
        11 start_time: optional int64,
        12 finish_time: optional int64,
        13 final_application_status: optional enumeration(FinalApplicationStatusProto),
        14 app_resource_usage: optional message(ApplicationResourceUsageReportProto),
        15 original_tracking_url: optional string,
        16 current_application_attempt_id: optional message(ApplicationAttemptIdProto),
        /// From 0 to 1.
        17 progress: optional float,
        18 application_type: optional string,
        /// Unmanaged AMs only.
        19 am_rm_token: optional message(TokenProto),
        20 application_tags: repeated string,
        21 log_aggregation_status: optional enumeration(LogAggregationStatusProto),
        22 unmanaged_application: optional bool = "false",
        23 priority: optional message(PriorityProto),
        24 app_node_label_expression: optional string,
        25 am_node_label_expression: optional string,
        26 app_timeouts: repeated message(AppTimeoutsMapProto),
        27 launch_time: optional int64,
        28 submit_time: optional int64,
        29 rm_cluster_id: optional string,
    }

    /// `AppTimeoutsMapProto`.
    pub struct AppTimeoutsMapProto {
        1 application_timeout_type: optional enumeration(ApplicationTimeoutTypeProto),
        2 application_timeout: optional message(ApplicationTimeoutProto),
    }

    /// `ApplicationTimeoutProto`.
    pub struct ApplicationTimeoutProto {
        1 application_timeout_type: required enumeration(ApplicationTimeoutTypeProto),
        /// As ISO 8601 text.
        2 expire_time: optional string,
        /// In seconds.
        3 remaining_time: optional int64,
    }
}

crate::proto_enums! {
    /// `LogAggregationStatusProto`.
    pub enum LogAggregationStatusProto {
        LogDisabled = 1,
        LogNotStart = 2,
        LogRunning = 3,
        LogSucceeded = 4,
        LogFailed = 5,
        LogTimeOut = 6,
        LogRunningWithFailure = 7,
    }
}

crate::proto_messages! {
    /// `ApplicationAttemptReportProto`.
    pub struct ApplicationAttemptReportProto {
        1 application_attempt_id: optional message(ApplicationAttemptIdProto),
        2 host: optional string,
        3 rpc_port: optional int32,
        4 tracking_url: optional string,
        5 diagnostics: optional string = "N/A",
        6 yarn_application_attempt_state: optional enumeration(YarnApplicationAttemptStateProto),
        7 am_container_id: optional message(ContainerIdProto),
        8 original_tracking_url: optional string,
        9 start_time: optional int64,
        10 finish_time: optional int64,
    }
}

// ---------------------------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------------------------

crate::proto_enums! {
    /// `NodeStateProto`.
    pub enum NodeStateProto {
        NsNew = 1,
        NsRunning = 2,
        NsUnhealthy = 3,
        NsDecommissioned = 4,
        NsLost = 5,
        NsRebooted = 6,
        NsDecommissioning = 7,
        NsShutdown = 8,
    }

    /// `NodeUpdateTypeProto`.
    pub enum NodeUpdateTypeProto {
        NodeUsable = 0,
        NodeUnusable = 1,
        NodeDecommissioning = 2,
    }
}

crate::proto_messages! {
    /// `NodeReportProto`: what the RM reports about a node.
    pub struct NodeReportProto {
        1 node_id: optional message(NodeIdProto),
        2 http_address: optional string,
        3 rack_name: optional string,
        4 used: optional message(ResourceProto),
        5 capability: optional message(ResourceProto),
        6 num_containers: optional int32,
        7 node_state: optional enumeration(NodeStateProto),
        8 health_report: optional string,
        9 last_health_report_time: optional int64,
        10 node_labels: repeated string,
        11 containers_utilization: optional message(ResourceUtilizationProto),
        12 node_utilization: optional message(ResourceUtilizationProto),
        /// In seconds.
        13 decommissioning_timeout: optional uint32,
        14 node_update_type: optional enumeration(NodeUpdateTypeProto),
        15 node_attributes: repeated message(NodeAttributeProto),
    }

    /// `NodeIdToLabelsProto`.
    pub struct NodeIdToLabelsProto {
        1 node_id: optional message(NodeIdProto),
        2 node_labels: repeated string,
    }

    /// `LabelsToNodeIdsProto`.
    pub struct LabelsToNodeIdsProto {
        1 node_labels: optional string,
        2 node_id: repeated message(NodeIdProto),
    }

    /// `NodeLabelProto`.
    pub struct NodeLabelProto {
        1 name: optional string,
        2 is_exclusive: optional bool = "true",
    }
}

crate::proto_enums! {
    /// `NodeAttributeTypeProto`.
    pub enum NodeAttributeTypeProto {
        String = 1,
    }
}

crate::proto_messages! {
    /// `NodeAttributeKeyProto`.
    pub struct NodeAttributeKeyProto {
        1 attribute_prefix: optional string = "rm.yarn.io",
        2 attribute_name: required string,
    }

    /// `NodeAttributeProto`.
    pub struct NodeAttributeProto {
        1 attribute_key: required message(NodeAttributeKeyProto),
        2 attribute_type: optional enumeration(NodeAttributeTypeProto) = "String",
        3 attribute_value: optional string = "",
    }

    /// `NodeAttributeInfoProto`.
    pub struct NodeAttributeInfoProto {
        1 attribute_key: required message(NodeAttributeKeyProto),
        2 attribute_type: required enumeration(NodeAttributeTypeProto),
    }

    /// `NodeToAttributeValueProto`.
    pub struct NodeToAttributeValueProto {
        1 hostname: required string,
        2 attribute_value: required string,
    }

    /// `AttributeToNodesProto`.
    pub struct AttributeToNodesProto {
        1 node_attribute: required message(NodeAttributeKeyProto),
        2 node_value_map: repeated message(NodeToAttributeValueProto),
    }

    /// `NodeToAttributesProto`.
    pub struct NodeToAttributesProto {
        1 node: optional string,
        2 node_attributes: repeated message(NodeAttributeProto),
    }
}

crate::proto_enums! {
    /// `ContainerTypeProto`.
    pub enum ContainerTypeProto {
        ApplicationMaster = 1,
        Task = 2,
    }

    /// `ExecutionTypeProto`.
    pub enum ExecutionTypeProto {
        Guaranteed = 1,
        Opportunistic = 2,
    }
}

// ---------------------------------------------------------------------------------------------
// Scheduling
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `ResourceRequestProto`: an ask. The count is an absolute total for its key.
    pub struct ResourceRequestProto {
        1 priority: optional message(PriorityProto),
        /// Host, rack or `*`.
        2 resource_name: optional string,
        3 capability: optional message(ResourceProto),
        /// Total outstanding for this key (0 cancels).
        4 num_containers: optional int32,
        5 relax_locality: optional bool = "true",
        6 node_label_expression: optional string,
        7 execution_type_request: optional message(ExecutionTypeRequestProto),
        /// Always set it explicitly.
        8 allocation_request_id: optional int64 = "-1",
    }

    /// `ExecutionTypeRequestProto`.
    pub struct ExecutionTypeRequestProto {
        1 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        2 enforce_execution_type: optional bool = "false",
    }

    /// `SchedulingRequestProto`: a placement-constraint aware ask.
    pub struct SchedulingRequestProto {
        1 allocation_request_id: optional int64 = "0",
        2 priority: optional message(PriorityProto),
        3 execution_type: optional message(ExecutionTypeRequestProto),
        4 allocation_tags: repeated string,
        5 resource_sizing: optional message(ResourceSizingProto),
        6 placement_constraint: optional message(PlacementConstraintProto),
    }

    /// `ResourceSizingProto`.
    pub struct ResourceSizingProto {
        1 num_allocations: optional int32,
        2 resources: optional message(ResourceProto),
    }
}

crate::proto_enums! {
    /// `AMCommandProto`: old RMs tell the AM to resync or shut down.
    pub enum AMCommandProto {
        /// Register again.
        AmResync = 1,
        /// Exit.
        AmShutdown = 2,
    }

    /// `RejectionReasonProto`.
    pub enum RejectionReasonProto {
        RrpCouldNotPlaceOnNode = 1,
        RrpCouldNotScheduleOnNode = 2,
    }
}

crate::proto_messages! {
    /// `RejectedSchedulingRequestProto`.
    pub struct RejectedSchedulingRequestProto {
        1 reason: required enumeration(RejectionReasonProto),
        2 request: required message(SchedulingRequestProto),
    }

    /// `PreemptionMessageProto`: containers the RM is about to take back.
    pub struct PreemptionMessageProto {
        /// These containers will be preempted.
        1 strict_contract: optional message(StrictPreemptionContractProto),
        /// Free this much, or these containers go.
        2 contract: optional message(PreemptionContractProto),
    }

    /// `StrictPreemptionContractProto`.
    pub struct StrictPreemptionContractProto {
        1 container: repeated message(PreemptionContainerProto),
    }

    /// `PreemptionContractProto`.
    pub struct PreemptionContractProto {
        1 resource: repeated message(PreemptionResourceRequestProto),
        2 container: repeated message(PreemptionContainerProto),
    }

    /// `PreemptionContainerProto`.
    pub struct PreemptionContainerProto {
        1 id: optional message(ContainerIdProto),
    }

    /// `PreemptionResourceRequestProto`.
    pub struct PreemptionResourceRequestProto {
        1 resource: optional message(ResourceRequestProto),
    }

    /// `ResourceBlacklistRequestProto`.
    pub struct ResourceBlacklistRequestProto {
        /// Hosts or racks to avoid.
        1 blacklist_additions: repeated string,
        2 blacklist_removals: repeated string,
    }
}

// ---------------------------------------------------------------------------------------------
// Application submission
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `ApplicationSubmissionContextProto`: everything needed to launch an application.
    pub struct ApplicationSubmissionContextProto {
        1 application_id: optional message(ApplicationIdProto),
        2 application_name: optional string = "N/A",
        3 queue: optional string = "default",
        4 priority: optional message(PriorityProto),
        5 am_container_spec: optional message(ContainerLaunchContextProto),
        6 cancel_tokens_when_complete: optional bool = "true",
        7 unmanaged_am: optional bool = "false",
        8 max_app_attempts: optional int32 = "0",
        /// The AM container's resource.
        9 resource: optional message(ResourceProto),
        10 application_type: optional string = "YARN",
        11 keep_containers_across_application_attempts: optional bool = "false",
        12 application_tags: repeated string,
        /// In ms.
        13 attempt_failures_validity_interval: optional int64 = "-1",
        14 log_aggregation_context: optional message(LogAggregationContextProto),
        15 reservation_id: optional message(ReservationIdProto),
        16 node_label_expression: optional string,
        17 am_container_resource_request: repeated message(ResourceRequestProto),
        18 application_timeouts: repeated message(ApplicationTimeoutMapProto),
        19 application_scheduling_properties: repeated message(StringStringMapProto),
    }
}

crate::proto_enums! {
    /// `ApplicationTimeoutTypeProto`.
    pub enum ApplicationTimeoutTypeProto {
        AppTimeoutLifetime = 1,
    }
}

crate::proto_messages! {
    /// `ApplicationTimeoutMapProto`.
    pub struct ApplicationTimeoutMapProto {
        1 application_timeout_type: optional enumeration(ApplicationTimeoutTypeProto),
        /// In seconds.
        2 timeout: optional int64,
    }

    /// `ApplicationUpdateTimeoutMapProto`.
    pub struct ApplicationUpdateTimeoutMapProto {
        1 application_timeout_type: optional enumeration(ApplicationTimeoutTypeProto),
        /// As ISO 8601 text.
        2 expire_time: optional string,
    }

    /// `LogAggregationContextProto`.
    pub struct LogAggregationContextProto {
        1 include_pattern: optional string = ".*",
        2 exclude_pattern: optional string = "",
        3 rolled_logs_include_pattern: optional string = "",
        4 rolled_logs_exclude_pattern: optional string = ".*",
        5 log_aggregation_policy_class_name: optional string,
        6 log_aggregation_policy_parameters: optional string,
    }
}

crate::proto_enums! {
    /// `ApplicationAccessTypeProto`.
    pub enum ApplicationAccessTypeProto {
        AppaccessViewApp = 1,
        AppaccessModifyApp = 2,
    }
}

crate::proto_messages! {
    /// `ApplicationACLMapProto`.
    pub struct ApplicationACLMapProto {
        1 access_type: optional enumeration(ApplicationAccessTypeProto),
        /// Users and groups, Hadoop ACL syntax.
        2 acl: optional string = " ",
    }
}

// ---------------------------------------------------------------------------------------------
// Cluster and queues
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `YarnClusterMetricsProto`.
    pub struct YarnClusterMetricsProto {
        1 num_node_managers: optional int32,
        2 num_decommissioned_nms: optional int32,
        3 num_active_nms: optional int32,
        4 num_lost_nms: optional int32,
        5 num_unhealthy_nms: optional int32,
        6 num_rebooted_nms: optional int32,
        7 num_decommissioning_nms: optional int32,
        8 num_shutdown_nms: optional int32,
    }
}

crate::proto_enums! {
    /// `QueueStateProto`.
    pub enum QueueStateProto {
        QStopped = 1,
        QRunning = 2,
        QDraining = 3,
    }
}

crate::proto_messages! {
    /// `QueueStatisticsProto`.
    pub struct QueueStatisticsProto {
        1 num_apps_submitted: optional int64,
        2 num_apps_running: optional int64,
        3 num_apps_pending: optional int64,
        4 num_apps_completed: optional int64,
        5 num_apps_killed: optional int64,
        6 num_apps_failed: optional int64,
        7 num_active_users: optional int64,
        8 available_memory_mb: optional int64,
        9 allocated_memory_mb: optional int64,
        10 pending_memory_mb: optional int64,
        11 reserved_memory_mb: optional int64,
        12 available_v_cores: optional int64,
        13 allocated_v_cores: optional int64,
        14 pending_v_cores: optional int64,
        15 reserved_v_cores: optional int64,
        16 allocated_containers: optional int64,
        17 pending_containers: optional int64,
        18 reserved_containers: optional int64,
    }

    /// `QueueInfoProto`.
    pub struct QueueInfoProto {
        1 queue_name: optional string,
        2 capacity: optional float,
        3 maximum_capacity: optional float,
        4 current_capacity: optional float,
        5 state: optional enumeration(QueueStateProto),
        6 child_queues: repeated message(QueueInfoProto),
        7 applications: repeated message(ApplicationReportProto),
        8 accessible_node_labels: repeated string,
        9 default_node_label_expression: optional string,
        10 queue_statistics: optional message(QueueStatisticsProto),
        11 preemption_disabled: optional bool,
        12 queue_configurations_map: repeated message(QueueConfigurationsMapProto),
        13 intra_queue_preemption_disabled: optional bool,
        14 weight: optional float,
        15 queue_path: optional string,
        16 max_parallel_apps: optional int32,
        17 scheduler_type: optional string,
        18 min_resource_v_core: optional int32,
        19 min_resource_memory: optional int64,
        20 max_resource_v_core: optional int32,
        21 max_resource_memory: optional int64,
        22 reserved_resource_v_core: optional int32,
        23 reserved_resource_memory: optional int64,
        24 steady_fair_share_v_core: optional int32,
        25 steady_fair_share_memory: optional int64,
        26 sub_cluster_id: optional string,
        27 max_running_app: optional int32,
    }

    /// `QueueConfigurationsProto`.
    pub struct QueueConfigurationsProto {
        1 capacity: optional float,
        2 absolute_capacity: optional float,
        3 max_capacity: optional float,
        4 absolute_max_capacity: optional float,
        5 max_am_percentage: optional float,
        6 effective_min_capacity: optional message(ResourceProto),
        7 effective_max_capacity: optional message(ResourceProto),
        8 configured_min_capacity: optional message(ResourceProto),
        9 configured_max_capacity: optional message(ResourceProto),
    }

    /// `QueueConfigurationsMapProto`.
    pub struct QueueConfigurationsMapProto {
        1 partition_name: required string,
        2 queue_configurations: optional message(QueueConfigurationsProto),
    }
}

crate::proto_enums! {
    /// `QueueACLProto`.
    pub enum QueueACLProto {
        QaclSubmitApplications = 1,
        QaclAdministerQueue = 2,
    }
}

crate::proto_messages! {
    /// `QueueUserACLInfoProto`.
    pub struct QueueUserACLInfoProto {
        1 queue_name: optional string,
        2 user_acls: repeated unpacked enumeration(QueueACLProto),
    }
}

crate::proto_enums! {
    /// `SignalContainerCommandProto`.
    pub enum SignalContainerCommandProto {
        OutputThreadDump = 1,
        GracefulShutdown = 2,
        ForcefulShutdown = 3,
    }
}

// ---------------------------------------------------------------------------------------------
// Placement constraints
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `PlacementConstraintProto`: either a simple or a composite constraint.
    pub struct PlacementConstraintProto {
        1 simple_constraint: optional message(SimplePlacementConstraintProto),
        2 composite_constraint: optional message(CompositePlacementConstraintProto),
    }
}

crate::proto_enums! {
    /// `NodeAttributeOpCodeProto`.
    pub enum NodeAttributeOpCodeProto {
        NoOp = 1,
        Eq = 2,
        Ne = 3,
    }
}

crate::proto_messages! {
    /// `SimplePlacementConstraintProto`.
    pub struct SimplePlacementConstraintProto {
        /// E.g. `node`, `rack`.
        1 scope: required string,
        2 target_expressions: repeated message(PlacementConstraintTargetProto),
        3 min_cardinality: optional int32,
        4 max_cardinality: optional int32,
        5 attribute_op_code: optional enumeration(NodeAttributeOpCodeProto),
    }
}

/// Nested enums of the placement-constraint messages.
pub mod placement {
    crate::proto_enums! {
        /// `PlacementConstraintTargetProto.TargetType`.
        pub enum TargetType {
            NodeAttribute = 1,
            AllocationTag = 2,
            SelfTarget = 3,
        }

        /// `TimedPlacementConstraintProto.DelayUnit`.
        pub enum DelayUnit {
            Milliseconds = 1,
            Opportunities = 2,
        }

        /// `CompositePlacementConstraintProto.CompositeType`.
        pub enum CompositeType {
            And = 1,
            Or = 2,
            DelayedOr = 3,
        }
    }
}

crate::proto_messages! {
    /// `PlacementConstraintTargetProto`.
    pub struct PlacementConstraintTargetProto {
        1 target_type: required enumeration(placement::TargetType),
        2 target_key: optional string,
        3 target_values: repeated string,
    }

    /// `TimedPlacementConstraintProto`.
    pub struct TimedPlacementConstraintProto {
        1 placement_constraint: required message(PlacementConstraintProto),
        2 scheduling_delay: required int64,
        3 delay_unit: optional enumeration(placement::DelayUnit) = "Milliseconds",
    }

    /// `CompositePlacementConstraintProto`.
    pub struct CompositePlacementConstraintProto {
        1 composite_type: required enumeration(placement::CompositeType),
        2 child_constraints: repeated message(PlacementConstraintProto),
        3 timed_child_constraints: repeated message(TimedPlacementConstraintProto),
    }

    /// `PlacementConstraintMapEntryProto`.
    pub struct PlacementConstraintMapEntryProto {
        1 allocation_tags: repeated string,
        2 placement_constraint: optional message(PlacementConstraintProto),
    }
}

// ---------------------------------------------------------------------------------------------
// Container launch and status
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `ContainerLaunchContextProto`: what the NM needs to start a container.
    pub struct ContainerLaunchContextProto {
        /// Link name in the work dir → resource.
        1 local_resources: repeated message(StringLocalResourceMapProto),
        /// An `HDTS` credentials blob (see [`crate::credentials`]).
        2 tokens: optional bytes,
        /// Aux-service name → bytes.
        3 service_data: repeated message(StringBytesMapProto),
        4 environment: repeated message(StringStringMapProto),
        /// Joined with spaces and run by `bash -c`.
        5 command: repeated string,
        6 application_acls: repeated message(ApplicationACLMapProto),
        7 container_retry_context: optional message(ContainerRetryContextProto),
        8 tokens_conf: optional bytes,
    }

    /// `ContainerStatusProto`: a container's state and, once complete, its exit status.
    pub struct ContainerStatusProto {
        1 container_id: optional message(ContainerIdProto),
        2 state: optional enumeration(ContainerStateProto),
        3 diagnostics: optional string = "N/A",
        4 exit_status: optional int32 = "-1000",
        5 capability: optional message(ResourceProto),
        6 execution_type: optional enumeration(ExecutionTypeProto) = "Guaranteed",
        7 container_attributes: repeated message(StringStringMapProto),
        8 container_sub_state: optional enumeration(ContainerSubStateProto),
    }
}

crate::proto_enums! {
    /// `ContainerExitStatusProto` (the proto lists only these; see
    /// [`crate::yarn::records::exit_status`] for the full set).
    pub enum ContainerExitStatusProto {
        Success = 0,
        Invalid = -1000,
        Aborted = -100,
        DisksFailed = -101,
    }
}

crate::proto_messages! {
    /// `ContainerRetryContextProto`.
    pub struct ContainerRetryContextProto {
        1 retry_policy: optional enumeration(ContainerRetryPolicyProto) = "NeverRetry",
        2 error_codes: repeated unpacked int32,
        3 max_retries: optional int32 = "0",
        /// In ms.
        4 retry_interval: optional int32 = "0",
        /// In ms.
        5 failures_validity_interval: optional int64 = "-1",
    }
}

crate::proto_enums! {
    /// `ContainerRetryPolicyProto`.
    pub enum ContainerRetryPolicyProto {
        NeverRetry = 0,
        RetryOnAllErrors = 1,
        RetryOnSpecificErrorCodes = 2,
    }
}

// ---------------------------------------------------------------------------------------------
// Map entries and collector info
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `StringLocalResourceMapProto`: map entry (link name → resource).
    pub struct StringLocalResourceMapProto {
        1 key: optional string,
        2 value: optional message(LocalResourceProto),
    }

    /// `StringStringMapProto`: map entry.
    #[derive(Eq, Hash)]
    pub struct StringStringMapProto {
        1 key: optional string,
        2 value: optional string,
    }

    /// `StringBytesMapProto`: map entry.
    #[derive(Eq, Hash)]
    pub struct StringBytesMapProto {
        1 key: optional string,
        2 value: optional bytes,
    }

    /// `CollectorInfoProto`: timeline-service v2 collector of the application.
    pub struct CollectorInfoProto {
        1 collector_addr: optional string,
        2 collector_token: optional message(TokenProto),
    }
}
