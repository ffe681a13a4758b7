//! [`ClusterError`]: why a cluster could not be started or a hook failed.

use std::path::PathBuf;

/// Why a [`crate::MiniCluster`] operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The options describe no usable cluster.
    #[error("invalid mini cluster options: {0}")]
    Options(String),
    /// A server could not bind its address.
    #[error("cannot bind the {what} at {addr}: {source} (is the port taken?)")]
    Bind {
        /// Which server.
        what: String,
        /// The address.
        addr: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A folder or file of the cluster could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A NodeManager's container runner could not start.
    #[error("cannot start the container runner of node {node}: {reason}")]
    Runner {
        /// The node index.
        node: usize,
        /// What went wrong.
        reason: String,
    },
    /// A hook named a node that does not exist.
    #[error("no node {0} in this cluster")]
    NoSuchNode(usize),
    /// A hook does not apply in the cluster's current state.
    #[error("{0}")]
    State(String),
    /// A call to the cluster's own ResourceManager failed.
    #[error("the ResourceManager refused {call}: {reason}")]
    Call {
        /// The call.
        call: &'static str,
        /// Why.
        reason: String,
    },
    /// Must be called inside a tokio runtime.
    #[error("the mini cluster must be started inside a tokio runtime")]
    NoRuntime,
}
