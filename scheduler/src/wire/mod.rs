//! The scheduler's wire: RPC tables (`spindle_protocol::ipc_protocol!`) over Hadoop IPC ([`rpc`]), core ⇄
//! message conversions ([`convert`]), and how clients and servers are configured (token
//! authentication only, bounded timeouts).

pub mod convert;
pub mod rpc;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use spindle_protocol::ipc::{ClientConfig, RetryPolicy, ServerConfig, ServiceError};

use crate::auth::{AppSecret, AppSecretManager, Role};

pub use rpc::{
    AmClient, AmProtocol, AmProtocolService, Caller, DriverClient, DriverProtocol,
    DriverProtocolService,
};

/// Error class of a refused registration or an unknown executor: the executor must exit.
pub const REFUSED_CLASS: &str = "spindle.scheduler.ExecutorRefusedException";

/// A refusal as an RPC error.
pub fn refused(message: impl Into<String>) -> ServiceError {
    ServiceError::new(REFUSED_CLASS, message)
}

/// A message over its bounds as an RPC error.
pub fn bad_request(e: crate::limits::LimitError) -> ServiceError {
    ServiceError::bad_request(e.field, e.problem)
}

/// A server configuration for the driver (accepting executors and the AM) or the AM
/// (accepting the driver): application tokens only, no SIMPLE.
pub fn server_config(bind: SocketAddr, secret: &AppSecret, roles: Vec<Role>) -> ServerConfig {
    let mut config = ServerConfig::new(bind);
    config.secret_manager = Some(Arc::new(AppSecretManager::new(secret.clone(), roles)));
    config.allow_simple = false;
    config.handshake_timeout = Duration::from_secs(10);
    config.shutdown_grace = Duration::from_secs(2);
    config
}

/// Client settings; the generated clients set the protocol name and version.
fn client_config(
    addr: &str,
    secret: &AppSecret,
    role: Role,
    name: &str,
    call_timeout: Duration,
) -> ClientConfig {
    let mut config = ClientConfig::new(addr, "", secret.client_auth(role, name));
    config.connect_timeout = Duration::from_secs(10);
    config.call_timeout = call_timeout;
    // The callers retry on their own terms (executors until their driver timeout).
    config.retry = RetryPolicy::none();
    config.max_idle = Duration::from_secs(600);
    config
}

/// A client of the driver at `addr` for `role`/`name`.
pub fn driver_client(
    addr: &str,
    secret: &AppSecret,
    role: Role,
    name: &str,
    call_timeout: Duration,
) -> DriverClient {
    DriverClient::new(client_config(addr, secret, role, name, call_timeout))
}

/// A client of the AM at `addr` (the driver's).
pub fn am_client(addr: &str, secret: &AppSecret, call_timeout: Duration) -> AmClient {
    AmClient::new(client_config(
        addr,
        secret,
        Role::Driver,
        "driver",
        call_timeout,
    ))
}
