//! Container log files as the node's web server hands them out: only plain files directly in a
//! container's own log folder (`<log dir>/<application>/<container>/`), named by a valid
//! container id and a plain file name, and never a path that leads (through `..` or a symbolic
//! link) outside that folder.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use spindle_protocol::ids::ContainerId;

use crate::rest::error::clip;

/// Most bytes of a log one answer carries; longer logs are cut (the answer says so).
pub const MAX_SERVED_BYTES: u64 = 32 << 20;

/// Why a log cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// Not a container id.
    #[error(
        "Invalid container id {0}: ids look like container_<clusterTimestamp>_<app>_<attempt>_<number>"
    )]
    BadContainerId(String),
    /// The node has no logs of this container.
    #[error("Cannot find the logs of container {0} on this node")]
    UnknownContainer(String),
    /// Not a plain file name.
    #[error("Invalid log file name '{0}': name one file of the container's log folder")]
    BadFileName(String),
    /// No such file in the container's log folder.
    #[error("Cannot find log file {file} of container {container}")]
    NoSuchFile {
        /// The container.
        container: String,
        /// The file asked for.
        file: String,
    },
    /// The file could not be read.
    #[error("Cannot read log file {0}")]
    Unreadable(String),
}

/// The log folder of container `raw` under the node's log folder.
pub fn container_dir(log_dir: &Path, raw: &str) -> Result<(ContainerId, PathBuf), LogError> {
    let short = clip(raw, 100);
    let id: ContainerId = raw
        .parse()
        .map_err(|_| LogError::BadContainerId(short.clone()))?;
    let dir = log_dir
        .join(id.application_id().to_string())
        .join(id.to_string());
    if !dir.is_dir() {
        return Err(LogError::UnknownContainer(id.to_string()));
    }
    Ok((id, dir))
}

/// The file `name` of a container's log folder `dir`, checked to be a plain file inside it.
pub fn log_file(dir: &Path, container: &ContainerId, name: &str) -> Result<PathBuf, LogError> {
    let short = clip(name, 100);
    let plain = !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0']);
    if !plain {
        return Err(LogError::BadFileName(short));
    }
    let missing = || LogError::NoSuchFile {
        container: container.to_string(),
        file: short.clone(),
    };
    let path = dir.join(name);
    // Resolve links: the file itself must be inside the container's own folder.
    let real = std::fs::canonicalize(&path).map_err(|_| missing())?;
    let real_dir = std::fs::canonicalize(dir).map_err(|_| missing())?;
    if real.parent() != Some(real_dir.as_path()) || !real.is_file() {
        return Err(missing());
    }
    Ok(real)
}

/// The log files of a container's folder: (name, size, modified ms), sorted by name.
pub fn list(dir: &Path) -> Vec<(String, u64, i64)> {
    crate::logs::container_log_files(dir)
        .into_iter()
        .filter_map(|(name, path)| {
            let m = std::fs::symlink_metadata(&path).ok()?;
            if !m.is_file() {
                return None;
            }
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0);
            Some((name, m.len(), modified))
        })
        .collect()
}

/// A part of a log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPart {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Where they start in the file.
    pub start: u64,
    /// The file's length.
    pub total: u64,
}

/// Bytes `[start, end)` of the file, Hadoop's way: a negative `start` or `end` counts from the
/// end of the file, `end` defaults to the end; at most [`MAX_SERVED_BYTES`] (the last ones when
/// cut).
pub fn read_part(path: &Path, start: i64, end: Option<i64>) -> Result<LogPart, LogError> {
    let unreadable = || LogError::Unreadable(path.display().to_string());
    let mut f = File::open(path).map_err(|_| unreadable())?;
    let total = f.metadata().map_err(|_| unreadable())?.len();
    let resolve = |v: i64| -> u64 {
        if v < 0 {
            total.saturating_sub(v.unsigned_abs())
        } else {
            (v as u64).min(total)
        }
    };
    let end = end.map_or(total, resolve);
    let mut start = resolve(start).min(end);
    if end - start > MAX_SERVED_BYTES {
        start = end - MAX_SERVED_BYTES;
    }
    f.seek(SeekFrom::Start(start)).map_err(|_| unreadable())?;
    let mut bytes = Vec::with_capacity((end - start) as usize);
    f.take(end - start)
        .read_to_end(&mut bytes)
        .map_err(|_| unreadable())?;
    Ok(LogPart {
        bytes,
        start,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf, ContainerId) {
        let root = tempfile::tempdir().unwrap();
        let id: ContainerId = "container_17_0001_01_000002".parse().unwrap();
        let dir = root.path().join("application_17_0001").join(id.to_string());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("stdout"), b"0123456789").unwrap();
        std::fs::write(root.path().join("secret"), b"no").unwrap();
        (root, dir, id)
    }

    #[test]
    fn serves_only_the_containers_own_files() {
        let (root, dir, id) = setup();
        let (found, d) = container_dir(root.path(), &id.to_string()).unwrap();
        assert_eq!((found, d.clone()), (id, dir.clone()));
        assert!(log_file(&d, &id, "stdout").is_ok());
        for bad in ["", ".", "..", "../secret", "../../secret", "a/b", "x\0y"] {
            assert!(
                matches!(log_file(&d, &id, bad), Err(LogError::BadFileName(_))),
                "{bad:?}"
            );
        }
        // A link out of the folder is not followed.
        std::os::unix::fs::symlink(root.path().join("secret"), dir.join("escape")).unwrap();
        assert!(matches!(
            log_file(&d, &id, "escape"),
            Err(LogError::NoSuchFile { .. })
        ));
        assert!(matches!(
            log_file(&d, &id, "stderr"),
            Err(LogError::NoSuchFile { .. })
        ));
        for bad in ["../x", "container_x", "application_17_0001", ""] {
            assert!(
                matches!(
                    container_dir(root.path(), bad),
                    Err(LogError::BadContainerId(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            container_dir(root.path(), "container_17_0001_01_000009"),
            Err(LogError::UnknownContainer(_))
        ));
        let names: Vec<String> = list(&d).into_iter().map(|f| f.0).collect();
        assert_eq!(names, vec!["stdout"], "links are not listed");
    }

    #[test]
    fn parts_count_from_either_end() {
        let (_root, dir, _) = setup();
        let f = dir.join("stdout");
        assert_eq!(read_part(&f, 0, None).unwrap().bytes, b"0123456789");
        let tail = read_part(&f, -4, None).unwrap();
        assert_eq!(
            (tail.bytes.as_slice(), tail.start, tail.total),
            (&b"6789"[..], 6, 10)
        );
        assert_eq!(read_part(&f, 2, Some(5)).unwrap().bytes, b"234");
        assert_eq!(read_part(&f, -100, Some(-8)).unwrap().bytes, b"01");
        assert!(read_part(&f, 8, Some(3)).unwrap().bytes.is_empty());
        assert!(read_part(&f, 50, None).unwrap().bytes.is_empty());
    }
}
