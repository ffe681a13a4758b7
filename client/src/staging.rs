//! Staging: the local files an application needs, copied where every node can read them and
//! described as YARN local resources (URL, size, modification time, type, visibility).
//!
//! * Per application, `<root>/<application id>/` (mode 0700; files 0600, or 0700 when the source
//!   is executable): `--files`, `--archives`, the shipped configuration and the executors'
//!   resource list. Visibility `APPLICATION`. The folder is removed if the submission fails
//!   ([`Staging`] removes it when dropped unless [`Staging::keep`] was called), and by the
//!   ApplicationMaster once the application is final (`spindle am --staging-dir`).
//! * Programs (the `spindle` binary, an application's own binary), in `<root>/.cache/`, named by
//!   the source's name, size and modification time, so one build is staged once for every
//!   application of the user. Visibility `PRIVATE`: a NodeManager localizes it once per user, so
//!   the second application starts without copying tens of megabytes again. When a new build is
//!   staged, older builds of the same program not used for a day, and all but the last
//!   [`CACHE_KEEP`] builds, are removed.
//!
//! Only `file:` staging is implemented: on one machine any folder works; on a real cluster it
//! must be a folder every node mounts (NFS). Staging on HDFS needs an HDFS client (see
//! `docs/client.md`).

use std::collections::BTreeSet;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use spindle_launcher::context::{NamedResource, local_file_resource};
use spindle_launcher::spec::check_link_name;
use spindle_protocol::proto::yarn::{
    LocalResourceProto, LocalResourceTypeProto, LocalResourceVisibilityProto, URLProto,
};

use crate::error::ClientError;
use crate::local_file::read_at_most;

/// The folder of staged programs under the staging root.
pub const CACHE_FOLDER: &str = ".cache";
/// Cached programs not touched for this long are removed when a newer build is staged.
pub const CACHE_MAX_AGE: Duration = Duration::from_secs(24 * 3600);
/// Builds of one program kept in the cache (the newest included).
pub const CACHE_KEEP: usize = 3;
/// The largest executor resource list read (a list of 10,000 resources is about 3 MB).
pub const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;
/// The most resources in that list.
pub const MAX_MANIFEST_ENTRIES: usize = 10_000;

/// What YARN does with a staged resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Copied as it is (a file or a folder).
    File,
    /// Unpacked (zip, jar, tar, tar.gz).
    Archive,
}

impl Kind {
    fn proto(self) -> LocalResourceTypeProto {
        match self {
            Kind::File => LocalResourceTypeProto::File,
            Kind::Archive => LocalResourceTypeProto::Archive,
        }
    }
}

/// One application's staging folder and the resources staged so far.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    dir: PathBuf,
    resources: Vec<NamedResource>,
    links: BTreeSet<String>,
    armed: bool,
}

fn io_error(what: &str, dir: &Path) -> impl FnOnce(std::io::Error) -> ClientError {
    let what = what.to_string();
    let dir = dir.to_path_buf();
    move |source| ClientError::Staging { what, dir, source }
}

/// Creates `dir` (and missing parents) with mode 0700.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

fn is_executable(meta: &std::fs::Metadata) -> bool {
    meta.permissions().mode() & 0o111 != 0
}

/// Copies `source` (a file, or a folder tree) to `target` with private permissions.
fn copy_private(source: &Path, target: &Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(source)?;
    if meta.is_dir() {
        private_dir(target)?;
        for entry in std::fs::read_dir(source)? {
            let entry = entry?;
            copy_private(&entry.path(), &target.join(entry.file_name()))?;
        }
        return Ok(());
    }
    std::fs::copy(source, target)?;
    let mode = if is_executable(&meta) { 0o700 } else { 0o600 };
    std::fs::set_permissions(target, std::fs::Permissions::from_mode(mode))
}

impl Staging {
    /// Creates `<root>/<app_id>` (mode 0700; `root` too when missing). A folder left by an
    /// earlier application of the same id is an error.
    pub fn create(root: &Path, app_id: &str) -> Result<Self, ClientError> {
        private_dir(root).map_err(io_error("the staging root", root))?;
        let dir = root.join(app_id);
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(io_error("the application's folder", root))?;
        Ok(Staging {
            root: root.to_path_buf(),
            dir,
            resources: Vec::new(),
            links: BTreeSet::new(),
            armed: true,
        })
    }

    /// The application's staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Everything staged so far, by link name.
    pub fn resources(&self) -> &[NamedResource] {
        &self.resources
    }

    fn claim(&mut self, link: &str) -> Result<(), ClientError> {
        check_link_name(link).map_err(|e| ClientError::Invalid(e.to_string()))?;
        if !self.links.insert(link.to_string()) {
            return Err(ClientError::Invalid(format!(
                "two resources would be linked as {link:?} in the containers: rename one with \
                 PATH#LINK (for example --files data/a.txt#a2.txt)"
            )));
        }
        Ok(())
    }

    fn describe(
        &mut self,
        link: &str,
        path: &Path,
        kind: Kind,
        visibility: LocalResourceVisibilityProto,
    ) -> Result<(), ClientError> {
        let resource = local_file_resource(path, kind.proto(), visibility, None)
            .map_err(|e| ClientError::Invalid(e.to_string()))?;
        self.resources.push(NamedResource {
            link: link.to_string(),
            resource,
        });
        Ok(())
    }

    /// Copies `source` (a file, or a folder with [`Kind::File`]) in, for this application only,
    /// linked as `link` in its containers.
    pub fn add(&mut self, source: &Path, link: &str, kind: Kind) -> Result<(), ClientError> {
        self.claim(link)?;
        let meta = std::fs::metadata(source)
            .map_err(|e| ClientError::Invalid(format!("cannot read {}: {e}", source.display())))?;
        if kind == Kind::Archive && !meta.is_file() {
            return Err(ClientError::Invalid(format!(
                "{} is not a file: an archive must be a zip, jar, tar or tar.gz file",
                source.display()
            )));
        }
        let target = self.dir.join("files").join(link);
        if let Some(parent) = target.parent() {
            private_dir(parent).map_err(io_error(link, &self.dir))?;
        }
        copy_private(source, &target).map_err(io_error(link, &self.dir))?;
        self.describe(
            link,
            &target,
            kind,
            LocalResourceVisibilityProto::Application,
        )
    }

    /// Writes `files` (name → contents) as a folder linked as `link`, for this application.
    pub fn add_folder(
        &mut self,
        link: &str,
        files: &[(String, Vec<u8>)],
    ) -> Result<(), ClientError> {
        self.claim(link)?;
        let target = self.dir.join(link);
        private_dir(&target).map_err(io_error(link, &self.dir))?;
        for (name, bytes) in files {
            write_private(&target.join(name), bytes).map_err(io_error(name, &self.dir))?;
        }
        self.describe(
            link,
            &target,
            Kind::File,
            LocalResourceVisibilityProto::Application,
        )
    }

    /// Writes `bytes` as a file linked as `link`, for this application.
    pub fn add_bytes(&mut self, link: &str, bytes: &[u8]) -> Result<(), ClientError> {
        self.claim(link)?;
        let target = self.dir.join(link);
        write_private(&target, bytes).map_err(io_error(link, &self.dir))?;
        self.describe(
            link,
            &target,
            Kind::File,
            LocalResourceVisibilityProto::Application,
        )
    }

    /// Stages a program once per build for every application of this user (see the module
    /// documentation), linked as `link`.
    pub fn add_program(&mut self, source: &Path, link: &str) -> Result<(), ClientError> {
        self.claim(link)?;
        let meta = std::fs::metadata(source).map_err(|e| {
            ClientError::Invalid(format!("cannot read the program {}: {e}", source.display()))
        })?;
        if !meta.is_file() {
            return Err(ClientError::Invalid(format!(
                "{} is not a file",
                source.display()
            )));
        }
        let cache = self.root.join(CACHE_FOLDER);
        private_dir(&cache).map_err(io_error("the program cache", &self.root))?;
        let stem = source
            .file_name()
            .map(|n| {
                n.to_string_lossy().replace(
                    |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_' && c != '.',
                    "_",
                )
            })
            .unwrap_or_else(|| "program".into());
        let mtime = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let cached = cache.join(format!("{stem}-{}-{mtime}", meta.len()));
        let reusable = std::fs::metadata(&cached).is_ok_and(|m| m.len() == meta.len());
        if reusable {
            mark_used(&cached);
        } else {
            // Copy under a private name, then rename: a concurrent submission never sees half
            // a program.
            let tmp = cache.join(format!(".{stem}-{}.tmp", std::process::id()));
            copy_private(source, &tmp)
                .and_then(|()| std::fs::rename(&tmp, &cached))
                .map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    io_error(link, &cache)(e)
                })?;
            mark_used(&cached);
            prune_cache(&cache, &stem, &cached);
        }
        self.describe(
            link,
            &cached,
            Kind::File,
            LocalResourceVisibilityProto::Private,
        )
    }

    /// Keeps the folder (the ApplicationMaster removes it once the application is final) and
    /// returns its path.
    pub fn keep(mut self) -> PathBuf {
        self.armed = false;
        self.dir.clone()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed
            && let Err(e) = std::fs::remove_dir_all(&self.dir)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(dir = %self.dir.display(), "cannot remove the staging folder: {e}");
        }
    }
}

/// Removes a staging folder (idempotent: a folder already gone is fine).
pub fn remove(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// The file whose modification time says when the cached program `cached` was last used.
///
/// Not the program's own time: that is the `timestamp` of every `LocalResource` already handed
/// out for it, and a NodeManager refuses to localize a file whose time has changed since (a
/// running application's next executor would fail to start).
fn used_marker(cached: &Path) -> PathBuf {
    let name = cached.file_name().unwrap_or_default().to_string_lossy();
    cached.with_file_name(format!(".{name}.used"))
}

/// Records that `cached` is in use now, so that pruning keeps it. Best effort: a marker that
/// cannot be written only makes the build look older to [`prune_cache`].
fn mark_used(cached: &Path) {
    let marker = used_marker(cached);
    let touched = std::fs::File::options()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&marker)
        .and_then(|f| f.set_modified(SystemTime::now()));
    if let Err(e) = touched {
        tracing::debug!(marker = %marker.display(), "cannot mark a cached program as used: {e}");
    }
}

/// When the cached program `path` was last used: its marker's time, else its own.
fn last_used(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(used_marker(path))
        .or_else(|_| std::fs::metadata(path))
        .ok()?
        .modified()
        .ok()
}

/// Removes cached builds of `stem` other than `keep`: those not used for [`CACHE_MAX_AGE`], and
/// all but the [`CACHE_KEEP`] most recently used (a rebuild-and-submit loop would otherwise
/// keep every build for a day).
fn prune_cache(cache: &Path, stem: &str, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    let prefix = format!("{stem}-");
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // A marker whose build is gone (removed by hand, or by a pruning that stopped half-way).
    for name in &names {
        if let Some(build) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".used"))
            .filter(|b| b.starts_with(&prefix) && !names.iter().any(|n| n == b))
        {
            let _ = std::fs::remove_file(used_marker(&cache.join(build)));
        }
    }
    let mut builds: Vec<(SystemTime, PathBuf)> = names
        .iter()
        .filter(|n| n.starts_with(&prefix))
        .map(|n| cache.join(n))
        .filter(|p| p != keep)
        .filter_map(|p| Some((last_used(&p)?, p)))
        .collect();
    builds.sort_by_key(|b| std::cmp::Reverse(b.0));
    for (i, (used, path)) in builds.iter().enumerate() {
        let old = used.elapsed().is_ok_and(|age| age > CACHE_MAX_AGE);
        if old || i + 1 >= CACHE_KEEP {
            let _ = std::fs::remove_file(path);
            let _ = std::fs::remove_file(used_marker(path));
        }
    }
}

/// One resource in the executors' resource list.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestEntry {
    link: String,
    scheme: String,
    host: Option<String>,
    port: i32,
    file: String,
    size: i64,
    timestamp: i64,
    kind: String,
    visibility: String,
    pattern: Option<String>,
}

/// The executors' resource list (JSON) for `resources`: what the ApplicationMaster adds to
/// every executor's launch context (`spindle am --executor-resources FILE`).
pub fn manifest(resources: &[NamedResource]) -> Vec<u8> {
    let entries: Vec<ManifestEntry> = resources
        .iter()
        .map(|r| {
            let res = &r.resource;
            let url = res.resource.clone().unwrap_or_default();
            ManifestEntry {
                link: r.link.clone(),
                scheme: url.scheme.unwrap_or_else(|| "file".into()),
                host: url.host,
                port: url.port.unwrap_or(-1),
                file: url.file.unwrap_or_default(),
                size: res.size.unwrap_or(0),
                timestamp: res.timestamp.unwrap_or(0),
                kind: LocalResourceTypeProto::java_name_of(res.r#type.unwrap_or(1)).to_string(),
                visibility: LocalResourceVisibilityProto::java_name_of(res.visibility.unwrap_or(2))
                    .to_string(),
                pattern: res.pattern.clone(),
            }
        })
        .collect();
    serde_json::to_vec_pretty(&entries).unwrap_or_default()
}

/// Reads an executors' resource list written by [`manifest`].
pub fn read_manifest(path: &Path) -> Result<Vec<NamedResource>, String> {
    let what = path.display();
    let bytes = read_at_most(path, MAX_MANIFEST_BYTES, "the executor resource list")?;
    let entries: Vec<ManifestEntry> = serde_json::from_slice(&bytes)
        .map_err(|e| format!("the executor resource list {what} is malformed: {e}"))?;
    if entries.len() > MAX_MANIFEST_ENTRIES {
        return Err(format!(
            "the executor resource list {what} has {} entries, over the limit of {MAX_MANIFEST_ENTRIES}",
            entries.len()
        ));
    }
    entries
        .into_iter()
        .map(|e| {
            check_link_name(&e.link).map_err(|err| format!("{what}: {err}"))?;
            let kind = LocalResourceTypeProto::from_java_name(&e.kind)
                .ok_or_else(|| format!("{what}: unknown resource type {:?}", e.kind))?;
            let visibility = LocalResourceVisibilityProto::from_java_name(&e.visibility)
                .ok_or_else(|| format!("{what}: unknown visibility {:?}", e.visibility))?;
            Ok(NamedResource {
                link: e.link,
                resource: LocalResourceProto {
                    resource: Some(URLProto {
                        scheme: Some(e.scheme),
                        host: e.host,
                        port: Some(e.port),
                        file: Some(e.file),
                        user_info: None,
                    }),
                    size: Some(e.size),
                    timestamp: Some(e.timestamp),
                    r#type: Some(kind as i32),
                    visibility: Some(visibility as i32),
                    pattern: e.pattern,
                    should_be_uploaded_to_shared_cache: None,
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A staging root, and a source folder holding the file `name` with `bytes`.
    fn root_and_source(
        name: &str,
        bytes: &[u8],
    ) -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        let file = src.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        (root, src, file)
    }

    /// The permission bits of `path`.
    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_are_staged_privately_with_size_and_mtime() {
        let (root, src, data) = root_and_source("data.txt", b"hello");
        let mut s = Staging::create(root.path(), "application_1_0001").unwrap();
        s.add(&data, "data.txt", Kind::File).unwrap();
        let r = &s.resources()[0];
        assert_eq!(r.link, "data.txt");
        assert_eq!(r.resource.size, Some(5));
        assert_eq!(
            r.resource.visibility,
            Some(LocalResourceVisibilityProto::Application as i32)
        );
        let staged = PathBuf::from(r.resource.resource.as_ref().unwrap().file.clone().unwrap());
        assert_eq!(mode(&staged), 0o600);
        assert_eq!(mode(s.dir()), 0o700);
        let dup = s
            .add(&data, "data.txt", Kind::File)
            .unwrap_err()
            .to_string();
        assert!(dup.contains("PATH#LINK"), "{dup}");
        assert!(s.add(&data, "../x", Kind::File).is_err());
        assert!(s.add(&src.path().join("missing"), "m", Kind::File).is_err());
        let dir = s.dir().to_path_buf();
        drop(s);
        assert!(!dir.exists(), "an unkept staging folder is removed");
    }

    #[test]
    fn programs_are_cached_across_applications_and_kept_folders_stay() {
        let (root, _src, prog) = root_and_source("spindle", b"#!/bin/sh\n");
        std::fs::set_permissions(&prog, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut a = Staging::create(root.path(), "application_1_0001").unwrap();
        a.add_program(&prog, "spindle").unwrap();
        // Later than `a` by more than the timestamps' millisecond, so that a reuse which touched
        // the program would show.
        std::thread::sleep(Duration::from_millis(5));
        let mut b = Staging::create(root.path(), "application_1_0002").unwrap();
        b.add_program(&prog, "spindle").unwrap();
        let (ra, rb) = (&a.resources()[0].resource, &b.resources()[0].resource);
        assert_eq!(ra.resource, rb.resource, "one cached copy");
        assert_eq!(ra.timestamp, rb.timestamp);
        assert_eq!(
            ra.visibility,
            Some(LocalResourceVisibilityProto::Private as i32)
        );
        let cached = PathBuf::from(ra.resource.as_ref().unwrap().file.clone().unwrap());
        assert_eq!(mode(&cached), 0o700);
        // Reuse must not touch the program: its time is the timestamp the first application's
        // NodeManagers will check when they localize it later.
        let as_now = local_file_resource(
            &cached,
            LocalResourceTypeProto::File,
            LocalResourceVisibilityProto::Private,
            None,
        )
        .unwrap();
        assert_eq!(ra.timestamp, as_now.timestamp, "the program was touched");
        let kept = a.keep();
        drop(b);
        assert!(kept.exists());
        assert!(cached.exists(), "the cache outlives applications");
        assert!(!root.path().join("application_1_0002").exists());
        // A marker whose build is gone goes at the next pruning.
        std::fs::write(
            root.path().join(CACHE_FOLDER).join(".spindle-1-1.used"),
            b"",
        )
        .unwrap();
        // Rebuilds: only the last CACHE_KEEP builds stay.
        for n in 3..8 {
            std::fs::write(&prog, format!("#!/bin/sh\n# build {n}\n")).unwrap();
            let mut s = Staging::create(root.path(), &format!("application_1_000{n}")).unwrap();
            s.add_program(&prog, "spindle").unwrap();
        }
        let names: Vec<String> = std::fs::read_dir(root.path().join(CACHE_FOLDER))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let builds = names.iter().filter(|n| n.starts_with("spindle-")).count();
        assert_eq!(builds, CACHE_KEEP, "{names:?}");
        let markers = names.iter().filter(|n| n.ends_with(".used")).count();
        assert_eq!(
            markers, CACHE_KEEP,
            "a marker per kept build, none left over: {names:?}"
        );
    }

    #[test]
    fn the_manifest_round_trips_and_bad_ones_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let mut s = Staging::create(root.path(), "app").unwrap();
        s.add_bytes("a.txt", b"x").unwrap();
        s.add_folder(
            "conf",
            &[("yarn-site.xml".into(), b"<configuration/>".to_vec())],
        )
        .unwrap();
        let path = root.path().join("m.json");
        std::fs::write(&path, manifest(s.resources())).unwrap();
        assert_eq!(read_manifest(&path).unwrap(), s.resources().to_vec());
        std::fs::write(&path, r#"[{"link":"../x","scheme":"file","host":null,"port":-1,"file":"/x","size":1,"timestamp":1,"kind":"FILE","visibility":"PUBLIC","pattern":null}]"#).unwrap();
        assert!(read_manifest(&path).is_err());
        std::fs::write(&path, r#"[{"link":"x","scheme":"file","host":null,"port":-1,"file":"/x","size":1,"timestamp":1,"kind":"BLOB","visibility":"PUBLIC","pattern":null}]"#).unwrap();
        assert!(read_manifest(&path).unwrap_err().contains("BLOB"));
        std::fs::write(&path, r#"[{"lnk":"x"}]"#).unwrap();
        assert!(read_manifest(&path).is_err());
    }
}
