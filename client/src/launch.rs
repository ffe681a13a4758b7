//! The ApplicationMaster's launch context: `spindle am` (the shipped binary, linked as
//! `spindle` in the container) with the application's flags, its environment, its local
//! resources and its credentials (the application secret).

use std::time::Duration;

use spindle_launcher::context::{NamedResource, escape_env_value, escape_for_shell};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, StringLocalResourceMapProto, StringStringMapProto,
};
use spindle_scheduler::auth::AppSecret;

/// The link name of the shipped `spindle` binary in every container.
pub const SPINDLE_LINK: &str = "spindle";
/// The link name of the shipped Hadoop configuration folder.
pub const CONF_LINK: &str = "__spindle_conf__";
/// The link name of the executors' resource list in the AM's container.
pub const EXECUTOR_RESOURCES_LINK: &str = "__spindle_executor_resources__.json";
use spindle_scheduler::driver::driver_env;

/// How many executors an application starts with and how big they are: what `spindle submit`
/// was told, what reaches the AM as `spindle am` flags and the driver as its environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executors {
    /// How many (the initial target; a driver may ask for another number).
    pub count: u32,
    /// Memory of each, MB.
    pub memory_mb: i64,
    /// Cores of each.
    pub cores: u32,
    /// Failures that fail the application (default: max(3, 2 × count)).
    pub max_failures: Option<u32>,
}

impl Default for Executors {
    fn default() -> Self {
        Executors {
            count: 2,
            memory_mb: 1024,
            cores: 1,
            max_failures: None,
        }
    }
}

impl Executors {
    /// What a driver is told of its executors ([`driver_env`]): how many, their cores and
    /// their memory. Both deploy modes give a driver exactly these (cluster mode through the
    /// AM's container, client mode through the local driver process).
    pub fn driver_env(&self) -> [(&'static str, String); 3] {
        [
            (driver_env::NUM_EXECUTORS, self.count.to_string()),
            (driver_env::EXECUTOR_CORES, self.cores.to_string()),
            (driver_env::EXECUTOR_MEMORY_MB, self.memory_mb.to_string()),
        ]
    }
}

/// Quotes `word` for one POSIX shell (`sh -c`): single quotes, each `'` written as `'\''`.
pub fn sh_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// What the AM runs, as `spindle am` flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmWorkload {
    /// `--shell COMMAND`.
    Shell(String),
    /// `--driver-command COMMAND` (cluster mode).
    DriverCommand(String),
    /// `--driver-url HOST:PORT` (client mode).
    DriverUrl(String),
}

/// Everything the AM's launch context is made of.
#[derive(Debug, Clone)]
pub struct AmLaunch {
    /// The workload.
    pub workload: AmWorkload,
    /// The executors' number and size.
    pub executors: Executors,
    /// The AM's steady heartbeat (`None`: the AM's default, 3 s).
    pub heartbeat_interval: Option<Duration>,
    /// The executors' program (unquoted: `./spindle`, `./pi`, or a path on the nodes) and its
    /// leading arguments.
    pub executor_program: (String, Vec<String>),
    /// Environment of the driver and the executors (literal values).
    pub env: Vec<(String, String)>,
    /// The application's staging folder (the AM removes it once the application is final).
    pub staging_dir: String,
    /// Whether the executors' resource list was staged.
    pub executor_resources: bool,
    /// The AM's log level (`SPINDLE_LOG`).
    pub log_level: String,
}

impl AmLaunch {
    /// The `spindle am` arguments (unquoted).
    pub fn arguments(&self) -> Vec<String> {
        let mut args = vec!["am".to_string()];
        let mut flag = |name: &str, value: String| {
            args.push(name.to_string());
            args.push(value);
        };
        match &self.workload {
            AmWorkload::Shell(c) => flag("--shell", c.clone()),
            AmWorkload::DriverCommand(c) => flag("--driver-command", c.clone()),
            AmWorkload::DriverUrl(u) => flag("--driver-url", u.clone()),
        }
        let e = &self.executors;
        flag("--num-executors", e.count.to_string());
        flag("--executor-memory", format!("{}m", e.memory_mb));
        flag("--executor-cores", e.cores.to_string());
        if let Some(n) = e.max_failures {
            flag("--max-executor-failures", n.to_string());
        }
        if let Some(d) = self.heartbeat_interval {
            flag(
                "--heartbeat-interval",
                format!("{}ms", d.as_millis().max(1)),
            );
        }
        let (program, program_args) = &self.executor_program;
        flag("--executor-program", program.clone());
        for a in program_args {
            flag("--executor-arg", a.clone());
        }
        for (k, v) in &self.env {
            flag("--env", format!("{k}={v}"));
        }
        flag("--staging-dir", self.staging_dir.clone());
        if self.executor_resources {
            flag("--executor-resources", EXECUTOR_RESOURCES_LINK.to_string());
        }
        args
    }

    /// The AM container's environment (values in YARN conventions).
    pub fn environment(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = self
            .env
            .iter()
            .map(|(k, v)| (k.clone(), escape_env_value(v)))
            .collect();
        let mut set = |k: &str, v: String| {
            env.retain(|(key, _)| key != k);
            env.push((k.to_string(), v));
        };
        set("HADOOP_CONF_DIR", format!("{{{{PWD}}}}/{CONF_LINK}"));
        let sizing = self.executors.driver_env();
        for (k, v) in sizing {
            set(k, v);
        }
        if !self.env.iter().any(|(k, _)| k == "SPINDLE_LOG") {
            set("SPINDLE_LOG", escape_env_value(&self.log_level));
        }
        env
    }

    /// The launch context: the command, the environment, `resources` and the credentials
    /// holding `secret`.
    pub fn context(
        &self,
        resources: &[NamedResource],
        secret: &AppSecret,
    ) -> ContainerLaunchContextProto {
        let mut command = vec![format!("{{{{PWD}}}}/{SPINDLE_LINK}")];
        command.extend(self.arguments().iter().map(|a| escape_for_shell(a)));
        command.push("1><LOG_DIR>/stdout".into());
        command.push("2><LOG_DIR>/stderr".into());
        let mut credentials = Credentials::new();
        secret.add_to(&mut credentials);
        let mut clc = ContainerLaunchContextProto {
            command,
            local_resources: resources
                .iter()
                .map(|r| StringLocalResourceMapProto {
                    key: Some(r.link.clone()),
                    value: Some(r.resource.clone()),
                })
                .collect(),
            environment: self
                .environment()
                .into_iter()
                .map(|(k, v)| StringStringMapProto {
                    key: Some(k),
                    value: Some(v),
                })
                .collect(),
            ..ContainerLaunchContextProto::default()
        };
        clc.set_credentials(&credentials);
        clc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch() -> AmLaunch {
        AmLaunch {
            workload: AmWorkload::DriverCommand("./pi 4 'a b'".into()),
            executors: Executors {
                count: 3,
                memory_mb: 256,
                cores: 2,
                max_failures: Some(5),
            },
            heartbeat_interval: Some(Duration::from_millis(1500)),
            executor_program: ("./spindle".into(), vec!["executor".into()]),
            env: vec![("GREETING".into(), "a $b".into())],
            staging_dir: "/st/app".into(),
            executor_resources: true,
            log_level: "info".into(),
        }
    }

    #[test]
    fn one_shell_quoting_keeps_words_whole() {
        assert_eq!(sh_quote("./pi"), "./pi");
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote(""), "''");
        assert_eq!(sh_quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn the_am_gets_its_flags_environment_and_secret() {
        let l = launch();
        let args = l.arguments();
        let pairs: Vec<(&str, &str)> = args[1..]
            .chunks(2)
            .map(|c| (c[0].as_str(), c[1].as_str()))
            .collect();
        assert_eq!(args[0], "am");
        assert!(pairs.contains(&("--driver-command", "./pi 4 'a b'")));
        assert!(pairs.contains(&("--executor-memory", "256m")));
        assert!(pairs.contains(&("--max-executor-failures", "5")));
        assert!(pairs.contains(&("--heartbeat-interval", "1500ms")));
        assert!(pairs.contains(&("--executor-program", "./spindle")));
        assert!(pairs.contains(&("--executor-arg", "executor")));
        assert!(pairs.contains(&("--env", "GREETING=a $b")));
        assert!(pairs.contains(&("--executor-resources", EXECUTOR_RESOURCES_LINK)));
        let secret = AppSecret::generate("application_1_0001");
        let clc = l.context(&[], &secret);
        assert_eq!(clc.command[0], "{{PWD}}/spindle");
        assert_eq!(clc.command.last().unwrap(), "2><LOG_DIR>/stderr");
        assert_eq!(clc.env("GREETING"), Some("a \\$b"));
        assert_eq!(clc.env("HADOOP_CONF_DIR"), Some("{{PWD}}/__spindle_conf__"));
        assert_eq!(clc.env(driver_env::NUM_EXECUTORS), Some("3"));
        let creds = clc.credentials().unwrap();
        assert_eq!(
            AppSecret::from_credentials(&creds).unwrap().app_id(),
            "application_1_0001"
        );
    }
}
