//! The command line: `spindle <command> [flags]`, parsed with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::app_args::{
    AppIdArgs, DemoArgs, ExampleArgs, KillArgs, ListArgs, LogsArgs, RolesArgs, SubmitArgs,
};
use crate::memory_size::parse_memory_mb;

/// Spindle: distributed applications on YARN.
#[derive(Debug, Parser)]
#[command(name = "spindle", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run an embedded YARN-compatible cluster (one ResourceManager, N NodeManagers) in the
    /// foreground until Ctrl-C or SIGTERM, printing its HADOOP_CONF_DIR and addresses.
    Cluster(ClusterArgs),
    /// Submit an application (a driver command, a distributed shell, or a spec file) to YARN
    /// or to an embedded cluster, follow it to its end and exit with its outcome.
    Submit(SubmitArgs),
    /// Show an application's report (HADOOP_CONF_DIR names the cluster).
    Status(AppIdArgs),
    /// Kill an application and wait until the ResourceManager has done it.
    Kill(KillArgs),
    /// Print an application's container logs (stdout, stderr).
    Logs(LogsArgs),
    /// List the cluster's applications (running ones; --all for every one).
    List(ListArgs),
    /// Start an embedded cluster in this process, run Monte-Carlo pi in cluster mode and then
    /// in client mode, print the results, timings and tracking URLs, and stop everything.
    Demo(DemoArgs),
    /// Run a built-in example (pi, wordcount, dshell) as a driver: on this machine with local
    /// executors, or as the driver of a submitted application.
    Example(ExampleArgs),
    /// The driver of a spec file's executor roles (started by `spindle submit --spec`).
    #[command(hide = true)]
    Roles(RolesArgs),
    /// The ApplicationMaster (started by a NodeManager in an application's first container,
    /// not by hand): asks the ResourceManager for executor containers and runs them.
    ///
    /// Example (a distributed shell of 8 containers):
    ///   spindle am --shell 'hostname; date' --num-executors 8 --executor-memory 256m
    Am(AmArgs),
    /// Run an executor: register with the driver at --driver-url, run the tasks it sends
    /// (shell commands, and the built-in examples' functions; up to --cores at once), exit
    /// when told, when the driver is gone for --driver-timeout, or on SIGTERM. The flags
    /// default to the executor environment (SPINDLE_DRIVER_URL, SPINDLE_EXECUTOR_ID, …); the
    /// application secret comes from the credentials file (--credentials, default
    /// $HADOOP_TOKEN_FILE_LOCATION).
    Executor(ExecutorArgs),
}

/// Flags of `spindle am`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("kind").required(true).args(["shell", "driver_command", "driver_url"])))]
pub struct AmArgs {
    /// Run this command (with `sh -c`) in each executor container: a distributed shell.
    #[arg(long, value_name = "COMMAND")]
    pub shell: Option<String>,

    /// Cluster mode: run this driver command (with `sh -c`) in the AM's container; executors
    /// register with it, and its exit decides the application's final status.
    #[arg(long, value_name = "COMMAND")]
    pub driver_command: Option<String>,

    /// Client mode: the driver already runs at HOST:PORT; the AM only launches its executors.
    #[arg(long, value_name = "HOST:PORT")]
    pub driver_url: Option<String>,

    /// The executor program for a driver's executors (default: this `spindle` binary, with
    /// the argument `executor`).
    #[arg(long, value_name = "PATH")]
    pub executor_program: Option<String>,

    /// An argument of the executor program, before the identity flags (repeatable; default
    /// `executor` when --executor-program is not given).
    #[arg(long = "executor-arg", value_name = "ARG", allow_hyphen_values = true)]
    pub executor_args: Vec<String>,

    /// Executor containers wanted (for --shell: successful runs wanted; for a driver: until it
    /// asks for another number).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub num_executors: u32,

    /// Memory of each executor container: MB, or with a unit (512m, 2g).
    #[arg(long, default_value = "1g", value_name = "SIZE", value_parser = parse_memory_mb)]
    pub executor_memory: i64,

    /// Virtual cores of each executor container.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub executor_cores: u32,

    /// Executor failures that fail the application (default: max(3, 2 × executors)).
    #[arg(long, value_name = "N")]
    pub max_executor_failures: Option<u32>,

    /// An environment variable for every executor (repeatable).
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub env: Vec<(String, String)>,

    /// The application's staging folder, removed when the application is final.
    #[arg(long, value_name = "DIR")]
    pub staging_dir: Option<PathBuf>,

    /// A JSON list of local resources for every executor (written by `spindle submit`).
    #[arg(long, value_name = "FILE")]
    pub executor_resources: Option<PathBuf>,

    /// How long a cluster-mode driver may take to start listening: seconds, or with a unit.
    #[arg(long, default_value = "100s", value_name = "DURATION", value_parser = parse_duration)]
    pub driver_start_timeout: std::time::Duration,

    /// How long a client-mode driver may be unreachable before the application fails.
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_duration)]
    pub driver_disconnect_grace: std::time::Duration,

    /// The steady heartbeat to the ResourceManager (faster while containers are wanted; kept
    /// under half the cluster's AM liveness expiry).
    #[arg(long, default_value = "3s", value_name = "DURATION", value_parser = parse_duration)]
    pub heartbeat_interval: std::time::Duration,
}

/// Parses `KEY=VALUE`.
pub(crate) fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got {text:?}")),
    }
}

/// Flags of `spindle executor`.
#[derive(Debug, Args)]
#[command(after_help = "\
Example (what an ApplicationMaster starts in a container; run by hand, the flags can come from
SPINDLE_DRIVER_URL, SPINDLE_EXECUTOR_ID and SPINDLE_EXECUTOR_CORES instead):
  spindle executor --driver-url driver-host:40123 --executor-id 3 --cores 2 \\
      --credentials /path/to/container_tokens")]
pub struct ExecutorArgs {
    /// The driver's host:port.
    #[arg(long, value_name = "HOST:PORT", env = "SPINDLE_DRIVER_URL")]
    pub driver_url: String,

    /// This executor's id (as the AM assigned it).
    #[arg(long, value_name = "ID", env = "SPINDLE_EXECUTOR_ID")]
    pub executor_id: String,

    /// Tasks run at once.
    #[arg(long, value_name = "N", env = "SPINDLE_EXECUTOR_CORES", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub cores: u32,

    /// Host name to register with (default: $NM_HOST, else this machine's name).
    #[arg(long, value_name = "HOST", env = "SPINDLE_EXECUTOR_HOST")]
    pub hostname: Option<String>,

    /// Credentials file holding the application secret (default: $HADOOP_TOKEN_FILE_LOCATION).
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<PathBuf>,

    /// Exit after the driver was unreachable this long: seconds, or with a unit (30s, 500ms).
    #[arg(long, default_value = "30s", value_name = "DURATION", env = "SPINDLE_DRIVER_TIMEOUT", value_parser = parse_duration)]
    pub driver_timeout: std::time::Duration,

    /// The application id (as the AM passes it); checked against the credentials' secret.
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,

    /// The resource profile the executor's container was requested for.
    #[arg(long, default_value_t = 0, value_name = "ID")]
    pub resource_profile_id: u32,
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    spindle_scheduler::executor::parse_duration(s)
        .ok_or_else(|| format!("{s:?} is not a duration (30, 30s or 500ms)"))
}

/// Flags of `spindle cluster`.
#[derive(Debug, Args)]
#[command(after_help = "\
Example (two NodeManagers of 4 GiB on two racks, then an application on them):
  spindle cluster --nodes 2 --node-memory 4g --rack /r1,/r2
  export HADOOP_CONF_DIR=…   # the last line the command prints
  spindle submit -- spindle example pi")]
pub struct ClusterArgs {
    /// Number of NodeManagers (1-250).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=250))]
    pub nodes: u16,

    /// Memory of each NodeManager: MB (8192), or with a unit (8192m, 8g).
    #[arg(long, default_value = "8g", value_name = "SIZE", value_parser = parse_memory_mb)]
    pub node_memory: i64,

    /// Virtual cores of each NodeManager.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=1_000_000))]
    pub node_vcores: i64,

    /// Where the cluster keeps its conf dir, node folders and container logs. Created if
    /// missing and never deleted. Default: a new folder under the system temp dir, deleted at
    /// exit unless --keep is given.
    #[arg(long, value_name = "DIR")]
    pub base_dir: Option<PathBuf>,

    /// Keep the default (temporary) base dir at exit, with its container logs.
    #[arg(long)]
    pub keep: bool,

    /// Rack of the NodeManagers, assigned round-robin; repeat or separate with commas for
    /// several racks (--rack /r1,/r2). Names start with '/'.
    #[arg(long = "rack", value_name = "RACK", value_delimiter = ',', default_value = "/default-rack", value_parser = parse_rack)]
    pub racks: Vec<String>,

    /// Port of the ResourceManager's client address (yarn.resourcemanager.address); 0 picks a
    /// free one.
    #[arg(long, default_value_t = 0, value_name = "PORT")]
    pub rm_port: u16,

    /// Port of the ResourceManager's scheduler address
    /// (yarn.resourcemanager.scheduler.address); 0 picks a free one.
    #[arg(long, default_value_t = 0, value_name = "PORT")]
    pub scheduler_port: u16,

    /// The smallest container (yarn.scheduler.minimum-allocation-mb; asks are rounded up to
    /// multiples of it): MB, or with a unit (512m, 1g).
    #[arg(long, default_value = "1g", value_name = "SIZE", value_parser = parse_memory_mb)]
    pub min_allocation: i64,

    /// Completed applications the ResourceManager keeps
    /// (yarn.resourcemanager.max-completed-applications); older ones are forgotten.
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_completed_apps: u32,

    /// Highest application priority (yarn.cluster.max-application-priority); higher ones are
    /// lowered to it.
    #[arg(long, default_value_t = 0, value_name = "N", value_parser = clap::value_parser!(i32).range(0..=1_000_000))]
    pub max_application_priority: i32,

    /// Do not aggregate ended applications' logs into <base dir>/app-logs (yarn logs and other
    /// tools read them there).
    #[arg(long)]
    pub no_log_aggregation: bool,

    /// A Hadoop installation for containers: sets HADOOP_HOME, HADOOP_COMMON_HOME,
    /// HADOOP_HDFS_HOME, HADOOP_YARN_HOME and HADOOP_MAPRED_HOME in every container (unless
    /// --container-env sets one of them), as Java AMs that expect a Hadoop installation need.
    #[arg(long, value_name = "DIR")]
    pub hadoop_home: Option<PathBuf>,

    /// An environment variable every container gets unless it sets it itself (repeatable),
    /// like the NodeManager's environment whitelist.
    #[arg(long = "container-env", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub container_env: Vec<(String, String)>,

    /// yarn.application.classpath, written to yarn-site.xml for clients that build their
    /// containers' CLASSPATH from it (entries separated by commas, as in Hadoop).
    #[arg(long, value_name = "CLASSPATH")]
    pub application_classpath: Option<String>,

    /// Start secure: clients of the ResourceManager authenticate with Kerberos (SASL GSSAPI)
    /// as the --principal whose key is in --keytab; no port accepts SIMPLE; AMs and
    /// NodeManagers use their tokens as before. Needs MIT Kerberos' libgssapi_krb5.so.2.
    #[arg(long, requires_all = ["keytab", "principal"])]
    pub kerberos: bool,

    /// Keytab holding the ResourceManager principal's key (yarn.resourcemanager.keytab).
    #[arg(long, value_name = "FILE", requires = "kerberos")]
    pub keytab: Option<PathBuf>,

    /// The ResourceManager principal (yarn.resourcemanager.principal), three parts:
    /// rm/_HOST@REALM (_HOST becomes this machine's name for the cluster's address) or a
    /// fixed host.
    #[arg(long, value_name = "PRINCIPAL", requires = "kerberos")]
    pub principal: Option<String>,

    /// hadoop.rpc.protection of every port: authentication, integrity or privacy, or a
    /// comma list in order of preference.
    #[arg(long, default_value = "authentication", value_name = "LIST", value_parser = parse_protection)]
    pub rpc_protection: RpcProtection,
}

/// The variables `--hadoop-home` sets.
pub const HADOOP_HOME_VARIABLES: [&str; 5] = [
    "HADOOP_HOME",
    "HADOOP_COMMON_HOME",
    "HADOOP_HDFS_HOME",
    "HADOOP_YARN_HOME",
    "HADOOP_MAPRED_HOME",
];

impl ClusterArgs {
    /// The variables containers get: `--container-env`, then `--hadoop-home`'s for the names
    /// not given explicitly.
    pub fn container_env(&self) -> Vec<(String, String)> {
        let mut env = self.container_env.clone();
        if let Some(home) = &self.hadoop_home {
            for var in HADOOP_HOME_VARIABLES {
                if !env.iter().any(|(k, _)| k == var) {
                    env.push((var.to_string(), home.display().to_string()));
                }
            }
        }
        env
    }
}

/// A `hadoop.rpc.protection` list, in order of preference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcProtection(pub Vec<spindle_protocol::sasl::Qop>);

/// Parses hadoop.rpc.protection (the whole comma list is one value).
fn parse_protection(text: &str) -> Result<RpcProtection, String> {
    spindle_protocol::sasl::parse_protection(text)
        .map(RpcProtection)
        .map_err(|e| e.to_string())
}

/// Checks a rack name the way Hadoop's network topology does: a path starting with '/'.
fn parse_rack(text: &str) -> Result<String, String> {
    let rack = text.trim();
    if !rack.starts_with('/') || rack.len() < 2 {
        return Err(format!(
            "'{text}' is not a rack name: racks are paths like /rack1 (starting with '/')"
        ));
    }
    if rack.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "'{text}' is not a rack name: it must not contain blanks"
        ));
    }
    Ok(rack.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    fn cluster(cli: Cli) -> ClusterArgs {
        match cli.command {
            Command::Cluster(a) => a,
            other => panic!("not cluster: {other:?}"),
        }
    }

    #[test]
    fn executor_flags() {
        let base = [
            "spindle",
            "executor",
            "--driver-url",
            "h:1",
            "--executor-id",
            "7",
            "--cores",
        ];
        let parse = |rest: &[&str]| Cli::try_parse_from(base.iter().chain(rest));
        let Command::Executor(a) = parse(&["2", "--driver-timeout", "500ms"]).unwrap().command
        else {
            panic!("not executor")
        };
        assert_eq!(
            (a.driver_url.as_str(), a.executor_id.as_str(), a.cores),
            ("h:1", "7", 2)
        );
        assert_eq!(a.driver_timeout, std::time::Duration::from_millis(500));
        assert!(parse(&["0"]).is_err(), "cores start at 1");
        assert!(parse(&["1", "--driver-timeout", "soon"]).is_err());
    }

    #[test]
    fn cluster_defaults() {
        let cli = Cli::try_parse_from(["spindle", "cluster"]).unwrap();
        let a = cluster(cli);
        assert_eq!(a.nodes, 2);
        assert_eq!(a.node_memory, 8192);
        assert_eq!(a.node_vcores, 8);
        assert_eq!(a.racks, vec!["/default-rack".to_string()]);
        assert_eq!((a.rm_port, a.scheduler_port), (0, 0));
        assert!(a.base_dir.is_none() && !a.keep);
        assert_eq!(a.min_allocation, 1024, "YARN's default");
        assert_eq!(
            (a.max_completed_apps, a.max_application_priority),
            (1000, 0)
        );
        assert!(!a.no_log_aggregation);
        assert!(a.container_env().is_empty() && a.application_classpath.is_none());
    }

    #[test]
    fn cluster_hadoop_settings() {
        let cli = Cli::try_parse_from([
            "spindle",
            "cluster",
            "--hadoop-home",
            "/opt/hadoop",
            "--container-env",
            "HADOOP_YARN_HOME=/opt/yarn",
            "--container-env",
            "A=1",
            "--application-classpath",
            "$HADOOP_CONF_DIR,/opt/hadoop/share/hadoop/common/*",
            "--min-allocation",
            "256m",
            "--max-completed-apps",
            "50",
            "--no-log-aggregation",
        ])
        .unwrap();
        let Command::Cluster(a) = cli.command else {
            panic!("not cluster")
        };
        let env = a.container_env();
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(
            get("HADOOP_YARN_HOME"),
            Some("/opt/yarn"),
            "an explicit value wins"
        );
        assert_eq!(get("HADOOP_COMMON_HOME"), Some("/opt/hadoop"));
        assert_eq!(get("A"), Some("1"));
        assert_eq!(env.len(), 2 + 4);
        assert_eq!((a.min_allocation, a.max_completed_apps), (256, 50));
        assert!(a.no_log_aggregation);
        assert!(
            a.application_classpath
                .unwrap()
                .contains("share/hadoop/common")
        );
    }

    #[test]
    fn cluster_security_flags() {
        let parse = |args: &[&str]| {
            let mut all = vec!["spindle", "cluster"];
            all.extend_from_slice(args);
            Cli::try_parse_from(all).map(|cli| match cli.command {
                Command::Cluster(a) => a,
                _ => panic!("not cluster"),
            })
        };
        let a = parse(&[
            "--kerberos",
            "--keytab",
            "/k/rm.keytab",
            "--principal",
            "rm/_HOST@EXAMPLE.COM",
            "--rpc-protection",
            "privacy,authentication",
        ])
        .unwrap();
        assert!(a.kerberos);
        assert_eq!(
            a.keytab.as_deref(),
            Some(std::path::Path::new("/k/rm.keytab"))
        );
        assert_eq!(a.principal.as_deref(), Some("rm/_HOST@EXAMPLE.COM"));
        use spindle_protocol::sasl::Qop;
        assert_eq!(a.rpc_protection.0, vec![Qop::AuthConf, Qop::Auth]);
        assert_eq!(parse(&[]).unwrap().rpc_protection.0, vec![Qop::Auth]);
        // --kerberos needs both, and they need --kerberos.
        assert!(parse(&["--kerberos", "--keytab", "/k"]).is_err());
        assert!(parse(&["--keytab", "/k", "--principal", "rm/h@R"]).is_err());
        assert!(parse(&["--rpc-protection", "secret"]).is_err());
    }

    #[test]
    fn cluster_flags() {
        let cli = Cli::try_parse_from([
            "spindle",
            "cluster",
            "--nodes",
            "3",
            "--node-memory",
            "4g",
            "--node-vcores",
            "2",
            "--rack",
            "/r1,/r2",
            "--rack",
            "/r3",
            "--rm-port",
            "8032",
            "--keep",
        ])
        .unwrap();
        let a = cluster(cli);
        assert_eq!((a.nodes, a.node_memory, a.node_vcores), (3, 4096, 2));
        assert_eq!(a.racks, vec!["/r1", "/r2", "/r3"]);
        assert_eq!(a.rm_port, 8032);
        assert!(a.keep);
    }

    #[test]
    fn bad_values_are_refused() {
        for args in [
            &["spindle", "cluster", "--nodes", "0"][..],
            &["spindle", "cluster", "--nodes", "251"],
            &["spindle", "cluster", "--node-memory", "lots"],
            &["spindle", "cluster", "--node-vcores", "0"],
            &["spindle", "cluster", "--rack", "rack1"],
            &["spindle", "cluster", "--rm-port", "70000"],
            &["spindle", "cluster", "--min-allocation", "none"],
            &["spindle", "cluster", "--max-completed-apps", "0"],
            &["spindle", "cluster", "--container-env", "NOVALUE"],
        ] {
            assert!(Cli::try_parse_from(args).is_err(), "{args:?} was accepted");
        }
    }

    #[test]
    fn am_flags() {
        let cli = Cli::try_parse_from([
            "spindle",
            "am",
            "--shell",
            "echo hi",
            "--num-executors",
            "8",
            "--executor-memory",
            "256m",
            "--env",
            "A=b=c",
        ])
        .unwrap();
        let Command::Am(a) = cli.command else {
            panic!("not am")
        };
        assert_eq!(
            (a.shell.as_deref(), a.num_executors, a.executor_memory),
            (Some("echo hi"), 8, 256)
        );
        assert_eq!(a.env, vec![("A".to_string(), "b=c".to_string())]);
        assert!(
            Cli::try_parse_from(["spindle", "am", "--shell", "x", "--env", "novalue"]).is_err()
        );
    }
}
