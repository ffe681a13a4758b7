//! [`MiniClusterOptions`]: what kind of cluster [`crate::MiniCluster::start`] builds.

use std::path::PathBuf;
use std::time::Duration;

use crate::resources::Resources;

/// The shape and timings of an embedded cluster. [`Default`] is one node of 8 GiB and 8
/// vcores on `127.0.0.1`, with YARN's default timings.
#[derive(Debug, Clone)]
pub struct MiniClusterOptions {
    /// Number of NodeManagers.
    pub nodes: usize,
    /// Memory of each node in MB.
    pub node_memory_mb: i64,
    /// Virtual cores of each node.
    pub node_vcores: i64,
    /// Custom countable resources of each node (e.g. `("yarn.io/gpu", 2)`).
    pub node_resources: Vec<(String, i64)>,
    /// The address every server binds and advertises (loopback by default).
    pub host: String,
    /// Give node *i* its own loopback address `127.0.0.(i+1)` instead of [`Self::host`], so that
    /// host-level locality can tell the nodes apart (Linux routes all of `127.0.0.0/8` to
    /// loopback).
    pub distinct_node_hosts: bool,
    /// Racks assigned to the nodes round-robin (default `/default-rack`).
    pub racks: Vec<String>,
    /// Fixed RM client port (ApplicationClientProtocol); 0 picks a free one.
    pub rm_port: u16,
    /// Fixed RM scheduler port (ApplicationMasterProtocol); 0 picks a free one.
    pub scheduler_port: u16,
    /// Where the cluster keeps its conf dir, node folders and logs. `None` makes a temporary
    /// folder that is deleted at shutdown.
    pub base_dir: Option<PathBuf>,
    /// `yarn.scheduler.minimum-allocation-mb` (asks are rounded up to multiples of it).
    pub min_allocation_mb: i64,
    /// `yarn.scheduler.minimum-allocation-vcores`.
    pub min_allocation_vcores: i64,
    /// `yarn.scheduler.maximum-allocation-mb`; `None` = one node's memory.
    pub max_allocation_mb: Option<i64>,
    /// `yarn.scheduler.maximum-allocation-vcores`; `None` = one node's vcores.
    pub max_allocation_vcores: Option<i64>,
    /// `yarn.resourcemanager.am.max-attempts`: the cluster-wide default and upper bound.
    pub max_app_attempts: i32,
    /// `yarn.am.liveness-monitor.expiry-interval-ms`: an AM silent this long fails its attempt.
    pub am_liveness_expiry: Duration,
    /// `yarn.resourcemanager.rm.container-allocation.expiry-interval-ms`: an allocated container
    /// not started within this time is taken back (ABORTED).
    pub container_allocation_expiry: Duration,
    /// How often the RM checks the two expiries above.
    pub monitor_interval: Duration,
    /// `yarn.nodemanager.sleep-delay-before-sigkill.ms`.
    pub kill_grace: Duration,
    /// `yarn.nodemanager.pmem-check-enabled`: kill containers whose process tree exceeds the
    /// container's memory.
    pub pmem_check: bool,
    /// `JAVA_HOME` given to containers that do not set it; `None` = this process's `JAVA_HOME`,
    /// else the JDK that `java` on the `PATH` belongs to.
    pub java_home: Option<PathBuf>,
    /// Keep finished containers' work folders (for debugging).
    pub keep_container_dirs: bool,
    /// Serve the RM's REST API (`/ws/v1/cluster/...`) on an ephemeral port of [`Self::host`],
    /// written to `yarn.resourcemanager.webapp.address`.
    pub rest: bool,
    /// `yarn.resourcemanager.max-completed-applications`: completed applications the RM keeps
    /// (YARN's default 1000); the oldest are forgotten with their containers.
    pub max_completed_apps: usize,
    /// `yarn.cluster.max-application-priority` (YARN's default 0): priorities above it are
    /// lowered to it.
    pub max_application_priority: i32,
    /// `yarn.log-aggregation-enable`: when an application ends, each node aggregates its logs
    /// into [`Self::remote_app_log_dir`] in Hadoop's format (on by default here, so that
    /// `yarn logs` works; YARN's own default is off).
    pub log_aggregation: bool,
    /// `yarn.nodemanager.remote-app-log-dir`; `None` = `<base dir>/app-logs`.
    pub remote_app_log_dir: Option<PathBuf>,
    /// Serve each NodeManager's web server (node reports and `NM_HTTP_PORT` carry its port).
    pub nm_web: bool,
    /// Variables every container gets unless it sets them itself (after `JAVA_HOME` and
    /// `HADOOP_CONF_DIR`), e.g. `HADOOP_COMMON_HOME` and `HADOOP_YARN_HOME` for Java AMs that
    /// expect a Hadoop installation.
    pub container_env: Vec<(String, String)>,
    /// `yarn.application.classpath`, written to `yarn-site.xml` for clients that build their
    /// containers' `CLASSPATH` from it.
    pub application_classpath: Option<String>,
    /// For tests only: known token master keys and cluster timestamp instead of fresh random
    /// keys and the start time, so that a test can predict ids and tokens byte for byte (e.g.
    /// compare them with what Hadoop's own code issues for the same keys). Anyone who knows the
    /// keys can forge every token of the cluster; `None` (the default) keeps them secret.
    pub fixed_secrets: Option<FixedSecrets>,
}

/// Known secrets for a test cluster; see [`MiniClusterOptions::fixed_secrets`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedSecrets {
    /// Master key the RM signs AMRMTokens with.
    pub amrm_key: Vec<u8>,
    /// Master key the RM signs NMTokens with (and the NMs check them with).
    pub nm_token_key: Vec<u8>,
    /// Master key the RM signs container tokens with (and the NMs check them with).
    pub container_key: Vec<u8>,
    /// The cluster timestamp in every application id and container token.
    pub cluster_timestamp: i64,
}

impl Default for MiniClusterOptions {
    fn default() -> Self {
        MiniClusterOptions {
            nodes: 1,
            node_memory_mb: 8192,
            node_vcores: 8,
            node_resources: Vec::new(),
            host: "127.0.0.1".into(),
            distinct_node_hosts: false,
            racks: vec!["/default-rack".into()],
            rm_port: 0,
            scheduler_port: 0,
            base_dir: None,
            min_allocation_mb: 128,
            min_allocation_vcores: 1,
            max_allocation_mb: None,
            max_allocation_vcores: None,
            max_app_attempts: 2,
            am_liveness_expiry: Duration::from_millis(900_000),
            container_allocation_expiry: Duration::from_millis(600_000),
            monitor_interval: Duration::from_millis(1000),
            kill_grace: Duration::from_millis(250),
            pmem_check: true,
            java_home: None,
            keep_container_dirs: false,
            rest: true,
            max_completed_apps: 1000,
            max_application_priority: 0,
            log_aggregation: true,
            remote_app_log_dir: None,
            nm_web: true,
            container_env: Vec::new(),
            application_classpath: None,
            fixed_secrets: None,
        }
    }
}

impl MiniClusterOptions {
    /// `nodes` nodes of `memory_mb` MB and `vcores` vcores each; other settings default.
    pub fn with_nodes(nodes: usize, memory_mb: i64, vcores: i64) -> Self {
        MiniClusterOptions {
            nodes,
            node_memory_mb: memory_mb,
            node_vcores: vcores,
            ..Default::default()
        }
    }

    /// One node's capacity.
    pub fn node_capacity(&self) -> Resources {
        let mut r = Resources::new(self.node_memory_mb, self.node_vcores);
        for (k, v) in &self.node_resources {
            r.custom.insert(k.clone(), *v);
        }
        r
    }

    /// The largest container the scheduler hands out.
    pub fn max_allocation(&self) -> Resources {
        let mut r = self.node_capacity();
        r.memory_mb = self.max_allocation_mb.unwrap_or(self.node_memory_mb);
        r.vcores = self.max_allocation_vcores.unwrap_or(self.node_vcores);
        r
    }

    /// The smallest container (asks are rounded up to multiples of it).
    pub fn min_allocation(&self) -> Resources {
        Resources::new(self.min_allocation_mb, self.min_allocation_vcores)
    }

    /// The host node `index` binds and advertises.
    pub fn node_host(&self, index: usize) -> String {
        if self.distinct_node_hosts {
            format!("127.0.0.{}", (index % 250) + 1)
        } else {
            self.host.clone()
        }
    }

    /// The rack of node `index`.
    pub fn node_rack(&self, index: usize) -> String {
        if self.racks.is_empty() {
            "/default-rack".into()
        } else {
            self.racks[index % self.racks.len()].clone()
        }
    }

    /// Checks the options make a usable cluster.
    pub fn validate(&self) -> Result<(), crate::ClusterError> {
        let bad = |what: &str| Err(crate::ClusterError::Options(what.to_string()));
        if self.nodes == 0 || self.nodes > 250 {
            return bad("nodes must be between 1 and 250");
        }
        if self.node_memory_mb <= 0 || self.node_vcores <= 0 {
            return bad("node memory and vcores must be positive");
        }
        if self.min_allocation_mb <= 0 || self.min_allocation_vcores <= 0 {
            return bad("the minimum allocation must be positive");
        }
        if self.node_resources.iter().any(|(_, v)| *v < 0) {
            return bad("custom node resources must not be negative");
        }
        if self.max_app_attempts < 1 {
            return bad("max_app_attempts must be at least 1");
        }
        if self.monitor_interval.is_zero() {
            return bad("monitor_interval must not be zero");
        }
        if self.host.is_empty() {
            return bad("host must not be empty");
        }
        if self.max_completed_apps == 0 {
            return bad("max_completed_apps must be at least 1");
        }
        for (k, _) in &self.container_env {
            let ok = k
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return bad(&format!(
                    "container variable '{k}' is not a shell name ([A-Za-z_][A-Za-z0-9_]*)"
                ));
            }
        }
        if let Some(f) = &self.fixed_secrets {
            if f.amrm_key.is_empty() || f.nm_token_key.is_empty() || f.container_key.is_empty() {
                return bad("fixed secrets need three non-empty master keys");
            }
            if f.cluster_timestamp <= 0 {
                return bad("the fixed cluster timestamp must be positive");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{FixedSecrets, MiniClusterOptions};

    #[test]
    fn fixed_secrets_need_keys_and_a_timestamp() {
        let good = FixedSecrets {
            amrm_key: b"a".to_vec(),
            nm_token_key: b"n".to_vec(),
            container_key: b"c".to_vec(),
            cluster_timestamp: 1,
        };
        let with = |f: FixedSecrets| MiniClusterOptions {
            fixed_secrets: Some(f),
            ..Default::default()
        };
        assert!(with(good.clone()).validate().is_ok());
        let no_key = FixedSecrets {
            container_key: Vec::new(),
            ..good.clone()
        };
        assert!(with(no_key).validate().is_err());
        let no_time = FixedSecrets {
            cluster_timestamp: 0,
            ..good
        };
        assert!(with(no_time).validate().is_err());
    }
}
