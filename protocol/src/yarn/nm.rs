//! [`ContainerManagerClient`]: the ContainerManagementProtocol client an AM uses to start,
//! stop and query containers on one NodeManager.

use crate::ipc::{ClientConfig, IpcClient};
use crate::proto::yarn::ContainerIdProto;
use crate::proto::yarn_service::*;
use crate::token::Token;
use crate::yarn::{CONTAINER_MANAGEMENT_PROTOCOL, YARN_PROTOCOL_VERSION, YarnError, token_auth};

/// ContainerManagementProtocol client for one NodeManager. Cheap to clone.
///
/// NodeManagers require SASL TOKEN authentication with the attempt's NMToken for that node
/// (service = the NM's `ip:port`); [`ContainerManagerClient::with_token`] sets that up.
#[derive(Debug, Clone)]
pub struct ContainerManagerClient {
    ipc: IpcClient,
}

impl ContainerManagerClient {
    /// A client with this configuration; protocol name and version are set for
    /// ContainerManagementProtocol.
    pub fn new(mut config: ClientConfig) -> Self {
        config.protocol = CONTAINER_MANAGEMENT_PROTOCOL.to_string();
        config.protocol_version = YARN_PROTOCOL_VERSION;
        ContainerManagerClient {
            ipc: IpcClient::new(config),
        }
    }

    /// A client for the NM at `addr` (`host:port`) authenticating with its NMToken.
    pub fn with_token(addr: impl Into<String>, nm_token: &Token, user: impl Into<String>) -> Self {
        ContainerManagerClient::new(ClientConfig::new(
            addr,
            CONTAINER_MANAGEMENT_PROTOCOL,
            token_auth(nm_token, user),
        ))
    }

    /// The underlying IPC client.
    pub fn ipc(&self) -> &IpcClient {
        &self.ipc
    }

    /// `startContainers`: per-container failures come back in `failed_requests`.
    pub async fn start_containers(
        &self,
        request: &StartContainersRequestProto,
    ) -> Result<StartContainersResponseProto, YarnError> {
        Ok(self.ipc.call("startContainers", request).await?)
    }

    /// `stopContainers`.
    pub async fn stop_containers(
        &self,
        request: &StopContainersRequestProto,
    ) -> Result<StopContainersResponseProto, YarnError> {
        Ok(self.ipc.call("stopContainers", request).await?)
    }

    /// `getContainerStatuses`.
    pub async fn get_container_statuses(
        &self,
        request: &GetContainerStatusesRequestProto,
    ) -> Result<GetContainerStatusesResponseProto, YarnError> {
        Ok(self.ipc.call("getContainerStatuses", request).await?)
    }

    /// `signalToContainer`.
    pub async fn signal_to_container(
        &self,
        request: &SignalContainerRequestProto,
    ) -> Result<SignalContainerResponseProto, YarnError> {
        Ok(self.ipc.call("signalToContainer", request).await?)
    }

    /// `updateContainer`.
    pub async fn update_container(
        &self,
        request: &ContainerUpdateRequestProto,
    ) -> Result<ContainerUpdateResponseProto, YarnError> {
        Ok(self.ipc.call("updateContainer", request).await?)
    }

    /// `restartContainer`.
    pub async fn restart_container(
        &self,
        container_id: &ContainerIdProto,
    ) -> Result<RestartContainerResponseProto, YarnError> {
        Ok(self.ipc.call("restartContainer", container_id).await?)
    }
}
