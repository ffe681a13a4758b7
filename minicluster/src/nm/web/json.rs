//! The documents of a NodeManager's web services, with Hadoop's field names
//! (`NodeInfo`, `AppInfo`, `ContainerInfo`, `ContainerLogsInfo` of the NM's `NMWebServices`).

use std::path::Path;

use serde::Serialize;
use spindle_protocol::ids::{ApplicationId, ContainerId};

use crate::nm::NodeManager;
use crate::nm::node::NmContainer;
use crate::rest::json::HadoopBuild;

/// The NM application states a `state` filter may name.
pub const APP_STATES: [&str; 6] = [
    "NEW",
    "INITING",
    "RUNNING",
    "FINISHING_CONTAINERS_WAIT",
    "APPLICATION_RESOURCES_CLEANINGUP",
    "FINISHED",
];

/// `NodeInfo` of the NM web services.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// `host:port` of the ContainerManagement port.
    pub id: String,
    /// Host.
    pub node_host_name: String,
    /// Health report (empty: healthy).
    pub health_report: String,
    /// Whether the node is healthy.
    pub node_healthy: bool,
    /// Last health update (ms).
    pub last_node_update_time: i64,
    /// Memory of its containers (MB).
    #[serde(rename = "totalPmemAllocatedContainersMB")]
    pub total_pmem_allocated_containers_mb: i64,
    /// Virtual memory of its containers (MB; the virtual-memory check is off).
    #[serde(rename = "totalVmemAllocatedContainersMB")]
    pub total_vmem_allocated_containers_mb: i64,
    /// Vcores of its containers.
    pub total_v_cores_allocated_containers: i64,
    /// Whether physical memory is checked.
    pub pmem_check_enabled: bool,
    /// Whether virtual memory is checked.
    pub vmem_check_enabled: bool,
    /// NM version.
    pub node_manager_version: &'static str,
    /// NM build.
    pub node_manager_build_version: String,
    /// NM build date.
    pub node_manager_version_built_on: &'static str,
    /// The Hadoop version fields.
    #[serde(flatten)]
    pub hadoop: HadoopBuild,
    /// When the NM started (ms).
    pub nm_startup_time: i64,
}

impl NodeInfo {
    /// The node's info now.
    pub fn of(nm: &NodeManager) -> Self {
        let live: Vec<NmContainer> = nm
            .containers()
            .into_iter()
            .map(|(_, c)| c)
            .filter(|c| c.exit.is_none())
            .collect();
        let mb: i64 = live.iter().map(|c| c.resource.memory_mb).sum();
        let hadoop = HadoopBuild::ours();
        NodeInfo {
            id: nm.node_id().to_string(),
            node_host_name: nm.node_id().host.clone(),
            health_report: String::new(),
            node_healthy: nm.is_up(),
            last_node_update_time: crate::cluster::now_ms(),
            total_pmem_allocated_containers_mb: mb,
            total_vmem_allocated_containers_mb: mb * 21 / 10,
            total_v_cores_allocated_containers: live.iter().map(|c| c.resource.vcores).sum(),
            pmem_check_enabled: nm.pmem_check(),
            vmem_check_enabled: false,
            node_manager_version: hadoop.hadoop_version,
            node_manager_build_version: hadoop.hadoop_build_version.clone(),
            node_manager_version_built_on: hadoop.hadoop_version_built_on,
            hadoop,
            nm_startup_time: nm.started_ms(),
        }
    }
}

/// `AppInfo` of the NM web services.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    /// The application id.
    pub id: String,
    /// Its state on this node.
    pub state: &'static str,
    /// Its user.
    pub user: String,
    /// Its containers on this node.
    #[serde(rename = "containerids", skip_serializing_if = "Vec::is_empty")]
    pub container_ids: Vec<String>,
}

impl AppInfo {
    /// Application `id` as this node knows it (it knows applications with containers here).
    pub fn of(nm: &NodeManager, id: &ApplicationId) -> Option<Self> {
        let containers: Vec<(ContainerId, NmContainer)> = nm
            .containers()
            .into_iter()
            .filter(|(c, _)| c.application_id() == *id)
            .collect();
        let user = containers.first()?.1.user.clone();
        Some(AppInfo {
            id: id.to_string(),
            state: if nm.app_finished(id) {
                "FINISHED"
            } else {
                "RUNNING"
            },
            user,
            container_ids: containers.iter().map(|(c, _)| c.to_string()).collect(),
        })
    }
}

/// The `apps` object.
#[derive(Debug, Clone, Serialize)]
pub struct Apps {
    /// The applications.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub app: Vec<AppInfo>,
}

impl Apps {
    /// The applications with containers on the node, filtered by state and user.
    pub fn of(nm: &NodeManager, state: Option<&str>, user: Option<&str>) -> Self {
        let mut ids: Vec<ApplicationId> = nm
            .containers()
            .into_iter()
            .map(|(c, _)| c.application_id())
            .collect();
        ids.dedup();
        Apps {
            app: ids
                .iter()
                .filter_map(|id| AppInfo::of(nm, id))
                .filter(|a| state.is_none_or(|s| a.state.eq_ignore_ascii_case(s)))
                .filter(|a| user.is_none_or(|u| a.user == u))
                .collect(),
        }
    }
}

/// `ContainerInfo` of the NM web services.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInfo {
    /// The container id.
    pub id: String,
    /// Where it is (`LOCALIZING`, `RUNNING`, `KILLING`, `DONE`).
    pub state: &'static str,
    /// Its exit status (-1000 while it runs).
    pub exit_code: i32,
    /// Why it ended.
    pub diagnostics: String,
    /// Its user.
    pub user: String,
    /// Its memory (MB).
    #[serde(rename = "totalMemoryNeededMB")]
    pub total_memory_needed_mb: i64,
    /// Its vcores.
    pub total_v_cores_needed: i64,
    /// Its execution type.
    pub execution_type: &'static str,
    /// The page of its logs.
    pub container_logs_link: String,
    /// Its node.
    pub node_id: String,
    /// Its log folders.
    pub container_logs_dirs: Vec<String>,
    /// Its log files.
    pub container_log_files: Vec<String>,
}

impl ContainerInfo {
    /// Container `id` as this node knows it.
    pub fn of(nm: &NodeManager, id: &ContainerId) -> Option<Self> {
        let c = nm.container(id)?;
        let dir = nm
            .log_dir()
            .join(id.application_id().to_string())
            .join(id.to_string());
        let (exit_code, diagnostics) = c.exit.clone().unwrap_or((-1000, String::new()));
        Some(ContainerInfo {
            id: id.to_string(),
            state: nm.container_state(id),
            exit_code,
            diagnostics,
            total_memory_needed_mb: c.resource.memory_mb,
            total_v_cores_needed: c.resource.vcores,
            execution_type: "GUARANTEED",
            container_logs_link: format!(
                "http://{}/node/containerlogs/{id}/{}",
                nm.http_address(),
                c.user
            ),
            user: c.user,
            node_id: nm.node_id().to_string(),
            container_log_files: super::logs::list(&dir).into_iter().map(|f| f.0).collect(),
            container_logs_dirs: vec![dir.display().to_string()],
        })
    }
}

/// The `containers` object.
#[derive(Debug, Clone, Serialize)]
pub struct Containers {
    /// The containers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub container: Vec<ContainerInfo>,
}

impl Containers {
    /// The containers of applications that have not ended on this node.
    pub fn of(nm: &NodeManager) -> Self {
        Containers {
            container: nm
                .containers()
                .iter()
                .filter_map(|(id, _)| ContainerInfo::of(nm, id))
                .collect(),
        }
    }
}

/// One log file of a container (`ContainerLogFileInfo`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogFileInfo {
    /// Its name.
    pub file_name: String,
    /// Its size in bytes.
    pub file_size: String,
    /// When it last changed.
    pub last_modified_time: String,
}

/// `ContainerLogsInfo`: a container's log files on this node.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerLogs {
    /// The files.
    pub container_log_info: Vec<LogFileInfo>,
    /// `LOCAL`: the files are on the node (not aggregated yet).
    pub log_aggregation_type: &'static str,
    /// The container.
    pub container_id: String,
    /// The node.
    pub node_id: String,
}

impl ContainerLogs {
    /// The log files in `dir`, container `id`'s log folder.
    pub fn of(nm: &NodeManager, id: &ContainerId, dir: &Path) -> Self {
        ContainerLogs {
            container_log_info: super::logs::list(dir)
                .into_iter()
                .map(|(name, size, modified)| LogFileInfo {
                    file_name: name,
                    file_size: size.to_string(),
                    last_modified_time: crate::time::format_readable(modified),
                })
                .collect(),
            log_aggregation_type: "LOCAL",
            container_id: id.to_string(),
            node_id: nm.node_id().to_string(),
        }
    }
}

/// `{"services":{}}`: no auxiliary services.
#[derive(Debug, Clone, Serialize)]
pub struct NoServices {}
