//! [`ApplicationClient`]: the ApplicationClientProtocol client used to submit, watch and kill
//! applications and to query the cluster.

use crate::ipc::{ClientAuth, ClientConfig, IpcClient};
use crate::proto::yarn_service::*;
use crate::yarn::{APPLICATION_CLIENT_PROTOCOL, YARN_PROTOCOL_VERSION, YarnError};

/// ApplicationClientProtocol client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ApplicationClient {
    ipc: IpcClient,
}

impl ApplicationClient {
    /// A client with this configuration; protocol name and version are set for
    /// ApplicationClientProtocol.
    pub fn new(mut config: ClientConfig) -> Self {
        config.protocol = APPLICATION_CLIENT_PROTOCOL.to_string();
        config.protocol_version = YARN_PROTOCOL_VERSION;
        ApplicationClient {
            ipc: IpcClient::new(config),
        }
    }

    /// A SIMPLE-auth client for the RM at `addr` (`host:port`) acting as `user`.
    pub fn simple(addr: impl Into<String>, user: impl Into<String>) -> Self {
        ApplicationClient::new(ClientConfig::new(
            addr,
            APPLICATION_CLIENT_PROTOCOL,
            ClientAuth::Simple { user: user.into() },
        ))
    }

    /// The underlying IPC client.
    pub fn ipc(&self) -> &IpcClient {
        &self.ipc
    }

    /// `getNewApplication`.
    pub async fn get_new_application(&self) -> Result<GetNewApplicationResponseProto, YarnError> {
        Ok(self
            .ipc
            .call("getNewApplication", &GetNewApplicationRequestProto {})
            .await?)
    }

    /// `submitApplication`; then poll [`Self::get_application_report`] while the state is
    /// NEW, NEW_SAVING or SUBMITTED.
    pub async fn submit_application(
        &self,
        request: &SubmitApplicationRequestProto,
    ) -> Result<SubmitApplicationResponseProto, YarnError> {
        Ok(self.ipc.call("submitApplication", request).await?)
    }

    /// `getApplicationReport`.
    pub async fn get_application_report(
        &self,
        request: &GetApplicationReportRequestProto,
    ) -> Result<GetApplicationReportResponseProto, YarnError> {
        Ok(self.ipc.call("getApplicationReport", request).await?)
    }

    /// `getApplications`.
    pub async fn get_applications(
        &self,
        request: &GetApplicationsRequestProto,
    ) -> Result<GetApplicationsResponseProto, YarnError> {
        Ok(self.ipc.call("getApplications", request).await?)
    }

    /// `forceKillApplication`: repeat until `is_kill_completed` is true.
    pub async fn force_kill_application(
        &self,
        request: &KillApplicationRequestProto,
    ) -> Result<KillApplicationResponseProto, YarnError> {
        Ok(self.ipc.call("forceKillApplication", request).await?)
    }

    /// `getClusterMetrics`.
    pub async fn get_cluster_metrics(&self) -> Result<GetClusterMetricsResponseProto, YarnError> {
        Ok(self
            .ipc
            .call("getClusterMetrics", &GetClusterMetricsRequestProto {})
            .await?)
    }

    /// `getClusterNodes` (empty `node_states` = all states).
    pub async fn get_cluster_nodes(
        &self,
        request: &GetClusterNodesRequestProto,
    ) -> Result<GetClusterNodesResponseProto, YarnError> {
        Ok(self.ipc.call("getClusterNodes", request).await?)
    }

    /// `getQueueInfo`.
    pub async fn get_queue_info(
        &self,
        request: &GetQueueInfoRequestProto,
    ) -> Result<GetQueueInfoResponseProto, YarnError> {
        Ok(self.ipc.call("getQueueInfo", request).await?)
    }

    /// `getApplicationAttemptReport`.
    pub async fn get_application_attempt_report(
        &self,
        request: &GetApplicationAttemptReportRequestProto,
    ) -> Result<GetApplicationAttemptReportResponseProto, YarnError> {
        Ok(self
            .ipc
            .call("getApplicationAttemptReport", request)
            .await?)
    }
}
