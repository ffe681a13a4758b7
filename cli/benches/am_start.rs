//! `spindle am` as a process: time from process start to registered with the embedded
//! ResourceManager, and its resident memory while it runs two executors.
//!
//! The AM is started the way a NodeManager starts it (its container's environment: container
//! id, tokens file with the attempt's AMRMToken, NM host, HADOOP_CONF_DIR), for an unmanaged
//! application whose AMRMToken the report hands out. Run with
//! `cargo bench -p spindle --bench am_start` (prints medians of several runs).

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use spindle_base::memory::resident_kb;
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ContainerId};
use tokio::io::{AsyncBufReadExt, BufReader};

const RUNS: usize = 7;

/// One AM: (start → registered, RSS in kB with two executors running).
async fn one_run(cluster: &MiniCluster, dir: &Path) -> (Duration, u64) {
    let (id, token) = cluster
        .submit_unmanaged("spindle", "am-start-bench")
        .await
        .expect("unmanaged application");
    let tokens = dir.join(format!("{id}.tokens"));
    let mut creds = Credentials::new();
    creds.add_token("", token);
    creds.write_file(&tokens).expect("tokens file");
    let container = ContainerId::new(ApplicationAttemptId::new(id, 1), 1);
    let started = Instant::now();
    let mut am = tokio::process::Command::new(env!("CARGO_BIN_EXE_spindle"))
        .args([
            "am",
            "--shell",
            "sleep 30",
            "--num-executors",
            "2",
            "--executor-memory",
            "128m",
        ])
        .env("CONTAINER_ID", container.to_string())
        .env("NM_HOST", "127.0.0.1")
        .env("NM_PORT", "0")
        .env("USER", "spindle")
        .env("HADOOP_TOKEN_FILE_LOCATION", &tokens)
        .env("HADOOP_CONF_DIR", cluster.conf_dir())
        .env("SPINDLE_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn spindle am");
    let pid = am.id().expect("pid");
    let mut lines = BufReader::new(am.stderr.take().expect("stderr")).lines();
    let mut registered = None;
    while let Ok(Some(line)) = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("AM output")
    {
        if registered.is_none() && line.contains("registered; largest container") {
            registered = Some(started.elapsed());
        }
        if line.contains("executor") && line.contains("RUNNING") || registered.is_some() {
            break;
        }
    }
    let registered = registered.expect("the AM registered");
    // Let both executors start, then sample the AM's memory.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let rss = resident_kb(Some(pid)).unwrap_or(0);
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGTERM,
    );
    let _ = tokio::time::timeout(Duration::from_secs(20), am.wait()).await;
    (registered, rss)
}

fn median<T: Copy + Ord>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo test --benches` runs this with --bench too; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut o = MiniClusterOptions::with_nodes(2, 4096, 8);
        o.monitor_interval = Duration::from_millis(100);
        let cluster = MiniCluster::start(o).await.expect("cluster");
        let dir = tempfile::tempdir().expect("dir");
        let runs = if quick { 1 } else { RUNS };
        let mut times = Vec::new();
        let mut rss = Vec::new();
        for _ in 0..runs {
            let (t, r) = one_run(&cluster, dir.path()).await;
            times.push(t);
            rss.push(r);
        }
        println!(
            "spindle am: process start → registered median {:?} (runs {:?}); RSS with 2 executors median {} kB (runs {:?})",
            median(times.clone()),
            times,
            median(rss.clone()),
            rss
        );
        cluster.shutdown().await;
    });
}
