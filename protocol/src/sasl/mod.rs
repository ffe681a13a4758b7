//! SASL for Hadoop IPC: SIMPLE and TOKEN/DIGEST-MD5 (quality of protection `auth`).
//!
//! Everything here is sans-I/O: the negotiation state machines take and return
//! [`RpcSaslProto`](crate::proto::rpc::RpcSaslProto) messages and the IPC layer moves them.
//! * [`digest_md5`]: the DIGEST-MD5 mechanism (client and server).
//! * [`client`]: the client negotiation (NEGOTIATE → INITIATE → [CHALLENGE/RESPONSE] → SUCCESS,
//!   or fallback to SIMPLE).
//! * [`server`]: the server negotiation, checking tokens with a [`SecretManager`].

pub mod client;
pub mod digest_md5;
pub mod directives;
mod error;
mod secret;
pub mod server;

pub use client::{ClientStep, SaslClient, SaslOutcome, TokenCredentials};
pub use error::SaslError;
pub use secret::{CallerAuth, InvalidToken, SecretManager, TokenIdentity};
pub use server::{Authenticated, SaslServer, ServerStep};

/// `SaslAuth.method` for token authentication.
pub const METHOD_TOKEN: &str = "TOKEN";
/// `SaslAuth.method` for simple (trust the claimed user) authentication.
pub const METHOD_SIMPLE: &str = "SIMPLE";
/// `SaslAuth.mechanism` for TOKEN.
pub const MECHANISM_DIGEST_MD5: &str = "DIGEST-MD5";
