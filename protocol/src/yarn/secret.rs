//! Server-side secret managers for YARN tokens: [`AmRmTokenSecretManager`] (RM scheduler port)
//! and [`NmTokenSecretManager`] (NodeManager). Both issue tokens with
//! `password = HMAC-SHA1(master key, identifier)`, keep several master keys by id (for
//! roll-over), and can revoke the tokens of finished attempts.

use std::collections::{BTreeMap, HashSet};
use std::sync::RwLock;

use crate::ids::{ApplicationAttemptId, NodeId};
use crate::ipc::{InvalidToken, SecretManager, TokenIdentity};
use crate::token::{AmRmTokenIdentifier, NmTokenIdentifier, Token, TokenError, hmac_sha1_password};

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

/// Secret manager of the RM scheduler port: accepts AMRMTokens signed with a known key.
#[derive(Debug)]
pub struct AmRmTokenSecretManager {
    ring: RwLock<KeyRing>,
}

impl AmRmTokenSecretManager {
    /// A manager whose current master key is `key` with id `key_id`.
    pub fn new(key_id: i32, key: impl Into<Vec<u8>>) -> Self {
        AmRmTokenSecretManager {
            ring: RwLock::new(KeyRing::new(key_id, key.into())),
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

    /// Issues an AMRMToken for `attempt` with the current key (service empty, as the RM does).
    pub fn create_token(&self, attempt: ApplicationAttemptId) -> Token {
        let ring = read(&self.ring);
        let id = AmRmTokenIdentifier {
            attempt_id: attempt,
            key_id: ring.current,
        };
        id.issue(
            ring.keys
                .get(&ring.current)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        )
    }
}

impl SecretManager for AmRmTokenSecretManager {
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
        let id =
            AmRmTokenIdentifier::decode(identifier).map_err(|e| undecodable("AMRMToken", e))?;
        let password =
            read(&self.ring).password("AMRMToken", id.key_id, &id.attempt_id, identifier)?;
        Ok(TokenIdentity {
            password,
            user: id.user(),
        })
    }
}

/// Secret manager of a NodeManager: accepts NMTokens signed with a known key and, when a node
/// id is set, only those issued for this node.
#[derive(Debug)]
pub struct NmTokenSecretManager {
    ring: RwLock<KeyRing>,
    node_id: Option<NodeId>,
}

impl NmTokenSecretManager {
    /// A manager whose current master key is `key` with id `key_id`. With `node_id`, tokens
    /// for other nodes are refused.
    pub fn new(key_id: i32, key: impl Into<Vec<u8>>, node_id: Option<NodeId>) -> Self {
        NmTokenSecretManager {
            ring: RwLock::new(KeyRing::new(key_id, key.into())),
            node_id,
        }
    }

    /// Adds a new master key and makes it current.
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

    /// Issues an NMToken for `attempt` on `node`, with service `service` (the NM's `ip:port`).
    pub fn create_token(
        &self,
        attempt: ApplicationAttemptId,
        node: NodeId,
        app_submitter: impl Into<String>,
        service: impl Into<String>,
    ) -> Token {
        let ring = read(&self.ring);
        let id = NmTokenIdentifier {
            attempt_id: attempt,
            node_id: node,
            app_submitter: app_submitter.into(),
            key_id: ring.current,
        };
        id.issue(
            ring.keys
                .get(&ring.current)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            service,
        )
    }
}

impl SecretManager for NmTokenSecretManager {
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
        let id = NmTokenIdentifier::decode(identifier).map_err(|e| undecodable("NMToken", e))?;
        if let Some(node) = &self.node_id
            && *node != id.node_id
        {
            return Err(InvalidToken(format!(
                "Given NMToken for application : {} is not valid for current node manager.expected : {} found : {}",
                id.attempt_id, node, id.node_id
            )));
        }
        let password =
            read(&self.ring).password("NMToken", id.key_id, &id.attempt_id, identifier)?;
        Ok(TokenIdentity {
            password,
            user: id.user(),
        })
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
}
