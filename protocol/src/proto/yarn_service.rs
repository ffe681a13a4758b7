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

/// `RegisterApplicationMasterRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RegisterApplicationMasterRequestProto {
    /// f1 `host`: where the AM's own RPC server listens.
    #[prost(string, optional, tag = "1")]
    pub host: Option<String>,
    /// f2 `rpc_port`.
    #[prost(int32, optional, tag = "2")]
    pub rpc_port: Option<i32>,
    /// f3 `tracking_url`.
    #[prost(string, optional, tag = "3")]
    pub tracking_url: Option<String>,
    /// f4 `placement_constraints`.
    #[prost(message, repeated, tag = "4")]
    pub placement_constraints: Vec<PlacementConstraintMapEntryProto>,
}

/// `SchedulerResourceTypes`: resource types the scheduler takes into account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum SchedulerResourceTypes {
    /// `MEMORY`.
    Memory = 0,
    /// `CPU`.
    Cpu = 1,
}

/// `RegisterApplicationMasterResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RegisterApplicationMasterResponseProto {
    /// f1 `maximumCapability`: the largest container the cluster grants.
    #[prost(message, optional, tag = "1")]
    pub maximum_capability: Option<ResourceProto>,
    /// f2 `client_to_am_token_master_key`.
    #[prost(bytes = "vec", optional, tag = "2")]
    pub client_to_am_token_master_key: Option<Vec<u8>>,
    /// f3 `application_ACLs`.
    #[prost(message, repeated, tag = "3")]
    pub application_acls: Vec<ApplicationACLMapProto>,
    /// f4 `containers_from_previous_attempts`.
    #[prost(message, repeated, tag = "4")]
    pub containers_from_previous_attempts: Vec<ContainerProto>,
    /// f5 `queue`.
    #[prost(string, optional, tag = "5")]
    pub queue: Option<String>,
    /// f6 `nm_tokens_from_previous_attempts`.
    #[prost(message, repeated, tag = "6")]
    pub nm_tokens_from_previous_attempts: Vec<NMTokenProto>,
    /// f7 `scheduler_resource_types`.
    #[prost(
        enumeration = "SchedulerResourceTypes",
        repeated,
        packed = "false",
        tag = "7"
    )]
    pub scheduler_resource_types: Vec<i32>,
    /// f8 `resource_profiles`.
    #[prost(message, optional, tag = "8")]
    pub resource_profiles: Option<ResourceProfilesProto>,
    /// f9 `resource_types`.
    #[prost(message, repeated, tag = "9")]
    pub resource_types: Vec<ResourceTypeInfoProto>,
}

/// `FinishApplicationMasterRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct FinishApplicationMasterRequestProto {
    /// f1 `diagnostics`.
    #[prost(string, optional, tag = "1")]
    pub diagnostics: Option<String>,
    /// f2 `tracking_url`.
    #[prost(string, optional, tag = "2")]
    pub tracking_url: Option<String>,
    /// f3 `final_application_status`.
    #[prost(enumeration = "FinalApplicationStatusProto", optional, tag = "3")]
    pub final_application_status: Option<i32>,
}

/// `FinishApplicationMasterResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct FinishApplicationMasterResponseProto {
    /// f1 `isUnregistered` [= false]: repeat the call until it is true.
    #[prost(bool, optional, tag = "1", default = "false")]
    pub is_unregistered: Option<bool>,
}

/// `ContainerUpdateTypeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
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

/// `UpdateContainerRequestProto`: change a running container's resource or execution type.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdateContainerRequestProto {
    /// f1 `container_version` (required).
    #[prost(int32, required, tag = "1")]
    pub container_version: i32,
    /// f2 `container_id` (required).
    #[prost(message, required, tag = "2")]
    pub container_id: ContainerIdProto,
    /// f3 `update_type` (required).
    #[prost(enumeration = "ContainerUpdateTypeProto", required, tag = "3")]
    pub update_type: i32,
    /// f4 `capability`.
    #[prost(message, optional, tag = "4")]
    pub capability: Option<ResourceProto>,
    /// f5 `execution_type`.
    #[prost(enumeration = "ExecutionTypeProto", optional, tag = "5")]
    pub execution_type: Option<i32>,
}

/// `UpdateContainerErrorProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdateContainerErrorProto {
    /// f1 `reason`.
    #[prost(string, optional, tag = "1")]
    pub reason: Option<String>,
    /// f2 `update_request`.
    #[prost(message, optional, tag = "2")]
    pub update_request: Option<UpdateContainerRequestProto>,
    /// f3 `current_container_version`.
    #[prost(int32, optional, tag = "3")]
    pub current_container_version: Option<i32>,
}

/// `AllocateRequestProto`: the AM heartbeat (asks, releases, blacklist, progress).
#[derive(Clone, PartialEq, prost::Message)]
pub struct AllocateRequestProto {
    /// f1 `ask`.
    #[prost(message, repeated, tag = "1")]
    pub ask: Vec<ResourceRequestProto>,
    /// f2 `release`.
    #[prost(message, repeated, tag = "2")]
    pub release: Vec<ContainerIdProto>,
    /// f3 `blacklist_request`.
    #[prost(message, optional, tag = "3")]
    pub blacklist_request: Option<ResourceBlacklistRequestProto>,
    /// f4 `response_id`: the last id received (0 at first).
    #[prost(int32, optional, tag = "4")]
    pub response_id: Option<i32>,
    /// f5 `progress` (0..1).
    #[prost(float, optional, tag = "5")]
    pub progress: Option<f32>,
    /// f7 `update_requests`.
    #[prost(message, repeated, tag = "7")]
    pub update_requests: Vec<UpdateContainerRequestProto>,
    /// f10 `scheduling_requests`.
    #[prost(message, repeated, tag = "10")]
    pub scheduling_requests: Vec<SchedulingRequestProto>,
    /// f11 `tracking_url`.
    #[prost(string, optional, tag = "11")]
    pub tracking_url: Option<String>,
}

/// `NMTokenProto`: the NMToken for one node.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NMTokenProto {
    /// f1 `nodeId`.
    #[prost(message, optional, tag = "1")]
    pub node_id: Option<NodeIdProto>,
    /// f2 `token`.
    #[prost(message, optional, tag = "2")]
    pub token: Option<TokenProto>,
}

/// `UpdatedContainerProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdatedContainerProto {
    /// f1 `update_type` (required).
    #[prost(enumeration = "ContainerUpdateTypeProto", required, tag = "1")]
    pub update_type: i32,
    /// f2 `container` (required).
    #[prost(message, required, tag = "2")]
    pub container: ContainerProto,
}

/// `EnhancedHeadroomProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EnhancedHeadroomProto {
    /// f1 `total_pending_count`.
    #[prost(int32, optional, tag = "1")]
    pub total_pending_count: Option<i32>,
    /// f2 `total_active_cores`.
    #[prost(int32, optional, tag = "2")]
    pub total_active_cores: Option<i32>,
}

/// `AllocateResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AllocateResponseProto {
    /// f1 `a_m_command` (old RMs only).
    #[prost(enumeration = "AMCommandProto", optional, tag = "1")]
    pub a_m_command: Option<i32>,
    /// f2 `response_id`: send it back in the next request.
    #[prost(int32, optional, tag = "2")]
    pub response_id: Option<i32>,
    /// f3 `allocated_containers`.
    #[prost(message, repeated, tag = "3")]
    pub allocated_containers: Vec<ContainerProto>,
    /// f4 `completed_container_statuses`.
    #[prost(message, repeated, tag = "4")]
    pub completed_container_statuses: Vec<ContainerStatusProto>,
    /// f5 `limit`: the headroom.
    #[prost(message, optional, tag = "5")]
    pub limit: Option<ResourceProto>,
    /// f6 `updated_nodes`.
    #[prost(message, repeated, tag = "6")]
    pub updated_nodes: Vec<NodeReportProto>,
    /// f7 `num_cluster_nodes`.
    #[prost(int32, optional, tag = "7")]
    pub num_cluster_nodes: Option<i32>,
    /// f8 `preempt`.
    #[prost(message, optional, tag = "8")]
    pub preempt: Option<PreemptionMessageProto>,
    /// f9 `nm_tokens`: new NMTokens (cache them per node).
    #[prost(message, repeated, tag = "9")]
    pub nm_tokens: Vec<NMTokenProto>,
    /// f12 `am_rm_token`: a rolled AMRMToken to use from now on.
    #[prost(message, optional, tag = "12")]
    pub am_rm_token: Option<TokenProto>,
    /// f13 `application_priority`.
    #[prost(message, optional, tag = "13")]
    pub application_priority: Option<PriorityProto>,
    /// f14 `collector_info`.
    #[prost(message, optional, tag = "14")]
    pub collector_info: Option<CollectorInfoProto>,
    /// f15 `update_errors`.
    #[prost(message, repeated, tag = "15")]
    pub update_errors: Vec<UpdateContainerErrorProto>,
    /// f16 `updated_containers`.
    #[prost(message, repeated, tag = "16")]
    pub updated_containers: Vec<UpdatedContainerProto>,
    /// f17 `containers_from_previous_attempts`.
    #[prost(message, repeated, tag = "17")]
    pub containers_from_previous_attempts: Vec<ContainerProto>,
    /// f18 `rejected_scheduling_requests`.
    #[prost(message, repeated, tag = "18")]
    pub rejected_scheduling_requests: Vec<RejectedSchedulingRequestProto>,
    /// f19 `enhanced_headroom`.
    #[prost(message, optional, tag = "19")]
    pub enhanced_headroom: Option<EnhancedHeadroomProto>,
}

// ---------------------------------------------------------------------------------------------
// ApplicationClientProtocol
// ---------------------------------------------------------------------------------------------

/// `GetNewApplicationRequestProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetNewApplicationRequestProto {}

/// `GetNewApplicationResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetNewApplicationResponseProto {
    /// f1 `application_id`.
    #[prost(message, optional, tag = "1")]
    pub application_id: Option<ApplicationIdProto>,
    /// f2 `maximumCapability`.
    #[prost(message, optional, tag = "2")]
    pub maximum_capability: Option<ResourceProto>,
}

/// `GetApplicationReportRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetApplicationReportRequestProto {
    /// f1 `application_id`.
    #[prost(message, optional, tag = "1")]
    pub application_id: Option<ApplicationIdProto>,
}

/// `GetApplicationReportResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetApplicationReportResponseProto {
    /// f1 `application_report`.
    #[prost(message, optional, tag = "1")]
    pub application_report: Option<ApplicationReportProto>,
}

/// `SubmitApplicationRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SubmitApplicationRequestProto {
    /// f1 `application_submission_context`.
    #[prost(message, optional, tag = "1")]
    pub application_submission_context: Option<ApplicationSubmissionContextProto>,
}

/// `SubmitApplicationResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct SubmitApplicationResponseProto {}

/// `FailApplicationAttemptRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct FailApplicationAttemptRequestProto {
    /// f1 `application_attempt_id`.
    #[prost(message, optional, tag = "1")]
    pub application_attempt_id: Option<ApplicationAttemptIdProto>,
}

/// `FailApplicationAttemptResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct FailApplicationAttemptResponseProto {}

/// `KillApplicationRequestProto` (method `forceKillApplication`).
#[derive(Clone, PartialEq, prost::Message)]
pub struct KillApplicationRequestProto {
    /// f1 `application_id`.
    #[prost(message, optional, tag = "1")]
    pub application_id: Option<ApplicationIdProto>,
    /// f2 `diagnostics`.
    #[prost(string, optional, tag = "2")]
    pub diagnostics: Option<String>,
}

/// `KillApplicationResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct KillApplicationResponseProto {
    /// f1 `is_kill_completed` [= false]: repeat the call until it is true.
    #[prost(bool, optional, tag = "1", default = "false")]
    pub is_kill_completed: Option<bool>,
}

/// `GetClusterMetricsRequestProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetClusterMetricsRequestProto {}

/// `GetClusterMetricsResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetClusterMetricsResponseProto {
    /// f1 `cluster_metrics`.
    #[prost(message, optional, tag = "1")]
    pub cluster_metrics: Option<YarnClusterMetricsProto>,
}

/// `MoveApplicationAcrossQueuesRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MoveApplicationAcrossQueuesRequestProto {
    /// f1 `application_id` (required).
    #[prost(message, required, tag = "1")]
    pub application_id: ApplicationIdProto,
    /// f2 `target_queue` (required).
    #[prost(string, required, tag = "2")]
    pub target_queue: String,
}

/// `MoveApplicationAcrossQueuesResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct MoveApplicationAcrossQueuesResponseProto {}

/// `ApplicationsRequestScopeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ApplicationsRequestScopeProto {
    /// `ALL`.
    All = 0,
    /// `VIEWABLE`.
    Viewable = 1,
    /// `OWN`.
    Own = 2,
}

/// `GetApplicationsRequestProto`: filters; empty lists mean "any".
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetApplicationsRequestProto {
    /// f1 `application_types`.
    #[prost(string, repeated, tag = "1")]
    pub application_types: Vec<String>,
    /// f2 `application_states`.
    #[prost(
        enumeration = "YarnApplicationStateProto",
        repeated,
        packed = "false",
        tag = "2"
    )]
    pub application_states: Vec<i32>,
    /// f3 `users`.
    #[prost(string, repeated, tag = "3")]
    pub users: Vec<String>,
    /// f4 `queues`.
    #[prost(string, repeated, tag = "4")]
    pub queues: Vec<String>,
    /// f5 `limit`.
    #[prost(int64, optional, tag = "5")]
    pub limit: Option<i64>,
    /// f6 `start_begin`.
    #[prost(int64, optional, tag = "6")]
    pub start_begin: Option<i64>,
    /// f7 `start_end`.
    #[prost(int64, optional, tag = "7")]
    pub start_end: Option<i64>,
    /// f8 `finish_begin`.
    #[prost(int64, optional, tag = "8")]
    pub finish_begin: Option<i64>,
    /// f9 `finish_end`.
    #[prost(int64, optional, tag = "9")]
    pub finish_end: Option<i64>,
    /// f10 `applicationTags`.
    #[prost(string, repeated, tag = "10")]
    pub application_tags: Vec<String>,
    /// f11 `scope` [= ALL].
    #[prost(
        enumeration = "ApplicationsRequestScopeProto",
        optional,
        tag = "11",
        default = "All"
    )]
    pub scope: Option<i32>,
    /// f12 `name`.
    #[prost(string, optional, tag = "12")]
    pub name: Option<String>,
}

/// `GetApplicationsResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetApplicationsResponseProto {
    /// f1 `applications`.
    #[prost(message, repeated, tag = "1")]
    pub applications: Vec<ApplicationReportProto>,
}

/// `GetClusterNodesRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetClusterNodesRequestProto {
    /// f1 `nodeStates` (empty = all states).
    #[prost(enumeration = "NodeStateProto", repeated, packed = "false", tag = "1")]
    pub node_states: Vec<i32>,
}

/// `GetClusterNodesResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetClusterNodesResponseProto {
    /// f1 `nodeReports`.
    #[prost(message, repeated, tag = "1")]
    pub node_reports: Vec<NodeReportProto>,
}

/// `GetQueueInfoRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetQueueInfoRequestProto {
    /// f1 `queueName`.
    #[prost(string, optional, tag = "1")]
    pub queue_name: Option<String>,
    /// f2 `includeApplications`.
    #[prost(bool, optional, tag = "2")]
    pub include_applications: Option<bool>,
    /// f3 `includeChildQueues`.
    #[prost(bool, optional, tag = "3")]
    pub include_child_queues: Option<bool>,
    /// f4 `recursive`.
    #[prost(bool, optional, tag = "4")]
    pub recursive: Option<bool>,
    /// f5 `subClusterId`.
    #[prost(string, optional, tag = "5")]
    pub sub_cluster_id: Option<String>,
}

/// `GetQueueInfoResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetQueueInfoResponseProto {
    /// f1 `queueInfo`.
    #[prost(message, optional, tag = "1")]
    pub queue_info: Option<QueueInfoProto>,
}

/// `GetQueueUserAclsInfoRequestProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetQueueUserAclsInfoRequestProto {}

/// `GetQueueUserAclsInfoResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetQueueUserAclsInfoResponseProto {
    /// f1 `queueUserAcls`.
    #[prost(message, repeated, tag = "1")]
    pub queue_user_acls: Vec<QueueUserACLInfoProto>,
}

/// `GetNodesToLabelsRequestProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetNodesToLabelsRequestProto {}

/// `GetNodesToLabelsResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetNodesToLabelsResponseProto {
    /// f1 `nodeToLabels`.
    #[prost(message, repeated, tag = "1")]
    pub node_to_labels: Vec<NodeIdToLabelsProto>,
}

/// `GetLabelsToNodesRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetLabelsToNodesRequestProto {
    /// f1 `nodeLabels`.
    #[prost(string, repeated, tag = "1")]
    pub node_labels: Vec<String>,
}

/// `GetLabelsToNodesResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetLabelsToNodesResponseProto {
    /// f1 `labelsToNodes`.
    #[prost(message, repeated, tag = "1")]
    pub labels_to_nodes: Vec<LabelsToNodeIdsProto>,
}

/// `GetClusterNodeLabelsRequestProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetClusterNodeLabelsRequestProto {}

/// `GetClusterNodeLabelsResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetClusterNodeLabelsResponseProto {
    /// f1 `deprecatedNodeLabels`.
    #[prost(string, repeated, tag = "1")]
    pub deprecated_node_labels: Vec<String>,
    /// f2 `nodeLabels`.
    #[prost(message, repeated, tag = "2")]
    pub node_labels: Vec<NodeLabelProto>,
}

/// `GetClusterNodeAttributesRequestProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetClusterNodeAttributesRequestProto {}

/// `GetClusterNodeAttributesResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetClusterNodeAttributesResponseProto {
    /// f1 `nodeAttributes`.
    #[prost(message, repeated, tag = "1")]
    pub node_attributes: Vec<NodeAttributeInfoProto>,
}

/// `GetAttributesToNodesRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetAttributesToNodesRequestProto {
    /// f1 `nodeAttributes`.
    #[prost(message, repeated, tag = "1")]
    pub node_attributes: Vec<NodeAttributeKeyProto>,
}

/// `GetAttributesToNodesResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetAttributesToNodesResponseProto {
    /// f1 `attributesToNodes`.
    #[prost(message, repeated, tag = "1")]
    pub attributes_to_nodes: Vec<AttributeToNodesProto>,
}

/// `GetNodesToAttributesRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetNodesToAttributesRequestProto {
    /// f1 `hostnames`.
    #[prost(string, repeated, tag = "1")]
    pub hostnames: Vec<String>,
}

/// `GetNodesToAttributesResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetNodesToAttributesResponseProto {
    /// f1 `nodesToAttributes`.
    #[prost(message, repeated, tag = "1")]
    pub nodes_to_attributes: Vec<NodeToAttributesProto>,
}

/// `UpdateApplicationPriorityRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdateApplicationPriorityRequestProto {
    /// f1 `applicationId` (required).
    #[prost(message, required, tag = "1")]
    pub application_id: ApplicationIdProto,
    /// f2 `applicationPriority` (required).
    #[prost(message, required, tag = "2")]
    pub application_priority: PriorityProto,
}

/// `UpdateApplicationPriorityResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdateApplicationPriorityResponseProto {
    /// f1 `applicationPriority`.
    #[prost(message, optional, tag = "1")]
    pub application_priority: Option<PriorityProto>,
}

/// `SignalContainerRequestProto` (ApplicationClientProtocol and ContainerManagementProtocol).
#[derive(Clone, PartialEq, prost::Message)]
pub struct SignalContainerRequestProto {
    /// f1 `container_id` (required).
    #[prost(message, required, tag = "1")]
    pub container_id: ContainerIdProto,
    /// f2 `command` (required).
    #[prost(enumeration = "SignalContainerCommandProto", required, tag = "2")]
    pub command: i32,
}

/// `SignalContainerResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct SignalContainerResponseProto {}

/// `UpdateApplicationTimeoutsRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdateApplicationTimeoutsRequestProto {
    /// f1 `applicationId` (required).
    #[prost(message, required, tag = "1")]
    pub application_id: ApplicationIdProto,
    /// f2 `application_timeouts`.
    #[prost(message, repeated, tag = "2")]
    pub application_timeouts: Vec<ApplicationUpdateTimeoutMapProto>,
}

/// `UpdateApplicationTimeoutsResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdateApplicationTimeoutsResponseProto {
    /// f1 `application_timeouts`.
    #[prost(message, repeated, tag = "1")]
    pub application_timeouts: Vec<ApplicationUpdateTimeoutMapProto>,
}

/// `GetAllResourceProfilesRequestProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetAllResourceProfilesRequestProto {}

/// `GetAllResourceProfilesResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetAllResourceProfilesResponseProto {
    /// f1 `resource_profiles` (required).
    #[prost(message, required, tag = "1")]
    pub resource_profiles: ResourceProfilesProto,
}

/// `GetResourceProfileRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetResourceProfileRequestProto {
    /// f1 `profile` (required).
    #[prost(string, required, tag = "1")]
    pub profile: String,
}

/// `GetResourceProfileResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetResourceProfileResponseProto {
    /// f1 `resources` (required).
    #[prost(message, required, tag = "1")]
    pub resources: ResourceProto,
}

/// `GetAllResourceTypeInfoRequestProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetAllResourceTypeInfoRequestProto {}

/// `GetAllResourceTypeInfoResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetAllResourceTypeInfoResponseProto {
    /// f1 `resource_type_info`.
    #[prost(message, repeated, tag = "1")]
    pub resource_type_info: Vec<ResourceTypeInfoProto>,
}

/// `GetApplicationAttemptReportRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetApplicationAttemptReportRequestProto {
    /// f1 `application_attempt_id`.
    #[prost(message, optional, tag = "1")]
    pub application_attempt_id: Option<ApplicationAttemptIdProto>,
}

/// `GetApplicationAttemptReportResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetApplicationAttemptReportResponseProto {
    /// f1 `application_attempt_report`.
    #[prost(message, optional, tag = "1")]
    pub application_attempt_report: Option<ApplicationAttemptReportProto>,
}

/// `GetApplicationAttemptsRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetApplicationAttemptsRequestProto {
    /// f1 `application_id`.
    #[prost(message, optional, tag = "1")]
    pub application_id: Option<ApplicationIdProto>,
}

/// `GetApplicationAttemptsResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetApplicationAttemptsResponseProto {
    /// f1 `application_attempts`.
    #[prost(message, repeated, tag = "1")]
    pub application_attempts: Vec<ApplicationAttemptReportProto>,
}

/// `GetContainerReportRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetContainerReportRequestProto {
    /// f1 `container_id`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
}

/// `GetContainerReportResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetContainerReportResponseProto {
    /// f1 `container_report`.
    #[prost(message, optional, tag = "1")]
    pub container_report: Option<ContainerReportProto>,
}

/// `GetContainersRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetContainersRequestProto {
    /// f1 `application_attempt_id`.
    #[prost(message, optional, tag = "1")]
    pub application_attempt_id: Option<ApplicationAttemptIdProto>,
}

/// `GetContainersResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetContainersResponseProto {
    /// f1 `containers`.
    #[prost(message, repeated, tag = "1")]
    pub containers: Vec<ContainerReportProto>,
}

// ---------------------------------------------------------------------------------------------
// ContainerManagementProtocol
// ---------------------------------------------------------------------------------------------

/// `StartContainerRequestProto`: one container to start.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StartContainerRequestProto {
    /// f1 `container_launch_context`.
    #[prost(message, optional, tag = "1")]
    pub container_launch_context: Option<ContainerLaunchContextProto>,
    /// f2 `container_token`: `ContainerProto.container_token`, unchanged.
    #[prost(message, optional, tag = "2")]
    pub container_token: Option<TokenProto>,
}

/// `StartContainerResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StartContainerResponseProto {
    /// f1 `services_meta_data`.
    #[prost(message, repeated, tag = "1")]
    pub services_meta_data: Vec<StringBytesMapProto>,
}

/// `StopContainerRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StopContainerRequestProto {
    /// f1 `container_id`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
}

/// `StopContainerResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct StopContainerResponseProto {}

/// `ResourceLocalizationRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceLocalizationRequestProto {
    /// f1 `container_id`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
    /// f2 `local_resources`.
    #[prost(message, repeated, tag = "2")]
    pub local_resources: Vec<StringLocalResourceMapProto>,
}

/// `ResourceLocalizationResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceLocalizationResponseProto {}

/// `ReInitializeContainerRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ReInitializeContainerRequestProto {
    /// f1 `container_id`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
    /// f2 `container_launch_context`.
    #[prost(message, optional, tag = "2")]
    pub container_launch_context: Option<ContainerLaunchContextProto>,
    /// f3 `auto_commit` [= true].
    #[prost(bool, optional, tag = "3", default = "true")]
    pub auto_commit: Option<bool>,
}

/// `ReInitializeContainerResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct ReInitializeContainerResponseProto {}

/// `RestartContainerResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct RestartContainerResponseProto {}

/// `RollbackResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct RollbackResponseProto {}

/// `CommitResponseProto` (empty).
#[derive(Clone, PartialEq, prost::Message)]
pub struct CommitResponseProto {}

/// `StartContainersRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StartContainersRequestProto {
    /// f1 `start_container_request`.
    #[prost(message, repeated, tag = "1")]
    pub start_container_request: Vec<StartContainerRequestProto>,
}

/// `ContainerExceptionMapProto`: why one container's request failed.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerExceptionMapProto {
    /// f1 `container_id`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
    /// f2 `exception`.
    #[prost(message, optional, tag = "2")]
    pub exception: Option<SerializedExceptionProto>,
}

/// `StartContainersResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StartContainersResponseProto {
    /// f1 `services_meta_data`.
    #[prost(message, repeated, tag = "1")]
    pub services_meta_data: Vec<StringBytesMapProto>,
    /// f2 `succeeded_requests`.
    #[prost(message, repeated, tag = "2")]
    pub succeeded_requests: Vec<ContainerIdProto>,
    /// f3 `failed_requests`.
    #[prost(message, repeated, tag = "3")]
    pub failed_requests: Vec<ContainerExceptionMapProto>,
}

/// `StopContainersRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StopContainersRequestProto {
    /// f1 `container_id`.
    #[prost(message, repeated, tag = "1")]
    pub container_id: Vec<ContainerIdProto>,
}

/// `StopContainersResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StopContainersResponseProto {
    /// f1 `succeeded_requests`.
    #[prost(message, repeated, tag = "1")]
    pub succeeded_requests: Vec<ContainerIdProto>,
    /// f2 `failed_requests`.
    #[prost(message, repeated, tag = "2")]
    pub failed_requests: Vec<ContainerExceptionMapProto>,
}

/// `GetContainerStatusesRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetContainerStatusesRequestProto {
    /// f1 `container_id`.
    #[prost(message, repeated, tag = "1")]
    pub container_id: Vec<ContainerIdProto>,
}

/// `GetContainerStatusesResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetContainerStatusesResponseProto {
    /// f1 `status`.
    #[prost(message, repeated, tag = "1")]
    pub status: Vec<ContainerStatusProto>,
    /// f2 `failed_requests`.
    #[prost(message, repeated, tag = "2")]
    pub failed_requests: Vec<ContainerExceptionMapProto>,
}

/// `IncreaseContainersResourceRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct IncreaseContainersResourceRequestProto {
    /// f1 `increase_containers`: container tokens carrying the new resource.
    #[prost(message, repeated, tag = "1")]
    pub increase_containers: Vec<TokenProto>,
}

/// `IncreaseContainersResourceResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct IncreaseContainersResourceResponseProto {
    /// f1 `succeeded_requests`.
    #[prost(message, repeated, tag = "1")]
    pub succeeded_requests: Vec<ContainerIdProto>,
    /// f2 `failed_requests`.
    #[prost(message, repeated, tag = "2")]
    pub failed_requests: Vec<ContainerExceptionMapProto>,
}

/// `ContainerUpdateRequestProto` (method `updateContainer`).
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerUpdateRequestProto {
    /// f1 `update_container_token`.
    #[prost(message, repeated, tag = "1")]
    pub update_container_token: Vec<TokenProto>,
}

/// `ContainerUpdateResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerUpdateResponseProto {
    /// f1 `succeeded_requests`.
    #[prost(message, repeated, tag = "1")]
    pub succeeded_requests: Vec<ContainerIdProto>,
    /// f2 `failed_requests`.
    #[prost(message, repeated, tag = "2")]
    pub failed_requests: Vec<ContainerExceptionMapProto>,
}

/// `GetLocalizationStatusesRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetLocalizationStatusesRequestProto {
    /// f1 `container_id`.
    #[prost(message, repeated, tag = "1")]
    pub container_id: Vec<ContainerIdProto>,
}

/// `LocalizationStateProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum LocalizationStateProto {
    /// `L_PENDING`.
    LPending = 1,
    /// `L_COMPLETED`.
    LCompleted = 2,
    /// `L_FAILED`.
    LFailed = 3,
}

/// `LocalizationStatusProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct LocalizationStatusProto {
    /// f1 `resource_key`.
    #[prost(string, optional, tag = "1")]
    pub resource_key: Option<String>,
    /// f2 `localization_state`.
    #[prost(enumeration = "LocalizationStateProto", optional, tag = "2")]
    pub localization_state: Option<i32>,
    /// f3 `diagnostics`.
    #[prost(string, optional, tag = "3")]
    pub diagnostics: Option<String>,
}

/// `ContainerLocalizationStatusesProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerLocalizationStatusesProto {
    /// f1 `container_id`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
    /// f2 `localization_statuses`.
    #[prost(message, repeated, tag = "2")]
    pub localization_statuses: Vec<LocalizationStatusProto>,
}

/// `GetLocalizationStatusesResponseProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GetLocalizationStatusesResponseProto {
    /// f1 `cntn_localization_statuses`.
    #[prost(message, repeated, tag = "1")]
    pub cntn_localization_statuses: Vec<ContainerLocalizationStatusesProto>,
    /// f2 `failed_requests`.
    #[prost(message, repeated, tag = "2")]
    pub failed_requests: Vec<ContainerExceptionMapProto>,
}
