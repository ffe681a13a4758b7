//! Convenience constructors and accessors on the YARN records (see [`crate::proto::yarn`]).
//!
//! The records stay plain prost messages; these helpers only spare callers the `Option`
//! plumbing and encode the YARN record rules of docs/wire.md §6 (e.g. `allocation_request_id`
//! is always set explicitly, response ids wrap, exit status -1000 means "not exited"; the
//! resource rule is in [`super::resources`]).

use crate::credentials::{Credentials, CredentialsError};
use crate::ids::{ContainerId, IdError, NodeId};
use crate::proto::yarn::*;

pub use spindle_base::exit::{ContainerExit, exit_status};

pub use super::resources::{RESOURCE_MEMORY_MB, RESOURCE_VCORES};

/// The response id that follows `prev` in an AM's allocate heartbeats. Response ids never go
/// negative: after `i32::MAX` they wrap to 0, as Hadoop's `(id + 1) & 0x7FFF_FFFF` does.
pub fn next_response_id(prev: i32) -> i32 {
    prev.wrapping_add(1) & 0x7FFF_FFFF
}

/// Whether an allocate request carrying `request_response_id` repeats the request the RM
/// answered last, the one whose reply carried `last_response_id`. The AM sends the same id
/// again when it never got that reply (a lost connection), and the RM answers the cached reply
/// instead of allocating a second time. Any other id that is not `last_response_id` itself is
/// out of order and refused.
pub fn is_allocate_retry(request_response_id: i32, last_response_id: i32) -> bool {
    next_response_id(request_response_id) == last_response_id
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

    /// The environment as (name, value) pairs, in order; an absent name or value reads as
    /// empty, as with Hadoop's getters.
    pub fn env_pairs(&self) -> Vec<(String, String)> {
        self.environment
            .iter()
            .map(|e| (e.key().to_string(), e.value().to_string()))
            .collect()
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
    fn response_ids_wrap_and_retries_are_one_step_behind() {
        assert_eq!(next_response_id(0), 1);
        assert_eq!(next_response_id(41), 42);
        assert_eq!(next_response_id(i32::MAX), 0, "wraps to 0, never negative");
        assert!(
            is_allocate_retry(4, 5),
            "the AM repeats the id it last sent"
        );
        assert!(
            !is_allocate_retry(5, 5),
            "the expected id is a new heartbeat"
        );
        assert!(!is_allocate_retry(3, 5), "two steps behind is out of order");
        assert!(!is_allocate_retry(6, 5));
        assert!(is_allocate_retry(i32::MAX, 0), "a retry across the wrap");
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
