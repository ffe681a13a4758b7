//! Protobuf messages, written by hand as prost structs (not generated from Hadoop's files), one
//! line per field with [`proto_messages!`](crate::proto_messages).
//!
//! * [`rpc`]: `hadoop.common` IPC messages (RpcHeader, IpcConnectionContext, ProtobufRpcEngine2, SASL).
//! * [`security`]: `hadoop.common` TokenProto / CredentialsProto and YARN token identifiers.
//! * [`yarn`]: `hadoop.yarn` records (yarn_protos.proto).
//! * [`yarn_service`]: `hadoop.yarn` request/response messages (yarn_service_protos.proto).

mod declare;
pub mod rpc;
pub mod security;
pub mod yarn;
pub mod yarn_service;
