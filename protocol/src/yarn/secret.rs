//! Server-side secret managers for YARN tokens: [`AmRmTokenSecretManager`] (RM scheduler port)
//! and [`NmTokenSecretManager`] (NodeManager). Both issue tokens with
//! `password = HMAC-SHA1(master key, identifier)`, keep several master keys by id (for
//! roll-over), and can revoke the tokens of finished attempts.

use std::collections::{BTreeMap, HashSet};
use std::marker::PhantomData;
use std::sync::RwLock;

use crate::ids::{ApplicationAttemptId, NodeId};
use crate::ipc::{InvalidToken, SecretManager, TokenIdentity};
use crate::token::{
    AmRmTokenIdentifier, AttemptTokenIdentifier, ContainerTokenIdentifier, KIND_CONTAINER_TOKEN,
    NmTokenIdentifier, Token, TokenError, hmac_sha1_password,
};

/// Master keys by id, the current one, and revoked attempts.
#[derive(Debug, Default)]
struct KeyRing {
    keys: BTreeMap<i32, Vec<u8>>,
    current: i32,
    revoked: HashSet<ApplicationAttemptId>,
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|p| p.into_inner())
}

impl KeyRing {
    fn new(key_id: i32, key: Vec<u8>) -> Self {
        let mut keys = BTreeMap::new();
        keys.insert(key_id, key);
        KeyRing {
            keys,
            current: key_id,
            revoked: HashSet::new(),
        }
    }

    fn password(
        &self,
        kind: &str,
        key_id: i32,
        attempt: &ApplicationAttemptId,
        identifier: &[u8],
    ) -> Result<Vec<u8>, InvalidToken> {
        if self.revoked.contains(attempt) {
            return Err(InvalidToken(format!(
                "{kind} for {attempt} is no longer valid: the attempt has finished"
            )));
        }
        let key = self.keys.get(&key_id).ok_or_else(|| {
            InvalidToken(format!(
                "{kind} for {attempt} uses master key {key_id}, which this server does not know (current key {})",
                self.current
            ))
        })?;
        Ok(hmac_sha1_password(key, identifier))
    }
}

fn undecodable(kind: &str, e: TokenError) -> InvalidToken {
    InvalidToken(format!("cannot decode the {kind} identifier: {e}"))
}

/// Secret manager of tokens issued to application attempts, `I` being the identifier type:
/// accepts tokens signed with a known master key, of attempts not revoked, and, when bound to
/// a node, only tokens naming that node. See [`AmRmTokenSecretManager`] and
/// [`NmTokenSecretManager`].
#[derive(Debug)]
pub struct AttemptTokenSecretManager<I> {
    ring: RwLock<KeyRing>,
    node_id: Option<NodeId>,
    identifier: PhantomData<fn() -> I>,
}

/// Secret manager of the RM scheduler port: accepts AMRMTokens signed with a known key.
pub type AmRmTokenSecretManager = AttemptTokenSecretManager<AmRmTokenIdentifier>;

/// Secret manager of a NodeManager: accepts NMTokens signed with a known key and, when a node
/// id is set, only those issued for this node.
pub type NmTokenSecretManager = AttemptTokenSecretManager<NmTokenIdentifier>;

impl<I> AttemptTokenSecretManager<I> {
    fn with_key(key_id: i32, key: Vec<u8>, node_id: Option<NodeId>) -> Self {
        AttemptTokenSecretManager {
            ring: RwLock::new(KeyRing::new(key_id, key)),
            node_id,
            identifier: PhantomData,
        }
    }

    /// Adds a new master key and makes it current (old keys stay valid until retired).
    pub fn roll_key(&self, key_id: i32, key: impl Into<Vec<u8>>) {
        let mut ring = write(&self.ring);
        ring.keys.insert(key_id, key.into());
        ring.current = key_id;
    }

    /// Stops accepting tokens signed with `key_id`.
    pub fn retire_key(&self, key_id: i32) {
        write(&self.ring).keys.remove(&key_id);
    }

    /// Stops accepting tokens of a finished attempt.
    pub fn revoke_attempt(&self, attempt: ApplicationAttemptId) {
        write(&self.ring).revoked.insert(attempt);
    }

    /// Signs with the current master key: `issue(key id, key)`.
    fn issue_with_current_key(&self, issue: impl FnOnce(i32, &[u8]) -> Token) -> Token {
        let ring = read(&self.ring);
        let key = ring.keys.get(&ring.current).map(Vec::as_slice);
        issue(ring.current, key.unwrap_or_default())
    }
}

impl AmRmTokenSecretManager {
    /// A manager whose current master key is `key` with id `key_id`.
    pub fn new(key_id: i32, key: impl Into<Vec<u8>>) -> Self {
        AttemptTokenSecretManager::with_key(key_id, key.into(), None)
    }

    /// Issues an AMRMToken for `attempt` with the current key (service empty, as the RM does).
    pub fn create_token(&self, attempt: ApplicationAttemptId) -> Token {
        self.issue_with_current_key(|key_id, key| {
            AmRmTokenIdentifier {
                attempt_id: attempt,
                key_id,
            }
            .issue(key)
        })
    }
}

impl NmTokenSecretManager {
    /// A manager whose current master key is `key` with id `key_id`. With `node_id`, tokens
    /// for other nodes are refused.
    pub fn new(key_id: i32, key: impl Into<Vec<u8>>, node_id: Option<NodeId>) -> Self {
        AttemptTokenSecretManager::with_key(key_id, key.into(), node_id)
    }

    /// Issues an NMToken for `attempt` on `node`, with service `service` (the NM's `ip:port`).
    pub fn create_token(
        &self,
        attempt: ApplicationAttemptId,
        node: NodeId,
        app_submitter: impl Into<String>,
        service: impl Into<String>,
    ) -> Token {
        self.issue_with_current_key(|key_id, key| {
            NmTokenIdentifier {
                attempt_id: attempt,
                node_id: node,
                app_submitter: app_submitter.into(),
                key_id,
            }
            .issue(key, service)
        })
    }
}

impl<I: AttemptTokenIdentifier + 'static> SecretManager for AttemptTokenSecretManager<I> {
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
        let id = I::decode_identifier(identifier).map_err(|e| undecodable(I::TOKEN_NAME, e))?;
        if let (Some(node), Some(found)) = (&self.node_id, id.node())
            && node != found
        {
            return Err(InvalidToken(format!(
                "Given {} for application : {} is not valid for current node manager.expected : {} found : {}",
                I::TOKEN_NAME,
                id.attempt(),
                node,
                found
            )));
        }
        let password = read(&self.ring).password(
            I::TOKEN_NAME,
            id.master_key_id(),
            &id.attempt(),
            identifier,
        )?;
        Ok(TokenIdentity {
            password,
            user: id.attempt().to_string(),
        })
    }
}

/// Why a NodeManager refuses a container token at `startContainers`.
#[derive(Debug, thiserror::Error)]
pub enum ContainerTokenError {
    /// No token, or not a `ContainerToken`.
    #[error("Invalid ContainerToken: expected kind ContainerToken, got '{0}'")]
    WrongKind(String),
    /// The identifier does not decode.
    #[error("Invalid ContainerToken: {0}")]
    Malformed(#[from] TokenError),
    /// Signed with an unknown key or the password is wrong.
    #[error(
        "Invalid ContainerToken for {container}: password does not match (master key {key_id})"
    )]
    BadPassword {
        /// The container id string.
        container: String,
        /// The key id the identifier names.
        key_id: i32,
    },
    /// Issued to another attempt than the caller's NMToken.
    #[error(
        "Invalid ContainerToken: container {container} belongs to {owner}, not to the caller {caller}"
    )]
    WrongAttempt {
        /// The container id string.
        container: String,
        /// Its attempt.
        owner: ApplicationAttemptId,
        /// The calling attempt.
        caller: ApplicationAttemptId,
    },
    /// Issued for another NodeManager.
    #[error(
        "Invalid ContainerToken: container {container} was allocated on {expected}, not on {this_node}"
    )]
    WrongNode {
        /// The container id string.
        container: String,
        /// The node in the identifier.
        expected: String,
        /// This NM.
        this_node: String,
    },
    /// Past its expiry time.
    #[error(
        "Invalid ContainerToken: container {container} token expired at {expiry_ms} (now {now_ms}); the allocation was not started in time"
    )]
    Expired {
        /// The container id string.
        container: String,
        /// Expiry (ms since the epoch).
        expiry_ms: i64,
        /// Now (ms since the epoch).
        now_ms: i64,
    },
}

/// The NodeManager's check of container tokens: kind, password under a known master key,
/// owning attempt = the caller's (NMToken) attempt, node, and expiry.
#[derive(Debug)]
pub struct ContainerTokenVerifier {
    keys: RwLock<BTreeMap<i32, Vec<u8>>>,
    node_addr: String,
}

impl ContainerTokenVerifier {
    /// A verifier for the NM at `node_addr` (`host:port`, as in `nmHostAddr`), knowing master
    /// key `key_id`.
    pub fn new(key_id: i32, key: impl Into<Vec<u8>>, node_addr: impl Into<String>) -> Self {
        let mut keys = BTreeMap::new();
        keys.insert(key_id, key.into());
        ContainerTokenVerifier {
            keys: RwLock::new(keys),
            node_addr: node_addr.into(),
        }
    }

    /// Accepts tokens signed with another key too (after a roll-over).
    pub fn add_key(&self, key_id: i32, key: impl Into<Vec<u8>>) {
        write(&self.keys).insert(key_id, key.into());
    }

    /// Checks `token` for a `startContainers` call by `caller` at time `now_ms`.
    pub fn verify(
        &self,
        token: &Token,
        caller: ApplicationAttemptId,
        now_ms: i64,
    ) -> Result<ContainerTokenIdentifier, ContainerTokenError> {
        if token.kind != KIND_CONTAINER_TOKEN {
            return Err(ContainerTokenError::WrongKind(token.kind.clone()));
        }
        let id = ContainerTokenIdentifier::decode(&token.identifier)?;
        let key_id = id.proto.master_key_id();
        let keys = read(&self.keys);
        let ok = keys.get(&key_id).map(|k| token.verify(k)).unwrap_or(false);
        if !ok {
            return Err(ContainerTokenError::BadPassword {
                container: id.user(),
                key_id,
            });
        }
        let owner = id.container_id.application_attempt_id;
        if owner != caller {
            return Err(ContainerTokenError::WrongAttempt {
                container: id.user(),
                owner,
                caller,
            });
        }
        if id.nm_host_addr() != self.node_addr {
            return Err(ContainerTokenError::WrongNode {
                container: id.user(),
                expected: id.nm_host_addr().to_string(),
                this_node: self.node_addr.clone(),
            });
        }
        let expiry = id.expiry_time_stamp();
        if id.proto.expiry_time_stamp.is_some() && expiry < now_ms {
            return Err(ContainerTokenError::Expired {
                container: id.user(),
                expiry_ms: expiry,
                now_ms,
            });
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt() -> ApplicationAttemptId {
        "appattempt_1700000000000_0001_000001".parse().unwrap()
    }

    #[test]
    fn amrm_matches_the_capture_and_rolls_keys() {
        let sm = AmRmTokenSecretManager::new(1, b"interop-amrm-master-key".to_vec());
        let t = sm.create_token(attempt());
        assert_eq!(
            hex::encode(&t.identifier),
            "0a0d0a0908011080d095ffbc3110011001"
        );
        assert_eq!(
            hex::encode(&t.password),
            "50fee28159547a92ad2eca2baf88edf1f6a7cf69"
        );
        let who = sm.retrieve_password(&t.identifier).unwrap();
        assert_eq!(who.password, t.password);
        assert_eq!(who.user, "appattempt_1700000000000_0001_000001");
        sm.roll_key(2, b"next".to_vec());
        let t2 = sm.create_token(attempt());
        assert_eq!(t2.amrm_identifier().unwrap().key_id, 2);
        assert!(
            sm.retrieve_password(&t.identifier).is_ok(),
            "old key still accepted"
        );
        sm.retire_key(1);
        let err = sm.retrieve_password(&t.identifier).unwrap_err();
        assert!(err.0.contains("master key 1"), "{err}");
        sm.revoke_attempt(attempt());
        assert!(sm.retrieve_password(&t2.identifier).is_err());
        assert!(sm.retrieve_password(b"\xff\xff").is_err());
    }

    #[test]
    fn nm_checks_the_node() {
        let here = NodeId::new("127.0.0.1", 28041);
        let sm = NmTokenSecretManager::new(
            1,
            b"interop-nmtoken-master-key".to_vec(),
            Some(here.clone()),
        );
        let t = sm.create_token(attempt(), here.clone(), "root", "127.0.0.1:28041");
        assert_eq!(
            hex::encode(&t.password),
            "7601223711b721a5c338c0da8baccdfbdefc13d6",
            "same bytes as the captured NMToken"
        );
        assert_eq!(
            sm.retrieve_password(&t.identifier).unwrap().user,
            attempt().to_string()
        );
        let other = sm.create_token(attempt(), NodeId::new("10.0.0.9", 1), "root", "10.0.0.9:1");
        let err = sm.retrieve_password(&other.identifier).unwrap_err();
        assert!(
            err.0.contains("not valid for current node manager"),
            "{err}"
        );
    }

    #[test]
    fn container_tokens_are_checked_like_an_nm_does() {
        use crate::ids::ContainerId;
        use crate::proto::security::ContainerTokenIdentifierProto;
        let cid = ContainerId::new(attempt(), 2);
        let make = |node: &str, expiry: i64, key: &[u8]| {
            ContainerTokenIdentifier::from_proto(ContainerTokenIdentifierProto {
                container_id: Some(cid.to_proto()),
                nm_host_addr: Some(node.into()),
                expiry_time_stamp: Some(expiry),
                master_key_id: Some(1),
                ..Default::default()
            })
            .unwrap()
            .issue(key)
        };
        let v = ContainerTokenVerifier::new(1, b"ck".to_vec(), "127.0.0.1:28041");
        let good = make("127.0.0.1:28041", 2_000, b"ck");
        assert_eq!(v.verify(&good, attempt(), 1_000).unwrap().container_id, cid);
        let other_attempt: ApplicationAttemptId =
            "appattempt_1700000000000_0002_000001".parse().unwrap();
        assert!(matches!(
            v.verify(&good, other_attempt, 1_000),
            Err(ContainerTokenError::WrongAttempt { .. })
        ));
        assert!(matches!(
            v.verify(&good, attempt(), 3_000),
            Err(ContainerTokenError::Expired { .. })
        ));
        let forged = make("127.0.0.1:28041", 2_000, b"not-the-key");
        assert!(matches!(
            v.verify(&forged, attempt(), 1_000),
            Err(ContainerTokenError::BadPassword { key_id: 1, .. })
        ));
        let elsewhere = make("10.0.0.1:1", 2_000, b"ck");
        assert!(matches!(
            v.verify(&elsewhere, attempt(), 1_000),
            Err(ContainerTokenError::WrongNode { .. })
        ));
        let mut wrong_kind = good.clone();
        wrong_kind.kind = "NMToken".into();
        let err = v.verify(&wrong_kind, attempt(), 1_000).unwrap_err();
        assert!(
            err.to_string().starts_with("Invalid ContainerToken"),
            "{err}"
        );
        let mut garbage = good.clone();
        garbage.identifier = vec![0xff];
        assert!(matches!(
            v.verify(&garbage, attempt(), 1_000),
            Err(ContainerTokenError::Malformed(_))
        ));
    }
}
