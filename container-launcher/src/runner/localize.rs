//! Localization: copying FILE resources and unpacking ARCHIVE/PATTERN resources into the node's caches
//! (once per cache folder, source and timestamp), checking each source's modification time, and
//! linking the localized copies into a container's work folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use regex::Regex;

use super::archive;
use super::error::LocalizeError;
use crate::spec::{LocalResourceSpec, ResourceKind};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    scope: PathBuf,
    source: PathBuf,
    timestamp_ms: i64,
    kind: ResourceKind,
    pattern: Option<String>,
}

type Slot = Arc<Mutex<Option<PathBuf>>>;

/// The node's cache of localized resources. A resource is localized once per (cache folder, source,
/// timestamp, kind, pattern); containers that need it at the same time wait for the first to finish.
#[derive(Debug)]
pub struct ResourceCache {
    slots: Mutex<HashMap<CacheKey, Slot>>,
    next_dir: AtomicU64,
    max_unpacked_bytes: u64,
}

/// Turns a resource source (`file://` URL or absolute path) into a local path.
pub fn source_path(source: &str) -> Result<PathBuf, LocalizeError> {
    let unsupported = || LocalizeError::UnsupportedScheme {
        source_url: source.to_string(),
    };
    let path = if let Some(rest) = source.strip_prefix("file://") {
        // file:///p, file://localhost/p
        let rest = rest.strip_prefix("localhost").unwrap_or(rest);
        if !rest.starts_with('/') {
            return Err(unsupported());
        }
        percent_decode(rest).ok_or_else(unsupported)?
    } else if let Some(rest) = source.strip_prefix("file:") {
        if !rest.starts_with('/') {
            return Err(unsupported());
        }
        percent_decode(rest).ok_or_else(unsupported)?
    } else if source.starts_with('/') {
        source.to_string()
    } else {
        return Err(unsupported());
    };
    Ok(PathBuf::from(path))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The modification time of `path` in milliseconds since the epoch (following symlinks).
pub fn mtime_ms(path: &Path) -> Result<i64, LocalizeError> {
    let meta = std::fs::metadata(path).map_err(|error| LocalizeError::Missing {
        path: path.to_path_buf(),
        error,
    })?;
    let modified = meta.modified().map_err(|error| LocalizeError::Missing {
        path: path.to_path_buf(),
        error,
    })?;
    Ok(match modified.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    })
}

fn check_unchanged(path: &Path, expected_ms: i64) -> Result<(), LocalizeError> {
    let actual_ms = mtime_ms(path)?;
    if actual_ms != expected_ms {
        return Err(LocalizeError::Changed {
            path: path.to_path_buf(),
            expected_ms,
            actual_ms,
        });
    }
    Ok(())
}

impl ResourceCache {
    /// An empty cache; archives may unpack to at most `max_unpacked_bytes`.
    pub fn new(max_unpacked_bytes: u64) -> Self {
        ResourceCache {
            slots: Mutex::new(HashMap::new()),
            next_dir: AtomicU64::new(10),
            max_unpacked_bytes,
        }
    }

    /// How many localized copies the cache knows.
    pub fn len(&self) -> usize {
        let slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots
            .values()
            .filter(|s| s.lock().map(|v| v.is_some()).unwrap_or(false))
            .count()
    }

    /// Whether the cache holds no localized copy.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every copy stored under `dir` (the files themselves are the caller's to delete).
    pub fn forget_under(&self, dir: &Path) {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.retain(|k, _| !k.scope.starts_with(dir));
    }

    /// Localizes `res` into the cache folder `scope` (blocking) and returns the localized path: the
    /// copied file or folder, or the folder an archive was unpacked into. The source's modification
    /// time is checked every time, also when a cached copy exists.
    pub fn localize(
        &self,
        scope: &Path,
        res: &LocalResourceSpec,
    ) -> Result<PathBuf, LocalizeError> {
        let source = source_path(&res.source)?;
        check_unchanged(&source, res.timestamp_ms)?;
        let key = CacheKey {
            scope: scope.to_path_buf(),
            source: source.clone(),
            timestamp_ms: res.timestamp_ms,
            kind: res.kind,
            pattern: res.pattern.clone(),
        };
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            slots.entry(key).or_default().clone()
        };
        let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(path) = guard.as_ref()
            && std::fs::symlink_metadata(path).is_ok()
        {
            return Ok(path.clone());
        }
        let dir = self.fresh_dir(scope)?;
        match self.fill(&dir, &source, res) {
            Ok(path) => {
                *guard = Some(path.clone());
                Ok(path)
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }

    fn fresh_dir(&self, scope: &Path) -> Result<PathBuf, LocalizeError> {
        let io = |error| LocalizeError::Io {
            path: scope.to_path_buf(),
            error,
        };
        std::fs::create_dir_all(scope).map_err(io)?;
        loop {
            let n = self.next_dir.fetch_add(1, Ordering::Relaxed);
            let dir = scope.join(n.to_string());
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(dir),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io(e)),
            }
        }
    }

    fn fill(
        &self,
        dir: &Path,
        source: &Path,
        res: &LocalResourceSpec,
    ) -> Result<PathBuf, LocalizeError> {
        let name = archive::file_name(source);
        let target = dir.join(&name);
        let io = |error| LocalizeError::Io {
            path: source.to_path_buf(),
            error,
        };
        let is_jar = name
            .to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".jar");
        match res.kind {
            ResourceKind::File => copy_tree(source, &target).map_err(io)?,
            ResourceKind::Archive => {
                std::fs::create_dir(&target).map_err(io)?;
                archive::unpack(source, &target, None, self.max_unpacked_bytes)?;
            }
            ResourceKind::Pattern => {
                std::fs::create_dir(&target).map_err(io)?;
                if is_jar {
                    let pattern = res.pattern.as_deref().unwrap_or(".*");
                    let re = Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
                        LocalizeError::BadArchive {
                            path: source.to_path_buf(),
                            reason: format!("bad pattern: {e}"),
                        }
                    })?;
                    archive::unpack(source, &target, Some(&re), self.max_unpacked_bytes)?;
                    std::fs::copy(source, target.join(&name)).map_err(io)?;
                } else {
                    archive::unpack(source, &target, None, self.max_unpacked_bytes)?;
                }
            }
        }
        // A source that changed while it was being copied is refused as well.
        check_unchanged(source, res.timestamp_ms)?;
        Ok(target)
    }
}

/// Copies a file, or a folder tree (symlinks inside are recreated as they are).
fn copy_tree(source: &Path, target: &Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(source)?;
    if !meta.is_dir() {
        std::fs::copy(source, target)?;
        return Ok(());
    }
    std::fs::create_dir(target)?;
    for entry in std::fs::read_dir(source)? {
        let entry = entry?;
        let from = entry.path();
        let to = target.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&from)?, &to)?;
        } else if kind.is_dir() {
            copy_tree(&from, &to)?;
        } else {
            std::fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

/// Links a localized path into the work folder under `link` (creating parent folders). A last
/// component `*` links every entry of the localized folder into the parent instead.
pub fn link_into(work_dir: &Path, link: &str, localized: &Path) -> Result<(), LocalizeError> {
    let io = |path: &Path, error| LocalizeError::Io {
        path: path.to_path_buf(),
        error,
    };
    let rel = Path::new(link);
    let wildcard = rel.file_name().is_some_and(|n| n == "*");
    // Create the parent folders one by one and refuse to pass through a symlink: otherwise a link
    // named `lib/x` after a resource linked as `lib` would write into that resource's cached copy.
    let mut parent = work_dir.to_path_buf();
    if let Some(dirs) = rel.parent() {
        for part in dirs.components() {
            parent.push(part);
            match std::fs::symlink_metadata(&parent) {
                Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => {
                    return Err(LocalizeError::Io {
                        path: parent.clone(),
                        error: std::io::Error::other(format!(
                            "local resource name {link:?} passes through another resource's link"
                        )),
                    });
                }
                Ok(_) => {}
                Err(_) => std::fs::create_dir(&parent).map_err(|e| io(&parent, e))?,
            }
        }
    }
    if !wildcard {
        let at = work_dir.join(rel);
        return std::os::unix::fs::symlink(localized, &at).map_err(|e| io(&at, e));
    }
    let meta = std::fs::metadata(localized).map_err(|e| io(localized, e))?;
    if !meta.is_dir() {
        let at = parent.join(archive::file_name(localized));
        return std::os::unix::fs::symlink(localized, &at).map_err(|e| io(&at, e));
    }
    for entry in std::fs::read_dir(localized).map_err(|e| io(localized, e))? {
        let entry = entry.map_err(|e| io(localized, e))?;
        let at = parent.join(entry.file_name());
        std::os::unix::fs::symlink(entry.path(), &at).map_err(|e| io(&at, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_file_urls_or_absolute_paths() {
        assert_eq!(
            source_path("file:///tmp/a%20b.jar").unwrap(),
            PathBuf::from("/tmp/a b.jar")
        );
        assert_eq!(
            source_path("file://localhost/x").unwrap(),
            PathBuf::from("/x")
        );
        assert_eq!(source_path("file:/x").unwrap(), PathBuf::from("/x"));
        assert_eq!(source_path("/plain").unwrap(), PathBuf::from("/plain"));
        for bad in [
            "hdfs://nn:8020/a",
            "relative/path",
            "file://host/x",
            "file:///a%zz",
        ] {
            assert!(
                matches!(
                    source_path(bad),
                    Err(LocalizeError::UnsupportedScheme { .. })
                ),
                "{bad}"
            );
        }
    }
}
