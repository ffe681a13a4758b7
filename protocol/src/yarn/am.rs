//! ApplicationMasterProtocol (the RM scheduler port): its table, which generates the server
//! trait [`ApplicationMasterProtocol`], the adapter [`AmService`] and the raw client
//! [`RawAmRmClient`]; and [`AmRmClient`], the client an AM uses, which adds the AMRMToken
//! handling on top.

use std::sync::{Arc, Mutex};

use crate::credentials::Credentials;
use crate::ipc::{ClientAuth, ClientConfig};
use crate::proto::yarn_service::{
    AllocateRequestProto, AllocateResponseProto, FinishApplicationMasterRequestProto,
    FinishApplicationMasterResponseProto, RegisterApplicationMasterRequestProto,
    RegisterApplicationMasterResponseProto,
};
use crate::token::{KIND_AMRM_TOKEN, Token};
use crate::yarn::server::{AmCaller, am_caller};
use crate::yarn::{APPLICATION_MASTER_PROTOCOL, YARN_PROTOCOL_VERSION, YarnError, token_auth};

crate::ipc_protocol! {
    /// The RM side of ApplicationMasterProtocol. Every call comes from a connection
    /// authenticated with the attempt's AMRMToken (see [`am_caller`]).
    pub trait ApplicationMasterProtocol {
        name: APPLICATION_MASTER_PROTOCOL,
        version: YARN_PROTOCOL_VERSION,
        caller: AmCaller = am_caller,
        unsupported: crate::yarn::server::unsupported,
        service: AmService,
        /// The generated ApplicationMasterProtocol calls, without the AMRMToken handling of
        /// [`AmRmClient`]. Cheap to clone; clones share the connection.
        client: RawAmRmClient -> YarnError,
    }
    required {
        /// `registerApplicationMaster`: the first call of an attempt.
        fn register_application_master(
            "registerApplicationMaster",
            RegisterApplicationMasterRequestProto
        ) -> RegisterApplicationMasterResponseProto;
        /// `allocate`: the heartbeat. The AM sends the last `response_id` it received (0 after
        /// register) and, after a transport failure, the same request again (see
        /// [`crate::yarn::records::is_allocate_retry`]).
        fn allocate("allocate", AllocateRequestProto) -> AllocateResponseProto;
        /// `finishApplicationMaster`: the AM repeats it until `is_unregistered` is true.
        fn finish_application_master(
            "finishApplicationMaster",
            FinishApplicationMasterRequestProto
        ) -> FinishApplicationMasterResponseProto;
    }
    optional {}
}

/// ApplicationMasterProtocol client (register, allocate, finish). Cheap to clone; clones share
/// the connection.
///
/// The RM requires SASL TOKEN authentication with the attempt's AMRMToken even on a
/// non-secure cluster; [`AmRmClient::with_token`] and [`AmRmClient::from_credentials`] set that
/// up. When an allocate reply carries a rolled-over AMRMToken, the client switches to it for
/// every new connection by itself (see [`AmRmClient::current_amrm_token`]).
#[derive(Debug, Clone)]
pub struct AmRmClient {
    raw: RawAmRmClient,
    user: String,
    amrm_token: Arc<Mutex<Option<Token>>>,
}

impl AmRmClient {
    /// A client with this configuration; protocol name and version are set for
    /// ApplicationMasterProtocol.
    pub fn new(config: ClientConfig) -> Self {
        let user = match &config.auth {
            ClientAuth::Simple { user } | ClientAuth::Token { user, .. } => user.clone(),
            ClientAuth::Kerberos { .. } => String::new(),
        };
        AmRmClient {
            raw: RawAmRmClient::new(config),
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
    pub fn ipc(&self) -> &crate::ipc::IpcClient {
        self.raw.ipc()
    }

    /// Uses a rolled-over AMRMToken (from `AllocateResponseProto.am_rm_token`) for every new
    /// connection.
    pub fn set_amrm_token(&self, amrm_token: &Token) {
        self.raw
            .ipc()
            .set_auth(token_auth(amrm_token, self.user.clone()));
        *self.lock_token() = Some(amrm_token.clone());
    }

    /// `registerApplicationMaster`.
    pub async fn register_application_master(
        &self,
        request: &RegisterApplicationMasterRequestProto,
    ) -> Result<RegisterApplicationMasterResponseProto, YarnError> {
        self.raw.register_application_master(request).await
    }

    /// `allocate`: the heartbeat. Send the last `response_id` received (0 after register); on
    /// a transport failure retry with the same id. A rolled-over `am_rm_token` in the reply is
    /// installed for new connections before the reply is returned.
    pub async fn allocate(
        &self,
        request: &AllocateRequestProto,
    ) -> Result<AllocateResponseProto, YarnError> {
        let resp = self.raw.allocate(request).await?;
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
        self.raw.finish_application_master(request).await
    }
}
