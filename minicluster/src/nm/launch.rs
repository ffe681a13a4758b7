//! Turning a `ContainerLaunchContextProto` into the runner's [`ContainerSpec`].

use spindle_launcher::{ContainerSpec, LocalResourceSpec, ResourceKind, Visibility};
use spindle_protocol::ids::ContainerId;
use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, LocalResourceProto, LocalResourceTypeProto,
    LocalResourceVisibilityProto,
};

use crate::resources::Resources;

/// Why a launch context cannot run here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaunchContextError {
    /// A local resource is not on this machine's file system.
    #[error(
        "local resource '{key}' is at {url}: only file:// resources (or plain absolute paths) can be localized by the mini cluster"
    )]
    NotLocal {
        /// The link name.
        key: String,
        /// The URL as given.
        url: String,
    },
    /// A local resource entry lacks a field.
    #[error("local resource '{key}' has no {field}")]
    Missing {
        /// The link name.
        key: String,
        /// The missing field.
        field: &'static str,
    },
    /// The runner refuses the spec.
    #[error("invalid container launch context: {0}")]
    Spec(String),
}

fn source(key: &str, r: &LocalResourceProto) -> Result<String, LaunchContextError> {
    let url = r.resource.as_ref().ok_or(LaunchContextError::Missing {
        key: key.to_string(),
        field: "resource URL",
    })?;
    let scheme = url.scheme.as_deref().unwrap_or("");
    let path = url.file.as_deref().unwrap_or("");
    let local_host = url
        .host
        .as_deref()
        .is_none_or(|h| h.is_empty() || h == "localhost");
    if (scheme == "file" || scheme.is_empty()) && local_host && path.starts_with('/') {
        return Ok(path.to_string());
    }
    Err(LaunchContextError::NotLocal {
        key: key.to_string(),
        url: format!(
            "{scheme}://{}{}{path}",
            url.host.as_deref().unwrap_or(""),
            match url.port {
                Some(p) if p >= 0 => format!(":{p}"),
                _ => String::new(),
            }
        ),
    })
}

/// The runner spec for container `id` of `user` with `resource`; `pmem_check` turns the
/// memory limit on.
pub fn spec_from_clc(
    id: &ContainerId,
    user: &str,
    clc: &ContainerLaunchContextProto,
    resource: &Resources,
    pmem_check: bool,
) -> Result<ContainerSpec, LaunchContextError> {
    let mut local_resources = Vec::with_capacity(clc.local_resources.len());
    for entry in &clc.local_resources {
        let key = entry.key.clone().unwrap_or_default();
        let r = entry.value.as_ref().ok_or(LaunchContextError::Missing {
            key: key.clone(),
            field: "value",
        })?;
        let kind = match r
            .r#type
            .and_then(|t| LocalResourceTypeProto::try_from(t).ok())
        {
            Some(LocalResourceTypeProto::Archive) => ResourceKind::Archive,
            Some(LocalResourceTypeProto::Pattern) => ResourceKind::Pattern,
            _ => ResourceKind::File,
        };
        let visibility = match r
            .visibility
            .and_then(|v| LocalResourceVisibilityProto::try_from(v).ok())
        {
            Some(LocalResourceVisibilityProto::Public) => Visibility::Public,
            Some(LocalResourceVisibilityProto::Private) => Visibility::Private,
            _ => Visibility::Application,
        };
        local_resources.push((
            key.clone(),
            LocalResourceSpec {
                source: source(&key, r)?,
                size: r.size.unwrap_or(-1),
                timestamp_ms: r.timestamp.unwrap_or(0),
                kind,
                visibility,
                pattern: r.pattern.clone(),
            },
        ));
    }
    let spec = ContainerSpec {
        container_id: id.to_string(),
        app_id: id.application_id().to_string(),
        user: user.to_string(),
        commands: clc.command.clone(),
        env: clc
            .environment
            .iter()
            .map(|e| {
                (
                    e.key.clone().unwrap_or_default(),
                    e.value.clone().unwrap_or_default(),
                )
            })
            .collect(),
        local_resources,
        tokens: clc.tokens.clone().unwrap_or_default(),
        memory_limit_mb: if pmem_check {
            u64::try_from(resource.memory_mb).unwrap_or(0)
        } else {
            0
        },
        vcores: u32::try_from(resource.vcores).unwrap_or(0),
    };
    spec.validate()
        .map_err(|e| LaunchContextError::Spec(e.to_string()))?;
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spindle_protocol::proto::yarn::{StringLocalResourceMapProto, URLProto};

    fn cid() -> ContainerId {
        "container_1700000000000_0001_01_000002".parse().unwrap()
    }

    #[test]
    fn converts_and_refuses_remote_resources() {
        let mut clc = ContainerLaunchContextProto {
            command: vec!["echo".into(), "hi".into()],
            ..Default::default()
        };
        clc.add_env("A", "1");
        clc.local_resources.push(StringLocalResourceMapProto::new(
            "app.jar",
            LocalResourceProto::new(
                URLProto::from_uri("file:///tmp/app.jar").unwrap(),
                10,
                123,
                LocalResourceTypeProto::File,
                LocalResourceVisibilityProto::Application,
            ),
        ));
        let spec = spec_from_clc(&cid(), "alice", &clc, &Resources::new(512, 1), true).unwrap();
        assert_eq!(spec.app_id, "application_1700000000000_0001");
        assert_eq!(spec.memory_limit_mb, 512);
        assert_eq!(spec.local_resources[0].1.source, "/tmp/app.jar");
        assert_eq!(spec.env, vec![("A".to_string(), "1".to_string())]);
        clc.local_resources[0].value.as_mut().unwrap().resource =
            Some(URLProto::from_uri("hdfs://nn:8020/app.jar").unwrap());
        let e = spec_from_clc(&cid(), "alice", &clc, &Resources::new(512, 1), true).unwrap_err();
        assert!(matches!(e, LaunchContextError::NotLocal { .. }), "{e}");
        clc.local_resources.clear();
        clc.command.clear();
        let e = spec_from_clc(&cid(), "alice", &clc, &Resources::new(512, 1), false).unwrap_err();
        assert!(matches!(e, LaunchContextError::Spec(_)), "{e}");
    }
}
