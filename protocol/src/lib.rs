//! # spindle-protocol
//!
//! YARN's real wire protocol, written in Rust: Hadoop IPC v9 framing, an async client and
//! server on tokio, SASL (SIMPLE and TOKEN/DIGEST-MD5 as Hadoop uses it), delegation-style
//! tokens and credentials files, the YARN records as hand-written prost messages, and typed
//! clients and server traits for the three YARN protocols an application needs.
//!
//! Layering (lowest first): [`proto`] and [`writable`] (bytes ⇄ values), [`ids`], [`token`]
//! and [`credentials`], [`sasl`], [`ipc`] (connections), [`yarn`] (typed protocols).
//!
//! The wire facts this code relies on (framing, call ids, SASL, token formats, YARN record
//! rules) are written down in the repository's `docs/wire.md`.

pub mod credentials;
pub mod ids;
pub mod ipc;
pub mod proto;
pub mod sasl;
pub mod token;
pub mod writable;
pub mod yarn;
