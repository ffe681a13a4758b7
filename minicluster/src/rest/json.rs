//! The JSON documents the RM web services answer with (`clusterInfo`, `clusterMetrics`,
//! `apps.app[]`, `app`, `appstate`, `nodes.node[]`, `NewApplication`), with Hadoop's field
//! names, built from the same protobuf records the IPC face returns.

use serde::{Deserialize, Serialize};
use spindle_protocol::ids::{ApplicationId, NodeId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::GetNewApplicationResponseProto;

use crate::resources::Resources;

/// The Hadoop version this RM reports (the release whose wire facts it follows).
pub const HADOOP_VERSION: &str = "3.4.1";
/// What the RM reports as its state store (this RM keeps no state across restarts).
pub const STATE_STORE: &str =
    "org.apache.hadoop.yarn.server.resourcemanager.recovery.NullRMStateStore";

/// The `hadoop*` version fields of `clusterInfo` and the NM's `nodeInfo`: which Hadoop a daemon
/// of this cluster says it is (the release whose wire facts it follows, and this crate's build).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HadoopBuild {
    /// The release ([`HADOOP_VERSION`]).
    pub hadoop_version: &'static str,
    /// The release and this crate's version.
    pub hadoop_build_version: String,
    /// The build date (`Unknown`).
    pub hadoop_version_built_on: &'static str,
}

impl HadoopBuild {
    /// What this cluster's daemons report.
    pub fn ours() -> Self {
        HadoopBuild {
            hadoop_version: HADOOP_VERSION,
            hadoop_build_version: format!(
                "{HADOOP_VERSION} from spindle-minicluster {}",
                env!("CARGO_PKG_VERSION")
            ),
            hadoop_version_built_on: "Unknown",
        }
    }
}

/// How an answer shows the id `p` of a report: its text; empty when the report lacks it or it
/// does not parse (`from_proto`).
pub(crate) fn id_text<P, I: std::fmt::Display, E>(
    p: Option<&P>,
    from_proto: impl FnOnce(&P) -> Result<I, E>,
) -> String {
    p.and_then(|p| from_proto(p).ok())
        .map(|id| id.to_string())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/// `ResourceInfo`: `{"memory":…,"vCores":…}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceInfo {
    /// Memory in MB.
    #[serde(default)]
    pub memory: i64,
    /// Virtual cores.
    #[serde(default, rename = "vCores")]
    pub v_cores: i64,
}

impl ResourceInfo {
    /// From the wire record (absent = zero).
    pub fn from_proto(p: Option<&ResourceProto>) -> Self {
        let r = p.map(Resources::from_proto).unwrap_or_default();
        ResourceInfo {
            memory: r.memory_mb,
            v_cores: r.vcores,
        }
    }
}

/// `{"clusterInfo":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterInfoDoc {
    /// The body.
    #[serde(rename = "clusterInfo")]
    pub cluster_info: ClusterInfo,
}

/// `ClusterInfo`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterInfo {
    /// The cluster timestamp.
    pub id: i64,
    /// When the RM started (the cluster timestamp).
    pub started_on: i64,
    /// Service state (`STARTED`).
    pub state: &'static str,
    /// HA state (`ACTIVE`: this RM is the only one).
    pub ha_state: &'static str,
    /// The state store class.
    pub rm_state_store_name: &'static str,
    /// RM version.
    pub resource_manager_version: &'static str,
    /// RM build string.
    pub resource_manager_build_version: String,
    /// RM build date.
    pub resource_manager_version_built_on: &'static str,
    /// The Hadoop version fields.
    #[serde(flatten)]
    pub hadoop: HadoopBuild,
    /// ZooKeeper state (HA is off).
    pub ha_zoo_keeper_connection_state: &'static str,
}

impl ClusterInfo {
    /// The info of the RM started at `cluster_timestamp`.
    pub fn new(cluster_timestamp: i64) -> Self {
        let hadoop = HadoopBuild::ours();
        ClusterInfo {
            id: cluster_timestamp,
            started_on: cluster_timestamp,
            state: "STARTED",
            ha_state: "ACTIVE",
            rm_state_store_name: STATE_STORE,
            resource_manager_version: hadoop.hadoop_version,
            resource_manager_build_version: hadoop.hadoop_build_version.clone(),
            resource_manager_version_built_on: hadoop.hadoop_version_built_on,
            hadoop,
            ha_zoo_keeper_connection_state: "ResourceManager HA is not enabled.",
        }
    }
}

/// `{"clusterMetrics":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterMetricsDoc {
    /// The body.
    #[serde(rename = "clusterMetrics")]
    pub cluster_metrics: ClusterMetrics,
}

/// `ClusterMetricsInfo` (the fields this RM can know).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterMetrics {
    /// Applications submitted.
    pub apps_submitted: i64,
    /// Applications that ended (any final state).
    pub apps_completed: i64,
    /// Applications waiting for their AM.
    pub apps_pending: i64,
    /// Applications whose AM registered.
    pub apps_running: i64,
    /// Failed applications.
    pub apps_failed: i64,
    /// Killed applications.
    pub apps_killed: i64,
    /// Reserved memory (always 0: no reservations).
    #[serde(rename = "reservedMB")]
    pub reserved_mb: i64,
    /// Free memory of usable nodes.
    #[serde(rename = "availableMB")]
    pub available_mb: i64,
    /// Allocated memory.
    #[serde(rename = "allocatedMB")]
    pub allocated_mb: i64,
    /// Memory of usable nodes.
    #[serde(rename = "totalMB")]
    pub total_mb: i64,
    /// Reserved vcores (always 0).
    pub reserved_virtual_cores: i64,
    /// Free vcores of usable nodes.
    pub available_virtual_cores: i64,
    /// Allocated vcores.
    pub allocated_virtual_cores: i64,
    /// Vcores of usable nodes.
    pub total_virtual_cores: i64,
    /// Live containers.
    pub containers_allocated: i64,
    /// Reserved containers (always 0).
    pub containers_reserved: i64,
    /// Pending containers (always 0 here; asks are per attempt).
    pub containers_pending: i64,
    /// Nodes.
    pub total_nodes: i64,
    /// Running nodes.
    pub active_nodes: i64,
    /// Lost nodes.
    pub lost_nodes: i64,
    /// Unhealthy nodes.
    pub unhealthy_nodes: i64,
    /// Decommissioning nodes.
    pub decommissioning_nodes: i64,
    /// Decommissioned nodes.
    pub decommissioned_nodes: i64,
    /// Rebooted nodes.
    pub rebooted_nodes: i64,
    /// Shut-down nodes.
    pub shutdown_nodes: i64,
}

impl ClusterMetrics {
    /// Metrics from the application and node reports.
    pub fn from_reports(apps: &[ApplicationReportProto], nodes: &[NodeReportProto]) -> Self {
        let mut m = ClusterMetrics {
            apps_submitted: apps.len() as i64,
            ..Default::default()
        };
        for a in apps {
            match a.yarn_application_state() {
                YarnApplicationStateProto::Running => m.apps_running += 1,
                YarnApplicationStateProto::Finished => m.apps_completed += 1,
                YarnApplicationStateProto::Failed => {
                    m.apps_completed += 1;
                    m.apps_failed += 1;
                }
                YarnApplicationStateProto::Killed => {
                    m.apps_completed += 1;
                    m.apps_killed += 1;
                }
                _ => m.apps_pending += 1,
            }
        }
        for n in nodes {
            m.total_nodes += 1;
            let state = n.node_state.unwrap_or(0);
            let usable = state == NodeStateProto::NsRunning as i32;
            let count = match NodeStateProto::try_from(state) {
                Ok(NodeStateProto::NsRunning) => &mut m.active_nodes,
                Ok(NodeStateProto::NsLost) => &mut m.lost_nodes,
                Ok(NodeStateProto::NsUnhealthy) => &mut m.unhealthy_nodes,
                Ok(NodeStateProto::NsDecommissioning) => &mut m.decommissioning_nodes,
                Ok(NodeStateProto::NsDecommissioned) => &mut m.decommissioned_nodes,
                Ok(NodeStateProto::NsRebooted) => &mut m.rebooted_nodes,
                Ok(NodeStateProto::NsShutdown) => &mut m.shutdown_nodes,
                _ => &mut m.active_nodes,
            };
            *count += 1;
            if !usable {
                continue;
            }
            let cap = ResourceInfo::from_proto(n.capability.as_ref());
            let used = ResourceInfo::from_proto(n.used.as_ref());
            m.total_mb += cap.memory;
            m.total_virtual_cores += cap.v_cores;
            m.allocated_mb += used.memory;
            m.allocated_virtual_cores += used.v_cores;
            m.available_mb += (cap.memory - used.memory).max(0);
            m.available_virtual_cores += (cap.v_cores - used.v_cores).max(0);
            m.containers_allocated += i64::from(n.num_containers.unwrap_or(0));
        }
        m
    }
}

/// `{"application-id":…,"maximum-resource-capability":{…}}` (root-less, as Hadoop sends it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewApplication {
    /// The new id.
    #[serde(rename = "application-id")]
    pub application_id: String,
    /// The largest container.
    #[serde(rename = "maximum-resource-capability")]
    pub maximum_resource_capability: ResourceInfo,
}

impl NewApplication {
    /// From the `getNewApplication` answer.
    pub fn from_proto(p: &GetNewApplicationResponseProto) -> Self {
        let id = id_text(p.application_id.as_ref(), ApplicationId::from_proto);
        NewApplication {
            application_id: id,
            maximum_resource_capability: ResourceInfo::from_proto(p.maximum_capability.as_ref()),
        }
    }
}

/// `{"state":…}` (`AppState`), answered and accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppStateDoc {
    /// The application state's Java name.
    pub state: String,
    /// Diagnostics for a kill (Hadoop 3.x accepts them with the target state).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<String>,
}

/// The AM container of an application's current attempt, as the RM knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmContainer {
    /// The container id.
    pub container_id: String,
    /// Its node (`host:port`).
    pub node_id: String,
    /// Its node's web address.
    pub node_http_address: String,
}

/// `{"app":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppDoc {
    /// The body.
    pub app: AppInfo,
}

/// `{"apps":{"app":[…]}}` (`{"apps":{}}` when empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppsDoc {
    /// The body.
    pub apps: AppList,
}

/// The `apps` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppList {
    /// The applications.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub app: Vec<AppInfo>,
}

/// One `timeout` of an application.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppTimeout {
    /// Timeout type (`LIFETIME`).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Expiry (ISO 8601), or `UNLIMITED`.
    pub expiry_time: String,
    /// Seconds left (-1: unlimited).
    pub remaining_time_in_seconds: i64,
}

impl AppTimeout {
    /// The timeouts of an application report (`LIFETIME`, unlimited when the report has none).
    pub fn from_report(r: &ApplicationReportProto) -> Vec<AppTimeout> {
        let mut out: Vec<AppTimeout> = r
            .app_timeouts
            .iter()
            .filter_map(|t| t.application_timeout.as_ref())
            .map(|t| AppTimeout {
                kind: "LIFETIME",
                expiry_time: t.expire_time.clone().unwrap_or_else(|| "UNLIMITED".into()),
                remaining_time_in_seconds: t.remaining_time.unwrap_or(-1),
            })
            .collect();
        if out.is_empty() {
            out.push(AppTimeout {
                kind: "LIFETIME",
                expiry_time: "UNLIMITED".into(),
                remaining_time_in_seconds: -1,
            });
        }
        out
    }
}

/// The `timeouts` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppTimeouts {
    /// The timeouts.
    pub timeout: Vec<AppTimeout>,
}

/// `AppInfo`: one application as the RM web services show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// `application_…`.
    pub id: String,
    /// Submitting user.
    pub user: String,
    /// Name.
    pub name: String,
    /// Queue.
    pub queue: String,
    /// `YarnApplicationState` name.
    pub state: &'static str,
    /// `FinalApplicationStatus` name.
    pub final_status: &'static str,
    /// Progress in percent.
    pub progress: f32,
    /// `UNASSIGNED`, `ApplicationMaster` or `History`.
    #[serde(rename = "trackingUI")]
    pub tracking_ui: &'static str,
    /// Tracking URL once the AM gave one and registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
    /// Diagnostics.
    pub diagnostics: String,
    /// Cluster timestamp.
    pub cluster_id: i64,
    /// Application type.
    pub application_type: String,
    /// Tags, comma-joined.
    pub application_tags: String,
    /// Priority.
    pub priority: i32,
    /// Submission time (ms).
    pub started_time: i64,
    /// First AM launch time (ms, 0 before).
    pub launch_time: i64,
    /// End time (ms, 0 before).
    pub finished_time: i64,
    /// Elapsed ms.
    pub elapsed_time: i64,
    /// AM container logs URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub am_container_logs: Option<String>,
    /// AM node's web address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub am_host_http_address: Option<String>,
    /// AM RPC address (`host:port`) once registered.
    #[serde(rename = "amRPCAddress", skip_serializing_if = "Option::is_none")]
    pub am_rpc_address: Option<String>,
    /// AM node id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master_node_id: Option<String>,
    /// Allocated memory (MB).
    #[serde(rename = "allocatedMB")]
    pub allocated_mb: i64,
    /// Allocated vcores.
    #[serde(rename = "allocatedVCores")]
    pub allocated_v_cores: i64,
    /// Reserved memory (MB).
    #[serde(rename = "reservedMB")]
    pub reserved_mb: i64,
    /// Reserved vcores.
    #[serde(rename = "reservedVCores")]
    pub reserved_v_cores: i64,
    /// Live containers.
    pub running_containers: i32,
    /// MB-seconds.
    pub memory_seconds: i64,
    /// Vcore-seconds.
    pub vcore_seconds: i64,
    /// Share of the queue (percent).
    pub queue_usage_percentage: f32,
    /// Share of the cluster (percent).
    pub cluster_usage_percentage: f32,
    /// Preempted memory (MB).
    #[serde(rename = "preemptedResourceMB")]
    pub preempted_resource_mb: i64,
    /// Preempted vcores.
    #[serde(rename = "preemptedResourceVCores")]
    pub preempted_resource_v_cores: i64,
    /// Preempted task containers.
    #[serde(rename = "numNonAMContainerPreempted")]
    pub num_non_am_container_preempted: i32,
    /// Preempted AM containers.
    #[serde(rename = "numAMContainerPreempted")]
    pub num_am_container_preempted: i32,
    /// Preempted MB-seconds.
    pub preempted_memory_seconds: i64,
    /// Preempted vcore-seconds.
    pub preempted_vcore_seconds: i64,
    /// `LogAggregationStatus` name.
    pub log_aggregation_status: &'static str,
    /// Whether the AM runs outside the cluster.
    pub unmanaged_application: bool,
    /// Timeouts (`LIFETIME`, unlimited).
    pub timeouts: AppTimeouts,
}

/// `Times.elapsed`: finished − started once both are set, else now − started while running.
pub fn elapsed_ms(started: i64, finished: i64, now_ms: i64) -> i64 {
    if started > 0 && finished > 0 {
        (finished - started).max(0)
    } else if started > 0 {
        (now_ms - started).max(0)
    } else {
        0
    }
}

impl AppInfo {
    /// From the application report (the one `getApplicationReport` returns), the cluster
    /// timestamp, and the current attempt's AM container.
    pub fn from_report(
        r: &ApplicationReportProto,
        cluster_id: i64,
        am: Option<&AmContainer>,
        now_ms: i64,
    ) -> Self {
        let state = r.yarn_application_state.unwrap_or(0);
        let not_ready = [
            YarnApplicationStateProto::New,
            YarnApplicationStateProto::NewSaving,
            YarnApplicationStateProto::Submitted,
            YarnApplicationStateProto::Accepted,
        ]
        .iter()
        .any(|s| *s as i32 == state);
        let url = r.tracking_url.clone().unwrap_or_default();
        let url_ready = !not_ready && !url.is_empty();
        let finished_time = r.finish_time.unwrap_or(0);
        let tracking_ui = if !url_ready {
            "UNASSIGNED"
        } else if finished_time == 0 {
            "ApplicationMaster"
        } else {
            "History"
        };
        let tracking_url = url_ready.then(|| {
            if url.contains("://") {
                url.clone()
            } else {
                format!("http://{url}")
            }
        });
        let usage = r.app_resource_usage.clone().unwrap_or_default();
        let used = ResourceInfo::from_proto(usage.used_resources.as_ref());
        let reserved = ResourceInfo::from_proto(usage.reserved_resources.as_ref());
        let host = r.host.clone().unwrap_or_default();
        let rpc_port = r.rpc_port.unwrap_or(-1);
        let user = r.user.clone().unwrap_or_default();
        let started = r.start_time.unwrap_or(0);
        AppInfo {
            id: id_text(r.application_id.as_ref(), ApplicationId::from_proto),
            user: user.clone(),
            name: r.name.clone().unwrap_or_default(),
            queue: r.queue.clone().unwrap_or_default(),
            state: YarnApplicationStateProto::java_name_of(state),
            final_status: FinalApplicationStatusProto::java_name_of(
                r.final_application_status.unwrap_or(0),
            ),
            progress: r.progress.unwrap_or(0.0) * 100.0,
            tracking_ui,
            tracking_url,
            diagnostics: r.diagnostics.clone().unwrap_or_default(),
            cluster_id,
            application_type: r.application_type.clone().unwrap_or_default(),
            application_tags: r.application_tags.join(","),
            priority: r.priority.as_ref().and_then(|p| p.priority).unwrap_or(0),
            started_time: started,
            launch_time: r.launch_time.unwrap_or(0),
            finished_time,
            elapsed_time: elapsed_ms(started, finished_time, now_ms),
            am_container_logs: am.map(|a| {
                format!(
                    "http://{}/node/containerlogs/{}/{}",
                    a.node_http_address, a.container_id, user
                )
            }),
            am_host_http_address: am.map(|a| a.node_http_address.clone()),
            am_rpc_address: (host != "N/A" && !host.is_empty() && rpc_port != -1)
                .then(|| format!("{host}:{rpc_port}")),
            master_node_id: am.map(|a| a.node_id.clone()),
            allocated_mb: used.memory,
            allocated_v_cores: used.v_cores,
            reserved_mb: reserved.memory,
            reserved_v_cores: reserved.v_cores,
            running_containers: usage.num_used_containers.unwrap_or(0),
            memory_seconds: usage.memory_seconds.unwrap_or(0),
            vcore_seconds: usage.vcore_seconds.unwrap_or(0),
            queue_usage_percentage: usage.queue_usage_percentage.unwrap_or(0.0),
            cluster_usage_percentage: usage.cluster_usage_percentage.unwrap_or(0.0),
            preempted_resource_mb: 0,
            preempted_resource_v_cores: 0,
            num_non_am_container_preempted: 0,
            num_am_container_preempted: 0,
            preempted_memory_seconds: usage.preempted_memory_seconds.unwrap_or(0),
            preempted_vcore_seconds: usage.preempted_vcore_seconds.unwrap_or(0),
            log_aggregation_status: LogAggregationStatusProto::java_name_of(
                r.log_aggregation_status
                    .unwrap_or(LogAggregationStatusProto::LogDisabled as i32),
            ),
            unmanaged_application: r.unmanaged_application.unwrap_or(false),
            timeouts: AppTimeouts {
                timeout: AppTimeout::from_report(r),
            },
        }
    }
}

/// `{"nodes":{"node":[…]}}` (`{"nodes":{}}` when empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodesDoc {
    /// The body.
    pub nodes: NodeList,
}

/// The `nodes` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeList {
    /// The nodes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub node: Vec<NodeInfo>,
}

/// `NodeInfo`: one NodeManager as the RM web services show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// Rack.
    pub rack: String,
    /// `NodeState` name.
    pub state: &'static str,
    /// `host:port`.
    pub id: String,
    /// Host.
    pub node_host_name: String,
    /// Web address.
    #[serde(rename = "nodeHTTPAddress")]
    pub node_http_address: String,
    /// Last health report (ms).
    pub last_health_update: i64,
    /// NM version.
    pub version: &'static str,
    /// Health report.
    pub health_report: String,
    /// Live containers.
    pub num_containers: i32,
    /// Used memory (MB).
    #[serde(rename = "usedMemoryMB")]
    pub used_memory_mb: i64,
    /// Free memory (MB).
    #[serde(rename = "availMemoryMB")]
    pub avail_memory_mb: i64,
    /// Used vcores.
    pub used_virtual_cores: i64,
    /// Free vcores.
    pub available_virtual_cores: i64,
    /// Running opportunistic containers (always 0).
    pub num_running_opport_containers: i32,
    /// Opportunistic memory (always 0).
    #[serde(rename = "usedMemoryOpportGB")]
    pub used_memory_opport_gb: i64,
    /// Opportunistic vcores (always 0).
    pub used_virtual_cores_opport: i64,
    /// Queued containers (always 0).
    pub num_queued_containers: i32,
    /// Used resources.
    pub used_resource: ResourceInfo,
    /// Free resources.
    pub available_resource: ResourceInfo,
    /// Capacity.
    pub total_resource: ResourceInfo,
}

impl NodeInfo {
    /// From the node report (the one `getClusterNodes` returns).
    pub fn from_report(n: &NodeReportProto) -> Self {
        let id = n.node_id.as_ref().and_then(|i| NodeId::from_proto(i).ok());
        let cap = ResourceInfo::from_proto(n.capability.as_ref());
        let used = ResourceInfo::from_proto(n.used.as_ref());
        let avail = ResourceInfo {
            memory: (cap.memory - used.memory).max(0),
            v_cores: (cap.v_cores - used.v_cores).max(0),
        };
        NodeInfo {
            rack: n.rack_name.clone().unwrap_or_default(),
            state: NodeStateProto::java_name_of(n.node_state.unwrap_or(0)),
            id: id.as_ref().map(|i| i.to_string()).unwrap_or_default(),
            node_host_name: id.map(|i| i.host).unwrap_or_default(),
            node_http_address: n.http_address.clone().unwrap_or_default(),
            last_health_update: n.last_health_report_time.unwrap_or(0),
            version: HADOOP_VERSION,
            health_report: n.health_report.clone().unwrap_or_default(),
            num_containers: n.num_containers.unwrap_or(0),
            used_memory_mb: used.memory,
            avail_memory_mb: avail.memory,
            used_virtual_cores: used.v_cores,
            available_virtual_cores: avail.v_cores,
            num_running_opport_containers: 0,
            used_memory_opport_gb: 0,
            used_virtual_cores_opport: 0,
            num_queued_containers: 0,
            used_resource: used,
            available_resource: avail,
            total_resource: cap,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn report(state: YarnApplicationStateProto, url: &str, finish: i64) -> ApplicationReportProto {
        ApplicationReportProto {
            application_id: Some(ApplicationId::new(1700, 3).to_proto()),
            user: Some("alice".into()),
            queue: Some("default".into()),
            name: Some("job".into()),
            host: Some("10.0.0.5".into()),
            rpc_port: Some(4040),
            yarn_application_state: Some(state as i32),
            tracking_url: Some(url.into()),
            diagnostics: Some(String::new()),
            start_time: Some(1000),
            finish_time: Some(finish),
            final_application_status: Some(FinalApplicationStatusProto::AppUndefined as i32),
            progress: Some(0.5),
            application_type: Some("SPARK".into()),
            application_tags: vec!["a".into(), "b".into()],
            app_resource_usage: Some(ApplicationResourceUsageReportProto {
                num_used_containers: Some(2),
                used_resources: Some(Resources::new(2048, 2).to_proto()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn app_info_field_names_and_values() {
        let am = AmContainer {
            container_id: "container_1700_0003_01_000001".into(),
            node_id: "127.0.0.1:4545".into(),
            node_http_address: "127.0.0.1:8042".into(),
        };
        let info = AppInfo::from_report(
            &report(YarnApplicationStateProto::Running, "am:4040", 0),
            1700,
            Some(&am),
            5000,
        );
        let v: Value = serde_json::to_value(AppDoc { app: info }).expect("json");
        let a = &v["app"];
        assert_eq!(a["id"], "application_1700_0003");
        assert_eq!(a["state"], "RUNNING");
        assert_eq!(a["finalStatus"], "UNDEFINED");
        assert_eq!(a["progress"], 50.0);
        assert_eq!(a["trackingUI"], "ApplicationMaster");
        assert_eq!(a["trackingUrl"], "http://am:4040");
        assert_eq!(a["clusterId"], 1700);
        assert_eq!(a["applicationTags"], "a,b");
        assert_eq!(a["elapsedTime"], 4000);
        assert_eq!(a["allocatedMB"], 2048);
        assert_eq!(a["allocatedVCores"], 2);
        assert_eq!(a["runningContainers"], 2);
        assert_eq!(a["amRPCAddress"], "10.0.0.5:4040");
        assert_eq!(a["amHostHttpAddress"], "127.0.0.1:8042");
        assert_eq!(
            a["amContainerLogs"],
            "http://127.0.0.1:8042/node/containerlogs/container_1700_0003_01_000001/alice"
        );
        assert_eq!(a["logAggregationStatus"], "DISABLED");
        assert_eq!(a["timeouts"]["timeout"][0]["type"], "LIFETIME");
    }

    #[test]
    fn accepted_app_has_no_tracking_url() {
        let info = AppInfo::from_report(
            &report(YarnApplicationStateProto::Accepted, "am:4040", 0),
            1700,
            None,
            5000,
        );
        let v = serde_json::to_value(&info).expect("json");
        assert_eq!(v["trackingUI"], "UNASSIGNED");
        assert!(v.get("trackingUrl").is_none());
        assert!(v.get("amContainerLogs").is_none());
        let done = AppInfo::from_report(
            &report(YarnApplicationStateProto::Finished, "http://h/x", 3000),
            1700,
            None,
            9000,
        );
        assert_eq!(done.tracking_ui, "History");
        assert_eq!(done.elapsed_time, 2000);
    }

    #[test]
    fn empty_lists_are_empty_objects() {
        let v = serde_json::to_string(&AppsDoc {
            apps: AppList { app: vec![] },
        })
        .expect("json");
        assert_eq!(v, r#"{"apps":{}}"#);
        let v = serde_json::to_string(&NodesDoc {
            nodes: NodeList { node: vec![] },
        })
        .expect("json");
        assert_eq!(v, r#"{"nodes":{}}"#);
    }

    #[test]
    fn node_info_from_report() {
        let n = NodeReportProto {
            node_id: Some(NodeId::new("127.0.0.1", 4545).to_proto()),
            http_address: Some("127.0.0.1:0".into()),
            rack_name: Some("/default-rack".into()),
            used: Some(Resources::new(1024, 1).to_proto()),
            capability: Some(Resources::new(4096, 4).to_proto()),
            num_containers: Some(1),
            node_state: Some(NodeStateProto::NsRunning as i32),
            ..Default::default()
        };
        let v = serde_json::to_value(NodeInfo::from_report(&n)).expect("json");
        assert_eq!(v["id"], "127.0.0.1:4545");
        assert_eq!(v["nodeHostName"], "127.0.0.1");
        assert_eq!(v["nodeHTTPAddress"], "127.0.0.1:0");
        assert_eq!(v["state"], "RUNNING");
        assert_eq!(v["usedMemoryMB"], 1024);
        assert_eq!(v["availMemoryMB"], 3072);
        assert_eq!(v["availableVirtualCores"], 3);
        assert_eq!(v["totalResource"]["vCores"], 4);
    }

    #[test]
    fn new_application_shape() {
        let p = GetNewApplicationResponseProto {
            application_id: Some(ApplicationId::new(17, 1).to_proto()),
            maximum_capability: Some(Resources::new(8192, 32).to_proto()),
        };
        let v = serde_json::to_string(&NewApplication::from_proto(&p)).expect("json");
        assert_eq!(
            v,
            r#"{"application-id":"application_17_0001","maximum-resource-capability":{"memory":8192,"vCores":32}}"#
        );
    }
}
