//! The cluster's token master keys and what the RM issues with them: AMRMTokens (checked by the
//! scheduler port), NMTokens (checked by every NM) and ContainerTokens (checked by the NM that
//! runs the container). The keys are random per cluster; the NMs get theirs from the RM in
//! process (real YARN ships them in the NM heartbeat).

use std::sync::Arc;

use spindle_protocol::ids::{ApplicationAttemptId, NodeId};
use spindle_protocol::token::{ContainerTokenIdentifier, Token, hmac_sha1_password};
use spindle_protocol::yarn::secret::{AmRmTokenSecretManager, NmTokenSecretManager};

/// Id of the (only) master key of each kind.
pub const KEY_ID: i32 = 1;

/// The cluster's secrets.
#[derive(Debug, Clone)]
pub struct ClusterSecrets {
    /// AMRMToken master key.
    pub amrm_key: Vec<u8>,
    /// NMToken master key.
    pub nm_token_key: Vec<u8>,
    /// ContainerToken master key.
    pub container_key: Vec<u8>,
}

impl ClusterSecrets {
    /// Fresh random keys.
    pub fn random() -> Self {
        ClusterSecrets {
            amrm_key: rand::random::<[u8; 32]>().to_vec(),
            nm_token_key: rand::random::<[u8; 32]>().to_vec(),
            container_key: rand::random::<[u8; 32]>().to_vec(),
        }
    }

    /// The NMToken secret manager of the NM `node` (refuses tokens for other nodes).
    pub fn nm_secret_manager(&self, node: &NodeId) -> NmTokenSecretManager {
        NmTokenSecretManager::new(KEY_ID, self.nm_token_key.clone(), Some(node.clone()))
    }

    /// Whether a container token's password is right.
    pub fn container_token_valid(&self, token: &Token) -> bool {
        hmac_sha1_password(&self.container_key, &token.identifier) == token.password
    }
}

/// What the RM issues tokens with.
#[derive(Debug)]
pub struct TokenIssuer {
    secrets: ClusterSecrets,
    amrm: Arc<AmRmTokenSecretManager>,
    // The current AMRMToken master key id; rolls move it on (YARN's
    // `am-rm-tokens.master-key-rolling-interval-secs`).
    amrm_key_id: i32,
    nm: NmTokenSecretManager,
}

impl TokenIssuer {
    /// An issuer over `secrets`.
    pub fn new(secrets: ClusterSecrets) -> Self {
        TokenIssuer {
            amrm: Arc::new(AmRmTokenSecretManager::new(
                KEY_ID,
                secrets.amrm_key.clone(),
            )),
            amrm_key_id: KEY_ID,
            nm: NmTokenSecretManager::new(KEY_ID, secrets.nm_token_key.clone(), None),
            secrets,
        }
    }

    /// Rolls the AMRMToken master key: tokens issued from now on use a new random key; tokens
    /// of the previous key stay valid until [`TokenIssuer::retire_previous_amrm_key`] (YARN
    /// keeps them while AMs pick up their new tokens). Returns the new key id.
    pub fn roll_amrm_key(&mut self) -> i32 {
        self.amrm_key_id += 1;
        self.amrm
            .roll_key(self.amrm_key_id, rand::random::<[u8; 32]>().to_vec());
        self.amrm_key_id
    }

    /// Stops accepting AMRMTokens of every key before the current one.
    pub fn retire_previous_amrm_key(&self) {
        for old in KEY_ID..self.amrm_key_id {
            self.amrm.retire_key(old);
        }
    }

    /// The current AMRMToken master key id.
    pub fn amrm_key_id(&self) -> i32 {
        self.amrm_key_id
    }

    /// The secret manager the scheduler port checks AMRMTokens with.
    pub fn amrm_secret_manager(&self) -> Arc<AmRmTokenSecretManager> {
        self.amrm.clone()
    }

    /// The cluster's keys.
    pub fn secrets(&self) -> &ClusterSecrets {
        &self.secrets
    }

    /// A new AMRMToken for `attempt` (empty service, as the RM issues it).
    pub fn amrm_token(&self, attempt: ApplicationAttemptId) -> Token {
        self.amrm.create_token(attempt)
    }

    /// Stops accepting `attempt`'s AMRMToken on new connections.
    pub fn revoke_amrm(&self, attempt: ApplicationAttemptId) {
        self.amrm.revoke_attempt(attempt);
    }

    /// An NMToken for `attempt` on `node` (service = the NM's `ip:port`).
    pub fn nm_token(&self, attempt: ApplicationAttemptId, node: &NodeId, submitter: &str) -> Token {
        self.nm
            .create_token(attempt, node.clone(), submitter, node.to_string())
    }

    /// A ContainerToken for `identifier` (service = the NM's `ip:port`).
    pub fn container_token(&self, identifier: &ContainerTokenIdentifier) -> Token {
        identifier.issue(&self.secrets.container_key)
    }
}
