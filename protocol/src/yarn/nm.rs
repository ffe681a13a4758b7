//! ContainerManagementProtocol (the NM port): its table, which generates the server trait
//! [`ContainerManagementProtocol`], the adapter [`NmService`] and the client
//! [`ContainerManagerClient`] an AM uses to start, stop and query containers on one
//! NodeManager; and [`NmTokenCache`], the NMTokens of one attempt.

use std::collections::HashMap;

use crate::proto::yarn::ContainerIdProto;
use crate::proto::yarn_service::*;
use crate::token::{KIND_NM_TOKEN, Token};
use crate::yarn::server::{NmCaller, nm_caller, unsupported};
use crate::yarn::{CONTAINER_MANAGEMENT_PROTOCOL, YARN_PROTOCOL_VERSION, YarnError, token_auth};

crate::ipc_protocol! {
    /// The NM side of ContainerManagementProtocol. Every call comes from a connection
    /// authenticated with an NMToken (see [`nm_caller`]). The three calls an AM needs are
    /// required; the others answer "not supported" unless implemented.
    pub trait ContainerManagementProtocol {
        name: CONTAINER_MANAGEMENT_PROTOCOL,
        version: YARN_PROTOCOL_VERSION,
        caller: NmCaller = nm_caller,
        unsupported: unsupported,
        service: NmService,
        /// ContainerManagementProtocol client for one NodeManager. Cheap to clone.
        ///
        /// NodeManagers require SASL TOKEN authentication with the attempt's NMToken for that
        /// node (service = the NM's `ip:port`); [`ContainerManagerClient::with_token`] sets that
        /// up.
        client: ContainerManagerClient -> YarnError,
    }
    required {
        /// `startContainers`: per-container failures come back in `failed_requests`.
        fn start_containers("startContainers", StartContainersRequestProto)
            -> StartContainersResponseProto;
        /// `stopContainers`.
        fn stop_containers("stopContainers", StopContainersRequestProto)
            -> StopContainersResponseProto;
        /// `getContainerStatuses`.
        fn get_container_statuses("getContainerStatuses", GetContainerStatusesRequestProto)
            -> GetContainerStatusesResponseProto;
    }
    optional {
        /// `signalToContainer`.
        fn signal_to_container("signalToContainer", SignalContainerRequestProto)
            -> SignalContainerResponseProto;
        /// `increaseContainersResource`.
        fn increase_containers_resource(
            "increaseContainersResource",
            IncreaseContainersResourceRequestProto
        ) -> IncreaseContainersResourceResponseProto;
        /// `updateContainer`.
        fn update_container("updateContainer", ContainerUpdateRequestProto)
            -> ContainerUpdateResponseProto;
        /// `localize`.
        fn localize("localize", ResourceLocalizationRequestProto)
            -> ResourceLocalizationResponseProto;
        /// `reInitializeContainer`.
        fn re_initialize_container("reInitializeContainer", ReInitializeContainerRequestProto)
            -> ReInitializeContainerResponseProto;
        /// `restartContainer`.
        fn restart_container("restartContainer", ContainerIdProto) -> RestartContainerResponseProto;
        /// `rollbackLastReInitialization`.
        fn rollback_last_re_initialization("rollbackLastReInitialization", ContainerIdProto)
            -> RollbackResponseProto;
        /// `commitLastReInitialization`.
        fn commit_last_re_initialization("commitLastReInitialization", ContainerIdProto)
            -> CommitResponseProto;
        /// `getLocalizationStatuses`.
        fn get_localization_statuses(
            "getLocalizationStatuses",
            GetLocalizationStatusesRequestProto
        ) -> GetLocalizationStatusesResponseProto;
    }
}

impl ContainerManagerClient {
    /// A client for the NM at `addr` (`host:port`) authenticating with its NMToken.
    pub fn with_token(addr: impl Into<String>, nm_token: &Token, user: impl Into<String>) -> Self {
        ContainerManagerClient::new(crate::ipc::ClientConfig::new(
            addr,
            CONTAINER_MANAGEMENT_PROTOCOL,
            token_auth(nm_token, user),
        ))
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
