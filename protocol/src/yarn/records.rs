//! Convenience constructors and accessors on the YARN records (see [`crate::proto::yarn`]).
//!
//! The records stay plain prost messages; these helpers only spare callers the `Option`
//! plumbing and encode the rules of PROTOCOL.md §4 (e.g. `memory`/`virtual_cores` win over the
//! resource map, `allocation_request_id` is always set explicitly, exit status -1000 means
//! "not exited").

use crate::credentials::{Credentials, CredentialsError};
use crate::ids::{ContainerId, IdError, NodeId};
use crate::proto::yarn::*;

pub use spindle_base::exit::{ContainerExit, exit_status};

/// Resource-map key of memory.
pub const RESOURCE_MEMORY_MB: &str = "memory-mb";
/// Resource-map key of vcores.
pub const RESOURCE_VCORES: &str = "vcores";

impl ResourceProto {
    /// `memory` MB and `vcores` virtual cores, in the legacy fields only (enough for every RM).
    pub fn new(memory_mb: i64, vcores: i32) -> Self {
        ResourceProto {
            memory: Some(memory_mb),
            virtual_cores: Some(vcores),
            resource_value_map: Vec::new(),
        }
    }

    /// The same resource also listed in the map, the way Java writes it
    /// (`memory-mb` in `Mi`, `vcores` without unit).
    pub fn new_like_java(memory_mb: i64, vcores: i32) -> Self {
        ResourceProto::new(memory_mb, vcores)
            .with_resource(RESOURCE_MEMORY_MB, memory_mb, "Mi")
            .with_resource(RESOURCE_VCORES, vcores.into(), "")
    }

    /// Adds (or replaces) a countable resource in the map.
    pub fn with_resource(mut self, key: &str, value: i64, units: &str) -> Self {
        let info = ResourceInformationProto {
            key: key.to_string(),
            value: Some(value),
            units: Some(units.to_string()),
            r#type: Some(ResourceTypesProto::Countable as i32),
            ..Default::default()
        };
        match self.resource_value_map.iter_mut().find(|r| r.key == key) {
            Some(existing) => *existing = info,
            None => self.resource_value_map.push(info),
        }
        self
    }

    /// Memory in MB: field `memory` wins, else the `memory-mb` map entry, else 0.
    pub fn memory_mb(&self) -> i64 {
        self.memory
            .or_else(|| self.map_value(RESOURCE_MEMORY_MB))
            .unwrap_or(0)
    }

    /// Virtual cores: field `virtual_cores` wins, else the `vcores` map entry, else 0.
    pub fn vcores(&self) -> i32 {
        self.virtual_cores
            .or_else(|| {
                self.map_value(RESOURCE_VCORES)
                    .and_then(|v| i32::try_from(v).ok())
            })
            .unwrap_or(0)
    }

    /// The value of another resource type in the map.
    pub fn map_value(&self, key: &str) -> Option<i64> {
        self.resource_value_map
            .iter()
            .find(|r| r.key == key)
            .and_then(|r| r.value)
    }
}

impl PriorityProto {
    /// A priority (a lower number is a higher priority).
    pub fn new(priority: i32) -> Self {
        PriorityProto {
            priority: Some(priority),
        }
    }
}

/// Resource name meaning "any host".
pub const ANY_RESOURCE_NAME: &str = "*";

impl ResourceRequestProto {
    /// An ask for `num_containers` of `capability` at `resource_name` (host, rack or `*`), with
    /// `allocation_request_id` set explicitly (its default changed from 0 to -1 in Hadoop 3).
    /// Locality is relaxed and the execution type is GUARANTEED, as AMRMClient sends it.
    pub fn new(
        priority: i32,
        resource_name: impl Into<String>,
        capability: ResourceProto,
        num_containers: i32,
        allocation_request_id: i64,
    ) -> Self {
        ResourceRequestProto {
            priority: Some(PriorityProto::new(priority)),
            resource_name: Some(resource_name.into()),
            capability: Some(capability),
            num_containers: Some(num_containers),
            relax_locality: Some(true),
            node_label_expression: None,
            execution_type_request: Some(ExecutionTypeRequestProto {
                execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
                enforce_execution_type: Some(false),
            }),
            allocation_request_id: Some(allocation_request_id),
        }
    }

    /// Sets `relax_locality`.
    pub fn with_relax_locality(mut self, relax: bool) -> Self {
        self.relax_locality = Some(relax);
        self
    }

    /// Sets the node label expression.
    pub fn with_node_label_expression(mut self, expr: impl Into<String>) -> Self {
        self.node_label_expression = Some(expr.into());
        self
    }

    /// Sets the execution type (and whether it is enforced).
    pub fn with_execution_type(mut self, ty: ExecutionTypeProto, enforce: bool) -> Self {
        self.execution_type_request = Some(ExecutionTypeRequestProto {
            execution_type: Some(ty as i32),
            enforce_execution_type: Some(enforce),
        });
        self
    }
}

impl ContainerProto {
    /// The container id.
    pub fn container_id(&self) -> Result<ContainerId, IdError> {
        ContainerId::from_proto(self.id.as_ref().ok_or(IdError::MissingField {
            message: "ContainerProto",
            field: "id",
        })?)
    }

    /// The node it runs on.
    pub fn node(&self) -> Result<NodeId, IdError> {
        NodeId::from_proto(self.node_id.as_ref().ok_or(IdError::MissingField {
            message: "ContainerProto",
            field: "nodeId",
        })?)
    }
}

impl ContainerStatusProto {
    /// The container id.
    pub fn id(&self) -> Result<ContainerId, IdError> {
        ContainerId::from_proto(self.container_id.as_ref().ok_or(IdError::MissingField {
            message: "ContainerStatusProto",
            field: "container_id",
        })?)
    }

    /// The state, keeping unknown values (old protos had `C_SCHEDULED=4`) as `Err(raw)`.
    pub fn known_state(&self) -> Result<ContainerStateProto, i32> {
        let raw = self.state.unwrap_or(ContainerStateProto::CNew as i32);
        ContainerStateProto::try_from(raw).map_err(|_| raw)
    }

    /// Whether the container has completed.
    pub fn is_complete(&self) -> bool {
        self.known_state() == Ok(ContainerStateProto::CComplete)
    }

    /// What the exit status means (-1000, the default, is [`ContainerExit::NotExited`]).
    pub fn exit(&self) -> ContainerExit {
        ContainerExit::from_status(self.exit_status())
    }

    /// The exit status, or `None` while it is INVALID (-1000).
    pub fn exit_code(&self) -> Option<i32> {
        match self.exit_status() {
            exit_status::INVALID => None,
            code => Some(code),
        }
    }
}

impl StringStringMapProto {
    /// A map entry.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        StringStringMapProto {
            key: Some(key.into()),
            value: Some(value.into()),
        }
    }
}

impl StringBytesMapProto {
    /// A map entry.
    pub fn new(key: impl Into<String>, value: Vec<u8>) -> Self {
        StringBytesMapProto {
            key: Some(key.into()),
            value: Some(value),
        }
    }
}

impl StringLocalResourceMapProto {
    /// A map entry (link name in the container work dir → resource).
    pub fn new(key: impl Into<String>, value: LocalResourceProto) -> Self {
        StringLocalResourceMapProto {
            key: Some(key.into()),
            value: Some(value),
        }
    }
}

/// Why a URI could not be turned into a [`URLProto`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid resource URI '{uri}': {reason}")]
pub struct UrlError {
    /// The URI.
    pub uri: String,
    /// What is wrong.
    pub reason: &'static str,
}

impl URLProto {
    /// Splits a URI like `URL.fromURI`: scheme, optional user info, host, port (-1 when absent)
    /// and the path only (query and fragment are dropped).
    /// `hdfs://nn:8020/a/b.jar` → {hdfs, nn, 8020, /a/b.jar}; `file:///tmp/x` → {file, -1, /tmp/x}.
    pub fn from_uri(uri: &str) -> Result<Self, UrlError> {
        let err = |reason| UrlError {
            uri: uri.to_string(),
            reason,
        };
        let (scheme, rest) = uri.split_once(':').ok_or(err("no scheme"))?;
        if scheme.is_empty()
            || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return Err(err("invalid scheme"));
        }
        let rest = rest.split(['?', '#']).next().unwrap_or("");
        let mut url = URLProto {
            scheme: Some(scheme.to_string()),
            port: Some(-1),
            ..Default::default()
        };
        let path = if let Some(after) = rest.strip_prefix("//") {
            let (authority, path) = match after.find('/') {
                Some(i) => (&after[..i], &after[i..]),
                None => (after, ""),
            };
            let host_port = match authority.rsplit_once('@') {
                Some((user, hp)) => {
                    url.user_info = Some(user.to_string());
                    hp
                }
                None => authority,
            };
            let (host, port) = if let Some(inner) = host_port.strip_prefix('[') {
                let end = inner.find(']').ok_or(err("unclosed '[' in host"))?;
                let after = &inner[end + 1..];
                let port = match after.strip_prefix(':') {
                    Some(p) => Some(p),
                    None if after.is_empty() => None,
                    None => return Err(err("unexpected text after the IPv6 address")),
                };
                (&host_port[..end + 2], port)
            } else {
                match host_port.rsplit_once(':') {
                    Some((h, p)) => (h, Some(p)),
                    None => (host_port, None),
                }
            };
            let port = match port {
                Some("") | None => None,
                Some(p) => Some(p.parse::<i32>().map_err(|_| err("invalid port"))?),
            };
            if !host.is_empty() {
                url.host = Some(host.to_string());
            }
            if let Some(p) = port {
                url.port = Some(p);
            }
            path
        } else {
            rest
        };
        url.file = Some(path.to_string());
        Ok(url)
    }
}

impl LocalResourceProto {
    /// A resource to localize. `timestamp` must be the source file's modification time in ms.
    pub fn new(
        url: URLProto,
        size: i64,
        timestamp: i64,
        kind: LocalResourceTypeProto,
        visibility: LocalResourceVisibilityProto,
    ) -> Self {
        LocalResourceProto {
            resource: Some(url),
            size: Some(size),
            timestamp: Some(timestamp),
            r#type: Some(kind as i32),
            visibility: Some(visibility as i32),
            pattern: None,
            should_be_uploaded_to_shared_cache: None,
        }
    }
}

impl LocalResourceProto {
    /// A resource for a file on the local (or a shared POSIX) file system: `file://` URL of the
    /// absolute path, its size, and its modification time in ms, as the NM will check it.
    pub fn for_local_file(
        path: &std::path::Path,
        kind: LocalResourceTypeProto,
        visibility: LocalResourceVisibilityProto,
    ) -> std::io::Result<Self> {
        let path = std::path::absolute(path)?;
        let meta = std::fs::metadata(&path)?;
        let mtime = meta
            .modified()?
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        let url = URLProto {
            scheme: Some("file".into()),
            host: None,
            port: Some(-1),
            file: Some(path.to_string_lossy().into_owned()),
            user_info: None,
        };
        Ok(LocalResourceProto::new(
            url,
            i64::try_from(meta.len()).unwrap_or(i64::MAX),
            mtime,
            kind,
            visibility,
        ))
    }
}

impl ApplicationSubmissionContextProto {
    /// A submission of a managed AM: application id and name, the AM's launch context and
    /// resource; queue, attempts and type keep their proto defaults unless set afterwards.
    pub fn new(
        application_id: crate::ids::ApplicationId,
        name: impl Into<String>,
        am_container_spec: ContainerLaunchContextProto,
        am_resource: ResourceProto,
    ) -> Self {
        ApplicationSubmissionContextProto {
            application_id: Some(application_id.to_proto()),
            application_name: Some(name.into()),
            am_container_spec: Some(am_container_spec),
            resource: Some(am_resource),
            ..Default::default()
        }
    }
}

impl ContainerLaunchContextProto {
    /// Stores `credentials` in `tokens` (HDTS format 0, what the NM expects).
    pub fn set_credentials(&mut self, credentials: &Credentials) {
        self.tokens = Some(credentials.to_bytes());
    }

    /// Reads `tokens` back (empty credentials when unset).
    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        match &self.tokens {
            Some(bytes) => Credentials::from_bytes(bytes),
            None => Ok(Credentials::new()),
        }
    }

    /// Adds an environment variable.
    pub fn add_env(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.environment.push(StringStringMapProto::new(key, value));
    }

    /// The value of an environment variable, if set.
    pub fn env(&self, key: &str) -> Option<&str> {
        self.environment
            .iter()
            .find(|e| e.key.as_deref() == Some(key))
            .map(|e| e.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_fields_win_over_map() {
        let r = ResourceProto::new(1024, 2).with_resource(RESOURCE_MEMORY_MB, 99, "Mi");
        assert_eq!(r.memory_mb(), 1024);
        let only_map = ResourceProto {
            memory: None,
            virtual_cores: None,
            ..ResourceProto::new_like_java(512, 3)
        };
        assert_eq!(only_map.memory_mb(), 512);
        assert_eq!(only_map.vcores(), 3);
        let gpu = ResourceProto::new(1, 1).with_resource("yarn.io/gpu", 2, "");
        assert_eq!(gpu.map_value("yarn.io/gpu"), Some(2));
    }

    #[test]
    fn resource_request_sets_allocation_request_id() {
        let r = ResourceRequestProto::new(1, "*", ResourceProto::new(256, 1), 3, 0);
        assert_eq!(r.allocation_request_id, Some(0));
        assert!(r.relax_locality());
        let r = r.with_relax_locality(false);
        assert!(!r.relax_locality());
    }

    #[test]
    fn exit_statuses() {
        let mut s = ContainerStatusProto::default();
        assert_eq!(s.exit(), ContainerExit::NotExited);
        assert_eq!(s.exit_code(), None);
        assert!(!s.is_complete());
        s.state = Some(ContainerStateProto::CComplete as i32);
        s.exit_status = Some(-105);
        assert!(s.is_complete());
        assert_eq!(s.exit(), ContainerExit::KilledByAppMaster);
        s.exit_status = Some(1);
        assert_eq!(s.exit(), ContainerExit::Process(1));
        assert!(s.exit().is_app_failure());
        assert!(!ContainerExit::Preempted.is_app_failure());
        s.state = Some(4);
        assert_eq!(s.known_state(), Err(4));
    }

    #[test]
    fn urls_split_like_hadoop() {
        let u = URLProto::from_uri("hdfs://nn:8020/a/b.jar").unwrap();
        assert_eq!(
            (u.scheme(), u.host(), u.port(), u.file()),
            ("hdfs", "nn", 8020, "/a/b.jar")
        );
        let f = URLProto::from_uri("file:///tmp/x?q=1#frag").unwrap();
        assert_eq!(
            (f.scheme(), f.host.as_deref(), f.port(), f.file()),
            ("file", None, -1, "/tmp/x")
        );
        let u = URLProto::from_uri("s3a://me@bucket/k").unwrap();
        assert_eq!(u.user_info.as_deref(), Some("me"));
        assert_eq!(u.host(), "bucket");
        assert!(URLProto::from_uri("/no/scheme").is_err());
        assert!(URLProto::from_uri("hdfs://nn:x/a").is_err());
        let v6 = URLProto::from_uri("http://[::1]:80/p").unwrap();
        assert_eq!((v6.host(), v6.port()), ("[::1]", 80));
    }

    #[test]
    fn local_file_resources_carry_size_and_mtime() {
        let dir = std::env::temp_dir().join(format!("spindle-lr-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("app.jar");
        std::fs::write(&f, b"12345").unwrap();
        let r = LocalResourceProto::for_local_file(
            &f,
            LocalResourceTypeProto::File,
            LocalResourceVisibilityProto::Application,
        )
        .unwrap();
        assert_eq!(r.size(), 5);
        let mtime = std::fs::metadata(&f)
            .unwrap()
            .modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        assert_eq!(r.timestamp(), mtime);
        let url = r.resource.unwrap();
        assert_eq!(
            (url.scheme(), url.port(), url.file()),
            ("file", -1, f.to_str().unwrap())
        );
        assert!(
            LocalResourceProto::for_local_file(
                &dir.join("missing"),
                LocalResourceTypeProto::File,
                LocalResourceVisibilityProto::Public
            )
            .is_err()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn submission_context_keeps_proto_defaults() {
        let ctx = ApplicationSubmissionContextProto::new(
            crate::ids::ApplicationId::new(1, 2),
            "app",
            ContainerLaunchContextProto::default(),
            ResourceProto::new(1024, 1),
        );
        assert_eq!(ctx.queue(), "default");
        assert_eq!(ctx.application_name(), "app");
        assert_eq!(ctx.max_app_attempts(), 0);
        assert!(ctx.queue.is_none(), "defaults are not written");
    }

    #[test]
    fn launch_context_credentials_and_env() {
        let mut clc = ContainerLaunchContextProto::default();
        assert!(clc.credentials().unwrap().tokens.is_empty());
        let mut c = Credentials::new();
        c.add_secret("s", vec![1]);
        clc.set_credentials(&c);
        assert_eq!(&clc.tokens.as_ref().unwrap()[..4], b"HDTS");
        assert_eq!(clc.credentials().unwrap(), c);
        clc.add_env("A", "1");
        assert_eq!(clc.env("A"), Some("1"));
        assert_eq!(clc.env("B"), None);
    }
}
