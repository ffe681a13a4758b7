//! `spindle cluster`: runs the embedded cluster in the foreground until SIGINT or SIGTERM.
//!
//! Standard output gets one `key=value` line per fact, for scripts; `HADOOP_CONF_DIR=` is the
//! last of them and means the cluster accepts calls. Human hints and logs go to standard
//! error.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use spindle_minicluster::{MiniCluster, MiniClusterOptions};

use crate::args::ClusterArgs;
use crate::error::CliError;
use crate::signals::StopSignals;

/// How long a clean shutdown (containers stopped with SIGTERM, then SIGKILL) may take before
/// the containers are killed at once.
const SHUTDOWN_LIMIT: Duration = Duration::from_secs(30);

/// Where the cluster lives: a folder the user chose, or one we made under the temp dir.
enum BaseDir {
    Chosen(PathBuf),
    Temporary(tempfile::TempDir),
}

impl BaseDir {
    fn path(&self) -> PathBuf {
        match self {
            BaseDir::Chosen(p) => p.clone(),
            BaseDir::Temporary(t) => t.path().to_path_buf(),
        }
    }
}

/// Runs `spindle cluster` to the end: start, print, wait for a signal, shut down.
pub async fn run(args: ClusterArgs) -> Result<(), CliError> {
    let mut signals = StopSignals::install().map_err(CliError::Signals)?;
    let base = match &args.base_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| CliError::BaseDir {
                path: dir.clone(),
                source,
            })?;
            BaseDir::Chosen(dir.clone())
        }
        None => BaseDir::Temporary(
            tempfile::Builder::new()
                .prefix("spindle-cluster-")
                .tempdir()
                .map_err(|source| CliError::TempDir {
                    path: std::env::temp_dir(),
                    source,
                })?,
        ),
    };
    let options = MiniClusterOptions {
        nodes: usize::from(args.nodes),
        node_memory_mb: args.node_memory,
        node_vcores: args.node_vcores,
        racks: args.racks.clone(),
        rm_port: args.rm_port,
        scheduler_port: args.scheduler_port,
        base_dir: Some(base.path()),
        min_allocation_mb: args.min_allocation,
        max_completed_apps: args.max_completed_apps as usize,
        max_application_priority: args.max_application_priority,
        log_aggregation: !args.no_log_aggregation,
        container_env: args.container_env(),
        application_classpath: args.application_classpath.clone(),
        ..MiniClusterOptions::default()
    };
    let cluster = MiniCluster::start(options).await?;

    print_facts(&cluster);
    let keeps_base = !matches!(base, BaseDir::Temporary(_)) || args.keep;
    print_hints(&cluster, keeps_base);

    let first = signals.next().await;
    say(&format!(
        "{first} received: stopping the cluster and its containers"
    ));
    tokio::select! {
        () = cluster.shutdown() => {}
        second = signals.next() => {
            // Dropping the unfinished shutdown drops the cluster, which kills every container
            // at once.
            return Err(CliError::ForcedStop(if second == "SIGINT" {
                "second SIGINT"
            } else {
                "second SIGTERM"
            }));
        }
        () = tokio::time::sleep(SHUTDOWN_LIMIT) => {
            return Err(CliError::ForcedStop("shutdown took longer than 30 s"));
        }
    }
    match base {
        BaseDir::Temporary(t) if args.keep => {
            say(&format!("stopped; kept {}", t.keep().display()));
        }
        BaseDir::Temporary(t) => {
            let path = t.path().to_path_buf();
            if let Err(e) = t.close() {
                say(&format!(
                    "stopped, but could not delete {}: {e}; delete it by hand",
                    path.display()
                ));
            } else {
                say("stopped");
            }
        }
        BaseDir::Chosen(p) => say(&format!("stopped; kept {}", p.display())),
    }
    Ok(())
}

/// The `key=value` lines printed when the cluster is up, `HADOOP_CONF_DIR` last.
pub fn facts(cluster: &MiniCluster) -> Vec<(String, String)> {
    let mut facts = vec![
        (
            "SPINDLE_CLUSTER_DIR".to_string(),
            cluster.base_dir().display().to_string(),
        ),
        (
            "yarn.resourcemanager.address".to_string(),
            cluster.rm_address().to_string(),
        ),
        (
            "yarn.resourcemanager.scheduler.address".to_string(),
            cluster.scheduler_address().to_string(),
        ),
    ];
    if let Some(rest) = cluster.rest_address() {
        facts.push((
            "yarn.resourcemanager.webapp.address".to_string(),
            rest.to_string(),
        ));
    }
    for (i, node_id) in cluster.node_ids().iter().enumerate() {
        facts.push((format!("nodemanager.{i}.address"), node_id.to_string()));
        facts.push((
            format!("nodemanager.{i}.rack"),
            cluster.options().node_rack(i),
        ));
        if let Some(nm) = cluster.node(i) {
            facts.push((
                format!("nodemanager.{i}.log-dir"),
                nm.log_dir().display().to_string(),
            ));
            if nm.http_port() != 0 {
                facts.push((format!("nodemanager.{i}.webapp.address"), nm.http_address()));
            }
        }
    }
    facts.push((
        "HADOOP_CONF_DIR".to_string(),
        cluster.conf_dir().display().to_string(),
    ));
    facts
}

/// Writes [`facts`] to standard output. A closed standard output (`| head -1`) is not a
/// reason to stop the cluster, so write errors are only reported.
fn print_facts(cluster: &MiniCluster) {
    let mut text = String::new();
    for (k, v) in facts(cluster) {
        text.push_str(&k);
        text.push('=');
        text.push_str(&v);
        text.push('\n');
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        tracing::warn!("cannot write the cluster's addresses to standard output: {e}");
    }
}

/// Tells a human on standard error what is running and how to use it.
fn print_hints(cluster: &MiniCluster, keeps_base: bool) {
    let o = cluster.options();
    let web = cluster
        .rest_address()
        .map(|a| format!("; web UI at http://{a}/cluster, REST API at http://{a}/ws/v1/cluster"))
        .unwrap_or_default();
    say(&format!(
        "Spindle embedded cluster is up: {} NodeManager(s) of {} MB and {} vcores{web}.\n\
         Point Hadoop / Spark clients at it with:\n\
         \x20   export HADOOP_CONF_DIR={}\n\
         Stop it with Ctrl-C or SIGTERM; its containers are stopped and {} {}.",
        o.nodes,
        o.node_memory_mb,
        o.node_vcores,
        cluster.conf_dir().display(),
        cluster.base_dir().display(),
        if keeps_base {
            "is kept"
        } else {
            "is deleted (keep it with --keep)"
        },
    ));
}

/// One message on standard error; a closed standard error is ignored.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}
