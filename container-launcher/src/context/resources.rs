//! Describing staged files as `LocalResourceProto`s: URL, size and modification time taken from the
//! staging file system, with the type and visibility the application chose.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use spindle_protocol::proto::yarn::{
    LocalResourceProto, LocalResourceTypeProto, LocalResourceVisibilityProto, URLProto,
};

/// A staged resource that cannot be described.
#[derive(Debug, thiserror::Error)]
pub enum ResourceError {
    /// The staged file cannot be read.
    #[error("staged resource {path} cannot be read: {error}")]
    Unreadable {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The path is not absolute.
    #[error("staged resource {0} must be an absolute path")]
    Relative(PathBuf),
    /// A URI that cannot be turned into a YARN URL.
    #[error("{uri:?} is not a usable resource URI: {reason}")]
    BadUri {
        /// The URI.
        uri: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// A `LocalResourceProto` for a file (or folder) staged on this machine's file system: URL
/// `file://<path>` (no host, port −1, as Java's `URL.fromURI` writes it), the size and the
/// modification time in milliseconds read from the file itself.
pub fn local_file_resource(
    path: &Path,
    kind: LocalResourceTypeProto,
    visibility: LocalResourceVisibilityProto,
    pattern: Option<&str>,
) -> Result<LocalResourceProto, ResourceError> {
    if !path.is_absolute() {
        return Err(ResourceError::Relative(path.to_path_buf()));
    }
    let unreadable = |error| ResourceError::Unreadable {
        path: path.to_path_buf(),
        error,
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    let modified = meta.modified().map_err(unreadable)?;
    let timestamp = modified
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Ok(LocalResourceProto {
        resource: Some(URLProto {
            scheme: Some("file".into()),
            host: None,
            port: Some(-1),
            file: Some(path.to_string_lossy().into_owned()),
            user_info: None,
        }),
        size: Some(if meta.is_dir() { 0 } else { meta.len() as i64 }),
        timestamp: Some(timestamp),
        r#type: Some(kind as i32),
        visibility: Some(visibility as i32),
        pattern: pattern.map(str::to_string),
        should_be_uploaded_to_shared_cache: None,
    })
}

/// The YARN URL of a URI such as `hdfs://nn:8020/a/b.jar` or `file:///tmp/x`: scheme, host (when
/// present), port (−1 when absent) and path; query and fragment are dropped, as Java does.
pub fn url_from_uri(uri: &str) -> Result<URLProto, ResourceError> {
    let bad = |reason| ResourceError::BadUri {
        uri: uri.to_string(),
        reason,
    };
    let (scheme, rest) = uri
        .split_once("://")
        .ok_or_else(|| bad("it has no scheme://"))?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return Err(bad("the scheme is not valid"));
    }
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (user_info, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_string()), h),
        None => (None, authority),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => {
            let port: i32 = p.parse().map_err(|_| bad("the port is not a number"))?;
            if !(0..=65535).contains(&port) {
                return Err(bad("the port is out of range"));
            }
            (h, port)
        }
        _ => (hostport, -1),
    };
    Ok(URLProto {
        scheme: Some(scheme.to_string()),
        host: (!host.is_empty()).then(|| host.to_string()),
        port: Some(port),
        file: Some(path.to_string()),
        user_info,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_become_yarn_urls() {
        let u = url_from_uri("hdfs://nn:8020/a/b.jar#link").unwrap();
        assert_eq!(u.scheme.as_deref(), Some("hdfs"));
        assert_eq!(u.host.as_deref(), Some("nn"));
        assert_eq!(u.port, Some(8020));
        assert_eq!(u.file.as_deref(), Some("/a/b.jar"));
        let f = url_from_uri("file:///tmp/x?q=1").unwrap();
        assert_eq!(
            (f.host, f.port, f.file.as_deref()),
            (None, Some(-1), Some("/tmp/x"))
        );
        assert!(url_from_uri("no-scheme").is_err());
        assert!(url_from_uri("hdfs://nn:99999/x").is_err());
        assert!(url_from_uri("hdfs://nn:abc/x").is_err());
    }

    #[test]
    fn staged_files_carry_size_and_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.jar");
        std::fs::write(&path, b"12345").unwrap();
        let r = local_file_resource(
            &path,
            LocalResourceTypeProto::File,
            LocalResourceVisibilityProto::Application,
            None,
        )
        .unwrap();
        assert_eq!(r.size, Some(5));
        let mtime = std::fs::metadata(&path)
            .unwrap()
            .modified()
            .unwrap()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        assert_eq!(r.timestamp, Some(mtime));
        assert_eq!(r.resource.unwrap().file.unwrap(), path.to_string_lossy());
        assert!(matches!(
            local_file_resource(
                Path::new("rel"),
                LocalResourceTypeProto::File,
                LocalResourceVisibilityProto::Public,
                None
            ),
            Err(ResourceError::Relative(_))
        ));
        assert!(matches!(
            local_file_resource(
                &dir.path().join("missing"),
                LocalResourceTypeProto::File,
                LocalResourceVisibilityProto::Public,
                None
            ),
            Err(ResourceError::Unreadable { .. })
        ));
    }
}
