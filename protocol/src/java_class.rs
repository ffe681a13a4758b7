//! The Java class names of the exceptions Hadoop's IPC, SASL and security layers report, which
//! a Java client sees as the remote exception's class (and rethrows as that class when it
//! knows it). One list, so that every server of ours names each failure the way Hadoop does.
//! YARN's own exception classes, and how a caller sorts them, are in
//! [`yarn::error`](crate::yarn::error).

/// A caller that is not allowed: no or the wrong authentication, a refused token operation.
pub const ACCESS_CONTROL: &str = "org.apache.hadoop.security.AccessControlException";
/// A protocol the caller's principal may not use (service-level ACLs).
pub const AUTHORIZATION: &str = "org.apache.hadoop.security.authorize.AuthorizationException";
/// A token the server does not accept (expired, unknown key, wrong password).
pub const INVALID_TOKEN: &str = "org.apache.hadoop.security.token.SecretManager$InvalidToken";
/// A failed SASL exchange or security layer.
pub const SASL: &str = "javax.security.sasl.SaslException";
/// Java's generic I/O failure: what to retry later.
pub const IO: &str = "java.io.IOException";
/// A request the IPC server could not handle (undecodable header or body).
pub const RPC_SERVER: &str = "org.apache.hadoop.ipc.RpcServerException";
/// A method the protocol does not have.
pub const RPC_NO_SUCH_METHOD: &str = "org.apache.hadoop.ipc.RpcNoSuchMethodException";
/// A protocol the server does not serve.
pub const RPC_NO_SUCH_PROTOCOL: &str = "org.apache.hadoop.ipc.RpcNoSuchProtocolException";
/// A client speaking another IPC or protocol version.
pub const VERSION_MISMATCH: &str = "org.apache.hadoop.ipc.RPC$VersionMismatch";
/// A connection preamble the server cannot accept (unknown authentication protocol).
pub const IPC: &str = "org.apache.hadoop.ipc.IpcException";
