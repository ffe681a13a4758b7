//! YARN records from `yarn_protos.proto` (package `hadoop.yarn`, Hadoop 3.4.1).
//!
//! Written by hand as prost messages with proto2 semantics: `optional` scalars are `Option<T>`
//! (the prost getters return the proto default when unset), `required` fields are plain values
//! that are always encoded, enum fields are `Option<i32>` / `Vec<i32>` tied to their
//! [`prost::Enumeration`] type, and repeated numeric fields are unpacked like proto2.
//!
//! Sections follow the order of the Hadoop file: IDs, resources, containers, applications,
//! nodes, scheduling, submission, queues, placement constraints, launch contexts, map entries.
//! Convenience constructors and accessors live in [`crate::yarn::records`].

use super::security::TokenProto;

// ---------------------------------------------------------------------------------------------
// Exceptions and IDs
// ---------------------------------------------------------------------------------------------

/// `SerializedExceptionProto`: an exception sent as data (e.g. a failed container start).
#[derive(Clone, PartialEq, prost::Message)]
pub struct SerializedExceptionProto {
    /// f1 `message`.
    #[prost(string, optional, tag = "1")]
    pub message: Option<String>,
    /// f2 `trace`: the stack trace text.
    #[prost(string, optional, tag = "2")]
    pub trace: Option<String>,
    /// f3 `class_name`: the Java class name of the exception.
    #[prost(string, optional, tag = "3")]
    pub class_name: Option<String>,
    /// f4 `cause`: the nested cause, if any.
    #[prost(message, optional, boxed, tag = "4")]
    pub cause: Option<Box<SerializedExceptionProto>>,
}

/// `ApplicationIdProto`: `application_<cluster_timestamp>_<id>`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct ApplicationIdProto {
    /// f1 `id`: the sequence number within the RM.
    #[prost(int32, optional, tag = "1")]
    pub id: Option<i32>,
    /// f2 `cluster_timestamp`: the RM's start time (ms).
    #[prost(int64, optional, tag = "2")]
    pub cluster_timestamp: Option<i64>,
}

/// `ApplicationAttemptIdProto`: `appattempt_<ts>_<app>_<attempt>`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct ApplicationAttemptIdProto {
    /// f1 `application_id`.
    #[prost(message, optional, tag = "1")]
    pub application_id: Option<ApplicationIdProto>,
    /// f2 `attemptId`.
    #[prost(int32, optional, tag = "2")]
    pub attempt_id: Option<i32>,
}

/// `ContainerIdProto`: `container_[e<epoch>_]<ts>_<app>_<attempt>_<seq>`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct ContainerIdProto {
    /// f1 `app_id`: legacy, Java does not set it.
    #[prost(message, optional, tag = "1")]
    pub app_id: Option<ApplicationIdProto>,
    /// f2 `app_attempt_id`.
    #[prost(message, optional, tag = "2")]
    pub app_attempt_id: Option<ApplicationAttemptIdProto>,
    /// f3 `id`: epoch in bits 40 and up, sequence number in the low 40 bits.
    #[prost(int64, optional, tag = "3")]
    pub id: Option<i64>,
}

/// `NodeIdProto`: a NodeManager's `host:port`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct NodeIdProto {
    /// f1 `host`.
    #[prost(string, optional, tag = "1")]
    pub host: Option<String>,
    /// f2 `port`.
    #[prost(int32, optional, tag = "2")]
    pub port: Option<i32>,
}

/// `PriorityProto`: a lower number means a higher priority.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct PriorityProto {
    /// f1 `priority`.
    #[prost(int32, optional, tag = "1")]
    pub priority: Option<i32>,
}

/// `ReservationIdProto`.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct ReservationIdProto {
    /// f1 `id`.
    #[prost(int64, optional, tag = "1")]
    pub id: Option<i64>,
    /// f2 `cluster_timestamp`.
    #[prost(int64, optional, tag = "2")]
    pub cluster_timestamp: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/// `ResourceTypesProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ResourceTypesProto {
    /// `COUNTABLE`.
    Countable = 0,
}

/// `ResourceInformationProto`: one named resource of a [`ResourceProto`].
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceInformationProto {
    /// f1 `key` (required), e.g. `memory-mb`, `vcores`, `yarn.io/gpu`.
    #[prost(string, required, tag = "1")]
    pub key: String,
    /// f2 `value`.
    #[prost(int64, optional, tag = "2")]
    pub value: Option<i64>,
    /// f3 `units`, e.g. `Mi` for memory, empty for vcores.
    #[prost(string, optional, tag = "3")]
    pub units: Option<String>,
    /// f4 `type`.
    #[prost(enumeration = "ResourceTypesProto", optional, tag = "4")]
    pub r#type: Option<i32>,
    /// f5 `tags`.
    #[prost(string, repeated, tag = "5")]
    pub tags: Vec<String>,
    /// f6 `attributes`.
    #[prost(message, repeated, tag = "6")]
    pub attributes: Vec<StringStringMapProto>,
}

/// `ResourceTypeInfoProto`: a resource type the cluster knows.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceTypeInfoProto {
    /// f1 `name` (required).
    #[prost(string, required, tag = "1")]
    pub name: String,
    /// f2 `units`.
    #[prost(string, optional, tag = "2")]
    pub units: Option<String>,
    /// f3 `type`.
    #[prost(enumeration = "ResourceTypesProto", optional, tag = "3")]
    pub r#type: Option<i32>,
}

/// `ResourceProto`: memory (MB), vcores and other resource types. `memory`/`virtual_cores`
/// win over the map entries for memory and vcores.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceProto {
    /// f1 `memory` in MB.
    #[prost(int64, optional, tag = "1")]
    pub memory: Option<i64>,
    /// f2 `virtual_cores`.
    #[prost(int32, optional, tag = "2")]
    pub virtual_cores: Option<i32>,
    /// f3 `resource_value_map`: every resource type (Java includes memory-mb and vcores too).
    #[prost(message, repeated, tag = "3")]
    pub resource_value_map: Vec<ResourceInformationProto>,
}

/// `ResourceUtilizationProto`: measured use of a node or its containers.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceUtilizationProto {
    /// f1 `pmem` (MB).
    #[prost(int32, optional, tag = "1")]
    pub pmem: Option<i32>,
    /// f2 `vmem` (MB).
    #[prost(int32, optional, tag = "2")]
    pub vmem: Option<i32>,
    /// f3 `cpu` (fraction of vcores).
    #[prost(float, optional, tag = "3")]
    pub cpu: Option<f32>,
    /// f4 `customResources`.
    #[prost(message, repeated, tag = "4")]
    pub custom_resources: Vec<StringFloatMapProto>,
}

/// `ResourceOptionProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceOptionProto {
    /// f1 `resource`.
    #[prost(message, optional, tag = "1")]
    pub resource: Option<ResourceProto>,
    /// f2 `over_commit_timeout`.
    #[prost(int32, optional, tag = "2")]
    pub over_commit_timeout: Option<i32>,
}

/// `ResourceProfileEntry`: a named resource profile.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceProfileEntry {
    /// f1 `name` (required).
    #[prost(string, required, tag = "1")]
    pub name: String,
    /// f2 `resources` (required).
    #[prost(message, required, tag = "2")]
    pub resources: ResourceProto,
}

/// `ResourceProfilesProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceProfilesProto {
    /// f1 `resource_profiles_map`.
    #[prost(message, repeated, tag = "1")]
    pub resource_profiles_map: Vec<ResourceProfileEntry>,
}

/// `NodeResourceMapProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeResourceMapProto {
    /// f1 `node_id`.
    #[prost(message, optional, tag = "1")]
    pub node_id: Option<NodeIdProto>,
    /// f2 `resource_option`.
    #[prost(message, optional, tag = "2")]
    pub resource_option: Option<ResourceOptionProto>,
}

// ---------------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------------

/// `ContainerStateProto`. Older protos also had `C_SCHEDULED=4`, so callers must tolerate
/// unknown values (the raw `i32` is kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ContainerStateProto {
    /// `C_NEW`.
    CNew = 1,
    /// `C_RUNNING`.
    CRunning = 2,
    /// `C_COMPLETE`.
    CComplete = 3,
}

/// `ContainerSubStateProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
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

/// `ContainerProto`: an allocated container.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerProto {
    /// f1 `id`.
    #[prost(message, optional, tag = "1")]
    pub id: Option<ContainerIdProto>,
    /// f2 `nodeId`.
    #[prost(message, optional, tag = "2")]
    pub node_id: Option<NodeIdProto>,
    /// f3 `node_http_address`.
    #[prost(string, optional, tag = "3")]
    pub node_http_address: Option<String>,
    /// f4 `resource`.
    #[prost(message, optional, tag = "4")]
    pub resource: Option<ResourceProto>,
    /// f5 `priority`.
    #[prost(message, optional, tag = "5")]
    pub priority: Option<PriorityProto>,
    /// f6 `container_token`: pass it unchanged to `startContainers`.
    #[prost(message, optional, tag = "6")]
    pub container_token: Option<TokenProto>,
    /// f7 `execution_type` [= GUARANTEED].
    #[prost(
        enumeration = "ExecutionTypeProto",
        optional,
        tag = "7",
        default = "Guaranteed"
    )]
    pub execution_type: Option<i32>,
    /// f8 `allocation_request_id` [= -1].
    #[prost(int64, optional, tag = "8", default = "-1")]
    pub allocation_request_id: Option<i64>,
    /// f9 `version` [= 0].
    #[prost(int32, optional, tag = "9", default = "0")]
    pub version: Option<i32>,
    /// f10 `allocation_tags`.
    #[prost(string, repeated, tag = "10")]
    pub allocation_tags: Vec<String>,
    /// f11 `exposed_ports`.
    #[prost(string, optional, tag = "11")]
    pub exposed_ports: Option<String>,
}

/// `ContainerReportProto`: history view of a container.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerReportProto {
    /// f1 `container_id`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
    /// f2 `resource`.
    #[prost(message, optional, tag = "2")]
    pub resource: Option<ResourceProto>,
    /// f3 `node_id`.
    #[prost(message, optional, tag = "3")]
    pub node_id: Option<NodeIdProto>,
    /// f4 `priority`.
    #[prost(message, optional, tag = "4")]
    pub priority: Option<PriorityProto>,
    /// f5 `creation_time`.
    #[prost(int64, optional, tag = "5")]
    pub creation_time: Option<i64>,
    /// f6 `finish_time`.
    #[prost(int64, optional, tag = "6")]
    pub finish_time: Option<i64>,
    /// f7 `diagnostics_info` [= "N/A"].
    #[prost(string, optional, tag = "7", default = "N/A")]
    pub diagnostics_info: Option<String>,
    /// f8 `log_url`.
    #[prost(string, optional, tag = "8")]
    pub log_url: Option<String>,
    /// f9 `container_exit_status`.
    #[prost(int32, optional, tag = "9")]
    pub container_exit_status: Option<i32>,
    /// f10 `container_state`.
    #[prost(enumeration = "ContainerStateProto", optional, tag = "10")]
    pub container_state: Option<i32>,
    /// f11 `node_http_address`.
    #[prost(string, optional, tag = "11")]
    pub node_http_address: Option<String>,
    /// f12 `executionType` [= GUARANTEED].
    #[prost(
        enumeration = "ExecutionTypeProto",
        optional,
        tag = "12",
        default = "Guaranteed"
    )]
    pub execution_type: Option<i32>,
    /// f13 `exposed_ports`.
    #[prost(string, optional, tag = "13")]
    pub exposed_ports: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Applications
// ---------------------------------------------------------------------------------------------

/// `YarnApplicationStateProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
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

/// `URLProto`: a URL split the way `org.apache.hadoop.yarn.api.records.URL` does.
#[derive(Clone, PartialEq, prost::Message)]
pub struct URLProto {
    /// f1 `scheme`.
    #[prost(string, optional, tag = "1")]
    pub scheme: Option<String>,
    /// f2 `host` (set only when the URI has one).
    #[prost(string, optional, tag = "2")]
    pub host: Option<String>,
    /// f3 `port` (-1 when absent).
    #[prost(int32, optional, tag = "3")]
    pub port: Option<i32>,
    /// f4 `file`: the path.
    #[prost(string, optional, tag = "4")]
    pub file: Option<String>,
    /// f5 `userInfo`.
    #[prost(string, optional, tag = "5")]
    pub user_info: Option<String>,
}

/// `LocalResourceVisibilityProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum LocalResourceVisibilityProto {
    /// `PUBLIC`: shared by all users of the node.
    Public = 1,
    /// `PRIVATE`: shared by the user's applications.
    Private = 2,
    /// `APPLICATION`: this application only.
    Application = 3,
}

/// `LocalResourceTypeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum LocalResourceTypeProto {
    /// `ARCHIVE`: unpacked by the NM.
    Archive = 1,
    /// `FILE`.
    File = 2,
    /// `PATTERN`: an archive of which the entries matching `pattern` are unpacked.
    Pattern = 3,
}

/// `LocalResourceProto`: a file the NM localizes into the container work dir.
#[derive(Clone, PartialEq, prost::Message)]
pub struct LocalResourceProto {
    /// f1 `resource`: where to download from.
    #[prost(message, optional, tag = "1")]
    pub resource: Option<URLProto>,
    /// f2 `size` (bytes).
    #[prost(int64, optional, tag = "2")]
    pub size: Option<i64>,
    /// f3 `timestamp`: the source file's modification time (ms); must match exactly.
    #[prost(int64, optional, tag = "3")]
    pub timestamp: Option<i64>,
    /// f4 `type`.
    #[prost(enumeration = "LocalResourceTypeProto", optional, tag = "4")]
    pub r#type: Option<i32>,
    /// f5 `visibility`.
    #[prost(enumeration = "LocalResourceVisibilityProto", optional, tag = "5")]
    pub visibility: Option<i32>,
    /// f6 `pattern` (for `PATTERN`).
    #[prost(string, optional, tag = "6")]
    pub pattern: Option<String>,
    /// f7 `should_be_uploaded_to_shared_cache`.
    #[prost(bool, optional, tag = "7")]
    pub should_be_uploaded_to_shared_cache: Option<bool>,
}

/// `StringLongMapProto`: map entry with required key and value.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct StringLongMapProto {
    /// f1 `key` (required).
    #[prost(string, required, tag = "1")]
    pub key: String,
    /// f2 `value` (required).
    #[prost(int64, required, tag = "2")]
    pub value: i64,
}

/// `StringFloatMapProto`: map entry with required key and value.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StringFloatMapProto {
    /// f1 `key` (required).
    #[prost(string, required, tag = "1")]
    pub key: String,
    /// f2 `value` (required).
    #[prost(float, required, tag = "2")]
    pub value: f32,
}

/// `ApplicationResourceUsageReportProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ApplicationResourceUsageReportProto {
    /// f1 `num_used_containers`.
    #[prost(int32, optional, tag = "1")]
    pub num_used_containers: Option<i32>,
    /// f2 `num_reserved_containers`.
    #[prost(int32, optional, tag = "2")]
    pub num_reserved_containers: Option<i32>,
    /// f3 `used_resources`.
    #[prost(message, optional, tag = "3")]
    pub used_resources: Option<ResourceProto>,
    /// f4 `reserved_resources`.
    #[prost(message, optional, tag = "4")]
    pub reserved_resources: Option<ResourceProto>,
    /// f5 `needed_resources`.
    #[prost(message, optional, tag = "5")]
    pub needed_resources: Option<ResourceProto>,
    /// f6 `memory_seconds` (MB·s).
    #[prost(int64, optional, tag = "6")]
    pub memory_seconds: Option<i64>,
    /// f7 `vcore_seconds`.
    #[prost(int64, optional, tag = "7")]
    pub vcore_seconds: Option<i64>,
    /// f8 `queue_usage_percentage`.
    #[prost(float, optional, tag = "8")]
    pub queue_usage_percentage: Option<f32>,
    /// f9 `cluster_usage_percentage`.
    #[prost(float, optional, tag = "9")]
    pub cluster_usage_percentage: Option<f32>,
    /// f10 `preempted_memory_seconds`.
    #[prost(int64, optional, tag = "10")]
    pub preempted_memory_seconds: Option<i64>,
    /// f11 `preempted_vcore_seconds`.
    #[prost(int64, optional, tag = "11")]
    pub preempted_vcore_seconds: Option<i64>,
    /// f12 `application_resource_usage_map`.
    #[prost(message, repeated, tag = "12")]
    pub application_resource_usage_map: Vec<StringLongMapProto>,
    /// f13 `application_preempted_resource_usage_map`.
    #[prost(message, repeated, tag = "13")]
    pub application_preempted_resource_usage_map: Vec<StringLongMapProto>,
}

/// `ApplicationReportProto`: what the RM reports about an application.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ApplicationReportProto {
    /// f1 `applicationId`.
    #[prost(message, optional, tag = "1")]
    pub application_id: Option<ApplicationIdProto>,
    /// f2 `user`.
    #[prost(string, optional, tag = "2")]
    pub user: Option<String>,
    /// f3 `queue`.
    #[prost(string, optional, tag = "3")]
    pub queue: Option<String>,
    /// f4 `name`.
    #[prost(string, optional, tag = "4")]
    pub name: Option<String>,
    /// f5 `host`: the AM's host.
    #[prost(string, optional, tag = "5")]
    pub host: Option<String>,
    /// f6 `rpc_port`: the AM's RPC port.
    #[prost(int32, optional, tag = "6")]
    pub rpc_port: Option<i32>,
    /// f7 `client_to_am_token`.
    #[prost(message, optional, tag = "7")]
    pub client_to_am_token: Option<TokenProto>,
    /// f8 `yarn_application_state`.
    #[prost(enumeration = "YarnApplicationStateProto", optional, tag = "8")]
    pub yarn_application_state: Option<i32>,
    /// f9 `trackingUrl`.
    #[prost(string, optional, tag = "9")]
    pub tracking_url: Option<String>,
    /// f10 `diagnostics` [= "N/A"].
    #[prost(string, optional, tag = "10", default = "N/A")]
    pub diagnostics: Option<String>,
    /// f11 `startTime`.
    #[prost(int64, optional, tag = "11")]
    pub start_time: Option<i64>,
    /// f12 `finishTime`.
    #[prost(int64, optional, tag = "12")]
    pub finish_time: Option<i64>,
    /// f13 `final_application_status`.
    #[prost(enumeration = "FinalApplicationStatusProto", optional, tag = "13")]
    pub final_application_status: Option<i32>,
    /// f14 `app_resource_Usage`.
    #[prost(message, optional, tag = "14")]
    pub app_resource_usage: Option<ApplicationResourceUsageReportProto>,
    /// f15 `originalTrackingUrl`.
    #[prost(string, optional, tag = "15")]
    pub original_tracking_url: Option<String>,
    /// f16 `currentApplicationAttemptId`.
    #[prost(message, optional, tag = "16")]
    pub current_application_attempt_id: Option<ApplicationAttemptIdProto>,
    /// f17 `progress` (0..1).
    #[prost(float, optional, tag = "17")]
    pub progress: Option<f32>,
    /// f18 `applicationType`.
    #[prost(string, optional, tag = "18")]
    pub application_type: Option<String>,
    /// f19 `am_rm_token` (unmanaged AMs only).
    #[prost(message, optional, tag = "19")]
    pub am_rm_token: Option<TokenProto>,
    /// f20 `applicationTags`.
    #[prost(string, repeated, tag = "20")]
    pub application_tags: Vec<String>,
    /// f21 `log_aggregation_status`.
    #[prost(enumeration = "LogAggregationStatusProto", optional, tag = "21")]
    pub log_aggregation_status: Option<i32>,
    /// f22 `unmanaged_application` [= false].
    #[prost(bool, optional, tag = "22", default = "false")]
    pub unmanaged_application: Option<bool>,
    /// f23 `priority`.
    #[prost(message, optional, tag = "23")]
    pub priority: Option<PriorityProto>,
    /// f24 `appNodeLabelExpression`.
    #[prost(string, optional, tag = "24")]
    pub app_node_label_expression: Option<String>,
    /// f25 `amNodeLabelExpression`.
    #[prost(string, optional, tag = "25")]
    pub am_node_label_expression: Option<String>,
    /// f26 `appTimeouts`.
    #[prost(message, repeated, tag = "26")]
    pub app_timeouts: Vec<AppTimeoutsMapProto>,
    /// f27 `launchTime`.
    #[prost(int64, optional, tag = "27")]
    pub launch_time: Option<i64>,
    /// f28 `submitTime`.
    #[prost(int64, optional, tag = "28")]
    pub submit_time: Option<i64>,
    /// f29 `rmClusterId`.
    #[prost(string, optional, tag = "29")]
    pub rm_cluster_id: Option<String>,
}

/// `AppTimeoutsMapProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AppTimeoutsMapProto {
    /// f1 `application_timeout_type`.
    #[prost(enumeration = "ApplicationTimeoutTypeProto", optional, tag = "1")]
    pub application_timeout_type: Option<i32>,
    /// f2 `application_timeout`.
    #[prost(message, optional, tag = "2")]
    pub application_timeout: Option<ApplicationTimeoutProto>,
}

/// `ApplicationTimeoutProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ApplicationTimeoutProto {
    /// f1 `application_timeout_type` (required).
    #[prost(enumeration = "ApplicationTimeoutTypeProto", required, tag = "1")]
    pub application_timeout_type: i32,
    /// f2 `expire_time` (ISO 8601 text).
    #[prost(string, optional, tag = "2")]
    pub expire_time: Option<String>,
    /// f3 `remaining_time` (seconds).
    #[prost(int64, optional, tag = "3")]
    pub remaining_time: Option<i64>,
}

/// `LogAggregationStatusProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
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

/// `ApplicationAttemptReportProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ApplicationAttemptReportProto {
    /// f1 `application_attempt_id`.
    #[prost(message, optional, tag = "1")]
    pub application_attempt_id: Option<ApplicationAttemptIdProto>,
    /// f2 `host`.
    #[prost(string, optional, tag = "2")]
    pub host: Option<String>,
    /// f3 `rpc_port`.
    #[prost(int32, optional, tag = "3")]
    pub rpc_port: Option<i32>,
    /// f4 `tracking_url`.
    #[prost(string, optional, tag = "4")]
    pub tracking_url: Option<String>,
    /// f5 `diagnostics` [= "N/A"].
    #[prost(string, optional, tag = "5", default = "N/A")]
    pub diagnostics: Option<String>,
    /// f6 `yarn_application_attempt_state`.
    #[prost(enumeration = "YarnApplicationAttemptStateProto", optional, tag = "6")]
    pub yarn_application_attempt_state: Option<i32>,
    /// f7 `am_container_id`.
    #[prost(message, optional, tag = "7")]
    pub am_container_id: Option<ContainerIdProto>,
    /// f8 `original_tracking_url`.
    #[prost(string, optional, tag = "8")]
    pub original_tracking_url: Option<String>,
    /// f9 `startTime`.
    #[prost(int64, optional, tag = "9")]
    pub start_time: Option<i64>,
    /// f10 `finishTime`.
    #[prost(int64, optional, tag = "10")]
    pub finish_time: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------------------------

/// `NodeStateProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum NodeUpdateTypeProto {
    /// `NODE_USABLE`.
    NodeUsable = 0,
    /// `NODE_UNUSABLE`.
    NodeUnusable = 1,
    /// `NODE_DECOMMISSIONING`.
    NodeDecommissioning = 2,
}

/// `NodeReportProto`: what the RM reports about a node.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeReportProto {
    /// f1 `nodeId`.
    #[prost(message, optional, tag = "1")]
    pub node_id: Option<NodeIdProto>,
    /// f2 `httpAddress`.
    #[prost(string, optional, tag = "2")]
    pub http_address: Option<String>,
    /// f3 `rackName`.
    #[prost(string, optional, tag = "3")]
    pub rack_name: Option<String>,
    /// f4 `used`.
    #[prost(message, optional, tag = "4")]
    pub used: Option<ResourceProto>,
    /// f5 `capability`.
    #[prost(message, optional, tag = "5")]
    pub capability: Option<ResourceProto>,
    /// f6 `numContainers`.
    #[prost(int32, optional, tag = "6")]
    pub num_containers: Option<i32>,
    /// f7 `node_state`.
    #[prost(enumeration = "NodeStateProto", optional, tag = "7")]
    pub node_state: Option<i32>,
    /// f8 `health_report`.
    #[prost(string, optional, tag = "8")]
    pub health_report: Option<String>,
    /// f9 `last_health_report_time`.
    #[prost(int64, optional, tag = "9")]
    pub last_health_report_time: Option<i64>,
    /// f10 `node_labels`.
    #[prost(string, repeated, tag = "10")]
    pub node_labels: Vec<String>,
    /// f11 `containers_utilization`.
    #[prost(message, optional, tag = "11")]
    pub containers_utilization: Option<ResourceUtilizationProto>,
    /// f12 `node_utilization`.
    #[prost(message, optional, tag = "12")]
    pub node_utilization: Option<ResourceUtilizationProto>,
    /// f13 `decommissioning_timeout` (seconds).
    #[prost(uint32, optional, tag = "13")]
    pub decommissioning_timeout: Option<u32>,
    /// f14 `node_update_type`.
    #[prost(enumeration = "NodeUpdateTypeProto", optional, tag = "14")]
    pub node_update_type: Option<i32>,
    /// f15 `node_attributes`.
    #[prost(message, repeated, tag = "15")]
    pub node_attributes: Vec<NodeAttributeProto>,
}

/// `NodeIdToLabelsProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeIdToLabelsProto {
    /// f1 `nodeId`.
    #[prost(message, optional, tag = "1")]
    pub node_id: Option<NodeIdProto>,
    /// f2 `nodeLabels`.
    #[prost(string, repeated, tag = "2")]
    pub node_labels: Vec<String>,
}

/// `LabelsToNodeIdsProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct LabelsToNodeIdsProto {
    /// f1 `nodeLabels`.
    #[prost(string, optional, tag = "1")]
    pub node_labels: Option<String>,
    /// f2 `nodeId`.
    #[prost(message, repeated, tag = "2")]
    pub node_id: Vec<NodeIdProto>,
}

/// `NodeLabelProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeLabelProto {
    /// f1 `name`.
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    /// f2 `isExclusive` [= true].
    #[prost(bool, optional, tag = "2", default = "true")]
    pub is_exclusive: Option<bool>,
}

/// `NodeAttributeTypeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum NodeAttributeTypeProto {
    /// `STRING`.
    String = 1,
}

/// `NodeAttributeKeyProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeAttributeKeyProto {
    /// f1 `attributePrefix` [= "rm.yarn.io"].
    #[prost(string, optional, tag = "1", default = "rm.yarn.io")]
    pub attribute_prefix: Option<String>,
    /// f2 `attributeName` (required).
    #[prost(string, required, tag = "2")]
    pub attribute_name: String,
}

/// `NodeAttributeProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeAttributeProto {
    /// f1 `attributeKey` (required).
    #[prost(message, required, tag = "1")]
    pub attribute_key: NodeAttributeKeyProto,
    /// f2 `attributeType` [= STRING].
    #[prost(
        enumeration = "NodeAttributeTypeProto",
        optional,
        tag = "2",
        default = "String"
    )]
    pub attribute_type: Option<i32>,
    /// f3 `attributeValue` [= ""].
    #[prost(string, optional, tag = "3", default = "")]
    pub attribute_value: Option<String>,
}

/// `NodeAttributeInfoProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeAttributeInfoProto {
    /// f1 `attributeKey` (required).
    #[prost(message, required, tag = "1")]
    pub attribute_key: NodeAttributeKeyProto,
    /// f2 `attributeType` (required).
    #[prost(enumeration = "NodeAttributeTypeProto", required, tag = "2")]
    pub attribute_type: i32,
}

/// `NodeToAttributeValueProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeToAttributeValueProto {
    /// f1 `hostname` (required).
    #[prost(string, required, tag = "1")]
    pub hostname: String,
    /// f2 `attributeValue` (required).
    #[prost(string, required, tag = "2")]
    pub attribute_value: String,
}

/// `AttributeToNodesProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AttributeToNodesProto {
    /// f1 `nodeAttribute` (required).
    #[prost(message, required, tag = "1")]
    pub node_attribute: NodeAttributeKeyProto,
    /// f2 `nodeValueMap`.
    #[prost(message, repeated, tag = "2")]
    pub node_value_map: Vec<NodeToAttributeValueProto>,
}

/// `NodeToAttributesProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NodeToAttributesProto {
    /// f1 `node`.
    #[prost(string, optional, tag = "1")]
    pub node: Option<String>,
    /// f2 `nodeAttributes`.
    #[prost(message, repeated, tag = "2")]
    pub node_attributes: Vec<NodeAttributeProto>,
}

/// `ContainerTypeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ContainerTypeProto {
    /// `APPLICATION_MASTER`.
    ApplicationMaster = 1,
    /// `TASK`.
    Task = 2,
}

/// `ExecutionTypeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ExecutionTypeProto {
    /// `GUARANTEED`.
    Guaranteed = 1,
    /// `OPPORTUNISTIC`.
    Opportunistic = 2,
}

// ---------------------------------------------------------------------------------------------
// Scheduling
// ---------------------------------------------------------------------------------------------

/// `ResourceRequestProto`: an ask. The count is an absolute total for its key.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceRequestProto {
    /// f1 `priority`.
    #[prost(message, optional, tag = "1")]
    pub priority: Option<PriorityProto>,
    /// f2 `resource_name`: host, rack or `*`.
    #[prost(string, optional, tag = "2")]
    pub resource_name: Option<String>,
    /// f3 `capability`.
    #[prost(message, optional, tag = "3")]
    pub capability: Option<ResourceProto>,
    /// f4 `num_containers`: total outstanding for this key (0 cancels).
    #[prost(int32, optional, tag = "4")]
    pub num_containers: Option<i32>,
    /// f5 `relax_locality` [= true].
    #[prost(bool, optional, tag = "5", default = "true")]
    pub relax_locality: Option<bool>,
    /// f6 `node_label_expression`.
    #[prost(string, optional, tag = "6")]
    pub node_label_expression: Option<String>,
    /// f7 `execution_type_request`.
    #[prost(message, optional, tag = "7")]
    pub execution_type_request: Option<ExecutionTypeRequestProto>,
    /// f8 `allocation_request_id` [= -1]; always set it explicitly.
    #[prost(int64, optional, tag = "8", default = "-1")]
    pub allocation_request_id: Option<i64>,
}

/// `ExecutionTypeRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ExecutionTypeRequestProto {
    /// f1 `execution_type` [= GUARANTEED].
    #[prost(
        enumeration = "ExecutionTypeProto",
        optional,
        tag = "1",
        default = "Guaranteed"
    )]
    pub execution_type: Option<i32>,
    /// f2 `enforce_execution_type` [= false].
    #[prost(bool, optional, tag = "2", default = "false")]
    pub enforce_execution_type: Option<bool>,
}

/// `SchedulingRequestProto`: a placement-constraint aware ask.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SchedulingRequestProto {
    /// f1 `allocationRequestId` [= 0].
    #[prost(int64, optional, tag = "1", default = "0")]
    pub allocation_request_id: Option<i64>,
    /// f2 `priority`.
    #[prost(message, optional, tag = "2")]
    pub priority: Option<PriorityProto>,
    /// f3 `executionType`.
    #[prost(message, optional, tag = "3")]
    pub execution_type: Option<ExecutionTypeRequestProto>,
    /// f4 `allocationTags`.
    #[prost(string, repeated, tag = "4")]
    pub allocation_tags: Vec<String>,
    /// f5 `resourceSizing`.
    #[prost(message, optional, tag = "5")]
    pub resource_sizing: Option<ResourceSizingProto>,
    /// f6 `placementConstraint`.
    #[prost(message, optional, tag = "6")]
    pub placement_constraint: Option<PlacementConstraintProto>,
}

/// `ResourceSizingProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceSizingProto {
    /// f1 `numAllocations`.
    #[prost(int32, optional, tag = "1")]
    pub num_allocations: Option<i32>,
    /// f2 `resources`.
    #[prost(message, optional, tag = "2")]
    pub resources: Option<ResourceProto>,
}

/// `AMCommandProto`: old RMs tell the AM to resync or shut down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum AMCommandProto {
    /// `AM_RESYNC`: register again.
    AmResync = 1,
    /// `AM_SHUTDOWN`: exit.
    AmShutdown = 2,
}

/// `RejectionReasonProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum RejectionReasonProto {
    /// `RRP_COULD_NOT_PLACE_ON_NODE`.
    RrpCouldNotPlaceOnNode = 1,
    /// `RRP_COULD_NOT_SCHEDULE_ON_NODE`.
    RrpCouldNotScheduleOnNode = 2,
}

/// `RejectedSchedulingRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RejectedSchedulingRequestProto {
    /// f1 `reason` (required).
    #[prost(enumeration = "RejectionReasonProto", required, tag = "1")]
    pub reason: i32,
    /// f2 `request` (required).
    #[prost(message, required, tag = "2")]
    pub request: SchedulingRequestProto,
}

/// `PreemptionMessageProto`: containers the RM is about to take back.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PreemptionMessageProto {
    /// f1 `strictContract`: these containers will be preempted.
    #[prost(message, optional, tag = "1")]
    pub strict_contract: Option<StrictPreemptionContractProto>,
    /// f2 `contract`: free this much, or these containers go.
    #[prost(message, optional, tag = "2")]
    pub contract: Option<PreemptionContractProto>,
}

/// `StrictPreemptionContractProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StrictPreemptionContractProto {
    /// f1 `container`.
    #[prost(message, repeated, tag = "1")]
    pub container: Vec<PreemptionContainerProto>,
}

/// `PreemptionContractProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PreemptionContractProto {
    /// f1 `resource`.
    #[prost(message, repeated, tag = "1")]
    pub resource: Vec<PreemptionResourceRequestProto>,
    /// f2 `container`.
    #[prost(message, repeated, tag = "2")]
    pub container: Vec<PreemptionContainerProto>,
}

/// `PreemptionContainerProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PreemptionContainerProto {
    /// f1 `id`.
    #[prost(message, optional, tag = "1")]
    pub id: Option<ContainerIdProto>,
}

/// `PreemptionResourceRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PreemptionResourceRequestProto {
    /// f1 `resource`.
    #[prost(message, optional, tag = "1")]
    pub resource: Option<ResourceRequestProto>,
}

/// `ResourceBlacklistRequestProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceBlacklistRequestProto {
    /// f1 `blacklist_additions`: hosts or racks to avoid.
    #[prost(string, repeated, tag = "1")]
    pub blacklist_additions: Vec<String>,
    /// f2 `blacklist_removals`.
    #[prost(string, repeated, tag = "2")]
    pub blacklist_removals: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Application submission
// ---------------------------------------------------------------------------------------------

/// `ApplicationSubmissionContextProto`: everything needed to launch an application.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ApplicationSubmissionContextProto {
    /// f1 `application_id`.
    #[prost(message, optional, tag = "1")]
    pub application_id: Option<ApplicationIdProto>,
    /// f2 `application_name` [= "N/A"].
    #[prost(string, optional, tag = "2", default = "N/A")]
    pub application_name: Option<String>,
    /// f3 `queue` [= "default"].
    #[prost(string, optional, tag = "3", default = "default")]
    pub queue: Option<String>,
    /// f4 `priority`.
    #[prost(message, optional, tag = "4")]
    pub priority: Option<PriorityProto>,
    /// f5 `am_container_spec`.
    #[prost(message, optional, tag = "5")]
    pub am_container_spec: Option<ContainerLaunchContextProto>,
    /// f6 `cancel_tokens_when_complete` [= true].
    #[prost(bool, optional, tag = "6", default = "true")]
    pub cancel_tokens_when_complete: Option<bool>,
    /// f7 `unmanaged_am` [= false].
    #[prost(bool, optional, tag = "7", default = "false")]
    pub unmanaged_am: Option<bool>,
    /// f8 `maxAppAttempts` [= 0 → cluster default].
    #[prost(int32, optional, tag = "8", default = "0")]
    pub max_app_attempts: Option<i32>,
    /// f9 `resource`: the AM container's resource.
    #[prost(message, optional, tag = "9")]
    pub resource: Option<ResourceProto>,
    /// f10 `applicationType` [= "YARN"].
    #[prost(string, optional, tag = "10", default = "YARN")]
    pub application_type: Option<String>,
    /// f11 `keep_containers_across_application_attempts` [= false].
    #[prost(bool, optional, tag = "11", default = "false")]
    pub keep_containers_across_application_attempts: Option<bool>,
    /// f12 `applicationTags`.
    #[prost(string, repeated, tag = "12")]
    pub application_tags: Vec<String>,
    /// f13 `attempt_failures_validity_interval` [= -1] (ms).
    #[prost(int64, optional, tag = "13", default = "-1")]
    pub attempt_failures_validity_interval: Option<i64>,
    /// f14 `log_aggregation_context`.
    #[prost(message, optional, tag = "14")]
    pub log_aggregation_context: Option<LogAggregationContextProto>,
    /// f15 `reservation_id`.
    #[prost(message, optional, tag = "15")]
    pub reservation_id: Option<ReservationIdProto>,
    /// f16 `node_label_expression`.
    #[prost(string, optional, tag = "16")]
    pub node_label_expression: Option<String>,
    /// f17 `am_container_resource_request`.
    #[prost(message, repeated, tag = "17")]
    pub am_container_resource_request: Vec<ResourceRequestProto>,
    /// f18 `application_timeouts`.
    #[prost(message, repeated, tag = "18")]
    pub application_timeouts: Vec<ApplicationTimeoutMapProto>,
    /// f19 `application_scheduling_properties`.
    #[prost(message, repeated, tag = "19")]
    pub application_scheduling_properties: Vec<StringStringMapProto>,
}

/// `ApplicationTimeoutTypeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ApplicationTimeoutTypeProto {
    /// `APP_TIMEOUT_LIFETIME`.
    AppTimeoutLifetime = 1,
}

/// `ApplicationTimeoutMapProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ApplicationTimeoutMapProto {
    /// f1 `application_timeout_type`.
    #[prost(enumeration = "ApplicationTimeoutTypeProto", optional, tag = "1")]
    pub application_timeout_type: Option<i32>,
    /// f2 `timeout` (seconds).
    #[prost(int64, optional, tag = "2")]
    pub timeout: Option<i64>,
}

/// `ApplicationUpdateTimeoutMapProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ApplicationUpdateTimeoutMapProto {
    /// f1 `application_timeout_type`.
    #[prost(enumeration = "ApplicationTimeoutTypeProto", optional, tag = "1")]
    pub application_timeout_type: Option<i32>,
    /// f2 `expire_time` (ISO 8601 text).
    #[prost(string, optional, tag = "2")]
    pub expire_time: Option<String>,
}

/// `LogAggregationContextProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct LogAggregationContextProto {
    /// f1 `include_pattern` [= ".*"].
    #[prost(string, optional, tag = "1", default = ".*")]
    pub include_pattern: Option<String>,
    /// f2 `exclude_pattern` [= ""].
    #[prost(string, optional, tag = "2", default = "")]
    pub exclude_pattern: Option<String>,
    /// f3 `rolled_logs_include_pattern` [= ""].
    #[prost(string, optional, tag = "3", default = "")]
    pub rolled_logs_include_pattern: Option<String>,
    /// f4 `rolled_logs_exclude_pattern` [= ".*"].
    #[prost(string, optional, tag = "4", default = ".*")]
    pub rolled_logs_exclude_pattern: Option<String>,
    /// f5 `log_aggregation_policy_class_name`.
    #[prost(string, optional, tag = "5")]
    pub log_aggregation_policy_class_name: Option<String>,
    /// f6 `log_aggregation_policy_parameters`.
    #[prost(string, optional, tag = "6")]
    pub log_aggregation_policy_parameters: Option<String>,
}

/// `ApplicationAccessTypeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ApplicationAccessTypeProto {
    /// `APPACCESS_VIEW_APP`.
    AppaccessViewApp = 1,
    /// `APPACCESS_MODIFY_APP`.
    AppaccessModifyApp = 2,
}

/// `ApplicationACLMapProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ApplicationACLMapProto {
    /// f1 `accessType`.
    #[prost(enumeration = "ApplicationAccessTypeProto", optional, tag = "1")]
    pub access_type: Option<i32>,
    /// f2 `acl` [= " "]: users and groups, Hadoop ACL syntax.
    #[prost(string, optional, tag = "2", default = " ")]
    pub acl: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Cluster and queues
// ---------------------------------------------------------------------------------------------

/// `YarnClusterMetricsProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct YarnClusterMetricsProto {
    /// f1 `num_node_managers`.
    #[prost(int32, optional, tag = "1")]
    pub num_node_managers: Option<i32>,
    /// f2 `num_decommissioned_nms`.
    #[prost(int32, optional, tag = "2")]
    pub num_decommissioned_nms: Option<i32>,
    /// f3 `num_active_nms`.
    #[prost(int32, optional, tag = "3")]
    pub num_active_nms: Option<i32>,
    /// f4 `num_lost_nms`.
    #[prost(int32, optional, tag = "4")]
    pub num_lost_nms: Option<i32>,
    /// f5 `num_unhealthy_nms`.
    #[prost(int32, optional, tag = "5")]
    pub num_unhealthy_nms: Option<i32>,
    /// f6 `num_rebooted_nms`.
    #[prost(int32, optional, tag = "6")]
    pub num_rebooted_nms: Option<i32>,
    /// f7 `num_decommissioning_nms`.
    #[prost(int32, optional, tag = "7")]
    pub num_decommissioning_nms: Option<i32>,
    /// f8 `num_shutdown_nms`.
    #[prost(int32, optional, tag = "8")]
    pub num_shutdown_nms: Option<i32>,
}

/// `QueueStateProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum QueueStateProto {
    /// `Q_STOPPED`.
    QStopped = 1,
    /// `Q_RUNNING`.
    QRunning = 2,
    /// `Q_DRAINING`.
    QDraining = 3,
}

/// `QueueStatisticsProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct QueueStatisticsProto {
    /// f1 `numAppsSubmitted`.
    #[prost(int64, optional, tag = "1")]
    pub num_apps_submitted: Option<i64>,
    /// f2 `numAppsRunning`.
    #[prost(int64, optional, tag = "2")]
    pub num_apps_running: Option<i64>,
    /// f3 `numAppsPending`.
    #[prost(int64, optional, tag = "3")]
    pub num_apps_pending: Option<i64>,
    /// f4 `numAppsCompleted`.
    #[prost(int64, optional, tag = "4")]
    pub num_apps_completed: Option<i64>,
    /// f5 `numAppsKilled`.
    #[prost(int64, optional, tag = "5")]
    pub num_apps_killed: Option<i64>,
    /// f6 `numAppsFailed`.
    #[prost(int64, optional, tag = "6")]
    pub num_apps_failed: Option<i64>,
    /// f7 `numActiveUsers`.
    #[prost(int64, optional, tag = "7")]
    pub num_active_users: Option<i64>,
    /// f8 `availableMemoryMB`.
    #[prost(int64, optional, tag = "8")]
    pub available_memory_mb: Option<i64>,
    /// f9 `allocatedMemoryMB`.
    #[prost(int64, optional, tag = "9")]
    pub allocated_memory_mb: Option<i64>,
    /// f10 `pendingMemoryMB`.
    #[prost(int64, optional, tag = "10")]
    pub pending_memory_mb: Option<i64>,
    /// f11 `reservedMemoryMB`.
    #[prost(int64, optional, tag = "11")]
    pub reserved_memory_mb: Option<i64>,
    /// f12 `availableVCores`.
    #[prost(int64, optional, tag = "12")]
    pub available_v_cores: Option<i64>,
    /// f13 `allocatedVCores`.
    #[prost(int64, optional, tag = "13")]
    pub allocated_v_cores: Option<i64>,
    /// f14 `pendingVCores`.
    #[prost(int64, optional, tag = "14")]
    pub pending_v_cores: Option<i64>,
    /// f15 `reservedVCores`.
    #[prost(int64, optional, tag = "15")]
    pub reserved_v_cores: Option<i64>,
    /// f16 `allocatedContainers`.
    #[prost(int64, optional, tag = "16")]
    pub allocated_containers: Option<i64>,
    /// f17 `pendingContainers`.
    #[prost(int64, optional, tag = "17")]
    pub pending_containers: Option<i64>,
    /// f18 `reservedContainers`.
    #[prost(int64, optional, tag = "18")]
    pub reserved_containers: Option<i64>,
}

/// `QueueInfoProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct QueueInfoProto {
    /// f1 `queueName`.
    #[prost(string, optional, tag = "1")]
    pub queue_name: Option<String>,
    /// f2 `capacity`.
    #[prost(float, optional, tag = "2")]
    pub capacity: Option<f32>,
    /// f3 `maximumCapacity`.
    #[prost(float, optional, tag = "3")]
    pub maximum_capacity: Option<f32>,
    /// f4 `currentCapacity`.
    #[prost(float, optional, tag = "4")]
    pub current_capacity: Option<f32>,
    /// f5 `state`.
    #[prost(enumeration = "QueueStateProto", optional, tag = "5")]
    pub state: Option<i32>,
    /// f6 `childQueues`.
    #[prost(message, repeated, tag = "6")]
    pub child_queues: Vec<QueueInfoProto>,
    /// f7 `applications`.
    #[prost(message, repeated, tag = "7")]
    pub applications: Vec<ApplicationReportProto>,
    /// f8 `accessibleNodeLabels`.
    #[prost(string, repeated, tag = "8")]
    pub accessible_node_labels: Vec<String>,
    /// f9 `defaultNodeLabelExpression`.
    #[prost(string, optional, tag = "9")]
    pub default_node_label_expression: Option<String>,
    /// f10 `queueStatistics`.
    #[prost(message, optional, tag = "10")]
    pub queue_statistics: Option<QueueStatisticsProto>,
    /// f11 `preemptionDisabled`.
    #[prost(bool, optional, tag = "11")]
    pub preemption_disabled: Option<bool>,
    /// f12 `queueConfigurationsMap`.
    #[prost(message, repeated, tag = "12")]
    pub queue_configurations_map: Vec<QueueConfigurationsMapProto>,
    /// f13 `intraQueuePreemptionDisabled`.
    #[prost(bool, optional, tag = "13")]
    pub intra_queue_preemption_disabled: Option<bool>,
    /// f14 `weight`.
    #[prost(float, optional, tag = "14")]
    pub weight: Option<f32>,
    /// f15 `queuePath`.
    #[prost(string, optional, tag = "15")]
    pub queue_path: Option<String>,
    /// f16 `maxParallelApps`.
    #[prost(int32, optional, tag = "16")]
    pub max_parallel_apps: Option<i32>,
    /// f17 `schedulerType`.
    #[prost(string, optional, tag = "17")]
    pub scheduler_type: Option<String>,
    /// f18 `minResourceVCore`.
    #[prost(int32, optional, tag = "18")]
    pub min_resource_v_core: Option<i32>,
    /// f19 `minResourceMemory`.
    #[prost(int64, optional, tag = "19")]
    pub min_resource_memory: Option<i64>,
    /// f20 `maxResourceVCore`.
    #[prost(int32, optional, tag = "20")]
    pub max_resource_v_core: Option<i32>,
    /// f21 `maxResourceMemory`.
    #[prost(int64, optional, tag = "21")]
    pub max_resource_memory: Option<i64>,
    /// f22 `reservedResourceVCore`.
    #[prost(int32, optional, tag = "22")]
    pub reserved_resource_v_core: Option<i32>,
    /// f23 `reservedResourceMemory`.
    #[prost(int64, optional, tag = "23")]
    pub reserved_resource_memory: Option<i64>,
    /// f24 `steadyFairShareVCore`.
    #[prost(int32, optional, tag = "24")]
    pub steady_fair_share_v_core: Option<i32>,
    /// f25 `steadyFairShareMemory`.
    #[prost(int64, optional, tag = "25")]
    pub steady_fair_share_memory: Option<i64>,
    /// f26 `subClusterId`.
    #[prost(string, optional, tag = "26")]
    pub sub_cluster_id: Option<String>,
    /// f27 `maxRunningApp`.
    #[prost(int32, optional, tag = "27")]
    pub max_running_app: Option<i32>,
}

/// `QueueConfigurationsProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct QueueConfigurationsProto {
    /// f1 `capacity`.
    #[prost(float, optional, tag = "1")]
    pub capacity: Option<f32>,
    /// f2 `absoluteCapacity`.
    #[prost(float, optional, tag = "2")]
    pub absolute_capacity: Option<f32>,
    /// f3 `maxCapacity`.
    #[prost(float, optional, tag = "3")]
    pub max_capacity: Option<f32>,
    /// f4 `absoluteMaxCapacity`.
    #[prost(float, optional, tag = "4")]
    pub absolute_max_capacity: Option<f32>,
    /// f5 `maxAMPercentage`.
    #[prost(float, optional, tag = "5")]
    pub max_am_percentage: Option<f32>,
    /// f6 `effectiveMinCapacity`.
    #[prost(message, optional, tag = "6")]
    pub effective_min_capacity: Option<ResourceProto>,
    /// f7 `effectiveMaxCapacity`.
    #[prost(message, optional, tag = "7")]
    pub effective_max_capacity: Option<ResourceProto>,
    /// f8 `configuredMinCapacity`.
    #[prost(message, optional, tag = "8")]
    pub configured_min_capacity: Option<ResourceProto>,
    /// f9 `configuredMaxCapacity`.
    #[prost(message, optional, tag = "9")]
    pub configured_max_capacity: Option<ResourceProto>,
}

/// `QueueConfigurationsMapProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct QueueConfigurationsMapProto {
    /// f1 `partitionName` (required).
    #[prost(string, required, tag = "1")]
    pub partition_name: String,
    /// f2 `queueConfigurations`.
    #[prost(message, optional, tag = "2")]
    pub queue_configurations: Option<QueueConfigurationsProto>,
}

/// `QueueACLProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum QueueACLProto {
    /// `QACL_SUBMIT_APPLICATIONS`.
    QaclSubmitApplications = 1,
    /// `QACL_ADMINISTER_QUEUE`.
    QaclAdministerQueue = 2,
}

/// `QueueUserACLInfoProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct QueueUserACLInfoProto {
    /// f1 `queueName`.
    #[prost(string, optional, tag = "1")]
    pub queue_name: Option<String>,
    /// f2 `userAcls`.
    #[prost(enumeration = "QueueACLProto", repeated, packed = "false", tag = "2")]
    pub user_acls: Vec<i32>,
}

/// `SignalContainerCommandProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum SignalContainerCommandProto {
    /// `OUTPUT_THREAD_DUMP`.
    OutputThreadDump = 1,
    /// `GRACEFUL_SHUTDOWN`.
    GracefulShutdown = 2,
    /// `FORCEFUL_SHUTDOWN`.
    ForcefulShutdown = 3,
}

// ---------------------------------------------------------------------------------------------
// Placement constraints
// ---------------------------------------------------------------------------------------------

/// `PlacementConstraintProto`: either a simple or a composite constraint.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PlacementConstraintProto {
    /// f1 `simpleConstraint`.
    #[prost(message, optional, tag = "1")]
    pub simple_constraint: Option<SimplePlacementConstraintProto>,
    /// f2 `compositeConstraint`.
    #[prost(message, optional, tag = "2")]
    pub composite_constraint: Option<CompositePlacementConstraintProto>,
}

/// `NodeAttributeOpCodeProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum NodeAttributeOpCodeProto {
    /// `NO_OP`.
    NoOp = 1,
    /// `EQ`.
    Eq = 2,
    /// `NE`.
    Ne = 3,
}

/// `SimplePlacementConstraintProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SimplePlacementConstraintProto {
    /// f1 `scope` (required), e.g. `node`, `rack`.
    #[prost(string, required, tag = "1")]
    pub scope: String,
    /// f2 `targetExpressions`.
    #[prost(message, repeated, tag = "2")]
    pub target_expressions: Vec<PlacementConstraintTargetProto>,
    /// f3 `minCardinality`.
    #[prost(int32, optional, tag = "3")]
    pub min_cardinality: Option<i32>,
    /// f4 `maxCardinality`.
    #[prost(int32, optional, tag = "4")]
    pub max_cardinality: Option<i32>,
    /// f5 `attributeOpCode`.
    #[prost(enumeration = "NodeAttributeOpCodeProto", optional, tag = "5")]
    pub attribute_op_code: Option<i32>,
}

/// Nested enums of the placement-constraint messages.
pub mod placement {
    /// `PlacementConstraintTargetProto.TargetType`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum TargetType {
        /// `NODE_ATTRIBUTE`.
        NodeAttribute = 1,
        /// `ALLOCATION_TAG`.
        AllocationTag = 2,
        /// `SELF`.
        SelfTarget = 3,
    }

    /// `TimedPlacementConstraintProto.DelayUnit`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum DelayUnit {
        /// `MILLISECONDS`.
        Milliseconds = 1,
        /// `OPPORTUNITIES`.
        Opportunities = 2,
    }

    /// `CompositePlacementConstraintProto.CompositeType`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum CompositeType {
        /// `AND`.
        And = 1,
        /// `OR`.
        Or = 2,
        /// `DELAYED_OR`.
        DelayedOr = 3,
    }
}

/// `PlacementConstraintTargetProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PlacementConstraintTargetProto {
    /// f1 `targetType` (required).
    #[prost(enumeration = "placement::TargetType", required, tag = "1")]
    pub target_type: i32,
    /// f2 `targetKey`.
    #[prost(string, optional, tag = "2")]
    pub target_key: Option<String>,
    /// f3 `targetValues`.
    #[prost(string, repeated, tag = "3")]
    pub target_values: Vec<String>,
}

/// `TimedPlacementConstraintProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TimedPlacementConstraintProto {
    /// f1 `placementConstraint` (required).
    #[prost(message, required, tag = "1")]
    pub placement_constraint: PlacementConstraintProto,
    /// f2 `schedulingDelay` (required).
    #[prost(int64, required, tag = "2")]
    pub scheduling_delay: i64,
    /// f3 `delayUnit` [= MILLISECONDS].
    #[prost(
        enumeration = "placement::DelayUnit",
        optional,
        tag = "3",
        default = "Milliseconds"
    )]
    pub delay_unit: Option<i32>,
}

/// `CompositePlacementConstraintProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct CompositePlacementConstraintProto {
    /// f1 `compositeType` (required).
    #[prost(enumeration = "placement::CompositeType", required, tag = "1")]
    pub composite_type: i32,
    /// f2 `childConstraints`.
    #[prost(message, repeated, tag = "2")]
    pub child_constraints: Vec<PlacementConstraintProto>,
    /// f3 `timedChildConstraints`.
    #[prost(message, repeated, tag = "3")]
    pub timed_child_constraints: Vec<TimedPlacementConstraintProto>,
}

/// `PlacementConstraintMapEntryProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PlacementConstraintMapEntryProto {
    /// f1 `allocation_tags`.
    #[prost(string, repeated, tag = "1")]
    pub allocation_tags: Vec<String>,
    /// f2 `placement_constraint`.
    #[prost(message, optional, tag = "2")]
    pub placement_constraint: Option<PlacementConstraintProto>,
}

// ---------------------------------------------------------------------------------------------
// Container launch and status
// ---------------------------------------------------------------------------------------------

/// `ContainerLaunchContextProto`: what the NM needs to start a container.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerLaunchContextProto {
    /// f1 `localResources`: link name in the work dir → resource.
    #[prost(message, repeated, tag = "1")]
    pub local_resources: Vec<StringLocalResourceMapProto>,
    /// f2 `tokens`: an `HDTS` credentials blob (see [`crate::credentials`]).
    #[prost(bytes = "vec", optional, tag = "2")]
    pub tokens: Option<Vec<u8>>,
    /// f3 `service_data`: aux-service name → bytes.
    #[prost(message, repeated, tag = "3")]
    pub service_data: Vec<StringBytesMapProto>,
    /// f4 `environment`.
    #[prost(message, repeated, tag = "4")]
    pub environment: Vec<StringStringMapProto>,
    /// f5 `command`: joined with spaces and run by `bash -c`.
    #[prost(string, repeated, tag = "5")]
    pub command: Vec<String>,
    /// f6 `application_ACLs`.
    #[prost(message, repeated, tag = "6")]
    pub application_acls: Vec<ApplicationACLMapProto>,
    /// f7 `container_retry_context`.
    #[prost(message, optional, tag = "7")]
    pub container_retry_context: Option<ContainerRetryContextProto>,
    /// f8 `tokens_conf`.
    #[prost(bytes = "vec", optional, tag = "8")]
    pub tokens_conf: Option<Vec<u8>>,
}

/// `ContainerStatusProto`: a container's state and, once complete, its exit status.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerStatusProto {
    /// f1 `container_id`.
    #[prost(message, optional, tag = "1")]
    pub container_id: Option<ContainerIdProto>,
    /// f2 `state`.
    #[prost(enumeration = "ContainerStateProto", optional, tag = "2")]
    pub state: Option<i32>,
    /// f3 `diagnostics` [= "N/A"].
    #[prost(string, optional, tag = "3", default = "N/A")]
    pub diagnostics: Option<String>,
    /// f4 `exit_status` [= -1000 = INVALID].
    #[prost(int32, optional, tag = "4", default = "-1000")]
    pub exit_status: Option<i32>,
    /// f5 `capability`.
    #[prost(message, optional, tag = "5")]
    pub capability: Option<ResourceProto>,
    /// f6 `executionType` [= GUARANTEED].
    #[prost(
        enumeration = "ExecutionTypeProto",
        optional,
        tag = "6",
        default = "Guaranteed"
    )]
    pub execution_type: Option<i32>,
    /// f7 `container_attributes`.
    #[prost(message, repeated, tag = "7")]
    pub container_attributes: Vec<StringStringMapProto>,
    /// f8 `container_sub_state`.
    #[prost(enumeration = "ContainerSubStateProto", optional, tag = "8")]
    pub container_sub_state: Option<i32>,
}

/// `ContainerExitStatusProto` (the proto lists only these; see
/// [`crate::yarn::records::exit_status`] for the full set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
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

/// `ContainerRetryContextProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerRetryContextProto {
    /// f1 `retry_policy` [= NEVER_RETRY].
    #[prost(
        enumeration = "ContainerRetryPolicyProto",
        optional,
        tag = "1",
        default = "NeverRetry"
    )]
    pub retry_policy: Option<i32>,
    /// f2 `error_codes`.
    #[prost(int32, repeated, packed = "false", tag = "2")]
    pub error_codes: Vec<i32>,
    /// f3 `max_retries` [= 0].
    #[prost(int32, optional, tag = "3", default = "0")]
    pub max_retries: Option<i32>,
    /// f4 `retry_interval` [= 0] (ms).
    #[prost(int32, optional, tag = "4", default = "0")]
    pub retry_interval: Option<i32>,
    /// f5 `failures_validity_interval` [= -1] (ms).
    #[prost(int64, optional, tag = "5", default = "-1")]
    pub failures_validity_interval: Option<i64>,
}

/// `ContainerRetryPolicyProto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum ContainerRetryPolicyProto {
    /// `NEVER_RETRY`.
    NeverRetry = 0,
    /// `RETRY_ON_ALL_ERRORS`.
    RetryOnAllErrors = 1,
    /// `RETRY_ON_SPECIFIC_ERROR_CODES`.
    RetryOnSpecificErrorCodes = 2,
}

// ---------------------------------------------------------------------------------------------
// Map entries and collector info
// ---------------------------------------------------------------------------------------------

/// `StringLocalResourceMapProto`: map entry (link name → resource).
#[derive(Clone, PartialEq, prost::Message)]
pub struct StringLocalResourceMapProto {
    /// f1 `key`.
    #[prost(string, optional, tag = "1")]
    pub key: Option<String>,
    /// f2 `value`.
    #[prost(message, optional, tag = "2")]
    pub value: Option<LocalResourceProto>,
}

/// `StringStringMapProto`: map entry.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct StringStringMapProto {
    /// f1 `key`.
    #[prost(string, optional, tag = "1")]
    pub key: Option<String>,
    /// f2 `value`.
    #[prost(string, optional, tag = "2")]
    pub value: Option<String>,
}

/// `StringBytesMapProto`: map entry.
#[derive(Clone, PartialEq, Eq, Hash, prost::Message)]
pub struct StringBytesMapProto {
    /// f1 `key`.
    #[prost(string, optional, tag = "1")]
    pub key: Option<String>,
    /// f2 `value`.
    #[prost(bytes = "vec", optional, tag = "2")]
    pub value: Option<Vec<u8>>,
}

/// `CollectorInfoProto`: timeline-service v2 collector of the application.
#[derive(Clone, PartialEq, prost::Message)]
pub struct CollectorInfoProto {
    /// f1 `collector_addr`.
    #[prost(string, optional, tag = "1")]
    pub collector_addr: Option<String>,
    /// f2 `collector_token`.
    #[prost(message, optional, tag = "2")]
    pub collector_token: Option<TokenProto>,
}
