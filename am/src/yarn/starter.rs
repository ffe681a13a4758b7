//! Starting executors on YARN NodeManagers: the granted container's record (from the shared
//! table) plus a launch context, through the launcher's NodeManager client.

use std::sync::Arc;

use spindle_allocator::{Container, ContainerId};
use spindle_launcher::nm_client::NmLauncher;
use spindle_protocol::proto::yarn::{ContainerLaunchContextProto, ContainerProto};
use spindle_protocol::proto::yarn_service::NMTokenProto;
use tokio::sync::Semaphore;

use super::rm::{NodeTokens, SharedTable};
use crate::rm::ExecutorStarter;

/// What a YARN executor is started with.
#[derive(Debug, Clone)]
pub struct YarnLaunch {
    /// The launch context (command, environment, local resources, tokens, ACLs).
    pub context: ContainerLaunchContextProto,
}

/// Starts executors with `startContainers` on the container's NodeManager.
#[derive(Clone)]
pub struct YarnStarter {
    nm: Arc<NmLauncher>,
    table: SharedTable,
    permits: Arc<Semaphore>,
    user: String,
}

impl YarnStarter {
    /// Starts at most `max_concurrent` containers at once (Spark's
    /// `spark.yarn.containerLauncherMaxThreads`, 25) as `user` (for log links).
    pub fn new(nm: Arc<NmLauncher>, table: SharedTable, max_concurrent: usize, user: &str) -> Self {
        YarnStarter {
            nm,
            table,
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            user: user.to_string(),
        }
    }

    fn record(&self, id: &ContainerId) -> Result<ContainerProto, String> {
        self.table
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned()
            .ok_or_else(|| format!("no record of container {id} (already ended?)"))
    }
}

impl NodeTokens for YarnStarter {
    fn update_tokens(&self, tokens: &[NMTokenProto]) {
        if !tokens.is_empty() {
            self.nm.update_tokens(tokens);
        }
    }
}

impl ExecutorStarter for YarnStarter {
    type Launch = YarnLaunch;

    async fn start(&self, container: &Container, launch: &YarnLaunch) -> Result<(), String> {
        let record = self.record(&container.id)?;
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| "the launcher is shutting down".to_string())?;
        self.nm
            .start_container(&record, launch.context.clone())
            .await
            .map_err(|e| format!("on {}: {e}", container.host))
    }

    async fn stop(&self, container: &ContainerId) -> Result<(), String> {
        let record = self.record(container)?;
        self.nm
            .stop_container(&record)
            .await
            .map_err(|e| e.to_string())
    }

    fn log_url(&self, container: &ContainerId) -> Option<String> {
        let record = self.record(container).ok()?;
        let address = record.node_http_address.filter(|a| !a.is_empty())?;
        Some(format!(
            "http://{address}/node/containerlogs/{container}/{}",
            self.user
        ))
    }
}
