//! ContainerManagementProtocol of an embedded NM. The adapter
//! ([`spindle_protocol::yarn::server::NmService`]) has already checked that the caller
//! authenticated with an NMToken (for this node: the node's secret manager refuses others);
//! here each container is checked against that token's application and its container token.
//! Per-container refusals go into `failed_requests`, as a real NM reports them.

use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use spindle_launcher::StopReason;
use spindle_protocol::ids::{ApplicationAttemptId, ContainerId};
use spindle_protocol::ipc::{InvalidToken, SecretManager, ServiceError, TokenIdentity};
use spindle_protocol::proto::yarn::{ContainerIdProto, SerializedExceptionProto};
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::error::YARN_EXCEPTION;
use spindle_protocol::yarn::secret::NmTokenSecretManager;
use spindle_protocol::yarn::server::{ContainerManagementProtocol, NmCaller};

use super::container_tokens::verify;
use super::node::NodeManager;

/// The RPC face of a [`NodeManager`]. It is created before the node (the node's id is the
/// port its server got), so the node is set once the server is bound.
#[derive(Debug, Default)]
pub struct NmRpc {
    nm: OnceLock<Arc<NodeManager>>,
}

impl NmRpc {
    /// A face with no node yet; every call fails until [`NmRpc::set_node`].
    pub fn new() -> Self {
        NmRpc::default()
    }

    /// Sets the node (once).
    pub fn set_node(&self, nm: Arc<NodeManager>) {
        let _ = self.nm.set(nm);
    }

    fn nm(&self) -> Result<&Arc<NodeManager>, ServiceError> {
        self.nm
            .get()
            .ok_or_else(|| ServiceError::new(NM_NOT_READY, "the NodeManager is starting"))
    }
}

/// Java class of "the NM is not ready yet".
pub const NM_NOT_READY: &str = "org.apache.hadoop.yarn.exceptions.NMNotYetReadyException";

/// An NMToken secret manager whose node is known only after the server is bound.
#[derive(Debug, Default)]
pub struct LateNmSecretManager {
    inner: OnceLock<NmTokenSecretManager>,
}

impl LateNmSecretManager {
    /// Sets the real manager (once).
    pub fn set(&self, sm: NmTokenSecretManager) {
        let _ = self.inner.set(sm);
    }
}

impl SecretManager for LateNmSecretManager {
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
        match self.inner.get() {
            Some(sm) => sm.retrieve_password(identifier),
            None => Err(InvalidToken("the NodeManager is starting".into())),
        }
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn failure(id: ContainerIdProto, class: &str, message: String) -> ContainerExceptionMapProto {
    ContainerExceptionMapProto {
        container_id: Some(id),
        exception: Some(SerializedExceptionProto {
            message: Some(message.clone()),
            trace: Some(format!("{class}: {message}")),
            class_name: Some(class.to_string()),
            cause: None,
        }),
    }
}

/// Checks that `caller` may act on container `id` (same application); the refusal otherwise.
fn authorize(
    caller: ApplicationAttemptId,
    raw: &ContainerIdProto,
    action: &str,
) -> Result<ContainerId, Box<ContainerExceptionMapProto>> {
    let id = ContainerId::from_proto(raw).map_err(|e| {
        Box::new(failure(
            raw.clone(),
            YARN_EXCEPTION,
            format!("invalid container id: {e}"),
        ))
    })?;
    if id.application_id() != caller.application_id {
        return Err(Box::new(failure(
            raw.clone(),
            YARN_EXCEPTION,
            format!(
                "Unauthorized request to {action} container.\nNMToken for application attempt : {caller} was used for {action} container with container token issued for application attempt : {}",
                id.application_attempt_id
            ),
        )));
    }
    Ok(id)
}

impl ContainerManagementProtocol for NmRpc {
    async fn start_containers(
        &self,
        caller: NmCaller,
        request: StartContainersRequestProto,
    ) -> Result<StartContainersResponseProto, ServiceError> {
        let nm = self.nm()?;
        let attempt = caller.attempt_id();
        let mut reply = StartContainersResponseProto::default();
        for req in &request.start_container_request {
            let ident = match verify(
                nm.secrets(),
                nm.node_id(),
                req.container_token.as_ref(),
                attempt,
                now_ms(),
            ) {
                Ok(i) => i,
                Err(e) => {
                    let id = req
                        .container_token
                        .as_ref()
                        .and_then(|t| {
                            spindle_protocol::token::Token::from_proto(t)
                                .container_identifier()
                                .ok()
                        })
                        .map(|i| i.container_id.to_proto())
                        .unwrap_or_else(|| ContainerId::new(attempt, 0).to_proto());
                    reply
                        .failed_requests
                        .push(failure(id, &e.class_name, e.message));
                    continue;
                }
            };
            let id = ident.container_id.to_proto();
            let Some(clc) = &req.container_launch_context else {
                reply.failed_requests.push(failure(
                    id,
                    YARN_EXCEPTION,
                    format!(
                        "Container {} has no container launch context",
                        ident.container_id
                    ),
                ));
                continue;
            };
            match nm.start_container(&ident, clc) {
                Ok(()) => reply.succeeded_requests.push(id),
                Err(e) => reply
                    .failed_requests
                    .push(failure(id, &e.class_name, e.message)),
            }
        }
        Ok(reply)
    }

    async fn stop_containers(
        &self,
        caller: NmCaller,
        request: StopContainersRequestProto,
    ) -> Result<StopContainersResponseProto, ServiceError> {
        let nm = self.nm()?;
        let mut reply = StopContainersResponseProto::default();
        let mut stopped = Vec::new();
        let handled = handled(
            nm,
            &caller,
            &request.container_id,
            "stop",
            &mut reply.failed_requests,
        );
        for (raw, id) in handled {
            nm.stop(&id, StopReason::KilledByAppMaster);
            stopped.push(id);
            reply.succeeded_requests.push(raw.clone());
        }
        nm.wait_exited(&stopped).await;
        Ok(reply)
    }

    async fn get_container_statuses(
        &self,
        caller: NmCaller,
        request: GetContainerStatusesRequestProto,
    ) -> Result<GetContainerStatusesResponseProto, ServiceError> {
        let nm = self.nm()?;
        let mut reply = GetContainerStatusesResponseProto::default();
        let handled = handled(
            nm,
            &caller,
            &request.container_id,
            "get status of",
            &mut reply.failed_requests,
        );
        for (raw, id) in handled {
            match nm.status(&id) {
                Some(s) => reply.status.push(s),
                // Forgotten between the two looks: as unknown as if never seen.
                None => reply.failed_requests.push(not_handled(nm, raw, &id)),
            }
        }
        Ok(reply)
    }
}

/// The containers of a stop or status request that `caller` may `action` and this node knows;
/// the others go to `failed` with the reason a NodeManager gives.
fn handled<'a>(
    nm: &NodeManager,
    caller: &NmCaller,
    ids: &'a [ContainerIdProto],
    action: &str,
    failed: &mut Vec<ContainerExceptionMapProto>,
) -> Vec<(&'a ContainerIdProto, ContainerId)> {
    let mut handled = Vec::new();
    for raw in ids {
        match authorize(caller.attempt_id(), raw, action) {
            Ok(id) if nm.knows(&id) => handled.push((raw, id)),
            Ok(id) => failed.push(not_handled(nm, raw, &id)),
            Err(refused) => failed.push(*refused),
        }
    }
    handled
}

fn not_handled(
    nm: &NodeManager,
    raw: &ContainerIdProto,
    id: &ContainerId,
) -> ContainerExceptionMapProto {
    failure(
        raw.clone(),
        YARN_EXCEPTION,
        format!(
            "Container {id} is not handled by this NodeManager {}",
            nm.node_id()
        ),
    )
}
