//! Runs an embedded mini cluster in the foreground until stdin closes or a line `stop` is read
//! (the future `spindle cluster` command), printing where its `HADOOP_CONF_DIR` is.
//!
//! `cargo run -p spindle-minicluster --example cluster -- --nodes 2 --node-memory 4096 --node-vcores 4 [--base-dir D]`

use std::path::PathBuf;

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use tokio::io::AsyncBufReadExt;

fn parse() -> Result<MiniClusterOptions, String> {
    let mut o = MiniClusterOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let num = |v: String, name: &str| v.parse::<i64>().map_err(|e| format!("{name}: {e}"));
        match a.as_str() {
            "--nodes" => o.nodes = num(value("--nodes")?, "--nodes")? as usize,
            "--node-memory" => o.node_memory_mb = num(value("--node-memory")?, "--node-memory")?,
            "--node-vcores" => o.node_vcores = num(value("--node-vcores")?, "--node-vcores")?,
            "--base-dir" => o.base_dir = Some(PathBuf::from(value("--base-dir")?)),
            "--rm-port" => o.rm_port = num(value("--rm-port")?, "--rm-port")? as u16,
            "--scheduler-port" => {
                o.scheduler_port = num(value("--scheduler-port")?, "--scheduler-port")? as u16
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let options = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let cluster = match MiniCluster::start(options).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot start the mini cluster: {e}");
            std::process::exit(1);
        }
    };
    println!("HADOOP_CONF_DIR={}", cluster.conf_dir().display());
    println!("RM={}", cluster.rm_address());
    println!("SCHEDULER={}", cluster.scheduler_address());
    for (i, n) in cluster.node_ids().iter().enumerate() {
        println!(
            "NODE {i} {n} logs={}",
            cluster
                .node(i)
                .map(|n| n.log_dir().display().to_string())
                .unwrap_or_default()
        );
    }
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.trim() == "stop" {
            break;
        }
    }
    cluster.shutdown().await;
}
