//! Typed YARN protocols on top of [`crate::ipc`]: helpers on the records ([`records`]),
//! error mapping ([`error`]), clients ([`am`], [`nm`], [`client`]) and server traits with
//! their [`crate::ipc::Service`] adapters ([`server`]).

pub mod records;
