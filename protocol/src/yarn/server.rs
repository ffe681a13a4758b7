//! Server side of the YARN protocols: the per-call caller checks and what the protocol tables
//! generate for servers, gathered here. The tables themselves (one per protocol, see
//! [`crate::ipc_protocol!`]) are in [`super::am`], [`super::nm`] and [`super::client`]; each
//! yields one trait with one async method per RPC and an adapter ([`AmService`], [`NmService`],
//! [`ClientService`]) that implements [`crate::ipc::Service`].
//!
//! An adapter, for each call: rejects unknown methods (`RpcNoSuchMethodException`,
//! `ERROR_NO_SUCH_METHOD`), decodes the request (`RpcServerException` when it cannot),
//! enforces per-call authentication, calls the trait and encodes the reply.
//!
//! Per-call authentication, as the real RM and NM do it:
//! * ApplicationMasterProtocol: the connection must be TOKEN-authenticated with an
//!   AMRMTokenIdentifier whose user is the caller, else
//!   `org.apache.hadoop.yarn.exceptions.YarnException` "No AMRMToken found for user X" (the class
//!   a real RM uses; clients sort it into [`YarnError::AccessDenied`](super::YarnError)).
//! * ContainerManagementProtocol: likewise with an NMTokenIdentifier ("Invalid NMToken").
//! * ApplicationClientProtocol: any authenticated caller (SIMPLE included).

use crate::ids::{ApplicationAttemptId, NodeId};
use crate::ipc::{CallContext, CallerAuth, ServiceError};
use crate::token::{AmRmTokenIdentifier, AttemptTokenIdentifier, NmTokenIdentifier};
use crate::yarn::error::YARN_EXCEPTION;

pub use super::am::{AmService, ApplicationMasterProtocol};
pub use super::client::{ApplicationClientProtocol, ClientService};
pub use super::nm::{ContainerManagementProtocol, NmService};

/// The error a default (unimplemented) RPC returns.
pub fn unsupported(method: &str) -> ServiceError {
    ServiceError::new(
        YARN_EXCEPTION,
        format!("{method} is not supported by this server"),
    )
}

/// A caller whose connection authenticated with a token of type `I` (an AMRMToken or an
/// NMToken) issued to the connection's user.
#[derive(Debug, Clone)]
pub struct TokenCaller<I> {
    /// The identifier of the token the connection authenticated with.
    pub identifier: I,
    /// The call context.
    pub ctx: CallContext,
}

/// An AM caller whose AMRMToken was verified.
pub type AmCaller = TokenCaller<AmRmTokenIdentifier>;

/// An NM caller whose NMToken was verified.
pub type NmCaller = TokenCaller<NmTokenIdentifier>;

impl<I: AttemptTokenIdentifier> TokenCaller<I> {
    /// The calling attempt.
    pub fn attempt_id(&self) -> ApplicationAttemptId {
        self.identifier.attempt()
    }
}

impl NmCaller {
    /// The node the NMToken was issued for.
    pub fn node_id(&self) -> &NodeId {
        &self.identifier.node_id
    }
}

/// The caller when the connection authenticated with an `I` token of its own user, else a
/// plain `YarnException` (what a real RM and NM throw, through
/// `RPCUtil.getRemoteException(message)`) saying `refusal` and the user.
fn token_caller<I: AttemptTokenIdentifier>(
    ctx: CallContext,
    refusal: &str,
) -> Result<TokenCaller<I>, ServiceError> {
    if let CallerAuth::Token { identifier } = &ctx.auth
        && let Ok(id) = I::decode_identifier(identifier)
        && id.attempt().to_string() == ctx.user
    {
        return Ok(TokenCaller {
            identifier: id,
            ctx,
        });
    }
    Err(ServiceError::new(
        YARN_EXCEPTION,
        format!("{refusal} {}", ctx.user),
    ))
}

/// The caller check of ApplicationMasterProtocol: the connection authenticated with an
/// AMRMToken whose user is the connection's user.
pub fn am_caller(ctx: CallContext) -> Result<AmCaller, ServiceError> {
    token_caller(ctx, "No AMRMToken found for user")
}

/// The caller check of ContainerManagementProtocol: the connection authenticated with an
/// NMToken whose user is the connection's user.
pub fn nm_caller(ctx: CallContext) -> Result<NmCaller, ServiceError> {
    token_caller(ctx, "Invalid NMToken: no NMToken found for user")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bytes::Bytes;
    use prost::Message;

    use super::*;
    use crate::ipc::Service;
    use crate::proto::rpc::RpcErrorCodeProto;
    use crate::proto::yarn_service::*;
    use crate::yarn::am::RawAmRmClient;
    use crate::yarn::client::ApplicationClient;
    use crate::yarn::error::YARN_EXCEPTION;
    use crate::yarn::nm::ContainerManagerClient;
    use crate::yarn::{APPLICATION_MASTER_PROTOCOL, CONTAINER_MANAGEMENT_PROTOCOL};

    /// `getQueueUserAcls` → `get_queue_user_acls`.
    fn snake_case(wire: &str) -> String {
        let mut out = String::new();
        for c in wire.chars() {
            if c.is_ascii_uppercase() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn every_table_row_pairs_the_wire_name_with_its_rust_name() {
        for (methods, count) in [
            (RawAmRmClient::METHODS, 3),
            (ContainerManagerClient::METHODS, 12),
            (ApplicationClient::METHODS, 35),
        ] {
            assert_eq!(methods.len(), count, "{methods:?}");
            for (wire, rust) in methods {
                assert_eq!(snake_case(wire), *rust);
            }
        }
    }

    /// Answers every call with an empty reply and counts the calls that got through.
    #[derive(Default)]
    struct Counting {
        calls: std::sync::atomic::AtomicUsize,
    }

    impl Counting {
        fn hit(&self) {
            self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// Trait methods that count the call and answer an empty reply.
    macro_rules! counted {
        ($($method:ident($caller:ty, $request:ty) -> $response:ty;)*) => {
            $(
                async fn $method(
                    &self,
                    _caller: $caller,
                    _request: $request,
                ) -> Result<$response, ServiceError> {
                    self.hit();
                    Ok(Default::default())
                }
            )*
        };
    }

    impl ApplicationMasterProtocol for Counting {
        counted! {
            register_application_master(AmCaller, RegisterApplicationMasterRequestProto)
                -> RegisterApplicationMasterResponseProto;
            finish_application_master(AmCaller, FinishApplicationMasterRequestProto)
                -> FinishApplicationMasterResponseProto;
        }

        /// Answers with the caller's attempt number, so a test sees what the trait saw.
        async fn allocate(
            &self,
            c: AmCaller,
            _r: AllocateRequestProto,
        ) -> Result<AllocateResponseProto, ServiceError> {
            self.hit();
            Ok(AllocateResponseProto {
                response_id: Some(c.attempt_id().attempt_id),
                ..Default::default()
            })
        }
    }

    impl ContainerManagementProtocol for Counting {
        counted! {
            start_containers(NmCaller, StartContainersRequestProto) -> StartContainersResponseProto;
            stop_containers(NmCaller, StopContainersRequestProto) -> StopContainersResponseProto;
            get_container_statuses(NmCaller, GetContainerStatusesRequestProto)
                -> GetContainerStatusesResponseProto;
        }
    }

    fn ctx(user: &str, auth: CallerAuth) -> CallContext {
        CallContext {
            user: user.into(),
            auth,
            protocol: APPLICATION_MASTER_PROTOCOL.into(),
            peer: "127.0.0.1:1".parse().unwrap(),
            call_id: 0,
            client_id: vec![0; 16],
        }
    }

    /// A connection that authenticated with the token `identifier` of `user`.
    fn token_ctx(user: String, identifier: Vec<u8>) -> CallContext {
        ctx(&user, CallerAuth::Token { identifier })
    }

    fn am_token_ctx() -> CallContext {
        let id = AmRmTokenIdentifier {
            attempt_id: "appattempt_1_0002_000003".parse().unwrap(),
            key_id: 1,
        };
        token_ctx(id.user(), id.encode())
    }

    fn nm_token_ctx() -> CallContext {
        let id = NmTokenIdentifier {
            attempt_id: "appattempt_1_0002_000003".parse().unwrap(),
            node_id: NodeId::new("h", 1),
            app_submitter: "u".into(),
            key_id: 1,
        };
        token_ctx(id.user(), id.encode())
    }

    #[tokio::test]
    async fn am_adapter_orders_method_decode_auth_call() {
        let inner = Arc::new(Counting::default());
        let svc = AmService::new(inner.clone());
        assert_eq!(svc.protocol_name(), APPLICATION_MASTER_PROTOCOL);

        let err = svc
            .call(am_token_ctx(), "nope", Bytes::new())
            .await
            .unwrap_err();
        assert_eq!(err.code, RpcErrorCodeProto::ErrorNoSuchMethod as i32);

        let err = svc
            .call(
                am_token_ctx(),
                "allocate",
                Bytes::from_static(&[0x0a, 0x7f]),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code, RpcErrorCodeProto::ErrorRpcServer as i32, "{err}");

        let err = svc
            .call(ctx("mallory", CallerAuth::Simple), "allocate", Bytes::new())
            .await
            .unwrap_err();
        assert_eq!(err.class_name, YARN_EXCEPTION);
        assert_eq!(err.message, "No AMRMToken found for user mallory");

        // A token whose user is not the connection's user is not accepted either.
        let mut wrong_user = am_token_ctx();
        wrong_user.user = "appattempt_1_0002_000004".into();
        assert!(
            svc.call(wrong_user, "allocate", Bytes::new())
                .await
                .is_err()
        );
        // An NMToken identifier is not an AMRMToken identifier.
        let err = svc
            .call(nm_token_ctx(), "allocate", Bytes::new())
            .await
            .unwrap_err();
        assert_eq!(err.class_name, YARN_EXCEPTION);
        assert_eq!(inner.calls.load(std::sync::atomic::Ordering::SeqCst), 0);

        let reply = svc
            .call(am_token_ctx(), "allocate", Bytes::new())
            .await
            .unwrap();
        let resp = AllocateResponseProto::decode(reply.as_ref()).unwrap();
        assert_eq!(
            resp.response_id,
            Some(3),
            "the trait saw the token's attempt"
        );
        assert_eq!(inner.calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn optional_methods_answer_not_supported_and_required_ones_run() {
        let inner = Arc::new(Counting::default());
        let svc = NmService::new(inner.clone());
        assert_eq!(svc.protocol_name(), CONTAINER_MANAGEMENT_PROTOCOL);
        for (i, (wire, _)) in ContainerManagerClient::METHODS.iter().enumerate() {
            let result = svc.call(nm_token_ctx(), wire, Bytes::new()).await;
            if i < 3 {
                assert!(result.is_ok(), "{wire}: {result:?}");
            } else {
                let err = result.unwrap_err();
                assert_eq!(err.class_name, YARN_EXCEPTION);
                assert_eq!(
                    err.message,
                    format!("{wire} is not supported by this server")
                );
            }
        }
        assert_eq!(inner.calls.load(std::sync::atomic::Ordering::SeqCst), 3);
        // The caller check runs before an optional method too.
        let err = svc
            .call(ctx("mallory", CallerAuth::Simple), "localize", Bytes::new())
            .await
            .unwrap_err();
        assert_eq!(
            err.message,
            "Invalid NMToken: no NMToken found for user mallory"
        );
    }

    #[tokio::test]
    async fn garbage_requests_never_reach_the_implementation() {
        let inner = Arc::new(Counting::default());
        let svc = AmService::new(inner.clone());
        let mut seed: u32 = 12345;
        for len in 0..200usize {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (seed >> 16) as u8
                })
                .collect();
            for method in [
                "registerApplicationMaster",
                "allocate",
                "finishApplicationMaster",
            ] {
                // Either a clean decode (then the call runs) or a bad-request error; no panic.
                if let Err(e) = svc
                    .call(am_token_ctx(), method, Bytes::from(bytes.clone()))
                    .await
                {
                    assert_eq!(e.code, RpcErrorCodeProto::ErrorRpcServer as i32, "{e}");
                }
            }
        }
    }
}
