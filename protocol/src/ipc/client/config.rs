//! Client configuration: address, protocol, credentials, timeouts and retry policy.

use std::time::Duration;

use crate::gssapi::KerberosCredentials;
use crate::ipc::frame::DEFAULT_MAX_FRAME_LEN;
use crate::sasl::Qop;

/// How a client authenticates.
#[derive(Clone, PartialEq, Eq)]
pub enum ClientAuth {
    /// No SASL: preamble auth byte 0 and `effectiveUser = user` in the connection context.
    Simple {
        /// The user name to claim.
        user: String,
    },
    /// SASL TOKEN/DIGEST-MD5 with this token; `user` is used only if the server offers no
    /// TOKEN and we fall back to SIMPLE.
    Token {
        /// Token identifier bytes.
        identifier: Vec<u8>,
        /// Token password bytes.
        password: Vec<u8>,
        /// User name for a SIMPLE fallback.
        user: String,
    },
    /// SASL KERBEROS/GSSAPI (a secure cluster's client ports). Never falls back to SIMPLE.
    Kerberos {
        /// Where our Kerberos identity comes from (ticket cache or keytab).
        credentials: KerberosCredentials,
        /// The server's principal, e.g. `yarn.resourcemanager.principal`: `rm/_HOST@REALM`
        /// (`_HOST` becomes the canonical name of the host we connect to) or a fixed one. The
        /// server must advertise exactly this principal.
        server_principal: String,
    },
}

impl std::fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientAuth::Simple { user } => f.debug_struct("Simple").field("user", user).finish(),
            ClientAuth::Token {
                identifier, user, ..
            } => f
                .debug_struct("Token")
                .field("identifier", &hex::encode(identifier))
                .field("password", &"<redacted>")
                .field("user", user)
                .finish(),
            ClientAuth::Kerberos {
                credentials,
                server_principal,
            } => f
                .debug_struct("Kerberos")
                .field("credentials", credentials)
                .field("server_principal", server_principal)
                .finish(),
        }
    }
}

/// Bounded reconnect attempts with exponential backoff.
///
/// Applies to establishing a connection (TCP connect and I/O failures during the handshake).
/// A call that fails in flight is reported to its caller and never retried here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many connection attempts in total (at least 1).
    pub max_attempts: u32,
    /// Wait before the second attempt.
    pub initial_backoff: Duration,
    /// Upper bound of the wait between attempts.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// Try once, never wait.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            initial_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
        }
    }

    /// The wait before attempt number `attempt` (1-based; attempt 1 has no wait).
    pub fn backoff(&self, attempt: u32) -> Duration {
        if attempt <= 1 {
            return Duration::ZERO;
        }
        let factor = 1u32 << (attempt - 2).min(16);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

impl Default for RetryPolicy {
    /// 10 attempts (`ipc.client.connect.max.retries`), 100 ms doubling up to 2 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
        }
    }
}

/// Everything an [`IpcClient`](super::IpcClient) needs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `host:port` of the server.
    pub addr: String,
    /// Protocol name, e.g. `org.apache.hadoop.yarn.api.ApplicationMasterProtocolPB`.
    pub protocol: String,
    /// Protocol version (1 for YARN).
    pub protocol_version: u64,
    /// Credentials for new connections.
    pub auth: ClientAuth,
    /// TCP connect timeout, also bounding the handshake (default 20 s).
    pub connect_timeout: Duration,
    /// Per-call timeout (default 120 s, `ipc.client.rpc-timeout.ms`).
    pub call_timeout: Duration,
    /// Ping interval while calls are outstanding and the connection is quiet (default 60 s).
    pub ping_interval: Duration,
    /// Close the connection after this long with no calls outstanding (default 10 s).
    pub max_idle: Duration,
    /// Largest response frame accepted (default 128 MiB).
    pub max_response_len: usize,
    /// Reconnect policy.
    pub retry: RetryPolicy,
    /// Qualities of protection we accept, in order of preference (`hadoop.rpc.protection`,
    /// parsed with [`crate::sasl::parse_protection`]; default `authentication`). With
    /// integrity or privacy every frame after SASL is wrapped.
    pub qop: Vec<Qop>,
}

impl ClientConfig {
    /// A configuration with Hadoop's defaults; protocol version 1.
    pub fn new(addr: impl Into<String>, protocol: impl Into<String>, auth: ClientAuth) -> Self {
        ClientConfig {
            addr: addr.into(),
            protocol: protocol.into(),
            protocol_version: 1,
            auth,
            connect_timeout: Duration::from_secs(20),
            call_timeout: Duration::from_secs(120),
            ping_interval: Duration::from_secs(60),
            max_idle: Duration::from_secs(10),
            max_response_len: DEFAULT_MAX_FRAME_LEN,
            retry: RetryPolicy::default(),
            qop: vec![Qop::Auth],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1), Duration::ZERO);
        assert_eq!(p.backoff(2), Duration::from_millis(100));
        assert_eq!(p.backoff(3), Duration::from_millis(200));
        assert_eq!(p.backoff(10), Duration::from_secs(2));
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(2));
    }

    #[test]
    fn debug_redacts_password() {
        let auth = ClientAuth::Token {
            identifier: vec![1],
            password: b"secret".to_vec(),
            user: "u".into(),
        };
        assert!(!format!("{auth:?}").contains("secret"));
    }
}
