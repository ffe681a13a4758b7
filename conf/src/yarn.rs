//! The ResourceManager's addresses, with and without HA.
//!
//! Without HA, `yarn.resourcemanager.<service>.address` (default
//! `${yarn.resourcemanager.hostname}:<port>`). With `yarn.resourcemanager.ha.enabled`, one address
//! per id in `yarn.resourcemanager.ha.rm-ids`: `yarn.resourcemanager.<service>.address.<id>`, or
//! else `yarn.resourcemanager.hostname.<id>` with the service's default port — the order in which
//! a client tries them on failover.

use crate::{ConfError, Configuration};

/// A ResourceManager endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RmService {
    /// ApplicationClientProtocol (submit, reports, kill).
    Client,
    /// ApplicationMasterProtocol (register, allocate, finish).
    Scheduler,
    /// The web UI and REST API.
    Webapp,
    /// ResourceTracker (NodeManagers).
    ResourceTracker,
    /// The admin protocol.
    Admin,
}

impl RmService {
    /// The address key (without an rm-id suffix).
    pub fn key(self) -> &'static str {
        match self {
            RmService::Client => "yarn.resourcemanager.address",
            RmService::Scheduler => "yarn.resourcemanager.scheduler.address",
            RmService::Webapp => "yarn.resourcemanager.webapp.address",
            RmService::ResourceTracker => "yarn.resourcemanager.resource-tracker.address",
            RmService::Admin => "yarn.resourcemanager.admin.address",
        }
    }

    /// The port a bare host name gets.
    pub fn default_port(self) -> u16 {
        match self {
            RmService::Client => 8032,
            RmService::Scheduler => 8030,
            RmService::Webapp => 8088,
            RmService::ResourceTracker => 8031,
            RmService::Admin => 8033,
        }
    }
}

/// One ResourceManager's address for a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RmAddress {
    /// The HA id (`rm1`), `None` without HA.
    pub rm_id: Option<String>,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// Port.
    pub port: u16,
}

impl RmAddress {
    /// `host:port`, with brackets around an IPv6 address.
    pub fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Splits `host:port`, `host`, `[v6]:port` or `[v6]`; a missing port is `default_port`.
pub fn parse_host_port(text: &str, default_port: u16) -> Option<(String, u16)> {
    let text = text.trim();
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match text.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => (host, Some(port)),
            Some(_) => return None,
            None => (text, None),
        }
    };
    if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '/') {
        return None;
    }
    let port = match port {
        None => default_port,
        Some(p) => p.parse().ok()?,
    };
    Some((host.to_string(), port))
}

/// Whether ResourceManager HA is on.
pub fn ha_enabled(conf: &Configuration) -> Result<bool, ConfError> {
    conf.get_bool_or("yarn.resourcemanager.ha.enabled", false)
}

/// The addresses of `service`, in failover order (one without HA).
pub fn rm_addresses(conf: &Configuration, service: RmService) -> Result<Vec<RmAddress>, ConfError> {
    let parse = |key: &str, rm_id: Option<&str>| -> Result<RmAddress, ConfError> {
        let value = conf.get_trimmed(key).unwrap_or_default();
        let (host, port) = parse_host_port(&value, service.default_port())
            .ok_or_else(|| conf.invalid(key, &value, "expected host:port"))?;
        Ok(RmAddress {
            rm_id: rm_id.map(String::from),
            host,
            port,
        })
    };
    if !ha_enabled(conf)? {
        return Ok(vec![parse(service.key(), None)?]);
    }
    let ids = conf.get_list("yarn.resourcemanager.ha.rm-ids");
    if ids.is_empty() {
        return Err(ConfError::Missing {
            key: "yarn.resourcemanager.ha.rm-ids".to_string(),
            hint: "yarn.resourcemanager.ha.enabled is true: list the ResourceManagers' ids (rm1,rm2) and give each an address".to_string(),
        });
    }
    ids.iter()
        .map(|id| {
            let per_rm = format!("{}.{id}", service.key());
            if conf.get_trimmed(&per_rm).is_some() {
                return parse(&per_rm, Some(id));
            }
            let host_key = format!("yarn.resourcemanager.hostname.{id}");
            let Some(host) = conf.get_trimmed(&host_key) else {
                return Err(ConfError::Missing {
                    key: per_rm,
                    hint: format!("set it or {host_key} for ResourceManager {id}"),
                });
            };
            // A host name only: Hadoop appends the service's port to it.
            if parse_host_port(&host, 0).is_none_or(|(_, port)| port != 0) {
                return Err(conf.invalid(&host_key, &host, "expected a host name without a port"));
            }
            Ok(RmAddress {
                rm_id: Some(id.clone()),
                host,
                port: service.default_port(),
            })
        })
        .collect()
}
