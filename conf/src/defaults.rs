//! Hadoop's defaults (core-default.xml, yarn-default.xml, Hadoop 3.4) for the keys Spindle
//! reads. They sit below every file, as Hadoop's `*-default.xml` do, and expand like any value.

/// `(key, default)` pairs.
pub const DEFAULTS: &[(&str, &str)] = &[
    // core-default.xml
    ("hadoop.tmp.dir", "/tmp/hadoop-${user.name}"),
    ("fs.defaultFS", "file:///"),
    ("hadoop.security.authentication", "simple"),
    ("hadoop.rpc.protection", "authentication"),
    ("hadoop.security.token.service.use_ip", "true"),
    ("ipc.client.connect.timeout", "20000"),
    ("ipc.client.connect.max.retries", "10"),
    ("ipc.client.rpc-timeout.ms", "120000"),
    ("ipc.client.ping", "true"),
    ("ipc.ping.interval", "60000"),
    ("ipc.client.connection.maxidletime", "10000"),
    ("ipc.client.idlethreshold", "4000"),
    ("ipc.maximum.data.length", "134217728"),
    // yarn-default.xml: addresses
    ("yarn.resourcemanager.hostname", "0.0.0.0"),
    (
        "yarn.resourcemanager.address",
        "${yarn.resourcemanager.hostname}:8032",
    ),
    (
        "yarn.resourcemanager.scheduler.address",
        "${yarn.resourcemanager.hostname}:8030",
    ),
    (
        "yarn.resourcemanager.resource-tracker.address",
        "${yarn.resourcemanager.hostname}:8031",
    ),
    (
        "yarn.resourcemanager.admin.address",
        "${yarn.resourcemanager.hostname}:8033",
    ),
    (
        "yarn.resourcemanager.webapp.address",
        "${yarn.resourcemanager.hostname}:8088",
    ),
    (
        "yarn.resourcemanager.webapp.https.address",
        "${yarn.resourcemanager.hostname}:8090",
    ),
    ("yarn.nodemanager.hostname", "0.0.0.0"),
    ("yarn.nodemanager.address", "${yarn.nodemanager.hostname}:0"),
    (
        "yarn.nodemanager.webapp.address",
        "${yarn.nodemanager.hostname}:8042",
    ),
    ("yarn.http.policy", "HTTP_ONLY"),
    // HA and retries
    ("yarn.resourcemanager.ha.enabled", "false"),
    ("yarn.resourcemanager.connect.max-wait.ms", "900000"),
    ("yarn.resourcemanager.connect.retry-interval.ms", "30000"),
    ("yarn.client.nodemanager-connect.max-wait-ms", "180000"),
    ("yarn.client.nodemanager-connect.retry-interval-ms", "10000"),
    (
        "yarn.client.application-client-protocol.poll-interval-ms",
        "200",
    ),
    // Liveness and attempts
    ("yarn.am.liveness-monitor.expiry-interval-ms", "900000"),
    ("yarn.nm.liveness-monitor.expiry-interval-ms", "600000"),
    (
        "yarn.resourcemanager.rm.container-allocation.expiry-interval-ms",
        "600000",
    ),
    ("yarn.resourcemanager.am.max-attempts", "2"),
    ("yarn.resourcemanager.max-completed-applications", "1000"),
    // Scheduler limits
    ("yarn.scheduler.minimum-allocation-mb", "1024"),
    ("yarn.scheduler.maximum-allocation-mb", "8192"),
    ("yarn.scheduler.minimum-allocation-vcores", "1"),
    ("yarn.scheduler.maximum-allocation-vcores", "4"),
    // NodeManager
    (
        "yarn.nodemanager.local-dirs",
        "${hadoop.tmp.dir}/nm-local-dir",
    ),
    ("yarn.nodemanager.log-dirs", "${yarn.log.dir}/userlogs"),
    ("yarn.nodemanager.remote-app-log-dir", "/tmp/logs"),
    ("yarn.nodemanager.remote-app-log-dir-suffix", "logs"),
    ("yarn.log-aggregation-enable", "false"),
    ("yarn.nodemanager.vmem-check-enabled", "true"),
    ("yarn.nodemanager.pmem-check-enabled", "true"),
    ("yarn.nodemanager.vmem-pmem-ratio", "2.1"),
    ("yarn.nodemanager.sleep-delay-before-sigkill.ms", "250"),
    ("yarn.nodemanager.process-kill-wait.ms", "5000"),
    ("yarn.nodemanager.resource.memory-mb", "8192"),
    ("yarn.nodemanager.resource.cpu-vcores", "8"),
];

/// The default of `key`, if Spindle knows one.
pub fn default_of(key: &str) -> Option<&'static str> {
    DEFAULTS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}
