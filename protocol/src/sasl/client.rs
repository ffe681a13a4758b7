//! Client side of Hadoop's SASL negotiation (sans-I/O).
//!
//! ```text
//! C: NEGOTIATE
//! S: NEGOTIATE [TOKEN/DIGEST-MD5 w/ challenge, SIMPLE]  | SUCCESS (server allows only SIMPLE)
//! C: INITIATE  {auth echoed exactly minus challenge, token = digest response}
//!    (no challenge offered: INITIATE with empty token, S: CHALLENGE, C: RESPONSE)
//! S: SUCCESS   {rspauth}   → client checks it
//! ```
//! With Kerberos credentials and a KERBEROS offer, the GSSAPI exchange of [`super::gssapi`]
//! runs instead (INITIATE with the AP-REQ, CHALLENGE/RESPONSE rounds, SUCCESS); the client
//! first checks that the server's principal is the expected one, as Hadoop does. The choice,
//! when several apply: TOKEN, then KERBEROS, then SIMPLE.
//! With no usable credentials and SIMPLE offered, the client sends `INITIATE{SIMPLE}` and
//! expects no reply.

use super::digest_md5::DigestClient;
use super::gssapi::{GssClient, MECHANISM_GSSAPI, METHOD_KERBEROS};
use super::{MECHANISM_DIGEST_MD5, METHOD_SIMPLE, METHOD_TOKEN, Qop, SaslError, SecurityLayer};
use crate::gssapi::{ClientCredential, Principal};
use crate::proto::rpc::{RpcSaslProto, SaslAuth, SaslState};

/// The token a client authenticates with.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenCredentials {
    /// Token identifier bytes.
    pub identifier: Vec<u8>,
    /// Token password bytes.
    pub password: Vec<u8>,
}

impl std::fmt::Debug for TokenCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCredentials")
            .field("identifier", &hex::encode(&self.identifier))
            .field("password", &"<redacted>")
            .finish()
    }
}

/// What a Kerberos client needs: its credential and the server principal it expects.
#[derive(Debug, Clone)]
pub struct KerberosClient {
    /// The client's acquired credential.
    pub credential: ClientCredential,
    /// The server principal (`rm/host@REALM`, `_HOST` already replaced).
    pub server_principal: String,
}

/// How the connection ended up authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaslOutcome {
    /// TOKEN / DIGEST-MD5: the connection context must carry an empty userInfo.
    Token,
    /// SIMPLE: the connection context must carry the effective user.
    Simple,
    /// KERBEROS / GSSAPI: the connection context carries the client principal.
    Kerberos,
}

/// What the client does next.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientStep {
    /// Send this message and wait for the server's reply.
    Send(RpcSaslProto),
    /// Send this message; negotiation is over (the server will not reply).
    SendFinal(RpcSaslProto, SaslOutcome),
    /// Negotiation is over; send nothing.
    Done(SaslOutcome),
}

#[derive(Debug)]
enum State {
    Start,
    Negotiating,
    AwaitChallenge(DigestClient),
    AwaitSuccess(DigestClient),
    Gss(Box<GssClient>),
    Done,
}

/// The client negotiation state machine for one connection.
#[derive(Debug)]
pub struct SaslClient {
    token: Option<TokenCredentials>,
    kerberos: Option<KerberosClient>,
    qops: Vec<Qop>,
    state: State,
    layer: Option<SecurityLayer>,
    principal: Option<String>,
}

/// Hadoop's words when a secure client is offered SIMPLE only.
const SECURE_ONLY: &str = "Server asks us to fall back to SIMPLE auth, but this client is configured to only allow secure connections.";

fn sasl_message(state: SaslState, token: Option<Vec<u8>>, auths: Vec<SaslAuth>) -> RpcSaslProto {
    RpcSaslProto {
        version: None,
        state: state as i32,
        token,
        auths,
    }
}

/// The server's offer of `method` (with `mechanism`, when given) as the client echoes it back
/// in its INITIATE, that is without the challenge, and the challenge apart.
fn take_offer(
    reply: &RpcSaslProto,
    method: &str,
    mechanism: Option<&str>,
) -> Option<(SaslAuth, Option<Vec<u8>>)> {
    let offer = reply
        .auths
        .iter()
        .find(|a| a.method == method && mechanism.is_none_or(|m| a.mechanism == m))?;
    let mut chosen = offer.clone();
    let challenge = chosen.challenge.take();
    Some((chosen, challenge))
}

/// A RESPONSE carrying `token`, to send.
fn send_response(token: Vec<u8>) -> ClientStep {
    ClientStep::Send(sasl_message(SaslState::Response, Some(token), Vec::new()))
}

/// An INITIATE choosing the server's offer `chosen`, with the first `token` of its exchange.
fn send_initiate(chosen: SaslAuth, token: Vec<u8>) -> ClientStep {
    ClientStep::Send(sasl_message(SaslState::Initiate, Some(token), vec![chosen]))
}

fn state_name(raw: i32) -> String {
    match SaslState::try_from(raw) {
        Ok(s) => format!("{s:?}").to_uppercase(),
        Err(_) => format!("unknown state {raw}"),
    }
}

impl SaslClient {
    /// A client that authenticates with `token` if the server offers TOKEN, and otherwise
    /// falls back to SIMPLE when offered.
    pub fn new(token: Option<TokenCredentials>) -> Self {
        SaslClient::with_qop(token, &[Qop::Auth])
    }

    /// Like [`SaslClient::new`], accepting the qualities of protection in `qops` (in order of
    /// preference, from `hadoop.rpc.protection`).
    pub fn with_qop(token: Option<TokenCredentials>, qops: &[Qop]) -> Self {
        SaslClient {
            token,
            qops: if qops.is_empty() {
                vec![Qop::Auth]
            } else {
                qops.to_vec()
            },
            kerberos: None,
            state: State::Start,
            layer: None,
            principal: None,
        }
    }

    /// Also authenticates with Kerberos when the server offers KERBEROS.
    pub fn with_kerberos(mut self, kerberos: KerberosClient) -> Self {
        self.kerberos = Some(kerberos);
        self
    }

    /// Whether a step may block on the network (a Kerberos client asks the KDC for a ticket).
    pub fn may_block(&self) -> bool {
        self.kerberos.is_some()
    }

    /// The client principal once Kerberos authentication succeeded.
    pub fn kerberos_principal(&self) -> Option<&str> {
        self.principal.as_deref()
    }

    /// The security layer negotiated for integrity or privacy, once the negotiation is done
    /// (`None` for `auth` and SIMPLE). Every later message goes through it.
    pub fn take_security_layer(&mut self) -> Option<SecurityLayer> {
        self.layer.take()
    }

    /// The first message: an empty NEGOTIATE.
    pub fn negotiate(&mut self) -> RpcSaslProto {
        self.state = State::Negotiating;
        sasl_message(SaslState::Negotiate, None, Vec::new())
    }

    /// Handles one server message.
    pub fn step(&mut self, reply: &RpcSaslProto) -> Result<ClientStep, SaslError> {
        let state = std::mem::replace(&mut self.state, State::Done);
        let received = SaslState::try_from(reply.state).ok();
        match (state, received) {
            (State::Negotiating, Some(SaslState::Success)) if self.kerberos.is_some() => {
                Err(SaslError::NotEnabled(SECURE_ONLY.into()))
            }
            (State::Negotiating, Some(SaslState::Success)) => {
                Ok(ClientStep::Done(SaslOutcome::Simple))
            }
            (State::Negotiating, Some(SaslState::Negotiate)) => self.choose(reply),
            (State::AwaitChallenge(mut digest), Some(SaslState::Challenge)) => {
                let challenge = reply.token.as_deref().ok_or_else(|| {
                    SaslError::Protocol("CHALLENGE without a challenge token".into())
                })?;
                let response = digest.respond(challenge)?;
                self.state = State::AwaitSuccess(digest);
                Ok(send_response(response))
            }
            (State::Gss(mut gss), Some(SaslState::Challenge)) => {
                let token = reply.token.as_deref().unwrap_or_default();
                let response = gss.challenge(token)?;
                self.state = State::Gss(gss);
                Ok(send_response(response))
            }
            (State::Gss(mut gss), Some(SaslState::Success)) => {
                self.layer = gss.finish()?;
                self.principal = Some(gss.principal().to_string());
                Ok(ClientStep::Done(SaslOutcome::Kerberos))
            }
            (State::AwaitSuccess(digest), Some(SaslState::Success)) => {
                let token = reply
                    .token
                    .as_deref()
                    .ok_or(SaslError::ServerNotAuthenticated)?;
                digest.verify_rspauth(token)?;
                self.layer = digest.security_layer()?;
                Ok(ClientStep::Done(SaslOutcome::Token))
            }
            (state, _) => Err(SaslError::Protocol(format!(
                "unexpected server message {} while {}",
                state_name(reply.state),
                match state {
                    State::Start => "not started",
                    State::Negotiating => "waiting for NEGOTIATE",
                    State::AwaitChallenge(_) => "waiting for CHALLENGE",
                    State::AwaitSuccess(_) => "waiting for SUCCESS",
                    State::Gss(_) => "in the GSSAPI exchange",
                    State::Done => "already finished",
                }
            ))),
        }
    }

    fn choose(&mut self, reply: &RpcSaslProto) -> Result<ClientStep, SaslError> {
        if let Some(token) = &self.token
            && let Some((chosen, challenge)) =
                take_offer(reply, METHOD_TOKEN, Some(MECHANISM_DIGEST_MD5))
        {
            let mut digest = DigestClient::with_qop(&token.identifier, &token.password, &self.qops);
            return Ok(match challenge {
                Some(challenge) => {
                    let response = digest.respond(&challenge)?;
                    self.state = State::AwaitSuccess(digest);
                    send_initiate(chosen, response)
                }
                None => {
                    self.state = State::AwaitChallenge(digest);
                    send_initiate(chosen, Vec::new())
                }
            });
        }
        if let Some(kerberos) = &self.kerberos
            && let Some((chosen, _)) = take_offer(reply, METHOD_KERBEROS, Some(MECHANISM_GSSAPI))
        {
            let advertised = format!(
                "{}/{}",
                chosen.protocol.as_deref().unwrap_or_default(),
                chosen.server_id.as_deref().unwrap_or_default()
            );
            let expected =
                Principal::parse(&kerberos.server_principal).map_err(SaslError::Config)?;
            if advertised != expected.without_realm() {
                let realm = expected.realm.as_deref().map(|r| format!("@{r}"));
                return Err(SaslError::WrongServerPrincipal {
                    advertised: format!("{advertised}{}", realm.unwrap_or_default()),
                    expected: kerberos.server_principal.clone(),
                });
            }
            let mut gss =
                GssClient::new(&kerberos.credential, &kerberos.server_principal, &self.qops)?;
            let token = gss.initial()?;
            self.state = State::Gss(Box::new(gss));
            return Ok(send_initiate(chosen, token));
        }
        if self.kerberos.is_some() {
            let offered: Vec<String> = reply.auths.iter().map(|a| a.method.clone()).collect();
            if offered.iter().all(|m| m == METHOD_SIMPLE) && !offered.is_empty() {
                return Err(SaslError::NotEnabled(SECURE_ONLY.into()));
            }
            return Err(SaslError::NoUsableMethod { offered });
        }
        if let Some((chosen, _)) = take_offer(reply, METHOD_SIMPLE, None) {
            return Ok(ClientStep::SendFinal(
                sasl_message(SaslState::Initiate, None, vec![chosen]),
                SaslOutcome::Simple,
            ));
        }
        Err(SaslError::NoUsableMethod {
            offered: reply.auths.iter().map(|a| a.method.clone()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_offer(challenge: Option<&[u8]>) -> SaslAuth {
        SaslAuth {
            method: "TOKEN".into(),
            mechanism: "DIGEST-MD5".into(),
            protocol: Some(String::new()),
            server_id: Some("default".into()),
            challenge: challenge.map(<[u8]>::to_vec),
        }
    }

    fn simple_offer() -> SaslAuth {
        SaslAuth {
            method: "SIMPLE".into(),
            mechanism: String::new(),
            ..Default::default()
        }
    }

    fn creds() -> Option<TokenCredentials> {
        Some(TokenCredentials {
            identifier: b"id".to_vec(),
            password: b"pw".to_vec(),
        })
    }

    const CHALLENGE: &[u8] =
        b"realm=\"default\",nonce=\"abc\",qop=\"auth\",charset=utf-8,algorithm=md5-sess";

    #[test]
    fn initiate_echoes_offer_without_challenge() {
        let mut c = SaslClient::new(creds());
        let first = c.negotiate();
        assert_eq!(first.state, SaslState::Negotiate as i32);
        let offer = sasl_message(
            SaslState::Negotiate,
            None,
            vec![token_offer(Some(CHALLENGE)), simple_offer()],
        );
        let ClientStep::Send(init) = c.step(&offer).unwrap() else {
            panic!("expected INITIATE")
        };
        assert_eq!(init.state, SaslState::Initiate as i32);
        assert_eq!(init.auths, vec![token_offer(None)]);
        assert_eq!(init.auths[0].protocol.as_deref(), Some(""));
        assert!(
            init.token
                .unwrap()
                .starts_with(b"charset=utf-8,username=\"aWQ=\"")
        );
        // A SUCCESS with a wrong rspauth fails.
        let bad = sasl_message(SaslState::Success, Some(b"rspauth=0000".to_vec()), vec![]);
        assert_eq!(c.step(&bad), Err(SaslError::ServerNotAuthenticated));
    }

    #[test]
    fn falls_back_to_simple_without_token() {
        let mut c = SaslClient::new(None);
        c.negotiate();
        let offer = sasl_message(
            SaslState::Negotiate,
            None,
            vec![token_offer(Some(CHALLENGE)), simple_offer()],
        );
        let ClientStep::SendFinal(init, SaslOutcome::Simple) = c.step(&offer).unwrap() else {
            panic!("expected SIMPLE fallback")
        };
        assert_eq!(init.auths, vec![simple_offer()]);
        assert_eq!(init.token, None);
    }

    #[test]
    fn no_usable_method() {
        let mut c = SaslClient::new(None);
        c.negotiate();
        let offer = sasl_message(SaslState::Negotiate, None, vec![token_offer(None)]);
        let err = c.step(&offer).unwrap_err();
        assert_eq!(err.to_string(), "Client cannot authenticate via:[TOKEN]");
    }

    #[test]
    fn success_to_negotiate_means_simple() {
        let mut c = SaslClient::new(creds());
        c.negotiate();
        let ok = sasl_message(SaslState::Success, None, vec![]);
        assert_eq!(c.step(&ok).unwrap(), ClientStep::Done(SaslOutcome::Simple));
    }

    #[test]
    fn challenge_response_path() {
        let mut c = SaslClient::new(creds());
        c.negotiate();
        let offer = sasl_message(SaslState::Negotiate, None, vec![token_offer(None)]);
        let ClientStep::Send(init) = c.step(&offer).unwrap() else {
            panic!()
        };
        assert_eq!(init.token.as_deref(), Some(&b""[..]));
        let challenge = sasl_message(SaslState::Challenge, Some(CHALLENGE.to_vec()), vec![]);
        let ClientStep::Send(resp) = c.step(&challenge).unwrap() else {
            panic!()
        };
        assert_eq!(resp.state, SaslState::Response as i32);
        // Unexpected and unknown states are errors, not panics.
        let weird = sasl_message(SaslState::Wrap, None, vec![]);
        assert!(matches!(c.step(&weird), Err(SaslError::Protocol(_))));
        let unknown = RpcSaslProto {
            state: 99,
            ..Default::default()
        };
        assert!(c.step(&unknown).is_err());
    }
}
