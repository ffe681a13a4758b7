//! Checking the container token of a `startContainers` request the way a NodeManager does: the
//! password must be the cluster's, the token must name this node, belong to the NMToken's
//! application, and not be expired.

use spindle_protocol::ids::{ApplicationAttemptId, NodeId};
use spindle_protocol::proto::security::TokenProto;
use spindle_protocol::token::{ContainerTokenIdentifier, KIND_CONTAINER_TOKEN, Token};
use spindle_protocol::yarn::error::{INVALID_TOKEN, YARN_EXCEPTION};

use crate::rm::tokens::ClusterSecrets;

/// A refused container token: the Java exception class and message the NM reports in
/// `failed_requests`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{class_name}: {message}")]
pub struct TokenRefused {
    /// Java exception class.
    pub class_name: String,
    /// Message.
    pub message: String,
}

fn refused(class: &str, message: String) -> TokenRefused {
    TokenRefused {
        class_name: class.to_string(),
        message,
    }
}

/// Checks `token` for a start on node `node` by `caller` at `now_ms`; returns the identifier.
pub fn verify(
    secrets: &ClusterSecrets,
    node: &NodeId,
    token: Option<&TokenProto>,
    caller: ApplicationAttemptId,
    now_ms: i64,
) -> Result<ContainerTokenIdentifier, TokenRefused> {
    let Some(token) = token else {
        return Err(refused(
            INVALID_TOKEN,
            format!("Invalid ContainerToken: no container token in the request to {node}"),
        ));
    };
    let token = Token::from_proto(token);
    if token.kind != KIND_CONTAINER_TOKEN {
        return Err(refused(
            INVALID_TOKEN,
            format!(
                "Invalid ContainerToken: expected kind {KIND_CONTAINER_TOKEN}, got '{}'",
                token.kind
            ),
        ));
    }
    let ident = token.container_identifier().map_err(|e| {
        refused(
            INVALID_TOKEN,
            format!("Invalid ContainerToken: cannot decode its identifier: {e}"),
        )
    })?;
    if !secrets.container_token_valid(&token) {
        return Err(refused(
            INVALID_TOKEN,
            format!(
                "Invalid container token used for starting container on : {node} (password mismatch for {})",
                ident.container_id
            ),
        ));
    }
    if ident.nm_host_addr() != node.to_string() {
        return Err(refused(
            INVALID_TOKEN,
            format!(
                "Given Container {} identifier is not valid for current Node manager. Expected : {node} Found : {}",
                ident.container_id,
                ident.nm_host_addr()
            ),
        ));
    }
    let owner = ident.container_id.application_attempt_id;
    if owner.application_id != caller.application_id {
        return Err(refused(
            YARN_EXCEPTION,
            format!(
                "Unauthorized request to start container. \nNMToken for application attempt : {caller} was used for starting container with container token issued for application attempt : {owner}"
            ),
        ));
    }
    if ident.expiry_time_stamp() < now_ms {
        return Err(refused(
            YARN_EXCEPTION,
            format!(
                "Unauthorized request to start container. \nThis token is expired. current time is {now_ms} found {}\nNote: System times on machines may be out of sync. Check system time and time zones.",
                ident.expiry_time_stamp()
            ),
        ));
    }
    Ok(ident)
}
