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
        /// f1 `host`: where the AM's own RPC server listens.
        1 host: optional string,
        /// f2 `rpc_port`.
        2 rpc_port: optional int32,
        /// f3 `tracking_url`.
        3 tracking_url: optional string,
        /// f4 `placement_constraints`.
        4 placement_constraints: repeated message(PlacementConstraintMapEntryProto),
    }
}

crate::proto_enums! {
    /// `SchedulerResourceTypes`: resource types the scheduler takes into account.
    pub enum SchedulerResourceTypes {
        /// `MEMORY`.
        Memory = 0,
        /// `CPU`.
        Cpu = 1,
    }
}

crate::proto_messages! {
    /// `RegisterApplicationMasterResponseProto`.
    pub struct RegisterApplicationMasterResponseProto {
        /// f1 `maximumCapability`: the largest container the cluster grants.
        1 maximum_capability: optional message(ResourceProto),
        /// f2 `client_to_am_token_master_key`.
        2 client_to_am_token_master_key: optional bytes,
        /// f3 `application_ACLs`.
        3 application_acls: repeated message(ApplicationACLMapProto),
        /// f4 `containers_from_previous_attempts`.
        4 containers_from_previous_attempts: repeated message(ContainerProto),
        /// f5 `queue`.
        5 queue: optional string,
        /// f6 `nm_tokens_from_previous_attempts`.
        6 nm_tokens_from_previous_attempts: repeated message(NMTokenProto),
        /// f7 `scheduler_resource_types`.
        7 scheduler_resource_types: repeated unpacked enumeration(SchedulerResourceTypes),
        /// f8 `resource_profiles`.
        8 resource_profiles: optional message(ResourceProfilesProto),
        /// f9 `resource_types`.
        9 resource_types: repeated message(ResourceTypeInfoProto),
    }

    /// `FinishApplicationMasterRequestProto`.
    pub struct FinishApplicationMasterRequestProto {
        /// f1 `diagnostics`.
        1 diagnostics: optional string,
        /// f2 `tracking_url`.
        2 tracking_url: optional string,
        /// f3 `final_application_status`.
        3 final_application_status: optional enumeration(FinalApplicationStatusProto),
    }

    /// `FinishApplicationMasterResponseProto`.
    pub struct FinishApplicationMasterResponseProto {
        /// f1 `isUnregistered` [= false]: repeat the call until it is true.
        1 is_unregistered: optional bool = "false",
    }
}

crate::proto_enums! {
    /// `ContainerUpdateTypeProto`.
    pub enum ContainerUpdateTypeProto {
        /// `INCREASE_RESOURCE`.
        IncreaseResource = 0,
        /// `DECREASE_RESOURCE`.
        DecreaseResource = 1,
        /// `PROMOTE_EXECUTION_TYPE`.
        PromoteExecutionType = 2,
        /// `DEMOTE_EXECUTION_TYPE`.
        DemoteExecutionType = 3,
    }
}

crate::proto_messages! {
    /// `UpdateContainerRequestProto`: change a running container's resource or execution type.
    pub struct UpdateContainerRequestProto {
        /// f1 `container_version` (required).
        1 container_version: required int32,
        /// f2 `container_id` (required).
        2 container_id: required message(ContainerIdProto),
        /// f3 `update_type` (required).
        3 update_type: required enumeration(ContainerUpdateTypeProto),
        /// f4 `capability`.
        4 capability: optional message(ResourceProto),
        /// f5 `execution_type`.
        5 execution_type: optional enumeration(ExecutionTypeProto),
    }

    /// `UpdateContainerErrorProto`.
    pub struct UpdateContainerErrorProto {
        /// f1 `reason`.
        1 reason: optional string,
        /// f2 `update_request`.
        2 update_request: optional message(UpdateContainerRequestProto),
        /// f3 `current_container_version`.
        3 current_container_version: optional int32,
    }

    /// `AllocateRequestProto`: the AM heartbeat (asks, releases, blacklist, progress).
    pub struct AllocateRequestProto {
        /// f1 `ask`.
        1 ask: repeated message(ResourceRequestProto),
        /// f2 `release`.
        2 release: repeated message(ContainerIdProto),
        /// f3 `blacklist_request`.
        3 blacklist_request: optional message(ResourceBlacklistRequestProto),
        /// f4 `response_id`: the last id received (0 at first).
        4 response_id: optional int32,
        /// f5 `progress` (0..1).
        5 progress: optional float,
        /// f7 `update_requests`.
        7 update_requests: repeated message(UpdateContainerRequestProto),
        /// f10 `scheduling_requests`.
        10 scheduling_requests: repeated message(SchedulingRequestProto),
        /// f11 `tracking_url`.
        11 tracking_url: optional string,
    }

    /// `NMTokenProto`: the NMToken for one node.
    pub struct NMTokenProto {
        /// f1 `nodeId`.
        1 node_id: optional message(NodeIdProto),
        /// f2 `token`.
        2 token: optional message(TokenProto),
    }

    /// `UpdatedContainerProto`.
    pub struct UpdatedContainerProto {
        /// f1 `update_type` (required).
        1 update_type: required enumeration(ContainerUpdateTypeProto),
        /// f2 `container` (required).
        2 container: required message(ContainerProto),
    }

    /// `EnhancedHeadroomProto`.
    pub struct EnhancedHeadroomProto {
        /// f1 `total_pending_count`.
        1 total_pending_count: optional int32,
        /// f2 `total_active_cores`.
        2 total_active_cores: optional int32,
    }

    /// `AllocateResponseProto`.
    pub struct AllocateResponseProto {
        /// f1 `a_m_command` (old RMs only).
        1 a_m_command: optional enumeration(AMCommandProto),
        /// f2 `response_id`: send it back in the next request.
        2 response_id: optional int32,
        /// f3 `allocated_containers`.
        3 allocated_containers: repeated message(ContainerProto),
        /// f4 `completed_container_statuses`.
        4 completed_container_statuses: repeated message(ContainerStatusProto),
        /// f5 `limit`: the headroom.
        5 limit: optional message(ResourceProto),
        /// f6 `updated_nodes`.
        6 updated_nodes: repeated message(NodeReportProto),
        /// f7 `num_cluster_nodes`.
        7 num_cluster_nodes: optional int32,
        /// f8 `preempt`.
        8 preempt: optional message(PreemptionMessageProto),
        /// f9 `nm_tokens`: new NMTokens (cache them per node).
        9 nm_tokens: repeated message(NMTokenProto),
        /// f12 `am_rm_token`: a rolled AMRMToken to use from now on.
        12 am_rm_token: optional message(TokenProto),
        /// f13 `application_priority`.
        13 application_priority: optional message(PriorityProto),
        /// f14 `collector_info`.
        14 collector_info: optional message(CollectorInfoProto),
        /// f15 `update_errors`.
        15 update_errors: repeated message(UpdateContainerErrorProto),
        /// f16 `updated_containers`.
        16 updated_containers: repeated message(UpdatedContainerProto),
        /// f17 `containers_from_previous_attempts`.
        17 containers_from_previous_attempts: repeated message(ContainerProto),
        /// f18 `rejected_scheduling_requests`.
        18 rejected_scheduling_requests: repeated message(RejectedSchedulingRequestProto),
        /// f19 `enhanced_headroom`.
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
        /// f1 `application_id`.
        1 application_id: optional message(ApplicationIdProto),
        /// f2 `maximumCapability`.
        2 maximum_capability: optional message(ResourceProto),
    }

    /// `GetApplicationReportRequestProto`.
    pub struct GetApplicationReportRequestProto {
        /// f1 `application_id`.
        1 application_id: optional message(ApplicationIdProto),
    }

    /// `GetApplicationReportResponseProto`.
    pub struct GetApplicationReportResponseProto {
        /// f1 `application_report`.
        1 application_report: optional message(ApplicationReportProto),
    }

    /// `SubmitApplicationRequestProto`.
    pub struct SubmitApplicationRequestProto {
        /// f1 `application_submission_context`.
        1 application_submission_context: optional message(ApplicationSubmissionContextProto),
    }

    /// `SubmitApplicationResponseProto` (empty).
    pub struct SubmitApplicationResponseProto {}

    /// `FailApplicationAttemptRequestProto`.
    pub struct FailApplicationAttemptRequestProto {
        /// f1 `application_attempt_id`.
        1 application_attempt_id: optional message(ApplicationAttemptIdProto),
    }

    /// `FailApplicationAttemptResponseProto` (empty).
    pub struct FailApplicationAttemptResponseProto {}

    /// `KillApplicationRequestProto` (method `forceKillApplication`).
    pub struct KillApplicationRequestProto {
        /// f1 `application_id`.
        1 application_id: optional message(ApplicationIdProto),
        /// f2 `diagnostics`.
        2 diagnostics: optional string,
    }

    /// `KillApplicationResponseProto`.
    pub struct KillApplicationResponseProto {
        /// f1 `is_kill_completed` [= false]: repeat the call until it is true.
        1 is_kill_completed: optional bool = "false",
    }

    /// `GetClusterMetricsRequestProto` (empty).
    pub struct GetClusterMetricsRequestProto {}

    /// `GetClusterMetricsResponseProto`.
    pub struct GetClusterMetricsResponseProto {
        /// f1 `cluster_metrics`.
        1 cluster_metrics: optional message(YarnClusterMetricsProto),
    }

    /// `MoveApplicationAcrossQueuesRequestProto`.
    pub struct MoveApplicationAcrossQueuesRequestProto {
        /// f1 `application_id` (required).
        1 application_id: required message(ApplicationIdProto),
        /// f2 `target_queue` (required).
        2 target_queue: required string,
    }

    /// `MoveApplicationAcrossQueuesResponseProto` (empty).
    pub struct MoveApplicationAcrossQueuesResponseProto {}
}

crate::proto_enums! {
    /// `ApplicationsRequestScopeProto`.
    pub enum ApplicationsRequestScopeProto {
        /// `ALL`.
        All = 0,
        /// `VIEWABLE`.
        Viewable = 1,
        /// `OWN`.
        Own = 2,
    }
}

crate::proto_messages! {
    /// `GetApplicationsRequestProto`: filters; empty lists mean "any".
    pub struct GetApplicationsRequestProto {
        /// f1 `application_types`.
        1 application_types: repeated string,
        /// f2 `application_states`.
        2 application_states: repeated unpacked enumeration(YarnApplicationStateProto),
        /// f3 `users`.
        3 users: repeated string,
        /// f4 `queues`.
        4 queues: repeated string,
        /// f5 `limit`.
        5 limit: optional int64,
        /// f6 `start_begin`.
        6 start_begin: optional int64,
        /// f7 `start_end`.
        7 start_end: optional int64,
        /// f8 `finish_begin`.
        8 finish_begin: optional int64,
        /// f9 `finish_end`.
        9 finish_end: optional int64,
        /// f10 `applicationTags`.
        10 application_tags: repeated string,
        /// f11 `scope` [= ALL].
        11 scope: optional enumeration(ApplicationsRequestScopeProto) = "All",
        /// f12 `name`.
        12 name: optional string,
    }

    /// `GetApplicationsResponseProto`.
    pub struct GetApplicationsResponseProto {
        /// f1 `applications`.
        1 applications: repeated message(ApplicationReportProto),
    }

    /// `GetClusterNodesRequestProto`.
    pub struct GetClusterNodesRequestProto {
        /// f1 `nodeStates` (empty = all states).
        1 node_states: repeated unpacked enumeration(NodeStateProto),
    }

    /// `GetClusterNodesResponseProto`.
    pub struct GetClusterNodesResponseProto {
        /// f1 `nodeReports`.
        1 node_reports: repeated message(NodeReportProto),
    }

    /// `GetQueueInfoRequestProto`.
    pub struct GetQueueInfoRequestProto {
        /// f1 `queueName`.
        1 queue_name: optional string,
        /// f2 `includeApplications`.
        2 include_applications: optional bool,
        /// f3 `includeChildQueues`.
        3 include_child_queues: optional bool,
        /// f4 `recursive`.
        4 recursive: optional bool,
        /// f5 `subClusterId`.
        5 sub_cluster_id: optional string,
    }

    /// `GetQueueInfoResponseProto`.
    pub struct GetQueueInfoResponseProto {
        /// f1 `queueInfo`.
        1 queue_info: optional message(QueueInfoProto),
    }

    /// `GetQueueUserAclsInfoRequestProto` (empty).
    pub struct GetQueueUserAclsInfoRequestProto {}

    /// `GetQueueUserAclsInfoResponseProto`.
    pub struct GetQueueUserAclsInfoResponseProto {
        /// f1 `queueUserAcls`.
        1 queue_user_acls: repeated message(QueueUserACLInfoProto),
    }

    /// `GetNodesToLabelsRequestProto` (empty).
    pub struct GetNodesToLabelsRequestProto {}

    /// `GetNodesToLabelsResponseProto`.
    pub struct GetNodesToLabelsResponseProto {
        /// f1 `nodeToLabels`.
        1 node_to_labels: repeated message(NodeIdToLabelsProto),
    }

    /// `GetLabelsToNodesRequestProto`.
    pub struct GetLabelsToNodesRequestProto {
        /// f1 `nodeLabels`.
        1 node_labels: repeated string,
    }

    /// `GetLabelsToNodesResponseProto`.
    pub struct GetLabelsToNodesResponseProto {
        /// f1 `labelsToNodes`.
        1 labels_to_nodes: repeated message(LabelsToNodeIdsProto),
    }

    /// `GetClusterNodeLabelsRequestProto` (empty).
    pub struct GetClusterNodeLabelsRequestProto {}

    /// `GetClusterNodeLabelsResponseProto`.
    pub struct GetClusterNodeLabelsResponseProto {
        /// f1 `deprecatedNodeLabels`.
        1 deprecated_node_labels: repeated string,
        /// f2 `nodeLabels`.
        2 node_labels: repeated message(NodeLabelProto),
    }

    /// `GetClusterNodeAttributesRequestProto` (empty).
    pub struct GetClusterNodeAttributesRequestProto {}

    /// `GetClusterNodeAttributesResponseProto`.
    pub struct GetClusterNodeAttributesResponseProto {
        /// f1 `nodeAttributes`.
        1 node_attributes: repeated message(NodeAttributeInfoProto),
    }

    /// `GetAttributesToNodesRequestProto`.
    pub struct GetAttributesToNodesRequestProto {
        /// f1 `nodeAttributes`.
        1 node_attributes: repeated message(NodeAttributeKeyProto),
    }

    /// `GetAttributesToNodesResponseProto`.
    pub struct GetAttributesToNodesResponseProto {
        /// f1 `attributesToNodes`.
        1 attributes_to_nodes: repeated message(AttributeToNodesProto),
    }

    /// `GetNodesToAttributesRequestProto`.
    pub struct GetNodesToAttributesRequestProto {
        /// f1 `hostnames`.
        1 hostnames: repeated string,
    }

    /// `GetNodesToAttributesResponseProto`.
    pub struct GetNodesToAttributesResponseProto {
        /// f1 `nodesToAttributes`.
        1 nodes_to_attributes: repeated message(NodeToAttributesProto),
    }

    /// `UpdateApplicationPriorityRequestProto`.
    pub struct UpdateApplicationPriorityRequestProto {
        /// f1 `applicationId` (required).
        1 application_id: required message(ApplicationIdProto),
        /// f2 `applicationPriority` (required).
        2 application_priority: required message(PriorityProto),
    }

    /// `UpdateApplicationPriorityResponseProto`.
    pub struct UpdateApplicationPriorityResponseProto {
        /// f1 `applicationPriority`.
        1 application_priority: optional message(PriorityProto),
    }

    /// `SignalContainerRequestProto` (ApplicationClientProtocol and ContainerManagementProtocol).
    pub struct SignalContainerRequestProto {
        /// f1 `container_id` (required).
        1 container_id: required message(ContainerIdProto),
        /// f2 `command` (required).
        2 command: required enumeration(SignalContainerCommandProto),
    }

    /// `SignalContainerResponseProto` (empty).
    pub struct SignalContainerResponseProto {}

    /// `UpdateApplicationTimeoutsRequestProto`.
    pub struct UpdateApplicationTimeoutsRequestProto {
        /// f1 `applicationId` (required).
        1 application_id: required message(ApplicationIdProto),
        /// f2 `application_timeouts`.
        2 application_timeouts: repeated message(ApplicationUpdateTimeoutMapProto),
    }

    /// `UpdateApplicationTimeoutsResponseProto`.
    pub struct UpdateApplicationTimeoutsResponseProto {
        /// f1 `application_timeouts`.
        1 application_timeouts: repeated message(ApplicationUpdateTimeoutMapProto),
    }

    /// `GetAllResourceProfilesRequestProto` (empty).
    pub struct GetAllResourceProfilesRequestProto {}

    /// `GetAllResourceProfilesResponseProto`.
    pub struct GetAllResourceProfilesResponseProto {
        /// f1 `resource_profiles` (required).
        1 resource_profiles: required message(ResourceProfilesProto),
    }

    /// `GetResourceProfileRequestProto`.
    pub struct GetResourceProfileRequestProto {
        /// f1 `profile` (required).
        1 profile: required string,
    }

    /// `GetResourceProfileResponseProto`.
    pub struct GetResourceProfileResponseProto {
        /// f1 `resources` (required).
        1 resources: required message(ResourceProto),
    }

    /// `GetAllResourceTypeInfoRequestProto` (empty).
    pub struct GetAllResourceTypeInfoRequestProto {}

    /// `GetAllResourceTypeInfoResponseProto`.
    pub struct GetAllResourceTypeInfoResponseProto {
        /// f1 `resource_type_info`.
        1 resource_type_info: repeated message(ResourceTypeInfoProto),
    }

    /// `GetApplicationAttemptReportRequestProto`.
    pub struct GetApplicationAttemptReportRequestProto {
        /// f1 `application_attempt_id`.
        1 application_attempt_id: optional message(ApplicationAttemptIdProto),
    }

    /// `GetApplicationAttemptReportResponseProto`.
    pub struct GetApplicationAttemptReportResponseProto {
        /// f1 `application_attempt_report`.
        1 application_attempt_report: optional message(ApplicationAttemptReportProto),
    }

    /// `GetApplicationAttemptsRequestProto`.
    pub struct GetApplicationAttemptsRequestProto {
        /// f1 `application_id`.
        1 application_id: optional message(ApplicationIdProto),
    }

    /// `GetApplicationAttemptsResponseProto`.
    pub struct GetApplicationAttemptsResponseProto {
        /// f1 `application_attempts`.
        1 application_attempts: repeated message(ApplicationAttemptReportProto),
    }

    /// `GetContainerReportRequestProto`.
    pub struct GetContainerReportRequestProto {
        /// f1 `container_id`.
        1 container_id: optional message(ContainerIdProto),
    }

    /// `GetContainerReportResponseProto`.
    pub struct GetContainerReportResponseProto {
        /// f1 `container_report`.
        1 container_report: optional message(ContainerReportProto),
    }

    /// `GetContainersRequestProto`.
    pub struct GetContainersRequestProto {
        /// f1 `application_attempt_id`.
        1 application_attempt_id: optional message(ApplicationAttemptIdProto),
    }

    /// `GetContainersResponseProto`.
    pub struct GetContainersResponseProto {
        /// f1 `containers`.
        1 containers: repeated message(ContainerReportProto),
    }
}

// ---------------------------------------------------------------------------------------------
// ContainerManagementProtocol
// ---------------------------------------------------------------------------------------------

crate::proto_messages! {
    /// `StartContainerRequestProto`: one container to start.
    pub struct StartContainerRequestProto {
        /// f1 `container_launch_context`.
        1 container_launch_context: optional message(ContainerLaunchContextProto),
        /// f2 `container_token`: `ContainerProto.container_token`, unchanged.
        2 container_token: optional message(TokenProto),
    }

    /// `StartContainerResponseProto`.
    pub struct StartContainerResponseProto {
        /// f1 `services_meta_data`.
        1 services_meta_data: repeated message(StringBytesMapProto),
    }

    /// `StopContainerRequestProto`.
    pub struct StopContainerRequestProto {
        /// f1 `container_id`.
        1 container_id: optional message(ContainerIdProto),
    }

    /// `StopContainerResponseProto` (empty).
    pub struct StopContainerResponseProto {}

    /// `ResourceLocalizationRequestProto`.
    pub struct ResourceLocalizationRequestProto {
        /// f1 `container_id`.
        1 container_id: optional message(ContainerIdProto),
        /// f2 `local_resources`.
        2 local_resources: repeated message(StringLocalResourceMapProto),
    }

    /// `ResourceLocalizationResponseProto` (empty).
    pub struct ResourceLocalizationResponseProto {}

    /// `ReInitializeContainerRequestProto`.
    pub struct ReInitializeContainerRequestProto {
        /// f1 `container_id`.
        1 container_id: optional message(ContainerIdProto),
        /// f2 `container_launch_context`.
        2 container_launch_context: optional message(ContainerLaunchContextProto),
        /// f3 `auto_commit` [= true].
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
        /// f1 `start_container_request`.
        1 start_container_request: repeated message(StartContainerRequestProto),
    }

    /// `ContainerExceptionMapProto`: why one container's request failed.
    pub struct ContainerExceptionMapProto {
        /// f1 `container_id`.
        1 container_id: optional message(ContainerIdProto),
        /// f2 `exception`.
        2 exception: optional message(SerializedExceptionProto),
    }

    /// `StartContainersResponseProto`.
    pub struct StartContainersResponseProto {
        /// f1 `services_meta_data`.
        1 services_meta_data: repeated message(StringBytesMapProto),
        /// f2 `succeeded_requests`.
        2 succeeded_requests: repeated message(ContainerIdProto),
        /// f3 `failed_requests`.
        3 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `StopContainersRequestProto`.
    pub struct StopContainersRequestProto {
        /// f1 `container_id`.
        1 container_id: repeated message(ContainerIdProto),
    }

    /// `StopContainersResponseProto`.
    pub struct StopContainersResponseProto {
        /// f1 `succeeded_requests`.
        1 succeeded_requests: repeated message(ContainerIdProto),
        /// f2 `failed_requests`.
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `GetContainerStatusesRequestProto`.
    pub struct GetContainerStatusesRequestProto {
        /// f1 `container_id`.
        1 container_id: repeated message(ContainerIdProto),
    }

    /// `GetContainerStatusesResponseProto`.
    pub struct GetContainerStatusesResponseProto {
        /// f1 `status`.
        1 status: repeated message(ContainerStatusProto),
        /// f2 `failed_requests`.
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `IncreaseContainersResourceRequestProto`.
    pub struct IncreaseContainersResourceRequestProto {
        /// f1 `increase_containers`: container tokens carrying the new resource.
        1 increase_containers: repeated message(TokenProto),
    }

    /// `IncreaseContainersResourceResponseProto`.
    pub struct IncreaseContainersResourceResponseProto {
        /// f1 `succeeded_requests`.
        1 succeeded_requests: repeated message(ContainerIdProto),
        /// f2 `failed_requests`.
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `ContainerUpdateRequestProto` (method `updateContainer`).
    pub struct ContainerUpdateRequestProto {
        /// f1 `update_container_token`.
        1 update_container_token: repeated message(TokenProto),
    }

    /// `ContainerUpdateResponseProto`.
    pub struct ContainerUpdateResponseProto {
        /// f1 `succeeded_requests`.
        1 succeeded_requests: repeated message(ContainerIdProto),
        /// f2 `failed_requests`.
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }

    /// `GetLocalizationStatusesRequestProto`.
    pub struct GetLocalizationStatusesRequestProto {
        /// f1 `container_id`.
        1 container_id: repeated message(ContainerIdProto),
    }
}

crate::proto_enums! {
    /// `LocalizationStateProto`.
    pub enum LocalizationStateProto {
        /// `L_PENDING`.
        LPending = 1,
        /// `L_COMPLETED`.
        LCompleted = 2,
        /// `L_FAILED`.
        LFailed = 3,
    }
}

crate::proto_messages! {
    /// `LocalizationStatusProto`.
    pub struct LocalizationStatusProto {
        /// f1 `resource_key`.
        1 resource_key: optional string,
        /// f2 `localization_state`.
        2 localization_state: optional enumeration(LocalizationStateProto),
        /// f3 `diagnostics`.
        3 diagnostics: optional string,
    }

    /// `ContainerLocalizationStatusesProto`.
    pub struct ContainerLocalizationStatusesProto {
        /// f1 `container_id`.
        1 container_id: optional message(ContainerIdProto),
        /// f2 `localization_statuses`.
        2 localization_statuses: repeated message(LocalizationStatusProto),
    }

    /// `GetLocalizationStatusesResponseProto`.
    pub struct GetLocalizationStatusesResponseProto {
        /// f1 `cntn_localization_statuses`.
        1 cntn_localization_statuses: repeated message(ContainerLocalizationStatusesProto),
        /// f2 `failed_requests`.
        2 failed_requests: repeated message(ContainerExceptionMapProto),
    }
}
