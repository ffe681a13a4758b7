//! YARN request/response messages from `yarn_service_protos.proto` (package `hadoop.yarn`,
//! Hadoop 3.4.1), written by hand as prost messages with proto2 semantics.
//!
//! Grouped by protocol: ApplicationMasterProtocol (`registerApplicationMaster`, `allocate`,
//! `finishApplicationMaster`), ApplicationClientProtocol (the calls a client needs plus the
//! cheap read-only ones), ContainerManagementProtocol (all NM calls).

use super::security::TokenProto;
use super::yarn::*;

// ---------------------------------------------------------------------------------------------
// ApplicationMasterProtocol
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `RegisterApplicationMasterRequestProto`.
    pub struct RegisterApplicationMasterRequestProto {
        /// Where the AM's own RPC server listens.
        1 host: optional string,
        2 rpc_port: optional int32,
        3 tracking_url: optional string,
        4 placement_constraints: repeated message(PlacementConstraintMapEntryProto),
    }
}

crate::proto_enums! {
    /// `SchedulerResourceTypes`: resource types the scheduler takes into account.
    pub enum SchedulerResourceTypes {
        Memory = 0,
        Cpu = 1,
    }
}

crate::proto_messages! {
    /// `RegisterApplicationMasterResponseProto`.
    pub struct RegisterApplicationMasterResponseProto {
        /// The largest container the cluster grants.
        1 maximum_capability: optional message(ResourceProto),
        2 client_to_am_token_master_key: optional bytes,
        3 application_acls: repeated message(ApplicationACLMapProto),
        4 containers_from_previous_attempts: repeated message(ContainerProto),
        5 queue: optional string,
        6 nm_tokens_from_previous_attempts: repeated message(NMTokenProto),
        7 scheduler_resource_types: repeated unpacked enumeration(SchedulerResourceTypes),
        8 resource_profiles: optional message(ResourceProfilesProto),
        9 resource_types: repeated message(ResourceTypeInfoProto),
    }

    /// `FinishApplicationMasterRequestProto`.
    pub struct FinishApplicationMasterRequestProto {
        1 diagnostics: optional string,
        2 tracking_url: optional string,
        3 final_application_status: optional enumeration(FinalApplicationStatusProto),
    }

    /// `FinishApplicationMasterResponseProto`.
    pub struct FinishApplicationMasterResponseProto {
        /// Repeat the call until it is true.
        1 is_unregistered: optional bool = "false",
    }
}

crate::proto_enums! {
    /// `ContainerUpdateTypeProto`.
    pub enum ContainerUpdateTypeProto {
        IncreaseResource = 0,
        DecreaseResource = 1,
        PromoteExecutionType = 2,
        DemoteExecutionType = 3,
    }
}

crate::proto_messages! {
    /// `UpdateContainerRequestProto`: change a running container's resource or execution type.
    pub struct UpdateContainerRequestProto {
        1 container_version: required int32,
        2 container_id: required message(ContainerIdProto),
        3 update_type: required enumeration(ContainerUpdateTypeProto),
        4 capability: optional message(ResourceProto),
        5 execution_type: optional enumeration(ExecutionTypeProto),
    }

    /// `UpdateContainerErrorProto`.
    pub struct UpdateContainerErrorProto {
        1 reason: optional string,
        2 update_request: optional message(UpdateContainerRequestProto),
        3 current_container_version: optional int32,
    }

    /// `AllocateRequestProto`: the AM heartbeat (asks, releases, blacklist, progress).
    pub struct AllocateRequestProto {
        1 ask: repeated message(ResourceRequestProto),
        2 release: repeated message(ContainerIdProto),
        3 blacklist_request: optional message(ResourceBlacklistRequestProto),
        /// The last id received (0 at first).
        4 response_id: optional int32,
        /// From 0 to 1.
        5 progress: optional float,
        7 update_requests: repeated message(UpdateContainerRequestProto),
        10 scheduling_requests: repeated message(SchedulingRequestProto),
        11 tracking_url: optional string,
    }

    /// `NMTokenProto`: the NMToken for one node.
    pub struct NMTokenProto {
        1 node_id: optional message(NodeIdProto),
        2 token: optional message(TokenProto),
    }

    /// `UpdatedContainerProto`.
    pub struct UpdatedContainerProto {
        1 update_type: required enumeration(ContainerUpdateTypeProto),
        2 container: required message(ContainerProto),
    }

    /// `EnhancedHeadroomProto`.
    pub struct EnhancedHeadroomProto {
        1 total_pending_count: optional int32,
        2 total_active_cores: optional int32,
    }

    /// `AllocateResponseProto`.
    pub struct AllocateResponseProto {
        /// Old RMs only.
        1 a_m_command: optional enumeration(AMCommandProto),
        /// Send it back in the next request.
        2 response_id: optional int32,
        3 allocated_containers: repeated message(ContainerProto),
        4 completed_container_statuses: repeated message(ContainerStatusProto),
        /// The headroom.
        5 limit: optional message(ResourceProto),
        6 updated_nodes: repeated message(NodeReportProto),
        7 num_cluster_nodes: optional int32,
        8 preempt: optional message(PreemptionMessageProto),
        /// New NMTokens (cache them per node).
        9 nm_tokens: repeated message(NMTokenProto),
        /// A rolled AMRMToken to use from now on.
        12 am_rm_token: optional message(TokenProto),
        13 application_priority: optional message(PriorityProto),
        14 collector_info: optional message(CollectorInfoProto),
        15 update_errors: repeated message(UpdateContainerErrorProto),
        16 updated_containers: repeated message(UpdatedContainerProto),
        17 containers_from_previous_attempts: repeated message(ContainerProto),
        18 rejected_scheduling_requests: repeated message(RejectedSchedulingRequestProto),
        19 enhanced_headroom: optional message(EnhancedHeadroomProto),
    }
}

// ---------------------------------------------------------------------------------------------
// ApplicationClientProtocol
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `GetNewApplicationRequestProto` (empty).
    pub struct GetNewApplicationRequestProto {}

    /// `GetNewApplicationResponseProto`.
    pub struct GetNewApplicationResponseProto {
        1 application_id: optional message(ApplicationIdProto),
        2 maximum_capability: optional message(ResourceProto),
    }

    /// `GetApplicationReportRequestProto`.
    pub struct GetApplicationReportRequestProto {
        1 application_id: optional message(ApplicationIdProto),
    }

    /// `GetApplicationReportResponseProto`.
    pub struct GetApplicationReportResponseProto {
        1 application_report: optional message(ApplicationReportProto),
    }

    /// `SubmitApplicationRequestProto`.
    pub struct SubmitApplicationRequestProto {
        1 application_submission_context: optional message(ApplicationSubmissionContextProto),
    }

    /// `SubmitApplicationResponseProto` (empty).
    pub struct SubmitApplicationResponseProto {}

    /// `FailApplicationAttemptRequestProto`.
    pub struct FailApplicationAttemptRequestProto {
        1 application_attempt_id: optional message(ApplicationAttemptIdProto),
    }

    /// `FailApplicationAttemptResponseProto` (empty).
    pub struct FailApplicationAttemptResponseProto {}

    /// `KillApplicationRequestProto` (method `forceKillApplication`).
    pub struct KillApplicationRequestProto {
        1 application_id: optional message(ApplicationIdProto),
        2 diagnostics: optional string,
    }

    /// `KillApplicationResponseProto`.
    pub struct KillApplicationResponseProto {
        /// Repeat the call until it is true.
        1 is_kill_completed: optional bool = "false",
    }

    /// `GetClusterMetricsRequestProto` (empty).
    pub struct GetClusterMetricsRequestProto {}

    /// `GetClusterMetricsResponseProto`.
    pub struct GetClusterMetricsResponseProto {
        1 cluster_metrics: optional message(YarnClusterMetricsProto),
    }

    /// `MoveApplicationAcrossQueuesRequestProto`.
    pub struct MoveApplicationAcrossQueuesRequestProto {
        1 application_id: required message(ApplicationIdProto),
        2 target_queue: required string,
    }

    /// `MoveApplicationAcrossQueuesResponseProto` (empty).
    pub struct MoveApplicationAcrossQueuesResponseProto {}
}

crate::proto_enums! {
    /// `ApplicationsRequestScopeProto`.
    pub enum ApplicationsRequestScopeProto {
        All = 0,
        Viewable = 1,
        Own = 2,
    }
}

crate::proto_messages! {
    /// `GetApplicationsRequestProto`: filters; empty lists mean "any".
    pub struct GetApplicationsRequestProto {
        1 application_types: repeated string,
        2 application_states: repeated unpacked enumeration(YarnApplicationStateProto),
        3 users: repeated string,
        4 queues: repeated string,
        5 limit: optional int64,
        6 start_begin: optional int64,
        7 start_end: optional int64,
        8 finish_begin: optional int64,
        9 finish_end: optional int64,
        10 application_tags: repeated string,
        11 scope: optional enumeration(ApplicationsRequestScopeProto) = "All",
        12 name: optional string,
    }

    /// `GetApplicationsResponseProto`.
    pub struct GetApplicationsResponseProto {
        1 applications: repeated message(ApplicationReportProto),
    }

    /// `GetClusterNodesRequestProto`.
    pub struct GetClusterNodesRequestProto {
        /// Empty = all states.
        1 node_states: repeated unpacked enumeration(NodeStateProto),
    }

    /// `GetClusterNodesResponseProto`.
    pub struct GetClusterNodesResponseProto {
        1 node_reports: repeated message(NodeReportProto),
    }

    /// `GetQueueInfoRequestProto`.
    pub struct GetQueueInfoRequestProto {
        1 queue_name: optional string,
        2 include_applications: optional bool,
        3 include_child_queues: optional bool,
        4 recursive: optional bool,
        5 sub_cluster_id: optional string,
    }

    /// `GetQueueInfoResponseProto`.
    pub struct GetQueueInfoResponseProto {
        1 queue_info: optional message(QueueInfoProto),
    }

    /// `GetQueueUserAclsInfoRequestProto` (empty).
    pub struct GetQueueUserAclsInfoRequestProto {}

    /// `GetQueueUserAclsInfoResponseProto`.
    pub struct GetQueueUserAclsInfoResponseProto {
        1 queue_user_acls: repeated message(QueueUserACLInfoProto),
    }

    /// `GetNodesToLabelsRequestProto` (empty).
    pub struct GetNodesToLabelsRequestProto {}

    /// `GetNodesToLabelsResponseProto`.
    pub struct GetNodesToLabelsResponseProto {
        1 node_to_labels: repeated message(NodeIdToLabelsProto),
    }

    /// `GetLabelsToNodesRequestProto`.
    pub struct GetLabelsToNodesRequestProto {
        1 node_labels: repeated string,
    }

    /// `GetLabelsToNodesResponseProto`.
    pub struct GetLabelsToNodesResponseProto {
        1 labels_to_nodes: repeated message(LabelsToNodeIdsProto),
    }

    /// `GetClusterNodeLabelsRequestProto` (empty).
    pub struct GetClusterNodeLabelsRequestProto {}

    /// `GetClusterNodeLabelsResponseProto`.
    pub struct GetClusterNodeLabelsResponseProto {
        1 deprecated_node_labels: repeated string,
        2 node_labels: repeated message(NodeLabelProto),
    }

    /// `GetClusterNodeAttributesRequestProto` (empty).
    pub struct GetClusterNodeAttributesRequestProto {}

    /// `GetClusterNodeAttributesResponseProto`.
    pub struct GetClusterNodeAttributesResponseProto {
        1 node_attributes: repeated message(NodeAttributeInfoProto),
    }

    /// `GetAttributesToNodesRequestProto`.
    pub struct GetAttributesToNodesRequestProto {
        1 node_attributes: repeated message(NodeAttributeKeyProto),
    }

    /// `GetAttributesToNodesResponseProto`.
    pub struct GetAttributesToNodesResponseProto {
        1 attributes_to_nodes: repeated message(AttributeToNodesProto),
    }

    /// `GetNodesToAttributesRequestProto`.
    pub struct GetNodesToAttributesRequestProto {
        1 hostnames: repeated string,
    }

    /// `GetNodesToAttributesResponseProto`.
    pub struct GetNodesToAttributesResponseProto {
        1 nodes_to_attributes: repeated message(NodeToAttributesProto),
    }

    /// `UpdateApplicationPriorityRequestProto`.
    pub struct UpdateApplicationPriorityRequestProto {
        1 application_id: required message(ApplicationIdProto),
        2 application_priority: required message(PriorityProto),
    }

    /// `UpdateApplicationPriorityResponseProto`.
    pub struct UpdateApplicationPriorityResponseProto {
        1 application_priority: optional message(PriorityProto),
    }

    /// `SignalContainerRequestProto` (ApplicationClientProtocol and ContainerManagementProtocol).
    pub struct SignalContainerRequestProto {
        1 container_id: required message(ContainerIdProto),
        2 command: required enumeration(SignalContainerCommandProto),
    }

    /// `SignalContainerResponseProto` (empty).
    pub struct SignalContainerResponseProto {}

    /// `UpdateApplicationTimeoutsRequestProto`.
    pub struct UpdateApplicationTimeoutsRequestProto {
        1 application_id: required message(ApplicationIdProto),
        2 application_timeouts: repeated message(ApplicationUpdateTimeoutMapProto),
    }

    /// `UpdateApplicationTimeoutsResponseProto`.
    pub struct UpdateApplicationTimeoutsResponseProto {
        1 application_timeouts: repeated message(ApplicationUpdateTimeoutMapProto),
    }

    /// `GetAllResourceProfilesRequestProto` (empty).
    pub struct GetAllResourceProfilesRequestProto {}

    /// `GetAllResourceProfilesResponseProto`.
    pub struct GetAllResourceProfilesResponseProto {
        1 resource_profiles: required message(ResourceProfilesProto),
    }

    /// `GetResourceProfileRequestProto`.
    pub struct GetResourceProfileRequestProto {
        1 profile: required string,
    }

    /// `GetResourceProfileResponseProto`.
    pub struct GetResourceProfileResponseProto {
        1 resources: required message(ResourceProto),
    }

    /// `GetAllResourceTypeInfoRequestProto` (empty).
    pub struct GetAllResourceTypeInfoRequestProto {}

    /// `GetAllResourceTypeInfoResponseProto`.
    pub struct GetAllResourceTypeInfoResponseProto {
        1 resource_type_info: repeated message(ResourceTypeInfoProto),
    }

    /// `GetApplicationAttemptReportRequestProto`.
    pub struct GetApplicationAttemptReportRequestProto {
        1 application_attempt_id: optional message(ApplicationAttemptIdProto),
    }

    /// `GetApplicationAttemptReportResponseProto`.
    pub struct GetApplicationAttemptReportResponseProto {
        1 application_attempt_report: optional message(ApplicationAttemptReportProto),
    }

    /// `GetApplicationAttemptsRequestProto`.
    pub struct GetApplicationAttemptsRequestProto {
        1 application_id: optional message(ApplicationIdProto),
    }

    /// `GetApplicationAttemptsResponseProto`.
    pub struct GetApplicationAttemptsResponseProto {
        1 application_attempts: repeated message(ApplicationAttemptReportProto),
    }

    /// `GetContainerReportRequestProto`.
    pub struct GetContainerReportRequestProto {
        1 container_id: optional message(ContainerIdProto),
    }

    /// `GetContainerReportResponseProto`.
    pub struct GetContainerReportResponseProto {
        1 container_report: optional message(ContainerReportProto),
    }

    /// `GetContainersRequestProto`.
    pub struct GetContainersRequestProto {
        1 application_attempt_id: optional message(ApplicationAttemptIdProto),
    }

    /// `GetContainersResponseProto`.
    pub struct GetContainersResponseProto {
        1 containers: repeated message(ContainerReportProto),
    }
}

// ---------------------------------------------------------------------------------------------
// ContainerManagementProtocol
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `StartContainerRequestProto`: one container to start.
    pub struct StartContainerRequestProto {
        1 container_launch_context: optional message(ContainerLaunchContextProto),
        /// `ContainerProto.container_token`, unchanged.
        2 container_token: optional message(TokenProto),
    }

    /// `StartContainerResponseProto`.
    pub struct StartContainerResponseProto {
        1 services_meta_data: repeated message(StringBytesMapProto),
    }

    /// `StopContainerRequestProto`.
    pub struct StopContainerRequestProto {
        1 container_id: optional message(ContainerIdProto),
    }

    /// `StopContainerResponseProto` (empty).
    pub struct StopContainerResponseProto {}

    /// `ResourceLocalizationRequestProto`.
    pub struct ResourceLocalizationRequestProto {
        1 container_id: optional message(ContainerIdProto),
        2 local_resources: repeated message(StringLocalResourceMapProto),
    }

    /// `ResourceLocalizationResponseProto` (empty).
    pub struct ResourceLocalizationResponseProto {}

    /// `ReInitializeContainerRequestProto`.
    pub struct ReInitializeContainerRequestProto {
        1 container_id: optional message(ContainerIdProto),
        2 container_launch_context: optional message(ContainerLaunchContextProto),
        3 auto_commit: optional bool = "true",
    }

    /// `ReInitializeContainerResponseProto` (empty).
    pub struct ReInitializeContainerResponseProto {}

    /// `RestartContainerResponseProto` (empty).
    pub struct RestartContainerResponseProto {}

    /// `RollbackResponseProto` (empty).
    pub struct RollbackResponseProto {}

    /// `CommitResponseProto` (empty).
    pub struct CommitResponseProto {}

    /// `StartContainersRequestProto`.
    pub struct StartContainersRequestProto {
        1 start_container_request: repeated message(StartContainerRequestProto),
    }

    /// `ContainerExceptionMapProto`: why one container's request failed.
    pub struct ContainerExceptionMapProto {
        1 container_id: optional message(ContainerIdProto),
        2 exception: optional message(SerializedExceptionProto),
    }

    /// `StartContainersResponseProto`.
    pub struct StartContainersResponseProto {
        1 services_meta_data: repeated message(StringBytesMapProto),
        2 succeeded_requests: repeated message(ContainerIdProto),
        3 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `StopContainersRequestProto`.
    pub struct StopContainersRequestProto {
        1 container_id: repeated message(ContainerIdProto),
    }

    /// `StopContainersResponseProto`.
    pub struct StopContainersResponseProto {
        1 succeeded_requests: repeated message(ContainerIdProto),
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `GetContainerStatusesRequestProto`.
    pub struct GetContainerStatusesRequestProto {
        1 container_id: repeated message(ContainerIdProto),
    }

    /// `GetContainerStatusesResponseProto`.
    pub struct GetContainerStatusesResponseProto {
        1 status: repeated message(ContainerStatusProto),
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `IncreaseContainersResourceRequestProto`.
    pub struct IncreaseContainersResourceRequestProto {
        /// Container tokens carrying the new resource.
        1 increase_containers: repeated message(TokenProto),
    }

    /// `IncreaseContainersResourceResponseProto`.
    pub struct IncreaseContainersResourceResponseProto {
        1 succeeded_requests: repeated message(ContainerIdProto),
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `ContainerUpdateRequestProto` (method `updateContainer`).
    pub struct ContainerUpdateRequestProto {
        1 update_container_token: repeated message(TokenProto),
    }

    /// `ContainerUpdateResponseProto`.
    pub struct ContainerUpdateResponseProto {
        1 succeeded_requests: repeated message(ContainerIdProto),
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `GetLocalizationStatusesRequestProto`.
    pub struct GetLocalizationStatusesRequestProto {
        1 container_id: repeated message(ContainerIdProto),
    }
}

crate::proto_enums! {
    /// `LocalizationStateProto`.
    pub enum LocalizationStateProto {
        LPending = 1,
        LCompleted = 2,
        LFailed = 3,
    }
}

crate::proto_messages! {
    /// `LocalizationStatusProto`.
    pub struct LocalizationStatusProto {
        1 resource_key: optional string,
        2 localization_state: optional enumeration(LocalizationStateProto),
        3 diagnostics: optional string,
    }

    /// `ContainerLocalizationStatusesProto`.
    pub struct ContainerLocalizationStatusesProto {
        1 container_id: optional message(ContainerIdProto),
        2 localization_statuses: repeated message(LocalizationStatusProto),
    }

    /// `GetLocalizationStatusesResponseProto`.
    pub struct GetLocalizationStatusesResponseProto {
        1 cntn_localization_statuses: repeated message(ContainerLocalizationStatusesProto),
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }
}
