//! The flags of the application commands (`submit`, `status`, `kill`, `logs`, `list`, `demo`,
//! `example`), parsed with clap; [`crate::args::Command`] names them.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::args::parse_key_value;
use crate::memory_size::parse_memory_mb;

/// Where applications run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Master {
    /// The YARN cluster HADOOP_CONF_DIR (or YARN_CONF_DIR) describes.
    Yarn,
    /// An embedded cluster started in this process for the one application, stopped after it.
    Embedded,
}

/// Where the driver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeployMode {
    /// In the ApplicationMaster's container (its output goes to the container's logs).
    Cluster,
    /// On this machine, as a child of `spindle submit` (its output is yours).
    Client,
}

/// Flags of `spindle submit`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  # Monte-Carlo pi with the driver in the cluster (the `spindle` word is the shipped binary):
  spindle submit --num-executors 4 -- spindle example pi 16 1000000

  # Your own binary as driver and executors (it registers its task functions):
  spindle submit --executor-program target/debug/examples/pi -- target/debug/examples/pi 16 1000000

  # The driver on this machine, executors in the cluster:
  spindle submit --deploy-mode client -- spindle example wordcount README.md

  # A distributed shell on 8 containers, and a spec file with roles:
  spindle submit --shell 'hostname; uptime' --num-executors 8 --executor-memory 256m
  spindle submit --spec app.toml

Without --master, applications go to the cluster HADOOP_CONF_DIR names, or to an embedded
cluster started for the run when it is not set. Exit code: 0 when the application succeeded;
when it failed, the ApplicationMaster's exit code (11: too many executor failures, 13: the
driver never started, 15: the driver failed, 17: a client-mode driver went away) or 1; 3 when
it was killed; a client-mode driver's own non-zero exit code wins.")]
pub struct SubmitArgs {
    /// Where to run: a YARN cluster (HADOOP_CONF_DIR) or an embedded one for this run.
    #[arg(long, value_enum)]
    pub master: Option<Master>,

    /// Where the driver runs (default: cluster).
    #[arg(long, value_enum)]
    pub deploy_mode: Option<DeployMode>,

    /// The application's name (default: the spec's, or the driver program's file name).
    #[arg(long)]
    pub name: Option<String>,

    /// The YARN queue.
    #[arg(long)]
    pub queue: Option<String>,

    /// Executors to start (the driver may ask for another number later).
    #[arg(long, value_name = "N")]
    pub num_executors: Option<u32>,

    /// Memory of each executor: MB, or with a unit (512m, 2g). Default 1g.
    #[arg(long, value_name = "SIZE", value_parser = parse_memory_mb)]
    pub executor_memory: Option<i64>,

    /// Virtual cores of each executor. Default 1.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub executor_cores: Option<u32>,

    /// Executor failures that fail the application (default: max(3, 2 × executors)).
    #[arg(long, value_name = "N")]
    pub max_executor_failures: Option<u32>,

    /// The executors' program: a local binary that registered its task functions (shipped),
    /// or an absolute path on the nodes with --executor-on-nodes. Default: the shipped
    /// `spindle executor` (shell tasks and the built-in examples).
    #[arg(long, value_name = "PATH")]
    pub executor_program: Option<String>,

    /// --executor-program is installed on every node: do not ship it.
    #[arg(long, requires = "executor_program")]
    pub executor_on_nodes: bool,

    /// Files for every container, comma-separated or repeated: PATH[#LINK] (linked as LINK,
    /// default the file name, in each container's working folder).
    #[arg(long, value_name = "PATH[#LINK]", value_delimiter = ',')]
    pub files: Vec<String>,

    /// Archives (zip, jar, tar, tar.gz) unpacked into a folder LINK of every container.
    #[arg(long, value_name = "PATH[#LINK]", value_delimiter = ',')]
    pub archives: Vec<String>,

    /// A configuration value, repeatable: Hadoop keys (yarn.resourcemanager.address) or
    /// Spindle's (spindle.yarn.am.memory, spindle.yarn.tags, spindle.yarn.maxAppAttempts,
    /// spindle.yarn.stagingDir, spindle.driver.host; see docs/client.md).
    #[arg(long = "conf", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub conf: Vec<(String, String)>,

    /// An environment variable of the driver and the executors, repeatable.
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub env: Vec<(String, String)>,

    /// Run this command (sh -c) in each executor container instead of a driver: a
    /// distributed shell.
    #[arg(long, value_name = "COMMAND", conflicts_with = "command")]
    pub shell: Option<String>,

    /// An application spec file (TOML) with the same settings and executor roles; flags win
    /// over it.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,

    /// Return once the application is accepted instead of following it (cluster mode only).
    #[arg(long)]
    pub no_wait: bool,

    /// NodeManagers of the embedded cluster (--master embedded).
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub embedded_nodes: u16,

    /// No state lines or progress bar (the result lines and errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,

    /// The driver command and its arguments, after `--`.
    #[arg(last = true, value_name = "DRIVER COMMAND")]
    pub command: Vec<String>,
}

/// An application id argument (`spindle status`, `spindle kill`).
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  spindle status application_1700000000000_0001")]
pub struct AppIdArgs {
    /// The application's id (application_<cluster timestamp>_<number>).
    #[arg(value_name = "APPLICATION_ID")]
    pub app_id: String,
}

/// Flags of `spindle kill`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  spindle kill application_1700000000000_0001")]
pub struct KillArgs {
    /// The application's id.
    #[arg(value_name = "APPLICATION_ID")]
    pub app_id: String,
}

/// Flags of `spindle logs`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  spindle logs application_1700000000000_0001
  spindle logs application_1700000000000_0001 --file stderr --container container_1700000000000_0001_01_000001")]
pub struct LogsArgs {
    /// The application's id.
    #[arg(value_name = "APPLICATION_ID")]
    pub app_id: String,

    /// Only this container.
    #[arg(long, value_name = "CONTAINER_ID")]
    pub container: Option<String>,

    /// Only this log file (stdout, stderr).
    #[arg(long, value_name = "NAME")]
    pub file: Option<String>,

    /// Show at most this many bytes of the end of each file.
    #[arg(long, default_value_t = 1024 * 1024, value_name = "BYTES")]
    pub tail: usize,
}

/// Flags of `spindle list`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  spindle list\n  spindle list --all")]
pub struct ListArgs {
    /// Also finished, failed and killed applications.
    #[arg(long)]
    pub all: bool,
}

/// Flags of `spindle demo`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  spindle demo --executors 4")]
pub struct DemoArgs {
    /// NodeManagers of the embedded cluster.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub nodes: u16,

    /// Executors of each run.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub executors: u32,

    /// Pi tasks.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub slices: u32,

    /// Samples of each pi task.
    #[arg(long, default_value_t = 200_000)]
    pub samples: u64,
}

/// Flags of `spindle example`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples (on this machine, with local executors):
  spindle example pi 16 1000000
  spindle example wordcount README.md docs/ARCHITECTURE.md
  spindle example dshell 4 'hostname; date'
Submitted, the same command is the driver: spindle submit -- spindle example pi 16 1000000")]
pub struct ExampleArgs {
    /// Which example.
    #[arg(value_enum)]
    pub example: ExampleName,

    /// The example's arguments: pi [SLICES [SAMPLES]], wordcount FILE…, dshell [COUNT] COMMAND….
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "ARGS"
    )]
    pub args: Vec<String>,
}

/// The built-in examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExampleName {
    /// Monte-Carlo pi (Rust function tasks).
    Pi,
    /// Word count over files (two stages).
    Wordcount,
    /// A command on N executors, outputs collected.
    Dshell,
}

/// Flags of `spindle roles` (the driver of a spec file's roles; `spindle submit --spec` starts
/// it).
#[derive(Debug, Args)]
pub struct RolesArgs {
    /// The spec file.
    #[arg(value_name = "SPEC")]
    pub spec: PathBuf,
}
