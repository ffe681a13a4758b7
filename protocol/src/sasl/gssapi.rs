//! SASL GSSAPI (RFC 4752) as Hadoop uses it for `KERBEROS` authentication: the Kerberos
//! context exchange, then the security-layer negotiation.
//!
//! ```text
//! C: INITIATE  {KERBEROS/GSSAPI, protocol "rm", serverId "host"}, token = AP-REQ
//! S: CHALLENGE token = AP-REP                      (the context is established)
//! C: RESPONSE  token = <empty>                     (the client context has nothing more)
//! S: CHALLENGE token = wrap([layers offered][max buffer, 3 bytes BE])
//! C: RESPONSE  token = wrap([layer chosen][max buffer])     (no authzid)
//! S: SUCCESS
//! ```
//! Layers: 1 none (`authentication`), 2 integrity, 4 privacy; both negotiation messages are
//! wrapped without encryption. With integrity or privacy every later frame goes through
//! `gss_wrap` (encrypted for privacy), as `GssLayer` does.
//!
//! [`GssClient`] and [`GssServer`] hold the Kerberos context; the GSS-API calls are in
//! [`crate::gssapi`]. The client's first step asks the KDC for a service ticket (blocking I/O):
//! callers on an async runtime run client steps on a blocking thread.

use super::SaslError;
use super::layer::{SecurityLayer, Unwrap, Wrap};
use super::qop::{self, Qop};
use crate::gssapi::{
    AcceptorContext, AcceptorCredential, ClientCredential, InitiatorContext, Principal, Session,
};

/// `SaslAuth.method` for Kerberos.
pub const METHOD_KERBEROS: &str = "KERBEROS";
/// `SaslAuth.mechanism` for Kerberos.
pub const MECHANISM_GSSAPI: &str = "GSSAPI";
/// The receive buffer we announce (and the JDK announces).
pub const MAXBUF: u32 = 65536;
/// What a wrap of RFC 4121 adds at most (header, encrypted header copy, confounder, checksum),
/// with room to spare: plaintext pieces stay this far under the peer's buffer.
const WRAP_OVERHEAD: usize = 256;

/// Encodes a security-layer message: the layer bit mask, then a 24-bit big-endian size.
pub fn encode_layers(mask: u8, max: u32) -> [u8; 4] {
    let m = max.min(0x00ff_ffff).to_be_bytes();
    [mask, m[1], m[2], m[3]]
}

/// Decodes a security-layer message: (mask, max size, authorization id bytes).
pub fn decode_layers(msg: &[u8]) -> Result<(u8, u32, &[u8]), SaslError> {
    if msg.len() < 4 {
        return Err(SaslError::Protocol(format!(
            "GSSAPI security-layer message of {} bytes (needs 4)",
            msg.len()
        )));
    }
    let max = u32::from_be_bytes([0, msg[1], msg[2], msg[3]]);
    Ok((msg[0], max, &msg[4..]))
}

/// The protections a layer mask offers, strongest last.
pub fn qops_of_mask(mask: u8) -> Vec<Qop> {
    [Qop::Auth, Qop::AuthInt, Qop::AuthConf]
        .into_iter()
        .filter(|q| mask & q.layer_bit() != 0)
        .collect()
}

fn mask_of(qops: &[Qop]) -> u8 {
    qops.iter().fold(0, |m, q| m | q.layer_bit())
}

/// Client side of one SASL GSSAPI authentication.
#[derive(Debug)]
pub struct GssClient {
    ctx: Option<InitiatorContext>,
    session: Option<Session>,
    qops: Vec<Qop>,
    chosen: Option<(Qop, u32)>,
    principal: String,
}

impl GssClient {
    /// A client authenticating `cred` to `server_principal`, accepting `qops`.
    pub fn new(
        cred: &ClientCredential,
        server_principal: &str,
        qops: &[Qop],
    ) -> Result<GssClient, SaslError> {
        Ok(GssClient {
            ctx: Some(InitiatorContext::new(cred, server_principal)?),
            session: None,
            qops: qops.to_vec(),
            chosen: None,
            principal: cred.principal().to_string(),
        })
    }

    /// The client principal (what the connection context names as its user).
    pub fn principal(&self) -> &str {
        &self.principal
    }

    /// The first token (the AP-REQ). Contacts the KDC.
    pub fn initial(&mut self) -> Result<Vec<u8>, SaslError> {
        let ctx = self
            .ctx
            .as_mut()
            .ok_or_else(|| SaslError::Protocol("GSSAPI client already started".into()))?;
        Ok(ctx.step(&[])?.unwrap_or_default())
    }

    /// The response to a server CHALLENGE.
    pub fn challenge(&mut self, token: &[u8]) -> Result<Vec<u8>, SaslError> {
        if let Some(ctx) = self.ctx.as_mut() {
            let out = ctx.step(token)?.unwrap_or_default();
            if ctx.is_complete() {
                self.session = self.ctx.take().map(InitiatorContext::into_session);
            }
            return Ok(out);
        }
        let session = self.session.as_ref().ok_or_else(|| {
            SaslError::Protocol("GSSAPI challenge after the negotiation ended".into())
        })?;
        if self.chosen.is_some() {
            return Err(SaslError::Protocol(
                "a second GSSAPI security-layer offer".into(),
            ));
        }
        let (offer, _) = session.unwrap(token)?;
        let (mask, server_max, _) = decode_layers(&offer)?;
        let qop = qop::choose(&self.qops, &qops_of_mask(mask))?;
        // Like the JDK: no receive buffer for layer "none", ours otherwise; no authzid.
        let our_max = if qop.wraps() { MAXBUF } else { 0 };
        let reply = session.wrap(false, &encode_layers(qop.layer_bit(), our_max))?;
        self.chosen = Some((qop, server_max));
        Ok(reply)
    }

    /// On SUCCESS: the layer for integrity or privacy (`None` for authentication).
    pub fn finish(&mut self) -> Result<Option<SecurityLayer>, SaslError> {
        let (Some(session), Some((qop, server_max))) = (self.session.clone(), self.chosen) else {
            return Err(SaslError::Protocol(
                "SUCCESS before the GSSAPI security layer was negotiated".into(),
            ));
        };
        Ok(qop
            .wraps()
            .then(|| GssLayer::new(session, qop, server_max).into_layer()))
    }
}

/// What the server does after a client token.
#[derive(Debug)]
pub enum GssServerStep {
    /// Send this CHALLENGE token.
    Challenge(Vec<u8>),
    /// Authenticated: the client principal, and the layer for integrity or privacy.
    Done {
        /// The client principal, e.g. `alice@REALM`.
        principal: String,
        /// The layer (`None` for authentication).
        layer: Option<SecurityLayer>,
    },
}

#[derive(Debug)]
enum ServerState {
    Accepting(AcceptorContext),
    /// The AP-REP went out; the client answers with an empty RESPONSE.
    AwaitAfterContext(Session, String),
    /// The offer went out.
    AwaitChoice(Session, String),
    Done,
}

/// Server side of one SASL GSSAPI authentication.
#[derive(Debug)]
pub struct GssServer {
    state: ServerState,
    qops: Vec<Qop>,
}

impl GssServer {
    /// A server accepting with `cred` and offering `qops`.
    pub fn new(cred: &AcceptorCredential, qops: &[Qop]) -> GssServer {
        GssServer {
            state: ServerState::Accepting(AcceptorContext::new(cred)),
            qops: qops.to_vec(),
        }
    }

    fn offer(&self, session: &Session) -> Result<Vec<u8>, SaslError> {
        Ok(session.wrap(false, &encode_layers(mask_of(&self.qops), MAXBUF))?)
    }

    /// Handles one client token (INITIATE's, then each RESPONSE's).
    pub fn step(&mut self, token: &[u8]) -> Result<GssServerStep, SaslError> {
        match std::mem::replace(&mut self.state, ServerState::Done) {
            ServerState::Accepting(mut ctx) => {
                let out = ctx.step(token)?;
                let Some(client) = ctx.client_principal().map(str::to_string) else {
                    self.state = ServerState::Accepting(ctx);
                    return Ok(GssServerStep::Challenge(out));
                };
                let session = ctx.into_session();
                if out.is_empty() {
                    let offer = self.offer(&session)?;
                    self.state = ServerState::AwaitChoice(session, client);
                    return Ok(GssServerStep::Challenge(offer));
                }
                self.state = ServerState::AwaitAfterContext(session, client);
                Ok(GssServerStep::Challenge(out))
            }
            ServerState::AwaitAfterContext(session, client) => {
                let offer = self.offer(&session)?;
                self.state = ServerState::AwaitChoice(session, client);
                Ok(GssServerStep::Challenge(offer))
            }
            ServerState::AwaitChoice(session, client) => {
                let (choice, _) = session.unwrap(token)?;
                let (layer, client_max, authzid) = decode_layers(&choice)?;
                let qop = qops_of_mask(layer);
                let [qop] = qop.as_slice() else {
                    return Err(SaslError::Protocol(format!(
                        "the client chose security layers {layer:#04x}; exactly one is allowed"
                    )));
                };
                if !self.qops.contains(qop) {
                    return Err(SaslError::QopMismatch {
                        ours: qop::protection_names(&self.qops),
                        theirs: qop.protection_name().to_string(),
                    });
                }
                if !authzid.is_empty() && authzid != client.as_bytes() {
                    return Err(SaslError::Rejected(format!(
                        "{client} asked to act as {} (proxy users are not supported)",
                        String::from_utf8_lossy(authzid)
                    )));
                }
                let layer = qop
                    .wraps()
                    .then(|| GssLayer::new(session, *qop, client_max).into_layer());
                Ok(GssServerStep::Done {
                    principal: client,
                    layer,
                })
            }
            ServerState::Done => Err(SaslError::Protocol(
                "GSSAPI message after the negotiation ended".into(),
            )),
        }
    }
}

/// The short user name of a Kerberos principal under Hadoop's `DEFAULT` auth_to_local rule.
pub fn short_name(principal: &str, default_realm: &str) -> Result<String, SaslError> {
    Principal::parse(principal)
        .ok()
        .and_then(|p| p.short_name_default(default_realm))
        .ok_or_else(|| {
            SaslError::NotEnabled(format!(
                "No rules applied to {principal} (auth_to_local DEFAULT maps principals of realm {default_realm} only)"
            ))
        })
}

/// The GSS security layer of one connection (both halves share the context).
#[derive(Debug, Clone)]
struct GssLayer {
    session: Session,
    encrypt: bool,
    peer_max: u32,
}

impl GssLayer {
    fn new(session: Session, qop: Qop, peer_max: u32) -> GssLayer {
        GssLayer {
            session,
            encrypt: qop == Qop::AuthConf,
            peer_max,
        }
    }

    fn into_layer(self) -> SecurityLayer {
        SecurityLayer {
            qop: if self.encrypt {
                Qop::AuthConf
            } else {
                Qop::AuthInt
            },
            wrap: Box::new(self.clone()),
            unwrap: Box::new(self),
        }
    }
}

impl Wrap for GssLayer {
    fn wrap(&mut self, plain: &[u8]) -> Result<Vec<u8>, SaslError> {
        Ok(self.session.wrap(self.encrypt, plain)?)
    }

    fn max_plain_len(&self) -> usize {
        // A peer that announces no size gets the usual 64 KiB pieces.
        let max = if self.peer_max == 0 {
            MAXBUF
        } else {
            self.peer_max.min(MAXBUF)
        };
        (max as usize).saturating_sub(WRAP_OVERHEAD).max(1024)
    }
}

impl Unwrap for GssLayer {
    fn unwrap(&mut self, token: &[u8]) -> Result<Vec<u8>, SaslError> {
        let (msg, encrypted) = self.session.unwrap(token)?;
        if self.encrypt && !encrypted {
            return Err(SaslError::Layer(
                "GSSAPI: privacy was negotiated but the peer sent an unencrypted message".into(),
            ));
        }
        Ok(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_messages_round_trip_and_are_bounded() {
        assert_eq!(encode_layers(0x05, 65536), [0x05, 0x01, 0x00, 0x00]);
        assert_eq!(encode_layers(0x01, 0), [1, 0, 0, 0]);
        assert_eq!(encode_layers(0x02, u32::MAX), [2, 0xff, 0xff, 0xff]);
        assert_eq!(decode_layers(&[4, 1, 0, 0]).unwrap(), (4, 65536, &[][..]));
        assert_eq!(
            decode_layers(b"\x02\x00\x10\x00alice").unwrap(),
            (2, 4096, &b"alice"[..])
        );
        assert!(decode_layers(&[1, 0, 0]).is_err());
        assert_eq!(qops_of_mask(0x05), vec![Qop::Auth, Qop::AuthConf]);
        assert_eq!(qops_of_mask(0x08), Vec::<Qop>::new());
        assert_eq!(mask_of(&[Qop::AuthConf, Qop::Auth]), 0x05);
    }

    #[test]
    fn default_rule_short_names() {
        assert_eq!(short_name("alice@R", "R").unwrap(), "alice");
        assert_eq!(short_name("nm/host@R", "R").unwrap(), "nm");
        let err = short_name("alice@OTHER", "R").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("No rules applied to alice@OTHER"),
            "{err}"
        );
    }
}
