//! Kerberos through the system's GSS-API (MIT krb5's `libgssapi_krb5.so.2`, loaded at run
//! time by the private `ffi` module, the only unsafe code of the crate).
//!
//! * [`KerberosCredentials`] says where a client's Kerberos identity comes from: the ticket
//!   cache (`KRB5CCNAME`, as after `kinit`) or a keytab and principal.
//! * [`InitiatorContext`] and [`AcceptorContext`] are the two ends of one GSS-API security
//!   context (the Kerberos AP-REQ/AP-REP exchange), and afterwards wrap and unwrap messages.
//! * [`KerberosError`] sorts the library's failures into what a user can act on: no ticket
//!   (run `kinit`), expired ticket, unknown server principal, clock skew, no KDC.
//! * [`principal`]: principal names, `_HOST`, and the `DEFAULT` auth_to_local rule.
//!
//! The SASL mechanism on top (RFC 4752, as Hadoop uses it) is [`crate::sasl::gssapi`].

mod ffi;
pub mod principal;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

pub use principal::Principal;

/// Where a client's Kerberos identity comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KerberosCredentials {
    /// The default ticket cache (`KRB5CCNAME`, written by `kinit`).
    TicketCache,
    /// A keytab holding `principal`'s key: tickets are obtained (and renewed) from it into a
    /// cache private to this process.
    Keytab {
        /// The client principal, e.g. `alice@EXAMPLE.COM`.
        principal: String,
        /// The keytab file.
        keytab: PathBuf,
    },
}

/// A Kerberos failure, sorted by what the user should do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KerberosError {
    /// The GSS-API library is not installed.
    #[error(
        "Kerberos is not available: {0}. Install MIT Kerberos' GSS-API library (Debian/Ubuntu: apt-get install libgssapi-krb5-2; RHEL: krb5-libs)"
    )]
    LibraryMissing(String),
    /// No credentials: no ticket cache, an empty one, or an unusable keytab.
    #[error(
        "no Kerberos credentials: run `kinit <principal>` first (KRB5CCNAME names the ticket cache), or give a keytab and principal ({0})"
    )]
    NoTicket(String),
    /// The ticket (or the context) expired.
    #[error("the Kerberos ticket has expired: run `kinit` again ({0})")]
    Expired(String),
    /// The KDC does not know the server principal we asked a ticket for.
    #[error(
        "the KDC does not know the server principal {principal}: check yarn.resourcemanager.principal (with _HOST replaced, it must name the server's own principal) ({detail})"
    )]
    UnknownServer {
        /// The principal we asked for.
        principal: String,
        /// The library's words.
        detail: String,
    },
    /// The clocks of client, KDC and server disagree by more than Kerberos allows (5 min).
    #[error(
        "Kerberos clock skew too great: synchronise the clocks of this machine, the KDC and the server (NTP) ({0})"
    )]
    ClockSkew(String),
    /// No KDC answered.
    #[error(
        "cannot reach a Kerberos KDC: check the realm's kdc entries in krb5.conf (KRB5_CONFIG) ({0})"
    )]
    NoKdc(String),
    /// Anything else the library reported.
    #[error("Kerberos: {0}")]
    Other(String),
}

/// GSS-API routine-error numbers (the major status's bits 16–23) that mean something to a user.
const ROUTINE_NO_CRED: u32 = 7;
const ROUTINE_CREDENTIALS_EXPIRED: u32 = 11;
const ROUTINE_CONTEXT_EXPIRED: u32 = 12;

impl KerberosError {
    fn from_status(status: ffi::Status, server: Option<&str>) -> KerberosError {
        let text = status.to_string();
        let major = match status {
            ffi::Status::NotLoaded(e) => return KerberosError::LibraryMissing(e),
            ffi::Status::Failed { major, .. } => major,
        };
        let routine = (major >> 16) & 0xff;
        let lower = text.to_ascii_lowercase();
        if lower.contains("clock skew") {
            KerberosError::ClockSkew(text)
        } else if lower.contains("not found in kerberos database") && server.is_some() {
            KerberosError::UnknownServer {
                principal: server.unwrap_or_default().to_string(),
                detail: text,
            }
        } else if lower.contains("cannot find kdc")
            || lower.contains("cannot contact any kdc")
            || lower.contains("unable to reach any kdc")
        {
            KerberosError::NoKdc(text)
        } else if routine == ROUTINE_CREDENTIALS_EXPIRED
            || routine == ROUTINE_CONTEXT_EXPIRED
            || lower.contains("expired")
        {
            KerberosError::Expired(text)
        } else if routine == ROUTINE_NO_CRED
            || lower.contains("no kerberos credentials")
            || lower.contains("no credentials cache")
            || lower.contains("credentials cache file")
        {
            KerberosError::NoTicket(text)
        } else {
            KerberosError::Other(text)
        }
    }
}

/// Whether `libgssapi_krb5.so.2` can be loaded.
pub fn library_available() -> Result<(), KerberosError> {
    ffi::available().map_err(KerberosError::LibraryMissing)
}

/// A client's acquired Kerberos credential, shared by every connection that uses it.
#[derive(Debug, Clone)]
pub struct ClientCredential {
    cred: Option<Arc<ffi::Cred>>,
    principal: String,
}

/// Credentials from keytabs, kept for the life of the process so that every connection reuses
/// the tickets (and the library renews them from the keytab).
fn keytab_logins() -> &'static Mutex<HashMap<KerberosCredentials, ClientCredential>> {
    static LOGINS: OnceLock<Mutex<HashMap<KerberosCredentials, ClientCredential>>> =
        OnceLock::new();
    LOGINS.get_or_init(Default::default)
}

/// `principal`'s credential for `usage` (initiate or accept) from `keytab`, which the MIT
/// credential-store entries `store` name; `what` names the keytab when the file is missing.
fn keytab_credential(
    principal: &str,
    keytab: &std::path::Path,
    what: &str,
    usage: std::ffi::c_int,
    store: &[(&str, &str)],
) -> Result<ffi::Cred, KerberosError> {
    if !keytab.is_file() {
        return Err(KerberosError::NoTicket(format!(
            "{what} {} does not exist",
            keytab.display()
        )));
    }
    let name =
        ffi::Name::krb5_principal(principal).map_err(|e| KerberosError::from_status(e, None))?;
    ffi::Cred::acquire(Some(&name), usage, store).map_err(|e| KerberosError::from_status(e, None))
}

impl ClientCredential {
    /// Acquires the credential `source` names. For the ticket cache this checks that a valid
    /// ticket is there (and says `kinit` otherwise); for a keytab it logs in once per process.
    pub fn acquire(source: &KerberosCredentials) -> Result<ClientCredential, KerberosError> {
        match source {
            KerberosCredentials::TicketCache => {
                let cred = ffi::Cred::acquire(None, ffi::C_INITIATE, &[])
                    .map_err(|e| KerberosError::from_status(e, None))?;
                let (principal, lifetime) = cred
                    .inquire()
                    .map_err(|e| KerberosError::from_status(e, None))?;
                if lifetime == 0 {
                    return Err(KerberosError::Expired(format!(
                        "the ticket of {principal} in the ticket cache has expired"
                    )));
                }
                // The default credential tracks the cache (a later kinit is picked up), so
                // contexts use it through the library's default, not this handle.
                Ok(ClientCredential {
                    cred: None,
                    principal,
                })
            }
            KerberosCredentials::Keytab { principal, keytab } => {
                let mut logins = keytab_logins().lock().unwrap_or_else(|p| p.into_inner());
                if let Some(c) = logins.get(source) {
                    return Ok(c.clone());
                }
                let ccache = format!("MEMORY:spindle-{:016x}", rand::random::<u64>());
                let cred = keytab_credential(
                    principal,
                    keytab,
                    "keytab",
                    ffi::C_INITIATE,
                    &[
                        ("client_keytab", &keytab.to_string_lossy()),
                        ("ccache", &ccache),
                    ],
                )?;
                let (principal, _) = cred
                    .inquire()
                    .map_err(|e| KerberosError::from_status(e, None))?;
                let c = ClientCredential {
                    cred: Some(Arc::new(cred)),
                    principal,
                };
                logins.insert(source.clone(), c.clone());
                Ok(c)
            }
        }
    }

    /// The client principal, e.g. `alice@SPINDLE.TEST`.
    pub fn principal(&self) -> &str {
        &self.principal
    }
}

/// The client end of a security context with one server principal.
#[derive(Debug)]
pub struct InitiatorContext {
    ctx: ffi::Ctx,
    cred: ClientCredential,
    target: ffi::Name,
    target_text: String,
    complete: bool,
}

/// The flags Hadoop's client asks for: mutual authentication, replay and sequence detection,
/// integrity and confidentiality available.
const INITIATOR_FLAGS: u32 = ffi::C_MUTUAL_FLAG
    | ffi::C_REPLAY_FLAG
    | ffi::C_SEQUENCE_FLAG
    | ffi::C_INTEG_FLAG
    | ffi::C_CONF_FLAG;

impl InitiatorContext {
    /// A context from `cred` to `server_principal` (`service/host@REALM`).
    pub fn new(
        cred: &ClientCredential,
        server_principal: &str,
    ) -> Result<InitiatorContext, KerberosError> {
        let target = ffi::Name::krb5_principal(server_principal)
            .map_err(|e| KerberosError::from_status(e, Some(server_principal)))?;
        Ok(InitiatorContext {
            ctx: ffi::Ctx::new(),
            cred: cred.clone(),
            target,
            target_text: server_principal.to_string(),
            complete: false,
        })
    }

    /// One step: the first call takes an empty `input` and returns the AP-REQ; the next takes
    /// the server's AP-REP. Returns the token to send (`None` when there is nothing to send).
    /// The first step asks the KDC for a service ticket (blocking network I/O).
    pub fn step(&mut self, input: &[u8]) -> Result<Option<Vec<u8>>, KerberosError> {
        if self.complete {
            return Err(KerberosError::Other(
                "the security context is already established".into(),
            ));
        }
        let step = self
            .ctx
            .init(
                self.cred.cred.as_deref(),
                &self.target,
                INITIATOR_FLAGS,
                input,
            )
            .map_err(|e| KerberosError::from_status(e, Some(&self.target_text)))?;
        self.complete = !step.continue_needed;
        if self.complete && step.flags & ffi::C_MUTUAL_FLAG == 0 {
            return Err(KerberosError::Other(format!(
                "the server {} did not authenticate itself (no mutual authentication)",
                self.target_text
            )));
        }
        Ok((!step.token.is_empty()).then_some(step.token))
    }

    /// Whether the context is established.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The client principal.
    pub fn client_principal(&self) -> &str {
        self.cred.principal()
    }

    /// Turns the established context into a [`Session`] for wrapping.
    pub fn into_session(self) -> Session {
        Session(Arc::new(Mutex::new(self.ctx)))
    }
}

/// A server's credential from its keytab, for accepting contexts.
#[derive(Clone)]
pub struct AcceptorCredential {
    cred: Arc<ffi::Cred>,
    principal: Principal,
}

/// Shown as its principal: the library's handle means nothing to a reader.
impl std::fmt::Debug for AcceptorCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AcceptorCredential")
            .field("principal", &self.principal.to_string())
            .finish_non_exhaustive()
    }
}

impl AcceptorCredential {
    /// Reads `principal`'s key (a three-part `service/host@REALM`) from `keytab`.
    pub fn from_keytab(
        principal: &str,
        keytab: &std::path::Path,
    ) -> Result<AcceptorCredential, KerberosError> {
        let parsed = Principal::parse(principal).map_err(KerberosError::Other)?;
        if parsed.instance.is_none() || parsed.realm.is_none() {
            return Err(KerberosError::Other(format!(
                "the server principal {principal:?} must have three parts, service/host@REALM (Hadoop's clients take the SASL protocol and server id from it)"
            )));
        }
        let cred = keytab_credential(
            principal,
            keytab,
            "server keytab",
            ffi::C_ACCEPT,
            &[("keytab", &keytab.to_string_lossy())],
        )?;
        Ok(AcceptorCredential {
            cred: Arc::new(cred),
            principal: parsed,
        })
    }

    /// The server principal.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }
}

/// The server end of a security context.
#[derive(Debug)]
pub struct AcceptorContext {
    ctx: ffi::Ctx,
    cred: AcceptorCredential,
    client: Option<String>,
}

impl AcceptorContext {
    /// A context accepting with `cred`.
    pub fn new(cred: &AcceptorCredential) -> AcceptorContext {
        AcceptorContext {
            ctx: ffi::Ctx::new(),
            cred: cred.clone(),
            client: None,
        }
    }

    /// One step with the client's token; returns the token to send back (the AP-REP).
    pub fn step(&mut self, input: &[u8]) -> Result<Vec<u8>, KerberosError> {
        if self.client.is_some() {
            return Err(KerberosError::Other(
                "the security context is already established".into(),
            ));
        }
        let (step, source) = self
            .ctx
            .accept(&self.cred.cred, input)
            .map_err(|e| KerberosError::from_status(e, None))?;
        if !step.continue_needed {
            let source = source.ok_or_else(|| {
                KerberosError::Other("the established context names no client".into())
            })?;
            self.client = Some(
                source
                    .display()
                    .map_err(|e| KerberosError::from_status(e, None))?,
            );
        }
        Ok(step.token)
    }

    /// The authenticated client principal, once the context is established.
    pub fn client_principal(&self) -> Option<&str> {
        self.client.as_deref()
    }

    /// Turns the established context into a [`Session`] for wrapping.
    pub fn into_session(self) -> Session {
        Session(Arc::new(Mutex::new(self.ctx)))
    }
}

/// An established context, shared by a connection's wrapping and unwrapping halves (a GSS
/// context must not be used by two threads at once, hence the lock).
#[derive(Debug, Clone)]
pub struct Session(Arc<Mutex<ffi::Ctx>>);

impl Session {
    fn lock(&self) -> std::sync::MutexGuard<'_, ffi::Ctx> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wraps `msg`: a MIC always, encrypted when `encrypt`.
    pub fn wrap(&self, encrypt: bool, msg: &[u8]) -> Result<Vec<u8>, KerberosError> {
        self.lock()
            .wrap(encrypt, msg)
            .map_err(|e| KerberosError::from_status(e, None))
    }

    /// Unwraps `token`: the message and whether it was encrypted.
    pub fn unwrap(&self, token: &[u8]) -> Result<(Vec<u8>, bool), KerberosError> {
        self.lock()
            .unwrap(token)
            .map_err(|e| KerberosError::from_status(e, None))
    }
}
