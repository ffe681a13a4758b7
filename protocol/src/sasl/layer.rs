//! The security layer a SASL negotiation leaves behind when it agreed on integrity or privacy:
//! one half that wraps what this side sends and one that unwraps what it receives.
//!
//! The halves are separate so that a connection's writer task and reader task each own one
//! and never wait for each other. Both are sans-I/O: bytes in, bytes out.

use super::{Qop, SaslError};

/// Wraps outgoing bytes (adds a MAC, and encrypts for privacy).
pub trait Wrap: Send {
    /// Wraps one message. Each call consumes one sequence number.
    fn wrap(&mut self, plain: &[u8]) -> Result<Vec<u8>, SaslError>;

    /// The largest plaintext one [`Wrap::wrap`] call should carry so that the peer accepts the
    /// token (its announced receive buffer minus this mechanism's overhead).
    fn max_plain_len(&self) -> usize;
}

/// Unwraps incoming tokens (checks the MAC and sequence number, decrypts for privacy).
pub trait Unwrap: Send {
    /// Unwraps one token into the bytes the peer wrapped.
    fn unwrap(&mut self, token: &[u8]) -> Result<Vec<u8>, SaslError>;
}

/// The negotiated layer of one connection.
pub struct SecurityLayer {
    /// The protection agreed on (never [`Qop::Auth`]: that needs no layer).
    pub qop: Qop,
    /// Wraps what this side sends.
    pub wrap: Box<dyn Wrap>,
    /// Unwraps what this side receives.
    pub unwrap: Box<dyn Unwrap>,
}

impl std::fmt::Debug for SecurityLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecurityLayer")
            .field("qop", &self.qop)
            .field("max_plain_len", &self.wrap.max_plain_len())
            .finish_non_exhaustive()
    }
}
