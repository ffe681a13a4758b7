//! What the NodeManager tells an AM about itself: the variables of its container and the
//! credentials file, read once at start-up and checked, so that a problem is reported before
//! anything talks to the ResourceManager.

use std::path::{Path, PathBuf};

use spindle_base::yarn_env;
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ContainerId};
use spindle_protocol::token::{KIND_AMRM_TOKEN, Token};

/// The AM's container, as its NodeManager described it.
#[derive(Debug, Clone)]
pub struct ContainerEnv {
    /// `CONTAINER_ID`.
    pub container_id: ContainerId,
    /// The NodeManager's host (`NM_HOST`): the AM registers with it.
    pub nm_host: String,
    /// `NM_PORT`.
    pub nm_port: u16,
    /// `NM_HTTP_PORT`, when the NodeManager serves HTTP.
    pub nm_http_port: Option<u16>,
    /// `LOCAL_DIRS`: scratch space, one folder per disk.
    pub local_dirs: Vec<PathBuf>,
    /// `LOG_DIRS`: where the AM's own logs (and a cluster-mode driver's) go.
    pub log_dirs: Vec<PathBuf>,
    /// `MAX_APP_ATTEMPTS` (1 when unset).
    pub max_attempts: u32,
    /// `APP_SUBMIT_TIME_ENV`, ms since the epoch.
    pub submit_time_ms: Option<i64>,
    /// `APPLICATION_WEB_PROXY_BASE`: the path under which the RM's proxy serves the AM's page.
    pub web_proxy_base: Option<String>,
    /// The user the application runs as (`USER`).
    pub user: String,
    /// The credentials file's tokens and secrets.
    pub credentials: Credentials,
    /// The AMRMToken from them.
    pub amrm_token: Token,
}

/// Why the AM cannot start from this environment.
#[derive(Debug, thiserror::Error)]
pub enum ContainerEnvError {
    /// A variable the NodeManager always sets is missing.
    #[error(
        "{0} is not set: `spindle am` runs inside a YARN container started by a NodeManager; to run an application, use `spindle submit`"
    )]
    Missing(&'static str),
    /// A variable does not parse.
    #[error("{name}={value:?} is not valid: {detail}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What was expected.
        detail: String,
    },
    /// The credentials file cannot be read or parsed.
    #[error("the credentials file {} (HADOOP_TOKEN_FILE_LOCATION) is unusable: {detail}", path.display())]
    Credentials {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The credentials hold no AMRMToken.
    #[error(
        "the credentials file {} holds no {KIND_AMRM_TOKEN} token: the ResourceManager puts one there for an AM container; was this container started as an application's AM?",
        path.display()
    )]
    NoAmRmToken {
        /// The file.
        path: PathBuf,
    },
}

impl ContainerEnv {
    /// Reads the container from this process's environment.
    pub fn from_process() -> Result<Self, ContainerEnvError> {
        ContainerEnv::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the container from variables looked up by `var`.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, ContainerEnvError> {
        let required = |name: &'static str| {
            var(name)
                .filter(|v| !v.is_empty())
                .ok_or(ContainerEnvError::Missing(name))
        };
        let invalid =
            |name: &'static str, value: &str, detail: String| ContainerEnvError::Invalid {
                name,
                value: value.to_string(),
                detail,
            };
        let port = |name: &'static str, value: &str| {
            value
                .parse::<u16>()
                .map_err(|e| invalid(name, value, format!("expected a port number: {e}")))
        };
        let dirs = |value: String| -> Vec<PathBuf> {
            value
                .split(',')
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
                .collect()
        };

        let id_text = required(yarn_env::CONTAINER_ID)?;
        let container_id: ContainerId = id_text
            .parse()
            .map_err(|e| invalid(yarn_env::CONTAINER_ID, &id_text, format!("{e}")))?;
        let nm_host = required(yarn_env::NM_HOST)?;
        let nm_port_text = required(yarn_env::NM_PORT)?;
        let nm_port = port(yarn_env::NM_PORT, &nm_port_text)?;
        let nm_http_port = match var(yarn_env::NM_HTTP_PORT).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => Some(port(yarn_env::NM_HTTP_PORT, &v)?).filter(|p| *p != 0),
        };
        let max_attempts = match var(yarn_env::MAX_APP_ATTEMPTS).filter(|v| !v.is_empty()) {
            None => 1,
            Some(v) => v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                invalid(
                    yarn_env::MAX_APP_ATTEMPTS,
                    &v,
                    "expected a positive number".into(),
                )
            })?,
        };
        let submit_time_ms = match var(yarn_env::APP_SUBMIT_TIME_ENV).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => Some(v.parse::<i64>().map_err(|e| {
                invalid(
                    yarn_env::APP_SUBMIT_TIME_ENV,
                    &v,
                    format!("expected ms since the epoch: {e}"),
                )
            })?),
        };
        let user = var(yarn_env::USER)
            .or_else(|| var(yarn_env::LOGNAME))
            .filter(|u| !u.is_empty())
            .ok_or(ContainerEnvError::Missing(yarn_env::USER))?;
        let token_path = PathBuf::from(required(yarn_env::HADOOP_TOKEN_FILE_LOCATION)?);
        let (credentials, amrm_token) = read_credentials(&token_path)?;
        Ok(ContainerEnv {
            container_id,
            nm_host,
            nm_port,
            nm_http_port,
            local_dirs: var(yarn_env::LOCAL_DIRS).map(dirs).unwrap_or_default(),
            log_dirs: var(yarn_env::LOG_DIRS).map(dirs).unwrap_or_default(),
            max_attempts,
            submit_time_ms,
            web_proxy_base: var(yarn_env::APPLICATION_WEB_PROXY_BASE).filter(|v| !v.is_empty()),
            user,
            credentials,
            amrm_token,
        })
    }

    /// The attempt this AM is.
    pub fn attempt_id(&self) -> ApplicationAttemptId {
        self.container_id.application_attempt_id
    }

    /// The first log folder, where the AM writes its driver's output.
    pub fn log_dir(&self) -> Option<&Path> {
        self.log_dirs.first().map(PathBuf::as_path)
    }
}

fn read_credentials(path: &Path) -> Result<(Credentials, Token), ContainerEnvError> {
    let credentials = Credentials::read_file(path).map_err(|e| ContainerEnvError::Credentials {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let token = credentials
        .token_by_kind(KIND_AMRM_TOKEN)
        .cloned()
        .ok_or_else(|| ContainerEnvError::NoAmRmToken {
            path: path.to_path_buf(),
        })?;
    Ok((credentials, token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn amrm_token() -> Token {
        Token {
            identifier: vec![1, 2, 3],
            password: vec![4, 5],
            kind: KIND_AMRM_TOKEN.to_string(),
            service: String::new(),
        }
    }

    fn env(dir: &Path, overrides: &[(&str, Option<&str>)]) -> HashMap<String, String> {
        let tokens = dir.join("container_tokens");
        let mut creds = Credentials::new();
        creds.add_token("", amrm_token());
        creds.write_file(&tokens).unwrap();
        let mut vars: HashMap<String, String> = [
            ("CONTAINER_ID", "container_e17_1700000000000_0042_02_000001"),
            ("NM_HOST", "node1"),
            ("NM_PORT", "45454"),
            ("NM_HTTP_PORT", "8042"),
            ("LOCAL_DIRS", "/a,/b"),
            ("LOG_DIRS", "/logs/c1"),
            ("MAX_APP_ATTEMPTS", "2"),
            ("APP_SUBMIT_TIME_ENV", "1700000000123"),
            (
                "APPLICATION_WEB_PROXY_BASE",
                "/proxy/application_1700000000000_0042",
            ),
            ("USER", "alice"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        vars.insert(
            "HADOOP_TOKEN_FILE_LOCATION".into(),
            tokens.to_string_lossy().into_owned(),
        );
        for (k, v) in overrides {
            match v {
                Some(v) => vars.insert(k.to_string(), v.to_string()),
                None => vars.remove(*k),
            };
        }
        vars
    }

    fn read(vars: HashMap<String, String>) -> Result<ContainerEnv, ContainerEnvError> {
        ContainerEnv::from_lookup(move |k| vars.get(k).cloned())
    }

    #[test]
    fn a_nodemanagers_environment_reads_whole() {
        let dir = tempfile::tempdir().unwrap();
        let c = read(env(dir.path(), &[])).unwrap();
        assert_eq!(
            c.attempt_id().to_string(),
            "appattempt_1700000000000_0042_000002"
        );
        assert_eq!(
            (c.nm_host.as_str(), c.nm_port, c.nm_http_port),
            ("node1", 45454, Some(8042))
        );
        assert_eq!(c.local_dirs, vec![PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(c.log_dir(), Some(Path::new("/logs/c1")));
        assert_eq!(c.max_attempts, 2);
        assert_eq!(c.submit_time_ms, Some(1_700_000_000_123));
        assert_eq!(c.user, "alice");
        assert_eq!(c.amrm_token, amrm_token());
        let c = read(env(
            dir.path(),
            &[("MAX_APP_ATTEMPTS", None), ("NM_HTTP_PORT", Some("0"))],
        ))
        .unwrap();
        assert_eq!((c.max_attempts, c.nm_http_port), (1, None));
    }

    #[test]
    fn bad_environments_say_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("garbage");
        std::fs::write(&garbage, b"not a token file").unwrap();
        let empty = dir.path().join("empty_tokens");
        Credentials::new().write_file(&empty).unwrap();
        let (garbage, empty) = (
            garbage.to_string_lossy().into_owned(),
            empty.to_string_lossy().into_owned(),
        );
        type Overrides<'a> = Vec<(&'a str, Option<&'a str>)>;
        let cases: Vec<(Overrides, &str)> = vec![
            (
                vec![("CONTAINER_ID", None)],
                "CONTAINER_ID is not set: `spindle am` runs inside a YARN container",
            ),
            (
                vec![("CONTAINER_ID", Some("container_x"))],
                "CONTAINER_ID=\"container_x\" is not valid",
            ),
            (
                vec![("NM_PORT", Some("99999"))],
                "NM_PORT=\"99999\" is not valid: expected a port number",
            ),
            (
                vec![("MAX_APP_ATTEMPTS", Some("0"))],
                "expected a positive number",
            ),
            (
                vec![("APP_SUBMIT_TIME_ENV", Some("soon"))],
                "expected ms since the epoch",
            ),
            (vec![("USER", None)], "USER is not set"),
            (
                vec![("HADOOP_TOKEN_FILE_LOCATION", Some("/no/such/file"))],
                "(HADOOP_TOKEN_FILE_LOCATION) is unusable",
            ),
            (
                vec![("HADOOP_TOKEN_FILE_LOCATION", Some(garbage.as_str()))],
                "is unusable",
            ),
            (
                vec![("HADOOP_TOKEN_FILE_LOCATION", Some(empty.as_str()))],
                "holds no YARN_AM_RM_TOKEN token",
            ),
        ];
        for (overrides, expected) in cases {
            let err = read(env(dir.path(), &overrides)).unwrap_err().to_string();
            assert!(err.contains(expected), "{overrides:?}: {err}");
        }
    }
}
