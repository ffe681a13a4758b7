//! What a launch reports: [`LaunchEvent`] (typed ids, typed error) and [`NmCallError`].

use std::time::Duration;

use spindle_protocol::ids::{ContainerId, NodeId};
use spindle_protocol::yarn::YarnError;

/// The outcome of a launch, one per accepted [`NmLauncher::launch`](super::NmLauncher::launch).
#[derive(Debug)]
pub enum LaunchEvent {
    /// The NodeManager accepted the container.
    Started {
        /// The container.
        container_id: ContainerId,
        /// The node it was started on.
        node: NodeId,
    },
    /// The container was not started; release it.
    Failed {
        /// The container.
        container_id: ContainerId,
        /// The node it was to start on.
        node: NodeId,
        /// What went wrong.
        error: NmCallError,
    },
}

impl LaunchEvent {
    /// The container the event is about.
    pub fn container_id(&self) -> ContainerId {
        match self {
            LaunchEvent::Started { container_id, .. }
            | LaunchEvent::Failed { container_id, .. } => *container_id,
        }
    }

    /// The node the container was to start on.
    pub fn node(&self) -> &NodeId {
        match self {
            LaunchEvent::Started { node, .. } | LaunchEvent::Failed { node, .. } => node,
        }
    }
}

impl std::fmt::Display for LaunchEvent {
    /// One line for the log; a failure reads as Spark's, fit for the container's release reason.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LaunchEvent::Started { container_id, node } => {
                write!(f, "container {container_id} started on {node}")
            }
            LaunchEvent::Failed {
                container_id,
                node,
                error,
            } => write!(
                f,
                "Exception while starting container {container_id} on host {node}: {error}"
            ),
        }
    }
}

/// Why a call to a NodeManager failed.
#[derive(Debug, thiserror::Error)]
pub enum NmCallError {
    /// The container record lacks a field the call needs.
    #[error("the container record has no {0}")]
    Incomplete(&'static str),
    /// The container id or node id in the record is malformed.
    #[error("the container record is malformed: {0}")]
    Malformed(String),
    /// No NMToken is known for the node.
    #[error(
        "no NMToken for node {node} (looked up as {services:?}); the RM sends one with the node's first container"
    )]
    NoNmToken {
        /// The node.
        node: String,
        /// The service strings tried.
        services: Vec<String>,
    },
    /// The call did not finish in time.
    #[error("no answer from the NodeManager within {0:?}")]
    Timeout(Duration),
    /// The NodeManager refused this container.
    #[error("the NodeManager refused the container: {class}: {message}")]
    Refused {
        /// The Java exception class.
        class: String,
        /// The message.
        message: String,
    },
    /// The NodeManager answered without mentioning the container.
    #[error("the NodeManager did not report on the container")]
    NoAnswer,
    /// The RPC failed.
    #[error(transparent)]
    Rpc(#[from] YarnError),
}
