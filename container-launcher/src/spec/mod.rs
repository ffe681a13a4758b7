//! The runner's input: a plain description of one container launch, independent of the wire records.
//!
//! A NodeManager converts a received `ContainerLaunchContextProto` into a [`ContainerSpec`] with
//! [`ContainerSpec::from_launch_context`] (see [`convert`]); tests and other callers build one
//! directly. [`ContainerSpec::validate`] checks everything that can be checked without touching the
//! disk (names that become paths, environment keys, the tokens header), so a caller can refuse a bad
//! request early; the runner runs the same checks and fails the container otherwise.
//!
//! This module needs no process or archive machinery, so it is there without the `runner` feature:
//! the AM side checks its launch contexts with the same rules ([`check_env_key`], [`check_link_name`]).

pub mod convert;

use std::path::{Component, Path};

/// A container spec that cannot be launched as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// An id or user name that would not be a safe folder name.
    #[error("invalid {what} {value:?}: use 1 to 255 characters from [A-Za-z0-9._-]")]
    BadName {
        /// Which field.
        what: &'static str,
        /// The offending value.
        value: String,
    },
    /// The command list is empty or blank.
    #[error("the launch context has no command to run")]
    NoCommand,
    /// An environment key that is not a shell identifier.
    #[error("invalid environment variable name {key:?}: use [A-Za-z_][A-Za-z0-9_]*")]
    BadEnvKey {
        /// The offending key.
        key: String,
    },
    /// A local resource link name that is absolute, escapes the work folder or is reserved.
    #[error("invalid local resource name {link:?}: {reason}")]
    BadLinkName {
        /// The offending link name.
        link: String,
        /// Why it was refused.
        reason: String,
    },
    /// Two local resources with the same link name.
    #[error("local resource name {link:?} is used twice")]
    DuplicateLink {
        /// The repeated link name.
        link: String,
    },
    /// A PATTERN resource without a usable regular expression.
    #[error("local resource {link:?} has an unusable pattern: {reason}")]
    BadPattern {
        /// The resource's link name.
        link: String,
        /// The regex error.
        reason: String,
    },
    /// Tokens that do not start with the `HDTS` credentials magic.
    #[error(
        "the launch context's tokens are not a Hadoop credentials file (they must start with \"HDTS\")"
    )]
    BadTokens,
}

/// What the NodeManager does with a local resource (`LocalResourceTypeProto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// Unpacked (zip/jar, tar.gz/tgz, tar) into a directory that is linked under the resource's name.
    Archive,
    /// Copied as-is (a file or a directory tree) and linked under the resource's name.
    File,
    /// A jar of which only the entries matching [`LocalResourceSpec::pattern`] are unpacked; the jar
    /// itself is kept next to them. A non-jar PATTERN resource is treated as an [`ResourceKind::Archive`].
    Pattern,
}

/// Who may share a localized copy (`LocalResourceVisibilityProto`); decides the cache folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Shared by every user of the node: `<local>/filecache`.
    Public,
    /// Shared by the applications of one user: `<local>/usercache/<user>/filecache`.
    Private,
    /// Private to one application: `<local>/usercache/<user>/appcache/<appId>/filecache`.
    Application,
}

/// One entry of a launch context's local resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalResourceSpec {
    /// Where the resource is: a `file://` URL or a plain absolute path on this machine.
    pub source: String,
    /// Size in bytes as the submitter saw it (informational; YARN does not check it either).
    pub size: i64,
    /// The source's modification time in milliseconds since the epoch; a different value on disk
    /// means the source changed after submission and the resource is refused.
    pub timestamp_ms: i64,
    /// File, archive or pattern.
    pub kind: ResourceKind,
    /// Which cache the localized copy goes to.
    pub visibility: Visibility,
    /// For [`ResourceKind::Pattern`]: the regular expression that selects the jar entries to unpack.
    pub pattern: Option<String>,
}

/// Everything the runner needs to launch one container.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerSpec {
    /// The container id in its printed form (`container_<ts>_<app>_<attempt>_<seq>`); used as a folder name.
    pub container_id: String,
    /// The application id in its printed form (`application_<ts>_<id>`); used as a folder name.
    pub app_id: String,
    /// The application's user; names the `usercache/<user>` folder and sets `USER`/`LOGNAME`/`HOME`.
    pub user: String,
    /// The command fragments; joined with single spaces and run by `/bin/bash -c`.
    pub commands: Vec<String>,
    /// The container's environment, in order. The NodeManager's own variables override these.
    pub env: Vec<(String, String)>,
    /// Local resources as (link name in the work folder, resource).
    pub local_resources: Vec<(String, LocalResourceSpec)>,
    /// The credentials bytes (HDTS format, header included) written verbatim to `container_tokens`.
    /// Empty means "no tokens": an empty credentials file is written instead.
    pub tokens: Vec<u8>,
    /// Physical memory limit of the whole process tree in MiB; 0 disables the check.
    pub memory_limit_mb: u64,
    /// Virtual cores granted (informational on this runner: there is no CPU isolation).
    pub vcores: u32,
}

/// The four magic bytes every Hadoop credentials file starts with.
pub const CREDENTIALS_MAGIC: &[u8; 4] = b"HDTS";

/// An empty credentials file in the Writable format (version 0, no tokens, no secrets).
pub const EMPTY_CREDENTIALS: &[u8] = b"HDTS\x00\x00\x00";

/// File names the runner writes into the work folder; a local resource may not take them.
pub const RESERVED_NAMES: &[&str] = &["container_tokens", "launch_container.sh", "tmp"];

impl ContainerSpec {
    /// Checks the spec without touching the disk: ids and user are safe folder names, link names are
    /// relative paths that stay inside the work folder, environment keys are shell identifiers, the
    /// tokens (when present) start with the `HDTS` magic, and a PATTERN resource has a valid pattern.
    pub fn validate(&self) -> Result<(), SpecError> {
        check_path_name("container id", &self.container_id)?;
        check_path_name("application id", &self.app_id)?;
        check_path_name("user", &self.user)?;
        if self.commands.iter().all(|c| c.trim().is_empty()) {
            return Err(SpecError::NoCommand);
        }
        for (key, _) in &self.env {
            check_env_key(key)?;
        }
        let mut seen = std::collections::HashSet::new();
        for (link, res) in &self.local_resources {
            check_link_name(link)?;
            if !seen.insert(link.as_str()) {
                return Err(SpecError::DuplicateLink { link: link.clone() });
            }
            if res.kind == ResourceKind::Pattern {
                let pattern = res.pattern.as_deref().unwrap_or("");
                if pattern.is_empty() {
                    return Err(SpecError::BadPattern {
                        link: link.clone(),
                        reason: "a PATTERN resource needs a pattern".into(),
                    });
                }
                if let Err(e) = regex::Regex::new(pattern) {
                    return Err(SpecError::BadPattern {
                        link: link.clone(),
                        reason: e.to_string(),
                    });
                }
            }
        }
        if !self.tokens.is_empty() && !self.tokens.starts_with(CREDENTIALS_MAGIC) {
            return Err(SpecError::BadTokens);
        }
        Ok(())
    }
}

/// A name used as one folder component: non-empty, at most 255 bytes, only `[A-Za-z0-9._-]`, not `.`/`..`.
pub fn check_path_name(what: &'static str, value: &str) -> Result<(), SpecError> {
    let ok = !value.is_empty()
        && value.len() <= 255
        && value != "."
        && value != ".."
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(SpecError::BadName {
            what,
            value: value.to_string(),
        })
    }
}

/// A shell identifier: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn check_env_key(key: &str) -> Result<(), SpecError> {
    let mut bytes = key.bytes();
    let ok = matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(SpecError::BadEnvKey {
            key: key.to_string(),
        })
    }
}

/// A link name: a relative path of normal components (a last component `*` is allowed and means
/// "link every entry of the localized folder"), no `..`, no NUL, no reserved name, at most 4096 bytes.
pub fn check_link_name(link: &str) -> Result<(), SpecError> {
    let bad = |reason: &str| SpecError::BadLinkName {
        link: link.to_string(),
        reason: reason.to_string(),
    };
    if link.is_empty() || link.len() > 4096 {
        return Err(bad("it must be 1 to 4096 bytes long"));
    }
    if link.contains('\0') {
        return Err(bad("it contains a NUL byte"));
    }
    let path = Path::new(link);
    if path.is_absolute() {
        return Err(bad("it must be relative to the container folder"));
    }
    let parts: Vec<Component<'_>> = path.components().collect();
    for (i, part) in parts.iter().enumerate() {
        match part {
            Component::Normal(name) => {
                if name.as_encoded_bytes() == b"*" && i + 1 != parts.len() {
                    return Err(bad("`*` is only allowed as the last component"));
                }
            }
            Component::ParentDir => return Err(bad("it must not contain `..`")),
            _ => return Err(bad("it must consist of plain names")),
        }
    }
    if parts.is_empty() || (parts.len() == 1 && link == "*") {
        return Err(bad("it names no file"));
    }
    if let Some(Component::Normal(first)) = parts.first()
        && RESERVED_NAMES
            .iter()
            .any(|r| first.as_encoded_bytes() == r.as_bytes())
    {
        return Err(bad("the name is reserved for the runner's own files"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ContainerSpec {
        ContainerSpec {
            container_id: "container_1_0001_01_000002".into(),
            app_id: "application_1_0001".into(),
            user: "alice".into(),
            commands: vec!["true".into()],
            ..Default::default()
        }
    }

    #[test]
    fn good_spec_passes() {
        assert_eq!(spec().validate(), Ok(()));
    }

    #[test]
    fn hostile_names_are_refused() {
        for link in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "",
            "a/*/b",
            "*",
            "container_tokens",
            "tmp/x",
        ] {
            assert!(check_link_name(link).is_err(), "{link} should be refused");
        }
        for link in ["a.jar", "lib/a.jar", "__spark_conf__", "dir/*"] {
            assert_eq!(check_link_name(link), Ok(()), "{link} should pass");
        }
        let mut s = spec();
        s.container_id = "../evil".into();
        assert!(matches!(
            s.validate(),
            Err(SpecError::BadName {
                what: "container id",
                ..
            })
        ));
    }

    #[test]
    fn env_keys_and_tokens_are_checked() {
        let mut s = spec();
        s.env.push(("BAD KEY".into(), "x".into()));
        assert!(matches!(s.validate(), Err(SpecError::BadEnvKey { .. })));
        let mut s = spec();
        s.tokens = b"nope".to_vec();
        assert_eq!(s.validate(), Err(SpecError::BadTokens));
        let mut s = spec();
        s.commands = vec![" ".into()];
        assert_eq!(s.validate(), Err(SpecError::NoCommand));
    }
}
