//! RM delegation tokens (`RM_DELEGATION_TOKEN`): what a Kerberos-authenticated client gets from
//! the RM (`getDelegationToken`) to hand to processes that have no Kerberos credentials (an
//! AM submitting more work, Oozie, Spark's credential renewal), and that authenticates them
//! to the RM client port over SASL TOKEN (DIGEST-MD5).
//!
//! * [`RmDelegationTokenIdentifier`]: the identifier, a `YARNDelegationTokenIdentifierProto`
//!   (Hadoop writes it as protobuf: owner, renewer, real user, issue and max dates, sequence
//!   number, master key id).
//! * [`DelegationTokenSecretManager`]: the RM side, as Hadoop's
//!   `AbstractDelegationTokenSecretManager`: issue (password = HMAC-SHA1 of the identifier
//!   under the master key), renew (by the renewer only, each time for the renew interval,
//!   never past the max date), cancel (by the owner or the renewer), and check a token when a
//!   client authenticates with it (known, not cancelled, not expired).
//! * [`DelegationTokenService`]: serves `getDelegationToken`, `renewDelegationToken` and
//!   `cancelDelegationToken` in front of an ApplicationClientProtocol service.
//! * [`renew_at`]: when a long-running holder should renew (at 75 % of the way to expiry, as
//!   Spark does), a pure function of the times.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use prost::Message;

use crate::ipc::{
    CallContext, CallFuture, CallerAuth, InvalidToken, SecretManager, Service, ServiceError,
    TokenIdentity,
};
use crate::proto::security::{
    CancelDelegationTokenRequestProto, CancelDelegationTokenResponseProto,
    GetDelegationTokenRequestProto, GetDelegationTokenResponseProto,
    RenewDelegationTokenRequestProto, RenewDelegationTokenResponseProto,
    YARNDelegationTokenIdentifierProto,
};
use crate::token::{KIND_RM_DELEGATION_TOKEN, Token, TokenError, hmac_sha1_password};

/// `yarn.resourcemanager.delegation.token.renew-interval` default: 24 h.
pub const DEFAULT_RENEW_INTERVAL: Duration = Duration::from_secs(24 * 3600);
/// `yarn.resourcemanager.delegation.token.max-lifetime` default: 7 days.
pub const DEFAULT_MAX_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

use crate::java_class::{ACCESS_CONTROL, INVALID_TOKEN, IO as IO_EXCEPTION};

/// A decoded `YARNDelegationTokenIdentifierProto`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RmDelegationTokenIdentifier {
    /// Who the token acts for (a full principal, e.g. `alice@EXAMPLE.COM`).
    pub owner: String,
    /// The short name allowed to renew it.
    pub renewer: String,
    /// The real user when the owner is proxied (empty otherwise).
    pub real_user: String,
    /// Issue time, ms since the epoch.
    pub issue_date: i64,
    /// The token cannot be renewed past this time, ms since the epoch.
    pub max_date: i64,
    /// The RM's sequence number for it.
    pub sequence_number: i32,
    /// The master key that signed it.
    pub master_key_id: i32,
}

impl RmDelegationTokenIdentifier {
    /// Decodes identifier bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, TokenError> {
        let p = YARNDelegationTokenIdentifierProto::decode(bytes).map_err(|source| {
            TokenError::Identifier {
                message: "YARNDelegationTokenIdentifierProto",
                source,
            }
        })?;
        Ok(RmDelegationTokenIdentifier {
            owner: p.owner.unwrap_or_default(),
            renewer: p.renewer.unwrap_or_default(),
            real_user: p.real_user.unwrap_or_default(),
            issue_date: p.issue_date.unwrap_or_default(),
            max_date: p.max_date.unwrap_or_default(),
            sequence_number: p.sequence_number.unwrap_or_default(),
            master_key_id: p.master_key_id.unwrap_or_default(),
        })
    }

    /// The identifier bytes, every field written as Hadoop writes them.
    pub fn encode(&self) -> Vec<u8> {
        YARNDelegationTokenIdentifierProto {
            owner: Some(self.owner.clone()),
            renewer: Some(self.renewer.clone()),
            real_user: Some(self.real_user.clone()),
            issue_date: Some(self.issue_date),
            max_date: Some(self.max_date),
            sequence_number: Some(self.sequence_number),
            master_key_id: Some(self.master_key_id),
        }
        .encode_to_vec()
    }

    /// The short user name the token authenticates: the owner's first component.
    pub fn user(&self) -> String {
        short(&self.owner)
    }

    /// How Hadoop prints it in messages.
    pub fn describe(&self) -> String {
        format!(
            "RM_DELEGATION_TOKEN owner={}, renewer={}, realUser={}, issueDate={}, maxDate={}, sequenceNumber={}, masterKeyId={}",
            self.owner,
            self.renewer,
            self.real_user,
            self.issue_date,
            self.max_date,
            self.sequence_number,
            self.master_key_id
        )
    }
}

/// The first component of a principal (`alice@R` → `alice`, `rm/host@R` → `rm`).
fn short(principal: &str) -> String {
    principal
        .split(['/', '@'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// When a holder of a token expiring at `expiry_ms` (renewed last at `renewed_ms`) should
/// renew it: 75 % of the way from the last renewal to the expiry, as Spark's
/// `spark.security.credentials.renewalRatio` does; never before `now_ms`.
pub fn renew_at(renewed_ms: i64, expiry_ms: i64, now_ms: i64) -> i64 {
    let span = (expiry_ms - renewed_ms).max(0);
    (renewed_ms + span * 3 / 4).max(now_ms)
}

/// A refused token operation, with the Java class Hadoop reports it as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DelegationError {
    /// The Java exception class.
    pub class_name: &'static str,
    /// What went wrong.
    pub message: String,
}

impl DelegationError {
    fn new(class_name: &'static str, message: impl Into<String>) -> Self {
        DelegationError {
            class_name,
            message: message.into(),
        }
    }

    fn invalid(message: impl Into<String>) -> Self {
        DelegationError::new(INVALID_TOKEN, message)
    }
}

impl From<DelegationError> for ServiceError {
    fn from(e: DelegationError) -> Self {
        ServiceError::new(e.class_name, e.message)
    }
}

/// A token that is neither cancelled nor forgotten.
#[derive(Debug)]
struct Live {
    expiry: i64,
}

#[derive(Debug)]
struct State {
    next_sequence: i32,
    tokens: HashMap<i32, Live>,
}

/// The RM's delegation-token secret manager (see the module docs). Thread-safe.
pub struct DelegationTokenSecretManager {
    key_id: i32,
    key: Vec<u8>,
    renew_interval: i64,
    max_lifetime: i64,
    clock: Box<dyn Fn() -> i64 + Send + Sync>,
    state: Mutex<State>,
}

impl std::fmt::Debug for DelegationTokenSecretManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DelegationTokenSecretManager")
            .field("key_id", &self.key_id)
            .field("renew_interval_ms", &self.renew_interval)
            .field("max_lifetime_ms", &self.max_lifetime)
            .finish_non_exhaustive()
    }
}

impl DelegationTokenSecretManager {
    /// A manager signing with `key` (id `key_id`), with Hadoop's default intervals and the
    /// system clock.
    pub fn new(key_id: i32, key: impl Into<Vec<u8>>) -> Self {
        DelegationTokenSecretManager {
            key_id,
            key: key.into(),
            renew_interval: DEFAULT_RENEW_INTERVAL.as_millis() as i64,
            max_lifetime: DEFAULT_MAX_LIFETIME.as_millis() as i64,
            clock: Box::new(now_ms),
            state: Mutex::new(State {
                next_sequence: 1,
                tokens: HashMap::new(),
            }),
        }
    }

    /// The same with other intervals.
    pub fn with_intervals(mut self, renew_interval: Duration, max_lifetime: Duration) -> Self {
        self.renew_interval = renew_interval.as_millis() as i64;
        self.max_lifetime = max_lifetime.as_millis() as i64;
        self
    }

    /// The same with another clock (ms since the epoch), for tests.
    pub fn with_clock(mut self, clock: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Issues a token for `owner` (the caller's full name), renewable by `renewer`, with
    /// `service` (the RM client address clients use it for).
    pub fn issue(&self, owner: &str, renewer: &str, service: &str) -> Token {
        let now = (self.clock)();
        let mut st = self.lock();
        let sequence_number = st.next_sequence;
        st.next_sequence = st.next_sequence.wrapping_add(1).max(1);
        let id = RmDelegationTokenIdentifier {
            owner: owner.to_string(),
            renewer: short(renewer),
            real_user: String::new(),
            issue_date: now,
            max_date: now + self.max_lifetime,
            sequence_number,
            master_key_id: self.key_id,
        };
        let token = Token::issue(id.encode(), &self.key, KIND_RM_DELEGATION_TOKEN, service);
        st.tokens.insert(
            sequence_number,
            Live {
                expiry: now + self.renew_interval,
            },
        );
        token
    }

    /// The identifier of a token this manager issued and still tracks, with its password
    /// checked.
    fn known(&self, token: &Token) -> Result<RmDelegationTokenIdentifier, DelegationError> {
        if token.kind != KIND_RM_DELEGATION_TOKEN {
            return Err(DelegationError::invalid(format!(
                "token kind is {:?}, not {KIND_RM_DELEGATION_TOKEN}",
                token.kind
            )));
        }
        let id = RmDelegationTokenIdentifier::decode(&token.identifier)
            .map_err(|e| DelegationError::invalid(e.to_string()))?;
        let st = self.lock();
        match st.tokens.get(&id.sequence_number) {
            Some(_) if id.master_key_id == self.key_id && token.verify(&self.key) => Ok(id),
            _ => Err(DelegationError::invalid(format!(
                "token ({}) can't be found in cache",
                id.describe()
            ))),
        }
    }

    /// Renews `token` for `caller` (a short name, which must be the renewer): the new expiry.
    pub fn renew(&self, token: &Token, caller: &str) -> Result<i64, DelegationError> {
        let id = self.known(token)?;
        let now = (self.clock)();
        if id.renewer.is_empty() {
            return Err(DelegationError::new(
                ACCESS_CONTROL,
                format!(
                    "{caller} tried to renew a token ({}) without a renewer",
                    id.describe()
                ),
            ));
        }
        if id.renewer != short(caller) {
            return Err(DelegationError::new(
                ACCESS_CONTROL,
                format!(
                    "{caller} tries to renew a token ({}) with non-matching renewer {}",
                    id.describe(),
                    id.renewer
                ),
            ));
        }
        if id.max_date < now {
            return Err(DelegationError::invalid(format!(
                "{caller} tried to renew an expired token ({}) max expiration date: {} currentTime: {now}",
                id.describe(),
                id.max_date
            )));
        }
        let mut st = self.lock();
        let live = st
            .tokens
            .get_mut(&id.sequence_number)
            .ok_or_else(|| DelegationError::invalid("token was cancelled while renewing"))?;
        if live.expiry < now {
            return Err(DelegationError::invalid(format!(
                "token ({}) is expired, current time: {now} expected renewal time: {}",
                id.describe(),
                live.expiry
            )));
        }
        live.expiry = (now + self.renew_interval).min(id.max_date);
        Ok(live.expiry)
    }

    /// Cancels `token` for `caller` (its full name), who must be its owner or renewer.
    pub fn cancel(&self, token: &Token, caller: &str) -> Result<(), DelegationError> {
        let id = self.known(token)?;
        if caller != id.owner && short(caller) != id.renewer {
            return Err(DelegationError::new(
                ACCESS_CONTROL,
                format!(
                    "{caller} is not authorized to cancel the token {}",
                    id.describe()
                ),
            ));
        }
        self.lock().tokens.remove(&id.sequence_number);
        Ok(())
    }

    /// Forgets tokens past their expiry (Hadoop's remover thread); returns how many.
    pub fn remove_expired(&self) -> usize {
        let now = (self.clock)();
        let mut st = self.lock();
        let before = st.tokens.len();
        st.tokens.retain(|_, live| live.expiry >= now);
        before - st.tokens.len()
    }
}

impl SecretManager for DelegationTokenSecretManager {
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
        let id = RmDelegationTokenIdentifier::decode(identifier)
            .map_err(|e| InvalidToken(e.to_string()))?;
        let now = (self.clock)();
        let st = self.lock();
        let live = st.tokens.get(&id.sequence_number).ok_or_else(|| {
            InvalidToken(format!("token ({}) can't be found in cache", id.describe()))
        })?;
        if id.master_key_id != self.key_id {
            return Err(InvalidToken(format!(
                "token ({}) was signed by an unknown master key",
                id.describe()
            )));
        }
        if live.expiry < now {
            return Err(InvalidToken(format!(
                "token ({}) is expired, current time: {now} expected renewal time: {}",
                id.describe(),
                live.expiry
            )));
        }
        Ok(TokenIdentity {
            password: hmac_sha1_password(&self.key, identifier),
            user: id.user(),
        })
    }
}

/// Serves the three delegation-token calls of ApplicationClientProtocol in front of `inner`
/// (which serves the rest). As the RM: getting and renewing need a Kerberos-authenticated
/// caller on a secure server (a caller authenticated with a token cannot get another);
/// cancelling needs the owner or the renewer.
pub struct DelegationTokenService {
    inner: Arc<dyn Service>,
    tokens: Arc<DelegationTokenSecretManager>,
    secure: bool,
    service: String,
}

impl DelegationTokenService {
    /// Wraps `inner`; `secure` when the server authenticates clients with Kerberos;
    /// `service` goes into issued tokens (the RM client address).
    pub fn wrap(
        inner: Arc<dyn Service>,
        tokens: Arc<DelegationTokenSecretManager>,
        secure: bool,
        service: impl Into<String>,
    ) -> Arc<dyn Service> {
        Arc::new(DelegationTokenService {
            inner,
            tokens,
            secure,
            service: service.into(),
        })
    }

    fn allowed(&self, ctx: &CallContext, what: &str) -> Result<(), ServiceError> {
        match (&ctx.auth, self.secure) {
            (CallerAuth::Kerberos { .. }, _) | (_, false) => Ok(()),
            // The RM throws an IOException and its RPC layer wraps it into a YarnException
            // whose message starts with the IOException's class.
            _ => Err(ServiceError::new(
                crate::yarn::error::YARN_EXCEPTION,
                format!(
                    "{IO_EXCEPTION}: Delegation Token can be {what} only with kerberos authentication"
                ),
            )),
        }
    }

    /// The caller's full name: the principal for Kerberos, the user otherwise.
    fn full_name(ctx: &CallContext) -> String {
        match &ctx.auth {
            CallerAuth::Kerberos { principal } => principal.clone(),
            _ => ctx.user.clone(),
        }
    }

    fn handle(
        &self,
        ctx: &CallContext,
        method: &str,
        request: &Bytes,
    ) -> Result<Bytes, ServiceError> {
        let bad = |e: prost::DecodeError| ServiceError::bad_request(method, e);
        let out = match method {
            "getDelegationToken" => {
                self.allowed(ctx, "issued")?;
                let req = GetDelegationTokenRequestProto::decode(request.as_ref()).map_err(bad)?;
                let token = self
                    .tokens
                    .issue(&Self::full_name(ctx), &req.renewer, &self.service);
                GetDelegationTokenResponseProto {
                    token: Some(token.to_proto()),
                }
                .encode_to_vec()
            }
            "renewDelegationToken" => {
                self.allowed(ctx, "renewed")?;
                let req =
                    RenewDelegationTokenRequestProto::decode(request.as_ref()).map_err(bad)?;
                let expiry = self
                    .tokens
                    .renew(&Token::from_proto(&req.token), &ctx.user)?;
                RenewDelegationTokenResponseProto {
                    new_expiry_time: expiry.max(0) as u64,
                }
                .encode_to_vec()
            }
            _ => {
                let req =
                    CancelDelegationTokenRequestProto::decode(request.as_ref()).map_err(bad)?;
                self.tokens
                    .cancel(&Token::from_proto(&req.token), &Self::full_name(ctx))?;
                CancelDelegationTokenResponseProto {}.encode_to_vec()
            }
        };
        Ok(Bytes::from(out))
    }
}

impl Service for DelegationTokenService {
    fn protocol_name(&self) -> &str {
        self.inner.protocol_name()
    }

    fn protocol_version(&self) -> u64 {
        self.inner.protocol_version()
    }

    fn call(&self, ctx: CallContext, method: &str, request: Bytes) -> CallFuture {
        match method {
            "getDelegationToken" | "renewDelegationToken" | "cancelDelegationToken" => {
                let result = self.handle(&ctx, method, &request);
                Box::pin(async move { result })
            }
            _ => self.inner.call(ctx, method, request),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, Ordering};

    const HOUR: i64 = 3_600_000;

    fn manager(clock: Arc<AtomicI64>) -> DelegationTokenSecretManager {
        DelegationTokenSecretManager::new(3, b"rm-dt-key".to_vec())
            .with_intervals(Duration::from_secs(3600), Duration::from_secs(3 * 3600))
            .with_clock(move || clock.load(Ordering::SeqCst))
    }

    #[test]
    fn identifier_round_trips_and_names_the_short_user() {
        let id = RmDelegationTokenIdentifier {
            owner: "alice@EXAMPLE.COM".into(),
            renewer: "yarn".into(),
            real_user: String::new(),
            issue_date: 1,
            max_date: 2,
            sequence_number: 7,
            master_key_id: 3,
        };
        assert_eq!(
            RmDelegationTokenIdentifier::decode(&id.encode()).unwrap(),
            id
        );
        assert_eq!(id.user(), "alice");
        assert!(RmDelegationTokenIdentifier::decode(&[0xff, 0xff]).is_err());
    }

    #[test]
    fn issue_authenticate_renew_expire_and_cancel() {
        let clock = Arc::new(AtomicI64::new(1_000 * HOUR));
        let m = manager(clock.clone());
        let token = m.issue("alice@R", "alice", "127.0.0.1:8032");
        assert_eq!(token.kind, KIND_RM_DELEGATION_TOKEN);
        assert_eq!(token.service, "127.0.0.1:8032");
        let identity = m.retrieve_password(&token.identifier).unwrap();
        assert_eq!(
            (identity.password, identity.user.as_str()),
            (token.password.clone(), "alice")
        );
        // Only the renewer renews; each renewal adds the interval, never past the max date.
        let err = m.renew(&token, "mallory").unwrap_err();
        assert_eq!(err.class_name, ACCESS_CONTROL);
        clock.fetch_add(HOUR / 2, Ordering::SeqCst);
        assert_eq!(
            m.renew(&token, "alice").unwrap(),
            1_000 * HOUR + HOUR / 2 + HOUR
        );
        clock.fetch_add(HOUR, Ordering::SeqCst);
        m.renew(&token, "alice").unwrap();
        clock.fetch_add(HOUR, Ordering::SeqCst);
        assert_eq!(
            m.renew(&token, "alice").unwrap(),
            1_003 * HOUR,
            "capped at the max date"
        );
        // Past its expiry the token no longer authenticates, nor renews.
        clock.fetch_add(2 * HOUR, Ordering::SeqCst);
        let err = m.retrieve_password(&token.identifier).unwrap_err();
        assert!(err.0.contains("is expired"), "{err}");
        assert!(m.renew(&token, "alice").is_err());
        assert_eq!(m.remove_expired(), 1);
        // A fresh one: a stranger cannot cancel it, the owner can; then it is gone.
        let token = m.issue("alice@R", "yarn", "");
        assert_eq!(
            m.cancel(&token, "bob@R").unwrap_err().class_name,
            ACCESS_CONTROL
        );
        m.cancel(&token, "alice@R").unwrap();
        assert!(m.retrieve_password(&token.identifier).is_err());
        let err = m.renew(&token, "yarn").unwrap_err();
        assert!(err.message.contains("can't be found in cache"), "{err}");
    }

    #[test]
    fn forged_and_foreign_tokens_are_refused() {
        let m = manager(Arc::new(AtomicI64::new(0)));
        let mut token = m.issue("alice@R", "alice", "");
        token.password[0] ^= 1;
        assert!(m.renew(&token, "alice").is_err());
        let other =
            DelegationTokenSecretManager::new(9, b"other".to_vec()).issue("alice@R", "alice", "");
        assert!(m.renew(&other, "alice").is_err());
        assert!(m.retrieve_password(&other.identifier).is_err());
    }

    #[test]
    fn renewal_time_is_three_quarters_of_the_way() {
        assert_eq!(renew_at(0, 1000, 0), 750);
        assert_eq!(renew_at(0, 1000, 900), 900);
        assert_eq!(renew_at(500, 100, 0), 500);
    }
}
