//! The NodeManager side of a start: a received `ContainerLaunchContextProto` → the runner's
//! [`ContainerSpec`]. This is the one conversion; a NodeManager built on the runner adds only its
//! own checks (container token, node, application) around it. The container id, user and resource
//! come from the verified container token, not the launch context, so the caller supplies them.
//!
//! Missing fields are read the way a real NodeManager reads them:
//!
//! * Strings (environment keys and values, resource names) take protobuf's default, the empty
//!   string; an empty environment key or resource name is then refused by
//!   [`ContainerSpec::validate`].
//! * A local resource without its URL, type or visibility is refused, as Hadoop's NodeManager
//!   refuses it (`Null resource type for local resource …`): it asks whether the field is present,
//!   so the proto's implicit defaults (ARCHIVE, PUBLIC) never apply. A value YARN does not define is
//!   refused too (Java's parser keeps it as an unknown field, so the NodeManager sees it missing).
//! * Only resources on this machine's file system (`file:` URLs without a host or with
//!   `localhost`, absolute paths) can be localized by the runner; others are refused at once
//!   instead of failing the container later.

use spindle_protocol::ids::ContainerId;
use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, LocalResourceProto, LocalResourceTypeProto,
    LocalResourceVisibilityProto, URLProto,
};

use super::{ContainerSpec, LocalResourceSpec, ResourceKind, SpecError, Visibility};

/// A launch context this node cannot run; the text is what the NodeManager reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// A local resource lacks its URL, type or visibility.
    #[error(
        "Null resource {field} for local resource {link}: every local resource needs a URL, a type and a visibility"
    )]
    Incomplete {
        /// The resource's link name.
        link: String,
        /// `URL`, `type` or `visibility`.
        field: &'static str,
    },
    /// A type or visibility value YARN does not define.
    #[error("local resource {link} has the {field} {value}, which YARN does not define")]
    UnknownEnum {
        /// The resource's link name.
        link: String,
        /// `type` or `visibility`.
        field: &'static str,
        /// The value received.
        value: i32,
    },
    /// A local resource that is not on this machine's file system.
    #[error(
        "local resource {link} is at {url}: only file:// resources (or plain absolute paths) can be localized on this node"
    )]
    NotLocal {
        /// The resource's link name.
        link: String,
        /// The URL as given.
        url: String,
    },
    /// The result breaks a rule of [`ContainerSpec::validate`].
    #[error("invalid container launch context: {0}")]
    Spec(#[from] SpecError),
}

impl ContainerSpec {
    /// The spec for running `clc` as container `container` of `user`, with a physical memory limit
    /// of `memory_limit_mb` MiB (0 = unchecked) and `vcores`; validated.
    pub fn from_launch_context(
        clc: &ContainerLaunchContextProto,
        container: &ContainerId,
        user: &str,
        memory_limit_mb: u64,
        vcores: u32,
    ) -> Result<ContainerSpec, ConvertError> {
        let local_resources = clc
            .local_resources
            .iter()
            .map(|entry| {
                let link = entry.key.clone().unwrap_or_default();
                let resource = local_resource(&link, entry.value.as_ref())?;
                Ok((link, resource))
            })
            .collect::<Result<Vec<_>, ConvertError>>()?;
        let spec = ContainerSpec {
            container_id: container.to_string(),
            app_id: container.application_id().to_string(),
            user: user.to_string(),
            commands: clc.command.clone(),
            env: clc.env_pairs(),
            local_resources,
            tokens: clc.tokens.clone().unwrap_or_default(),
            memory_limit_mb,
            vcores,
        };
        spec.validate()?;
        Ok(spec)
    }
}

fn local_resource(
    link: &str,
    resource: Option<&LocalResourceProto>,
) -> Result<LocalResourceSpec, ConvertError> {
    let incomplete = |field| ConvertError::Incomplete {
        link: link.to_string(),
        field,
    };
    // A missing value reads as the default record in Java, whose URL is missing.
    let resource = resource.ok_or_else(|| incomplete("URL"))?;
    let url = resource
        .resource
        .as_ref()
        .ok_or_else(|| incomplete("URL"))?;
    let kind = required_enum(link, "type", resource.r#type, |t| match t {
        LocalResourceTypeProto::Archive => ResourceKind::Archive,
        LocalResourceTypeProto::File => ResourceKind::File,
        LocalResourceTypeProto::Pattern => ResourceKind::Pattern,
    })?;
    let visibility = required_enum(link, "visibility", resource.visibility, |v| match v {
        LocalResourceVisibilityProto::Public => Visibility::Public,
        LocalResourceVisibilityProto::Private => Visibility::Private,
        LocalResourceVisibilityProto::Application => Visibility::Application,
    })?;
    Ok(LocalResourceSpec {
        source: local_path(link, url)?,
        size: resource.size.unwrap_or(-1),
        timestamp_ms: resource.timestamp.unwrap_or(0),
        kind,
        visibility,
        pattern: resource.pattern.clone(),
    })
}

/// A present enum field of a known value, mapped with `map`.
fn required_enum<E: TryFrom<i32>, T>(
    link: &str,
    field: &'static str,
    value: Option<i32>,
    map: impl FnOnce(E) -> T,
) -> Result<T, ConvertError> {
    let value = value.ok_or_else(|| ConvertError::Incomplete {
        link: link.to_string(),
        field,
    })?;
    E::try_from(value)
        .map(map)
        .map_err(|_| ConvertError::UnknownEnum {
            link: link.to_string(),
            field,
            value,
        })
}

/// The absolute path of a resource on this machine: a `file` URL (or one without a scheme) with
/// no host or `localhost`. YARN URLs carry the path undecoded, so it is used as it is.
fn local_path(link: &str, url: &URLProto) -> Result<String, ConvertError> {
    let scheme = url.scheme.as_deref().unwrap_or("");
    let path = url.file.as_deref().unwrap_or("");
    let local_host = url
        .host
        .as_deref()
        .is_none_or(|h| h.is_empty() || h == "localhost");
    if matches!(scheme, "file" | "") && local_host && path.starts_with('/') {
        return Ok(path.to_string());
    }
    let port = match url.port {
        Some(p) if p >= 0 => format!(":{p}"),
        _ => String::new(),
    };
    Err(ConvertError::NotLocal {
        link: link.to_string(),
        url: format!(
            "{scheme}://{}{port}{path}",
            url.host.as_deref().unwrap_or("")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use spindle_protocol::proto::yarn::{StringLocalResourceMapProto, StringStringMapProto};

    fn container() -> ContainerId {
        "container_1700000000000_0001_01_000002".parse().unwrap()
    }

    fn clc() -> ContainerLaunchContextProto {
        let mut resource = LocalResourceProto::new(
            URLProto::from_uri("file:///staging/app.jar").unwrap(),
            10,
            1234,
            LocalResourceTypeProto::File,
            LocalResourceVisibilityProto::Private,
        );
        resource.pattern = Some("ignored-for-files".into());
        ContainerLaunchContextProto {
            local_resources: vec![StringLocalResourceMapProto::new("app.jar", resource)],
            tokens: Some(b"HDTS\x00\x00\x00".to_vec()),
            environment: vec![StringStringMapProto {
                key: Some("A".into()),
                value: Some("b".into()),
            }],
            command: vec!["echo".into(), "hi".into()],
            ..Default::default()
        }
    }

    fn convert(clc: &ContainerLaunchContextProto) -> Result<ContainerSpec, ConvertError> {
        ContainerSpec::from_launch_context(clc, &container(), "alice", 512, 2)
    }

    fn resource(clc: &mut ContainerLaunchContextProto) -> &mut LocalResourceProto {
        clc.local_resources[0].value.as_mut().unwrap()
    }

    #[test]
    fn launch_contexts_convert() {
        let spec = convert(&clc()).unwrap();
        assert_eq!(spec.container_id, "container_1700000000000_0001_01_000002");
        assert_eq!(spec.app_id, "application_1700000000000_0001");
        assert_eq!(spec.user, "alice");
        assert_eq!(spec.commands, vec!["echo", "hi"]);
        assert_eq!(spec.env, vec![("A".to_string(), "b".to_string())]);
        let (link, res) = &spec.local_resources[0];
        assert_eq!(link, "app.jar");
        assert_eq!(
            res,
            &LocalResourceSpec {
                source: "/staging/app.jar".into(),
                size: 10,
                timestamp_ms: 1234,
                kind: ResourceKind::File,
                visibility: Visibility::Private,
                pattern: Some("ignored-for-files".into()),
            }
        );
        assert_eq!(spec.tokens, b"HDTS\x00\x00\x00");
        assert_eq!((spec.memory_limit_mb, spec.vcores), (512, 2));
    }

    #[test]
    fn every_type_and_visibility_maps() {
        use LocalResourceTypeProto as T;
        use LocalResourceVisibilityProto as V;
        let cases = [
            (
                T::Archive,
                V::Public,
                ResourceKind::Archive,
                Visibility::Public,
            ),
            (T::File, V::Private, ResourceKind::File, Visibility::Private),
            (
                T::Pattern,
                V::Application,
                ResourceKind::Pattern,
                Visibility::Application,
            ),
        ];
        for (t, v, kind, visibility) in cases {
            let mut c = clc();
            resource(&mut c).r#type = Some(t as i32);
            resource(&mut c).visibility = Some(v as i32);
            let spec = convert(&c).unwrap();
            assert_eq!(
                (
                    spec.local_resources[0].1.kind,
                    spec.local_resources[0].1.visibility
                ),
                (kind, visibility)
            );
        }
    }

    #[test]
    fn local_urls_and_paths_are_accepted() {
        for (uri, path) in [
            ("file:///a/b.jar", "/a/b.jar"),
            ("file://localhost/a/b.jar", "/a/b.jar"),
            ("file:/a%20b.jar", "/a%20b.jar"),
        ] {
            let mut c = clc();
            resource(&mut c).resource = Some(URLProto::from_uri(uri).unwrap());
            assert_eq!(
                convert(&c).unwrap().local_resources[0].1.source,
                path,
                "{uri}"
            );
        }
        let mut c = clc();
        resource(&mut c).resource = Some(URLProto {
            file: Some("/plain/path".into()),
            ..Default::default()
        });
        assert_eq!(
            convert(&c).unwrap().local_resources[0].1.source,
            "/plain/path"
        );
    }

    /// The NodeManager's rule: a resource lacking its URL, type or visibility is refused, never
    /// given the proto's defaults; so is a value YARN does not define.
    #[test]
    fn incomplete_or_unknown_resources_are_refused() {
        type Break = fn(&mut ContainerLaunchContextProto);
        let cases: [(Break, ConvertError); 6] = [
            (
                |c| c.local_resources[0].value = None,
                ConvertError::Incomplete {
                    link: "app.jar".into(),
                    field: "URL",
                },
            ),
            (
                |c| resource(c).resource = None,
                ConvertError::Incomplete {
                    link: "app.jar".into(),
                    field: "URL",
                },
            ),
            (
                |c| resource(c).r#type = None,
                ConvertError::Incomplete {
                    link: "app.jar".into(),
                    field: "type",
                },
            ),
            (
                |c| resource(c).visibility = None,
                ConvertError::Incomplete {
                    link: "app.jar".into(),
                    field: "visibility",
                },
            ),
            (
                |c| resource(c).r#type = Some(9),
                ConvertError::UnknownEnum {
                    link: "app.jar".into(),
                    field: "type",
                    value: 9,
                },
            ),
            (
                |c| resource(c).visibility = Some(0),
                ConvertError::UnknownEnum {
                    link: "app.jar".into(),
                    field: "visibility",
                    value: 0,
                },
            ),
        ];
        for (break_it, expected) in cases {
            let mut c = clc();
            break_it(&mut c);
            assert_eq!(convert(&c), Err(expected));
        }
        let mut c = clc();
        resource(&mut c).r#type = None;
        let message = convert(&c).unwrap_err().to_string();
        assert!(
            message.contains("Null resource type for local resource app.jar"),
            "{message}"
        );
    }

    #[test]
    fn resources_elsewhere_are_refused() {
        for (url, shown) in [
            ("hdfs://nn:8020/a.jar", "hdfs://nn:8020/a.jar"),
            ("file://otherhost/a.jar", "file://otherhost/a.jar"),
        ] {
            let mut c = clc();
            resource(&mut c).resource = Some(URLProto::from_uri(url).unwrap());
            let e = convert(&c).unwrap_err();
            assert!(matches!(e, ConvertError::NotLocal { .. }), "{e}");
            assert!(e.to_string().contains(shown), "{e}");
        }
        let mut c = clc();
        resource(&mut c).resource = Some(URLProto {
            scheme: Some("file".into()),
            file: Some("relative.jar".into()),
            ..Default::default()
        });
        assert!(matches!(convert(&c), Err(ConvertError::NotLocal { .. })));
    }

    /// Missing strings read as empty, which the spec's checks refuse.
    #[test]
    fn unnamed_entries_and_empty_commands_are_refused() {
        let mut c = clc();
        c.environment[0].key = None;
        assert!(matches!(
            convert(&c),
            Err(ConvertError::Spec(SpecError::BadEnvKey { .. }))
        ));
        let mut c = clc();
        c.local_resources[0].key = None;
        assert!(matches!(
            convert(&c),
            Err(ConvertError::Spec(SpecError::BadLinkName { .. }))
        ));
        let mut c = clc();
        c.command.clear();
        assert_eq!(convert(&c), Err(ConvertError::Spec(SpecError::NoCommand)));
    }
}
