//! Typed YARN protocols on top of [`crate::ipc`].
//!
//! * [`records`]: helpers on the records (asks, response ids, exit statuses, URLs, ...).
//! * [`resources`]: [`resources::Resources`] and the one conversion from and to `ResourceProto`.
//! * [`java_names`]: the Java names of the record enums (REST documents, printed states).
//! * [`error`]: [`YarnError`], remote failures sorted by Java class.
//! * One module per protocol, [`am`] (ApplicationMasterProtocol), [`nm`]
//!   (ContainerManagementProtocol) and [`client`] (ApplicationClientProtocol), each holding the
//!   protocol's one table of methods ([`crate::ipc_protocol!`]), which generates its server
//!   trait, its [`crate::ipc::Service`] adapter and its typed client, plus what is written by
//!   hand on top: [`am::AmRmClient`] (AMRMToken roll-over), [`nm::NmTokenCache`], constructors.
//! * [`delegation`]: RM delegation tokens (identifier, the RM's secret manager, the three
//!   calls served in front of ApplicationClientProtocol, when to renew).
//! * [`server`]: the per-call caller checks and the server-side names in one place; [`secret`]
//!   holds the AMRMToken and NMToken secret managers a mini RM/NM needs.

pub mod am;
pub mod client;
pub mod delegation;
pub mod error;
pub mod java_names;
pub mod nm;
pub mod records;
pub mod resources;
pub mod secret;
pub mod server;

pub use error::YarnError;

use crate::ipc::ClientAuth;
use crate::token::Token;

/// `declaringClassProtocolName` of ApplicationMasterProtocol (RM scheduler port, 8030).
pub const APPLICATION_MASTER_PROTOCOL: &str =
    "org.apache.hadoop.yarn.api.ApplicationMasterProtocolPB";
/// `declaringClassProtocolName` of ApplicationClientProtocol (RM client port, 8032).
pub const APPLICATION_CLIENT_PROTOCOL: &str =
    "org.apache.hadoop.yarn.api.ApplicationClientProtocolPB";
/// `declaringClassProtocolName` of ContainerManagementProtocol (NM port).
pub const CONTAINER_MANAGEMENT_PROTOCOL: &str =
    "org.apache.hadoop.yarn.api.ContainerManagementProtocolPB";
/// Protocol version of every YARN protocol.
pub const YARN_PROTOCOL_VERSION: u64 = 1;

/// SASL TOKEN authentication with `token`; `fallback_user` is used only if the server offers
/// SIMPLE alone.
pub fn token_auth(token: &Token, fallback_user: impl Into<String>) -> ClientAuth {
    ClientAuth::Token {
        identifier: token.identifier.clone(),
        password: token.password.clone(),
        user: fallback_user.into(),
    }
}
