//! [`AmRmClient`]: the ApplicationMasterProtocol client an AM uses to talk to the RM scheduler.

use std::sync::{Arc, Mutex};

use crate::credentials::Credentials;
use crate::ipc::{ClientConfig, IpcClient};
use crate::proto::yarn_service::{
    AllocateRequestProto, AllocateResponseProto, FinishApplicationMasterRequestProto,
    FinishApplicationMasterResponseProto, RegisterApplicationMasterRequestProto,
    RegisterApplicationMasterResponseProto,
};
use crate::token::{KIND_AMRM_TOKEN, Token};
use crate::yarn::{APPLICATION_MASTER_PROTOCOL, YARN_PROTOCOL_VERSION, YarnError, token_auth};

/// ApplicationMasterProtocol client (register, allocate, finish). Cheap to clone; clones share
/// the connection.
///
/// The RM requires SASL TOKEN authentication with the attempt's AMRMToken even on a
/// non-secure cluster; [`AmRmClient::with_token`] and [`AmRmClient::from_credentials`] set that
/// up. When an allocate reply carries a rolled-over AMRMToken, the client switches to it for
/// every new connection by itself (see [`AmRmClient::current_amrm_token`]).
#[derive(Debug, Clone)]
pub struct AmRmClient {
    ipc: IpcClient,
    user: String,
    amrm_token: Arc<Mutex<Option<Token>>>,
}

impl AmRmClient {
    /// A client with this configuration; protocol name and version are set for
    /// ApplicationMasterProtocol.
    pub fn new(mut config: ClientConfig) -> Self {
        config.protocol = APPLICATION_MASTER_PROTOCOL.to_string();
        config.protocol_version = YARN_PROTOCOL_VERSION;
        let user = match &config.auth {
            crate::ipc::ClientAuth::Simple { user }
            | crate::ipc::ClientAuth::Token { user, .. } => user.clone(),
        };
        AmRmClient {
            ipc: IpcClient::new(config),
            user,
            amrm_token: Arc::new(Mutex::new(None)),
        }
    }

    /// A client for the scheduler at `addr` (`host:port`) authenticating with the AMRMToken.
    pub fn with_token(
        addr: impl Into<String>,
        amrm_token: &Token,
        user: impl Into<String>,
    ) -> Self {
        let client = AmRmClient::new(ClientConfig::new(
            addr,
            APPLICATION_MASTER_PROTOCOL,
            token_auth(amrm_token, user),
        ));
        *client.lock_token() = Some(amrm_token.clone());
        client
    }

    /// A client for the scheduler at `addr` using the AMRMToken found in the container's
    /// credentials (selected by kind; its service and alias are empty). `Err` names the missing
    /// kind when the credentials hold none.
    pub fn from_credentials(
        addr: impl Into<String>,
        credentials: &Credentials,
        user: impl Into<String>,
    ) -> Result<Self, YarnError> {
        let token = credentials
            .token_by_kind(KIND_AMRM_TOKEN)
            .ok_or(YarnError::NoToken {
                kind: KIND_AMRM_TOKEN,
            })?;
        Ok(AmRmClient::with_token(addr, token, user))
    }

    fn lock_token(&self) -> std::sync::MutexGuard<'_, Option<Token>> {
        self.amrm_token.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The AMRMToken new connections use (the latest rolled-over one), if the client was built
    /// with a token.
    pub fn current_amrm_token(&self) -> Option<Token> {
        self.lock_token().clone()
    }

    /// The underlying IPC client.
    pub fn ipc(&self) -> &IpcClient {
        &self.ipc
    }

    /// Uses a rolled-over AMRMToken (from `AllocateResponseProto.am_rm_token`) for every new
    /// connection.
    pub fn set_amrm_token(&self, amrm_token: &Token) {
        self.ipc.set_auth(token_auth(amrm_token, self.user.clone()));
        *self.lock_token() = Some(amrm_token.clone());
    }

    /// `registerApplicationMaster`.
    pub async fn register_application_master(
        &self,
        request: &RegisterApplicationMasterRequestProto,
    ) -> Result<RegisterApplicationMasterResponseProto, YarnError> {
        Ok(self.ipc.call("registerApplicationMaster", request).await?)
    }

    /// `allocate`: the heartbeat. Send the last `response_id` received (0 after register); on
    /// a transport failure retry with the same id. A rolled-over `am_rm_token` in the reply is
    /// installed for new connections before the reply is returned.
    pub async fn allocate(
        &self,
        request: &AllocateRequestProto,
    ) -> Result<AllocateResponseProto, YarnError> {
        let resp: AllocateResponseProto = self.ipc.call("allocate", request).await?;
        if let Some(new) = &resp.am_rm_token {
            let token = Token::from_proto(new);
            if self.lock_token().as_ref() != Some(&token) {
                tracing::info!(service = %token.service, "AMRMToken rolled over; using the new one for new connections");
                self.set_amrm_token(&token);
            }
        }
        Ok(resp)
    }

    /// `finishApplicationMaster`: repeat until `is_unregistered` is true.
    pub async fn finish_application_master(
        &self,
        request: &FinishApplicationMasterRequestProto,
    ) -> Result<FinishApplicationMasterResponseProto, YarnError> {
        Ok(self.ipc.call("finishApplicationMaster", request).await?)
    }
}
