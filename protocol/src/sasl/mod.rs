//! SASL for Hadoop IPC: SIMPLE, TOKEN/DIGEST-MD5 and KERBEROS/GSSAPI, with the qualities of
//! protection `auth`, `auth-int` and `auth-conf` (Hadoop's `hadoop.rpc.protection`).
//!
//! The negotiation state machines take and return
//! [`RpcSaslProto`](crate::proto::rpc::RpcSaslProto) messages and the IPC layer moves them;
//! they do no I/O, except that a Kerberos client's first step asks the KDC for a ticket.
//! * [`digest_md5`]: the DIGEST-MD5 mechanism (client and server).
//! * [`gssapi`]: the GSSAPI mechanism (RFC 4752) for KERBEROS, over [`crate::gssapi`].
//! * [`qop`]: [`Qop`], `hadoop.rpc.protection` parsing and the choice rule.
//! * [`layer`]: the [`SecurityLayer`] integrity and privacy leave behind, and
//!   [`digest_layer`], DIGEST-MD5's (RFC 2831 §2.3–2.4).
//! * [`client`]: the client negotiation (NEGOTIATE → INITIATE → [CHALLENGE/RESPONSE] → SUCCESS,
//!   or fallback to SIMPLE).
//! * [`server`]: the server negotiation, checking tokens with a [`SecretManager`].

pub mod client;
pub mod digest_layer;
pub mod digest_md5;
pub mod directives;
mod error;
pub mod gssapi;
pub mod layer;
pub mod qop;
mod secret;
pub mod server;

pub use client::{ClientStep, KerberosClient, SaslClient, SaslOutcome, TokenCredentials};
pub use error::SaslError;
pub use gssapi::{MECHANISM_GSSAPI, METHOD_KERBEROS};
pub use layer::{SecurityLayer, Unwrap, Wrap};
pub use qop::{Qop, parse_protection};
pub use secret::{CallerAuth, InvalidToken, SecretManager, TokenIdentity};
pub use server::{Authenticated, SaslServer, ServerStep};

/// `SaslAuth.method` for token authentication.
pub const METHOD_TOKEN: &str = "TOKEN";
/// `SaslAuth.method` for simple (trust the claimed user) authentication.
pub const METHOD_SIMPLE: &str = "SIMPLE";
/// `SaslAuth.mechanism` for TOKEN.
pub const MECHANISM_DIGEST_MD5: &str = "DIGEST-MD5";
