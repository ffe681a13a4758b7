//! [`AmRmClient`]: the ApplicationMasterProtocol client an AM uses to talk to the RM scheduler.

use crate::ipc::{ClientConfig, IpcClient};
use crate::proto::yarn_service::{
    AllocateRequestProto, AllocateResponseProto, FinishApplicationMasterRequestProto,
    FinishApplicationMasterResponseProto, RegisterApplicationMasterRequestProto,
    RegisterApplicationMasterResponseProto,
};
use crate::token::Token;
use crate::yarn::{APPLICATION_MASTER_PROTOCOL, YARN_PROTOCOL_VERSION, YarnError, token_auth};

/// ApplicationMasterProtocol client (register, allocate, finish). Cheap to clone; clones share
/// the connection.
///
/// The RM requires SASL TOKEN authentication with the attempt's AMRMToken even on a
/// non-secure cluster; [`AmRmClient::with_token`] sets that up.
#[derive(Debug, Clone)]
pub struct AmRmClient {
    ipc: IpcClient,
}

impl AmRmClient {
    /// A client with this configuration; protocol name and version are set for
    /// ApplicationMasterProtocol.
    pub fn new(mut config: ClientConfig) -> Self {
        config.protocol = APPLICATION_MASTER_PROTOCOL.to_string();
        config.protocol_version = YARN_PROTOCOL_VERSION;
        AmRmClient {
            ipc: IpcClient::new(config),
        }
    }

    /// A client for the scheduler at `addr` (`host:port`) authenticating with the AMRMToken.
    pub fn with_token(
        addr: impl Into<String>,
        amrm_token: &Token,
        user: impl Into<String>,
    ) -> Self {
        AmRmClient::new(ClientConfig::new(
            addr,
            APPLICATION_MASTER_PROTOCOL,
            token_auth(amrm_token, user),
        ))
    }

    /// The underlying IPC client.
    pub fn ipc(&self) -> &IpcClient {
        &self.ipc
    }

    /// Uses a rolled-over AMRMToken (from `AllocateResponseProto.am_rm_token`) for every new
    /// connection.
    pub fn set_amrm_token(&self, amrm_token: &Token, user: impl Into<String>) {
        self.ipc.set_auth(token_auth(amrm_token, user));
    }

    /// `registerApplicationMaster`.
    pub async fn register_application_master(
        &self,
        request: &RegisterApplicationMasterRequestProto,
    ) -> Result<RegisterApplicationMasterResponseProto, YarnError> {
        Ok(self.ipc.call("registerApplicationMaster", request).await?)
    }

    /// `allocate`: the heartbeat. Send the last `response_id` received (0 after register); on
    /// a transport failure retry with the same id.
    pub async fn allocate(
        &self,
        request: &AllocateRequestProto,
    ) -> Result<AllocateResponseProto, YarnError> {
        Ok(self.ipc.call("allocate", request).await?)
    }

    /// `finishApplicationMaster`: repeat until `is_unregistered` is true.
    pub async fn finish_application_master(
        &self,
        request: &FinishApplicationMasterRequestProto,
    ) -> Result<FinishApplicationMasterResponseProto, YarnError> {
        Ok(self.ipc.call("finishApplicationMaster", request).await?)
    }
}
