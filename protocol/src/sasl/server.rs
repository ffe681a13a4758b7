//! Server side of Hadoop's SASL negotiation (sans-I/O).
//!
//! A server with a [`SecretManager`] advertises `[TOKEN/DIGEST-MD5 w/ challenge, SIMPLE]`
//! (SIMPLE only when allowed), and `KERBEROS/GSSAPI` (protocol and serverId from its principal)
//! after TOKEN when it has a Kerberos credential; one with neither answers NEGOTIATE with
//! SUCCESS (switch to SIMPLE) when SIMPLE is allowed. A Kerberos caller's user is the short
//! name of its principal under auth_to_local's `DEFAULT` rule (the server's realm). The INITIATE auth must equal an advertised one exactly (proto2
//! presence included), as Hadoop checks. Failures carry the Java class a Hadoop server
//! would report ([`SaslError::java_class`]) and end the connection with a FATAL reply.

use std::sync::Arc;

use super::digest_md5::{DigestServer, DigestSuccess};
use super::gssapi::{GssServer, GssServerStep, MECHANISM_GSSAPI, METHOD_KERBEROS, short_name};
use super::{
    CallerAuth, MECHANISM_DIGEST_MD5, METHOD_SIMPLE, METHOD_TOKEN, Qop, SaslError, SecretManager,
    SecurityLayer,
};
use crate::gssapi::AcceptorCredential;
use crate::proto::rpc::{RpcSaslProto, SaslAuth, SaslState};

/// Who the client turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// How it authenticated.
    pub auth: CallerAuth,
    /// The user the credential names: for TOKEN the user the secret manager says the token
    /// belongs to, for KERBEROS the principal's short name; `None` for SIMPLE.
    pub token_user: Option<String>,
}

/// What the server does next.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerStep {
    /// Send this reply and wait for the next client message.
    Reply(RpcSaslProto),
    /// Negotiation succeeded; send `reply` if any (none when switching to SIMPLE).
    Done {
        /// The final message (SUCCESS), if one is sent.
        reply: Option<RpcSaslProto>,
        /// The authenticated identity.
        authenticated: Authenticated,
    },
}

enum State {
    Start,
    Negotiated(DigestServer),
    AwaitResponse(DigestServer),
    Gss(Box<GssServer>),
    Done,
}

/// The server negotiation state machine for one connection.
pub struct SaslServer {
    secret_manager: Option<Arc<dyn SecretManager>>,
    kerberos: Option<AcceptorCredential>,
    allow_simple: bool,
    qops: Vec<Qop>,
    state: State,
    layer: Option<SecurityLayer>,
}

impl std::fmt::Debug for SaslServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SaslServer")
            .field("token", &self.secret_manager.is_some())
            .field(
                "kerberos",
                &self.kerberos.as_ref().map(|k| k.principal().to_string()),
            )
            .field("allow_simple", &self.allow_simple)
            .finish_non_exhaustive()
    }
}

fn message(state: SaslState, token: Option<Vec<u8>>, auths: Vec<SaslAuth>) -> RpcSaslProto {
    RpcSaslProto {
        version: None,
        state: state as i32,
        token,
        auths,
    }
}

/// The TOKEN offer exactly as Hadoop sends it (without the challenge).
pub fn token_auth() -> SaslAuth {
    SaslAuth {
        method: METHOD_TOKEN.into(),
        mechanism: MECHANISM_DIGEST_MD5.into(),
        protocol: Some(String::new()),
        server_id: Some(super::digest_md5::DEFAULT_REALM.into()),
        challenge: None,
    }
}

/// The KERBEROS offer as Hadoop sends it: protocol and serverId are the first two components
/// of the server's principal.
pub fn kerberos_auth(cred: &AcceptorCredential) -> SaslAuth {
    let p = cred.principal();
    SaslAuth {
        method: METHOD_KERBEROS.into(),
        mechanism: MECHANISM_GSSAPI.into(),
        protocol: Some(p.primary.clone()),
        server_id: Some(p.instance.clone().unwrap_or_default()),
        challenge: None,
    }
}

/// The SIMPLE offer exactly as Hadoop sends it.
pub fn simple_auth() -> SaslAuth {
    SaslAuth {
        method: METHOD_SIMPLE.into(),
        mechanism: String::new(),
        ..Default::default()
    }
}

impl SaslServer {
    /// A negotiation for a server with this secret manager (TOKEN) and SIMPLE policy.
    pub fn new(secret_manager: Option<Arc<dyn SecretManager>>, allow_simple: bool) -> Self {
        SaslServer {
            secret_manager,
            kerberos: None,
            allow_simple,
            qops: vec![Qop::Auth],
            state: State::Start,
            layer: None,
        }
    }

    /// Also offers KERBEROS/GSSAPI, accepting with `cred` (the server's principal and keytab).
    pub fn with_kerberos(mut self, cred: Option<AcceptorCredential>) -> Self {
        self.kerberos = cred;
        self
    }

    /// Offers the qualities of protection in `qops` (in this order) instead of `auth` alone.
    pub fn with_qop(mut self, qops: &[Qop]) -> Self {
        if !qops.is_empty() {
            self.qops = qops.to_vec();
        }
        self
    }

    /// The security layer negotiated for integrity or privacy, once the negotiation is done
    /// (`None` for `auth` and SIMPLE). Every later message goes through it.
    pub fn take_security_layer(&mut self) -> Option<SecurityLayer> {
        self.layer.take()
    }

    fn digest(&self) -> DigestServer {
        DigestServer::with_qop(&self.qops)
    }

    /// The methods this server offers, in Hadoop's order.
    pub fn offered(&self) -> Vec<SaslAuth> {
        let mut auths = Vec::new();
        if self.secret_manager.is_some() {
            auths.push(token_auth());
        }
        if let Some(k) = &self.kerberos {
            auths.push(kerberos_auth(k));
        }
        if self.allow_simple {
            auths.push(simple_auth());
        }
        auths
    }

    fn not_enabled(&self, method: &str) -> SaslError {
        let names: Vec<String> = self.offered().into_iter().map(|a| a.method).collect();
        SaslError::NotEnabled(format!(
            "{method} authentication is not enabled.  Available:[{}]",
            names.join(", ")
        ))
    }

    /// Why an INITIATE's auth is refused: a method we do not offer, or (the usual client bug)
    /// an offered method echoed with different fields, which Hadoop also refuses.
    fn mismatch(&self, auth: &SaslAuth) -> SaslError {
        let Some(offered) = self.offered().into_iter().find(|a| a.method == auth.method) else {
            return self.not_enabled(&auth.method);
        };
        let show = |v: &Option<String>| match v {
            Some(s) => format!("{s:?}"),
            None => "absent".to_string(),
        };
        let mut diffs = Vec::new();
        if auth.mechanism != offered.mechanism {
            diffs.push(format!(
                "mechanism {:?} (offered {:?})",
                auth.mechanism, offered.mechanism
            ));
        }
        for (name, got, want) in [
            ("protocol", &auth.protocol, &offered.protocol),
            ("serverId", &auth.server_id, &offered.server_id),
        ] {
            if got != want {
                diffs.push(format!("{name} {} (offered {})", show(got), show(want)));
            }
        }
        if auth.challenge.is_some() {
            diffs.push("a challenge (the offer's challenge must be removed)".into());
        }
        SaslError::NotEnabled(format!(
            "the client chose {} but its SaslAuth differs from the one offered: {}; a client must echo the offered SaslAuth exactly (proto2 field presence included) without the challenge",
            auth.method,
            diffs.join(", ")
        ))
    }

    /// Handles one client message.
    pub fn step(&mut self, msg: &RpcSaslProto) -> Result<ServerStep, SaslError> {
        let state = std::mem::replace(&mut self.state, State::Done);
        let received = SaslState::try_from(msg.state).ok();
        match (state, received) {
            (State::Start, Some(SaslState::Negotiate)) => self.negotiate(),
            (State::Start, Some(SaslState::Initiate)) => self.initiate(msg, self.digest()),
            (State::Negotiated(digest), Some(SaslState::Initiate)) => self.initiate(msg, digest),
            (State::AwaitResponse(digest), Some(SaslState::Response)) => {
                let token = msg.token.as_deref().unwrap_or_default();
                self.verify(&digest, token)
            }
            (State::Gss(gss), Some(SaslState::Response)) => {
                let token = msg.token.as_deref().unwrap_or_default();
                self.gss_step(gss, token)
            }
            (_, _) => Err(SaslError::Protocol(format!(
                "unexpected SASL message with state {}",
                msg.state
            ))),
        }
    }

    fn negotiate(&mut self) -> Result<ServerStep, SaslError> {
        if self.secret_manager.is_none() && self.kerberos.is_none() {
            if self.allow_simple {
                return Ok(ServerStep::Done {
                    reply: Some(message(SaslState::Success, None, Vec::new())),
                    authenticated: Authenticated {
                        auth: CallerAuth::Simple,
                        token_user: None,
                    },
                });
            }
            return Err(SaslError::NotEnabled(
                "no authentication method is enabled on this server".into(),
            ));
        }
        let digest = self.digest();
        let mut auths = self.offered();
        if self.secret_manager.is_some() {
            auths[0].challenge = Some(digest.challenge());
        }
        self.state = State::Negotiated(digest);
        Ok(ServerStep::Reply(message(
            SaslState::Negotiate,
            None,
            auths,
        )))
    }

    fn initiate(
        &mut self,
        msg: &RpcSaslProto,
        digest: DigestServer,
    ) -> Result<ServerStep, SaslError> {
        let [auth] = msg.auths.as_slice() else {
            return Err(SaslError::Protocol(format!(
                "INITIATE must name exactly one method, got {}",
                msg.auths.len()
            )));
        };
        if !self.offered().contains(auth) {
            return Err(self.mismatch(auth));
        }
        if auth.method == METHOD_KERBEROS
            && let Some(cred) = &self.kerberos
        {
            let gss = Box::new(GssServer::new(cred, &self.qops));
            return self.gss_step(gss, msg.token.as_deref().unwrap_or_default());
        }
        if auth.method == METHOD_SIMPLE {
            return Ok(ServerStep::Done {
                reply: None,
                authenticated: Authenticated {
                    auth: CallerAuth::Simple,
                    token_user: None,
                },
            });
        }
        let token = msg.token.as_deref().unwrap_or_default();
        if token.is_empty() {
            let challenge = digest.challenge();
            self.state = State::AwaitResponse(digest);
            return Ok(ServerStep::Reply(message(
                SaslState::Challenge,
                Some(challenge),
                Vec::new(),
            )));
        }
        self.verify(&digest, token)
    }

    fn gss_step(&mut self, mut gss: Box<GssServer>, token: &[u8]) -> Result<ServerStep, SaslError> {
        match gss.step(token)? {
            GssServerStep::Challenge(out) => {
                self.state = State::Gss(gss);
                Ok(ServerStep::Reply(message(
                    SaslState::Challenge,
                    Some(out),
                    Vec::new(),
                )))
            }
            GssServerStep::Done { principal, layer } => {
                let realm = self
                    .kerberos
                    .as_ref()
                    .and_then(|k| k.principal().realm.clone())
                    .unwrap_or_default();
                let user = short_name(&principal, &realm)?;
                self.layer = layer;
                Ok(ServerStep::Done {
                    reply: Some(message(SaslState::Success, None, Vec::new())),
                    authenticated: Authenticated {
                        auth: CallerAuth::Kerberos { principal },
                        token_user: Some(user),
                    },
                })
            }
        }
    }

    fn verify(&mut self, digest: &DigestServer, token: &[u8]) -> Result<ServerStep, SaslError> {
        let manager = self
            .secret_manager
            .as_ref()
            .ok_or_else(|| self.not_enabled(METHOD_TOKEN))?;
        let mut user = None;
        let DigestSuccess {
            identifier,
            rspauth,
            layer,
        } = digest.verify(token, |identifier| {
            let identity = manager
                .retrieve_password(identifier)
                .map_err(|e| SaslError::InvalidToken(e.0))?;
            user = Some(identity.user);
            Ok(identity.password)
        })?;
        self.layer = layer;
        Ok(ServerStep::Done {
            reply: Some(message(SaslState::Success, Some(rspauth), Vec::new())),
            authenticated: Authenticated {
                auth: CallerAuth::Token { identifier },
                token_user: user,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sasl::{
        ClientStep, InvalidToken, SaslClient, SaslOutcome, TokenCredentials, TokenIdentity,
    };

    struct OneToken;
    impl SecretManager for OneToken {
        fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
            if identifier == b"good-id" {
                Ok(TokenIdentity {
                    password: b"pw".to_vec(),
                    user: "appattempt_1_0001_000001".into(),
                })
            } else {
                Err(InvalidToken(format!(
                    "unknown token {}",
                    hex::encode(identifier)
                )))
            }
        }
    }

    fn server(simple: bool) -> SaslServer {
        SaslServer::new(Some(Arc::new(OneToken)), simple)
    }

    fn run(
        client: &mut SaslClient,
        server: &mut SaslServer,
    ) -> Result<(SaslOutcome, Authenticated), SaslError> {
        let mut to_server = client.negotiate();
        loop {
            match server.step(&to_server)? {
                ServerStep::Reply(reply) => match client.step(&reply)? {
                    ClientStep::Send(m) => to_server = m,
                    ClientStep::SendFinal(m, outcome) => {
                        let ServerStep::Done {
                            reply: None,
                            authenticated,
                        } = server.step(&m)?
                        else {
                            panic!("SIMPLE switch must not reply")
                        };
                        return Ok((outcome, authenticated));
                    }
                    ClientStep::Done(_) => panic!("client done before server"),
                },
                ServerStep::Done {
                    reply,
                    authenticated,
                } => {
                    let ClientStep::Done(outcome) = client.step(&reply.unwrap())? else {
                        panic!()
                    };
                    return Ok((outcome, authenticated));
                }
            }
        }
    }

    fn creds(id: &[u8], pw: &[u8]) -> Option<TokenCredentials> {
        Some(TokenCredentials {
            identifier: id.to_vec(),
            password: pw.to_vec(),
        })
    }

    #[test]
    fn token_round_trip() {
        let (outcome, auth) = run(
            &mut SaslClient::new(creds(b"good-id", b"pw")),
            &mut server(true),
        )
        .unwrap();
        assert_eq!(outcome, SaslOutcome::Token);
        assert_eq!(
            auth.auth,
            CallerAuth::Token {
                identifier: b"good-id".to_vec()
            }
        );
        assert_eq!(auth.token_user.as_deref(), Some("appattempt_1_0001_000001"));
    }

    #[test]
    fn negotiate_offers_token_with_challenge_then_simple() {
        let offered = |simple| match server(simple)
            .step(&message(SaslState::Negotiate, None, vec![]))
            .unwrap()
        {
            ServerStep::Reply(reply) => reply.auths,
            other => panic!("NEGOTIATE must be answered, got {other:?}"),
        };
        let auths = offered(true);
        assert_eq!(auths.len(), 2);
        assert!(auths[0].challenge.is_some());
        assert_eq!(auths[1], simple_auth());
        assert_eq!(offered(false).len(), 1);
    }

    #[test]
    fn wrong_password_and_unknown_token() {
        let err = run(
            &mut SaslClient::new(creds(b"good-id", b"bad")),
            &mut server(true),
        )
        .unwrap_err();
        assert_eq!(err.java_class(), "javax.security.sasl.SaslException");
        let err = run(
            &mut SaslClient::new(creds(b"other", b"pw")),
            &mut server(true),
        )
        .unwrap_err();
        assert_eq!(
            err.java_class(),
            "org.apache.hadoop.security.token.SecretManager$InvalidToken"
        );
    }

    #[test]
    fn simple_fallback_only_when_allowed() {
        let (outcome, auth) = run(&mut SaslClient::new(None), &mut server(true)).unwrap();
        assert_eq!(
            (outcome, auth.auth),
            (SaslOutcome::Simple, CallerAuth::Simple)
        );
        let err = run(&mut SaslClient::new(None), &mut server(false)).unwrap_err();
        assert!(matches!(err, SaslError::NoUsableMethod { .. }));
        // A client that forces SIMPLE anyway gets the Hadoop message.
        let mut s = server(false);
        let err = s
            .step(&message(SaslState::Initiate, None, vec![simple_auth()]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "SIMPLE authentication is not enabled.  Available:[TOKEN]"
        );
    }

    #[test]
    fn auth_must_match_exactly() {
        let mut s = server(true);
        s.step(&message(SaslState::Negotiate, None, vec![]))
            .unwrap();
        let mut auth = token_auth();
        auth.protocol = None; // presence matters
        let err = s
            .step(&message(
                SaslState::Initiate,
                Some(b"x=1".to_vec()),
                vec![auth],
            ))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the client chose TOKEN but its SaslAuth differs from the one offered: protocol absent (offered \"\"); a client must echo the offered SaslAuth exactly (proto2 field presence included) without the challenge"
        );
        assert_eq!(
            err.java_class(),
            "org.apache.hadoop.security.AccessControlException"
        );
    }

    #[test]
    fn challenge_response_path_and_out_of_order() {
        let mut s = server(true);
        let ServerStep::Reply(ch) = s
            .step(&message(
                SaslState::Initiate,
                Some(Vec::new()),
                vec![token_auth()],
            ))
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(ch.state, SaslState::Challenge as i32);
        let mut digest = crate::sasl::digest_md5::DigestClient::new(b"good-id", b"pw");
        let resp = digest.respond(ch.token.as_deref().unwrap()).unwrap();
        let ServerStep::Done { reply, .. } = s
            .step(&message(SaslState::Response, Some(resp), vec![]))
            .unwrap()
        else {
            panic!()
        };
        digest
            .verify_rspauth(reply.unwrap().token.as_deref().unwrap())
            .unwrap();
        // Anything after completion, or a RESPONSE out of turn, is an error.
        assert!(
            s.step(&message(SaslState::Negotiate, None, vec![]))
                .is_err()
        );
        assert!(
            server(true)
                .step(&message(SaslState::Response, None, vec![]))
                .is_err()
        );
        assert!(
            server(true)
                .step(&RpcSaslProto {
                    state: 42,
                    ..Default::default()
                })
                .is_err()
        );
    }
}
