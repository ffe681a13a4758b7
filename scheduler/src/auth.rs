//! The per-application secret and the tokens minted from it (kind [`KIND_APP_TOKEN`]).
//!
//! The submitting side creates an [`AppSecret`] and ships it in the containers' credentials
//! file ([`AppSecret::add_to`]); every driver, AM and executor reads it back
//! ([`AppSecret::from_credentials`]) and mints its own token (identifier = role and name,
//! password = `HMAC-SHA1(secret, identifier)`) to authenticate with SASL DIGEST-MD5. Servers
//! check tokens with [`AppSecretManager`]; servers prove themselves with [`AppSecret::proof`].

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use prost::Message;
use spindle_protocol::credentials::{Credentials, CredentialsError};
use spindle_protocol::ipc::{ClientAuth, InvalidToken, SecretManager, TokenIdentity};
use spindle_protocol::token::{Token, hmac_sha1_password};

use crate::proto::AppTokenIdentifierProto;

/// Kind of an application token.
pub const KIND_APP_TOKEN: &str = "SPINDLE_APP_TOKEN";
/// Alias of the secret in a credentials file.
pub const SECRET_ALIAS: &str = "spindle.app.secret";
/// Alias of the application id (UTF-8 bytes) in a credentials file.
pub const APP_ID_ALIAS: &str = "spindle.app.id";
/// Length of a generated secret.
pub const SECRET_LEN: usize = 32;
const PROOF_LABEL: &[u8] = b"spindle-driver-proof";

/// Who holds a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// An executor.
    Executor,
    /// The ApplicationMaster.
    Am,
    /// The driver (calling the AM).
    Driver,
}

impl Role {
    /// Its name in identifiers.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Executor => "executor",
            Role::Am => "am",
            Role::Driver => "driver",
        }
    }
}

/// Why the secret could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The credentials file could not be read.
    #[error("cannot read the credentials file {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// Why.
        source: CredentialsError,
    },
    /// It holds no application secret.
    #[error(
        "the credentials hold no secret {SECRET_ALIAS:?}; the submitting side must add it (AppSecret::add_to)"
    )]
    Missing,
    /// No credentials file was named.
    #[error("{0}")]
    NoFile(String),
    /// The secret is too short to be one we made.
    #[error("the application secret is {0} bytes; at least 16 are needed")]
    TooShort(usize),
}

/// An application's secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AppSecret {
    app_id: String,
    secret: Vec<u8>,
}

impl std::fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppSecret")
            .field("app_id", &self.app_id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl AppSecret {
    /// A new random secret for `app_id`.
    pub fn generate(app_id: impl Into<String>) -> Self {
        let secret: [u8; SECRET_LEN] = rand::random();
        AppSecret {
            app_id: app_id.into(),
            secret: secret.to_vec(),
        }
    }

    /// A secret from known bytes (at least 16).
    pub fn new(app_id: impl Into<String>, secret: Vec<u8>) -> Result<Self, SecretError> {
        if secret.len() < 16 {
            return Err(SecretError::TooShort(secret.len()));
        }
        Ok(AppSecret {
            app_id: app_id.into(),
            secret,
        })
    }

    /// The application id.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// Adds the secret (and the application id) to `creds`.
    pub fn add_to(&self, creds: &mut Credentials) {
        creds.add_secret(SECRET_ALIAS, self.secret.clone());
        creds.add_secret(APP_ID_ALIAS, self.app_id.as_bytes().to_vec());
    }

    /// Reads the secret from `creds`.
    pub fn from_credentials(creds: &Credentials) -> Result<Self, SecretError> {
        let secret = creds.secret(SECRET_ALIAS).ok_or(SecretError::Missing)?;
        let app_id = creds
            .secret(APP_ID_ALIAS)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        AppSecret::new(app_id, secret.to_vec())
    }

    /// Reads the secret from a credentials file (`HADOOP_TOKEN_FILE_LOCATION`).
    pub fn from_file(path: &Path) -> Result<Self, SecretError> {
        let creds = Credentials::read_file(path).map_err(|source| SecretError::File {
            path: path.display().to_string(),
            source,
        })?;
        AppSecret::from_credentials(&creds)
    }

    /// Writes a credentials file holding only this secret (for local executors).
    pub fn write_file(&self, path: &Path) -> Result<(), CredentialsError> {
        let mut creds = Credentials::new();
        self.add_to(&mut creds);
        creds.write_file(path)
    }

    /// A token for `role`/`name`.
    pub fn mint(&self, role: Role, name: &str) -> Token {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let identifier = AppTokenIdentifierProto {
            app_id: self.app_id.clone(),
            role: role.as_str().to_string(),
            name: name.to_string(),
            issue_date_ms: now,
        }
        .encode_to_vec();
        Token::issue(identifier, &self.secret, KIND_APP_TOKEN, "")
    }

    /// IPC client credentials for `role`/`name`.
    pub fn client_auth(&self, role: Role, name: &str) -> ClientAuth {
        let token = self.mint(role, name);
        ClientAuth::Token {
            identifier: token.identifier,
            password: token.password,
            user: format!("{}/{name}", role.as_str()),
        }
    }

    /// The server's proof for a registration nonce.
    pub fn proof(&self, nonce: &[u8]) -> Vec<u8> {
        let mut msg = PROOF_LABEL.to_vec();
        msg.extend_from_slice(nonce);
        hmac_sha1_password(&self.secret, &msg)
    }

    /// Whether `proof` answers `nonce` (constant-time comparison).
    pub fn verify_proof(&self, nonce: &[u8], proof: &[u8]) -> bool {
        let expected = self.proof(nonce);
        expected.len() == proof.len()
            && expected
                .iter()
                .zip(proof)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

/// A fresh registration nonce.
pub fn new_nonce() -> Vec<u8> {
    let n: [u8; crate::limits::NONCE_LEN] = rand::random();
    n.to_vec()
}

/// Checks application tokens on a server: the identifier must decode, name this
/// application, and (optionally) one of the accepted roles.
#[derive(Debug)]
pub struct AppSecretManager {
    secret: AppSecret,
    roles: Vec<Role>,
}

impl AppSecretManager {
    /// Accepts tokens of `roles` minted from `secret`.
    pub fn new(secret: AppSecret, roles: Vec<Role>) -> Self {
        AppSecretManager { secret, roles }
    }
}

impl SecretManager for AppSecretManager {
    fn retrieve_password(&self, identifier: &[u8]) -> Result<TokenIdentity, InvalidToken> {
        let id = AppTokenIdentifierProto::decode(identifier)
            .map_err(|e| InvalidToken(format!("not a {KIND_APP_TOKEN} identifier: {e}")))?;
        if id.app_id != self.secret.app_id {
            return Err(InvalidToken(format!(
                "token is for application {:?}, this server serves {:?}",
                id.app_id, self.secret.app_id
            )));
        }
        if !self.roles.iter().any(|r| r.as_str() == id.role) {
            return Err(InvalidToken(format!(
                "role {:?} may not call this server",
                id.role
            )));
        }
        Ok(TokenIdentity {
            password: hmac_sha1_password(&self.secret.secret, identifier),
            user: format!("{}/{}", id.role, id.name),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_check_out_and_proofs_verify() {
        let s = AppSecret::generate("application_1_0001");
        let m = AppSecretManager::new(s.clone(), vec![Role::Executor]);
        let t = s.mint(Role::Executor, "3");
        let id = m.retrieve_password(&t.identifier).unwrap();
        assert_eq!(id.password, t.password);
        assert_eq!(id.user, "executor/3");
        let am = s.mint(Role::Am, "x");
        assert!(m.retrieve_password(&am.identifier).is_err(), "role refused");
        let other = AppSecret::generate("application_1_0002");
        assert!(
            m.retrieve_password(&other.mint(Role::Executor, "1").identifier)
                .is_err()
        );
        let nonce = new_nonce();
        assert!(s.verify_proof(&nonce, &s.proof(&nonce)));
        assert!(!other.verify_proof(&nonce, &s.proof(&nonce)));
    }

    #[test]
    fn secret_round_trips_through_a_credentials_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds");
        let s = AppSecret::generate("app");
        s.write_file(&path).unwrap();
        assert_eq!(AppSecret::from_file(&path).unwrap(), s);
        let empty = dir.path().join("empty");
        Credentials::new().write_file(&empty).unwrap();
        assert!(matches!(
            AppSecret::from_file(&empty),
            Err(SecretError::Missing)
        ));
    }
}
