//! [`ContainerManagerClient`]: the ContainerManagementProtocol client an AM uses to start,
//! stop and query containers on one NodeManager.

use std::collections::HashMap;

use crate::ipc::{ClientConfig, IpcClient};
use crate::proto::yarn::ContainerIdProto;
use crate::proto::yarn_service::*;
use crate::token::{KIND_NM_TOKEN, Token};
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

/// NMTokens of one attempt, by NM service (`ip:port`). The RM sends an NMToken only the first
/// time the attempt gets a container on a node (and again after a key roll), so an AM keeps
/// them for the whole attempt.
#[derive(Debug, Clone, Default)]
pub struct NmTokenCache {
    tokens: HashMap<String, Token>,
}

impl NmTokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        NmTokenCache::default()
    }

    /// Stores (or replaces) the NMTokens in `nm_tokens` (from `AllocateResponseProto.nm_tokens`
    /// or `RegisterApplicationMasterResponseProto.nm_tokens_from_previous_attempts`); entries
    /// without a token or of another kind are skipped. Returns how many were stored.
    pub fn update(&mut self, nm_tokens: &[NMTokenProto]) -> usize {
        let mut stored = 0;
        for t in nm_tokens.iter().filter_map(|n| n.token.as_ref()) {
            let token = Token::from_proto(t);
            if token.kind == KIND_NM_TOKEN {
                self.tokens.insert(token.service.clone(), token);
                stored += 1;
            }
        }
        stored
    }

    /// The NMToken for the NM whose service is `ip:port`.
    pub fn get(&self, service: &str) -> Option<&Token> {
        self.tokens.get(service)
    }

    /// Forgets the token of a node (e.g. after the NM refused it).
    pub fn remove(&mut self, service: &str) -> Option<Token> {
        self.tokens.remove(service)
    }

    /// How many nodes have a token.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether no node has a token.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}
