//! The AM side of a launch: building `ContainerLaunchContextProto`s for executors (Spark's
//! ExecutorRunnable). The NodeManager side (a received launch context → the runner's spec) is
//! [`crate::spec::convert`].
//!
//! [`LaunchTemplate`] holds what is the same for every executor of an application: the program,
//! its arguments, the environment, the staged local resources, the credentials (the AMRMToken is
//! stripped), the ACLs and the aux-service data. [`LaunchTemplate::build`] adds one executor's
//! identity (id, host, cores, resource profile) as arguments and environment, and ends the command
//! with `1><LOG_DIR>/stdout 2><LOG_DIR>/stderr`. [`LaunchTemplate::debug_dump`] renders the context
//! once for the log with placeholders and every secret redacted.

pub mod resources;
pub mod shell;

use spindle_protocol::credentials::Credentials;
use spindle_protocol::proto::yarn::{
    ApplicationACLMapProto, ApplicationAccessTypeProto, ContainerLaunchContextProto,
    LocalResourceProto, LocalResourceTypeProto, LocalResourceVisibilityProto, StringBytesMapProto,
    StringLocalResourceMapProto, StringStringMapProto,
};
use spindle_protocol::token::KIND_AMRM_TOKEN;

use crate::spec::{SpecError, check_env_key, check_link_name};

pub use resources::{ResourceError, local_file_resource, url_from_uri};
pub use shell::escape_for_shell;
/// The allocator's id types an [`ExecutorIdentity`] is made of (re-exported so that callers name
/// them without depending on the allocator themselves).
pub use spindle_allocator::types::{ExecutorId, HostName, ProfileId};

/// Environment variables through which an executor learns its identity (the one list, shared
/// with the executors that read them).
pub mod env {
    pub use spindle_base::executor_env::*;
    /// The application's shared secret, for executors that cannot read a credentials file.
    pub const APP_SECRET: &str = "SPINDLE_APP_SECRET";
}

/// One executor's identity, added to the template's command and environment. Its ids are the
/// allocator's own types, so an AM fills it straight from the allocator's `Action::Launch`
/// (`executor_id`, `profile`, `container.host`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutorIdentity {
    /// The id the allocator gave the executor.
    pub executor_id: ExecutorId,
    /// The node host the container was allocated on.
    pub hostname: HostName,
    /// Cores the executor may use.
    pub cores: u32,
    /// The resource profile the container was requested for.
    pub resource_profile_id: ProfileId,
}

/// An identity as the text that goes into the command and the environment (placeholders in a
/// debug dump).
struct IdentityText {
    executor_id: String,
    hostname: String,
    cores: String,
    resource_profile_id: String,
}

impl From<&ExecutorIdentity> for IdentityText {
    fn from(who: &ExecutorIdentity) -> Self {
        IdentityText {
            executor_id: who.executor_id.to_string(),
            hostname: who.hostname.to_string(),
            cores: who.cores.to_string(),
            resource_profile_id: who.resource_profile_id.to_string(),
        }
    }
}

/// A staged local resource, by link name.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedResource {
    /// The link name in the container's work folder.
    pub link: String,
    /// The resource (URL, size, modification time, type, visibility, pattern).
    pub resource: LocalResourceProto,
}

/// Everything that is the same for every executor of an application.
#[derive(Debug, Clone, Default)]
pub struct LaunchTemplate {
    /// The program and fixed leading fragments, in YARN conventions and **not** quoted (so
    /// `{{PWD}}/bin/executor` or `{{JAVA_HOME}}/bin/java` work).
    pub program: Vec<String>,
    /// Literal arguments after the program; each is quoted with [`escape_for_shell`].
    pub args: Vec<String>,
    /// The driver's address.
    pub driver_url: String,
    /// The application id.
    pub app_id: String,
    /// The shared secret (put in the environment as [`env::APP_SECRET`]; redacted in dumps).
    pub app_secret: Option<String>,
    /// Extra environment (values in YARN conventions, e.g. `{{PWD}}<CPS>lib/*`).
    pub env: Vec<(String, String)>,
    /// Staged local resources.
    pub resources: Vec<NamedResource>,
    /// The AM's credentials; the AMRMToken is removed before they go to executors.
    pub credentials: Option<Credentials>,
    /// Users/groups allowed to view the application (Hadoop ACL syntax).
    pub view_acl: Option<String>,
    /// Users/groups allowed to modify the application.
    pub modify_acl: Option<String>,
    /// Aux-service data (e.g. a shuffle service's secret), by service name.
    pub service_data: Vec<(String, Vec<u8>)>,
}

/// Escapes a literal value for the NodeManager's `export K="V"` line.
pub fn escape_env_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '$' | '`' | '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

const REDACTED: &str = "*********(redacted)";

fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["secret", "password", "token", "credential"]
        .iter()
        .any(|w| k.contains(w))
}

impl LaunchTemplate {
    /// Checks the environment keys and link names the way a NodeManager will (the same
    /// [`crate::spec`] rules).
    pub fn validate(&self) -> Result<(), SpecError> {
        for (k, _) in &self.env {
            check_env_key(k)?;
        }
        for r in &self.resources {
            check_link_name(&r.link)?;
        }
        Ok(())
    }

    /// The command fragments for one executor.
    pub fn command(&self, who: &ExecutorIdentity) -> Vec<String> {
        self.command_for(&who.into())
    }

    /// The environment for one executor: the template's, then the identity variables.
    pub fn environment(&self, who: &ExecutorIdentity) -> Vec<(String, String)> {
        self.environment_for(&who.into())
    }

    /// What an executor is told, as (command-line flag, environment variable, value), in order.
    fn identity(&self, who: &IdentityText) -> [(&'static str, &'static str, String); 6] {
        [
            ("--driver-url", env::DRIVER_URL, self.driver_url.clone()),
            ("--executor-id", env::EXECUTOR_ID, who.executor_id.clone()),
            ("--hostname", env::EXECUTOR_HOST, who.hostname.clone()),
            ("--cores", env::EXECUTOR_CORES, who.cores.clone()),
            ("--app-id", env::APP_ID, self.app_id.clone()),
            (
                "--resource-profile-id",
                env::RESOURCE_PROFILE_ID,
                who.resource_profile_id.clone(),
            ),
        ]
    }

    fn command_for(&self, who: &IdentityText) -> Vec<String> {
        let mut cmd: Vec<String> = self.program.clone();
        cmd.extend(self.args.iter().map(|a| escape_for_shell(a)));
        for (flag, _, value) in self.identity(who) {
            cmd.push(flag.to_string());
            cmd.push(escape_for_shell(&value));
        }
        cmd.push("1><LOG_DIR>/stdout".into());
        cmd.push("2><LOG_DIR>/stderr".into());
        cmd
    }

    fn environment_for(&self, who: &IdentityText) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self.env.clone();
        let mut set = |k: &str, v: &str| {
            out.retain(|(key, _)| key != k);
            out.push((k.to_string(), escape_env_value(v)));
        };
        for (_, name, value) in self.identity(who) {
            set(name, &value);
        }
        if let Some(secret) = &self.app_secret {
            set(env::APP_SECRET, secret);
        }
        out
    }

    /// The credentials bytes for executors: the AM's credentials without the AMRMToken, in the HDTS
    /// Writable format; `None` without credentials.
    pub fn tokens(&self) -> Option<Vec<u8>> {
        self.credentials
            .as_ref()
            .map(|c| c.without_kind(KIND_AMRM_TOKEN).to_bytes())
    }

    /// The launch context for one executor.
    pub fn build(&self, who: &ExecutorIdentity) -> Result<ContainerLaunchContextProto, SpecError> {
        self.validate()?;
        let mut acls = Vec::new();
        if let Some(view) = &self.view_acl {
            acls.push(ApplicationACLMapProto {
                access_type: Some(ApplicationAccessTypeProto::AppaccessViewApp as i32),
                acl: Some(view.clone()),
            });
        }
        if let Some(modify) = &self.modify_acl {
            acls.push(ApplicationACLMapProto {
                access_type: Some(ApplicationAccessTypeProto::AppaccessModifyApp as i32),
                acl: Some(modify.clone()),
            });
        }
        Ok(ContainerLaunchContextProto {
            local_resources: self
                .resources
                .iter()
                .map(|r| StringLocalResourceMapProto {
                    key: Some(r.link.clone()),
                    value: Some(r.resource.clone()),
                })
                .collect(),
            tokens: self.tokens(),
            service_data: self
                .service_data
                .iter()
                .map(|(k, v)| StringBytesMapProto::new(k.clone(), v.clone()))
                .collect(),
            environment: self
                .environment(who)
                .into_iter()
                .map(|(k, v)| StringStringMapProto::new(k, v))
                .collect(),
            command: self.command(who),
            application_acls: acls,
            container_retry_context: None,
            tokens_conf: None,
        })
    }

    /// A readable dump of the launch context with `<executorId>`/`<hostname>` placeholders, secret
    /// environment values (names containing secret/password/token/credential, and the app secret
    /// wherever it appears) redacted, tokens listed by kind and service only, and service data by size.
    pub fn debug_dump(&self, cores: u32, resource_profile_id: ProfileId) -> String {
        let who = IdentityText {
            executor_id: "<executorId>".into(),
            hostname: "<hostname>".into(),
            cores: cores.to_string(),
            resource_profile_id: resource_profile_id.to_string(),
        };
        let redact = |text: &str| match &self.app_secret {
            Some(secret) if !secret.is_empty() => text.replace(secret.as_str(), REDACTED),
            _ => text.to_string(),
        };
        let mut out =
            String::from("===============================================================\n");
        out.push_str("Executor launch context:\n  env:\n");
        for (k, v) in self.environment_for(&who) {
            let shown = if is_secret_key(&k) {
                REDACTED.to_string()
            } else {
                redact(&v)
            };
            out.push_str(&format!("    {k} -> {shown}\n"));
        }
        out.push_str(&format!(
            "\n  command:\n    {}\n",
            redact(&self.command_for(&who).join(" "))
        ));
        out.push_str("\n  resources:\n");
        for r in &self.resources {
            let res = &r.resource;
            let url = res.resource.as_ref();
            let kind = res
                .r#type
                .and_then(|t| LocalResourceTypeProto::try_from(t).ok())
                .map(|t| format!("{t:?}").to_uppercase())
                .unwrap_or_else(|| "?".into());
            let vis = res
                .visibility
                .and_then(|t| LocalResourceVisibilityProto::try_from(t).ok())
                .map(|t| format!("{t:?}").to_uppercase())
                .unwrap_or_else(|| "?".into());
            out.push_str(&format!(
                "    {} -> resource {{ scheme: {:?} host: {:?} port: {} file: {:?} }} size: {} timestamp: {} type: {} visibility: {}\n",
                r.link,
                url.and_then(|u| u.scheme.clone()).unwrap_or_default(),
                url.and_then(|u| u.host.clone()).unwrap_or_default(),
                url.and_then(|u| u.port).unwrap_or(-1),
                url.and_then(|u| u.file.clone()).unwrap_or_default(),
                res.size.unwrap_or(0),
                res.timestamp.unwrap_or(0),
                kind,
                vis,
            ));
        }
        out.push_str("\n  tokens:\n");
        if let Some(creds) = &self.credentials {
            for (alias, t) in &creds.without_kind(KIND_AMRM_TOKEN).tokens {
                out.push_str(&format!(
                    "    alias {alias:?}: kind {:?} service {:?} (identifier and password redacted)\n",
                    t.kind, t.service
                ));
            }
            for (alias, s) in &creds.secrets {
                out.push_str(&format!(
                    "    secret {alias:?}: {} bytes (redacted)\n",
                    s.len()
                ));
            }
        }
        if !self.service_data.is_empty() {
            out.push_str("\n  service data:\n");
            for (k, v) in &self.service_data {
                out.push_str(&format!("    {k}: {} bytes (redacted)\n", v.len()));
            }
        }
        out.push_str("===============================================================\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spindle_protocol::token::Token;

    fn template() -> LaunchTemplate {
        let mut creds = Credentials::new();
        creds.add_token(
            "",
            Token::new(
                b"amrm-id".to_vec(),
                b"amrm-pw".to_vec(),
                KIND_AMRM_TOKEN,
                "",
            ),
        );
        creds.add_token(
            "hdfs",
            Token::new(
                b"dt-id".to_vec(),
                b"dt-pw".to_vec(),
                "HDFS_DELEGATION_TOKEN",
                "ha-hdfs:nn",
            ),
        );
        creds.add_secret("sparkCookie", b"cookie".to_vec());
        LaunchTemplate {
            program: vec!["{{PWD}}/bin/executor".into()],
            args: vec!["--conf".into(), "a b".into()],
            driver_url: "spindle://driver:7077".into(),
            app_id: "application_1_0001".into(),
            app_secret: Some("s3cr3t$".into()),
            env: vec![("CLASSPATH".into(), "{{PWD}}<CPS>{{PWD}}/lib/*".into())],
            resources: vec![],
            credentials: Some(creds),
            view_acl: Some("alice,bob admins".into()),
            modify_acl: Some("alice".into()),
            service_data: vec![("spark_shuffle".into(), b"shuffle-secret".to_vec())],
        }
    }

    fn who() -> ExecutorIdentity {
        ExecutorIdentity {
            executor_id: ExecutorId(7),
            hostname: "node3".into(),
            cores: 4,
            resource_profile_id: 0,
        }
    }

    #[test]
    fn command_follows_yarn_conventions() {
        let clc = template().build(&who()).unwrap();
        assert_eq!(
            clc.command.join(" "),
            "{{PWD}}/bin/executor '--conf' 'a b' --driver-url 'spindle://driver:7077' --executor-id '7' \
             --hostname 'node3' --cores '4' --app-id 'application_1_0001' --resource-profile-id '0' \
             1><LOG_DIR>/stdout 2><LOG_DIR>/stderr"
        );
        assert!(
            clc.environment
                .iter()
                .all(|e| e.key.is_some() && e.value.is_some())
        );
        let env = clc.env_pairs();
        assert!(env.contains(&("CLASSPATH".into(), "{{PWD}}<CPS>{{PWD}}/lib/*".into())));
        assert!(env.contains(&(env::EXECUTOR_ID.into(), "7".into())));
        assert!(env.contains(&(env::EXECUTOR_CORES.into(), "4".into())));
        assert!(env.contains(&(env::APP_SECRET.into(), "s3cr3t\\$".into())));
        assert_eq!(clc.application_acls.len(), 2);
        assert_eq!(clc.service_data[0].key.as_deref(), Some("spark_shuffle"));
    }

    #[test]
    fn the_amrm_token_is_stripped() {
        let clc = template().build(&who()).unwrap();
        let creds = Credentials::from_bytes(clc.tokens.as_ref().unwrap()).unwrap();
        assert!(creds.token_by_kind(KIND_AMRM_TOKEN).is_none());
        assert!(creds.token_by_kind("HDFS_DELEGATION_TOKEN").is_some());
        assert_eq!(creds.secret("sparkCookie"), Some(&b"cookie"[..]));
    }

    #[test]
    fn the_debug_dump_hides_secrets() {
        let dump = template().debug_dump(4, 0);
        assert!(
            dump.contains("<executorId>") && dump.contains("<hostname>"),
            "{dump}"
        );
        assert!(!dump.contains("s3cr3t"), "{dump}");
        assert!(!dump.contains("dt-pw") && !dump.contains("amrm"), "{dump}");
        assert!(!dump.contains("cookie\""), "{dump}");
        assert!(!dump.contains("shuffle-secret"), "{dump}");
        assert!(
            dump.contains("SPINDLE_APP_SECRET -> *********(redacted)"),
            "{dump}"
        );
        assert!(dump.contains("HDFS_DELEGATION_TOKEN"), "{dump}");
    }

    #[test]
    fn bad_names_are_refused() {
        let mut t = template();
        t.env.push(("BAD-KEY".into(), "x".into()));
        assert!(matches!(t.build(&who()), Err(SpecError::BadEnvKey { .. })));
        let mut t = template();
        t.resources.push(NamedResource {
            link: "../x".into(),
            resource: LocalResourceProto::default(),
        });
        assert!(matches!(
            t.build(&who()),
            Err(SpecError::BadLinkName { .. })
        ));
    }
}
