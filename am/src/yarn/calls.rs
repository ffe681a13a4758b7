//! The three ApplicationMasterProtocol calls, through the network or in-process.
//!
//! [`AmRmCalls`] is what [`super::YarnResourceManager`] drives. It is implemented by the
//! protocol crate's `AmRmClient` (Hadoop IPC with the AMRMToken), by [`Failover`](super::failover::Failover) (several
//! ResourceManagers with HA, tried in turn), and by [`InProcess`], which calls any
//! `ApplicationMasterProtocol` server implementation directly — the same records and errors,
//! no sockets.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use spindle_protocol::ipc::{CallContext, CallerAuth, RemoteError, ServiceError};
use spindle_protocol::proto::yarn_service::{
    AllocateRequestProto, AllocateResponseProto, FinishApplicationMasterRequestProto,
    FinishApplicationMasterResponseProto, RegisterApplicationMasterRequestProto,
    RegisterApplicationMasterResponseProto,
};
use spindle_protocol::token::{AmRmTokenIdentifier, Token};
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::server::{AmCaller, ApplicationMasterProtocol};
use spindle_protocol::yarn::{APPLICATION_MASTER_PROTOCOL, YarnError};

/// ApplicationMasterProtocol as the AM calls it.
pub trait AmRmCalls: Send + Sync + 'static {
    /// `registerApplicationMaster`.
    fn register(
        &self,
        request: &RegisterApplicationMasterRequestProto,
    ) -> impl Future<Output = Result<RegisterApplicationMasterResponseProto, YarnError>> + Send;

    /// `allocate`.
    fn allocate(
        &self,
        request: &AllocateRequestProto,
    ) -> impl Future<Output = Result<AllocateResponseProto, YarnError>> + Send;

    /// `finishApplicationMaster`.
    fn finish(
        &self,
        request: &FinishApplicationMasterRequestProto,
    ) -> impl Future<Output = Result<FinishApplicationMasterResponseProto, YarnError>> + Send;
}

impl AmRmCalls for AmRmClient {
    async fn register(
        &self,
        request: &RegisterApplicationMasterRequestProto,
    ) -> Result<RegisterApplicationMasterResponseProto, YarnError> {
        self.register_application_master(request).await
    }

    async fn allocate(
        &self,
        request: &AllocateRequestProto,
    ) -> Result<AllocateResponseProto, YarnError> {
        AmRmClient::allocate(self, request).await
    }

    async fn finish(
        &self,
        request: &FinishApplicationMasterRequestProto,
    ) -> Result<FinishApplicationMasterResponseProto, YarnError> {
        self.finish_application_master(request).await
    }
}

/// Calls an `ApplicationMasterProtocol` implementation in this process, as the attempt whose
/// AMRMToken it holds. The server sees the same caller (token identifier and user) it would see
/// over the network.
pub struct InProcess<S> {
    server: Arc<S>,
    identifier: AmRmTokenIdentifier,
    raw_identifier: Vec<u8>,
    call_id: AtomicI32,
}

impl<S: ApplicationMasterProtocol> InProcess<S> {
    /// Calls `server` as the holder of `amrm_token`.
    pub fn new(server: Arc<S>, amrm_token: &Token) -> Result<Self, YarnError> {
        let identifier = AmRmTokenIdentifier::decode(&amrm_token.identifier).map_err(|e| {
            YarnError::Other(RemoteError {
                class_name: spindle_protocol::java_class::INVALID_TOKEN.into(),
                message: format!("the AMRMToken's identifier does not decode: {e}"),
                code: None,
                fatal: false,
            })
        })?;
        Ok(InProcess {
            server,
            identifier,
            raw_identifier: amrm_token.identifier.clone(),
            call_id: AtomicI32::new(0),
        })
    }

    fn caller(&self) -> AmCaller {
        AmCaller {
            identifier: self.identifier.clone(),
            ctx: CallContext {
                user: self.identifier.user(),
                auth: CallerAuth::Token {
                    identifier: self.raw_identifier.clone(),
                },
                protocol: APPLICATION_MASTER_PROTOCOL.to_string(),
                peer: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
                call_id: self.call_id.fetch_add(1, Ordering::Relaxed),
                client_id: Vec::new(),
            },
        }
    }
}

fn remote(e: ServiceError) -> YarnError {
    YarnError::from_remote(RemoteError {
        class_name: e.class_name,
        message: e.message,
        code: None,
        fatal: false,
    })
}

/// The three ApplicationMasterProtocol calls, each `$call(request) -> $Reply` going to
/// `$target`, for an implementation whose body is `$through(self, target method, request)`.
macro_rules! am_rm_calls {
    ($through:ident) => {
        $crate::yarn::calls::am_rm_calls!(@each $through,
            register(spindle_protocol::proto::yarn_service::RegisterApplicationMasterRequestProto)
                -> spindle_protocol::proto::yarn_service::RegisterApplicationMasterResponseProto
                = register_application_master,
            allocate(spindle_protocol::proto::yarn_service::AllocateRequestProto)
                -> spindle_protocol::proto::yarn_service::AllocateResponseProto = allocate,
            finish(spindle_protocol::proto::yarn_service::FinishApplicationMasterRequestProto)
                -> spindle_protocol::proto::yarn_service::FinishApplicationMasterResponseProto
                = finish_application_master,
        );
    };
    (@each $through:ident, $($call:ident($Req:ty) -> $Reply:ty = $target:ident,)*) => {
        $(
            async fn $call(
                &self,
                request: &$Req,
            ) -> Result<$Reply, spindle_protocol::yarn::YarnError> {
                $through!(self, $target, request)
            }
        )*
    };
}
pub(crate) use am_rm_calls;

macro_rules! in_process {
    ($self:ident, $target:ident, $request:ident) => {
        $self
            .server
            .$target($self.caller(), $request.clone())
            .await
            .map_err(remote)
    };
}

impl<S: ApplicationMasterProtocol> AmRmCalls for InProcess<S> {
    am_rm_calls!(in_process);
}
