//! The NodeManager side: turning a received `ContainerLaunchContextProto` into the local runner's
//! [`ContainerSpec`]. The container id, application, user and resources come from the container
//! token, not the launch context, so the caller supplies them.

use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, LocalResourceTypeProto, LocalResourceVisibilityProto, URLProto,
};

use super::{ContainerSpec, LocalResourceSpec, ResourceKind, Visibility};

/// A launch context the runner cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// A required part of a record is missing.
    #[error("launch context: {0} is missing")]
    Missing(String),
    /// An enum value this runner does not know.
    #[error("launch context: {field} has the unknown value {value}")]
    UnknownEnum {
        /// Which field.
        field: String,
        /// The value received.
        value: i32,
    },
}

/// The runner's spec for a launch context, for the container `container_id` of `app_id` run as
/// `user` with `memory_limit_mb` MiB (0 = unlimited) and `vcores`.
pub fn container_spec_from_launch_context(
    clc: &ContainerLaunchContextProto,
    container_id: &str,
    app_id: &str,
    user: &str,
    memory_limit_mb: u64,
    vcores: u32,
) -> Result<ContainerSpec, ConvertError> {
    let mut env = Vec::with_capacity(clc.environment.len());
    for (i, e) in clc.environment.iter().enumerate() {
        let key = e
            .key
            .clone()
            .ok_or_else(|| ConvertError::Missing(format!("the key of environment entry #{i}")))?;
        env.push((key, e.value.clone().unwrap_or_default()));
    }
    let mut local_resources = Vec::with_capacity(clc.local_resources.len());
    for (i, entry) in clc.local_resources.iter().enumerate() {
        let link = entry
            .key
            .clone()
            .ok_or_else(|| ConvertError::Missing(format!("the name of local resource #{i}")))?;
        let res = entry
            .value
            .as_ref()
            .ok_or_else(|| ConvertError::Missing(format!("local resource {link:?}")))?;
        let url = res
            .resource
            .as_ref()
            .ok_or_else(|| ConvertError::Missing(format!("the URL of local resource {link:?}")))?;
        let type_value = res
            .r#type
            .ok_or_else(|| ConvertError::Missing(format!("the type of local resource {link:?}")))?;
        let kind = match LocalResourceTypeProto::try_from(type_value) {
            Ok(LocalResourceTypeProto::Archive) => ResourceKind::Archive,
            Ok(LocalResourceTypeProto::File) => ResourceKind::File,
            Ok(LocalResourceTypeProto::Pattern) => ResourceKind::Pattern,
            Err(_) => {
                return Err(ConvertError::UnknownEnum {
                    field: format!("the type of local resource {link:?}"),
                    value: type_value,
                });
            }
        };
        let vis_value = res.visibility.ok_or_else(|| {
            ConvertError::Missing(format!("the visibility of local resource {link:?}"))
        })?;
        let visibility = match LocalResourceVisibilityProto::try_from(vis_value) {
            Ok(LocalResourceVisibilityProto::Public) => Visibility::Public,
            Ok(LocalResourceVisibilityProto::Private) => Visibility::Private,
            Ok(LocalResourceVisibilityProto::Application) => Visibility::Application,
            Err(_) => {
                return Err(ConvertError::UnknownEnum {
                    field: format!("the visibility of local resource {link:?}"),
                    value: vis_value,
                });
            }
        };
        local_resources.push((
            link,
            LocalResourceSpec {
                source: source_of(url),
                size: res.size.unwrap_or(-1),
                timestamp_ms: res.timestamp.unwrap_or(0),
                kind,
                visibility,
                pattern: res.pattern.clone(),
            },
        ));
    }
    Ok(ContainerSpec {
        container_id: container_id.to_string(),
        app_id: app_id.to_string(),
        user: user.to_string(),
        commands: clc.command.clone(),
        env,
        local_resources,
        tokens: clc.tokens.clone().unwrap_or_default(),
        memory_limit_mb,
        vcores,
    })
}

/// The source string for a YARN URL: `file://<path>` for local files, otherwise
/// `scheme://[user@]host[:port]<path>` (which the local runner reports as unsupported).
fn source_of(url: &URLProto) -> String {
    let file = url.file.clone().unwrap_or_default();
    match url.scheme.as_deref() {
        None | Some("") | Some("file") if url.host.as_deref().unwrap_or("").is_empty() => {
            format!("file://{file}")
        }
        scheme => {
            let mut s = format!("{}://", scheme.unwrap_or("file"));
            if let Some(u) = &url.user_info {
                s.push_str(u);
                s.push('@');
            }
            s.push_str(url.host.as_deref().unwrap_or(""));
            if let Some(p) = url.port.filter(|p| *p >= 0) {
                s.push_str(&format!(":{p}"));
            }
            s.push_str(&file);
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spindle_protocol::proto::yarn::{
        LocalResourceProto, StringLocalResourceMapProto, StringStringMapProto,
    };

    fn clc() -> ContainerLaunchContextProto {
        ContainerLaunchContextProto {
            local_resources: vec![StringLocalResourceMapProto {
                key: Some("app.jar".into()),
                value: Some(LocalResourceProto {
                    resource: Some(URLProto {
                        scheme: Some("file".into()),
                        port: Some(-1),
                        file: Some("/staging/app.jar".into()),
                        ..Default::default()
                    }),
                    size: Some(10),
                    timestamp: Some(1234),
                    r#type: Some(LocalResourceTypeProto::File as i32),
                    visibility: Some(LocalResourceVisibilityProto::Private as i32),
                    ..Default::default()
                }),
            }],
            tokens: Some(b"HDTS\x00\x00\x00".to_vec()),
            environment: vec![StringStringMapProto {
                key: Some("A".into()),
                value: Some("b".into()),
            }],
            command: vec!["echo".into(), "hi".into()],
            ..Default::default()
        }
    }

    #[test]
    fn launch_contexts_convert() {
        let spec = container_spec_from_launch_context(
            &clc(),
            "container_1_0001_01_000002",
            "application_1_0001",
            "u",
            512,
            2,
        )
        .unwrap();
        assert_eq!(spec.commands, vec!["echo", "hi"]);
        assert_eq!(spec.env, vec![("A".to_string(), "b".to_string())]);
        let (link, res) = &spec.local_resources[0];
        assert_eq!(link, "app.jar");
        assert_eq!(res.source, "file:///staging/app.jar");
        assert_eq!((res.size, res.timestamp_ms), (10, 1234));
        assert_eq!(
            (res.kind, res.visibility),
            (ResourceKind::File, Visibility::Private)
        );
        assert_eq!(spec.tokens, b"HDTS\x00\x00\x00");
        assert_eq!((spec.memory_limit_mb, spec.vcores), (512, 2));
        assert_eq!(spec.validate(), Ok(()));
    }

    #[test]
    fn remote_urls_keep_their_scheme() {
        let url = URLProto {
            scheme: Some("hdfs".into()),
            host: Some("nn".into()),
            port: Some(8020),
            file: Some("/a.jar".into()),
            user_info: None,
        };
        assert_eq!(source_of(&url), "hdfs://nn:8020/a.jar");
    }

    #[test]
    fn bad_records_are_refused() {
        let mut c = clc();
        c.local_resources[0].value.as_mut().unwrap().r#type = Some(9);
        assert!(matches!(
            container_spec_from_launch_context(&c, "c", "a", "u", 0, 1),
            Err(ConvertError::UnknownEnum { value: 9, .. })
        ));
        let mut c = clc();
        c.local_resources[0].value.as_mut().unwrap().resource = None;
        assert!(matches!(
            container_spec_from_launch_context(&c, "c", "a", "u", 0, 1),
            Err(ConvertError::Missing(_))
        ));
        let mut c = clc();
        c.environment[0].key = None;
        assert!(matches!(
            container_spec_from_launch_context(&c, "c", "a", "u", 0, 1),
            Err(ConvertError::Missing(_))
        ));
    }
}
