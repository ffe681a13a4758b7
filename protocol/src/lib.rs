//! # spindle-protocol
//!
//! YARN's real wire protocol, written in Rust: Hadoop IPC v9 framing, an async client and
//! server on tokio, SASL (SIMPLE, TOKEN/DIGEST-MD5 and KERBEROS/GSSAPI as Hadoop uses them,
//! with integrity and privacy), delegation-style
//! tokens and credentials files, the YARN records as hand-written prost messages, and typed
//! clients and server traits for the three YARN protocols an application needs.
//!
//! Layering (lowest first): [`proto`] and [`writable`] (bytes ⇄ values), [`ids`], [`token`]
//! and [`credentials`], [`gssapi`] (Kerberos through the system library, loaded at run time;
//! the crate's only `unsafe` code, in `gssapi/ffi.rs`), [`sasl`], [`ipc`] (connections),
//! [`yarn`] (typed protocols).
//!
//! The wire facts this code relies on (framing, call ids, SASL, token formats, YARN record
//! rules) are written down in the repository's `docs/wire.md`.

#![deny(unsafe_code)]

pub mod credentials;
pub mod gssapi;
pub mod ids;
pub mod ipc;
pub mod java_class;
pub mod proto;
pub mod sasl;
pub mod token;
pub mod writable;
pub mod yarn;
