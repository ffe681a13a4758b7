//! [`ClientConfig`]: what the client reads from the Hadoop configuration (`HADOOP_CONF_DIR`,
//! through `spindle-conf`, the one configuration reader), and the Spindle keys that tune a
//! submission.
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `yarn.resourcemanager.address` (HA: `…address.<id>`) | `${yarn.resourcemanager.hostname}:8032` | where applications are submitted |
//! | `spindle.yarn.stagingDir` | `file://$HOME/.spindleStaging` | where local files are staged (`file://` only; see [`crate::staging`]) |
//! | `spindle.yarn.report.interval` | `200ms` | how often a followed application's report is read |
//! | `HADOOP_USER_NAME` (environment) | `$USER` | the user applications are submitted as |

use std::path::{Path, PathBuf};
use std::time::Duration;

use spindle_conf::Configuration;
use spindle_conf::yarn::{RmService, rm_addresses};
use spindle_protocol::gssapi::KerberosCredentials;
use spindle_protocol::sasl::qop::{Qop, parse_protection};

use crate::error::ClientError;

/// Key: the staging root.
pub const STAGING_DIR: &str = "spindle.yarn.stagingDir";
/// Key: the report interval while following an application.
pub const REPORT_INTERVAL: &str = "spindle.yarn.report.interval";
/// Key: the AM's steady heartbeat to the ResourceManager (Spark's
/// `spark.yarn.scheduler.heartbeat.interval-ms`); a bare number is milliseconds.
pub const AM_HEARTBEAT_INTERVAL: &str = "spindle.yarn.scheduler.heartbeat.interval-ms";
/// The report interval when [`REPORT_INTERVAL`] is unset.
pub const DEFAULT_REPORT_INTERVAL: Duration = Duration::from_millis(200);
/// The folder under the home folder that holds staging when [`STAGING_DIR`] is unset (Spark's
/// `.sparkStaging`).
pub const STAGING_FOLDER: &str = ".spindleStaging";

/// Where and as whom the client talks to the cluster.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The configuration read (with `--conf` values set on it).
    pub conf: Configuration,
    /// The ResourceManager client addresses (`host:port`), in failover order.
    pub rm_addresses: Vec<String>,
    /// The user applications are submitted as.
    pub user: String,
    /// The staging root on this machine's file system.
    pub staging_root: PathBuf,
    /// How often a followed application's report is read.
    pub report_interval: Duration,
    /// How the client proves who it is to the ResourceManager, and the protection it asks for.
    pub security: RmSecurity,
}

/// The client side of a cluster's RPC security.
#[derive(Debug, Clone, Default)]
pub struct RmSecurity {
    /// `hadoop.rpc.protection`: what the connection must be protected with.
    pub qop: Vec<Qop>,
    /// With `hadoop.security.authentication=kerberos`: our credentials and the RM's principal
    /// (`yarn.resourcemanager.principal`, `_HOST` replaced per address).
    pub kerberos: Option<(KerberosCredentials, String)>,
}

/// Spindle's keys for a Kerberos login from a keytab (Spark's `spark.kerberos.principal` and
/// `spark.kerberos.keytab`); without them the ticket cache (`kinit`) is used.
pub const KERBEROS_PRINCIPAL: &str = "spindle.kerberos.principal";
/// See [`KERBEROS_PRINCIPAL`].
pub const KERBEROS_KEYTAB: &str = "spindle.kerberos.keytab";

impl RmSecurity {
    /// The security `conf` describes.
    pub fn from_conf(conf: &Configuration) -> Result<Self, ClientError> {
        let key = "hadoop.rpc.protection";
        let value = conf
            .get_trimmed(key)
            .unwrap_or_else(|| "authentication".into());
        let qop =
            parse_protection(&value).map_err(|e| conf.invalid(key, &value, &e.to_string()))?;
        let auth = conf
            .get_trimmed("hadoop.security.authentication")
            .unwrap_or_else(|| "simple".into());
        let kerberos = match auth.to_ascii_lowercase().as_str() {
            "simple" => None,
            "kerberos" => {
                let principal = conf.get_trimmed("yarn.resourcemanager.principal").ok_or_else(|| {
                    ClientError::Invalid(
                        "hadoop.security.authentication is kerberos but yarn.resourcemanager.principal is not set: name the RM's principal (rm/_HOST@REALM) in yarn-site.xml".into(),
                    )
                })?;
                let credentials = match (
                    conf.get_trimmed(KERBEROS_PRINCIPAL),
                    conf.get_trimmed(KERBEROS_KEYTAB),
                ) {
                    (Some(principal), Some(keytab)) => KerberosCredentials::Keytab {
                        principal,
                        keytab: keytab.into(),
                    },
                    (None, None) => KerberosCredentials::TicketCache,
                    _ => {
                        return Err(ClientError::Invalid(format!(
                            "set both {KERBEROS_PRINCIPAL} and {KERBEROS_KEYTAB} (or neither, to use the ticket cache from kinit)"
                        )));
                    }
                };
                Some((credentials, principal))
            }
            other => {
                return Err(conf
                    .invalid(
                        "hadoop.security.authentication",
                        other,
                        "expected simple or kerberos",
                    )
                    .into());
            }
        };
        Ok(RmSecurity { qop, kerberos })
    }
}

impl ClientConfig {
    /// The configuration of `HADOOP_CONF_DIR` (or `YARN_CONF_DIR`, `$HADOOP_HOME/etc/hadoop`)
    /// with `overrides` (`--conf KEY=VALUE`) set on top.
    pub fn from_env(overrides: &[(String, String)]) -> Result<Self, ClientError> {
        let mut conf = Configuration::from_env()?;
        for (k, v) in overrides {
            conf.set(k, v.clone(), "--conf");
        }
        ClientConfig::from_conf(conf)
    }

    /// The configuration in one folder (an embedded cluster's), with `overrides` on top.
    pub fn from_dir(dir: &Path, overrides: &[(String, String)]) -> Result<Self, ClientError> {
        let mut conf = Configuration::new();
        conf.load_dir(dir)?;
        for (k, v) in overrides {
            conf.set(k, v.clone(), "--conf");
        }
        ClientConfig::from_conf(conf)
    }

    /// Reads what the client needs from `conf`.
    pub fn from_conf(conf: Configuration) -> Result<Self, ClientError> {
        let rm_addresses = rm_addresses(&conf, RmService::Client)?
            .iter()
            .map(|a| a.host_port())
            .collect();
        let user = std::env::var("HADOOP_USER_NAME")
            .ok()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("LOGNAME").ok())
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "spindle".to_string());
        let staging_root = staging_root(&conf)?;
        let report_interval = conf
            .get_duration(REPORT_INTERVAL, Duration::from_millis(1))?
            .unwrap_or(DEFAULT_REPORT_INTERVAL)
            .clamp(Duration::from_millis(10), Duration::from_secs(60));
        let security = RmSecurity::from_conf(&conf)?;
        Ok(ClientConfig {
            conf,
            rm_addresses,
            user,
            staging_root,
            report_interval,
            security,
        })
    }
}

/// The staging root: [`STAGING_DIR`] when set, else `$HOME/.spindleStaging` on the default
/// file system. Only `file:` is supported: staging on HDFS (`hdfs://`) needs an HDFS client,
/// which Spindle does not have yet.
fn staging_root(conf: &Configuration) -> Result<PathBuf, ClientError> {
    let default_fs = conf
        .get_trimmed("fs.defaultFS")
        .unwrap_or_else(|| "file:///".into());
    let hdfs_unsupported = |what: &str| {
        ClientError::Invalid(format!(
            "{what} is on HDFS, and Spindle stages files on a local or shared file system only \
             (file://): set --conf {STAGING_DIR}=file:///PATH to a folder every node can read \
             (for one machine, any folder; for a cluster, an NFS mount)"
        ))
    };
    match conf.get_trimmed(STAGING_DIR) {
        Some(dir) => {
            if let Some(path) = dir.strip_prefix("file://") {
                absolute(path, STAGING_DIR)
            } else if dir.contains("://") {
                Err(hdfs_unsupported(&format!("{STAGING_DIR} = {dir}")))
            } else if default_fs.starts_with("file:") {
                absolute(&dir, STAGING_DIR)
            } else {
                Err(hdfs_unsupported(&format!(
                    "{STAGING_DIR} = {dir} (on fs.defaultFS = {default_fs})"
                )))
            }
        }
        None if default_fs.starts_with("file:") => {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|h| h.is_absolute())
                .unwrap_or_else(std::env::temp_dir);
            Ok(home.join(STAGING_FOLDER))
        }
        None => Err(hdfs_unsupported(&format!(
            "the default staging folder (fs.defaultFS = {default_fs})"
        ))),
    }
}

fn absolute(path: &str, key: &str) -> Result<PathBuf, ClientError> {
    let p = PathBuf::from(path);
    if p.is_absolute() {
        Ok(p)
    } else {
        Err(ClientError::Invalid(format!(
            "{key} = {path:?} must be an absolute path (file:///path)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(pairs: &[(&str, &str)]) -> Configuration {
        let mut c = Configuration::with_env(|_| None);
        for (k, v) in pairs {
            c.set(k, *v, "test");
        }
        c
    }

    #[test]
    fn staging_defaults_to_the_home_folder_on_a_local_default_fs() {
        assert_eq!(
            staging_root(&conf(&[])).unwrap(),
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(STAGING_FOLDER)
        );
        assert_eq!(
            staging_root(&conf(&[(STAGING_DIR, "file:///shared/st")])).unwrap(),
            PathBuf::from("/shared/st")
        );
        assert_eq!(
            staging_root(&conf(&[(STAGING_DIR, "/plain")])).unwrap(),
            PathBuf::from("/plain")
        );
    }

    #[test]
    fn hdfs_staging_is_refused_with_the_fix() {
        for c in [
            conf(&[("fs.defaultFS", "hdfs://nn:8020")]),
            conf(&[(STAGING_DIR, "hdfs://nn:8020/user/x")]),
            conf(&[("fs.defaultFS", "hdfs://nn:8020"), (STAGING_DIR, "/user/x")]),
        ] {
            let e = staging_root(&c).unwrap_err().to_string();
            assert!(e.contains("file:///PATH"), "{e}");
        }
        assert!(staging_root(&conf(&[(STAGING_DIR, "file://relative")])).is_err());
    }

    #[test]
    fn addresses_and_interval_come_from_the_configuration() {
        let c = ClientConfig::from_conf(conf(&[
            ("yarn.resourcemanager.address", "rm.example:9032"),
            (REPORT_INTERVAL, "50ms"),
        ]))
        .unwrap();
        assert_eq!(c.rm_addresses, vec!["rm.example:9032".to_string()]);
        assert_eq!(c.report_interval, Duration::from_millis(50));
        let bad = ClientConfig::from_conf(conf(&[(REPORT_INTERVAL, "soon")]));
        assert!(matches!(bad, Err(ClientError::Conf(_))));
    }
}
