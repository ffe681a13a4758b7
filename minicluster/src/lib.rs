//! # spindle-minicluster
//!
//! An embedded, YARN-compatible cluster: one ResourceManager and N NodeManagers in this
//! process, speaking YARN's real protocols (Hadoop IPC v9, SASL TOKEN/DIGEST-MD5 with
//! AMRMTokens and NMTokens) through `spindle-protocol`, and running containers as real local
//! process trees through `spindle-launcher`'s local runner. Hadoop's own clients (YarnClient,
//! AMRMClient, NMClient) and Spindle's typed clients talk to it as to a real cluster.
//!
//! ```no_run
//! # async fn demo() -> Result<(), spindle_minicluster::ClusterError> {
//! use spindle_minicluster::{MiniCluster, MiniClusterOptions};
//! let cluster = MiniCluster::start(MiniClusterOptions::with_nodes(2, 4096, 4)).await?;
//! println!("HADOOP_CONF_DIR={}", cluster.conf_dir().display());
//! cluster.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Layout: [`options`] (what to build), [`cluster`] (the handle, the event loop, the test
//! hooks, the conf dir), [`rm`] (the RM state machine, scheduler and RPC faces), [`rest`] (the
//! RM's web server: REST API, web UI, web proxy), [`nm`] (the NMs and their web servers),
//! [`logs`] (log aggregation in Hadoop's format), [`webdoc`] (JSON/XML documents),
//! [`time`], [`resources`], [`conf`].
//!
//! The one in-process shortcut: NMs report container starts and exits to the RM through a
//! channel instead of heartbeats, and the RM hands AM containers to its NM directly instead of
//! calling `startContainers`. Neither is on a path an AM or a client can observe.

pub mod cluster;
pub mod conf;
pub mod error;
pub mod logs;
pub mod nm;
pub mod options;
pub mod resources;
pub mod rest;
pub mod rm;
pub mod time;
pub mod webdoc;

pub use cluster::MiniCluster;
pub use error::ClusterError;
pub use options::{FixedSecrets, MiniClusterOptions};
pub use resources::Resources;
