//! Hadoop IPC v9 connections: framing, client and server.
//!
//! * [`frame`]: the length-prefixed frame codec and delimited-message helpers.
//! * [`header`]: protocol constants and builders for every frame.
//! * [`IpcClient`]: a multiplexing client (SIMPLE or TOKEN auth, pings, idle close, reconnect).
//! * [`IpcServer`]: a server dispatching to [`Service`]s (SIMPLE and/or TOKEN auth).
//! * [`wrap`]: frames under an integrity/privacy security layer (SASL WRAP).
//! * [`rpc_table`]: the support of [`ipc_protocol!`](crate::ipc_protocol), which generates a
//!   protocol's server trait, `Service` adapter and typed client from one table.

mod client;
mod error;
pub mod frame;
pub mod header;
pub mod rpc_table;
mod server;
pub mod wrap;

pub use client::{ClientAuth, ClientConfig, IpcClient, RetryPolicy};
pub use error::{IpcError, RemoteError};
pub use rpc_table::any_caller;
pub use server::preamble::{HTTP_REPLY, version_mismatch_frame};
pub use server::{
    CallContext, CallFuture, DEFAULT_MAX_SASL_FRAME_LEN, IpcServer, ServerConfig, Service,
    ServiceError,
};

pub use crate::sasl::{CallerAuth, InvalidToken, SecretManager, TokenIdentity};

/// Resolves once `flag` becomes true (or its sender is gone).
pub(crate) async fn wait_until_set(flag: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = flag.wait_for(|set| *set).await;
}
